-- dns-recursive: the sender's resolver walks the delegations from the root.
--
-- The sender asks a recursive resolver, as most MTAs do.  The resolver
-- knows only the root server; the root refers it to the server of
-- "test.", which refers it to ns1, the authoritative server of
-- example.test (each referral carries the glue address of the next
-- server).  The second message, 10 minutes later, is resolved from the
-- resolver's cache: no query leaves it.  In the capture (--capture-at
-- rec shows the resolver's side): the stub's MX query, then three
-- iterative queries without RD (root, test., example.test), the answer
-- to the stub with RA set; then the A query for mx1, answered from the
-- NS of example.test already known.

scenario "dns-recursive" {
  description = "iterative resolution from the root through test. to example.test, then from the cache",
  seed = 7,
  stop_at = "1h",
}

zone "." {
  { "@",               "NS", "a.root.test." },
  { "a.root.test.",    "A",  "203.0.113.1" },
  -- The delegation of test., with its glue (RFC 1034 §4.2.1).
  { "test.",           "NS", "ns.nic.test." },
  { "ns.nic.test.",    "A",  "203.0.113.2" },
}

zone "test" {
  { "@",                  "NS", "ns.nic.test." },
  { "ns.nic.test.",       "A",  "203.0.113.2" },
  { "example",            "NS", "ns1.example.test." },
  { "ns1.example",        "A",  "192.0.2.53" },
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

host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "nic"  { addr = "203.0.113.2", dns = { serves = { "test" } } }
host "ns1"  { addr = "192.0.2.53",  dns = { serves = { "example.test" } } }
host "rec"  { addr = "198.51.100.53", resolver = {} }
host "mx1"  { addr = "192.0.2.10", smtp = {} }
host "mx2"  { addr = "192.0.2.20", smtp = {} }
host "mta"  { addr = "198.51.100.7",
              sender = { profile = "rfc5321", resolver = "rec" } }

message { at = "0s",  from = "alice@sender.test", to = "bob@example.test" }
message { at = "10m", from = "alice@sender.test", to = "carol@example.test" }

-- RFC 5321 §5.1: the lowest preference first; mx1 is up.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1" }
expect { to = "carol@example.test", outcome = "delivered", via = "mx1",
         before = "10m1s" }
