-- expect: tests/bad/random-seed-after-draw.lua:6: scenario: the seed is declared after math.random was first used (at tests/bad/random-seed-after-draw.lua:5); declare the scenario before drawing numbers
-- math.random draws from the scenario's seed (docs/scenario-reference.md
-- "math.random"); a draw before the seed is declared would have used
-- another seed.
local n = math.random(1, 6)
scenario "random-seed-after-draw" { seed = 5, stop_at = "1h" }
