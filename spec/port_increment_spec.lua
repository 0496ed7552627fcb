-- Port of Sequelize v6's test/integration/model/increment.test.js (branch v6), sqlite dialect.
-- Skipped: none. Notes: sinon's fake clock is not there; the two timestamp tests set the row's
-- updatedAt a second back by SQL instead of ticking the clock. The concurrent increments
-- (Promise.all) run in turn.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of increment.test.js)", function()
  local db, User
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      id = { type = DataTypes.INTEGER, primaryKey = true },
      aNumber = { type = DataTypes.INTEGER },
      bNumber = { type = DataTypes.INTEGER },
      cNumber = { type = DataTypes.INTEGER, field = "c_number" },
    })
    User:sync({ force = true })
    User:bulkCreate({
      { id = 1, aNumber = 0, bNumber = 0 },
      { id = 2, aNumber = 0, bNumber = 0 },
      { id = 3, aNumber = 0, bNumber = 0 },
      { id = 4, aNumber = 0, bNumber = 0, cNumber = 0 },
    })
  end)
  after_each(function() db:close() end)

  for _, method in ipairs({ "increment", "decrement" }) do
    describe(method, function()
      local function pick(inc, dec) if method == "increment" then return inc end return dec end

      -- the row's updatedAt set a second back (the fake clock's tick), returned as read
      local function age(M, id)
        db:query("UPDATE `IncrementUsers` SET `updatedAt` = '2020-01-01 00:00:00.000 +00:00' WHERE `id` = ?",
          { replacements = { id } })
        return M:findByPk(id).updatedAt
      end

      it("supports where conditions", function()
        User:findByPk(1)
        User[method](User, { "aNumber" }, { by = 2, where = { id = 1 } })
        local user3 = User:findByPk(2)
        assert.equal(pick(0, 0), user3.aNumber)
      end)

      it("uses correct column names for where conditions", function()
        User[method](User, { "aNumber" }, { by = 2, where = { cNumber = 0 } })
        local user4 = User:findByPk(4)
        assert.equal(pick(2, -2), user4.aNumber)
      end)

      it("should still work right with other concurrent increments", function()
        local aUsers = User:findAll()
        for _ = 1, 3 do User[method](User, { "aNumber" }, { by = 2, where = {} }) end
        local bUsers = User:findAll()
        for i = 1, #bUsers do
          assert.equal(pick(aUsers[i].aNumber + 6, aUsers[i].aNumber - 6), bUsers[i].aNumber)
        end
      end)

      it("with array", function()
        local aUsers = User:findAll()
        User[method](User, { "aNumber" }, { by = 2, where = {} })
        local bUsers = User:findAll()
        for i = 1, #bUsers do
          assert.equal(pick(aUsers[i].aNumber + 2, aUsers[i].aNumber - 2), bUsers[i].aNumber)
        end
      end)

      it("with single field", function()
        local aUsers = User:findAll()
        User[method](User, "aNumber", { by = 2, where = {} })
        local bUsers = User:findAll()
        for i = 1, #bUsers do
          assert.equal(pick(aUsers[i].aNumber + 2, aUsers[i].aNumber - 2), bUsers[i].aNumber)
        end
      end)

      it("with single field and no value", function()
        local aUsers = User:findAll()
        User[method](User, "aNumber", { where = {} })
        local bUsers = User:findAll()
        for i = 1, #bUsers do
          assert.equal(pick(aUsers[i].aNumber + 1, aUsers[i].aNumber - 1), bUsers[i].aNumber)
        end
      end)

      it("with key value pair", function()
        local aUsers = User:findAll()
        User[method](User, { aNumber = 1, bNumber = 2 }, { where = {} })
        local bUsers = User:findAll()
        for i = 1, #bUsers do
          assert.equal(pick(aUsers[i].aNumber + 1, aUsers[i].aNumber - 1), bUsers[i].aNumber)
          assert.equal(pick(aUsers[i].bNumber + 2, aUsers[i].bNumber - 2), bUsers[i].bNumber)
        end
      end)

      it("should still work right with other concurrent updates", function()
        local aUsers = User:findAll()
        User:update({ aNumber = 2 }, { where = {} })
        User[method](User, { "aNumber" }, { by = 2, where = {} })
        local bUsers = User:findAll()
        for i = 1, #bUsers do
          assert.equal(pick(aUsers[i].aNumber + 4, aUsers[i].aNumber), bUsers[i].aNumber)
        end
      end)

      it("with timestamps set to true", function()
        local U = db:define("IncrementUser", { aNumber = DataTypes.INTEGER }, { timestamps = true })
        U:sync({ force = true })
        U:create({ aNumber = 1 })
        local oldDate = age(U, 1)
        U[method](U, "aNumber", { by = 1, where = {} })
        assert.is_true(U:findByPk(1).updatedAt > oldDate)
      end)

      it("with timestamps set to true and options.silent set to true", function()
        local U = db:define("IncrementUser", { aNumber = DataTypes.INTEGER }, { timestamps = true })
        U:sync({ force = true })
        U:create({ aNumber = 1 })
        local oldDate = age(U, 1)
        U[method](U, "aNumber", { by = 1, silent = true, where = {} })
        assert.equal(oldDate, U:findByPk(1).updatedAt)
      end)

      it("should work with scopes", function()
        local U = db:define("User", { aNumber = DataTypes.INTEGER, name = DataTypes.STRING }, {
          scopes = { jeff = { where = { name = "Jeff" } } },
        })
        U:sync({ force = true })
        U:bulkCreate({ { aNumber = 1, name = "Jeff" }, { aNumber = 3, name = "Not Jeff" } })
        local jeffs = U:scope("jeff")
        jeffs[method](jeffs, "aNumber", {})
        local jeff = U:scope("jeff"):findOne()
        assert.equal(pick(2, 0), jeff.aNumber)
        local notJeff = U:findOne({ where = { name = "Not Jeff" } })
        assert.equal(pick(3, 3), notJeff.aNumber)
      end)

      it("should not care for attributes in the instance scope", function()
        User:addScope("test", { attributes = { "foo", "bar" } })
        local createdUser = User:scope("test"):create({ id = 5, aNumber = 5 })
        createdUser[method](createdUser, "aNumber", { by = 2 })
        local user = User:findByPk(5)
        assert.equal(pick(7, 3), user.aNumber)
      end)

      it("should not care for exclude-attributes in the instance scope", function()
        User:addScope("test", { attributes = { exclude = { "foo", "bar" } } })
        local createdUser = User:scope("test"):create({ id = 5, aNumber = 5 })
        createdUser[method](createdUser, "aNumber", { by = 2 })
        local user = User:findByPk(5)
        assert.equal(pick(7, 3), user.aNumber)
      end)

      it("should not care for include-attributes in the instance scope", function()
        User:addScope("test", { attributes = { include = { "foo", "bar" } } })
        local createdUser = User:scope("test"):create({ id = 5, aNumber = 5 })
        createdUser[method](createdUser, "aNumber", { by = 2 })
        local user = User:findByPk(5)
        assert.equal(pick(7, 3), user.aNumber)
      end)
    end)
  end
end)
