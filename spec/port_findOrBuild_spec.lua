-- Port of Sequelize v6's test/integration/model/findOrBuild.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of findOrBuild.test.js)", function()
  local db, User, Project
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { username = DataTypes.STRING, age = DataTypes.INTEGER })
    Project = db:define("Project", { name = DataTypes.STRING })
    User:hasMany(Project)
    Project:belongsTo(User)
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("findOrBuild", function()
    it("initialize with includes", function()
      local users = User:bulkCreate({
        { username = "Mello", age = 10 },
        { username = "Mello", age = 20 },
      }, { returning = true })
      local user2 = users[2]
      local project = Project:create({ name = "Investigate" })
      user2:setProjects({ project })
      local user, created = User:findOrBuild({
        defaults = { username = "Mello", age = 10 },
        where = { age = 20 },
        include = { { model = Project } },
      })
      assert.is_false(created)
      assert.truthy(user:get("id"))
      assert.equal("Mello", user:get("username"))
      assert.equal(20, user:get("age"))
      assert.equal(1, #user.Projects)
      assert.equal("Investigate", user.Projects[1]:get("name"))
    end)
  end)
end)
