-- Soak: many create/find/update/destroy cycles (100k; 5k under AddressSanitizer, where the
-- Makefile sets SEQUELUA_ASAN) with the Lua heap (after a full GC) and the RSS bounded: the second
-- half of the run may not grow much more than the first. Connections and statements are
-- released on close and on GC (open file descriptors and RSS come back down).
-- SEQUELUA_SOAK_CYCLES overrides the number of cycles.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local ASAN = os.getenv("SEQUELUA_ASAN") ~= nil and os.getenv("SEQUELUA_ASAN") ~= ""
local CYCLES = tonumber(os.getenv("SEQUELUA_SOAK_CYCLES") or "") or (ASAN and 5000 or 100000)

-- The Lua heap after a full collection and the process's RSS, in KB: this file's, and the
-- text a child script measuring itself starts with
local MEASURE = [=[
local function heap_kb()
  collectgarbage("collect")
  collectgarbage("collect")
  return collectgarbage("count")
end
local function rss_kb()
  for line in io.lines("/proc/self/status") do
    local v = line:match("^VmRSS:%s+(%d+)")
    if v then return tonumber(v) end
  end
end
]=]
local heap_kb, rss_kb = assert((loadstring or load)(MEASURE .. "return heap_kb, rss_kb"))()

-- Run a child script's text with `cmd` (an interpreter and its flags; nil: this one's); its
-- output (and, with `status`, a last line "status N": its exit status)
local INTERP = jit and "luajit" or "lua5.4"
local function run_child(cmd, text, status)
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(text)
  f:close()
  local p = io.popen((cmd or INTERP) .. " " .. script .. " 2>&1" .. (status and '; echo "status $?"' or ""))
  local out = p:read("*a")
  p:close()
  os.remove(script)
  return out
end

local function my_pid()
  local f = assert(io.open("/proc/self/stat"))
  local pid = f:read("*l"):match("^(%d+)")
  f:close()
  return pid
end

local PID = my_pid()
local function open_fds()
  local p = io.popen("ls /proc/" .. PID .. "/fd | wc -l")
  local n = tonumber(p:read("*a"))
  p:close()
  return n
end

-- The second half grew at most half as much as the first, plus a small allowance. Under ASan
-- freed memory sits in the allocator's quarantine, so RSS says nothing there (LSan checks leaks).
local function assert_bounded(what, base, mid, last, allowance)
  local first, second = mid - base, last - mid
  assert.is_true(second <= math.max(first, 0) * 0.5 + allowance,
    ("%s grew %.0f KB in the second half after %.0f KB in the first (base %.0f, end %.0f)")
      :format(what, second, first, base, last))
end

describe("soak", function()
  -- The cycles run in a fresh interpreter: in the middle of a long spec run the collector's
  -- pace and the allocator's high-water mark depend on every spec before this one.
  it(("%d create/find/update/destroy cycles keep the Lua heap and RSS bounded"):format(CYCLES), function()
    local out = run_child(nil, MEASURE .. [=[
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local CYCLES = ]=] .. CYCLES .. [=[

local db = Sequelize.new("sqlite::memory:")
local Users = db:define("Users", {
  name = { type = DataTypes.STRING, allowNull = false },
  n    = DataTypes.INTEGER,
  bio  = DataTypes.TEXT,
})
db:sync()
local function cycle(i)
  local u = Users:create({ name = "u" .. i, n = i, bio = ("b"):rep(i % 200) })
  local f = Users:findByPk(u.id)
  assert(f.n == i)
  f:update({ n = i + 1, bio = "x" })
  f:destroy()
end
local function run(n) for i = 1, n do cycle(i) end end
run(math.min(2000, CYCLES / 10))
local h0, r0 = heap_kb(), rss_kb()
run(CYCLES / 2)
local h1, r1 = heap_kb(), rss_kb()
run(CYCLES / 2)
local h2, r2 = heap_kb(), rss_kb()
assert(Users:count() == 0)
db:close()
io.write(("%f %f %f %d %d %d\n"):format(h0, h1, h2, r0, r1, r2))
]=])
    local h0, h1, h2, r0, r1, r2 = out:match("^(%S+) (%S+) (%S+) (%d+) (%d+) (%d+)")
    assert.is_not_nil(h0, "the soak child failed: " .. out)
    h0, h1, h2, r0, r1, r2 = tonumber(h0), tonumber(h1), tonumber(h2), tonumber(r0), tonumber(r1), tonumber(r2)
    assert_bounded("the Lua heap", h0, h1, h2, 64)
    assert.is_true(h2 - h0 < 1024, ("the Lua heap grew from %.0f KB to %.0f KB"):format(h0, h2))
    -- (short runs have not reached the allocator's high-water mark yet: RSS only for long ones)
    if not ASAN and CYCLES >= 20000 then
      assert_bounded("RSS", r0, r1, r2, 2048)
      assert.is_true(r2 - r0 < 16384, ("RSS grew from %d KB to %d KB"):format(r0, r2))
    end
  end)

  describe("connections", function()
    local dir

    before_each(function()
      dir = os.tmpname()
      os.remove(dir)
      assert(os.execute("mkdir -p " .. dir))
    end)

    after_each(function() os.execute("rm -rf " .. dir) end)

    local function use(path)
      local db = Sequelize.new({ dialect = "sqlite", storage = path })
      local M = db:define("Items", { a = DataTypes.STRING })
      db:sync()
      M:create({ a = "x" })
      assert(#M:findAll({ where = { a = "x" } }) >= 1)
      db:query("SELECT count(*) AS c FROM Items")
      return db
    end

    it("close releases the file and its statements at once", function()
      local path = dir .. "/c.db"
      -- handles dropped by earlier specs are finalized now, not in the middle of the count
      for _ = 1, 4 do collectgarbage("collect") end
      local before = open_fds()
      local keep = {}
      for i = 1, 50 do keep[i] = use(path) end
      -- (SQLite may hand a connection a descriptor parked by another on the same file, so
      -- the count can fall short of 50; that open handles hold files is what matters here)
      assert.is_true(open_fds() >= before + 25, "50 open connections should hold their files")
      for i = 1, 50 do keep[i]:close() end
      -- still referenced, not collected: only close can have released them
      assert.is_true(open_fds() <= before + 1, ("%d descriptors still open after close (%d before)"):format(open_fds(), before))
      keep = nil
    end)

    it("a connection dropped without close is released by the GC", function()
      local path = dir .. "/g.db"
      collectgarbage("collect")
      local before = open_fds()
      for _ = 1, 50 do use(path) end
      collectgarbage("collect")
      collectgarbage("collect")
      assert.is_true(open_fds() <= before + 1, ("%d descriptors open after GC (%d before)"):format(open_fds(), before))
    end)

    it("opening and dropping many connections keeps RSS bounded", function()
      local n = ASAN and 40 or 120
      local function run()
        for i = 1, n do
          local db = use(i % 4 == 0 and dir .. "/r.db" or ":memory:")
          if i % 3 ~= 0 then db:close() end
        end
        collectgarbage("collect")
        collectgarbage("collect")
      end
      run()
      local r0 = rss_kb()
      run()
      local r1 = rss_kb()
      run()
      local r2 = rss_kb()
      if not ASAN then assert_bounded("RSS", r0, r1, r2, 2048) end
    end)
  end)

  it("models defined again under their name are freed once nothing holds them (Sequelize's modelManager drops the older)", function()
    local core = require("sequelua.core")
    local db = Sequelize.new("sqlite::memory:")
    local function define()
      local User = db:define("User", { name = DataTypes.STRING })
      local Post = db:define("Post", { title = DataTypes.STRING })
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      User:hasMany(Post); Post:belongsTo(User)
      Post:belongsToMany(Tag, { through = "PostTags" }); Tag:belongsToMany(Post, { through = "PostTags" })
      return User, Post, Tag
    end
    -- what is held: an instance of the first User and the first Post model, in a table (the
    -- calls below run in functions of their own, so no dead local of this one keeps a model)
    local held = {}
    local function first()
      local User, Post = define()
      db:sync()
      held.user = User:create({ name = "a" })
      Post:create({ title = "t", UserId = held.user.id })
      held.post = Post
    end
    first()
    local rounds = ASAN and 200 or 2000
    local function round()
      local U, P = define()
      local rows = U:findAll({ include = { P } })
      assert(#rows == 1 and #rows[1].Posts == 1)
    end
    for _ = 1, rounds / 2 do round() end
    local h0 = heap_kb()
    for _ = 1, rounds / 2 do round() end
    local h1 = heap_kb()
    -- the sweep runs as a model is defined, and frees those replaced before: held now are the
    -- three the define replaces, its three, the shared PostTags, and the first User, Post and
    -- Tag (the held instance's model and what its associations lead to)
    define()
    assert.is_true(core.models_held(db._db) <= 10, ("%d models held"):format(core.models_held(db._db)))
    -- (a freed model's slot is taken by a later one: the table of models does not grow)
    assert.is_true(db.models.User._info.id < 16, ("model id %d"):format(db.models.User._info.id))
    assert.is_true(h1 - h0 < 256, ("the Lua heap grew from %.0f KB to %.0f KB"):format(h0, h1))
    local function use_held() -- (what is held still works)
      held.user.name = "b"
      held.user:save()
      assert.are.equal("b", db.models.User:findByPk(held.user.id).name)
      assert.are.equal(1, #held.post:findAll())
    end
    use_held()
    held.user, held.post = nil, nil
    -- (LuaJIT's compiled traces may hold the objects they were recorded on, the first models
    -- among them, until they are flushed)
    if jit then jit.flush() end
    heap_kb()
    define()
    assert.is_true(core.models_held(db._db) <= 7, ("%d models held"):format(core.models_held(db._db)))
    db:close()
  end)

  it("thousands of distinct statements keep the statement cache bounded", function()
    local db = Sequelize.new("sqlite::memory:")
    local Users = db:define("Users", { name = DataTypes.STRING })
    db:sync()
    Users:create({ name = "a" })
    local rounds = ASAN and 300 or 1000
    local function run()
      for i = 1, rounds do
        local ids = {}
        for j = 1, i % 600 + 1 do ids[j] = j end   -- a different SQL text for each length
        assert(#Users:findAll({ where = { id = ids } }) == 1)
      end
    end
    run()
    local h0, r0 = heap_kb(), rss_kb()
    run()
    local h1, r1 = heap_kb(), rss_kb()
    run()
    local h2, r2 = heap_kb(), rss_kb()
    db:close()
    assert_bounded("the Lua heap", h0, h1, h2, 64)
    if not ASAN then assert_bounded("RSS", r0, r1, r2, 4096) end
  end)

  -- The finalizer specs' children (in a fresh interpreter: in a long spec run a GC cycle over
  -- the heap the earlier specs left takes longer than the reads) start alike: 2,000 Users
  -- (n = i % 2), and rearm(on_gc), a finalizer that runs on_gc at every GC cycle while `armed`
  local CHILD_SETUP = [=[
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
local Users = db:define("Users", { name = DataTypes.STRING, n = DataTypes.INTEGER })
db:sync()
local list = {}
for i = 1, 2000 do list[i] = { name = "u" .. i, n = i % 2 } end
Users:bulkCreate(list)
local armed = true
local function rearm(on_gc)
  local mt = { __gc = true }
  local o = newproxy and newproxy(true) or setmetatable({}, mt)
  if newproxy then mt = getmetatable(o) end
  mt.__gc = function()
    if not armed then return end
    on_gc()
    rearm(on_gc) -- armed again for the next cycle
  end
end
]=]

  -- Lua runs __gc finalizers at any allocation, so also while the core pushes a query's rows.
  -- A finalizer that queries (a guard object logging to the database, an ffi.gc'd wrapper)
  -- had the statement cache hand it the statement being read (the same query shape: reset
  -- and rebound, the outer findAll then read the inner query's rows: thousands wrong in 20 reads),
  -- or empty the cache under it (512 shapes: the statement finalized, a crash). Sequelize
  -- 6.37.8 (node-sqlite3) prepares a statement per query: each read gets its own rows.
  -- (and after the core module was loaded again, package.loaded cleared: LuaJIT makes new
  -- function values for it, which replaced the set the check looks the stack up in, so the
  -- calls of the connection opened before went unrecognised: 1000s of wrong rows again)
  for _, reload in ipairs({ false, true }) do
  it("a query made from a __gc finalizer while another reads its rows leaves that read's rows alone"
     .. (reload and " (the core module loaded a second time)" or ""), function()
    local out = run_child(nil,
      (reload and "" or "-- ") .. 'local first_core = require("sequelua.core")\n' .. CHILD_SETUP .. [=[
if first_core then package.loaded["sequelua.core"] = nil; assert(require("sequelua.core") ~= first_core) end
local fired, closed = 0, "not tried"
collectgarbage("setpause", 10) -- (a GC cycle all the time)
collectgarbage("setstepmul", 1000)
rearm(function()
  fired = fired + 1
  Users:findAll({ where = { n = 0 } }) -- the shape being read, other values
  if fired == 1 then -- more shapes than the cache keeps (a list of each length)
    for i = 1, 600 do
      local ids = {}
      for j = 1, i do ids[j] = j end
      Users:count({ where = { id = ids } })
    end
  end
  if fired == 2 then
    local ok, e = pcall(db.close, db)
    closed = ok and "closed" or e.message
  end
end)
local wrong = 0
for _ = 1, 20 do
  local rows = Users:findAll({ where = { n = 1 } })
  if #rows ~= 1000 then wrong = wrong + 1 end
  for _, r in ipairs(rows) do if r.n ~= 1 then wrong = wrong + 1 end end
end
armed = false
io.write(fired, " ", wrong, " ", Users:count(), " ", closed, "\n")
db:close()
]=])
    local fired, wrong, count, closed = out:match("^(%d+) (%d+) (%d+) ([^\n]*)")
    assert.is_not_nil(fired, "the child failed: " .. out)
    assert.is_true(tonumber(fired) >= 2, ("%s finalizers ran"):format(fired))
    assert.are.equal("0", wrong)
    assert.are.equal("2000", count)
    -- a close from such a finalizer is refused (the statement read below would be finalized)
    if closed ~= "not tried" then
      assert.matches("cannot be closed while a query's rows are being read", closed, 1, true)
    end
  end)
  end

  -- A query made from a finalizer while another call reads its rows set up its own logging and
  -- query hooks over the outer call's: the outer findAll's afterQuery and its benchmark line
  -- were lost (Lua 5.4: 11 of 20; LuaJIT: all 20, and the outer then ran the hook through the
  -- finalizer call's freed state: hangs). Sequelize 6.37.8 (checked: a findAll with
  -- benchmark: true and an afterQuery hook) gives each query its own line and afterQuery.
  -- The same with a finalizer's describeTable, dropTable or sync: those calls never gave the
  -- outer call its state back (no end_call at their return): the outer findAll's afterQuery
  -- and benchmark line were lost whenever one ran during it (Lua 5.4: 10 of 20 each).
  -- (LuaJIT with its compiler on: LuaJIT 2.1.0-beta3 itself sometimes spins in this script,
  -- before this fix and after it, in its own code; with -joff never)
  local function finalizer_during_finds(inner)
    local out = run_child("timeout 120 " .. (jit and "luajit -joff" or "lua5.4"), CHILD_SETUP .. [=[
local qi = db:getQueryInterface()
local after = {}
db:addHook("afterQuery", function(_, q) after[#after + 1] = q.sql end)
local fired = 0
collectgarbage("setpause", 10)
collectgarbage("setstepmul", 1000)
rearm(function()
  fired = fired + 1
  pcall(function() ]=] .. inner .. [=[ end)
end)
local lines, hooks = 0, 0
for _ = 1, 20 do
  after = {}
  local logged = {}
  Users:findAll({ where = { n = 1 }, benchmark = true, logging = function(s, ms) logged[#logged + 1] = s end })
  for _, s in ipairs(logged) do if s:find("FROM `Users`", 1, true) then lines = lines + 1 end end
  for _, s in ipairs(after) do if s and s:find("FROM `Users`", 1, true) then hooks = hooks + 1 end end
end
armed = false
io.write(fired, " ", lines, " ", hooks, "\n")
]=])
    local fired, lines, hooks = out:match("^(%d+) (%d+) (%d+)")
    assert.is_not_nil(fired, inner .. ": the child failed: " .. out)
    assert.is_true(tonumber(fired) >= 2, ("%s: %s finalizers ran"):format(inner, fired))
    assert.are.same({ "20", "20" }, { lines, hooks }, inner)
  end

  it("a query made from a __gc finalizer during another keeps that one's afterQuery and benchmark line", function()
    finalizer_during_finds('db:query("SELECT 1 AS inner_q", { logging = false })')
  end)

  it("a finalizer's describeTable / dropTable / sync during another call gives that one its state back", function()
    finalizer_during_finds('qi:describeTable("Users", { logging = false })')
    finalizer_during_finds('qi:dropTable("Nope", { logging = false })')
    finalizer_during_finds('Users:sync({ logging = false })')
  end)

  -- A finalizer's call that ends by a plain Lua error (not one of the library's error objects:
  -- here its replacements table raises when read, after the call set up its logger and query
  -- hooks) never gave the outer call its state back: the outer findAll then ran its afterQuery
  -- and logger through the finalizer call's finished C frame (its afterQuery lost, or a crash).
  -- Sequelize 6.37.8 has no such moment (a failed query rejects its own promise only).
  it("a finalizer's call that ends by a plain Lua error gives the call below it its state back", function()
    finalizer_during_finds('db:query("SELECT :x AS q", { logging = function() end, '
      .. 'replacements = setmetatable({}, { __index = function() error("raised by __index") end }) })')
    finalizer_during_finds('db:query("SELECT $x AS q", { logging = function() end, '
      .. 'bind = setmetatable({}, { __index = function() error("raised by __index") end }) })')
  end)

  -- LuaJIT's lua_close runs finalizers in passes and unloads C libraries in the first; a
  -- finalizer of that pass that queried made finalizable userdata here (a call's arena, a raw
  -- statement's box), run in the next pass from unmapped code: a segfault at every exit (5/5).
  -- Sequelize has no such moment: a Node process ends without crashing.
  it("a finalizer that queries at process exit does not crash the interpreter", function()
    local out = run_child(nil, [=[
local Sequelize = require("sequelua")
local db = Sequelize.new("sqlite::memory:")
local U = db:define("User", { name = Sequelize.DataTypes.STRING })
db:sync()
local t = db:transaction()
U:create({ name = "a" }, { transaction = t })
local mt = { __gc = true }
local guard = newproxy and newproxy(true) or setmetatable({}, mt)
if newproxy then mt = getmetatable(guard) end
mt.__gc = function()
  U:count()
  db:query("SELECT 1 AS x")
  U:create({ name = "b" })
  io.stderr:write("finalizer done\n")
end
KEEP = guard
print("end of script")
]=], true)
    assert.matches("finalizer done", out, 1, true)
    assert.matches("status 0", out, 1, true)
  end)

  -- lua_close finalizes every object, in the reverse order they were marked: an object made
  -- before the Sequelize object is finalized after its db box (and its models' boxes). The db box's
  -- finalizer freed the connection's state, which the model boxes still pointed at: a finalizer
  -- that then used a model read freed memory (ASan: heap-use-after-free in check_model); define
  -- (and the checker it makes) read the finalized db box's state (a NULL dereference: SIGSEGV).
  -- The state now lives until its last box goes; such a use is an error. (Sequelize has no such
  -- moment: Node runs no code after its process ends.)
  -- A child whose object made before the Sequelize object runs `body` when finalized; the
  -- error message its first pcall got
  local function at_close(body)
    local out = run_child(nil, [=[
local Sequelize = require("sequelua")
local mt = { __gc = true }
local early = newproxy and newproxy(true) or setmetatable({}, mt) -- (made before the db: finalized after it)
if newproxy then mt = getmetatable(early) end
local function say(ok, e)
  io.stderr:write("finalizer: ", tostring(ok), " ", type(e) == "table" and tostring(e.message) or tostring(e), "\n")
end
mt.__gc = function()
]=] .. body .. [=[
end
EARLY = early
db = Sequelize.new("sqlite::memory:")
U = db:define("User", { name = Sequelize.DataTypes.STRING })
db:sync()
U:create({ name = "a" })
print("end of script")
]=], true)
    assert.matches("end of script", out, 1, true)
    assert.matches("status 0", out, 1, true)
    assert.is_nil(out:find("AddressSanitizer", 1, true), out)
    local line = out:match("finalizer: false ([^\n]*)")
    assert.is_not_nil(line, out)
    return line
  end

  it("a finalizer at interpreter close that uses a model after its db was finalized gets an error", function()
    local line = at_close([=[
  say(pcall(function() return U:count() end))
  say(pcall(function() return U:build({ name = "b" }):toJSON() end))
]=])
    assert.is_truthy(line:find("model is gone", 1, true) or line:find("connection manager was closed", 1, true), line)
  end)

  it("a finalizer at interpreter close that defines a model after its db was finalized gets an error", function()
    local line = at_close([=[
  say(pcall(function() return db:define("V", { name = Sequelize.DataTypes.STRING }) end))
]=])
    assert.is_truthy(line:find("database handle is gone", 1, true), line)
  end)

  -- Lua 5.4's lua_close runs no __gc of objects made while it runs finalizers: a model box
  -- made then (a finalizer that defines a model while its db is still there) held a ref of
  -- the connection's state that was never released, and the state, its models and SQLite's
  -- handle leaked (LSan: sq_db_open, sq_model_new; make sanitize). A box made inside a
  -- finalizer holds no ref now: it is listed, and let go when the state is freed. A finalizer
  -- of a normal collection that defines a model gets one that works, the state freed with
  -- the last box after.
  it("a finalizer at interpreter close that defines and uses a model while its db is there: no leak", function()
    local out = run_child(nil, [=[
local Sequelize = require("sequelua")
db = Sequelize.new("sqlite::memory:")
U = db:define("User", { name = Sequelize.DataTypes.STRING })
db:sync()
U:create({ name = "a" })
local mt = { __gc = true }
local late = newproxy and newproxy(true) or setmetatable({}, mt) -- (made after the db: finalized before it)
if newproxy then mt = getmetatable(late) end
mt.__gc = function()
  local ok, e = pcall(function()
    local V = db:define("V", { name = Sequelize.DataTypes.STRING })
    V:sync()
    V:create({ name = "v" })
    return V:count() + U:count()
  end)
  io.stderr:write("finalizer: ", tostring(ok), " ", type(e) == "table" and tostring(e.message) or tostring(e), "\n")
end
LATE = late
print("end of script")
]=], true)
    assert.matches("finalizer: true 2", out, 1, true)
    assert.matches("status 0", out, 1, true)
    assert.is_nil(out:find("Sanitizer", 1, true), out)
  end)

  it("a finalizer of a normal collection that defines a model: it works, and all is freed after", function()
    if jit then return end -- (LuaJIT: no __gc on tables, and its finalizers' boxes are finalized)
    local out = run_child(nil, [=[
local Sequelize = require("sequelua")
local db = Sequelize.new("sqlite::memory:")
local U = db:define("User", { name = Sequelize.DataTypes.STRING })
db:sync()
local V
do setmetatable({}, { __gc = function() V = db:define("V", { name = Sequelize.DataTypes.STRING }) end }) end
collectgarbage(); collectgarbage()
V:sync()
V:create({ name = "x" })
do setmetatable({}, { __gc = function() db:define("W", { name = Sequelize.DataTypes.STRING }) end }) end
collectgarbage(); collectgarbage()
db.models.W = nil
for _ = 1, 3 do collectgarbage() end
local weak = setmetatable({ db = db, V = V }, { __mode = "v" })
local n = V:count() + U:count()
db, U, V = nil, nil, nil
for _ = 1, 4 do collectgarbage() end
print("counted " .. n .. ", collected " .. tostring(weak.db == nil and weak.V == nil))
]=], true)
    assert.matches("counted 1, collected true", out, 1, true)
    assert.matches("status 0", out, 1, true)
    assert.is_nil(out:find("Sanitizer", 1, true), out)
  end)

  it("failing statements release what they prepared", function()
    -- (in a fresh interpreter, as the cycles above: the suite's own process is large and its
    -- allocator's high-water mark moves with every spec before this one)
    local n = ASAN and 300 or 2000
    local out = run_child(nil, MEASURE .. [=[
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local N = ]=] .. n .. [=[

local db = Sequelize.new("sqlite::memory:")
local Users = db:define("Users", { name = { type = DataTypes.STRING, unique = true } })
db:sync()
Users:create({ name = "taken" })
local function run()
  for i = 1, N do
    pcall(Users.create, Users, { name = "taken" })                           -- constraint error
    pcall(db.query, db, "SELECT * FROM nope" .. (i % 50))                    -- prepare error
    pcall(db.query, db, "INSERT INTO Users (name, createdAt, updatedAt) VALUES ('taken', 1, 1)")
    pcall(Users.findAll, Users, { where = { nope = 1 } })                    -- refused before SQL
    pcall(Users.bulkCreate, Users, { { name = "x" .. i }, { name = "taken" } })
  end
end
run()
local h0, r0 = heap_kb(), rss_kb()
run()
local h1, r1 = heap_kb(), rss_kb()
run()
local h2, r2 = heap_kb(), rss_kb()
local count = Users:count()
db:close()
io.write(("%f %f %f %d %d %d %d\n"):format(h0, h1, h2, r0, r1, r2, count))
]=])
    local h0, h1, h2, r0, r1, r2, count = out:match("^(%S+) (%S+) (%S+) (%d+) (%d+) (%d+) (%d+)")
    assert.is_not_nil(h0, "the soak child failed: " .. out)
    assert.are.equal(1, tonumber(count))
    assert_bounded("the Lua heap", tonumber(h0), tonumber(h1), tonumber(h2), 64)
    if not ASAN then assert_bounded("RSS", tonumber(r0), tonumber(r1), tonumber(r2), 2048) end
  end)
end)
