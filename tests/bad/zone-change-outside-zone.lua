-- expect: tests/bad/zone-change-outside-zone.lua:13: zone_change, add, record 1: owner 'mx2.example.org.' is outside the zone 'example.test'
-- The added record belongs to another zone.
scenario "zone-change-outside-zone" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test", add = { { "mx2.example.org.", "A", "192.0.2.20" } } }
