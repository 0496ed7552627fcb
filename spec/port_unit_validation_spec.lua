-- Port of Sequelize v6's test/unit/model/validation.test.js (branch v6), sqlite dialect.
-- Sequelize stubs sequelize.query; here the models write to a real :memory: database.
-- Notes: `is` / `not` / `regex` / `notRegex` take Lua patterns here (README), so `['[a-z]', 'i']`
-- is the pattern `[a-z]` with the flag "i"; a callback validator `customFn(val, next)` calling
-- `next('msg')` is a Lua validator raising 'msg'; sinon's fake is a counting function.
-- The `len$`, `max$` and `min$` checks run the `len`, `max` and `min` specs again (Sequelize's
-- loop strips the `$` before it reads `checks[validator]`), so they do here.
-- Skipped:
-- - "should allow $in" (datatype validations / findAll): `Op.any` is PostgreSQL-only; reading
--   it from Op raises (README, "Decisions that differ").
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

local function js(v)
  if type(v) == "table" then return "[" .. table.concat(v, ",") .. "]" end
  if v == Sequelize.null then return "null" end
  return tostring(v)
end

local function copy(t)
  if type(t) ~= "table" then return t end
  local n = {}
  for k, v in pairs(t) do n[k] = copy(v) end
  return n
end

describe("InstanceValidator (port of unit/model/validation.test.js)", function()
  local db
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("validations", function()
    local checks = {
      { "is", spec = { args = { "[a-z]", "i" } }, fail = "0", pass = "a" },
      { "not", spec = { args = { "[a-z]", "i" } }, fail = "a", pass = "0" },
      { "isEmail", fail = "a", pass = "abc@abc.com" },
      { "isUrl", fail = "abc", pass = "http://abc.com" },
      { "isIP", fail = "abc", pass = "129.89.23.1" },
      { "isIPv4", fail = "abc", pass = "129.89.23.1" },
      { "isIPv6", fail = "1111:2222:3333::5555:", pass = "fe80:0000:0000:0000:0204:61ff:fe9d:f156" },
      { "isAlpha", stringOrBoolean = true, spec = { args = "en-GB" }, fail = "012", pass = "abc" },
      { "isAlphanumeric", stringOrBoolean = true, spec = { args = "en-GB" }, fail = "_abc019", pass = "abc019" },
      { "isNumeric", fail = "abc", pass = "019" },
      { "isInt", fail = "9.2", pass = "-9" },
      { "isLowercase", fail = "AB", pass = "ab" },
      { "isUppercase", fail = "ab", pass = "AB" },
      { "isDecimal", fail = "a", pass = "0.2" },
      { "isFloat", fail = "a", pass = "9.2" },
      { "isNull", fail = 0, pass = Sequelize.null },
      { "notEmpty", fail = "       ", pass = "a" },
      { "equals", spec = { args = "bla bla bla" }, fail = "bla", pass = "bla bla bla" },
      { "contains", spec = { args = "bla" }, fail = "la", pass = "0bla23" },
      { "notContains", spec = { args = "bla" }, fail = "0bla23", pass = "la" },
      { "regex", spec = { args = { "[a-z]", "i" } }, fail = "0", pass = "a" },
      { "notRegex", spec = { args = { "[a-z]", "i" } }, fail = "a", pass = "0" },
      { "len", spec = { args = { 2, 4 } }, fail = { "1", "12345" }, pass = { "12", "123", "1234" }, raw = true },
      { "len$" },
      { "isUUID", spec = { args = 4 }, fail = "f47ac10b-58cc-3372-a567-0e02b2c3d479", pass = "f47ac10b-58cc-4372-a567-0e02b2c3d479" },
      { "isDate", fail = "not a date", pass = "2011-02-04" },
      { "isAfter", spec = { args = "2011-11-05" }, fail = "2011-11-04", pass = "2011-11-06" },
      { "isBefore", spec = { args = "2011-11-05" }, fail = "2011-11-06", pass = "2011-11-04" },
      { "isIn", spec = { args = "abcdefghijk" }, fail = "ghik", pass = "ghij" },
      { "notIn", spec = { args = "abcdefghijk" }, fail = "ghij", pass = "ghik" },
      { "max", spec = { args = 23 }, fail = "24", pass = "23" },
      { "max$" },
      { "min", spec = { args = 23 }, fail = "22", pass = "23" },
      { "min$" },
      { "isCreditCard", fail = "401288888888188f", pass = "4012888888881881" },
    }
    local n = 0
    local function define(validations)
      n = n + 1
      return db:define("User" .. n, { name = { type = DataTypes.STRING, validate = validations } })
    end


    local function fail_test(d, value)
      local validator = d[1]
      it(('correctly specifies an instance as invalid using a value of "%s" for the validation "%s"'):format(js(value), validator), function()
        local message = ("%s(%s)"):format(validator, js(value))
        local spec = copy(d.spec) or {}
        spec.msg = message
        local UserFail = define({ [validator] = spec })
        local failingUser = UserFail:build({ name = value })
        local ok, err = pcall(failingUser.validate, failingUser)
        assert.is_false(ok)
        local item = err:get("name")[1]
        assert.equal(message, item.message)
        assert.equal(value, item.value)
      end)
    end

    local function pass_test(d, value, kind)
      local validator = d[1]
      it(('correctly specifies an instance as valid using a value of "%s" for the validation "%s"'):format(js(value), validator), function()
        local message = ("%s(%s)"):format(validator, js(value))
        local v = copy(d.spec) or {}
        if kind == "msg" then
          v.msg = message
        elseif kind == "args" then
          if v.args == nil then v.args = true end
          v.msg = message
        elseif kind == "true" then
          v = true
        end
        local UserSuccess = define({ [validator] = v })
        local successfulUser = UserSuccess:build({ name = value })
        assert.has_no.errors(function() successfulUser:validate() end)
      end)
    end

    local by_name = {}
    for _, d in ipairs(checks) do by_name[d[1]] = d end
    for _, d in ipairs(checks) do
      d = by_name[d[1]:gsub("%$$", "")]
      local fails = type(d.fail) == "table" and d.fail or { d.fail }
      local passes = type(d.pass) == "table" and d.pass or { d.pass }
      for _, v in ipairs(fails) do fail_test(d, v) end
      for _, v in ipairs(passes) do
        pass_test(d, v)
        pass_test(d, v, "msg")
        pass_test(d, v, "args")
        if d.stringOrBoolean or d.spec == nil then pass_test(d, v, "true") end
      end
    end
  end)

  describe("datatype validations", function()
    local tdb, User
    setup(function()
      tdb = Sequelize.new({ dialect = "sqlite", storage = ":memory:", typeValidation = true })
      User = tdb:define("user", {
        age = DataTypes.INTEGER, name = DataTypes.STRING, awesome = DataTypes.BOOLEAN,
        number = DataTypes.DECIMAL, uid = DataTypes.UUID, date = DataTypes.DATE,
      })
      tdb:sync()
    end)
    teardown(function() tdb:close() end)

    describe("should not throw", function()
      describe("create", function()
        it("should allow number as a string", function()
          assert.has_no.errors(function() User:create({ age = "12" }) end)
        end)
        it("should allow decimal as a string", function()
          assert.has_no.errors(function() User:create({ number = "12.6" }) end)
        end)
        it("should allow dates as a string", function()
          assert.has_no.errors(function() User:findOne({ where = { date = "2000-12-16" } }) end)
        end)
        it("should allow decimal big numbers as a string", function()
          assert.has_no.errors(function() User:create({ number = "2321312301230128391820831289123012" }) end)
        end)
        it("should allow decimal as scientific notation", function()
          assert.has_no.errors(function() User:create({ number = "2321312301230128391820e219" }) end)
          assert.has_no.errors(function() User:create({ number = "2321312301230128391820e+219" }) end)
          local before = User:count()
          local ok, err = pcall(User.create, User, { number = "2321312301230128391820f219" })
          assert.is_false(ok)
          assert.equal("SequelizeValidationError", err.name)
          assert.equal(before, User:count())
        end)
        it("should allow string as a number", function()
          assert.has_no.errors(function() User:create({ name = 12 }) end)
        end)
        it("should allow 0/1 as a boolean", function()
          assert.has_no.errors(function() User:create({ awesome = 1 }) end)
        end)
        it("should allow 0/1 string as a boolean", function()
          assert.has_no.errors(function() User:create({ awesome = "1" }) end)
        end)
        it("should allow true/false string as a boolean", function()
          assert.has_no.errors(function() User:create({ awesome = "true" }) end)
        end)
      end)

      describe("findAll", function()
        it("should allow $like for uuid", function()
          assert.has_no.errors(function() User:findAll({ where = { uid = { [Op.like] = "12345678%" } } }) end)
        end)
      end)
    end)

    describe("should throw validationerror", function()
      local function check_item(err, value)
        assert.is_true(err:is(Sequelize.errors.ValidationError))
        assert.equal(1, #err.errors)
        local item = err.errors[1]
        assert.is_true(getmetatable(item) == getmetatable(Sequelize.ValidationErrorItem("m", "Validation error", "p", 1)))
        assert.equal("Validation error", item.type)
        assert.equal("age", item.path)
        assert.equal(value, item.value)
        assert.is_nil(item.instance)
        assert.equal("INTEGER validator", item.validatorKey)
      end
      describe("create", function()
        it("should throw when passing string", function()
          local ok, err = pcall(User.create, User, { age = "jan" })
          assert.is_false(ok)
          check_item(err, "jan")
        end)
        it("should throw when passing decimal", function()
          local ok, err = pcall(User.create, User, { age = 4.5 })
          assert.is_false(ok)
          check_item(err, 4.5)
        end)
      end)
      describe("update", function()
        it("should throw when passing string", function()
          local ok, err = pcall(User.update, User, { age = "jan" }, { where = {} })
          assert.is_false(ok)
          check_item(err, "jan")
        end)
        it("should throw when passing decimal", function()
          local ok, err = pcall(User.update, User, { age = 4.5 }, { where = {} })
          assert.is_false(ok)
          check_item(err, 4.5)
        end)
      end)
    end)
  end)

  describe("custom validation functions", function()
    local User
    setup(function()
      User = db:define("user", {
        age = { type = DataTypes.INTEGER, validate = {
          customFn = function(val) if val < 0 then error("age must be greater or equal zero") end end,
        } },
        name = DataTypes.STRING,
      }, { validate = {
        customFn = function(self) if self:get("name") == "error" then error("Error from model validation promise") end end,
      } })
      User:sync({ force = true })
    end)

    describe("should not throw", function()
      describe("create", function()
        it("custom validation functions are successful", function()
          assert.has_no.errors(function() User:create({ age = 1, name = "noerror" }) end)
        end)
      end)
      describe("update", function()
        it("custom validation functions are successful", function()
          assert.has_no.errors(function() User:update({ age = 1, name = "noerror" }, { where = {} }) end)
        end)
      end)
    end)

    describe("should throw validationerror", function()
      local function rejects(fn, ...)
        local ok, err = pcall(fn, ...)
        assert.is_false(ok)
        assert.is_true(err:is(Sequelize.errors.ValidationError))
      end
      describe("create", function()
        it("custom attribute validation function fails", function() rejects(User.create, User, { age = -1 }) end)
        it("custom model validation function fails", function() rejects(User.create, User, { name = "error" }) end)
      end)
      describe("update", function()
        it("custom attribute validation function fails", function()
          rejects(User.update, User, { age = -1 }, { where = {} })
          assert.equal(0, User:count({ where = { age = -1 } }))
        end)
        it("when custom model validation function fails", function()
          rejects(User.update, User, { name = "error" }, { where = {} })
          assert.equal(0, User:count({ where = { name = "error" } }))
        end)
      end)
    end)
  end)

  describe("custom validation functions returning promises", function()
    local User
    setup(function()
      User = db:define("user", { name = DataTypes.STRING }, { validate = {
        customFn = function(self) if self:get("name") == "error" then error("Error from model validation promise") end end,
      } })
      User:sync({ force = true })
    end)
    local function rejects(fn, ...)
      local ok, err = pcall(fn, ...)
      assert.is_false(ok)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
    end

    describe("should not throw", function()
      describe("create", function()
        it("custom model validation functions are successful", function()
          assert.has_no.errors(function() User:create({ name = "noerror" }) end)
        end)
      end)
      describe("update", function()
        it("custom model validation functions are successful", function()
          assert.has_no.errors(function() User:update({ name = "noerror" }, { where = {} }) end)
        end)
      end)
    end)
    describe("should throw validationerror", function()
      describe("create", function()
        it("custom model validation function fails", function() rejects(User.create, User, { name = "error" }) end)
      end)
      describe("update", function()
        it("when custom model validation function fails", function()
          rejects(User.update, User, { name = "error" }, { where = {} })
        end)
      end)
    end)
  end)

  describe("custom validation functions and null values", function()
    local calls = 0
    local function customValidator(value, inst)
      calls = calls + 1
      if value == nil and inst.age ~= 10 then error("name can't be null unless age is 10") end
    end
    local function rejects(fn, ...)
      local ok, err = pcall(fn, ...)
      assert.is_false(ok)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
    end

    describe("with allowNull set to true", function()
      local User
      setup(function()
        User = db:define("user", { age = DataTypes.INTEGER,
          name = { type = DataTypes.STRING, allowNull = true, validate = { customValidator = customValidator } } })
        User:sync({ force = true })
      end)
      describe("should call validator and not throw", function()
        before_each(function() calls = 0 end)
        it("on create", function()
          assert.has_no.errors(function() User:create({ age = 10, name = Sequelize.null }) end)
          assert.equal(1, calls)
        end)
        it("on update", function()
          assert.has_no.errors(function() User:update({ age = 10, name = Sequelize.null }, { where = {} }) end)
          assert.equal(1, calls)
        end)
      end)
      describe("should call validator and throw ValidationError", function()
        before_each(function() calls = 0 end)
        it("on create", function()
          rejects(User.create, User, { age = 11, name = Sequelize.null })
          assert.equal(1, calls)
        end)
        it("on update", function()
          rejects(User.update, User, { age = 11, name = Sequelize.null }, { where = {} })
          assert.equal(1, calls)
        end)
      end)
    end)

    describe("with allowNull set to false", function()
      local User
      setup(function()
        User = db:define("user", { age = DataTypes.INTEGER,
          name = { type = DataTypes.STRING, allowNull = false, validate = { customValidator = customValidator } } })
        User:sync({ force = true })
      end)
      describe("should not call validator and throw ValidationError", function()
        before_each(function() calls = 0 end)
        it("on create", function()
          rejects(User.create, User, { age = 99, name = Sequelize.null })
          assert.equal(0, calls)
        end)
        it("on update", function()
          rejects(User.update, User, { age = 99, name = Sequelize.null }, { where = {} })
          assert.equal(0, calls)
        end)
      end)
      describe("should call validator and not throw", function()
        before_each(function() calls = 0 end)
        it("on create", function()
          assert.has_no.errors(function() User:create({ age = 99, name = "foo" }) end)
          assert.equal(1, calls)
        end)
        it("on update", function()
          assert.has_no.errors(function() User:update({ age = 99, name = "foo" }, { where = {} }) end)
          assert.equal(1, calls)
        end)
      end)
    end)
  end)
end)
