-- expect: tests/bad/stop-at-no-unit.lua:3: scenario 'stop-at-no-unit': 'stop_at': bad duration "2": missing or unknown unit (use ns, us, ms, s, m, h or d)
-- stop_at = "2": a string needs a unit (the number 2, unquoted, is 2 s).
scenario "stop-at-no-unit" { stop_at = "2" }
