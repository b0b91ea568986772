-- dns-truncate: the answer does not fit in UDP; the resolver asks over TCP.
--
-- For an hour ns1 sets TC (truncated) on its UDP answers and sends no
-- records, which is what a server does when the answer is larger than
-- the client can take (RFC 1035 §4.2.1; 512 bytes without EDNS0).  The
-- sender's resolver asks the same question again over TCP, with the
-- two-byte length prefix (RFC 1035 §4.2.2, RFC 7766), and gets the whole
-- answer.  In the capture: the UDP query, the truncated response, then a
-- TCP connection to port 53 carrying the query and the full response.

scenario "dns-truncate" {
  description = "ns1's UDP answers are truncated; the resolver retries every lookup over TCP",
  seed = 5,
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

outage "ns1" { from = "0s", to = "1h", kind = "truncate" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- glibc res_send.c send_vc(): a TC answer is asked again over TCP.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         before = "1s", attempts = { "mx1:delivered" } }
