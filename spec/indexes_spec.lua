-- The `indexes` model option: sync creates each index once, named as Sequelize names it
-- (underscore("<table>_<fields>")) unless a name is given; unique indexes are enforced.
-- A partial index's where, a field's order and collate, type = "UNIQUE", and the options
-- Sequelize's sqlite dialect drops (length, operator, using, parser, concurrently, prefix);
-- queryInterface addIndex / removeIndex / showIndex. The DDL expected is what Sequelize
-- 6.37.8 logs for the same definition (quoted in the comments), except where a comment
-- says otherwise.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("indexes", function()
  local db, log

  before_each(function()
    log = {}
    db = Sequelize.new("sqlite::memory:", { logging = function(m) log[#log + 1] = m end })
  end)

  after_each(function() db:close() end)

  local function ddl(prefix)
    local out = {}
    for _, m in ipairs(log) do
      local sql = m:match("^Executing %(.-%): (.*)$")
      if sql and sql:find("^" .. prefix) then out[#out + 1] = sql end
    end
    return out
  end

  it("sync creates them after the table, once, with Sequelize's names and the columns' fields", function()
    local User = db:define("User", {
      a = DataTypes.STRING,
      b = { type = DataTypes.STRING, field = "bee" },
    }, { indexes = { { unique = true, fields = { "a", "b" } }, { fields = { "b" }, name = "by_b" } } })
    db:sync()
    db:sync()
    assert.are.same({
      "CREATE UNIQUE INDEX `users_a_b` ON `Users` (`a`, `bee`)",
      "CREATE INDEX `by_b` ON `Users` (`bee`)",
    }, ddl("CREATE %a* ?INDEX"))
    local rows = db:query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Users' ORDER BY name")
    assert.are.same({ "by_b", "users_a_b" }, { rows[1].name, rows[2].name })
    User:create({ a = "x", b = "y" })
    local ok, err = pcall(User.create, User, { a = "x", b = "y" })
    assert.is_false(ok)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.equal(1, User:count())
    User:create({ a = "x", b = "z" })
    assert.are.equal(2, User:count())
  end)

  it("a name taken by an index made before it, or by another table's index, raises SQLite's error at sync", function()
    -- Sequelize 6.37.8: sync raises SequelizeDatabaseError "SQLITE_ERROR: index i already exists",
    -- sql "CREATE UNIQUE INDEX `i` ON `Xes` (`b`)" (its sync skips only the names the table's
    -- index list held before it began); the second index is not made over the first
    local X = db:define("X", { a = DataTypes.STRING, b = DataTypes.STRING },
      { indexes = { { name = "i", fields = { "a" } }, { name = "i", unique = true, fields = { "b" } } } })
    local ok, err = pcall(db.sync, db)
    assert.is_false(ok)
    assert.equal("SequelizeDatabaseError", err.name)
    assert.equal("index i already exists", err.message)
    assert.equal("CREATE UNIQUE INDEX `i` ON `Xes` (`b`)", err.sql)
    -- (was: sync went through without the unique index, and duplicates were written)
    assert.same({ { sql = "CREATE INDEX `i` ON `Xes` (`a`)" } },
      db:query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'i'", { type = "SELECT" }))
    db.models.X = nil
    -- another table's index of that name: Sequelize "SQLITE_ERROR: index shared already exists",
    -- with alter too (was: skipped; with alter, the other table's index dropped for this one)
    for _, alter in ipairs({ false, true }) do
      local db2 = Sequelize.new("sqlite::memory:")
      db2:define("A", { x = DataTypes.STRING }, { indexes = { { name = "shared", fields = { "x" } } } })
      db2:define("B", { y = DataTypes.STRING }, { indexes = { { name = "shared", unique = true, fields = { "y" } } } })
      ok, err = pcall(db2.sync, db2, { alter = alter })
      assert.is_false(ok)
      assert.equal("index shared already exists", err.message)
      assert.same({ { tbl_name = "As" } },
        db2:query("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = 'shared'", { type = "SELECT" }))
      -- the table's own index of that name is still kept on a second sync (no error)
      db2.models.B = nil
      db2:define("B", { y = DataTypes.STRING })
      db2:sync({ alter = alter })
      db2:close()
    end
  end)

  it("a name the list repeats, which the table had before the sync, is kept for both: a second sync goes through", function()
    -- Sequelize 6.37.8, indexes [{ name: 'i', fields: ['a'] }, { name: 'i', unique: true, fields: ['b'] }]:
    -- the first sync raises "SQLITE_ERROR: index i already exists", a second sync() resolves (the table's
    -- index list, read once, holds i), a second sync({ alter: true }) raises again (alter rebuilt the table)
    local db2 = Sequelize.new("sqlite::memory:")
    local X = db2:define("X", { a = DataTypes.STRING, b = DataTypes.STRING },
      { indexes = { { name = "i", fields = { "a" } }, { name = "i", unique = true, fields = { "b" } } } })
    assert.is_false(pcall(X.sync, X))
    X:sync() -- (was: "index i already exists" on every later sync)
    local ok, err = pcall(X.sync, X, { alter = true })
    assert.is_false(ok)
    assert.equal("index i already exists", err.message)
    assert.same({ { sql = "CREATE INDEX `i` ON `Xes` (`a`)" } },
      db2:query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'i'", { type = "SELECT" }))
    db2:close()
  end)

  it("Model:sync creates that model's indexes", function()
    local Tag = db:define("Tag", { name = DataTypes.STRING }, { indexes = { { fields = { "name" } } } })
    Tag:sync()
    assert.are.same({ "CREATE INDEX `tags_name` ON `Tags` (`name`)" }, ddl("CREATE INDEX"))
  end)

  it("takes column names for attributes (Sequelize writes the names given); upsert meets the index", function()
    local St = db:define("St", { userId = { type = DataTypes.INTEGER, field = "user_id" }, key = DataTypes.STRING,
      value = DataTypes.STRING }, { timestamps = false, indexes = { { unique = true, fields = { "user_id", "key" } } } })
    db:sync()
    assert.are.same({ "CREATE UNIQUE INDEX `sts_user_id_key` ON `Sts` (`user_id`, `key`)" }, ddl("CREATE UNIQUE"))
    St:upsert({ userId = 1, key = "a", value = "x" })
    local _, created = St:upsert({ userId = 1, key = "a", value = "y" })
    assert.is_false(created)
    assert.are.same({ { userId = 1, key = "a", value = "y" } }, St:findAll({ attributes = { "userId", "key", "value" }, raw = true }))
  end)

  it("refuses malformed index options and unknown attributes, naming the model", function()
    local ok, err = pcall(db.define, db, "Bad", { a = DataTypes.STRING }, { indexes = { { fields = {} } } })
    assert.is_false(ok)
    assert.truthy(err.message:find("Bad", 1, true))
    local M = db:define("Odd", { a = DataTypes.STRING }, { indexes = { { fields = { "nope" } } } })
    ok, err = pcall(db.sync, db)
    assert.is_false(ok)
    assert.truthy(err.message:find("nope", 1, true))
    assert.truthy(M)
    assert.are.same({}, ddl("CREATE")) -- (nothing made: the indexes are checked first)
  end)

  local function refused(fn, ...)
    local ok, err = pcall(fn, ...)
    assert.is_false(ok)
    return type(err) == "table" and err.message or tostring(err)
  end

  it("refuses one index given as the indexes table itself, which would make no index", function()
    -- Sequelize 6.37.8: define('T', {...}, { indexes: { unique: true, fields: ['a'] } }) throws
    -- TypeError "this.options.indexes.map is not a function"
    local msg = refused(db.define, db, "One", { a = DataTypes.STRING }, { indexes = { unique = true, fields = { "a" } } })
    assert.truthy(msg:find("One: indexes must be a list", 1, true))
    msg = refused(db.define, db, "Holey", { a = DataTypes.STRING }, { indexes = { { fields = { "a" } }, nil, { fields = { "a" } } } })
    assert.truthy(msg:find("Holey: indexes must be a list", 1, true))
    assert.is_false(db:isDefined("One"))
    assert.truthy(db:define("Empty", { a = DataTypes.STRING }, { indexes = {} }))
  end)

  describe("where (a partial index)", function()
    it("writes the where tree as SQL with its values as literals (DDL takes no parameters)", function()
      local T = DataTypes
      db:define("T", { a = T.STRING, b = T.INTEGER, c = T.BOOLEAN, d = T.DATE, e = T.FLOAT,
                       bee = { type = T.STRING, field = "b_e" } }, { indexes = {
        -- Sequelize: CREATE INDEX `ts_a` ON `Ts` (`a`) WHERE `b` = 1
        { fields = { "a" }, where = { b = 1 } },
        -- CREATE INDEX `w2` ON `Ts` (`a`) WHERE `a` = 'it''s' AND `c` = 1 AND `d` IS NULL
        { name = "w2", fields = { "a" }, where = { a = "it's", c = true, d = Sequelize.null } },
        -- CREATE INDEX `w3` ON `Ts` (`a`) WHERE (`a` = 'x' OR `a` IN ('y', 'z')) AND (`b` > 5 AND `b` < 9)
        -- (the terms in sequelua's order for a where: attributes by name, then the operators)
        { name = "w3", fields = { "a" },
          where = { b = { [Op.gt] = 5, [Op.lt] = 9 }, [Op.or_] = { { a = "x" }, { a = { [Op.in_] = { "y", "z" } } } } } },
        -- CREATE INDEX `w4` ON `Ts` (`a`) WHERE `c` = 0 AND `e` = 1.5 AND `d` IS NOT NULL
        { name = "w4", fields = { "a" }, where = { c = false, e = 1.5, d = { [Op.ne] = Sequelize.null } } },
        -- CREATE INDEX `w5` ON `Ts` (`a`) WHERE `a` LIKE 'a%' AND `b` BETWEEN 1 AND 3
        { name = "w5", fields = { "a" }, where = { a = { [Op.like] = "a%" }, b = { [Op.between] = { 1, 3 } } } },
        -- CREATE INDEX `w6` ON `Ts` (`a`) WHERE `a` LIKE 'ab%'
        { name = "w6", fields = { "a" }, where = { a = { [Op.startsWith] = "ab" } } },
        -- Sequelize: CREATE INDEX `w7` ON `Ts` (`a`) WHERE `bee` = 'q' (the attribute's name, which
        -- SQLite refuses: no such column); sequelua writes its field, as findAll does
        { name = "w7", fields = { "a" }, where = { bee = "q" } },
        -- CREATE INDEX `w8` ON `Ts` (`a`) WHERE `e` = 0.1 AND `b` NOT IN (1, 2)
        { name = "w8", fields = { "a" }, where = { e = 0.1, b = { [Op.notIn] = { 1, 2 } } } },
        -- Sequelize: WHERE `d` = '2023-09-18T07:56:40.205Z' for the string, and
        -- '2023-09-18 07:56:40.205 +00:00' for a Date: sequelua writes a date as it is stored
        { name = "w9", fields = { "a" }, where = { d = "2023-09-18T07:56:40.205Z" } },
        -- CREATE INDEX `w10` ON `Ts` (`a`) WHERE NOT (`b` = 2)
        { name = "w10", fields = { "a" }, where = { [Op.not_] = { b = 2 } } },
        -- CREATE INDEX `x1` ON `Ts` (`a`) WHERE `a` NOT LIKE '%z' AND `b` IS NULL AND `c` IS NOT 1
        { name = "x1", fields = { "a" },
          where = { a = { [Op.notLike] = "%z" }, b = { [Op.is] = Sequelize.null }, c = { [Op["not"]] = true } } },
        -- CREATE INDEX `x2` ON `Ts` (`a`) WHERE b > 3
        { name = "x2", fields = { "a" }, where = Sequelize.literal("b > 3") },
        -- CREATE INDEX `x5` ON `Ts` (`a`) WHERE `a` LIKE '%o''k%' AND `b` >= -2
        { name = "x5", fields = { "a" }, where = { a = { [Op.substring] = "o'k" }, b = { [Op.gte] = -2 } } },
        -- CREATE INDEX `x6` ON `Ts` (`a`) WHERE (`b` = 1 AND lower(`a`) = 'x') (sequelua: no
        -- parentheses around a where's only term, as in findAll)
        { name = "x6", fields = { "a" },
          where = { [Op.and_] = { { b = 1 }, Sequelize.where(Sequelize.fn("lower", Sequelize.col("a")), "x") } } },
        -- CREATE INDEX `x7` ON `Ts` (`a`) WHERE `b` = 123456789012
        { name = "x7", fields = { "a" }, where = { b = 123456789012 } },
        -- CREATE INDEX `x8` ON `Ts` (`a`) WHERE `a` = 'a\b<newline>'
        { name = "x8", fields = { "a" }, where = { a = "a\\b\n" } },
        -- CREATE INDEX `x9` ON `Ts` (`a`)  (an empty where: no WHERE)
        { name = "x9", fields = { "a" }, where = {} },
        -- CREATE INDEX `x10` ON `Ts` (`a`) WHERE `b` = `a` (Op.col)
        { name = "x10", fields = { "a" }, where = { b = { [Op.col] = "a" } } },
      } })
      db:sync()
      assert.are.same({
        "CREATE INDEX `ts_a` ON `Ts` (`a`) WHERE `b` = 1",
        "CREATE INDEX `w2` ON `Ts` (`a`) WHERE `a` = 'it''s' AND `c` = 1 AND `d` IS NULL",
        "CREATE INDEX `w3` ON `Ts` (`a`) WHERE (`b` > 5 AND `b` < 9) AND (`a` = 'x' OR `a` IN ('y', 'z'))",
        "CREATE INDEX `w4` ON `Ts` (`a`) WHERE `c` = 0 AND `d` IS NOT NULL AND `e` = 1.5",
        "CREATE INDEX `w5` ON `Ts` (`a`) WHERE `a` LIKE 'a%' AND `b` BETWEEN 1 AND 3",
        "CREATE INDEX `w6` ON `Ts` (`a`) WHERE `a` LIKE 'ab%'",
        "CREATE INDEX `w7` ON `Ts` (`a`) WHERE `b_e` = 'q'",
        "CREATE INDEX `w8` ON `Ts` (`a`) WHERE `b` NOT IN (1, 2) AND `e` = 0.1",
        "CREATE INDEX `w9` ON `Ts` (`a`) WHERE `d` = '2023-09-18 07:56:40.205 +00:00'",
        "CREATE INDEX `w10` ON `Ts` (`a`) WHERE NOT (`b` = 2)",
        "CREATE INDEX `x1` ON `Ts` (`a`) WHERE `a` NOT LIKE '%z' AND `b` IS NULL AND `c` IS NOT 1",
        "CREATE INDEX `x2` ON `Ts` (`a`) WHERE b > 3",
        "CREATE INDEX `x5` ON `Ts` (`a`) WHERE `a` LIKE '%o''k%' AND `b` >= -2",
        "CREATE INDEX `x6` ON `Ts` (`a`) WHERE `b` = 1 AND lower(`a`) = 'x'",
        "CREATE INDEX `x7` ON `Ts` (`a`) WHERE `b` = 123456789012",
        "CREATE INDEX `x8` ON `Ts` (`a`) WHERE `a` = 'a\\b\n'",
        "CREATE INDEX `x9` ON `Ts` (`a`)",
        "CREATE INDEX `x10` ON `Ts` (`a`) WHERE `b` = `a`",
      }, ddl("CREATE INDEX"))
      -- SQLite keeps the text: each is partial but x9
      local partial = {}
      for _, r in ipairs(db:query("PRAGMA index_list(`Ts`)")) do partial[r.name] = r.partial end
      assert.are.equal(1, partial.w2)
      assert.are.equal(1, partial.x8)
      assert.are.equal(0, partial.x9)
    end)

    it("writes numbers as JavaScript does (Sequelize's escape), blobs as X'..', JSON paths as findAll's", function()
      local T = DataTypes
      local ixs = {}
      -- Sequelize escapes a number with String(n): 0.1, 1e+21, 0.000001, 1e-7, -2.5e-8, 0.3333333333333333
      for i, v in ipairs({ 0.1, 1e21, 0.000001, 1e-7, -2.5e-8, 1 / 3 }) do
        ixs[i] = { name = "n" .. i, fields = { "e" }, where = { e = v } }
      end
      ixs[#ixs + 1] = { name = "b1", fields = { "e" }, where = { bin = "\1\2\255" } }
      ixs[#ixs + 1] = { name = "j1", fields = { "e" }, where = { meta = { k = "x" } } }
      ixs[#ixs + 1] = { name = "j2", fields = { "e" }, where = Sequelize.where(Sequelize.json("meta.k"), "y") }
      db:define("T", { e = T.FLOAT, bin = T.BLOB, meta = T.JSON }, { indexes = ixs })
      db:sync()
      assert.are.same({
        "CREATE INDEX `n1` ON `Ts` (`e`) WHERE `e` = 0.1",
        "CREATE INDEX `n2` ON `Ts` (`e`) WHERE `e` = 1e+21",
        "CREATE INDEX `n3` ON `Ts` (`e`) WHERE `e` = 0.000001",
        "CREATE INDEX `n4` ON `Ts` (`e`) WHERE `e` = 1e-7",
        "CREATE INDEX `n5` ON `Ts` (`e`) WHERE `e` = -2.5e-8",
        "CREATE INDEX `n6` ON `Ts` (`e`) WHERE `e` = 0.3333333333333333",
        "CREATE INDEX `b1` ON `Ts` (`e`) WHERE `bin` = X'0102FF'",
        "CREATE INDEX `j1` ON `Ts` (`e`) WHERE json_extract(`meta`, '$.k') = 'x'",
        "CREATE INDEX `j2` ON `Ts` (`e`) WHERE json_extract(`meta`, '$.k') = 'y'",
      }, ddl("CREATE INDEX"))
      -- each literal reads back as the number: the row holding it (bound) is in its partial index
      local M = db.models.T
      for i, v in ipairs({ 0.1, 1e21, 0.000001, 1e-7, -2.5e-8, 1 / 3 }) do
        M:create({ e = v })
        local sql = ("SELECT count(*) AS n FROM `Ts` INDEXED BY `n%d` WHERE %s"):format(i, ddl("CREATE INDEX")[i]:match("WHERE (.*)$"))
        assert.are.equal(1, db:query(sql)[1].n, sql)
      end
    end)

    it("a partial unique index allows duplicates outside its where", function()
      -- Sequelize: CREATE UNIQUE INDEX `accounts_email` ON `Accounts` (`email`) WHERE `deleted` = 0
      local A = db:define("Account", { email = DataTypes.STRING, deleted = DataTypes.BOOLEAN },
        { indexes = { { unique = true, fields = { "email" }, where = { deleted = false } } } })
      db:sync()
      assert.are.same({ "CREATE UNIQUE INDEX `accounts_email` ON `Accounts` (`email`) WHERE `deleted` = 0" },
        ddl("CREATE UNIQUE INDEX"))
      A:create({ email = "a@x", deleted = true })
      A:create({ email = "a@x", deleted = true })
      A:create({ email = "a@x", deleted = false })
      local ok, err = pcall(A.create, A, { email = "a@x", deleted = false })
      assert.is_false(ok)
      -- (Sequelize: SequelizeUniqueConstraintError, fields ["email"], 'email must be unique')
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.same({ "email" }, err.fields)
      assert.are.equal("email must be unique", err.errors[1].message)
      assert.are.equal(3, A:count())
    end)

    it("a value cannot break out of its literal", function()
      local X = db:define("X", { a = DataTypes.STRING }, { indexes = {
        { name = "inj", fields = { "a" }, where = { a = "x'); DROP TABLE `Xes`; --" } } } })
      db:sync()
      assert.are.same({ "CREATE INDEX `inj` ON `Xes` (`a`) WHERE `a` = 'x''); DROP TABLE `Xes`; --'" },
        ddl("CREATE INDEX"))
      X:create({ a = "x'); DROP TABLE `Xes`; --" })
      assert.are.equal(1, X:count())
    end)

    it("refuses, at sync and naming the model and the index, a where SQL cannot hold", function()
      local M = db:define("Odd", { a = DataTypes.STRING }, { indexes = { { fields = { "a" }, where = { nope = 1 } } } })
      local msg = refused(M.sync, M)
      assert.truthy(msg:find("Odd: index odds_a:", 1, true), msg)
      assert.truthy(msg:find("nope", 1, true), msg)
      local N = db:define("Nul", { a = DataTypes.STRING }, { indexes = { { fields = { "a" }, where = { a = "x\0y" } } } })
      msg = refused(N.sync, N)
      assert.truthy(msg:find("Nul: index nuls_a:", 1, true), msg)
      assert.truthy(msg:find("NUL byte", 1, true), msg)
      msg = refused(db.define, db, "W", { a = DataTypes.STRING }, { indexes = { { fields = { "a" }, where = "a = 1" } } })
      assert.truthy(msg:find("W: index 1: where must be a where table", 1, true), msg)
      assert.are.same({}, ddl("CREATE INDEX"))
      -- checked before any DDL: no table was made either (Sequelize makes the table, then fails)
      assert.are.same({}, ddl("CREATE"))
      msg = refused(db.sync, db)
      assert.truthy(msg:find("index odds_a:", 1, true), msg)
      assert.are.same({}, ddl("CREATE"))
    end)

    it("bulkCreate's default conflict target skips a partial unique index (as Sequelize's does)", function()
      local P = db:define("P", { a = DataTypes.STRING, b = DataTypes.INTEGER, deleted = DataTypes.BOOLEAN },
        { timestamps = false, indexes = { { unique = true, fields = { "a" }, where = { deleted = false } } } })
      local U = db:define("U", { a = DataTypes.STRING, b = DataTypes.INTEGER },
        { timestamps = false, indexes = { { unique = true, fields = { "a" } } } })
      db:sync()
      log = {}
      -- Sequelize: INSERT INTO `Ps` (`id`,`a`,`b`,`deleted`) VALUES (1,'x',1,0) ON CONFLICT (`id`) DO UPDATE ...
      P:bulkCreate({ { id = 1, a = "x", b = 1, deleted = false } }, { updateOnDuplicate = { "b" } })
      -- Sequelize: INSERT INTO `Us` (`id`,`a`,`b`) VALUES (NULL,'x',1) ON CONFLICT (`a`) DO UPDATE ...
      U:bulkCreate({ { a = "x", b = 1 } }, { updateOnDuplicate = { "b" } })
      local inserts = ddl("INSERT")
      assert.truthy(inserts[1]:find("ON CONFLICT (`id`) DO UPDATE", 1, true), inserts[1])
      assert.truthy(inserts[2]:find("ON CONFLICT (`a`) DO UPDATE", 1, true), inserts[2])
    end)
  end)

  describe("fields as tables", function()
    it("order writes ASC / DESC after the column, and SQLite keeps it", function()
      -- Sequelize: CREATE INDEX `o1` ON `Ts` (`a` DESC, `b` ASC) (it writes the order as given:
      -- `b` asc for "asc"; sequelua checks it and writes it in capitals)
      db:define("T", { a = DataTypes.STRING, b = DataTypes.INTEGER }, { indexes = {
        { name = "o1", fields = { { name = "a", order = "DESC" }, { attribute = "b", order = "asc" } } } } })
      db:sync()
      assert.are.same({ "CREATE INDEX `o1` ON `Ts` (`a` DESC, `b` ASC)" }, ddl("CREATE INDEX"))
      local desc = {}
      for _, r in ipairs(db:query("PRAGMA index_xinfo(`o1`)")) do
        if r.key == 1 then desc[r.name] = r.desc end
      end
      assert.are.same({ a = 1, b = 0 }, desc)
    end)

    it("collate writes a quoted collation; a NOCASE unique index rejects 'a' after 'A'", function()
      -- Sequelize: CREATE UNIQUE INDEX `cs_a` ON `Cs` (`a` COLLATE `NOCASE`)
      local C = db:define("C", { a = DataTypes.STRING }, { indexes = {
        { unique = true, fields = { { name = "a", collate = "NOCASE" } } } } })
      db:sync()
      assert.are.same({ "CREATE UNIQUE INDEX `cs_a` ON `Cs` (`a` COLLATE `NOCASE`)" }, ddl("CREATE UNIQUE INDEX"))
      local coll
      for _, r in ipairs(db:query("PRAGMA index_xinfo(`cs_a`)")) do if r.name == "a" then coll = r.coll end end
      assert.are.equal("NOCASE", coll)
      C:create({ a = "A" })
      local ok, err = pcall(C.create, C, { a = "a" })
      assert.is_false(ok)
      -- (Sequelize: SequelizeUniqueConstraintError, fields ["a"], 'a must be unique')
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.same({ "a" }, err.fields)
      C:create({ a = "b" })
      assert.are.equal(2, C:count())
    end)

    it("attribute names the column (over name), collate comes before order, length and operator are dropped", function()
      db:define("T", { a = DataTypes.STRING, b = { type = DataTypes.STRING, field = "bee" } }, { indexes = {
        -- Sequelize: CREATE INDEX `l1` ON `Ts` (`a`) (sqlite supports neither length nor operator)
        { name = "l1", fields = { { name = "a", length = 10, operator = "text_ops" } } },
        -- CREATE INDEX `p2` ON `Ts` (`a` COLLATE `NOCASE` DESC)
        { name = "p2", fields = { { name = "a", collate = "NOCASE", order = "DESC", length = 3 } } },
        -- an attribute's field, as for a field given by name (Sequelize writes `b`)
        { name = "f1", fields = { { attribute = "b" } } },
        -- unnamed: named by the fields' names (Sequelize's nameIndex: name, else attribute)
        { fields = { { attribute = "a", order = "DESC" } } },
      } })
      db:sync()
      assert.are.same({
        "CREATE INDEX `l1` ON `Ts` (`a`)",
        "CREATE INDEX `p2` ON `Ts` (`a` COLLATE `NOCASE` DESC)",
        "CREATE INDEX `f1` ON `Ts` (`bee`)",
        "CREATE INDEX `ts_a` ON `Ts` (`a` DESC)",
      }, ddl("CREATE INDEX"))
    end)

    it("refuses a bad order, collate, length or field option, naming the model, the index and what it expects", function()
      local function bad(fields, ...)
        local msg = refused(db.define, db, "Ix", { a = DataTypes.STRING }, { indexes = { { name = "ix_a", fields = fields } } })
        for _, want in ipairs({ "Ix: index 1 (ix_a):", ... }) do
          assert.truthy(msg:find(want, 1, true), msg .. " (wanted: " .. want .. ")")
        end
      end
      bad({ { name = "a", order = "UP" } }, "order must be \"ASC\" or \"DESC\", got UP")
      bad({ { name = "a", order = "DESC NULLS LAST" } }, "order must be \"ASC\" or \"DESC\"")
      bad({ { name = "a", order = 1 } }, "order must be \"ASC\" or \"DESC\"")
      bad({ { name = "a", collate = "NO CASE" } }, "collate must be a collation name", "NO CASE")
      bad({ { name = "a", collate = "x`; DROP TABLE t" } }, "collate must be a collation name")
      bad({ { name = "a", collate = "1abc" } }, "collate must be a collation name")
      bad({ { name = "a", length = -1 } }, "length must be a positive integer")
      bad({ { name = "a", bogus = 1 } }, "the field option 'bogus' is not supported")
      bad({ {} }, "fields must be attribute names")
      assert.are.same({}, log) -- nothing ran
    end)
  end)

  describe("fields as expressions", function()
    it("Sequelize.fn, col and literal are written as SQL, their values as literals; unnamed, named as Sequelize names them", function()
      local U = db:define("User", { email = DataTypes.STRING, name = DataTypes.STRING }, { indexes = {
        -- Sequelize: CREATE INDEX `users_` ON `Users` (lower(`email`))  (an expression has no name)
        { fields = { Sequelize.fn("lower", Sequelize.col("email")) } },
        -- CREATE UNIQUE INDEX `uname` ON `Users` (lower(`name`), `email`)
        { unique = true, name = "uname", fields = { Sequelize.fn("lower", Sequelize.col("name")), "email" } },
        -- CREATE INDEX `lit` ON `Users` (email COLLATE NOCASE)
        { name = "lit", fields = { Sequelize.literal("email COLLATE NOCASE") } },
        -- CREATE INDEX `sub` ON `Users` (substr(`name`, 1, 3), coalesce(`email`, 'it''s'))
        { name = "sub", fields = { Sequelize.fn("substr", Sequelize.col("name"), 1, 3),
                                   Sequelize.fn("coalesce", Sequelize.col("email"), "it's") } },
      }, timestamps = false })
      db:sync()
      assert.are.same({
        "CREATE INDEX `users_` ON `Users` (lower(`email`))",
        "CREATE UNIQUE INDEX `uname` ON `Users` (lower(`name`), `email`)",
        "CREATE INDEX `lit` ON `Users` (email COLLATE NOCASE)",
        "CREATE INDEX `sub` ON `Users` (substr(`name`, 1, 3), coalesce(`email`, 'it''s'))",
      }, ddl("CREATE.-INDEX"))
      -- the unique expression index holds: lower(name) and email together
      U:create({ name = "Abc", email = "x@y" })
      U:create({ name = "aBC", email = "other@y" })
      local ok, err = pcall(U.create, U, { name = "aBC", email = "x@y" })
      assert.is_false(ok)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
      assert.are.equal(2, U:count())
      -- queryInterface addIndex takes them too (Sequelize: CREATE INDEX `users_` ... raises, the name is in use)
      local qi = db:getQueryInterface()
      log = {}
      ok, err = pcall(qi.addIndex, qi, "Users", { Sequelize.fn("upper", Sequelize.col("name")) })
      assert.is_false(ok)
      assert.are.equal("index users_ already exists", err.message)
      qi:addIndex("Users", { Sequelize.fn("upper", Sequelize.col("name")) }, { name = "up" })
      assert.are.same({ "CREATE INDEX `users_` ON `Users` (upper(`name`))", "CREATE INDEX `up` ON `Users` (upper(`name`))" },
        ddl("CREATE.-INDEX"))
    end)

    it("a value an index cannot hold as a literal is refused, naming the index; nothing is created", function()
      db:define("V", { a = DataTypes.STRING }, { timestamps = false, indexes = {
        { name = "bad", fields = { Sequelize.fn("coalesce", Sequelize.col("a"), 0 / 0) } } } })
      local ok, err = pcall(db.sync, db)
      assert.is_false(ok)
      assert.truthy(tostring(err.message):find("bad", 1, true), err.message)
      assert.are.same({}, ddl("CREATE.-INDEX"))
    end)
  end)

  describe("index options", function()
    it("type UNIQUE is unique; using, parser, concurrently and prefix are dropped as on Sequelize's sqlite", function()
      local M = db:define("T", { a = DataTypes.STRING, b = DataTypes.INTEGER }, { indexes = {
        -- Sequelize: CREATE UNIQUE INDEX `t1` ON `Ts` (`b`)
        { name = "t1", type = "UNIQUE", fields = { "b" } },
        -- CREATE INDEX `u1` ON `Ts` (`b`)
        { name = "u1", using = "BTREE", fields = { "b" } },
        -- CREATE INDEX `p1` ON `Ts` (`b`)
        { name = "p1", parser = "foo", concurrently = true, operator = "text_ops", fields = { "b" } },
        -- CREATE INDEX `ts_a` ON `Ts` (`a`) (a model's indexes are named before prefix is read)
        { prefix = "pre", fields = { "a" }, type = "" },
      } })
      db:sync()
      assert.are.same({
        "CREATE UNIQUE INDEX `t1` ON `Ts` (`b`)",
        "CREATE INDEX `u1` ON `Ts` (`b`)",
        "CREATE INDEX `p1` ON `Ts` (`b`)",
        "CREATE INDEX `ts_a` ON `Ts` (`a`)",
      }, ddl("CREATE %a* ?INDEX"))
      M:create({ b = 1 })
      local ok, err = pcall(M.create, M, { b = 1 })
      assert.is_false(ok)
      assert.are.equal("SequelizeUniqueConstraintError", err.name)
    end)

    it("makes FULLTEXT and SPATIAL plain indexes (Sequelize's sqlite dialect drops the type)", function()
      local X = db:define("Ft", { a = DataTypes.STRING, b = DataTypes.STRING },
        { indexes = { { type = "FULLTEXT", fields = { "a" } }, { type = "spatial", fields = { "b" } } } })
      X:sync()
      local sql = {}
      for _, r in ipairs(db:query("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Fts' ORDER BY name")) do
        sql[#sql + 1] = r.sql
      end
      assert.are.same({ "CREATE INDEX `fts_a` ON `Fts` (`a`)", "CREATE INDEX `fts_b` ON `Fts` (`b`)" }, sql)
    end)

    it("refuses unknown types and options", function()
      local function bad(ix, ...)
        local msg = refused(db.define, db, "Ix", { a = DataTypes.STRING }, { indexes = { ix } })
        for _, want in ipairs({ "Ix: index 1", ... }) do
          assert.truthy(msg:find(want, 1, true), msg .. " (wanted: " .. want .. ")")
        end
      end
      bad({ fields = { "a" }, type = "BTREE" }, "type must be \"UNIQUE\", got BTREE")
      bad({ fields = { "a" }, using = 1 }, "using must be a string")
      bad({ fields = { "a" }, concurrently = "yes" }, "concurrently must be true or false")
      bad({ fields = { "a" }, whre = { a = 1 } }, "the option 'whre' is not supported")
      bad({ fields = { "a" }, name = 5 }, "name must be a string")
    end)
  end)

  describe("queryInterface", function()
    it("addIndex writes Sequelize's CREATE INDEX for each form; removeIndex drops by name or fields", function()
      db:define("T", { a = DataTypes.STRING, b = DataTypes.INTEGER, c = DataTypes.BOOLEAN, d = DataTypes.DATE },
        { timestamps = false })
      db:sync()
      local qi = db:getQueryInterface()
      log = {}
      -- Sequelize 6.37.8 (the same calls):
      --   CREATE INDEX `ts_a_b` ON `Ts` (`a`, `b`)
      --   CREATE UNIQUE INDEX `qb` ON `Ts` (`b`) WHERE `b` > 1
      --   CREATE UNIQUE INDEX `ts_c` ON `Ts` (`c`)
      --   CREATE INDEX `pp_d` ON `Ts` (`d` DESC)
      --   DROP INDEX IF EXISTS `qb` / `ts_a_b` / `nope`
      qi:addIndex("Ts", { "a", "b" })
      qi:addIndex("Ts", { "b" }, { name = "qb", unique = true, where = { b = { [Op.gt] = 1 } } })
      qi:addIndex("Ts", { fields = { "c" }, type = "UNIQUE" })
      qi:addIndex("Ts", { fields = { { name = "d", order = "DESC" } }, prefix = "pp" })
      assert.are.same({
        "CREATE INDEX `ts_a_b` ON `Ts` (`a`, `b`)",
        "CREATE UNIQUE INDEX `qb` ON `Ts` (`b`) WHERE `b` > 1",
        "CREATE UNIQUE INDEX `ts_c` ON `Ts` (`c`)",
        "CREATE INDEX `pp_d` ON `Ts` (`d` DESC)",
      }, ddl("CREATE %a* ?INDEX"))
      -- Sequelize's showIndex: INDEX_LIST in reverse, fields from INDEX_INFO (Sequelize 6.37.8
      -- gives these rows, its fields' length and order undefined, in this order)
      local list = qi:showIndex("Ts")
      assert.are.equal(
        '[{"constraintName":"ts_a_b","fields":[{"attribute":"a"},{"attribute":"b"}],"name":"ts_a_b","origin":"c","partial":0,"primary":false,"seq":3,"unique":false},'
        .. '{"constraintName":"qb","fields":[{"attribute":"b"}],"name":"qb","origin":"c","partial":1,"primary":false,"seq":2,"unique":true},'
        .. '{"constraintName":"ts_c","fields":[{"attribute":"c"}],"name":"ts_c","origin":"c","partial":0,"primary":false,"seq":1,"unique":true},'
        .. '{"constraintName":"pp_d","fields":[{"attribute":"d"}],"name":"pp_d","origin":"c","partial":0,"primary":false,"seq":0,"unique":false}]',
        Sequelize.stringify(list))
      log = {}
      qi:removeIndex("Ts", "qb")
      qi:removeIndex("Ts", { "a", "b" })
      qi:removeIndex("Ts", "nope")
      assert.are.same({ "DROP INDEX IF EXISTS `qb`", "DROP INDEX IF EXISTS `ts_a_b`", "DROP INDEX IF EXISTS `nope`" },
        ddl("DROP INDEX"))
      assert.are.equal(2, #qi:showIndex("Ts"))
    end)

    it("addIndex raises SQLite's error for a name in use, and refuses a where without a model or bad options", function()
      db:define("T", { c = DataTypes.BOOLEAN }, { timestamps = false })
      db:sync()
      local qi = db:getQueryInterface()
      qi:addIndex("Ts", { "c" })
      local ok, err = pcall(qi.addIndex, qi, "Ts", { "c" })
      assert.is_false(ok)
      -- (Sequelize: SequelizeDatabaseError, SQLITE_ERROR: index ts_c already exists)
      assert.are.equal("SequelizeDatabaseError", err.name)
      assert.are.equal("index ts_c already exists", err.message)
      db:query("CREATE TABLE plain (x INTEGER)")
      -- no model on the table (a migration): the where names its columns (Sequelize)
      qi:addIndex("plain", { fields = { "x" }, name = "plain_x_pos", where = { x = { [Sequelize.Op.gt] = 0 } } })
      assert.are.equal("CREATE INDEX `plain_x_pos` ON `plain` (`x`) WHERE `x` > 0",
        db:query("SELECT sql FROM sqlite_master WHERE name = 'plain_x_pos'")[1].sql)
      local msg = refused(qi.addIndex, qi, "plain", { fields = { "x" }, where = { nope = 1 } })
      assert.truthy(msg:find("Unknown attribute 'nope'", 1, true), msg)
      qi:addIndex("plain", { fields = { "x" } }) -- (columns as given: no model needed)
      msg = refused(qi.addIndex, qi, "Ts", { fields = { { name = "c", order = "sideways" } } })
      assert.truthy(msg:find("addIndex(Ts): index: field 'c': order must be", 1, true), msg)
      msg = refused(qi.addIndex, qi, "Ts", {})
      assert.truthy(msg:find("needs fields", 1, true), msg)
      msg = refused(qi.removeIndex, qi, "Ts", 5)
      assert.truthy(msg:find("removeIndex: expected an index name", 1, true), msg)
    end)

    it("addIndex takes Sequelize.col / fn(col) fields on a table no model is defined on (a migration)", function()
      -- Sequelize 6.37.8, the same calls on a table made by createTable:
      --   CREATE INDEX `ix_fn` ON `Items` (lower(`lastName`))
      --   CREATE INDEX `ix_col` ON `Items` (`lastName`)
      --   CREATE INDEX `items_` ON `Items` (upper(`lastName`))
      --   col('nope'): SequelizeDatabaseError SQLITE_ERROR: no such column: nope
      -- (this used to crash the interpreter: the col was looked up on a model that was not there)
      local qi = db:getQueryInterface()
      qi:createTable("Items", { id = { type = DataTypes.INTEGER, primaryKey = true }, lastName = DataTypes.STRING })
      log = {}
      qi:addIndex("Items", { Sequelize.fn("lower", Sequelize.col("lastName")) }, { name = "ix_fn" })
      qi:addIndex("Items", { Sequelize.col("lastName") }, { name = "ix_col" })
      qi:addIndex("Items", { fields = { Sequelize.fn("upper", Sequelize.col("lastName")) } })
      assert.are.same({
        "CREATE INDEX `ix_fn` ON `Items` (lower(`lastName`))",
        "CREATE INDEX `ix_col` ON `Items` (`lastName`)",
        "CREATE INDEX `items_` ON `Items` (upper(`lastName`))",
      }, ddl("CREATE INDEX"))
      local ok, err = pcall(qi.addIndex, qi, "Items", { Sequelize.col("nope") }, { name = "ix_n" })
      assert.is_false(ok)
      assert.are.equal("SequelizeDatabaseError", err.name)
      assert.are.equal("no such column: nope", err.message)
      -- (a missing table: describeTable's message; Sequelize: SQLITE_ERROR: no such table: main.Nope)
      ok, err = pcall(qi.addIndex, qi, "Nope", { Sequelize.fn("lower", Sequelize.col("x")) })
      assert.is_false(ok)
      assert.truthy(tostring(err.message):find('No description found for "Nope" table', 1, true), tostring(err))
      assert.are.equal(3, #qi:showIndex("Items"))
    end)
  end)
end)

describe("sync { alter = true } and the model's indexes", function()
  it("an index of the model's name defined otherwise is made again as the model says", function()
    -- Sequelize's sqlite alter rebuilds the table (losing its indexes), then makes the
    -- model's: CREATE UNIQUE INDEX `users_email` ON `Users` (`email`)
    local db = Sequelize.new("sqlite::memory:")
    db:define("User", { email = DataTypes.STRING, age = DataTypes.INTEGER },
      { timestamps = false, indexes = { { fields = { "email" } } } })
    db:sync()
    db:query("CREATE INDEX keep_me ON Users (age)")
    db.models.User = nil
    db:define("User", { email = DataTypes.STRING, age = DataTypes.STRING },
      { timestamps = false, indexes = { { fields = { "email" }, unique = true } } })
    local sqls = {}
    db:sync({ alter = true, logging = function(q) sqls[#sqls + 1] = q end })
    local r = db:query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Users' ORDER BY name",
      { type = "SELECT" })
    assert.are.same({ { name = "keep_me", sql = "CREATE INDEX keep_me ON Users (age)" },
                      { name = "users_email", sql = "CREATE UNIQUE INDEX `users_email` ON `Users` (`email`)" } }, r)
    db:query("INSERT INTO Users (email) VALUES ('a')")
    assert.is_false(pcall(db.query, db, "INSERT INTO Users (email) VALUES ('a')"))
    -- as the model says already: nothing dropped or made
    sqls = {}
    db:sync({ alter = true, logging = function(q) sqls[#sqls + 1] = q end })
    for _, q in ipairs(sqls) do assert.is_nil(q:find("INDEX", 1, true), q) end
    db:close()
  end)

  it("an index the rows cannot take leaves the old one in place (Sequelize's failed alter too)", function()
    local db = Sequelize.new("sqlite::memory:")
    local M = db:define("M", { a = DataTypes.STRING, b = DataTypes.STRING }, { timestamps = false,
      indexes = { { name = "ix", unique = true, fields = { "a", "b" } } } })
    db:sync()
    M:bulkCreate{ { a = "x", b = "y" }, { a = "x", b = "z" } }
    db.models.M = nil
    M = db:define("M", { a = DataTypes.STRING, b = DataTypes.STRING }, { timestamps = false,
      indexes = { { name = "ix", unique = true, fields = { "a" } } } })
    local ok, err = pcall(db.sync, db, { alter = true })
    assert.is_false(ok)
    assert.equal("SequelizeUniqueConstraintError", err.name)
    assert.same({ { sql = "CREATE UNIQUE INDEX `ix` ON `Ms` (`a`, `b`)" } },
      db:query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix'", { type = "SELECT" }))
    assert.is_false(pcall(M.create, M, { a = "x", b = "y" }))
    assert.equal(2, M:count())
    db:close()
  end)
end)

describe("an index on an attribute removed after sync", function()
  it("sync again finds the index there; a fresh table cannot take it (Sequelize)", function()
    -- Sequelize 6.37.8: the second sync is ok (index users_b kept); on a fresh database the
    -- index is made on the missing column: SequelizeDatabaseError "SQLITE_ERROR: no such column: b"
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { a = DataTypes.STRING, b = DataTypes.STRING },
      { timestamps = false, indexes = { { fields = { "b" } } } })
    db:sync()
    U:create{ a = "A", b = "B" }
    U:removeAttribute("b")
    db:sync()
    local idx = db:getQueryInterface():showIndex("Users")
    assert.equal("users_b", idx[1].name)
    db:close()
    db = Sequelize.new("sqlite::memory:")
    U = db:define("User", { a = DataTypes.STRING, b = DataTypes.STRING },
      { timestamps = false, indexes = { { fields = { "b" } } } })
    U:removeAttribute("b")
    local ok, err = pcall(db.sync, db)
    assert.is_false(ok)
    assert.equal("SequelizeDatabaseError", err.name)
    assert.equal("no such column: b", err.message)
    db:close()
  end)
end)
