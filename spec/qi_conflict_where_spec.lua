-- queryInterface bulkInsert / insert / upsert's conflictWhere: what Sequelize 6.37.8's
-- whereQuery takes there besides a where table (Sequelize.literal, Sequelize.where), and a
-- literal's parameters filled from the call's replacements (written into the target's text,
-- as Sequelize's sequelize.query injects them), as Model.bulkCreate's conflictWhere does.
local Sequelize = require("sequelua")
local Op = Sequelize.Op

describe("queryInterface conflictWhere", function()
  local db, qi, sqls
  before_each(function()
    sqls = {}
    db = Sequelize.new("sqlite::memory:", { logging = function(q) sqls[#sqls + 1] = q end })
    qi = db:getQueryInterface()
    db:query("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, s TEXT, n INTEGER)")
    db:query("CREATE UNIQUE INDEX t_k ON t(k) WHERE s = 'x''y'")
    db:query("INSERT INTO t (k, s, n) VALUES ('a', 'x''y', 1)")
  end)
  after_each(function() db:close() end)
  local function n_of() return db:query("SELECT n FROM t WHERE k = 'a'")[1].n end
  local function opts(cw, extra)
    local o = { updateOnDuplicate = { "n" }, upsertKeys = { "k" }, conflictWhere = cw }
    for k, v in pairs(extra or {}) do o[k] = v end
    return o
  end

  it("takes Sequelize.literal and Sequelize.where (Sequelize: WHERE s = 'x''y' / `s` = 'x''y')", function()
    qi:bulkInsert("t", { { k = "a", s = "x'y", n = 2 } }, opts(Sequelize.literal("s = 'x''y'")))
    assert.equal(2, n_of())
    qi:bulkInsert("t", { { k = "a", s = "x'y", n = 3 } }, opts(Sequelize.where(Sequelize.col("s"), "x'y")))
    assert.equal(3, n_of())
    qi:insert(nil, "t", { k = "a", s = "x'y", n = 4 }, opts(Sequelize.literal("s = 'x''y'")))
    assert.equal(4, n_of())
    assert.equal(1, #db:query("SELECT * FROM t"))
  end)

  it("fills a literal's :name and ? from the call's replacements, as literals in the target", function()
    qi:bulkInsert("t", { { k = "a", s = "x'y", n = 5 } },
      opts({ [Op["and"]] = { Sequelize.literal("s = :x") } }, { replacements = { x = "x'y" } }))
    assert.truthy(sqls[#sqls]:find("WHERE s = 'x''y' DO UPDATE", 1, true), sqls[#sqls])
    assert.equal(5, n_of())
    qi:bulkInsert("t", { { k = "a", s = "x'y", n = 6 } }, opts({ s = Sequelize.literal("?") }, { replacements = { "x'y" } }))
    assert.equal(6, n_of())
    qi:upsert("t", { k = "a", s = "x'y", n = 7 }, { n = 7 }, {},
      { conflictFields = { "k" }, conflictWhere = Sequelize.literal("s = :x"), replacements = { x = "x'y" } })
    assert.equal(7, n_of())
    -- a missing name raises, nothing written
    assert.has_error(function()
      qi:bulkInsert("t", { { k = "a", s = "x'y", n = 8 } }, opts(Sequelize.literal("s = :zz"), { replacements = { x = 1 } }))
    end)
    assert.equal(7, n_of())
  end)

  it("still refuses what is no where", function()
    local function msg(cw)
      local ok, e = pcall(qi.bulkInsert, qi, "t", { { k = "a", n = 9 } }, opts(cw))
      assert.is_false(ok)
      return e.message
    end
    assert.equal("bulkInsert: t: conflictWhere must be a where table, got number", msg(5))
    assert.equal("bulkInsert: t: conflictWhere must be a where table, got table", msg(setmetatable({}, {})))
    assert.equal(1, n_of())
  end)
end)
