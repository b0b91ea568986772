-- expect: tests/bad/zone-file-cname-conflict.lua:4: zone 'example.test': tests/bad/zones/cname-conflict.zone:7: 'www.example.test' has a CNAME and other data (line 6; RFC 1034 §3.6.2 forbids it)
-- A master file gives www a CNAME and an A record (RFC 1034 §3.6.2).
scenario "zone-file-cname-conflict" { stop_at = "1h" }
zone "example.test" { file = "zones/cname-conflict.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
