-- bench/percall.lua: the per-call cost of what a request handler does (one small call at a
-- time), for callgrind. Setup (three models, 200 users, 1,000 posts), then N calls of OP.
--
--   bench/percall.sh findOne            instructions per call, Lua 5.4 (callgrind, a
--                                       setup-only run subtracted), and by object
--   OP=findOne N=200 PROF=30 lua5.4 bench/percall.lua   Lua VM instructions per call, by
--                                       function and line (debug.sethook count hook)
--   (LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="build/5.4/?.so;;" from the tree's root)
--
-- OP: findByPk findOne findAll include count create createHook createVal update destroy
--     bulk20 increment tx raw supd supdNV txEmpty
-- OP=<name> N=<calls> lua5.4 percall.lua
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local OP, N = os.getenv("OP") or "findByPk", tonumber(os.getenv("N") or "2000")
local db = Sequelize.new("sqlite::memory:")
local User = db:define("User", {
  name = DataTypes.STRING, email = DataTypes.STRING, age = DataTypes.INTEGER,
  n = { type = DataTypes.INTEGER, defaultValue = 0 }, bio = DataTypes.TEXT,
}, { indexes = { { fields = { "email" } } } })
local Post = db:define("Post", { title = DataTypes.STRING, body = DataTypes.TEXT }, { indexes = { { fields = { "UserId" } } } })
User:hasMany(Post)
Post:belongsTo(User)
local Val = db:define("Val", {
  name = { type = DataTypes.STRING, validate = { len = { 1, 50 } } },
  email = { type = DataTypes.STRING, validate = { isEmail = true } },
  age = { type = DataTypes.INTEGER, validate = { min = 0, max = 200 } },
  n = DataTypes.INTEGER, bio = DataTypes.TEXT,
})
local Hk = db:define("Hk", {
  name = DataTypes.STRING, email = DataTypes.STRING, age = DataTypes.INTEGER,
  n = DataTypes.INTEGER, bio = DataTypes.TEXT,
})
Hk:beforeCreate(function(inst, opts) inst.n = 1 end)
db:sync()
local rows = {}
for i = 1, 200 do rows[i] = { name = "u" .. i, email = "u" .. i .. "@x.org", age = i % 90, n = 0, bio = "b" } end
User:bulkCreate(rows)
local prow = {}
for i = 1, 1000 do prow[i] = { title = "t" .. i, body = "b", UserId = (i % 200) + 1 } end
Post:bulkCreate(prow)
local b20 = {}
for i = 1, 20 do b20[i] = { name = "b" .. i, email = "b@x.org", age = 3, n = 0, bio = "x" } end
local one = User:findByPk(1)
local ops = {}
ops.findByPk = function(i) return User:findByPk((i % 200) + 1) end
ops.findOne = function(i) return User:findOne{ where = { email = "u" .. ((i % 200) + 1) .. "@x.org" } } end
ops.findAll = function(i) return User:findAll{ where = { age = i % 90 }, order = { { "name", "DESC" } }, limit = 20 } end
ops.include = function(i) return User:findAll{ include = { Post }, limit = 20 } end
ops.count = function(i) return User:count{ where = { age = i % 90 } } end
ops.create = function(i) return User:create{ name = "c", email = "c@x.org", age = 1, n = 0, bio = "x" } end
ops.createHook = function(i) return Hk:create{ name = "c", email = "c@x.org", age = 1, n = 0, bio = "x" } end
ops.createVal = function(i) return Val:create{ name = "c", email = "c@x.org", age = 1, n = 0, bio = "x" } end
ops.update = function(i) return one:update{ age = i % 90 } end
local victims
if OP == "destroy" then
  local r = {}
  for i = 1, 3000 do r[i] = { name = "d", email = "d", age = 1, n = 0, bio = "" } end
  User:bulkCreate(r)
  victims = User:findAll{ where = { name = "d" } }
end
-- (3,000 rows for every N, so that the N=0 run's setup is the same; the warm-up's five destroy
-- rows 1-5, so the run starts at row 6)
assert(OP ~= "destroy" or N <= 2995, "destroy: N at most 2995")
local WARM_N = 0
ops.destroy = function(i) return victims[i + WARM_N]:destroy() end
ops.bulk20 = function(i) return User:bulkCreate(b20) end
ops.increment = function(i) return one:increment("n") end
ops.tx = function(i) return db:transaction(function(t)
  User:update({ age = 5 }, { where = { id = 1 }, transaction = t })
  Post:update({ title = "x" }, { where = { id = 1 }, transaction = t })
end) end
ops.supd = function(i) return User:update({ age = 5 }, { where = { id = 1 } }) end
ops.supdNV = function(i) return User:update({ age = 5 }, { where = { id = 1 }, validate = false }) end
ops.txEmpty = function(i) return db:transaction(function(t) end) end
ops.raw = function(i) return User:findAll{ where = { age = i % 90 }, limit = 20, raw = true } end
local f = assert(ops[OP], OP)
if os.getenv("WARM") ~= "0" then for i = 1, 5 do f(i) end; WARM_N = 5 end
collectgarbage()
if os.getenv("PROF") then
  local lines, funcs, total = {}, {}, 0
  local getinfo = debug.getinfo
  debug.sethook(function()
    local info = getinfo(2, "Sl")
    local k = info.short_src .. ":" .. info.currentline
    lines[k] = (lines[k] or 0) + 1
    local fk = info.short_src .. ":" .. info.linedefined
    funcs[fk] = (funcs[fk] or 0) + 1
    total = total + 1
  end, "", 1)
  for i = 1, N do f(i) end
  debug.sethook()
  local function top(t, n, title)
    local a = {}
    for k, v in pairs(t) do a[#a + 1] = { k, v } end
    table.sort(a, function(x, y) return x[2] > y[2] end)
    print(title)
    for i = 1, math.min(n, #a) do print(string.format("%8.1f  %s", a[i][2] / N, a[i][1])) end
  end
  print(string.format("VM instructions per call: %.1f", total / N))
  top(funcs, tonumber(os.getenv("PROF")) or 30, "-- by function (source:linedefined)")
  top(lines, tonumber(os.getenv("PROF")) or 30, "-- by line")
else
for i = 1, N do f(i) end
end
