-- expect: tests/bad/endless-loop-coroutine.lua:4: instruction budget exceeded
-- A loop inside a coroutine is stopped too (new threads inherit the hook),
-- and the position appears once.
coroutine.wrap(function() while true do end end)()
