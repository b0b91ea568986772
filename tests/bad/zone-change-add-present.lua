-- expect: tests/bad/zone-change-add-present.lua:14: zone_change, add, record 1: 'mx1.example.test A 192.0.2.10' is already in zone 'example.test' at 10m (RFC 2181 §5: a record is in an RRset once)
-- Adds mx1 A 192.0.2.10, which the zone holds already (RFC 2181 §5: an
-- RRset holds a record once).
scenario "zone-change-add-present" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test", add = { { "mx1", "A", "192.0.2.10" } } }
