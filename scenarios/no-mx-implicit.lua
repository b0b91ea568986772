-- no-mx-implicit: the domain has no MX record, only an address.
--
-- RFC 5321 §5.1: when the MX lookup answers NOERROR with no MX record
-- (NODATA), the domain itself is the mail exchanger, with preference 0.
-- The capture shows the MX query answered with the zone's SOA in the
-- authority section, then an A query for the domain itself.

scenario "no-mx-implicit" {
  description = "example.test has no MX, only an A record; mail goes to that address",
  seed = 1,
  stop_at = "1h",
}

zone "example.test" {
  ttl = "1h",
  { "@",   "NS", "ns1" },
  { "@",   "A",  "192.0.2.25" },
  { "ns1", "A",  "192.0.2.53" },
}

host "ns1"  { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mail" { addr = "192.0.2.25", smtp = {} }
host "mta"  { addr = "198.51.100.7",
              sender = { profile = "rfc5321", resolver = "ns1" } }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §5.1 implicit MX.
expect { to = "bob@example.test", outcome = "delivered", via = "mail",
         attempts = { "mail:delivered" }, before = "1s" }
