-- expect: tests/bad/zone-file-missing.lua:4: zone 'example.test': tests/bad/zones/exmaple.test.zone: cannot open the zone file
-- The zone file does not exist (a typo in the path).
scenario "zone-file-missing" { stop_at = "1h" }
zone "example.test" { file = "zones/exmaple.test.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
