-- expect: tests/bad/uses-dofile.lua:5: 'dofile' is not available in scenarios
-- The sandbox's globals are an allow-list (docs/scenario-reference.md
-- "Limits"): no dofile.
scenario "uses-dofile" { stop_at = "1h" }
local f = dofile
