-- Port of Sequelize v6's test/unit/sql/update.test.js (branch v6), sqlite dialect.
-- sql.updateQuery (internal) is expressed through Model:update; each case runs ours and
-- Sequelize's expected SQL (its $n binds given as bind values) on the same rows and compares
-- the rows after. Skipped: none (hasTrigger is a model option that changes nothing on sqlite).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local U = require("spec.port_unit_support")

describe("SQL (port of unit/sql/update.test.js)", function()
  describe("update", function()
    local db
    local function same_effect(fill, ours, sql, bind, tbl)
      fill(); ours()
      local after = db:query("SELECT * FROM `" .. tbl .. "` ORDER BY rowid")
      fill(); db:query(sql, { bind = bind })
      U.same(db, after, "SELECT * FROM `" .. tbl .. "` ORDER BY rowid")
    end
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    local function users(opts)
      local User = db:define("user", { username = { type = DataTypes.STRING, field = "user_name" } }, opts)
      User:sync()
      return User, function()
        db:query("DELETE FROM users")
        User:bulkCreate({ { id = 1, username = "a" }, { id = 2, username = "b" }, { id = 3, username = Sequelize.null } })
      end
    end

    it("supports returning false", function()
      local User, fill = users({ timestamps = false })
      same_effect(fill, function() User:update({ username = "triggertest" }, { where = { id = 2 }, returning = false }) end,
        "UPDATE `users` SET `user_name`=$1 WHERE `id` = $2", { "triggertest", 2 }, "users")
    end)

    it("with temp table for trigger", function()
      local User, fill = users({ timestamps = false, hasTrigger = true })
      same_effect(fill, function() User:update({ username = "triggertest" }, { where = { id = 2 }, returning = true }) end,
        "UPDATE `users` SET `user_name`=$1 WHERE `id` = $2", { "triggertest", 2 }, "users")
    end)

    it("works with limit", function()
      local User = db:define("User", { username = DataTypes.STRING, userId = DataTypes.INTEGER }, { timestamps = false })
      User:sync()
      local function fill()
        db:query("DELETE FROM Users")
        User:bulkCreate({ { id = 1, username = "x" }, { id = 2, username = "username", userId = 1 }, { id = 3, username = "username", userId = 2 }, { id = 4, username = "username" } })
      end
      same_effect(fill, function() User:update({ username = "new.username" }, { where = { username = "username" }, limit = 1 }) end,
        "UPDATE `Users` SET `username`=$1 WHERE rowid IN (SELECT rowid FROM `Users` WHERE `username` = $2 LIMIT 1)", { "new.username", "username" }, "Users")
    end)
  end)
end)
