-- Port of Sequelize v6's test/unit/associations/dont-modify-options.test.js (branch v6), sqlite
-- dialect. Skipped: none. `type` deep-equal is the type's SQL text; the options table given
-- twice is checked unchanged too.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("associations (port of unit/associations/dont-modify-options.test.js)", function()
  describe("Test options.foreignKey", function()
    local db, A, B, C
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      A = db:define("A", { id = { type = DataTypes.CHAR(20), primaryKey = true } })
      B = db:define("B", { id = { type = DataTypes.CHAR(20), primaryKey = true } })
      C = db:define("C", {})
    end)
    after_each(function() db:close() end)

    local function check(req)
      A:belongsTo(C, req)
      assert.equal(tostring(C.rawAttributes.id.type), tostring(A.rawAttributes.CId.type))
      assert.equal("INTEGER", tostring(A.rawAttributes.CId.type))
      assert.same({ allowNull = false }, req.foreignKey)
    end

    it("should not be overwritten for belongsTo", function()
      local req = { foreignKey = { allowNull = false } }
      A:belongsTo(B, req)
      check(req)
    end)
    it("should not be overwritten for belongsToMany", function()
      local req = { foreignKey = { allowNull = false }, through = "ABBridge" }
      B:belongsToMany(A, req)
      check(req)
    end)
    it("should not be overwritten for hasOne", function()
      local req = { foreignKey = { allowNull = false } }
      B:hasOne(A, req)
      check(req)
    end)
    it("should not be overwritten for hasMany", function()
      local req = { foreignKey = { allowNull = false } }
      B:hasMany(A, req)
      check(req)
    end)
  end)
end)
