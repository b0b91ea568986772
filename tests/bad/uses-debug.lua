-- expect: tests/bad/uses-debug.lua:5: 'debug' is not available in scenarios
-- The sandbox's globals are an allow-list (docs/scenario-reference.md
-- "Limits"): no debug.
scenario "uses-debug" { stop_at = "1h" }
local f = debug
