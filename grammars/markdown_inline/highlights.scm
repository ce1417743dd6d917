; Markdown inline content: emphasis, code spans, links. Injected by
; ../markdown/injections.scm into paragraphs, headings and table cells.

(code_span) @markup.raw

(emphasis_delimiter) @punctuation.bracket
(strong_emphasis) @markup.bold
(emphasis) @markup.italic
(strikethrough) @markup.strikethrough

(inline_link
  [
    "["
    "]"
    "("
    ")"
  ] @punctuation.bracket)
(image
  [
    "!"
    "["
    "]"
    "("
    ")"
  ] @punctuation.bracket)
(full_reference_link
  [
    "["
    "]"
  ] @punctuation.bracket)
(collapsed_reference_link
  [
    "["
    "]"
  ] @punctuation.bracket)
(shortcut_link
  [
    "["
    "]"
  ] @punctuation.bracket)

[
  (link_text)
  (image_description)
] @markup.link.text
(link_label) @markup.link.label
(link_title) @string
[
  (link_destination)
  (uri_autolink)
  (email_autolink)
] @markup.link.url

[
  (backslash_escape)
  (hard_line_break)
  (entity_reference)
  (numeric_character_reference)
] @constant.character.escape

(html_tag) @tag
(latex_block) @markup.raw
