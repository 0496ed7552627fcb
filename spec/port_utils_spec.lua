-- Port of Sequelize v6's test/integration/utils.test.js (branch v6), sqlite dialect.
-- Skipped:
--   format (2 tests), cloneDeep (4 tests), flattenObjectDeep (2 tests): internal helpers of
--     Sequelize's lib/utils, not part of the API; sequelua's Utils has only the naming helpers
--     (README, "JavaScript to Lua")
--   json (4 tests): postgres only
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op
local Utils = Sequelize.Utils

describe("Utils (port of utils.test.js)", function()
  describe("underscore", function()
    describe("underscoredIf", function()
      it("is defined", function()
        assert.truthy(Utils.underscoredIf)
      end)

      it("underscores if second param is true", function()
        assert.are.equal("foo_bar", Utils.underscoredIf("fooBar", true))
      end)

      it("doesn't underscore if second param is false", function()
        assert.are.equal("fooBar", Utils.underscoredIf("fooBar", false))
      end)
    end)

    describe("camelizeIf", function()
      it("is defined", function()
        assert.truthy(Utils.camelizeIf)
      end)

      it("camelizes if second param is true", function()
        assert.are.equal("fooBar", Utils.camelizeIf("foo_bar", true))
      end)

      it("doesn't camelize if second param is false", function()
        assert.are.equal("foo_bar", Utils.underscoredIf("fooBar", true))
      end)
    end)
  end)

  describe("inflection", function()
    it("works better than lingo ;)", function()
      assert.are.equal("buys", Utils.pluralize("buy"))
      assert.are.equal("holidays", Utils.pluralize("holiday"))
      assert.are.equal("days", Utils.pluralize("days"))
      assert.are.equal("statuses", Utils.pluralize("status"))
      assert.are.equal("status", Utils.singularize("status"))
    end)
  end)

  describe("Sequelize.fn", function()
    local db, Airplane

    setup(function()
      db = Sequelize.new("sqlite::memory:")
      Airplane = db:define("Airplane", { wings = DataTypes.INTEGER, engines = DataTypes.INTEGER })
      Airplane:sync({ force = true })
      Airplane:bulkCreate({ { wings = 2, engines = 0 }, { wings = 4, engines = 1 }, { wings = 2, engines = 2 } })
    end)
    teardown(function() db:close() end)

    it("accepts condition object (with cast)", function()
      local airplane = Airplane:findAll({
        attributes = {
          { db:fn("COUNT", "*"), "count" },
          { Sequelize.fn("SUM", Sequelize.cast({ engines = 1 }, "int")), "count-engines" },
          { Sequelize.fn("SUM", Sequelize.cast({ [Op["or"]] = { engines = { [Op.gt] = 1 }, wings = 4 } }, "int")),
            "count-engines-wings" },
        },
      })[1]
      assert.are.equal(3, tonumber(airplane:get("count")))
      assert.are.equal(1, tonumber(airplane:get("count-engines")))
      assert.are.equal(2, tonumber(airplane:get("count-engines-wings")))
    end)

    it("accepts condition object (auto casting)", function()
      local airplane = Airplane:findAll({
        attributes = {
          { db:fn("COUNT", "*"), "count" },
          { Sequelize.fn("SUM", { engines = 1 }), "count-engines" },
          { Sequelize.fn("SUM", { [Op["or"]] = { engines = { [Op.gt] = 1 }, wings = 4 } }), "count-engines-wings" },
        },
      })[1]
      assert.are.equal(3, airplane:get("count"))
      assert.are.equal(1, tonumber(airplane:get("count-engines")))
      assert.are.equal(2, tonumber(airplane:get("count-engines-wings")))
    end)
  end)
end)
