-- Port of Sequelize v6's test/unit/model/find-one.test.js (branch v6), sqlite dialect.
-- Sequelize stubs findAll to see whether findOne adds a limit; here the statement findOne sends
-- is read through the logging option (a LIMIT or none), on a real table holding rows.
-- Notes: the BLOB primary key drops autoIncrement (SQLite takes AUTOINCREMENT on an INTEGER
-- PRIMARY KEY only); Buffer.from('foo') is the Lua string "foo".
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of unit/model/find-one.test.js)", function()
  describe("method findOne", function()
    local db, n
    setup(function() db, n = Sequelize.new("sqlite::memory:"), 0 end)
    teardown(function() db:close() end)

    local function define(attrs)
      n = n + 1
      local M = db:define("model" .. n, attrs)
      M:sync()
      return M
    end
    -- the statement findOne sent, and what it found
    local function find(M, where)
      local sql
      local r = M:findOne({ where = where, logging = function(s) sql = s end })
      return sql, r
    end

    describe("should not add limit when querying on a primary key", function()
      it("with id primary key", function()
        local Model = define({})
        for _ = 1, 3 do Model:create({}) end
        local sql, r = find(Model, { id = 2 })
        assert.falsy(sql:find("LIMIT"))
        assert.equal(2, r.id)
      end)

      it("with custom primary key", function()
        local Model = define({ uid = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true } })
        for _ = 1, 3 do Model:create({}) end
        local sql, r = find(Model, { uid = 2 })
        assert.falsy(sql:find("LIMIT"))
        assert.equal(2, r.uid)
      end)

      it("with blob primary key", function()
        local Model = define({ id = { type = DataTypes.BLOB, primaryKey = true } })
        Model:create({ id = "foo" })
        Model:create({ id = "bar" })
        local sql, r = find(Model, { id = "foo" })
        assert.falsy(sql:find("LIMIT"))
        assert.equal("foo", r.id)
      end)
    end)

    it("should add limit when using { $ gt on the primary key", function()
      local Model = define({})
      for _ = 1, 3 do Model:create({}) end
      local sql, r = find(Model, { id = { [Op.gt] = 1 } })
      assert.truthy(sql:find("LIMIT"))
      assert.equal(2, r.id)
    end)

    describe("should not add limit when querying on an unique key", function()
      it("with custom unique key", function()
        local Model = define({ unique = { type = DataTypes.INTEGER, unique = true } })
        Model:create({ unique = 41 })
        Model:create({ unique = 42 })
        local sql, r = find(Model, { unique = 42 })
        assert.falsy(sql:find("LIMIT"))
        assert.equal(42, r.unique)
      end)

      it("with blob unique key", function()
        local Model = define({ unique = { type = DataTypes.BLOB, unique = true } })
        Model:create({ unique = "bar" })
        Model:create({ unique = "foo" })
        local sql, r = find(Model, { unique = "foo" })
        assert.falsy(sql:find("LIMIT"))
        assert.equal("foo", r.unique)
      end)
    end)

    it("should add limit when using multi-column unique key", function()
      local Model = define({
        unique1 = { type = DataTypes.INTEGER, unique = "unique" },
        unique2 = { type = DataTypes.INTEGER, unique = "unique" },
      })
      Model:create({ unique1 = 42, unique2 = 1 })
      Model:create({ unique1 = 42, unique2 = 2 })
      local sql, r = find(Model, { unique1 = 42 })
      assert.truthy(sql:find("LIMIT"))
      assert.equal(1, r.unique2)
    end)
  end)
end)
