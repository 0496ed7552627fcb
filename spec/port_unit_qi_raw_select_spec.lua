-- Port of Sequelize v6's test/unit/query-interface/raw-select.test.js (branch v6), sqlite dialect.
-- Sequelize stubs sequelize.query to read the SQL; here ours runs on a real table beside
-- Sequelize's expected SQL (on the same rows), and the rows are compared. The table has the
-- columns the call names (Sequelize's User model declares firstName only), untyped, so that
-- a text id like ':id' is stored. No test is skipped.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local U = require("spec.port_unit_support")

describe("QueryInterface#rawSelect (port of unit/query-interface/raw-select.test.js)", function()
  local db, User, qi
  local function fill()
    db:query("DELETE FROM `Users`")
    db:query("INSERT INTO `Users` (`id`, `firstName`, `age`, `name`, `username`) VALUES "
      .. "(':id', 'a', 10, 'n1', 'some :data'), ('123', 'b', 20, 'n2', 'some OR '' = '), (2, 'c', 30, 'n3', 'x'), (3, ':injection', 40, 'n4', NULL)")
  end
  -- runs ours and Sequelize's SQL each on fresh rows and compares the table left
  local function same_effect(ours, sql)
    fill(); ours()
    local left = db:query("SELECT * FROM `Users` ORDER BY rowid")
    fill(); db:query(sql)
    U.same(db, left, "SELECT * FROM `Users` ORDER BY rowid")
  end
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { firstName = DataTypes.STRING }, { timestamps = false })
    db:query("CREATE TABLE `Users` (`id`, `firstName`, `age`, `name`, `username`)")
    qi = db:getQueryInterface()
  end)
  teardown(function() db:close() end)

  it("does not parse user-provided data as replacements", function()
    fill()
    local v = qi:rawSelect(User.tableName, { attributes = { "id" }, where = { username = "some :data" },
      replacements = { data = "OR ' = " } }, "id", User)
    local theirs = db:query("SELECT `id` FROM `Users` AS `User` WHERE `User`.`username` = 'some :data';")
    assert.equal(1, #theirs)
    assert.equal(U.norm(theirs[1].id), U.norm(v))
  end)
end)
