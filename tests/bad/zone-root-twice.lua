-- expect: tests/bad/zone-root-twice.lua:5: zone '.' is declared twice (first at line 4)
-- The root zone declared twice; the message names it ".", as written.
scenario "zone-root-twice" { stop_at = "1h" }
zone "." { { "@", "NS", "a.root.test." }, { "a.root.test.", "A", "203.0.113.1" } }
zone "." { { "@", "NS", "b.root.test." }, { "b.root.test.", "A", "203.0.113.2" } }
host "root" { addr = "203.0.113.1", dns = { serves = { "." } } }
