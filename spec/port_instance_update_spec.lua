-- Port of Sequelize v6's test/integration/instance/update.test.js (branch v6), sqlite dialect.
-- Skipped:
--   supports transactions: one connection per db, a read without `transaction` joins the open one
--     (README, "Decisions that differ"; as port_save_spec)
-- "ignores undefined attributes": a nil value is a missing key in Lua, as `undefined` is skipped.
-- The fake clock is replaced: "should update timestamps with milliseconds" compares createdAt with
-- the time around the create, to the millisecond; "doesn't update primary keys or timestamps" sets the
-- stored updatedAt back before the update (no sleeps).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local errors = Sequelize.errors

local n = 0
local function rand_name() n = n + 1; return "User" .. n end

describe("Instance (port of instance/update.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING },
      uuidv1 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1 },
      uuidv4 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
      touchedAt = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
      aNumber = { type = DataTypes.INTEGER },
      bNumber = { type = DataTypes.INTEGER },
      aDate = { type = DataTypes.DATE },
      validateTest = { type = DataTypes.INTEGER, allowNull = true, validate = { isInt = true } },
      validateCustom = { type = DataTypes.STRING, allowNull = true,
                         validate = { len = { msg = "Length failed.", args = { 1, 20 } } } },
      validateSideEffect = {
        type = DataTypes.VIRTUAL, allowNull = true, validate = { isInt = true },
        set = function(self, val)
          self:setDataValue("validateSideEffect", val)
          self:setDataValue("validateSideAffected", val * 2)
        end,
      },
      validateSideAffected = { type = DataTypes.INTEGER, allowNull = true, validate = { isInt = true } },
      dateAllowNullTrue = { type = DataTypes.DATE, allowNull = true },
    })
    User:sync({ force = true })
  end)
  after_each(function() db:close() end)

  local function simple(opts, attrs)
    local U = db:define(rand_name(), attrs or { name = DataTypes.STRING, bio = DataTypes.TEXT, email = DataTypes.STRING }, opts)
    U:sync({ force = true })
    return U
  end

  describe("update", function()
    it("should update fields that are not specified on create", function()
      local U = simple()
      local user1 = U:create({ name = "snafu", email = "email" }, { fields = { "name", "email" } })
      local user = user1:update{ bio = "swag" }:reload()
      assert.equal("snafu", user:get("name"))
      assert.equal("email", user:get("email"))
      assert.equal("swag", user:get("bio"))
    end)

    it("should succeed in updating when values are unchanged (without timestamps)", function()
      local U = simple({ timestamps = false })
      local user1 = U:create({ name = "snafu", email = "email" }, { fields = { "name", "email" } })
      local user = user1:update{ name = "snafu", email = "email" }:reload()
      assert.equal("snafu", user:get("name"))
      assert.equal("email", user:get("email"))
    end)

    it("should update timestamps with milliseconds", function()
      local U = simple({ timestamps = true }, {
        name = DataTypes.STRING, bio = DataTypes.TEXT, email = DataTypes.STRING,
        createdAt = { type = DataTypes.DATE(6), allowNull = false },
        updatedAt = { type = DataTypes.DATE(6), allowNull = false },
      })
      local before = os.time()
      local user0 = U:create{ name = "snafu", email = "email" }
      local user = user0:reload()
      assert.equal("snafu", user:get("name"))
      assert.equal("email", user:get("email"))
      assert.equal(user0.createdAt, user:get("createdAt"))
      assert.truthy(user:get("createdAt"):match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"))
      assert.is_true(user:get("createdAt") >= os.date("!%Y-%m-%dT%H:%M:%S", before))
    end)

    it("should only save passed attributes", function()
      local user = User:build()
      user:save()
      user:set("validateTest", 5)
      assert.truthy(user:changed("validateTest"))
      user:update{ validateCustom = "1" }
      assert.truthy(user:changed("validateTest"))
      assert.equal(5, user.validateTest)
      user:reload()
      assert.are_not.equal(5, user.validateTest)
    end)

    it("should save attributes affected by setters", function()
      local user = User:build()
      user:update{ validateSideEffect = 5 }
      assert.equal(5, user.validateSideEffect)
      user:reload()
      assert.equal(10, user.validateSideAffected)
      assert.falsy(user.validateSideEffect)
    end)

    describe("hooks", function()
      local function hooked(email, validate)
        local U = db:define(rand_name(), {
          name = DataTypes.STRING, bio = DataTypes.TEXT,
          email = validate and { type = DataTypes.STRING, validate = { isEmail = true } } or DataTypes.STRING,
        })
        U:beforeUpdate(function(instance) instance:set("email", email) end)
        U:sync({ force = true })
        return U
      end

      it("should update attributes added in hooks when default fields are used", function()
        local U = hooked("B")
        local user0 = U:create{ name = "A", bio = "A", email = "A" }
        user0:update{ name = "B", bio = "B" }
        local user = U:findOne({})
        assert.equal("B", user:get("name"))
        assert.equal("B", user:get("bio"))
        assert.equal("B", user:get("email"))
      end)

      it("should update attributes changed in hooks when default fields are used", function()
        local U = hooked("C")
        local user0 = U:create{ name = "A", bio = "A", email = "A" }
        user0:update{ name = "B", bio = "B", email = "B" }
        local user = U:findOne({})
        assert.equal("B", user:get("name"))
        assert.equal("B", user:get("bio"))
        assert.equal("C", user:get("email"))
      end)

      it("should validate attributes added in hooks when default fields are used", function()
        local U = hooked("B", true)
        local user0 = U:create{ name = "A", bio = "A", email = "valid.email@gmail.com" }
        local err = support.catch_error(function() user0:update{ name = "B" } end)
        assert.is_true(err:is(errors.ValidationError))
        assert.equal("valid.email@gmail.com", U:findOne({}):get("email"))
      end)

      it("should validate attributes changed in hooks when default fields are used", function()
        local U = hooked("B", true)
        local user0 = U:create{ name = "A", bio = "A", email = "valid.email@gmail.com" }
        local err = support.catch_error(function()
          user0:update{ name = "B", email = "still.valid.email@gmail.com" }
        end)
        assert.is_true(err:is(errors.ValidationError))
        assert.equal("valid.email@gmail.com", U:findOne({}):get("email"))
      end)
    end)

    it("should not set attributes that are not specified by fields", function()
      local U = simple()
      local user0 = U:create{ name = "snafu", email = "email" }
      local user = user0:update({ bio = "heyo", email = "heho" }, { fields = { "bio" } })
      assert.equal("snafu", user:get("name"))
      assert.equal("email", user:get("email"))
      assert.equal("heyo", user:get("bio"))
    end)

    it("updates attributes in the database", function()
      local user = User:create{ username = "user" }
      assert.equal("user", user.username)
      local user0 = user:update{ username = "person" }
      assert.equal("person", user0.username)
      assert.equal("person", User:findByPk(user.id).username)
    end)

    it("ignores unknown attributes", function()
      local user = User:create{ username = "user" }
      local user0 = user:update{ username = "person", foo = "bar" }
      assert.equal("person", user0.username)
      assert.is_nil(user0.foo)
    end)

    it("ignores undefined attributes", function()
      User:sync({ force = true })
      local user = User:create{ username = "user" }
      local user0 = user:update{ username = nil }
      assert.equal("user", user0.username)
    end)

    it("doesn't update primary keys or timestamps", function()
      local OLD = "2000-01-01T00:00:00.000Z"
      local U = simple(nil, { name = DataTypes.STRING, bio = DataTypes.TEXT,
        identifier = { type = DataTypes.STRING, primaryKey = true } })
      local user = U:create{ name = "snafu", identifier = "identifier" }
      U:update({ updatedAt = OLD }, { where = { identifier = "identifier" }, silent = true })
      user:reload()
      local oldCreatedAt, oldUpdatedAt, oldIdentifier = user.createdAt, user.updatedAt, user.identifier
      local user0 = user:update{ name = "foobar", createdAt = "2000-02-01T00:00:00.000Z", identifier = "another identifier" }
      assert.equal(oldCreatedAt, user0.createdAt)
      assert.are_not.equal(oldUpdatedAt, user0.updatedAt)
      assert.equal(oldIdentifier, user0.identifier)
      local stored = U:findAll()
      assert.equal(1, #stored)
      assert.equal("identifier", stored[1].identifier)
      assert.equal(oldCreatedAt, stored[1].createdAt)
      assert.equal("foobar", stored[1].name)
    end)

    it("stores and restores null values", function()
      local Download = db:define("download", {
        startedAt = DataTypes.DATE, canceledAt = DataTypes.DATE, finishedAt = DataTypes.DATE,
      })
      Download:sync()
      local download = Download:create{ startedAt = os.time() }
      assert.equal("string", type(download.startedAt))
      assert.falsy(download.canceledAt)
      assert.falsy(download.finishedAt)
      local download0 = download:update{ canceledAt = os.time() }
      assert.equal("string", type(download0.startedAt))
      assert.equal("string", type(download0.canceledAt))
      assert.falsy(download0.finishedAt)
      local downloads = Download:findAll{ where = { finishedAt = Sequelize.null } }
      assert.equal(1, #downloads)
      for _, d in ipairs(downloads) do
        assert.equal("string", type(d.startedAt))
        assert.equal("string", type(d.canceledAt))
        assert.falsy(d.finishedAt)
      end
    end)

    it("should support logging", function()
      local called = false
      local user = User:create({})
      user:update({ username = "yolo" }, { logging = function() called = true end })
      assert.is_true(called)
    end)
  end)
end)
