-- Port of Sequelize v6's test/integration/model/scope/findAndCountAll.test.js (branch v6), sqlite dialect.
-- Skipped: none. The tests only read, so they share one database and one model.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope/findAndCountAll.test.js)", function()
  describe("scope", function()
    describe("findAndCountAll", function()
      local db, ScopeMe
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        ScopeMe = db:define("ScopeMe", {
          username = DataTypes.STRING,
          email = DataTypes.STRING,
          access_level = DataTypes.INTEGER,
          other_value = DataTypes.INTEGER,
        }, {
          defaultScope = {
            where = { access_level = { [Op.gte] = 5 } },
            attributes = { "username", "email", "access_level" },
          },
          scopes = {
            lowAccess = { where = { access_level = { [Op.lte] = 5 } } },
            withOrder = { order = { "username" } },
          },
        })
        db:sync({ force = true })
        ScopeMe:bulkCreate({
          { username = "tony", email = "tony@sequelizejs.com", access_level = 3, other_value = 7 },
          { username = "tobi", email = "tobi@fakeemail.com", access_level = 10, other_value = 11 },
          { username = "dan", email = "dan@sequelizejs.com", access_level = 5, other_value = 10 },
          { username = "fred", email = "fred@foobar.com", access_level = 3, other_value = 7 },
        })
      end)
      teardown(function() db:close() end)

      it("should apply defaultScope", function()
        local result = ScopeMe:findAndCountAll()
        assert.equal(2, result.count)
        assert.equal(2, #result.rows)
      end)

      it("should be able to override default scope", function()
        local result = ScopeMe:findAndCountAll({ where = { access_level = { [Op.gt] = 5 } } })
        assert.equal(1, result.count)
        assert.equal(1, #result.rows)
      end)

      it("should be able to unscope", function()
        local result = ScopeMe:unscoped():findAndCountAll({ limit = 1 })
        assert.equal(4, result.count)
        assert.equal(1, #result.rows)
      end)

      it("should be able to apply other scopes", function()
        local result = ScopeMe:scope("lowAccess"):findAndCountAll()
        assert.equal(3, result.count)
      end)

      it("should be able to merge scopes with where", function()
        local result = ScopeMe:scope("lowAccess"):findAndCountAll({ where = { username = "dan" } })
        assert.equal(1, result.count)
      end)

      it("should ignore the order option if it is found within the scope", function()
        local result = ScopeMe:scope("withOrder"):findAndCountAll()
        assert.equal(4, result.count)
      end)
    end)
  end)
end)
