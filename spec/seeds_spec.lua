-- seeds_spec: every code example of the tutorial pages in ../shared/seeds/, translated to Lua
-- by API.md's rules and run for real against sqlite :memory:.
--   000/001  One-to-One Users/Stories (foreignKey created_by, aliases story/author, nested create)
--   002      One to One user/profile (hasOne + belongsTo, setProfile, getProfile, include)
--   003      the old association docs (belongsTo/hasOne/hasMany/belongsToMany, naming, accessors,
--            join-table values, referential actions, the Document/Version cycle, Series/Trainer/Video)
-- Where a page's example is incomplete (no attributes, no `through`, old option names) it is
-- completed minimally; each completion is commented. Expectations marked "Sequelize:" were
-- checked against sequelize 6.37.8 + sqlite3 running the same script; DDL is rearranged into
-- sequelua's column order (primary keys, other attributes by name, createdAt, updatedAt,
-- foreign keys added by associations in the order they were made).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

-- table names in the order they were created
local function created_tables(log)
  local out = {}
  for _, sql in ipairs(support.creates(log)) do
    out[#out + 1] = sql:match("^CREATE TABLE IF NOT EXISTS `([^`]+)`")
  end
  return out
end

-- JSON with every ISO timestamp replaced by "D"
local function norm(s)
  return (s:gsub('"%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ"', '"D"'))
end

local function json(x, indent)
  return norm(Sequelize.stringify(x, indent))
end

local function has_method(inst, name)
  return type(inst[name]) == "function"
end

---------------------------------------------------------------------------------------------
-- 000 / 001: One-to-One Relationships (Users / Stories)
---------------------------------------------------------------------------------------------
describe("seed 000/001: Users hasOne story / Stories belongsTo author", function()
  local db, log, Users, Stories

  -- Users is the previous chapter's model (not on the page): API.md's definition of it.
  -- Stories and the associations below are the page's code.
  local function define()
    db, log = support.open()
    Users = support.define_seed_users(db)
    Stories = db:define("Stories", {
      story_id = {
        type = DataTypes.INTEGER.UNSIGNED,
        primaryKey = true,
        autoIncrement = true,
      },
      created_by = {
        type = DataTypes.INTEGER.UNSIGNED,
        allowNull = false,
        references = {
          model = Users, -- or "Users"
          key = "user_id",
        },
      },
      title = {
        type = DataTypes.STRING(255),
        allowNull = false,
      },
      content = {
        type = DataTypes.TEXT,
        allowNull = false,
      },
    }, {
      tableName = "stories",
      timestamps = true,
      createdAt = "created_at",
      updatedAt = "updated_at",
    })
    Users:hasOne(Stories, {
      -- the user can have only one story
      foreignKey = "created_by", -- the key that references Users in Stories
      as = "story",              -- relationship alias
    })
    Stories:belongsTo(Users, {
      -- the story has an author (who is the user)
      foreignKey = "created_by", -- the key that references Users in Stories
      as = "author",             -- relationship alias
    })
    db:sync()
  end

  local function create_boris()
    return Users:create({
      username = "boris",
      email = "boris@example.com",
      password = "kvass123",
      story = {
        title = "cheeki breeki cheburek",
        content = "how to make cheburek at your cousin's place",
      },
    }, { include = "story" })
  end

  before_each(define)
  after_each(function() db:close() end)

  it("gives Sequelize's DDL: created_by is the key (no extra column), hasOne's CASCADE on NOT NULL", function()
    -- Sequelize (hasOne defined first, created_by NOT NULL): ON DELETE CASCADE ON UPDATE CASCADE
    assert.are.same({ "users", "stories" }, created_tables(log))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `users` (`user_id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`email` VARCHAR(255), `password` VARCHAR(255), `username` VARCHAR(255) NOT NULL UNIQUE, "
      .. "`created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL);", support.create_of(log, "users"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `stories` (`story_id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`content` TEXT NOT NULL, `created_by` INTEGER NOT NULL REFERENCES `users` (`user_id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`title` VARCHAR(255) NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL);",
      support.create_of(log, "stories"))
    assert.are.same({ "story_id", "content", "created_by", "title", "created_at", "updated_at" },
      support.column_names(db, "stories"))
    assert.is_not_nil(Users.associations.story)
    assert.is_not_nil(Stories.associations.author)
    -- Sequelize: accessors getStory/setStory/createStory and getAuthor/setAuthor/createAuthor
    local u, s = Users:build({ username = "x" }), Stories:build({ title = "t" })
    for _, m in ipairs({ "getStory", "setStory", "createStory" }) do assert.is_true(has_method(u, m), m) end
    for _, m in ipairs({ "getAuthor", "setAuthor", "createAuthor" }) do assert.is_true(has_method(s, m), m) end
  end)

  it("creates a user and its story with include = \"story\"; created_by is filled in", function()
    local user = create_boris()
    assert.are.equal(1, user.user_id)
    assert.are.equal("cheeki breeki cheburek", user.story.title)
    assert.are.equal(1, user.story.created_by)
    assert.are.equal(1, user.story.story_id)
    assert.are.equal("{\"user_id\":1,\"email\":\"boris@example.com\",\"password\":\"kvass123\",\"username\":\"boris\","
      .. "\"created_at\":\"D\",\"updated_at\":\"D\",\"story\":{\"story_id\":1,"
      .. "\"content\":\"how to make cheburek at your cousin's place\",\"created_by\":1,"
      .. "\"title\":\"cheeki breeki cheburek\",\"created_at\":\"D\",\"updated_at\":\"D\"}}", json(user))
    local rows = support.raw(db, "SELECT story_id, created_by, title, content FROM stories")
    assert.are.same({ { story_id = 1, created_by = 1, title = "cheeki breeki cheburek",
      content = "how to make cheburek at your cousin's place" } }, rows)
    assert.are.same({ { user_id = 1, username = "boris", email = "boris@example.com", password = "kvass123" } },
      support.raw(db, "SELECT user_id, username, email, password FROM users"))
  end)

  it("a nested create whose story fails writes nothing (API.md: atomic)", function()
    -- Sequelize itself leaves the user row behind; API.md makes the create atomic.
    local err = support.catch(function()
      Users:create({ username = "ivan", story = { title = "no content" } }, { include = "story" })
    end)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal("notNull Violation: Stories.content cannot be null", err.message)
    assert.are.equal(0, Users:count())
    assert.are.equal(0, Stories:count())
  end)

  it("creates a story separately with created_by = 1; created_by is then required and checked", function()
    Users:create({ username = "boris", email = "boris@example.com", password = "kvass123" })
    local story = Stories:create({
      created_by = 1, -- user id
      title = "cheeki breeki cheburek",
      content = "how to make cheburek at your cousin's place",
    })
    assert.are.equal(1, story.story_id)
    assert.are.equal(1, story.created_by)
    local author = story:getAuthor()
    assert.are.equal("boris", author.username)

    local err = support.catch(function() Stories:create({ title = "t", content = "c" }) end)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal("notNull Violation: Stories.created_by cannot be null", err.message)
    err = support.catch(function() Stories:create({ created_by = 42, title = "t", content = "c" }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal("FOREIGN KEY constraint failed", err.message)
    assert.are.same({ { n = 1 } }, support.raw(db, "SELECT count(*) AS n FROM stories"))
  end)

  it("findAll with include = \"story\" nests the story under its alias (null when none)", function()
    create_boris()
    Users:create({ username = "anna", email = "anna@example.com", password = "x" })
    local list = Users:findAll({
      include = "story",
    })
    assert.are.equal(2, #list)
    assert.are.equal("[{\"user_id\":1,\"email\":\"boris@example.com\",\"password\":\"kvass123\",\"username\":\"boris\","
      .. "\"created_at\":\"D\",\"updated_at\":\"D\",\"story\":{\"story_id\":1,"
      .. "\"content\":\"how to make cheburek at your cousin's place\",\"created_by\":1,"
      .. "\"title\":\"cheeki breeki cheburek\",\"created_at\":\"D\",\"updated_at\":\"D\"}},"
      .. "{\"user_id\":2,\"email\":\"anna@example.com\",\"password\":\"x\",\"username\":\"anna\","
      .. "\"created_at\":\"D\",\"updated_at\":\"D\",\"story\":null}]", json(list))
    assert.are.equal("cheeki breeki cheburek", list[1].story.title)
    assert.is_nil(list[2].story)
  end)

  it("findAll with include = \"author\" nests the user under author", function()
    create_boris()
    local list = Stories:findAll({
      include = "author",
    })
    assert.are.equal("[{\"story_id\":1,\"content\":\"how to make cheburek at your cousin's place\",\"created_by\":1,"
      .. "\"title\":\"cheeki breeki cheburek\",\"created_at\":\"D\",\"updated_at\":\"D\","
      .. "\"author\":{\"user_id\":1,\"email\":\"boris@example.com\",\"password\":\"kvass123\",\"username\":\"boris\","
      .. "\"created_at\":\"D\",\"updated_at\":\"D\"}}]", json(list))
    assert.are.equal("boris", list[1].author.username)
  end)

  local EXCLUDED = "[{\"story_id\":1,\"content\":\"how to make cheburek at your cousin's place\",\"created_by\":1,"
    .. "\"title\":\"cheeki breeki cheburek\",\"created_at\":\"D\",\"updated_at\":\"D\","
    .. "\"author\":{\"user_id\":1,\"email\":\"boris@example.com\",\"username\":\"boris\","
    .. "\"created_at\":\"D\",\"updated_at\":\"D\"}}]"

  it("include { model = Users, as = \"author\", attributes = { exclude = { \"password\" } } } (page 000)", function()
    create_boris()
    local list = Stories:findAll({
      include = {
        model = Users,
        as = "author",
        attributes = { exclude = { "password" } },
      },
    })
    assert.are.equal(EXCLUDED, json(list))
    assert.is_nil(list[1].author.password)
  end)

  it("include { association = \"author\", attributes = { exclude = { \"password\" } } } (page 001)", function()
    create_boris()
    local list = Stories:findAll({
      include = {
        -- model = Users,
        -- as = "author",
        -- or the shortcut for the 2 lines above
        association = "author",
        attributes = { exclude = { "password" } },
      },
    })
    assert.are.equal(EXCLUDED, json(list))
  end)

  it("\"when a relationship has an alias, it must be queried with the alias\"", function()
    create_boris()
    -- Sequelize: EagerLoadingError / plain Error with these messages
    local err = support.catch(function() Users:findAll({ include = Stories }) end)
    assert.are.equal("SequelizeEagerLoadingError", err.name)
    assert.are.equal("Stories is associated to Users using an alias. You must use the 'as' keyword to specify "
      .. "the alias within your include statement.", err.message)
    err = support.catch(function() Users:findAll({ include = { model = Stories, as = "tale" } }) end)
    assert.are.equal("SequelizeEagerLoadingError", err.name)
    assert.are.equal("Stories is associated to Users using an alias. You've included an alias (tale), but it does "
      .. "not match the alias(es) defined in your association (story).", err.message)
    err = support.catch(function() Users:findAll({ include = "author" }) end)
    assert.are.equal("Error", err.name)
    assert.are.equal("Association with alias \"author\" does not exist on Users", err.message)
    -- the aliased forms work
    assert.are.equal("boris", Stories:findAll({ include = { model = Users, as = "author" } })[1].author.username)
  end)

  it("a user with two stories through hasOne comes back once per story (Sequelize: no merge without a to-many include)", function()
    create_boris()
    Stories:create({ created_by = 1, title = "second", content = "c2" })
    local list = Users:findAll({ include = "story" })
    assert.are.equal(2, #list)
    assert.are.same({ 1, 1 }, support.ids(list, "user_id"))
    local titles = { list[1].story.title, list[2].story.title }
    table.sort(titles)
    assert.are.same({ "cheeki breeki cheburek", "second" }, titles)
  end)

  it("the accessors read and write through created_by", function()
    local boris = create_boris()
    local anna = Users:create({ username = "anna" })
    assert.are.equal("cheeki breeki cheburek", boris:getStory().title)
    assert.is_nil(anna:getStory())
    local s2 = anna:createStory({ title = "t2", content = "c2" })
    assert.are.equal(anna.user_id, s2.created_by)
    local story = Stories:findByPk(1)
    story:setAuthor(anna)
    assert.are.same({ { created_by = 2 } }, support.raw(db, "SELECT created_by FROM stories WHERE story_id = 1"))
    assert.are.equal("anna", story:getAuthor().username)
  end)

  it("deleting a user cascades to its stories (ON DELETE CASCADE)", function()
    create_boris()
    Users:create({ username = "anna" })
    Stories:create({ created_by = 2, title = "t", content = "c" })
    Users:destroy({ where = { username = "boris" } })
    assert.are.same({ { created_by = 2 } }, support.raw(db, "SELECT created_by FROM stories"))
  end)
end)

---------------------------------------------------------------------------------------------
-- 002: One to One (user / profile)
---------------------------------------------------------------------------------------------
describe("seed 002: user hasOne profile, profile belongsTo user", function()
  local db, log

  after_each(function() db:close() end)

  it("the page's lower-case models: userId on profiles, SET NULL / CASCADE", function()
    db, log = support.open()
    -- the page leaves the attributes out; its output shows name, email and bio
    local User = db:define("user", { name = DataTypes.STRING, email = DataTypes.STRING })
    local Profile = db:define("profile", { bio = DataTypes.STRING })
    User:hasOne(Profile)
    Profile:belongsTo(User)
    db:sync()
    -- Sequelize (sqlite form of the page's MySQL DDL):
    assert.are.equal("CREATE TABLE IF NOT EXISTS `users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`email` VARCHAR(255), `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
      support.create_of(log, "users"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `profiles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`bio` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`userId` INTEGER REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
      support.create_of(log, "profiles"))
    assert.are.same({ "users", "profiles" }, created_tables(log))

    local user = User:create({ name = "John Doe", email = "john.doe#example.com" })
    local profile = Profile:create({ bio = "I am a new user" })
    -- set the association
    user:setProfile(profile)
    user:save()
    assert.are.same({ { userId = 1 } }, support.raw(db, "SELECT userId FROM profiles"))
    -- Sequelize: the include key is the model name, "profile"
    local u = User:findOne({ where = { name = "John Doe" }, include = { Profile } })
    assert.are.equal("{\"id\":1,\"email\":\"john.doe#example.com\",\"name\":\"John Doe\",\"createdAt\":\"D\",\"updatedAt\":\"D\","
      .. "\"profile\":{\"id\":1,\"bio\":\"I am a new user\",\"createdAt\":\"D\",\"updatedAt\":\"D\",\"userId\":1}}", json(u))
    assert.are.equal("John Doe", profile:getUser().name)
  end)

  describe("the full code (07_one_to_one.js: models User and Profile)", function()
    local User, Profile

    before_each(function()
      db, log = support.open()
      User = db:define("User", {
        name = { type = DataTypes.STRING, allowNull = false },
        email = { type = DataTypes.TEXT, allowNull = false },
      }, {})
      Profile = db:define("Profile", {
        bio = { type = DataTypes.TEXT, allowNull = true },
      }, {})
      User:hasOne(Profile)
      Profile:belongsTo(User)
      db:sync()
      local user = User:create({ name = "John Doe", email = "john.doe#example.com" })
      local profile = Profile:create({ bio = "I am a new user" })
      user:setProfile(profile)
      user:save() -- save the user, so that it gets the profile's id as foreign key
    end)

    it("defines UserId on Profiles", function()
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Profiles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
        .. "`bio` TEXT, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
        .. "`UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
        support.create_of(log, "Profiles"))
      assert.are.same({ { id = 1, bio = "I am a new user", UserId = 1 } },
        support.raw(db, "SELECT id, bio, UserId FROM Profiles"))
    end)

    it("findOne does not include the profile; getProfile fetches it (output as on the page)", function()
      -- Get a user
      local user = User:findOne({
        where = {
          name = "John Doe",
        },
      })
      -- the page's output, keys in sequelua's column order
      assert.are.equal(table.concat({
        "{",
        "    \"id\": 1,",
        "    \"email\": \"john.doe#example.com\",",
        "    \"name\": \"John Doe\",",
        "    \"createdAt\": \"D\",",
        "    \"updatedAt\": \"D\"",
        "}",
      }, "\n"), json(user, 4))
      assert.is_nil(user.Profile)
      -- Get profile
      local profile = user:getProfile()
      assert.are.equal(table.concat({
        "{",
        "    \"id\": 1,",
        "    \"bio\": \"I am a new user\",",
        "    \"createdAt\": \"D\",",
        "    \"updatedAt\": \"D\",",
        "    \"UserId\": 1",
        "}",
      }, "\n"), json(profile, 4))
    end)

    it("include = { Profile } eager-loads it under \"Profile\" (output as on the page)", function()
      local user = User:findOne({
        where = {
          name = "John Doe",
        },
        include = { Profile },
      })
      assert.are.equal(table.concat({
        "{",
        "    \"id\": 1,",
        "    \"email\": \"john.doe#example.com\",",
        "    \"name\": \"John Doe\",",
        "    \"createdAt\": \"D\",",
        "    \"updatedAt\": \"D\",",
        "    \"Profile\": {",
        "        \"id\": 1,",
        "        \"bio\": \"I am a new user\",",
        "        \"createdAt\": \"D\",",
        "        \"updatedAt\": \"D\",",
        "        \"UserId\": 1",
        "    }",
        "}",
      }, "\n"), json(user, 4))
      assert.are.equal("I am a new user", user.Profile.bio)
    end)

    it("setProfile moves the profile: the old owner's profile is unlinked, the row kept", function()
      local jane = User:create({ name = "Jane", email = "jane#example.com" })
      local p = Profile:findByPk(1)
      jane:setProfile(p)
      assert.are.same({ { id = 1, UserId = 2 } }, support.raw(db, "SELECT id, UserId FROM Profiles"))
      assert.is_nil(User:findByPk(1):getProfile())
      jane:setProfile(nil)
      assert.are.same({ { id = 1, UserId = Sequelize.null } }, support.raw(db, "SELECT id, UserId FROM Profiles"))
    end)
  end)
end)

---------------------------------------------------------------------------------------------
-- 003: the association docs
---------------------------------------------------------------------------------------------
describe("seed 003: one-to-one associations", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("Player:belongsTo(Team) adds TeamId to Player", function()
    local Player = db:define("Player", {})
    local Team = db:define("Team", {})
    Player:belongsTo(Team) -- Will add a TeamId attribute to Player to hold the primary key value for Team
    db:sync()
    assert.is_not_nil(Player.rawAttributes.TeamId)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Players` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`TeamId` INTEGER REFERENCES `Teams` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Players"))
    assert.are.same({ "Teams", "Players" }, created_tables(log))
    local team, player = Team:create({}), Player:create({})
    player:setTeam(team)
    assert.are.same({ { TeamId = 1 } }, support.raw(db, "SELECT TeamId FROM Players"))
    assert.are.equal(1, Player:findByPk(1):getTeam().id)
  end)

  it("User:belongsTo(Company) adds CompanyId", function()
    local User = db:define("User", {})
    local Company = db:define("Company", {})
    User:belongsTo(Company) -- Will add CompanyId to user
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "CompanyId" }, support.column_names(db, "Users"))
  end)

  it("underscored User:belongsTo(Company with a uuid key) adds company_uuid (attribute CompanyUuid)", function()
    local User = db:define("User", {}, { underscored = true })
    local Company = db:define("Company", {
      uuid = {
        type = DataTypes.UUID,
        primaryKey = true,
      },
    })
    User:belongsTo(Company) -- Will add company_uuid to user
    db:sync()
    -- Sequelize: underscored User's table is `users` with created_at/updated_at
    assert.are.equal("CREATE TABLE IF NOT EXISTS `users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, "
      .. "`company_uuid` UUID REFERENCES `Companies` (`uuid`) ON DELETE SET NULL ON UPDATE CASCADE);",
      support.create_of(log, "users"))
    assert.are.equal("company_uuid", User.rawAttributes.CompanyUuid.field)
    local uuid = "11111111-2222-4333-8444-555555555555"
    local company = Company:create({ uuid = uuid })
    local user = User:create({})
    user:setCompany(company)
    assert.are.same({ { company_uuid = uuid } }, support.raw(db, "SELECT company_uuid FROM users"))
    local back = User:findByPk(1)
    assert.are.equal(uuid, back.CompanyUuid)
    assert.are.equal(uuid, back:getCompany().uuid)
  end)

  it("as = \"Role\" adds RoleId rather than UserRoleId", function()
    local User = db:define("User", {})
    local UserRole = db:define("UserRole", {})
    User:belongsTo(UserRole, { as = "Role" }) -- Adds RoleId to user rather than UserRoleId
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "RoleId" }, support.column_names(db, "Users"))
    assert.is_nil(User.rawAttributes.UserRoleId)
    local role = UserRole:create({})
    local user = User:create({})
    user:setRole(role)
    assert.are.equal(role.id, User:findByPk(user.id):getRole().id)
  end)

  it("foreignKey = \"fk_company\" is used as-is", function()
    local User = db:define("User", {})
    local Company = db:define("Company", {})
    User:belongsTo(Company, { foreignKey = "fk_company" }) -- Adds fk_company to User
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "fk_company" }, support.column_names(db, "Users"))
    local c, u = Company:create({}), User:create({})
    u:setCompany(c)
    assert.are.same({ { fk_company = 1 } }, support.raw(db, "SELECT fk_company FROM Users"))
  end)

  it("Project:hasOne(User) adds ProjectId to User; getUser / setUser", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    Project:hasOne(User)
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`ProjectId` INTEGER REFERENCES `Projects` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Users"))
    local p, u = Project:create({}), User:create({})
    assert.is_true(has_method(p, "getUser") and has_method(p, "setUser") and has_method(p, "createUser"))
    p:setUser(u)
    assert.are.same({ { ProjectId = 1 } }, support.raw(db, "SELECT ProjectId FROM Users"))
    assert.are.equal(u.id, p:getUser().id)
  end)

  it("with underscore style the attribute added by hasOne is stored as project_id", function()
    local User = db:define("User", {}, { underscored = true })
    local Project = db:define("Project", {})
    Project:hasOne(User)
    db:sync()
    -- Sequelize: attribute ProjectId, column project_id (the holder's underscored)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, "
      .. "`project_id` INTEGER REFERENCES `Projects` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "users"))
    assert.are.equal("project_id", User.rawAttributes.ProjectId.field)
    local p = Project:create({})
    local u = p:createUser({})
    assert.are.equal(1, u.ProjectId)
    assert.are.same({ { project_id = 1 } }, support.raw(db, "SELECT project_id FROM users"))
    assert.are.equal(u.id, p:getUser().id)
  end)

  it("Project:hasOne(User, { foreignKey = \"initiator_id\" })", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    Project:hasOne(User, { foreignKey = "initiator_id" })
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "initiator_id" }, support.column_names(db, "Users"))
    local p = Project:create({})
    local u = p:createUser({})
    assert.are.equal(p.id, u.initiator_id)
  end)

  it("Project:hasOne(User, { as = \"Initiator\" }) gives getInitiator / setInitiator", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    Project:hasOne(User, { as = "Initiator" })
    db:sync()
    -- Sequelize: the key is InitiatorId (hasOne uses the alias)
    assert.are.same({ "id", "createdAt", "updatedAt", "InitiatorId" }, support.column_names(db, "Users"))
    local p, u = Project:create({}), User:create({})
    assert.is_nil(p.getUser)
    p:setInitiator(u)
    assert.are.equal(u.id, p:getInitiator().id)
    assert.are.same({ { InitiatorId = 1 } }, support.raw(db, "SELECT InitiatorId FROM Users"))
  end)

  it("Person:hasOne(Person, { as = \"Father\" }) adds FatherId; setFather / getFather", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    Person:hasOne(Person, { as = "Father" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `People` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`FatherId` INTEGER REFERENCES `People` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "People"))
    local kid = Person:create({ name = "kid" })
    local dad = Person:create({ name = "dad" })
    kid:setFather(dad)
    -- hasOne: the key lives on the target row (dad.FatherId = kid.id)
    assert.are.same({ { name = "dad", FatherId = 1 } }, support.raw(db, "SELECT name, FatherId FROM People WHERE FatherId IS NOT NULL"))
    assert.are.equal("dad", kid:getFather().name)
  end)

  it("Person:hasOne(Person, { as = \"Father\", foreignKey = \"DadId\" }) adds DadId", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    Person:hasOne(Person, { as = "Father", foreignKey = "DadId" })
    db:sync()
    assert.are.same({ "id", "name", "createdAt", "updatedAt", "DadId" }, support.column_names(db, "People"))
    local kid = Person:create({ name = "kid" })
    kid:setFather(Person:create({ name = "dad" }))
    assert.are.equal("dad", kid:getFather().name)
    assert.are.same({ { DadId = 1 } }, support.raw(db, "SELECT DadId FROM People WHERE name = 'dad'"))
  end)

  it("Team:hasOne(Game) twice under HomeTeam / AwayTeam and Game:belongsTo(Team)", function()
    local Team = db:define("Team", { name = DataTypes.STRING })
    local Game = db:define("Game", {})
    Team:hasOne(Game, { as = "HomeTeam", foreignKey = "homeTeamId" })
    Team:hasOne(Game, { as = "AwayTeam", foreignKey = "awayTeamId" })
    Game:belongsTo(Team)
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Games` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`homeTeamId` INTEGER REFERENCES `Teams` (`id`) ON DELETE SET NULL ON UPDATE CASCADE, "
      .. "`awayTeamId` INTEGER REFERENCES `Teams` (`id`) ON DELETE SET NULL ON UPDATE CASCADE, "
      .. "`TeamId` INTEGER REFERENCES `Teams` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Games"))
    local a, b = Team:create({ name = "a" }), Team:create({ name = "b" })
    local g1, g2 = Game:create({}), Game:create({})
    a:setHomeTeam(g1)
    a:setAwayTeam(g2)
    b:setHomeTeam(g2)
    assert.are.same({ { id = 1, homeTeamId = 1, awayTeamId = Sequelize.null }, { id = 2, homeTeamId = 2, awayTeamId = 1 } },
      support.raw(db, "SELECT id, homeTeamId, awayTeamId FROM Games ORDER BY id"))
    assert.are.equal(1, a:getHomeTeam().id)
    assert.are.equal(2, a:getAwayTeam().id)
    local t = Team:findOne({ where = { name = "a" }, include = { "HomeTeam", "AwayTeam" } })
    assert.are.equal(1, t.HomeTeam.id)
    assert.are.equal(2, t.AwayTeam.id)
    -- Sequelize: include = Game alone is ambiguous
    local err = support.catch(function() Team:findAll({ include = Game }) end)
    assert.are.equal("SequelizeEagerLoadingError", err.name)
    assert.are.equal("Game is associated to Team multiple times. To identify the correct association, you must use "
      .. "the 'as' keyword to specify the alias of the association you want to include.", err.message)
  end)
end)

describe("seed 003: one-to-many and many-to-many associations", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("Project:hasMany(User, { as = \"Workers\" }) adds ProjectId to User; getWorkers / setWorkers", function()
    local User = db:define("User", { name = DataTypes.STRING })
    local Project = db:define("Project", {})
    Project:hasMany(User, { as = "Workers" })
    db:sync()
    assert.are.same({ "id", "name", "createdAt", "updatedAt", "ProjectId" }, support.column_names(db, "Users"))
    local p = Project:create({})
    local a, b = User:create({ name = "a" }), User:create({ name = "b" })
    p:setWorkers({ a, b })
    assert.are.same({ 1, 2 }, support.ids(p:getWorkers()))
    p:setWorkers({ b })
    assert.are.same({ { name = "a", ProjectId = Sequelize.null }, { name = "b", ProjectId = 1 } },
      support.raw(db, "SELECT name, ProjectId FROM Users ORDER BY id"))
  end)

  it("belongsToMany through \"UserProject\" both ways creates the UserProject model", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    Project:belongsToMany(User, { through = "UserProject" })
    User:belongsToMany(Project, { through = "UserProject" })
    db:sync()
    assert.is_not_nil(db.models.UserProject)
    assert.are.equal("UserProject", db.models.UserProject.tableName)
    -- Sequelize: keys of the first association first, composite primary key
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UserProject` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`ProjectId` INTEGER NOT NULL REFERENCES `Projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`ProjectId`, `UserId`));", support.create_of(log, "UserProject"))
    local p, u = Project:create({}), User:create({})
    for _, m in ipairs({ "getUsers", "setUsers", "addUsers", "addUser" }) do assert.is_true(has_method(p, m), m) end
    for _, m in ipairs({ "getProjects", "setProjects", "addProject" }) do assert.is_true(has_method(u, m), m) end
    u:addProject(p)
    assert.are.same({ { ProjectId = 1, UserId = 1 } }, support.raw(db, "SELECT ProjectId, UserId FROM UserProject"))
    assert.are.same({ 1 }, support.ids(p:getUsers()))
  end)

  it("as = \"Tasks\" / \"Workers\" through \"worker_tasks\"", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    User:belongsToMany(Project, { as = "Tasks", through = "worker_tasks" })
    Project:belongsToMany(User, { as = "Workers", through = "worker_tasks" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `worker_tasks` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`ProjectId` INTEGER NOT NULL REFERENCES `Projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`UserId`, `ProjectId`));", support.create_of(log, "worker_tasks"))
    local u, p = User:create({}), Project:create({})
    u:addTask(p)
    assert.are.same({ 1 }, support.ids(p:getWorkers()))
    assert.are.equal(1, u:countTasks())
    assert.is_nil(u.getProjects)
  end)

  it("Person:belongsToMany(Person, { as = \"Children\", through = \"PersonChildren\" })", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    Person:belongsToMany(Person, { as = "Children", through = "PersonChildren" })
    db:sync()
    -- Sequelize: the other key is the singular of the alias, ChildId
    assert.are.equal("CREATE TABLE IF NOT EXISTS `PersonChildren` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`PersonId` INTEGER NOT NULL REFERENCES `People` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`ChildId` INTEGER NOT NULL REFERENCES `People` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`PersonId`, `ChildId`));", support.create_of(log, "PersonChildren"))
    local a, b, c = Person:create({ name = "a" }), Person:create({ name = "b" }), Person:create({ name = "c" })
    a:addChildren({ b, c })
    assert.is_true(a:hasChild(b))
    assert.are.same({ 2, 3 }, support.ids(a:getChildren()))
    assert.are.same({}, b:getChildren())
    assert.are.same({ { PersonId = 1, ChildId = 2 }, { PersonId = 1, ChildId = 3 } },
      support.raw(db, "SELECT PersonId, ChildId FROM PersonChildren ORDER BY ChildId"))
  end)

  it("a join model UserProjects { status } keeps status and loses its id; addProject(project, { status })", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    local UserProjects = db:define("UserProjects", {
      status = DataTypes.STRING,
    })
    User:belongsToMany(Project, { through = UserProjects })
    Project:belongsToMany(User, { through = UserProjects })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UserProjects` (`status` VARCHAR(255), "
      .. "`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`ProjectId` INTEGER NOT NULL REFERENCES `Projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`UserId`, `ProjectId`));", support.create_of(log, "UserProjects"))
    assert.is_nil(UserProjects.rawAttributes.id)
    local user, project = User:create({}), Project:create({})
    -- API.md: the page's form (option keys naming through attributes are join values)
    user:addProject(project, { status = "started" })
    assert.are.same({ { UserId = 1, ProjectId = 1, status = "started" } },
      support.raw(db, "SELECT UserId, ProjectId, status FROM UserProjects"))
    -- and the v6 form
    local p2 = Project:create({})
    user:addProject(p2, { through = { status = "queued" } })
    assert.are.same({ { ProjectId = 2, status = "queued" } },
      support.raw(db, "SELECT ProjectId, status FROM UserProjects WHERE ProjectId = 2"))
  end)

  it("a join model with its own id primary key keeps it; the keys get a composite UNIQUE", function()
    local User = db:define("User", {})
    local Project = db:define("Project", {})
    local UserProjects = db:define("UserProjects", {
      id = {
        type = DataTypes.INTEGER,
        primaryKey = true,
        autoIncrement = true,
      },
      status = DataTypes.STRING,
    })
    User:belongsToMany(Project, { through = UserProjects })
    Project:belongsToMany(User, { through = UserProjects })
    db:sync()
    local u, p1, p2 = User:create({}), Project:create({}), Project:create({})
    u:addProjects({ p1, p2 }, { through = { status = "s" } })
    assert.are.same({ { id = 1, UserId = 1, ProjectId = 1, status = "s" }, { id = 2, UserId = 1, ProjectId = 2, status = "s" } },
      support.raw(db, "SELECT id, UserId, ProjectId, status FROM UserProjects ORDER BY id"))
    local err = support.catch(function() UserProjects:create({ UserId = 1, ProjectId = 1 }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.same({ { n = 2 } }, support.raw(db, "SELECT count(*) AS n FROM UserProjects"))
    -- Sequelize 6.37.8
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UserProjects` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`status` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`ProjectId` INTEGER REFERENCES `Projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "UNIQUE (`UserId`, `ProjectId`));", support.create_of(log, "UserProjects"))
  end)
end)

describe("seed 003: naming strategy", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("a model named user gives get/set User accessors and .user in eager loading", function()
    local user = db:define("user", { name = DataTypes.STRING })
    local Task = db:define("Task", {})
    Task:belongsTo(user)
    db:sync()
    local t = Task:create({})
    assert.is_true(has_method(t, "getUser") and has_method(t, "setUser") and has_method(t, "createUser"))
    t:setUser(user:create({ name = "lower" }))
    local back = Task:findByPk(t.id, { include = user })
    assert.are.equal("lower", back.user.name)
    assert.is_nil(back.User)
    -- Sequelize: the key is userId, the include key user
    assert.are.equal("{\"id\":1,\"createdAt\":\"D\",\"updatedAt\":\"D\",\"userId\":1,"
      .. "\"user\":{\"id\":1,\"name\":\"lower\",\"createdAt\":\"D\",\"updatedAt\":\"D\"}}", json(back))
  end)

  it("a model named User gives the same accessors and .User in eager loading", function()
    local User = db:define("User", { name = DataTypes.STRING })
    local Task = db:define("Task", {})
    Task:belongsTo(User)
    db:sync()
    local t = Task:create({})
    assert.is_true(has_method(t, "getUser") and has_method(t, "setUser") and has_method(t, "createUser"))
    t:setUser(User:create({ name = "upper" }))
    local back = Task:findByPk(t.id, { include = User })
    assert.are.equal("upper", back.User.name)
    assert.is_nil(back.user)
    assert.are.equal("{\"id\":1,\"createdAt\":\"D\",\"updatedAt\":\"D\",\"UserId\":1,"
      .. "\"User\":{\"id\":1,\"name\":\"upper\",\"createdAt\":\"D\",\"updatedAt\":\"D\"}}", json(back))
  end)

  it("as = { singular = \"task\", plural = \"tasks\" } names the accessors", function()
    local User = db:define("User", {})
    local Project = db:define("Project", { title = DataTypes.STRING })
    -- `through` is required (page: "Defining `through` is required")
    User:belongsToMany(Project, { as = { singular = "task", plural = "tasks" }, through = "UserTasks" })
    db:sync()
    local u = User:create({})
    for _, m in ipairs({ "getTasks", "setTasks", "addTask", "addTasks", "createTask", "removeTask", "removeTasks",
      "hasTask", "hasTasks", "countTasks" }) do
      assert.is_true(has_method(u, m), m)
    end
    assert.is_not_nil(User.associations.tasks)
    u:createTask({ title = "one" })
    u:addTask(Project:create({ title = "two" }))
    assert.are.equal(2, u:countTasks())
    local back = User:findByPk(u.id, { include = "tasks" })
    assert.are.equal(2, #back.tasks)
    -- Sequelize: the other key stays ProjectId
    assert.are.same({ { UserId = 1, ProjectId = 1 }, { UserId = 1, ProjectId = 2 } },
      support.raw(db, "SELECT UserId, ProjectId FROM UserTasks ORDER BY ProjectId"))
  end)

  it("a model's name option { singular = \"task\", plural = \"tasks\" } gives add/set/get Tasks", function()
    local User = db:define("User", {})
    local Project = db:define("project", {}, {
      name = {
        singular = "task",
        plural = "tasks",
      },
    })
    User:belongsToMany(Project, { through = "UserTasks" }) -- through completed
    db:sync()
    -- Sequelize: table `projects` (plural of the model name), join key taskId
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UserTasks` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`taskId` INTEGER NOT NULL REFERENCES `projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`UserId`, `taskId`));", support.create_of(log, "UserTasks"))
    local u = User:create({})
    u:addTask(Project:create({}))
    u:setTasks({ Project:create({}), Project:create({}) })
    assert.are.same({ 2, 3 }, support.ids(u:getTasks()))
    local back = User:findAll({ include = Project })
    assert.are.equal(2, #back[1].tasks)
  end)
end)

describe("seed 003: associating objects", function()
  local db, Project, Task
  before_each(function()
    db = support.open()
    Project = db:define("Project", { name = DataTypes.STRING })
    Task = db:define("Task", { title = DataTypes.STRING })
    -- the page's Project.belongsToMany(Task) / Task.belongsToMany(Project), with the required through
    Project:belongsToMany(Task, { through = "ProjectTasks" })
    Task:belongsToMany(Project, { through = "ProjectTasks" })
    db:sync()
  end)
  after_each(function() db:close() end)

  it("setTasks, getTasks (with where and attributes), removeTask, addTask", function()
    local project = Project:create({ name = "p" })
    local task1 = Task:create({ title = "t1" })
    local task2 = Task:create({ title = "t2" })
    -- save them... and then:
    project:setTasks({ task1, task2 })
    local associatedTasks = project:getTasks()
    assert.are.same({ 1, 2 }, support.ids(associatedTasks))
    -- "tasks with an id greater than 10": the page's string where, as an operator
    assert.are.same({}, project:getTasks({ where = { id = { [Op.gt] = 10 } } }))
    assert.are.same({ 2 }, support.ids(project:getTasks({ where = { id = { [Op.gt] = 1 } } })))
    -- only certain fields (Sequelize: the join row is still attached; the unrequested id is not shown)
    local titled = project:getTasks({ attributes = { "title" } })
    assert.are.equal(2, #titled)
    local j = titled[1]:toJSON()
    assert.is_nil(j.id)
    assert.is_truthy(j.title == "t1" or j.title == "t2")
    -- Sequelize: the whole join row, {"title":"t1","ProjectTasks":{createdAt, updatedAt, ProjectId, TaskId}}
    assert.are.equal("table", type(j.ProjectTasks))
    assert.are.equal(1, j.ProjectTasks.ProjectId)
    -- remove the association with task1
    project:setTasks({ task2 })
    assert.are.same({ 2 }, support.ids(project:getTasks()))
    -- remove 'em all
    project:setTasks({})
    assert.are.same({}, project:getTasks())
    assert.are.same({ { n = 0 } }, support.raw(db, "SELECT count(*) AS n FROM ProjectTasks"))
    project:setTasks({ task1, task2 })
    -- or remove 'em more directly
    project:removeTask(task1)
    assert.are.same({ 2 }, support.ids(project:getTasks()))
    -- and add 'em again
    project:addTask(task1)
    assert.are.same({ 1, 2 }, support.ids(project:getTasks()))
    assert.are.same({ { ProjectId = 1, TaskId = 1 }, { ProjectId = 1, TaskId = 2 } },
      support.raw(db, "SELECT ProjectId, TaskId FROM ProjectTasks ORDER BY TaskId"))
    -- the tasks are still there
    assert.are.equal(2, Task:count())
  end)

  it("vice versa: task2:setProject(nil) on a one-to-many pair", function()
    -- setProject exists on a belongsTo; the page's "project is associated with task1 and task2"
    local db2 = support.open()
    local P = db2:define("Project", { name = DataTypes.STRING })
    local T = db2:define("Task", { title = DataTypes.STRING })
    P:hasMany(T)
    T:belongsTo(P)
    db2:sync()
    local project = P:create({ name = "p" })
    local task1, task2 = T:create({ title = "t1" }), T:create({ title = "t2" })
    project:setTasks({ task1, task2 })
    task2:setProject(nil)
    assert.are.same({ 1 }, support.ids(project:getTasks()))
    assert.are.same({ { id = 1, ProjectId = 1 }, { id = 2, ProjectId = Sequelize.null } },
      support.raw(db2, "SELECT id, ProjectId FROM Tasks ORDER BY id"))
    task2:setProject(Sequelize.null) -- the JS null, spelled as API.md spells it
    assert.is_nil(T:findByPk(2).ProjectId)
    db2:close()
  end)

  it("Task:hasOne(User, { as = \"Author\" }); task:setAuthor(anAuthor)", function()
    local User = db:define("User", { name = DataTypes.STRING })
    Task:hasOne(User, { as = "Author" })
    db:sync()
    local task = Task:create({ title = "t" })
    local anAuthor = User:create({ name = "a" })
    task:setAuthor(anAuthor)
    assert.are.same({ { name = "a", AuthorId = 1 } }, support.raw(db, "SELECT name, AuthorId FROM Users"))
    assert.are.equal("a", task:getAuthor().name)
  end)
end)

describe("seed 003: a custom join table's values", function()
  local db, User, Project, UserProjects
  before_each(function()
    db = support.open()
    User = db:define("User", { name = DataTypes.STRING })
    Project = db:define("Project", { name = DataTypes.STRING }) -- name: the page reads attributes = { "name" }
    UserProjects = db:define("UserProjects", {
      status = DataTypes.STRING,
    })
    User:belongsToMany(Project, { through = UserProjects })
    Project:belongsToMany(User, { through = UserProjects })
    db:sync()
  end)
  after_each(function() db:close() end)

  local function statuses()
    local out = {}
    for _, r in ipairs(support.raw(db, "SELECT ProjectId, status FROM UserProjects ORDER BY ProjectId")) do
      out[r.ProjectId] = r.status
    end
    return out
  end

  it("project.UserProjects set before addProject gives the join values", function()
    local u = User:create({ name = "u" })
    local project = Project:create({ name = "p" })
    -- Either by adding a property with the name of the join table model to the object
    project.UserProjects = {
      status = "active",
    }
    u:addProject(project)
    assert.are.same({ [1] = "active" }, statuses())
  end)

  it("a second argument to addProject holds the join values", function()
    local u = User:create({ name = "u" })
    local project = Project:create({ name = "p" })
    u:addProject(project, { status = "active" })
    assert.are.same({ [1] = "active" }, statuses())
  end)

  it("setProjects combines both: per-project values win over the defaults", function()
    local u = User:create({ name = "u" })
    local project1, project2 = Project:create({ name = "p1" }), Project:create({ name = "p2" })
    project1.UserProjects = {
      status = "inactive",
    }
    u:setProjects({ project1, project2 }, { status = "active" })
    -- The code above will record inactive for project one, and active for project two in the join table
    assert.are.same({ [1] = "inactive", [2] = "active" }, statuses())
  end)

  it("a fetched project carries its join row, which can be saved directly", function()
    local u = User:create({ name = "u" })
    u:addProject(Project:create({ name = "p" }), { status = "active" })
    local projects = u:getProjects()
    local project = projects[1]
    assert.are.equal("active", project.UserProjects.status)
    project.UserProjects.status = "done"
    project.UserProjects:save()
    assert.are.same({ [1] = "done" }, statuses())
  end)

  it("getProjects{ attributes = { \"name\" }, joinTableAttributes = { \"status\" } }", function()
    local u = User:create({ name = "u" })
    u:addProject(Project:create({ name = "p1" }), { status = "a" })
    u:addProject(Project:create({ name = "p2" }), { status = "b" })
    -- This will select only name from the Projects table, and only status from the UserProjects table
    local list = u:getProjects({ attributes = { "name" }, joinTableAttributes = { "status" }, order = { { "name", "ASC" } } })
    -- Sequelize: [{"name":"p1","UserProjects":{"status":"a"}},{"name":"p2","UserProjects":{"status":"b"}}]
    assert.are.equal("[{\"name\":\"p1\",\"UserProjects\":{\"status\":\"a\"}},{\"name\":\"p2\",\"UserProjects\":{\"status\":\"b\"}}]",
      json(list))
  end)

  it("eager loading carries the join row under UserProjects; no projects is []", function()
    local u = User:create({ name = "u" })
    User:create({ name = "v" })
    u:addProject(Project:create({ name = "p" }), { status = "active" })
    -- Sequelize 6.37.8, same data
    assert.are.equal("[{\"id\":1,\"name\":\"u\",\"createdAt\":\"D\",\"updatedAt\":\"D\",\"Projects\":[{\"id\":1,\"name\":\"p\","
      .. "\"createdAt\":\"D\",\"updatedAt\":\"D\",\"UserProjects\":{\"status\":\"active\",\"createdAt\":\"D\",\"updatedAt\":\"D\","
      .. "\"UserId\":1,\"ProjectId\":1}}]},{\"id\":2,\"name\":\"v\",\"createdAt\":\"D\",\"updatedAt\":\"D\",\"Projects\":[]}]",
      json(User:findAll({ include = Project, order = { { "id", "ASC" } } })))
    assert.are.equal("[{\"id\":1,\"name\":\"p\",\"createdAt\":\"D\",\"updatedAt\":\"D\",\"Users\":[{\"id\":1,\"name\":\"u\","
      .. "\"createdAt\":\"D\",\"updatedAt\":\"D\",\"UserProjects\":{\"status\":\"active\"}}]}]",
      json(Project:findAll({ include = { model = User, through = { attributes = { "status" } } } })))
  end)

  it("hasUser / hasUsers check the associations (N:M)", function()
    local project = Project:create({ name = "p" })
    local user = User:create({ name = "u" })
    assert.is_false(project:hasUser(user))
    project:addUser(user)
    assert.is_true(project:hasUser(user))
    local user1, user2 = User:create({ name = "u1" }), User:create({ name = "u2" })
    local project2 = Project:create({ name = "p2" })
    project2:setUsers({ user1, user2 })
    assert.is_true(project2:hasUsers({ user1 }))     -- the page says false; Sequelize and API.md: every one listed is linked
    assert.is_true(project2:hasUsers({ user1, user2 }))
    assert.is_false(project2:hasUsers({ user1, user }))
    assert.are.same({ { n = 3 } }, support.raw(db, "SELECT count(*) AS n FROM UserProjects"))
  end)
end)

describe("seed 003: foreign keys", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("User:hasMany(Task); Task:belongsTo(User) references Users with SET NULL / CASCADE", function()
    local Task = db:define("Task", { title = DataTypes.STRING })
    local User = db:define("User", { username = DataTypes.STRING })
    User:hasMany(Task)
    Task:belongsTo(User)
    db:sync()
    -- Sequelize 6 (the page shows an older, timestamp-less form)
    assert.are.same({ "Users", "Tasks" }, created_tables(log))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`username` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);", support.create_of(log, "Users"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Tasks` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`title` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Tasks"))
    local u = User:create({ username = "u" })
    Task:create({ title = "t", UserId = u.id })
    -- updated if the id of the user is updated
    User:update({ id = 7 }, { where = { id = u.id } })
    assert.are.same({ { UserId = 7 } }, support.raw(db, "SELECT UserId FROM Tasks"))
    -- set to NULL if the referenced user is deleted
    User:destroy({ where = { id = 7 } })
    assert.are.same({ { title = "t", UserId = Sequelize.null } }, support.raw(db, "SELECT title, UserId FROM Tasks"))
  end)

  it("n:m defaults to CASCADE both ways", function()
    local Project = db:define("Project", {})
    local Task = db:define("Task", {})
    Project:belongsToMany(Task, { through = "ProjectTasks" })
    Task:belongsToMany(Project, { through = "ProjectTasks" })
    db:sync()
    local p1, p2 = Project:create({}), Project:create({})
    local t1 = Task:create({})
    p1:addTask(t1)
    p2:addTask(t1)
    Project:update({ id = 9 }, { where = { id = 1 } })
    assert.are.same({ { ProjectId = 2 }, { ProjectId = 9 } }, support.raw(db, "SELECT ProjectId FROM ProjectTasks ORDER BY ProjectId"))
    Project:destroy({ where = { id = 9 } })
    assert.are.same({ { ProjectId = 2, TaskId = 1 } }, support.raw(db, "SELECT ProjectId, TaskId FROM ProjectTasks"))
    Task:destroy({ where = { id = 1 } })
    assert.are.same({ { n = 0 } }, support.raw(db, "SELECT count(*) AS n FROM ProjectTasks"))
  end)

  local function documents()
    local Document = db:define("Document", {
      author = DataTypes.STRING,
    })
    local Version = db:define("Version", {
      timestamp = DataTypes.DATE,
    })
    return Document, Version
  end

  it("Document/Version with constraints both ways raises the cyclic dependency error", function()
    local Document, Version = documents()
    Document:hasMany(Version) -- This adds document_id to version
    Document:belongsTo(Version, { as = "Current", foreignKey = "current_version_id" }) -- This adds current_version_id to document
    local err = support.catch(function() db:sync() end)
    -- the seed's message, exactly (API.md: the seed wins over Sequelize 6.37, which syncs anyway)
    local msg = type(err) == "table" and err.message or tostring(err)
    assert.are.equal("Cyclic dependency found. 'Document' is dependent of itself. Dependency Chain: Document -> Version => Document", msg)
    assert.are.same({}, support.tables(db))
  end)

  it("constraints = false on one side breaks the cycle", function()
    local Document, Version = documents()
    Document:hasMany(Version)
    Document:belongsTo(Version, { as = "Current", foreignKey = "current_version_id", constraints = false })
    db:sync()
    assert.are.same({ "Documents", "Versions" }, created_tables(log))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Documents` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`author` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`current_version_id` INTEGER);", support.create_of(log, "Documents"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Versions` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`timestamp` DATETIME, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`DocumentId` INTEGER REFERENCES `Documents` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Versions"))
    local d = Document:create({ author = "a" })
    local v = d:createVersion({ timestamp = "2023-09-18T07:56:40.205Z" })
    d:setCurrent(v)
    assert.are.same({ { current_version_id = 1 } }, support.raw(db, "SELECT current_version_id FROM Documents"))
    assert.are.equal("2023-09-18T07:56:40.205Z", d:getCurrent().timestamp)
    -- the unconstrained key accepts a dangling value; the constrained one does not
    Document:update({ current_version_id = 99 }, { where = { id = 1 } })
    assert.are.same({ { current_version_id = 99 } }, support.raw(db, "SELECT current_version_id FROM Documents"))
    local err = support.catch(function() Version:create({ DocumentId = 99 }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, Version:count())
  end)

  it("Series / Trainer / Video: references by hand plus the associations' own keys", function()
    -- the page's `references: "Trainers", referencesKey: "id"` is the pre-v4 spelling (Sequelize 6
    -- fails on it); written as API.md's references = { model, key }
    local Series = db:define("Series", {
      title = DataTypes.STRING,
      sub_title = DataTypes.STRING,
      description = DataTypes.TEXT,
      -- Set FK relationship (hasMany) with `Trainer`
      trainer_id = {
        type = DataTypes.INTEGER,
        references = { model = "Trainers", key = "id" },
      },
    })
    local Trainer = db:define("Trainer", {
      first_name = DataTypes.STRING,
      last_name = DataTypes.STRING,
    })
    local Video = db:define("Video", {
      title = DataTypes.STRING,
      sequence = DataTypes.INTEGER,
      description = DataTypes.TEXT,
      -- set relationship (hasOne) with `Series`
      series_id = {
        type = DataTypes.INTEGER,
        references = { model = Series, key = "id" }, -- a table name or the model
      },
    })
    Series:hasOne(Video)
    Trainer:hasMany(Series)
    db:sync()
    -- Sequelize: the associations add their own SeriesId / TrainerId next to the hand-made keys
    assert.are.same({ "Trainers", "Series", "Videos" }, created_tables(log))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Series` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`description` TEXT, `sub_title` VARCHAR(255), `title` VARCHAR(255), "
      .. "`trainer_id` INTEGER REFERENCES `Trainers` (`id`), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`TrainerId` INTEGER REFERENCES `Trainers` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Series"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Videos` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`description` TEXT, `sequence` INTEGER, `series_id` INTEGER REFERENCES `Series` (`id`), `title` VARCHAR(255), "
      .. "`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`SeriesId` INTEGER REFERENCES `Series` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Videos"))
    local t = Trainer:create({ first_name = "a" })
    local s = t:createSeries({ title = "s", trainer_id = t.id })
    local v = s:createVideo({ title = "v", series_id = s.id })
    assert.are.same({ { trainer_id = 1, TrainerId = 1 } }, support.raw(db, "SELECT trainer_id, TrainerId FROM Series"))
    assert.are.same({ { series_id = 1, SeriesId = 1 } }, support.raw(db, "SELECT series_id, SeriesId FROM Videos"))
    assert.are.equal(v.id, s:getVideo().id)
    local err = support.catch(function() Video:create({ series_id = 5 }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, Video:count())
  end)
end)
