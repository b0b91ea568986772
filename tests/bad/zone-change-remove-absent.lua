-- expect: tests/bad/zone-change-remove-absent.lua:13: zone_change, remove, record 1: 'mx1.example.test A 192.0.2.11' is not in zone 'example.test' at 10m (it has 'mx1.example.test A 192.0.2.10')
-- Removes mx1 A 192.0.2.11, which the zone does not have (it has .10).
scenario "zone-change-remove-absent" { stop_at = "1h" }
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
  remove = { { "mx1", "A", "192.0.2.11" } },
  add    = { { "mx1", "A", "192.0.2.12" } } }
