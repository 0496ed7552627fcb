-- Port of Sequelize v6's test/unit/instance/get.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon's spy is a getter counting its calls.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/get.test.js)", function()
  local db, User, calls
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { name = { type = DataTypes.STRING, get = function() calls = calls + 1 end } })
  end)
  before_each(function() calls = 0 end)
  teardown(function() db:close() end)

  describe("get", function()
    it("invokes getter if raw: false", function()
      User:build():get("name")
      assert.is_true(calls > 0)
    end)

    it("does not invoke getter if raw: true", function()
      User:build():get("name", { raw = true })
      assert.equal(0, calls)
    end)
  end)
end)
