-- Port of Sequelize v6's test/unit/model/schema.test.js (branch v6), sqlite dialect.
-- Skipped: every test: the file runs only where `current.dialect.supports.schemas`, which is
-- false for sqlite (src/dialects/sqlite/index.js), so none of them ran in Sequelize's sqlite CI:
-- - schema: "should work with no default schema", "should apply default schema from define",
--   "should be able to override the default schema", "should be able nullify schema",
--   "should support multiple, coexistent schema models" (sqlite: no schemas).
-- - schema delimiter: "should work with no default schema delimiter", "should apply default schema
--   delimiter from define", "should be able to override the default schema delimiter", "should
--   support multiple, coexistent schema delimiter models" (sqlite: no schemas).
describe("Model Schemas (port of unit/model/schema.test.js)", function()
  it("runs no test on sqlite (supports.schemas is false)", function() end)
end)
