-- Port of Sequelize v6's test/integration/query-interface/describeTable.test.js (branch v6),
-- sqlite dialect.
-- Skipped: "reads the metadata of the table with schema" (Postgres schemas: run only where the
-- dialect supports schemas).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local support = require("spec.support")

describe("QueryInterface describeTable (port of query-interface/describeTable.test.js)", function()
  local sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
  local queryInterface = sequelize:getQueryInterface()

  it("rejects when no data is available", function()
    local err = support.catch(queryInterface.describeTable, queryInterface, "_some_random_missing_table")
    assert.are.equal('No description found for "_some_random_missing_table" table. Check the table name and schema; '
                     .. "remember, they _are_ case sensitive.", err.message or err)
  end)

  it("reads the metadata of the table", function()
    local Users = sequelize:define("_Users", {
      username = DataTypes.STRING,
      city = { type = DataTypes.STRING, defaultValue = Sequelize.null, comment = "Users City" },
      isAdmin = DataTypes.BOOLEAN,
      enumVals = DataTypes.ENUM("hello", "world"),
    }, { freezeTableName = true })
    Users:sync({ force = true })
    local metadata = queryInterface:describeTable("_Users")
    local id, username, city, isAdmin = metadata.id, metadata.username, metadata.city, metadata.isAdmin
    assert.is_true(id.primaryKey)
    assert.are.equal("VARCHAR(255)", username.type)
    assert.is_true(username.allowNull)
    assert.is_nil(username.defaultValue)
    assert.are.equal(Sequelize.null, city.defaultValue)
    assert.are.equal("TINYINT(1)", isAdmin.type)
    assert.is_true(isAdmin.allowNull)
    assert.is_nil(isAdmin.defaultValue)
    assert.is_truthy(metadata.enumVals)
  end)

  it("should correctly determine the primary key columns", function()
    local Country = sequelize:define("_Country", {
      code = { type = DataTypes.STRING, primaryKey = true },
      name = { type = DataTypes.STRING, allowNull = false },
    }, { freezeTableName = true })
    local Alumni = sequelize:define("_Alumni", {
      year = { type = DataTypes.INTEGER, primaryKey = true },
      num = { type = DataTypes.INTEGER, primaryKey = true },
      username = { type = DataTypes.STRING, allowNull = false, unique = true },
      dob = { type = DataTypes.DATEONLY, allowNull = false },
      dod = { type = DataTypes.DATEONLY, allowNull = true },
      city = { type = DataTypes.STRING, allowNull = false },
      ctrycod = { type = DataTypes.STRING, allowNull = false, references = { model = Country, key = "code" } },
    }, { freezeTableName = true })
    Country:sync({ force = true })
    local metacountry = queryInterface:describeTable("_Country")
    assert.are.equal(true, metacountry.code.primaryKey)
    assert.are.equal(false, metacountry.name.primaryKey)
    Alumni:sync({ force = true })
    local metalumni = queryInterface:describeTable("_Alumni")
    assert.are.equal(true, metalumni.year.primaryKey)
    assert.are.equal(true, metalumni.num.primaryKey)
    for _, k in ipairs({ "username", "dob", "dod", "ctrycod", "city" }) do
      assert.are.equal(false, metalumni[k].primaryKey, k)
    end
  end)

  it("should correctly return the columns when the table contains a dot in the name", function()
    local User = sequelize:define("my.user", { name = DataTypes.STRING }, { freezeTableName = true })
    User:sync({ force = true })
    local metadata = queryInterface:describeTable("my.user")
    assert.is_truthy(rawget(metadata, "name"))
  end)
end)
