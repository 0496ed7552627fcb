-- port_alias_spec: a port of Sequelize's test/integration/associations/alias.test.js (branch v6),
-- test by test, titles kept; the Promise.all of two finds is two plain calls.
-- Skipped:
--   (none: every test of the file runs on sqlite)
local Sequelize = require("sequelua")

describe("Alias", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  it("should uppercase the first letter in alias getter, but not in eager loading", function()
    local User = db:define("user", {})
    local Task = db:define("task", {})
    User:hasMany(Task, { as = "assignments", foreignKey = "userId" })
    Task:belongsTo(User, { as = "owner", foreignKey = "userId" })
    db:sync{ force = true }
    local user0 = User:create{ id = 1 }
    assert.is_truthy(user0.getAssignments)
    local task0 = Task:create{ id = 1, userId = 1 }
    assert.is_truthy(task0.getOwner)
    local user = User:findOne{ where = { id = 1 }, include = { { model = Task, as = "assignments" } } }
    local task = Task:findOne{ where = { id = 1 }, include = { { model = User, as = "owner" } } }
    assert.is_truthy(user.assignments)
    assert.is_truthy(task.owner)
  end)

  it("shouldnt touch the passed alias", function()
    local User = db:define("user", {})
    local Task = db:define("task", {})
    User:hasMany(Task, { as = "ASSIGNMENTS", foreignKey = "userId" })
    Task:belongsTo(User, { as = "OWNER", foreignKey = "userId" })
    db:sync{ force = true }
    local user0 = User:create{ id = 1 }
    assert.is_truthy(user0.getASSIGNMENTS)
    local task0 = Task:create{ id = 1, userId = 1 }
    assert.is_truthy(task0.getOWNER)
    local user = User:findOne{ where = { id = 1 }, include = { { model = Task, as = "ASSIGNMENTS" } } }
    local task = Task:findOne{ where = { id = 1 }, include = { { model = User, as = "OWNER" } } }
    assert.is_truthy(user.ASSIGNMENTS)
    assert.is_truthy(task.OWNER)
  end)

  it("should allow me to pass my own plural and singular forms to hasMany", function()
    local User = db:define("user", {})
    local Task = db:define("task", {})
    User:hasMany(Task, { as = { singular = "task", plural = "taskz" } })
    db:sync{ force = true }
    local user0 = User:create{ id = 1 }
    assert.is_truthy(user0.getTaskz)
    assert.is_truthy(user0.addTask)
    assert.is_truthy(user0.addTaskz)
    local user = User:findOne{ where = { id = 1 }, include = { { model = Task, as = "taskz" } } }
    assert.is_truthy(user.taskz)
  end)

  it("should allow me to define plural and singular forms on the model", function()
    local User = db:define("user", {})
    local Task = db:define("task", {}, { name = { singular = "assignment", plural = "assignments" } })
    User:hasMany(Task)
    db:sync{ force = true }
    local user0 = User:create{ id = 1 }
    assert.is_truthy(user0.getAssignments)
    assert.is_truthy(user0.addAssignment)
    assert.is_truthy(user0.addAssignments)
    local user = User:findOne{ where = { id = 1 }, include = { Task } }
    assert.is_truthy(user.assignments)
  end)
end)
