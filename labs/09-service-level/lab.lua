-- Lab 09 data.  Sources: docs/sweep.md (what a sweep counts: a message is
-- delivered when a server accepts it after the final dot, the transfer of
-- responsibility of RFC 5321 §6.1; nearest-rank percentiles), RFC 5321
-- §5.1 (try the MX in preference order, the next one when one fails), the
-- rfc5321 profile's 30 s connect timeout and 30m, 2h retries
-- (reference/mta-behavior.md).  Every answer comes from the sweep's CSV.
local runs = 200
local target = 0.99 -- the service level: 99 % delivered within 1 h

local function within_1h(config)
  return function(run) return 100 * run:sweep("config=" .. config).within_1h end
end

lab {
  title = "Designing an MX configuration for a service level",
  params = {
    -- Down 6 % to 50 % of the time: some designs meet the target, some
    -- do not, and which ones differs from student to student.
    { "mtbf", choice = { "2h", "3h", "4h", "8h" } },
    { "mttr", choice = { "30m", "1h", "2h" } },
    { "relay_mtbf", choice = { "4h", "8h", "24h" } },
    { "relay_mttr", choice = { "30m", "1h", "2h" } },
  },
  -- The handout's command: the variant under seeds 1..runs, each design.
  sweep = { runs = runs, D = { "config=one,two,relay" }, deadlines = "1h,4h" },
  questions = {
    { id = 1, type = "percent", tolerance = 0.1,
      prompt = "With one MX, what share of the messages is delivered within 1 h?",
      answer = within_1h("one"),
      sweep = { variant = "config=one", column = "within_1h", scale = 100 } },
    { id = 2, type = "percent", tolerance = 0.1,
      prompt = "With two MX (10/20), what share is delivered within 1 h?",
      answer = within_1h("two"),
      sweep = { variant = "config=two", column = "within_1h", scale = 100 } },
    { id = 3, type = "percent", tolerance = 0.1,
      prompt = "With one MX and a relaying backup, what share is handed over within 1 h?",
      answer = within_1h("relay"),
      sweep = { variant = "config=relay", column = "within_1h", scale = 100 } },
    { id = 4, type = "duration", tolerance = "1s",
      prompt = "With one MX, what is the 90th percentile of the delivery latency?",
      hint = "the p90_s column of the CSV, in seconds",
      answer = function(run) return run:sweep("config=one").p90_s end,
      sweep = { variant = "config=one", column = "p90_s" } },
    { id = 5, type = "list", of = "text", choices = { "one", "two", "relay", "none" },
      prompt = "Which designs meet the target of 99 % within 1 h (in the order one, two, relay; or none)?",
      hint = "compare within_1h with 0.99; a share of exactly 99 % meets it",
      answer = function(run)
        local out = {}
        for _, c in ipairs({ "one", "two", "relay" }) do
          -- Integers, not floats: 0.99 is not exact in binary.
          local row = run:sweep("config=" .. c)
          local n = math.floor(row.within_1h * row.samples + 0.5)
          if n * 100 >= 99 * row.samples then out[#out + 1] = c end
        end
        if #out == 0 then out[1] = "none" end
        return out
      end },
    { id = 6, type = "integer",
      prompt = "With one MX, in how many of the runs does the message take more than 4 h?",
      hint = "samples times (1 - within_4h)",
      answer = function(run)
        local row = run:sweep("config=one")
        return math.floor(row.samples * (1 - row.within_4h) + 0.5)
      end },
  },
}
