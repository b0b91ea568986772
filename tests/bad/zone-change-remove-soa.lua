-- expect: tests/bad/zone-change-remove-soa.lua:11: zone_change: it removes the SOA of zone 'example.test' (add the new one in the same change)
-- A change that removes the zone's SOA and adds none: a zone has exactly
-- one SOA (RFC 1035 §5.2).
scenario "zone-change-remove-soa" { stop_at = "1h" }
zone "example.test" {
  { "@",   "SOA", "ns1", "hostmaster", 1, 3600, 600, 604800, 300 },
  { "@",   "NS",  "ns1" },
  { "ns1", "A",   "192.0.2.53" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
zone_change { at = "10m", zone = "example.test",
  remove = { { "@", "SOA", "ns1", "hostmaster", 1, 3600, 600, 604800, 300 } } }
