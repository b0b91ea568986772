-- Lab 06: a backup MX stores and forwards; without recipient checks it
-- accepts mail for unknown users and bounces it later (backscatter,
-- scenarios/backscatter.lua).
local outage_end = param "outage_end" { default = "30m", description = "when mx1 comes back" }
local user = param "user" { default = "nobody", description = "the unknown recipient" }
local retry = param "retry" { default = "30m", description = "the backup MX's retry delay" }

scenario "lab06" { description = "backup MX: store and forward, then backscatter", seed = 1, stop_at = "4h" }

zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}

zone "sender.test" {
  { "@",    "NS", "ns1.example.test." },
  { "@",    "MX", 10, "mail" },
  { "mail", "A",  "198.51.100.25" },
}

host "ns1"  { addr = "192.0.2.53", dns = { serves = { "example.test", "sender.test" } } }
host "mx1"  { addr = "192.0.2.10", smtp = { mailboxes = { "bob@example.test" } } }
host "mx2"  { addr = "192.0.2.20", smtp = { relay = true },
              sender = { profile = "rfc5321", resolver = "ns1", retry = { retry } } }
host "mail" { addr = "198.51.100.25", smtp = {} }
host "mta"  { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = outage_end, kind = "down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mta" }
message { at = "1m", from = "alice@sender.test", to = user .. "@example.test", sender = "mta" }

expect { to = "bob@example.test", via = "mx2", host = "mx1" }
expect { to = "alice@sender.test", message = 2, host = "mail" }
