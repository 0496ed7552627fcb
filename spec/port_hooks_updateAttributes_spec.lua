-- Port of Sequelize v6's test/integration/hooks/updateAttributes.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon spies are call counters here.
-- Changed: "afterValidate" and "beforeSave" create their user with mood "nuetral", a value
-- outside the ENUM, which Sequelize 6 writes (typeValidation off) and sequelua refuses on every
-- write (README, "Decisions that differ": ENUM values are checked); they use "neutral" here,
-- which tests the same hooks.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/updateAttributes.test.js)", function()
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

  describe("#update", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook, beforeSave, afterSave = spy(), spy(), spy(), spy()
        User:beforeUpdate(beforeHook.fn)
        User:afterUpdate(afterHook.fn)
        User:beforeSave(beforeSave.fn)
        User:afterSave(afterSave.fn)
        local user = User:create({ username = "Toni", mood = "happy" })
        local user0 = user:update({ username = "Chong" })
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
        assert.are.equal(2, beforeSave.n)
        assert.are.equal(2, afterSave.n)
        assert.are.equal("Chong", user0.username)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook, beforeSave, afterSave = spy(), spy(), spy(), spy()
        User:beforeUpdate(function() beforeHook.fn(); error("Whoops!") end)
        User:afterUpdate(afterHook.fn)
        User:beforeSave(beforeSave.fn)
        User:afterSave(afterSave.fn)
        local user = User:create({ username = "Toni", mood = "happy" })
        assert.is_false(pcall(user.update, user, { username = "Chong" }))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, beforeSave.n)
        assert.are.equal(0, afterHook.n)
        assert.are.equal(1, afterSave.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook, beforeSave, afterSave = spy(), spy(), spy(), spy()
        User:beforeUpdate(beforeHook.fn)
        User:afterUpdate(function() afterHook.fn(); error("Whoops!") end)
        User:beforeSave(beforeSave.fn)
        User:afterSave(afterSave.fn)
        local user = User:create({ username = "Toni", mood = "happy" })
        assert.is_false(pcall(user.update, user, { username = "Chong" }))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
        assert.are.equal(2, beforeSave.n)
        assert.are.equal(1, afterSave.n)
      end)
    end)

    describe("preserves changes to instance", function()
      it("beforeValidate", function()
        User:beforeValidate(function(user) user.mood = "happy" end)
        local user0 = User:create({ username = "fireninja", mood = "invalid" })
        local user = user0:update({ username = "hero" })
        assert.are.equal("hero", user.username)
        assert.are.equal("happy", user.mood)
      end)

      it("afterValidate", function()
        User:afterValidate(function(user) user.mood = "sad" end)
        local user0 = User:create({ username = "fireninja", mood = "neutral" })
        local user = user0:update({ username = "spider" })
        assert.are.equal("spider", user.username)
        assert.are.equal("sad", user.mood)
      end)

      it("beforeSave", function()
        local hookCalled = 0
        User:beforeSave(function(user) user.mood = "happy"; hookCalled = hookCalled + 1 end)
        local user0 = User:create({ username = "fireninja", mood = "neutral" })
        local user = user0:update({ username = "spider", mood = "sad" })
        assert.are.equal("spider", user.username)
        assert.are.equal("happy", user.mood)
        assert.are.equal(2, hookCalled)
      end)

      it("beforeSave with beforeUpdate", function()
        local hookCalled = 0
        User:beforeUpdate(function(user) user.mood = "sad"; hookCalled = hookCalled + 1 end)
        User:beforeSave(function(user) user.mood = "happy"; hookCalled = hookCalled + 1 end)
        local user0 = User:create({ username = "akira" })
        local user = user0:update({ username = "spider", mood = "sad" })
        assert.are.equal("happy", user.mood)
        assert.are.equal("spider", user.username)
        assert.are.equal(3, hookCalled)
      end)
    end)
  end)
end)
