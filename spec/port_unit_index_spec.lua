-- Port of Sequelize v6's test/unit/sql/index.test.js (branch v6), sqlite dialect.
-- QueryGenerator.addIndexQuery / removeIndexQuery are internal; each case is the public call that
-- runs that SQL, qi:addIndex / qi:removeIndex, on a table, compared with Sequelize's expected
-- sqlite SQL run itself on the same table in a second :memory: database: the index's
-- PRAGMA index_list row (unique, partial), its index_xinfo columns (name, order, collation),
-- and for a partial index the rows its WHERE selects on rows that tell the cases apart
-- (Sequelize parenthesises an OR there, sequelua does not: the same rows).
-- Skipped:
--   naming (schema part): dialect.supports.schemas is false on sqlite (the rest of it is ported)
--   USING, operator, show indexes, operator with multiple fields / in fields / with order /
--     in multiple fields #1 / #2: postgres only (index.using, JSONB, index.operator)
local Sequelize = require("sequelua")
local Op = Sequelize.Op

local TABLES = {
  "CREATE TABLE `table` (`column1`, `column2`, `column`, `test`, `type`)",
  "CREATE TABLE `User` (`fieldA`, `fieldB`, `fieldC`)",
  "INSERT INTO `table` (`type`) VALUES ('public'), ('group'), ('private'), (NULL), ('PUBLIC'), ('')",
}

local function index_shape(db, tbl, name)
  local q = function(s) return db:query(s, { type = "SELECT" }) end
  local entry
  for _, r in ipairs(q("PRAGMA index_list(`" .. tbl .. "`)")) do
    if r.name == name then entry = { unique = r.unique, partial = r.partial, origin = r.origin } end
  end
  if not entry then return nil end
  entry.cols = {}
  for _, r in ipairs(q("PRAGMA index_xinfo(`" .. name .. "`)")) do
    if r.key == 1 then entry.cols[#entry.cols + 1] = { r.name or "<expr>", r.desc, r.coll } end
  end
  local sql = q("SELECT sql FROM sqlite_master WHERE name = '" .. name .. "'")[1].sql
  local where = sql:match("%)%s+WHERE%s+(.*)$")
  if where then
    entry.rows = {}
    for _, r in ipairs(q("SELECT rowid AS r FROM `" .. tbl .. "` WHERE " .. where .. " ORDER BY rowid")) do
      entry.rows[#entry.rows + 1] = r.r
    end
  end
  entry.expr = sql:match("%((%w+%(.-%))%)") -- an expression column's text, UPPER(`test`)
  return entry
end

describe("SQL (port of unit/sql/index.test.js)", function()
  local db, ref, qi
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    ref = Sequelize.new("sqlite::memory:")
    qi = db:getQueryInterface()
    for _, s in ipairs(TABLES) do db:query(s); ref:query(s) end
  end)
  teardown(function() db:close(); ref:close() end)

  local function expect_same(tbl, name, expected)
    ref:query(expected)
    local want = index_shape(ref, tbl, name)
    assert.is_not_nil(want)
    assert.are.same(want, index_shape(db, tbl, name))
  end

  describe("addIndex", function()
    it("naming", function()
      qi:addIndex("table", { "column1", "column2" })
      expect_same("table", "table_column1_column2",
        "CREATE INDEX `table_column1_column2` ON `table` (`column1`, `column2`)")
    end)

    it("type and using", function()
      qi:addIndex("User", { "fieldC" }, { type = "FULLTEXT", concurrently = true })
      expect_same("User", "user_field_c", "CREATE INDEX `user_field_c` ON `User` (`fieldC`)")

      -- SQLite has no collation en_US: Sequelize's expected SQL fails there, and so does ours,
      -- with SQLite's message and no index made
      local expected = "CREATE UNIQUE INDEX `a_b_uniq` ON `User` (`fieldB`, `fieldA` COLLATE `en_US` DESC)"
      local ok1, e1 = pcall(ref.query, ref, expected)
      local ok2, e2 = pcall(qi.addIndex, qi, "User",
        { "fieldB", { attribute = "fieldA", collate = "en_US", order = "DESC", length = 5 } },
        { name = "a_b_uniq", unique = true, using = "BTREE", parser = "foo" })
      assert.is_false(ok1)
      assert.is_false(ok2)
      assert.are.equal(e1.message, e2.message)
      assert.are.equal("SequelizeDatabaseError", e2.name)
      assert.is_nil(index_shape(db, "User", "a_b_uniq"))
    end)

    it("POJO field", function()
      qi:addIndex("table", { { attribute = "column", collate = "BINARY", length = 5, order = "DESC" } })
      expect_same("table", "table_column", "CREATE INDEX `table_column` ON `table` (`column` COLLATE `BINARY` DESC)")
    end)

    it("function", function()
      qi:addIndex("table", { Sequelize.fn("UPPER", Sequelize.col("test")) }, { name = "myindex" })
      expect_same("table", "myindex", "CREATE INDEX `myindex` ON `table` (UPPER(`test`))")
    end)

    it("WHERE", function()
      qi:addIndex("table", { fields = { "type" }, where = { type = "public" } })
      expect_same("table", "table_type", "CREATE INDEX `table_type` ON `table` (`type`) WHERE `type` = 'public'")
      -- (each case makes `table_type`: dropped between them, in both databases)
      qi:removeIndex("table", "table_type")
      ref:query("DROP INDEX `table_type`")

      qi:addIndex("table", { fields = { "type" }, where = { type = { [Op.or_] = { "group", "private" } } } })
      expect_same("table", "table_type",
        "CREATE INDEX `table_type` ON `table` (`type`) WHERE (`type` = 'group' OR `type` = 'private')")
      qi:removeIndex("table", "table_type")
      ref:query("DROP INDEX `table_type`")

      qi:addIndex("table", { fields = { "type" }, where = { type = { [Op.ne] = Sequelize.null } } })
      expect_same("table", "table_type", "CREATE INDEX `table_type` ON `table` (`type`) WHERE `type` IS NOT NULL")
    end)
  end)

  describe("removeIndex", function()
    it("naming", function()
      qi:addIndex("User", { "fieldA", "fieldB" }, { name = "user_field_a_field_b" })
      ref:query("CREATE INDEX `user_field_a_field_b` ON `User` (`fieldA`, `fieldB`)")
      db:query("CREATE INDEX IF NOT EXISTS `table_column1_column2` ON `table` (`column1`, `column2`)")
      ref:query("CREATE INDEX IF NOT EXISTS `table_column1_column2` ON `table` (`column1`, `column2`)")
      qi:removeIndex("table", { "column1", "column2" })
      ref:query("DROP INDEX IF EXISTS `table_column1_column2`")
      assert.is_nil(index_shape(db, "table", "table_column1_column2"))
      assert.are.same(index_shape(ref, "User", "user_field_a_field_b"), index_shape(db, "User", "user_field_a_field_b"))
      -- IF EXISTS: removing it again is no error, in both
      ref:query("DROP INDEX IF EXISTS `table_column1_column2`")
      qi:removeIndex("table", { "column1", "column2" })
    end)
  end)
end)
