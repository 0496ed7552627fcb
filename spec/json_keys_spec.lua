-- JSON keys: "$...$" references inside an include's own where, dotted JSON keys
-- ("meta.a") in create, build, bulkCreate and static update, and JSON paths in order.
-- Every expected result was checked against sequelize 6.37.8 + sqlite3 on the same rows
-- (/tmp/sqz/jk_incref.js, jk_keys.js, jk_order.js); what Sequelize printed is in the
-- comments, and where sequelua deliberately differs the comment says what Sequelize does.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op
local N = Sequelize.null

describe("$...$ references in an include's own where", function()
  local db, log, U, P, C

  local function json(rows) return Sequelize.stringify(rows) end

  before_each(function()
    db, log = support.open()
    U = db:define("User", { name = DataTypes.STRING, nick = { type = DataTypes.STRING, field = "nick_col" } },
      { timestamps = false })
    P = db:define("Post", { title = DataTypes.STRING, likes = DataTypes.INTEGER }, { timestamps = false })
    C = db:define("Comment", { body = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P, { as = "posts", foreignKey = "authorId" })
    P:belongsTo(U, { as = "author", foreignKey = "authorId" })
    P:hasMany(C, { as = "comments", foreignKey = "postId" })
    C:belongsTo(P, { as = "post", foreignKey = "postId" })
    db:sync()
    U:bulkCreate({ { name = "ann", nick = "a" }, { name = "bob", nick = "b" } })
    P:bulkCreate({ { title = "t1", likes = 3, authorId = 1 }, { title = "t2", likes = 9, authorId = 2 },
                   { title = "t3", likes = 5, authorId = 1 } })
    C:bulkCreate({ { body = "c1", postId = 1 }, { body = "c2", postId = 1 }, { body = "c3", postId = 2 },
                   { body = "ann", postId = 3 } })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("the root model by its name, in the join's ON clause", function()
    local rows = U:findAll{ attributes = { "id" },
      include = { { association = "posts", attributes = { "id" }, where = { ["$User.name$"] = "ann" } } },
      order = { { "id" }, { "posts", "id" } } }
    -- Sequelize: [{"id":1,"posts":[{"id":1},{"id":3}]}], with
    -- INNER JOIN `Posts` AS `posts` ON `User`.`id` = `posts`.`authorId` AND `User`.`name` = 'ann'
    assert.are.equal('[{"id":1,"posts":[{"id":1},{"id":3}]}]', json(rows))
    local sql = support.statements(log, "SELECT")[1]
    assert.truthy(sql:find("INNER JOIN `Posts` AS `posts` ON `User`.`id` = `posts`.`authorId` AND `User`.`name` = ?",
      1, true), sql)
    assert.falsy(sql:find("ann", 1, true), sql)
  end)

  it("a sibling include, joined before or after it", function()
    local expect = '[{"id":1,"author":{"id":1},"comments":[{"id":1},{"id":2}]},'
      .. '{"id":3,"author":{"id":1},"comments":[{"id":4}]}]'
    local function posts(include)
      return json(P:findAll{ attributes = { "id" }, include = include, order = { { "id" }, { "comments", "id" } } })
    end
    -- Sequelize: [{"id":1,"author":{"id":1},"comments":[{"id":1},{"id":2}]},
    -- {"id":3,"author":{"id":1},"comments":[{"id":4}]}]
    local author = { association = "author", attributes = { "id" } }
    local comments = { association = "comments", attributes = { "id" }, where = { ["$author.name$"] = "ann" } }
    assert.are.equal(expect, posts({ author, comments }))
    local sql = support.statements(log, "SELECT")[1]
    assert.truthy(sql:find("INNER JOIN `Comments` AS `comments` ON `Post`.`id` = `comments`.`postId` AND "
      .. "`author`.`name` = ?", 1, true), sql)
    -- Sequelize: [{"id":1,"comments":[{"id":1},{"id":2}],"author":{"id":1}},{"id":3,"comments":[{"id":4}],"author":{"id":1}}]
    assert.are.equal('[{"id":1,"comments":[{"id":1},{"id":2}],"author":{"id":1}},'
      .. '{"id":3,"comments":[{"id":4}],"author":{"id":1}}]', posts({ comments, author }))
    -- the column name, and (unlike Sequelize: "no such column: author.nick") the attribute name
    comments.where = { ["$author.nick_col$"] = "a" }
    assert.are.equal(expect, posts({ author, comments }))
    comments.where = { ["$author.nick$"] = "a" }
    assert.are.equal(expect, posts({ author, comments }))
  end)

  it("the include itself, a child by its full path, a parent from a nested include", function()
    -- Sequelize: [{"id":1,"posts":[{"id":3}]},{"id":2,"posts":[{"id":2}]}]
    assert.are.equal('[{"id":1,"posts":[{"id":3}]},{"id":2,"posts":[{"id":2}]}]', json(U:findAll{
      attributes = { "id" }, order = { { "id" }, { "posts", "id" } },
      include = { { association = "posts", attributes = { "id" }, where = { ["$posts.likes$"] = { [Op.gt] = 4 } } } } }))
    -- Sequelize: [{"id":2,"posts":[{"id":2,"comments":[{"id":3}]}]}]
    assert.are.equal('[{"id":2,"posts":[{"id":2,"comments":[{"id":3}]}]}]', json(U:findAll{
      attributes = { "id" }, order = { { "id" } },
      include = { { association = "posts", attributes = { "id" }, where = { ["$posts.comments.body$"] = "c3" },
                    include = { { association = "comments", attributes = { "id" } } } } } }))
    -- Sequelize: [{"id":1,"posts":[{"id":1,"comments":[{"id":1},{"id":2}]}]},{"id":2,"posts":[]}], from
    -- LEFT OUTER JOIN ( `Posts` AS `posts` INNER JOIN `Comments` AS `posts->comments` ON ... AND `posts`.`likes` = 3 )
    support.clear(log)
    assert.are.equal('[{"id":1,"posts":[{"id":1,"comments":[{"id":1},{"id":2}]}]},{"id":2,"posts":[]}]', json(U:findAll{
      attributes = { "id" }, order = { { "id" }, { "posts", "id" } },
      include = { { association = "posts", attributes = { "id" },
                    include = { { association = "comments", attributes = { "id" }, where = { ["$posts.likes$"] = 3 } } } } } }))
    local sql = support.statements(log, "SELECT")[1]
    assert.truthy(sql:find("ON `posts`.`id` = `posts->comments`.`postId` AND `posts`.`likes` = ? )", 1, true), sql)
    -- Sequelize: [{"id":1,"posts":[{"id":3,"comments":[{"id":4}]}]},{"id":2,"posts":[]}]
    assert.are.equal('[{"id":1,"posts":[{"id":3,"comments":[{"id":4}]}]},{"id":2,"posts":[]}]', json(U:findAll{
      attributes = { "id" }, order = { { "id" } },
      include = { { association = "posts", attributes = { "id" },
                    include = { { association = "comments", attributes = { "id" },
                                  where = { ["$posts.comments.body$"] = "ann" } } } } } }))
  end)

  it("inside Op.or, with required = false, in count", function()
    local author = { association = "author", attributes = { "id" } }
    -- Sequelize: [{"id":1,"author":{"id":1},"comments":[{"id":1}]},{"id":2,"author":{"id":2},"comments":[{"id":3}]}]
    assert.are.equal('[{"id":1,"author":{"id":1},"comments":[{"id":1}]},{"id":2,"author":{"id":2},"comments":[{"id":3}]}]',
      json(P:findAll{ attributes = { "id" }, order = { { "id" }, { "comments", "id" } }, include = { author,
        { association = "comments", attributes = { "id" },
          where = { [Op.or_] = { { body = "c1" }, { ["$author.name$"] = "bob" } } } } } }))
    -- Sequelize: every post, the comments of ann's only
    assert.are.equal('[{"id":1,"author":{"id":1},"comments":[{"id":1},{"id":2}]},{"id":2,"author":{"id":2},"comments":[]},'
      .. '{"id":3,"author":{"id":1},"comments":[{"id":4}]}]',
      json(P:findAll{ attributes = { "id" }, order = { { "id" }, { "comments", "id" } }, include = { author,
        { association = "comments", attributes = { "id" }, required = false, where = { ["$author.name$"] = "ann" } } } }))
    -- Sequelize: 2
    assert.are.equal(2, P:count{ include = { { association = "author", where = { ["$Post.likes$"] = { [Op.gt] = 4 } } } } })
  end)

  it("with limit (Sequelize: no such column: User.name, its paging subquery selects only the key)", function()
    assert.are.equal('[{"id":1,"posts":[{"id":1},{"id":3}]}]', json(U:findAll{ attributes = { "id" }, limit = 5,
      include = { { association = "posts", attributes = { "id" }, where = { ["$User.name$"] = "ann" } } },
      order = { { "id" }, { "posts", "id" } } }))
  end)

  it("names resolve from the query's root, as Sequelize's aliases do; unknown ones raise", function()
    local function msg(fn, ...) return support.catch_message(fn, ...).message end
    -- Sequelize: no such column: comments.body (a name relative to the include)
    assert.are.equal("Unknown included column '$comments.body$' in where of model Post", msg(U.findAll, U, {
      include = { { association = "posts", where = { ["$comments.body$"] = "c3" }, include = { "comments" } } } }))
    -- Sequelize: no such column: nope.name
    assert.are.equal("Unknown included column '$nope.name$' in where of model Comment",
      msg(P.findAll, P, { include = { { association = "comments", where = { ["$nope.name$"] = "x" } } } }))
    assert.are.equal("Unknown included column '$author.nope$' in where of model Comment", msg(P.findAll, P,
      { include = { "author", { association = "comments", where = { ["$author.nope$"] = "x" } } } }))
    assert.are.same({}, support.statements(log, "SELECT"))
    -- a root column inside a parenthesized join is out of SQLite's reach, as in Sequelize
    -- (SQLITE_ERROR: no such column: User.name)
    local err = support.catch_message(U.findAll, U, { include = { { association = "posts",
      include = { { association = "comments", where = { ["$User.name$"] = "ann" } } } } } })
    assert.are.equal("SequelizeDatabaseError", err.name)
    assert.truthy(err.message:find("no such column: User.name", 1, true), err.message)
  end)
end)

describe("$...$ references in an n:m include's wheres", function()
  local db, U, Pr, UP

  before_each(function()
    db = support.open()
    U = db:define("User", { firstName = DataTypes.STRING }, { timestamps = false })
    Pr = db:define("Project", { title = DataTypes.STRING }, { timestamps = false })
    UP = db:define("UserProject", { hours = DataTypes.INTEGER }, { timestamps = false })
    U:belongsToMany(Pr, { through = UP, as = "projects" })
    Pr:belongsToMany(U, { through = UP, as = "members" })
    db:sync()
    U:bulkCreate({ { firstName = "ann" }, { firstName = "bob" } })
    Pr:bulkCreate({ { title = "p1" }, { title = "p2" }, { title = "p3" } })
    UP:bulkCreate({ { UserId = 1, ProjectId = 1, hours = 5 }, { UserId = 1, ProjectId = 2, hours = 9 },
                    { UserId = 1, ProjectId = 3, hours = 1 }, { UserId = 2, ProjectId = 1, hours = 2 } })
  end)

  after_each(function() db:close() end)

  local function users(include)
    return Sequelize.stringify(U:findAll{ attributes = { "id" }, include = { include },
                                          order = { { "id" }, { "projects", "id" } } })
  end

  it("the include's where names its through model; the through's where names the include", function()
    -- Sequelize: [{"id":1,"projects":[{"id":1,...},{"id":2,...}]}]
    assert.are.equal('[{"id":1,"projects":[{"id":1},{"id":2}]}]', users({ association = "projects",
      attributes = { "id" }, through = { attributes = {} }, where = { ["$projects.UserProject.hours$"] = { [Op.gt] = 4 } } }))
    -- Sequelize: [{"id":1,"projects":[{"id":1}]},{"id":2,"projects":[{"id":1}]}]
    assert.are.equal('[{"id":1,"projects":[{"id":1}]},{"id":2,"projects":[{"id":1}]}]', users({ association = "projects",
      attributes = { "id" }, through = { attributes = {}, where = { ["$projects.title$"] = "p1" } } }))
  end)
end)

describe("dotted JSON keys in create, build, bulkCreate and update", function()
  local db, log, U, T

  before_each(function()
    db, log = support.open()
    U = db:define("User", { name = DataTypes.STRING, meta = DataTypes.JSON,
      conf = { type = DataTypes.JSON, defaultValue = { z = 1 } }, info = { type = DataTypes.JSON, field = "info_col" } },
      { timestamps = false })
    T = db:define("Tim", { name = DataTypes.STRING, meta = DataTypes.JSON })
    db:sync()
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("create builds the attribute's value from its keys", function()
    local u = U:create({ name = "a", ["meta.x"] = 1, ["meta.n.d"] = "q" })
    -- Sequelize: {"conf":{"z":1},"id":1,"name":"a","meta":{"x":1,"n":{"d":"q"}}}, changed() false
    assert.are.same({ x = 1, n = { d = "q" } }, u:toJSON().meta)
    assert.is_false(u:changed())
    assert.truthy(support.statements(log, "INSERT")[1]:find("`meta`", 1, true))
    assert.are.same({ x = 1, n = { d = "q" } }, U:findByPk(1):toJSON().meta)
  end)

  it("with the attribute itself, on a default, on its own field name; other dotted keys are ignored", function()
    -- Sequelize: {"a":1,"b":2} when meta comes first (a Lua table has no order: the attribute first)
    assert.are.same({ a = 1, b = 2 }, U:create({ name = "b", meta = { a = 1 }, ["meta.b"] = 2 }):toJSON().meta)
    -- Sequelize: conf {"z":1,"x":2} (the default, cloned), and the next row's default untouched
    assert.are.same({ z = 1, x = 2 }, U:create({ name = "d", ["conf.x"] = 2 }):toJSON().conf)
    assert.are.same({ z = 1 }, U:create({ name = "d2" }):toJSON().conf)
    -- Sequelize: {"conf":{"z":1},"id":5,"name":"e","info":{"x":2},"meta":{"0":5}} (its key order)
    local u = U:create({ name = "e", ["info.x"] = 2, ["name.x"] = 3, ["nope.y"] = 4, ["meta.0"] = 5 })
    assert.are.equal('{"id":4,"conf":{"z":1},"info":{"x":2},"meta":{"0":5},"name":"e"}', Sequelize.stringify(u))
    assert.are.same({ x = 2 }, U:findByPk(4):toJSON().info)
    assert.are.same({ l = { ["0"] = 5 } }, U:create({ name = "f", ["meta.l.0"] = 5 }):toJSON().meta)
  end)

  it("a value that is not an object under the key raises Dottie's error", function()
    local msg = 'Target key "meta" is not suitable for a nested value. (It is in use as non-object. '
      .. 'Set `force` to `true` to override.)'
    assert.are.equal(msg, support.catch_message(U.create, U, { name = "g", meta = "str", ["meta.x"] = 5 }).message)
    assert.are.equal(msg, support.catch_message(U.create, U, { name = "h", meta = N, ["meta.x"] = 5 }).message)
    assert.are.same({}, support.statements(log, "INSERT"))
  end)

  it("create with fields: a dotted key counts only when listed, and only its attribute is written", function()
    -- Sequelize: INSERT INTO `Users` (`name`) VALUES ($1), meta undefined
    assert.is_nil(U:create({ name = "i", ["meta.x"] = 5 }, { fields = { "name" } }).meta)
    assert.is_nil(U:create({ name = "j", ["meta.x"] = 5 }, { fields = { "name", "meta" } }).meta)
    -- Sequelize: the instance holds meta {"x":5}; the INSERT writes only the name
    local u = U:create({ name = "k", ["meta.x"] = 5 }, { fields = { "name", "meta.x" } })
    assert.are.same({ x = 5 }, u:toJSON().meta)
    assert.is_nil(U:findByPk(u.id).meta)
  end)

  it("build and bulkCreate", function()
    local u = U:build({ name = "a", ["meta.x"] = 1 })
    -- Sequelize: {"conf":{"z":1},"id":null,"name":"a","meta":{"x":1}}, changed ["name","meta"]
    assert.are.same({ x = 1 }, u:toJSON().meta)
    assert.are.same({ "meta", "name" }, u:changed())
    u = U:build({ id = 1, name = "a", ["meta.x"] = 1 }, { isNewRecord = false })
    assert.are.same({ x = 1 }, u:toJSON().meta) -- Sequelize: {"id":1,"name":"a","meta":{"x":1}}
    -- Sequelize: [{"conf":{"z":1},"id":1,"name":"bc","meta":{"x":1}},{"conf":{"z":1,"w":1},"id":2,"name":"bd","meta":{"y":2}}]
    local rows = U:bulkCreate({ { name = "bc", ["meta.x"] = 1 }, { name = "bd", ["meta.y"] = 2, ["conf.w"] = 1 } })
    assert.are.same({ x = 1 }, rows[1]:toJSON().meta)
    assert.are.same({ z = 1, w = 1 }, rows[2]:toJSON().conf)
    assert.are.same({ y = 2 }, U:findByPk(2):toJSON().meta)
    assert.are.same({ z = 1, w = 1 }, U:findByPk(2):toJSON().conf)
  end)

  it("static update writes the value built from the keys (over the default), not a json_set", function()
    U:create({ name = "b", meta = { a = 1, b = 2 } })
    support.clear(log)
    -- Sequelize: UPDATE `Users` SET `meta`=$1 WHERE `id` = $2; [1]; meta {"x":3}
    assert.are.equal(1, U:update({ ["meta.x"] = 3 }, { where = { id = 1 } }))
    assert.truthy(support.statements(log, "UPDATE")[1]:find("UPDATE `Users` SET `meta`=? WHERE `id` = ?", 1, true))
    assert.are.same({ x = 3 }, U:findByPk(1):toJSON().meta)
    -- Sequelize: {"x":3,"n":{"k":4}} and name B
    assert.are.equal(1, U:update({ ["meta.x"] = 3, ["meta.n.k"] = 4, name = "B" }, { where = { id = 1 } }))
    assert.are.same({ x = 3, n = { k = 4 } }, U:findByPk(1):toJSON().meta)
    assert.are.equal("B", U:findByPk(1).name)
    -- Sequelize: conf {"z":1,"x":3} (the default's keys, not the row's)
    assert.are.equal(1, U:update({ ["conf.x"] = 3 }, { where = { id = 1 } }))
    assert.are.same({ z = 1, x = 3 }, U:findByPk(1):toJSON().conf)
    -- Sequelize: {"a":1,"b":2}
    assert.are.equal(1, U:update({ meta = { a = 1 }, ["meta.b"] = 2 }, { where = { id = 1 } }))
    assert.are.same({ a = 1, b = 2 }, U:findByPk(1):toJSON().meta)
    -- Sequelize: info {"x":9}; name.x and nope.x ignored
    assert.are.equal(1, U:update({ ["info.x"] = 9, ["name.x"] = 1, ["nope.x"] = 2 }, { where = { id = 1 } }))
    assert.are.same({ x = 9 }, U:findByPk(1):toJSON().info)
    assert.are.equal("B", U:findByPk(1).name)
    -- Sequelize: {"x":null}; {"0":3}
    U:update({ ["meta.x"] = N }, { where = { id = 1 } })
    assert.are.equal('{"x":null}', Sequelize.stringify(U:findByPk(1).meta))
    U:update({ ["meta.0"] = 3 }, { where = { id = 1 } })
    assert.are.equal('{"0":3}', Sequelize.stringify(U:findByPk(1).meta))
  end)

  it("static update: keys ignored alone, fields, validate = false, individualHooks, timestamps", function()
    U:create({ name = "b", meta = { a = 1 } })
    support.clear(log)
    -- Sequelize: [0], no UPDATE
    assert.are.equal(0, U:update({ ["name.x"] = 1, ["nope.x"] = 2 }, { where = { id = 1 } }))
    -- Sequelize: fields { "meta" } drops the dotted key: [0]
    assert.are.equal(0, U:update({ ["meta.x"] = 7 }, { where = { id = 1 }, fields = { "meta" } }))
    assert.are.same({}, support.statements(log, "UPDATE"))
    assert.are.same({ a = 1 }, U:findByPk(1):toJSON().meta)
    -- Sequelize: fields { "meta.x" }: meta {"x":8}
    assert.are.equal(1, U:update({ ["meta.x"] = 8 }, { where = { id = 1 }, fields = { "meta.x" } }))
    assert.are.same({ x = 8 }, U:findByPk(1):toJSON().meta)
    -- Sequelize (validate = false, or sideEffects = false): the dotted key is dropped, leaving
    -- `UPDATE `Users` SET  WHERE ...` (a syntax error); here nothing is written
    assert.are.equal(0, U:update({ ["meta.x"] = 3 }, { where = { id = 1 }, validate = false }))
    assert.are.same({ x = 8 }, U:findByPk(1):toJSON().meta)
    -- Sequelize: [1, [row]] with meta {"x":3}
    local n = U:update({ ["meta.x"] = 3 }, { where = { id = 1 }, individualHooks = true })
    assert.are.equal(1, n)
    assert.are.same({ x = 3 }, U:findByPk(1):toJSON().meta)
    -- with timestamps: UPDATE `Tims` SET `updatedAt`=$1,`meta`=$2 WHERE `id` = $3
    T:create({ name = "x", ["meta.y"] = 1 })
    support.clear(log)
    assert.are.equal(1, T:update({ ["meta.x"] = 3 }, { where = { id = 1 } }))
    assert.are.same({ "meta", "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
    assert.are.same({ x = 3 }, T:findByPk(1):toJSON().meta)
    -- with validate = false the key is dropped as an unknown key is: 0, nothing written
    -- (Sequelize 6.37.8 keeps the key among the values and so writes updatedAt alone: [1])
    support.clear(log)
    assert.are.equal(0, T:update({ ["meta.z"] = 3 }, { where = { id = 1 }, validate = false }))
    assert.are.same({}, support.statements(log, "UPDATE"))
    assert.are.same({ x = 3 }, T:findByPk(1):toJSON().meta)
  end)

  it("a dotted key goes through no setter of its attribute, in static update as in create and set", function()
    -- Sequelize 6.37.8 (meta's setter adds stamped = true): create({ ["meta.a"] = 1 }) stores {"a":1};
    -- update({ ["meta.z"] = 9 }) stores {"z":9} (the setter does not run, nor its side effects);
    -- update({ meta = { b = 2 } }) stores {"b":2,"stamped":true}, note "set"
    local S = db:define("S", { note = DataTypes.STRING,
      meta = { type = DataTypes.JSON, set = function(self, v)
        local c = {}; for k, x in pairs(v) do c[k] = x end; c.stamped = true
        self:setDataValue("meta", c); self:setDataValue("note", "set") end },
    }, { timestamps = false })
    S:sync()
    S:create({ ["meta.a"] = 1 })
    assert.are.same({ a = 1 }, S:findByPk(1):toJSON().meta)
    S:update({ ["meta.z"] = 9 }, { where = { id = 1 } })
    assert.are.same({ z = 9 }, S:findByPk(1):toJSON().meta)
    assert.is_nil(S:findByPk(1).note)
    S:update({ meta = { b = 2 } }, { where = { id = 1 } }) -- (the attribute itself: through its setter)
    assert.are.same({ b = 2, stamped = true }, S:findByPk(1):toJSON().meta)
    assert.are.equal("set", S:findByPk(1).note) -- (Sequelize: note "set", the setter's side effect)
  end)
end)

describe("JSON paths in order", function()
  local db, log, U, P

  local function names(o)
    o.attributes = o.attributes or { "name" }
    return support.field(U:findAll(o), "name")
  end

  before_each(function()
    db, log = support.open()
    U = db:define("User", { name = DataTypes.STRING, meta = DataTypes.JSON, info = { type = DataTypes.JSON, field = "info_col" } },
      { timestamps = false })
    P = db:define("Post", { title = DataTypes.STRING, data = DataTypes.JSON }, { timestamps = false })
    U:hasMany(P, { as = "posts", foreignKey = "authorId" })
    P:belongsTo(U, { as = "author", foreignKey = "authorId" })
    db:sync()
    U:bulkCreate({ { name = "a", meta = { k = 2, s = "x", n = { d = 3 }, l = { 5, 1 } }, info = { r = 1 } },
                   { name = "b", meta = { k = 10, s = "y", n = { d = 1 }, l = { 2, 9 } }, info = { r = 3 } },
                   { name = "c", meta = { k = 1, s = "w", n = { d = 2 }, l = { 7 } }, info = { r = 2 } },
                   { name = "d", meta = N } })
    P:bulkCreate({ { title = "t1", authorId = 1, data = { p = 2 } }, { title = "t2", authorId = 2, data = { p = 1 } },
                   { title = "t3", authorId = 1, data = { p = 3 } } })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("{ 'meta.k', dir } orders by json_extract of the path, bound", function()
    -- Sequelize: ORDER BY json_extract(`User`.`meta`,'$.k') DESC -> ["b","a","c","d"]
    assert.are.same({ "b", "a", "c", "d" }, names{ order = { { "meta.k", "DESC" } } })
    local sql = support.statements(log, "SELECT")[1]
    assert.truthy(sql:find("ORDER BY json_extract(`User`.`meta`, ?) DESC", 1, true), sql)
    assert.falsy(sql:find("$.k", 1, true), sql)
    assert.are.same({ "d", "c", "a", "b" }, names{ order = { { "meta.k" } } })     -- Sequelize: d c a b
    assert.are.same({ "d", "c", "a", "b" }, names{ order = { "meta.k" } })         -- Sequelize: d c a b
    assert.are.same({ "d", "b", "c", "a" }, names{ order = { { "meta.n.d", "ASC" } } }) -- Sequelize: d b c a
    assert.are.same({ "b", "a", "c", "d" }, names{ order = { { "meta.s", "DESC" } } })  -- Sequelize: b a c d
    assert.are.same({ "b", "a", "c", "d" }, names{ order = { { "meta.k", "DESC NULLS LAST" } } })
    -- '$.l[0]' and '$.l[1]' (Sequelize: c a b d; b a c d)
    assert.are.same({ "c", "a", "b", "d" }, names{ order = { { "meta.l.0", "DESC" } } })
    assert.are.same({ "b", "a", "c", "d" }, names{ order = { { "meta.l[1]", "DESC" } } })
    -- a column with its own name: json_extract(`User`.`info_col`,'$.r') (Sequelize: b c a d)
    assert.are.same({ "b", "c", "a", "d" }, names{ order = { { "info.r", "DESC" } } })
    assert.truthy(support.statements(log, "SELECT")[9]:find("json_extract(`User`.`info_col`, ?) DESC", 1, true))
    -- Sequelize.json (Sequelize: json_extract(`meta`,'$.k') DESC -> b a c d)
    assert.are.same({ "b", "a", "c", "d" }, names{ order = { { Sequelize.json("meta.k"), "DESC" } } })
    assert.are.same({ "d", "c", "a", "b" }, names{ order = { Sequelize.json("meta.k") } })
  end)

  it("beside includes, with limit, and on an include's attribute", function()
    -- Sequelize: ORDER BY json_extract(`Post`.`data`,'$.p') DESC -> ["t3","t1","t2"]
    local rows = P:findAll{ attributes = { "title" }, include = { { association = "author", attributes = { "name" } } },
                            order = { { "data.p", "DESC" } } }
    assert.are.same({ "t3", "t1", "t2" }, support.field(rows, "title"))
    -- Sequelize: ["b","a"]; with a to-many include and limit it fails (no such column: User.meta)
    assert.are.same({ "b", "a" }, names{ order = { { "meta.k", "DESC" } }, limit = 2 })
    assert.are.same({ "b", "a" }, names{ order = { { "meta.k", "DESC" } }, limit = 2,
      include = { { association = "posts", attributes = { "title" } } } })
    -- Sequelize writes `author`.json_extract(`User`.`meta`,'$.k'), a syntax error; here the
    -- include's column: json_extract(`author`.`meta`, ?)
    support.clear(log)
    rows = P:findAll{ attributes = { "title" }, include = { { association = "author", attributes = { "name" } } },
                      order = { { "author", "meta.k", "DESC" }, { "id" } } }
    assert.are.same({ "t2", "t1", "t3" }, support.field(rows, "title"))
    assert.truthy(support.statements(log, "SELECT")[1]:find("ORDER BY json_extract(`author`.`meta`, ?) DESC", 1, true))
    rows = U:findAll{ attributes = { "name" }, include = { { association = "posts", attributes = { "title" } } },
                      order = { { "name" }, { { model = P, as = "posts" }, "data.p", "DESC" } } }
    assert.are.same({ "t3", "t1" }, support.field(rows[1].posts, "title"))
  end)

  it("unknown attributes, paths on other attributes and bad paths raise naming the model", function()
    local function msg(o) return support.catch_message(names, o).message end
    -- Sequelize: TypeError (reading 'type')
    assert.are.equal("Unknown attribute 'nope.x' in order of model User", msg{ order = { { "nope.x", "DESC" } } })
    -- Sequelize: no such column: User.name.x
    assert.are.equal("Invalid order on User.name: 'name.x' is a JSON path, and name is not a JSON attribute",
      msg{ order = { { "name.x", "DESC" } } })
    assert.truthy(msg{ order = { { 'meta.a"b', "DESC" } } }:find("Invalid order on User.meta: bad JSON path part", 1, true))
    assert.truthy(msg{ order = { { "meta..k" } } }:find("Invalid order on User.meta: bad JSON path part", 1, true))
    assert.are.equal("Invalid order on Post.title: 'title.x' is a JSON path, and title is not a JSON attribute",
      support.catch_message(U.findAll, U, { include = { "posts" }, order = { { "posts", "title.x" } } }).message)
    assert.are.same({}, support.statements(log, "SELECT"))
  end)
end)

describe("dotted JSON keys in instance:update and instance:set(values)", function()
  local db, log, U

  before_each(function()
    db, log = support.open()
    U = db:define("U", { name = DataTypes.STRING, meta = DataTypes.JSON, z = DataTypes.JSON }, { timestamps = false })
    db:sync()
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("update sets the key inside the attribute and saves the attribute, on fetched and created rows", function()
    -- Sequelize: r.update({ 'meta.y': 5 }) -> UPDATE `Us` SET `meta`=$1 WHERE `id` = $2; meta {"x":1,"y":5}
    U:create({ name = "a", meta = { x = 1 } })
    local r = U:findOne({ where = { name = "a" } })
    support.clear(log)
    r:update({ ["meta.y"] = 5 })
    assert.are.equal('{"x":1,"y":5}', Sequelize.stringify(r.meta))
    assert.are.same({ "UPDATE `Us` SET `meta`=? WHERE `id` = ?;" }, support.statements(log, ""))
    assert.are.equal('{"x":1,"y":5}', Sequelize.stringify(U:findOne({ where = { name = "a" } }).meta))
    local b = U:create({ name = "b", meta = { x = 1 } })
    b:update({ ["meta.y"] = 5, name = "b2" })
    local back = U:findByPk(b.id)
    assert.are.equal('{"x":1,"y":5}', Sequelize.stringify(back.meta))
    assert.are.equal("b2", back.name)
    -- with fields: only a listed attribute's keys are set
    b:update({ ["meta.w"] = 1, name = "b3" }, { fields = { "name" } })
    assert.is_nil(U:findByPk(b.id).meta.w)
  end)

  it("a key set inside a list is left out of the row's JSON, as of toJSON (JSON.stringify of an array)", function()
    -- Sequelize 6.37.8: set('meta.k', 1) on meta [] -> toJSON meta [], previous {"meta":[]},
    -- changed ['meta'], row "[]"; on [1,2] read back: [1,2] and "[1,2]"
    U:create({ name = "e", meta = setmetatable({}, Sequelize.array_mt) })
    U:create({ name = "l", meta = { 1, 2 } })
    for _, r in ipairs(U:findAll({ order = { { "id" } } })) do
      local want = r.name == "e" and "[]" or "[1,2]"
      r:set("meta.k", 1)
      assert.are.same({ want, want, { "meta" } },
        { Sequelize.stringify(r:toJSON().meta), Sequelize.stringify(r:previous("meta")), r:changed() })
      r:save()
      assert.are.equal(want, db:query("SELECT meta FROM Us WHERE id = ?",
        { replacements = { r.id }, type = "SELECT", plain = true }).meta)
    end
  end)

  it("a list with a hole is written up to its largest index, the hole as null (JSON.stringify of an array)", function()
    -- Sequelize 6.37.8: a JS array [1, <hole>, 3] stringifies [1,null,3]; here a list read back
    -- with t[2] = nil, or filled by index
    local v = setmetatable({}, Sequelize.array_mt)
    v[1] = "a"; v[3] = "c"
    assert.are.equal('["a",null,"c"]', Sequelize.stringify(v))
    local u = U:create({ name = "h", meta = v })
    assert.are.equal('["a",null,"c"]', db:query("SELECT meta FROM Us WHERE id = ?",
      { replacements = { u.id }, type = "SELECT", plain = true }).meta)
    local r = U:findByPk(u.id)
    r.meta[1] = nil
    assert.are.equal('[null,null,"c"]', Sequelize.stringify(r.meta))
    -- a sparse index far past the items is refused rather than written as that many nulls
    local far = setmetatable({ 1 }, Sequelize.array_mt)
    far[100000] = 2
    assert.is_truthy(support.catch_message(function() Sequelize.stringify(far) end).message:find("holes", 1, true))
  end)

  it("set(values) sets the attributes first, then the dotted keys, whatever the table's order", function()
    for i = 1, 50 do
      local u = U:build({})
      local vals = { z = { x = 1 }, meta = { y = 1 } }
      vals["z.k" .. i], vals["meta.q" .. i] = 2, 3
      for j = 1, i % 7 do vals["pad" .. j] = j end
      u:set(vals)
      assert.are.equal(2, u.z["k" .. i])
      assert.are.equal(3, u.meta["q" .. i])
      assert.are.equal(1, u.z.x)
    end
  end)
end)

describe("toJSON of a JSON attribute", function()
  it("is a copy: changing it leaves the instance and the row alone (Sequelize clones deeply)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, meta = DataTypes.JSON }, { timestamps = false })
    db:sync()
    U:create({ name = "q", meta = { token = "secret", plan = "pro", list = { 1, 2 } } })
    local u = U:findByPk(1)
    local body = u:toJSON()
    body.meta.token = nil
    body.meta.list[1] = 9
    local plain = u:get({ plain = true })
    plain.meta.plan = "x"
    u:set("meta.plan", "basic")
    u:save()
    assert.equal('{"list":[1,2],"plan":"basic","token":"secret"}',
      db:query("SELECT meta FROM Users", { type = "SELECT", plain = true }).meta)
    assert.equal(rawget(u, U._index.meta), u:get().meta) -- (get() without plain: the value itself)
  end)
end)
