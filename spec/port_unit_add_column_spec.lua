-- Port of Sequelize v6's test/unit/sql/add-column.test.js (branch v6), sqlite dialect.
-- Each expectsql case becomes DDL behaviour: qi:addColumn on a `Users` table is compared with
-- Sequelize's expected sqlite ALTER TABLE run itself on the same table (sqlite_master.sql
-- normalised, PRAGMA table_info), and a row inserted without the column reads its default.
-- Skipped:
--   properly generate alter queries / for foreign keys / with FIRST / with column level comment (4):
--     mysql and mariadb only
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function norm(sql)
  return (sql:gsub("IF NOT EXISTS ", ""):gsub("%s+", " "):gsub(";%s*$", ""))
end

local function shape(db, noinsert)
  local q = function(s) return db:query(s, { type = "SELECT" }) end
  local info = {}
  for _, r in ipairs(q("PRAGMA table_info(`Users`)")) do
    info[r.name] = { r.type, r.notnull, r.dflt_value, r.pk }
  end
  if not noinsert then q("INSERT INTO `Users` DEFAULT VALUES") end
  local rows = q("SELECT * FROM `Users` ORDER BY `id`")
  return { sql = norm(q("SELECT sql FROM sqlite_master WHERE name = 'Users'")[1].sql), info = info, rows = rows }
end

describe("SQL addColumn (port of unit/sql/add-column.test.js)", function()
  local db, ref, qi
  setup(function()
    -- (the last case's `schema: 'custom'` Sequelize option: sqlite writes no schema)
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", schema = "custom" })
    ref = Sequelize.new("sqlite::memory:")
    qi = db:getQueryInterface()
    -- the table of the test's User model (id INTEGER primaryKey autoIncrement, no timestamps),
    -- as its sync makes it: the test defines that model on its instance without the schema
    -- option (one defined on this db would take it: `custom.Users`)
    db:query("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT);")
    ref:query("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT);")
  end)
  teardown(function() db:close(); ref:close() end)

  local function expect_same(expected)
    ref:query(expected)
    assert.are.same(shape(ref), shape(db))
  end

  it("DEFAULT VALUE FOR BOOLEAN", function()
    qi:addColumn("Users", "bool_col", { type = DataTypes.BOOLEAN, allowNull = false, defaultValue = true })
    expect_same("ALTER TABLE `Users` ADD `bool_col` TINYINT(1) NOT NULL DEFAULT 1;")
  end)

  it("DEFAULT VALUE FOR ENUM", function()
    qi:addColumn("Users", "enum_col", { type = DataTypes.ENUM("happy", "sad"), allowNull = false, defaultValue = "happy" })
    expect_same("ALTER TABLE `Users` ADD `enum_col` TEXT NOT NULL DEFAULT 'happy';")
  end)

  it("defaults the schema to the one set in the Sequelize options", function()
    -- (a NOT NULL column without default: SQLite adds it to an empty table only, and no row
    -- can be inserted without it)
    db:query("DELETE FROM `Users`")
    ref:query("DELETE FROM `Users`")
    qi:addColumn("Users", "level_id", { type = DataTypes.FLOAT, allowNull = false })
    ref:query("ALTER TABLE `Users` ADD `level_id` FLOAT NOT NULL;")
    assert.are.same(shape(ref, true), shape(db, true))
  end)
end)
