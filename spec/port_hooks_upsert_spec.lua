-- Port of Sequelize v6's test/integration/hooks/upsert.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon spies are call counters here.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/upsert.test.js)", function()
  local db, User

  local function spy()
    local s = { n = 0 }
    s.fn = function() s.n = s.n + 1 end
    return s
  end

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false, unique = true },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("#upsert", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeUpsert(beforeHook.fn)
        User:afterUpsert(afterHook.fn)
        User:upsert({ username = "Toni", mood = "happy" })
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeUpsert(function() beforeHook.fn(); error("Whoops!") end)
        User:afterUpsert(afterHook.fn)
        assert.is_false(pcall(User.upsert, User, { username = "Toni", mood = "happy" }))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(0, afterHook.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeUpsert(beforeHook.fn)
        User:afterUpsert(function() afterHook.fn(); error("Whoops!") end)
        assert.is_false(pcall(User.upsert, User, { username = "Toni", mood = "happy" }))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)

    describe("preserves changes to values", function()
      it("beforeUpsert", function()
        local hookCalled = 0
        local valuesOriginal = { mood = "sad", username = "leafninja" }
        User:beforeUpsert(function(values) values.mood = "happy"; hookCalled = hookCalled + 1 end)
        User:upsert(valuesOriginal)
        assert.are.equal("happy", valuesOriginal.mood)
        assert.are.equal(1, hookCalled)
      end)
    end)
  end)
end)
