-- expect: tests/bad/bad-link-loss.lua:4: host 'mx1', link: 'loss' must be a number from 0 to below 1 (0.01 = 1%)
-- A link that loses everything is a link-down outage, not a loss rate.
scenario "bad-link-loss" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {}, link = { loss = 1 } }
