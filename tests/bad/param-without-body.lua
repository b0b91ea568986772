-- expect: tests/bad/param-without-body.lua:5: param 'messages' declared without a body (forgot { ... }?)
-- param "name" { ... } takes a body like every named declaration
-- (docs/scenario-reference.md "param").
scenario "param-without-body" { stop_at = "1h" }
local n = param "messages"
host "mx1" { addr = "192.0.2.10", smtp = {} }
