; TOML highlights.

(comment) @comment

; Table headers: [table] and [[array.of.tables]]
(table (bare_key) @type)
(table (quoted_key) @type)
(table (dotted_key (bare_key) @type))
(table (dotted_key (quoted_key) @type))
(table_array_element (bare_key) @type)
(table_array_element (quoted_key) @type)
(table_array_element (dotted_key (bare_key) @type))
(table_array_element (dotted_key (quoted_key) @type))

; Keys of key = value pairs, also dotted ones
(pair (bare_key) @variable.other.member)
(pair (quoted_key) @variable.other.member)
(pair (dotted_key (bare_key) @variable.other.member))
(pair (dotted_key (quoted_key) @variable.other.member))
(pair (dotted_key (dotted_key (bare_key) @variable.other.member)))
(pair (dotted_key (dotted_key (quoted_key) @variable.other.member)))

(escape_sequence) @constant.character.escape
(string) @string
[
  (integer)
  (float)
] @constant.numeric
(boolean) @constant.builtin.boolean
[
  (offset_date_time)
  (local_date_time)
  (local_date)
  (local_time)
] @string.special

"=" @operator

[
  "."
  ","
] @punctuation.delimiter

[
  "["
  "]"
  "[["
  "]]"
  "{"
  "}"
] @punctuation.bracket
