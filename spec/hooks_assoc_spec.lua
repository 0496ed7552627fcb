-- Hooks around associations: which hooks a nested create and a bulkCreate with include run
-- on the included models, and which the association accessors (getX, countX, hasX) run on
-- their target. Every expected order was recorded from sequelize 6.37.8 + sqlite3 with the
-- same models and a hook of each type on each model that notes "Model.type what" (what: the
-- instance's name/title/label, or the length of a list); the Sequelize output is quoted in
-- each test.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("hooks and associations", function()
  local db, log, calls, Company, User, Post, Tag, UserTag

  local function joined() local s = table.concat(calls, ", "); support.clear(calls); return s end

  local function what(x)
    local mt = getmetatable(x)
    if mt and mt.__M then
      return tostring(x.name or x.title or x.label or (tostring(x.UserId) .. "-" .. tostring(x.TagId)))
    end
    return tostring(#x)
  end

  local function record(types)
    for _, M in ipairs({ Company, User, Post, Tag, UserTag }) do
      for _, t in ipairs(types) do
        M:addHook(t, function(x) calls[#calls + 1] = M.name .. "." .. t .. " " .. what(x) end)
      end
    end
  end

  local CREATE_HOOKS = { "beforeBulkCreate", "afterBulkCreate", "beforeValidate", "afterValidate", "beforeCreate",
                         "afterCreate" }

  before_each(function()
    db, log = support.open()
    calls = {}
    Company = db:define("Company", { name = DataTypes.STRING })
    User = db:define("User", { name = DataTypes.STRING })
    Post = db:define("Post", { title = DataTypes.STRING })
    Tag = db:define("Tag", { label = DataTypes.STRING })
    UserTag = db:define("UserTag", { note = DataTypes.STRING })
    User:belongsTo(Company)
    User:hasMany(Post)
    User:belongsToMany(Tag, { through = UserTag })
    db:sync()
    support.clear(log)
  end)

  after_each(function() db:close() end)

  local function rows()
    return {
      { name = "u1", Company = { name = "c1" }, Posts = { { title = "p1" }, { title = "p2" } },
        Tags = { { label = "t1", UserTag = { note = "n1" } } } },
      { name = "u2", Company = { name = "c2" }, Posts = { { title = "p3" } }, Tags = { { label = "t2" }, { label = "t3" } } },
    }
  end

  it("a nested create's included rows see their parent as options.parentRecord (Sequelize)", function()
    local seen = {}
    for _, M in ipairs({ Company, Post, Tag, UserTag }) do
      M:addHook("beforeCreate", function(x, o) seen[#seen + 1] = M.name .. "<" .. tostring(o.parentRecord and o.parentRecord.name) end)
    end
    User:create(rows()[1], { include = { Company, Post, Tag } })
    table.sort(seen)
    assert.are.same({ "Company<u1", "Post<u1", "Post<u1", "Tag<u1", "UserTag<u1" }, seen)
  end)

  -- the tables the logged INSERTs write, in order
  local function insert_tables()
    local out = {}
    for i, sql in ipairs(support.statements(log, "INSERT")) do out[i] = sql:match("^INSERT INTO `([^`]+)`") end
    return out
  end

  local function counts()
    return { Company:count(), User:count(), Post:count(), Tag:count(), UserTag:count() }
  end

  describe("bulkCreate with include", function()
    -- Sequelize (the same for validate = true):
    -- User.beforeBulkCreate 2, Company.beforeBulkCreate 2, Company.afterBulkCreate 2, Post.beforeBulkCreate 3,
    -- Tag.beforeBulkCreate 3, Post.afterBulkCreate 3, Tag.afterBulkCreate 3, UserTag.beforeBulkCreate 3,
    -- UserTag.afterBulkCreate 3, User.afterBulkCreate 2
    local BULK = "User.beforeBulkCreate 2, Company.beforeBulkCreate 2, Company.afterBulkCreate 2, "
      .. "Post.beforeBulkCreate 3, Tag.beforeBulkCreate 3, Post.afterBulkCreate 3, Tag.afterBulkCreate 3, "
      .. "UserTag.beforeBulkCreate 3, UserTag.afterBulkCreate 3, User.afterBulkCreate 2"

    it("is a bulkCreate of each included model, with its bulk hooks and no row hooks, in Sequelize's order", function()
      record(CREATE_HOOKS)
      local list = User:bulkCreate(rows(), { include = { Company, Post, Tag } })
      assert.are.equal(BULK, joined())
      -- a model's rows go in one INSERT (here rows of the same columns: the join rows with and
      -- without a note are two)
      assert.are.same({ "Companies", "Users", "Posts", "Tags", "UserTags", "UserTags" }, insert_tables())
      assert.are.same({ 2, 2, 3, 3, 3 }, counts())
      -- Sequelize: [[1,1,[[1,1],[2,1]],[1]],[2,2,[[3,2]],[2,3]]] (id, CompanyId, Posts' id and UserId, Tags' id)
      assert.are.same({ 1, 1, 2 }, { list[1].id, list[1].CompanyId, list[2].CompanyId })
      assert.are.same({ 1, 1, 2, 1, 3, 2 }, { list[1].Posts[1].id, list[1].Posts[1].UserId, list[1].Posts[2].id,
        list[1].Posts[2].UserId, list[2].Posts[1].id, list[2].Posts[1].UserId })
      assert.are.same({ 1, 2, 3 }, { list[1].Tags[1].id, list[2].Tags[1].id, list[2].Tags[2].id })
      assert.are.equal("n1", list[1].Tags[1].UserTag.note)
      assert.are.equal("c2", list[2].Company.name)
      assert.are.equal("n1", support.raw(db, "SELECT note FROM UserTags WHERE UserId = 1 AND TagId = 1")[1].note)
    end)

    it("validate = true validates the top rows only; hooks = false skips the top model's hooks only (Sequelize)", function()
      record(CREATE_HOOKS)
      User:bulkCreate(rows(), { include = { Company, Post, Tag }, validate = true })
      assert.are.equal(BULK, joined())
      -- Sequelize: Company.beforeBulkCreate 2, Company.afterBulkCreate 2, Post.beforeBulkCreate 3,
      -- Tag.beforeBulkCreate 3, Post.afterBulkCreate 3, Tag.afterBulkCreate 3, UserTag.beforeBulkCreate 3,
      -- UserTag.afterBulkCreate 3
      User:bulkCreate(rows(), { include = { Company, Post, Tag }, hooks = false })
      assert.are.equal("Company.beforeBulkCreate 2, Company.afterBulkCreate 2, Post.beforeBulkCreate 3, "
        .. "Tag.beforeBulkCreate 3, Post.afterBulkCreate 3, Tag.afterBulkCreate 3, UserTag.beforeBulkCreate 3, "
        .. "UserTag.afterBulkCreate 3", joined())
      assert.are.same({ 4, 4, 6, 6, 6 }, counts())
    end)

    it("the included levels get the transaction and logging, not the top's validate or individualHooks", function()
      local seen = {}
      Post:beforeBulkCreate(function(list, o)
        seen[#seen + 1] = { #list, o.validate, o.individualHooks, o.hooks, o.logging ~= nil, o.include }
        list[1].title = "changed by hook"
      end)
      local quiet = function() end
      User:bulkCreate(rows(), { include = { Post }, validate = true, logging = quiet })
      assert.are.same({ { 3, nil, nil, nil, true, nil } }, seen)
      assert.are.equal("changed by hook", Post:findByPk(1).title)
      -- the top model's beforeBulkCreate sees the included rows as instances, and may change them
      User:beforeBulkCreate(function(list) list[1].Posts[2].title = "from the top" end)
      local list = User:bulkCreate(rows(), { include = { Post } })
      assert.are.equal("from the top", Post:findByPk(list[1].Posts[2].id).title)
    end)

    it("individualHooks saves each row with its included rows, with the row hooks of every model", function()
      record(CREATE_HOOKS)
      -- Sequelize (validate = true: the top rows' validation hooks run with individualHooks):
      -- User.beforeBulkCreate 1, User.beforeValidate u1, User.afterValidate u1, User.beforeCreate u1,
      -- Company.beforeValidate c1, Company.afterValidate c1, Company.beforeCreate c1, Company.afterCreate c1,
      -- User.afterCreate u1, User.afterBulkCreate 1
      User:bulkCreate({ { name = "u1", Company = { name = "c1" } } },
        { include = { Company }, individualHooks = true, validate = true })
      assert.are.equal("User.beforeBulkCreate 1, User.beforeValidate u1, User.afterValidate u1, User.beforeCreate u1, "
        .. "Company.beforeValidate c1, Company.afterValidate c1, Company.beforeCreate c1, Company.afterCreate c1, "
        .. "User.afterCreate u1, User.afterBulkCreate 1", joined())
      -- With hasMany / n:m includes Sequelize saves the rows concurrently (their hooks interleave:
      -- User.beforeCreate u1, User.beforeCreate u2, Company.beforeValidate c1, Company.beforeValidate c2, ...),
      -- then bulk-creates the Posts and Tags again (Post.beforeBulkCreate 3, Tag.beforeBulkCreate 3) and
      -- fails with a SequelizeUniqueConstraintError on their keys. Here each row is saved in turn
      -- with its included rows, and afterBulkCreate ends it.
      User:bulkCreate(rows(), { include = { Company, Post, Tag }, individualHooks = true })
      local row = function(u, c, posts, tags)
        local s = { "User.beforeCreate " .. u }
        local function four(m, x)
          for _, t in ipairs({ "beforeValidate", "afterValidate", "beforeCreate", "afterCreate" }) do s[#s + 1] = m .. "." .. t .. " " .. x end
        end
        four("Company", c)
        for _, p in ipairs(posts) do four("Post", p) end
        for _, t in ipairs(tags) do four("Tag", t[1]); four("UserTag", t[2]) end
        s[#s + 1] = "User.afterCreate " .. u
        return table.concat(s, ", ")
      end
      assert.are.equal("User.beforeBulkCreate 2, " .. row("u1", "c1", { "p1", "p2" }, { { "t1", "2-1" } }) .. ", "
        .. row("u2", "c2", { "p3" }, { { "t2", "3-2" }, { "t3", "3-3" } }) .. ", User.afterBulkCreate 2", joined())
      assert.are.same({ 3, 3, 3, 3, 3 }, counts())
      assert.are.equal("n1", support.raw(db, "SELECT note FROM UserTags WHERE UserId = 2 AND TagId = 1")[1].note)
    end)
  end)

  describe("create with include", function()
    it("validates the row and runs its beforeCreate before its belongsTo parent is saved (Sequelize)", function()
      record(CREATE_HOOKS)
      -- Sequelize: User.beforeValidate u1, User.afterValidate u1, User.beforeCreate u1, Company.beforeValidate c1,
      -- Company.afterValidate c1, Company.beforeCreate c1, Company.afterCreate c1, Post.beforeValidate p1,
      -- Post.afterValidate p1, Post.beforeCreate p1, Post.afterCreate p1, User.afterCreate u1
      local u = User:create({ name = "u1", Company = { name = "c1" }, Posts = { { title = "p1" } } },
        { include = { Company, Post } })
      assert.are.equal("User.beforeValidate u1, User.afterValidate u1, User.beforeCreate u1, "
        .. "Company.beforeValidate c1, Company.afterValidate c1, Company.beforeCreate c1, Company.afterCreate c1, "
        .. "Post.beforeValidate p1, Post.afterValidate p1, Post.beforeCreate p1, Post.afterCreate p1, "
        .. "User.afterCreate u1", joined())
      assert.are.equal(u.Company.id, u.CompanyId)
      assert.are.equal(1, User:count({ where = { CompanyId = u.Company.id } }))
    end)

    it("an include's own hooks / validate are its rows' save options (and its join rows'), in create and bulkCreate", function()
      record(CREATE_HOOKS)
      -- Sequelize: User.beforeValidate u1, User.afterValidate u1, User.beforeCreate u1, Post.beforeCreate p1,
      -- Post.afterCreate p1, User.afterCreate u1; bulkCreate: User.beforeBulkCreate 1, User.afterBulkCreate 1;
      -- 2 posts, 2 companies, 1 join row
      User:create({ name = "u1", Company = { name = "c1" }, Posts = { { title = "p1" } }, Tags = { { label = "t1" } } },
        { include = { { model = Company, hooks = false }, { model = Post, validate = false }, { model = Tag, hooks = false } } })
      assert.are.equal("User.beforeValidate u1, User.afterValidate u1, User.beforeCreate u1, Post.beforeCreate p1, "
        .. "Post.afterCreate p1, User.afterCreate u1", joined())
      User:bulkCreate({ { name = "u2", Company = { name = "c2" }, Posts = { { title = "p2" } } } },
        { include = { { model = Company, hooks = false }, { model = Post, hooks = false } } })
      assert.are.equal("User.beforeBulkCreate 1, User.afterBulkCreate 1", joined())
      assert.same({ 2, 2, 1 }, { Post:count(), Company:count(), UserTag:count() })
      -- a finder takes and ignores them
      assert.are.equal(2, #User:findAll({ include = { { model = Post, hooks = false, validate = true } } }))
      assert.is_truthy(support.catch_message(function() User:findAll({ include = { { model = Post, hooks = "no" } } }) end)
        .message:find("hooks must be a boolean", 1, true))
    end)

    it("a belongsTo key that may not be null is left out of the row's validation while its parent is given", function()
      local Shop = db:define("Shop", { name = DataTypes.STRING })
      local Item = db:define("Item", { name = DataTypes.STRING })
      Item:belongsTo(Shop, { foreignKey = { allowNull = false } })
      db:sync()
      -- Sequelize: created, ShopId 1; and with bulkCreate(..., { validate = true }) too
      local it1 = Item:create({ name = "i", Shop = { name = "s" } }, { include = { Shop } })
      assert.are.equal(it1.Shop.id, it1.ShopId)
      local list = Item:bulkCreate({ { name = "j", Shop = { name = "t" } } }, { include = { Shop }, validate = true })
      assert.are.equal(list[1].Shop.id, list[1].ShopId)
      local err = support.catch_error(function() Item:create({ name = "k" }, { include = { Shop } }) end)
      assert.are.equal("notNull Violation: Item.ShopId cannot be null", err.message)
    end)
  end)

  describe("association accessors", function()
    local u, p1, p3, t1, t3

    before_each(function()
      local c = Company:create({ name = "c" })
      u = User:create({ name = "u", CompanyId = c.id })
      p1 = Post:create({ title = "p1", UserId = u.id })
      Post:create({ title = "p2", UserId = u.id })
      p3 = Post:create({ title = "p3" })
      t1 = Tag:create({ label = "t1" })
      Tag:create({ label = "t2" })
      t3 = Tag:create({ label = "t3" })
      u:addTags({ t1, Tag:findByPk(2) })
      local short = { beforeFind = "bf", beforeFindAfterExpandIncludeAll = "bfx", beforeFindAfterOptions = "bfo",
                      afterFind = "af", beforeCount = "bc" }
      for _, M in ipairs({ Company, User, Post, Tag, UserTag }) do
        for t, abbr in pairs(short) do
          M:addHook(t, function(x)
            local d = ""
            if t == "afterFind" then
              local mt = getmetatable(x)
              if mt and mt.__M then d = " one"
              elseif x[1] ~= nil or next(x) == nil then
                d = " " .. ((x[1] and not (getmetatable(x[1]) and getmetatable(x[1]).__M)) and "raw " or "") .. #x
              else d = " " .. Sequelize.stringify(x) end
            end
            calls[#calls + 1] = M.name .. "." .. abbr .. d
          end)
        end
      end
    end)

    -- Sequelize, each line "accessor -> result: hooks" (no beforeCount, and none of the through model's):
    -- getPosts -> 2: Post.bf, Post.bfx, Post.bfo, Post.af 2
    -- countPosts -> 2: Post.bf, Post.bfx, Post.bfo, Post.af {"count":2}
    -- countPosts where -> 1: Post.bf, Post.bfx, Post.bfo, Post.af {"count":1}
    -- hasPost -> true: Post.bf, Post.bfx, Post.bfo, Post.af raw 1
    -- hasPosts -> false: Post.bf, Post.bfx, Post.bfo, Post.af raw 1
    -- getTags -> 2: Tag.bf, Tag.bfx, Tag.bfo, Tag.af 2
    -- countTags -> 2: Tag.bf, Tag.bfx, Tag.bfo, Tag.af {"count":2}
    -- hasTag -> true: Tag.bf, Tag.bfx, Tag.bfo, Tag.af raw 1
    -- hasTags -> false: Tag.bf, Tag.bfx, Tag.bfo, Tag.af raw 1
    -- getCompany -> one: Company.bf, Company.bfx, Company.bfo, Company.af one
    local function find_hooks(M, after) return ("%s.bf, %s.bfx, %s.bfo, %s.af %s"):format(M, M, M, M, after) end

    it("the hasMany counters and checks run the target's find hooks, as its getter does (Sequelize)", function()
      assert.are.equal(2, #u:getPosts())
      assert.are.equal(find_hooks("Post", "2"), joined())
      assert.are.equal(2, u:countPosts())
      assert.are.equal(find_hooks("Post", '{"count":2}'), joined())
      assert.are.equal(1, u:countPosts({ where = { title = "p1" } }))
      assert.are.equal(find_hooks("Post", '{"count":1}'), joined())
      assert.is_true(u:hasPost(p1))
      assert.are.equal(find_hooks("Post", "raw 1"), joined())
      assert.is_false(u:hasPosts({ p1, p3.id }))
      assert.are.equal(find_hooks("Post", "raw 1"), joined())
    end)

    it("the belongsToMany getter, counter and checks run the target's find hooks only, not the through model's", function()
      assert.are.equal(2, #u:getTags())
      assert.are.equal(find_hooks("Tag", "2"), joined())
      assert.are.equal(2, u:countTags())
      assert.are.equal(find_hooks("Tag", '{"count":2}'), joined())
      assert.is_true(u:hasTag(t1))
      assert.are.equal(find_hooks("Tag", "raw 1"), joined())
      assert.is_false(u:hasTags({ t1, t3 }))
      assert.are.equal(find_hooks("Tag", "raw 1"), joined())
      assert.are.equal("c", u:getCompany().name)
      assert.are.equal(find_hooks("Company", "one"), joined())
    end)

    it("the hooks get Sequelize's options: the counters' COUNT attribute, raw and plain, has's key list", function()
      local seen = {}
      Post:beforeFind(function(o) seen[#seen + 1] = o end)
      Tag:beforeFind(function(o) seen[#seen + 1] = o end)
      u:countPosts({ where = { title = "p1" } })
      u:hasPost(p1)
      u:countTags()
      -- Sequelize: where={Op.and:[{UserId:1},{title:"p1"}]} attrs=[[fn(COUNT,col(Post.id)),"count"]] raw plain
      local o = seen[1]
      assert.are.same({ { UserId = 1 }, { title = "p1" } }, o.where[Op["and"]])
      assert.are.equal("COUNT", o.attributes[1][1].fn)
      assert.are.equal("Post.id", o.attributes[1][1].args[1].col)
      assert.are.equal("count", o.attributes[1][2])
      assert.is_true(o.raw)
      assert.is_true(o.plain)
      -- Sequelize: where={Op.and:[{UserId:1},{Op.and:[{Op.or:[{id:1}]},undefined]}]} attrs=["id"] raw scope=false
      o = seen[2]
      assert.are.same({ { UserId = 1 }, { [Op["and"]] = { { [Op["or"]] = { { id = 1 } } } } } }, o.where[Op["and"]])
      assert.are.same({ "id" }, o.attributes)
      assert.is_true(o.raw)
      assert.is_false(o.scope)
      -- Sequelize: where={Op.and:[undefined,undefined]} attrs=[[fn(COUNT,col(Tag.id)),"count"]] raw plain, and an
      -- include of the through model (here the join rows' keys are added after the hooks)
      o = seen[3]
      assert.are.same({}, o.where[Op["and"]])
      assert.are.equal("Tag.id", o.attributes[1][1].args[1].col)
      assert.is_true(o.plain)
    end)

    it("a hook's where on a n:m getter narrows it and cannot widen it past the instance's join rows", function()
      -- Sequelize: [ 't1' ] 1 false (its through include keeps the instance's rows)
      Tag:beforeFind(function(o) o.where = { label = { [Op.ne] = "t2" } } end)
      assert.are.same({ "t1" }, support.field(u:getTags(), "label"))
      assert.are.equal(1, u:countTags())
      assert.is_false(u:hasTag(t3))
    end)
  end)
end)
