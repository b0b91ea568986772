-- primary-554: mx1 refuses every client in its greeting with 554.
--
-- RFC 5321 §3.1: a server may answer a connection with 554 instead of 220;
-- it must then wait for QUIT.  The RFC does not say what the client does
-- next; the rfc5321 profile treats it like any failed MX host and tries
-- the next one.  In the capture: 554, then QUIT and 221 with mx1, then a
-- complete delivery to mx2.

scenario "primary-554" {
  description = "mx1 greets with 554; the sender says QUIT and delivers to mx2",
  seed = 11,
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

outage "mx1" { kind = "reply", at = "greeting",
               reply = "554 5.7.1 mx1.example.test No SMTP service here" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "1s",
         attempts = { "mx1:554", "mx2:delivered" } }
