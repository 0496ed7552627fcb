-- Port of Sequelize v6's test/unit/model/include.test.js (branch v6), sqlite dialect.
-- Sequelize's tests call internals (_expandIncludeAll, _validateIncludedElements, _conformIncludes,
-- _getIncludedAssociation) and read the options they fill in. None is API here, so each case is
-- ported as the findAll behaviour those options decide, on one database whose rows tell the cases
-- apart: an include written one way finds the same rows as the include the internals expand it to
-- (the attributes and where they add, the association they pick), and `subQuery` / `subQueryFilter`
-- / `duplicating` show in what a `limit` pages: the parents (a subquery) or the joined rows, checked
-- against Sequelize's expected SQL shape run through db:query on the same rows.
-- Notes: the models get the columns the scopes name (active, this, that, baz); `attributes: { include:
-- ['foobar'] }` (no such column: Sequelize's SQL would fail) is a literal aliased foobar.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function rows(list)
  local out = {}
  for i, r in ipairs(list) do out[i] = tostring(r) end
  return table.concat(out, "\n")
end

local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return table.concat(ks, ",")
end

describe("Model (port of unit/model/include.test.js)", function()
  describe("all", function()
    it("can expand nested self-reference", function()
      -- (the model's name is the association's alias, so the query Sequelize builds from either
      -- include fails in SQLite: `ambiguous column name: referal.id`, in Sequelize 6.37.8 too; the
      -- expansion is checked by the statement each include gives, one join and no more)
      local db = Sequelize.new("sqlite::memory:")
      local Referral = db:define("referal", { n = DataTypes.INTEGER })
      Referral:belongsTo(Referral)
      db:sync()
      local function run(include)
        local sql
        local ok, err = pcall(Referral.findAll, Referral, { include = include, logging = function(s) sql = s end })
        assert.is_false(ok)
        assert.equal("ambiguous column name: referal.id", err.message)
        return sql
      end
      local got = run({ { all = true, nested = true } })
      assert.equal(run({ { model = Referral } }), got)
      local _, joins = got:gsub(" JOIN ", "")
      assert.equal(1, joins)
      db:close()
    end)
  end)

  describe("_validateIncludedElements", function()
    local db, User, Task, Company, Project, Tasks, UCompany, Employees, Owner
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", { n = DataTypes.INTEGER })
      Task = db:define("Task", { title = DataTypes.STRING })
      Company = db:define("Company", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, field = "field_id" },
        name = DataTypes.STRING,
      })
      Tasks = User:hasMany(Task)
      UCompany = User:belongsTo(Company)
      Employees = Company:hasMany(User)
      Owner = Company:belongsTo(User, { as = "Owner", foreignKey = "ownerId", constraints = false })
      Project = db:define("project", {
        bar = { type = DataTypes.STRING, field = "foo" },
        active = DataTypes.BOOLEAN, this = DataTypes.BOOLEAN, that = DataTypes.BOOLEAN, baz = DataTypes.STRING,
      }, {
        defaultScope = { where = { active = true } },
        scopes = {
          this = { where = { this = true } },
          that = { where = { that = false }, limit = 12 },
          attr = { attributes = { "baz" } },
          foobar = { where = { bar = "42" } },
        },
      })
      User:hasMany(Project)
      User:hasMany(Project:scope("this"), { as = "thisProject" })
      db:sync()
      local c1 = Company:create({ name = "c1" })
      local c2 = Company:create({ name = "c2" })
      -- users 1..8: companies 1, 2 or none; tasks 0..3 each
      local companyOf = { c1.id, c2.id, Sequelize.null, c1.id, c2.id, Sequelize.null, c1.id, c2.id }
      local ntasks = { 0, 2, 3, 1, 0, 2, 1, 3 }
      local t = 0
      for i = 1, 8 do
        local u = User:create({ n = i, CompanyId = companyOf[i] })
        for _ = 1, ntasks[i] do
          t = t + 1
          Task:create({ title = "t" .. t, UserId = u.id })
        end
        Project:unscoped():create({ bar = tostring(40 + i % 3), active = i % 2 == 0, this = i % 3 == 0, that = i % 4 == 0,
          baz = "b" .. i, UserId = u.id })
        Project:unscoped():create({ bar = "42", active = i % 3 ~= 0, this = i % 2 == 0, that = false, baz = "c" .. i, UserId = u.id })
      end
      c1:update({ ownerId = 2 })
      c2:update({ ownerId = 5 })
    end)
    teardown(function() db:close() end)

    local function same(M, got_opts, want_opts)
      got_opts.order = got_opts.order or { { "id" } }
      want_opts.order = want_opts.order or { { "id" } }
      local got = M:findAll(got_opts)
      assert.equal(rows(M:findAll(want_opts)), rows(got))
      return got
    end

    describe("attributes", function()
      it("should not inject the aliased PK again, if it's already there", function()
        -- (the key is selected, not shown: Sequelize 6.37.8's included Company is {"name":"c1"} too)
        local options = { include = { { model = Company, attributes = { "name" } } }, order = { { "id" } } }
        local got = User:findAll(options)
        assert.equal("c1", got[1].Company.name)
        assert.equal("name", keys(got[1].Company:toJSON()))
        -- running the same options again adds the key no second time
        assert.equal(rows(got), rows(User:findAll(options)))
        assert.same({ "name" }, options.include[1].attributes)
        -- the key injected is what merges a to-many include's rows into each parent
        local cs = Company:findAll({ include = { { model = User, attributes = { "n" } } }, order = { { "id" } } })
        assert.equal(3, #cs[1].Users)
        assert.equal(3, #cs[2].Users)
        assert.equal("n", keys(cs[1].Users[1]:toJSON()))
      end)

      describe("include / exclude", function()
        it("allows me to include additional attributes", function()
          local got = User:findAll({ include = { { model = Company, attributes = { include = { { Sequelize.literal("'x'"), "foobar" } } } } },
            order = { { "id" } } })
          assert.equal("createdAt,foobar,id,name,ownerId,updatedAt", keys(got[1].Company:toJSON()))
          assert.equal("x", got[1].Company.foobar)
        end)

        it("allows me to exclude attributes", function()
          local got = User:findAll({ include = { { model = Company, attributes = { exclude = { "name" } } } }, order = { { "id" } } })
          assert.equal("createdAt,id,ownerId,updatedAt", keys(got[1].Company:toJSON()))
        end)

        it("include takes precendence over exclude", function()
          local got = User:findAll({ include = { { model = Company, attributes = { exclude = { "name" }, include = { "name" } } } },
            order = { { "id" } } })
          assert.equal("createdAt,id,name,ownerId,updatedAt", keys(got[1].Company:toJSON()))
        end)
      end)
    end)

    describe("scope", function()
      it("adds the default scope to where", function()
        local got = same(User, { include = { { model = Project } } },
          { include = { { model = Project:unscoped(), where = { active = true } } } })
        assert.equal(7, #got) -- (a where makes the include required: user 3 has no active project)
      end)

      it("adds the where from a scoped model", function()
        same(User, { include = { { model = Project:scope("that") } } },
          { include = { { model = Project:unscoped(), where = { that = false }, limit = 12 } } })
      end)

      it("adds the attributes from a scoped model", function()
        local got = same(User, { include = { { model = Project:scope("attr") } } },
          { include = { { model = Project:unscoped(), attributes = { "baz" } } } })
        assert.equal("baz", keys(got[1].projects[1]:toJSON()))
      end)

      it("merges where with the where from a scoped model", function()
        same(User, { include = { { where = { active = false }, model = Project:scope("that") } } },
          { include = { { model = Project:unscoped(), where = { active = false, that = false }, limit = 12 } } })
      end)

      it("add the where from a scoped associated model", function()
        local got = same(User, { include = { { model = Project, as = "thisProject" } } },
          { include = { { model = Project:unscoped(), as = "thisProject", where = { this = true } } } })
        for _, u in ipairs(got) do
          for _, p in ipairs(u.thisProject) do assert.is_true(p.this) end
        end
      end)

      it("handles a scope with an aliased column (.field)", function()
        local got = same(User, { include = { { model = Project:scope("foobar") } } },
          { include = { { model = Project:unscoped(), where = { bar = "42" } } } })
        local raw = db:query("SELECT COUNT(*) AS n FROM projects WHERE foo = '42'", { type = "SELECT" })
        local n = 0
        for _, u in ipairs(got) do n = n + #u.projects end
        assert.equal(raw[1].n, n)
      end)
    end)

    -- the (user, task) pairs a findAll returned
    local function pairs_of(list)
      local out = {}
      for _, u in ipairs(list) do
        for _, t in ipairs(u.Tasks or {}) do out[#out + 1] = u.id .. ":" .. t.id end
      end
      table.sort(out)
      return table.concat(out, " ")
    end
    -- the (user, task) pairs of a statement's rows, its rows without a task left out
    local function limited_pairs(sql)
      local out = {}
      for _, r in ipairs(db:query(sql, { type = "SELECT" })) do
        if r.t ~= nil and r.t ~= Sequelize.null then out[#out + 1] = r.u .. ":" .. r.t end
      end
      table.sort(out)
      return table.concat(out, " ")
    end
    local function ids(list)
      local out = {}
      for i, u in ipairs(list) do out[i] = u.id end
      return table.concat(out, ",")
    end
    -- every user's tasks are all there
    local function whole(list)
      for _, u in ipairs(list) do assert.equal(Task:count({ where = { UserId = u.id } }), #u.Tasks) end
    end

    describe("duplicating", function()
      it("should tag a hasMany association as duplicating: true if undefined", function()
        local got = User:findAll({ include = { Tasks }, limit = 3, order = { { "id" } } })
        assert.equal("1,2,3", ids(got)) -- the limit pages the users
        whole(got)
      end)

      it("should respect include.duplicating for a hasMany", function()
        local got = User:findAll({ include = { { association = Tasks, duplicating = false } }, limit = 3,
          order = { { "id" }, { Tasks, "id" } } })
        -- the limit pages the joined rows
        assert.equal(limited_pairs("SELECT `User`.`id` AS u, `Tasks`.`id` AS t FROM `Users` AS `User` LEFT OUTER JOIN `Tasks` AS `Tasks` "
          .. "ON `User`.`id` = `Tasks`.`UserId` ORDER BY `User`.`id`, `Tasks`.`id` LIMIT 3"), pairs_of(got))
        assert.equal("1,2", ids(got))
      end)
    end)

    describe("_conformInclude", function()
      it("should expand association from string alias", function()
        local got = same(Company, { include = { "Owner" } }, { include = { { model = User, association = Owner, as = "Owner" } } })
        assert.equal(2, got[1].Owner.id)
      end)

      it("should expand string association", function()
        local got = same(Company, { include = { { association = "Owner", attributes = { "id" } } } },
          { include = { { model = User, association = Owner, attributes = { "id" }, as = "Owner" } } })
        assert.equal("id", keys(got[2].Owner:toJSON()))
        assert.equal(5, got[2].Owner.id)
      end)

      it("should throw an error if invalid model is passed", function()
        local ok, err = pcall(Company.findAll, Company, { include = { { model = Sequelize.null } } })
        assert.is_false(ok)
        assert.equal("Include unexpected. Element has to be either a Model, an Association or an object.", err.message)
      end)

      it("should throw an error if invalid association is passed", function()
        local ok, err = pcall(Company.findAll, Company, { include = { { association = Sequelize.null } } })
        assert.is_false(ok)
        assert.equal("Include unexpected. Element has to be either a Model, an Association or an object.", err.message)
      end)
    end)

    describe("_getIncludedAssociation", function()
      it("returns an association when there is a single unaliased association", function()
        same(User, { include = { Task } }, { include = { Tasks } })
      end)

      it("returns an association when there is a single aliased association", function()
        local db2 = Sequelize.new("sqlite::memory:")
        local U = db2:define("User", {})
        local T = db2:define("Task", {})
        local assoc = T:belongsTo(U, { as = "owner" })
        db2:sync()
        local u = U:create({})
        T:create({ ownerId = u.id })
        local got = T:findAll({ include = { { model = U, as = "owner" } } })
        assert.equal(rows(T:findAll({ include = { assoc } })), rows(got))
        assert.equal(u.id, got[1].owner.id)
        db2:close()
      end)

      it("returns an association when there are multiple aliased associations", function()
        local got = same(Company, { include = { { model = User, as = "Owner" } } }, { include = { Owner } })
        assert.equal(2, got[1].Owner.id)
        assert.is_nil(got[1].Users)
      end)
    end)

    describe("subQuery", function()
      local J = "FROM `Users` AS `User` %s JOIN `Tasks` AS `Tasks` ON `User`.`id` = `Tasks`.`UserId` %s"
      local function joined(kind, where, limit)
        return limited_pairs("SELECT `User`.`id` AS u, `Tasks`.`id` AS t " .. J:format(kind, where or "")
          .. " ORDER BY `User`.`id`, `Tasks`.`id`" .. (limit and (" LIMIT " .. limit) or ""))
      end

      it("should be true if theres a duplicating association", function()
        local got = User:findAll({ include = { { association = Tasks } }, limit = 3, order = { { "id" } } })
        assert.equal("1,2,3", ids(got))
        whole(got)
      end)

      it("should be false if theres a duplicating association but no limit", function()
        local got = User:findAll({ include = { { association = Tasks } }, limit = Sequelize.null, order = { { "id" } } })
        assert.equal("1,2,3,4,5,6,7,8", ids(got))
        assert.equal(joined("INNER"), pairs_of(got))
      end)

      it("should be true if theres a nested duplicating association", function()
        local got = User:findAll({ include = { { association = UCompany, include = { Employees } } }, limit = 3, order = { { "id" } } })
        assert.equal("1,2,3", ids(got))
        assert.equal(3, #got[1].Company.Users)
        assert.equal(3, #got[2].Company.Users)
        assert.is_nil(got[3].Company)
      end)

      it("should be false if theres a nested duplicating association but no limit", function()
        local got = User:findAll({ include = { { association = UCompany, include = { Employees } } }, limit = Sequelize.null,
          order = { { "id" } } })
        assert.equal("1,2,3,4,5,6,7,8", ids(got))
        assert.equal(3, #got[8].Company.Users)
      end)

      it("should tag a required hasMany association", function()
        local got = User:findAll({ include = { { association = Tasks, required = true } }, limit = 3, order = { { "id" } } })
        assert.equal("2,3,4", ids(got)) -- three users that have tasks, every task of each
        whole(got)
      end)

      it("should not tag a required hasMany association with duplicating false", function()
        local got = User:findAll({ include = { { association = Tasks, required = true, duplicating = false } }, limit = 3,
          order = { { "id" }, { Tasks, "id" } } })
        assert.equal(joined("INNER", nil, 3), pairs_of(got)) -- three joined rows
      end)

      it("should not tag a separate hasMany association with subQuery true", function()
        local got = Company:findAll({ include = { { association = Employees, separate = true,
          include = { { association = Tasks, required = true } } } }, required = true, order = { { "id" } } })
        assert.equal(2, #got) -- the separate include filters no company
        local n = 0
        for _, c in ipairs(got) do
          for _, u in ipairs(c.Users) do
            assert.is_true(#u.Tasks > 0)
            n = n + 1
          end
        end
        assert.equal(4, n) -- users 2, 4, 7, 8: in a company and with tasks
      end)

      it("should tag a hasMany association with where", function()
        local got = User:findAll({ include = { { association = Tasks, where = { title = { [Sequelize.Op.ne] = "t1" } } } }, limit = 3,
          order = { { "id" } } })
        assert.equal("2,3,4", ids(got))
        assert.equal(1, #got[1].Tasks)
      end)

      it("should not tag a hasMany association with where and duplicating false", function()
        local got = User:findAll({ include = { { association = Tasks, where = { title = { [Sequelize.Op.ne] = "t1" } }, duplicating = false } },
          limit = 3, order = { { "id" }, { Tasks, "id" } } })
        assert.equal(joined("INNER", "AND `Tasks`.`title` != 't1'", 3), pairs_of(got))
      end)

      it("should tag a required belongsTo alongside a duplicating association", function()
        local got = User:findAll({ include = { { association = UCompany, required = true }, { association = Tasks } }, limit = 3,
          order = { { "id" } } })
        assert.equal("1,2,4", ids(got))
        whole(got)
      end)

      it("should not tag a required belongsTo alongside a duplicating association with duplicating false", function()
        local got = User:findAll({ include = { { association = UCompany, required = true }, { association = Tasks, duplicating = false } },
          limit = 3, order = { { "id" }, { Tasks, "id" } } })
        assert.equal(limited_pairs("SELECT `User`.`id` AS u, `Tasks`.`id` AS t FROM `Users` AS `User` INNER JOIN `Companies` AS `Company` "
          .. "ON `User`.`CompanyId` = `Company`.`field_id` LEFT OUTER JOIN `Tasks` AS `Tasks` ON `User`.`id` = `Tasks`.`UserId` "
          .. "ORDER BY `User`.`id`, `Tasks`.`id` LIMIT 3"), pairs_of(got)) -- three joined rows
      end)

      it("should tag a belongsTo association with where alongside a duplicating association", function()
        local got = User:findAll({ include = { { association = UCompany, where = { name = "c2" } }, { association = Tasks } }, limit = 3,
          order = { { "id" } } })
        assert.equal("2,5,8", ids(got))
        whole(got)
      end)

      it("should tag a required belongsTo association alongside a duplicating association with a nested belongsTo", function()
        local got = User:findAll({ include = { { association = UCompany, required = true, include = { Owner } }, Tasks }, limit = 3,
          order = { { "id" } } })
        assert.equal("1,2,4", ids(got))
        whole(got)
        assert.equal(2, got[1].Company.Owner.id)
        assert.equal(5, got[2].Company.Owner.id)
      end)

      it("should tag a belongsTo association with where alongside a duplicating association with duplicating false", function()
        local got = User:findAll({ include = { { association = UCompany, where = { name = "c2" } }, { association = Tasks, duplicating = false } },
          limit = 3, order = { { "id" }, { Tasks, "id" } } })
        assert.equal(limited_pairs("SELECT `User`.`id` AS u, `Tasks`.`id` AS t FROM `Users` AS `User` INNER JOIN `Companies` AS `Company` "
          .. "ON `User`.`CompanyId` = `Company`.`field_id` AND `Company`.`name` = 'c2' LEFT OUTER JOIN `Tasks` AS `Tasks` "
          .. "ON `User`.`id` = `Tasks`.`UserId` ORDER BY `User`.`id`, `Tasks`.`id` LIMIT 3"), pairs_of(got))
        assert.equal("2,5", ids(got))
      end)
    end)
  end)
end)
