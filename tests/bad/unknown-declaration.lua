-- expect: tests/bad/unknown-declaration.lua:4: unknown name 'hots' (did you mean 'host'?)
-- An unknown declaration word: 'hots' for 'host'.
scenario "unknown-declaration" { stop_at = "1h" }
hots "mx1" { addr = "192.0.2.10" }
