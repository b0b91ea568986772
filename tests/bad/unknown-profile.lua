-- expect: tests/bad/unknown-profile.lua:4: host 'mta', sender: no profile named 'rfc5322' (did you mean 'rfc5321'?)
-- A sender profile that does not exist.
scenario "unknown-profile" { stop_at = "1h" }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5322", resolver = "mta" } }
