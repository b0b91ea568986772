-- dns-servfail: the recipient domain's nameserver answers SERVFAIL.
--
-- For 20 minutes ns1 answers every query with SERVFAIL (a broken zone
-- load, an expired DNSSEC signature behind a validating server).  The
-- sender's resolver gets an answer at once, but a failure: glibc moves to
-- the next nameserver, and with one nameserver per round that is a second
-- query, which fails the same way (res_send.c: SERVFAIL means "try the
-- next server").  SERVFAIL is a temporary error, not "no such domain":
-- the message is deferred (4.4.3) and retried 30 minutes later, when ns1
-- answers again.

scenario "dns-servfail" {
  description = "ns1 answers SERVFAIL for 20 min; the message is deferred, then delivered at the retry",
  seed = 3,
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

outage "ns1" { from = "0s", to = "20m", kind = "servfail" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §5.1 and §4.5.4.1: a temporary DNS error defers; the rfc5321
-- profile's first retry is 30 minutes later.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "30m", before = "30m1s", attempts = { "mx1:delivered" } }
