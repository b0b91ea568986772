-- connection-limit: the primary takes one session at a time.
--
-- mx1 allows a single concurrent SMTP session (max_conns = 1; Postfix
-- limits a client with smtpd_client_connection_count_limit through
-- anvil, and answers the connection over the limit with "421 4.7.0 ...
-- Error: too many connections").  The sender queues two messages at the
-- same instant and delivers them in parallel, one session each: the
-- first session gets mx1, the second is greeted with 421.  RFC 5321
-- §3.8: 421 means the service is not available and the channel is being
-- closed; the sender tries the next MX (§5.1), mx2, within the same
-- attempt.  A third message, sent alone a minute later, finds mx1 free.

scenario "connection-limit" {
  description = "mx1 allows one session: of two parallel deliveries the second gets 421 and goes to mx2",
  seed = 4,
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

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = { max_conns = 1 } }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
message { at = "0s", from = "alice@sender.test", to = "carol@example.test" }
message { at = "1m", from = "alice@sender.test", to = "dave@example.test" }

-- The first session holds mx1's only slot.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         before = "1s", attempts = { "mx1:delivered" } }
-- The second is turned away with 421 (RFC 5321 §3.8) and goes to mx2.
expect { to = "carol@example.test", outcome = "delivered", via = "mx2",
         before = "1s", attempts = { "mx1:421", "mx2:delivered" } }
-- Alone, later: mx1 again.
expect { to = "dave@example.test", outcome = "delivered", via = "mx1",
         attempts = { "mx1:delivered" } }
