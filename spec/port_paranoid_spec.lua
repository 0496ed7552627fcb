-- Port of Sequelize v6's test/integration/model/paranoid.test.js (branch v6), sqlite dialect.
-- Skipped: none. Notes: sinon's fake clock plays no part in these tests' assertions.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of paranoid.test.js)", function()
  describe("paranoid", function()
    local db
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    it("should be able to soft delete with timestamps", function()
      local Account = db:define("Account", {
        ownerId = { type = DataTypes.INTEGER, allowNull = false, field = "owner_id" },
        name = { type = DataTypes.STRING },
      }, { paranoid = true, timestamps = true })
      Account:sync({ force = true })
      Account:create({ ownerId = 12 })
      assert.equal(1, Account:count())
      assert.equal(1, Account:destroy({ where = { ownerId = 12 } }))
      assert.equal(0, Account:count())
      assert.equal(1, Account:count({ paranoid = false }))
      Account:restore({ where = { ownerId = 12 } })
      assert.equal(1, Account:count())
    end)

    it("should be able to soft delete without timestamps", function()
      local Account = db:define("Account", {
        ownerId = { type = DataTypes.INTEGER, allowNull = false, field = "owner_id" },
        name = { type = DataTypes.STRING },
        deletedAt = { type = DataTypes.DATE, allowNull = true, field = "deleted_at" },
      }, { paranoid = true, timestamps = true, deletedAt = "deletedAt", createdAt = false, updatedAt = false })
      Account:sync({ force = true })
      Account:create({ ownerId = 12 })
      assert.equal(1, Account:count())
      Account:destroy({ where = { ownerId = 12 } })
      assert.equal(0, Account:count())
      assert.equal(1, Account:count({ paranoid = false }))
      Account:restore({ where = { ownerId = 12 } })
      assert.equal(1, Account:count())
    end)

    describe("JSON", function()
      local Model
      before_each(function()
        Model = db:define("Model", {
          name = { type = DataTypes.STRING },
          data = { type = DataTypes.JSON },
          deletedAt = { type = DataTypes.DATE, allowNull = true, field = "deleted_at" },
        }, { paranoid = true, timestamps = true, deletedAt = "deletedAt" })
        Model:sync({ force = true })
      end)

      it("should soft delete with JSON condition", function()
        Model:bulkCreate({
          { name = "One", data = { field = { deep = true } } },
          { name = "Two", data = { field = { deep = false } } },
        })
        Model:destroy({ where = { data = { field = { deep = true } } } })
        local records = Model:findAll()
        assert.equal(1, #records)
        assert.equal("Two", records[1]:get("name"))
      end)
    end)
  end)
end)
