-- expect: tests/bad/memory-exhaustion.lua:4: scenario exceeded its memory limit (64 MiB)
-- A table that grows until the sandbox's memory limit.
scenario "memory-exhaustion" { stop_at = "1h" }
local t = {} for i = 1, 1e9 do t[i] = i end
