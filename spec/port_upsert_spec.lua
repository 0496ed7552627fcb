-- Port of Sequelize v6's test/integration/model/upsert.test.js (branch v6), sqlite dialect.
-- Skipped:
--   Should throw foreignKey violation for MERGE statement as ForeignKeyConstraintError: mssql only
--   works when deletedAt is Infinity and part of primary key: postgres only
--   returns values (4 tests): sqlite does not support returnValues in Sequelize v6 (skipped there)
-- Differences kept (README, "Decisions that differ"): `created` is true for a new row and false
-- for an updated one (Sequelize on SQLite gives null), so the tests assert those.
-- Sequelize's tests run under sinon's fake clock and tick it between upserts; these run on the
-- real clock without sleeping: a clock tick is a move of the stored timestamps into the past
-- (age_rows), so "updatedAt after createdAt" means the update wrote a new updatedAt.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function catch(fn) return support.catch_error(fn) end

describe("Model (port of upsert.test.js)", function()
  local db, User, ModelWithFieldPK

  -- the clock tick: the table's rows were written a second earlier
  local function age_rows(M)
    db:query("UPDATE `" .. M.tableName .. "` SET `createdAt` = '2000-01-01 00:00:00.000 +00:00', "
      .. "`updatedAt` = '2000-01-01 00:00:00.000 +00:00'")
  end
  local function after(a, b) return a > b end -- ISO-8601 UTC strings compare as times

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("user", {
      username = DataTypes.STRING,
      foo = { unique = "foobar", type = DataTypes.STRING },
      bar = { unique = "foobar", type = DataTypes.INTEGER },
      baz = { type = DataTypes.STRING, field = "zab", defaultValue = "BAZ_DEFAULT_VALUE" },
      blob = DataTypes.BLOB,
    })
    ModelWithFieldPK = db:define("ModelWithFieldPK", {
      userId = { field = "user_id", type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true },
      foo = { type = DataTypes.STRING, unique = true },
    })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("upsert", function()
    it("works with upsert on id", function()
      local _, created0 = User:upsert{ id = 42, username = "john" }
      assert.is_true(created0)
      age_rows(User)
      local _, created = User:upsert{ id = 42, username = "doe" }
      assert.is_false(created)
      local user = User:findByPk(42)
      assert.truthy(user.createdAt)
      assert.equal("doe", user.username)
      assert.is_true(after(user.updatedAt, user.createdAt))
    end)

    it("works with upsert on a composite key", function()
      local _, created0 = User:upsert{ foo = "baz", bar = 19, username = "john" }
      assert.is_true(created0)
      age_rows(User)
      local _, created = User:upsert{ foo = "baz", bar = 19, username = "doe" }
      assert.is_false(created)
      local user = User:findOne{ where = { foo = "baz", bar = 19 } }
      assert.truthy(user.createdAt)
      assert.equal("doe", user.username)
      assert.is_true(after(user.updatedAt, user.createdAt))
    end)

    it("should work with UUIDs wth default values", function()
      local U = db:define("User", {
        id = { primaryKey = true, allowNull = false, unique = true, type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
        name = { type = DataTypes.STRING },
      })
      U:sync({ force = true })
      U:upsert{ name = "John Doe" }
    end)

    it("works with upsert on a composite primary key", function()
      local U = db:define("user", {
        a = { type = DataTypes.STRING, primaryKey = true },
        b = { type = DataTypes.STRING, primaryKey = true },
        username = DataTypes.STRING,
      })
      U:sync({ force = true })
      local _, c1 = U:upsert{ a = "a", b = "b", username = "john" }
      local _, c2 = U:upsert{ a = "a", b = "a", username = "curt" }
      assert.is_true(c1)
      assert.is_true(c2)
      age_rows(U)
      local _, created = U:upsert{ a = "a", b = "b", username = "doe" }
      assert.is_false(created)
      local user1 = U:findOne{ where = { a = "a", b = "b" } }
      assert.truthy(user1.createdAt)
      assert.equal("doe", user1.username)
      assert.is_true(after(user1.updatedAt, user1.createdAt))
      local user2 = U:findOne{ where = { a = "a", b = "a" } }
      assert.truthy(user2.createdAt)
      assert.equal("curt", user2.username)
      assert.equal(user2.createdAt, user2.updatedAt)
    end)

    it("supports validations", function()
      local U = db:define("user", { email = { type = DataTypes.STRING, validate = { isEmail = true } } })
      local err = catch(function() U:upsert{ email = "notanemail" } end)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
    end)

    it("supports skipping validations", function()
      local U = db:define("user", { email = { type = DataTypes.STRING, validate = { isEmail = true } } })
      U:sync({ force = true })
      local _, created = U:upsert({ id = 1, email = "notanemail" }, { validate = false })
      assert.is_true(created)
    end)

    it("works with BLOBs", function()
      local _, created0 = User:upsert{ id = 42, username = "john", blob = "kaj" }
      assert.is_true(created0)
      age_rows(User)
      local _, created = User:upsert{ id = 42, username = "doe", blob = "andrea" }
      assert.is_false(created)
      local user = User:findByPk(42)
      assert.truthy(user.createdAt)
      assert.equal("doe", user.username)
      assert.equal("andrea", tostring(user.blob))
      assert.is_true(after(user.updatedAt, user.createdAt))
    end)

    it("works with .field", function()
      local _, created0 = User:upsert{ id = 42, baz = "foo" }
      assert.is_true(created0)
      local _, created = User:upsert{ id = 42, baz = "oof" }
      assert.is_false(created)
      assert.equal("oof", User:findByPk(42).baz)
    end)

    it("works with primary key using .field", function()
      local _, created0 = ModelWithFieldPK:upsert{ userId = 42, foo = "first" }
      assert.is_true(created0)
      local _, created = ModelWithFieldPK:upsert{ userId = 42, foo = "second" }
      assert.is_false(created)
      local instance = ModelWithFieldPK:findOne{ where = { userId = 42 } }
      assert.equal("second", instance.foo)
    end)

    it("works with database functions", function()
      local _, created0 = User:upsert{ id = 42, username = "john", foo = Sequelize.fn("upper", "mixedCase1") }
      assert.is_true(created0)
      age_rows(User)
      local _, created = User:upsert{ id = 42, username = "doe", foo = Sequelize.fn("upper", "mixedCase2") }
      assert.is_false(created)
      local user = User:findByPk(42)
      assert.truthy(user.createdAt)
      assert.equal("doe", user.username)
      assert.equal("MIXEDCASE2", user.foo)
    end)

    it("does not overwrite createdAt time on update", function()
      User:create{ id = 42, username = "john" }
      age_rows(User)
      local user0 = User:findByPk(42)
      local originalCreatedAt, originalUpdatedAt = user0.createdAt, user0.updatedAt
      User:upsert{ id = 42, username = "doe" }
      local user = User:findByPk(42)
      assert.is_true(after(user.updatedAt, originalUpdatedAt))
      assert.equal(originalCreatedAt, user.createdAt)
    end)

    it("does not overwrite createdAt when supplied as an explicit insert value when using fields", function()
      local originalCreatedAt = "2010-01-01T12:00:00.000Z"
      User:upsert({ id = 42, username = "john", createdAt = originalCreatedAt }, { fields = { "id", "username" } })
      local user = User:findByPk(42)
      assert.equal(originalCreatedAt, user.createdAt)
    end)

    it("falls back to a noop if no update values are found in the upsert data", function()
      local U = db:define("user", {
        username = DataTypes.STRING,
        email = { type = DataTypes.STRING, field = "email_address", defaultValue = "xxx@yyy.zzz" },
      }, { timestamps = false })
      U:sync({ force = true })
      U:upsert({ id = 42, username = "jack" }, { fields = { "email" } })
      U:upsert({ id = 42, username = "jill" }, { fields = { "email" } })
      local user = U:findByPk(42)
      assert.truthy(user)
      assert.equal("jack", user.username)
    end)

    it("does not update using default values", function()
      User:create{ id = 42, username = "john", baz = "new baz value" }
      local user0 = User:findByPk(42)
      assert.equal("john", user0.username)
      assert.equal("new baz value", user0.baz)
      User:upsert{ id = 42, username = "doe" }
      local user = User:findByPk(42)
      assert.equal("doe", user.username)
      assert.equal("new baz value", user.baz)
    end)

    it("does not update when setting current values", function()
      User:create{ id = 42, username = "john" }
      local user = User:findByPk(42)
      local _, created = User:upsert{ id = user.id, username = user.username }
      assert.is_false(created)
    end)

    it("works when two separate uniqueKeys are passed", function()
      local U = db:define("User", {
        username = { type = DataTypes.STRING, unique = true },
        email = { type = DataTypes.STRING, unique = true },
        city = { type = DataTypes.STRING },
      })
      U:sync({ force = true })
      local _, created0 = U:upsert{ username = "user1", email = "user1@domain.ext", city = "City" }
      assert.is_true(created0)
      age_rows(U)
      local _, created = U:upsert{ username = "user1", email = "user1@domain.ext", city = "New City" }
      assert.is_false(created)
      local user = U:findOne{ where = { username = "user1", email = "user1@domain.ext" } }
      assert.truthy(user.createdAt)
      assert.equal("New City", user.city)
      assert.is_true(after(user.updatedAt, user.createdAt))
    end)

    it("works when indexes are created via indexes array", function()
      local U = db:define("User", {
        username = DataTypes.STRING, email = DataTypes.STRING, city = DataTypes.STRING,
      }, { indexes = { { unique = true, fields = { "username" } }, { unique = true, fields = { "email" } } } })
      U:sync({ force = true })
      local _, created0 = U:upsert{ username = "user1", email = "user1@domain.ext", city = "City" }
      assert.is_true(created0)
      local _, created = U:upsert{ username = "user1", email = "user1@domain.ext", city = "New City" }
      assert.is_false(created)
      local user = U:findOne{ where = { username = "user1", email = "user1@domain.ext" } }
      assert.truthy(user.createdAt)
      assert.equal("New City", user.city)
    end)

    it("works when composite indexes are created via indexes array", function()
      local U = db:define("User", {
        name = DataTypes.STRING, address = DataTypes.STRING, city = DataTypes.STRING,
      }, { indexes = { { unique = "users_name_address", fields = { "name", "address" } } } })
      U:sync({ force = true })
      local _, created0 = U:upsert{ name = "user1", address = "address", city = "City" }
      assert.is_true(created0)
      local _, created = U:upsert{ name = "user1", address = "address", city = "New City" }
      assert.is_false(created)
      local user = U:findOne{ where = { name = "user1", address = "address" } }
      assert.truthy(user.createdAt)
      assert.equal("New City", user.city)
    end)

    describe("conflictFields", function()
      -- An Abstract joiner table. Unique constraint deliberately removed
      -- to ensure that `conflictFields` is actually respected, not inferred.
      local Memberships
      before_each(function()
        Memberships = db:define("memberships", {
          user_id = DataTypes.INTEGER,
          group_id = DataTypes.INTEGER,
          permissions = DataTypes.ENUM("admin", "member"),
        })
        Memberships:sync({ force = true })
        db:getQueryInterface():addConstraint("memberships", { type = "UNIQUE", fields = { "user_id", "group_id" } })
      end)

      it("should insert with no other rows", function()
        local newRow = Memberships:upsert({ user_id = 1, group_id = 1, permissions = "member" },
                                          { conflictFields = { "user_id", "group_id" } })
        assert.is_not_nil(newRow)
        assert.equal("member", newRow.permissions)
      end)

      it("should use conflictFields as upsertKeys", function()
        local cf = { conflictFields = { "user_id", "group_id" } }
        local originalMembership = Memberships:upsert({ user_id = 1, group_id = 1, permissions = "member" }, cf)
        assert.is_not_nil(originalMembership)
        assert.equal("member", originalMembership.permissions)
        local updatedMembership = Memberships:upsert({ user_id = 1, group_id = 1, permissions = "admin" }, cf)
        assert.is_not_nil(updatedMembership)
        assert.equal("admin", updatedMembership.permissions)
        assert.equal(originalMembership.id, updatedMembership.id)
        local otherMembership = Memberships:upsert({ user_id = 2, group_id = 1, permissions = "member" }, cf)
        assert.is_not_nil(otherMembership)
        assert.equal("member", otherMembership.permissions)
        assert.are_not.equal(originalMembership.id, otherMembership.id)
      end)
    end)

    describe("conflictWhere", function()
      local Users
      local cw = { conflictWhere = { isUnique = true } }
      before_each(function()
        Users = db:define("users", {
          name = DataTypes.STRING, bio = DataTypes.STRING, isUnique = DataTypes.BOOLEAN,
        }, { indexes = { { unique = true, fields = { "name" }, where = { isUnique = true } } } })
        Users:sync({ force = true })
      end)

      it("should insert with no other rows", function()
        local newRow = Users:upsert({ name = "John", isUnique = true }, cw)
        assert.is_not_nil(newRow)
        assert.equal("John", newRow.name)
      end)

      it("should update with another unique user", function()
        local newRow = Users:upsert({ name = "John", isUnique = true, bio = "before" }, cw)
        assert.is_not_nil(newRow)
        assert.equal("John", newRow.name)
        assert.equal("before", newRow.bio)
        newRow = Users:upsert({ name = "John", isUnique = true, bio = "after" }, cw)
        assert.is_not_nil(newRow)
        assert.equal("John", newRow.name)
        assert.equal("after", newRow.bio)
        assert.equal(1, Users:count())
      end)

      it("allows both unique and non-unique users with the same name", function()
        local newRow = Users:upsert({ name = "John", isUnique = true, bio = "first" }, cw)
        assert.equal("John", newRow.name)
        assert.equal("first", newRow.bio)
        newRow = Users:upsert({ name = "John", isUnique = false, bio = "second" }, cw)
        assert.is_not_nil(newRow)
        assert.equal("John", newRow.name)
        assert.equal("second", newRow.bio)
        assert.equal(2, Users:count())
      end)

      it("allows for multiple unique users with different names", function()
        local newRow = Users:upsert({ name = "John", isUnique = true, bio = "first" }, cw)
        assert.equal("John", newRow.name)
        assert.equal("first", newRow.bio)
        newRow = Users:upsert({ name = "Bob", isUnique = false, bio = "second" }, cw)
        assert.is_not_nil(newRow)
        assert.equal("Bob", newRow.name)
        assert.equal("second", newRow.bio)
        assert.equal(2, Users:count())
      end)
    end)
  end)
end)
