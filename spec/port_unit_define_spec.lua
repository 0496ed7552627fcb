-- Port of Sequelize v6's test/unit/model/define.test.js (branch v6), sqlite dialect.
-- Notes: `DataTypes.MY_UNKNOWN_TYPE` raises when read (a misspelt type fails where it is written);
-- the define of an attribute whose type is nil (what that read gives in JavaScript) raises
-- Sequelize's message. `_timestampAttributes` is read through the attributes a create fills.
-- Skipped:
-- - "warn for unsupported INTEGER options": sequelua writes no console warnings (logging is off by
--   default; README), TINYINT is SQLite's INTEGER affinity with nothing to warn of.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/define.test.js)", function()
  describe("define", function()
    local db
    setup(function() db = Sequelize.new("sqlite::memory:") end)
    teardown(function() db:close() end)
    local function raises(msg, fn, ...)
      local ok, err = pcall(fn, ...)
      assert.is_false(ok)
      assert.equal(msg, err.message)
    end

    it("should allow custom timestamps with underscored: true", function()
      local Model = db:define("User", {}, { createdAt = "createdAt", updatedAt = "updatedAt", timestamps = true, underscored = true })
      assert.is_not_nil(Model.rawAttributes.createdAt)
      assert.is_not_nil(Model.rawAttributes.updatedAt)
      assert.is_nil(Model.rawAttributes.created_at)
      assert.is_nil(Model.rawAttributes.updated_at)
      Model:sync()
      local u = Model:create({})
      assert.is_string(u.createdAt)
      assert.is_string(u.updatedAt)
      assert.is_nil(u.created_at)
    end)

    it("should throw when id is added but not marked as PK", function()
      raises("A column called 'id' was added to the attributes of 'foos' but not marked with 'primaryKey: true'",
        db.define, db, "foo", { id = DataTypes.INTEGER })
      raises("A column called 'id' was added to the attributes of 'bars' but not marked with 'primaryKey: true'",
        db.define, db, "bar", { id = { type = DataTypes.INTEGER } })
    end)

    it('should defend against null or undefined "unique" attributes', function()
      assert.has_no.errors(function()
        local M = db:define("baz", {
          foo = { type = DataTypes.STRING, unique = Sequelize.null },
          bar = { type = DataTypes.STRING, unique = nil },
          bop = { type = DataTypes.DATE },
        })
        M:sync()
        M:create({ foo = "x", bar = "y" })
        M:create({ foo = "x", bar = "y" }) -- no unique constraint made
      end)
    end)

    it("should throw for unknown data type", function()
      local ok, err = pcall(function() return DataTypes.MY_UNKNOWN_TYPE end)
      assert.is_false(ok)
      assert.truthy(tostring(err.message or err):find("MY_UNKNOWN_TYPE", 1, true))
      raises('Unrecognized datatype for attribute "bar.name"', db.define, db, "bar", { name = { type = nil } })
    end)

    it("should throw for notNull validator without allowNull", function()
      raises('Invalid definition for "user.name", "notNull" validator is only allowed with "allowNull:false"',
        db.define, db, "user", { name = { type = DataTypes.STRING, allowNull = true, validate = { notNull = { msg = "Please enter the name" } } } })
      raises('Invalid definition for "part.name", "notNull" validator is only allowed with "allowNull:false"',
        db.define, db, "part", { name = { type = DataTypes.STRING, validate = { notNull = { msg = "Please enter the part name" } } } })
    end)
  end)
end)
