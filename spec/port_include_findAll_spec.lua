-- port_include_findAll_spec: a port of Sequelize's test/integration/include/findAll.test.js
-- (branch v6), test by test, titles kept; promise fan-outs (Promise.all, promiseProps) are
-- plain calls in order.
-- Skipped:
--   (none: every test of the file runs on sqlite)
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

local function sort_by_id(list)
  table.sort(list, function(a, b) return a.id < b.id end)
end

describe("Include findAll", function()
  local db, models

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    models = nil
  end)

  after_each(function()
    db:close()
  end)

  local function fixtureA()
    local User = db:define("User", {})
    local Company = db:define("Company", { name = DataTypes.STRING })
    local Product = db:define("Product", { title = DataTypes.STRING })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    local Price = db:define("Price", { value = DataTypes.FLOAT })
    local Customer = db:define("Customer", { name = DataTypes.STRING })
    local Group = db:define("Group", { name = DataTypes.STRING })
    local GroupMember = db:define("GroupMember", {})
    local Rank = db:define("Rank", {
      name = DataTypes.STRING,
      canInvite = { type = DataTypes.INTEGER, defaultValue = 0 },
      canRemove = { type = DataTypes.INTEGER, defaultValue = 0 },
      canPost = { type = DataTypes.INTEGER, defaultValue = 0 },
    })
    models = { User = User, Company = Company, Product = Product, Tag = Tag, Price = Price,
      Customer = Customer, Group = Group, GroupMember = GroupMember, Rank = Rank }

    User:hasMany(Product)
    Product:belongsTo(User)
    Product:belongsToMany(Tag, { through = "product_tag" })
    Tag:belongsToMany(Product, { through = "product_tag" })
    Product:belongsTo(Tag, { as = "Category" })
    Product:belongsTo(Company)
    Product:hasMany(Price)
    Price:belongsTo(Product)
    User:hasMany(GroupMember, { as = "Memberships" })
    GroupMember:belongsTo(User)
    GroupMember:belongsTo(Rank)
    GroupMember:belongsTo(Group)
    Group:hasMany(GroupMember, { as = "Memberships" })

    db:sync{ force = true }
    Group:bulkCreate{ { name = "Developers" }, { name = "Designers" }, { name = "Managers" } }
    local groups = Group:findAll()
    Company:bulkCreate{ { name = "Sequelize" }, { name = "Coca Cola" }, { name = "Bonanza" },
      { name = "NYSE" }, { name = "Coshopr" } }
    local companies = Company:findAll()
    Rank:bulkCreate{
      { name = "Admin", canInvite = 1, canRemove = 1, canPost = 1 },
      { name = "Trustee", canInvite = 1, canRemove = 0, canPost = 1 },
      { name = "Member", canInvite = 1, canRemove = 0, canPost = 0 },
    }
    local ranks = Rank:findAll()
    Tag:bulkCreate{ { name = "A" }, { name = "B" }, { name = "C" }, { name = "D" }, { name = "E" } }
    local tags = Tag:findAll()
    for i = 0, 4 do
      local user = User:create()
      Product:bulkCreate{ { title = "Chair" }, { title = "Desk" }, { title = "Bed" },
        { title = "Pen" }, { title = "Monitor" } }
      local products = Product:findAll{ order = { { "id", "ASC" } } }
      local p = function(k) return products[i * 5 + k + 1] end
      -- AccUserId is no attribute of GroupMember: ignored, as by Sequelize (UserId stays NULL)
      local groupMembers = {
        { AccUserId = user.id, GroupId = groups[1].id, RankId = ranks[1].id },
        { AccUserId = user.id, GroupId = groups[2].id, RankId = ranks[3].id },
      }
      if i < 3 then
        groupMembers[#groupMembers + 1] = { AccUserId = user.id, GroupId = groups[3].id, RankId = ranks[2].id }
      end
      GroupMember:bulkCreate(groupMembers)
      user:setProducts{ p(0), p(1), p(3) }
      p(0):setTags{ tags[1], tags[3] }
      p(1):setTags{ tags[2] }
      p(0):setCategory(tags[2])
      p(2):setTags{ tags[1] }
      p(3):setTags{ tags[1] }
      p(0):setCompany(companies[5])
      p(1):setCompany(companies[4])
      p(2):setCompany(companies[3])
      p(3):setCompany(companies[2])
      p(4):setCompany(companies[1])
      Price:bulkCreate{
        { ProductId = p(0).id, value = 5 },
        { ProductId = p(0).id, value = 10 },
        { ProductId = p(1).id, value = 5 },
        { ProductId = p(1).id, value = 10 },
        { ProductId = p(1).id, value = 15 },
        { ProductId = p(1).id, value = 20 },
        { ProductId = p(2).id, value = 20 },
        { ProductId = p(3).id, value = 20 },
      }
    end
  end

  -- The models and rows of several tests: users with memberships and products (tags, a
  -- category, prices). withName gives User a name (the nested-where test).
  local function multiTypes(withName)
    local User = db:define("User", withName and { name = DataTypes.STRING } or {})
    local Product = db:define("Product", { title = DataTypes.STRING })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    local Price = db:define("Price", { value = DataTypes.FLOAT })
    local Group = db:define("Group", { name = DataTypes.STRING })
    local GroupMember = db:define("GroupMember", {})
    local Rank = db:define("Rank", {
      name = DataTypes.STRING,
      canInvite = { type = DataTypes.INTEGER, defaultValue = 0 },
      canRemove = { type = DataTypes.INTEGER, defaultValue = 0 },
    })
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
    db:sync{ force = true }
    Group:bulkCreate{ { name = "Developers" }, { name = "Designers" } }
    local groups = Group:findAll()
    Rank:bulkCreate{ { name = "Admin", canInvite = 1, canRemove = 1 }, { name = "Member", canInvite = 1, canRemove = 0 } }
    local ranks = Rank:findAll()
    Tag:bulkCreate{ { name = "A" }, { name = "B" }, { name = "C" } }
    local tags = Tag:findAll()
    local M = { User = User, Product = Product, Tag = Tag, Price = Price, Group = Group,
      GroupMember = GroupMember, Rank = Rank }
    M.round = function(i)
      local user = User:create(withName and { name = "FooBarzz" } or nil)
      Product:bulkCreate{ { title = "Chair" }, { title = "Desk" } }
      local products = Product:findAll{ order = { { "id", "ASC" } } }
      local p0, p1 = products[i * 2 + 1], products[i * 2 + 2]
      GroupMember:bulkCreate{
        { UserId = user.id, GroupId = groups[1].id, RankId = ranks[1].id },
        { UserId = user.id, GroupId = groups[2].id, RankId = ranks[2].id },
      }
      user:setProducts{ p0, p1 }
      p0:setTags{ tags[1], tags[3] }
      p1:setTags{ tags[2] }
      p0:setCategory(tags[2])
      Price:bulkCreate{
        { ProductId = p0.id, value = 5 },
        { ProductId = p0.id, value = 10 },
        { ProductId = p1.id, value = 5 },
        { ProductId = p1.id, value = 10 },
        { ProductId = p1.id, value = 15 },
        { ProductId = p1.id, value = 20 },
      }
    end
    return M
  end

  it("should work on a nested set of relations with a where condition in between relations", function()
    local User = db:define("User", {})
    local SubscriptionForm = db:define("SubscriptionForm", {})
    local Collection = db:define("Collection", {})
    local Category = db:define("Category", {})
    local SubCategory = db:define("SubCategory", {})
    local Capital = db:define("Capital", {})
    User:hasOne(SubscriptionForm, { foreignKey = "boundUser" })
    SubscriptionForm:belongsTo(User, { foreignKey = "boundUser" })
    SubscriptionForm:hasOne(Collection, { foreignKey = "boundDesigner" })
    Collection:belongsTo(SubscriptionForm, { foreignKey = "boundDesigner" })
    SubscriptionForm:belongsTo(Category, { foreignKey = "boundCategory" })
    Category:hasMany(SubscriptionForm, { foreignKey = "boundCategory" })
    Capital:hasMany(Category, { foreignKey = "boundCapital" })
    Category:belongsTo(Capital, { foreignKey = "boundCapital" })
    Category:hasMany(SubCategory, { foreignKey = "boundCategory" })
    SubCategory:belongsTo(Category, { foreignKey = "boundCategory" })
    db:sync{ force = true }
    User:findOne{
      include = { {
        model = SubscriptionForm,
        include = {
          { model = Collection, where = { id = 13 } },
          { model = Category, include = {
            { model = SubCategory },
            { model = Capital, include = { { model = Category } } },
          } },
        },
      } },
    }
  end)

  it("should accept nested `where` and `limit` at the same time", function()
    local Product = db:define("Product", { title = DataTypes.STRING })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    local ProductTag = db:define("ProductTag", { priority = DataTypes.INTEGER })
    local Set = db:define("Set", { title = DataTypes.STRING })
    Set:hasMany(Product)
    Product:belongsTo(Set)
    Product:belongsToMany(Tag, { through = ProductTag })
    Tag:belongsToMany(Product, { through = ProductTag })
    db:sync{ force = true }
    Set:bulkCreate{ { title = "office" } }
    Product:bulkCreate{ { title = "Chair" }, { title = "Desk" }, { title = "Dress" } }
    Tag:bulkCreate{ { name = "A" }, { name = "B" }, { name = "C" } }
    local sets, products, tags = Set:findAll(), Product:findAll(), Tag:findAll()
    sets[1]:addProducts{ products[1], products[2] }
    products[1]:addTag(tags[1], { priority = 1 })
    products[1]:addTag(tags[2], { priority = 2 })
    products[1]:addTag(tags[3], { priority = 1 })
    products[2]:addTag(tags[2], { priority = 2 })
    products[3]:addTag(tags[2], { priority = 3 })
    products[3]:addTag(tags[3], { priority = 0 })
    Set:findAll{
      include = { { model = Product, include = { { model = Tag, where = { name = "A" } } } } },
      limit = 1,
    }
  end)

  it("should support an include with multiple different association types", function()
    local M = multiTypes(false)
    for i = 0, 4 do
      M.round(i)
      local users = M.User:findAll{
        include = {
          { model = M.GroupMember, as = "Memberships", include = { M.Group, M.Rank } },
          { model = M.Product, include = { M.Tag, { model = M.Tag, as = "Category" }, M.Price } },
        },
        order = { { "id", "ASC" } },
      }
      for _, user in ipairs(users) do
        sort_by_id(user.Memberships)
        assert.are.equal(2, #user.Memberships)
        assert.are.equal("Developers", user.Memberships[1].Group.name)
        assert.are.equal(1, user.Memberships[1].Rank.canRemove)
        assert.are.equal("Designers", user.Memberships[2].Group.name)
        assert.are.equal(0, user.Memberships[2].Rank.canRemove)
        sort_by_id(user.Products)
        assert.are.equal(2, #user.Products)
        assert.are.equal(2, #user.Products[1].Tags)
        assert.are.equal(1, #user.Products[2].Tags)
        assert.truthy(user.Products[1].Category)
        assert.falsy(user.Products[2].Category)
        assert.are.equal(2, #user.Products[1].Prices)
        assert.are.equal(4, #user.Products[2].Prices)
      end
    end
  end)

  -- A chain a -> b -> ... -> h of belongsTo; every a set to the same b. gName gives g a name.
  local function belongsToChain(withNames)
    local names = { "a", "b", "c", "d", "e", "f", "g", "h" }
    local M = {}
    for _, n in ipairs(names) do
      M[n] = db:define(n, (withNames and (n == "g" or n == "h")) and { name = DataTypes.STRING } or {})
    end
    for k = 1, 7 do M[names[k]]:belongsTo(M[names[k + 1]]) end
    db:sync{ force = true }
    M.a:bulkCreate{ {}, {}, {}, {}, {}, {}, {}, {} }
    local as0 = M.a:findAll()
    local previous, b
    for k = 2, 8 do
      local n = names[k]
      local instance = M[n]:create((withNames and n == "g") and { name = "yolo" } or {})
      if previous then
        previous["set" .. n:upper()](previous, instance)
        previous = instance
      else
        previous, b = instance, instance
      end
    end
    for _, a in ipairs(as0) do a:setB(b) end
    return M
  end

  it("should support many levels of belongsTo", function()
    local M = belongsToChain(false)
    local as = M.a:findAll{
      include = { { model = M.b, include = { { model = M.c, include = { { model = M.d, include = {
        { model = M.e, include = { { model = M.f, include = { { model = M.g, include = {
          { model = M.h } } } } } } } } } } } } } },
    }
    assert.truthy(#as > 0)
    for _, a in ipairs(as) do assert.truthy(a.b.c.d.e.f.g.h) end
  end)

  it("should support many levels of belongsTo (with a lower level having a where)", function()
    local M = belongsToChain(true)
    local as = M.a:findAll{
      include = { { model = M.b, include = { { model = M.c, include = { { model = M.d, include = {
        { model = M.e, include = { { model = M.f, include = { { model = M.g, where = { name = "yolo" },
          include = { { model = M.h } } } } } } } } } } } } } },
    }
    assert.truthy(#as > 0)
    for _, a in ipairs(as) do assert.truthy(a.b.c.d.e.f.g.h) end
  end)

  it("should support ordering with only belongsTo includes", function()
    local User = db:define("User", {})
    local Item = db:define("Item", { test = DataTypes.STRING })
    local Order = db:define("Order", { position = DataTypes.INTEGER })
    User:belongsTo(Item, { as = "itemA", foreignKey = "itemA_id" })
    User:belongsTo(Item, { as = "itemB", foreignKey = "itemB_id" })
    User:belongsTo(Order)
    db:sync()
    User:bulkCreate{ {}, {}, {} }
    local users = User:findAll()
    Item:bulkCreate{ { test = "abc" }, { test = "def" }, { test = "ghi" }, { test = "jkl" } }
    local items = Item:findAll{ order = { "id" } }
    Order:bulkCreate{ { position = 2 }, { position = 3 }, { position = 1 } }
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
    local Product = db:define("Product", { title = DataTypes.STRING })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    local ProductTag = db:define("ProductTag", { priority = DataTypes.INTEGER })
    Product:belongsToMany(Tag, { through = ProductTag })
    Tag:belongsToMany(Product, { through = ProductTag })
    db:sync{ force = true }
    Product:bulkCreate{ { title = "Chair" }, { title = "Desk" }, { title = "Dress" } }
    local products = Product:findAll()
    Tag:bulkCreate{ { name = "A" }, { name = "B" }, { name = "C" } }
    local tags = Tag:findAll()
    return Product, Tag, products, tags
  end

  it("should include attributes from through models", function()
    local Product, Tag, p, t = productTags()
    p[1]:addTag(t[1], { through = { priority = 1 } })
    p[1]:addTag(t[2], { through = { priority = 2 } })
    p[2]:addTag(t[2], { through = { priority = 1 } })
    p[3]:addTag(t[1], { through = { priority = 3 } })
    p[3]:addTag(t[2], { through = { priority = 1 } })
    p[3]:addTag(t[3], { through = { priority = 2 } })
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
    local User = db:define("User", {})
    local Group = db:define("Group", {})
    User:belongsTo(Group)
    db:sync{ force = true }
    Group:bulkCreate{ {}, {} }
    local groups = Group:findAll()
    User:bulkCreate{ {}, {}, {} }
    local users0 = User:findAll()
    users0[3]:setGroup(groups[2])
    local users = User:findAll{ include = { { model = Group, required = true } } }
    assert.are.equal(1, #users)
    assert.truthy(users[1].Group)
  end)

  local function usersGroups()
    local User = db:define("User", {})
    local Group = db:define("Group", { name = DataTypes.STRING })
    User:belongsTo(Group)
    db:sync{ force = true }
    Group:bulkCreate{ { name = "A" }, { name = "B" } }
    local groups = Group:findAll()
    User:bulkCreate{ {}, {} }
    local users = User:findAll()
    users[1]:setGroup(groups[2])
    users[2]:setGroup(groups[1])
    return User, Group
  end

  it("should be possible to extend the on clause with a where option on a belongsTo include", function()
    local User, Group = usersGroups()
    local users = User:findAll{ include = { { model = Group, where = { name = "A" } } } }
    assert.are.equal(1, #users)
    assert.truthy(users[1].Group)
    assert.are.equal("A", users[1].Group.name)
  end)

  it("should be possible to extend the on clause with a where option on a belongsTo include", function()
    local User, Group = usersGroups()
    local users = User:findAll{ include = { { model = Group, required = true } } }
    for _, user in ipairs(users) do assert.truthy(user.Group) end
  end)

  it("should be possible to define a belongsTo include as required with child hasMany not required", function()
    local Address = db:define("Address", { active = DataTypes.BOOLEAN })
    local Street = db:define("Street", { active = DataTypes.BOOLEAN })
    local User = db:define("User", { username = DataTypes.STRING })
    User:belongsTo(Address, { foreignKey = "addressId" })
    Address:hasMany(User, { foreignKey = "addressId" })
    Address:belongsTo(Street, { foreignKey = "streetId" })
    Street:hasMany(Address, { foreignKey = "streetId" })
    db:sync{ force = true }
    local street = Street:create{ active = true }
    local address = Address:create{ active = true, streetId = street.id }
    User:create{ username = "John", addressId = address.id }
    local john = User:findOne{
      where = { username = "John" },
      include = { { model = Address, required = true, where = { active = true },
        include = { { model = Street } } } },
    }
    assert.truthy(john.Address)
    assert.truthy(john.Address.Street)
  end)

  -- Users each in a group (aliased Team with aliases), every group with both categories.
  local function groupCategories(aliases)
    local User = db:define("User", {})
    local Group = db:define("Group", { name = DataTypes.STRING })
    local Category = db:define("Category", { category = DataTypes.STRING })
    User:belongsTo(Group, aliases and { as = "Team" } or nil)
    Group:hasMany(Category, aliases and { as = "Tags" } or nil)
    db:sync{ force = true }
    Group:bulkCreate{ { name = "A" }, { name = "B" } }
    local groups = Group:findAll()
    User:bulkCreate{ {}, {} }
    local users = User:findAll()
    Category:bulkCreate{ {}, {} }
    local categories = Category:findAll()
    if aliases then
      users[1]:setTeam(groups[2]); users[2]:setTeam(groups[1])
      for _, g in ipairs(groups) do g:setTags(categories) end
    else
      users[1]:setGroup(groups[2]); users[2]:setGroup(groups[1])
      for _, g in ipairs(groups) do g:setCategories(categories) end
    end
    return User, Group, Category
  end

  it("should be possible to define a belongsTo include as required with child hasMany with limit", function()
    local User, Group, Category = groupCategories(false)
    local users = User:findAll{
      include = { { model = Group, required = true, include = { { model = Category } } } },
      limit = 1,
    }
    assert.are.equal(1, #users)
    for _, user in ipairs(users) do
      assert.truthy(user.Group)
      assert.truthy(user.Group.Categories)
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
    end
  end)

  it("should be possible to define a belongsTo include as required with child hasMany which is not required with limit", function()
    local User, Group, Category = groupCategories(false)
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
    local User = db:define("User", {})
    local Project = db:define("Project", { title = DataTypes.STRING })
    User:hasOne(Project, { as = "LeaderOf" })
    db:sync{ force = true }
    Project:bulkCreate{ { title = "Alpha" }, { title = "Beta" } }
    local projects = Project:findAll()
    User:bulkCreate{ {}, {} }
    local users0 = User:findAll()
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
    local Product, Tag, p, t = productTags()
    p[1]:addTag(t[1], { priority = 1 })
    p[1]:addTag(t[2], { priority = 2 })
    p[2]:addTag(t[2], { priority = 1 })
    p[3]:addTag(t[1], { priority = 3 })
    p[3]:addTag(t[2], { priority = 1 })
    p[3]:addTag(t[3], { priority = 2 })
    local products = Product:findAll{ include = { { model = Tag, where = { name = "C" } } } }
    assert.are.equal(1, #products)
    assert.are.equal(1, #products[1].Tags)
  end)

  it("should be possible to extend the on clause with a where option on nested includes", function()
    local M = multiTypes(true)
    for i = 0, 4 do M.round(i) end
    local users = M.User:findAll{
      include = {
        { model = M.GroupMember, as = "Memberships", include = {
          M.Group, { model = M.Rank, where = { name = "Admin" } } } },
        { model = M.Product, include = {
          M.Tag, { model = M.Tag, as = "Category" },
          { model = M.Price, where = { value = { [Op.gt] = 15 } } } } },
      },
      order = { { "id", "ASC" } },
    }
    for _, user in ipairs(users) do
      assert.are.equal(1, #user.Memberships)
      assert.are.equal("Admin", user.Memberships[1].Rank.name)
      assert.are.equal(1, #user.Products)
      assert.are.equal(1, #user.Products[1].Prices)
    end
  end)

  it("should be possible to use limit and a where with a belongsTo include", function()
    local User = db:define("User", {})
    local Group = db:define("Group", { name = DataTypes.STRING })
    User:belongsTo(Group)
    db:sync{ force = true }
    Group:bulkCreate{ { name = "A" }, { name = "B" } }
    local groups = Group:findAll()
    User:bulkCreate{ {}, {}, {}, {} }
    local users0 = User:findAll()
    users0[1]:setGroup(groups[1]); users0[2]:setGroup(groups[1])
    users0[3]:setGroup(groups[1]); users0[4]:setGroup(groups[2])
    local users = User:findAll{ include = { { model = Group, where = { name = "A" } } }, limit = 2 }
    assert.are.equal(2, #users)
    for _, user in ipairs(users) do assert.are.equal("A", user.Group.name) end
  end)

  it("should be possible use limit, attributes and a where on a belongsTo with additional hasMany includes", function()
    fixtureA()
    local products = models.Product:findAll{
      attributes = { "id", "title" },
      include = {
        { model = models.Company, where = { name = "NYSE" } },
        { model = models.Tag },
        { model = models.Price },
      },
      limit = 3,
      order = { { Sequelize.col(models.Product.name .. ".id"), "ASC" } },
    }
    assert.are.equal(3, #products)
    for _, product in ipairs(products) do
      assert.are.equal("NYSE", product.Company.name)
      assert.truthy(#product.Tags > 0)
      assert.truthy(#product.Prices > 0)
    end
  end)

  it("should be possible to have the primary key in attributes", function()
    local Parent = db:define("Parent", {})
    local Child1 = db:define("Child1", {})
    Parent:hasMany(Child1)
    Child1:belongsTo(Parent)
    db:sync{ force = true }
    local parent = Parent:create()
    local child = Child1:create()
    parent:addChild1(child)
    Child1:findOne{
      include = { { model = Parent, attributes = { "id" }, where = { id = parent.id } } },
    }
  end)

  it("should be possible to turn off the attributes for the through table", function()
    fixtureA()
    local products = models.Product:findAll{
      attributes = { "title" },
      include = { { model = models.Tag, through = { attributes = {} }, required = true } },
    }
    for _, product in ipairs(products) do
      assert.truthy(#product.Tags > 0)
      for _, tag in ipairs(product.Tags) do
        assert.falsy(tag:get().productTags)
      end
    end
  end)

  it("should be possible to select on columns inside a through table", function()
    fixtureA()
    local products = models.Product:findAll{
      attributes = { "title" },
      include = { { model = models.Tag, through = { where = { ProductId = 3 } }, required = true } },
    }
    assert.are.equal(1, #products)
  end)

  it("should be possible to select on columns inside a through table and a limit", function()
    fixtureA()
    local products = models.Product:findAll{
      attributes = { "title" },
      include = { { model = models.Tag, through = { where = { ProductId = 3 } }, required = true } },
      limit = 5,
    }
    assert.are.equal(1, #products)
  end)

  it("should be possible not to include the main id in the attributes", function()
    local Member = db:define("Member", {
      id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true },
      email = { type = DataTypes.STRING, unique = true, allowNull = false,
        validate = { isEmail = true, notNull = true, notEmpty = true } },
      password = DataTypes.STRING,
    })
    local Album = db:define("Album", {
      id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true },
      title = { type = DataTypes.STRING(25), allowNull = false },
    })
    Album:belongsTo(Member)
    Member:hasMany(Album)
    db:sync{ force = true }
    local members, albums = {}, {}
    for i = 1, 20 do
      members[i] = { id = i, email = "email" .. i .. "@lmu.com", password = "testing" .. i }
      albums[i] = { title = "Album" .. i, MemberId = i }
    end
    Member:bulkCreate(members)
    Album:bulkCreate(albums)
    local members0 = Member:findAll{ attributes = { "email" }, include = { { model = Album } } }
    assert.are.equal(20, #members0)
    for _, member in ipairs(members0) do
      assert.falsy(member:get("id"))
      assert.are.equal(1, #member.Albums)
    end
  end)

  it("should be possible to use limit and a where on a hasMany with additional includes", function()
    fixtureA()
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
      assert.truthy(#product.Tags > 0)
      assert.truthy(#product.Prices > 0)
      for _, price in ipairs(product.Prices) do assert.truthy(price.value > 5) end
    end
  end)

  it("should be possible to use limit and a where on a hasMany with a through model with additional includes", function()
    fixtureA()
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
    local allowed = { A = true, B = true, C = true }
    for _, product in ipairs(products) do
      assert.truthy(#product.Tags > 0)
      assert.truthy(#product.Prices > 0)
      for _, tag in ipairs(product.Tags) do assert.truthy(allowed[tag.name]) end
    end
  end)

  it("should support including date fields, with the correct timeszone", function()
    local User = db:define("user", { dateField = DataTypes.DATE }, { timestamps = false })
    local Group = db:define("group", { dateField = DataTypes.DATE }, { timestamps = false })
    User:belongsToMany(Group, { through = "group_user" })
    Group:belongsToMany(User, { through = "group_user" })
    db:sync()
    local date = "2014-02-20T00:00:00.000Z" -- Date.UTC(2014, 1, 20)
    local user = User:create{ dateField = date }
    local group = Group:create{ dateField = date }
    user:addGroup(group)
    local users = User:findAll{ where = { id = user.id }, include = { Group } }
    assert.are.equal(date, users[1].dateField)
    assert.are.equal(date, users[1].groups[1].dateField)
  end)

  it("should still pull the main record(s) when an included model is not required and has where restrictions without matches", function()
    local A = db:define("a", { name = DataTypes.STRING(40) })
    local B = db:define("b", { name = DataTypes.STRING(40) })
    A:belongsToMany(B, { through = "a_b" })
    B:belongsToMany(A, { through = "a_b" })
    db:sync{ force = true }
    A:create{ name = "Foobar" }
    local as = A:findAll{
      where = { name = "Foobar" },
      include = { { model = B, where = { name = "idontexist" }, required = false } },
    }
    assert.are.equal(1, #as)
    assert.are.same({}, as[1]:get("bs"))
  end)

  it("should work with paranoid, a main record where, an include where, and a limit", function()
    local Post = db:define("post", { date = DataTypes.DATE, public = DataTypes.BOOLEAN }, { paranoid = true })
    local Category = db:define("category", { slug = DataTypes.STRING })
    Post:hasMany(Category)
    Category:belongsTo(Post)
    db:sync{ force = true }
    local posts0 = {}
    for k = 1, 4 do posts0[k] = Post:create{ public = true } end
    for k = 2, 3 do posts0[k]:createCategory{ slug = "food" } end
    local posts = Post:findAll{
      limit = 2,
      where = { public = true },
      include = { { model = Category, where = { slug = "food" } } },
    }
    assert.are.equal(2, #posts)
  end)

  it("should work on a nested set of required 1:1 relations", function()
    local Person = db:define("Person", { name = { type = DataTypes.STRING, allowNull = false } })
    local UserPerson = db:define("UserPerson", {
      PersonId = { type = DataTypes.INTEGER, primaryKey = true },
      rank = { type = DataTypes.STRING },
    })
    local User = db:define("User", {
      UserPersonId = { type = DataTypes.INTEGER, primaryKey = true },
      login = { type = DataTypes.STRING, unique = true, allowNull = false },
    })
    UserPerson:belongsTo(Person, { foreignKey = { allowNull = false }, onDelete = "CASCADE" })
    Person:hasOne(UserPerson, { foreignKey = { allowNull = false }, onDelete = "CASCADE" })
    User:belongsTo(UserPerson, { foreignKey = { name = "UserPersonId", allowNull = false }, onDelete = "CASCADE" })
    UserPerson:hasOne(User, { foreignKey = { name = "UserPersonId", allowNull = false }, onDelete = "CASCADE" })
    db:sync{ force = true }
    Person:findAll{
      offset = 0,
      limit = 20,
      attributes = { "id", "name" },
      include = { {
        model = UserPerson, required = true, attributes = { "rank" },
        include = { { model = User, required = true, attributes = { "login" } } },
      } },
    }
  end)

  it("should work with an empty include.where", function()
    local User = db:define("User", {})
    local Company = db:define("Company", {})
    local Group = db:define("Group", {})
    User:belongsTo(Company)
    User:belongsToMany(Group, { through = "UsersGroups" })
    Group:belongsToMany(User, { through = "UsersGroups" })
    db:sync{ force = true }
    User:findAll{ include = { { model = Group, where = {} }, { model = Company, where = {} } } }
  end)

  it("should be able to order on the main table and a required belongsTo relation with custom tablenames and limit ", function()
    local User = db:define("User", { lastName = DataTypes.STRING }, { tableName = "dem_users" })
    local Company = db:define("Company", { rank = DataTypes.INTEGER }, { tableName = "dem_companies" })
    User:belongsTo(Company)
    Company:hasMany(User)
    db:sync{ force = true }
    local albertsen = User:create{ lastName = "Albertsen" }
    local zenith = User:create{ lastName = "Zenith" }
    local hansen = User:create{ lastName = "Hansen" }
    local company1 = Company:create{ rank = 1 }
    local company2 = Company:create{ rank = 2 }
    albertsen:setCompany(company1)
    zenith:setCompany(company2)
    hansen:setCompany(company2)
    local users = User:findAll{
      include = { { model = Company, required = true } },
      order = { { Company, "rank", "ASC" }, { "lastName", "DESC" } },
      limit = 5,
    }
    assert.are.equal("Albertsen", users[1].lastName)
    assert.are.equal(1, users[1].Company.rank)
    assert.are.equal("Zenith", users[2].lastName)
    assert.are.equal(2, users[2].Company.rank)
    assert.are.equal("Hansen", users[3].lastName)
    assert.are.equal(2, users[3].Company.rank)
  end)

  local function postComments()
    local Post = db:define("Post", { title = DataTypes.STRING })
    local Comment = db:define("Comment", { content = DataTypes.TEXT })
    Post.Comments = Post:hasMany(Comment, { as = "comments" })
    db:sync{ force = true }
    Post:create({
      title = tostring(math.random()),
      comments = {
        { content = tostring(math.random()) },
        { content = tostring(math.random()) },
        { content = tostring(math.random()) },
      },
    }, { include = { Post.Comments } })
    return Post
  end

  it("should ignore include with attributes: [] (used for aggregates)", function()
    local Post = postComments()
    local posts = Post:findAll{
      attributes = { { Sequelize.fn("COUNT", Sequelize.col("comments.id")), "commentCount" } },
      include = { { association = Post.Comments, attributes = {} } },
      group = { "Post.id" },
    }
    assert.are.equal(1, #posts)
    local post = posts[1]
    assert.falsy(post:get("comments"))
    assert.are.equal(3, tonumber(post:get("commentCount")))
  end)

  it("should ignore include with attributes: [] and through: { attributes: [] } (used for aggregates)", function()
    local User = db:define("User", { name = DataTypes.STRING })
    local Project = db:define("Project", { title = DataTypes.STRING })
    User:belongsToMany(Project, { as = "projects", through = "UserProject" })
    Project:belongsToMany(User, { as = "users", through = "UserProject" })
    db:sync{ force = true }
    User:create({
      name = tostring(math.random()),
      projects = {
        { title = tostring(math.random()) },
        { title = tostring(math.random()) },
        { title = tostring(math.random()) },
      },
    }, { include = { User.associations.projects } })
    local users = User:findAll{
      attributes = { { Sequelize.fn("COUNT", Sequelize.col("projects.id")), "projectsCount" } },
      include = { association = User.associations.projects, attributes = {}, through = { attributes = {} } },
      group = { "User.id" },
    }
    assert.are.equal(1, #users)
    local user = users[1]
    assert.falsy(user.projects)
    assert.are.equal(3, tonumber(user:get("projectsCount")))
  end)

  it("should not add primary key when including and aggregating with raw: true", function()
    local Post = postComments()
    local posts = Post:findAll{
      attributes = {},
      include = { {
        association = Post.Comments,
        attributes = { { Sequelize.fn("COUNT", Sequelize.col("comments.id")), "commentCount" } },
      } },
      raw = true,
    }
    assert.are.equal(1, #posts)
    local post = posts[1]
    assert.falsy(post.id)
    assert.are.equal(3, tonumber(post["comments.commentCount"]))
  end)

  it("should return posts with nested include with inner join with a m:n association", function()
    local User = db:define("User", { username = { type = DataTypes.STRING, primaryKey = true } })
    local Entity = db:define("Entity", {
      entity_id = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true },
      creator = { type = DataTypes.STRING, allowNull = false },
      votes = { type = DataTypes.INTEGER, allowNull = false, defaultValue = 0 },
    })
    local Post = db:define("Post", { post_id = { type = DataTypes.INTEGER, allowNull = false, primaryKey = true } })
    local TaggableSentient = db:define("TaggableSentient", { nametag = { type = DataTypes.STRING, primaryKey = true } })
    Entity:belongsTo(User, { foreignKey = "creator", targetKey = "username" })
    Post:belongsTo(Entity, { foreignKey = "post_id", targetKey = "entity_id" })
    Entity:belongsToMany(TaggableSentient, {
      as = "tags", through = { model = "EntityTag", unique = false },
      foreignKey = "entity_id", otherKey = "tag_name",
    })
    TaggableSentient:belongsToMany(Entity, {
      as = "tags", through = { model = "EntityTag", unique = false },
      foreignKey = "tag_name", otherKey = "entity_id",
    })
    db:sync{ force = true }
    User:create{ username = "bob" }
    TaggableSentient:create{ nametag = "bob" }
    local entity = Entity:create{ creator = "bob" }
    Post:create{ post_id = entity.entity_id }
    entity:addTags("bob")
    local posts = Post:findAll{
      include = { {
        model = Entity, required = true,
        include = {
          { model = User, required = true },
          { model = TaggableSentient, as = "tags", required = true,
            through = { where = { tag_name = { "bob" } } } },
        },
      } },
      limit = 5,
      offset = 0,
    }
    assert.are.equal(1, #posts)
    assert.are.equal("bob", posts[1].Entity.creator)
    assert.are.equal(1, #posts[1].Entity.tags)
    assert.are.equal("bob", posts[1].Entity.tags[1].EntityTag.tag_name)
    assert.are.equal(posts[1].post_id, posts[1].Entity.tags[1].EntityTag.entity_id)
  end)

  it("should be able to generate a correct request with inner and outer join", function()
    local Customer = db:define("customer", { name = DataTypes.STRING })
    local ShippingAddress = db:define("shippingAddress", { address = DataTypes.STRING, verified = DataTypes.BOOLEAN })
    local Order = db:define("purchaseOrder", { description = DataTypes.TEXT })
    local Shipment = db:define("shipment", { trackingNumber = DataTypes.STRING })
    Customer:hasMany(ShippingAddress)
    ShippingAddress:belongsTo(Customer)
    Customer:hasMany(Order)
    Order:belongsTo(Customer)
    Shipment:belongsTo(Order)
    Order:hasOne(Shipment)
    db:sync{ force = true }
    Shipment:findOne{
      include = { {
        model = Order, required = true,
        include = { { model = Customer,
          include = { { model = ShippingAddress, where = { verified = true } } } } },
      } },
    }
  end)

  it("should be able to generate a correct request for entity with 1:n and m:1 associations and limit", function()
    fixtureA()
    local products = models.Product:findAll{
      attributes = { "title" },
      include = { { model = models.User }, { model = models.Price } },
      limit = 10,
    }
    assert.are.equal("table", type(products))
    assert.are.equal(10, #products)
    for _, product in ipairs(products) do
      assert.are.equal("string", type(product.title))
      -- the key added internally for the belongsTo join is not leaked into the result
      assert.is_nil(product.UserId)
      assert.truthy(product.User == nil or product.User.constructor == models.User)
      assert.are.equal("table", type(product.Prices))
    end
  end)

  it("should allow through model to be paranoid", function()
    local User = db:define("user", { name = DataTypes.STRING }, { timestamps = false })
    local Customer = db:define("customer", { name = DataTypes.STRING }, { timestamps = false })
    local UserCustomer = db:define("user_customer", {}, { paranoid = true, createdAt = false, updatedAt = false })
    User:belongsToMany(Customer, { through = UserCustomer })
    db:sync{ force = true }
    local user = User:create{ name = "User 1" }
    local customer1 = Customer:create{ name = "Customer 1" }
    local customer2 = Customer:create{ name = "Customer 2" }
    user:setCustomers{ customer1 }
    user:setCustomers{ customer2 }
    local users = User:findAll{ include = Customer }
    assert.are.equal(1, #users)
    local customers = users[1].customers
    assert.are.equal(1, #customers)
    local user_customer = customers[1].user_customer
    assert.is_nil(user_customer.deletedAt)
    local userCustomers = UserCustomer:findAll{ paranoid = false }
    assert.are.equal(2, #userCustomers)
    local live, deleted = 0, 0
    for _, uc in ipairs(userCustomers) do
      if uc.deletedAt then deleted = deleted + 1 else live = live + 1 end
    end
    assert.are.equal(1, live)
    assert.are.equal(1, deleted)
  end)
end)
