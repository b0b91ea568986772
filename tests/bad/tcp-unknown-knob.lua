-- expect: tests/bad/tcp-unknown-knob.lua:4: host 'mx1', tcp: unknown field 'syn_retry' (did you mean 'syn_retries'?)
-- TCP knobs are checked like every other field.
scenario "tcp-unknown-knob" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {}, tcp = { syn_retry = 3 } }
