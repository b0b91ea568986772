-- expect: tests/bad/uses-os.lua:4: 'os' is not available in scenarios
-- The sandbox has no os (nor io, require, load, dofile, debug).
scenario "uses-os" { stop_at = "1h" }
os.exit(0)
