-- Port of Sequelize v6's test/unit/model/remove-attribute.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/remove-attribute.test.js)", function()
  describe("removeAttribute", function()
    local db
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    it("should support removing the primary key", function()
      local Model = db:define("m", { name = DataTypes.STRING })
      assert.is_not_nil(Model.primaryKeyAttribute)
      local n = 0
      for _ in pairs(Model.primaryKeys) do n = n + 1 end
      assert.equal(1, n)
      Model:removeAttribute("id")
      assert.is_nil(Model.primaryKeyAttribute)
      assert.is_nil(next(Model.primaryKeys or {}))
      -- the table is made without it
      Model:sync()
      local cols = {}
      for _, r in ipairs(db:query("PRAGMA table_info(`ms`)", { type = "SELECT" })) do cols[#cols + 1] = r.name end
      table.sort(cols)
      assert.equal("createdAt,name,updatedAt", table.concat(cols, ","))
    end)

    it("should not add undefined attribute after removing primary key", function()
      local Model = db:define("m", { name = DataTypes.STRING })
      Model:removeAttribute("id")
      local instance = Model:build()
      for k in pairs(instance.dataValues) do assert.are_not.equal("undefined", k) end
      assert.equal("{}", tostring(instance))
    end)
  end)
end)
