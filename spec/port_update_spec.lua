-- Port of Sequelize v6's test/integration/model/update.test.js (branch v6), sqlite dialect.
-- Skipped:
--   should return the updated record: dialects with returnValues.returning (not sqlite)
--   should output the updated record: dialects with returnValues.output (mssql)
--   should only update one row: dialects with LIMIT ON UPDATE (mysql, mariadb)
-- Notes: sinon's spy is a logging function counting its calls; `ownerId: undefined` is a key
-- left out (Lua cannot hold a nil).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of update.test.js)", function()
  describe("update", function()
    local db, Account
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      Account = db:define("Account", {
        ownerId = { type = DataTypes.INTEGER, allowNull = false, field = "owner_id" },
        name = { type = DataTypes.STRING },
      })
      Account:sync({ force = true })
    end)
    after_each(function() db:close() end)

    it("should only update the passed fields", function()
      local account = Account:create({ ownerId = 2 })
      Account:update({ name = tostring(math.random()) }, { where = { id = account:get("id") } })
    end)

    describe("skips update query", function()
      it("if no data to update", function()
        local called = false
        Account:create({ ownerId = 3 })
        local n = Account:update({ unknownField = "haha" }, {
          where = { ownerId = 3 },
          logging = function() called = true end,
        })
        assert.equal(0, n)
        assert.is_false(called, "Update query was issued when no data to update")
      end)

      it("skips when timestamps disabled", function()
        local Model = db:define("Model", {
          ownerId = { type = DataTypes.INTEGER, allowNull = false, field = "owner_id" },
          name = { type = DataTypes.STRING },
        }, { timestamps = false })
        local called = false
        Model:sync({ force = true })
        Model:create({ ownerId = 3 })
        local n = Model:update({ unknownField = "haha" }, {
          where = { ownerId = 3 },
          logging = function() called = true end,
        })
        assert.equal(0, n)
        assert.is_false(called, "Update query was issued when no data to update")
      end)
    end)

    it("changed should be false after reload", function()
      local account0 = Account:create({ ownerId = 2, name = "foo" })
      account0.name = "bar"
      assert.equal("name", account0:changed()[1])
      local account = account0:reload()
      assert.is_false(account:changed())
    end)

    it("should ignore undefined values without throwing not null validation", function()
      local ownerId = 2
      local account0 = Account:create({ ownerId = ownerId, name = tostring(math.random()) })
      Account:update({ name = tostring(math.random()), ownerId = nil }, { where = { id = account0:get("id") } })
      local account = Account:findOne()
      assert.equal(ownerId, account.ownerId)
    end)
  end)
end)
