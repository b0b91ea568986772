-- expect: tests/bad/limit-table-move.lua:6: table.move: at most 16777216 elements at once
-- table.move loops in C, where the instruction budget's hook never fires
-- (Lua 5.4 manual, lua_sethook: the count hook counts VM instructions), so
-- the sandbox caps its range (docs/scenario-reference.md "Limits").
scenario "limit-table-move" { stop_at = "1h" }
table.move({}, 1, 1e15, 1)
