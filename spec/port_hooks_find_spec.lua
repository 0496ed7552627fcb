-- Port of Sequelize v6's test/integration/hooks/find.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/find.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    db:sync({ force = true })
    User:bulkCreate({ { username = "adam", mood = "happy" }, { username = "joe", mood = "sad" } })
  end)
  after_each(function() db:close() end)

  -- Sequelize's "on error" tests assert the message inside a catch (a resolved find passes
  -- them too); here the find must raise Oops!.
  local function oops() error({ message = "Oops!" }) end
  local function expect_oops()
    local ok, err = pcall(User.findOne, User, { where = { username = "adam" } })
    assert.is_false(ok)
    assert.are.equal("Oops!", err.message)
  end

  describe("#find", function()
    it("allow changing attributes via beforeFind #5675", function()
      User:beforeFind(function(options)
        options.attributes = { include = { { "id", "my_id" } } }
      end)
      User:findAll({})
    end)

    describe("on success", function()
      it("all hooks run", function()
        local beforeHook, beforeHook2, beforeHook3, afterHook = false, false, false, false
        User:beforeFind(function() beforeHook = true end)
        User:beforeFindAfterExpandIncludeAll(function() beforeHook2 = true end)
        User:beforeFindAfterOptions(function() beforeHook3 = true end)
        User:afterFind(function() afterHook = true end)
        local user = User:findOne({ where = { username = "adam" } })
        assert.are.equal("happy", user.mood)
        assert.is_true(beforeHook)
        assert.is_true(beforeHook2)
        assert.is_true(beforeHook3)
        assert.is_true(afterHook)
      end)

      it("beforeFind hook can change options", function()
        User:beforeFind(function(options) options.where.username = "joe" end)
        local user = User:findOne({ where = { username = "adam" } })
        assert.are.equal("sad", user.mood)
      end)

      it("beforeFindAfterExpandIncludeAll hook can change options", function()
        User:beforeFindAfterExpandIncludeAll(function(options) options.where.username = "joe" end)
        local user = User:findOne({ where = { username = "adam" } })
        assert.are.equal("sad", user.mood)
      end)

      it("beforeFindAfterOptions hook can change options", function()
        User:beforeFindAfterOptions(function(options) options.where.username = "joe" end)
        local user = User:findOne({ where = { username = "adam" } })
        assert.are.equal("sad", user.mood)
      end)

      it("afterFind hook can change results", function()
        User:afterFind(function(user) user.mood = "sad" end)
        local user = User:findOne({ where = { username = "adam" } })
        assert.are.equal("sad", user.mood)
      end)
    end)

    describe("on error", function()
      it("in beforeFind hook returns error", function()
        User:beforeFind(oops)
        expect_oops()
      end)

      it("in beforeFindAfterExpandIncludeAll hook returns error", function()
        User:beforeFindAfterExpandIncludeAll(oops)
        expect_oops()
      end)

      it("in beforeFindAfterOptions hook returns error", function()
        User:beforeFindAfterOptions(oops)
        expect_oops()
      end)

      it("in afterFind hook returns error", function()
        User:afterFind(oops)
        expect_oops()
      end)
    end)
  end)
end)
