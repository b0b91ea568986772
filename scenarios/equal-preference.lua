-- equal-preference: two MX hosts share preference 10, and one of them is
-- down.
--
-- RFC 5321 §5.1: equal preferences MUST be randomised, so each message
-- tries mx1 or mx2 first at random (drawn from the seed).  The messages
-- that pick the dead mx1 first pay the 30 s connect timeout; the others
-- go straight to mx2.  Change the seed to see another draw.

scenario "equal-preference" {
  description = "mx1 and mx2 at preference 10, mx1 down: about half the messages wait 30 s",
  seed = 2024,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 10, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { kind = "down" }

-- Ten messages a minute apart, to ten recipients.
for i = 1, 10 do
  message { at = (i - 1) * 60, from = "alice@sender.test",
            to = "user" .. i .. "@example.test" }
  -- Whatever the draw, each is delivered by mx2 after one or two
  -- attempts, within the 30 s timeout plus a few round trips.
  expect { to = "user" .. i .. "@example.test", outcome = "delivered",
           via = "mx2", attempts = { min = 1, max = 2 } }
end
