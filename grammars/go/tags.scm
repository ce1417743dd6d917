; Go symbols for the context engine: what a file defines and what it uses.
; Adapted from tree-sitter-go's queries/tags.scm, without its doc-comment predicates (the
; engine attaches comments to items itself). A name node captured by several patterns
; keeps the first pattern's kind, so specific patterns come before generic ones.
; Captures: @name, @definition.<kind>, @reference.<kind>.

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

(function_declaration
  name: (identifier) @name) @definition.function

(method_declaration
  name: (field_identifier) @name) @definition.method

(type_spec
  name: (type_identifier) @name
  type: (struct_type)) @definition.struct

(type_spec
  name: (type_identifier) @name
  type: (interface_type)) @definition.interface

(type_spec
  name: (type_identifier) @name) @definition.type

(type_alias
  name: (type_identifier) @name) @definition.type

; Methods an interface requires
(method_elem
  name: (field_identifier) @name) @definition.method

(const_spec
  name: (identifier) @name) @definition.constant

; Package-level variables
(source_file
  (var_declaration
    [
      (var_spec name: (identifier) @name)
      (var_spec_list (var_spec name: (identifier) @name))
    ] @definition.variable))

; ---------------------------------------------------------------------------
; References
; ---------------------------------------------------------------------------

; f(), pkg.F(), x.M(), (f)(), f[T]()
(call_expression
  function: [
    (identifier) @name
    (parenthesized_expression (identifier) @name)
    (selector_expression field: (field_identifier) @name)
    (parenthesized_expression (selector_expression field: (field_identifier) @name))
    (index_expression operand: (identifier) @name)
    (index_expression operand: (selector_expression field: (field_identifier) @name))
    (generic_type type: (type_identifier) @name)
  ]) @reference.call

; Signatures, fields, literals, conversions, embedded types: every type name but the
; predeclared ones, which no file defines.
((type_identifier) @name @reference.type
  (#not-any-of? @name
    "any" "bool" "byte" "comparable" "complex64" "complex128" "error" "float32" "float64"
    "int" "int8" "int16" "int32" "int64" "rune" "string"
    "uint" "uint8" "uint16" "uint32" "uint64" "uintptr"))
