-- dns-negative-cache: mail bounces for an hour after the MX is added.
--
-- shop.example.test has no DNS records yet when the first message is
-- sent: NXDOMAIN, and the message bounces (RFC 1035 §4.1.1).  At 5
-- minutes the operator adds its MX.  But the sender's recursive resolver
-- cached the NXDOMAIN (RFC 2308 §5) for min(SOA TTL, SOA MINIMUM), here
-- one hour: a message at 10 minutes bounces too, without a single query
-- leaving the resolver.  A message at 70 minutes, after the negative
-- entry expired, is delivered.  The lesson: the SOA MINIMUM field is the
-- negative-caching TTL (RFC 2308 §4), keep it short.

scenario "dns-negative-cache" {
  description = "an NXDOMAIN cached for the SOA's 1 h negative TTL outlives the fix",
  seed = 14,
  stop_at = "2h",
}

zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
  { "test.",        "NS", "ns1.example.test." },
  { "ns1.example.test.", "A", "192.0.2.53" },
}

zone "test" {
  { "@",           "NS", "ns1.example.test." },
  { "example",     "NS", "ns1.example.test." },
  { "ns1.example", "A",  "192.0.2.53" },
}

zone "example.test" {
  ttl = "1h",
  -- MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13)
  { "@",   "SOA", "ns1", "hostmaster", 2026112601, 7200, 900, 1209600, 3600 },
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}

zone_change {
  at = "5m", zone = "example.test",
  add = { { "shop", "MX", 10, "mx1" } },
}

host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "ns1"  { addr = "192.0.2.53",
              dns = { serves = { "test", "example.test" } } }
host "rec"  { addr = "198.51.100.53", resolver = {} }
host "mx1"  { addr = "192.0.2.10", smtp = {} }
host "mta"  { addr = "198.51.100.7",
              sender = { profile = "rfc5321", resolver = "rec" } }

message { at = "0s",  from = "alice@sender.test", to = "bob@shop.example.test" }
message { at = "10m", from = "alice@sender.test", to = "carol@shop.example.test" }
message { at = "70m", from = "alice@sender.test", to = "dave@shop.example.test" }

-- NXDOMAIN is final: an immediate bounce (5.1.2).
expect { to = "bob@shop.example.test", outcome = "bounced", before = "1s" }
-- RFC 2308 §5: the cached NXDOMAIN answers for 1 h.
expect { to = "carol@shop.example.test", outcome = "bounced",
         after = "10m", before = "10m1s" }
expect { to = "dave@shop.example.test", outcome = "delivered", via = "mx1" }
