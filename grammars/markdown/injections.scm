; Code blocks are highlighted as the language their info string names
; (matched against `injection-names` in languages.toml). The block grammar
; keeps the code's punctuation as anonymous child nodes, so children must
; be part of the injected text.
(fenced_code_block
  (info_string (language) @injection.language)
  (code_fence_content) @injection.content
  (#set! injection.include-children))

; Front matter
((minus_metadata) @injection.content
  (#set! injection.language "yaml"))
((plus_metadata) @injection.content
  (#set! injection.language "toml"))

; Paragraphs, headings and table cells hold inline content; as with code,
; their punctuation is made of anonymous child nodes. Each one is parsed on
; its own, as tree-sitter-md's own parser does: combined into one document,
; an unclosed `*` in one paragraph would pair with one in a later paragraph.
((inline) @injection.content
  (#set! injection.language "markdown_inline")
  (#set! injection.include-children))
((pipe_table_cell) @injection.content
  (#set! injection.language "markdown_inline")
  (#set! injection.include-children))
