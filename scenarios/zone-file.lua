-- zone-file: the zones come from master files, as an administrator has them.
--
-- zones/example.test.zone and zones/backup.test.zone are ordinary RFC
-- 1035 master files ($ORIGIN, $TTL, '@', relative names, a SOA over
-- several lines in parentheses, comments), read with ldns; a path is
-- relative to the scenario file.  This is how to test your own zone
-- before deploying it: declare your servers and your MX hosts, add
-- outages, and see where mail goes.  Here the primary, mx1, refuses
-- connections on port 25 for an hour; a dual-stack sender tries its IPv6
-- address, then its IPv4 address (each answered with a RST), then the
-- backup at the other provider.

scenario "zone-file" {
  description = "zones loaded from master files; mx1 refuses, mail goes to the backup provider",
  seed = 15,
  stop_at = "2h",
}

zone "example.test" { file = "zones/example.test.zone" }
zone "backup.test"  { file = "zones/backup.test.zone" }

host "ns1"    { addr = "192.0.2.53",    dns = { serves = { "example.test" } } }
host "ns2"    { addr = "198.51.100.53", dns = { serves = { "backup.test" } } }
host "mx1"    { addrs = { "192.0.2.10", "2001:db8::10" }, smtp = {} }
host "backup" { addr = "198.51.100.20", smtp = {} }
host "mta"    { addrs = { "203.0.113.7", "2001:db8:7::7" },
                sender = { profile = "rfc5321", resolver = { "ns1", "ns2" } } }

outage "mx1" { from = "0s", to = "1h", kind = "refuse" }

message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }

-- RFC 5321 §5.1: every address of mx1 (IPv6 first, RFC 6724), then the
-- next preference.
expect { to = "bob@example.test", outcome = "delivered", via = "backup",
         before = "1s", attempts = { "mx1:refused", "mx1:refused", "backup:delivered" } }
