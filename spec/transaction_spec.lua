-- Transactions: managed and unmanaged, { transaction = t } on every method, savepoints,
-- and the errors for a finished transaction. Messages were checked against Sequelize 6.37.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function names(Users)
  local out = {}
  for i, u in ipairs(Users:findAll({ order = { { "id", "ASC" } } })) do out[i] = u.username end
  return out
end

describe("transactions", function()
  local db, Users, log

  before_each(function()
    log = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(msg)
      log[#log + 1] = tostring(msg):match("^Executing %(.-%): (.*)$") or tostring(msg)
    end })
    Users = db:define("Users", {
      username = { type = DataTypes.STRING, allowNull = false },
      score    = DataTypes.INTEGER,
    })
    db:sync()
    Users:create({ username = "keep", score = 1 })
    log = {}
  end)

  after_each(function() db:close() end)

  local function logged(prefix)
    for _, s in ipairs(log) do
      if s:upper():sub(1, #prefix) == prefix then return true end
    end
    return false
  end

  describe("managed", function()
    it("commits and returns the function's return values", function()
      local seen
      local a, b, c = db:transaction(function(t)
        seen = t
        Users:create({ username = "a" }, { transaction = t })
        Users:create({ username = "b" }, { transaction = t })
        return "x", 42, nil
      end)
      assert.are.equal("x", a)
      assert.are.equal(42, b)
      assert.is_nil(c)
      assert.are.equal("table", type(seen))
      assert.are.same({ "keep", "a", "b" }, names(Users))
      assert.is_true(logged("BEGIN"))
      assert.is_true(logged("COMMIT"))
    end)

    it("returns an instance created inside", function()
      local u = db:transaction(function(t)
        return Users:create({ username = "a", score = 7 }, { transaction = t })
      end)
      assert.are.equal("a", u.username)
      assert.are.equal(7, Users:findByPk(u.id).score)
    end)

    it("an error inside rolls everything back and re-raises the same error object", function()
      local myErr = { name = "MyError", message = "boom" }
      local err = support.catch(function()
        db:transaction(function(t)
          Users:create({ username = "a" }, { transaction = t })
          Users:update({ score = 99 }, { where = { username = "keep" }, transaction = t })
          Users:destroy({ where = { username = "keep" }, transaction = t })
          error(myErr)
        end)
      end)
      assert.is_true(rawequal(myErr, err))
      assert.are.same({ "keep" }, names(Users))
      assert.are.equal(1, Users:findOne({ where = { username = "keep" } }).score)
      assert.is_true(logged("ROLLBACK"))
      assert.is_false(logged("COMMIT"))
    end)

    it("a string error is re-raised unchanged", function()
      local err = support.catch(function()
        db:transaction(function(t)
          Users:create({ username = "a" }, { transaction = t })
          error("plain boom", 0)
        end)
      end)
      assert.are.equal("plain boom", err)
      assert.are.equal(1, Users:count())
    end)

    it("a Sequelize error inside (validation) rolls back the earlier writes and is re-raised", function()
      local err = support.catch_error(function()
        db:transaction(function(t)
          Users:create({ username = "a" }, { transaction = t })
          Users:create({ score = 3 }, { transaction = t })   -- username is NOT NULL
        end)
      end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("notNull Violation: Users.username cannot be null", err.message)
      assert.are.same({ "keep" }, names(Users))
    end)

    it("its transaction cannot be used after the function returned", function()
      -- Sequelize: "commit has been called on this transaction(<id>), you can no longer use it.
      --             (The rejected query is attached as the 'sql' property of this error)"
      local saved
      db:transaction(function(t) saved = t; Users:create({ username = "a" }, { transaction = t }) end)
      local err = support.catch_error(function() Users:create({ username = "late" }, { transaction = saved }) end)
      assert.are.equal("Error", err.name)
      assert.is_truthy(err.message:find("^commit has been called on this transaction%(.-%), you can no longer use it%."),
        err.message)
      assert.are.same({ "keep", "a" }, names(Users))
    end)
  end)

  it("ids are version-4 UUIDs from SQLite's generator; Sequelize's constants are there", function()
    local ids = {}
    for i = 1, 3 do db:transaction(function(t) ids[i] = t.id end) end
    for _, id in ipairs(ids) do
      assert.is_truthy(id:match("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"), id)
    end
    assert.are_not.equal(ids[1], ids[2])
    assert.are.equal("SERIALIZABLE", Sequelize.Transaction.ISOLATION_LEVELS.SERIALIZABLE)
    assert.are.equal("UPDATE", Sequelize.Transaction.LOCK.UPDATE)
    assert.are.equal("IMMEDIATE", Sequelize.Transaction.TYPES.IMMEDIATE)
  end)

  describe("a logging function that raises", function()
    it("inside a managed transaction: its error reaches the caller, the rollback still runs", function()
      local function boom(m) if not m:find("BEGIN", 1, true) then error("log sink closed") end end
      local ok, err = pcall(db.transaction, db, { logging = boom }, function(t)
        Users:create({ username = "lost" }, { transaction = t, logging = boom })
      end)
      assert.is_false(ok)
      assert.is_truthy(tostring(err):find("log sink closed", 1, true))
      assert.are.same({ "keep" }, names(Users))
      -- not left inside the transaction: another one begins and commits
      db:transaction(function(t) Users:create({ username = "next" }, { transaction = t }) end)
      assert.are.same({ "keep", "next" }, names(Users))
    end)

    it("in bulkCreate: the savepoint is rolled back", function()
      local n = 0
      local function boom() n = n + 1; if n == 2 then error("log sink closed") end end
      assert.is_false(pcall(Users.bulkCreate, Users, { { username = "a" }, { username = "b" } }, { logging = boom }))
      assert.are.same({ "keep" }, names(Users))
      db:transaction(function(t) Users:create({ username = "next" }, { transaction = t }) end)
      assert.are.same({ "keep", "next" }, names(Users))
    end)
  end)

  describe("unmanaged", function()
    it("a nested create or a transaction begun while one is open is a savepoint in it", function()
      local Posts = db:define("Posts", { title = DataTypes.STRING })
      Users:hasMany(Posts)
      db:sync()
      local t = db:transaction()
      local u = Users:create({ username = "n", Posts = { { title = "p" } } }, { include = { Posts } })
      db:transaction(function() Users:create({ username = "m" }) end)
      t:rollback()
      assert.are.same({ "keep" }, names(Users))
      assert.are.equal(0, Posts:count())
      assert.are.equal("p", u.Posts[1].title)
    end)

    it("a finished transaction given to a nested create, findOrCreate, upsert, an accessor or db:transaction raises, and nothing is written", function()
      -- Sequelize 6.37.8, for each (rolled back: "rollback has been called ..."):
      -- Error: commit has been called on this transaction(<id>), you can no longer use it.
      -- (The rejected query is attached as the 'sql' property of this error)
      local Posts = db:define("Posts", { title = DataTypes.STRING })
      Users:hasMany(Posts)
      db:sync()
      local keep = Users:findOne()
      for _, state in ipairs({ "commit", "rollback" }) do
        local t = db:transaction()
        t[state](t)
        local expected = state .. " has been called on this transaction(" .. t.id .. "), you can no longer use it. "
          .. "(The rejected query is attached as the 'sql' property of this error)"
        for _, call in ipairs({
          function() Users:create({ username = "n", Posts = { { title = "p" } } }, { include = { Posts }, transaction = t }) end,
          function() Users:findOrCreate({ where = { username = "n" }, transaction = t }) end,
          function() Users:upsert({ username = "n" }, { transaction = t }) end,
          function() keep:createPost({ title = "p" }, { transaction = t }) end,
          function() keep:setPosts({}, { transaction = t }) end,
          function() db:transaction({ transaction = t }) end,
          function() db:transaction({ transaction = t }, function() Users:create({ username = "n" }) end) end,
        }) do
          local err = support.catch_message(call)
          assert.are.equal("Error", err.name)
          assert.are.equal(expected, err.message)
        end
        assert.are.equal("SAVEPOINT `" .. t.id .. "-sp-1`;", support.catch_message(db.transaction, db, { transaction = t }).sql)
      end
      assert.are.same({ "keep" }, names(Users))
      assert.are.equal(0, Posts:count())
    end)

    it("a finished transaction's error carries the rejected statement as sql; a call with nothing to run returns", function()
      -- Sequelize 6.37.8, after t:commit() (its sql has the values written in, or $1 for bind;
      -- sequelua's is the statement as prepared, values bound):
      --   sequelize.query('SELECT 1 AS x WHERE 1 = ?', { transaction: t, replacements: [1] })
      --     -> Error "commit has been called on this transaction(<id>), ...", e.sql 'SELECT 1 AS x WHERE 1 = 1'
      --   Users.findAll({ transaction: t }) -> e.sql 'SELECT `id`, ... FROM `Users` AS `User`;'
      --   Users.update({ score: 2 }, { where: { id: 999 }, transaction: t }) -> e.sql 'UPDATE `Users` SET `score`=$1,...'
      --   Users.bulkCreate([], { transaction: t }) -> []
      --   user.update({ username: 'keep' }, { transaction: t }) -> the user (nothing changed)
      --   user.save({ transaction: t }) -> the user
      --   Users.update({}, { where: { id: 1 }, transaction: t }) -> [0]
      local keep = Users:findOne()
      local t = db:transaction()
      t:commit()
      local prefix = "commit has been called on this transaction(" .. t.id .. "), you can no longer use it."
      local err = support.catch_message(db.query, db, "SELECT 1 AS x WHERE 1 = ?", { transaction = t, replacements = { 1 } })
      assert.are.equal("Error", err.name)
      assert.are.equal(prefix, err.message:sub(1, #prefix))
      assert.are.equal("SELECT 1 AS x WHERE 1 = ?", err.sql)
      err = support.catch_message(Users.findAll, Users, { transaction = t })
      assert.are.equal(prefix, err.message:sub(1, #prefix))
      assert.truthy(err.sql:find("^SELECT .* FROM `Users` AS `Users`;$"), err.sql)
      err = support.catch_message(Users.update, Users, { score = 2 }, { where = { id = 999 }, transaction = t })
      assert.truthy(err.sql:find("^UPDATE `Users` SET `score`=%?"), err.sql)
      log = {}
      assert.are.same({}, Users:bulkCreate({}, { transaction = t }))
      assert.are.equal(keep, keep:update({ username = "keep" }, { transaction = t }))
      assert.are.equal(keep, keep:save({ transaction = t }))
      assert.are.equal(0, Users:update({}, { where = { id = 1 }, transaction = t }))
      assert.are.same({}, log)
      -- (the next call, without the transaction, runs)
      assert.are.equal(1, Users:count())
    end)

    it("t:commit() keeps the work", function()
      local t = db:transaction()
      assert.are.equal("table", type(t))
      Users:create({ username = "a" }, { transaction = t })
      t:commit()
      assert.are.same({ "keep", "a" }, names(Users))
      assert.is_true(logged("BEGIN"))
      assert.is_true(logged("COMMIT"))
    end)

    it("t:rollback() discards the work", function()
      local t = db:transaction()
      Users:create({ username = "a" }, { transaction = t })
      Users:update({ score = 5 }, { where = { username = "keep" }, transaction = t })
      assert.are.equal(2, Users:count({ transaction = t }))
      t:rollback()
      assert.are.same({ "keep" }, names(Users))
      assert.are.equal(1, Users:findOne().score)
      assert.is_true(logged("ROLLBACK"))
    end)

    it("commit twice is an error", function()
      local t = db:transaction()
      Users:create({ username = "a" }, { transaction = t })
      t:commit()
      local err = support.catch_error(function() t:commit() end)
      assert.are.equal("Error", err.name)
      assert.are.equal("Transaction cannot be committed because it has been finished with state: commit", err.message)
      err = support.catch_error(function() t:rollback() end)
      assert.are.equal("Transaction cannot be rolled back because it has been finished with state: commit", err.message)
      assert.are.same({ "keep", "a" }, names(Users))
    end)

    it("rollback then commit or rollback again is an error", function()
      local t = db:transaction()
      Users:create({ username = "a" }, { transaction = t })
      t:rollback()
      local err = support.catch_error(function() t:rollback() end)
      assert.are.equal("Transaction cannot be rolled back because it has been finished with state: rollback", err.message)
      err = support.catch_error(function() t:commit() end)
      assert.are.equal("Transaction cannot be committed because it has been finished with state: rollback", err.message)
      assert.are.same({ "keep" }, names(Users))
    end)

    it("using a committed transaction again is an error and writes nothing", function()
      local t = db:transaction()
      t:commit()
      local err = support.catch_error(function() Users:create({ username = "late" }, { transaction = t }) end)
      assert.are.equal("Error", err.name)
      assert.is_truthy(err.message:find("^commit has been called on this transaction%(.-%), you can no longer use it%."),
        err.message)
      err = support.catch_error(function() Users:findAll({ transaction = t }) end)
      assert.is_truthy(err.message:find("^commit has been called on this transaction"), err.message)
      assert.are.same({ "keep" }, names(Users))
    end)

    it("using a rolled back transaction again is an error", function()
      local t = db:transaction()
      t:rollback()
      local err = support.catch_error(function() Users:count({ transaction = t }) end)
      assert.is_truthy(err.message:find("^rollback has been called on this transaction%(.-%), you can no longer use it%."),
        err.message)
      err = support.catch_error(function() Users:create({ username = "late" }, { transaction = t }) end)
      assert.is_truthy(err.message:find("^rollback has been called on this transaction"), err.message)
      assert.are.same({ "keep" }, names(Users))
    end)
  end)

  describe("{ transaction = t } on every method", function()
    local function work(t)
      local u = Users:create({ username = "a", score = 1 }, { transaction = t })
      local list = Users:bulkCreate({ { username = "b" }, { username = "c" } }, { transaction = t })
      assert.are.equal(2, #list)
      assert.are.equal(4, Users:count({ transaction = t }))
      assert.are.equal(4, #Users:findAll({ transaction = t }))
      assert.are.equal("b", Users:findOne({ where = { username = "b" }, transaction = t }).username)
      assert.are.equal("a", Users:findByPk(u.id, { transaction = t }).username)
      assert.are.equal(1, Users:update({ score = 5 }, { where = { username = "b" }, transaction = t }))
      assert.are.equal(1, Users:destroy({ where = { username = "c" }, transaction = t }))
      local copy = Users:findByPk(u.id, { transaction = t })
      u.score = 2
      u:save({ transaction = t })
      u:update({ score = 3 }, { transaction = t })
      copy:reload({ transaction = t })
      assert.are.equal(3, copy.score)
      local keep = Users:findOne({ where = { username = "keep" }, transaction = t })
      keep:update({ score = 9 }, { transaction = t })
      keep:destroy({ transaction = t })
      local rows = Users:findAll({ order = { { "id", "ASC" } }, transaction = t })
      assert.are.equal(2, #rows)
      assert.are.equal("a", rows[1].username)
      assert.are.equal(3, rows[1].score)
      assert.are.equal("b", rows[2].username)
      assert.are.equal(5, rows[2].score)
    end

    it("all of it is undone by rollback", function()
      local t = db:transaction()
      work(t)
      t:rollback()
      assert.are.same({ "keep" }, names(Users))
      assert.are.equal(1, Users:findOne().score)
    end)

    it("all of it is kept by commit", function()
      local t = db:transaction()
      work(t)
      t:commit()
      assert.are.same({ "a", "b" }, names(Users))
      assert.are.equal(3, Users:findOne({ where = { username = "a" } }).score)
      assert.are.equal(5, Users:findOne({ where = { username = "b" } }).score)
    end)

    it("in a managed transaction that raises, all of it is undone", function()
      local err = support.catch(function()
        db:transaction(function(t) work(t); error("undo", 0) end)
      end)
      assert.are.equal("undo", err)
      assert.are.same({ "keep" }, names(Users))
    end)
  end)

  describe("nested (savepoints)", function()
    it("a call that wraps its statements in a savepoint hands hooks the caller's transaction", function()
      -- (the "send the mail after commit" idiom: it must not run when the caller rolls back)
      local P = db:define("P", { title = DataTypes.STRING })
      Users:hasMany(P)
      db:sync()
      local sent, seen = {}, {}
      Users:addHook("afterCreate", function(u, o)
        seen[#seen + 1] = o.transaction
        o.transaction:afterCommit(function() sent[#sent + 1] = u.username end)
      end)
      local outer
      pcall(db.transaction, db, function(t)
        outer = t
        Users:create({ username = "b", P = { { title = "p" } } }, { include = { P }, transaction = t })
        Users:bulkCreate({ { username = "c" } }, { individualHooks = true, transaction = t })
        error("fail")
      end)
      assert.are.same({}, sent)
      assert.are.same({ outer, outer }, seen)
      db:transaction(function(t)
        Users:bulkCreate({ { username = "d" } }, { individualHooks = true, transaction = t })
        assert.are.same({}, sent) -- (not yet: at the commit)
      end)
      assert.are.same({ "d" }, sent)
      assert.are.same({ "keep", "d" }, names(Users))
      -- without `transaction`, inside a running managed one: the hooks get that one
      sent = {}
      pcall(db.transaction, db, function()
        Users:findOrCreate({ where = { username = "e" } })
        error("fail")
      end)
      assert.are.same({}, sent)
      assert.are.same({ "keep", "d" }, names(Users))
    end)

    it("a savepoint's afterCommit runs after the outermost COMMIT, and not when an enclosing one rolls back", function()
      -- Sequelize 6.37.8 runs a savepoint's afterCommit hooks at the savepoint's commit, which
      -- runs no SQL: before the COMMIT, and also when the outer transaction then rolls back
      -- (seen = ["inner", "caught"]). Nothing was committed then; here the hooks wait for the
      -- outermost COMMIT, in the order they were added, and are dropped with a rollback.
      local seen = {}
      local function mark(s) return function(t) seen[#seen + 1] = s .. ":" .. tostring(t.name ~= nil) end end
      local ok = pcall(db.transaction, db, function(t)
        t:afterCommit(mark("outer"))
        db:transaction({ transaction = t }, function(t2)
          t2:afterCommit(mark("inner"))
          Users:create({ username = "a" }, { transaction = t2 })
        end)
        assert.are.same({}, seen)
        error("fail")
      end)
      assert.is_false(ok)
      assert.are.same({}, seen)
      assert.are.same({ "keep" }, names(Users))
      -- committed: each hook once, after the COMMIT line, with its own transaction object
      log = {}
      db:transaction(function(t)
        t:afterCommit(mark("outer"))
        db:transaction({ transaction = t }, function(t2)
          t2:afterCommit(function(x) seen[#seen + 1] = "inner:" .. tostring(x == t2) .. ":" .. log[#log] end)
          db:transaction({ transaction = t2 }, function(t3) t3:afterCommit(mark("deep")) end)
          Users:create({ username = "b" }, { transaction = t2 })
        end)
        -- a savepoint rolled back drops its hooks and those of the savepoints committed in it
        pcall(db.transaction, db, { transaction = t }, function(t2)
          db:transaction({ transaction = t2 }, function(t3) t3:afterCommit(mark("lost")) end)
          t2:afterCommit(mark("lost"))
          error("inner fail")
        end)
        assert.are.same({}, seen)
      end)
      assert.are.same({ "outer:false", "inner:true:COMMIT;", "deep:true" }, seen)
      assert.are.same({ "keep", "b" }, names(Users))
      -- unmanaged: a savepoint committed, then its parent rolled back
      seen = {}
      local t = db:transaction()
      local sp = db:transaction({ transaction = t })
      sp:afterCommit(mark("sp"))
      sp:commit()
      t:rollback()
      assert.are.same({}, seen)
      t = db:transaction()
      sp = db:transaction({ transaction = t })
      sp:afterCommit(mark("sp"))
      sp:commit()
      assert.are.same({}, seen)
      t:commit()
      assert.are.same({ "sp:true" }, seen)
    end)

    it("a savepoint's afterCommit hook adding another to its savepoint: that one runs too", function()
      -- Sequelize 6.37.8 runs them at the savepoint's commit over a live list: "a:true,b,sp done"
      -- here after the COMMIT, and the second one is not lost with the savepoint's list
      local seen = {}
      db:transaction(function(t)
        db:transaction({ transaction = t }, function(sp)
          sp:afterCommit(function(x)
            seen[#seen + 1] = "a:" .. tostring(x == sp)
            x:afterCommit(function(y) seen[#seen + 1] = "b:" .. tostring(y == sp) end)
          end)
          db:transaction({ transaction = sp }, function(sp2)
            sp2:afterCommit(function(x) x:afterCommit(function() seen[#seen + 1] = "c" end) end)
          end)
        end)
        seen[#seen + 1] = "sp done"
      end)
      assert.are.same({ "sp done", "a:true", "b:true", "c" }, seen)
      -- one added to a committed savepoint before the outermost COMMIT never runs (Sequelize's
      -- list of that savepoint has run already), nor one in a savepoint whose parent rolled back
      seen = {}
      local t = db:transaction()
      local sp = db:transaction({ transaction = t })
      local lost = db:transaction({ transaction = t })
      local lost2 = db:transaction({ transaction = lost })
      lost2:commit()
      lost:rollback()
      sp:commit()
      sp:afterCommit(function() seen[#seen + 1] = "late" end)
      t:afterCommit(function()
        seen[#seen + 1] = "t"
        lost2:afterCommit(function() seen[#seen + 1] = "lost" end)
      end)
      t:commit()
      assert.are.same({ "t" }, seen)
    end)

    it("a savepoint left open ends with its transaction; using it then raises, writing nothing", function()
      local o = db:transaction()
      local sp = db:transaction({ transaction = o })
      o:commit()
      assert.are.equal("commit", sp.finished)
      local err = support.catch(Users.create, Users, { username = "s2" }, { transaction = sp })
      assert.truthy(err.message:find("you can no longer use it", 1, true), err.message)
      assert.are.same({ "keep" }, names(Users))
      -- and later transactions are not opened inside the dead one
      local t = db:transaction()
      assert.is_nil(t.parent)
      t:rollback()
      assert.are.equal('"fn" must be a function', support.catch(t.afterCommit, t, "notfn").message)
    end)

    it("db:transaction({ transaction = t }, fn) that raises is rolled back alone", function()
      local caught
      local r = db:transaction(function(t)
        Users:create({ username = "outer1" }, { transaction = t })
        local ok, e = pcall(db.transaction, db, { transaction = t }, function(t2)
          Users:create({ username = "inner" }, { transaction = t2 })
          assert.are.equal(3, Users:count({ transaction = t2 }))
          error({ message = "inner fails" })
        end)
        assert.is_false(ok)
        caught = e
        local v = db:transaction({ transaction = t }, function(t3)
          Users:create({ username = "inner-ok" }, { transaction = t3 })
          return "x"
        end)
        assert.are.equal("x", v)
        Users:create({ username = "outer2" }, { transaction = t })
        return "done"
      end)
      assert.are.equal("done", r)
      assert.are.equal("inner fails", caught.message)
      assert.are.same({ "keep", "outer1", "inner-ok", "outer2" }, names(Users))
      assert.is_true(logged("SAVEPOINT"))
      assert.is_true(logged("ROLLBACK TO SAVEPOINT"))
    end)

    it("db:transaction(fn) inside a managed transaction opens a savepoint", function()
      db:transaction(function(t)
        Users:create({ username = "outer" }, { transaction = t })
        local ok = pcall(db.transaction, db, function(t2)
          Users:create({ username = "inner" }, { transaction = t2 })
          error("inner fails", 0)
        end)
        assert.is_false(ok)
        db:transaction(function(t3)
          Users:create({ username = "inner-ok" }, { transaction = t3 })
        end)
      end)
      assert.are.same({ "keep", "outer", "inner-ok" }, names(Users))
      assert.is_true(logged("SAVEPOINT"))
    end)

    it("an inner error that is not caught rolls back the outer one too", function()
      local myErr = { message = "deep" }
      local err = support.catch(function()
        db:transaction(function(t)
          Users:create({ username = "outer" }, { transaction = t })
          db:transaction({ transaction = t }, function(t2)
            Users:create({ username = "inner" }, { transaction = t2 })
            error(myErr)
          end)
        end)
      end)
      assert.is_true(rawequal(myErr, err))
      assert.are.same({ "keep" }, names(Users))
    end)

    it("a committed savepoint is still undone when the outer transaction raises", function()
      local err = support.catch(function()
        db:transaction(function(t)
          db:transaction({ transaction = t }, function(t2)
            Users:create({ username = "gone" }, { transaction = t2 })
          end)
          error("outer fails", 0)
        end)
      end)
      assert.are.equal("outer fails", err)
      assert.are.same({ "keep" }, names(Users))
    end)

    it("a savepoint's own savepoint has a name of its own: rolling back the outer one undoes both", function()
      -- Sequelize 6.37.8 names both `<id>-sp-1`, so that its ROLLBACK TO goes back to the inner
      -- one only and keeps the outer one's row: ["keep","b"]
      local t = db:transaction()
      local t2 = db:transaction({ transaction = t })
      Users:create({ username = "b" }, { transaction = t2 })
      local t3 = db:transaction({ transaction = t2 })
      Users:create({ username = "c" }, { transaction = t3 })
      assert.are.equal(t.id .. "-sp-1", t2.name)
      assert.are.equal(t.id .. "-sp-1-sp-1", t3.name)
      assert.are.equal(t.id, t3.id)
      t2:rollback()
      assert.are.equal("rollback", t3.finished)
      Users:create({ username = "d" }, { transaction = t })
      t:commit()
      assert.are.same({ "keep", "d" }, names(Users))
    end)

    it("savepoints sequelua begins for itself do not count in the names of the user's ones", function()
      -- Sequelize 6.37.8: findOrCreate begins `<id>-sp-1`; a create with include, an update
      -- with individualHooks, upsert and setPosts run in the transaction itself, so the next
      -- db:transaction{ transaction = t } is `<id>-sp-2`, and one inside it `<id>-sp-2`'s own
      local Posts = db:define("Posts", { title = DataTypes.STRING })
      Users:hasMany(Posts)
      db:sync()
      db:transaction(function(t)
        Users:findOrCreate({ where = { username = "a" }, transaction = t })
        local u = Users:create({ username = "b", Posts = { { title = "p" } } }, { include = { Posts }, transaction = t })
        Users:update({ score = 2 }, { where = { username = "b" }, individualHooks = true, transaction = t })
        Users:upsert({ id = u.id, username = "b2" }, { transaction = t })
        u:setPosts({}, { transaction = t })
        db:transaction({ transaction = t }, function(t2)
          assert.are.equal(t.id .. "-sp-2", t2.name)
          local t3 = db:transaction({ transaction = t2 })
          assert.are.equal(t.id .. "-sp-2-sp-1", t3.name)
          t3:commit()
        end)
        local t4 = db:transaction({ transaction = t })
        assert.are.equal(t.id .. "-sp-3", t4.name)
        Users:create({ username = "gone" }, { transaction = t4 })
        t4:rollback()
      end)
      assert.are.same({ "keep", "a", "b2" }, names(Users))
    end)

    it("a savepoint committed while a later sibling is open leaves the sibling to roll back alone", function()
      -- Sequelize 6.37.8: b.rollback() resolves, rows ["keep","a","c"] (a savepoint's commit runs
      -- no SQL); a RELEASE of a's savepoint would have ended b's with it
      local t = db:transaction()
      local a = db:transaction({ transaction = t })
      Users:create({ username = "a" }, { transaction = a })
      local b = db:transaction({ transaction = t })
      Users:create({ username = "b" }, { transaction = b })
      local sent = {}
      a:afterCommit(function() sent[#sent + 1] = "a" end)
      a:commit()
      assert.are.same({}, sent) -- (a savepoint's afterCommit waits for the COMMIT)
      assert.are.equal("commit", a.finished)
      b:rollback()
      Users:create({ username = "c" }, { transaction = t })
      t:commit()
      assert.are.same({ "a" }, sent)
      assert.are.same({ "keep", "a", "c" }, names(Users))
      assert.is_false(require("sequelua.core").in_transaction(db._db))
    end)

    it("a savepoint whose savepoint was ended by a sibling's rollback commits without SQL", function()
      -- Sequelize 6.37.8: b.commit() resolves; a.rollback() had ended b's savepoint: rows ["keep","c"]
      local t = db:transaction()
      local a = db:transaction({ transaction = t })
      Users:create({ username = "a" }, { transaction = a })
      local b = db:transaction({ transaction = t })
      a:rollback()
      b:commit()
      Users:create({ username = "c" }, { transaction = t })
      t:commit()
      assert.are.same({ "keep", "c" }, names(Users))
    end)

    it("an unmanaged savepoint rolls back alone", function()
      local t = db:transaction()
      local sp = db:transaction({ transaction = t })
      Users:create({ username = "sp" }, { transaction = sp })
      sp:rollback()
      Users:create({ username = "after-sp" }, { transaction = t })
      t:commit()
      assert.are.same({ "keep", "after-sp" }, names(Users))
    end)
  end)

  it("options.transaction that is not a transaction raises and writes nothing", function()
    local before = names(Users)
    for _, bad in ipairs({ {}, 5, "t", true, { id = 7 } }) do -- (Sequelize.null and false: none)
      local err = support.catch_message(function() Users:create({ username = "x" }, { transaction = bad }) end)
      assert.truthy(err.message:find("options.transaction must be a transaction", 1, true), err.message)
      err = support.catch_message(function() Users:findAll({ transaction = bad }) end)
      assert.truthy(err.message:find("options.transaction must be a transaction", 1, true), err.message)
    end
    assert.are.same(before, names(Users))
  end)
end)

describe("a managed transaction finished by its callback", function()
  it("raises as Sequelize's: the callback's work is not reported as committed", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { n = Sequelize.DataTypes.INTEGER })
    db:sync()
    local ok, err = pcall(db.transaction, db, function(t)
      U:create({ n = 1 }, { transaction = t })
      t:rollback()
      return "done"
    end)
    assert.is_false(ok)
    assert.equal("Transaction cannot be committed because it has been finished with state: rollback", err.message)
    assert.equal(0, U:count())
    ok, err = pcall(db.transaction, db, function(t) U:create({ n = 2 }, { transaction = t }); t:commit() end)
    assert.is_false(ok)
    assert.equal("Transaction cannot be committed because it has been finished with state: commit", err.message)
    assert.equal(1, U:count())
    db:close()
  end)
end)

-- One connection serves every coroutine (every OpenResty request of a worker). A call made
-- without `transaction` joins the open transaction only when it runs inside the coroutine
-- that began it (or one that coroutine resumed); another coroutine's call is refused while
-- that one is suspended, and when it has ended with its transaction open (nothing can end
-- it now) the transaction is rolled back first.
describe("transactions and coroutines", function()
  local path, db, U, other

  local function seen() -- the rows another connection sees: what is committed
    return other:query("SELECT name FROM Us ORDER BY id")
  end
  local function names(rows)
    local out = {}
    for i, r in ipairs(rows) do out[i] = r.name end
    return out
  end

  before_each(function()
    path = os.tmpname()
    db = Sequelize.new("sqlite:" .. path)
    U = db:define("U", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    other = Sequelize.new("sqlite:" .. path, { busyTimeout = 50 })
  end)

  after_each(function()
    other:close()
    db:close()
    os.remove(path)
  end)

  it("an unmanaged transaction left open by a coroutine that raised is rolled back before the next call", function()
    local co = coroutine.create(function()
      local t = db:transaction()
      U:create({ name = "failed request" }, { transaction = t })
      error("boom")
    end)
    assert.is_false((coroutine.resume(co)))
    assert.are.equal("dead", coroutine.status(co))
    U:create({ name = "next request" })            -- (it joined the dead one's transaction before)
    assert.are.same({ "next request" }, names(seen()))
    assert.are.equal(0, #db._unmanaged)
    U:create({ name = "and the next" })
    assert.are.same({ "next request", "and the next" }, names(seen()))
  end)

  it("a call from another coroutine while the owner is suspended inside db:transaction raises; nothing joins", function()
    local co = coroutine.create(function()
      return db:transaction(function(t)
        U:create({ name = "A1" }, { transaction = t })
        coroutine.yield()                          -- (ngx.sleep in a handler)
        U:create({ name = "A2" })                  -- its own code still joins it
        return "done"
      end)
    end)
    assert.is_true((coroutine.resume(co)))
    local err = support.catch(function() U:create({ name = "other request" }) end)
    assert.truthy(err.message:find("transaction begun by another coroutine, which is suspended", 1, true), err.message)
    err = support.catch(function() db:transaction(function() U:create({ name = "B" }) end) end)
    assert.truthy(err.message:find("which is suspended", 1, true), err.message)
    err = support.catch(function() U:findAll() end)
    assert.truthy(err.message:find("which is suspended", 1, true), err.message)
    local ok, res = coroutine.resume(co)
    assert.is_true(ok)
    assert.are.equal("done", res)
    assert.are.same({ "A1", "A2" }, names(seen()))
    U:create({ name = "after" })
    assert.are.same({ "A1", "A2", "after" }, names(seen()))
  end)

  it("a coroutine abandoned inside db:transaction and collected has its transaction rolled back", function()
    local co = coroutine.create(function()
      db:transaction(function(t)
        U:create({ name = "abandoned" }, { transaction = t })
        coroutine.yield()
      end)
    end)
    coroutine.resume(co)
    co = nil
    collectgarbage()
    collectgarbage()
    U:create({ name = "later" })
    assert.are.same({ "later" }, names(seen()))
    assert.are.equal(0, #db._tx_stack)
  end)

  it("a coroutine the transaction's code resumes joins it; the transaction passed explicitly works anywhere", function()
    local err = support.catch(function()
      db:transaction(function()
        local gen = coroutine.wrap(function()
          U:create({ name = "from a generator" })
          coroutine.yield()
        end)
        gen()
        error("undo")
      end)
    end)
    assert.are.equal("undo", tostring(err):match("undo"))
    assert.are.same({}, names(seen()))
    local t
    local co = coroutine.create(function()
      return db:transaction(function(tt)
        t = tt
        coroutine.yield()
      end)
    end)
    coroutine.resume(co)
    U:create({ name = "explicit" }, { transaction = t }) -- (the caller names it: allowed)
    coroutine.resume(co)
    assert.are.same({ "explicit" }, names(seen()))
  end)

  it("a transaction of another Sequelize instance is refused, not written outside it", function()
    local t = other:transaction()
    local err = support.catch(function() U:create({ name = "x" }, { transaction = t }) end)
    assert.truthy(err.message:find("belongs to another Sequelize instance", 1, true), err.message)
    t:rollback()
    assert.are.same({}, names(seen()))
  end)
end)

describe("a call's own savepoint whose release another connection's lock refuses", function()
  it("ends the transaction it began: the retry and later writes are kept", function()
    local f = os.tmpname()
    os.remove(f)
    local db1 = Sequelize.new({ dialect = "sqlite", storage = f, busyTimeout = 50, logging = false })
    local db2 = Sequelize.new({ dialect = "sqlite", storage = f, logging = false })
    local U1 = db1:define("U", { name = DataTypes.STRING })
    local U2 = db2:define("U", { name = DataTypes.STRING })
    db1:sync()
    local t2 = db2:transaction()
    U2:count({ transaction = t2 }) -- (a reader holds the file's shared lock)
    local ok, err = pcall(U1.bulkCreate, U1, { { name = "a" }, { name = "b" } })
    assert.is_false(ok)
    assert.equal("SequelizeTimeoutError", err.name)
    t2:commit()
    assert.equal(2, U1:bulkCreate({ { name = "a" }, { name = "b" } })[2].id)
    U1:create({ name = "c" })
    assert.equal(3, db1:transaction(function(t) return U1:count({ transaction = t }) end))
    db1:close()
    assert.equal(3, U2:count())
    db2:close()
    for _, ext in ipairs({ "", "-journal", "-wal", "-shm" }) do os.remove(f .. ext) end
  end)
end)

describe("a call's own transaction (set/add accessors, individualHooks)", function()
  -- (Sequelize runs such statements one by one, each waiting for the write lock; ours read,
  -- then write, in one transaction: begun DEFERRED, another connection's write between the
  -- two made the first write fail with SQLITE_BUSY at once, under nginx workers sharing a file)
  it("begins IMMEDIATE: another connection's write in between waits, the call's own write does not fail", function()
    local f = os.tmpname()
    os.remove(f)
    local db1 = Sequelize.new({ dialect = "sqlite", storage = f, logging = false })
    local db2 = Sequelize.new({ dialect = "sqlite", storage = f, busyTimeout = 50, logging = false })
    db1:query("PRAGMA journal_mode = WAL")
    local U1 = db1:define("U", { name = DataTypes.STRING }, { timestamps = false })
    local U2 = db2:define("U", { name = DataTypes.STRING }, { timestamps = false })
    db1:sync()
    U1:bulkCreate({ { name = "a" }, { name = "b" } })
    local other
    U1:addHook("beforeUpdate", function()
      -- another worker writes while this call holds what it has read
      other = { pcall(U2.create, U2, { name = "x" }) }
    end)
    local log = {}
    U1:update({ name = "z" }, { where = {}, individualHooks = true, logging = function(m) log[#log + 1] = m end })
    assert.truthy(log[1]:find("BEGIN IMMEDIATE TRANSACTION", 1, true), log[1])
    assert.is_false(other[1]) -- (it waited its busy timeout: the lock was this call's)
    assert.equal("SequelizeTimeoutError", other[2].name)
    assert.same({ "z", "z" }, { U2:findByPk(1).name, U2:findByPk(2).name })
    assert.equal(2, U2:count())
    db1:close()
    db2:close()
    for _, ext in ipairs({ "", "-journal", "-wal", "-shm" }) do os.remove(f .. ext) end
  end)

  it("inside a transaction is a savepoint of it; transactionType EXCLUSIVE is kept", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { transactionType = "EXCLUSIVE", logging = function(m) log[#log + 1] = m end })
    local P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    local T = db:define("T", { n = DataTypes.STRING }, { timestamps = false })
    P:belongsToMany(T, { through = "PT" })
    db:sync()
    local p, t = P:create({ t = "p" }), T:create({ n = "t" })
    log = {}
    p:setTs({ t })
    assert.truthy(log[1]:find("BEGIN EXCLUSIVE TRANSACTION", 1, true), log[1])
    log = {}
    db:transaction({ type = "DEFERRED" }, function(tx) p:setTs({}, { transaction = tx }) end)
    assert.truthy(log[1]:find("BEGIN DEFERRED TRANSACTION", 1, true), log[1])
    assert.truthy(log[2]:find("SAVEPOINT", 1, true), log[2])
    db:close()
  end)
end)

describe("an unmanaged transaction whose COMMIT fails", function()
  it("is rolled back and finished (\"commit\", as Sequelize marks it): later writes are not inside it", function()
    local f = os.tmpname()
    os.remove(f)
    local db = Sequelize.new({ dialect = "sqlite", storage = f, logging = false })
    local U = db:define("U", { name = DataTypes.STRING })
    local P = db:define("P", { title = DataTypes.STRING })
    U:hasMany(P); P:belongsTo(U)
    db:sync()
    local t = db:transaction()
    db:query("PRAGMA defer_foreign_keys = ON", { transaction = t })
    P:create({ title = "orphan", UId = 999 }, { transaction = t })
    local ok, err = pcall(t.commit, t)
    assert.is_false(ok)
    assert.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.equal("commit", t.finished)
    assert.equal("Transaction cannot be rolled back because it has been finished with state: commit",
      support.catch_message(function() t:rollback() end).message)
    assert.equal(1, U:create({ name = "after" }).id)
    db:close()
    local db2 = Sequelize.new({ dialect = "sqlite", storage = f, logging = false })
    assert.same({ { name = "after" } }, db2:query("SELECT name FROM Us", { type = "SELECT" }))
    assert.same({}, db2:query("SELECT title FROM Ps", { type = "SELECT" }))
    db2:close()
    for _, ext in ipairs({ "", "-journal", "-wal", "-shm" }) do os.remove(f .. ext) end
  end)
end)

describe("transaction = Sequelize.null or false", function()
  it("means no transaction, as Sequelize takes `transaction: null`", function()
    local db = support.open()
    local U = db:define("U", { name = DataTypes.STRING })
    local P = db:define("P", { t = DataTypes.STRING })
    U:hasMany(P)
    U:addHook("afterCreate", function() end)
    db:sync()
    for _, tv in ipairs({ Sequelize.null, false }) do
      U:create({ name = "a" }, { transaction = tv })
      U:update({ name = "b" }, { where = {}, transaction = tv })
      U:findOrCreate({ where = { name = "c" }, transaction = tv })
      U:bulkCreate({ { name = "x" } }, { transaction = tv })
      U:create({ name = "n", Ps = { { t = "p" } } }, { include = P, transaction = tv })
      assert.equal(1, db:transaction({ transaction = tv }, function() return 1 end))
      assert.equal(1, #db:query("SELECT 1 AS one", { type = "SELECT", transaction = tv }))
    end
    assert.equal(8, U:count({ transaction = Sequelize.null }))
    assert.equal("options.transaction must be a transaction (from db:transaction()), got string",
      support.catch_message(function() U:count({ transaction = "t" }) end).message)
  end)
end)

describe("a transaction's options", function()
  it("carry Sequelize's defaults (type DEFERRED or the db's transactionType, readOnly false); types in any case", function()
    local log = {}
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", transactionType = "immediate",
                               logging = function(q) log[#log + 1] = q end })
    local t = db:transaction()
    assert.same({ type = "IMMEDIATE", readOnly = false }, t.options)
    t:commit()
    local t2 = db:transaction({ type = "exclusive" })
    assert.equal("EXCLUSIVE", t2.options.type)
    t2:rollback()
    local sqls = table.concat(log, "\n")
    assert.truthy(sqls:find("BEGIN IMMEDIATE TRANSACTION", 1, true))
    assert.truthy(sqls:find("BEGIN EXCLUSIVE TRANSACTION", 1, true))
    local db2 = Sequelize.new("sqlite::memory:")
    assert.equal("DEFERRED", db2:transaction(function(x) return x.options.type end))
    db:close(); db2:close()
  end)

  it("leave out the parent transaction, as Sequelize deletes it (a savepoint's options stringify)", function()
    -- Sequelize 6.37.8: JSON.stringify(t2.options) is
    -- {"type":"DEFERRED","isolationLevel":null,"readOnly":false,"logging":false}, t2.parent === t
    local db = Sequelize.new("sqlite::memory:")
    local t = db:transaction()
    local t2 = db:transaction({ transaction = t, logging = false })
    assert.same({ type = "DEFERRED", readOnly = false, logging = false }, t2.options)
    assert.equal(t, t2.parent)
    assert.equal('{"logging":false,"readOnly":false,"type":"DEFERRED"}', Sequelize.stringify(t2.options))
    t:commit()
    db:close()
  end)
end)

-- A transaction begun without `transaction` while another is open is a savepoint above it on
-- the one connection (Sequelize: a transaction of its own on a connection of its own). A
-- statement given the one below would run inside that savepoint and be undone by its rollback
-- though its own transaction commits: it is refused, and nothing is written, until the one
-- above ends. A savepoint begun with `transaction` (one in Sequelize too) leaves it usable.
describe("a transaction below one begun after it without `transaction`", function()
  local db, Users, Posts
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Users = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    Posts = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    Users:hasMany(Posts)
    db:sync()
  end)
  after_each(function() db:close() end)

  local function refused(fn, ...)
    local ok, err = pcall(fn, ...)
    assert.is_false(ok)
    assert.matches("cannot be used while a transaction begun after it without `transaction` is open",
                   tostring(type(err) == "table" and err.message or err), 1, true)
  end

  local function count(t) return #db:query("SELECT id FROM Users", { transaction = t }) end

  it("refuses every call given it until that one ends, writing nothing; then serves it again", function()
    local t1 = db:transaction()
    Users:create({ name = "before" }, { transaction = t1 })
    local t2 = db:transaction()
    refused(Users.create, Users, { name = "lost" }, { transaction = t1 })
    refused(Users.bulkCreate, Users, { { name = "x" }, { name = "y" } }, { transaction = t1 })
    refused(Users.update, Users, { name = "z" }, { where = {}, transaction = t1 })
    refused(Users.destroy, Users, { where = {}, transaction = t1 })
    refused(Users.findAll, Users, { transaction = t1 })
    refused(Users.count, Users, { transaction = t1 })
    refused(db.query, db, "DELETE FROM Users", { transaction = t1 })
    refused(db.transaction, db, { transaction = t1 }) -- (a savepoint in it would sit above t2)
    assert.are.equal(1, count(t2))
    Users:create({ name = "t2" }, { transaction = t2 })
    t2:rollback()
    Users:create({ name = "after" }, { transaction = t1 })
    t1:commit()
    local rows = db:query("SELECT name FROM Users ORDER BY id")
    assert.are.same({ { name = "before" }, { name = "after" } }, rows)
  end)

  it("serves it again once that one commits; an instance's save given it too", function()
    local t1 = db:transaction()
    local u = Users:create({ name = "a" }, { transaction = t1 })
    local t2 = db:transaction()
    u.name = "b"
    refused(u.save, u, { transaction = t1 })
    refused(u.destroy, u, { transaction = t1 })
    t2:commit()
    u:save({ transaction = t1 })
    t1:commit()
    assert.are.same({ { name = "b" } }, db:query("SELECT name FROM Users"))
  end)

  it("covers every open level below it, savepoints begun with `transaction` included", function()
    local t1 = db:transaction()
    local s1 = db:transaction({ transaction = t1 })
    Users:create({ name = "s1" }, { transaction = s1 }) -- (a child: usable, as in Sequelize)
    Users:create({ name = "t1" }, { transaction = t1 })
    local t2 = db:transaction()
    refused(Users.create, Users, { name = "x" }, { transaction = s1 })
    refused(Users.create, Users, { name = "x" }, { transaction = t1 })
    local s2 = db:transaction({ transaction = t2 }) -- (t2's own savepoint: fine)
    Users:create({ name = "s2" }, { transaction = s2 })
    s2:commit()
    t2:commit()
    s1:commit()
    t1:commit()
    assert.are.equal(3, count())
  end)

  it("in a managed transaction's function too; not for the savepoints sequelua begins itself", function()
    db:transaction(function(t1)
      Users:create({ name = "outer" }, { transaction = t1 })
      db:transaction(function(t2)
        refused(Users.create, Users, { name = "x" }, { transaction = t1 })
        Users:create({ name = "inner" }, { transaction = t2 })
      end)
      -- a create with include (a savepoint of its own for the parent and its children) given t1
      Users:create({ name = "nested", Posts = { { title = "p" } } }, { transaction = t1, include = { Posts } })
      -- and one given none while t1 runs (joins it)
      Users:create({ name = "joined", Posts = { { title = "q" } } }, { include = { Posts } })
    end)
    assert.are.equal(4, count())
    assert.are.equal(2, #db:query("SELECT id FROM Posts"))
  end)

  it("one begun without `transaction` in a managed one's function nests in the unmanaged one begun there", function()
    -- (the newest open transaction, as a call without `transaction` joins it: a library call's
    -- savepoint, given none, is not refused for the covered managed one; and a rollback of the
    -- unmanaged one ends a transaction begun above it, whose savepoint it removed)
    db:transaction(function(t1)
      Users:create({ name = "t1" }, { transaction = t1 })
      local t2 = db:transaction()
      Users:create({ name = "n", Posts = { { title = "p" } } }, { include = { Posts } })
      local u = Users:findOrCreate({ where = { name = "f" } })
      assert.are.equal("f", u.name)
      Users:update({ name = "g" }, { where = { name = "f" }, individualHooks = true })
      local t3 = db:transaction()
      assert.are.equal(t2, t3.parent)
      Users:create({ name = "t3" }, { transaction = t3 })
      t2:rollback()
      assert.are.equal("rollback", t3.finished)
      assert.is_nil(t1._covered)
      assert.is_nil(t2._covered)
    end)
    assert.are.same({ { name = "t1" } }, db:query("SELECT name FROM Users"))
    assert.are.equal(0, #db:query("SELECT id FROM Posts"))
  end)

  it("ends with a rollback of the one below, which ends that one", function()
    local t1 = db:transaction()
    local t2 = db:transaction()
    Users:create({ name = "t2" }, { transaction = t2 })
    t1:rollback()
    assert.are.equal("rollback", t2.finished)
    assert.is_nil(t1._covered)
    local t3 = db:transaction()
    Users:create({ name = "t3" }, { transaction = t3 })
    t3:commit()
    assert.are.same({ { name = "t3" } }, db:query("SELECT name FROM Users"))
  end)
end)
