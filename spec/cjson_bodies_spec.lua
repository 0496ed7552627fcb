-- Request bodies decoded by lua-cjson going straight into the ORM, and results going back out
-- through cjson.encode, as an OpenResty handler does (Sequelize: JSON.parse in, JSON.stringify
-- out). OpenResty's lua-cjson has cjson.empty_array (a light userdata written as []) and
-- cjson.empty_array_mt (a metatable marking a table as a JSON array); Debian's lua-cjson has
-- neither, so a child interpreter is given a stand-in cjson module carrying them.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local cjson = require("cjson")

local INTERP = jit and "luajit" or "lua5.4"

-- Runs `body` in a child interpreter whose `require "cjson"` is lua-cjson plus OpenResty's
-- empty_array / empty_array_mt / array_mt; returns its output lines.
local function with_openresty_cjson(body)
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write([[
local real = require("cjson")
local x
local function g() return x end
local fake = setmetatable({
  empty_array = debug.upvalueid(g, 1),             -- (a light userdata other than NULL)
  empty_array_mt = { __name = "cjson.empty_array_mt" },
  array_mt = { __name = "cjson.array_mt" },
}, { __index = real })
package.loaded.cjson = fake
local cjson = fake
assert(type(cjson.empty_array) == "userdata" and cjson.empty_array ~= cjson.null)
local Sequelize = require("sequelua")
assert(Sequelize.array_mt == cjson.array_mt)
local DataTypes = Sequelize.DataTypes
local db = Sequelize.new("sqlite::memory:")
local M = db:define("M", { meta = DataTypes.JSON, n = DataTypes.INTEGER }, { timestamps = false })
db:sync()
local function stored(id)
  return db:query("SELECT meta FROM Ms WHERE id = ?", { replacements = { id }, type = "SELECT" })[1].meta
end
local function out(...) io.write(table.concat({ ... }, "\t"), "\n") end
]] .. body)
  f:close()
  local p = assert(io.popen(INTERP .. " " .. script .. " 2>&1"))
  local text = p:read("*a")
  p:close()
  os.remove(script)
  local lines = {}
  for l in text:gmatch("[^\n]+") do lines[#lines + 1] = l end
  return lines, text
end

describe("cjson-decoded bodies (OpenResty's lua-cjson)", function()
  it("a dotted key into cjson.empty_array / a cjson.empty_array_mt table sets it as in Sequelize's JS array", function()
    -- (Sequelize 6.37.8: create({ meta: [], 'meta.0': 1 }) -> [1]; 'meta.k' on [] is left out: [])
    local lines, text = with_openresty_cjson([[
local function try(v) local ok, r = pcall(M.create, M, v); out(ok and stored(r.id) or tostring(r.message or r)) end
try({ meta = setmetatable({}, cjson.empty_array_mt), ["meta.0"] = 1 })
try({ meta = setmetatable({}, cjson.empty_array_mt), ["meta.k"] = 1 })
try({ meta = cjson.empty_array, ["meta.0"] = 1 })
try({ meta = cjson.empty_array, ["meta.k"] = 1 })
try({ meta = { a = cjson.empty_array }, ["meta.a.0"] = 1 })
out("done")
]])
    assert.are.same({ "[1]", "[]", "[1]", "[]", '{"a":[1]}', "done" }, lines, text)
  end)

  it("cjson.empty_array and tables with cjson.empty_array_mt are JSON [] in a JSON attribute and in stringify", function()
    local lines, text = with_openresty_cjson([[
local a = M:create({ meta = cjson.empty_array })
out("top", stored(a.id), Sequelize.stringify(a))
local b = M:create({ meta = setmetatable({}, cjson.empty_array_mt) })
out("mt", stored(b.id), Sequelize.stringify(b))
local c = M:create({ meta = { tags = cjson.empty_array, l = setmetatable({}, cjson.empty_array_mt), o = {} } })
out("nested", stored(c.id))
local d = M:create({ meta = { k = 1 } })
d:update({ meta = cjson.empty_array })
out("update", stored(d.id), tostring(getmetatable(M:findByPk(d.id).meta) == cjson.array_mt))
M:update({ meta = { x = setmetatable({}, cjson.empty_array_mt) } }, { where = { id = d.id } })
out("static", stored(d.id))
out("stringify", Sequelize.stringify({ a = cjson.empty_array, b = setmetatable({}, cjson.empty_array_mt) }))
local ok, e = pcall(M.create, M, { n = cjson.empty_array })
out("int", tostring(ok), e.name, tostring(#M:findAll() == 4))
out("done")
]])
    assert.are.same({
      'top\t[]\t{"id":1,"meta":[]}',
      'mt\t[]\t{"id":2,"meta":[]}',
      'nested\t{"l":[],"o":{},"tags":[]}',
      'update\t[]\ttrue',
      'static\t{"x":[]}',
      'stringify\t{"a":[],"b":[]}',
      'int\tfalse\tSequelizeValidationError\ttrue',
      'done',
    }, lines, text)
  end)
end)

-- A handler answering a failed write with cjson.encode(err.errors): the items' instance is
-- kept beside each item (it.instance reads it), so lua-cjson writes the items' own fields
-- instead of walking the instance's slots, or raising on what an instance read with include
-- holds ("Cannot serialise function"); Sequelize.stringify writes the instance, as
-- JSON.stringify writes it (its toJSON).
describe("error items encoded by lua-cjson", function()
  local db, U, P
  before_each(function()
    db = Sequelize.new("sqlite::memory:", { logging = false })
    U = db:define("U", { name = { type = DataTypes.STRING, allowNull = false, unique = true,
                                  validate = { len = { 2, 5 } } } })
    P = db:define("P", { t = DataTypes.STRING })
    U:hasMany(P)
    db:sync()
  end)
  after_each(function() db:close() end)

  local function encoded(err)
    local ok, s = pcall(cjson.encode, err.errors)
    assert.is_true(ok, tostring(s))
    return cjson.decode(s)
  end

  it("a validation failure of a row read with include", function()
    local u0 = U:create{ name = "abc" }
    P:create{ t = "p", UId = u0.id }
    local u = U:findOne{ include = P }
    u.name = "x"
    local ok, err = pcall(u.save, u)
    assert.is_false(ok)
    assert.equal(u, err.errors[1].instance)
    local items = encoded(err)
    assert.equal(1, #items)
    assert.equal("name", items[1].path)
    assert.equal("len", items[1].validatorKey)
    assert.is_nil(items[1].instance)
    local whole = cjson.decode(cjson.encode(err))
    assert.equal("SequelizeValidationError", whole.name)
    -- Sequelize.stringify: the instance as its toJSON
    local s = cjson.decode(Sequelize.stringify(err.errors))
    assert.same({ id = u.id, name = "x", createdAt = s[1].instance.createdAt, updatedAt = s[1].instance.updatedAt,
                  Ps = { { id = 1, t = "p", UId = u.id, createdAt = s[1].instance.Ps[1].createdAt,
                           updatedAt = s[1].instance.Ps[1].updatedAt } } }, s[1].instance)
    assert.equal("abc", U:findByPk(u.id).name) -- (nothing written)
  end)

  it("a new row's notNull failure and a unique violation", function()
    local ok, err = pcall(U.create, U, { name = Sequelize.null })
    assert.is_false(ok)
    local items = encoded(err)
    assert.equal("notNull Violation", items[1].type)
    assert.is_nil(items[1].instance)
    assert.equal("U", getmetatable(err.errors[1].instance).__name)
    U:create{ name = "abc" }
    local u = U:build{ name = "abc" }
    ok, err = pcall(u.save, u)
    assert.is_false(ok)
    assert.equal("SequelizeUniqueConstraintError", err.name)
    assert.equal(u, err.errors[1].instance)
    items = encoded(err)
    assert.equal("name", items[1].path)
    assert.is_nil(items[1].instance)
    assert.equal("abc", cjson.decode(Sequelize.stringify(err.errors))[1].instance.name)
    assert.equal(1, U:count())
  end)

  it("an item made by Sequelize.ValidationErrorItem, its instance set and cleared", function()
    local u = U:build{ name = "abc" }
    local it = Sequelize.ValidationErrorItem("bad", "Validation error", "name", "abc", u, "k", "fn", {})
    assert.equal(u, it.instance)
    assert.is_nil(rawget(it, "instance"))
    assert.is_nil(cjson.decode(cjson.encode(it)).instance)
    assert.equal("abc", cjson.decode(Sequelize.stringify(it)).instance.name)
    it.instance = nil
    assert.is_nil(it.instance)
    assert.is_nil(cjson.decode(Sequelize.stringify(it)).instance)
    it.instance = u
    assert.equal(u, it.instance)
    assert.equal("function.k", it:getValidatorKey())
  end)

  -- LuaJIT's weak tables are not ephemerons: an instance kept in a weak-keyed table's value
  -- keeps its key alive when the instance refers back to the item (it holds its error)
  it("an instance that holds its error is collected with it", function()
    local seen = setmetatable({}, { __mode = "k" })
    local function fail_and_keep()
      local u = U:build{ name = "toolongname" }
      local ok, err = pcall(u.save, u)
      assert.is_false(ok)
      assert.equal(u, err.errors[1].instance)
      u.lastError = err
      local it = Sequelize.ValidationErrorItem("m", "Validation error", "name", "x", u)
      u.item = it
      seen[u], seen[it] = true, true
    end
    fail_and_keep()
    collectgarbage(); collectgarbage()
    assert.is_nil(next(seen))
  end)

  it("an item's own raw instance key is written once", function()
    local u = U:build{ name = "abc" }
    local it = Sequelize.ValidationErrorItem("bad", "Validation error", "name", "abc", u)
    rawset(it, "instance", "raw")
    local s = Sequelize.stringify(it)
    local _, n = s:gsub('"instance"', "")
    assert.equal(1, n, s)
    assert.equal("raw", cjson.decode(s).instance)
  end)
end)

-- bulkCreate(..., { validate = true }) failing: an AggregateError of BulkRecordErrors, each
-- with the failing row as `record`. The record is kept beside the error (err.errors[i].record
-- reads it), so lua-cjson's encode of the whole error writes the errors' own fields instead
-- of the instance's slots; Sequelize.stringify writes it, as JSON.stringify does in Node
-- ("record": {"id": null, "name": "x"}).
describe("a bulkCreate AggregateError encoded by lua-cjson", function()
  local db, U
  before_each(function()
    db = Sequelize.new("sqlite::memory:", { logging = false })
    U = db:define("U", { name = { type = DataTypes.STRING, allowNull = false, validate = { len = { 2, 5 } } },
                         age = DataTypes.INTEGER })
    db:sync()
  end)
  after_each(function() db:close() end)

  local function failing()
    local ok, err = pcall(U.bulkCreate, U, { { name = "ok" }, { name = "x" }, { age = 3 } }, { validate = true })
    assert.is_false(ok)
    assert.equal("AggregateError", err.name)
    return err
  end

  it("writes the errors without their records' slots; record still reads and writes", function()
    local err = failing()
    local e1 = err.errors[1]
    assert.equal("SequelizeBulkRecordError", e1.name)
    assert.equal(Sequelize.errors.BulkRecordError, getmetatable(e1))
    assert.is_true(e1:is(Sequelize.errors.BulkRecordError))
    assert.is_true(e1:is(Sequelize.errors.BaseError))
    assert.equal("U", getmetatable(e1.record).__name)
    assert.equal("x", e1.record.name)
    assert.is_nil(rawget(e1, "record"))
    assert.equal("SequelizeBulkRecordError: Validation error: Validation len on name failed", tostring(e1))
    assert.equal("x: " .. tostring(e1), "x: " .. e1)
    assert.truthy(e1.stack:find("^SequelizeBulkRecordError"))
    local ok, s = pcall(cjson.encode, err)
    assert.is_true(ok, tostring(s))
    local whole = cjson.decode(s)
    assert.equal(2, #whole.errors)
    for _, x in ipairs(whole.errors) do
      assert.equal("SequelizeBulkRecordError", x.name)
      assert.is_nil(x.record)
      assert.equal("SequelizeValidationError", x.errors.name)
    end
    -- Sequelize.stringify: as Node's JSON.stringify(err)
    local js = cjson.decode(Sequelize.stringify(err))
    assert.same({ id = cjson.null, name = "x" }, js.errors[1].record)
    assert.same({ id = cjson.null, age = 3 }, js.errors[2].record)
    local _, n = Sequelize.stringify(err):gsub('"record"', "")
    assert.equal(2, n)
    -- set and cleared
    local other = U:build{ name = "zz" }
    e1.record = other
    assert.equal(other, e1.record)
    assert.equal("zz", cjson.decode(Sequelize.stringify(e1)).record.name)
    e1.record = nil
    assert.is_nil(e1.record)
    assert.is_nil(cjson.decode(Sequelize.stringify(e1)).record)
    e1.other = 1
    assert.equal(1, rawget(e1, "other"))
    assert.equal(0, U:count())
  end)

  it("made by the class: Sequelize.errors.BulkRecordError(err, record)", function()
    local u = U:build{ name = "abc" }
    local e = Sequelize.errors.BulkRecordError(Sequelize.errors.ValidationError("bad"), u)
    assert.equal(u, e.record)
    assert.is_nil(cjson.decode(cjson.encode(e)).record)
    assert.equal("abc", cjson.decode(Sequelize.stringify(e)).record.name)
    e = Sequelize.errors.BulkRecordError("text only", u)
    assert.equal("text only", e.message)
    assert.equal(u, e.record)
  end)

  -- (no weak table keyed by the error: LuaJIT's are no ephemerons, and a record that holds
  -- its error would keep both; memory stays flat over many failures)
  it("memory stays flat over 20,000 failures whose records hold their errors", function()
    local function round(n)
      for _ = 1, n do
        local ok, err = pcall(U.bulkCreate, U, { { name = "x" } }, { validate = true })
        assert.is_false(ok)
        local r = err.errors[1].record
        r.lastError = err
      end
    end
    round(2000)
    collectgarbage(); collectgarbage()
    local before = collectgarbage("count")
    round(20000)
    collectgarbage(); collectgarbage()
    local after = collectgarbage("count")
    assert.is_true(after - before < 512, ("grew %.0f KB"):format(after - before))
  end)
end)
