-- Port of Sequelize v6's test/unit/sql/insert.test.js (branch v6), sqlite dialect.
-- sql.insertQuery / bulkInsertQuery (internal) are expressed through the public calls that
-- build them: Model:create / Model:upsert / Model:bulkCreate and qi:insert / qi:bulkInsert /
-- qi:upsert. Each case runs ours and Sequelize's expected sqlite SQL (its bind values given as
-- bind) on the same rows and compares the table left. No test is skipped.
-- The models of 'allow (bulk) insert primary key with 0' are defined with timestamps = false:
-- Sequelize's expected INSERT names `id` only, which the NOT NULL createdAt of its model refuses.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local U = require("spec.port_unit_support")

local function rows(db, tbl)
  return db:query("SELECT * FROM `" .. tbl .. "` ORDER BY rowid")
end

describe("SQL (port of unit/sql/insert.test.js)", function()
  local db, qi, Trig, M, Up, Dated, Dated3, Nul
  -- runs ours and Sequelize's SQL each after prep() and compares the table left
  local function same_effect(tbl, prep, ours, sql, bind)
    prep(); ours()
    local left = rows(db, tbl)
    prep(); db:query(sql, bind and { bind = bind } or nil)
    U.same(db, left, "SELECT * FROM `" .. tbl .. "` ORDER BY rowid", { empty = #left == 0 })
  end
  local function empty(tbl) -- (and its AUTOINCREMENT counter, so both runs number rows alike)
    return function() db:query("DELETE FROM `" .. tbl .. "`"); db:query("DELETE FROM sqlite_sequence WHERE name = ?", { replacements = { tbl } }) end
  end
  local function seeded() -- one row the upserts meet, another they must leave alone
    db:query("DELETE FROM `users`")
    db:query("INSERT INTO `users` VALUES ('testuser', 'old', '2000-01-01 00:00:00.000 +00:00', '2000-01-01 00:00:00.000 +00:00', NULL)")
    db:query("INSERT INTO `users` VALUES ('other', 'keep', '2000-01-01 00:00:00.000 +00:00', '2000-01-01 00:00:00.000 +00:00', NULL)")
  end
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    qi = db:getQueryInterface()
    Trig = db:define("trig", { username = { type = DataTypes.STRING, field = "user_name" } },
      { timestamps = false, hasTrigger = true, tableName = "trig_users" })
    M = db:define("m", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true } }, { timestamps = false })
    Up = db:define("user", {
      username = { type = DataTypes.STRING, field = "user_name", primaryKey = true },
      password = { type = DataTypes.STRING, field = "pass_word" },
      createdAt = { type = DataTypes.DATE, field = "created_at" },
      updatedAt = { type = DataTypes.DATE, field = "updated_at" },
      deletedAt = { type = DataTypes.DATE, field = "deleted_at" },
    }, { timestamps = true, tableName = "users" })
    Dated = db:define("dated", { date = DataTypes.DATE }, { timestamps = false, tableName = "dated" })
    Dated3 = db:define("dated3", { date = DataTypes.DATE(3) }, { timestamps = false, tableName = "dated3" })
    Nul = db:define("nul", { username = { type = DataTypes.STRING, field = "user_name" } }, { timestamps = false, tableName = "nul" })
    db:sync()
  end)
  teardown(function() db:close() end)

  describe("insert", function()
    it("with temp table for trigger", function()
      local sql = "INSERT INTO `trig_users` (`user_name`) VALUES ($1);"
      same_effect("trig_users", empty("trig_users"),
        function() Trig:create({ username = "triggertest" }, { returning = true, hasTrigger = true }) end, sql, { "triggertest" })
      same_effect("trig_users", empty("trig_users"),
        function() qi:insert(nil, "trig_users", { user_name = "triggertest" }, { returning = true }) end, sql, { "triggertest" })
    end)

    it("allow insert primary key with 0", function()
      local sql = "INSERT INTO `ms` (`id`) VALUES ($1);"
      same_effect("ms", empty("ms"), function()
        local m = M:create{ id = 0 }
        assert.equal(0, m.id)
      end, sql, { 0 })
      same_effect("ms", empty("ms"), function() qi:insert(nil, "ms", { id = 0 }) end, sql, { 0 })
    end)
  end)

  it("adds conflictWhere clause to generated queries", function()
    local sql = "INSERT INTO `users` (`user_name`,`pass_word`) VALUES ($1,$2) ON CONFLICT (`user_name`) WHERE `user_name` = 'test where value' DO UPDATE SET `user_name`=EXCLUDED.`user_name`,`pass_word`=EXCLUDED.`pass_word`,`updated_at`=EXCLUDED.`updated_at`;"
    local bind = { "testuser", "12345" }
    same_effect("users", seeded, function()
      qi:insert(nil, "users", { user_name = "testuser", pass_word = "12345" }, {
        updateOnDuplicate = { "user_name", "pass_word", "updated_at" },
        conflictWhere = { user_name = "test where value" }, upsertKeys = { "user_name" } })
    end, sql, bind)
    same_effect("users", seeded, function()
      qi:upsert("users", { user_name = "testuser", pass_word = "12345" },
        { user_name = "testuser", pass_word = "12345", updated_at = Sequelize.null }, {},
        { model = Up, conflictWhere = { user_name = "test where value" } })
    end, sql, bind)
    -- Model:upsert (its updated_at is the time of the call: compared on the other columns)
    seeded()
    Up:upsert({ username = "testuser", password = "12345" }, { conflictWhere = { user_name = "test where value" } })
    local left = rows(db, "users")
    seeded(); db:query(sql, { bind = bind })
    U.same(db, left, "SELECT * FROM `users` ORDER BY rowid", { keys = { "user_name", "pass_word", "created_at", "deleted_at" } })
  end)

  describe("dates", function()
    it("formats the date correctly when inserting", function()
      local sql = "INSERT INTO `dated` (`date`) VALUES ($1);"
      local bind = { "2015-01-20 00:00:00.000 +00:00" }
      same_effect("dated", empty("dated"), function() Dated:create{ date = "2015-01-20T00:00:00.000Z" } end, sql, bind)
      same_effect("dated", empty("dated"), function() Dated:create{ date = os.time{ year = 2015, month = 1, day = 20, hour = 0 } - os.time{ year = 1970, month = 1, day = 1, hour = 0 } } end, sql, bind)
      same_effect("dated", empty("dated"), function()
        qi:insert(nil, "dated", { date = "2015-01-20T00:00:00.000Z" }, {}, Dated.rawAttributes)
      end, sql, bind)
    end)

    it("formats date correctly when sub-second precision is explicitly specified", function()
      local sql = "INSERT INTO `dated3` (`date`) VALUES ($1);"
      local bind = { "2015-01-20 01:02:03.089 +00:00" }
      same_effect("dated3", empty("dated3"), function() Dated3:create{ date = "2015-01-20T01:02:03.089Z" } end, sql, bind)
      same_effect("dated3", empty("dated3"), function()
        Dated3:create{ date = os.time{ year = 2015, month = 1, day = 20, hour = 1, min = 2, sec = 3 } - os.time{ year = 1970, month = 1, day = 1, hour = 0 } + 0.089 }
      end, sql, bind)
    end)
  end)

  describe("strings", function()
    it("formats null characters correctly when inserting", function()
      local sql = "INSERT INTO `nul` (`user_name`) VALUES ($1);"
      same_effect("nul", empty("nul"), function() Nul:create{ username = "null\0test" } end, sql, { "null\0test" })
      local r = db:query("SELECT length(CAST(`user_name` AS BLOB)) AS n FROM `nul`")
      assert.equal(9, r[1].n)
      assert.equal("null\0test", Nul:findOne().username)
    end)
  end)

  describe("bulkCreate", function()
    it("bulk create with onDuplicateKeyUpdate", function()
      local sql = "INSERT INTO `users` (`user_name`,`pass_word`) VALUES ('testuser','12345') ON CONFLICT (`user_name`) DO UPDATE SET `user_name`=EXCLUDED.`user_name`,`pass_word`=EXCLUDED.`pass_word`,`updated_at`=EXCLUDED.`updated_at`;"
      same_effect("users", seeded, function()
        qi:bulkInsert("users", { { user_name = "testuser", pass_word = "12345" } },
          { updateOnDuplicate = { "user_name", "pass_word", "updated_at" }, upsertKeys = { "user_name" } })
      end, sql)
      -- Model:bulkCreate writes its own timestamps: compared on the other columns
      seeded()
      Up:bulkCreate({ { username = "testuser", password = "12345" } }, { updateOnDuplicate = { "username", "password", "updatedAt" } })
      local left = rows(db, "users")
      seeded(); db:query(sql)
      U.same(db, left, "SELECT * FROM `users` ORDER BY rowid", { keys = { "user_name", "pass_word", "created_at", "deleted_at" } })
    end)

    it("allow bulk insert primary key with 0", function()
      local sql = "INSERT INTO `ms` (`id`) VALUES (0),(NULL);"
      same_effect("ms", empty("ms"), function()
        local made = M:bulkCreate{ { id = 0 }, { id = Sequelize.null } }
        assert.equal(0, made[1].id)
      end, sql)
      same_effect("ms", empty("ms"), function() qi:bulkInsert("ms", { { id = 0 }, { id = Sequelize.null } }) end, sql)
    end)

    it("correctly generates SQL for conflictWhere", function()
      local sql = "INSERT INTO `users` (`user_name`,`pass_word`) VALUES ('testuser','12345') ON CONFLICT (`user_name`) WHERE `deleted_at` IS NULL DO UPDATE SET `user_name`=EXCLUDED.`user_name`,`pass_word`=EXCLUDED.`pass_word`,`updated_at`=EXCLUDED.`updated_at`;"
      same_effect("users", seeded, function()
        qi:bulkInsert("users", { { user_name = "testuser", pass_word = "12345" } },
          { updateOnDuplicate = { "user_name", "pass_word", "updated_at" }, upsertKeys = { "user_name" }, conflictWhere = { deleted_at = Sequelize.null } })
      end, sql)
      -- (the WHERE is what lets a partial unique index be the target: without it SQLite refuses)
      db:query("CREATE TABLE IF NOT EXISTS `pusers` (`user_name` TEXT, `pass_word` TEXT, `deleted_at` TEXT)")
      db:query("CREATE UNIQUE INDEX IF NOT EXISTS `pusers_live` ON `pusers` (`user_name`) WHERE `deleted_at` IS NULL")
      local psql = "INSERT INTO `pusers` (`user_name`,`pass_word`) VALUES ('testuser','12345') ON CONFLICT (`user_name`) WHERE `deleted_at` IS NULL DO UPDATE SET `user_name`=EXCLUDED.`user_name`,`pass_word`=EXCLUDED.`pass_word`;"
      local function pseed()
        db:query("DELETE FROM `pusers`")
        db:query("INSERT INTO `pusers` VALUES ('testuser', 'gone', '2000-01-01'), ('testuser', 'live', NULL), ('other', 'keep', NULL)")
      end
      same_effect("pusers", pseed, function()
        qi:bulkInsert("pusers", { { user_name = "testuser", pass_word = "12345" } },
          { updateOnDuplicate = { "user_name", "pass_word" }, upsertKeys = { "user_name" }, conflictWhere = { deleted_at = Sequelize.null } })
      end, psql)
      seeded()
      Up:bulkCreate({ { username = "testuser", password = "12345" } },
        { updateOnDuplicate = { "username", "password", "updatedAt" }, conflictWhere = { deletedAt = Sequelize.null } })
      local left = rows(db, "users")
      seeded(); db:query(sql)
      U.same(db, left, "SELECT * FROM `users` ORDER BY rowid", { keys = { "user_name", "pass_word", "created_at", "deleted_at" } })
    end)
  end)
end)
