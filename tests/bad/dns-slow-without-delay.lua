-- expect: tests/bad/dns-slow-without-delay.lua:13: outage 'ns1': kind 'slow' needs a 'delay' above 0s: how long each DNS answer is held, like delay = "5s"
-- A slow DNS server without the delay it adds.
scenario "dns-slow-without-delay" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "ns1" { from = "0s", to = "10m", kind = "slow" }
