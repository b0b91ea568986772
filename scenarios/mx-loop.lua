-- mx-loop: a backup MX that has become the best MX of the domain.
--
-- example.test retired its primary and deleted its MX record, so the
-- zone now names only the old backup, "backup" (preference 10).  The
-- backup is still set up as a relay for the domain (Postfix
-- relay_domains, smtp.relay = true here), not as its final destination:
-- it accepts the message (250) and queues it to forward.  Its own sender
-- role then looks up the MX of example.test and finds itself as the best
-- one.  RFC 5321 §5.1: a relay that finds itself among the MX hosts MUST
-- discard its own preference and every worse one, and with none left
-- MUST return the message as undeliverable.  Postfix bounces it with
-- "5.4.6 mail for example.test loops back to myself" (smtp_addr.c;
-- reference/mta-behavior.md §2.1, failure stories §32), which is what
-- the rfc5321 profile does (mx_self = "truncate").  The bounce goes back
-- as a DSN (RFC 3464) through the network to alice@sender.test, into
-- the mailbox of sender.test's MX, "mail".  The original sender only
-- ever saw a 250.

scenario "mx-loop" {
  description = "a relay that is the best MX: 5.4.6 loops back to myself, bounce and DSN",
  seed = 5,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",      "NS", "ns1" },
  { "@",      "MX", 10, "backup" },
  { "ns1",    "A",  "192.0.2.53" },
  { "backup", "A",  "192.0.2.20" },
}

zone "sender.test" {
  ttl = "1h",
  { "@",    "NS", "ns1.example.test." },
  { "@",    "MX", 10, "mail" },
  { "mail", "A",  "198.51.100.25" },
}

host "ns1"    { addr = "192.0.2.53",
                dns = { serves = { "example.test", "sender.test" } } }
host "backup" { addr = "192.0.2.20", smtp = { relay = true },
                sender = { profile = "rfc5321", resolver = "ns1" } }
host "mail"   { addr = "198.51.100.25", smtp = {} }
host "mta"    { addr = "198.51.100.7",
                sender = { profile = "rfc5321", resolver = "ns1" } }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }

-- The original sender: the best (only) MX takes the message (RFC 5321
-- §5.1), one session, no failure it could see.
expect { to = "bob@example.test", outcome = "delivered", via = "backup",
         attempts = { "backup:delivered" } }
-- It never leaves the backup: nothing is left to forward to.
expect { to = "bob@example.test", host = "backup" }
-- The DSN reaches sender.test's MX within a second: MX and A lookups
-- and one SMTP session, a few milliseconds each.
expect { to = "alice@sender.test", host = "mail", before = "1s" }
