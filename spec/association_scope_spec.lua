-- Association scopes (Sequelize's polymorphic pattern): the scope is a condition on the
-- association's targets for getters, counts, has and includes, and values the association
-- writes into the targets it creates or adds.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("association scope", function()
  local db, Post, Image, Comment

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    Image = db:define("Image", { url = DataTypes.STRING }, { timestamps = false })
    Comment = db:define("Comment", {
      body = DataTypes.STRING,
      commentableType = DataTypes.STRING,
      commentableId = DataTypes.INTEGER,
    }, { timestamps = false })
    Post:hasMany(Comment, { foreignKey = "commentableId", constraints = false,
                            scope = { commentableType = "post" } })
    Image:hasMany(Comment, { foreignKey = "commentableId", constraints = false,
                             scope = { commentableType = "image" } })
    db:sync()
  end)

  after_each(function() db:close() end)

  it("createX writes the scope; getters, counts and has see only their own targets", function()
    local p = Post:create({ title = "p" })
    local i = Image:create({ url = "u" })
    assert.are.equal(p.id, i.id) -- same key in both tables: only the scope tells them apart
    p:createComment({ body = "on post" })
    i:createComment({ body = "on image" })
    i:createComment({ body = "on image 2" })
    local rows = db:query("SELECT body, commentableType FROM Comments ORDER BY id")
    assert.are.same({ "post", "image", "image" },
      { rows[1].commentableType, rows[2].commentableType, rows[3].commentableType })
    assert.are.equal(1, p:countComments())
    assert.are.equal(2, i:countComments())
    assert.are.equal("on post", p:getComments()[1].body)
    local other = Comment:findOne({ where = { body = "on image" } })
    assert.is_false(p:hasComment(other))
    assert.is_true(i:hasComment(other))
  end)

  it("includes join only the scoped targets", function()
    local p = Post:create({ title = "p" })
    local i = Image:create({ url = "u" })
    p:createComment({ body = "a" })
    i:createComment({ body = "b" })
    local posts = Post:findAll({ include = Comment })
    assert.are.equal(1, #posts[1].Comments)
    assert.are.equal("a", posts[1].Comments[1].body)
    local images = Image:findAll({ include = { { model = Comment, separate = true } } })
    assert.are.equal(1, #images[1].Comments)
    assert.are.equal("b", images[1].Comments[1].body)
  end)

  it("nested create and addX write the scope values", function()
    local p = Post:create({ title = "p", Comments = { { body = "c1" } } }, { include = { Comment } })
    local loose = Comment:create({ body = "loose" })
    p:addComment(loose)
    local rows = db:query("SELECT body, commentableType FROM Comments WHERE commentableId = ? ORDER BY id",
      { replacements = { p.id } })
    assert.are.equal(2, #rows)
    assert.are.same({ "post", "post" }, { rows[1].commentableType, rows[2].commentableType })
  end)

  it("hasOne setX writes the scope, so getX finds the target again (Sequelize)", function()
    local Avatar = db:define("Avatar", { url = DataTypes.STRING, kind = DataTypes.STRING }, { timestamps = false })
    Post:hasOne(Avatar, { as = "Cover", scope = { kind = "cover" } })
    db:sync()
    local p = Post:create({ title = "p" })
    local a = Avatar:create({ url = "x" })
    p:setCover(a)
    assert.are.same({ { kind = "cover", CoverId = 1 } },
      db:query("SELECT kind, CoverId FROM Avatars", { type = "SELECT" }))
    assert.are.equal("x", p:getCover().url)
  end)

  it("createX with fields keeps the foreign key and the scope (Sequelize adds them to fields)", function()
    local p = Post:create({ title = "p" })
    p:createComment({ body = "c", commentableType = "ignored" }, { fields = { "body" } })
    assert.are.same({ { body = "c", commentableType = "post", commentableId = p.id } },
      db:query("SELECT body, commentableType, commentableId FROM Comments", { type = "SELECT" }))
  end)

  it("belongsToMany createX with fields writes the scope too, so the getter finds the target (Sequelize)", function()
    -- Sequelize 6.37.8: p.createTopic({ name: 'js', extra: 'e' }, { fields: ['name'], through: { role: 'r' } })
    -- -> {"id":1,"kind":"topic","name":"js"}; Tags [{"id":1,"name":"js","kind":"topic","extra":null}],
    -- PTs [{"role":"r","PostId":1,"TagId":1}]; p.getTopics() finds it
    local Tag = db:define("Tag", { name = DataTypes.STRING, kind = DataTypes.STRING, extra = DataTypes.STRING },
                          { timestamps = false })
    local PT = db:define("PT", { role = DataTypes.STRING }, { timestamps = false })
    Post:belongsToMany(Tag, { through = PT, as = "topics", scope = { kind = "topic" } })
    db:sync()
    local p = Post:create({ title = "p" })
    local t = p:createTopic({ name = "js", extra = "e" }, { fields = { "name" }, through = { role = "r" } })
    assert.are.equal('{"id":1,"kind":"topic","name":"js"}', Sequelize.stringify(t))
    assert.are.same({ { id = 1, name = "js", kind = "topic", extra = Sequelize.null } },
      db:query("SELECT id, name, kind, extra FROM Tags", { type = "SELECT" }))
    assert.are.same({ { PostId = 1, TagId = 1, role = "r" } },
      db:query("SELECT PostId, TagId, role FROM PTs", { type = "SELECT" }))
    assert.are.same({ "js" }, { p:getTopics()[1].name })
  end)

  it("belongsToMany countXs and hasX apply the scope, where and through.where, as getXs does (Sequelize)", function()
    local Tag = db:define("Tag", { name = DataTypes.STRING, kind = DataTypes.STRING }, { timestamps = false })
    local PT = db:define("PT", { role = DataTypes.STRING }, { timestamps = false })
    Post:belongsToMany(Tag, { through = PT, as = "Labels", scope = { kind = "label" } })
    Post:belongsToMany(Tag, { through = PT, as = "AllTags" })
    db:sync()
    local p = Post:create({ title = "p" })
    local t1 = Tag:create({ name = "a", kind = "label" })
    local t2 = Tag:create({ name = "b", kind = "other" })
    local t3 = Tag:create({ name = "c", kind = "label" })
    p:addAllTags({ t1, t2 }, { through = { role = "x" } })
    p:addAllTag(t3, { through = { role = "y" } })
    assert.are.equal(3, p:countAllTags())
    assert.are.equal(2, p:countLabels())
    assert.are.equal(#p:getLabels(), p:countLabels())
    assert.are.equal(1, p:countAllTags({ through = { where = { role = "y" } } }))
    assert.are.equal(1, p:countLabels({ where = { name = "c" } }))
    assert.is_true(p:hasAllTag(t2))
    assert.is_false(p:hasLabel(t2))
    assert.is_true(p:hasLabels({ t1, t3 }))
    assert.is_false(p:hasLabels({ t1, t2 }))
    assert.is_false(p:hasAllTag(t1, { where = { name = "zz" } }))
  end)

  it("refuses a scope naming an unknown attribute", function()
    local ok, err = pcall(Post.hasMany, Post, Image, { scope = { nope = 1 } })
    assert.is_false(ok)
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.truthy(err.message:find("nope", 1, true))
  end)
end)
