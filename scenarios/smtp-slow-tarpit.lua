-- smtp-slow-tarpit: the primary holds its greeting back for 2 minutes.
--
-- mx1 tarpits: it accepts the connection at once but sends its 220
-- greeting only after 2 minutes (as Sendmail's greet_pause or a spamd
-- tarpit do to slow spam engines down).  Two senders meet it:
--   - "patient" keeps the rfc5321 profile's greeting_timeout of 5
--     minutes, RFC 5321 §4.5.3.2.1's minimum for the initial 220; it
--     waits the 2 minutes out and delivers to mx1;
--   - "hasty" has lowered greeting_timeout to 1 minute, as operators do
--     to keep stalled MX hosts from blocking their queues (Postfix
--     TUNING_README advises lowering smtp_helo_timeout; reference/
--     mta-behavior.md failure stories §28).  It gives up on mx1 after 1
--     minute and delivers to mx2 in the same attempt (RFC 5321 §5.1):
--     the tarpit sends it to the backup, a minute late.

scenario "smtp-slow-tarpit" {
  description = "mx1 greets after 2 minutes: a 5 min greeting timeout waits, a 1 min one moves to mx2",
  seed = 9,
  stop_at = "1h",
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

host "ns1"     { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1"     { addr = "192.0.2.10", smtp = {} }
host "mx2"     { addr = "192.0.2.20", smtp = {} }
host "patient" { addr = "198.51.100.7",
                 sender = { profile = "rfc5321", resolver = "ns1" } }
host "hasty"   { addr = "198.51.100.8",
                 sender = { profile = "rfc5321", resolver = "ns1",
                            greeting_timeout = "1m" } }

outage "mx1" { kind = "slow", at = "greeting", delay = "2m" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "patient" }
message { at = "0s", from = "dave@sender.test", to = "carol@example.test", sender = "hasty" }

-- 2 minutes < 5 minutes (RFC 5321 §4.5.3.2.1): the greeting arrives in
-- time, the rest of the session takes milliseconds.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "2m", before = "2m1s", attempts = { "mx1:delivered" } }
-- 1 minute < 2 minutes: a timeout at the greeting, then mx2 at once.
expect { to = "carol@example.test", outcome = "delivered", via = "mx2",
         after = "1m", before = "1m1s", attempts = { "mx1:timeout", "mx2:delivered" } }
