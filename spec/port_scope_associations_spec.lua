-- Port of Sequelize v6's test/integration/model/scope/associations.test.js (branch v6), sqlite dialect.
-- Skipped: none. Notes: the Promise.all creates run in turn.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("Model (port of scope/associations.test.js)", function()
  describe("scope", function()
    describe("associations", function()
      local db, ScopeMe, Project, Company, Profile, UserAssociation
      before_each(function()
        db = Sequelize.new("sqlite::memory:")
        ScopeMe = db:define("ScopeMe", {
          username = DataTypes.STRING,
          email = DataTypes.STRING,
          access_level = DataTypes.INTEGER,
          other_value = DataTypes.INTEGER,
          parent_id = DataTypes.INTEGER,
        }, {
          defaultScope = { where = { access_level = { [Op.gte] = 5 } } },
          scopes = {
            isTony = { where = { username = "tony" } },
            includeActiveProjects = function()
              return {
                include = { {
                  model = db.models.company,
                  include = { db.models.project:scope("active") },
                } },
              }
            end,
          },
        })
        Project = db:define("project", { active = DataTypes.BOOLEAN }, {
          scopes = { active = { where = { active = true } } },
        })
        Company = db:define("company", { active = DataTypes.BOOLEAN }, {
          defaultScope = { where = { active = true } },
          scopes = {
            notActive = { where = { active = false } },
            reversed = { order = { { "id", "DESC" } } },
          },
        })
        Profile = db:define("profile", { active = DataTypes.BOOLEAN }, {
          defaultScope = { where = { active = true } },
          scopes = { notActive = { where = { active = false } } },
        })
        Project:belongsToMany(Company, { through = "CompanyProjects" })
        Company:belongsToMany(Project, { through = "CompanyProjects" })
        ScopeMe:hasOne(Profile, { foreignKey = "userId" })
        ScopeMe:belongsTo(Company)
        UserAssociation = Company:hasMany(ScopeMe, { as = "users" })
        db:sync({ force = true })
        local u1 = ScopeMe:create({ id = 1, username = "dan", email = "dan@sequelizejs.com", access_level = 5, other_value = 10, parent_id = 1 })
        local u2 = ScopeMe:create({ id = 2, username = "tobi", email = "tobi@fakeemail.com", access_level = 10, other_value = 11, parent_id = 2 })
        local u3 = ScopeMe:create({ id = 3, username = "tony", email = "tony@sequelizejs.com", access_level = 3, other_value = 7, parent_id = 1 })
        local u4 = ScopeMe:create({ id = 4, username = "fred", email = "fred@foobar.com", access_level = 3, other_value = 7, parent_id = 1 })
        local u5 = ScopeMe:create({ id = 5, username = "bob", email = "bob@foobar.com", access_level = 1, other_value = 9, parent_id = 5 })
        local c1 = Company:create({ id = 1, active = true })
        local c2 = Company:create({ id = 2, active = false })
        c1:setUsers({ u1, u2, u3, u4 })
        c2:setUsers({ u5 })
      end)
      after_each(function() db:close() end)

      describe("include", function()
        it("should scope columns properly", function()
          -- (an ambiguous column error if id is not scoped to `company`.`id`)
          Company:findAll({ where = { id = 1 }, include = { UserAssociation } })
        end)

        it("should apply default scope when including an associations", function()
          local company = Company:findAll({ include = { UserAssociation } })[1]
          assert.equal(2, #company.users)
        end)

        it("should apply default scope when including a model", function()
          local company = Company:findAll({ include = { { model = ScopeMe, as = "users" } } })[1]
          assert.equal(2, #company.users)
        end)

        it("should be able to include a scoped model", function()
          local company = Company:findAll({ include = { { model = ScopeMe:scope("isTony"), as = "users" } } })[1]
          assert.equal(1, #company.users)
          assert.equal("tony", company.users[1]:get("username"))
        end)
      end)

      describe("get", function()
        before_each(function()
          local p = Project:create()
          local companies = Company:unscoped():findAll()
          p:setCompanies(companies)
        end)

        describe("it should be able to unscope", function()
          it("hasMany", function()
            local company = Company:findByPk(1)
            assert.equal(4, #company:getUsers({ scope = false }))
          end)

          it("hasOne", function()
            Profile:create({ active = false, userId = 1 })
            local user = ScopeMe:findByPk(1)
            assert.truthy(user:getProfile({ scope = false }))
          end)

          it("belongsTo", function()
            local user = ScopeMe:unscoped():findOne({ where = { username = "bob" } })
            assert.truthy(user:getCompany({ scope = false }))
          end)

          it("belongsToMany", function()
            local p = Project:findAll()[1]
            assert.equal(2, #p:getCompanies({ scope = false }))
          end)
        end)

        describe("it should apply default scope", function()
          it("hasMany", function()
            local company = Company:findByPk(1)
            assert.equal(2, #company:getUsers())
          end)

          it("hasOne", function()
            Profile:create({ active = false, userId = 1 })
            local user = ScopeMe:findByPk(1)
            assert.falsy(user:getProfile())
          end)

          it("belongsTo", function()
            local user = ScopeMe:unscoped():findOne({ where = { username = "bob" } })
            assert.falsy(user:getCompany())
          end)

          it("belongsToMany", function()
            local p = Project:findAll()[1]
            local companies = p:getCompanies()
            assert.equal(1, #companies)
            assert.truthy(companies[1]:get("active"))
          end)
        end)

        describe("it should be able to apply another scope", function()
          it("hasMany", function()
            local company = Company:findByPk(1)
            local users = company:getUsers({ scope = "isTony" })
            assert.equal(1, #users)
            assert.equal("tony", users[1]:get("username"))
          end)

          it("hasOne", function()
            Profile:create({ active = true, userId = 1 })
            local user = ScopeMe:findByPk(1)
            assert.falsy(user:getProfile({ scope = "notActive" }))
          end)

          it("belongsTo", function()
            local user = ScopeMe:unscoped():findOne({ where = { username = "bob" } })
            assert.truthy(user:getCompany({ scope = "notActive" }))
          end)

          it("belongsToMany", function()
            local p = Project:findAll()[1]
            local companies = p:getCompanies({ scope = "reversed" })
            assert.equal(2, #companies)
            assert.equal(2, companies[1].id)
            assert.equal(1, companies[2].id)
          end)
        end)
      end)

      describe("scope with includes", function()
        before_each(function()
          local c = Company:findByPk(1)
          local p1 = Project:create({ id = 1, active = true })
          local p2 = Project:create({ id = 2, active = false })
          c:setProjects({ p1, p2 })
        end)

        it("should scope columns properly", function()
          ScopeMe:scope("includeActiveProjects"):findAll()
        end)

        it("should apply scope conditions", function()
          local user = ScopeMe:scope("includeActiveProjects"):findOne({ where = { id = 1 } })
          assert.equal(1, #user.company.projects)
        end)

        describe("with different format", function()
          it("should not throw error", function()
            local Child = db:define("Child")
            local Parent = db:define("Parent", {}, {
              defaultScope = { include = { { model = Child } } },
              scopes = { children = { include = { Child } } },
            })
            Parent:addScope("alsoChildren", { include = { { model = Child } } })
            Child:belongsTo(Parent)
            Parent:hasOne(Child)
            db:sync({ force = true })
            local child = Child:create()
            local parent = Parent:create()
            parent:setChild(child)
            Parent:scope("children", "alsoChildren"):findOne()
          end)
        end)

        describe("with find options", function()
          it("should merge includes correctly", function()
            local Child = db:define("Child", { name = DataTypes.STRING })
            local Parent = db:define("Parent", { name = DataTypes.STRING })
            Parent:addScope("testScope1", { include = { { model = Child, where = { name = "child2" } } } })
            Parent:hasMany(Child)
            db:sync({ force = true })
            Parent:create({ name = "parent1" }):createChild({ name = "child1" })
            Parent:create({ name = "parent2" }):createChild({ name = "child2" })
            local parent = Parent:scope("testScope1"):findOne({
              include = { { model = Child, attributes = { exclude = { "name" } } } },
            })
            assert.equal("parent2", parent:get("name"))
            assert.equal(1, #parent.Children)
            assert.is_nil(parent.Children[1].dataValues.name)
          end)
        end)
      end)

      describe("scope with options", function()
        it("should return correct object included foreign_key", function()
          local Child = db:define("Child", { secret = DataTypes.STRING }, {
            scopes = { public = { attributes = { exclude = { "secret" } } } },
          })
          local Parent = db:define("Parent")
          Child:belongsTo(Parent)
          Parent:hasOne(Child)
          db:sync({ force = true })
          Child:create({ secret = "super secret" })
          local user = Child:scope("public"):findOne()
          -- (ParentId is NULL: a fetched row's toJSON holds it as Sequelize.null, the key
          -- Sequelize's dataValues has)
          assert.equal(Sequelize.null, user:toJSON().ParentId)
          assert.is_nil(user.dataValues.secret)
        end)

        it("should return correct object included foreign_key with defaultScope", function()
          local Child = db:define("Child", { secret = DataTypes.STRING }, {
            defaultScope = { attributes = { exclude = { "secret" } } },
          })
          local Parent = db:define("Parent")
          Child:belongsTo(Parent)
          db:sync({ force = true })
          Child:create({ secret = "super secret" })
          local user = Child:findOne()
          assert.equal(Sequelize.null, user:toJSON().ParentId)
          assert.is_nil(user.dataValues.secret)
        end)

        it("should not throw error", function()
          local Clientfile = db:define("clientfile")
          local Mission = db:define("mission", { secret = DataTypes.STRING })
          local Building = db:define("building")
          local MissionAssociation = Clientfile:hasOne(Mission)
          local BuildingAssociation = Clientfile:hasOne(Building)
          db:sync({ force = true })
          Clientfile:findAll({
            include = {
              { association = "mission", where = { secret = "foo" } },
              { association = "building" },
            },
          })
          Clientfile:findAll({
            include = {
              { association = MissionAssociation, where = { secret = "foo" } },
              { association = BuildingAssociation },
            },
          })
        end)
      end)
    end)
  end)
end)
