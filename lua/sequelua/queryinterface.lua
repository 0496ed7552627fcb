-- queryinterface.lua: sequelize:getQueryInterface(), the part of Sequelize's QueryInterface
-- that reads the schema: describeTable, showAllTables. The statements are the dialect's
-- (core.introspect_sql, built in C); they run as db:query runs SQL (logged the same way),
-- and their rows are shaped here as Sequelize's sqlite dialect shapes them.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local expr = require("sequelua.expr")

local QueryInterface = {}
QueryInterface.__index = QueryInterface

local NULL = core.null

function QueryInterface.new(sequelize)
  return setmetatable({ sequelize = sequelize }, QueryInterface)
end

local function fail(msg, level) error(errors.new(errors.Error, msg), level + 1) end

local function run(qi, what, name, opts)
  local sql = core.introspect_sql(qi.sequelize._db, what, name)
  local rows = core.query(qi.sequelize._db, sql, opts, 1)
  return rows
end

local function val(v) if v == NULL then return nil end return v end

-- qi:describeTable(tableName [, opts]) -> { column = { type, allowNull, defaultValue,
-- primaryKey, unique [, references = { model, key }] } }, as Sequelize's sqlite dialect gives
-- it: the type as declared (PRAGMA TABLE_INFO), defaultValue the default's SQL text with its
-- quotes removed (nil without one, Sequelize.null for NULL), unique from the unique indexes
-- (a column of a composite one too), references from the foreign keys.
function QueryInterface:describeTable(tableName, opts)
  if type(tableName) == "table" and type(tableName.tableName) == "string" then tableName = tableName.tableName end
  if type(tableName) ~= "string" or not core.is_name(tableName) then
    fail("describeTable: expected a table name", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then fail("describeTable: options must be a table", 2) end
  opts = opts or {}
  local rows = run(self, "describe", tableName, opts)
  if #rows == 0 then
    fail(('No description found for "%s" table. Check the table name and schema; remember, they _are_ case sensitive.')
      :format(tableName), 2)
  end
  local out = {}
  for _, r in ipairs(rows) do
    local d = val(r.dflt_value)
    local c = { type = val(r.type), allowNull = r.notnull == 0, primaryKey = r.pk ~= 0, unique = false }
    if d == "NULL" then d = NULL end
    if c.type == "TINYINT(1)" then
      if d == "0" then d = false elseif d == "1" then d = true else d = nil end
    end
    if type(d) == "string" then d = d:gsub("'", "") end
    c.defaultValue = d
    out[r.name] = c
  end
  -- (Sequelize reads the index list in reverse; a later index's unique wins)
  local indexes = run(self, "indexes", tableName, opts)
  for i = #indexes, 1, -1 do
    local ix = indexes[i]
    for _, col in ipairs(run(self, "index_info", ix.name, opts)) do
      local c = out[val(col.name) or ""]
      if c then c.unique = ix.unique ~= 0 end
    end
  end
  for _, fk in ipairs(run(self, "foreign_keys", tableName, opts)) do
    local c = out[fk.from]
    if c then c.references = { model = fk.table, key = val(fk.to) } end
  end
  return out
end

-- qi:showAllTables([opts]) -> the table names (sqlite_master order, without sqlite_sequence)
function QueryInterface:showAllTables(opts)
  if opts ~= nil and type(opts) ~= "table" then fail("showAllTables: options must be a table", 2) end
  local rows = run(self, "tables", nil, opts or {})
  local names = setmetatable({}, expr.array_mt)
  for i, r in ipairs(rows) do names[i] = r.name end
  return names
end

return QueryInterface
