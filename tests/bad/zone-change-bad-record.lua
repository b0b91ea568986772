-- expect: tests/bad/zone-change-bad-record.lua:13: zone_change, add, record 2: bad IPv4 address '192.0.2.30.1'
-- The added A record holds five octets.
scenario "zone-change-bad-record" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test",
  add = { { "mx2", "A", "192.0.2.20" }, { "mx3", "A", "192.0.2.30.1" } } }
