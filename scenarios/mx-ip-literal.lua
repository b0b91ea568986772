-- mx-ip-literal: an MX record whose exchange is written as an address.
--
-- "MX 10 192.0.2.10." is a mistake seen in real zones: the exchange must
-- be a host name (RFC 5321 §5.1), and "192.0.2.10." is just a name of
-- four labels with no address record.  Senders disagree (knob
-- mx_ip_literal):
--   - "mta" (rfc5321, mx_ip_literal = "reject", as Exim's default
--     allow_mx_to_ip = false) skips that MX without a lookup and
--     delivers to the backup, mx2;
--   - "lenient" (mx_ip_literal = "accept", as Postfix, which logs a
--     warning) connects to 192.0.2.10 directly.

scenario "mx-ip-literal" {
  description = "MX 10 is an IP literal: one sender skips it, another uses it as an address",
  seed = 10,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "192.0.2.10." },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx2", "A",  "192.0.2.20" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta"     { addr = "198.51.100.7",
                 sender = { profile = "rfc5321", resolver = "ns1" } }
host "lenient" { addr = "198.51.100.8",
                 sender = { profile = "rfc5321", resolver = "ns1",
                            mx_ip_literal = "accept" } }

message { at = "0s", sender = "mta",     from = "alice@sender.test",
          to = "bob@example.test" }
message { at = "1m", sender = "lenient", from = "alice@sender.test",
          to = "carol@example.test" }

-- Exim dnslookup router, allow_mx_to_ip = false: the MX is ignored.
expect { to = "bob@example.test", outcome = "delivered", via = "mx2",
         attempts = { "mx2:delivered" } }
-- Postfix smtp_addr.c: a numeric exchange is used as an address.
expect { to = "carol@example.test", outcome = "delivered", via = "mx1",
         attempts = { "mx1:delivered" } }
