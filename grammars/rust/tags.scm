; Rust symbols for the context engine: what a file defines and what it uses.
; Adapted from tree-sitter-rust's queries/tags.scm. A name node captured by several
; patterns keeps the first pattern's kind, so specific patterns come before generic ones.
; Captures: @name, @definition.<kind>, @reference.<kind>.

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

(struct_item
  name: (type_identifier) @name) @definition.struct

(enum_item
  name: (type_identifier) @name) @definition.enum

(union_item
  name: (type_identifier) @name) @definition.union

; `type Output = T;` in an impl says what a trait's associated type is for one type: it is not
; a definition anyone looks up by name.
(impl_item
  body: (declaration_list
    (type_item
      name: (type_identifier) @name) @ignore))

(type_item
  name: (type_identifier) @name) @definition.type

(associated_type
  name: (type_identifier) @name) @definition.type

(trait_item
  name: (type_identifier) @name) @definition.interface

; Functions in an impl or trait body are methods; in an extern block, functions.
(foreign_mod_item
  body: (declaration_list
    (function_signature_item
      name: (identifier) @name) @definition.function))

(impl_item
  body: (declaration_list
    (function_item
      name: (identifier) @name) @definition.method))

(trait_item
  body: (declaration_list
    [
      (function_item name: (identifier) @name)
      (function_signature_item name: (identifier) @name)
    ] @definition.method))

(function_item
  name: (identifier) @name) @definition.function

(function_signature_item
  name: (identifier) @name) @definition.function

(mod_item
  name: (identifier) @name) @definition.module

(macro_definition
  name: (identifier) @name) @definition.macro

(const_item
  name: (identifier) @name) @definition.constant

(static_item
  name: (identifier) @name) @definition.constant

; ---------------------------------------------------------------------------
; References
; ---------------------------------------------------------------------------

(impl_item
  trait: [
    (type_identifier) @name
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: (type_identifier) @name)
    (generic_type type: (scoped_type_identifier name: (type_identifier) @name))
  ]) @reference.implementation

(impl_item
  type: [
    (type_identifier) @name
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: (type_identifier) @name)
    (generic_type type: (scoped_type_identifier name: (type_identifier) @name))
  ]
  !trait) @reference.implementation

; f(), path::f(), and the same with a turbofish: f::<T>()
(call_expression
  function: [
    (identifier) @name
    (scoped_identifier name: (identifier) @name)
    (generic_function
      function: [
        (identifier) @name
        (scoped_identifier name: (identifier) @name)
      ])
  ]) @reference.call

; x.f(), x.f::<T>(): a method of whatever type x has.
(call_expression
  function: [
    (field_expression field: (field_identifier) @name)
    (generic_function
      function: (field_expression field: (field_identifier) @name))
  ]) @reference.method

(macro_invocation
  macro: [
    (identifier) @name
    (scoped_identifier name: (identifier) @name)
  ]) @reference.macro

; Macro arguments are token trees, not expressions: `format!("{}", area(c))` would otherwise
; hide the call. An identifier followed by a parenthesised tree is a call; a capitalised one
; is a type or constructor.
(token_tree
  "."
  .
  (identifier) @name
  .
  (token_tree)) @reference.method

(token_tree
  (identifier) @name
  .
  (token_tree)) @reference.call

((token_tree
  (identifier) @name) @reference.type
  (#match? @name "^[A-Z]"))

; Type::new(), Type::CONST, Enum::Variant: the capitalised segment before the last one.
((scoped_identifier
  path: [
    (identifier) @name
    (scoped_identifier name: (identifier) @name)
    (generic_type type: (type_identifier) @name)
  ]) @reference.type
  (#match? @name "^[A-Z]")
  (#not-eq? @name "Self"))

; Struct expressions, signatures, bounds, casts, generics: every type name.
(type_identifier) @name @reference.type
