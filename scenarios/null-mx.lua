-- null-mx: the recipient's domain publishes "MX 0 ." (RFC 7505): it
-- accepts no mail at all.
--
-- A sender that knows null MX bounces at once, without a single SMTP
-- connection: the capture holds one DNS query and its answer.

scenario "null-mx" {
  description = "nomail.test has a null MX; the message bounces immediately",
  seed = 1,
  stop_at = "1h",
}

zone "nomail.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "MX", 0, "." },
  { "ns1", "A",  "192.0.2.53" },
}

host "ns1" { addr = "192.0.2.53", dns = { serves = { "nomail.test" } } }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1" } }

message { at = "0s", from = "alice@sender.test", to = "bob@nomail.test" }

-- RFC 7505 §4.3: a sender MUST NOT attempt delivery to a null MX domain
-- and fails the message with 556 5.1.10.
expect { to = "bob@nomail.test", outcome = "bounced", before = "1s",
         attempts = { min = 0, max = 0 } }
