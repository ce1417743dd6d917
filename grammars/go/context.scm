; Go items for the context engine: @item.<kind> on each item, @body on the part after its
; header, @import on import declarations. Comments directly above an item are added to it
; by the engine.

(function_declaration
  body: (_)? @body) @item.function

(method_declaration
  body: (_)? @body) @item.method

; type T struct {...}: the header is `type T struct`.
; (The anchors keep a group of several specs out: it is a plain `type` item.)
(type_declaration
  .
  (type_spec
    type: (struct_type
      (field_declaration_list) @body))
  .) @item.struct

; type T interface {...}: the body starts at its first element.
(type_declaration
  .
  (type_spec
    type: (interface_type
      .
      (_) @body))
  .) @item.interface

(type_declaration
  .
  (type_spec
    type: (interface_type))
  .) @item.interface

; type ( A int; B string ): the header is `type`, each spec is a line of the body.
(type_declaration
  "(" @body) @item.type

(type_declaration
  "("
  [
    (type_spec)
    (type_alias)
  ] @item.type)

(type_declaration) @item.type

; Methods an interface requires
(method_elem) @item.method

(import_declaration) @import
