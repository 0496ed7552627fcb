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

-- A new row's save whose fields name VIRTUAL attributes only (or none), on a model without
-- time stamps: Sequelize's realFields is empty, so its save returns after beforeCreate /
-- beforeSave: no INSERT, no after hooks, the instance still new with its changes.
describe("a new row's save whose fields name no column", function()
  local function model(hooked)
    local db, log = support.open()
    local seen = {}
    local function hk(n)
      return function(_, o) seen[#seen + 1] = n .. " " .. table.concat(o.fields or {}, ",") end
    end
    local M = db:define("M", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL }, { timestamps = false, hooks = hooked and {
      beforeValidate = hk("beforeValidate"), afterValidate = hk("afterValidate"), beforeCreate = hk("beforeCreate"),
      beforeSave = hk("beforeSave"), afterCreate = hk("afterCreate"), afterSave = hk("afterSave") } or nil })
    db:sync()
    support.clear(log)
    return M, log, seen
  end

  for _, hooked in ipairs({ true, false }) do
    local tag = hooked and " (hooks)" or " (no hooks)"
    it("save{ fields = { 'v' } } and { fields = {} } write nothing" .. tag, function()
      for _, fields in ipairs({ { "v" }, {} }) do
        local M, log, seen = model(hooked)
        local m = M:build{ n = 1, v = "x" }
        assert.equal(m, m:save{ fields = fields })
        assert.same({}, log)
        assert.is_true(m.isNewRecord)
        assert.is_nil(m.id)
        assert.same({ "n", "v" }, m:changed())
        assert.same({}, M:findAll{ raw = true })
        if hooked then
          local f = table.concat(fields, ",")
          assert.same({ "beforeValidate " .. f, "afterValidate " .. f, "beforeCreate " .. f, "beforeSave " .. f }, seen)
        end
        -- a save after it, with a column, writes the row
        m:save()
        assert.is_false(m.isNewRecord)
        assert.same({ { id = 1, n = 1 } }, M:findAll{ raw = true })
      end
    end)

    it("create(values, { fields = { 'v' } }) returns a new instance, nothing written" .. tag, function()
      local M, log, seen = model(hooked)
      local m = M:create({ n = 1, v = "x" }, { fields = { "v" } })
      assert.same({}, log)
      assert.is_true(m.isNewRecord)
      assert.same({ "v" }, m:changed())
      assert.same({}, M:findAll{ raw = true })
      if hooked then assert.same("beforeSave v", seen[#seen]) end
    end)
  end

  it("with time stamps the INSERT writes them (Sequelize: INSERT INTO `Ms` (`updatedAt`,`createdAt`))", function()
    local db, log = support.open()
    local M = db:define("M", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL })
    db:sync()
    support.clear(log)
    local m = M:build{ n = 1, v = "x" }:save{ fields = { "v" } }
    assert.is_false(m.isNewRecord)
    assert.equal(1, #log)
    assert.matches("INSERT INTO `Ms` %(`createdAt`,`updatedAt`%)", log[1])
    local rows = M:findAll{ raw = true }
    assert.equal(1, #rows)
    assert.equal(Sequelize.null, rows[1].n)
  end)

  it("an include's rows are not written either, and the row keeps its include", function()
    local db, log = support.open()
    local P = db:define("P", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL }, { timestamps = false })
    local C = db:define("C", { s = DataTypes.STRING }, { timestamps = false })
    P:hasMany(C)
    db:sync()
    support.clear(log)
    local p = P:build({ n = 1, v = "x", Cs = { { s = "a" } } }, { include = { C } })
    p:save{ fields = { "v" } }
    for _, l in ipairs(log) do assert.not_matches("INSERT", l) end -- (the transaction a nested create opens)
    assert.is_true(p.isNewRecord)
    p:save()
    assert.same({ { id = 1, n = 1 } }, P:findAll{ raw = true })
    assert.same({ { id = 1, s = "a", PId = 1 } }, C:findAll{ raw = true })
  end)

  it("findOrCreate raises UniqueConstraintError (Sequelize: the created row's key null)", function()
    -- Sequelize: A.findOrCreate({ where: { name: 'zz' }, defaults: { v: 1 }, fields: ['v'] })
    -- -> SequelizeUniqueConstraintError "Validation Error" (the row looked for again, not found)
    local db = support.open()
    local A = db:define("A", { name = DataTypes.STRING, v = DataTypes.VIRTUAL }, { timestamps = false })
    db:sync()
    local ok, err = pcall(A.findOrCreate, A, { where = { name = "zz" }, defaults = { v = 1 }, fields = { "v" } })
    assert.is_false(ok)
    assert.equal("SequelizeUniqueConstraintError", err.name)
    assert.equal("Validation Error", err.message)
    assert.equal(0, A:count())
    -- a row found: that one, not created
    A:create{ name = "zz" }
    local a, created = A:findOrCreate{ where = { name = "zz" }, defaults = { v = 1 }, fields = { "v" } }
    assert.equal(1, a.id)
    assert.is_false(created)
  end)

  it("create{ fields = {} } with a belongsTo include writes neither row (Sequelize: options.fields.length 0)", function()
    local db = support.open()
    local P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    local A = db:define("A", { n = DataTypes.INTEGER }, { timestamps = false })
    A:belongsTo(P)
    db:sync()
    local a = A:create({ n = 1, P = { t = "t" } }, { fields = {}, include = { P } })
    assert.is_true(a.isNewRecord)
    assert.is_true(a.P.isNewRecord)
    assert.equal(0, P:count())
    assert.equal(0, A:count())
    -- fields naming a VIRTUAL only: the belongsTo row is written (Sequelize), this one not
    local B = db:define("B", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL }, { timestamps = false })
    B:belongsTo(P)
    db:sync()
    local b = B:create({ n = 1, v = 1, P = { t = "t" } }, { fields = { "v" }, include = { P } })
    assert.is_true(b.isNewRecord)
    assert.is_false(b.P.isNewRecord)
    assert.equal(1, P:count())
    assert.equal(0, B:count())
  end)
end)

-- A saved row's save{ fields = { "v" } }: the hooks see the caller's list, the VIRTUAL name in
-- it (and updatedAt Sequelize adds), not the columns alone.
describe("a saved row's save with VIRTUAL fields", function()
  for _, ts in ipairs({ false, true }) do
    it("shows the hooks options.fields as given (timestamps " .. tostring(ts) .. ")", function()
      local db = support.open()
      local seen = {}
      local function hk(n) return function(_, o) seen[#seen + 1] = n .. " " .. table.concat(o.fields, ",") end end
      local M = db:define("M", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL }, { timestamps = ts, hooks = {
        beforeSave = hk("beforeSave"), beforeUpdate = hk("beforeUpdate"), afterUpdate = hk("afterUpdate") } })
      db:sync()
      local m = M:create{ n = 1 }
      seen = {}
      m.n, m.v = 2, "y"
      m:save{ fields = { "v" } }
      local f = ts and "v,updatedAt" or "v"
      local want = { "beforeSave " .. f, "beforeUpdate " .. f }
      if ts then want[3] = "afterUpdate " .. f end
      assert.same(want, seen)
      assert.equal(1, M:findAll{ raw = true }[1].n)
    end)
  end
end)
