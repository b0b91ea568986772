-- Lab 04 data.  Source: RFC 5321 §5.1 ("If there are multiple
-- destinations with the same preference ... the SMTP client SHOULD pick
-- one at random"); rfc5321 profile equal_pref = shuffle, from the seed.
local function via(run, host)
  return run:count("mta.delivered", "via " .. host .. "%.")
end
lab {
  title = "Equal preferences",
  params = {
    { "seed", range = { 1, 100000 } },
    { "count", range = { 12, 30 } },
    { "pref", range = { 5, 50 }, step = 5 },
  },
  questions = {
    { id = 1, type = "integer", prompt = "How many messages does the sender send?",
      answer = function(run) return run:count("mta.queued") end,
      capture = { filter = "smtp.req.command == \"MAIL\"", field = "frame.number", take = "count" } },
    { id = 2, type = "integer", prompt = "How many of them are delivered to mx1?",
      answer = function(run) return via(run, "mx1") end,
      capture = { filter = "smtp.req.command == \"MAIL\" and ip.dst == 192.0.2.10", field = "frame.number", take = "count" } },
    { id = 3, type = "integer", prompt = "How many are delivered to mx2?",
      answer = function(run) return via(run, "mx2") end,
      capture = { filter = "smtp.req.command == \"MAIL\" and ip.dst == 192.0.2.20", field = "frame.number", take = "count" } },
    { id = 4, type = "host", prompt = "Which host receives message 1?",
      answer = function(run) return run:attempts(1)[1] end },
    { id = 5, type = "integer", prompt = "What preference do both MX records carry?",
      answer = function(run) return tonumber(run:first("mta.mx").text:match(": (%d+) ")) end,
      capture = { filter = "dns.flags.response == 1 and dns.qry.type == 15", field = "dns.mx.preference", take = "first" } },
    { id = 6, type = "text", choices = { "random", "first-in-dns", "round-robin", "lowest-address" },
      prompt = "How does this sender choose between equal preferences: random, first-in-dns, round-robin or lowest-address?",
      answer = function(run) return "random" end },
  },
}
