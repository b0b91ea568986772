-- Lab 03: a refused connection, an unreachable host and a silent one.
-- Three MX hosts fail in three ways (docs/scenario-reference.md, outage
-- kinds refuse, unreachable, down); the fourth is up.  'order' says which
-- of mx1, mx2, mx3 fails how.
local order = param "order" { default = "refuse,unreachable,down", description = "failure kinds of mx1, mx2, mx3" }
local timeout = param "timeout" { default = "30s", description = "the sender's connect_timeout" }

scenario "lab03" { description = "refused vs unreachable vs timeout", seed = 1, stop_at = "1h" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "@",   "MX", 30, "mx3" },
  { "@",   "MX", 40, "mx4" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.11" },
  { "mx2", "A",  "192.0.2.12" },
  { "mx3", "A",  "192.0.2.13" },
  { "mx4", "A",  "192.0.2.14" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
site "receiver" { hosts = { "mx1", "mx2", "mx3", "mx4" } }
host "mx1" { addr = "192.0.2.11", smtp = {} }
host "mx2" { addr = "192.0.2.12", smtp = {} }
host "mx3" { addr = "192.0.2.13", smtp = {} }
host "mx4" { addr = "192.0.2.14", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1", connect_timeout = timeout } }

local i = 0
for kind in order:gmatch("[^,]+") do
  i = i + 1
  outage("mx" .. i) { from = "0s", kind = kind }
end

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

expect { to = "bob@example.test", outcome = "delivered", via = "mx4" }
