-- Port of Sequelize v6's test/integration/query-interface/changeColumn.test.js (branch v6),
-- sqlite dialect.
-- Skipped: "should support foreign keys" (its three tests: run on every dialect but sqlite).
-- Translation: one :memory: database per describe; each test drops its tables first, where
-- Sequelize's afterEach dropped them. The schema tests use Sequelize's sqlite form (the table
-- `archive.users`).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("QueryInterface (port of query-interface/changeColumn.test.js)", function()
  describe("changeColumn", function()
    local sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
    local queryInterface = sequelize:getQueryInterface()
    before_each(function() queryInterface:dropAllTables() end)

    it("should support schemas", function()
      sequelize:createSchema("archive")
      queryInterface:createTable({ tableName = "users", schema = "archive" }, {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        currency = DataTypes.INTEGER,
      })
      queryInterface:changeColumn({ tableName = "users", schema = "archive" }, "currency", { type = DataTypes.FLOAT })
      local tbl = queryInterface:describeTable({ tableName = "users", schema = "archive" })
      assert.are.equal("FLOAT", tbl.currency.type)
    end)

    it("should change columns", function()
      queryInterface:createTable({ tableName = "users" }, {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        currency = DataTypes.INTEGER,
      })
      queryInterface:changeColumn("users", "currency", { type = DataTypes.FLOAT, allowNull = true })
      local tbl = queryInterface:describeTable({ tableName = "users" })
      assert.are.equal("FLOAT", tbl.currency.type)
    end)

    it("should work with enums (case 1)", function()
      queryInterface:createTable({ tableName = "users" }, { firstName = DataTypes.STRING })
      queryInterface:changeColumn("users", "firstName", { type = DataTypes.ENUM({ "value1", "value2", "value3" }) })
    end)

    it("should work with enums (case 2)", function()
      queryInterface:createTable({ tableName = "users" }, { firstName = DataTypes.STRING })
      queryInterface:changeColumn("users", "firstName", { type = DataTypes.ENUM, values = { "value1", "value2", "value3" } })
    end)

    it("should work with enums with schemas", function()
      sequelize:createSchema("archive")
      queryInterface:createTable({ tableName = "users", schema = "archive" }, { firstName = DataTypes.STRING })
      queryInterface:changeColumn({ tableName = "users", schema = "archive" }, "firstName", {
        type = DataTypes.ENUM({ "value1", "value2", "value3" }),
      })
    end)

    it("should not remove unique constraints when adding or modifying columns", function()
      queryInterface:createTable({ tableName = "Foos" }, {
        id = { allowNull = false, autoIncrement = true, primaryKey = true, type = DataTypes.INTEGER },
        name = { allowNull = false, unique = true, type = DataTypes.STRING },
        email = { allowNull = false, unique = true, type = DataTypes.STRING },
      })
      queryInterface:addColumn("Foos", "phone", { type = DataTypes.STRING, defaultValue = Sequelize.null, allowNull = true })
      local tbl = queryInterface:describeTable({ tableName = "Foos" })
      assert.are.equal(true, tbl.phone.allowNull, "(1) phone column should allow null values")
      assert.are.equal(Sequelize.null, tbl.phone.defaultValue, "(1) phone column should have a default value of null")
      assert.are.equal(true, tbl.email.unique, "(1) email column should remain unique")
      assert.are.equal(true, tbl.name.unique, "(1) name column should remain unique")
      queryInterface:changeColumn("Foos", "email", { type = DataTypes.STRING, allowNull = true })
      tbl = queryInterface:describeTable({ tableName = "Foos" })
      assert.are.equal(true, tbl.email.allowNull, "(2) email column should allow null values")
      assert.are.equal(true, tbl.email.unique, "(2) email column should remain unique")
      assert.are.equal(true, tbl.name.unique, "(2) name column should remain unique")
    end)

    it("should add unique constraints to 2 columns and keep allowNull", function()
      queryInterface:createTable({ tableName = "Foos" }, {
        id = { allowNull = false, autoIncrement = true, primaryKey = true, type = DataTypes.INTEGER },
        name = { allowNull = false, type = DataTypes.STRING },
        email = { allowNull = true, type = DataTypes.STRING },
      })
      queryInterface:changeColumn("Foos", "name", { type = DataTypes.STRING, unique = true })
      queryInterface:changeColumn("Foos", "email", { type = DataTypes.STRING, unique = true })
      local tbl = queryInterface:describeTable({ tableName = "Foos" })
      assert.are.equal(false, tbl.name.allowNull)
      assert.are.equal(true, tbl.name.unique)
      assert.are.equal(true, tbl.email.allowNull)
      assert.are.equal(true, tbl.email.unique)
    end)

    it("should not remove foreign keys when adding or modifying columns", function()
      local Task = sequelize:define("Task", { title = DataTypes.STRING })
      local User = sequelize:define("User", { username = DataTypes.STRING })
      User:hasOne(Task)
      User:sync({ force = true })
      Task:sync({ force = true })
      local function check(refs, msg)
        assert.are.equal(1, #refs, msg)
        assert.are.equal("UserId", refs[1].columnName)
        assert.are.equal("Users", refs[1].referencedTableName)
        assert.are.equal("id", refs[1].referencedColumnName)
      end
      queryInterface:addColumn("Tasks", "bar", DataTypes.INTEGER)
      check(queryInterface:getForeignKeyReferencesForTable("Tasks"), "should keep foreign key after adding column")
      queryInterface:changeColumn("Tasks", "bar", DataTypes.STRING)
      check(queryInterface:getForeignKeyReferencesForTable("Tasks"), "should keep foreign key after changing column")
      queryInterface:renameColumn("Tasks", "bar", "foo")
      check(queryInterface:getForeignKeyReferencesForTable("Tasks"), "should keep foreign key after renaming column")
    end)
  end)
end)
