-- The finders' fast path (model.lua find_fast / fast_model): findAll, findOne and findByPk on
-- a model with no scope, no hooks, not paranoid, whose options are only where (attribute
-- names, plain values), attributes, order, limit, offset, transaction, logging and raw, skip
-- the option rewriting that cannot apply. Here each such call is compared with the same call
-- sent the long way (`paranoid = true` added: a no-op on a model that is not paranoid, which
-- the fast path does not take): the same rows, the same SQL and logger options. Then what
-- must go the long way does, and gives Sequelize's answer.
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

local function setup(dbopts)
  local log = {}
  dbopts = dbopts or {}
  dbopts.logging = function(sql, o) log[#log + 1] = { sql = sql, o = o } end
  local db = Sequelize.new("sqlite::memory:", dbopts)
  local U = db:define("U", {
    name = DataTypes.STRING, email = { type = DataTypes.STRING, unique = true }, n = DataTypes.INTEGER,
    meta = DataTypes.JSON,
  })
  db:sync()
  for i = 1, 5 do U:create({ name = "u" .. (i % 3), email = "e" .. i, n = i, meta = { a = i } }) end
  for k in pairs(log) do log[k] = nil end
  return db, U, log
end

-- a result as a comparable value: rows' plain values and whether they are instances
local function plain(r)
  if type(r) ~= "table" then return r end
  if getmetatable(r) ~= nil and r.get then return { inst = true, v = r:get({ plain = true }), nr = r.isNewRecord } end
  local out = {}
  for k, v in pairs(r) do out[k] = plain(v) end
  return out
end

-- the logger's options without the key that sent the call the long way (findByPk's core path,
-- core.find_pk, logs the `where` findByPk gives findOne, as the long way does)
local function logged(e)
  local o = {}
  for k, v in pairs(e.o) do
    if k ~= "paranoid" then o[k] = v end
  end
  return { sql = e.sql, o = o }
end

local function with_paranoid(opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.paranoid = true
  return o
end

-- the call both ways: same result, same SQL and logger options
local function same_both_ways(M, log, method, a, b)
  local r1, r2
  local n0 = #log
  if method == "findByPk" then r1 = M:findByPk(a, b) else r1 = M[method](M, a) end
  local n1 = #log
  if method == "findByPk" then r2 = M:findByPk(a, with_paranoid(b)) else r2 = M[method](M, with_paranoid(a)) end
  assert.are.equal(n1 - n0, #log - n1)
  assert.are.same(plain(r2), plain(r1))
  if n1 > n0 then assert.are.same(logged(log[#log]), logged(log[n1])) end
  return r1
end

describe("the finders' fast path", function()
  it("gives what the long way gives: rows, SQL, the logger's options", function()
    local db, U, log = setup()
    local cases = {
      { "findOne", { where = { email = "e2" } } },
      { "findOne", { where = { name = "u1" } } },
      { "findOne", { where = { id = 3 } } },
      { "findOne", { where = { name = "u1", email = "e4" } } },
      { "findOne", { where = {} } },
      { "findOne", nil },
      { "findOne", { where = { name = "zz" } } },
      { "findOne", { where = { name = "u2" }, attributes = { "id", "name" }, order = { { "id", "DESC" } } } },
      { "findOne", { where = { name = "u2" }, attributes = { exclude = { "meta" } }, raw = true } },
      { "findOne", { where = { name = "u2" }, limit = 3, offset = 1, order = { "n" } } },
      { "findOne", { where = { n = 2 }, raw = false, logging = false } },
      { "findAll", nil },
      { "findAll", { where = { name = "u1" }, order = { { "name", "DESC" }, { "id", "ASC" } }, limit = 20 } },
      { "findAll", { where = { email = "e1" } } },
      { "findAll", { where = { n = 3 }, raw = true } },
      { "findAll", { attributes = { "n" }, order = { { "n", "DESC" } }, limit = 2, offset = 1 } },
      { "findAll", { where = { name = "u0" }, attributes = { include = { "n" } } } },
      { "findAll", { order = Sequelize.literal("n DESC") } },
      { "findAll", { where = { n = true } } },
    }
    for _, c in ipairs(cases) do same_both_ways(U, log, c[1], c[2]) end
    same_both_ways(U, log, "findByPk", 2)
    same_both_ways(U, log, "findByPk", 99)
    same_both_ways(U, log, "findByPk", "3", { logging = false })
    db:transaction(function(t)
      same_both_ways(U, log, "findOne", { where = { email = "e5" }, transaction = t })
      same_both_ways(U, log, "findAll", { where = { name = "u1" }, transaction = t })
      same_both_ways(U, log, "findByPk", 1, { transaction = t })
    end)
    -- (and the logged SQL itself: no LIMIT for a unique attribute, LIMIT 1 otherwise)
    U:findOne({ where = { email = "e2" } })
    assert.are.equal("Executing (default): SELECT `id`, `email`, `meta`, `n`, `name`, `createdAt`, `updatedAt` "
                     .. "FROM `Us` AS `U` WHERE `U`.`email` = ?;", log[#log].sql)
    assert.is_true(log[#log].o.plain)
    U:findOne({ where = { name = "u1" } })
    assert.are.equal("Executing (default): SELECT `id`, `email`, `meta`, `n`, `name`, `createdAt`, `updatedAt` "
                     .. "FROM `Us` AS `U` WHERE `U`.`name` = ? LIMIT ?;", log[#log].sql)
    -- (an unknown attribute: the same error both ways)
    local e1 = select(2, pcall(U.findAll, U, { attributes = { "nope" } }))
    local e2 = select(2, pcall(U.findAll, U, { attributes = { "nope" }, paranoid = true }))
    assert.are.equal(tostring(e2.message), tostring(e1.message))
    db:close()
  end)

  it("Sequelize.new's query = { raw = true }: plain rows, as the long way", function()
    local db, U = setup({ query = { raw = true } })
    assert.is_nil(getmetatable(U:findOne({ where = { email = "e1" } })))
    assert.is_nil(getmetatable(U:findAll({ where = { name = "u1" } })[1]))
    assert.is_nil(getmetatable(U:findByPk(1)))
    assert.is_function(U:findOne({ where = { email = "e1" }, raw = false }).save)
    db:close()
  end)

  it("the model's rejectOnEmpty: raised by the fast path too", function()
    local db = Sequelize.new("sqlite::memory:")
    local R = db:define("R", { name = DataTypes.STRING }, { rejectOnEmpty = true })
    db:sync()
    for _, f in ipairs({
      function() return R:findOne({ where = { name = "x" } }) end,
      function() return R:findAll({ where = { name = "x" } }) end,
      function() return R:findByPk(1) end,
    }) do
      local ok, e = pcall(f)
      assert.is_false(ok)
      assert.are.equal("SequelizeEmptyResultError", e.name)
    end
    db:close()
  end)

  it("a defaultScope added later applies", function()
    local db, U, log = setup()
    assert.are.equal(2, #U:findAll({ where = { name = "u1" } }))
    assert.are.equal(1, U:findOne({ where = { name = "u1" } }).n)
    assert.are.equal(1, U:findByPk(1).n)
    U:addScope("defaultScope", { where = { n = 4 } }, { override = true })
    local all = U:findAll({ where = { name = "u1" } })
    assert.are.equal(1, #all)
    assert.are.equal(4, all[1].n)
    assert.are.equal(4, U:findOne({ where = { name = "u1" } }).n)
    assert.matches("WHERE `U`.`n` = ? AND `U`.`name` = ? LIMIT ?;", log[#log].sql, 1, true)
    assert.is_nil(U:findByPk(1))
    assert.are.equal(1, U:unscoped():findByPk(1).n)
    assert.are.equal(2, #U:unscoped():findAll({ where = { name = "u1" } }))
    db:close()
  end)

  it("a hook added later (the model's or the Sequelize object's) runs", function()
    local db, U = setup()
    assert.are.equal(1, U:findOne({ where = { name = "u1" } }).n)
    local seen = 0
    local function bf(o) seen = seen + 1; o.where = { name = "u2" } end
    U:addHook("beforeFind", bf)
    assert.are.equal(2, U:findOne({ where = { name = "u1" } }).n)
    assert.are.equal(2, U:findAll({ where = { name = "u1" } })[1].n)
    assert.are.equal(2, U:findByPk(1).n) -- (the hook's where replaces the key's, as Sequelize)
    assert.are.equal(3, seen)
    U:removeHook("beforeFind", bf)
    local db_seen = 0
    db:addHook("afterFind", function() db_seen = db_seen + 1 end)
    U:findOne({ where = { name = "u1" } })
    U:findAll({ where = { name = "u1" } })
    U:findByPk(1)
    assert.are.equal(3, db_seen)
    db:close()
  end)

  it("a paranoid model: soft-deleted rows are left out, paranoid = false reads them", function()
    local db = Sequelize.new("sqlite::memory:")
    local P = db:define("P", { name = DataTypes.STRING }, { paranoid = true })
    db:sync()
    P:create({ name = "a" })
    P:create({ name = "b" })
    P:destroy({ where = { name = "a" } })
    assert.is_nil(P:findOne({ where = { name = "a" } }))
    assert.is_nil(P:findByPk(1))
    assert.are.equal(1, #P:findAll())
    assert.are.equal(0, #P:findAll({ where = { name = "a" } }))
    assert.are.equal("a", P:findOne({ where = { name = "a" }, paranoid = false }).name)
    assert.are.equal(2, #P:findAll({ paranoid = false }))
    db:close()
  end)

  it("a where holding Sequelize.null, an Op, a JSON path: Sequelize's answer", function()
    local db, U, log = setup()
    U:create({ name = Sequelize.null, email = "e9", n = 9 })
    assert.are.equal(9, U:findOne({ where = { name = Sequelize.null } }).n)
    assert.matches("WHERE `U`.`name` IS ? LIMIT ?;", log[#log].sql, 1, true)
    assert.are.equal(1, #U:findAll({ where = { name = Sequelize.null } }))
    assert.are.equal(2, #U:findAll({ where = { n = { [Op.gt] = 4 } } }))
    assert.are.equal(5, U:findOne({ where = { n = { [Op.gt] = 4 } }, order = { "n" } }).n)
    assert.are.equal(3, U:findOne({ where = { ["meta.a"] = 3 } }).n)
    assert.are.equal(3, U:findOne({ where = { meta = { a = 3 } } }).n)
    assert.are.equal(2, #U:findAll({ where = { [Op["or"]] = { { n = 1 }, { n = 2 } } } }))
    -- (where = Sequelize.null: no condition, as Sequelize's null)
    assert.are.equal(6, #U:findAll({ where = Sequelize.null }))
    assert.are.equal(1, U:findOne({ where = { id = 1 }, limit = Sequelize.null }).n)
    db:close()
  end)

  it("a VIRTUAL attribute named in attributes: the long way's", function()
    local db = Sequelize.new("sqlite::memory:")
    local V = db:define("V", {
      first = DataTypes.STRING,
      full = { type = DataTypes.VIRTUAL, get = function(self) return "<" .. tostring(self.first) .. ">" end },
    }, { timestamps = false })
    db:sync()
    V:create({ first = "a" })
    local r = V:findOne({ where = { first = "a" }, attributes = { "id", "first", "full" } })
    assert.are.equal("<a>", r.full)
    assert.are.same({ id = 1, first = "a", full = "<a>" }, r:toJSON())
    assert.are.same({ id = 1, first = "a", full = "<a>" }, V:findAll({ attributes = { "id", "first", "full" } })[1]:toJSON())
    db:close()
  end)

  it("an attributes list of one string to exclude: the long way's", function()
    local db, U = setup()
    local r = U:findOne({ where = { email = "e1" }, attributes = { exclude = "meta" } })
    assert.is_nil(r:get("meta"))
    assert.are.equal(1, r.n)
    db:close()
  end)
end)
