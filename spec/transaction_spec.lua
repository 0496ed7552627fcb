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

    it("a finished transaction given to a nested create raises, and nothing is written", function()
      local Posts = db:define("Posts", { title = DataTypes.STRING })
      Users:hasMany(Posts)
      db:sync()
      local t = db:transaction()
      t:commit()
      local err = support.catch_message(Users.create, Users, { username = "n", Posts = { { title = "p" } } },
        { include = { Posts }, transaction = t })
      assert.is_truthy(err.message:find("finished with state: commit", 1, true))
      assert.are.same({ "keep" }, names(Users))
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
    for _, bad in ipairs({ {}, 5, "t", true, Sequelize.null, { id = 7 } }) do
      local err = support.catch_message(function() Users:create({ username = "x" }, { transaction = bad }) end)
      assert.truthy(err.message:find("options.transaction must be a transaction", 1, true), err.message)
      err = support.catch_message(function() Users:findAll({ transaction = bad }) end)
      assert.truthy(err.message:find("options.transaction must be a transaction", 1, true), err.message)
    end
    assert.are.same(before, names(Users))
  end)
end)
