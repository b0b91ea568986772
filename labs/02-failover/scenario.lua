-- Lab 02: priority and failover.  mx1 (the best MX) is down; the sender
-- waits connect_timeout on its SYNs, then tries mx2 (RFC 5321 §5.1).
local pref1 = param "pref1" { default = 10, description = "preference of mx1" }
local pref2 = param "pref2" { default = 20, description = "preference of mx2" }
local mx1_octet = param "mx1_octet" { default = 10, description = "last octet of mx1's address" }
local mx2_octet = param "mx2_octet" { default = 20, description = "last octet of mx2's address" }
local timeout = param "timeout" { default = "30s", description = "the sender's connect_timeout" }
local outage_end = param "outage_end" { default = "1h", description = "when mx1 comes back" }

scenario "lab02" { description = "the best MX is down: failover to the next", seed = 1, stop_at = "2h" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", pref1, "mx1" },
  { "@",   "MX", pref2, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2." .. mx1_octet },
  { "mx2", "A",  "192.0.2." .. mx2_octet },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2." .. mx1_octet, smtp = {} }
host "mx2" { addr = "192.0.2." .. mx2_octet, smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1", connect_timeout = timeout } }

outage "mx1" { from = "0s", to = outage_end, kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §5.1: mx1 first; its SYNs go unanswered until connect_timeout.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", attempts = { "mx1:timeout", "mx2:delivered" } }
