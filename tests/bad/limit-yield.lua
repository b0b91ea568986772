-- expect: tests/bad/limit-yield.lua:5: coroutine.yield outside a coroutine (the scenario's own code cannot yield)
-- The scenario runs in a thread of the loader's; yielding from its top
-- level is a mistake, and says so (docs/scenario-reference.md "Limits").
scenario "limit-yield" { stop_at = "1h" }
coroutine.yield()
