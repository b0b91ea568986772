-- expect: tests/bad/param-bad-default.lua:5: param 'recipients': 'default' must be a number, a duration, true or false, or a string, got table
-- A -D value is text: only the types it can be read as are params' types
-- (docs/scenario-reference.md "param").
scenario "param-bad-default" { stop_at = "1h" }
local r = param "recipients" { default = { "bob@example.test" } }
