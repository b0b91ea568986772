-- expect: tests/bad/no-hosts.lua:4: the scenario declares no host: nothing to simulate
-- A scenario that declares nothing to simulate is a mistake, not an empty
-- success.
scenario "no-hosts" { stop_at = "1h" }
