-- Port of Sequelize v6's test/integration/query-interface/getForeignKeyReferencesForTable.test.js
-- (branch v6), sqlite dialect. Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("QueryInterface getForeignKeyReferencesForTable (port)", function()
  it("should be able to provide existing foreign keys", function()
    local sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
    local queryInterface = sequelize:getQueryInterface()
    local Task = sequelize:define("Task", { title = DataTypes.STRING })
    local User = sequelize:define("User", { username = DataTypes.STRING })
    User:hasOne(Task)
    User:sync({ force = true })
    Task:sync({ force = true })
    local expectedObject = { columnName = "UserId", referencedColumnName = "id", referencedTableName = "Users" }
    local function includes(ref)
      for k, v in pairs(expectedObject) do assert.are.equal(v, ref[k], k) end
    end
    local refs = queryInterface:getForeignKeyReferencesForTable({ tableName = "Tasks" })
    assert.are.equal(1, #refs)
    includes(refs[1])
    refs = queryInterface:getForeignKeyReferencesForTable("Tasks")
    assert.are.equal(1, #refs)
    includes(refs[1])
    sequelize:close()
  end)
end)
