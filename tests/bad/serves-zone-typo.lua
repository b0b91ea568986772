-- expect: tests/bad/serves-zone-typo.lua:5: host 'ns1' serves zone 'exmaple.test', which is not declared (did you mean 'example.test'?)
-- ns1 serves "exmaple.test", a typo for the declared "example.test".
scenario "serves-zone-typo" { stop_at = "1h" }
zone "example.test" { { "@", "NS", "ns1" }, { "ns1", "A", "192.0.2.53" } }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "exmaple.test" } } }
