-- Port of Sequelize v6's test/unit/model/find-all.test.js (branch v6), sqlite dialect.
-- Sequelize stubs queryInterface.select to read the attributes findAll asks for; here findAll
-- runs on a real table and the attributes show in the rows it returns (`foobar`, no column of the
-- model, is a literal aliased foobar).
-- Skipped:
-- - warnOnInvalidOptions (3 tests) and "calls warnOnInvalidOptions": sequelua has no
--   warnOnInvalidOptions and no warning logger (logging defaults to off; README).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return table.concat(ks, ",")
end

describe("Model (port of unit/model/find-all.test.js)", function()
  describe("method findAll", function()
    local db, Model
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      Model = db:define("model", { name = DataTypes.STRING }, { timestamps = false })
      db:sync()
      Model:create({ name = "a" })
    end)
    teardown(function() db:close() end)

    describe("handles input validation", function()
      it("Throws an error when the attributes option is formatted incorrectly", function()
        local ok, err = pcall(Model.findAll, Model, { attributes = "name" })
        assert.is_false(ok)
        assert.is_true(err:is(Sequelize.errors.QueryError))
        assert.equal("SequelizeQueryError", err.name)
        assert.equal(1, err.message:find("The attributes option must be an array of column names or an object", 1, true))
        assert.truthy(err.message:find("model", 1, true))
      end)
    end)

    describe("attributes include / exclude", function()
      it("allows me to include additional attributes", function()
        local rows = Model:findAll({ attributes = { include = { { Sequelize.literal("'x'"), "foobar" } } } })
        assert.equal("foobar,id,name", keys(rows[1]:toJSON()))
        assert.equal("x", rows[1].foobar)
      end)

      it("allows me to exclude attributes", function()
        local rows = Model:findAll({ attributes = { exclude = { "name" } } })
        assert.equal("id", keys(rows[1]:toJSON()))
      end)

      it("include takes precendence over exclude", function()
        local rows = Model:findAll({ attributes = { exclude = { "name" }, include = { "name" } } })
        assert.equal("id,name", keys(rows[1]:toJSON()))
      end)

      it("works for models without PK #4607", function()
        -- (Sequelize lets `id` go while a hasOne joins on it, then its query fails in SQLite:
        -- `no such column`; sequelua refuses the removal, naming the association)
        local M = db:define("model2", { name = DataTypes.STRING }, { timestamps = false })
        local Foo = db:define("foo", {})
        M:hasOne(Foo)
        local ok, err = pcall(M.removeAttribute, M, "id")
        assert.is_false(ok)
        assert.truthy(err.message:find("'id' is a key of the association model2.foo", 1, true))
        -- a model without a key, its attributes given with include, reads just them
        local N = db:define("model3", { name = DataTypes.STRING }, { timestamps = false })
        N:removeAttribute("id")
        N:sync()
        N:create({ name = "n" })
        local rows = N:findAll({ attributes = { include = { "name" } } })
        assert.equal("name", keys(rows[1]:toJSON()))
      end)
    end)
  end)
end)
