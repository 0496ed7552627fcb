-- The class form of a model: Sequelize.Model:extend(name) (`class User extends Model {}`) and
-- Class:init(attributes, { sequelize = db, modelName = ... }) (Sequelize's Model.init), as
-- sequelize-cli's model files write them, on a real :memory: database.

local Sequelize = require("sequelua")
local DataTypes, Model = Sequelize.DataTypes, Sequelize.Model

local function raises(fn, pattern)
  local ok, err = pcall(fn)
  assert.is_false(ok)
  assert.is_table(err)
  assert.matches(pattern, err.message)
  return err
end

describe("Sequelize.Model:extend and init", function()
  it("makes the model in the class's own table: its functions kept, its prototype the instances'", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = Model:extend("User")
    function User.prototype:greet() return "hi " .. self.name end
    function User.associate(models) User:hasMany(models.Post) end
    local Post = Model:extend("Post")
    function Post.associate(models) Post:belongsTo(models.User) end
    assert.equal(User, User:init({ name = DataTypes.STRING }, { sequelize = db }))
    assert.equal(Post, Post:init({ title = DataTypes.STRING }, { sequelize = db }))
    assert.equal("User", User.name)
    assert.equal("Users", User.tableName)
    assert.equal(User, db.models.User)
    assert.equal(Post, db:model("Post"))
    -- (sequelize-cli's models/index.js: every model's associate, given db.models)
    for _, M in pairs(db.models) do
      if M.associate then M.associate(db.models) end
    end
    db:sync()
    local u = User:create{ name = "ann" }
    assert.equal("hi ann", u:greet())
    u:createPost{ title = "first" }
    local list = User:findAll{ include = Post }
    assert.equal(1, #list)
    assert.equal("hi ann", list[1]:greet())
    assert.equal("first", list[1].Posts[1].title)
    assert.equal(1, Post:count{ where = { UserId = u.id } })
    local rows = db:query("SELECT name FROM Users", { type = Sequelize.QueryTypes.SELECT })
    assert.same({ { name = "ann" } }, rows)
  end)

  it("takes define's options, modelName first, and the db's define options and hooks", function()
    local seen = {}
    local db = Sequelize.new("sqlite::memory:", { define = { freezeTableName = true } })
    db:addHook("beforeDefine", function(attrs, opts) seen[#seen + 1] = "before " .. opts.modelName end)
    db:addHook("afterDefine", function(M) seen[#seen + 1] = M end)
    local Item = Model:extend("Thing")
    Item:init({ label = DataTypes.STRING }, { sequelize = db, modelName = "Item", timestamps = false,
      hooks = { beforeCreate = function(i) i.label = i.label .. "!" end } })
    assert.equal("Item", Item.name)
    assert.equal("Item", Item.tableName) -- (freezeTableName from the db's define options)
    assert.same({ "before Item", Item }, seen)
    assert.is_nil(db.models.Thing)
    db:sync()
    local i = Item:create{ label = "x" }
    assert.equal("x!", i.label)
    assert.is_nil(Item.rawAttributes.createdAt)
    local n = db:query("SELECT count(*) AS n FROM Item WHERE label = 'x!'", { type = Sequelize.QueryTypes.SELECT })
    assert.equal(1, n[1].n)
  end)

  it("without a name of its own, init needs modelName", function()
    local db = Sequelize.new("sqlite::memory:")
    local C = Model:extend()
    raises(function() C:init({ a = DataTypes.STRING }, { sequelize = db }) end, "modelName is required")
    C:init({ a = DataTypes.STRING }, { sequelize = db, modelName = "widget" })
    assert.equal("widget", C.name)
    assert.equal("widgets", C.tableName)
  end)

  it("refuses a missing or wrong sequelize, as Sequelize's 'No Sequelize instance passed'", function()
    local C = Model:extend("User")
    raises(function() C:init({ a = DataTypes.STRING }) end, "^No Sequelize instance passed$")
    raises(function() C:init({ a = DataTypes.STRING }, {}) end, "^No Sequelize instance passed$")
    raises(function() C:init({ a = DataTypes.STRING }, { sequelize = {} }) end, "must be a Sequelize object")
    raises(function() C:init({ a = DataTypes.STRING }, 5) end, "options must be a table")
  end)

  it("a class not initialized names the member used and the call to make", function()
    local C = Model:extend("User")
    assert.equal("User", C.name)
    raises(function() return C:findAll() end, "User is not initialized: call User:init%(.*before using findAll")
    raises(function() return C.rawAttributes end, "before using rawAttributes")
  end)

  it("a definition refused leaves the class as it was, to init again; nothing is defined", function()
    local db = Sequelize.new("sqlite::memory:")
    local C = Model:extend("User")
    function C.prototype:hello() return "hello" end
    function C.helper() return 42 end
    raises(function() C:init({ name = { type = "nope" } }, { sequelize = db }) end, "User%.name: type must be a DataTypes value")
    raises(function() C:init({ name = DataTypes.STRING }, { sequelize = db, paranoid = 3 }) end, "paranoid must be a boolean")
    assert.is_nil(db.models.User)
    assert.is_nil(rawget(C, "rawAttributes"))
    assert.equal(42, C.helper())
    C:init({ name = DataTypes.STRING }, { sequelize = db })
    db:sync()
    assert.equal("hello", C:create{ name = "x" }:hello())
  end)

  it("init is a method of a class extend made, called once", function()
    local db = Sequelize.new("sqlite::memory:")
    local C = Model:extend("User")
    raises(function() C.init({ a = DataTypes.STRING }, { sequelize = db }) end, "call it with a colon")
    raises(function() Model:init({ a = DataTypes.STRING }, { sequelize = db }) end, "not on Sequelize.Model")
    raises(function() Model.extend("User") end, "on Sequelize.Model, with a colon")
    raises(function() Model:extend(5) end, "class name must be a non%-empty string")
    C:init({ a = DataTypes.STRING }, { sequelize = db })
    raises(function() C:init({ a = DataTypes.STRING }, { sequelize = db }) end, "already initialized")
    local D = db:define("Other", { b = DataTypes.STRING })
    raises(function() D:init({ a = DataTypes.STRING }, { sequelize = db }) end, "Other:init: the model is already initialized")
  end)
end)

describe("Sequelize.Model:init (review)", function()
  it("an afterDefine hook that raises leaves the class a model, as db:define leaves its model", function()
    local db = Sequelize.new("sqlite::memory:")
    db:addHook("afterDefine", function(M) if M.name == "User" then error("boom") end end)
    local User = Model:extend("User")
    function User.prototype:hello() return "hello " .. self.name end
    local ok, err = pcall(User.init, User, { name = DataTypes.STRING }, { sequelize = db })
    assert.is_false(ok)
    assert.matches("boom", tostring(err))
    -- (Sequelize's init runs afterDefine last: the model is made and registered by then)
    assert.equal(User, db.models.User)
    assert.equal(1, #db.modelManager.models)
    db:sync()
    assert.equal("hello ann", User:create{ name = "ann" }:hello())
    local D = db:define("Other", { a = DataTypes.STRING }) -- (a hook of that kind does not fail this one)
    assert.equal(D, db.models.Other)
  end)

  it("Sequelize.Model.init(Class, ...) is super.init for a class whose own static init calls it", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = Model:extend("User")
    -- (class User extends Model { static init(sequelize) { return super.init({...}, { sequelize }) } })
    function User.init(sequelize)
      return Sequelize.Model.init(User, { name = DataTypes.STRING }, { sequelize = sequelize })
    end
    assert.equal(User, User.init(db))
    assert.equal(User, db.models.User)
    db:sync()
    assert.equal("ann", User:create{ name = "ann" }.name)
    raises(function() Sequelize.Model.init(User, { a = DataTypes.STRING }, { sequelize = db }) end, "already initialized")
    raises(function() Sequelize.Model.init(Sequelize.Model, {}, { sequelize = db }) end, "not on Sequelize.Model")
  end)
end)
