-- Port of Sequelize v6's test/unit/errors.test.js (branch v6), sqlite dialect.
-- Skipped: none. err.stack's first line is "Name: message" and the next one names the function
-- that raised (`    at throwError (file:line)`: Lua has no column). Without a message,
-- Sequelize 6.37.8 on Node gives the name alone ("SequelizeConnectionError", the test's
-- trailing ": " is an older V8's), and so does this port. AggregateError's nested errors are
-- Sequelize.Error (BaseError), whose name prints as "SequelizeBaseError" in place of "Error".
local Sequelize = require("sequelua")
local errors = Sequelize.errors

describe("errors (port of unit/errors.test.js)", function()
  local function stack_of(E, msg)
    local function throwError() error(E(msg)) end
    local ok, err = pcall(function() throwError() end)
    assert.is_false(ok)
    local parts = {}
    for l in err.stack:gmatch("[^\n]+") do parts[#parts + 1] = l end
    return parts
  end

  it("should maintain stack trace with message", function()
    for _, errorName in ipairs({ "BaseError", "ValidationError", "InstanceError", "EmptyResultError",
                                 "EagerLoadingError", "AssociationError", "QueryError" }) do
      local parts = stack_of(errors[errorName], "this is a message")
      assert.equal("Sequelize" .. errorName .. ": this is a message", parts[1])
      assert.matches("^    at throwError %(.*port_unit_errors_spec%.lua:%d+%)$", parts[2])
    end
  end)

  it("should maintain stack trace without message", function()
    for _, errorName in ipairs({ "ConnectionError", "ConnectionRefusedError", "ConnectionTimedOutError",
                                 "AccessDeniedError", "HostNotFoundError", "HostNotReachableError",
                                 "InvalidConnectionError" }) do
      local parts = stack_of(errors[errorName], Sequelize.null)
      assert.equal("Sequelize" .. errorName, parts[1])
      assert.matches("^    at throwError %(.*port_unit_errors_spec%.lua:%d+%)$", parts[2])
    end
  end)

  describe("AggregateError", function()
    it("get .message works", function()
      local AggregateError = errors.AggregateError
      assert.equal("AggregateError of:\n"
        .. "  SequelizeBaseError: foo\n"
        .. "  SequelizeBaseError: bar\n"
        .. "    baz\n"
        .. "  AggregateError of:\n"
        .. "    SequelizeBaseError: this\n"
        .. "      is\n"
        .. "      a\n"
        .. "      test\n"
        .. "    SequelizeBaseError: qux\n",
        tostring(AggregateError({
          Sequelize.Error("foo"),
          Sequelize.Error("bar\nbaz"),
          AggregateError({ Sequelize.Error("this\nis\na\ntest"), Sequelize.Error("qux") }),
        })))
    end)
  end)
end)
