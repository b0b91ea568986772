-- expect: tests/bad/loss-without-rate.lua:5: outage 'mx1': kind 'loss' needs a 'rate' above 0 and at most 1
-- A loss burst says how much it loses.
scenario "loss-without-rate" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {} }
outage "mx1" { kind = "loss", from = "0s", to = "10s" }
