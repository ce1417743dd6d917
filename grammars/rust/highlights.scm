; Rust highlights.
; For the same node the first matching pattern wins, so the specific patterns
; (builtins, conventions, definitions) come before the generic ones at the end.

; ---------------------------------------------------------------------------
; Comments, attributes, literals
; ---------------------------------------------------------------------------

(line_comment (doc_comment)) @comment.documentation
(block_comment (doc_comment)) @comment.documentation
[
  (line_comment)
  (block_comment)
] @comment

(shebang) @keyword.directive

(attribute_item) @attribute
(inner_attribute_item) @attribute
; derive(Trait, ...) names traits
(attribute
  (identifier) @_derive
  arguments: (token_tree (identifier) @type)
  (#eq? @_derive "derive"))
(attribute (identifier) @attribute)
(attribute (scoped_identifier name: (identifier) @attribute))
(attribute (scoped_identifier path: (identifier) @namespace))

(escape_sequence) @constant.character.escape
(char_literal) @constant.character
[
  (string_literal)
  (raw_string_literal)
] @string
(boolean_literal) @constant.builtin.boolean
[
  (integer_literal)
  (float_literal)
] @constant.numeric

; ---------------------------------------------------------------------------
; Keywords
; ---------------------------------------------------------------------------

[
  "if"
  "else"
  "match"
] @keyword.control.conditional

(for_expression "for" @keyword.control.repeat)
[
  "loop"
  "while"
  "in"
  "break"
  "continue"
] @keyword.control.repeat

[
  "return"
  "yield"
] @keyword.control.return

"try" @keyword.control.exception
"await" @keyword.control

"use" @keyword.control.import
(mod_item "mod" @keyword.control.import !body)
(extern_crate_declaration "extern" @keyword.control.import)
(extern_crate_declaration (crate) @keyword.control.import)
(use_as_clause "as" @keyword.control.import)
"as" @keyword.operator

[
  "fn"
  "macro_rules!"
] @keyword.function

"let" @keyword.storage

[
  "struct"
  "enum"
  "union"
  "trait"
  "type"
] @keyword.storage.type

[
  "const"
  "static"
  "pub"
  "ref"
  "move"
  "dyn"
  "unsafe"
  "async"
  "extern"
  "default"
  (mutable_specifier)
] @keyword.storage.modifier

[
  "mod"
  "impl"
  "where"
  "for"
  "gen"
  "raw"
  (crate)
  (super)
] @keyword

; ---------------------------------------------------------------------------
; Builtins and naming conventions
; ---------------------------------------------------------------------------

(self) @variable.builtin

((identifier) @type.builtin
  (#eq? @type.builtin "Self"))
((type_identifier) @type.builtin
  (#eq? @type.builtin "Self"))

((identifier) @type.enum.variant
  (#any-of? @type.enum.variant "Some" "None" "Ok" "Err"))

((identifier) @constant
  (#match? @constant "^[A-Z][A-Z\\d_]+$"))

(enum_variant name: (identifier) @type.enum.variant)

(lifetime "'" @label (identifier) @label)
(label "'" @label (identifier) @label)

; ---------------------------------------------------------------------------
; Functions and macros
; ---------------------------------------------------------------------------

(impl_item
  body: (declaration_list
    (function_item name: (identifier) @function.method)))
(trait_item
  body: (declaration_list
    [
      (function_item name: (identifier) @function.method)
      (function_signature_item name: (identifier) @function.method)
    ]))
(function_item name: (identifier) @function)
(function_signature_item name: (identifier) @function)

(macro_definition name: (identifier) @function.macro)
(macro_invocation
  macro: (identifier) @function.macro
  "!" @function.macro)
(macro_invocation
  macro: (scoped_identifier name: (identifier) @function.macro)
  "!" @function.macro)
(metavariable) @variable.parameter
(fragment_specifier) @type

; Tuple structs and enum variants called like functions
(call_expression
  function: [
    (identifier) @constructor
    (scoped_identifier name: (identifier) @constructor)
  ]
  (#match? @constructor "^[A-Z]"))

(call_expression function: (identifier) @function)
(call_expression function: (scoped_identifier name: (identifier) @function))
(call_expression function: (field_expression field: (field_identifier) @function.method))
(generic_function function: (identifier) @function)
(generic_function function: (scoped_identifier name: (identifier) @function))
(generic_function function: (field_expression field: (field_identifier) @function.method))

; Patterns that name a variant or struct
(tuple_struct_pattern
  type: [
    (identifier) @constructor
    (scoped_identifier name: (identifier) @constructor)
  ])
(struct_pattern
  type: [
    (type_identifier) @constructor
    (scoped_type_identifier name: (type_identifier) @constructor)
  ])
(match_pattern (scoped_identifier name: (identifier) @constructor))

; ---------------------------------------------------------------------------
; Types and paths
; ---------------------------------------------------------------------------

(primitive_type) @type.builtin

((identifier) @type
  (#match? @type "^[A-Z]"))

(mod_item name: (identifier) @namespace)
(extern_crate_declaration name: (identifier) @namespace)
(use_declaration argument: (identifier) @namespace)
(use_declaration argument: (scoped_identifier name: (identifier) @namespace))
(use_as_clause alias: (identifier) @namespace)
(use_as_clause path: (identifier) @namespace)
(use_as_clause path: (scoped_identifier name: (identifier) @namespace))
(use_list (identifier) @namespace)
(use_list (scoped_identifier name: (identifier) @namespace))
(use_wildcard (identifier) @namespace)
(scoped_use_list path: (identifier) @namespace)
(scoped_use_list path: (scoped_identifier name: (identifier) @namespace))
(scoped_identifier path: (identifier) @namespace)
(scoped_identifier path: (scoped_identifier name: (identifier) @namespace))
(scoped_type_identifier path: (identifier) @namespace)
(scoped_type_identifier path: (scoped_identifier name: (identifier) @namespace))

(type_identifier) @type

; ---------------------------------------------------------------------------
; Variables, parameters, fields
; ---------------------------------------------------------------------------

(parameter pattern: (identifier) @variable.parameter)
(parameter pattern: (mut_pattern (identifier) @variable.parameter))
(parameter pattern: (tuple_pattern (identifier) @variable.parameter))
(closure_parameters (identifier) @variable.parameter)

(shorthand_field_initializer (identifier) @variable.other.member)
(shorthand_field_identifier) @variable.other.member
(field_identifier) @variable.other.member

(identifier) @variable

; ---------------------------------------------------------------------------
; Punctuation and operators
; ---------------------------------------------------------------------------

(type_arguments
  [
    "<"
    ">"
  ] @punctuation.bracket)
(type_parameters
  [
    "<"
    ">"
  ] @punctuation.bracket)
(closure_parameters "|" @punctuation.bracket)

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  "::"
  ":"
  "."
  ","
  ";"
] @punctuation.delimiter

"$" @punctuation.special

(never_type) @type.builtin

; "!" and "/" also occur inside doc comment markers, so only these uses count.
(unary_expression "!" @operator)
(binary_expression "/" @operator)
(compound_assignment_expr "/=" @operator)
(token_tree
  [
    "!"
    "/"
  ] @operator)

[
  "!="
  "%"
  "%="
  "&"
  "&&"
  "&="
  "*"
  "*="
  "+"
  "+="
  "-"
  "-="
  "->"
  ".."
  "..."
  "..="
  "<"
  "<<"
  "<<="
  "<="
  "="
  "=="
  "=>"
  ">"
  ">="
  ">>"
  ">>="
  "?"
  "@"
  "^"
  "^="
  "|"
  "|="
  "||"
] @operator
