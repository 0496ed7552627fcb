-- Port of Sequelize v6's test/integration/hooks/destroy.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon spies are call counters here.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/destroy.test.js)", function()
  local db, User

  local function spy()
    local s = { n = 0 }
    s.fn = function() s.n = s.n + 1 end
    return s
  end

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("#destroy", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeDestroy(beforeHook.fn)
        User:afterDestroy(afterHook.fn)
        local user = User:create({ username = "Toni", mood = "happy" })
        user:destroy()
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeDestroy(function() beforeHook.fn(); error("Whoops!") end)
        User:afterDestroy(afterHook.fn)
        local user = User:create({ username = "Toni", mood = "happy" })
        assert.is_false(pcall(user.destroy, user))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(0, afterHook.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeDestroy(beforeHook.fn)
        User:afterDestroy(function() afterHook.fn(); error("Whoops!") end)
        local user = User:create({ username = "Toni", mood = "happy" })
        assert.is_false(pcall(user.destroy, user))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)

    describe("with paranoid mode enabled", function()
      local ParanoidUser
      before_each(function()
        ParanoidUser = db:define("ParanoidUser", {
          username = DataTypes.STRING,
          updatedBy = DataTypes.INTEGER,
          virtualField = {
            type = DataTypes.VIRTUAL(DataTypes.INTEGER, { "updatedBy" }),
            get = function(self) return self.updatedBy - 1 end,
          },
        }, {
          paranoid = true,
          hooks = { beforeDestroy = function(instance) instance.updatedBy = 1 end },
        })
      end)

      it("sets other changed values when soft deleting and a beforeDestroy hooks kicks in", function()
        ParanoidUser:sync({ force = true })
        local user0 = ParanoidUser:create({ username = "user1" })
        user0:destroy()
        local user = ParanoidUser:findOne({ paranoid = false })
        assert.are.equal(1, user.updatedBy)
      end)

      it("should not throw error when a beforeDestroy hook changes a virtual column", function()
        ParanoidUser:beforeDestroy(function(instance) instance.virtualField = 2 end)
        ParanoidUser:sync({ force = true })
        local user0 = ParanoidUser:create({ username = "user1" })
        user0:destroy()
        local user = ParanoidUser:findOne({ paranoid = false })
        assert.are.equal(0, user.virtualField)
      end)
    end)
  end)
end)
