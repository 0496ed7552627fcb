-- Port of Sequelize v6's test/unit/instance/decrement.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon's stub of sequelize.query is a real :memory: table holding the row.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/decrement.test.js)", function()
  describe("decrement", function()
    describe("options tests", function()
      local db, Model
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Model = db:define("User", {
          id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true },
        })
        Model:sync({ force = true })
        Model:create({ id = 3 })
      end)
      teardown(function() db:close() end)

      it("should allow decrements even if options are not given", function()
        local instance = Model:build({ id = 3 }, { isNewRecord = false })
        assert.has_no.errors(function() instance:decrement({ "id" }) end)
      end)
    end)
  end)
end)
