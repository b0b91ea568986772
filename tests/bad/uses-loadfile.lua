-- expect: tests/bad/uses-loadfile.lua:5: 'loadfile' is not available in scenarios
-- The sandbox's globals are an allow-list (docs/scenario-reference.md
-- "Limits"): no loadfile.
scenario "uses-loadfile" { stop_at = "1h" }
local f = loadfile
