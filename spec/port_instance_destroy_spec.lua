-- Port of Sequelize v6's test/integration/instance/destroy.test.js (branch v6), sqlite dialect.
-- Skipped:
--   supports transactions: one connection per db, a read without `transaction` joins the open one
--     (README, "Decisions that differ"; as port_save_spec)
--   converts Infinity in where clause to a timestamp: postgres only
-- "delete a record of multiple primary keys table" reads the key values in the logged line: Sequelize's
-- sqlite writes them into the SQL, sequelua binds them, so that db logs with logQueryParameters.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of instance/destroy.test.js)", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  local function paranoid_user(attrs, opts)
    local o = { paranoid = true }
    for k, v in pairs(opts or {}) do o[k] = v end
    local P = db:define("ParanoidUser", attrs or { username = DataTypes.STRING }, o)
    P:sync({ force = true })
    return P
  end

  describe("destroy", function()
    it("does not set the deletedAt date in subsequent destroys if dao is paranoid", function()
      local UserDestroy = db:define("UserDestroy", { name = DataTypes.STRING, bio = DataTypes.TEXT }, { paranoid = true })
      UserDestroy:sync({ force = true })
      local user = UserDestroy:create{ name = "hallo", bio = "welt" }
      user:destroy()
      user:reload{ paranoid = false }
      local deletedAt = user.deletedAt
      assert.truthy(deletedAt)
      UserDestroy:update({ deletedAt = "2000-01-01T00:00:00.000Z" }, { where = { id = user.id }, paranoid = false, silent = true })
      user:reload{ paranoid = false }
      deletedAt = user.deletedAt
      user:destroy()
      user:reload{ paranoid = false }
      assert.equal(deletedAt, user.deletedAt)
    end)

    it("does not update deletedAt with custom default in subsequent destroys", function()
      local ParanoidUser = paranoid_user{
        username = DataTypes.STRING,
        deletedAt = { type = DataTypes.DATE, defaultValue = "1970-01-01T00:00:00.000Z" },
      }
      local user1 = ParanoidUser:create{ username = "username" }
      local user0 = user1:destroy()
      local deletedAt = user0.deletedAt
      assert.truthy(deletedAt)
      assert.are_not.equal("1970-01-01T00:00:00.000Z", deletedAt)
      local user = user0:destroy()
      assert.truthy(user)
      assert.equal(deletedAt, user.deletedAt)
    end)

    it("deletes a record from the database if dao is not paranoid", function()
      local UserDestroy = db:define("UserDestroy", { name = DataTypes.STRING, bio = DataTypes.TEXT })
      UserDestroy:sync({ force = true })
      local u = UserDestroy:create{ name = "hallo", bio = "welt" }
      assert.equal(1, #UserDestroy:findAll())
      u:destroy()
      assert.equal(0, #UserDestroy:findAll())
    end)

    it("allows updating soft deleted instance", function()
      local ParanoidUser = paranoid_user()
      local user2 = ParanoidUser:create{ username = "username" }
      local user1 = user2:destroy()
      assert.truthy(user1.deletedAt)
      local deletedAt = user1.deletedAt
      user1.username = "foo"
      local user0 = user1:save()
      assert.equal("foo", user0.username)
      assert.equal(deletedAt, user0.deletedAt, "should not update deletedAt")
      local user = ParanoidUser:findOne{ paranoid = false, where = { username = "foo" } }
      assert.truthy(user)
      assert.truthy(user.deletedAt)
    end)

    it("supports custom deletedAt field", function()
      local ParanoidUser = paranoid_user({ username = DataTypes.STRING, destroyTime = DataTypes.DATE },
        { deletedAt = "destroyTime" })
      local user1 = ParanoidUser:create{ username = "username" }
      local user0 = user1:destroy()
      assert.truthy(user0.destroyTime)
      assert.is_nil(user0.deletedAt)
      local user = ParanoidUser:findOne{ paranoid = false, where = { username = "username" } }
      assert.truthy(user)
      assert.truthy(user.destroyTime)
      assert.is_nil(user.deletedAt)
    end)

    it("supports custom deletedAt database column", function()
      local ParanoidUser = paranoid_user{
        username = DataTypes.STRING, deletedAt = { type = DataTypes.DATE, field = "deleted_at" },
      }
      local user1 = ParanoidUser:create{ username = "username" }
      local user0 = user1:destroy()
      assert.truthy(user0.dataValues.deletedAt)
      assert.is_nil(user0.dataValues.deleted_at)
      local user = ParanoidUser:findOne{ paranoid = false, where = { username = "username" } }
      assert.truthy(user)
      assert.truthy(user.deletedAt)
      assert.is_nil(user.deleted_at)
    end)

    it("supports custom deletedAt field and database column", function()
      local ParanoidUser = paranoid_user({
        username = DataTypes.STRING, destroyTime = { type = DataTypes.DATE, field = "destroy_time" },
      }, { deletedAt = "destroyTime" })
      local user1 = ParanoidUser:create{ username = "username" }
      local user0 = user1:destroy()
      assert.truthy(user0.dataValues.destroyTime)
      assert.is_nil(user0.dataValues.destroy_time)
      local user = ParanoidUser:findOne{ paranoid = false, where = { username = "username" } }
      assert.truthy(user)
      assert.truthy(user.destroyTime)
      assert.is_nil(user.destroy_time)
    end)

    it("persists other model changes when soft deleting", function()
      local ParanoidUser = paranoid_user()
      local user4 = ParanoidUser:create{ username = "username" }
      user4.username = "foo"
      local user3 = user4:destroy()
      assert.equal("foo", user3.username)
      assert.truthy(user3.deletedAt)
      local deletedAt = user3.deletedAt
      local user2 = ParanoidUser:findOne{ paranoid = false, where = { username = "foo" } }
      assert.truthy(user2)
      assert.equal(deletedAt:sub(1, 19), user2.deletedAt:sub(1, 19))
      assert.equal("foo", user2.username)
      local user1 = user2
      user1.username = "bar"
      local user0 = user1:destroy()
      assert.equal(deletedAt:sub(1, 19), user0.deletedAt:sub(1, 19),
        "should not updated deletedAt when destroying multiple times")
      local user = ParanoidUser:findOne{ paranoid = false, where = { username = "bar" } }
      assert.truthy(user)
      assert.equal(deletedAt:sub(1, 19), user.deletedAt:sub(1, 19))
      assert.equal("bar", user.username)
    end)

    it("allows sql logging of delete statements", function()
      local UserDelete = db:define("UserDelete", { name = DataTypes.STRING, bio = DataTypes.TEXT })
      UserDelete:sync({ force = true })
      local u = UserDelete:create{ name = "hallo", bio = "welt" }
      assert.equal(1, #UserDelete:findAll())
      local calls = {}
      u:destroy{ logging = function(sql) calls[#calls + 1] = sql end }
      assert.equal(1, #calls, "should call logging")
      assert.truthy(calls[1]:upper():find("DELETE", 1, true))
    end)

    it("allows sql logging of update statements", function()
      local UserDelete = db:define("UserDelete", { name = DataTypes.STRING, bio = DataTypes.TEXT }, { paranoid = true })
      UserDelete:sync({ force = true })
      local u = UserDelete:create{ name = "hallo", bio = "welt" }
      assert.equal(1, #UserDelete:findAll())
      local calls = {}
      u:destroy{ logging = function(sql) calls[#calls + 1] = sql end }
      assert.equal(1, #calls, "should call logging")
      assert.truthy(calls[1]:upper():find("UPDATE", 1, true))
    end)

    it("should not call save hooks when soft deleting", function()
      local nbefore, nafter = 0, 0
      local ParanoidUser = db:define("ParanoidUser", { username = DataTypes.STRING }, {
        paranoid = true,
        hooks = {
          beforeSave = function() nbefore = nbefore + 1 end,
          afterSave = function() nafter = nafter + 1 end,
        },
      })
      ParanoidUser:sync({ force = true })
      local user0 = ParanoidUser:create{ username = "username" }
      nbefore, nafter = 0, 0
      local user = user0:destroy()
      assert.equal(0, nbefore, "should not call beforeSave")
      assert.equal(0, nafter, "should not call afterSave")
      user:destroy{ hooks = true }
      assert.equal(0, nbefore, "should not call beforeSave even if `hooks: true`")
      assert.equal(0, nafter, "should not call afterSave even if `hooks: true`")
    end)

    it("delete a record of multiple primary keys table", function()
      local ldb = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logQueryParameters = true }
      local MultiPrimary = ldb:define("MultiPrimary", {
        bilibili = { type = DataTypes.CHAR(2), primaryKey = true },
        guruguru = { type = DataTypes.CHAR(2), primaryKey = true },
      })
      MultiPrimary:sync({ force = true })
      MultiPrimary:create{ bilibili = "bl", guruguru = "gu" }
      local m2 = MultiPrimary:create{ bilibili = "bl", guruguru = "ru" }
      assert.equal(2, #MultiPrimary:findAll())
      local n = 0
      m2:destroy{ logging = function(sql)
        n = n + 1
        assert.truthy(sql:upper():find("DELETE", 1, true))
        assert.truthy(sql:find("ru", 1, true))
        assert.truthy(sql:find("bl", 1, true))
      end }
      assert.equal(1, n)
      local ms0 = MultiPrimary:findAll()
      assert.equal(1, #ms0)
      assert.equal("bl", ms0[1].bilibili)
      assert.equal("gu", ms0[1].guruguru)
      ldb:close()
    end)
  end)
end)
