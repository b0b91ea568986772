-- expect: tests/bad/zone-change-rows-not-list.lua:13: zone_change, add: record 1 must be a table like { "@", "MX", 10, "mx1" }, got string
-- "add" is one row, not a list of rows.
scenario "zone-change-rows-not-list" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test", add = { "mx2", "A", "192.0.2.20" } }
