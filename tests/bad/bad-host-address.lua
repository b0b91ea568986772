-- expect: tests/bad/bad-host-address.lua:4: host 'mx1': bad address '192.0.2.300' (an IPv4 or IPv6 address, like "192.0.2.10")
-- 192.0.2.300 is not an IPv4 address (an octet is at most 255).
scenario "bad-host-address" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.300", smtp = {} }
