; Bash items for the context engine: @item.<kind> on each function, @body on the part
; after its header, @import on `source FILE` and `. FILE`. Comments directly above a
; function are added to it by the engine.

(function_definition
  body: (_) @body) @item.function

((command
  name: (command_name
    (word) @_command)) @import
  (#any-of? @_command "source" "."))
