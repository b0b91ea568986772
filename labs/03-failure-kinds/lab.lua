-- Lab 03 data.  Sources: RFC 793 (a SYN to a closed port gets RST),
-- RFC 792 / RFC 1122 §3.2.2.1 (ICMP destination unreachable, code 1 host
-- unreachable), RFC 5321 §5.1 (each failure moves to the next MX);
-- the timeout is the profile's connect_timeout.
local orders = { "refuse,unreachable,down", "refuse,down,unreachable", "unreachable,refuse,down",
                 "unreachable,down,refuse", "down,refuse,unreachable", "down,unreachable,refuse" }
-- The host whose attempt failed with 'result' (the trace's mta.fail:
-- refused, unreachable, timeout): read from the run, not from the drawn
-- order.
local function host_of(run, result)
  for _, r in ipairs(run:all("mta.fail")) do
    if r.result == result then return r.label end
  end
end
local function fail_of(run, host)
  return run:first("mta.fail", "^" .. host .. "%.")
end
local function connect_of(run, host)
  return run:first("mta.connect", "^connect " .. host .. "%.")
end
lab {
  title = "Refused, unreachable, timed out",
  params = {
    { "order", choice = orders },
    { "timeout", choice = { "10s", "20s", "30s" } },
  },
  questions = {
    { id = 1, type = "host", prompt = "Which MX host answers the SYN with a TCP RST (connection refused)?",
      -- RFC 9293 §3.10.7.1: the host itself answers with RST; the RST
      -- frame's source, named by the sender's connect to that address.
      answer = function(run)
        local rst = run:packets(function(p) return p.proto == "tcp" and p.flags:find("R") ~= nil end)[1]
        for _, r in ipairs(run:all("mta.connect")) do
          if r.addr == rst.src then return r.label end
        end
      end },
    { id = 2, type = "addr", prompt = "From which address does that RST come?",
      -- RFC 9293 §3.10.7.1: a SYN to a port with no listener is answered
      -- by RST from the host itself.  Read from the run's frames.
      answer = function(run) return run:packets(function(p) return p.proto == "tcp" and p.flags:find("R") ~= nil end)[1].src end,
      capture = { filter = "tcp.flags.reset == 1", field = "ip.src", take = "first" } },
    { id = 3, type = "host", prompt = "Which MX host is reported unreachable by a router (ICMP)?",
      answer = function(run) return host_of(run, "unreachable") end },
    { id = 4, type = "integer", prompt = "What ICMP code does that message carry?",
      hint = "RFC 792 lists the codes of type 3 (destination unreachable)",
      -- RFC 792: type 3 code 1 = host unreachable; read from the frame.
      answer = function(run) return run:packets({ proto = "icmp", icmp_type = 3 })[1].icmp_code end,
      capture = { filter = "icmp.type == 3", field = "icmp.code", take = "first" } },
    { id = 5, type = "addr", prompt = "Which address sends that ICMP message (the router)?",
      hint = "not the MX host: look at the IP source of the ICMP packet",
      -- RFC 1812 §4.3.2.3: the router that cannot deliver sends it from
      -- its own address (docs/network.md: the last router before the host).
      answer = function(run) return run:packets({ proto = "icmp", icmp_type = 3 })[1].src end,
      capture = { filter = "icmp.type == 3", field = "ip.src", take = "first" } },
    { id = 6, type = "duration", prompt = "How long does the sender spend on the host that never answers?",
      answer = function(run)
        local h = host_of(run, "timeout")
        return run.sec(fail_of(run, h)) - run.sec(connect_of(run, h))
      end },
    { id = 7, type = "duration", tolerance = "1us", prompt = "At what time is the message accepted (the 250 after the final '.')?",
      answer = function(run) return run.sec(run:first("smtp.stored")) end,
      capture = { filter = "smtp.response.code == 250 and smtp.rsp.parameter contains \"queued\"", field = "frame.time_relative", take = "first" } },
  },
}
