-- expect: tests/bad/zone-file-outside-origin.lua:5: zone 'example.test': tests/bad/zones/outside-origin.zone:6: owner 'mx1.example.org' is outside the zone 'example.test'
-- A master file with a record outside its zone (RFC 1035 §5.2: the RRs
-- of a zone are at or below its top node), on the file's line 6.
scenario "zone-file-outside-origin" { stop_at = "1h" }
zone "example.test" { file = "zones/outside-origin.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
