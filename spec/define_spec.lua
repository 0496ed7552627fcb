-- define_spec: db:define, DataTypes, naming, rawAttributes, timestamps options,
-- underscored, field, defaultValue (values, NOW, UUIDV4) and define-time errors.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function errmsg(err)
  if type(err) == "table" then return tostring(err.message) end
  return tostring(err)
end

-- { name = {type=..., notnull=..., pk=...}, ... } and the ordered name list
local function columns(db, tbl)
  local rows = db:query("PRAGMA table_info(`" .. tbl .. "`)")
  local byname, names = {}, {}
  for i, r in ipairs(rows) do
    names[i] = r.name
    byname[r.name] = { type = r.type, notnull = r.notnull, pk = r.pk }
  end
  return byname, names
end

-- "2023-09-18T07:56:40.205Z" -> seconds since the epoch (UTC), nil if not that shape
local function iso_to_epoch(s)
  local y, mo, d, h, mi, sec, ms = tostring(s):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)%.(%d%d%d)Z$")
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if mo <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (mo + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  local days = era * 146097 + doe - 719468
  return days * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(sec) + tonumber(ms) / 1000
end

local UUID_V4 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89abAB]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"

describe("db:define", function()
  local db

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
  end)

  after_each(function()
    if db then db:close() end
    db = nil
  end)

  describe("attribute forms", function()
    it("accepts the shorthand (just a type) and the full table form", function()
      local Note = db:define("Note", {
        title = DataTypes.STRING,                                  -- shorthand
        body = { type = DataTypes.TEXT, allowNull = false },       -- full form
      })
      db:sync()
      local n = Note:create({ title = "hello", body = "world" })
      local back = Note:findByPk(n.id)
      assert.are.equal("hello", back.title)
      assert.are.equal("world", back.body)
      local cols = columns(db, "Notes")
      assert.are.equal("VARCHAR(255)", cols.title.type)
      assert.are.equal(0, cols.title.notnull)
      assert.are.equal("TEXT", cols.body.type)
      assert.are.equal(1, cols.body.notnull)
    end)

    it("accepts every DataType bare and called, and syncs each to its column type", function()
      -- Sequelize: the sqlite column type of each (UNSIGNED/ZEROFILL dropped on integers,
      -- ENUM is TEXT, BOOLEAN is TINYINT(1), DATE is DATETIME, DATEONLY is DATE)
      local specs = {
        { "a_string", DataTypes.STRING, "VARCHAR(255)" },
        { "a_string_called", DataTypes.STRING(), "VARCHAR(255)" },
        { "a_string_255", DataTypes.STRING(255), "VARCHAR(255)" },
        { "a_string_40", DataTypes.STRING(40), "VARCHAR(40)" },
        { "b_char", DataTypes.CHAR, "CHAR(255)" },
        { "b_char_10", DataTypes.CHAR(10), "CHAR(10)" },
        { "c_text", DataTypes.TEXT, "TEXT" },
        { "c_text_called", DataTypes.TEXT(), "TEXT" },
        { "d_int", DataTypes.INTEGER, "INTEGER" },
        { "d_int_called", DataTypes.INTEGER(), "INTEGER" },
        { "d_int_unsigned", DataTypes.INTEGER.UNSIGNED, "INTEGER" },
        { "d_int_zerofill", DataTypes.INTEGER.ZEROFILL, "INTEGER" },
        { "d_int_unsigned_zerofill", DataTypes.INTEGER.UNSIGNED.ZEROFILL, "INTEGER" },
        { "e_bigint", DataTypes.BIGINT, "BIGINT" },
        { "e_bigint_called", DataTypes.BIGINT(), "BIGINT" },
        { "e_bigint_unsigned", DataTypes.BIGINT.UNSIGNED, "BIGINT" },
        { "f_float", DataTypes.FLOAT, "FLOAT" },
        { "f_float_called", DataTypes.FLOAT(), "FLOAT" },
        { "g_double", DataTypes.DOUBLE, "DOUBLE PRECISION" },
        { "g_double_called", DataTypes.DOUBLE(), "DOUBLE PRECISION" },
        { "h_real", DataTypes.REAL, "REAL" },
        { "h_real_called", DataTypes.REAL(), "REAL" },
        { "i_decimal", DataTypes.DECIMAL, "DECIMAL" },
        { "i_decimal_10_2", DataTypes.DECIMAL(10, 2), "DECIMAL(10,2)" },
        { "j_boolean", DataTypes.BOOLEAN, "TINYINT(1)" },
        { "j_boolean_called", DataTypes.BOOLEAN(), "TINYINT(1)" },
        { "k_date", DataTypes.DATE, "DATETIME" },
        { "k_date_called", DataTypes.DATE(), "DATETIME" },
        { "l_dateonly", DataTypes.DATEONLY, "DATE" },
        { "l_dateonly_called", DataTypes.DATEONLY(), "DATE" },
        { "m_uuid", DataTypes.UUID, "UUID" },
        { "m_uuid_called", DataTypes.UUID(), "UUID" },
        { "n_json", DataTypes.JSON, "JSON" },
        { "n_json_called", DataTypes.JSON(), "JSON" },
        { "o_blob", DataTypes.BLOB, "BLOB" },
        { "o_blob_called", DataTypes.BLOB(), "BLOB" },
        { "o_blob_long", DataTypes.BLOB("long"), "LONGBLOB" },
        -- Sequelize's object form, as STRING({ length }) (6.37.8: BLOB({ length: 'tiny' }) is TINYBLOB)
        { "o_blob_tiny_obj", DataTypes.BLOB({ length = "tiny" }), "TINYBLOB" },
        { "o_blob_medium_obj", DataTypes.BLOB({ length = "medium" }), "MEDIUMBLOB" },
        { "o_blob_empty_obj", DataTypes.BLOB({}), "BLOB" },
        { "p_enum", DataTypes.ENUM("a", "b"), "TEXT" },
      }
      local attrs = {}
      for _, s in ipairs(specs) do attrs[s[1]] = s[2] end
      local Every = db:define("Every", attrs, { timestamps = false })
      for _, s in ipairs(specs) do
        local ra = Every.rawAttributes[s[1]]
        assert.is_table(ra, s[1])
        assert.is_not_nil(ra.type, s[1])
        assert.are.equal(s[1], ra.field, s[1])
      end
      db:sync()
      local cols, names = columns(db, "Everies")
      assert.are.equal(#specs + 1, #names) -- plus the default id
      for _, s in ipairs(specs) do
        assert.is_table(cols[s[1]], s[1])
        assert.are.equal(s[3], cols[s[1]].type, s[1])
      end
    end)

    it("does not let a called or modified type change the bare one", function()
      local _ = DataTypes.STRING(12)
      local _2 = DataTypes.FLOAT.UNSIGNED
      local _3 = DataTypes.CHAR(3)
      local Plain = db:define("Plain", { s = DataTypes.STRING, f = DataTypes.FLOAT, c = DataTypes.CHAR }, { timestamps = false })
      db:sync()
      local cols = columns(db, "Plains")
      assert.are.equal("VARCHAR(255)", cols.s.type)
      assert.are.equal("FLOAT", cols.f.type)
      assert.are.equal("CHAR(255)", cols.c.type)
      assert.is_table(Plain.rawAttributes.s)
    end)
  end)

  describe("default primary key", function()
    it("adds id INTEGER PRIMARY KEY AUTOINCREMENT when no key is given", function()
      local User = db:define("User", { name = DataTypes.STRING })
      assert.are.equal("id", User.primaryKeyAttribute)
      local id = User.rawAttributes.id
      assert.is_table(id)
      assert.is_true(id.primaryKey)
      assert.is_true(id.autoIncrement)
      assert.is_false(id.allowNull) -- Sequelize: the generated id has allowNull = false
      assert.are.equal("id", id.field)
      db:sync()
      local a = User:create({ name = "a" })
      local b = User:create({ name = "b" })
      assert.are.equal(1, a.id)
      assert.are.equal(2, b.id)
      local cols, names = columns(db, "Users")
      assert.are.equal("id", names[1])
      assert.are.equal("INTEGER", cols.id.type)
      assert.are.equal(1, cols.id.pk)
    end)

    it("adds no id when an attribute is the primary key", function()
      local Box = db:define("Box", { code = { type = DataTypes.STRING, primaryKey = true } })
      assert.is_nil(Box.rawAttributes.id)
      assert.are.equal("code", Box.primaryKeyAttribute)
      db:sync()
      local _, names = columns(db, "Boxes")
      assert.are.same({ "code", "createdAt", "updatedAt" }, names)
      Box:create({ code = "B-1" })
      assert.are.equal("B-1", Box:findByPk("B-1").code)
    end)

    it("reports the custom key as primaryKeyAttribute", function()
      local Users = db:define("Users", {
        user_id = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
        username = { type = DataTypes.STRING(255), allowNull = false, unique = true },
      }, { tableName = "users" })
      assert.are.equal("user_id", Users.primaryKeyAttribute)
      assert.is_nil(Users.rawAttributes.id)
      db:sync()
      local u = Users:create({ username = "boris" })
      assert.are.equal(1, u.user_id)
      assert.are.equal("boris", Users:findByPk(1).username)
    end)

    it("uses the first key of a composite primary key as primaryKeyAttribute", function()
      -- Sequelize: primaryKeyAttribute is the first primary key ("a"); both stay primaryKey
      local Pair = db:define("Pair", {
        a = { type = DataTypes.INTEGER, primaryKey = true },
        b = { type = DataTypes.INTEGER, primaryKey = true },
        c = DataTypes.STRING,
      }, { timestamps = false })
      assert.are.equal("a", Pair.primaryKeyAttribute)
      assert.is_true(Pair.rawAttributes.a.primaryKey)
      assert.is_true(Pair.rawAttributes.b.primaryKey)
      assert.is_nil(Pair.rawAttributes.id)
      db:sync()
      local cols = columns(db, "Pairs")
      assert.are.equal(1, cols.a.pk)
      assert.are.equal(2, cols.b.pk)
      assert.is_nil(cols.id)
    end)
  end)

  describe("names", function()
    it("keeps the model name in Model.name and registers the model", function()
      local User = db:define("User", { name = DataTypes.STRING })
      assert.are.equal("User", User.name)
      assert.are.equal(User, db.models.User)
      assert.are.equal(User, db:model("User"))
      assert.is_nil(db.models.Nope)
    end)

    it("raises Sequelize's error for db:model of an undefined name", function()
      -- Sequelize: sequelize.model('Nope') throws Error("Nope has not been defined")
      local err = support.catch(function() return db:model("Nope") end)
      assert.is_table(err)
      assert.are.equal("Error", err.name)
      assert.are.equal("Nope has not been defined", err.message)
    end)

    it("pluralizes the model name into the table name", function()
      -- Sequelize (inflection): User->Users, person->people, category->categories,
      -- status->statuses, child->children, box->boxes, Story->Stories, mouse->mice
      local cases = {
        { "User", "Users" }, { "person", "people" }, { "category", "categories" },
        { "status", "statuses" }, { "child", "children" }, { "box", "boxes" },
        { "Story", "Stories" }, { "mouse", "mice" }, { "UserProfile", "UserProfiles" },
        { "Entry", "Entries" },
      }
      local expected = {}
      for _, c in ipairs(cases) do
        local M = db:define(c[1], { name = DataTypes.STRING })
        assert.are.equal(c[2], M.tableName, c[1])
        assert.are.equal(c[1], M.name)
        expected[#expected + 1] = c[2]
      end
      table.sort(expected)
      db:sync()
      assert.are.same(expected, support.tables(db))
      db.models.person:create({ name = "p" })
      local rows = db:query("SELECT name FROM people")
      assert.are.equal("p", rows[1].name)

      -- capitalized and already-plural names (a second database: SQLite table names are
      -- case-insensitive, so People would collide with people)
      local db2 = Sequelize.new("sqlite::memory:")
      assert.are.equal("People", db2:define("Person", { name = DataTypes.STRING }).tableName)
      assert.are.equal("Stories", db2:define("Stories", { name = DataTypes.STRING }).tableName)
      db2:sync()
      assert.are.same({ "People", "Stories" }, support.tables(db2))
      db2:close()
    end)

    it("keeps the model name with freezeTableName", function()
      local S = db:define("status", { name = DataTypes.STRING }, { freezeTableName = true })
      assert.are.equal("status", S.tableName)
      db:sync()
      assert.are.same({ "status" }, support.tables(db))
      S:create({ name = "ok" })
      local rows = db:query("SELECT name FROM `status`")
      assert.are.equal("ok", rows[1].name)
    end)

    it("uses the tableName option verbatim", function()
      local C = db:define("Child", { name = DataTypes.STRING }, { tableName = "kids" })
      assert.are.equal("kids", C.tableName)
      assert.are.equal("Child", C.name)
      db:sync()
      assert.are.same({ "kids" }, support.tables(db))
      C:create({ name = "Tim" })
      local rows = db:query("SELECT name FROM kids")
      assert.are.equal("Tim", rows[1].name)
    end)

    it("does not take the table name from name.plural", function()
      -- Sequelize: define('project', {}, { name: { singular: 'task', plural: 'tasks' } })
      -- has tableName "projects" (name.* only affects association naming)
      local P = db:define("project", { title = DataTypes.STRING }, { name = { singular = "task", plural = "tasks" } })
      assert.are.equal("projects", P.tableName)
      assert.are.equal("project", P.name)
      db:sync()
      assert.are.same({ "projects" }, support.tables(db))
    end)

    it("Sequelize.Utils names words as define and the associations do", function()
      -- Sequelize 6.37.8: Utils.pluralize('person') 'people', singularize('people') 'person',
      -- pluralize('Status') 'Statuses', singularize('Data') 'Datum', camelize('foo_bar baz')
      -- 'fooBarBaz', camelize('') '', underscore('FooBar') 'foo_bar', underscore('ÜberTable')
      -- 'über_table', underscoredIf('FooBar', true) 'foo_bar', underscoredIf('FooBar', false)
      -- 'FooBar', camelizeIf('foo_bar', true) 'fooBar', camelizeIf('foo_bar', false) 'foo_bar',
      -- camelizeIf(5, false) 5; camelize('foo_'), camelize(' a__ ') and pluralize(5) throw a TypeError
      local U = Sequelize.Utils
      assert.are.equal("people", U.pluralize("person"))
      assert.are.equal("person", U.singularize("people"))
      assert.are.equal("Statuses", U.pluralize("Status"))
      assert.are.equal("Datum", U.singularize("Data"))
      assert.are.equal(db:define("BlogPost", {}).tableName, U.pluralize("BlogPost"))
      assert.are.equal("fooBarBaz", U.camelize("foo_bar baz"))
      assert.are.equal("fooX", U.camelize("foo_ x"))
      assert.are.equal("", U.camelize(""))
      assert.are.equal("foo_bar", U.underscore("FooBar"))
      assert.are.equal("über_table", U.underscore("ÜberTable"))
      assert.are.equal("foo_bar", U.underscoredIf("FooBar", true))
      assert.are.equal("FooBar", U.underscoredIf("FooBar", false))
      assert.are.equal("fooBar", U.camelizeIf("foo_bar", true))
      assert.are.equal("foo_bar", U.camelizeIf("foo_bar", false))
      assert.are.equal(5, U.camelizeIf(5, false))
      for _, w in ipairs({ "foo_", " a__ ", "-" }) do
        local err = support.catch(function() return U.camelize(w) end)
        assert.are.equal("Error", err.name, w)
        assert.truthy(err.message:find("ends in a separator", 1, true), w)
      end
      local err = support.catch(function() return U.pluralize(5) end)
      assert.are.equal("Utils.pluralize: the word must be a string, got number", err.message)
    end)
  end)

  describe("rawAttributes", function()
    it("describes each attribute: field, primaryKey, allowNull, unique, defaultValue, references", function()
      local Users = db:define("Users", {
        user_id = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
        username = { type = DataTypes.STRING(255), allowNull = false, unique = true },
        email = { type = DataTypes.STRING, validate = { isEmail = true } },
        password = DataTypes.STRING,
        role = { type = DataTypes.STRING, defaultValue = "member" },
      }, { tableName = "users", timestamps = true, createdAt = "created_at", updatedAt = "updated_at" })
      local Stories = db:define("Stories", {
        story_id = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
        created_by = { type = DataTypes.INTEGER.UNSIGNED, allowNull = false, references = { model = "Users", key = "user_id" } },
      }, { tableName = "stories" })
      local ra = Users.rawAttributes
      for _, name in ipairs({ "user_id", "username", "email", "password", "role", "created_at", "updated_at" }) do
        assert.is_table(ra[name], name)
        assert.are.equal(name, ra[name].field, name)
        assert.is_not_nil(ra[name].type, name)
      end
      assert.is_nil(ra.id)
      assert.is_nil(ra.createdAt)
      assert.is_nil(ra.updatedAt)
      assert.is_true(ra.user_id.primaryKey)
      assert.is_true(ra.user_id.autoIncrement)
      assert.is_false(ra.username.allowNull)
      assert.is_true(ra.username.unique)
      assert.is_not_true(ra.username.primaryKey)
      assert.is_not_false(ra.email.allowNull)     -- not given: nullable
      assert.is_not_true(ra.email.primaryKey)
      assert.are.equal("member", ra.role.defaultValue)
      assert.is_false(ra.created_at.allowNull)    -- Sequelize: timestamps are NOT NULL
      assert.is_false(ra.updated_at.allowNull)
      local ref = Stories.rawAttributes.created_by.references
      assert.is_table(ref)
      assert.are.equal("user_id", ref.key)
      assert.is_false(Stories.rawAttributes.created_by.allowNull)
    end)

    it("takes references = Sequelize.null or false as no reference", function()
      -- Sequelize 6.37.8 (the Polymorphic Associations page's `references: null`):
      -- CREATE TABLE IF NOT EXISTS `tts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `taggableId` INTEGER,
      -- `other` INTEGER, UNIQUE (`taggableId`)); getForeignKeyReferencesForTable('tts') -> []
      -- (the columns here in define's order: keys, then by name)
      local rdb, log = support.open({})
      rdb:define("tt", {
        taggableId = { type = DataTypes.INTEGER, unique = "tt_unique_constraint", references = Sequelize.null },
        other = { type = DataTypes.INTEGER, references = false, onDelete = "CASCADE" },
      }, { timestamps = false })
      rdb:sync()
      assert.are.equal("CREATE TABLE IF NOT EXISTS `tts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
        .. "`other` INTEGER, `taggableId` INTEGER, UNIQUE (`taggableId`));", support.create_of(log, "tts"))
      assert.are.same({}, rdb:getQueryInterface():getForeignKeyReferencesForTable("tts"))
      rdb:close()
    end)
  end)

  describe("underscored", function()
    it("snake_cases the columns of camelCase attributes and of the timestamps, not the attribute names", function()
      -- Sequelize: underscored maps attribute firstName -> column first_name, createdAt -> created_at,
      -- leaves an explicit field alone, and snake_cases the table name (UserProfile -> user_profiles)
      local P = db:define("UserProfile", {
        firstName = DataTypes.STRING,
        last_name = DataTypes.STRING,
        homeTownId = DataTypes.INTEGER,
        nickName = { type = DataTypes.STRING, field = "nick" },
      }, { underscored = true })
      assert.are.equal("user_profiles", P.tableName)
      local ra = P.rawAttributes
      assert.are.equal("first_name", ra.firstName.field)
      assert.are.equal("last_name", ra.last_name.field)
      assert.are.equal("home_town_id", ra.homeTownId.field)
      assert.are.equal("nick", ra.nickName.field)
      assert.are.equal("created_at", ra.createdAt.field)
      assert.are.equal("updated_at", ra.updatedAt.field)
      assert.are.equal("id", ra.id.field)
      db:sync()
      local _, names = columns(db, "user_profiles")
      assert.are.same({ "id", "first_name", "home_town_id", "last_name", "nick", "created_at", "updated_at" }, names)

      local p = P:create({ firstName = "Ann", last_name = "Lee", homeTownId = 3, nickName = "al" })
      assert.are.equal("Ann", p.firstName)
      assert.is_not_nil(iso_to_epoch(p.createdAt))
      local rows = db:query("SELECT first_name, last_name, home_town_id, nick, created_at, updated_at FROM user_profiles")
      assert.are.equal(1, #rows)
      assert.are.equal("Ann", rows[1].first_name)
      assert.are.equal("Lee", rows[1].last_name)
      assert.are.equal(3, rows[1].home_town_id)
      assert.are.equal("al", rows[1].nick)
      assert.truthy(tostring(rows[1].created_at):match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d%.%d%d%d %+00:00$"))

      local back = P:findOne({ where = { firstName = "Ann" } })
      assert.are.equal("Lee", back.last_name)
      assert.are.equal(3, back.homeTownId)
      assert.are.equal("al", back.nickName)
      assert.are.equal(p.createdAt, back.createdAt)
      local json = back:toJSON()
      assert.are.equal("Ann", json.firstName)
      assert.is_nil(json.first_name)
      assert.is_not_nil(json.createdAt)
      assert.is_nil(json.created_at)
    end)

    it("snake_cases the plural table name (User -> users)", function()
      local U = db:define("User", { name = DataTypes.STRING }, { underscored = true })
      assert.are.equal("users", U.tableName)
      local F = db:define("UserStatus", { name = DataTypes.STRING }, { underscored = true, freezeTableName = true })
      assert.are.equal("UserStatus", F.tableName)
    end)
  end)

  describe("field", function()
    local Member

    before_each(function()
      Member = db:define("Member", {
        memberKey = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, field = "member_key" },
        displayName = { type = DataTypes.STRING, field = "display_name", allowNull = false },
      }, { timestamps = false })
      db:sync()
    end)

    it("writes and reads through the column while the attribute keeps its name", function()
      assert.are.equal("memberKey", Member.primaryKeyAttribute)
      assert.are.equal("member_key", Member.rawAttributes.memberKey.field)
      assert.are.equal("display_name", Member.rawAttributes.displayName.field)
      local _, names = columns(db, "Members")
      assert.are.same({ "member_key", "display_name" }, names)

      local m = Member:create({ displayName = "Ann" })
      assert.are.equal(1, m.memberKey)
      assert.are.equal("Ann", m.displayName)
      local rows = db:query("SELECT member_key, display_name FROM Members")
      assert.are.equal(1, rows[1].member_key)
      assert.are.equal("Ann", rows[1].display_name)

      local found = Member:findAll({ where = { displayName = "Ann" } })
      assert.are.equal(1, #found)
      assert.are.equal(1, found[1].memberKey)
      local byPk = Member:findByPk(1)
      assert.are.equal("Ann", byPk.displayName)
      assert.are.same({ memberKey = 1, displayName = "Ann" }, byPk:toJSON())

      local n = Member:update({ displayName = "Bob" }, { where = { memberKey = 1 } })
      assert.are.equal(1, n)
      rows = db:query("SELECT display_name FROM Members WHERE member_key = 1")
      assert.are.equal("Bob", rows[1].display_name)

      byPk.displayName = "Cy"
      byPk:save()
      rows = db:query("SELECT display_name FROM Members WHERE member_key = 1")
      assert.are.equal("Cy", rows[1].display_name)
    end)

    it("names the attribute, not the column, in a notNull violation", function()
      -- Sequelize: "notNull Violation: Member.displayName cannot be null", path "displayName"
      local err = support.catch(function() Member:create({}) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("notNull Violation: Member.displayName cannot be null", err.message)
      assert.are.equal("displayName", err.errors[1].path)
      assert.are.equal(0, Member:count())
    end)
  end)

  describe("timestamps", function()
    it("a createdAt or updatedAt defined by the model is the time stamp column, not a second one", function()
      local P = db:define("Post", { title = DataTypes.STRING, createdAt = { type = DataTypes.DATE, allowNull = true } })
      local ddl = {}
      db:sync({ logging = function(m) ddl[#ddl + 1] = m end })
      local create = table.concat(ddl, "\n")
      assert.is_truthy(create:find("`createdAt` DATETIME, `updatedAt` DATETIME NOT NULL", 1, true), create)
      local _, n = create:gsub("`createdAt`", "")
      assert.are.equal(1, n)
      local p = P:create({ title = "x" })
      assert.is_truthy(p.createdAt:match("^%d%d%d%d%-%d%d%-%d%dT"))
      db:sync() -- again: no duplicate column
    end)

    it("adds createdAt and updatedAt (NOT NULL DATETIME) by default", function()
      local User = db:define("User", { name = DataTypes.STRING })
      assert.is_table(User.rawAttributes.createdAt)
      assert.is_table(User.rawAttributes.updatedAt)
      db:sync()
      local cols, names = columns(db, "Users")
      assert.are.same({ "id", "name", "createdAt", "updatedAt" }, names)
      assert.are.equal("DATETIME", cols.createdAt.type)
      assert.are.equal(1, cols.createdAt.notnull)
      local before = os.time()
      local u = User:create({ name = "a" })
      local t = iso_to_epoch(u.createdAt)
      assert.is_not_nil(t, "createdAt is an ISO string with milliseconds: " .. tostring(u.createdAt))
      assert.is_true(math.abs(t - before) <= 5)
      assert.are.equal(u.createdAt, u.updatedAt)
    end)

    it("adds none with timestamps = false", function()
      local P = db:define("person", { name = DataTypes.STRING }, { timestamps = false })
      assert.is_nil(P.rawAttributes.createdAt)
      assert.is_nil(P.rawAttributes.updatedAt)
      db:sync()
      local _, names = columns(db, "people")
      assert.are.same({ "id", "name" }, names)
      local p = P:create({ name = "x" })
      assert.is_nil(p.createdAt)
      assert.is_nil(p.updatedAt)
      assert.are.same({ id = 1, name = "x" }, P:findByPk(1):toJSON())
    end)

    it("renames createdAt and drops updatedAt with createdAt = \"created_at\", updatedAt = false", function()
      local C = db:define("category", { name = DataTypes.STRING }, { createdAt = "created_at", updatedAt = false })
      assert.is_table(C.rawAttributes.created_at)
      assert.is_nil(C.rawAttributes.createdAt)
      assert.is_nil(C.rawAttributes.updatedAt)
      assert.is_nil(C.rawAttributes.updated_at)
      db:sync()
      local _, names = columns(db, "categories")
      assert.are.same({ "id", "name", "created_at" }, names)
      local c = C:create({ name = "x" })
      assert.is_not_nil(iso_to_epoch(c.created_at))
      assert.is_nil(c.createdAt)
      assert.is_nil(c.updatedAt)
      c:update({ name = "y" })
      local back = C:findByPk(1)
      assert.are.equal("y", back.name)
      assert.are.equal(c.created_at, back.created_at)
      local json = back:toJSON()
      assert.is_nil(json.updatedAt)
      assert.are.equal(back.created_at, json.created_at)
    end)

    it("drops createdAt with createdAt = false", function()
      local S = db:define("status", { name = DataTypes.STRING }, { createdAt = false })
      db:sync()
      local _, names = columns(db, "statuses")
      assert.are.same({ "id", "name", "updatedAt" }, names)
      local s = S:create({ name = "x" })
      assert.is_nil(s.createdAt)
      assert.is_not_nil(iso_to_epoch(s.updatedAt))
    end)
  end)

  describe("defaultValue", function()
    local Setting


    it("a DATE default goes to the DDL in the stored form and reads as ISO; a non-date is refused", function()
      local D = db:define("D", { at = { type = DataTypes.DATE, defaultValue = "2020-01-02T05:04:05+02:00" } },
                          { timestamps = false })
      local ddl = {}
      db:sync({ logging = function(m) ddl[#ddl + 1] = m end })
      assert.is_truthy(table.concat(ddl):find("`at` DATETIME DEFAULT '2020-01-02 03:04:05.000 +00:00'", 1, true))
      assert.are.equal("2020-01-02T03:04:05.000Z", D:build({}).at)
      db:query("INSERT INTO Ds DEFAULT VALUES")
      assert.are.equal("2020-01-02T03:04:05.000Z", D:findByPk(1).at)
      local err = support.catch(db.define, db, "E", { at = { type = DataTypes.DATE, defaultValue = "nope" } })
      assert.is_truthy(err.message:find("not a date", 1, true))
    end)

    it("a float default beyond 2^53 is written as JavaScript writes it, the same under both builds", function()
      -- Sequelize 6.37.8: `d` DOUBLE PRECISION DEFAULT '1152921504606847000', `e` DOUBLE PRECISION DEFAULT
      -- '0.30000000000000004', `s` VARCHAR(255) DEFAULT 1152921504606847000 (a DOUBLE's quoted there);
      -- the created row holds s "1.152921504606847e+18", t "0.30000000000000004"
      local D = db:define("D", { d = { type = DataTypes.DOUBLE, defaultValue = 2 ^ 60 },
        e = { type = DataTypes.DOUBLE, defaultValue = 0.1 + 0.2 }, s = { type = DataTypes.STRING, defaultValue = 2 ^ 60 },
        t = { type = DataTypes.STRING, defaultValue = 0.1 + 0.2 } }, { timestamps = false })
      local ddl = {}
      db:sync({ logging = function(m) ddl[#ddl + 1] = m end })
      ddl = table.concat(ddl)
      assert.is_truthy(ddl:find("`d` DOUBLE PRECISION DEFAULT 1152921504606847000, `e` DOUBLE PRECISION DEFAULT "
        .. "0.30000000000000004, `s` VARCHAR(255) DEFAULT 1152921504606847000, `t` VARCHAR(255) DEFAULT 0.30000000000000004", 1, true), ddl)
      local r = D:create({})
      assert.are.equal("number", type(r.d))
      if math.type then assert.are.equal("float", math.type(r.d)) end -- (a DOUBLE reads as a float)
      assert.are.equal(2 ^ 60, r.d)
      local raw = db:query("SELECT s, t FROM Ds")[1]
      assert.are.same({ "1.152921504606847e+18", "0.30000000000000004" }, { raw.s, raw.t })
    end)

    it("a function is called for each new instance, a value given or not, not put in the DDL (Sequelize)", function()
      local n = 0
      local D = db:define("D", { code = { type = DataTypes.STRING, defaultValue = function() n = n + 1; return "c" .. n end },
                                 name = DataTypes.STRING })
      local ddl = {}
      db:sync({ logging = function(m) ddl[#ddl + 1] = m end })
      local create
      for _, m in ipairs(ddl) do if m:find("TABLE IF NOT EXISTS `Ds`", 1, true) then create = m end end
      assert.is_truthy(create)
      assert.is_falsy(create:find("DEFAULT", 1, true))
      -- Sequelize 6.37.8 (its _initValues runs every default, then sets the values given over
      -- them): c1 given c3 c4, then the build's c5, changed('code') false
      local a = D:create({ name = "x" })
      local b = D:create({ name = "y", code = "given" })
      local l = D:bulkCreate({ { name = "p" }, { name = "q" } })
      assert.are.same({ "c1", "given", "c3", "c4" }, { a.code, b.code, l[1].code, l[2].code })
      assert.are.same({ "c1", "given", "c3", "c4" }, support.field(D:findAll({ order = { { "id", "ASC" } } }), "code"))
      local built = D:build({})
      assert.are.equal("c5", built.code)
      assert.is_false(built:changed("code")) -- a default is not a change (Sequelize)
      assert.are.equal("function", type(D.rawAttributes.code.defaultValue))
    end)

    before_each(function()
      Setting = db:define("Setting", {
        s = { type = DataTypes.STRING, defaultValue = "it's" },
        n = { type = DataTypes.INTEGER, defaultValue = 42 },
        zero = { type = DataTypes.INTEGER, defaultValue = 0 },
        fl = { type = DataTypes.FLOAT, defaultValue = 1.5 },
        yes = { type = DataTypes.BOOLEAN, defaultValue = true },
        no = { type = DataTypes.BOOLEAN, defaultValue = false },
        kind = { type = DataTypes.ENUM("a", "b"), defaultValue = "b" },
        at = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
        uid = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
        other = DataTypes.STRING,
      }, { timestamps = false })
      db:sync()
    end)

    it("fills literal defaults on create and stores them", function()
      local x = Setting:create({})
      assert.are.equal("it's", x.s)
      assert.are.equal(42, x.n)
      assert.are.equal(0, x.zero)
      assert.are.equal(1.5, x.fl)
      assert.is_true(x.yes)
      assert.is_false(x.no)
      assert.are.equal("b", x.kind)
      assert.is_nil(x.other)
      local rows = db:query("SELECT s, n, zero, fl, yes, no, kind FROM Settings")
      assert.are.equal(1, #rows)
      assert.are.equal("it's", rows[1].s)
      assert.are.equal(42, rows[1].n)
      assert.are.equal(0, rows[1].zero)
      assert.are.equal(1.5, rows[1].fl)
      assert.are.equal(1, rows[1].yes)
      assert.are.equal(0, rows[1].no)
      assert.are.equal("b", rows[1].kind)
      local back = Setting:findByPk(x.id)
      assert.is_true(back.yes)
      assert.is_false(back.no)
      assert.is_nil(back.other)
    end)

    it("lets a given value override the default", function()
      local x = Setting:create({ n = 7, yes = false, s = "given" })
      local back = Setting:findByPk(x.id)
      assert.are.equal(7, back.n)
      assert.is_false(back.yes)
      assert.are.equal("given", back.s)
      assert.are.equal(0, back.zero)
    end)

    it("applies defaults on build, before save", function()
      local b = Setting:build({})
      assert.is_true(b.isNewRecord)
      assert.are.equal(42, b.n)
      assert.are.equal("it's", b.s)
      assert.truthy(tostring(b.uid):match(UUID_V4))
      assert.are.equal(0, Setting:count())
      b:save()
      assert.are.equal(1, Setting:count())
      local rows = db:query("SELECT uid, n FROM Settings")
      assert.are.equal(b.uid, rows[1].uid)
      assert.are.equal(42, rows[1].n)
    end)

    it("DataTypes.NOW is the current time, ISO on read, Sequelize's text in the table", function()
      local before = os.time()
      local x = Setting:create({})
      local t = iso_to_epoch(x.at)
      assert.is_not_nil(t, "ISO-8601 with milliseconds and Z: " .. tostring(x.at))
      assert.is_true(math.abs(t - before) <= 5)
      local back = Setting:findByPk(x.id)
      assert.are.equal(x.at, back.at)
      local rows = db:query("SELECT at FROM Settings")
      -- "2023-09-18T07:56:40.205Z" is stored as "2023-09-18 07:56:40.205 +00:00"
      local iso = x.at
      local expected = iso:sub(1, 10) .. " " .. iso:sub(12, 23) .. " +00:00"
      assert.are.equal(expected, rows[1].at)
    end)

    it("DataTypes.UUIDV4 is a fresh 36-character v4 uuid per row", function()
      local a = Setting:create({})
      local b = Setting:create({})
      assert.are.equal(36, #a.uid)
      assert.truthy(a.uid:match(UUID_V4), a.uid)
      assert.truthy(b.uid:match(UUID_V4), b.uid)
      assert.are_not.equal(a.uid, b.uid)
      local rows = db:query("SELECT uid FROM Settings ORDER BY id")
      assert.are.equal(a.uid, rows[1].uid)
      assert.are.equal(b.uid, rows[2].uid)
      assert.are.equal(a.uid, Setting:findByPk(a.id).uid)
    end)

    it("DataTypes.UUIDV1 is a time-based v1 uuid: its time is now, each row's later than the last", function()
      local T = db:define("Ticket", { uid = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV1 } })
      T:sync()
      local V1 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-1%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"
      -- its 60-bit time: 100 ns ticks since 1582-10-15 (hi 12 bits, mid 16, low 32)
      -- (compared as hex digits, high to low: a double cannot hold 60 bits)
      local function ticks(u) return u:sub(16, 18) .. u:sub(10, 13) .. u:sub(1, 8) end
      local list = T:bulkCreate({ {}, {}, {}, {}, {} })
      local before = os.time()
      list[#list + 1] = T:create({})
      local last
      for _, r in ipairs(list) do
        assert.truthy(r.uid:match(V1), r.uid)
        local t = ticks(r.uid)
        if last then assert.is_true(t > last) end
        last = t
        assert.are.equal(list[1].uid:sub(20), r.uid:sub(20)) -- (the handle's clock sequence and node)
      end
      local secs = tonumber(last, 16) / 1e7 - 12219292800
      assert.is_true(math.abs(secs - before) < 5, tostring(secs))
      assert.are.equal(list[6].uid, T:findByPk(6).uid)
    end)

    it("does not replace a given uuid", function()
      local u = "e22b913d-d64e-4333-8c00-3bd6b39e512b"
      local a = Setting:create({ uid = u })
      assert.are.equal(u, a.uid)
      assert.are.equal(u, Setting:findByPk(a.id).uid)
    end)
  end)

  describe("errors", function()
    local function assert_nothing_defined(name, tbl)
      assert.is_nil(db.models[name])
      db:sync()
      for _, t in ipairs(support.tables(db)) do
        assert.are_not.equal(tbl, t)
      end
    end

    it("raises Sequelize's message for an attribute without a type", function()
      -- Sequelize: define('Thing', { weight: { type: undefined } }) throws
      -- Error('Unrecognized datatype for attribute "Thing.weight"')
      local err = support.catch(function()
        db:define("Thing", { weight = { allowNull = false }, name = DataTypes.STRING })
      end)
      assert.is_table(err)
      assert.are.equal("Error", err.name)
      assert.are.equal('Unrecognized datatype for attribute "Thing.weight"', err.message)
      assert_nothing_defined("Thing", "Things")
    end)

    it("a default marker given as the type (DataTypes.NOW, UUIDV4) raises saying it is a defaultValue", function()
      -- Sequelize 6.37.8 takes { at: DataTypes.NOW } for a column typed `NOW` (a mistake for
      -- { type: DATE, defaultValue: NOW }); the shorthand used to raise "unknown attribute option 'kind'"
      for _, c in ipairs({ { "NOW", "DATE" }, { "UUIDV4", "UUID" }, { "UUIDV1", "UUID" } }) do
        for _, def in ipairs({ DataTypes[c[1]], { type = DataTypes[c[1]] } }) do
          local err = support.catch(function()
            db:define("Thing", { at = def, name = DataTypes.STRING })
          end)
          assert.are.equal("Error", err.name)
          assert.are.equal(("Thing.at: DataTypes.%s is a defaultValue, not a type (type = DataTypes.%s, "
            .. "defaultValue = DataTypes.%s)"):format(c[1], c[2], c[1]), err.message)
        end
      end
      assert_nothing_defined("Thing", "Things")
    end)

    it("a DataTypes name sequelua lacks raises where it is named, instead of reading as nil", function()
      -- as nil, { at = DataTypes.ARRAY } would be an empty table: a model silently without `at`
      for _, name in ipairs({ "ARRAY", "HSTORE", "GEOMETRY", "string" }) do
        local err = support.catch(function()
          db:define("Thing", { at = DataTypes[name], name = DataTypes.STRING })
        end)
        assert.is_table(err)
        assert.is_truthy(err.message:find("DataTypes." .. name .. " is not supported", 1, true), err.message)
        assert.is_truthy(err.message:find("STRING", 1, true))
      end
      assert_nothing_defined("Thing", "Things")
    end)

    it("an `id` not marked primaryKey, when no key is, raises Sequelize's message", function()
      local err = support.catch(function()
        db:define("Thing", { id = DataTypes.INTEGER, name = DataTypes.STRING })
      end)
      assert.are.equal("A column called 'id' was added to the attributes of 'Things' but not marked with "
        .. "'primaryKey: true'", err.message)
      assert_nothing_defined("Thing", "Things")
      -- with another key marked, `id` is a plain column
      local T = db:define("Thing", { id = DataTypes.INTEGER, code = { type = DataTypes.STRING, primaryKey = true } })
      assert.are.equal("code", T.primaryKeyAttribute)
    end)

    it("a JSON defaultValue that cannot be encoded raises at define, naming the attribute", function()
      local cyc = {}
      cyc.self = cyc
      for _, bad in ipairs({ { f = print }, cyc }) do
        local err = support.catch(function() db:define("Thing", { doc = { type = DataTypes.JSON, defaultValue = bad } }) end)
        assert.is_truthy(err.message:find("Thing.doc", 1, true), err.message)
      end
      assert_nothing_defined("Thing", "Things")
      local T = db:define("Thing", { doc = { type = DataTypes.JSON, defaultValue = { a = { 1, 2 } } } })
      db:sync()
      assert.are.same({ a = { 1, 2 } }, T:create({}).doc)
      assert.are.same({ a = { 1, 2 } }, T.rawAttributes.doc.defaultValue)
    end)

    it("a non-string association key option raises an AssociationError", function()
      local A = db:define("A", { name = DataTypes.STRING })
      local B = db:define("B", { name = DataTypes.STRING })
      for _, o in ipairs({ { sourceKey = 1 }, { foreignKey = { name = 2 } }, { as = { singular = 3, plural = "x" } },
                           { as = { singular = "y", plural = 4 } } }) do
        local err = support.catch(A.hasMany, A, B, o)
        assert.are.equal("SequelizeAssociationError", err.name)
        assert.is_truthy(err.message:find("must be a non-empty string", 1, true), err.message)
      end
    end)

    it("raises for an unknown type name, naming the model and the attribute", function()
      local ok, t = pcall(function() return DataTypes.FOO end)
      if not ok then
        -- DataTypes itself refuses unknown names: that is an error too, before define
        assert.is_not_nil(t)
        return
      end
      local err = support.catch(function()
        db:define("Thing", { weight = { type = t }, name = DataTypes.STRING })
      end)
      assert.is_table(err)
      assert.truthy(support.contains(err.message, "Thing"), err.message)
      assert.truthy(support.contains(err.message, "weight"), err.message)
      assert_nothing_defined("Thing", "Things")
    end)

    it("raises for a type that is not a DataTypes value, naming the model and the attribute", function()
      local bad = {
        { weight = { type = "VARCHAR(10)" } },
        { weight = { type = 42 } },
        { weight = { type = {} } },
        { weight = { type = true } },
        { weight = "STRING" },
        { weight = 7 },
        { weight = function() end },
      }
      for i, attrs in ipairs(bad) do
        local err = support.catch(function() db:define("Thing", attrs) end)
        assert.is_table(err, "case " .. i)
        assert.truthy(support.contains(err.message, "Thing"), "case " .. i .. ": " .. tostring(err.message))
        assert.truthy(support.contains(err.message, "weight"), "case " .. i .. ": " .. tostring(err.message))
      end
      assert_nothing_defined("Thing", "Things")
    end)

    it("raises for an ENUM without values (Sequelize's message)", function()
      -- Sequelize: "Values for ENUM have not been defined."
      local err = support.catch(function() db:define("Shirt", { size = { type = DataTypes.ENUM } }) end)
      assert.truthy(support.contains(errmsg(err), "Values for ENUM have not been defined."), errmsg(err))
      err = support.catch(function() db:define("Shirt", { size = DataTypes.ENUM() }) end)
      assert.truthy(support.contains(errmsg(err), "Values for ENUM have not been defined."), errmsg(err))
      assert_nothing_defined("Shirt", "Shirts")
    end)

    it("raises for an unknown attribute option, naming the model, the attribute and the option", function()
      local err = support.catch(function()
        db:define("Thing", { weight = { type = DataTypes.INTEGER, allowNul = false } })
      end)
      assert.is_table(err)
      assert.truthy(support.contains(err.message, "Thing"), err.message)
      assert.truthy(support.contains(err.message, "weight"), err.message)
      assert.truthy(support.contains(err.message, "allowNul"), err.message)
      assert_nothing_defined("Thing", "Things")
    end)

    it("raises for an unknown model option, naming the model and the option", function()
      local err = support.catch(function()
        db:define("Thing", { weight = DataTypes.INTEGER }, { timestamp = false })
      end)
      assert.is_table(err)
      assert.truthy(support.contains(err.message, "Thing"), err.message)
      assert.truthy(support.contains(err.message, "timestamp"), err.message)
      assert_nothing_defined("Thing", "Things")
    end)

    it("raises for underscored, freezeTableName or timestamps that are not booleans", function()
      -- Sequelize 6.37.8 reads any truthy value as true: { underscored: 'yes' } makes the table `ts`
      -- and `created_at`; { timestamps: 0 } none. Lua reads 0 as true and the old code "yes" as
      -- false, so a non-boolean is refused, as paranoid is.
      for _, o in ipairs({ { underscored = "yes" }, { freezeTableName = 1 }, { timestamps = 0 } }) do
        local k = next(o)
        local err = support.catch(function() db:define("Thing", { weight = DataTypes.INTEGER }, o) end)
        assert.is_table(err)
        assert.are.equal("Thing: the option " .. k .. " must be a boolean, got " .. type(o[k]), err.message)
        assert_nothing_defined("Thing", "Things")
      end
      local T = db:define("Thing", { weight = DataTypes.INTEGER }, { underscored = true, freezeTableName = false, timestamps = false })
      assert.are.equal("things", T.tableName)
    end)

    it("leaves earlier models intact after a failed define", function()
      local User = db:define("User", { name = DataTypes.STRING })
      support.catch(function() db:define("Thing", { weight = { type = "nope" } }) end)
      assert.are.equal(User, db.models.User)
      db:sync()
      assert.are.same({ "Users" }, support.tables(db))
      User:create({ name = "a" })
      assert.are.equal(1, User:count())
    end)

    it("a define refused after its attributes were taken leaves no model of that name behind", function()
      -- (refused by its hooks, validators or VIRTUAL attributes: the core had made the model;
      -- a through name naming it then made the join model of that half-made one and failed)
      local User = db:define("User", { name = DataTypes.STRING })
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      support.catch(function() db:define("UserTag", { extra = DataTypes.STRING }, { hooks = { beforeCreate = 5 } }) end)
      assert.is_nil(db.models.UserTag)
      User:belongsToMany(Tag, { through = "UserTag" })
      Tag:belongsToMany(User, { through = "UserTag" })
      db:sync()
      local cols = columns(db, "UserTag")
      assert.is_nil(cols.extra)
      assert.is_not_nil(cols.UserId)
      local u, t = User:create({ name = "a" }), Tag:create({ name = "t" })
      u:addTag(t)
      assert.are.equal(1, #u:getTags())
      -- a redefinition refused so keeps the earlier definition current, in Lua and in the core
      local P = db:define("P", { a = DataTypes.STRING })
      local err = support.catch(function()
        db:define("P", { b = DataTypes.STRING }, { validate = { b = function() end } })
      end)
      assert.matches("same name as a field", errmsg(err))
      assert.are.equal(P, db.models.P)
      local Q = db:define("Q", { x = DataTypes.STRING })
      Q:belongsToMany(User, { through = "P" })
      assert.are.equal(P, Q.associations.Users.through.model)
      assert.is_nil(P.rawAttributes.b)
    end)
  end)
end)

describe("Model:removeAttribute", function()
  local db
  before_each(function() db = support.open() end)
  after_each(function() db:close() end)

  it("removes a column and a VIRTUAL; without `id` the model has no primary key (Sequelize)", function()
    -- Sequelize 6.37.8: primaryKeyAttribute undefined, [], rawAttributes name n createdAt
    -- updatedAt; CREATE TABLE `Ps` (`name` VARCHAR(255), `n` INTEGER, `createdAt` ..., `updatedAt` ...)
    local P = db:define("P", { name = DataTypes.STRING, n = DataTypes.INTEGER, gone = DataTypes.STRING,
                               v = { type = DataTypes.VIRTUAL, get = function() return 1 end } })
    P:removeAttribute("id")
    P:removeAttribute("v")
    P:removeAttribute("gone")
    assert.is_nil(P.primaryKeyAttribute)
    assert.are.same({}, P.primaryKeyAttributes)
    local names = {}
    for k in pairs(P.rawAttributes) do names[#names + 1] = k end
    table.sort(names)
    assert.are.same({ "createdAt", "n", "name", "updatedAt" }, names)
    db:sync()
    local _, cols = columns(db, "Ps")
    assert.are.same({ "n", "name", "createdAt", "updatedAt" }, cols)
    P:create({ name = "a", n = 1 })
    local rows = P:findAll()
    assert.are.equal(1, #rows)
    assert.are.same({ "a", 1 }, { rows[1].name, rows[1].n })
    assert.is_nil(rows[1]:toJSON().v)
    assert.is_nil(rows[1]:toJSON().id)
    -- a row of a model without a key cannot be found again to be saved
    rows[1].n = 2
    local err = support.catch_error(function() rows[1]:save() end)
    assert.truthy(err.message:find("P has no primary key", 1, true), err.message)
  end)

  it("refuses the time stamps, deletedAt and the version, naming the option that switches them off", function()
    -- (Sequelize keeps the option and fails later: create names the missing column, a paranoid
    -- destroy raises a TypeError, save a WHERE on an undefined version)
    local R = db:define("R", { name = DataTypes.STRING }, { paranoid = true, version = "lock", updatedAt = "touched" })
    local err = support.catch_error(function() R:removeAttribute("deletedAt") end)
    assert.are.equal("R.removeAttribute: 'deletedAt' is the model's deletedAt time stamp; define the model with "
      .. "deletedAt = false (or paranoid = false) instead", err.message)
    err = support.catch_error(function() R:removeAttribute("touched") end)
    assert.are.equal("R.removeAttribute: 'touched' is the model's updatedAt time stamp; define the model with "
      .. "updatedAt = false instead", err.message)
    err = support.catch_error(function() R:removeAttribute("createdAt") end)
    assert.truthy(err.message:find("createdAt = false", 1, true))
    err = support.catch_error(function() R:removeAttribute("lock") end)
    assert.are.equal("R.removeAttribute: 'lock' is the model's version (optimistic locking); define the model with "
      .. "version = false instead", err.message)
    for _, k in ipairs({ "deletedAt", "touched", "createdAt", "lock" }) do assert.is_table(R.rawAttributes[k]) end
    db:sync()
    local r = R:create({ name = "a" })
    r:destroy()
    assert.are.equal(1, R:count({ paranoid = false })) -- (still soft-deleted)
  end)

  it("refuses an unknown name and an association's key, and changes nothing", function()
    local P = db:define("P", { name = DataTypes.STRING })
    local C = db:define("C", {})
    P:hasMany(C, { foreignKey = "pname", sourceKey = "name" })
    local err = support.catch_error(function() P:removeAttribute("zz") end)
    assert.are.equal("P.removeAttribute: unknown attribute 'zz'", err.message)
    err = support.catch_error(function() P:removeAttribute("name") end)
    assert.are.equal("P.removeAttribute: 'name' is a key of the association P.Cs", err.message)
    err = support.catch_error(function() C:removeAttribute("pname") end)
    assert.are.equal("C.removeAttribute: 'pname' is a key of the association P.Cs", err.message)
    assert.is_table(P.rawAttributes.name)
    assert.is_table(C.rawAttributes.pname)
    err = support.catch_error(function() P:removeAttribute(1) end)
    assert.truthy(err.message:find("expected an attribute name", 1, true))
    -- the last attribute stays; a model without a key counts rows, and refuses distinct
    local X = db:define("X", { a = DataTypes.INTEGER }, { timestamps = false })
    X:removeAttribute("id")
    err = support.catch_error(function() X:removeAttribute("a") end)
    assert.are.equal("X.removeAttribute: 'a' is the model's last attribute", err.message)
    local Y = db:define("Y", {}, { timestamps = false })
    X:belongsTo(Y)
    db:sync()
    X:bulkCreate({ { a = 1 }, { a = 2 }, { a = Sequelize.null } })
    assert.are.equal(3, X:count())
    assert.are.equal(3, X:count({ include = Y }))
    err = support.catch_error(function() X:count({ distinct = true }) end)
    assert.are.equal("X has no primary key: count with distinct needs `col`", err.message)
    assert.are.equal(2, X:count({ distinct = true, col = "a" }))
  end)
end)

describe("Model:removeAttribute and associations after the model was used", function()
  local db, log
  before_each(function()
    log = {}
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) log[#log + 1] = s end }
  end)
  after_each(function() db:close() end)

  local function setup(attrs)
    local U = db:define("User", attrs, { timestamps = false })
    local T = db:define("Team", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    T:create{ name = "t1" }; T:create{ name = "t2" }
    return U, T
  end

  it("an instance save after removeAttribute + a new key writes the new key's column (the kept UPDATE is not reused)", function()
    -- Sequelize 6.37.8: UPDATE `Users` SET `TeamId`=$1 WHERE `id` = $2; [{"id":1,"a":"A","b":"B2","TeamId":2}]
    local U, T = setup({ a = DataTypes.STRING, b = DataTypes.STRING })
    local u = U:create{ a = "A", b = "B" }
    u.b = "B2"; u:save()
    U:removeAttribute("a")
    U:belongsTo(T)
    db:getQueryInterface():addColumn("Users", "TeamId", { type = DataTypes.INTEGER })
    local u2 = U:findOne{ where = { id = 1 } }
    log = {}
    u2.TeamId = 2; u2:save()
    assert.truthy(log[1]:find("SET `TeamId`=?", 1, true), log[1])
    assert.same({ { id = 1, a = "A", b = "B2", TeamId = 2 } }, (db:query("SELECT * FROM Users")))
  end)

  it("findByPk after removeAttribute + a new key reads the columns the model has now", function()
    -- Sequelize 6.37.8: {"id":1,"a":"A","TeamId":1}, also after sync alter drops column b
    local U, T = setup({ a = DataTypes.STRING, b = DataTypes.STRING })
    U:create{ a = "A", b = "2" }
    U:findByPk(1)
    U:removeAttribute("b")
    U:belongsTo(T)
    db:getQueryInterface():addColumn("Users", "TeamId", { type = DataTypes.INTEGER })
    db:query("UPDATE Users SET TeamId = 1")
    assert.same({ id = 1, a = "A", TeamId = 1 }, U:findByPk(1):toJSON())
    db:sync{ alter = true }
    assert.same({ id = 1, a = "A", TeamId = 1 }, U:findByPk(1):toJSON())
  end)
  it("instances made before removeAttribute keep their values under their names, and save them to their columns", function()
    -- Sequelize 6.37.8: u.b "B", u.c 3; a save of f writes b only: [{"id":1,"a":"A","b":"B2","c":3}];
    -- a save of u marking c and b writes SET c=3, b='B'; f:reload() {"id":1,"b":"B2","c":3}
    -- (Sequelize's toJSON still shows the removed `a` of an instance read before; here it goes)
    local U = db:define("User", { a = DataTypes.STRING, b = DataTypes.STRING, c = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    local u = U:create{ a = "A", b = "B", c = 3 }
    local f = U:findByPk(1)
    U:removeAttribute("a")
    assert.are.equal("B", u.b)
    assert.are.equal(3, u.c)
    assert.same({ id = 1, b = "B", c = 3 }, f:toJSON())
    assert.are.equal('{"id":1,"b":"B","c":3}', Sequelize.stringify(u))
    f.b = "B2"; f:save()
    assert.same({ { id = 1, a = "A", b = "B2", c = 3 } }, (db:query("SELECT * FROM Users")))
    u:changed("c", true); u:changed("b", true); u:save()
    assert.same({ { id = 1, a = "A", b = "B", c = 3 } }, (db:query("SELECT * FROM Users")))
    assert.same({ id = 1, b = "B", c = 3 }, f:reload():toJSON())
    -- a second change: the instance moves through both
    local g = U:findByPk(1)
    U:removeAttribute("b")
    assert.same({ { id = 1, c = 3 }, { id = 1, c = 3 } }, { u:toJSON(), g:toJSON() })
  end)

  it("belongsToMany through a model already used: its instances keep their values (the automatic id goes)", function()
    -- Sequelize 6.37.8: m1 {"id":1,"role":"r","zz":"Z"} before and after, m1.role "r" (its dataValues keep id)
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local G = db:define("Group", { name = DataTypes.STRING }, { timestamps = false })
    local M = db:define("M", { role = DataTypes.STRING, zz = DataTypes.STRING }, { timestamps = false })
    db:sync()
    local m1 = M:create{ role = "r", zz = "Z" }
    U:belongsToMany(G, { through = M })
    assert.are.equal("r", m1.role)
    assert.same({ role = "r", zz = "Z" }, m1:toJSON())
  end)

  it("an included row read before its model gained a key: the join row waiting in it is not read as the key", function()
    local U = db:define("User", { a = DataTypes.STRING }, { timestamps = false })
    local G = db:define("Group", { name = DataTypes.STRING }, { timestamps = false })
    U:belongsToMany(G, { through = "UG" })
    db:sync()
    local u = U:create{ a = "A" }
    u:addGroup(G:create{ name = "g" })
    local r = U:findAll{ include = G }
    G:belongsTo(db:define("H", { z = DataTypes.STRING }, { timestamps = false }))
    assert.is_nil(r[1].Groups[1].HId)
    assert.are.equal(1, r[1].Groups[1].UG.UserId)
    assert.are.equal("g", r[1].Groups[1].name)
  end)

  it("set() of a to-many include with one saved instance made before its model changed: a list of that instance", function()
    -- as without the change (Sequelize 6.37.8 wraps one row in a list, and builds a row from
    -- its dataValues: Posts = [ a copy of the post ], u.Posts[0] !== p)
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING, body = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    U:create({ name = "a", Posts = { { title = "t1", body = "b1" } } }, { include = P })
    local u = U:findOne{ include = P }
    local p = P:create{ title = "n", body = "nb" }
    P:removeAttribute("body")
    u:set("Posts", p)
    assert.are.equal(1, #u.Posts)
    assert.are_not.equal(p, u.Posts[1])
    assert.same({ id = 2, title = "n" }, u.Posts[1]:toJSON())
  end)

  it("a hook that removes an attribute while the instance is being saved: the save writes each value to its own column", function()
    -- Sequelize 6.37.8, for each of the four hooks: [{"id":1,"title":"t1","body":"b1","zeta":"z2"}]
    for _, hook in ipairs({ "beforeValidate", "afterValidate", "beforeSave", "beforeUpdate" }) do
      local P = db:define("Post", { title = DataTypes.STRING, body = DataTypes.STRING, zeta = DataTypes.STRING },
                          { timestamps = false })
      db:sync{ force = true }
      P:create{ title = "t1", body = "b1", zeta = "z1" }
      local p = P:findByPk(1)
      local done = false
      P:addHook(hook, function() if not done then done = true; P:removeAttribute("body") end end)
      p.zeta = "z2"; p:save()
      assert.same({ { id = 1, title = "t1", body = "b1", zeta = "z2" } }, (db:query("SELECT * FROM Posts")), hook)
      assert.same({ id = 1, title = "t1", zeta = "z2" }, p:toJSON(), hook)
    end
  end)
end)

-- Sequelize.new(url, { define = {...} }): Sequelize's Utils.merge of the global options and
-- each define's (the define's win; tables merge). Sequelize 6.37.8: /tmp/sqz/mo_new.js
describe("the define option of Sequelize.new", function()
  it("underscored, freezeTableName, timestamps for every model; a model's own options win", function()
    local db = Sequelize.new("sqlite::memory:", { define = { underscored = true, freezeTableName = true, timestamps = false } })
    local U = db:define("User", { fullName = DataTypes.STRING })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = true, freezeTableName = false })
    db:sync()
    -- Sequelize: ["User", "full_name", true, "posts", "created_at"]
    assert.are.same({ "User", "full_name", true, "posts", "created_at" },
      { U.tableName, U.rawAttributes.fullName.field, U.rawAttributes.createdAt == nil, P.tableName,
        P.rawAttributes.createdAt.field })
    U:create({ fullName = "a" })
    assert.are.same({ { full_name = "a", id = 1 } }, db:query("SELECT * FROM User", { type = "SELECT" }))
  end)

  it("paranoid for every model", function()
    local db = Sequelize.new("sqlite::memory:", { define = { paranoid = true } })
    local Q = db:define("Q", { a = DataTypes.STRING })
    db:sync()
    local q = Q:create({ a = "x" })
    q:destroy()
    assert.are.same({ 0, 1 }, { Q:count(), Q:count({ paranoid = false }) }) -- Sequelize: [0, 1]
  end)

  it("version for every model: a join model made from a through name has it too, as its source", function()
    local db = Sequelize.new("sqlite::memory:", { define = { paranoid = true, underscored = true, version = true } })
    local A = db:define("A", { name = DataTypes.STRING })
    local B = db:define("B", { name = DataTypes.STRING }, { paranoid = false, version = false })
    A:belongsToMany(B, { through = "AB" })
    B:belongsToMany(A, { through = "AB" })
    db:sync()
    local function cols(t)
      local out = {}
      for _, r in ipairs(db:query("PRAGMA table_info(`" .. t .. "`)")) do out[#out + 1] = r.name end
      return out
    end
    -- Sequelize 6.37.8 (its join model's define takes source.options, version among them):
    -- ["created_at","updated_at","version","a_id","b_id"]
    assert.are.same({ "created_at", "updated_at", "version", "a_id", "b_id" }, cols("AB"))
    local a, b = A:create({ name = "a" }), B:create({ name = "b" })
    a:addB(b)
    -- Sequelize: the join row holds version 0; AB.options.version true
    assert.are.equal(0, db:query("SELECT version FROM AB")[1].version)
    assert.is_true(db.models.AB.options.version)
    -- the source's own option, without define: Sequelize's CD is
    -- ["createdAt","updatedAt","lock","CId","DId"]; with a source without it, DC is
    -- ["createdAt","updatedAt","DId","CId"]
    local db2 = Sequelize.new("sqlite::memory:")
    local C = db2:define("C", { name = DataTypes.STRING }, { version = "lock" })
    local D = db2:define("D", { name = DataTypes.STRING })
    C:belongsToMany(D, { through = "CD" })
    D:belongsToMany(C, { through = "DC" })
    db2:sync()
    db = db2
    assert.are.same({ "createdAt", "updatedAt", "lock", "CId", "DId" }, cols("CD"))
    assert.are.same({ "createdAt", "updatedAt", "DId", "CId" }, cols("DC"))
  end)

  it("hooks given globally run for every model, merged with a model's own", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { define = { timestamps = false,
      hooks = { beforeCreate = function(i) i.n = (i.n or "") .. "!" end, afterCreate = function() log[#log + 1] = "g" end } } })
    local U = db:define("U", { n = DataTypes.STRING })
    local V = db:define("V", { n = DataTypes.STRING }, { hooks = { afterCreate = function() log[#log + 1] = "own" end } })
    db:sync()
    assert.are.equal("a!", U:create({ n = "a" }).n) -- Sequelize: "a!"
    V:create({ n = "b" })
    assert.are.same({ "g", "own" }, log) -- the model's function replaces the global one
  end)

  it("beforeDefine sees the merged options; an unknown global option raises at define", function()
    local db = Sequelize.new("sqlite::memory:", { define = { timestamps = false } })
    local seen
    db:beforeDefine(function(_, options) seen = options.timestamps end)
    db:define("A", { a = DataTypes.STRING })
    assert.is_false(seen)
    -- options given or not, the hook sees modelName and the db (Sequelize); the caller's
    -- table is not changed
    local names = {}
    local db2 = Sequelize.new("sqlite::memory:")
    db2:beforeDefine(function(_, options) names[#names + 1] = options.modelName .. tostring(options.sequelize == db2) end)
    local opts = { timestamps = false }
    db2:define("X", { a = DataTypes.STRING })
    db2:define("Y", { a = DataTypes.STRING }, opts)
    assert.are.same({ "Xtrue", "Ytrue" }, names)
    assert.is_nil(opts.modelName)
    local bad = Sequelize.new("sqlite::memory:", { define = { bogus = 1 } })
    assert.has_error(function() bad:define("B", { a = DataTypes.STRING }) end)
  end)
end)

describe("autoIncrement and the key's names", function()
  it("one autoIncrement attribute at most, the added id among them; autoIncrementAttribute, primaryKeyField", function()
    local db = Sequelize.new("sqlite::memory:")
    local err = select(2, pcall(db.define, db, "V", { seq = { type = DataTypes.INTEGER, autoIncrement = true } }))
    assert.are.equal("V: Invalid Instance definition. Only one autoincrement field allowed.", err.message)
    local K = db:define("K", { uid = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, field = "u_id" } })
    assert.are.same({ "uid", "u_id" }, { K.autoIncrementAttribute, K.primaryKeyField })
    local W = db:define("W", { n = DataTypes.INTEGER })
    assert.are.same({ "id", "id" }, { W.autoIncrementAttribute, W.primaryKeyField })
    db:close()
  end)
end)

describe("a DATE defaultValue given as seconds since the epoch", function()
  it("is the date in the DDL, read back as ISO text (Sequelize writes the Date)", function()
    local log = {}
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(m) log[#log + 1] = m end })
    local A = db:define("A", { n = DataTypes.STRING, d2 = { type = DataTypes.DATE, defaultValue = 1609459200 },
                              d3 = { type = DataTypes.DATEONLY, defaultValue = 1609459200 } }, { timestamps = false })
    db:sync()
    local ddl = table.concat(log, "\n")
    assert.truthy(ddl:find("`d2` DATETIME DEFAULT '2021-01-01 00:00:00.000 +00:00'", 1, true), ddl)
    assert.truthy(ddl:find("`d3` DATE DEFAULT '2021-01-01'", 1, true), ddl)
    db:query("INSERT INTO `As` (n) VALUES ('x')")
    local a = A:findOne()
    assert.are.same({ "2021-01-01T00:00:00.000Z", "2021-01-01" }, { a.d2, a.d3 })
    assert.are.equal("2021-01-01T00:00:00.000Z", A:build({}).d2)
    db:close()
  end)
end)

describe("defaultValue = Sequelize.literal / fn", function()
  it("writes the literal as the column's DEFAULT and leaves the INSERT to the database", function()
    -- Sequelize 6.37.8:
    --   CREATE TABLE IF NOT EXISTS `Evs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT,
    --     `at` DATETIME DEFAULT CURRENT_TIMESTAMP, `n` INTEGER DEFAULT (1+2), `name` VARCHAR(255));
    --   create({ name: 'x' }) then reload: at is now (whole seconds), n is 3;
    --   create({ name: 'y', at: '2020-01-01', n: 7 }) keeps the values given;
    --   rawAttributes.at.defaultValue is the literal
    local db, log = support.open()
    local E = db:define("Ev", {
      at = { type = DataTypes.DATE, defaultValue = Sequelize.literal("CURRENT_TIMESTAMP") },
      n = { type = DataTypes.INTEGER, defaultValue = Sequelize.literal("(1+2)") },
      name = DataTypes.STRING,
    }, { timestamps = false })
    db:sync()
    assert.are.equal("CREATE TABLE IF NOT EXISTS `Evs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`at` DATETIME DEFAULT CURRENT_TIMESTAMP, `n` INTEGER DEFAULT (1+2), `name` VARCHAR(255));",
      support.create_of(log, "Evs"))
    assert.are.equal("CURRENT_TIMESTAMP", E.rawAttributes.at.defaultValue.val)
    local e = E:create({ name = "x" })
    -- (Sequelize's instance holds the literal object until reload; here the attribute is
    -- unset until then)
    e:reload()
    assert.are.equal(3, e.n)
    assert.truthy(e.at:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.000Z$"))
    local y = E:create({ name = "y", at = "2020-01-01", n = 7 })
    y:reload()
    assert.are.same({ "2020-01-01T00:00:00.000Z", 7 }, { y.at, y.n })
    E:bulkCreate({ { name = "m1" }, { name = "m2", at = "2021-01-01" } })
    local m1 = E:findOne({ where = { name = "m1" } })
    assert.are.equal(3, m1.n)
    assert.truthy(m1.at:match("^%d%d%d%d%-"))
    assert.are.equal("2021-01-01T00:00:00.000Z", E:findOne({ where = { name = "m2" } }).at)
  end)

  it("writes an fn as Sequelize does, which SQLite refuses at sync", function()
    -- Sequelize: `at2` VARCHAR(255) DEFAULT upper('x') -> SequelizeDatabaseError
    -- (SQLITE_ERROR: near "(": syntax error)
    local db = support.open()
    db:define("Fv", { at2 = { type = DataTypes.STRING, defaultValue = Sequelize.fn("upper", "x") } },
      { timestamps = false })
    local err = support.catch(db.sync, db)
    assert.are.equal("SequelizeDatabaseError", err.name)
    assert.are.equal('near "(": syntax error', err.message)
    assert.truthy(err.sql:find("DEFAULT upper('x')", 1, true))
  end)
end)

describe("model options other dialects use", function()
  it("schema names the table schema.table (schemaDelimiter between); initialAutoIncrement and hasTrigger are taken", function()
    -- Sequelize 6.37.8 (sqlite): CREATE TABLE IF NOT EXISTS `aux.Ts` (...), `s_Vs` with
    -- schemaDelimiter '_'; INSERT INTO `aux.Ts`; initialAutoIncrement / hasTrigger change nothing
    local db, log = support.open()
    local T = db:define("T", { a = DataTypes.INTEGER }, { schema = "aux", timestamps = false })
    local U = db:define("U", { a = DataTypes.INTEGER }, { timestamps = false, initialAutoIncrement = 100, hasTrigger = true })
    local V = db:define("V", { a = DataTypes.INTEGER }, { schema = "s", schemaDelimiter = "_", timestamps = false })
    V:belongsTo(T)
    db:sync()
    -- getTableName() with a schema is Sequelize's object, its tostring the quoted name (Sequelize 6.37.8:
    -- {"tableName":"Ts","table":"Ts","name":"T","schema":"aux","delimiter":"."}, String() `aux.Ts`,
    -- V's `s_Vs`; query('SELECT a FROM ' + T.getTableName()) -> [{a:1}]); without one the name
    local t = T:getTableName()
    assert.are.same({ tableName = "Ts", table = "Ts", name = "T", schema = "aux", delimiter = "." },
                    { tableName = t.tableName, table = t.table, name = t.name, schema = t.schema, delimiter = t.delimiter })
    assert.are.same({ "`aux.Ts`", "Us", "`s_Vs`" }, { tostring(t), U:getTableName(), tostring(V:getTableName()) })
    assert.are.same({ "aux.Ts", "aux", "_" }, { T.tableName, T.options.schema, V.options.schemaDelimiter })
    -- an empty schemaDelimiter is the default (Sequelize 6.37.8: schemaDelimiter '' -> CREATE TABLE
    -- `app.Posts`, getTableName().delimiter '.'; it made `appPosts`)
    local W = db:define("W", { a = DataTypes.INTEGER }, { schema = "app", schemaDelimiter = "", timestamps = false })
    assert.are.same({ "app.Ws", "." }, { W.tableName, W:getTableName().delimiter })
    T:create({ a = 1 })
    V:create({ a = 2, TId = 1 })
    U:create({ a = 3 })
    assert.are.same({ { a = 1 } }, support.raw(db, "SELECT a FROM `aux.Ts`"))
    assert.are.same({ { a = 1 } }, db:query("SELECT a FROM " .. T:getTableName(), { type = "SELECT" }))
    assert.are.same({ { id = 1, a = 1 } }, db:getQueryInterface():select(nil, T:getTableName(), {}))
    assert.are.same({ { id = 1 } }, support.raw(db, "SELECT id FROM Us"))
    assert.are.equal(1, V:findOne({ include = T }).T.a)
    assert.truthy(support.sql_of(log[#log]):find("FROM `s_Vs` AS `V` LEFT OUTER JOIN `aux.Ts` AS `T`", 1, true))
    local err = support.catch_error(function() db:define("W", {}, { schema = 1 }) end)
    assert.are.equal("W: schema must be a non-empty string of valid UTF-8 without NUL bytes", err.message)
    -- omitNull: accepted and ignored (Sequelize 6.37.8: define(..., { omitNull: true }) under
    -- Sequelize.new's false writes the NULL: INSERT INTO `Xes` (`id`,`a`) VALUES (NULL,$1))
    local X = db:define("X", { a = DataTypes.INTEGER }, { omitNull = true, timestamps = false })
    db:define("Y", {}, { omitNull = false })
    X:sync()
    support.clear(log)
    X:create({ a = Sequelize.null })
    assert.are.equal("INSERT INTO `Xes` (`a`) VALUES (?);", support.sql_of(log[#log]))
  end)
end)

describe("allowNull = Sequelize.null", function()
  -- Sequelize: attributesToSQL writes NOT NULL for a falsy allowNull given, the validator
  -- checks `allowNull === false` only; rawAttributes keep null
  it("writes the column NOT NULL, runs no notNull validator, keeps null in rawAttributes", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { a = { type = DataTypes.STRING, allowNull = Sequelize.null }, b = DataTypes.INTEGER })
    db:sync()
    assert.equal(1, columns(db, "Us").a.notnull)
    assert.equal(Sequelize.null, U.rawAttributes.a.allowNull)
    U:build({ b = 1 }):validate()
    local ok, err = pcall(U.create, U, { b = 1 })
    assert.is_false(ok)
    assert.equal("SequelizeDatabaseError", err.name)
    assert.equal("NOT NULL constraint failed: Us.a", err.message)
    assert.equal(0, U:count())
    local qi = db:getQueryInterface()
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true },
                          a = { type = DataTypes.STRING, allowNull = Sequelize.null } })
    qi:addColumn("T", "b", { type = DataTypes.STRING, allowNull = Sequelize.null, defaultValue = "x" })
    local cols = columns(db, "T")
    assert.equal(1, cols.a.notnull)
    assert.equal(1, cols.b.notnull)
  end)
end)
