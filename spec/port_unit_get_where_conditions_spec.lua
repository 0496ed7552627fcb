-- Port of Sequelize v6's test/unit/sql/get-where-conditions.test.js (branch v6), sqlite dialect.
-- QueryGenerator#getWhereConditions is internal: each case runs as a findAll's where on a real
-- table. A JavaScript Date is an ISO string or a number in Lua (API.md); a string where is
-- refused with Sequelize's own "raw query" message, so the invalid value ported is the number,
-- plus a boolean and a function (Sequelize's "Unsupported where option value" for those).
-- Skipped: none.
local Sequelize = require("sequelua")
local support = require("spec.support")

describe("QueryGenerator#getWhereConditions (port of unit/sql/get-where-conditions.test.js)", function()
  local db, User
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {})
    User:sync()
    User:bulkCreate({ {}, {}, {} })
  end)
  teardown(function() db:close() end)

  it("throws if called with invalid arguments", function()
    for _, w in ipairs({ os.time(), true, function() end }) do
      local err = support.catch_error(function() User:findAll{ where = w } end)
      assert.matches("Unsupported where option value", err.message, 1, true)
      assert.matches("User", err.message, 1, true)
    end
  end)

  it("ignores undefined", function()
    assert.are.equal(3, #User:findAll{ where = nil })
  end)

  it("ignores null", function()
    assert.are.equal(3, #User:findAll{ where = Sequelize.null })
  end)
end)
