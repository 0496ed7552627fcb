-- Single-model behaviours checked against Sequelize 6.37.8 on the same rows (the JS printed
-- what the comments quote): findAll's and findOne's `plain`, update's individualHooks
-- without hooks, set(values, { reset = true }), aggregate("*", "count") and its rawSelect rows, and the DATE /
-- DATEONLY sanitizers that build and set run.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("single-model parity", function()
  local db, U

  before_each(function()
    db = support.open()
    U = db:define("U", { name = DataTypes.STRING, n = DataTypes.INTEGER, seen = DataTypes.DATE,
                         born = DataTypes.DATEONLY }, { timestamps = false })
    db:sync()
    U:create({ name = "a", n = 1 })
    U:create({ name = "b", n = 2 })
  end)

  after_each(function() db:close() end)

  it("findAll{ plain = true } gives the first row; findOne{ plain = false } a list", function()
    -- Sequelize: findAll({ plain: true }) -> {"id":1,...}; findOne({ plain: false }) -> [{"id":1,...}]
    local one = U:findAll({ plain = true, order = { { "id", "ASC" } } })
    assert.are.equal(1, one.id)
    assert.is_nil(U:findAll({ plain = true, where = { id = 99 } }))
    local list = U:findOne({ plain = false, order = { { "id", "DESC" } } })
    assert.are.equal(1, #list)
    assert.are.equal(2, list[1].id)
    -- with a hook on the model, the same
    U:addHook("beforeFind", function() end)
    assert.are.equal(1, U:findAll({ plain = true, order = { { "id", "ASC" } } }).id)
    assert.are.equal(1, #U:findOne({ plain = false }))
  end)

  it("update with individualHooks returns the rows updated, hooks or none", function()
    -- Sequelize: [1,[{"id":1,"name":"c",...}]]
    local n, rows = U:update({ name = "c" }, { where = { id = 1 }, individualHooks = true })
    assert.are.equal(1, n)
    assert.are.equal(1, #rows)
    assert.are.equal("c", rows[1].name)
    assert.are.equal("c", U:findByPk(1).name)
  end)

  it("set(values, { reset = true }) drops every other value first", function()
    -- Sequelize: {"name":"zz"}, changed ['name']; save raises (no primary key)
    local u = U:findByPk(1)
    u:set({ name = "zz" }, { reset = true })
    assert.are.equal('{"name":"zz"}', tostring(u))
    assert.are.same({ "name" }, u:changed())
    -- Sequelize: previous() {} (the value before was undefined); previous("name") undefined
    assert.are.same({}, u:previous())
    assert.is_nil(u:previous("name"))
    -- attributes changed before the reset stay marked changed (Sequelize unmarks the keys given)
    local w = U:findByPk(1)
    w.n = 42
    w:set({ name = "yy" }, { reset = true })
    local ch = w:changed()
    table.sort(ch)
    assert.are.same({ "n", "name" }, ch)
    -- the same for an attribute not selected
    local v = U:findOne({ attributes = { "id" }, where = { id = 2 } })
    v.name = "q"
    assert.are.same({}, v:previous())
    assert.are.same({ "name" }, v:changed())
    v.name = "r"
    assert.are.same({ name = "q" }, v:previous())
    assert.is_false(pcall(u.save, u))
    assert.are.equal("a", U:findByPk(1).name)
  end)

  it("aggregate('*', 'count') counts the rows", function()
    -- Sequelize: U.aggregate('*', 'count') -> 2
    assert.are.equal(2, U:aggregate("*", "count"))
    assert.are.equal(1, U:aggregate("*", "COUNT", { where = { n = 2 } }))
    local ok, err = pcall(U.aggregate, U, "*", "max")
    assert.is_false(ok)
    assert.truthy(err.message:find("'*'", 1, true))
  end)

  it("aggregate with plain = false, group or attributes: rawSelect's rows", function()
    U:create({ name = "a", n = 5 })
    local sqls = {}
    local log = function(q) sqls[#sqls + 1] = q end
    -- Sequelize: SELECT sum(`n`) AS `sum` FROM `Us` AS `U`; -> [{"sum":8}]
    assert.are.same({ { sum = 8 } }, U:aggregate("n", "sum", { plain = false, logging = log }))
    assert.are.equal("Executing (default): SELECT sum(`n`) AS `sum` FROM `Us` AS `U`;", sqls[1])
    -- Sequelize: [{"name":"a","sum":6},{"name":"b","sum":2}]
    assert.are.same({ { name = "a", sum = 6 }, { name = "b", sum = 2 } },
      U:aggregate("n", "sum", { plain = false, group = { "name" }, attributes = { "name" }, order = { "name" } }))
    assert.are.same({ { name = "a", max = 5 }, { name = "b", max = 2 } },
      U:max("n", { plain = false, group = "name", order = { "name" } }))
    -- plain (the default) with a group: the first row's value
    assert.are.equal(2, U:aggregate("n", "sum", { group = { "name" }, order = { { "name", "DESC" } } }))
    assert.is_nil(U:aggregate("n", "sum", { group = { "name" }, where = { n = 99 } }))
    assert.are.same({}, U:aggregate("n", "sum", { plain = false, group = { "name" }, where = { n = 99 } }))
    -- count of * too (Sequelize: [{"count":3}], [{"name":"a","count":2},...])
    assert.are.same({ { count = 3 } }, U:aggregate("*", "count", { plain = false }))
    assert.are.same({ { name = "a", count = 2 }, { name = "b", count = 1 } },
      U:aggregate("*", "count", { plain = false, group = { "name" }, attributes = { "name" }, order = { "name" } }))
    assert.are.equal(3, U:aggregate("*", "count"))
    local ok, err = pcall(U.aggregate, U, "n", "sum", { plain = false, attributes = "name" })
    assert.is_false(ok)
    assert.are.equal("U.aggregate: options.attributes must be a list", err.message)
  end)

  it("build and set run the DATE and DATEONLY sanitizers: the ISO form a read gives", function()
    -- Sequelize: build({ seen: '2023-05-05T01:02:03+01:00', born: '2020-01-01T23:30:00-05:00' })
    -- -> {"seen":"2023-05-05T00:02:03.000Z","born":"2020-01-02"} (dates: seconds in Lua)
    local b = U:build({ seen = "2023-05-05T01:02:03+01:00", born = "2020-01-01T23:30:00-05:00" })
    assert.are.equal("2023-05-05T00:02:03.000Z", b.seen)
    assert.are.equal("2020-01-02", b.born)
    b:set("seen", 1577836800)
    assert.are.equal("2020-01-01T00:00:00.000Z", b.seen)
    b.born = 1577836800.5
    assert.are.equal("2020-01-01", b.born)
    b.born = -62198755200 -- (Sequelize: "-0001-01-01")
    assert.are.equal("-0001-01-01", b.born)
    b.born = 1577836800
    -- a raw set stores the value as given (Sequelize's sanitizers skip raw)
    b:set("seen", "2021-01-01T00:00:00+01:00", { raw = true })
    assert.are.equal("2021-01-01T00:00:00+01:00", b.seen)
    -- what is no date stays, and save refuses it (Sequelize stores an invalid date as NULL)
    b.seen = "garbage"
    assert.are.equal("garbage", b.seen)
    local ok, err = pcall(b.save, b)
    assert.is_false(ok)
    assert.are.equal("SequelizeValidationError", err.name)
    b.seen = "2021-02-03T04:05:06+02:00"
    b:save()
    assert.are.equal("2021-02-03T02:05:06.000Z", b.seen)
    assert.are.equal("2021-02-03T02:05:06.000Z", U:findByPk(b.id).seen)
  end)
end)
