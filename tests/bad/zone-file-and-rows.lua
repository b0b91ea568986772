-- expect: tests/bad/zone-file-and-rows.lua:4: zone 'example.test': give the records inline or in 'file', not both
-- A zone given both as a master file and as inline rows: which one?
scenario "zone-file-and-rows" { stop_at = "1h" }
zone "example.test" {
  file = "zones/syntax-error.zone",
  { "mx1", "A", "192.0.2.10" },
}
