-- Hooks around associations: which hooks a nested create and a bulkCreate with include run
-- on the included models, and which the association accessors (getX, countX, hasX) run on
-- their target. Every expected order was recorded from sequelize 6.37.8 + sqlite3 with the
-- same models and a hook of each type on each model that notes "Model.type what" (what: the
-- instance's name/title/label, or the length of a list); the Sequelize output is quoted in
-- each test.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

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
end)
