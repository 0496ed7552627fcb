-- Sequelize API beyond the core finders: aggregates over includes and with distinct.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3
-- (the same models, rows and calls in JavaScript).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("aggregates with include and distinct", function()
  local db, log, User, Post, Tag

  before_each(function()
    db, log = support.open()
    User = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER, score = DataTypes.FLOAT },
      { timestamps = false })
    Post = db:define("Post", { title = DataTypes.STRING, likes = DataTypes.INTEGER }, { paranoid = true })
    Tag = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post, { as = "posts" })
    Post:belongsTo(User, { as = "author", foreignKey = "UserId" })
    Post:belongsToMany(Tag, { through = "PostTags", as = "tags" })
    Tag:belongsToMany(Post, { through = "PostTags", as = "posts" })
    db:sync()
    User:bulkCreate({ { name = "ann", age = 30, score = 1.5 }, { name = "bob", age = 20, score = 2.25 },
                      { name = "cid", age = 25, score = 2.25 } })
    Post:bulkCreate({ { title = "a1", likes = 3, UserId = 1 }, { title = "a2", likes = 5, UserId = 1 },
                      { title = "b1", likes = 7, UserId = 2 }, { title = "b2", likes = 7, UserId = 2 },
                      { title = "gone", likes = 100, UserId = 3 } })
    Post:findByPk(5):destroy()
    Tag:bulkCreate({ { label = "x" }, { label = "y" } })
    Post:findByPk(1):addTags({ 1, 2 })
    Post:findByPk(3):addTags({ 2 })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("join an include with a where (INNER JOIN, as findAll makes it)", function()
    -- Sequelize: 20 (SELECT max(`age`) ... INNER JOIN `Posts` AS `posts` ON ... AND `posts`.`likes` = 7)
    assert.are.equal(20, User:max("age", { include = { { association = "posts", where = { likes = 7 } } } }))
    local sql = support.statements(log, "SELECT")[1]
    assert.is_truthy(sql:find("SELECT max(`User`.`age`) AS `max` FROM `Users` AS `User` INNER JOIN `Posts` AS `posts` ON "
      .. "`User`.`id` = `posts`.`UserId` AND (`posts`.`deletedAt` IS ? AND `posts`.`likes` = ?);", 1, true), sql)
    -- Sequelize: 20, 30 (with the model's own where too)
    assert.are.equal(20, User:min("age", { include = { { association = "posts", where = { likes = { [Op.gt] = 3 } } } } }))
    assert.are.equal(30, User:max("age", { include = { { model = Post, as = "posts", where = { likes = 3 } } },
                                           where = { name = "ann" } }))
  end)

  it("take \"$include.column$\" keys in the where, and count joined rows (Sequelize: 40, 125)", function()
    assert.are.equal(40, User:sum("age", { include = "posts", where = { ["$posts.likes$"] = 7 } }))
    assert.are.equal(125, User:sum("age", { include = "posts" })) -- ann twice, bob twice, cid once (LEFT JOIN)
    -- an optional include with a where filters the joined rows only (Sequelize: 95)
    assert.are.equal(95, User:sum("age", { include = { { association = "posts", required = false, where = { likes = 7 } } } }))
    -- without the include the key is unknown (Sequelize: no such column: posts.likes)
    local err = support.catch_message(User.max, User, "age", { where = { ["$posts.likes$"] = 7 } })
    assert.are.equal("Unknown included column '$posts.likes$' in where of model User", err.message)
  end)

  it("follow nested, n:m and belongsTo includes, and the include's paranoid condition", function()
    -- Sequelize: 30, 10, 14
    assert.are.equal(30, User:max("age", { include = { { association = "posts",
      include = { { association = "tags", where = { label = "y" } } } } } }))
    assert.are.equal(10, Post:sum("likes", { include = { { association = "tags", where = { label = "y" } } } }))
    assert.are.equal(14, Post:sum("likes", { include = { { association = "author", where = { name = "bob" } } } }))
    -- the soft-deleted post: only with paranoid = false on the include (Sequelize: null, 25)
    assert.is_nil(User:max("age", { include = { { association = "posts", where = { likes = 100 } } } }))
    assert.are.equal(25, User:max("age", { include = { { association = "posts", paranoid = false, where = { likes = 100 } } } }))
  end)

  it("distinct: fn(DISTINCT(column)), Sequelize's SQL", function()
    -- Sequelize: 3 and 15 (likes 3, 5, 7, 7; the deleted post left out), 4 with paranoid = false
    assert.are.equal(3, Post:aggregate("likes", "count", { distinct = true }))
    assert.are.equal(15, Post:aggregate("likes", "sum", { distinct = true }))
    local sql = support.statements(log, "SELECT")[2]
    assert.is_truthy(sql:find("SELECT sum(DISTINCT(`Post`.`likes`)) AS `sum` FROM `Posts` AS `Post` WHERE", 1, true), sql)
    assert.are.equal(4, Post:aggregate("likes", "count", { distinct = true, paranoid = false }))
    assert.are.equal(3.75, User:aggregate("score", "sum", { distinct = true }))
    -- with an include: distinct values over the joined rows (Sequelize: 75, 3, 25)
    assert.are.equal(75, User:sum("age", { include = "posts", distinct = true }))
    assert.are.equal(3, User:aggregate("age", "count", { distinct = true, include = "posts" }))
    assert.are.equal(25, User:aggregate("age", "avg", { distinct = true,
      include = { { association = "posts", where = { likes = { [Op.gte] = 5 } } } } }))
  end)

  it("read the value as Sequelize does: INTEGER through parseInt unless dataType says otherwise", function()
    -- Sequelize: avg of INTEGER likes (3, 5, 7, 7) is 5; with dataType FLOAT 5.5; a FLOAT column's avg as is
    assert.are.equal(5, Post:aggregate("likes", "avg"))
    assert.are.equal(5.5, Post:aggregate("likes", "avg", { dataType = DataTypes.FLOAT }))
    assert.are.equal(2, User:aggregate("score", "avg"))
    assert.are.equal(25, User:aggregate("age", "avg", { dataType = "float" }))
  end)

  it("refuse unknown options and attributes with an error naming the model", function()
    local err = support.catch_message(User.max, User, "age", { distinc = true })
    assert.is_truthy(err.message:find("User.max: unknown option 'distinc'", 1, true), err.message)
    err = support.catch_message(User.aggregate, User, "age", "sum", { grup = "name" })
    assert.is_truthy(err.message:find("User.aggregate: unknown option 'grup'", 1, true), err.message)
    err = support.catch_message(User.sum, User, "age", { distinct = "yes" })
    assert.are.equal("User.sum: options.distinct must be a boolean", err.message)
    err = support.catch_message(User.min, User, "age", { dataType = 5 })
    assert.are.equal("User.min: options.dataType must be a DataTypes value", err.message)
    err = support.catch_message(User.max, User, "nope", { include = "posts" })
    assert.are.equal("Unknown attribute 'nope' in max of model User", err.message)
    -- Sequelize: Association with alias "nope" does not exist on User
    err = support.catch_message(User.max, User, "age", { include = "nope" })
    assert.are.equal('Association with alias "nope" does not exist on User', err.message)
    err = support.catch_message(User.max, User, "age", { include = { { association = "posts", where = { nope = 1 } } } })
    assert.is_truthy(err.message:find("nope", 1, true), err.message)
    assert.are.equal(0, #support.statements(log, "SELECT"))
  end)

  it("apply a scope's include (Sequelize's _injectScope)", function()
    User:addScope("posters", { include = { { association = "posts", where = { likes = 7 } } } })
    assert.are.equal(20, User:scope("posters"):max("age"))
    assert.are.equal(40, User:scope("posters"):sum("age"))
  end)
end)

describe("findOrBuild, findCreateFind, bulkBuild, getAttributes", function()
  local db, log, User

  before_each(function()
    db, log = support.open()
    User = db:define("User", {
      name = { type = DataTypes.STRING, unique = true },
      age = { type = DataTypes.INTEGER, defaultValue = 7 },
      email = DataTypes.STRING,
    }, { timestamps = false })
    db:sync()
    User:create({ name = "ann", age = 30 })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("findOrBuild returns the row found and false, or an unsaved instance and true", function()
    -- Sequelize: [{"id":1,"name":"ann","age":30,"email":null}, false]
    local u, built = User:findOrBuild{ where = { name = "ann" }, defaults = { age = 1 } }
    assert.are.equal(false, built)
    assert.are.equal(1, u.id)
    assert.are.equal(30, u.age)
    assert.is_falsy(u.isNewRecord)
    -- Sequelize: {"age":1,"email":"e","name":"bob"}, true, isNewRecord true, nothing written
    u, built = User:findOrBuild{ where = { name = "bob" }, defaults = { age = 1, email = "e" } }
    assert.are.equal(true, built)
    assert.are.equal(true, u.isNewRecord)
    assert.are.same({ "bob", 1, "e" }, { u.name, u.age, u.email })
    assert.are.equal(1, User:count())
    assert.are.equal(0, #support.statements(log, "INSERT"))
    -- the defaults win over the where's values (Sequelize: age 1)
    u = User:findOrBuild{ where = { name = "bob", age = 5 }, defaults = { age = 1 } }
    assert.are.equal(1, u.age)
    -- attribute defaults apply, and save() writes it (Sequelize: {"age":7,"id":2,"name":"dan"}, 2 rows)
    u = User:findOrBuild{ where = { name = "dan" } }
    assert.are.equal(7, u.age)
    u:save()
    assert.are.equal(2, u.id)
    assert.are.equal(2, User:count())
  end)

  it("findCreateFind returns the row found and false, or creates it and true", function()
    local u, created = User:findCreateFind{ where = { name = "ann" }, defaults = { age = 1 } }
    assert.are.same({ 1, 30, false }, { u.id, u.age, created })
    -- Sequelize: {"id":2,"age":2,"name":"eve"}, true, 2 rows
    u, created = User:findCreateFind{ where = { name = "eve" }, defaults = { age = 2 } }
    assert.are.same({ 2, 2, "eve", true }, { u.id, u.age, u.name, created })
    assert.are.equal(2, User:count())
    -- the create fails on the unique name, the second find finds nothing (Sequelize: [null, false])
    local v, c = User:findCreateFind{ where = { email = "zz" }, defaults = { name = "ann" } }
    assert.is_nil(v)
    assert.are.equal(false, c)
    assert.are.equal(2, User:count())
    -- other errors come through (a NOT NULL violation is no unique error)
    local Strict = db:define("Strict", { name = { type = DataTypes.STRING, allowNull = false } })
    Strict:sync()
    local err = support.catch_message(Strict.findCreateFind, Strict, { where = { id = 5 } })
    assert.are.equal("SequelizeValidationError", err.name)
  end)

  it("findOrBuild and findCreateFind check their options", function()
    for _, what in ipairs({ "findOrBuild", "findCreateFind" }) do
      local err = support.catch_message(User[what], User, {})
      assert.are.equal("User." .. what .. ": options.where is required", err.message)
      err = support.catch_message(User[what], User)
      assert.are.equal("User." .. what .. ": options.where is required", err.message)
      err = support.catch_message(User[what], User, { where = { name = "x" }, defaults = "y" })
      assert.are.equal("User." .. what .. ": options.defaults must be a table", err.message)
      err = support.catch_message(User[what], User, { where = { nope = 1 } })
      assert.are.equal("Unknown attribute 'nope' in where of model User", err.message)
    end
    assert.are.equal(1, User:count())
  end)

  it("bulkBuild builds each value set with the options, writing nothing", function()
    -- Sequelize: [{"age":7,"id":null,"name":"p"},{"id":null,"name":"q","age":3}]
    local list = User:bulkBuild({ { name = "p" }, { name = "q", age = 3 } })
    assert.are.equal(2, #list)
    assert.are.same({ "p", 7, true }, { list[1].name, list[1].age, list[1].isNewRecord })
    assert.are.same({ "q", 3 }, { list[2].name, list[2].age })
    assert.are.equal(1, User:count())
    assert.are.equal("[]", Sequelize.stringify(User:bulkBuild({})))
    list = User:bulkBuild({ { name = "p", id = 9 } }, { isNewRecord = false })
    assert.is_falsy(list[1].isNewRecord)
    local err = support.catch_message(User.bulkBuild, User, "x")
    assert.are.equal("User.bulkBuild: expected a list of tables, got string", err.message)
    err = support.catch_message(User.bulkBuild, User, { 1 })
    assert.are.equal("User.bulkBuild: item 1 is not a table (number)", err.message)
    err = support.catch_message(User.bulkBuild, User, { { name = "a" }, x = 1 })
    assert.are.equal("User.bulkBuild: expected a list of tables 1..n", err.message)
    err = support.catch_message(User.bulkBuild, User, {}, 5)
    assert.are.equal("User.bulkBuild: options must be a table, got number", err.message)
  end)

  it("getAttributes returns rawAttributes (Sequelize: the same object)", function()
    local a = User:getAttributes()
    assert.are.equal(User.rawAttributes, a)
    assert.are.same({ 7, true, true }, { a.age.defaultValue, a.name.unique, a.id.primaryKey })
    assert.are.equal(User.rawAttributes, User:scope():getAttributes())
  end)
end)

describe("Sequelize.cast, Sequelize.json, Op.col", function()
  local db, log, User, Post

  local function ids(rows) return support.field(rows, "id") end -- (in list order)

  before_each(function()
    db, log = support.open()
    User = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER, lvl = DataTypes.INTEGER,
                               meta = DataTypes.JSON }, { timestamps = false })
    Post = db:define("Post", { title = DataTypes.STRING, likes = DataTypes.INTEGER }, { timestamps = false })
    User:hasMany(Post, { as = "posts" })
    db:sync()
    User:bulkCreate({
      { name = "ann", age = 30, lvl = 30, meta = { k = "x", n = 3, a = { 1, { b = "deep" } } } },
      { name = "b'ob", age = 20, lvl = 1, meta = { k = "y", n = 1 } },
      { name = "cid", age = 25, lvl = 25, meta = Sequelize.null },
    })
    Post:bulkCreate({ { title = "a1", likes = 30, UserId = 1 }, { title = "b1", likes = 7, UserId = 2 } })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  local function last_select() local s = support.statements(log, "SELECT"); return s[#s] end

  it("Op.col compares with a column of the model or of an include", function()
    -- Sequelize: [1,3] (WHERE `User`.`age` = `User`.`lvl`)
    assert.are.same({ 1, 3 }, ids(User:findAll{ attributes = { "id" }, where = { age = { [Op.col] = "User.lvl" } },
                                               order = { { "id" } } }))
    assert.is_truthy(last_select():find("WHERE `User`.`age` = `User`.`lvl`", 1, true), last_select())
    assert.are.same({ 1, 3 }, ids(User:findAll{ attributes = { "id" }, where = { age = { [Op.col] = "lvl" } },
                                               order = { { "id" } } }))
    -- as an operator's value (Sequelize: [2] for > and for !=), and beside other operators ([1,3])
    assert.are.same({ 2 }, ids(User:findAll{ attributes = { "id" }, where = { age = { [Op.gt] = { [Op.col] = "lvl" } } } }))
    assert.are.same({ 2 }, ids(User:findAll{ attributes = { "id" }, where = { age = { [Op.ne] = { [Op.col] = "lvl" } } } }))
    assert.are.same({ 1, 3 }, ids(User:findAll{ attributes = { "id" },
      where = { age = { [Op.col] = "lvl", [Op.gt] = 2 } }, order = { { "id" } } }))
    assert.is_truthy(last_select():find("WHERE `User`.`age` = `User`.`lvl` AND `User`.`age` > ?", 1, true), last_select())
    -- an included column (Sequelize: [1])
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, include = { { association = "posts", attributes = {} } },
                                            where = { age = { [Op.col] = "posts.likes" } } }))
    -- count, update
    assert.are.equal(2, User:count{ where = { age = { [Op.col] = "lvl" } } })
    assert.are.equal(2, User:update({ name = "same" }, { where = { age = { [Op.col] = "lvl" } } }))
  end)

  it("Op.col refuses unknown columns and values that are no column name", function()
    -- (Sequelize: SQLITE_ERROR: no such column: nope, from the database)
    local err = support.catch_message(User.findAll, User, { where = { age = { [Op.col] = "nope" } } })
    assert.are.equal("Unknown attribute 'nope' in where of model User", err.message)
    err = support.catch_message(User.findAll, User, { where = { age = { [Op.col] = "x`; DROP TABLE Users; --" } } })
    assert.is_truthy(err.message:find("Unknown attribute", 1, true), err.message)
    err = support.catch_message(User.findAll, User, { where = { age = { [Op.col] = 5 } } })
    assert.are.equal("Invalid where on User.age: Op.col needs a column name, got number", err.message)
    err = support.catch_message(User.findAll, User, { where = { [Op.col] = "lvl" } })
    assert.are.equal("Invalid where on User: Op.col must be inside an attribute's table", err.message)
    err = support.catch_message(User.findAll, User, { where = { age = { [Op.gt] = { [Op.col] = "lvl", x = 1 } } } })
    assert.are.equal("Invalid where on User.age: Op.col goes alone in its table", err.message)
    assert.are.equal(0, #support.statements(log, "SELECT"))
    assert.are.equal(3, User:count())
  end)

  it("Sequelize.cast in attributes, where and order (Sequelize's CAST(x AS TYPE))", function()
    -- Sequelize: [{"name":"ann","agestr":"30"},...] from SELECT `name`, CAST(`age` AS TEXT) AS `agestr`
    local rows = User:findAll{ attributes = { "name", { Sequelize.cast(Sequelize.col("age"), "TEXT"), "agestr" } },
                               order = { { "id" } }, raw = true }
    assert.are.same({ "30", "20", "25" }, support.field(rows, "agestr"))
    assert.is_truthy(last_select():find("SELECT `name`, CAST(`age` AS TEXT) AS `agestr` FROM", 1, true), last_select())
    -- Sequelize: [1]; [3,2,1]; 12; "ANN"
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" },
      where = Sequelize.where(Sequelize.cast(Sequelize.col("age"), "TEXT"), "30") }))
    assert.are.same({ 3, 2, 1 }, ids(User:findAll{ attributes = { "id" },
      order = { { Sequelize.cast(Sequelize.col("name"), "BLOB"), "DESC" } } }))
    assert.are.equal(12, User:findAll{ attributes = { "id", { Sequelize.cast("12", "integer"), "v" } }, raw = true,
                                      limit = 1 }[1].v)
    assert.is_truthy(last_select():find("CAST(? AS INTEGER) AS `v`", 1, true), last_select()) -- (bound)
    assert.are.equal("ANN", User:findAll{ attributes = { "id",
      { Sequelize.cast(Sequelize.fn("upper", Sequelize.col("name")), "varchar(3)"), "v" } }, raw = true, limit = 1 }[1].v)
    -- as a where value: a comparison (Sequelize 6.37.8 writes `WHERE CAST('30' AS INTEGER)` here, dropping the
    -- column, and matches every row)
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, where = { age = Sequelize.cast("30", "INTEGER") } }))
    assert.are.equal("DOUBLE PRECISION", Sequelize.cast(Sequelize.col("age"), "double precision").type)
    -- Sequelize's sqlite dialect: a TIMESTAMP cast is CAST(... AS DATETIME)
    assert.are.equal("CAST(`x` AS DATETIME)", db:escape(Sequelize.cast(Sequelize.col("x"), "timestamp")))
    -- (Sequelize 6.37.8's Cast trims its type: cast(col('age'), ' text ') is CAST(`age` AS TEXT))
    assert.are.equal("CAST(`age` AS TEXT)", db:escape(Sequelize.cast(Sequelize.col("age"), " text ")))
  end)

  it("Sequelize.cast refuses a type that is no type name", function()
    for _, bad in ipairs({ "TEXT); DROP TABLE Users; --", "DECIMAL(10,", "", "1NT", "A  B", " ", "X(1,2,3)" }) do
      local err = support.catch_message(Sequelize.cast, Sequelize.col("age"), bad)
      assert.is_truthy(err.message:find("Sequelize.cast: invalid type", 1, true), bad)
    end
    local err = support.catch_message(Sequelize.cast, Sequelize.col("age"))
    assert.are.equal("Sequelize.cast: the type must be a string such as 'TEXT' or 'INTEGER'", err.message)
    err = support.catch_message(Sequelize.cast, nil, "TEXT")
    assert.are.equal("Sequelize.cast: expected a value to cast", err.message)
    -- a forged object is checked by the core too
    local forged = setmetatable({ kind = "cast", val = 1, type = "TEXT) --" }, getmetatable(Sequelize.col("x")))
    err = support.catch_message(User.findAll, User, { attributes = { { forged, "v" } } })
    assert.is_truthy(err.message:find("Sequelize.cast: invalid type", 1, true), err.message)
    assert.are.equal(0, #support.statements(log, "SELECT"))
  end)

  it("Sequelize.fn / col / literal refuse a name or SQL that is not a string with an error object", function()
    -- Sequelize 6.37.8 makes the object and fails later: fn(null) in attributes -> SequelizeDatabaseError
    -- near "(": syntax error; col(5) -> TypeError smth.col.startsWith is not a function; literal({}) as a
    -- where -> no such column: object Object (literal(null) writes no WHERE at all)
    for _, c in ipairs({ { Sequelize.fn, nil, "Sequelize.fn: the function name must be a string, got nil" },
                         { Sequelize.fn, {}, "Sequelize.fn: the function name must be a string, got table" },
                         { Sequelize.col, nil, "Sequelize.col: the column name must be a string, got nil" },
                         { Sequelize.col, 5, "Sequelize.col: the column name must be a string, got number" },
                         { Sequelize.literal, {}, "Sequelize.literal: the SQL must be a string or a number, got table" },
                         { Sequelize.literal, nil, "Sequelize.literal: the SQL must be a string or a number, got nil" },
                         { Sequelize.literal, 0 / 0, "Sequelize.literal: NaN has no SQL form" },
                         { Sequelize.literal, math.huge, "Sequelize.literal: Infinity has no SQL form" } }) do
      local err = support.catch_message(c[1], c[2])
      assert.are.same({ "Error", c[3] }, { err.name, err.message })
    end
    local err = support.catch_message(db.fn, db, nil)
    assert.are.equal("Sequelize.fn: the function name must be a string, got nil", err.message)
  end)

  it("Sequelize.literal takes a number, written as JavaScript writes it", function()
    -- Sequelize 6.37.8: SELECT `id`, 1 AS `one` ... -> one = 1 on each row; ORDER BY 1 DESC -> [3,2,1];
    -- WHERE 1 -> every row; age > 25.5 -> [1]; abs(-3) -> 3; defaultValue literal(7) -> `n` INTEGER DEFAULT 7
    -- and 7 stored; update SET `age`=40. (Its where { age: literal(30) } writes no WHERE at all and
    -- where: literal(0) none either: here `age` = 30 and WHERE 0.)
    local rows = User:findAll{ attributes = { "id", { Sequelize.literal(1), "one" } }, order = { { "id" } }, raw = true }
    assert.are.same({ 1, 1, 1 }, support.field(rows, "one"))
    assert.is_truthy(last_select():find("SELECT `id`, 1 AS `one` FROM", 1, true), last_select())
    assert.are.same({ 3, 2, 1 }, ids(User:findAll{ attributes = { "id" }, order = { { Sequelize.literal(1), "DESC" } } }))
    assert.is_truthy(last_select():find("ORDER BY 1 DESC", 1, true), last_select())
    assert.are.equal(3, #User:findAll{ attributes = { "id" }, where = Sequelize.literal(1) })
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, where = { age = { [Op.gt] = Sequelize.literal(25.5) } } }))
    assert.is_truthy(last_select():find("`User`.`age` > 25.5", 1, true), last_select())
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, where = { age = Sequelize.literal(30) } }))
    assert.are.equal(0, #User:findAll{ attributes = { "id" }, where = Sequelize.literal(0) })
    assert.are.equal(3, User:findAll{ attributes = { { Sequelize.fn("abs", Sequelize.literal(-3)), "x" } }, raw = true }[1].x)
    assert.are.equal("1", Sequelize.literal(1.0).val) -- (1.0 in Lua 5.4 too, as String(1) is "1")
    assert.are.equal("1e+21", Sequelize.literal(1e21).val)
    local D = db:define("D", { n = { type = DataTypes.INTEGER, defaultValue = Sequelize.literal(7) } }, { timestamps = false })
    D:sync()
    assert.is_truthy(table.concat(support.statements(log, "CREATE TABLE"), "\n"):find("`n` INTEGER DEFAULT 7", 1, true))
    local d = D:create({})
    assert.are.equal(7, D:findByPk(d.id).n)
    assert.are.equal(1, User:update({ age = Sequelize.literal(40) }, { where = { id = 1 } }))
    assert.are.equal(40, User:findByPk(1).age)
  end)

  it("Sequelize.json reads a path of a JSON column with json_extract (Sequelize's values)", function()
    -- Sequelize: [{"id":1,"k":"x"},{"id":2,"k":"y"},{"id":3,"k":null}] from json_extract(`meta`,'$.k')
    local rows = User:findAll{ attributes = { "id", { Sequelize.json("meta.k"), "k" } }, order = { { "id" } }, raw = true }
    assert.are.same({ "x", "y", Sequelize.null }, support.field(rows, "k"))
    assert.is_truthy(last_select():find("json_extract(`meta`, ?) AS `k`", 1, true), last_select()) -- (the path bound)
    -- Sequelize: "deep" at meta.a[1].b
    rows = User:findAll{ attributes = { "id", { Sequelize.json("meta.a[1].b"), "d" } }, order = { { "id" } }, raw = true }
    assert.are.equal("deep", rows[1].d)
    -- where: Sequelize.where(json, v) [2], json(path, v) [1], the object form [1], with Op keys,
    -- inside Op.and [1], compared with Op.gt [1]
    assert.are.same({ 2 }, ids(User:findAll{ attributes = { "id" }, where = Sequelize.where(Sequelize.json("meta.k"), "y") }))
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, where = Sequelize.json("meta.k", "x") }))
    assert.is_truthy(last_select():find("WHERE json_extract(`User`.`meta`, ?) = ?", 1, true), last_select())
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, where = Sequelize.json({ meta = { k = "x" } }) }))
    assert.are.same({ 2 }, ids(User:findAll{ attributes = { "id" }, where = Sequelize.json({ meta = { k = "y", n = 1 } }) }))
    assert.are.same({ 1, 2 }, ids(User:findAll{ attributes = { "id" }, where = Sequelize.json("meta.n", { [Op.gte] = 1 }),
                                               order = { { "id" } } }))
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" }, where = { [Op.and_] = { Sequelize.json("meta.n", 3) } } }))
    assert.are.same({ 1 }, ids(User:findAll{ attributes = { "id" },
      where = Sequelize.where(Sequelize.json("meta.n"), Op.gt, 1) }))
    -- order (Sequelize: [1,2,3]: NULL last in DESC)
    assert.are.same({ 1, 2, 3 }, ids(User:findAll{ attributes = { "id" }, order = { { Sequelize.json("meta.n"), "DESC" } } }))
    -- a path with a quote is a path, bound (Sequelize: null for each row)
    rows = User:findAll{ attributes = { "id", { Sequelize.json("meta.k'x"), "m" } }, raw = true }
    assert.are.same({ Sequelize.null, Sequelize.null, Sequelize.null }, support.field(rows, "m"))
  end)

  it("Sequelize.json without an alias is read under Sequelize's SQL text of it, the path still bound", function()
    -- Sequelize 6.37.8, raw: [{"json_extract(`meta`,'$.a[1].b')":"deep"},...] and, for a quote,
    -- [{"json_extract(`meta`,'$.k''x')":null},...] (it inlines the path; its non-raw findAll
    -- with another attribute beside it throws a TypeError reading the result)
    local rows = User:findAll{ attributes = { Sequelize.json("meta.a[1].b") }, order = { { "id" } }, raw = true }
    assert.are.equal("deep", rows[1]["json_extract(`meta`,'$.a[1].b')"])
    assert.is_truthy(last_select():find("json_extract(`meta`, ?) AS", 1, true), last_select())
    rows = User:findAll{ attributes = { Sequelize.json("meta.k'x") }, raw = true }
    assert.are.same({ Sequelize.null, Sequelize.null, Sequelize.null }, support.field(rows, "json_extract(`meta`,'$.k''x')"))
    local u = User:findAll{ attributes = { "id", Sequelize.json("meta.k") }, order = { { "id" } } }[2]
    assert.are.equal("y", u:get("json_extract(`meta`,'$.k')"))
    assert.are.equal("y", u:toJSON()["json_extract(`meta`,'$.k')"])
  end)

  it("Sequelize.json refuses bad paths, unknown columns, and a condition used as a value", function()
    for _, bad in ipairs({ "", "meta..k", ".meta", "meta.", "meta[x]" }) do
      local err = support.catch_message(Sequelize.json, bad)
      assert.is_truthy(err.message:find("Sequelize.json: invalid path", 1, true), bad)
    end
    local err = support.catch_message(Sequelize.json, 5)
    assert.are.equal("Sequelize.json: expected a path string or a table of conditions", err.message)
    -- (Sequelize: SQLITE_ERROR: no such column: User, from the database)
    err = support.catch_message(User.findAll, User, { attributes = { { Sequelize.json("User.meta.k"), "m" } } })
    assert.are.equal("Unknown attribute 'User' in attributes of model User", err.message)
    err = support.catch_message(User.findAll, User, { attributes = { { Sequelize.json("meta.k", "x"), "m" } } })
    assert.are.equal("a Sequelize.json with a value is a condition: use it as a where, not in attributes", err.message)
    assert.are.equal(0, #support.statements(log, "SELECT"))
  end)
end)

describe("sequelize.escape", function()
  local db

  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  it("writes Sequelize's sqlite literals", function()
    -- each pair: the value, what Sequelize 6.37.8's sequelize.escape gave for it
    local S = Sequelize
    local cases = {
      { "it's", "'it''s'" }, { "plain", "'plain'" }, { "", "''" }, { "a\\b", "'a\\b'" },
      { 5, "5" }, { -1.5, "-1.5" }, { 0.1, "0.1" }, { 1e21, "1e+21" }, { 1e20, "100000000000000000000" },
      { 3.0, "3" }, { 1e-7, "1e-7" }, { 0.000001, "0.000001" }, { 1 / 3, "0.3333333333333333" },
      { true, "1" }, { false, "0" }, { S.null, "NULL" },
      { { 1, "a", { 2, "b" } }, "1, 'a', (2, 'b')" },
      { S.fn("lower", S.col("User.name")), "lower(`User`.`name`)" }, { S.col("a"), "`a`" },
      { S.literal("NOW()"), "NOW()" }, { S.cast(S.col("x"), "text"), "CAST(`x` AS TEXT)" },
      { S.fn("f", "it's", 3), "f('it''s', 3)" },
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], db:escape(c[1]), tostring(c[1]))
    end
    assert.are.equal("NULL", db:escape(nil))
    assert.are.equal("json_extract(`meta`,'$.k')", db:escape(S.json("meta.k")))
    assert.are.equal("`we``ird`", db:escape(S.col("we`ird")))
  end)

  it("escaped text read back by SQLite is the value", function()
    for _, v in ipairs({ "it's", "''; DROP TABLE t; --", "a\\'b", "ünï", "\n\t" }) do
      local rows = db:query("SELECT " .. db:escape(v) .. " AS v", { type = "SELECT" })
      assert.are.equal(v, rows[1].v)
    end
  end)

  it("refuses what has no SQL literal (Sequelize: Invalid value ...)", function()
    local S = Sequelize
    local err = support.catch_message(db.escape, db, { a = 1 })
    assert.is_truthy(err.message:find("^Invalid value"), err.message)
    for _, v in ipairs({ 0 / 0, math.huge, -math.huge }) do
      err = support.catch_message(db.escape, db, v)
      assert.is_truthy(err.message:find("has no SQL form", 1, true), err.message)
    end
    err = support.catch_message(db.escape, db, "a\0b")
    assert.are.equal("sequelize.escape: a string must be valid UTF-8 without NUL bytes", err.message)
    err = support.catch_message(db.escape, db, S.where(S.col("a"), 1))
    assert.are.equal("sequelize.escape: a Sequelize.where object has no SQL value form", err.message)
    err = support.catch_message(db.escape, db, S.fn("f(x); --"))
    assert.is_truthy(err.message:find("invalid function name", 1, true), err.message)
    local deep = {}
    local t = deep
    for _ = 1, 200 do t[1] = {}; t = t[1] end
    err = support.catch_message(db.escape, db, deep)
    assert.is_truthy(err.message:find("nested too deeply", 1, true), err.message)
  end)
end)

describe("the new functions with bad input", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER, meta = DataTypes.JSON })
    db:sync()
    User:create({ name = "ann", age = 3 })
  end)
  after_each(function() db:close() end)

  -- an error object whose message holds `word`
  local function refused(word, fn, ...)
    local err = support.catch_message(fn, ...)
    assert.are.equal(err.name .. ": " .. err.message, tostring(err))
    assert.is_truthy(err.message:lower():find(word:lower(), 1, true), err.message)
  end

  local cyc = {}
  cyc[1] = cyc
  local deep = {}
  do local t = deep; for _ = 1, 10000 do t[1] = {}; t = t[1] end end
  local deepmap = {}
  do local t = deepmap; for _ = 1, 10000 do t.x = {}; t = t.x end end
  local huge = {}
  for i = 1, 100000 do huge[i] = i end

  it("wrong types, NaN, invalid UTF-8, deep and cyclic tables: error objects, nothing written", function()
    refused("where", User.findOrBuild, User, 42)
    refused("where", User.findCreateFind, User, { where = "x" })
    refused("age", User.findCreateFind, User, { where = { name = "new" }, defaults = { age = 0 / 0 } })
    refused("utf", User.findCreateFind, User, { where = { name = "\255\254" } })
    refused("where", User.findOrBuild, User, { where = deepmap })
    refused("bulkBuild", User.bulkBuild, User, { { name = "a" }, "b" })
    refused("options", User.bulkBuild, User, {}, "x")
    refused("attribute", User.max, User, 42)
    refused("attribute", User.aggregate, User, nil, "sum")
    refused("function name", User.aggregate, User, "age", "sum(age)); --")
    refused("options", User.sum, User, "age", 42)
    refused("unknown option", User.sum, User, "age", { [Op.gt] = 1 })
    refused("association", User.max, User, "age", { include = "nope" })
    refused("type", Sequelize.cast, Sequelize.col("age"), {})
    refused("type", Sequelize.cast, Sequelize.col("age"), "\255")
    refused("path", Sequelize.json, "meta.\0k")
    refused("path", Sequelize.json, "caf\195")
    refused("nested too deeply", Sequelize.json, deepmap)
    refused("keys", Sequelize.json, { meta = { [1] = 1, [2] = 2, x = 3 }, [5] = 1 })
    refused("nested too deeply", db.escape, db, deep)
    refused("nested too deeply", db.escape, db, cyc)
    refused("utf", db.escape, db, "caf\195")
    refused("col", User.findAll, User, { where = { age = { [Op.col] = {} } } })
    refused("unknown attribute", User.findAll, User, { where = { age = { [Op.col] = "\255\254" } } })
    assert.are.equal(1, User:count())
  end)

  it("big lists work", function()
    assert.are.equal(100000, #User:bulkBuild((function() local l = {} for i = 1, 100000 do l[i] = { age = i } end return l end)()))
    assert.are.equal(688893, #db:escape(huge)) -- (the digits of 1..100000 and 99999 ", ")
    assert.are.equal(0, User:count{ where = { age = { [Op.col] = "id" }, id = { [Op.gt] = 1 } } })
  end)
end)

-- `sequelize.fn(...)` translates to `db:fn(...)`: the helpers on an instance (and on the
-- class with a colon) drop the receiver, as Sequelize's instance forms equal its static ones
describe("fn, col, literal, where, cast and json called on a db with a colon", function()
  it("build the same expressions as the static forms", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { name = Sequelize.DataTypes.STRING, age = Sequelize.DataTypes.INTEGER })
    db:sync()
    U:create{ name = "bob", age = 30 }
    U:create{ name = "al", age = 31 }
    local r = U:findAll{ attributes = { { db:fn("upper", db:col("name")), "n" }, { db:cast(db:col("age"), "TEXT"), "a" },
                                        { db:literal("1+1"), "two" } },
                         where = db:where(db:col("age"), 30), raw = true }
    assert.same({ { n = "BOB", a = "30", two = 2 } }, r)
    r = U:findAll{ attributes = { { Sequelize:fn("lower", Sequelize.col("name")), "n" } },
                   where = Sequelize.where(Sequelize.col("age"), 31), raw = true }
    assert.same({ { n = "al" } }, r)
  end)

  it("and_ / or_ likewise (sequelize.or(...)): the db's fields are not read as conditions", function()
    -- (db:or_(...) compiled the db's own fields: "Unknown attribute 'config' in where of model U")
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { name = Sequelize.DataTypes.STRING, age = Sequelize.DataTypes.INTEGER })
    db:sync()
    U:create{ name = "a", age = 1 }
    U:create{ name = "b", age = 2 }
    U:create{ name = "c", age = 3 }
    local function names(where)
      local out = {}
      for i, u in ipairs(U:findAll{ where = where, order = { "id" } }) do out[i] = u.name end
      return out
    end
    assert.same({ "a", "b" }, names(db:or_({ name = "a" }, { age = 2 })))
    assert.same({ "a" }, names(Sequelize:and_({ name = "a" }, { age = 1 })))
    assert.same({ "c" }, names(db:and_({ age = { [Sequelize.Op.gt] = 1 } }, db:or_({ name = "c" }))))
    assert.same({ "a", "c" }, names(Sequelize.or_({ age = 1 }, { age = 3 })))
    db:close()
  end)
end)

describe("wheres made from instances and operator wheres that create", function()
  it("an unsaved instance's where() matches no row (Sequelize: {\"id\":null}, 0 rows updated)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    local draft = U:build({ name = "c" })
    assert.equal('{"id":null}', Sequelize.stringify(draft:where()))
    assert.equal(0, U:update({ name = "x" }, { where = draft:where() }))
    assert.equal(0, U:destroy({ where = draft:where() }))
    assert.equal('{"id":1}', Sequelize.stringify(U:findByPk(1):where()))
    assert.same({ "a", "b" }, support.field(U:findAll({ order = { { "id" } } }), "name"))
  end)

  it("findOrCreate / findCreateFind refuse an operator where value with no default (Sequelize's string violation)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    for _, m in ipairs({ "findOrCreate", "findCreateFind" }) do
      local err = support.catch_message(function() U[m](U, { where = { name = { [Op.eq] = "v" } } }) end)
      assert.same({ "SequelizeValidationError", "string violation: name cannot be an array or an object", "name" },
        { err.name, err.message, err.errors[1].path })
    end
    assert.equal(0, U:count())
    local u, created = U:findOrCreate({ where = { name = { [Op.eq] = "v" } }, defaults = { name = "v" } })
    assert.same({ "v", true }, { u.name, created })
    assert.is_false(select(2, U:findOrCreate({ where = { name = { [Op.eq] = "v" } }, defaults = { name = "v" } })))
    assert.equal(1, U:count())
  end)

  it("findOrCreate / findOrBuild / findCreateFind give a JSON attribute the object its where queries by path", function()
    -- Sequelize 6.37.8: findOrCreate [{"id":1,"email":"e","meta":{"a":2}},true], again the same and false;
    -- findOrBuild {"id":null,"meta":{"b":3}},true; findCreateFind [{"id":2,"meta":{"c":4}},true]
    local db = support.open()
    local U = db:define("U", { email = DataTypes.STRING, meta = DataTypes.JSON }, { timestamps = false })
    db:sync()
    local u, c = U:findOrCreate{ where = { meta = { a = 2 } }, defaults = { email = "e" } }
    assert.same({ '{"id":1,"email":"e","meta":{"a":2}}', true }, { tostring(u), c })
    u, c = U:findOrCreate{ where = { meta = { a = 2 } }, defaults = { email = "e" } }
    assert.same({ '{"id":1,"email":"e","meta":{"a":2}}', false }, { tostring(u), c })
    local b, built = U:findOrBuild{ where = { meta = { b = { x = "y" } } } }
    assert.same({ { b = { x = "y" } }, true }, { b.meta, built })
    local f, c2 = U:findCreateFind{ where = { meta = { c = 4 } } }
    assert.same({ '{"id":2,"meta":{"c":4}}', true }, { tostring(f), c2 })
    assert.same({ '{"a":2}', '{"c":4}' }, support.field(db:query("SELECT meta FROM Us ORDER BY id"), "meta"))
    -- an operator inside the path is no value (Sequelize would store {"a":{}}, a row its where never finds)
    local err = support.catch_message(function() U:findOrCreate{ where = { meta = { a = { [Op.gt] = 5 } } } } end)
    assert.same({ "SequelizeValidationError", "meta" }, { err.name, err.errors[1].path })
    assert.equal(2, U:count())
  end)
end)

describe("aggregate's dataType and db:model of nothing", function()
  it("converts a text result as Sequelize's parseFloat / parseInt (number 3), and names undefined", function()
    local db = support.open()
    local U = db:define("User", { price = DataTypes.STRING, n = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { price = "12.5", n = 1 }, { price = "3", n = 2 } })
    local v = U:aggregate("price", "max", { dataType = DataTypes.FLOAT })
    assert.same({ "number", 3 }, { type(v), v })
    assert.same({ 3, "3", 2, 3 }, { U:aggregate("price", "max", { dataType = DataTypes.INTEGER }), U:max("price"),
                                   U:max("n"), U:sum("n") })
    assert.equal("undefined has not been defined", support.catch_message(function() db:model(nil) end).message)
  end)

  it("dataType = DATE reads the value as Sequelize's new Date(value): a number is milliseconds", function()
    -- Sequelize 6.37.8: aggregate('n', 'max', { dataType: DATE }) -> 1970-01-01T00:00:00.002Z;
    -- aggregate('at', 'min', { dataType: DATE }) on a STRING column -> 2023-09-18T07:56:40.500Z; no row: null
    local db = support.open()
    local U = db:define("User", { at = DataTypes.STRING, n = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { at = "2023-09-18 07:56:40.500 +00:00", n = 1 }, { at = "2023-09-18T07:56:41.500Z", n = 2 } })
    assert.equal("1970-01-01T00:00:00.002Z", U:aggregate("n", "max", { dataType = DataTypes.DATE }))
    assert.equal("2023-09-18T07:56:40.500Z", U:aggregate("at", "min", { dataType = DataTypes.DATE }))
    assert.is_nil(U:aggregate("n", "max", { dataType = DataTypes.DATE, where = { n = 9 } }))
    assert.equal(2, U:max("n"))
    db:close()
  end)

  it("a dataType given reads SQLite's value by that type only, not by the attribute's", function()
    -- Sequelize 6.37.8 (rawSelect parses by the dataType alone): on a DATE born, BOOLEAN ok and JSON meta,
    -- aggregate('born', 'max', { dataType: STRING }) -> '2000-01-01 00:00:00.000 +00:00' (the stored text),
    -- 'min' with DATEONLY -> '1990-06-01 00:00:00.000 +00:00', with the string 'DATE' the text too,
    -- with INTEGER -> 2000; aggregate('ok', 'max', { dataType: INTEGER }) -> 1; aggregate('meta', 'max',
    -- { dataType: JSON }) -> '{"a":2}'; max('born') without one -> 2000-01-01T00:00:00.000Z
    local db = support.open()
    local U = db:define("User", { born = DataTypes.DATE, ok = DataTypes.BOOLEAN, meta = DataTypes.JSON }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { born = "2000-01-01T00:00:00.000Z", ok = true, meta = { a = 1 } },
                   { born = "1990-06-01T00:00:00.000Z", ok = false, meta = { a = 2 } } })
    assert.same({ "2000-01-01 00:00:00.000 +00:00", "1990-06-01 00:00:00.000 +00:00", "2000-01-01 00:00:00.000 +00:00",
                  2000, 1, '{"a":2}', "2000-01-01T00:00:00.000Z" },
                { U:aggregate("born", "max", { dataType = DataTypes.STRING }),
                  U:aggregate("born", "min", { dataType = DataTypes.DATEONLY }),
                  U:aggregate("born", "max", { dataType = "DATE" }),
                  U:aggregate("born", "max", { dataType = DataTypes.INTEGER }),
                  U:aggregate("ok", "max", { dataType = DataTypes.INTEGER }),
                  U:aggregate("meta", "max", { dataType = DataTypes.JSON }),
                  U:max("born") })
    db:close()
  end)

  it("a DATE attribute's aggregate is new Date(value) without dataType too: grouped, and a sum of dates", function()
    -- Sequelize 6.37.8 (rawSelect reads by the attribute's DATE type): User.aggregate('createdAt', 'max',
    -- { group: ['name'], order: [['name', 'DESC']] }) -> Date 2024-01-02T03:04:05.000Z (the first group's);
    -- User.sum('born') over 2000-01-01 and 1990-06-01 -> new Date(3990), 1970-01-01T00:00:03.990Z;
    -- with plain: false the rows hold the stored text
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, born = DataTypes.DATE })
    db:sync()
    local T = "2024-01-02T03:04:05.000Z"
    U:bulkCreate({ { name = "ann", born = "2000-01-01T00:00:00.000Z", createdAt = T, updatedAt = T },
                   { name = "bob", born = "1990-06-01T00:00:00.000Z", createdAt = T, updatedAt = T } })
    assert.equal(T, U:aggregate("createdAt", "max", { group = { "name" }, order = { { "name", "DESC" } } }))
    assert.equal("2000-01-01T00:00:00.000Z", U:max("born", { attributes = { "name" }, order = { { "name", "ASC" } },
                                                             group = { "name" } }))
    assert.equal("1970-01-01T00:00:03.990Z", U:sum("born"))
    assert.equal("2000-01-01 00:00:00.000 +00:00",
                 U:aggregate("born", "max", { group = { "name" }, plain = false, order = { { "name", "ASC" } } })[1].max)
    db:close()
  end)
end)
