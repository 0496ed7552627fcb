-- Port of Sequelize v6's test/integration/instance.test.js (branch v6), sqlite dialect.
-- Skipped: none. Sequelize's tests run under sinon's fake clock; these run on the real clock
-- ("should store the current date in touchedAt" compares with the time around the build).
-- Dates are ISO-8601 strings (API.md), so "is a Date" is "is an ISO-8601 string".
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local ISO = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"
local function is_uuid(s, version)
  if type(s) ~= "string" or #s ~= 36 then return false end
  local v = s:match("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-(%x)%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$")
  return v ~= nil and (version == nil or tonumber(v, 16) == version)
end

describe("Instance (port of instance.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING },
      uuidv1 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1 },
      uuidv4 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
      touchedAt = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
      aNumber = { type = DataTypes.INTEGER },
      bNumber = { type = DataTypes.INTEGER },
      aDate = { type = DataTypes.DATE },
      validateTest = { type = DataTypes.INTEGER, allowNull = true, validate = { isInt = true } },
      validateCustom = { type = DataTypes.STRING, allowNull = true,
                         validate = { len = { msg = "Length failed.", args = { 1, 20 } } } },
      dateAllowNullTrue = { type = DataTypes.DATE, allowNull = true },
      isSuperUser = { type = DataTypes.BOOLEAN, defaultValue = false },
    })
    User:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("Escaping", function()
    it("is done properly for special characters", function()
      local bio = "sqlite'\"\n"
      local u1 = User:create{ username = bio }
      local u2 = User:findByPk(u1.id)
      assert.equal(bio, u2.username)
    end)
  end)

  describe("isNewRecord", function()
    it("returns true for non-saved objects", function()
      local user = User:build{ username = "user" }
      assert.is_nil(user.id)
      assert.is_true(user.isNewRecord)
    end)

    it("returns false for saved objects", function()
      local user = User:build{ username = "user" }:save()
      assert.is_false(user.isNewRecord)
    end)

    it("returns false for created objects", function()
      local user = User:create{ username = "user" }
      assert.is_false(user.isNewRecord)
    end)

    it("returns false for upserted objects", function()
      local user = User:upsert{ id = 2, username = "user" }
      assert.is_false(user.isNewRecord)
    end)

    it("returns false for objects found by find method", function()
      User:create{ username = "user" }
      local user = User:create{ username = "user" }
      local user0 = User:findByPk(user.id)
      assert.is_false(user0.isNewRecord)
    end)

    it("returns false for objects found by findAll method", function()
      local users = {}
      for i = 1, 10 do users[i] = { username = "user" } end
      User:bulkCreate(users)
      local users0 = User:findAll()
      assert.equal(10, #users0)
      for _, u in ipairs(users0) do assert.is_false(u.isNewRecord) end
    end)
  end)

  describe("default values", function()
    describe("uuid", function()
      it("should store a string in uuidv1 and uuidv4", function()
        local user = User:build{ username = "a user" }
        assert.equal("string", type(user.uuidv1))
        assert.equal("string", type(user.uuidv4))
      end)

      it("should store a string of length 36 in uuidv1 and uuidv4", function()
        local user = User:build{ username = "a user" }
        assert.equal(36, #user.uuidv1)
        assert.equal(36, #user.uuidv4)
      end)

      it("should store a valid uuid in uuidv1 and uuidv4 that conforms to the UUID v1 and v4 specifications", function()
        local user = User:build{ username = "a user" }
        assert.is_true(is_uuid(user.uuidv1))
        assert.is_true(is_uuid(user.uuidv4, 4))
      end)

      it("should store a valid uuid if the multiple primary key fields used", function()
        local Person = db:define("Person", {
          id1 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1, primaryKey = true },
          id2 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1, primaryKey = true },
        })
        local person = Person:build({})
        assert.truthy(person.id1)
        assert.equal(36, #person.id1)
        assert.truthy(person.id2)
        assert.equal(36, #person.id2)
      end)
    end)

    describe("current date", function()
      it("should store a date in touchedAt", function()
        local user = User:build{ username = "a user" }
        assert.equal("string", type(user.touchedAt))
        assert.truthy(user.touchedAt:match(ISO))
      end)

      it("should store the current date in touchedAt", function()
        local before = os.date("!%Y-%m-%dT%H:%M:%S")
        local user = User:build{ username = "a user" }
        local after = os.date("!%Y-%m-%dT%H:%M:%S")
        local t = user.touchedAt:sub(1, 19)
        assert.is_true(t >= before and t <= after)
      end)
    end)

    describe("allowNull date", function()
      it('should be just "null" and not Date with Invalid Date', function()
        User:build{ username = "a user" }:save()
        local user = User:findOne{ where = { username = "a user" } }
        assert.is_nil(user.dateAllowNullTrue)
      end)

      it("should be the same valid date when saving the date", function()
        local date = "2023-09-18T07:56:40.205Z"
        User:build{ username = "a user", dateAllowNullTrue = date }:save()
        local user = User:findOne{ where = { username = "a user" } }
        assert.equal(date, user.dateAllowNullTrue)
      end)
    end)

    describe("super user boolean", function()
      it("should default to false", function()
        User:build{ username = "a user" }:save()
        local user = User:findOne{ where = { username = "a user" } }
        assert.is_false(user.isSuperUser)
      end)

      it("should override default when given truthy boolean", function()
        User:build{ username = "a user", isSuperUser = true }:save()
        local user = User:findOne{ where = { username = "a user" } }
        assert.is_true(user.isSuperUser)
      end)

      it('should override default when given truthy boolean-string ("true")', function()
        User:build{ username = "a user", isSuperUser = "true" }:save()
        local user = User:findOne{ where = { username = "a user" } }
        assert.is_true(user.isSuperUser)
      end)

      it("should override default when given truthy boolean-int (1)", function()
        User:build{ username = "a user", isSuperUser = 1 }:save()
        local user = User:findOne{ where = { username = "a user" } }
        assert.is_true(user.isSuperUser)
      end)

      it("should throw error when given value of incorrect type", function()
        local err = support.catch_message(function()
          User:build{ username = "a user", isSuperUser = "INCORRECT_VALUE_TYPE" }:save()
        end)
        assert.truthy(err.message:find("isSuperUser", 1, true))
        assert.equal(0, User:count())
      end)
    end)
  end)

  describe("complete", function()
    it("gets triggered if an error occurs", function()
      support.catch_message(function() User:findOne{ where = { "asdasdasd" } } end)
    end)

    it("gets triggered if everything was ok", function()
      assert.equal(0, User:count())
    end)
  end)

  describe("findAll", function()
    local ParanoidUser
    before_each(function()
      ParanoidUser = db:define("ParanoidUser", { username = { type = DataTypes.STRING } }, { paranoid = true })
      ParanoidUser:hasOne(ParanoidUser)
      ParanoidUser:sync({ force = true })
    end)

    it("sql should have paranoid condition", function()
      ParanoidUser:create{ username = "cuss" }
      local users0 = ParanoidUser:findAll()
      assert.equal(1, #users0)
      users0[1]:destroy()
      assert.equal(0, #ParanoidUser:findAll())
    end)

    it("sequelize.and as where should include paranoid condition", function()
      ParanoidUser:create{ username = "cuss" }
      local users0 = ParanoidUser:findAll{ where = Sequelize.and_({ username = "cuss" }) }
      assert.equal(1, #users0)
      users0[1]:destroy()
      assert.equal(0, #ParanoidUser:findAll{ where = Sequelize.and_({ username = "cuss" }) })
    end)

    it("sequelize.or as where should include paranoid condition", function()
      ParanoidUser:create{ username = "cuss" }
      local users0 = ParanoidUser:findAll{ where = Sequelize.or_({ username = "cuss" }) }
      assert.equal(1, #users0)
      users0[1]:destroy()
      assert.equal(0, #ParanoidUser:findAll{ where = Sequelize.or_({ username = "cuss" }) })
    end)

    it("escapes a single single quotes properly in where clauses", function()
      User:create{ username = "user'name" }
      local users = User:findAll{ where = { username = "user'name" } }
      assert.equal(1, #users)
      assert.equal("user'name", users[1].username)
    end)

    it("escapes two single quotes properly in where clauses", function()
      User:create{ username = "user''name" }
      local users = User:findAll{ where = { username = "user''name" } }
      assert.equal(1, #users)
      assert.equal("user''name", users[1].username)
    end)

    it("returns the timestamps if no attributes have been specified", function()
      User:create{ username = "fnord" }
      local users = User:findAll()
      assert.truthy(users[1].createdAt)
    end)

    it("does not return the timestamps if the username attribute has been specified", function()
      User:create{ username = "fnord" }
      local users = User:findAll{ attributes = { "username" } }
      assert.is_nil(users[1].createdAt)
      assert.truthy(users[1].username)
    end)

    it("creates the deletedAt property, when defining paranoid as true", function()
      ParanoidUser:create{ username = "fnord" }
      local users = ParanoidUser:findAll()
      assert.is_nil(users[1].deletedAt)
      assert.equal(Sequelize.null, users[1]:toJSON().deletedAt)
    end)

    it("destroys a record with a primary key of something other than id", function()
      local UserDestroy = db:define("UserDestroy", {
        newId = { type = DataTypes.STRING, primaryKey = true },
        email = DataTypes.STRING,
      })
      UserDestroy:sync()
      UserDestroy:create{ newId = "123ABC", email = "hello" }
      local user = UserDestroy:findOne{ where = { email = "hello" } }
      user:destroy()
      assert.equal(0, UserDestroy:count())
    end)

    it("sets deletedAt property to a specific date when deleting an instance", function()
      ParanoidUser:create{ username = "fnord" }
      local users = ParanoidUser:findAll()
      users[1]:destroy()
      assert.truthy(users[1].deletedAt:match(ISO))
      local user = users[1]:reload{ paranoid = false }
      assert.truthy(user.deletedAt:match(ISO))
    end)

    it("keeps the deletedAt-attribute with value null, when running update", function()
      ParanoidUser:create{ username = "fnord" }
      local users = ParanoidUser:findAll()
      local user = users[1]:update{ username = "newFnord" }
      assert.is_nil(user.deletedAt)
    end)

    it("keeps the deletedAt-attribute with value null, when updating associations", function()
      ParanoidUser:create{ username = "fnord" }
      local users = ParanoidUser:findAll()
      local linkedUser = ParanoidUser:create{ username = "linkedFnord" }
      local user = users[1]:setParanoidUser(linkedUser)
      assert.is_nil(user.deletedAt)
    end)

    it("can reuse query option objects", function()
      User:create{ username = "fnord" }
      local query = { where = { username = "fnord" } }
      local users = User:findAll(query)
      assert.equal("fnord", users[1].username)
      local users0 = User:findAll(query)
      assert.equal("fnord", users0[1].username)
    end)
  end)

  describe("findOne", function()
    it("can reuse query option objects", function()
      User:create{ username = "fnord" }
      local query = { where = { username = "fnord" } }
      assert.equal("fnord", User:findOne(query).username)
      assert.equal("fnord", User:findOne(query).username)
    end)

    it("returns null for null, undefined, and unset boolean values", function()
      local Setting = db:define("SettingHelper", {
        setting_key = DataTypes.STRING,
        bool_value = { type = DataTypes.BOOLEAN, allowNull = true },
        bool_value2 = { type = DataTypes.BOOLEAN, allowNull = true },
        bool_value3 = { type = DataTypes.BOOLEAN, allowNull = true },
      }, { timestamps = false, logging = false })
      Setting:sync({ force = true })
      Setting:create{ setting_key = "test", bool_value = Sequelize.null, bool_value2 = nil }
      local setting = Setting:findOne{ where = { setting_key = "test" } }
      local plain = setting:toJSON()
      assert.equal(Sequelize.null, plain.bool_value)
      assert.equal(Sequelize.null, plain.bool_value2)
      assert.equal(Sequelize.null, plain.bool_value3)
      assert.is_nil(setting.bool_value)
    end)
  end)

  describe("equals", function()
    it("can compare records with Date field", function()
      local user1 = User:create{ username = "fnord" }
      local user2 = User:findOne{ where = { username = "fnord" } }
      assert.is_true(user1:equals(user2))
    end)

    it("does not compare the existence of associations", function()
      local UserAssociationEqual = db:define("UserAssociationEquals", {
        username = DataTypes.STRING, age = DataTypes.INTEGER,
      }, { timestamps = false })
      local ProjectAssociationEqual = db:define("ProjectAssocationEquals", {
        title = DataTypes.STRING, overdue_days = DataTypes.INTEGER,
      }, { timestamps = false })
      UserAssociationEqual:hasMany(ProjectAssociationEqual, { as = "Projects", foreignKey = "userId" })
      ProjectAssociationEqual:belongsTo(UserAssociationEqual, { as = "Users", foreignKey = "userId" })
      UserAssociationEqual:sync({ force = true })
      ProjectAssociationEqual:sync({ force = true })
      local user1 = UserAssociationEqual:create{ username = "jimhalpert" }
      local project1 = ProjectAssociationEqual:create{ title = "A Cool Project" }
      user1:setProjects{ project1 }
      local user2 = UserAssociationEqual:findOne{ where = { username = "jimhalpert" },
        include = { { model = ProjectAssociationEqual, as = "Projects" } } }
      local user3 = UserAssociationEqual:create{ username = "pambeesly" }
      assert.is_nil(user1:get("Projects"))
      assert.truthy(user2:get("Projects"))
      assert.is_true(user1:equals(user2))
      assert.is_true(user2:equals(user1))
      assert.is_false(user1:equals(user3))
      assert.is_false(user3:equals(user1))
    end)
  end)

  describe("values", function()
    it("returns all values", function()
      local U = db:define("UserHelper", { username = DataTypes.STRING }, { timestamps = false, logging = false })
      U:sync()
      local user = U:build{ username = "foo" }
      assert.same({ username = "foo", id = Sequelize.null }, user:get{ plain = true })
    end)
  end)

  describe("isSoftDeleted", function()
    local ParanoidUser
    before_each(function()
      ParanoidUser = db:define("ParanoidUser", { username = { type = DataTypes.STRING } }, { paranoid = true })
      ParanoidUser:sync({ force = true })
    end)

    it("should return false when model is just created", function()
      local user = ParanoidUser:create{ username = "foo" }
      assert.is_false(user:isSoftDeleted())
    end)

    it("returns false if user is not soft deleted", function()
      ParanoidUser:create{ username = "fnord" }
      local users = ParanoidUser:findAll()
      assert.is_false(users[1]:isSoftDeleted())
    end)

    it("returns true if user is soft deleted", function()
      ParanoidUser:create{ username = "fnord" }
      local users = ParanoidUser:findAll()
      users[1]:destroy()
      assert.is_true(users[1]:isSoftDeleted())
      local user = users[1]:reload{ paranoid = false }
      assert.is_true(user:isSoftDeleted())
    end)

    it("works with custom `deletedAt` field name", function()
      local P = db:define("ParanoidUserWithCustomDeletedAt", { username = { type = DataTypes.STRING } },
        { deletedAt = "deletedAtThisTime", paranoid = true })
      P:hasOne(ParanoidUser)
      P:sync({ force = true })
      P:create{ username = "fnord" }
      local users = P:findAll()
      assert.is_false(users[1]:isSoftDeleted())
      users[1]:destroy()
      assert.is_true(users[1]:isSoftDeleted())
      local user = users[1]:reload{ paranoid = false }
      assert.is_true(user:isSoftDeleted())
    end)
  end)

  describe("restore", function()
    it("returns an error if the model is not paranoid", function()
      local user = User:create{ username = "Peter", secretValue = "42" }
      local err = support.catch_error(function() user:restore() end)
      assert.equal("Model is not paranoid", err.message)
    end)

    it("restores a previously deleted model", function()
      local ParanoidUser = db:define("ParanoidUser", {
        username = DataTypes.STRING, secretValue = DataTypes.STRING, data = DataTypes.STRING,
        intVal = { type = DataTypes.INTEGER, defaultValue = 1 },
      }, { paranoid = true })
      ParanoidUser:sync({ force = true })
      ParanoidUser:bulkCreate{ { username = "Peter", secretValue = "42" },
        { username = "Paul", secretValue = "43" }, { username = "Bob", secretValue = "44" } }
      local user0 = ParanoidUser:findOne{ where = { secretValue = "42" } }
      user0:destroy()
      user0:restore()
      local user = ParanoidUser:findOne{ where = { secretValue = "42" } }
      assert.truthy(user)
      assert.equal("Peter", user.username)
    end)

    it("supports custom deletedAt field", function()
      local ParanoidUser = db:define("ParanoidUser", {
        username = DataTypes.STRING, destroyTime = DataTypes.DATE,
      }, { paranoid = true, deletedAt = "destroyTime" })
      ParanoidUser:sync({ force = true })
      local user2 = ParanoidUser:create{ username = "username" }
      local user1 = user2:destroy()
      assert.truthy(user1.destroyTime)
      assert.is_nil(user1.deletedAt)
      local user0 = user1:restore()
      assert.is_nil(user0.destroyTime)
      local user = ParanoidUser:findOne{ where = { username = "username" } }
      assert.truthy(user)
      assert.is_nil(user.destroyTime)
      assert.is_nil(user.deletedAt)
    end)

    it("supports custom deletedAt field name", function()
      local ParanoidUser = db:define("ParanoidUser", {
        username = DataTypes.STRING,
        deletedAt = { type = DataTypes.DATE, field = "deleted_at" },
      }, { paranoid = true })
      ParanoidUser:sync({ force = true })
      local user2 = ParanoidUser:create{ username = "username" }
      local user1 = user2:destroy()
      assert.truthy(user1.dataValues.deletedAt)
      assert.is_nil(user1.dataValues.deleted_at)
      local user0 = user1:restore()
      assert.falsy(user0.dataValues.deletedAt ~= Sequelize.null and user0.dataValues.deletedAt)
      assert.is_nil(user0.dataValues.deleted_at)
      local user = ParanoidUser:findOne{ where = { username = "username" } }
      assert.truthy(user)
      assert.is_nil(user.deletedAt)
      assert.is_nil(user.deleted_at)
    end)

    it("supports custom deletedAt field and database column", function()
      local ParanoidUser = db:define("ParanoidUser", {
        username = DataTypes.STRING,
        destroyTime = { type = DataTypes.DATE, field = "destroy_time" },
      }, { paranoid = true, deletedAt = "destroyTime" })
      ParanoidUser:sync({ force = true })
      local user2 = ParanoidUser:create{ username = "username" }
      local user1 = user2:destroy()
      assert.truthy(user1.dataValues.destroyTime)
      assert.is_nil(user1.dataValues.deletedAt)
      assert.is_nil(user1.dataValues.destroy_time)
      local user0 = user1:restore()
      assert.falsy(user0.dataValues.destroyTime ~= Sequelize.null and user0.dataValues.destroyTime)
      assert.is_nil(user0.dataValues.destroy_time)
      local user = ParanoidUser:findOne{ where = { username = "username" } }
      assert.truthy(user)
      assert.is_nil(user.destroyTime)
      assert.is_nil(user.destroy_time)
    end)

    it("supports custom default value", function()
      local epoch = "1970-01-01T00:00:00.000Z"
      local ParanoidUser = db:define("ParanoidUser", {
        username = DataTypes.STRING,
        deletedAt = { type = DataTypes.DATE, defaultValue = epoch },
      }, { paranoid = true })
      ParanoidUser:sync({ force = true })
      local user2 = ParanoidUser:create{ username = "username" }
      local user1 = user2:destroy()
      local user0 = user1:restore()
      assert.equal(epoch, user0.dataValues.deletedAt)
      local user = ParanoidUser:findOne{ where = { username = "username" } }
      assert.truthy(user)
      assert.equal(epoch, user.deletedAt)
    end)
  end)
end)
