-- expect: tests/bad/outage-mtbf-without-model.lua:15: outage 'mx1': 'mtbf' needs model = "random"
-- mtbf alone: a mean time between failures means a random model.
scenario "outage-mtbf-without-model" { stop_at = "1h" }
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
outage "mx1" { kind = "down", mtbf = "2h", mttr = "10m" }
