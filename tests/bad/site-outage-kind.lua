-- expect: tests/bad/site-outage-kind.lua:6: outage 'receiver': a site takes only link kinds ('link-down', 'loss'), not 'down'
-- A site's outage is about its uplink; hosts go down, sites do not.
scenario "site-outage-kind" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
site "receiver" { hosts = { "mx1" } }
outage "receiver" { kind = "down" }
