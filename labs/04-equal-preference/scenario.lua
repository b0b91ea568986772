-- Lab 04: equal preferences.  mx1 and mx2 share one preference; RFC 5321
-- §5.1 says the sender SHOULD pick among them at random, so the messages
-- spread over both (rfc5321 profile: equal_pref = shuffle, from the seed).
local seed = param "seed" { default = 7, description = "the run's seed (the shuffles)" }
local count = param "count" { default = 20, description = "messages sent" }
local pref = param "pref" { default = 10, description = "the shared preference" }

scenario "lab04" { description = "equal preferences spread the load", seed = seed, stop_at = "1h" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", pref, "mx1" },
  { "@",   "MX", pref, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }

for i = 1, count do
  message { at = (i - 1) .. "m", from = "alice@sender.test", to = "user" .. i .. "@example.test" }
end
