-- mx-self: the sending host is itself one of the MX hosts.
--
-- relay.example.test is the backup MX of example.test (preference 20)
-- and also sends mail.  RFC 5321 §5.1: a sender that finds itself in the
-- MX list MUST discard its own preference and every worse one, or it
-- would deliver to itself in a loop.  So when the primary, mx1, is down,
-- the relay keeps the message queued instead of "failing over" to
-- itself, and delivers when mx1 is back.  For solo.test, where the relay
-- is the best (only) MX, nothing is left: the message bounces at once
-- ("mail for solo.test loops back to myself", Postfix 5.4.6).

scenario "mx-self" {
  description = "the sender is the backup MX: it never delivers to itself; as the best MX it bounces",
  seed = 11,
  stop_at = "2h",
}

zone "example.test" {
  ttl = "1h",
  { "@",     "NS", "ns1" },
  { "@",     "MX", 10, "mx1" },
  { "@",     "MX", 20, "relay" },
  { "ns1",   "A",  "192.0.2.53" },
  { "mx1",   "A",  "192.0.2.10" },
  { "relay", "A",  "192.0.2.25" },
}

zone "solo.test" {
  ttl = "1h",
  { "@",     "NS", "ns1.example.test." },
  { "@",     "MX", 10, "relay.example.test." },
}

host "ns1"   { addr = "192.0.2.53",
               dns = { serves = { "example.test", "solo.test" } } }
host "mx1"   { addr = "192.0.2.10", smtp = {} }
host "relay" { addr = "192.0.2.25", smtp = {},
               sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "20m", kind = "down" }

message { at = "0s", from = "alice@example.test", to = "bob@example.test" }
message { at = "1m", from = "alice@example.test", to = "carol@solo.test" }

-- RFC 5321 §5.1: own preference and worse dropped; mx1 times out at 30 s
-- (rfc5321 connect_timeout), the retry 30 min later finds it back.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "30m", before = "31m",
         attempts = { "mx1:timeout", "mx1:delivered" } }
-- Postfix smtp_addr.c: "mail for ... loops back to myself" (5.4.6).
expect { to = "carol@solo.test", outcome = "bounced", before = "2m" }
