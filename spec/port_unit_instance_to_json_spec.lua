-- Port of Sequelize v6's test/unit/instance/to-json.test.js (branch v6), sqlite dialect.
-- Skipped: none. `delete json1.name` is `json1.name = nil`.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/to-json.test.js)", function()
  local db
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("toJSON", function()
    it("returns copy of json", function()
      local User = db:define("User", { name = DataTypes.STRING })
      local user = User:build({ name = "my-name" })
      local json1 = user:toJSON()
      assert.equal("my-name", json1.name)
      json1.name = nil
      local json2 = user:toJSON()
      assert.equal("my-name", json2.name)
    end)

    it("returns clone of JSON data-types", function()
      local User = db:define("User", { name = DataTypes.STRING, permissions = DataTypes.JSON })
      local user = User:build({ name = "my-name", permissions = { admin = true, special = "foobar" } })
      local json = user:toJSON()
      assert.is_table(json.permissions)
      assert.are_not.equal(user.permissions, json.permissions)
      json.permissions.admin = false
      assert.is_true(user.permissions.admin)
    end)
  end)
end)
