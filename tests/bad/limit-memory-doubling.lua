-- expect: tests/bad/limit-memory-doubling.lua:7: scenario exceeded its memory limit (64 MiB)
-- A string that doubles until it passes the 64 MiB cap: the error names
-- the concatenation's line, not the loop's (docs/scenario-reference.md
-- "Limits").
scenario "limit-memory-doubling" { stop_at = "1h" }
local s = "x"
for i = 1, 40 do s = s .. s
end
