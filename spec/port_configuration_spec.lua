-- Port of Sequelize v6's test/integration/configuration.test.js (branch v6), sqlite dialect.
-- Skipped: none.
-- Translation: sqlite3.OPEN_READONLY / OPEN_READWRITE are Sequelize.OPEN_READONLY / OPEN_READWRITE
-- (node-sqlite3's values); the file is a fresh one under os.tmpname()'s directory. sequelua opens
-- the database in Sequelize.new, not at the first query, so a connection error is caught around
-- both. Messages are SQLite's own text ("unable to open database file"; node-sqlite3 prefixes
-- its code, "SQLITE_CANTOPEN: ..."), as API.md's errors keep it.
local Sequelize = require("sequelua")

local function fails(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error")
  assert.are.equal("table", type(err), tostring(err))
  return err
end

describe("Configuration (port of configuration.test.js)", function()
  describe("Connections problems should fail with a nice message", function()
    it("when we don't have the correct server details", function()
      local err = fails(function()
        local seq = Sequelize.new("sequelize_test", "root", Sequelize.null, {
          logging = false, host = "localhost", port = 19999, dialect = "sqlite",
          storage = "/path/to/no/where/land", dialectOptions = { mode = Sequelize.OPEN_READONLY },
        })
        seq:query("select 1 as hello")
      end)
      assert.is_true(err:is(Sequelize.errors.ConnectionError))
      assert.is_truthy(err.message:find("unable to open database file", 1, true), err.message)
    end)

    it("when we don't have the correct login information", function()
      local seq = Sequelize.new("sequelize_test", "root", "fakepass123", { logging = false, host = "127.0.0.1", port = 1,
                                                                          dialect = "sqlite" })
      seq:query("select 1 as hello")
    end)

    it("when we don't have a valid dialect.", function()
      local err = fails(function()
        Sequelize.new("sequelize_test", "root", Sequelize.null, { host = "0.0.0.1", port = 99999, dialect = "some-fancy-dialect" })
      end)
      assert.is_truthy(err:is(Sequelize.errors.BaseError) or err.name == "Error")
      assert.is_truthy(err.message:find("The dialect some-fancy-dialect is not supported. Supported dialects: ", 1, true),
                       err.message)
    end)
  end)

  describe("Instantiation with arguments", function()
    it("should respect READONLY / READWRITE connection modes", function()
      local p = os.tmpname()
      os.remove(p)
      p = p .. "_foo.sqlite"
      local createTableFoo = "CREATE TABLE foo (faz TEXT);"
      local createTableBar = "CREATE TABLE bar (baz TEXT);"
      local ok, e = pcall(function()
        local function open(mode)
          return Sequelize.new("sqlite://foo", { storage = p, dialectOptions = mode and { mode = mode } or nil })
        end
        for _, mode in ipairs({ Sequelize.OPEN_READONLY, Sequelize.OPEN_READWRITE }) do
          local err = fails(function() open(mode):query(createTableFoo) end)
          assert.is_truthy(err.message:find("unable to open database file", 1, true), err.message)
        end
        -- By default, sqlite creates a connection that's READWRITE | CREATE
        local sequelize = open()
        assert.are.equal(Sequelize.OPEN_READONLY, open(Sequelize.OPEN_READONLY).config.dialectOptions.mode)
        sequelize:query(createTableFoo)
        assert.is_truthy(io.open(p, "r+")):close()
        local sequelizeReadOnly = open(Sequelize.OPEN_READONLY)
        local sequelizeReadWrite = open(Sequelize.OPEN_READWRITE)
        local err = fails(function() sequelizeReadOnly:query(createTableBar) end)
        assert.is_truthy(err.message:find("attempt to write a readonly database", 1, true), err.message)
        sequelizeReadWrite:query(createTableBar)
        sequelize:close(); sequelizeReadOnly:close(); sequelizeReadWrite:close()
      end)
      os.remove(p)
      if not ok then error(e, 0) end
    end)
  end)
end)
