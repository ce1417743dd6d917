; JavaScript items for the context engine: @item.<kind> on each item, @body on the part
; after its header, @import on import statements and require() declarations. Comments
; directly above an item are added to it by the engine.

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
