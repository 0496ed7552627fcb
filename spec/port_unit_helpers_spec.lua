-- Port of Sequelize v6's test/unit/model/helpers.test.js (branch v6), sqlite dialect.
-- Notes: Model.hasAlias(alias) is not API here; the alias is looked up in Model.associations,
-- which API.md lists (Sequelize's hasAlias reads the same table).
-- Skipped: none.
local Sequelize = require("sequelua")

describe("Model (port of unit/model/helpers.test.js)", function()
  describe("hasAlias", function()
    local db, User, Task
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("user", {})
      Task = db:define("task", {})
    end)
    after_each(function() db:close() end)

    it("returns true if a model has an association with the specified alias", function()
      Task:belongsTo(User, { as = "owner" })
      assert.is_true(Task.associations.owner ~= nil)
    end)

    it("returns false if a model does not have an association with the specified alias", function()
      Task:belongsTo(User, { as = "owner" })
      assert.is_true(Task.associations.notOwner == nil)
    end)
  end)
end)
