-- Port of Sequelize v6's test/integration/dialects/abstract/connection-manager.test.js (branch v6),
-- sqlite dialect. Those tests build a ConnectionManager and stub its internals (pools, _connect,
-- databaseVersion); sequelua has one SQLite connection per Sequelize object and no pool, so what
-- is ported is what a caller sees: the `replication` option is accepted (and means nothing to
-- SQLite, as with Sequelize's sqlite, whose pools all open the one storage), queries run, and a
-- closed instance refuses work with Sequelize's message.
-- Skipped (one line each, why):
--   "should round robin calls to the read pool": returns at once for sqlite in Sequelize's test.
--   "should trigger deprecation for non supported engine version": stubs databaseVersion (internal).
--   "should allow forced reads from the write pool": stubs _connect; here `useMaster` is only
--     checked to be accepted by a query (see the replication test).
local Sequelize = require("sequelua")

describe("Connection Manager (port of dialects/abstract/connection-manager.test.js)", function()
  it("should initialize a single pool without replication", function()
    local db = Sequelize.new("sqlite::memory:", { replication = Sequelize.null })
    db:authenticate()
    db:close()
  end)

  it("should initialize a multiple pools with replication", function()
    local entry = { host = "localhost", pool = {} }
    local db = Sequelize.new("sqlite::memory:", {
      replication = { write = entry, read = { entry, entry } },
    })
    db:query("CREATE TABLE t (a INTEGER)")
    db:query("INSERT INTO t VALUES (1)")
    -- reads see the writes: one connection
    local rows = db:query("SELECT a FROM t", { type = "SELECT", useMaster = false })
    assert.are.same({ { a = 1 } }, rows)
    rows = db:query("SELECT a FROM t", { type = "SELECT", useMaster = true })
    assert.are.same({ { a = 1 } }, rows)
    db:close()
  end)

  it("should clear the pool after draining it", function()
    local db = Sequelize.new("sqlite::memory:", { replication = Sequelize.null })
    db:authenticate()
    db:close()
    local ok, err = pcall(db.query, db, "SELECT 1")
    assert.is_false(ok)
    assert.are.equal("ConnectionManager.getConnection was called after the connection manager was closed!",
      err.message)
  end)
end)
