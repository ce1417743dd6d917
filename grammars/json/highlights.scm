; JSON highlights (tree-sitter-json also accepts comments, as in JSONC).

(comment) @comment

(escape_sequence) @constant.character.escape
(pair key: (string) @variable.other.member)
(string) @string
(number) @constant.numeric
[
  (true)
  (false)
] @constant.builtin.boolean
(null) @constant.builtin

[
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  ":"
] @punctuation.delimiter
