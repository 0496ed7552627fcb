-- Port of Sequelize v6's test/unit/model/find-or-create.test.js (branch v6), sqlite dialect.
-- Skipped:
-- - "should use transaction from cls if available": CLS (continuation-local storage) has no
--   counterpart here.
-- - "should not use transaction from cls if provided as argument": CLS, as above.
-- What they lead to, findOrCreate running in the transaction it is given, is ported below.
local Sequelize = require("sequelua")

describe("Model (port of unit/model/find-or-create.test.js)", function()
  describe("method findOrCreate", function()
    it("uses the transaction given as argument (what the CLS tests check around)", function()
      local db = Sequelize.new("sqlite::memory:")
      local User = db:define("User", { name = Sequelize.DataTypes.STRING })
      db:sync()
      local seen
      User:beforeCreate(function(_, o) seen = o.transaction end)
      local t = db:transaction()
      local u, created = User:findOrCreate({ where = { name = "John" }, transaction = t })
      assert.is_true(created)
      assert.equal(t, seen)
      t:rollback()
      assert.equal(0, User:count())
      assert.equal("John", u.name)
      db:close()
    end)
  end)
end)
