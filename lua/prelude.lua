-- prelude.lua: the words of the scenario language (docs/scenario-reference.md).
--
-- Runs once, before the scenario, in a private environment.  It defines the
-- declarations (scenario, zone, host, outage, message, expect, param) as
-- functions that only record what they are given, with the file and line of
-- the call; the C side (sim/script/scenario.c) then checks every field and
-- builds the world.  The scenario itself never sees 'debug' or anything else
-- from here.
--
-- Bodies are recorded as plain copies (made with next and rawset): the C
-- side reads them after the scenario has run, and a table with an __index
-- metamethod would otherwise run scenario code there, outside the sandbox's
-- instruction budget.
--
-- Called with debug.getinfo and the loader's tools (sim/script/sandbox.h:
-- duration, closest, seed, defines); returns the table of declaration words
-- and a function that finishes the load.

local getinfo, tools = ...
local next, rawset, rawget, type, error = next, rawset, rawget, type, error
local format, sort = string.format, table.sort
local tointeger, mtype = math.tointeger, math.type
local decls = {}        -- { kind, name, body, file, line } in call order
local params = {}       -- declared params, in order (see declare_param)
local param_at = {}     -- param name -> its entry in 'params'
local pending = nil     -- a named declaration still waiting for its body

-- Where the scenario called us from: 'level' counts from the caller of the
-- function that asks (2 = the caller of a declaration word).
local function caller(level)
  local info = getinfo(level + 1, "Sl")
  if info == nil then return "?", 0 end
  local src = info.source or "?"
  if src:sub(1, 1) == "@" then src = src:sub(2) end
  return src, info.currentline or 0
end

local function fail_pending()
  if pending ~= nil then
    local p = pending
    pending = nil
    error(format("%s:%d: %s '%s' declared without a body (forgot { ... }?)",
      p.file, p.line, p.kind, p.name), 0)
  end
end

-- A deep copy of 'v' without metatables; shared and cyclic tables stay so.
local function plain(v, seen)
  if type(v) ~= "table" then return v end
  if seen[v] ~= nil then return seen[v] end
  local c = {}
  seen[v] = c
  local k, x = next(v)
  while k ~= nil do
    rawset(c, k, plain(x, seen))
    k, x = next(v, k)
  end
  return c
end

-- The scenario's seed decides math.random's numbers: tell the sandbox as
-- soon as the scenario declares it (a draw made before that used the
-- default seed, and would silently differ from the declared one).
local function note_seed(body, file, line)
  local seed = rawget(body, "seed")
  if type(seed) ~= "number" then return end   -- scenario.c says what is
  seed = tointeger(seed)                        -- wrong with a bad seed
  if seed == nil or seed < 0 then return end
  local first = tools.seed(seed)
  if first ~= nil then
    error(format("%s:%d: scenario: the seed is declared after math.random " ..
      "was first used (at %s); declare the scenario before drawing numbers",
      file, line, first), 0)
  end
end

-- A named declaration: kind "name" { fields }.  'take' (if given) handles
-- the body and its result is the declaration's value.
local function named(kind, take)
  return function(name)
    fail_pending()
    local file, line = caller(2)
    if type(name) == "table" then
      error(format("%s needs a name first: %s \"name\" { ... }", kind, kind), 2)
    end
    if type(name) ~= "string" then
      error(format("%s needs a name in quotes, got %s", kind, type(name)), 2)
    end
    if name == "" then
      if kind == "zone" then
        error("zone needs a name: the root zone is written zone \".\"", 2)
      end
      error(format("%s needs a name: %s \"\" is empty", kind, kind), 2)
    end
    local p = { kind = kind, name = name, file = file, line = line }
    pending = p
    return function(body)
      if pending ~= p then
        error(format("%s '%s': body given twice", kind, name), 2)
      end
      pending = nil
      if type(body) ~= "table" then
        error(format("%s '%s': expected a table { ... } after the name, got %s",
          kind, name, type(body)), 2)
      end
      body = plain(body, {})
      if take ~= nil then return take(p, body) end
      if kind == "scenario" then note_seed(body, file, line) end
      decls[#decls + 1] = { kind = kind, name = name, body = body,
                            file = file, line = line }
    end
  end
end

-- An unnamed declaration: kind { fields }.
local function unnamed(kind)
  return function(body)
    fail_pending()
    local file, line = caller(2)
    if type(body) ~= "table" then
      error(format("%s expects a table: %s { ... }, got %s", kind, kind,
        type(body)), 2)
    end
    decls[#decls + 1] = { kind = kind, body = plain(body, {}), file = file,
                          line = line }
  end
end

-- --- params ----------------------------------------------------------------
--
-- param "name" { default = ..., description = "..." } returns the value: the
-- default, or what 'mxsim run -D name=value' gives, typed like the default.

local param_fields = { "default", "description" }

-- The type of a default: integer, number, duration (a string with a unit),
-- boolean or string; nil for anything else.
local function param_type(v)
  local t = type(v)
  if t == "number" then
    return mtype(v) == "integer" and "integer" or "number"
  elseif t == "boolean" then
    return "boolean"
  elseif t == "string" then
    return tools.duration(v) and "duration" or "string"
  end
  return nil
end

local function shown(v)
  if type(v) == "string" then return format("%q", v) end
  return tostring(v)
end

-- The text of a -D as a value of type 't', or nil and why not.
local function param_coerce(t, text, default)
  if t == "integer" then
    local n = tonumber(text)
    n = n ~= nil and tointeger(n) or nil
    if n == nil then
      return nil, format("expected a whole number (the default is %s)",
        shown(default))
    end
    return n
  elseif t == "number" then
    local n = tonumber(text)
    if n == nil or n ~= n or n == math.huge or n == -math.huge then
      return nil, format("expected a number (the default is %s)",
        shown(default))
    end
    return n + 0.0
  elseif t == "boolean" then
    if text == "true" then return true end
    if text == "false" then return false end
    return nil, format("expected true or false (the default is %s)",
      shown(default))
  elseif t == "duration" then
    local ok, why = tools.duration(text)
    if not ok then
      return nil, format("bad duration \"%s\": %s (the default is %s)", text,
        why, shown(default))
    end
    return text
  end
  return text
end

local function declare_param(p, body)
  local function fail(fmt, ...)
    error(format("%s:%d: param '%s': " .. fmt, p.file, p.line, p.name, ...), 0)
  end
  if not p.name:match("^[%a][%w_%-]*$") then
    fail("the name must be a word: letters, digits, '_' or '-', starting " ..
      "with a letter")
  end
  local keys, k = {}, next(body)
  while k ~= nil do
    if type(k) ~= "string" then
      fail("unexpected positional value (give fields as name = value)")
    end
    keys[#keys + 1] = k
    k = next(body, k)
  end
  sort(keys)
  for _, key in ipairs(keys) do
    if key ~= "default" and key ~= "description" then
      local s = tools.closest(key, param_fields)
      if s ~= nil then
        fail("unknown field '%s' (did you mean '%s'?)", key, s)
      end
      fail("unknown field '%s' (the fields are default, description)", key)
    end
  end
  local default, desc = rawget(body, "default"), rawget(body, "description")
  if default == nil then
    fail("'default' is required (its type is the param's type)")
  end
  local t = param_type(default)
  if t == nil then
    fail("'default' must be a number, a duration, true or false, or a " ..
      "string, got %s", type(default))
  end
  if desc ~= nil and type(desc) ~= "string" then
    fail("'description' must be a string, got %s", type(desc))
  end
  local first = param_at[p.name]
  if first ~= nil then
    fail("declared twice (first at %s:%d)", first.file, first.line)
  end
  local value, text = default, tools.defines[p.name]
  if text ~= nil then
    local v, why = param_coerce(t, text, default)
    if v == nil then fail("-D %s=%s: %s", p.name, text, why) end
    value = v
  end
  local e = { name = p.name, type = t, value = value, default = default,
              description = desc, file = p.file, line = p.line,
              overridden = text ~= nil }
  params[#params + 1] = e
  param_at[p.name] = e
  return value
end

local words = {
  scenario = named("scenario"),
  zone = named("zone"),
  host = named("host"),
  site = named("site"),
  outage = named("outage"),
  message = unnamed("message"),
  expect = unnamed("expect"),
  zone_change = unnamed("zone_change"),
  param = named("param", declare_param),
}

-- Called by C after the scenario has run: the declarations, in order, and
-- the params.
local function finish()
  fail_pending()
  return decls, params
end

return words, finish
