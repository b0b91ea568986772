-- expect: tests/bad/outage-probability-range.lua:15: outage 'mx1': 'probability' must be a number above 0 and at most 1
-- A share of connections above 1: probability is a probability.
scenario "outage-probability-range" { stop_at = "1h" }
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
outage "mx1" { kind = "reply", at = "rcpt", reply = "451 4.3.0 try later", probability = 1.5 }
