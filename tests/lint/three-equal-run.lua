-- three-equal-run.lua - runs three-equal.zone, which three-equal.expected
-- explains, so tests/cli/lint.sh checks "mxsim explain" against the
-- simulator: mx-a is down; the explanation says each host comes first in
-- 1 of 3 delivery attempts (equal_pref = shuffle, RFC 5321 §5.1 MUST
-- randomize) and that when mx-a does, the next host drawn takes the mail
-- after 30 s (connect_timeout).  So every message is delivered, by mx-b
-- or mx-c, after one or two connection attempts, within 31 s of its
-- submission.  (With seed 3 the draws put mx-a first for four of the six
-- messages; the bounds hold whatever the draw.)

scenario "lint-three-equal-run" {
  description = "the failure 'mxsim explain' describes for three-equal.zone",
  seed = 3,
  stop_at = "1h",
}

zone "example.test" { file = "three-equal.zone" }

host "ns1"  { addr = "203.0.113.53", dns = { serves = { "example.test" } } }
host "mx-a" { addr = "192.0.2.10", smtp = {} }
host "mx-b" { addr = "198.51.100.10", smtp = {} }
host "mx-c" { addr = "203.0.113.10", smtp = {} }
host "mta"  { addr = "203.0.113.7",
              sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx-a" { kind = "down" }

for i = 1, 6 do
  message { at = (i - 1) * 60, from = "alice@sender.test",
            to = "user" .. i .. "@example.test" }
  expect { to = "user" .. i .. "@example.test", outcome = "delivered",
           before = (i - 1) * 60 + 31, attempts = { min = 1, max = 2 } }
end
