-- Port of Sequelize v6's test/unit/model/bulk-create.test.js (branch v6), sqlite dialect.
-- Sequelize stubs queryInterface.bulkInsert to read the rows and upsertKeys it gets; here the rows
-- go to a real table and are read back by column.
-- Notes: purchaseCount's `underscored: true` (no attribute option of Sequelize's, which ignores
-- it) is left out: define refuses an unknown attribute option (API.md). accountId is unique
-- here, since SQLite's ON CONFLICT (account_id) needs a unique constraint to meet.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/bulk-create.test.js)", function()
  describe("bulkCreate", function()
    local db, Model
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      Model = db:define("model", {
        accountId = { type = DataTypes.INTEGER(11).UNSIGNED, allowNull = false, field = "account_id", unique = true },
        purchaseCount = { type = DataTypes.INTEGER(11).UNSIGNED, allowNull = false },
      }, { timestamps = false })
      db:sync()
    end)
    teardown(function() db:close() end)
    local function rows()
      return db:query("SELECT id, account_id, purchaseCount FROM models ORDER BY id", { type = "SELECT" })
    end

    describe("validations", function()
      it("should not fail for renamed fields", function()
        Model:bulkCreate({ { accountId = 42, purchaseCount = 4 } }, { validate = true })
        local r = rows()
        assert.equal(1, #r)
        assert.equal(42, r[1].account_id)
        assert.equal(4, r[1].purchaseCount)
        assert.equal(1, r[1].id)
      end)

      it("should map conflictAttributes to column names", function()
        Model:bulkCreate({ { accountId = 42, purchaseCount = 3 } }, {
          conflictAttributes = { "accountId" }, updateOnDuplicate = { "purchaseCount" },
        })
        local r = rows()
        assert.equal(1, #r) -- the row of account 42 updated, no other inserted
        assert.equal(42, r[1].account_id)
        assert.equal(3, r[1].purchaseCount)
      end)
    end)
  end)
end)
