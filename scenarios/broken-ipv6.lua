-- broken-ipv6: mx1 publishes an AAAA record, but IPv6 to it is broken.
--
-- A dual-stack sender tries the IPv6 address first (RFC 6724's default
-- policy), waits out its 30 s connect timeout on SYNs that vanish, and only
-- then reaches the same host over IPv4.  Nothing is wrong with mx1's mail
-- service: the whole cost is the broken IPv6 path, paid by every message.
-- Compare with the second message, sent to a sender that has no IPv6 at
-- all: it goes straight to IPv4.

scenario "broken-ipv6" {
  description = "mx1's IPv6 is a black hole: a dual-stack sender pays 30 s per message",
  seed = 6,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx1", "AAAA", "2001:db8::10" },
}

host "ns1"  { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1"  { addrs = { "192.0.2.10", "2001:db8::10" }, smtp = {} }
host "mta"  { addrs = { "198.51.100.7", "2001:db8:100::7" },
              sender = { profile = "rfc5321", resolver = "ns1" } }
host "mta4" { addr = "198.51.100.8",
              sender = { profile = "rfc5321", resolver = "ns1" } }

-- Only IPv6 is broken: mx1 drops every IPv6 packet, IPv4 works.
outage "mx1" { kind = "down", family = "ipv6" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }
message { at = "0s", from = "carol@sender.test", to = "dave@example.test", sender = "mta4" }

-- RFC 6724 §2.1 (IPv6 first), the rfc5321 profile's 30 s connect timeout.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         attempts = { "mx1:timeout", "mx1:delivered" }, after = "30s", before = "31s" }
-- An IPv4-only sender never asks for AAAA (getaddrinfo's AI_ADDRCONFIG).
expect { to = "dave@example.test", outcome = "delivered", via = "mx1",
         attempts = { "mx1:delivered" }, before = "1s" }
