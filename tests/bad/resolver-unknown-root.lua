-- expect: tests/bad/resolver-unknown-root.lua:9: host 'rec', resolver: 'roots': no host named 'rot' (did you mean 'root'?)
-- The root hint "rot" is a typo for the host "root".
scenario "resolver-unknown-root" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "rec"  { addr = "198.51.100.53", resolver = { roots = { "rot" } } }
