-- expect: tests/bad/resolver-root-not-root.lua:14: host 'rec', resolver: 'roots': host 'ns1' does not serve the root zone (give it dns = { serves = { "." } })
-- The root hint names ns1, which serves example.test but not the root
-- zone, where resolution starts (RFC 1034 §5.3.3).
scenario "resolver-root-not-root" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "rec" { addr = "198.51.100.53", resolver = { roots = { "ns1" } } }
