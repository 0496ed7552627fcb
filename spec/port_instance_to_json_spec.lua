-- Port of Sequelize v6's test/integration/instance/to-json.test.js (branch v6), sqlite dialect.
-- Skipped: none. JSON.stringify(user) is Sequelize.stringify(user) (and tostring(user)); its keys
-- come in column order (API.md), so the exact-string tests compare that order, and JSON.parse is
-- cjson.decode.
local Sequelize = require("sequelua")
local cjson = require("cjson")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

describe("Instance (port of instance/to-json.test.js)", function()
  local db, User, Project

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING },
      age = DataTypes.INTEGER,
      level = { type = DataTypes.INTEGER },
      isUser = { type = DataTypes.BOOLEAN, defaultValue = false },
      isAdmin = { type = DataTypes.BOOLEAN },
    }, { timestamps = false })
    Project = db:define("NiceProject", { title = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Project, { as = "Projects", foreignKey = "lovelyUserId" })
    Project:belongsTo(User, { as = "LovelyUser", foreignKey = "lovelyUserId" })
    User:sync({ force = true })
    Project:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("toJSON", function()
    it("doesn't return instance that isn't defined", function()
      local project0 = Project:create{ lovelyUserId = NULL }
      local project = Project:findOne{ where = { id = project0.id }, include = { { model = User, as = "LovelyUser" } } }
      local json = project:toJSON()
      assert.equal(NULL, json.LovelyUser)
    end)

    it("doesn't return instances that aren't defined", function()
      local user0 = User:create{ username = "cuss" }
      local user = User:findOne{ where = { id = user0.id }, include = { { model = Project, as = "Projects" } } }
      assert.equal("table", type(user.Projects))
      assert.equal(0, #user.Projects)
      assert.truthy(tostring(user):find('"Projects":[]', 1, true))
    end)

    describe("build", function()
      it("returns an object containing all values", function()
        local user = User:build{ username = "Adam", age = 22, level = -1, isUser = false, isAdmin = true }
        assert.same({ id = NULL, username = "Adam", age = 22, level = -1, isUser = false, isAdmin = true }, user:toJSON())
      end)

      it("returns a response that can be stringified", function()
        local user = User:build{ username = "test.user", age = 99, isAdmin = true, isUser = false }
        assert.equal('{"id":null,"age":99,"isAdmin":true,"isUser":false,"username":"test.user"}', Sequelize.stringify(user))
      end)

      it("returns a response that can be stringified and then parsed", function()
        local user = User:build{ username = "test.user", age = 99, isAdmin = true }
        assert.same({ username = "test.user", age = 99, isAdmin = true, isUser = false, id = cjson.null },
          cjson.decode(Sequelize.stringify(user)))
      end)
    end)

    describe("create", function()
      it("returns an object containing all values", function()
        local user = User:create{ username = "Adam", age = 22, level = -1, isUser = false, isAdmin = true }
        assert.same({ id = user:get("id"), username = "Adam", age = 22, isUser = false, isAdmin = true, level = -1 },
          user:toJSON())
      end)

      it("returns a response that can be stringified", function()
        local user = User:create{ username = "test.user", age = 99, isAdmin = true, isUser = false, level = NULL }
        assert.equal(('{"id":%d,"age":99,"isAdmin":true,"isUser":false,"level":null,"username":"test.user"}')
          :format(user:get("id")), Sequelize.stringify(user))
      end)

      it("returns a response that can be stringified and then parsed", function()
        local user = User:create{ username = "test.user", age = 99, isAdmin = true, level = NULL }
        assert.same({ age = 99, id = user:get("id"), isAdmin = true, isUser = false, level = cjson.null,
          username = "test.user" }, cjson.decode(Sequelize.stringify(user)))
      end)
    end)

    describe("find", function()
      it("returns an object containing all values", function()
        local user0 = User:create{ username = "Adam", age = 22, level = -1, isUser = false, isAdmin = true }
        local user = User:findByPk(user0:get("id"))
        assert.same({ id = user:get("id"), username = "Adam", age = 22, level = -1, isUser = false, isAdmin = true },
          user:toJSON())
      end)

      it("returns a response that can be stringified", function()
        local user0 = User:create{ username = "test.user", age = 99, isAdmin = true, isUser = false }
        local user = User:findByPk(user0:get("id"))
        assert.equal(('{"id":%d,"age":99,"isAdmin":true,"isUser":false,"level":null,"username":"test.user"}')
          :format(user:get("id")), Sequelize.stringify(user))
      end)

      it("returns a response that can be stringified and then parsed", function()
        local user0 = User:create{ username = "test.user", age = 99, isAdmin = true }
        local user = User:findByPk(user0:get("id"))
        assert.same({ id = user:get("id"), username = "test.user", age = 99, isAdmin = true, isUser = false,
          level = cjson.null }, cjson.decode(Sequelize.stringify(user)))
      end)
    end)

    it("includes the eagerly loaded associations", function()
      local user = User:create{ username = "fnord", age = 1, isAdmin = true }
      local project = Project:create{ title = "fnord" }
      user:setProjects{ project }
      local users = User:findAll{ include = { { model = Project, as = "Projects" } } }
      local _user = users[1]
      assert.truthy(_user.Projects)
      assert.equal("fnord", cjson.decode(Sequelize.stringify(_user)).Projects[1].title)
      local projects = Project:findAll{ include = { { model = User, as = "LovelyUser" } } }
      local _project = projects[1]
      assert.truthy(_project.LovelyUser)
      assert.equal("fnord", cjson.decode(Sequelize.stringify(_project)).LovelyUser.username)
    end)
  end)
end)
