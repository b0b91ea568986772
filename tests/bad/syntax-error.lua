-- expect: tests/bad/syntax-error.lua:5: '}' expected (to close '{' at line 4) near 'host'
-- Lua syntax error: the body of mx1 is never closed.
scenario "syntax-error" { stop_at = "1h" }
host "mx1" { addr = "192.0.2.10", smtp = {}
host "ns1" { addr = "192.0.2.53" }
