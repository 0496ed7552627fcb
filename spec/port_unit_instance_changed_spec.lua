-- Port of Sequelize v6's test/unit/instance/changed.test.js (branch v6), sqlite dialect.
-- Skipped: none. Dates are ISO strings or seconds since the epoch (API.md): "two instances with
-- same value" builds with one form and sets the other. In "should not detect changes when equal"
-- the Buffer value is a Lua string and `new this.User(...)` is build; `json` is no attribute
-- of User (as in Sequelize's test), so it sets a non-attribute key.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

describe("Instance (port of unit/instance/changed.test.js)", function()
  local db, User
  local old = { isNewRecord = false, raw = true }
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      name = DataTypes.STRING, birthday = DataTypes.DATE, yoj = DataTypes.DATEONLY, meta = DataTypes.JSON,
    })
  end)
  teardown(function() db:close() end)

  describe("changed", function()
    it("should return true for changed primitive", function()
      local user = User:build({ name = "a" }, old)
      assert.is_false(user:changed("meta"))
      user:set("name", "b")
      user:set("meta", NULL)
      assert.is_true(user:changed("name"))
      assert.is_true(user:changed("meta"))
    end)

    it("should return falsy for unchanged primitive", function()
      local user = User:build({ name = "a", meta = NULL }, old)
      user:set("name", "a")
      user:set("meta", NULL)
      assert.is_false(user:changed("name"))
      assert.is_false(user:changed("meta"))
    end)

    it("should return true for multiple changed values", function()
      local user = User:build({ name = "a", birthday = os.time() - 10 }, old)
      user:set("name", "b")
      user:set("birthday", os.time())
      assert.is_true(user:changed("name"))
      assert.is_true(user:changed("birthday"))
    end)

    it("should return false for two instances with same value", function()
      local user = User:build({ birthday = 1436921941.088 }, old)
      user:set("birthday", "2015-07-15T00:59:01.088Z")
      assert.is_false(user:changed("birthday"))
    end)

    it("should not detect changes when equal", function()
      for _, value in ipairs({ NULL, 1, "asdf", "2020-01-01T00:00:00.000Z", {}, "" }) do
        local t = User:build({ json = value }, old)
        t.json = value
        assert.is_false(t:changed("json"))
        assert.is_false(t:changed())
      end
    end)

    it("should return true for JSON dot.separated key with changed values", function()
      local user = User:build({ meta = { city = "Stockholm" } }, old)
      user:set("meta.city", "Gothenburg")
      assert.is_true(user:changed("meta"))
    end)

    it("should return false for JSON dot.separated key with same value", function()
      local user = User:build({ meta = { city = "Gothenburg" } }, old)
      user:set("meta.city", "Gothenburg")
      assert.is_false(user:changed("meta"))
    end)

    it("should return true for JSON dot.separated key with object", function()
      local user = User:build({ meta = { address = { street = "Main street", number = "40" } } }, old)
      user:set("meta.address", { street = "Second street", number = "1" })
      assert.is_true(user:changed("meta"))
    end)

    it("should return false for JSON dot.separated key with same object", function()
      local user = User:build({ meta = { address = { street = "Main street", number = "40" } } }, old)
      user:set("meta.address", { street = "Main street", number = "40" })
      assert.is_false(user:changed("meta"))
    end)

    it("should return false when changed from null to null", function()
      local attributes = {}
      for attr in pairs(User.rawAttributes) do attributes[attr] = NULL end
      local user = User:build(attributes, old)
      for attr in pairs(User.rawAttributes) do user:set(attr, NULL) end
      for attr in pairs(User.rawAttributes) do
        assert.is_false(user:changed(attr), attr .. " is not changed")
      end
    end)

    describe("setDataValue", function()
      it("should return falsy for unchanged primitive", function()
        local user = User:build({ name = "a", meta = NULL }, old)
        user:setDataValue("name", "a")
        user:setDataValue("meta", NULL)
        assert.is_false(user:changed("name"))
        assert.is_false(user:changed("meta"))
      end)
    end)
  end)
end)
