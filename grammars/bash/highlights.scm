; Bash highlights.
; For the same node the first matching pattern wins, so the specific patterns
; (builtins, conventions, definitions) come before the generic ones at the end.

; ---------------------------------------------------------------------------
; Comments and literals
; ---------------------------------------------------------------------------

((program . (comment) @keyword.directive)
  (#match? @keyword.directive "^#!"))
(comment) @comment

[
  (string)
  (raw_string)
  (ansi_c_string)
  (translated_string)
  (heredoc_body)
] @string
[
  (heredoc_start)
  (heredoc_end)
] @label
(regex) @string.regexp
[
  (number)
  (file_descriptor)
] @constant.numeric

; ---------------------------------------------------------------------------
; Expansions and variables
; ---------------------------------------------------------------------------

(simple_expansion "$" @punctuation.special)
(expansion
  [
    "${"
    "}"
  ] @punctuation.special)
(command_substitution
  [
    "$("
    ")"
    "`"
  ] @punctuation.special)
(arithmetic_expansion
  [
    "$(("
    "))"
  ] @punctuation.special)
(process_substitution
  [
    "<("
    ">("
    ")"
  ] @punctuation.special)

(special_variable_name) @variable.builtin
((variable_name) @variable.builtin
  (#match? @variable.builtin "^\\d+$"))
((variable_name) @variable.builtin
  (#any-of? @variable.builtin
    "BASH" "BASHPID" "BASH_SOURCE" "BASH_VERSION" "BASH_REMATCH" "FUNCNAME"
    "HOME" "HOSTNAME" "IFS" "LINENO" "OLDPWD" "OPTARG" "OPTIND" "PATH" "PPID"
    "PWD" "RANDOM" "REPLY" "SECONDS" "SHELL" "SHLVL" "UID" "EUID" "USER"
    "TMPDIR" "LANG" "TERM" "EDITOR"))
((variable_name) @constant
  (#match? @constant "^[A-Z][A-Z\\d_]+$"))
(variable_name) @variable

; ---------------------------------------------------------------------------
; Keywords
; ---------------------------------------------------------------------------

(case_statement "in" @keyword.control.conditional)
[
  "if"
  "then"
  "else"
  "elif"
  "fi"
  "case"
  "esac"
] @keyword.control.conditional

[
  "for"
  "in"
  "while"
  "until"
  "do"
  "done"
  "select"
] @keyword.control.repeat

"function" @keyword.function

[
  "declare"
  "typeset"
  "local"
  "readonly"
  "export"
] @keyword.storage

[
  "unset"
  "unsetenv"
] @keyword

; ---------------------------------------------------------------------------
; Commands and functions
; ---------------------------------------------------------------------------

(function_definition name: (word) @function)

((command_name (word) @keyword.control.return)
  (#any-of? @keyword.control.return "return" "exit"))
((command_name (word) @keyword.control.repeat)
  (#any-of? @keyword.control.repeat "break" "continue"))
((command_name (word) @keyword.control.import)
  (#any-of? @keyword.control.import "source" "."))
((command_name (word) @function.builtin)
  (#any-of? @function.builtin
    "alias" "bg" "bind" "builtin" "caller" "cd" "command" "compgen"
    "complete" "compopt" "dirs" "disown" "echo" "enable" "eval" "exec" "false"
    "fc" "fg" "getopts" "hash" "help" "history" "jobs" "kill" "let" "logout"
    "mapfile" "popd" "printf" "pushd" "pwd" "read" "readarray" "set" "shift"
    "shopt" "suspend" "test" "times" "trap" "true" "type" "ulimit" "umask"
    "unalias" "wait"))
(command_name) @function

; Options such as -f and --force
((command argument: (word) @variable.parameter)
  (#match? @variable.parameter "^--?[A-Za-z]"))

; ---------------------------------------------------------------------------
; Punctuation and operators
; ---------------------------------------------------------------------------

(test_operator) @operator
(expansion operator: _ @operator)

[
  "("
  ")"
  "(("
  "))"
  "{"
  "}"
  "["
  "]"
  "[["
  "]]"
] @punctuation.bracket

[
  ";"
  ";;"
  ";&"
  ";;&"
] @punctuation.delimiter

[
  "="
  "=="
  "!="
  "=~"
  "+="
  "-="
  "*="
  "/="
  "%="
  "<<="
  ">>="
  "&="
  "^="
  "|="
  "&&"
  "||"
  "|"
  "|&"
  "&"
  "!"
  ">"
  ">>"
  "<"
  "<<"
  "<<-"
  "<<<"
  "&>"
  "&>>"
  ">&"
  "<&"
  ">&-"
  "<&-"
  ">|"
  "+"
  "-"
  "*"
  "/"
  "%"
  "**"
  "++"
  "--"
  "<="
  ">="
  "?"
  ":"
] @operator
