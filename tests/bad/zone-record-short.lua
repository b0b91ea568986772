-- expect: tests/bad/zone-record-short.lua:4: zone 'example.test': record 3 needs an owner, a type and data
-- The record { "mx1", "A" } has no address.
scenario "zone-record-short" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A" },
}
