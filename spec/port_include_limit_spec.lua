-- port_include_limit_spec: a port of Sequelize's test/integration/include/limit.test.js
-- (branch v6), test by test, titles kept; promise fan-outs (Promise.all) are plain calls in order.
-- Skipped:
--   (none: every test of the file runs on sqlite)
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

-- shortcut for building simple { name = "foo" } seed data
local function build(...)
  local out = {}
  for i, name in ipairs{ ... } do out[i] = { name = name } end
  return out
end

describe("Include LIMIT", function()
  --[[ association overview
    [Task]N---N[Project]N---N[User]N---N[Hobby]
                               1
                               |
                               N
               [Comment]N---1[Post]N---N[Tag]N---1[Color]
                               1
                               |
                               N
                           [Footnote]
  ]]
  local db, M

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    M = {}
    for _, name in ipairs{ "Project", "User", "Task", "Hobby", "Post", "Comment", "Tag", "Color", "Footnote" } do
      M[name] = db:define(name, { name = { type = DataTypes.STRING, primaryKey = true } }, { timestamps = false })
    end
    M.User:belongsToMany(M.Project, { through = "user_project" })
    M.Project:belongsToMany(M.User, { through = "user_project" })
    M.Project:belongsToMany(M.Task, { through = "task_project" })
    M.Task:belongsToMany(M.Project, { through = "task_project" })
    M.User:belongsToMany(M.Hobby, { through = "user_hobby" })
    M.Hobby:belongsToMany(M.User, { through = "user_hobby" })
    M.Post:hasMany(M.Comment)
    M.Comment:belongsTo(M.Post)
    M.Post:belongsToMany(M.Tag, { through = "post_tag" })
    M.Tag:belongsToMany(M.Post, { through = "post_tag" })
    M.Post:hasMany(M.Footnote)
    M.Footnote:belongsTo(M.Post)
    M.User:hasMany(M.Post)
    M.Post:belongsTo(M.User)
    M.Tag:belongsTo(M.Color)
    M.Color:hasMany(M.Tag)
    db:sync{ force = true }
  end)

  after_each(function()
    db:close()
  end)

  -- the page every test asks for: order by name, the second row only
  local function page(Model, include)
    return Model:findAll{ include = include, order = { "name" }, limit = 1, offset = 1 }
  end

  -- many-to-many

  it("supports many-to-many association with where clause", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie"))
    local users = M.User:bulkCreate(build("Alice", "Bob"))
    projects[1]:addUser(users[1])
    projects[2]:addUser(users[2])
    projects[3]:addUser(users[1])
    local result = page(M.Project, { { model = M.User, where = { name = "Alice" } } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports 2 levels of required many-to-many associations", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie"))
    local users = M.User:bulkCreate(build("Alice", "Bob"))
    local hobbies = M.Hobby:bulkCreate(build("archery", "badminton"))
    projects[1]:addUser(users[1])
    projects[2]:addUser(users[2])
    projects[3]:addUser(users[1])
    users[1]:addHobby(hobbies[1])
    local result = page(M.Project, { { model = M.User, required = true,
      include = { { model = M.Hobby, required = true } } } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports 2 levels of required many-to-many associations with where clause", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie"))
    local users = M.User:bulkCreate(build("Alice", "Bob"))
    local hobbies = M.Hobby:bulkCreate(build("archery", "badminton"))
    projects[1]:addUser(users[1])
    projects[2]:addUser(users[2])
    projects[3]:addUser(users[1])
    users[1]:addHobby(hobbies[1])
    users[2]:addHobby(hobbies[2])
    local result = page(M.Project, { { model = M.User, required = true,
      include = { { model = M.Hobby, where = { name = "archery" } } } } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports 2 levels of required many-to-many associations with through.where clause", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie"))
    local users = M.User:bulkCreate(build("Alice", "Bob"))
    local hobbies = M.Hobby:bulkCreate(build("archery", "badminton"))
    projects[1]:addUser(users[1])
    projects[2]:addUser(users[2])
    projects[3]:addUser(users[1])
    users[1]:addHobby(hobbies[1])
    users[2]:addHobby(hobbies[2])
    local result = page(M.Project, { { model = M.User, required = true,
      include = { { model = M.Hobby, required = true, through = { where = { HobbyName = "archery" } } } } } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports 3 levels of required many-to-many associations with where clause", function()
    local tasks = M.Task:bulkCreate(build("alpha", "bravo", "charlie"))
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie"))
    local users = M.User:bulkCreate(build("Alice", "Bob", "Charlotte"))
    local hobbies = M.Hobby:bulkCreate(build("archery", "badminton"))
    tasks[1]:addProject(projects[1])
    tasks[2]:addProject(projects[2])
    tasks[3]:addProject(projects[3])
    projects[1]:addUser(users[1])
    projects[2]:addUser(users[2])
    projects[3]:addUser(users[1])
    users[1]:addHobby(hobbies[1])
    users[2]:addHobby(hobbies[2])
    local result = page(M.Task, { { model = M.Project, required = true, include = {
      { model = M.User, required = true, include = { { model = M.Hobby, where = { name = "archery" } } } } } } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports required many-to-many association", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie"))
    local users = M.User:bulkCreate(build("Alice", "Bob"))
    projects[1]:addUser(users[1]) -- alpha
    projects[3]:addUser(users[1]) -- charlie
    local result = page(M.Project, { { model = M.User, required = true } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports 2 required many-to-many association", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie", "delta"))
    local users = M.User:bulkCreate(build("Alice", "Bob", "David"))
    local tasks = M.Task:bulkCreate(build("a", "c", "d"))
    projects[1]:addUser(users[1])
    projects[1]:addTask(tasks[1])
    projects[2]:addUser(users[2])
    projects[3]:addTask(tasks[2])
    projects[4]:addUser(users[3])
    projects[4]:addTask(tasks[3])
    local result = page(M.Project, { { model = M.User, required = true }, { model = M.Task, required = true } })
    assert.are.equal(1, #result)
    assert.are.equal("delta", result[1].name)
  end)

  -- one-to-many

  it("supports required one-to-many association", function()
    local posts = M.Post:bulkCreate(build("alpha", "bravo", "charlie"))
    local comments = M.Comment:bulkCreate(build("comment0", "comment1"))
    posts[1]:addComment(comments[1])
    posts[3]:addComment(comments[2])
    local result = page(M.Post, { { model = M.Comment, required = true } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports required one-to-many association with where clause", function()
    local posts = M.Post:bulkCreate(build("alpha", "bravo", "charlie"))
    local comments = M.Comment:bulkCreate(build("comment0", "comment1", "comment2"))
    posts[1]:addComment(comments[1])
    posts[2]:addComment(comments[2])
    posts[3]:addComment(comments[3])
    local result = page(M.Post, { { model = M.Comment, required = true,
      where = { [Op.or_] = { { name = "comment0" }, { name = "comment2" } } } } })
    assert.are.equal(1, #result)
    assert.are.equal("charlie", result[1].name)
  end)

  it("supports required one-to-many association with where clause (findOne)", function()
    local posts = M.Post:bulkCreate(build("alpha", "bravo", "charlie"))
    local comments = M.Comment:bulkCreate(build("comment0", "comment1", "comment2"))
    posts[1]:addComment(comments[1])
    posts[2]:addComment(comments[2])
    posts[3]:addComment(comments[3])
    local post = M.Post:findOne{ include = { { model = M.Comment, required = true, where = { name = "comment2" } } } }
    assert.are.equal("charlie", post.name)
  end)

  it("supports 2 levels of required one-to-many associations", function()
    local users = M.User:bulkCreate(build("Alice", "Bob", "Charlotte", "David"))
    local posts = M.Post:bulkCreate(build("post0", "post1", "post2"))
    local comments = M.Comment:bulkCreate(build("comment0", "comment1", "comment2"))
    users[1]:addPost(posts[1])
    users[2]:addPost(posts[2])
    users[4]:addPost(posts[3])
    posts[1]:addComment(comments[1])
    posts[3]:addComment(comments[3])
    local result = page(M.User, { { model = M.Post, required = true,
      include = { { model = M.Comment, required = true } } } })
    assert.are.equal(1, #result)
    assert.are.equal("David", result[1].name)
  end)

  -- mixed many-to-many, one-to-many and many-to-one

  it("supports required one-to-many association with nested required many-to-many association", function()
    local users = M.User:bulkCreate(build("Alice", "Bob", "Charlotte", "David"))
    local posts = M.Post:bulkCreate(build("alpha", "charlie", "delta"))
    local tags = M.Tag:bulkCreate(build("atag", "btag", "dtag"))
    users[1]:addPost(posts[1])
    users[3]:addPost(posts[2])
    users[4]:addPost(posts[3])
    posts[1]:addTag{ tags[1] }
    posts[3]:addTag{ tags[3] }
    local result = page(M.User, { { model = M.Post, required = true,
      include = { { model = M.Tag, required = true } } } })
    assert.are.equal(1, #result)
    assert.are.equal("David", result[1].name)
  end)

  it("supports required many-to-many association with nested required one-to-many association", function()
    local projects = M.Project:bulkCreate(build("alpha", "bravo", "charlie", "delta"))
    local users = M.User:bulkCreate(build("Alice", "Bob", "David"))
    local posts = M.Post:bulkCreate(build("post0", "post1", "post2"))
    projects[1]:addUser(users[1])
    projects[2]:addUser(users[2])
    projects[4]:addUser(users[3])
    users[1]:addPost{ posts[1] }
    users[3]:addPost{ posts[3] }
    local result = page(M.Project, { { model = M.User, required = true,
      include = { { model = M.Post, required = true, duplicating = true } } } })
    assert.are.equal(1, #result)
    assert.are.equal("delta", result[1].name)
  end)

  it("supports required many-to-one association with nested many-to-many association with where clause", function()
    local posts = M.Post:bulkCreate(build("post0", "post1", "post2", "post3"))
    local users = M.User:bulkCreate(build("Alice", "Bob", "Charlotte", "David"))
    local hobbies = M.Hobby:bulkCreate(build("archery", "badminton"))
    posts[1]:setUser(users[1])
    posts[2]:setUser(users[2])
    posts[4]:setUser(users[4])
    users[1]:addHobby(hobbies[1])
    users[2]:addHobby(hobbies[2])
    users[4]:addHobby(hobbies[1])
    local result = page(M.Post, { { model = M.User, required = true,
      include = { { model = M.Hobby, where = { name = "archery" } } } } })
    assert.are.equal(1, #result)
    assert.are.equal("post3", result[1].name)
  end)

  it("supports required many-to-one association with nested many-to-many association with through.where clause", function()
    local posts = M.Post:bulkCreate(build("post0", "post1", "post2", "post3"))
    local users = M.User:bulkCreate(build("Alice", "Bob", "Charlotte", "David"))
    local hobbies = M.Hobby:bulkCreate(build("archery", "badminton"))
    posts[1]:setUser(users[1])
    posts[2]:setUser(users[2])
    posts[4]:setUser(users[4])
    users[1]:addHobby(hobbies[1])
    users[2]:addHobby(hobbies[2])
    users[4]:addHobby(hobbies[1])
    local result = page(M.Post, { { model = M.User, required = true,
      include = { { model = M.Hobby, required = true, through = { where = { HobbyName = "archery" } } } } } })
    assert.are.equal(1, #result)
    assert.are.equal("post3", result[1].name)
  end)

  it("supports required many-to-one association with multiple nested associations with where clause", function()
    local comments = M.Comment:bulkCreate(build("comment0", "comment1", "comment2", "comment3", "comment4", "comment5"))
    local posts = M.Post:bulkCreate(build("post0", "post1", "post2", "post3", "post4"))
    local users = M.User:bulkCreate(build("Alice", "Bob"))
    local tags = M.Tag:bulkCreate(build("tag0", "tag1"))
    comments[1]:setPost(posts[1])
    comments[2]:setPost(posts[2])
    comments[4]:setPost(posts[3])
    comments[5]:setPost(posts[4])
    comments[6]:setPost(posts[5])
    posts[1]:addTag(tags[1])
    posts[4]:addTag(tags[1])
    posts[5]:addTag(tags[1])
    posts[2]:addTag(tags[2])
    posts[1]:setUser(users[1])
    posts[3]:setUser(users[1])
    posts[5]:setUser(users[1])
    posts[2]:setUser(users[2])
    local result = page(M.Comment, { { model = M.Post, required = true, include = {
      { model = M.User, where = { name = "Alice" } },
      { model = M.Tag, where = { name = "tag0" } },
    } } })
    assert.are.equal(1, #result)
    assert.are.equal("comment5", result[1].name)
  end)

  it("supports required many-to-one association with nested one-to-many association with where clause", function()
    local comments = M.Comment:bulkCreate(build("comment0", "comment1", "comment2"))
    local posts = M.Post:bulkCreate(build("post0", "post1", "post2"))
    local footnotes = M.Footnote:bulkCreate(build("footnote0", "footnote1", "footnote2"))
    comments[1]:setPost(posts[1])
    comments[2]:setPost(posts[2])
    comments[3]:setPost(posts[3])
    posts[1]:addFootnote(footnotes[1])
    posts[2]:addFootnote(footnotes[2])
    posts[3]:addFootnote(footnotes[3])
    local result = page(M.Comment, { { model = M.Post, required = true, include = {
      { model = M.Footnote, where = { [Op.or_] = { { name = "footnote0" }, { name = "footnote2" } } } },
    } } })
    assert.are.equal(1, #result)
    assert.are.equal("comment2", result[1].name)
  end)
end)
