; Markdown block structure. Paragraph and heading text is highlighted by the
; markdown_inline language, injected by injections.scm.

[
  (atx_h1_marker)
  (atx_h2_marker)
  (atx_h3_marker)
  (atx_h4_marker)
  (atx_h5_marker)
  (atx_h6_marker)
  (setext_h1_underline)
  (setext_h2_underline)
] @markup.heading.marker
[
  (atx_heading)
  (setext_heading)
] @markup.heading

(fenced_code_block_delimiter) @punctuation.bracket
(info_string) @label
[
  (fenced_code_block)
  (indented_code_block)
] @markup.raw.block

(block_quote_marker) @punctuation.special
(block_continuation) @punctuation.special
(block_quote) @markup.quote

(task_list_marker_checked) @markup.list.checked
(task_list_marker_unchecked) @markup.list.unchecked
[
  (list_marker_plus)
  (list_marker_minus)
  (list_marker_star)
  (list_marker_dot)
  (list_marker_parenthesis)
] @markup.list

(thematic_break) @punctuation.special

(link_reference_definition (link_label) @markup.link.label)
(link_reference_definition (link_destination) @markup.link.url)
(link_reference_definition (link_title) @string)

(pipe_table_header (pipe_table_cell) @markup.heading)
(pipe_table_delimiter_row) @punctuation.special
"|" @punctuation.special

(backslash_escape) @constant.character.escape
[
  (entity_reference)
  (numeric_character_reference)
] @constant.character.escape

((html_block) @comment
  (#match? @comment "^[ \\t]*<!--"))
