-- Port of Sequelize v6's test/integration/instance/decrement.test.js (branch v6), sqlite dialect.
-- Skipped:
--   supports transactions: one connection per db, a read without `transaction` joins the open one
--     (README, "Decisions that differ"; as port_save_spec)
--   supports returning: not run for sqlite (dialect.supports.returnValues.returning is false)
-- Promise.all of decrements runs them one after the other. The fake clock's tick is replaced by
-- an updatedAt set back in the table before the decrement (no sleeps).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of instance/decrement.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING },
      uuidv1 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1 },
      uuidv4 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
      touchedAt = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
      aNumber = { type = DataTypes.INTEGER },
      bNumber = { type = DataTypes.INTEGER },
      aDate = { type = DataTypes.DATE },
      validateTest = { type = DataTypes.INTEGER, allowNull = true, validate = { isInt = true } },
      validateCustom = { type = DataTypes.STRING, allowNull = true,
                         validate = { len = { msg = "Length failed.", args = { 1, 20 } } } },
      dateAllowNullTrue = { type = DataTypes.DATE, allowNull = true },
      isSuperUser = { type = DataTypes.BOOLEAN, defaultValue = false },
    })
    User:sync({ force = true })
    User:create{ id = 1, aNumber = 0, bNumber = 0 }
  end)
  after_each(function() db:close() end)

  -- an IncrementUser whose stored updatedAt is set back to OLD (the fake clock's tick)
  local OLD = "2000-01-01T00:00:00.000Z"
  local function stale_user()
    local U = db:define("IncrementUser", { aNumber = DataTypes.INTEGER }, { timestamps = true })
    U:sync({ force = true })
    local user = U:create{ aNumber = 1 }
    U:update({ updatedAt = OLD }, { where = { id = user.id }, silent = true })
    return U, user:reload()
  end

  describe("decrement", function()
    it("with array", function()
      local user1 = User:findByPk(1)
      user1:decrement({ "aNumber" }, { by = 2 })
      assert.equal(-2, User:findByPk(1).aNumber)
    end)

    it("with single field", function()
      local user1 = User:findByPk(1)
      user1:decrement("aNumber", { by = 2 })
      assert.equal(-2, User:findByPk(1).aNumber)
    end)

    it("with single field and no value", function()
      local user1 = User:findByPk(1)
      user1:decrement("aNumber")
      assert.equal(-1, User:findByPk(1).aNumber)
    end)

    it("should still work right with other concurrent updates", function()
      local user1 = User:findByPk(1)
      local user2 = User:findByPk(1)
      user2:update{ aNumber = user2.aNumber + 1 }
      user1:decrement({ "aNumber" }, { by = 2 })
      assert.equal(-1, User:findByPk(1).aNumber)
    end)

    it("should still work right with other concurrent increments", function()
      local user1 = User:findByPk(1)
      user1:decrement({ "aNumber" }, { by = 2 })
      user1:decrement({ "aNumber" }, { by = 2 })
      user1:decrement({ "aNumber" }, { by = 2 })
      assert.equal(-6, User:findByPk(1).aNumber)
    end)

    it("with key value pair", function()
      local user1 = User:findByPk(1)
      user1:decrement{ aNumber = 1, bNumber = 2 }
      local user3 = User:findByPk(1)
      assert.equal(-1, user3.aNumber)
      assert.equal(-2, user3.bNumber)
    end)

    it("with negative value", function()
      local user1 = User:findByPk(1)
      user1:decrement("aNumber", { by = -2 })
      user1:decrement({ "aNumber", "bNumber" }, { by = -2 })
      user1:decrement{ aNumber = -1, bNumber = -2 }
      local user3 = User:findByPk(1)
      assert.equal(5, user3.aNumber)
      assert.equal(4, user3.bNumber)
    end)

    it("with timestamps set to true", function()
      local U, user = stale_user()
      user:decrement("aNumber", { by = 1 })
      local found = U:findByPk(1)
      assert.is_true(found.updatedAt > OLD)
      assert.equal(0, found.aNumber)
    end)

    it("with timestamps set to true and options.silent set to true", function()
      local U, user = stale_user()
      user:decrement("aNumber", { by = 1, silent = true })
      local found = U:findByPk(1)
      assert.equal(OLD, found.updatedAt)
      assert.equal(0, found.aNumber)
    end)
  end)
end)
