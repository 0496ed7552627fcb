-- Port of Sequelize v6's test/unit/connection-manager.test.js (branch v6), sqlite dialect.
-- Those tests build an abstract ConnectionManager on a stubbed dialect and call its _connect /
-- _disconnect, which run the connection hooks. Sequelize's sqlite ConnectionManager opens and
-- closes its one handle without _connect / _disconnect, so on sqlite (Sequelize 6.37.8 checked)
-- the hooks are taken and never run; sequelua has that one handle too (README). What is ported:
-- each hook is registered on a real instance, the instance connects, queries and closes, and
-- the hook did not run, as on Sequelize's sqlite.
-- Skipped (one line each, why):
--   "should resolve connection on dialect connection manager": the resolved value of the
--     internal _connect on a stubbed dialect; nothing a caller sees.
local Sequelize = require("sequelua")

local function life(hook)
  local calls = 0
  local db = Sequelize.new("sqlite::memory:")
  db[hook](db, function(config) calls = calls + 1; return config end)
  assert.is_true(db:hasHook(hook))
  db:authenticate()
  assert.are.same({ { a = 1 } }, (db:query("SELECT 1 AS a")))
  db:close()
  return calls
end

describe("connection manager (port of connection-manager.test.js)", function()
  describe("_connect", function()
    it("should let beforeConnect hook modify config", function()
      assert.are.equal(0, life("beforeConnect"))
    end)

    it("should call afterConnect", function()
      assert.are.equal(0, life("afterConnect"))
    end)
  end)

  describe("_disconnect", function()
    it("should call beforeDisconnect", function()
      assert.are.equal(0, life("beforeDisconnect"))
    end)

    it("should call afterDisconnect", function()
      assert.are.equal(0, life("afterDisconnect"))
    end)
  end)
end)
