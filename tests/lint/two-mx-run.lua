-- two-mx-run.lua - runs the zone two-mx.zone that two-mx.expected
-- explains, so tests/cli/lint.sh checks "mxsim explain" against the
-- simulator itself: the six single failures the explanation describes
-- for mx1, one after the other (ten minutes each), each met by one
-- message.
--
-- Dual-stack sender, rfc5321 profile (connect_timeout = 30s; equal
-- preferences do not occur here).  The explanation says:
--  - mx1 down: 2 x 30 s (its IPv6 then its IPv4 address, address_order =
--    ipv6-first, RFC 6724), then mx2 takes the mail (RFC 5321 §5.1);
--  - mx1 refuses (RST): both addresses at once, then mx2;
--  - 4xx or 5xx at the greeting: both addresses, then mx2 (4xx: RFC 5321
--    §4.2.1 transient; 5xx: RFC 5321 §3.1 leaves it to the client,
--    Postfix smtp_skip_5xx_greeting = yes moves on);
--  - 4xx at RCPT on mx1: both addresses, then mx2 (RFC 5321 §4.2.1:
--    transient);
--  - 5xx at RCPT on mx1: the recipient bounces, mx2 is not tried (RFC
--    5321 §4.2.1: permanent).

scenario "lint-two-mx-run" {
  description = "the failures 'mxsim explain' describes for two-mx.zone",
  seed = 7,
  stop_at = "2h",
}

zone "example.test" { file = "two-mx.zone" }

host "ns1" { addr = "203.0.113.53", dns = { serves = { "example.test" } } }
host "mx1" { addrs = { "192.0.2.10", "2001:db8:1::10" }, smtp = {} }
host "mx2" { addr = "198.51.100.20", smtp = {} }
host "mta" { addrs = { "203.0.113.7", "2001:db8:7::7" },
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "10m", kind = "down" }
outage "mx1" { from = "10m", to = "20m", kind = "reply", at = "rcpt",
               reply = "451 4.3.2 try again later" }
outage "mx1" { from = "20m", to = "30m", kind = "reply", at = "rcpt",
               reply = "550 5.1.1 no such user" }

outage "mx1" { from = "30m", to = "40m", kind = "refuse" }
outage "mx1" { from = "40m", to = "50m", kind = "reply", at = "greeting",
               reply = "421 4.3.2 busy" }
outage "mx1" { from = "50m", to = "60m", kind = "reply", at = "greeting",
               reply = "554 5.3.2 no service" }

message { at = "0s", from = "alice@sender.test", to = "down@example.test" }
message { at = "10m", from = "alice@sender.test", to = "rcpt4@example.test" }
message { at = "20m", from = "alice@sender.test", to = "rcpt5@example.test" }
message { at = "30m", from = "alice@sender.test", to = "refuse@example.test" }
message { at = "40m", from = "alice@sender.test", to = "greet4@example.test" }
message { at = "50m", from = "alice@sender.test", to = "greet5@example.test" }

-- Down: two connect timeouts of 30 s, then mx2, within the first minute
-- and a second of round trips and DNS.
expect { to = "down@example.test", outcome = "delivered", via = "mx2",
         after = "1m", before = "1m1s",
         attempts = { "mx1:timeout", "mx1:timeout", "mx2:delivered" } }
expect { to = "rcpt4@example.test", outcome = "delivered", via = "mx2",
         before = "10m1s",
         attempts = { "mx1:451", "mx1:451", "mx2:delivered" } }
expect { to = "rcpt5@example.test", outcome = "bounced",
         before = "20m1s", attempts = { "mx1:550" } }
expect { to = "refuse@example.test", outcome = "delivered", via = "mx2",
         before = "30m1s",
         attempts = { "mx1:refused", "mx1:refused", "mx2:delivered" } }
expect { to = "greet4@example.test", outcome = "delivered", via = "mx2",
         before = "40m1s",
         attempts = { "mx1:421", "mx1:421", "mx2:delivered" } }
expect { to = "greet5@example.test", outcome = "delivered", via = "mx2",
         before = "50m1s",
         attempts = { "mx1:554", "mx1:554", "mx2:delivered" } }
