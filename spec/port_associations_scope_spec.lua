-- Port of Sequelize v6's test/integration/associations/scope.test.js (branch v6), sqlite dialect.
-- Skipped:
--   N:M (on the target, on the through model): the JS skips the whole block for sqlite
-- `instanceof(Model)` is read as `instance.constructor == Model`; Promise.all over independent
-- writes is written as plain calls in order.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("associations scope (port of associations/scope.test.js)", function()
  local db, Post, Image, Question, Comment

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Post = db:define("post", {})
    Image = db:define("image", {})
    Question = db:define("question", {})
    Comment = db:define("comment", {
      title = DataTypes.STRING,
      type = DataTypes.STRING,
      commentable = DataTypes.STRING,
      commentable_id = DataTypes.INTEGER,
      isMain = { field = "is_main", type = DataTypes.BOOLEAN, defaultValue = false },
    })

    function Comment.prototype:getItem()
      local c = self:get("commentable")
      return self["get" .. c:sub(1, 1):upper() .. c:sub(2)](self)
    end

    Post:addScope("withComments", { include = { Comment } })
    Post:addScope("withMainComment", { include = { { model = Comment, as = "mainComment" } } })
    Post:hasMany(Comment, { foreignKey = "commentable_id", scope = { commentable = "post" }, constraints = false })
    Post:hasMany(Comment, {
      foreignKey = "commentable_id",
      as = "coloredComments",
      scope = { commentable = "post", type = { [Op.in_] = { "blue", "green" } } },
      constraints = false,
    })
    Post:hasOne(Comment, {
      foreignKey = "commentable_id",
      as = "mainComment",
      scope = { commentable = "post", isMain = true },
      constraints = false,
    })
    Comment:belongsTo(Post, { foreignKey = "commentable_id", as = "post", constraints = false })

    Image:hasMany(Comment, { foreignKey = "commentable_id", scope = { commentable = "image" }, constraints = false })
    Comment:belongsTo(Image, { foreignKey = "commentable_id", as = "image", constraints = false })

    Question:hasMany(Comment, { foreignKey = "commentable_id", scope = { commentable = "question" }, constraints = false })
    Comment:belongsTo(Question, { foreignKey = "commentable_id", as = "question", constraints = false })
  end)
  after_each(function() db:close() end)

  describe("1:1", function()
    it("should create, find and include associations with scope values", function()
      db:sync({ force = true })
      local post1 = Post:create()
      Comment:create({ title = "I am a comment" })
      Comment:create({ title = "I am a main comment", isMain = true })

      local comment0 = post1:createComment({ title = "I am a post comment" })
      assert.equal("post", comment0:get("commentable"))
      assert.is_false(comment0:get("isMain"))
      local post0 = Post:scope("withMainComment"):findByPk(post1:get("id"))
      assert.is_nil(post0.mainComment)

      local mainComment1 = post0:createMainComment({ title = "I am a main post comment" })
      assert.equal("post", mainComment1:get("commentable"))
      assert.is_true(mainComment1:get("isMain"))
      local post = Post:scope("withMainComment"):findByPk(post1.id)
      assert.equal(mainComment1:get("id"), post.mainComment:get("id"))
      local mainComment0 = post:getMainComment()
      assert.equal("post", mainComment0:get("commentable"))
      assert.is_true(mainComment0:get("isMain"))

      local comment = Comment:create({ title = "I am a future main comment" })
      post1:setMainComment(comment)
      local mainComment = post1:getMainComment()
      assert.equal("post", mainComment:get("commentable"))
      assert.is_true(mainComment:get("isMain"))
      assert.equal("I am a future main comment", mainComment:get("title"))
    end)

    it("should create included association with scope values", function()
      db:sync({ force = true })
      local post0 = Post:create({ mainComment = { title = "I am a main comment created with a post" } },
                                { include = { { model = Comment, as = "mainComment" } } })
      assert.equal("post", post0.mainComment:get("commentable"))
      assert.is_true(post0.mainComment:get("isMain"))
      local post = Post:scope("withMainComment"):findByPk(post0.id)
      assert.equal("post", post.mainComment:get("commentable"))
      assert.is_true(post.mainComment:get("isMain"))
    end)
  end)

  describe("1:M", function()
    it("should create, find and include associations with scope values", function()
      db:sync({ force = true })
      local post1 = Post:create()
      local image1 = Image:create()
      local question1 = Question:create()
      local commentA = Comment:create({ title = "I am a image comment" })
      local commentB = Comment:create({ title = "I am a question comment" })

      post1:createComment({ title = "I am a post comment" })
      image1:addComment(commentA)
      question1:setComments({ commentB })

      local comments = Comment:findAll()
      local kinds = {}
      for i, comment in ipairs(comments) do
        assert.truthy(comment:get("commentable"))
        kinds[i] = comment:get("commentable")
      end
      table.sort(kinds)
      assert.same({ "image", "post", "question" }, kinds)

      local postComments = post1:getComments()
      local imageComments = image1:getComments()
      local questionComments = question1:getComments()
      assert.equal(1, #postComments)
      assert.equal("I am a post comment", postComments[1]:get("title"))
      assert.equal(1, #imageComments)
      assert.equal("I am a image comment", imageComments[1]:get("title"))
      assert.equal(1, #questionComments)
      assert.equal("I am a question comment", questionComments[1]:get("title"))

      local post0 = postComments[1]:getItem()
      local image0 = imageComments[1]:getItem()
      local question0 = questionComments[1]:getItem()
      assert.equal(Post, post0.constructor)
      assert.equal(Image, image0.constructor)
      assert.equal(Question, question0.constructor)

      local post = Post:findOne({ include = { Comment } })
      local image = Image:findOne({ include = { Comment } })
      local question = Question:findOne({ include = { Comment } })
      assert.equal(1, #post.comments)
      assert.equal("I am a post comment", post.comments[1]:get("title"))
      assert.equal(1, #image.comments)
      assert.equal("I am a image comment", image.comments[1]:get("title"))
      assert.equal(1, #question.comments)
      assert.equal("I am a question comment", question.comments[1]:get("title"))
    end)

    it("should make the same query if called multiple time (#4470)", function()
      local logs = {}
      local function logging(log)
        -- removing 'Executing (<uuid> | default):' from logs
        logs[#logs + 1] = log:sub((log:find(":", 1, true) or 0) + 1)
      end
      db:sync({ force = true })
      local post = Post:create()
      post:createComment({ title = "I am a post comment" })
      Post:scope("withComments"):findAll({ logging = logging })
      Post:scope("withComments"):findAll({ logging = logging })
      assert.equal(2, #logs)
      assert.equal(logs[1], logs[2])
    end)

    it("should created included association with scope values", function()
      db:sync({ force = true })
      local post = Post:create({
        comments = {
          { title = "I am a comment created with a post" },
          { title = "I am a second comment created with a post" },
        },
      }, { include = { { model = Comment, as = "comments" } } })
      assert.equal(2, #post.comments)
      for _, comment in ipairs(post.comments) do assert.equal("post", comment:get("commentable")) end
      post = Post:scope("withComments"):findByPk(post.id)
      assert.equal(2, #post.comments)
      for _, comment in ipairs(post.comments) do assert.equal("post", comment:get("commentable")) end
    end)

    it("should include associations with operator scope values", function()
      db:sync({ force = true })
      local post0 = Post:create()
      local commentA = Comment:create({ title = "I am a blue comment", type = "blue" })
      local commentB = Comment:create({ title = "I am a red comment", type = "red" })
      local commentC = Comment:create({ title = "I am a green comment", type = "green" })
      post0:addComments({ commentA, commentB, commentC })
      local post = Post:findByPk(post0.id, { include = { { model = Comment, as = "coloredComments" } } })
      assert.equal(2, #post.coloredComments)
      for _, comment in ipairs(post.coloredComments) do
        assert.truthy(comment.type == "blue" or comment.type == "green")
      end
    end)

    it("should not mutate scope when running SELECT query (#12868)", function()
      db:sync({ force = true })
      Post:findOne({
        where = {},
        include = { { association = Post.associations.mainComment, attributes = { "id" }, required = true, where = {} } },
      })
      assert.equal(true, Post.associations.mainComment.scope.isMain)
    end)
  end)
end)
