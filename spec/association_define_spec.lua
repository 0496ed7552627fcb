-- association_define_spec: what hasOne / belongsTo / hasMany / belongsToMany define:
-- foreign-key names and placement, foreignKey / sourceKey / targetKey / otherKey, referential
-- actions in the DDL (and enforced by SQLite), through tables, accessor names, sync order, and
-- the definition-time errors. Expectations marked "Sequelize:" were checked against
-- sequelize 6.37.8 + sqlite3 on the same definitions; DDL is rearranged into sequelua's column
-- order (primary keys, the other attributes by name, createdAt, updatedAt, then the foreign
-- keys added by associations in the order they were made).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

-- "CREATE Users", "DROP Posts", ... in log order
local function ddl_steps(log)
  local out = {}
  for _, sql in ipairs(support.ddl(log)) do
    local t = sql:match("^CREATE TABLE IF NOT EXISTS `([^`]+)`")
    if t then out[#out + 1] = "CREATE " .. t
    else out[#out + 1] = "DROP " .. (sql:match("^DROP TABLE IF EXISTS `([^`]+)`") or sql) end
  end
  return out
end

local function keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

local function methods(inst, names)
  for _, n in ipairs(names) do
    assert.are.equal("function", type(inst[n]), "missing accessor " .. n)
  end
end

local function no_methods(inst, names)
  for _, n in ipairs(names) do
    assert.is_nil(inst[n], "unexpected accessor " .. n)
  end
end

local FK = " REFERENCES `%s` (`%s`) ON DELETE %s ON UPDATE %s"
local function ref(tbl, col, del, upd)
  return FK:format(tbl, col, del, upd)
end

local TS = "`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL"

---------------------------------------------------------------------------------------------
describe("foreign-key names and placement", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("Player:belongsTo(Team) adds TeamId to Player", function()
    local Player, Team = db:define("Player", {}), db:define("Team", {})
    Player:belongsTo(Team)
    db:sync()
    assert.are.same({ "TeamId", "createdAt", "id", "updatedAt" }, keys(Player.rawAttributes))
    assert.are.same({ "createdAt", "id", "updatedAt" }, keys(Team.rawAttributes))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Players` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `TeamId` INTEGER" .. ref("Teams", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Players"))
    local p = Player:create({ TeamId = Team:create({}).id })
    assert.are.equal(1, Player:findByPk(p.id).TeamId)
  end)

  it("as = \"Role\" gives RoleId", function()
    local User, UserRole = db:define("User", {}), db:define("UserRole", {})
    User:belongsTo(UserRole, { as = "Role" })
    db:sync()
    assert.is_not_nil(User.rawAttributes.RoleId)
    assert.is_nil(User.rawAttributes.UserRoleId)
    assert.are.same({ "id", "createdAt", "updatedAt", "RoleId" }, support.column_names(db, "Users"))
    assert.is_not_nil(User.associations.Role)
  end)

  it("hasOne puts <SourceSingular><Pk> on the target", function()
    local Project, User = db:define("Project", {}), db:define("User", {})
    Project:hasOne(User)
    db:sync()
    assert.are.same({ "ProjectId", "createdAt", "id", "updatedAt" }, keys(User.rawAttributes))
    assert.are.same({ "createdAt", "id", "updatedAt" }, keys(Project.rawAttributes))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `ProjectId` INTEGER" .. ref("Projects", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Users"))
  end)

  it("hasOne with as uses the alias for the key: InitiatorId", function()
    local Project, User = db:define("Project", {}), db:define("User", {})
    Project:hasOne(User, { as = "Initiator" })
    db:sync()
    -- Sequelize: hasOne's key is camelize(singularize(as || source.name) + "_" + pk)
    assert.are.same({ "id", "createdAt", "updatedAt", "InitiatorId" }, support.column_names(db, "Users"))
  end)

  it("hasMany puts <SourceSingular><Pk> on the target and ignores as for the key", function()
    local Project, User = db:define("Project", {}), db:define("User", {})
    Project:hasMany(User, { as = "Workers" })
    db:sync()
    assert.is_not_nil(User.rawAttributes.ProjectId)
    assert.is_nil(User.rawAttributes.WorkerId)
    assert.is_nil(User.rawAttributes.WorkersId)
    assert.are.same({ "id", "createdAt", "updatedAt", "ProjectId" }, support.column_names(db, "Users"))
    local p = Project:create({})
    local u = p:createWorker({})
    assert.are.equal(p.id, u.ProjectId)
  end)

  it("the source's key name goes into the key: Users (pk user_id) -> UserUserId; Company (pk code) -> CompanyCode", function()
    local Users = db:define("Users", { user_id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true } })
    local A, B = db:define("A", {}), db:define("B", {})
    Users:hasMany(A)
    Users:hasOne(B)
    local Company = db:define("Company", { code = { type = DataTypes.STRING, primaryKey = true } })
    local Employee = db:define("Employee", {})
    Company:hasMany(Employee)
    db:sync()
    -- Sequelize 6.37.8
    assert.are.equal("CREATE TABLE IF NOT EXISTS `As` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserUserId` INTEGER" .. ref("Users", "user_id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "As"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Bs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserUserId` INTEGER" .. ref("Users", "user_id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Bs"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Employees` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `CompanyCode` VARCHAR(255)" .. ref("Companies", "code", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Employees"))
    local c = Company:create({ code = "ACME" })
    c:createEmployee({})
    assert.are.same({ { CompanyCode = "ACME" } }, support.raw(db, "SELECT CompanyCode FROM Employees"))
  end)

  it("a lower-case model name gives a lower-case key: person -> personId, user -> userId", function()
    local person, C = db:define("person", {}), db:define("C", {})
    person:hasMany(C)
    local user, profile = db:define("user", {}), db:define("profile", {})
    user:hasOne(profile)
    profile:belongsTo(user)
    db:sync()
    -- Sequelize: table `people`, key personId; user/profile -> one userId
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Cs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `personId` INTEGER" .. ref("people", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Cs"))
    assert.are.same({ "id", "createdAt", "updatedAt", "userId" }, support.column_names(db, "profiles"))
  end)

  it("underscored source with a uuid key: attribute CompanyUuid, column company_uuid", function()
    local User = db:define("User", { name = DataTypes.STRING }, { underscored = true })
    local Company = db:define("Company", { uuid = { type = DataTypes.UUID, primaryKey = true } })
    User:belongsTo(Company)
    db:sync()
    assert.is_not_nil(User.rawAttributes.CompanyUuid)
    assert.is_nil(User.rawAttributes.company_uuid)
    assert.are.equal("company_uuid", User.rawAttributes.CompanyUuid.field)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), "
      .. "`created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, `company_uuid` UUID"
      .. ref("Companies", "uuid", "SET NULL", "CASCADE") .. ");", support.create_of(log, "users"))
    local uuid = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    Company:create({ uuid = uuid })
    User:create({ name = "x", CompanyUuid = uuid })
    assert.are.same({ { company_uuid = uuid } }, support.raw(db, "SELECT company_uuid FROM users"))
    local u = User:findOne({ where = { CompanyUuid = uuid }, include = Company })
    assert.are.equal(uuid, u.CompanyUuid)
    assert.are.equal(uuid, u.Company.uuid)
    -- Sequelize: the JSON key is the attribute name
    assert.is_nil(u:toJSON().company_uuid)
    assert.are.equal(uuid, u:toJSON().CompanyUuid)
  end)

  it("the column follows the holder's underscored: Company:hasMany(User underscored) -> company_uuid; underscored User:hasMany(Pet) -> UserId", function()
    local User = db:define("User", {}, { underscored = true })
    local Company = db:define("Company", { uuid = { type = DataTypes.UUID, primaryKey = true } })
    local Pet = db:define("Pet", {})
    Company:hasMany(User)
    User:hasMany(Pet)
    db:sync()
    assert.are.equal("company_uuid", User.rawAttributes.CompanyUuid.field)
    assert.are.same({ "id", "created_at", "updated_at", "company_uuid" }, support.column_names(db, "users"))
    assert.are.same({ "id", "createdAt", "updatedAt", "UserId" }, support.column_names(db, "Pets"))
  end)

  it("self-association hasOne as Father adds FatherId; with foreignKey DadId only DadId", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    Person:hasOne(Person, { as = "Father" })
    local Human = db:define("Human", { name = DataTypes.STRING })
    Human:hasOne(Human, { as = "Father", foreignKey = "DadId" })
    db:sync()
    assert.are.same({ "id", "name", "createdAt", "updatedAt", "FatherId" }, support.column_names(db, "People"))
    assert.are.same({ "id", "name", "createdAt", "updatedAt", "DadId" }, support.column_names(db, "Humans"))
    assert.is_nil(Human.rawAttributes.FatherId)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Humans` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), " .. TS
      .. ", `DadId` INTEGER" .. ref("Humans", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Humans"))
    local kid = Human:create({ name = "kid" })
    kid:setFather(Human:create({ name = "dad" }))
    assert.are.equal("dad", kid:getFather().name)
  end)

  it("self-association belongsTo as Boss adds BossId; hasMany as Kids adds PersonId", function()
    local Person = db:define("Person", {})
    Person:belongsTo(Person, { as = "Boss" })
    Person:hasMany(Person, { as = "Kids" })
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "BossId", "PersonId" }, support.column_names(db, "People"))
    local boss = Person:create({})
    local kid = boss:createKid({})
    assert.are.equal(boss.id, kid.PersonId)
    kid:setBoss(boss)
    assert.are.equal(boss.id, Person:findByPk(kid.id):getBoss().id)
  end)

  it("two associations to one target under different aliases: HomeTeam / AwayTeam", function()
    local Team, Game = db:define("Team", {}), db:define("Game", {})
    Team:hasOne(Game, { as = "HomeTeam", foreignKey = "homeTeamId" })
    Team:hasOne(Game, { as = "AwayTeam", foreignKey = "awayTeamId" })
    Game:belongsTo(Team)
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "homeTeamId", "awayTeamId", "TeamId" }, support.column_names(db, "Games"))
    assert.are.same({ "AwayTeam", "HomeTeam" }, keys(Team.associations))
    assert.are.same({ "Team" }, keys(Game.associations))
    local t = Team:create({})
    methods(t, { "getHomeTeam", "setHomeTeam", "createHomeTeam", "getAwayTeam", "setAwayTeam", "createAwayTeam" })
    local home = t:createHomeTeam({})
    local away = t:createAwayTeam({})
    assert.are.same({ { id = home.id, homeTeamId = t.id, awayTeamId = Sequelize.null },
      { id = away.id, homeTeamId = Sequelize.null, awayTeamId = t.id } },
      support.raw(db, "SELECT id, homeTeamId, awayTeamId FROM Games ORDER BY id"))
  end)

  it("the added key takes the type of the key it references", function()
    local User = db:define("User", { name = { type = DataTypes.STRING, unique = true } })
    local Post = db:define("Post", {})
    local Big = db:define("Big", { id = { type = DataTypes.BIGINT, primaryKey = true } })
    Post:belongsTo(User)
    Post:belongsTo(Big)
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` INTEGER" .. ref("Users", "id", "SET NULL", "CASCADE")
      .. ", `BigId` BIGINT" .. ref("Bigs", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Posts"))
  end)

  it("an existing attribute named like the key is reused, not duplicated (the seed's created_by)", function()
    local Users = db:define("Users", { user_id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true } },
      { tableName = "users" })
    local Stories = db:define("Stories", {
      created_by = { type = DataTypes.INTEGER, allowNull = false },
      title = DataTypes.STRING,
    }, { tableName = "stories" })
    Stories:belongsTo(Users, { foreignKey = "created_by", as = "author" })
    db:sync()
    -- Sequelize: the attribute keeps its place and NOT NULL; belongsTo's default on NOT NULL is NO ACTION
    assert.are.equal("CREATE TABLE IF NOT EXISTS `stories` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`created_by` INTEGER NOT NULL" .. ref("users", "user_id", "NO ACTION", "CASCADE")
      .. ", `title` VARCHAR(255), " .. TS .. ");", support.create_of(log, "stories"))
  end)
end)

---------------------------------------------------------------------------------------------
describe("foreignKey, sourceKey, targetKey, otherKey", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("foreignKey as a string is the attribute name, as-is", function()
    local User, Company = db:define("User", {}), db:define("Company", {})
    User:belongsTo(Company, { foreignKey = "fk_company" })
    Company:hasMany(User, { foreignKey = "fk_company" })
    local Project = db:define("Project", {})
    Project:hasOne(User, { foreignKey = "initiator_id" })
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt", "fk_company", "initiator_id" }, support.column_names(db, "Users"))
    local c = Company:create({})
    local u = c:createUser({})
    assert.are.equal(c.id, u.fk_company)
    assert.are.equal(c.id, u:getCompany().id)
    assert.are.same({ u.id }, support.ids(c:getUsers()))
  end)

  it("foreignKey = { name, allowNull = false } makes the key NOT NULL with ON DELETE CASCADE (hasMany)", function()
    local User = db:define("User", { name = DataTypes.STRING })
    local Post = db:define("Post", { title = DataTypes.STRING })
    User:hasMany(Post, { foreignKey = { name = "authorId", allowNull = false } })
    db:sync()
    assert.are.equal(false, Post.rawAttributes.authorId.allowNull)
    assert.is_nil(Post.rawAttributes.UserId)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255), " .. TS
      .. ", `authorId` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE") .. ");", support.create_of(log, "Posts"))
    -- Sequelize: a ValidationError before any SQL
    local err = support.catch(function() Post:create({ title = "orphan" }) end)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal("notNull Violation: Post.authorId cannot be null", err.message)
    assert.are.equal(0, Post:count())
    local u = User:create({ name = "a" })
    u:createPost({ title = "p" })
    assert.are.equal(1, Post:count())
    u:destroy()
    assert.are.equal(0, Post:count())
  end)

  it("foreignKey = { allowNull = false } without a name keeps the default name (hasOne)", function()
    local User, Profile = db:define("User", {}), db:define("Profile", {})
    User:hasOne(Profile, { foreignKey = { allowNull = false } })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Profiles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE") .. ");", support.create_of(log, "Profiles"))
  end)

  it("belongsTo with foreignKey = { name, allowNull = false }: NOT NULL, ON DELETE NO ACTION", function()
    local User, Post = db:define("User", {}), db:define("Post", {})
    Post:belongsTo(User, { foreignKey = { name = "ownerId", allowNull = false } })
    db:sync()
    -- Sequelize: belongsTo's default for a NOT NULL key is NO ACTION (hasOne/hasMany: CASCADE)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `ownerId` INTEGER NOT NULL" .. ref("Users", "id", "NO ACTION", "CASCADE") .. ");", support.create_of(log, "Posts"))
    local u = User:create({})
    Post:create({ ownerId = u.id })
    local err = support.catch(function() u:destroy() end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, User:count())
    assert.are.equal(1, Post:count())
  end)

  it("foreignKey = { unique } applies to a key the model declares without a unique of its own", function()
    -- Sequelize 6.37.8 (mergeDefaults of the foreignKey options into the declared attribute):
    --   Posts: ..., UNIQUE (`title`, `ownerId`); Post.uniqueKeys.g.fields = { "title", "ownerId" }
    --   Post2s: `ownerId` INTEGER UNIQUE REFERENCES ...; a second post of owner 1 in another title
    --   is written, a second Post2 of owner 1 is a SequelizeUniqueConstraintError
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = { type = DataTypes.STRING, unique = "g" }, ownerId = DataTypes.INTEGER },
      { timestamps = false })
    local Post2 = db:define("Post2", { title = DataTypes.STRING, ownerId = DataTypes.INTEGER }, { timestamps = false })
    Post:belongsTo(User, { as = "owner", foreignKey = { name = "ownerId", unique = "g" } })
    Post2:belongsTo(User, { as = "owner", foreignKey = { name = "ownerId", unique = true } })
    db:sync()
    local fields = {}
    for _, f in ipairs(Post.uniqueKeys.g.fields) do fields[#fields + 1] = f end
    table.sort(fields)
    assert.are.same({ "ownerId", "title" }, fields)
    User:create({ name = "a" }); User:create({ name = "b" })
    Post:create({ title = "x", ownerId = 1 })
    Post:create({ title = "x", ownerId = 2 })
    assert.are.equal(2, Post:count())
    Post2:create({ title = "x", ownerId = 1 })
    assert.are.equal("SequelizeUniqueConstraintError", support.catch(Post2.create, Post2, { title = "y", ownerId = 1 }).name)
  end)

  it("foreignKey = { name, unique = 'group' } joins that composite unique group (belongsTo, hasMany)", function()
    -- Sequelize 6.37.8:
    --   Tasks: `title` VARCHAR(255), `ownerId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL
    --          ON UPDATE CASCADE, UNIQUE (`title`, `ownerId`)
    --   Jobs:  `uid` INTEGER REFERENCES ..., UNIQUE (`uid`)        (a group of its own)
    --   Task.uniqueKeys.owner_title = { fields = { "title", "ownerId" }, column = "ownerId", customIndex = true }
    --   rawAttributes.ownerId.unique == "owner_title"; the three creates below succeed
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Task = db:define("Task", { title = { type = DataTypes.STRING, unique = "owner_title" } }, { timestamps = false })
    local Job = db:define("Job", {}, { timestamps = false })
    Task:belongsTo(User, { foreignKey = { name = "ownerId", unique = "owner_title" } })
    User:hasMany(Job, { foreignKey = { name = "uid", unique = "g2" } })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Tasks` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255), `ownerId` INTEGER"
      .. ref("Users", "id", "SET NULL", "CASCADE") .. ", UNIQUE (`title`, `ownerId`));", support.create_of(log, "Tasks"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Jobs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `uid` INTEGER"
      .. ref("Users", "id", "SET NULL", "CASCADE") .. ", UNIQUE (`uid`));", support.create_of(log, "Jobs"))
    assert.are.equal("owner_title", Task.rawAttributes.ownerId.unique)
    local k = Task.uniqueKeys.owner_title
    assert.are.same({ "title", "ownerId" }, { k.fields[1], k.fields[2] })
    assert.are.equal(2, #k.fields)
    assert.are.same({ "ownerId", true }, { k.column, k.customIndex })
    assert.are.same({ "uid" }, { Job.uniqueKeys.g2.fields[1] })
    User:create({ name = "a" })
    Task:create({ title = "q", ownerId = 1 })
    Task:create({ title = "r", ownerId = 1 })              -- same owner, other title
    Task:create({ title = "q", ownerId = Sequelize.null }) -- same title, no owner
    assert.are.equal(3, Task:count())
    assert.are.equal("SequelizeUniqueConstraintError", support.catch(Task.create, Task, { title = "q", ownerId = 1 }).name)
  end)

  it("a foreignKey named after another attribute's column shares that column (one column, both names read it)", function()
    -- Sequelize 6.37.8:
    --   CREATE TABLE `posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255),
    --     `user_id` INTEGER REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE)
    --   User.findAll({ include: Post }) -> [{"id":1,"name":"a","Posts":[{"id":1,"title":"p","userId":1,"user_id":1},
    --     {"id":2,"title":"q","userId":1,"user_id":1}]}]
    --   Post.create({ title: 'r', userId: 1, user_id: 2 }): INSERT ... (`id`,`title`,`user_id`): user_id = 2 (the later)
    --   Tasks (ownerId field owner_id, hasMany foreignKey 'owner_id'): `owner_id` INTEGER REFERENCES `Users` ... once
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false, underscored = true })
    local Post = db:define("Post", { title = DataTypes.STRING, userId = DataTypes.INTEGER }, { timestamps = false, underscored = true })
    User:hasMany(Post, { foreignKey = "user_id" })
    Post:belongsTo(User, { foreignKey = "user_id" })
    local Owner = db:define("Owner", {}, { timestamps = false })
    local Task = db:define("Task", { ownerId = { type = DataTypes.INTEGER, field = "owner_id" }, title = DataTypes.STRING },
      { timestamps = false })
    Owner:hasMany(Task, { foreignKey = "owner_id" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255), `user_id` INTEGER"
      .. ref("users", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, "posts"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Tasks` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `owner_id` INTEGER"
      .. ref("Owners", "id", "SET NULL", "CASCADE") .. ", `title` VARCHAR(255));", support.create_of(log, "Tasks"))
    local u = User:create({ name = "a" })
    u:createPost({ title = "p" })
    Post:create({ title = "q", userId = 1 })
    local got = User:findAll({ include = Post, order = { { Post, "id", "ASC" } } })
    assert.are.same({ { id = 1, title = "p", userId = 1, user_id = 1 }, { id = 2, title = "q", userId = 1, user_id = 1 } },
      support.raw(db, "SELECT id, title, user_id AS userId, user_id FROM posts ORDER BY id"))
    assert.are.same({ "p", "q" }, { got[1].Posts[1].title, got[1].Posts[2].title })
    assert.are.same({ 1, 1 }, { got[1].Posts[2].userId, got[1].Posts[2].user_id })
    User:create({ name = "b" })
    Post:create({ title = "r", userId = 1, user_id = 2 })
    assert.are.same({ { user_id = 2 } }, support.raw(db, "SELECT user_id FROM posts WHERE title = 'r'"))
    local o = Owner:create({})
    o:createTask({ title = "t" })
    assert.are.same({ 1, 1 }, { Task:findOne().ownerId, Task:findOne().owner_id })
    -- sync again with alter: the table is as the model says, rows kept
    db:sync({ alter = true })
    assert.are.equal(3, Post:count())
  end)

  it("onDelete, onUpdate and references inside a foreignKey / otherKey object are taken and ignored", function()
    -- Sequelize 6.37.8 (the association's own reference and actions are written over them):
    --   Groups `uid` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE   (hasMany, onDelete RESTRICT inside)
    --   Notes  `uid` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE   (belongsTo, references to uname inside)
    --   UG     `uid` ... ON DELETE CASCADE ON UPDATE CASCADE, `gid` ... ON DELETE CASCADE ON UPDATE CASCADE
    local User = db:define("User", { uname = { type = DataTypes.STRING, unique = true } }, { timestamps = false })
    local Group = db:define("Group", {}, { timestamps = false })
    local Note = db:define("Note", {}, { timestamps = false })
    User:hasMany(Group, { foreignKey = { name = "uid", onDelete = "RESTRICT", onUpdate = "RESTRICT" } })
    Note:belongsTo(User, { foreignKey = { name = "uid", references = { model = "Users", key = "uname" } } })
    User:belongsToMany(Group, { through = "UG", foreignKey = { name = "uid", onDelete = "RESTRICT" },
                                otherKey = { name = "gid", onDelete = "RESTRICT" } })
    db:sync()
    local key = "`uid` INTEGER" .. ref("Users", "id", "SET NULL", "CASCADE")
    assert.truthy(support.create_of(log, "Groups"):find(key, 1, true))
    assert.truthy(support.create_of(log, "Notes"):find(key, 1, true))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UG` (" .. TS .. ", `uid` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE")
      .. ", `gid` INTEGER NOT NULL" .. ref("Groups", "id", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`uid`, `gid`));", support.create_of(log, "UG"))
    -- (an option that is no attribute option is refused)
    local err = support.catch(User.hasMany, User, Note, { foreignKey = { name = "z", commnet = "x" } })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("User.hasMany: foreignKey.commnet is not an attribute option", err.message)
  end)

  it("keyType is the type of the key hasMany / hasOne / belongsTo add; a declared key and belongsToMany ignore it", function()
    -- Sequelize 6.37.8:
    --   Tasks `ownerId` INTEGER REFERENCES ... ON DELETE CASCADE ..., `UserId` VARCHAR(255) REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
    --   Pfs `UserId` BIGINT REFERENCES ...; Notes `UserId` VARCHAR(20) REFERENCES ...
    --   UG `UserId` INTEGER NOT NULL ..., `GId` INTEGER NOT NULL ...   (belongsToMany: keyType taken, ignored)
    local User = db:define("User", {}, { timestamps = false })
    local Task = db:define("Task", { ownerId = DataTypes.INTEGER }, { timestamps = false })
    local Pf = db:define("Pf", {}, { timestamps = false })
    local Note = db:define("Note", {}, { timestamps = false })
    local G = db:define("G", {}, { timestamps = false })
    User:hasMany(Task, { keyType = DataTypes.STRING })
    User:hasMany(Task, { as = "T2", foreignKey = "ownerId", keyType = DataTypes.STRING })
    User:hasOne(Pf, { keyType = DataTypes.BIGINT })
    Note:belongsTo(User, { keyType = DataTypes.STRING(20) })
    User:belongsToMany(G, { through = "UG", keyType = DataTypes.STRING })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Tasks` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `ownerId` INTEGER"
      .. ref("Users", "id", "CASCADE", "CASCADE") .. ", `UserId` VARCHAR(255)" .. ref("Users", "id", "SET NULL", "CASCADE")
      .. ");", support.create_of(log, "Tasks"))
    assert.truthy(support.create_of(log, "Pfs"):find("`UserId` BIGINT REFERENCES", 1, true))
    assert.truthy(support.create_of(log, "Notes"):find("`UserId` VARCHAR(20) REFERENCES", 1, true))
    assert.truthy(support.create_of(log, "UG"):find("`UserId` INTEGER NOT NULL REFERENCES", 1, true))
    assert.are.equal("STRING", Task.rawAttributes.UserId.type.key)
    local u = User:create({})
    -- Sequelize: createTask(...).UserId 1, Task.findOne().UserId "1" (stored as text), countTasks() 1
    assert.are.equal(1, u:createTask({}).UserId)
    assert.are.equal("1", Task:findOne().UserId)
    assert.are.equal(1, u:countTasks())
    local err = support.catch(User.hasMany, User, Note, { as = "X", keyType = "STRING" })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("User.hasMany: keyType must be a column's DataTypes value (an ENUM with its values), got STRING",
      err.message)
    err = support.catch(User.hasMany, User, Note, { as = "Y", keyType = DataTypes.VIRTUAL })
    assert.are.equal("SequelizeAssociationError", err.name)
  end)

  it("a foreignKey / otherKey given as an attribute definition: type, defaultValue, validate, get, comment", function()
    -- Sequelize 6.37.8 (its _injectAttributes merges the object into the key: a declared key
    -- keeps what it has, `validate` merged by name; n:m assigns it over the through model's):
    --   Books `authorId` UUID REFERENCES `Authors` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
    --   Tasks `UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE NO ACTION ON UPDATE CASCADE
    --   Posts `ownerId` BIGINT DEFAULT 7 REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
    --   Notes `uid` VARCHAR(255) DEFAULT 3 REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
    --   Logs  `uid` INTEGER REFERENCES `Users` (`id`) ON DELETE CASCADE          (constraints: false)
    --   UGs   `gid` BIGINT NOT NULL REFERENCES ..., `uid` INTEGER DEFAULT 1 NOT NULL REFERENCES ...
    --   Task.create({}): notNull Violation: a task needs a user
    --   Post.build({}).ownerId 7, rawAttributes.ownerId.comment 'the owner', validate {"min":5};
    --   createPost({ ownerId: 2 }): Validation error: Validation min on ownerId failed
    --   Pf.findOne().uid 'u1'; Note.rawAttributes.uid validate {"max":10,"min":2}, build({}).uid 3,
    --   uid 1: Validation min on uid failed, uid 50: Validation max on uid failed
    local o = { timestamps = false }
    local Author = db:define("Author", { id = { type = DataTypes.UUID, primaryKey = true, defaultValue = DataTypes.UUIDV4 } }, o)
    local Book = db:define("Book", { title = DataTypes.STRING }, o)
    Author:hasMany(Book, { foreignKey = { name = "authorId", type = DataTypes.UUID } })
    Book:belongsTo(Author, { foreignKey = { name = "authorId", type = DataTypes.UUID } })
    local User = db:define("User", {}, o)
    local Task = db:define("Task", { title = DataTypes.STRING }, o)
    Task:belongsTo(User, { foreignKey = { allowNull = false, validate = { notNull = { msg = "a task needs a user" } } } })
    local Post = db:define("Post", {}, o)
    User:hasMany(Post, { foreignKey = { name = "ownerId", type = DataTypes.BIGINT, defaultValue = 7, comment = "the owner",
                                        validate = { min = 5 } } })
    local Pf = db:define("Pf", {}, o)
    User:hasOne(Pf, { foreignKey = { name = "uid", get = function(self) return "u" .. self:getDataValue("uid") end } })
    local Note = db:define("Note", { uid = { type = DataTypes.STRING, validate = { max = 10 } } }, o)
    User:hasMany(Note, { foreignKey = { name = "uid", type = DataTypes.BIGINT, defaultValue = 3, validate = { min = 2, max = 100 } } })
    local Log = db:define("Log", {}, o)
    User:hasMany(Log, { constraints = false,
                        foreignKey = { name = "uid", onDelete = "CASCADE", references = { model = "Users", key = "id" } } })
    local G = db:define("G", {}, o)
    local UG = db:define("UG", { gid = DataTypes.STRING }, o)
    User:belongsToMany(G, { through = UG, foreignKey = { name = "uid", defaultValue = 1 },
                            otherKey = { name = "gid", type = DataTypes.BIGINT } })
    db:sync()
    assert.truthy(support.create_of(log, "Books"):find("`authorId` UUID" .. ref("Authors", "id", "SET NULL", "CASCADE"), 1, true))
    assert.truthy(support.create_of(log, "Tasks"):find("`UserId` INTEGER NOT NULL" .. ref("Users", "id", "NO ACTION", "CASCADE"), 1, true))
    assert.truthy(support.create_of(log, "Posts"):find("`ownerId` BIGINT DEFAULT 7" .. ref("Users", "id", "SET NULL", "CASCADE"), 1, true))
    assert.truthy(support.create_of(log, "Notes"):find("`uid` VARCHAR(255) DEFAULT 3" .. ref("Users", "id", "CASCADE", "CASCADE"), 1, true))
    assert.truthy(support.create_of(log, "Logs"):find("`uid` INTEGER REFERENCES `Users` (`id`) ON DELETE CASCADE);", 1, true))
    -- (sequelua writes NOT NULL before DEFAULT: the same column)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UGs` (`gid` BIGINT NOT NULL" .. ref("Gs", "id", "CASCADE", "CASCADE")
      .. ", `uid` INTEGER NOT NULL DEFAULT 1" .. ref("Users", "id", "CASCADE", "CASCADE") .. ", PRIMARY KEY (`gid`, `uid`));",
      support.create_of(log, "UGs"))
    local a = Author:create({})
    assert.are.equal(a.id, a:createBook({ title = "t" }).authorId)
    assert.are.equal(a.id, Book:findOne({ include = Author }).Author.id)
    local err = support.catch(Task.create, Task, { title = "x" })
    assert.are.equal("notNull Violation: a task needs a user", err.message)
    local u = User:create({})
    assert.are.equal(7, Post:build({}).ownerId)
    assert.are.equal("the owner", Post.rawAttributes.ownerId.comment)
    assert.are.same({ min = 5 }, Post.rawAttributes.ownerId.validate)
    err = support.catch(u.createPost, u, { ownerId = 2 })
    assert.are.equal("Validation error: Validation min on ownerId failed", err.message)
    u:createPf({})
    assert.are.equal("u1", Pf:findOne().uid)
    assert.are.equal("VARCHAR(255)", tostring(Note.rawAttributes.uid.type))
    assert.are.same({ max = 10, min = 2 }, Note.rawAttributes.uid.validate)
    assert.are.equal(3, Note:build({}).uid)
    assert.are.equal("Validation error: Validation min on uid failed", support.catch(function() Note:build({ uid = 1 }):validate() end).message)
    assert.are.equal("Validation error: Validation max on uid failed", support.catch(function() Note:build({ uid = 50 }):validate() end).message)
    -- a type that is not a column's DataTypes value names the model, the association and the option
    -- (Sequelize takes a string as raw SQL; DataTypes.FOO, undefined, fails with a TypeError)
    err = support.catch(Book.belongsTo, Book, User, { foreignKey = { name = "z", type = "BIGNUM" } })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal('Book.belongsTo(User): foreignKey.type must be a column\'s DataTypes value (an ENUM with its values), got "BIGNUM"',
      err.message)
    err = support.catch(User.belongsToMany, User, Book, { through = "UB", otherKey = { name = "bid", type = DataTypes.VIRTUAL } })
    assert.are.equal("User.belongsToMany(Book): otherKey.type must be a column's DataTypes value (an ENUM with its values), got DataTypes.VIRTUAL",
      err.message)
  end)

  it("a key definition's validator given by an alias (isURL, isLength) names it as given", function()
    -- Sequelize 6.37.8: Player.belongsTo(Team, { foreignKey: { name: 'TeamRef', type: STRING,
    -- validate: { isURL: true } } }); Player.create({ TeamRef: 'not a url' }) ->
    -- Validation error: Validation isURL on TeamRef failed (validatorKey 'isURL')
    -- (the copy on the key kept the definition's name, freed after the association was made)
    local o = { timestamps = false }
    local Team = db:define("Team", {}, o)
    local Player = db:define("Player", {}, o)
    Player:belongsTo(Team, { foreignKey = { name = "TeamRef", type = DataTypes.STRING, validate = { isURL = true } } })
    local Club = db:define("Club", {}, o)
    Player:belongsToMany(Club, { through = "PC", foreignKey = { name = "pid", validate = { isLength = { min = 3 } } } })
    collectgarbage()
    db:sync()
    local err = support.catch(Player.create, Player, { TeamRef = "not a url" })
    assert.are.equal("Validation error: Validation isURL on TeamRef failed", err.message)
    assert.are.equal("isURL", err.errors[1].validatorKey)
    err = support.catch(function() db.models.PC:build({ pid = 1, ClubId = 1 }):validate() end)
    assert.are.equal("Validation error: Validation isLength on pid failed", err.message)
  end)

  it("a key's get / set given with the association reach the instances made before it", function()
    -- Sequelize 6.37.8: made = Task.create({ title: 'a', uid: 5 }), then User.hasMany(Task,
    -- { foreignKey: { name: 'uid', get, set } }); made.uid = 4: made.uid 'got:8', get('uid')
    -- 'got:8', toJSON().uid 'got:8'; saved: the row's uid 8
    local User = db:define("User", { name = DataTypes.STRING })
    local Task = db:define("Task", { title = DataTypes.STRING, uid = DataTypes.INTEGER })
    db:sync()
    local made = Task:create({ title = "a", uid = 5 })
    local built = Task:build({ title = "b" })
    User:hasMany(Task, { foreignKey = { name = "uid", get = function(self) return "got:" .. tostring(self:getDataValue("uid")) end,
                                        set = function(self, v) self:setDataValue("uid", v * 2) end } })
    made.uid = 4
    assert.are.same({ "got:8", "got:8", "got:8" }, { made.uid, made:get("uid"), made:toJSON().uid })
    made:save()
    assert.are.equal(8, Task:findByPk(made.id):getDataValue("uid"))
    -- (and they are still the model's instances: a built one is saved as itself by an include,
    -- sequelua's way, the getter reading its new key)
    local u = User:create({ name = "u", Tasks = { built } }, { include = "Tasks" })
    assert.are.equal(u.Tasks[1], built)
    assert.is_false(built.isNewRecord)
    assert.are.equal("got:", built.uid:sub(1, 4))
  end)

  it("a nested create links its hasMany / hasOne rows through no setter of their key", function()
    -- Sequelize 6.37.8 (set(foreignKey, value, { raw: true }) there): with uid's set doubling,
    -- User.create({ name: 'u', Tasks: [{}] }, { include: 'Tasks' }) (u.id 2): uid 2; its
    -- bulkCreate (v.id 3): uid 3; rows [[2,null],[3,null]]. A belongsTo parent is linked by
    -- its set, the setter run: Task.create({ lead: {...} }, { include: 'lead' }) fails the
    -- FOREIGN KEY constraint (leadId doubled)
    local User = db:define("User", { name = DataTypes.STRING })
    local Task = db:define("Task", { title = DataTypes.STRING })
    local function dbl(k) return function(self, v) self:setDataValue(k, v * 2) end end
    User:hasMany(Task, { foreignKey = { name = "uid", set = dbl("uid") } })
    Task:belongsTo(User, { as = "lead", foreignKey = { name = "leadId", set = dbl("leadId") } })
    db:sync()
    User:create({ name = "x" })
    local u = User:create({ name = "u", Tasks = { { title = "b" } } }, { include = "Tasks" })
    local v = User:bulkCreate({ { name = "v", Tasks = { { title = "c" } } } }, { include = "Tasks" })[1]
    assert.are.same({ 2, 2, 3, 3 }, { u.id, u.Tasks[1].uid, v.id, v.Tasks[1].uid })
    local rows = Task:findAll({ raw = true, order = { { "id", "ASC" } } })
    assert.are.same({ 2, 3 }, { rows[1].uid, rows[2].uid })
    local err = support.catch(Task.create, Task, { title = "d", lead = { name = "w" } }, { include = "lead" })
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
  end)

  it("sourceKey on hasMany / hasOne references that column with its type", function()
    local User = db:define("User", { name = { type = DataTypes.STRING, unique = true } })
    local Post, Bio = db:define("Post", { title = DataTypes.STRING }), db:define("Bio", {})
    User:hasMany(Post, { sourceKey = "name" })
    User:hasOne(Bio, { sourceKey = "name" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255), " .. TS
      .. ", `UserId` VARCHAR(255)" .. ref("Users", "name", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Posts"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Bios` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` VARCHAR(255)" .. ref("Users", "name", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Bios"))
    local u = User:create({ name = "alice" })
    u:createPost({ title = "x" })
    u:createBio({})
    assert.are.same({ { UserId = "alice" } }, support.raw(db, "SELECT UserId FROM Posts"))
    assert.are.same({ { UserId = "alice" } }, support.raw(db, "SELECT UserId FROM Bios"))
    assert.are.equal(1, #u:getPosts())
    assert.is_not_nil(u:getBio())
    local back = User:findOne({ include = Post })
    assert.are.equal("x", back.Posts[1].title)
  end)

  it("an unknown sourceKey or targetKey raises Sequelize's message, nothing defined", function()
    -- Sequelize 6.37.8: Post.belongsTo(User, { targetKey: 'nope' }) throws
    -- Error: Unknown attribute "nope" passed as targetKey, define this attribute on model "User" first
    -- (and User.hasOne(Post, { sourceKey: 'nope' }): ... passed as sourceKey, ... on model "User" first;
    -- its hasMany and belongsToMany fail with a TypeError, which here gets the same message)
    local User = db:define("User", { name = DataTypes.STRING })
    local Post = db:define("Post", {})
    local cases = {
      { Post, "belongsTo", User, { targetKey = "nope" }, "targetKey", "User" },
      { User, "hasOne", Post, { sourceKey = "nope" }, "sourceKey", "User" },
      { User, "hasMany", Post, { sourceKey = "nope" }, "sourceKey", "User" },
      { User, "belongsToMany", Post, { through = "UP", sourceKey = "nope" }, "sourceKey", "User" },
      { User, "belongsToMany", Post, { through = "UP", targetKey = "nope" }, "targetKey", "Post" },
    }
    for _, c in ipairs(cases) do
      local err = support.catch_error(c[1][c[2]], c[1], c[3], c[4])
      assert.are.equal("Error", err.name)
      assert.are.equal(('Unknown attribute "nope" passed as %s, define this attribute on model "%s" first')
        :format(c[5], c[6]), err.message)
    end
    assert.are.same({}, keys(User.associations))
    assert.are.same({}, keys(Post.associations))
    assert.is_nil(db.models.UP)
  end)

  it("targetKey on belongsTo references that column", function()
    local User = db:define("User", { name = { type = DataTypes.STRING, unique = true } })
    local Post = db:define("Post", {})
    Post:belongsTo(User, { targetKey = "name" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` VARCHAR(255)" .. ref("Users", "name", "SET NULL", "CASCADE") .. ");", support.create_of(log, "Posts"))
    local u = User:create({ name = "alice" })
    local p = Post:create({})
    p:setUser(u)
    assert.are.same({ { UserId = "alice" } }, support.raw(db, "SELECT UserId FROM Posts"))
    assert.are.equal("alice", Post:findByPk(p.id):getUser().name)
    local err = support.catch(function() Post:create({ UserId = "nobody" }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, Post:count())
  end)

  it("belongsToMany foreignKey / otherKey name the join columns", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    User:belongsToMany(Project, { through = "UP2", foreignKey = "uid", otherKey = "pid" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UP2` (" .. TS
      .. ", `uid` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE")
      .. ", `pid` INTEGER NOT NULL" .. ref("Projects", "id", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`uid`, `pid`));", support.create_of(log, "UP2"))
    local u = User:create({})
    u:createProject({})
    assert.are.same({ { uid = 1, pid = 1 } }, support.raw(db, "SELECT uid, pid FROM UP2"))
    assert.are.equal(1, u:countProjects())
  end)

  it("belongsToMany sourceKey / targetKey join on those columns", function()
    local User = db:define("User", { name = { type = DataTypes.STRING, unique = true } })
    local Project = db:define("Project", { code = { type = DataTypes.STRING, unique = true } })
    User:belongsToMany(Project, { through = "UP", sourceKey = "name", targetKey = "code" })
    db:sync()
    -- Sequelize: the keys are named after the referenced columns: UserName, ProjectCode
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UP` (" .. TS
      .. ", `UserName` VARCHAR(255) NOT NULL" .. ref("Users", "name", "CASCADE", "CASCADE")
      .. ", `ProjectCode` VARCHAR(255) NOT NULL" .. ref("Projects", "code", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`UserName`, `ProjectCode`));", support.create_of(log, "UP"))
    local u = User:create({ name = "alice" })
    u:addProject(Project:create({ code = "P1" }))
    assert.are.same({ { UserName = "alice", ProjectCode = "P1" } }, support.raw(db, "SELECT UserName, ProjectCode FROM UP"))
    assert.are.equal("P1", u:getProjects()[1].code)
    -- has, remove and set match join rows by the target key too
    local p2 = Project:create({ code = "P2" })
    u:addProject(p2)
    assert.is_true(u:hasProject(p2))
    u:removeProject(p2)
    assert.are.same({ "P1" }, support.field(u:getProjects(), "code"))
    u:setProjects({ p2 })
    assert.are.same({ { UserName = "alice", ProjectCode = "P2" } }, support.raw(db, "SELECT UserName, ProjectCode FROM UP"))
  end)

  it("an empty as, foreignKey, sourceKey, targetKey or otherKey is not given: the default (Sequelize)", function()
    -- Sequelize 6.37.8 reads '' as not given: User.hasMany(Post, { as: '' }) -> as Posts, getPosts;
    -- Post.belongsTo(User, { foreignKey: '' }) and { foreignKey: { name: '' } } -> UserId;
    -- hasOne as '' -> Post, options.name { plural: 'Posts', singular: 'Post' }; sourceKey / targetKey
    -- '' -> id; belongsToMany otherKey '' -> PostId; foreignKey { name: '', fieldName: 'x' } -> x
    local User = db:define("User", { name = DataTypes.STRING })
    local Post = db:define("Post", { title = DataTypes.STRING })
    local Note = db:define("Note", {})
    local hm = User:hasMany(Post, { as = "", foreignKey = "", sourceKey = "" })
    assert.are.same({ "Posts", "UserId", "id" }, { hm.as, hm.foreignKey, hm.sourceKey })
    assert.are.equal("getPosts", hm.accessors.get)
    local bt = Post:belongsTo(User, { as = "", foreignKey = { name = "" }, targetKey = "" })
    assert.are.same({ "User", "UserId", "id" }, { bt.as, bt.foreignKey, bt.targetKey })
    local ho = User:hasOne(Note, { as = "", foreignKey = { name = "", fieldName = "x" } })
    assert.are.same({ "Note", "x" }, { ho.as, ho.foreignKey })
    assert.are.same({ singular = "Note", plural = "Notes" }, ho.options.name)
    local nm = User:belongsToMany(Note, { through = "UN", as = "", foreignKey = "", otherKey = "" })
    assert.are.same({ "Notes", "UserId", "NoteId" }, { nm.as, nm.foreignKey, nm.otherKey })
    db:sync()
    assert.are.same({ "id", "title", "createdAt", "updatedAt", "UserId" }, support.column_names(db, "Posts"))
    local u = User:create({ name = "a" })
    u:createPost({ title = "t" })
    assert.are.equal("a", Post:findOne():getUser().name)
    -- (an empty singular / plural of as, or otherKey's name: Sequelize 6.37.8 then makes
    -- accessors named get, set, ... or an undefined otherKey; refused here)
    local err = support.catch_message(function() User:hasMany(Note, { as = { singular = "", plural = "" } }) end)
    assert.are.equal('User.hasMany: as.singular must be a non-empty string, got ""', err.message)
    err = support.catch_message(function() User:belongsToMany(Post, { through = "UP", otherKey = { name = "" } }) end)
    assert.are.equal('User.belongsToMany: otherKey must be a non-empty string, got ""', err.message)
  end)

  it("a self belongsToMany's other key is the singular of the alias", function()
    local User = db:define("User", {})
    User:belongsToMany(User, { as = "Friends", through = "Friendship" })
    db:sync()
    assert.are.same({ "createdAt", "updatedAt", "UserId", "FriendId" }, support.column_names(db, "Friendship"))
  end)
end)

---------------------------------------------------------------------------------------------
describe("referential actions", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("defaults: ON DELETE SET NULL ON UPDATE CASCADE for hasOne, belongsTo and hasMany, enforced", function()
    local User = db:define("User", {})
    local Profile, Post, Note = db:define("Profile", {}), db:define("Post", {}), db:define("Note", {})
    User:hasOne(Profile)
    User:hasMany(Post)
    Note:belongsTo(User)
    db:sync()
    for _, t in ipairs({ "Profiles", "Posts", "Notes" }) do
      assert.are.equal("CREATE TABLE IF NOT EXISTS `" .. t .. "` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
        .. ", `UserId` INTEGER" .. ref("Users", "id", "SET NULL", "CASCADE") .. ");", support.create_of(log, t))
    end
    local u = User:create({})
    Profile:create({ UserId = u.id }); Post:create({ UserId = u.id }); Note:create({ UserId = u.id })
    User:update({ id = 5 }, { where = { id = u.id } })
    for _, t in ipairs({ "Profiles", "Posts", "Notes" }) do
      assert.are.same({ { UserId = 5 } }, support.raw(db, "SELECT UserId FROM " .. t))
    end
    User:destroy({ where = { id = 5 } })
    for _, t in ipairs({ "Profiles", "Posts", "Notes" }) do
      assert.are.same({ { id = 1, UserId = Sequelize.null } }, support.raw(db, "SELECT id, UserId FROM " .. t))
    end
  end)


  it("a key the model declares without allowNull: CASCADE (hasMany, hasOne), NO ACTION (belongsTo) (Sequelize)", function()
    local User = db:define("User", {})
    local Post = db:define("Post", { userId = DataTypes.INTEGER })
    local Cm = db:define("Cm", { userId = DataTypes.INTEGER })
    local Pf = db:define("Pf", { userId = { type = DataTypes.INTEGER, allowNull = true } })
    User:hasMany(Post, { foreignKey = "userId" })
    Cm:belongsTo(User, { foreignKey = "userId" })
    User:hasOne(Pf, { foreignKey = "userId" })
    db:sync()
    assert.truthy(support.create_of(log, "Posts"):find(ref("Users", "id", "CASCADE", "CASCADE"), 1, true))
    assert.truthy(support.create_of(log, "Cms"):find(ref("Users", "id", "NO ACTION", "CASCADE"), 1, true))
    assert.truthy(support.create_of(log, "Pfs"):find(ref("Users", "id", "SET NULL", "CASCADE"), 1, true))
    local u = User:create({})
    Post:create({ userId = u.id })
    Cm:create({ userId = u.id })
    assert.are.equal("SequelizeForeignKeyConstraintError", support.catch(u.destroy, u).name)
    Cm:destroy({ where = {} })
    u:destroy()
    assert.are.equal(0, Post:count())
  end)
  it("belongsToMany: CASCADE both ways on both keys", function()
    local Post, Tag = db:define("Post", {}), db:define("Tag", {})
    Post:belongsToMany(Tag, { through = "PostTags" })
    Tag:belongsToMany(Post, { through = "PostTags" })
    db:sync()
    local p1, p2, t = Post:create({}), Post:create({}), Tag:create({})
    p1:addTag(t)
    p2:addTag(t)
    Tag:update({ id = 9 }, { where = { id = t.id } })
    assert.are.same({ { PostId = 1, TagId = 9 }, { PostId = 2, TagId = 9 } }, support.raw(db, "SELECT PostId, TagId FROM PostTags ORDER BY PostId"))
    p1:destroy()
    assert.are.same({ { PostId = 2, TagId = 9 } }, support.raw(db, "SELECT PostId, TagId FROM PostTags"))
    Tag:destroy({ where = { id = 9 } })
    assert.are.same({}, support.raw(db, "SELECT PostId, TagId FROM PostTags"))
    assert.are.equal(1, Post:count())
  end)

  it("onDelete / onUpdate overrides are honoured and enforced", function()
    local User, Post = db:define("User", {}), db:define("Post", {})
    User:hasMany(Post, { onDelete = "RESTRICT", onUpdate = "NO ACTION" })
    Post:belongsTo(User, { as = "Editor", onDelete = "SET DEFAULT", onUpdate = "RESTRICT" })
    local Comment = db:define("Comment", {})
    User:hasOne(Comment, { onDelete = "CASCADE" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` INTEGER" .. ref("Users", "id", "RESTRICT", "NO ACTION")
      .. ", `EditorId` INTEGER" .. ref("Users", "id", "SET DEFAULT", "RESTRICT") .. ");", support.create_of(log, "Posts"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Comments` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` INTEGER" .. ref("Users", "id", "CASCADE", "CASCADE") .. ");", support.create_of(log, "Comments"))
    local u1, u2 = User:create({}), User:create({})
    Post:create({ UserId = u1.id })
    Comment:create({ UserId = u2.id })
    local err = support.catch(function() u1:destroy() end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal("FOREIGN KEY constraint failed", err.message)
    err = support.catch(function() User:update({ id = 7 }, { where = { id = u1.id } }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.same({ { id = 1 }, { id = 2 } }, support.raw(db, "SELECT id FROM Users ORDER BY id"))
    u2:destroy()
    assert.are.equal(0, Comment:count())
  end)

  it("belongsToMany onDelete applies to both keys", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    User:belongsToMany(Project, { through = "UP2", onDelete = "RESTRICT" })
    Project:belongsToMany(User, { through = "UP2", onDelete = "RESTRICT" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UP2` (" .. TS
      .. ", `UserId` INTEGER NOT NULL" .. ref("Users", "id", "RESTRICT", "CASCADE")
      .. ", `ProjectId` INTEGER NOT NULL" .. ref("Projects", "id", "RESTRICT", "CASCADE")
      .. ", PRIMARY KEY (`UserId`, `ProjectId`));", support.create_of(log, "UP2"))
    local u, p = User:create({}), Project:create({})
    u:addProject(p)
    local err = support.catch(function() p:destroy() end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, Project:count())
  end)

  it("belongsToMany through a model declaring its keys' onDelete: the association's wins for the source key only", function()
    -- Sequelize 6.37.8 (sourceAttribute.onDelete = options.onDelete || throughAttr.onDelete,
    -- targetAttribute.onDelete = throughAttr.onDelete || options.onDelete):
    --   CREATE TABLE `UGs` (`GroupId` INTEGER NOT NULL REFERENCES `Groups` (`id`) ON DELETE RESTRICT ON UPDATE CASCADE,
    --     `UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (`GroupId`, `UserId`))
    --   u.destroy() succeeds and removes the join row; g.destroy() then succeeds
    local User = db:define("User", {}, { timestamps = false })
    local Group = db:define("Group", {}, { timestamps = false })
    local UG = db:define("UG", { GroupId = { type = DataTypes.INTEGER, onDelete = "RESTRICT" },
      UserId = { type = DataTypes.INTEGER, onDelete = "RESTRICT", onUpdate = "RESTRICT" } }, { timestamps = false })
    User:belongsToMany(Group, { through = UG, onDelete = "CASCADE", onUpdate = "CASCADE" })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UGs` (`GroupId` INTEGER NOT NULL" .. ref("Groups", "id", "RESTRICT", "CASCADE")
      .. ", `UserId` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`GroupId`, `UserId`));", support.create_of(log, "UGs"))
    local u, g = User:create({}), Group:create({})
    u:addGroup(g)
    local g2 = Group:create({})
    u:addGroup(g2)
    assert.are.equal("SequelizeForeignKeyConstraintError", support.catch(g2.destroy, g2).name)
    u:destroy()
    assert.are.equal(0, UG:count())
    g:destroy()
    assert.are.equal(1, Group:count())
  end)

  it("constraints = false adds the column only (no REFERENCES), for every kind", function()
    local User, Post = db:define("User", {}), db:define("Post", {})
    User:hasOne(Post, { constraints = false })
    Post:belongsTo(User, { as = "Author", constraints = false })
    User:hasMany(Post, { as = "Drafts", foreignKey = "draftOf", constraints = false })
    local Project = db:define("Project", {})
    User:belongsToMany(Project, { through = "UP", constraints = false })
    db:sync()
    -- Sequelize 6.37.8
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` INTEGER, `AuthorId` INTEGER, `draftOf` INTEGER);", support.create_of(log, "Posts"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UP` (" .. TS
      .. ", `UserId` INTEGER NOT NULL, `ProjectId` INTEGER NOT NULL, PRIMARY KEY (`UserId`, `ProjectId`));", support.create_of(log, "UP"))
    -- dangling keys are accepted
    Post:create({ UserId = 40, AuthorId = 41, draftOf = 42 })
    assert.are.same({ { UserId = 40, AuthorId = 41, draftOf = 42 } }, support.raw(db, "SELECT UserId, AuthorId, draftOf FROM Posts"))
    -- the associations still work
    local u = User:create({})
    local p = u:createPost({})
    assert.are.equal(u.id, p.UserId)
    assert.are.equal(p.id, u:getPost().id)
  end)
  it("constraints = false with an explicit onDelete / onUpdate / foreignKeyConstraint still writes the reference", function()
    -- Sequelize 6.37.8 (addForeignKeyConstraints: constraints = false only skips the defaults):
    --   Posts `UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE CASCADE (hasMany, hasOne, belongsTo alike)
    --   Pfs   `UserId` INTEGER REFERENCES `Users` (`id`) ON UPDATE CASCADE
    --   Notes `UserId` INTEGER REFERENCES `Users` (`id`)          (foreignKeyConstraint: true)
    --   UP    `UserId` INTEGER NOT NULL, `PId` INTEGER NOT NULL    (belongsToMany: none)
    --   rawAttributes.UserId of Posts: references { model: Users, key: id }, onDelete CASCADE, no onUpdate
    local User = db:define("User", {}, { timestamps = false })
    local Post = db:define("Post", {}, { timestamps = false })
    local Pf = db:define("Pf", {}, { timestamps = false })
    local Note = db:define("Note", {}, { timestamps = false })
    local Cm = db:define("Cm", {}, { timestamps = false })
    local P = db:define("P", {}, { timestamps = false })
    User:hasMany(Post, { constraints = false, onDelete = "CASCADE" })
    User:hasOne(Pf, { constraints = false, onUpdate = "CASCADE" })
    Note:belongsTo(User, { constraints = false, foreignKeyConstraint = true })
    Cm:belongsTo(User, { constraints = false, onDelete = "CASCADE" })
    User:belongsToMany(P, { through = "UP", constraints = false, onDelete = "CASCADE" })
    db:sync()
    local pre = "CREATE TABLE IF NOT EXISTS `%s` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `UserId` INTEGER REFERENCES `Users` (`id`)%s);"
    assert.are.equal(pre:format("Posts", " ON DELETE CASCADE"), support.create_of(log, "Posts"))
    assert.are.equal(pre:format("Pfs", " ON UPDATE CASCADE"), support.create_of(log, "Pfs"))
    assert.are.equal(pre:format("Notes", ""), support.create_of(log, "Notes"))
    assert.are.equal(pre:format("Cms", " ON DELETE CASCADE"), support.create_of(log, "Cms"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UP` (" .. TS .. ", `UserId` INTEGER NOT NULL, `PId` INTEGER NOT NULL, "
      .. "PRIMARY KEY (`UserId`, `PId`));", support.create_of(log, "UP"))
    local ra = Post.rawAttributes.UserId
    assert.are.same({ model = "Users", key = "id" }, ra.references)
    assert.are.equal("CASCADE", ra.onDelete)
    assert.is_nil(ra.onUpdate)
    -- enforced: the post goes with its user; ON UPDATE is NO ACTION, so the id change is refused
    local u = User:create({})
    Post:create({ UserId = u.id })
    assert.are.equal("SequelizeForeignKeyConstraintError",
      support.catch(function() User:update({ id = 5 }, { where = { id = u.id } }) end).name)
    u:destroy()
    assert.are.equal(0, Post:count())
    -- Pfs: ON DELETE is NO ACTION, so a referenced user cannot go
    local u2 = User:create({})
    Pf:create({ UserId = u2.id })
    assert.are.equal("SequelizeForeignKeyConstraintError", support.catch(u2.destroy, u2).name)
  end)
end)

---------------------------------------------------------------------------------------------
describe("belongsToMany through", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  it("through as a name creates db.models[name]: composite primary key and timestamps (WORKLOAD.md's blog)", function()
    local User = db:define("User", { username = DataTypes.STRING, email = DataTypes.STRING, password = DataTypes.STRING })
    local Profile = db:define("Profile", { bio = DataTypes.TEXT })
    local Post = db:define("Post", { title = DataTypes.STRING, body = DataTypes.TEXT })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    User:hasOne(Profile); Profile:belongsTo(User)
    User:hasMany(Post); Post:belongsTo(User)
    Post:belongsToMany(Tag, { through = "PostTags" }); Tag:belongsToMany(Post, { through = "PostTags" })
    db:sync()
    local PostTags = db.models.PostTags
    assert.is_not_nil(PostTags)
    assert.are.equal(PostTags, db:model("PostTags"))
    assert.are.equal("PostTags", PostTags.name)
    assert.are.equal("PostTags", PostTags.tableName)
    assert.are.same({ "PostId", "TagId", "createdAt", "updatedAt" }, keys(PostTags.rawAttributes))
    assert.is_true(PostTags.rawAttributes.PostId.primaryKey)
    assert.is_true(PostTags.rawAttributes.TagId.primaryKey)
    -- WORKLOAD.md, verbatim; the other tables in sequelua's column order
    assert.are.equal("CREATE TABLE IF NOT EXISTS `PostTags` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, "
      .. "`PostId` INTEGER NOT NULL REFERENCES `Posts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`TagId` INTEGER NOT NULL REFERENCES `Tags` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`PostId`, `TagId`));", support.create_of(log, "PostTags"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `email` VARCHAR(255), "
      .. "`password` VARCHAR(255), `username` VARCHAR(255), " .. TS .. ");", support.create_of(log, "Users"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Profiles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `bio` TEXT, " .. TS
      .. ", `UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Profiles"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `body` TEXT, `title` VARCHAR(255), " .. TS
      .. ", `UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);", support.create_of(log, "Posts"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Tags` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), " .. TS
      .. ");", support.create_of(log, "Tags"))
    assert.are.same({ "PostTags", "Posts", "Profiles", "Tags", "Users" }, support.tables(db))
    -- the through model is an ordinary model; its key is composite
    local p, t = Post:create({ title = "p" }), Tag:create({ name = "t" })
    local link = PostTags:create({ PostId = p.id, TagId = t.id })
    assert.is_string(link.createdAt)
    local err = support.catch(function() PostTags:create({ PostId = p.id, TagId = t.id }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.same({ { PostId = 1, TagId = 1 } }, support.raw(db, "SELECT PostId, TagId FROM PostTags"))
    assert.are.equal(1, #p:getTags())
  end)

  it("the reverse n:m is paired: each one's foreignKey is the other's otherKey (Sequelize's paired association)", function()
    -- Sequelize 6.37.8: uid pid pid uid, paired both ways; UP has uid and pid only
    local User, Project = db:define("User", { name = DataTypes.STRING }), db:define("Project", { name = DataTypes.STRING })
    local a1 = User:belongsToMany(Project, { through = "UP", foreignKey = "uid" })
    local a2 = Project:belongsToMany(User, { through = "UP", foreignKey = "pid" })
    assert.are.same({ "uid", "pid", "pid", "uid" }, { a1.foreignKey, a1.otherKey, a2.foreignKey, a2.otherKey })
    assert.are.equal(a2, a1.paired)
    assert.are.equal(a1, a2.paired)
    db:sync()
    assert.are.same({ "createdAt", "pid", "uid", "updatedAt" }, keys(db.models.UP.rawAttributes))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UP` (" .. TS
      .. ", `uid` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`pid` INTEGER NOT NULL REFERENCES `Projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`uid`, `pid`));", support.create_of(log, "UP"))
    local u, p = User:create({ name = "u" }), Project:create({ name = "p" })
    u:addProject(p)
    assert.are.same({ { uid = 1, pid = 1 } }, support.raw(db, "SELECT uid, pid FROM UP"))
    -- read from both sides (before pairing, getUsers found nobody: the rows had no pid)
    local users = p:getUsers()
    assert.are.equal(1, #users)
    assert.are.equal("u", users[1].name)
    assert.are.equal(1, #u:getProjects())
    assert.is_true(p:hasUser(u))
    assert.are.equal(1, #Project:findAll({ include = User })[1].Users)
  end)

  it("paired where one side names its keys and the other does not: the other reuses them; differing names raise", function()
    -- Sequelize 6.37.8 is broken here (deliberately not copied): a2 pairs with a1 (a2.otherKey = memberId,
    -- a2.foreignKey = GroupId), clubId leaves the join model, and a1's add / get fail with
    -- "SequelizeDatabaseError: no such column: Memberships.clubId". sequelua: a2's foreignKey is a1's
    -- otherKey (clubId), one table `memberId`, `clubId`, PRIMARY KEY (`memberId`, `clubId`), both sides see each link.
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Group = db:define("Group", { title = DataTypes.STRING }, { timestamps = false })
    local a1 = User:belongsToMany(Group, { through = "Memberships", foreignKey = "memberId", otherKey = "clubId" })
    local a2 = Group:belongsToMany(User, { through = "Memberships" })
    assert.are.same({ "memberId", "clubId", "clubId", "memberId" }, { a1.foreignKey, a1.otherKey, a2.foreignKey, a2.otherKey })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Memberships` (" .. TS
      .. ", `memberId` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE")
      .. ", `clubId` INTEGER NOT NULL" .. ref("Groups", "id", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`memberId`, `clubId`));", support.create_of(log, "Memberships"))
    local x, y = User:create({ name = "a" }), Group:create({ title = "g" })
    x:addGroup(y)
    local z = Group:create({ title = "h" })
    z:addUser(x)
    assert.are.same({ { memberId = 1, clubId = 1 }, { memberId = 1, clubId = 2 } },
      support.raw(db, "SELECT memberId, clubId FROM Memberships ORDER BY clubId"))
    assert.are.equal(2, #x:getGroups())
    assert.are.equal(1, #y:getUsers())
    assert.are.equal(1, #z:getUsers())
    -- both named, differently: an AssociationError at definition, naming the keys
    local Club = db:define("Club", {}, { timestamps = false })
    User:belongsToMany(Club, { through = "Mb2", foreignKey = "memberId", otherKey = "clubId" })
    local err = support.catch(Club.belongsToMany, Club, User, { through = "Mb2", foreignKey = "cid" })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("Paired belongsToMany keys differ: Club.belongsToMany(User) through Mb2 has foreignKey 'cid', but the "
      .. "paired User.belongsToMany(Club) has otherKey 'clubId' for that key; give both the same two keys (or leave this one's out)",
      err.message)
    err = support.catch(Club.belongsToMany, Club, User, { through = "Mb2", otherKey = "uid" })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.truthy(err.message:find("has otherKey 'uid', but the paired User.belongsToMany(Club) has foreignKey 'memberId'", 1, true))
    assert.is_nil(Club.associations.Users)
    -- the unnamed side defined first: the naming side raises, saying to define it first
    -- (Sequelize 6.37.8: TypeError at the second definition)
    local Team = db:define("Team", {}, { timestamps = false })
    Team:belongsToMany(User, { through = "Mb3" })
    err = support.catch(User.belongsToMany, User, Team, { through = "Mb3", foreignKey = "memberId", otherKey = "teamNo" })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.truthy(err.message:find("took the default foreignKey 'TeamId'; define the association that names its keys "
      .. "first, or give the other one foreignKey = 'teamNo'", 1, true), err.message)
  end)

  it("paired through a model with its own id: the two keys are one composite UNIQUE", function()
    -- Sequelize 6.37.8: `Members` (`id` ..., `uid` INTEGER REFERENCES ..., `gid` INTEGER REFERENCES ..., UNIQUE (`uid`, `gid`))
    local User, Group = db:define("User", {}), db:define("Group", {})
    local Member = db:define("Member", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                                         role = DataTypes.STRING })
    User:belongsToMany(Group, { through = Member, foreignKey = "uid" })
    Group:belongsToMany(User, { through = Member, foreignKey = "gid" })
    db:sync()
    assert.are.same({ "createdAt", "gid", "id", "role", "uid", "updatedAt" }, keys(Member.rawAttributes))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Members` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `role` VARCHAR(255), "
      .. TS .. ", `uid` INTEGER REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`gid` INTEGER REFERENCES `Groups` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, UNIQUE (`uid`, `gid`));",
      support.create_of(log, "Members"))
    local u, g, g2 = User:create({}), Group:create({}), Group:create({})
    u:addGroup(g, { through = { role = "admin" } })
    u:addGroup(g2)
    local users = g:getUsers()
    assert.are.equal(1, #users)
    assert.are.equal("admin", users[1].Member.role)
    -- one pair once; one user in two groups is fine
    local err = support.catch(function() Member:create({ uid = u.id, gid = g.id }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
  end)

  it("paired with sourceKeys: each one's targetKey is the other's sourceKey", function()
    -- Sequelize 6.37.8: ACode BRef code ref | BRef ACode ref code; AB (ACode, BRef) only
    local A = db:define("A", { code = { type = DataTypes.STRING, unique = true } })
    local B = db:define("B", { ref = { type = DataTypes.STRING, unique = true } })
    local x1 = A:belongsToMany(B, { through = "AB", sourceKey = "code" })
    local x2 = B:belongsToMany(A, { through = "AB", sourceKey = "ref" })
    assert.are.same({ "ACode", "BRef", "code", "ref" }, { x1.foreignKey, x1.otherKey, x1.sourceKey, x1.targetKey })
    assert.are.same({ "BRef", "ACode", "ref", "code" }, { x2.foreignKey, x2.otherKey, x2.sourceKey, x2.targetKey })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `AB` (" .. TS
      .. ", `ACode` VARCHAR(255) NOT NULL REFERENCES `As` (`code`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "`BRef` VARCHAR(255) NOT NULL REFERENCES `Bs` (`ref`) ON DELETE CASCADE ON UPDATE CASCADE, "
      .. "PRIMARY KEY (`ACode`, `BRef`));", support.create_of(log, "AB"))
    local a, b = A:create({ code = "c1" }), B:create({ ref = "r1" })
    a:addB(b)
    assert.are.same({ { ACode = "c1", BRef = "r1" } }, support.raw(db, "SELECT ACode, BRef FROM AB"))
    assert.are.equal(1, #b:getAs())
    assert.are.equal("c1", b:getAs()[1].code)
  end)

  it("pairing keeps a key column another association still uses", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    local UP = db:define("UP", { role = DataTypes.STRING })
    User:belongsToMany(Project, { through = UP })
    UP:belongsTo(Project) -- UP.ProjectId is this one's key too
    Project:belongsToMany(User, { through = UP, foreignKey = "pid" })
    assert.is_table(UP.rawAttributes.ProjectId)
    db:sync()
    assert.are.same({}, UP:findAll({ include = Project }))
    -- a second n:m through the same model under an alias keeps its key too
    local A, B = db:define("A", {}), db:define("B", {})
    A:belongsToMany(B, { through = "AB" })
    A:belongsToMany(B, { through = "AB", as = "Others" })
    B:belongsToMany(A, { through = "AB", foreignKey = "bkey" })
    db:sync()
    assert.are.same({}, A:findAll({ include = "Bs" }))
    assert.are.same({}, A:findAll({ include = "Others" }))
  end)

  it("a belongsToMany that fails leaves its through model as it was", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    local Link = db:define("Link", { note = DataTypes.STRING })
    local err = support.catch(function() User:belongsToMany(Project, { through = Link, sourceKey = "nope" }) end)
    assert.truthy(err.message:find("nope", 1, true), err.message)
    assert.is_true(Link.rawAttributes.id.primaryKey)
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Links` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `note` VARCHAR(255), "
      .. TS .. ");", support.create_of(log, "Links"))
  end)

  it("a through name is reused by the reverse association (one model, not two)", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    local a1 = User:belongsToMany(Project, { through = "UserProject" })
    local UP = db.models.UserProject
    Project:belongsToMany(User, { through = "UserProject" })
    assert.are.equal(UP, db.models.UserProject)
    assert.is_not_nil(a1)
    db:sync()
    assert.are.same({ "Projects", "UserProject", "Users" }, support.tables(db))
    assert.are.same({ "createdAt", "updatedAt", "UserId", "ProjectId" }, support.column_names(db, "UserProject"))
  end)

  it("a through name takes the source's underscored", function()
    local User = db:define("User", {}, { underscored = true })
    local Project = db:define("Project", {})
    User:belongsToMany(Project, { through = "UserProject" })
    Project:belongsToMany(User, { through = "UserProject" })
    db:sync()
    -- Sequelize 6.37.8
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UserProject` (`created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, "
      .. "`user_id` INTEGER NOT NULL" .. ref("users", "id", "CASCADE", "CASCADE")
      .. ", `project_id` INTEGER NOT NULL" .. ref("Projects", "id", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`user_id`, `project_id`));", support.create_of(log, "UserProject"))
    assert.are.equal("user_id", db.models.UserProject.rawAttributes.UserId.field)
  end)

  it("through as a model keeps its own attributes and loses the auto id", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    local UserProjects = db:define("UserProjects", { status = DataTypes.STRING, role = { type = DataTypes.STRING, defaultValue = "member" } })
    assert.is_not_nil(UserProjects.rawAttributes.id)
    User:belongsToMany(Project, { through = UserProjects })
    Project:belongsToMany(User, { through = UserProjects })
    db:sync()
    assert.is_nil(UserProjects.rawAttributes.id)
    assert.are.same({ "ProjectId", "UserId", "createdAt", "role", "status", "updatedAt" }, keys(UserProjects.rawAttributes))
    assert.are.equal(UserProjects, db.models.UserProjects)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UserProjects` (`role` VARCHAR(255) DEFAULT 'member', `status` VARCHAR(255), " .. TS
      .. ", `UserId` INTEGER NOT NULL" .. ref("Users", "id", "CASCADE", "CASCADE")
      .. ", `ProjectId` INTEGER NOT NULL" .. ref("Projects", "id", "CASCADE", "CASCADE")
      .. ", PRIMARY KEY (`UserId`, `ProjectId`));", support.create_of(log, "UserProjects"))
    local u = User:create({})
    u:addProject(Project:create({}), { through = { status = "started" } })
    assert.are.same({ { UserId = 1, ProjectId = 1, status = "started", role = "member" } },
      support.raw(db, "SELECT UserId, ProjectId, status, role FROM UserProjects"))
  end)

  it("through as a model with its own id primary key keeps it; keys nullable with a composite UNIQUE", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    local UP = db:define("UP", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true } })
    User:belongsToMany(Project, { through = UP })
    Project:belongsToMany(User, { through = UP })
    db:sync()
    assert.is_not_nil(UP.rawAttributes.id)
    local u, p = User:create({}), Project:create({})
    u:addProject(p)
    assert.are.same({ { id = 1, UserId = 1, ProjectId = 1 } }, support.raw(db, "SELECT id, UserId, ProjectId FROM UPs"))
    local err = support.catch(function() UP:create({ UserId = 1, ProjectId = 1 }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.equal(1, UP:count())
    -- Sequelize 6.37.8 (table UPs: a model's table name is pluralised)
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UPs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, " .. TS
      .. ", `UserId` INTEGER" .. ref("Users", "id", "CASCADE", "CASCADE")
      .. ", `ProjectId` INTEGER" .. ref("Projects", "id", "CASCADE", "CASCADE")
      .. ", UNIQUE (`UserId`, `ProjectId`));", support.create_of(log, "UPs"))
  end)

  it("through as a model whose own primary key is more than the two keys: they are a composite UNIQUE too", function()
    -- Sequelize 6.37.8:
    --   CREATE TABLE `UGs` (`GroupId` INTEGER NOT NULL REFERENCES `Groups` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    --     `UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
    --     `since` VARCHAR(255) NOT NULL, UNIQUE (`GroupId`, `UserId`), PRIMARY KEY (`GroupId`, `UserId`, `since`))
    --   the second UG.create of the pair: SequelizeUniqueConstraintError; the include gives the group once
    --   a key it lacks (primary key UserId + since): `GroupId` INTEGER REFERENCES ... (nullable, not in the
    --   primary key), UNIQUE (`UserId`, `GroupId`), PRIMARY KEY (`UserId`, `since`)
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Group = db:define("Group", { title = DataTypes.STRING }, { timestamps = false })
    local UG = db:define("UG", { GroupId = { type = DataTypes.INTEGER, primaryKey = true },
      UserId = { type = DataTypes.INTEGER, primaryKey = true },
      since = { type = DataTypes.STRING, primaryKey = true } }, { timestamps = false })
    User:belongsToMany(Group, { through = UG })
    local Team = db:define("Team", {}, { timestamps = false })
    local UT = db:define("UT", { UserId = { type = DataTypes.INTEGER, primaryKey = true },
      since = { type = DataTypes.STRING, primaryKey = true } }, { timestamps = false })
    User:belongsToMany(Team, { through = UT })
    db:sync()
    local cascade = ref("%s", "id", "CASCADE", "CASCADE")
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UGs` (`GroupId` INTEGER NOT NULL" .. cascade:format("Groups")
      .. ", `UserId` INTEGER NOT NULL" .. cascade:format("Users") .. ", `since` VARCHAR(255) NOT NULL"
      .. ", UNIQUE (`GroupId`, `UserId`), PRIMARY KEY (`GroupId`, `UserId`, `since`));", support.create_of(log, "UGs"))
    assert.are.equal("CREATE TABLE IF NOT EXISTS `UTs` (`UserId` INTEGER NOT NULL" .. cascade:format("Users")
      .. ", `since` VARCHAR(255) NOT NULL, `TeamId` INTEGER" .. cascade:format("Teams")
      .. ", UNIQUE (`UserId`, `TeamId`), PRIMARY KEY (`UserId`, `since`));", support.create_of(log, "UTs"))
    local u, g = User:create({ name = "a" }), Group:create({ title = "G" })
    u:addGroup(g, { through = { since = "2020" } })
    assert.are.equal("SequelizeUniqueConstraintError",
      support.catch(UG.create, UG, { UserId = 1, GroupId = 1, since = "2021" }).name)
    assert.are.equal(1, #User:findAll({ include = Group })[1].Groups)
  end)
end)

---------------------------------------------------------------------------------------------
describe("accessor names", function()
  local db
  before_each(function() db = support.open() end)
  after_each(function() db:close() end)

  local function many(singular, plural)
    return { "get" .. plural, "count" .. plural, "has" .. singular, "has" .. plural, "set" .. plural,
      "add" .. singular, "add" .. plural, "remove" .. singular, "remove" .. plural, "create" .. singular }
  end

  it("hasOne and belongsTo: getX / setX / createX only", function()
    local User, Profile, Team = db:define("User", {}), db:define("Profile", {}), db:define("Team", {})
    User:hasOne(Profile)
    User:belongsTo(Team)
    db:sync()
    local u = User:create({})
    methods(u, { "getProfile", "setProfile", "createProfile", "getTeam", "setTeam", "createTeam" })
    no_methods(u, { "getProfiles", "addProfile", "countProfiles", "hasProfile", "removeProfile",
      "getTeams", "addTeam", "hasTeam" })
    -- they work
    local p = u:createProfile({})
    assert.are.equal(u.id, p.UserId)
    local t = u:createTeam({})
    assert.are.equal(t.id, User:findByPk(u.id).TeamId)
    assert.are.equal(p.id, u:getProfile().id)
    assert.are.equal(t.id, u:getTeam().id)
  end)

  it("hasMany: getXs countXs hasX hasXs setXs addX addXs removeX removeXs createX", function()
    local Team, Player = db:define("Team", {}), db:define("Player", {})
    Team:hasMany(Player)
    db:sync()
    local t = Team:create({})
    methods(t, many("Player", "Players"))
    no_methods(t, { "getPlayer", "setPlayer", "createPlayers" })
    local p1 = t:createPlayer({})
    local p2 = Player:create({})
    t:addPlayer(p2)
    assert.are.equal(2, t:countPlayers())
    assert.is_true(t:hasPlayer(p1))
    assert.is_true(t:hasPlayers({ p1, p2 }))
    t:removePlayer(p1)
    assert.are.same({ p2.id }, support.ids(t:getPlayers()))
    t:removePlayers({ p2 })
    t:addPlayers({ p1, p2 })
    t:setPlayers({ p1 })
    assert.are.same({ { id = 1, TeamId = 1 }, { id = 2, TeamId = Sequelize.null } }, support.raw(db, "SELECT id, TeamId FROM Players ORDER BY id"))
  end)

  it("belongsToMany: the same list, on both sides", function()
    local Post, Tag = db:define("Post", {}), db:define("Tag", {})
    Post:belongsToMany(Tag, { through = "PostTags" })
    Tag:belongsToMany(Post, { through = "PostTags" })
    db:sync()
    local p, t = Post:create({}), Tag:create({})
    methods(p, many("Tag", "Tags"))
    methods(t, many("Post", "Posts"))
    no_methods(p, { "getTag", "setTag" })
    p:addTag(t)
    assert.is_true(t:hasPost(p))
    assert.are.equal(1, t:countPosts())
  end)

  it("as names the accessors and the association key (singular from the inflector)", function()
    local Project, User = db:define("Project", {}), db:define("User", {})
    Project:hasMany(User, { as = "Workers" })
    Project:hasOne(User, { as = "Initiator", foreignKey = "initiatorOf" })
    local Person = db:define("Person", {})
    Person:belongsToMany(Person, { as = "Children", through = "PersonChildren" })
    db:sync()
    assert.are.same({ "Initiator", "Workers" }, keys(Project.associations))
    local p = Project:create({})
    methods(p, many("Worker", "Workers"))
    methods(p, { "getInitiator", "setInitiator", "createInitiator" })
    no_methods(p, { "getUsers", "getUser" })
    local person = Person:create({})
    methods(person, many("Child", "Children"))
    assert.are.same({ "Children" }, keys(Person.associations))
  end)

  it("as = { singular, plural } on hasMany and belongsToMany", function()
    local User, Person, Project = db:define("User", {}), db:define("Person", {}), db:define("Project", {})
    User:hasMany(Person, { as = { singular = "Minion", plural = "Minions" } })
    User:belongsToMany(Project, { as = { singular = "task", plural = "tasks" }, through = "UserTasks" })
    db:sync()
    assert.are.same({ "Minions", "tasks" }, keys(User.associations))
    -- Sequelize: the key is still <Source><Pk>
    assert.are.same({ "id", "createdAt", "updatedAt", "UserId" }, support.column_names(db, "People"))
    local u = User:create({})
    methods(u, many("Minion", "Minions"))
    methods(u, many("Task", "Tasks"))
    u:createMinion({})
    u:createTask({})
    assert.are.equal(1, u:countMinions())
    assert.are.equal(1, u:countTasks())
    assert.are.equal(1, #User:findByPk(u.id, { include = "Minions" }).Minions)
  end)

  it("the same association defined twice without alias: includes use the newer, accessors stay on the older", function()
    -- Sequelize 6.37.8: User.hasMany(Task) twice (also hasOne, belongsTo, belongsToMany):
    --   User.findAll({ include: Task }) works (0 rows here); with foreignKey aId then bId:
    --   u.getTasks() -> ["A"] (the aId rows), include 'Tasks' -> ["B"] (bId), u.createTask({ title: 'C' }) writes aId
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Task = db:define("Task", { title = DataTypes.STRING }, { timestamps = false })
    local Note = db:define("Note", {}, { timestamps = false })
    local Tag = db:define("Tag", {}, { timestamps = false })
    User:hasMany(Task, { foreignKey = "aId" })
    User:hasMany(Task, { foreignKey = "bId" })
    Note:belongsTo(User); Note:belongsTo(User)
    User:belongsToMany(Tag, { through = "UT" }); User:belongsToMany(Tag, { through = "UT" })
    db:sync()
    assert.are.same({ "Tags", "Tasks" }, keys(User.associations))
    assert.are.equal("bId", User.associations.Tasks.foreignKey)
    assert.are.equal(0, #User:findAll({ include = Task }))
    assert.are.equal(0, #Note:findAll({ include = User }))
    assert.are.equal(0, #User:findAll({ include = Tag }))
    local u = User:create({ name = "u" })
    Task:create({ title = "A", aId = 1 })
    Task:create({ title = "B", bId = 1 })
    assert.are.same({ "A" }, support.field(u:getTasks(), "title"))
    assert.are.same({ "B" }, support.field(User:findAll({ include = Task })[1].Tasks, "title"))
    assert.are.same({ "B" }, support.field(User:findAll({ include = "Tasks" })[1].Tasks, "title"))
    local c = u:createTask({ title = "C" })
    assert.are.same({ 1, nil }, { c.aId, c.bId })
  end)

  it("a target's name option names the accessors: Item { singular = gadget, plural = gadgets }", function()
    local User = db:define("User", {})
    local Item = db:define("Item", {}, { name = { singular = "gadget", plural = "gadgets" } })
    User:hasMany(Item)
    db:sync()
    assert.are.same({ "gadgets" }, keys(User.associations))
    local u = User:create({})
    methods(u, many("Gadget", "Gadgets"))
    u:createGadget({})
    assert.are.same({ 1 }, support.ids(u:getGadgets()))
    assert.are.same({ "id", "createdAt", "updatedAt", "UserId" }, support.column_names(db, "Items"))
  end)
end)

---------------------------------------------------------------------------------------------
describe("sync order", function()
  local db, log
  before_each(function() db, log = support.open() end)
  after_each(function() db:close() end)

  local function blog()
    -- defined referencing-first on purpose
    local Comment = db:define("Comment", {})
    local Post = db:define("Post", {})
    local User = db:define("User", {})
    Post:hasMany(Comment)
    User:hasMany(Post)
    return Comment, Post, User
  end

  it("creates tables in foreign-key order, whatever the definition order", function()
    blog()
    db:sync()
    assert.are.same({ "CREATE Users", "CREATE Posts", "CREATE Comments" }, ddl_steps(log))
  end)

  it("force drops in reverse order first, then creates in order", function()
    local Comment, Post, User = blog()
    db:sync()
    local u = User:create({})
    local p = u:createPost({})
    p:createComment({})
    support.clear(log)
    db:sync({ force = true })
    local steps = ddl_steps(log)
    -- the first three steps drop the referencing tables first; every drop precedes its create
    assert.are.same({ "DROP Comments", "DROP Posts", "DROP Users" }, { steps[1], steps[2], steps[3] })
    local creates = {}
    for _, s in ipairs(steps) do
      if s:find("^CREATE") then creates[#creates + 1] = s end
    end
    assert.are.same({ "CREATE Users", "CREATE Posts", "CREATE Comments" }, creates)
    assert.are.equal(0, User:count())
    assert.are.equal(0, Comment:count())
    assert.are.equal(0, Post:count())
  end)

  it("db:drop() drops referencing tables first", function()
    blog()
    db:sync()
    support.clear(log)
    db:drop()
    local steps = ddl_steps(log)
    assert.are.same({ "DROP Comments", "DROP Posts", "DROP Users" }, { steps[1], steps[2], steps[3] })
    assert.are.same({}, support.tables(db))
  end)

  it("a through table comes after both sides", function()
    local Tag, Post = db:define("Tag", {}), db:define("Post", {})
    Post:belongsToMany(Tag, { through = "PostTags" })
    Tag:belongsToMany(Post, { through = "PostTags" })
    db:sync()
    local steps = ddl_steps(log)
    assert.are.equal("CREATE PostTags", steps[3])
  end)

  it("a self-reference is not a cycle", function()
    local Person = db:define("Person", {})
    Person:hasOne(Person, { as = "Father" })
    Person:belongsToMany(Person, { as = "Children", through = "PersonChildren" })
    db:sync()
    assert.are.same({ "CREATE People", "CREATE PersonChildren" }, ddl_steps(log))
  end)

  it("a cycle raises the seed's message and creates nothing; constraints = false breaks it", function()
    local Document = db:define("Document", { author = DataTypes.STRING })
    local Version = db:define("Version", { timestamp = DataTypes.DATE })
    Document:hasMany(Version)
    Document:belongsTo(Version, { as = "Current", foreignKey = "current_version_id" })
    local err = support.catch(function() db:sync() end)
    local msg = type(err) == "table" and err.message or tostring(err)
    assert.are.equal("Cyclic dependency found. 'Document' is dependent of itself. Dependency Chain: Document -> Version => Document", msg)
    assert.are.same({}, support.tables(db))
    -- force does not drop anything either
    err = support.catch(function() db:sync({ force = true }) end)
    assert.are.same({}, support.tables(db))
    -- db:drop() of such tables (made elsewhere, rows referencing each other) drops them with
    -- foreign keys off for the while (Sequelize)
    db:query("CREATE TABLE Documents (id INTEGER PRIMARY KEY, current_version_id INTEGER REFERENCES Versions(id))")
    db:query("CREATE TABLE Versions (id INTEGER PRIMARY KEY, DocumentId INTEGER REFERENCES Documents(id))")
    db:query("INSERT INTO Documents VALUES (1, NULL)")
    db:query("INSERT INTO Versions VALUES (1, 1)")
    db:query("UPDATE Documents SET current_version_id = 1")
    db:drop()
    assert.are.same({}, support.tables(db))
    assert.are.equal(1, support.raw(db, "PRAGMA foreign_keys")[1].foreign_keys)

    local db2, log2 = support.open()
    local D = db2:define("Document", { author = DataTypes.STRING })
    local V = db2:define("Version", { timestamp = DataTypes.DATE })
    D:hasMany(V, { constraints = false })
    D:belongsTo(V, { as = "Current", foreignKey = "current_version_id" })
    db2:sync()
    -- now Documents references Versions, Versions references nothing
    assert.are.same({ "CREATE Versions", "CREATE Documents" }, ddl_steps(log2))
    assert.are.same({ "id", "timestamp", "createdAt", "updatedAt", "DocumentId" }, support.column_names(db2, "Versions"))
    db2:close()
  end)
end)

---------------------------------------------------------------------------------------------
describe("definition errors", function()
  local db
  before_each(function() db = support.open() end)
  after_each(function() db:close() end)

  it("belongsToMany without through", function()
    local User, Project = db:define("User", {}), db:define("Project", {})
    for _, opts in ipairs({ {}, { as = "Jobs" } }) do
      local err = support.catch(function() User:belongsToMany(Project, opts) end)
      assert.are.equal("SequelizeAssociationError", err.name)
      assert.are.equal("User.belongsToMany(Project) requires through option, pass either a string or a model", err.message)
      assert.is_true(err:is(Sequelize.errors.AssociationError))
      assert.is_true(err:is(Sequelize.errors.BaseError))
      assert.are.equal("SequelizeAssociationError: " .. err.message, tostring(err))
    end
    local err = support.catch(function() User:belongsToMany(Project) end)
    assert.are.equal("SequelizeAssociationError", err.name)
    -- nothing was defined
    assert.are.same({}, keys(User.associations))
    assert.are.same({ "Project", "User" }, keys(db.models))
    assert.is_nil(User:build({}).getProjects)
  end)

  it("hasMany with through: Sequelize's error, nothing defined", function()
    -- Sequelize 6.37.8: User.hasMany(Post, { through: 'X' }) throws
    -- Error: N:M associations are not supported with hasMany. Use belongsToMany instead
    local User, Post = db:define("User", {}), db:define("Post", {})
    for _, through in ipairs({ "X", Post, { model = "X" } }) do
      local err = support.catch_error(function() User:hasMany(Post, { through = through, as = "posts" }) end)
      assert.are.equal("Error", err.name)
      assert.are.equal("N:M associations are not supported with hasMany. Use belongsToMany instead", err.message)
    end
    assert.are.same({}, keys(User.associations))
    assert.is_nil(Post.rawAttributes.UserId)
    assert.is_nil(db.models.X)
    -- a false through is none, as in JavaScript
    User:hasMany(Post, { through = false })
    assert.truthy(Post.rawAttributes.UserId)
    -- and so is a null one (Sequelize 6.37.8: User.hasMany(Post, { through: null, as: 'p' }) adds UserId;
    -- was: the N:M error)
    User:hasMany(Post, { through = Sequelize.null, as = "notes" })
    assert.truthy(User.associations.notes)
  end)

  it("a self belongsToMany without as", function()
    local Person = db:define("Person", {})
    local err = support.catch(function() Person:belongsToMany(Person, { through = "PP" }) end)
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("'as' must be defined for many-to-many self-associations", err.message)
    assert.are.same({}, keys(Person.associations))
    assert.is_nil(db.models.PP)
    db:sync()
    assert.are.same({ "People" }, support.tables(db))
  end)

  it("a duplicate alias", function()
    local User, Post = db:define("User", {}), db:define("Post", {})
    User:hasMany(Post, { as = "Stuff" })
    local err = support.catch(function() User:hasMany(Post, { as = "Stuff", foreignKey = "stuffId" }) end)
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("You have used the alias Stuff in two separate associations. Aliased associations must have unique aliases.",
      err.message)
    User:hasOne(Post, { as = "Thing" })
    err = support.catch(function() User:belongsTo(Post, { as = "Thing" }) end)
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("You have used the alias Thing in two separate associations. Aliased associations must have unique aliases.",
      err.message)
    local Project = db:define("Project", {})
    err = support.catch(function() User:belongsToMany(Project, { as = "Stuff", through = "UX" }) end)
    assert.are.equal("You have used the alias Stuff in two separate associations. Aliased associations must have unique aliases.",
      err.message)
    -- Sequelize: the failed calls add nothing
    assert.are.same({ "Stuff", "Thing" }, keys(User.associations))
    assert.is_nil(Post.rawAttributes.stuffId)
    assert.is_nil(User.rawAttributes.ThingId)
    assert.is_nil(db.models.UX)
    db:sync()
    assert.are.same({ "id", "createdAt", "updatedAt" }, support.column_names(db, "Users"))
    assert.are.same({ "id", "createdAt", "updatedAt", "UserId", "ThingId" }, support.column_names(db, "Posts"))
  end)

  it("belongsToMany through the source or target model itself: an AssociationError, nothing changed", function()
    -- Sequelize 6.37.8, for each form below: TypeError "Cannot read properties of undefined (reading 'type')"
    -- (sequelua crashed: the through model's automatic id, the target's key, was freed)
    local User, Tag = db:define("User", { name = DataTypes.STRING }), db:define("Tag", { name = DataTypes.STRING })
    local cases = {
      { User, Tag, { through = Tag }, "Tag, the target" },
      { User, Tag, { through = User }, "User, the source" },
      { User, Tag, { through = "Tag" }, "Tag, the target" },
      { User, Tag, { through = "User" }, "User, the source" },
      { User, Tag, { through = { model = Tag } }, "Tag, the target" },
      { Tag, Tag, { through = Tag, as = "Rel" }, "Tag, the source" },
    }
    for _, c in ipairs(cases) do
      local err = support.catch(c[1].belongsToMany, c[1], c[2], c[3])
      assert.are.equal("SequelizeAssociationError", err.name)
      assert.are.equal(("%s.belongsToMany(%s): through must be a join model or table of its own, not %s model itself "
        .. "(e.g. through = '%s')"):format(c[1].name, c[2].name, c[4], c[1].name .. c[2].name .. "s"), err.message)
    end
    assert.are.same({}, keys(User.associations))
    assert.are.same({}, keys(Tag.associations))
    assert.are.same({ "createdAt", "id", "name", "updatedAt" }, keys(Tag.rawAttributes))
    assert.are.same({ "createdAt", "id", "name", "updatedAt" }, keys(User.rawAttributes))
    -- a through model whose automatic id another association keys on keeps it, and the
    -- definition is refused (Sequelize drops it and fails at the first query with an include)
    local Post, Comment = db:define("Post", {}), db:define("Comment", {})
    Comment:belongsTo(Post)
    local err = support.catch(User.belongsToMany, User, Tag, { through = Post })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.are.equal("User.belongsToMany(Tag): the through model Post would lose its automatic 'id', a key of the "
      .. "association Comment.Post; use a join model of its own", err.message)
    assert.truthy(Post.rawAttributes.id)
    db:sync()
    local p = Post:create({})
    Comment:create({ PostId = p.id })
    assert.are.equal(p.id, Comment:findOne({ include = { Post } }).Post.id)
  end)

  it("an association with something that is not a model", function()
    local User = db:define("User", {})
    for _, kind in ipairs({ "hasOne", "belongsTo", "hasMany", "belongsToMany" }) do
      for _, target in ipairs({ "Post", {} }) do
        local err = support.catch(function() User[kind](User, target, { through = "X" }) end)
        -- Sequelize: a plain Error
        assert.are.equal("Error", err.name)
        assert.are.equal("User." .. kind .. " called with something that's not a subclass of Sequelize.Model", err.message)
      end
    end
    -- nil (Sequelize's message, and a hint: Source.hasMany(Target) with a dot runs Target:hasMany(nil))
    local err = support.catch(function() User:hasMany(nil) end)
    assert.are.equal("User.hasMany called with something that's not a subclass of Sequelize.Model (got nil: "
      .. "Model:hasMany(...) is a method, call it with a colon, Source:hasMany(Target, options); with a dot the "
      .. "target is taken for the source)", err.message)
    local Post = db:define("Post", {})
    for _, kind in ipairs({ "hasOne", "belongsTo", "hasMany", "belongsToMany" }) do
      err = support.catch(function() User[kind](Post, { as = "xs", through = "UP" }) end)
      assert.are.equal("Post." .. kind .. " called with something that's not a subclass of Sequelize.Model (got a "
        .. "table: Model:" .. kind .. "(...) is a method, call it with a colon, Source:" .. kind .. "(Target, options); "
        .. "with a dot the target is taken for the source)", err.message)
    end
    assert.are.same({}, keys(Post.associations))
    assert.are.same({}, keys(User.associations))
    assert.is_nil(db.models.X)
    assert.are.same({ "createdAt", "id", "updatedAt" }, keys(User.rawAttributes))
  end)
end)

-- Sequelize merges a later association's key into the attribute the first one made with
-- mergeDefaults: the first one's allowNull (and ON DELETE) stay
describe("a key a second association declares allowNull = false", function()
  it("stays as the first association made it: nullable, ON DELETE SET NULL, and a destroy nulls it", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User", { name = Sequelize.DataTypes.STRING }, { timestamps = false })
    local Pet = db:define("Pet", { name = Sequelize.DataTypes.STRING }, { timestamps = false })
    User:hasMany(Pet)
    Pet:belongsTo(User, { foreignKey = { allowNull = false } })
    db:sync()
    -- Sequelize 6.37.8, the same calls:
    assert.equal("CREATE TABLE `Pets` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `UserId` INTEGER "
      .. "REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE)",
      db:query("SELECT sql FROM sqlite_master WHERE name = 'Pets'")[1].sql)
    local u = User:create{ name = "u" }
    u:createPet{ name = "rex" }
    u:destroy()
    assert.equal('[{"id":1,"name":"rex","UserId":null}]', Sequelize.stringify(Pet:findAll()))
    Pet:create{ name = "stray" }
    assert.equal(2, Pet:count())
  end)
end)

describe("options given as Sequelize.null (JavaScript's null: not set)", function()
  it("are left out of association options and key definitions, as Sequelize reads a falsy null", function()
    -- Sequelize 6.37.8, the same calls with null: CREATE TABLE `Bs` (`id` ..., `n` VARCHAR(255),
    -- `x` INTEGER REFERENCES `As` (`id`) ON DELETE SET NULL ON UPDATE CASCADE, `z` ..., `w` ...,
    -- `v` ..., `u` ..., each the same); AB: PRIMARY KEY (`aid`, `bid`)
    local NULL = Sequelize.null
    local db, log = support.open()
    local A = db:define("A", { n = DataTypes.STRING }, { timestamps = false })
    local B = db:define("B", { n = DataTypes.STRING }, { timestamps = false })
    B:belongsTo(A, { foreignKey = { name = "x", primaryKey = NULL } })
    B:belongsTo(A, { foreignKey = { name = "z", unique = NULL }, as = "a3" })
    A:hasMany(B, { foreignKey = "w", constraints = NULL, as = "bs" })
    A:hasOne(B, { foreignKey = "v", onDelete = NULL, onUpdate = NULL, as = "b1" })
    A:hasOne(B, { foreignKey = { name = "u", allowNull = NULL }, as = "b2", scope = NULL, hooks = NULL })
    A:belongsToMany(B, { through = "AB", foreignKey = { name = "aid", primaryKey = NULL }, otherKey = { name = "bid" },
      uniqueKey = NULL, timestamps = NULL })
    db:sync()
    local ref = " INTEGER REFERENCES `As` (`id`) ON DELETE SET NULL ON UPDATE CASCADE"
    local want = "CREATE TABLE IF NOT EXISTS `Bs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `n` VARCHAR(255), "
    local cols = {}
    for _, c in ipairs({ "x", "z", "w", "v", "u" }) do cols[#cols + 1] = "`" .. c .. "`" .. ref end
    assert.equal(want .. table.concat(cols, ", ") .. ");", support.create_of(log, "Bs"))
    assert.truthy(support.create_of(log, "AB"):find("PRIMARY KEY (`aid`, `bid`)", 1, true))
    assert.is_false(B.rawAttributes.x.primaryKey == true)
    db:close()
  end)

  it("are left out of attribute and model options (defaultValue = null stays DEFAULT NULL; timestamps = null is none)", function()
    -- Sequelize 6.37.8: { n: { type: STRING, primaryKey: null } } keeps the id key; each of
    -- unique, autoIncrement, validate, field, get, set, onDelete = null is not set;
    -- { timestamps: null } makes no time stamps, { paranoid / tableName / name / scopes: null } defaults
    local NULL = Sequelize.null
    local db, log = support.open()
    local M = db:define("M", {
      n = { type = DataTypes.STRING, primaryKey = NULL, unique = NULL, autoIncrement = NULL, validate = NULL,
            field = NULL, get = NULL, set = NULL, onDelete = NULL, comment = NULL, defaultValue = NULL },
    }, { timestamps = NULL, paranoid = NULL, tableName = NULL, name = NULL, scopes = NULL, defaultScope = NULL,
         hooks = NULL, underscored = NULL, freezeTableName = NULL, version = NULL })
    M:sync()
    assert.equal("CREATE TABLE IF NOT EXISTS `Ms` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `n` VARCHAR(255) DEFAULT NULL);",
      support.create_of(log, "Ms"))
    local m = M:create{ n = "a" }
    assert.equal(1, m.id)
    assert.equal("a", M:findByPk(1).n)
    db:close()
  end)
end)
