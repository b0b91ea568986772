-- expect: tests/bad/outage-probability-network.lua:16: outage 'mx1': 'probability' applies only to SMTP kinds (reply, drop, slow, hang, greylist): it is drawn per connection
-- probability on a network kind: it is drawn per SMTP connection, and a
-- network outage has no connection to draw for (use model = "random").
scenario "outage-probability-network" { stop_at = "1h" }
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
host "mx2" { addr = "192.0.2.20", smtp = {} }
outage "mx1" { kind = "down", probability = 0.5 }
