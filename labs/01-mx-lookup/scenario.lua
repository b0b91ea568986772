-- Lab 01: what an MX lookup is.  One sender, one domain with two MX
-- records, both hosts up: the sender asks DNS for the domain's MX records,
-- then for the best host's address, and delivers there (RFC 5321 §5.1).
-- Each param is declared on one line (mxsim lab make rewrites its default).

local domain = param "domain" { default = "example.test", description = "the recipient's domain" }
local pref1 = param "pref1" { default = 10, description = "preference of mx1 (lower is better)" }
local pref2 = param "pref2" { default = 20, description = "preference of mx2" }
local mx1_octet = param "mx1_octet" { default = 10, description = "last octet of mx1's address" }
local mx2_octet = param "mx2_octet" { default = 20, description = "last octet of mx2's address" }
local ttl = param "ttl" { default = "1h", description = "TTL of the zone's records" }

scenario "lab01" { description = "an MX lookup, then delivery to the best MX", seed = 1, stop_at = "10m" }

zone(domain) {
  ttl = ttl,
  { "@",   "NS", "ns1" },
  { "@",   "MX", pref1, "mx1" },
  { "@",   "MX", pref2, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2." .. mx1_octet },
  { "mx2", "A",  "192.0.2." .. mx2_octet },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { domain } } }
host "mx1" { addr = "192.0.2." .. mx1_octet, smtp = {} }
host "mx2" { addr = "192.0.2." .. mx2_octet, smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }

message { at = "0s", from = "alice@sender.test", to = "bob@" .. domain }

-- RFC 5321 §5.1: the lowest preference is tried first; mx1 is up.
expect { to = "bob@" .. domain, outcome = "delivered", via = "mx1", attempts = { "mx1:delivered" } }
