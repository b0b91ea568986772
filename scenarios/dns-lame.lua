-- dns-lame: the parent zone still lists a nameserver that left.
--
-- test. delegates example.test to two servers: ns-old, at a provider the
-- domain left (it still runs, but no longer serves example.test), and
-- ns1.  That is a lame delegation (RFC 1912 §2.8).  The sender asks a
-- recursive resolver.  Its first question goes to ns-old, listed first,
-- which answers REFUSED; the resolver marks it lame for example.test,
-- asks ns1 and gets the answer.  Its next question in the zone (A for
-- mx1) skips ns-old at once.  Mail flows; the lame server costs one
-- round trip.  Then, from 20 minutes, ns1 is lame too (its zone was
-- removed by mistake: outage kind "lame"), so the resolver has no server
-- left: SERVFAIL, and the second message is deferred until the fix.

scenario "dns-lame" {
  description = "one delegated server is lame, then both: one wasted round trip, then SERVFAIL and a deferral",
  seed = 12,
  stop_at = "2h",
}

zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
  { "test.",        "NS", "ns.nic.test." },
  { "ns.nic.test.", "A",  "203.0.113.2" },
}

zone "test" {
  { "@",                "NS", "ns.nic.test." },
  { "ns.nic.test.",     "A",  "203.0.113.2" },
  -- The delegation, old server first.
  { "example",          "NS", "ns-old.example.test." },
  { "example",          "NS", "ns1.example.test." },
  { "ns-old.example",   "A",  "198.51.100.54" },
  { "ns1.example",      "A",  "192.0.2.53" },
}

zone "example.test" {
  ttl = "5m",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}

-- The old provider's server serves other zones only.
zone "legacy.test" {
  { "@",  "NS", "ns-old.example.test." },
  { "@",  "MX", 10, "mail.legacy.test." },
  { "mail", "A", "198.51.100.25" },
}

host "root"   { addr = "203.0.113.1",   dns = { serves = { "." } } }
host "nic"    { addr = "203.0.113.2",   dns = { serves = { "test" } } }
host "ns-old" { addr = "198.51.100.54", dns = { serves = { "legacy.test" } } }
host "ns1"    { addr = "192.0.2.53",    dns = { serves = { "example.test" } } }
host "rec"    { addr = "198.51.100.53", resolver = {} }
host "mx1"    { addr = "192.0.2.10", smtp = {} }
host "mta"    { addr = "198.51.100.7",
                sender = { profile = "rfc5321", resolver = "rec" } }

outage "ns1" { from = "20m", to = "40m", kind = "lame" }

message { at = "0s",  from = "alice@sender.test", to = "bob@example.test" }
message { at = "30m", from = "alice@sender.test", to = "carol@example.test" }

-- Lame server skipped: delivered at once.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         before = "1s" }
-- RFC 5321 §5.1: SERVFAIL from the resolver is temporary; the retry
-- 30 minutes later (rfc5321 profile) finds ns1 fixed.
expect { to = "carol@example.test", outcome = "delivered", via = "mx1",
         after = "60m", before = "61m" }
