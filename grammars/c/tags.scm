; C symbols for the context engine: what a file defines and what it uses.
; Adapted from tree-sitter-c's queries/tags.scm. A name node captured by several patterns
; keeps the first pattern's kind, so specific patterns come before generic ones.
; Captures: @name, @definition.<kind>, @reference.<kind>.

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

; Function definitions and prototypes (headers declare what other files call).
(function_declarator
  declarator: (identifier) @name) @definition.function

(struct_specifier
  name: (type_identifier) @name
  body: (_)) @definition.struct

(union_specifier
  name: (type_identifier) @name
  body: (_)) @definition.union

(enum_specifier
  name: (type_identifier) @name
  body: (_)) @definition.enum

(type_definition
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
  ]) @definition.type

(enumerator
  name: (identifier) @name) @definition.constant

(preproc_def
  name: (identifier) @name) @definition.constant

(preproc_function_def
  name: (identifier) @name) @definition.macro

; ---------------------------------------------------------------------------
; References
; ---------------------------------------------------------------------------

; f(), s.f(), p->f() (the last two through function pointers)
(call_expression
  function: [
    (identifier) @name
    (field_expression field: (field_identifier) @name)
  ]) @reference.call

; Declarations, casts, sizeof, struct tags: every type name.
(type_identifier) @name @reference.type
