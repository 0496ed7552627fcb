-- Port of Sequelize v6's test/integration/model/schema.test.js (branch v6), in SQLite's form.
-- Sequelize runs that file only where `dialect.supports.schemas` (false for sqlite); its sqlite
-- dialect still gives a model with a schema the one table `schema.table`, and the tests ported
-- here were run in Node with Sequelize 6.37.8 on sqlite :memory: and pass there. The global
-- schema (`sequelize.options.schema`, set before a define) is every model's default schema.
-- Adapted: "should be able to sync model with schema": SQLite's index names are the database's,
--   so the second model's index `test_slug_idx` raises `index test_slug_idx already exists`, as
--   with Sequelize's sqlite (describeTable of the first works).
-- Skipped (one line each, why):
--   "schemas" describe, all but the regression above (7 tests): they use Model.schema(name);
--     spec/model_schema_copy_spec.lua ports those that need no include of a copy (not joined yet).
--   "defaults to schema provided to sync() for references #11276": postgres only.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local SCHEMA_ONE = "schema_one"
local SCHEMA_TWO = "schema_two"

describe("Model (port of model/schema.test.js)", function()
  describe("global schema", function()
    local current, RestaurantOne, LocationOne, RestaurantTwo, LocationTwo, locationId
    setup(function()
      current = Sequelize.new("sqlite::memory:")
      current.options.schema = nil
      RestaurantOne = current:define("restaurant", { foo = DataTypes.STRING, bar = DataTypes.STRING })
      LocationOne = current:define("location", { name = DataTypes.STRING })
      RestaurantOne:belongsTo(LocationOne, { foreignKey = "location_id", constraints = false })
      current.options.schema = SCHEMA_TWO
      RestaurantTwo = current:define("restaurant", { foo = DataTypes.STRING, bar = DataTypes.STRING })
      LocationTwo = current:define("location", { name = DataTypes.STRING })
      RestaurantTwo:belongsTo(LocationTwo, { foreignKey = "location_id", constraints = false })
      current.options.schema = nil
    end)
    teardown(function() current:close() end)

    before_each(function()
      current:createSchema(SCHEMA_TWO)
      RestaurantOne:sync({ force = true })
      RestaurantTwo:sync({ force = true })
    end)
    after_each(function() current:dropSchema(SCHEMA_TWO) end)

    describe("Add data via model.create, retrieve via model.findOne", function()
      it("should be able to sync model without schema option", function()
        assert.is_nil(RestaurantOne.options.schema)
        assert.are.equal(SCHEMA_TWO, RestaurantTwo.options.schema)
        assert.are.equal("restaurants", RestaurantOne.tableName)
        assert.are.equal("`schema_two.restaurants`", tostring(RestaurantTwo:getTableName()))
        -- beyond Sequelize's test: the option given to Sequelize.new, a model's own schema winning
        local db = Sequelize.new("sqlite::memory:", { schema = "app" })
        assert.are.equal("app.Users", db:define("User", {}).tableName)
        assert.are.equal("own.Posts", db:define("Post", {}, { schema = "own" }).tableName)
        db:close()
        local ok, err = pcall(Sequelize.new, "sqlite::memory:", { schema = 5 })
        assert.is_false(ok)
        assert.matches("option schema must be a non-empty string", err.message, 1, true)
      end)

      it("should be able to insert data into default table using create", function()
        RestaurantOne:create({ foo = "one" })
        local obj0 = RestaurantOne:findOne{ where = { foo = "one" } }
        assert.truthy(obj0)
        assert.are.equal("one", obj0.foo)
        assert.is_nil(RestaurantTwo:findOne{ where = { foo = "one" } })
      end)

      it("should be able to insert data into schema table using create", function()
        RestaurantTwo:create({ foo = "two" })
        local obj0 = RestaurantTwo:findOne{ where = { foo = "two" } }
        assert.truthy(obj0)
        assert.are.equal("two", obj0.foo)
        assert.is_nil(RestaurantOne:findOne{ where = { foo = "two" } })
        local rows = current:query('SELECT foo FROM "schema_two.restaurants"', { type = "SELECT" })
        assert.are.same({ { foo = "two" } }, rows)
      end)
    end)

    describe("Get associated data in public schema via include", function()
      before_each(function()
        LocationOne:sync({ force = true })
        LocationTwo:sync({ force = true })
        LocationTwo:create({ name = "HQ" })
        local obj0 = LocationTwo:findOne{ where = { name = "HQ" } }
        assert.truthy(obj0)
        assert.are.equal("HQ", obj0.name)
        locationId = obj0.id
        assert.is_nil(LocationOne:findOne{ where = { name = "HQ" } })
      end)

      it("should be able to insert and retrieve associated data into the table in schema_two", function()
        RestaurantTwo:create({ foo = "two", location_id = locationId })
        local obj0 = RestaurantTwo:findOne{
          where = { foo = "two" }, include = { { model = LocationTwo, as = "location" } },
        }
        assert.truthy(obj0)
        assert.are.equal("two", obj0.foo)
        assert.truthy(obj0.location)
        assert.are.equal("HQ", obj0.location.name)
        assert.is_nil(RestaurantOne:findOne{ where = { foo = "two" } })
      end)
    end)
  end)

  describe("schemas", function()
    describe("regressions", function()
      it("should be able to sync model with schema", function()
        local db = Sequelize.new("sqlite::memory:")
        local User = db:define("User1", { name = DataTypes.STRING, value = DataTypes.INTEGER }, {
          schema = SCHEMA_ONE, indexes = { { name = "test_slug_idx", fields = { "name" } } },
        })
        local Task = db:define("Task2", { name = DataTypes.STRING, value = DataTypes.INTEGER }, {
          schema = SCHEMA_TWO, indexes = { { name = "test_slug_idx", fields = { "name" } } },
        })
        User:sync({ force = true })
        local ok, err = pcall(Task.sync, Task, { force = true })
        assert.is_false(ok)
        assert.are.equal("SequelizeDatabaseError", err.name)
        assert.matches("index test_slug_idx already exists", err.message, 1, true)
        local user = db:getQueryInterface():describeTable(User.tableName)
        assert.truthy(user)
        assert.truthy(user.name)
        db:close()
      end)
    end)
  end)
end)
