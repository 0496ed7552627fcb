-- Port of Sequelize v6's test/integration/include/schema.test.js (branch v6), sqlite dialect,
-- test by test, titles kept; promise fan-outs (Promise.all, promiseProps) are plain calls in order.
-- SQLite has no schemas: as with Sequelize's sqlite dialect, a model with `schema = "account"`
-- has the one table `account.Products`, createSchema creates nothing and dropSchema drops a
-- table of that name. Each test has its own :memory: database (Sequelize's share one and redefine
-- the models); the three tests that only read fixtureA share one database built once.
-- Skipped: none. `Date.UTC(2014, 1, 20)` is written as its ISO string.
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

local function sortById(list)
  table.sort(list, function(a, b) return a.id < b.id end)
  return list
end

local S = { schema = "account" }
local function opts(t)
  local o = { schema = "account" }
  for k, v in pairs(t or {}) do o[k] = v end
  return o
end

describe("Includes with schemas (port of include/schema.test.js)", function()
  describe("findAll", function()
    local db
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      db:createSchema("account")
    end)
    after_each(function()
      db:dropSchema("account")
      db:close()
    end)

    it("should support an include with multiple different association types", function()
      db:dropSchema("account")
      db:createSchema("account")
      local AccUser = db:define("AccUser", {}, S)
      local Product = db:define("Product", { title = DataTypes.STRING }, S)
      local Tag = db:define("Tag", { name = DataTypes.STRING }, S)
      local Price = db:define("Price", { value = DataTypes.FLOAT }, S)
      local Group = db:define("Group", { name = DataTypes.STRING }, S)
      local GroupMember = db:define("GroupMember", {}, S)
      local Rank = db:define("Rank", {
        name = DataTypes.STRING,
        canInvite = { type = DataTypes.INTEGER, defaultValue = 0 },
        canRemove = { type = DataTypes.INTEGER, defaultValue = 0 },
      }, S)

      AccUser:hasMany(Product)
      Product:belongsTo(AccUser)
      Product:belongsToMany(Tag, { through = "product_tag" })
      Tag:belongsToMany(Product, { through = "product_tag" })
      Product:belongsTo(Tag, { as = "Category" })
      Product:hasMany(Price)
      Price:belongsTo(Product)
      AccUser:hasMany(GroupMember, { as = "Memberships" })
      GroupMember:belongsTo(AccUser)
      GroupMember:belongsTo(Rank)
      GroupMember:belongsTo(Group)
      Group:hasMany(GroupMember, { as = "Memberships" })

      db:sync({ force = true })
      Group:bulkCreate({ { name = "Developers" }, { name = "Designers" } })
      local groups = Group:findAll()
      Rank:bulkCreate({ { name = "Admin", canInvite = 1, canRemove = 1 },
                        { name = "Member", canInvite = 1, canRemove = 0 } })
      local ranks = Rank:findAll()
      Tag:bulkCreate({ { name = "A" }, { name = "B" }, { name = "C" } })
      local tags = Tag:findAll()
      for i = 0, 4 do
        local user = AccUser:create()
        Product:bulkCreate({ { title = "Chair" }, { title = "Desk" } })
        local products = Product:findAll{ order = { { "id", "ASC" } } }
        GroupMember:bulkCreate({
          { AccUserId = user.id, GroupId = groups[1].id, RankId = ranks[1].id },
          { AccUserId = user.id, GroupId = groups[2].id, RankId = ranks[2].id },
        })
        user:setProducts({ products[i * 2 + 1], products[i * 2 + 2] })
        products[i * 2 + 1]:setTags({ tags[1], tags[3] })
        products[i * 2 + 2]:setTags({ tags[2] })
        products[i * 2 + 1]:setCategory(tags[2])
        Price:bulkCreate({
          { ProductId = products[i * 2 + 1].id, value = 5 },
          { ProductId = products[i * 2 + 1].id, value = 10 },
          { ProductId = products[i * 2 + 2].id, value = 5 },
          { ProductId = products[i * 2 + 2].id, value = 10 },
          { ProductId = products[i * 2 + 2].id, value = 15 },
          { ProductId = products[i * 2 + 2].id, value = 20 },
        })
        local users = AccUser:findAll{
          include = {
            { model = GroupMember, as = "Memberships", include = { Group, Rank } },
            { model = Product, include = { Tag, { model = Tag, as = "Category" }, Price } },
          },
          order = { { AccUser.rawAttributes.id, "ASC" } },
        }
        for _, u in ipairs(users) do
          assert.truthy(u.Memberships)
          sortById(u.Memberships)
          assert.are.equal(2, #u.Memberships)
          assert.are.equal("Developers", u.Memberships[1].Group.name)
          assert.are.equal(1, u.Memberships[1].Rank.canRemove)
          assert.are.equal("Designers", u.Memberships[2].Group.name)
          assert.are.equal(0, u.Memberships[2].Rank.canRemove)

          sortById(u.Products)
          assert.are.equal(2, #u.Products)
          assert.are.equal(2, #u.Products[1].Tags)
          assert.are.equal(1, #u.Products[2].Tags)
          assert.truthy(u.Products[1].Category)
          assert.falsy(u.Products[2].Category)
          assert.are.equal(2, #u.Products[1].Prices)
          assert.are.equal(4, #u.Products[2].Prices)
        end
      end
    end)

    it("should support many levels of belongsTo", function()
      local A = db:define("a", {}, S)
      local B = db:define("b", {}, S)
      local C = db:define("c", {}, S)
      local D = db:define("d", {}, S)
      local E = db:define("e", {}, S)
      local F = db:define("f", {}, S)
      local G = db:define("g", {}, S)
      local H = db:define("h", {}, S)
      A:belongsTo(B); B:belongsTo(C); C:belongsTo(D); D:belongsTo(E)
      E:belongsTo(F); F:belongsTo(G); G:belongsTo(H)

      local b
      local singles = { B, C, D, E, F, G, H }
      db:sync()
      A:bulkCreate({ {}, {}, {}, {}, {}, {}, {}, {} })
      local previousInstance
      for _, model in ipairs(singles) do
        local instance = model:create({})
        if previousInstance then
          previousInstance["set" .. model.name:sub(1, 1):upper() .. model.name:sub(2)](previousInstance, instance)
          previousInstance = instance
        else
          previousInstance = instance
          b = instance
        end
      end
      local as = A:findAll()
      for _, a in ipairs(as) do a:setB(b) end
      as = A:findAll{ include = {
        { model = B, include = {
          { model = C, include = {
            { model = D, include = {
              { model = E, include = {
                { model = F, include = {
                  { model = G, include = {
                    { model = H },
                  } },
                } },
              } },
            } },
          } },
        } },
      } }
      assert.is_true(#as > 0)
      for _, a in ipairs(as) do
        assert.truthy(a.b.c.d.e.f.g.h)
      end
    end)

    it("should support ordering with only belongsTo includes", function()
      local User = db:define("SpecialUser", {}, S)
      local Item = db:define("Item", { test = DataTypes.STRING }, S)
      local Order = db:define("Order", { position = DataTypes.INTEGER }, S)
      User:belongsTo(Item, { as = "itemA", foreignKey = "itemA_id" })
      User:belongsTo(Item, { as = "itemB", foreignKey = "itemB_id" })
      User:belongsTo(Order)
      db:sync()

      User:bulkCreate({ {}, {}, {} })
      Item:bulkCreate({ { test = "abc" }, { test = "def" }, { test = "ghi" }, { test = "jkl" } })
      Order:bulkCreate({ { position = 2 }, { position = 3 }, { position = 1 } })
      local users = User:findAll()
      local items = Item:findAll{ order = { "id" } }
      local orders = Order:findAll{ order = { "id" } }

      users[1]:setItemA(items[1]); users[1]:setItemB(items[2]); users[1]:setOrder(orders[3])
      users[2]:setItemA(items[3]); users[2]:setItemB(items[4]); users[2]:setOrder(orders[2])
      users[3]:setItemA(items[1]); users[3]:setItemB(items[4]); users[3]:setOrder(orders[1])

      local as = User:findAll{
        include = {
          { model = Item, as = "itemA", where = { test = "abc" } },
          { model = Item, as = "itemB" },
          Order,
        },
        order = { { Order, "position" } },
      }
      assert.are.equal(2, #as)
      assert.are.equal("abc", as[1].itemA.test)
      assert.are.equal("abc", as[2].itemA.test)
      assert.are.equal(1, as[1].Order.position)
      assert.are.equal(2, as[2].Order.position)
    end)

    local function productTags()
      local Product = db:define("Product", { title = DataTypes.STRING }, S)
      local Tag = db:define("Tag", { name = DataTypes.STRING }, S)
      local ProductTag = db:define("ProductTag", { priority = DataTypes.INTEGER }, S)
      Product:belongsToMany(Tag, { through = ProductTag })
      Tag:belongsToMany(Product, { through = ProductTag })
      db:sync({ force = true })
      Product:bulkCreate({ { title = "Chair" }, { title = "Desk" }, { title = "Dress" } })
      Tag:bulkCreate({ { name = "A" }, { name = "B" }, { name = "C" } })
      return Product, Tag, Product:findAll(), Tag:findAll()
    end

    it("should include attributes from through models", function()
      local Product, Tag, products0, tags = productTags()
      products0[1]:addTag(tags[1], { through = { priority = 1 } })
      products0[1]:addTag(tags[2], { through = { priority = 2 } })
      products0[2]:addTag(tags[2], { through = { priority = 1 } })
      products0[3]:addTag(tags[1], { through = { priority = 3 } })
      products0[3]:addTag(tags[2], { through = { priority = 1 } })
      products0[3]:addTag(tags[3], { through = { priority = 2 } })

      local products = Product:findAll{
        include = { { model = Tag } },
        order = { { "id", "ASC" }, { Tag, "id", "ASC" } },
      }
      assert.are.equal(1, products[1].Tags[1].ProductTag.priority)
      assert.are.equal(2, products[1].Tags[2].ProductTag.priority)
      assert.are.equal(1, products[2].Tags[1].ProductTag.priority)
      assert.are.equal(3, products[3].Tags[1].ProductTag.priority)
      assert.are.equal(1, products[3].Tags[2].ProductTag.priority)
      assert.are.equal(2, products[3].Tags[3].ProductTag.priority)
    end)

    it("should support a required belongsTo include", function()
      local User = db:define("User", {}, S)
      local Group = db:define("Group", {}, S)
      User:belongsTo(Group)
      db:sync({ force = true })
      Group:bulkCreate({ {}, {} })
      User:bulkCreate({ {}, {}, {} })
      local groups, users0 = Group:findAll(), User:findAll()
      users0[3]:setGroup(groups[2])
      -- the tables are SQLite's `account.Users` and `account.Groups`
      local names = db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'account.%' ORDER BY name", { type = "SELECT" })
      assert.are.same({ { name = "account.Groups" }, { name = "account.Users" } }, names)
      local users = User:findAll{ include = { { model = Group, required = true } } }
      assert.are.equal(1, #users)
      assert.truthy(users[1].Group)
    end)

    local function usersGroups()
      local User = db:define("User", {}, S)
      local Group = db:define("Group", { name = DataTypes.STRING }, S)
      User:belongsTo(Group)
      db:sync({ force = true })
      Group:bulkCreate({ { name = "A" }, { name = "B" } })
      User:bulkCreate({ {}, {} })
      local groups, users0 = Group:findAll(), User:findAll()
      users0[1]:setGroup(groups[2])
      users0[2]:setGroup(groups[1])
      return User, Group
    end

    it("should be possible to extend the on clause with a where option on a belongsTo include", function()
      local User, Group = usersGroups()
      local users = User:findAll{ include = { { model = Group, where = { name = "A" } } } }
      assert.are.equal(1, #users)
      assert.truthy(users[1].Group)
      assert.are.equal("A", users[1].Group.name)
    end)

    -- (Sequelize's file has two tests of this title; the second one's body)
    it("should be possible to extend the on clause with a where option on a belongsTo include", function()
      local User, Group = usersGroups()
      local users = User:findAll{ include = { { model = Group, required = true } } }
      assert.are.equal(2, #users)
      for _, user in ipairs(users) do assert.truthy(user.Group) end
    end)

    local function groupCategories(as_team)
      local User = db:define("User", {}, S)
      local Group = db:define("Group", { name = DataTypes.STRING }, S)
      local Category = db:define("Category", { category = DataTypes.STRING }, S)
      if as_team then
        User:belongsTo(Group, { as = "Team" })
        Group:hasMany(Category, { as = "Tags" })
      else
        User:belongsTo(Group)
        Group:hasMany(Category)
      end
      db:sync({ force = true })
      Group:bulkCreate({ { name = "A" }, { name = "B" } })
      User:bulkCreate({ {}, {} })
      Category:bulkCreate({ {}, {} })
      local groups, users0, categories = Group:findAll(), User:findAll(), Category:findAll()
      if as_team then
        users0[1]:setTeam(groups[2]); users0[2]:setTeam(groups[1])
        for _, group in ipairs(groups) do group:setTags(categories) end
      else
        users0[1]:setGroup(groups[2]); users0[2]:setGroup(groups[1])
        for _, group in ipairs(groups) do group:setCategories(categories) end
      end
      return User, Group, Category
    end

    it("should be possible to define a belongsTo include as required with child hasMany with limit", function()
      local User, Group, Category = groupCategories()
      local users = User:findAll{
        include = { { model = Group, required = true, include = { { model = Category } } } },
        limit = 1,
      }
      assert.are.equal(1, #users)
      for _, user in ipairs(users) do
        assert.truthy(user.Group)
        assert.truthy(user.Group.Categories)
        assert.are.equal(2, #user.Group.Categories)
      end
    end)

    it("should be possible to define a belongsTo include as required with child hasMany with limit and aliases", function()
      local User, Group, Category = groupCategories(true)
      local users = User:findAll{
        include = { { model = Group, required = true, as = "Team",
                      include = { { model = Category, as = "Tags" } } } },
        limit = 1,
      }
      assert.are.equal(1, #users)
      for _, user in ipairs(users) do
        assert.truthy(user.Team)
        assert.truthy(user.Team.Tags)
        assert.are.equal(2, #user.Team.Tags)
      end
    end)

    it("should be possible to define a belongsTo include as required with child hasMany which is not required with limit", function()
      local User, Group, Category = groupCategories()
      local users = User:findAll{
        include = { { model = Group, required = true,
                      include = { { model = Category, required = false } } } },
        limit = 1,
      }
      assert.are.equal(1, #users)
      for _, user in ipairs(users) do
        assert.truthy(user.Group)
        assert.truthy(user.Group.Categories)
      end
    end)

    it("should be possible to extend the on clause with a where option on a hasOne include", function()
      local User = db:define("User", {}, S)
      local Project = db:define("Project", { title = DataTypes.STRING }, S)
      User:hasOne(Project, { as = "LeaderOf" })
      db:sync({ force = true })
      Project:bulkCreate({ { title = "Alpha" }, { title = "Beta" } })
      User:bulkCreate({ {}, {} })
      local projects, users0 = Project:findAll(), User:findAll()
      users0[2]:setLeaderOf(projects[2])
      users0[1]:setLeaderOf(projects[1])
      local users = User:findAll{
        include = { { model = Project, as = "LeaderOf", where = { title = "Beta" } } },
      }
      assert.are.equal(1, #users)
      assert.truthy(users[1].LeaderOf)
      assert.are.equal("Beta", users[1].LeaderOf.title)
    end)

    it("should be possible to extend the on clause with a where option on a hasMany include with a through model", function()
      local Product, Tag, products0, tags = productTags()
      products0[1]:addTag(tags[1], { priority = 1 })
      products0[1]:addTag(tags[2], { priority = 2 })
      products0[2]:addTag(tags[2], { priority = 1 })
      products0[3]:addTag(tags[1], { priority = 3 })
      products0[3]:addTag(tags[2], { priority = 1 })
      products0[3]:addTag(tags[3], { priority = 2 })
      local products = Product:findAll{ include = { { model = Tag, where = { name = "C" } } } }
      assert.are.equal(1, #products)
      assert.are.equal(1, #products[1].Tags)
      assert.are.equal(2, products[1].Tags[1].ProductTag.priority)
    end)

    it("should be possible to extend the on clause with a where option on nested includes", function()
      local User = db:define("User", { name = DataTypes.STRING }, S)
      local Product = db:define("Product", { title = DataTypes.STRING }, S)
      local Tag = db:define("Tag", { name = DataTypes.STRING }, S)
      local Price = db:define("Price", { value = DataTypes.FLOAT }, S)
      local Group = db:define("Group", { name = DataTypes.STRING }, S)
      local GroupMember = db:define("GroupMember", {}, S)
      local Rank = db:define("Rank", {
        name = DataTypes.STRING,
        canInvite = { type = DataTypes.INTEGER, defaultValue = 0 },
        canRemove = { type = DataTypes.INTEGER, defaultValue = 0 },
      }, S)
      User:hasMany(Product)
      Product:belongsTo(User)
      Product:belongsToMany(Tag, { through = "product_tag" })
      Tag:belongsToMany(Product, { through = "product_tag" })
      Product:belongsTo(Tag, { as = "Category" })
      Product:hasMany(Price)
      Price:belongsTo(Product)
      User:hasMany(GroupMember, { as = "Memberships" })
      GroupMember:belongsTo(User)
      GroupMember:belongsTo(Rank)
      GroupMember:belongsTo(Group)
      Group:hasMany(GroupMember, { as = "Memberships" })

      db:sync({ force = true })
      Group:bulkCreate({ { name = "Developers" }, { name = "Designers" } })
      local groups = Group:findAll()
      Rank:bulkCreate({ { name = "Admin", canInvite = 1, canRemove = 1 },
                        { name = "Member", canInvite = 1, canRemove = 0 } })
      local ranks = Rank:findAll()
      Tag:bulkCreate({ { name = "A" }, { name = "B" }, { name = "C" } })
      local tags = Tag:findAll()
      for i = 0, 4 do
        local user = User:create({ name = "FooBarzz" })
        Product:bulkCreate({ { title = "Chair" }, { title = "Desk" } })
        local products = Product:findAll{ order = { { "id", "ASC" } } }
        GroupMember:bulkCreate({
          { UserId = user.id, GroupId = groups[1].id, RankId = ranks[1].id },
          { UserId = user.id, GroupId = groups[2].id, RankId = ranks[2].id },
        })
        user:setProducts({ products[i * 2 + 1], products[i * 2 + 2] })
        products[i * 2 + 1]:setTags({ tags[1], tags[3] })
        products[i * 2 + 2]:setTags({ tags[2] })
        products[i * 2 + 1]:setCategory(tags[2])
        Price:bulkCreate({
          { ProductId = products[i * 2 + 1].id, value = 5 },
          { ProductId = products[i * 2 + 1].id, value = 10 },
          { ProductId = products[i * 2 + 2].id, value = 5 },
          { ProductId = products[i * 2 + 2].id, value = 10 },
          { ProductId = products[i * 2 + 2].id, value = 15 },
          { ProductId = products[i * 2 + 2].id, value = 20 },
        })
        local users = User:findAll{
          include = {
            { model = GroupMember, as = "Memberships", include = {
              Group,
              { model = Rank, where = { name = "Admin" } },
            } },
            { model = Product, include = {
              Tag,
              { model = Tag, as = "Category" },
              { model = Price, where = { value = { [Op.gt] = 15 } } },
            } },
          },
          order = { { "id", "ASC" } },
        }
        assert.are.equal(i + 1, #users)
        for _, u in ipairs(users) do
          assert.are.equal(1, #u.Memberships)
          assert.are.equal("Admin", u.Memberships[1].Rank.name)
          assert.are.equal(1, #u.Products)
          assert.are.equal(1, #u.Products[1].Prices)
        end
      end
    end)

    it("should be possible to use limit and a where with a belongsTo include", function()
      local User = db:define("User", {}, S)
      local Group = db:define("Group", { name = DataTypes.STRING }, S)
      User:belongsTo(Group)
      db:sync({ force = true })
      Group:bulkCreate({ { name = "A" }, { name = "B" } })
      local groups = Group:findAll()
      User:bulkCreate({ {}, {}, {}, {} })
      local users0 = User:findAll()
      users0[2]:setGroup(groups[1])
      users0[3]:setGroup(groups[1])
      users0[4]:setGroup(groups[2])
      users0[1]:setGroup(groups[1])
      local users = User:findAll{ include = { { model = Group, where = { name = "A" } } }, limit = 2 }
      assert.are.equal(2, #users)
      for _, user in ipairs(users) do assert.are.equal("A", user.Group.name) end
    end)

    it("should support including date fields, with the correct timezone", function()
      local User = db:define("user", { dateField = DataTypes.DATE }, opts{ timestamps = false })
      local Group = db:define("group", { dateField = DataTypes.DATE }, opts{ timestamps = false })
      User:belongsToMany(Group, { through = "group_user" })
      Group:belongsToMany(User, { through = "group_user" })
      db:sync()
      local at = "2014-02-20T00:00:00.000Z" -- Date.UTC(2014, 1, 20)
      local user = User:create({ dateField = at })
      local group = Group:create({ dateField = at })
      user:addGroup(group)
      local users = User:findAll{ where = { id = user.id }, include = { Group } }
      assert.are.equal(at, users[1].dateField)
      assert.are.equal(at, users[1].groups[1].dateField)
    end)

    describe("with fixtureA", function()
      -- the three tests of the file that call fixtureA only read it: it is built once
      local fdb, models
      setup(function()
        fdb = Sequelize.new("sqlite::memory:")
        fdb:dropSchema("account")
        fdb:createSchema("account")
        local AccUser = fdb:define("AccUser", {}, S)
        local Company = fdb:define("Company", { name = DataTypes.STRING }, S)
        local Product = fdb:define("Product", { title = DataTypes.STRING }, S)
        local Tag = fdb:define("Tag", { name = DataTypes.STRING }, S)
        local Price = fdb:define("Price", { value = DataTypes.FLOAT }, S)
        local Customer = fdb:define("Customer", { name = DataTypes.STRING }, S)
        local Group = fdb:define("Group", { name = DataTypes.STRING }, S)
        local GroupMember = fdb:define("GroupMember", {}, S)
        local Rank = fdb:define("Rank", {
          name = DataTypes.STRING,
          canInvite = { type = DataTypes.INTEGER, defaultValue = 0 },
          canRemove = { type = DataTypes.INTEGER, defaultValue = 0 },
          canPost = { type = DataTypes.INTEGER, defaultValue = 0 },
        }, S)
        models = { AccUser = AccUser, Company = Company, Product = Product, Tag = Tag, Price = Price,
                   Customer = Customer, Group = Group, GroupMember = GroupMember, Rank = Rank }

        AccUser:hasMany(Product)
        Product:belongsTo(AccUser)
        Product:belongsToMany(Tag, { through = "product_tag" })
        Tag:belongsToMany(Product, { through = "product_tag" })
        Product:belongsTo(Tag, { as = "Category" })
        Product:belongsTo(Company)
        Product:hasMany(Price)
        Price:belongsTo(Product)
        AccUser:hasMany(GroupMember, { as = "Memberships" })
        GroupMember:belongsTo(AccUser)
        GroupMember:belongsTo(Rank)
        GroupMember:belongsTo(Group)
        Group:hasMany(GroupMember, { as = "Memberships" })

        fdb:sync({ force = true })
        Group:bulkCreate({ { name = "Developers" }, { name = "Designers" }, { name = "Managers" } })
        local groups = Group:findAll()
        Company:bulkCreate({ { name = "Sequelize" }, { name = "Coca Cola" }, { name = "Bonanza" },
                             { name = "NYSE" }, { name = "Coshopr" } })
        local companies = Company:findAll()
        Rank:bulkCreate({
          { name = "Admin", canInvite = 1, canRemove = 1, canPost = 1 },
          { name = "Trustee", canInvite = 1, canRemove = 0, canPost = 1 },
          { name = "Member", canInvite = 1, canRemove = 0, canPost = 0 },
        })
        local ranks = Rank:findAll()
        Tag:bulkCreate({ { name = "A" }, { name = "B" }, { name = "C" }, { name = "D" }, { name = "E" } })
        local tags = Tag:findAll()
        for i = 0, 4 do
          local user = AccUser:create()
          Product:bulkCreate({ { title = "Chair" }, { title = "Desk" }, { title = "Bed" },
                               { title = "Pen" }, { title = "Monitor" } })
          local products = Product:findAll{ order = { { "id", "ASC" } } }
          local groupMembers = {
            { AccUserId = user.id, GroupId = groups[1].id, RankId = ranks[1].id },
            { AccUserId = user.id, GroupId = groups[2].id, RankId = ranks[3].id },
          }
          if i < 3 then
            groupMembers[#groupMembers + 1] = { AccUserId = user.id, GroupId = groups[3].id, RankId = ranks[2].id }
          end
          local p = function(k) return products[i * 5 + k + 1] end
          GroupMember:bulkCreate(groupMembers)
          user:setProducts({ p(0), p(1), p(3) })
          p(0):setTags({ tags[1], tags[3] })
          p(1):setTags({ tags[2] })
          p(0):setCategory(tags[2])
          p(2):setTags({ tags[1] })
          p(3):setTags({ tags[1] })
          p(0):setCompany(companies[5])
          p(1):setCompany(companies[4])
          p(2):setCompany(companies[3])
          p(3):setCompany(companies[2])
          p(4):setCompany(companies[1])
          Price:bulkCreate({
            { ProductId = p(0).id, value = 5 },
            { ProductId = p(0).id, value = 10 },
            { ProductId = p(1).id, value = 5 },
            { ProductId = p(1).id, value = 10 },
            { ProductId = p(1).id, value = 15 },
            { ProductId = p(1).id, value = 20 },
            { ProductId = p(2).id, value = 20 },
            { ProductId = p(3).id, value = 20 },
          })
        end
      end)
      teardown(function()
        fdb:dropSchema("account")
        fdb:close()
      end)

      it("should be possible use limit, attributes and a where on a belongsTo with additional hasMany includes", function()
        local products = models.Product:findAll{
          attributes = { "title" },
          include = {
            { model = models.Company, where = { name = "NYSE" } },
            { model = models.Tag },
            { model = models.Price },
          },
          limit = 3,
          order = { { "id", "ASC" } },
        }
        assert.are.equal(3, #products)
        for _, product in ipairs(products) do
          assert.are.equal("NYSE", product.Company.name)
          assert.is_true(#product.Tags > 0)
          assert.is_true(#product.Prices > 0)
        end
      end)

      it("should be possible to use limit and a where on a hasMany with additional includes", function()
        local products = models.Product:findAll{
          include = {
            { model = models.Company },
            { model = models.Tag },
            { model = models.Price, where = { value = { [Op.gt] = 5 } } },
          },
          limit = 6,
          order = { { "id", "ASC" } },
        }
        assert.are.equal(6, #products)
        for _, product in ipairs(products) do
          assert.is_true(#product.Tags > 0)
          assert.is_true(#product.Prices > 0)
          for _, price in ipairs(product.Prices) do assert.is_true(price.value > 5) end
        end
      end)

      it("should be possible to use limit and a where on a hasMany with a through model with additional includes", function()
        local products = models.Product:findAll{
          include = {
            { model = models.Company },
            { model = models.Tag, where = { name = { "A", "B", "C" } } },
            { model = models.Price },
          },
          limit = 10,
          order = { { "id", "ASC" } },
        }
        assert.are.equal(10, #products)
        local abc = { A = true, B = true, C = true }
        for _, product in ipairs(products) do
          assert.is_true(#product.Tags > 0)
          assert.is_true(#product.Prices > 0)
          for _, tag in ipairs(product.Tags) do assert.is_true(abc[tag.name]) end
        end
      end)
    end)
  end)

  describe("findOne", function()
    it("should work with schemas", function()
      local db = Sequelize.new("sqlite::memory:")
      local UserModel = db:define("User", {
        Id = { type = DataTypes.INTEGER, primaryKey = true },
        Name = DataTypes.STRING,
        UserType = DataTypes.INTEGER,
        Email = DataTypes.STRING,
        PasswordHash = DataTypes.STRING,
        Enabled = { type = DataTypes.BOOLEAN },
        CreatedDatetime = DataTypes.DATE,
        UpdatedDatetime = DataTypes.DATE,
      }, { schema = "hero", tableName = "User", timestamps = false })
      local UserIdColumn = { type = DataTypes.INTEGER, references = { model = UserModel, key = "Id" } }
      local ResumeModel = db:define("Resume", {
        Id = { type = DataTypes.INTEGER, primaryKey = true },
        UserId = UserIdColumn,
        Name = DataTypes.STRING,
        Contact = DataTypes.STRING,
        School = DataTypes.STRING,
        WorkingAge = DataTypes.STRING,
        Description = DataTypes.STRING,
        PostType = DataTypes.INTEGER,
        RefreshDatetime = DataTypes.DATE,
        CreatedDatetime = DataTypes.DATE,
      }, { schema = "hero", tableName = "resume", timestamps = false })
      UserModel:hasOne(ResumeModel, { foreignKey = "UserId", as = "Resume" })
      ResumeModel:belongsTo(UserModel, { foreignKey = "UserId" })

      db:dropSchema("hero")
      db:createSchema("hero")
      db:sync({ force = true })
      local none = UserModel:findOne{ where = { Id = 1 }, include = { { model = ResumeModel, as = "Resume" } } }
      assert.is_nil(none)
      -- beyond Sequelize's test (which only checks that the query runs): with rows
      UserModel:create({ Id = 1, Name = "a" })
      ResumeModel:create({ Id = 7, UserId = 1, Name = "r" })
      local u = UserModel:findOne{ where = { Id = 1 }, include = { { model = ResumeModel, as = "Resume" } } }
      assert.are.equal(7, u.Resume.Id)
      db:dropSchema("hero")
      db:close()
    end)
  end)
end)
