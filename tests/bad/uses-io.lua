-- expect: tests/bad/uses-io.lua:4: 'io' is not available in scenarios
-- The sandbox has no io: a scenario cannot read files by itself.
scenario "uses-io" { stop_at = "1h" }
io.open("/etc/passwd")
