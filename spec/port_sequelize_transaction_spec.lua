-- Port of Sequelize v6's test/integration/sequelize.transaction.test.js (branch v6), sqlite dialect.
-- Skipped:
--   does not pollute the pool with broken connections if commit fails: not sqlite (skipped there)
--   does not pollute the pool with broken connections if the rollback fails: not sqlite (skipped there)
--   works for long running transactions: not sqlite (skipped there)
-- Translation: "works with promise syntax" keeps its body without the one-second delay; the
-- concurrency test's two transactions run one after the other (one connection: the second,
-- begun while the first is open, is a savepoint in it, README "Decisions that differ"). A write
-- through t1 while t2 is open would be undone by t2's rollback though t1 commits, so it is
-- refused (Sequelize, a connection per transaction: t1's row is written and t2's duplicate
-- fails); the test checks that refusal, t2's duplicate failing, and t1's row after t2 ended.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Transaction = Sequelize.Transaction

describe("Sequelize#transaction (port of sequelize.transaction.test.js)", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  describe("Transaction#commit", function()
    it("returns a promise that resolves once the transaction has been committed", function()
      local t = db:transaction()
      assert.are.equal(0, select("#", t:commit()))
    end)
  end)

  describe("Transaction#rollback", function()
    it("returns a promise that resolves once the transaction has been rolled back", function()
      local t = db:transaction()
      assert.are.equal(0, select("#", t:rollback()))
    end)
  end)

  describe("complex long running example", function()
    it("works with promise syntax", function()
      local Test = db:define("Test", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        name = { type = DataTypes.STRING },
      })
      db:sync({ force = true })
      local transaction = db:transaction()
      assert.are.equal(Transaction, getmetatable(transaction))
      Test:create({ name = "Peter" }, { transaction = transaction })
      transaction:commit()
      assert.are.equal(1, Test:count())
    end)
  end)

  describe("concurrency: having tables with uniqueness constraints", function()
    local Model
    before_each(function()
      Model = db:define("Model", { name = { type = DataTypes.STRING, unique = true } }, { timestamps = false })
      Model:sync({ force = true })
    end)

    it("triggers the error event for the second transactions", function()
      local t1 = db:transaction()
      local t2 = db:transaction()
      local ok, err = pcall(Model.create, Model, { name = "omnom" }, { transaction = t1 })
      assert.is_false(ok)
      assert.matches("begun after it without `transaction` is open", err.message, 1, true)
      Model:create({ name = "omnom" }, { transaction = t2 })
      ok, err = pcall(Model.create, Model, { name = "omnom" }, { transaction = t2 })
      assert.is_false(ok)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      t2:rollback()
      Model:create({ name = "omnom" }, { transaction = t1 })
      t1:commit()
      assert.are.equal(1, Model:count())
    end)
  end)
end)
