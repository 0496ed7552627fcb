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
