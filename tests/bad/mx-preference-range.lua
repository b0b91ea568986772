-- expect: tests/bad/mx-preference-range.lua:4: zone 'example.test', record 2: MX preference '70000' is not a number from 0 to 65535
-- An MX preference is 16 bits (RFC 1035 §3.3.9): 70000 does not fit.
scenario "mx-preference-range" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 70000, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
