-- expect: tests/bad/include-dotdot.lua:5: include '../scenarios/primary-down.lua': '..' is refused: included files stay inside the scenario's folder
-- include reads the scenario's folder and below, nothing else
-- (docs/scenario-reference.md "include").
scenario "include-dotdot" { stop_at = "1h" }
include "../scenarios/primary-down.lua"
