-- expect: tests/bad/wrong-type.lua:4: host 'mx1': 'addr' must be a string, got number
-- A field of the wrong type.
scenario "wrong-type" { stop_at = "1h" }
host "mx1" { addr = 10, smtp = {} }
