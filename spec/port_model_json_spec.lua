-- Port of Sequelize v6's test/integration/model/json.test.js (branch v6), sqlite dialect.
-- Skipped:
--   findOrCreate supports transactions, json and locks: runs only where the dialect supports
--     locks (sqlite does not)
-- Dates are ISO strings here (API.md), so "query dates with array operators" stores and compares
-- the ISO text JSON.stringify gives a Date. Promise.all creates run in order.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op
local null = Sequelize.null

local function homer(extra)
  local d = { name = { first = "Homer", last = "Simpson" }, employment = "Nuclear Safety Inspector" }
  for k, v in pairs(extra or {}) do d[k] = v end
  return d
end
local function person(first, employment)
  return { name = { first = first, last = "Simpson" }, employment = employment }
end

describe("Model (port of model/json.test.js)", function()
  describe("JSON", function()
    local db, Event

    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      Event = db:define("Event", {
        data = { type = DataTypes.JSON, field = "event_data", index = true },
        json = DataTypes.JSON,
      })
      Event:sync({ force = true })
    end)
    after_each(function() db:close() end)

    describe("create", function()
      it("should create an instance with JSON data", function()
        Event:create({ data = homer() })
        local events = Event:findAll()
        assert.are.same(homer(), events[1]:get("data"))
      end)
    end)

    describe("update", function()
      local function two()
        Event:bulkCreate({
          { id = 1, data = homer() },
          { id = 2, data = { name = { first = "Rick", last = "Sanchez" }, employment = "Multiverse Scientist" } },
        })
      end
      local prisoner = { name = { first = "Rick", last = "Sanchez" }, employment = "Galactic Fed Prisioner" }

      it("should update with JSON column (dot notation)", function()
        two()
        Event:update({ data = prisoner }, { where = { ["data.name.first"] = "Rick" } })
        assert.are.same(prisoner, Event:findByPk(2):get("data"))
        assert.are.same(homer(), Event:findByPk(1):get("data"))
      end)

      it("should update with JSON column (JSON notation)", function()
        two()
        Event:update({ data = prisoner }, { where = { data = { name = { first = "Rick" } } } })
        assert.are.same(prisoner, Event:findByPk(2):get("data"))
        assert.are.same(homer(), Event:findByPk(1):get("data"))
      end)

      it("should update an instance with JSON data", function()
        local event0 = Event:create({ data = homer() })
        event0:update({ data = { name = { first = "Homer", last = "Simpson" }, employment = null } })
        local events = Event:findAll()
        assert.are.same({ name = { first = "Homer", last = "Simpson" }, employment = null }, events[1]:get("data"))
      end)
    end)

    describe("find", function()
      it("should be possible to query a nested value", function()
        Event:create({ data = homer() })
        Event:create({ data = person("Marge", "Housewife") })
        local events = Event:findAll({ where = { data = { employment = "Housewife" } } })
        assert.are.equal(1, #events)
        assert.are.same(person("Marge", "Housewife"), events[1]:get("data"))
      end)

      it("should be possible to query dates with array operators", function()
        local t = os.time()
        local function iso(s) return os.date("!%Y-%m-%dT%H:%M:%S.000Z", s) end
        local now, before, after = iso(t), iso(t - 86400), iso(t + 86400)
        Event:create({ json = { user = "Homer", lastLogin = now } })
        local events0 = Event:findAll({ where = { json = { lastLogin = now } } })
        assert.are.equal(1, #events0)
        assert.are.same({ user = "Homer", lastLogin = now }, events0[1]:get("json"))
        local events = Event:findAll({ where = { json = { lastLogin = { [Op.between] = { before, after } } } } })
        assert.are.equal(1, #events)
        assert.are.same({ user = "Homer", lastLogin = now }, events[1]:get("json"))
      end)

      it("should be possible to query a boolean with array operators", function()
        Event:create({ json = { user = "Homer", active = true } })
        local events0 = Event:findAll({ where = { json = { active = true } } })
        assert.are.equal(1, #events0)
        assert.are.same({ user = "Homer", active = true }, events0[1]:get("json"))
        local events = Event:findAll({ where = { json = { active = { [Op["in"]] = { true, false } } } } })
        assert.are.equal(1, #events)
        assert.are.same({ user = "Homer", active = true }, events[1]:get("json"))
      end)

      it("should be possible to query a nested integer value", function()
        Event:create({ data = { name = { first = "Homer", last = "Simpson" }, age = 40 } })
        Event:create({ data = { name = { first = "Marge", last = "Simpson" }, age = 37 } })
        local events = Event:findAll({ where = { data = { age = { [Op.gt] = 38 } } } })
        assert.are.equal(1, #events)
        assert.are.same({ name = { first = "Homer", last = "Simpson" }, age = 40 }, events[1]:get("data"))
      end)

      it("should be possible to query a nested null value", function()
        Event:create({ data = homer() })
        Event:create({ data = person("Marge", null) })
        local events = Event:findAll({ where = { data = { employment = null } } })
        assert.are.equal(1, #events)
        assert.are.same(person("Marge", null), events[1]:get("data"))
      end)

      it("should be possible to query for nested fields with hyphens/dashes, #8718", function()
        local status = { status_report = { ["red-indicator"] = { ["level$$level"] = true } } }
        Event:create({ data = homer(status) })
        Event:create({ data = person("Marge", null) })
        local events = Event:findAll({ where = { data = status } })
        assert.are.equal(1, #events)
        assert.are.same(homer(status), events[1]:get("data"))
      end)

      it("should be possible to query multiple nested values", function()
        Event:create({ data = homer() })
        Event:create({ data = person("Marge", "Housewife") })
        Event:create({ data = person("Bart", "None") })
        local events = Event:findAll({
          where = { data = { name = { last = "Simpson" }, employment = { [Op.ne] = "None" } } },
          order = { { "id", "ASC" } },
        })
        assert.are.equal(2, #events)
        assert.are.same(homer(), events[1]:get("data"))
        assert.are.same(person("Marge", "Housewife"), events[2]:get("data"))
      end)

      it("should be possible to query a nested value and order results", function()
        Event:create({ data = homer() })
        Event:create({ data = person("Marge", "Housewife") })
        Event:create({ data = person("Bart", "None") })
        local events = Event:findAll({
          where = { data = { name = { last = "Simpson" } } },
          order = { { "data.name.first" } },
        })
        assert.are.equal(3, #events)
        assert.are.same(person("Bart", "None"), events[1]:get("data"))
        assert.are.same(homer(), events[2]:get("data"))
        assert.are.same(person("Marge", "Housewife"), events[3]:get("data"))
      end)
    end)

    describe("destroy", function()
      it("should be possible to destroy with where", function()
        local conditionSearch = { where = { data = { employment = "Hacker" } } }
        Event:create({ data = { name = { first = "Elliot", last = "Alderson" }, employment = "Hacker" } })
        Event:create({ data = { name = { first = "Christian", last = "Slater" }, employment = "Hacker" } })
        Event:create({ data = { name = { first = " Tyrell", last = "Wellick" }, employment = "CTO" } })
        assert.are.equal(2, #Event:findAll(conditionSearch))
        Event:destroy(conditionSearch)
        assert.are.equal(0, #Event:findAll(conditionSearch))
        assert.are.equal(1, Event:count())
      end)
    end)

    describe("sql injection attacks", function()
      local Model
      local exploit = "'); DELETE YOLO INJECTIONS; -- "

      before_each(function()
        Model = db:define("Model", { data = DataTypes.JSON })
        db:sync({ force = true })
      end)

      it("should properly escape the single quotes", function()
        Model:create({ data = { type = "Point", properties = { exploit = exploit } } })
        assert.are.equal(exploit, Model:findOne():get("data").properties.exploit)
      end)

      it("should properly escape path keys", function()
        local rows = Model:findAll({
          raw = true,
          attributes = { "id" },
          where = { data = { ["a')) AS DECIMAL) = 1 DELETE YOLO INJECTIONS; -- "] = 1 } },
        })
        assert.are.equal(0, #rows)
      end)

      it("should properly escape path keys with sequelize.json", function()
        local rows = Model:findAll({
          raw = true,
          attributes = { "id" },
          where = db:json("data.id')) AS DECIMAL) = 1 DELETE YOLO INJECTIONS; -- ", "1"),
        })
        assert.are.equal(0, #rows)
      end)

      it("should properly escape the single quotes in array", function()
        Model:create({ data = { type = "Point", coordinates = { 39.807222, "'); DELETE YOLO INJECTIONS; --" } } })
        assert.are.same({ 39.807222, "'); DELETE YOLO INJECTIONS; --" }, Model:findOne():get("data").coordinates)
      end)

      it("should be possible to find with properly escaped select query", function()
        local data = { type = "Point", properties = { exploit = exploit } }
        Model:create({ data = data })
        local result = Model:findOne({ where = { data = data } })
        assert.are.same(data, result:get("data"))
      end)

      it("should query an instance with JSONB data and order while trying to inject", function()
        Event:create({ data = homer() })
        Event:create({ data = person("Marge", "Housewife") })
        Event:create({ data = person("Bart", "None") })
        local events = Event:findAll({
          where = { data = { name = { last = "Simpson" } } },
          order = { { "data.name.first}'); INSERT INJECTION HERE! SELECT ('" } },
        })
        assert.truthy(events)
        assert.are.same(homer(), events[1]:get("data"))
      end)
    end)
  end)
end)
