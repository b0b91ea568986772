-- expect: tests/bad/zone-file-empty-path.lua:4: zone 'example.test': 'file' is empty: give the path of a master file, relative to the scenario
-- An empty 'file' names no master file.
scenario "zone-file-empty-path" { stop_at = "1h" }
zone "example.test" { file = "" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
