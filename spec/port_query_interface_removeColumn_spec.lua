-- Port of Sequelize v6's test/integration/query-interface/removeColumn.test.js (branch v6),
-- sqlite dialect.
-- Skipped: the four tests of "(with a schema)" (Postgres schemas).
-- Translation: a fresh :memory: database per test (Sequelize's beforeEach creates the table anew).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("QueryInterface removeColumn (port of query-interface/removeColumn.test.js)", function()
  describe("(without a schema)", function()
    local sequelize, queryInterface
    before_each(function()
      sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
      queryInterface = sequelize:getQueryInterface()
      queryInterface:createTable("users", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        firstName = { type = DataTypes.STRING, defaultValue = "Someone" },
        lastName = { type = DataTypes.STRING },
        manager = { type = DataTypes.INTEGER, references = { model = "users", key = "id" } },
        email = { type = DataTypes.STRING, unique = true },
      })
    end)
    after_each(function() sequelize:close() end)

    it("should be able to remove a column with a default value", function()
      queryInterface:removeColumn("users", "firstName")
      local tbl = queryInterface:describeTable("users")
      assert.is_nil(tbl.firstName)
    end)

    it("should be able to remove a column without default value", function()
      queryInterface:removeColumn("users", "lastName")
      local tbl = queryInterface:describeTable("users")
      assert.is_nil(tbl.lastName)
    end)

    it("should be able to remove a column with a foreign key constraint", function()
      queryInterface:removeColumn("users", "manager")
      local tbl = queryInterface:describeTable("users")
      assert.is_nil(tbl.manager)
    end)

    it("should be able to remove a column with primaryKey", function()
      queryInterface:removeColumn("users", "manager")
      local table0 = queryInterface:describeTable("users")
      assert.is_nil(table0.manager)
      queryInterface:removeColumn("users", "id")
      local tbl = queryInterface:describeTable("users")
      assert.is_nil(tbl.id)
    end)

    it("should be able to remove a column with unique contraint", function()
      queryInterface:removeColumn("users", "email")
      local tbl = queryInterface:describeTable("users")
      assert.is_nil(tbl.email)
    end)
  end)
end)
