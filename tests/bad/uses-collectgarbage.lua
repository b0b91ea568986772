-- expect: tests/bad/uses-collectgarbage.lua:5: 'collectgarbage' is not available in scenarios
-- The sandbox's globals are an allow-list (docs/scenario-reference.md
-- "Limits"): no collectgarbage.
scenario "uses-collectgarbage" { stop_at = "1h" }
local f = collectgarbage
