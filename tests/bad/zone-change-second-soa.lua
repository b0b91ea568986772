-- expect: tests/bad/zone-change-second-soa.lua:13: zone_change, add, record 1: zone 'example.test' has a SOA already at 10m (remove it in the same change to replace it: 'example.test SOA ns1.example.test. hostmaster.example.test. 1 3600 600 604800 300')
-- Adds a SOA to a zone that has one (RFC 1035 §5.2: one SOA per zone).
scenario "zone-change-second-soa" { stop_at = "1h" }
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
  add = { { "@", "SOA", "ns1", "hostmaster", 2, 3600, 600, 604800, 300 } } }
