-- expect: tests/bad/zone-file-unsupported-type.lua:5: zone 'example.test': tests/bad/zones/unsupported-type.zone:6: unsupported record type SRV
-- A master file with an SRV record, on the file's line 6: not a type mxsim
-- serves.
scenario "zone-file-unsupported-type" { stop_at = "1h" }
zone "example.test" { file = "zones/unsupported-type.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
