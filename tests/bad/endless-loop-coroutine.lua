-- expect: tests/bad/endless-loop-coroutine.lua:4: scenario exceeded its instruction budget (100000000 instructions)
-- A loop inside a coroutine is stopped too (new threads inherit the hook),
-- and the position appears once.
coroutine.wrap(function() while true do end end)()
