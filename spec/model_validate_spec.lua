-- Model-level validators (the `validate` model option): functions of the instance, run after
-- the attribute validators on create and save; an error fails the save and nothing is written.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("model-level validate", function()
  local db, Place

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Place = db:define("Place", { lat = DataTypes.FLOAT, lng = DataTypes.FLOAT }, {
      validate = {
        bothCoordsOrNone = function(p)
          if (p.lat == nil) ~= (p.lng == nil) then error("Either both latitude and longitude, or neither!", 0) end
        end,
      },
    })
    db:sync()
  end)

  after_each(function() db:close() end)

  it("passes valid instances and fails others with Sequelize's item shape", function()
    Place:create({ lat = 1, lng = 2 })
    Place:create({})
    local ok, err = pcall(Place.create, Place, { lat = 1 })
    assert.is_false(ok)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal("Validation error: Either both latitude and longitude, or neither!", err.message)
    assert.are.equal("bothCoordsOrNone", err.errors[1].path)
    assert.are.equal(2, Place:count())
  end)

  it("runs on save of a persisted instance", function()
    local p = Place:create({ lat = 1, lng = 2 })
    p.lng = nil
    local ok, err = pcall(p.save, p)
    assert.is_false(ok)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal(2, Place:findByPk(p.id).lng)
  end)

  it("a static update's instance holds updatedAt: its validators see it, unless silent (Sequelize)", function()
    -- Sequelize 6.37.8: Model.update({ name: 'b' }, { where }) -> the model validator's
    -- this.updatedAt is a Date (set raw on the instance it builds); with silent: true, undefined
    local seen = {}
    local M = db:define("Stamped", { name = DataTypes.STRING }, {
      validate = { see = function(r) seen[#seen + 1] = r.updatedAt or "none" end },
    })
    M:sync()
    M:create({ name = "a" })
    seen = {}
    M:update({ name = "b" }, { where = { id = 1 } })
    assert.truthy(tostring(seen[1]):match("^%d%d%d%d%-%d%d%-%d%dT"), tostring(seen[1]))
    M:update({ name = "c" }, { where = { id = 1 }, silent = true })
    assert.are.equal("none", seen[2])
  end)

  it("a static update's validators see the updatedAt its hooks see and it writes, over one given", function()
    -- Sequelize 6.37.8: update({ name: 'b' }) with a slow beforeValidate hook -> the validator's
    -- this.updatedAt, beforeBulkUpdate's options.attributes.updatedAt and the row's are one
    -- time; update({ name: 'd', updatedAt: '2020-01-01T00:00:00.000Z' }) -> all three now
    local seen = {}
    local M = db:define("Stamped2", { name = DataTypes.STRING }, {
      validate = { see = function(r) seen.validator = r.updatedAt end },
    })
    M:sync()
    M:create({ name = "a" })
    M:addHook("beforeValidate", function()
      local t0 = os.clock()
      while os.clock() - t0 < 0.005 do end -- (the stamp is taken once: not before and after this)
    end)
    M:addHook("beforeBulkUpdate", function(o) seen.hook = o.attributes.updatedAt end)
    for _, values in ipairs({ { name = "b" }, { name = "d", updatedAt = "2020-01-01T00:00:00.000Z" } }) do
      seen = {}
      M:update(values, { where = { id = 1 } })
      assert.are_not.equal("2020-01-01T00:00:00.000Z", seen.validator)
      assert.are.same({ validator = seen.hook, hook = M:findByPk(1).updatedAt }, seen)
    end
  end)

  it("refuses options it does not implement", function()
    -- (version is implemented now: spec/instance_expr_spec.lua)
    local ok, err = pcall(db.define, db, "Versioned", { a = DataTypes.STRING }, { noSuchOption = true })
    assert.is_false(ok)
    assert.truthy(err.message:find("noSuchOption", 1, true))
  end)
end)

describe("a model validator named as an attribute", function()
  it("is refused at define with Sequelize's message", function()
    local db = Sequelize.new("sqlite::memory:")
    local ok, err = pcall(db.define, db, "User", { name = DataTypes.STRING }, { validate = { name = function() end } })
    assert.is_false(ok)
    assert.equal("A model validator function must not have the same name as a field. Model: User, field/validation name: name",
      err.message)
    assert.is_nil(db.models.User)
    db:close()
  end)

  it("may share the name of an attribute define adds (id, time stamps); a non-function is refused with Sequelize's message", function()
    -- Sequelize 6.37.8: define('M', { a: STRING }, { validate: { id() { if (this.a === 'x') throw new Error('no x') } } })
    -- -> defined; create({ a: 'x' }) -> 'Validation error: no x', path 'id', validatorKey 'id';
    -- create({ a: 'x' }, { skip: ['id'] }) -> id 1; validate: { a: 5 } -> the name message first;
    -- validate: { b: 5 } -> 'Members of the validate option must be functions. Model: N2, error with validate member b'
    local db = Sequelize.new("sqlite::memory:")
    local M = db:define("M", { a = DataTypes.STRING }, { validate = {
      id = function(self) if self.a == "x" then error("no x", 0) end end,
      createdAt = function() end,
    } })
    db:sync()
    local ok, err = pcall(M.create, M, { a = "x" })
    assert.is_false(ok)
    assert.same({ "Validation error: no x", "id", "id" }, { err.message, err.errors[1].path, err.errors[1].validatorKey })
    assert.equal(1, M:create({ a = "x" }, { skip = { "id" } }).id)
    ok, err = pcall(db.define, db, "N", { a = DataTypes.STRING }, { validate = { a = 5 } })
    assert.equal("A model validator function must not have the same name as a field. Model: N, field/validation name: a", err.message)
    ok, err = pcall(db.define, db, "N2", { a = DataTypes.STRING }, { validate = { b = 5 } })
    assert.is_false(ok)
    assert.equal("Members of the validate option must be functions. Model: N2, error with validate member b", err.message)
    db:close()
  end)
end)
