-- Model:schema(name [, options]) (Sequelize's Model.schema): a copy of the model on the table
-- `name.table` (checked in Node with Sequelize 6.37.8 on sqlite). Ports the Model.schema tests
-- of test/integration/model/schema.test.js ("schemas": the creates, saves, counts, the include
-- of a public model, the concurrency test) and of test/unit/model/schema.test.js (override,
-- nullify, coexisting schemas and delimiters). Left out: including a copy (not joined yet: it
-- raises) and the getters' `schema` option.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model:schema", function()
  local db, R, L, R1, R2, Company, sql
  setup(function()
    sql = {}
    db = Sequelize.new("sqlite::memory:", { logging = function(s) sql[#sql + 1] = s end })
    R = db:define("restaurant", { foo = DataTypes.STRING, bar = DataTypes.STRING }, { tableName = "restaurants" })
    L = db:define("location", { name = DataTypes.STRING }, { tableName = "locations" })
    R1 = R:schema("schema_one")
    R:belongsTo(L, { foreignKey = "location_id", constraints = false }) -- (after the copy: seen through it)
    R2 = R:schema("schema_two")
    Company = db:define("company", {}, { schema = "default", schemaDelimiter = "&" })
    R1:sync{ force = true }; R2:sync{ force = true }; R:sync(); L:sync()
  end)
  teardown(function() db:close() end)
  before_each(function() R1:destroy{ where = {} }; R2:destroy{ where = {} }; R:destroy{ where = {} } end)

  it("names the copy's table, keeps the model's name and attributes", function()
    assert.equal("restaurant", R1.name)
    assert.equal("schema_one.restaurants", R1.tableName)
    assert.equal("`schema_one.restaurants`", tostring(R1:getTableName()))
    assert.equal("restaurants", R.tableName)
    assert.truthy(R1.rawAttributes.location_id)
    assert.equal(R.associations.location, R1.associations.location)
    assert.equal("`schema_two_restaurants`", tostring(R:schema("schema_two", { schemaDelimiter = "_" }):getTableName()))
    assert.equal("`x^restaurants`", tostring(R:schema("x", "^"):getTableName()))
    assert.equal("restaurants", R:schema(Sequelize.null):getTableName())
  end)

  it("creates, finds, counts, updates and destroys in its own table (schema_one / schema_two)", function()
    local r = R1:create{ foo = "one" }
    assert.equal(R1, r.constructor)
    local obj = R1:findOne{ where = { foo = "one" } }
    assert.equal("one", obj.foo)
    assert.equal(R1, obj.constructor)
    assert.equal("one", R1:findByPk(obj.id).foo)
    assert.is_nil(R2:findOne{ where = { foo = "one" } })
    assert.is_nil(R:findByPk(obj.id))
    R2:create{ foo = "two" }
    obj.foo = "uno"; obj:save()
    assert.equal(1, R1:update({ bar = "b" }, { where = { foo = "uno" } }))
    assert.same({ { foo = "uno", bar = "b" } }, db:query('SELECT foo, bar FROM "schema_one.restaurants"', { type = "SELECT" }))
    assert.same({ { foo = "two" } }, db:query('SELECT foo FROM "schema_two.restaurants"', { type = "SELECT" }))
    assert.equal(0, R:count())
    obj:destroy()
    assert.equal(0, R1:count())
    assert.equal(1, R2:count())
  end)

  it("saves built instances to both schemas and counts them (persist and concurrency tests)", function()
    local a = R1:build{ bar = "one.1" }
    local b = R2:build{ bar = "two.1" }
    a:save(); R1:build{ bar = "one.2" }:save(); b:save()
    R2:build{ bar = "two.2" }:save(); R2:build{ bar = "two.3" }:save()
    assert.equal(2, #R1:findAll())
    local fc = R1:findAndCountAll()
    assert.equal(2, fc.count)
    for _, x in ipairs(fc.rows) do assert.matches("one", x.bar) end
    assert.equal(1, #R1:findAll{ where = { bar = { [Sequelize.Op.like] = "%.1" } } })
    assert.equal(3, R2:count())
    assert.equal(1, #R2:findAll{ where = { bar = { [Sequelize.Op.like] = "%.3" } } })
  end)

  it("includes a public model from the copy; a copy as the include raises", function()
    local loc = L:create{ name = "HQ" }
    R1:create{ foo = "one", location_id = loc.id }
    local obj = R1:findOne{ where = { foo = "one" }, include = { { model = L, as = "location" } } }
    assert.equal("HQ", obj.location.name)
    local ok, err = pcall(L.findAll, L, { include = { R1 } })
    assert.is_false(ok)
    assert.matches("Model.schema copy", err.message, 1, true)
  end)

  it("sync and drop go to the copy's table; the plain model's kept statements stay its own", function()
    local X = R:schema("tmp")
    X:sync()
    X:create{ foo = "t" }
    local r = R:create{ foo = "p" }
    r.foo = "q"; r:save()
    assert.equal("q", R:findByPk(r.id).foo)
    assert.equal("t", X:findByPk(1).foo)
    X:drop()
    assert.same({}, db:query("SELECT name FROM sqlite_master WHERE name = 'tmp.restaurants'", { type = "SELECT" }))
    assert.equal("q", R:findByPk(r.id).foo)
  end)

  it("unit: override, nullify, coexisting schemas and delimiters", function()
    assert.equal("newSchema", Company:schema("newSchema").options.schema)
    assert.equal("newSchema&companies", Company:schema("newSchema").tableName) -- (the model's delimiter)
    assert.is_nil(Company:schema(Sequelize.null).options.schema)
    assert.equal("companies", Company:schema(Sequelize.null).tableName)
    local s1, s2 = Company:schema("schema1"), Company:schema("schema1")
    assert.equal("schema1", s1.options.schema); assert.equal("schema1", s2.options.schema)
    assert.equal("^", Company:schema("default", "^").options.schemaDelimiter)
    assert.equal("$", Company:schema("default", "$").options.schemaDelimiter)
    assert.equal("#", Company:schema("default", "#").options.schemaDelimiter)
    assert.equal("default&companies", Company.tableName)
    local ok, err = pcall(Company.schema, Company, 5)
    assert.is_false(ok)
    assert.matches("company.schema: the schema must be a string", err.message, 1, true)
  end)

  it("a copy's scopes, defaultScope, unscoped and upsert run on the copy's table (Sequelize's scope() subclasses the copy)", function()
    local S = db:define("scoped", { foo = DataTypes.STRING, n = DataTypes.INTEGER },
      { defaultScope = { where = { foo = "a" } }, scopes = { b = { where = { foo = "b" } } } })
    local C = S:schema("sc")
    S:sync(); C:sync()
    C:create{ foo = "a" }; C:create{ foo = "b" }
    assert.equal(1, #C:findAll())
    assert.equal(1, C:count())
    assert.equal("b", C:scope("b"):findOne().foo)
    assert.equal(C, C:scope("b"):findOne().constructor)
    assert.equal(2, #C:unscoped():findAll())
    assert.equal(1, #S:scope("b"):schema("sc"):findAll())
    assert.equal(1, C:update({ n = 1 }, { where = {} }))
    C:upsert{ id = 2, foo = "b", n = 7 }
    assert.equal(7, C:unscoped():findByPk(2).n)
    assert.equal(0, S:unscoped():count())
    local ok, err = pcall(S.findAll, S, { include = { C:scope("b") } })
    assert.is_false(ok)
    assert.matches("Model.schema copy", tostring(err.message or err), 1, true)
    assert.equal(1, C:destroy{ where = {} })
    assert.equal(1, C:unscoped():count())
    S:addScope("defaultScope", { where = { foo = "z" } }, { override = true })
    assert.equal(0, C:count()) -- (the model's defaultScope read live)
  end)

  it("a copy as an association's source, target or join model raises (not joined yet: the model's table would be used)", function()
    local A = db:define("assoc_a", {})
    local B = db:define("assoc_b", {})
    local J = db:define("assoc_j", {})
    local BC = B:schema("sx")
    for _, f in ipairs({
      function() A:hasMany(BC) end, function() A:belongsTo(BC) end, function() A:hasOne(BC:scope()) end,
      function() BC:hasMany(A) end, function() A:belongsToMany(B, { through = J:schema("sx") }) end,
      function() A:belongsToMany(B, { through = { model = J:schema("sx") } }) end }) do
      local ok, err = pcall(f)
      assert.is_false(ok)
      assert.matches("Model.schema copy", err.message, 1, true)
    end
    assert.same({}, A.associations)
    assert.same({}, B.associations)
  end)
end)
