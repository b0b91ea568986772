-- expect: tests/bad/user-error.lua:4: no recipients configured
-- error() in a scenario is reported with its file and line.
scenario "user-error" { stop_at = "1h" }
error("no recipients configured")
