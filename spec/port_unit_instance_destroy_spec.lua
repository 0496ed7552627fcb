-- Port of Sequelize v6's test/unit/instance/destroy.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon's stub of sequelize.query is a real :memory: table holding the row.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/destroy.test.js)", function()
  describe("destroy", function()
    describe("options tests", function()
      local db, Model
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Model = db:define("User", {
          id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true },
        })
        Model:sync({ force = true })
        Model:create({ id = 1 })
      end)
      teardown(function() db:close() end)

      it("should allow destroies even if options are not given", function()
        local instance = Model:build({ id = 1 }, { isNewRecord = false })
        assert.has_no.errors(function() instance:destroy() end)
      end)
    end)
  end)
end)
