-- sweep-three-mx: three MX hosts that fail at random, for seeded sweeps.
--
-- The administrator's question of docs/sweep.md: "three MX at 10/10/20"
-- under realistic outages, how likely is mail to arrive within an hour?
-- mx1 and mx2 share preference 10 (the rfc5321 profile shuffles them,
-- RFC 5321 §5.1 "MUST randomize"), mx3 is the backup at 20.  Each fails
-- on its own: model = "random" draws up and down times from the seed,
-- exponential with means mtbf and mttr (mx1, mx2: down 2h in every 8h
-- on average, 25 % of the time; mx3: 1h in every 4h, 25 %).  One message
-- leaves at 12h, when the outage processes have forgotten that they all
-- started up.  A down MX costs the 30 s connect timeout (rfc5321
-- profile); when all three are down the message waits for the retry
-- (30m, then 2h).
--
--   mxsim sweep scenarios/sweep-three-mx.lua --runs 1000
--
-- gives the distribution; 'mxsim run' shows one history.  Under this
-- file's seed every MX is up at 12h, so the capture holds one clean
-- dialogue with whichever of mx1 and mx2 the shuffle put first.

scenario "sweep-three-mx" {
  description = "three MX (10/10/20), each failing at random; one message at 12h",
  seed = 3,
  stop_at = "2d",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 10, "mx2" },
  { "@",   "MX", 20, "mx3" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.11" },
  { "mx3", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.11", smtp = {} }
host "mx3" { addr = "192.0.2.20", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { kind = "down", model = "random", mtbf = "6h", mttr = "2h" }
outage "mx2" { kind = "down", model = "random", mtbf = "6h", mttr = "2h" }
outage "mx3" { kind = "down", model = "random", mtbf = "3h", mttr = "1h" }

message { at = "12h", from = "alice@sender.test", to = "bob@example.test" }

-- Under seed 3 all three are up at 12h: the first MX of the shuffled
-- pair takes it in one connection (RFC 5321 §5.1).  Other seeds give
-- other histories: that is what 'mxsim sweep' counts.
expect { to = "bob@example.test", outcome = "delivered", after = "12h",
         before = "12h1s", attempts = { min = 1, max = 1 } }
