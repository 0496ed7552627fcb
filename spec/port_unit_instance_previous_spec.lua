-- Port of Sequelize v6's test/unit/instance/previous.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/previous.test.js)", function()
  local db
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("previous", function()
    it("should return correct previous value", function()
      local Model = db:define("Model", {
        text = DataTypes.STRING,
        textCustom = {
          type = DataTypes.STRING,
          set = function(self, val) self:setDataValue("textCustom", val) end,
          get = function(self) self:getDataValue("textCustom") end,
        },
      })
      local instance = Model:build({ text = "a", textCustom = "abc" })
      assert.is_nil(instance:previous("text"))
      assert.is_nil(instance:previous("textCustom"))
      instance:set("text", "b")
      instance:set("textCustom", "def")
      assert.equal("a", instance:previous("text"))
      assert.equal("abc", instance:previous("textCustom"))
    end)
  end)
end)
