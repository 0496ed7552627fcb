-- paging_composite_spec: limit / offset (and findOne's limit 1) with a to-many include on a top
-- model whose primary key is composite. The parents are paged by every key column (DISTINCT
-- `a`, `b`, then `(a, b) IN (VALUES ...)`), not by the first one only; a model without a
-- primary key raises instead of paging.
--
-- Expected JSON strings were produced by Sequelize 6.37.8 (sqlite) running the same models and
-- rows (/tmp/sqz/pg_spec.js, pg_nopk.js): JSON.stringify(result). Sequelize pages the parents
-- in a LIMITed subquery and joins the children to it; the rows it returns are the ones below.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op
local S = Sequelize.stringify

-- P (a, b) -> name: (1,1) x, (1,2) y, (2,1) z, (2,2) w
-- C (hasMany on the unique name): x1, x2 (x), y1 (y), z1 (z)
-- T (belongsToMany on name, through PT): x {t1, t2}, y {t2}, z {t1}
-- D (hasMany on the default source key, the first key column a): d1 (a = 1), d2 (a = 2)
local function fixture(log)
  local db = support.open(log)
  local M = { db = db }
  M.P = db:define("P", {
    a = { type = DataTypes.INTEGER, primaryKey = true },
    b = { type = DataTypes.INTEGER, primaryKey = true },
    name = { type = DataTypes.STRING, unique = true },
  }, { timestamps = false })
  M.C = db:define("C", { id = { type = DataTypes.INTEGER, primaryKey = true }, title = DataTypes.STRING }, { timestamps = false })
  M.T = db:define("T", { id = { type = DataTypes.INTEGER, primaryKey = true }, label = DataTypes.STRING }, { timestamps = false })
  M.D = db:define("D", { id = { type = DataTypes.INTEGER, primaryKey = true }, note = DataTypes.STRING }, { timestamps = false })
  local PT = db:define("PT", {}, { tableName = "PT", timestamps = false })
  M.P:hasMany(M.C, { foreignKey = "pname", sourceKey = "name" })
  M.P:belongsToMany(M.T, { through = PT, foreignKey = "pname", sourceKey = "name", otherKey = "tid" })
  M.P:hasMany(M.D, { foreignKey = "pa", constraints = false })
  db:sync()
  M.P:bulkCreate{ { a = 1, b = 1, name = "x" }, { a = 1, b = 2, name = "y" }, { a = 2, b = 1, name = "z" }, { a = 2, b = 2, name = "w" } }
  M.C:bulkCreate{ { id = 1, title = "x1", pname = "x" }, { id = 2, title = "x2", pname = "x" },
                  { id = 3, title = "y1", pname = "y" }, { id = 4, title = "z1", pname = "z" } }
  M.T:bulkCreate{ { id = 1, label = "t1" }, { id = 2, label = "t2" } }
  db:query("INSERT INTO PT (pname, tid) VALUES ('x',1),('x',2),('y',2),('z',1)")
  M.D:bulkCreate{ { id = 1, note = "d1", pa = 1 }, { id = 2, note = "d2", pa = 2 } }
  return M
end

-- order by the key ascending / descending, then the extra terms given
local function asc(...)
  local t = { { "a", "ASC" }, { "b", "ASC" } }
  for _, x in ipairs({ ... }) do t[#t + 1] = x end
  return t
end
local function desc(...)
  local t = { { "a", "DESC" }, { "b", "DESC" } }
  for _, x in ipairs({ ... }) do t[#t + 1] = x end
  return t
end

local X = '{"a":1,"b":1,"name":"x","Cs":[{"id":1,"title":"x1","pname":"x"},{"id":2,"title":"x2","pname":"x"}]}'
local Y = '{"a":1,"b":2,"name":"y","Cs":[{"id":3,"title":"y1","pname":"y"}]}'
local Z = '{"a":2,"b":1,"name":"z","Cs":[{"id":4,"title":"z1","pname":"z"}]}'
local W = '{"a":2,"b":2,"name":"w","Cs":[]}'
local function list(...) return "[" .. table.concat({ ... }, ",") .. "]" end

describe("paging with a to-many include on a composite primary key", function()
  local M, log
  setup(function()
    log = {}
    M = fixture(log)
  end)

  describe("hasMany", function()
    it("limit returns exactly that many parents, each with all its children", function()
      assert.are.equal(list(X, Y), S(M.P:findAll{ include = M.C, limit = 2, order = asc({ M.C, "id", "ASC" }) }))
    end)

    it("limit + offset", function()
      assert.are.equal(list(Y, Z), S(M.P:findAll{ include = M.C, limit = 2, offset = 1, order = asc({ M.C, "id", "ASC" }) }))
      assert.are.equal(list(W), S(M.P:findAll{ include = M.C, limit = 5, offset = 3, order = asc({ M.C, "id", "ASC" }) }))
      assert.are.equal("[]", S(M.P:findAll{ include = M.C, limit = 2, offset = 4, order = asc() }))
    end)

    it("order desc: the parents come back in the query's order", function()
      assert.are.equal(list(W, Z, Y), S(M.P:findAll{ include = M.C, limit = 3, order = desc({ M.C, "id", "ASC" }) }))
      local rows = M.P:findAll{ include = M.C, limit = 2, offset = 1, order = desc({ M.C, "id", "DESC" }) }
      assert.are.equal('[{"a":2,"b":1,"name":"z","Cs":[{"id":4,"title":"z1","pname":"z"}]},'
        .. '{"a":1,"b":2,"name":"y","Cs":[{"id":3,"title":"y1","pname":"y"}]}]', S(rows))
    end)

    it("a where on the top model pages the parents that match", function()
      assert.are.equal(list(Y), S(M.P:findAll{ include = M.C, where = { a = 1 }, limit = 1, offset = 1,
        order = { { "b", "ASC" }, { M.C, "id", "ASC" } } }))
      assert.are.equal(list(Z, Y), S(M.P:findAll{ include = M.C, where = { b = { [Op.gte] = 1 }, name = { [Op.ne] = "x" } },
        limit = 2, order = { { "name", "DESC" }, { M.C, "id", "ASC" } } }))
    end)

    it("children keyed on the first key column alone are listed under every parent sharing it", function()
      assert.are.equal('[{"a":1,"b":1,"name":"x","Ds":[{"id":1,"note":"d1","pa":1}]},{"a":1,"b":2,"name":"y","Ds":[{"id":1,"note":"d1","pa":1}]},'
        .. '{"a":2,"b":1,"name":"z","Ds":[{"id":2,"note":"d2","pa":2}]}]',
        S(M.P:findAll{ include = M.D, limit = 3, order = asc({ M.D, "id", "ASC" }) }))
    end)

    it("an attribute list without the key columns", function()
      assert.are.equal('[{"name":"x","Cs":[{"title":"x1"},{"title":"x2"}]},{"name":"y","Cs":[{"title":"y1"}]}]',
        S(M.P:findAll{ attributes = { "name" }, include = { model = M.C, attributes = { "title" } }, limit = 2,
          order = asc({ M.C, "id", "ASC" }) }))
    end)

    it("a required include: the parents that have a match, or none", function()
      assert.are.equal(list(X), S(M.P:findAll{ include = { model = M.C, where = { title = { [Op.like] = "x%" } } }, limit = 2,
        order = asc({ M.C, "id", "ASC" }) }))
      assert.are.equal("[]", S(M.P:findAll{ include = { model = M.C, where = { title = "none" } }, limit = 2, order = asc() }))
    end)

    it("findOne and findAndCountAll's rows", function()
      assert.are.equal(Z, S(M.P:findOne{ include = M.C, where = { b = 1 }, order = { { "a", "DESC" }, { M.C, "id", "ASC" } } }))
      local r = M.P:findAndCountAll{ include = M.C, limit = 2, offset = 1, order = asc({ M.C, "id", "ASC" }) }
      assert.are.equal(list(Y, Z), S(r.rows))
      -- the count is of distinct parents (API.md), by every key column: the four P rows
      assert.are.equal(4, r.count)
      assert.are.equal(4, M.P:count{ include = M.C, distinct = true })
      assert.are.equal(1, M.P:count{ include = { model = M.C, where = { title = { [Op.like] = "x%" } } }, distinct = true })
    end)

    it("the paging query selects every key column and the rows are restricted by all of them", function()
      support.clear(log)
      M.P:findAll{ include = M.C, limit = 2, order = asc() }
      local sel = support.statements(log, "SELECT")
      assert.are.equal(2, #sel)
      assert.truthy(sel[1]:find("SELECT DISTINCT `P`.`a`, `P`.`b` FROM", 1, true), sel[1])
      assert.truthy(sel[2]:find("WHERE (`P`.`a`, `P`.`b`) IN (VALUES (?, ?), (?, ?))", 1, true), sel[2])
    end)
  end)

  describe("belongsToMany", function()
    local bt
    setup(function() bt = { model = M.T, through = { attributes = {} } } end)

    it("limit", function()
      assert.are.equal('[{"a":1,"b":1,"name":"x","Ts":[{"id":1,"label":"t1"},{"id":2,"label":"t2"}]},{"a":1,"b":2,"name":"y","Ts":[{"id":2,"label":"t2"}]}]',
        S(M.P:findAll{ include = bt, limit = 2, order = asc({ M.T, "id", "ASC" }) }))
    end)

    it("limit + offset, order desc", function()
      assert.are.equal('[{"a":2,"b":1,"name":"z","Ts":[{"id":1,"label":"t1"}]},{"a":1,"b":2,"name":"y","Ts":[{"id":2,"label":"t2"}]}]',
        S(M.P:findAll{ include = bt, limit = 2, offset = 1, order = desc({ M.T, "id", "ASC" }) }))
    end)

    it("with a hasMany include beside it", function()
      assert.are.equal('[{"a":1,"b":1,"name":"x","Cs":[{"id":1,"title":"x1","pname":"x"},{"id":2,"title":"x2","pname":"x"}],"Ts":[{"id":1,"label":"t1"},{"id":2,"label":"t2"}]},'
        .. '{"a":1,"b":2,"name":"y","Cs":[{"id":3,"title":"y1","pname":"y"}],"Ts":[{"id":2,"label":"t2"}]}]',
        S(M.P:findAll{ include = { M.C, bt }, limit = 2, order = asc({ M.C, "id", "ASC" }, { M.T, "id", "ASC" }) }))
    end)
  end)

  it("a key of text and integer columns, and a page of more keys than SQLite's expression depth (1000)", function()
    local db = support.open()
    local K = db:define("K", { code = { type = DataTypes.STRING, primaryKey = true }, n = { type = DataTypes.INTEGER, primaryKey = true } },
      { timestamps = false })
    local V = db:define("V", { v = DataTypes.INTEGER }, { timestamps = false })
    K:hasMany(V, { foreignKey = "kn", sourceKey = "n", constraints = false })
    db:sync()
    local ks, vs = {}, {}
    for i = 1, 1500 do
      ks[i] = { code = i % 2 == 0 and "even" or "odd", n = i }
      vs[i] = { v = i, kn = i }
    end
    K:bulkCreate(ks)
    V:bulkCreate(vs)
    local rows = K:findAll{ include = V, limit = 1200, offset = 100, order = { { "n", "ASC" } } }
    assert.are.equal(1200, #rows)
    for i, k in ipairs(rows) do
      assert.are.equal(i + 100, k.n)
      assert.are.equal(k.n % 2 == 0 and "even" or "odd", k.code)
      assert.are.equal(1, #k.Vs)
      assert.are.equal(k.n, k.Vs[1].v)
    end
    -- the same code under two numbers: two parents
    rows = K:findAll{ include = V, where = { n = { [Op.lte] = 4 } }, limit = 3, order = { { "code", "DESC" }, { "n", "DESC" } } }
    assert.are.equal('[{"code":"odd","n":3,"Vs":[{"id":3,"v":3,"kn":3}]},{"code":"odd","n":1,"Vs":[{"id":1,"v":1,"kn":1}]},'
      .. '{"code":"even","n":4,"Vs":[{"id":4,"v":4,"kn":4}]}]', S(rows))
  end)
end)

describe("paging with a to-many include on a model without a primary key", function()
  -- removeAttribute("id") as in Sequelize, which pages such a model in its subquery but then
  -- merges the children of every parent into the first one: the limit and offset raise here.
  local db, P, C
  setup(function()
    db = support.open()
    P = db:define("P", { name = { type = DataTypes.STRING, unique = true }, n = DataTypes.INTEGER }, { timestamps = false })
    P:removeAttribute("id")
    C = db:define("C", { id = { type = DataTypes.INTEGER, primaryKey = true }, title = DataTypes.STRING }, { timestamps = false })
    P:hasMany(C, { foreignKey = "pname", sourceKey = "name" })
    db:sync()
    P:bulkCreate{ { name = "x", n = 1 }, { name = "y", n = 2 }, { name = "z", n = 3 } }
    C:bulkCreate{ { id = 1, title = "x1", pname = "x" }, { id = 2, title = "x2", pname = "x" }, { id = 3, title = "y1", pname = "y" } }
  end)

  it("has no primary key", function()
    assert.is_nil(P.primaryKeyAttribute)
  end)

  it("findAll with limit or offset, findOne and findAndCountAll raise an error naming the model", function()
    local calls = {
      function() return P:findAll{ include = C, limit = 2, order = { { "n", "ASC" } } } end,
      function() return P:findAll{ include = C, offset = 1 } end,
      function() return P:findOne{ include = C } end,
      function() return P:findAndCountAll{ include = C, limit = 2 } end,
    }
    for _, call in ipairs(calls) do
      local err = support.catch_message(call)
      assert.are.equal("Error", err.name)
      assert.truthy(err.message:find("^P has no primary key: "), err.message)
      assert.truthy(err:is(Sequelize.errors.BaseError))
    end
  end)

  it("without paging a joined to-many include raises too; a separate one, or no include, reads", function()
    -- Sequelize 6.37.8 merges every row into one P (nothing to tell them apart):
    -- [{"name":"x","n":1,"Cs":[{"id":1,...},{"id":2,...},{"id":3,...,"pname":"y"},{"id":null,"title":null,"pname":null}]}],
    -- with separate = true [{"name":"x","n":1,"Cs":[{"id":1,...},{"id":2,...}]}] (one P). sequelua
    -- made one P per joined row (4); it now refuses the join, and reads the separate include.
    local err = support.catch_message(function() return P:findAll{ include = C, order = { { "n", "ASC" } } } end)
    assert.are.equal("Error", err.name)
    assert.are.equal("P has no primary key: its rows repeat with each row of the to-many include Cs and cannot be "
      .. "merged; include it with separate = true", err.message)
    assert.are.equal('[{"n":1,"name":"x","Cs":[{"id":1,"title":"x1","pname":"x"},{"id":2,"title":"x2","pname":"x"}]},'
      .. '{"n":2,"name":"y","Cs":[{"id":3,"title":"y1","pname":"y"}]},{"n":3,"name":"z","Cs":[]}]',
      S(P:findAll{ include = { model = C, separate = true, order = { { "id", "ASC" } } }, order = { { "n", "ASC" } } }))
    assert.are.equal('[{"n":2,"name":"y"},{"n":3,"name":"z"}]', S(P:findAll{ limit = 2, offset = 1, order = { { "n", "ASC" } } }))
  end)
end)
