-- expect: tests/bad/include-absolute.lua:5: include '/etc/passwd': an absolute path is refused; name a file of the scenario's folder, relative to the including file
-- include reads the scenario's folder and below, nothing else
-- (docs/scenario-reference.md "include").
scenario "include-absolute" { stop_at = "1h" }
include "/etc/passwd"
