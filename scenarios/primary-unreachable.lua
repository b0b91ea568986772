-- primary-unreachable: the router in front of mx1 answers for it with
-- "ICMP host unreachable".
--
-- Unlike a silent host (primary-down.lua, 30 s) the sender learns at once:
-- Linux aborts a connecting socket on the first ICMP error, so the failover
-- to mx2 costs one round trip.  In the capture: the SYN, the ICMP error
-- from the internet router quoting it, then the delivery to mx2.

scenario "primary-unreachable" {
  description = "mx1 unreachable: the last router answers ICMP host unreachable; failover in one round trip",
  seed = 8,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
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
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "30m", kind = "unreachable" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 792 host unreachable (code 1); Linux tcp_v4_err() aborts the
-- connect in SYN_SENT; RFC 5321 §5.1: the next MX.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "10ms",
         attempts = { "mx1:unreachable", "mx2:delivered" } }
