-- Port of Sequelize v6's test/unit/query-interface/bulk-delete.test.js (branch v6), sqlite dialect.
-- Sequelize stubs sequelize.query to read the SQL; here ours runs on a real table beside
-- Sequelize's expected SQL (on the same rows), and the rows are compared. The table has the
-- columns the call names (Sequelize's User model declares firstName only), untyped, so that
-- a text id like ':id' is stored. No test is skipped.
local U = require("spec.port_unit_support")

describe("QueryInterface#bulkDelete (port of unit/query-interface/bulk-delete.test.js)", function()
  local S = U.qi_users(setup, teardown)
  local db, User, qi
  setup(function() db, User, qi = S.db, S.User, S.qi end)
  local same_effect = S.same_effect

  it("does not parse replacements outside of raw sql", function()
    same_effect(function()
      qi:bulkDelete(User.tableName, { id = ":id" }, { replacements = { limit = 1, id = "123" } }, User)
    end, "DELETE FROM `Users` WHERE `id` = ':id'")
  end)
end)
