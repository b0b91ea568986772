-- expect: tests/bad/bad-family.lua:5: outage 'mx1': 'family' must be "ipv4" or "ipv6", got "v6"
-- The family of a network outage is named in full.
scenario "bad-family" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { kind = "down", family = "v6" }
