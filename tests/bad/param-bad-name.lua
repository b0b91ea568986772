-- expect: tests/bad/param-bad-name.lua:5: param 'how many': the name must be a word: letters, digits, '_' or '-', starting with a letter
-- A param's name is written on the command line as -D NAME=VALUE
-- (docs/scenario-reference.md "param").
scenario "param-bad-name" { stop_at = "1h" }
local n = param "how many" { default = 3 }
