-- expect: tests/bad/zone-change-undeclared-zone.lua:13: zone_change: zone 'exmaple.test' is not declared (did you mean 'example.test'?)
-- A change to "exmaple.test", a typo for the declared zone.
scenario "zone-change-undeclared-zone" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
zone_change { at = "10m", zone = "exmaple.test", add = { { "mx2", "A", "192.0.2.20" } } }
