; C++ symbols for the context engine: what a file defines and what it uses.
; Adapted from tree-sitter-cpp's queries/tags.scm. A name node captured by several
; patterns keeps the first pattern's kind, so specific patterns come before generic ones.
; Captures: @name, @definition.<kind>, @reference.<kind>.

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

(function_declarator
  declarator: (identifier) @name) @definition.function

; Members declared or defined in a class body
(function_declarator
  declarator: (field_identifier) @name) @definition.method

; Out-of-line definitions: void Widget::draw() {...}
(function_declarator
  declarator: (qualified_identifier
    name: [
      (identifier) @name
      (qualified_identifier name: (identifier) @name)
    ])) @definition.method

(class_specifier
  name: (type_identifier) @name
  body: (_)) @definition.class

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

(alias_declaration
  name: (type_identifier) @name) @definition.type

(concept_definition
  name: (identifier) @name) @definition.type

(namespace_definition
  name: [
    (namespace_identifier) @name
    (nested_namespace_specifier (namespace_identifier) @name .)
  ]) @definition.module

(enumerator
  name: (identifier) @name) @definition.constant

(preproc_def
  name: (identifier) @name) @definition.constant

(preproc_function_def
  name: (identifier) @name) @definition.macro

; ---------------------------------------------------------------------------
; References
; ---------------------------------------------------------------------------

; f(), ns::f(), a::b::f(), obj.f(), p->f(), f<T>(), ns::f<T>(), obj.f<T>()
(call_expression
  function: [
    (identifier) @name
    (qualified_identifier name: (identifier) @name)
    (qualified_identifier name: (qualified_identifier name: (identifier) @name))
    (qualified_identifier
      name: (qualified_identifier name: (qualified_identifier name: (identifier) @name)))
    (field_expression field: (field_identifier) @name)
    (template_function name: (identifier) @name)
    (qualified_identifier name: (template_function name: (identifier) @name))
    (qualified_identifier
      name: (qualified_identifier name: (template_function name: (identifier) @name)))
    (field_expression field: (template_method name: (field_identifier) @name))
  ]) @reference.call

(base_class_clause
  [
    (type_identifier) @name
    (template_type name: (type_identifier) @name)
    (qualified_identifier name: (type_identifier) @name)
  ]) @reference.class

; Widget::create(), Color::Red: a capitalised scope is a class or enum.
((qualified_identifier
  scope: (namespace_identifier) @name) @reference.type
  (#match? @name "^[A-Z]"))

; Declarations, templates, casts, new: every type name.
(type_identifier) @name @reference.type
