-- expect: tests/bad/outage-random-without-mttr.lua:15: outage 'mx1': model "random" needs 'mtbf' (mean time between failures) and 'mttr' (mean time to repair), like mtbf = "2h", mttr = "10m"
-- A random model needs both means: how long up, how long down.
scenario "outage-random-without-mttr" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
outage "mx1" { kind = "down", model = "random", mtbf = "2h" }
