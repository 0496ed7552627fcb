-- sync_spec: the DDL that db:sync() / Model:sync() log must equal Sequelize 6's for the
-- same models on sqlite, with the columns in sequelua's order (primary keys, the other
-- attributes sorted by name, createdAt, updatedAt). The expected strings were captured
-- from sequelize 6.37.8 with logging: console.log, defining the attributes in that order.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function index_of(list, value)
  for i, v in ipairs(list) do
    if v == value then return i end
  end
  return nil
end

local function columns(db, tbl)
  local rows = db:query("PRAGMA table_info(`" .. tbl .. "`)")
  local out = {}
  for i, r in ipairs(rows) do
    out[i] = { name = r.name, type = r.type, notnull = r.notnull, pk = r.pk }
  end
  return out
end

local USERS_DDL = "CREATE TABLE IF NOT EXISTS `users` (`user_id` INTEGER PRIMARY KEY AUTOINCREMENT, `email` VARCHAR(255), `password` VARCHAR(255), `username` VARCHAR(255) NOT NULL UNIQUE, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL);"
local STORIES_DDL = "CREATE TABLE IF NOT EXISTS `stories` (`story_id` INTEGER PRIMARY KEY AUTOINCREMENT, `content` TEXT NOT NULL, `created_by` INTEGER NOT NULL REFERENCES `Users` (`user_id`), `title` VARCHAR(255) NOT NULL, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL);"

describe("sync", function()
  local db, log

  before_each(function()
    db, log = support.open()
  end)

  after_each(function()
    if db then db:close() end
    db, log = nil, nil
  end)

  describe("CREATE TABLE text", function()
    it("default id and timestamps", function()
      local User = db:define("User", { name = DataTypes.STRING })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
      }, support.creates(log))
      assert.are.same({
        { name = "id", type = "INTEGER", notnull = 0, pk = 1 },
        { name = "name", type = "VARCHAR(255)", notnull = 0, pk = 0 },
        { name = "createdAt", type = "DATETIME", notnull = 1, pk = 0 },
        { name = "updatedAt", type = "DATETIME", notnull = 1, pk = 0 },
      }, columns(db, "Users"))
      User:create({ name = "a" })
      assert.are.equal(1, User:count())
    end)

    it("custom INTEGER.UNSIGNED autoIncrement key, STRING(255) NOT NULL UNIQUE, renamed timestamps", function()
      local Users = support.define_seed_users(db)
      db:sync()
      assert.are.same({ USERS_DDL }, support.creates(log))
      assert.are.same({ "user_id", "email", "password", "username", "created_at", "updated_at" }, support.column_names(db, "users"))
      -- the UNIQUE is real
      Users:create({ username = "boris" })
      local err = support.catch(function() Users:create({ username = "boris" }) end)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.equal(1, Users:count())
    end)

    it("a references attribute (the seed's Stories.created_by) gets its REFERENCES clause", function()
      local Users = support.define_seed_users(db)
      local Stories = support.define_seed_stories(db, "Users")
      db:sync()
      local list = support.creates(log)
      assert.are.same({ USERS_DDL, STORIES_DDL }, list)
      assert.are.same({ "story_id", "content", "created_by", "title", "created_at", "updated_at" }, support.column_names(db, "stories"))
      -- the constraint is enforced (SQLite resolves `Users` to `users`: names are case-insensitive)
      local u = Users:create({ username = "boris" })
      local s = Stories:create({ created_by = u.user_id, title = "t", content = "c" })
      assert.are.equal(1, s.story_id)
      local err = support.catch(function() Stories:create({ created_by = 99, title = "t", content = "c" }) end)
      assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
      assert.are.equal(1, Stories:count())
    end)

    it("references a model object by its tableName, with onDelete / onUpdate", function()
      local Users = support.define_seed_users(db)
      local Comment = db:define("Comment", {
        author_id = {
          type = DataTypes.INTEGER,
          references = { model = Users, key = "user_id" },
          onDelete = "CASCADE",
          onUpdate = "SET NULL",
        },
        body = DataTypes.TEXT,
      }, { timestamps = false })
      db:sync()
      assert.are.equal(
        "CREATE TABLE IF NOT EXISTS `Comments` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `author_id` INTEGER REFERENCES `users` (`user_id`) ON DELETE CASCADE ON UPDATE SET NULL, `body` TEXT);",
        support.create_of(log, "Comments"))
      local list = support.creates(log)
      assert.is_true(index_of(list, USERS_DDL) < index_of(list, support.create_of(log, "Comments")))
      -- ON DELETE CASCADE takes effect
      local u = Users:create({ username = "ann" })
      Comment:create({ author_id = u.user_id, body = "hi" })
      assert.are.equal(1, Comment:count())
      db:query("DELETE FROM users WHERE user_id = ?", { replacements = { u.user_id } })
      assert.are.equal(0, Comment:count())
    end)

    it("creates a referenced table first even when it is defined later", function()
      local Comment = db:define("Comment", {
        author_id = { type = DataTypes.INTEGER, references = { model = "users", key = "user_id" } },
      }, { timestamps = false })
      support.define_seed_users(db)
      db:sync()
      local list = support.creates(log)
      assert.are.equal(2, #list)
      assert.are.equal(USERS_DDL, list[1])
      -- Sequelize: a string model is the table name, rendered as given
      assert.are.equal(
        "CREATE TABLE IF NOT EXISTS `Comments` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `author_id` INTEGER REFERENCES `users` (`user_id`));",
        list[2])
      assert.are.equal(0, Comment:count())
    end)

    it("every type's column type name, bare", function()
      -- Sequelize on sqlite: UNSIGNED / ZEROFILL vanish on INTEGER and BIGINT, CHAR is CHAR(255),
      -- DOUBLE is DOUBLE PRECISION, BOOLEAN is TINYINT(1), ENUM is TEXT
      db:define("Sample", {
        a_string = DataTypes.STRING, b_string100 = DataTypes.STRING(100),
        c_char = DataTypes.CHAR, c_char10 = DataTypes.CHAR(10), d_text = DataTypes.TEXT,
        e_int = DataTypes.INTEGER, e_int_u = DataTypes.INTEGER.UNSIGNED, e_int_z = DataTypes.INTEGER.ZEROFILL,
        e_int_uz = DataTypes.INTEGER.UNSIGNED.ZEROFILL,
        f_bigint = DataTypes.BIGINT, f_bigint_u = DataTypes.BIGINT.UNSIGNED,
        g_float = DataTypes.FLOAT, h_double = DataTypes.DOUBLE, i_real = DataTypes.REAL,
        j_decimal = DataTypes.DECIMAL, j_decimal_ps = DataTypes.DECIMAL(10, 2),
        k_bool = DataTypes.BOOLEAN, l_date = DataTypes.DATE, m_dateonly = DataTypes.DATEONLY,
        n_uuid = DataTypes.UUID, o_json = DataTypes.JSON, p_blob = DataTypes.BLOB,
        q_enum = DataTypes.ENUM("a", "b"),
      }, { timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Samples` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a_string` VARCHAR(255), `b_string100` VARCHAR(100), `c_char` CHAR(255), `c_char10` CHAR(10), `d_text` TEXT, `e_int` INTEGER, `e_int_u` INTEGER, `e_int_uz` INTEGER, `e_int_z` INTEGER, `f_bigint` BIGINT, `f_bigint_u` BIGINT, `g_float` FLOAT, `h_double` DOUBLE PRECISION, `i_real` REAL, `j_decimal` DECIMAL, `j_decimal_ps` DECIMAL(10,2), `k_bool` TINYINT(1), `l_date` DATETIME, `m_dateonly` DATE, `n_uuid` UUID, `o_json` JSON, `p_blob` BLOB, `q_enum` TEXT);",
      }, support.creates(log))
      local cols = columns(db, "Samples")
      assert.are.equal(24, #cols)
      assert.are.equal("DECIMAL(10,2)", cols[17].type)
      assert.are.equal("TINYINT(1)", cols[18].type)
    end)

    it("every type's column type name, called without arguments", function()
      db:define("Called", {
        a_string = DataTypes.STRING(), c_char = DataTypes.CHAR(), d_text = DataTypes.TEXT(),
        e_int = DataTypes.INTEGER(), f_bigint = DataTypes.BIGINT(), g_float = DataTypes.FLOAT(),
        h_double = DataTypes.DOUBLE(), i_real = DataTypes.REAL(), j_decimal = DataTypes.DECIMAL(),
        k_bool = DataTypes.BOOLEAN(), l_date = DataTypes.DATE(), m_dateonly = DataTypes.DATEONLY(),
        n_uuid = DataTypes.UUID(), o_json = DataTypes.JSON(), p_blob = DataTypes.BLOB(),
      }, { timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Calleds` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a_string` VARCHAR(255), `c_char` CHAR(255), `d_text` TEXT, `e_int` INTEGER, `f_bigint` BIGINT, `g_float` FLOAT, `h_double` DOUBLE PRECISION, `i_real` REAL, `j_decimal` DECIMAL, `k_bool` TINYINT(1), `l_date` DATETIME, `m_dateonly` DATE, `n_uuid` UUID, `o_json` JSON, `p_blob` BLOB);",
      }, support.creates(log))
      assert.are.equal(16, #columns(db, "Calleds"))
    end)

    it("keeps UNSIGNED / ZEROFILL on the floating types, as Sequelize does on sqlite", function()
      -- Sequelize: FLOAT UNSIGNED, DOUBLE PRECISION UNSIGNED, REAL UNSIGNED, FLOAT ZEROFILL stay;
      -- DECIMAL(10,2).UNSIGNED renders DECIMAL(10,2)
      db:define("Measure", {
        a = DataTypes.FLOAT.UNSIGNED, b = DataTypes.DOUBLE.UNSIGNED, c = DataTypes.REAL.UNSIGNED,
        d = DataTypes.FLOAT.ZEROFILL, e = DataTypes.DECIMAL(10, 2).UNSIGNED,
      }, { timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Measures` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` FLOAT UNSIGNED, `b` DOUBLE PRECISION UNSIGNED, `c` REAL UNSIGNED, `d` FLOAT ZEROFILL, `e` DECIMAL(10,2));",
      }, support.creates(log))
      assert.are.equal("FLOAT UNSIGNED", columns(db, "Measures")[2].type)
    end)

    it("renders defaultValue literals as Sequelize does (NOW and UUIDV4 have no DEFAULT)", function()
      -- Sequelize: strings quoted with '' doubling, integers and DECIMAL bare, FLOAT quoted ('1.5'),
      -- booleans 1/0, null as DEFAULT NULL, NOT NULL before DEFAULT
      local Setting = db:define("Setting", {
        s = { type = DataTypes.STRING, defaultValue = "it's" },
        n = { type = DataTypes.INTEGER, defaultValue = 42 },
        neg = { type = DataTypes.INTEGER, defaultValue = -7 },
        zero = { type = DataTypes.INTEGER, defaultValue = 0 },
        fl = { type = DataTypes.FLOAT, defaultValue = 1.5 },
        dec = { type = DataTypes.DECIMAL(10, 2), defaultValue = 3.25 },
        yes = { type = DataTypes.BOOLEAN, defaultValue = true },
        no = { type = DataTypes.BOOLEAN, defaultValue = false },
        empty = { type = DataTypes.STRING, defaultValue = "" },
        req = { type = DataTypes.STRING, allowNull = false, defaultValue = "x" },
        nul = { type = DataTypes.INTEGER, defaultValue = Sequelize.null },
        now = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
        uid = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
        kind = { type = DataTypes.ENUM("a", "b"), defaultValue = "a" },
        day = { type = DataTypes.DATEONLY, defaultValue = "2020-01-02" },
      }, { timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Settings` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `day` DATE DEFAULT '2020-01-02', `dec` DECIMAL(10,2) DEFAULT 3.25, `empty` VARCHAR(255) DEFAULT '', `fl` FLOAT DEFAULT '1.5', `kind` TEXT DEFAULT 'a', `n` INTEGER DEFAULT 42, `neg` INTEGER DEFAULT -7, `no` TINYINT(1) DEFAULT 0, `now` DATETIME, `nul` INTEGER DEFAULT NULL, `req` VARCHAR(255) NOT NULL DEFAULT 'x', `s` VARCHAR(255) DEFAULT 'it''s', `uid` UUID, `yes` TINYINT(1) DEFAULT 1, `zero` INTEGER DEFAULT 0);",
      }, support.creates(log))
      -- the DEFAULTs are live in the table: a raw insert picks them up
      db:query("INSERT INTO Settings (id) VALUES (1)")
      local rows = db:query("SELECT s, n, neg, yes, no, req, kind, day, typeof(nul) AS t FROM Settings")
      assert.are.equal("it's", rows[1].s)
      assert.are.equal(42, rows[1].n)
      assert.are.equal(-7, rows[1].neg)
      assert.are.equal(1, rows[1].yes)
      assert.are.equal(0, rows[1].no)
      assert.are.equal("x", rows[1].req)
      assert.are.equal("a", rows[1].kind)
      assert.are.equal("2020-01-02", rows[1].day)
      assert.are.equal("null", rows[1].t)
      assert.are.equal(1, Setting:count())
    end)

    it("underscored: snake_case columns and table name", function()
      db:define("UserProfile", {
        firstName = DataTypes.STRING, last_name = DataTypes.STRING, homeTownId = DataTypes.INTEGER,
        nickName = { type = DataTypes.STRING, field = "nick" },
      }, { underscored = true })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `user_profiles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `first_name` VARCHAR(255), `home_town_id` INTEGER, `last_name` VARCHAR(255), `nick` VARCHAR(255), `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL);",
      }, support.creates(log))
      assert.are.same({ "user_profiles" }, support.tables(db))
    end)

    it("field: the column name, also for the primary key", function()
      db:define("Member", {
        memberKey = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, field = "member_key" },
        displayName = { type = DataTypes.STRING, field = "display_name", allowNull = false },
      }, { timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Members` (`member_key` INTEGER PRIMARY KEY AUTOINCREMENT, `display_name` VARCHAR(255) NOT NULL);",
      }, support.creates(log))
    end)

    it("primary key variants", function()
      -- Sequelize: INTEGER key without autoIncrement is INTEGER PRIMARY KEY; a BIGINT autoIncrement
      -- key becomes INTEGER PRIMARY KEY AUTOINCREMENT; allowNull = false on a non-integer key
      -- renders NOT NULL PRIMARY KEY; a composite key is a table constraint with NOT NULL columns
      db:define("A", { id = { type = DataTypes.INTEGER, primaryKey = true } }, { timestamps = false })
      db:define("B", { id = { type = DataTypes.UUID, primaryKey = true, defaultValue = DataTypes.UUIDV4 } }, { timestamps = false })
      db:define("D", { id = { type = DataTypes.BIGINT, primaryKey = true, autoIncrement = true } }, { timestamps = false })
      db:define("E", {
        uid = { type = DataTypes.STRING(36), primaryKey = true, allowNull = false },
        n = { type = DataTypes.INTEGER, unique = true },
      }, { timestamps = false })
      local Pair = db:define("Pair", {
        a = { type = DataTypes.INTEGER, primaryKey = true },
        b = { type = DataTypes.INTEGER, primaryKey = true },
        c = DataTypes.STRING,
      })
      db:define("Box", { code = { type = DataTypes.STRING, primaryKey = true } })
      db:sync()
      assert.are.equal("CREATE TABLE IF NOT EXISTS `As` (`id` INTEGER PRIMARY KEY);", support.create_of(log, "As"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Bs` (`id` UUID PRIMARY KEY);", support.create_of(log, "Bs"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Ds` (`id` INTEGER PRIMARY KEY AUTOINCREMENT);", support.create_of(log, "Ds"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Es` (`uid` VARCHAR(36) NOT NULL PRIMARY KEY, `n` INTEGER UNIQUE);", support.create_of(log, "Es"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Pairs` (`a` INTEGER NOT NULL, `b` INTEGER NOT NULL, `c` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, PRIMARY KEY (`a`, `b`));", support.create_of(log, "Pairs"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Boxes` (`code` VARCHAR(255) PRIMARY KEY, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);", support.create_of(log, "Boxes"))
      assert.are.equal(6, #support.creates(log))
      -- the composite key is enforced
      Pair:create({ a = 1, b = 1, c = "x" })
      Pair:create({ a = 1, b = 2, c = "y" })
      local err = support.catch(function() Pair:create({ a = 1, b = 1, c = "z" }) end)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.equal(2, Pair:count())
    end)

    it("autoIncrement on a column of a composite key is written, and SQLite refuses the table", function()
      -- Sequelize 6.37.8: CREATE TABLE IF NOT EXISTS `composite_ai` (`a` INTEGER NOT NULL AUTOINCREMENT,
      -- `b` VARCHAR(255) NOT NULL, PRIMARY KEY (`a`, `b`)); -> SequelizeDatabaseError
      -- 'SQLITE_ERROR: near "AUTOINCREMENT": syntax error' (a table without it would never fill `a`)
      local M = db:define("composite_ai", {
        a = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
        b = { type = DataTypes.STRING, primaryKey = true },
      }, { freezeTableName = true, timestamps = false })
      local err = support.catch(function() M:sync() end)
      assert.are.equal("SequelizeDatabaseError", err.name)
      assert.are.equal('near "AUTOINCREMENT": syntax error', err.message)
      assert.are.equal("CREATE TABLE IF NOT EXISTS `composite_ai` (`a` INTEGER NOT NULL AUTOINCREMENT, `b` VARCHAR(255) "
        .. "NOT NULL, PRIMARY KEY (`a`, `b`));", support.create_of(log, "composite_ai"))
      assert.are.same({}, support.tables(db))
    end)

    it("timestamps = false, createdAt renamed with updatedAt = false, createdAt = false, freezeTableName", function()
      db:define("person", { name = DataTypes.STRING }, { timestamps = false })
      db:define("category", { name = DataTypes.STRING }, { createdAt = "created_at", updatedAt = false })
      db:define("status", { name = DataTypes.STRING }, { createdAt = false })
      db:define("Thing", { name = DataTypes.STRING }, { freezeTableName = true })
      db:sync()
      assert.are.equal("CREATE TABLE IF NOT EXISTS `people` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255));", support.create_of(log, "people"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `categories` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `created_at` DATETIME NOT NULL);", support.create_of(log, "categories"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `statuses` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `updatedAt` DATETIME NOT NULL);", support.create_of(log, "statuses"))
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Thing` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);", support.create_of(log, "Thing"))
      assert.are.same({ "Thing", "categories", "people", "statuses" }, support.tables(db))
    end)

    it("does not let a called or modified type change the bare type", function()
      local _ = DataTypes.STRING(12)
      local _2 = DataTypes.FLOAT.UNSIGNED
      db:define("Plain", { f = DataTypes.FLOAT, s = DataTypes.STRING }, { timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Plains` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `f` FLOAT, `s` VARCHAR(255));",
      }, support.creates(log))
    end)
  end)

  describe("force and repeat", function()
    it("sync{ force = true } logs DROP TABLE IF EXISTS before CREATE and empties the table", function()
      local User = db:define("User", { name = DataTypes.STRING })
      db:sync()
      User:create({ name = "a" })
      User:create({ name = "b" })
      assert.are.equal(2, User:count())
      support.clear(log)
      db:sync({ force = true })
      local list = support.ddl(log)
      local drop = index_of(list, "DROP TABLE IF EXISTS `Users`;")
      local create = index_of(list, "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);")
      assert.is_not_nil(drop, "DROP TABLE logged")
      assert.is_not_nil(create, "CREATE TABLE logged")
      assert.is_true(drop < create)
      assert.are.equal(0, User:count())
      local rows = db:query("SELECT count(*) AS n FROM Users")
      assert.are.equal(0, rows[1].n)
      -- ids start again
      assert.are.equal(1, User:create({ name = "c" }).id)
    end)

    it("force drops referencing tables first and creates referenced tables first", function()
      local Users = support.define_seed_users(db)
      local Stories = support.define_seed_stories(db, Users)
      db:sync()
      local u = Users:create({ username = "boris" })
      Stories:create({ created_by = u.user_id, title = "t", content = "c" })
      support.clear(log)
      -- with rows in both tables and foreign keys on, dropping users first would fail
      db:sync({ force = true })
      local list = support.ddl(log)
      local drop_s = index_of(list, "DROP TABLE IF EXISTS `stories`;")
      local drop_u = index_of(list, "DROP TABLE IF EXISTS `users`;")
      local create_u = index_of(list, USERS_DDL)
      local stories_ddl = STORIES_DDL:gsub("REFERENCES `Users`", "REFERENCES `users`")
      local create_s = index_of(list, stories_ddl)
      assert.is_not_nil(drop_s)
      assert.is_not_nil(drop_u)
      assert.is_not_nil(create_u)
      assert.is_not_nil(create_s, "stories DDL: " .. table.concat(list, "\n"))
      assert.is_true(drop_s < drop_u)
      assert.is_true(drop_u < create_u)
      assert.is_true(create_u < create_s)
      assert.are.equal(0, Users:count())
      assert.are.equal(0, Stories:count())
    end)

    it("sync twice keeps the data", function()
      local User = db:define("User", { name = DataTypes.STRING })
      db:sync()
      User:create({ name = "kept" })
      db:sync()
      db:sync()
      assert.are.equal(1, User:count())
      assert.are.equal("kept", User:findByPk(1).name)
      assert.are.same({ "Users" }, support.tables(db))
    end)
  end)

  describe("Model:sync", function()
    it("creates only that model's table", function()
      local User = db:define("User", { name = DataTypes.STRING })
      db:define("Other", { name = DataTypes.STRING })
      User:sync()
      assert.are.same({
        "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
      }, support.creates(log))
      assert.are.same({ "Users" }, support.tables(db))
      assert.are.same({ "id", "name", "createdAt", "updatedAt" }, support.column_names(db, "Users"))
      User:create({ name = "a" })
      User:sync()
      assert.are.equal(1, User:count())
    end)

    it("Model:sync{ force = true } drops and recreates that table only", function()
      local User = db:define("User", { name = DataTypes.STRING })
      local Other = db:define("Other", { name = DataTypes.STRING })
      db:sync()
      User:create({ name = "a" })
      Other:create({ name = "o" })
      support.clear(log)
      User:sync({ force = true })
      assert.are.same({
        "DROP TABLE IF EXISTS `Users`;",
        "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
      }, support.ddl(log))
      assert.are.equal(0, User:count())
      assert.are.equal(1, Other:count())
    end)
  end)

  it("logs through the logging option with Sequelize's prefix", function()
    db:define("User", { name = DataTypes.STRING })
    db:sync()
    local found = false
    for _, m in ipairs(log) do
      if m == "Executing (default): CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);" then
        found = true
      end
    end
    assert.is_true(found)
    assert.are.same({ "Users" }, support.tables(db))
  end)
end)

describe("sync { alter = true }", function()
  local path = os.tmpname()
  local function open(log)
    return Sequelize.new({ dialect = "sqlite", storage = path,
                           logging = log and function(m) log[#log + 1] = m end or false })
  end
  local function define_v1(db)
    local U = db:define("User", { name = DataTypes.STRING, old = DataTypes.INTEGER, n = DataTypes.INTEGER })
    local P = db:define("Post", { title = DataTypes.STRING })
    local Person = db:define("Person", { name = DataTypes.STRING })
    U:hasMany(P)
    P:belongsTo(U)
    Person:belongsTo(Person, { as = "Father" })
    return U, P, Person
  end

  before_each(function()
    os.remove(path)
    local db = open()
    local U, P, Person = define_v1(db)
    db:sync()
    U:create({ name = "a", old = 1, n = 2 })
    P:create({ title = "t", UserId = 1 })
    local kid = Person:create({ name = "kid" })
    local dad = Person:create({ name = "dad" })
    kid:setFather(dad)
    db:close()
  end)

  after_each(function() os.remove(path) end)

  it("adds, drops and changes columns, keeping the rows and the rows that reference them", function()
    local log = {}
    local db = open(log)
    local U = db:define("User", {
      name = { type = DataTypes.STRING, allowNull = false, defaultValue = "x" },
      n = DataTypes.STRING,                                   -- INTEGER before
      extra = { type = DataTypes.INTEGER, defaultValue = 7 }, -- new; `old` is gone
    }, { indexes = { { fields = { "name" } } } })
    local P = db:define("Post", { title = DataTypes.STRING })
    local Person = db:define("Person", { name = DataTypes.STRING })
    U:hasMany(P)
    P:belongsTo(U)
    Person:belongsTo(Person, { as = "Father" })
    db:sync({ alter = true })
    assert.are.same({ "id", "extra", "n", "name", "createdAt", "updatedAt" }, support.column_names(db, "Users"))
    local u = U:findByPk(1)
    assert.are.same({ "a", "2", 7 }, { u.name, u.n, u.extra })
    -- the posts' key to the rebuilt table is intact (no ON DELETE SET NULL fired)
    assert.are.equal(1, P:findByPk(1).UserId)
    assert.are.equal("dad", Person:findOne({ where = { name = "kid" } }):getFather().name)
    assert.are.equal(1, #support.raw(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'users_name'"))
    assert.are.equal(1, support.raw(db, "PRAGMA foreign_keys")[1].foreign_keys)
    -- the table's text is the model's now: a second alter changes nothing
    support.clear(log)
    db:sync({ alter = true })
    for _, m in ipairs(log) do
      local sql = support.sql_of(m) or m
      assert.is_falsy(sql:find("CREATE TABLE", 1, true) or sql:find("DROP", 1, true), sql)
    end
    -- new rows still take new keys (AUTOINCREMENT kept)
    assert.are.equal(2, U:create({ name = "b" }).id)
    db:close()
  end)

  it("alter = { drop = false } keeps the columns the model lacks, and their values (Sequelize)", function()
    local db = open()
    local U = db:define("User", { name = DataTypes.STRING, n = DataTypes.STRING, added = DataTypes.INTEGER })
    db:define("Post", { title = DataTypes.STRING }) -- (its UserId gone from the model too)
    db:sync({ alter = { drop = false } })
    assert.are.same({ { old = 1, n = "2", name = "a", added = Sequelize.null } },
      support.raw(db, "SELECT old, n, name, added FROM Users"))
    assert.are.same({ { UserId = 1 } }, support.raw(db, "SELECT UserId FROM Posts"))
    assert.are.equal("2", U:findByPk(1).n) -- (n is a STRING column now)
    U:create({ name = "b" })
    assert.are.equal(2, U:count())
    db:close()
  end)

  it("alter = { drop = false } keeps a kept column's constraints: REFERENCES, UNIQUE, NOT NULL (Sequelize)", function()
    local db = Sequelize.new("sqlite::memory:")
    local P = db:define("P", { n = DataTypes.STRING }, { timestamps = false })
    local Y = db:define("Y", { a = DataTypes.STRING, u = { type = DataTypes.STRING, unique = true },
      pid = { type = DataTypes.INTEGER, references = { model = "Ps", key = "id" }, onDelete = "CASCADE" },
      b = { type = DataTypes.STRING, allowNull = false } }, { timestamps = false })
    db:sync()
    P:create({ n = "p" })
    Y:create({ a = "x", pid = 1, u = "u1", b = "bb" })
    db:define("Y", { a = DataTypes.INTEGER }, { timestamps = false })
    db:sync({ alter = { drop = false } })
    local function refused(sql, name)
      local ok, err = pcall(db.query, db, sql)
      assert.is_false(ok, sql)
      assert.are.equal(name, err.name)
    end
    refused("INSERT INTO Ys (a, pid, b) VALUES (2, 99, 'z')", "SequelizeForeignKeyConstraintError")
    refused("INSERT INTO Ys (a, u, b) VALUES (3, 'u1', 'z')", "SequelizeUniqueConstraintError")
    refused("INSERT INTO Ys (a) VALUES (4)", "SequelizeDatabaseError") -- (b NOT NULL)
    assert.are.same({ { u = "u1", pid = 1, b = "bb" } }, support.raw(db, "SELECT u, pid, b FROM Ys"))
    P:destroy({ where = {} })
    assert.are.equal(0, #support.raw(db, "SELECT * FROM Ys")) -- (ON DELETE CASCADE kept)
    db:close()
  end)

  it("a new primary key column on a table with rows is refused, and nothing changes (Sequelize: Cannot add a PRIMARY KEY column)", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { a = DataTypes.STRING }, { timestamps = false })
    local V = db:define("V", { a = DataTypes.STRING }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { a = "x" } })
    U = db:define("U", { code = { type = DataTypes.STRING, primaryKey = true }, a = DataTypes.STRING }, { timestamps = false })
    local ok, err = pcall(U.sync, U, { alter = true })
    assert.is_false(ok)
    assert.truthy(err.message:find("^Cannot add a PRIMARY KEY column: sync { alter = true } on U"), err.message)
    assert.are.same({ { id = 1, a = "x" } }, support.raw(db, "SELECT id, a FROM Us"))
    -- (an empty table is rebuilt with its new key)
    V = db:define("V", { code = { type = DataTypes.STRING, primaryKey = true }, a = DataTypes.STRING }, { timestamps = false })
    V:sync({ alter = true })
    assert.are.equal("k", V:create({ code = "k", a = "y" }).code)
    db:close()
  end)

  it("without changes runs no DDL; a missing table is created", function()
    local log = {}
    local db = open(log)
    define_v1(db)
    local T = db:define("Tag", { name = DataTypes.STRING })
    db:sync({ alter = true })
    local ddl = support.ddl(log)
    assert.are.equal(1, #ddl)
    assert.truthy(ddl[1]:find("`Tags`", 1, true))
    assert.are.equal(0, T:count())
    db:close()
  end)

  it("refuses inside a transaction, and a change the rows cannot take leaves everything as it was", function()
    local db = open()
    local U = db:define("User", { name = DataTypes.STRING, must = { type = DataTypes.STRING, allowNull = false } })
    local err = support.catch_message(function()
      db:transaction(function() db:sync({ alter = true }) end)
    end)
    assert.truthy(err.message:find("inside a transaction", 1, true), err.message)
    -- `must` is NOT NULL without a default: the existing row cannot be copied
    err = support.catch_error(function() db:sync({ alter = true }) end)
    assert.truthy(tostring(err.message):find("NOT NULL", 1, true), tostring(err.message))
    assert.truthy(err.message:find("^sync { alter = true } on User: the rows could not be copied"), err.message)
    assert.falsy(err.message:find("_sequelua_alter", 1, true), err.message)
    assert.are.same({ "id", "n", "name", "old", "createdAt", "updatedAt" }, support.column_names(db, "Users"))
    assert.are.equal(1, #support.raw(db, "SELECT * FROM Users"))
    assert.are.equal(1, support.raw(db, "PRAGMA foreign_keys")[1].foreign_keys)
    local _ = U
    db:close()
  end)
end)

describe("sync { alter = true } keeps", function()
  local path = os.tmpname()
  after_each(function() os.remove(path) end)

  it("the AUTOINCREMENT counter, views over the table, and refuses rows that break a foreign key", function()
    os.remove(path)
    local db = Sequelize.new("sqlite:" .. path)
    local Owner = db:define("Owner", { name = DataTypes.STRING })
    local Pet = db:define("Pet", { name = DataTypes.STRING })
    db:sync()
    for i = 1, 5 do Owner:create({ name = "o" .. i }) end
    Owner:destroy({ where = { id = { 3, 4, 5 } } })
    Pet:create({ name = "rex" })
    db:query("CREATE VIEW owner_names AS SELECT name FROM Owners")
    db:close()
    db = Sequelize.new("sqlite:" .. path)
    Owner = db:define("Owner", { name = DataTypes.STRING, extra = DataTypes.INTEGER })
    Pet = db:define("Pet", { name = DataTypes.STRING })
    db:sync({ alter = true })
    assert.are.equal(6, Owner:create({ name = "new" }).id) -- not 3: deleted keys are not given again
    assert.are.equal(3, #db:query("SELECT * FROM owner_names"))
    -- a foreign key the copied rows break: nothing changes
    local Pet2 = db:define("Pet", { name = DataTypes.STRING,
      OwnerId = { type = DataTypes.INTEGER, defaultValue = 99, references = { model = Owner, key = "id" } } })
    local err = support.catch_message(function() db:sync({ alter = true }) end)
    assert.truthy(err.message:find("break a foreign key", 1, true), err.message)
    assert.are.same({ "id", "name", "createdAt", "updatedAt" }, support.column_names(db, "Pets"))
    assert.are.same({}, db:query("PRAGMA foreign_key_check"))
    local _ = Pet2
    db:close()
    -- a broken foreign key elsewhere in the database is not this table's: the alter goes on
    db = Sequelize.new("sqlite:" .. path)
    db:query("CREATE TABLE a (id INTEGER PRIMARY KEY)")
    db:query("CREATE TABLE b (aid INTEGER REFERENCES a(id))")
    db:query("PRAGMA foreign_keys = OFF")
    db:query("INSERT INTO b VALUES (42)")
    db:query("PRAGMA foreign_keys = ON")
    db:define("Owner", { name = DataTypes.STRING, extra = DataTypes.INTEGER, more = DataTypes.INTEGER })
    db:define("Pet", { name = DataTypes.STRING })
    db:sync({ alter = true })
    assert.are.same({ "id", "extra", "more", "name", "createdAt", "updatedAt" }, support.column_names(db, "Owners"))
    db:close()
    -- a change that breaks a table referencing this one (its key loses UNIQUE): refused
    db = Sequelize.new("sqlite:" .. path)
    db:define("Code", { code = { type = DataTypes.STRING, unique = true } }, { timestamps = false }):sync()
    db:query("CREATE TABLE pets2 (ownerCode VARCHAR(255) REFERENCES Codes(code))")
    db:query("INSERT INTO Codes (code) VALUES ('a')")
    db:query("INSERT INTO pets2 VALUES ('a')")
    db:close()
    db = Sequelize.new("sqlite:" .. path)
    db:define("Code", { code = DataTypes.STRING }, { timestamps = false })
    support.catch_error(function() db:sync({ alter = true }) end)
    db:query("INSERT INTO pets2 VALUES ('a')") -- still a working reference
    db:close()
    -- a logger that fails at any step: its error comes back, foreign keys and legacy_alter_table as before
    for _, step in ipairs({ "INSERT INTO", "DROP TABLE", "RENAME", "foreign_keys = ON" }) do
      db = Sequelize.new("sqlite:" .. path, { logging = function(m)
        if m:find(step, 1, true) then error("logger broke at " .. step) end
      end })
      db:define("Owner", { name = DataTypes.STRING, extra = DataTypes.INTEGER, more2 = DataTypes.INTEGER })
      db:define("Pet", { name = DataTypes.STRING })
      local e = support.catch(function() db:sync({ alter = true }) end)
      assert.truthy(tostring(e):find("logger broke", 1, true), tostring(e))
      assert.are.equal(1, db:query("PRAGMA foreign_keys", { logging = false })[1].foreign_keys)
      assert.are.equal(0, db:query("PRAGMA legacy_alter_table", { logging = false })[1].legacy_alter_table)
      db:close()
    end
  end)
end)

describe("sync { force = true, match }", function()
  it("refuses to drop anything when the database's name does not match (Sequelize's guard)", function()
    local path = os.tmpname()
    local db = Sequelize.new({ dialect = "sqlite", storage = path, database = "app" })
    local U = db:define("User", { name = DataTypes.STRING })
    db:sync()
    U:create({ name = "precious" })
    local ok, err = pcall(db.sync, db, { force = true, match = "_test$" })
    assert.is_false(ok)
    assert.equal('Database "app" does not match sync match parameter "_test$"', err.message)
    assert.equal(1, U:count())
    -- a function, and the storage path when no database name is given
    ok = pcall(db.sync, db, { force = true, match = function(name) return name == "app" end })
    assert.is_true(ok)
    assert.equal(0, U:count())
    db:close()
    db = Sequelize.new({ dialect = "sqlite", storage = path })
    ok, err = pcall(db.sync, db, { force = true, match = "_test%.db$" })
    assert.is_false(ok)
    assert.truthy(err.message:find(path, 1, true), err.message)
    -- without force too (Sequelize tests match on every sync given it)
    assert.is_false(pcall(db.sync, db, { match = "_test%.db$" }))
    assert.is_true(pcall(db.sync, db, { match = "^/" }))
    db:close()
    os.remove(path)
  end)
end)

describe("sync with two models of one tableName", function()
  it("makes the table once, from the model defined last (Sequelize's ModelManager keys them by table)", function()
    -- Sequelize 6.37.8: one CREATE TABLE IF NOT EXISTS `things` (`id` INTEGER PRIMARY KEY AUTOINCREMENT,
    -- `x` VARCHAR(255), `y` VARCHAR(255)); B.create({ x: "2", y: "Y" }) -> {"id":1,"x":"2","y":"Y"}
    local log = {}
    local db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) log[#log + 1] = s end }
    db:define("A", { x = DataTypes.STRING }, { timestamps = false, tableName = "things" })
    local B = db:define("B", { x = DataTypes.STRING, y = DataTypes.STRING }, { timestamps = false, tableName = "things" })
    db:sync()
    assert.same({ "Executing (default): CREATE TABLE IF NOT EXISTS `things` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, "
      .. "`x` VARCHAR(255), `y` VARCHAR(255));" }, log)
    assert.same({ id = 1, x = "2", y = "Y" }, B:create{ x = "2", y = "Y" }:toJSON())
    db:close()
  end)
end)
