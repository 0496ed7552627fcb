-- Port of Sequelize v6's test/integration/model/scope/aggregate.test.js (branch v6), sqlite dialect.
-- Skipped:
--   aggregate with schema: only where the dialect supports schemas (not sqlite)
-- The tests only read, so they share one database and one set of models.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope/aggregate.test.js)", function()
  describe("scope", function()
    describe("aggregate", function()
      local db, Child, ScopeMe
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Child = db:define("Child", { priority = DataTypes.INTEGER })
        ScopeMe = db:define("ScopeMe", {
          username = DataTypes.STRING,
          email = DataTypes.STRING,
          access_level = DataTypes.INTEGER,
          other_value = DataTypes.INTEGER,
        }, {
          defaultScope = { where = { access_level = { [Op.gte] = 5 } } },
          scopes = {
            lowAccess = { where = { access_level = { [Op.lte] = 5 } } },
            withOrder = { order = { "username" } },
            withInclude = { include = { { model = Child, where = { priority = 1 } } } },
          },
        })
        Child:belongsTo(ScopeMe)
        ScopeMe:hasMany(Child)
        db:sync({ force = true })
        ScopeMe:bulkCreate({
          { username = "tony", email = "tony@sequelizejs.com", access_level = 3, other_value = 7 },
          { username = "tobi", email = "tobi@fakeemail.com", access_level = 10, other_value = 11 },
          { username = "dan", email = "dan@sequelizejs.com", access_level = 5, other_value = 10 },
          { username = "fred", email = "fred@foobar.com", access_level = 3, other_value = 7 },
        })
        local records = ScopeMe:findAll()
        records[1]:createChild({ priority = 1 })
        records[2]:createChild({ priority = 2 })
      end)
      teardown(function() db:close() end)

      it("should apply defaultScope", function()
        assert.equal(2, ScopeMe:aggregate("*", "count"))
      end)

      it("should be able to override default scope", function()
        assert.equal(1, ScopeMe:aggregate("*", "count", { where = { access_level = { [Op.gt] = 5 } } }))
      end)

      it("should be able to unscope", function()
        assert.equal(4, ScopeMe:unscoped():aggregate("*", "count"))
      end)

      it("should be able to apply other scopes", function()
        assert.equal(3, ScopeMe:scope("lowAccess"):aggregate("*", "count"))
      end)

      it("should be able to merge scopes with where", function()
        assert.equal(1, ScopeMe:scope("lowAccess"):aggregate("*", "count", { where = { username = "dan" } }))
      end)

      it("should be able to use where on include", function()
        assert.equal(1, ScopeMe:scope("withInclude"):aggregate("ScopeMe.id", "count", {
          plain = true,
          dataType = DataTypes.INTEGER,
          includeIgnoreAttributes = false,
          limit = Sequelize.null,
          offset = Sequelize.null,
          order = Sequelize.null,
          attributes = {},
        }))
      end)
    end)
  end)
end)
