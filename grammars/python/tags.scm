; Python symbols for the context engine: what a file defines and what it uses.
; Adapted from tree-sitter-python's queries/tags.scm. A name node captured by several
; patterns keeps the first pattern's kind, so specific patterns come before generic ones.
; Captures: @name, @definition.<kind>, @reference.<kind>.

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

(class_definition
  name: (identifier) @name) @definition.class

; Functions in a class body (decorated or not) are methods.
(class_definition
  body: (block
    (function_definition
      name: (identifier) @name) @definition.method))

(class_definition
  body: (block
    (decorated_definition
      definition: (function_definition
        name: (identifier) @name) @definition.method)))

(function_definition
  name: (identifier) @name) @definition.function

; Module-level assignments: constants and module attributes.
(module
  (expression_statement
    (assignment
      left: (identifier) @name) @definition.constant))

(type_alias_statement
  left: (type (identifier) @name)) @definition.type

; ---------------------------------------------------------------------------
; References
; ---------------------------------------------------------------------------

(class_definition
  superclasses: (argument_list
    [
      (identifier) @name
      (attribute attribute: (identifier) @name)
    ] @reference.class))

; f(), obj.f(), module.f()
(call
  function: [
    (identifier) @name
    (attribute attribute: (identifier) @name)
  ]) @reference.call

; @decorator without arguments (with arguments it is a call)
(decorator
  [
    (identifier) @name
    (attribute attribute: (identifier) @name)
  ]) @reference.call

; Annotations: x: Foo, -> mod.Foo, list[Foo]; not the builtin types, which no file defines.
((type
  [
    (identifier) @name
    (generic_type (identifier) @name)
  ]) @reference.type
  (#not-any-of? @name
    "int" "float" "complex" "bool" "str" "bytes" "bytearray" "object" "type"
    "list" "dict" "set" "frozenset" "tuple"))

(type
  (attribute
    attribute: (identifier) @name)) @reference.type
