-- Lab 05: retries and queues.  Every MX is down for a while; the message
-- waits in the queue and is retried on the profile's schedule (rfc5321:
-- 30 min, then every 2 h; RFC 5321 §4.5.4.1) until it is delivered or
-- its give_up time passes and it bounces.
local outage_end = param "outage_end" { default = "3h", description = "when both MX hosts come back" }
local give_up = param "give_up" { default = "4h", description = "the sender's queue lifetime" }
local first_retry = param "first_retry" { default = "30m", description = "the first retry delay" }

scenario "lab05" { description = "all MX down: retry schedule and bounce", seed = 1, stop_at = "12h" }

zone "example.test" {
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
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1",
             retry = { first_retry, "2h" }, give_up = give_up } }

outage "mx1" { from = "0s", to = outage_end, kind = "down" }
outage "mx2" { from = "0s", to = outage_end, kind = "refuse" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
