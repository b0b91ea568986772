-- expect: tests/bad/declaration-without-body.lua:4: host 'mx1' declared without a body (forgot { ... }?)
-- host "mx1" with no { ... } after it.
scenario "declaration-without-body" { stop_at = "1h" }
host "mx1"
host "mx2" { addr = "192.0.2.20", smtp = {} }
