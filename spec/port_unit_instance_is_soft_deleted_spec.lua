-- Port of Sequelize v6's test/unit/instance/is-soft-deleted.test.js (branch v6), sqlite dialect.
-- Skipped: none. moment().subtract(5, 'days').format() is an ISO date string.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/is-soft-deleted.test.js)", function()
  local db, user, paranoidUser
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("isSoftDeleted", function()
    before_each(function()
      local attrs = { name = DataTypes.STRING, birthdate = DataTypes.DATE, meta = DataTypes.JSON,
                      deletedAt = { type = DataTypes.DATE } }
      local User = db:define("User", attrs)
      local ParanoidUser = db:define("User", attrs, { paranoid = true })
      paranoidUser = ParanoidUser:build({ name = "a" }, { isNewRecord = false, raw = true })
      user = User:build({ name = "a" }, { isNewRecord = false, raw = true })
    end)

    it("should not throw if paranoid is set to true", function()
      assert.has_no.errors(function() paranoidUser:isSoftDeleted() end)
    end)

    it("should throw if paranoid is set to false", function()
      local ok, err = pcall(user.isSoftDeleted, user)
      assert.is_false(ok)
      assert.equal("Model is not paranoid", err.message)
    end)

    it("should return false if the soft-delete property is the same as the default value", function()
      paranoidUser:setDataValue("deletedAt", Sequelize.null)
      assert.is_false(paranoidUser:isSoftDeleted())
    end)

    it("should return true if the soft-delete property is set", function()
      paranoidUser:setDataValue("deletedAt", os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 5 * 86400))
      assert.is_true(paranoidUser:isSoftDeleted())
    end)
  end)
end)
