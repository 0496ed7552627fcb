-- Port of Sequelize v6's test/integration/instance/save.test.js (branch v6), sqlite dialect.
-- Skipped:
--   supports transactions (a read outside the open transaction misses the row): one connection per
--     db, a read without `transaction` joins the open one (README, "Decisions that differ")
-- Sequelize's tests run under sinon's fake clock and tick it between writes; these run on the real
-- clock without sleeping: a timestamp that must not change is compared with the stored one, one
-- that must be set is compared with the time before the write (to the second).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local errors = Sequelize.errors

local function catch(fn) return support.catch_error(fn) end

-- an ISO-8601 string of the current time, to the second (for "at or after now" comparisons)
local function now_iso() return os.date("!%Y-%m-%dT%H:%M:%S") end

describe("Instance (port of save.test.js)", function()
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

  describe("save", function()
    it("only updates fields in passed array", function()
      local date = "1990-02-01T00:00:00.000Z"
      local user = User:create{ username = "foo", touchedAt = os.time() }
      local touched = user.touchedAt
      user.username = "fizz"
      user.touchedAt = date
      user:save{ fields = { "username" } }
      local user2 = User:findByPk(user.id)
      assert.equal("fizz", user2.username)
      assert.equal(touched, user2.touchedAt)
    end)

    it("should work on a model with an attribute named length", function()
      local Box = db:define("box", { length = DataTypes.INTEGER, width = DataTypes.INTEGER, height = DataTypes.INTEGER })
      Box:sync({ force = true })
      local box0 = Box:create{ length = 1, width = 2, height = 3 }
      box0:update{ length = 4, width = 5, height = 6 }
      local box = Box:findOne({})
      assert.equal(4, box:get("length"))
      assert.equal(5, box:get("width"))
      assert.equal(6, box:get("height"))
    end)

    it("only validates fields in passed array", function()
      User:build{ validateTest = "cake", validateCustom = "1" }:save{ fields = { "validateCustom" } }
      local u = User:findOne()
      assert.equal("1", u.validateCustom)
      assert.is_nil(u.validateTest)
    end)

    describe("hooks", function()
      local function define(email_validate)
        local U = db:define("User" .. math.random(1, 1e6), {
          name = DataTypes.STRING,
          bio = DataTypes.TEXT,
          email = email_validate and { type = DataTypes.STRING, validate = { isEmail = true } } or DataTypes.STRING,
        })
        U:sync({ force = true })
        return U
      end

      it("should update attributes added in hooks when default fields are used", function()
        local U = define(false)
        U:beforeUpdate(function(instance) instance:set("email", "B") end)
        local user0 = U:create{ name = "A", bio = "A", email = "A" }
        user0:set{ name = "B", bio = "B" }:save()
        local user = U:findOne({})
        assert.equal("B", user:get("name"))
        assert.equal("B", user:get("bio"))
        assert.equal("B", user:get("email"))
      end)

      it("should update attributes changed in hooks when default fields are used", function()
        local U = define(false)
        U:beforeUpdate(function(instance) instance:set("email", "C") end)
        local user0 = U:create{ name = "A", bio = "A", email = "A" }
        user0:set{ name = "B", bio = "B", email = "B" }:save()
        local user = U:findOne({})
        assert.equal("B", user:get("name"))
        assert.equal("B", user:get("bio"))
        assert.equal("C", user:get("email"))
      end)

      it("should validate attributes added in hooks when default fields are used", function()
        local U = define(true)
        U:beforeUpdate(function(instance) instance:set("email", "B") end)
        local user0 = U:create{ name = "A", bio = "A", email = "valid.email@gmail.com" }
        local err = catch(function() user0:set{ name = "B" }:save() end)
        assert.is_true(err:is(errors.ValidationError))
        assert.equal("valid.email@gmail.com", U:findOne({}):get("email"))
      end)

      it("should validate attributes changed in hooks when default fields are used", function()
        local U = define(true)
        U:beforeUpdate(function(instance) instance:set("email", "B") end)
        local user0 = U:create{ name = "A", bio = "A", email = "valid.email@gmail.com" }
        local err = catch(function() user0:set{ name = "B", email = "still.valid.email@gmail.com" }:save() end)
        assert.is_true(err:is(errors.ValidationError))
        assert.equal("valid.email@gmail.com", U:findOne({}):get("email"))
      end)
    end)

    it("stores an entry in the database", function()
      local username = "user"
      local user = User:build{ username = username, touchedAt = "1984-09-23T00:00:00.000Z" }
      assert.equal(0, #User:findAll())
      user:save()
      local users0 = User:findAll()
      assert.equal(1, #users0)
      assert.equal(username, users0[1].username)
      assert.equal("1984-09-23T00:00:00.000Z", users0[1].touchedAt)
    end)

    it("handles an entry with primaryKey of zero", function()
      local username, newUsername = "user", "newUser"
      local User2 = db:define("User2", {
        id = { type = DataTypes.INTEGER.UNSIGNED, autoIncrement = false, primaryKey = true },
        username = { type = DataTypes.STRING },
      })
      User2:sync()
      local user = User2:create{ id = 0, username = username }
      assert.equal(0, user.id)
      assert.equal(username, user.username)
      local user1 = User2:findByPk(0)
      assert.truthy(user1)
      assert.equal(0, user1.id)
      assert.equal(username, user1.username)
      local user0 = user1:update{ username = newUsername }
      assert.equal(0, user0.id)
      assert.equal(newUsername, user0.username)
      assert.equal(newUsername, User2:findByPk(0).username)
    end)

    it("updates the timestamps", function()
      local now = now_iso()
      local user = User:build{ username = "user" }
      local savedUser = user:save()
      assert.is_true(savedUser.updatedAt >= now)
      local updatedUser = savedUser:save()
      assert.is_true(updatedUser.updatedAt >= now)
    end)

    it("does not update timestamps when passing silent=true", function()
      local user = User:create{ username = "user" }
      local updatedAt = user.updatedAt
      -- (stored in the past, so that a write of "now" would show)
      User:update({ updatedAt = "2001-01-01T00:00:00.000Z" }, { where = { id = user.id }, silent = true })
      user = User:findByPk(user.id)
      assert.equal("2001-01-01T00:00:00.000Z", user.updatedAt)
      assert.is_not.equal(updatedAt, user.updatedAt)
      local u = user:update({ username = "userman" }, { silent = true })
      assert.equal("2001-01-01T00:00:00.000Z", u.updatedAt)
      assert.equal("2001-01-01T00:00:00.000Z", User:findByPk(user.id).updatedAt)
    end)

    it("does not update timestamps when passing silent=true in a bulk update", function()
      User:bulkCreate({ { username = "Paul", updatedAt = "2001-01-01T00:00:00.000Z" },
                        { username = "Peter", updatedAt = "2002-01-01T00:00:00.000Z" } }, { silent = true })
      local users0 = User:findAll()
      local updatedAtPaul, updatedAtPeter = users0[1].updatedAt, users0[2].updatedAt
      assert.equal("2001-01-01T00:00:00.000Z", updatedAtPaul)
      User:update({ aNumber = 1 }, { where = {}, silent = true })
      local users = User:findAll()
      assert.equal(updatedAtPaul, users[1].updatedAt)
      assert.equal(updatedAtPeter, users[2].updatedAt)
      assert.equal(1, users[1].aNumber)
    end)

    describe("when nothing changed", function()
      it("does not update timestamps", function()
        User:create({ username = "John", updatedAt = "2001-01-01T00:00:00.000Z" }, { silent = true })
        local user = User:findOne{ where = { username = "John" } }
        local updatedAt = user.updatedAt
        assert.equal("2001-01-01T00:00:00.000Z", updatedAt)
        local newlySavedUser = user:save()
        assert.equal(updatedAt, newlySavedUser.updatedAt)
        assert.equal(updatedAt, User:findOne{ where = { username = "John" } }.updatedAt)
      end)

      it("should not throw ER_EMPTY_QUERY if changed only virtual fields", function()
        local U = db:define("User" .. math.random(1, 1e6), {
          name = DataTypes.STRING,
          bio = { type = DataTypes.VIRTUAL, get = function() return "swag" end },
        }, { timestamps = false })
        U:sync({ force = true })
        local user = U:create{ name = "John", bio = "swag 1" }
        user:update{ bio = "swag 2" }
      end)
    end)

    it("updates with function and column value", function()
      local user = User:create{ aNumber = 42 }
      user.bNumber = Sequelize.col("aNumber")
      user.username = Sequelize.fn("upper", "sequelize")
      user:save()
      local user2 = User:findByPk(user.id)
      assert.equal("SEQUELIZE", user2.username)
      assert.equal(42, user2.bNumber)
    end)

    it("updates with function that contains escaped dollar symbol", function()
      local user = User:create({})
      user.username = Sequelize.fn("upper", "$sequelize")
      user:save()
      assert.equal("$SEQUELIZE", User:findByPk(user.id).username)
    end)

    it("updates with function that contains multiple escaped dollar symbols", function()
      local user = User:create({})
      user.username = Sequelize.fn("upper", "$sequelize and $sequelize2 and some money $42.69")
      user:save()
      assert.equal("$SEQUELIZE AND $SEQUELIZE2 AND SOME MONEY $42.69", User:findByPk(user.id).username)
    end)

    describe("without timestamps option", function()
      it("doesn't update the updatedAt column", function()
        local User2 = db:define("User2", { username = DataTypes.STRING, updatedAt = DataTypes.DATE }, { timestamps = false })
        User2:sync()
        local johnDoe = User2:create{ username = "john doe" }
        assert.is_nil(johnDoe.updatedAt)
      end)
    end)

    describe("with custom timestamp options", function()
      it("updates the createdAt column if updatedAt is disabled", function()
        local now = now_iso()
        local User2 = db:define("User2", { username = DataTypes.STRING }, { updatedAt = false })
        User2:sync()
        local johnDoe = User2:create{ username = "john doe" }
        assert.is_nil(johnDoe.updatedAt)
        assert.is_true(johnDoe.createdAt >= now)
      end)

      it("updates the updatedAt column if createdAt is disabled", function()
        local now = now_iso()
        local User2 = db:define("User2", { username = DataTypes.STRING }, { createdAt = false })
        User2:sync()
        local johnDoe = User2:create{ username = "john doe" }
        assert.is_nil(johnDoe.createdAt)
        assert.is_true(johnDoe.updatedAt >= now)
      end)

      it("works with `allowNull: false` on createdAt and updatedAt columns", function()
        local User2 = db:define("User2", {
          username = DataTypes.STRING,
          createdAt = { type = DataTypes.DATE, allowNull = false },
          updatedAt = { type = DataTypes.DATE, allowNull = false },
        }, { timestamps = true })
        User2:sync()
        local johnDoe = User2:create{ username = "john doe" }
        assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$", johnDoe.createdAt)
        assert.equal(johnDoe.updatedAt, johnDoe.createdAt)
      end)
    end)

    it("should fail a validation upon creating", function()
      local err = catch(function() User:create{ aNumber = 0, validateTest = "hello" } end)
      assert.equal("table", type(err:get("validateTest")))
      assert.equal("Validation isInt on validateTest failed", err:get("validateTest")[1].message)
    end)

    it("should fail a validation upon creating with hooks false", function()
      local err = catch(function() User:create({ aNumber = 0, validateTest = "hello" }, { hooks = false }) end)
      assert.equal("table", type(err:get("validateTest")))
      assert.equal("Validation isInt on validateTest failed", err:get("validateTest")[1].message)
    end)

    it("should fail a validation upon building", function()
      local err = catch(function() User:build{ aNumber = 0, validateCustom = "aaaaaaaaaaaaaaaaaaaaaaaaaa" }:save() end)
      assert.equal("table", type(err:get("validateCustom")))
      assert.equal("Length failed.", err:get("validateCustom")[1].message)
      assert.equal(0, User:count())
    end)

    it("should fail a validation when updating", function()
      local user = User:create{ aNumber = 0 }
      local err = catch(function() user:update{ validateTest = "hello" } end)
      assert.equal("table", type(err:get("validateTest")))
      assert.equal("Validation isInt on validateTest failed", err:get("validateTest")[1].message)
      assert.is_nil(User:findByPk(user.id).validateTest)
    end)

    it("takes zero into account", function()
      local user = User:build{ aNumber = 0 }:save{ fields = { "aNumber" } }
      assert.equal(0, user.aNumber)
      assert.equal(0, User:findByPk(user.id).aNumber)
    end)

    it("saves a record with no primary key", function()
      local HistoryLog = db:define("HistoryLog", {
        someText = { type = DataTypes.STRING },
        aNumber = { type = DataTypes.INTEGER },
        aRandomId = { type = DataTypes.INTEGER },
      })
      HistoryLog:sync()
      local log = HistoryLog:create{ someText = "Some random text", aNumber = 3, aRandomId = 5 }
      local newLog = log:update{ aNumber = 5 }
      assert.equal(5, newLog.aNumber)
    end)

    describe("eagerly loaded objects", function()
      local UserEager, ProjectEager
      before_each(function()
        UserEager = db:define("UserEagerLoadingSaves", { username = DataTypes.STRING, age = DataTypes.INTEGER },
                              { timestamps = false })
        ProjectEager = db:define("ProjectEagerLoadingSaves", { title = DataTypes.STRING, overdue_days = DataTypes.INTEGER },
                                 { timestamps = false })
        UserEager:hasMany(ProjectEager, { as = "Projects", foreignKey = "PoobahId" })
        ProjectEager:belongsTo(UserEager, { as = "Poobah", foreignKey = "PoobahId" })
        UserEager:sync({ force = true })
        ProjectEager:sync({ force = true })
      end)

      it("saves one object that has a collection of eagerly loaded objects", function()
        local user = UserEager:create{ username = "joe", age = 1 }
        local project1 = ProjectEager:create{ title = "project-joe1", overdue_days = 0 }
        local project2 = ProjectEager:create{ title = "project-joe2", overdue_days = 0 }
        user:setProjects({ project1, project2 })
        local user1 = UserEager:findOne{ where = { age = 1 }, include = { { model = ProjectEager, as = "Projects" } } }
        assert.equal("joe", user1.username)
        assert.equal(1, user1.age)
        assert.equal(2, #user1.Projects)
        user1.age = user1.age + 1
        local user0 = user1:save()
        assert.equal("joe", user0.username)
        assert.equal(2, user0.age)
        assert.equal(2, #user0.Projects)
      end)

      it("saves many objects that each a have collection of eagerly loaded objects", function()
        local bart = UserEager:create{ username = "bart", age = 20 }
        local lisa = UserEager:create{ username = "lisa", age = 20 }
        local detention1 = ProjectEager:create{ title = "detention1", overdue_days = 0 }
        local detention2 = ProjectEager:create{ title = "detention2", overdue_days = 0 }
        local exam1 = ProjectEager:create{ title = "exam1", overdue_days = 0 }
        local exam2 = ProjectEager:create{ title = "exam2", overdue_days = 0 }
        bart:setProjects({ detention1, detention2 })
        lisa:setProjects({ exam1, exam2 })
        local simpsons = UserEager:findAll{ where = { age = 20 }, order = { { "username", "ASC" } },
                                            include = { { model = ProjectEager, as = "Projects" } } }
        assert.equal(2, #simpsons)
        local _bart, _lisa = simpsons[1], simpsons[2]
        assert.equal(2, #_bart.Projects)
        assert.equal(2, #_lisa.Projects)
        _bart.age = _bart.age + 1
        local savedbart = _bart:save()
        assert.equal("bart", savedbart.username)
        assert.equal(21, savedbart.age)
        _lisa.username = "lsimpson"
        local savedlisa = _lisa:save()
        assert.equal("lsimpson", savedlisa.username)
        assert.equal(20, savedlisa.age)
      end)

      it("saves many objects that each has one eagerly loaded object (to which they belong)", function()
        local user = UserEager:create{ username = "poobah", age = 18 }
        local homework = ProjectEager:create{ title = "homework", overdue_days = 10 }
        local party = ProjectEager:create{ title = "party", overdue_days = 2 }
        user:setProjects({ homework, party })
        local projects = ProjectEager:findAll{ include = { { model = UserEager, as = "Poobah" } } }
        assert.equal(2, #projects)
        assert.equal("poobah", projects[1].Poobah.username)
        assert.equal("poobah", projects[2].Poobah.username)
        projects[1].title = "partymore"
        projects[2].title = "partymore"
        projects[1].overdue_days = 0
        projects[2].overdue_days = 0
        projects[1]:save()
        projects[2]:save()
        local savedprojects = ProjectEager:findAll{ where = { title = "partymore", overdue_days = 0 },
                                                    include = { { model = UserEager, as = "Poobah" } } }
        assert.equal(2, #savedprojects)
        assert.equal("poobah", savedprojects[1].Poobah.username)
        assert.equal("poobah", savedprojects[2].Poobah.username)
      end)
    end)
  end)
end)
