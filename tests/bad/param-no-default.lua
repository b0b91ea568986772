-- expect: tests/bad/param-no-default.lua:5: param 'messages': 'default' is required (its type is the param's type)
-- A param's type comes from its default (docs/scenario-reference.md
-- "param"): without one there is nothing to type a -D value by.
scenario "param-no-default" { stop_at = "1h" }
local n = param "messages" { description = "how many" }
