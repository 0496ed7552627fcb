-- Port of Sequelize v6's test/integration/hooks/validate.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon spies and stubs are call counters here.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/validate.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("#validate", function()
    describe("#create", function()
      it("should return the user", function()
        User:beforeValidate(function(user) user.username = "Bob"; user.mood = "happy" end)
        User:afterValidate(function(user) user.username = "Toni" end)
        local user = User:create({ mood = "ecstatic" })
        assert.are.equal("happy", user.mood)
        assert.are.equal("Toni", user.username)
      end)
    end)

    describe("#3534, hooks modifications", function()
      it("fields modified in hooks are saved", function()
        User:afterValidate(function(user)
          -- if username is defined and has more than 5 char
          if user.username then
            if #user.username < 5 then user.username = nil end
          end
          user.username = user.username or "Samorost 3"
        end)
        User:beforeValidate(function(user) user.mood = user.mood or "neutral" end)

        local user = User:create({ username = "T", mood = "neutral" })
        assert.are.equal("neutral", user.mood)
        assert.are.equal("Samorost 3", user.username)

        -- change attributes
        user.mood = "sad"
        user.username = "Samorost Good One"
        local uSaved0 = user:save()
        assert.are.equal("sad", uSaved0.mood)
        assert.are.equal("Samorost Good One", uSaved0.username)

        -- change attributes, expect to be replaced by hooks
        uSaved0.username = "One"
        local uSaved = uSaved0:save()
        -- attributes were replaced by hooks ?
        assert.are.equal("sad", uSaved.mood)
        assert.are.equal("Samorost 3", uSaved.username)

        local uFetched0 = User:findByPk(uSaved.id)
        assert.are.equal("sad", uFetched0.mood)
        assert.are.equal("Samorost 3", uFetched0.username)

        uFetched0.mood = Sequelize.null
        uFetched0.username = "New Game is Needed"
        local uFetchedSaved0 = uFetched0:save()
        assert.are.equal("neutral", uFetchedSaved0.mood)
        assert.are.equal("New Game is Needed", uFetchedSaved0.username)

        local uFetched = User:findByPk(uFetchedSaved0.id)
        assert.are.equal("neutral", uFetched.mood)
        assert.are.equal("New Game is Needed", uFetched.username)

        -- expect to be replaced by hooks
        uFetched.username = "New"
        uFetched.mood = "happy"
        local uFetchedSaved = uFetched:save()
        assert.are.equal("happy", uFetchedSaved.mood)
        assert.are.equal("Samorost 3", uFetchedSaved.username)
      end)
    end)

    describe("on error", function()
      it("should emit an error from after hook", function()
        User:afterValidate(function(user)
          user.mood = "ecstatic"
          error({ message = "Whoops! Changed user.mood!" })
        end)
        local ok, err = pcall(User.create, User, { username = "Toni", mood = "happy" })
        assert.is_false(ok)
        assert.are.equal("Whoops! Changed user.mood!", err.message)
      end)

      it("should call validationFailed hook", function()
        local n = 0
        User:validationFailed(function() n = n + 1 end)
        assert.is_false(pcall(User.create, User, { mood = "happy" }))
        assert.are.equal(1, n)
      end)

      it("should not replace the validation error in validationFailed hook by default", function()
        User:validationFailed(function() end)
        local ok, err = pcall(User.create, User, { mood = "happy" })
        assert.is_false(ok)
        assert.are.equal("SequelizeValidationError", err.name)
      end)

      it("should replace the validation error if validationFailed hook creates a new error", function()
        User:validationFailed(function() error({ message = "Whoops!" }) end)
        local ok, err = pcall(User.create, User, { mood = "happy" })
        assert.is_false(ok)
        assert.are.equal("Whoops!", err.message)
      end)
    end)
  end)
end)
