-- expect: tests/bad/undeclared-resolver.lua:12: host 'mta', sender: 'resolver': no host named 'ns2' (did you mean 'ns1'?)
-- The sender's resolver 'ns2' is not a declared host.
scenario "undeclared-resolver" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns2" } }
message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
