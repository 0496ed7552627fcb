-- Static Model.update's validation without the instance built from the values (model.lua
-- light_valid): taken on a model with no setters, VIRTUAL attributes, defaultValue functions, Lua or model
-- validators and no hooks, for values build stores as they are. A value that fails goes the
-- long way, whose ValidationError carries the instance built (Sequelize's); values build
-- would change (a BOOLEAN's "true", a DATE's string or number, an integral float) and a given
-- updatedAt go the long way too. The answers here are those of the long way (checked
-- against the tree before light_valid).
local Sequelize = require("sequelua")
local D = Sequelize.DataTypes

local function setup()
  local db = Sequelize.new("sqlite::memory:")
  local U = db:define("U", {
    name = D.STRING, age = D.INTEGER, ok = D.BOOLEAN, at = D.DATE,
    nn = { type = D.STRING, allowNull = false, defaultValue = "x" }, e = D.ENUM("a", "b"),
    em = { type = D.STRING, validate = { isEmail = true } },
  })
  db:sync()
  U:create({ name = "a", age = 1 })
  return db, U
end

local function fails(f)
  local ok, e = pcall(f)
  assert.is_false(ok)
  assert.are.equal("SequelizeValidationError", e.name)
  return e
end

describe("static update: validation of the values given", function()
  it("what passes is written, the updatedAt stamp with it", function()
    local db, U = setup()
    local before = U:findByPk(1).updatedAt
    assert.are.equal(1, U:update({ age = 5, em = "a@b.org", e = "a" }, { where = { id = 1 } }))
    local r = U:findByPk(1)
    assert.are.equal(5, r.age)
    assert.are.equal("a@b.org", r.em)
    assert.is_true(r.updatedAt >= before)
    -- (values build sanitizes: the long way, the same answer)
    assert.are.equal(1, U:update({ ok = "true", at = 0, age = 7.0 }, { where = { id = 1 } }))
    r = U:findByPk(1)
    assert.are.equal(true, r.ok)
    assert.are.equal("1970-01-01T00:00:00.000Z", r.at)
    assert.are.equal(7, r.age)
    -- (updatedAt given: the update's stamp is what is validated and written, as Sequelize)
    assert.are.equal(1, U:update({ updatedAt = "2020-01-01" }, { where = { id = 1 } }))
    assert.are_not.equal("2020-01-01T00:00:00.000Z", U:findByPk(1).updatedAt)
    db:close()
  end)

  it("what fails raises the long way's error, its items holding the instance built", function()
    local db, U = setup()
    local e = fails(function() U:update({ em = "bad" }, { where = { id = 1 } }) end)
    assert.are.equal("Validation error: Validation isEmail on em failed", e.message)
    assert.are.equal("isEmail", e.errors[1].validatorKey)
    assert.is_true(e.errors[1].instance.isNewRecord)
    e = fails(function() U:update({ nn = Sequelize.null }, { where = { id = 1 } }) end)
    assert.are.equal("notNull Violation: U.nn cannot be null", e.message)
    assert.is_table(e.errors[1].instance)
    e = fails(function() U:update({ e = "c" }, { where = { id = 1 } }) end)
    assert.are.equal('"c" is not a valid choice in ["a","b"]', e.message)
    e = fails(function() U:update({ name = { 1, 2 } }, { where = { id = 1 }, fields = { "name" } }) end)
    assert.are.equal("string violation: name cannot be an array or an object", e.message)
    assert.is_table(e.errors[1].instance)
    e = fails(function() U:update({ ok = "yes" }, { where = { id = 1 } }) end)
    assert.are.equal("Invalid value for U.ok: expected a boolean, got string", e.message)
    -- (nothing was written)
    local r = U:findByPk(1)
    assert.are.equal("a", r.name)
    assert.is_nil(r.em)
    db:close()
  end)

  it("a hook or a validator added later runs", function()
    local db, U = setup()
    assert.are.equal(1, U:update({ age = 2 }, { where = { id = 1 } }))
    local seen = 0
    local function bv(inst) seen = seen + 1; inst.age = 40 end
    U:addHook("beforeValidate", bv)
    assert.are.equal(1, U:update({ age = 3 }, { where = { id = 1 } }))
    assert.are.equal(1, seen)
    assert.are.equal(40, U:findByPk(1).age) -- (what the validation hook changed is written)
    U:removeHook("beforeValidate", bv)
    assert.are.equal(1, U:update({ age = 4 }, { where = { id = 1 } }))
    assert.are.equal(1, seen)
    assert.are.equal(4, U:findByPk(1).age)
    db:close()
  end)

  it("values with a list part: one instance built, the number keys ignored, both ways (Sequelize)", function()
    -- (the long way built its instance with build(values), which takes a table holding [1] as
    -- bulkBuild's list and raised "U.bulkBuild: expected a list of tables 1..n" where the light
    -- way wrote the attributes and a failing value gave no ValidationError)
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { n = { type = D.INTEGER, validate = { max = 100 } }, s = D.STRING }, { timestamps = false })
    db:sync()
    U:create({ n = 1 })
    assert.are.equal(1, U:update({ [1] = "x", n = 5 }, { where = { id = 1 } }))
    assert.are.equal(5, U:findByPk(1).n)
    local e = fails(function() U:update({ [1] = { n = 1 }, n = 700 }, { where = { id = 1 } }) end)
    assert.are.equal("Validation error: Validation max on n failed", e.message)
    assert.are.equal(5, U:findByPk(1).n)
    assert.are.equal(1, U:update({ "a", "b", n = 6, s = "q" }, { where = { id = 1 } }))
    assert.are.same({ id = 1, n = 6, s = "q" }, U:findByPk(1, { raw = true }))
    -- (with a hook: the long way for any value)
    U:addHook("beforeBulkUpdate", function() end)
    assert.are.equal(1, U:update({ [1] = "x", n = 7 }, { where = { id = 1 } }))
    assert.are.equal(7, U:findByPk(1).n)
    assert.are.equal(1, U:update({ [1] = "x", n = 8 }, { where = { id = 1 }, individualHooks = true }))
    assert.are.equal(8, U:findByPk(1).n)
    e = fails(function() U:update({ [1] = "x", n = 800 }, { where = { id = 1 } }) end)
    assert.are.equal("Validation error: Validation max on n failed", e.message)
    db:close()
  end)

  it("a defaultValue function runs once per validated update, as Sequelize's build runs it", function()
    local db = Sequelize.new("sqlite::memory:")
    local calls = 0
    local U = db:define("U", { n = D.INTEGER, code = { type = D.STRING, defaultValue = function()
      calls = calls + 1
      return "c" .. calls
    end } }, { timestamps = false })
    db:sync()
    U:create({ n = 1 })
    assert.are.equal(1, calls)
    assert.are.equal(1, U:update({ n = 5 }, { where = { id = 1 } }))
    assert.are.equal(2, calls)
    assert.are.equal(1, U:update({ n = 6 }, { where = { id = 1 }, validate = false }))
    assert.are.equal(2, calls) -- (no instance built without validation)
    assert.are.same({ id = 1, n = 6, code = "c1" }, U:findByPk(1, { raw = true }))
    db:close()
  end)
end)
