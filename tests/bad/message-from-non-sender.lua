-- expect: tests/bad/message-from-non-sender.lua:13: message: host 'mx1' has no sender role (give it sender = {...})
-- The message is sent by mx1, which has no sender role.
scenario "message-from-non-sender" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
message { at = "0s", from = "alice@sender.test", to = "bob@example.test", sender = "mx1" }
