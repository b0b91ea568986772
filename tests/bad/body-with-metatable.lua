-- expect: tests/bad/body-with-metatable.lua:7: host 'mx1' has no address (give 'addr' or 'addrs')
-- A body whose __index loops forever: the loader reads plain copies of the
-- bodies (made with next and rawset), so no scenario code runs after the
-- scenario, outside its budget (docs/scenario-reference.md "Limits"); the
-- host simply has no fields.
scenario "body-with-metatable" { stop_at = "1h" }
host "mx1" (setmetatable({}, { __index = function() while true do end end }))
