-- The logger's arguments: Sequelize 6 calls options.logging as (sql, options), and with
-- benchmark as (sql, ms, options); `logging = print` is its console.log, called with the line
-- alone. The options are the query's: the call's own options and type, model, transaction,
-- bind (the values bound to the statement's placeholders), plain, raw, logging.
-- Expected values were checked against Sequelize 6.37.8 (sqlite dialect).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

-- a logger keeping (sql, second, third) of each call and the number of its arguments
local function recorder()
  local log = {}
  return log, function(...)
    log[#log + 1] = { n = select("#", ...), ... }
  end
end

local function setup(opts)
  local log, fn = recorder()
  opts = opts or {}
  if opts.logging == nil then opts.logging = fn end
  local db = Sequelize.new("sqlite::memory:", opts)
  local User = db:define("User", { name = DataTypes.STRING, n = DataTypes.INTEGER })
  local Post = db:define("Post", { title = DataTypes.STRING })
  User:hasMany(Post)
  Post:belongsTo(User)
  db:sync()
  for k in pairs(log) do log[k] = nil end
  return db, User, Post, log
end

local function last(log) return log[#log] end

describe("the logger's options (Sequelize's logging(sql, options))", function()
  it("a finder's: type SELECT, the model, plain, raw, the call's own options and the values bound", function()
    local db, User, _, log = setup()
    User:findAll({ where = { name = "a" }, mine = 1 })
    local e = last(log)
    assert.are.equal(2, e.n)
    assert.are.equal("Executing (default): SELECT `id`, `n`, `name`, `createdAt`, `updatedAt` FROM `Users` AS `User` "
                     .. "WHERE `User`.`name` = ?;", e[1])
    local o = e[2]
    assert.are.equal("SELECT", o.type)
    assert.are.equal(User, o.model)
    assert.is_false(o.plain)
    assert.is_false(o.raw)
    assert.are.equal(1, o.mine)
    assert.are.same({ "a" }, o.bind)
    assert.are.equal("function", type(o.logging))
    User:findOne({ where = { name = "a" } })
    assert.is_true(last(log)[2].plain)
    User:findByPk(1)
    assert.is_true(last(log)[2].plain)
    assert.are.same({ 1 }, last(log)[2].bind)
    User:findAll({ raw = true })
    assert.is_true(last(log)[2].raw)
    db:close()
  end)

  it("the call's options are copied, not the caller's table", function()
    local db, User, _, log = setup()
    local mine = { where = { n = 1 } }
    User:findAll(mine)
    assert.are_not.equal(mine, last(log)[2])
    assert.is_nil(mine.type)
    assert.is_nil(mine.bind)
    db:close()
  end)

  it("writes: INSERT, UPDATE (an instance's), BULKUPDATE (Model.update), DELETE, BULKDELETE", function()
    local db, User, _, log = setup()
    local u = User:create({ name = "a", n = 1 })
    local o = last(log)[2]
    assert.are.equal("INSERT", o.type)
    assert.are.equal(User, o.model)
    assert.are.equal(1, o.bind[1])
    assert.are.equal("a", o.bind[2])
    assert.are.equal(4, #o.bind)
    u:update({ n = 3 })
    assert.are.equal("UPDATE", last(log)[2].type)
    assert.are.equal(3, last(log)[2].bind[1])
    u:increment("n")
    assert.are.equal("UPDATE", last(log)[2].type)
    User:update({ n = 2 }, { where = { id = 1 } })
    assert.are.equal("BULKUPDATE", last(log)[2].type)
    assert.are.same({ id = 1 }, last(log)[2].where)
    for k in pairs(last(log)[2]) do assert.are_not.equal("_", tostring(k):sub(1, 1), k) end
    User:destroy({ where = { id = 5 } })
    assert.are.equal("BULKDELETE", last(log)[2].type)
    u:destroy()
    assert.are.equal("DELETE", last(log)[2].type)
    assert.are.equal(User, last(log)[2].model)
    db:close()
  end)

  it("bulkCreate's INSERT carries the model and the call's options", function()
    local db, User, _, log = setup()
    User:bulkCreate({ { name = "b" }, { name = "c" } }, { mine = 2 })
    local ins
    for _, e in ipairs(log) do if e[1]:find("INSERT", 1, true) then ins = e end end
    assert.are.equal("INSERT", ins[2].type)
    assert.are.equal(User, ins[2].model)
    assert.are.equal(2, ins[2].mine)
    assert.are.equal("b", ins[2].bind[1])
    db:close()
  end)

  it("aggregates: SELECT, plain and raw, no model (Sequelize's count / max)", function()
    local db, User, _, log = setup()
    User:count()
    local o = last(log)[2]
    assert.are.equal("SELECT", o.type)
    assert.is_true(o.plain)
    assert.is_true(o.raw)
    assert.is_nil(o.model)
    User:max("n")
    assert.are.equal("SELECT", last(log)[2].type)
    assert.is_nil(last(log)[2].model)
    db:close()
  end)

  it("db:query: RAW unless a type is given, SELECT with a model; replacements / bind as given", function()
    local db, User, _, log = setup()
    db:query("SELECT 1")
    assert.are.equal("RAW", last(log)[2].type)
    assert.is_true(last(log)[2].raw)
    db:query("SELECT 1", { type = "SELECT" })
    assert.are.equal("SELECT", last(log)[2].type)
    db:query("SELECT * FROM Users", { model = User, mapToModel = true })
    assert.are.equal("SELECT", last(log)[2].type)
    assert.are.equal(User, last(log)[2].model)
    assert.is_false(last(log)[2].raw)
    db:query("SELECT ? AS x", { replacements = { 5 } })
    assert.are.same({ 5 }, last(log)[2].replacements)
    assert.is_nil(last(log)[2].bind)
    db:authenticate()
    assert.are.equal("Executing (default): SELECT 1+1 AS result", last(log)[1])
    assert.are.equal("SELECT", last(log)[2].type)
    assert.is_true(last(log)[2].plain)
    db:query("SELECT $a AS x", { bind = { a = 1 } })
    assert.are.same({ a = 1 }, last(log)[2].bind)
    db:close()
  end)

  it("transactions: their statements' type is the transaction's, the transaction in the options", function()
    local db, User, _, log = setup()
    local seen
    db:transaction(function(t)
      seen = t
      User:findAll({ transaction = t })
      db:transaction(function() end)
    end)
    assert.are.equal(5, #log)
    assert.are.equal("Executing (" .. seen.id .. "): BEGIN DEFERRED TRANSACTION;", log[1][1])
    for _, i in ipairs({ 1, 2, 5 }) do assert.are.equal(seen, log[i][2].transaction, i) end
    -- (the savepoint's SAVEPOINT and RELEASE: the savepoint, whose id is its transaction's)
    assert.are.equal(seen.id, log[3][2].transaction.id)
    assert.are.equal(seen, log[3][2].transaction.parent)
    assert.are.equal("DEFERRED", log[1][2].type)
    assert.are.equal("SELECT", log[2][2].type)
    assert.truthy(log[3][1]:find("SAVEPOINT", 1, true))
    assert.are.equal("DEFERRED", log[3][2].type)
    assert.are.equal("Executing (" .. seen.id .. "): COMMIT;", log[5][1])
    assert.are.equal("DEFERRED", log[5][2].type)
    local t = db:transaction({ type = "IMMEDIATE" })
    assert.are.equal("IMMEDIATE", last(log)[2].type)
    t:rollback()
    assert.are.equal("Executing (" .. t.id .. "): ROLLBACK;", last(log)[1])
    assert.are.equal("IMMEDIATE", last(log)[2].type)
    db:close()
  end)

  it("benchmark: (sql, ms, options)", function()
    local db, User, _, log = setup({ benchmark = true })
    User:findAll({ where = { n = 2 } })
    local e = last(log)
    assert.are.equal(3, e.n)
    assert.truthy(e[1]:find("^Executed %(default%): SELECT"))
    assert.are.equal("number", type(e[2]))
    assert.are.equal("SELECT", e[3].type)
    assert.is_true(e[3].benchmark)
    assert.are.same({ 2 }, e[3].bind)
    db:close()
  end)

  it("a query's own logging function gets the same arguments; logging = false logs nothing", function()
    local db, User, _, log = setup()
    local mine, fn = recorder()
    User:findAll({ where = { n = 1 }, logging = fn })
    assert.are.equal(0, #log)
    assert.are.equal(fn, mine[1][2].logging)
    assert.are.equal("SELECT", mine[1][2].type)
    User:findAll({ logging = false })
    User:create({ name = "q" }, { logging = false })
    assert.are.equal(0, #log)
    assert.are.equal(1, #mine)
    db:close()
  end)

  it("logging = print is Sequelize's console.log: the line alone (benchmark: its elapsed time in it)", function()
    local out = {}
    local saved = _G.print
    _G.print = function(...) out[#out + 1] = { n = select("#", ...), ... } end
    local ok, err = pcall(function()
      local db = Sequelize.new("sqlite::memory:", { logging = print })
      db:query("SELECT 1")
      assert.are.same({ n = 1, "Executing (default): SELECT 1" }, out[#out])
      db:query("SELECT 2", { benchmark = true })
      assert.are.equal(1, out[#out].n)
      assert.truthy(out[#out][1]:find("^Executed %(default%): SELECT 2 Elapsed time: %d+ms$"), out[#out][1])
      db:close()
    end)
    _G.print = saved
    assert(ok, err)
  end)

  it("a logger written as function(sql) still works; logQueryParameters appends the values", function()
    local lines = {}
    local db = Sequelize.new("sqlite::memory:", { logging = function(sql) lines[#lines + 1] = sql end,
                                                   logQueryParameters = true })
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    U:findAll({ where = { name = "x" } })
    assert.are.equal("Executing (default): SELECT `id`, `name` FROM `Users` AS `User` WHERE `User`.`name` = ?; [\"x\"]",
                     lines[#lines])
    db:close()
  end)
  it("a call's own logQueryParameters = true logs that call's values (Sequelize 6.37.8 reads either)", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    local lines = {}
    local function o(t)
      t = t or {}
      t.logging, t.logQueryParameters = function(sql) lines[#lines + 1] = sql end, true
      return t
    end
    local u = U:create({ name = "a", age = 3 }, o())
    assert.are.equal('Executing (default): INSERT INTO `Users` (`age`,`name`) VALUES (?,?); [3,"a"]', lines[#lines])
    U:max("age", o({ where = { name = "a" } }))
    assert.truthy(lines[#lines]:find('; ["a"]', 1, true), lines[#lines])
    U:findByPk(u.id, o())
    assert.truthy(lines[#lines]:find("; [" .. u.id .. "]", 1, true), lines[#lines])
    U:upsert({ id = u.id, name = "b" }, o())
    assert.truthy(lines[#lines - 1]:find("; [" .. u.id .. "]", 1, true), lines[#lines - 1])
    db:getQueryInterface():bulkDelete("Users", { name = "nobody" }, o())
    assert.are.equal('Executing (default): DELETE FROM `Users` WHERE `name` = ?; ["nobody"]', lines[#lines])
    U:destroy(o({ where = { name = "b" } }))
    assert.are.equal('Executing (default): DELETE FROM `Users` WHERE `name` = ?; ["b"]', lines[#lines])
    -- another call without it: the values are not logged
    U:findAll({ where = { name = "c" }, logging = function(sql) lines[#lines + 1] = sql end })
    assert.are.equal("Executing (default): SELECT `id`, `age`, `name` FROM `Users` AS `User` WHERE `User`.`name` = ?;",
                     lines[#lines])
    db:close()
  end)
  it("a logger that closes the connection: the statement it logs does not run, with the closed connection's error", function()
    for _, what in ipairs({ "findAll", "findByPk", "create", "update", "query", "count" }) do
      local db = Sequelize.new("sqlite::memory:")
      local U = db:define("User", { name = DataTypes.STRING })
      db:sync()
      U:create({ name = "a" })
      local close = function() db:close() end
      local ok, err = pcall(function()
        if what == "findAll" then return U:findAll({ logging = close })
        elseif what == "findByPk" then return U:findByPk(1, { logging = close })
        elseif what == "create" then return U:create({ name = "b" }, { logging = close })
        elseif what == "update" then return U:update({ name = "c" }, { where = { id = 1 }, logging = close })
        elseif what == "query" then return db:query("SELECT ? AS x", { replacements = { 1 }, logging = close })
        else return U:count({ logging = close }) end
      end)
      assert.is_false(ok, what)
      assert.are.equal("ConnectionManager.getConnection was called after the connection manager was closed!",
                       err.message, what)
    end
  end)
end)

describe("the logger's options.bind: only the values of the statement it logs", function()
  it("a COMMIT of a transaction whose connection was closed has no bind (not the last statement's values)", function()
    local db, User, _, log = setup()
    local t = db:transaction()
    User:create({ name = string.rep("x", 64) .. os.time(), n = 1 }, { transaction = t })
    collectgarbage()
    collectgarbage()
    db:close()
    local ok, err = pcall(t.commit, t)
    assert.is_false(ok)
    assert.are.equal("Database is closed", err.message)
    assert.are.equal("Executing (" .. t.id .. "): COMMIT;", last(log)[1])
    assert.are.equal("DEFERRED", last(log)[2].type)
    assert.is_nil(last(log)[2].bind)
  end)
end)

describe("a query made inside a call (a metamethod's, a __gc finalizer's) while that call's statement waits for its values", function()
  it("leaves the waiting statement's logging alone: it is logged once, with its own values", function()
    for _, bench in ipairs({ false, true }) do
      local db = Sequelize.new("sqlite::memory:", { logQueryParameters = true, benchmark = bench })
      local inner, outer = 0, {}
      local bind = setmetatable({}, { __index = function(_, k)
        -- (runs between the statement's sq_db_log and its flush: values bound, not yet logged)
        db:query("SELECT ? AS z", { replacements = { "inner-" .. k }, logging = function() inner = inner + 1 end })
        return k == "a" and 1 or "two"
      end })
      local rows = db:query("SELECT $a AS x, $b AS y", { bind = bind, logging = function(sql, ...)
        outer[#outer + 1] = sql
      end })
      assert.are.equal(2, inner)
      assert.are.equal(1, rows[1].x)
      assert.are.equal(1, #outer, tostring(bench))
      assert.truthy(outer[1]:find("SELECT $a AS x, $b AS y; [1,\"two\"]", 1, true), outer[1])
      db:close()
    end
  end)
end)

-- The logger's line and options are built inside the protected call that runs the logger: an
-- error while building them (an __index of _G or of a transaction that raises, running out
-- of memory) is raised as a logger's own error is, once the core has freed what the statement
-- held (it leaked the line buffer and the values bound: make sanitize, detect_leaks=1), the
-- statement not run, and the connection usable after.
describe("an error while the logger's arguments are built", function()
  it("from _G's __index (the lookup of print): raised, nothing written, the connection usable", function()
    local db, User = setup()
    local p, mt = rawget(_G, "print"), getmetatable(_G)
    rawset(_G, "print", nil)
    setmetatable(_G, { __index = function(_, k) if k == "print" then error("no print here", 0) end end })
    local r = {
      { pcall(User.create, User, { name = "a" }) },
      { pcall(User.findAll, User, { where = { name = "a" } }) },
      { pcall(User.update, User, { n = 2 }, { where = { name = "a" } }) },
      { pcall(User.bulkCreate, User, { { name = "b" }, { name = "c" } }) },
      { pcall(db.query, db, "INSERT INTO Users (name) VALUES (?)", { replacements = { "d" } }) },
    }
    setmetatable(_G, mt)
    rawset(_G, "print", p)
    for i, x in ipairs(r) do
      assert.is_false(x[1], "call " .. i)
      assert.equal("no print here", x[2], "call " .. i)
    end
    assert.equal(0, User:count())
    User:create({ name = "ok" })
    assert.equal(1, User:count())
    db:close()
  end)

  it("from a transaction whose options cannot be read: its statement refused, rolled back after", function()
    local db, User = setup()
    local t = db:transaction()
    local Tmt = getmetatable(t)
    local topts = rawget(t, "options")
    rawset(t, "options", nil)
    debug.setmetatable(t, { __index = function(_, k)
      if k == "options" then error("no options", 0) end
      return Tmt[k]
    end, __metatable = Tmt })
    User:create({ name = "a" }, { transaction = t })
    local ok, err = pcall(t.commit, t)
    assert.is_false(ok)
    assert.equal("no options", err)
    rawset(t, "options", topts)
    debug.setmetatable(t, Tmt)
    if not t.finished then t:rollback() end
    assert.equal(0, User:count())
    User:create({ name = "ok" })
    assert.equal(1, User:count())
    db:close()
  end)

  it("a query hook's text: the hooks run, the statement logged", function()
    local db, User, _, log = setup()
    local seen = {}
    db:afterQuery(function(o, q) seen[#seen + 1] = q.sql end)
    User:findAll()
    assert.equal(1, #seen)
    assert.truthy(seen[1]:find("SELECT", 1, true))
    assert.truthy(log[#log][1]:find("SELECT", 1, true))
    db:close()
  end)

  it("a finder's options list the selected attributes, fast paths too (Sequelize 6.37.8)", function()
    -- Sequelize: findAll / findOne / findByPk log attributes ["id","name",["first_name","firstName"],
    -- "createdAt","updatedAt"] (here in column order), without the excluded, a given list as given
    local log, fn = recorder()
    local db = Sequelize.new("sqlite::memory:", { logging = fn })
    local U = db:define("User", { name = DataTypes.STRING, firstName = { type = DataTypes.STRING, field = "first_name" } })
    db:sync()
    local all = { "id", { "first_name", "firstName" }, "name", "createdAt", "updatedAt" }
    local function attrs() return log[#log][2].attributes end
    U:findAll(); assert.are.same(all, attrs())
    U:findOne(); assert.are.same(all, attrs())
    U:findByPk(1); assert.are.same(all, attrs())
    U:findAll{ where = { name = { [Sequelize.Op.ne] = "x" } } }; assert.are.same(all, attrs())
    U:findAll{ attributes = { "name" } }; assert.are.same({ "name" }, attrs())
    -- (a given list: a renamed attribute as { field, name }, VIRTUAL names dropped, other items as
    -- given: Sequelize logs [["first_name","firstName"],"name"])
    U:findAll{ attributes = { "firstName", "name" } }; assert.are.same({ { "first_name", "firstName" }, "name" }, attrs())
    U:findOne{ attributes = { "firstName" } }; assert.are.same({ { "first_name", "firstName" } }, attrs())
    local count = { Sequelize.fn("COUNT", Sequelize.col("id")), "n" }
    U:findAll{ attributes = { count, "firstName" } }; assert.are.same({ count, { "first_name", "firstName" } }, attrs())
    local V = db:define("V", { nm = { type = DataTypes.STRING, field = "the_nm" }, v = DataTypes.VIRTUAL, age = DataTypes.INTEGER })
    V:sync()
    V:findAll{ attributes = { "nm", "v", "age" } }; assert.are.same({ { "the_nm", "nm" }, "age" }, attrs())
    U:findAll{ attributes = { exclude = { "name" } } }
    assert.are.same({ "id", { "first_name", "firstName" }, "createdAt", "updatedAt" }, attrs())
    db:close()
  end)
end)
