-- expect: tests/bad/unknown-field.lua:5: host 'mx1': unknown field 'adress' (did you mean 'addrs'?)
-- An unknown field: 'adress' meant 'addr'; the closest name by edit
-- distance is 'addrs', which leads the author to the right place.
scenario "unknown-field" { stop_at = "1h" }
host "mx1" { adress = "192.0.2.10", smtp = {} }
