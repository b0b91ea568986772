-- mx-cname: the primary MX host is an alias (CNAME) at a hosting provider.
--
-- example.test publishes "MX 10 mail.example.test", and mail.example.test
-- is a CNAME for mx1.hosting.test, a name in another zone on another
-- server.  RFC 2181 §10.3 says an MX must not point at an alias, yet
-- Postfix, Exim, OpenSMTPD and Sendmail all follow it; a strict sender
-- does not.  Two senders here, one of each (knob mx_cname):
--   - "mta" (rfc5321, mx_cname = "follow") asks A for mail.example.test,
--     gets only the CNAME from ns1 (the target is not in its zone), asks
--     A for mx1.hosting.test and delivers there;
--   - "strict" (mx_cname = "refuse") treats the alias as unusable and
--     delivers to the backup, mx2 (preference 20).

scenario "mx-cname" {
  description = "MX 10 points at a CNAME: followed by one sender, refused by another",
  seed = 9,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",    "NS",    "ns1" },
  { "@",    "MX",    10, "mail" },
  { "@",    "MX",    20, "mx2" },
  { "mail", "CNAME", "mx1.hosting.test." },
  { "ns1",  "A",     "192.0.2.53" },
  { "mx2",  "A",     "192.0.2.20" },
}

zone "hosting.test" {
  ttl = "1h",
  { "@",   "NS", "ns" },
  { "ns",  "A",  "203.0.113.53" },
  { "mx1", "A",  "203.0.113.10" },
}

host "ns1" { addr = "192.0.2.53",   dns = { serves = { "example.test" } } }
host "nsh" { addr = "203.0.113.53", dns = { serves = { "hosting.test" } } }
host "mx1" { addr = "203.0.113.10", smtp = {} }
host "mx2" { addr = "192.0.2.20",   smtp = {} }
-- Each sender's resolver list holds both servers: a stub resolver asks
-- the first, which refuses a question outside its zones, then the next.
host "mta"    { addr = "198.51.100.7",
                sender = { profile = "rfc5321", resolver = { "ns1", "nsh" } } }
host "strict" { addr = "198.51.100.8",
                sender = { profile = "rfc5321", resolver = { "ns1", "nsh" },
                           mx_cname = "refuse" } }

message { at = "0s", sender = "mta",    from = "alice@sender.test",
          to = "bob@example.test" }
message { at = "1m", sender = "strict", from = "alice@sender.test",
          to = "carol@example.test" }

-- mx_cname = "follow": Postfix dns_lookup.c follows up to 10 CNAMEs.
expect { to = "bob@example.test", outcome = "delivered", via = "mx1",
         attempts = { "mx1:delivered" } }
-- mx_cname = "refuse": RFC 2181 §10.3 read strictly; the backup takes it.
expect { to = "carol@example.test", outcome = "delivered", via = "mx2",
         attempts = { "mx2:delivered" } }
