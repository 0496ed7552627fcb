-- Port of Sequelize v6's test/integration/model/scope/count.test.js (branch v6), sqlite dialect.
-- Skipped: none. The tests only read, so they share one database and one set of models.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope/count.test.js)", function()
  describe("scope", function()
    describe("count", function()
      local db, Child, ScopeMe
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Child = db:define("Child", { priority = DataTypes.INTEGER })
        ScopeMe = db:define("ScopeMe", {
          username = DataTypes.STRING,
          email = DataTypes.STRING,
          aliasValue = { field = "alias_value", type = DataTypes.INTEGER },
          access_level = DataTypes.INTEGER,
          other_value = DataTypes.INTEGER,
        }, {
          defaultScope = {
            where = { access_level = { [Op.gte] = 5 } },
            attributes = { "id", "username", "email", "access_level" },
          },
          scopes = {
            lowAccess = { where = { access_level = { [Op.lte] = 5 } } },
            withOrder = { order = { "username" } },
            withInclude = { include = { { model = Child, where = { priority = 1 } } } },
            withIncludeFunction = function()
              return { include = { { model = Child, where = { priority = 1 } } } }
            end,
            withIncludeFunctionAndStringAssociation = function()
              return { include = { { association = "Children", where = { priority = 1 } } } }
            end,
            withAliasedField = { where = { aliasValue = { [Op.ne] = 1 } } },
          },
        })
        Child:belongsTo(ScopeMe)
        ScopeMe:hasMany(Child)
        db:sync({ force = true })
        ScopeMe:bulkCreate({
          { username = "tony", email = "tony@sequelizejs.com", access_level = 3, other_value = 7, aliasValue = 12 },
          { username = "tobi", email = "tobi@fakeemail.com", access_level = 10, other_value = 11, aliasValue = 5 },
          { username = "dan", email = "dan@sequelizejs.com", access_level = 5, other_value = 10, aliasValue = 1 },
          { username = "fred", email = "fred@foobar.com", access_level = 3, other_value = 7, aliasValue = 10 },
        })
        local records = ScopeMe:findAll()
        records[1]:createChild({ priority = 1 })
        records[2]:createChild({ priority = 2 })
      end)
      teardown(function() db:close() end)

      it("should apply defaultScope", function()
        assert.equal(2, ScopeMe:count())
      end)

      it("should be able to override default scope", function()
        assert.equal(1, ScopeMe:count({ where = { access_level = { [Op.gt] = 5 } } }))
      end)

      it("should be able to unscope", function()
        assert.equal(4, ScopeMe:unscoped():count())
      end)

      it("should be able to apply other scopes", function()
        assert.equal(3, ScopeMe:scope("lowAccess"):count())
      end)

      it("should be able to merge scopes with where", function()
        assert.equal(1, ScopeMe:scope("lowAccess"):count({ where = { username = "dan" } }))
      end)

      it("should be able to merge scopes with where on aliased fields", function()
        assert.equal(1, ScopeMe:scope("withAliasedField"):count({ where = { aliasValue = 5 } }))
      end)

      it("should ignore the order option if it is found within the scope", function()
        assert.equal(4, ScopeMe:scope("withOrder"):count())
      end)

      it("should be able to use where on include", function()
        assert.equal(1, ScopeMe:scope("withInclude"):count())
      end)

      it("should be able to use include with function scope", function()
        assert.equal(1, ScopeMe:scope("withIncludeFunction"):count())
      end)

      it("should be able to use include with function scope and string association", function()
        assert.equal(1, ScopeMe:scope("withIncludeFunctionAndStringAssociation"):count())
      end)
    end)
  end)
end)
