-- expect: tests/bad/zone-change-after-stop.lua:13: zone_change: 'at' (2h) is after the scenario's stop_at (1h): the change would never happen
-- A change at 2h in a scenario that stops at 1h would never happen.
scenario "zone-change-after-stop" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "2h", zone = "example.test", add = { { "mx2", "A", "192.0.2.20" } } }
