-- introspection_spec: sequelize:getQueryInterface() (describeTable, showAllTables),
-- Model:describe(), instance:equalsOneOf(list), association.accessors and the key names
-- associations carry, Model.uniqueKeys and instance.sequelize.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

local function define(db)
  local T = db:define("Team", {
    uuid = { type = DataTypes.UUID, primaryKey = true, defaultValue = DataTypes.UUIDV4 },
    code = { type = DataTypes.STRING, unique = true },
  }, { timestamps = false })
  local P = db:define("Player", {
    name = { type = DataTypes.STRING, allowNull = false, defaultValue = "it's" },
    active = { type = DataTypes.BOOLEAN, defaultValue = true },
    a = { type = DataTypes.STRING, unique = "ab" }, b = { type = DataTypes.STRING, unique = "ab" },
    score = { type = DataTypes.FLOAT, defaultValue = 1.5 },
    nul = { type = DataTypes.STRING, defaultValue = NULL },
  })
  P:belongsTo(T)
  db:sync()
  return T, P
end

describe("the query interface", function()
  it("describeTable gives Sequelize's sqlite description", function()
    -- Sequelize: describeTable('Players') ->
    -- {"id":{"type":"INTEGER","allowNull":true,"primaryKey":true,"unique":false},
    --  "name":{"type":"VARCHAR(255)","allowNull":false,"defaultValue":"its","primaryKey":false,"unique":false},
    --  "active":{"type":"TINYINT(1)","allowNull":true,"defaultValue":true,...,"unique":false},
    --  "a":{...,"unique":true},"b":{...,"unique":true},
    --  "score":{"type":"FLOAT",...,"defaultValue":"1.5"},"nul":{...,"defaultValue":null},
    --  "createdAt":{"type":"DATETIME","allowNull":false,...},"updatedAt":{...},
    --  "TeamUuid":{"type":"UUID","allowNull":true,"primaryKey":false,"unique":false,
    --              "references":{"model":"Teams","key":"uuid"}}}
    local db, log = support.open()
    define(db)
    support.clear(log)
    local d = db:getQueryInterface():describeTable("Players")
    assert.are.same({ type = "INTEGER", allowNull = true, primaryKey = true, unique = false }, d.id)
    assert.are.same({ type = "VARCHAR(255)", allowNull = false, defaultValue = "its", primaryKey = false, unique = false }, d.name)
    assert.are.same({ type = "TINYINT(1)", allowNull = true, defaultValue = true, primaryKey = false, unique = false }, d.active)
    assert.are.same({ type = "VARCHAR(255)", allowNull = true, primaryKey = false, unique = true }, d.a)
    assert.are.same({ type = "VARCHAR(255)", allowNull = true, primaryKey = false, unique = true }, d.b)
    assert.are.same({ type = "FLOAT", allowNull = true, defaultValue = "1.5", primaryKey = false, unique = false }, d.score)
    assert.are.equal(NULL, d.nul.defaultValue)
    assert.are.same({ type = "DATETIME", allowNull = false, primaryKey = false, unique = false }, d.createdAt)
    assert.are.same({ type = "UUID", allowNull = true, primaryKey = false, unique = false,
                      references = { model = "Teams", key = "uuid" } }, d.TeamUuid)
    local n = 0
    for _ in pairs(d) do n = n + 1 end
    assert.are.equal(10, n)
    -- Sequelize's statements, logged as it logs them
    assert.are.same({ "PRAGMA TABLE_INFO(`Players`);", "PRAGMA INDEX_LIST(`Players`)",
                      "PRAGMA INDEX_INFO(`sqlite_autoindex_Players_1`)", "PRAGMA foreign_key_list(`Players`)" },
      (function() local o = {} for i, m in ipairs(log) do o[i] = support.sql_of(m) end return o end)())
  end)

  it("Model:describe() describes its table; an unknown table raises Sequelize's Error", function()
    -- Sequelize: Team.describe() -> {"uuid":{"type":"UUID","allowNull":true,"primaryKey":true,"unique":true},
    --   "code":{"type":"VARCHAR(255)","allowNull":true,"primaryKey":false,"unique":true}}
    local db = support.open()
    local T = define(db)
    assert.are.same({
      uuid = { type = "UUID", allowNull = true, primaryKey = true, unique = true },
      code = { type = "VARCHAR(255)", allowNull = true, primaryKey = false, unique = true },
    }, T:describe())
    local err = support.catch(function() return db:getQueryInterface():describeTable("Nope") end)
    assert.are.equal("Error", err.name)
    assert.are.equal('No description found for "Nope" table. Check the table name and schema; remember, they _are_ case sensitive.',
      err.message)
  end)

  it("showAllTables lists the tables", function()
    -- Sequelize: ["Teams","Players"]
    local db = support.open()
    define(db)
    local qi = db:getQueryInterface()
    assert.are.same({ "Teams", "Players" }, qi:showAllTables())
    assert.are.equal("[\"Teams\",\"Players\"]", Sequelize.stringify(qi:showAllTables()))
    assert.are.equal(db, qi.sequelize)
  end)
end)

describe("instance:equalsOneOf", function()
  it("is true when the instance equals one of the list", function()
    -- Sequelize: [a.equals(b), a.equals(c), a.equalsOneOf([c, b]), a.equalsOneOf([c])] -> [true,false,true,false]
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    local u = U:create({ name = "a" })
    local a, b = U:findByPk(u.id), U:findByPk(u.id)
    local c = U:create({ name = "c" })
    assert.is_true(a:equalsOneOf({ c, b }))
    assert.is_false(a:equalsOneOf({ c }))
    assert.is_false(a:equalsOneOf({}))
  end)
end)

describe("association.accessors", function()
  it("maps Sequelize's roles to the method names", function()
    -- Sequelize: belongsToMany(Project): {"get":"getProjects","set":"setProjects","addMultiple":"addProjects",
    --   "add":"addProject","create":"createProject","remove":"removeProject","removeMultiple":"removeProjects",
    --   "hasSingle":"hasProject","hasAll":"hasProjects","count":"countProjects"};
    --   hasOne(Profile): {"get":"getProfile","set":"setProfile","create":"createProfile"};
    --   Profile.belongsTo(User, { as: 'owner' }): {"get":"getOwner","set":"setOwner","create":"createOwner"}
    local db = support.open()
    local U = db:define("User", {}, { timestamps = false })
    local P = db:define("Project", {}, { timestamps = false })
    local Pr = db:define("Profile", {}, { timestamps = false })
    local a = U:belongsToMany(P, { through = "UP" })
    local b = U:hasOne(Pr)
    local c = Pr:belongsTo(U, { as = "owner" })
    local h = U:hasMany(db:define("Post", {}, { timestamps = false }), { as = "posts" })
    assert.are.same({ get = "getProjects", set = "setProjects", addMultiple = "addProjects", add = "addProject",
                      create = "createProject", remove = "removeProject", removeMultiple = "removeProjects",
                      hasSingle = "hasProject", hasAll = "hasProjects", count = "countProjects" }, a.accessors)
    assert.are.same({ get = "getProfile", set = "setProfile", create = "createProfile" }, b.accessors)
    assert.are.same({ get = "getOwner", set = "setOwner", create = "createOwner" }, c.accessors)
    assert.are.equal("getPosts", h.accessors.get)
    assert.are.equal("addPost", h.accessors.add)
    -- the names are the instances' methods
    db:sync()
    local u = U:create({})
    for _, name in pairs(a.accessors) do assert.are.equal("function", type(u[name])) end
    for _, name in pairs(h.accessors) do assert.are.equal("function", type(u[name])) end
  end)
end)

describe("association and model introspection", function()
  local function setup()
    local db = support.open()
    local User = db:define("User", {
      name = { type = DataTypes.STRING, unique = true },
      email = { type = DataTypes.STRING, unique = "ue" }, org = { type = DataTypes.STRING, unique = "ue" },
      userKey = { type = DataTypes.STRING, field = "user_key", unique = true },
      nick = { type = DataTypes.STRING, unique = { msg = "taken" } },
    }, { underscored = true })
    local Post = db:define("Post", { title = DataTypes.STRING })
    local Tag = db:define("Tag", { name = DataTypes.STRING })
    return db, User, Post, Tag
  end

  it("associations carry Sequelize's key names and columns", function()
    -- Sequelize 6.37.8 (same definitions):
    --   hasMany: identifierField/foreignKey/foreignKeyField "UserId", sourceKey/sourceKeyField/
    --     sourceKeyAttribute "id", associationAccessor "posts", no identifier
    --   belongsTo: identifier/identifierField/foreignKey "authorId", targetKey/targetKeyField/
    --     targetIdentifier "id"
    --   belongsToMany: identifier "PostId", otherKey "TagId", sourceKeyField/targetKeyField "id"
    --   hasOne with sourceKey userKey: sourceKeyField "user_key", sourceKeyAttribute "userKey"
    local db, User, Post, Tag = setup()
    local a1 = User:hasMany(Post, { as = "posts" })
    local a2 = Post:belongsTo(User, { as = "author", foreignKey = "authorId" })
    local a3 = Post:belongsToMany(Tag, { through = { model = "PostTags", unique = false } })
    local a4 = User:hasOne(Post, { as = "pinned", foreignKey = "pinnedBy", sourceKey = "userKey" })
    assert.are.same({ "UserId", "UserId", "id", "id", "id", "posts" },
      { a1.foreignKey, a1.foreignKeyField, a1.sourceKey, a1.sourceKeyField, a1.sourceKeyAttribute, a1.associationAccessor })
    assert.is_nil(a1.identifier)
    assert.are.same({ "authorId", "authorId", "id", "id", "id" },
      { a2.identifier, a2.identifierField, a2.targetKey, a2.targetKeyField, a2.targetIdentifier })
    assert.are.same({ "PostId", "TagId", "id", "id" }, { a3.identifier, a3.otherKey, a3.sourceKeyField, a3.targetKeyField })
    assert.are.same({ "TagId", "TagId" }, { a3.foreignIdentifier, a3.foreignIdentifierField })
    local back = Tag:belongsToMany(Post, { through = "PostTags" }) -- (the pair: its keys crossed)
    assert.are.same({ "TagId", "PostId", "PostId" }, { back.foreignKey, back.foreignIdentifier, back.foreignIdentifierField })
    assert.are.same({ "user_key", "userKey", "pinnedBy" }, { a4.sourceKeyField, a4.sourceKeyAttribute, a4.foreignKeyField })
    -- association.through: the caller's through options with the model (Sequelize's through.model)
    assert.are.equal(db.models.PostTags, a3.through.model)
    assert.are.equal(a3.throughModel, a3.through.model)
    assert.is_false(a3.through.unique)
    assert.is_nil(a1.through)
    -- the n:m still works through it
    db:sync()
    local p = Post:create({ title = "t" })
    p:addTag(Tag:create({ name = "x" }))
    assert.are.equal(1, #p:getTags())
    assert.are.equal(1, #Post:findAll({ include = { { model = Tag, through = { attributes = {} } } } })[1].Tags)
  end)

  it("Model.uniqueKeys and instance.sequelize are Sequelize's", function()
    -- Sequelize: {"users_name_unique":{"fields":["name"],"msg":null,"name":"users_name_unique","column":"name",
    --   "customIndex":false},"ue":{"fields":["email","org"],"msg":null,"name":"ue","column":"org","customIndex":true},
    --   "users_userKey_unique":{"fields":["user_key"],...,"column":"userKey","customIndex":false},
    --   "users_nick_unique":{"fields":["nick"],"msg":"taken",...,"customIndex":true}}
    local db, User = setup()
    local uk = User.uniqueKeys
    assert.are.same({ fields = { "name" }, msg = NULL, name = "users_name_unique", column = "name", customIndex = false },
      uk.users_name_unique)
    assert.are.same({ fields = { "email", "org" }, msg = NULL, name = "ue", column = "org", customIndex = true }, uk.ue)
    assert.are.same({ fields = { "user_key" }, msg = NULL, name = "users_userKey_unique", column = "userKey",
                      customIndex = false }, uk.users_userKey_unique)
    assert.are.same({ fields = { "nick" }, msg = "taken", name = "users_nick_unique", column = "nick", customIndex = true },
      uk.users_nick_unique)
    assert.are.equal('["email","org"]', Sequelize.stringify(uk.ue.fields))
    assert.are.equal(db, User:build({}).sequelize)
    db:sync()
    assert.are.equal(db, User:create({ name = "a" }).sequelize)
  end)

  it("primaryKeys, fieldRawAttributesMap, fieldAttributeMap and the options Sequelize keeps", function()
    -- Sequelize 6.37.8, define('User', { a: { INTEGER, primaryKey }, b: { STRING, primaryKey, field: 'b_col' },
    --   c: STRING }, { timestamps: false, comment: 'c', indexes: [{ fields: ['c'] }] }):
    --   Object.keys(U.primaryKeys) ["a","b"]; Object.keys(U.fieldRawAttributesMap) ["a","b_col","c"];
    --   U.fieldAttributeMap {"b_col":"b"}; U.options.comment "c", options.indexes[0].fields ["c"],
    --   options.whereMergeStrategy "overwrite", options.omitNull false
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { a = { type = DataTypes.INTEGER, primaryKey = true },
                                  b = { type = DataTypes.STRING, primaryKey = true, field = "b_col" }, c = DataTypes.STRING },
                        { timestamps = false, comment = "c", indexes = { { fields = { "c" } } } })
    local function keys(t) local r = {} for k in pairs(t) do r[#r + 1] = k end table.sort(r) return r end
    assert.are.same({ "a", "b" }, keys(U.primaryKeys))
    assert.are.equal(U.rawAttributes.b, U.primaryKeys.b)
    assert.are.same({ "a", "b_col", "c" }, keys(U.fieldRawAttributesMap))
    assert.are.equal(U.rawAttributes.b, U.fieldRawAttributesMap.b_col)
    assert.are.same({ b_col = "b" }, U.fieldAttributeMap)
    assert.are.equal("c", U.options.comment)
    assert.are.same({ "c" }, U.options.indexes[1].fields)
    assert.are.equal("overwrite", U.options.whereMergeStrategy)
    assert.is_false(U.options.omitNull)
    assert.are.same({}, db:define("V", {}).options.indexes)
    db:close()
  end)
end)
