-- Port of Sequelize v6's test/unit/model/find-create-find.test.js (branch v6), sqlite dialect.
-- Sequelize stubs findOne and create; here they run on a real table, the calls counted through
-- hooks (beforeFind, beforeCreate), and the failed create is made to fail for real: a
-- UniqueConstraintError by a row another writer inserted after the first find (a beforeCreate
-- hook inserting it), an EmptyResultError raised by a beforeCreate hook.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/find-create-find.test.js)", function()
  describe("findCreateFind", function()
    local db, Model, finds, creates, onCreate
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      Model = db:define("Model", { prop = { type = DataTypes.STRING, unique = true } })
      db:sync()
      Model:beforeFind(function(o) finds[#finds + 1] = o.where end)
      Model:beforeCreate(function(inst, o)
        creates[#creates + 1] = inst.prop
        if onCreate then onCreate(inst, o) end
      end)
    end)
    teardown(function() db:close() end)
    before_each(function() finds, creates, onCreate = {}, {}, nil end)

    it("should return the result of the first find call if not empty", function()
      local existing = Model:create({ prop = "p1" })
      finds, creates = {}, {}
      local where = { prop = "p1" }
      local result, created = Model:findCreateFind({ where = where })
      assert.equal(existing.id, result.id)
      assert.is_false(created)
      assert.equal(1, #finds)
      assert.equal("p1", finds[1].prop)
      assert.equal(0, #creates)
    end)

    it("should create if first find call is empty", function()
      local result, created = Model:findCreateFind({ where = { prop = "p2" } })
      assert.is_true(created)
      assert.equal("p2", result.prop)
      assert.same({ "p2" }, creates) -- created with the where's values
      assert.equal(1, Model:count({ where = { prop = "p2" } }))
    end)

    local cases = {
      { "EmptyResultError", function() error(Sequelize.errors.EmptyResultError("none")) end, "p3" },
      { "UniqueConstraintError", function(inst) db:query("INSERT INTO Models (prop, createdAt, updatedAt) VALUES (?, '2020-01-01', '2020-01-01')",
        { replacements = { inst.prop } }) end, "p4" },
    }
    for _, c in ipairs(cases) do
      it("should do a second find if create failed due to an error of type " .. c[1], function()
        local prop = c[3]
        if c[1] == "EmptyResultError" then Model:create({ prop = prop }, { hooks = false }) end
        onCreate = c[2]
        -- (EmptyResultError: the row is there all along, the first find is made to miss it)
        local first = true
        local where = { prop = prop }
        local result, created
        if c[1] == "EmptyResultError" then
          Model:beforeFind("miss", function(o) if first then first = false; o.where = { prop = "none" } end end)
          result, created = Model:findCreateFind({ where = where })
          Model:removeHook("beforeFind", "miss")
        else
          result, created = Model:findCreateFind({ where = where })
        end
        assert.is_false(created)
        assert.equal(prop, result.prop)
        assert.equal(2, #finds)
        assert.equal(prop, finds[2].prop)
        assert.equal(1, Model:count({ where = { prop = prop } }))
      end)
    end
  end)
end)
