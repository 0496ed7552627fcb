-- Port of Sequelize v6's test/integration/model/optimistic_locking.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("Model (port of optimistic_locking.test.js)", function()
  describe("optimistic locking", function()
    local db, Account
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      Account = db:define("Account", { number = { type = DataTypes.INTEGER } }, { version = true })
      Account:sync({ force = true })
    end)
    after_each(function() db:close() end)

    it("should increment the version on save", function()
      local account0 = Account:create({ number = 1 })
      account0.number = account0.number + 1
      assert.equal(0, account0.version)
      local account = account0:save()
      assert.equal(1, account.version)
    end)

    it("should increment the version on update", function()
      local account1 = Account:create({ number = 1 })
      assert.equal(0, account1.version)
      local account0 = account1:update({ number = 2 })
      assert.equal(1, account0.version)
      account0.number = account0.number + 1
      local account = account0:save()
      assert.equal(3, account.number)
      assert.equal(2, account.version)
    end)

    it("prevents stale instances from being saved", function()
      local err = support.catch_error(function()
        local accountA = Account:create({ number = 1 })
        local accountB = Account:findByPk(accountA.id)
        accountA.number = accountA.number + 1
        accountA:save()
        accountB.number = accountB.number + 1
        return accountB:save()
      end)
      assert.is_true(err:is(Sequelize.errors.OptimisticLockError))
    end)

    it("increment() also increments the version", function()
      local account1 = Account:create({ number = 1 })
      assert.equal(0, account1.version)
      local account0 = account1:increment("number", { by = 1 })
      local account = account0:reload()
      assert.equal(1, account.version)
    end)

    it("decrement() also increments the version", function()
      local account1 = Account:create({ number = 1 })
      assert.equal(0, account1.version)
      local account0 = account1:decrement("number", { by = 1 })
      local account = account0:reload()
      assert.equal(1, account.version)
    end)
  end)
end)
