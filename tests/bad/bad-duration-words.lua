-- expect: tests/bad/bad-duration-words.lua:5: outage 'mx1': 'to': bad duration "5 minutes": missing or unknown unit (use ns, us, ms, s, m, h or d)
-- "5 minutes" is not a duration ("5m" is).
scenario "bad-duration-words" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { from = "0s", to = "5 minutes", kind = "down" }
