-- expect: tests/bad/zone-file-syntax-error.lua:5: zone 'example.test': tests/bad/zones/syntax-error.zone:7: unexpected text after the record data in 'mx1 A 192.0.2.10 192.0.2.11'
-- A master file with two addresses in one A record, on the file's line 7:
-- the message names the zone file's own line.
scenario "zone-file-syntax-error" { stop_at = "1h" }
zone "example.test" { file = "zones/syntax-error.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
