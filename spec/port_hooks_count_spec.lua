-- Port of Sequelize v6's test/integration/hooks/count.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/count.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    db:sync({ force = true })
    User:bulkCreate({
      { username = "adam", mood = "happy" },
      { username = "joe", mood = "sad" },
      { username = "joe", mood = "happy" },
    })
  end)
  after_each(function() db:close() end)

  describe("#count", function()
    describe("on success", function()
      it("hook runs", function()
        local beforeHook = false
        User:beforeCount(function() beforeHook = true end)
        assert.are.equal(3, User:count())
        assert.is_true(beforeHook)
      end)

      it("beforeCount hook can change options", function()
        User:beforeCount(function(options) options.where.username = "adam" end)
        assert.are.equal(1, User:count({ where = { username = "joe" } }))
      end)
    end)

    describe("on error", function()
      it("in beforeCount hook returns error", function()
        User:beforeCount(function() error({ message = "Oops!" }) end)
        local ok, err = pcall(User.count, User, { where = { username = "adam" } })
        assert.is_false(ok)
        assert.are.equal("Oops!", err.message)
      end)
    end)
  end)
end)
