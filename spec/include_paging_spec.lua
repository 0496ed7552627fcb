-- include_paging_spec: which parents a limit / offset picks with a to-many include, as
-- Sequelize 6 picks them, and grouped counts over an include.
--
-- Sequelize pages the parents in a subquery (`FROM (SELECT ... FROM Users AS User ...
-- LIMIT ?) AS User LEFT OUTER JOIN Posts ...`) ordered by the root's own order items only;
-- an order item named through an include ({ Post, "score" }) orders the joined rows alone.
-- A required include filters the parents in that subquery without changing their order.
-- With subQuery = false the LIMIT / OFFSET apply to the joined rows of one query.
--
-- Expected values were produced by Sequelize 6.37 (sqlite) on the same models and rows
-- (/tmp/paging-js/b.js, a.js); the JSON below is in sequelua's key order (a raw row's keys
-- sorted).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op
local S = Sequelize.stringify

-- users u1..u4 (ages 30, 20, 40, 10); posts a(3, u3) b(8, u2) c(1, u1) d(6, u3) e(2, u4):
-- the posts' rows are not in their users' order. Tags x, y on posts d; b, a.
local function fixture(log)
  local db = support.open(log)
  local M = { db = db }
  M.User = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER }, { timestamps = false })
  M.Post = db:define("Post", { title = DataTypes.STRING, score = DataTypes.INTEGER }, { timestamps = false })
  M.Tag = db:define("Tag", { name = DataTypes.STRING }, { timestamps = false })
  local PT = db:define("PT", {}, { timestamps = false })
  M.User:hasMany(M.Post)
  M.Post:belongsTo(M.User)
  M.Post:belongsToMany(M.Tag, { through = PT })
  M.Tag:belongsToMany(M.Post, { through = PT })
  db:sync()
  M.User:bulkCreate{ { name = "u1", age = 30 }, { name = "u2", age = 20 }, { name = "u3", age = 40 }, { name = "u4", age = 10 } }
  M.Post:bulkCreate{ { title = "a", score = 3, UserId = 3 }, { title = "b", score = 8, UserId = 2 },
                     { title = "c", score = 1, UserId = 1 }, { title = "d", score = 6, UserId = 3 },
                     { title = "e", score = 2, UserId = 4 } }
  M.Tag:bulkCreate{ { name = "x" }, { name = "y" } }
  PT:bulkCreate{ { PostId = 4, TagId = 1 }, { PostId = 2, TagId = 2 }, { PostId = 1, TagId = 2 } }
  return M
end

local PA = '{"id":1,"score":3,"title":"a","UserId":3}'
local PB = '{"id":2,"score":8,"title":"b","UserId":2}'
local PC = '{"id":3,"score":1,"title":"c","UserId":1}'
local PD = '{"id":4,"score":6,"title":"d","UserId":3}'
local function user(id, age, name, ...)
  return ('{"id":%d,"age":%d,"name":"%s","Posts":[%s]}'):format(id, age, name, table.concat({ ... }, ","))
end
local function list(...) return "[" .. table.concat({ ... }, ",") .. "]" end

describe("paging parents with a to-many include (Sequelize's subquery)", function()
  local M, log
  setup(function()
    log = {}
    M = fixture(log)
  end)

  it("findOne ordered by an included column takes the first parent, the children in that order", function()
    assert.are.equal(user(1, 30, "u1", PC), S(M.User:findOne{ include = { M.Post }, order = { { M.Post, "score", "DESC" } } }))
  end)

  it("limit with an order on an included column pages by the root only", function()
    -- the page is u1, u2 (the first two users); the joined rows come by score
    assert.are.equal(list(user(2, 20, "u2", PB), user(1, 30, "u1", PC)),
      S(M.User:findAll{ include = { M.Post }, limit = 2, order = { { "Posts", "score", "DESC" } } }))
  end)

  it("the root's own order items page, the included ones order the joined rows", function()
    assert.are.equal(list(user(2, 20, "u2", PB), user(1, 30, "u1", PC)),
      S(M.User:findAll{ include = { M.Post }, limit = 2, offset = 1,
                        order = { { "age", "ASC" }, { M.Post, "score", "DESC" } } }))
  end)

  it("the paging query leaves the included order items out", function()
    support.clear(log)
    M.User:findAll{ include = { M.Post }, limit = 2, order = { { "age", "ASC" }, { M.Post, "score", "DESC" } } }
    local sel = support.statements(log, "SELECT")
    assert.are.equal(2, #sel)
    assert.truthy(support.contains(sel[1], "ORDER BY `User`.`age` ASC LIMIT ?"))
    assert.falsy(support.contains(sel[1], "`Posts`.`score`"))
    assert.truthy(support.contains(sel[2], "ORDER BY `User`.`age` ASC, `Posts`.`score` DESC"))
  end)

  it("a required include filters the parents without reordering them", function()
    assert.are.equal(list(user(1, 30, "u1", PC), user(2, 20, "u2", PB)),
      S(M.User:findAll{ include = { { model = M.Post, where = { score = { [Op.gt] = 0 } } } }, limit = 2 }))
    assert.are.equal(list(user(2, 20, "u2", PB)),
      S(M.User:findAll{ include = { { model = M.Post, where = { score = { [Op.gt] = 2 } } } }, limit = 1,
                        order = { { M.Post, "score", "DESC" } } }))
  end)

  it("a nested n:m order and a belongsTo order stay out of the paging", function()
    local got = M.User:findAll{ include = { { model = M.Post, include = { M.Tag } } }, limit = 2,
                                order = { { M.Post, M.Tag, "name", "DESC" } } }
    assert.are.same({ 2, 1 }, support.field(got, "id"))
    local posts = M.Post:findAll{ include = { M.User, M.Tag }, limit = 2, order = { { M.User, "age", "DESC" } } }
    assert.are.same({ 1, 2 }, support.field(posts, "id"))
  end)

  it("an unknown included attribute in order raises, naming it", function()
    local err = support.catch_error(function()
      return M.User:findAll{ include = { M.Post }, limit = 1, order = { { M.Post, "nope", "ASC" } } }
    end)
    assert.truthy(support.contains(err.message, "nope"))
    assert.truthy(support.contains(err.message, "Post"))
  end)
end)

describe("subQuery = false", function()
  local M, log
  setup(function()
    log = {}
    M = fixture(log)
  end)

  it("limits the joined rows in one query", function()
    support.clear(log)
    local got = M.User:findAll{ include = { M.Post }, subQuery = false, limit = 3,
                                order = { { "age", "DESC" }, { M.Post, "score", "ASC" } } }
    assert.are.equal(list(user(3, 40, "u3", PA, PD), user(1, 30, "u1", PC)), S(got))
    local sel = support.statements(log, "SELECT")
    assert.are.equal(1, #sel)
    assert.truthy(support.contains(sel[1], "LIMIT ?"))
  end)

  it("offsets the joined rows", function()
    assert.are.equal(list(user(3, 40, "u3", PA, PD)),
      S(M.User:findAll{ include = { M.Post }, subQuery = false, limit = 2, offset = 2,
                        order = { { "id", "ASC" }, { M.Post, "id", "ASC" } } }))
  end)
end)

describe("count with group over an include", function()
  local M, log
  setup(function()
    log = {}
    M = fixture(log)
  end)

  it("a qualified group name reads under its column name, counting the key", function()
    support.clear(log)
    local got = M.User:count{ include = { { model = M.Post, attributes = {} } }, group = { "User.id" } }
    assert.are.equal('[{"count":1,"id":1},{"count":1,"id":2},{"count":2,"id":3},{"count":1,"id":4}]', S(got))
    local sel = support.statements(log, "SELECT")
    assert.truthy(support.contains(sel[#sel], "count(`User`.`id`) AS `count`"))
    assert.truthy(support.contains(sel[#sel], "GROUP BY `User`.`id`"))
  end)

  it("with a where on the include", function()
    local got = M.User:count{ include = { { model = M.Post, attributes = {}, where = { score = { [Op.gt] = 4 } } } },
                              group = { "User.id" } }
    assert.are.equal('[{"count":1,"id":2},{"count":1,"id":3}]', S(got))
  end)

  it("groups and counts only, n:m join rows included; distinct counts each parent once (Sequelize)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local T = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P); P:belongsTo(U); U:belongsToMany(T, { through = "UT", timestamps = false })
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "a" }, { name = "b" } })
    P:bulkCreate({ { title = "x", UserId = 1 }, { title = "y", UserId = 1 }, { title = "z", UserId = 3 } })
    T:create({ label = "t" })
    U:findByPk(1):addTag(1)
    -- Sequelize 6.37.8: [{"name":"a","count":2},{"name":"b","count":1}] and the rest below
    assert.are.equal('[{"count":2,"name":"a"},{"count":1,"name":"b"}]',
      S(U:count{ group = { "name" }, include = { { model = T, through = { attributes = { "UserId" } } } } }))
    assert.are.equal('[{"count":3,"name":"a"},{"count":1,"name":"b"}]', S(U:count{ group = { "name" }, include = { { all = true } } }))
    assert.are.equal('[{"count":3,"name":"a"},{"count":1,"name":"b"}]', S(U:count{ group = { "name" }, include = { P } }))
    assert.are.equal('[{"count":2,"name":"a"},{"count":1,"name":"b"}]',
      S(U:count{ group = { "name" }, distinct = true, include = { P } }))
    db:close()
  end)

  it("a group naming a nested include's column or its through model's reads under the column name", function()
    -- Sequelize 6.37.8: [{"name":null,"count":2},{"name":"x","count":1},{"name":"y","count":2}]
    -- (SELECT `Posts->Tags`.`name`, count(`User`.`id`) AS `count` ... GROUP BY `Posts->Tags`.`name`);
    -- [{"TagId":null,"count":2},{"TagId":1,"count":1},{"TagId":2,"count":2}] (`Posts->Tags->PT`.`TagId`)
    local inc = { { model = M.Post, attributes = {}, include = { { model = M.Tag, attributes = {} } } } }
    support.clear(log)
    assert.are.equal('[{"count":2,"name":null},{"count":1,"name":"x"},{"count":2,"name":"y"}]',
      S(M.User:count{ include = inc, group = { "Posts.Tags.name" } }))
    local sel = support.statements(log, "SELECT")
    assert.truthy(support.contains(sel[#sel], "SELECT `Posts->Tags`.`name` AS `name`, count(`User`.`id`) AS `count`"), sel[#sel])
    assert.truthy(support.contains(sel[#sel], "GROUP BY `Posts->Tags`.`name`"), sel[#sel])
    assert.are.equal('[{"TagId":null,"count":2},{"TagId":1,"count":1},{"TagId":2,"count":2}]',
      S(M.User:count{ include = inc, group = { "Posts.Tags.PT.TagId" } }))
  end)

  it("aggregate with a group naming a qualified or an included column selects it under its name", function()
    -- Sequelize 6.37.8: [{"id":1,"sum":30},{"id":2,"sum":20},{"id":3,"sum":40},{"id":4,"sum":10}]
    -- (SELECT `User`.`id`, sum(`age`) AS `sum` FROM `Users` AS `User` GROUP BY `User`.`id` ...);
    -- [{"age":10,"sum":2},{"age":20,"sum":8},{"age":30,"sum":1},{"age":40,"sum":9}];
    -- [{"id":1,"sum":1},{"id":2,"sum":8},{"id":3,"sum":9},{"id":4,"sum":2}];
    -- [{"name":null,"max":30},{"name":"x","max":40},{"name":"y","max":40}] (rows also with the join row's keys)
    support.clear(log)
    assert.are.equal('[{"id":1,"sum":30},{"id":2,"sum":20},{"id":3,"sum":40},{"id":4,"sum":10}]',
      S(M.User:aggregate("age", "sum", { group = { "User.id" }, plain = false, order = { { "id", "ASC" } } })))
    local sel = support.statements(log, "SELECT")
    assert.truthy(support.contains(sel[#sel], "GROUP BY `User`.`id`"), sel[#sel])
    assert.are.equal('[{"age":10,"sum":2},{"age":20,"sum":8},{"age":30,"sum":1},{"age":40,"sum":9}]',
      S(M.Post:aggregate("score", "sum", { include = { { model = M.User, attributes = {} } }, group = { "User.age" },
                                           plain = false, order = { { Sequelize.col("age"), "ASC" } } })))
    assert.are.equal('[{"id":1,"sum":1},{"id":2,"sum":8},{"id":3,"sum":9},{"id":4,"sum":2}]',
      S(M.User:aggregate("Posts.score", "sum", { include = { { model = M.Post, attributes = {} } }, group = { "User.id" },
                                                 plain = false, order = { { "id", "ASC" } } })))
    local rows = M.User:aggregate("age", "max", { include = { { model = M.Post, attributes = {},
      include = { { model = M.Tag, attributes = {} } } } }, group = { "Posts.Tags.name" }, plain = false, order = { { Sequelize.col("name"), "ASC" } } })
    assert.are.same({ 30, 40, 40 }, support.field(rows, "max"))
    assert.are.same({ Sequelize.null, "x", "y" }, support.field(rows, "name"))
  end)

  it("an unknown qualified group name raises", function()
    local err = support.catch_error(function()
      return M.User:count{ include = { { model = M.Post, attributes = {} } }, group = { "User.nope" } }
    end)
    assert.truthy(err)
    assert.truthy(support.contains(tostring(err.message), "nope"))
  end)
end)

-- A grouped findAll's rows are its groups: a LIMIT / OFFSET with a to-many include applies to
-- them, as Sequelize's subQuery = false does (its default paging subquery fails in SQLite here,
-- `no such column: Tags.id`); paging the root's keys first grouped the paged rows only.
describe("limit on a grouped findAll with a to-many include", function()
  local M, log
  setup(function()
    log = {}
    M = fixture(log)
  end)

  it("limits the groups, each aggregating all its rows", function()
    -- Sequelize 6.37.8 (subQuery = false): [{"UserId":4,"n":0},{"UserId":3,"n":2}]
    -- (... GROUP BY `Post`.`UserId` ORDER BY `Post`.`UserId` DESC LIMIT 2)
    local inc = { { model = M.Tag, attributes = {}, through = { attributes = {} } } }
    support.clear(log)
    assert.are.equal('[{"UserId":4,"n":0},{"UserId":3,"n":2}]',
      S(M.Post:findAll{ attributes = { "UserId", { Sequelize.fn("COUNT", Sequelize.col("Tags.id")), "n" } }, include = inc,
                        group = { "Post.UserId" }, order = { { "UserId", "DESC" } }, limit = 2, raw = true }))
    local sel = support.statements(log, "SELECT")
    assert.are.equal(1, #sel)
    assert.truthy(support.contains(sel[1], "GROUP BY `Post`.`UserId` ORDER BY `Post`.`UserId` DESC LIMIT ?"), sel[1])
    -- Sequelize 6.37.8 (subQuery = false): [{"UserId":3,"n":2}] (ORDER BY max(`score`) DESC LIMIT 1, 1)
    assert.are.equal('[{"UserId":3,"n":2}]',
      S(M.Post:findAll{ attributes = { "UserId", { Sequelize.fn("COUNT", Sequelize.col("Tags.id")), "n" } }, include = inc,
                        group = { "Post.UserId" }, order = { { Sequelize.fn("max", Sequelize.col("score")), "DESC" } },
                        limit = 1, offset = 1, raw = true }))
  end)

  it("takes a having", function()
    -- Sequelize 6.37.8 (subQuery = false): [{"id":3,"n":2}]
    assert.are.equal('[{"id":3,"n":2}]',
      S(M.User:findAll{ attributes = { "id", { Sequelize.fn("COUNT", Sequelize.col("Posts.id")), "n" } },
                        include = { { model = M.Post, attributes = {} } }, group = { "User.id" },
                        having = Sequelize.where(Sequelize.fn("COUNT", Sequelize.col("Posts.id")), { [Op.gt] = 1 }),
                        limit = 2, raw = true }))
  end)
end)

-- duplicating = false on a to-many include: Sequelize's hasDuplicating is then false for it, and
-- with no other duplicating include in the tree the LIMIT applies to the joined rows, as with
-- subQuery = false.
describe("include duplicating = false", function()
  local M
  setup(function() M = fixture({}) end)

  it("limits the joined rows when no include of the tree duplicates", function()
    assert.are.equal(list(user(3, 40, "u3", PA, PD), user(1, 30, "u1", PC)),
      S(M.User:findAll{ include = { { model = M.Post, duplicating = false } }, limit = 3,
                        order = { { "age", "DESC" }, { M.Post, "score", "ASC" } } }))
    local got = M.User:findAll{ include = { { model = M.Post, duplicating = false,
                                              include = { { model = M.Tag, duplicating = false } } } },
                                limit = 1, order = { { "age", "DESC" }, { M.Post, "id", "ASC" } } }
    assert.are.equal(1, #got)
    assert.are.same({ 1 }, support.field(got[1].Posts, "id"))
  end)

  it("a duplicating include below it still pages the parents", function()
    local got = M.User:findAll{ include = { { model = M.Post, duplicating = false, include = { M.Tag } } },
                                limit = 1, order = { { "age", "DESC" } } }
    assert.are.equal(1, #got)
    assert.are.same({ 1, 4 }, support.ids(got[1].Posts))
  end)
end)

describe("a separate include's offset and the options an include ignores", function()
  it("skips over all the children without a limit, per parent with one (Sequelize 6.37.8)", function()
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { likes = DataTypes.INTEGER }, { timestamps = false })
    User:hasMany(Post)
    db:sync()
    User:bulkCreate({ { name = "ann" }, { name = "bob" } })
    Post:bulkCreate({ { likes = 1, UserId = 1 }, { likes = 2, UserId = 1 }, { likes = 3, UserId = 2 }, { likes = 4, UserId = 2 } })
    local function posts(inc)
      local out = {}
      for _, u in ipairs(User:findAll({ include = { inc }, order = { "id" }, limit = 2 })) do
        local ids = {}
        for _, p in ipairs(u.Posts) do ids[#ids + 1] = p.id end
        out[#out + 1] = u.name .. ":" .. table.concat(ids, ",")
      end
      return table.concat(out, " ")
    end
    -- Sequelize: ... ORDER BY `Post`.`id` LIMIT 1, 10000000000000 / a UNION of LIMIT 1, 1 per parent
    assert.equal("ann:2 bob:3,4", posts({ model = Post, separate = true, order = { "id" }, offset = 1 }))
    assert.equal("ann:2 bob:4", posts({ model = Post, separate = true, order = { "id" }, offset = 1, limit = 1 }))
    assert.equal("ann:1,2 bob:3,4", posts({ model = Post, subQuery = false, logging = false }))
    -- a limit makes the include separate only when separate is not given (Sequelize:
    -- `include.separate === undefined`); given false or null it is joined, its limit unused
    -- (Sequelize 6.37.8: "ann:1,2 bob:3,4" for both)
    assert.equal("ann:1,2 bob:3,4", posts({ model = Post, separate = false, limit = 1 }))
    assert.equal("ann:1,2 bob:3,4", posts({ model = Post, separate = Sequelize.null, limit = 1 }))
    -- nor a limit of 0, which JavaScript's `include.limit &&` reads as none (Sequelize 6.37.8,
    -- include: [{ model: Post, limit: 0 }]: one LEFT OUTER JOIN, "ann:1,2 bob:3,4"; was: a separate
    -- query of no rows, "ann: bob:")
    assert.equal("ann:1,2 bob:3,4", posts({ model = Post, limit = 0 }))
    assert.truthy(support.catch_message(function()
      User:findAll({ include = { { model = Post, separate = true, offset = -1 } } })
    end).message:find("offset must be a non-negative number", 1, true))
  end)
end)
