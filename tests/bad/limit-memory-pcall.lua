-- expect: tests/bad/limit-memory-pcall.lua:7: scenario exceeded its memory limit (64 MiB)
-- A memory error caught by pcall and raised again is still reported as the
-- memory limit (docs/scenario-reference.md "Limits"), at the line that
-- raised it.
scenario "limit-memory-pcall" { stop_at = "1h" }
local ok, e = pcall(string.rep, "x", 1e9)
error(e)
