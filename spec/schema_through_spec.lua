-- A belongsToMany's join model made from a name (through = "UserProjects") is in the source's
-- schema, Sequelize.new's schema option by default: Sequelize defines it with the source's
-- options. Checked against Sequelize 6.37.8 (sqlite, in memory):
--   new Sequelize(..., { schema: 'foo' }); U.belongsToMany(P, { through: 'UserProjects' })
--     -> CREATE TABLE IF NOT EXISTS `foo.UserProjects` ...; INSERT INTO `foo.UserProjects` ...
--   the same with U defined { schema: 'bar' }        -> `bar.UserProjects`
--   no schema option, U { schema: 'bar' }            -> `bar.UserProjects`
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function run(global, own)
  local sqls = {}
  local db = Sequelize.new("sqlite::memory:", { logging = function(q) sqls[#sqls + 1] = q end, schema = global })
  local U = db:define("User", { name = DataTypes.STRING }, { schema = own })
  local P = db:define("Project", { title = DataTypes.STRING })
  U:belongsToMany(P, { through = "UserProjects" })
  db:sync()
  local u = U:create{ name = "a" }
  u:addProject(P:create{ title = "t" })
  local r = U:findAll{ include = P }
  assert.equal(1, #r[1].Projects)
  return table.concat(sqls, "\n"), db.models.UserProjects
end

describe("a join model made from a name", function()
  it("is in the db's schema", function()
    local log, J = run("foo", nil)
    assert.truthy(log:find("CREATE TABLE IF NOT EXISTS `foo.UserProjects`", 1, true))
    assert.truthy(log:find("INSERT INTO `foo.UserProjects`", 1, true))
    assert.equal("foo", J:getTableName().schema)
    assert.equal("UserProjects", J:getTableName().tableName)
  end)

  it("is in the source model's own schema", function()
    local log = run("foo", "bar")
    assert.truthy(log:find("CREATE TABLE IF NOT EXISTS `bar.UserProjects`", 1, true))
    log = run(nil, "bar")
    assert.truthy(log:find("CREATE TABLE IF NOT EXISTS `bar.UserProjects`", 1, true))
  end)

  it("has no schema when the source has none", function()
    local log = run(nil, nil)
    assert.truthy(log:find("CREATE TABLE IF NOT EXISTS `UserProjects`", 1, true))
  end)
end)
