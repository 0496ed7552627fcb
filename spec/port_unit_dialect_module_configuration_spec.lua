-- Port of Sequelize v6's test/unit/dialect-module-configuration.test.js (branch v6), sqlite dialect.
-- sequelua has no connectionManager.lib (SQLite is linked into its C core): dialectModule is
-- accepted and kept in the options; dialectModulePath must name something that exists, as
-- Sequelize requires it ("Unable to find dialect at <path>" otherwise), and is not loaded.
-- Skipped: none.
local Sequelize = require("sequelua")

describe("Sequelize (port of dialect-module-configuration.test.js)", function()
  describe("dialectModule options", function()
    it("options.dialectModule", function()
      local dialectModule = {}
      dialectModule.verbose = function() return dialectModule end
      local db = Sequelize.new("dbname", "root", "pass", { port = 999, dialect = "sqlite", dialectModule = dialectModule })
      assert.are.equal(dialectModule, db.options.dialectModule)
      db:close()
    end)

    it("options.dialectModulePath", function()
      -- (the module that holds SQLite here: sequelua's core)
      local dialectPath = assert(package.searchpath("sequelua.core", package.cpath))
      -- this will throw if invalid path is passed
      local db = Sequelize.new("dbname", "root", "pass", { port = 999, dialect = "sqlite", dialectModulePath = dialectPath })
      db:close()
    end)

    it("options.dialectModulePath fails for invalid path", function()
      local ok, err = pcall(Sequelize.new, "dbname", "root", "pass", {
        port = 999, dialect = "sqlite", dialectModulePath = "/foo/bar/baz",
      })
      assert.is_false(ok)
      assert.are.equal("Unable to find dialect at /foo/bar/baz", err.message)
    end)
  end)
end)
