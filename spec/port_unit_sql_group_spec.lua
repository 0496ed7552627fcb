-- Port of Sequelize v6's test/unit/sql/group.test.js (branch v6), sqlite dialect.
-- Each case compares User:findAll's rows with the rows Sequelize's expected SQL gives on the
-- same data (sql.selectQuery, internal, is expressed through findAll). Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local U = require("spec.port_unit_support")

describe("SQL (port of unit/sql/group.test.js)", function()
  describe("group", function()
    local db, User
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", { name = { type = DataTypes.STRING, field = "name", allowNull = false } })
      db:sync()
      User:bulkCreate({ { name = "a" }, { name = "b" }, { name = "a" }, { name = "c" }, { name = "a" }, { name = "b" } })
    end)
    teardown(function() db:close() end)

    it("{ model: User, group: [ 'name' ] }", function()
      -- (the other columns of a group are SQLite's pick: compared on the grouped one)
      local ours = User:findAll{ group = { "name" }, raw = true }
      assert.equal(3, #ours)
      U.same(db, ours, "SELECT * FROM `Users` AS `User` GROUP BY `name`;", { unordered = true, keys = { "name" } })
    end)

    it("{ model: User, group: [] }", function()
      U.same(db, User:findAll{ group = {}, raw = true }, "SELECT * FROM `Users` AS `User`;", { unordered = true })
    end)
  end)
end)
