-- expect: tests/bad/include-folder.lua:4: include 'zones': tests/bad/zones is not a file
-- include names a file, not a folder (docs/scenario-reference.md "include").
scenario "include-folder" { stop_at = "1h" }
include "zones"
