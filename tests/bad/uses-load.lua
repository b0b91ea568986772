-- expect: tests/bad/uses-load.lua:5: 'load' is not available in scenarios
-- The sandbox's globals are an allow-list (docs/scenario-reference.md
-- "Limits"): no load.
scenario "uses-load" { stop_at = "1h" }
local f = load
