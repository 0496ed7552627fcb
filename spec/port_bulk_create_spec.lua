-- Port of Sequelize v6's test/integration/model/bulk-create.test.js (branch v6), sqlite dialect.
-- Skipped:
--   supports transactions (count outside the open transaction is 0): one connection per db, a read
--     without `transaction` joins the open one (README, "Decisions that differ")
--   should support schemas: Postgres schemas (sqlite's createSchema creates nothing)
--   should throw an error when the ignoreDuplicates option is passed: only for dialects without
--     ignoreDuplicates (sqlite has it; "should support the ignoreDuplicates option" is ported)
--   return values (four tests): need dialect.supports.returnValues, false on sqlite
--   the second describe('conflictWhere') (under supports.inserts.onConflictWhere): the same three
--     tests again, ported once
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

local function catch(fn) return support.catch_error(fn) end

-- seconds since the epoch of an ISO-8601 UTC string, in the same frame as os.time(os.date("!*t"))
-- (isdst = false, as that table has: without it mktime takes summer time in a local zone that
-- has it, and the two frames differ by an hour)
local function iso_secs(s)
  local y, mo, d, h, mi, se = s:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  return os.time{ year = tonumber(y), month = tonumber(mo), day = tonumber(d),
                  hour = tonumber(h), min = tonumber(mi), sec = tonumber(se), isdst = false }
end

describe("Model (port of bulk-create.test.js)", function()
  local db, User, Student, Car

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = DataTypes.STRING,
      secretValue = { type = DataTypes.STRING, field = "secret_value" },
      data = DataTypes.STRING,
      intVal = DataTypes.INTEGER,
      theDate = DataTypes.DATE,
      aBool = DataTypes.BOOLEAN,
      uniqueName = { type = DataTypes.STRING, unique = true },
    })
    db:define("Account", { accountName = DataTypes.STRING })
    Student = db:define("Student", {
      no = { type = DataTypes.INTEGER, primaryKey = true },
      name = { type = DataTypes.STRING, allowNull = false },
    })
    Car = db:define("Car", {
      plateNumber = { type = DataTypes.STRING, primaryKey = true, field = "plate_number" },
      color = { type = DataTypes.TEXT },
    })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("bulkCreate", function()
    it("should not alter options", function()
      local U = db:define("User")
      U:sync({ force = true })
      local options = { anOption = 1 }
      U:bulkCreate({ {} }, options)
      assert.same({ anOption = 1 }, options)
    end)

    it("should be able to set createdAt and updatedAt if using silent: true", function()
      local U = db:define("user", { name = DataTypes.STRING }, { timestamps = true })
      local createdAt = "2012-11-10T10:10:10.000Z"
      local updatedAt = "2011-12-11T11:11:11.000Z"
      local values = {}
      for i = 1, 10 do values[i] = { createdAt = createdAt, updatedAt = updatedAt } end
      U:sync({ force = true })
      U:bulkCreate(values, { silent = true })
      local users = U:findAll{ where = { updatedAt = { [Op.ne] = Sequelize.null } } }
      assert.equal(10, #users)
      for _, user in ipairs(users) do
        assert.equal(createdAt, user:get("createdAt"))
        assert.equal(updatedAt, user:get("updatedAt"))
      end
    end)

    it("should not fail on validate: true and individualHooks: true", function()
      local U = db:define("user", { name = DataTypes.STRING })
      U:sync({ force = true })
      U:bulkCreate({ { name = "James" } }, { validate = true, individualHooks = true })
    end)

    it("should not map instance dataValues to fields with individualHooks: true", function()
      local U = db:define("user", {
        name = DataTypes.STRING,
        type = { type = DataTypes.STRING, allowNull = false, field = "user_type" },
        createdAt = { type = DataTypes.DATE, allowNull = false, field = "created_at" },
        updatedAt = { type = DataTypes.DATE, field = "modified_at" },
      })
      U:sync({ force = true })
      U:bulkCreate({ { name = "James", type = "A" }, { name = "Alan", type = "Z" } }, { individualHooks = true })
      assert.equal(2, U:count())
    end)

    it("should not insert NULL for unused fields", function()
      local Beer = db:define("Beer", { style = DataTypes.STRING, size = DataTypes.INTEGER })
      Beer:sync({ force = true })
      local seen = false
      Beer:bulkCreate({ { style = "ipa" } }, {
        logging = function(sql)
          -- (Sequelize: `(`id`,`style`,`createdAt`,`updatedAt`) VALUES (NULL,'ipa',...`; sequelua
          -- leaves the autoincrement key out too, and binds the values; it also logs the
          -- SAVEPOINT that makes the bulk insert atomic)
          if sql:find("INSERT", 1, true) then
            assert.truthy(sql:find("INSERT INTO `Beers` (`style`,`createdAt`,`updatedAt`) VALUES (?,?,?)", 1, true))
            seen = true
          end
        end,
      })
      assert.is_true(seen)
    end)

    it("properly handles disparate field lists", function()
      User:bulkCreate({
        { username = "Peter", secretValue = "42", uniqueName = "1" },
        { username = "Paul", uniqueName = "2" },
        { username = "Steve", uniqueName = "3" },
      })
      local users = User:findAll{ where = { username = "Paul" } }
      assert.equal(1, #users)
      assert.equal("Paul", users[1].username)
      assert.is_nil(users[1].secretValue)
    end)

    it("inserts multiple values respecting the white list", function()
      User:bulkCreate({
        { username = "Peter", secretValue = "42", uniqueName = "1" },
        { username = "Paul", secretValue = "23", uniqueName = "2" },
      }, { fields = { "username", "uniqueName" } })
      local users = User:findAll{ order = { "id" } }
      assert.equal(2, #users)
      assert.equal("Peter", users[1].username)
      assert.is_nil(users[1].secretValue)
      assert.equal("Paul", users[2].username)
      assert.is_nil(users[2].secretValue)
    end)

    it("should store all values if no whitelist is specified", function()
      User:bulkCreate({
        { username = "Peter", secretValue = "42", uniqueName = "1" },
        { username = "Paul", secretValue = "23", uniqueName = "2" },
      })
      local users = User:findAll{ order = { "id" } }
      assert.equal(2, #users)
      assert.equal("Peter", users[1].username)
      assert.equal("42", users[1].secretValue)
      assert.equal("Paul", users[2].username)
      assert.equal("23", users[2].secretValue)
    end)

    it("should set isNewRecord = false", function()
      User:bulkCreate({
        { username = "Peter", secretValue = "42", uniqueName = "1" },
        { username = "Paul", secretValue = "23", uniqueName = "2" },
      })
      local users = User:findAll{ order = { "id" } }
      assert.equal(2, #users)
      for _, user in ipairs(users) do assert.is_false(user.isNewRecord) end
    end)

    for _, case in ipairs({ { "saves data with single quote", "Single'Quote" },
                            { "saves data with double quote", 'Double"Quote' },
                            { "saves stringified JSON data", '{"key":"value"}' } }) do
      it(case[1], function()
        local quote = case[2]
        User:bulkCreate({
          { username = "Peter", data = quote, uniqueName = "1" },
          { username = "Paul", data = quote, uniqueName = "2" },
        })
        local users = User:findAll{ order = { "id" } }
        assert.equal(2, #users)
        assert.equal("Peter", users[1].username)
        assert.equal(quote, users[1].data)
        assert.equal("Paul", users[2].username)
        assert.equal(quote, users[2].data)
      end)
    end

    it("properly handles a model with a length column", function()
      local UserWithLength = db:define("UserWithLength", { length = DataTypes.INTEGER })
      UserWithLength:sync({ force = true })
      UserWithLength:bulkCreate({ { length = 42 }, { length = 11 } })
      assert.equal(2, UserWithLength:count())
    end)

    it("stores the current date in createdAt", function()
      User:bulkCreate({ { username = "Peter", uniqueName = "1" }, { username = "Paul", uniqueName = "2" } })
      local users = User:findAll{ order = { "id" } }
      local now = os.time(os.date("!*t"))
      assert.equal(2, #users)
      assert.equal("Peter", users[1].username)
      assert.is_true(math.abs(iso_secs(users[1].createdAt) - now) < 10)
      assert.equal("Paul", users[2].username)
      assert.is_true(math.abs(iso_secs(users[2].createdAt) - now) < 10)
    end)

    it("emits an error when validate is set to true", function()
      local Tasks = db:define("Task", {
        name = { type = DataTypes.STRING, allowNull = false },
        code = { type = DataTypes.STRING, validate = { len = { 3, 10 } } },
      })
      Tasks:sync({ force = true })
      local err = catch(function()
        Tasks:bulkCreate({
          { name = "foo", code = "123" },
          { code = "1234" },
          { name = "bar", code = "1" },
        }, { validate = true })
      end)
      local expectedValidationError = "Validation len on code failed"
      local expectedNotNullError = "notNull Violation: Task.name cannot be null"
      assert.truthy(tostring(err):find(expectedValidationError, 1, true))
      assert.truthy(tostring(err):find(expectedNotNullError, 1, true))
      local errs = err.errors
      assert.equal(2, #errs)
      local e0name0 = errs[1].errors:get("name")[1]
      assert.equal("1234", errs[1].record.code)
      assert.equal("notNull Violation", e0name0.type or e0name0.origin)
      assert.equal("bar", errs[2].record.name)
      assert.equal("1", errs[2].record.code)
      assert.equal(expectedValidationError, errs[2].errors:get("code")[1].message)
      assert.equal(0, Tasks:count())
    end)

    it("doesn't emit an error when validate is set to true but our selectedValues are fine", function()
      local Tasks = db:define("Task", {
        name = { type = DataTypes.STRING, validate = { notEmpty = true } },
        code = { type = DataTypes.STRING, validate = { len = { 3, 10 } } },
      })
      Tasks:sync({ force = true })
      Tasks:bulkCreate({ { name = "foo", code = "123" }, { code = "1234" } }, { fields = { "code" }, validate = true })
    end)

    it("should allow blank arrays (return immediately)", function()
      local Worker = db:define("Worker", {})
      Worker:sync()
      local workers = Worker:bulkCreate({})
      assert.truthy(workers)
      assert.equal(0, #workers)
    end)

    it("should allow blank creates (with timestamps: false)", function()
      local Worker = db:define("Worker", {}, { timestamps = false })
      Worker:sync()
      assert.truthy(Worker:bulkCreate({ {}, {} }))
      assert.equal(2, Worker:count())
    end)

    it("should allow autoincremented attributes to be set", function()
      local Worker = db:define("Worker", {}, { timestamps = false })
      Worker:sync()
      Worker:bulkCreate({ { id = 5 }, { id = 10 } })
      local workers = Worker:findAll{ order = { { "id", "ASC" } } }
      assert.equal(5, workers[1].id)
      assert.equal(10, workers[2].id)
    end)

    it("should support the ignoreDuplicates option", function()
      local data = { { uniqueName = "Peter", secretValue = "42" }, { uniqueName = "Paul", secretValue = "23" } }
      User:bulkCreate(data, { fields = { "uniqueName", "secretValue" } })
      data[#data + 1] = { uniqueName = "Michael", secretValue = "26" }
      User:bulkCreate(data, { fields = { "uniqueName", "secretValue" }, ignoreDuplicates = true })
      local users = User:findAll{ order = { "id" } }
      assert.equal(3, #users)
      assert.equal("Peter", users[1].uniqueName)
      assert.equal("42", users[1].secretValue)
      assert.equal("Paul", users[2].uniqueName)
      assert.equal("23", users[2].secretValue)
      assert.equal("Michael", users[3].uniqueName)
      assert.equal("26", users[3].secretValue)
    end)

    describe("updateOnDuplicate", function()
      it("should support the updateOnDuplicate option", function()
        local opts = { fields = { "uniqueName", "secretValue" }, updateOnDuplicate = { "secretValue" } }
        User:bulkCreate({ { uniqueName = "Peter", secretValue = "42" }, { uniqueName = "Paul", secretValue = "23" } }, opts)
        User:bulkCreate({
          { uniqueName = "Peter", secretValue = "43" },
          { uniqueName = "Paul", secretValue = "24" },
          { uniqueName = "Michael", secretValue = "26" },
        }, opts)
        local users = User:findAll{ order = { "id" } }
        assert.equal(3, #users)
        assert.equal("Peter", users[1].uniqueName)
        assert.equal("43", users[1].secretValue)
        assert.equal("Paul", users[2].uniqueName)
        assert.equal("24", users[2].secretValue)
        assert.equal("Michael", users[3].uniqueName)
        assert.equal("26", users[3].secretValue)
      end)

      describe("should support the updateOnDuplicate option with primary keys", function()
        it("when the primary key column names and model field names are the same", function()
          local opts = { fields = { "no", "name" }, updateOnDuplicate = { "name" } }
          Student:bulkCreate({ { no = 1, name = "Peter" }, { no = 2, name = "Paul" } }, opts)
          Student:bulkCreate({ { no = 1, name = "Peterson" }, { no = 2, name = "Paulson" }, { no = 3, name = "Michael" } }, opts)
          local students = Student:findAll{ order = { "no" } }
          assert.equal(3, #students)
          assert.equal("Peterson", students[1].name)
          assert.equal(1, students[1].no)
          assert.equal("Paulson", students[2].name)
          assert.equal(2, students[2].no)
          assert.equal("Michael", students[3].name)
          assert.equal(3, students[3].no)
        end)

        it("when the primary key column names and model field names are different", function()
          local opts = { fields = { "plateNumber", "color" }, updateOnDuplicate = { "color" } }
          Car:bulkCreate({ { plateNumber = "abc", color = "Grey" }, { plateNumber = "def", color = "White" } }, opts)
          Car:bulkCreate({
            { plateNumber = "abc", color = "Red" },
            { plateNumber = "def", color = "Green" },
            { plateNumber = "ghi", color = "Blue" },
          }, opts)
          local cars = Car:findAll{ order = { "plateNumber" } }
          assert.equal(3, #cars)
          assert.equal("abc", cars[1].plateNumber)
          assert.equal("Red", cars[1].color)
          assert.equal("def", cars[2].plateNumber)
          assert.equal("Green", cars[2].color)
          assert.equal("ghi", cars[3].plateNumber)
          assert.equal("Blue", cars[3].color)
        end)

        it("when the primary key column names and model field names are different and have unique constraints", function()
          local Person = db:define("Person", {
            emailAddress = { type = DataTypes.STRING, allowNull = false, primaryKey = true, unique = true,
                             field = "email_address" },
            name = { type = DataTypes.STRING, allowNull = false, field = "name" },
          }, {})
          Person:sync({ force = true })
          local people0 = Person:bulkCreate({ { emailAddress = "a@example.com", name = "Alice" } })
          assert.equal(1, #people0)
          assert.equal("a@example.com", people0[1].emailAddress)
          assert.equal("Alice", people0[1].name)
          local people = Person:bulkCreate({
            { emailAddress = "a@example.com", name = "CHANGED NAME" },
            { emailAddress = "b@example.com", name = "Bob" },
          }, { updateOnDuplicate = { "emailAddress", "name" } })
          assert.equal(2, #people)
          assert.equal("a@example.com", people[1].emailAddress)
          assert.equal("CHANGED NAME", people[1].name)
          assert.equal("b@example.com", people[2].emailAddress)
          assert.equal("Bob", people[2].name)
          assert.equal("CHANGED NAME", Person:findByPk("a@example.com").name)
        end)

        it("when the composite primary key column names and model field names are different", function()
          local Person = db:define("Person", {
            systemId = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, field = "system_id" },
            system = { type = DataTypes.STRING, allowNull = false, primaryKey = true, field = "system" },
            name = { type = DataTypes.STRING, allowNull = false, field = "name" },
          }, {})
          Person:sync({ force = true })
          local people0 = Person:bulkCreate({ { systemId = 1, system = "system1", name = "Alice" } })
          assert.equal(1, #people0)
          assert.equal(1, people0[1].systemId)
          assert.equal("system1", people0[1].system)
          assert.equal("Alice", people0[1].name)
          local people = Person:bulkCreate({
            { systemId = 1, system = "system1", name = "CHANGED NAME" },
            { systemId = 1, system = "system2", name = "Bob" },
          }, { updateOnDuplicate = { "systemId", "system", "name" } })
          assert.equal(2, #people)
          assert.equal(1, people[1].systemId)
          assert.equal("system1", people[1].system)
          assert.equal("CHANGED NAME", people[1].name)
          assert.equal(1, people[2].systemId)
          assert.equal("system2", people[2].system)
          assert.equal("Bob", people[2].name)
          assert.equal(2, Person:count())
        end)

        it("when the primary key column names and model field names are different and have composite unique constraints", function()
          local Person = db:define("Person", {
            id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, field = "id" },
            systemId = { type = DataTypes.INTEGER, allowNull = false, unique = "system_id_system_unique", field = "system_id" },
            system = { type = DataTypes.STRING, allowNull = false, unique = "system_id_system_unique", field = "system" },
            name = { type = DataTypes.STRING, allowNull = false, field = "name" },
          }, {})
          Person:sync({ force = true })
          local people0 = Person:bulkCreate({ { id = 1, systemId = 1, system = "system1", name = "Alice" } })
          assert.equal(1, #people0)
          assert.equal(1, people0[1].systemId)
          assert.equal("system1", people0[1].system)
          assert.equal("Alice", people0[1].name)
          local people = Person:bulkCreate({
            { id = 1, systemId = 1, system = "system1", name = "CHANGED NAME" },
            { id = 2, systemId = 1, system = "system2", name = "Bob" },
          }, { updateOnDuplicate = { "systemId", "system", "name" } })
          assert.equal(2, #people)
          assert.equal(1, people[1].systemId)
          assert.equal("system1", people[1].system)
          assert.equal("CHANGED NAME", people[1].name)
          assert.equal(1, people[2].systemId)
          assert.equal("system2", people[2].system)
          assert.equal("Bob", people[2].name)
        end)

        it("[#12516] when the primary key column names and model field names are different and have composite unique index constraints", function()
          local Person = db:define("Person", {
            id = { type = DataTypes.INTEGER, allowNull = false, autoIncrement = true, primaryKey = true, field = "id" },
            systemId = { type = DataTypes.INTEGER, allowNull = false, field = "system_id" },
            system = { type = DataTypes.STRING, allowNull = false, field = "system" },
            name = { type = DataTypes.STRING, allowNull = false, field = "name" },
          }, { indexes = { { unique = true, fields = { "system_id", "system" } } } })
          Person:sync({ force = true })
          local people0 = Person:bulkCreate({ { systemId = 1, system = "system1", name = "Alice" } })
          assert.equal(1, #people0)
          assert.equal(1, people0[1].systemId)
          assert.equal("system1", people0[1].system)
          assert.equal("Alice", people0[1].name)
          local people = Person:bulkCreate({
            { systemId = 1, system = "system1", name = "CHANGED NAME" },
            { systemId = 1, system = "system2", name = "Bob" },
          }, { updateOnDuplicate = { "systemId", "system", "name" } })
          assert.equal(2, #people)
          assert.equal(1, people[1].systemId)
          assert.equal("system1", people[1].system)
          assert.equal("CHANGED NAME", people[1].name)
          assert.equal(1, people[2].systemId)
          assert.equal("system2", people[2].system)
          assert.equal("Bob", people[2].name)
          assert.equal(2, Person:count())
        end)
      end)

      it("should reject for non array updateOnDuplicate option", function()
        local err = catch(function()
          User:bulkCreate({ { uniqueName = "Peter", secretValue = "42" }, { uniqueName = "Paul", secretValue = "23" } },
                          { updateOnDuplicate = true })
        end)
        assert.equal("updateOnDuplicate option only supports non-empty array.", err.message)
        assert.equal(0, User:count())
      end)

      it("should reject for empty array updateOnDuplicate option", function()
        local err = catch(function()
          User:bulkCreate({ { uniqueName = "Peter", secretValue = "42" }, { uniqueName = "Paul", secretValue = "23" } },
                          { updateOnDuplicate = {} })
        end)
        assert.equal("updateOnDuplicate option only supports non-empty array.", err.message)
        assert.equal(0, User:count())
      end)

      it("should respect the conflictAttributes option", function()
        local Permissions = db:define("permissions", {
          userId = { type = DataTypes.INTEGER, allowNull = false, field = "user_id" },
          permissions = { type = DataTypes.ENUM("owner", "admin", "member"), allowNull = false, defaultValue = "member" },
        }, { timestamps = false })
        Permissions:sync({ force = true })
        db:getQueryInterface():addIndex("permissions", { "user_id" }, { unique = true })
        local initialPermissions = {
          { userId = 1, permissions = "member" },
          { userId = 2, permissions = "admin" },
          { userId = 3, permissions = "owner" },
        }
        local initialResults = Permissions:bulkCreate(initialPermissions, {
          conflictAttributes = { "userId" }, updateOnDuplicate = { "permissions" } })
        assert.equal(3, #initialResults)
        for i = 1, 3 do
          assert.equal(initialPermissions[i].userId, initialResults[i].userId)
          assert.equal(initialPermissions[i].permissions, initialResults[i].permissions)
        end
        local newPermissions = {
          { userId = 1, permissions = "owner" },
          { userId = 2, permissions = "member" },
          { userId = 3, permissions = "admin" },
        }
        local newResults = Permissions:bulkCreate(newPermissions, {
          conflictAttributes = { "userId" }, updateOnDuplicate = { "permissions" } })
        assert.equal(3, #newResults)
        for i = 1, 3 do
          assert.equal(initialResults[i].id, newResults[i].id)
          assert.equal(newPermissions[i].userId, newResults[i].userId)
          assert.equal(newPermissions[i].permissions, newResults[i].permissions)
        end
        local stored = Permissions:findAll{ order = { "userId" } }
        assert.equal(3, #stored)
        for i = 1, 3 do assert.equal(newPermissions[i].permissions, stored[i].permissions) end
      end)

      describe("conflictWhere", function()
        local Memberships
        local options = {
          conflictWhere = { time_deleted = Sequelize.null },
          conflictAttributes = { "user_id", "foreign_id" },
          updateOnDuplicate = { "user_id", "foreign_id", "time_deleted" },
        }
        local NOW = "2024-03-05T10:20:30.000Z"
        before_each(function()
          Memberships = db:define("memberships", {
            user_id = DataTypes.INTEGER,
            foreign_id = DataTypes.INTEGER,
            time_deleted = DataTypes.DATE,
          }, {
            createdAt = false, updatedAt = false, deletedAt = "time_deleted",
            indexes = { { fields = { "user_id", "foreign_id" }, unique = true, where = { time_deleted = Sequelize.null } } },
          })
          Memberships:sync({ force = true })
        end)

        local function list(f)
          local t = {}
          for i = 0, 9 do t[i + 1] = { user_id = i + 1, foreign_id = i + 20, time_deleted = f(i) } end
          return t
        end

        it("should insert items with conflictWhere", function()
          local memberships = list(function() return Sequelize.null end)
          local results = Memberships:bulkCreate(memberships, options)
          for i = 1, 10 do
            assert.equal(memberships[i].user_id, results[i].user_id)
            assert.is_nil(results[i].time_deleted)
          end
        end)

        it("should not conflict with soft deleted memberships", function()
          local memberships = list(function() return NOW end)
          local results = Memberships:bulkCreate(memberships, options)
          for i = 1, 10 do
            assert.equal(memberships[i].user_id, results[i].user_id)
            assert.is_not_nil(results[i].time_deleted)
          end
          results = Memberships:bulkCreate(list(function() return Sequelize.null end), options)
          for i = 1, 10 do
            assert.equal(memberships[i].user_id, results[i].user_id)
            assert.is_nil(results[i].time_deleted)
          end
          assert.equal(20, Memberships:count())
        end)

        it("should upsert existing memberships", function()
          local memberships = list(function(i) return i % 2 == 1 and NOW or Sequelize.null end)
          local results = Memberships:bulkCreate(memberships, options)
          for i = 1, 10 do
            assert.equal(memberships[i].user_id, results[i].user_id)
            if (i - 1) % 2 == 1 then assert.is_not_nil(results[i].time_deleted)
            else assert.is_nil(results[i].time_deleted) end
          end
          results = Memberships:bulkCreate(list(function() return Sequelize.null end), options)
          for i = 1, 10 do
            assert.equal(memberships[i].user_id, results[i].user_id)
            assert.is_nil(results[i].time_deleted)
          end
          assert.equal(15, Memberships:count({ paranoid = false }))
        end)
      end)
    end)

    describe("enums", function()
      it("correctly restores enum values", function()
        local Item = db:define("Item", {
          state = { type = DataTypes.ENUM, values = { "available", "in_cart", "shipped" } },
          name = DataTypes.STRING,
        })
        Item:sync({ force = true })
        Item:bulkCreate({ { state = "in_cart", name = "A" }, { state = "available", name = "B" } })
        assert.equal("B", Item:findOne{ where = { state = "available" } }.name)
      end)
    end)

    it("should properly map field names to attribute names", function()
      local Maya = db:define("Maya", {
        name = DataTypes.STRING,
        secret = { field = "secret_given", type = DataTypes.STRING },
        createdAt = { field = "created_at", type = DataTypes.DATE },
        updatedAt = { field = "updated_at", type = DataTypes.DATE },
      })
      local M1 = { id = 1, name = "Prathma Maya", secret = "You are on list #1" }
      local M2 = { id = 2, name = "Dwitiya Maya", secret = "You are on list #2" }
      Maya:sync({ force = true })
      local m0 = Maya:create(M1)
      assert.truthy(m0.createdAt)
      assert.equal(M1.id, m0.id)
      assert.equal(M1.name, m0.name)
      assert.equal(M1.secret, m0.secret)
      local m = Maya:bulkCreate({ M2 })[1]
      assert.truthy(m.createdAt)
      assert.is_nil(m.created_at)
      assert.is_nil(m.secret_given)
      assert.is_nil(m:get("secret_given"))
      assert.is_nil(m:get("created_at"))
      assert.equal(M2.id, m.id)
      assert.equal(M2.name, m.name)
      assert.equal(M2.secret, m.secret)
    end)

    describe("handles auto increment values", function()
      it("should return auto increment primary key values", function()
        local Maya = db:define("Maya", {})
        Maya:sync({ force = true })
        local ms = Maya:bulkCreate({ {}, {} }, { returning = true })
        assert.equal(1, ms[1].id)
        assert.equal(2, ms[2].id)
      end)

      it("should return supplied values on primary keys", function()
        local U = db:define("user", {})
        U:sync({ force = true })
        local users = U:bulkCreate({ { id = 1 }, { id = 2 }, { id = 3 } }, { returning = true })
        local actualUsers = U:findAll{ order = { { "id", "ASC" } } }
        assert.equal(#actualUsers, #users)
        for i = 1, 3 do
          assert.equal(i, users[i]:get("id"))
          assert.equal(actualUsers[i]:get("id"), users[i]:get("id"))
        end
      end)

      it("should return supplied values on primary keys when some instances already exists", function()
        local U = db:define("user", {})
        U:sync({ force = true })
        U:bulkCreate({ { id = 1 }, { id = 3 } })
        local users = U:bulkCreate({ { id = 2 }, { id = 4 }, { id = 5 } }, { returning = true })
        assert.equal(3, #users)
        assert.equal(2, users[1]:get("id"))
        assert.equal(4, users[2]:get("id"))
        assert.equal(5, users[3]:get("id"))
      end)
    end)

    describe("virtual attribute", function()
      local U
      before_each(function()
        U = db:define("user", {
          password = {
            type = DataTypes.VIRTUAL,
            validate = { customValidator = function() error("always invalid") end },
          },
        })
      end)

      it("should validate", function()
        U:sync({ force = true })
        local err = catch(function() U:bulkCreate({ { password = "password" } }, { validate = true }) end)
        assert.equal(1, #err.errors)
        assert.matches("always invalid", tostring(err.errors[1].message))
        assert.equal(0, U:count())
      end)

      it("should not validate", function()
        U:sync({ force = true })
        assert.equal(1, #U:bulkCreate({ { password = "password" } }, { validate = false }))
        assert.equal(1, #U:bulkCreate({ { password = "password" } }))
      end)
    end)
  end)
end)
