; Python items for the context engine: @item.<kind> on each item, @body on the part after
; its header, @import on import statements. Comments and decorators directly above an
; item are added to it by the engine.

; Functions in a class body (decorated or not) are methods.
(class_definition
  body: (block
    (function_definition
      body: (_) @body) @item.method))

(class_definition
  body: (block
    (decorated_definition
      definition: (function_definition
        body: (_) @body) @item.method)))

(function_definition
  body: (_) @body) @item.function

(class_definition
  body: (_) @body) @item.class

(import_statement) @import

(import_from_statement) @import

(future_import_statement) @import
