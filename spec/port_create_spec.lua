-- Port of Sequelize v6's test/integration/model/create.test.js (branch v6), sqlite dialect.
-- Skipped:
--   findOrCreate / create: supports transactions (count outside the open transaction is 0):
--     one connection per db, a read without `transaction` joins the open one (README, "Decisions")
--   should not deadlock ... (three tests), findCreateFind: multiple concurrent calls (two tests),
--     works without a transaction, should error correctly when defaults contain a unique key
--     without a transaction, should not fail silently with concurrency higher than pool ...:
--     not run on sqlite in Sequelize's CI (concurrency); Lua calls are sequential
--   return values (two tests), should return default value set by the database (create):
--     need dialect.supports.returnValues, false on sqlite
--   does not cast arrays for postgresql insert / update, TSVECTOR (two tests): postgres only
--   doesn't allow duplicated records with unique function based indexes: its SQL is Postgres'
--     (double-quoted "(lower(username))" index); covered by indexes_spec
-- Ported sequentially: several concurrent calls / works with a transaction (two findOrCreate in one
-- transaction: exactly one creates); should release transaction when meeting errors (no timeout).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op
local errors = Sequelize.errors

local function catch(fn) return support.catch_error(fn) end

-- seconds since the epoch of an ISO-8601 UTC string, in the same frame as os.time(os.date("!*t"))
-- (isdst = false, as that table has: without it mktime takes summer time in a local zone that
-- has it, and the two frames differ by an hour)
local function iso_secs(s)
  local y, mo, d, h, mi, se = s:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  return os.time{ year = tonumber(y), month = tonumber(mo), day = tonumber(d),
                  hour = tonumber(h), min = tonumber(mi), sec = tonumber(se), isdst = false }
end

describe("Model (port of create.test.js)", function()
  local db, User, Account, Student

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = DataTypes.STRING,
      secretValue = DataTypes.STRING,
      data = DataTypes.STRING,
      intVal = DataTypes.INTEGER,
      theDate = DataTypes.DATE,
      aBool = DataTypes.BOOLEAN,
      uniqueName = { type = DataTypes.STRING, unique = true },
    })
    Account = db:define("Account", { accountName = DataTypes.STRING })
    Student = db:define("Student", {
      no = { type = DataTypes.INTEGER, primaryKey = true },
      name = { type = DataTypes.STRING, allowNull = false },
    })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("findOrCreate", function()
    it("supports more than one models per transaction", function()
      local t = db:transaction()
      User:findOrCreate{ where = { username = "Username" }, defaults = { data = "some data" }, transaction = t }
      Account:findOrCreate{ where = { accountName = "accountName" }, transaction = t }
      t:commit()
      assert.equal(1, User:count())
      assert.equal(1, Account:count())
    end)

    local function uniq_user()
      local U = db:define("user", {
        objectId = { type = DataTypes.STRING, unique = true },
        username = { type = DataTypes.STRING, unique = true },
      })
      U:sync({ force = true })
      U:create{ username = "gottlieb" }
      return U
    end

    it("should error correctly when defaults contain a unique key", function()
      local U = uniq_user()
      local err = catch(function()
        U:findOrCreate{ where = { objectId = "asdasdasd" }, defaults = { username = "gottlieb" } }
      end)
      assert.is_true(err:is(errors.UniqueConstraintError))
    end)

    it("should error correctly when defaults contain a unique key and a non-existent field", function()
      local U = uniq_user()
      local err = catch(function()
        U:findOrCreate{ where = { objectId = "asdasdasd" },
                        defaults = { username = "gottlieb", foo = "bar", bar = 121 } }
      end)
      assert.is_true(err:is(errors.UniqueConstraintError))
    end)

    it("should error correctly when defaults contain a unique key and the where clause is complex", function()
      local U = uniq_user()
      local err = catch(function()
        U:findOrCreate{
          where = { [Op.or_] = { { objectId = "asdasdasd1" }, { objectId = "asdasdasd2" } } },
          defaults = { username = "gottlieb" },
        }
      end)
      assert.is_true(err:is(errors.UniqueConstraintError))
      assert.equal("string", type(err.errors[1].path))
    end)

    it("should work with empty uuid primary key in where", function()
      local U = db:define("User", {
        id = { type = DataTypes.UUID, primaryKey = true, allowNull = false, defaultValue = DataTypes.UUIDV4 },
        name = { type = DataTypes.STRING },
      })
      U:sync({ force = true })
      local u, created = U:findOrCreate{ where = {}, defaults = { name = tostring(math.random()) } }
      assert.is_true(created)
      assert.equal("string", type(u.id))
    end)

    it("should support special characters in defaults", function()
      local U = db:define("user", {
        objectId = { type = DataTypes.INTEGER, unique = true },
        description = { type = DataTypes.TEXT },
      })
      U:sync({ force = true })
      local s = "$$ and !! and :: and ? and ^ and * and '"
      U:findOrCreate{ where = { objectId = 1 }, defaults = { description = s } }
      assert.equal(s, U:findOne().description)
    end)

    it("should support bools in defaults", function()
      local U = db:define("user", {
        objectId = { type = DataTypes.INTEGER, unique = true },
        bool = DataTypes.BOOLEAN,
      })
      U:sync({ force = true })
      U:findOrCreate{ where = { objectId = 1 }, defaults = { bool = false } }
      assert.is_false(U:findOne().bool)
    end)

    it("returns instance if already existent. Single find field.", function()
      local user = User:create{ username = "Username" }
      local _user, created = User:findOrCreate{ where = { username = user.username } }
      assert.equal(user.id, _user.id)
      assert.equal("Username", _user.username)
      assert.is_false(created)
    end)

    it("Returns instance if already existent. Multiple find fields.", function()
      local data = { username = "Username", data = "ThisIsData" }
      local user = User:create(data)
      local _user, created = User:findOrCreate{ where = data }
      assert.equal(user.id, _user.id)
      assert.equal("Username", _user.username)
      assert.equal("ThisIsData", _user.data)
      assert.is_false(created)
    end)

    it("does not include exception catcher in response", function()
      local data = { username = "Username", data = "ThisIsData" }
      local user0 = User:findOrCreate{ where = data, defaults = {} }
      assert.is_nil(user0:toJSON().sequelize_caught_exception)
      local user = User:findOrCreate{ where = data, defaults = {} }
      assert.is_nil(user:toJSON().sequelize_caught_exception)
    end)

    it("creates new instance with default value.", function()
      local user, created = User:findOrCreate{ where = { username = "Username" }, defaults = { data = "ThisIsData" } }
      assert.equal("Username", user.username)
      assert.equal("ThisIsData", user.data)
      assert.is_true(created)
    end)

    it("supports .or() (only using default values)", function()
      local user, created = User:findOrCreate{
        where = Sequelize["or"]({ username = "Fooobzz" }, { secretValue = "Yolo" }),
        defaults = { username = "Fooobzz", secretValue = "Yolo" },
      }
      assert.equal("Fooobzz", user.username)
      assert.equal("Yolo", user.secretValue)
      assert.is_true(created)
    end)

    it("should ignore option returning", function()
      local user, created = User:findOrCreate{
        where = { username = "Username" }, defaults = { data = "ThisIsData" }, returning = false }
      assert.equal("Username", user.username)
      assert.equal("ThisIsData", user.data)
      assert.is_true(created)
    end)

    it("should release transaction when meeting errors", function()
      for _ = 0, 10 do
        local err = catch(function() Student:findOrCreate{ where = { no = 1 } } end)
        assert.is_true(err:is(errors.ValidationError))
      end
      -- the transaction findOrCreate opened is gone: another one starts and commits
      db:transaction(function(t) Student:create({ no = 1, name = "x" }, { transaction = t }) end)
      assert.equal(1, Student:count())
    end)

    describe("several concurrent calls", function()
      it("works with a transaction", function()
        local t = db:transaction()
        local first, firstCreated = User:findOrCreate{ where = { uniqueName = "winner" }, transaction = t }
        local second, secondCreated = User:findOrCreate{ where = { uniqueName = "winner" }, transaction = t }
        assert.is_true(firstCreated ~= secondCreated)
        assert.truthy(first)
        assert.truthy(second)
        assert.equal(first.id, second.id)
        t:commit()
      end)
    end)
  end)

  describe("create", function()
    it("works with multiple non-integer primary keys with a default value", function()
      local U = db:define("User", {
        id1 = { primaryKey = true, type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
        id2 = { primaryKey = true, type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
        email = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
      })
      db:sync({ force = true })
      local user = U:create({})
      assert.truthy(user)
      assert.truthy(user.id1)
      assert.truthy(user.id2)
    end)

    it("should return an error for a unique constraint error", function()
      local U = db:define("User", {
        email = {
          type = DataTypes.STRING,
          unique = { name = "email", msg = "Email is already registered." },
          validate = { notEmpty = true, isEmail = true },
        },
      })
      db:sync({ force = true })
      U:create{ email = "hello@sequelize.com" }
      local err = catch(function() U:create{ email = "hello@sequelize.com" } end)
      assert.is_true(err:is(errors.BaseError))
    end)

    it("works without any primary key", function()
      local Log = db:define("log", { level = DataTypes.STRING })
      Log:removeAttribute("id")
      db:sync({ force = true })
      Log:create{ level = "info" }
      Log:bulkCreate({ { level = "error" }, { level = "debug" } })
      local logs = Log:findAll()
      assert.equal(3, #logs)
      for _, log in ipairs(logs) do assert.is_nil(log:get("id")) end
    end)

    it("should be able to set createdAt and updatedAt if using silent: true", function()
      local U = db:define("user", { name = DataTypes.STRING }, { timestamps = true })
      local createdAt = "2012-11-10T10:10:10.000Z"
      local updatedAt = "2011-12-11T11:11:11.000Z"
      U:sync({ force = true })
      local user = U:create({ createdAt = createdAt, updatedAt = updatedAt }, { silent = true })
      assert.equal(createdAt, user:get("createdAt"))
      assert.equal(updatedAt, user:get("updatedAt"))
      local user0 = U:findOne{ where = { updatedAt = { [Op.ne] = Sequelize.null } } }
      assert.equal(createdAt, user0:get("createdAt"))
      assert.equal(updatedAt, user0:get("updatedAt"))
    end)

    it("works with custom timestamps with a default value", function()
      local U = db:define("User", {
        username = DataTypes.STRING,
        date_of_birth = DataTypes.DATE,
        email = DataTypes.STRING,
        password = DataTypes.STRING,
        created_time = { type = DataTypes.DATE, allowNull = true, defaultValue = DataTypes.NOW },
        updated_time = { type = DataTypes.DATE, allowNull = true, defaultValue = DataTypes.NOW },
      }, {
        createdAt = "created_time", updatedAt = "updated_time", tableName = "users",
        underscored = true, freezeTableName = true,
      })
      db:sync({ force = true })
      local user1 = U:create({})
      local user2 = U:create({})
      local ms = {}
      for _, user in ipairs({ user1, user2 }) do
        assert.truthy(user.created_time)
        assert.truthy(user.updated_time)
        -- timestamps have milliseconds
        assert.matches("%.%d%d%dZ$", user.created_time)
        assert.matches("%.%d%d%dZ$", user.updated_time)
        ms[#ms + 1] = user.created_time:match("%.(%d%d%d)Z$")
      end
      assert.is_false(ms[1] == "000" and ms[2] == "000")
    end)

    it("works with custom timestamps and underscored", function()
      local U = db:define("User", {}, { createdAt = "createdAt", updatedAt = "updatedAt", underscored = true })
      db:sync({ force = true })
      local user = U:create({})
      assert.truthy(user.createdAt)
      assert.truthy(user.updatedAt)
      assert.is_nil(user.created_at)
      assert.is_nil(user.updated_at)
    end)

    it("is possible to use casting when creating an instance", function()
      local match = false
      local user = User:create({ intVal = Sequelize.cast("1", "integer") }, {
        logging = function(sql)
          if sql:find("CAST%('1' AS INTEGER%)") or sql:find("CAST%(%?? AS INTEGER%)") or sql:find("CAST%(%$%d+ AS INTEGER%)") then
            match = true
          end
        end,
      })
      local user0 = User:findByPk(user.id)
      assert.equal(1, user0.intVal)
      assert.is_true(match)
    end)

    it("is possible to use casting multiple times mixed in with other utilities", function()
      local match = false
      local user = User:create({
        intVal = Sequelize.cast(Sequelize.cast(Sequelize.literal("1-2"), "integer"), "integer"),
      }, {
        logging = function(sql)
          if sql:find("CAST(CAST(1-2 AS INTEGER) AS INTEGER)", 1, true) then match = true end
        end,
      })
      local user0 = User:findByPk(user.id)
      assert.equal(-1, user0.intVal)
      assert.is_true(match)
    end)

    it("is possible to just use .literal() to bypass escaping", function()
      local user = User:create{ intVal = Sequelize.literal("CAST(1-2 AS INTEGER)") }
      assert.equal(-1, User:findByPk(user.id).intVal)
    end)

    it("is possible to use funtions when creating an instance", function()
      local user = User:create{ secretValue = Sequelize.fn("upper", "sequelize") }
      assert.equal("SEQUELIZE", User:findByPk(user.id).secretValue)
    end)

    it("should escape $ in sequelize functions arguments", function()
      local user = User:create{ secretValue = Sequelize.fn("upper", "$sequelize") }
      assert.equal("$SEQUELIZE", User:findByPk(user.id).secretValue)
    end)

    it("should escape multiple instances of $ in sequelize functions arguments", function()
      local user = User:create{ secretValue = Sequelize.fn("upper", "$sequelize and $sequelize2 and some money $42.69") }
      assert.equal("$SEQUELIZE AND $SEQUELIZE2 AND SOME MONEY $42.69", User:findByPk(user.id).secretValue)
    end)

    it("should work with a non-id named uuid primary key columns", function()
      local Monkey = db:define("Monkey", {
        monkeyId = { type = DataTypes.UUID, primaryKey = true, defaultValue = DataTypes.UUIDV4, allowNull = false },
      })
      db:sync({ force = true })
      local monkey = Monkey:create()
      assert.truthy(monkey:get("monkeyId"))
    end)

    it("is possible to use functions as default values", function()
      local userWithDefaults = db:define("userWithDefaults", {
        year = { type = DataTypes.STRING, defaultValue = Sequelize.fn("", Sequelize.fn("date", "now")) },
      })
      userWithDefaults:sync({ force = true })
      -- (the UTC day before and after the write: SQLite's date('now') is one of them, also when
      -- the write runs across midnight)
      local before = os.date("!%Y-%m-%d")
      local user = userWithDefaults:create({})
      local after = os.date("!%Y-%m-%d")
      local user0 = userWithDefaults:findByPk(user.id)
      assert.is_true(user0.year == before or user0.year == after, tostring(user0.year))
    end)

    it("doesn't allow duplicated records with unique:true", function()
      local U = db:define("UserWithUniqueUsername", { username = { type = DataTypes.STRING, unique = true } })
      U:sync({ force = true })
      U:create{ username = "foo" }
      local err = catch(function() U:create{ username = "foo" } end)
      assert.is_true(err:is(errors.UniqueConstraintError))
    end)

    it("doesn't allow case-insensitive duplicated records using CITEXT", function()
      local U = db:define("UserWithUniqueCITEXT", { username = { type = DataTypes.CITEXT, unique = true } })
      U:sync({ force = true })
      U:create{ username = "foo" }
      local err = catch(function() U:create{ username = "fOO" } end)
      assert.is_true(err:is(errors.UniqueConstraintError))
    end)

    it("raises an error if created object breaks definition constraints", function()
      local UserNull = db:define("UserWithNonNullSmth", {
        username = { type = DataTypes.STRING, unique = true },
        smth = { type = DataTypes.STRING, allowNull = false },
      })
      UserNull:sync({ force = true })
      local err = catch(function() UserNull:create{ username = "foo2", smth = Sequelize.null } end)
      local smth1 = err:get("smth")[1]
      assert.equal("smth", smth1.path)
      assert.matches("notNull Violation", smth1.type or smth1.origin)
      assert.equal(0, UserNull:count())
    end)

    it("raises an error if created object breaks definition constraints (unique)", function()
      local UserNull = db:define("UserWithNonNullSmth", {
        username = { type = DataTypes.STRING, unique = true },
        smth = { type = DataTypes.STRING, allowNull = false },
      })
      UserNull:sync({ force = true })
      UserNull:create{ username = "foo", smth = "foo" }
      local err = catch(function() UserNull:create{ username = "foo", smth = "bar" } end)
      assert.is_true(err:is(errors.UniqueConstraintError))
    end)

    it("raises an error if saving an empty string into a column allowing null or URL", function()
      local StringIsNullOrUrl = db:define("StringIsNullOrUrl", {
        str = { type = DataTypes.STRING, allowNull = true, validate = { isURL = true } },
      })
      StringIsNullOrUrl:sync({ force = true })
      local str1 = StringIsNullOrUrl:create{ str = Sequelize.null }
      assert.is_nil(str1.str)
      local str2 = StringIsNullOrUrl:create{ str = "http://sequelizejs.org" }
      assert.equal("http://sequelizejs.org", str2.str)
      local err = catch(function() StringIsNullOrUrl:create{ str = "" } end)
      assert.matches("Validation isURL on str failed", err:get("str")[1].message)
    end)

    it("raises an error if you mess up the datatype", function()
      -- (Sequelize.DATe is undefined in JavaScript; sequelua's DataTypes raises on the misspelt name
      -- itself, and an attribute table without a type is the `{ type: undefined }` form)
      local e1 = catch(function() return DataTypes.DATe end)
      assert.matches("DataTypes.DATe is not supported", e1.message, 1, true)
      local err = catch(function() db:define("UserBadDataType", { activity_date = { type = nil } }) end)
      assert.equal('Unrecognized datatype for attribute "UserBadDataType.activity_date"', err.message)
    end)

    it("sets a 64 bit int in bigint", function()
      local U = db:define("UserWithBigIntFields", { big = DataTypes.BIGINT })
      U:sync({ force = true })
      local user = U:create{ big = "9223372036854775807" }
      assert.equal("9223372036854775807", user.big)
    end)

    it("sets auto increment fields", function()
      local U = db:define("UserWithAutoIncrementField", {
        userid = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true, allowNull = false },
      })
      U:sync({ force = true })
      assert.equal(1, U:create({}).userid)
      assert.equal(2, U:create({}).userid)
    end)

    it("allows the usage of options as attribute", function()
      local U = db:define("UserWithNameAndOptions", { name = DataTypes.STRING, options = DataTypes.TEXT })
      local options = '{"foo":"bar","bar":"foo"}'
      U:sync({ force = true })
      local user = U:create{ name = "John Doe", options = options }
      assert.equal(options, user.options)
    end)

    it("allows sql logging", function()
      local U = db:define("UserWithUniqueNameAndNonNullSmth", {
        name = { type = DataTypes.STRING, unique = true },
        smth = { type = DataTypes.STRING, allowNull = false },
      })
      local test = false
      U:sync({ force = true })
      U:create({ name = "Fluffy Bunny", smth = "else" }, {
        logging = function(sql)
          assert.truthy(sql)
          test = true
          assert.truthy(sql:upper():find("INSERT", 1, true))
        end,
      })
      assert.is_true(test)
    end)

    it("should only store the values passed in the whitelist", function()
      local data = { username = "Peter", secretValue = "42", uniqueName = "name" }
      local user = User:create(data, { fields = { "username" } })
      local _user = User:findByPk(user.id)
      assert.equal(data.username, _user.username)
      assert.is_nil(_user.secretValue)
    end)

    it("should store all values if no whitelist is specified", function()
      local data = { username = "Peter", secretValue = "42" }
      local user = User:create(data)
      local _user = User:findByPk(user.id)
      assert.equal(data.username, _user.username)
      assert.equal(data.secretValue, _user.secretValue)
    end)

    it("can omit autoincremental columns", function()
      local data = { title = "Iliad" }
      for i, dt in ipairs({ "INTEGER", "BIGINT" }) do
        local Book = db:define("Book" .. i, {
          id = { type = DataTypes[dt], primaryKey = true, autoIncrement = true },
          title = DataTypes.TEXT,
        })
        Book:sync({ force = true })
        local book = Book:create(data)
        assert.equal(data.title, book.title)
        assert.is_nil(book.author)
        assert.equal(dt, Book.rawAttributes.id.type.key)
      end
    end)

    it("saves data with single quote", function()
      local quote = "single'quote"
      local user = User:create{ data = quote }
      assert.equal(quote, user.data)
      assert.equal(quote, User:findOne{ where = { id = user.id } }.data)
    end)

    it("saves data with double quote", function()
      local quote = 'double"quote'
      local user = User:create{ data = quote }
      assert.equal(quote, user.data)
      assert.equal(quote, User:findOne{ where = { id = user.id } }.data)
    end)

    it("saves stringified JSON data", function()
      local json = '{"key":"value"}'
      local user = User:create{ data = json }
      assert.equal(json, user.data)
      assert.equal(json, User:findOne{ where = { id = user.id } }.data)
    end)

    it("stores the current date in createdAt", function()
      local user = User:create{ username = "foo" }
      assert.is_true(math.abs(iso_secs(user.createdAt) - os.time(os.date("!*t"))) < 10)
    end)

    it("allows setting custom IDs", function()
      local user = User:create{ id = 42 }
      assert.equal(42, user.id)
      assert.truthy(User:findByPk(42))
    end)

    it("should allow blank creates (with timestamps: false)", function()
      local Worker = db:define("Worker", {}, { timestamps = false })
      Worker:sync()
      assert.truthy(Worker:create({}, { fields = {} }))
    end)

    it("should allow truly blank creates", function()
      local Worker = db:define("Worker", {}, { timestamps = false })
      Worker:sync()
      assert.truthy(Worker:create({}, { fields = {} }))
    end)

    it("should only set passed fields", function()
      local U = db:define("User", { email = { type = DataTypes.STRING }, name = { type = DataTypes.STRING } })
      db:sync({ force = true })
      local user = U:create({ name = "Yolo Bear", email = "yolo@bear.com" }, { fields = { "name" } })
      assert.truthy(user.name)
      assert.is_nil(user.email)
      local user0 = U:findByPk(user.id)
      assert.truthy(user0.name)
      assert.is_nil(user0.email)
    end)

    it("Works even when SQL query has a values of transaction keywords such as BEGIN TRANSACTION", function()
      local Task = db:define("task", { title = DataTypes.STRING })
      Task:sync({ force = true })
      local titles = { "BEGIN TRANSACTION", "COMMIT TRANSACTION", "ROLLBACK TRANSACTION", "SAVE TRANSACTION" }
      local newTasks = {}
      for i, t in ipairs(titles) do newTasks[i] = Task:create{ title = t } end
      assert.equal(4, #newTasks)
      for i, t in ipairs(titles) do assert.equal(t, newTasks[i].title) end
      assert.equal(4, Task:count())
    end)

    describe("enums", function()
      it("correctly restores enum values", function()
        local Item = db:define("Item", {
          state = { type = DataTypes.ENUM, values = { "available", "in_cart", "shipped" } },
        })
        Item:sync({ force = true })
        local _item = Item:create{ state = "available" }
        local item = Item:findOne{ where = { state = "available" } }
        assert.equal(_item.id, item.id)
      end)

      it("allows null values", function()
        local Enum = db:define("Enum", {
          state = { type = DataTypes.ENUM, values = { "happy", "sad" }, allowNull = true },
        })
        Enum:sync({ force = true })
        local _enum = Enum:create{ state = Sequelize.null }
        assert.is_nil(_enum.state)
      end)

      describe("when defined via { field: Sequelize.ENUM }", function()
        it("allows values passed as parameters", function()
          local Enum = db:define("Enum", { state = DataTypes.ENUM("happy", "sad") })
          Enum:sync({ force = true })
          Enum:create{ state = "happy" }
        end)

        it("allows values passed as an array", function()
          local Enum = db:define("Enum", { state = DataTypes.ENUM({ "happy", "sad" }) })
          Enum:sync({ force = true })
          Enum:create{ state = "happy" }
        end)
      end)

      describe("when defined via { field: { type: Sequelize.ENUM } }", function()
        it("allows values passed as parameters", function()
          local Enum = db:define("Enum", { state = { type = DataTypes.ENUM("happy", "sad") } })
          Enum:sync({ force = true })
          Enum:create{ state = "happy" }
        end)

        it("allows values passed as an array", function()
          local Enum = db:define("Enum", { state = { type = DataTypes.ENUM({ "happy", "sad" }) } })
          Enum:sync({ force = true })
          Enum:create{ state = "happy" }
        end)
      end)

      describe("can safely sync multiple times", function()
        it("through the factory", function()
          local Enum = db:define("Enum", {
            state = { type = DataTypes.ENUM, values = { "happy", "sad" }, allowNull = true },
          })
          Enum:sync({ force = true })
          Enum:sync()
          Enum:sync({ force = true })
        end)

        it("through sequelize", function()
          db:define("Enum", { state = { type = DataTypes.ENUM, values = { "happy", "sad" }, allowNull = true } })
          db:sync({ force = true })
          db:sync()
          db:sync({ force = true })
        end)
      end)
    end)
  end)

  it("should return autoIncrement primary key (create)", function()
    local Maya = db:define("Maya", {})
    Maya:sync({ force = true })
    local m = Maya:create({}, { returning = true })
    assert.equal(1, m.id)
  end)

  it("should support logging", function()
    local called = false
    User:create({}, { logging = function() called = true end })
    assert.is_true(called)
  end)
end)
