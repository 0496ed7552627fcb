-- Saves whose only changes are VIRTUAL attributes, checked against Sequelize 6.37.8 + sqlite3
-- (the same models and calls in JavaScript, logQueryParameters on).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("a versioned model's save of VIRTUAL changes only", function()
  it("bumps the version: Sequelize's UPDATE `Bs` SET `version`=1 WHERE `id` = 1 AND `version` = 0", function()
    local db, log = support.open()
    local B = db:define("B", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL }, { timestamps = false, version = true })
    db:sync()
    local b = B:create{ n = 1 }
    b.v = "z"
    support.clear(log)
    b:save()
    assert.matches("UPDATE `Bs` SET `version`=%? WHERE `id` = %? AND `version` = %?;", log[#log])
    assert.equal(1, b.version)
    assert.same({ { id = 1, n = 1, version = 1 } }, B:findAll{ raw = true })
    b.v = "w" -- with fields naming it (Sequelize: the same UPDATE)
    b:save{ fields = { "v" } }
    assert.equal(2, b.version)
    assert.same({ { id = 1, n = 1, version = 2 } }, B:findAll{ raw = true })
  end)
end)
