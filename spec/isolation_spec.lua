-- isolation_spec: db:transaction{ isolationLevel = ... } (and the constructor's isolationLevel)
-- runs, after BEGIN, the statement Sequelize's sqlite dialect runs for it: PRAGMA
-- read_uncommitted = ON for READ UNCOMMITTED, = OFF for READ COMMITTED, a comment line for
-- REPEATABLE READ and SERIALIZABLE; a savepoint runs nothing for it. The PRAGMA's state does
-- not outlive the transaction (Sequelize's transaction on a database file has a connection of
-- its own: the next one, and the queries outside it, see the value the connection had before).
-- Expectations marked "Sequelize:" were printed by sequelize 6.37.8 + sqlite3 on a file.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function open(extra)
  local path = os.tmpname()
  local log = {}
  local o = { dialect = "sqlite", storage = path, logging = function(m) log[#log + 1] = m end }
  for k, v in pairs(extra or {}) do o[k] = v end
  return Sequelize.new(o), log, path
end

local function sqls(log)
  local o = {}
  for _, m in ipairs(log) do o[#o + 1] = support.sql_of(m) end
  return o
end

local function ru(db, t)
  return (db:query("PRAGMA read_uncommitted", { transaction = t, logging = false }))[1].read_uncommitted
end

describe("transaction isolationLevel", function()
  local db, log, path
  before_each(function() db, log, path = open() end)
  after_each(function() db:close(); os.remove(path) end)

  local CASES = {
    { "READ UNCOMMITTED", "PRAGMA read_uncommitted = ON;", 1 },
    { "READ COMMITTED", "PRAGMA read_uncommitted = OFF;", 0 },
    { "REPEATABLE READ", "-- SQLite is not able to choose the isolation level REPEATABLE READ.", 0 },
    { "SERIALIZABLE", "-- SQLite's default isolation level is SERIALIZABLE. Nothing to do.", 0 },
  }
  for _, c in ipairs(CASES) do
    it(c[1] .. ": its statement after BEGIN, in t.options, and nothing left after", function()
      local t = db:transaction{ isolationLevel = c[1] }
      assert.are.equal(c[1], t.options.isolationLevel)
      assert.are.equal(c[3], ru(db, t))
      t:commit()
      -- Sequelize: BEGIN DEFERRED TRANSACTION; <statement>; COMMIT; with the transaction's id
      assert.are.same({ "BEGIN DEFERRED TRANSACTION;", c[2], "COMMIT;" }, sqls(log))
      assert.truthy(log[2]:find("^Executing %(" .. t.id:gsub("%-", "%%-") .. "%): "))
      assert.are.equal(0, ru(db))
      local t2 = db:transaction()
      assert.is_nil(t2.options.isolationLevel)
      assert.are.equal(0, ru(db, t2)) -- Sequelize: 0 (a new connection)
      t2:commit()
    end)
  end

  it("a managed transaction that raises rolls back, and resets the PRAGMA too", function()
    local ok = pcall(db.transaction, db, { isolationLevel = Sequelize.Transaction.ISOLATION_LEVELS.READ_UNCOMMITTED },
      function() error("x", 0) end)
    assert.is_false(ok)
    assert.are.same({ "BEGIN DEFERRED TRANSACTION;", "PRAGMA read_uncommitted = ON;", "ROLLBACK;" }, sqls(log))
    assert.are.equal(0, ru(db))
  end)

  it("with type: BEGIN IMMEDIATE, then the PRAGMA", function()
    local t = db:transaction{ type = "IMMEDIATE", isolationLevel = "READ UNCOMMITTED" }
    t:commit()
    assert.are.same({ "BEGIN IMMEDIATE TRANSACTION;", "PRAGMA read_uncommitted = ON;", "COMMIT;" }, sqls(log))
  end)

  it("a savepoint keeps it in its options and runs nothing for it (Sequelize)", function()
    db:transaction(function(t)
      db:transaction({ transaction = t, isolationLevel = "READ UNCOMMITTED" }, function(t2)
        assert.are.equal("READ UNCOMMITTED", t2.options.isolationLevel)
      end)
    end)
    for _, s in ipairs(sqls(log)) do assert.is_nil(s:find("PRAGMA", 1, true)) end
  end)

  it("the connection's read_uncommitted set before the transaction is what it has after it", function()
    -- Sequelize 6.37.8 on a file: PRAGMA read_uncommitted = ON on the default connection, then a
    -- READ COMMITTED transaction (its own connection, = OFF): the default one reads 1 after it
    db:query("PRAGMA read_uncommitted = ON")
    for _, level in ipairs({ "READ COMMITTED", "READ UNCOMMITTED" }) do
      db:transaction({ isolationLevel = level }, function(t)
        assert.are.equal(level == "READ COMMITTED" and 0 or 1, ru(db, t))
      end)
      assert.are.equal(1, ru(db))
    end
    pcall(db.transaction, db, { isolationLevel = "READ COMMITTED" }, function() error("x") end)
    assert.are.equal(1, ru(db))
    db:query("PRAGMA read_uncommitted = OFF")
    local t = db:transaction{ isolationLevel = "READ UNCOMMITTED" }
    assert.are.equal(1, ru(db, t))
    t:rollback()
    assert.are.equal(0, ru(db))
    -- (the read is not logged: the transaction's statements are Sequelize's)
    support.clear(log)
    db:transaction({ isolationLevel = "READ COMMITTED" }, function() end)
    assert.are.same({ "BEGIN DEFERRED TRANSACTION;", "PRAGMA read_uncommitted = OFF;", "COMMIT;" }, sqls(log))
  end)

  it("an unknown level raises Sequelize's message before anything runs", function()
    local err = support.catch_message(function() db:transaction{ isolationLevel = "BOGUS" } end)
    assert.are.equal("Unknown isolation level: BOGUS", err.message)
    assert.are.same({}, sqls(log))
  end)
end)

describe("the constructor's isolationLevel", function()
  it("is every transaction's default, findOrCreate's too; a create runs none (Sequelize)", function()
    local db, log, path = open{ isolationLevel = "READ COMMITTED" }
    local t = db:transaction()
    assert.are.equal("READ COMMITTED", t.options.isolationLevel)
    t:commit()
    assert.are.same({ "BEGIN DEFERRED TRANSACTION;", "PRAGMA read_uncommitted = OFF;", "COMMIT;" }, sqls(log))
    local U = db:define("U", { name = DataTypes.STRING })
    U:sync()
    support.clear(log)
    U:findOrCreate{ where = { name = "a" } }
    assert.are.equal("PRAGMA read_uncommitted = OFF;", sqls(log)[2])
    support.clear(log)
    U:create{ name = "b" }
    for _, s in ipairs(sqls(log)) do assert.is_nil(s:find("PRAGMA", 1, true)) end
    db:close()
    os.remove(path)
  end)
end)
