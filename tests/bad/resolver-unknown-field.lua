-- expect: tests/bad/resolver-unknown-field.lua:9: host 'rec', resolver: unknown field 'root' (did you mean 'roots'?)
-- "root" for "roots".
scenario "resolver-unknown-field" { stop_at = "1h" }
zone "." {
  { "@",            "NS", "a.root.test." },
  { "a.root.test.", "A",  "203.0.113.1" },
}
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
host "rec"  { addr = "198.51.100.53", resolver = { root = { "root" } } }
