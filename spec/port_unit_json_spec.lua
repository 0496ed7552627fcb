-- Port of Sequelize v6's test/unit/sql/json.test.js (branch v6), sqlite dialect.
-- Sequelize's cases assert SQL text (QueryGenerator.escape / whereItemQuery /
-- handleSequelizeMethod, internal); here each runs on a real table: escape as the text a JSON
-- attribute stores, path extraction as a findAll's where that must return the rows Sequelize's
-- expected sqlite SQL (run through db:query on the same data) returns.
-- Skipped:
--   array of JSON, array of JSONB: postgres ARRAY only
--   #>> operator: postgres only
--   json function, nested json functions, escaped string argument: Sequelize.json's text is a
--     path here, always bound, never raw SQL (README "Decisions that differ": Sequelize takes a
--     path that looks like a JSON function call as raw SQL); Sequelize.literal writes raw SQL
-- Differs on purpose: the object form's leaf values are bound as given, where Sequelize writes
-- them as strings (`= '1'`, never equal to a JSON number on SQLite); see "condition object".
local Sequelize = require("sequelua")
local support = require("spec.support")
local cjson = require("cjson")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op
local null = Sequelize.null

local function ids(rows)
  local out = {}
  for i, r in ipairs(rows) do out[i] = r.pk end
  return out
end

describe("SQL JSON (port of unit/sql/json.test.js)", function()
  local db, T
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    T = db:define("T", {
      pk = { type = DataTypes.INTEGER, primaryKey = true },
      id = DataTypes.JSON, profile = DataTypes.JSON, property = DataTypes.JSON,
      another = DataTypes.JSON, json = DataTypes.JSON, data = DataTypes.JSON,
    }, { tableName = "T", timestamps = false })
    T:sync()
  end)
  teardown(function() db:close() end)

  -- the text stored for a value written to a JSON attribute (nil: SQL NULL)
  local function stored(v)
    T:destroy{ where = {} }
    T:create{ pk = 1, data = v }
    -- (as text: a JSON column has NUMERIC affinity, so SQLite keeps '0' as the integer 0 for
    -- Sequelize's inlined '0' too)
    local r = db:query("SELECT CAST(data AS TEXT) AS data, typeof(data) AS t FROM T", { type = Sequelize.QueryTypes.SELECT })[1]
    if r.t == "null" then return nil end
    return r.data
  end

  describe("escape", function()
    it("plain string", function()
      assert.are.equal('"string"', stored("string"))
    end)

    it("plain int", function()
      assert.are.equal("0", stored(0))
      assert.are.equal("123", stored(123))
    end)

    it("boolean", function()
      assert.are.equal("true", stored(true))
      assert.are.equal("false", stored(false))
    end)

    it("NULL", function()
      assert.is_nil(stored(null))
    end)

    it("nested object", function()
      -- (Lua tables keep no key order: the stored text is compared as JSON)
      local text = stored({ some = "nested", more = { nested = true }, answer = 42 })
      assert.are.same(cjson.decode('{"some":"nested","more":{"nested":true},"answer":42}'), cjson.decode(text))
    end)
  end)

  describe("path extraction", function()
    local function same(where, cond)
      local want = ids((db:query("SELECT pk FROM T WHERE " .. cond .. " ORDER BY pk",
        { type = Sequelize.QueryTypes.SELECT })))
      assert.are.same(want, ids(T:findAll{ where = where, order = { { "pk", "ASC" } } }))
      return want
    end
    setup(function()
      T:destroy{ where = {} }
      T:bulkCreate({
        { pk = 1, id = "1", profile = { id = "1" }, property = { value = "1" }, another = { value = "string" },
          json = {} },
        { pk = 2, id = 1, profile = { id = 1 }, property = { value = 1 }, another = { value = "string" },
          json = { a = 1 } },
        { pk = 3, id = "x", profile = { id = { { 0, "1" } } }, property = { { 4, 6 }, { 8 } }, json = "{}" },
        { pk = 4, id = 2, profile = { name = "1" }, property = { { "4", "6" }, { "8" } }, another = { value = "other" } },
      })
    end)

    -- Sequelize writes each leaf value of the object form as a string (`= '1'`), which on SQLite
    -- never matches a JSON number (Sequelize 6.37.8 finds the row holding "1", not 1); here the
    -- value is bound as given, so Sequelize's expected SQL is run with the number (`= 1`)
    it("condition object", function()
      assert.are.same({ 2 }, same(Sequelize.json({ id = 1 }), "json_extract(`id`,'$') = 1"))
    end)

    it("nested condition object", function()
      assert.are.same({ 2 }, same(Sequelize.json({ profile = { id = 1 } }), "json_extract(`profile`,'$.id') = 1"))
    end)

    it("multiple condition object", function()
      assert.are.same({ 2 }, same(Sequelize.json({ property = { value = 1 }, another = { value = "string" } }),
        "json_extract(`property`,'$.value') = 1 AND json_extract(`another`,'$.value') = 'string'"))
    end)

    it("property array object", function()
      assert.are.same({ 3 }, same(Sequelize.json({ property = { { 4, 6 }, { 8 } } }),
        "json_extract(`property`,'$[0][0]') = 4 AND json_extract(`property`,'$[0][1]') = 6"
        .. " AND json_extract(`property`,'$[1][0]') = 8"))
    end)

    it("dot notation", function()
      assert.are.same({ 1 }, same(Sequelize.where(Sequelize.json("profile.id"), "1"), "json_extract(`profile`,'$.id') = '1'"))
    end)

    it("item dot notation array", function()
      assert.are.same({ 3 }, same(Sequelize.where(Sequelize.json("profile.id.0.1"), "1"),
        "json_extract(`profile`,'$.id[0][1]') = '1'"))
    end)

    it("column named \"json\"", function()
      assert.are.same({ 1, 3 }, same(Sequelize.where(Sequelize.json("json"), "{}"), "json_extract(`json`,'$') = '{}'"))
    end)
  end)

  describe("raw json query", function()
    it("unbalnced statement", function()
      support.catch_error(function() T:findAll{ where = Sequelize.where(Sequelize.json("json())"), 1) } end)
      support.catch_error(function() T:findAll{ where = Sequelize.where(Sequelize.json("json_extract(json()"), 1) } end)
    end)

    it("separator injection", function()
      support.catch_error(function()
        T:findAll{ where = Sequelize.where(Sequelize.json("json(; DELETE YOLO INJECTIONS; -- )"), 1) }
      end)
      support.catch_error(function()
        T:findAll{ where = Sequelize.where(Sequelize.json("json(); DELETE YOLO INJECTIONS; -- "), 1) }
      end)
    end)
  end)

  describe("cast type injection", function()
    local function rejects(key)
      local err = support.catch_error(function() T:findAll{ where = { data = { [key] = "anything" } } } end)
      assert.matches("Invalid cast type", err.message, 1, true)
    end
    local function allows(key, v)
      T:findAll{ where = { data = { [key] = v } } }
    end

    it("should reject SQL injection via :: cast type notation in JSON keys", function()
      rejects("role::text) OR 1=1--")
    end)

    it("should reject UNION-based injection via :: cast type notation", function()
      rejects("role::text) AND 0 UNION SELECT * FROM secrets--")
    end)

    it("should allow valid cast types via :: notation", function()
      allows("id::integer", 1)
    end)

    it("should allow the text cast type via :: notation", function()
      allows("name::text", "value")
    end)

    it("should reject cast types with parentheses", function()
      rejects("role::text)")
    end)

    it("should reject cast types with semicolons", function()
      rejects("role::text; DROP TABLE users")
    end)

    it("should reject cast types with comment markers", function()
      rejects("role::text--")
    end)

    it("should allow double precision cast type", function()
      allows("level::double precision", 1)
    end)

    it("should reject empty cast type", function()
      rejects("role::")
    end)

    it("should reject unknown cast types", function()
      rejects("role::foobar")
    end)
  end)
end)
