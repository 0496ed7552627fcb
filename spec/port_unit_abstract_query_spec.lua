-- Port of Sequelize v6's test/unit/dialects/abstract/query.test.js (branch v6), sqlite dialect.
-- The _groupJoinData cases hand Query._groupJoinData rows as a JOIN gives them; here the same rows
-- are stored and read back through findAll with the matching include tree (an order on the
-- include's column makes the JOIN give them in the test's order, interleaved parents included),
-- and again with raw = true (the JOIN's flat rows, one per row, as Sequelize's raw) and nest = true.
-- Sequelize's `type: 'BINARY(16)'` keys are DataTypes.BLOB (a Lua string of bytes). The
-- _logQuery cases build a Query on a stub sequelize; here the logging option of a real one sees
-- the lines (the debug module's stub has no counterpart). A team keyed by (uuid, id) is joined on
-- `sourceKey = "uuid"`, Sequelize's primaryKeyAttribute there (the key declared first: a Lua table
-- has no order, and sequelua's first key is the first by name, id).
-- Skipped: none.
local Sequelize = require("sequelua")
local DT = Sequelize.DataTypes

local function hex(h) return (h:gsub("%x%x", function(c) return string.char(tonumber(c, 16)) end)) end
local ONE, TWO = hex("966ea4c3028c11e7bc99a99d4c0d78cf"), hex("966ecbd0028c11e7bc99a99d4c0d78cf")
local T0, T1, T2 = "2017-03-06T15:47:30.000Z", "2017-08-22T11:16:44.000Z", "2017-08-24T11:16:44.000Z"

-- the listed keys of each item (the included rows also hold the foreign key, which the test's
-- hand-made rows leave out)
local function pick(list, keys)
  local out = {}
  for i, item in ipairs(list) do
    local o = {}
    for _, k in ipairs(keys) do o[k] = item[k] end
    out[i] = o
  end
  return out
end

local function player_model(db, pk)
  local attrs = { created = DT.DATE, lastModified = DT.DATE }
  for k, v in pairs(pk) do attrs[k] = v end
  return db:define("player", attrs, { timestamps = false })
end

describe("[ABSTRACT] (port of dialects/abstract/query.test.js)", function()
  describe("_groupJoinData", function()
    -- one team "a" with two players and two agents: the JOIN gives their cross product
    local function team_with_agents(agent_pk, team_name)
      local db = Sequelize.new("sqlite::memory:")
      local Team = db:define("team", { id = { primaryKey = true, type = DT.STRING(1) }, name = DT.TEXT }, { timestamps = false })
      local Player = player_model(db, { id = { primaryKey = true, type = DT.STRING(3) } })
      local attrs = { uuid = { primaryKey = true, type = DT.BLOB }, name = DT.STRING }
      if agent_pk then attrs.id = { primaryKey = true, type = DT.STRING(1) } end
      local Agent = db:define("agent", attrs, { timestamps = false })
      Team:hasMany(Player, { foreignKey = "teamId" })
      Team:hasMany(Agent, { foreignKey = "teamId" })
      db:sync()
      Team:create{ id = "a", name = team_name }
      Player:bulkCreate{ { id = "1-1", teamId = "a", created = T0, lastModified = T0 },
                         { id = "2-1", teamId = "a", created = T0, lastModified = T1 } }
      Agent:bulkCreate{ { uuid = ONE, id = agent_pk and "p" or nil, name = "One", teamId = "a" },
                        { uuid = TWO, id = agent_pk and "z" or nil, name = "Two", teamId = "a" } }
      local order = { { Player, "id" }, { Agent, "name" } }
      local result = Team:findAll{ include = { Player, Agent }, order = order }
      local raw = Team:findAll{ include = { Player, Agent }, order = order, raw = true }
      local nest = Team:findAll{ include = { Player, Agent }, order = order, raw = true, nest = true }
      db:close()
      return result, raw, nest
    end

    it("should hash second nested set correctly, when has multiple primary keys and one is a Buffer", function()
      local result, raw, nest = team_with_agents(true, "vansh")
      assert.are.equal(1, #result)
      assert.are.equal("a", result[1].id)
      assert.is_truthy(result[1].name)
      assert.are.same({ { id = "p", uuid = ONE, name = "One" }, { id = "z", uuid = TWO, name = "Two" } },
        pick(result[1].agents, { "id", "uuid", "name" }))
      assert.are.equal(2, #result[1].players)
      -- raw: the JOIN's four rows, flat; nest: the same rows, each include an object
      assert.are.equal(4, #raw)
      assert.are.same({ "a", "1-1", ONE, "p" }, { raw[1].id, raw[1]["players.id"], raw[1]["agents.uuid"], raw[1]["agents.id"] })
      assert.are.same({ "a", "2-1", TWO, "z" }, { raw[4].id, raw[4]["players.id"], raw[4]["agents.uuid"], raw[4]["agents.id"] })
      assert.are.equal(4, #nest)
      assert.are.same({ "1-1", TWO, "Two" }, { nest[2].players.id, nest[2].agents.uuid, nest[2].agents.name })
    end)

    it("should hash second nested set correctly, when primary is a Buffer", function()
      local result, raw, nest = team_with_agents(false)
      assert.are.equal(1, #result)
      assert.are.equal("a", result[1].id)
      assert.are.same({ { uuid = ONE, name = "One" }, { uuid = TWO, name = "Two" } },
        pick(result[1].agents, { "id", "uuid", "name" }))
      assert.are.equal(4, #raw)
      assert.are.same({ ONE, TWO, ONE, TWO }, { raw[1]["agents.uuid"], raw[2]["agents.uuid"], raw[3]["agents.uuid"], raw[4]["agents.uuid"] })
      assert.are.equal(4, #nest)
      assert.are.same({ "2-1", ONE }, { nest[3].players.id, nest[3].agents.uuid })
    end)

    -- teams one and two; the JOIN ordered by lastModified gives team one, two, one (as the test's rows)
    local function two_teams(team_pk)
      local db = Sequelize.new("sqlite::memory:")
      local Team = db:define("team", team_pk, { timestamps = false })
      local Player = player_model(db, { id = { primaryKey = true, type = DT.STRING(3) } })
      -- (sourceKey: Sequelize's default, the key declared first; a Lua table has no order)
      Team:hasMany(Player, { foreignKey = "teamId", sourceKey = "uuid" })
      db:sync()
      local multi = team_pk.id ~= nil
      Team:bulkCreate{ { uuid = ONE, id = multi and "x" or nil }, { uuid = TWO, id = multi and "y" or nil } }
      Player:bulkCreate{ { id = "1-1", teamId = ONE, created = T0, lastModified = T0 },
                         { id = "2-1", teamId = TWO, created = T0, lastModified = T1 },
                         { id = "1-2", teamId = ONE, created = T0, lastModified = T2 } }
      local order = { { Player, "lastModified" } }
      local result = Team:findAll{ include = Player, order = order }
      local raw = Team:findAll{ include = Player, order = order, raw = true }
      local nest = Team:findAll{ include = Player, order = order, raw = true, nest = true }
      db:close()
      return result, raw, nest
    end
    local function check_two_teams(result, raw, nest)
      assert.are.equal(2, #result)
      assert.are.equal(ONE, result[1].uuid)
      assert.are.same({ { id = "1-1", created = T0, lastModified = T0 }, { id = "1-2", created = T0, lastModified = T2 } },
        pick(result[1].players, { "id", "created", "lastModified" }))
      assert.are.equal(TWO, result[2].uuid)
      assert.are.same({ { id = "2-1", created = T0, lastModified = T1 } },
        pick(result[2].players, { "id", "created", "lastModified" }))
      assert.are.equal(3, #raw)
      assert.are.same({ ONE, TWO, ONE }, { raw[1].uuid, raw[2].uuid, raw[3].uuid })
      assert.are.same({ "1-1", "2-1", "1-2" }, { raw[1]["players.id"], raw[2]["players.id"], raw[3]["players.id"] })
      assert.are.equal(3, #nest)
      assert.are.same({ TWO, "2-1", T1 }, { nest[2].uuid, nest[2].players.id, nest[2].players.lastModified })
    end

    it("should hash parents correctly, when has multiple primary keys and one is a Buffer", function()
      local result, raw, nest = two_teams({ uuid = { primaryKey = true, type = DT.BLOB },
                                            id = { primaryKey = true, type = DT.STRING(1) } })
      check_two_teams(result, raw, nest)
      assert.are.same({ "x", "y" }, { result[1].id, result[2].id })
    end)

    it("should hash parents correctly, when primary key is a Buffer", function()
      check_two_teams(two_teams({ uuid = { primaryKey = true, type = DT.BLOB } }))
    end)

    local function one_team(player_pk)
      local db = Sequelize.new("sqlite::memory:")
      local Team = db:define("team", { id = { primaryKey = true, type = DT.STRING(1) } }, { timestamps = false })
      local Player = player_model(db, player_pk)
      Team:hasMany(Player, { foreignKey = "teamId" })
      db:sync()
      Team:create{ id = "1" }
      local multi = player_pk.id ~= nil
      Player:bulkCreate{ { uuid = ONE, id = multi and "x" or nil, teamId = "1", created = T0, lastModified = T0 },
                         { uuid = TWO, id = multi and "y" or nil, teamId = "1", created = T0, lastModified = T1 } }
      local order = { { Player, "lastModified" } }
      local result = Team:findAll{ include = Player, order = order }
      local raw = Team:findAll{ include = Player, order = order, raw = true }
      local nest = Team:findAll{ include = Player, order = order, raw = true, nest = true }
      db:close()
      assert.are.equal(1, #result)
      assert.are.equal("1", result[1].id)
      assert.are.equal(2, #raw)
      assert.are.same({ ONE, TWO }, { raw[1]["players.uuid"], raw[2]["players.uuid"] })
      assert.are.same({ "1", TWO }, { nest[2].id, nest[2].players.uuid })
      return result
    end

    it("should hash nested correctly, when primary key is a Buffer", function()
      local result = one_team({ uuid = { primaryKey = true, type = DT.BLOB } })
      assert.are.same({ { uuid = ONE, created = T0, lastModified = T0 }, { uuid = TWO, created = T0, lastModified = T1 } },
        pick(result[1].players, { "id", "uuid", "created", "lastModified" }))
    end)

    it("should hash nested correctly, when has multiple primary keys and one is a Buffer", function()
      local result = one_team({ uuid = { primaryKey = true, type = DT.BLOB }, id = { primaryKey = true, type = DT.STRING(1) } })
      assert.are.same({ { uuid = ONE, id = "x", created = T0, lastModified = T0 },
                        { uuid = TWO, id = "y", created = T0, lastModified = T1 } },
        pick(result[1].players, { "id", "uuid", "created", "lastModified" }))
    end)
  end)

  describe("_logQuery", function()
    it("logs before and after", function()
      local calls = {}
      local db = Sequelize.new("sqlite::memory:", { logging = function(...) calls[#calls + 1] = { ... } end })
      db:query("SELECT 1")
      db:close()
      assert.are.equal(1, #calls)
      assert.are.equal("Executing (default): SELECT 1", calls[1][1])
    end)

    it("logs before and after with benchmark", function()
      local calls = {}
      local db = Sequelize.new("sqlite::memory:", { benchmark = true, logging = function(...) calls[#calls + 1] = { ... } end })
      db:query("SELECT 1")
      db:close()
      assert.are.equal(1, #calls)
      assert.are.equal("Executed (default): SELECT 1", calls[1][1])
      assert.are.equal("number", type(calls[1][2]))
      assert.are.equal(true, calls[1][3].benchmark)
    end)

    it("supports logging bigints", function()
      -- (2^62, an integer past 2^53 as the parameter; README: the values as a JSON list)
      local lines = {}
      local db = Sequelize.new("sqlite::memory:", { logQueryParameters = true, logging = function(l) lines[#lines + 1] = l end })
      local rows = db:query("SELECT $1 AS a", { bind = { 4611686018427387904 } })
      db:close()
      assert.are.equal(4611686018427387904, rows[1].a)
      -- (LuaJIT's number is a double, written as JavaScript writes one)
      local shown = math.type and "4611686018427387904" or "4611686018427388000"
      assert.are.same({ "Executing (default): SELECT $1 AS a; [" .. shown .. "]" }, lines)
    end)
  end)
end)
