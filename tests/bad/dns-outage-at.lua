-- expect: tests/bad/dns-outage-at.lua:13: outage 'ns1': 'at' applies only to SMTP kinds (reply, drop, slow, hang, greylist)
-- 'at' (an SMTP phase) on a DNS kind.
scenario "dns-outage-at" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "ns1" { from = "0s", to = "10m", kind = "truncate", at = "rcpt" }
