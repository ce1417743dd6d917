; C++ items for the context engine: @item.<kind> on each item, @body on the part after
; its header, @import on #include and using. Comments and template headers directly
; above an item are added to it by the engine.

; Functions defined in a class body are methods.
(field_declaration_list
  (function_definition
    body: (_)? @body) @item.method)

(field_declaration_list
  (template_declaration
    (function_definition
      body: (_)? @body) @item.method))

(function_definition
  body: (_)? @body) @item.function

; Member functions declared in a class body
(field_declaration_list
  (field_declaration
    declarator: (function_declarator)) @item.method)

(field_declaration_list
  (declaration
    declarator: (function_declarator)) @item.method)

(class_specifier
  body: (_) @body) @item.class

(struct_specifier
  body: (_) @body) @item.struct

(union_specifier
  body: (_) @body) @item.union

(enum_specifier
  body: (_) @body) @item.enum

(namespace_definition
  body: (_) @body) @item.namespace

; typedef struct {...} T;: the body is the struct's, so the header reads
; `typedef struct { … } T;`.
(type_definition
  type: (_
    body: (_) @body)) @item.type

(type_definition) @item.type

(alias_declaration) @item.type

(concept_definition) @item.type

; #define F(a, b) body: the header is `#define F(a, b)`.
(preproc_function_def
  value: (_)? @body) @item.macro

(preproc_include) @import

(using_declaration) @import

(namespace_alias_definition) @import
