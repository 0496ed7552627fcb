-- Port of Sequelize v6's test/integration/model/count.test.js (branch v6), sqlite dialect.
-- Skipped: none. Notes: the Promise.all of counts runs them in turn; `raw: undefined` is a
-- count without raw; `new Date().setFullYear(2015)` is a date in 2015.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of count.test.js)", function()
  describe("count", function()
    local db, User, Project
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", { username = DataTypes.STRING, age = DataTypes.INTEGER })
      Project = db:define("Project", { name = DataTypes.STRING })
      User:hasMany(Project)
      Project:belongsTo(User)
      db:sync({ force = true })
    end)
    after_each(function() db:close() end)

    it("should count rows", function()
      User:bulkCreate({ { username = "foo" }, { username = "bar" } })
      assert.equal(2, User:count())
    end)

    it("should support include", function()
      User:bulkCreate({ { username = "foo" }, { username = "bar" } })
      local user = User:findOne()
      user:createProject({ name = "project1" })
      assert.equal(1, User:count({ include = { { model = Project, where = { name = "project1" } } } }))
    end)

    it("should count groups correctly and return attributes", function()
      User:bulkCreate({
        { username = "foo" },
        { username = "bar" },
        { username = "valak", createdAt = "2015-06-18T10:20:30.456Z" },
      })
      local users = User:count({ attributes = { "createdAt" }, group = { "createdAt" } })
      assert.equal(2, #users)
      assert.is_not_nil(users[1].createdAt)
      assert.is_not_nil(users[2].createdAt)
    end)

    it("should not return NaN", function()
      User:bulkCreate({
        { username = "valak", age = 10 },
        { username = "conjuring", age = 20 },
        { username = "scary", age = 10 },
      })
      local result = User:count({ where = { age = 10 }, group = { "age" }, order = { "age" } })
      assert.equal(2, tonumber(result[1].count))
      assert.equal(0, User:count({ where = { username = "fire" } }))
      local count = User:count({ where = { username = "fire" }, group = "age" })
      assert.same({}, count)
    end)

    it("should be able to specify column for COUNT()", function()
      User:bulkCreate({
        { username = "ember", age = 10 },
        { username = "angular", age = 20 },
        { username = "mithril", age = 10 },
      })
      assert.equal(3, User:count({ col = "username" }))
      assert.equal(2, User:count({ col = "age", distinct = true }))
    end)

    it("should be able to specify NO column for COUNT() with DISTINCT", function()
      User:bulkCreate({
        { username = "ember", age = 10 },
        { username = "angular", age = 20 },
        { username = "mithril", age = 10 },
      })
      assert.equal(3, User:count({ distinct = true }))
    end)

    it("should be able to use where clause on included models", function()
      local countOptions = { col = "username", include = { Project }, where = { ["$Projects.name$"] = "project1" } }
      User:bulkCreate({ { username = "foo" }, { username = "bar" } })
      local user = User:findOne()
      user:createProject({ name = "project1" })
      assert.equal(1, User:count(countOptions))
      countOptions.where["$Projects.name$"] = "project2"
      assert.equal(0, User:count(countOptions))
    end)

    it("should be able to specify column for COUNT() with includes", function()
      User:bulkCreate({
        { username = "ember", age = 10 },
        { username = "angular", age = 20 },
        { username = "mithril", age = 10 },
      })
      assert.equal(3, User:count({ col = "username", distinct = true, include = { Project } }))
      assert.equal(2, User:count({ col = "age", distinct = true, include = { Project } }))
    end)

    it("should work correctly with include and whichever raw option", function()
      local Post = db:define("Post", {})
      User:hasMany(Post)
      Post:sync({ force = true })
      local user = User:create({})
      local post = Post:create({})
      user:addPost(post)
      local counts = {
        User:count(),
        User:count({}),
        User:count({ raw = false }),
        User:count({ raw = true }),
        User:count({ include = Post }),
        User:count({ include = Post }),
        User:count({ include = Post, raw = false }),
        User:count({ include = Post, raw = true }),
      }
      assert.same({ 1, 1, 1, 1, 1, 1, 1, 1 }, counts)
    end)
  end)
end)
