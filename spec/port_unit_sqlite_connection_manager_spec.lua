-- Port of Sequelize v6's test/unit/dialects/sqlite/connection-manager.test.js (branch v6).
-- The test stubs node-sqlite3's Database and reads the storage getConnection hands it; here the
-- storage option stays "" and the database is SQLite's anonymous one on disk (its own per
-- connection, gone when closed), as node-sqlite3 opens it.
-- Skipped: none.
local Sequelize = require("sequelua")

describe("[SQLITE Specific] ConnectionManager (port of dialects/sqlite/connection-manager.test.js)", function()
  describe("getConnection", function()
    it("should forward empty string storage to SQLite connector to create temporary disk-based database", function()
      -- storage='' means anonymous disk-based database
      local db = Sequelize.new("", "", "", { dialect = "sqlite", storage = "" })
      assert.are.equal("", db.options.storage)
      assert.are.equal("", db.config.storage)
      db:query("CREATE TABLE t (a INTEGER)")
      db:query("INSERT INTO t VALUES (1)")
      assert.are.same({ { a = 1 } }, (db:query("SELECT a FROM t")))
      assert.are.same({ { file = "" } }, (db:query("SELECT file FROM pragma_database_list WHERE name = 'main'")))
      db:close()
      -- (another is a database of its own)
      local db2 = Sequelize.new("", "", "", { dialect = "sqlite", storage = "" })
      assert.are.same({}, (db2:query("SELECT name FROM sqlite_master WHERE name = 't'")))
      db2:close()
    end)
  end)
end)
