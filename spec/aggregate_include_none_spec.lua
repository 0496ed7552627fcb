-- count / aggregate whose include is none (an empty list or Sequelize.null) on the paths that
-- strip the includes' columns (count with a group; aggregate's includeIgnoreAttributes = false):
-- Sequelize's _conformIncludes drops `include: []`, so these run as without an include.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("count / aggregate with an empty include", function()
  local db, User
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { name = DataTypes.STRING, n = DataTypes.INTEGER })
    local Post = db:define("Post", { title = DataTypes.STRING })
    User:hasMany(Post)
    db:sync()
    User:create({ name = "a", n = 3 })
  end)
  teardown(function() db:close() end)

  it("count with a group and include = {} or Sequelize.null", function()
    local rows = User:count({ group = { "User.id" }, include = {} })
    assert.are.equal(1, rows[1].count)
    rows = User:count({ group = { "User.id" }, include = Sequelize.null })
    assert.are.equal(1, rows[1].count)
  end)

  it("aggregate with includeIgnoreAttributes = false and include = {} or Sequelize.null", function()
    assert.are.equal(3, User:sum("n", { group = { "User.id" }, include = {}, includeIgnoreAttributes = false }))
    assert.are.equal(3, User:sum("n", { group = { "User.id" }, include = Sequelize.null, includeIgnoreAttributes = false }))
  end)
end)
