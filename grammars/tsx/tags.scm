; TSX symbols for the context engine: what a file defines and what it uses.
; Adapted from tree-sitter-javascript's and tree-sitter-typescript's queries/tags.scm
; (the TypeScript grammar extends the JavaScript one, and its tags only add the TypeScript
; constructs), without their doc-comment predicates: the engine attaches comments to items
; itself. A name node captured by several patterns keeps the first pattern's kind, so
; specific patterns come before generic ones.
; Captures: @name, @definition.<kind>, @reference.<kind>.

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

((method_definition
  name: (property_identifier) @name) @definition.method
  (#not-eq? @name "constructor"))

[
  (class
    name: (_) @name)
  (class_declaration
    name: (_) @name)
] @definition.class

[
  (function_expression
    name: (identifier) @name)
  (function_declaration
    name: (identifier) @name)
  (generator_function
    name: (identifier) @name)
  (generator_function_declaration
    name: (identifier) @name)
] @definition.function

(lexical_declaration
  (variable_declarator
    name: (identifier) @name
    value: [(arrow_function) (function_expression)]) @definition.function)

(variable_declaration
  (variable_declarator
    name: (identifier) @name
    value: [(arrow_function) (function_expression)]) @definition.function)

(assignment_expression
  left: [
    (identifier) @name
    (member_expression
      property: (property_identifier) @name)
  ]
  right: [(arrow_function) (function_expression)]) @definition.function

(pair
  key: (property_identifier) @name
  value: [(arrow_function) (function_expression)]) @definition.function

; Top-level constants with a literal-like value (not `const x = require("x")`, an import)
(program
  (lexical_declaration
    kind: "const"
    (variable_declarator
      name: (identifier) @name
      value: [
        (number) (string) (template_string) (true) (false) (null) (regex)
        (object) (array) (new_expression) (binary_expression) (unary_expression)
        (member_expression) (identifier)
      ]) @definition.constant))

(program
  (export_statement
    declaration: (lexical_declaration
      kind: "const"
      (variable_declarator
        name: (identifier) @name
        value: [
          (number) (string) (template_string) (true) (false) (null) (regex)
          (object) (array) (new_expression) (binary_expression) (unary_expression)
          (member_expression) (identifier)
        ]) @definition.constant)))

(export_statement
  value: (assignment_expression
    left: (identifier) @name
    right: [
      (number)
      (string)
      (identifier)
      (undefined)
      (null)
      (new_expression)
      (binary_expression)
      (call_expression)
    ])) @definition.constant

; TypeScript declarations

(function_signature
  name: (identifier) @name) @definition.function

[
  (method_signature
    name: (property_identifier) @name)
  (abstract_method_signature
    name: (property_identifier) @name)
] @definition.method

(abstract_class_declaration
  name: (type_identifier) @name) @definition.class

(interface_declaration
  name: (type_identifier) @name) @definition.interface

(type_alias_declaration
  name: (type_identifier) @name) @definition.type

(enum_declaration
  name: (identifier) @name) @definition.enum

[
  (module
    name: [
      (identifier) @name
      (nested_identifier (identifier) @name .)
    ])
  (internal_module
    name: [
      (identifier) @name
      (nested_identifier (identifier) @name .)
    ])
] @definition.module

; ---------------------------------------------------------------------------
; References
; ---------------------------------------------------------------------------

((call_expression
  function: (identifier) @name) @reference.call
  (#not-eq? @name "require"))

(call_expression
  function: (member_expression
    property: (property_identifier) @name)) @reference.call

(new_expression
  constructor: [
    (identifier) @name
    (member_expression property: (property_identifier) @name)
  ]) @reference.class

; class A extends B implements C
(extends_clause
  value: [
    (identifier) @name
    (member_expression property: (property_identifier) @name)
  ]) @reference.class

(implements_clause
  [
    (type_identifier) @name
    (generic_type name: (type_identifier) @name)
    (nested_type_identifier name: (type_identifier) @name)
  ]) @reference.implementation

; JSX components (capitalised; lower-case names are HTML elements)
((jsx_opening_element
  name: [
    (identifier) @name
    (member_expression property: (property_identifier) @name)
  ]) @reference.class
  (#match? @name "^[A-Z]"))

((jsx_self_closing_element
  name: [
    (identifier) @name
    (member_expression property: (property_identifier) @name)
  ]) @reference.class
  (#match? @name "^[A-Z]"))

; Annotations, generics, extends, casts: every type name.
(type_identifier) @name @reference.type
