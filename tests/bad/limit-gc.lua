-- expect: tests/bad/limit-gc.lua:6: __gc is not available in scenarios (finalizers run at unknown times)
-- A finalizer would run scenario code whenever the collector likes, even
-- after the scenario has run and at lua_close, outside the instruction
-- budget (docs/scenario-reference.md "Limits").
scenario "limit-gc" { stop_at = "1h" }
setmetatable({}, { __gc = function() while true do end end })
