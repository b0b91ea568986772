-- expect: tests/bad/random-randomseed.lua:5: math.randomseed is not available: math.random follows the scenario's seed (scenario { seed = N }, or mxsim run --seed N)
-- Same scenario and seed, same numbers (DESIGN.md "Determinism"): the seed
-- is the scenario's, not the script's (docs/scenario-reference.md).
scenario "random-randomseed" { stop_at = "1h" }
math.randomseed(42)
