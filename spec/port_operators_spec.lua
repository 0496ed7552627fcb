-- Port of Sequelize v6's test/integration/operators.test.js (branch v6), sqlite dialect.
-- Every test of that file runs only on mysql / postgres (Op.regexp and friends; SQLite has no
-- REGEXP function: Sequelize 6.37.8 on sqlite sends the query and fails with SequelizeDatabaseError
-- `SQLITE_ERROR: no such function: REGEXP`). Here reading a PostgreSQL / MySQL-only operator from
-- `Op` raises (README, "Decisions that differ"). The beforeEach (a model whose attributes map to
-- other columns, its table made by the query interface) is kept.
-- Adapted: "should properly escape regular expressions" (case sensitive): the injection text is
--   given to Op.regexp / Op.notRegexp (refused before any SQL) and to Op.like / Op.notLike (bound);
--   the table keeps its two rows, as the test asserts.
-- Skipped (one line each, why):
--   "should work with a regexp where", "should work with a not regexp where": mysql / postgres only.
--   case insensitive (3 tests, Op.iRegexp / Op.notIRegexp): postgres only.
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

describe("Operators (port of operators.test.js)", function()
  describe("REGEXP", function()
    local db, User
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("user", {
        id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true,
               field = "userId" },
        name = { type = DataTypes.STRING, field = "full_name" },
      }, { tableName = "users", timestamps = false })
      db:getQueryInterface():createTable("users", {
        userId = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true, autoIncrement = true },
        full_name = { type = DataTypes.STRING },
      })
    end)
    after_each(function() db:close() end)

    describe("case sensitive", function()
      it("should properly escape regular expressions", function()
        User:bulkCreate({ { name = "John" }, { name = "Bob" } })
        local evil = "Bob'; drop table users --"
        for _, op in ipairs({ "notRegexp", "regexp" }) do
          local ok, err = pcall(function()
            return User:findAll{ where = { name = { [Op[op]] = evil } } }
          end)
          assert.is_false(ok)
          assert.matches("Op%." .. op .. " is not a supported operator", tostring(err))
        end
        assert.are.equal(0, #User:findAll{ where = { name = { [Op.like] = evil } } })
        assert.are.equal(2, #User:findAll{ where = { name = { [Op.notLike] = evil } } })
        assert.are.equal(2, #User:findAll())
      end)
    end)
  end)
end)
