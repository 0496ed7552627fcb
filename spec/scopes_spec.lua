-- Model scopes: define's defaultScope and scopes, Model:scope / unscoped / addScope, and
-- how a scope merges into finders, aggregates, update, destroy and includes.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37 + sqlite3.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

local function names(rows)
  local t = {}
  for i, r in ipairs(rows) do t[i] = r.name end
  return t
end

-- the SQL of the log's statements starting with `kind` (SELECT, UPDATE, DELETE)
local function sqls(log, kind)
  local out = {}
  for _, m in ipairs(log) do
    local s = support.sql_of(m)
    if s and s:sub(1, #kind) == kind then out[#out + 1] = s end
  end
  return out
end

local function last(log, kind)
  local l = sqls(log, kind)
  return l[#l]
end

describe("model scopes", function()
  local db, log, User, Post

  before_each(function()
    db, log = support.open()
    User = db:define("User", {
      name = DataTypes.STRING, active = DataTypes.BOOLEAN, age = DataTypes.INTEGER,
    }, {
      defaultScope = { where = { active = true } },
      scopes = {
        adults = { where = { age = { [Op.gte] = 18 } } },
        named = function(n) return { where = { name = n } } end,
        few = { attributes = { "id", "name" }, order = { { "name", "DESC" } }, limit = 2 },
        older = function(a, b) return { where = { age = { [Op.between] = { a, b } } } } end,
        third = function(...) return { where = { name = select("#", ...) == 0 and "c" or "?" } } end,
      },
    })
    Post = db:define("Post", { title = DataTypes.STRING, published = DataTypes.BOOLEAN }, {
      defaultScope = { where = { published = true } },
      scopes = { short = { attributes = { "id", "title" } } },
    })
    User:hasMany(Post)
    Post:belongsTo(User)
    db:sync()
    User:unscoped():bulkCreate({
      { name = "a", active = true, age = 20 },
      { name = "b", active = false, age = 30 },
      { name = "c", active = true, age = 10 },
    })
    Post:unscoped():bulkCreate({
      { title = "p1", published = true, UserId = 1 },
      { title = "p2", published = false, UserId = 1 },
    })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  describe("selecting scopes", function()
    it("applies the default scope to the model's finders", function()
      assert.are.same({ "a", "c" }, names(User:findAll({ order = { "id" } })))
      assert.matches("WHERE `User`.`active` = ?", last(log, "SELECT"), 1, true)
      assert.are.equal(2, User:count())
    end)

    it("unscoped(), scope(), scope(nil) and scope(Sequelize.null) drop every scope", function()
      assert.are.equal(3, #User:unscoped():findAll())
      assert.are.equal(3, #User:scope():findAll())
      assert.are.equal(3, #User:scope(nil):findAll())
      assert.not_matches("WHERE", last(log, "SELECT"))
      -- (Sequelize 6.37.8: User.scope(null) is no scope, every row)
      assert.are.equal(3, #User:scope(Sequelize.null):findAll())
      assert.not_matches("WHERE", last(log, "SELECT"))
    end)

    it("takes names, a list of names, method calls with arguments and defaultScope", function()
      -- Sequelize: WHERE `User`.`age` >= 18 AND `User`.`name` = 'b'
      assert.are.same({ "b" }, names(User:scope("adults", { method = { "named", "b" } }):findAll()))
      assert.are.same({ "b" }, names(User:scope({ "adults", { method = { "named", "b" } } }):findAll()))
      assert.are.same({ "a", "b" }, names(User:scope({ method = { "older", 15, 35 } }):findAll({ order = { "id" } })))
      assert.are.same({ "c" }, names(User:scope("defaultScope", { method = { "named", "c" } }):findAll()))
      -- a function scope named without arguments is called with none (Sequelize)
      assert.are.same({ "c" }, names(User:scope("third"):findAll()))
      assert.are.same({ "c" }, names(User:scope({ method = "third" }):findAll()))
      -- an options table as a scope
      assert.are.same({ "b" }, names(User:scope({ where = { name = "b" } }):findAll()))
    end)

    it("records the scope names as Sequelize's _scopeNames", function()
      assert.are.same({ "defaultScope" }, User._scopeNames)
      assert.are.same({ "adults", "named" }, User:scope("adults", { method = { "named", "x" } })._scopeNames)
      assert.are.same({}, User:unscoped()._scopeNames)
    end)

    it("a scoped model is the model: same name, table, metatable, instances and later changes", function()
      local S = User:scope("adults")
      assert.are.equal(getmetatable(User), getmetatable(S))
      assert.are.equal("User", S.name)
      assert.are.equal("Users", S.tableName)
      assert.is_true(S.scoped)
      local row = S:findOne({ where = { name = "b" } })
      local plain = User:unscoped():findOne({ where = { name = "b" } })
      assert.are.equal(getmetatable(plain), getmetatable(row))
      row.age = 31
      row:save()
      assert.are.equal(31, User:unscoped():findByPk(2).age)
      -- an association added after the scope was taken is seen through it
      local Tag = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
      local T0 = Tag:scope()
      Tag:belongsTo(User)
      assert.is_not_nil(T0.rawAttributes.UserId)
      Tag:sync()
      Tag:create({ label = "t", UserId = 2 })
      local tags = T0:findAll({ include = User:unscoped() })
      assert.are.equal("b", tags[1].User.name)
      -- and a scoped model can be associated: the association is the model's
      local Note = db:define("Note", { body = DataTypes.STRING }, { timestamps = false })
      local a = User:scope("adults"):hasMany(Note:unscoped())
      assert.are.equal(User, a.source)
      assert.are.equal(Note, a.target)
      assert.are.equal(a, User.associations.Notes)
    end)
  end)

  describe("merging", function()
    it("whereMergeStrategy = \"and\" joins scope and finder wheres with AND (Sequelize 6.37)", function()
      local V = db:define("V", { name = DataTypes.STRING, age = DataTypes.INTEGER }, { timestamps = false,
        whereMergeStrategy = "and", scopes = {
          young = { where = { age = { [Op.lt] = 30 } } }, old = { where = { age = { [Op.gte] = 20 } } },
          id2 = { where = { id = 2 } } } })
      V:sync()
      V:bulkCreate({ { name = "a", age = 10 }, { name = "b", age = 25 }, { name = "c", age = 40 } })
      assert.are.same({ "b" }, names(V:scope("young", "old"):findAll({ order = { "id" } })))
      assert.is_nil(V:scope("id2"):findByPk(3)) -- (the key AND the scope's id)
      assert.are.same({ "b" }, names(V:scope("young"):findAll({ where = { age = { [Op.gt] = 20 } } })))
      assert.are.equal('W: whereMergeStrategy must be "and" or "overwrite", got x',
        support.catch(db.define, db, "W", {}, { whereMergeStrategy = "x" }).message)
    end)

    it("the finder's where wins over the scope's key by key; the other keys stay", function()
      -- Sequelize: WHERE `User`.`active` = 0 ... (the default scope's active = 1 replaced)
      assert.are.same({ "b" }, names(User:findAll({ where = { active = false } })))
      assert.are.same({ "c" }, names(User:findAll({ where = { name = "c" } })))
      local s = last(log, "SELECT")
      assert.matches("`User`.`active` = ?", s, 1, true)
      assert.matches("`User`.`name` = ?", s, 1, true)
    end)

    it("a later scope's where key wins over an earlier one's", function()
      assert.are.same({ "b" }, names(User:scope("defaultScope", { where = { active = false } }):findAll()))
      assert.are.same({ "a" }, names(User:scope({ method = { "named", "b" } }, { method = { "named", "a" } }):findAll()))
    end)

    it("attribute lists are joined, other options are replaced by the later", function()
      -- Sequelize: SELECT `id`, `name`, `age` ... WHERE `User`.`active` = 0 ORDER BY `User`.`name` DESC LIMIT 2
      local rows = User:scope({ "defaultScope", "few" }):findAll({ attributes = { "age" }, where = { active = false } })
      assert.are.same({ "b" }, names(rows))
      local s = last(log, "SELECT")
      assert.matches("SELECT `id`, `name`, `age` FROM", s, 1, true)
      assert.matches("ORDER BY `User`.`name` DESC LIMIT ?", s, 1, true)
      assert.are.equal(3, #User:scope("few", { limit = 3 }):findAll())
      -- order lists are joined too (Sequelize: ORDER BY `User`.`name` DESC, `User`.`age` ASC)
      User:scope("few"):findAll({ order = { { "age", "ASC" } } })
      assert.matches("ORDER BY `User`.`name` DESC, `User`.`age` ASC", last(log, "SELECT"), 1, true)
    end)

    it("an empty include, order or group list keeps the scope's (lodash's union of [] and the scope's)", function()
      User:addScope("inc", { include = { { model = Post, required = true } } })
      User:addScope("grp", { attributes = { "active" }, group = { "active" } })
      -- Sequelize 6.37.8: INNER JOIN `Posts` ... still there; ["a"] with its one published post
      local rows = User:scope("inc"):findAll({ include = {} })
      assert.matches("INNER JOIN `Posts` AS `Posts`", last(log, "SELECT"), 1, true)
      assert.are.same({ "a" }, names(rows))
      assert.are.equal(1, #rows[1].Posts)
      -- Sequelize 6.37.8: ORDER BY `User`.`name` DESC LIMIT 2 -> ["c", "b"]
      assert.are.same({ "c", "b" }, names(User:scope("few"):findAll({ order = {} })))
      assert.matches("ORDER BY `User`.`name` DESC LIMIT ?", last(log, "SELECT"), 1, true)
      -- Sequelize 6.37.8: GROUP BY `active`: two rows
      assert.are.equal(2, #User:scope("grp"):findAll({ group = {}, raw = true }))
      -- and an empty scope list leaves the finder's
      User:addScope("none", { include = {}, order = {} })
      assert.are.same({ "c", "b", "a" }, names(User:scope("none"):findAll({ order = { { "name", "DESC" } } })))
    end)

    it("a finder's Sequelize.null limit, order, attributes or include drops the scope's (Sequelize's null wins)", function()
      -- Sequelize 6.37.8: User.scope('few').findAll({ limit: null }) -> ["c","b","a"] (ORDER BY kept)
      assert.are.same({ "c", "b", "a" }, names(User:scope("few"):findAll({ limit = Sequelize.null })))
      assert.not_matches("LIMIT", last(log, "SELECT"))
      -- Sequelize 6.37.8: { attributes: null, where: { name: 'c' } } -> every column: age 10
      assert.are.equal(10, User:scope("few"):findAll({ attributes = Sequelize.null, where = { name = "c" } })[1].age)
      assert.are.equal(10, User:scope("few"):findOne({ attributes = Sequelize.null, where = { name = "c" } }).age)
      User:scope("few"):findAll({ order = Sequelize.null })
      assert.not_matches("ORDER BY", last(log, "SELECT"))
      -- Sequelize 6.37.8: 3, and findAndCountAll's 3 rows
      assert.are.equal(3, User:scope("few"):count({ limit = Sequelize.null }))
      assert.are.equal(3, #User:scope("few"):findAndCountAll({ limit = Sequelize.null }).rows)
      User:addScope("wp", { include = { { model = Post:unscoped() } } })
      assert.is_nil(User:scope("wp"):findAll({ include = Sequelize.null })[1].Posts)
      -- the scope's where stays (see README: Sequelize's where: null drops it too)
      assert.are.same({ "a", "c" }, names(User:findAll({ where = Sequelize.null, order = { "id" } })))
    end)

    it("an aggregate's Sequelize.null include, offset or group drops the scope's, as a finder's", function()
      User:addScope("inc", { include = { { model = Post:unscoped(), required = true } } })
      User:addScope("off", { limit = 1, offset = 1 })
      User:addScope("grp", { group = { "name" } })
      -- Sequelize 6.37.8: scope('inc').max('age') 20, with { include: null } 30, sum 60
      assert.are.equal(20, User:scope("inc"):max("age"))
      assert.are.equal(30, User:scope("inc"):max("age", { include = Sequelize.null }))
      assert.are.equal(60, User:scope("inc"):sum("age", { include = Sequelize.null }))
      assert.not_matches("JOIN", last(log, "SELECT"))
      -- Sequelize 6.37.8: scope('off').max('age') null, with { offset: null } 30
      assert.is_nil(User:scope("off"):max("age"))
      assert.are.equal(30, User:scope("off"):max("age", { offset = Sequelize.null }))
      -- Sequelize 6.37.8: scope('grp').sum('age') 20 (the first group's), with { group: null } 60;
      -- aggregate('age', 'min', { group: null }) 10
      assert.are.equal(20, User:scope("grp"):sum("age"))
      assert.are.equal(60, User:scope("grp"):sum("age", { group = Sequelize.null }))
      assert.are.equal(10, User:scope("grp"):aggregate("age", "min", { group = Sequelize.null }))
    end)

    it("attributes { exclude } objects merge their lists", function()
      User:addScope("noc", { attributes = { exclude = { "createdAt" } } })
      User:addScope("nou", { attributes = { exclude = { "updatedAt" } } })
      local r = User:scope("noc", "nou"):findOne()
      -- Sequelize: SELECT `id`, `name`, `active`, `age` FROM `Users`
      assert.is_nil(r.createdAt)
      assert.is_nil(r.updatedAt)
      assert.is_not_nil(r.name)
    end)

    it("a Sequelize.literal where is kept next to the finder's", function()
      User:addScope("lit", { where = Sequelize.literal("age > 15") })
      -- Sequelize: WHERE age > 15 AND `User`.`name` = 'b'
      assert.are.same({ "b" }, names(User:scope("lit"):findAll({ where = { name = "b" } })))
      assert.are.same({}, names(User:scope("lit"):findAll({ where = { name = "c" } })))
    end)

    it("includes of the same model merge: where by key, attributes joined", function()
      User:addScope("wp", { include = { { model = Post, where = { title = "p1" }, attributes = { "id" } } } })
      User:addScope("wp2", { include = { { model = Post, where = { published = true }, attributes = { "title" } } } })
      -- Sequelize: ... `Posts`.`id` AS `Posts.id`, `Posts`.`title` AS `Posts.title` FROM `Users` AS `User`
      -- INNER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` AND `Posts`.`title` = 'p1' AND `Posts`.`published` = 1
      local rows = User:scope("wp", "wp2"):findAll()
      local s = last(log, "SELECT")
      assert.matches("`Posts`.`id` AS `Posts.id`, `Posts`.`title` AS `Posts.title` FROM", s, 1, true)
      assert.matches("INNER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` AND", s, 1, true)
      assert.are.equal(1, select(2, s:gsub("JOIN", "")))
      assert.are.equal(1, #rows)
      assert.are.equal("p1", rows[1].Posts[1].title)
      -- the finder's include of that model merges in too (its where key wins)
      rows = User:scope("wp"):findAll({ include = { { model = Post, where = { title = "p2", published = false } } } })
      s = last(log, "SELECT")
      assert.are.equal(1, select(2, s:gsub("JOIN", "")))
      assert.are.equal(2, rows[1].Posts[1].id)
    end)

    it("does not change the caller's options or the stored scopes", function()
      local opts = { where = { name = "a" }, attributes = { "age" } }
      User:scope("few"):findAll(opts)
      assert.are.same({ where = { name = "a" }, attributes = { "age" } }, opts)
      assert.are.same({ "id", "name" }, User.options.scopes.few.attributes)
      assert.are.same({ active = true }, User.options.defaultScope.where)
    end)
  end)

  describe("everywhere the model is used", function()
    it("findOne, findByPk and findAndCountAll", function()
      assert.is_nil(User:findByPk(2)) -- b is inactive
      assert.matches("`User`.`active` = ?", last(log, "SELECT"), 1, true)
      assert.are.equal("b", User:unscoped():findByPk(2).name)
      assert.are.equal("a", User:scope("few"):findByPk(1).name)
      assert.is_nil(User:findOne({ where = { name = "b" } }))
      local r = User:scope("few"):findAndCountAll()
      assert.are.equal(3, r.count) -- the count takes no limit (Sequelize: count 3, 2 rows)
      assert.are.same({ "c", "b" }, names(r.rows))
      r = User:findAndCountAll()
      assert.are.equal(2, r.count)
    end)

    it("rejectOnEmpty sees the scope", function()
      local err = support.catch_error(function() User:findOne({ where = { name = "b" }, rejectOnEmpty = true }) end)
      assert.are.equal("SequelizeEmptyResultError", err.name)
    end)

    it("count drops the scope's limit and order; aggregates take its where", function()
      -- Sequelize: SELECT count(*) AS `count` FROM `Users` AS `User`;
      assert.are.equal(3, User:scope("few"):count())
      assert.not_matches("LIMIT", last(log, "SELECT"))
      assert.are.equal(2, User:count())
      assert.are.equal(1, User:scope("adults", "defaultScope"):count())
      assert.are.equal(30, User:scope("adults"):max("age"))
      assert.are.equal(20, User:max("age"))
      assert.are.equal(10, User:min("age"))
      assert.are.equal(30, User:sum("age"))
      assert.are.equal(50, User:scope("adults"):aggregate("age", "sum"))
    end)

    it("static update, destroy and increment take the scope's where", function()
      -- Sequelize: UPDATE `Users` SET `age`=$1,`updatedAt`=$2 WHERE `active` = $3 AND `name` = $4 -> [0]
      assert.are.same(0, User:update({ age = 98 }, { where = { name = "b" } }))
      assert.matches("WHERE `active` = ? AND `name` = ?", last(log, "UPDATE"), 1, true)
      assert.are.equal(30, User:unscoped():findByPk(2).age)
      assert.are.same(1, User:update({ age = 21 }, { where = { name = "a" } }))
      -- with the scope's where, none of the caller's is needed (Sequelize)
      assert.are.same(2, User:update({ age = 1 }, {}))
      -- the scope's limit applies (Sequelize: WHERE rowid IN (SELECT rowid FROM `Users` WHERE ... LIMIT 2))
      assert.are.same(2, User:scope("defaultScope", "few"):update({ age = 5 }, { where = { age = { [Op.lt] = 100 } } }))
      assert.matches("LIMIT ?", last(log, "UPDATE"), 1, true)
      User:increment("age", { where = { name = "b" } })
      assert.are.equal(30, User:unscoped():findByPk(2).age)
      User:unscoped():increment("age", { where = { name = "b" } })
      assert.are.equal(31, User:unscoped():findByPk(2).age)
      -- Sequelize: DELETE FROM `Users` WHERE `active` = 1 AND `name` = 'b' -> 0
      assert.are.equal(0, User:destroy({ where = { name = "b" } }))
      assert.are.equal(3, User:unscoped():count())
      assert.are.equal(1, User:scope("adults"):destroy())
      assert.are.same({ "a", "c" }, names(User:unscoped():findAll({ order = { "id" } })))
    end)

    it("truncate empties the table whatever the scope (Sequelize: DELETE FROM `Users`)", function()
      User:truncate()
      assert.are.equal("DELETE FROM `Users`", last(log, "DELETE"):gsub(";$", ""))
      assert.are.equal(0, User:unscoped():count())
    end)

    it("build and create do not take the scope's where (Sequelize v6)", function()
      local u = User:scope("adults", { method = { "named", "zz" } }):create({ age = 5 })
      assert.is_nil(u.name)
      assert.are.equal(5, User:unscoped():findByPk(u.id).age)
      assert.is_nil(User:unscoped():findByPk(u.id).name)
      assert.are.equal(getmetatable(User:build({})), getmetatable(u))
      assert.is_nil(User:scope("adults"):build({}).name)
    end)

    it("upsert finds the row whatever the scope (Sequelize's upsert takes none)", function()
      local row, created = User:upsert({ id = 2, name = "b2" })
      assert.is_false(created)
      assert.are.equal(3, User:unscoped():count())
      assert.are.equal("b2", User:unscoped():findByPk(2).name)
      assert.is_not_nil(row)
    end)

    it("findOrCreate looks with the scope and creates without it", function()
      local u, created = User:findOrCreate({ where = { name = "b" }, defaults = { active = true } })
      assert.is_true(created)
      assert.are.equal(4, User:unscoped():count())
      assert.is_true(u.active)
    end)
  end)

  describe("includes", function()
    it("the included model's default scope goes into the join (Sequelize: INNER JOIN ... AND published = 1)", function()
      local rows = User:findAll({ include = Post })
      local s = last(log, "SELECT")
      assert.matches("INNER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` AND `Posts`.`published` = ?", s, 1, true)
      assert.are.equal(1, #rows)
      assert.are.equal(1, #rows[1].Posts)
      User:findAll({ include = "Posts" })
      assert.matches("INNER JOIN `Posts`", last(log, "SELECT"), 1, true)
      User:findAll({ include = User.associations.Posts })
      assert.matches("INNER JOIN `Posts`", last(log, "SELECT"), 1, true)
      -- required = false keeps the condition in a LEFT OUTER JOIN
      rows = User:findAll({ include = { model = Post, required = false }, order = { "id" } })
      assert.matches("LEFT OUTER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` AND `Posts`.`published` = ?",
        last(log, "SELECT"), 1, true)
      assert.are.equal(2, #rows)
      -- the include's own where key wins
      rows = User:findAll({ include = { model = Post, where = { published = false } } })
      assert.are.equal("p2", rows[1].Posts[1].title)
    end)

    it("an include's own attributes are what its rows show; a scope's list adds selected columns only", function()
      -- Sequelize 6.37.8 (the rows are built from the include's originalAttributes):
      -- [{"name":"a","Posts":[{"published":true},{"published":false}]}]; raw rows hold the scope's columns too:
      -- [{"name":"a","Posts.id":1,"Posts.title":"p1","Posts.published":1},{"name":"a","Posts.id":2,...}]
      local opts = { attributes = { "name" }, where = { name = "a" }, order = { { Post, "id", "ASC" } },
                     include = { { model = Post:scope("short"), attributes = { "published" } } } }
      assert.are.equal('[{"name":"a","Posts":[{"published":true},{"published":false}]}]', Sequelize.stringify(User:findAll(opts)))
      opts.raw = true
      local raw = User:findAll(opts)
      assert.are.same({ 1, "p1", true }, { raw[1]["Posts.id"], raw[1]["Posts.title"], raw[1]["Posts.published"] })
      -- separate: [{"name":"a","id":1,"Posts":[{"published":true}]}] (our parent: id first, column order)
      assert.are.equal('[{"id":1,"name":"a","Posts":[{"published":true}]}]', Sequelize.stringify(User:findAll({ attributes = { "name" },
        where = { name = "a" }, include = { { model = Post:scope("short"), attributes = { "published" }, separate = true } } })))
      -- below a separate include too: [{"name":"a","id":1,"Posts":[{"id":1,"User":{"age":20}}]}]
      User:addScope("idname", { attributes = { "id", "name" } })
      assert.are.equal('[{"id":1,"name":"a","Posts":[{"id":1,"User":{"age":20}}]}]', Sequelize.stringify(User:findAll({
        attributes = { "name" }, where = { name = "a" }, include = { { model = Post, attributes = { "id" }, separate = true,
          include = { { model = User:scope("idname"), attributes = { "age" } } } } } })))
      -- separate, the list the scope's alone: the key Sequelize adds to it is shown
      -- [{"name":"a","id":1,"Posts":[{"id":1,"title":"p1","UserId":1}]}]
      assert.are.equal('[{"id":1,"name":"a","Posts":[{"id":1,"title":"p1","UserId":1}]}]', Sequelize.stringify(User:findAll({ attributes = { "name" },
        where = { name = "a" }, include = { { model = Post:scope("short"), separate = true, order = { { "id", "ASC" } } } } })))
    end)

    it("an include's empty attribute list joins its scope's as an empty list (lodash's union)", function()
      -- Sequelize 6.37.8: include { model: Post.scope('short'), attributes: [] } selects the
      -- scope's columns (`Posts`.`id`, `Posts`.`title`); the rows show none of them (no Posts
      -- key); raw rows hold them: {"name":"a","Posts.id":1,"Posts.title":"p1"}
      local opts = { attributes = { "name" }, where = { name = "a" }, order = { { Post, "id", "ASC" } },
                     include = { { model = Post:scope("short"), attributes = {} } } }
      assert.are.equal('[{"name":"a"}]', Sequelize.stringify(User:findAll(opts)))
      opts.raw = true
      local raw = User:findAll(opts)
      assert.are.same({ 1, "p1" }, { raw[1]["Posts.id"], raw[1]["Posts.title"] })
    end)

    it("an empty attribute list replaces a scope's { exclude } object (Sequelize's [] is truthy and wins)", function()
      Post:addScope("noTitle", { attributes = { exclude = { "title" } } })
      User:addScope("noAge", { attributes = { exclude = { "age" } } })
      -- Sequelize 6.37.8: include { model: Post.scope('noTitle'), attributes: [] } selects no Posts
      -- column and the rows have no Posts key: [{"name":"a"}]
      local opts = { attributes = { "name" }, where = { name = "a" },
                     include = { { model = Post:scope("noTitle"), attributes = {} } } }
      assert.are.equal('[{"name":"a"}]', Sequelize.stringify(User:findAll(opts)))
      -- the finder's own: User.scope('noAge').findAll({ attributes: [], include: [{ model: Post, attributes: ['title'] }] })
      -- selects `User`.`id` only (for the merge) and shows none: [{"Posts":[{"title":"p1"}]}]
      assert.are.equal('[{"Posts":[{"title":"p1"}]}]', Sequelize.stringify(User:scope("noAge"):findAll({
        attributes = {}, where = { name = "a" }, include = { { model = Post, attributes = { "title" } } } })))
      -- a later scope's empty list replaces an earlier scope's object too (Sequelize's _assignOptions)
      User:addScope("none", { attributes = {} })
      local r = User:unscoped():scope("noAge", "none"):findOne({ where = { name = "a" }, include = { { model = Post, attributes = { "title" } } } })
      -- Sequelize: SELECT `User`.*, `Posts`.`id` AS `Posts.id`, ... FROM (SELECT `User`.`id` FROM `Users` ...
      -- {"Posts":[{"title":"p1"}]}
      assert.matches("^SELECT `User`%.`id`, `Posts`", last(log, "SELECT"))
      assert.are.equal('{"Posts":[{"title":"p1"}]}', tostring(r))
    end)

    it("the included model's default scope applies from the belongsTo side too", function()
      Post:unscoped():update({ UserId = 2 }, { where = { title = "p1" } })
      -- Sequelize: INNER JOIN `Users` AS `User` ON `Post`.`UserId` = `User`.`id` AND `User`.`active` = 1
      assert.are.equal(0, #Post:findAll({ include = User }))
      assert.are.equal(1, #Post:findAll({ include = User:unscoped() }))
    end)

    it("include all brings the default scopes too (Sequelize: INNER JOIN `Users` ... AND `User`.`active` = 1)", function()
      Post:unscoped():update({ UserId = 2 }, { where = { title = "p1" } })
      local posts = Post:unscoped():findAll({ include = { all = true } })
      assert.are.equal(1, #posts) -- p1's user is inactive
      assert.are.equal("p2", posts[1].title)
      assert.matches("INNER JOIN `Users` AS `User` ON `Post`.`UserId` = `User`.`id` AND `User`.`active` = ?",
        last(log, "SELECT"), 1, true)
      local rows = User:unscoped():findAll({ include = { all = true, nested = true }, order = { "id" } })
      assert.are.equal(1, #rows) -- the one user with a published post
      assert.are.equal("b", rows[1].name)
      assert.are.equal("p1", rows[1].Posts[1].title)
    end)

    it("an unscoped or scoped model as include", function()
      local rows = User:findAll({ include = { model = Post:unscoped() }, order = { "id" } })
      assert.matches("LEFT OUTER JOIN", last(log, "SELECT"), 1, true)
      assert.are.equal(2, #rows[1].Posts)
      rows = User:findAll({ include = Post:scope("short"), order = { "id" } })
      local s = last(log, "SELECT")
      -- Sequelize: `Posts`.`id` AS `Posts.id`, `Posts`.`title` AS `Posts.title` FROM ... LEFT OUTER JOIN
      assert.matches("`Posts`.`id` AS `Posts.id`, `Posts`.`title` AS `Posts.title` FROM", s, 1, true)
      assert.matches("LEFT OUTER JOIN", s, 1, true)
      assert.is_nil(rows[1].Posts[1].published)
      rows = User:findAll({ include = { model = Post:scope("short", "defaultScope") } })
      assert.are.equal(1, #rows[1].Posts)
      -- a scoped model names its include in order too
      User:findAll({ include = Post:unscoped(), order = { { Post:scope("short"), "title", "DESC" } } })
      assert.matches("ORDER BY `Posts`.`title` DESC", last(log, "SELECT"), 1, true)
    end)

    it("separate includes read with the target's scope", function()
      local rows = User:findAll({ include = { model = Post, separate = true }, order = { "id" } })
      assert.are.equal(1, #rows[1].Posts)
      assert.matches("`Post`.`published` = ?", last(log, "SELECT"), 1, true)
    end)

    it("a scope's include of an association added later resolves when used", function()
      local Tag = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
      User:addScope("tagged", { include = { "Tags" } })
      User:hasMany(Tag)
      Tag:sync()
      Tag:create({ label = "x", UserId = 1 })
      local rows = User:scope("tagged"):findAll({ order = { "id" } })
      assert.are.equal("x", rows[1].Tags[1].label)
    end)

    it("association accessors read with the target's default scope and write without it", function()
      local u = User:findByPk(1)
      assert.are.equal(1, #u:getPosts())
      assert.are.equal(1, u:countPosts())
      -- Sequelize's has reads unscoped
      assert.is_true(u:hasPost(2))
      -- Sequelize sets with target.unscoped().update: the hidden post is unlinked too
      u:setPosts({})
      assert.are.equal(0, Post:unscoped():count({ where = { UserId = 1 } }))
      u:addPosts({ 1, 2 })
      assert.are.equal(2, Post:unscoped():count({ where = { UserId = 1 } }))
      u:removePost(2)
      assert.are.equal(1, Post:unscoped():count({ where = { UserId = 1 } }))
    end)

    it("getters take a scope option: names, or false for none (Sequelize)", function()
      local u = User:findByPk(1)
      assert.are.equal(2, #u:getPosts({ scope = false }))
      assert.are.equal(2, u:countPosts({ scope = false }))
      local p = u:getPosts({ scope = "short", order = { "id" } })
      assert.are.equal(2, #p)
      assert.is_nil(p[1].published)
      assert.are.equal(1, #u:getPosts({ scope = { "short", "defaultScope" } }))
      local hidden = Post:unscoped():findByPk(1)
      User:unscoped():update({ active = false }, { where = { id = 1 } })
      -- Sequelize: SELECT ... WHERE `User`.`active` = 1 AND `User`.`id` = 1 -> null
      assert.is_nil(hidden:getUser())
      assert.are.equal("a", hidden:getUser({ scope = false }).name)
      local err = support.catch_message(function() u:getPosts({ scope = "nope" }) end)
      assert.are.equal("Invalid scope nope called.", err.message)
    end)

    it("n:m getters and has follow the same rules", function()
      local Tag = db:define("Tag", { label = DataTypes.STRING, hidden = DataTypes.BOOLEAN },
        { timestamps = false, defaultScope = { where = { hidden = false } } })
      Post:belongsToMany(Tag, { through = "PostTags" })
      db:sync()
      local p = Post:findByPk(1)
      local t1, t2 = Tag:create({ label = "x", hidden = false }), Tag:create({ label = "y", hidden = true })
      p:addTags({ t1, t2 })
      assert.are.equal(1, #p:getTags())
      assert.are.equal(2, #p:getTags({ scope = false }))
      assert.are.equal(1, p:countTags())
      assert.is_true(p:hasTag(t2))
    end)

    it("reload reads through the default scope (Sequelize reloads with findOne)", function()
      local u = User:findByPk(1)
      User:unscoped():update({ active = false, name = "a2" }, { where = { id = 1 } })
      local err = support.catch_message(function() u:reload() end)
      assert.are.equal("SequelizeInstanceError", err.name)
      local v = User:unscoped():findByPk(1)
      User:unscoped():update({ active = true, name = "a3" }, { where = { id = 1 } })
      v:reload()
      assert.are.equal("a3", v.name)
    end)
  end)

  describe("addScope", function()
    it("adds a scope, refuses an existing name without override, replaces with it", function()
      User:addScope("young", { where = { age = { [Op.lt] = 18 } } })
      assert.are.same({ "c" }, names(User:scope("young"):findAll()))
      local err = support.catch_message(function() User:addScope("young", {}) end)
      assert.are.equal("The scope young already exists. Pass { override: true } as options to silence this error",
        err.message)
      User:addScope("young", { where = { age = 30 } }, { override = true })
      assert.are.same({ "b" }, names(User:scope("young"):findAll()))
      User:addScope("byName", function(n) return { where = { name = n } } end)
      assert.are.same({ "a" }, names(User:scope({ method = { "byName", "a" } }):findAll()))
    end)

    it("replaces the default scope (only with override when one is set)", function()
      local err = support.catch_message(function() User:addScope("defaultScope", { where = { age = 30 } }) end)
      assert.are.equal("The scope defaultScope already exists. Pass { override: true } as options to silence this error",
        err.message)
      User:addScope("defaultScope", { where = { age = 30 } }, { override = true })
      assert.are.same({ "b" }, names(User:findAll()))
      -- a model without a default scope takes one without override
      local Tag = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
      Tag:sync()
      Tag:bulkCreate({ { label = "x" }, { label = "y" } })
      Tag:addScope("defaultScope", { where = { label = "y" } })
      assert.are.equal(1, Tag:count())
    end)
  end)

  describe("bad input", function()
    it("define refuses scopes that are neither tables nor functions", function()
      local err = support.catch_message(function()
        db:define("Bad", { x = DataTypes.STRING }, { scopes = { broken = 42 } })
      end)
      assert.matches("Bad", err.message, 1, true)
      assert.matches("broken must be a table or a function, got number", err.message, 1, true)
      err = support.catch_message(function() db:define("Bad", {}, { defaultScope = "active" }) end)
      assert.matches("Bad: defaultScope must be a table of finder options, got string", err.message, 1, true)
      err = support.catch_message(function() db:define("Bad", {}, { scopes = "x" }) end)
      assert.matches("Bad: scopes must be a table", err.message, 1, true)
      err = support.catch_message(function() db:define("Bad", {}, { scopes = { { where = {} } } }) end)
      assert.matches("Bad: scope names must be strings", err.message, 1, true)
      assert.is_nil(db.models.Bad)
      db:sync() -- nothing of the refused models was made
      for _, t in ipairs(support.tables(db)) do assert.are_not.equal("Bads", t) end
    end)

    it("unknown scope names raise Sequelize's ScopeError", function()
      local err = support.catch_message(function() User:scope("nope") end)
      assert.are.equal("SequelizeScopeError", err.name)
      assert.are.equal("Invalid scope nope called.", err.message)
      err = support.catch_message(function() User:scope("adults", "nope") end)
      assert.are.equal("Invalid scope nope called.", err.message)
      err = support.catch_message(function() User:scope({ method = { "nope", 1 } }) end)
      assert.are.equal("Invalid scope nope called.", err.message)
      err = support.catch_message(function() User:scope(42) end)
      assert.are.equal("Invalid scope 42 called.", err.message)
      err = support.catch_message(function() User:unscoped():scope("defaultScope2") end)
      assert.are.equal("Invalid scope defaultScope2 called.", err.message)
    end)

    it("arguments for a scope that is not a function raise", function()
      local err = support.catch_message(function() User:scope({ method = { "adults", 18 } }) end)
      assert.are.equal("SequelizeScopeError", err.name)
      assert.matches("Invalid scope adults called: User.adults is not a function", err.message, 1, true)
      err = support.catch_message(function() User:scope({ method = "few" }) end)
      assert.matches("User.few is not a function", err.message, 1, true)
    end)

    it("a scope function must return a table", function()
      User:addScope("broken", function() return 7 end)
      local err = support.catch_message(function() User:scope("broken") end)
      assert.are.equal("SequelizeScopeError", err.name)
      assert.matches("the scope function of User returned number", err.message, 1, true)
    end)

    it("addScope refuses bad names, scopes and options", function()
      local err = support.catch_message(function() User:addScope(nil, {}) end)
      assert.matches("User.addScope: the scope name must be a non-empty string", err.message, 1, true)
      err = support.catch_message(function() User:addScope("x", true) end)
      assert.matches("User: the scope x must be a table or a function, got boolean", err.message, 1, true)
      err = support.catch_message(function() User:addScope("x", {}, "override") end)
      assert.matches("User.addScope: options must be a table", err.message, 1, true)
      err = support.catch_message(function() User:addScope("defaultScope", function() end, { override = true }) end)
      assert.matches("defaultScope must be a table", err.message, 1, true)
      support.catch_message(function() User:scope("x") end) -- nothing was added
    end)

    it("an unknown alias in a scope's include raises when used, naming the model", function()
      User:addScope("ghost", { include = { "Ghosts" } })
      local err = support.catch_message(function() User:scope("ghost"):findAll() end)
      assert.are.equal('Association with alias "Ghosts" does not exist on User', err.message)
    end)
  end)
end)

describe("model scopes with hooks, paranoid models and associations", function()
  local db

  before_each(function() db = support.open() end)
  after_each(function() db:close() end)

  it("a hook that changes its options leaves the scope as it was (Sequelize copies the scope)", function()
    local User = db:define("User", { name = DataTypes.STRING, email = DataTypes.STRING, active = DataTypes.BOOLEAN },
      { defaultScope = { attributes = { "id", "name" }, where = { active = true } } })
    User:sync()
    User:bulkCreate({ { name = "a", active = true }, { name = "b", active = false } })
    local function add(o) o.attributes[#o.attributes + 1] = "email"; o.where.active = false end
    User:addHook("beforeFind", add)
    assert.are.same({ "b" }, names(User:findAll()))
    User:removeHook("beforeFind", add)
    assert.are.same({ "a" }, names(User:findAll()))
    assert.is_nil(User:findOne():toJSON().email)
    local function bu(o) o.where.active = false end
    User:addHook("beforeBulkDestroy", bu)
    User:destroy({ where = {} })
    User:removeHook("beforeBulkDestroy", bu)
    assert.are.same({ "a" }, names(User:findAll()))
  end)

  it("an association to a scoped model applies the scope in its getters and includes (Sequelize)", function()
    local Project = db:define("Project", { pname = DataTypes.STRING })
    local User = db:define("User", { name = DataTypes.STRING, active = DataTypes.BOOLEAN },
      { scopes = { active = { where = { active = true } } } })
    Project:hasMany(User:scope("active"), { as = "ActiveUsers", foreignKey = "ProjectId" })
    db:sync()
    local p = Project:create({ pname = "p" })
    User:bulkCreate({ { name = "a", active = true, ProjectId = 1 }, { name = "b", active = false, ProjectId = 1 } })
    assert.are.same({ "a" }, names(p:getActiveUsers()))
    assert.are.equal(1, p:countActiveUsers())
    assert.are.same({ "a" }, names(Project:findAll({ include = { "ActiveUsers" } })[1].ActiveUsers))
  end)

  it("a paranoid model's truncate soft-deletes the rows its scope and where select (Sequelize)", function()
    local User = db:define("User", { name = DataTypes.STRING, active = DataTypes.BOOLEAN },
      { paranoid = true, defaultScope = { where = { active = true } } })
    User:sync()
    User:bulkCreate({ { name = "a", active = true }, { name = "b", active = true }, { name = "c", active = false } })
    assert.are.equal(1, User:destroy({ truncate = true, where = { name = "a" } }))
    assert.are.equal(1, User:truncate())
    assert.are.same({ "c" }, names(User:unscoped():findAll()))
  end)

  it("a hasOne setX(key) of a soft-deleted target sets its key (Sequelize updates it by key)", function()
    local User = db:define("User", { name = DataTypes.STRING }, { paranoid = true })
    local Task = db:define("Task", { title = DataTypes.STRING }, { paranoid = true })
    User:hasOne(Task, { as = "Main", foreignKey = "MainUserId" })
    db:sync()
    local u = User:create({ name = "u" })
    Task:create({ title = "t" })
    Task:destroy({ where = { id = 1 } })
    u:setMain(1)
    assert.are.equal(1, support.raw(db, "SELECT MainUserId FROM Tasks WHERE id = 1")[1].MainUserId)
  end)

  it("n:m getters take through = { paranoid = false }; paranoid options must be booleans", function()
    local User = db:define("User", { name = DataTypes.STRING })
    local Group = db:define("Group", { name = DataTypes.STRING })
    local Member = db:define("Member", {}, { paranoid = true })
    User:belongsToMany(Group, { through = Member })
    db:sync()
    local u = User:create({ name = "u" })
    local g1, g2 = Group:create({ name = "g1" }), Group:create({ name = "g2" })
    u:addGroups({ g1, g2 })
    u:removeGroup(g1)
    assert.are.same({ "g2" }, names(u:getGroups()))
    assert.are.same({ "g1", "g2" }, support.sorted(names(u:getGroups({ through = { paranoid = false } }))))
    local err = support.catch_message(function()
      User:findAll({ include = { { model = Group, through = { paranoid = "no" } } } })
    end)
    assert.truthy(err.message:find("through.paranoid must be a boolean", 1, true), err.message)
    err = support.catch_message(function()
      db:define("Bad", { name = DataTypes.STRING }, { paranoid = true, deletedAt = "updatedAt" })
    end)
    assert.truthy(err.message:find("deletedAt cannot be the updatedAt column", 1, true), err.message)
  end)
end)

describe("aggregates and counts on a scope with group, limit or offset", function()
  it("run Sequelize's select with them and give its first row's value (Sequelize: 2 2, null null)", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { age = DT.INTEGER, score = DT.FLOAT }, { timestamps = false,
      scopes = { grouped = { group = { "age" } }, paged = { limit = 1, offset = 1 }, off = { offset = 5 } } })
    db:sync()
    U:bulkCreate({ { age = 20, score = 2 }, { age = 30, score = 3 }, { age = 30, score = 1.5 } })
    assert.are.equal(2, U:scope("grouped"):max("score"))
    assert.are.equal(2, U:scope("grouped"):sum("score"))
    assert.is_nil(U:scope("paged"):max("score"))
    assert.is_nil(U:scope("off"):max("score"))
    assert.are.equal(3, U:max("score"))
    -- count: a scope's group gives the first group's count; a group given, the rows (Sequelize)
    assert.are.equal(1, U:scope("grouped"):count())
    assert.are.equal(1, U:scope("grouped"):findAndCountAll().count)
    local rows = U:count({ group = { "age" } })
    assert.are.same({ 1, 2 }, { rows[1].count, rows[2].count })
    db:close()
  end)
end)
