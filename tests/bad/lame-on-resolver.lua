-- expect: tests/bad/lame-on-resolver.lua:10: outage 'rec': kind 'lame' makes a server refuse the zones it serves, and 'rec' serves none (for a resolver that refuses its clients, use kind 'refused')
-- A resolver serves no zone, so it cannot be lame for one (RFC 1912 §2.8).
scenario "lame-on-resolver" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "rec"  { addr = "198.51.100.53", resolver = {} }
outage "rec" { from = "0s", to = "10m", kind = "lame" }
