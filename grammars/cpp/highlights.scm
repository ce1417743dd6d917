; C++ highlights.
; Kept in step with ../c: the shared parts are the same text.
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
[
  (string_literal)
  (raw_string_literal)
] @string
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

[
  "try"
  "catch"
  "throw"
] @keyword.control.exception

[
  "co_return"
  "co_yield"
] @keyword.control.return
"co_await" @keyword.control

[
  "using"
  "namespace"
] @keyword.control.import

[
  "class"
  "template"
  "typename"
  "concept"
] @keyword.storage.type

[
  "public"
  "private"
  "protected"
  "virtual"
  "override"
  "final"
  "explicit"
  "friend"
  "mutable"
  "consteval"
  "constinit"
  "noexcept"
] @keyword.storage.modifier

[
  "new"
  "delete"
  "decltype"
  "and"
  "and_eq"
  "bitand"
  "bitor"
  "compl"
  "not"
  "not_eq"
  "or"
  "or_eq"
  "xor"
  "xor_eq"
] @keyword.operator

[
  "operator"
  "requires"
  "static_assert"
] @keyword

(default_method_clause "default" @keyword)
(delete_method_clause "delete" @keyword)

; ---------------------------------------------------------------------------
; Functions
; ---------------------------------------------------------------------------

(function_declarator declarator: (identifier) @function)
(function_declarator declarator: (field_identifier) @function.method)
(function_declarator
  declarator: (qualified_identifier name: (identifier) @function.method))
(function_declarator
  declarator: (qualified_identifier
    name: (qualified_identifier name: (identifier) @function.method)))
(destructor_name
  "~" @function.method
  (identifier) @function.method)
(function_declarator declarator: (operator_name) @function.method)
(function_declarator
  declarator: (parenthesized_declarator
    (pointer_declarator declarator: (identifier) @function)))

((call_expression function: (identifier) @function.macro)
  (#match? @function.macro "^[A-Z][A-Z\\d_]+$"))
(call_expression function: (identifier) @function)
(call_expression
  function: (qualified_identifier name: (identifier) @function))
(call_expression
  function: (qualified_identifier
    name: (qualified_identifier name: (identifier) @function)))
(call_expression
  function: (field_expression field: (field_identifier) @function.method))
(template_function name: (identifier) @function)
(template_method name: (field_identifier) @function.method)

; ---------------------------------------------------------------------------
; Types, namespaces
; ---------------------------------------------------------------------------

(auto) @type.builtin
(this) @variable.builtin
(namespace_identifier) @namespace
(using_declaration "namespace" (identifier) @namespace)
(concept_definition name: (identifier) @type)
(literal_suffix) @constant.numeric

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
(parameter_declaration
  declarator: (reference_declarator (identifier) @variable.parameter))
(optional_parameter_declaration declarator: (identifier) @variable.parameter)
(optional_parameter_declaration
  declarator: (reference_declarator (identifier) @variable.parameter))
(variadic_parameter_declaration
  declarator: (variadic_declarator (identifier) @variable.parameter))

(template_argument_list
  [
    "<"
    ">"
  ] @punctuation.bracket)
(template_parameter_list
  [
    "<"
    ">"
  ] @punctuation.bracket)

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
  "<=>"
  "->*"
  ".*"
] @operator
