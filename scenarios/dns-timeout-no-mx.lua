-- dns-timeout-no-mx: an MX lookup timeout taken for "no MX record".
--
-- example.test's nameserver restarts: for 8 seconds it answers nothing.
-- The domain's MX is mx1; the domain name itself has an address, the web
-- server www, whose local MTA relays for nobody.
--
-- Two senders look up the MX at the same moment; both resolvers ask at
-- 0 s and again at 5 s, and give up at 10 s (glibc res_send.c send_dg():
-- RES_TIMEOUT 5 s, RES_DFLRETRY 2 attempts, one server).
--   - "mta" (rfc5321) takes the timeout for what it is, a temporary
--     failure: RFC 5321 §5.1 says the message MUST be queued and retried
--     later.  It tries again 30 minutes later (RFC 5321 §4.5.4.1) and
--     delivers to mx1.
--   - "postal" (profile timeout-means-no-mx) takes it for "no MX record"
--     and falls back to the domain's own address (RFC 5321 §5.1's
--     implicit MX, which only NODATA or NXDOMAIN may trigger).  The ns is
--     back by then: the A lookup at 10 s answers the web server, whose
--     MTA rejects the recipient with 550, and the message bounces for
--     good.  This is postalserver/postal#2833 (mta-behavior.md §5 item
--     15): an MX lookup timeout, delivery to the A record, a permanent
--     failure.

scenario "dns-timeout-no-mx" {
  description = "an MX lookup times out; one sender retries, a naive one delivers to the web server and bounces",
  seed = 3,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "A",  "192.0.2.80" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "www" { addr = "192.0.2.80", hostname = "www.example.test", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }
host "postal" { addr = "198.51.100.8",
                sender = { profile = "timeout-means-no-mx", resolver = "ns1" } }

-- The restart: every packet to or from ns1 is lost.
outage "ns1" { from = "0s", to = "8s", kind = "down" }
-- The web server's MTA delivers only locally (a typical default: Postfix
-- mydestination = localhost, smtpd_relay_restrictions ending in
-- reject_unauth_destination).
outage "www" { kind = "reply", at = "rcpt",
               reply = "554 5.7.1 <bob@example.test>: Relay access denied" }

message { at = "0s", sender = "mta", from = "alice@sender.test", to = "bob@example.test" }
message { at = "0s", sender = "postal", from = "carol@sender.test", to = "bob@example.test" }

-- rfc5321: deferred at 10 s, delivered at the retry 30 min later.
expect { message = 1, to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "30m10s", before = "30m11s", attempts = { "mx1:delivered" } }
-- timeout-means-no-mx: one connection, to the web server, refused with
-- 554 at RCPT; bounced at once and for good, the DSN back to carol.
expect { message = 2, to = "bob@example.test", outcome = "bounced", via = "www",
         after = "10s", before = "11s", attempts = { "www:554" } }
expect { message = 2, to = "carol@sender.test", host = "postal", before = "11s" }
