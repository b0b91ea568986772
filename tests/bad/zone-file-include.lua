-- expect: tests/bad/zone-file-include.lua:5: zone 'example.test': tests/bad/zones/include.zone:5: $INCLUDE is not supported in '$INCLUDE other.zone'
-- A master file that uses $INCLUDE (RFC 1035 §5.1), on the file's line 5:
-- a scenario's zone comes whole from one file.
scenario "zone-file-include" { stop_at = "1h" }
zone "example.test" { file = "zones/include.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
