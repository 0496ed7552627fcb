-- nested_create_spec: create(values, { include = ... }) and bulkCreate(list, { include = ... }).
--
-- Order of work (Sequelize 6.37.8, model.js save, checked with /tmp/seqref2/mine/c4.js, c5.js):
-- belongsTo parents are saved first and their key copied into the row, then the row is inserted,
-- then hasOne/hasMany children (key set to the new row's key) and belongsToMany targets, each
-- followed by its join row, whose extra values come from the target's values under the through
-- model's name. Sequelize opens no transaction (a failing child leaves the parent written);
-- shared/API.md and issue 3 make the port atomic: any failure leaves nothing written, and inside
-- an outer transaction the nested create runs in a savepoint.
--
-- Returned instances hold the children under the include keys. JSON expectations are Sequelize's
-- JSON.stringify output rearranged to sequelua's column order (columns, then included
-- associations in include order), with timestamps written as @D.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local S = Sequelize.stringify

local function N(x)
  return (S(x):gsub('"%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ"', "@D"))
end

-- the SQL of a logged message (the message itself when it is not "Executing (...): SQL")
local function sql_of(msg) return support.sql_of(msg) or msg end

-- INSERT statements in the log, as the table names they insert into
local function inserts(log)
  local out = {}
  for _, msg in ipairs(log) do
    local t = sql_of(msg):match("^INSERT INTO `([^`]+)`")
    if t then out[#out + 1] = t end
  end
  return out
end

-- the same names, in any order
local function same_names(expected, actual)
  local a, b = {}, {}
  for i, v in ipairs(expected) do a[i] = v end
  for i, v in ipairs(actual) do b[i] = v end
  table.sort(a); table.sort(b)
  assert.are.same(a, b)
end

local function setup(log)
  local db = support.open(log)
  local M = { db = db }
  M.User = db:define("User", { name = DataTypes.STRING })
  M.Profile = db:define("Profile", { bio = DataTypes.STRING })
  M.Post = db:define("Post", { title = { type = DataTypes.STRING, allowNull = false } })
  M.Tag = db:define("Tag", { name = { type = DataTypes.STRING, unique = true } })
  M.PostTags = db:define("PostTags", { weight = DataTypes.INTEGER })
  M.User:hasOne(M.Profile); M.Profile:belongsTo(M.User)
  M.User:hasMany(M.Post); M.Post:belongsTo(M.User)
  M.Post:belongsToMany(M.Tag, { through = M.PostTags }); M.Tag:belongsToMany(M.Post, { through = M.PostTags })
  db:sync()
  return M
end

local function counts(M)
  return {
    users = M.User:count(), profiles = M.Profile:count(), posts = M.Post:count(),
    tags = M.Tag:count(), joins = M.PostTags:count(),
  }
end

describe("create with include", function()
  local M, log
  before_each(function()
    log = {}
    M = setup(log)
  end)
  after_each(function()
    M.db:close()
  end)

  it("hasOne and hasMany children get the new row's key and are returned under their keys", function()
    local u = M.User:create({ name = "alice", Profile = { bio = "hi" }, Posts = { { title = "A" }, { title = "B" } } },
      { include = { M.Profile, M.Post } })
    -- Sequelize: {"id":1,"name":"alice","Profile":{"id":1,"bio":"hi","UserId":1,"updatedAt":@D,"createdAt":@D},
    --   "Posts":[{"id":1,"title":"A","UserId":1,...},{"id":2,"title":"B","UserId":1,...}],"updatedAt":@D,"createdAt":@D}
    assert.are.equal('{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,'
      .. '"Profile":{"id":1,"bio":"hi","createdAt":@D,"updatedAt":@D,"UserId":1},'
      .. '"Posts":[{"id":1,"title":"A","createdAt":@D,"updatedAt":@D,"UserId":1},{"id":2,"title":"B","createdAt":@D,"updatedAt":@D,"UserId":1}]}',
      N(u))
    assert.is_false(u.isNewRecord)
    assert.is_false(u.Profile.isNewRecord)
    assert.are.equal(u.id, u.Profile.UserId)
    assert.are.equal("B", u.Posts[2].title)
    assert.are.equal(u.id, u.Posts[2].UserId)
    -- read back
    local back = M.User:findByPk(u.id, { include = { M.Profile, M.Post }, order = { { M.Post, "id", "ASC" } } })
    assert.are.equal(N(u), N(back))
    assert.are.same({ users = 1, profiles = 1, posts = 2, tags = 0, joins = 0 }, counts(M))
    -- the returned children are saved instances
    u.Posts[1]:update({ title = "A2" })
    assert.are.equal("A2", M.Post:findByPk(u.Posts[1].id).title)
  end)

  it("the top row's fields and options are its own; children take the transaction and logging", function()
    -- Sequelize creates User(name), then the Posts and Profile with every value given
    local quiet = {}
    local u = M.User:create({ name = "alice", Profile = { bio = "hi" }, Posts = { { title = "A" } } },
      { include = { M.Profile, M.Post }, fields = { "name" }, logging = function(m) quiet[#quiet + 1] = m end })
    assert.are.equal("A", M.Post:findByPk(u.Posts[1].id).title)
    assert.are.equal("hi", M.Profile:findByPk(u.Profile.id).bio)
    -- every statement, BEGIN and COMMIT included, went to the call's logger
    local kinds = {}
    for i, m in ipairs(quiet) do kinds[i] = m:match("^Executing %b(): (%u+)") end
    assert.are.same({ "BEGIN", "INSERT", "INSERT", "INSERT", "COMMIT" }, kinds)
  end)

  it("inserts the row first, then the children", function()
    support.clear(log)
    M.User:create({ name = "alice", Profile = { bio = "hi" }, Posts = { { title = "A" }, { title = "B" } } }, { include = { M.Profile, M.Post } })
    local ins = inserts(log)
    assert.are.equal("Users", ins[1])
    same_names({ "Users", "Profiles", "Posts", "Posts" }, ins)
  end)

  it("include by alias string and by { association = ... } work the same", function()
    local u = M.User:create({ name = "a", Profile = { bio = "x" } }, { include = "Profile" })
    assert.are.equal("x", u.Profile.bio)
    local v = M.User:create({ name = "b", Posts = { { title = "t" } } }, { include = { { association = "Posts" } } })
    assert.are.equal("t", v.Posts[1].title)
    assert.are.equal(v.id, M.Post:findOne{ where = { title = "t" } }.UserId)
    assert.are.equal(u.id, M.Profile:findOne{ where = { bio = "x" } }.UserId)
  end)

  it("a belongsTo parent is saved first and its key set on the row", function()
    support.clear(log)
    local p = M.Post:create({ title = "P", User = { name = "bob" } }, { include = { M.User } })
    assert.are.same({ "Users", "Posts" }, inserts(log))
    assert.are.equal("bob", p.User.name)
    assert.is_number(p.User.id)
    assert.are.equal(p.User.id, p.UserId)
    local back = M.Post:findByPk(p.id)
    assert.are.equal(p.User.id, back.UserId)
    assert.are.equal("bob", M.User:findByPk(back.UserId).name)
    -- Sequelize: {"id":1,"title":"P","User":{"id":1,"name":"bob","updatedAt":@D,"createdAt":@D},"updatedAt":@D,"createdAt":@D,"UserId":1}
    assert.are.equal('{"id":1,"title":"P","createdAt":@D,"updatedAt":@D,"UserId":1,"User":{"id":1,"name":"bob","createdAt":@D,"updatedAt":@D}}', N(p))
  end)

  it("belongsToMany targets are inserted with their join rows; join values come under the through model's name", function()
    support.clear(log)
    local p = M.Post:create({ title = "P", Tags = { { name = "js", PostTags = { weight = 5 } }, { name = "lua" } } }, { include = { M.Tag } })
    -- Sequelize: Posts, Tags, Tags, PostTags, PostTags (the targets are saved concurrently)
    local ins = inserts(log)
    assert.are.equal("Posts", ins[1])
    same_names({ "Posts", "Tags", "PostTags", "Tags", "PostTags" }, ins)
    -- the join rows: Sequelize [{"weight":5,...,"PostId":1,"TagId":1},{"weight":null,...,"PostId":1,"TagId":2}]
    local joins = M.PostTags:findAll{ order = { { "TagId", "ASC" } } }
    assert.are.equal('[{"weight":5,"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":1},{"weight":null,"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}]', N(joins))
    local tags = p:getTags{ order = { { "name", "ASC" } } }
    assert.are.equal(2, #tags)
    assert.are.equal(5, tags[1].PostTags.weight)
    assert.are.equal(2, #p.Tags)
    assert.are.equal("js", p.Tags[1].name)
    assert.is_number(p.Tags[2].id)
    -- Sequelize keeps the given join values on the returned target (tag.PostTags.weight == 5)
    assert.is_table(p.Tags[1].PostTags, "the returned target carries its join values")
    assert.are.equal(5, p.Tags[1].PostTags.weight)
  end)

  it("a belongsTo parent and belongsToMany targets in one create", function()
    local p = M.Post:create({ title = "P", User = { name = "bob" }, Tags = { { name = "js" }, { name = "lua" } } }, { include = { M.User, M.Tag } })
    assert.are.equal(p.User.id, p.UserId)
    local back = M.Post:findByPk(p.id, { include = { M.User, { model = M.Tag, through = { attributes = {} } } }, order = { { M.Tag, "id", "ASC" } } })
    assert.are.equal('{"id":1,"title":"P","createdAt":@D,"updatedAt":@D,"UserId":1,"User":{"id":1,"name":"bob","createdAt":@D,"updatedAt":@D},'
      .. '"Tags":[{"id":1,"name":"js","createdAt":@D,"updatedAt":@D},{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D}]}', N(back))
  end)

  it("nests two levels: hasMany children with their own belongsToMany targets", function()
    support.clear(log)
    local u = M.User:create({ name = "carol", Posts = { { title = "N", Tags = { { name = "go" } } }, { title = "M" } } },
      { include = { { model = M.Post, include = { M.Tag } } } })
    -- Sequelize: Users, Posts, Posts, Tags, PostTags (siblings saved concurrently)
    local ins = inserts(log)
    assert.are.equal("Users", ins[1])
    same_names({ "Users", "Posts", "Tags", "PostTags", "Posts" }, ins)
    assert.are.equal("go", u.Posts[1].Tags[1].name)
    local back = M.User:findByPk(u.id, { include = { model = M.Post, include = { model = M.Tag, through = { attributes = {} } } },
      order = { { M.Post, "id", "ASC" } } })
    assert.are.equal('{"id":1,"name":"carol","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"N","createdAt":@D,"updatedAt":@D,"UserId":1,'
      .. '"Tags":[{"id":1,"name":"go","createdAt":@D,"updatedAt":@D}]},{"id":2,"title":"M","createdAt":@D,"updatedAt":@D,"UserId":1,"Tags":[]}]}', N(back))
  end)

  it("nests two levels under a belongsTo parent: the parent and its children are saved before the row", function()
    support.clear(log)
    local pr = M.Profile:create({ bio = "b", User = { name = "u", Posts = { { title = "x" }, { title = "y" } } } },
      { include = { { model = M.User, include = { M.Post } } } })
    -- Sequelize: INSERT Users, Posts, Posts, then Profiles
    assert.are.same({ "Users", "Posts", "Posts", "Profiles" }, inserts(log))
    assert.are.equal(pr.User.id, pr.UserId)
    assert.are.equal(2, #pr.User.Posts)
    local back = M.User:findOne{ include = { M.Profile, M.Post }, order = { { M.Post, "id", "ASC" } } }
    assert.are.equal("b", back.Profile.bio)
    assert.are.same({ "x", "y" }, { back.Posts[1].title, back.Posts[2].title })
  end)

  it("an include whose key is absent, null or an empty list writes only the row", function()
    local g = M.User:create({ name = "g" }, { include = { M.Profile, M.Post } })
    assert.are.equal('{"id":1,"name":"g","createdAt":@D,"updatedAt":@D}', N(g))
    assert.is_nil(g.Profile)
    local f = M.User:create({ name = "f", Profile = Sequelize.null }, { include = { M.Profile } })
    assert.are.equal('{"id":2,"name":"f","createdAt":@D,"updatedAt":@D,"Profile":null}', N(f))
    local e = M.User:create({ name = "e", Posts = {} }, { include = { M.Post } })
    assert.are.equal('{"id":3,"name":"e","createdAt":@D,"updatedAt":@D,"Posts":[]}', N(e))
    assert.are.same({ users = 3, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
  end)

  it("null for a to-many include writes no rows and shows an empty list", function()
    -- Sequelize 6.37.8 builds one target row of nothing from null and writes it:
    -- {"id":2,"name":"d","Posts":[{"id":1,"UserId":2}]}, {"id":2,"title":"t","Tags":[{"id":1}]};
    -- sequelua writes none (see README), but the list stays a list, as for Posts = []
    local d = M.User:create({ name = "d", Posts = Sequelize.null }, { include = { M.Post } })
    assert.are.equal('{"id":1,"name":"d","createdAt":@D,"updatedAt":@D,"Posts":[]}', N(d))
    assert.are.equal(0, #d.Posts)
    local p = M.Post:create({ title = "t", Tags = Sequelize.null }, { include = { M.Tag } })
    assert.are.equal('{"id":1,"title":"t","createdAt":@D,"updatedAt":@D,"Tags":[]}', N(p))
    local b = M.User:build({ name = "b", Posts = Sequelize.null }, { include = { M.Post } })
    -- (Sequelize 6.37.8: {"id":null,"name":"b","Posts":[{"id":null}]}; the key not given is null)
    assert.are.equal('{"id":null,"name":"b","Posts":[]}', N(b))
    local list = M.User:bulkCreate({ { name = "x", Posts = Sequelize.null } }, { include = { M.Post } })
    assert.are.equal('[]', S(list[1].Posts))
    assert.are.same({ users = 2, profiles = 0, posts = 1, tags = 0, joins = 0 }, counts(M))
  end)

  it("nested values without the include option are ignored", function()
    local h = M.User:create({ name = "h", Posts = { { title = "ignored" } }, Profile = { bio = "ignored" } })
    assert.are.equal('{"id":1,"name":"h","createdAt":@D,"updatedAt":@D}', N(h))
    assert.are.same({ users = 1, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
  end)

  it("build(values, { include }) then save() does the same as create", function()
    local u = M.User:build({ name = "b", Posts = { { title = "p1" } } }, { include = { M.Post } })
    assert.is_true(u.isNewRecord)
    u:save()
    assert.is_false(u.isNewRecord)
    assert.are.same({ users = 1, profiles = 0, posts = 1, tags = 0, joins = 0 }, counts(M))
    assert.are.equal(u.id, M.Post:findOne().UserId)
    -- Sequelize: {"id":1,"name":"b","Posts":[{"id":1,"title":"p1","UserId":1,...}],...}
    assert.is_table(u.Posts)
    assert.are.equal(u.id, u.Posts[1].UserId)
  end)

  it("validate() of a row built with its belongsTo parent skips the notNull of that key, as save does", function()
    -- Sequelize 6.37.8 (Post.belongsTo(User, { foreignKey: { allowNull: false } })):
    -- Post.build({ title: 't', User: { name: 'z' } }, { include: [User] }).validate() passes;
    -- built with include and then set('User', { name: 'y' }): passes; with User: null, or a
    -- plain build with p.User = user assigned: notNull Violation: Post.UserId cannot be null
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING })
    local P = db:define("Post", { title = { type = DataTypes.STRING, allowNull = false } })
    P:belongsTo(U, { foreignKey = { allowNull = false } })
    db:sync()
    local p = P:build({ title = "t", User = { name = "z" } }, { include = { U } })
    assert.are.equal(p, p:validate())
    local s = P:build({ title = "t" }, { include = { U } })
    s:set("User", { name = "y" })
    s:validate()
    local msg = "notNull Violation: Post.UserId cannot be null"
    local r = P:build({ title = "t", User = Sequelize.null }, { include = { U } })
    assert.are.equal(msg, support.catch_error(function() r:validate() end).message)
    local q = P:build({ title = "t" })
    q.User = U:create({ name = "a" })
    assert.are.equal(msg, support.catch_error(function() q:validate() end).message)
    -- the other checks still run
    local bad = P:build({ title = Sequelize.null, User = { name = "z" } }, { include = { U } })
    local err = support.catch_error(function() bad:validate() end)
    assert.same({ "notNull Violation: Post.title cannot be null", 1 }, { err.message, #err.errors })
    p:save()
    assert.same({ 1, p.User.id }, { P:count(), p.UserId })
    db:close()
  end)

  it("build(values, { include }) shows the included rows before save, and save writes them as they are then", function()
    -- Sequelize 6.37.8: u.Posts[0] is a built Post (isNewRecord true) at once; a change to
    -- it before save() is what gets written
    local u = M.User:build({ name = "b", Posts = { { title = "p1" }, { title = "p2" } }, Profile = { bio = "x" } },
      { include = { M.Post, M.Profile } })
    assert.are.equal(2, #u.Posts)
    assert.are.equal("p1", u.Posts[1].title)
    assert.is_true(u.Posts[1].isNewRecord)
    assert.are.equal("x", u.Profile.bio)
    -- Sequelize 6.37.8: {"id":null,"name":"b","Posts":[{"id":null,"title":"p1"},{"id":null,"title":"p2"}],
    -- "Profile":{"id":null,"bio":"x"}} (each built row's key not given is null)
    assert.are.equal('{"id":null,"name":"b","Profile":{"id":null,"bio":"x"},"Posts":[{"id":null,"title":"p1"},{"id":null,"title":"p2"}]}', Sequelize.stringify(u))
    assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    u.Posts[2].title = "changed"
    u.Profile.bio = "y"
    u:save()
    assert.are.same({ users = 1, profiles = 1, posts = 2, tags = 0, joins = 0 }, counts(M))
    assert.are.same({ "changed", "p1" }, support.sorted(support.field(M.Post:findAll(), "title")))
    assert.are.equal("y", M.Profile:findOne().bio)
    assert.is_false(u.Posts[2].isNewRecord)
    -- an unknown include raises at build, as in Sequelize
    local err = support.catch_error(function() M.User:build({ name = "c" }, { include = { M.Tag } }) end)
    assert.truthy(err.message:find("Tag", 1, true), err.message)
  end)

  it("set(alias, values) on a row built with that include builds its rows, nested ones too, and save writes them", function()
    -- Sequelize 6.37.8: u = User.build({ name: 'a' }, { include: [{ model: Post, include: [Tag] }, Profile] });
    -- u.set('Posts', [{ title: 'p', Tags: [{ name: 't' }] }]); u.set('Profile', { bio: 'b' }); await u.save()
    -- -> {"id":1,"name":"a","Posts":[{"id":1,"title":"p","Tags":[{"id":1,"name":"t"}],"UserId":1}],
    --     "Profile":{"id":1,"bio":"b","UserId":1}}; rows: one Post (UserId 1), its PostTags row, one Profile
    local u = M.User:build({ name = "a" }, { include = { { model = M.Post, include = { M.Tag } }, M.Profile } })
    u:set("Posts", { { title = "p", Tags = { { name = "t" } } } })
    u:set("Profile", { bio = "b" })
    assert.is_true(u.Posts[1].isNewRecord)
    u:save()
    assert.are.same({ users = 1, profiles = 1, posts = 1, tags = 1, joins = 1 }, counts(M))
    assert.equal('{"id":1,"name":"a","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"p","createdAt":@D,'
      .. '"updatedAt":@D,"UserId":1,"Tags":[{"id":1,"name":"t","createdAt":@D,"updatedAt":@D}]}],"Profile":{"id":1,'
      .. '"bio":"b","createdAt":@D,"updatedAt":@D,"UserId":1}}', N(u))
    assert.equal(1, M.Post:findOne().UserId)
  end)

  it("set(alias, values) on an included row built with its own include builds those rows too", function()
    -- Sequelize 6.37.8: u = User.build({ name: 'a', Posts: [{ title: 'p' }] }, { include: [{ model: Post, include: [Tag] }] });
    -- u.Posts[0].set('Tags', [{ name: 't' }]); await u.save()
    -- -> {"id":1,"name":"a","Posts":[{"id":1,"title":"p","Tags":[{"id":1,"name":"t"}],"UserId":1}]}; one Tag, one PostTags row
    local u = M.User:build({ name = "a", Posts = { { title = "p" } } }, { include = { { model = M.Post, include = { M.Tag } } } })
    u.Posts[1]:set("Tags", { { name = "t" } }) -- (was: dropped, no Tag written)
    u:save()
    assert.are.same({ users = 1, profiles = 0, posts = 1, tags = 1, joins = 1 }, counts(M))
    assert.equal("t", u.Posts[1].Tags[1].name)
  end)

  it("set(alias, null) on a row built with that include drops the one row built, so save writes none", function()
    -- Sequelize 6.37.8: u = User.build({ name: 'a', Profile: { bio: 'b' } }, { include: [Profile] });
    -- u.set('Profile', null); await u.save() -> {"id":1,"name":"a","Profile":null}, no Profile row
    local u = M.User:build({ name = "a", Profile = { bio = "b" } }, { include = { M.Profile } })
    u:set("Profile", Sequelize.null)
    u:save()
    assert.are.same({ users = 1, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    assert.equal('{"id":1,"name":"a","createdAt":@D,"updatedAt":@D,"Profile":null}', N(u))
    local p = M.Post:build({ title = "p" }, { include = { M.User } })
    p:set("User", { name = "u" })
    p:set("User", nil)
    p:save()
    assert.are.same({ users = 1, profiles = 0, posts = 1, tags = 0, joins = 0 }, counts(M))
  end)

  describe("bulkCreate with include", function()
    it("each level's bulk hooks see options.fields, every attribute of its model; a hook's change is written", function()
      -- Sequelize 6.37.8 (each level a bulkCreate: fields = options.fields || Object.keys(rawAttributes)),
      -- a Post beforeBulkCreate that drops 'body' from options.fields:
      -- ["User.before id,name","Post.before UserId,body,id,title","Post.after UserId,id,title","User.after id,name"],
      -- Posts [{"id":1,"title":"t","body":null,"UserId":1}]
      local db = support.open()
      local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
      local Post = db:define("Post", { title = DataTypes.STRING, body = DataTypes.STRING }, { timestamps = false })
      User:hasMany(Post)
      db:sync()
      local seen = {}
      local function record(name) return function(_, o) seen[#seen + 1] = name .. " " .. table.concat(support.sorted(o.fields), ",") end end
      User:beforeBulkCreate(record("User.before")); User:afterBulkCreate(record("User.after"))
      Post:beforeBulkCreate(function(l, o)
        record("Post.before")(l, o)
        local kept = {}
        for _, f in ipairs(o.fields) do if f ~= "body" then kept[#kept + 1] = f end end
        o.fields = kept
      end)
      Post:afterBulkCreate(record("Post.after"))
      User:bulkCreate({ { name = "a", Posts = { { title = "t", body = "b" } } } }, { include = { Post } })
      assert.are.same({ "User.before id,name", "Post.before UserId,body,id,title", "Post.after UserId,id,title", "User.after id,name" }, seen)
      assert.are.same({ { id = 1, title = "t", body = Sequelize.null, UserId = 1 } }, support.raw(db, "SELECT * FROM Posts"))
      db:close()
    end)

    it("creates each row with its children", function()
      local list = M.User:bulkCreate({ { name = "d", Posts = { { title = "d1" }, { title = "d2" } } }, { name = "e", Profile = { bio = "eb" }, Posts = {} } },
        { include = { M.Post, M.Profile } })
      assert.are.equal(2, #list)
      assert.are.same({ users = 2, profiles = 1, posts = 2, tags = 0, joins = 0 }, counts(M))
      -- Sequelize: [{"id":1,"name":"d","Posts":[{"id":1,"title":"d1","UserId":1,...},...],...},{"id":2,"name":"e","Profile":{"id":1,"bio":"eb","UserId":2,...},"Posts":[],...}]
      assert.are.equal('[{"id":1,"name":"d","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"d1","createdAt":@D,"updatedAt":@D,"UserId":1},{"id":2,"title":"d2","createdAt":@D,"updatedAt":@D,"UserId":1}]},'
        .. '{"id":2,"name":"e","createdAt":@D,"updatedAt":@D,"Profile":{"id":1,"bio":"eb","createdAt":@D,"updatedAt":@D,"UserId":2},"Posts":[]}]', N(list))
      assert.are.same({ users = 2, profiles = 1, posts = 2, tags = 0, joins = 0 }, counts(M))
      local e = M.User:findOne{ where = { name = "e" }, include = M.Profile }
      assert.are.equal("eb", e.Profile.bio)
      assert.are.equal(2, M.Post:count{ where = { UserId = list[1].id } })
    end)

    it("with belongsTo parents and belongsToMany targets", function()
      local list = M.Post:bulkCreate({ { title = "p1", User = { name = "u1" }, Tags = { { name = "t1" } } }, { title = "p2", User = { name = "u2" } } },
        { include = { M.User, M.Tag } })
      assert.are.same({ users = 2, profiles = 0, posts = 2, tags = 1, joins = 1 }, counts(M))
      assert.are.equal("u2", M.User:findByPk(M.Post:findOne{ where = { title = "p2" } }.UserId).name)
      assert.are.equal(list[1].User.id, list[1].UserId)
      assert.are.equal(list[2].User.id, list[2].UserId)
      assert.are.equal("t1", list[1].Tags[1].name)
    end)
  end)

  describe("atomicity", function()
    it("a validation error at the last hasMany child leaves no row in any table", function()
      local err = support.catch_error(function()
        M.User:create({ name = "bad", Profile = { bio = "p" }, Posts = { { title = "ok" }, {} } }, { include = { M.Profile, M.Post } })
      end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("notNull Violation: Post.title cannot be null", err.message)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    end)

    it("a unique constraint error at the last belongsToMany target leaves no row (and the old rows intact)", function()
      M.Tag:create({ name = "js" })
      local err = support.catch_error(function()
        M.Post:create({ title = "Q", User = { name = "author" }, Tags = { { name = "new1" }, { name = "js" } } }, { include = { M.User, M.Tag } })
      end)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.equal("Validation error", err.message)
      assert.is_true(err:is(Sequelize.errors.UniqueConstraintError))
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 1, joins = 0 }, counts(M))
      assert.are.equal("js", M.Tag:findOne().name)
    end)

    it("a failure in the row itself after its belongsTo parent was prepared leaves no parent", function()
      local err = support.catch_error(function()
        M.Post:create({ title = Sequelize.null, User = { name = "parent" } }, { include = { M.User } })
      end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("notNull Violation: Post.title cannot be null", err.message)
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    end)

    it("a failure two levels down leaves nothing", function()
      M.Tag:create({ name = "dup" })
      local err = support.catch_error(function()
        M.User:create({ name = "c", Posts = { { title = "N", Tags = { { name = "fresh" } } }, { title = "M", Tags = { { name = "dup" } } } } },
          { include = { { model = M.Post, include = { M.Tag } } } })
      end)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 1, joins = 0 }, counts(M))
    end)

    it("bulkCreate with include is atomic: a failure in the second record leaves nothing of the first", function()
      -- the included rows are one bulkCreate of Post, not validated (Sequelize: validate is
      -- false for the included levels): SQLite refuses the null, which Sequelize's sqlite
      -- dialect reports as a SequelizeUniqueConstraintError "Validation error" (it maps
      -- every SQLITE_CONSTRAINT so), leaving the users written (it opens no transaction)
      local err = support.catch_error(function()
        M.User:bulkCreate({ { name = "ok", Posts = { { title = "fine" } } }, { name = "bad", Posts = { { title = "x" }, {} } } }, { include = { M.Post } })
      end)
      assert.are.equal("SequelizeDatabaseError", err.name)
      assert.are.equal("NOT NULL constraint failed: Posts.title", err.message)
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    end)

    it("an include naming no association raises before anything is written", function()
      local err = support.catch_error(function() M.User:create({ name = "z", Tags = { { name = "q" } } }, { include = { M.Tag } }) end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("Tag is not associated to User!", err.message)
      err = support.catch_error(function() M.User:create({ name = "z" }, { include = { "Nope" } }) end)
      assert.are.equal("Error", err.name)
      assert.are.equal('Association with alias "Nope" does not exist on User', err.message)
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    end)

    it("inside an outer transaction a failing nested create rolls back to a savepoint; the rest commits", function()
      support.clear(log)
      local result = M.db:transaction(function(t)
        M.User:create({ name = "first" }, { transaction = t })
        local ok, err = pcall(function()
          M.User:create({ name = "bad", Posts = { { title = "ok" }, {} } }, { include = { M.Post }, transaction = t })
        end)
        assert.is_false(ok)
        assert.are.equal("SequelizeValidationError", err.name)
        M.User:create({ name = "last", Posts = { { title = "kept" } } }, { include = { M.Post }, transaction = t })
        return "done"
      end)
      assert.are.equal("done", result)
      local names = {}
      for _, u in ipairs(M.User:findAll{ order = { { "id", "ASC" } } }) do names[#names + 1] = u.name end
      assert.are.same({ "first", "last" }, names)
      local posts = M.Post:findAll()
      assert.are.equal(1, #posts)
      assert.are.equal("kept", posts[1].title)
      local savepoint = false
      for _, msg in ipairs(log) do
        if sql_of(msg):upper():match("^SAVEPOINT") then savepoint = true end
      end
      assert.is_true(savepoint, "a SAVEPOINT statement ran")
    end)

    it("a nested create inside an outer transaction that rolls back leaves nothing", function()
      local ok = pcall(function()
        M.db:transaction(function(t)
          M.User:create({ name = "u", Profile = { bio = "b" }, Posts = { { title = "p" } } }, { include = { M.Profile, M.Post }, transaction = t })
          error("abort")
        end)
      end)
      assert.is_false(ok)
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    end)

    it("a nested create with an unmanaged transaction is visible only after commit", function()
      local t = M.db:transaction()
      M.User:create({ name = "u", Posts = { { title = "p" } } }, { include = { M.Post }, transaction = t })
      assert.are.equal(1, M.Post:count{ transaction = t })
      t:rollback()
      assert.are.same({ users = 0, profiles = 0, posts = 0, tags = 0, joins = 0 }, counts(M))
    end)
  end)
end)

describe("create with include: the seed's Users and Stories", function()
  local db, Users, Stories
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Users, Stories = support.seed_users_stories(db)
  end)
  after_each(function() db:close() end)

  it("Users:create({..., story = {...} }, { include = 'story' }) fills created_by", function()
    local u = Users:create({ username = "boris", email = "boris@example.com", password = "kvass123",
      story = { title = "cheeki breeki cheburek", content = "how to make cheburek at your cousin's place" } }, { include = "story" })
    -- Sequelize: {"user_id":1,"username":"boris","email":"boris@example.com","password":"kvass123","story":{"story_id":1,
    --   "title":"cheeki breeki cheburek","content":"how to make cheburek at your cousin's place","created_by":1,"updated_at":…,"created_at":…},...}
    assert.are.equal('{"user_id":1,"email":"boris@example.com","password":"kvass123","username":"boris","created_at":@D,"updated_at":@D,'
      .. '"story":{"story_id":1,"content":"how to make cheburek at your cousin\'s place","created_by":1,"title":"cheeki breeki cheburek","created_at":@D,"updated_at":@D}}', N(u))
    assert.are.equal(u.user_id, u.story.created_by)
    local s = Stories:findOne{ include = "author" }
    assert.are.equal("boris", s.author.username)
    assert.are.equal(u.user_id, s.created_by)
  end)

  it("a story failing validation leaves no user (the seed's users table stays empty)", function()
    local err = support.catch_error(function()
      Users:create({ username = "boris", story = { title = "t" } }, { include = "story" })
    end)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal("notNull Violation: Stories.content cannot be null", err.message)
    assert.are.equal(0, Users:count())
    assert.are.equal(0, Stories:count())
  end)
end)

describe("reload after create with include", function()
  it("reads again with the include it was created with (Sequelize's _options.include)", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User", { name = Sequelize.DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = Sequelize.DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post)
    db:sync()
    local u = User:create({ name = "a", Posts = { { title = "p1" } } }, { include = Post })
    Post:create({ title = "p2", UserId = 1 })
    u:reload()
    assert.equal('{"id":1,"name":"a","Posts":[{"id":1,"title":"p1","UserId":1},{"id":2,"title":"p2","UserId":1}]}',
      tostring(u))
    db:close()
  end)
end)

describe("nested create of n:m targets shows join rows only where values gave them", function()
  it("as Sequelize: a target without join values has no join key in its JSON", function()
    -- Sequelize 6.37.8: {"id":1,"title":"a","tags":[{"id":1,"name":"x"},{"id":2,"name":"y",
    --   "PostTag":{"PostId":null,"TagId":null,"w":5}}]} (its PostTag the values given; ours the
    --   stored row, keys filled); bulkCreate: [{"id":2,"title":"b","tags":[{"id":3,"name":"z"}]}]
    local db = support.open()
    local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local Tag = db:define("Tag", { name = DataTypes.STRING }, { timestamps = false })
    local PT = db:define("PostTag", { w = { type = DataTypes.INTEGER, defaultValue = 1 } }, { timestamps = false })
    Post:belongsToMany(Tag, { through = PT, as = "tags" })
    db:sync()
    local p = Post:create({ title = "a", tags = { { name = "x" }, { name = "y", PostTag = { w = 5 } } } },
      { include = { { model = Tag, as = "tags" } } })
    assert.are.same({ id = 1, title = "a", tags = { { id = 1, name = "x" },
                      { id = 2, name = "y", PostTag = { w = 5, PostId = 1, TagId = 2 } } } }, p:toJSON())
    local ps = Post:bulkCreate({ { title = "b", tags = { { name = "z" } } } }, { include = { { model = Tag, as = "tags" } } })
    assert.are.same({ id = 2, title = "b", tags = { { id = 3, name = "z" } } }, ps[1]:toJSON())
    -- the join rows are written all the same
    assert.are.same({ { PostId = 1, TagId = 1, w = 1 }, { PostId = 1, TagId = 2, w = 5 }, { PostId = 2, TagId = 3, w = 1 } },
      support.raw(db, "SELECT PostId, TagId, w FROM PostTags ORDER BY TagId"))
  end)
end)

describe("a list given for a to-one include", function()
  it("takes its first item, as Sequelize's _setInclude (create, build+save, bulkCreate)", function()
    -- Sequelize 6.37.8: User.create({ name: 'b', Profile: [{ bio: 'abc' }, { bio: 'd' }] }, { include: [Profile] })
    --   with Team: [{ tname: 'x' }]: {"id":1,"name":"a","Profile":{"id":1,"bio":"abc","UserId":1},
    --   "Team":{"id":1,"tname":"x"},"TeamId":1}; then bulkCreate and build(...).save(), the rows read back:
    --   [{"name":"a","bio":"abc","tname":"x"},{"name":"b","bio":"bb","tname":"y"},{"name":"c","bio":"cc","tname":null}]
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Profile = db:define("Profile", { bio = DataTypes.STRING }, { timestamps = false })
    local Team = db:define("Team", { tname = DataTypes.STRING }, { timestamps = false })
    User:hasOne(Profile); User:belongsTo(Team)
    db:sync()
    local u = User:create({ name = "a", Profile = { { bio = "abc" }, { bio = "d" } }, Team = { { tname = "x" } } },
      { include = { Profile, Team } })
    assert.equal('{"id":1,"name":"a","TeamId":1,"Profile":{"id":1,"bio":"abc","UserId":1},"Team":{"id":1,"tname":"x"}}',
      tostring(u))
    User:bulkCreate({ { name = "b", Profile = { { bio = "bb" } }, Team = { { tname = "y" } } } }, { include = { Profile, Team } })
    User:build({ name = "c", Profile = { { bio = "cc" } } }, { include = { Profile } }):save()
    assert.are.same({ { name = "a", bio = "abc", tname = "x" }, { name = "b", bio = "bb", tname = "y" },
                      { name = "c", bio = "cc", tname = Sequelize.null } },
      support.raw(db, "SELECT name, bio, tname FROM Users LEFT JOIN Profiles ON UserId = Users.id"
        .. " LEFT JOIN Teams ON Teams.id = TeamId ORDER BY Users.id"))
    assert.equal(0, support.raw(db, "SELECT count(*) n FROM Profiles WHERE bio IS NULL")[1].n)
  end)

  it("a list inside a to-many include's list, or a list of non-tables for a to-one, is a ValidationError; nothing written", function()
    -- (Sequelize 6.37.8: posts: [[{ title: 'x' }]] writes the user, then TypeError instance.set is not a function)
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Profile = db:define("Profile", { bio = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    User:hasOne(Profile); User:hasMany(Post, { as = "posts" })
    db:sync()
    local err = support.catch_message(function()
      User:create({ name = "b", posts = { { { title = "x" } } } }, { include = { { model = Post, as = "posts" } } })
    end)
    assert.equal("SequelizeValidationError", err.name)
    assert.equal("Invalid value for User.posts: expected a list of tables of values, got a list in it", err.message)
    err = support.catch_message(function()
      User:bulkCreate({ { name = "b", Profile = { 5 } } }, { include = { Profile } })
    end)
    assert.equal("SequelizeValidationError", err.name)
    assert.equal("Invalid value for User.Profile: expected a table of values, got a list of number", err.message)
    assert.are.same({ 0, 0, 0 }, { User:count(), Post:count(), Profile:count() })
  end)
end)

describe("nested create given a saved instance", function()
  it("inserts its values again, so its key's UNIQUE constraint fails and nothing is written", function()
    -- Sequelize 6.37.8 (_setInclude builds the included value from its dataValues, as a new row):
    -- each of the four creates below raises SequelizeUniqueConstraintError "Validation error";
    -- Sequelize leaves the parents b, c and r written (not atomic), here nothing is; u keeps
    -- its post and is not renamed: [{"id":1,"name":"a","Posts":[{"id":1,"title":"p","UserId":1}]}]
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local Tag = db:define("Tag", { name = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post); Post:belongsTo(User)
    Post:belongsToMany(Tag, { through = "PostTags", timestamps = false })
    db:sync()
    local u = User:create({ name = "a", Posts = { { title = "p" } } }, { include = { Post } })
    local t = Tag:create({ name = "t" })
    local function unique_error(f)
      local ok, e = pcall(f)
      assert.is_false(ok)
      assert.equal("SequelizeUniqueConstraintError", e.name)
      assert.equal("Validation error", e.message)
    end
    unique_error(function() User:create({ name = "b", Posts = { u.Posts[1] } }, { include = { Post } }) end)
    unique_error(function() User:bulkCreate({ { name = "c", Posts = { u.Posts[1] } } }, { include = { Post } }) end)
    u.name = "renamed"
    unique_error(function() Post:create({ title = "q", User = u }, { include = { User } }) end)
    unique_error(function() Post:create({ title = "r", Tags = { t } }, { include = { Tag } }) end)
    assert.equal('[{"id":1,"name":"a","Posts":[{"id":1,"title":"p","UserId":1}]}]',
      S(User:findAll({ include = { Post } })))
    assert.are.same({}, support.raw(db, "SELECT * FROM PostTags"))
    assert.equal(1, Post:count())
    db:close()
  end)
end)

describe("an include's attributes in a nested create", function()
  it("whitelist the included row's values, as Sequelize's _setInclude builds them with the include's attributes", function()
    -- Sequelize 6.37.8: User.create({ name: 'a', Profile: { bio: 'b', admin: true }, Posts: [{ id: 7, title: 't', secret: 's' }] },
    --   { include: [{ model: Profile, attributes: { exclude: ['admin'] } }, { model: Post, attributes: ['title'] }] })
    --   -> {"id":1,"name":"a","Profile":{"id":1,"bio":"b","UserId":1},"Posts":[{"title":"t","UserId":1,"id":1}]};
    -- attributes: [] -> {"id":2,"name":"b"} (no post written); bulkCreate keeps the key too (its include has the
    -- key added by then): [{"id":3,"name":"c","Posts":[{"id":9,"title":"y","UserId":3}]}];
    -- rows: Profiles [{"id":1,"bio":"b","admin":null,"UserId":1}],
    -- Posts [{"id":1,"title":"t","secret":null,"UserId":1},{"id":9,"title":"y","secret":null,"UserId":3}]
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Profile = db:define("Profile", { bio = DataTypes.STRING, admin = DataTypes.BOOLEAN }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING, secret = DataTypes.STRING }, { timestamps = false })
    User:hasOne(Profile); User:hasMany(Post)
    db:sync()
    local u = User:create({ name = "a", Profile = { bio = "b", admin = true }, Posts = { { id = 7, title = "t", secret = "s" } } },
      { include = { { model = Profile, attributes = { exclude = { "admin" } } }, { model = Post, attributes = { "title" } } } })
    assert.equal('{"id":1,"name":"a","Profile":{"id":1,"bio":"b","UserId":1},"Posts":[{"id":1,"title":"t","UserId":1}]}',
      tostring(u))
    local v = User:create({ name = "b", Posts = { { title = "x" } } }, { include = { { model = Post, attributes = {} } } })
    assert.equal('{"id":2,"name":"b"}', tostring(v))
    local w = User:bulkCreate({ { name = "c", Posts = { { id = 9, title = "y", secret = "s" } } } },
      { include = { { model = Post, attributes = { "title" } } } })
    assert.equal('[{"id":3,"name":"c","Posts":[{"id":9,"title":"y","UserId":3}]}]', S(w))
    assert.are.same({ { id = 1, bio = "b", admin = Sequelize.null, UserId = 1 } }, support.raw(db, "SELECT * FROM Profiles"))
    assert.are.same({ { id = 1, title = "t", secret = Sequelize.null, UserId = 1 }, { id = 9, title = "y", secret = Sequelize.null, UserId = 3 } },
      support.raw(db, "SELECT * FROM Posts ORDER BY id"))
    db:close()
  end)

  it("take the VIRTUAL attributes' values too, listed or not, as Sequelize's set with attributes", function()
    -- Sequelize 6.37.8, Post's VIRTUAL v setting secret = 'V' + v:
    -- User.create({ name: 'a', Posts: [{ title: 't', v: 'x' }] }, { include: [{ model: Post, attributes: ['title', 'secret'] }] })
    --   -> Posts rows [{"id":1,"title":"t","secret":"Vx","UserId":1}]
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING, secret = DataTypes.STRING,
      v = { type = DataTypes.VIRTUAL, set = function(self, x) self:setDataValue("secret", "V" .. x) end } }, { timestamps = false })
    User:hasMany(Post)
    db:sync()
    local u = User:create({ name = "a", Posts = { { title = "t", v = "x" } } },
      { include = { { model = Post, attributes = { "title", "secret" } } } })
    assert.equal("Vx", u.Posts[1].secret)
    assert.are.same({ { id = 1, title = "t", secret = "Vx", UserId = 1 } }, support.raw(db, "SELECT * FROM Posts"))
    db:close()
  end)

  it("a row built with include whose save failed writes its included rows when saved again", function()
    -- Sequelize 6.37.8: build({ name: null, Posts: [{ title: 'a' }] }, { include: [Post] }); save()
    -- -> SequelizeValidationError; name = 'x'; save() -> 1 post written, UserId 1
    local db = support.open()
    local U = db:define("User", { name = { type = DataTypes.STRING, allowNull = false } }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P); P:belongsTo(U)
    db:sync()
    local u = U:build({ Posts = { { title = "a" } } }, { include = { P } })
    assert.equal("SequelizeValidationError", support.catch(function() u:save() end).name)
    u.name = "x"
    u:save()
    assert.are.same({ { id = 1, title = "a", UserId = 1 } }, support.raw(db, "SELECT * FROM Posts"))
    assert.equal(1, u.Posts[1].UserId)
    db:close()
  end)

  it("a row built with include whose save failed after some INSERTs is new again, and saved again writes every row", function()
    -- (the failed save is rolled back: the rows it had inserted are gone, so they are put back as
    -- built, not read as saved; was: the row kept isNewRecord = false and id 1, and the save again
    -- ran an UPDATE of no row and reported success, nothing written. Sequelize opens no
    -- transaction: its user row stays written, see the top of this file)
    local db = support.open()
    local C = db:define("Company", { name = DataTypes.STRING }, { timestamps = false })
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = { type = DataTypes.STRING, allowNull = false } }, { timestamps = false })
    U:belongsTo(C); U:hasMany(P); P:belongsTo(U)
    db:sync()
    local u = U:build({ name = "x", Company = { name = "c" }, Posts = { { title = "a" }, {} } }, { include = { C, P } })
    assert.equal("SequelizeValidationError", support.catch(function() u:save() end).name)
    assert.is_true(u.isNewRecord)
    assert.is_nil(u.id)
    assert.is_nil(u.CompanyId)
    assert.is_true(u.Company.isNewRecord)
    assert.is_nil(u.Company.id)
    assert.is_true(u.Posts[1].isNewRecord)
    assert.is_nil(u.Posts[1].UserId)
    u.Posts[2].title = "b"
    u:save()
    assert.is_false(u.isNewRecord)
    assert.are.same({ { id = 1, name = "c" } }, support.raw(db, "SELECT * FROM Companies"))
    assert.are.same({ { id = 1, name = "x", CompanyId = 1 } }, support.raw(db, "SELECT * FROM Users"))
    assert.are.same({ { id = 1, title = "a", UserId = 1 }, { id = 2, title = "b", UserId = 1 } },
      support.raw(db, "SELECT * FROM Posts ORDER BY id"))
    db:close()
  end)
end)

describe("an include's fields in a nested create", function()
  it("whitelist the included rows' INSERT, as Sequelize saves / bulkCreates them with the include's keys", function()
    -- Sequelize 6.37.8: Post.create({ t: 't', u: 'u', user: { a: 'a', b: 'b' } },
    --   { fields: ['t', 'userId'], include: [{ model: User, fields: ['b'] }] })
    --   -> INSERT INTO `users` (`b`) ...; users rows [{"id":1,"a":null,"b":"b"}], posts [{..."t":"t","u":null,...,"userId":1}];
    -- User.create({ a: 'x', posts: [{ t: 't', u: 'u' }] }, { include: [{ model: Post, fields: ['t'] }] })
    --   -> INSERT INTO `posts` (`t`,`updatedAt`,`createdAt`): the key left out too (userId null);
    -- bulkCreate with fields ['t', 'userId'] -> INSERT INTO `posts` (`t`,`userId`,`createdAt`,`updatedAt`)
    local db = support.open()
    local User = db:define("user", { a = DataTypes.STRING, b = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("post", { t = DataTypes.STRING, u = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post); Post:belongsTo(User)
    db:sync()
    Post:create({ t = "t", u = "u", user = { a = "a", b = "b" } },
      { fields = { "t", "userId" }, include = { { model = User, fields = { "b" } } } })
    assert.are.same({ { id = 1, a = Sequelize.null, b = "b" } }, support.raw(db, "SELECT * FROM users"))
    assert.are.same({ { id = 1, t = "t", u = Sequelize.null, userId = 1 } }, support.raw(db, "SELECT * FROM posts"))
    local u = User:create({ a = "x", posts = { { t = "t2", u = "u" } } }, { include = { { model = Post, fields = { "t" } } } })
    assert.equal('{"id":2,"a":"x","posts":[{"id":2,"t":"t2","u":"u","userId":2}]}', tostring(u))
    assert.are.same({ id = 2, t = "t2", u = Sequelize.null, userId = Sequelize.null },
      support.raw(db, "SELECT * FROM posts WHERE id = 2")[1])
    User:bulkCreate({ { a = "y", posts = { { t = "t3", u = "u" } } } }, { include = { { model = Post, fields = { "t", "userId" } } } })
    assert.are.same({ id = 3, t = "t3", u = Sequelize.null, userId = 3 }, support.raw(db, "SELECT * FROM posts WHERE id = 3")[1])
    db:close()
  end)

  it("must be a list: another value raises naming the include and the model, nothing written", function()
    local db = support.open()
    local User = db:define("user", { a = DataTypes.STRING, b = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("post", { t = DataTypes.STRING }, { timestamps = false })
    Post:belongsTo(User)
    db:sync()
    local err = support.catch_error(Post.create, Post, { t = "t", user = { a = "a" } }, { include = { { model = User, fields = "b" } } })
    assert.matches("include user of post: fields must be a list of attribute names, got string", err.message, 1, true)
    assert.equal(0, Post:count())
    assert.equal(0, User:count())
    db:close()
  end)
end)
