-- Port of Sequelize v6's test/integration/instance/reload.test.js (branch v6), sqlite dialect.
-- Skipped:
--   supports transactions: one connection per db, a read without `transaction` joins the open one
--     (README, "Decisions that differ"; as port_save_spec)
-- "should update internal options of the instance" checks what reload reads (its include), not
-- Sequelize's private `_options`. The fake clock's tick is replaced by an updatedAt set back in the table.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("Instance (port of instance/reload.test.js)", function()
  local db, User

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING },
      uuidv1 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1 },
      uuidv4 = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
      touchedAt = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
      aNumber = { type = DataTypes.INTEGER },
      bNumber = { type = DataTypes.INTEGER },
      aDate = { type = DataTypes.DATE },
      validateTest = { type = DataTypes.INTEGER, allowNull = true, validate = { isInt = true } },
      validateCustom = { type = DataTypes.STRING, allowNull = true,
                         validate = { len = { msg = "Length failed.", args = { 1, 20 } } } },
      dateAllowNullTrue = { type = DataTypes.DATE, allowNull = true },
      isSuperUser = { type = DataTypes.BOOLEAN, defaultValue = false },
    })
    User:sync({ force = true })
  end)
  after_each(function() db:close() end)

  local function book_pages()
    local Book = db:define("Book", { title = DataTypes.STRING })
    local Page = db:define("Page", { content = DataTypes.TEXT })
    Book:hasMany(Page)
    Page:belongsTo(Book)
    Book:sync({ force = true })
    Page:sync({ force = true })
    return Book, Page
  end

  local function team_players()
    local Team = db:define("Team", { name = DataTypes.STRING })
    local Player = db:define("Player", { name = DataTypes.STRING })
    Team:hasMany(Player)
    Player:belongsTo(Team)
    db:sync({ force = true })
    local team = Team:create({ name = "the team", Players = { { name = "the player1" }, { name = "the player2" } } },
      { include = { Player } })
    return Team:findOne{ where = { id = team.id }, include = { Player } }
  end

  describe("reload", function()
    it("should return a reference to the same DAO instead of creating a new one", function()
      local originalUser = User:create{ username = "John Doe" }
      originalUser:update{ username = "Doe John" }
      local updatedUser = originalUser:reload()
      assert.is_true(rawequal(originalUser, updatedUser))
    end)

    it("should use default internal where", function()
      local user = User:create{ username = "Balak Bukhara" }
      local anotherUser = User:create{ username = "John Smith" }
      local primaryKey = user:get("id")
      user:reload()
      assert.equal(primaryKey, user:get("id"))
      user:reload{ where = { id = anotherUser:get("id") } }
      assert.equal(primaryKey, user:get("id"))
      assert.are_not.equal(anotherUser:get("id"), user:get("id"))
      assert.equal("Balak Bukhara", user.username)
    end)

    it("should update the values on all references to the DAO", function()
      local originalUser = User:create{ username = "John Doe" }
      local updater = User:findByPk(originalUser.id)
      updater:update{ username = "Doe John" }
      assert.equal("John Doe", originalUser.username)
      local updatedUser = originalUser:reload()
      assert.equal("Doe John", originalUser.username)
      assert.equal("Doe John", updatedUser.username)
    end)

    it("should support updating a subset of attributes", function()
      local user1 = User:create{ aNumber = 1, bNumber = 1 }
      User:update({ bNumber = 2 }, { where = { id = user1:get("id") } })
      local user = user1:reload{ attributes = { "bNumber" } }
      assert.equal(1, user:get("aNumber"))
      assert.equal(2, user:get("bNumber"))
    end)

    it("should update read only attributes as well (updatedAt)", function()
      local OLD = "2000-01-01T00:00:00.000Z"
      local originalUser = User:create{ username = "John Doe" }
      User:update({ updatedAt = OLD }, { where = { id = originalUser.id }, silent = true })
      originalUser:reload()
      assert.equal(OLD, originalUser.updatedAt)
      local updater = User:findByPk(originalUser.id)
      local updatedUser = updater:update{ username = "Doe John" }
      originalUser:reload()
      assert.is_true(originalUser.updatedAt > OLD)
      assert.is_true(updatedUser.updatedAt > OLD)
      assert.equal(updatedUser.updatedAt, originalUser.updatedAt)
    end)

    it("should update the associations as well", function()
      local Book, Page = book_pages()
      local book = Book:create{ title = "A very old book" }
      local page = Page:create{ content = "om nom nom" }
      book:setPages{ page }
      local leBook = Book:findOne{ where = { id = book.id }, include = { Page } }
      local page0 = page:update{ content = "something totally different" }
      assert.equal(1, #leBook.Pages)
      assert.equal("om nom nom", leBook.Pages[1].content)
      assert.equal("something totally different", page0.content)
      local leBook0 = leBook:reload()
      assert.equal(1, #leBook0.Pages)
      assert.equal("something totally different", leBook0.Pages[1].content)
      assert.equal("something totally different", page0.content)
    end)

    it("should update internal options of the instance", function()
      local Book, Page = book_pages()
      local book = Book:create{ title = "A very old book" }
      local page = Page:create()
      book:setPages{ page }
      local leBook = Book:findOne{ where = { id = book.id } }
      assert.is_nil(leBook.Pages)
      local leBook0 = leBook:reload{ include = { Page } }
      assert.equal(1, #leBook0.Pages)
      assert.equal(1, #leBook0:get{ plain = true }.Pages)
      leBook0:reload() -- (the include is kept, as Sequelize's _options)
      assert.equal(1, #leBook0.Pages)
    end)

    it("should return an error when reload fails", function()
      local user = User:create{ username = "John Doe" }
      user:destroy()
      local err = support.catch_error(function() user:reload() end)
      assert.is_true(err:is(Sequelize.errors.InstanceError))
      assert.equal("Instance could not be reloaded because it does not exist anymore (find call returned null)",
        err.message)
    end)

    it("should set an association to null after deletion, 1-1", function()
      local Shoe = db:define("Shoe", { brand = DataTypes.STRING })
      local Player = db:define("Player", { name = DataTypes.STRING })
      Player:hasOne(Shoe)
      Shoe:belongsTo(Player)
      db:sync({ force = true })
      local shoe = Shoe:create({ brand = "the brand", Player = { name = "the player" } }, { include = { Player } })
      local lePlayer1 = Player:findOne{ where = { id = shoe.Player.id }, include = { Shoe } }
      assert.truthy(lePlayer1.Shoe)
      lePlayer1.Shoe:destroy()
      local lePlayer = lePlayer1:reload()
      assert.is_nil(lePlayer.Shoe)
      assert.equal(Sequelize.null, lePlayer:toJSON().Shoe)
    end)

    it("should set an association to empty after all deletion, 1-N", function()
      local leTeam1 = team_players()
      assert.equal(2, #leTeam1.Players)
      leTeam1.Players[2]:destroy()
      leTeam1.Players[1]:destroy()
      local leTeam = leTeam1:reload()
      assert.same({}, leTeam.Players)
    end)

    it("should update the associations after one element deleted", function()
      local leTeam1 = team_players()
      assert.equal(2, #leTeam1.Players)
      leTeam1.Players[1]:destroy()
      local leTeam = leTeam1:reload()
      assert.equal(1, #leTeam.Players)
    end)

    it("should inject default scope when reloading", function()
      local Bar = db:define("Bar", { name = DataTypes.TEXT })
      local Foo = db:define("Foo", { name = DataTypes.TEXT }, { defaultScope = { include = { { model = Bar } } } })
      Bar:belongsTo(Foo)
      Foo:hasMany(Bar)
      db:sync()
      local foo = Foo:create{ name = "foo" }
      foo:createBar{ name = "bar" }
      local fooFromFind = Foo:findByPk(foo.id)
      assert.truthy(fooFromFind.Bars)
      assert.equal("bar", fooFromFind.Bars[1].name)
      foo:reload()
      assert.truthy(foo.Bars)
      assert.equal("bar", foo.Bars[1].name)
    end)
  end)
end)
