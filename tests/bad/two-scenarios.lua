-- expect: tests/bad/two-scenarios.lua:4: scenario 'second': a file declares one scenario; the first is at line 3
-- Two scenario declarations in one file.
scenario "first" { stop_at = "1h" }
scenario "second" { stop_at = "2h" }
