; TypeScript items for the context engine: @item.<kind> on each item, @body on the part
; after its header, @import on import statements and require() declarations. Comments
; and decorators directly above an item are added to it by the engine.

[
  (function_declaration body: (_) @body)
  (generator_function_declaration body: (_) @body)
] @item.function

(class_declaration
  body: (_) @body) @item.class

(method_definition
  body: (_) @body) @item.method

; const f = () => {...}, const f = function () {...}
(lexical_declaration
  (variable_declarator
    value: [
      (arrow_function body: (statement_block) @body)
      (function_expression body: (_) @body)
    ])) @item.function

(variable_declaration
  (variable_declarator
    value: [
      (arrow_function body: (statement_block) @body)
      (function_expression body: (_) @body)
    ])) @item.function

; TypeScript declarations

(abstract_class_declaration
  body: (_) @body) @item.class

(interface_declaration
  body: (_) @body) @item.interface

(enum_declaration
  body: (_) @body) @item.enum

(type_alias_declaration) @item.type

[
  (module body: (_)? @body)
  (internal_module body: (_)? @body)
] @item.module

; Overload signatures, declare function, interface and abstract members
(function_signature) @item.function

[
  (method_signature)
  (abstract_method_signature)
] @item.method

(import_statement) @import

; const x = require("x")
((lexical_declaration
  (variable_declarator
    value: (call_expression
      function: (identifier) @_require))) @import
  (#eq? @_require "require"))

((variable_declaration
  (variable_declarator
    value: (call_expression
      function: (identifier) @_require))) @import
  (#eq? @_require "require"))
