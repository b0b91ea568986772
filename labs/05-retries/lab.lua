-- Lab 05 data.  Sources: RFC 5321 §4.5.4.1 (retry interval at least
-- 30 min, give up after 4-5 days), the rfc5321 profile's retry and
-- give_up knobs (here overridden per student), RFC 3464 (the DSN).
lab {
  title = "Retries and queues",
  params = {
    { "outage_end", choice = { "1h", "2h", "3h", "5h", "7h" } },
    { "give_up", choice = { "4h", "6h" } },
    { "first_retry", choice = { "10m", "15m", "30m" } },
  },
  questions = {
    { id = 1, type = "integer", prompt = "How many TCP RSTs come from mx2 during the first delivery attempt?",
      -- RFC 9293 §3.10.7.1: a refusing host answers each SYN with one RST,
      -- and Linux gives up the connect at once (ECONNREFUSED): no retry.
      -- Counted in the run's frames before the second attempt starts.
      answer = function(run)
        local t2 = run:first("mta.retry").t
        return #run:packets(function(p)
          return p.src == "192.0.2.20" and p.proto == "tcp" and p.flags:find("R") ~= nil and p.t < t2
        end)
      end,
      capture = { field = "frame.number", take = "count",
        filter = function(run)
          return string.format("tcp.flags.reset == 1 and ip.src == 192.0.2.20 and frame.time_relative < %.6f",
            run:rel(run:first("mta.retry")))
        end } },
    { id = 2, type = "duration", tolerance = "1us", prompt = "At what time does the second delivery attempt start?",
      answer = function(run) return run.sec(run:first("mta.retry")) end },
    { id = 3, type = "integer", prompt = "How many delivery attempts does the sender make in all?",
      answer = function(run) return 1 + run:count("mta.retry") end },
    { id = 4, type = "text", choices = { "delivered", "bounced", "deferred" },
      prompt = "What happens to the message in the end: delivered, bounced or deferred?",
      answer = function(run)
        if run:first("mta.delivered") then return "delivered" end
        if run:first("mta.bounce") then return "bounced" end
        return "deferred"
      end },
    { id = 5, type = "duration", tolerance = "1us", prompt = "At what time does that happen?",
      answer = function(run) return run.sec(run:first("mta.delivered") or run:first("mta.bounce")) end },
    { id = 6, type = "integer", prompt = "How many SYNs does the sender send to mx1 over the whole run?",
      answer = function(run)
        local n = 0
        for _, r in ipairs(run:all("mta.fail", "^mx1")) do n = n + tonumber(r.text:match("(%d+) SYNs") or 0) end
        if run:first("mta.delivered", "via mx1") then n = n + 1 end
        return n
      end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0 and ip.dst == 192.0.2.10", field = "frame.number", take = "count" } },
  },
}
