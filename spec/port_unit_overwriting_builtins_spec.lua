-- Port of Sequelize v6's test/unit/model/overwriting-builtins.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/overwriting-builtins.test.js)", function()
  describe("not breaking built-ins", function()
    it("it should not break instance.set by defining a model set attribute", function()
      local db = Sequelize.new("sqlite::memory:")
      local User = db:define("OverWrittenKeys", { set = DataTypes.STRING })
      local user = User:build({ set = "A" })
      assert.equal("A", user:get("set"))
      user:set("set", "B")
      assert.equal("B", user:get("set"))
      User:sync()
      user:save()
      assert.equal("B", User:findOne():get("set"))
      db:close()
    end)
  end)
end)
