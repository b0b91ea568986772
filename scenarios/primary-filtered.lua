-- primary-filtered: a firewall in front of mx1 rejects port 25 with "ICMP
-- communication administratively prohibited".
--
-- The router answers for mx1's SMTP port only: mx1 itself still answers
-- other traffic.  The sender treats the ICMP error like any connection
-- failure and moves to mx2 in one round trip.

scenario "primary-filtered" {
  description = "SMTP to mx1 is filtered (ICMP admin prohibited); mail goes to mx2",
  seed = 9,
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

outage "mx1" { kind = "filtered", service = "smtp" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 1812 §5.2.7.1: type 3 code 13 for administratively filtered
-- traffic; the connect fails at once (Linux tcp_v4_err()).
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "10ms",
         attempts = { "mx1:unreachable", "mx2:delivered" } }
