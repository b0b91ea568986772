-- Lab 02 data (labs/README.md).  Sources: RFC 5321 §5.1 (order by
-- preference, try the next on failure); the SYN schedule is Linux's
-- (docs/network.md: initial RTO 1 s, doubling).
lab {
  title = "Priority and failover",
  params = {
    { "pref1", range = { 1, 15 } },
    { "pref2", range = { 20, 60 }, step = 10 },
    { "mx1_octet", range = { 10, 99 } },
    { "mx2_octet", range = { 100, 199 } },
    { "timeout", choice = { "10s", "20s", "30s", "45s" } },
    { "outage_end", choice = { "1h", "90m" } },
  },
  questions = {
    { id = 1, type = "host", prompt = "Which MX host does the sender try first?",
      answer = function(run) return run:attempts()[1] end },
    { id = 2, type = "integer", prompt = "How many SYNs does the sender send to that host before giving up?",
      hint = "count the SYNs (not retransmitted data) to its address",
      answer = function(run) return tonumber(run:first("mta.fail").text:match("(%d+) SYNs")) end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0 and ip.dst == 192.0.2.${mx1_octet}", field = "frame.number", take = "count" } },
    { id = 3, type = "duration", tolerance = "1us", prompt = "At what time is the last of those SYNs sent?",
      -- Linux: 1 s initial RTO, doubling (RFC 6298 §2, ip-sysctl.rst
      -- tcp_syn_retries): 0, 1, 3, 7, 15, 31 s after the first.  Read
      -- from the run's frames.
      answer = function(run)
        local a = run:first("mta.connect").addr
        local syns = run:packets({ dst = a, proto = "tcp", flags = "S" })
        return run:rel(syns[#syns])
      end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0 and ip.dst == 192.0.2.${mx1_octet}", field = "frame.time_relative", take = "last" } },
    { id = 4, type = "duration", tolerance = "1us", prompt = "At what time is the first SYN to the second MX host sent?",
      answer = function(run) return run.sec(run:all("mta.connect")[2]) end,
      capture = { filter = "tcp.flags.syn == 1 and tcp.flags.ack == 0 and ip.dst == 192.0.2.${mx2_octet}", field = "frame.time_relative", take = "first" } },
    { id = 5, type = "duration", prompt = "How long did the sender wait on the first host (its connect timeout)?",
      answer = function(run) return run.sec(run:first("mta.fail")) - run.sec(run:first("mta.connect")) end },
    { id = 6, type = "integer", prompt = "What reply code does the second host give to the final '.' of the message?",
      answer = function(run) return tonumber(run:first("mta.delivered").text:match("%((%d%d%d) ")) end,
      capture = { filter = "smtp.response.code and smtp.rsp.parameter contains \"queued\"", field = "smtp.response.code", take = "first" } },
  },
}
