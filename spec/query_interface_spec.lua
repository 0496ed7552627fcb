-- query_interface_spec: db:getQueryInterface()'s migration methods (createTable, dropTable,
-- dropAllTables, renameTable, addColumn, removeColumn, changeColumn, renameColumn, bulkInsert,
-- bulkUpdate, bulkDelete, select) against real SQLite, :memory: and a file.
-- Expectations marked "Sequelize:" were printed by sequelize 6.37.8 + sqlite3 (logging:
-- console.log). Where sequelua differs on purpose it says so: a rebuild (removeColumn,
-- changeColumn, renameColumn) goes through sync { alter = true }'s machinery (a new table,
-- rows copied, the old one dropped, the new one renamed, foreign keys checked, all in a
-- savepoint), and keeps what Sequelize's backup-table copy loses (AUTOINCREMENT, ON DELETE /
-- ON UPDATE, a quote inside a DEFAULT); row statements bind their values (`?`) where
-- Sequelize's log shows them inlined.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

local function sqls(log)
  local o = {}
  for _, m in ipairs(log) do o[#o + 1] = support.sql_of(m) end
  return o
end

-- the statements of one log that do not read the schema (PRAGMA table_info and friends)
local function writes(log)
  local o = {}
  for _, s in ipairs(sqls(log)) do
    if not s:find("^PRAGMA [%a_]+%(") and not s:find("^PRAGMA [A-Z_]+%(") then o[#o + 1] = s end
  end
  return o
end

local function stored_sql(db, tbl)
  local r = db:query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
    { replacements = { tbl }, type = "SELECT", logging = false })
  return r[1] and r[1].sql
end

-- the column list of a stored CREATE TABLE (the table's name and quoting aside)
local function body(sql) return sql and sql:match("%b()") end

local function info(db, tbl)
  local out = {}
  for _, r in ipairs(db:query("PRAGMA table_info(`" .. tbl .. "`)", { logging = false })) do
    out[#out + 1] = { name = r.name, type = r.type, notnull = r.notnull, pk = r.pk,
                      dflt = r.dflt_value ~= NULL and r.dflt_value or nil }
  end
  return out
end

local function rows(db, sql)
  return db:query(sql, { type = "SELECT", logging = false })
end

local function create_users(qi)
  qi:createTable("Teams", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                            code = { type = DataTypes.STRING, unique = true } })
  qi:createTable("Users", {
    id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
    active = { type = DataTypes.BOOLEAN, defaultValue = true },
    age = DataTypes.INTEGER,
    name = { type = DataTypes.STRING, allowNull = false, defaultValue = "it's" },
    score = { type = DataTypes.FLOAT, defaultValue = 1.5 },
    teamId = { type = DataTypes.INTEGER, references = { model = "Teams", key = "id" }, onDelete = "CASCADE",
               onUpdate = "CASCADE" },
  })
end

-- Sequelize (the same attributes, in this order):
local TEAMS = "CREATE TABLE IF NOT EXISTS `Teams` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `code` VARCHAR(255) UNIQUE);"
local USERS = "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `active` TINYINT(1) DEFAULT 1, "
  .. "`age` INTEGER, `name` VARCHAR(255) NOT NULL DEFAULT 'it''s', `score` FLOAT DEFAULT '1.5', "
  .. "`teamId` INTEGER REFERENCES `Teams` (`id`) ON DELETE CASCADE ON UPDATE CASCADE);"

local function open_file(path, log)
  return Sequelize.new({ dialect = "sqlite", storage = path, logging = function(m) log[#log + 1] = m end })
end

for _, where in ipairs({ "memory", "file" }) do
  describe("the query interface's migrations (" .. where .. ")", function()
    local path, db, log, qi
    before_each(function()
      log = {}
      if where == "file" then
        path = os.tmpname()
        os.remove(path)
        db = open_file(path, log)
      else
        db = support.open(log)
      end
      qi = db:getQueryInterface()
    end)
    after_each(function()
      db:close()
      if path then os.remove(path) end
    end)

    it("createTable prints Sequelize's CREATE TABLE IF NOT EXISTS and makes that table", function()
      create_users(qi)
      assert.are.same({ TEAMS, USERS }, sqls(log))
      assert.are.same({
        { name = "id", type = "INTEGER", notnull = 0, pk = 1 },
        { name = "active", type = "TINYINT(1)", notnull = 0, pk = 0, dflt = "1" },
        { name = "age", type = "INTEGER", notnull = 0, pk = 0 },
        { name = "name", type = "VARCHAR(255)", notnull = 1, pk = 0, dflt = "'it''s'" },
        { name = "score", type = "FLOAT", notnull = 0, pk = 0, dflt = "'1.5'" },
        { name = "teamId", type = "INTEGER", notnull = 0, pk = 0 },
      }, info(db, "Users"))
      local d = qi:describeTable("Users")
      assert.are.same({ model = "Teams", key = "id" }, d.teamId.references)
      assert.is_true(qi:describeTable("Teams").code.unique)
      -- again: IF NOT EXISTS, nothing changes
      qi:createTable("Users", { id = { type = DataTypes.INTEGER, primaryKey = true } })
      assert.are.equal(6, #info(db, "Users"))
    end)

    it("createTable: a composite primary key, as Sequelize writes it", function()
      -- Sequelize: CREATE TABLE IF NOT EXISTS `Tags` (`a` VARCHAR(20) NOT NULL, `b` INTEGER NOT NULL,
      --            `note` TEXT, PRIMARY KEY (`a`, `b`));
      qi:createTable("Tags", { a = { type = DataTypes.STRING(20), primaryKey = true },
                               b = { type = DataTypes.INTEGER, primaryKey = true }, note = DataTypes.TEXT })
      assert.are.same({ "CREATE TABLE IF NOT EXISTS `Tags` (`a` VARCHAR(20) NOT NULL, `b` INTEGER NOT NULL, "
                        .. "`note` TEXT, PRIMARY KEY (`a`, `b`));" }, sqls(log))
    end)

    it("addColumn prints ALTER TABLE ... ADD as Sequelize does", function()
      create_users(qi)
      support.clear(log)
      -- Sequelize: ALTER TABLE `Users` ADD `email` VARCHAR(255);  ALTER TABLE `Users` ADD `n` INTEGER;
      qi:addColumn("Users", "email", { type = DataTypes.STRING, allowNull = true })
      qi:addColumn("Users", "n", DataTypes.INTEGER)
      assert.are.same({ "ALTER TABLE `Users` ADD `email` VARCHAR(255);", "ALTER TABLE `Users` ADD `n` INTEGER;" },
        sqls(log))
      local cols = support.column_names(db, "Users")
      assert.are.same({ "email", "n" }, { cols[7], cols[8] })
    end)

    it("changeColumn rebuilds the table with the merged definition; rows survive", function()
      create_users(qi)
      qi:bulkInsert("Users", { { name = "a", age = 1 }, { name = "b", age = 22 } })
      support.clear(log)
      -- Sequelize: changeColumn('Users', 'age', { type: STRING(10), allowNull: false, defaultValue: '0' })
      -- and changeColumn('Users', 'name', { type: TEXT }) (NOT NULL and the DEFAULT kept: Object.assign
      -- over describeTable's) end with the columns
      --   `age` VARCHAR(10) NOT NULL DEFAULT '0', `name` TEXT NOT NULL DEFAULT 'its'
      -- (Sequelize strips the quote from the default; sequelua keeps it)
      qi:changeColumn("Users", "age", { type = DataTypes.STRING(10), allowNull = false, defaultValue = "0" })
      qi:changeColumn("Users", "name", { type = DataTypes.TEXT })
      -- Sequelize: describeTable's statements first
      local s = sqls(log)
      assert.are.same({ "PRAGMA TABLE_INFO(`Users`);", "PRAGMA INDEX_LIST(`Users`)", "PRAGMA foreign_key_list(`Users`)" },
        { s[1], s[2], s[3] })
      assert.are.equal("(`id` INTEGER PRIMARY KEY AUTOINCREMENT, `active` TINYINT(1) DEFAULT 1, "
        .. "`age` VARCHAR(10) NOT NULL DEFAULT '0', `name` TEXT NOT NULL DEFAULT 'it''s', `score` FLOAT DEFAULT '1.5', "
        .. "`teamId` INTEGER REFERENCES `Teams` (`id`) ON DELETE CASCADE ON UPDATE CASCADE)", body(stored_sql(db, "Users")))
      local r = rows(db, "SELECT id, age, name FROM Users ORDER BY id")
      assert.are.same({ { id = 1, age = "1", name = "a" }, { id = 2, age = "22", name = "b" } }, r)
      -- a bare type: { type, allowNull = true } (Sequelize: `age` BIGINT)
      qi:changeColumn("Users", "age", DataTypes.BIGINT)
      local d = qi:describeTable("Users")
      assert.are.same({ type = "BIGINT", allowNull = true, defaultValue = "0", primaryKey = false, unique = false }, d.age)
      -- a called or modified type is { type } merged over the column: NOT NULL and DEFAULT stay
      -- (Sequelize: changeColumn('T', 'a', DataTypes.STRING(100)) on `a` VARCHAR(255) NOT NULL DEFAULT 'x'
      -- -> `a` VARCHAR(100) NOT NULL DEFAULT 'x'; changeColumn('T', 'b', DataTypes.INTEGER.UNSIGNED) on
      -- `b` INTEGER NOT NULL -> `b` INTEGER NOT NULL; the bare DataTypes.INTEGER: nullable)
      qi:changeColumn("Users", "name", DataTypes.STRING(100))
      assert.are.same({ type = "VARCHAR(100)", allowNull = false, defaultValue = "its", primaryKey = false, unique = false },
        qi:describeTable("Users").name)
      qi:changeColumn("Users", "age", { type = DataTypes.INTEGER, allowNull = false })
      qi:changeColumn("Users", "age", DataTypes.INTEGER.UNSIGNED)
      assert.is_false(qi:describeTable("Users").age.allowNull)
      qi:changeColumn("Users", "age", DataTypes.INTEGER)
      assert.is_true(qi:describeTable("Users").age.allowNull)
      -- the AUTOINCREMENT counter is kept: a new row does not reuse a key
      db:query("DELETE FROM Users WHERE id = 2")
      qi:bulkInsert("Users", { { name = "c" } })
      assert.are.same({ 1, 3 }, support.ids(rows(db, "SELECT id FROM Users ORDER BY id"), "id"))
    end)

    it("renameColumn rebuilds the table with the column renamed; its rows go with it", function()
      create_users(qi)
      qi:addColumn("Users", "email", DataTypes.STRING)
      qi:bulkInsert("Users", { { name = "a", email = "a@x" }, { name = "b", email = "b@x" } })
      support.clear(log)
      -- Sequelize: ... INSERT INTO `Users_backup` SELECT `id`, ..., `email` AS `mail` FROM `Users`; ...
      --            ending with `mail` VARCHAR(255) in email's place
      qi:renameColumn("Users", "email", "mail")
      local copy
      for _, s in ipairs(writes(log)) do if s:find("^INSERT INTO") then copy = s end end
      assert.is_truthy(copy:find("(`id`,`active`,`age`,`name`,`score`,`teamId`,`mail`) SELECT "
        .. "`id`,`active`,`age`,`name`,`score`,`teamId`,`email` FROM `Users`;", 1, true))
      local cols = support.column_names(db, "Users")
      assert.are.equal("mail", cols[7])
      assert.are.same({ { name = "a", mail = "a@x" }, { name = "b", mail = "b@x" } },
        rows(db, "SELECT name, mail FROM Users ORDER BY id"))
    end)

    it("removeColumn rebuilds the table without it; the other columns' rows survive", function()
      create_users(qi)
      qi:addColumn("Users", "n", DataTypes.INTEGER)
      qi:bulkInsert("Users", { { name = "a", n = 5, age = 3 } })
      qi:removeColumn("Users", "n")
      assert.are.same({ "id", "active", "age", "name", "score", "teamId" }, support.column_names(db, "Users"))
      assert.are.same({ { name = "a", age = 3, active = 1 } }, rows(db, "SELECT name, age, active FROM Users"))
      -- the foreign key and its actions are still there
      local fk = db:query("PRAGMA foreign_key_list(`Users`)", { logging = false })[1]
      assert.are.same({ "Teams", "teamId", "id", "CASCADE", "CASCADE" },
        { fk.table, fk.from, fk.to, fk.on_delete, fk.on_update })
    end)

    it("a rebuild keeps the rows of a table that references the rebuilt one", function()
      create_users(qi)
      qi:createTable("Posts", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                                userId = { type = DataTypes.INTEGER, references = { model = "Users", key = "id" },
                                           onDelete = "CASCADE" } })
      qi:bulkInsert("Users", { { name = "a" } })
      qi:bulkInsert("Posts", { { userId = 1 } })
      qi:changeColumn("Users", "age", DataTypes.STRING)
      assert.are.same({ { userId = 1 } }, rows(db, "SELECT userId FROM Posts"))
      assert.are.same({}, db:query("PRAGMA foreign_key_check", { logging = false }))
      -- still enforced, still cascading
      db:query("DELETE FROM Users WHERE id = 1")
      assert.are.same({}, rows(db, "SELECT * FROM Posts"))
    end)

    it("renameTable, dropTable and dropAllTables print Sequelize's statements", function()
      create_users(qi)
      qi:createTable("Others", { x = DataTypes.STRING })
      support.clear(log)
      qi:renameTable("Others", "Else")
      qi:dropTable("Else")
      -- Sequelize: ALTER TABLE `Users` RENAME TO `People`;  DROP TABLE IF EXISTS `People`;
      assert.are.same({ "ALTER TABLE `Others` RENAME TO `Else`;", "DROP TABLE IF EXISTS `Else`;" }, sqls(log))
      assert.are.same({ "Teams", "Users" }, support.tables(db))
      support.clear(log)
      -- Sequelize: SELECT name FROM `sqlite_master` WHERE type='table' and name!='sqlite_sequence';
      --            PRAGMA foreign_keys = OFF / DROP TABLE IF EXISTS `...`; ... / PRAGMA foreign_keys = ON
      qi:dropAllTables()
      assert.are.same({ "SELECT name FROM `sqlite_master` WHERE type='table' and name!='sqlite_sequence';",
                        "PRAGMA foreign_keys = OFF", "DROP TABLE IF EXISTS `Teams`;", "DROP TABLE IF EXISTS `Users`;",
                        "PRAGMA foreign_keys = ON" }, sqls(log))
      assert.are.same({}, support.tables(db))
      assert.are.equal(1, db:query("PRAGMA foreign_keys", { logging = false })[1].foreign_keys)
    end)

    it("dropAllTables { skip }", function()
      create_users(qi)
      qi:dropAllTables({ skip = { "Teams" } })
      assert.are.same({ "Teams" }, support.tables(db))
    end)

    it("bulkInsert, bulkUpdate, bulkDelete and select bind their values", function()
      create_users(qi)
      support.clear(log)
      -- Sequelize: INSERT INTO `Users` (`name`,`age`) VALUES ('a',1),('b',2);  (-> lastID, 2)
      local id = qi:bulkInsert("Users", { { name = "a", age = 1 }, { name = "b'); DROP TABLE Users; --" } })
      assert.are.equal(2, id)
      assert.are.same({ "INSERT INTO `Users` (`age`,`name`) VALUES (?,?),(?,?);" }, sqls(log))
      assert.are.same({ { name = "a", age = 1 }, { name = "b'); DROP TABLE Users; --", age = NULL } },
        rows(db, "SELECT name, age FROM Users ORDER BY id"))
      support.clear(log)
      -- Sequelize: UPDATE `Users` SET `age`=$1 WHERE `name` = $2  (-> 1)
      assert.are.equal(1, qi:bulkUpdate("Users", { age = 5 }, { name = "a" }))
      -- Sequelize: SELECT * FROM `Users` WHERE `Users`.`name` = 'a';
      local sel = qi:select(nil, "Users", { where = { name = "a" } })
      assert.are.equal(1, #sel)
      assert.are.same({ 5, "a", 1 }, { sel[1].age, sel[1].name, sel[1].active })
      -- Sequelize: DELETE FROM `Users` WHERE `name` IN ('x', 'y') AND `age` IS NULL
      local res, meta = qi:bulkDelete("Users", { name = { "x", "b'); DROP TABLE Users; --" }, age = NULL })
      assert.are.same({}, res)
      assert.are.equal(1, meta.changes)
      -- (through a transient model of the table: its columns named, NULL bound)
      assert.are.same({ "UPDATE `Users` SET `age`=? WHERE `name` = ?;",
                        "SELECT `id`, `active`, `age`, `name`, `score`, `teamId` FROM `Users` AS `Users` WHERE `Users`.`name` = ?;",
                        "DELETE FROM `Users` WHERE `age` IS ? AND `name` IN (?, ?);" }, sqls(log))
      assert.are.equal(1, #rows(db, "SELECT * FROM Users"))
      -- select with a model: instances
      local U = db:define("U", { name = DataTypes.STRING, age = DataTypes.INTEGER },
        { tableName = "Users", timestamps = false })
      local list = qi:select(U, "Users", {})
      assert.are.equal("a", list[1].name)
      assert.are.equal("function", type(list[1].save))
    end)

    it("bulkUpdate, bulkDelete and select take a model where (operators) over the table's columns", function()
      local Op = Sequelize.Op
      create_users(qi)
      qi:bulkInsert("Users", { { name = "a", age = 1 }, { name = "b", age = 7 }, { name = "c", age = 30 },
                               { name = "d" } })
      support.clear(log)
      -- Sequelize: UPDATE `Users` SET `active`=$1 WHERE `age` > $2  (-> 2; a boolean bound as 0)
      assert.are.equal(2, qi:bulkUpdate("Users", { active = false }, { age = { [Op.gt] = 6 } }))
      assert.are.same({ { name = "b", active = 0 }, { name = "c", active = 0 } },
        rows(db, "SELECT name, active FROM Users WHERE active = 0 ORDER BY name"))
      -- a literal value is SQL, not a bound value
      assert.are.equal(1, qi:bulkUpdate("Users", { age = Sequelize.literal("age + 1") }, { name = "a" }))
      assert.are.equal(2, rows(db, "SELECT age FROM Users WHERE name = 'a'")[1].age)
      -- select: or, order, limit, offset, attributes; plain rows as stored
      local sel = qi:select(nil, "Users", { attributes = { "name", "age" },
        where = { [Op["or"]] = { { name = "a" }, { age = { [Op.gte] = 7 } } } },
        order = { { "age", "DESC" } }, limit = 2, offset = 1 })
      assert.are.same({ { name = "b", age = 7 }, { name = "a", age = 2 } }, sel)
      assert.is_nil(getmetatable(sel[1]))
      -- with a model: its instances, where keys its attributes
      local U = db:define("U2", { nick = { type = DataTypes.STRING, field = "name" }, age = DataTypes.INTEGER },
        { tableName = "Users", timestamps = false })
      local list = qi:select(U, "Users", { where = { nick = { [Op.like] = "c%" } } })
      assert.are.equal(1, #list)
      assert.are.equal("c", list[1].nick)
      -- bulkDelete: operators, IS NULL; the statement's changes
      support.clear(log)
      local _, meta = qi:bulkDelete("Users", { [Op["or"]] = { { age = NULL }, { age = { [Op.between] = { 1, 7 } } } } })
      assert.are.equal(3, meta.changes)
      assert.are.same({ "DELETE FROM `Users` WHERE `age` IS ? OR `age` BETWEEN ? AND ?;" }, sqls(log))
      assert.are.same({ { name = "c" } }, rows(db, "SELECT name FROM Users"))
      -- truncate: every row
      local _, all = qi:bulkDelete("Users", nil, { truncate = true })
      assert.are.equal(1, all.changes)
      assert.are.same({}, rows(db, "SELECT name FROM Users"))
    end)

    it("bulkInsert beyond SQLite's bound-value limit: several INSERTs, all or nothing", function()
      create_users(qi)
      -- (the rows one statement takes: SQLite's bound-value limit over the 3 columns)
      local _, per = require("sequelua.core").qi_insert(db._db, "Users", { "age", "name", "score" }, 1)
      local n = per + 5
      local recs = {}
      for i = 1, n do recs[i] = { name = "u" .. i, age = i, score = i / 2 } end
      support.clear(log)
      assert.are.equal(n, qi:bulkInsert("Users", recs))
      local stmts = sqls(log)
      assert.are.equal(4, #stmts)
      assert.truthy(stmts[1]:find("^BEGIN"))
      assert.truthy(stmts[4]:find("^COMMIT"))
      assert.are.equal(n, rows(db, "SELECT count(*) AS n FROM Users")[1].n)
      assert.are.equal(n / 2, rows(db, "SELECT score FROM Users WHERE name = 'u" .. n .. "'")[1].score)
      -- a failure in the last statement: none of the rows stay
      recs[n] = { name = "u1", age = 1, id = 1 } -- (id 1 is taken)
      local err = support.catch_error(function() qi:bulkInsert("Users", recs) end)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.equal(n, rows(db, "SELECT count(*) AS n FROM Users")[1].n)
    end)
  end)
end

describe("the query interface refuses bad input and writes nothing", function()
  local db, log, qi
  before_each(function()
    db, log = support.open()
    qi = db:getQueryInterface()
    create_users(qi)
    qi:bulkInsert("Users", { { name = "a", age = 1 }, { name = "b" } })
    support.clear(log)
  end)

  local function unchanged()
    assert.are.same(USERS:gsub("^CREATE TABLE IF NOT EXISTS `Users` ", ""):gsub(";$", ""),
      body(stored_sql(db, "Users")))
    assert.are.equal(2, #rows(db, "SELECT * FROM Users"))
    assert.are.same({ "Teams", "Users" }, support.tables(db))
  end

  it("an unknown table: Sequelize's describeTable message", function()
    for _, call in ipairs({
      function() qi:removeColumn("Nope", "age") end,
      function() qi:changeColumn("Nope", "age", DataTypes.STRING) end,
      function() qi:renameColumn("Nope", "age", "years") end,
    }) do
      local err = support.catch_message(call)
      assert.are.equal('No description found for "Nope" table. Check the table name and schema; remember, they _are_ case sensitive.',
        err.message)
    end
    assert.are.same({}, writes(log))
    unchanged()
    -- Sequelize: addColumn('Nope', 'x', STRING) -> SequelizeDatabaseError "SQLITE_ERROR: no such table: Nope"
    local err = support.catch_error(function() qi:addColumn("Nope", "x", DataTypes.STRING) end)
    assert.are.same({ "SequelizeDatabaseError", "no such table: Nope" }, { err.name, err.message })
    unchanged()
  end)

  it("an unknown column names the table and the column", function()
    local err = support.catch_message(function() qi:removeColumn("Users", "nope") end)
    assert.are.equal("removeColumn: Users.nope: no such column", err.message)
    err = support.catch_message(function() qi:changeColumn("Users", "nope", DataTypes.STRING) end)
    assert.are.equal("changeColumn: Users.nope: no such column", err.message)
    -- Sequelize: Error "Table Users doesn't have the column nope"
    err = support.catch_message(function() qi:renameColumn("Users", "nope", "x") end)
    assert.are.equal("Table Users doesn't have the column nope", err.message)
    err = support.catch_message(function() qi:renameColumn("Users", "age", "name") end)
    assert.are.equal("renameColumn: Users.name: the table has that column already", err.message)
    assert.are.same({}, writes(log))
    -- Sequelize: addColumn of a column the table has -> SequelizeDatabaseError "SQLITE_ERROR: duplicate column name: age"
    err = support.catch_error(function() qi:addColumn("Users", "age", DataTypes.STRING) end)
    assert.are.same({ "SequelizeDatabaseError", "duplicate column name: age" }, { err.name, err.message })
    unchanged()
  end)

  it("a bad type or a missing value, before anything runs", function()
    -- (a type string is written as it is, as in Sequelize: only a type name passes, qi_type_string_spec)
    local err = support.catch_message(function() qi:changeColumn("Users", "age", { type = "VARCHAR; DROP TABLE Users" }) end)
    assert.truthy(err.message:find("Users.age", 1, true))
    err = support.catch_message(function() qi:changeColumn("Users", "age", nil) end)
    assert.are.equal("changeColumn: Users.age: expected a DataTypes value or an attribute definition", err.message)
    err = support.catch_message(function() qi:addColumn("Users", "x", nil) end)
    assert.are.equal("addColumn takes at least 3 arguments (table, attribute name, attribute definition)", err.message)
    -- (Sequelize 6.37.8 checks `!table || !key || !attribute`: JavaScript's falsy "" and 0 as
    -- the definition, key or table give that message too)
    for _, args in ipairs({ { "Users", "x", "" }, { "Users", "x", 0 }, { "Users", "", DataTypes.STRING },
                            { "", "x", DataTypes.STRING }, { "Users", 0, DataTypes.STRING }, { "Users", "x", 0 / 0 } }) do
      err = support.catch_message(function() qi:addColumn(args[1], args[2], args[3]) end)
      assert.are.equal("addColumn takes at least 3 arguments (table, attribute name, attribute definition)", err.message)
    end
    err = support.catch_message(function() qi:createTable("New", { a = { type = 42 } }) end)
    assert.truthy(err.message:find("New.a", 1, true))
    err = support.catch_message(function() qi:createTable("New", nil) end)
    assert.are.equal("createTable: New: attributes must be a table", err.message)
    err = support.catch_message(function() qi:createTable(nil, { a = DataTypes.STRING }) end)
    assert.are.equal("createTable: expected a table name, got nil", err.message)
    err = support.catch_message(function() qi:renameColumn("Users", "age", nil) end)
    assert.truthy(err.message:find("renameColumn: Users", 1, true))
    err = support.catch_message(function() qi:removeColumn("Users", nil) end)
    assert.truthy(err.message:find("removeColumn: Users", 1, true))
    assert.are.same({}, sqls(log))
    unchanged()
  end)

  it("a change the rows break is rolled back: table and rows as they were", function()
    -- b's age is NULL: NOT NULL cannot hold
    local err = support.catch_message(function() qi:changeColumn("Users", "age", { type = DataTypes.INTEGER, allowNull = false }) end)
    assert.truthy(err.message:find("changeColumn on Users", 1, true))
    assert.truthy(err.message:find("NOT NULL constraint failed", 1, true))
    unchanged()
    assert.are.equal(1, db:query("PRAGMA foreign_keys", { logging = false })[1].foreign_keys)
  end)

  it("row statements: a value that cannot be bound, a bad where", function()
    local err = support.catch_message(function() qi:bulkInsert("Users", { { name = "x" }, { name = function() end } }) end)
    assert.are.equal("bulkInsert: Users.name: expected a string, number, boolean or Sequelize.null, got function", err.message)
    err = support.catch_message(function() qi:bulkInsert("Users", {}) end)
    assert.are.equal("bulkInsert: Users: records must be a non-empty list", err.message)
    err = support.catch_message(function() qi:bulkUpdate("Users", { age = {} }, { name = "a" }) end)
    assert.are.equal("bulkUpdate: Users.age: expected a string, number, boolean or Sequelize.null, got table", err.message)
    err = support.catch_message(function() qi:bulkDelete("Users", { [Sequelize.Op.gt] = 1 }) end)
    assert.are.equal("Invalid where on Users: Op.gt must be inside an attribute's table", err.message)
    err = support.catch_message(function() qi:bulkDelete("Users", { nope = 1 }) end)
    assert.are.equal("Unknown attribute 'nope' in where of model Users", err.message)
    err = support.catch_message(function() qi:bulkUpdate("Users", { nope = 1 }, { name = "a" }) end)
    assert.are.equal("bulkUpdate: Users.nope: no such column", err.message)
    err = support.catch_message(function() qi:bulkUpdate("Users", { age = 1 }, { age = { [Sequelize.Op.gt] = {} } }) end)
    assert.are.equal("Invalid where on Users.age: Op.gt needs a single value, got a table", err.message)
    err = support.catch_message(function() qi:bulkUpdate("Users", { age = 1 }, "name = 'a'") end)
    assert.are.equal("bulkUpdate: Users: where must be a table", err.message)
    err = support.catch_message(function() qi:bulkDelete("Users", { name = "a" }, { bogus = true }) end)
    assert.are.equal("bulkDelete: Users: the option 'bogus' is not supported", err.message)
    -- every method: its own options and the query's (logging, transaction, benchmark) only
    for _, call in ipairs({
      { "createTable", function() qi:createTable("X", { a = DataTypes.STRING }, { bogus = 1 }) end },
      { "dropTable", function() qi:dropTable("Users", { bogus = 1 }) end },
      { "dropAllTables", function() qi:dropAllTables({ bogus = 1 }) end },
      { "renameTable", function() qi:renameTable("Users", "People", { bogus = 1 }) end },
      { "addColumn", function() qi:addColumn("Users", "x", DataTypes.STRING, { bogus = 1 }) end },
      { "removeColumn", function() qi:removeColumn("Users", "age", { bogus = 1 }) end },
      { "changeColumn", function() qi:changeColumn("Users", "age", DataTypes.TEXT, { bogus = 1 }) end },
      { "renameColumn", function() qi:renameColumn("Users", "age", "years", { bogus = 1 }) end },
      { "bulkInsert", function() qi:bulkInsert("Users", { { name = "x" } }, { bogus = 1 }) end },
      { "bulkUpdate", function() qi:bulkUpdate("Users", { age = 1 }, {}, { bogus = 1 }) end },
      { "select", function() qi:select(nil, "Users", { bogus = 1 }) end },
      { "removeIndex", function() qi:removeIndex("Users", "x", { bogus = 1 }) end },
    }) do
      err = support.catch_message(call[2])
      assert.truthy(err.message:find(call[1] .. ": ", 1, true), err.message)
      assert.truthy(err.message:find("the option 'bogus' is not supported", 1, true), err.message)
    end
    err = support.catch_message(function() qi:bulkInsert("Users", { { name = "x" } }, { transaction = {} }) end)
    assert.are.equal("options.transaction must be a transaction (from db:transaction())", err.message)
    err = support.catch_message(function() qi:bulkInsert("Users", { { name = "x" }, nil, { name = "y" } }) end)
    assert.are.equal("bulkInsert: Users: records must be a list (items 1 to n, no holes, no other keys)", err.message)
    err = support.catch_message(function() qi:bulkInsert("Users", { {}, {} }) end)
    assert.are.equal("bulkInsert: Users: the records name no column", err.message)
    err = support.catch_message(function() qi:removeIndex("Users", {}) end)
    assert.are.equal("removeIndex: expected an index name or a list of field names", err.message)
    err = support.catch_message(function() db:transaction(function() qi:dropAllTables({ skip = { "Teams" } }) end) end)
    assert.are.equal("dropAllTables: cannot drop the tables inside a transaction "
      .. "(SQLite switches foreign keys off only outside one)", err.message)
    err = support.catch_message(function() qi:select(nil, "Users", { order = { { "nope", "ASC" } } }) end)
    assert.are.equal("Unknown attribute 'nope' in order of model Users", err.message)
    err = support.catch_message(function() qi:bulkDelete("Nope", { a = 1 }) end)
    assert.truthy(err.message:find('No description found for "Nope" table', 1, true))
    assert.are.same({ "BEGIN DEFERRED TRANSACTION;", "ROLLBACK;" }, sqls(log)) -- (dropAllTables' transaction)
    unchanged()
  end)
end)

describe("the query interface's rebuilds keep what the table had", function()
  it("a composite UNIQUE, an expression DEFAULT, a quoted table name, booleans bound", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("we`ird", { a = { type = DataTypes.STRING, unique = "g" }, b = { type = DataTypes.STRING, unique = "g" },
                               ok = DataTypes.BOOLEAN })
    db:query("ALTER TABLE `we``ird` ADD `t` TEXT DEFAULT (datetime('now'))")
    assert.are.equal(2, qi:bulkInsert("we`ird", { { a = "x", b = "y", ok = true }, { a = "x", b = "z", ok = false } }))
    qi:renameColumn("we`ird", "ok", "good")
    assert.are.equal("(`a` VARCHAR(255), `b` VARCHAR(255), `good` TINYINT(1), `t` TEXT DEFAULT (datetime('now')), "
      .. "UNIQUE (`a`, `b`))", body(stored_sql(db, "we`ird")))
    assert.are.same({ { a = "x", b = "y", good = 1 }, { a = "x", b = "z", good = 0 } },
      rows(db, "SELECT a, b, good FROM `we``ird` ORDER BY b"))
    local err = support.catch_error(function() qi:bulkInsert("we`ird", { { a = "x", b = "y" } }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    qi:bulkInsert("we`ird", { { a = "y", b = "y" } })
    assert.is_string(rows(db, "SELECT t FROM `we``ird` WHERE a = 'y'")[1].t)
  end)

  it("createTable uniqueKeys, bulkInsert ignoreDuplicates", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    support.clear(log)
    -- Sequelize: CREATE TABLE IF NOT EXISTS `b` (`x` INTEGER, `y` INTEGER, UNIQUE (`x`, `y`));
    qi:createTable("b", { x = DataTypes.INTEGER, y = DataTypes.INTEGER }, { uniqueKeys = { u = { fields = { "x", "y" } } },
                                                                        charset = "utf8" })
    assert.are.same({ "CREATE TABLE IF NOT EXISTS `b` (`x` INTEGER, `y` INTEGER, UNIQUE (`x`, `y`));" }, sqls(log))
    qi:bulkInsert("b", { { x = 1, y = 1 }, { x = 1, y = 2 } })
    local err = support.catch_error(function() qi:bulkInsert("b", { { x = 1, y = 2 } }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    -- Sequelize: INSERT OR IGNORE INTO `b` (`x`,`y`) VALUES (1,2),(2,2);
    support.clear(log)
    qi:bulkInsert("b", { { x = 1, y = 2 }, { x = 2, y = 2 } }, { ignoreDuplicates = true })
    assert.are.same({ "INSERT OR IGNORE INTO `b` (`x`,`y`) VALUES (?,?),(?,?);" }, sqls(log))
    assert.are.equal(3, #rows(db, "SELECT * FROM b"))
    err = support.catch_message(function()
      qi:createTable("c", { x = DataTypes.INTEGER }, { uniqueKeys = { u = { fields = { "nope" } } } })
    end)
    assert.are.equal("createTable: c: uniqueKeys.u: no attribute nope", err.message)
    assert.are.same({ "b" }, support.tables(db))
    -- a unique attribute in a uniqueKey too, an attribute in two keys: each written, as Sequelize
    -- writes them (CREATE TABLE IF NOT EXISTS `c` (`x` INTEGER UNIQUE, `y` INTEGER, UNIQUE (`x`), UNIQUE (`x`, `y`)))
    support.clear(log)
    qi:createTable("c", { x = { type = DataTypes.INTEGER, unique = true }, y = DataTypes.INTEGER },
                   { uniqueKeys = { u = { fields = { "x" } }, v = { fields = { "x", "y" } } } })
    assert.are.same({ "CREATE TABLE IF NOT EXISTS `c` (`x` INTEGER UNIQUE, `y` INTEGER, UNIQUE (`x`), UNIQUE (`x`, `y`));" },
                    sqls(log))
    -- a rebuild keeps each of them (a constraint sharing a column with another as its own group)
    -- (SQLite makes one index of `x` UNIQUE and UNIQUE (`x`): two before, two after)
    local function uniques()
      local n = 0
      for _, ix in ipairs(qi:showIndex("c")) do if ix.unique then n = n + 1 end end
      return n
    end
    assert.are.equal(2, uniques())
    qi:changeColumn("c", "y", { type = DataTypes.TEXT })
    assert.are.equal(2, uniques())
    qi:bulkInsert("c", { { x = 1, y = "a" } })
    assert.are.equal("SequelizeUniqueConstraintError", support.catch_error(function() qi:bulkInsert("c", { { x = 1, y = "b" } }) end).name)
  end)

  it("bulkInsert updateOnDuplicate with upsertKeys: ON CONFLICT (keys) DO UPDATE SET, as Sequelize's sqlite", function()
    -- Sequelize 6.37.8, after inserting a, b, c (-> 3):
    --   qi.bulkInsert('T', [{ name: 'c', n: 5, m: 5 }, { name: 'd', n: 6, m: 6 }], { updateOnDuplicate: ['n'], upsertKeys: ['name'] })
    --   -> INSERT INTO `T` (`name`,`n`,`m`) VALUES ('c',5,5),('d',6,6) ON CONFLICT (`name`) DO UPDATE SET `n`=EXCLUDED.`n`; -> 5
    --   ... [{ name: 'a', n: 7, m: 7 }], { updateOnDuplicate: ['n', 'm'], upsertKeys: ['name'] } -> 5 (no row inserted)
    --   rows: a 7 7 (id 1), b 2 2, c 5 3, d 6 6 (id 5: the conflicting row used 4)
    --   (without upsertKeys Sequelize fails: TypeError Cannot read properties of undefined)
    local db = support.open()
    local qi = db:getQueryInterface()
    local log = {}
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                          name = { type = DataTypes.STRING, unique = true }, n = DataTypes.INTEGER, m = DataTypes.INTEGER })
    assert.equal(3, qi:bulkInsert("T", { { name = "a", n = 1, m = 1 }, { name = "b", n = 2, m = 2 }, { name = "c", n = 3, m = 3 } }))
    assert.equal(5, qi:bulkInsert("T", { { name = "c", n = 5, m = 5 }, { name = "d", n = 6, m = 6 } },
      { updateOnDuplicate = { "n" }, upsertKeys = { "name" }, logging = function(sql) log[#log + 1] = sql end }))
    assert.same({ "INSERT INTO `T` (`m`,`n`,`name`) VALUES (?,?,?),(?,?,?) ON CONFLICT (`name`) DO UPDATE SET `n`=EXCLUDED.`n`;" },
      sqls(log))
    assert.equal(5, qi:bulkInsert("T", { { name = "a", n = 7, m = 7 } }, { updateOnDuplicate = { "n", "m" }, upsertKeys = { "name" } }))
    assert.same({ { id = 1, name = "a", n = 7, m = 7 }, { id = 2, name = "b", n = 2, m = 2 }, { id = 3, name = "c", n = 5, m = 3 },
                  { id = 5, name = "d", n = 6, m = 6 } }, rows(db, "SELECT * FROM T ORDER BY id"))
    local ok, err = pcall(qi.bulkInsert, qi, "T", { { name = "b", n = 8 } }, { updateOnDuplicate = { "n" } })
    assert.is_false(ok)
    assert.equal("bulkInsert: T: updateOnDuplicate needs upsertKeys (the columns of the unique key a row conflicts on)", err.message)
    ok, err = pcall(qi.bulkInsert, qi, "T", { { name = "b", n = 8 } }, { updateOnDuplicate = { "n" }, upsertKeys = { "name" }, ignoreDuplicates = true })
    assert.is_false(ok)
    -- a record with a literal goes through the model's bulkCreate path: the same clause
    qi:bulkInsert("T", { { name = "b", n = Sequelize.literal("10") } }, { updateOnDuplicate = { "n" }, upsertKeys = { "name" } })
    assert.equal(10, rows(db, "SELECT n FROM T WHERE name = 'b'")[1].n)
    db:close()
  end)

  it("the table's CREATE INDEX indexes are made again (a renamed column's follow it, a removed column's go)", function()
    -- (Sequelize loses them, keeping a unique one as a UNIQUE column through describeTable)
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("t", { id = { type = DataTypes.INTEGER, primaryKey = true }, a = DataTypes.STRING,
                          b = DataTypes.STRING, c = DataTypes.STRING })
    qi:addIndex("t", { "a" })
    qi:addIndex("t", { "b" }, { unique = true, name = "t_b_uq" })
    qi:addIndex("t", { "a", "c" }, { name = "t_ac" })
    db:query("CREATE INDEX t_expr ON t (lower(b)) WHERE a IS NOT NULL")
    local function indexes()
      local o = {}
      for _, r in ipairs(rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 't' ORDER BY name")) do
        o[r.name] = r.sql
      end
      return o
    end
    qi:removeColumn("t", "c")
    assert.are.same({ t_a = "CREATE INDEX `t_a` ON `t` (`a`)", t_b_uq = "CREATE UNIQUE INDEX `t_b_uq` ON `t` (`b`)",
                      t_expr = "CREATE INDEX t_expr ON t (lower(b)) WHERE a IS NOT NULL" }, indexes())
    qi:renameColumn("t", "b", "bee")
    qi:changeColumn("t", "a", DataTypes.INTEGER)
    assert.are.same({ t_a = "CREATE INDEX `t_a` ON `t` (`a`)", t_b_uq = "CREATE UNIQUE INDEX `t_b_uq` ON `t` (`bee`)",
                      t_expr = "CREATE INDEX t_expr ON t (lower(`bee`)) WHERE a IS NOT NULL" }, indexes())
    qi:bulkInsert("t", { { id = 1, bee = "x" } })
    local err = support.catch_error(function() qi:bulkInsert("t", { { id = 2, bee = "x" } }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.is_true(qi:describeTable("t").bee.unique)
    -- a name is replaced only where it names the column: not a function's name, not in a
    -- string, not the index's own name before its "("; quoted names too
    db:query("CREATE TABLE u (id INTEGER PRIMARY KEY, lower TEXT, \"x y\" TEXT)")
    db:query("CREATE INDEX lower ON u (lower(lower), [x y]) WHERE lower <> 'lower' AND \"x y\" IS NOT NULL")
    qi:renameColumn("u", "lower", "low")
    qi:renameColumn("u", "x y", "xy")
    assert.are.equal("CREATE INDEX lower ON u (lower(`low`), `xy`) WHERE `low` <> 'lower' AND `xy` IS NOT NULL",
      rows(db, "SELECT sql FROM sqlite_master WHERE name = 'lower'")[1].sql)
  end)

  it("a rebuild drops an index on a removed column even when it names it in double quotes", function()
    -- (SQLite's RENAME COLUMN writes "c"; read as a string, it would index a constant)
    local db = support.open()
    local qi = db:getQueryInterface()
    db:query("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
    db:query('CREATE UNIQUE INDEX t_b ON t ("b")')
    db:query('CREATE INDEX t_p ON t (a) WHERE "b" IS NOT NULL')
    qi:removeColumn("t", "b")
    assert.are.same({}, rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 't'"))
    qi:bulkInsert("t", { { id = 1, a = "x" }, { id = 2, a = "x" } })
    assert.are.equal(2, #rows(db, "SELECT * FROM t"))
  end)

  it("a rebuild keeps an index whose double-quoted string is a string, and renames a name with a doubled quote", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    db:query("CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, status TEXT, note TEXT)")
    db:query('CREATE UNIQUE INDEX one_active ON accounts (email) WHERE status = "active"')
    qi:changeColumn("accounts", "note", DataTypes.TEXT) -- (a rebuild)
    assert.are.equal('CREATE UNIQUE INDEX one_active ON accounts (email) WHERE status = "active"',
      rows(db, "SELECT sql FROM sqlite_master WHERE name = 'one_active'")[1].sql)
    db:query("INSERT INTO accounts (email, status) VALUES ('a@x', 'active')")
    local err = support.catch(db.query, db, "INSERT INTO accounts (email, status) VALUES ('a@x', 'active')")
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    db:query([[CREATE TABLE q (id INTEGER PRIMARY KEY, "we""ird" TEXT)]])
    db:query([[CREATE INDEX q_w ON q ("we""ird")]])
    qi:renameColumn("q", 'we"ird', "plain")
    assert.are.equal("CREATE INDEX q_w ON q (`plain`)", rows(db, "SELECT sql FROM sqlite_master WHERE name = 'q_w'")[1].sql)
  end)

  it("renameColumn works with a view on the table and an index on it", function()
    -- (the view keeps the old name, as after Sequelize's rebuild)
    local db = support.open()
    local qi = db:getQueryInterface()
    db:query("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
    db:query("CREATE INDEX t_a ON t (a)")
    db:query("CREATE VIEW v AS SELECT a FROM t")
    qi:renameColumn("t", "a", "c")
    assert.are.equal("CREATE INDEX t_a ON t (`c`)", rows(db, "SELECT sql FROM sqlite_master WHERE name = 't_a'")[1].sql)
    assert.truthy(qi:describeTable("t").c)
  end)

  it("a rebuild keeps stored types as they are: a BIGINT key is not made the rowid; AUTOINCREMENT is read as a word", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    db:query("CREATE TABLE b (id BIGINT PRIMARY KEY, x TEXT, y NUMERIC(10,-2))")
    db:query("INSERT INTO b (id, x) VALUES (NULL, 'null key'), ('k', 'text key')")
    qi:removeColumn("b", "x")
    assert.are.equal("CREATE TABLE \"b\" (`id` BIGINT PRIMARY KEY, `y` NUMERIC(10,-2))", stored_sql(db, "b"))
    assert.are.same({ { id = NULL }, { id = "k" } }, rows(db, "SELECT id FROM b ORDER BY id"))
    -- the word in a default, a name or a comment is not the keyword
    db:query("CREATE TABLE t (id INTEGER PRIMARY KEY, `autoincrement` TEXT DEFAULT 'no autoincrement here', "
      .. "z TEXT /* AUTOINCREMENT */)")
    qi:removeColumn("t", "z")
    assert.are.equal("CREATE TABLE \"t\" (`id` INTEGER PRIMARY KEY, `autoincrement` TEXT DEFAULT 'no autoincrement here')",
      stored_sql(db, "t"))
    db:query("CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, z TEXT)")
    qi:removeColumn("a", "z")
    assert.are.equal("CREATE TABLE \"a\" (`id` INTEGER PRIMARY KEY AUTOINCREMENT)", stored_sql(db, "a"))
  end)

  it("a UNIQUE index the changed rows no longer meet: the change raises and nothing changes", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("u", { v = DataTypes.STRING })
    qi:addIndex("u", { "v" }, { unique = true, name = "u_v" })
    qi:bulkInsert("u", { { v = "1" }, { v = "01" } })
    -- as INTEGER, '1' and '01' are both 1
    local err = support.catch_error(function() qi:changeColumn("u", "v", DataTypes.INTEGER) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.equal("VARCHAR(255)", qi:describeTable("u").v.type)
    assert.are.same({ { v = "01" }, { v = "1" } }, rows(db, "SELECT v FROM u ORDER BY v"))
  end)

  it("inside a transaction a table nothing refers to is rebuilt; one others refer to raises and changes nothing", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    create_users(qi)
    db:query("INSERT INTO Teams (code) VALUES ('t')")
    db:query("INSERT INTO Users (name, teamId) VALUES ('u', 1)")
    -- (a migration's transaction: Users refers to Teams, nothing refers to Users)
    db:transaction(function(t) qi:changeColumn("Users", "age", DataTypes.TEXT, { transaction = t }) end)
    assert.are.equal("TEXT", qi:describeTable("Users").age.type)
    assert.are.equal(1, #support.raw(db, "SELECT * FROM Users"))
    local err = support.catch_message(function()
      db:transaction(function() qi:changeColumn("Teams", "code", DataTypes.TEXT) end)
    end)
    assert.are.equal("changeColumn on Teams: cannot change a table other tables refer to inside a transaction "
      .. "while foreign keys are on (SQLite switches foreign keys off only outside one): run it outside the "
      .. "transaction, or run PRAGMA foreign_keys = OFF before the transaction begins", err.message)
    assert.are.equal("VARCHAR(255)", qi:describeTable("Teams").code.type)
    assert.are.equal(1, #support.raw(db, "SELECT * FROM Users")) -- (no cascade)
  end)

  it("inside a transaction begun with foreign keys off, a table others refer to is rebuilt, their rows kept", function()
    -- Sequelize 6.37.8 (PRAGMA foreign_keys = OFF, then in a transaction removeColumn('Teams', 'code') and
    -- changeColumn('Teams', 'name', { type: TEXT, allowNull: false })): "migration ok", Users' row kept.
    -- (Foreign keys cannot be switched on inside the transaction, so no ON DELETE action can fire.)
    local db = support.open()
    local qi = db:getQueryInterface()
    create_users(qi)
    qi:addColumn("Teams", "name", DataTypes.STRING)
    db:query("INSERT INTO Teams (code, name) VALUES ('t', 'n')")
    db:query("INSERT INTO Users (name, teamId) VALUES ('u', 1)")
    db:query("PRAGMA foreign_keys = OFF")
    db:transaction(function(t)
      qi:removeColumn("Teams", "code", { transaction = t })
      qi:changeColumn("Teams", "name", { type = DataTypes.TEXT, allowNull = false }, { transaction = t })
      db:query("PRAGMA foreign_keys = ON", { transaction = t }) -- (a no-op there)
    end)
    db:query("PRAGMA foreign_keys = ON")
    assert.are.same({ "id", "name" }, support.column_names(db, "Teams"))
    assert.are.same({ type = "TEXT", allowNull = false, primaryKey = false, unique = false }, qi:describeTable("Teams").name)
    assert.are.same({ { name = "u", teamId = 1 } }, support.raw(db, "SELECT name, teamId FROM Users"))
    assert.are.same({}, db:query("PRAGMA foreign_key_check", { logging = false }))
    -- the reference still acts: ON DELETE CASCADE
    db:query("DELETE FROM Teams")
    assert.are.equal(0, #support.raw(db, "SELECT * FROM Users"))
  end)

  it("inside a transaction renameColumn of a table others refer to renames in place, its references with it", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    create_users(qi)
    qi:addIndex("Teams", { "code" }, { name = "teams_code" })
    db:query("INSERT INTO Teams (code) VALUES ('t')")
    db:query("INSERT INTO Users (name, teamId) VALUES ('u', 1)")
    db:transaction(function(t)
      qi:renameColumn("Teams", "code", "label", { transaction = t })
      qi:renameColumn("Teams", "id", "teamKey", { transaction = t }) -- (the key Users refers to)
    end)
    local d = qi:describeTable("Teams")
    assert.is_nil(d.code)
    assert.are.equal("VARCHAR(255)", d.label.type)
    assert.are.equal("SequelizeUniqueConstraintError", -- (still UNIQUE)
      support.catch_message(function() db:query("INSERT INTO Teams (label) VALUES ('t')") end).name)
    assert.is_true(d.teamKey.primaryKey)
    assert.are.same({ { teamKey = 1, label = "t" } }, support.raw(db, "SELECT teamKey, label FROM Teams"))
    assert.are.same({ { label = "teams_code" } }, support.raw(db,
      "SELECT name AS label FROM pragma_index_list('Teams') WHERE origin = 'c'"))
    -- Users' rows are all there and its reference follows the new key's name
    assert.are.equal(1, #support.raw(db, "SELECT * FROM Users"))
    assert.are.same({ { tableName = "Users", columnName = "teamId", referencedTableName = "Teams",
                        referencedColumnName = "teamKey" } }, qi:getForeignKeyReferencesForTable("Users"))
    -- and the reference still acts: deleting the team cascades
    db:query("DELETE FROM Teams")
    assert.are.equal(0, #support.raw(db, "SELECT * FROM Users"))
    -- a change that is not a rename alone still raises there
    local err = support.catch_message(function()
      db:transaction(function() qi:changeColumn("Teams", "label", DataTypes.TEXT) end)
    end)
    assert.truthy(err.message:find("cannot change a table other tables refer to", 1, true))
  end)
end)

describe("a rebuild refused for rows of another table that break a foreign key", function()
  it("says the rows already there break it, naming their table, and changes nothing", function()
    -- Sequelize 6.37.8 (Posts holding userId 99 written with foreign keys off, then
    -- removeColumn('Users', 'age')): SequelizeForeignKeyConstraintError
    -- "SQLITE_CONSTRAINT: FOREIGN KEY constraint failed", Users unchanged. (The message said
    -- "the rows copied break a foreign key": they did not, the rows of Posts were there before.)
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("Users", { id = { type = DataTypes.INTEGER, primaryKey = true }, age = DataTypes.INTEGER })
    qi:createTable("Posts", { id = { type = DataTypes.INTEGER, primaryKey = true },
                              userId = { type = DataTypes.INTEGER, references = { model = "Users", key = "id" } } })
    qi:bulkInsert("Users", { { id = 1, age = 5 } })
    db:query("PRAGMA foreign_keys = OFF")
    qi:bulkInsert("Posts", { { id = 1, userId = 1 }, { id = 2, userId = 99 } })
    db:query("PRAGMA foreign_keys = ON")
    local err = support.catch_error(function() qi:removeColumn("Users", "age") end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal("removeColumn on Users: rows of Posts that refer to it break a foreign key (PRAGMA "
      .. "foreign_key_check(Posts)): rows already there without their parent row, or a key the change took away; "
      .. "nothing was changed (delete or fix those rows first)", err.message)
    assert.is_not_nil(qi:describeTable("Users").age)
    assert.are.equal(2, #rows(db, "SELECT * FROM Posts"))
    db:close()
  end)
end)

describe("the query interface's rebuilds find the table whatever the case of its name", function()
  -- Sequelize 6.37.8, createTable('Posts', ...) then removeColumn('posts', 'body'),
  -- renameColumn('posts', 'title', 'heading'), changeColumn('posts', 'heading', { TEXT, allowNull: false }):
  --   CREATE TABLE `posts` (`id` INTEGER PRIMARY KEY, `heading` TEXT NOT NULL)   rows: [{"id":1,"heading":"t"}]
  -- (SQLite matches table names without regard to case; sequelua keeps the stored name, `Posts`,
  -- where Sequelize's backup copy recreates the table under the name given, and keeps its
  -- index and AUTOINCREMENT, as every rebuild here does). These calls used to return having
  -- changed nothing: the rebuild looked the name up case-sensitively and ran only CREATE TABLE IF NOT EXISTS.
  it("removeColumn, renameColumn and changeColumn of `Posts` given as posts", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("Posts", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                              title = DataTypes.STRING, body = DataTypes.STRING })
    qi:addIndex("Posts", { "title" }, { name = "posts_title" })
    qi:bulkInsert("Posts", { { id = 1, title = "t", body = "b" } })
    qi:removeColumn("posts", "body")
    qi:renameColumn("posts", "title", "heading")
    qi:changeColumn("posts", "heading", { type = DataTypes.TEXT, allowNull = false })
    assert.are.same({ "Posts" }, support.tables(db))
    assert.are.equal("(`id` INTEGER PRIMARY KEY AUTOINCREMENT, `heading` TEXT NOT NULL)", body(stored_sql(db, "Posts")))
    assert.are.same({ { heading = "t", id = 1 } }, rows(db, "SELECT * FROM Posts"))
    assert.are.same({ { sql = "CREATE INDEX `posts_title` ON `Posts` (`heading`)" } },
      rows(db, "SELECT sql FROM sqlite_master WHERE type = 'index'"))
    assert.are.same({ { name = "Posts", seq = 1 } }, rows(db, "SELECT * FROM sqlite_sequence"))
    -- inside a transaction, a table others refer to under another case is still seen as referred to
    qi:createTable("Comments", { id = { type = DataTypes.INTEGER, primaryKey = true },
                                 postId = { type = DataTypes.INTEGER, references = { model = "posts", key = "id" } } })
    local err = support.catch_message(function()
      db:transaction(function() qi:changeColumn("POSTS", "heading", DataTypes.STRING) end)
    end)
    assert.truthy(err.message:find("cannot change a table other tables refer to", 1, true), err.message)
    assert.are.equal("TEXT", qi:describeTable("Posts").heading.type)
  end)

  it("a rebuild of a table that is not there raises Sequelize's describeTable message, and creates nothing", function()
    local db = support.open()
    local core = require("sequelua.core")
    local err = support.catch_message(function()
      core.qi_ddl(db._db, "rebuild", "Nope", { { name = "id", field = "id", declType = "INTEGER" } }, {}, "removeColumn")
    end)
    assert.are.equal('No description found for "Nope" table. Check the table name and schema; remember, they _are_ case sensitive.',
      err.message)
    assert.are.same({}, support.tables(db))
  end)

  it("sync { alter = true } alters a table its model names in another case", function()
    -- (Sequelize 6.37.8 leaves such a table as it was, without the model's new column: its
    -- alter sees no table of that name; sequelua makes the table match, as for any other)
    local db = support.open()
    db:query("CREATE TABLE `Users` (`id` INTEGER PRIMARY KEY, `name` VARCHAR(255))")
    db:query("INSERT INTO Users VALUES (1, 'a')")
    db:define("U", { id = { type = DataTypes.INTEGER, primaryKey = true }, name = DataTypes.STRING, age = DataTypes.INTEGER },
      { tableName = "users", timestamps = false })
    db:sync({ alter = true })
    assert.are.same({ "Users" }, support.tables(db))
    assert.are.same({ { age = NULL, id = 1, name = "a" } }, rows(db, "SELECT * FROM Users"))
  end)
end)

describe("queryInterface: foreign key references, rawSelect, unique constraints", function()
  it("work as Sequelize's sqlite ones do (checked against sequelize 6.37.8)", function()
    local T = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local P = db:define("P", { code = T.STRING })
    local C = db:define("C", { num = T.INTEGER })
    P:hasMany(C)
    db:sync()
    P:create({ code = "a" })
    C:create({ num = 1, PId = 1 })
    local qi = db:getQueryInterface()
    assert.are.same({ { tableName = "Cs", columnName = "PId", referencedTableName = "Ps", referencedColumnName = "id" } },
      qi:getForeignKeyReferencesForTable("Cs"))
    assert.are.equal(1, qi:rawSelect("Ps", { where = { code = "a" } }, "id"))
    assert.is_nil(qi:rawSelect("Ps", { where = { code = "zz" } }, "id"))
    assert.has_error(function() qi:rawSelect("Ps", {}) end)
    qi:addConstraint("Cs", { fields = { "num" }, type = "unique", name = "cu" })
    local ok, err = pcall(C.create, C, { num = 1 })
    assert.is_false(ok)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    qi:removeConstraint("Cs", "cu")
    C:create({ num = 1 })
    -- Sequelize: SequelizeUnknownConstraintError "Constraint nope on table Cs does not exist", a
    -- DatabaseError, e.constraint 'nope', e.table 'Cs'
    ok, err = pcall(qi.removeConstraint, qi, "Cs", "nope")
    assert.is_false(ok)
    assert.are.equal("Constraint nope on table Cs does not exist", err.message)
    assert.are.equal("SequelizeUnknownConstraintError", err.name)
    assert.is_true(err:is(Sequelize.errors.UnknownConstraintError))
    assert.is_true(err:is(Sequelize.errors.DatabaseError))
    assert.are.same({ "nope", "Cs" }, { err.constraint, err.table })
    -- and, as Sequelize's constructor makes it, a DatabaseError's sql "" and an empty parent,
    -- the same as original (was: no sql, parent nor original)
    assert.are.equal("", err.sql)
    assert.are.same({ "", "" }, { err.parent.sql, err.parent.message })
    assert.is_true(rawequal(err.parent, err.original))
    db:close()
  end)

  it("changeColumn with unique = false drops the column's UNIQUE, addConstraint's or addIndex's", function()
    -- Sequelize 6.37.8: addConstraint('Users', { type: 'unique', fields: ['email'], name: 'users_email_uq' }),
    -- changeColumn('Users', 'email', { type: STRING, unique: false }):
    --   describeTable('Users').email {"type":"VARCHAR(255)","allowNull":true,"primaryKey":false,"unique":false}
    --   bulkInsert of two rows with email 'a': duplicates inserted
    -- (a unique index on the column with others is not the column's uniqueness, and stays, as
    -- the rebuilds keep the table's indexes; Sequelize's rebuild loses every index)
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("Users", { id = { type = DataTypes.INTEGER, primaryKey = true }, email = DataTypes.STRING,
                              code = DataTypes.STRING, name = DataTypes.STRING })
    qi:createTable("Posts", { id = { type = DataTypes.INTEGER, primaryKey = true },
                              userId = { type = DataTypes.INTEGER, references = { model = "Users", key = "id" } } })
    qi:addConstraint("Users", { type = "unique", fields = { "email" }, name = "users_email_uq" })
    qi:addIndex("Users", { "code" }, { unique = true, name = "users_code" })
    qi:addIndex("Users", { "code", "name" }, { unique = true, name = "users_code_name" })
    qi:changeColumn("Users", "email", { type = DataTypes.STRING, unique = false })
    assert.are.same({ type = "VARCHAR(255)", allowNull = true, primaryKey = false, unique = false },
      qi:describeTable("Users").email)
    qi:bulkInsert("Users", { { id = 1, email = "a", code = "x" }, { id = 2, email = "a", code = "y" } })
    -- in a migration's transaction, on a table others refer to: the table is as it was, the index alone goes
    db:transaction(function(t)
      qi:changeColumn("Users", "code", { type = DataTypes.STRING, unique = false }, { transaction = t })
    end)
    assert.are.same({ { name = "users_code_name" } },
      rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Users'"))
    -- a changeColumn without unique keeps the column's UNIQUE index
    qi:addIndex("Users", { "name" }, { unique = true, name = "users_name" })
    qi:changeColumn("Users", "name", { type = DataTypes.TEXT })
    assert.is_true(qi:describeTable("Users").name.unique)
    db:close()
  end)

  it("changeColumn with references = false or Sequelize.null drops the column's foreign key", function()
    -- Sequelize 6.37.8: changeColumn('T', 'p', { type: INTEGER, references: false }) and
    -- ('T', 'q', { type: INTEGER, references: null }): T rebuilt without REFERENCES,
    -- PRAGMA foreign_key_list(T) empty
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("P", { id = { type = DataTypes.INTEGER, primaryKey = true } })
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true },
      p = { type = DataTypes.INTEGER, references = { model = "P", key = "id" }, onDelete = "CASCADE" },
      q = { type = DataTypes.INTEGER, references = { model = "P", key = "id" } } })
    qi:bulkInsert("P", { { id = 1 } })
    qi:bulkInsert("T", { { id = 1, p = 1, q = 1 } })
    qi:changeColumn("T", "p", { type = DataTypes.INTEGER, references = false })
    assert.are.same({ "q" }, support.ids(qi:getForeignKeyReferencesForTable("T"), "columnName"))
    qi:changeColumn("T", "q", { type = DataTypes.INTEGER, references = NULL })
    assert.are.same({}, qi:getForeignKeyReferencesForTable("T"))
    assert.are.equal("(`id` INTEGER PRIMARY KEY, `p` INTEGER, `q` INTEGER)", body(stored_sql(db, "T")))
    qi:bulkInsert("T", { { id = 2, p = 9, q = 9 } }) -- (no foreign key to refuse it)
    assert.are.equal(2, #rows(db, "SELECT * FROM T"))
    db:close()
  end)
end)

describe("queryInterface addConstraint / removeConstraint of a check, primary key or foreign key", function()
  -- Sequelize 6.37.8 (sqlite): addConstraint('Posts', { fields: ['userId'], type: 'foreign key',
  -- references: { table: 'Users', field: 'id' }, onDelete: 'cascade' }) rebuilds the table from its
  -- stored definition with the clause added, resolving to undefined:
  --   CREATE TABLE `Posts_backup` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255) NOT NULL
  --   DEFAULT 'x''y', `userId` INTEGER, CONSTRAINT `Posts_userId_Users_fk` FOREIGN KEY (`userId`)
  --   REFERENCES `Users` (`id`) ON DELETE CASCADE); INSERT INTO `Posts_backup` SELECT ...; DROP TABLE
  --   `Posts`; ALTER TABLE `Posts_backup` RENAME TO `Posts`;
  -- PRAGMA foreign_key_list(`Posts`): [{ table: 'Users', from: 'userId', to: 'id', on_update: 'NO ACTION',
  -- on_delete: 'CASCADE' }], the rows kept; then { fields: ['title'], type: 'check', where: { title:
  -- { [Op.ne]: '' } } } adds `, CONSTRAINT `Posts_title_ck` CHECK (`title` != '')`.
  -- removeConstraint('Posts', 'Posts_title_ck') rebuilds it without the clause (undefined).
  -- (Sequelize's rebuild loses the index posts_title; sequelua's keeps it, as its other rebuilds do.
  -- Sequelize's removeConstraint of that foreign key changes nothing: the clause it looks for says
  -- "ON UPDATE null ON DELETE CASCADE"; sequelua's takes the clause out.)
  local function setup()
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("Users", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                              name = DataTypes.STRING })
    qi:createTable("Posts", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                              title = { type = DataTypes.STRING, allowNull = false, defaultValue = "x'y" },
                              userId = DataTypes.INTEGER })
    qi:addIndex("Posts", { "title" })
    qi:bulkInsert("Users", { { name = "a" }, { name = "b" } })
    qi:bulkInsert("Posts", { { title = "t1", userId = 1 }, { title = "t2", userId = 2 } })
    return db, qi
  end
  local POSTS = "(`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255) NOT NULL DEFAULT 'x''y', `userId` INTEGER"
  local FK = "CONSTRAINT `Posts_userId_Users_fk` FOREIGN KEY (`userId`) REFERENCES `Users` (`id`) ON DELETE CASCADE"

  it("adds a foreign key and a check as Sequelize's sqlite, keeping rows and indexes, and removes them", function()
    local db, qi = setup()
    local r = table.pack(qi:addConstraint("Posts", { fields = { "userId" }, type = "foreign key",
      references = { table = "Users", field = "id" }, onDelete = "cascade" }))
    assert.are.equal(0, r.n)
    assert.are.equal(POSTS .. ", " .. FK .. ")", body(stored_sql(db, "Posts")))
    local fk = rows(db, "PRAGMA foreign_key_list(`Posts`)")
    assert.are.same({ "Users", "userId", "id", "NO ACTION", "CASCADE" },
      { fk[1].table, fk[1].from, fk[1].to, fk[1].on_update, fk[1].on_delete })
    assert.are.same({ { id = 1, title = "t1", userId = 1 }, { id = 2, title = "t2", userId = 2 } },
      rows(db, "SELECT * FROM Posts ORDER BY id"))
    assert.are.same({ { name = "posts_title" } },
      rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Posts'"))
    qi:addConstraint("Posts", { fields = { "title" }, type = "check", where = { title = { [Sequelize.Op.ne] = "" } } })
    assert.are.equal(POSTS .. ", " .. FK .. ", CONSTRAINT `Posts_title_ck` CHECK (`title` != ''))",
      body(stored_sql(db, "Posts")))
    assert.are.same({ "Posts_title_ck", "Posts_userId_Users_fk" }, support.ids(qi:showConstraint("Posts"), "constraintName"))
    -- both enforced: the delete cascades, an empty title is refused
    qi:bulkDelete("Users", { id = 1 })
    assert.are.same({ { id = 2 } }, rows(db, "SELECT id FROM Posts"))
    local ok, err = pcall(qi.bulkInsert, qi, "Posts", { { title = "", userId = 2 } })
    assert.is_false(ok)
    assert.truthy(err.message:find("CHECK constraint failed", 1, true), err.message)
    -- removed (the return: undefined), the other one and the rows kept
    r = table.pack(qi:removeConstraint("Posts", "Posts_userId_Users_fk"))
    assert.are.equal(0, r.n)
    assert.are.equal(POSTS .. ", CONSTRAINT `Posts_title_ck` CHECK (`title` != ''))", body(stored_sql(db, "Posts")))
    assert.are.same({}, rows(db, "PRAGMA foreign_key_list(`Posts`)"))
    qi:removeConstraint("Posts", "Posts_title_ck")
    assert.are.equal(POSTS .. ")", body(stored_sql(db, "Posts")))
    assert.are.same({ { id = 2, title = "t2", userId = 2 } }, rows(db, "SELECT * FROM Posts"))
    assert.are.same({ { name = "posts_title" } },
      rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Posts'"))
    -- AUTOINCREMENT's counter kept
    qi:bulkInsert("Posts", { { title = "t3", userId = 2 } })
    assert.are.same({ { id = 2 }, { id = 3 } }, rows(db, "SELECT id FROM Posts ORDER BY id"))
    db:close()
  end)

  it("adds and removes a primary key; onUpdate comes before onDelete; references.fields", function()
    -- Sequelize 6.37.8: createTable('N', { a: INTEGER, b: INTEGER }), addConstraint('N', { type:
    -- 'primary key', fields: ['a', 'b'] }) -> CREATE TABLE "N" (`a` INTEGER, `b` INTEGER, CONSTRAINT
    -- `N_a_b_pk` PRIMARY KEY (`a`, `b`)); removeConstraint('N', 'N_a_b_pk') -> (`a` INTEGER, `b` INTEGER).
    -- A foreign key with onUpdate and onDelete: ... REFERENCES `N` (`a`, `b`) ON UPDATE SET NULL ON DELETE CASCADE
    -- (Sequelize's removeConstraint('C', 'c_n') leaves it there too: its rebuilt clause does not match)
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("N", { a = DataTypes.INTEGER, b = DataTypes.INTEGER })
    qi:bulkInsert("N", { { a = 1, b = 1 } })
    qi:addConstraint("N", { type = "primary key", fields = { "a", "b" } })
    assert.are.equal("(`a` INTEGER, `b` INTEGER, CONSTRAINT `N_a_b_pk` PRIMARY KEY (`a`, `b`))", body(stored_sql(db, "N")))
    local ok, err = pcall(qi.bulkInsert, qi, "N", { { a = 1, b = 1 } })
    assert.is_false(ok)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    qi:createTable("C", { x = DataTypes.INTEGER, y = DataTypes.INTEGER })
    qi:addConstraint("C", { type = "foreign key", fields = { "x", "y" }, references = { table = "N", fields = { "a", "b" } },
                            onUpdate = "set null", onDelete = "cascade", name = "c_n" })
    assert.are.equal("(`x` INTEGER, `y` INTEGER, CONSTRAINT `c_n` FOREIGN KEY (`x`, `y`) REFERENCES `N` (`a`, `b`) "
      .. "ON UPDATE SET NULL ON DELETE CASCADE)", body(stored_sql(db, "C")))
    qi:removeConstraint("C", "c_n")
    qi:removeConstraint("N", "N_a_b_pk")
    assert.are.equal("(`a` INTEGER, `b` INTEGER)", body(stored_sql(db, "N")))
    qi:bulkInsert("N", { { a = 1, b = 1 } })
    db:close()
  end)

  it("refuses what Sequelize refuses, and a change the rows break changes nothing", function()
    -- Sequelize 6.37.8's messages (plain Errors): type 'default' "Default value must be specified for
    -- DEFAULT CONSTRAINT", with defaultValue "Default constraints are supported only for MSSQL dialect.";
    -- type 'foo' "foo is invalid."; no type "Constraint type must be specified through options.type"; no
    -- fields "Fields must be specified through options.fields"; a foreign key without references
    -- "references object with table and field must be specified". (A foreign key the rows break:
    -- Sequelize's INSERT into its backup fails, SequelizeForeignKeyConstraintError, and leaves
    -- `Posts_backup` behind; sequelua changes nothing.)
    local db, qi = setup()
    local function msg(opts)
      local ok, err = pcall(qi.addConstraint, qi, "Posts", opts)
      assert.is_false(ok)
      return err.message
    end
    assert.are.equal("Default value must be specified for DEFAULT CONSTRAINT", msg({ type = "default", fields = { "userId" } }))
    assert.are.equal("Default constraints are supported only for MSSQL dialect.",
      msg({ type = "default", fields = { "userId" }, defaultValue = 1 }))
    assert.are.equal("foo is invalid.", msg({ type = "foo", fields = { "userId" } }))
    assert.are.equal("Constraint type must be specified through options.type", msg({ fields = { "userId" } }))
    assert.are.equal("Fields must be specified through options.fields", msg({ type = "check" }))
    assert.are.equal("references object with table and field must be specified",
      msg({ type = "foreign key", fields = { "userId" } }))
    assert.truthy(msg({ type = "foreign key", fields = { "userId" }, references = { table = "Users", field = "id" },
      onDelete = "cascade; DROP TABLE Users" }):find("onDelete must be one of", 1, true))
    assert.truthy(msg({ type = "check", fields = { "title" } }):find("needs a where", 1, true))
    local before = stored_sql(db, "Posts")
    qi:bulkInsert("Posts", { { title = "t3", userId = 9 } })
    local ok, err = pcall(qi.addConstraint, qi, "Posts", { fields = { "userId" }, type = "foreign key",
      references = { table = "Users", field = "id" } })
    assert.is_false(ok)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    ok, err = pcall(qi.addConstraint, qi, "Posts", { fields = { "title" }, type = "check", where = { title = "t1" } })
    assert.is_false(ok)
    assert.truthy(err.message:find("CHECK constraint failed", 1, true), err.message)
    assert.are.equal(before, stored_sql(db, "Posts"))
    assert.are.same({ { name = "Posts" }, { name = "Users" }, { name = "posts_title" }, { name = "sqlite_sequence" } },
      rows(db, "SELECT name FROM sqlite_master ORDER BY name"))
    assert.are.equal(3, #rows(db, "SELECT * FROM Posts"))
    -- a name that is neither an index nor a table constraint
    ok, err = pcall(qi.removeConstraint, qi, "Posts", "Posts_title_ck")
    assert.is_false(ok)
    assert.are.equal("SequelizeUnknownConstraintError", err.name)
    db:close()
  end)
end)

describe("what the migration methods return", function()
  it("is Sequelize's: the DDL query's result for createTable, addColumn, addIndex, removeIndex, renameTable", function()
    -- Sequelize 6.37.8 (sqlite): createTable (also of a table that is there), addColumn, addIndex,
    -- removeIndex (also of an index that is not there) and renameTable resolve to the raw query's
    -- [[], Statement {}] (JSON [[],{}]); removeColumn, changeColumn, renameColumn, addConstraint,
    -- removeConstraint, dropTable and dropAllTables to undefined. (db:query's two values for DDL:
    -- an empty list and {}.)
    local db = support.open()
    local qi = db:getQueryInterface()
    local function two(...)
      local r = table.pack(...)
      assert.are.equal(2, r.n)
      assert.are.equal("[]", Sequelize.stringify(r[1]))
      assert.are.same({}, r[2])
    end
    local function none(...) assert.are.equal(0, select("#", ...)) end
    two(qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true }, a = DataTypes.STRING,
                              b = DataTypes.INTEGER }))
    two(qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true } }))
    two(qi:addColumn("T", "c", DataTypes.STRING))
    none(qi:removeColumn("T", "c"))
    none(qi:changeColumn("T", "b", DataTypes.TEXT))
    none(qi:renameColumn("T", "b", "bb"))
    two(qi:addIndex("T", { "a" }))
    two(qi:addIndex("T", { fields = { "bb" }, unique = true, name = "u1" }))
    two(qi:removeIndex("T", "t_a"))
    two(qi:removeIndex("T", "nope"))
    two(qi:renameTable("T", "T2"))
    none(qi:addConstraint("T2", { type = "unique", fields = { "a" } }))
    none(qi:removeConstraint("T2", "T2_a_uk"))
    none(qi:addConstraint("T2", { type = "check", fields = { "a" }, where = { a = { [Sequelize.Op.ne] = "" } } }))
    none(qi:removeConstraint("T2", "T2_a_ck"))
    none(qi:dropTable("T2"))
    none(qi:dropTable("T2"))
    none(qi:dropAllTables())
    db:close()
  end)
end)

describe("queryInterface writes to a DATETIME column", function()
  it("store a date (ISO string, seconds) as the model stores it, so the model's queries find it", function()
    -- Sequelize: qi.bulkInsert('Events', [{ at: new Date('2020-01-01T10:00:00.000Z') }]) stores
    -- '2020-01-01 10:00:00.000 +00:00'; a Lua Date is an ISO string or os.time()
    local db = support.open()
    local qi = db:getQueryInterface()
    local Ev = db:define("Event", { name = DataTypes.STRING, at = DataTypes.DATE }, { timestamps = false })
    db:sync()
    db:transaction(function(t)
      qi:bulkInsert("Events", { { name = "a", at = "2020-01-01T10:00:00.000Z" }, { name = "n", at = 1577880000 } },
        { transaction = t, ignoreDuplicates = true })
    end)
    qi:bulkInsert("Events", { { name = "s", at = "not a date" } }) -- (no date: stored as given)
    Ev:create{ name = "c", at = "2020-01-01T11:00:00.000Z" }
    assert.same({ { name = "a", at = "2020-01-01 10:00:00.000 +00:00" }, { name = "n", at = "2020-01-01 12:00:00.000 +00:00" },
                  { name = "s", at = "not a date" }, { name = "c", at = "2020-01-01 11:00:00.000 +00:00" } },
      db:query("SELECT name, at FROM Events ORDER BY id", { type = "SELECT" }))
    assert.equal(1, #Ev:findAll{ where = { at = "2020-01-01T10:00:00.000Z" } })
    assert.equal("2020-01-01T12:00:00.000Z", Ev:findOne{ where = { name = "n" } }.at)
    qi:bulkUpdate("Events", { at = "2021-06-01T00:00:00Z" }, { name = "a" })
    assert.equal("2021-06-01 00:00:00.000 +00:00", db:query("SELECT at FROM Events WHERE name = 'a'", { type = "SELECT" })[1].at)
    qi:bulkUpdate("Events", { name = "2020-01-01T10:00:00.000Z" }, { name = "s" }) -- (a STRING column: as given)
    assert.equal(1, #Ev:findAll{ where = { name = "2020-01-01T10:00:00.000Z" } })
  end)
end)

describe("queryInterface's where on a DATETIME column", function()
  it("compares a date in the stored form, as Sequelize formats a Date there", function()
    -- Sequelize 6.37.8 (the dates new Date(...)):
    --   qi.select(null, 'T', { where: { d: new Date('2020-01-02T00:00:00Z') } }) -> [{ id: 2, ... }]
    --   ... { d: { [Op.lte]: new Date('2020-01-02T00:00:00Z') } } -> ids 1, 2
    --   qi.bulkUpdate('T', { email: 'x' }, { d: { [Op.in]: [day 3, day 4] } }) -> 2
    --   qi.bulkDelete('T', { d: { [Op.lt]: day 3 } }): DELETE ... WHERE `d` < '2020-01-03 00:00:00.000 +00:00'
    --     -> rows 3, 4 left, email 'x'
    --   qi.addIndex('T', { fields: ['email'], where: { d: { [Op.lt]: new Date('2020-01-01T00:00:00Z') } }, name: 'i7' })
    --     -> CREATE INDEX `i7` ON `T` (`email`) WHERE `d` < '2020-01-01 00:00:00.000 +00:00'
    local db = support.open()
    local qi = db:getQueryInterface()
    local Op = Sequelize.Op
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true }, d = DataTypes.DATE, email = DataTypes.STRING })
    local recs = {}
    for i = 1, 4 do recs[i] = { id = i, d = ("2020-01-%02dT00:00:00Z"):format(i) } end
    qi:bulkInsert("T", recs)
    local function ids(list) local o = {} for i, r in ipairs(list) do o[i] = r.id end table.sort(o) return o end
    assert.same({ 2 }, ids(qi:select(nil, "T", { where = { d = "2020-01-02T00:00:00Z" } })))
    assert.same({ 1, 2 }, ids(qi:select(nil, "T", { where = { d = { [Op.lte] = "2020-01-02T00:00:00.000Z" } } })))
    assert.same({ 1, 2 }, ids(qi:select(nil, "T", { where = { d = { [Op.lte] = 1577923200 } } }))) -- (seconds: day 2)
    assert.equal("2020-01-02 00:00:00.000 +00:00", qi:select(nil, "T", { where = { id = 2 } })[1].d) -- (read as stored)
    assert.equal(2, qi:bulkUpdate("T", { email = "x" },
      { d = { [Op["in"]] = { "2020-01-03T00:00:00Z", "2020-01-04T00:00:00Z" } } }))
    local _, meta = qi:bulkDelete("T", { d = { [Op.lt] = "2020-01-03T00:00:00.000Z" } })
    assert.equal(2, meta.changes)
    assert.same({ { id = 3, email = "x" }, { id = 4, email = "x" } }, rows(db, "SELECT id, email FROM T ORDER BY id"))
    qi:addIndex("T", { fields = { "email" }, where = { d = { [Op.lt] = "2020-01-01T00:00:00Z" } }, name = "i7" })
    assert.equal("CREATE INDEX `i7` ON `T` (`email`) WHERE `d` < '2020-01-01 00:00:00.000 +00:00'",
      rows(db, "SELECT sql FROM sqlite_master WHERE name = 'i7'")[1].sql)
    -- (a string that is no date is compared as given)
    assert.same({}, qi:select(nil, "T", { where = { d = "soon" } }))
    db:close()
  end)
end)

describe("queryInterface with a table given as { tableName, schema }", function()
  it("works on the one table `schema.tableName`, as Sequelize's sqlite dialect names it", function()
    -- Sequelize 6.37.8: qi.createTable({ tableName: 'users', schema: 'archive' }, ...) ->
    -- CREATE TABLE IF NOT EXISTS `archive.users` (...); bulkInsert / bulkUpdate / select /
    -- bulkDelete / addColumn / changeColumn / dropTable act on `archive.users`; addIndex(T, ['n'])
    -- -> CREATE INDEX `users_n` ON `archive.users` (`n`); { ..., delimiter: '_' } -> `archive_users`;
    -- references: { model: T } -> REFERENCES `archive.users` (`id`);
    -- renameTable('c', { tableName: 'c2', schema: 's' }) -> ALTER TABLE `c` RENAME TO `s.c2`;
    -- at the end showAllTables() is ['users', 'archive_users', 's.c2'] and users keeps its row
    local db = support.open()
    local qi = db:getQueryInterface()
    local log = {}
    qi:createTable("users", { id = { type = DataTypes.INTEGER, primaryKey = true }, n = DataTypes.STRING })
    qi:bulkInsert("users", { { id = 1, n = "keep me" } })
    local T = { tableName = "users", schema = "archive" }
    qi:createTable(T, { id = { type = DataTypes.INTEGER, primaryKey = true }, n = DataTypes.STRING },
      { logging = function(s) log[#log + 1] = s end })
    assert.same({ "CREATE TABLE IF NOT EXISTS `archive.users` (`id` INTEGER PRIMARY KEY, `n` VARCHAR(255));" }, sqls(log))
    qi:createTable({ tableName = "users", schema = "archive", delimiter = "_" }, { id = { type = DataTypes.INTEGER, primaryKey = true } })
    assert.equal(2, qi:bulkInsert(T, { { id = 1, n = "a" }, { id = 2, n = "b" } }))
    assert.equal(1, qi:bulkUpdate(T, { n = "c" }, { id = 1 }))
    assert.same({ { id = 1, n = "c" } }, qi:select(nil, T, { where = { id = 1 } }))
    assert.equal("c", qi:rawSelect(T, { where = { id = 1 } }, "n"))
    local _, meta = qi:bulkDelete(T, { id = 2 })
    assert.equal(1, meta.changes)
    qi:addColumn(T, "x", DataTypes.STRING)
    qi:changeColumn(T, "x", DataTypes.INTEGER)
    assert.equal("INTEGER", qi:describeTable(T).x.type)
    assert.is_true(qi:tableExists(T))
    log = {}
    qi:addIndex(T, { "n" }, { logging = function(s) log[#log + 1] = s end })
    assert.same({ "CREATE INDEX `users_n` ON `archive.users` (`n`)" }, sqls(log))
    assert.equal("users_n", qi:showIndex(T)[1].name)
    qi:removeIndex(T, { "n" })
    assert.same({}, qi:showIndex(T))
    qi:createTable("c", { id = { type = DataTypes.INTEGER, primaryKey = true },
                          u = { type = DataTypes.INTEGER, references = { model = T, key = "id" } } })
    assert.equal("archive.users", qi:getForeignKeyReferencesForTable("c")[1].referencedTableName)
    qi:renameTable("c", { tableName = "c2", schema = "s" })
    qi:dropTable(T)
    assert.same({ "users", "archive_users", "s.c2" }, qi:showAllTables())
    assert.same({ { id = 1, n = "keep me" } }, rows(db, "SELECT * FROM users"))
    -- (the table a model with schema = 'archive' uses, in both)
    qi:createTable(T, { id = { type = DataTypes.INTEGER, primaryKey = true }, n = DataTypes.STRING })
    qi:bulkInsert(T, { { id = 7, n = "z" } })
    local A = db:define("Archived", { n = DataTypes.STRING }, { tableName = "users", schema = "archive", timestamps = false })
    assert.equal("z", A:findByPk(7).n)
    db:close()
  end)
end)

describe("queryInterface bulkInsert / bulkUpdate with Sequelize's attributes argument", function()
  it("write a JSON-typed column's value as its JSON text", function()
    -- Sequelize 6.37.8 (the types DataTypes.JSON() / DATE() instances):
    --   qi.bulkInsert('T', [{ id: 1, meta: { a: 1 } }], {}, { meta: { type: JSON } }) -> VALUES (1,'{"a":1}') -> 1
    --   ... [{ id: 2, meta: 'x', s: 'y' }], {}, { meta: { type: JSON }, s: { type: STRING } } -> VALUES (2,'"x"','y')
    --   ... [{ id: 5, d: '2020-01-01T10:00:00Z', meta: 5 }], {}, { d: { type: DATE }, meta: { type: JSON } }
    --       -> VALUES (5,'2020-01-01 10:00:00.000 +00:00','5')
    --   qi.bulkUpdate('T', { meta: { b: 2 } }, { id: 1 }, {}, { meta: { type: JSON } }) -> 1
    --   rows: { id: 1, meta: '{"b":2}' }, { id: 2, meta: '"x"', s: 'y' }, { id: 5, meta: 5, d: '2020-01-01 10:00:00.000 +00:00' }
    --   (without the argument, or a STRING type for it, an object value fails: Invalid value { a: 1 })
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true }, meta = DataTypes.JSON, s = DataTypes.STRING,
                          d = DataTypes.STRING })
    assert.equal(1, qi:bulkInsert("T", { { id = 1, meta = { a = 1 } } }, {}, { meta = { type = DataTypes.JSON } }))
    assert.equal(2, qi:bulkInsert("T", { { id = 2, meta = "x", s = "y" } }, {},
      { meta = { type = DataTypes.JSON }, s = { type = DataTypes.STRING } }))
    assert.equal(5, qi:bulkInsert("T", { { id = 5, d = "2020-01-01T10:00:00Z", meta = 5 } }, {},
      { d = { type = DataTypes.DATE }, meta = { type = DataTypes.JSON } }))
    assert.equal(1, qi:bulkUpdate("T", { meta = { b = 2 } }, { id = 1 }, {}, { meta = { type = DataTypes.JSON } }))
    assert.same({ { id = 1, meta = '{"b":2}', s = NULL, d = NULL }, { id = 2, meta = '"x"', s = "y", d = NULL },
                  { id = 5, meta = 5, s = NULL, d = "2020-01-01 10:00:00.000 +00:00" } },
      db:query("SELECT id, meta, s, d FROM T ORDER BY id", { type = "SELECT", logging = false }))
    local ok, err = pcall(qi.bulkInsert, qi, "T", { { id = 6, meta = { a = 1 } } }, {}, { meta = { type = DataTypes.STRING } })
    assert.is_false(ok)
    assert.equal("bulkInsert: T.meta: expected a string, number, boolean or Sequelize.null, got table", err.message)
    db:close()
  end)
end)

describe("queryInterface column options of other dialects", function()
  it("after, first (MySQL) and autoIncrementIdentity (Postgres) are accepted and ignored, as Sequelize's sqlite does", function()
    -- Sequelize 6.37.8: createTable('T', { id: { ..., autoIncrementIdentity: true }, name: { type: STRING, first: true } })
    -- -> CREATE TABLE IF NOT EXISTS `T` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255));
    -- addColumn('T', 'c1', { type: STRING, after: 'name' }) -> ALTER TABLE `T` ADD `c1` VARCHAR(255);
    -- addColumn('T', 'c2', { type: STRING, first: true }) -> ALTER TABLE `T` ADD `c2` VARCHAR(255);
    -- changeColumn('T', 'c2', { type: TEXT, after: 'id' }) -> `c2` TEXT, last
    local db = support.open()
    local qi = db:getQueryInterface()
    local log = {}
    local o = { logging = function(s) log[#log + 1] = s end }
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, autoIncrementIdentity = true },
                          name = { type = DataTypes.STRING, first = true } }, o)
    qi:addColumn("T", "c1", { type = DataTypes.STRING, after = "name" }, o)
    qi:addColumn("T", "c2", { type = DataTypes.STRING, first = true }, o)
    assert.same({ "CREATE TABLE IF NOT EXISTS `T` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255));",
                  "ALTER TABLE `T` ADD `c1` VARCHAR(255);", "ALTER TABLE `T` ADD `c2` VARCHAR(255);" }, writes(log))
    qi:changeColumn("T", "c2", { type = DataTypes.TEXT, after = "id" })
    assert.equal("(`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `c1` VARCHAR(255), `c2` TEXT)", body(stored_sql(db, "T")))
    db:close()
  end)
end)

describe("queryInterface databaseVersion, quoteIdentifier(s), getForeignKeysForTables, showAllSchemas, dropAllSchemas", function()
  it("answer as Sequelize 6.37.8's sqlite dialect does", function()
    -- Sequelize: getForeignKeysForTables(['C', 'P']) -> { C: [], P: [] } (PRAGMA foreign_key_list rows
    -- name no constraint); databaseVersion() and sequelize.databaseVersion() a string (SELECT
    -- sqlite_version() as `version`); quoteIdentifier('a`b') -> '`ab`', quoteIdentifiers('a.b') ->
    -- '`a`.`b`'; showAllSchemas() -> [{ name: 'P' }, { name: 'C' }]; dropAllSchemas() drops the
    -- defined models' tables (sequelize.drop)
    local db = support.open()
    local qi = db:getQueryInterface()
    local log = {}
    qi:createTable("P", { id = { type = DataTypes.INTEGER, primaryKey = true } })
    qi:createTable("C", { id = { type = DataTypes.INTEGER, primaryKey = true },
                          pId = { type = DataTypes.INTEGER, references = { model = "P", key = "id" } } })
    assert.same({ C = {}, P = {} }, qi:getForeignKeysForTables({ "C", "P" }))
    local v = qi:databaseVersion({ logging = function(sql) log[#log + 1] = sql end })
    assert.same({ "SELECT sqlite_version() as `version`" }, sqls(log))
    assert.truthy(v:match("^3%.%d+%.%d+"), v)
    assert.equal(v, db:databaseVersion())
    assert.equal("`ab`", qi:quoteIdentifier("a`b"))
    assert.equal("`a`.`b`", qi:quoteIdentifiers("a.b"))
    assert.equal("`a->b`.`c`", qi:quoteIdentifiers("a.b.c")) -- (Sequelize 6.37.8: `a->b`.`c`)
    assert.same({ { name = "P" }, { name = "C" } }, qi:showAllSchemas())
    db:define("M", { a = DataTypes.STRING })
    db:sync()
    qi:dropAllSchemas()
    assert.same({ "P", "C" }, qi:showAllTables())
    db:close()
  end)
end)

describe("queryInterface writes to a BLOB column", function()
  it("bind a string as a blob, as the model binds it, so the model's where finds the row", function()
    -- Sequelize 6.37.8 (the values Buffers, Lua's bytes): qi.bulkInsert('Ts', [{ bl, s: 'q', tb }, { bl: 5, s: 'n' }])
    -- then T.findAll({ where: { bl } }) -> ['q'] (TINYBLOB tb too); after qi.bulkUpdate('Ts', { bl: up }, { s: 'q' })
    -- -> ['q']; typeof(bl) blob, blob / integer, null; qi.select(null, 'Ts', { where: { bl: up } }) 1 row
    local db = support.open()
    local qi = db:getQueryInterface()
    local T = db:define("T", { bl = DataTypes.BLOB, s = DataTypes.STRING, tb = DataTypes.BLOB("tiny") }, { timestamps = false })
    db:sync()
    local function names(l) local r = {} for i, x in ipairs(l) do r[i] = x.s end return r end
    qi:bulkInsert("Ts", { { bl = "qi", s = "q", tb = "t" }, { bl = 5, s = "n" } })
    assert.same({ "q" }, names(T:findAll({ where = { bl = "qi" } })))
    assert.same({ "q" }, names(T:findAll({ where = { tb = "t" } })))
    qi:bulkUpdate("Ts", { bl = "up" }, { s = "q" })
    assert.same({ "q" }, names(T:findAll({ where = { bl = "up" } })))
    assert.same({ { t = "blob", tt = "blob" }, { t = "integer", tt = "null" } },
      db:query("SELECT typeof(bl) AS t, typeof(tb) AS tt FROM Ts ORDER BY id", { type = "SELECT" }))
    assert.equal(1, #qi:select(nil, "Ts", { where = { bl = "up" } }))
    qi:bulkUpdate("Ts", { bl = 7 }, { s = "n" }) -- (a number: as the driver binds it)
    assert.same({ { t = "integer" } }, db:query("SELECT typeof(bl) AS t FROM Ts WHERE s = 'n'", { type = "SELECT" }))
    -- (rows over the bound-value limit, in several INSERTs, and a row with an expression too)
    local _, per = require("sequelua.core").qi_insert(db._db, "Ts", { "bl", "s" }, 1)
    local recs = {}
    for i = 1, per + 3 do recs[i] = { bl = "b" .. i, s = "m" } end
    qi:bulkInsert("Ts", recs)
    assert.equal(1, #T:findAll({ where = { bl = "b" .. (per + 2) } }))
    qi:bulkInsert("Ts", { { bl = "x", s = Sequelize.fn("upper", "e") } })
    assert.same({ "E" }, names(T:findAll({ where = { bl = "x" } })))
  end)
end)

describe("a model's attributes given to createTable or define again", function()
  it("are taken as Sequelize takes rawAttributes (their types DataTypes values, their extra keys ignored)", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    local U = db:define("User", { firstName = { type = DataTypes.STRING(40), field = "first_name" },
                                  e = DataTypes.ENUM("a", "b"), d = DataTypes.DECIMAL(10, 2) })
    assert.is_true(DataTypes.is_type(U.rawAttributes.id.type))
    -- Sequelize 6.37.8: String(U.rawAttributes.firstName.type) is 'VARCHAR(40)'
    assert.equal("VARCHAR(40)", tostring(U.rawAttributes.firstName.type))
    qi:createTable(U.tableName, U:getAttributes())
    local d = qi:describeTable("Users")
    assert.same({ "VARCHAR(40)", "DECIMAL(10,2)", "DATETIME" }, { d.first_name.type, d.d.type, d.createdAt.type })
    U:create{ firstName = "a", e = "a" }
    assert.equal("a", U:findOne().firstName)
    local V = db:define("V", U.rawAttributes)
    db:sync()
    assert.equal("b", V:create{ firstName = "b", e = "b" }.firstName)
    assert.equal("SequelizeValidationError", support.catch_message(function() V:create{ e = "zz" } end).name)
  end)

  it("createTable skips a VIRTUAL attribute (it has no column); addColumn refuses one", function()
    -- Sequelize 6.37.8: queryInterface.createTable('X', U.getAttributes()) writes
    -- CREATE TABLE IF NOT EXISTS `X` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` VARCHAR(255), `v` VIRTUAL)
    -- (a column typed VIRTUAL); here the table has no column for it
    local db = support.open()
    local qi = db:getQueryInterface()
    local U = db:define("U", { a = DataTypes.STRING, v = DataTypes.VIRTUAL }, { timestamps = false })
    qi:createTable("X", U:getAttributes())
    assert.same({ "a", "id" }, (function()
      local names = {}
      for k in pairs(qi:describeTable("X")) do names[#names + 1] = k end
      table.sort(names)
      return names
    end)())
    assert.equal("addColumn: X.v: a VIRTUAL attribute has no column",
      support.catch_message(function() qi:addColumn("X", "v", DataTypes.VIRTUAL) end).message)
  end)

  it("keep the definition's validate, get / set, comment and NOW / UUIDV4 defaults (Sequelize's do)", function()
    local db = support.open()
    local User = db:define("User", {
      email = { type = DataTypes.STRING, validate = { isEmail = true } },
      joined = { type = DataTypes.DATE, defaultValue = DataTypes.NOW },
      code = { type = DataTypes.UUID, defaultValue = DataTypes.UUIDV4 },
      name = { type = DataTypes.STRING, set = function(self, v) self:setDataValue("name", v:lower()) end },
    }, { timestamps = false })
    assert.same({ isEmail = true }, User.rawAttributes.email.validate)
    assert.equal(DataTypes.NOW, User.rawAttributes.joined.defaultValue)
    assert.equal("function", type(User.rawAttributes.name.set))
    local Archive = db:define("UserArchive", User:getAttributes(), { timestamps = false })
    db:sync()
    assert.equal("Validation error: Validation isEmail on email failed",
      support.catch_message(function() Archive:create({ email = "not-an-email", name = "BOB" }) end).message)
    local a = Archive:create({ email = "a@b.co", name = "BOB" })
    assert.same({ "bob", true, true }, { a.name, a.joined ~= nil, a.code ~= nil })
  end)
end)

describe("queryInterface tableExists, rawSelect and select options", function()
  it("answer as Sequelize 6.37.8 does", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true }, n = DataTypes.STRING })
    qi:bulkInsert("T", { { id = 1, n = "12.7abc" }, { id = 2, n = "b" } })
    -- Sequelize: true false / [{"n":"12.7abc"},{"n":"b"}] / 12.7abc 12.7abc b
    assert.same({ true, false }, { qi:tableExists("T"), qi:tableExists("Nope") })
    assert.equal('[{"n":"12.7abc"},{"n":"b"}]',
      Sequelize.stringify(qi:rawSelect("T", { plain = false, attributes = { "n" }, order = { { "id" } } }, "n")))
    assert.same({ "12.7abc", "12.7abc", "b" }, {
      qi:rawSelect("T", { dataType = DataTypes.INTEGER, where = { id = 1 } }, "n"),
      qi:rawSelect("T", { dataType = DataTypes.FLOAT, where = { id = 1 } }, "n"),
      qi:rawSelect("T", { where = { id = 2 } }, "n") })
    assert.same({ id = 1, n = "12.7abc" }, qi:select(nil, "T", { plain = true }))
    assert.is_nil(qi:select(nil, "T", { plain = true, where = { id = 9 } }))
    assert.equal(2, #qi:select(nil, "T", { plain = false }))
    -- Sequelize: qi.select(null, 'T') (no options) -> the 2 rows; here it was a Lua error from pairs(nil)
    assert.equal(2, #qi:select(nil, "T"))
    assert.equal("select: options must be a table", support.catch_message(function() qi:select(nil, "T", "x") end).message)
  end)
end)

describe("queryInterface select with having and a literal's replacements or bind", function()
  it("reads them as Sequelize's qi.select hands them to sequelize.query", function()
    local Op = Sequelize.Op
    local db = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true }, n = DataTypes.STRING,
                          a = DataTypes.INTEGER })
    qi:bulkInsert("T", { { n = "a", a = 1 }, { n = "a", a = 2 }, { n = "b", a = 5 }, { n = "c", a = 7 }, { n = "c", a = 9 } })
    local lit = Sequelize.literal
    local function names(rows) local t = {} for i, r in ipairs(rows) do t[i] = r.n end return t end
    -- Sequelize 6.37.8: [{"name":"c"}] / a, c / c
    assert.same({ "c" }, names(qi:select(nil, "T", { attributes = { "n" }, where = lit("a > :a"), group = { "n" },
      having = lit("count(*) > :n"), replacements = { n = 1, a = 1 }, order = { { "n" } } })))
    assert.same({ "a", "c" }, names(qi:select(nil, "T", { attributes = { "n" }, group = { "n" },
      having = lit("count(*) > $n"), bind = { n = 1 }, order = { { "n" } } })))
    assert.same({ "c" }, names(qi:select(nil, "T", { attributes = { "n" }, where = { a = { [Op.gt] = 1 } }, group = { "n" },
      having = lit("count(*) > ?"), replacements = { 1 } })))
  end)
end)

describe("queryInterface where = Sequelize.null", function()
  -- Sequelize 6.37.8: qi.bulkDelete('t', null, {}) -> DELETE FROM `t` (a seeder's down); bulkUpdate('t',
  -- { a: 2 }, null) -> UPDATE `t` SET `a`=$1, 1; select(null, 't', { where: null }) -> SELECT * FROM `t`;
  -- rawSelect('t', { where: null }, 'a') -> 2; increment(null, 't', null, { a: 1 }, {}, {}) -> [null, 1];
  -- update(null, 't', v, null) and delete(null, 't', null) -> TypeError (reading 'constructor')
  it("is every row for bulkDelete, bulkUpdate, select, rawSelect and increment; update and delete raise", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("t", { a = DataTypes.INTEGER })
    qi:bulkInsert("t", { { a = 1 } })
    assert.equal(1, qi:bulkUpdate("t", { a = 2 }, NULL))
    assert.same({ { a = 2 } }, qi:select(nil, "t", { where = NULL, order = NULL }))
    assert.equal(2, qi:rawSelect("t", { where = NULL }, "a"))
    local _, n = qi:increment(nil, "t", NULL, { a = 1 }, {})
    assert.equal(1, n)
    assert.equal(3, qi:rawSelect("t", {}, "a"))
    support.catch_message(function() qi:update(nil, "t", { a = 5 }, NULL) end)
    support.catch_message(function() qi:delete(nil, "t", NULL) end)
    assert.equal(3, qi:rawSelect("t", {}, "a"))
    support.clear(log)
    local rows, meta = qi:bulkDelete("t", NULL, {})
    assert.same({}, rows)
    assert.equal(1, meta.changes)
    assert.same({ "DELETE FROM `t`;" }, support.statements(log, "DELETE"))
    assert.equal(0, #qi:select(nil, "t", {}))
    db:close()
  end)
end)

describe("queryInterface bulkUpdate, bulkDelete and select with a model of attributes whose columns differ", function()
  -- Sequelize 6.37.8, E = define('Email', { addr: { field: 'e_addr' }, cnt: { field: 'e_cnt' } }):
  -- qi.bulkUpdate('emails', { e_cnt: 9 }, { e_addr: 'a' }, { model: E }) -> 1 (the names the table's columns);
  -- qi.bulkDelete('emails', { e_addr: 'b' }, { model: E }) deletes the row;
  -- qi.select(E, 'emails', { where: { e_addr: 'a' }, raw: true }) -> [{"id":1,"e_addr":"a","e_cnt":9}]
  -- (here each refused the option: "the option 'model' / 'raw' is not supported")
  it("take the model option and raw = true as Sequelize does", function()
    local db = support.open()
    local qi = db:getQueryInterface()
    local E = db:define("Email", { addr = { type = DataTypes.STRING, field = "e_addr" },
      cnt = { type = DataTypes.INTEGER, field = "e_cnt" } }, { underscored = true, timestamps = false })
    db:sync()
    E:bulkCreate({ { addr = "a", cnt = 1 }, { addr = "b", cnt = 2 } })
    assert.equal(1, qi:bulkUpdate("emails", { e_cnt = 9 }, { e_addr = "a" }, { model = E }))
    local _, meta = qi:bulkDelete("emails", { e_addr = "b" }, { model = E })
    assert.equal(1, meta.changes)
    local sel = qi:select(E, "emails", { where = { e_addr = "a" }, raw = true })
    assert.same({ { id = 1, e_addr = "a", e_cnt = 9 } }, sel)
    assert.is_nil(getmetatable(sel[1]))
    assert.same({ id = 1, e_addr = "a", e_cnt = 9 }, qi:select(E, "emails", { raw = true, plain = true }))
    assert.equal(9, qi:select(E, "emails", { raw = false })[1].cnt) -- (raw = false: the instances)
    -- the names stay the table's columns, as in Sequelize (SQLITE_ERROR: no such column: cnt)
    assert.equal("bulkUpdate: emails.cnt: no such column",
      support.catch_message(function() qi:bulkUpdate("emails", { cnt = 1 }, {}, { model = E }) end).message)
    assert.equal("bulkUpdate: emails: options.model must be a model (from db:define)",
      support.catch_message(function() qi:bulkUpdate("emails", { e_cnt = 1 }, {}, { model = "Email" }) end).message)
    assert.equal("bulkDelete: emails: options.model must be a model (from db:define)",
      support.catch_message(function() qi:bulkDelete("emails", {}, { model = {} }) end).message)
    assert.equal("select: emails: options.raw must be a boolean, got number",
      support.catch_message(function() qi:select(E, "emails", { raw = 1 }) end).message)
    assert.equal(1, E:count())
  end)
end)

describe("queryInterface bulkInsert with SQL values", function()
  it("writes Sequelize.literal / fn values into the INSERT (Sequelize: VALUES (1,'x',CURRENT_TIMESTAMP))", function()
    local db, log = support.open()
    local qi = db:getQueryInterface()
    qi:createTable("T", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                          n = DataTypes.STRING, at = DataTypes.DATE })
    assert.equal(2, qi:bulkInsert("T", { { n = "x", at = Sequelize.literal("CURRENT_TIMESTAMP") },
                                         { n = "y", at = "2020-01-01T00:00:00Z" } }))
    assert.equal(7, qi:bulkInsert("T", { { id = 7, n = Sequelize.fn("lower", "ABC") } }))
    local rows = db:query("SELECT id, n, at IS NOT NULL AS has, at FROM T ORDER BY id", { type = "SELECT" })
    assert.same({ 1, "x", 1 }, { rows[1].id, rows[1].n, rows[1].has })
    assert.same({ 2, "y", "2020-01-01 00:00:00.000 +00:00" }, { rows[2].id, rows[2].n, rows[2].at })
    assert.same({ 7, "abc", 0 }, { rows[3].id, rows[3].n, rows[3].has })
    assert.equal("bulkInsert: T.nope: no such column",
      support.catch_message(function() qi:bulkInsert("T", { { nope = Sequelize.literal("1") } }) end).message)
    assert.equal("SequelizeUniqueConstraintError",
      support.catch_message(function() qi:bulkInsert("T", { { id = 7, n = Sequelize.literal("'d'") } }) end).name)
    assert.equal(3, db:query("SELECT count(*) AS c FROM T", { type = "SELECT" })[1].c)
    local found
    for _, m in ipairs(log) do if support.sql_of(m):find("lower(?)", 1, true) then found = true end end
    assert.is_true(found)
  end)
end)

describe("queryInterface insert, upsert, update, delete, increment, decrement, showConstraint, createSchema, dropSchema", function()
  -- Sequelize 6.37.8 (sqlite), after createTable('Users', { id: INTEGER PK AUTOINCREMENT, name: STRING UNIQUE, age: INTEGER }):
  --   qi.insert(null, 'Users', { name: 'z', age: 9 }, {})            -> [1, 1]
  --   qi.insert(null, 'Users', { id: 10, name: 'x' })                 -> [10, 1]
  --   qi.insert(u, 'Users', { name: 'a', age: 1 }, {}) (u = U.build) -> [u, 1], u.id 1, u.isNewRecord false
  --   qi.update(u, 'Users', { age: 5 }, { id: 1 }, {})                -> [u, 1]; { id: 99 } -> [u, 0]
  --   qi.increment(null, 'Users', { id: 1 }, { age: 10 }, {}, {})     -> [null, 1]  UPDATE `Users` SET `age`=`age`+ 10 WHERE `id` = 1
  --   qi.increment(null, 'Users', { id: { [Op.gt]: 0 } }, { age: 2 }, { name: 'q' }, {})
  --                                                 UPDATE `Users` SET `age`=`age`+ 2,`name`='q' WHERE `id` > 0
  --   qi.decrement(null, 'Users', { id: 2 }, { age: 3 }, {}, {})      -> [null, 1]  `age`=`age`- 3
  --   qi.upsert('Users', { id: 20, name: 'new', age: 1 }, { name: 'new', age: 1 }, { id: 20 }, { model: U })
  --     -> [[{ id: 20 }], null]  INSERT ... ON CONFLICT (`name`) DO UPDATE SET `name`=EXCLUDED.`name`,`age`=EXCLUDED.`age`
  --   qi.upsert('Users', { name: 'new', age: 7 }, { age: 7 }, { name: 'new' }, { conflictFields: ['name'], model: U })
  --     ON CONFLICT (`name`) DO UPDATE SET `age`=EXCLUDED.`age`
  --   qi.delete(u, 'Users', { id: 20 }, {})                           -> []
  --   qi.showConstraint('Users') -> []; createSchema('s') -> [[{ name: 'Users' }], statement] (a select);
  --   dropSchema('s') -> DROP TABLE IF EXISTS `s`; (a table `s` is dropped)
  local db, log, qi, U
  before_each(function()
    db, log = support.open()
    qi = db:getQueryInterface()
    U = db:define("User", { name = { type = DataTypes.STRING, unique = true }, age = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    support.clear(log)
  end)
  after_each(function() db:close() end)

  it("insert and update: the last id and the changes; an instance given comes back saved", function()
    assert.are.same({ 1, 1 }, { qi:insert(nil, "Users", { name = "z", age = 9 }, {}) })
    assert.are.same({ 10, 1 }, { qi:insert(nil, "Users", { id = 10, name = "x" }) })
    local u = U:build({ name = "a", age = 1 })
    local got, n = qi:insert(u, "Users", { name = "a", age = 1 }, {})
    assert.are.equal(u, got)
    assert.are.same({ 1, 11, false }, { n, u.id, u.isNewRecord })
    got, n = qi:update(u, "Users", { age = 5 }, { id = 11 }, {})
    assert.are.same({ true, 1 }, { got == u, n })
    assert.are.same({ nil, 0 }, { qi:update(nil, "Users", { age = 5 }, { id = 99 }) })
    assert.are.same({ { id = 11, age = 5 } }, rows(db, "SELECT id, age FROM Users WHERE name = 'a'"))
    local err = support.catch_error(function() qi:insert(nil, "Users", { id = 10, name = "w" }) end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    -- (Sequelize: SequelizeDatabaseError SQLITE_ERROR: table Users has no column named nope)
    err = support.catch_error(function() qi:insert(nil, "Users", { nope = 1 }) end)
    assert.are.same({ "SequelizeDatabaseError", "table Users has no column named nope" }, { err.name, err.message })
    assert.are.equal(3, #rows(db, "SELECT * FROM Users"))
    -- (a bad argument's error names the method called, not the bulk one under it)
    assert.are.equal("update: Users.nope: no such column",
      support.catch_message(function() qi:update(nil, "Users", { nope = 1 }, { id = 1 }) end).message)
    assert.are.equal("delete: Users: where must be a table",
      support.catch_message(function() qi:delete(nil, "Users", 5) end).message)
  end)

  it("increment and decrement: nil and the changes; extra attributes are set", function()
    qi:bulkInsert("Users", { { id = 1, name = "a", age = 1 }, { id = 2, name = "b", age = 2 } })
    support.clear(log)
    assert.are.same({ nil, 1 }, { qi:increment(nil, "Users", { id = 1 }, { age = 10 }, {}, {}) })
    assert.are.same({ nil, 2 }, { qi:increment(U, "Users", { id = { [Sequelize.Op.gt] = 0 } }, { age = 2 }, { name = NULL }, {}) })
    assert.are.same({ nil, 1 }, { qi:decrement(nil, "Users", { id = 2 }, { age = 3 }, {}) })
    assert.are.same({
      "UPDATE `Users` SET `age`=`age`+ ? WHERE `id` = ?;",
      "UPDATE `Users` SET `age`=`age`+ ?,`name`=? WHERE `id` > ?;",
      "UPDATE `Users` SET `age`=`age`+ ? WHERE `id` = ?;",
    }, writes(log))
    assert.are.same({ { id = 1, age = 13, name = NULL }, { id = 2, age = 1, name = NULL } },
      rows(db, "SELECT id, age, name FROM Users ORDER BY id"))
    local err = support.catch_message(function() qi:increment(nil, "Users", { id = 1 }, { nope = 1 }, {}) end)
    assert.are.equal("increment: Users.nope: no such column", err.message)
    err = support.catch_message(function() qi:decrement(nil, "Users", { id = 1 }, { age = "x" }, {}) end)
    assert.are.equal("decrement: Users.age: expected a number or a Sequelize.literal/fn/col amount", err.message)
  end)

  it("upsert: ON CONFLICT on the unique key of a column updated (or conflictFields), the new key", function()
    assert.are.same({ { id = 20 } }, qi:upsert("Users", { id = 20, name = "new", age = 1 }, { name = "new", age = 1 },
      { id = 20 }, { model = U }))
    assert.are.equal(20, qi:upsert("Users", { name = "new", age = 7 }, { age = 7 }, { name = "new" },
      { conflictFields = { "name" } }))
    assert.are.same({
      "INSERT INTO `Users` (`age`,`id`,`name`) VALUES (?,?,?) ON CONFLICT (`name`) DO UPDATE SET `age`=EXCLUDED.`age`,`name`=EXCLUDED.`name`;",
      "INSERT INTO `Users` (`age`,`name`) VALUES (?,?) ON CONFLICT (`name`) DO UPDATE SET `age`=EXCLUDED.`age`;",
    }, writes(log))
    assert.are.same({ { id = 20, name = "new", age = 7 } }, rows(db, "SELECT id, name, age FROM Users"))
  end)

  it("insert, upsert and update write a value by the type of the instance's (the model's) attribute", function()
    -- Sequelize 6.37.8, a model J { meta: JSON } (the table `Js`), j = J.build({}):
    --   qi.insert(j, 'Js', { id: 1, meta: { a: 1 } }, {})                  -> stored '{"a":1}'
    --   qi.upsert('Js', { id: 2, meta: { a: 2 } }, { meta: { a: 2 } }, {}, { model: J }) -> stored '{"a":2}'
    --   qi.update(j, 'Js', { meta: { a: 4 } }, { id: 1 }, {})               -> [j, 1], stored '{"a":4}'
    --   (insert(null, ...) has no attributes: the object is written as '[object Object]')
    local J = db:define("J", { meta = DataTypes.JSON }, { timestamps = false })
    J:sync()
    local j = J:build({})
    local got, n = qi:insert(j, "Js", { id = 1, meta = { a = 1 } }, {})
    assert.are.same({ true, 1 }, { got == j, n })
    assert.are.same({ { id = 2 } }, qi:upsert("Js", { id = 2, meta = { a = 2 } }, { meta = { a = 2 } }, {}, { model = J }))
    got, n = qi:update(j, "Js", { meta = { a = 4 } }, { id = 1 }, {})
    assert.are.same({ true, 1 }, { got == j, n })
    assert.are.same({ { id = 1, meta = '{"a":4}' }, { id = 2, meta = '{"a":2}' } },
      rows(db, "SELECT id, meta FROM Js ORDER BY id"))
  end)

  it("delete: an empty list; the rows are gone", function()
    qi:bulkInsert("Users", { { id = 1, name = "a" }, { id = 2, name = "b" } })
    local u = U:build({ id = 2 }, { isNewRecord = false })
    assert.are.same({}, qi:delete(u, "Users", { id = 2 }, {}))
    assert.are.same({}, qi:delete(nil, "Users", { id = 99 }))
    assert.are.same({ { id = 1 } }, rows(db, "SELECT id FROM Users"))
  end)

  it("showConstraint parses the table's CONSTRAINT clauses as Sequelize's sqlite does", function()
    -- Sequelize 6.37.8, the same table (the sql of each item is the CREATE TABLE text):
    -- [{"constraintCondition":"(`x`)","constraintName":"b_x_uq","constraintType":"UNIQUE",...},
    --  {"constraintCondition":"(id > 0)","constraintName":"b_chk","constraintType":"CHECK",...},
    --  {"constraintCondition":"(`u`)","constraintName":"b_fk","constraintType":"FOREIGN KEY","deleteAction":"CASCADE",
    --   "referenceTableKeys":["id"],"referenceTableName":"Users",...,"updateAction":"SET NULL"}]
    local sql = "CREATE TABLE `B` (`id` INTEGER PRIMARY KEY, `x` VARCHAR(255), `u` INTEGER, CONSTRAINT `b_x_uq` UNIQUE (`x`), "
      .. "CONSTRAINT `b_chk` CHECK (id > 0), CONSTRAINT `b_fk` FOREIGN KEY (`u`) REFERENCES `Users` (`id`) "
      .. "ON DELETE CASCADE ON UPDATE SET NULL)"
    db:query(sql)
    assert.are.same({
      { constraintCondition = "(`x`)", constraintName = "b_x_uq", constraintType = "UNIQUE", sql = sql },
      { constraintCondition = "(id > 0)", constraintName = "b_chk", constraintType = "CHECK", sql = sql },
      { constraintCondition = "(`u`)", constraintName = "b_fk", constraintType = "FOREIGN KEY", deleteAction = "CASCADE",
        updateAction = "SET NULL", referenceTableName = "Users", referenceTableKeys = { "id" }, sql = sql },
    }, qi:showConstraint("B"))
    assert.are.equal(3, #qi:showConstraint("B", "b_chk"))
    assert.are.equal(0, #qi:showConstraint("B", "nope"))
    assert.are.same({}, qi:showConstraint("Users"))
    assert.are.same({}, qi:showConstraint("Nope"))
  end)

  it("showConstraint's constraintCondition is Sequelize's pattern's: parentheses nested at most three deep", function()
    -- Sequelize 6.37.8: CREATE TABLE `D` (`a` INTEGER, `b` INTEGER, CONSTRAINT `d_chk` CHECK (a > (b + (1 * (2)))),
    -- CONSTRAINT `d2` CHECK ((a) > 0)) -> showConstraint('D') conditions "(b + (1 * (2)))" (the
    -- four-deep group passed over) and "((a) > 0)"
    db:query("CREATE TABLE `D` (`a` INTEGER, `b` INTEGER, CONSTRAINT `d_chk` CHECK (a > (b + (1 * (2)))), "
      .. "CONSTRAINT `d2` CHECK ((a) > 0))")
    local got = {}
    for i, c in ipairs(qi:showConstraint("D")) do got[i] = { c.constraintName, c.constraintType, c.constraintCondition } end
    assert.are.same({ { "d_chk", "CHECK", "(b + (1 * (2)))" }, { "d2", "CHECK", "((a) > 0)" } }, got)
  end)

  it("showConstraint reads a foreign key's actions at their first ON UPDATE / ON DELETE, as Sequelize's pattern", function()
    -- Sequelize 6.37.8, the same table: showConstraint('P') ->
    -- [["fk_a","FOREIGN KEY","RESTRICT","NO ACTION"]] (constraintName, constraintType, updateAction,
    -- deleteAction: the leftmost match, not the unnamed key's CASCADE / SET NULL after it)
    db:query("CREATE TABLE `P` (`id` INTEGER PRIMARY KEY, `a` INTEGER, CONSTRAINT `fk_a` FOREIGN KEY (`a`) "
      .. "REFERENCES `Users` (`id`) ON DELETE NO ACTION ON UPDATE RESTRICT, FOREIGN KEY (`id`) REFERENCES `Users` (`id`) "
      .. "ON DELETE SET NULL ON UPDATE CASCADE)")
    local got = {}
    for i, c in ipairs(qi:showConstraint("P")) do got[i] = { c.constraintName, c.constraintType, c.updateAction, c.deleteAction } end
    assert.are.same({ { "fk_a", "FOREIGN KEY", "RESTRICT", "NO ACTION" } }, got)
  end)

  it("showConstraint reads a type word as Sequelize's split does, across the text it cuts out", function()
    -- Sequelize 6.37.8: CREATE TABLE t (a, CONSTRAINT c CHECK(a>0), CONSTRAINT pk PRIMARY KEY(a)) ->
    -- [{"constraintName":"c","constraintType":"CHECK,","constraintCondition":"(a>0)",...},
    --  {"constraintName":"pk","constraintType":"PRIMARY KEY","constraintCondition":"(a)",...}]
    db:query("CREATE TABLE t (a, CONSTRAINT c CHECK(a>0), CONSTRAINT pk PRIMARY KEY(a))")
    local got = {}
    for i, c in ipairs(qi:showConstraint("t")) do got[i] = { c.constraintName, c.constraintType, c.constraintCondition } end
    assert.are.same({ { "c", "CHECK,", "(a>0)" }, { "pk", "PRIMARY KEY", "(a)" } }, got)
  end)

  it("createSchema creates nothing; dropSchema drops the table of that name, as Sequelize's sqlite", function()
    local r, meta = qi:createSchema("s")
    assert.are.same({ { { name = "Users" } }, {} }, { r, meta })
    qi:createTable("s", { id = DataTypes.INTEGER })
    support.clear(log)
    assert.are.same({}, qi:dropSchema("s"))
    assert.are.same({ "DROP TABLE IF EXISTS `s`;" }, writes(log))
    assert.are.same({ "Users" }, support.tables(db))
    qi:dropSchema("none")
  end)
end)

describe("queryInterface: a NULL in what the schema reads is Sequelize.null, as Sequelize's null", function()
  -- Sequelize 6.37.8, the same tables:
  --   CREATE TABLE d1 (id INTEGER PRIMARY KEY, b TEXT); CREATE INDEX d1_lower ON d1 (lower(b), id);
  --   CREATE TABLE d3 (id INTEGER PRIMARY KEY, r INTEGER REFERENCES d1)
  --   showIndex('d1')[0].fields -> [{"attribute":null},{"attribute":"id"}]
  --   getForeignKeyReferencesForTable('d3') -> [{"tableName":"d3","columnName":"r",
  --     "referencedTableName":"d1","referencedColumnName":null}]
  --   describeTable('d3').r.references -> {"model":"d1","key":null}
  local db, qi
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    qi = db:getQueryInterface()
    db:query("CREATE TABLE d1 (id INTEGER PRIMARY KEY, b TEXT)")
    db:query("CREATE INDEX d1_lower ON d1 (lower(b), id)")
    db:query("CREATE TABLE d3 (id INTEGER PRIMARY KEY, r INTEGER REFERENCES d1)")
  end)

  it("showIndex: an expression's attribute", function()
    local ix = qi:showIndex("d1")[1]
    assert.are.same({ { attribute = NULL }, { attribute = "id" } }, ix.fields)
    assert.are.equal('[{"attribute":null},{"attribute":"id"}]', Sequelize.stringify(ix.fields))
  end)

  it("getForeignKeyReferencesForTable and describeTable: a reference to the primary key, no column named", function()
    assert.are.same({ { tableName = "d3", columnName = "r", referencedTableName = "d1", referencedColumnName = NULL } },
      qi:getForeignKeyReferencesForTable("d3"))
    assert.are.same({ model = "d1", key = NULL }, qi:describeTable("d3").r.references)
    assert.are.equal('{"key":null,"model":"d1"}', Sequelize.stringify(qi:describeTable("d3").r.references))
  end)
end)

describe("queryInterface: returning on the row methods, read nothing back on SQLite as Sequelize's sqlite", function()
  -- Sequelize 6.37.8 (sqlite has no RETURNING in its dialect: the option is dropped), table E (id, a):
  --   bulkInsert('E', [{id:5,a:'q'},{id:7,a:'r'}], {returning:true}) -> 7
  --     INSERT INTO `E` (`id`,`a`) VALUES (5,'q'),(7,'r');
  --   bulkInsert('E', [{id:8,a:'q'}], {returning:['id']}) -> 8
  --   bulkUpdate('E', {a:'z'}, {id:5}, {returning:true}) -> 1   UPDATE `E` SET `a`=$1 WHERE `id` = $2
  --   bulkDelete('E', {id:7}, {returning:true}) -> [[],{}]
  --   insert(null, 'E', {id:9,a:'w'}, {returning:true}) -> [9,1]
  --   rows: [{id:5,a:'z'},{id:8,a:'q'},{id:9,a:'w'}]
  it("is accepted and changes nothing", function()
    local log = {}
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(m) log[#log + 1] = m end })
    local qi = db:getQueryInterface()
    qi:createTable("E", { id = { type = DataTypes.INTEGER, primaryKey = true }, a = DataTypes.STRING })
    support.clear(log)
    assert.are.equal(7, qi:bulkInsert("E", { { id = 5, a = "q" }, { id = 7, a = "r" } }, { returning = true }))
    assert.are.equal("INSERT INTO `E` (`a`,`id`) VALUES (?,?),(?,?);", support.sql_of(log[#log]))
    assert.are.equal(8, qi:bulkInsert("E", { { id = 8, a = "q" } }, { returning = { "id" } }))
    assert.are.equal(1, qi:bulkUpdate("E", { a = "z" }, { id = 5 }, { returning = true }))
    local r, meta = qi:bulkDelete("E", { id = 7 }, { returning = true })
    assert.are.same({ {}, { changes = 1 } }, { r, meta })
    assert.are.same({ 9, 1 }, { qi:insert(nil, "E", { id = 9, a = "w" }, { returning = true }) })
    assert.are.same({ { id = 5, a = "z" }, { id = 8, a = "q" }, { id = 9, a = "w" } },
      db:query("SELECT * FROM E ORDER BY id", { type = "SELECT" }))
    -- (a returning that is neither a boolean nor a list of names still raises, naming it)
    assert.has_error(function() qi:bulkInsert("E", { { id = 10 } }, { returning = 5 }) end)
    assert.are.same({}, db:query("SELECT * FROM E WHERE id = 10", { type = "SELECT" }))
  end)
end)
