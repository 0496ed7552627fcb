-- port_include_paranoid_spec: a port of Sequelize's test/integration/include/paranoid.test.js
-- (branch v6), test by test, titles kept; promise fan-outs (Promise.all) are plain calls in order.
-- Skipped:
--   (none; the file's fake timers (sinon.useFakeTimers, clock.tick) are left out: the
--   destroyed row is told apart by deletedAt IS NULL, not by the time)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Paranoid", function()
  local db, A, B, C, D

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    A = db:define("A", { name = DataTypes.STRING }, { paranoid = true })
    B = db:define("B", { name = DataTypes.STRING }, { paranoid = true })
    C = db:define("C", { name = DataTypes.STRING }, { paranoid = true })
    D = db:define("D", { name = DataTypes.STRING }, { paranoid = true })
    A:belongsTo(B)
    A:belongsToMany(D, { through = "a_d" })
    A:hasMany(C)
    B:hasMany(A)
    B:hasMany(C)
    C:belongsTo(A)
    C:belongsTo(B)
    D:belongsToMany(A, { through = "a_d" })
    db:sync{ force = true }
  end)

  after_each(function()
    db:close()
  end)

  it("paranoid with timestamps: false should be ignored / not crash", function()
    local Test = db:define("Test", { name = DataTypes.STRING }, { timestamps = false, paranoid = true })
    db:sync{ force = true }
    Test:findByPk(1)
  end)

  it("test if non required is marked as false", function()
    local options = { include = { { model = B, required = false } } }
    A:findOne(options)
    assert.are.equal(false, options.include[1].required)
  end)

  it("test if required is marked as true", function()
    local options = { include = { { model = B, required = true } } }
    A:findOne(options)
    assert.are.equal(true, options.include[1].required)
  end)

  it("should not load paranoid, destroyed instances, with a non-paranoid parent", function()
    local X = db:define("x", { name = DataTypes.STRING }, { paranoid = false })
    local Y = db:define("y", { name = DataTypes.STRING }, { timestamps = true, paranoid = true })
    X:hasMany(Y)
    db:sync{ force = true }
    local x0 = X:create()
    local y = Y:create()
    x0:addY(y)
    y:destroy()
    local obj = X:findAll{ include = { Y } }
    local x = obj[1]
    assert.are.equal(0, #x.ys)
  end)
end)
