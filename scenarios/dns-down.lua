-- dns-down: the recipient domain's only nameserver is down for 10 minutes.
--
-- The sender's MX query goes unanswered: its resolver retries after 5 s
-- and gives up 5 s later (glibc: timeout 5 s, 2 attempts, one server; the
-- wait of send_dg() depends on the server's place in the list, not on the
-- round, so the first server always gets the full 5 s).
-- A DNS timeout is a temporary failure (RFC 5321 §5.1: "the message MUST
-- be queued and retried later"), so the message waits for its next
-- attempt, 30 minutes later, when the nameserver is back.

scenario "dns-down" {
  description = "ns1 is down for 10 min; the MX lookup times out and the message is retried",
  seed = 1,
  stop_at = "2h",
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

outage "ns1" { from = "0s", to = "10m", kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- Deferred at 10 s (two resolver waits of 5 s), retried 30 min later
-- (the rfc5321 profile's first retry delay, RFC 5321 §4.5.4.1).
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "30m10s", before = "30m11s",
         attempts = { "mx1:delivered" } }
