-- Port of Sequelize v6's test/unit/sql/offset-limit.test.js (branch v6), sqlite dialect.
-- sql.addLimitAndOffset (internal) is expressed through findAll's limit / offset; each case
-- compares the rows with Sequelize's expected clause run on the same data. Skipped: none.
-- A limit or offset that is a string is refused before any SQL (README: limit and offset are
-- non-negative integers); Sequelize writes it quoted, which SQLite then refuses (datatype mismatch).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local U = require("spec.port_unit_support")

describe("SQL (port of unit/sql/offset-limit.test.js)", function()
  describe("offset/limit", function()
    local db, User
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("tableRef", { email = DataTypes.STRING }, { tableName = "user", timestamps = false })
      db:sync()
      local rows = {}
      for i = 1, 35 do rows[i] = { email = string.format("e%02d", (i * 7) % 36) } end
      rows[36] = { email = Sequelize.null }
      User:bulkCreate(rows)
    end)
    teardown(function() db:close() end)

    local function expect_refused(opts)
      local ok, err = pcall(User.findAll, User, opts)
      assert.is_false(ok)
      assert.equal("table", type(err))
      assert.truthy(err.message:find("tableRef", 1, true), err.message)
      assert.equal(36, #db:query("SELECT * FROM `user`"))
      -- Sequelize's SQL fails in SQLite as well
      assert.is_false(pcall(db.query, db, "SELECT * FROM `user` ORDER BY `email` DESC LIMIT ''';DELETE FROM user'"))
    end

    it("{ limit: 10, model: { primaryKeyField: 'id', name: 'tableRef' } }", function()
      U.same(db, User:findAll{ limit = 10, raw = true }, "SELECT * FROM `user` LIMIT 10")
    end)

    it("{ limit: 10, order: [ [ 'email', 'DESC' ] ] }", function()
      U.same(db, User:findAll{ limit = 10, order = { { "email", "DESC" } }, raw = true }, "SELECT * FROM `user` ORDER BY `email` DESC LIMIT 10")
    end)

    it("{ limit: 10, offset: 20, order: [ [ 'email', 'DESC' ] ] }", function()
      U.same(db, User:findAll{ limit = 10, offset = 20, order = { { "email", "DESC" } }, raw = true }, "SELECT * FROM `user` ORDER BY `email` DESC LIMIT 20, 10")
    end)

    it("{ limit: \"';DELETE FROM user\", order: [ [ 'email', 'DESC' ] ] }", function()
      expect_refused({ limit = "';DELETE FROM user", order = { { "email", "DESC" } } })
    end)

    it("{ limit: 10, offset: \"';DELETE FROM user\", order: [ [ 'email', 'DESC' ] ] }", function()
      expect_refused({ limit = 10, offset = "';DELETE FROM user", order = { { "email", "DESC" } } })
    end)

    it("{ limit: 10, order: [], model: { primaryKeyField: 'id', name: 'tableRef' } }", function()
      U.same(db, User:findAll{ limit = 10, order = {}, raw = true }, "SELECT * FROM `user` LIMIT 10")
    end)
  end)
end)
