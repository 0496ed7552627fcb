-- Port of Sequelize v6's test/integration/query-interface.test.js (branch v6), sqlite dialect.
-- Skipped:
-- - "should not show tables in other databases", "should show all tables in all databases":
--   not run on sqlite in Sequelize's CI.
-- - indexes "works with schemas", renameColumn "works with schemas", addColumn "should work
--   with schemas": Postgres schemas.
-- - "should be able to add a column of type of array of enums": postgres only.
-- - constraints "default": not supported on sqlite (Sequelize's supports.constraints.default).
-- - constraints "unique" ("should add, read & remove unique constraint", "should add a
--   constraint after another"): addConstraint's unique constraint is a UNIQUE index here, which
--   showConstraint does not list (README, the query interface's addConstraint); Sequelize's
--   sqlite rebuilds the table with a `CONSTRAINT name UNIQUE` clause and lists it.
-- Translation: a fresh :memory: database per test (Sequelize's support empties its database
-- between tests); "should get a list of foreign keys for the table" runs the statement
-- Sequelize's sqlite getForeignKeysQuery writes (`PRAGMA foreign_key_list(hosts)`), as
-- sequelua has no queryGenerator.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local support = require("spec.support")

local function contains(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

local function names(rows, key)
  local out, seen = {}, {}
  for _, r in ipairs(rows) do
    if not seen[r[key]] then seen[r[key]] = true; out[#out + 1] = r[key] end
  end
  return out
end

describe("QueryInterface (port of query-interface.test.js)", function()
  local sequelize, queryInterface
  before_each(function()
    sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
    queryInterface = sequelize:getQueryInterface()
  end)
  after_each(function() sequelize:close() end)

  describe("dropAllSchema", function()
    it("should drop all schema", function()
      queryInterface:dropAllSchemas({ skip = { sequelize.config.database } })
      queryInterface:showAllSchemas()
      queryInterface:createSchema("newSchema")
      queryInterface:showAllSchemas()
      -- (sqlite: no schemas, Sequelize's test stops here)
    end)
  end)

  describe("showAllTables", function()
    it("should not contain views", function()
      queryInterface:createTable("my_test_table", { name = DataTypes.STRING })
      sequelize:query("DROP VIEW IF EXISTS V_Fail")
      sequelize:query("CREATE VIEW V_Fail AS SELECT 1 Id")
      local tableNames = queryInterface:showAllTables()
      sequelize:query("DROP VIEW IF EXISTS V_Fail")
      assert.are.same({ "my_test_table" }, tableNames)
    end)
  end)

  describe("renameTable", function()
    it("should rename table", function()
      queryInterface:createTable("my_test_table", { name = DataTypes.STRING })
      queryInterface:renameTable("my_test_table", "my_test_table_new")
      local tableNames = queryInterface:showAllTables()
      assert.is_true(contains(tableNames, "my_test_table_new"))
      assert.is_false(contains(tableNames, "my_test_table"))
    end)
  end)

  describe("dropAllTables", function()
    it("should drop all tables", function()
      queryInterface:dropAllTables()
      assert.are.equal(0, #queryInterface:showAllTables())
      queryInterface:createTable("table", { name = DataTypes.STRING })
      assert.are.equal(1, #queryInterface:showAllTables())
      queryInterface:dropAllTables()
      assert.are.equal(0, #queryInterface:showAllTables())
    end)

    it("should be able to skip given tables", function()
      queryInterface:createTable("skipme", { name = DataTypes.STRING })
      queryInterface:dropAllTables({ skip = { "skipme" } })
      local tableNames = queryInterface:showAllTables()
      assert.is_true(contains(tableNames, "skipme"))
    end)
  end)

  describe("indexes", function()
    before_each(function()
      queryInterface:dropTable("Group")
      queryInterface:createTable("Group", {
        username = DataTypes.STRING,
        isAdmin = DataTypes.BOOLEAN,
        from = DataTypes.STRING,
      })
    end)

    it("adds, reads and removes an index to the table", function()
      queryInterface:addIndex("Group", { "username", "isAdmin" })
      local indexes = queryInterface:showIndex("Group")
      local indexColumns = names(indexes, "name")
      assert.is_true(contains(indexColumns, "group_username_is_admin"))
      queryInterface:removeIndex("Group", { "username", "isAdmin" })
      indexes = queryInterface:showIndex("Group")
      indexColumns = names(indexes, "name")
      assert.are.equal(0, #indexColumns)
    end)

    it("does not fail on reserved keywords", function()
      queryInterface:addIndex("Group", { "from" })
    end)
  end)

  describe("renameColumn", function()
    it("rename a simple column", function()
      local Users = sequelize:define("_Users", { username = DataTypes.STRING }, { freezeTableName = true })
      Users:sync({ force = true })
      queryInterface:renameColumn("_Users", "username", "pseudo")
      local tbl = queryInterface:describeTable("_Users")
      assert.is_truthy(tbl.pseudo)
      assert.is_nil(tbl.username)
    end)

    it("rename a column non-null without default value", function()
      local Users = sequelize:define("_Users", {
        username = { type = DataTypes.STRING, allowNull = false },
      }, { freezeTableName = true })
      Users:sync({ force = true })
      queryInterface:renameColumn("_Users", "username", "pseudo")
      local tbl = queryInterface:describeTable("_Users")
      assert.is_truthy(tbl.pseudo)
      assert.is_nil(tbl.username)
    end)

    it("rename a boolean column non-null without default value", function()
      local Users = sequelize:define("_Users", {
        active = { type = DataTypes.BOOLEAN, allowNull = false, defaultValue = false },
      }, { freezeTableName = true })
      Users:sync({ force = true })
      queryInterface:renameColumn("_Users", "active", "enabled")
      local tbl = queryInterface:describeTable("_Users")
      assert.is_truthy(tbl.enabled)
      assert.is_nil(tbl.active)
    end)

    it("renames a column primary key autoIncrement column", function()
      local Fruits = sequelize:define("Fruit", {
        fruitId = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      }, { freezeTableName = true })
      Fruits:sync({ force = true })
      queryInterface:renameColumn("Fruit", "fruitId", "fruit_id")
      local tbl = queryInterface:describeTable("Fruit")
      assert.is_truthy(tbl.fruit_id)
      assert.is_nil(tbl.fruitId)
    end)

    it("shows a reasonable error message when column is missing", function()
      local Users = sequelize:define("_Users", { username = DataTypes.STRING }, { freezeTableName = true })
      Users:sync({ force = true })
      local err = support.catch(queryInterface.renameColumn, queryInterface, "_Users", "email", "pseudo")
      assert.truthy(tostring(err.message or err):find("Table _Users doesn't have the column email", 1, true), tostring(err))
    end)
  end)

  describe("addColumn", function()
    before_each(function()
      sequelize:createSchema("archive")
      queryInterface:createTable("users", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      })
    end)

    it("should be able to add a foreign key reference", function()
      queryInterface:createTable("level", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      })
      queryInterface:addColumn("users", "level_id", {
        type = DataTypes.INTEGER,
        references = { model = "level", key = "id" },
        onUpdate = "cascade",
        onDelete = "set null",
      })
      local tbl = queryInterface:describeTable("users")
      assert.is_truthy(tbl.level_id)
    end)

    it("addColumn expected error", function()
      queryInterface:createTable("level2", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      })
      local function testArgs(...)
        local err = support.catch(queryInterface.addColumn, queryInterface, ...)
        assert.are.equal("addColumn takes at least 3 arguments (table, attribute name, attribute definition)",
                         err.message or err)
      end
      testArgs("users", "level_id")
      testArgs(nil, "level_id")
      testArgs("users", nil, {})
    end)

    it("should work with enums (1)", function()
      queryInterface:addColumn("users", "someEnum", DataTypes.ENUM("value1", "value2", "value3"))
    end)

    it("should work with enums (2)", function()
      queryInterface:addColumn("users", "someOtherEnum", {
        type = DataTypes.ENUM,
        values = { "value1", "value2", "value3" },
      })
    end)
  end)

  describe("describeForeignKeys", function()
    before_each(function()
      queryInterface:createTable("users", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      })
      queryInterface:createTable("hosts", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        admin = { type = DataTypes.INTEGER, references = { model = "users", key = "id" } },
        operator = { type = DataTypes.INTEGER, references = { model = "users", key = "id" }, onUpdate = "cascade" },
        owner = {
          type = DataTypes.INTEGER,
          references = { model = "users", key = "id" },
          onUpdate = "cascade",
          onDelete = "set null",
        },
      })
    end)

    it("should get a list of foreign keys for the table", function()
      local foreignKeys = sequelize:query("PRAGMA foreign_key_list(`hosts`);", { type = "SELECT" })
      assert.are.equal(3, #foreignKeys)
      local n = 0
      for _ in pairs(foreignKeys[1]) do n = n + 1 end
      assert.are.equal(8, n)
    end)

    it("should get a list of foreign key references details for the table", function()
      local references = queryInterface:getForeignKeyReferencesForTable("hosts", {})
      assert.are.equal(3, #references)
      local columnNames = {}
      for _, ref in ipairs(references) do
        assert.are.equal("hosts", ref.tableName)
        assert.are.equal("id", ref.referencedColumnName)
        assert.are.equal("users", ref.referencedTableName)
        columnNames[#columnNames + 1] = ref.columnName
      end
      table.sort(columnNames)
      assert.are.same({ "admin", "operator", "owner" }, columnNames)
    end)
  end)

  describe("constraints", function()
    local function constraintNames(tbl)
      return names(queryInterface:showConstraint(tbl), "constraintName")
    end
    before_each(function()
      sequelize:define("users", {
        username = DataTypes.STRING,
        email = DataTypes.STRING,
        roles = DataTypes.STRING,
      })
      sequelize:define("posts", { username = DataTypes.STRING })
      sequelize:sync({ force = true })
    end)

    describe("check", function()
      it("should add, read & remove check constraint", function()
        queryInterface:addConstraint("users", {
          type = "check",
          fields = { "roles" },
          where = { roles = { "user", "admin", "guest", "moderator" } },
          name = "check_user_roles",
        })
        assert.is_true(contains(constraintNames("users"), "check_user_roles"))
        queryInterface:removeConstraint("users", "check_user_roles")
        assert.is_false(contains(constraintNames("users"), "check_user_roles"))
      end)

      it("addconstraint missing type", function()
        local err = support.catch(queryInterface.addConstraint, queryInterface, "users", {
          fields = { "roles" },
          where = { roles = { "user", "admin", "guest", "moderator" } },
          name = "check_user_roles",
        })
        assert.are.equal("Constraint type must be specified through options.type", err.message or err)
      end)
    end)

    describe("primary key", function()
      it("should add, read & remove primary key constraint", function()
        queryInterface:removeColumn("users", "id")
        queryInterface:changeColumn("users", "username", { type = DataTypes.STRING, allowNull = false })
        queryInterface:addConstraint("users", { fields = { "username" }, type = "PRIMARY KEY" })
        assert.is_true(contains(constraintNames("users"), "users_username_pk"))
        queryInterface:removeConstraint("users", "users_username_pk")
        assert.is_false(contains(constraintNames("users"), "users_username_pk"))
      end)
    end)

    describe("foreign key", function()
      it("should add, read & remove foreign key constraint", function()
        queryInterface:removeColumn("users", "id")
        queryInterface:changeColumn("users", "username", { type = DataTypes.STRING, allowNull = false })
        queryInterface:addConstraint("users", { type = "PRIMARY KEY", fields = { "username" } })
        queryInterface:addConstraint("posts", {
          fields = { "username" },
          references = { table = "users", field = "username" },
          onDelete = "cascade",
          onUpdate = "cascade",
          type = "foreign key",
        })
        assert.is_true(contains(constraintNames("posts"), "posts_username_users_fk"))
        queryInterface:removeConstraint("posts", "posts_username_users_fk")
        assert.is_false(contains(constraintNames("posts"), "posts_username_users_fk"))
      end)
    end)

    describe("unknown constraint", function()
      it("should throw non existent constraints as UnknownConstraintError", function()
        local err = support.catch_error(queryInterface.removeConstraint, queryInterface, "users",
                                        "unknown__constraint__name", { type = "unique" })
        assert.is_true(err:is(Sequelize.errors.UnknownConstraintError))
        assert.are.equal("users", err.table)
        assert.are.equal("unknown__constraint__name", err.constraint)
      end)
    end)
  end)
end)
