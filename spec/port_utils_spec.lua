-- Port of Sequelize v6's test/integration/utils.test.js (branch v6), sqlite dialect.
-- Skipped:
--   format (2 tests), cloneDeep (4 tests), flattenObjectDeep (2 tests): internal helpers of
--     Sequelize's lib/utils, not part of the API; sequelua's Utils has only the naming helpers
--     (README, "JavaScript to Lua")
--   json (4 tests): postgres only
local Sequelize = require("sequelua")
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
end)
