; C highlights.
; Kept in step with ../cpp: the shared parts are the same text.
; For the same node the first matching pattern wins, so the specific patterns
; (builtins, conventions, definitions) come before the generic ones at the end.

; ---------------------------------------------------------------------------
; Comments, preprocessor, literals
; ---------------------------------------------------------------------------

((comment) @comment.documentation
  (#match? @comment.documentation "^(///[^/]|///$|//!|/\\*\\*[^*/]|/\\*!)"))
(comment) @comment

[
  "#include"
  "#define"
  "#if"
  "#ifdef"
  "#ifndef"
  "#else"
  "#elif"
  "#elifdef"
  "#elifndef"
  "#endif"
  "defined"
  (preproc_directive)
] @keyword.directive

(preproc_include path: (string_literal) @string.special.path)
(system_lib_string) @string.special.path
(preproc_def name: (identifier) @constant)
(preproc_function_def name: (identifier) @function.macro)
(preproc_params (identifier) @variable.parameter)
(preproc_ifdef name: (identifier) @constant)
(preproc_defined (identifier) @constant)

(escape_sequence) @constant.character.escape
(char_literal) @constant.character
(string_literal) @string
(number_literal) @constant.numeric
[
  (true)
  (false)
] @constant.builtin.boolean
(null) @constant.builtin

; ---------------------------------------------------------------------------
; Keywords
; ---------------------------------------------------------------------------

[
  "if"
  "else"
  "switch"
  "case"
] @keyword.control.conditional
(case_statement "default" @keyword.control.conditional)

[
  "for"
  "while"
  "do"
  "break"
  "continue"
] @keyword.control.repeat

[
  "return"
  "goto"
] @keyword.control.return

[
  "struct"
  "union"
  "enum"
  "typedef"
] @keyword.storage.type

[
  "static"
  "extern"
  "const"
  "volatile"
  "restrict"
  "inline"
  "register"
  "thread_local"
  "constexpr"
  "_Atomic"
  "_Noreturn"
  "noreturn"
  "__inline"
  "__inline__"
  "__forceinline"
  "__thread"
  "__restrict__"
  "__extension__"
  "_Nonnull"
] @keyword.storage.modifier

[
  "sizeof"
  "offsetof"
  "alignof"
  "_Alignof"
  "__alignof__"
  "_Generic"
] @keyword.operator

[
  "asm"
  "__asm__"
  "__asm"
  "__volatile__"
] @keyword

[
  "__attribute__"
  "__attribute"
  "__declspec"
  "alignas"
  "_Alignas"
] @attribute
(attribute_declaration) @attribute
(attribute name: (identifier) @attribute)
(attribute prefix: (identifier) @namespace)
"auto" @keyword.storage.modifier

; ---------------------------------------------------------------------------
; Functions
; ---------------------------------------------------------------------------

(function_declarator declarator: (identifier) @function)
(function_declarator
  declarator: (parenthesized_declarator
    (pointer_declarator declarator: (identifier) @function)))

((call_expression function: (identifier) @function.macro)
  (#match? @function.macro "^[A-Z][A-Z\\d_]+$"))
(call_expression function: (identifier) @function)
(call_expression
  function: (field_expression field: (field_identifier) @function))

(primitive_type) @type.builtin
(sized_type_specifier) @type.builtin
(type_identifier) @type
(enumerator name: (identifier) @constant)
((identifier) @constant
  (#match? @constant "^_*[A-Z][A-Z\\d_]+$"))
(statement_identifier) @label

; ---------------------------------------------------------------------------
; Parameters, fields, variables
; ---------------------------------------------------------------------------

(parameter_declaration declarator: (identifier) @variable.parameter)
(parameter_declaration
  declarator: (pointer_declarator declarator: (identifier) @variable.parameter))
(parameter_declaration
  declarator: (pointer_declarator
    declarator: (pointer_declarator declarator: (identifier) @variable.parameter)))
(parameter_declaration
  declarator: (array_declarator declarator: (identifier) @variable.parameter))

(field_identifier) @variable.other.member
(identifier) @variable

; ---------------------------------------------------------------------------
; Punctuation and operators
; ---------------------------------------------------------------------------

(conditional_expression
  [
    "?"
    ":"
  ] @operator)

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
  "::"
] @punctuation.delimiter

[
  "--"
  "-"
  "-="
  "->"
  "="
  "!="
  "*"
  "&"
  "&&"
  "+"
  "++"
  "+="
  "<"
  "=="
  ">"
  "||"
  "!"
  "%"
  "%="
  "&="
  "*="
  "/"
  "/="
  "<<"
  "<<="
  "<="
  ">="
  ">>"
  ">>="
  "^"
  "^="
  "|"
  "|="
  "~"
  "..."
] @operator
