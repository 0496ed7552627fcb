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
