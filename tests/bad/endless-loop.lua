-- expect: tests/bad/endless-loop.lua:4: instruction budget exceeded (an endless loop?)
-- A scenario that never finishes loading.
scenario "endless-loop" { stop_at = "1h" }
while true do end
