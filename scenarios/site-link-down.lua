-- site-link-down: the receiver's primary site loses its uplink for ten
-- minutes; the backup MX sits at another site and takes the mail.
--
-- Three sites: the sender's, the primary site (mx1 and the nameserver's
-- secondary), and the backup site (mx2).  Every site hangs off the core
-- router "internet" by its uplink; hosts hang off their site's router.
-- With the primary uplink down, SYNs to mx1 vanish on that link (the
-- capture says so), the sender times out, and mx2 accepts the message.
-- A second message after the outage goes to mx1 again.

scenario "site-link-down" {
  description = "the primary site's uplink is down for 10 min; mx2 at another site takes over",
  seed = 12,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "203.0.113.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "198.51.100.20" },
}

-- Latencies of a small internet: 1 ms inside a site, 10-20 ms to the core.
site "sender"  { hosts = { "mta" },       link = { latency = "10ms" } }
site "primary" { hosts = { "mx1" },       link = { latency = "20ms" } }
site "backup"  { hosts = { "mx2", "ns1" }, link = { latency = "15ms" } }

host "ns1" { addr = "203.0.113.53", dns = { serves = { "example.test" } },
             link = { latency = "1ms" } }
host "mx1" { addr = "192.0.2.10", smtp = {}, link = { latency = "1ms" } }
host "mx2" { addr = "198.51.100.20", smtp = {}, link = { latency = "1ms" } }
host "mta" { addr = "198.51.100.7", link = { latency = "1ms" },
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "primary" { from = "0s", to = "10m", kind = "link-down" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
message { at = "15m", from = "alice@sender.test", to = "carol@example.test" }

-- mta to ns1: 1 + 10 + 15 + 1 = 27 ms one way; three lookups (MX, A, A)
-- take 162 ms, the connect timeout 30 s, then mx2: 1 + 10 + 15 + 1 ms
-- one way, 7 round trips (handshake, 220, EHLO, MAIL, RCPT, DATA, dot).
expect { to = "bob@example.test", outcome = "delivered", via = "mx2",
         attempts = { "mx1:timeout", "mx2:delivered" }, after = "30s", before = "31s" }
expect { to = "carol@example.test", attempts = { "mx1:delivered" } }
