-- Port of Sequelize v6's test/integration/schema.test.js (branch v6), sqlite dialect.
-- Skipped: none. SQLite has no schemas: as Sequelize's sqlite dialect, createSchema creates
-- nothing and a model with `schema = "testschema"` has the one table `testschema.Users`;
-- dropSchema is run after each test as in Sequelize (its sqlite form drops a table of that name).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Schema (port of schema.test.js)", function()
  local db, User
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { aNumber = { type = DataTypes.INTEGER } }, { schema = "testschema" })
  end)
  teardown(function() db:close() end)
  before_each(function()
    db:createSchema("testschema")
    User:sync({ force = true })
  end)
  after_each(function() db:dropSchema("testschema") end)

  it("supports increment", function()
    local user0 = User:create({ aNumber = 1 })
    local result = user0:increment("aNumber", { by = 3 })
    local user = result:reload()
    assert.truthy(user)
    assert.are.equal(4, user.aNumber)
    local rows = db:query('SELECT aNumber FROM "testschema.Users"', { type = "SELECT" })
    assert.are.same({ { aNumber = 4 } }, rows)
  end)

  it("supports decrement", function()
    local user0 = User:create({ aNumber = 10 })
    local result = user0:decrement("aNumber", { by = 3 })
    local user = result:reload()
    assert.truthy(user)
    assert.are.equal(7, user.aNumber)
  end)
end)
