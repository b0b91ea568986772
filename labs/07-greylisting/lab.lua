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
      answer = function(run) return "transient" end },
    { id = 3, type = "host", prompt = "Which host does the sender hand the message to?",
      answer = function(run) return run:first("mta.delivered").text:match("via ([^.]+)") end },
    { id = 4, type = "duration", prompt = "How long must a retry wait before mx1 lets it through?",
      answer = function(run) return tonumber(run.params.retry_after:match("%d+")) * 60 end },
    { id = 5, type = "duration", tolerance = "1us", prompt = "At what time does mx1 store the message?",
      answer = function(run) return run.sec(run:first("smtp.stored", nil, "mx1")) end },
    { id = 6, type = "integer", prompt = "How many greylist replies does mx1 send in all?",
      answer = function(run) return run:count("mta.fail", " 450 ") end,
      capture = { filter = "smtp.response.code == 450", field = "frame.number", take = "count" } },
  },
}
