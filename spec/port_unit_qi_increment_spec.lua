-- Port of Sequelize v6's test/unit/query-interface/increment.test.js (branch v6), sqlite dialect.
-- Sequelize stubs sequelize.query to read the SQL; here ours runs on a real table beside
-- Sequelize's expected SQL (on the same rows), and the rows are compared. The table has the
-- columns the call names (Sequelize's User model declares firstName only), untyped, so that
-- a text id like ':id' is stored. No test is skipped. The amount ':age' (a string) is refused,
-- naming Users.age: amounts are numbers (or literal/fn/col); Sequelize writes `age`+ ':age',
-- which SQLite reads as + 0. The rest of the case runs with the amount 1.
local U = require("spec.port_unit_support")

describe("QueryInterface#increment (port of unit/query-interface/increment.test.js)", function()
  local S = U.qi_users(setup, teardown)
  local db, User, qi
  setup(function() db, User, qi = S.db, S.User, S.qi end)
  local same_effect = S.same_effect

  it("does not parse replacements outside of raw sql", function()
    same_effect(function()
      qi:increment(User, User.tableName, { id = ":id" }, { age = 1 }, { name = ":name" },
        { returning = { ":data" }, replacements = { age = 1, id = 2, data = 3 } })
    end, "UPDATE `Users` SET `age`=`age`+ 1,`name`=':name' WHERE `id` = ':id'")
    local ok, err = pcall(qi.increment, qi, User, User.tableName, { id = ":id" }, { age = ":age" }, { name = ":name" },
      { replacements = { age = 1 } })
    assert.is_false(ok)
    assert.matches("Users.age", err.message, 1, true)
  end)
end)
