-- expect: tests/bad/limit-memory-one-call.lua:6: scenario exceeded its memory limit (64 MiB)
-- One call that asks for 1 GB: the allocator refuses it (64 MiB cap,
-- docs/scenario-reference.md "Limits"), and the line is exact although Lua
-- reports memory errors without a position (Lua 5.4 manual, lua_resume: on
-- error "the stack is not unwound", so the loader reads the line there).
local s = ("x"):rep(1e9)
scenario "limit-memory-one-call" { stop_at = "1h" }
