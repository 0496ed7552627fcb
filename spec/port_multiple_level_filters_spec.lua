-- port_multiple_level_filters_spec: a port of Sequelize's
-- test/integration/associations/multiple-level-filters.test.js (branch v6), test by test, titles
-- kept. The first three tests build the same models and rows, so they share one database.
-- Skipped:
--   (none: every test of the file runs on sqlite)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Multiple Level Filters", function()
  describe("(users, projects, tasks)", function()
    local db, User, Task, Project
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", { username = DataTypes.STRING })
      Task = db:define("Task", { title = DataTypes.STRING })
      Project = db:define("Project", { title = DataTypes.STRING })
      Project:belongsTo(User)
      User:hasMany(Project)
      Task:belongsTo(Project)
      Project:hasMany(Task)
      db:sync{ force = true }
      User:bulkCreate{ { username = "leia" }, { username = "vader" } }
      Project:bulkCreate{ { UserId = 1, title = "republic" }, { UserId = 2, title = "empire" } }
      Task:bulkCreate{
        { ProjectId = 1, title = "fight empire" },
        { ProjectId = 1, title = "stablish republic" },
        { ProjectId = 2, title = "destroy rebel alliance" },
        { ProjectId = 2, title = "rule everything" },
      }
    end)
    teardown(function() db:close() end)

    it("can filter through belongsTo", function()
      local tasks = Task:findAll{ include = { {
        model = Project, include = { { model = User, where = { username = "leia" } } }, required = true,
      } } }
      assert.are.equal(2, #tasks)
      assert.are.equal("fight empire", tasks[1].title)
      assert.are.equal("stablish republic", tasks[2].title)
    end)

    it("avoids duplicated tables in query", function()
      local tasks = Task:findAll{ include = { {
        model = Project, include = { { model = User, where = { username = "leia", id = 1 } } }, required = true,
      } } }
      assert.are.equal(2, #tasks)
      assert.are.equal("fight empire", tasks[1].title)
      assert.are.equal("stablish republic", tasks[2].title)
    end)

    it("can filter through hasMany", function()
      local users = User:findAll{ include = { {
        model = Project, include = { { model = Task, where = { title = "fight empire" } } }, required = true,
      } } }
      assert.are.equal(1, #users)
      assert.are.equal("leia", users[1].username)
    end)
  end)

  it("can filter through hasMany connector", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User", { username = DataTypes.STRING })
    local Project = db:define("Project", { title = DataTypes.STRING })
    Project:belongsToMany(User, { through = "user_project" })
    User:belongsToMany(Project, { through = "user_project" })
    db:sync{ force = true }
    User:bulkCreate{ { username = "leia" }, { username = "vader" } }
    Project:bulkCreate{ { title = "republic" }, { title = "empire" } }
    User:findByPk(1):setProjects{ Project:findByPk(1) }
    User:findByPk(2):setProjects{ Project:findByPk(2) }
    local users = User:findAll{ include = { { model = Project, where = { title = "republic" } } } }
    assert.are.equal(1, #users)
    assert.are.equal("leia", users[1].username)
    db:close()
  end)
end)
