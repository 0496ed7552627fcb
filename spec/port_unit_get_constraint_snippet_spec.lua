-- Port of Sequelize v6's test/unit/sql/get-constraint-snippet.test.js (branch v6), sqlite dialect.
-- QueryGenerator.getConstraintSnippet is internal; on sqlite it is the clause Sequelize's
-- qi.addConstraint adds to the table's CREATE TABLE. Each case is that public call,
-- qi:addConstraint on `myTable`, compared with a `myTable` made by Sequelize's expected snippet
-- itself (`CREATE TABLE myTable (<columns>, <snippet>)`) in a second :memory: database: the
-- primary key (table_info), foreign keys (foreign_key_list), unique column sets (index_list),
-- the constraint names qi:showConstraint reads, and which rows each table accepts.
-- A UNIQUE constraint is kept as a UNIQUE index of that name here (README, addConstraint): the
-- same rows are refused, and the name is the index's.
-- Skipped: none (every case runs on sqlite).
local Sequelize = require("sequelua")
local Op = Sequelize.Op

local COLS = "`myColumn` INTEGER, `myColumn1` INTEGER, `myColumn2` INTEGER, `anotherColumn` INTEGER"

local function shape(db)
  local q = function(s) return db:query(s, { type = "SELECT" }) end
  local pk, fks, uniques = {}, {}, {}
  for _, r in ipairs(q("PRAGMA table_info(`myTable`)")) do if r.pk > 0 then pk[r.pk] = r.name end end
  for _, r in ipairs(q("PRAGMA foreign_key_list(`myTable`)")) do
    fks[#fks + 1] = table.concat({ r.table, r.from, r.to, r.on_update, r.on_delete }, "|")
  end
  for _, r in ipairs(q("PRAGMA index_list(`myTable`)")) do
    if r.unique == 1 and r.origin ~= "pk" then
      local cols = {}
      for _, c in ipairs(q("PRAGMA index_info(`" .. r.name .. "`)")) do cols[#cols + 1] = c.name end
      uniques[#uniques + 1] = table.concat(cols, ",")
    end
  end
  table.sort(fks); table.sort(uniques)
  local names = {}
  for _, c in ipairs(db:getQueryInterface():showConstraint("myTable")) do
    names[#names + 1] = c.constraintName .. " " .. c.constraintType
  end
  table.sort(names)
  return { pk = pk, fks = fks, uniques = uniques, names = names }
end

-- which of the rows each table takes, one insert each (kept or refused)
local function accepts(db, rows)
  local out = {}
  for i, r in ipairs(rows) do
    out[i] = pcall(db.query, db, "INSERT INTO `myTable` (`myColumn`, `myColumn1`, `myColumn2`) VALUES (?, ?, ?)",
      { replacements = r })
  end
  return out
end

local NULL = Sequelize.null
local PROBES = {
  { 1, 1, 1 }, { 1, 1, 2 }, { 2, 1, 2 }, { "value1", 3, 3 }, { "value3", 4, 4 }, { "value4", 5, 5 },
  { 75, 6, 6 }, { 50, 7, 7 }, { 100, 8, 8 }, { 99, 9, 9 }, { NULL, 10, 10 }, { 5, NULL, 11 }, { 3, 12, 12 },
}

describe("SQL getConstraintSnippet (port of unit/sql/get-constraint-snippet.test.js)", function()
  local db, ref, qi
  setup(function()
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", foreignKeys = false })
    ref = Sequelize.new({ dialect = "sqlite", storage = ":memory:", foreignKeys = false })
    qi = db:getQueryInterface()
    for _, d in ipairs({ db, ref }) do
      d:query("CREATE TABLE `myOtherTable` (`id` INTEGER PRIMARY KEY, `id1` INTEGER, `id2` INTEGER, UNIQUE (`id1`, `id2`))")
      d:query("INSERT INTO `myOtherTable` VALUES (1, 1, 1), (3, 3, 3)")
    end
  end)
  before_each(function()
    for _, d in ipairs({ db, ref }) do d:query("DROP TABLE IF EXISTS `myTable`") end
    db:query("CREATE TABLE `myTable` (" .. COLS .. ")")
  end)
  teardown(function() db:close(); ref:close() end)

  local function expect_same(options, snippet)
    qi:addConstraint("myTable", options)
    ref:query("CREATE TABLE `myTable` (" .. COLS .. ", " .. snippet .. ")")
    assert.are.same(shape(ref), shape(db))
    db:query("PRAGMA foreign_keys = ON"); ref:query("PRAGMA foreign_keys = ON")
    assert.are.same(accepts(ref, PROBES), accepts(db, PROBES))
    db:query("PRAGMA foreign_keys = OFF"); ref:query("PRAGMA foreign_keys = OFF")
  end

  local function expect_error(options, msg)
    local ok, err = pcall(qi.addConstraint, qi, "myTable", options)
    assert.is_false(ok)
    assert.are.equal(msg, err.message)
    assert.are.equal("CREATE TABLE `myTable` (" .. COLS .. ")",
      db:query("SELECT sql FROM sqlite_master WHERE name = 'myTable'", { type = "SELECT", plain = true }).sql)
  end

  describe("unique", function()
    it("naming", function()
      expect_same({ name = "unique_mytable_mycolumn", type = "UNIQUE", fields = { "myColumn" } },
        "CONSTRAINT `unique_mytable_mycolumn` UNIQUE (`myColumn`)")
    end)
    it("should create constraint name if not passed", function()
      expect_same({ type = "UNIQUE", fields = { "myColumn" } },
        "CONSTRAINT `myTable_myColumn_uk` UNIQUE (`myColumn`)")
    end)
    it("should work with multiple columns", function()
      expect_same({ type = "UNIQUE", fields = { "myColumn1", "myColumn2" } },
        "CONSTRAINT `myTable_myColumn1_myColumn2_uk` UNIQUE (`myColumn1`, `myColumn2`)")
    end)
  end)

  describe("check", function()
    it("naming", function()
      expect_same({ type = "CHECK", fields = { { attribute = "myColumn" } },
                    where = { myColumn = { "value1", "value2", "value3" } } },
        "CONSTRAINT `myTable_myColumn_ck` CHECK (`myColumn` IN ('value1', 'value2', 'value3'))")
    end)
    it("where", function()
      expect_same({ type = "CHECK", fields = { "myColumn" }, name = "check_mycolumn_where",
                    where = { myColumn = { [Op.and_] = { [Op.gt] = 50, [Op.lt] = 100 } } } },
        "CONSTRAINT `check_mycolumn_where` CHECK ((`myColumn` > 50 AND `myColumn` < 100))")
    end)
  end)

  describe("primary key", function()
    it("naming", function()
      expect_same({ name = "primary_mytable_mycolumn", type = "primary key", fields = { "myColumn" } },
        "CONSTRAINT `primary_mytable_mycolumn` PRIMARY KEY (`myColumn`)")
    end)
    it("should create constraint name if not passed", function()
      expect_same({ type = "PRIMARY KEY", fields = { "myColumn" } },
        "CONSTRAINT `myTable_myColumn_pk` PRIMARY KEY (`myColumn`)")
    end)
    it("should work with multiple columns", function()
      expect_same({ type = "PRIMARY KEY", fields = { "myColumn1", "myColumn2" } },
        "CONSTRAINT `myTable_myColumn1_myColumn2_pk` PRIMARY KEY (`myColumn1`, `myColumn2`)")
    end)
  end)

  describe("foreign key", function()
    it("naming", function()
      expect_same({ name = "foreignkey_mytable_mycolumn", type = "foreign key", fields = { "myColumn" },
                    references = { table = "myOtherTable", field = "id" } },
        "CONSTRAINT `foreignkey_mytable_mycolumn` FOREIGN KEY (`myColumn`) REFERENCES `myOtherTable` (`id`)")
    end)
    it("uses onDelete, onUpdate", function()
      expect_same({ type = "foreign key", fields = { "myColumn" }, references = { table = "myOtherTable", field = "id" },
                    onUpdate = "cascade", onDelete = "cascade" },
        "CONSTRAINT `myTable_myColumn_myOtherTable_fk` FOREIGN KEY (`myColumn`) REFERENCES `myOtherTable` (`id`) ON UPDATE CASCADE ON DELETE CASCADE")
    end)
    it("errors if references object is not passed", function()
      expect_error({ type = "foreign key", fields = { "myColumn" } },
        "references object with table and field must be specified")
    end)
  end)

  describe("validation", function()
    it("throw error on invalid type", function()
      expect_error({ type = "some type", fields = {} }, "some type is invalid.")
    end)
  end)
end)
