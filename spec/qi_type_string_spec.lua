-- qi_type_string_spec: the query interface takes a SQL type string for a column
-- (createTable's `{ a = { type = "VARCHAR(20)" } }`, addColumn's `"INTEGER"`, changeColumn's
-- `{ type = "TEXT", allowNull = false }`), as Sequelize writes such a string into the DDL as
-- it is (migrations do, feeding describeTable's `type = "VARCHAR(255)"` back). Only a type
-- name passes (words, then at most one parenthesised list of one or two numbers): anything
-- that could be read as a constraint or another statement is refused, naming the table and
-- the column, with nothing written. define still refuses a string (API.md).
-- Expectations marked "Sequelize:" were printed by sequelize 6.37.8 + sqlite3.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local TYPES = { "VARCHAR(20)", "VARCHAR(255)", "DECIMAL(10, 2)", "DECIMAL(10,2)", "INTEGER UNSIGNED",
  "DOUBLE PRECISION", "TEXT", "INTEGER", "BIGINT", "DATETIME", "DATE", "BLOB", "TINYINT(1)", "varchar(20)",
  "CHAR(3)", "FLOAT", "REAL", "NUMERIC", "BOOLEAN", "TIMESTAMP WITH TIME ZONE", "UUID", "JSON",
  "VARCHAR BINARY(255)", "nvarchar(100)" }

local function names_sorted(n)
  local o = {}
  for i = 1, n do o[i] = ("c%02d"):format(i) end
  table.sort(o)
  return o
end

describe("queryInterface: a SQL type string", function()
  it("createTable writes each as it is, and describeTable gives it back (Sequelize)", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    local attrs = {}
    for i, t in ipairs(TYPES) do attrs[("c%02d"):format(i)] = { type = t } end
    qi:createTable("t", attrs)
    local parts = {}
    for _, name in ipairs(names_sorted(#TYPES)) do
      parts[#parts + 1] = ("`%s` %s"):format(name, TYPES[tonumber(name:sub(2))])
    end
    assert.are.equal("CREATE TABLE IF NOT EXISTS `t` (" .. table.concat(parts, ", ") .. ");", support.create_of(log, "t"))
    local d = qi:describeTable("t")
    for i, t in ipairs(TYPES) do
      -- Sequelize: {"type":"VARCHAR(20)","allowNull":true,"primaryKey":false,"unique":false}
      assert.are.same({ type = t, allowNull = true, primaryKey = false, unique = false }, d[("c%02d"):format(i)])
    end
  end)

  it("addColumn and changeColumn take one; changeColumn's string keeps NOT NULL (Object.assign)", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("t", { a = { type = "VARCHAR(20)", allowNull = false, defaultValue = "x" } })
    qi:addColumn("t", "b", "INTEGER")
    -- Sequelize: ALTER TABLE `t` ADD `b` INTEGER;
    assert.are.same({ "ALTER TABLE `t` ADD `b` INTEGER;" }, support.statements(log, "ALTER"))
    qi:changeColumn("t", "a", "TEXT")
    local d = qi:describeTable("t")
    assert.are.same({ type = "TEXT", allowNull = false, defaultValue = "x", primaryKey = false, unique = false }, d.a)
    qi:changeColumn("t", "b", { type = "DECIMAL(10, 2)", allowNull = false, defaultValue = 0 })
    d = qi:describeTable("t")
    assert.are.same({ type = "DECIMAL(10, 2)", allowNull = false, defaultValue = "0", primaryKey = false, unique = false }, d.b)
  end)

  it("the defaults, keys and constraints around a string type are Sequelize's", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("t", { id = { type = "INTEGER", primaryKey = true, autoIncrement = true },
      a = { type = "VARCHAR(20)", allowNull = false, defaultValue = "x" }, b = { type = "BOOLEAN", defaultValue = true },
      c = { type = "FLOAT", defaultValue = 1.5 }, d = { type = "BLOB", defaultValue = 5 }, e = { type = "DATETIME" } })
    -- Sequelize: (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` VARCHAR(20) NOT NULL DEFAULT 'x',
    -- `b` BOOLEAN DEFAULT 1, `c` FLOAT DEFAULT 1.5, `d` BLOB DEFAULT 5, `e` DATETIME)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `t` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`a` VARCHAR(20) NOT NULL DEFAULT 'x', `b` BOOLEAN DEFAULT 1, `c` FLOAT DEFAULT 1.5, `d` BLOB DEFAULT 5, "
      .. "`e` DATETIME);", support.create_of(log, "t"))
    -- Sequelize: a lone key whose type names INT is the rowid: INTEGER PRIMARY KEY [AUTOINCREMENT]
    qi:createTable("p1", { id = { type = "BIGINT", primaryKey = true, autoIncrement = true }, x = "VARCHAR(9)" })
    assert.are.equal("CREATE TABLE IF NOT EXISTS `p1` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `x` VARCHAR(9));",
      support.create_of(log, "p1"))
    qi:createTable("p2", { id = { type = "integer", primaryKey = true }, x = "VARCHAR(9)" })
    assert.are.equal("CREATE TABLE IF NOT EXISTS `p2` (`id` integer PRIMARY KEY, `x` VARCHAR(9));", support.create_of(log, "p2"))
    qi:createTable("p3", { id = { type = "VARCHAR(9)", primaryKey = true },
      x = { type = "VARCHAR(9)", defaultValue = "a", unique = true, allowNull = false } })
    assert.are.equal("CREATE TABLE IF NOT EXISTS `p3` (`id` VARCHAR(9) PRIMARY KEY, `x` VARCHAR(9) NOT NULL DEFAULT 'a' UNIQUE);",
      support.create_of(log, "p3"))
  end)

  it("describeTable's output goes back into createTable and changeColumn", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("t", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      a = { type = DataTypes.STRING(20), allowNull = false, defaultValue = "x" },
      n = { type = DataTypes.DECIMAL(10, 2) }, u = { type = DataTypes.STRING, unique = true } })
    local d = qi:describeTable("t")
    support.clear(log)
    qi:createTable("t2", d)
    -- Sequelize: (`id` INTEGER PRIMARY KEY, `a` VARCHAR(20) NOT NULL DEFAULT 'x', `n` DECIMAL(10,2), `u` VARCHAR(255))
    -- (describeTable reads unique from the indexes: sqlite's autoindex of a UNIQUE is one)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `t2` (`id` INTEGER PRIMARY KEY, `a` VARCHAR(20) NOT NULL DEFAULT 'x', "
      .. "`n` DECIMAL(10,2), `u` VARCHAR(255) UNIQUE);", support.create_of(log, "t2"))
    assert.are.same(d, qi:describeTable("t2"))
    local a = d.a
    a.type = "VARCHAR(40)"
    qi:changeColumn("t", "a", a)
    assert.are.same({ type = "VARCHAR(40)", allowNull = false, defaultValue = "x", primaryKey = false, unique = false },
      qi:describeTable("t").a)
  end)

  it("a column of a string type behaves as SQLite gives it: dates and blobs by its declared type", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("t", { id = { type = "INTEGER", primaryKey = true, autoIncrement = true },
      e = "DATETIME", d = "BLOB" })
    qi:bulkInsert("t", { { e = 0, d = "hi" } })
    -- Sequelize: INSERT ... VALUES ('1970-01-01 00:00:00.000 +00:00',X'6869')
    local r = support.raw(db, "SELECT e, typeof(d) AS k FROM t")
    assert.are.equal("1970-01-01 00:00:00.000 +00:00", r[1].e)
    assert.are.equal("blob", r[1].k)
    -- bulkInsert's attributes argument takes a string type too (nothing to convert)
    qi:bulkInsert("t", { { e = 0 } }, {}, { e = { type = "DATETIME" } })
  end)

  for _, bad in ipairs({ "TEXT); DROP TABLE t; --", "TEXT NOT NULL", "TEXT DEFAULT 5", "INTEGER PRIMARY KEY",
                         "TEXT REFERENCES u", "TEXT COLLATE NOCASE", "INTEGER AS (1)", "TEXT CHECK (1)",
                         "VARCHAR(1, 2, 3)", "VARCHAR(20) UNSIGNED", "VARCHAR('a')", "", " ", "9LIVES",
                         "TEXT\nNOT NULL", "VARCHAR(20)(30)", "TEXT UNIQUE", "TEXT CONSTRAINT c", "TEXT GENERATED",
                         -- (SQLite's column constraint DEFERRABLE: it makes the table's last
                         -- foreign key so far, another column's, deferred; the stored type is TEXT)
                         "TEXT DEFERRABLE INITIALLY DEFERRED", "TEXT deferrable" }) do
    it(("refuses %q, naming the table and the column, with nothing written"):format(bad), function()
      local db, log = support.open()
      local qi = db:getQueryInterface()
      local err = support.catch_message(function() qi:createTable("t", { a = { type = bad } }) end)
      assert.truthy(err.message:find("createTable: t.a: expected a DataTypes value or a SQL type name", 1, true), err.message)
      assert.are.same({}, support.tables(db))
      qi:createTable("u", { a = "TEXT" })
      local before = support.raw(db, "SELECT sql FROM sqlite_master WHERE name = 'u'")[1].sql
      support.clear(log)
      err = support.catch_message(function() qi:addColumn("u", "b", bad) end)
      if bad == "" then -- (JavaScript's falsy "": Sequelize's `!attribute` check)
        assert.are.equal("addColumn takes at least 3 arguments (table, attribute name, attribute definition)", err.message)
      else
        assert.truthy(err.message:find("addColumn: u.b: expected", 1, true), err.message)
      end
      err = support.catch_message(function() qi:changeColumn("u", "a", { type = bad, allowNull = false }) end)
      assert.truthy(err.message:find("changeColumn: u.a: expected", 1, true), err.message)
      assert.are.same({}, support.statements(log, "ALTER"))
      assert.are.same({}, support.statements(log, "CREATE"))
      assert.are.equal(before, support.raw(db, "SELECT sql FROM sqlite_master WHERE name = 'u'")[1].sql)
    end)
  end

  it("define still refuses a type string (API.md)", function()
    local db = support.open()
    local err = support.catch_message(function() db:define("M", { a = { type = "VARCHAR(20)" } }) end)
    assert.truthy(err.message:find("M.a: type must be a DataTypes value", 1, true), err.message)
  end)
end)
