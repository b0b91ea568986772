-- expect: tests/bad/outage-retry-after-kind.lua:15: outage 'mx1': 'retry_after' applies only to kind 'greylist'
-- retry_after belongs to greylisting: a 451 reply has no memory of tries.
scenario "outage-retry-after-kind" { stop_at = "1h" }
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
outage "mx1" { kind = "reply", at = "rcpt", reply = "451 4.3.0 try later", retry_after = "5m" }
