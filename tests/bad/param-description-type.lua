-- expect: tests/bad/param-description-type.lua:5: param 'messages': 'description' must be a string, got number
-- Fields have types (docs/scenario-reference.md "param").
scenario "param-description-type" { stop_at = "1h" }

local n = param "messages" { default = 3, description = 3 }
