-- Port of Sequelize v6's test/unit/transaction.test.js (branch v6), sqlite dialect.
-- Skipped: none. sinon's stub of sequelize.query is the logging option: the statements
-- logged before the transaction's function runs.
local Sequelize = require("sequelua")

describe("Transaction (port of unit/transaction.test.js)", function()
  local db, log
  setup(function()
    log = {}
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(m) log[#log + 1] = m end }
  end)
  before_each(function() for i = #log, 1, -1 do log[i] = nil end end)
  teardown(function() db:close() end)

  local function sqls()
    local l = {}
    for _, m in ipairs(log) do l[#l + 1] = m:match("^Executing %(.-%): (.*)$") end
    return l
  end

  it("should run auto commit query only when needed", function()
    local seen
    db:transaction(function() seen = sqls() end)
    assert.same({ "BEGIN DEFERRED TRANSACTION;" }, seen)
  end)

  it("should set isolation level correctly", function()
    local seen
    db:transaction({ isolationLevel = Sequelize.Transaction.ISOLATION_LEVELS.READ_UNCOMMITTED }, function()
      seen = sqls()
    end)
    assert.same({ "BEGIN DEFERRED TRANSACTION;", "PRAGMA read_uncommitted = ON;" }, seen)
  end)
end)
