-- Connections: URL and table forms, files, logging, foreign keys, close, bad input.
-- Messages were checked against Sequelize 6.37 (sqlite dialect).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

-- an error object with a message, whose tostring is "name: message"
local function catch(fn, ...)
  local err = support.catch_message(fn, ...)
  assert.are.equal(err.name .. ": " .. err.message, tostring(err))
  return err
end

local function tmpfile()
  local path = os.tmpname()
  os.remove(path)
  return path .. ".db"
end

local function define_users(db)
  local Users = db:define("Users", { username = DataTypes.STRING })
  return Users
end

local CLOSED = "ConnectionManager.getConnection was called after the connection manager was closed!"

describe("Sequelize.new", function()
  it("opens sqlite::memory:", function()
    local db = Sequelize.new("sqlite::memory:")
    local Users = define_users(db)
    db:sync()
    Users:create({ username = "a" })
    assert.are.equal("a", Users:findOne().username)
    db:close()
  end)

  it("in-memory databases are separate per handle", function()
    local db1 = Sequelize.new("sqlite::memory:")
    local db2 = Sequelize.new("sqlite::memory:")
    local U1, U2 = define_users(db1), define_users(db2)
    db1:sync(); db2:sync()
    U1:create({ username = "one" })
    assert.are.equal(1, U1:count())
    assert.are.equal(0, U2:count())
    db1:close()
    -- closing one handle leaves the other working
    U2:create({ username = "two" })
    assert.are.equal("two", U2:findOne().username)
    db2:close()
  end)

  it("sqlite:<path> writes a file that another handle reads after close", function()
    local path = tmpfile()
    local db1 = Sequelize.new("sqlite:" .. path)
    local U1 = define_users(db1)
    db1:sync()
    U1:create({ username = "persist" })
    db1:close()

    local f = io.open(path, "rb")
    assert.is_not_nil(f, "the database file should exist")
    f:close()

    local db2 = Sequelize.new("sqlite:" .. path)
    local U2 = define_users(db2)
    local list = U2:findAll()
    assert.are.equal(1, #list)
    assert.are.equal("persist", list[1].username)
    db2:close()
    os.remove(path)
  end)

  it("opens the file Sequelize's URL names: no query, fragment, user info or port in it", function()
    -- Sequelize 6.37.8 (url.parse, then path.join(hostname, pathname)):
    -- "sqlite:/tmp/x.db?foo=1" -> storage /tmp/x.db (the query is its dialectOptions),
    -- "sqlite:/tmp/x.db#frag" -> /tmp/x.db, "sqlite://u:p@host:1234/a.db" -> host/a.db,
    -- "sqlite:///tmp/z.db?x" -> /tmp/z.db, "sqlite://:memory:" -> a memory database
    local path = tmpfile()
    local db1 = Sequelize.new("sqlite:" .. path)
    db1:query("CREATE TABLE t (x)")
    db1:query("INSERT INTO t VALUES (7)")
    db1:close()
    for _, url in ipairs({ "sqlite:" .. path .. "?foo=1", "sqlite:" .. path .. "#frag",
                           "sqlite://" .. path .. "?app=x#y", "sqlite://u:p@:1234" .. path }) do
      local db = Sequelize.new(url)
      assert.are.equal(path, db.config.storage, url)
      assert.are.same({ { x = 7 } }, (db:query("SELECT x FROM t")), url)
      db:close()
    end
    for _, name in ipairs({ path .. "?foo=1", path .. "#frag", path .. "?app=x#y" }) do
      assert.is_nil(io.open(name, "rb"), name .. " should not have been made")
    end
    os.remove(path)
    assert.are.equal(":memory:", Sequelize.new("sqlite://:memory:").config.storage)
  end)

  it("takes database, username, password, host and port from a URL into db.config, as Sequelize", function()
    -- Sequelize 6.37.8, new Sequelize("sqlite://user:p:a%20ss@Host:5432/d.sqlite"): config
    -- { database: "d.sqlite", username: "user", password: "p:a ss", host: "host", port: "5432" }
    -- (storage host/d.sqlite); beforeInit's config holds the three, its options host and port;
    -- "sqlite:/x/y.db" -> database "x/y.db", password null, no username
    local host = "sqz_url_spec_" .. tostring(os.time())
    local seen_config, seen_opts
    Sequelize:addHook("beforeInit", "url_spec", function(c, o) seen_config, seen_opts = c, o end)
    local ok, db = pcall(Sequelize.new, "sqlite://user:p:a%20ss@" .. host:upper() .. ":5432/d.sqlite")
    Sequelize:removeHook("beforeInit", "url_spec")
    assert.is_true(ok, tostring(db))
    local c = db.config
    assert.are.equal("d.sqlite", c.database)
    assert.are.equal("d.sqlite", db:getDatabaseName())
    assert.are.equal("user", c.username)
    assert.are.equal("p:a ss", c.password)
    assert.are.equal(host, c.host)
    assert.are.equal("5432", c.port)
    assert.are.same({ database = "d.sqlite", username = "user", password = "p:a ss" }, seen_config)
    assert.are.equal(host, seen_opts.host)
    assert.are.equal("5432", seen_opts.port)
    db:close()
    os.remove(host .. "/d.sqlite"); os.remove(host)
    local path = tmpfile()
    local db2 = Sequelize.new("sqlite:" .. path)
    assert.are.equal(path:sub(2), db2.config.database)
    assert.is_nil(db2.config.username)
    assert.are.equal(Sequelize.null, db2.config.password)
    db2:close()
    os.remove(path)
    local db3 = Sequelize.new("sqlite://u@" .. path .. "?a=b")
    assert.are.equal("u", db3.config.username)
    assert.are.equal(Sequelize.null, db3.config.password)
    assert.are.equal(path:sub(2), db3.config.database)
    db3:close()
    os.remove(path)
  end)

  it("makes the storage's missing directories, as Sequelize's connection manager does", function()
    -- Sequelize 6.37.8: fs.mkdirSync(path.dirname(storage), { recursive: true }) before opening,
    -- so { storage: '/tmp/<new>/sub/x.db' } works; a :memory: database makes nothing
    local base = tmpfile():gsub("%.db$", "")
    local path = base .. "/sub/x.db"
    local db = Sequelize.new{ dialect = "sqlite", storage = path }
    db:query("CREATE TABLE t (x)")
    db:close()
    local f = io.open(path, "rb")
    assert.is_not_nil(f, "the database file should exist")
    f:close()
    local db2 = Sequelize.new("sqlite:" .. path)
    assert.are.same({}, (db2:query("SELECT x FROM t")))
    db2:close()
    os.remove(path); os.remove(base .. "/sub"); os.remove(base)
  end)

  it("takes Sequelize's positional form (database, username, password, options)", function()
    -- Sequelize 6.37.8: new Sequelize('db', 'user', 'pass', { dialect: 'sqlite', storage: ':memory:' }) works;
    -- without options (or a dialect in them): "Dialect needs to be explicitly supplied as of v4.0.0"
    local db = Sequelize.new("db", "user", "pass", { dialect = "sqlite", storage = ":memory:" })
    assert.are.equal(1, db:query("SELECT 1 AS x", { type = "SELECT" })[1].x)
    db:close()
    db = Sequelize.new(nil, nil, nil, { dialect = "sqlite", storage = ":memory:" })
    db:close()
    local ok, err = pcall(Sequelize.new, "db", "user", "pass")
    assert.is_false(ok)
    assert.are.equal("Dialect needs to be explicitly supplied as of v4.0.0", err.message)
    ok, err = pcall(Sequelize.new, "db", "user", "pass", 5)
    assert.is_false(ok)
    assert.are.equal("Sequelize.new: options must be a table", err.message)
    -- a nil (or "") one leaves the option's: new Sequelize(null, null, null, { database: 'app_test', ... })
    -- then passes sync({ match: /_test$/ }) (Sequelize 6.37.8: database || options.database)
    db = Sequelize.new(nil, nil, nil, { dialect = "sqlite", database = "app_test" })
    assert.are.equal("app_test", db.options.database)
    db:sync({ match = "_test$" })
    db:close()
    db = Sequelize.new("", "u", "p", { dialect = "sqlite", database = "app_test", username = "o" })
    assert.are.same({ "app_test", "u" }, { db.options.database, db.options.username })
    db:close()
    -- (Sequelize:new(...) with a colon)
    ok, err = pcall(function() return Sequelize:new("sqlite::memory:") end)
    assert.is_false(ok)
    assert.truthy(err.message:find("call it with a dot", 1, true), err.message)
  end)

  it("is callable: Sequelize(...)", function()
    local db = Sequelize("sqlite::memory:")
    local Users = define_users(db)
    db:sync()
    Users:create({ username = "called" })
    assert.are.equal("called", Users:findOne().username)
    db:close()
  end)

  it("accepts the table form { dialect, storage, logging } and logs 'Executing (default): ...'", function()
    local path = tmpfile()
    local msgs = {}
    local db = Sequelize.new({ dialect = "sqlite", storage = path, logging = function(msg) msgs[#msgs + 1] = msg end })
    local Users = define_users(db)
    db:sync()
    Users:create({ username = "t" })
    local rows = db:query("SELECT 2 AS two", { type = "SELECT" })
    assert.are.equal(2, rows[1].two)
    assert.is_true(#msgs > 0)
    for _, m in ipairs(msgs) do
      assert.are.equal("string", type(m))
      assert.is_truthy(m:match("^Executing %(.-%): "), m)
    end
    -- raw SQL without replacements is logged as given (Sequelize: "Executing (default): SELECT 2 AS two")
    assert.are.equal("Executing (default): SELECT 2 AS two", msgs[#msgs])
    local created = false
    for _, m in ipairs(msgs) do
      if m:match("^Executing %(default%): CREATE TABLE IF NOT EXISTS `Users`") then created = true end
    end
    assert.is_true(created)
    db:close()

    local db2 = Sequelize({ dialect = "sqlite", storage = path })
    local U2 = define_users(db2)
    assert.are.equal("t", U2:findOne().username)
    db2:close()
    os.remove(path)
  end)

  it("logging = false logs nothing, and a per-query logging option is used for that query only", function()
    local global, local_ = {}, {}
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:",
                               logging = function(m) global[#global + 1] = m end })
    local Users = define_users(db)
    db:sync()
    global = {}
    Users:findAll({ logging = function(m) local_[#local_ + 1] = m end })
    assert.are.equal(0, #global)
    assert.are.equal(1, #local_)
    assert.is_truthy(local_[1]:match("^Executing %(default%): SELECT"), local_[1])
    Users:create({ username = "q" }, { logging = false })
    db:query("SELECT 1", { logging = false })
    assert.are.equal(0, #global)
    Users:count()
    assert.are.equal(1, #global)
    assert.are.equal(1, Users:count({ logging = false }))
    db:close()

    local quiet = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = false })
    local Q = define_users(quiet)
    quiet:sync()
    Q:create({ username = "x" })
    assert.are.equal(1, Q:count())
    quiet:close()
  end)

  it("turns foreign keys on", function()
    local db = Sequelize.new("sqlite::memory:")
    local rows = db:query("PRAGMA foreign_keys", { type = "SELECT" })
    assert.are.equal(1, rows[1].foreign_keys)
    db:close()
    local path = tmpfile()
    local fdb = Sequelize.new("sqlite:" .. path)
    rows = fdb:query("PRAGMA foreign_keys", { type = "SELECT" })
    assert.are.equal(1, rows[1].foreign_keys)
    fdb:close()
    os.remove(path)
  end)

  it("leaves them off with foreignKeys = false, as Sequelize's sqlite connection manager does", function()
    -- Sequelize 6.37.8, { foreignKeys: false }: PRAGMA foreign_keys gives [{"foreign_keys":0}] and
    -- C.create({ PId: 42 }) with no P 42 is created; with the default, SequelizeForeignKeyConstraintError
    local db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", foreignKeys = false }
    assert.are.equal(0, db:query("PRAGMA foreign_keys", { type = "SELECT" })[1].foreign_keys)
    local P, C = db:define("P", {}), db:define("C", {})
    C:belongsTo(P)
    db:sync()
    assert.are.equal(42, C:create({ PId = 42 }).PId)
    -- a drop of a cycle of constraints (run with foreign keys off) leaves them off too
    local A, B = db:define("A", {}), db:define("B", {})
    A:belongsTo(B, { constraints = false }); B:belongsTo(A)
    db:sync()
    A:belongsTo(B, { as = "x" })
    db:drop()
    assert.are.equal(0, db:query("PRAGMA foreign_keys", { type = "SELECT" })[1].foreign_keys)
    db:close()
    local on = Sequelize.new{ dialect = "sqlite", storage = ":memory:", foreignKeys = true }
    assert.are.equal(1, on:query("PRAGMA foreign_keys", { type = "SELECT" })[1].foreign_keys)
    on:close()
    assert.matches("foreignKeys must be a boolean",
      catch(Sequelize.new, { dialect = "sqlite", storage = ":memory:", foreignKeys = 0 }).message, 1, true)
  end)
end)

describe("a logging function", function()
  local db, M, log
  before_each(function()
    log = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(m) log[#log + 1] = m end })
    M = db:define("M", { a = DataTypes.STRING, b = DataTypes.STRING })
    db:sync()
    support.clear(log)
  end)
  after_each(function() db:close() end)

  it("sees every statement bulkCreate runs, the reused INSERTs included", function()
    local rows = {}
    for i = 1, 250 do rows[i] = { a = "r" .. i } end
    M:bulkCreate(rows)
    local inserts = {}
    for _, m in ipairs(log) do if m:find("INSERT INTO", 1, true) then inserts[#inserts + 1] = m end end
    assert.are.equal(3, #inserts) -- 100, 100 and 50 rows
    assert.are.equal(250, M:count())
  end)

  it("may run queries of its own, with or without logging, during a write", function()
    local outer, inner = {}, 0
    local function quiet() inner = inner + 1 end
    local function logger(m)
      outer[#outer + 1] = m
      M:count({ logging = quiet }) -- replaces the call's logger while it runs
      M:count({ logging = false })
    end
    M:bulkCreate({ { a = "1" }, { b = "2" }, { a = "3" } }, { logging = logger })
    -- SAVEPOINT, three INSERTs (another shape each time), RELEASE: every one seen
    assert.are.equal(5, #outer)
    assert.are.equal(5, inner)
    assert.are.equal(3, M:count())
  end)

  it("that saves another row of another shape does not change the UPDATE being run", function()
    local one = M:create({ a = "a1", b = "b1" }, { logging = false })
    local two = M:create({ a = "a2", b = "b2" }, { logging = false })
    one:update({ a = "warm" }, { logging = false }) -- the model keeps the UPDATE of `a`
    local function logger()
      two:update({ b = "b2-audit" }, { logging = false }) -- and now keeps the UPDATE of `b`
    end
    one:update({ a = "NEW-A" }, { logging = logger })
    local rows = db:query("SELECT id, a, b FROM Ms ORDER BY id", { type = "SELECT", logging = false })
    assert.are.same({ { id = 1, a = "NEW-A", b = "b1" }, { id = 2, a = "a2", b = "b2-audit" } }, rows)
  end)

  it("that raises: its own error reaches the caller, the statement does not run, nothing leaks", function()
    local function boom() error({ mine = true }) end
    M:create({ a = "x" }, { logging = false })
    local calls = {
      function() return M:findAll({ logging = boom }) end,
      function() return M:findAll({ logging = boom, limit = 1, include = {} }) end,
      function() return M:count({ logging = boom }) end,
      function() return M:max("a", { logging = boom }) end,
      function() return M:findByPk(1, { logging = boom }) end,
      function() return M:create({ a = "no" }, { logging = boom }) end,
      function() return M:bulkCreate({ { a = "no" }, { a = "no" } }, { logging = boom }) end,
      function() return M:update({ a = "no" }, { where = { a = "x" }, logging = boom }) end,
      function() return M:destroy({ where = { a = "x" }, logging = boom }) end,
      function() return db:query("DELETE FROM Ms", { logging = boom }) end,
    }
    for i = 1, 3 do -- (again: a kept statement's path too)
      for k, call in ipairs(calls) do
        local ok, err = pcall(call)
        assert.is_false(ok, "call " .. k .. " round " .. i)
        assert.are.same({ mine = true }, err)
      end
    end
    local rows = db:query("SELECT a FROM Ms", { type = "SELECT", logging = false })
    assert.are.same({ { a = "x" } }, rows)
    -- and the db logs as before
    support.clear(log)
    M:count()
    assert.are.equal(1, #log)
  end)
end)

describe("db:close()", function()
  local db, Users, u

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Users = define_users(db)
    db:sync()
    u = Users:create({ username = "a" })
    db:close()
  end)

  -- Sequelize: Error "ConnectionManager.getConnection was called after the connection manager was closed!"
  local function assert_closed(fn)
    local err = catch(fn)
    assert.are.equal("Error", err.name)
    assert.are.equal(CLOSED, err.message)
  end

  it("any use afterwards raises an error object naming the problem", function()
    assert_closed(function() Users:findAll() end)
    assert_closed(function() Users:findOne() end)
    assert_closed(function() Users:count() end)
    assert_closed(function() Users:create({ username = "b" }) end)
    assert_closed(function() Users:update({ username = "c" }, { where = { id = u.id } }) end)
    assert_closed(function() Users:destroy({ where = { id = u.id } }) end)
    assert_closed(function() db:query("SELECT 1") end)
    assert_closed(function() db:sync() end)
    assert_closed(function() db:transaction() end)
    assert_closed(function() db:transaction(function() return 1 end) end)
  end)

  it("instance methods raise it too", function()
    u.username = "b"
    assert_closed(function() u:save() end)
    assert_closed(function() u:reload() end)
    assert_closed(function() u:destroy() end)
  end)

  it("a transaction begun before it: commit / rollback log their statement and fail with SQLITE_MISUSE", function()
    -- Sequelize 6.37.8 (its transaction holds the connection that was closed): t.commit() logs
    -- "COMMIT;" and rejects with SequelizeDatabaseError "SQLITE_MISUSE: Database is closed",
    -- parent { errno: 21, code: 'SQLITE_MISUSE', sql: 'COMMIT;' }, sql "COMMIT;", the transaction
    -- finished ("commit"; commit again: "...finished with state: commit"); t.rollback() likewise
    -- with "ROLLBACK;"; a managed transaction whose callback closes the connection rejects with
    -- the COMMIT's. (Here the message is SQLite's text without the code, as for every database error.)
    for _, op in ipairs({ "commit", "rollback" }) do
      local log = {}
      local d = Sequelize.new("sqlite::memory:", { logging = function(m) log[#log + 1] = m end })
      local U = define_users(d)
      d:sync()
      local t = d:transaction()
      U:create({ username = "x" }, { transaction = t })
      d:close()
      local stmt = op == "commit" and "COMMIT;" or "ROLLBACK;"
      local err = catch(function() t[op](t) end)
      assert.are.same({ "SequelizeDatabaseError", "Database is closed", stmt, "SQLITE_MISUSE", 21 },
                      { err.name, err.message, err.sql, err.parent.code, err.parent.errno })
      assert.is_true(err:is(Sequelize.errors.DatabaseError))
      assert.are.equal(("Executing (%s): %s"):format(t.id, stmt), log[#log])
      assert.are.equal(op, t.finished)
      err = catch(function() t[op](t) end)
      assert.are.equal(("Transaction cannot be %s because it has been finished with state: %s")
        :format(op == "commit" and "committed" or "rolled back", op), err.message)
      assert_closed(function() U:findAll() end)
    end
    local d = Sequelize.new("sqlite::memory:")
    local err = catch(function() d:transaction(function() d:close() end) end)
    assert.are.same({ "SequelizeDatabaseError", "Database is closed", "COMMIT;" }, { err.name, err.message, err.sql })
  end)

  it("a savepoint begun before it: its rollback whose logger raises gives the logger's error (no crash)", function()
    -- (the ROLLBACK TO failed on no connection, and the RELEASE after it then read the closed
    -- connection: a segfault)
    local d = Sequelize.new("sqlite::memory:", { logging = false })
    local t = d:transaction()
    local sp = d:transaction({ transaction = t })
    d:close()
    sp.options.logging = function() error("logger boom") end
    local ok, err = pcall(sp.rollback, sp)
    assert.is_false(ok)
    assert.truthy(tostring(err):find("logger boom", 1, true))
    err = catch(function() t:rollback() end)
    assert.are.same({ "SequelizeDatabaseError", "Database is closed" }, { err.name, err.message })
  end)

  it("the error is the same on every call (no crash after repeated use)", function()
    for _ = 1, 3 do assert_closed(function() Users:findAll() end) end
    -- closing again does not crash the process; the handle stays closed
    pcall(db.close, db)
    assert_closed(function() Users:count() end)
  end)
end)

describe("bad connection arguments", function()
  it("an unsupported dialect raises", function()
    -- Sequelize: "The dialect foo is not supported. Supported dialects: mssql, mariadb, mysql, ..."
    local err = catch(function() Sequelize.new("foo::memory:") end)
    assert.is_truthy(err.message:find("The dialect foo is not supported.", 1, true), err.message)
    err = catch(function() Sequelize.new({ dialect = "oracle9", storage = ":memory:" }) end)
    assert.is_truthy(err.message:find("The dialect oracle9 is not supported.", 1, true), err.message)
  end)

  it("a table without a dialect raises", function()
    -- Sequelize: "Dialect needs to be explicitly supplied as of v4.0.0"
    local err = catch(function() Sequelize.new({ storage = ":memory:" }) end)
    assert.are.equal("Dialect needs to be explicitly supplied as of v4.0.0", err.message)
  end)

  it("a malformed URL raises an error object", function()
    catch(function() Sequelize.new("nonsense") end)
    catch(function() Sequelize.new("") end)
  end)

  it("a storage that cannot be opened raises SequelizeConnectionError by the first query", function()
    -- Sequelize opens lazily and rejects with SequelizeConnectionError
    -- "SQLITE_CANTOPEN: unable to open database file" (here: a directory as the storage)
    local ok, err = pcall(function()
      local db = Sequelize.new("sqlite:/tmp")
      db:query("SELECT 1")
    end)
    assert.is_false(ok)
    assert.are.equal("table", type(err))
    assert.are.equal("SequelizeConnectionError", err.name)
    assert.is_true(err:is(Sequelize.errors.ConnectionError))
    assert.is_true(err:is(Sequelize.errors.BaseError))
    assert.is_truthy(err.message:find("unable to open database file", 1, true), err.message)
  end)
end)

describe("logQueryParameters", function()
  it("logs each statement with its bound values as JSON, once its values are bound (Sequelize's option)", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { logging = function(m) log[#log + 1] = m end, logQueryParameters = true })
    local U = db:define("User", { name = DataTypes.STRING, n = DataTypes.INTEGER })
    db:sync({ logging = false })
    local u = U:create({ name = "it's \"q\"", n = 1 })
    assert.truthy(log[1]:find('^Executing %(default%): INSERT INTO `Users` %(`n`,`name`,`createdAt`,`updatedAt`%) VALUES %(%?,%?,%?,%?%); %[1,"it\'s \\"q\\"","'), log[1])
    U:findAll({ where = { n = 2 } })
    assert.truthy(log[2]:find("WHERE `User`.`n` = ?; [2]", 1, true), log[2])
    u:update({ n = Sequelize.null })
    assert.truthy(log[3]:find("; [null,", 1, true), log[3])
    db:query("SELECT ? AS a", { replacements = { 5 } })
    assert.are.equal("Executing (default): SELECT ? AS a; [5]", log[4])
    U:findByPk(1); U:findByPk(1) -- a kept statement is logged each time, with its values
    assert.are.equal(log[5], log[6])
    assert.truthy(log[6]:find("; [1]", 1, true), log[6])
    u:update({ n = 5 }); u:update({ n = 6 }) -- the kept UPDATE too
    assert.truthy(log[#log]:find("; [6,", 1, true), log[#log])
    db:transaction(function(t) U:count({ transaction = t }) end)
    assert.truthy(log[#log - 2]:find("^Executing %([%x%-]+%): BEGIN DEFERRED TRANSACTION;$"), log[#log - 2])
    assert.truthy(log[#log - 1]:find("SELECT count%(%*%) AS `count` FROM `Users` AS `User`;$"), log[#log - 1])
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    assert.truthy(log[#log - 1]:find('VALUES (?,?,?),(?,?,?); ["a","', 1, true), log[#log - 1])
    db:close()
  end)

  it("a logger that raises: that statement does not run, its error comes back, the transaction goes on", function()
    local db = Sequelize.new("sqlite::memory:", { logQueryParameters = true })
    local U = db:define("User", { name = DataTypes.STRING })
    db:sync()
    local mine = { name = "LoggerError", message = "broke" }
    db:transaction(function(t)
      U:create({ name = "A" }, { transaction = t })
      local err = support.catch(function()
        U:create({ name = "B" }, { transaction = t, logging = function() error(mine) end })
      end)
      assert.are.equal(mine, err)
      U:create({ name = "C" }, { transaction = t })
    end)
    assert.are.same({ "A", "C" }, support.field(U:findAll({ order = { { "id" } } }), "name"))
    -- a logger that queries itself, and one whose query fails
    local seen = {}
    U:create({ name = "D" }, { logging = function(m)
      seen[#seen + 1] = m
      U:count({ logging = false })
      pcall(function() db:query("SELECT 1 AS x", { logging = function() error("inner") end }) end)
    end })
    assert.are.equal(3, U:count()) -- A, C, D
    assert.are.equal(1, #seen)
    -- a statement that fails before it runs leaves nothing pending for the next one
    local log = {}
    pcall(db.query, db, "SELEKT ? AS a", { replacements = { 5 }, logging = function(m) log[#log + 1] = m end })
    db:transaction({ logging = function(m) log[#log + 1] = m end }, function() end)
    assert.truthy(log[1]:find("SELEKT", 1, true), log[1]) -- (logged as it failed, once)
    for i = 2, #log do assert.falsy(log[i]:find("SELEKT", 1, true), log[i]) end
    -- one that fails before it runs, whose logger queries: the error raised is the statement's
    local err = support.catch(db.query, db, "SELECT nope FROM Users", { logging = function() U:count({ logging = false }) end })
    assert.are.equal("SequelizeDatabaseError", err.name)
    assert.are.equal("no such column: nope", err.message)
    assert.are.equal("table", type(support.catch(Sequelize.new, "sqlite::memory:", { logQueryParameters = "yes" })))
    -- a logger that runs the very statement waiting (the same SQL, the same cached or kept
    -- statement): the waiting one runs with its own values
    local Log = db:define("Log", { msg = DataTypes.STRING })
    Log:sync()
    Log:create({ msg = "app entry" }, { logging = function() Log:create({ msg = "audit" }, { logging = false }) end })
    assert.are.same({ "audit", "app entry" }, support.field(Log:findAll({ order = { { "id" } } }), "msg"))
    local got = Log:findByPk(1, { logging = function() Log:findByPk(2, { logging = false }) end })
    assert.are.equal(1, got.id)
    local rows = Log:findAll({ where = { msg = "app entry" },
      logging = function() Log:findAll({ where = { msg = "audit" }, logging = false }) end })
    assert.are.same({ "app entry" }, support.field(rows, "msg"))
    local second = Log:findByPk(2)
    second:update({ msg = "ONE" }, { logging = function()
      Log:findByPk(1, { logging = false }):update({ msg = "TWO" }, { logging = false })
    end })
    assert.are.same({ "TWO", "ONE" }, support.field(Log:findAll({ order = { { "id" } } }), "msg"))
    -- a statement that fails before it runs is logged, without values
    local flog = {}
    pcall(db.query, db, "SELECT ? AS a FROM nosuch", { replacements = { 1 }, logging = function(m) flog[#flog + 1] = m end })
    assert.are.same({ "Executing (default): SELECT ? AS a FROM nosuch" }, flog)
    -- a logger whose queries empty the statement cache: the waiting statement does not run
    local n = U:count()
    local err = support.catch_message(function()
      U:create({ name = "E" }, { logging = function()
        for i = 1, 600 do U:findAll({ attributes = { { Sequelize.literal(tostring(i)), "x" } }, logging = false }) end
      end })
    end)
    assert.truthy(err.message:find("emptied the statement cache", 1, true), err.message)
    assert.are.equal(n, U:count())
    db:close()
  end)
end)

-- The constructor's options, as Sequelize 6.37.8 takes them (/tmp/sqz/mo_new.js)
describe("a query's logging option", function()
  it("must be a function or false: another value raises before any SQL (Sequelize: a TypeError)", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { logging = function(m) log[#log + 1] = m end })
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    log = {}
    for _, bad in ipairs({ "x", 1, {} }) do
      local e = support.catch(function() U:create({ name = "a" }, { logging = bad }) end)
      assert.truthy(tostring(e):find("options.logging must be a function or false", 1, true), tostring(e))
    end
    assert.are.equal(0, U:count({ logging = false }))
    assert.are.equal(0, #log)
    db:close()
  end)
end)

describe("benchmark", function()
  -- Sequelize 6.37.8, new Sequelize({ benchmark: true, logging: (m, ms) => ... }): each
  -- statement logged once it has run, "Executed (default): <sql>" with the elapsed ms (a
  -- number) as the second argument; a failed statement too; in a transaction its id; a
  -- query's own `benchmark: false` does not turn it off, a query's `benchmark: true` turns it on
  local function logger(log) return function(m, ms) log[#log + 1] = { m, ms } end end

  it("logs each statement after it ran, with its elapsed ms, as Sequelize's option does", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { benchmark = true, logging = logger(log) })
    local U = db:define("User", { name = DataTypes.STRING })
    db:sync()
    U:create({ name = "a" })
    assert.truthy(log[#log][1]:find("^Executed %(default%): INSERT INTO `Users`"), log[#log][1])
    assert.are.equal("number", type(log[#log][2]))
    assert.is_true(log[#log][2] >= 0)
    if math.type then assert.are.equal("integer", math.type(log[#log][2])) end
    U:findAll({ where = { name = "a" }, benchmark = false })
    assert.truthy(log[#log][1]:find("^Executed %(default%): SELECT .* WHERE `User`.`name` = %?;$"), log[#log][1])
    db:transaction(function(t) U:count({ transaction = t }) end)
    assert.truthy(log[#log - 2][1]:find("^Executed %([%x%-]+%): BEGIN DEFERRED TRANSACTION;$"), log[#log - 2][1])
    assert.truthy(log[#log][1]:find("^Executed %([%x%-]+%): COMMIT;$"), log[#log][1])
    local n = #log
    local ok = pcall(db.query, db, "SELECT nope FROM Users")
    assert.is_false(ok)
    assert.are.same({ "Executed (default): SELECT nope FROM Users", "number" }, { log[n + 1][1], type(log[n + 1][2]) })
    db:close()
  end)

  it("a query's benchmark = true turns it on for that query; logQueryParameters adds the values", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { logging = logger(log), logQueryParameters = true })
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    U:findAll({ where = { name = "x" }, benchmark = true })
    assert.truthy(log[#log][1]:find("^Executed %(default%): SELECT .*; %[\"x\"%]$"), log[#log][1])
    assert.are.equal("number", type(log[#log][2]))
    U:findAll({ where = { name = "y" } })
    assert.truthy(log[#log][1]:find("^Executing %(default%): SELECT"), log[#log][1])
    assert.are.equal("table", type(log[#log][2])) -- (Sequelize: logging(sql, options) without benchmark)
    -- a statement that fails before its values are bound is logged once run too, with its ms
    -- (Sequelize 6.37.8, benchmark + logQueryParameters, bind: [1]:
    --  ["Executed (default): SELECT nope FROM x WHERE a = $1; {\"$1\":1}", 1])
    pcall(db.query, db, "SELECT nope FROM Users WHERE name = ?", { replacements = { "x" }, benchmark = true })
    assert.are.equal("Executed (default): SELECT nope FROM Users WHERE name = ?", log[#log][1])
    assert.are.equal("number", type(log[#log][2]))
    db:close()
  end)

  it("a logger that raises: its error comes back from the call whose statement has run; one that queries is refused", function()
    local db = Sequelize.new("sqlite::memory:", { benchmark = true })
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    local mine = { name = "LoggerError" }
    local ok, e = pcall(U.create, U, { name = "a" }, { logging = function() error(mine) end })
    assert.is_false(ok)
    assert.are.equal(mine, e)
    assert.are.equal(1, U:count()) -- (the row was written: the statement had run)
    ok, e = pcall(U.findAll, U, { logging = function() U:count() end })
    assert.is_false(ok)
    assert.truthy(tostring(e):find("a benchmark logger cannot run queries", 1, true), tostring(e))
    assert.are.equal(1, #U:findAll())
    db:close()
  end)

  it("a bad argument of a call made inside another names the function, as one made alone does", function()
    -- (a call made inside another runs protected: its error named the function '?', not the
    -- module's; LuaJIT names neither when the call comes from C)
    local core = require("sequelua.core")
    local db = Sequelize.new("sqlite::memory:")
    local _, alone = pcall(core.query, db._db, {})
    local inner
    db:query("SELECT 1 AS q", { logging = function() _, inner = pcall(core.query, db._db, {}) end })
    assert.truthy(tostring(alone):find("bad argument #2", 1, true), tostring(alone))
    assert.are.equal(alone, inner)
    assert.are.same({ { q = 1 } }, db:query("SELECT 1 AS q", { type = "SELECT" }))
    db:close()
  end)

  it("a logger's own benchmark query leaves the call it logs as it was (its next statements logged before they run)", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    U:create({ name = "a" })
    local log, inner = {}, {}
    -- (a limit with a to-many include: two statements in one call)
    U:findAll({ include = { P }, limit = 1, logging = function(m, ms)
      log[#log + 1] = { m, ms }
      if #log == 1 then U:count({ benchmark = true, logging = function(im, ims) inner[#inner + 1] = { im, ims } end }) end
    end })
    assert.are.equal(2, #log)
    for _, l in ipairs(log) do
      assert.truthy(l[1]:find("^Executing %(default%): SELECT"), l[1])
      assert.are.equal("table", type(l[2])) -- (no ms: the options, Sequelize's logging(sql, options))
    end
    assert.truthy(inner[1][1]:find("^Executed %(default%): SELECT count"), inner[1][1])
    assert.are.equal("number", type(inner[1][2]))
    db:close()
  end)

  it("a benchmark logger that closes the connection is refused (the statement it logs is still held)", function()
    -- (was a segfault: the write's changes count read from the closed connection)
    local db = Sequelize.new("sqlite::memory:", { benchmark = true })
    local U = db:define("User", { name = { type = DataTypes.STRING, unique = true } }, { timestamps = false })
    db:sync()
    local closer = { logging = function() db:close() end }
    for _, call in ipairs({
      function() return U:create({ name = "a" }, closer) end,
      function() return U:update({ name = "b" }, { where = { name = "a" }, logging = closer.logging }) end,
      function() return db:query("UPDATE Users SET name = 'c'", closer) end,
      function() return U:findAll(closer) end,
    }) do
      local ok, e = pcall(call)
      assert.is_false(ok)
      assert.truthy(tostring(e):find("a benchmark logger cannot close the connection", 1, true), tostring(e))
    end
    -- a failing statement is logged too: its own error is the one raised, the connection stays
    local ok, e = pcall(U.create, U, { name = "c" }, closer)
    assert.is_false(ok)
    assert.are.equal("SequelizeUniqueConstraintError", e.name)
    assert.are.same({ "c" }, { U:findAll()[1].name })
    db:close()
  end)
  it("a logger that removes an attribute or makes an association is refused (the statement it logs reads the attributes)", function()
    -- (was: the rows read into the wrong attributes, and a freed attribute read when it was the last)
    local db = Sequelize.new("sqlite::memory:")
    local P = db:define("Post", { title = DataTypes.STRING, zeta = DataTypes.STRING }, { timestamps = false })
    local O = db:define("Org", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    P:create({ title = "t1", zeta = "z1" })
    for _, change in ipairs({ function() P:removeAttribute("zeta") end, function() P:belongsTo(O) end }) do
      for _, raw in ipairs({ false, true }) do
        local ok, e = pcall(P.findAll, P, { raw = raw, logging = change })
        assert.is_false(ok)
        assert.truthy(tostring(e):find("a logging function may not", 1, true), tostring(e))
      end
    end
    assert.is_table(P.rawAttributes.zeta)
    assert.is_nil(P.rawAttributes.OrgId)
    assert.are.same({ { id = 1, title = "t1", zeta = "z1" } }, P:findAll({ raw = true }))
    db:close()
  end)
end)

describe("Sequelize.new options", function()
  it("timezone: only +00:00, else Sequelize's sqlite error", function()
    local err = catch(Sequelize.new, "sqlite::memory:", { timezone = "+02:00" })
    assert.are.equal("Setting a custom timezone is not supported by SQLite, dates are always returned as UTC. "
      .. "Please remove the custom timezone parameter.", err.message)
    assert.is_table(Sequelize.new("sqlite::memory:", { timezone = "+00:00" }))
  end)

  it("an unknown option raises naming it; an unsupported value of a fixed one too", function()
    assert.matches('unknown option "storag"', catch(Sequelize.new, "sqlite::memory:", { storag = "x.db" }).message, 1, true)
    assert.matches('attributeBehavior = escape is not supported', catch(Sequelize.new, { dialect = "sqlite",
      attributeBehavior = "escape" }).message, 1, true)
    assert.matches("quoteIdentifiers = false", catch(Sequelize.new, "sqlite::memory:", { quoteIdentifiers = false }).message, 1, true)
    assert.matches("define must be a table", catch(Sequelize.new, "sqlite::memory:", { define = true }).message, 1, true)
  end)

  it("options of other dialects and of the connection pool are accepted and ignored", function()
    local db = Sequelize.new("sqlite::memory:", { host = "localhost", port = 5432, pool = { max = 5 },
      retry = { max = 3 }, dialectOptions = {}, omitNull = false, quoteIdentifiers = true, minifyAliases = true })
    local U = define_users(db)
    db:sync()
    U:create({ username = "a" })
    assert.are.equal(1, U:count())
  end)

  it("hooks: the Sequelize object's own hooks, run for every model", function()
    -- Sequelize: (await R.create({ a: 'x' })).a -> "H"
    local db = Sequelize.new("sqlite::memory:", { hooks = { beforeCreate = function(i) i.a = "H" end } })
    local R = db:define("R", { a = DataTypes.STRING })
    db:sync()
    assert.are.equal("H", R:create({ a = "x" }).a)
    assert.is_true(db:hasHook("beforeCreate"))
  end)

  it("query: defaults of db:query's options", function()
    local db = Sequelize.new("sqlite::memory:", { query = { type = "SELECT" } })
    -- Sequelize: [{ x: 1 }], no metadata
    local rows, meta = db:query("SELECT 1 AS x")
    assert.are.same({ { x = 1 } }, rows)
    assert.is_nil(meta)
    rows, meta = db:query("SELECT 1 AS x", { type = "RAW" })
    assert.are.same({}, meta)
  end)

  it("query = { raw = true }: the row finders' default too, as Sequelize merges it into their queries", function()
    -- Sequelize 6.37.8, new Sequelize({ ..., query: { raw: true } }):
    --   typeof (await U.findAll())[0].save -> "undefined" (a plain row); likewise findOne, findByPk;
    --   U.findAll({ raw: false }) gives instances
    local db = Sequelize.new("sqlite::memory:", { query = { raw = true } })
    local U = db:define("U", { n = DataTypes.INTEGER }, { timestamps = false, version = true })
    local P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    local u = U:create({ n = 1 })
    P:create({ t = "a", UId = u.id })
    assert.is_nil(U:findAll()[1].save)
    assert.are.same({ id = 1, n = 1, version = 0 }, U:findAll()[1])
    assert.is_nil(U:findOne().save)
    assert.is_nil(U:findByPk(1).save)
    assert.is_nil(U:findAndCountAll().rows[1].save)
    assert.is_nil(u:getPs()[1].save) -- (the getter is the target's findAll)
    assert.is_function(U:findAll({ raw = false })[1].save)
    -- what runs finders for its own ends still works on instances
    u.n = 2
    u:save()
    u:reload()
    assert.are.equal(1, u.version)
    assert.is_function(U:findAll({ raw = false, include = { { model = P, separate = true } } })[1].Ps[1].save)
    assert.are.equal(1, U:update({ n = 3 }, { where = { id = 1 }, individualHooks = true }))
    assert.are.equal(3, U:findByPk(1).n)
    db:close()
  end)

  it("query = { raw = true }: applied after the scope and the find hooks, which see no raw", function()
    -- Sequelize 6.37.8 merges options.query in sequelize.query: beforeFind, beforeFindAfterOptions
    -- and afterFind see options.raw undefined; a scope's raw = false, or a hook's, gives instances
    local db = Sequelize.new("sqlite::memory:", { query = { raw = true } })
    local U = db:define("U", { n = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    U:create({ n = 1 })
    U:addScope("inst", { raw = false })
    assert.is_function(U:scope("inst"):findAll()[1].save)
    assert.is_function(U:scope("inst"):findOne().save)
    assert.is_function(U:scope("inst"):findByPk(1).save)
    assert.is_function(U:scope("inst"):findAndCountAll().rows[1].save)
    local seen = {}
    local function saw(what, o) seen[#seen + 1] = what .. "=" .. tostring(o.raw) end
    U:addHook("beforeFind", function(o) saw("bf", o); if o.where and o.where.n == 2 then o.raw = false end end)
    U:addHook("beforeFindAfterOptions", function(o) saw("bfao", o) end)
    U:addHook("afterFind", function(_, o) saw("af", o) end)
    assert.is_nil(U:findAll()[1].save)
    assert.is_nil(U:findOne().save)
    assert.is_nil(U:findByPk(1).save)
    assert.are.same({ "bf=nil", "bfao=nil", "af=nil", "bf=nil", "bfao=nil", "af=nil", "bf=nil", "bfao=nil", "af=nil" }, seen)
    U:update({ n = 2 }, { where = { id = 1 } })
    assert.is_function(U:findAll({ where = { n = 2 } })[1].save)
    assert.is_function(U:findOne({ where = { n = 2 } }).save)
    db:close()
  end)

  it("query = { raw = true }: hasOne's set reads the target it unlinks as an instance", function()
    -- (Sequelize 6.37.8 fails there: "oldInstance.get is not a function"; sequelua's own reads
    -- keep instances, as its README says)
    local db = Sequelize.new("sqlite::memory:", { query = { raw = true } })
    local U = db:define("U", { n = DataTypes.INTEGER }, { timestamps = false })
    local P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    U:hasOne(P)
    db:sync()
    local u = U:create({ n = 1 })
    u:setP(P:create({ t = "a" }))
    u:setP(P:create({ t = "b" }))
    assert.are.same({ { id = 1, t = "a", UId = Sequelize.null }, { id = 2, t = "b", UId = 1 } }, P:findAll({ order = { "id" } }))
    u:setP(nil)
    assert.are.same({ id = 2, t = "b", UId = Sequelize.null }, P:findByPk(2))
    db:close()
  end)

  it("sync: defaults of sync's options", function()
    local path = tmpfile()
    local db = Sequelize.new("sqlite:" .. path, { sync = { force = true } })
    local U = define_users(db)
    db:sync()
    U:create({ username = "a" })
    db:sync() -- force = true: the table made again, empty
    assert.are.equal(0, U:count())
    db:close()
    os.remove(path)
  end)
end)

describe("the Sequelize object's registry and helpers", function()
  it("modelManager: models in definition order, getModel, removeModel (sync, isDefined and db.models forget it)", function()
    -- Sequelize 6.37.8: db.modelManager.models.map(m => m.name) -> ["User","Post"];
    -- getModel('Users', { attribute: 'tableName' }).name -> "User"; after removeModel(User):
    -- isDefined('User') false, Object.keys(db.models) ["Post"], db.sync() creates Posts only
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { logging = function(m) log[#log + 1] = m end })
    local U = db:define("User", { name = DataTypes.STRING })
    local P = db:define("Post", { title = DataTypes.STRING })
    local names = {}
    for i, M in ipairs(db.modelManager.models) do names[i] = M.name end
    assert.are.same({ "User", "Post" }, names)
    assert.are.equal(P, db.modelManager:getModel("Post"))
    assert.are.equal(U, db.modelManager:getModel("Users", { attribute = "tableName" }))
    assert.is_nil(db.modelManager:getModel("Nope"))
    assert.are.equal(P, db.modelManager:findModel(function(M) return M.tableName == "Posts" end))
    db.modelManager:removeModel(U)
    assert.is_false(db:isDefined("User"))
    assert.is_nil(db.models.User)
    assert.are.equal(1, #db.modelManager.all)
    db:sync()
    assert.are.same({ "Posts" }, db:getQueryInterface():showAllTables())
    assert.are.equal(U, db.modelManager:addModel(U))
    assert.is_true(db:isDefined("User"))
    db:close()
  end)

  it("modelManager:addModel refuses another Sequelize object's model", function()
    -- (db:sync would make its table in this database, where its own queries never look:
    -- Sequelize's sync runs model.sync(), on the model's own connection)
    local db, db2 = Sequelize.new("sqlite::memory:"), Sequelize.new("sqlite::memory:")
    local O = db2:define("Other", { x = DataTypes.STRING })
    assert.are.equal("modelManager:addModel: Other belongs to another Sequelize object",
                     catch(function() db.modelManager:addModel(O) end).message)
    assert.is_false(db:isDefined("Other"))
    db:sync()
    assert.are.same({}, db:getQueryInterface():showAllTables())
    db:close()
    db2:close()
  end)

  it("getDatabaseName, config, validate (authenticate, logged), runHooks and the schema methods", function()
    -- Sequelize 6.37.8: new Sequelize({ dialect: 'sqlite', storage: ':memory:', database: 'mydb' }):
    -- getDatabaseName() "mydb", config.host "localhost", config.password null;
    -- authenticate() / validate() log "Executing (default): SELECT 1+1 AS result";
    -- showAllSchemas() [] on an empty database
    local log = {}
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", database = "mydb",
                               logging = function(m) log[#log + 1] = m end })
    assert.are.equal("mydb", db:getDatabaseName())
    assert.are.equal("mydb", db.config.database)
    assert.are.equal("localhost", db.config.host)
    assert.are.equal(Sequelize.null, db.config.password)
    assert.is_nil(Sequelize.new("sqlite::memory:"):getDatabaseName())
    -- Sequelize 6.37.8: db.options.define / query / sync {}, timezone "+00:00", omitNull and benchmark false
    local o = Sequelize.new("sqlite::memory:").options
    assert.are.same({ {}, {}, {}, "+00:00", false, false }, { o.define, o.query, o.sync, o.timezone, o.omitNull, o.benchmark })
    db:validate()
    db:authenticate()
    db:authenticate({ logging = false })
    assert.are.same({ "Executing (default): SELECT 1+1 AS result", "Executing (default): SELECT 1+1 AS result" }, log)
    local got
    db:addHook("beforeDefine", function(a, b) got = { a, b } end)
    db:runHooks("beforeDefine", "x", "y")
    assert.are.same({ "x", "y" }, got)
    assert.are.same({}, db:showAllSchemas())
    db:close()
  end)
end)

describe("Sequelize.new dialectModulePath (review)", function()
  it("a module name, or a file Node's require finds by its extension, is accepted as Sequelize requires it", function()
    -- (Sequelize's docs: dialectModulePath 'pg.js'; sqlcipher's users give '@journeyapps/sqlcipher':
    -- a package name that require resolves through node_modules, no file of that name)
    for _, p in ipairs({ "@journeyapps/sqlcipher", "sqlite3" }) do
      local db = Sequelize.new({ dialect = "sqlite", dialectModulePath = p })
      assert.are.equal(p, db.options.dialectModulePath)
      db:close()
    end
    -- (require('/x/mod') opens /x/mod.js)
    local base = os.tmpname()
    os.remove(base) -- (only base .. ".js" is there)
    local f = assert(io.open(base .. ".js", "wb"))
    f:write("module.exports = {}\n")
    f:close()
    local ok, db = pcall(Sequelize.new, { dialect = "sqlite", dialectModulePath = base })
    os.remove(base .. ".js")
    assert.is_true(ok, type(db) == "table" and db.message or nil)
    db:close()
    assert.are.equal("Unable to find dialect at /no/such/dir/mod",
                     catch(Sequelize.new, { dialect = "sqlite", dialectModulePath = "/no/such/dir/mod" }).message)
  end)
end)

describe("Sequelize.new a URL's mode (review)", function()
  it("an empty mode is none, as Sequelize's `dialectOptions.mode || READWRITE | CREATE`; a string one raises", function()
    -- (Sequelize 6.37.8: new Sequelize('sqlite::memory:?mode=') runs its queries; '?mode=1' gives
    -- node-sqlite3 the string "1", which it takes for no mode and no callback: nothing opens)
    for _, url in ipairs({ "sqlite::memory:?mode=", "sqlite::memory:?mode" }) do
      local db = Sequelize.new(url)
      assert.are.equal("", db.config.dialectOptions.mode, url)
      assert.are.same({ { n = 2 } }, (db:query("SELECT 1 + 1 AS n")), url)
      db:close()
    end
    local db = Sequelize.new({ dialect = "sqlite", dialectOptions = { mode = "" } })
    db:close()
    assert.matches("dialectOptions.mode must be a whole number", catch(Sequelize.new, "sqlite::memory:?mode=1").message)
  end)
end)
