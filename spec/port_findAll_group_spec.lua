-- Port of Sequelize v6's test/integration/model/findAll/group.test.js (branch v6), sqlite dialect.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of findAll/group.test.js)", function()
  describe("findAll", function()
    describe("group", function()
      local db, Post, Comment
      local function define(belongs)
        db = Sequelize.new("sqlite::memory:")
        Post = db:define("Post", {
          id = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true },
          name = { type = DataTypes.STRING, allowNull = false },
        })
        Comment = db:define("Comment", {
          id = { type = DataTypes.INTEGER, autoIncrement = true, primaryKey = true },
          text = { type = DataTypes.STRING, allowNull = false },
        })
        Post:hasMany(Comment)
        if belongs then Comment:belongsTo(Post) end
        db:sync({ force = true })
        Post:bulkCreate({ { name = "post-1" }, { name = "post-2" } })
        Comment:bulkCreate({
          { text = "Market", PostId = 1 },
          { text = "Text", PostId = 2 },
          { text = "Abc", PostId = 2 },
          { text = "Semaphor", PostId = 1 },
          { text = "Text", PostId = 1 },
        })
      end
      after_each(function() db:close() end)

      it("should correctly group with attributes, #3009", function()
        define(false)
        local posts = Post:findAll({
          attributes = { { Sequelize.fn("COUNT", Sequelize.col("Comments.id")), "comment_count" } },
          include = { { model = Comment, attributes = {} } },
          group = { "Post.id" },
          order = { { "id" } },
        })
        assert.equal(3, tonumber(posts[1]:get("comment_count")))
        assert.equal(2, tonumber(posts[2]:get("comment_count")))
      end)

      it("should not add primary key when grouping using a belongsTo association", function()
        define(true)
        local posts = Comment:findAll({
          attributes = { "PostId", { Sequelize.fn("COUNT", Sequelize.col("Comment.id")), "comment_count" } },
          include = { { model = Post, attributes = {} } },
          group = { "PostId" },
          order = { { "PostId" } },
        })
        assert.is_nil(posts[1]:get().id)
        assert.is_nil(posts[2]:get().id)
        assert.equal(3, tonumber(posts[1]:get("comment_count")))
        assert.equal(2, tonumber(posts[2]:get("comment_count")))
      end)
    end)
  end)
end)

describe("group by an attribute's definition (Model.rawAttributes.x)", function()
  -- Sequelize 6.37.8: findAll({ group: [U.rawAttributes.age] }) (or the definition alone)
  -- writes GROUP BY `U`.`age`; for a renamed column (field the_nm) it writes `U`.`nm`, a
  -- "no such column" error (its bug): the column here, as order takes a definition
  local db, U, O, sqls
  before_each(function()
    sqls = {}
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) sqls[#sqls + 1] = s end }
    U = db:define("U", { nm = { type = DataTypes.STRING, field = "the_nm" }, age = DataTypes.INTEGER })
    O = db:define("O", { x = DataTypes.INTEGER })
    db:sync()
    U:bulkCreate({ { nm = "a", age = 1 }, { nm = "a", age = 1 }, { nm = "b", age = 3 } })
  end)
  after_each(function() db:close() end)

  it("groups findAll by that column, in a list or alone", function()
    local rows = U:findAll({ attributes = { "age", { Sequelize.fn("COUNT", Sequelize.col("id")), "n" } },
                             group = { U.rawAttributes.age }, order = { "age" }, raw = true })
    assert.are.same({ { age = 1, n = 2 }, { age = 3, n = 1 } }, rows)
    assert.truthy(sqls[#sqls]:find("GROUP BY `U`.`age`", 1, true))
    rows = U:findAll({ attributes = { "nm" }, group = U.rawAttributes.nm, order = { "nm" }, raw = true })
    assert.are.same({ { nm = "a" }, { nm = "b" } }, rows)
    assert.truthy(sqls[#sqls]:find("GROUP BY `U`.`the_nm`", 1, true))
  end)

  it("groups count, findAndCountAll and aggregate by it", function()
    assert.are.same({ { age = 1, count = 2 }, { age = 3, count = 1 } }, U:count({ group = { U.rawAttributes.age } }))
    local r = U:findAndCountAll({ attributes = { "nm" }, group = { U.rawAttributes.nm }, order = { "nm" } })
    assert.are.same({ { nm = "a", count = 2 }, { nm = "b", count = 1 } }, r.count)
    assert.are.equal(2, #r.rows)
    assert.are.same({ { nm = "a", max = 2 }, { nm = "b", max = 3 } },
                    U:aggregate("id", "max", { group = { U.rawAttributes.nm }, plain = false }))
  end)

  it("another model's attribute is `Model`.`column`: an include under the model's name", function()
    -- Sequelize: GROUP BY `O`.`x` (its model's name): works for an include aliased so, and
    -- fails in SQLite (no such column) for one under another alias
    local ok, err = pcall(U.findAll, U, { group = { O.rawAttributes.x } })
    assert.is_false(ok)
    assert.truthy(tostring(err):find("Unknown attribute 'O.x' in group of model U", 1, true), tostring(err))
    U:belongsTo(O)
    U:hasMany(O, { as = "os", constraints = false })
    db:sync{ force = true }
    O:bulkCreate{ { x = 5 }, { x = 6 } }
    U:bulkCreate{ { nm = "a", OId = 1 }, { nm = "b", OId = 1 }, { nm = "c", OId = 2 } }
    local rows = U:findAll{ attributes = { { Sequelize.fn("count", Sequelize.col("U.id")), "n" } },
                            include = { { model = O, attributes = {} } }, group = { O.rawAttributes.x }, raw = true }
    assert.truthy(sqls[#sqls]:find("GROUP BY `O`.`x`", 1, true))
    assert.are.same({ { n = 2 }, { n = 1 } }, rows)
    ok, err = pcall(U.findAll, U, { include = { { association = "os", attributes = {} } }, group = { O.rawAttributes.x } })
    assert.is_false(ok)
    assert.truthy(tostring(err):find("Unknown attribute 'O.x' in group of model U", 1, true), tostring(err))
  end)
end)
