-- primary-refuses: nothing listens on mx1's port 25; the sender moves on
-- at once.
--
-- Compare with primary-down.lua: a refused connection costs one round
-- trip (SYN, then RST from mx1), a silent host costs the whole connect
-- timeout.  In the capture the RST shows as "Connection reset".

scenario "primary-refuses" {
  description = "mx1 answers SYNs with RST; the sender fails over to mx2 within a millisecond",
  seed = 7,
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

-- Only SMTP is refused: mx1 still answers everything else.
outage "mx1" { kind = "refuse", service = "smtp" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 9293 §3.10.7.1: a SYN to a closed port gets RST; RFC 5321 §5.1:
-- the sender then tries the next address.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "10ms" }
expect { to = "bob@example.test", attempts = { "mx1:refused", "mx2:delivered" } }
