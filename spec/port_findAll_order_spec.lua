-- Port of Sequelize v6's test/integration/model/findAll/order.test.js (branch v6), sqlite dialect.
-- Skipped:
--   should not throw with on NULLS LAST/NULLS FIRST: dialects with ORDER NULLS (not sqlite)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of findAll/order.test.js)", function()
  describe("findAll", function()
    describe("order", function()
      describe("Sequelize.literal()", function()
        local db, User
        setup(function()
          db = Sequelize.new("sqlite::memory:")
          User = db:define("User", { email = DataTypes.STRING })
          User:sync({ force = true })
          User:create({ email = "test@sequelizejs.com" })
        end)
        teardown(function() db:close() end)

        local function lit() return db:literal("email = " .. db:escape("test@sequelizejs.com")) end

        it("should work with order: literal()", function()
          local users = User:findAll({ order = lit() })
          assert.equal(1, #users)
          for _, user in ipairs(users) do assert.truthy(user:get("email")) end
        end)

        it("should work with order: [literal()]", function()
          local users = User:findAll({ order = { lit() } })
          assert.equal(1, #users)
          for _, user in ipairs(users) do assert.truthy(user:get("email")) end
        end)

        it("should work with order: [[literal()]]", function()
          local users = User:findAll({ order = { { lit() } } })
          assert.equal(1, #users)
          for _, user in ipairs(users) do assert.truthy(user:get("email")) end
        end)
      end)

      describe("injections", function()
        local db, User, Group
        setup(function()
          db = Sequelize.new("sqlite::memory:")
          User = db:define("user", { name = DataTypes.STRING })
          Group = db:define("group", {})
          User:belongsTo(Group)
          db:sync({ force = true })
        end)
        teardown(function() db:close() end)

        it("should not throw on a literal", function()
          User:findAll({ order = { { "id", db:literal("ASC, name DESC") } } })
        end)

        it("should not throw with include when last order argument is a field", function()
          User:findAll({ include = { Group }, order = { { Group, "id" } } })
        end)
      end)
    end)
  end)
end)
