-- expect: tests/bad/zone-empty-name.lua:4: zone needs a name: the root zone is written zone "."
-- The root zone is written ".", not "".
scenario "zone-empty-name" { stop_at = "1h" }
zone "" { { "@", "NS", "a.root.test." } }
