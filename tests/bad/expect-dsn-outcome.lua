-- expect: tests/bad/expect-dsn-outcome.lua:14: expect: 'alice@sender.test' is a sender: an expectation on it is about a DSN and takes only 'host' (where the DSN lands), 'before', 'after' and 'message'
-- An expectation on a message's envelope sender asks for an outcome.
scenario "expect-dsn-outcome" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
message { from = "alice@sender.test", to = "bob@example.test" }
expect { to = "alice@sender.test", outcome = "delivered" }
