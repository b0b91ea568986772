-- primary-421: mx1 accepts connections but turns every client away with
-- "421 Service not available" in its greeting.
--
-- RFC 5321 §3.8: 421 closes the channel; the sender treats the reply as a
-- temporary failure of that host and tries the next MX.

scenario "primary-421" {
  description = "mx1 greets with 421 for 30 minutes; mail goes to mx2",
  seed = 3,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
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
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { from = "0s", to = "30m", kind = "reply", at = "greeting",
               reply = "421 4.3.2 mx1.example.test Service not available" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
message { at = "40m", from = "alice@sender.test", to = "carol@example.test" }

-- During the outage: 421 at the greeting, then mx2 (RFC 5321 §3.8, §5.1).
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "1s" }
expect { to = "bob@example.test", attempts = { "mx1:421", "mx2:delivered" } }
-- After it: mx1 again.
expect { to = "carol@example.test", attempts = { "mx1:delivered" } }
