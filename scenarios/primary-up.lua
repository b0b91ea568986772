-- primary-up: everything works; mail goes to the preferred MX.
--
-- The baseline for the other scenarios: one MX lookup, one A lookup per MX
-- host, one SMTP session with mx1 (preference 10), and mx2 never hears
-- from the sender.

scenario "primary-up" {
  description = "both MX hosts are up; mail goes to mx1, the lower preference",
  seed = 1,
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

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §5.1: the lowest preference value is tried first.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         host = "mx1", before = "1s" }
expect { to = "bob@example.test", attempts = { "mx1:delivered" } }
