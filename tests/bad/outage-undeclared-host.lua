-- expect: tests/bad/outage-undeclared-host.lua:13: outage: no host named 'mx01' (did you mean 'mx1'?)
-- An outage for an undeclared host: 'mx01' for 'mx1'.
scenario "outage-undeclared-host" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
outage "mx01" { from = "0s", to = "10m", kind = "down" }
message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
