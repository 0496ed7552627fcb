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

describe("a versioned model's save with nothing but the version to write", function()
  it("writes the version alone (omitNull's NULLs left out; updatedAt marked, silent)", function()
    -- Sequelize (omitNull): b.n = null; b.save() -> UPDATE `Bs` SET `version`=1 WHERE `id` = 1 AND `version` = 0
    local db = Sequelize.new("sqlite::memory:", { logging = false, omitNull = true })
    local B = db:define("B", { n = DataTypes.STRING }, { timestamps = false, version = true })
    db:sync()
    local b = B:create{ n = "x" }
    b.n = Sequelize.null
    b:save()
    assert.equal(1, b.version)
    assert.same({ { id = 1, n = "x", version = 1 } }, B:findAll{ raw = true })
    -- Sequelize: b.changed('updatedAt', true); b.save({ silent: true }) -> UPDATE `Cs` SET `version`=1 ...
    local C = db:define("C", { n = DataTypes.STRING }, { version = true })
    db:sync()
    local c = C:create{ n = "x" }
    local at = C:findAll{ raw = true }[1].updatedAt
    c:changed("updatedAt", true)
    c:save{ silent = true }
    assert.equal(1, c.version)
    local row = C:findAll{ raw = true }[1]
    assert.equal(1, row.version)
    assert.equal(at, row.updatedAt)
  end)
end)
