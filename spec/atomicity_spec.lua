-- Atomicity: a nested create that fails at its last child leaves no row; a bulkCreate that fails
-- mid-list leaves none; an error inside a managed transaction rolls everything back; savepoints
-- nest. Rows are counted through a second connection to the same file, so a write that is only
-- visible inside a transaction left open by mistake does not count as stored; after each failure
-- the connection must still commit new work (a transaction left open would swallow it).
-- API.md: "A create with a nested include is atomic" (Sequelize itself only is when given a
-- transaction); "an error inside rolls back and is re-raised"; db:transaction inside a managed
-- transaction "opens a savepoint, rolled back alone if fn raises".
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function catch(fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error", 2) end
  return err
end

local function catch_obj(fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error", 2) end
  if type(err) ~= "table" or type(err.name) ~= "string" then
    error("error should be an error object, got: " .. tostring(err), 2)
  end
  return err
end

describe("atomicity", function()
  local path, db, other, Users, Posts, Comments, Profiles

  -- counts through the second connection: only committed rows
  local function committed(tbl)
    return other:query("SELECT count(*) AS c FROM `" .. tbl .. "`", { logging = false })[1].c
  end

  local function all_committed()
    return { committed("Users"), committed("Posts"), committed("Comments"), committed("Profiles") }
  end

  -- the connection still works and is not inside a leftover transaction: a new row commits
  local function assert_usable()
    local before = committed("Users")
    Users:create({ name = "probe" })
    assert.are.equal(before + 1, committed("Users"), "a plain create after the failure was not committed")
    Users:destroy({ where = { name = "probe" } })
    assert.are.equal(before, committed("Users"))
  end

  before_each(function()
    path = os.tmpname()
    os.remove(path)
    db = Sequelize.new({ dialect = "sqlite", storage = path })
    Users = db:define("Users", {
      name = { type = DataTypes.STRING, allowNull = false, unique = true },
      n    = DataTypes.INTEGER,
    })
    Posts = db:define("Posts", {
      title = { type = DataTypes.STRING, allowNull = false, unique = true },
    })
    Comments = db:define("Comments", {
      body = { type = DataTypes.STRING, allowNull = false,
               validate = { notPwned = function(v) if v == "pwned" then error("no pwned comments") end end } },
      n    = DataTypes.INTEGER,
    })
    Profiles = db:define("Profiles", { bio = { type = DataTypes.STRING, allowNull = false } })
    Users:hasMany(Posts)
    Posts:hasMany(Comments)
    Users:hasOne(Profiles)
    db:sync()
    other = Sequelize.new({ dialect = "sqlite", storage = path })
  end)

  after_each(function()
    other:close()
    db:close()
    os.remove(path)
    os.remove(path .. "-journal")
    os.remove(path .. "-wal")
    os.remove(path .. "-shm")
  end)

  -- a function: the models exist only once before_each has run
  local function include() return { { model = Posts, include = { Comments } }, Profiles } end

  local function tree(last_comment)
    return {
      name = "u",
      Profile = { bio = "b" },
      Posts = {
        { title = "p1", Comments = { { body = "c1" }, { body = "c2" } } },
        { title = "p2", Comments = { { body = "c3" }, last_comment } },
      },
    }
  end

  describe("a nested create", function()
    it("stores the whole tree when every part is valid (control)", function()
      local u = Users:create(tree({ body = "c4" }), { include = include() })
      assert.are.equal(2, #u.Posts)
      assert.are.same({ 1, 2, 4, 1 }, all_committed())
    end)

    local failures = {
      { "a notNull violation", Sequelize.null, "SequelizeValidationError" },
      { "a custom validator", "pwned", "SequelizeValidationError" },
      { "a value of the wrong type", print, nil },
      { "NaN in an integer column", 0 / 0, nil },
    }
    for _, f in ipairs(failures) do
      it("failing at its last child with " .. f[1] .. " leaves no row in any table", function()
        local last = { body = "c4" }
        if f[1]:find("NaN") then last.n = f[2] else last.body = f[2] end
        local e = catch_obj(Users.create, Users, tree(last), { include = include() })
        if f[3] then assert.are.equal(f[3], e.name) end
        assert.are.same({ 0, 0, 0, 0 }, all_committed())
        assert.are.equal(0, Users:count())
        assert.are.equal(0, Comments:count())
        assert_usable()
      end)
    end

    it("failing at its last child on a database constraint leaves no row", function()
      Posts:create({ title = "taken" })
      local t = tree({ body = "c4" })
      t.Posts[2].title = "taken"
      local e = catch_obj(Users.create, Users, t, { include = include() })
      assert.are.equal("SequelizeUniqueConstraintError", e.name)
      assert.are.same({ 0, 1, 0, 0 }, all_committed())
      assert_usable()
    end)

    it("failing inside the caller's transaction undoes only itself; the caller may go on and commit", function()
      local t = db:transaction()
      Users:create({ name = "before" }, { transaction = t })
      catch_obj(Users.create, Users, tree({ body = Sequelize.null }), { include = include(), transaction = t })
      Users:create({ name = "after" }, { transaction = t })
      assert.are.equal(0, committed("Users"))   -- nothing visible before the commit
      t:commit()
      assert.are.same({ 2, 0, 0, 0 }, all_committed())
      local names = {}
      for _, u in ipairs(Users:findAll({ order = { { "name", "ASC" } } })) do names[#names + 1] = u.name end
      assert.are.same({ "after", "before" }, names)
    end)
  end)

  describe("bulkCreate", function()
    local function five(bad_at, bad)
      local list = {}
      for i = 1, 5 do list[i] = { name = "u" .. i, n = i } end
      for k, v in pairs(bad) do list[bad_at][k] = v end
      return list
    end

    it("stores every row when all are valid (control)", function()
      assert.are.equal(5, #Users:bulkCreate(five(1, {})))
      assert.are.equal(5, committed("Users"))
    end)

    local failures = {
      { "a unique violation", function() Users:create({ name = "taken" }); return { name = "taken" } end,
        "SequelizeUniqueConstraintError", 1 },
      { "a NOT NULL violation", function() return { name = Sequelize.null } end, nil, 0 },
      { "a value of the wrong type", function() return { name = print } end, nil, 0 },
      { "NaN", function() return { n = 0 / 0 } end, nil, 0 },
      { "an infinity", function() return { n = -math.huge } end, nil, 0 },
      { "a table in a string column", function() return { name = { "x" } } end, nil, 0 },
    }
    for _, f in ipairs(failures) do
      it("failing mid-list on " .. f[1] .. " leaves no row, and the connection still commits", function()
        local bad = f[2]()
        local e = catch_obj(Users.bulkCreate, Users, five(3, bad))
        if f[3] then assert.are.equal(f[3], e.name) end
        assert.are.equal(f[4], committed("Users"))
        assert.are.equal(f[4], Users:count())
        assert_usable()
      end)
    end

    it("with validate = true, failing mid-list leaves no row", function()
      local list = five(4, { name = Sequelize.null })
      catch_obj(Users.bulkCreate, Users, list, { validate = true })
      assert.are.equal(0, committed("Users"))
      assert_usable()
    end)

    it("failing mid-list after the last item is written (a unique clash inside the list) leaves no row", function()
      local list = five(1, {})
      list[5].name = "u1"
      catch_obj(Users.bulkCreate, Users, list)
      assert.are.equal(0, committed("Users"))
      assert_usable()
    end)

    it("failing inside the caller's transaction undoes only itself", function()
      db:transaction(function(t)
        Users:create({ name = "before" }, { transaction = t })
        catch_obj(Users.bulkCreate, Users, five(3, { n = 0 / 0 }), { transaction = t })
        catch_obj(Users.bulkCreate, Users, five(2, { name = "before" }), { transaction = t })
        Users:create({ name = "after" }, { transaction = t })
      end)
      assert.are.equal(2, committed("Users"))
      assert_usable()
    end)

    it("a file written after a failed bulkCreate keeps later rows once reopened", function()
      catch_obj(Users.bulkCreate, Users, five(2, { n = 0 / 0 }))
      Users:create({ name = "important" })
      db:close()
      db = Sequelize.new({ dialect = "sqlite", storage = path })
      local rows = db:query("SELECT name FROM Users")
      assert.are.equal(1, #rows)
      assert.are.equal("important", rows[1].name)
      -- reopen the models on the new handle for after_each
      Users = db:define("Users", { name = DataTypes.STRING, n = DataTypes.INTEGER })
    end)
  end)

  describe("a managed transaction", function()
    local function work(t)
      local u = Users:create({ name = "a", n = 1 }, { transaction = t })
      Users:bulkCreate({ { name = "b" }, { name = "c" } }, { transaction = t })
      Posts:create({ title = "p", UserId = u.id }, { transaction = t })
      Users:update({ n = 5 }, { where = { name = "keep" }, transaction = t })
      Users:increment("n", { where = { name = "keep" }, transaction = t })
      Users:destroy({ where = { name = "gone" }, transaction = t })
      u.n = 9
      u:save({ transaction = t })
      return u
    end

    before_each(function()
      Users:create({ name = "keep", n = 1 })
      Users:create({ name = "gone", n = 1 })
    end)

    local function assert_untouched()
      assert.are.equal(2, committed("Users"))
      assert.are.equal(0, committed("Posts"))
      local keep = other:query("SELECT n FROM Users WHERE name = 'keep'")[1]
      assert.are.equal(1, keep.n)
      assert.are.equal(1, #other:query("SELECT 1 FROM Users WHERE name = 'gone'"))
      assert.are.equal(2, Users:count())
    end

    it("commits all of it when fn returns (control)", function()
      local u = db:transaction(function(t) return work(t) end)
      assert.are.equal(9, u.n)
      assert.are.equal(4, committed("Users"))
      assert.are.equal(6, other:query("SELECT n FROM Users WHERE name = 'keep'")[1].n)
    end)

    it("rolls all of it back when fn raises a string, and re-raises it", function()
      local e = catch(db.transaction, db, function(t)
        work(t)
        error("boom", 0)
      end)
      assert.are.equal("boom", e)
      assert_untouched()
      assert_usable()
    end)

    it("rolls all of it back when fn raises an error object", function()
      local mine = setmetatable({ name = "MyError", message = "mine" }, {})
      local e = catch(db.transaction, db, function(t)
        work(t)
        error(mine)
      end)
      assert.are.equal(mine, e)
      assert_untouched()
      assert_usable()
    end)

    it("rolls all of it back when a statement inside fails", function()
      local e = catch_obj(db.transaction, db, function(t)
        work(t)
        Users:create({ name = "keep" }, { transaction = t })   -- unique clash
      end)
      assert.are.equal("SequelizeUniqueConstraintError", e.name)
      assert_untouched()
      assert_usable()
    end)

    it("rolls back work done without passing the transaction too (one connection)", function()
      -- SQLite has one connection per Sequelize object, so statements issued while fn runs are
      -- part of the transaction whether or not they name it
      catch(db.transaction, db, function()
        Users:create({ name = "implicit" })
        error("boom", 0)
      end)
      assert.are.equal(2, committed("Users"))
      assert_usable()
    end)

    it("shows nothing to another connection before it commits", function()
      db:transaction(function(t)
        work(t)
        assert.are.equal(2, committed("Users"))
        assert.are.equal(0, committed("Posts"))
      end)
      assert.are.equal(4, committed("Users"))
      assert.are.equal(1, committed("Posts"))
    end)
  end)

  describe("nested savepoints", function()
    local function names()
      local out = {}
      for _, r in ipairs(other:query("SELECT name FROM Users ORDER BY name")) do out[#out + 1] = r.name end
      return out
    end

    it("an inner transaction that raises is rolled back alone; a sibling after it commits", function()
      db:transaction(function(t)
        Users:create({ name = "outer" }, { transaction = t })
        local ok = pcall(db.transaction, db, function(t2)
          Users:create({ name = "inner-failed" }, { transaction = t2 })
          error("inner boom")
        end)
        assert.is_false(ok)
        db:transaction(function(t3) Users:create({ name = "inner-ok" }, { transaction = t3 }) end)
        assert.are.equal(2, Users:count({ transaction = t }))
      end)
      assert.are.same({ "inner-ok", "outer" }, names())
    end)

    it("an outer failure undoes inner transactions that completed", function()
      catch(db.transaction, db, function(t)
        Users:create({ name = "outer" }, { transaction = t })
        db:transaction(function(t2) Users:create({ name = "inner" }, { transaction = t2 }) end)
        error("outer boom", 0)
      end)
      assert.are.same({}, names())
      assert_usable()
    end)

    it("three levels: the deepest fails and is caught, the middle goes on, the outer commits", function()
      db:transaction(function(t1)
        Users:create({ name = "l1" }, { transaction = t1 })
        db:transaction(function(t2)
          Users:create({ name = "l2" }, { transaction = t2 })
          local ok = pcall(db.transaction, db, function(t3)
            Users:create({ name = "l3" }, { transaction = t3 })
            Users:create({ name = "l1" }, { transaction = t3 })   -- unique clash
          end)
          assert.is_false(ok)
          Users:create({ name = "l2b" }, { transaction = t2 })
        end)
      end)
      assert.are.same({ "l1", "l2", "l2b" }, names())
    end)

    it("a middle level that fails takes its committed child with it", function()
      db:transaction(function(t1)
        Users:create({ name = "l1" }, { transaction = t1 })
        local ok = pcall(db.transaction, db, function(t2)
          Users:create({ name = "l2" }, { transaction = t2 })
          db:transaction(function(t3) Users:create({ name = "l3" }, { transaction = t3 }) end)
          error("middle boom")
        end)
        assert.is_false(ok)
      end)
      assert.are.same({ "l1" }, names())
    end)

    it("unmanaged savepoints: rollback of the inner one, commit of the outer", function()
      local t = db:transaction()
      Users:create({ name = "a" }, { transaction = t })
      local sp = db:transaction({ transaction = t })
      Users:create({ name = "b" }, { transaction = sp })
      sp:rollback()
      local sp2 = db:transaction({ transaction = t })
      Users:create({ name = "c" }, { transaction = sp2 })
      sp2:commit()
      assert.are.same({}, names())
      t:commit()
      assert.are.same({ "a", "c" }, names())
      assert_usable()
    end)

    it("many savepoints in a row (100 rolled back, 100 kept) end with the right rows", function()
      db:transaction(function(t)
        for i = 1, 200 do
          pcall(db.transaction, db, function(sp)
            Users:create({ name = "r" .. i }, { transaction = sp })
            if i % 2 == 0 then error("drop") end
          end)
        end
      end)
      assert.are.equal(100, committed("Users"))
      assert.are.equal(0, #other:query("SELECT 1 FROM Users WHERE name = 'r2'"))
      assert.are.equal(1, #other:query("SELECT 1 FROM Users WHERE name = 'r199'"))
    end)
  end)
end)

describe("n:m createX", function()
  it("writes the target and its join row together: a join row that fails leaves no target", function()
    local db = Sequelize.new("sqlite::memory:")
    local DT = Sequelize.DataTypes
    local P = db:define("Post", { title = DT.STRING })
    local T = db:define("Tag", { label = DT.STRING })
    P:belongsToMany(T, { through = "PostTags" }); T:belongsToMany(P, { through = "PostTags" })
    db:sync()
    local p = P:create({ title = "x" })
    local ok, err = pcall(p.createTag, p, { label = "partial" }, { through = { createdAt = "garbage" } })
    assert.is_false(ok)
    assert.are.equal("SequelizeValidationError", err.name)
    ok, err = pcall(p.createTag, p, { label = "partial" }, { through = 5 })
    assert.is_false(ok)
    assert.truthy(err.message:find("Post.createTag: options.through must be a table", 1, true), err.message)
    assert.are.same({ 0, 0 }, { T:count(), db.models.PostTags:count() })
    assert.are.equal("ok", p:createTag({ label = "ok" }).label)
    assert.are.same({ 1, 1 }, { T:count(), db.models.PostTags:count() })
    db:close()
  end)
end)

describe("to-many and hasOne setX", function()
  -- Sequelize 6.37.8 (no transaction of its own): u.setPosts([{ id: 2 }]) resolves after unlinking
  -- post 1 ([{"id":1,"UserId":null},{"id":2,"UserId":null}]); u.setProfile(() => 1) resolves after
  -- unlinking the profile; p.setTags([tag, 999]) rejects with SequelizeForeignKeyConstraintError after
  -- deleting the old join rows (PostTags: []). Here an item that is no instance or key raises before
  -- any SQL, and a set that fails leaves the rows as they were (README: n:m set/add are all or nothing).
  local function setup(log)
    local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:",
                               logging = log and function(m) log[#log + 1] = m end or false })
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local Pr = db:define("Profile", { bio = DataTypes.STRING }, { timestamps = false })
    local T = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P, { as = "posts" }); U:hasOne(Pr)
    P:belongsToMany(T, { through = "PostTags" }); T:belongsToMany(P, { through = "PostTags" })
    db:sync()
    local u = U:create({ name = "a" })
    P:create({ title = "p1", UserId = 1 }); P:create({ title = "p2" })
    Pr:create({ bio = "b", UserId = 1 })
    return db, u, P, Pr, T
  end

  it("hasMany and hasOne: an item that is no instance or key raises before unlinking anything", function()
    local log = {}
    local db, u, P, Pr = setup(log)
    for i = #log, 1, -1 do log[i] = nil end
    for _, bad in ipairs({ { { id = 2 } }, { 2, function() end } }) do
      local err = catch_obj(u.setPosts, u, bad)
      assert.are.equal("Error", err.name)
      assert.truthy(err.message:find("Expected an instance of Post or its key, got a", 1, true), err.message)
    end
    local err = catch_obj(u.setProfile, u, function() end)
    assert.are.equal("Expected an instance of Profile or its key, got a function", err.message)
    assert.are.same({}, log)
    assert.are.equal(1, P:findByPk(1).UserId)
    assert.is_nil(P:findByPk(2).UserId)
    assert.are.equal(1, Pr:findByPk(1).UserId)
    db:close()
  end)

  it("n:m: a new join row that fails leaves the old ones (the delete rolled back with it)", function()
    local db, _, P, _, T = setup()
    local p = P:findByPk(1)
    p:setTags({ T:create({ label = "q" }) })
    local err = catch_obj(p.setTags, p, { T:create({ label = "r" }), 999 })
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.same({ 1 }, (function() local t = {} for i, x in ipairs(p:getTags()) do t[i] = x.id end return t end)())
    err = catch_obj(p.addTags, p, { 2, 999 })
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, p:countTags())
    -- and inside a caller's transaction, as a savepoint: the caller's own work stays
    db:transaction(function(t)
      P:create({ title = "p3" }, { transaction = t })
      assert.is_false(pcall(p.setTags, p, { 2, 999 }, { transaction = t }))
    end)
    assert.are.same({ 3, 1 }, { P:count(), p:countTags() })
    db:close()
  end)
end)
