-- Lab 09: designing an MX configuration for a service level.  The same
-- domain under three MX designs (param "config"), every MX failing at
-- random (model = "random": exponential up and down times of mean mtbf
-- and mttr, docs/scenario-reference.md), one message at 12h:
--   one:   a single MX, mx1 (pref 10);
--   two:   mx1 (10) and mx2 (20), both holding the mailboxes, failing alike;
--   relay: mx1 (10) and a backup MX at a provider, mx2 (20), that only
--          stores and forwards to mx1 (relay_mtbf, relay_mttr).
-- 'mxsim sweep --runs N -D config=one,two,relay' gives each design's
-- delivery distribution (docs/sweep.md); 'mxsim run' shows one history.
local config = param "config" { default = "one", description = "the MX design: one, two or relay" }
local mtbf = param "mtbf" { default = "12h", description = "mean time between failures of mx1 (and of mx2 in 'two')" }
local mttr = param "mttr" { default = "1h", description = "mean time to repair of mx1 (and of mx2 in 'two')" }
local relay_mtbf = param "relay_mtbf" { default = "24h", description = "the relaying backup's mean time between failures" }
local relay_mttr = param "relay_mttr" { default = "30m", description = "the relaying backup's mean time to repair" }

scenario "lab09" { description = "one MX, two MX or a relaying backup, under random outages", seed = 1, stop_at = "2d" }

assert(config == "one" or config == "two" or config == "relay",
       "config must be one, two or relay")

local records = {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}
if config ~= "one" then
  records[#records + 1] = { "@", "MX", 20, "mx2" }
end
records.ttl = "1h"
zone "example.test" (records)

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = { mailboxes = { "bob@example.test" } } }
if config == "relay" then
  -- A backup MX stores and forwards (RFC 5321 §5.1 drops its own
  -- preference and worse when it relays); its retry is its own.
  host "mx2" { addr = "192.0.2.20", smtp = { relay = true },
               sender = { profile = "rfc5321", resolver = "ns1" } }
else
  host "mx2" { addr = "192.0.2.20", smtp = { mailboxes = { "bob@example.test" } } }
end
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { kind = "down", model = "random", mtbf = mtbf, mttr = mttr }
if config == "two" then
  outage "mx2" { kind = "down", model = "random", mtbf = mtbf, mttr = mttr }
elseif config == "relay" then
  outage "mx2" { kind = "down", model = "random", mtbf = relay_mtbf, mttr = relay_mttr }
end

-- At 12h the outage processes have forgotten that they all started up.
message { at = "12h", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }
