-- Port of Sequelize v6's test/unit/model/scope.test.js (branch v6), sqlite dialect.
-- Sequelize's tests compare the internal `_scope` a scope call leaves (or the options
-- `_injectScope` fills) with the options expected. Neither is API here, so each case is ported
-- as the behaviour it decides: the scoped model's findAll returns the same rows as the unscoped
-- model's findAll given the expected options, on one database whose rows tell the merges apart
-- (more than five rows match somethingTrue, so its limit shows; `field = 1 AND field = 2` matches
-- nothing where overwrite would match `field = 2`). Attribute scopes are checked through the
-- attributes the rows carry. The models get the columns the scopes name (Sequelize's have none,
-- as its tests run no SQL), and associations for the includes.
-- Notes: complexFunction's `where: ['qux IN (SELECT foobar ...)']` (a raw SQL string in a list,
-- which a merge replaces, not joins) is ported as a list holding a Sequelize.literal that names a
-- real column and table (Sequelize 6's finders refuse a string there: `Support for literal
-- replacements in the where object has been removed`); `Sequelize.where()` (no
-- arguments) as a Sequelize.where on a column; `Sequelize.Model._scope = X` as a model whose
-- defaultScope is X.
-- Skipped:
-- - "should be able to check default scope name", "... custom scope name", "... multiple custom
--   scope names": `_scopeNames` is internal, with no observable behaviour.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

-- rows as JSON text, in key order
local function rows(list)
  local out = {}
  for i, r in ipairs(list) do out[i] = tostring(r) end
  return table.concat(out, "\n")
end

local function with_order(o)
  local n = {}
  for k, v in pairs(o or {}) do n[k] = v end
  if n.order == nil then n.order = { { "id", "ASC" } } end
  return n
end

-- the scoped model M finds what the unscoped model finds with the expected options
local function behaves_as(M, expected, opts)
  local got = rows(M:findAll(with_order(opts)))
  local want = rows(M:unscoped():findAll(with_order(expected)))
  assert.equal(want, got)
  return got
end

describe("Model (port of unit/model/scope.test.js)", function()
  local db, Project, User, Company, scopes
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Project = db:define("project", { name = DataTypes.STRING, something = DataTypes.BOOLEAN, somethingElse = DataTypes.INTEGER })
    User = db:define("user", { something = DataTypes.INTEGER })
    scopes = {
      complexFunction = function(value)
        return { where = { Sequelize.literal(value .. " IN (SELECT name FROM projects)") } }
      end,
      somethingTrue = { where = { something = true, somethingElse = 42 }, limit = 5 },
      somethingFalse = { where = { something = false } },
      sequelize_where = { where = Sequelize.where(Sequelize.col("other_value"), Op.gt, 8) },
      users = { include = { { model = User } } },
      alsoUsers = { include = { { model = User, where = { something = 42 } } } },
      projects = { include = { Project } },
      groupByCompanyId = { group = { "company.id" } },
      groupByProjectId = { group = { "projects.id" }, include = { Project } },
      noArgs = function() return { where = { other_value = 7 } } end,
      actualValue = function(value) return { where = { other_value = value } } end,
    }
    Company = db:define("company", {
      active = DataTypes.BOOLEAN, something = DataTypes.BOOLEAN, somethingElse = DataTypes.INTEGER,
      other_value = DataTypes.INTEGER, this = DataTypes.STRING, foobar = DataTypes.STRING,
    }, { defaultScope = { include = { Project }, where = { active = true } }, scopes = scopes })
    Company:hasMany(Project)
    Company:hasMany(User)
    Project:belongsTo(Company)
    db:sync()
    local T, F, N = true, false, Sequelize.null
    -- active, something, somethingElse, other_value, this
    local data = {
      { T, T, 42, 7, "that" }, { T, F, 42, 11, N }, { F, T, 42, 11, "that" }, { T, T, 99, 7, N },
      { N, F, 99, N, "x" }, { T, T, 42, 11, N }, { F, T, 42, 7, "x" }, { T, T, 42, 11, "that" },
      { T, T, 42, 7, N }, { F, F, 42, 11, "that" }, { T, T, 42, 9, N }, { T, F, 99, 7, "that" },
    }
    for i, d in ipairs(data) do
      local c = Company:unscoped():create({ active = d[1], something = d[2], somethingElse = d[3],
        other_value = d[4], this = d[5], foobar = "f" .. i })
      if i % 3 ~= 0 then
        Project:create({ name = (i % 2 == 0) and "that" or "p" .. i, something = i % 4 == 0, somethingElse = (i % 5 == 0) and 99 or 1, companyId = c.id })
        if i % 2 == 1 then Project:create({ name = "q" .. i, something = true, somethingElse = 99, companyId = c.id }) end
      end
      if i % 4 ~= 1 then User:create({ something = (i % 2 == 0) and 42 or 1, companyId = c.id }) end
    end
  end)
  teardown(function() db:close() end)

  describe(".scope", function()
    describe("attribute exclude / include", function()
      local U
      setup(function()
        U = db:define("scopeUser", { password = DataTypes.STRING, value = DataTypes.INTEGER, name = DataTypes.STRING }, {
          defaultScope = { attributes = { exclude = { "password" } } },
          scopes = { aScope = { attributes = { exclude = { "value" } } } },
        })
        U:sync()
        U:create({ password = "p", value = 1, name = "n" })
      end)
      local function keys(M)
        local r = M:findOne():toJSON()
        local ks = {}
        for k in pairs(r) do ks[#ks + 1] = k end
        table.sort(ks)
        return table.concat(ks, ",")
      end

      it("should not expand attributes", function()
        assert.equal("createdAt,id,name,updatedAt,value", keys(U))
        assert.same({ exclude = { "password" } }, U.options.defaultScope.attributes)
      end)

      it("should not expand attributes", function()
        assert.equal("createdAt,id,name,password,updatedAt", keys(U:scope("aScope")))
        assert.same({ exclude = { "value" } }, U.options.scopes.aScope.attributes)
      end)

      it("should unite attributes with array", function()
        assert.equal("createdAt,id,name,updatedAt", keys(U:scope("aScope", "defaultScope")))
      end)

      it("should not modify the original scopes when merging them", function()
        keys(U:scope("defaultScope", "aScope"))
        assert.same({ exclude = { "password" } }, U.options.defaultScope.attributes)
        assert.same({ exclude = { "value" } }, U.options.scopes.aScope.attributes)
      end)
    end)

    it("defaultScope should be an empty object if not overridden", function()
      local Foo = db:define("foo", { n = DataTypes.INTEGER }, {})
      Foo:sync()
      Foo:bulkCreate({ { n = 1 }, { n = 2 } })
      assert.equal(2, #Foo:scope("defaultScope"):findAll())
      behaves_as(Foo:scope("defaultScope"), {})
    end)

    it("should apply default scope", function()
      local got = behaves_as(Company, { include = { Project }, where = { active = true } })
      assert.equal(8, #Company:findAll())
      assert.truthy(got:find('"projects"'))
    end)

    it("should be able to unscope", function()
      behaves_as(Company:scope(Sequelize.null), {})
      behaves_as(Company:scope(nil), {})
      behaves_as(Company:unscoped(), {})
      assert.equal(12, #Company:unscoped():findAll())
      -- being unscoped is a scope: including the unscoped model injects no defaultScope (#4663)
      local ps = Project:findAll({ include = { Company:unscoped() }, order = { { "id" } } })
      local linked = 0
      for _, p in ipairs(ps) do if p.company then linked = linked + 1 end end
      assert.equal(#ps, linked)
      local ps2 = Project:findAll({ include = { { model = Company, required = false } }, order = { { "id" } } })
      local linked2 = 0
      for _, p in ipairs(ps2) do if p.company then linked2 = linked2 + 1 end end
      assert.is_true(linked2 < linked) -- the defaultScope applies to a scoped include
    end)

    it("should be able to merge scopes", function()
      behaves_as(Company:scope("somethingTrue", "somethingFalse", "sequelize_where"), {
        where = { something = false, somethingElse = 42, [Op.and_] = Sequelize.where(Sequelize.col("other_value"), Op.gt, 8) },
        limit = 5,
      })
    end)

    it("should support multiple, coexistent scoped models", function()
      local scoped1, scoped2 = Company:scope("somethingTrue"), Company:scope("somethingFalse")
      local a = behaves_as(scoped1, scopes.somethingTrue)
      local b = behaves_as(scoped2, scopes.somethingFalse)
      assert.equal(5, #scoped1:findAll())
      assert.are_not.equal(a, b)
    end)

    it("should work with function scopes", function()
      behaves_as(Company:scope({ method = { "actualValue", 11 } }), { where = { other_value = 11 } })
      behaves_as(Company:scope("noArgs"), { where = { other_value = 7 } })
      assert.equal(5, #Company:scope({ method = { "actualValue", 11 } }):findAll())
    end)

    it("should work with consecutive function scopes", function()
      local scope = { method = { "actualValue", 11 } }
      behaves_as(Company:scope(scope), { where = { other_value = 11 } })
      behaves_as(Company:scope(scope), { where = { other_value = 11 } })
    end)

    it("should be able to merge two scoped includes", function()
      local got = behaves_as(Company:scope("users", "projects"), { include = { { model = User }, { model = Project } } })
      assert.truthy(got:find('"users"') and got:find('"projects"'))
    end)

    it("should be keep original scope definition clean", function()
      behaves_as(Company:scope("projects", "users", "alsoUsers"), {
        include = { { model = Project }, { model = User, where = { something = 42 } } },
      })
      local also = Company.options.scopes.alsoUsers
      assert.equal(1, #also.include)
      assert.equal(User, also.include[1].model)
      assert.same({ something = 42 }, also.include[1].where)
      local users = Company.options.scopes.users
      assert.equal(1, #users.include)
      assert.equal(User, users.include[1].model)
      assert.is_nil(users.include[1].where)
    end)

    it("should be able to override the default scope", function()
      behaves_as(Company:scope("somethingTrue"), scopes.somethingTrue)
    end)

    it("should be able to combine default with another scope", function()
      behaves_as(Company:scope({ "defaultScope", { method = { "actualValue", 11 } } }), {
        include = { { model = Project } }, where = { active = true, other_value = 11 },
      })
    end)

    describe("merging scopes using `and` whereMergeStrategy", function()
      local TestModel
      setup(function()
        local w = function(n) return Sequelize.where(Sequelize.col("field"), Op.is, n) end
        TestModel = db:define("testModel", { field = DataTypes.INTEGER, otherField = DataTypes.INTEGER }, {
          whereMergeStrategy = "and",
          scopes = {
            whereAttributeIs1 = { where = { field = 1 } },
            whereAttributeIs2 = { where = { field = 2 } },
            whereAttributeIs3 = { where = { field = 3 } },
            whereOtherAttributeIs4 = { where = { otherField = 4 } },
            whereOpAnd1 = { where = { [Op.and_] = { { field = 1 }, { field = 1 } } } },
            whereOpAnd2 = { where = { [Op.and_] = { { field = 2 }, { field = 2 } } } },
            whereOpAnd3 = { where = { [Op.and_] = { { field = 3 }, { field = 3 } } } },
            whereOpOr1 = { where = { [Op.or_] = { { field = 1 }, { field = 1 } } } },
            whereOpOr2 = { where = { [Op.or_] = { { field = 2 }, { field = 2 } } } },
            whereOpOr3 = { where = { [Op.or_] = { { field = 3 }, { field = 3 } } } },
            whereSequelizeWhere1 = { where = w(1) },
            whereSequelizeWhere2 = { where = w(2) },
          },
        })
        TestModel:sync()
        TestModel:bulkCreate({ { field = 1, otherField = 4 }, { field = 1 }, { field = 2 }, { field = 2, otherField = 4 },
          { field = 3 }, { otherField = 4 } })
      end)
      local function check(names, expected, nrows)
        local got = TestModel:scope(names):findAll()
        assert.equal(nrows, #got)
        behaves_as(TestModel:scope(names), { where = expected })
      end

      describe("attributes", function()
        it("should group 2 similar attributes with an Op.and", function()
          check({ "whereAttributeIs1", "whereAttributeIs2" }, { [Op.and_] = { { field = 1 }, { field = 2 } } }, 0)
        end)
        it("should group multiple similar attributes with an unique Op.and", function()
          check({ "whereAttributeIs1", "whereAttributeIs2", "whereAttributeIs3" },
            { [Op.and_] = { { field = 1 }, { field = 2 }, { field = 3 } } }, 0)
        end)
        it("should group different attributes with an Op.and", function()
          check({ "whereAttributeIs1", "whereOtherAttributeIs4" }, { [Op.and_] = { { field = 1 }, { otherField = 4 } } }, 1)
        end)
      end)

      describe("and operators", function()
        it("should concatenate 2 Op.and into an unique one", function()
          check({ "whereOpAnd1", "whereOpAnd2" },
            { [Op.and_] = { { field = 1 }, { field = 1 }, { field = 2 }, { field = 2 } } }, 0)
        end)
        it("should concatenate multiple Op.and into an unique one", function()
          check({ "whereOpAnd1", "whereOpAnd2", "whereOpAnd3" },
            { [Op.and_] = { { field = 1 }, { field = 1 }, { field = 2 }, { field = 2 }, { field = 3 }, { field = 3 } } }, 0)
        end)
      end)

      describe("or operators", function()
        local or1 = { [Op.or_] = { { field = 1 }, { field = 1 } } }
        local or2 = { [Op.or_] = { { field = 2 }, { field = 2 } } }
        local or3 = { [Op.or_] = { { field = 3 }, { field = 3 } } }
        it("should group 2 Op.or with an Op.and", function()
          check({ "whereOpOr1", "whereOpOr2" }, { [Op.and_] = { or1, or2 } }, 0)
        end)
        it("should group multiple Op.or with an unique Op.and", function()
          check({ "whereOpOr1", "whereOpOr2", "whereOpOr3" }, { [Op.and_] = { or1, or2, or3 } }, 0)
        end)
        it("should group multiple Op.or and Op.and with an unique Op.and", function()
          check({ "whereOpOr1", "whereOpOr2", "whereOpAnd1", "whereOpAnd2" },
            { [Op.and_] = { or1, or2, { field = 1 }, { field = 1 }, { field = 2 }, { field = 2 } } }, 0)
        end)
        it("should group multiple Op.and and Op.or with an unique Op.and", function()
          check({ "whereOpAnd1", "whereOpAnd2", "whereOpOr1", "whereOpOr2" },
            { [Op.and_] = { { field = 1 }, { field = 1 }, { field = 2 }, { field = 2 }, or1, or2 } }, 0)
        end)
      end)

      describe("sequelize where", function()
        local w = function(n) return Sequelize.where(Sequelize.col("field"), Op.is, n) end
        it("should group 2 sequelize.where with an Op.and", function()
          check({ "whereSequelizeWhere1", "whereSequelizeWhere2" }, { [Op.and_] = { w(1), w(2) } }, 0)
        end)
        it("should group 2 sequelize.where and other scopes with an Op.and", function()
          check({ "whereAttributeIs1", "whereOpAnd1", "whereOpOr1", "whereSequelizeWhere1" },
            { [Op.and_] = { { field = 1 }, { field = 1 }, { field = 1 }, { [Op.or_] = { { field = 1 }, { field = 1 } } }, w(1) } }, 2)
        end)
      end)
    end)

    it("should be able to use raw queries", function()
      local got = behaves_as(Company:scope({ { method = { "complexFunction", "`company`.`this`" } } }),
        { where = { Sequelize.literal("`company`.`this` IN (SELECT name FROM projects)") } })
      assert.equal(5, #Company:scope({ { method = { "complexFunction", "`company`.`this`" } } }):findAll())
      assert.truthy(got)
    end)

    it("should override the default scope", function()
      behaves_as(Company:scope({ "defaultScope", { method = { "complexFunction", "`company`.`this`" } } }), {
        include = { { model = Project } }, where = { Sequelize.literal("`company`.`this` IN (SELECT name FROM projects)") },
      })
    end)

    it("should emit an error for scopes that don't exist", function()
      local ok, err = pcall(Company.scope, Company, "doesntexist")
      assert.is_false(ok)
      assert.equal("Invalid scope doesntexist called.", err.message)
    end)

    it("should concatenate scope groups", function()
      local got = behaves_as(Company:scope("groupByCompanyId", "groupByProjectId"),
        { group = { "company.id", "projects.id" }, include = { { model = Project } } })
      assert.truthy(got)
    end)
  end)

  describe("addScope", function()
    it("works if the model does not have any initial scopes", function()
      local M = db:define("model", {})
      assert.has_no.errors(function() M:addScope("anything", {}) end)
    end)

    it("allows me to add a new scope", function()
      local ok, err = pcall(Company.scope, Company, "newScope")
      assert.is_false(ok)
      assert.equal("Invalid scope newScope called.", err.message)
      Company:addScope("newScope", { where = { this = "that" }, include = { { model = Project } } })
      behaves_as(Company:scope("newScope"), { where = { this = "that" }, include = { { model = Project } } })
      assert.equal(5, #Company:scope("newScope"):findAll())
    end)

    it("warns me when overriding an existing scope", function()
      local ok, err = pcall(Company.addScope, Company, "somethingTrue", {})
      assert.is_false(ok)
      assert.equal("The scope somethingTrue already exists. Pass { override: true } as options to silence this error", err.message)
    end)

    it("allows me to override an existing scope", function()
      Company:addScope("somethingTrue", { where = { something = false } }, { override = true })
      behaves_as(Company:scope("somethingTrue"), { where = { something = false } })
      assert.equal(4, #Company:scope("somethingTrue"):findAll())
    end)

    it("warns me when overriding an existing default scope", function()
      local ok, err = pcall(Company.addScope, Company, "defaultScope", {})
      assert.is_false(ok)
      assert.equal("The scope defaultScope already exists. Pass { override: true } as options to silence this error", err.message)
    end)

    it("should not warn if default scope is not defined", function()
      local M = db:define("model", {})
      assert.has_no.errors(function() M:addScope("defaultScope", {}) end)
    end)

    it("allows me to override a default scope", function()
      Company:addScope("defaultScope", { include = { { model = Project } } }, { override = true })
      behaves_as(Company, { include = { { model = Project } } })
      assert.equal(12, #Company:findAll())
    end)

    it("should keep exclude and include attributes", function()
      Company:addScope("newIncludeScope", {
        attributes = { include = { { Sequelize.fn("upper", Sequelize.col("foobar")), "FOO" } }, exclude = { "createdAt" } },
      })
      local got = behaves_as(Company:scope("newIncludeScope"), {
        attributes = { include = { { Sequelize.fn("upper", Sequelize.col("foobar")), "FOO" } }, exclude = { "createdAt" } },
      })
      assert.truthy(got:find('"FOO":"F1"'))
      assert.falsy(got:find('"createdAt"'))
    end)

    it("should be able to merge scopes with the same include", function()
      Company:addScope("project", { include = { { model = Project, where = { something = false, somethingElse = 99 } } } })
      Company:addScope("alsoProject", { include = { { model = Project, where = { something = true }, limit = 1 } } })
      behaves_as(Company:scope({ "project", "alsoProject" }), {
        include = { { model = Project, where = { something = true, somethingElse = 99 }, limit = 1 } },
      })
      -- (an include's limit makes it separate, as in Sequelize: its where filters no parent)
      assert.equal(12, #Company:scope({ "project", "alsoProject" }):findAll())
    end)
  end)

  describe("_injectScope", function()
    -- Sequelize.Model._scope = X: a model whose defaultScope is X
    local Inj, InjAnd, Part, Member
    setup(function()
      local attrs = { something = DataTypes.BOOLEAN, somethingElse = DataTypes.INTEGER }
      Inj = db:define("inj", attrs)
      InjAnd = db:define("injAnd", attrs, { whereMergeStrategy = "and" })
      Part = db:define("part", attrs)
      Member = db:define("member", attrs)
      for _, M in ipairs({ Inj, InjAnd }) do
        M:hasMany(Part)
        M:hasMany(Member)
        M:hasMany(Member, { as = "someUser" })
        M:hasMany(Member, { as = "otherUser" })
      end
      db:sync()
      local T, F, N = true, false, Sequelize.null
      local data = { { T, 42 }, { F, 42 }, { T, 1 }, { F, 1 }, { N, 42 }, { F, 42 }, { T, 42 } }
      for _, M in ipairs({ Inj, InjAnd }) do
        local key = M.name .. "Id"
        for i, d in ipairs(data) do
          local x = M:create({ something = d[1], somethingElse = d[2] })
          Part:create({ something = i % 2 == 0, somethingElse = (i % 3 == 0) and 1 or 99, [key] = x.id })
          Part:create({ something = i % 3 == 0, somethingElse = 99, [key] = x.id })
          Member:create({ something = i % 2 == 1, somethingElse = 1, [key] = x.id, someUserId = x.id })
          if i % 2 == 0 then Member:create({ something = true, [key] = x.id, otherUserId = x.id }) end
        end
      end
    end)
    local function inject(M, scope, options, expected, nrows)
      M:addScope("defaultScope", scope, { override = true })
      local got = M:findAll(with_order(options))
      assert.equal(rows(M:unscoped():findAll(with_order(expected))), rows(got))
      if nrows then assert.equal(nrows, #got) end
    end

    it("should be able to merge scope and where", function()
      inject(Inj, { where = { something = true, somethingElse = 42 }, limit = 15, offset = 3 },
        { where = { something = false }, limit = 9 },
        { where = { something = false, somethingElse = 42 }, limit = 9, offset = 3 }, 0)
      inject(Inj, { where = { something = true, somethingElse = 42 }, limit = 15, offset = 1 },
        { where = { something = false }, limit = 9 },
        { where = { something = false, somethingElse = 42 }, limit = 9, offset = 1 }, 1)
    end)

    it("should be able to merge scope and having", function()
      inject(Inj, { having = { something = true, somethingElse = 42 }, limit = 15, offset = 1, group = { "id" } },
        { having = { something = false }, limit = 9 },
        { having = { something = false, somethingElse = 42 }, limit = 9, offset = 1, group = { "id" } }, 1)
    end)

    it("should be able to merge scopes with the same include", function()
      inject(Inj, { include = { { model = Part, where = { something = false, somethingElse = 99 } },
          { model = Part, where = { something = true }, limit = 1 } } }, {},
        { include = { { model = Part, where = { something = true, somethingElse = 99 }, limit = 1 } } })
    end)

    it("should be able to merge scoped include", function()
      inject(Inj, { include = { { model = Part, where = { something = false, somethingElse = 99 } } } },
        { include = { { model = Part, where = { something = true }, limit = 1 } } },
        { include = { { model = Part, where = { something = true, somethingElse = 99 }, limit = 1 } } })
    end)

    it("should be able to merge aliased includes with the same model", function()
      inject(Inj, { include = { { model = Member, as = "someUser" } } },
        { include = { { model = Member, as = "otherUser" } } },
        { include = { { model = Member, as = "someUser" }, { model = Member, as = "otherUser" } } })
      local got = rows(Inj:findAll(with_order({ include = { { model = Member, as = "otherUser" } } })))
      assert.truthy(got:find('"someUser"') and got:find('"otherUser"'))
    end)

    it("should be able to merge scoped include with include in find", function()
      inject(Inj, { include = { { model = Part, where = { something = false } } } },
        { include = { { model = Member, where = { something = true } } } },
        { include = { { model = Part, where = { something = false } }, { model = Member, where = { something = true } } } })
    end)

    describe("using `and` whereMergeStrategy", function()
      it("should be able to merge scope and where", function()
        inject(InjAnd, { where = { something = true, somethingElse = 42 }, limit = 15, offset = 0 },
          { where = { something = false }, limit = 9 },
          { where = { [Op.and_] = { { something = true, somethingElse = 42 }, { something = false } } }, limit = 9, offset = 0 }, 0)
      end)

      it("should be able to merge scope and having", function()
        inject(InjAnd, { having = { something = true, somethingElse = 42 }, limit = 15, offset = 0, group = { "id" } },
          { having = { somethingElse = 42 }, limit = 9 },
          { having = { [Op.and_] = { { something = true, somethingElse = 42 }, { somethingElse = 42 } } }, limit = 9, offset = 0,
            group = { "id" } }, 2)
      end)

      it("should be able to merge scopes with the same include", function()
        inject(InjAnd, { include = { { model = Part, where = { something = false, somethingElse = 99 } },
            { model = Part, where = { something = true }, limit = 1 } } }, {},
          { include = { { model = Part, where = { [Op.and_] = { { something = false, somethingElse = 99 }, { something = true } } },
            limit = 1 } } }, 7)
      end)

      it("should be able to merge scoped include", function()
        inject(InjAnd, { include = { { model = Part, where = { something = false, somethingElse = 99 } } } },
          { include = { { model = Part, where = { something = true }, limit = 1 } } },
          { include = { { model = Part, where = { [Op.and_] = { { something = false, somethingElse = 99 }, { something = true } } },
            limit = 1 } } }, 7)
      end)
    end)

    describe("include all", function()
      it("scope with all", function()
        inject(Inj, { include = { { all = true } } }, { include = { { model = Member, where = { something = true } } } },
          { include = { { all = true }, { model = Member, where = { something = true } } } })
      end)

      it("options with all", function()
        inject(Inj, { include = { { model = Member, where = { something = true } } } }, { include = { { all = true } } },
          { include = { { model = Member, where = { something = true } }, { all = true } } })
      end)
    end)
  end)
end)
