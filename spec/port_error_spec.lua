-- Port of Sequelize v6's test/integration/error.test.js (branch v6), sqlite dialect.
-- Skipped: none. `new Sequelize.X(...)` is `Sequelize.X(...)`; `instanceof` is `err:is(cls)`, and
-- "an instance of Error" is being a BaseError (API.md). A JavaScript Error given as a parent is a
-- table with its message (and sql / parameters); JavaScript's falsy 0 as getValidatorKey's first
-- argument is Lua's false.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

describe("Sequelize Errors (port of error.test.js)", function()
  describe("API Surface", function()
    it("Should have the Error constructors exposed", function()
      assert.truthy(Sequelize.Error)
      assert.truthy(Sequelize.ValidationError)
      assert.truthy(Sequelize.OptimisticLockError)
    end)

    it("Sequelize Errors instances should be instances of Error", function()
      local err = Sequelize.Error()
      local errorMessage = "error message"
      local validationError = Sequelize.ValidationError(errorMessage, {
        Sequelize.ValidationErrorItem("<field name> cannot be null", "notNull Violation", "<field name>", NULL),
        Sequelize.ValidationErrorItem("<field name> cannot be an array or an object", "string violation", "<field name>", NULL),
      })
      local optimisticLockError = Sequelize.OptimisticLockError()
      assert.is_true(err:is(Sequelize.Error))
      assert.is_true(err:is(Sequelize.errors.BaseError))
      assert.equal("SequelizeBaseError", err.name)
      assert.is_true(validationError:is(Sequelize.ValidationError))
      assert.is_true(validationError:is(Sequelize.errors.BaseError))
      assert.equal("SequelizeValidationError", validationError.name)
      assert.equal(errorMessage, validationError.message)
      assert.is_true(optimisticLockError:is(Sequelize.OptimisticLockError))
      assert.is_true(optimisticLockError:is(Sequelize.errors.BaseError))
      assert.equal("SequelizeOptimisticLockError", optimisticLockError.name)
    end)

    it("SequelizeValidationError should find errors by path", function()
      local errorItems = {
        Sequelize.ValidationErrorItem("invalid", "type", "first_name", NULL),
        Sequelize.ValidationErrorItem("invalid", "type", "last_name", NULL),
      }
      local validationError = Sequelize.ValidationError("Validation error", errorItems)
      assert.equal("function", type(validationError.get))
      local matches = validationError:get("first_name")
      assert.equal("table", type(matches))
      assert.equal(1, #matches)
      assert.equal("invalid", matches[1].message)
    end)

    it("SequelizeValidationError should override message property when message parameter is specified", function()
      local errorItems = {
        Sequelize.ValidationErrorItem("invalid", "type", "first_name", NULL),
        Sequelize.ValidationErrorItem("invalid", "type", "last_name", NULL),
      }
      local customErrorMessage = "Custom validation error message"
      local validationError = Sequelize.ValidationError(customErrorMessage, errorItems)
      assert.equal("SequelizeValidationError", validationError.name)
      assert.equal(customErrorMessage, validationError.message)
    end)

    it("SequelizeValidationError should concatenate an error messages from given errors if no explicit message is defined", function()
      local errorItems = {
        Sequelize.ValidationErrorItem("<field name> cannot be null", "notNull Violation", "<field name>", NULL),
        Sequelize.ValidationErrorItem("<field name> cannot be an array or an object", "string violation", "<field name>", NULL),
      }
      local validationError = Sequelize.ValidationError(NULL, errorItems)
      assert.equal("SequelizeValidationError", validationError.name)
      assert.truthy(validationError.message:find(
        "notNull Violation: <field name> cannot be null,\nstring violation: <field name> cannot be an array or an object",
        1, true))
    end)

    it("SequelizeValidationErrorItem does not require instance & validator constructor parameters", function()
      local err = Sequelize.ValidationErrorItem("error!", NULL, "myfield")
      assert.equal(Sequelize.ValidationErrorItem, getmetatable(err))
    end)

    it("SequelizeValidationErrorItem should have instance, key & validator properties when given to constructor", function()
      local inst = { foo = "bar" }
      local vargs = { 4 }
      local err = Sequelize.ValidationErrorItem("error!", "FUNCTION", "foo", "bar", inst, "klen", "len", vargs)
      assert.equal(inst, err.instance)
      assert.equal("klen", err.validatorKey)
      assert.equal("len", err.validatorName)
      assert.equal(vargs, err.validatorArgs)
    end)

    it("SequelizeValidationErrorItem.getValidatorKey() should return a string", function()
      local err = Sequelize.ValidationErrorItem("error!", "FUNCTION", "foo", "bar", NULL, "klen", "len", { 4 })
      assert.equal("function", type(err.getValidatorKey))
      assert.equal("function.klen", err:getValidatorKey())
      assert.equal("klen", err:getValidatorKey(false))
      assert.equal("klen", err:getValidatorKey(false))
      assert.equal("function:klen", err:getValidatorKey(1, ":"))
      assert.equal("function-:-klen", err:getValidatorKey(true, "-:-"))
      local empty = Sequelize.ValidationErrorItem("error!", "FUNCTION", "foo", "bar")
      assert.equal("", empty:getValidatorKey())
      assert.equal("", empty:getValidatorKey(false))
      assert.equal("", empty:getValidatorKey(1, ":"))
      assert.equal("", empty:getValidatorKey(true, "-:-"))
    end)

    it("SequelizeValidationErrorItem.getValidatorKey() should throw if namespace separator is invalid (only if NS is used & available)", function()
      local err = Sequelize.ValidationErrorItem("error!", "FUNCTION", "foo", "bar", NULL, "klen", "len", { 4 })
      for _, sep in ipairs({ {}, NULL, "", false, true }) do
        assert.has_no.errors(function() err:getValidatorKey(false, sep) end)
      end
      assert.has_no.errors(function() err:getValidatorKey(false, nil) end)
      assert.has_no.errors(function() err:getValidatorKey(true, nil) end)
      for _, sep in ipairs({ {}, NULL, "", false, true }) do
        support.catch_error(function() err:getValidatorKey(true, sep) end)
      end
    end)

    it('SequelizeValidationErrorItem should map deprecated "type" values to new "origin" values', function()
      local data = {
        ["notNull Violation"] = "CORE", ["string violation"] = "CORE",
        ["unique violation"] = "DB", ["Validation error"] = "FUNCTION",
      }
      for k, origin in pairs(data) do
        local err = Sequelize.ValidationErrorItem("error!", k, "foo", NULL)
        assert.equal(origin, err.origin)
        assert.equal(k, err.type)
      end
    end)

    it("SequelizeValidationErrorItemOrigin is valid", function()
      local ORIGINS = Sequelize.ValidationErrorItemOrigin
      assert.equal("CORE", ORIGINS.CORE)
      assert.equal("DB", ORIGINS.DB)
      assert.equal("FUNCTION", ORIGINS.FUNCTION)
    end)

    it("SequelizeValidationErrorItem.Origins is valid", function()
      local ORIGINS = Sequelize.ValidationErrorItem.Origins
      assert.equal("CORE", ORIGINS.CORE)
      assert.equal("DB", ORIGINS.DB)
      assert.equal("FUNCTION", ORIGINS.FUNCTION)
    end)

    it("SequelizeDatabaseError should keep original message", function()
      local orig = { message = "original database error message" }
      local databaseError = Sequelize.DatabaseError(orig)
      assert.equal(orig, databaseError.parent)
      assert.equal(orig, databaseError.original)
      assert.equal("SequelizeDatabaseError", databaseError.name)
      assert.equal("original database error message", databaseError.message)
    end)

    it("SequelizeDatabaseError should keep the original sql and the parameters", function()
      local orig = { message = "", sql = "SELECT * FROM table WHERE id = $1", parameters = { "1" } }
      local databaseError = Sequelize.DatabaseError(orig)
      assert.equal(orig.sql, databaseError.sql)
      assert.equal(orig.parameters, databaseError.parameters)
    end)

    for _, c in ipairs({
      { "ConnectionError should keep original message", "ConnectionError" },
      { "ConnectionRefusedError should keep original message", "ConnectionRefusedError" },
      { "AccessDeniedError should keep original message", "AccessDeniedError" },
      { "HostNotFoundError should keep original message", "HostNotFoundError" },
      { "HostNotReachableError should keep original message", "HostNotReachableError" },
      { "InvalidConnectionError should keep original message", "InvalidConnectionError" },
      { "ConnectionTimedOutError should keep original message", "ConnectionTimedOutError" },
    }) do
      it(c[1], function()
        local orig = { message = "original connection error message" }
        local connectionError = Sequelize[c[2]](orig)
        assert.equal(orig, connectionError.parent)
        assert.equal(orig, connectionError.original)
        assert.equal("Sequelize" .. c[2], connectionError.name)
        assert.equal("original connection error message", connectionError.message)
      end)
    end
  end)

  describe("with a database", function()
    local db
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    describe("OptimisticLockError", function()
      it("got correct error type and message", function()
        local Account = db:define("Account", { number = { type = DataTypes.INTEGER } }, { version = true })
        Account:sync({ force = true })
        local accountA = Account:create{ number = 1 }
        local accountB = Account:findByPk(accountA.id)
        accountA.number = accountA.number + 1
        accountA:save()
        accountB.number = accountB.number + 1
        local err = support.catch_error(function() accountB:save() end)
        assert.is_true(err:is(Sequelize.OptimisticLockError))
        assert.truthy(err.message:find("Attempting to update a stale model instance: Account", 1, true))
        assert.equal(2, Account:findByPk(accountA.id).number)
      end)
    end)

    describe("ConstraintError", function()
      for _, constraintTest in ipairs({
        { type = "UniqueConstraintError", exception = Sequelize.UniqueConstraintError },
        { type = "ValidationError", exception = Sequelize.ValidationError },
      }) do
        it(("Can be intercepted as %s using .catch"):format(constraintTest.type), function()
          local User = db:define("user", {
            first_name = { type = DataTypes.STRING, unique = "unique_name" },
            last_name = { type = DataTypes.STRING, unique = "unique_name" },
          })
          local record = { first_name = "jan", last_name = "meier" }
          db:sync({ force = true })
          User:create(record)
          local calls = 0
          local ok, err = pcall(User.create, User, record)
          assert.is_false(ok)
          if not err:is(constraintTest.exception) then error(err) end
          calls = calls + 1
          assert.equal(1, calls)
          assert.equal(1, User:count())
        end)
      end

      it("Supports newlines in keys", function()
        local User = db:define("user", { name = { type = DataTypes.STRING, unique = "unique \n unique" } })
        db:sync({ force = true })
        User:create{ name = "jan" }
        local err = support.catch_error(function() User:create{ name = "jan" } end)
        assert.is_true(err:is(Sequelize.UniqueConstraintError))
      end)

      it("Works when unique keys are not defined in sequelize", function()
        db:define("user", { name = { type = DataTypes.STRING, unique = "unique \n unique" } }, { timestamps = false })
        db:sync({ force = true })
        local User = db:define("user", { name = DataTypes.STRING }, { timestamps = false })
        User:create{ name = "jan" }
        local err = support.catch_error(function() User:create{ name = "jan" } end)
        assert.is_true(err:is(Sequelize.UniqueConstraintError))
        err = support.catch_error(function() db:query("INSERT INTO users (name) VALUES ('jan')") end)
        assert.is_true(err:is(Sequelize.UniqueConstraintError))
      end)

      it("adds parent and sql properties", function()
        local User = db:define("user", { name = { type = DataTypes.STRING, unique = "unique" } }, { timestamps = false })
        db:sync({ force = true })
        User:create{ name = "jan" }
        local error0 = support.catch_error(function() User:create{ name = "jan" } end)
        assert.is_true(error0:is(Sequelize.UniqueConstraintError))
        assert.truthy(error0.parent)
        assert.truthy(error0.original)
        assert.truthy(error0.sql)
        User:create{ id = 2, name = "jon" }
        local err = support.catch_error(function() User:create{ id = 2, name = "jon" } end)
        assert.is_true(err:is(Sequelize.UniqueConstraintError))
        assert.truthy(err.parent)
        assert.truthy(err.original)
        assert.truthy(err.sql)
      end)
    end)
  end)
end)
