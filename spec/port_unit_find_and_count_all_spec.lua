-- Port of Sequelize v6's test/unit/model/find-and-count-all.test.js (branch v6), sqlite dialect.
-- Sequelize stubs findAll and count to reject and checks no promise rejection goes unhandled;
-- here both fail on a where naming no attribute, and the call raises one error object.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/find-and-count-all.test.js)", function()
  describe("findAndCountAll", function()
    describe("should handle promise rejection", function()
      it("with errors in count and findAll both", function()
        local db = Sequelize.new("sqlite::memory:")
        local User = db:define("User", { username = DataTypes.STRING, age = DataTypes.INTEGER })
        db:sync()
        local ok, err = pcall(User.findAndCountAll, User, { where = { nope = 1 } })
        assert.is_false(ok)
        assert.equal("table", type(err))
        assert.truthy(err.message:find("nope", 1, true))
        db:close()
      end)
    end)
  end)
end)
