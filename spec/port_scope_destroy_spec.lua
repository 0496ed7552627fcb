-- Port of Sequelize v6's test/integration/model/scope/destroy.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope/destroy.test.js)", function()
  describe("scope", function()
    describe("destroy", function()
      local db, ScopeMe
      before_each(function()
        db = Sequelize.new("sqlite::memory:")
        ScopeMe = db:define("ScopeMe", {
          username = DataTypes.STRING,
          email = DataTypes.STRING,
          access_level = DataTypes.INTEGER,
          other_value = DataTypes.INTEGER,
        }, {
          defaultScope = { where = { access_level = { [Op.gte] = 5 } } },
          scopes = { lowAccess = { where = { access_level = { [Op.lte] = 5 } } } },
        })
        db:sync({ force = true })
        ScopeMe:bulkCreate({
          { username = "tony", email = "tony@sequelizejs.com", access_level = 3, other_value = 7 },
          { username = "tobi", email = "tobi@fakeemail.com", access_level = 10, other_value = 11 },
          { username = "dan", email = "dan@sequelizejs.com", access_level = 5, other_value = 10 },
          { username = "fred", email = "fred@foobar.com", access_level = 3, other_value = 7 },
        })
      end)
      after_each(function() db:close() end)

      it("should apply defaultScope", function()
        ScopeMe:destroy({ where = {} })
        local users = ScopeMe:unscoped():findAll()
        assert.equal(2, #users)
        assert.equal("tony", users[1]:get("username"))
        assert.equal("fred", users[2]:get("username"))
      end)

      it("should be able to override default scope", function()
        ScopeMe:destroy({ where = { access_level = { [Op.lt] = 5 } } })
        local users = ScopeMe:unscoped():findAll()
        assert.equal(2, #users)
        assert.equal("tobi", users[1]:get("username"))
        assert.equal("dan", users[2]:get("username"))
      end)

      it("should be able to unscope destroy", function()
        ScopeMe:unscoped():destroy({ where = {} })
        assert.equal(0, #ScopeMe:unscoped():findAll())
      end)

      it("should be able to apply other scopes", function()
        ScopeMe:scope("lowAccess"):destroy({ where = {} })
        local users = ScopeMe:unscoped():findAll()
        assert.equal(1, #users)
        assert.equal("tobi", users[1]:get("username"))
      end)

      it("should be able to merge scopes with where", function()
        ScopeMe:scope("lowAccess"):destroy({ where = { username = "dan" } })
        local users = ScopeMe:unscoped():findAll()
        assert.equal(3, #users)
        assert.equal("tony", users[1]:get("username"))
        assert.equal("tobi", users[2]:get("username"))
        assert.equal("fred", users[3]:get("username"))
      end)

      it("should work with empty where", function()
        ScopeMe:scope("lowAccess"):destroy()
        local users = ScopeMe:unscoped():findAll()
        assert.equal(1, #users)
        assert.equal("tobi", users[1]:get("username"))
      end)
    end)
  end)
end)
