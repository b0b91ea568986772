-- expect: tests/bad/include-not-string.lua:4: include needs a file name in quotes: include "file.lua"
-- include takes a path as a string (docs/scenario-reference.md "include").
scenario "include-not-string" { stop_at = "1h" }
include(42)
