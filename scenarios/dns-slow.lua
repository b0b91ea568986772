-- dns-slow: the nameserver answers, but 8 seconds late.
--
-- ns1 is overloaded for 10 minutes: every answer leaves 8 s after the
-- question.  The sender's resolver waits 5 s (glibc RES_TIMEOUT), asks
-- again with the same ID, and takes the first answer that arrives, the
-- late answer to its first query, at 8 s.  The lookups succeed, slowly:
-- the MX answer at 8 s, the address of mx1 at 16 s.  In the capture: the
-- query, its repeat at 5 s, two answers (at 8 s and 13 s; the second is
-- ignored).

scenario "dns-slow" {
  description = "ns1 answers after 8 s; the resolver resends at 5 s and uses the late answer",
  seed = 8,
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

outage "ns1" { from = "0s", to = "10m", kind = "slow", delay = "8s" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- glibc send_dg(): an answer to either copy of the query is accepted.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "16s", before = "17s", attempts = { "mx1:delivered" } }
