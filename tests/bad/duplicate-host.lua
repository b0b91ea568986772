-- expect: tests/bad/duplicate-host.lua:5: host 'mx1' is declared twice (first at line 4)
-- Two hosts named mx1.
scenario "duplicate-host" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx1" { addr = "192.0.2.11", smtp = {} }
