-- prelude.lua: the words of the scenario language (docs/scenario-reference.md).
--
-- Runs once, before the scenario, in a private environment.  It defines the
-- declarations (scenario, zone, host, outage, message, expect) as functions
-- that only record what they are given, with the file and line of the call;
-- the C side (sim/script/scenario.c) then checks every field and builds the
-- world.  The scenario itself never sees 'debug' or anything else from here.
--
-- Called with debug.getinfo as its only argument; returns the table of
-- declaration words and a function that finishes the load.

local getinfo = ...
local decls = {}        -- { kind, name, body, file, line } in call order
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
    error(string.format("%s:%d: %s '%s' declared without a body (forgot { ... }?)",
      p.file, p.line, p.kind, p.name), 0)
  end
end

-- A named declaration: kind "name" { fields }.
local function named(kind)
  return function(name)
    fail_pending()
    local file, line = caller(2)
    if type(name) == "table" then
      error(string.format("%s needs a name first: %s \"name\" { ... }", kind, kind), 2)
    end
    if type(name) ~= "string" then
      error(string.format("%s needs a name in quotes, got %s", kind, type(name)), 2)
    end
    if name == "" then
      if kind == "zone" then
        error("zone needs a name: the root zone is written zone \".\"", 2)
      end
      error(string.format("%s needs a name: %s \"\" is empty", kind, kind), 2)
    end
    local p = { kind = kind, name = name, file = file, line = line }
    pending = p
    return function(body)
      if pending ~= p then
        error(string.format("%s '%s': body given twice", kind, name), 2)
      end
      pending = nil
      if type(body) ~= "table" then
        error(string.format("%s '%s': expected a table { ... } after the name, got %s",
          kind, name, type(body)), 2)
      end
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
      error(string.format("%s expects a table: %s { ... }, got %s", kind, kind,
        type(body)), 2)
    end
    decls[#decls + 1] = { kind = kind, body = body, file = file, line = line }
  end
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
}

-- Called by C after the scenario has run: the declarations, in order.
local function finish()
  fail_pending()
  return decls
end

return words, finish
