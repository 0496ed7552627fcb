-- where paths: JSON attributes queried by path (`["meta.a.b"] = v`, `meta = { a = { b = v } }`),
-- set("meta.a", v) on an instance, and "$...$" references (a column of an include by its
-- attribute or column name, the model itself by its name, an n:m include's through model,
-- an n:m getter's through model) with the order items that name a through model.
-- Every expected result was checked against sequelize 6.37.8 + sqlite3 on the same rows
-- (/tmp/sqz/wp_json.js, wp_set.js, wp_refs.js); where sequelua deliberately differs, the
-- comment says what Sequelize does.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op
local N = Sequelize.null

describe("where on JSON paths", function()
  local db, log, U, P

  local function names(where, M)
    return support.field((M or U):findAll{ where = where, order = { { "id", "ASC" } } }, M == P and "title" or "name")
  end

  before_each(function()
    db, log = support.open()
    U = db:define("User", { name = DataTypes.STRING, meta = DataTypes.JSON }, { timestamps = false })
    P = db:define("Post", { title = DataTypes.STRING, info = { type = DataTypes.JSON, field = "info_col" } },
      { timestamps = false })
    U:hasMany(P, { as = "posts", foreignKey = "authorId" })
    P:belongsTo(U, { as = "author", foreignKey = "authorId" })
    db:sync()
    U:bulkCreate({
      { name = "a", meta = { k = 1, n = { d = "x", v = 5 }, tags = { "p", "q" }, s = "1", b = true, z = N } },
      { name = "b", meta = { k = 2, n = { d = "y", v = 0.5 }, tags = { "q" }, s = "one", b = false } },
      { name = "c", meta = { k = "1", n = { d = "x" }, ["a b"] = 3, ["o'k"] = 4 } },
      { name = "d", meta = N },
      { name = "e", meta = { 10, { w = 1 } } },
    })
    P:bulkCreate({ { title = "t1", authorId = 1, info = { lvl = 3 } }, { title = "t2", authorId = 2, info = { lvl = 7 } } })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("a dotted key compares json_extract of the path; a number compares as DOUBLE PRECISION", function()
    -- Sequelize: CAST(json_extract(`User`.`meta`,'$.k') AS DOUBLE PRECISION) = 1: "1" matches 1
    assert.are.same({ "a", "c" }, names({ ["meta.k"] = 1 }))
    -- a string compares as it is: only the string "1"
    assert.are.same({ "c" }, names({ ["meta.k"] = "1" }))
    assert.are.same({ "a" }, names({ ["meta.s"] = 1 }))
    assert.are.same({ "b" }, names({ ["meta.n.d"] = "y" }))
  end)

  it("Sequelize.json's object form: a list is walked by index, an empty table is no condition", function()
    -- Sequelize: json_extract(`meta`,'$.tags[0]') = 'p' AND ...; `[]` / `{}` give no leaf at all
    assert.are.same({ "a" }, names(Sequelize.json({ meta = { tags = { "p", "q" } } })))
    assert.are.same({ "a", "c" }, names(Sequelize.json({ meta = { n = { d = "x" }, tags = {} } })))
    assert.are.same({ "a", "b", "c", "d", "e" }, names(Sequelize.json({ meta = { tags = {}, n = {} } })))
  end)

  it("the path and the values are bound, never written into the SQL", function()
    names({ ["meta.n.d"] = "x" })
    local sql = support.statements(log, "SELECT")[1]
    assert.truthy(sql:find("json_extract(`User`.`meta`, ?) = ?", 1, true), sql)
    assert.falsy(sql:find("n.d", 1, true))
    -- a hostile key is a (bound) path that matches nothing
    assert.are.same({}, names({ ["meta.x') OR 1=1 --"] = 1 }))
    assert.are.same({}, names({ meta = { ["x') OR ('1'='1"] = "1" } }))
    for _, s in ipairs(support.statements(log, "SELECT")) do assert.falsy(s:find("OR 1=1", 1, true), s) end
  end)

  it("nested tables are paths; their keys are ANDed", function()
    assert.are.same({ "a", "c" }, names({ meta = { n = { d = "x" } } }))
    assert.are.same({ "a", "c" }, names({ meta = { k = 1, n = { d = "x" } } }))
    assert.are.same({ "b" }, names({ ["meta.n"] = { d = "y" } }))
    -- a key with dots inside a table is a path too (Sequelize joins the parts with dots)
    assert.are.same({ "a", "c" }, names({ meta = { ["n.d"] = "x" } }))
  end)

  it("operators inside a path compare the value at that level", function()
    assert.are.same({ "a" }, names({ meta = { n = { v = { [Op.gt] = 1 } } } }))
    assert.are.same({ "a", "b" }, names({ ["meta.n.v"] = { [Op.gt] = 0.1 } }))
    assert.are.same({ "a" }, names({ ["meta.n.v"] = { [Op.gt] = 1, [Op.lt] = 10 } }))
    assert.are.same({ "a", "b", "c" }, names({ ["meta.k"] = { [Op.in_] = { 1, 2 } } }))
    assert.are.same({ "b" }, names({ ["meta.k"] = { [Op.notIn] = { 1 } } }))
    assert.are.same({ "a", "c" }, names({ ["meta.k"] = { [Op.between] = { 1, 1.5 } } }))
    assert.are.same({ "a", "c" }, names({ ["meta.n.d"] = { [Op.like] = "x%" } }))
    assert.are.same({ "a", "c" }, names({ ["meta.n.d"] = { [Op.startsWith] = "x" } }))
    -- a number as a LIKE pattern is its own text, not the double's: Sequelize 6.37.8 writes
    -- CAST(json_extract(`User`.`meta`,'$.k') AS DOUBLE PRECISION) LIKE 1 ('1.0' LIKE '1') -> [],
    -- and NOT LIKE 1 -> a, b, c
    assert.are.same({}, names({ ["meta.k"] = { [Op.like] = 1 } }))
    assert.are.same({ "a", "b", "c" }, names({ ["meta.k"] = { [Op.notLike] = 1 } }))
    assert.are.same({ "b" }, names({ ["meta.k"] = { [Op.ne] = 1 } }))
    assert.are.same({ "b" }, names({ ["meta.k"] = { [Op.not_] = 1 } })) -- Sequelize: != 1
    assert.are.same({ "c" }, names({ ["meta.k"] = { [Op.gte] = "1" } })) -- a string: no cast
    assert.are.same({ "a", "b", "c" }, names({ ["meta.n"] = { [Op.ne] = N } }))
    assert.are.same({ "a", "c" }, names({ meta = { n = { [Op.ne] = N, d = "x" } } }))
    assert.are.same({ "a", "b", "c" }, names({ [Op.or_] = { { ["meta.k"] = 2 }, { meta = { n = { d = "x" } } } } }))
  end)

  it("Op.or / Op.and group path keys inside the attribute's table (Sequelize)", function()
    -- Sequelize: (CAST(json_extract(`User`.`meta`,'$.k') AS DOUBLE PRECISION) = 2 OR ... '$.n.d') = 'x')
    assert.are.same({ "a", "b", "c" }, names({ meta = { [Op.or_] = { { k = 2 }, { n = { d = "x" } } } } }))
    assert.are.same({ "b" }, names({ meta = { [Op.and_] = { { k = 2 }, { s = "one" } } } }))
    assert.are.same({ "a", "b" }, names({ meta = { [Op.or_] = { k = 2, s = "1" } } }))
    -- (Sequelize's Op.not there compares the column with the table's JSON text,
    -- `User`.`meta` != '{"n":{"d":"x"}}'; here it raises, its keys not being operators)
    assert.truthy(support.catch_message(function() names({ meta = { [Op.not_] = { n = { d = "x" } } } }) end)
      .message:find("the key 'n' is not an operator", 1, true))
    -- at a deeper level too (Sequelize raises "Invalid value { d: 'y' }")
    assert.are.same({ "a", "b" }, names({ meta = { n = { [Op.or_] = { { d = "y" }, { v = 5 } } } } }))
  end)

  it("Op keys at the column's own level compare the column", function()
    assert.are.same({ "a", "b", "c", "e" }, names({ meta = { [Op.ne] = N } }))
    assert.are.same({ "b" }, names({ meta = { [Op.ne] = N, k = 2 } }))
  end)

  it("null, booleans, indexes and keys that need no quoting", function()
    -- a missing key is NULL too
    assert.are.same({ "a", "b", "c", "d", "e" }, names({ ["meta.z"] = N }))
    assert.are.same({ "a", "b", "c", "d", "e" }, names({ ["meta.nope"] = { [Op.is] = N } }))
    assert.are.same({ "a" }, names({ ["meta.b"] = true }))  -- CAST(... AS BOOLEAN) = 1
    assert.are.same({ "b" }, names({ ["meta.b"] = false }))
    assert.are.same({ "e" }, names({ ["meta.0"] = 10 }))    -- '$[0]'
    assert.are.same({ "e" }, names({ ["meta.1.w"] = 1 }))   -- '$[1].w'
    assert.are.same({ "a" }, names({ ["meta.tags[1]"] = "q" }))
    assert.are.same({ "c" }, names({ ["meta.a b"] = 3 }))
    assert.are.same({ "c" }, names({ ["meta.o'k"] = 4 }))
  end)

  it("a key ending in ::type casts to that type", function()
    assert.are.same({ "a", "c" }, names({ ["meta.k::integer"] = 1 }))
    assert.are.same({ "a", "c" }, names({ ["meta.k::text"] = "1" }))
    assert.truthy(support.statements(log, "SELECT")[2]:find("CAST(json_extract(`User`.`meta`, ?) AS TEXT) = ?", 1, true))
    -- Sequelize: Error "Invalid cast type: foo"
    local err = support.catch_message(names, { ["meta.k::foo"] = "1" })
    assert.truthy(err.message:find("Invalid cast type: foo", 1, true), err.message)
  end)

  it("a number beyond 2^53 compares as a double, as a JavaScript number does (both builds)", function()
    -- the JSON text holds 2^53+1; the value is a Lua 5.4 integer (LuaJIT reads the literal as 2^53).
    -- Sequelize 6.37.8, n = 9007199254740993 (a JS number: 2^53): 'meta.n': n -> 1, meta: { n } -> 1,
    -- { [Op.gte]: n } -> 1, { [Op.between]: [n, n] } -> 1, 'meta.n::double precision' -> 1, '::real' -> 1
    db:query([[INSERT INTO Users (name, meta) VALUES ('big', '{"n":9007199254740993}')]])
    local n = 9007199254740993
    assert.are.same({ "big" }, names({ ["meta.n"] = n }))
    assert.are.same({ "big" }, names({ meta = { n = n } }))
    assert.are.same({ "big" }, names({ ["meta.n"] = { [Op.gte] = n } }))
    assert.are.same({ "big" }, names({ ["meta.n"] = { [Op.between] = { n, n } } }))
    assert.are.same({ "big" }, names({ ["meta.n"] = { n, 1 } }))
    assert.are.same({ "big" }, names({ ["meta.n::double precision"] = n }))
    assert.are.same({ "big" }, names({ ["meta.n::real"] = n }))
    -- a row created with the value holds it exactly under 5.4 and is found the same way
    U:create({ name = "mine", meta = { n = n } })
    assert.are.same({ "big", "mine" }, names({ ["meta.n"] = n }))
  end)

  it("where sequelua differs: a numeric part of a dotted key is an index, a list is IN", function()
    -- Sequelize builds { tags: ['q'] } with lodash's set and compares the whole array: no row
    assert.are.same({ "b" }, names({ ["meta.tags.0"] = "q" }))
    -- Sequelize writes `= 1, 2` (an SQL syntax error); a Lua list is IN, as for any attribute
    assert.are.same({ "a", "b", "c" }, names({ ["meta.k"] = { 1, 2 } }))
    -- an empty table at a path is an empty object: no condition (Sequelize too)
    assert.are.same({ "a", "b", "c", "d", "e" }, names({ meta = { n = {} } }))
  end)

  it("on a column with its own field name, in include wheres, count, update and destroy", function()
    assert.are.same({ "t2" }, names({ ["info.lvl"] = { [Op.gt] = 5 } }, P))
    assert.are.same({ "t1" }, names({ info = { lvl = 3 } }, P))
    local rows = P:findAll{ include = { { association = "author", where = { ["meta.k"] = 1 } } } }
    assert.are.same({ "t1" }, support.field(rows, "title"))
    rows = U:findAll{ include = { { association = "posts", where = { ["info.lvl"] = 7 } } } }
    assert.are.same({ "b" }, support.field(rows, "name"))
    assert.are.equal(2, U:count{ where = { ["meta.k"] = 1 } })
    assert.are.equal(2, U:update({ name = "A" }, { where = { ["meta.k"] = 1 } }))
    assert.are.same({ "A", "b", "A", "d", "e" }, names({}))
    assert.are.equal(1, U:destroy{ where = { ["meta.k"] = 2 } })
    assert.are.equal(4, U:count())
  end)

  it("unknown names and bad paths raise error objects naming the model", function()
    -- a dotted key on an attribute that is not JSON (Sequelize: no such column: User.name.x)
    local err = support.catch_message(names, { ["name.x"] = 1 })
    assert.are.equal("Unknown attribute 'name.x' in where of model User", err.message)
    err = support.catch_message(names, { ["nope.x"] = 1 })
    assert.are.equal("Unknown attribute 'nope.x' in where of model User", err.message)
    -- a table on an attribute that is not JSON (Sequelize: Invalid value { x: 1 })
    err = support.catch_message(names, { name = { x = 1 } })
    assert.truthy(err.message:find("User.name", 1, true), err.message)
    -- empty parts, quotes, brackets that are not [n] (Sequelize: SQLite's "bad JSON path")
    for _, k in ipairs({ "meta.", "meta..k", 'meta.a"b', "meta.a[x]", "meta.[0]", "meta.a]" }) do
      err = support.catch_message(names, { [k] = 1 })
      assert.truthy(err.message:find("Invalid where on User.meta: bad JSON path part", 1, true), err.message)
    end
    err = support.catch_message(names, { meta = { n = { ["\1"] = 1 } } })
    assert.truthy(err.message:find("User.meta", 1, true), err.message)
    err = support.catch_message(names, { ["meta.k"] = { [Op.between] = { 1 } } })
    assert.truthy(err.message:find("Invalid where on User.meta: Op.between needs two values", 1, true), err.message)
    -- a JSON path inside "$...$" (Sequelize: no such column: author->meta.k)
    err = support.catch_message(P.findAll, P, { include = { "author" }, where = { ["$author.meta.k$"] = 1 } })
    assert.truthy(err.message:find("Unknown included column '$author.meta.k$'", 1, true), err.message)
    -- nothing was written to the SQL text of a refused where
    assert.are.same({}, support.statements(log, "SELECT"))
  end)

  it("deep nesting is refused, not a crash", function()
    local t = 1
    for _ = 1, 200 do t = { a = t } end
    local err = support.catch_message(names, { meta = t })
    assert.truthy(err.message:find("nested deeper", 1, true), err.message)
  end)
end)

describe("set on a JSON path", function()
  local db, U

  before_each(function()
    db = support.open()
    U = db:define("User", { name = DataTypes.STRING, meta = DataTypes.JSON }, { timestamps = false })
    db:sync()
    U:create({ name = "a", meta = { x = 1, n = { d = "q" }, l = { 1, 2 } } })
    U:create({ name = "b" })
  end)

  after_each(function() db:close() end)

  it("set('meta.x', v) sets the key, marks meta changed, and save writes it", function()
    local u = U:findByPk(1)
    u:set("meta.x", 5)
    assert.are.same({ "meta" }, u:changed())                 -- Sequelize: ["meta"]
    u:save()
    u:reload()
    assert.are.same({ x = 5, n = { d = "q" }, l = { 1, 2 } }, u:toJSON().meta)
  end)

  it("set{ ['meta.a.b'] = v, ... } with other keys; missing levels are made", function()
    local u = U:findByPk(1)
    u:set({ ["meta.n.d"] = "z", ["meta.n.e"] = 2, ["meta.m.k"] = true, name = "A" })
    assert.are.same({ "meta", "name" }, u:changed())
    u:save()
    u:reload()
    assert.are.same({ x = 1, n = { d = "z", e = 2 }, m = { k = true }, l = { 1, 2 } }, u:toJSON().meta)
    assert.are.equal("A", u.name)
  end)

  it("an index of a JSON array counts from 0; null is JSON null", function()
    local u = U:findByPk(1)
    u:set("meta.l.0", 9)
    u:set("meta.q", N)
    u:save()
    u:reload()
    assert.are.same({ 9, 2 }, u:toJSON().meta.l)
    assert.are.equal('{"l":[9,2],"n":{"d":"q"},"q":null,"x":1}', Sequelize.stringify(u.meta))
  end)

  it("an equal value is no change; raw sets nothing; a key of another attribute is ignored", function()
    local u = U:findByPk(1)
    u:set("meta.x", 1)
    u:set("meta.n", { d = "q" })
    assert.is_false(u:changed())                             -- Sequelize: false
    u:set("meta.x", 7, { raw = true })
    assert.is_false(u:changed())
    assert.are.equal(1, u.meta.x)
    u:set("name.x", 9)
    assert.is_false(u:changed())
    assert.are.equal("a", u.name)
  end)

  it("on a built instance the value is made", function()
    local u = U:build({ name = "c" })
    u:set("meta.k", 1)
    assert.are.same({ k = 1 }, u:toJSON().meta)
    assert.are.same({ "meta", "name" }, u:changed())          -- Sequelize: ["name", "meta"]
    u:save()
    assert.are.same({ k = 1 }, U:findOne{ where = { name = "c" } }:toJSON().meta)
  end)

  it("a NULL value or a level that is not an object raises Dottie's error", function()
    local u = U:findByPk(2)
    local err = support.catch_message(u.set, u, "meta.x", 1)
    assert.are.equal('Target key "meta" is not suitable for a nested value. (It is in use as non-object. '
      .. 'Set `force` to `true` to override.)', err.message)
    u = U:findByPk(1)
    err = support.catch_message(u.set, u, "meta.x.y", 1)
    assert.truthy(err.message:find('Target key "x"', 1, true), err.message)
  end)
end)

describe("$...$ references and through models", function()
  local db, log, U, P, Pr, UP, u1

  local function ids(rows) return support.field(rows, "id") end

  before_each(function()
    db, log = support.open()
    U = db:define("User", { firstName = DataTypes.STRING, nick = { type = DataTypes.STRING, field = "nick_col" } },
      { underscored = true, timestamps = false })
    P = db:define("Post", { postTitle = DataTypes.STRING, likes = DataTypes.INTEGER },
      { underscored = true, timestamps = false })
    Pr = db:define("Project", { title = DataTypes.STRING }, { timestamps = false })
    UP = db:define("UserProject", { hours = DataTypes.INTEGER, roleName = DataTypes.STRING },
      { underscored = true, timestamps = false })
    U:hasMany(P, { as = "posts", foreignKey = "userId" })
    P:belongsTo(U, { as = "author", foreignKey = "userId" })
    U:belongsToMany(Pr, { through = UP, as = "projects" })
    Pr:belongsToMany(U, { through = UP, as = "members" })
    db:sync()
    U:bulkCreate({ { firstName = "ann", nick = "a" }, { firstName = "bob", nick = "b" } })
    P:bulkCreate({ { postTitle = "t1", likes = 3, userId = 1 }, { postTitle = "t2", likes = 9, userId = 2 },
                   { postTitle = "t3", likes = 5, userId = 1 } })
    Pr:bulkCreate({ { title = "p1" }, { title = "p2" }, { title = "p3" } })
    UP:bulkCreate({ { UserId = 1, ProjectId = 1, hours = 5, roleName = "lead" },
                    { UserId = 1, ProjectId = 2, hours = 9, roleName = "dev" },
                    { UserId = 1, ProjectId = 3, hours = 1, roleName = "dev" },
                    { UserId = 2, ProjectId = 1, hours = 2, roleName = "dev" } })
    u1 = U:findByPk(1)
    support.clear(log)
  end)

  after_each(function() db:close() end)

  local function posts_where(where)
    return ids(P:findAll{ attributes = { "id" }, include = { { association = "author", attributes = {} } },
                          where = where, order = { { "id" } } })
  end

  it("an included column by its column name (Sequelize) or its attribute name", function()
    assert.are.same({ 1, 3 }, posts_where({ ["$author.first_name$"] = "ann" }))  -- Sequelize: [1, 3]
    assert.are.same({ 2 }, posts_where({ ["$author.nick_col$"] = "b" }))          -- Sequelize: [2]
    -- Sequelize writes the name into the SQL as it is: "no such column: author.firstName";
    -- sequelua takes the attribute name too
    assert.are.same({ 1, 3 }, posts_where({ ["$author.firstName$"] = "ann" }))
    assert.are.same({ 2 }, posts_where({ ["$author.nick$"] = "b" }))
  end)

  it("the model itself by its name, with or without includes", function()
    assert.are.same({ 2 }, ids(U:findAll{ attributes = { "id" }, where = { ["$User.first_name$"] = "bob" } }))
    assert.are.same({ 2 }, ids(U:findAll{ attributes = { "id" }, where = { ["$User.firstName$"] = "bob" } }))
    assert.are.same({ 2, 3 }, ids(P:findAll{ attributes = { "id" }, where = { ["$Post.likes$"] = { [Op.gt] = 4 } },
                                             order = { { "id" } } }))
    assert.are.same({ 2 }, posts_where({ ["$Post.post_title$"] = "t2" }))
    local rows = U:findAll{ attributes = { "id" }, include = { { association = "posts", attributes = { "id" } } },
                            where = { ["$User.id$"] = 2 } }
    assert.are.equal('[{"id":2,"posts":[{"id":2}]}]', Sequelize.stringify(rows))
    assert.are.equal(1, U:count{ where = { ["$User.first_name$"] = "bob" } })
  end)

  it("an n:m include's through model: $alias.Through.column$", function()
    local function users(where)
      return Sequelize.stringify(U:findAll{ attributes = { "id" },
        include = { { association = "projects", attributes = { "id" }, through = { attributes = {} } } },
        where = where })
    end
    assert.are.equal('[{"id":1,"projects":[{"id":2}]}]', users({ ["$projects.UserProject.hours$"] = 9 }))
    assert.are.equal('[{"id":1,"projects":[{"id":1}]}]', users({ ["$projects.UserProject.role_name$"] = "lead" }))
    assert.are.equal('[{"id":1,"projects":[{"id":1}]}]', users({ ["$projects.UserProject.roleName$"] = "lead" }))
    -- nested below another include, beside one of its children
    local rows = Pr:findAll{ attributes = { "id" },
      include = { { association = "members", attributes = { "id" }, through = { attributes = {} },
                    include = { { association = "posts", attributes = { "id" } } } } },
      where = { ["$members.UserProject.hours$"] = { [Op.gte] = 5 }, ["$members.posts.likes$"] = 5 },
      order = { { "id" } } }
    assert.are.equal('[{"id":1,"members":[{"id":1,"posts":[{"id":3}]}]},{"id":2,"members":[{"id":1,"posts":[{"id":3}]}]}]',
      Sequelize.stringify(rows))
  end)

  it("order by an n:m include's through column: { include, Through, column, dir }", function()
    local function order(item)
      return Sequelize.stringify(U:findAll{ attributes = { "id" },
        include = { { model = Pr, as = "projects", attributes = { "id" }, through = { attributes = {} } } },
        order = { { "id" }, item, { { model = Pr, as = "projects" }, "id", "ASC" } } })
    end
    local desc = '[{"id":1,"projects":[{"id":2},{"id":1},{"id":3}]},{"id":2,"projects":[{"id":1}]}]'
    local asc = '[{"id":1,"projects":[{"id":3},{"id":1},{"id":2}]},{"id":2,"projects":[{"id":1}]}]'
    assert.are.equal(desc, order({ { model = Pr, as = "projects" }, UP, "hours", "DESC" }))
    assert.are.equal(asc, order({ "projects", UP, "hours", "ASC" }))
    assert.are.equal(asc, order({ U.associations.projects, UP, "hours", "ASC" }))
    assert.are.equal(asc, order({ { model = Pr, as = "projects" }, { model = UP }, "hours", "ASC" }))
    local byrole = '[{"id":1,"projects":[{"id":2},{"id":3},{"id":1}]},{"id":2,"projects":[{"id":1}]}]'
    assert.are.equal(byrole, order({ { model = Pr, as = "projects" }, UP, "role_name", "ASC" }))
    assert.are.equal(byrole, order({ { model = Pr, as = "projects" }, UP, "roleName", "ASC" }))
    -- with the through columns selected too (the review's case)
    local rows = U:findAll{ attributes = { "id" },
      include = { { model = Pr, as = "projects", attributes = { "id" }, through = { attributes = { "hours" } } } },
      order = { { "id" }, { { model = Pr, as = "projects" }, UP, "hours", "DESC" } } }
    assert.are.equal('[{"id":1,"projects":[{"id":2,"UserProject":{"hours":9}},{"id":1,"UserProject":{"hours":5}},'
      .. '{"id":3,"UserProject":{"hours":1}}]},{"id":2,"projects":[{"id":1,"UserProject":{"hours":2}}]}]',
      Sequelize.stringify(rows))
    -- a model that is not the through model of the include before it (Sequelize's error)
    local err = support.catch_message(order, { { model = Pr, as = "projects" }, P, "likes" })
    assert.are.equal("Unable to find a valid association for model, 'Post'", err.message)
    -- the through model by a string is not a reference (Sequelize: an SQL error)
    err = support.catch_message(order, { "projects", "UserProject", "hours", "DESC" })
    assert.truthy(err.message:find("Unknown attribute 'UserProject' of Project in order", 1, true), err.message)
  end)

  it("an n:m getter's where and order reach its through model, joined as Sequelize joins it", function()
    local rows = u1:getProjects{ attributes = { "id" }, joinTableAttributes = { "hours" },
                                 where = { ["$UserProject.hours$"] = { [Op.gt] = 4 } }, order = { { "id" } } }
    assert.are.equal('[{"id":1,"UserProject":{"hours":5}},{"id":2,"UserProject":{"hours":9}}]', Sequelize.stringify(rows))
    local sql = support.statements(log, "SELECT")[2]
    assert.truthy(sql:find("INNER JOIN `user_projects` AS `UserProject` ON `UserProject`.`project_id` = `Project`.`id` "
      .. "AND `UserProject`.`user_id` = ?", 1, true), sql)
    assert.are.same({ 2, 3 }, ids(u1:getProjects{ attributes = { "id" }, joinTableAttributes = {},
      where = { ["$UserProject.role_name$"] = "dev" }, order = { { "id" } } }))
    assert.are.same({ 1, 3 }, ids(u1:getProjects{ attributes = { "id" }, joinTableAttributes = {},
      where = { [Op.or_] = { { title = "p1" }, { ["$UserProject.hours$"] = 1 } } }, order = { { "id" } } }))
    assert.are.same({ 2, 1, 3 }, ids(u1:getProjects{ attributes = { "id" }, joinTableAttributes = {},
      order = { { Sequelize.col("UserProject.hours"), "DESC" } } }))
    assert.are.same({ 1 }, ids(u1:getProjects{ attributes = { "id" }, joinTableAttributes = {},
      where = { ["$Project.id$"] = 1 } }))
    assert.are.equal(2, u1:countProjects{ where = { ["$UserProject.hours$"] = { [Op.gt] = 4 } } })
    assert.is_true(u1:hasProject(2, { where = { ["$UserProject.hours$"] = { [Op.gt] = 4 } } }))
    assert.is_false(u1:hasProject(3, { where = { ["$UserProject.hours$"] = { [Op.gt] = 4 } } }))
    -- the other user's join rows stay out
    local u2 = U:findByPk(2)
    assert.are.same({ 1 }, ids(u2:getProjects{ attributes = { "id" }, where = { ["$UserProject.hours$"] = 2 } }))
    assert.are.same({}, ids(u2:getProjects{ attributes = { "id" }, where = { ["$UserProject.hours$"] = 5 } }))
    -- a getter that does not name the through model joins nothing
    support.clear(log)
    u1:getProjects{ where = { title = "p1" } }
    assert.falsy(support.statements(log, "SELECT")[2]:find("JOIN", 1, true))
  end)

  it("unknown references raise error objects naming the model", function()
    local function msg(fn, ...) return support.catch_message(fn, ...).message end
    assert.are.equal("Unknown included column '$User.id$' in where of model Post",
      msg(P.findAll, P, { where = { ["$User.id$"] = 2 } }))  -- Sequelize: no such column: User.id
    assert.are.equal("Unknown included column '$nope.id$' in where of model Post",
      msg(P.findAll, P, { where = { ["$nope.id$"] = 2 } }))
    assert.are.equal("Unknown included column '$UserProject.nope$' in where of model Project",
      msg(u1.getProjects, u1, { where = { ["$UserProject.nope$"] = 1 } }))
    assert.are.equal("Unknown included column '$User.id$' in where of model Project",
      msg(u1.getProjects, u1, { where = { ["$User.id$"] = 1 } }))
    -- the through model outside a getter or an include that joins it
    assert.are.equal("Unknown included column '$UserProject.hours$' in where of model User",
      msg(U.findAll, U, { where = { ["$UserProject.hours$"] = 1 } }))
    assert.are.equal("Unknown included column '$posts.UserProject.hours$' in where of model User",
      msg(U.findAll, U, { include = { "posts" }, where = { ["$posts.UserProject.hours$"] = 1 } }))
  end)
end)

-- Sequelize writes a "$name$" key as the bare column: the queried model's own
describe("a $name$ where key without a dot", function()
  it("names the model's own attribute in findAll (with and without include), count, update and destroy", function()
    local db, log = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    U:create{ name = "al" }
    U:create{ name = "bob" }
    -- Sequelize: SELECT `id` FROM `Users` AS `User` WHERE `name` = 'bob'; -> [{"id":2}]
    assert.equal('[{"id":2}]', Sequelize.stringify(U:findAll{ attributes = { "id" }, where = { ["$name$"] = "bob" } }))
    assert.equal('[{"id":2,"name":"bob","Posts":[]}]',
      Sequelize.stringify(U:findAll{ include = P, where = { ["$name$"] = "bob" }, limit = 1 }))
    assert.equal(1, U:count{ where = { ["$name$"] = "bob" } })
    assert.same({ 1 }, { U:update({ name = "b2" }, { where = { ["$name$"] = "bob" } }) })
    assert.equal(1, U:destroy{ where = { ["$name$"] = "b2" } })
    assert.equal("Executing (default): DELETE FROM `Users` WHERE `name` = ?;", log[#log])
    assert.equal("Unknown included column '$nope$' in where of model User",
      support.catch(function() U:findAll{ where = { ["$nope$"] = 1 } } end).message)
    assert.equal(1, U:count())
  end)
end)

describe("a nested include named as Sequelize's SQL names it", function()
  it("takes \"$Posts->Comments.stars$\" as \"$Posts.Comments.stars$\" (Sequelize: [{\"id\":1}])", function()
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local Comment = db:define("Comment", { stars = DataTypes.INTEGER }, { timestamps = false })
    User:hasMany(Post); Post:hasMany(Comment)
    db:sync()
    User:create({ name = "ann", Posts = { { title = "p", Comments = { { stars = 5 } } } } },
      { include = { { model = Post, include = { Comment } } } })
    User:create({ name = "bob" })
    local inc = { { model = Post, attributes = {}, include = { { model = Comment, attributes = {} } } } }
    for _, key in ipairs({ "$Posts->Comments.stars$", "$Posts.Comments.stars$" }) do
      assert.equal('[{"id":1}]', Sequelize.stringify(User:findAll({ attributes = { "id" }, include = inc, where = { [key] = 5 } })))
    end
    assert.equal('[{"id":1,"s":5}]', Sequelize.stringify(User:findAll({
      attributes = { "id", { Sequelize.fn("SUM", Sequelize.col("Posts->Comments.stars")), "s" } },
      include = inc, group = { "User.id" }, where = { name = "ann" } })))
  end)
end)
