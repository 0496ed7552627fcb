-- Port of Sequelize v6's test/unit/instance-validator.test.js (branch v6), sqlite dialect.
-- InstanceValidator (internal) is what instance:validate(options) runs: `new
-- InstanceValidator(instance, opts).validate()` is ported as instance:validate(opts); its
-- _validate stubbed to succeed or fail is an instance whose attribute validator passes
-- (fails = false) or raises (fails = true); spies are functions counting their calls.
-- "configures itself to run hooks by default": as instance:validate() runs the hooks.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("InstanceValidator (port of unit/instance-validator.test.js)", function()
  local db, User, calls
  local function spy(name, fn) return function(...) calls[name] = (calls[name] or 0) + 1; if fn then return fn(...) end end end
  before_each(function()
    calls = {}
    db = Sequelize.new("sqlite::memory:")
    User = db:define("user", {
      fails = { type = DataTypes.BOOLEAN, validate = {
        isNotTrue = function(value) if value then error("Manual model validation failure") end end,
      } },
    })
  end)
  after_each(function() db:close() end)

  it("configures itself to run hooks by default", function()
    User:beforeValidate(spy("before"))
    User:build():validate()
    assert.equal(1, calls.before)
  end)

  describe("validate", function()
    it("runs the validation sequence and hooks when the hooks option is true", function()
      User:beforeValidate(spy("before")); User:afterValidate(spy("after"))
      User:build():validate({ hooks = true })
      assert.equal(1, calls.before); assert.equal(1, calls.after)
    end)

    it("runs the validation sequence but skips hooks if the hooks option is false", function()
      User:beforeValidate(spy("before")); User:afterValidate(spy("after"))
      assert.has_no.errors(function() User:build():validate({ hooks = false }) end)
      local ok, err = pcall(function() User:build({ fails = true }):validate({ hooks = false }) end)
      assert.is_false(ok); assert.equal("SequelizeValidationError", err.name)
      assert.is_nil(calls.before); assert.is_nil(calls.after)
    end)

    it("fulfills when validation is successful", function()
      assert.has_no.errors(function() User:build():validate() end)
    end)

    it("rejects with a validation error when validation fails", function()
      local ok, err = pcall(function() User:build({ fails = true }):validate() end)
      assert.is_false(ok)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
    end)

    it("has a useful default error message for not null validation failures", function()
      local U = db:define("user", { name = { type = DataTypes.STRING, allowNull = false } })
      local ok, err = pcall(function() U:build():validate() end)
      assert.is_false(ok)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
      assert.matches("user%.name cannot be null", err.message)
    end)
  end)

  describe("_validateAndRunHooks", function()
    it("should run beforeValidate and afterValidate hooks when _validate is successful", function()
      User:beforeValidate(spy("before")); User:afterValidate(spy("after"))
      User:build():validate()
      assert.equal(1, calls.before); assert.equal(1, calls.after)
    end)

    it("should run beforeValidate hook but not afterValidate hook when _validate is unsuccessful", function()
      User:beforeValidate(spy("before")); User:afterValidate(spy("after"))
      assert.has_error(function() User:build({ fails = true }):validate() end)
      assert.equal(1, calls.before); assert.is_nil(calls.after)
    end)

    it("should emit an error from after hook when afterValidate fails", function()
      User:afterValidate(function() error("after validation error", 0) end)
      local ok, err = pcall(function() User:build():validate() end)
      assert.is_false(ok)
      assert.matches("after validation error", tostring(err))
    end)

    describe("validatedFailed hook", function()
      it("should call validationFailed hook when validation fails", function()
        User:validationFailed(spy("failed"))
        assert.has_error(function() User:build({ fails = true }):validate() end)
        assert.equal(1, calls.failed)
      end)

      it("should not replace the validation error in validationFailed hook by default", function()
        User:validationFailed(spy("failed", function() end))
        local ok, err = pcall(function() User:build({ fails = true }):validate() end)
        assert.is_false(ok)
        assert.equal("SequelizeValidationError", err.name)
      end)

      it("should replace the validation error if validationFailed hook creates a new error", function()
        User:validationFailed(function() error(Sequelize.errors.BaseError("validation failed hook error")) end)
        local ok, err = pcall(function() User:build({ fails = true }):validate() end)
        assert.is_false(ok)
        assert.equal("validation failed hook error", err.message)
      end)
    end)
  end)
end)
