-- expect: tests/bad/unknown-kind.lua:5: outage 'mx1': unknown kind 'dwon' (did you mean 'down'?)
-- An unknown outage kind: 'dwon' for 'down'.
scenario "unknown-kind" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { from = "0s", to = "10m", kind = "dwon" }
