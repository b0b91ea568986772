-- expect: tests/bad/zone-change-without-at.lua:13: zone_change: 'at' is required
-- A change without the time it happens.
scenario "zone-change-without-at" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { zone = "example.test", add = { { "mx2", "A", "192.0.2.20" } } }
