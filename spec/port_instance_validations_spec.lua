-- Port of Sequelize v6's test/integration/instance.validations.test.js (branch v6), sqlite dialect.
-- Skipped: none. A custom validator reports failure by raising (Lua's form of the callback
-- `next(msg)` and of a rejected promise: a function validator's second argument is the instance);
-- `error(msg, 0)` raises the message without a position.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local ValidationError = Sequelize.errors.ValidationError

local function catch(fn) return support.catch_error(fn) end
local function rand() return tostring(math.random(1, 1e9)) end

describe("InstanceValidator (port of instance.validations.test.js)", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  describe("#update", function()
    it("should allow us to update specific columns without tripping the validations", function()
      local User = db:define("model", {
        username = DataTypes.STRING,
        email = { type = DataTypes.STRING, allowNull = false,
                  validate = { isEmail = { msg = "You must enter a valid email address" } } },
      })
      User:sync({ force = true })
      local user = User:create{ username = "bob", email = "hello@world.com" }
      User:update({ username = "toni" }, { where = { id = user.id } })
      assert.equal("toni", User:findByPk(1).username)
    end)

    it("should be able to emit an error upon updating when a validation has failed from an instance", function()
      local Model = db:define("model", {
        name = { type = DataTypes.STRING, allowNull = false, validate = { notEmpty = true } },
      })
      Model:sync({ force = true })
      local model = Model:create{ name = "World" }
      local err = catch(function() model:update{ name = "" } end)
      assert.equal("Validation notEmpty on name failed", err:get("name")[1].message)
    end)

    it("should be able to emit an error upon updating when a validation has failed from the factory", function()
      local Model = db:define("model", {
        name = { type = DataTypes.STRING, allowNull = false, validate = { notEmpty = true } },
      })
      Model:sync({ force = true })
      Model:create{ name = "World" }
      local err = catch(function() Model:update({ name = "" }, { where = { id = 1 } }) end)
      assert.equal("Validation notEmpty on name failed", err:get("name")[1].message)
    end)

    it("should enforce a unique constraint", function()
      local Model = db:define("model", { uniqueName = { type = DataTypes.STRING, unique = "uniqueName" } })
      local records = { { uniqueName = "unique name one" }, { uniqueName = "unique name two" } }
      Model:sync({ force = true })
      assert.truthy(Model:create(records[1]))
      local instance = Model:create(records[2])
      assert.truthy(instance)
      local err = catch(function() Model:update(records[1], { where = { id = instance.id } }) end)
      assert.equal(1, #err.errors)
      assert.truthy(err.errors[1].path:find("uniqueName", 1, true))
      assert.truthy(err.errors[1].message:find("must be unique", 1, true))
    end)

    it("should allow a custom unique constraint error message", function()
      local Model = db:define("model", {
        uniqueName = { type = DataTypes.STRING, unique = { msg = "custom unique error message" } },
      })
      local records = { { uniqueName = "unique name one" }, { uniqueName = "unique name two" } }
      Model:sync({ force = true })
      assert.truthy(Model:create(records[1]))
      local instance = Model:create(records[2])
      assert.truthy(instance)
      local err = catch(function() Model:update(records[1], { where = { id = instance.id } }) end)
      assert.equal(1, #err.errors)
      assert.truthy(err.errors[1].path:find("uniqueName", 1, true))
      assert.equal("custom unique error message", err.errors[1].message)
    end)

    it("should handle multiple unique messages correctly", function()
      local Model = db:define("model", {
        uniqueName1 = { type = DataTypes.STRING, unique = { msg = "custom unique error message 1" } },
        uniqueName2 = { type = DataTypes.STRING, unique = { msg = "custom unique error message 2" } },
      })
      local records = {
        { uniqueName1 = "unique name one", uniqueName2 = "unique name one" },
        { uniqueName1 = "unique name one", uniqueName2 = "this is ok" },
        { uniqueName1 = "this is ok", uniqueName2 = "unique name one" },
      }
      Model:sync({ force = true })
      assert.truthy(Model:create(records[1]))
      local err0 = catch(function() Model:create(records[2]) end)
      assert.equal(1, #err0.errors)
      assert.truthy(err0.errors[1].path:find("uniqueName1", 1, true))
      assert.equal("custom unique error message 1", err0.errors[1].message)
      local err = catch(function() Model:create(records[3]) end)
      assert.equal(1, #err.errors)
      assert.truthy(err.errors[1].path:find("uniqueName2", 1, true))
      assert.equal("custom unique error message 2", err.errors[1].message)
    end)
  end)

  describe("#create", function()
    describe("generic", function()
      local Project, Task
      before_each(function()
        Project = db:define("Project", {
          name = { type = DataTypes.STRING, allowNull = false, defaultValue = "unknown",
                   validate = { isIn = { { "unknown", "hello", "test" } } } },
        })
        Task = db:define("Task", { something = DataTypes.INTEGER })
        Project:hasOne(Task)
        Task:belongsTo(Project)
        db:sync({ force = true })
      end)

      it("correctly throws an error using create method ", function()
        local err = catch(function() Project:create{ name = "nope" } end)
        assert.is_not_nil(rawget(err, "name") or err.name)
      end)

      it("correctly validates using create method ", function()
        local project = Project:create({})
        local task = Task:create{ something = 1 }
        local task0 = project:setTask(task)
        assert.is_not_nil(task0.ProjectId)
        local project0 = task0:setProject(project)
        assert.is_not_nil(project0.ProjectId)
      end)
    end)

    describe("explicitly validating primary/auto incremented columns", function()
      it("should emit an error when we try to enter in a string for the id key without validation arguments", function()
        local User = db:define("UserId", {
          id = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true, validate = { isInt = true } },
        })
        User:sync({ force = true })
        local err = catch(function() User:create{ id = "helloworld" } end)
        assert.equal("Validation isInt on id failed", err:get("id")[1].message)
      end)

      it("should emit an error when we try to enter in a string for an auto increment key (not named id)", function()
        local User = db:define("UserId", {
          username = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true,
                       validate = { isInt = { args = true, msg = "Username must be an integer!" } } },
        })
        User:sync({ force = true })
        local err = catch(function() User:create{ username = "helloworldhelloworld" } end)
        assert.equal("Username must be an integer!", err:get("username")[1].message)
      end)

      describe("primaryKey with the name as id with arguments for it's validatio", function()
        local User
        before_each(function()
          User = db:define("UserId", {
            id = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true,
                   validate = { isInt = { args = true, msg = "ID must be an integer!" } } },
          })
          User:sync({ force = true })
        end)

        it("should emit an error when we try to enter in a string for the id key with validation arguments", function()
          local err = catch(function() User:create{ id = "helloworld" } end)
          assert.equal("ID must be an integer!", err:get("id")[1].message)
        end)

        it("should emit an error when we try to enter in a string for an auto increment key through .build().validate()", function()
          local user = User:build{ id = "helloworld" }
          local err = catch(function() user:validate() end)
          assert.equal("ID must be an integer!", err:get("id")[1].message)
        end)

        it("should emit an error when we try to .save()", function()
          local user = User:build{ id = "helloworld" }
          local err = catch(function() user:save() end)
          assert.equal("ID must be an integer!", err:get("id")[1].message)
        end)
      end)
    end)

    describe("pass all paths when validating", function()
      local Project
      before_each(function()
        Project = db:define("Project", {
          name = { type = DataTypes.STRING, allowNull = false,
                   validate = { isIn = { { "unknown", "hello", "test" } } } },
          creatorName = { type = DataTypes.STRING, allowNull = false },
          cost = { type = DataTypes.INTEGER, allowNull = false },
        })
        local Task = db:define("Task", { something = DataTypes.INTEGER })
        Project:hasOne(Task)
        Task:belongsTo(Project)
        Project:sync({ force = true })
        Task:sync({ force = true })
      end)

      it("produce 3 errors", function()
        local err = catch(function() Project:create({}) end)
        assert.equal(3, #err.errors)
      end)
    end)

    describe("not null schema validation", function()
      local Project
      before_each(function()
        Project = db:define("Project", {
          name = { type = DataTypes.STRING, allowNull = false,
                   validate = { isIn = { { "unknown", "hello", "test" } } } },
        })
        db:sync({ force = true })
      end)

      it("correctly throws an error using create method ", function()
        catch(function() Project:create({}) end)
      end)

      it("correctly throws an error using create method with default generated messages", function()
        local err = catch(function() Project:create({}) end)
        assert.equal("SequelizeValidationError", err.name)
        assert.equal("notNull Violation: Project.name cannot be null", err.message)
        assert.equal(1, #err.errors)
        assert.equal("Project.name cannot be null", err.errors[1].message)
      end)
    end)
  end)

  it("correctly validates using custom validation methods", function()
    local User = db:define("User" .. rand(), {
      name = { type = DataTypes.STRING, validate = {
        customFn = function(val) if val ~= "2" then error("name should equal '2'", 0) end end,
      } },
    })
    local err = catch(function() User:build({ name = "3" }):validate() end)
    assert.equal("name should equal '2'", err:get("name")[1].message)
    User:build({ name = "2" }):validate()
  end)

  it("supports promises with custom validation methods", function()
    local User
    User = db:define("User" .. rand(), {
      name = { type = DataTypes.STRING, validate = {
        customFn = function(val)
          User:findAll()
          if val == "error" then error("Invalid username", 0) end
        end,
      } },
    })
    User:sync()
    local err = catch(function() User:build({ name = "error" }):validate() end)
    assert.is_true(err:is(ValidationError))
    assert.equal("Invalid username", err:get("name")[1].message)
    User:build({ name = "no error" }):validate()
  end)

  it("skips other validations if allowNull is true and the value is null", function()
    local User = db:define("User" .. rand(), {
      age = { type = DataTypes.INTEGER, allowNull = true, validate = { min = { args = 0, msg = "must be positive" } } },
    })
    local err = catch(function() User:build({ age = -1 }):validate() end)
    assert.equal("must be positive", err:get("age")[1].message)
  end)

  it("validates a model with custom model-wide validation methods", function()
    local Foo = db:define("Foo" .. rand(), {
      field1 = { type = DataTypes.INTEGER, allowNull = true },
      field2 = { type = DataTypes.INTEGER, allowNull = true },
    }, {
      validate = {
        xnor = function(self)
          if (self.field1 == nil) == (self.field2 == nil) then error("xnor failed", 0) end
        end,
      },
    })
    local err = catch(function() Foo:build({ field1 = Sequelize.null, field2 = Sequelize.null }):validate() end)
    assert.equal("xnor failed", err:get("xnor")[1].message)
    Foo:build({ field1 = 33, field2 = Sequelize.null }):validate()
  end)

  it("validates model with a validator whose arg is an Array successfully twice in a row", function()
    local Foo = db:define("Foo" .. rand(), { bar = { type = DataTypes.STRING, validate = { isIn = { { "a", "b" } } } } })
    local foo = Foo:build{ bar = "a" }
    foo:validate()
    foo:validate()
  end)

  it("validates enums", function()
    local values = { "value1", "value2" }
    local Bar = db:define("Bar" .. rand(), { field = { type = DataTypes.ENUM, values = values, validate = { isIn = { values } } } })
    local failingBar = Bar:build{ field = "value3" }
    local errors = catch(function() failingBar:validate() end)
    assert.equal(1, #errors:get("field"))
    assert.equal("Validation isIn on field failed", errors:get("field")[1].message)
  end)

  it("skips validations for the given fields", function()
    local values = { "value1", "value2" }
    local Bar = db:define("Bar" .. rand(), { field = { type = DataTypes.ENUM, values = values, validate = { isIn = { values } } } })
    Bar:build({ field = "value3" }):validate{ skip = { "field" } }
  end)

  it("skips validations for fields with value that is SequelizeMethod", function()
    local values = { "value1", "value2" }
    local Bar = db:define("Bar" .. rand(), { field = { type = DataTypes.ENUM, values = values, validate = { isIn = { values } } } })
    Bar:build({ field = Sequelize.literal("5 + 1") }):validate()
  end)

  it("raises an error if saving a different value into an immutable field", function()
    local User = db:define("User", { name = { type = DataTypes.STRING, validate = { isImmutable = true } } })
    User:sync({ force = true })
    local user = User:create{ name = "RedCat" }
    assert.equal("RedCat", user:getDataValue("name"))
    user:setDataValue("name", "YellowCat")
    local errors = catch(function() user:save() end)
    assert.equal("Validation isImmutable on name failed", errors:get("name")[1].message)
  end)

  it("allows setting an immutable field if the record is unsaved", function()
    local User = db:define("User", { name = { type = DataTypes.STRING, validate = { isImmutable = true } } })
    local user = User:build{ name = "RedCat" }
    assert.equal("RedCat", user:getDataValue("name"))
    user:setDataValue("name", "YellowCat")
    user:validate()
  end)

  for _, t in ipairs{ { "STRING", DataTypes.STRING }, { "STRING(20)", DataTypes.STRING(20) }, { "TEXT", DataTypes.TEXT } } do
    it("raises an error for array on a " .. t[1], function()
      local User = db:define("User", { email = { type = t[2] } })
      local err = catch(function() User:build({ email = { "iama", "dummy.com" } }):validate() end)
      assert.is_true(err:is(ValidationError))
    end)
  end

  for _, t in ipairs{ { "STRING", DataTypes.STRING }, { "STRING(20)", DataTypes.STRING(20) }, { "TEXT", DataTypes.TEXT } } do
    it("raises an error for {} on a " .. t[1], function()
      local User = db:define("User", { email = { type = t[2] } })
      local err = catch(function() User:build({ email = { lol = true } }):validate() end)
      assert.is_true(err:is(ValidationError))
    end)
  end

  it("does not raise an error for null on a STRING (where null is allowed)", function()
    local User = db:define("User", { email = { type = DataTypes.STRING } })
    User:build({ email = Sequelize.null }):validate()
  end)

  it("validates VIRTUAL fields", function()
    local User = db:define("user", {
      password_hash = DataTypes.STRING,
      salt = DataTypes.STRING,
      password = {
        type = DataTypes.VIRTUAL,
        set = function(self, val)
          self:setDataValue("password", val)
          self:setDataValue("password_hash", tostring(self.salt) .. val)
        end,
        validate = {
          isLongEnough = function(val)
            if #val < 7 then error("Please choose a longer password", 0) end
          end,
        },
      },
    })
    local errors = catch(function() User:build({ password = "short", salt = "42" }):validate() end)
    assert.equal("Please choose a longer password", errors:get("password")[1].message)
    User:build({ password = "loooooooong", salt = "42" }):validate()
  end)

  it("allows me to add custom validation functions to validator.js", function()
    db.Validator:extend("isExactly7Characters", function(val) return #val == 7 end)
    local User = db:define("User", { name = { type = DataTypes.STRING, validate = { isExactly7Characters = true } } })
    User:build({ name = "abcdefg" }):validate()
    local errors = catch(function() User:build({ name = "a" }):validate() end)
    assert.equal("Validation isExactly7Characters on name failed", errors:get("name")[1].message)
  end)
end)
