-- backscatter: a backup MX that accepts unknown users bounces them later.
--
-- mx1, the primary, knows its users (bob only) and is down for the first
-- 30 minutes.  mx2, the backup, is a relay that does not validate
-- recipients: the common misconfiguration that Postfix's backup-MX recipe
-- warns against (relay_recipient_maps missing; reference/mta-behavior.md,
-- failure stories §1).  A message to nobody@example.test is handed to mx2,
-- which accepts it (250) and forwards it to mx1 at its second attempt,
-- after 30 minutes (rfc5321 retry); mx1 rejects the unknown user with
-- 550 5.1.1, so mx2 bounces it: a DSN from <> goes back through the
-- network to alice@sender.test, into the mailbox of sender.test's MX.
-- The original sender believes the message was delivered.

scenario "backscatter" {
  description = "backup MX without recipient validation: accept, then bounce",
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

zone "sender.test" {
  ttl = "1h",
  { "@",    "NS", "ns1.example.test." },
  { "@",    "MX", 10, "mail" },
  { "mail", "A",  "198.51.100.25" },
}

host "ns1"  { addr = "192.0.2.53", dns = { serves = { "example.test", "sender.test" } } }
host "mx1"  { addr = "192.0.2.10", smtp = { mailboxes = { "bob@example.test" } } }
host "mx2"  { addr = "192.0.2.20", smtp = { relay = true },
              sender = { profile = "rfc5321", resolver = "ns1" } }
host "mail" { addr = "198.51.100.25", smtp = {} }
host "mta"  { addr = "198.51.100.7",
              sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "30m", kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "nobody@example.test", sender = "mta" }

-- The sender's view: mx1 times out, mx2 says 250 (RFC 5321 §5.1 order).
expect { to = "nobody@example.test", outcome = "delivered", via = "mx2",
         attempts = { "mx1:timeout", "mx2:delivered" } }
-- It ends in mx2's queue, bounced; the DSN lands at mail (sender.test),
-- at mx2's second attempt (rfc5321 retry = 30m after the first at 30 s).
expect { to = "nobody@example.test", host = "mx2" }
expect { to = "alice@sender.test", host = "mail", after = "31m", before = "31m1s" }
