-- greylist-primary: the primary greylists; the mail goes to the backup.
--
-- mx1 greylists at RCPT with postgrey's defaults: the first try of a
-- (client, sender, recipient) triplet gets a 450, a retry after 5
-- minutes (postgrey --delay=300) is accepted.  The sender does what RFC
-- 5321 §5.1 and Postfix, Exim and Sendmail do with a 4xx to RCPT: it
-- tries the next MX within the same attempt (reference/mta-behavior.md
-- §3.1, "RCPT 4xx (incl. greylisting 450/451)").  mx2, the backup, is a
-- relay without greylisting: it takes the message at once and forwards
-- it to mx1 with its own sender role (RFC 5321 §5.1: only to a better
-- MX).  mx1 greylists mx2's triplet in turn; mx2 retries 30 minutes
-- later (rfc5321 retry), past the 5 minutes, and mx1 takes it.  Mail
-- meant to be held 5 minutes at the primary lands at the backup and
-- reaches the primary 30 minutes late: the story of reference/
-- mta-behavior.md, failure stories §3, where the backup was another
-- provider's and kept the mail.

scenario "greylist-primary" {
  description = "mx1 greylists (postgrey 300 s); the sender tries the backup, which forwards 30 min later",
  seed = 12,
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
host "mx1" { addr = "192.0.2.10", smtp = { mailboxes = { "bob@example.test" } } }
host "mx2" { addr = "192.0.2.20", smtp = { relay = true },
             sender = { profile = "rfc5321", resolver = "ns1" } }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

-- postgrey: --delay=300; its --retry-window (2 days) is longer than the
-- run.
outage "mx1" { kind = "greylist", at = "rcpt", retry_after = "5m" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }

-- The sender: 450 at mx1's RCPT, then mx2 in the same attempt.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "1s",
         attempts = { "mx1:450", "mx2:delivered" } }
-- mx2's first forward is greylisted too; its retry 30 min later (RFC
-- 5321 §4.5.4.1, rfc5321 retry) lands in mx1's mailbox.
expect { to = "bob@example.test", host = "mx1", after = "30m", before = "31m" }
