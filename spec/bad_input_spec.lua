-- Bad input: every public function called with wrong Lua types, nil, unknown names, huge
-- (100k-element) and deeply nested (10k levels) tables, cyclic tables, NaN and infinities and
-- invalid UTF-8. Each call raises an error object (a table with name and message, the message
-- naming what is wrong), writes nothing (the table is byte-for-byte unchanged) and leaves the
-- process alive. Inputs that could crash a C parser (deep or cyclic where trees, nested
-- expressions) run in a child process, so that a crash is one failed test, not the end of the run.
-- Where Sequelize accepts something (unknown keys in create/update values and options are
-- ignored; JSON.stringify(NaN) is "null"), the spec follows Sequelize.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

local BAD_UTF8 = { "\255\254", "abc\192\175", "\237\160\128", "\244\144\128\128", "caf\195" }

local cyc = {}
cyc.self = cyc
local cyclist = {}
cyclist[1] = cyclist

local function deep_list(n)
  local root = {}
  local c = root
  for _ = 1, n do c[1] = {}; c = c[1] end
  return root
end

local function deep_map(n)
  local root = {}
  local c = root
  for _ = 1, n do c.x = {}; c = c.x end
  return root
end

-- 100k elements; the few checks that make SQLite do work per element use fewer under
-- AddressSanitizer (the Makefile sets SEQUELUA_ASAN), to keep this file under 3 s there
local ASAN = (os.getenv("SEQUELUA_ASAN") or "") ~= ""
local BIG = ASAN and 20000 or 100000
local huge = {}
for i = 1, 100000 do huge[i] = i end
local big = {}
for i = 1, BIG do big[i] = i end
local hugek = {}
for i = 1, 100000 do hugek["k" .. i] = i end

-- An error object whose message names one of `words` (plain, case-insensitive). A failure is
-- reported at the caller's line.
local function refused(words, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error, got a result: " .. tostring(err), 2) end
  if type(err) ~= "table" then error("error should be an error object, got: " .. tostring(err), 2) end
  if type(err.name) ~= "string" or type(err.message) ~= "string" then
    error("error object without a name or a message", 2)
  end
  if tostring(err) ~= err.name .. ": " .. err.message then error("tostring(err) is not name: message", 2) end
  if type(words) == "string" then words = { words } end
  local msg = err.message:lower()
  local found = #words == 0
  for _, w in ipairs(words) do
    if msg:find(w:lower(), 1, true) then found = true end
  end
  if not found then
    error("message should name " .. table.concat(words, " or ") .. ": " .. err.message:sub(1, 200), 2)
  end
  return err
end

-- Either it works, or it raises an error object; never a bare Lua error string.
local function works_or_refused(fn, ...)
  local ok, res = pcall(fn, ...)
  if not ok and (type(res) ~= "table" or type(res.name) ~= "string" or type(res.message) ~= "string") then
    error("error should be an error object, got: " .. tostring(res), 2)
  end
  return ok, res
end

-- Run code in a child process (same interpreter, same environment); returns output, exit code.
local function run_child(code, args)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(code)
  f:close()
  local interp = jit and "luajit" or "lua5.4"
  local p = io.popen(interp .. " " .. path .. " " .. (args or "") .. " 2>&1; echo \"EXIT:$?\"")
  local out = p:read("*a")
  p:close()
  os.remove(path)
  return out, tonumber(out:match("EXIT:(%d+)%s*$"))
end

describe("bad input", function()
  local db, Users, keep

  -- every row, every column, as text: the proof that nothing was written
  local function snapshot()
    local rows = db:query("SELECT * FROM Users ORDER BY id", { logging = false })
    local out = {}
    for _, r in ipairs(rows) do
      local keys = {}
      for k in pairs(r) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. ("%q"):format(tostring(r[k])) end
      out[#out + 1] = "\n"
    end
    return table.concat(out, ",")
  end

  local before
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Users = db:define("Users", {
      name  = DataTypes.STRING,
      n     = DataTypes.INTEGER,
      f     = DataTypes.FLOAT,
      j     = DataTypes.JSON,
      d     = DataTypes.DATE,
      data  = DataTypes.BLOB,
    })
    db:sync()
    keep = Users:create({ name = "keep", n = 1, f = 1.5, j = { a = 1 } })
    before = snapshot()
  end)

  after_each(function()
    assert.are.equal(before, snapshot(), "the table changed")
    -- the connection is still usable and not stuck inside a transaction
    db:transaction(function(t) assert.are.equal(1, Users:count({ transaction = t })) end)
    db:close()
  end)

  describe("Sequelize.new", function()
    it("refuses a missing or wrongly typed first argument", function()
      for _, v in ipairs({ 42, true, print, coroutine.create(print), io.stdout, Sequelize.null }) do
        refused({ "connection", "options", "url", "dialect" }, Sequelize.new, v)
      end
      refused({ "connection", "options", "url", "dialect" }, Sequelize.new, nil)
      refused({ "connection string", "url" }, Sequelize.new, "not a url")
      refused({ "dialect", "postgres" }, Sequelize.new, "postgres://localhost/x")
    end)

    it("refuses wrongly typed options", function()
      for _, v in ipairs({ 42, true, print, "x" }) do
        refused("options", Sequelize.new, "sqlite::memory:", v)
      end
      refused("storage", Sequelize.new, { dialect = "sqlite", storage = 42 })
      refused("storage", Sequelize.new, { dialect = "sqlite", storage = cyc })
      refused("logging", Sequelize.new, { dialect = "sqlite", logging = 42 })
      refused("dialect", Sequelize.new, { dialect = 42 })
      refused("dialect", Sequelize.new, { dialect = "oracle" })
      refused("dialect", Sequelize.new, cyc)
    end)

    it("a path that cannot be opened is a ConnectionError", function()
      -- (a missing directory is made, as Sequelize makes it: a path under a file cannot be)
      local e = refused({ "open", "database" }, Sequelize.new, "sqlite:/dev/null/x/y.db")
      assert.are.equal("SequelizeConnectionError", e.name)
    end)
  end)

  describe("define and sync", function()
    it("refuses bad model names", function()
      for _, v in ipairs({ 42, true, print, "", cyc }) do
        refused("name", db.define, db, v, { a = DataTypes.STRING })
      end
      refused("name", db.define, db, nil, { a = DataTypes.STRING })
    end)

    it("refuses bad attribute tables, types and options, naming the model and attribute", function()
      refused("attributes", db.define, db, "Z", 42)
      refused("attribute", db.define, db, "Z", { DataTypes.STRING })
      refused({ "Z.a", "type" }, db.define, db, "Z", { a = 42 })
      refused({ "Z.a", "type" }, db.define, db, "Z", { a = "STRING" })
      refused({ "Z.a", "type" }, db.define, db, "Z", { a = { type = "STRING" } })
      refused({ "Z.a", "type" }, db.define, db, "Z", { a = { type = print } })
      refused("bogus", db.define, db, "Z", { a = { type = DataTypes.STRING, bogus = 1 } })
      refused("self", db.define, db, "Z", { a = cyc })
      refused("Z.a", db.define, db, "Z", { a = deep_list(10000) })
      refused({ "validat", "self" }, db.define, db, "Z", { a = { type = DataTypes.STRING, validate = cyc } })
      refused("options", db.define, db, "Z", { a = DataTypes.STRING }, 42)
      refused("bogus", db.define, db, "Z", { a = DataTypes.STRING }, { bogus = true })
      refused("tableName", db.define, db, "Z", { a = DataTypes.STRING }, { tableName = 42 })
      refused({ "Z.a", "defaultValue" }, db.define, db, "Z", { a = { type = DataTypes.FLOAT, defaultValue = 0 / 0 } })
      refused({ "Z.a", "defaultValue" }, db.define, db, "Z", { a = { type = DataTypes.INTEGER, defaultValue = math.huge } })
      refused({ "Z.a", "defaultValue" }, db.define, db, "Z", { a = { type = DataTypes.FLOAT, defaultValue = -math.huge } })
      refused("field", db.define, db, "Z", { a = { type = DataTypes.STRING, field = 42 } })
      refused("Z.a", db.define, db, "Z", { a = { type = DataTypes.STRING, references = 42 } })
      refused("Z.a", db.define, db, "Z", { a = { type = DataTypes.STRING, onDelete = "DROP TABLE" } })
      assert.is_nil(db.models.Z, "a refused define registered its model")
    end)

    it("refuses invalid UTF-8 in model, attribute, table and column names", function()
      for _, s in ipairs(BAD_UTF8) do
        refused({ "utf-8", "utf8" }, db.define, db, s, { a = DataTypes.STRING })
        refused({ "utf-8", "utf8" }, db.define, db, "Z", { [s] = DataTypes.STRING })
        refused({ "utf-8", "utf8" }, db.define, db, "Z", { a = DataTypes.STRING }, { tableName = s })
        refused({ "utf-8", "utf8" }, db.define, db, "Z", { a = { type = DataTypes.STRING, field = s } })
      end
      assert.are.equal(2, #db:query("SELECT name FROM sqlite_master WHERE type = 'table'"))  -- Users, sqlite_sequence
    end)

    it("too many columns is an error object and creates no table", function()
      local attrs = {}
      for i = 1, 3000 do attrs["a" .. i] = DataTypes.STRING end
      local ok, M = works_or_refused(db.define, db, "Wide", attrs)
      if ok then refused({ "column", "Wide" }, M.sync, M) end
      assert.are.equal(0, #db:query("SELECT name FROM sqlite_master WHERE name = 'Wides'"))
    end)

    it("sync refuses options that are not a table", function()
      refused("options", db.sync, db, 42)
      refused("options", db.sync, db, "force")
      refused("options", Users.sync, Users, 42)
    end)
  end)

  describe("create, build and bulkCreate", function()
    it("refuse values that are not a table", function()
      for _, v in ipairs({ 42, "x", true, print, io.stdout }) do
        refused({ "values", "table" }, Users.build, Users, v)
        refused({ "values", "table" }, Users.create, Users, v)
      end
      refused("options", Users.create, Users, { name = "a" }, 42)
      refused("fields", Users.create, Users, { name = "a" }, { fields = 42 })
    end)

    it("refuse attribute values of the wrong Lua type, naming the attribute", function()
      for _, v in ipairs({ print, coroutine.create(print), io.stdout }) do
        refused("name", Users.create, Users, { name = v })
        refused("n", Users.create, Users, { n = v })
        refused("f", Users.create, Users, { f = v })
        refused("j", Users.create, Users, { j = v })
        refused("data", Users.create, Users, { data = v })
      end
      -- Sequelize: string violation: name cannot be an array or an object
      refused("name", Users.create, Users, { name = { 1, 2 } })
      refused("name", Users.create, Users, { name = cyc })
      refused("name", Users.create, Users, { name = huge })
      refused("n", Users.create, Users, { n = {} })
    end)

    it("refuse NaN and infinities for numeric attributes", function()
      for _, v in ipairs({ 0 / 0, math.huge, -math.huge }) do
        refused("n", Users.create, Users, { n = v })
        refused("f", Users.create, Users, { f = v })
        refused("n", Users.create, Users, { name = "x", n = v })
      end
    end)

    it("refuse invalid UTF-8 in string values, naming the attribute", function()
      for _, s in ipairs(BAD_UTF8) do
        refused({ "name", "utf" }, Users.create, Users, { name = s })
      end
      -- a BLOB takes any bytes: the control case
      local u = Users:create({ data = BAD_UTF8[1] })
      assert.are.equal(BAD_UTF8[1], Users:findByPk(u.id).data)
      u:destroy()
    end)

    it("refuse JSON values that cannot be encoded (cyclic, 10k deep, functions)", function()
      refused({ "j", "cyclic", "json" }, Users.create, Users, { j = cyc })
      refused({ "j", "cyclic", "json" }, Users.create, Users, { j = cyclist })
      refused({ "j", "deep", "json" }, Users.create, Users, { j = deep_list(10000) })
      refused({ "j", "deep", "json" }, Users.create, Users, { j = deep_map(10000) })
      refused({ "j", "function", "json" }, Users.create, Users, { j = { f = print } })
      refused({ "j", "utf", "json" }, Users.create, Users, { j = { BAD_UTF8[1] } })
    end)

    it("bulkCreate refuses a list that is not one, and writes nothing when any item is bad", function()
      for _, v in ipairs({ 42, "x", print }) do refused({ "bulkCreate", "list" }, Users.bulkCreate, Users, v) end
      refused("options", Users.bulkCreate, Users, { { name = "a" } }, 42)
      local lists = {
        { "item 2", { { name = "a" }, 42 } },
        { "name", { { name = "a" }, { name = print } } },
        { "n", { { n = 1 }, { n = 2 }, { n = 0 / 0 } } },
        { "f", { { f = 1 }, { f = math.huge } } },
        { "name", { { name = "a" }, { name = cyc } } },
        { "j", { { j = {} }, { j = cyc } } },
        { { "name", "utf" }, { { name = "a" }, { name = BAD_UTF8[1] } } },
      }
      for i, l in ipairs(lists) do
        refused(l[1], Users.bulkCreate, Users, l[2])
        assert.are.equal(1, Users:count(), "list " .. i .. ": rows were written before the bad item")
      end
    end)

    it("bulkCreate of 100k rows whose last one is bad writes none of them", function()
      local list = {}
      for i = 1, BIG do list[i] = { n = i } end
      list[BIG] = { n = print }
      refused("n", Users.bulkCreate, Users, list)
      assert.are.equal(1, Users:count())
    end)
  end)

  describe("finders", function()
    local finders = {
      { "findAll", function(o) return Users:findAll(o) end },
      { "findOne", function(o) return Users:findOne(o) end },
      { "findAndCountAll", function(o) return Users:findAndCountAll(o) end },
      { "count", function(o) return Users:count(o) end },
    }

    for _, fd in ipairs(finders) do
      local name, call = fd[1], fd[2]
      it(name .. " refuses bad options, where, order, attributes, include, limit and offset", function()
        for _, v in ipairs({ 42, "x", print, true }) do refused("options", call, v) end
        for _, v in ipairs({ 42, "x", print, true }) do refused("where", call, { where = v }) end
        refused("nope", call, { where = { nope = 1 } })
        refused("k", call, { where = hugek })
        refused("self", call, { where = cyc })
        refused("name", call, { where = { name = print } })
        refused("name", call, { where = { name = cyc } })
        refused("n", call, { where = { n = 0 / 0 } })
        refused("n", call, { where = { n = math.huge } })
        refused("n", call, { where = { n = { [Op.gt] = -math.huge } } })
        refused("n", call, { where = { n = { [Op.between] = { 1 } } } })
        refused("n", call, { where = { n = { [Op.between] = { 1, 2, 3 } } } })
        refused("n", call, { where = { n = { [Op["in"]] = 5 } } })
        refused("name", call, { where = { name = { [Op.like] = {} } } })
        refused("name", call, { where = { name = { [Op.gt] = { 1 } } } })
        refused({ "Op", "and", "table" }, call, { where = { [Op.and_] = 5 } })
        if name ~= "count" then
          refused("order", call, { order = 42 })
          refused("nope", call, { order = { { "nope", "ASC" } } })
          refused("direction", call, { order = { { "name", "SIDEWAYS" } } })
          refused({ "direction", "order" }, call, { order = { { "name", 42 } } })
          refused("attributes", call, { attributes = 42 })
          refused("nope", call, { attributes = { "nope" } })
          refused("attributes", call, { attributes = { print } })
          refused("attributes", call, { attributes = huge })
          refused({ "alias", "number" }, call, { attributes = { { "name", 123 } } })
          for _, v in ipairs({ "x", -1, 1.5, 0 / 0, math.huge, print, true }) do
            -- findOne sets its own limit
            if name ~= "findOne" then refused("limit", call, { limit = v }) end
            refused("offset", call, { offset = v, limit = 1 })
          end
        end
        refused("include", call, { include = 42 })
        refused("nope", call, { include = "nope" })
        refused("include", call, { include = print })
        -- Sequelize: Include unexpected. Element has to be either a Model, an Association or an object.
        refused("include", call, { include = { bogus = 1 } })
      end)
    end

    it("findAll refuses invalid UTF-8 in where values", function()
      for _, s in ipairs(BAD_UTF8) do
        refused({ "name", "utf" }, Users.findAll, Users, { where = { name = s } })
        refused({ "name", "utf" }, Users.findAll, Users, { where = { name = { [Op.like] = s } } })
      end
    end)

    it("findAll with huge (100k-element) lists works or is refused, and never crashes", function()
      -- an IN list of 100k values finds the one row
      local ok, rows = works_or_refused(Users.findAll, Users, { where = { id = big } })
      if ok then assert.are.equal(1, #rows) end
      ok, rows = works_or_refused(Users.findAll, Users, { where = { id = { [Op.notIn] = big } } })
      if ok then assert.are.equal(0, #rows) end
      local order = {}
      for i = 1, BIG do order[i] = { "name", "ASC" } end
      works_or_refused(Users.findAll, Users, { order = order })
    end)

    it("findByPk refuses keys that are tables, functions, booleans, NaN and infinities", function()
      refused({ "key", "scalar" }, Users.findByPk, Users, {})
      refused({ "key", "scalar" }, Users.findByPk, Users, cyc)
      refused({ "key", "scalar" }, Users.findByPk, Users, print)
      refused({ "key", "scalar" }, Users.findByPk, Users, true) -- Sequelize: Argument passed to findByPk is invalid: true
      refused("id", Users.findByPk, Users, 0 / 0)
      refused("id", Users.findByPk, Users, math.huge)
      refused("options", Users.findByPk, Users, 1, 42)
    end)

    it("findOrCreate refuses a missing where and bad values, and creates nothing", function()
      refused("where", Users.findOrCreate, Users, 42)
      refused("where", Users.findOrCreate, Users, nil)
      refused("where", Users.findOrCreate, Users, {})
      refused("where", Users.findOrCreate, Users, { where = 42 })
      refused("name", Users.findOrCreate, Users, { where = { name = print } })
      refused("nope", Users.findOrCreate, Users, { where = { nope = 1 } })
      refused("n", Users.findOrCreate, Users, { where = { name = "new" }, defaults = { n = 0 / 0 } })
      refused("defaults", Users.findOrCreate, Users, { where = { name = "new" }, defaults = 42 })
      refused({ "name", "utf" }, Users.findOrCreate, Users, { where = { name = BAD_UTF8[1] } })
    end)

    it("max, min and sum refuse bad attribute names and options", function()
      for _, agg in ipairs({ "max", "min", "sum" }) do
        local fn = Users[agg]
        refused("attribute", fn, Users, nil)
        refused("attribute", fn, Users, 42)
        refused("attribute", fn, Users, {})
        refused("attribute", fn, Users, print)
        refused("nope", fn, Users, "nope")
        refused("options", fn, Users, "n", 42)
        refused("nope", fn, Users, "n", { where = { nope = 1 } })
      end
    end)
  end)

  describe("update, destroy and increment", function()
    it("update refuses bad values, a missing where and unknown where keys; nothing changes", function()
      for _, v in ipairs({ 42, "x", print }) do refused("values", Users.update, Users, v, { where = { id = 1 } }) end
      refused("where", Users.update, Users, { name = "x" })
      refused("where", Users.update, Users, { name = "x" }, 42)
      refused("where", Users.update, Users, { name = "x" }, {})
      refused("nope", Users.update, Users, { name = "x" }, { where = { nope = 1 } })
      refused("name", Users.update, Users, { name = print }, { where = { id = 1 } })
      refused("name", Users.update, Users, { name = cyc }, { where = { id = 1 } })
      refused("n", Users.update, Users, { n = 0 / 0 }, { where = { id = 1 } })
      refused("f", Users.update, Users, { f = -math.huge }, { where = { id = 1 } })
      refused("j", Users.update, Users, { j = cyc }, { where = { id = 1 } })
      refused({ "name", "utf" }, Users.update, Users, { name = BAD_UTF8[1] }, { where = { id = 1 } })
    end)

    it("destroy refuses a missing where and bad where trees; nothing is deleted", function()
      refused("where", Users.destroy, Users)
      refused("where", Users.destroy, Users, 42)
      refused("where", Users.destroy, Users, {})
      refused("where", Users.destroy, Users, { where = 42 })
      refused("nope", Users.destroy, Users, { where = { nope = 1 } })
      refused("id", Users.destroy, Users, { where = { id = print } })
      refused("id", Users.destroy, Users, { where = { id = 0 / 0 } })
      refused("self", Users.destroy, Users, { where = cyc })
    end)

    it("a where list with a hole, or a list operator given a table with other keys, is refused, not dropped", function()
      -- dropped, { [2] = cond } would leave no condition: DELETE FROM Users
      refused({ "[2]", "list" }, Users.destroy, Users, { where = { [2] = { n = 1 } } })
      refused({ "[3]", "list" }, Users.destroy, Users, { where = { { n = 1 }, [3] = { n = 2 } } })
      refused({ "[1.5]", "list" }, Users.update, Users, { name = "x" }, { where = { [1.5] = { n = 1 } } })
      for _, op in ipairs({ "in_", "notIn", "between" }) do
        refused({ "n", "list" }, Users.destroy, Users, { where = { n = { [Op[op]] = { [2] = 1, [3] = 2 } } } })
        refused({ "n", "list" }, Users.destroy, Users, { where = { n = { [Op[op]] = { 1, 2, x = 3 } } } })
      end
    end)

    it("increment and decrement refuse bad fields, amounts and options", function()
      for _, method in ipairs({ "increment", "decrement" }) do
        local fn = Users[method]
        refused("where", fn, Users, "n")
        refused("options", fn, Users, "n", 42)
        refused({ "attribute", "amount", "increment" }, fn, Users, 42, { where = { id = 1 } })
        refused("nope", fn, Users, "nope", { where = { id = 1 } })
        refused({ "amount", "number", "n" }, fn, Users, { n = "x" }, { where = { id = 1 } })
        refused({ "by", "amount", "number" }, fn, Users, "n", { where = { id = 1 }, by = "x" })
        refused({ "by", "amount", "number" }, fn, Users, "n", { where = { id = 1 }, by = print })
        refused({ "by", "amount", "number" }, fn, Users, "n", { where = { id = 1 }, by = {} })
        refused({ "n", "nan", "infinity" }, fn, Users, "n", { where = { id = 1 }, by = 0 / 0 })
        refused({ "n", "nan", "infinity" }, fn, Users, { n = math.huge }, { where = { id = 1 } })
      end
    end)
  end)

  describe("instances", function()
    it("save, update, destroy and reload refuse options that are not a table", function()
      local u = Users:findByPk(keep.id)
      for _, v in ipairs({ 42, "x", print }) do
        refused("options", u.save, u, v)
        refused({ "values", "options" }, u.update, u, v)
        refused("options", u.destroy, u, v)
        refused("options", u.reload, u, v)
      end
    end)

    it("save refuses a value of the wrong type set on a field, naming it; the row is unchanged", function()
      for _, v in ipairs({ print, coroutine.create(print), cyc }) do
        local u = Users:findByPk(keep.id)
        u.name = v
        refused("name", u.save, u)
      end
      for _, v in ipairs({ 0 / 0, math.huge }) do
        local u = Users:findByPk(keep.id)
        u.n = v
        refused("n", u.save, u)
        u = Users:findByPk(keep.id)
        u:set("f", v)
        refused("f", u.save, u)
      end
      local u = Users:findByPk(keep.id)
      u:set({ name = BAD_UTF8[1] })
      refused({ "name", "utf" }, u.save, u)
    end)

    it("update refuses bad values, naming the attribute", function()
      local u = Users:findByPk(keep.id)
      refused("name", u.update, u, { name = print })
      u = Users:findByPk(keep.id)
      refused("n", u.update, u, { n = 0 / 0 })
      u = Users:findByPk(keep.id)
      refused({ "name", "utf" }, u.update, u, { name = BAD_UTF8[2] })
    end)

    it("get and set with odd keys do not crash and write nothing", function()
      local u = Users:findByPk(keep.id)
      for _, k in ipairs({ 42, print, true, cyc, "nope", "" }) do
        works_or_refused(u.get, u, k)
        works_or_refused(u.set, u, k, 1)
      end
      works_or_refused(u.set, u, hugek)
      works_or_refused(u.set, u, cyc)
      assert.are.equal("keep", Users:findByPk(keep.id).name)
    end)
  end)

  describe("query", function()
    it("refuses SQL that is not a non-empty string", function()
      for _, v in ipairs({ 42, true, print, {}, Sequelize.null }) do refused("sql", db.query, db, v) end
      refused("sql", db.query, db, nil)
      refused({ "empty", "statement" }, db.query, db, "")
      refused({ "empty", "statement" }, db.query, db, "   ;  ")
      local e = refused("syntax", db.query, db, "NOT SQL")
      assert.are.equal("SequelizeDatabaseError", e.name)
    end)

    it("refuses bad options and replacements", function()
      refused("options", db.query, db, "SELECT 1", 42)
      refused("replacements", db.query, db, "SELECT ?", { replacements = 42 })
      refused("replacement", db.query, db, "SELECT ?")
      refused("replacement", db.query, db, "SELECT ?", { replacements = {} })
      refused(":x", db.query, db, "SELECT :x", { replacements = { y = 1 } })
      refused("replacement", db.query, db, "SELECT ?", { replacements = { print } })
      refused("replacement", db.query, db, "SELECT ?", { replacements = { { a = 1 } } })
      refused("replacement", db.query, db, "SELECT ?", { replacements = { { 1, { 2, print } } } })
      refused({ "type", "QueryTypes" }, db.query, db, "SELECT 1", { type = {} })
      refused("model", db.query, db, "SELECT 1", { model = {} })
      refused("bind", db.query, db, "SELECT $1", { bind = "x" })
      refused("replacement", db.query, db, "SELECT ?", { replacements = { cyc } })
      refused("replacement", db.query, db, "INSERT INTO Users (name, createdAt, updatedAt) VALUES (?, 1, 1)",
        { replacements = { print } })
      local ok, rows = works_or_refused(db.query, db, "SELECT ? AS v", { replacements = huge })
      if ok then assert.are.equal(1, rows[1].v) end
      works_or_refused(db.query, db, "SELECT " .. ("?+"):rep(99999) .. "?", { replacements = huge })
      works_or_refused(db.query, db, "SELECT ? AS v", { replacements = { 0 / 0 } })
    end)

    it("refuses SQL text that is not valid UTF-8", function()
      for _, s in ipairs(BAD_UTF8) do
        refused({ "utf" }, db.query, db, "SELECT '" .. s .. "' AS v")
      end
    end)
  end)

  describe("transaction", function()
    it("refuses options and functions of the wrong type and leaves no transaction open", function()
      refused("options", db.transaction, db, 42)
      refused("options", db.transaction, db, "x")
      refused("transaction", db.transaction, db, { transaction = 42 }, function() end)
      refused("transaction", db.transaction, db, { transaction = cyc }, function() end)
      refused({ "function", "callback" }, db.transaction, db, {}, 42)
      local t = db:transaction()
      t:commit()
      refused("finished", t.commit, t)
      refused("finished", t.rollback, t)
      refused({ "commit", "finished" }, Users.create, Users, { name = "late" }, { transaction = t })
    end)

    it("an error object raised inside a managed transaction comes back as it was, after a rollback", function()
      local e = refused("name", db.transaction, db, function(t)
        Users:create({ name = "inside" }, { transaction = t })
        Users:create({ name = print }, { transaction = t })
      end)
      -- a value of the wrong Lua type is a ValidationError naming the attribute
      assert.are.equal("SequelizeValidationError", e.name)
    end)
  end)

  describe("stringify", function()
    it("refuses cyclic and 10k-deep tables, functions, threads, userdata and invalid UTF-8 keys", function()
      refused("cyclic", Sequelize.stringify, cyc)
      refused("cyclic", Sequelize.stringify, cyclist)
      refused("deep", Sequelize.stringify, deep_list(10000))
      refused("deep", Sequelize.stringify, deep_map(10000))
      refused("function", Sequelize.stringify, print)
      assert.are.equal("{}", Sequelize.stringify({ a = print })) -- (JSON.stringify leaves a function out)
      refused({ "thread", "coroutine" }, Sequelize.stringify, { coroutine.create(print) })
      refused({ "userdata", "file" }, Sequelize.stringify, { io.stdout })
      refused("utf", Sequelize.stringify, { [BAD_UTF8[1]] = 1 })
      -- a value that is no UTF-8 is bytes (a BLOB's, in a raw row): written as Sequelize's Buffer
      assert.are.equal('{"type":"Buffer","data":[255,254]}', Sequelize.stringify(BAD_UTF8[1]))
    end)

    it("writes NaN and infinities as null, as JSON.stringify does", function()
      assert.are.equal("null", Sequelize.stringify(0 / 0))
      assert.are.equal('{"a":null,"b":null}', Sequelize.stringify({ a = math.huge, b = -math.huge }))
    end)

    it("a wrongly typed indent is ignored or refused with an error object", function()
      for _, v in ipairs({ "x", true, {}, print, 0 / 0, math.huge }) do
        local ok, s = works_or_refused(Sequelize.stringify, { 1 }, v)
        if ok then assert.are.equal("string", type(s)) end
      end
    end)

    it("stringifies a 100k-element list", function()
      local s = Sequelize.stringify(huge)
      assert.are.equal("[1,2,3,", s:sub(1, 7))
      assert.are.equal(",99999,100000]", s:sub(-14))
    end)
  end)

  describe("deep and cyclic trees (each in a child process, so a crash fails one test)", function()
    -- prelude shared by the cases; each case is the body of a function returning a result
    local PRELUDE = [[
      local Sequelize = require("sequelua")
      local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op
      local db = Sequelize.new("sqlite::memory:")
      local Users = db:define("Users", { name = DataTypes.STRING, n = DataTypes.INTEGER })
      Users:hasMany(Users, { as = "kids", foreignKey = "parentId" })
      db:sync()
      Users:create({ name = "keep", n = 1 })
      local function nest(depth, wrap, leaf)
        local t = leaf
        for _ = 1, depth do t = wrap(t) end
        return t
      end
      local function cycle(make) local t = {}; make(t); return t end
    ]]
    local CASES = {
      -- realistic depth: must work and find the row
      { "30 nested Op.and work", "ok", [[
        return #Users:findAll({ where = nest(30, function(t) return { [Op.and_] = { t } } end, { name = "keep" }) }) ]] },
      { "30 nested Op.or work", "ok", [[
        return #Users:findAll({ where = nest(30, function(t) return { [Op.or_] = { t, { n = 99 } } } end, { name = "keep" }) }) ]] },
      { "30 nested Op.not work", "ok", [[
        return #Users:findAll({ where = nest(30, function(t) return { [Op.not_] = t } end, { name = "keep" }) }) ]] },
      { "30 nested Sequelize.fn work", "ok", [[
        local x = nest(30, function(t) return Sequelize.fn("abs", t) end, Sequelize.col("n"))
        return #Users:findAll({ where = Sequelize.where(x, 1) }) ]] },
      -- 10k levels: an error object (or a correct result), never a crash
      { "10k nested Op.and", "either", [[
        return #Users:findAll({ where = nest(10000, function(t) return { [Op.and_] = { t } } end, { name = "keep" }) }) ]] },
      { "10k nested Op.or", "either", [[
        return #Users:findAll({ where = nest(10000, function(t) return { [Op.or_] = { t } } end, { name = "keep" }) }) ]] },
      { "10k nested Op.not", "either", [[
        return #Users:findAll({ where = nest(10000, function(t) return { [Op.not_] = t } end, { name = "keep" }) }) ]] },
      { "10k nested lists", "either", [[
        return #Users:findAll({ where = nest(10000, function(t) return { t } end, { name = "keep" }) }) ]] },
      { "10k nested Op.not on a column", "either", [[
        return #Users:findAll({ where = { n = nest(10000, function(t) return { [Op.not_] = t } end, { [Op.eq] = 1 }) } }) ]] },
      { "10k nested Op.and on a column", "either", [[
        return #Users:findAll({ where = { n = nest(10000, function(t) return { [Op.and_] = t } end, { [Op.eq] = 1 }) } }) ]] },
      { "10k nested Sequelize.fn", "either", [[
        local x = nest(10000, function(t) return Sequelize.fn("abs", t) end, Sequelize.col("n"))
        return #Users:findAll({ attributes = { { x, "v" } } }) ]] },
      { "10k nested Sequelize.and", "either", [[
        return Users:count({ where = nest(10000, function(t) return Sequelize.and_(t) end, { name = "keep" }) }) ]] },
      { "10k nested destroy where", "either", [[
        return Users:destroy({ where = nest(10000, function(t) return { [Op.and_] = { t } } end, { name = "nope" }) }) ]] },
      -- cycles: always an error object
      { "cyclic list in where", "error", [[
        return Users:findAll({ where = cycle(function(t) t[1] = t end) }) ]] },
      { "cyclic Op.or in where", "error", [[
        return Users:findAll({ where = cycle(function(t) t[Op.or_] = { t } end) }) ]] },
      { "cyclic Op.not in where", "error", [[
        return Users:findAll({ where = cycle(function(t) t[Op.not_] = t end) }) ]] },
      { "cyclic Op.not on a column", "error", [[
        return Users:findAll({ where = { n = cycle(function(t) t[Op.not_] = t end) } }) ]] },
      { "cyclic Op.and list on a column", "error", [[
        return Users:findAll({ where = { n = cycle(function(t) t[Op.and_] = t end) } }) ]] },
      { "cyclic update where", "error", [[
        return Users:update({ name = "x" }, { where = cycle(function(t) t[Op.or_] = { t } end) }) ]] },
      { "cyclic include", "error", [[
        return Users:findAll({ include = cycle(function(t) t.association = "kids"; t.include = { t } end) }) ]] },
      { "cyclic order item", "error", [[
        return Users:findAll({ order = { cycle(function(t) t[1] = t end) } }) ]] },
      { "cyclic attributes item", "error", [[
        return Users:findAll({ attributes = { cycle(function(t) t[1] = t end) } }) ]] },
      -- the object form of Op.and / Op.or ({ [Op.and] = { [Op.and] = ... } }) recurses too
      { "30 nested Op.and in object form work", "ok", [[
        return #Users:findAll({ where = nest(30, function(t) return { [Op.and_] = t } end, { name = "keep" }) }) ]] },
      { "100 nested Op.and in object form", "error", [[
        return #Users:findAll({ where = nest(100, function(t) return { [Op.and_] = t } end, { name = "keep" }) }) ]] },
      { "cyclic Op.and in object form", "error", [[
        return Users:findAll({ where = cycle(function(t) t[Op.and_] = t end) }) ]] },
      { "cyclic Op.or in object form", "error", [[
        return Users:findAll({ where = cycle(function(t) t[Op.or_] = t end) }) ]] },
      -- a where table's metatable adds no conditions (Sequelize reads own keys only)
      { "a where table whose __index answers every key", "ok", [[
        return #Users:findAll({ where = setmetatable({}, { __index = function() return "x" end }) }) ]] },
      { "a where table inheriting conditions through __index", "ok", [[
        local w = setmetatable({ name = "keep" }, { __index = { n = 2, name = "other" } })
        return #Users:findAll({ where = w }) ]] },
    }

    -- Run the cases in as few children as possible: a child runs cases from `first` on and
    -- prints one line per case; after a crash, a new child goes on after the crashed case.
    local results
    local function run_all()
      if results then return results end
      results = {}
      local lines = { PRELUDE, "local CASES = {" }
      for i, c in ipairs(CASES) do lines[#lines + 1] = ("[%d] = function() %s end,"):format(i, c[3]) end
      lines[#lines + 1] = "}"
      lines[#lines + 1] = [[
        for i = tonumber(arg[1]), #CASES do
          io.write("start ", i, "\n"); io.stdout:flush()
          local ok, res = pcall(CASES[i])
          local kind = ok and "ok" or (type(res) == "table" and type(res.name) == "string" and
            type(res.message) == "string" and "errobj" or "raw")
          local text = ok and tostring(res) or (type(res) == "table" and tostring(res.message) or tostring(res))
          io.write("done ", i, " ", kind, " ", (text:sub(1, 150):gsub("\n", " ")), "\n"); io.stdout:flush()
        end
        io.write("rows ", Users:count(), "\n")
        db:close()
      ]]
      local code = table.concat(lines, "\n")
      local first = 1
      while first <= #CASES do
        local out, exit = run_child(code, tostring(first))
        local last = first - 1
        for i, kind, text in out:gmatch("done (%d+) (%S+) ([^\n]*)") do
          results[tonumber(i)] = { kind = kind, text = text }
          last = tonumber(i)
        end
        if last >= #CASES then
          results.rows = tonumber(out:match("rows (%d+)"))
          results.exit = exit
          results.tail = out:sub(-600)
          break
        end
        results[last + 1] = { kind = "crash", text = ("exit %s: %s"):format(tostring(exit), out:sub(-600)) }
        first = last + 2
      end
      return results
    end

    for i, c in ipairs(CASES) do
      it(c[1], function()
        local r = run_all()[i]
        assert.is_not_nil(r, "no result")
        assert.are_not.equal("crash", r.kind, "the process died: " .. r.text)
        assert.are_not.equal("raw", r.kind, "a bare Lua error instead of an error object: " .. r.text)
        if c[2] == "ok" then
          assert.are.equal("ok", r.kind, r.text)
          assert.are.equal("1", r.text)
        elseif c[2] == "error" then
          assert.are.equal("errobj", r.kind, "expected an error object, got a result: " .. r.text)
        end
      end)
    end

    it("the child that ran them ends cleanly with its row intact", function()
      local r = run_all()
      if r.exit == nil then
        pending("a case crashed the last child; see the failures above")
        return
      end
      assert.are.equal(0, r.exit, r.tail)
      assert.are.equal(1, r.rows)
    end)
  end)
end)

describe("names with NUL bytes and keys of the wrong type", function()
  it("are refused, not cut short or replaced by the default", function()
    local DT = Sequelize.DataTypes
    for _, a in ipairs({ { "sqlite:/tmp/sequelua_x\0y.db" }, { { dialect = "sqlite", storage = "/tmp/sequelua_y\0z" } } }) do
      local ok, err = pcall(Sequelize.new, a[1])
      assert.is_false(ok)
      assert.are.equal("storage must be a path without NUL bytes", err.message)
    end
    local db = Sequelize.new("sqlite::memory:")
    local X = db:define("X", { n = DT.STRING })
    local Y = db:define("Y", { m = DT.STRING })
    local cases = {
      { "hasMany", { as = "a\0b" }, "X.hasMany: as.plural must be valid UTF-8 without NUL bytes" },
      { "hasMany", { as = { singular = "s\0x", plural = "p" } }, "X.hasMany: as.singular must be valid UTF-8 without NUL bytes" },
      { "hasOne", { foreignKey = "f\0k" }, "X.hasOne: foreignKey must be valid UTF-8 without NUL bytes" },
      { "hasMany", { foreignKey = 5 }, "X.hasMany: foreignKey must be a string or { name, allowNull, field, unique }, got number" },
      { "belongsTo", { foreignKey = true }, "X.belongsTo: foreignKey must be a string or { name, allowNull, field, unique }, got boolean" },
      { "belongsToMany", { through = "j\0k" }, "X.belongsToMany: through must be a non-empty name without NUL bytes" },
      { "belongsToMany", { through = "JK", otherKey = "o\0k" }, "X.belongsToMany: otherKey must be valid UTF-8 without NUL bytes" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(X[c[1]], X, Y, c[2])
      assert.is_false(ok)
      assert.are.equal(c[3], err.message)
    end
    db:sync()
    assert.are.same({}, X.associations and (function() local n = {} for k in pairs(X.associations) do n[#n + 1] = k end return n end)() or {})
    db:close()
  end)
end)

describe("a NUL byte in the text of a Sequelize.literal / col / fn", function()
  it("is refused before any SQL, not sent where SQLite would stop reading at it", function()
    -- Sequelize 6.37.8, destroy{ where: { [Op.and]: [literal('age > 0\u0000'), literal('id = 1')] } }:
    -- DELETE FROM `Users` WHERE (age > 0\u0000 AND id = 1) -> SQLITE_ERROR: incomplete input, nothing deleted
    -- (sequelua ran `WHERE age > 0` and deleted every row)
    local DT = Sequelize.DataTypes
    local Op = Sequelize.Op
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING, age = DT.INTEGER })
    db:sync()
    for i = 1, 3 do U:create({ name = "u" .. i, age = i }) end
    local cases = {
      { function() return U:destroy({ where = { [Op.and_] = { Sequelize.literal("age > 0\0"), Sequelize.literal("id = 1") } } }) end,
        "Sequelize.literal: the SQL text must not hold a NUL byte (SQLite would stop reading the statement there)" },
      { function() return U:findAll({ attributes = { Sequelize.col("name\0x") } }) end,
        "Sequelize.col: the SQL text must not hold a NUL byte" },
      { function() return U:findAll({ attributes = { { Sequelize.fn("max\0x", Sequelize.col("age")), "m" } } }) end,
        "Sequelize.fn: the SQL text must not hold a NUL byte" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.are.equal("table", type(err), tostring(err))
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    -- one changed after it was made reaches the core, which refuses the statement
    local l = Sequelize.literal("age > 0")
    l.val = "age > 0\0"
    local ok, err = pcall(U.destroy, U, { where = { [Op.and_] = { l, Sequelize.literal("id = 1") } } })
    assert.is_false(ok)
    assert.truthy(err.message:find("The SQL text holds a NUL byte (at byte", 1, true), err.message)
    assert.are.equal(3, U:count())
    db:close()
  end)
end)

describe("options of the wrong shape", function()
  it("raise naming what was expected instead of being ignored", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DT.STRING }, { timestamps = false })
    U:hasMany(P, { as = "posts" })
    db:sync()
    U:create({ name = "a" })
    local cases = {
      { function() U:bulkCreate({ a = { name = "x" } }) end, "User.bulkCreate: expected a list of tables" },
      { function() U:findAll({ include = { { association = "posts", attributes = 5 } } }) end,
        "include on User: attributes must be a list or { include, exclude }, got number" },
      { function() U:findAll({ include = { { association = "posts", whre = {} } } }) end,
        "include on User: unknown option 'whre'" },
      { function() U:count({ distinct = true, col = 5 }) end,
        "Invalid col in count of model User: expected an attribute name, got number" },
      { function() U:count({ group = { "nope" } }) end, "Unknown attribute 'nope' in group of model User" },
      -- (Sequelize 6.37.8: SQLITE_ERROR: no such column: nope / User.nope; count{ attributes = { "name" } } is 1)
      { function() U:count({ attributes = { "nope" } }) end, "Unknown attribute 'nope' in attributes of model User" },
      { function() U:count({ include = { "posts" }, attributes = { "nope" } }) end,
        "Unknown attribute 'nope' in attributes of model User" },
      { function() db:transaction({ isolationLevel = "x; DROP" }, function() end) end, "Unknown isolation level: x; DROP" },
      { function() db:define("Z", { a = DT.STRING }, { name = { singular = 5 } }) end,
        "Z: the option name must be { singular = string, plural = string }" },
      { function() db:define("Z", { a = { type = DT.STRING, validate = { len = { 1, "2); DROP" } } } }) end,
        "Z.a: len needs { min, max } (numbers)" },
      -- (Sequelize 6.37.8: "Support for `{where: 'raw query'}` has been removed.")
      { function() U:findAll({ where = "1 = 1" }) end,
        "Invalid where on User: Support for `{where: 'raw query'}` has been removed. Use Sequelize.literal(sql)" },
      { function() U:destroy({ where = "1 = 1" }) end, "Support for `{where: 'raw query'}` has been removed." },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    assert.are.equal(1, U:count())
    assert.are.equal(1, U:count({ attributes = { "name" } }))
    assert.is_nil(db.models.Z)
    -- the same association included twice is one include (Sequelize's _uniqIncludes)
    P:create({ title = "t", UserId = 1 })
    local rows = U:findAll({ include = { "posts", "posts" } })
    assert.are.same({ 1, 1 }, { #rows, #rows[1].posts })
    rows = U:findAll({ include = { { association = "posts", where = { title = "u" } },
                                   { association = "posts", where = { title = "t" } } } })
    -- (the later where's keys win, as Sequelize's default whereMergeStrategy merges them: not
    -- both joined with AND; spec/include_merge_spec.lua)
    assert.are.same({ 1, 1 }, { #rows, #rows[1].posts })
    assert.are.equal(1, db:transaction({ isolationLevel = Sequelize.Transaction.ISOLATION_LEVELS.SERIALIZABLE },
      function() return 1 end))
    db:close()
  end)
end)

describe("slips that used to fail deep inside", function()
  it("a dot for a colon, options or values that are not tables, type arguments: error objects naming them", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING })
    local P = db:define("Post", { title = DT.STRING })
    U:hasMany(P, { as = "posts" })
    db:sync()
    local u = U:create({ name = "a" })
    local cases = {
      { function() return DT.STRING(-1) end, "DataTypes.STRING: length must be a non-negative integer" },
      { function() return DT.DECIMAL("x", 2) end, "DataTypes.DECIMAL: precision must be a non-negative integer" },
      { function() return DT.ENUM("a", nil, "c") end, "DataTypes.ENUM: values must be strings (value 2)" },
      { function() return U:hasMany(P, 5) end, "User.hasMany: options must be a table, got number" },
      { function() return U:findAll({ include = { { association = "posts", limit = "x" } } }) end,
        "include posts of User: limit must be a number, got string" },
      { function() return u:getPosts(5) end, "User.getPosts: options must be a table, got number" },
      { function() return u:createPost(5) end, "User.createPost: values must be a table, got number" },
      { function() return u:setPosts(0 / 0) end, "Expected an instance of Post or its key, got NaN" },
      { function() return u:save({ fields = 5 }) end, "User.save: options.fields must be a list of attribute names" },
      -- (Model.update read a string's fields with ipairs: a raw "bad argument #1 to 'ipairs'")
      { function() return U:update({ name = "q" }, { where = { id = 1 }, fields = "name" }) end,
        "User.update: options.fields must be a list of attribute names" },
      { function() return u:set("name", "z", 5) end, "User.set: options must be a table, got number" },
      { function() return U.findAll({ where = {} }) end, "Model:findAll(...) is a method: call it with a colon" },
      { function() return db.define("X", {}) end, "db:define(...) is a method: call it with a colon" },
      { function() return u.save() end, "instance:save(...) is a method: call it with a colon" },
      { function() return u.getPosts() end, "User:getPosts(...) is a method: call it with a colon" },
      -- (paranoid.lua's two instance methods were not guarded: "Model is not paranoid")
      { function() return u.isSoftDeleted() end, "instance:isSoftDeleted(...) is a method: call it with a colon, on an instance (got nil)" },
      { function() return u.restore() end, "instance:restore(...) is a method: call it with a colon" },
      -- (hook shorthands raised a raw string from inside hooks.lua)
      { function() return U.beforeCreate(function() end) end,
        "Model:beforeCreate(...) is a method: call it with a colon, on a Model (got function)" },
      { function() return db.beforeDefine(function() end) end,
        "db:beforeDefine(...) is a method: call it with a colon, on a db (got function)" },
      { function() return db.afterCreate(function() end) end, "db:afterCreate(...) is a method: call it with a colon" },
      -- (the query interface had no receiver check: raw strings from inside it, or a table's
      -- address named as the table)
      { function() return db:getQueryInterface().createTable("Xs", { id = DT.INTEGER }) end,
        "queryInterface:createTable(...) is a method: call it with a colon, on a queryInterface (got string)" },
      { function() return db:getQueryInterface().showAllTables() end,
        "queryInterface:showAllTables(...) is a method: call it with a colon, on a queryInterface (got nil)" },
      { function() return db:getQueryInterface().addColumn("Users", "c", { type = DT.STRING }) end,
        "queryInterface:addColumn(...) is a method" },
      { function() return db.databaseVersion() end, "db:databaseVersion(...) is a method: call it with a colon" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.are.equal("table", type(err), tostring(err))
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    local t = db:transaction()
    local ok, err = pcall(t.commit)
    assert.is_false(ok)
    assert.truthy(err.message:find("transaction:commit(...) is a method", 1, true))
    t:rollback()
    assert.are.equal(0, P:count())
    assert.are.equal("a", U:findByPk(u.id).name)
    db:close()
  end)
end)

describe("an association accessor called with a dot on an instance of another model", function()
  it("raises the colon error before any SQL, instead of running on the wrong row", function()
    -- u2.setProfile(p1) is p1:setProfile(nil): it used to unlink p1 from u1 (a User with p1's id)
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING })
    local Pr = db:define("Profile", { bio = DT.STRING })
    local P = db:define("Post", { title = DT.STRING })
    local T = db:define("Tag", { name = DT.STRING })
    U:hasOne(Pr); U:hasMany(P); P:belongsTo(U); P:belongsToMany(T, { through = "PostTags" })
    db:sync()
    local u1, u2 = U:create({ name = "u1" }), U:create({ name = "u2" })
    local p1 = Pr:create({ bio = "p1", UserId = u1.id })
    local post = P:create({ title = "t", UserId = u1.id })
    local tag = T:create({ name = "x" })
    post:addTag(tag)
    local log = {}
    db.options.logging = function(sql) log[#log + 1] = sql end
    local cases = {
      { function() return u2.setProfile(p1) end, "User:setProfile(...) is a method: call it with a colon on a User instance (got an instance of Profile)" },
      { function() return u2.addPost(post) end, "User:addPost(...) is a method: call it with a colon on a User instance (got an instance of Post)" },
      { function() return u2.removePost(post) end, "User:removePost(...)" },
      { function() return u2.setPosts(post) end, "User:setPosts(...)" },
      { function() return u2.hasPost(post) end, "User:hasPost(...)" },
      { function() return post.setUser(u2) end, "Post:setUser(...) is a method: call it with a colon on a Post instance (got an instance of User)" },
      { function() return post.removeTag(tag) end, "Post:removeTag(...) is a method: call it with a colon on a Post instance (got an instance of Tag)" },
      { function() return post.setTags({ tag }) end, "Post:setTags(...) is a method: call it with a colon on a Post instance (got table)" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.are.equal("table", type(err), tostring(err))
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    assert.are.same({}, log)
    db.options.logging = false
    assert.are.equal(u1.id, Pr:findByPk(p1.id).UserId)
    assert.are.equal(u1.id, P:findByPk(post.id).UserId)
    assert.is_true(post:hasTag(tag))
    -- a scope's instances are the model's own
    U:addScope("named", { where = { name = "u2" } })
    local s2 = U:scope("named"):findOne()
    s2:setProfile(p1)
    assert.are.equal(u2.id, Pr:findByPk(p1.id).UserId)
    db:close()
  end)
end)

describe("lists with a nil among their items", function()
  it("are refused under both interpreters, not cut short at the hole (LuaJIT's length stops there)", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING, age = DT.INTEGER })
    local P = db:define("Post", { title = DT.STRING })
    U:hasMany(P, { as = "posts" })
    db:sync()
    local cases = {
      { function() U:create({ name = "x", age = 3 }, { fields = { "name", nil, "age" } }) end, "Invalid fields on User" },
      { function() U:findAll({ attributes = { "id", nil, "name" } }) end, "Invalid attributes on User" },
      { function() U:findAll({ attributes = { exclude = { "age", nil, "name" } } }) end, "Invalid attributes.exclude on User" },
      { function() U:create({ name = "y", posts = { { title = "a" }, nil, { title = "c" } } }, { include = "posts" }) end,
        "Invalid value for User.posts: expected a list of tables, got a nil among them" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    assert.are.same({ 0, 0 }, { U:count(), P:count() })
    db:close()
  end)
end)

describe("lists filtered in place (a hole among their items) given to the writers and include", function()
  it("are refused before any SQL, not cut short at the hole", function()
    -- Sequelize 6.37.8 keeps an array's length: the items after a hole are processed
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING, age = DT.INTEGER })
    local T = db:define("Tag", { name = DT.STRING })
    local P = db:define("Post", { title = DT.STRING })
    local H = db:define("Hooked", { name = DT.STRING })
    H:addHook("beforeBulkCreate", function() end)
    U:belongsToMany(T, { through = "UserTags" })
    U:hasMany(P)
    db:sync()
    local u = U:create({ name = "u", age = 1 })
    local t1, t2, t3 = T:create({ name = "red" }), T:create({ name = "green" }), T:create({ name = "blue" })
    local p1, p3 = P:create({ title = "p1" }), P:create({ title = "p3" })
    u:setTags({ t1, t2, t3 })
    local function sp(a, c) return { [1] = a, [3] = c } end
    local list = "Expected an instance, a key or a list of them 1..n, got a table with a nil among its items"
    local cases = {
      { function() u:setTags(sp(t1, t3)) end, list },
      { function() u:addTags(sp(t1, t3)) end, list },
      { function() u:removeTags(sp(t1, t3)) end, list },
      { function() u:hasTags(sp(t1, t3)) end, list },
      { function() u:addPosts(sp(p1, p3)) end, list },
      { function() u:setPosts(sp(p1, p3)) end, list },
      { function() U:bulkCreate(sp({ name = "a" }, { name = "c" })) end,
        "Invalid bulkCreate records on User: expected a list 1..n, got a table with a nil among its items" },
      { function() U:bulkCreate(sp({ name = "a" }, { name = "c" }), { validate = true }) end, "Invalid bulkCreate records on User" },
      { function() H:bulkCreate(sp({ name = "a" }, { name = "c" })) end, "Invalid bulkCreate records on Hooked" },
      { function() U:bulkCreate({ { id = 1, name = "b", age = 2 } }, { updateOnDuplicate = sp("name", "age") }) end,
        "Invalid updateOnDuplicate on User: expected a list 1..n" },
      { function() U:create({ name = "n" }, { skip = sp("name", "age") }) end, "Invalid skip on User: expected a list 1..n" },
      { function() U:findAll({ include = sp(T, P) }) end, "Invalid include on User: expected a list 1..n" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(c[1])
      assert.is_false(ok)
      assert.are.equal("table", type(err), tostring(err))
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    assert.are.same({ 1, 3, 0, 2 }, { U:count(), u:countTags(), u:countPosts(), P:count() })
    assert.are.equal(0, H:count())
    db:close()
  end)

  it("take a list with other keys (table.pack's n) or a proxy list as before: only a hole is refused", function()
    local DT = Sequelize.DataTypes
    local function pack(...) return { n = select("#", ...), ... } end -- (table.pack; LuaJIT has none)
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING })
    local T = db:define("Tag", { name = DT.STRING })
    local H = db:define("Hooked", { name = DT.STRING })
    H:addHook("beforeBulkCreate", function() end)
    U:belongsToMany(T, { through = "UserTags" })
    db:sync()
    local u = U:create({ name = "u" })
    local t1, t2, t3 = T:create({ name = "red" }), T:create({ name = "green" }), T:create({ name = "blue" })
    u:setTags(pack(t1, t2))
    assert.are.equal(2, u:countTags())
    u:addTags(pack(t3))
    assert.are.equal(3, u:countTags())
    assert.is_true(u:hasTags(pack(t1, t3)))
    U:bulkCreate(pack({ name = "a" }, { name = "b" }))
    U:bulkCreate(pack({ name = "c" }), { validate = true })
    H:bulkCreate(pack({ name = "d" }, { name = "e" }))
    assert.are.same({ 4, 2 }, { U:count(), H:count() })
    -- (a proxy: its items through __index and __len; Lua 5.4's ipairs reads them so)
    if _VERSION == "Lua 5.4" then
      local items = { t1.id }
      u:setTags(setmetatable({}, { __index = items, __len = function() return #items end }))
      assert.are.equal(1, u:countTags())
    end
    local tags = u:countTags()
    -- a hole is still refused, table.pack's with a nil among its arguments too
    local ok, err = pcall(u.setTags, u, pack(t1, nil, t3))
    assert.is_false(ok)
    assert.truthy(tostring(err):find("got a table with a nil among its items", 1, true), tostring(err))
    ok, err = pcall(U.bulkCreate, U, pack({ name = "x" }, nil, { name = "z" }))
    assert.is_false(ok)
    assert.truthy(tostring(err):find("Invalid bulkCreate records on User", 1, true), tostring(err))
    assert.are.same({ 4, tags }, { U:count(), u:countTags() })
    db:close()
  end)
end)

describe("define options and defaults of the wrong kind", function()
  it("name the model and attribute", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local ok, err = pcall(db.define, db, "A", { x = { type = DT.STRING, defaultValue = coroutine.create(print) } })
    assert.is_false(ok)
    assert.truthy(err.message:find("A.x: defaultValue must be a value, a function", 1, true), err.message)
    ok, err = pcall(db.define, db, "B", { x = DT.STRING }, { createdAt = "" })
    assert.is_false(ok)
    assert.are.equal('B: Value for "createdAt" option cannot be an empty string', err.message)
    assert.is_nil(db.models.A)
    assert.is_nil(db.models.B)
    db:close()
  end)
end)

local support = require("spec.support")

describe("instance save and set with bad arguments", function()
  it("save's fields must name attributes, also when there is nothing to write; set needs a name or a table", function()
    local db = support.open()
    local U = db:define("U", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL })
    db:sync()
    local u = U:create{ n = 1 }
    assert.equal("fields on U must list attribute names", support.catch_message(function() u:save{ fields = { 1 } } end).message)
    assert.equal("Unknown attribute 'nope' in fields of model U",
      support.catch_message(function() u:save{ fields = { "nope" } } end).message)
    u.n = 2
    assert.equal("Unknown attribute 'nope' in fields of model U",
      support.catch_message(function() u:save{ fields = { "nope" } } end).message)
    assert.equal("U.set: expected an attribute name or a table of values, got nil",
      support.catch_message(function() u:set(nil, 1) end).message)
    assert.equal("U.set: expected an attribute name or a table of values, got number",
      support.catch_message(function() u:set(1, 1) end).message)
    assert.equal(1, U:findByPk(1).n)
  end)
end)

describe("a fields list naming an attribute's column", function()
  -- Sequelize 6.37.8, firstName with field first_name: bulkCreate([{ firstName: 'c' }], { fields: ['first_name'] })
  -- -> INSERT INTO `users` (`created_at`,`updated_at`) ..., firstName not written (its whitelist holds
  -- attribute names); update({ firstName: 'c' }, { where: {}, fields: ['first_name'] }) -> [0], no SQL.
  -- Here it raises for every write, as for any name that is no attribute (it wrote first_name in bulkCreate).
  it("raises for bulkCreate, static update, create, save and validate, writing nothing", function()
    local db = support.open()
    local U = db:define("User", { firstName = { type = DataTypes.STRING, field = "first_name" } }, { underscored = true })
    db:sync()
    local u = U:create{ firstName = "a" }
    local msg = "Unknown attribute 'first_name' in fields of model User"
    assert.equal(msg, support.catch_message(function() U:bulkCreate({ { firstName = "c" } }, { fields = { "first_name" } }) end).message)
    assert.equal("Unknown attribute 'created_at' in fields of model User",
      support.catch_message(function() U:bulkCreate({ { firstName = "c" } }, { fields = { "created_at" } }) end).message)
    assert.equal(msg, support.catch_message(function() U:update({ firstName = "c" }, { where = {}, fields = { "first_name" } }) end).message)
    assert.equal(msg, support.catch_message(function() U:create({ firstName = "c" }, { fields = { "first_name" } }) end).message)
    u.firstName = "c"
    assert.equal(msg, support.catch_message(function() u:save{ fields = { "first_name" } } end).message)
    assert.equal(msg, support.catch_message(function() u:validate{ fields = { "first_name" } } end).message)
    assert.same({ { firstName = "a" } }, U:findAll{ attributes = { "firstName" }, raw = true })
    -- the attribute's own name works
    U:bulkCreate({ { firstName = "d" } }, { fields = { "firstName" } })
    assert.equal(1, U:count{ where = { firstName = "d" } })
  end)
end)

describe("a list where one row's values are expected", function()
  it("build of a list builds each row (Sequelize's bulkBuild); create and upsert of a list raise, writing nothing", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING })
    db:sync()
    local list = U:build({ { name = "a" }, { name = "b" } })
    assert.equal(2, #list)
    assert.same({ "a", "b", true }, { list[1].name, list[2].name, list[2].isNewRecord })
    for _, call in ipairs({ "create", "upsert" }) do
      local err = support.catch_message(function() U[call](U, { { name = "a" }, { name = "b" } }) end)
      assert.equal("User." .. call .. ": values must be one row's table of attributes, got a list (bulkCreate takes a list)",
        err.message)
    end
    assert.equal(0, U:count())
  end)
end)

describe("messages that name what is wrong", function()
  -- Sequelize 6.37.8: having { bogus: 1 } -> SequelizeDatabaseError "no such column: bogus"; where [1] ->
  -- Error "Support for literal replacements in the `where` object has been removed."; hooks { beforeCreate: 5 }
  -- -> TypeError "Cannot read properties of undefined (reading 'apply')" at the first create;
  -- Sequelize.where(null, 1) -> TypeError "Cannot read properties of null (reading 'Model')"
  it("having, a list item in a where, a hook that is no function, Sequelize.where without a left side", function()
    local db, log = support.open()
    local U = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER })
    db:sync()
    support.clear(log)
    local cases = {
      { function() U:findAll({ attributes = { "age" }, group = { "age" }, having = { bogus = 1 } }) end,
        "Unknown attribute 'bogus' in having of model User" },
      { function() U:findAll({ attributes = { "age" }, group = { "age" }, having = { age = { [Op.between] = { 1 } } } }) end,
        "Invalid having on User.age: Op.between needs two values" },
      { function() U:findAll({ where = { [1] = 1 } }) end,
        "Invalid where on User: item [1] is a number; the list part of a where holds conditions" },
      { function() U:findAll({ where = { { name = "a" }, "age" } }) end,
        "Invalid where on User: item [2] is a string; the list part of a where holds conditions" },
      { function() db:define("X", { a = DataTypes.STRING }, { hooks = { beforeCreate = 5 } }) end,
        "X.addHook: beforeCreate needs a function, got number" },
      { function() U:addHook("beforeCreate", 5) end, "User.addHook: beforeCreate needs a function, got number" },
      { function() Sequelize.where(nil, 1) end, "Sequelize.where: the left side must be an attribute name, a value or a "
        .. "Sequelize.col / fn / cast / literal / json, got nil" },
      { function() Sequelize.where(Sequelize.null, Op.is, Sequelize.null) end, "Sequelize.where: the left side must be" },
    }
    for _, c in ipairs(cases) do
      local err = support.catch_message(c[1])
      assert.are.equal("Error", err.name)
      assert.are.equal(1, err.message:find(c[2], 1, true), err.message)
    end
    assert.are.same({}, log)
    assert.is_nil(db.models.X)
    db:close()
  end)
end)

describe("an instance of another Sequelize instance's model of the same name", function()
  it("given to an accessor raises naming that, before any SQL", function()
    local function make()
      local db = Sequelize.new("sqlite::memory:")
      local U = db:define("User", { name = DataTypes.STRING })
      local P = db:define("Post", { t = DataTypes.STRING })
      U:hasMany(P)
      db:sync()
      return db, U, P
    end
    local db1, U1, P1 = make()
    local db2, _, P2 = make()
    local u, p = U1:create({ name = "a" }), P2:create({ t = "x" })
    local ok, e = pcall(u.addPost, u, p)
    assert.is_false(ok)
    assert.truthy(tostring(e):find("got an instance of Post of another Sequelize instance", 1, true), tostring(e))
    assert.are.equal(0, P1:count())
    db1:close()
    db2:close()
  end)
end)

describe("a table of conditions as a Sequelize.fn argument or a cast's value", function()
  it("raises, naming the model, when empty or naming no attribute; writes nothing in an update", function()
    local db = Sequelize.new("sqlite::memory:")
    local A = db:define("Airplane", { wings = DataTypes.INTEGER })
    db:sync()
    local a = A:create({ wings = 2 })
    local e = support.catch_message(function() A:findAll({ attributes = { { Sequelize.fn("SUM", {}), "n" } } }) end)
    assert.are.equal("Invalid Sequelize.fn argument in attributes of model Airplane: a table of conditions must not be empty",
      e.message)
    e = support.catch_message(function()
      A:findAll({ attributes = { { Sequelize.fn("SUM", Sequelize.cast({ bogus = 1 }, "int")), "n" } } })
    end)
    assert.truthy(e.message:find("'bogus'", 1, true) and e.message:find("Airplane", 1, true), e.message)
    support.catch_message(function() A:update({ wings = Sequelize.fn("abs", { bogus = 1 }) }, { where = { id = a.id } }) end)
    assert.are.equal(2, A:findByPk(a.id).wings)
    db:close()
  end)
end)
