-- Port of Sequelize v6's test/unit/model/destroy.test.js (branch v6), sqlite dialect.
-- Notes: `new Where()` (an object of a class) is a table with a metatable.
-- Skipped: none. Differs (not fixed): "can detect complex objects" (see the test).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/destroy.test.js)", function()
  describe("method destroy", function()
    it("can detect complex objects", function()
      local db = Sequelize.new("sqlite::memory:")
      local User = db:define("User", { name = DataTypes.STRING, secretValue = DataTypes.INTEGER })
      db:sync()
      User:bulkCreate({ { name = "a", secretValue = 1 }, { name = "b", secretValue = 2 } })
      -- Differs: Sequelize refuses an object of a class as the where ("Expected plain object, array
      -- or sequelize method in the options.where parameter of model.destroy."); sequelua reads a
      -- table with a metatable by its own keys (bad_input_spec), so this deletes secretValue = '1'.
      local Where = {}
      Where.__index = Where
      assert.equal(1, User:destroy({ where = setmetatable({ secretValue = "1" }, Where) }))
      assert.equal(1, User:count())
      -- a model instance as the where is refused, nothing deleted
      local inst = User:findOne()
      local ok, err = pcall(User.destroy, User, { where = inst })
      assert.is_false(ok)
      assert.equal("Invalid where on User: got a User instance, expected a table of conditions", err.message)
      assert.equal(1, User:count())
      db:close()
    end)
  end)
end)
