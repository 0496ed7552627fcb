-- bench_spec: bench/blog.lua (the "blog" workload of ../shared/WORKLOAD.md with sequelua's
-- API) run at a small N as a subprocess of the same interpreter. Its `check` values must
-- equal what the workload's formulas give for that N; the expectations below are computed
-- here from the data rules and the PRNG, not copied from a run. No timing is asserted.
local N = 200
local TAGS, POSTS_PER_USER, P7_REPEAT = 50, 5, 1000

-- the repository root, from this file's path (spec/bench_spec.lua)
local function repo_root()
  local src = debug.getinfo(1, "S").source
  local path = src:sub(1, 1) == "@" and src:sub(2) or "spec/bench_spec.lua"
  local dir = path:match("^(.*)/spec/[^/]*$")
  if dir then return dir end
  if path:match("^spec/") then return "." end
  return ".."
end

-- the interpreter running this spec
local function interpreter()
  local a = rawget(_G, "arg")
  if type(a) == "table" then
    -- the lowest negative index is the interpreter itself ("lua5.4 /usr/bin/busted ...")
    local i = -1
    while a[i - 1] ~= nil do i = i - 1 end
    local exe = a[i]
    if type(exe) == "string" and (exe:match("lua[%d.]*$") or exe:match("luajit[%w.%-]*$")) then return exe end
  end
  if rawget(_G, "jit") then return "luajit" end
  local v = _VERSION:match("Lua (%d+%.%d+)")
  return "lua" .. (v or "5.4")
end

local function shq(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- { P0 = { tables = 5 }, ... } and the top-level fields, from the JSON line
local function parse_line(line)
  local top = {}
  top.impl = line:match('^{"impl":"([^"]*)"')
  top.N = tonumber(line:match('"N":(%d+)'))
  top.sqlite = line:match('"sqlite":"([^"]*)"')
  for p = 0, 7 do top["P" .. p] = tonumber(line:match('"P' .. p .. '":([%d.]+)[,}]')) end
  local body = line:match('"check":(%b{})')
  local check, order = {}, {}
  if body then
    for phase, obj in body:gmatch('"(P%d)":(%b{})') do
      local kv, keys = {}, {}
      for k, v in obj:gmatch('"([%w_]+)":(%-?%d+)') do
        kv[k] = tonumber(v)
        keys[#keys + 1] = k
      end
      check[phase] = kv
      order[#order + 1] = phase
      kv[0] = keys
    end
  end
  return top, check, order
end

-- the workload's data and phases, evaluated in plain Lua for a given N
local function expected(n)
  local users = {}
  for i = 1, n do users[i] = { id = i, username = "user" .. i } end
  local profiles = {}
  for i = 1, n do profiles[i] = { id = i, UserId = i } end
  local posts = {}
  for i = 1, n do
    for k = 1, POSTS_PER_USER do
      local p = (i - 1) * POSTS_PER_USER + k
      posts[#posts + 1] = { id = p, UserId = i }
    end
  end
  local tags = {}
  for t = 1, TAGS do tags[t] = { id = t } end
  local links, seen = {}, {}
  for p = 1, #posts do
    local t1 = (p % TAGS) + 1
    local t2 = ((p * 7) % TAGS) + 1
    if t2 == t1 then t2 = (t1 % TAGS) + 1 end
    for _, t in ipairs({ t1, t2 }) do
      local key = p .. ":" .. t
      assert(not seen[key], "the workload's tag rule gave a duplicate (PostId, TagId)")
      seen[key] = true
      links[#links + 1] = { PostId = p, TagId = t }
    end
  end

  local user_by_id, profile_of, posts_of, tags_of = {}, {}, {}, {}
  for _, u in ipairs(users) do user_by_id[u.id] = u end
  for _, pr in ipairs(profiles) do profile_of[pr.UserId] = pr end
  for _, p in ipairs(posts) do
    posts_of[p.UserId] = posts_of[p.UserId] or {}
    table.insert(posts_of[p.UserId], p)
  end
  for _, l in ipairs(links) do tags_of[l.PostId] = (tags_of[l.PostId] or 0) + 1 end

  local e = {}
  e.P0 = { tables = 5 } -- Users, Profiles, Posts, Tags and the through table PostTags
  e.P1 = { users = #users, profiles = #profiles, posts = #posts, tags = #tags, post_tags = #links }

  local with_profile = 0
  for _, u in ipairs(users) do
    local pr = profile_of[u.id]
    if pr and pr.UserId == u.id then with_profile = with_profile + 1 end
  end
  e.P2 = { users = #users, profiles = with_profile }

  local nposts = 0
  for _, u in ipairs(users) do nposts = nposts + #(posts_of[u.id] or {}) end
  e.P3 = { users = #users, posts = nposts }

  local authors, ntags = 0, 0
  for _, p in ipairs(posts) do
    local u = user_by_id[p.UserId]
    if u and u.id == p.UserId then authors = authors + 1 end
    ntags = ntags + (tags_of[p.id] or 0)
  end
  e.P4 = { posts = #posts, authors = authors, tags = ntags }

  -- 32-bit LCG, seed 12345; `% 2^32` is exact in doubles too (state * 1664525 < 2^53)
  local s, found, lp, id_sum = 12345, 0, 0, 0
  for _ = 1, n do
    s = (s * 1664525 + 1013904223) % 4294967296
    local id = (s % n) + 1
    local u = user_by_id[id]
    if u then
      found = found + 1
      id_sum = id_sum + u.id
      if profile_of[u.id] then lp = lp + 1 end
    end
  end
  e.P5 = { lookups = n, found = found, profiles = lp, id_sum = id_sum }

  local verified = 0
  for _, u in ipairs(users) do
    local email = u.username .. "@example.org"
    if email:sub(-#"@example.org") == "@example.org" then verified = verified + 1 end
  end
  e.P6 = { updated = #users, verified = verified }

  local page = {}
  for _, p in ipairs(posts) do if p.id > n then page[#page + 1] = p.id end end
  table.sort(page, function(a, b) return a > b end)
  local rows = math.min(#page, 100)
  e.P7 = { repeats = P7_REPEAT, count_sum = P7_REPEAT * #users, rows = P7_REPEAT * rows, first_id = page[1] }
  return e
end

-- key order of each phase's check, as the reference implementations print it
local KEYS = {
  P0 = { "tables" },
  P1 = { "users", "profiles", "posts", "tags", "post_tags" },
  P2 = { "users", "profiles" },
  P3 = { "users", "posts" },
  P4 = { "posts", "authors", "tags" },
  P5 = { "lookups", "found", "profiles", "id_sum" },
  P6 = { "updated", "verified" },
  P7 = { "repeats", "count_sum", "rows", "first_id" },
}

describe("bench/blog.lua", function()
  local line, status, db_path

  setup(function()
    local root = repo_root()
    db_path = os.tmpname()
    os.remove(db_path)
    db_path = db_path .. "_bench_spec.db"
    local cmd = table.concat({
      "cd", shq(root), "&&",
      "env", "LUA_PATH=" .. shq(package.path), "LUA_CPATH=" .. shq(package.cpath),
      "N=" .. N, "DB=" .. shq(db_path),
      shq(interpreter()), "bench/blog.lua", "2>&1",
    }, " ")
    local h = assert(io.popen(cmd))
    local out = h:read("*a")
    local ok, how, code = h:close()
    status = { ok = ok, how = how, code = code, out = out }
    for l in out:gmatch("[^\n]+") do
      if l:match('^{"impl"') then line = l end
    end
  end)

  teardown(function()
    for _, ext in ipairs({ "", "-journal", "-wal", "-shm" }) do os.remove(db_path .. ext) end
  end)

  it("runs to the end and prints one JSON line", function()
    assert.is_truthy(status.ok, "bench/blog.lua failed:\n" .. tostring(status.out))
    assert.is_string(line, "no JSON line in:\n" .. tostring(status.out))
    local top = parse_line(line)
    assert.are.equal("sequelua", top.impl)
    assert.are.equal(N, top.N)
    assert.is_truthy(top.sqlite and top.sqlite:match("^%d+%.%d+%.%d+$"))
    for p = 0, 7 do assert.is_number(top["P" .. p], "phase P" .. p .. " has no time") end
  end)

  it("removes its database file", function()
    for _, ext in ipairs({ "", "-journal" }) do
      local f = io.open(db_path .. ext, "rb")
      if f then f:close() end
      assert.is_nil(f, db_path .. ext .. " is still there")
    end
  end)

  it("prints the check values the workload's formulas give for N = " .. N, function()
    assert.is_string(line)
    local _, check, order = parse_line(line)
    assert.are.same({ "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7" }, order)
    local e = expected(N)
    for p = 0, 7 do
      local name = "P" .. p
      local got = check[name]
      assert.are.same(KEYS[name], got[0], name .. " keys")
      got[0] = nil
      assert.are.same(e[name], got, name)
    end
  end)

  it("computes the PRNG as WORKLOAD.md states it (first ids for N = 10000)", function()
    local s, ids = 12345, {}
    for i = 1, 3 do
      s = (s * 1664525 + 1013904223) % 4294967296
      ids[i] = (s % 10000) + 1
    end
    assert.are.same({ 8869, 2468, 6375 }, ids)
  end)
end)
