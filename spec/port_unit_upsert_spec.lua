-- Port of Sequelize v6's test/unit/model/upsert.test.js (branch v6), sqlite dialect.
-- Sequelize stubs queryInterface.upsert to read the columns its INSERT and UPDATE would write;
-- here upsert runs on a real table and the columns show in the row stored (read back with
-- db:query), an existing row's created_at kept by the update.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/upsert.test.js)", function()
  describe("method upsert", function()
    local db, User, UserNoTime
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", {
        name = DataTypes.STRING,
        virtualValue = {
          type = DataTypes.VIRTUAL,
          set = function(self, val) self.value = val end,
          get = function(self) return self.value end,
        },
        value = DataTypes.STRING,
        secretValue = { type = DataTypes.INTEGER, allowNull = false },
        createdAt = { type = DataTypes.DATE, field = "created_at" },
      })
      UserNoTime = db:define("UserNoTime", { name = DataTypes.STRING }, { timestamps = false })
      db:sync()
    end)
    teardown(function() db:close() end)
    local function row(sql) return db:query(sql, { type = "SELECT" })[1] end

    it("skip validations for missing fields", function()
      local u = User:create({ name = "Cat", secretValue = 1 })
      -- secretValue (allowNull false) is not validated when the values leave it out
      local ok, err = pcall(User.upsert, User, { id = u.id, name = "Grumpy Cat" })
      assert.is_true(ok, err and tostring(err))
      assert.equal("Grumpy Cat", row("SELECT name FROM Users WHERE id = " .. u.id).name)
      -- a new row still needs it: the database refuses, no ValidationError is raised
      ok, err = pcall(User.upsert, User, { name = "Grumpy Cat" })
      assert.is_false(ok)
      assert.is_false(err:is(Sequelize.errors.ValidationError))
    end)

    it("creates new record with correct field names", function()
      local u = User:upsert({ name = "Young Cat", virtualValue = 999, secretValue = 2 })
      local r = row("SELECT * FROM Users WHERE id = " .. u.id)
      assert.equal("Young Cat", r.name)
      assert.equal("999", r.value)
      assert.is_string(r.created_at)
      assert.is_string(r.updatedAt)
    end)

    it("creates new record with timestamps disabled", function()
      local u = UserNoTime:upsert({ name = "Young Cat" })
      local r = row("SELECT * FROM UserNoTimes WHERE id = " .. u.id)
      assert.equal("Young Cat", r.name)
      local cols = {}
      for k in pairs(r) do cols[#cols + 1] = k end
      table.sort(cols)
      assert.equal("id,name", table.concat(cols, ","))
    end)

    it("updates all changed fields by default", function()
      local u = User:create({ name = "Cat", value = "1", secretValue = 3 })
      db:query("UPDATE Users SET created_at = '2020-01-01 00:00:00.000 +00:00', updatedAt = '2020-01-01 00:00:00.000 +00:00' "
        .. "WHERE id = " .. u.id)
      local before = row("SELECT * FROM Users WHERE id = " .. u.id)
      User:upsert({ id = u.id, name = "Old Cat", virtualValue = 111 })
      local after = row("SELECT * FROM Users WHERE id = " .. u.id)
      assert.equal("Old Cat", after.name)
      assert.equal("111", after.value)
      assert.are_not.equal(before.updatedAt, after.updatedAt)
      assert.equal(before.created_at, after.created_at)
      assert.equal(3, after.secretValue)
    end)
  end)
end)
