-- Association parity with Sequelize 6 (behaviour checked against sequelize@6 + sqlite3):
-- a polymorphic n:m (through = { model, scope, unique = false }), include all with the
-- associations' scopes, naming collisions between an alias and an attribute, and the raw
-- rows of an n:m getter.
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

local function dump(M)
  local out = {}
  for i, r in ipairs(M:findAll({ order = { { "id", "ASC" } }, raw = true })) do
    out[i] = { r.taggableId, r.labelId, r.taggable }
  end
  return out
end

local function names(list, key)
  local out = {}
  for i, x in ipairs(list) do out[i] = x[key] end
  return out
end

describe("n:m through scope (polymorphic)", function()
  local db, Post, Comment, Label, Labeling, sqls
  local p1, p2, c1, l1, l2, l3

  before_each(function()
    sqls = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(s) sqls[#sqls + 1] = s end })
    local function d(n, a) return db:define(n, a, { timestamps = false }) end
    Post = d("Post", { title = DataTypes.STRING })
    Comment = d("Comment", { body = DataTypes.STRING })
    Label = d("Label", { name = DataTypes.STRING })
    Labeling = d("Labeling", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                               labelId = DataTypes.INTEGER, taggableId = DataTypes.INTEGER,
                               taggable = DataTypes.STRING })
    Post:belongsToMany(Label, { through = { model = Labeling, unique = false, scope = { taggable = "post" } },
                                foreignKey = "taggableId", otherKey = "labelId", constraints = false })
    Comment:belongsToMany(Label, { through = { model = Labeling, unique = false, scope = { taggable = "comment" } },
                                   foreignKey = "taggableId", otherKey = "labelId", constraints = false })
    Label:belongsToMany(Post, { through = { model = Labeling, unique = false, scope = { taggable = "post" } },
                                foreignKey = "labelId", otherKey = "taggableId", constraints = false })
    db:sync()
    local ps = Post:bulkCreate({ { title = "p1" }, { title = "p2" } })
    p1, p2 = ps[1], ps[2]
    c1 = Comment:bulkCreate({ { body = "c1" } })[1]
    local ls = Label:bulkCreate({ { name = "L1" }, { name = "L2" }, { name = "L3" } })
    l1, l2, l3 = ls[1], ls[2], ls[3]
    p1:addLabels({ l1, l2 })
    c1:addLabels({ l1, l3 })
  end)

  after_each(function() db:close() end)

  it("unique = false makes no composite UNIQUE on the through table", function()
    local r = db:query("SELECT sql FROM sqlite_master WHERE name = 'Labelings'", { type = "SELECT" })
    assert.is_nil(r[1].sql:find("UNIQUE", 1, true))
  end)

  it("addX writes the scope into the join rows", function()
    assert.same({ { 1, 1, "post" }, { 1, 2, "post" }, { 1, 1, "comment" }, { 1, 3, "comment" } }, dump(Labeling))
  end)

  it("getX, countX and hasX read only the join rows of their scope", function()
    assert.same({ "L1", "L2" }, names(p1:getLabels({ order = { { "id", "ASC" } } }), "name"))
    assert.same({ "L1", "L3" }, names(c1:getLabels({ order = { { "id", "ASC" } } }), "name"))
    assert.equal(2, p1:countLabels())
    assert.equal(2, c1:countLabels())
    assert.is_false(p1:hasLabel(l3))
    assert.is_true(c1:hasLabel(l3))
    assert.is_true(p1:hasLabels({ l1, l2 }))
    assert.equal(1, l1:countPosts())
  end)

  it("a getter whose where names the through model joins only the join rows of its scope", function()
    local rows = p1:getLabels({ where = { ["$Labeling.id$"] = { [Op.gt] = 0 } }, order = { { "id", "ASC" } } })
    assert.same({ "L1", "L2" }, names(rows, "name"))
    assert.equal("post", rows[1].Labeling.taggable)
  end)

  it("an include of the n:m (joined, separate, through where, all) sees only its scope", function()
    local function shape(list)
      local out = {}
      for i, l in ipairs(list) do out[i] = { l.name, names(l.Posts, "title") } end
      return out
    end
    local want = { { "L1", { "p1" } }, { "L2", { "p1" } }, { "L3", {} } }
    assert.same(want, shape(Label:findAll({ include = { Post }, order = { { "id", "ASC" } } })))
    assert.same(want, shape(Label:findAll({ include = { { model = Post, separate = true } }, order = { { "id", "ASC" } } })))
    assert.same(want, shape(Label:findAll({ include = { { model = Post, through = { where = { id = { [Op.gt] = 0 } } } } },
                                            order = { { "id", "ASC" } } })))
    local ps = Post:findAll({ include = { { all = true } }, order = { { "id", "ASC" } } })
    assert.same({ "L1", "L2" }, names(ps[1].Labels, "name"))
    assert.same({}, names(ps[2].Labels, "name"))
  end)

  it("setX diffs and deletes only the join rows of its scope; createX writes the scope", function()
    c1:setLabels({ l3 })
    assert.same({ { 1, 1, "post" }, { 1, 2, "post" }, { 1, 3, "comment" } }, dump(Labeling))
    p2:createLabel({ name = "L4" })
    assert.same({ { 1, 1, "post" }, { 1, 2, "post" }, { 1, 3, "comment" }, { 2, 4, "post" } }, dump(Labeling))
  end)

  it("removeX deletes only the join rows of its scope (Sequelize 6 deletes by the two keys only)", function()
    -- post 1 and comment 1 both link label 1: Sequelize's c1.removeLabel(l1) deletes both rows
    for k in pairs(sqls) do sqls[k] = nil end
    c1:removeLabel(l1)
    local sql = table.concat(sqls, "\n")
    assert.truthy(sql:find("taggable` =", 1, true), sql)
    assert.same({ { 1, 1, "post" }, { 1, 2, "post" }, { 1, 3, "comment" } }, dump(Labeling))
    assert.same({ "L1", "L2" }, names(p1:getLabels({ order = { { "id", "ASC" } } }), "name"))
  end)

  it("the through model's hooks see add's and set's where flat, the scope's keys in it (Sequelize's)", function()
    -- Sequelize 6.37.8, Labeling's beforeFind / beforeBulkDestroy hooks:
    --   p2.addLabels([l1]): beforeFind { taggableId: 2, labelId: [ 1 ], taggable: 'post' }
    --   p1.setLabels([l2]): beforeFind { taggableId: 1, taggable: 'post' },
    --     beforeBulkDestroy { taggableId: 1, labelId: [ 1 ], taggable: 'post' }
    local seen = {}
    for _, h in ipairs({ "beforeFind", "beforeBulkDestroy", "beforeBulkUpdate" }) do
      Labeling:addHook(h, function(o)
        local w = {}
        for k, v in pairs(o.where) do w[k] = v end
        seen[#seen + 1] = { h, w }
      end)
    end
    p2:addLabels({ l1 })
    p1:setLabels({ l2 })
    assert.same({
      { "beforeFind", { taggableId = 2, labelId = { 1 }, taggable = "post" } },
      { "beforeFind", { taggableId = 1, taggable = "post" } },
      { "beforeBulkDestroy", { taggableId = 1, labelId = { 1 }, taggable = "post" } },
    }, seen)
    -- (the update of a join row's values and removeX keep the scope as well, unlike Sequelize's)
    seen = {}
    p1:addLabel(l2, { through = {} }) -- (no change: no update)
    c1:removeLabel(l3)
    assert.same({
      { "beforeFind", { taggableId = 1, labelId = { 2 }, taggable = "post" } },
      { "beforeBulkDestroy", { taggableId = 1, labelId = { 3 }, taggable = "comment" } },
    }, seen)
  end)

  it("nested create with include writes the through scope", function()
    local p = Post:create({ title = "p3", Labels = { { name = "L5" } } }, { include = { Label } })
    assert.same({ "L5" }, names(p:getLabels(), "name"))
    local rows = dump(Labeling)
    assert.same({ 3, 4, "post" }, rows[#rows])
  end)

  it("a bad through option or through scope raises naming the model", function()
    local ok, e = pcall(Comment.belongsToMany, Comment, Label,
      { as = "x", through = { model = Labeling, scope = { nope = 1 } }, foreignKey = "taggableId", otherKey = "labelId" })
    assert.is_false(ok)
    assert.truthy(tostring(e.message):find("Comment", 1, true))
    assert.truthy(tostring(e.message):find("nope", 1, true))
    ok, e = pcall(Comment.belongsToMany, Comment, Label, { as = "y", through = { model = Labeling, bogus = true } })
    assert.is_false(ok)
    assert.truthy(tostring(e.message):find("bogus", 1, true))
  end)
end)

describe("include all (Sequelize's _expandIncludeAllElement)", function()
  local db, User, Post, Tag, Project

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    local function d(n, a) return db:define(n, a, { timestamps = false }) end
    User = d("User", { name = DataTypes.STRING })
    Post = d("Post", { title = DataTypes.STRING })
    Tag = d("Tag", { name = DataTypes.STRING, kind = DataTypes.STRING })
    Project = d("Project", { name = DataTypes.STRING })
    User:hasMany(Post); Post:belongsTo(User)
    Post:hasMany(Tag, { as = "hotTags", foreignKey = "PostId", scope = { kind = "hot" } })
    Post:hasMany(Tag, { foreignKey = "PostId" })
    User:belongsToMany(Project, { through = "UserProjects" })
    User:belongsToMany(User, { through = "Follows", as = "Followers", foreignKey = "followingId", otherKey = "followerId" })
    db:sync()
    User:create({ name = "ann" })
    Post:create({ title = "p1", UserId = 1 })
    Tag:bulkCreate({ { name = "t1", kind = "hot", PostId = 1 }, { name = "t2", kind = "cold", PostId = 1 } })
  end)

  after_each(function() db:close() end)

  local function keys(inst)
    local out = {}
    for k in pairs(inst:toJSON()) do out[#out + 1] = k end
    table.sort(out)
    return out
  end

  it("keeps each association's scope; a target already included (by model, or model and as) is skipped", function()
    local p = Post:findOne({ where = { id = 1 }, include = { { all = true } } })
    assert.same({ "User", "UserId", "hotTags", "id", "title" }, keys(p))
    assert.same({ "t1" }, names(p.hotTags, "name"))
    p = Post:findOne({ where = { id = 1 }, include = { { all = true }, { model = Tag } }, order = { { "Tags", "id", "ASC" } } })
    assert.same({ "Tags", "User", "UserId", "hotTags", "id", "title" }, keys(p))
    assert.same({ "t1" }, names(p.hotTags, "name"))
    assert.same({ "t1", "t2" }, names(p.Tags, "name"))
  end)

  it("gives each association the all item's other options (required, attributes)", function()
    User:create({ name = "bob" })
    local us = User:findAll({ include = { { all = "HasMany", required = true, attributes = { "id" } } } })
    assert.equal(1, #us)
    assert.same({ { id = 1 } }, us[1].Posts and { us[1].Posts[1]:toJSON() })
  end)

  it("includes a self-association at the top level; Many is HasMany only", function()
    assert.same({ "Followers", "Posts", "Projects", "id", "name" },
      keys(User:findOne({ where = { id = 1 }, include = { { all = true } } })))
    assert.same({ "Posts", "id", "name" }, keys(User:findOne({ where = { id = 1 }, include = { { all = "Many" } } })))
    local ok, e = pcall(User.findAll, User, { include = { { all = "BelongsToMany" } } })
    assert.is_false(ok)
    assert.truthy(tostring(e.message):find("include all 'BelongsToMany' is not valid", 1, true))
  end)

  it("takes a list of kinds (their union; 'All' in it is every kind)", function()
    -- Sequelize 6.37.8, Object.keys(toJSON()).sort(): ["User","UserId","hotTags","id","title"];
    -- ["Followers","Posts","Projects","id","name"]; ['Many', 'BelongsToMany']: SequelizeEagerLoadingError
    -- "include all 'BelongsToMany' is not valid - must be BelongsTo, HasOne, HasMany, One, Has, Many or All"
    assert.same({ "User", "UserId", "hotTags", "id", "title" },
      keys(Post:findOne({ where = { id = 1 }, include = { { all = { "BelongsTo", "Many" } } } })))
    assert.same({ "Followers", "Posts", "Projects", "id", "name" },
      keys(User:findOne({ where = { id = 1 }, include = { { all = { "All", "Bogus" } } } })))
    local ok, e = pcall(User.findAll, User, { include = { { all = { "Many", "BelongsToMany" } } } })
    assert.is_false(ok)
    assert.equal("SequelizeEagerLoadingError", e.name)
    assert.equal("include all 'BelongsToMany' is not valid - must be BelongsTo, HasOne, HasMany, One, Has, Many or All", e.message)
  end)
end)

describe("association naming collision (Sequelize's checkNamingCollision)", function()
  local db, A, B
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    A = db:define("A", { name = DataTypes.STRING }, { timestamps = false })
    B = db:define("B", { x = DataTypes.STRING }, { timestamps = false })
  end)
  after_each(function() db:close() end)

  local function msg(as, model)
    return ("Naming collision between attribute '%s' and association '%s' on model %s. To remedy this, change either foreignKey or as in your association definition")
      :format(as, as, model)
  end

  it("raises for an alias that is an attribute of the source, for every association kind", function()
    for _, call in ipairs({
      function() A:hasMany(B, { as = "name" }) end,
      function() A:hasOne(B, { as = "name" }) end,
      function() A:belongsTo(B, { as = "name" }) end,
      function() A:belongsToMany(B, { as = "name", through = "AB" }) end,
    }) do
      local ok, e = pcall(call)
      assert.is_false(ok)
      assert.equal(msg("name", "A"), e.message)
    end
    assert.is_nil(A.associations.name)
  end)

  it("raises for a belongsTo whose foreignKey is its alias", function()
    local ok, e = pcall(B.belongsTo, B, A, { as = "owner", foreignKey = "owner" })
    assert.is_false(ok)
    assert.equal(msg("owner", "B"), e.message)
  end)

  it("an alias beside the attribute's name is fine", function()
    A:hasMany(B, { as = "names" })
    assert.truthy(A.associations.names)
  end)
end)

describe("n:m getter raw rows", function()
  local db, User, Project, UserProject, u
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    Project = db:define("Project", { name = DataTypes.STRING }, { timestamps = false })
    UserProject = db:define("UserProject", { role = DataTypes.STRING }, { timestamps = false })
    User:belongsToMany(Project, { through = UserProject })
    Project:belongsToMany(User, { through = UserProject })
    db:sync()
    u = User:create({ name = "ann" })
    Project:bulkCreate({ { name = "alpha" }, { name = "beta" } })
    UserProject:bulkCreate({ { UserId = 1, ProjectId = 1, role = "lead" }, { UserId = 1, ProjectId = 2, role = "dev" } })
  end)
  after_each(function() db:close() end)

  it("raw = true gives Sequelize's raw rows, the join columns as Through.column", function()
    local rows = u:getProjects({ raw = true, order = { { "id", "ASC" } } })
    assert.same({ { id = 1, name = "alpha", ["UserProject.UserId"] = 1, ["UserProject.ProjectId"] = 1, ["UserProject.role"] = "lead" },
                  { id = 2, name = "beta", ["UserProject.UserId"] = 1, ["UserProject.ProjectId"] = 2, ["UserProject.role"] = "dev" } },
                rows)
    assert.is_nil(getmetatable(rows[1]))
  end)

  it("raw with nest puts the join row under the through model's name", function()
    local rows = u:getProjects({ raw = true, nest = true, order = { { "id", "ASC" } } })
    assert.same({ id = 1, name = "alpha", UserProject = { UserId = 1, ProjectId = 1, role = "lead" } }, rows[1])
    assert.is_nil(rawget(rows[1], 0))
  end)

  it("raw with joinTableAttributes and attributes: only those", function()
    local rows = u:getProjects({ raw = true, attributes = { "name" }, joinTableAttributes = { "role" },
                                 order = { { "id", "ASC" } } })
    assert.same({ name = "alpha", ["UserProject.role"] = "lead" }, rows[1])
    rows = u:getProjects({ raw = true, attributes = { "name" }, joinTableAttributes = {}, order = { { "id", "ASC" } } })
    assert.same({ { name = "alpha" }, { name = "beta" } }, rows)
    assert.is_true(u:hasProjects({ 1, 2 }))
  end)
end)

describe("a through model that declares both keys and no primary key", function()
  it("gets the two keys as its composite primary key, as Sequelize's", function()
    -- Sequelize: CREATE TABLE `Labelings` (`labelId` INTEGER NOT NULL, `taggableId` INTEGER
    -- NOT NULL, `taggable` VARCHAR(255), PRIMARY KEY (`labelId`, `taggableId`)); "labelId"
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:" })
    local function d(n, a) return db:define(n, a, { timestamps = false }) end
    local Post, Label = d("Post", { title = DataTypes.STRING }), d("Label", { name = DataTypes.STRING })
    local Labeling = d("Labeling", { labelId = DataTypes.INTEGER, taggableId = DataTypes.INTEGER,
                                     taggable = DataTypes.STRING })
    Post:belongsToMany(Label, { through = { model = Labeling, unique = false, scope = { taggable = "post" } },
                                foreignKey = "taggableId", otherKey = "labelId", constraints = false })
    db:sync()
    local sql = db:query("SELECT sql FROM sqlite_master WHERE name = 'Labelings'", { type = "SELECT" })[1].sql
    assert.truthy(sql:find("`labelId` INTEGER NOT NULL", 1, true), sql)
    assert.truthy(sql:find("`taggableId` INTEGER NOT NULL", 1, true), sql)
    assert.truthy(sql:find("PRIMARY KEY (`labelId`, `taggableId`)", 1, true), sql)
    assert.equal("labelId", Labeling.primaryKeyAttribute)
    assert.same({ "labelId", "taggableId" }, Labeling.primaryKeyAttributes)
    local p, l = Post:create({ title = "p" }), Label:create({ name = "l" })
    p:addLabel(l)
    local ok, err = pcall(Labeling.create, Labeling, { labelId = 1, taggableId = 1, taggable = "comment" })
    assert.is_false(ok)
    assert.equal("SequelizeUniqueConstraintError", err.name)
    db:close()
  end)
end)

describe("association object fields", function()
  it("throughModel, isSelfAssociation, isSingleAssociation / isMultiAssociation, options.name", function()
    -- Sequelize: a.throughModel.name 'UserProject', a.isSelfAssociation false, a self hasMany's
    -- true, belongsTo isSingleAssociation true, a.options.name {"plural":"Projects","singular":"Project"}
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Project = db:define("Project", { name = DataTypes.STRING }, { timestamps = false })
    local UP = db:define("UserProject", { role = DataTypes.STRING }, { timestamps = false })
    local opts = { through = UP }
    local a = User:belongsToMany(Project, opts)
    local h = User:hasMany(User, { as = "kids" })
    local b = User:belongsTo(Project)
    assert.are.equal(UP, a.throughModel)
    assert.is_false(a.isSelfAssociation)
    assert.is_true(h.isSelfAssociation)
    assert.is_true(a.isMultiAssociation)
    assert.is_true(b.isSingleAssociation)
    assert.is_nil(h.isSingleAssociation)
    assert.are.same({ singular = "Project", plural = "Projects" }, a.options.name)
    assert.are.same({ singular = "kid", plural = "kids" }, h.options.name)
    -- an aliased to-one association's is the singular alone (Sequelize 6.37.8: {"singular":"dad"});
    -- an unaliased one's the target's names ({"plural":"Projects","singular":"Project"})
    assert.are.same({ singular = "dad" }, User:belongsTo(User, { as = "dad" }).options.name)
    assert.are.same({ singular = "Project", plural = "Projects" }, b.options.name)
    assert.is_nil(opts.name) -- (the caller's table is left as it was)
    db:close()
  end)
end)

-- What the accessors return, as Sequelize 6's (checked with sequelize@6 + sqlite3): n:m addX
-- gives the join rows it created (or 1 for an updated one, nil when nothing changed), removeX
-- the number of join rows deleted, setX every step's result; belongsTo setX with
-- save = false nothing.
describe("accessor return values", function()
  local db, User, Task, Tag, UT, u, t1, g1, g2
  before_each(function()
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:" })
    User = db:define("User", { name = DataTypes.STRING })
    Task = db:define("Task", { title = DataTypes.STRING })
    Tag = db:define("Tag", { name = DataTypes.STRING })
    UT = db:define("UserTags", { role = DataTypes.STRING })
    User:hasMany(Task); Task:belongsTo(User)
    User:belongsToMany(Tag, { through = UT }); Tag:belongsToMany(User, { through = UT })
    db:sync()
    u = User:create({ name = "a" })
    t1 = Task:create({ title = "x" })
    g1, g2 = Tag:create({ name = "g1" }), Tag:create({ name = "g2" })
  end)
  after_each(function() db:close() end)

  it("n:m addX returns the join rows created, { 1 } for a changed one, nil for none", function()
    -- Sequelize 6.37.8: u.addTag(g1, { through: { role: 'r' } }) on a linked g1 -> [1] (through.update's)
    local rows = u:addTags({ g1, g2 })
    assert.equal(2, #rows)
    assert.same({ 1, 1 }, { rows[1].UserId, rows[1].TagId })
    assert.same({ 1, 2 }, { rows[2].UserId, rows[2].TagId })
    assert.is_true(getmetatable(rows[1]) == UT._mt)
    assert.is_nil(u:addTags({ g1 }))
    assert.is_nil(u:addTags({}))
    local r = u:addTag(g1, { through = { role = "r" } })
    assert.same({ 1 }, r)
    assert.equal("[1]", Sequelize.stringify(r))
    assert.equal("r", UT:findOne({ where = { TagId = 1 } }).role)
    assert.is_nil(u:addTag(g1, { through = { role = "r" } })) -- (the same value: no change)
  end)

  it("n:m removeX returns the number of join rows deleted", function()
    u:addTags({ g1, g2 })
    assert.equal(2, u:removeTags({ g1, g2 }))
    assert.equal(0, u:removeTag(g1))
    assert.equal(0, u:removeTags({}))
  end)

  it("n:m setX returns the updates, the count deleted and the rows created, in Sequelize's order", function()
    -- Sequelize 6.37.8: setTags([g2]) replacing g1 -> [1,[{UserId:1,TagId:2,...}]];
    -- setTags([g2], { through: { role: 'q' } }) keeping g2 -> [[1]]; setTags([]) -> [1]
    u:addTags({ g1 })
    local r = u:setTags({ g2 })
    assert.equal(2, #r)
    assert.equal(1, r[1])
    assert.equal(2, r[2][1].TagId)
    assert.same({}, u:setTags({ g2 }))
    r = u:setTags({ g2 }, { through = { role = "q" } })
    assert.same({ { 1 } }, r)
    assert.equal("[[1]]", Sequelize.stringify(r))
    -- a kept row given through values is updated even when they are its own (Sequelize's set
    -- has no change check; its addX has one)
    assert.same({ { 1 } }, u:setTags({ g2 }, { through = { role = "q" } }))
    assert.is_nil(u:addTags({ g2 }, { through = { role = "q" } }))
    assert.same({ 1 }, u:setTags({}))
    assert.equal(0, UT:count())
  end)

  it("n:m accessors read a through model's rejectOnEmpty join rows without raising", function()
    -- Sequelize 6.37.8, through model defined with { rejectOnEmpty: true }, no join row:
    -- getTags() -> [], countTags() -> 0, addTag(g) -> [{...}] created, setTags([]) then -> [1],
    -- another's setTags([g]) -> [[{...}]], hasTag(g) -> false (its add and set catch the
    -- EmptyResultError; the getter joins the rows)
    local Strict = db:define("StrictTags", { role = DataTypes.STRING }, { rejectOnEmpty = true })
    User:belongsToMany(Tag, { through = Strict, as = "marks" })
    db:sync()
    local g = Tag:create({ name = "g" })
    local v = User:create({ name = "v" })
    assert.same({}, v:getMarks())
    assert.equal(0, v:countMarks())
    assert.is_false(v:hasMark(g))
    assert.equal(g.id, v:addMark(g)[1].TagId)
    assert.same({ 1 }, v:setMarks({}))
    assert.equal(g.id, User:create({ name = "w" }):setMarks({ g })[1][1].TagId)
    assert.equal(1, Strict:count())
  end)

  it("belongsTo setX returns the saved source, nothing with save = false", function()
    assert.is_nil(t1:setUser(u, { save = false }))
    assert.equal(1, t1.UserId)
    assert.is_true(t1:setUser(u) == t1)
    assert.equal(1, Task:findByPk(1).UserId)
  end)

  it("hasMany addX / setX return the source, removeX the association (as Sequelize's)", function()
    assert.is_true(u:addTask(t1) == u)
    assert.is_true(u:setTasks({}) == u)
    assert.is_true(u:removeTask(t1) == User.associations.Tasks)
  end)

  it("getXs with plain = true returns the first target (an n:m's with its join row)", function()
    u:addTags({ g1, g2 })
    u:addTask(t1)
    local g = u:getTags({ plain = true, order = { { "id", "DESC" } } })
    assert.equal("g2", g.name)
    assert.same({ 1, 2 }, { g.UserTags.UserId, g.UserTags.TagId })
    local r = u:getTags({ plain = true, raw = true })
    assert.equal("g1", r.name)
    assert.equal(1, r["UserTags.TagId"])
    assert.equal("x", u:getTasks({ plain = true }).title)
    assert.is_nil(u:getTags({ plain = true, where = { name = "none" } }))
  end)

  it("hasOne setX returns the target saved, nil for null or the one already set", function()
    local Prof = db:define("Prof", { bio = DataTypes.STRING })
    User:hasOne(Prof)
    db:sync()
    local p = Prof:create({ bio = "b" })
    assert.is_true(u:setProf(p) == p)
    assert.is_nil(u:setProf(p))
    assert.is_nil(u:setProf(nil))
    assert.is_nil(Prof:findByPk(1).UserId)
  end)
end)

-- A join model an n:m defines (through = "Name") is defined as Sequelize's: with the
-- association's timestamps, createdAt, updatedAt and deletedAt over the db's define options,
-- and paranoid from through.paranoid.
describe("n:m join model defined by name", function()
  local function ddl(dbopts, aopts, name)
    local sql
    local o = { dialect = "sqlite", storage = ":memory:",
                logging = function(q) if q:find("CREATE TABLE IF NOT EXISTS `" .. (name or "UserTags") .. "`", 1, true) then sql = q end end }
    for k, v in pairs(dbopts) do o[k] = v end
    local db = Sequelize.new(o)
    local User = db:define("User", { name = DataTypes.STRING })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    local ao = { through = "UserTags" }
    for k, v in pairs(aopts) do ao[k] = v end
    User:belongsToMany(Tag, ao)
    db:sync()
    return sql, db
  end
  local KEYS = "`UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
    .. "`TagId` INTEGER NOT NULL REFERENCES `Tags` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (`UserId`, `TagId`));"

  it("timestamps = false, on the association or the db's define, leaves the time stamps out", function()
    local sql, db = ddl({}, { timestamps = false })
    assert.equal("Executing (default): CREATE TABLE IF NOT EXISTS `UserTags` (" .. KEYS, sql)
    local u, g = db.models.User:create({ name = "a" }), db.models.Tag:create({ name = "g" })
    assert.equal(1, #u:addTag(g))
    assert.equal(1, u:countTags())
    assert.is_false(db.models.UserTags.options.timestamps)
    db:close()
    sql, db = ddl({ define = { timestamps = false } }, {})
    assert.equal("Executing (default): CREATE TABLE IF NOT EXISTS `UserTags` (" .. KEYS, sql)
    db:close()
    sql, db = ddl({ define = { timestamps = false } }, { timestamps = true })
    assert.truthy(sql:find("`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `UserId`", 1, true))
    db:close()
  end)

  it("createdAt / updatedAt rename or drop a time stamp", function()
    local sql, db = ddl({}, { createdAt = "made", updatedAt = false })
    assert.equal("Executing (default): CREATE TABLE IF NOT EXISTS `UserTags` (`made` DATETIME NOT NULL, " .. KEYS, sql)
    db.models.User:create({ name = "a" }):addTag(db.models.Tag:create({ name = "g" }))
    assert.is_string(db.models.UserTags:findOne().made)
    db:close()
  end)

  it("the source model's own time stamp names come first, with the db's define ones (Sequelize copies source.options)", function()
    local function stamps(dbopts, uopts, aopts)
      local o = { dialect = "sqlite", storage = ":memory:" }
      for k, v in pairs(dbopts) do o[k] = v end
      local db = Sequelize.new(o)
      local User = db:define("User", { name = DataTypes.STRING }, uopts)
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      local ao = { through = "UserTags" }
      for k, v in pairs(aopts) do ao[k] = v end
      User:belongsToMany(Tag, ao)
      local names = {}
      for k in pairs(db.models.UserTags.rawAttributes) do names[#names + 1] = k end
      table.sort(names)
      db:close()
      return table.concat(names, ",")
    end
    -- Sequelize 6.37.8: ["made","updatedAt","UserId","TagId"], [..."gone"...], ["dc",...], ["createdAt",...]
    assert.equal("TagId,UserId,made,updatedAt", stamps({}, { createdAt = "made" }, {}))
    assert.equal("TagId,UserId,createdAt,gone,updatedAt",
      stamps({}, { paranoid = true, deletedAt = "gone" }, { through = { model = "UserTags", paranoid = true } }))
    assert.equal("TagId,UserId,dc,updatedAt", stamps({ define = { createdAt = "dc" } }, {}, { createdAt = "c1" }))
    assert.equal("TagId,UserId,createdAt", stamps({}, { updatedAt = false }, {}))
    -- timestamps stays the association's (the source's own timestamps = false does not carry)
    assert.equal("TagId,UserId,createdAt,updatedAt", stamps({}, { timestamps = false }, {}))
  end)

  it("through = { model = name, paranoid = true } soft-deletes join rows, as Sequelize", function()
    local sql, db = ddl({}, { through = { model = "X", paranoid = true } }, "X")
    assert.truthy(sql:find("`updatedAt` DATETIME NOT NULL, `deletedAt` DATETIME, `UserId`", 1, true))
    local User, Tag, X = db.models.User, db.models.Tag, db.models.X
    local u = User:create({ name = "a" })
    local g1, g2 = Tag:create({ name = "g1" }), Tag:create({ name = "g2" })
    u:addTags({ g1, g2 })
    assert.equal(1, u:removeTag(g1))
    assert.equal(2, #db:query("SELECT * FROM X", { type = "SELECT" }))
    assert.same({ "g2" }, names(u:getTags(), "name"))
    assert.equal(1, u:countTags())
    assert.is_false(u:hasTag(g1))
    assert.same({ "g2" }, names(User:findAll({ include = Tag })[1].Tags, "name"))
    assert.is_true(X.options.paranoid)
    assert.equal(1, X:count())
    db:close()
  end)

  it("refuses bad time stamp options, and them on other associations", function()
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:" })
    local User = db:define("User", {})
    local Tag = db:define("Tag", {})
    assert.has_error(function() User:belongsToMany(Tag, { through = "T", timestamps = "no" }) end,
      "SequelizeAssociationError: User.belongsToMany: timestamps must be a boolean, got string")
    assert.has_error(function() User:belongsToMany(Tag, { through = "T", createdAt = 5 }) end,
      "SequelizeAssociationError: User.belongsToMany: createdAt must be a name or false")
    assert.has_error(function() User:hasMany(Tag, { timestamps = false }) end,
      "SequelizeAssociationError: User.hasMany: unknown option 'timestamps'")
    assert.is_nil(db.models.T)
    db:close()
  end)
end)

-- include.on: the join condition written instead of the association's keys (SQL checked
-- against Sequelize 6's), ANDed with the include's where
describe("include on", function()
  local db, User, Post, sqls
  before_each(function()
    sqls = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(q) sqls[#sqls + 1] = q end })
    User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    Post = db:define("Post", { author = DataTypes.STRING, title = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post, { foreignKey = "author", sourceKey = "name", constraints = false })
    Post:belongsTo(User, { foreignKey = "author", targetKey = "name", constraints = false })
    db:sync()
    User:bulkCreate({ { name = "a" }, { name = "b" } })
    Post:bulkCreate({ { author = "a", title = "t1" }, { author = "a", title = "t2" }, { author = "b", title = "t3" } })
    sqls = {}
  end)
  after_each(function() db:close() end)

  it("replaces the keys' condition: Op.col, Sequelize.where with a comparator, $Model.col$ keys", function()
    local r = User:findAll({ include = { { model = Post, on = { author = { [Op.col] = "User.name" },
                                                                 title = { [Op.ne] = "t2" } } } },
                             order = { { "id", "ASC" } } })
    -- Sequelize: [{"id":1,"name":"a","Posts":[{"id":1,"author":"a","title":"t1"}]},{"id":2,...}]
    assert.equal('{"id":1,"name":"a","Posts":[{"id":1,"author":"a","title":"t1"}]}', tostring(r[1]))
    assert.equal('{"id":2,"name":"b","Posts":[{"id":3,"author":"b","title":"t3"}]}', tostring(r[2]))
    assert.truthy(sqls[1]:find("LEFT OUTER JOIN `Posts` AS `Posts` ON `Posts`.`author` = `User`.`name` AND `Posts`.`title` != ?", 1, true))
    r = User:findAll({ include = { { model = Post, required = true, where = { title = "t1" },
                                     on = Sequelize.where(Sequelize.col("Posts.author"), "=", Sequelize.col("User.name")) } } })
    assert.equal(1, #r)
    assert.same({ "t1" }, names(r[1].Posts, "title"))
    assert.truthy(sqls[2]:find("INNER JOIN `Posts` AS `Posts` ON `Posts`.`author` = `User`.`name` AND `Posts`.`title` = ?", 1, true))
    r = Post:findAll({ include = { { model = User, on = { ["$User.name$"] = { [Op.col] = "Post.author" } } } },
                       order = { { "id", "ASC" } } })
    assert.same({ "a", "a", "b" }, { r[1].User.name, r[2].User.name, r[3].User.name })
    assert.truthy(sqls[3]:find("LEFT OUTER JOIN `Users` AS `User` ON `User`.`name` = `Post`.`author`", 1, true))
  end)

  it("a condition other than the keys joins other rows", function()
    -- every post joined to every user whose name is not its author
    local r = User:findAll({ include = { { model = Post, on = { author = { [Op.ne] = Sequelize.col("User.name") } } } },
                             order = { { "id", "ASC" }, { Post, "id", "ASC" } } })
    assert.same({ "t3" }, names(r[1].Posts, "title"))
    assert.same({ "t1", "t2" }, names(r[2].Posts, "title"))
    -- paging parents with it (a required to-many include), and count
    r = User:findAll({ include = { { model = Post, required = true, on = { author = { [Op.ne] = Sequelize.col("User.name") } } } },
                       order = { { "id", "DESC" } }, limit = 1 })
    assert.equal(1, #r)
    assert.equal("b", r[1].name)
    assert.same({ "t1", "t2" }, names(r[1].Posts, "title"))
    assert.equal(2, User:count({ include = { { model = Post, required = true, on = { title = "t3", author = "b" } } } }))
    assert.equal(1, User:count({ include = { { model = Post, required = true, on = { title = "t3", author = { [Op.col] = "User.name" } } } } }))
  end)

  it("is refused on an n:m or separate include, or when not a table", function()
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    User:belongsToMany(Tag, { through = "UserTags" })
    local ok, err = pcall(User.findAll, User, { include = { { model = Tag, on = { name = "x" } } } })
    assert.is_false(ok)
    assert.equal("include Tags of User: `on` is for a joined one-to-one or one-to-many include", err.message)
    ok, err = pcall(User.findAll, User, { include = { { model = Post, separate = true, on = { title = "x" } } } })
    assert.is_false(ok)
    ok, err = pcall(User.findAll, User, { include = { { model = Post, on = "x" } } })
    assert.is_false(ok)
    assert.truthy(err.message:find("`on` must be a where", 1, true))
    ok, err = pcall(Sequelize.where, Sequelize.col("Posts.author"), "===", Sequelize.col("User.name"))
    assert.is_false(ok)
    assert.truthy(err.message:find("unknown comparator '==='", 1, true))
    ok, err = pcall(User.findAll, User, { include = { { model = Post, on = { nope = 1 } } } })
    assert.is_false(ok)
    assert.truthy(err.message:find("nope", 1, true))
  end)
end)

describe("association keys and n:m writes (Sequelize parity, 2026-12-06 hunt)", function()
  local db, log
  before_each(function()
    log = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(s) log[#log + 1] = s end })
  end)
  after_each(function() db:close() end)

  local function create_of(t)
    for _, s in ipairs(log) do
      local sql = s:match("CREATE TABLE IF NOT EXISTS `" .. t .. "` .*$")
      if sql then return sql end
    end
  end

  it("foreignKey / otherKey = { name, field, unique } name the key's column; primaryKey there is refused", function()
    local U = db:define("U", { name = DataTypes.STRING }, { timestamps = false })
    local F = db:define("F", { x = DataTypes.STRING }, { timestamps = false })
    local P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    local O = db:define("O", {}, { timestamps = false })
    U:hasMany(F, { foreignKey = { name = "uid", field = "u_id" } })
    U:belongsToMany(P, { through = "UP", foreignKey = { name = "uid", field = "u_col" },
                         otherKey = { name = "pid", field = "p_col" } })
    O:belongsTo(U, { foreignKey = { name = "ownerId", unique = true } })
    db:sync()
    assert.truthy(create_of("Fs"):find("`u_id` INTEGER REFERENCES", 1, true))
    assert.truthy(create_of("UP"):find("PRIMARY KEY (`u_col`, `p_col`)", 1, true))
    assert.truthy(create_of("Os"):find("`ownerId` INTEGER UNIQUE", 1, true))
    local u = U:create({ name = "a" })
    assert.are.equal(u.id, u:createF({ x = "1" }).uid)
    u:addP(P:create({ t = "p" }))
    assert.are.same({ { u_col = 1, p_col = 1 } }, db:query("SELECT u_col, p_col FROM UP", { type = "SELECT" }))
    assert.are.equal("p", U:findOne({ include = { P } }).Ps[1].t)
    -- (Sequelize 6.37.8 makes `id` INTEGER NOT NULL AUTOINCREMENT, ..., PRIMARY KEY (`id`, `z`), which SQLite refuses)
    local err = select(2, pcall(U.hasMany, U, O, { foreignKey = { name = "z", primaryKey = true } }))
    assert.are.equal("U.hasMany: foreignKey.primaryKey is not supported (Sequelize's table for it cannot be made)", err.message)
  end)

  it("a key into part of a composite primary key gets no REFERENCES (Sequelize); a later field leaves an existing key", function()
    local C = db:define("Comp", { a = { type = DataTypes.INTEGER, primaryKey = true },
                                  b = { type = DataTypes.INTEGER, primaryKey = true } }, { timestamps = false })
    local L = db:define("Like", { x = DataTypes.INTEGER }, { timestamps = false })
    local U = db:define("U", {}, { timestamps = false })
    local Po = db:define("Po", {}, { timestamps = false })
    L:belongsTo(C)
    U:hasMany(Po, { foreignKey = "authorId" })
    Po:belongsTo(U, { foreignKey = { name = "authorId", field = "author_id" } })
    db:sync()
    assert.is_falsy(create_of("Likes"):find("REFERENCES", 1, true))
    C:create({ a = 1, b = 1 })
    assert.are.equal(2, L:create({ x = 2, CompA = 1 }).x)
    assert.truthy(create_of("Pos"):find("`authorId` INTEGER REFERENCES", 1, true))
  end)

  it("a through model named by a string that is defined takes its scope", function()
    local P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    local Tag = db:define("Tag", { n = DataTypes.STRING }, { timestamps = false })
    db:define("PT2", { role = DataTypes.STRING }, { timestamps = false })
    P:belongsToMany(Tag, { through = { model = "PT2", scope = { role = "sec" } } })
    db:sync()
    local p = P:create({ t = "p" })
    p:addTag(Tag:create({ n = "t" }))
    assert.are.same({ { role = "sec" } }, db:query("SELECT role FROM PT2s", { type = "SELECT" }))
  end)

  it("n:m add, set and create validate the join rows; ids may be numeric strings; an unsaved target raises", function()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Pr = db:define("Project", { t = DataTypes.STRING }, { timestamps = false })
    local UP = db:define("UP", { role = { type = DataTypes.STRING, allowNull = false,
      validate = { isIn = { { "a", "b" } } } } }, { timestamps = false })
    U:belongsToMany(Pr, { through = UP })
    db:sync()
    local u, p = U:create({ name = "u" }), Pr:create({ t = "p" })
    local function catch(f, ...) return select(2, pcall(f, ...)) end
    assert.are.equal("AggregateError", catch(u.addProject, u, p, { through = { role = "zz" } }).name)
    assert.are.equal("AggregateError", catch(u.addProject, u, p).name)
    assert.are.equal("AggregateError", catch(u.createProject, u, { t = "q" }, { through = { role = "zz" } }).name)
    assert.are.equal(0, UP:count())
    u:addProject(p, { through = { role = "a" } })
    u:setProjects({ tostring(p.id) }, { through = { role = "b" } }) -- (an id from a request)
    assert.are.same({ { role = "b" } }, db:query("SELECT role FROM UPs", { type = "SELECT" }))
    assert.are.equal("User.addProject: the Project to add has no value for its key (save it first)",
      catch(u.addProject, u, Pr:build({ t = "zz" })).message)
    -- (the message names the accessor called; Sequelize 6.37.8 inserts a NULL key there and
    -- reports the join table's SequelizeUniqueConstraintError)
    assert.are.equal("User.addProjects: the Project to add has no value for its key (save it first)",
      catch(u.addProjects, u, { Pr:build({ t = "zz" }) }).message)
    assert.are.equal("User.setProjects: the Project to set has no value for its key (save it first)",
      catch(u.setProjects, u, { p, Pr:build({ t = "zz" }) }).message)
    -- a join row already there, given new values: the through model's static update
    local seen = {}
    UP:addHook("beforeBulkUpdate", function() seen[#seen + 1] = "bulk" end)
    UP:addHook("beforeUpdate", function() seen[#seen + 1] = "instance" end)
    u:addProject(p, { through = { role = "a" } })
    assert.are.same({ "bulk" }, seen)
    assert.are.same({ { role = "a" } }, db:query("SELECT role FROM UPs", { type = "SELECT" }))
  end)
end)
