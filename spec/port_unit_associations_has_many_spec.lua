-- Port of Sequelize v6's test/unit/associations/has-many.test.js (branch v6), sqlite dialect.
-- Skipped: "throws when invalid model is passed" (already asserted by
-- spec/association_define_spec.lua, "an association with something that is not a model").
-- sinon's stubs of Task.findAll / Task.update count the statements the logging option sees
-- (on real rows); `new HasMany(...)` and `association.mixin(obj)` (internals) are the accessors
-- an association puts on the source's instances; the "get" tests read real rows through
-- association:get(instance or list), Sequelize's HasMany#get.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("HasMany (port of unit/associations/has-many.test.js)", function()
  describe("optimizations using bulk create, destroy and update", function()
    local db, log, User, Task, user, task1, task2
    setup(function()
      log = {}
      db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(m) log[#log + 1] = m end }
      User = db:define("User", { username = DataTypes.STRING })
      Task = db:define("Task", { title = DataTypes.STRING })
      User:hasMany(Task)
      db:sync()
      user = User:create({ id = 42 })
      task1 = Task:create({ id = 15 })
      task2 = Task:create({ id = 16 })
      Task:create({ id = 17 }) -- (not given: stays unlinked)
    end)
    teardown(function() db:close() end)

    local function count(kind)
      local n = 0
      for _, m in ipairs(log) do if m:match("^Executing %(.-%): " .. kind .. " ") then n = n + 1 end end
      return n
    end

    it("uses one update statement for addition", function()
      for i = #log, 1, -1 do log[i] = nil end
      user:setTasks({ task1, task2 })
      assert.equal(1, count("SELECT"))
      assert.equal(1, count("UPDATE"))
      assert.equal(2, Task:count{ where = { UserId = 42 } })
    end)

    it("uses one delete from statement", function()
      user:setTasks({ task1, task2 })
      for i = #log, 1, -1 do log[i] = nil end
      user:setTasks(Sequelize.null)
      assert.equal(1, count("SELECT"))
      assert.equal(1, count("UPDATE"))
      assert.equal(0, Task:count{ where = { UserId = 42 } })
      assert.equal(3, Task:count())
    end)
  end)

  describe("mixin", function()
    local db, User, Task
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User")
      Task = db:define("Task")
    end)
    teardown(function() db:close() end)

    it("should mixin association methods", function()
      local as = tostring(math.random())
      local association = User:hasMany(Task, { as = as })
      local obj = User:build()
      for _, role in ipairs({ "get", "set", "addMultiple", "add", "remove", "removeMultiple", "hasSingle", "hasAll", "count" }) do
        assert.is_function(obj[association.accessors[role]], role)
      end
    end)

    it("should not override custom methods", function()
      local methods = { getTasks = "get", countTasks = "count", hasTask = "has", hasTasks = "has", setTasks = "set",
                        addTask = "add", addTasks = "add", removeTask = "remove", removeTasks = "remove", createTask = "create" }
      for method, alias in pairs(methods) do
        User.prototype[method] = function(self)
          local realMethod = User.associations.task[alias]
          assert.is_function(realMethod)
          return realMethod
        end
      end
      User:hasMany(Task, { as = "task" })
      local user = User:build()
      for method in pairs(methods) do assert.is_function(user[method](user)) end
    end)

    it("should not override attributes", function()
      local Project = db:define("Project", { hasTasks = DataTypes.BOOLEAN })
      Project:hasMany(Task)
      local company = Project:build()
      assert.is_not_function(company.hasTasks)
    end)
  end)

  describe("get", function()
    local db, User, Task, Tasks
    local idA, idB, idC = tostring(math.random()), tostring(math.random()), tostring(math.random())
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", { id = { type = DataTypes.STRING, primaryKey = true } })
      Task = db:define("Task", {})
      Tasks = User:hasMany(Task, { foreignKey = "user_id" })
      db:sync()
      for _, id in ipairs({ idA, idB, idC }) do User:create({ id = id }) end
      User:create({ id = "other" })
      for _, id in ipairs({ idA, idA, idA, idB, "other" }) do Task:create({ user_id = id }) end
    end)
    teardown(function() db:close() end)

    it("should fetch associations for a single instance", function()
      local results = Tasks:get(User:build({ id = idA }))
      assert.equal(3, #results)
      for _, t in ipairs(results) do assert.equal(idA, t.user_id) end
    end)

    it("should fetch associations for multiple source instances", function()
      local result = Tasks:get({ User:build({ id = idA }), User:build({ id = idB }), User:build({ id = idC }) })
      assert.is_table(result)
      local keys = {}
      for k in pairs(result) do keys[#keys + 1] = k end
      table.sort(keys)
      local want = { idA, idB, idC }
      table.sort(want)
      assert.same(want, keys)
      assert.equal(3, #result[idA])
      assert.equal(1, #result[idB])
      assert.equal(0, #result[idC])
    end)
  end)

  require("spec.port_unit_assoc_hooks")("hasMany", "HasMany",
    { describe = describe, it = it, before_each = before_each, after_each = after_each, assert = assert })
end)
