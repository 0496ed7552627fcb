-- Port of Sequelize v6's test/integration/dialects/sqlite/dao-factory.test.js (branch v6), sqlite dialect.
-- Skipped:
--   should make aliased attributes available: it.skip in Sequelize
-- The storage is a file there ("test.sqlite"); here a :memory: database (no file to leave behind).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("[SQLITE Specific] DAOFactory (port of dialects/sqlite/dao-factory.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      age = DataTypes.INTEGER,
      name = DataTypes.STRING,
      bio = DataTypes.TEXT,
    })
    User:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("create", function()
    it("creates a table entry", function()
      local user = User:create({ age = 21, name = "John Wayne", bio = "noot noot" })
      assert.are.equal(21, user.age)
      assert.are.equal("John Wayne", user.name)
      assert.are.equal("noot noot", user.bio)
      local usernames = {}
      for _, u in ipairs(User:findAll()) do usernames[#usernames + 1] = u.name end
      assert.are.same({ "John Wayne" }, usernames)
    end)

    it("should allow the creation of an object with options as attribute", function()
      local Person = db:define("Person", { name = DataTypes.STRING, options = DataTypes.TEXT })
      Person:sync({ force = true })
      local options = Sequelize.stringify({ foo = "bar", bar = "foo" })
      local people = Person:create({ name = "John Doe", options = options })
      assert.are.equal(options, people.options)
      assert.are.equal(options, Person:findOne().options)
    end)

    it("should allow the creation of an object with a boolean (true) as attribute", function()
      local Person = db:define("Person", { name = DataTypes.STRING, has_swag = DataTypes.BOOLEAN })
      Person:sync({ force = true })
      local people = Person:create({ name = "John Doe", has_swag = true })
      assert.is_true(people.has_swag)
      assert.is_true(Person:findOne().has_swag)
    end)

    it("should allow the creation of an object with a boolean (false) as attribute", function()
      local Person = db:define("Person", { name = DataTypes.STRING, has_swag = DataTypes.BOOLEAN })
      Person:sync({ force = true })
      local people = Person:create({ name = "John Doe", has_swag = false })
      assert.is_false(people.has_swag)
      assert.is_false(Person:findOne().has_swag)
    end)
  end)

  describe(".findOne", function()
    before_each(function() User:create({ name = "user", bio = "footbar" }) end)

    it("finds normal lookups", function()
      local user = User:findOne({ where = { name = "user" } })
      assert.are.equal("user", user.name)
    end)
  end)

  describe(".all", function()
    before_each(function()
      User:bulkCreate({ { name = "user", bio = "foobar" }, { name = "user", bio = "foobar" } })
    end)

    it("should return all users", function()
      assert.are.equal(2, #User:findAll())
    end)
  end)

  describe(".min", function()
    it("should return the min value", function()
      local users = {}
      for i = 2, 4 do users[#users + 1] = { age = i } end
      User:bulkCreate(users)
      assert.are.equal(2, User:min("age"))
    end)
  end)

  describe(".max", function()
    it("should return the max value", function()
      local users = {}
      for i = 2, 5 do users[#users + 1] = { age = i } end
      User:bulkCreate(users)
      assert.are.equal(5, User:max("age"))
    end)
  end)
end)
