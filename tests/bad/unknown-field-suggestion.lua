-- expect: tests/bad/unknown-field-suggestion.lua:4: host 'mx1': unknown field 'smpt' (did you mean 'smtp'?)
-- An unknown field one typo away from a known one gets a suggestion.
scenario "unknown-field-suggestion" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smpt = {} }
