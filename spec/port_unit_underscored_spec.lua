-- Port of Sequelize v6's test/unit/model/underscored.test.js (branch v6), sqlite dialect.
-- Notes: Sequelize adds the attribute by writing rawAttributes and calling refreshAttributes(),
-- which is not API here; the attribute is defined with the model instead (what the test checks
-- is that the association keeps its field). Each case also writes and reads through the
-- association, so the column it names is the one used.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/underscored.test.js)", function()
  describe("options.underscored", function()
    local db, N, M
    local function define(extraN, extraM)
      local an = { id = { type = DataTypes.CHAR(10), primaryKey = true, field = "n_id" } }
      local am = { id = { type = DataTypes.CHAR(20), primaryKey = true, field = "m_id" } }
      for k, v in pairs(extraN or {}) do an[k] = v end
      for k, v in pairs(extraM or {}) do am[k] = v end
      N = db:define("N", an, { underscored = true })
      M = db:define("M", am, { underscored = true })
      db:define("NM", {})
    end
    local function column(tbl, col)
      return db:query(("SELECT `%s` AS v FROM `%s`"):format(col, tbl), { type = "SELECT" })[1].v
    end
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    it("should properly set field when defining", function()
      define()
      assert.equal("n_id", N.rawAttributes.id.field)
      assert.equal("m_id", M.rawAttributes.id.field)
    end)

    it("hasOne does not override already defined field", function()
      define({ mId = { type = DataTypes.CHAR(20), field = "n_m_id" } })
      assert.equal("n_m_id", N.rawAttributes.mId.field)
      M:hasOne(N, { foreignKey = "mId" })
      assert.equal("n_m_id", N.rawAttributes.mId.field)
      db:sync()
      local m = M:create({ id = "m1" })
      m:createN({ id = "n1" })
      assert.equal("m1", column("Ns", "n_m_id"))
      assert.equal("n1", m:getN().id)
    end)

    it("belongsTo does not override already defined field", function()
      define({ mId = { type = DataTypes.CHAR(20), field = "n_m_id" } })
      assert.equal("n_m_id", N.rawAttributes.mId.field)
      N:belongsTo(M, { foreignKey = "mId" })
      assert.equal("n_m_id", N.rawAttributes.mId.field)
      db:sync()
      M:create({ id = "m1" })
      local n = N:create({ id = "n1", mId = "m1" })
      assert.equal("m1", column("Ns", "n_m_id"))
      assert.equal("m1", n:getM().id)
    end)

    it("hasOne/belongsTo does not override already defined field", function()
      define({ mId = { type = DataTypes.CHAR(20), field = "n_m_id" } })
      assert.equal("n_m_id", N.rawAttributes.mId.field)
      N:belongsTo(M, { foreignKey = "mId" })
      M:hasOne(N, { foreignKey = "mId" })
      assert.equal("n_m_id", N.rawAttributes.mId.field)
      db:sync()
      local m = M:create({ id = "m1" })
      N:create({ id = "n1", mId = "m1" })
      assert.equal("n1", m:getN().id)
      assert.equal("m1", N:findOne({ include = { M } }).M.id)
    end)

    it("hasMany does not override already defined field", function()
      define(nil, { nId = { type = DataTypes.CHAR(20), field = "nana_id" } })
      assert.equal("nana_id", M.rawAttributes.nId.field)
      N:hasMany(M, { foreignKey = "nId" })
      M:belongsTo(N, { foreignKey = "nId" })
      assert.equal("nana_id", M.rawAttributes.nId.field)
      db:sync()
      local n = N:create({ id = "n1" })
      n:createM({ id = "m1" })
      assert.equal("n1", column("Ms", "nana_id"))
      assert.equal(1, #n:getMs())
    end)

    it("belongsToMany does not override already defined field", function()
      define()
      local NM = db:define("NM", {
        n_id = { type = DataTypes.CHAR(10), field = "nana_id" },
        m_id = { type = DataTypes.CHAR(20), field = "mama_id" },
      }, { underscored = true })
      N:belongsToMany(M, { through = NM, foreignKey = "n_id" })
      M:belongsToMany(N, { through = NM, foreignKey = "m_id" })
      assert.equal("nana_id", NM.rawAttributes.n_id.field)
      assert.equal("mama_id", NM.rawAttributes.m_id.field)
      db:sync()
      local n, m = N:create({ id = "n1" }), M:create({ id = "m1" })
      n:addM(m)
      assert.equal("n1", column("n_ms", "nana_id"))
      assert.equal("m1", column("n_ms", "mama_id"))
      assert.equal("n1", m:getNs()[1].id)
    end)
  end)
end)
