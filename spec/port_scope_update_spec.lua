-- Port of Sequelize v6's test/integration/model/scope/update.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope/update.test.js)", function()
  describe("scope", function()
    describe("update", function()
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
        ScopeMe:update({ username = "ruben" }, { where = {} })
        local users = ScopeMe:unscoped():findAll({ where = { username = "ruben" } })
        assert.equal(2, #users)
        assert.equal("tobi@fakeemail.com", users[1]:get("email"))
        assert.equal("dan@sequelizejs.com", users[2]:get("email"))
      end)

      it("should be able to override default scope", function()
        ScopeMe:update({ username = "ruben" }, { where = { access_level = { [Op.lt] = 5 } } })
        local users = ScopeMe:unscoped():findAll({ where = { username = "ruben" } })
        assert.equal(2, #users)
        assert.equal("tony@sequelizejs.com", users[1]:get("email"))
        assert.equal("fred@foobar.com", users[2]:get("email"))
      end)

      it("should be able to unscope destroy", function()
        ScopeMe:unscoped():update({ username = "ruben" }, { where = {} })
        local rubens = ScopeMe:unscoped():findAll()
        for _, r in ipairs(rubens) do assert.equal("ruben", r:get("username")) end
      end)

      it("should be able to apply other scopes", function()
        ScopeMe:scope("lowAccess"):update({ username = "ruben" }, { where = {} })
        local users = ScopeMe:unscoped():findAll({ where = { username = { [Op.ne] = "ruben" } } })
        assert.equal(1, #users)
        assert.equal("tobi@fakeemail.com", users[1]:get("email"))
      end)

      it("should be able to merge scopes with where", function()
        ScopeMe:scope("lowAccess"):update({ username = "ruben" }, { where = { username = "dan" } })
        local users = ScopeMe:unscoped():findAll({ where = { username = "ruben" } })
        assert.equal(1, #users)
        assert.equal("dan@sequelizejs.com", users[1]:get("email"))
      end)

      it("should work with empty where", function()
        ScopeMe:scope("lowAccess"):update({ username = "ruby" })
        local users = ScopeMe:unscoped():findAll({ where = { username = "ruby" } })
        assert.equal(3, #users)
        for _, user in ipairs(users) do assert.equal("ruby", user:get("username")) end
      end)
    end)
  end)
end)
