-- greeting-5xx-postfix: a 554 greeting that Postfix defers for five days.
--
-- example.test's only MX, mx1, sits behind an appliance that has put the
-- sending network on a blocklist: every connection from it is greeted
-- with 554 (RFC 5321 §3.1: a server MAY answer a connection with 554
-- instead of 220).  The RFC does not say what the client does next.
--
--   - "postfix" (profile postfix): smtp_skip_5xx_greeting = yes rewrites
--     the 554 to a 4xx, so the final (and only) MX host's refusal is a
--     soft error: the message is deferred, not bounced (mta-behavior.md
--     §3.1 table "5xx greeting"; smtp_proto.c smtp_helo(); postconf:
--     "Caution: the latter behavior appears to contradict RFC 2821").
--     It is tried again on Postfix's backoff (clamp(time in queue,
--     minimal_backoff_time 300 s, maximal_backoff_time 4000 s) on the
--     300 s queue scan, qmgr_active.c) for maximal_queue_lifetime = 5d,
--     then bounced.  The sender learns after five days what one attempt
--     already said (mta-behavior.md §5 item 23:
--     docker-mailserver/docker-mailserver#762, an IronPort 554 and a
--     delay of 248680 s; mail-in-a-box/mailinabox#1194).
--   - "exim" (profile exim): a 5xx greeting from the last host fails the
--     message at once (mta-behavior.md §3.1: Exim, "BOUNCE if this is the
--     last host"): the sender knows within a second.

scenario "greeting-5xx-postfix" {
  description = "mx1 greets with 554 for good: Postfix defers for 5 days, Exim bounces at once",
  seed = 23,
  stop_at = "6d",
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
host "postfix" { addr = "198.51.100.7",
                 sender = { profile = "postfix", resolver = "ns1" } }
host "exim" { addr = "198.51.100.8",
              sender = { profile = "exim", resolver = "ns1" } }

outage "mx1" { kind = "reply", at = "greeting",
               reply = "554 5.7.1 mx1.example.test Service unavailable; client host blocked" }

message { at = "0s", sender = "postfix", from = "alice@sender.test", to = "bob@example.test" }
message { at = "0s", sender = "exim", from = "carol@sender.test", to = "bob@example.test" }

-- Postfix: attempts at 0, 300, 600, 1200, 2400, 4800 s (the time in
-- queue doubling from 300 s, each on a 300 s scan), then every 4200 s
-- (4000 s rounded up to the scan) until the first failure after 5 days:
-- 108 connections, each one 554 and QUIT, the bounce at 5d20m.
expect { message = 1, to = "bob@example.test", outcome = "bounced",
         after = "5d20m", before = "5d20m1s", attempts = { min = 108, max = 108 } }
-- Its DSN (4.4.7 message expired) reaches alice only then.
expect { message = 1, to = "alice@sender.test", host = "postfix",
         after = "5d20m", before = "5d20m1s" }
-- Exim: one connection, the bounce within 2 ms.
expect { message = 2, to = "bob@example.test", outcome = "bounced",
         before = "1s", attempts = { "mx1:554" } }
expect { message = 2, to = "carol@sender.test", host = "exim", before = "1s" }
