-- Port of Sequelize v6's test/unit/sql/order.test.js (branch v6), sqlite dialect.
-- Each case compares the rows Subtask:findAll returns with the rows Sequelize's expected sqlite
-- SQL gives on the same data (sql.selectQuery, internal, is expressed through findAll).
-- Skipped: none.
-- Kept as README decides: `order = "name"` (a string) is that column (Sequelize raises 'Order must be
-- type of array ...'), so the silly string is an unknown attribute there.
-- Sequelize's first expectation selects [Subtask].[createdAt] (selectQuery given the attribute
-- name, with no mapping to its column); the SQL run here selects [created_at] AS [createdAt].
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local U = require("spec.port_unit_support")
local T = U.tick

describe("SQL (port of unit/sql/order.test.js)", function()
  describe("order", function()
    local db, User, Project, ProjectUser, Task, Subtask
    local function ts(extra)
      local a = {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, field = "id" },
        name = { type = DataTypes.STRING, field = "name", allowNull = false },
        createdAt = { type = DataTypes.DATE, field = "created_at", allowNull = false },
        updatedAt = { type = DataTypes.DATE, field = "updated_at", allowNull = true },
      }
      for k, v in pairs(extra or {}) do a[k] = v end
      return a
    end
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", ts(), { tableName = "user", timestamps = true })
      Project = db:define("Project", ts(), { tableName = "project", timestamps = true })
      local pu = ts({ userId = { type = DataTypes.INTEGER, field = "user_id", allowNull = false },
        projectId = { type = DataTypes.INTEGER, field = "project_id", allowNull = false } })
      pu.name = nil
      ProjectUser = db:define("ProjectUser", pu, { tableName = "project_user", timestamps = true })
      Task = db:define("Task", ts({ projectId = { type = DataTypes.INTEGER, field = "project_id", allowNull = false } }), { tableName = "task", timestamps = true })
      Subtask = db:define("Subtask", ts({ taskId = { type = DataTypes.INTEGER, field = "task_id", allowNull = false } }), { tableName = "subtask", timestamps = true })
      User:belongsToMany(Project, { as = "ProjectUserProjects", through = ProjectUser, foreignKey = "user_id", otherKey = "project_id" })
      Project:belongsToMany(User, { as = "ProjectUserUsers", through = ProjectUser, foreignKey = "project_id", otherKey = "user_id" })
      Project:hasMany(Task, { as = "Tasks", foreignKey = "project_id" })
      ProjectUser:belongsTo(User, { as = "User", foreignKey = "user_id" })
      ProjectUser:belongsTo(User, { as = "Project", foreignKey = "project_id" })
      Task:belongsTo(Project, { as = "Project", foreignKey = "project_id" })
      Task:hasMany(Subtask, { as = "Subtasks", foreignKey = "task_id" })
      Subtask:belongsTo(Task, { as = "Task", foreignKey = "task_id" })
      db:sync()
      -- created_at values that order differently at each level, ties at the upper ones
      local function d(n) return string.format("2024-01-%02d 00:00:00.000 +00:00", n) end
      for i, p in ipairs({ 3, 1, 3, 2 }) do
        db:query("INSERT INTO project (id, name, created_at) VALUES (?, ?, ?)", { replacements = { i, "p" .. i, d(p) } })
      end
      local tasks = { { 1, 5 }, { 2, 9 }, { 3, 2 }, { 4, 5 }, { 2, 1 }, { 1, 1 } }
      for i, t in ipairs(tasks) do
        db:query("INSERT INTO task (id, name, project_id, created_at) VALUES (?, ?, ?, ?)", { replacements = { i, "t" .. i, t[1], d(t[2]) } })
      end
      local subs = { { 1, 4 }, { 2, 8 }, { 3, 1 }, { 4, 7 }, { 5, 2 }, { 6, 6 }, { 1, 3 }, { 4, 9 }, { 6, 5 }, { 2, 2 } }
      for i, s in ipairs(subs) do
        db:query("INSERT INTO subtask (id, name, task_id, created_at) VALUES (?, ?, ?, ?)", { replacements = { i, "s" .. i, s[1], d(s[2]) } })
      end
    end)
    teardown(function() db:close() end)

    it("{ model: Subtask, attributes: [ 'id', 'name', 'createdAt' ], include: [ Task [ Project ] ], order: [ ...19 forms... ] }", function()
      local A = Subtask.associations.Task
      local B = Task.associations.Project
      local ours = Subtask:findAll{
        attributes = { "id", "name", "createdAt" },
        include = { { association = A, required = true, attributes = { "id", "name", "createdAt" },
          include = { { association = B, required = true, attributes = { "id", "name", "createdAt" } } } } },
        order = {
          { { model = Task, as = "Task" }, { model = Project, as = "Project" }, "createdAt", "ASC" },
          { { model = Task, as = "Task" }, { model = Project, as = "Project" }, "createdAt" },
          { { model = Task, as = "Task" }, "createdAt", "ASC" },
          { { model = Task, as = "Task" }, "createdAt" },
          { Task, Project, "createdAt", "ASC" },
          { Task, Project, "createdAt" },
          { Task, "createdAt", "ASC" },
          { Task, "createdAt" },
          { A, B, "createdAt", "ASC" },
          { A, B, "createdAt" },
          { A, "createdAt", "ASC" },
          { A, "createdAt" },
          { "Task", "Project", "createdAt", "ASC" },
          { "Task", "Project", "createdAt" },
          { "Task", "createdAt", "ASC" },
          { "Task", "createdAt" },
          { "createdAt", "ASC" },
          { "createdAt" },
          "createdAt",
        },
      }
      assert.equal(10, #ours)
      U.same(db, ours, T"SELECT [Subtask].[id], [Subtask].[name], [Subtask].[created_at] AS [createdAt], [Task].[id] AS [Task.id], [Task].[name] AS [Task.name], [Task].[created_at] AS [Task.createdAt], [Task->Project].[id] AS [Task.Project.id], [Task->Project].[name] AS [Task.Project.name], [Task->Project].[created_at] AS [Task.Project.createdAt] FROM [subtask] AS [Subtask] INNER JOIN [task] AS [Task] ON [Subtask].[task_id] = [Task].[id] INNER JOIN [project] AS [Task->Project] ON [Task].[project_id] = [Task->Project].[id] ORDER BY [Task->Project].[created_at] ASC, [Task->Project].[created_at], [Task].[created_at] ASC, [Task].[created_at], [Task->Project].[created_at] ASC, [Task->Project].[created_at], [Task].[created_at] ASC, [Task].[created_at], [Task->Project].[created_at] ASC, [Task->Project].[created_at], [Task].[created_at] ASC, [Task].[created_at], [Task->Project].[created_at] ASC, [Task->Project].[created_at], [Task].[created_at] ASC, [Task].[created_at], [Subtask].[created_at] ASC, [Subtask].[created_at], [Subtask].[created_at];")
    end)

    it("{ model: Subtask, attributes: [ 'id', 'name' ], order: [ Literal { val: 'RANDOM()' } ] }", function()
      local ours = Subtask:findAll{ attributes = { "id", "name" }, order = { Sequelize.literal("RANDOM()") }, raw = true }
      U.same(db, ours, "SELECT `id`, `name` FROM `subtask` AS `Subtask` ORDER BY RANDOM();", { unordered = true })
    end)

    describe("Invalid", function()
      local function rejected(opts, msg)
        local ok, err = pcall(Subtask.findAll, Subtask, opts)
        assert.is_false(ok)
        assert.equal("table", type(err))
        -- Sequelize's message, then what we add (the model, what was expected)
        assert.equal(msg, err.message:sub(1, #msg))
      end
      it("Error on invalid association", function()
        rejected({ order = { { Project, "createdAt", "ASC" } } }, "Unable to find a valid association for model, 'Project'")
      end)
      it("Error on invalid structure", function()
        rejected({ order = { { Subtask.associations.Task, "createdAt", Task.associations.Project, "ASC" } } },
          "Unknown structure passed to order / group: Project")
      end)
      it("Error when the order is a string", function()
        -- README: a bare name is taken as { { name } }, so this one is an unknown attribute
        rejected({ order = "i am a silly string" }, "Unknown attribute 'i am a silly string' in order of model Subtask")
      end)
      it("Error when the order contains a `{raw: \"...\"}` object", function()
        rejected({ order = { { raw = "this should throw an error" } } },
          'The `{raw: "..."}` syntax is no longer supported.  Use `sequelize.literal` instead.')
      end)
      it("Error when the order contains a `{raw: \"...\"}` object wrapped in an array", function()
        rejected({ order = { { { raw = "this should throw an error" } } } },
          'The `{raw: "..."}` syntax is no longer supported.  Use `sequelize.literal` instead.')
      end)
      -- (beyond the port) a model after the column with no include, after an expression or an
      -- attribute's definition as the column: Sequelize's quote() raises the same
      it("Error on a model after the column name without include, or after an expression or definition", function()
        local msg = "Unknown structure passed to order / group: Task"
        rejected({ order = { { "name", Task } } }, msg)
        rejected({ order = { { "name", "ASC", Task } } }, msg)
        rejected({ order = { { Sequelize.col("name"), Task } } }, msg)
        rejected({ order = { { Subtask.rawAttributes.name, Task } } }, msg)
        rejected({ include = { { model = Task, as = "Task" } }, order = { { Sequelize.col("name"), Subtask.associations.Task } } },
          "Unknown structure passed to order / group: Task")
      end)
      -- (beyond the port) Sequelize's quote() refuses the raw form anywhere in an item, and
      -- only as a plain object with raw set (`_.isPlainObject(x) && x.raw`)
      it("Error when the `{raw: \"...\"}` object is the direction, or the column of an include", function()
        local raw_msg = 'The `{raw: "..."}` syntax is no longer supported.  Use `sequelize.literal` instead.'
        rejected({ order = { { "name", { raw = "name" } } } }, raw_msg)
        rejected({ include = { { model = Task, as = "Task" } }, order = { { Subtask.associations.Task, { raw = "name" } } } }, raw_msg)
      end)
      it("a table with a metatable, or { raw = false }, is no `{raw: \"...\"}` object (no metamethod run)", function()
        local probe = setmetatable({}, { __index = function(_, k) error("metamethod run for " .. tostring(k)) end })
        rejected({ group = { probe } }, "Invalid group on Subtask: expected a column name, got table")
        rejected({ order = { probe } }, "Invalid order item on Subtask: expected { column, direction }")
        rejected({ group = { { raw = false } } }, "Invalid group on Subtask: expected a column name, got table")
      end)
    end)
  end)
end)
