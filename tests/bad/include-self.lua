-- expect: tests/bad/include-self.lua:5: include 'include-self.lua': include cycle: tests/bad/include-self.lua -> tests/bad/include-self.lua
-- A file that includes itself would never finish: include cycles are
-- detected (docs/scenario-reference.md "include").
scenario "include-self" { stop_at = "1h" }
include "include-self.lua"
