-- queryinterface.lua: sequelize:getQueryInterface(), the part of Sequelize's QueryInterface
-- that reads the schema (describeTable, showAllTables, showIndex) and adds and removes
-- indexes (addIndex, removeIndex). The statements are the dialect's (core.introspect_sql,
-- core.create_index, core.drop_index, built in C); they run as db:query runs SQL (logged
-- the same way), and their rows are shaped here as Sequelize's sqlite dialect shapes them.
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

local function table_name(t, what)
  if type(t) == "table" and type(t.tableName) == "string" then t = t.tableName end
  if type(t) ~= "string" or t == "" or not core.is_name(t) then fail(what .. ": expected a table name", 3) end
  return t
end

-- qi:showIndex(tableName [, opts]) -> the table's indexes as Sequelize's sqlite dialect lists
-- them: PRAGMA INDEX_LIST's rows in reverse, each with unique as a boolean, primary = false,
-- constraintName = name and fields = { { attribute = column }, ... } (PRAGMA INDEX_INFO)
function QueryInterface:showIndex(tableName, opts)
  tableName = table_name(tableName, "showIndex")
  if opts ~= nil and type(opts) ~= "table" then fail("showIndex: options must be a table", 2) end
  opts = opts or {}
  local rows = run(self, "indexes", tableName, opts)
  local out = setmetatable({}, expr.array_mt)
  for i = #rows, 1, -1 do
    local r = rows[i]
    local fields = setmetatable({}, expr.array_mt)
    for _, col in ipairs(run(self, "index_info", r.name, opts)) do
      fields[col.seqno + 1] = { attribute = val(col.name) }
    end
    out[#out + 1] = { seq = r.seq, name = r.name, unique = r.unique ~= 0, origin = r.origin, partial = r.partial,
                      fields = fields, primary = false, constraintName = r.name }
  end
  return out
end

-- qi:addIndex(tableName, fields, opts) or qi:addIndex(tableName, opts with fields): CREATE
-- INDEX as Sequelize's addIndexQuery writes it on sqlite. Field names are columns, taken as
-- given; the options are the `indexes` model option's (Model.check_index). A where needs a
-- model defined on that table: its keys are that model's attributes. Unnamed, the index is
-- named underscore("<prefix or table>_<fields>"). An index of that name raises SQLite's
-- "index ... already exists".
function QueryInterface:addIndex(tableName, attributes, options, rawTablename)
  local t = table_name(tableName, "addIndex")
  if type(attributes) == "table" and attributes.fields == nil and #attributes > 0 then
    if options ~= nil and type(options) ~= "table" then fail("addIndex: options must be a table", 2) end
    local o = {}
    for k, v in pairs(options or {}) do o[k] = v end
    o.fields = attributes
    options = o
  else
    rawTablename = options
    options = attributes
  end
  if type(options) ~= "table" then fail("addIndex: expected a list of fields or { fields = {...} }", 2) end
  local ix, qopts = {}, {}
  for k, v in pairs(options) do
    if k == "logging" or k == "transaction" then qopts[k] = v else ix[k] = v end
  end
  local Model = require("sequelua.model")
  local spec = Model.check_index("addIndex(" .. t .. ")", nil, ix, 2)
  local model
  for _, M in pairs(self.sequelize.models) do
    if M.tableName == t then model = M; break end
  end
  if spec.where ~= nil and not model then
    fail(("addIndex: a where needs a model defined on table %s (its keys are the model's attributes)"):format(t), 2)
  end
  local cols, names = {}, {}
  for i, f in ipairs(spec.fields) do
    names[i] = f.label
    cols[i] = { column = f.attr, order = f.order, collate = f.collate }
  end
  local name = spec.name
  if not name then
    local prefix = spec.prefix or (type(rawTablename) == "string" and rawTablename) or t
    prefix = prefix:gsub("%.", "_"):gsub("[\"']", "")
    name = core.underscore(prefix .. "_" .. table.concat(names, "_"))
  end
  core.create_index(self.sequelize._db, { table = t, name = name, unique = spec.unique, fields = cols,
                                          where = spec.where, model = model and model._box }, qopts)
end

-- qi:removeIndex(tableName, indexName or { fields } [, opts]): DROP INDEX IF EXISTS, the name
-- of a list of fields being underscore("<table>_<fields>") (Sequelize's removeIndexQuery)
function QueryInterface:removeIndex(tableName, nameOrFields, opts)
  local t = table_name(tableName, "removeIndex")
  if opts ~= nil and type(opts) ~= "table" then fail("removeIndex: options must be a table", 2) end
  local name = nameOrFields
  if type(name) == "table" then
    for _, f in ipairs(name) do
      if type(f) ~= "string" then fail("removeIndex: expected an index name or a list of field names", 2) end
    end
    name = core.underscore(t .. "_" .. table.concat(name, "_"))
  end
  if type(name) ~= "string" or name == "" or not core.is_name(name) then
    fail("removeIndex: expected an index name or a list of field names", 2)
  end
  core.drop_index(self.sequelize._db, name, opts or {})
end

return QueryInterface
