-- expect: tests/bad/resolver-root-not-dns.lua:10: host 'rec', resolver: 'roots': host 'mx1' does not serve the root zone (give it dns = { serves = { "." } })
-- The root hints name mx1, a mail server that answers no DNS.
scenario "resolver-root-not-dns" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "mx1"  { addr = "192.0.2.10", smtp = {} }
host "rec"  { addr = "198.51.100.53", resolver = { roots = { "root", "mx1" } } }
