-- Port of Sequelize v6's test/integration/model/notExist.test.js (branch v6), sqlite dialect.
-- Skipped: none. The tests only read, so they share one database and one set of rows.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of notExist.test.js)", function()
  local db, Order
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Order = db:define("Order", {
      id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      sequence = DataTypes.INTEGER,
      amount = DataTypes.DECIMAL,
      type = DataTypes.STRING,
    })
    db:sync({ force = true })
    Order:bulkCreate({
      { sequence = 1, amount = 3, type = "A" },
      { sequence = 2, amount = 4, type = "A" },
      { sequence = 3, amount = 5, type = "A" },
      { sequence = 4, amount = 1, type = "A" },
      { sequence = 1, amount = 2, type = "B" },
      { sequence = 2, amount = 6, type = "B" },
      { sequence = 0, amount = 0, type = "C" },
    })
  end)
  teardown(function() db:close() end)

  describe("max", function()
    it("type A to C should exist", function()
      local function check(t, expect)
        local w = { where = { type = t } }
        assert.are.equal(expect[1], Order:sum("sequence", w))
        assert.are.equal(expect[2], Order:max("sequence", w))
        assert.are.equal(expect[3], Order:min("sequence", w))
        assert.are.equal(expect[4], Order:sum("amount", w))
        assert.are.equal(expect[5], Order:max("amount", w))
        assert.are.equal(expect[6], Order:min("amount", w))
      end
      check("A", { 10, 4, 1, 13, 5, 1 })
      check("B", { 3, 2, 1, 8, 6, 2 })
      check("C", { 0, 0, 0, 0, 0, 0 })
    end)

    it("type D should not exist", function()
      local w = { where = { type = "D" } }
      assert.is_nil(Order:sum("sequence", w))
      assert.is_nil(Order:max("sequence", w))
      assert.is_nil(Order:min("sequence", w))
      assert.is_nil(Order:sum("amount", w))
      assert.is_nil(Order:max("amount", w))
      assert.is_nil(Order:min("amount", w))
    end)
  end)
end)
