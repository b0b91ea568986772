-- expect: tests/bad/bad-zone-address.lua:4: zone 'example.test', record 4: bad IPv4 address '192.0.2.1.0'
-- The A record of mx1 holds five octets.
scenario "bad-zone-address" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.1.0" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
