-- expect: tests/bad/dns-outage-on-mail-host.lua:13: outage 'mx1': kind 'servfail' needs a host that answers DNS (dns = {...} or resolver = {...})
-- A DNS outage on mx1, which has no DNS role.
scenario "dns-outage-on-mail-host" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { from = "0s", to = "10m", kind = "servfail" }
