-- Port of Sequelize v6's test/unit/increment.test.js (branch v6), sqlite dialect.
-- Skipped: none. The table holds a row, left as it was.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/increment.test.js)", function()
  describe("increment", function()
    describe("options tests", function()
      local db, Model
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Model = db:define("User", {
          id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true },
          count = DataTypes.BIGINT,
        })
        Model:sync()
        Model:create({ count = 1 })
      end)
      teardown(function() db:close() end)

      it("should reject if options are missing", function()
        local ok, err = pcall(Model.increment, Model, { "id", "count" })
        assert.is_false(ok)
        assert.equal("Missing where attribute in the options parameter", err.message)
        assert.same({ id = 1, count = 1 }, Model:findOne{ raw = true, attributes = { "id", "count" } })
      end)

      it("should reject if options.where are missing", function()
        local ok, err = pcall(Model.increment, Model, { "id", "count" }, { by = 10 })
        assert.is_false(ok)
        assert.equal("Missing where attribute in the options parameter", err.message)
        assert.same({ id = 1, count = 1 }, Model:findOne{ raw = true, attributes = { "id", "count" } })
      end)
    end)
  end)
end)
