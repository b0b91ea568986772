-- expect: tests/bad/resolver-timeout-zero.lua:9: host 'rec', resolver: 'timeout' must be longer than 0s (the default is 1s)
-- A resolver that waits 0s for each answer would never get one.
scenario "resolver-timeout-zero" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "rec"  { addr = "198.51.100.53", resolver = { timeout = "0s" } }
