-- set() of an included alias, checked against Sequelize 6.37.8 + sqlite3 (the same models and
-- calls in JavaScript): Sequelize's _setInclude builds an n:m target's join row (its pseudo
-- include of the through model, limited to through.attributes), passes `raw` on to the rows it
-- builds, and gives none (null / []) for values whose primary key is null.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null
local S = Sequelize.stringify

local function models()
  local db, log = support.open()
  local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
  local Tag = db:define("Tag", { name = DataTypes.STRING }, { timestamps = false })
  local PostTag = db:define("PostTag", { role = DataTypes.STRING, note = DataTypes.STRING }, { timestamps = false })
  local User = db:define("User", {
    name = { type = DataTypes.STRING, set = function(self, v) self:setDataValue("name", "S:" .. v) end },
  }, { timestamps = false })
  Post:belongsToMany(Tag, { through = PostTag })
  Tag:belongsToMany(Post, { through = PostTag })
  Post:belongsTo(User)
  User:hasMany(Post)
  db:sync()
  local u = User:create{ name = "u" }
  local p = Post:create{ title = "p", UserId = u.id }
  local t = Tag:create{ name = "a" }
  p:addTag(t, { through = { role = "x", note = "n" } })
  return { db = db, log = log, Post = Post, Tag = Tag, PostTag = PostTag, User = User }
end

describe("set() of an n:m include builds each target's join row", function()
  it("limited to the include's through.attributes, and the target's set of it too", function()
    local M = models()
    local post = M.Post:findOne{ include = { { model = M.Tag, through = { attributes = { "role" } } } } }
    post:set("Tags", { { id = 5, name = "t", PostTag = { role = "R", note = "N" } } })
    -- Sequelize: {"id":1,"title":"p","UserId":1,"Tags":[{"id":5,"name":"t","PostTag":{"role":"R"}}]}
    assert.equal('{"id":1,"title":"p","UserId":1,"Tags":[{"id":5,"name":"t","PostTag":{"role":"R"}}]}', S(post))
    local tag = post.Tags[1]
    assert.is_false(tag.PostTag.isNewRecord) -- Sequelize: false (the post is not new)
    tag:set("PostTag", { role = "Q", note = "M" })
    assert.equal('{"id":5,"name":"t","PostTag":{"role":"Q"}}', S(tag))
    tag:set("PostTag", { PostId = NULL, role = "Q" }) -- its key null: none (Sequelize: null)
    assert.equal('{"id":5,"name":"t","PostTag":null}', S(tag))
    post:set("Tags", { { name = "t", PostTag = NULL } })
    assert.equal('{"id":1,"title":"p","UserId":1,"Tags":[{"name":"t","PostTag":null}]}', S(post))
  end)

  it("with all its values when through.attributes is not given, none when it is empty", function()
    local M = models()
    local post = M.Post:findOne{ include = { M.Tag } }
    post:set("Tags", { { name = "t", PostTag = { role = "R", note = "N" } } })
    local j = post.Tags[1].PostTag
    assert.same({ "N", "R" }, { j.note, j.role }) -- Sequelize: {"role":"R","note":"N"}
    post = M.Post:findOne{ include = { { model = M.Tag, through = { attributes = {} } } } }
    post:set("Tags", { { name = "t", PostTag = { role = "R", note = "N" } } })
    assert.equal('{"id":1,"title":"p","UserId":1,"Tags":[{"name":"t"}]}', S(post))
    post.Tags[1]:set("PostTag", { role = "k" }) -- Sequelize: nothing set
    assert.equal('{"id":1,"title":"p","UserId":1,"Tags":[{"name":"t"}]}', S(post))
  end)

  it("a nested create writes the join values its join row took", function()
    local M = models()
    local b = M.Post:build({ title = "b", Tags = { { name = "x", PostTag = { role = "R", note = "N" } } } },
      { include = { { model = M.Tag, through = { attributes = { "role" } } } } })
    assert.equal("R", b.Tags[1].PostTag.role)
    assert.is_nil(b.Tags[1].PostTag.note)
    b.Tags[1]:set("PostTag", { role = "W", note = "N" })
    support.clear(M.log)
    b:save()
    -- Sequelize: INSERT INTO `PostTags` (`role`,`PostId`,`TagId`) VALUES ($1,$2,$3);
    local ins = support.statements(M.log, "INSERT")
    assert.matches("INSERT INTO `PostTags` %(`role`,`PostId`,`TagId`%)", ins[#ins])
    local rows = M.PostTag:findAll{ where = { PostId = b.id }, raw = true }
    assert.same({ { role = "W", note = NULL, PostId = b.id, TagId = b.Tags[1].id } }, rows)
  end)
end)

describe("set() of the through name on a target READ with through attributes", function()
  -- Sequelize's _setInclude builds it with the through include's originalAttributes
  it("keeps only those attributes (a list, an exclude, findOne with limit)", function()
    local m = models()
    for _, c in ipairs({
      { { "role" }, '{"role":"Q"}' },
      { { exclude = { "note" } }, '{"role":"Q"}' },
      { { "note" }, '{"note":"M"}', true },
    }) do
      local post = m.Post:findOne{ include = { { model = m.Tag, through = { attributes = c[1] } } }, limit = c[3] and 1 or nil }
      local tag = post.Tags[1]
      tag:set("PostTag", { role = "Q", note = "M" })
      assert.equal(c[2], S(tag.PostTag))
    end
    -- no through attributes: every value given (Sequelize: {"role":"Q","note":"M"})
    local post = m.Post:findOne{ include = { m.Tag } }
    post.Tags[1]:set("PostTag", { role = "Q", note = "M" })
    assert.equal("Q", post.Tags[1].PostTag.role)
    assert.equal("M", post.Tags[1].PostTag.note)
  end)

  it("from the other side, and from a getter's joinTableAttributes", function()
    local m = models()
    local tag = m.Tag:findOne{ include = { { model = m.Post, through = { attributes = { "note" } } } } }
    tag.Posts[1]:set("PostTag", { role = "Q", note = "M" })
    assert.equal('{"note":"M"}', S(tag.Posts[1].PostTag))
    local p = m.Post:findByPk(1)
    local tags = p:getTags{ joinTableAttributes = { "role" } }
    tags[1]:set("PostTag", { role = "Q", note = "M" })
    assert.equal('{"role":"Q"}', S(tags[1].PostTag))
    tags = p:getTags{ joinTableAttributes = { exclude = { "role" } } }
    tags[1]:set("PostTag", { role = "Q", note = "M" })
    assert.is_nil(tags[1].PostTag.role)
    assert.equal("M", tags[1].PostTag.note)
  end)
end)

describe("set() of an included alias", function()
  it("passes raw on: the target's setters do not run (Sequelize's childOptions.raw)", function()
    local M = models()
    local post = M.Post:findOne{ include = { M.User } }
    post:set("User", { name = "raw" }, { raw = true })
    assert.equal('{"id":1,"title":"p","UserId":1,"User":{"name":"raw"}}', S(post))
    post:set({ User = { name = "r2" } }, { raw = true })
    assert.equal('{"id":1,"title":"p","UserId":1,"User":{"name":"r2"}}', S(post))
    post:set("User", { name = "cooked" })
    assert.equal('{"id":1,"title":"p","UserId":1,"User":{"name":"S:cooked"}}', S(post))
  end)

  it("gives null (to-one) or no rows (to-many) when the first value's primary key is null", function()
    local M = models()
    local post = M.Post:findOne{ include = { M.User } }
    post:set("User", { id = NULL, name = "n" })
    assert.equal('{"id":1,"title":"p","UserId":1,"User":null}', S(post))
    local u = M.User:findOne{ include = { M.Post } }
    u:set("Posts", { { id = NULL, title = "z" }, { id = 3, title = "y" } })
    assert.equal('{"id":1,"name":"S:u","Posts":[]}', S(u))
    u:set("Posts", { { id = 3, title = "y" }, { id = NULL, title = "z" } })
    assert.equal('{"id":1,"name":"S:u","Posts":[{"id":3,"title":"y"},{"id":null,"title":"z"}]}', S(u))
    u:set("Posts", { id = NULL, title = "z" })
    assert.equal('{"id":1,"name":"S:u","Posts":[]}', S(u))
    -- build with include too (Sequelize: {"id":null,"name":"S:b","Posts":[]}, {"id":null,"title":"b","User":null})
    assert.equal('{"id":null,"name":"S:b","Posts":[]}',
      S(M.User:build({ name = "b", Posts = { { id = NULL, title = "q" } } }, { include = { M.Post } })))
    assert.equal('{"id":null,"title":"b","User":null}',
      S(M.Post:build({ title = "b", User = { id = NULL, name = "q" } }, { include = { M.User } })))
  end)
end)

describe("bulkCreate with an n:m include", function()
  it("writes the join rows its build made: limited to the include's through.attributes", function()
    local M = models()
    local list = M.Post:bulkCreate({ { title = "d", Tags = { { name = "t4", PostTag = { role = "R", note = "N" } } } } },
      { include = { { model = M.Tag, through = { attributes = { "role" } } } } })
    -- Sequelize: INSERT INTO `PostTags` (`role`,`PostId`,`TagId`) VALUES ('R',2,2)
    local rows = M.PostTag:findAll{ where = { PostId = list[1].id }, raw = true }
    assert.same({ { role = "R", note = NULL, PostId = list[1].id, TagId = list[1].Tags[1].id } }, rows)
    -- without through.attributes: all the values given
    list = M.Post:bulkCreate({ { title = "e", Tags = { { name = "t5", PostTag = { role = "R", note = "N" } } } } },
      { include = { M.Tag } })
    rows = M.PostTag:findAll{ where = { PostId = list[1].id }, raw = true }
    assert.same({ { role = "R", note = "N", PostId = list[1].id, TagId = list[1].Tags[1].id } }, rows)
  end)
end)
