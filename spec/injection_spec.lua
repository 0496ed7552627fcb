-- Injection: hostile strings as values, where keys, attribute names, order columns and
-- directions, include aliases, raw replacements, model and table names. Each one is stored and
-- matched verbatim, or refused with an error object; none is ever executed. Proof: a canary
-- table survives every test, and the logged SQL never carries a hostile value (values are bound)
-- and carries hostile names only inside quoted identifiers.
-- Where Sequelize itself differs (it strips backticks from identifiers, splices replacements into
-- the text), the rule of API.md wins: "Every value is bound as a parameter, never spliced".
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

local NUL = string.char(0)

-- Strings an attacker would send. Each one mentions the canary, so that any statement that
-- executed it would show in the canary check.
local HOSTILE = {
  "'; DROP TABLE canary; --",
  "\"; DROP TABLE canary; --",
  "`; DROP TABLE canary; --",
  "Robert'); DROP TABLE canary;--",
  "x' OR '1'='1' -- canary",
  "1 OR 1=1; DELETE FROM canary",
  "') UNION SELECT secret FROM canary --",
  "' || (SELECT secret FROM canary) || '",
  "*/ DROP TABLE canary /*",
  "\\'; DROP TABLE canary; --",
  "ATTACH DATABASE ':memory:' AS pwn; -- canary",
  "?; DROP TABLE canary",
  ":name; DROP TABLE canary",
  "$1; DROP TABLE canary",
  "@p; DROP TABLE canary",
  "canary`) VALUES (1); DROP TABLE canary; --",
  "canary\nDROP TABLE canary;\r\n",
  "canary \226\128\174 \240\159\152\128 \195\169",            -- RTL override, emoji, e-acute
  ("'\"`; DROP TABLE canary; "):rep(400),                     -- 10 KB of quotes
}
-- The same with an embedded NUL: C code that stops at the NUL would see a different string.
local HOSTILE_NUL = "canary" .. NUL .. "'; DROP TABLE canary; --"

-- an error object with a string name and message
local function catch(fn, ...)
  local err = support.catch_error(fn, ...)
  assert.are.equal("string", type(err.name))
  assert.are.equal("string", type(err.message))
  return err
end

-- Run Lua code in a child process (same interpreter, same environment), so that a crash is a
-- failed assertion instead of the end of the test run. Returns its output and exit code.
local function run_isolated(code)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(code)
  f:close()
  local interp = jit and "luajit" or "lua5.4"
  local p = io.popen(interp .. " " .. path .. " 2>&1; echo \"EXIT:$?\"")
  local out = p:read("*a")
  p:close()
  os.remove(path)
  local exit = tonumber(out:match("EXIT:(%d+)%s*$"))
  return out, exit
end

local function plain(s) return (s:gsub("%z", "\\0")) end

-- The SQL text with every `quoted identifier` and 'string literal' removed.
local function strip_quoted(sql)
  local out, i, n = {}, 1, #sql
  while i <= n do
    local c = sql:sub(i, i)
    if c == "`" or c == "'" or c == '"' then
      local j = i + 1
      while j <= n do
        if sql:sub(j, j) == c then
          if sql:sub(j + 1, j + 1) == c then j = j + 2 else break end
        else
          j = j + 1
        end
      end
      out[#out + 1] = " Q "
      i = j + 1
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
  return table.concat(out)
end

describe("injection", function()
  local db, log, Users

  local function sqls()
    local out = {}
    for _, m in ipairs(log) do out[#out + 1] = m:match("^Executing %(.-%): (.*)$") or m end
    return out
  end

  -- The canary: its table, its one row, and the schema are untouched.
  local function assert_canary()
    local rows = db:query("SELECT secret FROM canary", { logging = false })
    assert.are.equal(1, #rows)
    assert.are.equal("s3cr3t", rows[1].secret)
    local t = db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('canary', 'Users')",
      { logging = false })
    assert.are.equal(2, #t)
    local dbs = db:query("PRAGMA database_list", { logging = false })
    for _, d in ipairs(dbs) do assert.are_not.equal("pwn", d.name) end
  end

  -- No logged statement carries `s` (a value must be bound, not written into the text).
  local function assert_not_in_sql(s)
    for _, sql in ipairs(sqls()) do
      assert.is_nil(sql:find(s, 1, true), "value spliced into SQL: " .. sql:sub(1, 200))
    end
  end

  -- Outside quoted identifiers, no statement says DROP, DELETE FROM canary, UNION or ATTACH.
  local function assert_only_quoted()
    for _, sql in ipairs(sqls()) do
      local bare = strip_quoted(sql):upper()
      if bare:match("^DROP TABLE IF EXISTS%s+Q%s*;?%s*$") then bare = "" end  -- Model:drop()
      for _, bad in ipairs({ "DROP", "CANARY", "UNION", "ATTACH", "--", "/*" }) do
        assert.is_nil(bare:find(bad, 1, true), "'" .. bad .. "' outside quotes in: " .. sql:sub(1, 300))
      end
    end
  end

  before_each(function()
    log = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(msg)
      log[#log + 1] = tostring(msg)
    end })
    db:query("CREATE TABLE canary (secret TEXT)")
    db:query("INSERT INTO canary (secret) VALUES ('s3cr3t')")
    Users = db:define("Users", {
      name  = DataTypes.STRING,
      bio   = DataTypes.TEXT,
      score = DataTypes.INTEGER,
      meta  = DataTypes.JSON,
      data  = DataTypes.BLOB,
    })
    db:sync()
    log = {}
  end)

  after_each(function()
    assert_canary()
    db:close()
  end)

  describe("values", function()
    it("are stored and read back verbatim, and never appear in the SQL text", function()
      local all = {}
      for i, s in ipairs(HOSTILE) do all[i] = s end
      all[#all + 1] = HOSTILE_NUL
      for i, s in ipairs(all) do
        local u = Users:create({ name = s, bio = s, meta = { s = s }, data = s, score = i })
        local back = Users:findByPk(u.id)
        assert.are.equal(s, back.name, "name " .. i)
        assert.are.equal(s, back.bio, "bio " .. i)
        assert.are.equal(s, back.data, "blob " .. i)
        assert.are.equal(s, back.meta.s, "json " .. i)
      end
      assert.are.equal(#all, Users:count())
      for _, s in ipairs(all) do assert_not_in_sql(s) end
    end)

    it("match exactly in where (=, ne, in, like, Sequelize.where), and nothing else matches", function()
      for i, s in ipairs(HOSTILE) do Users:create({ name = s, score = i }) end
      Users:create({ name = "plain", score = 0 })
      for i, s in ipairs(HOSTILE) do
        local rows = Users:findAll({ where = { name = s } })
        assert.are.equal(1, #rows, plain(s):sub(1, 60))
        assert.are.equal(i, rows[1].score)
        assert.are.equal(1, Users:count({ where = { name = { [Op.eq] = s } } }))
        assert.are.equal(#HOSTILE, Users:count({ where = { name = { [Op.ne] = s } } }))
        assert.are.equal(1, Users:count({ where = Sequelize.where(Sequelize.col("name"), s) }))
        if not s:find("[%%_]") then
          assert.are.equal(1, Users:count({ where = { name = { [Op.like] = s } } }))
        end
      end
      local rows = Users:findAll({ where = { name = { [Op["in"]] = { HOSTILE[1], HOSTILE[2], "nope" } } },
        order = { { "score", "ASC" } } })
      assert.are.equal(2, #rows)
      assert.are.equal(HOSTILE[1], rows[1].name)
      assert.are.equal(HOSTILE[2], rows[2].name)
      -- a hostile value that matches nothing finds nothing (no OR 1=1 effect)
      assert.are.equal(0, Users:count({ where = { name = "x' OR '1'='1" } }))
      assert.are.equal(0, Users:count({ where = { name = { [Op.startsWith] = "x' OR 1=1 --" } } }))
      assert.are.equal(1, Users:count({ where = { name = { [Op.startsWith] = "Robert'); DROP" } } }))
      assert.are.equal(1, Users:count({ where = { name = { [Op.endsWith] = "DELETE FROM canary" } } }))
      for _, s in ipairs(HOSTILE) do assert_not_in_sql(s) end
    end)

    it("with an embedded NUL match the whole string, not the part before the NUL", function()
      Users:create({ name = HOSTILE_NUL, score = 1 })
      Users:create({ name = "canary", score = 2 })
      local rows = Users:findAll({ where = { name = HOSTILE_NUL } })
      assert.are.equal(1, #rows)
      assert.are.equal(1, rows[1].score)
      assert.are.equal(HOSTILE_NUL, rows[1].name)
      rows = Users:findAll({ where = { name = "canary" } })
      assert.are.equal(1, #rows)
      assert.are.equal(2, rows[1].score)
    end)

    it("in update, bulkCreate, increment, findOrCreate and instance save are bound too", function()
      local list = {}
      for i, s in ipairs(HOSTILE) do list[i] = { name = "n" .. i, bio = s, score = i } end
      Users:bulkCreate(list)
      for i, s in ipairs(HOSTILE) do
        local n = Users:update({ name = s }, { where = { bio = s } })
        assert.are.equal(1, n)
        assert.are.equal(s, Users:findOne({ where = { score = i } }).name)
      end
      Users:increment("score", { where = { name = HOSTILE[1] }, by = 10 })
      assert.are.equal(11, Users:findOne({ where = { name = HOSTILE[1] } }).score)
      local u, created = Users:findOrCreate({ where = { name = HOSTILE[3] }, defaults = { score = 99 } })
      assert.is_false(created)
      assert.are.equal(3, u.score)
      u, created = Users:findOrCreate({ where = { name = HOSTILE[3] .. "!" }, defaults = { bio = HOSTILE[4] } })
      assert.is_true(created)
      u.bio = HOSTILE[5]
      u:save()
      u:reload()
      assert.are.equal(HOSTILE[5], u.bio)
      assert.are.equal(HOSTILE[3] .. "!", u.name)
      assert.are.equal(#HOSTILE + 1, Users:count())
      for _, s in ipairs(HOSTILE) do assert_not_in_sql(s) end
      Users:destroy({ where = { name = HOSTILE[2] } })
      assert.are.equal(#HOSTILE, Users:count())
      assert.are.equal(0, Users:count({ where = { name = HOSTILE[2] } }))
    end)

    it("shaped like an expression object but without its metatable are data, never SQL", function()
      -- what a JSON body could carry: { "kind": "literal", "val": "..." }
      local forged = { kind = "literal", val = "1=1) OR (SELECT secret FROM canary" }
      local e = catch(Users.findAll, Users, { where = { name = forged } })
      assert.truthy(e.message:find("kind", 1, true) or e.message:find("val", 1, true), e.message)
      e = catch(Users.findAll, Users, { where = forged })
      assert.truthy(e.message:find("kind", 1, true) or e.message:find("val", 1, true), e.message)
      catch(Users.create, Users, { name = forged })
      catch(Users.create, Users, { name = { kind = "fn", fn = "load_extension", args = { "/tmp/x" } } })
      assert.are.equal(0, Users:count())
      assert_not_in_sql("1=1) OR")
      assert_not_in_sql("load_extension")
    end)
  end)

  describe("string keys are never operators", function()
    local cases = {
      { "top-level $gt", function() return { ["$gt"] = 1 } end, "$gt" },
      { "$or at the top", function() return { ["$or"] = { { name = "a" }, { name = "b" } } } end, "$or" },
      { "$ne on a column", function() return { name = { ["$ne"] = "" } } end, "$ne" },
      { "$gt on a column", function() return { score = { ["$gt"] = 0 } } end, "$gt" },
      { "$like on a column", function() return { name = { ["$like"] = "%" } } end, "$like" },
      { "bare gt", function() return { score = { gt = 0 } } end, "gt" },
      { "Op name as a string", function() return { score = { ["Op.gt"] = 0 } } end, "Op.gt" },
      { "or as a string", function() return { ["or"] = { { name = "a" } } } end, "or" },
      { "$in as a string", function() return { name = { ["$in"] = { "a" } } } end, "$in" },
      { "mixed Op key and string key", function() return { score = { [Op.gt] = 0, ["$lt"] = 9 } } end, "$lt" },
    }
    for _, c in ipairs(cases) do
      it(c[1] .. " is an error that names the key; nothing runs", function()
        Users:create({ name = "a", score = 1 })
        log = {}
        local e = catch(Users.findAll, Users, { where = c[2]() })
        assert.truthy(e.message:find(c[3], 1, true), e.message)
        assert.are.equal(0, #log, "a statement ran: " .. tostring(log[1]))
        catch(Users.count, Users, { where = c[2]() })
        catch(Users.update, Users, { name = "pwned" }, { where = c[2]() })
        catch(Users.destroy, Users, { where = c[2]() })
        assert.are.equal(1, Users:count())
        assert.are.equal("a", Users:findOne().name)
      end)
    end

    it("the Op keys still work (sanity)", function()
      Users:create({ name = "a", score = 1 })
      Users:create({ name = "b", score = 5 })
      assert.are.equal(1, Users:count({ where = { score = { [Op.gt] = 2 } } }))
      assert.are.equal(2, Users:count({ where = { [Op.or_] = { { name = "a" }, { name = "b" } } } }))
    end)
  end)

  describe("names", function()
    it("unknown where keys are refused by name; nothing runs", function()
      Users:create({ name = "a" })
      for _, s in ipairs(HOSTILE) do
        log = {}
        local e = catch(Users.findAll, Users, { where = { [s] = 1 } })
        assert.truthy(e.message:find(s:sub(1, 40), 1, true), e.message:sub(1, 200))
        assert.are.equal(0, #log)
      end
      assert.are.equal(1, Users:count())
    end)

    it("attributes naming unknown columns are refused; hostile aliases come back verbatim", function()
      Users:create({ name = "a", score = 7 })
      for _, s in ipairs(HOSTILE) do
        log = {}
        local e = catch(Users.findAll, Users, { attributes = { s } })
        assert.truthy(e.message:find(s:sub(1, 40), 1, true), e.message:sub(1, 200))
        assert.are.equal(0, #log)
        local rows = Users:findAll({ attributes = { { "score", s } }, raw = true })
        assert.are.equal(1, #rows)
        assert.are.equal(7, rows[1][s])
        local agg = Users:findAll({ attributes = { { Sequelize.fn("MAX", Sequelize.col("score")), s } }, raw = true })
        assert.are.equal(7, agg[1][s])
      end
      assert_only_quoted()
    end)

    it("unknown keys given to create, build and update are ignored, never written into SQL", function()
      for i, s in ipairs(HOSTILE) do
        local u = Users:create({ [s] = "x", name = "n" .. i })
        assert.are.equal("n" .. i, Users:findByPk(u.id).name)
        Users:update({ [s] = "y", score = i }, { where = { id = u.id } })
        assert.are.equal(i, Users:findByPk(u.id).score)
      end
      assert.are.equal(#HOSTILE, Users:count())
      assert_only_quoted()
    end)

    it("order columns are refused by name; hostile directions are refused", function()
      Users:create({ name = "a", score = 1 })
      Users:create({ name = "b", score = 2 })
      for _, s in ipairs(HOSTILE) do
        log = {}
        local e = catch(Users.findAll, Users, { order = { { s, "ASC" } } })
        assert.truthy(e.message:find(s:sub(1, 40), 1, true), e.message:sub(1, 200))
        catch(Users.findAll, Users, { order = { s } })
        catch(Users.findAll, Users, { order = s })
        e = catch(Users.findAll, Users, { order = { { "name", s } } })
        assert.truthy(e.message:find("direction", 1, true) or e.message:find(s:sub(1, 40), 1, true), e.message)
        assert.are.equal(0, #log)
      end
      for _, dir in ipairs({ "ASC; DROP TABLE canary", "DESC, (SELECT secret FROM canary)", "ASC --",
                             "DESC NULLS LAST; DELETE FROM canary", "RANDOM()", "" }) do
        local e = catch(Users.findAll, Users, { order = { { "score", dir } } })
        assert.truthy(e.message:find("direction", 1, true), e.message)
      end
      -- valid directions still work
      local rows = Users:findAll({ order = { { "score", "DESC" } } })
      assert.are.equal("b", rows[1].name)
    end)

    it("group columns are refused by name, and the error says group", function()
      for _, s in ipairs(HOSTILE) do
        log = {}
        local e = catch(Users.findAll, Users, { attributes = { "name" }, group = { s } })
        assert.truthy(e.message:find(s:sub(1, 40), 1, true), e.message:sub(1, 200))
        assert.truthy(e.message:find("group", 1, true), "the message should name the group option: " .. e.message:sub(1, 120))
        assert.are.equal(0, #log)
      end
    end)

    it("Sequelize.col quotes each part: a hostile column is a database error, never SQL", function()
      for _, s in ipairs(HOSTILE) do
        local e = catch(Users.findAll, Users, { attributes = { { Sequelize.col(s), "x" } } })
        assert.truthy(e.name == "SequelizeDatabaseError" or e.name == "Error", e.name)
        catch(Users.findAll, Users, { order = { { Sequelize.col(s), "ASC" } } })
        catch(Users.findAll, Users, { where = Sequelize.where(Sequelize.col(s), "x") })
      end
      assert_only_quoted()
    end)

    it("Sequelize.fn refuses function names that are not identifiers", function()
      for _, s in ipairs(HOSTILE) do
        log = {}
        local e = catch(Users.findAll, Users, { attributes = { { Sequelize.fn(s, Sequelize.col("id")), "x" } } })
        assert.truthy(e.message:find("fn", 1, true) or e.message:find("function", 1, true), e.message:sub(1, 200))
        assert.are.equal(0, #log)
      end
    end)

    it("include aliases that do not exist are refused; nothing runs", function()
      local Posts = db:define("Posts", { title = DataTypes.STRING })
      Users:hasMany(Posts)
      db:sync()
      log = {}
      for _, s in ipairs(HOSTILE) do
        local e = catch(Users.findAll, Users, { include = s })
        -- Sequelize: Association with alias "x" does not exist on Users
        assert.truthy(e.message:find(s:sub(1, 40), 1, true), e.message:sub(1, 200))
        catch(Users.findAll, Users, { include = { { model = Posts, as = s } } })
        catch(Users.findAll, Users, { include = { { association = s } } })
        catch(Users.findAll, Users, { where = { ["$" .. s .. ".title$"] = "x" }, include = Posts })
      end
      assert.are.equal(0, #log)
    end)

    it("hostile association aliases work verbatim in create, include, where and order", function()
      local Posts = db:define("Posts", { title = DataTypes.STRING })
      local A = "p`; DROP TABLE canary; --"
      Users:hasMany(Posts, { as = A })
      db:sync()
      Users:create({ name = "u", [A] = { { title = "t1" }, { title = "t2" } } }, { include = A })
      assert.are.equal(2, Posts:count())
      local rows = Users:findAll({ include = A, where = { ["$" .. A .. ".title$"] = "t1" } })
      assert.are.equal(1, #rows)
      rows = Users:findAll({ include = { { model = Posts, as = A } }, order = { { A, "title", "DESC" } } })
      assert.are.equal(1, #rows)
      assert.are.equal(2, #rows[1][A])
      assert.are.equal("t2", rows[1][A][1].title)
      assert.truthy(Sequelize.stringify(rows):find('"p`; DROP TABLE canary; --":[', 1, true))
      assert_only_quoted()
    end)

    it("hostile model, table and attribute names are stored and used verbatim", function()
      local names = {
        "x`; DROP TABLE canary; --", "a\"b canary", "c'd canary", "e]f[ canary", "g) VALUES (1); DROP TABLE canary; --",
        "i.j", "k l", "\195\169\240\159\152\128", "?", ":n", "@p", "$1", "id` = 1 OR 1=1 --",
      }
      local attrs = {}
      for _, h in ipairs(names) do attrs[h] = DataTypes.STRING end
      local table_name = "tbl`; DROP TABLE canary; --"
      local M = db:define("M`; DROP TABLE canary; --", attrs, { tableName = table_name })
      assert.are.equal("M`; DROP TABLE canary; --", M.name)
      assert.are.equal(table_name, M.tableName)
      assert.are.equal(M, db.models["M`; DROP TABLE canary; --"])
      M:sync()
      local cols = {}
      for _, c in ipairs(db:query("SELECT name FROM pragma_table_info(?)", { replacements = { table_name } })) do
        cols[c.name] = true
      end
      for _, h in ipairs(names) do assert.is_true(cols[h] == true, "column " .. h) end
      local values = {}
      for i, h in ipairs(names) do values[h] = "v" .. i end
      M:create(values)
      for i, h in ipairs(names) do
        local rows = M:findAll({ where = { [h] = "v" .. i }, attributes = { "id", h }, order = { { h, "DESC" } } })
        assert.are.equal(1, #rows, h)
        assert.are.equal("v" .. i, rows[1][h])
      end
      assert.are.equal(1, M:update({ [names[1]] = "changed" }, { where = { [names[2]] = "v2" } }))
      local r = M:findOne()
      assert.are.equal("changed", r[names[1]])
      r[names[5]] = "saved"
      r:save()
      r:reload()
      assert.are.equal("saved", r[names[5]])
      local json = Sequelize.stringify(r)
      assert.truthy(json:find('"x`; DROP TABLE canary; --":"changed"', 1, true), json)
      assert.are.equal(1, M:destroy({ where = { [names[3]] = "v3" } }))
      assert.are.equal(0, M:count())
      assert_only_quoted()
    end)

    it("hostile model names with freezeTableName are the table name, verbatim", function()
      for i, s in ipairs(HOSTILE) do
        if #s < 200 then
          local M = db:define(s, { v = DataTypes.INTEGER }, { freezeTableName = true })
          assert.are.equal(s, M.name)
          assert.are.equal(s, M.tableName)
          M:sync()
          M:create({ v = i })
          assert.are.equal(i, M:findOne({ where = { v = i } }).v)
          local t = db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", { replacements = { s } })
          assert.are.equal(1, #t)
          M:drop()
        end
      end
      assert_only_quoted()
    end)

    it("hostile defaultValue strings are escaped in the DDL and stored verbatim", function()
      for i, s in ipairs(HOSTILE) do
        local M = db:define("D" .. i, { v = { type = DataTypes.STRING, defaultValue = s } }, { tableName = "d" .. i })
        M:sync()
        local row = M:create({})
        row:reload()
        assert.are.equal(s, row.v)
        -- the default in the schema, as SQLite fills it in for a raw insert
        db:query("INSERT INTO d" .. i .. " (createdAt, updatedAt) VALUES ('2020-01-01', '2020-01-01')")
        local raw = db:query("SELECT v FROM d" .. i .. " ORDER BY id DESC LIMIT 1")
        assert.are.equal(s, raw[1].v)
      end
    end)

    describe("with an embedded NUL", function()
      local function whole_or_refused(fn, check)
        local ok, res = pcall(fn)
        if ok then
          check(res)
        else
          assert.are.equal("table", type(res), "error should be an error object, got: " .. tostring(res))
        end
      end

      it("a model name is refused or kept whole, never cut at the NUL", function()
        whole_or_refused(function() return db:define("Users" .. NUL .. "x", { v = DataTypes.STRING }) end,
          function(M) assert.are.equal("Users" .. NUL .. "x", M.name) end)
        -- the first Users model is untouched either way
        Users:create({ name = "a" })
        assert.are.equal("a", db:model("Users"):findOne().name)
      end)

      it("a table name is refused or kept whole", function()
        whole_or_refused(function()
          local M = db:define("T1", { v = DataTypes.STRING }, { tableName = "t1" .. NUL .. "; DROP TABLE canary" })
          M:sync()
          return M
        end, function(M)
          assert.are.equal("t1" .. NUL .. "; DROP TABLE canary", M.tableName)
          assert.are.equal(0, #db:query("SELECT name FROM sqlite_master WHERE name = 't1'"))
        end)
      end)

      it("an attribute name is refused or kept whole", function()
        whole_or_refused(function() return db:define("T2", { ["v" .. NUL .. "w"] = DataTypes.STRING }) end,
          function(M)
            assert.is_nil(M.rawAttributes.v, "attribute name was cut at the NUL")
            assert.is_not_nil(M.rawAttributes["v" .. NUL .. "w"])
          end)
      end)

      it("where, order, attributes and include keys that extend a real name are refused", function()
        -- run in a child process: a C lookup that stops at the NUL could read past the name
        local out, code = run_isolated([[
          local Sequelize = require("sequelua")
          local db = Sequelize.new("sqlite::memory:")
          local Users = db:define("Users", { name = Sequelize.DataTypes.STRING, score = Sequelize.DataTypes.INTEGER })
          db:sync()
          Users:create({ name = "a", score = 1 })
          local NUL = string.char(0)
          local cases = {
            function() return Users:findAll({ where = { ["name" .. NUL .. "; DROP TABLE canary"] = "a" } }) end,
            function() return Users:findAll({ order = { { "name" .. NUL .. "; DROP", "ASC" } } }) end,
            function() return Users:findAll({ attributes = { "name" .. NUL .. "; DROP" } }) end,
            function() return Users:findAll({ include = "x" .. NUL .. "y" }) end,
            function() return Users:max("score" .. NUL .. "x") end,
            function() return Users:increment("score" .. NUL .. "x", { where = { id = 1 } }) end,
            function() return Users:update({ ["name" .. NUL .. "x"] = "b" }, { where = { id = 1 } }) end,
          }
          for i, f in ipairs(cases) do
            local ok, e = pcall(f)
            print(("case %d %s %s"):format(i, ok and "ok" or "err", type(e) == "table" and tostring(e.name) or type(e)))
          end
          print("name " .. Users:findByPk(1).name)
        ]])
        assert.are.equal(0, code, "child died: " .. out)
        for i = 1, 6 do
          assert.truthy(out:find("case " .. i .. " err ", 1, true), "case " .. i .. " was not refused: " .. out)
          assert.is_nil(out:find("case " .. i .. " err string", 1, true), "case " .. i .. ": not an error object: " .. out)
        end
        -- an unknown key in update values is ignored: the row keeps its name
        assert.truthy(out:find("name a", 1, true), out)
      end)
    end)
  end)

  describe("raw query replacements", function()
    it("are bound: each hostile string comes back verbatim through ?, :name and $1", function()
      local all = {}
      for i, s in ipairs(HOSTILE) do all[i] = s end
      all[#all + 1] = HOSTILE_NUL
      for _, s in ipairs(all) do
        local rows = db:query("SELECT ? AS v, '?' AS q", { replacements = { s } })
        assert.are.equal(s, rows[1].v)
        assert.are.equal("?", rows[1].q)
        rows = db:query("SELECT :x AS v, ':x' AS q", { replacements = { x = s } })
        assert.are.equal(s, rows[1].v)
        assert.are.equal(":x", rows[1].q)
        rows = db:query("SELECT $1 AS v", { bind = { s } })
        assert.are.equal(s, rows[1].v)
        db:query("INSERT INTO canary (secret) VALUES (?)", { replacements = { s } })
        local n = db:query("SELECT count(*) AS c FROM canary WHERE secret = ?", { replacements = { s } })
        assert.are.equal(1, n[1].c)
        db:query("DELETE FROM canary WHERE secret = ?", { replacements = { s } })
        assert_not_in_sql(s)
      end
    end)

    it("a second statement is refused, with or without replacements", function()
      for _, sql in ipairs({ "SELECT 1; DROP TABLE canary", "SELECT 1;DROP TABLE canary;",
                             "SELECT ?; DROP TABLE canary", "SELECT 1 -- x\n; DELETE FROM canary" }) do
        local e = catch(db.query, db, sql, { replacements = { 1 } })
        assert.truthy(e.message:find("one statement", 1, true) or e.name == "SequelizeDatabaseError", e.message)
      end
      local e = catch(db.query, db, "SELECT 1" .. NUL .. "; DROP TABLE canary")
      assert.are.equal("table", type(e))
    end)

    it("a list as a replacement becomes bound parameters, never SQL text", function()
      -- (Sequelize writes a list into the text as escaped literals: IN ('a', 'b'))
      local rows = db:query("SELECT * FROM canary WHERE secret IN (?)",
        { replacements = { { "s3cr3t') OR 1=1 --", "x" } } })
      assert.are.equal(0, #rows)
      local all = {}
      for i, s in ipairs(HOSTILE) do all[i] = s end
      all[#all + 1] = HOSTILE_NUL
      rows = db:query("SELECT count(*) AS c FROM canary WHERE secret IN (:xs) OR secret IN (VALUES :pairs)",
        { replacements = { xs = all, pairs = { { all[1] }, { all[2] } } }, type = "SELECT" })
      assert.are.equal(0, rows[1].c)
      for _, s in ipairs(all) do assert_not_in_sql(s) end
      assert_not_in_sql("s3cr3t') OR")
    end)

    it("a function, a map or an expression as a replacement is refused, not expanded into SQL", function()
      catch(db.query, db, "SELECT ?", { replacements = { print } })
      catch(db.query, db, "SELECT :x", { replacements = { x = { a = "1) OR 1=1 --" } } })
      catch(db.query, db, "SELECT :x", { replacements = { x = { Sequelize.literal("1) OR 1=1 --") } } })
      catch(db.query, db, "SELECT $x", { bind = { x = { 1 } } })
      assert_not_in_sql("1) OR 1=1")
    end)
  end)
end)

describe("referential actions", function()
  it("an association's onDelete / onUpdate is one of SQL's actions, or refused before any DDL", function()
    local db = Sequelize.new("sqlite::memory:")
    db:query("CREATE TABLE victim (a)")
    local X = db:define("X", { n = DataTypes.STRING })
    local Y = db:define("Y", { m = DataTypes.STRING })
    for _, kind in ipairs({ "hasMany", "hasOne", "belongsTo" }) do
      for _, opt in ipairs({ "onDelete", "onUpdate" }) do
        local err = support.catch(function() X[kind](X, Y, { [opt] = "CASCADE); DROP TABLE victim; --" }) end)
        assert.truthy(err.message:find("X." .. kind .. ": " .. opt .. " must be one of CASCADE, SET NULL", 1, true),
          err.message)
        err = support.catch(function() X[kind](X, Y, { [opt] = 5 }) end)
        assert.truthy(err.message:find("must be one of", 1, true))
      end
    end
    local err = support.catch(function() X:belongsToMany(Y, { through = "XY", onDelete = "x; DROP TABLE victim" }) end)
    assert.truthy(err.message:find("onDelete must be one of", 1, true))
    X:hasMany(Y, { onDelete = "set null" }) -- (any case, as Sequelize takes it)
    db:sync()
    assert.are.equal(0, #db:query("SELECT * FROM victim"))
    local ddl = db:query("SELECT sql FROM sqlite_master WHERE name = 'Ys'")[1].sql
    assert.truthy(ddl:find("ON DELETE SET NULL", 1, true), ddl)
    db:close()
  end)
end)
