-- expect: tests/bad/param-twice.lua:6: param 'messages': declared twice (first at tests/bad/param-twice.lua:5)
-- One -D sets one param: a name is declared once (docs/scenario-reference.md
-- "param").
scenario "param-twice" { stop_at = "1h" }
local a = param "messages" { default = 3 }
local b = param "messages" { default = 4 }
