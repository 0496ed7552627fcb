-- Migrations' DDL against Sequelize 6.37.8's sqlite queryInterface (paired scripts run under
-- node): named UNIQUE constraints, truncate's restartIdentity.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function master(db, name)
  return db:query("SELECT sql FROM sqlite_master WHERE name = ?", { replacements = { name }, type = "SELECT", plain = true }).sql
end

describe("addConstraint unique", function()
  local db, qi
  setup(function()
    db = Sequelize.new("sqlite::memory:", { logging = false })
    qi = db:getQueryInterface()
  end)
  teardown(function() db:close() end)

  it("is a named CONSTRAINT ... UNIQUE of the table, listed, enforced, kept by rebuilds, removable", function()
    -- Sequelize 6.37.8: CREATE TABLE `Users` (..., CONSTRAINT `ab_uk` UNIQUE (`a`, `b`),
    -- CONSTRAINT `Users_c_uk` UNIQUE (`c`)); showConstraint lists both (constraintType UNIQUE,
    -- constraintCondition "(`a`, `b`)"); the violation's fields { "a", "b" }
    qi:createTable("Users", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true },
                              a = DataTypes.STRING, b = DataTypes.INTEGER, c = DataTypes.STRING })
    qi:addConstraint("Users", { type = "unique", fields = { "a", "b" }, name = "ab_uk" })
    qi:addConstraint("Users", { type = "unique", fields = { "c" } })
    assert.are.equal("CREATE TABLE \"Users\" (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` VARCHAR(255), `b` INTEGER, "
      .. "`c` VARCHAR(255), CONSTRAINT `ab_uk` UNIQUE (`a`, `b`), CONSTRAINT `Users_c_uk` UNIQUE (`c`))", master(db, "Users"))
    local cs = qi:showConstraint("Users")
    assert.are.same({ { "ab_uk", "UNIQUE", "(`a`, `b`)" }, { "Users_c_uk", "UNIQUE", "(`c`)" } },
      { { cs[1].constraintName, cs[1].constraintType, cs[1].constraintCondition },
        { cs[2].constraintName, cs[2].constraintType, cs[2].constraintCondition } })
    assert.is_true(qi:describeTable("Users").a.unique)
    qi:bulkInsert("Users", { { a = "x", b = 1, c = "p" } })
    local err = support.catch_error(qi.bulkInsert, qi, "Users", { { a = "x", b = 1, c = "q" } })
    assert.are.same({ "SequelizeUniqueConstraintError", { "a", "b" } }, { err.name, err.fields })
    -- (Sequelize's rebuilds write each column UNIQUE on its own, the composite lost: ours keep it)
    qi:renameColumn("Users", "c", "cc")
    qi:changeColumn("Users", "b", { type = DataTypes.BIGINT })
    assert.are.equal("CREATE TABLE \"Users\" (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` VARCHAR(255), `b` BIGINT, "
      .. "`cc` VARCHAR(255), CONSTRAINT `ab_uk` UNIQUE (`a`, `b`), CONSTRAINT `Users_c_uk` UNIQUE (`cc`))", master(db, "Users"))
    qi:bulkInsert("Users", { { a = "x", b = 2, c = nil } })
    -- unique = false takes the column's own constraint; removing a column takes its constraints
    qi:changeColumn("Users", "cc", { type = DataTypes.STRING, unique = false })
    qi:removeColumn("Users", "b")
    assert.are.equal("CREATE TABLE \"Users\" (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` VARCHAR(255), `cc` VARCHAR(255))",
      master(db, "Users"))
    assert.are.equal(2, #qi:select(nil, "Users"))
    qi:addConstraint("Users", { type = "unique", fields = { "cc" }, name = "cc_uk" })
    qi:removeConstraint("Users", "cc_uk")
    assert.are.same({}, qi:showConstraint("Users"))
    err = support.catch_error(qi.removeConstraint, qi, "Users", "cc_uk")
    assert.are.equal("SequelizeUnknownConstraintError", err.name)
    -- rows the constraint does not hold for: an error, the table as it was
    qi:bulkInsert("Users", { { a = "d" }, { a = "d" } })
    err = support.catch_error(qi.addConstraint, qi, "Users", { type = "unique", fields = { "a" } })
    assert.are.equal("CREATE TABLE \"Users\" (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `a` VARCHAR(255), `cc` VARCHAR(255))",
      master(db, "Users"))
  end)

  it("keeps a named UNIQUE by its name however the stored text writes it (spaces, quotes, case)", function()
    -- (showConstraint's Sequelize parse splits `my uq` at its space and keeps "q4"'s quotes:
    -- a rebuild read the constraints through it, the name lost or written with its quotes)
    db:query("CREATE TABLE k1 (id INTEGER PRIMARY KEY, a TEXT, b TEXT, CONSTRAINT `my uq` UNIQUE (a, b), "
      .. "constraint q3 unique(a,b), CONSTRAINT \"q4\" UNIQUE (\"b\",\"a\"), CONSTRAINT [q5] UNIQUE ([A]), "
      .. "CHECK (a <> 'x, CONSTRAINT z UNIQUE (b)'))")
    qi:addConstraint("k1", { type = "unique", fields = { "b" }, name = "we`ird, (one)" })
    qi:renameColumn("k1", "b", "bb")
    assert.are.equal("CREATE TABLE \"k1\" (`id` INTEGER PRIMARY KEY, `a` TEXT, `bb` TEXT, CONSTRAINT `my uq` UNIQUE (`a`, `bb`), "
      .. "CONSTRAINT `q3` UNIQUE (`a`, `bb`), CONSTRAINT `q4` UNIQUE (`bb`, `a`), CONSTRAINT `q5` UNIQUE (`a`), "
      .. "CONSTRAINT `we``ird, (one)` UNIQUE (`bb`))", master(db, "k1"))
    qi:removeConstraint("k1", "q4")
    qi:removeConstraint("k1", "my uq")
    assert.are.equal("CREATE TABLE \"k1\" (`id` INTEGER PRIMARY KEY, `a` TEXT, `bb` TEXT, "
      .. "CONSTRAINT `q3` UNIQUE (`a`, `bb`), CONSTRAINT `q5` UNIQUE (`a`), "
      .. "CONSTRAINT `we``ird, (one)` UNIQUE (`bb`))", master(db, "k1"))
  end)

  it("is kept by sync { alter = true }: no rebuild while the model is unchanged, kept by one, gone with a column", function()
    -- (the model knows no such constraint: before alter kept it, it was an index alter makes
    -- again; Sequelize's alter keeps the uniqueness too)
    local sqls = {}
    local d = Sequelize.new("sqlite::memory:", { logging = function(s) sqls[#sqls + 1] = s end })
    local U = d:define("User", { name = DataTypes.STRING, email = DataTypes.STRING })
    d:sync()
    d:getQueryInterface():addConstraint("Users", { type = "unique", fields = { "name", "email" }, name = "uq_ne" })
    local stored = master(d, "Users")
    local n = #sqls
    d:sync{ alter = true }
    for i = n + 1, #sqls do assert.is_nil(sqls[i]:find("CREATE TABLE", 1, true)) end
    assert.equal(stored, master(d, "Users"))
    U:create{ name = "a", email = "b" }
    local ok, err = pcall(U.create, U, { name = "a", email = "b" })
    assert.is_false(ok)
    assert.equal("SequelizeUniqueConstraintError", err.name)
    local U2 = d:define("User", { name = DataTypes.STRING, email = DataTypes.STRING, age = DataTypes.INTEGER })
    d:sync{ alter = true }
    assert.truthy(master(d, "Users"):find("`age` INTEGER", 1, true))
    assert.truthy(master(d, "Users"):find("CONSTRAINT `uq_ne` UNIQUE (`name`, `email`)", 1, true))
    ok, err = pcall(U2.create, U2, { name = "a", email = "b" })
    assert.is_false(ok)
    assert.equal("SequelizeUniqueConstraintError", err.name)
    d:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER })
    d:sync{ alter = true }
    assert.is_nil(master(d, "Users"):find("uq_ne", 1, true))
    assert.equal(1, d:query("SELECT count(*) AS n FROM Users", { type = "SELECT", plain = true }).n)
    d:close()
  end)

  it("sync { alter = true } keeps one of a raw CREATE TABLE: a 'quoted' name, no spaces, a comment after it", function()
    for _, c in ipairs{
      { "CONSTRAINT 'my uq' UNIQUE (name)", "CONSTRAINT 'my uq' UNIQUE (name)" },
      { 'CONSTRAINT"q"UNIQUE(name)', 'CONSTRAINT"q"UNIQUE(name)' },
      { "CONSTRAINT uq UNIQUE (name) -- a, (note)\n", "CONSTRAINT uq UNIQUE (name))" },
      { "CONSTRAINT uq UNIQUE (name /* x, ( */) /* y) */", "CONSTRAINT uq UNIQUE (name  ))" },
    } do
      local d = Sequelize.new("sqlite::memory:", { logging = false })
      d:query("CREATE TABLE Users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, " .. c[1] .. ")")
      local U = d:define("User", { name = DataTypes.STRING, email = DataTypes.STRING }, { timestamps = false })
      d:sync{ alter = true }
      assert.truthy(master(d, "Users"):find(c[2], 1, true), master(d, "Users"))
      U:create{ name = "a" }
      local ok, err = pcall(U.create, U, { name = "a" })
      assert.is_false(ok)
      assert.equal("SequelizeUniqueConstraintError", err.name)
      d:close()
    end
  end)
end)

describe("truncate with restartIdentity", function()
  it("resets the table's AUTOINCREMENT counter: Model:truncate, destroy, db:truncate, bulkDelete", function()
    -- Sequelize 6.37.8's sqlite truncateTableQuery: DELETE FROM `Users`; DELETE FROM
    -- `sqlite_sequence` WHERE `name` = 'Users'; (its driver runs the first statement alone, so
    -- its ids go on: the option's documented effect, the counter restarted, is what is done here)
    local db, log = support.open()
    local U = db:define("User", { name = DataTypes.STRING })
    local P = db:define("Post", { name = DataTypes.STRING }, { paranoid = true })
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    support.clear(log)
    U:truncate({ restartIdentity = true })
    local sqls = {}
    for _, m in ipairs(log) do sqls[#sqls + 1] = support.sql_of(m) end
    assert.are.same({ "DELETE FROM `Users`;", "DELETE FROM `sqlite_sequence` WHERE `name` = ?;" }, sqls)
    assert.are.equal(1, U:create({ name = "c" }).id)
    U:destroy({ truncate = true, restartIdentity = true })
    assert.are.equal(1, U:create({ name = "d" }).id)
    U:create({ name = "e" })
    db:truncate({ restartIdentity = true })
    assert.are.equal(1, U:create({ name = "f" }).id)
    U:destroy({ truncate = true }) -- (without it the counter stays)
    assert.are.equal(2, U:create({ name = "g" }).id)
    db:getQueryInterface():bulkDelete("Users", nil, { truncate = true, restartIdentity = true })
    assert.are.equal(1, U:create({ name = "h" }).id)
    -- a paranoid model's truncate is a soft delete: the counter stays; with force it goes
    P:create({ name = "x" })
    P:truncate({ restartIdentity = true })
    assert.are.equal(2, P:create({ name = "y" }).id)
    P:truncate({ restartIdentity = true, force = true })
    assert.are.equal(1, P:create({ name = "z" }).id)
    -- a database with no AUTOINCREMENT table has no sqlite_sequence: nothing to reset
    local db2 = Sequelize.new("sqlite::memory:", { logging = false })
    local K = db2:define("K", { code = { type = DataTypes.STRING, primaryKey = true } })
    db2:sync()
    K:create({ code = "a" })
    K:truncate({ restartIdentity = true })
    assert.are.equal(0, K:count())
    db2:close(); db:close()
  end)
end)
