; Bash symbols for the context engine: the functions a script defines and the commands it
; runs (a call of one of its functions, of a function from a sourced file, or of a program).
; Captures: @name, @definition.<kind>, @reference.<kind>.

(function_definition
  name: (word) @name) @definition.function

(command
  name: (command_name
    (word) @name)) @reference.call
