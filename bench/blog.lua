-- bench/blog.lua: the "blog" workload (../shared/WORKLOAD.md) written with sequelua's
-- own API, phase for phase as ../shared/bench/sequelize_blog.js does it with Sequelize:
-- define + associations + sync (P0), bulkCreate of five tables in one transaction (P1),
-- findAll with include (P2-P4), findByPk with include (P5), instance update in a
-- transaction (P6), count and findAll with where/order/limit (P7).
--
--   N=10000 lua5.4 bench/blog.lua          [DB=/tmp/sequelua_blog.db]
--   (LUA_PATH/LUA_CPATH pointing at lua/ and build/5.4 or build/jit; bench/run.sh sets them)
--
-- Prints one JSON line, like the reference implementations:
--   {"impl":"sequelua","N":...,"sqlite":"3.40.1","P0":ms,...,"P7":ms,"check":{...}}
-- with `check` identical to Sequelize's for the same N.
--
-- Clock: wall-clock milliseconds from the best source that needs no new dependency:
-- under LuaJIT clock_gettime(CLOCK_MONOTONIC) through ffi; under Lua 5.4 luasocket's
-- socket.gettime() (gettimeofday, microseconds) when it is installed; otherwise
-- `date +%s%N` through io.popen, read only at phase boundaries (a few ms of fork cost
-- per phase). The JSON line then carries "clock":"date" so such a run is recognisable.
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

local N = tonumber(os.getenv("N") or "10000")
local DB = os.getenv("DB") or string.format("/tmp/sequelua_blog_%d_%d.db", os.time(), math.random(1, 1e9))
local TAGS, POSTS_PER_USER, P7_REPEAT = 50, 5, 1000

-- ---------------------------------------------------------------------------
-- clock

local now_ms, clock_name
if jit then
  local ok, ffi = pcall(require, "ffi")
  if ok then
    pcall(ffi.cdef, [[
      typedef struct { long tv_sec; long tv_nsec; } sequelua_bench_timespec;
      int clock_gettime(int clk_id, sequelua_bench_timespec *tp);
    ]])
    local ts = ffi.new("sequelua_bench_timespec")
    local CLOCK_MONOTONIC = 1
    now_ms = function()
      ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
      return tonumber(ts.tv_sec) * 1e3 + tonumber(ts.tv_nsec) / 1e6
    end
    clock_name = "monotonic"
  end
end
if not now_ms then
  local ok, socket = pcall(require, "socket")
  if ok and type(socket) == "table" and socket.gettime then
    now_ms = function() return socket.gettime() * 1e3 end
    clock_name = "gettimeofday"
  end
end
if not now_ms then
  local p = io.popen("date +%s%N")
  local probe = p and p:read("*l")
  if p then p:close() end
  if probe and probe:match("^%d+$") and #probe > 12 then
    now_ms = function()
      local h = io.popen("date +%s%N")
      local s = h:read("*l")
      h:close()
      return tonumber(s) / 1e6
    end
    clock_name = "date"
  else
    now_ms = function() return os.clock() * 1e3 end
    clock_name = "cpu"
  end
end

-- ---------------------------------------------------------------------------
-- database and models

local function remove_db()
  for _, ext in ipairs({ "", "-journal", "-wal", "-shm" }) do os.remove(DB .. ext) end
end
remove_db()

local db = Sequelize.new{ dialect = "sqlite", storage = DB, logging = false }

local User = db:define("User", {
  username = DataTypes.STRING,
  email = DataTypes.STRING,
  password = DataTypes.STRING,
})
local Profile = db:define("Profile", { bio = DataTypes.TEXT })
local Post = db:define("Post", { title = DataTypes.STRING, body = DataTypes.TEXT })
local Tag = db:define("Tag", { name = DataTypes.STRING })
User:hasOne(Profile); Profile:belongsTo(User)
User:hasMany(Post); Post:belongsTo(User)
Post:belongsToMany(Tag, { through = "PostTags" }); Tag:belongsToMany(Post, { through = "PostTags" })

-- Tags of post p (1-based): two distinct ids in 1..50.
local function post_tags(p)
  local t1 = (p % TAGS) + 1
  local t2 = ((p * 7) % TAGS) + 1
  if t2 == t1 then t2 = (t1 % TAGS) + 1 end
  return t1, t2
end

-- ---------------------------------------------------------------------------
-- phases

local ms, check, order = {}, {}, {}
local function phase(name, fn)
  collectgarbage("collect")
  local t0 = now_ms()
  local c, after = fn()
  ms[name] = now_ms() - t0
  if after then after(c) end -- verification outside the timing
  check[name] = c
  order[#order + 1] = name
end

phase("P0", function()
  db:sync()
  local rows = db:query("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
    { type = Sequelize.QueryTypes.SELECT })
  return { { "tables", rows[1].n } }
end)

phase("P1", function()
  local users, profiles, posts, tags, links = {}, {}, {}, {}, {}
  for i = 1, N do
    users[i] = { username = "user" .. i, email = "user" .. i .. "@example.com", password = "password" .. i }
    profiles[i] = { bio = "bio of user" .. i, UserId = i }
    for k = 1, POSTS_PER_USER do
      local p = (i - 1) * POSTS_PER_USER + k
      posts[p] = { title = "post " .. p, body = "body of post " .. p .. " by user" .. i, UserId = i }
    end
  end
  for t = 1, TAGS do tags[t] = { name = "tag" .. t } end
  local n = 0
  for p = 1, N * POSTS_PER_USER do
    local t1, t2 = post_tags(p)
    n = n + 1; links[n] = { PostId = p, TagId = t1 }
    n = n + 1; links[n] = { PostId = p, TagId = t2 }
  end
  local PostTags = db.models.PostTags
  db:transaction(function(t)
    User:bulkCreate(users, { transaction = t })
    Profile:bulkCreate(profiles, { transaction = t })
    Post:bulkCreate(posts, { transaction = t })
    Tag:bulkCreate(tags, { transaction = t })
    PostTags:bulkCreate(links, { transaction = t })
  end)
  return { { "users", #users }, { "profiles", #profiles }, { "posts", #posts }, { "tags", #tags },
           { "post_tags", #links } }
end)

phase("P2", function()
  local users = User:findAll{ include = Profile }
  local profiles = 0
  for _, u in ipairs(users) do
    local pr = u.Profile
    if pr and pr.UserId == u.id then profiles = profiles + 1 end
  end
  return { { "users", #users }, { "profiles", profiles } }
end)

phase("P3", function()
  local users = User:findAll{ include = Post }
  local posts = 0
  for _, u in ipairs(users) do posts = posts + #u.Posts end
  return { { "users", #users }, { "posts", posts } }
end)

phase("P4", function()
  local posts = Post:findAll{ include = { User, Tag } }
  local authors, tags = 0, 0
  for _, p in ipairs(posts) do
    local u = p.User
    if u and u.id == p.UserId then authors = authors + 1 end
    tags = tags + #p.Tags
  end
  return { { "posts", #posts }, { "authors", authors }, { "tags", tags } }
end)

phase("P5", function()
  local found, profiles, id_sum = 0, 0, 0
  local s = 12345
  for _ = 1, N do
    s = (s * 1664525 + 1013904223) % 4294967296 -- exact in doubles too (< 2^53)
    local id = (s % N) + 1
    local u = User:findByPk(id, { include = Profile })
    if u then
      found = found + 1
      id_sum = id_sum + u.id
      if u.Profile then profiles = profiles + 1 end
    end
  end
  return { { "lookups", N }, { "found", found }, { "profiles", profiles }, { "id_sum", id_sum } }
end)

phase("P6", function()
  local updated = 0
  db:transaction(function(t)
    local users = User:findAll{ transaction = t }
    for _, u in ipairs(users) do
      u:update({ email = u.username .. "@example.org" }, { transaction = t })
      updated = updated + 1
    end
  end)
  return { { "updated", updated } }, function(c)
    local n = User:count{ where = { email = { [Op.like] = "%@example.org" } } }
    c[#c + 1] = { "verified", n }
  end
end)

phase("P7", function()
  local count_sum, rows, first_id = 0, 0, nil
  for _ = 1, P7_REPEAT do
    count_sum = count_sum + User:count()
    local posts = Post:findAll{ where = { id = { [Op.gt] = N } }, limit = 100, order = { { "id", "DESC" } } }
    rows = rows + #posts
    if first_id == nil then first_id = posts[1].id end
  end
  return { { "repeats", P7_REPEAT }, { "count_sum", count_sum }, { "rows", rows }, { "first_id", first_id } }
end)

local version = db:query("SELECT sqlite_version() AS v", { type = Sequelize.QueryTypes.SELECT })[1].v
db:close()
remove_db()

-- ---------------------------------------------------------------------------
-- output: keys in the reference order, integers printed as integers

local function num(v)
  if type(v) == "number" and v == math.floor(v) and v > -2 ^ 53 and v < 2 ^ 53 then
    return string.format("%d", v)
  end
  return tostring(v)
end

local out = { string.format('{"impl":"sequelua","N":%d,"sqlite":"%s"', N, version) }
for _, k in ipairs(order) do out[#out + 1] = string.format(',"%s":%.1f', k, ms[k]) end
out[#out + 1] = ',"check":{'
for i, k in ipairs(order) do
  local kv = {}
  for j, pair in ipairs(check[k]) do kv[j] = string.format('"%s":%s', pair[1], num(pair[2])) end
  out[#out + 1] = (i > 1 and "," or "") .. string.format('"%s":{%s}', k, table.concat(kv, ","))
end
out[#out + 1] = "}"
if clock_name == "date" or clock_name == "cpu" then out[#out + 1] = string.format(',"clock":"%s"', clock_name) end
out[#out + 1] = "}"
print(table.concat(out))
