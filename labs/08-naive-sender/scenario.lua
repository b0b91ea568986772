-- Lab 08: debugging a failover bug.  The sender runs the first-mx-only
-- profile (lua/profiles/first-mx-only.lua: smtp-cli and swaks only try
-- the best MX, reference/mta-behavior.md §5 item 18): mx1 is down, mx2
-- is up, and the mail still waits.
local outage_end = param "outage_end" { default = "1h", description = "when mx1 comes back" }
local mx2_octet = param "mx2_octet" { default = 20, description = "last octet of mx2's address" }
local profile = param "profile" { default = "first-mx-only", description = "the sender's profile" }

scenario "lab08" { description = "a sender that never tries the second MX", seed = 1, stop_at = "6h" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2." .. mx2_octet },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2." .. mx2_octet, smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = profile, resolver = "ns1" } }

outage "mx1" { from = "0s", to = outage_end, kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
