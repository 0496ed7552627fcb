-- Port of Sequelize v6's test/unit/utils.test.js (branch v6), sqlite dialect. sequelua's
-- Sequelize.Utils holds the naming helpers only (README), so each case is ported through the
-- public call that uses the helper: canTreatArrayAsAnd through a where given as a list,
-- toDefaultValue through defaultValue on build, mapFinderOptions through a findAll's attributes,
-- mapOptionFieldNames through a findAll's where (its rows compared with those of the SQL the
-- mapped where gives), and Sequelize.cast through a findAll's attributes (compared with
-- Sequelize's expected SQL run through db:query).
-- Skipped (one line each, why):
--   "does not clone sequelize models": Utils.merge is internal; no Lua counterpart.
--   "return plain data types": toDefaultValue of the bare UUIDV4 class gives 'UUIDV4', but define
--     (Sequelize's too) turns a bare DataTypes.UUIDV4 default into a generated uuid ("return uuid v4").
--   "defaults normal object", "defaults symbol keys": Utils.defaults is internal; no Lua counterpart.
-- Differences kept: a bare number beside conditions in a where list ({ { uuid = 1 }, 1 }) raises
--   (Sequelize's canTreatArrayAsAnd takes the list and its SQL drops the number).
local Sequelize = require("sequelua")
local U = require("spec.port_unit_support")
local DT, Op = Sequelize.DataTypes, Sequelize.Op

describe("Utils (port of utils.test.js)", function()
  local db, Item
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Item = db:define("item", { uuid = DT.INTEGER, foo = DT.STRING, bar = DT.STRING }, { timestamps = false })
    db:sync()
    Item:bulkCreate{ { uuid = 1, foo = "foo", bar = "x" }, { uuid = 2, foo = "y", bar = "bar" }, { uuid = 3, foo = "z", bar = "z" } }
  end)
  teardown(function() db:close() end)

  local function uuids(where)
    local out = {}
    for i, r in ipairs(Item:findAll{ where = where, order = { { "uuid" } } }) do out[i] = r.uuid end
    return out
  end

  describe("canTreatArrayAsAnd", function()
    it("Array can be treated as and", function()
      local W = Sequelize.where
      assert.are.same({ 1 }, uuids({ { uuid = 1 } }))
      assert.are.same({}, uuids({ { uuid = 1 }, { uuid = 2 } }))
      assert.are.same({ 1 }, uuids({ W(Sequelize.col("uuid"), 1) }))
      assert.are.same({}, uuids({ W(Sequelize.col("uuid"), 1), W(Sequelize.col("uuid"), 2) }))
      assert.are.same({ 2 }, uuids({ W(Sequelize.col("uuid"), 2), { foo = "y" } }))
    end)

    it("Array cannot be treated as and", function()
      for _, where in ipairs({ { 1, "uuid" }, { 1 } }) do
        local ok, err = pcall(Item.findAll, Item, { where = where })
        assert.is_false(ok)
        assert.is_truthy(tostring(err.message):find("Support for literal replacements in the `where` object has been removed.", 1, true),
          tostring(err))
      end
    end)
  end)

  describe("toDefaultValue", function()
    local D
    setup(function()
      D = db:define("defaulted", {
        v1 = { type = DT.UUID, defaultValue = DT.UUIDV1 },
        v4 = { type = DT.UUID, defaultValue = DT.UUIDV4 },
        now = { type = DT.DATE, defaultValue = DT.NOW },
        str = { type = DT.STRING, defaultValue = "Test" },
        obj = { type = DT.JSON, defaultValue = {} },
      })
    end)

    it("return uuid v1", function()
      local v = D:build{}.v1
      assert.is_truthy(v:match("^[a-z0-9-]+$") and #v == 36, v)
      assert.are.equal("1", v:sub(15, 15)) -- (the version digit)
    end)
    it("return uuid v4", function()
      local v = D:build{}.v4
      assert.is_truthy(v:match("^[a-z0-9-]+$") and #v == 36, v)
      assert.are.equal("4", v:sub(15, 15))
    end)
    it("return now", function()
      -- (a Date: an ISO string here)
      assert.is_truthy(D:build{}.now:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"))
    end)
    it("return plain string", function()
      assert.are.equal("Test", D:build{}.str)
    end)
    it("return plain object", function()
      local a, b = D:build{}, D:build{}
      assert.are.same({}, a.obj)
      assert.are_not.equal(a.obj, b.obj) -- (each build its own copy)
    end)
  end)

  describe("mapFinderOptions", function()
    local V
    setup(function()
      V = db:define("User", {
        createdAt = { type = DT.DATE, field = "created_at" },
        active = { type = DT.VIRTUAL(DT.BOOLEAN, { "createdAt" }),
                   get = function(self) return self:get("createdAt") ~= nil end },
      }, { timestamps = false })
      V:sync()
      V:create{ createdAt = "2020-01-02T03:04:05.000Z" }
    end)

    it("virtual attribute dependencies", function()
      local rows = V:findAll{ attributes = { "active" } }
      -- Sequelize selects [['created_at', 'createdAt']]
      U.same(db, rows, "SELECT `created_at` AS `createdAt` FROM `Users` AS `User`;", { except = { "active" } })
      assert.is_true(rows[1].active)
      assert.is_nil(rows[1].id)
    end)

    it("multiple calls", function()
      local options = { attributes = { "active" } }
      V:findAll(options)
      local rows = V:findAll(options)
      assert.are.same({ "active" }, options.attributes)
      U.same(db, rows, "SELECT `created_at` AS `createdAt` FROM `Users` AS `User`;", { except = { "active" } })
    end)
  end)

  describe("mapOptionFieldNames", function()
    local P
    setup(function()
      P = db:define("Person", {
        firstName = { type = DT.STRING, field = "first_name" },
        lastName = { type = DT.STRING, field = "last_name" },
      }, { timestamps = false })
      P:sync()
      P:bulkCreate{ { firstName = "Paul", lastName = "Atreides" }, { firstName = "Paul", lastName = "Other" },
                    { firstName = "Leto", lastName = "Atreides" }, { firstName = "Duncan", lastName = "Idaho" } }
    end)
    local function check(where, mapped)
      local rows = P:findAll{ where = where, order = { { "id" } }, raw = true }
      U.same(db, rows, "SELECT `id`, `first_name` AS `firstName`, `last_name` AS `lastName` FROM `People` WHERE "
        .. mapped .. " ORDER BY `id`;")
    end

    it("plain where", function()
      check({ firstName = "Paul", lastName = "Atreides" }, "`first_name` = 'Paul' AND `last_name` = 'Atreides'")
    end)
    it("Op.or where", function()
      check({ [Op.or_] = { firstName = "Paul", lastName = "Atreides" } }, "(`first_name` = 'Paul' OR `last_name` = 'Atreides')")
    end)
    it("Op.or[] where", function()
      check({ [Op.or_] = { { firstName = "Paul" }, { lastName = "Atreides" } } }, "(`first_name` = 'Paul' OR `last_name` = 'Atreides')")
    end)
    it("$and where", function()
      check({ [Op.and_] = { firstName = "Paul", lastName = "Atreides" } }, "(`first_name` = 'Paul' AND `last_name` = 'Atreides')")
    end)
  end)

  describe("Sequelize.cast", function()
    it("accepts condition object (auto casting)", function()
      local rows = Item:findAll{ raw = true, attributes = {
        { Sequelize.fn("SUM", Sequelize.cast({ [Op.or_] = { foo = "foo", bar = "bar" } }, "int")), "s" } } }
      U.same(db, rows, U.tick("SELECT SUM(CAST(([foo] = 'foo' OR [bar] = 'bar') AS INT)) AS [s] FROM [items];"))
      assert.are.equal(2, rows[1].s)
    end)
  end)
end)
