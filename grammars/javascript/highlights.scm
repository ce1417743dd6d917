; JavaScript (and JSX) highlights.
; Kept in step with ../typescript and ../tsx: the shared parts are the same text.
; For the same node the first matching pattern wins, so the specific patterns
; (builtins, conventions, definitions) come before the generic ones at the end.

; ---------------------------------------------------------------------------
; Comments and literals
; ---------------------------------------------------------------------------

(hash_bang_line) @keyword.directive

((comment) @comment.documentation
  (#match? @comment.documentation "^/\\*\\*"))
[
  (comment)
  (html_comment)
] @comment

(escape_sequence) @constant.character.escape
(regex "/" @string.regexp)
(regex) @string.regexp
(template_substitution
  "${" @punctuation.special
  "}" @punctuation.special)
[
  (string)
  (template_string)
] @string
(number) @constant.numeric
[
  (true)
  (false)
] @constant.builtin.boolean
[
  (null)
  (undefined)
] @constant.builtin
[
  (this)
  (super)
] @variable.builtin
(meta_property "new" @variable.builtin)
(meta_property) @variable.builtin

; ---------------------------------------------------------------------------
; Keywords
; ---------------------------------------------------------------------------

[
  "if"
  "else"
  "switch"
  "case"
] @keyword.control.conditional
(switch_default "default" @keyword.control.conditional)

(for_in_statement
  [
    "in"
    "of"
  ] @keyword.control.repeat)
[
  "for"
  "while"
  "do"
  "break"
  "continue"
] @keyword.control.repeat

[
  "return"
  "yield"
] @keyword.control.return
"await" @keyword.control

[
  "try"
  "catch"
  "finally"
  "throw"
] @keyword.control.exception

(import_specifier "as" @keyword.control.import)
(export_specifier "as" @keyword.control.import)
(namespace_import "as" @keyword.control.import)
(namespace_export "as" @keyword.control.import)
(export_statement "default" @keyword.control.import)
(import) @keyword.control.import
[
  "import"
  "export"
  "from"
] @keyword.control.import

"function" @keyword.function
(generator_function_declaration "*" @keyword.function)
(generator_function "*" @keyword.function)

[
  "var"
  "let"
  "const"
  "using"
] @keyword.storage
"class" @keyword.storage.type
[
  "async"
  "static"
  "get"
  "set"
] @keyword.storage.modifier

[
  "new"
  "delete"
  "typeof"
  "instanceof"
  "in"
] @keyword.operator
(unary_expression "void" @keyword.operator)

[
  "extends"
  "debugger"
  "with"
  "as"
] @keyword

; ---------------------------------------------------------------------------
; JSX
; ---------------------------------------------------------------------------

(jsx_opening_element
  [
    "<"
    ">"
  ] @punctuation.bracket)
(jsx_closing_element
  [
    "</"
    ">"
  ] @punctuation.bracket)
(jsx_self_closing_element
  [
    "<"
    "/>"
  ] @punctuation.bracket)
(jsx_opening_element name: (identifier) @tag)
(jsx_closing_element name: (identifier) @tag)
(jsx_self_closing_element name: (identifier) @tag)
(jsx_opening_element
  name: (member_expression
    object: (identifier) @tag
    property: (property_identifier) @tag))
(jsx_closing_element
  name: (member_expression
    object: (identifier) @tag
    property: (property_identifier) @tag))
(jsx_self_closing_element
  name: (member_expression
    object: (identifier) @tag
    property: (property_identifier) @tag))
(jsx_opening_element name: (jsx_namespace_name (identifier) @tag))
(jsx_closing_element name: (jsx_namespace_name (identifier) @tag))
(jsx_self_closing_element name: (jsx_namespace_name (identifier) @tag))
(jsx_attribute (property_identifier) @attribute)
(jsx_attribute (jsx_namespace_name (identifier) @attribute))
(jsx_expression
  "{" @punctuation.special
  "}" @punctuation.special)
(html_character_reference) @constant.character.escape

; ---------------------------------------------------------------------------
; Decorators
; ---------------------------------------------------------------------------

(decorator "@" @attribute)
(decorator (identifier) @attribute)
(decorator (member_expression (identifier) @attribute))
(decorator (member_expression property: (property_identifier) @attribute))
(decorator (call_expression function: (identifier) @attribute))
(decorator (call_expression function: (member_expression (identifier) @attribute)))
(decorator
  (call_expression
    function: (member_expression property: (property_identifier) @attribute)))

; ---------------------------------------------------------------------------
; Functions
; ---------------------------------------------------------------------------

(method_definition
  name: (property_identifier) @constructor
  (#eq? @constructor "constructor"))
(method_definition
  name: [
    (property_identifier)
    (private_property_identifier)
  ] @function.method)
(function_declaration name: (identifier) @function)
(function_expression name: (identifier) @function)
(generator_function_declaration name: (identifier) @function)
(generator_function name: (identifier) @function)
(variable_declarator
  name: (identifier) @function
  value: [
    (function_expression)
    (arrow_function)
    (generator_function)
  ])
(assignment_expression
  left: (identifier) @function
  right: [
    (function_expression)
    (arrow_function)
  ])
(assignment_expression
  left: (member_expression property: (property_identifier) @function.method)
  right: [
    (function_expression)
    (arrow_function)
  ])
(pair
  key: (property_identifier) @function.method
  value: [
    (function_expression)
    (arrow_function)
  ])

(new_expression constructor: (identifier) @constructor)
(new_expression
  constructor: (member_expression property: (property_identifier) @constructor))
(call_expression
  function: (identifier) @function.builtin
  (#eq? @function.builtin "require"))
(call_expression function: (identifier) @function)
(call_expression
  function: (member_expression
    property: [
      (property_identifier)
      (private_property_identifier)
    ] @function.method))

(class_declaration name: (identifier) @type)
(class name: (identifier) @type)

; ---------------------------------------------------------------------------
; Builtins and naming conventions
; ---------------------------------------------------------------------------

((identifier) @variable.builtin
  (#any-of? @variable.builtin
    "arguments" "module" "exports" "console" "window" "document" "globalThis"
    "process" "require"))

((identifier) @type.builtin
  (#any-of? @type.builtin
    "Object" "Array" "Function" "Promise" "Map" "Set" "WeakMap" "WeakSet"
    "Symbol" "Error" "TypeError" "RangeError" "JSON" "Math" "Date" "RegExp"
    "Number" "String" "Boolean" "BigInt" "Reflect" "Proxy" "Intl"))

([
  (identifier)
  (shorthand_property_identifier)
  (shorthand_property_identifier_pattern)
] @constant
  (#match? @constant "^_*[A-Z][A-Z\\d_]+$"))

((identifier) @type
  (#match? @type "^[A-Z]"))

; ---------------------------------------------------------------------------
; Parameters, properties, variables
; ---------------------------------------------------------------------------

(formal_parameters (identifier) @variable.parameter)
(formal_parameters (rest_pattern (identifier) @variable.parameter))
(formal_parameters (assignment_pattern left: (identifier) @variable.parameter))
(formal_parameters (array_pattern (identifier) @variable.parameter))
(formal_parameters
  (object_pattern (shorthand_property_identifier_pattern) @variable.parameter))
(formal_parameters
  (object_pattern (pair_pattern value: (identifier) @variable.parameter)))
(formal_parameters
  (assignment_pattern
    left: (object_pattern (shorthand_property_identifier_pattern) @variable.parameter)))
(formal_parameters
  (assignment_pattern
    left: (object_pattern (pair_pattern value: (identifier) @variable.parameter))))
(formal_parameters
  (object_pattern
    (object_assignment_pattern
      left: (shorthand_property_identifier_pattern) @variable.parameter)))
(formal_parameters
  (assignment_pattern
    left: (object_pattern
      (object_assignment_pattern
        left: (shorthand_property_identifier_pattern) @variable.parameter))))
(arrow_function parameter: (identifier) @variable.parameter)
(catch_clause parameter: (identifier) @variable.parameter)

(property_identifier) @variable.other.member
(private_property_identifier) @variable.other.member
(shorthand_property_identifier) @variable.other.member
(shorthand_property_identifier_pattern) @variable
(statement_identifier) @label

(identifier) @variable

; ---------------------------------------------------------------------------
; Punctuation and operators
; ---------------------------------------------------------------------------

(ternary_expression
  [
    "?"
    ":"
  ] @operator)

[
  ";"
  "."
  ","
  ":"
  (optional_chain)
] @punctuation.delimiter

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  "-"
  "--"
  "-="
  "+"
  "++"
  "+="
  "*"
  "*="
  "**"
  "**="
  "/"
  "/="
  "%"
  "%="
  "<"
  "<="
  "<<"
  "<<="
  "="
  "=="
  "==="
  "!"
  "!="
  "!=="
  "=>"
  ">"
  ">="
  ">>"
  ">>="
  ">>>"
  ">>>="
  "~"
  "^"
  "&"
  "|"
  "^="
  "&="
  "|="
  "&&"
  "||"
  "??"
  "&&="
  "||="
  "??="
  "..."
] @operator
