-- expect: tests/bad/zone-change-cname-conflict.lua:13: zone_change: after it, zone 'example.test' breaks a rule: 'www.example.test' has a CNAME and other data (RFC 1034 §3.6.2 forbids it)
-- Adds a CNAME at www, which keeps its A record (RFC 1034 §3.6.2).
scenario "zone-change-cname-conflict" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test", add = { { "www", "CNAME", "mx1" } } }
