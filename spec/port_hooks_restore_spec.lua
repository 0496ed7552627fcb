-- Port of Sequelize v6's test/integration/hooks/restore.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon spies are call counters here.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/restore.test.js)", function()
  local db, ParanoidUser

  local function spy()
    local s = { n = 0 }
    s.fn = function() s.n = s.n + 1 end
    return s
  end

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    ParanoidUser = db:define("ParanoidUser", {
      username = DataTypes.STRING,
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    }, { paranoid = true })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("#restore", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook = spy(), spy()
        ParanoidUser:beforeRestore(beforeHook.fn)
        ParanoidUser:afterRestore(afterHook.fn)
        local user = ParanoidUser:create({ username = "Toni", mood = "happy" })
        user:destroy()
        user:restore()
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook = spy(), spy()
        ParanoidUser:beforeRestore(function() beforeHook.fn(); error("Whoops!") end)
        ParanoidUser:afterRestore(afterHook.fn)
        local user = ParanoidUser:create({ username = "Toni", mood = "happy" })
        user:destroy()
        assert.is_false(pcall(user.restore, user))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(0, afterHook.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook = spy(), spy()
        ParanoidUser:beforeRestore(beforeHook.fn)
        ParanoidUser:afterRestore(function() afterHook.fn(); error("Whoops!") end)
        local user = ParanoidUser:create({ username = "Toni", mood = "happy" })
        user:destroy()
        assert.is_false(pcall(user.restore, user))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)
  end)
end)
