-- Port of Sequelize v6's test/integration/model/scope/find.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

local function one_of(list, v)
  for _, x in ipairs(list) do if x == v then return true end end
  return false
end

describe("Model (port of scope/find.test.js)", function()
  describe("scopes", function()
    local db, ScopeMe, DefaultScopeExclude
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      ScopeMe = db:define("ScopeMe", {
        username = DataTypes.STRING,
        email = DataTypes.STRING,
        access_level = DataTypes.INTEGER,
        other_value = DataTypes.INTEGER,
        parent_id = DataTypes.INTEGER,
      }, {
        defaultScope = { where = { access_level = { [Op.gte] = 5 } } },
        scopes = {
          highValue = { where = { other_value = { [Op.gte] = 10 } } },
          andScope = {
            where = { [Op.and_] = {
              { email = { [Op.like] = "%@sequelizejs.com" } },
              { access_level = 3 },
            } },
          },
        },
      })
      DefaultScopeExclude = db:define("DefaultScopeExclude", {
        name = DataTypes.STRING,
        other_value = { type = DataTypes.STRING, field = "otherValue" },
      }, { defaultScope = { attributes = { exclude = { "name" } } } })
      ScopeMe:hasMany(DefaultScopeExclude)
      db:sync({ force = true })
      ScopeMe:bulkCreate({
        { username = "tony", email = "tony@sequelizejs.com", access_level = 3, other_value = 7, parent_id = 1 },
        { username = "tobi", email = "tobi@fakeemail.com", access_level = 10, other_value = 11, parent_id = 2 },
        { username = "dan", email = "dan@sequelizejs.com", access_level = 5, other_value = 10, parent_id = 1 },
        { username = "fred", email = "fred@foobar.com", access_level = 3, other_value = 7, parent_id = 1 },
      })
    end)
    after_each(function() db:close() end)

    it("should be able use where in scope", function()
      local users = ScopeMe:scope({ where = { parent_id = 2 } }):findAll()
      assert.equal(1, #users)
      assert.equal("tobi", users[1].username)
    end)

    it("should be able to combine scope and findAll where clauses", function()
      local users = ScopeMe:scope({ where = { parent_id = 1 } }):findAll({ where = { access_level = 3 } })
      assert.equal(2, #users)
      assert.is_true(one_of({ "tony", "fred" }, users[1].username))
      assert.is_true(one_of({ "tony", "fred" }, users[2].username))
    end)

    it("should be able to use a defaultScope if declared", function()
      local users = ScopeMe:findAll()
      assert.equal(2, #users)
      assert.is_true(one_of({ 10, 5 }, users[1].access_level))
      assert.is_true(one_of({ 10, 5 }, users[2].access_level))
      assert.is_true(one_of({ "dan", "tobi" }, users[1].username))
      assert.is_true(one_of({ "dan", "tobi" }, users[2].username))
    end)

    it("should be able to handle $and in scopes", function()
      local users = ScopeMe:scope("andScope"):findAll()
      assert.equal(1, #users)
      assert.equal("tony", users[1].username)
    end)

    describe("should not overwrite", function()
      it("default scope with values from previous finds", function()
        local users0 = ScopeMe:findAll({ where = { other_value = 10 } })
        assert.equal(1, #users0)
        local users = ScopeMe:findAll()
        assert.equal(2, #users) -- (without other_value = 10)
      end)

      it("other scopes with values from previous finds", function()
        local users0 = ScopeMe:scope("highValue"):findAll({ where = { access_level = 10 } })
        assert.equal(1, #users0)
        local users = ScopeMe:scope("highValue"):findAll()
        assert.equal(2, #users)
      end)
    end)

    it("should have no problem performing findOrCreate", function()
      local user = ScopeMe:findOrCreate({ where = { username = "fake" } })
      assert.equal("fake", user.username)
    end)

    it("should work when included with default scope", function()
      ScopeMe:findOne({ include = { DefaultScopeExclude } })
    end)
  end)

  describe("scope in associations", function()
    it("should work when association with a virtual column queried with default scope", function()
      local db = Sequelize.new("sqlite::memory:")
      local Game = db:define("Game", { name = DataTypes.TEXT })
      local User = db:define("User", {
        login = DataTypes.TEXT,
        session = { type = DataTypes.VIRTUAL, get = function() return "New" end },
      }, { defaultScope = { attributes = { exclude = { "login" } } } })
      Game:hasMany(User)
      db:sync({ force = true })
      local games = Game:findAll({ include = { { model = User } } })
      assert.equal(0, #games)
      db:close()
    end)
  end)
end)
