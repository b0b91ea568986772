-- expect: tests/bad/no-tcp-on-mail-host.lua:13: outage 'mx1': kind 'no-tcp' needs a host that answers DNS (dns = {...} or resolver = {...})
-- no-tcp on a host with no DNS role (it would block nothing).
scenario "no-tcp-on-mail-host" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { from = "0s", to = "10m", kind = "no-tcp" }
