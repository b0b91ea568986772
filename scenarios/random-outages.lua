-- random-outages: a primary that fails now and then, for two days.
--
-- Nobody schedules real outages.  mx1 fails on average every 2 hours
-- (mtbf) and takes on average 15 minutes to repair (mttr): model =
-- "random" draws the windows from the seed, up times and down times
-- both exponential (the memoryless failure and repair of reliability
-- theory); the narrative prints each drawn window as it opens and
-- closes.  Over 2 days that is about 21 windows, mx1 dark about 11% of
-- the time (15m / 2h15m).  A message leaves every 30 minutes, 96 in
-- all.  One sent while mx1 is down waits out the 30 s connect timeout
-- (rfc5321 profile, Postfix smtp_connect_timeout) and goes to mx2 in
-- the same attempt (RFC 5321 §5.1); the others go straight to mx1.
-- Run it with another --seed: other windows, the same expectations.

scenario "random-outages" {
  description = "mx1 fails at random (mtbf 2h, mttr 15m) for 2 days; a message every 30 min",
  seed = 7,
  stop_at = "2d",
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
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { kind = "down", model = "random", mtbf = "2h", mttr = "15m" }

-- Every 30 minutes, the last one 30 minutes before the end.
for i = 0, 95 do
  message { at = (i * 30) .. "m", from = "alice@sender.test",
            to = "bob@example.test" }
end

-- Whatever the windows: every message is delivered, within the first
-- attempt (RFC 5321 §5.1: the backup is tried when the primary times
-- out), after one or two connections: mx1 alone, or mx1's 30 s timeout
-- and then mx2.  mx2 never fails, so no message waits for a retry.
expect { to = "bob@example.test", outcome = "delivered", attempts = { min = 1, max = 2 } }
