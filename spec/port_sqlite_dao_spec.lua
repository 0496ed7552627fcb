-- Port of Sequelize v6's test/integration/dialects/sqlite/dao.test.js (branch v6), sqlite dialect.
-- Skipped:
--   json: should be able to retrieve a row with json_extract function, and ... by json_type function:
--     Sequelize.json's path naming SQL JSON functions is raw SQL there; here the path is an attribute
--     path, always bound (README, "Decisions that differ": `Op.col` and `Sequelize.json`)
-- `new Date(y, m, d)` (local time) is written as the ISO string of that day in UTC;
-- `user.dataValues.createdAt = d` as `user:setDataValue("createdAt", d)` (dataValues is a copy here).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("[SQLITE Specific] DAO (port of dialects/sqlite/dao.test.js)", function()
  local db, User, Project

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = DataTypes.STRING,
      emergency_contact = DataTypes.JSON,
      emergencyContact = DataTypes.JSON,
      dateField = { type = DataTypes.DATE, field = "date_field" },
    })
    Project = db:define("project", {
      dateField = { type = DataTypes.DATE, field = "date_field" },
    })
    User:hasMany(Project)
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("findAll", function()
    it("handles dates correctly", function()
      local user = User:build({ username = "user" })
      user:setDataValue("createdAt", "2011-05-04T00:00:00.000Z")
      user:save()
      User:create({ username = "new user" })
      local users = User:findAll({ where = { createdAt = { [Op.gt] = "2012-02-01T00:00:00.000Z" } } })
      assert.are.equal(1, #users)
    end)

    it("handles dates with aliasses correctly #3611", function()
      User:create({ dateField = "2010-11-10T00:00:00.000Z" })
      local obj = User:findAll()
      local user = obj[1]
      assert.are.equal("2010-11-10T00:00:00.000Z", user:get("dateField"))
    end)

    it("handles dates in includes correctly #2644", function()
      User:create({ projects = { { dateField = "1990-06-05T00:00:00.000Z" } } }, { include = { Project } })
      local obj = User:findAll({ include = { Project } })
      local user = obj[1]
      assert.are.equal("1990-06-05T00:00:00.000Z", user.projects[1]:get("dateField"))
    end)
  end)

  describe("regression tests", function()
    it("do not crash while parsing unique constraint errors", function()
      local Payments = db:define("payments", {})
      Payments:sync({ force = true })
      local err = support.catch_error(function()
        Payments:bulkCreate({ { id = 1 }, { id = 1 } }, { ignoreDuplicates = false })
      end)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.equal(0, Payments:count())
    end)
  end)
end)
