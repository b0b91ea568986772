-- expect: tests/bad/endless-loop-pcall.lua:5: scenario exceeded its instruction budget (100000000 instructions)
-- pcall cannot swallow the budget error and keep looping.
scenario "endless-loop-pcall" { stop_at = "1h" }
while true do
  pcall(function() while true do end end)
end
