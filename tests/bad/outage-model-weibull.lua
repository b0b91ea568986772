-- expect: tests/bad/outage-model-weibull.lua:15: outage 'mx1': 'model' must be "random", got "weibull"
-- Only the exponential model ("random") exists.
scenario "outage-model-weibull" { stop_at = "1h" }
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
outage "mx1" { kind = "down", model = "weibull", mtbf = "2h", mttr = "10m" }
