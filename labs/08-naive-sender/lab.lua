-- Lab 08 data.  Sources: lua/profiles/first-mx-only.lua (mx_host_limit =
-- 1; smtp-cli, swaks: reference/mta-behavior.md §5 item 18) against
-- RFC 5321 §5.1 ("SHOULD try at least two addresses").
lab {
  title = "Debugging a failover bug",
  -- The same variant with the correct profile, for question 6.
  runs = { fixed = { profile = "rfc5321" } },
  params = {
    { "outage_end", choice = { "20m", "45m", "1h", "2h", "3h" } },
    { "mx2_octet", range = { 20, 99 } },
  },
  questions = {
    { id = 1, type = "integer", prompt = "How many SYNs does the sender send to mx2 during the whole run?",
      answer = function(run) return run:count("mta.connect", "^connect mx2") end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0 and ip.dst == 192.0.2.${mx2_octet}", field = "frame.number", take = "count" } },
    { id = 2, type = "integer", prompt = "How many delivery attempts does the sender make?",
      answer = function(run) return 1 + run:count("mta.retry") end },
    { id = 3, type = "duration", tolerance = "1us", prompt = "At what time is the message delivered?",
      answer = function(run) return run.sec(run:first("smtp.stored")) end,
      capture = { filter = "smtp.response.code == 250 and smtp.rsp.parameter contains \"queued\"", field = "frame.time_relative", take = "first" } },
    { id = 4, type = "host", prompt = "Which host receives it?",
      answer = function(run) return run:first("mta.delivered").text:match("via ([^.]+)") end },
    { id = 5, type = "text", choices = { "mx_host_limit", "connect_timeout", "retry", "equal_pref", "give_up" },
      prompt = "Which knob of the profile (mxsim profiles first-mx-only) causes the bug?",
      answer = function(run) return "mx_host_limit" end },
    { id = 6, type = "duration", tolerance = "1us", prompt = "Run it again with -D profile=rfc5321. At what time is the message delivered now?",
      -- RFC 5321 §5.1: after mx1's connect timeout the rfc5321 profile
      -- tries mx2 at once.  From the lab's second run (runs.fixed).
      answer = function(run) return run.runs.fixed:rel(run.runs.fixed:first("smtp.stored")) end,
      capture = { run = "fixed", filter = "smtp.response.code == 250 and smtp.rsp.parameter contains \"queued\"", field = "frame.time_relative", take = "first" } },
  },
}
