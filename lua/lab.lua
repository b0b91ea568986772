-- lab.lua: the Lua side of 'mxsim lab' (labs/README.md, sim/cli/lab.c).
--
-- Runs in the sandbox (sim/script/lab.c), with math.random seeded from the
-- hash of (lab, student): every draw below is a function of that pair only.
-- A lab folder's lab.lua calls lab { ... } once; this file checks that
-- table, draws the student's params, bakes them into the scenario's text,
-- turns the run's JSON Lines trace into records, evaluates each question's
-- answer function over them, and marks a student's answers against the
-- key.  Nothing here touches files: C reads and writes them.
--
-- Returns a table of functions; errors are raised as "lab.lua: ..."
-- strings, which C reports as bad input (exit 2).

local format, concat, sort = string.format, table.concat, table.sort
local tointeger, floor, abs = math.tointeger, math.floor, math.abs

local M = {}

local types = { integer = true, number = true, percent = true,
                duration = true, host = true, addr = true, text = true,
                list = true }

local function fail(fmt, ...)
  error("lab.lua: " .. format(fmt, ...), 0)
end

-- --- durations -------------------------------------------------------------

local units = { ns = 1e-9, us = 1e-6, ms = 1e-3, s = 1, m = 60, min = 60,
                h = 3600, d = 86400 }

-- "1m30s", "30s", "250ms", "30.5", "30.5s" -> seconds, or nil.
function M.seconds(text)
  text = text:gsub("%s+", "")
  if text:match("^[%d.]+$") then return tonumber(text) end
  local total, pos = 0, 1
  while pos <= #text do
    local num, unit, stop = text:match("^([%d.]+)(%a+)()", pos)
    if num == nil or units[unit] == nil or tonumber(num) == nil then
      return nil
    end
    total = total + tonumber(num) * units[unit]
    pos = stop
  end
  if pos == 1 then return nil end
  return total
end

-- Seconds as the key writes them: "30.0012s" (at most 6 decimals).
local function show_seconds(s)
  local t = format("%.6f", s):gsub("0+$", ""):gsub("%.$", "")
  return t .. "s"
end

-- --- the lab table ------------------------------------------------------------

local function check_param(i, p)
  if type(p) ~= "table" or type(p[1]) ~= "string" then
    fail("params[%d]: expected { \"name\", choice = {...} | range = {lo, hi} }", i)
  end
  if p.choice == nil and p.range == nil then
    fail("param '%s': needs choice = {...} or range = { lo, hi }", p[1])
  end
  if p.choice ~= nil and (type(p.choice) ~= "table" or #p.choice == 0) then
    fail("param '%s': choice must be a non-empty list", p[1])
  end
  if p.range ~= nil then
    local lo, hi = p.range[1], p.range[2]
    if tointeger(lo) == nil or tointeger(hi) == nil or lo > hi then
      fail("param '%s': range must be { lo, hi }, whole numbers, lo <= hi", p[1])
    end
    if p.step ~= nil and (tointeger(p.step) == nil or p.step <= 0) then
      fail("param '%s': step must be a positive whole number", p[1])
    end
  end
end

local function check_question(i, q, seen)
  if type(q) ~= "table" then fail("questions[%d]: expected a table", i) end
  if tointeger(q.id) == nil or q.id < 1 then
    fail("questions[%d]: id must be a positive whole number", i)
  end
  if seen[q.id] then fail("question %d: id used twice", q.id) end
  seen[q.id] = true
  if type(q.prompt) ~= "string" then fail("question %d: prompt missing", q.id) end
  if not types[q.type] then
    fail("question %d: type must be integer, number, percent, duration, host, addr, text or list", q.id)
  end
  if type(q.answer) ~= "function" then
    fail("question %d: answer must be a function(run)", q.id)
  end
  if q.type == "text" and type(q.choices) ~= "table" then
    fail("question %d: a text answer needs choices = {...}", q.id)
  end
  if q.type == "list" and not types[q.of or ""] then
    fail("question %d: a list needs of = integer|number|percent|duration|host|addr|text", q.id)
  end
  if q.sweep ~= nil then
    local s = q.sweep
    if type(s) ~= "table" or type(s.variant) ~= "string" or
       type(s.column) ~= "string" or s.variant:find("[\t\n]") or
       not s.column:match("^[%w_]+$") or
       (s.scale ~= nil and type(s.scale) ~= "number") then
      fail("question %d: sweep needs variant (a label) and column (a CSV column), scale optional", q.id)
    end
  end
  if q.capture ~= nil then
    local c = q.capture
    if (type(c.filter) ~= "string" and type(c.filter) ~= "function") or
       type(c.field) ~= "string" then
      fail("question %d: capture needs filter (text or function(run)) and field", q.id)
    end
    if c.extract ~= nil and (type(c.extract) ~= "string" or
                             c.extract:find("[\t\n]")) then
      fail("question %d: capture.extract must be one line of text", q.id)
    end
    if c.run ~= nil and type(c.run) ~= "string" then
      fail("question %d: capture.run must name one of the lab's runs", i)
    end
    local take = c.take or "first"
    if take ~= "first" and take ~= "last" and take ~= "count" and
       take ~= "list" and take ~= "span" then
      fail("question %d: capture.take must be first, last, count, list or span", q.id)
    end
  end
end

-- lab { sweep = { runs = N, D = { "name=v1,v2" }, deadlines = "1h" } }:
-- the 'mxsim sweep' of the variant that the key reads (docs/sweep.md).
-- Small N: the key is made on every 'lab check'.
local function check_sweep(lab)
  local s = lab.sweep
  if s == nil then return end
  if type(s) ~= "table" or tointeger(s.runs) == nil or s.runs < 1 or
     s.runs > 100000 then
    fail("sweep: runs must be a whole number from 1 to 100000")
  end
  s.D = s.D or {}
  if type(s.D) ~= "table" then fail("sweep: D must be a list of \"name=v1,v2\"") end
  for _, d in ipairs(s.D) do
    if type(d) ~= "string" or not d:match("^[%w_%-]+=[^%s]+$") then
      fail("sweep: D must be a list of \"name=v1,v2\" (no spaces)")
    end
  end
  if s.deadlines ~= nil and (type(s.deadlines) ~= "string" or
                             not s.deadlines:match("^[%w.,]+$")) then
    fail("sweep: deadlines must be a list such as \"1h,4h\"")
  end
end

-- The sweep's options, as 'mxsim sweep' takes them (none: no sweep).
function M.sweep_args(lab)
  local s, out = lab.sweep, {}
  if s == nil then return out end
  out[#out + 1] = "--runs"
  out[#out + 1] = tostring(s.runs)
  for _, d in ipairs(s.D) do
    out[#out + 1] = "-D"
    out[#out + 1] = d
  end
  if s.deadlines ~= nil then
    out[#out + 1] = "--deadline"
    out[#out + 1] = s.deadlines
  end
  return out
end

-- The word 'lab' for lab.lua's environment, and a function that returns
-- what it was given.
function M.recorder()
  local got, calls = nil, 0
  local function word(t)
    calls = calls + 1
    got = t
  end
  local function result()
    if calls > 1 then fail("lab { ... } called %d times", calls) end
    return got
  end
  return word, result
end

-- Checks the table lab.lua gave to lab { ... }.
function M.check(lab)
  if type(lab) ~= "table" then fail("lab { ... } was not called") end
  if type(lab.title) ~= "string" then fail("title missing") end
  lab.scenario = lab.scenario or "scenario.lua"
  lab.params = lab.params or {}
  for i, p in ipairs(lab.params) do check_param(i, p) end
  if type(lab.questions) ~= "table" or #lab.questions == 0 then
    fail("questions missing")
  end
  lab.runs = lab.runs or {}
  if type(lab.runs) ~= "table" then fail("runs must be a table") end
  for name, defs in pairs(lab.runs) do
    if type(name) ~= "string" or not name:match("^[%w_]+$") or name == "main" or
       type(defs) ~= "table" then
      fail("runs: expected NAME = { param = value, ... }")
    end
  end
  check_sweep(lab)
  local seen = {}
  for i, q in ipairs(lab.questions) do
    check_question(i, q, seen)
    if q.sweep ~= nil and lab.sweep == nil then
      fail("question %d: sweep = {...} but the lab declares no sweep", q.id)
    end
    local r = q.capture and q.capture.run
    if r ~= nil and (r == "main" or lab.runs[r] == nil) then
      fail("question %d: no run '%s' in runs", q.id, tostring(r))
    end
  end
  sort(lab.questions, function(a, b) return a.id < b.id end)
  return lab.title, lab.scenario
end

-- --- the student's variant --------------------------------------------------

-- Draws every param in declaration order (math.random follows the seed C
-- gave the sandbox: hash of lab and student).  Returns names, values (as
-- the text a -D would give).
function M.draw(lab)
  local names, values = {}, {}
  for _, p in ipairs(lab.params) do
    local v
    if p.choice ~= nil then
      v = p.choice[math.random(1, #p.choice)]
    else
      local step = p.step or 1
      local n = (p.range[2] - p.range[1]) // step
      v = p.range[1] + step * math.random(0, n)
      if p.unit ~= nil then v = tostring(v) .. p.unit end
    end
    names[#names + 1] = p[1]
    values[#values + 1] = tostring(v)
  end
  return names, values
end

-- The lab's extra runs: the variant run again with some params set
-- (lab { runs = { fixed = { profile = "rfc5321" } } }), sorted by name.
-- Returns names and, for each, its "param=value" texts joined by "\n".
function M.runs(lab)
  local names, defs = {}, {}
  for name in pairs(lab.runs) do names[#names + 1] = name end
  sort(names)
  for i, name in ipairs(names) do
    local keys, lines = {}, {}
    for k in pairs(lab.runs[name]) do keys[#keys + 1] = k end
    sort(keys)
    for _, k in ipairs(keys) do
      lines[#lines + 1] = k .. "=" .. tostring(lab.runs[name][k])
    end
    defs[i] = concat(lines, "\n")
  end
  return names, defs
end

-- The scenario's text with each param's default replaced by the drawn
-- value.  A lab scenario declares each param on one line:
--   local x = param "x" { default = <literal>, description = "..." }
-- The loader then checks that the baked file gives the same values as -D.
function M.bake(text, names, values, header)
  local out = text
  for i, name in ipairs(names) do
    local found = 0
    local pat = "(param%s*\"" .. name:gsub("%-", "%%-") ..
                "\"%s*{%s*default%s*=%s*)(\"[^\"\n]*\")"
    local pat_num = "(param%s*\"" .. name:gsub("%-", "%%-") ..
                "\"%s*{%s*default%s*=%s*)([%w%.%-]+)"
    local v = values[i]
    out, found = out:gsub(pat, function(head, old)
      return head .. format("%q", v)
    end)
    if found == 0 then
      out, found = out:gsub(pat_num, function(head, old)
        return head .. v
      end)
    end
    if found ~= 1 then
      fail("scenario: param '%s' must be declared once, on one line, as " ..
           "param \"%s\" { default = ..., ... }", name, name)
    end
  end
  return header .. out
end

-- --- the run: records from JSON Lines --------------------------------------

local escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b',
                  f = '\f', n = '\n', r = '\r', t = '\t' }

-- One flat JSON object (docs/trace.md: integers, strings, booleans).
local function parse_line(line, lineno)
  local rec, pos = {}, 2
  if line:sub(1, 1) ~= "{" then fail("trace line %d: not an object", lineno) end
  while true do
    local key, stop = line:match('^"([^"]*)":()', pos)
    if key == nil then fail("trace line %d: bad key at %d", lineno, pos) end
    pos = stop
    local c = line:sub(pos, pos)
    if c == '"' then
      local buf, i = {}, pos + 1
      while true do
        local ch = line:sub(i, i)
        if ch == '"' then break end
        if ch == "" then fail("trace line %d: open string", lineno) end
        if ch == "\\" then
          local e = line:sub(i + 1, i + 1)
          if e == "u" then
            buf[#buf + 1] = utf8.char(tonumber(line:sub(i + 2, i + 5), 16))
            i = i + 6
          else
            buf[#buf + 1] = escapes[e] or e
            i = i + 2
          end
        else
          local run = line:match('^[^"\\]+', i)
          buf[#buf + 1] = run
          i = i + #run
        end
      end
      rec[key] = concat(buf)
      pos = i + 1
    else
      local tok, s2 = line:match("^([^,}]+)()", pos)
      if tok == "true" then rec[key] = true
      elseif tok == "false" then rec[key] = false
      else rec[key] = tointeger(tonumber(tok)) or tonumber(tok) end
      pos = s2
    end
    c = line:sub(pos, pos)
    if c == "}" then return rec end
    if c ~= "," then fail("trace line %d: expected , or }", lineno) end
    pos = pos + 1
  end
end

-- Helpers every answer function gets as methods of 'run'.
local Run = {}
Run.__index = Run

-- Records of 'type' whose text matches 'pat' (a Lua pattern), in order;
-- 'host' (optional) limits them to that host's.
function Run:all(rtype, pat, host)
  local out = {}
  for _, r in ipairs(self.records) do
    if r.type == rtype and (host == nil or r.host == host) and
       (pat == nil or (r.text or ""):find(pat)) then
      out[#out + 1] = r
    end
  end
  return out
end

function Run:first(rtype, pat, host)
  return self:all(rtype, pat, host)[1]
end

function Run:last(rtype, pat, host)
  local a = self:all(rtype, pat, host)
  return a[#a]
end

function Run:count(rtype, pat, host)
  return #self:all(rtype, pat, host)
end

-- A record's time in seconds.
function Run.sec(r)
  if r == nil then return nil end
  return r.t / 1e9
end

-- The host labels of the connection attempts of message 'msg' (default
-- every message), in order: "connect mx1.example.test [..]" -> "mx1".
function Run:attempts(msg)
  local out = {}
  for _, r in ipairs(self:all("mta.connect")) do
    if msg == nil or r.msg == msg then
      out[#out + 1] = r.text:match("^connect ([^.%s]+)")
    end
  end
  return out
end

-- The frames of the run's capture (sim/cli/lab.c: "pkt" lines, frame N
-- is Wireshark's frame N), in order, that 'match' accepts: a function of
-- the packet, or a table of fields that must be equal (for 'data', the
-- TCP payload's first bytes, a Lua pattern it must contain).
-- A packet has t, frame, len, src, dst, proto (tcp, udp, icmp, icmpv6),
-- sport, dport, flags ("S", "SA", "RA", "FA", ... in FSRPAU order),
-- icmp_type, icmp_code, data.
function Run:packets(match)
  local out = {}
  for _, p in ipairs(self.pkts) do
    local ok = true
    if type(match) == "function" then
      ok = match(p)
    elseif match ~= nil then
      for k, v in pairs(match) do
        if k == "data" then
          ok = ok and p.data ~= nil and p.data:find(v) ~= nil
        else
          ok = ok and p[k] == v
        end
      end
    end
    if ok then out[#out + 1] = p end
  end
  return out
end

-- --- DNS messages in the frames ------------------------------------------
--
-- sim/cli/lab.c writes a UDP frame's payload as "hex": the DNS bytes the
-- receiver parsed, so that an answer (a TTL, a preference) is read from the
-- message the sender got, not from the params that built the zone.

local rrtypes = { [1] = "A", [2] = "NS", [5] = "CNAME", [6] = "SOA",
                  [15] = "MX", [28] = "AAAA" }

local function unhex(h)
  return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end))
end

-- A (possibly compressed, RFC 1035 §4.1.4) name at 'pos'; returns the
-- name and the position after it in the message (not after a pointer's
-- target).  At most 64 jumps: a pointer loop is bad input.
local function dns_name(b, pos)
  local labels, after, jumps = {}, nil, 0
  while true do
    local n = b:byte(pos)
    if n == nil then fail("DNS message: name runs past the end") end
    if n >= 0xc0 then
      local lo = b:byte(pos + 1)
      if lo == nil then fail("DNS message: cut pointer") end
      after = after or pos + 2
      jumps = jumps + 1
      if jumps > 64 then fail("DNS message: compression loop") end
      pos = ((n & 0x3f) << 8 | lo) + 1
    elseif n == 0 then
      return concat(labels, "."), after or pos + 1
    else
      labels[#labels + 1] = b:sub(pos + 1, pos + n)
      pos = pos + 1 + n
    end
  end
end

local function dns_rr(b, pos)
  local name, p = dns_name(b, pos)
  if p + 10 > #b + 1 then fail("DNS message: cut record") end
  local ty, _, ttl, len, q = (">I2I2I4I2"):unpack(b, p)
  if q + len > #b + 1 then fail("DNS message: cut RDATA") end
  local rr = { name = name, type = rrtypes[ty] or ty, ttl = ttl }
  if ty == 15 then
    rr.pref = (">I2"):unpack(b, q)
    rr.exchange = dns_name(b, q + 2)
  elseif ty == 1 and len == 4 then
    rr.addr = format("%d.%d.%d.%d", b:byte(q, q + 3))
  end
  return rr, q + len
end

-- One DNS message (RFC 1035 §4.1) -> { id, qr, rcode, qname, qtype,
-- answers = { rr... }, authority, additional }; rr = { name, type, ttl,
-- pref, exchange, addr }.
function M.dns_decode(b)
  if #b < 12 then fail("DNS message: %d bytes, under a header", #b) end
  local id, flags, qd, an, ns, ar, pos = (">I2I2I2I2I2I2"):unpack(b)
  local m = { id = id, qr = flags >> 15 == 1, rcode = flags & 0xf }
  for i = 1, qd do
    local name, p = dns_name(b, pos)
    if p + 4 > #b + 1 then fail("DNS message: cut question") end
    if i == 1 then
      m.qname, m.qtype = name, rrtypes[(">I2"):unpack(b, p)]
    end
    pos = p + 4
  end
  for _, sec in ipairs({ { "answers", an }, { "authority", ns },
                         { "additional", ar } }) do
    local list = {}
    for i = 1, sec[2] do list[i], pos = dns_rr(b, pos) end
    m[sec[1]] = list
  end
  return m
end

-- The DNS messages over UDP in the frames that 'match' accepts (as for
-- Run:packets), in order, each with its packet as .pkt.  The packet
-- records must carry the payload (sim/cli/lab.c "hex").
function Run:dns(match)
  local out = {}
  for _, p in ipairs(self:packets(match)) do
    if p.proto == "udp" and (p.sport == 53 or p.dport == 53) then
      if p.hex == nil then
        fail("frame %d: the packet records carry no UDP payload", p.frame)
      end
      local m = M.dns_decode(unhex(p.hex))
      m.pkt = p
      out[#out + 1] = m
    end
  end
  return out
end

-- Seconds since the first frame (Wireshark's frame.time_relative).
function Run:rel(r)
  if r == nil then return nil end
  local p0 = self.pkts[1]
  return (r.t - (p0 and p0.t or 0)) / 1e9
end

-- The sweep's CSV (docs/sweep.md, "Outputs": RFC 4180, quotes only
-- around a field with a comma or a quote) -> rows keyed by column; the
-- numeric columns as numbers, an empty cell (no latency) as nil.
local function csv_fields(line)
  local out, pos = {}, 1
  while pos <= #line + 1 do
    if line:sub(pos, pos) == '"' then
      local buf, i = {}, pos + 1
      while true do
        local q = line:find('"', i, true)
        if q == nil then fail("sweep CSV: open quote") end
        buf[#buf + 1] = line:sub(i, q - 1)
        if line:sub(q + 1, q + 1) == '"' then
          buf[#buf + 1] = '"'
          i = q + 2
        else
          pos = q + 2
          break
        end
      end
      out[#out + 1] = concat(buf)
    else
      local stop = line:find(",", pos, true) or #line + 1
      out[#out + 1] = line:sub(pos, stop - 1)
      pos = stop + 1
    end
  end
  return out
end

local function parse_csv(text)
  local head, rows = nil, {}
  for line in text:gmatch("[^\r\n]+") do
    local f = csv_fields(line)
    if head == nil then
      head = f
    else
      local row = {}
      for i, name in ipairs(head) do
        local v = f[i] or ""
        if i > 4 then v = tonumber(v) end
        row[name] = v
      end
      rows[#rows + 1] = row
    end
  end
  return rows
end

-- The sweep's row of variant 'label' (the CSV's variant column, as
-- 'mxsim sweep' prints it: "config=two"), recipient 'rcpt' if given.
function Run:sweep(label, rcpt)
  if self.sweep_rows == nil then fail("this lab ran no sweep") end
  for _, row in ipairs(self.sweep_rows) do
    if row.variant == label and (rcpt == nil or row.recipient == rcpt) then
      return row
    end
  end
  fail("the sweep has no row '%s'", label)
end

local function new_run(params)
  return setmetatable({ records = {}, pkts = {}, params = params }, Run)
end

function M.run(jsonl, names, values)
  local params = {}
  for i, name in ipairs(names) do params[name] = values[i] end
  local main = new_run(params)
  local cur, n = main, 0
  main.runs = {}
  for line in jsonl:gmatch("[^\n]+") do
    n = n + 1
    local rec = parse_line(line, n)
    if rec.type == "sweep.csv" then
      main.sweep_rows = parse_csv(rec.text)
    elseif rec.run ~= nil and rec.type == nil then
      cur = new_run(params)
      main.runs[rec.run] = cur
    elseif rec.type == "pkt" then
      cur.pkts[#cur.pkts + 1] = rec
    else
      cur.records[#cur.records + 1] = rec
    end
  end
  return main
end

-- --- the key ---------------------------------------------------------------

local function show(kind, v)
  if kind == "duration" then return show_seconds(v) end
  if kind == "number" then
    return (format("%.6f", v):gsub("0+$", ""):gsub("%.$", ""))
  end
  if kind == "percent" then
    return (format("%.6f", v):gsub("0+$", ""):gsub("%.$", "")) .. "%"
  end
  if kind == "integer" then
    local i = tointeger(v)
    if i == nil then fail("an integer answer is %s", tostring(v)) end
    return tostring(i)
  end
  return tostring(v)
end

local function show_answer(q, v)
  if v == nil then fail("question %d: the answer function returned nil", q.id) end
  if q.type == "list" then
    if type(v) ~= "table" then fail("question %d: a list answer must be a table", q.id) end
    local parts = {}
    for i, x in ipairs(v) do parts[i] = show(q.of, x) end
    return concat(parts, ", ")
  end
  return show(q.type, v)
end

-- '${name}' in a capture filter -> the param's value.
local function expand(s, params, id)
  return (s:gsub("%${([%w_%-]+)}", function(n)
    if params[n] == nil then fail("question %d: no param '%s'", id, n) end
    return params[n]
  end))
end

-- Evaluates every question over 'run'; returns the key's text and keeps
-- the values for M.mark.
function M.key(lab, run, header)
  local lines = { header }
  local names, defs = M.runs(lab)
  if lab.sweep ~= nil then
    lines[#lines + 1] = "# sweep\t" .. concat(M.sweep_args(lab), " ")
  end
  for i, name in ipairs(names) do
    lines[#lines + 1] = format("# run %s\t-D %s", name,
      (defs[i]:gsub("\n", " -D ")))
  end
  lab.key = {}
  for _, q in ipairs(lab.questions) do
    local text = show_answer(q, q.answer(run))
    lab.key[q.id] = text
    if q.capture ~= nil then
      local c = q.capture
      local filter = c.filter
      if type(filter) == "function" then
        filter = filter(c.run and run.runs[c.run] or run)
      end
      filter = expand(filter, run.params, q.id)
      if filter:find("[|\t\n]") then
        fail("question %d: write 'or'/'and' in capture filters, not | (the key separates with tabs)", q.id)
      end
      lines[#lines + 1] = format("# capture %d\t%s\t%s\t%s\t%s%s", q.id,
        c.take or "first", c.field, filter, c.run or "main",
        c.extract and "\t" .. c.extract or "")
    end
    if q.sweep ~= nil then
      lines[#lines + 1] = format("# sweepcell %d\t%s\t%s\t%s", q.id,
        q.sweep.variant, q.sweep.column, tostring(q.sweep.scale or 1))
    end
    lines[#lines + 1] = format("%d: %s", q.id, text)
  end
  return concat(lines, "\n") .. "\n"
end

-- --- marking ---------------------------------------------------------------

-- 'N: value' lines; '#' starts a comment.  Returns id -> text, or raises.
local function parse_answers(lab, text)
  local known, got, lineno = {}, {}, 0
  for _, q in ipairs(lab.questions) do known[q.id] = true end
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    lineno = lineno + 1
    line = line:gsub("#.*$", ""):gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" then
      local id, val = line:match("^(%d+)%s*[:.)]%s*(.-)$")
      if id == nil then
        fail("answers line %d: expected 'N: answer', got '%s'", lineno, line)
      end
      id = tonumber(id)
      if not known[id] then
        fail("answers line %d: there is no question %d", lineno, id)
      end
      if got[id] ~= nil then
        fail("answers line %d: question %d answered twice", lineno, id)
      end
      got[id] = val
    end
  end
  return got
end

local function norm_host(s)
  return s:lower():gsub("%.$", "")
end

-- One value of kind 'kind' from text: the value, or nil and a hint.
local function read(kind, text, q)
  if kind == "integer" then
    local v = tointeger(tonumber(text))
    if v == nil then return nil, "expected a whole number" end
    return v
  elseif kind == "number" then
    local v = tonumber(text)
    if v == nil then return nil, "expected a number" end
    return v
  elseif kind == "percent" then
    local v = tonumber((text:gsub("%s*%%$", "")))
    if v == nil then return nil, "expected a percentage such as 97.5 or 97.5%" end
    return v
  elseif kind == "duration" then
    local v = M.seconds(text)
    if v == nil then return nil, "expected a duration such as 30s, 1m30s or 0.25" end
    return v
  elseif kind == "host" then
    if not text:match("^[%w.%-]+$") then return nil, "expected a host name" end
    return norm_host(text)
  elseif kind == "addr" then
    if not text:match("^[%x.:]+$") then return nil, "expected an address" end
    return text:lower()
  end
  local v = text:lower()
  for _, c in ipairs(q.choices) do
    if c:lower() == v then return v end
  end
  return nil, "expected one of: " .. concat(q.choices, ", ")
end

local function same(kind, key, v, q)
  if kind == "number" or kind == "duration" or kind == "percent" then
    local tol = q.tolerance
    if kind == "duration" and type(tol) == "string" then tol = M.seconds(tol) end
    tol = tol or (kind == "duration" and 0.001 or 1e-9)
    if abs(v - key) <= tol then return true end
    return false, v < key and "too low" or "too high"
  elseif kind == "integer" then
    if v == key then return true end
    return false, v < key and "too low" or "too high"
  elseif kind == "host" then
    -- A label answers for its FQDN and the other way round.
    if v == key or v:match("^([^.]+)") == key or key:match("^([^.]+)") == v then
      return true
    end
    return false, "not that host"
  end
  if kind == "addr" then return v == key, "not that address" end
  return v == key, "not that one"
end

local function split(text)
  local out = {}
  for item in text:gmatch("[^,%s]+") do out[#out + 1] = item end
  return out
end

local function mark_one(q, keytext, text)
  if text == nil or text == "" then return false, "no answer" end
  if q.type ~= "list" then
    local key = read(q.type, keytext, q)
    local v, why = read(q.type, text, q)
    if v == nil then return false, why end
    return same(q.type, key, v, q)
  end
  local keys, got = split(keytext), split(text)
  if #got ~= #keys then
    return false, format("%d item%s expected, %d given", #keys,
      #keys == 1 and "" or "s", #got)
  end
  local wrong = 0
  for i = 1, #keys do
    local k = read(q.of, keys[i], q)
    local v, why = read(q.of, got[i], q)
    if v == nil then return false, format("item %d: %s", i, why) end
    if not same(q.of, k, v, q) then wrong = wrong + 1 end
  end
  if wrong == 0 then return true end
  return false, format("%d of %d items wrong (order matters)", wrong, #keys)
end

-- Marks 'text' (the student's answers) against lab.key.  Returns the
-- report's text and how many answers are wrong.
function M.mark(lab, text)
  local got = parse_answers(lab, text)
  local lines, wrong = {}, 0
  for _, q in ipairs(lab.questions) do
    local ok, why = mark_one(q, lab.key[q.id], got[q.id])
    if ok then
      lines[#lines + 1] = format("%d: right", q.id)
    else
      wrong = wrong + 1
      local hint = why or "wrong"
      if q.hint ~= nil then hint = hint .. "; hint: " .. q.hint end
      lines[#lines + 1] = format("%d: wrong (%s)", q.id, hint)
    end
  end
  lines[#lines + 1] = format("score: %d/%d", #lab.questions - wrong,
    #lab.questions)
  return concat(lines, "\n") .. "\n", wrong
end

return M
