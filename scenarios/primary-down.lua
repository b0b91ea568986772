-- primary-down: the primary MX is down; the sender falls back to the backup.
--
-- mx1 (preference 10) drops every packet for the first hour, so the
-- sender's SYNs go unanswered until its 30 s connect timeout; it then
-- tries mx2 (preference 20), which accepts the message.  In the capture:
-- the MX and A queries, five SYNs to mx1 (at 0, 1, 3, 7 and 15 s: the
-- kernel's 1 s, 2 s, 4 s, 8 s backoff), then a complete SMTP dialogue
-- with mx2.

scenario "primary-down" {
  description = "mx1 is down; the sender times out on it and delivers to mx2",
  seed = 42,
  stop_at = "2h",
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

outage "mx1" { from = "0s", to = "1h", kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §5.1: try the MX hosts in preference order; the rfc5321
-- profile's connect timeout is 30 s.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2",
         host = "mx2", after = "30s", before = "31s" }
expect { to = "bob@example.test", attempts = { "mx1:timeout", "mx2:delivered" } }
