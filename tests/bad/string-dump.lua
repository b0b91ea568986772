-- expect: tests/bad/string-dump.lua:5: attempt to call a nil value (field 'dump')
-- string.dump is not offered, not even through a string's methods: the
-- sandbox never hands out bytecode.
scenario "string-dump" { stop_at = "1h" }
local b = ("").dump(function() end)
