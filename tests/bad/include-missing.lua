-- expect: tests/bad/include-missing.lua:5: include 'lib/no-such-file.lua': cannot read tests/bad/lib/no-such-file.lua: No such file or directory
-- The path is relative to the including file's folder
-- (docs/scenario-reference.md "include"), and the error says where it looked.
scenario "include-missing" { stop_at = "1h" }
include "lib/no-such-file.lua"
