-- Port of Sequelize v6's test/integration/model/scope.test.js (branch v6), sqlite dialect.
-- Skipped: none. The four tests only read, so they share one database and one model.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope.test.js)", function()
  describe("scope", function()
    local db, ScopeMe
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      ScopeMe = db:define("ScopeMe", {
        username = DataTypes.STRING,
        email = DataTypes.STRING,
        access_level = DataTypes.INTEGER,
        other_value = DataTypes.INTEGER,
      }, {
        scopes = {
          lowAccess = {
            attributes = { "other_value", "access_level" },
            where = { access_level = { [Op.lte] = 5 } },
          },
          withName = { attributes = { "username" } },
          highAccess = {
            where = { [Op.or_] = {
              { access_level = { [Op.gte] = 5 } },
              { access_level = { [Op.eq] = 10 } },
            } },
          },
          lessThanFour = { where = { [Op.and_] = { { access_level = { [Op.lt] = 4 } } } } },
          issue8473 = {
            where = { [Op.or_] = { access_level = 3, other_value = 10 }, access_level = 5 },
          },
          like_t = {
            where = Sequelize.where(Sequelize.fn("LOWER", Sequelize.col("username")), "LIKE", "%t%"),
          },
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

    it("should be able to merge attributes as array", function()
      local record = ScopeMe:scope("lowAccess", "withName"):findOne()
      assert.is_not_nil(record.other_value)
      assert.is_not_nil(record.username)
      assert.is_not_nil(record.access_level)
    end)

    it("should work with Symbol operators", function()
      local record = ScopeMe:scope("highAccess"):findOne()
      assert.equal("tobi", record.username)
      local records0 = ScopeMe:scope("lessThanFour"):findAll()
      assert.equal(2, #records0)
      assert.equal(3, records0[1]:get("access_level"))
      assert.equal(3, records0[2]:get("access_level"))
      local records = ScopeMe:scope("issue8473"):findAll()
      assert.equal(1, #records)
      assert.equal(5, records[1]:get("access_level"))
      assert.equal(10, records[1]:get("other_value"))
    end)

    it("should keep symbols after default assignment", function()
      local record = ScopeMe:scope("highAccess"):findOne()
      assert.equal("tobi", record.username)
      local records = ScopeMe:scope("lessThanFour"):findAll({ where = {} })
      assert.equal(2, #records)
      assert.equal(3, records[1]:get("access_level"))
      assert.equal(3, records[2]:get("access_level"))
      ScopeMe:scope("issue8473"):findAll()
    end)

    it("should not throw error with sequelize.where", function()
      local records = ScopeMe:scope("like_t"):findAll()
      assert.equal(2, #records)
    end)
  end)
end)
