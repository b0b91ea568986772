-- expect: tests/bad/resolver-roots-empty.lua:9: host 'rec', resolver: 'roots' is empty (leave it out to start from the hosts that serve ".")
-- An empty list of root hints: no resolution could start.
scenario "resolver-roots-empty" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "rec"  { addr = "198.51.100.53", resolver = { roots = {} } }
