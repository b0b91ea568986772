-- expect: tests/bad/uses-require.lua:4: 'require' is not available in scenarios
-- The sandbox has no require: a scenario cannot load modules or C libraries.
scenario "uses-require" { stop_at = "1h" }
local m = require("os")
