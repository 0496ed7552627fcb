-- port_include_findAndCountAll_spec: a port of Sequelize's
-- test/integration/include/findAndCountAll.test.js (branch v6), test by test, titles kept;
-- promise fan-outs (Promise.all) are plain calls in order.
-- Skipped:
--   (none; the file's fake timers (sinon.useFakeTimers, clock.tick) are left out: no test
--   reads the time)
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

describe("Include findAndCountAll", function()
  local db

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
  end)

  after_each(function()
    db:close()
  end)

  it("should be able to include two required models with a limit. Result rows should match limit.", function()
    local Project = db:define("Project", { id = { type = DataTypes.INTEGER, primaryKey = true }, name = DataTypes.STRING(40) })
    local Task = db:define("Task", { name = DataTypes.STRING(40), fk = DataTypes.INTEGER })
    local Employee = db:define("Employee", { name = DataTypes.STRING(40), fk = DataTypes.INTEGER })
    Project:hasMany(Task, { foreignKey = "fk", constraints = false })
    Project:hasMany(Employee, { foreignKey = "fk", constraints = false })
    Task:belongsTo(Project, { foreignKey = "fk", constraints = false })
    Employee:belongsTo(Project, { foreignKey = "fk", constraints = false })
    db:sync{ force = true }
    Project:bulkCreate{
      { id = 1, name = "No tasks" },
      { id = 2, name = "No tasks no employees" },
      { id = 3, name = "No employees" },
      { id = 4, name = "In progress A" },
      { id = 5, name = "In progress B" },
      { id = 6, name = "In progress C" },
    }
    Task:bulkCreate{
      { name = "Important task", fk = 3 },
      { name = "Important task", fk = 4 },
      { name = "Important task", fk = 5 },
      { name = "Important task", fk = 6 },
    }
    Employee:bulkCreate{
      { name = "Jane Doe", fk = 1 },
      { name = "John Doe", fk = 4 },
      { name = "Jane John Doe", fk = 5 },
      { name = "John Jane Doe", fk = 6 },
    }
    -- Find all projects with tasks and employees
    local availableProjects, limit = 3, 2
    local result = Project:findAndCountAll{
      include = { { model = Task, required = true }, { model = Employee, required = true } },
      limit = limit,
    }
    assert.are.equal(availableProjects, result.count)
    assert.are.equal(limit, #result.rows, "Complete set of available rows were not returned.")
  end)

  it("should be able to include a required model. Result rows should match count", function()
    local User = db:define("User", { name = DataTypes.STRING(40) }, { paranoid = true })
    local SomeConnection = db:define("SomeConnection", {
      m = DataTypes.STRING(40), fk = DataTypes.INTEGER, u = DataTypes.INTEGER,
    }, { paranoid = true })
    local A = db:define("A", { name = DataTypes.STRING(40) }, { paranoid = true })
    local B = db:define("B", { name = DataTypes.STRING(40) }, { paranoid = true })
    local C = db:define("C", { name = DataTypes.STRING(40) }, { paranoid = true })
    User:hasMany(SomeConnection, { foreignKey = "u", constraints = false })
    SomeConnection:belongsTo(User, { foreignKey = "u", constraints = false })
    SomeConnection:belongsTo(A, { foreignKey = "fk", constraints = false })
    SomeConnection:belongsTo(B, { foreignKey = "fk", constraints = false })
    SomeConnection:belongsTo(C, { foreignKey = "fk", constraints = false })
    A:hasMany(SomeConnection, { foreignKey = "fk", constraints = false })
    B:hasMany(SomeConnection, { foreignKey = "fk", constraints = false })
    C:hasMany(SomeConnection, { foreignKey = "fk", constraints = false })
    db:sync{ force = true }
    User:bulkCreate{ { name = "Youtube" }, { name = "Facebook" }, { name = "Google" }, { name = "Yahoo" }, { name = "404" } }
    SomeConnection:bulkCreate{ -- Lets count, m: A and u: 1
      { u = 1, m = "A", fk = 1 }, -- 1  -- Will be deleted
      { u = 2, m = "A", fk = 1 },
      { u = 3, m = "A", fk = 1 },
      { u = 4, m = "A", fk = 1 },
      { u = 5, m = "A", fk = 1 },
      { u = 1, m = "B", fk = 1 },
      { u = 2, m = "B", fk = 1 },
      { u = 3, m = "B", fk = 1 },
      { u = 4, m = "B", fk = 1 },
      { u = 5, m = "B", fk = 1 },
      { u = 1, m = "C", fk = 1 },
      { u = 2, m = "C", fk = 1 },
      { u = 3, m = "C", fk = 1 },
      { u = 4, m = "C", fk = 1 },
      { u = 5, m = "C", fk = 1 },
      { u = 1, m = "A", fk = 2 }, -- 2 -- Will be deleted
      { u = 4, m = "A", fk = 2 },
      { u = 2, m = "A", fk = 2 },
      { u = 1, m = "A", fk = 3 }, -- 3
      { u = 2, m = "A", fk = 3 },
      { u = 3, m = "A", fk = 3 },
      { u = 2, m = "B", fk = 2 },
      { u = 1, m = "A", fk = 4 }, -- 4
      { u = 4, m = "A", fk = 2 },
    }
    A:bulkCreate{ { name = "Just" }, { name = "for" }, { name = "testing" }, { name = "proposes" }, { name = "only" } }
    B:bulkCreate{ { name = "this should not" }, { name = "be loaded" } }
    C:bulkCreate{ { name = "because we only want A" } }
    -- Delete some of conns to prove the concept
    SomeConnection:destroy{ where = { m = "A", u = 1, fk = { 1, 2 } } }
    -- we connected 4, but deleted 2, which means we must get 2 only
    local result = A:findAndCountAll{
      include = { { model = SomeConnection, required = true, where = { m = "A", u = 1 } } },
      limit = 5,
    }
    assert.are.equal(2, result.count)
    assert.are.equal(2, #result.rows)
  end)

  it("should count on a where and not use an uneeded include", function()
    local Project = db:define("Project", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      project_name = { type = DataTypes.STRING },
    })
    local User = db:define("User", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      user_name = { type = DataTypes.STRING },
    })
    User:hasMany(Project)
    User:sync{ force = true }
    Project:sync{ force = true }
    local user = User:create()
    local p1, p2, p3 = Project:create(), Project:create(), Project:create()
    user:setProjects{ p1, p2, p3 }
    local result = User:findAndCountAll{ where = { id = user.id }, include = { Project }, distinct = true }
    assert.are.equal(1, #result.rows)
    assert.are.equal(3, #result.rows[1].Projects)
    assert.are.equal(1, result.count)
  end)

  it("should return the correct count and rows when using a required belongsTo and a limit", function()
    local Foo = db:define("Foo", {})
    local Bar = db:define("Bar", {})
    Foo:hasMany(Bar)
    Bar:belongsTo(Foo)
    db:sync{ force = true }
    -- Make five instances of Foo
    Foo:bulkCreate{ { id = 1 }, { id = 2 }, { id = 3 }, { id = 4 }, { id = 5 } }
    -- Make four instances of Bar, related to the last four instances of Foo
    Bar:bulkCreate{ { FooId = 2 }, { FooId = 3 }, { FooId = 4 }, { FooId = 5 } }
    -- Query for the first two instances of Foo which have related Bars
    local result = Foo:findAndCountAll{ include = { { model = Bar, required = true } }, limit = 2 }
    local items = Foo:findAll{ include = { { model = Bar, required = true } }, limit = 2 }
    assert.are.equal(2, #items)
    assert.are.equal(4, result.count)
    -- The first two of those should be returned due to the limit (Foo instances 2 and 3)
    assert.are.equal(2, #result.rows)
  end)

  it("should return the correct count and rows when using a required belongsTo with a where condition and a limit", function()
    local Foo = db:define("Foo", {})
    local Bar = db:define("Bar", { m = DataTypes.STRING(40) })
    Foo:hasMany(Bar)
    Bar:belongsTo(Foo)
    db:sync{ force = true }
    Foo:bulkCreate{ { id = 1 }, { id = 2 }, { id = 3 }, { id = 4 }, { id = 5 } }
    -- Make four instances of Bar, related to the first two instances of Foo
    Bar:bulkCreate{ { FooId = 1, m = "yes" }, { FooId = 1, m = "yes" }, { FooId = 1, m = "no" }, { FooId = 2, m = "yes" } }
    -- Query for the first instance of Foo which have related Bars with m == 'yes'
    local result = Foo:findAndCountAll{
      include = { { model = Bar, where = { m = "yes" } } },
      limit = 1,
      distinct = true,
    }
    -- There should be 2 instances matching the query (Instances 1 and 2)
    assert.are.equal(2, result.count)
    -- The first one of those should be returned due to the limit (Foo instance 1)
    assert.are.equal(1, #result.rows)
  end)

  it("should correctly filter, limit and sort when multiple includes and types of associations are present.", function()
    local function pk() return { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true } end
    local TaskTag = db:define("TaskTag", { id = pk(), name = { type = DataTypes.STRING } })
    local Tag = db:define("Tag", { id = pk(), name = { type = DataTypes.STRING } })
    local Task = db:define("Task", { id = pk(), name = { type = DataTypes.STRING } })
    local Project = db:define("Project", { id = pk(), m = { type = DataTypes.STRING } })
    local User = db:define("User", { id = pk(), name = { type = DataTypes.STRING } })
    Project:belongsTo(User)
    Task:belongsTo(Project)
    Task:belongsToMany(Tag, { through = TaskTag })
    db:sync{ force = true }
    User:bulkCreate{ { name = "user-name-1" }, { name = "user-name-2" } }
    Project:bulkCreate{ { m = "A", UserId = 1 }, { m = "A", UserId = 2 } }
    Task:bulkCreate{
      { ProjectId = 1, name = "Just" },
      { ProjectId = 1, name = "for" },
      { ProjectId = 2, name = "testing" },
      { ProjectId = 2, name = "proposes" },
    }
    -- Find All Tasks with Project(m=a) and User(name=user-name-2)
    local result = Task:findAndCountAll{
      limit = 1,
      offset = 0,
      order = { { "id", "DESC" } },
      include = {
        { model = Project, where = { [Op.and_] = { { m = "A" } } }, include = {
          { model = User, where = { [Op.and_] = { { name = "user-name-2" } } } } } },
        { model = Tag },
      },
    }
    assert.are.equal(2, result.count)
    assert.are.equal(1, #result.rows)
  end)

  it("should properly work with sequelize.function", function()
    local User = db:define("User", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      first_name = { type = DataTypes.STRING },
      last_name = { type = DataTypes.STRING },
    })
    local Project = db:define("Project", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      name = { type = DataTypes.STRING },
    })
    User:hasMany(Project)
    db:sync{ force = true }
    User:bulkCreate{
      { first_name = "user-fname-1", last_name = "user-lname-1" },
      { first_name = "user-fname-2", last_name = "user-lname-2" },
      { first_name = "user-xfname-1", last_name = "user-xlname-1" },
    }
    Project:bulkCreate{
      { name = "naam-satya", UserId = 1 },
      { name = "guru-satya", UserId = 2 },
      { name = "app-satya", UserId = 2 },
    }
    local result = User:findAndCountAll{
      limit = 1,
      offset = 1,
      where = db:or_(
        { first_name = { [Op.like] = "%user-fname%" } },
        { last_name = { [Op.like] = "%user-lname%" } }
      ),
      include = { {
        model = Project, required = true,
        where = { name = { [Op.in_] = { "naam-satya", "guru-satya" } } },
      } },
    }
    assert.are.equal(2, result.count)
    assert.are.equal(1, #result.rows)
  end)
end)
