-- expect: tests/bad/sender-resolver-not-dns.lua:13: host 'mta', sender: 'resolver': host 'mx1' answers no DNS (give it dns = { serves = {...} } or resolver = {...})
-- The sender asks mx1, which answers neither as a server nor as a resolver.
scenario "sender-resolver-not-dns" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "mx1" } }
