-- port_include_separate_spec: a port of Sequelize's test/integration/include/separate.test.js
-- (branch v6), test by test, titles kept; promise fan-outs (Promise.all) are plain calls in order.
-- Sequelize runs that file only where `dialect.supports.groupedLimit` (false for sqlite), so its
-- CI never ran it on sqlite; each test ported here was run in Node with Sequelize 6.37.8 on
-- sqlite :memory: and passes there. sinon's sqlSpy is a logging function counting statements.
-- Skipped:
--   (none; Support.dropTestSchemas and showAllSchemas, whose result the test reads only on
--   postgres, mssql and mariadb, are left out of the schema test)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Include separate", function()
  local db, calls

  local function sqlSpy() calls = calls + 1 end

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    calls = 0
  end)

  after_each(function()
    db:close()
  end)

  it("should run a hasMany association in a separate query", function()
    local User = db:define("User", {})
    local Task = db:define("Task", {})
    User.Tasks = User:hasMany(Task, { as = "tasks" })
    db:sync{ force = true }
    User:create({ id = 1, tasks = { {}, {}, {} } }, { include = { User.Tasks } })
    User:create({ id = 2, tasks = { {} } }, { include = { User.Tasks } })
    local users = User:findAll{
      include = { { association = User.Tasks, separate = true } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    assert.truthy(users[1]:get("tasks"))
    assert.are.equal(3, #users[1]:get("tasks"))
    assert.truthy(users[2]:get("tasks"))
    assert.are.equal(1, #users[2]:get("tasks"))
    assert.truthy(users[1]:get("tasks")[1].createdAt)
    assert.truthy(users[1]:get("tasks")[1].updatedAt)
    assert.are.equal(2, calls)
  end)

  it("should work even if the id was not included", function()
    local User = db:define("User", { name = DataTypes.STRING })
    local Task = db:define("Task", {})
    User.Tasks = User:hasMany(Task, { as = "tasks" })
    db:sync{ force = true }
    User:create({ id = 1, tasks = { {}, {}, {} } }, { include = { User.Tasks } })
    local users = User:findAll{
      attributes = { "name" },
      include = { { association = User.Tasks, separate = true } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    assert.truthy(users[1]:get("tasks"))
    assert.are.equal(3, #users[1]:get("tasks"))
    assert.are.equal(2, calls)
  end)

  it("should work even if include does not specify foreign key attribute with custom sourceKey", function()
    local User = db:define("User", {
      name = DataTypes.STRING,
      userExtraId = { type = DataTypes.INTEGER, unique = true },
    })
    local Task = db:define("Task", { title = DataTypes.STRING })
    User.Tasks = User:hasMany(Task, { as = "tasks", foreignKey = "userId", sourceKey = "userExtraId" })
    db:sync{ force = true }
    User:create({ id = 1, userExtraId = 222, tasks = { {}, {}, {} } }, { include = { User.Tasks } })
    local users = User:findAll{
      attributes = { "name" },
      include = { { attributes = { "title" }, association = User.Tasks, separate = true } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    assert.truthy(users[1]:get("tasks"))
    assert.are.equal(3, #users[1]:get("tasks"))
    assert.are.equal(2, calls)
  end)

  it("should not break a nested include with null values", function()
    local User = db:define("User", {})
    local Team = db:define("Team", {})
    local Company = db:define("Company", {})
    User.Team = User:belongsTo(Team)
    Team.Company = Team:belongsTo(Company)
    db:sync{ force = true }
    User:create({})
    User:findAll{ include = { { association = User.Team, include = { Team.Company } } } }
  end)

  it("should run a hasMany association with limit in a separate query", function()
    local User = db:define("User", {})
    local Task = db:define("Task", { userId = { type = DataTypes.INTEGER, field = "user_id" } })
    User.Tasks = User:hasMany(Task, { as = "tasks", foreignKey = "userId" })
    db:sync{ force = true }
    User:create({ id = 1, tasks = { {}, {}, {} } }, { include = { User.Tasks } })
    User:create({ id = 2, tasks = { {}, {}, {}, {} } }, { include = { User.Tasks } })
    local users = User:findAll{
      include = { { association = User.Tasks, limit = 2 } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    assert.truthy(users[1]:get("tasks"))
    assert.are.equal(2, #users[1]:get("tasks"))
    assert.truthy(users[2]:get("tasks"))
    assert.are.equal(2, #users[2]:get("tasks"))
    assert.are.equal(2, calls)
  end)

  it("should run a nested (from a non-separate include) hasMany association in a separate query", function()
    local User = db:define("User", {})
    local Company = db:define("Company")
    local Task = db:define("Task", {})
    User.Company = User:belongsTo(Company, { as = "company" })
    Company.Tasks = Company:hasMany(Task, { as = "tasks" })
    db:sync{ force = true }
    local nested = { include = { { association = User.Company, include = { Company.Tasks } } } }
    User:create({ id = 1, company = { tasks = { {}, {}, {} } } }, nested)
    User:create({ id = 2, company = { tasks = { {} } } }, nested)
    local users = User:findAll{
      include = { { association = User.Company, include = {
        { association = Company.Tasks, separate = true } } } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    assert.truthy(users[1]:get("company"):get("tasks"))
    assert.are.equal(3, #users[1]:get("company"):get("tasks"))
    assert.truthy(users[2]:get("company"):get("tasks"))
    assert.are.equal(1, #users[2]:get("company"):get("tasks"))
    assert.are.equal(2, calls)
  end)

  it("should work having a separate include between a parent and child include", function()
    local User = db:define("User", {})
    local Project = db:define("Project")
    local Company = db:define("Company")
    local Task = db:define("Task", {})
    Company.Users = Company:hasMany(User, { as = "users" })
    User.Tasks = User:hasMany(Task, { as = "tasks" })
    Task.Project = Task:belongsTo(Project, { as = "project" })
    db:sync{ force = true }
    Company:create({
      id = 1,
      users = { { tasks = { { project = {} }, { project = {} }, { project = {} } } } },
    }, {
      include = { { association = Company.Users, include = {
        { association = User.Tasks, include = { Task.Project } } } } },
    })
    local companies = Company:findAll{
      include = { { association = Company.Users, include = {
        { association = User.Tasks, separate = true, include = { Task.Project } } } } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    assert.are.equal(2, calls)
    assert.truthy(companies[1].users[1].tasks[1].project)
  end)

  it("should run two nested hasMany association in a separate queries", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    local Task = db:define("Task", {})
    User.Projects = User:hasMany(Project, { as = "projects" })
    Project.Tasks = Project:hasMany(Task, { as = "tasks" })
    db:sync{ force = true }
    local nested = { include = { { association = User.Projects, include = { Project.Tasks } } } }
    User:create({ id = 1, projects = {
      { id = 1, tasks = { {}, {}, {} } },
      { id = 2, tasks = { {} } },
    } }, nested)
    User:create({ id = 2, projects = { { id = 3, tasks = { {}, {} } } } }, nested)
    local users = User:findAll{
      include = { { association = User.Projects, separate = true, include = {
        { association = Project.Tasks, separate = true } } } },
      order = { { "id", "ASC" } },
      logging = sqlSpy,
    }
    local u1projects = users[1]:get("projects")
    assert.truthy(u1projects)
    assert.truthy(u1projects[1]:get("tasks"))
    assert.truthy(u1projects[2]:get("tasks"))
    assert.are.equal(2, #u1projects)
    local function find(list, id)
      for _, p in ipairs(list) do if p.id == id then return p end end
    end
    assert.are.equal(3, #find(u1projects, 1):get("tasks"))
    assert.are.equal(1, #find(u1projects, 2):get("tasks"))
    assert.truthy(users[2]:get("projects"))
    assert.truthy(users[2]:get("projects")[1]:get("tasks"))
    assert.are.equal(1, #users[2]:get("projects"))
    assert.are.equal(2, #users[2]:get("projects")[1]:get("tasks"))
    assert.are.equal(3, calls)
  end)

  it("should work with two schema models in a hasMany association", function()
    local User = db:define("User", {}, { schema = "archive" })
    local Task = db:define("Task", {
      id = { type = DataTypes.INTEGER, primaryKey = true },
      title = DataTypes.STRING,
    }, { schema = "archive" })
    User.Tasks = User:hasMany(Task, { as = "tasks" })
    db:createSchema("archive")
    db:sync{ force = true }
    User:create({ id = 1, tasks = {
      { id = 1, title = "b" }, { id = 2, title = "d" }, { id = 3, title = "c" }, { id = 4, title = "a" },
    } }, { include = { User.Tasks } })
    User:create({ id = 2, tasks = {
      { id = 5, title = "a" }, { id = 6, title = "c" }, { id = 7, title = "b" },
    } }, { include = { User.Tasks } })
    local result = User:findAll{
      include = { { model = Task, limit = 2, as = "tasks", order = { { "id", "ASC" } } } },
      order = { { "id", "ASC" } },
    }
    assert.are.equal(2, #result[1].tasks)
    assert.are.equal("b", result[1].tasks[1].title)
    assert.are.equal("d", result[1].tasks[2].title)
    assert.are.equal(2, #result[2].tasks)
    assert.are.equal("a", result[2].tasks[1].title)
    assert.are.equal("c", result[2].tasks[2].title)
    db:dropSchema("archive")
  end)

  it("should work with required non-separate parent and required child", function()
    local User = db:define("User", {})
    local Task = db:define("Task", {})
    local Company = db:define("Company", {})
    Task.User = Task:belongsTo(User)
    User.Tasks = User:hasMany(Task)
    User.Company = User:belongsTo(Company)
    db:sync{ force = true }
    local task = Task:create{ id = 1 }
    local user = task:createUser{ id = 2 }
    user:createCompany{ id = 3 }
    local results = Task:findAll{
      include = { {
        association = Task.User, required = true,
        include = { {
          association = User.Tasks, attributes = { "UserId" }, separate = true,
          include = { {
            association = Task.User, attributes = { "id" }, required = true,
            include = { { association = User.Company } },
          } },
        } },
      } },
    }
    assert.are.equal(1, #results)
    assert.are.equal(1, results[1].id)
    assert.are.equal(2, results[1].User.id)
    assert.are.equal(1, #results[1].User.Tasks)
    assert.are.equal(2, results[1].User.Tasks[1].User.id)
    assert.are.equal(3, results[1].User.Tasks[1].User.Company.id)
  end)

end)
