-- dns-nxdomain: the recipient domain does not exist (NXDOMAIN).
--
-- ns1 is authoritative for example.test; for 10 minutes (a zone pushed
-- with the wrong origin, say) it answers every question with NXDOMAIN and
-- the zone's SOA.  NXDOMAIN is final (RFC 1035 §4.1.1: "the domain name
-- referenced in the query does not exist"): the sender bounces the
-- message at once (5.1.2), it does not retry, even though the zone is
-- fixed ten minutes later.  A second message, sent after the fix, is
-- delivered.  Compare dns-servfail.lua, where the error is temporary.

scenario "dns-nxdomain" {
  description = "ns1 answers NXDOMAIN for 10 min: the first message bounces at once, the next is delivered",
  seed = 4,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "ns1" { from = "0s", to = "10m", kind = "nxdomain" }

message { at = "0s",  from = "alice@sender.test", to = "bob@example.test" }
message { at = "20m", from = "alice@sender.test", to = "carol@example.test" }

-- RFC 5321 §5.1 / RFC 1035 §4.1.1: a name that does not exist is a
-- permanent failure; Postfix says "Host or domain name not found" (5.1.2
-- in RFC 3463 terms: bad destination system address).
expect { to = "bob@example.test", outcome = "bounced", before = "1s" }
expect { to = "carol@example.test", outcome = "delivered", via = "mx1" }
