-- The source tree's boundaries (ARCHITECTURE's properties), read from the C files themselves:
-- only the binding includes Lua's headers; only db.c, the SQLite dialect and driver.h name
-- SQLite's calls (everything else goes through driver.h's names); each C file says at its top
-- what it is. A change that crosses a boundary fails here, not in a later port.

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- the C files of csrc/, by name (csrc/*.c and csrc/*.h)
local function c_files()
  local out = {}
  local p = assert(io.popen("ls csrc/*.c csrc/*.h"))
  for name in p:lines() do out[#out + 1] = name end
  p:close()
  return out
end

-- The text without its comments, with its string and character literals emptied (a comment
-- or a message may name SQLite's codes), and the headers its #include lines name (read
-- before the literals are emptied: `#include "binding.h"` is one). A scanner, not patterns:
-- a `"` in a character literal, an escaped quote or a "/*" in a string would otherwise hide
-- code.
local function scan(s)
  local out, incs, i, n = {}, {}, 1, #s
  while i <= n do
    local j = s:find("[/\"']", i)
    if not j then out[#out + 1] = s:sub(i); break end
    out[#out + 1] = s:sub(i, j - 1)
    local c, c2 = s:sub(j, j), s:sub(j + 1, j + 1)
    if c == "/" and c2 == "*" then
      local e = s:find("*/", j + 2, true)
      out[#out + 1] = " "
      i = e and e + 2 or n + 1
    elseif c == "/" and c2 == "/" then
      local e = s:find("\n", j + 2, true)
      out[#out + 1] = " "
      i = e or n + 1
    elseif c == "/" then
      out[#out + 1] = "/"
      i = j + 1
    else -- a literal: to its closing quote, past escapes
      local k = j + 1
      while k <= n do
        local d = s:sub(k, k)
        if d == "\\" then k = k + 2
        elseif d == c or d == "\n" then break
        else k = k + 1 end
      end
      if c == '"' and (out[#out] or ""):match("#%s*include%s*$") then incs[#incs + 1] = s:sub(j + 1, k - 1) end
      out[#out + 1] = c .. c
      i = k + 1
    end
  end
  local code = table.concat(out)
  for name in code:gmatch("#%s*include%s*<([^>\n]+)>") do incs[#incs + 1] = name end
  return code, incs
end

local function base(path) return path:match("([^/]+)$") end

local BINDING = { ["binding.c"] = true, ["binding.h"] = true, ["compat.h"] = true }
local SQLITE = { ["db.c"] = true, ["dialect_sqlite.c"] = true, ["driver.h"] = true }

describe("the source tree", function()
  local files = c_files()

  it("has its C files where the Makefile builds them from", function()
    assert.is_true(#files > 20)
    local mk = read("Makefile")
    assert.truthy(mk:find("csrc/*.h", 1, true))
  end)

  it("includes Lua's headers in the binding only", function()
    local bad = {}
    for _, f in ipairs(files) do
      local b = base(f)
      local binding = BINDING[b] or b:match("^bind_") ~= nil
      local code, incs = scan(read(f))
      local names_lua = code:find("lua_State", 1, true) ~= nil
      for _, h in ipairs(incs) do
        local hb = base(h)
        if hb:match("^lua") or hb:match("^lauxlib") or BINDING[hb] or hb:match("^bind_") then names_lua = true end
      end
      if names_lua and not binding then bad[#bad + 1] = f end
    end
    assert.same({}, bad)
  end)

  it("names SQLite's calls in db.c, the SQLite dialect and driver.h only", function()
    local bad = {}
    for _, f in ipairs(files) do
      if not SQLITE[base(f)] then
        local code, incs = scan(read(f))
        for _, h in ipairs(incs) do
          if base(h):match("^sqlite3") then bad[#bad + 1] = f .. ": #include " .. h end
        end
        for word in code:gmatch("[%w_]+") do
          if word:match("^sqlite3") or word:match("^SQLITE_") then
            bad[#bad + 1] = f .. ": " .. word
            break
          end
        end
      end
    end
    assert.same({}, bad)
  end)

  it("has a comment at the top of each C file saying what it is", function()
    local bad = {}
    for _, f in ipairs(files) do
      local s = read(f)
      if not s:match("^/%* " .. base(f):gsub("%.", "%%.") .. ":") then bad[#bad + 1] = f end
    end
    assert.same({}, bad)
  end)
end)
