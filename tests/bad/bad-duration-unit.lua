-- expect: tests/bad/bad-duration-unit.lua:12: host 'mta', sender: 'connect_timeout': bad duration "30x": missing or unknown unit (use ns, us, ms, s, m, h or d)
-- "30x": a duration with an unknown unit, in a profile knob override.
scenario "bad-duration-unit" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { profile = "rfc5321", resolver = "ns1", connect_timeout = "30x" } }
message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
