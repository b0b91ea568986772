-- expect: tests/bad/mx-cname-boolean.lua:13: host 'mta', sender: 'mx_cname' must be one of "follow", "refuse", got boolean
-- mx_cname takes a word, not true or false.
scenario "mx-cname-boolean" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "www", "A",  "192.0.2.80" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1", mx_cname = true } }
