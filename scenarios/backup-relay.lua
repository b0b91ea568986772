-- backup-relay: the primary is down for an hour; the backup MX stores the
-- message and forwards it to the primary once it is back.
--
-- mx1 (preference 10) is down for the first hour.  The sender times out
-- on it (30 s) and hands the message to mx2 (preference 20), a backup MX
-- (smtp.relay = true) that queues it and, with its own sender role,
-- forwards it to the only better MX, mx1 (RFC 5321 §5.1: a relay that is
-- an MX discards its own preference and every worse one).  mx2 follows
-- the rfc5321 profile: attempts at 30 s, then 30 min and 2 h later
-- (retry = { "30m", "2h" }); the third, at 2h31m30s, finds mx1 back.
-- The message in mx1's mailbox carries two Received: lines: mx1's own
-- (from mx2) above mx2's (from mta), as RFC 5321 §4.4 has each host
-- prepend its own and leave the others alone.

scenario "backup-relay" {
  description = "mx1 down for 1h; backup mx2 stores and forwards to mx1",
  seed = 42,
  stop_at = "3h",
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
host "mx1" { addr = "192.0.2.10", smtp = { mailboxes = { "bob@example.test" } } }
host "mx2" { addr = "192.0.2.20", smtp = { relay = true },
             sender = { profile = "rfc5321", resolver = "ns1" } }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "1h", kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }

-- The original sender: mx1 times out (30 s connect timeout), mx2 takes it.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2",
         attempts = { "mx1:timeout", "mx2:delivered" } }
-- Where it ends: in mx1's mailbox, at mx2's third attempt (rfc5321
-- profile, RFC 5321 §4.5.4.1 retry intervals: 30 s + 30m30s + 2h).
expect { to = "bob@example.test", host = "mx1", after = "2h31m30s", before = "2h31m31s" }
