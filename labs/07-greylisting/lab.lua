-- Lab 07 data.  Sources: RFC 6647 §2.1 (greylisting with a temporary
-- failure), RFC 5321 §4.2.1 and §5.1 (a 4yz is transient: try the next
-- MX), postgrey --delay (retry_after).
lab {
  title = "Greylisting and 4xx replies",
  params = {
    { "retry_after", choice = { "1m", "5m", "10m", "20m" } },
    { "relay_retry", choice = { "15m", "30m", "45m" } },
  },
  questions = {
    { id = 1, type = "integer", prompt = "What reply code does mx1 give to the sender's RCPT TO?",
      answer = function(run) return tonumber(run:first("mta.fail").text:match(": (%d%d%d) ")) end,
      capture = { filter = "smtp.response.code >= 400 and ip.src == 192.0.2.10", field = "smtp.response.code", take = "first" } },
    { id = 2, type = "text", choices = { "transient", "permanent" },
      prompt = "Is that failure transient or permanent?",
      -- RFC 5321 §4.2.1: a first digit 4 is a transient negative
      -- completion, 5 a permanent one; the code mx1 gave, from the run.
      answer = function(run)
        local c = run:first("mta.fail").text:match(": ([45])%d%d ")
        return ({ ["4"] = "transient", ["5"] = "permanent" })[c]
      end },
    { id = 3, type = "host", prompt = "Which host does the sender hand the message to?",
      answer = function(run) return run:first("mta.delivered").text:match("via ([^.]+)") end },
    { id = 4, type = "duration", tolerance = "1ms",
      prompt = "How long after mx1 first greylisted mx2 did mx2's retry get through?",
      hint = "from mx2's first RCPT TO to mx1 to the one that passes",
      -- From the run, not from the drawn retry_after: mx1's smtp.greylist
      -- record with verdict "passed" for mx2's address carries first_seen,
      -- the time of the triplet's first (greylisted) RCPT; the retry
      -- passes once it comes at least retry_after later (RFC 6647 §2.1,
      -- postgrey --delay), on mx2's own retry schedule (relay_retry).
      answer = function(run)
        for _, r in ipairs(run:all("smtp.greylist", nil, "mx1")) do
          if r.verdict == "passed" and r.ip == "192.0.2.20" then
            return (r.t - r.first_seen) / 1e9
          end
        end
      end,
      capture = { filter = "smtp.req.command == \"RCPT\" and ip.src == 192.0.2.20 and ip.dst == 192.0.2.10", field = "frame.time_relative", take = "span" } },
    { id = 5, type = "duration", tolerance = "1us", prompt = "At what time does mx1 store the message?",
      answer = function(run) return run.sec(run:first("smtp.stored", nil, "mx1")) end },
    { id = 6, type = "integer", prompt = "How many greylist replies does mx1 send in all?",
      answer = function(run) return run:count("mta.fail", " 450 ") end,
      capture = { filter = "smtp.response.code == 450", field = "frame.number", take = "count" } },
  },
}
