-- Port of Sequelize v6's test/unit/sql/create-table.test.js (branch v6), sqlite dialect.
-- Each expectsql case becomes DDL behaviour: the table our Model:sync makes is compared with the
-- one Sequelize's expected sqlite SQL makes when run itself (sqlite_master.sql normalised,
-- PRAGMA table_info and foreign_key_list), on two :memory: databases.
-- Translation: `Model.schema('bar')` is the model option `schema = "bar"` (no Model:schema here);
-- Sequelize's `define('user', { timestamps: false })` passes the option as an attribute map by
-- mistake, ported as the option.
-- Skipped:
--   IF NOT EXISTS version check (3): postgres only
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function norm(sql)
  return (sql:gsub("IF NOT EXISTS ", ""):gsub("%s+", " "):gsub(";%s*$", ""))
end

local function shape(db, name)
  local q = function(s) return db:query(s, { type = "SELECT" }) end
  local m = q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" .. name .. "'")
  local info = {}
  for _, r in ipairs(q("PRAGMA table_info(`" .. name .. "`)")) do
    info[r.name] = { r.type, r.notnull, r.dflt_value, r.pk }
  end
  local fks = {}
  for _, r in ipairs(q("PRAGMA foreign_key_list(`" .. name .. "`)")) do
    fks[#fks + 1] = table.concat({ r.table, r.from, r.to, r.on_update, r.on_delete }, "|")
  end
  table.sort(fks)
  return { sql = m[1] and norm(m[1].sql), info = info, fks = fks }
end

describe("SQL createTable (port of unit/sql/create-table.test.js)", function()
  local db, ref
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    ref = Sequelize.new("sqlite::memory:")
  end)
  teardown(function() db:close(); ref:close() end)

  local function expect_same(name, expected)
    ref:query(expected)
    assert.are.same(shape(ref, name), shape(db, name))
  end

  describe("with enums", function()
    it("references enum in the right schema #3171", function()
      local FooUser = db:define("user", { mood = DataTypes.ENUM("happy", "sad") }, { schema = "foo", timestamps = false })
      FooUser:sync()
      expect_same("foo.users",
        "CREATE TABLE IF NOT EXISTS `foo.users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `mood` TEXT);")
    end)
  end)

  describe("with references", function()
    it("references right schema when adding foreign key #9029", function()
      local BarUser = db:define("user", {}, { schema = "bar", timestamps = false })
      local BarProject = db:define("project", {
        user_id = { type = DataTypes.INTEGER, references = { model = BarUser }, onUpdate = "CASCADE", onDelete = "NO ACTION" },
      }, { schema = "bar", timestamps = false })
      BarProject:belongsTo(BarUser, { foreignKey = "user_id" })
      BarUser:sync()
      BarProject:sync()
      expect_same("bar.projects",
        "CREATE TABLE IF NOT EXISTS `bar.projects` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `user_id` INTEGER REFERENCES `bar.users` (`id`) ON DELETE NO ACTION ON UPDATE CASCADE);")
    end)
  end)

  describe("with references on primary key", function()
    it("references on primary key #9461", function()
      local File = db:define("file", {}, { timestamps = false })
      local Image = db:define("image", {
        id = { primaryKey = true, autoIncrement = true, type = DataTypes.INTEGER, references = { model = File, key = "id" } },
      }, { timestamps = false })
      File:sync()
      Image:sync()
      expect_same("images",
        "CREATE TABLE IF NOT EXISTS `images` (`id` INTEGER PRIMARY KEY AUTOINCREMENT REFERENCES `files` (`id`));")
    end)
  end)
end)
