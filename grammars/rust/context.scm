; Rust items for the context engine: @item.<kind> on each item, @body on the part after
; its header, @import on use declarations. Doc comments and attributes directly above an
; item are added to it by the engine.

; Functions in an impl or trait body are methods.
(impl_item
  body: (declaration_list
    (function_item
      body: (_) @body) @item.method))

(trait_item
  body: (declaration_list
    (function_item
      body: (_) @body) @item.method))

(trait_item
  body: (declaration_list
    (function_signature_item) @item.method))

(function_item
  body: (_) @body) @item.function

(function_signature_item) @item.function

(impl_item
  body: (_)? @body) @item.impl

(trait_item
  body: (_) @body) @item.trait

(struct_item
  body: (_)? @body) @item.struct

(union_item
  body: (_) @body) @item.union

(enum_item
  body: (_) @body) @item.enum

(mod_item
  body: (_)? @body) @item.module

; macro_rules! m { rules }: the header is `macro_rules! m {` (the engine takes the first
; rule as the body).
(macro_definition
  (macro_rule) @body) @item.macro

(macro_definition) @item.macro

(type_item) @item.type

; The value is the body, so that a long table's signature stays its name and type.
(const_item
  value: (_)? @body) @item.constant

(static_item
  value: (_)? @body) @item.constant

(foreign_mod_item
  body: (_)? @body) @item.module

(use_declaration) @import

(extern_crate_declaration) @import
