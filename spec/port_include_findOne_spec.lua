-- port_include_findOne_spec: a port of Sequelize's test/integration/include/findOne.test.js
-- (branch v6), test by test, titles kept; Promise.all fan-outs are plain calls in order.
-- Skipped:
--   (none: every test of the file runs on sqlite)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Include", function()
  describe("findOne", function()
    local db
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    it("should include a non required model, with conditions and two includes N:M 1:M", function()
      local A = db:define("A", { name = DataTypes.STRING(40) }, { paranoid = true })
      local B = db:define("B", { name = DataTypes.STRING(40) }, { paranoid = true })
      local C = db:define("C", { name = DataTypes.STRING(40) }, { paranoid = true })
      local D = db:define("D", { name = DataTypes.STRING(40) }, { paranoid = true })
      A:hasMany(B)
      B:belongsTo(D)
      B:belongsToMany(C, { through = "BC" })
      C:belongsToMany(B, { through = "BC" })
      D:hasMany(B)
      db:sync{ force = true }
      A:findOne{ include = {
        { model = B, required = false, include = { { model = C, required = false }, { model = D } } },
      } }
    end)

    it("should work with a 1:M to M:1 relation with a where on the last include", function()
      local Model = db:define("Model", {})
      local Model2 = db:define("Model2", {})
      local Model4 = db:define("Model4", { something = { type = DataTypes.INTEGER } })
      Model:belongsTo(Model2)
      Model2:hasMany(Model)
      Model2:hasMany(Model4)
      Model4:belongsTo(Model2)
      db:sync{ force = true }
      Model:findOne{ include = {
        { model = Model2, include = { { model = Model4, where = { something = 2 } } } },
      } }
    end)

    it("should include a model with a where condition but no required", function()
      local User = db:define("User", {}, { paranoid = false })
      local Task = db:define("Task", { deletedAt = { type = DataTypes.DATE } }, { paranoid = false })
      User:hasMany(Task, { foreignKey = "userId" })
      Task:belongsTo(User, { foreignKey = "userId" })
      db:sync{ force = true }
      local user0 = User:create()
      local now = os.time()
      Task:bulkCreate{
        { userId = user0:get("id"), deletedAt = now },
        { userId = user0:get("id"), deletedAt = now },
        { userId = user0:get("id"), deletedAt = now },
      }
      local user = User:findOne{ include = {
        { model = Task, where = { deletedAt = Sequelize.null }, required = false },
      } }
      assert.is_truthy(user)
      assert.are.equal(0, #user.Tasks)
    end)

    it("should include a model with a where clause when the PK field name and attribute name are different", function()
      local User = db:define("User", {
        id = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4, field = "main_id", primaryKey = true },
      })
      local Task = db:define("Task", { searchString = { type = DataTypes.STRING } })
      User:hasMany(Task, { foreignKey = "userId" })
      Task:belongsTo(User, { foreignKey = "userId" })
      db:sync{ force = true }
      local user0 = User:create()
      Task:bulkCreate{
        { userId = user0:get("id"), searchString = "one" },
        { userId = user0:get("id"), searchString = "two" },
      }
      local user = User:findOne{ include = { { model = Task, where = { searchString = "one" } } } }
      assert.is_truthy(user)
      assert.are.equal(1, #user.Tasks)
    end)

    it("should include a model with a through.where and required true clause when the PK field name and attribute name are different", function()
      local A = db:define("a", {})
      local B = db:define("b", {})
      local AB = db:define("a_b", {
        name = { type = DataTypes.STRING(40), field = "name_id", primaryKey = true },
      })
      A:belongsToMany(B, { through = AB })
      B:belongsToMany(A, { through = AB })
      db:sync{ force = true }
      local a0 = A:create{}
      local b = B:create{}
      a0:addB(b, { through = { name = "Foobar" } })
      local a = A:findOne{ include = {
        { model = B, through = { where = { name = "Foobar" } }, required = true },
      } }
      assert.is_truthy(a)
      assert.are.equal(1, #a:get("bs"))
    end)

    it("should still pull the main record when an included model is not required and has where restrictions without matches", function()
      local A = db:define("a", { name = DataTypes.STRING(40) })
      local B = db:define("b", { name = DataTypes.STRING(40) })
      A:belongsToMany(B, { through = "a_b" })
      B:belongsToMany(A, { through = "a_b" })
      db:sync{ force = true }
      A:create{ name = "Foobar" }
      local a = A:findOne{
        where = { name = "Foobar" },
        include = { { model = B, where = { name = "idontexist" }, required = false } },
      }
      assert.is_truthy(a)
      assert.are.same({}, a:get("bs"))
    end)

    it("should support a nested include (with a where)", function()
      local A = db:define("A", { name = DataTypes.STRING })
      local B = db:define("B", { flag = DataTypes.BOOLEAN })
      local C = db:define("C", { name = DataTypes.STRING })
      A:hasOne(B)
      B:belongsTo(A)
      B:hasMany(C)
      C:belongsTo(B)
      db:sync{ force = true }
      local a = A:findOne{ include = {
        { model = B, where = { flag = true }, include = { { model = C } } },
      } }
      assert.is_nil(a)
    end)

    it("should support a belongsTo with the targetKey option", function()
      local User = db:define("User", { username = { type = DataTypes.STRING, unique = true } })
      local Task = db:define("Task", { title = DataTypes.STRING })
      User:removeAttribute("id")
      Task:belongsTo(User, { foreignKey = "user_name", targetKey = "username" })
      db:sync{ force = true }
      local newUser = User:create{ username = "bob" }
      local newTask = Task:create{ title = "some task" }
      newTask:setUser(newUser)
      local foundTask = Task:findOne{ where = { title = "some task" }, include = { { model = User } } }
      assert.is_truthy(foundTask)
      assert.are.equal("bob", foundTask.User.username)
    end)

    it("should support many levels of belongsTo (with a lower level having a where)", function()
      local A = db:define("a", {})
      local B = db:define("b", {})
      local C = db:define("c", {})
      local D = db:define("d", {})
      local E = db:define("e", {})
      local F = db:define("f", {})
      local G = db:define("g", { name = DataTypes.STRING })
      local H = db:define("h", { name = DataTypes.STRING })
      A:belongsTo(B)
      B:belongsTo(C)
      C:belongsTo(D)
      D:belongsTo(E)
      E:belongsTo(F)
      F:belongsTo(G)
      G:belongsTo(H)
      db:sync{ force = true }
      local a0 = A:create{}
      local b, previous
      for _, model in ipairs{ B, C, D, E, F, G, H } do
        local values = {}
        if model.name == "g" then values.name = "yolo" end
        local instance = model:create(values)
        if previous then
          previous["set" .. model.name:sub(1, 1):upper() .. model.name:sub(2)](previous, instance)
        else
          b = instance
        end
        previous = instance
      end
      a0:setB(b)
      local a = A:findOne{ include = {
        { model = B, include = {
          { model = C, include = {
            { model = D, include = {
              { model = E, include = {
                { model = F, include = {
                  { model = G, where = { name = "yolo" }, include = { { model = H } } },
                } },
              } },
            } },
          } },
        } },
      } }
      assert.is_truthy(a.b.c.d.e.f.g.h)
    end)

    it("should work with combinding a where and a scope", function()
      local User = db:define("User", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        name = DataTypes.STRING,
      }, { underscored = true })
      local Post = db:define("Post", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, unique = true },
        owner_id = { type = DataTypes.INTEGER, unique = "combiIndex" },
        owner_type = { type = DataTypes.ENUM, values = { "user", "org" }, defaultValue = "user", unique = "combiIndex" },
        private = { type = DataTypes.BOOLEAN, defaultValue = false },
      }, { underscored = true })
      User:hasMany(Post, { foreignKey = "owner_id", scope = { owner_type = "user" }, as = "UserPosts", constraints = false })
      Post:belongsTo(User, { foreignKey = "owner_id", as = "Owner", constraints = false })
      db:sync{ force = true }
      User:findOne{ where = { id = 2 }, include = { { model = Post, as = "UserPosts", where = { private = true } } } }
    end)
  end)
end)
