-- Port of Sequelize v6's test/integration/dialects/sqlite/sqlite-master.test.js (branch v6).
-- Skipped: none. Translation: one database synced once for the three read-only tests.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("[SQLITE Specific] sqlite_master raw queries (port of sqlite-master.test.js)", function()
  local sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false }
  sequelize:define("SomeTable", { someColumn = DataTypes.INTEGER }, { freezeTableName = true, timestamps = false })
  sequelize:sync({ force = true })

  it("should be able to select with tbl_name filter", function()
    local rows = sequelize:query("SELECT * FROM sqlite_master WHERE tbl_name='SomeTable'")
    assert.are.equal(1, #rows)
    local row = rows[1]
    assert.are.equal("table", row.type)
    assert.are.equal("SomeTable", row.name)
    assert.are.equal("SomeTable", row.tbl_name)
    assert.is_not_nil(row.sql)
  end)

  it("should be able to select *", function()
    local rows = sequelize:query("SELECT * FROM sqlite_master")
    assert.are.equal(2, #rows)
    for _, row in ipairs(rows) do
      assert.is_not_nil(row.type)
      assert.is_not_nil(row.name)
      assert.is_not_nil(row.tbl_name)
      assert.is_not_nil(row.rootpage)
      assert.is_not_nil(row.sql)
    end
  end)

  it('should be able to select just "sql" column and get rows back', function()
    local rows = sequelize:query("SELECT sql FROM sqlite_master WHERE tbl_name='SomeTable'")
    assert.are.equal(1, #rows)
    assert.are.equal("CREATE TABLE `SomeTable` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `someColumn` INTEGER)", rows[1].sql)
  end)
end)
