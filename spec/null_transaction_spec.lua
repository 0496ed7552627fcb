-- null_transaction_spec: `transaction = Sequelize.null` (or false), JavaScript's
-- `transaction: null`, "no transaction": the writes run outside any transaction, and the
-- hooks and the logger see no transaction (nil), as Sequelize's see a falsy null, so that a
-- hook written `if opts.transaction then opts.transaction:afterCommit(...) end` runs.
-- Sequelize 6.37.8 printed `null` for options.transaction in every hook and log line below.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

local HOOKS = { "beforeCreate", "afterCreate", "beforeSave", "afterSave", "beforeUpdate", "afterUpdate",
  "beforeDestroy", "afterDestroy", "beforeBulkCreate", "afterBulkCreate", "beforeBulkUpdate", "afterBulkUpdate",
  "beforeBulkDestroy", "afterBulkDestroy", "beforeFind", "afterFind", "beforeCount", "beforeValidate",
  "afterValidate" }

describe("transaction = Sequelize.null", function()
  local db, U, P, seen, bad
  before_each(function()
    seen, bad = {}, {}
    local function look(where, o)
      seen[where] = true
      -- (a call sequelua makes atomic, the setters, hands its hooks the transaction it began)
      if o.transaction == NULL or o.transaction == false then bad[#bad + 1] = where .. ": " .. tostring(o.transaction) end
      if o.transaction then o.transaction:afterCommit(function() end) end
    end
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(_, o) look("log", o) end }
    U = db:define("U", { name = DataTypes.STRING })
    P = db:define("P", { title = DataTypes.STRING })
    U:hasMany(P)
    P:belongsTo(U)
    db:sync()
    for _, M in ipairs({ U, P }) do
      for _, h in ipairs(HOOKS) do
        M:addHook(h, function(a, b)
          local o = (type(b) == "table" and getmetatable(b) == nil) and b or a
          look(M.name .. "." .. h, o)
        end)
      end
    end
  end)
  after_each(function() db:close() end)

  local function check(expect)
    assert.are.same({}, bad)
    for _, w in ipairs(expect) do assert.is_true(seen[w] == true, w .. " not run") end
  end

  for _, none in ipairs({ { "Sequelize.null", NULL }, { "false", false } }) do
    local T = none[2]
    it(none[1] .. ": the writers' hooks and logger see none, and the rows are written", function()
      local u = U:create({ name = "a" }, { transaction = T })
      check({ "U.beforeValidate", "U.beforeCreate", "U.afterCreate", "U.afterSave", "log" })
      u.name = "b"
      u:save{ transaction = T }
      check({ "U.beforeUpdate", "U.afterUpdate" })
      u:update({ name = "c" }, { transaction = T })
      U:update({ name = "d" }, { where = { id = u.id }, transaction = T })
      check({ "U.beforeBulkUpdate", "U.afterBulkUpdate" })
      U:bulkCreate({ { name = "x" }, { name = "y" } }, { transaction = T })
      check({ "U.beforeBulkCreate", "U.afterBulkCreate" })
      u:increment("id", { by = 0, transaction = T })
      u:reload{ transaction = T }
      assert.are.equal("d", u.name)
      local x = U:findOne{ where = { name = "x" } }
      x:destroy{ transaction = T }
      check({ "U.beforeDestroy", "U.afterDestroy" })
      U:destroy{ where = { name = "y" }, transaction = T }
      check({ "U.beforeBulkDestroy", "U.afterBulkDestroy" })
      assert.are.same({ { name = "d" } }, support.raw(db, "SELECT name FROM Us"))
    end)

    it(none[1] .. ": the finders' hooks and logger see none", function()
      local u = U:create{ name = "a" }
      seen = {}
      assert.are.equal(1, #U:findAll{ transaction = T })
      assert.are.equal("a", U:findOne{ transaction = T }.name)
      assert.are.equal("a", U:findByPk(u.id, { transaction = T }).name)
      assert.are.equal(1, U:count{ transaction = T })
      assert.are.equal(1, U:findAndCountAll{ transaction = T }.count)
      check({ "U.beforeFind", "U.afterFind", "U.beforeCount", "log" })
    end)

    it(none[1] .. ": the association accessors' hooks and logger see none", function()
      local u = U:create{ name = "a" }
      seen = {}
      local p = u:createP({ title = "t" }, { transaction = T })
      check({ "P.beforeCreate", "P.afterCreate" })
      assert.are.equal(1, #u:getPs{ transaction = T })
      assert.are.equal(1, u:countPs{ transaction = T })
      check({ "P.beforeFind", "P.afterFind" })
      assert.are.equal("a", p:getU{ transaction = T }.name)
      local q = P:create{ title = "q" }
      u:addP(q, { transaction = T })
      u:setPs({ p }, { transaction = T })
      u:removeP(p, { transaction = T })
      assert.is_false(u:hasP(p, { transaction = T }))
      check({ "P.beforeBulkUpdate", "log" })
    end)
  end

  -- (paranoid.lua's restore, Model's and an instance's, was left out: its hooks saw the truthy
  -- Sequelize.null; the options given stay as they were)
  for _, none in ipairs({ { "Sequelize.null", NULL }, { "false", false } }) do
    local T = none[2]
    it(none[1] .. ": restore's hooks and logger see none (Model's and an instance's)", function()
      local S = db:define("S", { name = DataTypes.STRING }, { paranoid = true })
      S:sync()
      for _, h in ipairs({ "beforeRestore", "afterRestore", "beforeBulkRestore", "afterBulkRestore" }) do
        S:addHook(h, function(a, b)
          local o = (type(b) == "table" and getmetatable(b) == nil) and b or a
          if o.transaction == NULL or o.transaction == false then bad[#bad + 1] = "S." .. h .. ": " .. tostring(o.transaction) end
          seen["S." .. h] = true
        end)
      end
      local s1 = S:create{ name = "a" }
      s1:destroy()
      local opts = { where = { name = "a" }, individualHooks = true, transaction = T }
      S:restore(opts)
      assert.are.same({ where = { name = "a" }, individualHooks = true, transaction = T }, opts)
      check({ "S.beforeBulkRestore", "S.afterBulkRestore", "S.beforeRestore", "S.afterRestore", "log" })
      assert.are.equal(1, S:count())
      s1:destroy()
      seen = {}
      local io = { transaction = T }
      s1:restore(io)
      assert.are.equal(T, io.transaction)
      check({ "S.beforeRestore", "S.afterRestore", "log" })
      assert.are.equal(1, S:count())
    end)
  end

  it("db:query's and the query interface's logger see none", function()
    seen = {}
    db:query("SELECT 1", { transaction = NULL })
    db:getQueryInterface():bulkInsert("Us", { { name = "z", createdAt = 0, updatedAt = 0 } }, { transaction = NULL })
    check({ "log" })
  end)
end)
