-- Port of Sequelize v6's test/unit/instance/save.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon's stub of sequelize.query is a real :memory: table.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of unit/instance/save.test.js)", function()
  local db
  setup(function() db = Sequelize.new("sqlite::memory:") end)
  teardown(function() db:close() end)

  describe("save", function()
    it("should disallow saves if no primary key values is present", function()
      local Model = db:define("User", {})
      Model:sync({ force = true })
      local instance = Model:build({}, { isNewRecord = false })
      assert.has_error(function() instance:save() end)
      assert.equal(0, Model:count())
    end)

    describe("options tests", function()
      it("should allow saves even if options are not given", function()
        local Model = db:define("User", { id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true } })
        Model:sync({ force = true })
        local instance = Model:build({})
        assert.has_no.errors(function() instance:save() end)
        assert.equal(1, instance.id)
      end)
    end)
  end)
end)
