-- Paranoid models (soft delete): define's paranoid and deletedAt options, destroy and
-- restore (instance and static), isSoftDeleted, and the finders, counts, aggregates, update,
-- includes and association accessors leaving soft-deleted rows out unless paranoid = false.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3 (its SQL
-- inlines some values and wraps the where in parentheses; ours binds every value).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local NULL = Sequelize.null

-- the last logged statement of a kind
local function last(log, kind)
  local list = support.statements(log, kind)
  return list[#list]
end

-- the rows of a table as they are, by id
local function rows_of(db, tbl)
  local rows = db:query("SELECT * FROM `" .. tbl .. "` ORDER BY id")
  return rows
end

-- the join rows as they are (the join table has no id column)
local function rows_of_pt(db)
  local rows = db:query("SELECT * FROM `PostTags`")
  return rows
end

describe("paranoid models", function()
  local db, log, User

  before_each(function()
    db, log = support.open()
    User = db:define("User", { name = DataTypes.STRING, n = DataTypes.INTEGER }, { paranoid = true })
    db:sync()
  end)

  after_each(function() db:close() end)

  local function seed()
    return User:create({ name = "a", n = 1 }), User:create({ name = "b", n = 2 }), User:create({ name = "c", n = 3 })
  end

  describe("define", function()
    it("adds a nullable DATE deletedAt column after updatedAt", function()
      -- Sequelize: ... `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `deletedAt` DATETIME);
      assert.are.equal("CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `n` INTEGER, "
        .. "`name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `deletedAt` DATETIME);",
        support.create_of(log, "Users"))
      assert.are.same({ "id", "n", "name", "createdAt", "updatedAt", "deletedAt" }, support.column_names(db, "Users"))
      local a = User.rawAttributes.deletedAt
      assert.are.equal("deletedAt", a.field)
      assert.is_true(a.allowNull)
      assert.are.equal("DATE", a.type.key)
      assert.is_true(User.options.paranoid)
      assert.are.equal("deletedAt", User.options.deletedAt)
    end)

    it("names the column deleted_at with underscored, and keeps a deletedAt name given", function()
      local Post = db:define("Post", { title = DataTypes.STRING }, { paranoid = true, underscored = true })
      local Tag = db:define("Tag", { name = DataTypes.STRING }, { paranoid = true, deletedAt = "removedAt" })
      local Old = db:define("Old", { name = DataTypes.STRING },
        { paranoid = true, underscored = true, deletedAt = "gone_at" })
      db:sync()
      -- Sequelize: `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, `deleted_at` DATETIME
      assert.is_true(support.contains(support.create_of(log, "posts"),
        "`created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, `deleted_at` DATETIME)"))
      assert.are.equal("deleted_at", Post.rawAttributes.deletedAt.field)
      assert.are.equal("deletedAt", Post.options.deletedAt)
      assert.is_true(support.contains(support.create_of(log, "Tags"), "`updatedAt` DATETIME NOT NULL, `removedAt` DATETIME)"))
      assert.are.equal("removedAt", Tag.options.deletedAt)
      assert.is_nil(Tag.rawAttributes.deletedAt)
      assert.are.same({ "id", "name", "created_at", "updated_at", "gone_at" }, support.column_names(db, "olds"))
      local t = Tag:create({ name = "x" })
      t:destroy()
      assert.is_true(t:isSoftDeleted())
      assert.is_not_nil(rows_of(db, "Tags")[1].removedAt)
      assert.are.equal(0, Tag:count())
    end)

    it("keeps the key out of an INSERT and out of a new instance's JSON", function()
      local u = User:create({ name = "a" })
      -- Sequelize: INSERT INTO `Users` (`id`,`name`,`n`,`createdAt`,`updatedAt`) VALUES (...)
      assert.is_nil(last(log, "INSERT"):find("deletedAt", 1, true))
      assert.is_nil(u:toJSON().deletedAt)
      assert.is_false(u:isSoftDeleted())
      -- read back, the column is there and null (Sequelize: "deletedAt":null)
      assert.are.equal(NULL, User:findByPk(u.id):toJSON().deletedAt)
    end)

    it("ignores paranoid without timestamps, as Sequelize does: no column, rows really deleted", function()
      local N = db:define("N", { a = DataTypes.STRING }, { paranoid = true, timestamps = false })
      db:sync()
      assert.is_true(N.options.paranoid)
      assert.is_false(N.options.deletedAt)
      assert.are.same({ "id", "a" }, support.column_names(db, "Ns"))
      local n = N:create({ a = "x" })
      N:create({ a = "y" })
      n:destroy()
      assert.are.equal("DELETE FROM `Ns` WHERE `id` = ?;", support.sql_of(log[#log]))
      N:destroy({ where = { a = "y" } })
      assert.are.equal(0, #db:query("SELECT * FROM `Ns`"))
      -- Sequelize: restore and isSoftDeleted throw "Model is not paranoid"
      assert.are.equal("Model is not paranoid", support.catch_message(N.restore, N).message)
      assert.are.equal("Model is not paranoid", support.catch_message(n.isSoftDeleted, n).message)
      assert.are.equal("Model is not paranoid", support.catch_message(n.restore, n).message)
    end)

    it("ignores deletedAt without paranoid, as Sequelize does", function()
      local D = db:define("D", { a = DataTypes.STRING }, { deletedAt = "gone" })
      db:sync()
      assert.is_false(D.options.paranoid)
      assert.is_false(D.options.deletedAt)
      assert.are.same({ "id", "a", "createdAt", "updatedAt" }, support.column_names(db, "Ds"))
      assert.are.equal("Model is not paranoid", support.catch_message(User.restore, D).message)
    end)

    it("takes a deletedAt attribute the caller defined as the column", function()
      local M = db:define("M", { a = DataTypes.STRING, deletedAt = DataTypes.DATE }, { paranoid = true })
      db:sync()
      assert.are.same({ "id", "a", "createdAt", "updatedAt", "deletedAt" }, support.column_names(db, "Ms"))
      local m = M:create({ a = "x" })
      m:destroy()
      assert.are.equal(0, M:count())
      assert.are.equal(1, M:count({ paranoid = false }))
    end)

    describe("bad input", function()
      local function refused(opts, pattern)
        local err = support.catch_message(db.define, db, "Bad", { a = DataTypes.STRING }, opts)
        assert.are.equal("Error", err.name)
        assert.is_truthy(err.message:find(pattern, 1, true), err.message)
        assert.is_truthy(err.message:find("Bad", 1, true), err.message)  -- names the model
        assert.is_nil(db.models.Bad)
      end

      it("refuses paranoid that is not a boolean", function()
        refused({ paranoid = "yes" }, "the option paranoid must be a boolean, got string")
        refused({ paranoid = 1 }, "the option paranoid must be a boolean, got number")
      end)

      it("refuses deletedAt that is not a string (Sequelize's message)", function()
        refused({ paranoid = true, deletedAt = 5 }, 'Value for "deletedAt" option must be a string or a boolean, got number')
        refused({ paranoid = true, deletedAt = {} }, 'Value for "deletedAt" option must be a string or a boolean, got table')
        refused({ paranoid = true, deletedAt = "" }, 'Value for "deletedAt" option cannot be an empty string')
      end)

      it("refuses deletedAt = false on a paranoid model (Sequelize fails in every finder then)", function()
        refused({ paranoid = true, deletedAt = false }, "deletedAt = false cannot go with paranoid = true")
      end)

      it("creates nothing for a refused model", function()
        pcall(db.define, db, "Bad", { a = DataTypes.STRING }, { paranoid = "yes" })
        db:sync()
        assert.are.same({ "Users" }, support.tables(db))
      end)

      it("refuses a finder's or an include's paranoid that is not a boolean, reading nothing", function()
        seed()
        local Post = db:define("Post", { title = DataTypes.STRING }, { paranoid = true })
        User:hasMany(Post)
        db:sync()
        support.clear(log)
        local err = support.catch_message(User.findAll, User, { paranoid = "no" })
        assert.are.equal("User: options.paranoid must be a boolean, got string", err.message)
        err = support.catch_message(User.count, User, { paranoid = 0 })
        assert.are.equal("User: options.paranoid must be a boolean, got number", err.message)
        err = support.catch_message(User.update, User, { name = "x" }, { where = { n = 1 }, paranoid = "no" })
        assert.are.equal("User: options.paranoid must be a boolean, got string", err.message)
        err = support.catch_message(User.findAll, User, { include = { model = Post, paranoid = "no" } })
        assert.are.equal("include Posts: paranoid must be a boolean, got string", err.message)
        assert.are.same({}, log)
        assert.are.same({ "a", "b", "c" }, support.field(rows_of(db, "Users"), "name"))
      end)

      it("refuses options for restore that are not a table", function()
        local u = seed()
        local err = support.catch_message(User.restore, User, "x")
        assert.is_truthy(err.message:find("User.restore: options must be a table", 1, true))
        err = support.catch_message(u.restore, u, 5)
        assert.is_truthy(err.message:find("User.restore: options must be a table", 1, true))
      end)
    end)
  end)

  describe("instance:destroy()", function()
    it("sets deletedAt and updatedAt instead of deleting", function()
      local u = seed()
      support.clear(log)
      local r = u:destroy()
      assert.are.equal(u, r)
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1,`updatedAt`=$2 WHERE `id` = $3
      assert.are.same({ "UPDATE `Users` SET `deletedAt`=?,`updatedAt`=? WHERE `id` = ?;" },
        support.statements(log, "UPDATE"))
      assert.are.equal(0, #support.statements(log, "DELETE"))
      assert.is_truthy(u.deletedAt:match(support.ISO))
      assert.is_true(u:isSoftDeleted())
      local row = rows_of(db, "Users")[1]
      assert.are.equal(3, #rows_of(db, "Users"))
      assert.are.equal("string", type(row.deletedAt))
      assert.is_truthy(row.deletedAt:match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d%.%d%d%d %+00:00$"))
      assert.is_truthy(row.updatedAt:match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d%.%d%d%d %+00:00$"))
      assert.is_false(u:changed())
    end)

    it("keeps the first deletedAt when destroyed again, and saves the pending changes", function()
      local u = seed()
      db:query("UPDATE `Users` SET `deletedAt` = ? WHERE id = ?", { replacements = { support.OLD_STAMP, u.id } })
      local again = User:findByPk(u.id, { paranoid = false })
      again.name = "q"
      support.clear(log)
      again:destroy()
      -- Sequelize: UPDATE `Users` SET `name`=$1,`updatedAt`=$2 WHERE `id` = $3
      assert.are.same({ "UPDATE `Users` SET `name`=?,`updatedAt`=? WHERE `id` = ?;" }, support.statements(log, "UPDATE"))
      local row = rows_of(db, "Users")[1]
      assert.are.equal(support.OLD_STAMP, row.deletedAt)
      assert.are.equal("q", row.name)
    end)

    it("writes pending changes first, then deletedAt, then updatedAt (Sequelize's order)", function()
      seed()
      local u = User:findByPk(1)
      u.name = "renamed"
      support.clear(log)
      u:destroy()
      -- Sequelize: UPDATE `Users` SET `name`=$1,`deletedAt`=$2,`updatedAt`=$3 WHERE `id` = $4
      assert.are.same({ "UPDATE `Users` SET `name`=?,`deletedAt`=?,`updatedAt`=? WHERE `id` = ?;" },
        support.statements(log, "UPDATE"))
      local row = rows_of(db, "Users")[1]
      assert.are.equal("renamed", row.name)
      assert.is_false(support.is_null(row.deletedAt))
    end)

    it("deletes the row with force = true", function()
      local u = seed()
      support.clear(log)
      u:destroy({ force = true })
      -- Sequelize: DELETE FROM `Users` WHERE `id` = 2
      assert.are.same({ "DELETE FROM `Users` WHERE `id` = ?;" }, support.statements(log, "DELETE"))
      assert.are.same({ 2, 3 }, support.ids(rows_of(db, "Users")))
    end)

    it("takes the transaction: a rollback keeps the row", function()
      local u = seed()
      pcall(db.transaction, db, function(t)
        u:destroy({ transaction = t })
        error("no")
      end)
      assert.is_true(support.is_null(rows_of(db, "Users")[1].deletedAt))
    end)
  end)

  describe("instance:restore()", function()
    it("sets deletedAt back to NULL and saves updatedAt", function()
      local u = seed()
      u:destroy()
      support.clear(log)
      assert.are.equal(u, u:restore())
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1,`updatedAt`=$2 WHERE `id` = $3
      assert.are.same({ "UPDATE `Users` SET `deletedAt`=?,`updatedAt`=? WHERE `id` = ?;" },
        support.statements(log, "UPDATE"))
      assert.is_nil(u.deletedAt)
      assert.is_false(u:isSoftDeleted())
      assert.is_true(support.is_null(rows_of(db, "Users")[1].deletedAt))
      assert.are.equal(3, User:count())
    end)

    it("writes nothing for a row read that is not deleted (a new instance's unset deletedAt is written, as Sequelize)", function()
      seed()
      local u = User:findByPk(1)
      support.clear(log)
      u:restore()
      assert.are.same({}, log)
      -- Sequelize: a created instance has no deletedAt value yet: restore writes NULL
      local fresh = User:create({ name = "f" })
      support.clear(log)
      fresh:restore()
      assert.are.equal(1, #support.statements(log, "UPDATE"))
    end)
  end)

  describe("Model:destroy", function()
    it("sets deletedAt on the rows not deleted yet, updatedAt untouched", function()
      seed()
      local before = rows_of(db, "Users")
      support.clear(log)
      assert.are.equal(1, User:destroy({ where = { n = 1 } }))
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1 WHERE `deletedAt` IS NULL AND `n` = $2
      assert.are.equal("UPDATE `Users` SET `deletedAt`=? WHERE `deletedAt` IS ? AND `n` = ?;", last(log, "UPDATE"))
      local after = rows_of(db, "Users")
      assert.are.equal(3, #after)
      assert.is_truthy(after[1].deletedAt:match("^%d%d%d%d%-%d%d%-%d%d "))
      assert.are.equal(before[1].updatedAt, after[1].updatedAt)
      assert.is_true(support.is_null(after[2].deletedAt))
      -- again: no row is not deleted yet (Sequelize: 0), the stamp stays
      assert.are.equal(0, User:destroy({ where = { n = 1 } }))
      assert.are.equal(after[1].deletedAt, rows_of(db, "Users")[1].deletedAt)
    end)

    it("deletes with force = true", function()
      seed()
      support.clear(log)
      assert.are.equal(2, User:destroy({ where = { n = { [Sequelize.Op.lte] = 2 } }, force = true }))
      -- Sequelize: DELETE FROM `Users` WHERE `n` = 1
      assert.are.equal("DELETE FROM `Users` WHERE `n` <= ?;", last(log, "DELETE"))
      assert.are.same({ 3 }, support.ids(rows_of(db, "Users")))
    end)

    it("soft-deletes every row on truncate; force truncates", function()
      seed()
      support.clear(log)
      User:truncate()
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1 WHERE `deletedAt` IS NULL
      assert.are.equal("UPDATE `Users` SET `deletedAt`=? WHERE `deletedAt` IS ?;", last(log, "UPDATE"))
      assert.are.equal(3, #rows_of(db, "Users"))
      assert.are.equal(0, User:count())
      User:truncate({ force = true })
      assert.are.equal(0, #rows_of(db, "Users"))
    end)

    it("a where on deletedAt itself takes the place of the paranoid condition (Sequelize's Object.assign)", function()
      local Op = Sequelize.Op
      User:create({ name = "e", deletedAt = "2001-01-01T00:00:00Z" })
      User:create({ name = "g" })
      support.clear(log)
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1 WHERE `deletedAt` IS NOT NULL AND `name` = $2,
      -- 1, e's deletedAt stamped again
      assert.are.equal(1, User:destroy({ where = { deletedAt = { [Op.ne] = NULL }, name = "e" } }))
      assert.is_nil(last(log, "UPDATE"):find("IS ? AND", 1, true))
      local rows = rows_of(db, "Users")
      assert.is_nil(rows[1].deletedAt:find("^2001"))
      assert.is_true(support.is_null(rows[2].deletedAt))
      -- the finders AND the two, as Sequelize's:
      -- WHERE (`User`.`deletedAt` IS NULL AND `User`.`deletedAt` IS NOT NULL) -> 0
      assert.are.equal(0, User:count({ where = { deletedAt = { [Op.ne] = NULL } } }))
      -- underscored: the attribute name and the column name both replace it
      -- (Sequelize: UPDATE `us` SET `deleted_at`=$1 WHERE `deleted_at` IS NOT NULL -> 1, twice)
      local U = db:define("U", { name = DataTypes.STRING }, { paranoid = true, underscored = true })
      U:sync()
      U:create({ name = "e", deletedAt = "2001-01-01T00:00:00Z" })
      assert.are.equal(1, U:destroy({ where = { deletedAt = { [Op.ne] = NULL } } }))
      assert.are.equal(1, U:destroy({ where = { deleted_at = { [Op.ne] = NULL } } }))
    end)

    it("still needs a where", function()
      local err = support.catch_message(User.destroy, User, {})
      assert.are.equal("Missing where or truncate attribute in the options parameter of model.destroy.", err.message)
    end)
  end)

  describe("Model:restore", function()
    it("sets deletedAt to NULL on the rows of the where, updatedAt untouched", function()
      seed()
      User:destroy({ where = { n = { [Sequelize.Op.lte] = 2 } } })
      local before = rows_of(db, "Users")
      support.clear(log)
      assert.are.equal(1, User:restore({ where = { n = 1 } }))
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1 WHERE `n` = $2
      assert.are.equal("UPDATE `Users` SET `deletedAt`=? WHERE `n` = ?;", last(log, "UPDATE"))
      local after = rows_of(db, "Users")
      assert.is_true(support.is_null(after[1].deletedAt))
      assert.are.equal(before[1].updatedAt, after[1].updatedAt)
      assert.is_false(support.is_null(after[2].deletedAt))
      assert.are.same({ 1, 3 }, support.ids(User:findAll()))
    end)

    it("restores every row without a where", function()
      seed()
      User:destroy({ where = { n = { [Sequelize.Op.gte] = 1 } } })
      support.clear(log)
      assert.are.equal(3, User:restore())
      -- Sequelize: UPDATE `Users` SET `deletedAt`=$1
      assert.are.equal("UPDATE `Users` SET `deletedAt`=?;", last(log, "UPDATE"))
      assert.are.equal(3, User:count())
    end)
  end)

  describe("reads", function()
    before_each(function()
      local a = seed()
      a:destroy()
      support.clear(log)
    end)

    it("findAll leaves soft-deleted rows out, paranoid = false keeps them", function()
      assert.are.same({ 2, 3 }, support.ids(User:findAll()))
      -- Sequelize: ... FROM `Users` AS `User` WHERE (`User`.`deletedAt` IS NULL);
      assert.is_truthy(support.contains(last(log, "SELECT"), "FROM `Users` AS `User` WHERE `User`.`deletedAt` IS ?;"))
      assert.are.same({ 3 }, support.ids(User:findAll({ where = { n = { [Sequelize.Op.ne] = 2 } } })))
      -- Sequelize: WHERE (`User`.`deletedAt` IS NULL AND `User`.`name` = 'a')
      assert.is_truthy(support.contains(last(log, "SELECT"), "WHERE `User`.`deletedAt` IS ? AND `User`.`n` != ?;"))
      assert.are.same({ 1, 2, 3 }, support.ids(User:findAll({ paranoid = false })))
      assert.is_nil(last(log, "SELECT"):find("WHERE", 1, true))
      assert.are.same({}, User:findAll({ where = { name = "a" } }))
      assert.are.same({ 1 }, support.ids(User:findAll({ where = { name = "a" }, paranoid = false })))
    end)

    it("findOne and findByPk", function()
      assert.is_nil(User:findOne({ where = { name = "a" } }))
      -- Sequelize: WHERE (`User`.`deletedAt` IS NULL AND `User`.`n` = 2) LIMIT 1
      assert.is_truthy(support.contains(last(log, "SELECT"), "WHERE `User`.`deletedAt` IS ? AND `User`.`name` = ?"))
      assert.are.equal("a", User:findOne({ where = { name = "a" }, paranoid = false }).name)
      assert.is_nil(User:findByPk(1))
      -- Sequelize: WHERE (`User`.`deletedAt` IS NULL AND `User`.`id` = 1)
      assert.is_truthy(support.contains(last(log, "SELECT"), "WHERE `User`.`deletedAt` IS ? AND `User`.`id` = ?"))
      assert.are.equal(2, User:findByPk(2).id)
      assert.are.equal(1, User:findByPk(1, { paranoid = false }).id)
      assert.is_true(User:findByPk(1, { paranoid = false }):isSoftDeleted())
      local err = support.catch_error(User.findByPk, User, 1, { rejectOnEmpty = true })
      assert.are.equal("SequelizeEmptyResultError", err.name)
    end)

    it("count, findAndCountAll and the aggregates", function()
      assert.are.equal(2, User:count())
      -- Sequelize: SELECT count(*) AS `count` FROM `Users` AS `User` WHERE (`User`.`deletedAt` IS NULL);
      assert.are.equal("SELECT count(*) AS `count` FROM `Users` AS `User` WHERE `User`.`deletedAt` IS ?;",
        last(log, "SELECT"))
      assert.are.equal(3, User:count({ paranoid = false }))
      assert.are.equal(1, User:count({ where = { n = { [Sequelize.Op.lt] = 3 } } }))
      local r = User:findAndCountAll()
      assert.are.equal(2, r.count)
      assert.are.same({ 2, 3 }, support.ids(r.rows))
      r = User:findAndCountAll({ paranoid = false })
      assert.are.equal(3, r.count)
      assert.are.equal(3, #r.rows)
      local g = User:count({ group = "n" })
      assert.are.same({ 2, 3 }, support.ids(g, "n"))
      assert.are.equal(3, #User:count({ group = "n", paranoid = false }))
      assert.are.equal(2, User:min("n"))
      -- Sequelize: SELECT max(`n`) AS `max` FROM `Users` AS `User` WHERE (`User`.`deletedAt` IS NULL);
      assert.is_truthy(support.contains(last(log, "SELECT"), "WHERE `User`.`deletedAt` IS ?"))
      assert.are.equal(1, User:min("n", { paranoid = false }))
      assert.are.equal(3, User:max("n"))
      assert.are.equal(5, User:sum("n"))
      assert.are.equal(6, User:sum("n", { paranoid = false }))
      assert.are.equal(5, User:aggregate("n", "sum"))
    end)

    it("reload of a soft-deleted instance fails, as Sequelize's findOne does", function()
      local a = User:findByPk(1, { paranoid = false })
      local err = support.catch_error(a.reload, a)
      assert.are.equal("SequelizeInstanceError", err.name)
      assert.are.equal(a, a:reload({ paranoid = false }))
      local b = User:findByPk(2)
      db:query("UPDATE `Users` SET name = 'bb' WHERE id = 2")
      assert.are.equal("bb", b:reload().name)
    end)
  end)

  describe("upsert and findOrCreate", function()
    it("upsert updates a soft-deleted row and leaves it deleted (Sequelize's ON CONFLICT DO UPDATE)", function()
      local a = seed()
      a:destroy()
      local stamp = rows_of(db, "Users")[1].deletedAt
      local inst, created = User:upsert({ id = a.id, name = "b" })
      assert.is_false(created)
      assert.are.equal("b", inst.name)
      assert.are.equal(3, #rows_of(db, "Users"))
      assert.are.equal("b", rows_of(db, "Users")[1].name)
      assert.are.equal(stamp, rows_of(db, "Users")[1].deletedAt)
      assert.are.equal(2, User:count())
    end)

    it("upsert takes a partial unique index (where deletedAt IS NULL) as its target: the active row", function()
      -- Sequelize 6.37.8 takes the index as the target and sends ON CONFLICT (`email`) DO UPDATE,
      -- which SQLite refuses: SequelizeDatabaseError "SQLITE_ERROR: ON CONFLICT clause does not
      -- match any PRIMARY KEY or UNIQUE constraint", for both calls below. Here the target is
      -- the index with its where, as SQLite's ON CONFLICT (`email`) WHERE `deletedAt` IS NULL
      -- has it (sqlite3: the active x updated, z inserted).
      local U = db:define("U", { email = DataTypes.STRING, n = DataTypes.INTEGER }, { paranoid = true,
        indexes = { { unique = true, fields = { "email" }, where = { deletedAt = NULL } } } })
      U:sync()
      local a = U:create({ email = "x" })
      a:destroy()
      U:create({ email = "x" })
      local inst, created = U:upsert({ email = "x", n = 9 })
      assert.is_false(created)
      assert.are.equal(2, inst.id)
      inst, created = U:upsert({ email = "z", n = 9 })
      assert.is_true(created)
      local rows = rows_of(db, "Us")
      assert.are.same({ { "x", NULL, false }, { "x", 9, true }, { "z", 9, true } }, {
        { rows[1].email, rows[1].n, support.is_null(rows[1].deletedAt) },
        { rows[2].email, rows[2].n, support.is_null(rows[2].deletedAt) },
        { rows[3].email, rows[3].n, support.is_null(rows[3].deletedAt) } })
    end)

    it("a partial unique index is the target only for a row it holds; an updatedAt default is kept on update", function()
      -- sqlite3, ON CONFLICT (`email`) WHERE `active` = 1 DO UPDATE: ('a', 1, 'live') then
      -- ('a', 0, 'archived') inserts a second row (no conflict for a row the index does not hold).
      -- Sequelize 6.37.8 with updatedAt defaultValue '2000-01-01': the insert writes 2000-01-01,
      -- the ON CONFLICT DO UPDATE of the existing row leaves its updatedAt (2010 set by hand kept);
      -- upsert({ ... }, { fields = { "email", "pw" } }) naming a VIRTUAL runs (no error).
      local U = db:define("U2", { email = DataTypes.STRING, active = DataTypes.BOOLEAN, name = DataTypes.STRING,
        pw = DataTypes.VIRTUAL, updatedAt = { type = DataTypes.DATE, defaultValue = "2000-01-01T00:00:00Z" } },
        { indexes = { { unique = true, fields = { "email" }, where = { active = true } } } })
      U:sync()
      U:upsert({ email = "a", active = true, name = "live" })
      local _, created = U:upsert({ email = "a", active = false, name = "archived" })
      assert.is_true(created)
      assert.are.same({ "live", "archived" }, support.field(U:findAll({ order = { { "id" } } }), "name"))
      db:query("UPDATE U2s SET updatedAt = '2010-01-01 00:00:00.000 +00:00' WHERE id = 1")
      _, created = U:upsert({ email = "a", active = true, name = "live2", pw = "x" }, { fields = { "email", "name", "pw" } })
      assert.is_false(created)
      local r = U:findByPk(1)
      assert.are.same({ "live2", "2010-01-01T00:00:00.000Z" }, { r.name, r.updatedAt })
      assert.are.equal("2000-01-01T00:00:00.000Z", U:findByPk(2).updatedAt)
    end)

    it("findOrCreate does not find a soft-deleted row, and creates one (Sequelize)", function()
      local a = seed()
      a:destroy()
      local inst, created = User:findOrCreate({ where = { name = "a" }, defaults = { n = 7 } })
      assert.is_true(created)
      assert.are.equal(7, inst.n)
      assert.are.equal(4, #rows_of(db, "Users"))
    end)
  end)

  describe("Model:update", function()
    it("updates only the rows not soft-deleted (Sequelize adds the paranoid clause)", function()
      local a = seed()
      a:destroy()
      support.clear(log)
      assert.are.equal(2, User:update({ name = "z" }, { where = { n = { [Sequelize.Op.gte] = 1 } } }))
      -- Sequelize: UPDATE `Users` SET `name`=$1,`updatedAt`=$2 WHERE (`deletedAt` IS NULL AND `n` = $3)
      assert.are.equal("UPDATE `Users` SET `name`=?,`updatedAt`=? WHERE `deletedAt` IS ? AND `n` >= ?;",
        last(log, "UPDATE"))
      assert.are.same({ "a", "z", "z" }, support.field(rows_of(db, "Users"), "name"))
      assert.are.equal(3, User:update({ name = "y" }, { where = { n = { [Sequelize.Op.gte] = 1 } }, paranoid = false }))
      assert.are.same({ "y", "y", "y" }, support.field(rows_of(db, "Users"), "name"))
    end)
  end)

  describe("Model:increment", function()
    it("reaches soft-deleted rows too (Sequelize adds no paranoid clause there)", function()
      local a = seed()
      a:destroy()
      support.clear(log)
      User:increment("n", { where = { n = { [Sequelize.Op.gte] = 1 } } })
      -- Sequelize: UPDATE `Users` SET `n`=`n`+ 1,`updatedAt`='...' WHERE `n` = 1
      assert.is_nil(last(log, "UPDATE"):find("deletedAt", 1, true))
      assert.are.same({ 2, 3, 4 }, support.field(rows_of(db, "Users"), "n"))
    end)
  end)

  describe("includes and accessors", function()
    local Post, Tag, PostTag, u, p1, p2, t1, t2

    before_each(function()
      Post = db:define("Post", { title = DataTypes.STRING }, { paranoid = true })
      Tag = db:define("Tag", { name = DataTypes.STRING }, { paranoid = true })
      PostTag = db:define("PostTag", {}, { paranoid = true })
      User:hasMany(Post)
      Post:belongsTo(User)
      Post:belongsToMany(Tag, { through = PostTag })
      db:sync()
      u = User:create({ name = "u", n = 1 })
      p1 = Post:create({ title = "kept", UserId = u.id })
      p2 = Post:create({ title = "gone", UserId = u.id })
      p2:destroy()
      t1 = Tag:create({ name = "t1" })
      t2 = Tag:create({ name = "t2" })
      p1:addTags({ t1, t2 })
      t2:destroy()
      support.clear(log)
    end)

    it("puts the condition in the join's ON clause without making the include required", function()
      local gone = User:create({ name = "nobody", n = 9 })  -- a user without posts stays
      local users = User:findAll({ include = Post, order = { { "id" } } })
      -- Sequelize: LEFT OUTER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId`
      --   AND (`Posts`.`deletedAt` IS NULL) WHERE (`User`.`deletedAt` IS NULL)
      assert.is_truthy(support.contains(last(log, "SELECT"), "LEFT OUTER JOIN `Posts` AS `Posts` ON `User`.`id` = "
        .. "`Posts`.`UserId` AND `Posts`.`deletedAt` IS ? WHERE `User`.`deletedAt` IS ?"))
      assert.are.equal(2, #users)
      assert.are.same({ "kept" }, support.field(users[1].Posts, "title"))
      assert.are.equal(gone.id, users[2].id)
      assert.are.same({}, users[2].Posts)
    end)

    it("makes the include required only from the user's where, the condition first in ON", function()
      local users = User:findAll({ include = { model = Post, where = { title = "kept" } } })
      -- Sequelize: INNER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId`
      --   AND (`Posts`.`deletedAt` IS NULL AND `Posts`.`title` = 't')
      assert.is_truthy(support.contains(last(log, "SELECT"), "INNER JOIN `Posts` AS `Posts` ON `User`.`id` = "
        .. "`Posts`.`UserId` AND (`Posts`.`deletedAt` IS ? AND `Posts`.`title` = ?)"))
      assert.are.equal(1, #users)
      assert.are.same({}, User:findAll({ include = { model = Post, where = { title = "gone" } } }))
      local r = User:findAll({ include = { model = Post, required = true } })
      assert.is_truthy(support.contains(last(log, "SELECT"), "INNER JOIN `Posts` AS `Posts` ON `User`.`id` = "
        .. "`Posts`.`UserId` AND `Posts`.`deletedAt` IS ?"))
      assert.are.equal(1, #r[1].Posts)
    end)

    it("include paranoid = false lifts the condition", function()
      local users = User:findAll({ include = { model = Post, paranoid = false } })
      -- Sequelize: LEFT OUTER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` WHERE (...)
      assert.is_truthy(support.contains(last(log, "SELECT"),
        "LEFT OUTER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId` WHERE `User`.`deletedAt` IS ?"))
      assert.are.same({ "gone", "kept" }, support.sorted(support.field(users[1].Posts, "title")))
      -- the top level keeps its own: a soft-deleted user is still left out
      u:destroy()
      assert.are.same({}, User:findAll({ include = { model = Post, paranoid = false } }))
      assert.are.equal(1, #User:findAll({ include = { model = Post, paranoid = false }, paranoid = false }))
    end)

    it("a belongsTo include and include all", function()
      p1:update({ UserId = u.id })
      u:destroy()
      local posts = Post:findAll({ include = User })
      -- Sequelize: LEFT OUTER JOIN `Users` AS `User` ON `Post`.`UserId` = `User`.`id` AND (`User`.`deletedAt` IS NULL)
      assert.is_truthy(support.contains(last(log, "SELECT"),
        "LEFT OUTER JOIN `Users` AS `User` ON `Post`.`UserId` = `User`.`id` AND `User`.`deletedAt` IS ?"))
      assert.are.equal(1, #posts)
      assert.is_nil(posts[1].User)
      local all = User:findAll({ include = { all = true }, paranoid = false })
      assert.is_truthy(support.contains(last(log, "SELECT"), "AND `Posts`.`deletedAt` IS ?"))
      assert.are.equal(1, #all[1].Posts)
    end)

    it("separate includes read with the condition in their own query", function()
      local users = User:findAll({ include = { model = Post, separate = true } })
      -- Sequelize: ... FROM `Posts` AS `Post` WHERE (`Post`.`deletedAt` IS NULL AND `Post`.`UserId` IN (1));
      assert.is_truthy(support.contains(last(log, "SELECT"), "WHERE `Post`.`deletedAt` IS ? AND `Post`.`UserId` IN (?)"))
      assert.are.same({ "kept" }, support.field(users[1].Posts, "title"))
      users = User:findAll({ include = { model = Post, separate = true, paranoid = false } })
      assert.are.equal(2, #users[1].Posts)
    end)

    it("count and findAndCountAll with an include", function()
      assert.are.equal(1, User:count({ include = { model = Post, where = { title = "kept" } } }))
      assert.are.equal(0, User:count({ include = { model = Post, where = { title = "gone" } } }))
      assert.are.equal(1, User:count({ include = { model = Post, where = { title = "gone" }, paranoid = false } }))
      local r = User:findAndCountAll({ include = Post })
      assert.are.equal(1, r.count)
      assert.are.equal(1, #r.rows[1].Posts)
    end)

    it("n:m includes leave out soft-deleted targets and soft-deleted join rows", function()
      local posts = Post:findAll({ include = Tag })
      -- Sequelize: ... ON `Tags`.`id` = `Tags->PostTag`.`TagId` AND (`Tags->PostTag`.`deletedAt` IS NULL))
      --   ON `Post`.`id` = `Tags->PostTag`.`PostId` AND (`Tags`.`deletedAt` IS NULL)
      -- (ours puts the through condition in the outer ON, which selects the same rows)
      local sql = last(log, "SELECT")
      assert.is_truthy(support.contains(sql, "`Tags->PostTag`.`deletedAt` IS ?"), sql)
      assert.is_truthy(support.contains(sql, "`Tags`.`deletedAt` IS ?"), sql)
      assert.are.same({ "t1" }, support.field(posts[1].Tags, "name"))
      posts = Post:findAll({ include = { model = Tag, paranoid = false } })
      assert.are.same({ "t1", "t2" }, support.sorted(support.field(posts[1].Tags, "name")))
      -- the join row soft-deleted: the tag is no longer the post's
      PostTag:destroy({ where = { TagId = t1.id } })
      assert.are.equal(2, #rows_of_pt(db))
      posts = Post:findAll({ include = Tag })
      assert.are.same({}, posts[1].Tags)
      -- through = { paranoid = false } lifts the join rows' condition
      posts = Post:findAll({ include = { model = Tag, through = { paranoid = false } } })
      assert.are.same({ "t1" }, support.field(posts[1].Tags, "name"))
    end)

    it("a paranoid through model keeps the through scope and VIRTUAL join attributes in the include", function()
      local Label = db:define("Label", {
        note = DataTypes.STRING,
        v = { type = DataTypes.VIRTUAL, get = function(self) return "V" .. tostring(self:getDataValue("note")) end },
      }, { paranoid = true })
      Post:belongsToMany(Tag, { through = { model = Label, scope = { note = "n" } }, as = "ntags" })
      db:sync()
      local t3 = Tag:create({ name = "t3" })
      Label:bulkCreate({ { PostId = p1.id, TagId = t1.id, note = "n" }, { PostId = p1.id, TagId = t3.id, note = "m" } })
      support.clear(log)
      -- Sequelize 6.37.8: ... INNER JOIN `Tags` AS `ntags` ON `ntags`.`id` = `ntags->Label`.`TagId`
      --   AND (`ntags->Label`.`deletedAt` IS NULL AND `ntags->Label`.`note` = 'n')) ...; [1] (t1 only)
      local posts = Post:findAll({ include = "ntags", where = { id = p1.id } })
      local sql = last(log, "SELECT")
      assert.is_truthy(support.contains(sql, "`ntags->Label`.`deletedAt` IS ?"), sql)
      assert.is_truthy(support.contains(sql, "`ntags->Label`.`note` = ?"), sql)
      assert.are.same({ "t1" }, support.field(posts[1].ntags, "name"))
      posts = Post:findAll({ include = { association = "ntags", required = true, through = { where = { PostId = p1.id } } } })
      assert.are.same({ "t1" }, support.field(posts[1].ntags, "name"))
      -- Sequelize 6.37.8: the join row {"v":"Vn","note":"n"}
      posts = Post:findAll({ include = { association = "ntags", through = { attributes = { "note", "v" } } } })
      assert.are.same({ note = "n", v = "Vn" }, posts[1].ntags[1].Label:toJSON())
    end)

    it("separate n:m includes and nested includes", function()
      local posts = Post:findAll({ include = { model = Tag, separate = true } })
      assert.are.same({ "t1" }, support.field(posts[1].Tags, "name"))
      local sql = support.statements(log, "SELECT")
      -- the join rows' query and the targets' query each with the condition once
      assert.is_truthy(support.contains(sql[#sql - 1], "FROM `PostTags` AS `PostTag` WHERE `PostTag`.`deletedAt` IS ? AND"))
      assert.are.equal(1, select(2, sql[#sql - 1]:gsub("`deletedAt` IS %?", "")))
      assert.is_truthy(support.contains(sql[#sql], "FROM `Tags` AS `Tag` WHERE `Tag`.`deletedAt` IS ? AND"))
      posts = Post:findAll({ include = { model = Tag, separate = true, paranoid = false } })
      assert.are.same({ "t1", "t2" }, support.sorted(support.field(posts[1].Tags, "name")))
      PostTag:destroy({ where = { TagId = t1.id } })
      assert.are.same({}, Post:findAll({ include = { model = Tag, separate = true } })[1].Tags)
      posts = Post:findAll({ include = { model = Tag, separate = true, through = { paranoid = false } } })
      assert.are.same({ "t1" }, support.field(posts[1].Tags, "name"))
      -- nested: each level's condition in its own ON clause
      PostTag:restore()
      local users = User:findAll({ include = { model = Post, include = Tag } })
      sql = last(log, "SELECT")
      assert.is_truthy(support.contains(sql, "`Posts`.`deletedAt` IS ?"), sql)
      assert.is_truthy(support.contains(sql, "`Posts->Tags`.`deletedAt` IS ?"), sql)
      assert.are.same({ "kept" }, support.field(users[1].Posts, "title"))
      assert.are.same({ "t1" }, support.field(users[1].Posts[1].Tags, "name"))
      -- joined below a separate include: still a LEFT join, each condition once
      local bare = Post:create({ title = "bare", UserId = u.id })
      users = User:findAll({ include = { model = Post, separate = true, include = Tag } })
      sql = last(log, "SELECT")
      assert.is_truthy(support.contains(sql, "FROM `Posts` AS `Post` LEFT OUTER JOIN"), sql)
      assert.are.equal(1, select(2, sql:gsub("`Tags`.`deletedAt` IS %?", "")), sql)
      assert.are.equal(1, select(2, sql:gsub("`Tags%->PostTag`.`deletedAt` IS %?", "")), sql)
      assert.are.same({ "bare", "kept" }, support.sorted(support.field(users[1].Posts, "title")))
      for _, post in ipairs(users[1].Posts) do
        if post.id == bare.id then assert.are.same({}, post.Tags) else assert.are.equal(1, #post.Tags) end
      end
    end)

    it("hasMany and belongsTo getters and counters", function()
      assert.are.same({ "kept" }, support.field(u:getPosts(), "title"))
      -- Sequelize: WHERE (`Post`.`deletedAt` IS NULL AND `Post`.`UserId` = 1)
      assert.is_truthy(support.contains(last(log, "SELECT"), "WHERE `Post`.`deletedAt` IS ? AND `Post`.`UserId` = ?"))
      assert.are.equal(1, u:countPosts())
      assert.are.equal(2, #u:getPosts({ paranoid = false }))
      assert.are.equal(2, u:countPosts({ paranoid = false }))
      assert.is_false(u:hasPost(p2))
      assert.are.equal(u.id, p1:getUser().id)
      u:destroy()
      assert.is_nil(p1:getUser())
      assert.are.equal(u.id, p1:getUser({ paranoid = false }).id)
    end)

    it("saves a key column that comes after updatedAt with updatedAt last, again and again", function()
      local u2 = User:create({ name = "v", n = 5 })
      local a = Post:create({ title = "a" })
      local b = Post:create({ title = "b" })
      support.clear(log)
      a.UserId = u.id
      a:save()
      b.UserId = u2.id
      b:save()                  -- the same statement again, values bound in the same order
      -- Sequelize: UPDATE `Posts` SET `UserId`=$1,`updatedAt`=$2 WHERE `id` = $3
      assert.are.same({ "UPDATE `Posts` SET `UserId`=?,`updatedAt`=? WHERE `id` = ?;" },
        { support.statements(log, "UPDATE")[1] })
      local rows = rows_of(db, "Posts")
      assert.are.equal(u.id, rows[3].UserId)
      assert.are.equal(u2.id, rows[4].UserId)
      assert.is_truthy(tostring(rows[4].updatedAt):match("^%d%d%d%d%-%d%d%-%d%d "))
    end)

    it("hasMany setters leave soft-deleted targets alone (Sequelize's update)", function()
      local u2 = User:create({ name = "v", n = 5 })
      u2:setPosts({ p1, p2 })
      -- p1 moves to u2; the soft-deleted p2 stays u's
      assert.are.same({ u2.id, u.id }, support.field(rows_of(db, "Posts"), "UserId"))
    end)

    it("belongsToMany getters and counters read live join rows and live targets", function()
      assert.are.same({ "t1" }, support.field(p1:getTags(), "name"))
      assert.are.equal(1, p1:countTags())
      assert.are.same({ "t1", "t2" }, support.sorted(support.field(p1:getTags({ paranoid = false }), "name")))
      assert.is_true(p1:hasTag(t1))
      assert.is_false(p1:hasTag(t2))
      -- removeTag soft-deletes the join row
      support.clear(log)
      p1:removeTag(t1)
      -- Sequelize: UPDATE `PostTags` SET `deletedAt`=$1 WHERE `deletedAt` IS NULL AND `PostId` = $2 AND `TagId` IN (2)
      assert.is_truthy(support.contains(last(log, "UPDATE"), "UPDATE `PostTags` SET `deletedAt`=? WHERE `deletedAt` IS ?"))
      assert.are.equal(2, #rows_of_pt(db))
      assert.are.same({}, p1:getTags())
      -- paranoid = false lifts the targets' condition, not the join rows' (Sequelize): t2's
      -- join row is live, t1's is not
      assert.are.same({ "t2" }, support.field(p1:getTags({ paranoid = false }), "name"))
      assert.are.equal(1, p1:countTags({ paranoid = false }))
    end)
  end)
end)

describe("a paranoid model whose deletedAt has a defaultValue", function()
  it("reads rows holding the default as not deleted, and restores to it (Sequelize: 1, 0 1, 1)", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local EPOCH = "1970-01-01T00:00:00.000Z"
    local U = db:define("User", { name = DT.STRING, deletedAt = { type = DT.DATE, defaultValue = EPOCH } },
      { paranoid = true })
    local P = db:define("Post", { title = DT.STRING })
    P:belongsTo(U)
    db:sync()
    local u = U:create({ name = "a" })
    assert.are.equal(1, U:count())
    assert.is_false(u:isSoftDeleted())
    P:create({ title = "t", UserId = u.id })
    assert.are.equal("a", P:findOne({ include = U }).User.name)
    u:destroy()
    assert.is_true(u:isSoftDeleted())
    assert.are.same({ 0, 1 }, { U:count(), U:count({ paranoid = false }) })
    assert.is_nil(P:findOne({ include = U }).User)
    u:restore()
    assert.are.equal(EPOCH, U:findByPk(u.id).deletedAt)
    assert.are.equal(1, U:count())
    U:destroy({ where = { name = "a" } })
    assert.are.equal(0, U:count())
    U:restore()
    assert.are.equal(1, U:count())
    db:close()
  end)
end)
