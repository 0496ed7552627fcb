-- Port of Sequelize v6's test/integration/sequelize/truncate.test.js (branch v6), sqlite dialect.
-- Skipped: none.
-- Translation: the transaction's `deferrable = Deferrable.SET_DEFERRED` is left out (Sequelize's
-- sqlite dialect runs nothing for it; sequelua has no Sequelize.Deferrable), and the tables are
-- made model by model: db:sync refuses the cycle (API.md: the seed pages win).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Sequelize#truncate (port of sequelize/truncate.test.js)", function()
  it("supports truncating cyclic associations with { cascade: true }", function()
    local sequelize = Sequelize.new("sqlite::memory:")
    local A = sequelize:define("A", { BId = { type = DataTypes.INTEGER } })
    local B = sequelize:define("B", { AId = { type = DataTypes.INTEGER } })
    -- These models both have a foreign key that references the other model.
    -- Sequelize should be able to create them.
    A:belongsTo(B, { foreignKey = { allowNull = true } })
    B:belongsTo(A, { foreignKey = { allowNull = false } })
    A:sync()
    B:sync()
    sequelize:transaction(function(transaction)
      local a = A:create({ BId = Sequelize.null }, { transaction = transaction })
      local b = B:create({ AId = a.id }, { transaction = transaction })
      a.BId = b.id
      a:save({ transaction = transaction })
    end)
    -- drop both tables
    sequelize:truncate({ cascade = true })
    assert.are.equal(0, A:count())
    assert.are.equal(0, B:count())
    sequelize:close()
  end)
end)
