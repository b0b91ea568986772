-- expect: tests/bad/endless-loop.lua:4: scenario exceeded its instruction budget (100000000 instructions)
-- A scenario that never finishes loading.
scenario "endless-loop" { stop_at = "1h" }
while true do end
