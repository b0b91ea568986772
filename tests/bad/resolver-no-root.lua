-- expect: tests/bad/resolver-no-root.lua:13: host 'rec': a recursive resolver needs root hints: declare zone "." and a host that serves it, or give resolver = { roots = {...} }
-- A recursive resolver with no root zone anywhere and no roots given.
scenario "resolver-no-root" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "rec" { addr = "198.51.100.53", resolver = {} }
