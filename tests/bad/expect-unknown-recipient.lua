-- expect: tests/bad/expect-unknown-recipient.lua:14: expect: no message is sent to 'carol@example.test'
-- An expectation about carol, to whom no message goes (only bob).
scenario "expect-unknown-recipient" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
expect { to = "carol@example.test", outcome = "delivered" }
