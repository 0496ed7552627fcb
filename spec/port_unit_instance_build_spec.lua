-- Port of Sequelize v6's test/unit/instance/build.test.js (branch v6), sqlite dialect.
-- Skipped: none. The first test's `timestamp: false` (a typo Sequelize ignores) is left out:
-- define refuses an unknown model option (API.md). `instanceof Date` is an ISO string here;
-- JSONB is JSON (SQLite has one JSON type).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/build.test.js)", function()
  local db
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("build", function()
    it("should populate NOW default values", function()
      local Model = db:define("Model", {
        created_time = { type = DataTypes.DATE, allowNull = true, defaultValue = DataTypes.NOW },
        updated_time = { type = DataTypes.DATE, allowNull = true, defaultValue = DataTypes.NOW },
        ip = { type = DataTypes.STRING, validate = { isIP = true } },
        ip2 = { type = DataTypes.STRING, validate = { isIP = { msg = "test" } } },
      })
      local instance = Model:build({ ip = "127.0.0.1", ip2 = "0.0.0.0" })
      local iso = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"
      assert.matches(iso, instance:get("created_time"))
      assert.matches(iso, instance:get("updated_time"))
      assert.equal(instance, instance:validate())
    end)

    it("should populate explicitly undefined UUID primary keys", function()
      local Model = db:define("Model", {
        id = { type = DataTypes.UUID, primaryKey = true, allowNull = false, defaultValue = DataTypes.UUIDV4 },
      })
      local instance = Model:build({ id = nil })
      assert.matches("^%x+%-%x+%-4%x+%-[89ab]%x+%-%x+$", instance:get("id"))
    end)

    it("should populate undefined columns with default value", function()
      local Model = db:define("Model", {
        number1 = { type = DataTypes.INTEGER, defaultValue = 1 },
        number2 = { type = DataTypes.INTEGER, defaultValue = 2 },
      })
      local instance = Model:build({ number1 = nil })
      assert.equal(1, instance:get("number1"))
      assert.equal(2, instance:get("number2"))
    end)

    it("should clone the default values", function()
      local Model = db:define("Model", { data = { type = DataTypes.JSON, defaultValue = { foo = "bar" } } })
      local instance = Model:build()
      instance.data.foo = "biz"
      assert.same({ foo = "biz" }, instance:get("data"))
      assert.same({ foo = "bar" }, Model:build():get("data"))
    end)
  end)
end)
