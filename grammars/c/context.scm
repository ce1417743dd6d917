; C items for the context engine: @item.<kind> on each item, @body on the part after its
; header, @import on #include. Comments directly above an item are added to it by the
; engine.

(function_definition
  body: (_) @body) @item.function

(struct_specifier
  body: (_) @body) @item.struct

(union_specifier
  body: (_) @body) @item.union

(enum_specifier
  body: (_) @body) @item.enum

; typedef struct {...} T;: the body is the struct's, so the header reads
; `typedef struct { … } T;`.
(type_definition
  type: (_
    body: (_) @body)) @item.type

(type_definition) @item.type

; #define F(a, b) body: the header is `#define F(a, b)`.
(preproc_function_def
  value: (_)? @body) @item.macro

(preproc_include) @import
