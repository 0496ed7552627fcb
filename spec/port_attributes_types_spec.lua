-- Port of Sequelize v6's test/integration/model/attributes/types.test.js (branch v6), sqlite dialect.
-- Skipped: none. The finders run one after the other (Promise.all there); `logging: sqlAssert` is
-- a logging function that checks each statement.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of model/attributes/types.test.js)", function()
  describe("attributes", function()
    describe("types", function()
      describe("VIRTUAL", function()
        local db, User, Task, Project, statements

        local function sqlAssert(sql)
          statements = statements + 1
          assert.is_nil(sql:find("field1", 1, true), sql)
          assert.is_nil(sql:find("field2", 1, true), sql)
        end

        before_each(function()
          statements = 0
          db = Sequelize.new("sqlite::memory:")
          User = db:define("user", {
            storage = DataTypes.STRING,
            field1 = {
              type = DataTypes.VIRTUAL,
              set = function(self, val)
                self:setDataValue("storage", val)
                self:setDataValue("field1", val)
              end,
              get = function(self) return self:getDataValue("field1") end,
            },
            field2 = { type = DataTypes.VIRTUAL, get = function() return 42 end },
            virtualWithDefault = { type = DataTypes.VIRTUAL, defaultValue = "cake" },
          }, { timestamps = false })
          Task = db:define("task", {})
          Project = db:define("project", {})
          Task:belongsTo(User)
          User:hasMany(Task)
          Project:belongsToMany(User, { through = "project_user" })
          User:belongsToMany(Project, { through = "project_user" })
          db:sync({ force = true })
        end)
        after_each(function() db:close() end)

        it("should not be ignored in dataValues get", function()
          local user = User:build({ field1 = "field1_value", field2 = "field2_value" })
          assert.are.same({ storage = "field1_value", field1 = "field1_value", virtualWithDefault = "cake",
                            field2 = 42, id = Sequelize.null }, user:get())
        end)

        it("should be ignored in table creation", function()
          local fields = db:getQueryInterface():describeTable(User.tableName)
          local n = 0
          for _ in pairs(fields) do n = n + 1 end
          assert.are.equal(2, n)
        end)

        it("should be ignored in find, findAll and includes", function()
          User:findOne({ logging = sqlAssert })
          User:findAll({ logging = sqlAssert })
          Task:findAll({ include = { User }, logging = sqlAssert })
          Project:findAll({ include = { User }, logging = sqlAssert })
          assert.are.equal(4, statements)
        end)

        it("should allow me to store selected values", function()
          local Post = db:define("Post", { text = DataTypes.TEXT, someBoolean = { type = DataTypes.VIRTUAL } })
          db:sync({ force = true })
          Post:bulkCreate({ { text = "text1" }, { text = "text2" } })
          local post = Post:findOne({ attributes = { "id", "text", Sequelize.literal('EXISTS(SELECT 1) AS "someBoolean"') } })
          assert.truthy(post:get("someBoolean"))
          assert.truthy(post:get().someBoolean)
        end)

        it("should be ignored in create and update", function()
          local user0 = User:create({ field1 = "something" })
          assert.are.equal("cake", user0.virtualWithDefault)
          assert.are.equal("something", user0.storage)
          local user = user0:update({ field1 = "something else" }, { fields = { "storage" } })
          assert.are.equal("cake", user.virtualWithDefault)
          assert.are.equal("something else", user.storage)
          assert.are.equal("something else", User:findByPk(user.id).storage)
        end)

        it("should be ignored in bulkCreate and and bulkUpdate", function()
          User:bulkCreate({ { field1 = "something" } }, { logging = sqlAssert })
          local users = User:findAll()
          assert.are.equal("something", users[1].storage)
        end)

        it("should be able to exclude with attributes", function()
          User:bulkCreate({ { field1 = "something" } }, { logging = sqlAssert })
          local users0 = User:findAll({ logging = sqlAssert })
          local user0 = users0[1]:get()
          assert.are.equal("something", user0.storage)
          -- field1's getter reads its data value, undefined after a find: chai sees the key, Lua
          -- cannot hold a nil under a key, so only field2 is checked
          assert.are.equal(42, user0.field2)

          local users = User:findAll({ attributes = { exclude = { "field1" } }, logging = sqlAssert })
          local user = users[1]:get()
          assert.are.equal("something", user.storage)
          assert.is_nil(user.field1)
          assert.are.equal(42, user.field2)
        end)

        it("should be able to include model with virtual attributes", function()
          local user0 = User:create({})
          user0:createTask()
          local tasks = Task:findAll({ include = { { attributes = { "field2", "id" }, model = User } } })
          local user = tasks[1].user:get()
          assert.are.equal(42, user.field2)
        end)
      end)
    end)
  end)
end)
