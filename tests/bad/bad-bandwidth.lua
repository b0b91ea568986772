-- expect: tests/bad/bad-bandwidth.lua:4: host 'mx1', link: 'bandwidth' must be like "100Mbit", "10Mbps" or "1Gbit"
-- A bandwidth needs a unit of bits per second.
scenario "bad-bandwidth" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {}, link = { bandwidth = "100MB" } }
