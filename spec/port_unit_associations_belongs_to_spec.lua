-- Port of Sequelize v6's test/unit/associations/belongs-to.test.js (branch v6), sqlite dialect.
-- Skipped (already asserted by spec/association_define_spec.lua, "an association with something
-- that is not a model" and the unknown key's message):
--   "throws when invalid model is passed", "warn on invalid options".
-- The association hooks' spies are Lua functions keeping their arguments (spec/port_unit_assoc_hooks.lua).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("BelongsTo (port of unit/associations/belongs-to.test.js)", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  it("should not override custom methods with association mixin", function()
    local methods = { getTask = "get", setTask = "set", createTask = "create" }
    local User = db:define("User")
    local Task = db:define("Task")
    for method, alias in pairs(methods) do
      User.prototype[method] = function(self)
        local realMethod = User.associations.task[alias]
        assert.is_function(realMethod)
        return realMethod
      end
    end
    User:belongsTo(Task, { as = "task" })
    local user = User:build()
    for method in pairs(methods) do assert.is_function(user[method](user)) end
  end)

  require("spec.port_unit_assoc_hooks")("belongsTo", "BelongsTo",
    { describe = describe, it = it, before_each = before_each, after_each = after_each, assert = assert })
end)
