-- expect: tests/bad/resolver-timeout-negative.lua:9: host 'rec', resolver: 'timeout': -1 is not a duration (seconds >= 0)
-- A negative timeout.
scenario "resolver-timeout-negative" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "rec"  { addr = "198.51.100.53", resolver = { timeout = -1 } }
