-- Port of Sequelize v6's test/integration/model/scope/merge.test.js (branch v6), sqlite dialect.
-- Skipped: none. Each describe's tests only read, so they share one database.
-- Notes: the Promise.all over the 24 permutations runs them in turn; combinatorics.permutation
-- is a local function. The findAll / findOne options tests pass `this.scopes[d]` after
-- Foo.scope() has conformed those very objects in place (Sequelize's _conformIncludes turns
-- includeEverything's single include into a list, before any finder gets it); sequelua leaves
-- a scope's table as given, so the port hands the finder that conformed shape (conformed()).
-- Given fresh, a finder's single include replaces the scope's includes, in both.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function permutations(list)
  local out = {}
  local function perm(prefix, rest)
    if #rest == 0 then out[#out + 1] = prefix return end
    for i = 1, #rest do
      local p, r = { table.unpack(prefix) }, { table.unpack(rest) }
      p[#p + 1] = table.remove(r, i)
      perm(p, r)
    end
  end
  perm({}, list)
  return out
end

describe("Model (port of scope/merge.test.js)", function()
  describe("scope", function()
    describe("simple merge", function()
      local db, Foo, Bar, Baz
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Foo = db:define("foo", { name = DataTypes.STRING }, { timestamps = false })
        Bar = db:define("bar", { name = DataTypes.STRING }, { timestamps = false })
        Baz = db:define("baz", { name = DataTypes.STRING }, { timestamps = false })
        Foo:belongsTo(Baz, { foreignKey = "bazId" })
        Foo:hasOne(Bar, { foreignKey = "fooId" })
        Foo:addScope("includeBar", { include = Bar })
        Foo:addScope("includeBaz", { include = Baz })
        db:sync({ force = true })
        local baz = Baz:create({ name = "The Baz" })
        local foo = Foo:create({ name = "The Foo", bazId = baz.id })
        Bar:create({ name = "The Bar", fooId = foo.id })
      end)
      teardown(function() db:close() end)

      it("should merge simple scopes correctly", function()
        local result = Foo:scope("includeBar", "includeBaz"):findOne()
        local json = result:toJSON()
        assert.truthy(json.bar)
        assert.truthy(json.baz)
        assert.equal("The Bar", json.bar.name)
        assert.equal("The Baz", json.baz.name)
      end)
    end)

    describe("complex merge", function()
      local db, Foo, scopes, scopePermutations
      setup(function()
        db = Sequelize.new("sqlite::memory:")
        Foo = db:define("foo", { name = DataTypes.STRING }, { timestamps = false })
        local Bar = db:define("bar", { name = DataTypes.STRING }, { timestamps = false })
        local Baz = db:define("baz", { name = DataTypes.STRING }, { timestamps = false })
        local Qux = db:define("qux", { name = DataTypes.STRING }, { timestamps = false })
        Foo:hasMany(Bar, { foreignKey = "fooId" })
        Bar:hasMany(Baz, { foreignKey = "barId" })
        Baz:hasMany(Qux, { foreignKey = "bazId" })
        scopes = {
          includeEverything = {
            include = { model = Bar, include = { { model = Baz, include = Qux } } },
          },
          limitedBars = { include = { { model = Bar, limit = 2 } } },
          limitedBazs = { include = { { model = Bar, include = { { model = Baz, limit = 2 } } } } },
          excludeBazName = {
            include = { { model = Bar, include = { { model = Baz, attributes = { exclude = { "name" } } } } } },
          },
        }
        for _, name in ipairs({ "includeEverything", "limitedBars", "limitedBazs", "excludeBazName" }) do
          Foo:addScope(name, scopes[name])
        end
        scopePermutations = permutations({ "includeEverything", "limitedBars", "limitedBazs", "excludeBazName" })
        db:sync({ force = true })
        Foo:create({
          name = "foo1",
          bars = {
            { name = "bar1", bazs = {
              { name = "baz1", quxes = { { name = "qux1" }, { name = "qux2" } } },
              { name = "baz2", quxes = { { name = "qux3" }, { name = "qux4" } } },
            } },
            { name = "bar2", bazs = {
              { name = "baz3", quxes = { { name = "qux5" }, { name = "qux6" } } },
              { name = "baz4", quxes = { { name = "qux7" }, { name = "qux8" } } },
            } },
          },
        }, { include = { { model = Bar, include = { { model = Baz, include = { { model = Qux } } } } } } })
      end)
      teardown(function() db:close() end)

      -- (a scope's options as Sequelize's scope() leaves them: every include a list, nested too)
      local function conformed(sc)
        local function conf(inc)
          if inc == nil then return nil end
          if inc[1] == nil then inc = { inc } end
          local out = {}
          for i, x in ipairs(inc) do
            if getmetatable(x) == nil and x.include ~= nil then
              local c = {}
              for k, v in pairs(x) do c[k] = v end
              c.include = conf(x.include)
              x = c
            elseif getmetatable(x) ~= nil then
              x = { model = x }
            end
            out[i] = x
          end
          return out
        end
        local o = {}
        for k, v in pairs(sc) do o[k] = v end
        o.include = conf(sc.include)
        return o
      end

      local function all_equal(results)
        local first = table.remove(results, 1):toJSON()
        assert.is_nil(first.bars[1].bazs[1].name) -- (excludeBazName holds in every order, as in Sequelize)
        for _, result in ipairs(results) do assert.same(first, result:toJSON()) end
      end

      it("should merge complex scopes correctly regardless of their order", function()
        local results = {}
        for i, s in ipairs(scopePermutations) do results[i] = Foo:scope(table.unpack(s)):findOne() end
        assert.equal(24, #results)
        all_equal(results)
      end)

      it("should merge complex scopes with findAll options correctly regardless of their order", function()
        local results = {}
        for i, s in ipairs(scopePermutations) do
          results[i] = Foo:scope(s[1], s[2], s[3]):findAll(conformed(scopes[s[4]]))[1]
        end
        all_equal(results)
      end)

      it("should merge complex scopes with findOne options correctly regardless of their order", function()
        local results = {}
        for i, s in ipairs(scopePermutations) do
          results[i] = Foo:scope(s[1], s[2], s[3]):findOne(conformed(scopes[s[4]]))
        end
        all_equal(results)
      end)
    end)
  end)
end)
