-- Port of Sequelize v6's test/unit/associations/belongs-to-many.test.js (branch v6), sqlite dialect.
-- Skipped: "throws when invalid model is passed" (already asserted by
-- spec/association_define_spec.lua, "an association with something that is not a model").
-- sinon's stubs of UserTasks.findAll / bulkCreate / destroy count the statements the logging
-- option sees (on real rows). The "pseudo associations" tests check Sequelize-internal objects
-- (association.toSource / toTarget / manyFromSource / manyFromTarget / oneFromSource /
-- oneFromTarget, which no public API returns): ported as what they decide, the join model's
-- columns (names, order, references) and the join rows add writes and the getters read back.
-- `X.prototype.getY` being there: the accessor on a built instance.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function cols(db, tableName)
  local rows = db:query("PRAGMA table_info(`" .. tableName .. "`)")
  local l = {}
  for _, r in ipairs(rows) do l[#l + 1] = r.name end
  return l
end

local function keys(t)
  local l = {}
  for k in pairs(t) do l[#l + 1] = k end
  table.sort(l)
  return l
end

describe("belongsToMany (port of unit/associations/belongs-to-many.test.js)", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  it("should not inherit scopes from parent to join table", function()
    local A = db:define("a")
    local B = db:define("b", { foo = DataTypes.STRING, fooz = DataTypes.STRING }, {
      defaultScope = { where = { foo = "bar" } },
      scopes = { baz = { where = { fooz = "zab" } } },
    })
    B:belongsToMany(A, { through = "AB" })
    local AB = db:model("AB")
    assert.same({}, AB.options.defaultScope or {})
    assert.same({}, AB.options.scopes or {})
    -- what it decides: the join table is read unfiltered
    db:sync()
    local b = B:create({ foo = "bar", fooz = "zab" })
    local a = A:create({})
    b:addA(a)
    assert.equal(1, AB:count())
    assert.equal(1, #AB:findAll())
    assert.has_error(function() AB:scope("baz") end)
  end)

  it("should not inherit validations from parent to join table", function()
    local A = db:define("a")
    local B = db:define("b", {}, {
      validate = { validateModel = function() error("b is never valid") end },
    })
    B:belongsToMany(A, { through = "AB" })
    local AB = db:model("AB")
    assert.same({}, AB.options.validate or {})
    db:sync()
    -- a join row validates without B's model validator
    local a = A:create({})
    db:query("INSERT INTO `bs` (`id`, `createdAt`, `updatedAt`) VALUES (1, '2020-01-01 00:00:00.000 +00:00', '2020-01-01 00:00:00.000 +00:00')")
    AB:create({ aId = a.id, bId = 1 })
    assert.equal(1, AB:count())
  end)

  it("should not override custom methods with association mixin", function()
    local methods = {
      getTasks = "get", countTasks = "count", hasTask = "has", hasTasks = "has",
      setTasks = "set", addTask = "add", addTasks = "add", removeTask = "remove",
      removeTasks = "remove", createTask = "create",
    }
    local User = db:define("User")
    local Task = db:define("Task")
    for method, alias in pairs(methods) do
      User.prototype[method] = function(self)
        local realMethod = User.associations.task[alias]
        assert.is_function(realMethod)
        return realMethod
      end
    end
    User:belongsToMany(Task, { through = "UserTasks", as = "task" })
    local user = User:build()
    for method in pairs(methods) do assert.is_function(user[method](user)) end
  end)

  describe("proper syntax", function()
    it("throws an AssociationError if the through option is undefined, true, or null", function()
      local User = db:define("User", {})
      local Task = db:define("Task", {})
      for _, opts in ipairs({ { through = true }, { through = nil }, { through = Sequelize.null } }) do
        local ok, err = pcall(User.belongsToMany, User, Task, opts)
        assert.is_false(ok)
        assert.is_true(err:is(Sequelize.errors.AssociationError))
        assert.equal(User.name .. ".belongsToMany(" .. Task.name .. ") requires through option, pass either a string or a model", err.message)
      end
    end)
    it("throws an AssociationError for a self-association defined without an alias", function()
      local User = db:define("User", {})
      local ok, err = pcall(User.belongsToMany, User, User, { through = "jointable" })
      assert.is_false(ok)
      assert.is_true(err:is(Sequelize.errors.AssociationError))
      assert.equal("'as' must be defined for many-to-many self-associations", err.message)
    end)
  end)

  describe("timestamps", function()
    it("follows the global timestamps true option", function()
      local User, Task = db:define("User", {}), db:define("Task", {})
      User:belongsToMany(Task, { through = "user_task1" })
      assert.is_truthy(db.models.user_task1.rawAttributes.createdAt)
      assert.is_truthy(db.models.user_task1.rawAttributes.updatedAt)
    end)

    it("allows me to override the global timestamps option", function()
      local User, Task = db:define("User", {}), db:define("Task", {})
      User:belongsToMany(Task, { through = "user_task2", timestamps = false })
      assert.same({ "TaskId", "UserId" }, keys(db.models.user_task2.rawAttributes))
    end)

    it("follows the global timestamps false option", function()
      local current = Sequelize.new{ dialect = "sqlite", storage = ":memory:", define = { timestamps = false } }
      local User, Task = current:define("User", {}), current:define("Task", {})
      User:belongsToMany(Task, { through = "user_task3" })
      assert.same({ "TaskId", "UserId" }, keys(current.models.user_task3.rawAttributes))
      current:close()
    end)
  end)

  describe("optimizations using bulk create, destroy and update", function()
    local log, User, Task, user, task1, task2
    before_each(function()
      log = {}
      db:close()
      db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(m) log[#log + 1] = m end }
      User = db:define("User", { username = DataTypes.STRING })
      Task = db:define("Task", { title = DataTypes.STRING })
      local UserTasks = db:define("UserTasks", {})
      User:belongsToMany(Task, { through = UserTasks })
      Task:belongsToMany(User, { through = UserTasks })
      db:sync()
      user = User:create({ id = 42 })
      task1 = Task:create({ id = 15 })
      task2 = Task:create({ id = 16 })
      for i = #log, 1, -1 do log[i] = nil end
    end)

    -- statements on the join table, by kind
    local function count(kind)
      local n = 0
      for _, m in ipairs(log) do
        if m:match("^Executing %(.-%): " .. kind .. " ") and m:find("`UserTasks`", 1, true) then n = n + 1 end
      end
      return n
    end

    it("uses one insert into statement", function()
      user:setTasks({ task1, task2 })
      assert.equal(1, count("SELECT"))
      assert.equal(1, count("INSERT"))
      assert.equal(2, user:countTasks())
    end)

    it("uses one delete from statement", function()
      user:setTasks({ task1, task2 })
      user:setTasks(Sequelize.null)
      assert.equal(2, count("SELECT"))
      assert.equal(1, count("DELETE"))
      assert.equal(0, user:countTasks())
    end)
  end)

  describe("foreign keys", function()
    it("should infer otherKey from paired BTM relationship with a through string defined", function()
      local User, Place = db:define("User", {}), db:define("Place", {})
      local Places = User:belongsToMany(Place, { through = "user_places", foreignKey = "user_id" })
      local Users = Place:belongsToMany(User, { through = "user_places", foreignKey = "place_id" })
      assert.equal(Users, Places.paired)
      assert.equal(Places, Users.paired)
      assert.equal("user_id", Places.foreignKey)
      assert.equal("place_id", Users.foreignKey)
      assert.equal("place_id", Places.otherKey)
      assert.equal("user_id", Users.otherKey)
    end)

    it("should infer otherKey from paired BTM relationship with a through model defined", function()
      local User, Place = db:define("User", {}), db:define("Place", {})
      local UserPlace = db:define("UserPlace", {
        id = { primaryKey = true, type = DataTypes.INTEGER, autoIncrement = true },
      }, { timestamps = false })
      local Places = User:belongsToMany(Place, { through = UserPlace, foreignKey = "user_id" })
      local Users = Place:belongsToMany(User, { through = UserPlace, foreignKey = "place_id" })
      assert.equal(Users, Places.paired)
      assert.equal(Places, Users.paired)
      assert.equal("user_id", Places.foreignKey)
      assert.equal("place_id", Users.foreignKey)
      assert.equal("place_id", Places.otherKey)
      assert.equal("user_id", Users.otherKey)
      assert.equal(3, #keys(UserPlace.rawAttributes))
    end)
  end)

  describe("source/target keys", function()
    it("should infer targetKey from paired BTM relationship with a through string defined", function()
      local User = db:define("User", { user_id = DataTypes.UUID })
      local Place = db:define("Place", { place_id = DataTypes.UUID })
      local Places = User:belongsToMany(Place, { through = "user_places", sourceKey = "user_id" })
      local Users = Place:belongsToMany(User, { through = "user_places", sourceKey = "place_id" })
      assert.equal(Users, Places.paired)
      assert.equal(Places, Users.paired)
      assert.equal("user_id", Places.sourceKey)
      assert.equal("place_id", Users.sourceKey)
      assert.equal("place_id", Places.targetKey)
      assert.equal("user_id", Users.targetKey)
    end)

    it("should infer targetKey from paired BTM relationship with a through model defined", function()
      local User = db:define("User", { user_id = DataTypes.UUID })
      local Place = db:define("Place", { place_id = DataTypes.UUID })
      local UserPlace = db:define("UserPlace", {
        id = { primaryKey = true, type = DataTypes.INTEGER, autoIncrement = true },
      }, { timestamps = false })
      local Places = User:belongsToMany(Place, { through = UserPlace, sourceKey = "user_id" })
      local Users = Place:belongsToMany(User, { through = UserPlace, sourceKey = "place_id" })
      assert.equal(Users, Places.paired)
      assert.equal(Places, Users.paired)
      assert.equal("user_id", Places.sourceKey)
      assert.equal("place_id", Users.sourceKey)
      assert.equal("place_id", Places.targetKey)
      assert.equal("user_id", Users.targetKey)
      assert.equal(3, #keys(UserPlace.rawAttributes))
    end)
  end)

  describe("pseudo associations", function()
    local Product, Tag, ProductTag
    before_each(function()
      Product = db:define("Product", { title = DataTypes.STRING, productSecondaryId = DataTypes.STRING })
      Tag = db:define("Tag", { name = DataTypes.STRING, tagSecondaryId = DataTypes.STRING })
      ProductTag = db:define("ProductTag", {
        id = { primaryKey = true, type = DataTypes.INTEGER, autoIncrement = true },
        priority = DataTypes.INTEGER,
      }, { timestamps = false })
    end)

    -- toSource / manyFromSource / oneFromSource join the source on foreignKey, toTarget /
    -- manyFromTarget / oneFromTarget the target on otherKey: the join model's columns reference
    -- them, and a join row links the right pair (two products, two tags, one link each way).
    local function check(PT, TP, expected)
      assert.equal(PT.foreignKey, TP.otherKey)
      assert.equal(PT.otherKey, TP.foreignKey)
      local ra = ProductTag.rawAttributes
      assert.equal("Products", ra[PT.foreignKey].references.model)
      assert.equal("Tags", ra[PT.otherKey].references.model)
      assert.equal(PT.sourceKey, ra[PT.foreignKey].references.key)
      assert.equal(PT.targetKey, ra[PT.otherKey].references.key)
      assert.equal(4, #keys(ra))
      db:sync()
      assert.same(expected, cols(db, "ProductTags"))
      if PT.sourceKey ~= "id" then return end
      local p1, p2 = Product:create({ title = "p1" }), Product:create({ title = "p2" })
      local t1, t2 = Tag:create({ name = "t1" }), Tag:create({ name = "t2" })
      p1:addTag(t2, { through = { priority = 7 } })
      t1:addProduct(p2)
      local rows = db:query("SELECT * FROM `ProductTags` ORDER BY `id`")
      assert.equal(2, #rows)
      assert.equal(p1.id, rows[1][PT.foreignKey]); assert.equal(t2.id, rows[1][PT.otherKey]); assert.equal(7, rows[1].priority)
      assert.equal(p2.id, rows[2][PT.foreignKey]); assert.equal(t1.id, rows[2][PT.otherKey])
      local got = p1:getTags()
      assert.equal(1, #got); assert.equal("t2", got[1].name); assert.equal(7, got[1].ProductTag.priority)
      got = t1:getProducts()
      assert.equal(1, #got); assert.equal("p2", got[1].title)
    end

    for _, kind in ipairs({ "belongsTo", "hasMany", "hasOne" }) do
      it("should setup " .. kind .. " relations to source and target from join model with defined foreign/other keys", function()
        local PT = Product:belongsToMany(Tag, { through = ProductTag, foreignKey = "productId", otherKey = "tagId" })
        local TP = Tag:belongsToMany(Product, { through = ProductTag, foreignKey = "tagId", otherKey = "productId" })
        check(PT, TP, { "id", "priority", "productId", "tagId" })
      end)
    end

    it("should setup hasOne relations to source and target from join model with defined source keys", function()
      local PT = Product:belongsToMany(Tag, { through = ProductTag, sourceKey = "productSecondaryId" })
      local TP = Tag:belongsToMany(Product, { through = ProductTag, sourceKey = "tagSecondaryId" })
      assert.equal("tagSecondaryId", TP.sourceKey); assert.equal("productSecondaryId", TP.targetKey)
      assert.equal("productSecondaryId", PT.sourceKey); assert.equal("tagSecondaryId", PT.targetKey)
      check(PT, TP, { "id", "priority", "ProductProductSecondaryId", "TagTagSecondaryId" })
    end)

    for _, kind in ipairs({ "belongsTo", "hasOne" }) do
      it("should setup " .. kind .. " relations to source and target from join model with only foreign keys defined", function()
        local PT = Product:belongsToMany(Tag, { through = ProductTag, foreignKey = "product_ID" })
        local TP = Tag:belongsToMany(Product, { through = ProductTag, foreignKey = "tag_ID" })
        check(PT, TP, { "id", "priority", "product_ID", "tag_ID" })
      end)
    end

    it("should setup belongsTo relations to source and target from join model with no foreign keys defined", function()
      local PT = Product:belongsToMany(Tag, { through = ProductTag })
      local TP = Tag:belongsToMany(Product, { through = ProductTag })
      check(PT, TP, { "id", "priority", "ProductId", "TagId" })
    end)
  end)

  describe("associations on the join table", function()
    local User, Project, UserProjects
    before_each(function()
      User = db:define("User", {})
      Project = db:define("Project", {})
      UserProjects = db:define("UserProjects", {})
      UserProjects:belongsTo(User)
      User:belongsToMany(Project, { through = UserProjects })
      Project:belongsToMany(User, { through = UserProjects })
      UserProjects:belongsTo(Project)
    end)

    it("should work for belongsTo associations defined before belongsToMany", function()
      assert.is_function(UserProjects:build().getUser)
    end)
    it("should work for belongsTo associations defined after belongsToMany", function()
      assert.is_function(UserProjects:build().getProject)
    end)
  end)

  describe("self-associations", function()
    it("does not pair multiple self associations with different through arguments", function()
      local User = db:define("user", {})
      local UserFollowers = db:define("userFollowers", {})
      local Invite = db:define("invite", {})
      local Followers = User:belongsToMany(User, { as = "Followers", through = UserFollowers })
      local Invites = User:belongsToMany(User, { as = "Invites", foreignKey = "InviteeId", through = Invite })
      assert.is_falsy(Followers.paired)
      assert.is_falsy(Invites.paired)
      assert.are_not.equal(Invites.foreignKey, Followers.otherKey)
    end)

    it("correctly generates a foreign/other key when none are defined", function()
      local User = db:define("user", {})
      local UserFollowers = db:define("userFollowers", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
      }, { timestamps = false })
      local Followers = User:belongsToMany(User, { as = "Followers", through = UserFollowers })
      assert.is_truthy(Followers.foreignKey)
      assert.is_truthy(Followers.otherKey)
      assert.equal(3, #keys(UserFollowers.rawAttributes))
    end)

    it("works with singular and plural name for self-associations", function()
      local Service = db:define("service", {})
      Service:belongsToMany(Service, { through = "Supplements", as = "supplements" })
      Service:belongsToMany(Service, { through = "Supplements", as = { singular = "supplemented", plural = "supplemented" } })
      local s = Service:build()
      assert.is_function(s.getSupplements)
      assert.is_function(s.addSupplement)
      assert.is_function(s.addSupplements)
      assert.is_function(s.getSupplemented)
      assert.is_nil(s.getSupplementeds)
      assert.is_function(s.addSupplemented)
      assert.is_nil(s.addSupplementeds)
    end)
  end)

  describe("constraints", function()
    local function checkRules(Group, User)
      assert.equal(User.associations.MyGroups.through.model, Group.associations.MyUsers.through.model)
      local ra = Group.associations.MyUsers.through.model.rawAttributes
      assert.equal("RESTRICT", ra.UserId.onUpdate)
      assert.equal("SET NULL", ra.UserId.onDelete)
      assert.equal("SET NULL", ra.GroupId.onUpdate)
      assert.equal("RESTRICT", ra.GroupId.onDelete)
    end

    it("work properly when through is a string", function()
      local User, Group = db:define("User", {}), db:define("Group", {})
      User:belongsToMany(Group, { as = "MyGroups", through = "group_user", onUpdate = "RESTRICT", onDelete = "SET NULL" })
      Group:belongsToMany(User, { as = "MyUsers", through = "group_user", onUpdate = "SET NULL", onDelete = "RESTRICT" })
      checkRules(Group, User)
    end)

    it("work properly when through is a model", function()
      local User, Group = db:define("User", {}), db:define("Group", {})
      local UserGroup = db:define("GroupUser", {}, { tableName = "user_groups" })
      User:belongsToMany(Group, { as = "MyGroups", through = UserGroup, onUpdate = "RESTRICT", onDelete = "SET NULL" })
      Group:belongsToMany(User, { as = "MyUsers", through = UserGroup, onUpdate = "SET NULL", onDelete = "RESTRICT" })
      checkRules(Group, User)
    end)

    local function longModels()
      local User = db:define("User", {}, { tableName = "table_user_with_very_long_name" })
      local Group = db:define("Group", {}, { tableName = "table_group_with_very_long_name" })
      local UserGroup = db:define("GroupUser", {
        id_user_very_long_field = { type = DataTypes.INTEGER(1) },
        id_group_very_long_field = { type = DataTypes.INTEGER(1) },
      }, { tableName = "table_user_group_with_very_long_name" })
      return User, Group, UserGroup
    end

    it("generate unique identifier with very long length", function()
      local User, Group = longModels()
      User:belongsToMany(Group, { as = "MyGroups", through = db:model("GroupUser"), foreignKey = "id_user_very_long_field" })
      Group:belongsToMany(User, { as = "MyUsers", through = db:model("GroupUser"), foreignKey = "id_group_very_long_field" })
      local ra = Group.associations.MyUsers.through.model.rawAttributes
      local name = "table_user_group_with_very_long_name_id_group_very_long_field_id_user_very_long_field_unique"
      assert.equal(92, #ra.id_user_very_long_field.unique)
      assert.equal(92, #ra.id_group_very_long_field.unique)
      assert.equal(name, ra.id_user_very_long_field.unique)
      assert.equal(name, ra.id_group_very_long_field.unique)
    end)

    it("generate unique identifier with custom name", function()
      local User, Group, UserGroup = longModels()
      User:belongsToMany(Group, { as = "MyGroups", through = UserGroup, foreignKey = "id_user_very_long_field", uniqueKey = "custom_user_group_unique" })
      Group:belongsToMany(User, { as = "MyUsers", through = UserGroup, foreignKey = "id_group_very_long_field", uniqueKey = "custom_user_group_unique" })
      local ra = Group.associations.MyUsers.through.model.rawAttributes
      assert.equal(24, #ra.id_user_very_long_field.unique)
      assert.equal("custom_user_group_unique", ra.id_user_very_long_field.unique)
      assert.equal("custom_user_group_unique", ra.id_group_very_long_field.unique)
      -- what it decides: one composite unique constraint on the pair
      db:sync()
      local u, g = User:create({}), Group:create({})
      u:addMyGroup(g)
      assert.has_error(function()
        UserGroup:create({ id_user_very_long_field = u.id, id_group_very_long_field = g.id })
      end)
      assert.equal(1, UserGroup:count())
    end)
  end)

  require("spec.port_unit_assoc_hooks")("belongsToMany", "BelongsToMany",
    { describe = describe, it = it, before_each = before_each, after_each = after_each, assert = assert },
    { through = "projects_and_tasks" })
end)
