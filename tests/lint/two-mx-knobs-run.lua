-- two-mx-knobs-run.lua - two-mx.zone again, with a sender whose knobs
-- differ from rfc5321's where step 6 of "mxsim explain" depends on them;
-- tests/cli/lint.sh pins the explanation with the same --set options in
-- two-mx-knobs.expected and runs this scenario to check it:
--  - greeting_4xx = defer (Haraka: a 4xx greeting defers the whole
--    message, mta-behavior.md §3.1): a 421 from mx1 stops the attempt at
--    its first address, mx2 is not tried;
--  - greeting_5xx = bounce (Haraka, and Postfix smtp_skip_5xx_greeting =
--    no): a 554 from mx1 bounces at once;
--  - mx_session_limit = 2 (Postfix smtp_mx_session_limit = 2, sessions
--    past EHLO): a 451 at RCPT on both of mx1's addresses ends the
--    attempt, mx2 is not tried;
--  - retry = 10h, so nothing is retried before stop_at and "deferred" is
--    the outcome at the end.

scenario "lint-two-mx-knobs-run" {
  description = "the knob-dependent failures 'mxsim explain' describes for two-mx.zone",
  seed = 7,
  stop_at = "1h",
}

zone "example.test" { file = "two-mx.zone" }

host "ns1" { addr = "203.0.113.53", dns = { serves = { "example.test" } } }
host "mx1" { addrs = { "192.0.2.10", "2001:db8:1::10" }, smtp = {} }
host "mx2" { addr = "198.51.100.20", smtp = {} }
host "mta" { addrs = { "203.0.113.7", "2001:db8:7::7" },
             sender = { profile = "rfc5321", resolver = "ns1",
                        greeting_4xx = "defer", greeting_5xx = "bounce",
                        mx_session_limit = 2, retry = { "10h" } } }

outage "mx1" { from = "0s", to = "10m", kind = "reply", at = "greeting",
               reply = "421 4.3.2 busy" }
outage "mx1" { from = "10m", to = "20m", kind = "reply", at = "greeting",
               reply = "554 5.3.2 no service" }
outage "mx1" { from = "20m", to = "30m", kind = "reply", at = "rcpt",
               reply = "451 4.3.2 try again later" }

message { at = "0s", from = "alice@sender.test", to = "greet4@example.test" }
message { at = "10m", from = "alice@sender.test", to = "greet5@example.test" }
message { at = "20m", from = "alice@sender.test", to = "rcpt4@example.test" }

expect { to = "greet4@example.test", outcome = "deferred",
         attempts = { "mx1:421" } }
expect { to = "greet5@example.test", outcome = "bounced", before = "10m1s",
         attempts = { "mx1:554" } }
expect { to = "rcpt4@example.test", outcome = "deferred",
         attempts = { "mx1:451", "mx1:451" } }
