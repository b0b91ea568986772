-- dns-stale-mx: mx1 is renumbered, and resolvers keep the old address.
--
-- At 10 minutes the operator moves mx1 from 192.0.2.10 to 192.0.2.11:
-- the zone changes (zone_change), the old machine is switched off.  But
-- the A record had a TTL of one hour, and the sender's recursive
-- resolver fetched it at 0 s: until it expires (at 1 h) the resolver
-- keeps answering the old address, as RFC 1035 §3.2.1 lets it.  The
-- message sent at 20 minutes tries the stale address, waits out the 30 s
-- connect timeout and falls back to mx2.  The message at 70 minutes
-- gets the new address.  The lesson: lower the TTL well before a
-- renumbering.

scenario "dns-stale-mx" {
  description = "mx1 renumbered at 10 min with a 1 h TTL: a cached stale address until 1 h",
  seed = 13,
  stop_at = "2h",
}

zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
  { "test.",        "NS", "ns1.example.test." },
  { "ns1.example.test.", "A", "192.0.2.53" },
}

-- ns1 serves test. and example.test (one server, two zones).
zone "test" {
  { "@",           "NS", "ns1.example.test." },
  { "example",     "NS", "ns1.example.test." },
  { "ns1.example", "A",  "192.0.2.53" },
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "198.51.100.20" },
}

-- The renumbering (RFC 1996 would NOTIFY secondaries; caches are not told).
zone_change {
  at = "10m", zone = "example.test",
  remove = { { "mx1", "A", "192.0.2.10" } },
  add    = { { "mx1", "A", "192.0.2.11" } },
}

host "root"    { addr = "203.0.113.1", dns = { serves = { "." } } }
host "ns1"     { addr = "192.0.2.53",
                 dns = { serves = { "test", "example.test" } } }
host "rec"     { addr = "198.51.100.53", resolver = {} }
host "mx1-old" { addr = "192.0.2.10", smtp = {} }
host "mx1"     { addr = "192.0.2.11", smtp = {} }
host "mx2"     { addr = "198.51.100.20", smtp = {} }
host "mta"     { addr = "198.51.100.7",
                 sender = { profile = "rfc5321", resolver = "rec" } }

outage "mx1-old" { from = "10m", to = "2h", kind = "down" }

message { at = "0s",  from = "alice@sender.test", to = "bob@example.test" }
message { at = "20m", from = "alice@sender.test", to = "carol@example.test" }
message { at = "70m", from = "alice@sender.test", to = "dave@example.test" }

-- Before the change: the old machine takes it.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1-old" }
-- RFC 1035 §3.2.1: the cached A record is used until its TTL runs out;
-- the rfc5321 profile's 30 s connect timeout, then the backup.
expect { to = "carol@example.test", outcome = "delivered", via = "mx2",
         after = "20m30s", before = "20m31s",
         attempts = { "mx1-old:timeout", "mx2:delivered" } }
-- After the TTL: the new address.
expect { to = "dave@example.test", outcome = "delivered", via = "mx1",
         attempts = { "mx1:delivered" } }
