-- expect: tests/bad/relay-without-sender.lua:15: host 'mx2': smtp.relay = true needs a sender role to forward what it stores (sender = { profile = "rfc5321", resolver = "..." })
-- A backup MX that stores mail for relaying but has no sender role to
-- forward it with.
scenario "relay-without-sender" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = { relay = true } }
