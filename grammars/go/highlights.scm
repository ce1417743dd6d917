; Go highlights.
; For the same node the first matching pattern wins, so the specific patterns
; (builtins, conventions, definitions) come before the generic ones at the end.

; ---------------------------------------------------------------------------
; Comments and literals
; ---------------------------------------------------------------------------

((comment) @keyword.directive
  (#match? @keyword.directive "^//(go:|line |export |extern )"))

; The comments directly before a declaration document it.
((comment)+ @comment.documentation
  .
  [
    (function_declaration)
    (method_declaration)
    (type_declaration)
    (const_declaration)
    (var_declaration)
    (package_clause)
  ])
(comment) @comment

(escape_sequence) @constant.character.escape
(rune_literal) @constant.character
(import_spec path: (interpreted_string_literal) @string.special.path)
(import_spec path: (raw_string_literal) @string.special.path)
[
  (interpreted_string_literal)
  (raw_string_literal)
] @string
[
  (int_literal)
  (float_literal)
  (imaginary_literal)
] @constant.numeric
[
  (true)
  (false)
] @constant.builtin.boolean
[
  (nil)
  (iota)
] @constant.builtin

; ---------------------------------------------------------------------------
; Keywords
; ---------------------------------------------------------------------------

[
  "if"
  "else"
  "switch"
  "select"
  "case"
  "default"
] @keyword.control.conditional

[
  "for"
  "range"
  "break"
  "continue"
] @keyword.control.repeat

[
  "return"
  "goto"
  "fallthrough"
] @keyword.control.return

[
  "import"
  "package"
] @keyword.control.import

"func" @keyword.function

[
  "var"
  "const"
] @keyword.storage

[
  "type"
  "struct"
  "interface"
  "map"
  "chan"
] @keyword.storage.type

[
  "go"
  "defer"
] @keyword.control

; ---------------------------------------------------------------------------
; Functions
; ---------------------------------------------------------------------------

(function_declaration name: (identifier) @function)
(method_declaration name: (field_identifier) @function.method)
(method_elem name: (field_identifier) @function.method)

(call_expression
  function: (identifier) @function.builtin
  (#any-of? @function.builtin
    "append" "cap" "clear" "close" "complex" "copy" "delete" "imag" "len"
    "make" "max" "min" "new" "panic" "print" "println" "real" "recover"))
(call_expression function: (identifier) @function)
(call_expression
  function: (selector_expression field: (field_identifier) @function.method))

; ---------------------------------------------------------------------------
; Types, packages, constants
; ---------------------------------------------------------------------------

((type_identifier) @type.builtin
  (#any-of? @type.builtin
    "any" "bool" "byte" "comparable" "complex64" "complex128" "error"
    "float32" "float64" "int" "int8" "int16" "int32" "int64" "rune" "string"
    "uint" "uint8" "uint16" "uint32" "uint64" "uintptr"))
(type_identifier) @type
(type_parameter_declaration name: (identifier) @type)

(package_identifier) @namespace

(const_spec name: (identifier) @constant)
((identifier) @constant
  (#match? @constant "^[A-Z][A-Z\\d_]+$"))

; ---------------------------------------------------------------------------
; Variables, parameters, fields, labels
; ---------------------------------------------------------------------------

(parameter_declaration name: (identifier) @variable.parameter)
(variadic_parameter_declaration name: (identifier) @variable.parameter)

(field_identifier) @variable.other.member
(label_name) @label
(blank_identifier) @variable.builtin
(identifier) @variable

; ---------------------------------------------------------------------------
; Punctuation and operators
; ---------------------------------------------------------------------------

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  "."
  ","
  ":"
  ";"
] @punctuation.delimiter

[
  "--"
  "-"
  "-="
  ":="
  "!"
  "!="
  "..."
  "*"
  "*="
  "/"
  "/="
  "&"
  "&&"
  "&="
  "&^"
  "&^="
  "%"
  "%="
  "^"
  "^="
  "+"
  "++"
  "+="
  "<-"
  "<"
  "<<"
  "<<="
  "<="
  "="
  "=="
  ">"
  ">="
  ">>"
  ">>="
  "|"
  "|="
  "||"
  "~"
] @operator
