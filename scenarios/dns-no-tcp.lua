-- dns-no-tcp: large answers, and a firewall that drops DNS over TCP.
--
-- Both nameservers of example.test truncate their UDP answers (they are
-- too large: RFC 1035 §4.2.1), so every lookup needs TCP.  A firewall in
-- front of ns1 drops TCP to port 53, a classic misconfiguration (RFC 7766
-- §1 makes TCP support mandatory).  The sender's resolver asks ns1 first:
-- the TC answer comes back at once, and the question goes again over TCP
-- to ns1.  glibc's connect() has no timeout of its own, so the resolver
-- waits until the kernel gives up on its SYNs (7 SYNs, 127 s on Linux);
-- then, still on TCP, it asks ns2, whose TCP works.  Each lookup (MX,
-- then A for mx1) pays those two minutes: a firewall rule can make mail
-- slow without making it fail.

scenario "dns-no-tcp" {
  description = "ns1 answers UDP with TC but drops TCP/53; each lookup waits 127 s before ns2",
  seed = 6,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "NS", "ns2" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "ns2", "A",  "198.51.100.53" },
  { "mx1", "A",  "192.0.2.10" },
}

host "ns1" { addr = "192.0.2.53",    dns = { serves = { "example.test" } } }
host "ns2" { addr = "198.51.100.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "203.0.113.7",
             sender = { profile = "rfc5321", resolver = { "ns1", "ns2" } } }

outage "ns1" { from = "0s", to = "1h", kind = "truncate" }
outage "ns1" { from = "0s", to = "1h", kind = "no-tcp" }
outage "ns2" { from = "0s", to = "1h", kind = "truncate" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- glibc send_vc(): a blocking connect() to ns1 fails after Linux's
-- tcp_syn_retries = 6 (127 s), then the next nameserver over TCP; the MX
-- and A lookups each pay it.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         after = "4m14s", before = "4m15s" }
