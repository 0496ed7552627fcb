-- Port of Sequelize v6's test/unit/instance/set.test.js (branch v6), sqlite dialect.
-- Skipped: none. JSONB is JSON; `new Date()` is an ISO string (API.md); the custom setter's
-- stubbed insert is a real INSERT into a :memory: table.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

describe("Instance (port of unit/instance/set.test.js)", function()
  local db
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("set", function()
    it("sets nested keys in JSON objects", function()
      local User = db:define("User", { meta = DataTypes.JSON })
      local user = User:build({ meta = { location = "Stockhollm" } }, { isNewRecord = false, raw = true })
      local meta = user:get("meta")
      user:set("meta.location", "Copenhagen")
      assert.is_nil(user.dataValues["meta.location"])
      assert.equal("Copenhagen", user:get("meta").location)
      assert.equal(meta, user:get("meta"))
    end)

    it("doesnt mutate the JSONB defaultValue", function()
      local User = db:define("User", { meta = { type = DataTypes.JSON, allowNull = false, defaultValue = {} } })
      local user1 = User:build({})
      user1:set("meta.location", "Stockhollm")
      local user2 = User:build({})
      assert.same({}, user2:get("meta"))
    end)

    it('sets the date "1970-01-01" to previously null field', function()
      local User = db:define("User", { date = { type = DataTypes.DATE, allowNull = true } })
      local user1 = User:build({ date = NULL })
      user1:set("date", "1970-01-01")
      assert.equal("1970-01-01T00:00:00.000Z", user1:get("date"))
    end)

    it("overwrites non-date originalValue with date", function()
      local User = db:define("User", { date = DataTypes.DATE })
      local user = User:build({ date = " " }, { isNewRecord = false, raw = true })
      user:set("date", os.time())
      assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$", user:get("date"))
    end)

    describe("custom setter", function()
      local User
      setup(function()
        User = db:define("User", {
          phoneNumber = {
            type = DataTypes.STRING,
            set = function(self, val)
              if type(val) == "table" then val = "00" .. val.country .. val.area .. val["local"] end
              if type(val) == "string" then
                -- Canonicalize phone number: /^\+/ -> "00", then drop "(0)" and [\s+/.\-()]
                val = val:gsub("^%+", "00"):gsub("%(0%)", ""):gsub("[%s+/.%-()]", "")
              end
              self:setDataValue("phoneNumber", val)
            end,
          },
        })
        User:sync({ force = true })
      end)

      it("does not set field to changed if field is set to the same value with custom setter using primitive value", function()
        local user = User:build({ phoneNumber = "+1 234 567" })
        user:save()
        assert.is_false(user:changed("phoneNumber"))
        user:set("phoneNumber", "+1 (0) 234567")
        assert.is_false(user:changed("phoneNumber"))
      end)

      it("sets field to changed if field is set to the another value with custom setter using primitive value", function()
        local user = User:build({ phoneNumber = "+1 234 567" })
        user:save()
        assert.is_false(user:changed("phoneNumber"))
        user:set("phoneNumber", "+1 (0) 765432")
        assert.is_true(user:changed("phoneNumber"))
      end)

      it("does not set field to changed if field is set to the same value with custom setter using object", function()
        local user = User:build({ phoneNumber = "+1 234 567" })
        user:save()
        assert.is_false(user:changed("phoneNumber"))
        user:set("phoneNumber", { country = "1", area = "234", ["local"] = "567" })
        assert.is_false(user:changed("phoneNumber"))
      end)

      it("sets field to changed if field is set to the another value with custom setter using object", function()
        local user = User:build({ phoneNumber = "+1 234 567" })
        user:save()
        assert.is_false(user:changed("phoneNumber"))
        user:set("phoneNumber", { country = "1", area = "765", ["local"] = "432" })
        assert.is_true(user:changed("phoneNumber"))
      end)
    end)
  end)
end)
