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

-- the C files of csrc/, by name (from the Makefile's source list and the headers beside them)
local function c_files()
  local out = {}
  local p = assert(io.popen("ls csrc/*.c csrc/*.h"))
  for name in p:lines() do out[#out + 1] = name end
  p:close()
  return out
end

-- the text without its comments and string literals (a comment may name SQLite's codes)
local function code_of(s)
  s = s:gsub("/%*.-%*/", " ")
  s = s:gsub("//[^\n]*", " ")
  s = s:gsub('"[^"\n]*"', '""')
  return s
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
      local code = code_of(read(f))
      local names_lua = code:find("#include%s*[<\"]lua") or code:find("#include%s*[<\"]lauxlib")
                        or code:find("#include%s*\"compat%.h\"") or code:find("#include%s*\"binding%.h\"")
                        or code:find("lua_State")
      if names_lua and not binding then bad[#bad + 1] = f end
    end
    assert.same({}, bad)
  end)

  it("names SQLite's calls in db.c, the SQLite dialect and driver.h only", function()
    local bad = {}
    for _, f in ipairs(files) do
      if not SQLITE[base(f)] then
        local code = code_of(read(f))
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
