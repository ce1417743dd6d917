; Python highlights.
; For the same node the first matching pattern wins, so the specific patterns
; (builtins, conventions, definitions) come before the generic ones at the end.

; ---------------------------------------------------------------------------
; Comments, docstrings, literals
; ---------------------------------------------------------------------------

((module . (comment) @keyword.directive)
  (#match? @keyword.directive "^#!"))
(comment) @comment

; A string that opens a module, class or function body documents it.
(module . (comment)* . (expression_statement (string) @comment.documentation))
(class_definition
  body: (block . (expression_statement (string) @comment.documentation)))
(function_definition
  body: (block . (expression_statement (string) @comment.documentation)))

(escape_sequence) @constant.character.escape
(escape_interpolation) @constant.character.escape
(interpolation
  "{" @punctuation.special
  "}" @punctuation.special)
(type_conversion) @punctuation.special
(string) @string

[
  (true)
  (false)
] @constant.builtin.boolean
[
  (none)
  (ellipsis)
] @constant.builtin
[
  (integer)
  (float)
] @constant.numeric

; ---------------------------------------------------------------------------
; Keywords
; ---------------------------------------------------------------------------

[
  "if"
  "elif"
  "else"
  "match"
  "case"
] @keyword.control.conditional

(for_statement "in" @keyword.control.repeat)
(for_in_clause "in" @keyword.control.repeat)
[
  "for"
  "while"
  "break"
  "continue"
] @keyword.control.repeat

(yield "from" @keyword.control.return)
[
  "return"
  "yield"
] @keyword.control.return
"await" @keyword.control

(raise_statement "from" @keyword.control.exception)
(except_clause (as_pattern "as" @keyword.control.exception))
[
  "try"
  "except"
  "finally"
  "raise"
  "assert"
] @keyword.control.exception

(import_from_statement "from" @keyword.control.import)
(aliased_import "as" @keyword.control.import)
"import" @keyword.control.import
"__future__" @namespace

[
  "def"
  "lambda"
] @keyword.function

"class" @keyword.storage.type
(type_alias_statement "type" @keyword.storage.type)

[
  "async"
  "global"
  "nonlocal"
] @keyword.storage.modifier

[
  "and"
  "or"
  "not"
  "in"
  "is"
  "is not"
  "not in"
] @keyword.operator

[
  "as"
  "with"
  "del"
  "pass"
  "exec"
  "print"
] @keyword

; ---------------------------------------------------------------------------
; Decorators
; ---------------------------------------------------------------------------

(decorator) @attribute
(decorator "@" @attribute)
(decorator (identifier) @attribute)
(decorator (attribute (identifier) @attribute))
(decorator (call function: (identifier) @attribute))
(decorator (call function: (attribute (identifier) @attribute)))

; ---------------------------------------------------------------------------
; Definitions
; ---------------------------------------------------------------------------

(class_definition
  body: (block
    (function_definition name: (identifier) @function.method)))
(class_definition
  body: (block
    (decorated_definition
      definition: (function_definition name: (identifier) @function.method))))
(function_definition name: (identifier) @function)

(class_definition name: (identifier) @type)
(class_definition
  superclasses: (argument_list (identifier) @type))

; ---------------------------------------------------------------------------
; Builtins and naming conventions
; ---------------------------------------------------------------------------

((identifier) @variable.builtin
  (#any-of? @variable.builtin "self" "cls"))

((identifier) @variable.builtin
  (#any-of? @variable.builtin
    "__name__" "__file__" "__doc__" "__all__" "__dict__" "__package__"
    "__spec__" "__builtins__" "__debug__" "__class__" "__module__"
    "__path__" "__loader__" "__annotations__" "__slots__"))

(call
  function: (identifier) @function.builtin
  (#any-of? @function.builtin
    "abs" "aiter" "all" "anext" "any" "ascii" "bin" "bool" "breakpoint"
    "bytearray" "bytes" "callable" "chr" "classmethod" "compile" "complex"
    "delattr" "dict" "dir" "divmod" "enumerate" "eval" "exec" "filter"
    "float" "format" "frozenset" "getattr" "globals" "hasattr" "hash" "help"
    "hex" "id" "input" "int" "isinstance" "issubclass" "iter" "len" "list"
    "locals" "map" "max" "memoryview" "min" "next" "object" "oct" "open"
    "ord" "pow" "print" "property" "range" "repr" "reversed" "round" "set"
    "setattr" "slice" "sorted" "staticmethod" "str" "sum" "super" "tuple"
    "type" "vars" "zip" "__import__"))

((identifier) @type.builtin
  (#any-of? @type.builtin
    "bool" "bytearray" "bytes" "complex" "dict" "float" "frozenset" "int"
    "list" "memoryview" "object" "set" "str" "tuple" "type"))

((identifier) @type.builtin
  (#any-of? @type.builtin
    "BaseException" "Exception" "ArithmeticError" "AssertionError"
    "AttributeError" "EOFError" "ImportError" "IndexError" "KeyError"
    "KeyboardInterrupt" "LookupError" "MemoryError" "NameError"
    "NotImplementedError" "OSError" "OverflowError" "RuntimeError"
    "StopIteration" "StopAsyncIteration" "SyntaxError" "SystemExit"
    "TypeError" "UnicodeError" "ValueError" "ZeroDivisionError"
    "FileNotFoundError" "PermissionError" "TimeoutError" "ConnectionError"
    "ModuleNotFoundError" "RecursionError"))

((identifier) @constant.builtin
  (#any-of? @constant.builtin "NotImplemented" "Ellipsis"))

((identifier) @constant
  (#match? @constant "^_*[A-Z][A-Z\\d_]+$"))

; ---------------------------------------------------------------------------
; Calls
; ---------------------------------------------------------------------------

(call
  function: (identifier) @constructor
  (#match? @constructor "^_*[A-Z]"))
(call
  function: (attribute attribute: (identifier) @constructor)
  (#match? @constructor "^_*[A-Z]"))
(call function: (identifier) @function)
(call function: (attribute attribute: (identifier) @function.method))

; ---------------------------------------------------------------------------
; Types, modules
; ---------------------------------------------------------------------------

(type (identifier) @type)
(type (generic_type (identifier) @type))
((identifier) @type
  (#match? @type "^_*[A-Z]"))

(import_statement name: (dotted_name (identifier) @namespace))
(import_statement name: (aliased_import name: (dotted_name (identifier) @namespace)))
(import_statement name: (aliased_import alias: (identifier) @namespace))
(import_from_statement module_name: (dotted_name (identifier) @namespace))
(relative_import (dotted_name (identifier) @namespace))

; ---------------------------------------------------------------------------
; Variables, parameters, members
; ---------------------------------------------------------------------------

(parameters (identifier) @variable.parameter)
(lambda_parameters (identifier) @variable.parameter)
(typed_parameter (identifier) @variable.parameter)
(default_parameter name: (identifier) @variable.parameter)
(typed_default_parameter name: (identifier) @variable.parameter)
(parameters (list_splat_pattern (identifier) @variable.parameter))
(parameters (dictionary_splat_pattern (identifier) @variable.parameter))
(typed_parameter (list_splat_pattern (identifier) @variable.parameter))
(typed_parameter (dictionary_splat_pattern (identifier) @variable.parameter))
(lambda_parameters (list_splat_pattern (identifier) @variable.parameter))
(lambda_parameters (dictionary_splat_pattern (identifier) @variable.parameter))
(lambda_parameters (default_parameter name: (identifier) @variable.parameter))
(keyword_argument name: (identifier) @variable.parameter)

(attribute attribute: (identifier) @variable.other.member)

(identifier) @variable

; ---------------------------------------------------------------------------
; Punctuation and operators
; ---------------------------------------------------------------------------

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  "."
  ":"
  ";"
] @punctuation.delimiter

(line_continuation) @punctuation.special

[
  "-"
  "-="
  "!="
  "*"
  "**"
  "**="
  "*="
  "/"
  "//"
  "//="
  "/="
  "&"
  "&="
  "%"
  "%="
  "^"
  "^="
  "+"
  "+="
  "->"
  "<"
  "<<"
  "<<="
  "<="
  "<>"
  "="
  ":="
  "=="
  ">"
  ">="
  ">>"
  ">>="
  "@"
  "@="
  "|"
  "|="
  "~"
] @operator
