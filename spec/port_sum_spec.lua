-- Port of Sequelize v6's test/integration/model/sum.test.js (branch v6), sqlite dialect.
-- Skipped: none. The tests only read, so they share one database and one model.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of sum.test.js)", function()
  local db, Payment
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Payment = db:define("Payment", {
      amount = DataTypes.DECIMAL,
      mood = { type = DataTypes.ENUM, values = { "happy", "sad", "neutral" } },
    })
    db:sync({ force = true })
    Payment:bulkCreate({
      { amount = 5, mood = "neutral" },
      { amount = -5, mood = "neutral" },
      { amount = 10, mood = "happy" },
      { amount = 90, mood = "happy" },
    })
  end)
  teardown(function() db:close() end)

  describe("sum", function()
    it("should sum without rows", function()
      assert.is_nil(Payment:sum("amount", { where = { mood = "sad" } }))
    end)

    it("should sum when is 0", function()
      assert.equal(0, Payment:sum("amount", { where = { mood = "neutral" } }))
    end)

    it("should sum", function()
      assert.equal(100, Payment:sum("amount", { where = { mood = "happy" } }))
    end)
  end)
end)
