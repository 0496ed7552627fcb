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
      .. "`User`.`id` = `posts`.`UserId` AND `posts`.`deletedAt` IS ? AND `posts`.`likes` = ?;", 1, true), sql)
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
    err = support.catch_message(User.aggregate, User, "age", "sum", { group = "name" })
    assert.is_truthy(err.message:find("User.aggregate: unknown option 'group'", 1, true), err.message)
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
