-- expect: tests/bad/zone-change-remove-twice.lua:14: zone_change, remove, record 1: 'www.example.test A 192.0.2.80' is not in zone 'example.test' at 20m (no A record at 'www.example.test')
-- The second change removes what the first already removed.
scenario "zone-change-remove-twice" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test", remove = { { "www", "A", "192.0.2.80" } } }
zone_change { at = "20m", zone = "example.test", remove = { { "www", "A", "192.0.2.80" } } }
