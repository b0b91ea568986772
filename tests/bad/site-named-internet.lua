-- expect: tests/bad/site-named-internet.lua:5: site 'internet': the name is taken by the core router
-- "internet" is the core router every site hangs off.
scenario "site-named-internet" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
site "internet" { hosts = { "mx1" } }
