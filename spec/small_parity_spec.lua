-- Small differences from Sequelize 6.37.8 that a user moving from Node meets: runHooks' forms,
-- destroy's truncate option, validators' option forms, the query interface's row methods, raw
-- replacements, changed() and dataValues. Every expectation was checked against Sequelize
-- 6.37.8 + sqlite3 with the same calls.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("small parity", function()
  local db, log, User

  setup(function()
    db, log = support.open()
    User = db:define("User", { name = DataTypes.STRING, n = { type = DataTypes.INTEGER, defaultValue = 0 } })
    db:sync()
  end)
  teardown(function() db:close() end)

  local function names() -- the names left in Users, sorted
    local out = {}
    for _, r in ipairs(support.raw(db, "SELECT name FROM Users ORDER BY name")) do out[#out + 1] = r.name end
    return table.concat(out, ",")
  end
  local function reset(...)
    db:query("DELETE FROM Users")
    local rows = {}
    for i, v in ipairs({ ... }) do rows[i] = { name = v } end
    User:bulkCreate(rows)
  end

  describe("runHooks", function()
    -- Sequelize: runHooks(hooks, ...args) takes a hook type, a function, { fn } or a list of them
    it("takes a function, { fn = f } and a list of them, as Sequelize's", function()
      local got = {}
      User:runHooks(function(a, b) got[#got + 1] = "f" .. a .. b end, 1, 2)
      User:runHooks({ fn = function(a) got[#got + 1] = "o" .. a end }, 3)
      User:runHooks({ function(a) got[#got + 1] = "l1" .. a end, { fn = function(a) got[#got + 1] = "l2" .. a end } }, 4)
      db:runHooks(function(a) got[#got + 1] = "s" .. a end, 5)
      assert.are.same({ "f12", "o3", "l14", "l24", "s5" }, got)
    end)
    it("refuses no argument with Sequelize's message, and a list item that is no function", function()
      assert.are.equal("runHooks requires at least 1 argument", support.catch_message(function() User:runHooks() end).message)
      assert.are.equal("runHooks requires at least 1 argument", support.catch_message(function() db:runHooks() end).message)
      -- (JavaScript-falsy values too: Sequelize's `if (!hooks)` on runHooks('') and runHooks(0))
      assert.are.equal("runHooks requires at least 1 argument", support.catch_message(function() User:runHooks("") end).message)
      assert.are.equal("runHooks requires at least 1 argument", support.catch_message(function() db:runHooks(0) end).message)
      local err = support.catch_message(function() User:runHooks({ function() end, 5 }) end)
      assert.matches("User.runHooks: expected", err.message, 1, true)
    end)
  end)

  describe("destroy's truncate", function()
    -- Sequelize: `truncate === true` empties the table; another truthy value deletes what the
    -- where selects (none: every row), and JavaScript's falsy 0 / "" / null with no where raise
    it("empties the table only for true; 1 or \"yes\" keep the where", function()
      reset("a", "b", "c")
      assert.are.equal(1, User:destroy{ truncate = "yes", where = { name = "a" } })
      assert.are.equal(1, User:destroy{ truncate = 0, where = { name = "b" } })
      assert.are.equal("c", names())
      reset("a", "b")
      assert.are.equal(2, User:destroy{ truncate = 1 })
      reset("a", "b")
      db:getQueryInterface():bulkDelete("Users", { name = "a" }, { truncate = 1 })
      assert.are.equal("b", names())
      reset("a", "b")
      User:destroy{ truncate = true, where = { name = "a" } }
      assert.are.equal("", names())
    end)
    it("raises for a falsy JavaScript truncate without a where, deleting nothing", function()
      reset("a")
      for _, v in ipairs({ 0, "", Sequelize.null }) do
        assert.are.equal("Missing where or truncate attribute in the options parameter of model.destroy.",
          support.catch_message(function() User:destroy{ truncate = v } end).message)
      end
      assert.are.equal("a", names())
    end)
  end)

  describe("validators' option forms", function()
    -- Sequelize: `isIn: []` defines; every value but null then fails "Validation isIn on c
    -- failed" (validatorArgs []); `notIn: []` passes every value
    it("isIn = {} defines and refuses every value; notIn = {} passes", function()
      local M = db:define("EmptyIn", { c = { type = DataTypes.STRING, validate = { isIn = {} } },
                                       d = { type = DataTypes.STRING, validate = { notIn = {} } },
                                       e = { type = DataTypes.STRING, validate = { isIn = { args = {}, msg = "m" } } } })
      local err = support.catch_message(function() M:build{ c = "x", d = "y", e = Sequelize.null }:validate() end)
      assert.are.equal("Validation error: Validation isIn on c failed", err.message)
      assert.are.equal(1, #err.errors)
      assert.are.same({}, err.errors[1].validatorArgs)
      assert.are.equal("Validation error: m", support.catch_message(function() M:build{ e = "z" }:validate() end).message)
      M:build{ c = Sequelize.null, d = "y" }:validate()
    end)
  end)

  describe("queryInterface row methods", function()
    -- Sequelize: qi.increment(M, t, where, { n: '5' }) writes `n`=`n`+ '5', which SQLite reads as 5
    it("increment / decrement take an amount as decimal text, as Model:increment does", function()
      db:query("DELETE FROM Users")
      User:create{ name = "z", n = 10 }
      local qi = db:getQueryInterface()
      qi:increment(User, "Users", { name = "z" }, { n = "5" }, {})
      qi:decrement(User, "Users", { name = "z" }, { n = "2" }, {})
      qi:decrement(User, "Users", { name = "z" }, { n = "-3" }, {})
      assert.are.equal(16, support.raw(db, "SELECT n FROM Users")[1].n)
      local err = support.catch_message(function() qi:increment(User, "Users", { name = "z" }, { n = "x" }, {}) end)
      assert.matches("increment: Users.n: expected a number", err.message, 1, true)
      assert.are.equal(16, support.raw(db, "SELECT n FROM Users")[1].n)
    end)
  end)

  describe("replacements", function()
    -- Sequelize: qi.insert binds its values, so replacements raise sequelize.query's message
    it("qi:insert refuses replacements with Sequelize's message, writing nothing", function()
      reset()
      local err = support.catch_message(function()
        db:getQueryInterface():insert(nil, "Users", { name = "q" }, { replacements = { 2 } })
      end)
      assert.are.equal("Both `replacements` and `bind` cannot be set at the same time", err.message)
      assert.are.equal("", names())
    end)
    -- Sequelize's injectReplacements: "The following SQL query includes an unterminated string literal:\n<sql>"
    it("a raw query with replacements and an unterminated string literal raises Sequelize's message", function()
      for _, rep in ipairs({ { 1 }, { a = 1 } }) do
        local err = support.catch_message(function() db:query("SELECT 'abc", { replacements = rep }) end)
        assert.are.equal("Error", err.name)
        assert.are.equal("The following SQL query includes an unterminated string literal:\nSELECT 'abc", err.message)
      end
      assert.are.same({ { x = "it's", y = 1 } }, db:query("SELECT 'it''s' AS x, ? AS y -- '", { replacements = { 1 }, type = "SELECT" }))
    end)
    -- Sequelize: `replacements: null` (or false) is none (injectReplacements' `== null`,
    -- query's `options.replacements && options.bind`): SELECT $1 with bind [1] gives a = 1
    it("replacements or bind given as Sequelize.null or false is none", function()
      local S = Sequelize.QueryTypes.SELECT
      assert.are.same({ { a = 1 } }, db:query("SELECT $1 AS a", { replacements = Sequelize.null, bind = { 1 }, type = S }))
      assert.are.same({ { a = 2 } }, db:query("SELECT ? AS a", { replacements = { 2 }, bind = false, type = S }))
      assert.are.same({ { a = 3 } }, db:query("SELECT 3 AS a", { replacements = false, type = S }))
      assert.are.same({}, User:findAll({ where = { name = "none" }, replacements = Sequelize.null }))
      -- (the query interface's too: Sequelize's bulkInsert / bulkUpdate / bulkDelete / insert /
      -- select run with replacements null or false)
      db:query("CREATE TABLE rnone (id INTEGER PRIMARY KEY, a TEXT)")
      local qi = db:getQueryInterface()
      for _, v in ipairs{ Sequelize.null, false } do
        qi:bulkInsert("rnone", { { a = "x" } }, { replacements = v })
        qi:bulkUpdate("rnone", { a = "y" }, { a = "x" }, { replacements = v })
        qi:bulkDelete("rnone", { id = 99 }, { replacements = v })
        qi:insert(nil, "rnone", { a = "z" }, { replacements = v })
        qi:select(nil, "rnone", { replacements = v })
      end
      assert.equal(4, #qi:select(nil, "rnone", {}))
      db:query("DROP TABLE rnone")
    end)
  end)
end)
