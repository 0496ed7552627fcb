-- Port of Sequelize v6's test/integration/hooks/create.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon spies are call counters here.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/create.test.js)", function()
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

  describe("#create", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook, beforeSave, afterSave = spy(), spy(), spy(), spy()
        User:beforeCreate(beforeHook.fn)
        User:afterCreate(afterHook.fn)
        User:beforeSave(beforeSave.fn)
        User:afterSave(afterSave.fn)
        User:create({ username = "Toni", mood = "happy" })
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
        assert.are.equal(1, beforeSave.n)
        assert.are.equal(1, afterSave.n)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook, beforeSave, afterSave = spy(), spy(), spy(), spy()
        User:beforeCreate(function() beforeHook.fn(); error("Whoops!") end)
        User:afterCreate(afterHook.fn)
        User:beforeSave(beforeSave.fn)
        User:afterSave(afterSave.fn)
        assert.is_false(pcall(User.create, User, { username = "Toni", mood = "happy" }))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(0, afterHook.n)
        assert.are.equal(0, beforeSave.n)
        assert.are.equal(0, afterSave.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook, beforeSave, afterSave = spy(), spy(), spy(), spy()
        User:beforeCreate(beforeHook.fn)
        User:afterCreate(function() afterHook.fn(); error("Whoops!") end)
        User:beforeSave(beforeSave.fn)
        User:afterSave(afterSave.fn)
        assert.is_false(pcall(User.create, User, { username = "Toni", mood = "happy" }))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
        assert.are.equal(1, beforeSave.n)
        assert.are.equal(0, afterSave.n)
      end)
    end)

    it("should not trigger hooks on parent when using N:M association setters", function()
      local A = db:define("A", { name = DataTypes.STRING })
      local B = db:define("B", { name = DataTypes.STRING })
      local hookCalled = 0
      A:addHook("afterCreate", function() hookCalled = hookCalled + 1 end)
      B:belongsToMany(A, { through = "a_b" })
      A:belongsToMany(B, { through = "a_b" })
      db:sync({ force = true })
      local a = A:create({ name = "a" })
      local b = B:create({ name = "b" })
      a:addB(b)
      assert.are.equal(1, hookCalled)
    end)

    describe("preserves changes to instance", function()
      it("beforeValidate", function()
        local hookCalled = 0
        User:beforeValidate(function(user) user.mood = "happy"; hookCalled = hookCalled + 1 end)
        local user = User:create({ mood = "sad", username = "leafninja" })
        assert.are.equal("happy", user.mood)
        assert.are.equal("leafninja", user.username)
        assert.are.equal(1, hookCalled)
      end)

      it("afterValidate", function()
        local hookCalled = 0
        User:afterValidate(function(user) user.mood = "neutral"; hookCalled = hookCalled + 1 end)
        local user = User:create({ mood = "sad", username = "fireninja" })
        assert.are.equal("neutral", user.mood)
        assert.are.equal("fireninja", user.username)
        assert.are.equal(1, hookCalled)
      end)

      it("beforeCreate", function()
        local hookCalled = 0
        User:beforeCreate(function(user) user.mood = "happy"; hookCalled = hookCalled + 1 end)
        local user = User:create({ username = "akira" })
        assert.are.equal("happy", user.mood)
        assert.are.equal("akira", user.username)
        assert.are.equal(1, hookCalled)
      end)

      it("beforeSave", function()
        local hookCalled = 0
        User:beforeSave(function(user) user.mood = "happy"; hookCalled = hookCalled + 1 end)
        local user = User:create({ username = "akira" })
        assert.are.equal("happy", user.mood)
        assert.are.equal("akira", user.username)
        assert.are.equal(1, hookCalled)
      end)

      it("beforeSave with beforeCreate", function()
        local hookCalled = 0
        User:beforeCreate(function(user) user.mood = "sad"; hookCalled = hookCalled + 1 end)
        User:beforeSave(function(user) user.mood = "happy"; hookCalled = hookCalled + 1 end)
        local user = User:create({ username = "akira" })
        assert.are.equal("happy", user.mood)
        assert.are.equal("akira", user.username)
        assert.are.equal(2, hookCalled)
      end)
    end)
  end)
end)
