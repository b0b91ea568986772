-- expect: tests/bad/site-unknown-host.lua:5: site 'receiver': no host named 'mx2' (did you mean 'mx1'?)
-- A site lists a host that is not declared.
scenario "site-unknown-host" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
site "receiver" { hosts = { "mx1", "mx2" } }
