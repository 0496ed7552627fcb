-- include_spec: eager loading with `include` (every form in shared/API.md and issue 3).
--
-- Expected JSON strings were produced by Sequelize 6.37.8 (sqlite) running the same models and
-- the same rows (scripts in /tmp/seqref2/mine/c1b.js, c2.js, c3.js): JSON.stringify(result), with
-- every "2024-01-01T00:00:00.000Z" written as @D below. The models are defined so that
-- Sequelize's attribute order equals sequelua's column order (primary key, other attributes by
-- name, createdAt, updatedAt, then association keys in the order the associations were made),
-- so the strings are used as they came out, except where a comment says they were rearranged.
-- Queries with several rows per level carry an `order`, because SQLite's row order is otherwise
-- unspecified.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op
local S = Sequelize.stringify

local D = "2024-01-01 00:00:00.000 +00:00"
local function J(s)
  s = s:match("^%s*(.-)%s*$")
  return (s:gsub("@D", '"2024-01-01T00:00:00.000Z"'))
end

local function values(rows)
  local out = {}
  for i, r in ipairs(rows) do
    local parts = {}
    for j, v in ipairs(r) do
      if v == false then parts[j] = "NULL"
      elseif type(v) == "string" then parts[j] = "'" .. v .. "'"
      else parts[j] = tostring(v) end
    end
    out[i] = "(" .. table.concat(parts, ",") .. ",'" .. D .. "','" .. D .. "')"
  end
  return table.concat(out, ",")
end

-- The blog fixture (false = NULL):
--   Users 1 alice, 2 bob, 3 carol; Profiles 1 hi (alice)
--   Posts 1 Hello (alice), 2 World (alice), 3 Orphan (no user), 4 Zeta, 5 Alpha, 6 Mid (carol)
--   Tags 1 js, 2 lua; PostTags (1,js) (1,lua) (4,lua)
--   Comments 1 nice (post 1, author bob), 2 ok (post 4, author alice)
local function blog(log)
  local db = support.open(log)
  local M = { db = db }
  M.User = db:define("User", { name = DataTypes.STRING })
  M.Profile = db:define("Profile", { bio = DataTypes.STRING })
  M.Post = db:define("Post", { title = DataTypes.STRING })
  M.Tag = db:define("Tag", { name = DataTypes.STRING })
  M.Comment = db:define("Comment", { body = DataTypes.STRING })
  M.UserProfile = M.User:hasOne(M.Profile); M.Profile:belongsTo(M.User)
  M.UserPosts = M.User:hasMany(M.Post); M.PostUser = M.Post:belongsTo(M.User)
  M.PostTags = M.Post:belongsToMany(M.Tag, { through = "PostTags" })
  M.Tag:belongsToMany(M.Post, { through = "PostTags" })
  M.Post:hasMany(M.Comment); M.Comment:belongsTo(M.User, { as = "Author" })
  db:sync()
  db:query("INSERT INTO Users (id,name,createdAt,updatedAt) VALUES " .. values{ { 1, "alice" }, { 2, "bob" }, { 3, "carol" } })
  db:query("INSERT INTO Profiles (id,bio,UserId,createdAt,updatedAt) VALUES " .. values{ { 1, "hi", 1 } })
  db:query("INSERT INTO Posts (id,title,UserId,createdAt,updatedAt) VALUES " .. values{
    { 1, "Hello", 1 }, { 2, "World", 1 }, { 3, "Orphan", false }, { 4, "Zeta", 3 }, { 5, "Alpha", 3 }, { 6, "Mid", 3 } })
  db:query("INSERT INTO Tags (id,name,createdAt,updatedAt) VALUES " .. values{ { 1, "js" }, { 2, "lua" } })
  db:query("INSERT INTO PostTags (PostId,TagId,createdAt,updatedAt) VALUES " .. values{ { 1, 1 }, { 1, 2 }, { 4, 2 } })
  db:query("INSERT INTO Comments (id,body,PostId,AuthorId,createdAt,updatedAt) VALUES " .. values{ { 1, "nice", 1, 2 }, { 2, "ok", 4, 1 } })
  return M
end

local function selects(log)
  local n = 0
  for _, msg in ipairs(log) do
    local sql = msg:match("^Executing %(.-%): (.*)$") or msg
    if sql:match("^%s*SELECT") then n = n + 1 end
  end
  return n
end

local E = {
  posts = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1}]},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Posts":[]},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Posts":[{"id":4,"title":"Zeta","createdAt":@D,"updatedAt":@D,"UserId":3},{"id":5,"title":"Alpha","createdAt":@D,"updatedAt":@D,"UserId":3},{"id":6,"title":"Mid","createdAt":@D,"updatedAt":@D,"UserId":3}]}] ]],
  profile = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Profile":{"id":1,"bio":"hi","createdAt":@D,"updatedAt":@D,"UserId":1}},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Profile":null},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Profile":null}] ]],
  list = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Profile":{"id":1,"bio":"hi","createdAt":@D,"updatedAt":@D,"UserId":1},"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1}]},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Profile":null,"Posts":[]},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Profile":null,"Posts":[{"id":4,"title":"Zeta","createdAt":@D,"updatedAt":@D,"UserId":3},{"id":5,"title":"Alpha","createdAt":@D,"updatedAt":@D,"UserId":3},{"id":6,"title":"Mid","createdAt":@D,"updatedAt":@D,"UserId":3}]}] ]],
  post_user_tag = [[ [{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1,"User":{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D},"Tags":[{"id":1,"name":"js","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":1}},{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}]},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1,"User":{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D},"Tags":[]},{"id":3,"title":"Orphan","createdAt":@D,"updatedAt":@D,"UserId":null,"User":null,"Tags":[]},{"id":4,"title":"Zeta","createdAt":@D,"updatedAt":@D,"UserId":3,"User":{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D},"Tags":[{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}]},{"id":5,"title":"Alpha","createdAt":@D,"updatedAt":@D,"UserId":3,"User":{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D},"Tags":[]},{"id":6,"title":"Mid","createdAt":@D,"updatedAt":@D,"UserId":3,"User":{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D},"Tags":[]}] ]],
  depth2 = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1,"Tags":[{"id":1,"name":"js","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":1}},{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}]},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1,"Tags":[]}]},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Posts":[]},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Posts":[{"id":4,"title":"Zeta","createdAt":@D,"updatedAt":@D,"UserId":3,"Tags":[{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}]},{"id":5,"title":"Alpha","createdAt":@D,"updatedAt":@D,"UserId":3,"Tags":[]},{"id":6,"title":"Mid","createdAt":@D,"updatedAt":@D,"UserId":3,"Tags":[]}]}] ]],
  depth3 = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1,"Comments":[{"id":1,"body":"nice","createdAt":@D,"updatedAt":@D,"PostId":1,"AuthorId":2,"Author":{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D}}]},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1,"Comments":[]}]},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Posts":[]},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Posts":[{"id":4,"title":"Zeta","createdAt":@D,"updatedAt":@D,"UserId":3,"Comments":[{"id":2,"body":"ok","createdAt":@D,"updatedAt":@D,"PostId":4,"AuthorId":1,"Author":{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D}}]},{"id":5,"title":"Alpha","createdAt":@D,"updatedAt":@D,"UserId":3,"Comments":[]},{"id":6,"title":"Mid","createdAt":@D,"updatedAt":@D,"UserId":3,"Comments":[]}]}] ]],
  all_nested = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Profile":{"id":1,"bio":"hi","createdAt":@D,"updatedAt":@D,"UserId":1},"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1,"Tags":[{"id":1,"name":"js","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":1}},{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}],"Comments":[{"id":1,"body":"nice","createdAt":@D,"updatedAt":@D,"PostId":1,"AuthorId":2}]},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1,"Tags":[],"Comments":[]}]},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Profile":null,"Posts":[]},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Profile":null,"Posts":[{"id":4,"title":"Zeta","createdAt":@D,"updatedAt":@D,"UserId":3,"Tags":[{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}],"Comments":[{"id":2,"body":"ok","createdAt":@D,"updatedAt":@D,"PostId":4,"AuthorId":1}]},{"id":5,"title":"Alpha","createdAt":@D,"updatedAt":@D,"UserId":3,"Tags":[],"Comments":[]},{"id":6,"title":"Mid","createdAt":@D,"updatedAt":@D,"UserId":3,"Tags":[],"Comments":[]}]}] ]],
  where_req = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1}]}] ]],
  where_notreq = [[ [{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1}]},{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Posts":[]},{"id":3,"name":"carol","createdAt":@D,"updatedAt":@D,"Posts":[]}] ]],
  btm_where = [[ [{"title":"Hello","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}]},{"title":"Zeta","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}]}] ]],
  nested_req = [[ [{"name":"alice","Posts":[{"title":"Hello","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}]}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Zeta","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}]}]}] ]],
  nested_req_top = [[ [{"name":"alice","Posts":[{"title":"Hello","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}]}]},{"name":"carol","Posts":[{"title":"Zeta","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}]}]}] ]],
  through_none = [[ [{"title":"Hello","Tags":[{"id":1,"name":"js","createdAt":@D,"updatedAt":@D},{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D}]},{"title":"World","Tags":[]},{"title":"Orphan","Tags":[]},{"title":"Zeta","Tags":[{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D}]},{"title":"Alpha","Tags":[]},{"title":"Mid","Tags":[]}] ]],
  through_attr = [[ [{"title":"Hello","Tags":[{"name":"js","PostTags":{"createdAt":@D}},{"name":"lua","PostTags":{"createdAt":@D}}]},{"title":"World","Tags":[]},{"title":"Orphan","Tags":[]},{"title":"Zeta","Tags":[{"name":"lua","PostTags":{"createdAt":@D}}]},{"title":"Alpha","Tags":[]},{"title":"Mid","Tags":[]}] ]],
  through_where = [[ [{"title":"Hello","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":1,"TagId":2}}]},{"title":"World","Tags":[]},{"title":"Orphan","Tags":[]},{"title":"Zeta","Tags":[{"name":"lua","PostTags":{"createdAt":@D,"updatedAt":@D,"PostId":4,"TagId":2}}]},{"title":"Alpha","Tags":[]},{"title":"Mid","Tags":[]}] ]],
}

describe("include", function()
  local M, log
  before_each(function()
    log = {}
    M = blog(log)
  end)
  after_each(function()
    M.db:close()
  end)

  describe("forms", function()
    it("an alias string, the model, the association object and the table forms give the same result", function()
      local User, Post = M.User, M.Post
      local forms = {
        { "alias string", "Posts" },
        { "model", Post },
        { "association returned by hasMany", M.UserPosts },
        { "User.associations.Posts", User.associations.Posts },
        { "{ model }", { model = Post } },
        { "{ model, as }", { model = Post, as = "Posts" } },
        { "{ association = name }", { association = "Posts" } },
        { "{ association = object }", { association = M.UserPosts } },
        { "list of an alias string", { "Posts" } },
        { "list of a model", { Post } },
        { "list of a table", { { model = Post } } },
      }
      for _, f in ipairs(forms) do
        local rows = User:findAll{ include = f[2], order = { { "id", "ASC" }, { Post, "id", "ASC" } } }
        assert.are.equal(J(E.posts), S(rows), "include form: " .. f[1])
      end
    end)

    it("a hasOne include: the target under its singular name, null when missing", function()
      local rows = M.User:findAll{ include = M.Profile, order = { { "id", "ASC" } } }
      assert.are.equal(J(E.profile), S(rows))
      assert.are.equal("hi", rows[1].Profile.bio)
      assert.are.equal(1, rows[1].Profile.UserId)
      assert.is_nil(rows[2].Profile)
      assert.is_nil(rows[3].Profile)
    end)

    it("a list of includes (hasOne and hasMany) on one query", function()
      local rows = M.User:findAll{ include = { M.Profile, M.Post }, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal(J(E.list), S(rows))
      -- the same with the table forms and alias strings mixed
      rows = M.User:findAll{ include = { "Profile", { model = M.Post } }, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal(J(E.list), S(rows))
    end)

    it("belongsTo and belongsToMany: the parent under its singular name, join rows under the through model's name", function()
      local rows = M.Post:findAll{ include = { M.User, M.Tag }, order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } } }
      assert.are.equal(J(E.post_user_tag), S(rows))
      assert.are.equal(6, #rows)
      assert.are.equal("alice", rows[1].User.name)
      assert.is_nil(rows[3].User)                        -- Orphan: UserId NULL -> no User
      assert.are.equal(2, #rows[1].Tags)
      assert.are.equal("lua", rows[1].Tags[2].name)
      assert.are.equal(1, rows[1].Tags[2].PostTags.PostId)
      assert.are.equal(2, rows[1].Tags[2].PostTags.TagId)
      assert.are.equal(0, #rows[2].Tags)
    end)

    it("included rows are instances of the target model", function()
      local alice = M.User:findOne{ where = { id = 1 }, include = { M.Profile, M.Post }, order = { { M.Post, "id", "ASC" } } }
      assert.is_false(alice.Posts[1].isNewRecord)
      alice.Posts[1]:update({ title = "Hi" })
      alice.Profile.bio = "changed"
      alice.Profile:save()
      assert.are.equal("Hi", M.Post:findByPk(1).title)
      assert.are.equal("changed", M.Profile:findByPk(1).bio)
      -- toJSON is plain and nested; a missing one-association is Sequelize.null there
      local plain = alice:toJSON()
      assert.are.equal("Hi", plain.Posts[1].title)
      assert.are.equal("changed", plain.Profile.bio)
      local bob = M.User:findByPk(2, { include = { M.Profile, M.Post } })
      local bp = bob:toJSON()
      assert.are.equal(Sequelize.null, bp.Profile)
      assert.are.same({}, bp.Posts)
      assert.are.equal('{"id":2,"name":"bob","createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z","Profile":null,"Posts":[]}', S(bob))
      assert.are.equal(S(bob), tostring(bob))
    end)

    it("nests to depth 2 (hasMany then belongsToMany)", function()
      local rows = M.User:findAll{
        include = { model = M.Post, include = { M.Tag } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" }, { M.Post, M.Tag, "id", "ASC" } },
      }
      assert.are.equal(J(E.depth2), S(rows))
      assert.are.equal("js", rows[1].Posts[1].Tags[1].name)
      assert.are.equal(0, #rows[1].Posts[2].Tags)
    end)

    it("nests to depth 3 with an aliased belongsTo at the bottom", function()
      local rows = M.User:findAll{
        include = { model = M.Post, include = { model = M.Comment, include = { model = M.User, as = "Author" } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } },
      }
      assert.are.equal(J(E.depth3), S(rows))
      assert.are.equal("bob", rows[1].Posts[1].Comments[1].Author.name)
      assert.are.equal("alice", rows[3].Posts[1].Comments[1].Author.name)
      -- the same through alias strings at every level
      rows = M.User:findAll{
        include = { association = "Posts", include = { association = "Comments", include = { "Author" } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } },
      }
      assert.are.equal(J(E.depth3), S(rows))
    end)

    it("{ all = true } includes every association of the model, in the order they were made", function()
      local rows = M.User:findAll{ include = { all = true }, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal(J(E.list), S(rows))
      rows = M.User:findAll{ include = { { all = true } }, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal(J(E.list), S(rows))
    end)

    it("{ all = true, nested = true } recurses without going back to a model already on the path", function()
      -- Sequelize: Posts get Tags and Comments; Comment.Author (User), Post.User and Tag.Posts are skipped
      local rows = M.User:findAll{
        include = { all = true, nested = true },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" }, { M.Post, M.Tag, "id", "ASC" }, { M.Post, M.Comment, "id", "ASC" } },
      }
      assert.are.equal(J(E.all_nested), S(rows))
    end)

    it("{ all = 'HasMany' } includes only that kind", function()
      local rows = M.User:findAll{ attributes = { "name" }, include = { { all = "HasMany" } }, where = { id = 1 },
        order = { { M.Post, "id", "ASC" } } }
      assert.are.equal(J([[ [{"name":"alice","Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1}]}] ]]), S(rows))
    end)

    it("an { all = ... } item's own include goes to every include it adds", function()
      -- Sequelize 6.37.8 (_expandIncludeAllElement clones the whole item):
      -- [{"id":1,"body":"nice",...,"Author":{"id":2,"name":"bob",...,"Profile":null}},
      --  {"id":2,"body":"ok",...,"Author":{"id":1,"name":"alice",...,"Profile":{"id":1,"bio":"hi",...}}}]
      local rows = M.Comment:findAll{ include = { { all = "BelongsTo", include = { { all = "HasOne" } } } }, order = { { "id", "ASC" } } }
      assert.are.equal(J([[ [{"id":1,"body":"nice","createdAt":@D,"updatedAt":@D,"PostId":1,"AuthorId":2,"Author":{"id":2,"name":"bob","createdAt":@D,"updatedAt":@D,"Profile":null}},{"id":2,"body":"ok","createdAt":@D,"updatedAt":@D,"PostId":4,"AuthorId":1,"Author":{"id":1,"name":"alice","createdAt":@D,"updatedAt":@D,"Profile":{"id":1,"bio":"hi","createdAt":@D,"updatedAt":@D,"UserId":1}}}] ]]), S(rows))
      -- a nested include the added one has not: Sequelize's "Tag is not associated to User!", no SQL
      support.clear(log)
      local err = support.catch_error(function()
        M.Comment:findAll{ include = { { all = "BelongsTo", include = { { model = M.Tag } } } } }
      end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("Tag is not associated to User!", err.message)
      assert.are.equal(0, selects(log))
    end)

    it("Sequelize.null for an include's required, duplicating or separate is false, as JavaScript's null", function()
      local N = Sequelize.null
      -- Sequelize 6.37.8 (required: null with a where: LEFT OUTER JOIN ... AND `Posts`.`title` = 'Hello'):
      -- [{"name":"alice","Posts":[{"title":"Hello"}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[]}]
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[]}]',
        S(M.User:findAll{ attributes = { "name" }, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } },
          include = { { model = M.Post, attributes = { "title" }, where = { title = "Hello" }, required = N } } }))
      -- duplicating: null: LIMIT 1 on the joined rows, one query: [{"name":"alice","Posts":[{"title":"Hello"}]}]
      support.clear(log)
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"}]}]',
        S(M.User:findAll{ attributes = { "name" }, limit = 1, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } },
          include = { { model = M.Post, attributes = { "title" }, duplicating = N, required = true } } }))
      assert.are.equal(1, selects(log))
      -- separate: null: joined, one query: [{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}]
      support.clear(log)
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}]',
        S(M.User:findAll{ attributes = { "name" }, where = { id = 1 }, order = { { M.Post, "id", "ASC" } },
          include = { { model = M.Post, attributes = { "title" }, separate = N } } }))
      assert.are.equal(1, selects(log))
    end)

    it("Sequelize.null for an include's where, attributes or order, and a finder's where, include, attributes or order, is not given", function()
      local N = Sequelize.null
      -- Sequelize 6.37.8, include where: null / attributes: null / order: null (each alone):
      -- [{"name":"alice","Posts":[{"id":1,"title":"Hello",...,"UserId":1},{"id":2,"title":"World",...,"UserId":1}]}]
      assert.are.equal(J([[ [{"name":"alice","Posts":[{"id":1,"title":"Hello","createdAt":@D,"updatedAt":@D,"UserId":1},{"id":2,"title":"World","createdAt":@D,"updatedAt":@D,"UserId":1}]}] ]]),
        S(M.User:findAll{ attributes = { "name" }, where = { id = 1 }, order = { { M.Post, "id", "ASC" } },
          include = { { model = M.Post, where = N, attributes = N, order = N } } }))
      -- findAll({ where: null, include: null, attributes: null, order: null }): the 3 users; count({ where: null }): 3
      assert.are.equal(3, #M.User:findAll{ where = N, include = N, attributes = N, order = N })
      assert.are.equal(3, M.User:count{ where = N })
      assert.are.equal(3, M.User:findAndCountAll{ where = N, include = N }.count)
      -- (a getter's too: alice's two posts)
      assert.are.equal(2, #M.User:findByPk(1):getPosts{ where = N, order = N, attributes = N })
    end)

    it("an include flag that is no boolean raises, naming the include (required = 0 is false in JavaScript, true in Lua)", function()
      -- (Sequelize 6.37.8 reads required: 0 as false: a LEFT JOIN)
      local err = support.catch_error(function()
        M.User:findAll{ include = { { model = M.Post, required = 0 } } }
      end)
      assert.are.equal("Error", err.name)
      assert.are.equal("include Post on User: required must be a boolean, got number", err.message)
      err = support.catch_error(function()
        M.User:findAll{ include = { { association = "Posts", separate = "yes" } } }
      end)
      assert.are.equal("include Posts on User: separate must be a boolean, got string", err.message)
      assert.are.equal(0, selects(log))
    end)

    it("Sequelize.col of a three-part path names the nested include's column (`Posts->Comments`.`id`)", function()
      -- Sequelize 6.37.8: COUNT(`Posts->Comments`.`id`) AS `n` ... GROUP BY `User`.`id`
      -- [{"name":"alice","n":1},{"name":"bob","n":0},{"name":"carol","n":1}]
      local rows = M.User:findAll{ order = { { "id", "ASC" } }, group = { "User.id" },
        attributes = { "name", { Sequelize.fn("COUNT", Sequelize.col("Posts.Comments.id")), "n" } },
        include = { { model = M.Post, attributes = {}, include = { { model = M.Comment, attributes = {} } } } } }
      assert.are.equal('[{"name":"alice","n":1},{"name":"bob","n":0},{"name":"carol","n":1}]', S(rows))
      -- WHERE `Posts->Comments`.`body` = 'ok': [{"name":"carol","Posts":[{"title":"Zeta","Comments":[{"body":"ok"}]}]}]
      rows = M.User:findAll{ attributes = { "name" }, where = Sequelize.where(Sequelize.col("Posts.Comments.body"), "ok"),
        include = { { model = M.Post, attributes = { "title" }, include = { { model = M.Comment, attributes = { "body" } } } } } }
      assert.are.equal('[{"name":"carol","Posts":[{"title":"Zeta","Comments":[{"body":"ok"}]}]}]', S(rows))
    end)

    it("`or = true` ORs the include's where with the join condition (Sequelize's include.or)", function()
      -- Sequelize 6.37.8: INNER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` OR `Posts`.`title` = 'Orphan'
      -- [{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"},{"title":"Orphan"}]},{"name":"bob","Posts":[{"title":"Orphan"}]},
      --  {"name":"carol","Posts":[{"title":"Orphan"},{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}]
      local rows = M.User:findAll{ attributes = { "name" }, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } },
        include = { { model = M.Post, attributes = { "title" }, where = { title = "Orphan" }, ["or"] = true } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"},{"title":"Orphan"}]},{"name":"bob","Posts":[{"title":"Orphan"}]},{"name":"carol","Posts":[{"title":"Orphan"},{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}]', S(rows))
      assert.matches("ON `User`.`id` = `Posts`.`UserId` OR `Posts`.`title` = ?", log[#log], 1, true)
      -- an n:m or separate include refuses it (Sequelize ignores it there: the where is ANDed)
      local err = support.catch_error(function()
        M.Post:findAll{ include = { { model = M.Tag, where = { name = "js" }, ["or"] = true } } }
      end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("include Tags of Post: `or` is for a joined one-to-one or one-to-many include", err.message)
    end)

    it("an n:m object's join row comes before its own includes, after them when the include gave attributes", function()
      -- Sequelize 6.37.8 (its build sets the values in column order, or the attributes then the include names):
      -- [{"title":"Zeta","Tags":[{"id":2,"name":"lua",...,"PostTags":{"PostId":4},"Posts":[{"title":"Hello"},{"title":"Zeta"}]}]}]
      -- [{"title":"Zeta","Tags":[{"name":"lua","Posts":[{"title":"Hello"},{"title":"Zeta"}],"PostTags":{"PostId":4}}]}]
      local inner = { { model = M.Post, attributes = { "title" }, through = { attributes = {} } } }
      local order = { { M.Tag, M.Post, "id", "ASC" } }
      assert.are.equal(J([[ [{"title":"Zeta","Tags":[{"id":2,"name":"lua","createdAt":@D,"updatedAt":@D,"PostTags":{"PostId":4},"Posts":[{"title":"Hello"},{"title":"Zeta"}]}]}] ]]),
        S(M.Post:findAll{ attributes = { "title" }, where = { id = 4 }, order = order,
          include = { { model = M.Tag, through = { attributes = { "PostId" } }, include = inner } } }))
      assert.are.equal('[{"title":"Zeta","Tags":[{"name":"lua","Posts":[{"title":"Hello"},{"title":"Zeta"}],"PostTags":{"PostId":4}}]}]',
        S(M.Post:findAll{ attributes = { "title" }, where = { id = 4 }, order = order,
          include = { { model = M.Tag, attributes = { "name" }, through = { attributes = { "PostId" } }, include = inner } } }))
    end)

    it("findOne and findByPk take include", function()
      local alice = M.User:findOne{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}', S(alice))
      local carol = M.User:findByPk(3, { attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        order = { { M.Post, "id", "ASC" } } })
      assert.are.equal('{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}', S(carol))
      assert.is_nil(M.User:findByPk(99, { include = M.Post }))
    end)
  end)

  -- An n:m include's join rows (tag.PostTags) are made on their first read: until then their
  -- values wait in the target instance. Every way of reading must see the same instance.
  describe("join rows made on first read", function()
    local function tags()
      local rows = M.Post:findAll{ include = { M.User, M.Tag }, order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } } }
      return rows, rows[1].Tags[2]
    end

    it("reading tag.PostTags makes one instance of the through model, the same on every read", function()
      local rows, lua = tags()
      assert.is_nil(rawget(lua, "PostTags"))             -- not made by the query
      local jr = lua.PostTags
      assert.are.equal(M.db.models.PostTags, jr.Model)
      assert.are.same({ 1, 2, "2024-01-01T00:00:00.000Z" }, { jr.PostId, jr.TagId, jr.createdAt })
      assert.is_false(jr.isNewRecord)
      assert.are.equal(jr, lua.PostTags)
      assert.are.equal(jr, rawget(lua, "PostTags"))
      -- the tag keeps only its own attributes in get({ raw = true })
      assert.are.same({ id = 2, name = "lua", createdAt = "2024-01-01T00:00:00.000Z", updatedAt = "2024-01-01T00:00:00.000Z" },
        lua:get({ raw = true }))
      assert.are.equal(J(E.post_user_tag), S(rows))     -- read or not, the JSON is Sequelize's
    end)

    it("toJSON, get({ plain = true }), getDataValue and get(key) make it as a read does", function()
      local rows, lua = tags()
      local plain = lua:get({ plain = true })
      assert.are.same({ createdAt = "2024-01-01T00:00:00.000Z", updatedAt = "2024-01-01T00:00:00.000Z", PostId = 1, TagId = 2 },
        plain.PostTags)
      assert.are.equal(lua.PostTags, rawget(lua, "PostTags"))
      rows, lua = tags()
      assert.are.equal(2, lua:getDataValue("PostTags").TagId)
      assert.are.equal(lua:getDataValue("PostTags"), lua:get("PostTags"))
      rows, lua = tags()
      local js = S(rows[1])
      assert.truthy(js:find('"PostTags":{"createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z","PostId":1,"TagId":2}', 1, true))
      assert.are.equal(4, rows[4].Tags[1].PostTags.PostId)
    end)

    it("an assignment replaces it before or after the first read, nil included", function()
      local _, lua = tags()
      lua.PostTags = { note = "mine" }                    -- before any read
      assert.are.equal("mine", lua.PostTags.note)
      local _, js = tags()
      assert.are.equal(1, js.PostTags.PostId)
      js.PostTags = nil                                   -- after a read: stays gone
      assert.is_nil(js.PostTags)
      assert.is_nil(js:getDataValue("PostTags"))
      local _, fresh = tags()
      fresh.PostTags = nil                                -- before any read: gone too
      assert.is_nil(fresh.PostTags)
      assert.are.equal(Sequelize.null, fresh:get({ plain = true }).PostTags) -- as for any include set to nil
    end)

    it("set() of the through model's name replaces it with an instance built from the values", function()
      -- Sequelize 6.37.8: tag.set('PostTag', { role: 'x' }) -> tag.PostTag a PostTag instance,
      -- isNewRecord false, toJSON {"id":1,"label":"t1","PostTag":{"role":"x"}}; set(k, null) ->
      -- "PostTag":null; set({ label: 'zz', PostTag: {...} }) -> changed() ['label']
      local _, lua = tags()
      lua:set("PostTags", { PostId = 9 })
      local jr = lua.PostTags
      assert.are.equal(M.db.models.PostTags, jr.Model)
      assert.are.same({ 9, nil, false }, { jr.PostId, jr.TagId, jr.isNewRecord })
      assert.are.equal('{"PostId":9}', S(lua:get({ plain = true }).PostTags))
      lua:set("PostTags", Sequelize.null)
      assert.are.equal(Sequelize.null, lua:get({ plain = true }).PostTags)
      local _, js = tags()
      js:set({ name = "zz", PostTags = { TagId = 7 } })
      assert.are.same({ 7, "zz" }, { js.PostTags.TagId, js.name })
      assert.are.same({ "name" }, js:changed())
    end)

    it("a target with its own includes keeps its join row apart from theirs", function()
      -- Post -> Tags (join row PostTags) -> Posts (join row PostTags again, of the other post)
      local rows = M.Post:findAll{ where = { id = 4 }, include = { model = M.Tag, include = M.Post },
        order = { { M.Tag, M.Post, "id", "ASC" } } }
      local lua = rows[1].Tags[1]
      assert.are.equal("lua", lua.name)
      assert.are.same({ 1, 4 }, { lua.Posts[1].id, lua.Posts[2].id })
      assert.are.same({ 1, 2 }, { lua.Posts[1].PostTags.PostId, lua.Posts[1].PostTags.TagId })
      assert.are.same({ 4, 2 }, { lua.PostTags.PostId, lua.PostTags.TagId })
      assert.are.same({ 4, 2 }, { lua.Posts[2].PostTags.PostId, lua.Posts[2].PostTags.TagId })
      assert.are_not.equal(lua.PostTags, lua.Posts[2].PostTags) -- one instance per place, as Sequelize
    end)

    it("two levels down, with the join row's attributes chosen, and saved through its own model", function()
      local rows = M.User:findAll{ include = { model = M.Post, include = { model = M.Tag, through = { attributes = { "TagId" } } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" }, { M.Post, M.Tag, "id", "ASC" } } }
      local jr = rows[1].Posts[1].Tags[2].PostTags
      assert.are.same({ 2, nil, nil }, { jr.TagId, jr.PostId, jr.createdAt })
      assert.are.equal('{"TagId":2}', S(jr))
      rows = M.Post:findAll{ include = M.Tag, where = { id = 4 } }
      jr = rows[1].Tags[1].PostTags
      -- (a field write of a saved row's time stamp is ignored, as Sequelize's set: setDataValue)
      jr:setDataValue("createdAt", "2025-02-03T04:05:06.000Z")
      jr:save()
      local again = M.Post:findAll{ include = M.Tag, where = { id = 4 } }[1].Tags[1].PostTags
      assert.are.equal(jr.updatedAt, again.updatedAt)   -- save stamped it
      assert.are_not.equal("2024-01-01T00:00:00.000Z", again.updatedAt)
    end)
  end)

  describe("where and required", function()
    it("an optional n:m include with a required child keeps the parents it misses (Sequelize)", function()
      -- (the child joins inside the n:m's parentheses: it removes join rows, not tags)
      local rows = M.Tag:findAll{ attributes = { "id" }, order = { { "id", "ASC" } },
        include = { model = M.Post, attributes = { "id" }, through = { attributes = {} },
                    include = { model = M.User, attributes = { "name" }, where = { name = "carol" } } } }
      assert.are.equal('[{"id":1,"Posts":[]},{"id":2,"Posts":[{"id":4,"User":{"name":"carol"}}]}]', S(rows))
      assert.are.equal(2, M.Tag:count{ include = { model = M.Post, include = { model = M.User, where = { name = "carol" } } } })
    end)

    it("a where on a hasMany include makes it required: parents without a match disappear", function()
      local rows = M.User:findAll{ include = { model = M.Post, where = { title = "Hello" } } }
      assert.are.equal(J(E.where_req), S(rows))
      assert.are.equal(1, #rows)
    end)

    it("required = false keeps every parent (a LEFT join filtered on the include)", function()
      local rows = M.User:findAll{ include = { model = M.Post, where = { title = "Hello" }, required = false }, order = { { "id", "ASC" } } }
      assert.are.equal(J(E.where_notreq), S(rows))
    end)

    it("required = true without a where drops parents that have no row", function()
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" }, required = true },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]},{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}]', S(rows))
    end)

    it("a where on a belongsTo include filters the parents", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.User, attributes = { "name" }, where = { name = "alice" } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"title":"Hello","User":{"name":"alice"}},{"title":"World","User":{"name":"alice"}}]', S(rows))
    end)

    it("a where on a belongsToMany include filters parents and targets, with Op values", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, where = { name = "lua" } },
        order = { { "id", "ASC" } } }
      assert.are.equal(J(E.btm_where), S(rows))
      rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, where = { name = { [Op.like] = "l%" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal(J(E.btm_where), S(rows))
    end)

    it("a required include nested under an optional one removes only the inner rows", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, where = { name = "lua" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal(J(E.nested_req), S(rows))
    end)

    it("a required include nested under a required one removes the parents too", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, required = true,
          include = { model = M.Tag, attributes = { "name" }, where = { name = "lua" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal(J(E.nested_req_top), S(rows))
    end)

    it("'$alias.column$' keys in the top where reach included columns", function()
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        where = { ["$Posts.title$"] = "Hello" } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"}]}]', S(rows))
      rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Profile, attributes = { "bio" } },
        where = { ["$Profile.bio$"] = { [Op.ne] = Sequelize.null } } }
      assert.are.equal('[{"name":"alice","Profile":{"bio":"hi"}}]', S(rows))
      rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        where = { [Op.or_] = { { ["$Posts.title$"] = "Mid" }, { name = "bob" } } }, order = { { "id", "ASC" } } }
      assert.are.equal('[{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Mid"}]}]', S(rows))
    end)

    it("'$a.b.column$' reaches a nested include", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} } } },
        where = { ["$Posts.Tags.name$"] = "lua" }, order = { { "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello","Tags":[{"name":"lua"}]}]},{"name":"carol","Posts":[{"title":"Zeta","Tags":[{"name":"lua"}]}]}]', S(rows))
    end)

    it("an included value in a where is bound, never spliced into the SQL", function()
      log = {}
      local M2 = blog(log)
      local needle = "zq'x"
      local rows = M2.User:findAll{ include = { model = M2.Post, where = { title = needle } } }
      assert.are.equal(0, #rows)
      rows = M2.User:findAll{ include = M2.Post, where = { ["$Posts.title$"] = needle } }
      assert.are.equal(0, #rows)
      for _, msg in ipairs(log) do
        assert.is_nil(msg:find(needle, 1, true), msg)
      end
      M2.db:close()
    end)
  end)

  describe("attributes", function()
    it("attributes on the parent and on includes; keys hidden when the key was not asked for", function()
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}]', S(rows))
    end)

    it("attribute lists come out in column order (our rule); includes come in include order", function()
      -- Sequelize: {"title":"Hello","id":1,...} (list order); keys rearranged to sequelua's column order
      local rows = M.Post:findAll{ where = { id = 1 }, attributes = { "title", "id" },
        include = { { model = M.Tag, attributes = { "name" }, through = { attributes = {} } }, { model = M.User, attributes = { "name" } } },
        order = { { M.Tag, "id", "ASC" } } }
      assert.are.equal('[{"id":1,"title":"Hello","Tags":[{"name":"js"},{"name":"lua"}],"User":{"name":"alice"}}]', S(rows))
    end)

    it("{ exclude = ... } on the parent and on an include", function()
      local rows = M.User:findAll{ where = { id = 1 }, attributes = { exclude = { "createdAt", "updatedAt" } },
        include = { model = M.Post, attributes = { exclude = { "createdAt", "updatedAt" } } }, order = { { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"id":1,"name":"alice","Posts":[{"id":1,"title":"Hello","UserId":1},{"id":2,"title":"World","UserId":1}]}]', S(rows))
    end)

    it("aliases and computed columns stay with their object when there are includes (Sequelize)", function()
      local rows = M.User:findAll{ where = { id = 1 }, attributes = { "id", { "name", "nm" } },
        include = { { model = M.Post, attributes = { { "title", "t" }, { Sequelize.fn("upper", Sequelize.col("Posts.title")), "up" } } } },
        order = { { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"id":1,"nm":"alice","Posts":[{"t":"Hello","up":"HELLO"},{"t":"World","up":"WORLD"}]}]', S(rows))
      assert.are.equal("alice", rows[1].nm)
      assert.are.equal("alice", rows[1]:get("nm"))
      assert.are.equal("WORLD", rows[1].Posts[2].up)
      assert.are.same({ id = 1, nm = "alice", Posts = { { t = "Hello", up = "HELLO" }, { t = "World", up = "WORLD" } } },
        rows[1]:toJSON())
    end)

    it("an include with attributes = {} makes no objects and no key; it still joins, filters and counts", function()
      -- the list page idiom: a count per parent over an include that shows nothing
      local rows = M.User:findAll{ attributes = { "id", { Sequelize.fn("count", Sequelize.col("Posts.id")), "n" } },
        include = { { model = M.Post, attributes = {} } }, group = { "User.id" }, order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1,"n":2},{"id":2,"n":0},{"id":3,"n":3}]', S(rows))
      assert.is_nil(rows[1].Posts)
      rows = M.User:findAll{ attributes = { "name" }, include = { { model = M.Post, attributes = {}, where = { title = "Hello" } } } }
      assert.are.equal('[{"name":"alice"}]', S(rows))
      -- a level that shows nothing itself but has an include below that does keeps its objects
      -- (Sequelize 6.37 throws a TypeError in _groupJoinData on this query)
      rows = M.User:findAll{ where = { id = 1 }, attributes = { "name" },
        include = { { model = M.Post, attributes = {}, include = { { model = M.Comment, attributes = { "body" } } } } },
        order = { { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"Comments":[{"body":"nice"}]},{"Comments":[]}]}]', S(rows))
    end)

    it("an n:m include with attributes = {} only joins and filters: no targets, whatever the join row shows", function()
      -- Sequelize 6.37.8 (the blog fixture): [{"title":"Hello"},{"title":"Zeta"}];
      -- [{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6}]; [{"id":1}] (Tags undefined)
      local rows = M.Post:findAll{ attributes = { "title" }, include = { { model = M.Tag, where = { name = "lua" }, attributes = {} } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"title":"Hello"},{"title":"Zeta"}]', S(rows))
      rows = M.Post:findAll{ attributes = { "id" }, include = { { model = M.Tag, attributes = {} } }, order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6}]', S(rows))
      rows = M.Post:findAll{ attributes = { "id" }, where = { id = 1 },
        include = { { model = M.Tag, attributes = {}, through = { attributes = { "createdAt" } } } } }
      assert.are.equal('[{"id":1}]', S(rows))
      assert.is_nil(rows[1].Tags)
    end)

    it("through = { attributes = {} } drops the join row", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.Tag, through = { attributes = {} } },
        order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } } }
      assert.are.equal(J(E.through_none), S(rows))
      assert.is_nil(rows[1].Tags[1].PostTags)
    end)

    it("through = { attributes = {...} } keeps only those join columns", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = { "createdAt" } } },
        order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } } }
      assert.are.equal(J(E.through_attr), S(rows))
      assert.are.equal("2024-01-01T00:00:00.000Z", rows[1].Tags[1].PostTags.createdAt)
    end)

    it("raw rows of a through attribute list carry both keys of the join row too", function()
      -- Sequelize 6.37.8 selects them (an instance shows what was listed):
      -- { 'w' }: [{"id":1,"name":"t","tags.id":1,"tags.name":"x","tags.TaskTag.tagId":1,"tags.TaskTag.taskId":1,"tags.TaskTag.w":5}]
      -- { 'tagId' }: tags.TaskTag.tagId and taskId; {}: neither; nest: "TaskTag":{"tagId":1,"taskId":1,"w":5};
      -- [{"id":1,"name":"t","tags":[{"id":1,"name":"x","TaskTag":{"w":5}}]}] without raw
      local db = support.open()
      local Task = db:define("task", { name = DataTypes.STRING }, { timestamps = false })
      local Tag = db:define("tag", { name = DataTypes.STRING }, { timestamps = false })
      local TT = db:define("TaskTag", { w = DataTypes.INTEGER }, { timestamps = false })
      Task:belongsToMany(Tag, { through = TT }); Tag:belongsToMany(Task, { through = TT })
      db:sync()
      Task:create({ name = "t" }); Tag:create({ name = "x" })
      db:query("INSERT INTO TaskTags (taskId, tagId, w) VALUES (1, 1, 5)")
      local function q(attrs, o)
        o = o or {}
        o.include = { { model = Tag, through = { attributes = attrs } } }
        return S(Task:findAll(o))
      end
      assert.are.equal('[{"id":1,"name":"t","tags.TaskTag.tagId":1,"tags.TaskTag.taskId":1,"tags.TaskTag.w":5,'
        .. '"tags.id":1,"tags.name":"x"}]', q({ "w" }, { raw = true }))
      assert.are.equal('[{"id":1,"name":"t","tags.TaskTag.tagId":1,"tags.TaskTag.taskId":1,"tags.id":1,"tags.name":"x"}]',
        q({ "tagId" }, { raw = true }))
      assert.are.equal('[{"id":1,"name":"t","tags.id":1,"tags.name":"x"}]', q({}, { raw = true }))
      assert.are.equal('[{"id":1,"name":"t","tags":{"TaskTag":{"tagId":1,"taskId":1,"w":5},"id":1,"name":"x"}}]',
        q({ "w" }, { raw = true, nest = true }))
      assert.are.equal('[{"id":1,"name":"t","tags":[{"id":1,"name":"x","TaskTag":{"w":5}}]}]', q({ "w" }))
      db:close()
    end)

    it("a DISTINCT select gets no key columns added: its rows stay distinct, raw or not", function()
      -- Sequelize 6.37.8 (the blog fixture), raw: [{"n":null},{"n":"alice"},{"n":"carol"}]
      -- (SELECT DISTINCT(`User`.`name`) AS `n` FROM `Posts` AS `Post` LEFT OUTER JOIN `Users` AS `User` ...);
      -- [{"n":"alice"},{"n":"carol"}] (SELECT DISTINCT `User`.`name` AS `n` FROM `Users` AS `User` INNER JOIN ...);
      -- [{"name":"js"},{"name":"lua"}]; without raw it fails (SELECT `Post`.`id`, DISTINCT(...): a syntax error)
      local rows = M.Post:findAll{ attributes = { { Sequelize.fn("DISTINCT", Sequelize.col("User.name")), "n" } },
        include = { { model = M.User, attributes = {} } }, raw = true, order = { { Sequelize.col("n"), "ASC" } } }
      assert.are.equal('[{"n":null},{"n":"alice"},{"n":"carol"}]', S(rows))
      assert.truthy(log[#log]:find("SELECT DISTINCT(`User`.`name`) AS `n` FROM `Posts` AS `Post` LEFT OUTER JOIN", 1, true), log[#log])
      rows = M.User:findAll{ attributes = { { Sequelize.literal("DISTINCT `User`.`name`"), "n" } },
        include = { { model = M.Post, attributes = {}, required = true } }, raw = true, order = { { Sequelize.col("n"), "ASC" } } }
      assert.are.equal('[{"n":"alice"},{"n":"carol"}]', S(rows))
      rows = M.Tag:findAll{ attributes = { { Sequelize.fn("DISTINCT", Sequelize.col("name")), "name" } },
        include = { { model = M.Post, attributes = {}, through = { attributes = {} }, required = true } }, raw = true,
        order = { { "name", "ASC" } } }
      assert.are.equal('[{"name":"js"},{"name":"lua"}]', S(rows))
      -- instances (our rule): one per distinct row, not merged by a key; a limit pages those rows
      rows = M.Post:findAll{ attributes = { { Sequelize.fn("DISTINCT", Sequelize.col("User.name")), "n" } },
        include = { { model = M.User, attributes = {} } }, order = { { Sequelize.col("n"), "ASC" } } }
      assert.are.equal('[{"n":null},{"n":"alice"},{"n":"carol"}]', S(rows))
      rows = M.User:findAll{ attributes = { { Sequelize.fn("DISTINCT", Sequelize.col("User.name")), "n" } },
        include = { { model = M.Post, attributes = {} } }, order = { { Sequelize.col("n"), "ASC" } }, limit = 2 }
      assert.are.equal('[{"n":"alice"},{"n":"bob"}]', S(rows))
      -- a plain select still merges its parents by key
      rows = M.User:findAll{ attributes = { "name" }, include = { { model = M.Post, attributes = {} } }, where = { id = 1 } }
      assert.are.equal('[{"name":"alice"}]', S(rows))
      -- a keyless to-many level below another is refused, for its key not selected (not for
      -- a key its model lacks)
      local err = support.catch(M.User.findAll, M.User, { attributes = { { Sequelize.fn("DISTINCT", Sequelize.col("User.name")), "n" } },
        include = { { model = M.Post, attributes = { "title" }, include = { { model = M.Tag, attributes = { "name" } } } } } })
      assert.are.equal("Post has no primary key selected (a DISTINCT select adds none): included as Posts, its rows repeat "
        .. "with each row of the to-many include Posts.Tags and cannot be told apart from them; include one of the two "
        .. "with separate = true", err.message)
    end)

    it("through = { where = ... } filters the join rows and keeps every parent", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { where = { TagId = 2 } } },
        order = { { "id", "ASC" } } }
      assert.are.equal(J(E.through_where), S(rows))
    end)
  end)

  describe("order by included columns", function()
    local function q(order)
      return S(M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } }, order = order })
    end

    local desc = '[{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Mid"},{"title":"Alpha"}]},{"name":"alice","Posts":[{"title":"World"},{"title":"Hello"}]},{"name":"bob","Posts":[]}]'

    it("{ Model, column, direction }", function()
      assert.are.equal(desc, q{ { M.Post, "title", "DESC" } })
    end)

    it("one expression as the whole order, with an include and a limit", function()
      local rows = M.User:findAll{ attributes = { "id", "name" }, include = { model = M.Post, attributes = { "id" } },
        order = Sequelize.literal("`User`.`name` DESC"), limit = 2 }
      assert.are.same({ "carol", "bob" }, support.field(rows, "name"))
      rows = M.Post:findAll{ attributes = { "id" }, include = { model = M.User, attributes = { "name" } },
        order = Sequelize.fn("abs", Sequelize.col("Post.id")) }
      assert.are.same({ 1, 2, 3, 4, 5, 6 }, support.field(rows, "id"))
    end)

    it("{ alias, column, direction }", function()
      assert.are.equal(desc, q{ { "Posts", "title", "DESC" } })
    end)

    it("{ association, column, direction }", function()
      assert.are.equal(desc, q{ { M.UserPosts, "title", "DESC" } })
    end)

    it("{ { model = Model }, column, direction }", function()
      assert.are.equal(desc, q{ { { model = M.Post }, "title", "DESC" } })
    end)

    it("{ Model, Sequelize.col(column), direction }: that column of the include (Sequelize)", function()
      -- Sequelize 6.37.8: order [[Post, sequelize.col('title'), 'DESC']] -> ORDER BY `Posts`.`title` DESC;
      -- [[{ model: Post, as: 'x' }, sequelize.col('title'), 'DESC']] -> ORDER BY `x`.`title` DESC
      local col = Sequelize.col
      assert.are.equal(desc, q{ { M.Post, col("title"), "DESC" } })
      assert.are.equal(desc, q{ { "Posts", col("title"), "DESC" } })
      assert.are.equal(desc, q{ { { model = M.Post }, col("title"), "DESC" } })
      local sqls = {}
      local function authors(order)
        return S(M.Comment:findAll{ attributes = { "id" }, include = { { model = M.User, as = "Author", attributes = { "name" } } },
          order = order, logging = function(sql) sqls[#sqls + 1] = sql end })
      end
      assert.are.equal(authors{ { { model = M.User, as = "Author" }, "name", "DESC" }, { "id", "ASC" } },
        authors{ { { model = M.User, as = "Author" }, col("name"), "DESC" }, { "id", "ASC" } })
      assert.truthy(sqls[2]:find("ORDER BY `Author`.`name` DESC", 1, true), sqls[2])
      -- (a function or a literal there raises: Sequelize 6.37.8 prefixes the table to it,
      -- `Posts`.lower(`title`), a syntax error)
      local err = support.catch_error(function() q{ { M.Post, Sequelize.fn("lower", col("title")), "DESC" } } end)
      assert.are.equal("Invalid order item on User: the column of the included Post ('Posts') must be an attribute name or Sequelize.col(name)", err.message)
      err = support.catch_error(function() q{ { M.Post, col("nope"), "DESC" } } end)
      assert.are.equal("Unknown attribute 'nope' of Post in order", err.message)
    end)

    it("{ alias, column } sorts ascending (parents in the order of their first row; NULLs first)", function()
      assert.are.equal('[{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Alpha"},{"title":"Mid"},{"title":"Zeta"}]},{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}]',
        q{ { "Posts", "title" } })
    end)

    it("a parent column first, then an included one", function()
      assert.are.equal('[{"name":"carol","Posts":[{"title":"Alpha"},{"title":"Mid"},{"title":"Zeta"}]},{"name":"bob","Posts":[]},{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}]',
        q{ { "name", "DESC" }, { M.Post, "title", "ASC" } })
    end)

    it("a column two levels down: { Model, Model, column, direction }", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" }, { M.Post, M.Tag, "name", "DESC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello","Tags":[{"name":"lua"},{"name":"js"}]},{"title":"World","Tags":[]}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Zeta","Tags":[{"name":"lua"}]},{"title":"Alpha","Tags":[]},{"title":"Mid","Tags":[]}]}]',
        S(rows))
    end)

    it("a column two levels down: { alias, alias, column, direction }", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} } } },
        order = { { "id", "ASC" }, { "Posts", "id", "ASC" }, { "Posts", "Tags", "name", "DESC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello","Tags":[{"name":"lua"},{"name":"js"}]},{"title":"World","Tags":[]}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Zeta","Tags":[{"name":"lua"}]},{"title":"Alpha","Tags":[]},{"title":"Mid","Tags":[]}]}]',
        S(rows))
    end)

    it("ordering by a model that is not included raises Sequelize's error", function()
      local err = support.catch_error(function() M.User:findAll{ order = { { M.Tag, "name", "ASC" } } } end)
      assert.are.equal("Error", err.name)
      assert.are.equal("Unable to find a valid association for model, 'Tag'", err.message)
    end)

    it("Sequelize.col('alias.column') of a selected include column orders by that include's column", function()
      -- Sequelize 6.37.8: Post.findAll({ attributes: ['id'], include: [{ model: User, attributes: ['name'] }],
      --   order: [[col('User.name'), 'DESC'], ['id', 'ASC']] }) -> ORDER BY `User`.`name` DESC, `Post`.`id` ASC:
      -- [4,5,6,1,2,3] (carol, alice, then the orphan); col('User.id') likewise -> [4,5,6,1,2,3];
      -- order: col('User.name') -> [3,1,2,4,5,6]
      local col = Sequelize.col
      local sqls = {}
      local function ids(order)
        return support.field(M.Post:findAll{ attributes = { "id" }, include = { model = M.User, attributes = { "id", "name" } },
          order = order, logging = function(sql) sqls[#sqls + 1] = sql end }, "id")
      end
      assert.are.same({ 4, 5, 6, 1, 2, 3 }, ids{ { col("User.name"), "DESC" }, { "id", "ASC" } })
      assert.truthy(sqls[1]:find("ORDER BY `User`.`name` DESC, `Post`.`id` ASC", 1, true), sqls[1])
      -- (the root has an id too: that was the silently wrong one, `Post`.`id` DESC)
      assert.are.same({ 4, 5, 6, 1, 2, 3 }, ids{ { col("User.id"), "DESC" }, { "id", "ASC" } })
      assert.are.same({ 3, 1, 2, 4, 5, 6 }, ids(col("User.name")))
      -- grouped by it too (Sequelize: [{"n":1,"User":null},{"n":2,"User":{"name":"alice"}},{"n":3,...carol}])
      local rows = M.Post:findAll{ attributes = { { Sequelize.fn("COUNT", col("Post.id")), "n" } },
        include = { model = M.User, attributes = { "name" } }, group = { col("User.name") }, order = { { col("User.name"), "ASC" } } }
      assert.are.same({ 1, 2, 3 }, support.field(rows, "n"))
      -- a to-many include's, with a limit: it orders the joined rows, as { "Posts", "title" } does
      -- (Sequelize 6.37.8 puts it in its paging subquery: no such column: Posts.title)
      rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        order = { { "id", "ASC" }, { col("Posts.title"), "DESC" } }, limit = 1 }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"World"},{"title":"Hello"}]}]', S(rows))
    end)

    it("an item after an included column's direction raises, before any SQL", function()
      -- Sequelize 6.37.8: order [['Posts', 'title', 'ASC', 'x']] and [['Posts', 'Tags', 'name', 'ASC', 'x']]
      -- -> SequelizeDatabaseError: SQLITE_ERROR: near "`x`": syntax error (every item is written)
      local n = #log
      local err = support.catch_error(function()
        M.User:findAll{ include = { model = M.Post }, order = { { "Posts", "title", "ASC", "x" } } }
      end)
      assert.are.equal("Invalid order item on User: an item after the direction of the included Post's column 'title' "
        .. "(expected { alias, column, direction })", err.message)
      err = support.catch_error(function()
        M.User:findAll{ include = { model = M.Post, include = { M.Tag } }, order = { { M.Post, M.Tag, "name", "ASC", "x" } } }
      end)
      assert.are.equal("Invalid order item on User: an item after the direction of the included Tag's column 'name' "
        .. "(expected { alias, column, direction })", err.message)
      assert.are.equal(n, #log)
    end)
  end)

  describe("parent de-duplication", function()
    it("a parent with several to-many rows appears once, holding all of them", function()
      local rows = M.User:findAll{ include = M.Post, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal(3, #rows)
      assert.are.equal("carol", rows[3].name)
      assert.are.equal(3, #rows[3].Posts)
      assert.are.same({ "Zeta", "Alpha", "Mid" }, { rows[3].Posts[1].title, rows[3].Posts[2].title, rows[3].Posts[3].title })
      -- a target shared by two parents is repeated under each (lua on posts 1 and 4)
      rows = M.Post:findAll{ include = { model = M.Tag, where = { name = "lua" } }, order = { { "id", "ASC" } } }
      assert.are.equal(2, #rows)
      assert.are.equal("lua", rows[1].Tags[1].name)
      assert.are.equal("lua", rows[2].Tags[1].name)
    end)

    it("two to-many includes side by side do not multiply each other's rows", function()
      -- alice: 2 posts; posts 1 has 2 tags and 1 comment: the join makes 2 rows for post 1
      local rows = M.Post:findAll{ attributes = { "title" }, where = { id = 1 },
        include = { { model = M.Tag, attributes = { "name" }, through = { attributes = {} } }, { model = M.Comment, attributes = { "body" } } },
        order = { { M.Tag, "id", "ASC" } } }
      assert.are.equal('[{"title":"Hello","Tags":[{"name":"js"},{"name":"lua"}],"Comments":[{"body":"nice"}]}]', S(rows))
    end)

    it("with only belongsTo includes each row is its own parent", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.User, attributes = { "name" } }, order = { { "id", "ASC" } } }
      assert.are.equal('[{"title":"Hello","User":{"name":"alice"}},{"title":"World","User":{"name":"alice"}},{"title":"Orphan","User":null},{"title":"Zeta","User":{"name":"carol"}},{"title":"Alpha","User":{"name":"carol"}},{"title":"Mid","User":{"name":"carol"}}]', S(rows))
    end)

    it("a hasOne matching two rows beside a to-many include does not repeat the to-many rows (Sequelize)", function()
      M.db:query("INSERT INTO Profiles (id,bio,UserId,createdAt,updatedAt) VALUES " .. values{ { 2, "again", 1 } })
      local rows = M.User:findAll{ where = { id = 1 }, attributes = { "name" },
        include = { { model = M.Profile, attributes = { "bio" } }, { model = M.Post, attributes = { "title" } } },
        order = { { M.Profile, "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal(1, #rows)
      assert.are.same({ "Hello", "World" }, support.field(rows[1].Posts, "title"))
    end)

    it("rows merge on every column of a composite primary key, at the top and in includes (Sequelize)", function()
      local db = Sequelize.new("sqlite::memory:")
      local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
      local Vote = db:define("Vote", { a = { type = DataTypes.INTEGER, primaryKey = true },
        b = { type = DataTypes.INTEGER, primaryKey = true }, v = DataTypes.STRING }, { timestamps = false })
      local Comment = db:define("Comment", { body = DataTypes.STRING }, { timestamps = false })
      Post:hasMany(Vote); Post:hasMany(Comment); Vote:belongsTo(Post)
      Vote:hasMany(Comment, { foreignKey = "voteA", constraints = false })
      db:sync()
      db:query("INSERT INTO Posts (id,title) VALUES (1,'p1'),(2,'p2')")
      db:query("INSERT INTO Votes (a,b,v,PostId) VALUES (1,1,'x',1),(1,2,'y',1),(2,1,'z',1),(1,3,'w',2)")
      db:query("INSERT INTO Comments (id,body,PostId,voteA) VALUES (1,'c1',1,1),(2,'c2',1,1)")
      -- votes (1,1) and (1,2) share their first key column
      local rows = Post:findAll{ attributes = { "title" }, include = { { model = Vote, attributes = { "v" } },
        { model = Comment, attributes = { "body" } } }, order = { { "id" }, { Vote, "a" }, { Vote, "b" }, { Comment, "id" } } }
      assert.are.equal('[{"title":"p1","Votes":[{"v":"x"},{"v":"y"},{"v":"z"}],"Comments":[{"body":"c1"},{"body":"c2"}]},'
        .. '{"title":"p2","Votes":[{"v":"w"}],"Comments":[]}]', S(rows))
      rows = Vote:findAll{ attributes = { "v" }, include = { { model = Post, attributes = { "title" } },
        { model = Comment, attributes = { "body" } } }, order = { { "a" }, { "b" }, { Comment, "id" } } }
      assert.are.equal('[{"v":"x","Post":{"title":"p1"},"Comments":[{"body":"c1"},{"body":"c2"}]},'
        .. '{"v":"y","Post":{"title":"p1"},"Comments":[{"body":"c1"},{"body":"c2"}]},'
        .. '{"v":"w","Post":{"title":"p2"},"Comments":[{"body":"c1"},{"body":"c2"}]},'
        .. '{"v":"z","Post":{"title":"p1"},"Comments":[]}]', S(rows))
      db:close()
    end)

    it("with only hasOne includes rows are not merged (Sequelize): two profiles of one user give two parents", function()
      -- Sequelize merges rows only when a to-many include is present (_groupJoinData checkExisting)
      M.db:query("INSERT INTO Profiles (id,bio,UserId,createdAt,updatedAt) VALUES " .. values{ { 2, "again", 1 } })
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Profile, attributes = { "bio" } },
        order = { { "id", "ASC" }, { M.Profile, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Profile":{"bio":"hi"}},{"name":"alice","Profile":{"bio":"again"}},{"name":"bob","Profile":null},{"name":"carol","Profile":null}]', S(rows))
    end)
  end)

  describe("paging with includes", function()
    it("the parents' page may be ordered by a computed column's alias, by name or as a literal", function()
      local F = Sequelize.fn("length", Sequelize.col("name"))
      local want = '[{"id":1,"len":5,"Posts":[{"id":1},{"id":2}]},{"id":3,"len":5,"Posts":[{"id":4},{"id":5},{"id":6}]}]'
      for _, by in ipairs({ Sequelize.literal("len"), Sequelize.literal("`len`"), "len" }) do
        local rows = M.User:findAll{ attributes = { "id", { F, "len" } }, include = { { model = M.Post, attributes = { "id" } } },
          order = { { by, "DESC" }, { "id", "ASC" }, { M.Post, "id", "ASC" } }, limit = 2 }
        assert.are.equal(want, S(rows))
      end
    end)

    it("the parents' page may be ordered by Sequelize.col of an attribute's or a function's alias", function()
      -- Sequelize 6.37.8 selects the aliases in its paging subquery (`SELECT `User`.`id`,
      -- `User`.`name` AS `who` ... ORDER BY `who` DESC LIMIT 2`); it gave these rows
      local inc = { { model = M.Post, attributes = { "id" } } }
      local byPost = { M.Post, "id", "ASC" }
      assert.are.equal('[{"id":3,"who":"carol","Posts":[{"id":4},{"id":5},{"id":6}]},{"id":2,"who":"bob","Posts":[]}]',
        S(M.User:findAll{ attributes = { "id", { "name", "who" } }, include = inc,
          order = { { Sequelize.col("who"), "DESC" }, byPost }, limit = 2 }))
      assert.are.equal('[{"id":1,"up":"ALICE","Posts":[{"id":1},{"id":2}]},{"id":2,"up":"BOB","Posts":[]}]',
        S(M.User:findAll{ attributes = { "id", { Sequelize.fn("upper", Sequelize.col("name")), "up" } }, include = inc,
          order = { { Sequelize.col("up"), "ASC" }, byPost }, limit = 2 }))
      assert.are.equal('{"id":1,"who":"alice","Posts":[{"id":1},{"id":2}]}',
        S(M.User:findOne{ attributes = { "id", { "name", "who" } }, include = inc,
          order = { { Sequelize.col("who"), "ASC" }, byPost } }))
      -- (Sequelize's count is 6, the joined rows; sequelua counts parents, see README)
      local r = M.User:findAndCountAll{ attributes = { "id", { "name", "who" } }, include = inc,
        order = { { Sequelize.col("who"), "DESC" }, byPost }, limit = 1, offset = 1 }
      assert.are.equal('[{"id":2,"who":"bob","Posts":[]}]', S(r.rows))
      assert.are.equal(3, r.count)
    end)

    it("limit pages parents, each with all its to-many rows", function()
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } }, limit = 2,
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]},{"name":"bob","Posts":[]}]', S(rows))
      -- without any order: whichever 2 users come back, each holds all its posts
      rows = M.User:findAll{ include = M.Post, limit = 2 }
      assert.are.equal(2, #rows)
      assert.are_not.equal(rows[1].id, rows[2].id)
      for _, u in ipairs(rows) do
        assert.are.equal(M.Post:count{ where = { UserId = u.id } }, #u.Posts)
      end
    end)

    it("limit + offset + order by a parent column and an included column", function()
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } }, limit = 2, offset = 1,
        order = { { "name", "DESC" }, { M.Post, "title", "ASC" } } }
      assert.are.equal('[{"name":"bob","Posts":[]},{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}]', S(rows))
      rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } }, limit = 1, offset = 0,
        order = { { "name", "DESC" }, { M.Post, "title", "DESC" } } }
      assert.are.equal('[{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Mid"},{"title":"Alpha"}]}]', S(rows))
    end)

    it("limit with a required to-many include pages the parents that match", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, where = { title = { [Op.in_] = { "World", "Mid" } } } },
        limit = 1, offset = 1, order = { { "id", "ASC" } } }
      assert.are.equal('[{"name":"carol","Posts":[{"title":"Mid"}]}]', S(rows))
    end)

    it("limit with a belongsToMany include pages the parents", function()
      local rows = M.Post:findAll{ attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} } },
        limit = 1, order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } } }
      assert.are.equal('[{"title":"Hello","Tags":[{"name":"js"},{"name":"lua"}]}]', S(rows))
    end)

    it("limit with nested to-many includes pages the top level only", function()
      local rows = M.User:findAll{ attributes = { "name" },
        include = { model = M.Post, attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} } } },
        limit = 1, order = { { "id", "ASC" }, { M.Post, "id", "ASC" }, { M.Post, M.Tag, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"Hello","Tags":[{"name":"js"},{"name":"lua"}]},{"title":"World","Tags":[]}]}]', S(rows))
    end)

    it("findOne with a to-many include returns the parent with all its rows", function()
      local u = M.User:findOne{ where = { id = 3 }, include = M.Post, order = { { M.Post, "id", "ASC" } } }
      assert.are.equal(3, #u.Posts)
    end)

    it("limit with a '$include.column$' where pages the matching parents (Sequelize raises 'no such column' here)", function()
      -- issue 3: paging of parents is always correct; Sequelize 6 puts the where into its LIMIT subquery and fails
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        where = { ["$Posts.title$"] = { [Op.in_] = { "World", "Mid", "Zeta" } } }, limit = 2, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"title":"World"}]},{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Mid"}]}]', S(rows))
      rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        where = { ["$Posts.title$"] = { [Op.in_] = { "World", "Mid", "Zeta" } } }, limit = 1, offset = 1, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Mid"}]}]', S(rows))
    end)

    it("findAndCountAll counts distinct parents (API.md), rows paged by parent", function()
      -- Sequelize without distinct counts joined rows (6 here); API.md: the number of distinct top-level rows
      local r = M.User:findAndCountAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('{"count":3,"rows":[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]},{"name":"bob","Posts":[]},{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}]}', S(r))
      r = M.User:findAndCountAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" } }, limit = 1,
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('{"count":3,"rows":[{"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]}]}', S(r))
    end)

    it("findAndCountAll with a required include counts only matching parents", function()
      local r = M.User:findAndCountAll{ attributes = { "name" }, include = { model = M.Post, attributes = { "title" }, where = { title = { [Op.ne] = "Hello" } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('{"count":2,"rows":[{"name":"alice","Posts":[{"title":"World"}]},{"name":"carol","Posts":[{"title":"Zeta"},{"title":"Alpha"},{"title":"Mid"}]}]}', S(r))
    end)

    it("count with a to-many include counts joined rows, distinct = true counts parents (Sequelize)", function()
      -- Sequelize: SELECT count(`User`.`id`) ... LEFT OUTER JOIN `Posts` ...: 6 (alice 2, bob 1 (no post), carol 3)
      assert.are.equal(6, M.User:count{ include = M.Post })
      assert.are.equal(3, M.User:count{ include = M.Post, distinct = true })
      assert.are.equal(1, M.User:count{ include = { model = M.Post, where = { title = "Hello" } } })
      -- findAndCountAll counts parents (API.md), the rows it returns
      assert.are.equal(3, M.User:findAndCountAll{ include = M.Post }.count)
    end)

    it("findAndCountAll with a belongsToMany include and a limit", function()
      local r = M.Post:findAndCountAll{ attributes = { "title" }, include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} } },
        limit = 2, order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } } }
      assert.are.equal('{"count":6,"rows":[{"title":"Hello","Tags":[{"name":"js"},{"name":"lua"}]},{"title":"World","Tags":[]}]}', S(r))
    end)
  end)

  describe("separate", function()
    it("an unknown name in a separate include (or below it) raises before the parent query runs", function()
      -- (Sequelize 6.37.8 runs the parent query, then fails in SQL: "no such column: Post.nope")
      for _, run in ipairs({
        function() M.User:findAll{ include = { { model = M.Post, separate = true, where = { nope = 1 } } } } end,
        function() M.User:findAll{ include = { { model = M.Post, separate = true, order = { { "nope", "ASC" } } } } } end,
        function() M.User:findAll{ include = { { model = M.Post, include = { { model = M.Comment, separate = true, attributes = { "nope" } } } } } } end,
        function() M.User:findAll{ include = { { model = M.Post, separate = true, include = { { model = M.Comment, separate = true, where = { nope = 1 } } } } } } end,
      }) do
        support.clear(log)
        local err = support.catch_error(run)
        assert.are.equal("Error", err.name)
        assert.matches("Unknown attribute 'nope'", err.message, 1, true)
        assert.are.equal(0, selects(log))
      end
      -- (in its group and having too: Sequelize 6.37.8 fails in SQL, "no such column: nope")
      support.clear(log)
      local err = support.catch_error(function()
        M.User:findAll{ include = { { model = M.Post, separate = true, attributes = { "UserId" }, group = { "nope" } } } }
      end)
      assert.are.equal("Unknown attribute 'nope' in group of model Post", err.message)
      assert.are.equal(0, selects(log))
    end)

    it("group and having on a separate include group its own query", function()
      -- Sequelize 6.37.8 (its findAll of the include takes them):
      -- include [{ model: Post, separate: true, attributes: ['UserId', [fn('count', col('id')), 'n']], group: ['UserId'] }]
      -- -> [{"name":"alice","id":1,"Posts":[{"UserId":1,"n":2}]},{"name":"bob","id":2,"Posts":[]},{"name":"carol","id":3,"Posts":[{"UserId":3,"n":3}]}]
      local fn, col = Sequelize.fn, Sequelize.col
      local rows = M.User:findAll{ attributes = { "id", "name" }, order = { { "id", "ASC" } },
        include = { { model = M.Post, separate = true, attributes = { "UserId", { fn("count", col("id")), "n" } }, group = { "UserId" } } } }
      assert.are.equal('[{"id":1,"name":"alice","Posts":[{"UserId":1,"n":2}]},{"id":2,"name":"bob","Posts":[]},'
        .. '{"id":3,"name":"carol","Posts":[{"UserId":3,"n":3}]}]', S(rows))
      -- attributes = [[fn('max', col('title')), 'last']], group: ['UserId'], having: where(fn('count', col('id')), Op.gt, 2)
      -- -> alice [], bob [], carol [{"last":"Zeta"}] (the key read to match, not shown)
      rows = M.User:findAll{ attributes = { "id", "name" }, order = { { "id", "ASC" } },
        include = { { model = M.Post, separate = true, attributes = { { fn("max", col("title")), "last" } }, group = { "UserId" },
                      having = Sequelize.where(fn("count", col("id")), Sequelize.Op.gt, 2) } } }
      assert.are.equal('[{"id":1,"name":"alice","Posts":[]},{"id":2,"name":"bob","Posts":[]},'
        .. '{"id":3,"name":"carol","Posts":[{"last":"Zeta"}]}]', S(rows))
      -- a joined include's group is not used, as in Sequelize: -> alice [1,2], bob [], carol [4,5,6]
      rows = M.User:findAll{ attributes = { "name" }, include = { { model = M.Post, attributes = { "id" }, group = { "UserId" } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      assert.are.equal('[{"name":"alice","Posts":[{"id":1},{"id":2}]},{"name":"bob","Posts":[]},'
        .. '{"name":"carol","Posts":[{"id":4},{"id":5},{"id":6}]}]', S(rows))
    end)

    it("separate = true on hasMany gives the same result with one more query", function()
      for i = #log, 1, -1 do log[i] = nil end
      local joined = S(M.User:findAll{ include = M.Post, order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } })
      assert.are.equal(1, selects(log))
      for i = #log, 1, -1 do log[i] = nil end
      local sep = M.User:findAll{ include = { model = M.Post, separate = true, order = { { "id", "ASC" } } }, order = { { "id", "ASC" } } }
      assert.are.equal(2, selects(log))
      assert.are.equal(J(E.posts), joined)
      assert.are.equal(J(E.posts), S(sep))
    end)

    it("a separate include below a joined one runs after the join, with its own limit and order (Sequelize)", function()
      M.db:query("INSERT INTO Comments (id,body,PostId,createdAt,updatedAt) VALUES " .. values{ { 3, "meh", 1 } })
      support.clear(log)
      local rows = M.User:findAll{ attributes = { "name" }, where = { id = { 1, 3 } },
        include = { { model = M.Post, attributes = { "title" },
                      include = { { model = M.Comment, attributes = { "body" }, separate = true, limit = 1, order = { { "id", "DESC" } } } } } },
        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }
      -- the Posts' key is added to their attributes, shown as Sequelize shows a key it adds for
      -- a top-level separate include (here Sequelize 6.37 raises unless "id" is listed; listed,
      -- its JSON is this one)
      assert.are.equal('[{"name":"alice","Posts":[{"id":1,"title":"Hello","Comments":[{"body":"meh"}]},{"id":2,"title":"World","Comments":[]}]},'
        .. '{"name":"carol","Posts":[{"id":4,"title":"Zeta","Comments":[{"body":"ok"}]},{"id":5,"title":"Alpha","Comments":[]},{"id":6,"title":"Mid","Comments":[]}]}]', S(rows))
      assert.are.equal(2, selects(log))
    end)

    it("a separate belongsToMany keeps its targets' own includes", function()
      local rows = M.Post:findAll{ where = { id = 1 }, attributes = { "title" },
        include = { { model = M.Tag, attributes = { "name" }, separate = true, through = { attributes = {} },
                      include = { { model = M.Post, attributes = { "title" }, through = { attributes = {} } } } } } }
      assert.are.equal(2, #rows[1].Tags)
      local titles = {}
      for _, t in ipairs(rows[1].Tags) do titles[t.name] = support.sorted(support.field(t.Posts, "title")) end
      assert.are.same({ js = { "Hello" }, lua = { "Hello", "Zeta" } }, titles)
      assert.is_truthy(S(rows):find('"Posts":[', 1, true))
    end)

    it("separate works for hasOne, belongsTo and belongsToMany too (issue 3), one query per include", function()
      for i = #log, 1, -1 do log[i] = nil end
      local rows = M.User:findAll{ include = { model = M.Profile, separate = true }, order = { { "id", "ASC" } } }
      assert.are.equal(J(E.profile), S(rows))
      assert.are.equal(2, selects(log))

      for i = #log, 1, -1 do log[i] = nil end
      rows = M.Post:findAll{ include = { { model = M.User, separate = true }, { model = M.Tag, separate = true, order = { { "id", "ASC" } } } },
        order = { { "id", "ASC" } } }
      assert.are.equal(J(E.post_user_tag), S(rows))
      -- a separate belongsToMany reads its join rows, then its targets: two queries (README)
      assert.are.equal(4, selects(log))
    end)

    it("a separate include keeps its nested includes", function()
      local rows = M.User:findAll{ include = { model = M.Post, separate = true, order = { { "id", "ASC" }, { M.Tag, "id", "ASC" } },
        include = { model = M.Tag } }, order = { { "id", "ASC" } } }
      assert.are.equal(J(E.depth2), S(rows))
    end)

    it("a separate include with a where filters the included rows only (Sequelize), and parents stay", function()
      local rows = M.User:findAll{ attributes = { "id", "name" }, include = { model = M.Post, attributes = { "title" }, separate = true, where = { title = "Zeta" } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1,"name":"alice","Posts":[]},{"id":2,"name":"bob","Posts":[]},{"id":3,"name":"carol","Posts":[{"title":"Zeta"}]}]', S(rows))
    end)

    it("a separate include with a top-level limit", function()
      local rows = M.User:findAll{ include = { model = M.Post, separate = true, order = { { "id", "ASC" } } }, order = { { "id", "DESC" } }, limit = 1 }
      assert.are.equal(1, #rows)
      assert.are.equal("carol", rows[1].name)
      assert.are.same({ "Zeta", "Alpha", "Mid" }, { rows[1].Posts[1].title, rows[1].Posts[2].title, rows[1].Posts[3].title })
    end)

    it("limit on a hasMany include limits per parent", function()
      local rows = M.User:findAll{ attributes = { "id", "name" }, include = { model = M.Post, attributes = { "title" }, limit = 1, order = { { "title", "DESC" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1,"name":"alice","Posts":[{"title":"World"}]},{"id":2,"name":"bob","Posts":[]},{"id":3,"name":"carol","Posts":[{"title":"Zeta"}]}]', S(rows))
      rows = M.User:findAll{ attributes = { "id", "name" }, include = { model = M.Post, attributes = { "title" }, limit = 2, order = { { "title", "ASC" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1,"name":"alice","Posts":[{"title":"Hello"},{"title":"World"}]},{"id":2,"name":"bob","Posts":[]},{"id":3,"name":"carol","Posts":[{"title":"Alpha"},{"title":"Mid"}]}]', S(rows))
    end)

    it("a separate belongsToMany include honours attributes and through attributes", function()
      local rows = M.Post:findAll{ attributes = { "id", "title" }, where = { id = { 1, 4 } },
        include = { model = M.Tag, attributes = { "name" }, through = { attributes = { "TagId" } }, separate = true, order = { { "name", "ASC" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1,"title":"Hello","Tags":[{"name":"js","PostTags":{"TagId":1}},{"name":"lua","PostTags":{"TagId":2}}]},{"id":4,"title":"Zeta","Tags":[{"name":"lua","PostTags":{"TagId":2}}]}]', S(rows))
    end)

    it("limit on a belongsToMany include limits per parent (issue 3: any kind)", function()
      local rows = M.Post:findAll{ attributes = { "id", "title" }, where = { id = { 1, 4 } },
        include = { model = M.Tag, attributes = { "name" }, through = { attributes = {} }, limit = 1, order = { { "name", "ASC" } } },
        order = { { "id", "ASC" } } }
      assert.are.equal('[{"id":1,"title":"Hello","Tags":[{"name":"js"}]},{"id":4,"title":"Zeta","Tags":[{"name":"lua"}]}]', S(rows))
    end)

    it("n:m in its own order, exclude that drops the key, and raw (no separate rows, as Sequelize)", function()
      local p = M.Post:findOne{ where = { id = 1 }, include = { model = M.Tag, separate = true, order = { { "name", "DESC" } } } }
      assert.are.same({ "lua", "js" }, support.field(p.Tags, "name"))
      p = M.Post:findOne{ where = { id = 1 }, include = { model = M.Tag, separate = true, order = { { "name", "ASC" } } } }
      assert.are.same({ "js", "lua" }, support.field(p.Tags, "name"))
      local u = M.User:findOne{ where = { id = 1 }, attributes = { "id" },
        include = { model = M.Post, separate = true, attributes = { exclude = { "UserId", "createdAt", "updatedAt" } },
                    order = { { "id", "ASC" } } } }
      assert.are.equal('{"id":1,"Posts":[{"id":1,"title":"Hello"},{"id":2,"title":"World"}]}', S(u))
      local rows = M.User:findAll{ where = { id = 1 }, raw = true, include = { model = M.Post, separate = true } }
      assert.are.equal(1, #rows)
      assert.is_nil(rows[1].Posts)
      assert.are.equal("alice", rows[1].name)
    end)
  end)

  describe("errors", function()
    it("through on an include that is no belongsToMany raises (Sequelize: a TypeError)", function()
      local err = support.catch_error(function()
        M.User:findAll{ include = { model = M.Post, through = { attributes = {} } } }
      end)
      assert.are.equal("include on User: through is for a belongsToMany include, and Posts is a HasMany", err.message)
    end)

    it("a model that is not associated: SequelizeEagerLoadingError", function()
      local err = support.catch_error(function() M.User:findAll{ include = M.Tag } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("Tag is not associated to User!", err.message)
      assert.are.equal("SequelizeEagerLoadingError: Tag is not associated to User!", tostring(err))
      assert.is_true(err:is(Sequelize.errors.EagerLoadingError))
      assert.is_true(err:is(Sequelize.errors.BaseError))
      err = support.catch_error(function() M.User:findAll{ include = { model = M.Post, include = { M.Profile } } } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("Profile is not associated to Post!", err.message)
    end)

    it("an aliased association included without its alias", function()
      local err = support.catch_error(function() M.Comment:findAll{ include = M.User } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("User is associated to Comment using an alias. You must use the 'as' keyword to specify the alias within your include statement.", err.message)
    end)

    it("an alias that does not match the association's", function()
      local err = support.catch_error(function() M.Comment:findAll{ include = { model = M.User, as = "Writer" } } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("User is associated to Comment using an alias. You've included an alias (Writer), but it does not match the alias(es) defined in your association (Author).", err.message)
      err = support.catch_error(function() M.User:findAll{ include = { model = M.Profile, as = "Bio" } } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("Profile is associated to User using an alias. You've included an alias (Bio), but it does not match the alias(es) defined in your association (Profile).", err.message)
      -- the default name given as `as` is accepted
      local rows = M.User:findAll{ attributes = { "name" }, include = { model = M.Profile, as = "Profile", attributes = { "bio" } }, where = { id = 1 } }
      assert.are.equal('[{"name":"alice","Profile":{"bio":"hi"}}]', S(rows))
    end)

    it("an alias string that names no association: a plain Error", function()
      for _, inc in ipairs{ "Nope", { "Nope" }, { association = "Nope" } } do
        local err = support.catch_error(function() M.User:findAll{ include = inc } end)
        assert.are.equal("Error", err.name)
        assert.are.equal('Association with alias "Nope" does not exist on User', err.message)
      end
      local err = support.catch_error(function() M.User:findAll{ include = { model = M.Post, include = { "Nope" } } } end)
      assert.are.equal('Association with alias "Nope" does not exist on Post', err.message)
    end)

    local function teams()
      local Team = M.db:define("Team", { name = DataTypes.STRING })
      local Game = M.db:define("Game", { score = DataTypes.INTEGER })
      Team:hasOne(Game, { as = "HomeTeam", foreignKey = "homeTeamId" })
      Team:hasOne(Game, { as = "AwayTeam", foreignKey = "awayTeamId" })
      Team:sync(); Game:sync()
      return Team, Game
    end
    local multi = "Game is associated to Team multiple times. To identify the correct association, you must use the 'as' keyword to specify the alias of the association you want to include."

    it("a target associated twice, included without an alias", function()
      local Team, Game = teams()
      local err = support.catch_error(function() Team:findAll{ include = Game } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal(multi, err.message)
    end)

    it("a target associated twice, included with an alias that matches neither (Sequelize: the 'multiple times' message)", function()
      local Team, Game = teams()
      local err = support.catch_error(function() Team:findAll{ include = { model = Game, as = "Nope" } } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal(multi, err.message)
    end)

    it("a target associated twice, included under each alias", function()
      local Team, Game = teams()
      local t = Team:create({ name = "t" })
      Game:create({ score = 3, homeTeamId = t.id })
      local rows = Team:findAll{ attributes = { "name" }, include = { { model = Game, as = "HomeTeam", attributes = { "score" } }, { model = Game, as = "AwayTeam", attributes = { "score" } } } }
      assert.are.equal('[{"name":"t","HomeTeam":{"score":3},"AwayTeam":null}]', S(rows))
    end)

    it("ordering by the bare model of an aliased association raises, as the include does (Sequelize's getAssociationForAlias)", function()
      -- Sequelize 6.37.8: Error "Unable to find a valid association for model, 'Game'" (no SQL);
      -- with { model, as } the order works: [{"name":"t","HomeTeam":{"score":3}}]
      local Team, Game = teams()
      local t = Team:create({ name = "t" })
      Game:create({ score = 3, homeTeamId = t.id })
      support.clear(log)
      local err = support.catch_error(function()
        Team:findAll{ include = { { model = Game, as = "HomeTeam" } }, order = { { Game, "score", "ASC" } } }
      end)
      assert.are.equal("Error", err.name)
      assert.are.equal("Unable to find a valid association for model, 'Game'", err.message)
      assert.are.equal(0, selects(log))
      local rows = Team:findAll{ attributes = { "name" }, include = { { model = Game, as = "HomeTeam", attributes = { "score" } } },
        order = { { { model = Game, as = "HomeTeam" }, "score", "ASC" } } }
      assert.are.equal('[{"name":"t","HomeTeam":{"score":3}}]', S(rows))
    end)

    it("an include element of the wrong kind", function()
      local err = support.catch_error(function() M.User:findAll{ include = { 123 } } end)
      assert.are.equal("Error", err.name)
      assert.are.equal("Include unexpected. Element has to be either a Model, an Association or an object.", err.message)
      err = support.catch_error(function() M.User:findAll{ include = { { foo = 1 } } } end)
      assert.are.equal("Error", err.name)
      assert.are.equal("Include unexpected. Element has to be either a Model, an Association or an object.", err.message)
    end)

    it("an include table with `as` alone (no model, no association) is unexpected, as in Sequelize", function()
      -- Sequelize 6.37.8 (_conformInclude): Error "Include unexpected. Element has to be either a
      -- Model, an Association or an object." before any SQL, at any depth and in a create
      local unexpected = "Include unexpected. Element has to be either a Model, an Association or an object."
      for _, run in ipairs({
        function() M.User:findAll{ include = { { as = "Posts" } } } end,
        function() M.User:findAll{ include = { { model = M.Post, include = { { as = "Comments" } } } } } end,
        function() M.User:create({ name = "z", Posts = { { title = "x" } } }, { include = { { as = "Posts" } } }) end,
      }) do
        support.clear(log)
        local err = support.catch_error(run)
        assert.are.equal("Error", err.name)
        assert.are.equal(unexpected, err.message)
        assert.are.equal(0, #log)
      end
      M.User:addHook("beforeFind", function() end) -- (the hooks' view of the includes too)
      local err = support.catch_error(function() M.User:findAll{ include = { { as = "Posts" } } } end)
      assert.are.equal(unexpected, err.message)
    end)

    it("a bad `all`", function()
      local err = support.catch_error(function() M.User:findAll{ include = { { all = "Bogus" } } } end)
      assert.are.equal("SequelizeEagerLoadingError", err.name)
      assert.are.equal("include all 'Bogus' is not valid - must be BelongsTo, HasOne, HasMany, One, Has, Many or All", err.message)
    end)
  end)
end)

describe("include with the seed's Users and Stories", function()
  local db, Users, Stories
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Users, Stories = support.seed_users_stories(db)
    db:query("INSERT INTO users (user_id,username,email,password,created_at,updated_at) VALUES (1,'boris','boris@example.com','kvass123','" .. D .. "','" .. D .. "'),(2,'anna','anna@example.com','x','" .. D .. "','" .. D .. "')")
    db:query("INSERT INTO stories (story_id,created_by,title,content,created_at,updated_at) VALUES (1,1,'cheeki breeki cheburek','how to make cheburek at your cousin''s place','" .. D .. "','" .. D .. "')")
  end)
  after_each(function() db:close() end)

  -- Sequelize's JSON, keys rearranged to sequelua's column order
  -- (Stories: story_id, content, created_by, title, created_at, updated_at; users: user_id, email, password, username, ...)
  it("Stories:findAll{ include = 'author' } and the { association, attributes = { exclude } } form", function()
    local rows = Stories:findAll{ include = "author" }
    assert.are.equal(J([[ [{"story_id":1,"content":"how to make cheburek at your cousin's place","created_by":1,"title":"cheeki breeki cheburek","created_at":@D,"updated_at":@D,"author":{"user_id":1,"email":"boris@example.com","password":"kvass123","username":"boris","created_at":@D,"updated_at":@D}}] ]]), S(rows))
    local expected = J([[ [{"story_id":1,"content":"how to make cheburek at your cousin's place","created_by":1,"title":"cheeki breeki cheburek","created_at":@D,"updated_at":@D,"author":{"user_id":1,"email":"boris@example.com","username":"boris","created_at":@D,"updated_at":@D}}] ]])
    assert.are.equal(expected, S(Stories:findAll{ include = { association = "author", attributes = { exclude = { "password" } } } }))
    assert.are.equal(expected, S(Stories:findAll{ include = { model = Users, as = "author", attributes = { exclude = { "password" } } } }))
    assert.are.equal("boris", rows[1].author.username)
  end)

  it("Users:findAll{ include = 'story' }: a user without a story has story = null", function()
    local rows = Users:findAll{ attributes = { "username" }, include = { association = "story", attributes = { "title" } }, order = { { "user_id", "ASC" } } }
    assert.are.equal('[{"username":"boris","story":{"title":"cheeki breeki cheburek"}},{"username":"anna","story":null}]', S(rows))
    assert.are.equal("cheeki breeki cheburek", rows[1].story.title)
    assert.is_nil(rows[2].story)
  end)

  it("the alias errors on the seed's models", function()
    local err = support.catch_error(function() Users:findAll{ include = Stories } end)
    assert.are.equal("SequelizeEagerLoadingError", err.name)
    assert.are.equal("Stories is associated to Users using an alias. You must use the 'as' keyword to specify the alias within your include statement.", err.message)
    err = support.catch_error(function() Users:findAll{ include = { model = Stories, as = "tale" } } end)
    assert.are.equal("Stories is associated to Users using an alias. You've included an alias (tale), but it does not match the alias(es) defined in your association (story).", err.message)
    err = support.catch_error(function() Users:findAll{ include = "tale" } end)
    assert.are.equal("Error", err.name)
    assert.are.equal('Association with alias "tale" does not exist on Users', err.message)
  end)

  it("findAndCountAll with a hasOne include counts users", function()
    local r = Users:findAndCountAll{ attributes = { "username" }, include = { association = "story", attributes = { "title" } }, order = { { "user_id", "ASC" } } }
    assert.are.equal(2, r.count)
    assert.are.equal(2, #r.rows)
    r = Users:findAndCountAll{ attributes = { "username" }, include = { association = "story", attributes = { "title" }, where = { title = { [Op.like] = "%cheburek" } } } }
    assert.are.equal('{"count":1,"rows":[{"username":"boris","story":{"title":"cheeki breeki cheburek"}}]}', S(r))
  end)
end)

describe("to-many lists of uneven length", function()
  -- a to-many list starts sized as the previous parent's list: lengths must come out right
  -- whatever the previous list held (none, fewer, more than the 64-slot cap)
  local counts = { 3, 0, 70, 1, 0, 2, 65 }
  local db, User, Post, Tag

  before_each(function()
    db = support.open()
    User = db:define("User", { name = DataTypes.STRING })
    Post = db:define("Post", { title = DataTypes.STRING })
    Tag = db:define("Tag", { name = DataTypes.STRING })
    User:hasMany(Post); Post:belongsTo(User)
    Post:belongsToMany(Tag, { through = "PostTags" }); Tag:belongsToMany(Post, { through = "PostTags" })
    db:sync()
    local users, posts = {}, {}
    for i, n in ipairs(counts) do
      users[i] = { name = "u" .. i }
      for k = 1, n do posts[#posts + 1] = { title = ("p%d.%d"):format(i, k), UserId = i } end
    end
    User:bulkCreate(users)
    Post:bulkCreate(posts)
    Tag:bulkCreate({ { name = "a" }, { name = "b" }, { name = "c" } })
    -- post p gets p % 4 tags (0 to 3)
    local links = {}
    for p = 1, #posts do
      for t = 1, p % 4 do links[#links + 1] = { PostId = p, TagId = t } end
    end
    db.models.PostTags:bulkCreate(links)
  end)

  it("gives each parent exactly its children, in order", function()
    local users = User:findAll{ include = Post, order = { { "id", "ASC" }, { Post, "id", "ASC" } } }
    assert.are.equal(#counts, #users)
    for i, u in ipairs(users) do
      assert.are.equal(counts[i], #u.Posts, "user " .. i)
      for k, p in ipairs(u.Posts) do
        assert.are.equal(("p%d.%d"):format(i, k), p.title)
        assert.are.equal(i, p.UserId)
      end
      assert.is_nil(rawget(u.Posts, counts[i] + 1))
    end
    local json = Sequelize.stringify(users[2])
    assert.truthy(json:find('"Posts":[]', 1, true), json)
    assert.are.equal(0, #users[5].Posts)
  end)

  it("does so one level down too (n:m under a to-many)", function()
    local users = User:findAll{ include = { { model = Post, include = Tag } },
                                order = { { "id", "ASC" }, { Post, "id", "ASC" }, { Post, Tag, "id", "ASC" } } }
    local p = 0
    for i, u in ipairs(users) do
      assert.are.equal(counts[i], #u.Posts)
      for _, post in ipairs(u.Posts) do
        p = p + 1
        assert.are.equal(p, post.id)
        assert.are.equal(p % 4, #post.Tags, "post " .. p)
        for t, tag in ipairs(post.Tags) do
          assert.are.equal(t, tag.id)
          assert.are.equal(p, tag.PostTags.PostId)
        end
      end
    end
    assert.are.equal(141, p)
  end)
end)

describe("an include's where with Op.or_ stays one condition in the join", function()
  -- Sequelize 6.37.8: ON `User`.`id` = `Posts`.`UserId` AND (`Posts`.`title` = 'p1' OR ...);
  -- [[a,[p1]],[b,[p3]]] (and c with [] when required = false); through where alike
  local db, U, P, T
  before_each(function()
    db = support.open()
    U = db:define("User", { name = DataTypes.STRING })
    P = db:define("Post", { title = DataTypes.STRING })
    T = db:define("Tag", { name = DataTypes.STRING })
    local PT = db:define("PostTag", { w = DataTypes.INTEGER })
    U:hasMany(P); P:belongsTo(U)
    P:belongsToMany(T, { through = PT })
    db:sync()
    local a, b = U:create({ name = "a" }), U:create({ name = "b" })
    U:create({ name = "c" })
    local p1 = P:create({ title = "p1", UserId = a.id })
    P:create({ title = "p2", UserId = a.id })
    local p3 = P:create({ title = "p3", UserId = b.id })
    local t1, t2 = T:create({ name = "t1" }), T:create({ name = "t2" })
    p1:addTag(t1, { through = { w = 1 } })
    p1:addTag(t2, { through = { w = 2 } })
    p3:addTag(t1, { through = { w = 3 } })
  end)
  after_each(function() db:close() end)

  local function shape(list, key, child)
    local out = {}
    for i, x in ipairs(list) do
      local names = {}
      for j, c in ipairs(x[key]) do names[j] = c[child] end
      table.sort(names)
      out[i] = { x.name or x.title, names }
    end
    return out
  end

  it("on a hasMany include, required and not", function()
    local w = { [Op.or_] = { { title = "p1" }, { title = "p3" } } }
    assert.are.same({ { "a", { "p1" } }, { "b", { "p3" } } },
      shape(U:findAll({ include = { { model = P, where = w } }, order = { { "id", "ASC" } } }), "Posts", "title"))
    assert.are.same({ { "a", { "p1" } }, { "b", { "p3" } }, { "c", {} } },
      shape(U:findAll({ include = { { model = P, where = w, required = false } }, order = { { "id", "ASC" } } }),
        "Posts", "title"))
    -- a literal condition is kept whole too
    assert.are.same({ { "a", { "p1" } }, { "b", { "p3" } } },
      shape(U:findAll({ include = { { model = P, where = Sequelize.literal("`Posts`.`title` = 'p1' OR `Posts`.`title` = 'p3'") } },
        order = { { "id", "ASC" } } }), "Posts", "title"))
  end)

  it("on a belongsToMany include's through where", function()
    local rows = P:findAll({ include = { { model = T, through = { where = { [Op.or_] = { { w = 1 }, { w = 3 } } } },
                                           required = false } }, order = { { "id", "ASC" } } })
    assert.are.same({ { "p1", { "t1" } }, { "p2", {} }, { "p3", { "t1" } } }, shape(rows, "Tags", "name"))
  end)
end)

-- A key whose column is not its name (field): it is selected AS the attribute's name, and is
-- still the key rows are merged by (Sequelize: A1 with Books [b1, b2], A2 with [b3])
describe("a to-many include under a key with a field of its own", function()
  it("merges the rows of each parent, with and without a limit, in findByPk and findAndCountAll", function()
    local db = Sequelize.new("sqlite::memory:")
    local Author = db:define("Author", { aid = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true,
                                                 field = "author_id" }, name = DataTypes.STRING }, { timestamps = false })
    local Book = db:define("Book", { title = DataTypes.STRING }, { timestamps = false })
    Author:hasMany(Book, { foreignKey = "authorRef" })
    db:sync()
    Author:create{ name = "A1" }
    Author:create{ name = "A2" }
    for i, a in ipairs({ 1, 1, 2 }) do Book:create{ title = "b" .. i, authorRef = a } end
    local function books(a)
      local t = {}
      for i, b in ipairs(a.Books) do t[i] = b.title end
      table.sort(t)
      return table.concat(t, ",")
    end
    for _, opts in ipairs({ { include = Book, order = { { "aid", "ASC" } } },
                            { include = Book, order = { { "aid", "ASC" } }, limit = 5 } }) do
      local all = Author:findAll(opts)
      assert.equal(2, #all)
      assert.same({ 1, "b1,b2", 2, "b3" }, { all[1].aid, books(all[1]), all[2].aid, books(all[2]) })
    end
    assert.equal("b1,b2", books(Author:findByPk(1, { include = Book })))
    local r = Author:findAndCountAll{ include = Book }
    assert.equal(2, r.count)
    assert.equal(2, #r.rows)
  end)
end)

describe("an include naming an association and another model", function()
  it("raises an EagerLoadingError naming the association's target (Sequelize fails in SQL)", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DataTypes.STRING })
    local P = db:define("Post", { title = DataTypes.STRING })
    local C = db:define("Comment", { b = DataTypes.STRING })
    U:hasMany(P); P:hasMany(C)
    db:sync()
    local e = support.catch(function() U:findAll{ include = { association = "Posts", model = C } } end)
    assert.equal("SequelizeEagerLoadingError", e.name)
    assert.equal("include on User: association Posts targets Post, not the model given with it", e.message)
    assert.equal(0, #U:findAll{ include = { association = "Posts", model = P } })
  end)
end)

-- A model without a primary key (removeAttribute("id"): a log table) included by a join.
-- Sequelize 6.37.8 merges the joined rows by the missing key, so it keeps the first row per
-- parent only and gives a parent without rows one all-null object:
--   hasMany, required:  [{"id":1,"name":"Alice","evs":[{"kind":"a","uid":1}]},{"id":2,"name":"Bob","evs":[{"kind":"c","uid":2}]}]
--   hasMany:            ... ,{"id":3,"name":"Carol","evs":[{"kind":null,"uid":null}]}]
--   hasOne:             Alice three times (ev a, b, b), Bob (c), Carol {"kind":null,"uid":null}
--   hasOne + posts:     Alice once with ev a, Bob c, Carol {"kind":null,"uid":null}
--   hasMany + posts:    evs as with hasMany alone
-- sequelua makes each joined row that is not all NULL a child of its own (two equal rows are
-- two rows of the table), the first one for a to-one include, and refuses a to-many one
-- whose rows another to-many join repeats (nothing tells the repeats from the rows).
describe("an include of a model without a primary key", function()
  local db, User, Post, Ev
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    local T = { timestamps = false }
    User = db:define("User", { name = DataTypes.STRING }, T)
    Post = db:define("Post", { title = DataTypes.STRING }, T)
    Ev = db:define("Ev", { kind = DataTypes.STRING, uid = DataTypes.INTEGER }, T)
    Ev:removeAttribute("id")
    User:hasMany(Ev, { as = "evs", foreignKey = "uid" })
    User:hasOne(Ev, { as = "ev", foreignKey = "uid" })
    User:hasMany(Post, { as = "posts", foreignKey = "authorId" })
    db:sync()
    User:bulkCreate{ { name = "Alice" }, { name = "Bob" }, { name = "Carol" } }
    Post:bulkCreate{ { title = "p1", authorId = 1 }, { title = "p2", authorId = 1 }, { title = "p3", authorId = 2 } }
    Ev:bulkCreate{ { kind = "a", uid = 1 }, { kind = "b", uid = 1 }, { kind = "c", uid = 2 }, { kind = "b", uid = 1 } }
  end)

  it("as the top model, with a to-many include joined below a to-one one, raises naming it", function()
    -- Sequelize 6.37.8 (rows a -> Alice, b -> Bob, c -> none, ordered by kind, user.posts.id):
    -- [{"kind":"a","uid":1,"user":null}] (one row); sequelua made one Log per joined row (a three times)
    local Log = db:define("Log", { kind = DataTypes.STRING }, { timestamps = false })
    Log:removeAttribute("id")
    Log:belongsTo(User, { as = "user", foreignKey = "uid" })
    Log:sync()
    Log:bulkCreate{ { kind = "a", uid = 1 }, { kind = "b", uid = 2 }, { kind = "c" } }
    local inc = { model = User, as = "user", attributes = { "id" }, include = { { model = Post, as = "posts", attributes = { "id" } } } }
    local err = support.catch_message(function() return Log:findAll{ include = { inc }, order = { { "kind" } } } end)
    assert.equal("Error", err.name)
    assert.equal("Log has no primary key: its rows repeat with each row of the to-many include user.posts and cannot "
      .. "be merged; include it with separate = true", err.message)
    inc.include[1].separate = true
    inc.include[1].order = { { "id" } }
    assert.equal('[{"kind":"a","uid":1,"user":{"id":1,"posts":[{"id":1},{"id":2}]}},{"kind":"b","uid":2,'
      .. '"user":{"id":2,"posts":[{"id":3}]}},{"kind":"c","uid":null,"user":null}]',
      S(Log:findAll{ include = { inc }, order = { { "kind" } } }))
    -- a to-one include alone, raw rows and groups are not merged: they read
    assert.equal(3, #Log:findAll{ include = { { model = User, as = "user" } } })
    assert.equal(4, #Log:findAll{ include = { { model = User, as = "user", include = { { model = Post, as = "posts" } } } }, raw = true })
    assert.equal(3, #Log:findAll{ attributes = { "kind" }, group = { "kind" },
      include = { { model = User, as = "user", attributes = {}, include = { { model = Post, as = "posts", attributes = {} } } } } })
  end)
  teardown(function() db:close() end)

  it("hasMany: every joined row is a child, equal rows too", function()
    assert.equal('[{"id":1,"name":"Alice","evs":[{"kind":"a","uid":1},{"kind":"b","uid":1},{"kind":"b","uid":1}]},'
      .. '{"id":2,"name":"Bob","evs":[{"kind":"c","uid":2}]}]',
      S(User:findAll{ include = { { model = Ev, as = "evs", required = true } }, order = { { "id" }, { "evs", "kind" } } }))
    assert.equal('[{"id":1,"name":"Alice","evs":[{"kind":"a"},{"kind":"b"},{"kind":"b"}]},'
      .. '{"id":2,"name":"Bob","evs":[{"kind":"c"}]},{"id":3,"name":"Carol","evs":[]}]',
      S(User:findAll{ include = { { model = Ev, as = "evs", attributes = { "kind" } } }, order = { { "id" }, { "evs", "kind" } } }))
    -- with a to-many include read apart, or a to-one one beside it
    local rows = User:findAll{ include = { { model = Ev, as = "evs" }, { model = Post, as = "posts", separate = true } },
                               order = { { "id" }, { "evs", "kind" } } }
    assert.same({ 3, 2, 1, 1, 0, 0 }, { #rows[1].evs, #rows[1].posts, #rows[2].evs, #rows[2].posts, #rows[3].evs, #rows[3].posts })
  end)

  it("hasOne: the row's one; the first one under a parent merged for a to-many include", function()
    assert.equal('[{"id":1,"name":"Alice","ev":{"kind":"a","uid":1}},{"id":1,"name":"Alice","ev":{"kind":"b","uid":1}},'
      .. '{"id":1,"name":"Alice","ev":{"kind":"b","uid":1}},{"id":2,"name":"Bob","ev":{"kind":"c","uid":2}},'
      .. '{"id":3,"name":"Carol","ev":null}]',
      S(User:findAll{ include = { { model = Ev, as = "ev" } }, order = { { "id" }, { "ev", "kind" } } }))
    assert.equal('[{"id":1,"name":"Alice","ev":{"kind":"a","uid":1},"posts":[{"id":1},{"id":2}]},'
      .. '{"id":2,"name":"Bob","ev":{"kind":"c","uid":2},"posts":[{"id":3}]},{"id":3,"name":"Carol","ev":null,"posts":[]}]',
      S(User:findAll{ include = { { model = Ev, as = "ev" }, { model = Post, as = "posts", attributes = { "id" } } },
                     order = { { "id" }, { "ev", "kind" }, { "posts", "id" } } }))
  end)

  it("hasMany beside another joined to-many include raises, naming both", function()
    local err = support.catch_message(function()
      return User:findAll{ include = { { model = Ev, as = "evs" }, { model = Post, as = "posts" } } }
    end)
    assert.equal("Error", err.name)
    assert.equal("Ev has no primary key: included as evs, its rows repeat with each row of the to-many include posts "
      .. "and cannot be told apart from them; include one of the two with separate = true", err.message)
    assert.truthy(err:is(Sequelize.errors.BaseError))
    -- (an include that only filters, attributes = {}, makes no objects: nothing to merge)
    assert.equal(2, #User:findAll{ include = { { model = Ev, as = "evs", attributes = {}, required = true },
                                               { model = Post, as = "posts" } } })
  end)
end)

-- (an include's object alias where order names it, and in messages: review of the ported-tests fixes)
describe("include as = { singular / plural } (Sequelize's verifyAssociationAlias) in order items and messages", function()
  local db, Individual, Hat, Tag
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Individual = db:define("Individual", { name = DataTypes.STRING })
    Hat = db:define("Hat", { name = DataTypes.STRING })
    Tag = db:define("Tag", { name = DataTypes.STRING })
    Individual:hasOne(Hat, { as = "personwearinghat" })
    Individual:hasMany(Tag, { as = { singular = "tg", plural = "tgs" } })
    db:sync()
    local i = Individual:create{ name = "a" }
    i:createPersonwearinghat{ name = "h" }
    i:createTg{ name = "t2" }
    i:createTg{ name = "t1" }
  end)

  it("an order item { model, as = { singular = ... } } names the association, as the include does", function()
    -- Sequelize: [{ model: Hat, as: { singular: 'personwearinghat' } }, 'name'] orders by it
    local i = Individual:findOne{ include = { { model = Hat, as = "personwearinghat" } },
                                  order = { { { model = Hat, as = { singular = "personwearinghat" } }, "name" } } }
    assert.equal("h", i.personwearinghat.name)
    local j = Individual:findOne{ include = { { model = Tag, as = { plural = "tgs" } } },
                                  order = { { { model = Tag, as = { plural = "tgs" } }, "name", "DESC" } } }
    assert.equal("t2", j.tgs[1].name)
    assert.equal("t1", j.tgs[2].name)
  end)

  it("a flag error names such an include by its alias, not a table's address", function()
    local ok, err = pcall(function()
      return Individual:findOne{ include = { { model = Hat, as = { singular = "personwearinghat" }, required = 1 } } }
    end)
    assert.is_false(ok)
    assert.is_nil(err.message:find("table: ", 1, true))
    assert.truthy(err.message:find("personwearinghat", 1, true))
  end)

  it("an include's literal ending in AS \"<path>.<name>\" is read as <name>, another needs an alias", function()
    local db = Sequelize.new("sqlite::memory:")
    local Post = db:define("Post", {})
    local Comment = db:define("Comment", { flag = DataTypes.VIRTUAL, t = DataTypes.STRING })
    Post:hasMany(Comment)
    db:sync{ force = true }
    Post:create({ Comments = { { t = "x" } } }, { include = Comment })
    local function read(txt)
      return Post:findAll{ include = { { model = Comment, attributes = { Sequelize.literal(txt), "id" } } } }
    end
    assert.are.equal(1, read('EXISTS(SELECT 1) AS "Comments.flag"')[1].Comments[1]:get("flag"))
    assert.are.equal(2, read("(1 + 1)as `Comments.n`\n")[1].Comments[1].n)
    for _, txt in ipairs{ '7 AS "zzz"', ' AS "Comments.a"', '7 AS "Comments."', '7 AS "Comments.a.b"', '"Comments.a"', "7" } do
      local err = support.catch_message(read, txt)
      assert.truthy(err.message:find("Invalid attributes item on Comment", 1, true), txt)
    end
    db:close()
  end)

  it("orders by an attribute's definition: the model's own, an include's, another model's raises", function()
    local db, log = support.open()
    local User = db:define("User", { name = DataTypes.STRING })
    local Product = db:define("Product", { title = DataTypes.STRING })
    User:hasMany(Product)
    Product:belongsTo(User)
    db:sync{ force = true }
    User:bulkCreate{ { name = "b" }, { name = "a" } }
    Product:bulkCreate{ { title = "x", UserId = 1 }, { title = "y", UserId = 2 } }
    local users = User:findAll{ order = { User.rawAttributes.name } }
    assert.are.same({ "a", "b" }, { users[1].name, users[2].name })
    local products = Product:findAll{ include = User, order = { User.rawAttributes.name } }
    assert.are.same({ "y", "x" }, { products[1].title, products[2].title })
    assert.truthy(log[#log]:find("ORDER BY `User`.`name`", 1, true))
    local err = support.catch_message(User.findAll, User, { order = { Product.rawAttributes.title } })
    assert.truthy(err.message:find("Invalid order item on User", 1, true))
    assert.truthy(err.message:find("'title'", 1, true))
    db:close()
  end)

  it("orders by an attribute's definition with a direction ({ User.rawAttributes.name, 'DESC' }, as Sequelize)", function()
    -- Sequelize 6.37.8: order: [[User.rawAttributes.name, 'DESC']] gives ORDER BY `User`.`name` DESC,
    -- and an include's: ORDER BY `User`.`name` DESC on Product.findAll({ include: User })
    local db, log = support.open()
    local User = db:define("User", { name = DataTypes.STRING })
    local Product = db:define("Product", { title = DataTypes.STRING })
    User:hasMany(Product)
    Product:belongsTo(User)
    db:sync{ force = true }
    User:bulkCreate{ { name = "a" }, { name = "b" } }
    Product:bulkCreate{ { title = "x", UserId = 1 }, { title = "y", UserId = 2 } }
    local users = User:findAll{ order = { { User.rawAttributes.name, "DESC" } } }
    assert.are.same({ "b", "a" }, { users[1].name, users[2].name })
    assert.truthy(log[#log]:find("ORDER BY `User`.`name` DESC", 1, true))
    local products = Product:findAll{ include = User, order = { { User.rawAttributes.name, "DESC" } } }
    assert.are.same({ "y", "x" }, { products[1].title, products[2].title })
    assert.truthy(log[#log]:find("ORDER BY `User`.`name` DESC", 1, true))
    local err = support.catch_message(User.findAll, User, { order = { { Product.rawAttributes.title, "ASC" } } })
    assert.truthy(err.message:find("Invalid order item on User", 1, true))
    db:close()
  end)
end)
