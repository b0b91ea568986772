-- Lab 01 data: per-student params and the questions (labs/README.md).
lab {
  title = "What an MX lookup is",
  params = {
    { "domain", choice = { "example.test", "shop.test", "campus.test", "post.test", "widgets.test" } },
    { "pref1", range = { 1, 15 } },
    { "pref2", range = { 20, 50 }, step = 5 },
    { "mx1_octet", range = { 10, 99 } },
    { "mx2_octet", range = { 100, 199 } },
    { "ttl", choice = { "5m", "30m", "1h", "2h", "1d" } },
  },
  questions = {
    { id = 1, type = "integer",
      prompt = "What query type number does the sender's first DNS query carry?",
      -- RFC 1035 §3.2.2: TYPE MX = 15.
      answer = function(run)
        local q = run:first("dns.query")
        return ({ A = 1, NS = 2, CNAME = 5, MX = 15, AAAA = 28 })[q.qtype]
      end,
      capture = { filter = "dns.flags.response == 0", field = "dns.qry.type", take = "first" } },
    { id = 2, type = "integer",
      prompt = "How many records are in the answer section of the reply to that query?",
      answer = function(run) return run:first("dns.answer", "MX%?").answers end,
      capture = { filter = "dns.flags.response == 1 and dns.qry.type == 15", field = "dns.count.answers", take = "first" } },
    { id = 3, type = "list", of = "integer",
      prompt = "List the MX preference values in that answer, in the order they appear.",
      answer = function(run)
        local out = {}
        for p in run:first("mta.mx").text:gmatch("(%d+) mx%d") do out[#out + 1] = tonumber(p) end
        return out
      end,
      capture = { filter = "dns.flags.response == 1 and dns.qry.type == 15", field = "dns.mx.preference", take = "list" } },
    { id = 4, type = "integer",
      prompt = "What TTL, in seconds, do the MX records carry?",
      -- RFC 1035 §3.2.1 / §4.1.3: a record's TTL is a 32-bit field in
      -- seconds.  Read from the first MX reply the sender got (the frame
      -- the capture check reads), not from the zone's drawn ttl; RFC 2181
      -- §5.2: every record of an RRset carries the same TTL.
      answer = function(run)
        for _, m in ipairs(run:dns({ sport = 53 })) do
          if m.qr and m.qtype == "MX" then
            local ttl
            for _, rr in ipairs(m.answers) do
              if rr.type == "MX" then
                if ttl ~= nil and rr.ttl ~= ttl then
                  error(string.format("frame %d: the MX records' TTLs differ (RFC 2181 §5.2)", m.pkt.frame), 0)
                end
                ttl = rr.ttl
              end
            end
            return ttl
          end
        end
      end,
      capture = { filter = "dns.flags.response == 1 and dns.qry.type == 15", field = "dns.resp.ttl", take = "first" } },
    { id = 5, type = "host",
      prompt = "Which MX host (its label, e.g. mx1) does the sender connect to first?",
      hint = "RFC 5321 §5.1: which preference value is tried first?",
      answer = function(run) return run:attempts()[1] end },
    { id = 6, type = "addr",
      prompt = "To which IPv4 address does the sender's first TCP SYN go?",
      answer = function(run) return run:first("mta.connect").text:match("%[([%d.]+)%]") end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0", field = "ip.dst", take = "first" } },
    { id = 7, type = "duration", tolerance = "1us",
      prompt = "At what time (seconds since the first packet) is that SYN sent?",
      answer = function(run) return run.sec(run:first("mta.connect")) end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0", field = "frame.time_relative", take = "first" } },
    { id = 8, type = "integer",
      prompt = "How many DNS queries does the sender send in all?",
      answer = function(run) return run:count("dns.query") end,
      capture = { filter = "dns.flags.response == 0", field = "frame.number", take = "count" } },
  },
}
