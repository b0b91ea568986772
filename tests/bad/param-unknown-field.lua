-- expect: tests/bad/param-unknown-field.lua:5: param 'messages': unknown field 'descripton' (did you mean 'description'?)
-- Unknown fields are errors with the closest known name suggested
-- (docs/scenario-reference.md, general rules).
scenario "param-unknown-field" { stop_at = "1h" }
local n = param "messages" { default = 3, descripton = "how many" }
