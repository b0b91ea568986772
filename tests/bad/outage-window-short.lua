-- expect: tests/bad/outage-window-short.lua:16: outage 'mx1': 'window' must be longer than 'retry_after'
-- A greylist window that closes before a retry may pass (postgrey:
-- --retry-window must be longer than --delay).
scenario "outage-window-short" { stop_at = "1h" }
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
outage "mx1" { kind = "greylist", retry_after = "10m", window = "5m" }
