-- Port of Sequelize v6's test/unit/deep-exports.test.js (branch v6): what a Lua require of a
-- module below "sequelua" gives.
-- Skipped (one line each, why):
--   "exposes /package.json": a Lua rock has no package.json (its rockspec is no module to require).
describe("exports (port of deep-exports.test.js)", function()
  it("exposes lib files", function()
    local model = require("sequelua.model")
    assert.are.equal("table", type(model))
    -- (the same module the top one uses: a second require gives the loaded one)
    assert.are.equal(model, require("sequelua.model"))
    assert.are.equal(require("sequelua").DataTypes, require("sequelua.datatypes"))
  end)
end)
