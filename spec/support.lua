-- spec/support.lua: helpers shared by the specs (`local support = require("spec.support")`;
-- busted runs from the repository root and LUA_PATH ends in ";;", so ./spec/support.lua is found).
-- Only what several specs do the same way lives here; a spec's own variants stay in the spec.
local assert = require("luassert") -- busted's assert: a required module does not see the spec's globals
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local support = {}

---------------------------------------------------------------------------------------------
-- Errors
---------------------------------------------------------------------------------------------

-- Runs fn(...), asserts that it raised, returns the error value (whatever it is).
function support.catch(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok, "expected an error")
  return err
end

-- Like catch, and asserts that the error is an error object (a table).
function support.catch_error(fn, ...)
  local err = support.catch(fn, ...)
  assert.are.equal("table", type(err), "error should be an error object, got: " .. tostring(err))
  return err
end

-- Like catch_error, and asserts that the error object has a string message.
function support.catch_message(fn, ...)
  local err = support.catch_error(fn, ...)
  assert.are.equal("string", type(err.message))
  return err
end

---------------------------------------------------------------------------------------------
-- Logs: a database that logs into a list, and the SQL read back from that list
---------------------------------------------------------------------------------------------

-- A fresh sqlite :memory: database whose logging function appends each message to log
-- (a new list when log is nil); returns db, log. The list is filled in place: empty it with
-- support.clear(log), never by assigning a new table.
function support.open(log)
  log = log or {}
  local db = Sequelize.new({
    dialect = "sqlite",
    storage = ":memory:",
    logging = function(msg) log[#log + 1] = msg end,
  })
  return db, log
end

-- Empties a list in place.
function support.clear(t)
  for i = #t, 1, -1 do t[i] = nil end
end

-- The SQL of an "Executing (...): SQL" log message; nil for any other message.
function support.sql_of(msg)
  return type(msg) == "string" and msg:match("^Executing %(.-%): (.*)$") or nil
end

-- The logged statements of one kind ("INSERT", "UPDATE", "DELETE", "SELECT", any case),
-- in log order; a message not in the "Executing (...): " form is taken as the SQL itself.
function support.statements(log, kind)
  local out = {}
  for _, m in ipairs(log) do
    local sql = support.sql_of(m) or m
    if sql:upper():match("^%s*" .. kind) then out[#out + 1] = sql end
  end
  return out
end

-- The column names assigned in an UPDATE's SET clause, sorted.
function support.set_columns(sql)
  local set = sql:match("[Ss][Ee][Tt]%s+(.-)%s+[Ww][Hh][Ee][Rr][Ee]")
  assert.is_not_nil(set, "no SET ... WHERE in " .. sql)
  local cols = {}
  for part in set:gmatch("[^,]+") do
    cols[#cols + 1] = part:match("^%s*[`\"%[]?([%w_]+)")
  end
  table.sort(cols)
  return cols
end

-- The CREATE TABLE / DROP TABLE statements logged, in order.
function support.ddl(log)
  local out = {}
  for _, m in ipairs(log) do
    local sql = support.sql_of(m)
    if sql and (sql:find("^CREATE TABLE") or sql:find("^DROP TABLE")) then out[#out + 1] = sql end
  end
  return out
end

-- The CREATE TABLE statements logged, in order.
function support.creates(log)
  local out = {}
  for _, sql in ipairs(support.ddl(log)) do
    if sql:find("^CREATE TABLE") then out[#out + 1] = sql end
  end
  return out
end

-- The (last) CREATE TABLE statement logged for one table; asserts that there is one.
function support.create_of(log, tbl)
  local prefix = "CREATE TABLE IF NOT EXISTS `" .. tbl .. "` "
  local found
  for _, sql in ipairs(support.creates(log)) do
    if sql:sub(1, #prefix) == prefix then found = sql end
  end
  assert.is_not_nil(found, "no CREATE TABLE logged for " .. tbl)
  return found
end

---------------------------------------------------------------------------------------------
-- The database as it is
---------------------------------------------------------------------------------------------

-- The names of the tables in the database (sqlite's own left out), sorted.
function support.tables(db)
  local rows = db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
  local out = {}
  for i, r in ipairs(rows) do out[i] = r.name end
  return out
end

-- The column names of a table, in table order.
function support.column_names(db, tbl)
  local out = {}
  for i, r in ipairs(db:query("PRAGMA table_info(`" .. tbl .. "`)")) do out[i] = r.name end
  return out
end

-- The rows of a raw query, with optional replacements.
function support.raw(db, sql, replacements)
  local rows = db:query(sql, replacements and { replacements = replacements } or nil)
  return rows
end

---------------------------------------------------------------------------------------------
-- Values
---------------------------------------------------------------------------------------------

-- The pattern of a timestamp as an instance holds it: "2024-01-01T00:00:00.000Z".
support.ISO = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"
-- A time stamp in the past as sqlite stores it, and the same instant as an instance reads it.
support.OLD_STAMP = "2000-01-01 00:00:00.000 +00:00"
support.OLD_ISO = "2000-01-01T00:00:00.000Z"

-- Whether the string s holds part, as plain text; s must be a string.
function support.contains(s, part)
  assert(type(s) == "string", "contains: expected a string, got " .. tostring(s))
  return s:find(part, 1, true) ~= nil
end

-- Whether v is NULL as a raw row may carry it: nil or Sequelize.null.
function support.is_null(v)
  return v == nil or v == Sequelize.null
end

-- A sorted copy of a list.
function support.sorted(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  table.sort(out)
  return out
end

-- A table's keys, sorted (as strings: mixed key types sort).
function support.keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = tostring(k) end
  table.sort(out)
  return out
end

-- The values of one key over a list of rows or instances, in list order.
function support.field(list, key)
  local out = {}
  for i, v in ipairs(list) do out[i] = v[key] end
  return out
end

-- The values of one key (default "id") over a list of rows or instances, sorted.
function support.ids(list, key)
  return support.sorted(support.field(list, key or "id"))
end

---------------------------------------------------------------------------------------------
-- Fixtures
---------------------------------------------------------------------------------------------

-- The seed's Users (API.md's definition): table `users`, key user_id, created_at/updated_at.
function support.define_seed_users(db)
  return db:define("Users", {
    user_id = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
    username = { type = DataTypes.STRING(255), allowNull = false, unique = true },
    email = { type = DataTypes.STRING, validate = { isEmail = true } },
    password = DataTypes.STRING,
  }, { tableName = "users", timestamps = true, createdAt = "created_at", updatedAt = "updated_at" })
end

-- The seed's Stories (the tutorial's): table `stories`, created_by references ref
-- (a model or a model name; "Users" when not given).
function support.define_seed_stories(db, ref)
  return db:define("Stories", {
    story_id = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
    created_by = {
      type = DataTypes.INTEGER.UNSIGNED,
      allowNull = false,
      references = { model = ref or "Users", key = "user_id" },
    },
    title = { type = DataTypes.STRING(255), allowNull = false },
    content = { type = DataTypes.TEXT, allowNull = false },
  }, { tableName = "stories", timestamps = true, createdAt = "created_at", updatedAt = "updated_at" })
end

-- The seed's Users and Stories with the seed's associations (Users hasOne story, Stories
-- belongsTo author, both on created_by), synced; returns Users, Stories.
function support.seed_users_stories(db)
  local Users = support.define_seed_users(db)
  local Stories = support.define_seed_stories(db, Users)
  Users:hasOne(Stories, { foreignKey = "created_by", as = "story" })
  Stories:belongsTo(Users, { foreignKey = "created_by", as = "author" })
  db:sync()
  return Users, Stories
end

-- The Item model of the finder specs: name, qty, price, tag; no timestamps. Not synced.
function support.define_item(db)
  return db:define("Item", {
    name  = DataTypes.STRING,
    qty   = DataTypes.INTEGER,
    price = DataTypes.FLOAT,
    tag   = DataTypes.STRING,
  }, { timestamps = false })
end

return support
