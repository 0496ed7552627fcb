-- Port of Sequelize v6's test/integration/query-interface/createTable.test.js (branch v6),
-- sqlite dialect.
-- Skipped: none. The enum tests' describeTable checks are Postgres-only (`special`), so on
-- sqlite they check that the table is made and described, as Sequelize's do there; the
-- schema tests use Sequelize's sqlite form (`schema.table` as the table's name).
-- Translation: one :memory: database per describe, each test on its own table names where
-- Sequelize's afterEach dropped them (the enum tests drop SomeTable first).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("QueryInterface (port of query-interface/createTable.test.js)", function()
  describe("createTable", function()
    local sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
    local queryInterface = sequelize:getQueryInterface()

    it("should create a auto increment primary key", function()
      queryInterface:createTable("TableWithPK", {
        table_id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      })
      local result = queryInterface:describeTable("TableWithPK")
      -- mssql / mysql / mariadb / postgres check autoIncrement or the sequence; sqlite: described
      assert.is_true(result.table_id.primaryKey)
    end)

    it("should create unique constraint with uniqueKeys", function()
      queryInterface:createTable("MyTable", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        name = { type = DataTypes.STRING },
        email = { type = DataTypes.STRING },
      }, {
        uniqueKeys = {
          myCustomIndex = { fields = { "name", "email" } },
          myOtherIndex = { fields = { "name" } },
        },
      })
      local indexes = queryInterface:showIndex("MyTable")
      -- name + email
      assert.is_true(indexes[1].unique)
      assert.are.equal("name", indexes[1].fields[1].attribute)
      assert.are.equal("email", indexes[1].fields[2].attribute)
      -- name
      assert.is_true(indexes[2].unique)
      assert.are.equal("name", indexes[2].fields[1].attribute)
    end)

    it("should work with schemas", function()
      sequelize:createSchema("hero")
      queryInterface:createTable("User", {
        name = { type = DataTypes.STRING },
      }, { schema = "hero" })
    end)

    describe("enums", function()
      before_each(function() queryInterface:dropTable("SomeTable") end)

      it("should work with enums (1)", function()
        queryInterface:createTable("SomeTable", {
          someEnum = DataTypes.ENUM("value1", "value2", "value3"),
        })
        local tbl = queryInterface:describeTable("SomeTable")
        assert.is_truthy(tbl.someEnum)
      end)

      it("should work with enums (2)", function()
        queryInterface:createTable("SomeTable", {
          someEnum = { type = DataTypes.ENUM, values = { "value1", "value2", "value3" } },
        })
        local tbl = queryInterface:describeTable("SomeTable")
        assert.is_truthy(tbl.someEnum)
      end)

      it("should work with enums (3)", function()
        queryInterface:createTable("SomeTable", {
          someEnum = { type = DataTypes.ENUM, values = { "value1", "value2", "value3" }, field = "otherName" },
        })
        local tbl = queryInterface:describeTable("SomeTable")
        assert.is_truthy(tbl.otherName)
      end)

      it("should work with enums (4)", function()
        queryInterface:createSchema("archive")
        queryInterface:createTable("SomeTable", {
          someEnum = { type = DataTypes.ENUM, values = { "value1", "value2", "value3" }, field = "otherName" },
        }, { schema = "archive" })
        local tbl = queryInterface:describeTable("SomeTable", { schema = "archive" })
        assert.is_truthy(tbl.otherName)
      end)

      it("should work with enums (5)", function()
        queryInterface:createTable("SomeTable", {
          someEnum = { type = DataTypes.ENUM({ "COMMENT" }), comment = "special enum col" },
        })
        local tbl = queryInterface:describeTable("SomeTable")
        assert.is_truthy(tbl.someEnum)
      end)
    end)
  end)
end)
