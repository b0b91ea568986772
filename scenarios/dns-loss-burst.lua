-- dns-loss-burst: for the first two seconds the nameserver's link loses
-- every datagram.
--
-- The sender's first MX query is lost; glibc's resolver asks again after
-- its 5 s timeout, the burst is over, and the answer comes.  The message
-- is delivered 5 s late, not deferred.

scenario "dns-loss-burst" {
  description = "a 2 s loss burst on ns1's link: the MX query is retried after 5 s",
  seed = 4,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "ns1" { from = "0s", to = "2s", kind = "loss", rate = 1.0 }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- glibc send_dg(): one server, the second try 5 s after the first.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "5s", before = "5.01s", attempts = { "mx1:delivered" } }
