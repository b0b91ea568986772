-- expect: tests/bad/zone-file-second-soa.lua:5: zone 'example.test': tests/bad/zones/second-soa.zone:9: second SOA record (the first is on line 5)
-- A master file with two SOA records: RFC 1035 §5.2 wants exactly one,
-- at the top of the zone; the second is on the file's line 9.
scenario "zone-file-second-soa" { stop_at = "1h" }
zone "example.test" { file = "zones/second-soa.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
