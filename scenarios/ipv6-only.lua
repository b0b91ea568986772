-- ipv6-only: a world without IPv4.  The nameserver, both MX hosts and the
-- sender have only IPv6 addresses.
--
-- Everything of the other stories works the same over IPv6: the MX and
-- AAAA queries go over UDP/IPv6, the SYNs announce an MSS of 1440 (1500
-- minus the 40-byte IPv6 header and the TCP header), and mx1, refusing
-- SMTP, answers with RST over IPv6, so the sender moves to mx2 at once.

scenario "ipv6-only" {
  description = "no IPv4 anywhere: DNS, TCP and SMTP over IPv6; mx1 refuses, mx2 accepts",
  seed = 66,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "AAAA", "2001:db8::53" },
  { "mx1", "AAAA", "2001:db8::10" },
  { "mx2", "AAAA", "2001:db8::20" },
}

host "ns1" { addr = "2001:db8::53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "2001:db8::10", smtp = {} }
host "mx2" { addr = "2001:db8::20", smtp = {} }
host "mta" { addr = "2001:db8:100::7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

outage "mx1" { kind = "refuse", service = "smtp" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 9293 §3.10.7.1 (RST for a closed port), RFC 5321 §5.1 (next MX).
expect { to = "bob@example.test", outcome = "delivered", via = "mx2", before = "10ms",
         attempts = { "mx1:refused", "mx2:delivered" } }
