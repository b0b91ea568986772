-- expect: tests/bad/site-host-twice.lua:6: site 'b': host 'mx1' is already in site 'a'
-- A host sits behind one router only.
scenario "site-host-twice" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
site "a" { hosts = { "mx1" } }
site "b" { hosts = { "mx1" } }
