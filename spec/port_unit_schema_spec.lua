-- Port of Sequelize v6's test/unit/model/schema.test.js (branch v6), sqlite dialect.
-- The file runs only where `current.dialect.supports.schemas`, which is false for sqlite
-- (src/dialects/sqlite/index.js), so none of its tests ran in Sequelize's sqlite CI. On SQLite a
-- model's schema and delimiter prefix its table's name (`default&companies`), as Sequelize
-- 6.37.8's sqlite dialect names it (checked in Node: the same tables in sqlite_master, and a row
-- created and counted through the model). The four tests that need no Model.schema() are ported
-- that way, checking the table the model reads and writes.
-- Skipped:
-- - "should be able to override the default schema", "should be able nullify schema", "should
--   support multiple, coexistent schema models", "should be able to override the default schema
--   delimiter", "should support multiple, coexistent schema delimiter models": ported in
--   spec/model_schema_copy_spec.lua (Model:schema).
local Sequelize = require("sequelua")

describe("Model Schemas (port of unit/model/schema.test.js)", function()
  local db, Project, Company
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Project = db:define("project", {})
    Company = db:define("company", {}, { schema = "default", schemaDelimiter = "&" })
    db:sync()
  end)
  teardown(function() db:close() end)

  local function tables()
    local out = {}
    for _, r in ipairs(db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      { type = Sequelize.QueryTypes.SELECT })) do
      out[#out + 1] = r.name
    end
    return out
  end

  describe("schema", function()
    it("should work with no default schema", function()
      assert.is_nil(Project.options.schema)
      assert.equal("projects", Project.tableName)
      Project:create{}
      assert.equal(1, db:query("SELECT count(*) AS n FROM `projects`", { type = Sequelize.QueryTypes.SELECT })[1].n)
    end)

    it("should apply default schema from define", function()
      assert.equal("default", Company.options.schema)
      assert.are.same({ "default&companies", "projects" }, tables())
    end)
  end)

  describe("schema delimiter", function()
    it("should work with no default schema delimiter", function()
      assert.is_nil(Project.options.schemaDelimiter)
      assert.is_nil(Project.tableName:find("&", 1, true))
    end)

    it("should apply default schema delimiter from define", function()
      assert.equal("&", Company.options.schemaDelimiter)
      assert.equal("default&companies", Company.tableName)
      Company:create{}
      assert.equal(1, Company:count())
      assert.equal(1, db:query("SELECT count(*) AS n FROM `default&companies`", { type = Sequelize.QueryTypes.SELECT })[1].n)
    end)
  end)
end)
