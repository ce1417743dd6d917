; YAML highlights.

(comment) @comment

[
  (yaml_directive)
  (tag_directive)
  (reserved_directive)
] @keyword.directive

; Mapping keys, in block and flow style
(block_mapping_pair
  key: (flow_node
    [
      (double_quote_scalar)
      (single_quote_scalar)
    ] @variable.other.member))
(block_mapping_pair
  key: (flow_node (plain_scalar (string_scalar) @variable.other.member)))
(flow_mapping
  (_
    key: (flow_node
      [
        (double_quote_scalar)
        (single_quote_scalar)
      ] @variable.other.member)))
(flow_mapping
  (_
    key: (flow_node (plain_scalar (string_scalar) @variable.other.member))))
(flow_pair
  key: (flow_node (plain_scalar (string_scalar) @variable.other.member)))

(boolean_scalar) @constant.builtin.boolean
(null_scalar) @constant.builtin
[
  (integer_scalar)
  (float_scalar)
] @constant.numeric
(timestamp_scalar) @string.special
(escape_sequence) @constant.character.escape
[
  (double_quote_scalar)
  (single_quote_scalar)
  (block_scalar)
  (string_scalar)
] @string

[
  (anchor)
  (alias)
] @label
(tag) @type

[
  "---"
  "..."
] @punctuation.special

[
  "-"
  "?"
  ":"
  ","
] @punctuation.delimiter

[
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket
