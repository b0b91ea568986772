-- Lab 06 data.  Sources: RFC 5321 §5.1 (a relay that is an MX drops its
-- own preference and worse), RFC 3464 (DSN), RFC 5321 §4.5.5 (null
-- reverse path <> on DSNs); backscatter: reference/mta-behavior.md §5.
lab {
  title = "Backup MX: store and forward, and backscatter",
  params = {
    { "outage_end", choice = { "20m", "30m", "45m", "1h" } },
    { "user", choice = { "nobody", "ghost", "info", "sales", "admin2" } },
    { "retry", choice = { "10m", "15m", "20m", "30m" } },
  },
  questions = {
    { id = 1, type = "host", prompt = "Which host accepts message 1 from the sender?",
      answer = function(run) return run:first("mta.delivered", "msg 1 ").text:match("via ([^.]+)") end },
    { id = 2, type = "duration", tolerance = "1us", prompt = "At what time does mx1 finally store message 1?",
      answer = function(run) return run.sec(run:first("smtp.stored", "msg 1 ", "mx1")) end },
    { id = 3, type = "integer", prompt = "What reply code does mx1 give mx2 for the recipient of message 2?",
      hint = "look at mx1's replies to mx2's RCPT TO for the unknown user",
      -- RFC 5321 §4.2.2 / RFC 3463: 550 5.1.1, mailbox unavailable (user
      -- unknown); read from mx1's reply frames to mx2.
      answer = function(run)
        for _, p in ipairs(run:packets({ src = "192.0.2.10", dst = "192.0.2.20", proto = "tcp" })) do
          local code = p.data and p.data:match("^([45]%d%d) ")
          if code then return tonumber(code) end
        end
      end,
      capture = { filter = "smtp.response.code >= 400 and ip.src == 192.0.2.10 and ip.dst == 192.0.2.20", field = "smtp.response.code", take = "first" } },
    { id = 4, type = "text", choices = { "<>", "<alice@sender.test>", "<postmaster@example.test>", "<MAILER-DAEMON@mx2.example.test>" },
      prompt = "What envelope sender (MAIL FROM) does the bounce carry: <>, <alice@sender.test>, <postmaster@example.test> or <MAILER-DAEMON@mx2.example.test>?",
      hint = "RFC 5321 §4.5.5: what reverse-path does a notification use?",
      -- RFC 5321 §4.5.5 and §6.1: a DSN is sent with the null reverse-path
      -- <> so that it can never bounce again.  Read from the MAIL command
      -- the bounce's sender writes to the mail host.
      answer = function(run)
        for _, p in ipairs(run:packets({ dst = "198.51.100.25", proto = "tcp", data = "^MAIL FROM:" })) do
          return p.data:match("^MAIL FROM:(<[^>]*>)")
        end
      end,
      capture = { filter = "smtp.req.command == \"MAIL\" and ip.dst == 198.51.100.25", field = "smtp.req.parameter", take = "first", extract = "^FROM:(<[^>]*>).*" } },
    { id = 5, type = "host", prompt = "Into which host's mailbox does the bounce land?",
      answer = function(run) return run:first("smtp.stored", nil, "mail").host end },
    { id = 6, type = "duration", tolerance = "1us", prompt = "At what time does the bounce land there?",
      answer = function(run) return run.sec(run:first("smtp.stored", nil, "mail")) end },
  },
}
