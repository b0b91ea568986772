-- expect: tests/bad/serves-undeclared-root.lua:5: host 'root' serves zone '.', which is not declared (declare it with zone "." { ... })
-- A root server for a root zone that is not declared.
scenario "serves-undeclared-root" { stop_at = "1h" }
zone "test" { { "@", "NS", "ns.nic.test." }, { "ns.nic", "A", "203.0.113.2" } }
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "nic"  { addr = "203.0.113.2", dns = { serves = { "test" } } }
