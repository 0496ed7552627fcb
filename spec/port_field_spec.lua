-- Port of Sequelize v6's test/integration/model/attributes/field.test.js (branch v6), sqlite dialect.
-- Skipped: none. The JS runs under sinon's fake clock (only ticked once, after a destroy); these
-- run on the real clock. The `mssql` / `db2` / `oracle` literal variants are left out (sqlite's
-- form is kept). Promise.all over independent writes is written as plain calls in order.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model attributes field (port of field.test.js)", function()
  local db, qi, User, Task, Comment

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    qi = db:getQueryInterface()
    User = db:define("user", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true, field = "userId" },
      name = { type = DataTypes.STRING, field = "full_name" },
      taskCount = { type = DataTypes.INTEGER, field = "task_count", defaultValue = 0, allowNull = false },
    }, { tableName = "users", timestamps = false })
    Task = db:define("task", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true, field = "taskId" },
      title = { type = DataTypes.STRING, field = "name" },
    }, { tableName = "tasks", timestamps = false })
    Comment = db:define("comment", {
      id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true, field = "commentId" },
      text = { type = DataTypes.STRING, field = "comment_text" },
      notes = { type = DataTypes.STRING, field = "notes" },
      likes = { type = DataTypes.INTEGER, field = "like_count" },
      createdAt = { type = DataTypes.DATE, field = "created_at", allowNull = false },
      updatedAt = { type = DataTypes.DATE, field = "updated_at", allowNull = false },
    }, { tableName = "comments", timestamps = true })

    User:hasMany(Task, { foreignKey = "user_id" })
    Task:belongsTo(User, { foreignKey = "user_id" })
    Task:hasMany(Comment, { foreignKey = "task_id" })
    Comment:belongsTo(Task, { foreignKey = "task_id" })
    User:belongsToMany(Comment, { foreignKey = "userId", otherKey = "commentId", through = "userComments" })

    qi:createTable("users", {
      userId = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      full_name = { type = DataTypes.STRING },
      task_count = { type = DataTypes.INTEGER, allowNull = false, defaultValue = 0 },
    })
    qi:createTable("tasks", {
      taskId = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      user_id = { type = DataTypes.INTEGER },
      name = { type = DataTypes.STRING },
    })
    qi:createTable("comments", {
      commentId = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
      task_id = { type = DataTypes.INTEGER },
      comment_text = { type = DataTypes.STRING },
      notes = { type = DataTypes.STRING },
      like_count = { type = DataTypes.INTEGER },
      created_at = { type = DataTypes.DATE, allowNull = false },
      updated_at = { type = DataTypes.DATE },
    })
    qi:createTable("userComments", {
      commentId = { type = DataTypes.INTEGER },
      userId = { type = DataTypes.INTEGER },
    })
  end)
  after_each(function() db:close() end)

  describe("primaryKey", function()
    describe("in combination with allowNull", function()
      local ModelUnderTest
      before_each(function()
        ModelUnderTest = db:define("ModelUnderTest", {
          identifier = { primaryKey = true, type = DataTypes.STRING, allowNull = false },
        })
        ModelUnderTest:sync({ force = true })
      end)

      it("sets the column to not allow null", function()
        local fields = ModelUnderTest:describe()
        assert.is_false(fields.identifier.allowNull)
      end)
    end)

    it("should support instance.destroy()", function()
      local user = User:create()
      user:destroy()
    end)

    it("should support Model.destroy()", function()
      local user = User:create()
      User:destroy({ where = { id = user:get("id") } })
    end)
  end)

  describe("field and attribute name is the same", function()
    before_each(function()
      Comment:bulkCreate({ { notes = "Number one" }, { notes = "Number two" } })
    end)

    it("bulkCreate should work", function()
      local comments = Comment:findAll()
      assert.equal("Number one", comments[1].notes)
      assert.equal("Number two", comments[2].notes)
    end)

    it("find with where should work", function()
      local comments = Comment:findAll({ where = { notes = "Number one" } })
      assert.equal(1, #comments)
      assert.equal("Number one", comments[1].notes)
    end)

    it("reload should work", function()
      local comment = Comment:findByPk(1)
      comment:reload()
    end)

    it("save should work", function()
      local comment1 = Comment:create({ notes = "my note" })
      comment1.notes = "new note"
      local comment0 = comment1:save()
      local comment = comment0:reload()
      assert.equal("new note", comment.notes)
    end)
  end)

  it("increment should work", function()
    Comment:destroy({ truncate = true })
    local comment1 = Comment:create({ note = "oh boy, here I go again", likes = 23 })
    local comment0 = comment1:increment("likes")
    local comment = comment0:reload()
    assert.equal(24, comment.likes)
  end)

  it("decrement should work", function()
    Comment:destroy({ truncate = true })
    local comment1 = Comment:create({ note = "oh boy, here I go again", likes = 23 })
    local comment0 = comment1:decrement("likes")
    local comment = comment0:reload()
    assert.equal(22, comment.likes)
  end)

  it("sum should work", function()
    Comment:destroy({ truncate = true })
    Comment:create({ note = "oh boy, here I go again", likes = 23 })
    local likes = Comment:sum("likes")
    assert.equal(23, likes)
  end)

  it("should create, fetch and update with alternative field names from a simple model", function()
    User:create({ name = "Foobar" })
    local user0 = User:findOne({ limit = 1 })
    assert.equal("Foobar", user0:get("name"))
    user0:update({ name = "Barfoo" })
    local user = User:findOne({ limit = 1 })
    assert.equal("Barfoo", user:get("name"))
  end)

  it("should bulk update", function()
    local Entity = db:define("Entity", { strField = { type = DataTypes.STRING, field = "str_field" } })
    db:sync({ force = true })
    Entity:create({ strField = "foo" })
    Entity:update({ strField = "bar" }, { where = { strField = "foo" } })
    local entity = Entity:findOne({ where = { strField = "bar" } })
    assert.truthy(entity)
    assert.equal("bar", entity:get("strField"))
  end)

  it("should not contain the field properties after create", function()
    local Model = db:define("test", {
      id = { type = DataTypes.INTEGER, field = "test_id", autoIncrement = true, primaryKey = true,
             validate = { min = 1 } },
      title = { allowNull = false, type = DataTypes.STRING(255), field = "test_title" },
    }, { timestamps = true, underscored = true, freezeTableName = true })
    Model:sync({ force = true })
    local data = Model:create({ title = "test" })
    assert.is_nil(data:get("test_title"))
    assert.is_nil(data:get("test_id"))
  end)

  it("should make the aliased auto incremented primary key available after create", function()
    local user = User:create({ name = "Barfoo" })
    assert.truthy(user:get("id"))
  end)

  it("should work with where on includes for find", function()
    local user = User:create({ name = "Barfoo" })
    local task0 = user:createTask({ title = "DatDo" })
    task0:createComment({ text = "Comment" })
    local task = Task:findOne({
      include = { { model = Comment }, { model = User } },
      where = { title = "DatDo" },
    })
    assert.equal("DatDo", task:get("title"))
    assert.equal("Comment", task:get("comments")[1]:get("text"))
    assert.truthy(task:get("user"))
  end)

  it("should work with where on includes for findAll", function()
    local user = User:create({ name = "Foobar" })
    local task = user:createTask({ title = "DoDat" })
    task:createComment({ text = "Comment" })
    local users = User:findAll({
      include = { { model = Task, where = { title = "DoDat" }, include = { { model = Comment } } } },
    })
    assert.equal(1, #users)
    for _, u in ipairs(users) do
      assert.truthy(u:get("name"))
      assert.equal("DoDat", u:get("tasks")[1]:get("title"))
      assert.truthy(u:get("tasks")[1]:get("comments"))
    end
  end)

  it("should work with increment", function()
    local user = User:create()
    user:increment("taskCount")
  end)

  it("should work with a simple where", function()
    User:create({ name = "Foobar" })
    local user = User:findOne({ where = { name = "Foobar" } })
    assert.truthy(user)
  end)

  it("should work with a where or", function()
    User:create({ name = "Foobar" })
    local user = User:findOne({ where = db:or_({ name = "Foobar" }, { name = "Lollerskates" }) })
    assert.truthy(user)
  end)

  it("should work with bulkCreate and findAll", function()
    User:bulkCreate({ { name = "Abc" }, { name = "Bcd" }, { name = "Cde" } })
    local users = User:findAll()
    assert.equal(3, #users)
    local ok = { Abc = true, Bcd = true, Cde = true }
    for _, u in ipairs(users) do assert.is_true(ok[u:get("name")]) end
  end)

  it("should support renaming of sequelize method fields", function()
    local Test = db:define("test", { someProperty = DataTypes.VIRTUAL })
    db:sync({ force = true })
    Test:create({})
    local tests = Test:findAll({
      attributes = {
        Sequelize.literal('EXISTS(SELECT 1) AS "someProperty"'),
        { Sequelize.literal("EXISTS(SELECT 1)"), "someProperty2" },
      },
    })
    assert.truthy(tests[1]:get("someProperty"))
    assert.truthy(tests[1]:get("someProperty2"))
  end)

  it("should sync foreign keys with custom field names", function()
    db:sync({ force = true })
    local attrs = Task.tableAttributes
    assert.equal("users", attrs.user_id.references.model)
    assert.equal("userId", attrs.user_id.references.key)
  end)

  it("should find the value of an attribute with a custom field name", function()
    User:create({ name = "test user" })
    local user = User:findOne({ where = { name = "test user" } })
    assert.equal("test user", user.name)
  end)

  it("field names that are the same as property names should create, update, and read correctly", function()
    Comment:create({ notes = "Foobar" })
    local comment0 = Comment:findOne({ limit = 1 })
    assert.equal("Foobar", comment0:get("notes"))
    comment0:update({ notes = "Barfoo" })
    local comment = Comment:findOne({ limit = 1 })
    assert.equal("Barfoo", comment:get("notes"))
  end)

  it("should work with a belongsTo association getter", function()
    local userId = math.random(0, 99999)
    local user = User:create({ id = userId })
    local task = Task:create({ user_id = userId })
    local userA, userB = user, task:getUser()
    assert.equal(userB:get("id"), userA:get("id"))
    assert.equal(userId, userA:get("id"))
    assert.equal(userId, userB:get("id"))
  end)

  it("should work with paranoid instance.destroy()", function()
    local U = db:define("User", {
      deletedAt = { type = DataTypes.DATE, field = "deleted_at" },
    }, { timestamps = true, paranoid = true })
    U:sync({ force = true })
    local user = U:create()
    user:destroy()
    local users = U:findAll()
    assert.equal(0, #users)
  end)

  it("should work with paranoid Model.destroy()", function()
    local U = db:define("User", {
      deletedAt = { type = DataTypes.DATE, field = "deleted_at" },
    }, { timestamps = true, paranoid = true })
    U:sync({ force = true })
    local user = U:create()
    U:destroy({ where = { id = user:get("id") } })
    local users = U:findAll()
    assert.equal(0, #users)
  end)

  it("should work with `belongsToMany` association `count`", function()
    local user = User:create({ name = "John" })
    assert.equal(0, user:countComments())
  end)

  it("should work with `hasMany` association `count`", function()
    local user = User:create({ name = "John" })
    assert.equal(0, user:countTasks())
  end)
end)
