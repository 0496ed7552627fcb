-- Port of Sequelize v6's test/unit/associations/association.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")

describe("belongsTo (port of unit/associations/association.test.js)", function()
  it("should throw an AssociationError when two associations have the same alias", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User")
    local Task = db:define("Task")
    User:belongsTo(Task, { as = "task" })
    local ok, err = pcall(User.belongsTo, User, Task, { as = "task" })
    assert.is_false(ok)
    assert.is_true(err:is(Sequelize.errors.AssociationError))
    assert.equal("You have used the alias task in two separate associations. Aliased associations must have unique aliases.",
      err.message)
    db:close()
  end)
end)
