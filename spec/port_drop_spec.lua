-- Port of Sequelize v6's test/integration/sequelize/drop.test.js (branch v6), sqlite dialect.
-- Skipped: none ("with schemas": sqlite's createSchema makes nothing and a schema names the
-- table `schema.table`, as in Sequelize's sqlite dialect).
-- Translation: "supports dropping cyclic associations" leaves out `references.deferrable`
-- (Sequelize's sqlite dialect writes nothing for it; sequelua has no Sequelize.Deferrable) and
-- makes the tables model by model: db:sync refuses the cycle (API.md: the seed pages win).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Sequelize#drop (port of sequelize/drop.test.js)", function()
  local sequelize
  before_each(function() sequelize = Sequelize.new("sqlite::memory:") end)
  after_each(function() sequelize:close() end)

  it("supports dropping cyclic associations", function()
    local A = sequelize:define("A", { BId = { type = DataTypes.INTEGER } })
    local B = sequelize:define("B", { AId = { type = DataTypes.INTEGER } })
    -- These models both have a foreign key that references the other model.
    -- Sequelize should be able to create them.
    A:belongsTo(B, { foreignKey = { allowNull = false } })
    B:belongsTo(A, { foreignKey = { allowNull = false } })
    A:sync()
    B:sync()
    assert.are.equal(2, #sequelize:getQueryInterface():showAllTables())
    -- drop both tables
    sequelize:drop()
    assert.are.same({}, sequelize:getQueryInterface():showAllTables())
  end)

  describe("with schemas", function()
    before_each(function()
      sequelize:createSchema("schemaA")
      sequelize:createSchema("schemaB")
    end)
    after_each(function()
      sequelize:dropSchema("schemaA")
      sequelize:dropSchema("schemaB")
    end)

    it("supports schemas when dropping foreign keys for a table", function()
      sequelize:define("schemaA_A", {}, { tableName = "A", schema = "schemaA" })
      -- External tables, use sequelize interface to create them.
      local schemaB_A = sequelize:define("schemaB_A", {}, { tableName = "A", schema = "schemaB" })
      local schemaB_B = sequelize:define("schemaB_B", { BId = { type = DataTypes.INTEGER } },
                                         { tableName = "B", schema = "schemaB" })
      schemaB_A:belongsTo(schemaB_B, { foreignKey = { allowNull = false } })
      sequelize:sync()
      -- Assume "schemaB" models were not created by sequelize and already exist in the database.
      sequelize.modelManager:removeModel(schemaB_A)
      sequelize.modelManager:removeModel(schemaB_B)
      -- Try to drop "schemaA" table.
      sequelize:drop()
    end)
  end)
end)
