-- mx-address-limit: a backup MX that Postfix never reaches.
--
-- example.test's primary, mx1, is a cluster behind five addresses
-- (192.0.2.11-15), and mx2 is the backup at preference 20.  Tonight the
-- whole cluster is down for 20 minutes.  Postfix tries at most
-- smtp_mx_address_limit = 5 addresses per delivery (mta-behavior.md §2.2
-- and §4 "Address/session caps"; smtp_addr.c, default since Postfix
-- 2.3), and the primary alone fills them: every delivery attempt spends
-- five 30 s connect timeouts on mx1 (smtp_connect_timeout = 30s) and
-- defers; the backup is never tried, and the mail waits for the primary
-- to come back.  The lint warns about this layout (docs/lint.md).
--
-- A second sender with the rfc5321 profile (no address limit: RFC 5321
-- §5.1 asks to try the addresses of every MX host in order) reaches mx2
-- after the same five timeouts.
--
-- Postfix's retries: a deferred message is tried again after
-- clamp(time in queue, minimal_backoff_time 300 s, maximal_backoff_time
-- 4000 s), picked up by the queue scan every queue_run_delay = 300 s
-- (qmgr_active.c qmgr_active_done_3_generic(); mta-behavior.md §4.6).

scenario "mx-address-limit" {
  description = "the primary has 5 addresses: Postfix's 5-address limit never reaches the backup",
  seed = 5,
  stop_at = "2h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.11" },
  { "mx1", "A",  "192.0.2.12" },
  { "mx1", "A",  "192.0.2.13" },
  { "mx1", "A",  "192.0.2.14" },
  { "mx1", "A",  "192.0.2.15" },
  { "mx2", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addrs = { "192.0.2.11", "192.0.2.12", "192.0.2.13",
                       "192.0.2.14", "192.0.2.15" }, smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "postfix" { addr = "198.51.100.7",
                 sender = { profile = "postfix", resolver = "ns1" } }
host "strict" { addr = "198.51.100.8",
                sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "20m", kind = "down" }

message { at = "0s", sender = "postfix", from = "alice@sender.test", to = "bob@example.test" }
message { at = "0s", sender = "strict", from = "carol@sender.test", to = "dave@example.test" }

-- Postfix: five timeouts on mx1 at 0 s, deferred at 150 s; tried again
-- at 600 s (150 s in queue -> 300 s -> the 600 s scan), five timeouts
-- again, deferred at 750 s; at 1500 s (750 s in queue) mx1 is back.
-- mx2 is never tried.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "25m", before = "25m1s",
         attempts = { "mx1:timeout", "mx1:timeout", "mx1:timeout", "mx1:timeout",
                      "mx1:timeout", "mx1:timeout", "mx1:timeout", "mx1:timeout",
                      "mx1:timeout", "mx1:timeout", "mx1:delivered" } }
-- rfc5321: the same five timeouts, then mx2 at 150 s.
expect { to = "dave@example.test", outcome = "delivered", via = "mx2",
         after = "150s", before = "151s",
         attempts = { "mx1:timeout", "mx1:timeout", "mx1:timeout", "mx1:timeout",
                      "mx1:timeout", "mx2:delivered" } }
