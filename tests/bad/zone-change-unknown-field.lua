-- expect: tests/bad/zone-change-unknown-field.lua:13: zone_change: unknown field 'delete' (the fields are add, at, remove, zone)
-- "delete" for "remove".
scenario "zone-change-unknown-field" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "example.test", delete = { { "www", "A", "192.0.2.80" } } }
