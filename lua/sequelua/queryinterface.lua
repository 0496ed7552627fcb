-- queryinterface.lua: sequelize:getQueryInterface(), Sequelize's QueryInterface: what reads
-- the schema (describeTable, showAllTables, showIndex), adds and removes indexes (addIndex,
-- removeIndex) and what migrations write with (createTable, dropTable, dropAllTables,
-- renameTable, addColumn, removeColumn, changeColumn, renameColumn, bulkInsert, bulkUpdate,
-- bulkDelete, select, and the row methods insert, upsert, update, delete, increment, decrement). The statements are the dialect's (core.introspect_sql, core.create_index,
-- core.drop_index, core.qi_ddl, core.qi_insert, built in C; bulkUpdate, bulkDelete and select run
-- on a transient model of the table, core.qi_model); they run as db:query runs SQL (logged
-- the same way). A table's columns, indexes and foreign keys are read by the dialect into
-- records of no dialect's shape (core.qi_columns and the others, below), and Sequelize's
-- results are built here from those.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local expr = require("sequelua.expr")

local QueryInterface = {}
QueryInterface.__index = QueryInterface

local NULL = core.null

function QueryInterface.new(sequelize)
  return setmetatable({ sequelize = sequelize }, QueryInterface)
end

local DataTypes = require("sequelua.datatypes")

local function fail(msg, level) error(errors.new(errors.Error, msg), level + 1) end

local function run(qi, what, name, opts)
  local sql = core.introspect_sql(qi.sequelize._db, what, name)
  local rows = core.query(qi.sequelize._db, sql, opts, 1)
  return rows
end

local function val(v) if v == NULL then return nil end return v end

-- What Sequelize's methods that end with one raw DDL query (createTable, addColumn, addIndex,
-- removeIndex, renameTable) resolve with: that query's result, [[], statement] on sqlite,
-- here the two values db:query returns for DDL: an empty list and the empty metadata
local function ddl_result() return setmetatable({}, expr.array_mt), {} end

-- A table's schema as the dialect reads it (core.qi_columns / qi_indexes / qi_index_columns /
-- qi_foreign_keys: its statements, logged with the caller's options as db:query logs them),
-- in records of no dialect's shape:
--   columns:        { name, type (as declared), notNull, keyPosition (in the primary key, from
--                   1; nil: not in it), default (the stored default's text), defaultValue (as
--                   Sequelize's describeTable gives it) }, in the table's order
--   indexes:        { name, unique, madeBy ("index": CREATE INDEX, "unique": a UNIQUE
--                   constraint, "primaryKey", "other"), partial, own (the dialect's own fields
--                   that Sequelize's showIndex passes on) }, in the dialect's order
--   index_columns:  { column } (nil for an expression), in the index's order
--   foreign_keys:   { column, table, key (nil: the table's primary key), onUpdate, onDelete }
-- Which of these a method reads, and in which order, is Sequelize's query interface's (the
-- statements a logger sees are its).
local function columns(qi, tbl, opts) return core.qi_columns(qi.sequelize._db, tbl, opts) end
local function indexes(qi, tbl, opts) return core.qi_indexes(qi.sequelize._db, tbl, opts) end
local function index_columns(qi, name, opts) return core.qi_index_columns(qi.sequelize._db, name, opts) end
local function foreign_keys(qi, tbl, opts) return core.qi_foreign_keys(qi.sequelize._db, tbl, opts) end

-- qi:describeTable(tableName [, opts]) -> { column = { type, allowNull, defaultValue,
-- primaryKey, unique [, references = { model, key }] } }, as Sequelize's sqlite dialect gives
-- it: the type as declared, defaultValue as the dialect reads the stored default (sqlite: its
-- SQL text with its quotes removed, nil without one, Sequelize.null for NULL), unique from the
-- unique indexes (a column of a composite one too), references from the foreign keys.
function QueryInterface:describeTable(tableName, opts)
  local given = tableName
  tableName = require("sequelua.model")._table_ref(tableName)
  if type(tableName) ~= "string" or not core.is_name(tableName) then
    fail("describeTable: expected a table name", 2)
  end
  if type(opts) == "string" then opts = { schema = opts } end -- (Sequelize: a string is the schema)
  if opts ~= nil and type(opts) ~= "table" then fail("describeTable: options must be a table", 2) end
  opts = opts or {}
  if opts.schema ~= nil and opts.schema ~= NULL and opts.schema ~= false and opts.schema ~= "" and type(given) == "string" then
    -- (Sequelize's describeTableQuery: the table `schema.tableName`, or with schemaDelimiter)
    local delim = opts.schemaDelimiter
    if delim == nil or delim == NULL or delim == false or delim == "" then delim = "." end
    if type(opts.schema) ~= "string" or type(delim) ~= "string" then
      fail("describeTable: schema and schemaDelimiter must be strings", 2)
    end
    tableName = opts.schema .. delim .. tableName
    if not core.is_name(tableName) then fail("describeTable: expected a table name", 2) end
  end
  local rows = columns(self, tableName, opts)
  if #rows == 0 then
    fail(('No description found for "%s" table. Check the table name and schema; remember, they _are_ case sensitive.')
      :format(tableName), 2)
  end
  local out = {}
  for _, r in ipairs(rows) do
    out[r.name] = { type = r.type, allowNull = not r.notNull, primaryKey = r.keyPosition ~= nil, unique = false,
                    defaultValue = r.defaultValue }
  end
  -- (Sequelize reads the index list in reverse; a later index's unique wins)
  local ixs = indexes(self, tableName, opts)
  for i = #ixs, 1, -1 do
    local ix = ixs[i]
    for _, col in ipairs(index_columns(self, ix.name, opts)) do
      local c = out[col.column or ""]
      if c then c.unique = ix.unique end
    end
  end
  for _, fk in ipairs(foreign_keys(self, tableName, opts)) do
    local c = out[fk.column]
    -- (a reference to the primary key names no column: Sequelize's key is null)
    if c then c.references = { model = fk.table, key = fk.key == nil and NULL or fk.key } end
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

-- ---- migrations: the DDL and row statements of Sequelize's QueryInterface ------------------
-- (Sequelize v6 src/dialects/abstract/query-interface.js, sqlite/query-interface.js). The SQL
-- is the core's (core.qi_ddl, core.qi_insert, core.qi_model: the dialect's DDL, the rebuilds of
-- sync { alter = true }); here the arguments are checked, before anything is written.

local function model_mod() return require("sequelua.model") end

-- The options of a method: a table whose keys are the query's (logging, transaction,
-- benchmark, replacements) or the method's own (`own`); any other raises, naming the method
-- and table. replacements (a list or a name -> value table) fill the `?` / `:name` of a
-- Sequelize.literal in the where or values only, never the values given (a value ':id' is
-- bound as it is), as Sequelize's since 6.19.
local QUERY_OPTS = { logging = true, logQueryParameters = true, transaction = true, benchmark = true, replacements = true }
local function opts_of(what, opts, level, own, tbl)
  if opts ~= nil and type(opts) ~= "table" then fail(what .. ": options must be a table", level + 1) end
  -- (Sequelize.null or false: no replacements, as Sequelize's `options.replacements &&` / `== null`)
  if opts and opts.replacements ~= nil and opts.replacements ~= NULL and opts.replacements ~= false
     and (type(opts.replacements) ~= "table" or getmetatable(opts.replacements)) then
    fail(("%s: %sreplacements must be a table (a list, or names -> values), got %s"):format(what,
      tbl and tbl .. ": " or "", type(opts.replacements)), level + 1)
  end
  for k in pairs(opts or {}) do
    if not QUERY_OPTS[k] and not (own and own[k]) then
      fail(("%s: %sthe option '%s' is not supported"):format(what, tbl and tbl .. ": " or "", tostring(k)), level + 1)
    end
  end
  return opts or {}
end

-- options.model of bulkUpdate / bulkDelete (Sequelize's queryInterface takes it and hands it to
-- the query; the names stay the table's columns, as there): checked to be a model, else raises
local function model_opt(what, tbl, opts, level)
  if opts.model ~= nil and getmetatable(opts.model) ~= require("sequelua.model") then
    fail(("%s: %s: options.model must be a model (from db:define)"):format(what, tbl), level + 1)
  end
end

-- A table name, a model, or { tableName, schema [, delimiter] } (Model._table_ref: the one
-- name `schema.tableName`, as Sequelize's sqlite dialect writes it) -> the name and the bare
-- tableName (what unnamed indexes are named after)
local function table_name(what, t, level)
  local name, bare = model_mod()._table_ref(t)
  if type(name) ~= "string" or name == "" or not core.is_name(name) then
    fail(("%s: expected a table name, got %s"):format(what,
      type(t) == "string" and ("%q"):format(t) or type(t) == "table" and "a table without a tableName (and schema) string" or type(t)),
      level + 1)
  end
  return name, bare
end

local function column_name(what, tbl, c, label, level)
  if type(c) ~= "string" or c == "" or not core.is_name(c) then
    fail(("%s: %s.%s: expected a column name (%s)"):format(what, tbl, tostring(c), label), level + 1)
  end
  return c
end

-- A SQL type string given for an attribute (`"VARCHAR(255)"`, or `{ type = "DECIMAL(10, 2)",
-- ... }`: Sequelize writes such a string into the DDL as it is; describeTable gives the
-- stored type so): checked to be a type name alone (core.qi_type_ok, the dialect's grammar:
-- words, then at most one parenthesised list of numbers; nothing that could be read as a
-- constraint or another statement), else raises naming the table and the column. -> the
-- definition with a stand-in DataTypes value for the normalising (nothing of the type is
-- read from it: the column is written with the string, its default as its plain escape), and
-- the string; the definition itself and nil for anything else.
local function type_string(qi, what, tbl, k, def, level)
  local s = def
  if type(def) == "table" and not DataTypes.is_type(def) and not DataTypes.is_default(def) then s = def.type end
  if type(s) ~= "string" then return def, nil end
  if not core.qi_type_ok(qi.sequelize._db, s) then
    fail(("%s: %s.%s: expected a DataTypes value or a SQL type name (words of letters, digits and underscores, "
      .. "then at most one parenthesised list of one or two numbers, as VARCHAR(255) or DECIMAL(10, 2); "
      .. "no constraint keyword), got %q"):format(what, tbl, k, s), level + 1)
  end
  local d = {}
  if type(def) == "table" then for kk, v in pairs(def) do d[kk] = v end end
  d.type = DataTypes.TEXT
  return d, s
end

-- The attributes of createTable (a table of name = DataType or definition), normalised as
-- define normalises them, in define's column order: primary keys, then by name.
local function normalise_all(qi, what, tbl, attributes, level)
  if type(attributes) ~= "table" then fail(("%s: %s: attributes must be a table"):format(what, tbl), level + 1) end
  local keys = {}
  for k, def in pairs(attributes) do
    if type(k) ~= "string" then fail(("%s: %s: attribute names must be strings"):format(what, tbl), level + 1) end
    -- (a VIRTUAL attribute, as in a model's getAttributes(), has no column; Sequelize writes
    -- one typed VIRTUAL)
    if not model_mod()._is_virtual(def) then
      keys[#keys + 1] = k
    elseif what ~= "createTable" then
      fail(("%s: %s.%s: a VIRTUAL attribute has no column"):format(what, tbl, k), level + 1)
    end
  end
  if #keys == 0 then fail(("%s: %s: at least one attribute is needed"):format(what, tbl), level + 1) end
  local list = {}
  for _, k in ipairs(keys) do
    local def, decl = type_string(qi, what, tbl, k, attributes[k], level + 1)
    local ok, n = pcall(model_mod()._normalise_attr, qi.sequelize, tbl, k, def, false)
    if not ok then error(n, level + 1) end
    if decl then n.declType, n.declGiven = decl, true end
    list[#list + 1] = n
  end
  table.sort(list, function(a, b)
    local pa, pb = a.primaryKey == true, b.primaryKey == true
    if pa ~= pb then return pa end
    return a.name < b.name
  end)
  return list
end

local ACTIONS = { CASCADE = true, ["SET NULL"] = true, ["SET DEFAULT"] = true, RESTRICT = true }

-- An identifier at s[pos]: bare, or quoted any way SQLite reads one (`a`, "a", [a], 'a'; a
-- doubled quote is one) -> its name, the position after it; nil when there is none
local QUOTE_CLOSE = { ["`"] = "`", ['"'] = '"', ["["] = "]", ["'"] = "'" }
local function ident_at(s, pos)
  if not pos then return nil end
  local close = QUOTE_CLOSE[s:sub(pos, pos)]
  if close then
    local buf, i = {}, pos + 1
    while true do
      local k = s:find(close, i, true)
      if not k then return nil end
      buf[#buf + 1] = s:sub(i, k - 1)
      if close ~= "]" and s:sub(k + 1, k + 1) == close then buf[#buf + 1] = close; i = k + 2
      else return table.concat(buf), k + 1 end
    end
  end
  local name = s:match("^[%w_$\128-\255]+", pos)
  if name then return name, pos + #name end
end

-- The parts of a stored CREATE TABLE text's column list (split at its top-level commas:
-- quoted names, strings, comments and parentheses skipped), or nil when it cannot be read
local function definition_parts(sql)
  local parts, depth, i, n, start = {}, 0, 1, #sql, nil
  while i <= n do
    local ch = sql:sub(i, i)
    local close = QUOTE_CLOSE[ch]
    if close then
      local _, after = ident_at(sql, i)
      if not after then return nil end
      i = after - 1
    elseif ch == "-" and sql:sub(i + 1, i + 1) == "-" then
      i = sql:find("\n", i, true) or n
    elseif ch == "/" and sql:sub(i + 1, i + 1) == "*" then
      local k = sql:find("*/", i + 2, true)
      if not k then return nil end
      i = k + 1
    elseif ch == "(" then
      depth = depth + 1
      if depth == 1 then start = i + 1 end
    elseif ch == ")" then
      depth = depth - 1
      if depth == 0 then parts[#parts + 1] = sql:sub(start, i - 1); return parts end
    elseif ch == "," and depth == 1 then
      parts[#parts + 1] = sql:sub(start, i - 1)
      start = i + 1
    end
    i = i + 1
  end
end

-- A column-list part `CONSTRAINT name UNIQUE (a, b)` (keywords in any case, names quoted any
-- way) -> name, { columns }; nil for any other part (a column list with COLLATE / ASC / DESC too)
local function named_unique_of(part)
  local pos = part:find("%S")
  if not pos or part:sub(pos, pos + 9):upper() ~= "CONSTRAINT" or part:find("^[%w_$]", pos + 10) then return nil end
  local name
  name, pos = ident_at(part, part:find("%S", pos + 10))
  if not name or name == "" then return nil end
  pos = part:find("%S", pos)
  if not pos or part:sub(pos, pos + 5):upper() ~= "UNIQUE" then return nil end
  pos = part:find("%S", pos + 6)
  if not pos or part:sub(pos, pos) ~= "(" then return nil end
  local cols, ch = {}, ","
  while ch == "," do
    local col
    col, pos = ident_at(part, part:find("%S", pos + 1))
    if not col then return nil end
    cols[#cols + 1] = col
    pos = part:find("%S", pos)
    ch = pos and part:sub(pos, pos)
  end
  if ch ~= ")" then return nil end
  return name, cols
end

-- { [the columns, lowercased, joined by NUL] = { { name, pos }... } } of the named UNIQUE
-- table constraints in the table's stored CREATE TABLE text (read here, not through
-- showConstraint, whose Sequelize parse splits a name at its spaces and keeps its quotes)
local function named_uniques(qi, tbl, opts)
  local o = { logging = false, transaction = opts.transaction, type = "SELECT", replacements = { tbl, NULL } }
  local out, sql = {}, nil
  for _, r in ipairs(qi.sequelize:query(core.introspect_sql(qi.sequelize._db, "constraints"), o)) do
    if type(r.sql) == "string" and r.sql:upper():find("^%s*CREATE%s+TABLE") then sql = r.sql break end
  end
  for i, part in ipairs(sql and definition_parts(sql) or {}) do
    local name, cols = named_unique_of(part)
    if name then
      for k, c in ipairs(cols) do cols[k] = c:lower() end
      local key = table.concat(cols, "\0")
      out[key] = out[key] or {}
      out[key][#out[key] + 1] = { name = name, pos = i }
    end
  end
  return out
end

-- The table's columns as they stand, in order, as attributes a rebuild writes again: the
-- stored type and DEFAULT text verbatim, NOT NULL, the primary key, UNIQUE (a composite
-- unique constraint as a group), REFERENCES with their actions. Raises Sequelize's
-- describeTable message for an unknown table.
local function columns_of(qi, tbl, opts, level, quiet)
  if quiet then
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.logging, opts = false, o
  end
  local rows = columns(qi, tbl, opts)
  if #rows == 0 then
    fail(('No description found for "%s" table. Check the table name and schema; remember, they _are_ case sensitive.')
      :format(tbl), level + 1)
  end
  local list, by = {}, {}
  for i, r in ipairs(rows) do
    local c = { name = r.name, field = r.name, declType = r.type or "", allowNull = not r.notNull,
                primaryKey = r.keyPosition ~= nil, storedDefault = r.default }
    list[i], by[r.name] = c, c
  end
  -- (the named UNIQUE table constraints of the stored text, addConstraint's: kept by name as
  -- table-level groups; their indexes are not read as the columns' own uniqueness)
  local named, kept = nil, {}
  for _, ix in ipairs(indexes(qi, tbl, opts)) do
    local cols = ix.unique and ix.madeBy == "unique" and index_columns(qi, ix.name, opts) or nil
    local key = {}
    for i, col in ipairs(cols or {}) do key[i] = (col.column or ""):lower() end
    key = table.concat(key, "\0")
    if cols and not named then named = named_uniques(qi, tbl, opts) end -- (read once, when needed)
    if cols and named[key] and #named[key] > 0 then
      -- (every constraint on these columns: SQLite makes one index for the same columns twice)
      for _, n in ipairs(named[key]) do
        local g = { name = n.name, pos = n.pos }
        for _, col in ipairs(cols) do if by[col.column or ""] then g[#g + 1] = col.column end end
        kept[#kept + 1] = g
      end
      named[key] = {}
    elseif cols then
      local shared = false -- (a column unique already: the constraint kept as a table-level group)
      for _, col in ipairs(cols) do
        local c = by[col.column or ""]
        if c and c.unique then shared = true end
      end
      if shared then
        local g = {}
        for _, col in ipairs(cols) do if by[col.column or ""] then g[#g + 1] = col.column end end
        list.uniqueKeys = list.uniqueKeys or {}
        list.uniqueKeys[#list.uniqueKeys + 1] = g
      else
        for _, col in ipairs(cols) do
          local c = by[col.column or ""]
          if c then c.unique = #cols == 1 or ix.name end
        end
      end
    end
  end
  table.sort(kept, function(x, y) return x.pos < y.pos end) -- (in the stored text's order)
  for _, g in ipairs(kept) do
    g.pos = nil
    list.uniqueKeys = list.uniqueKeys or {}
    list.uniqueKeys[#list.uniqueKeys + 1] = g
  end
  for _, fk in ipairs(foreign_keys(qi, tbl, opts)) do
    local c = by[fk.column]
    if c then
      c.references = { table = fk.table, key = fk.key }
      if ACTIONS[fk.onDelete] then c.onDelete = fk.onDelete end
      if ACTIONS[fk.onUpdate] then c.onUpdate = fk.onUpdate end
    end
  end
  return list, by
end

-- qi:createTable(tableName, attributes [, options]): CREATE TABLE IF NOT EXISTS, the
-- attributes in define's form
local CREATE_OPTS = { uniqueKeys = true, schema = true, charset = true, collate = true, engine = true, rowFormat = true,
                      comment = true, initialAutoIncrement = true } -- (the last five: MySQL's; dropped on sqlite)
function QueryInterface:createTable(tableName, attributes, options)
  local tbl = table_name("createTable", tableName, 2)
  local opts = opts_of("createTable", options, 2, CREATE_OPTS, tbl)
  if opts.schema ~= nil and opts.schema ~= NULL and opts.schema ~= false and opts.schema ~= "" and type(tableName) == "string" then
    -- (Sequelize's addSchema: the table `schema.tableName`, sqlite having no schemas)
    if type(opts.schema) ~= "string" then fail(("createTable: %s: schema must be a string"):format(tbl), 2) end
    tbl = table_name("createTable", opts.schema .. "." .. tableName, 2)
  end
  local list = normalise_all(self, "createTable", tbl, attributes, 2)
  if opts.uniqueKeys ~= nil then
    -- uniqueKeys = { name = { fields = { "a", "b" } } }: UNIQUE (`a`, `b`) after the columns,
    -- one constraint a key (an attribute may be in several, and be unique itself), in the
    -- order of the keys' names (a Lua table has no order); fields name attributes or columns
    if type(opts.uniqueKeys) ~= "table" then fail(("createTable: %s: uniqueKeys must be a table"):format(tbl), 2) end
    local column = {}
    for _, n in ipairs(list) do column[n.name] = n.field or n.name end
    for _, n in ipairs(list) do column[n.field or n.name] = n.field or n.name end
    local names = {}
    for name in pairs(opts.uniqueKeys) do names[#names + 1] = name end
    table.sort(names, function(a, b) return tostring(a) < tostring(b) end)
    local groups = {}
    for _, name in ipairs(names) do
      local uk = opts.uniqueKeys[name]
      if type(uk) ~= "table" or type(uk.fields) ~= "table" or #uk.fields == 0 then
        fail(("createTable: %s: uniqueKeys.%s needs fields = { ... }"):format(tbl, tostring(name)), 2)
      end
      if uk.customIndex ~= false then -- (Sequelize writes the keys whose customIndex is not false)
        local g = {}
        for i, f in ipairs(uk.fields) do
          g[i] = type(f) == "string" and column[f] or nil
          if g[i] == nil then fail(("createTable: %s: uniqueKeys.%s: no attribute %s"):format(tbl, tostring(name), tostring(f)), 2) end
        end
        groups[#groups + 1] = g
      end
    end
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.uniqueKeys, opts = groups, o
  end
  core.qi_ddl(self.sequelize._db, "create", tbl, list, opts)
  return ddl_result()
end

-- qi:dropTable(tableName [, options]): DROP TABLE IF EXISTS (options.cascade and force taken,
-- as Sequelize takes them: its sqlite DROP TABLE has no CASCADE)
function QueryInterface:dropTable(tableName, options)
  local tbl = table_name("dropTable", tableName, 2)
  core.qi_ddl(self.sequelize._db, "drop", tbl, nil, opts_of("dropTable", options, 2, { cascade = true, force = true }, tbl))
end

-- qi:dropAllTables([options]): every table (but those in options.skip), foreign keys off
-- meanwhile (Sequelize's sqlite dropAllTables)
function QueryInterface:dropAllTables(options)
  local opts = opts_of("dropAllTables", options, 2, { skip = true, cascade = true })
  if core.in_transaction(self.sequelize._db) then
    -- (each DROP deletes its rows first, through the foreign keys, which SQLite switches off
    -- only outside a transaction: a skipped table's rows would go by ON DELETE CASCADE)
    fail("dropAllTables: cannot drop the tables inside a transaction (SQLite switches foreign keys off only outside one)", 2)
  end
  local skip = {}
  if opts.skip ~= nil then
    if type(opts.skip) ~= "table" then fail("dropAllTables: skip must be a list of table names", 2) end
    for _, t in ipairs(opts.skip) do skip[t] = true end
  end
  local names = self:showAllTables(opts)
  local db = self.sequelize._db
  core.qi_ddl(db, "fk_off", nil, nil, opts)
  local ok, err = pcall(function()
    for _, t in ipairs(names) do
      if not skip[t] then core.qi_ddl(db, "drop", t, nil, opts) end
    end
  end)
  core.qi_ddl(db, "fk_on", nil, nil, opts)
  if not ok then error(err, 0) end
end

-- qi:renameTable(before, after [, options]): ALTER TABLE `before` RENAME TO `after`
function QueryInterface:renameTable(before, after, options)
  local from = table_name("renameTable", before, 2)
  local to = table_name("renameTable", after, 2)
  core.qi_ddl(self.sequelize._db, "rename", from, to, opts_of("renameTable", options, 2, nil, from))
  return ddl_result()
end

-- qi:addColumn(table, key, attribute [, options]): ALTER TABLE t ADD `key` <definition>
-- (JavaScript's falsy values: undefined, null, false, "", 0 and NaN)
local function falsy(v)
  return v == nil or v == NULL or v == false or v == "" or v == 0 or v ~= v
end

function QueryInterface:addColumn(tableName, key, attribute, options)
  -- (Sequelize's check of its three arguments, before any other: `!table || !key || !attribute`)
  if falsy(tableName) or falsy(key) or falsy(attribute) then
    fail("addColumn takes at least 3 arguments (table, attribute name, attribute definition)", 2)
  end
  local tbl = table_name("addColumn", tableName, 2)
  column_name("addColumn", tbl, key, "the new column", 2)
  local opts = opts_of("addColumn", options, 2, nil, tbl)
  if attribute == nil then fail(("addColumn: %s.%s: expected a DataTypes value or an attribute definition"):format(tbl, key), 2) end
  local list = normalise_all(self, "addColumn", tbl, { [key] = attribute }, 2)
  -- (a column the table has, a table that is not there: SQLite's DatabaseError, "duplicate
  -- column name: x" / "no such table: T", as in Sequelize)
  core.qi_ddl(self.sequelize._db, "add", tbl, list, opts)
  return ddl_result()
end

-- (keys: columns_of's list.uniqueKeys, the unique constraints sharing a column with another,
-- written as table-level groups of the rebuilt table's columns: renamed as their column is,
-- without a column the rebuild removes)
local function rebuild(qi, what, tbl, list, opts, drop, keys)
  if keys then
    local now, groups = {}, {}
    for _, c in ipairs(list) do now[c.copyFrom or c.name] = c.name end
    for _, g in ipairs(keys) do
      local out = { name = g.name }
      for _, col in ipairs(g) do if now[col] then out[#out + 1] = now[col] end end
      -- (a named constraint (addConstraint's) goes with any of its columns, as a column's
      -- DROP takes the constraints on it elsewhere; an unnamed group keeps the rest)
      if #out > 0 and not (g.name and #out < #g) then groups[#groups + 1] = out end
    end
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.uniqueKeys, opts = groups, o
  end
  core.qi_ddl(qi.sequelize._db, "rebuild", tbl, list, opts, what, drop)
end

-- The names of the UNIQUE indexes made by CREATE INDEX (addIndex, addConstraint) on the column
-- alone: its uniqueness that is not in the CREATE TABLE
local function unique_indexes_of(qi, tbl, col, opts)
  local out = {}
  for _, ix in ipairs(indexes(qi, tbl, opts)) do
    if ix.unique and ix.madeBy == "index" then
      local cols = index_columns(qi, ix.name, opts)
      if #cols == 1 and cols[1].column == col then out[#out + 1] = ix.name end
    end
  end
  return out
end

-- qi:removeColumn(table, attributeName [, options]): the table rebuilt without it (SQLite)
function QueryInterface:removeColumn(tableName, attributeName, options)
  local tbl = table_name("removeColumn", tableName, 2)
  column_name("removeColumn", tbl, attributeName, "the column to remove", 2)
  local opts = opts_of("removeColumn", options, 2, nil, tbl)
  local list, by = columns_of(self, tbl, opts, 2)
  if not by[attributeName] then fail(("removeColumn: %s.%s: no such column"):format(tbl, attributeName), 2) end
  if #list == 1 then fail(("removeColumn: %s.%s: a table cannot lose its only column"):format(tbl, attributeName), 2) end
  local out = {}
  for _, c in ipairs(list) do if c.name ~= attributeName then out[#out + 1] = c end end
  rebuild(self, "removeColumn", tbl, out, opts, nil, list.uniqueKeys)
end

-- qi:changeColumn(table, attributeName, dataTypeOrOptions [, options]): the column's definition
-- merged with the new one (Sequelize: Object.assign over describeTable's; one of the DataTypes
-- values themselves (DataTypes.TEXT) is { type, allowNull = true }, a called or modified type
-- (DataTypes.STRING(100), INTEGER.UNSIGNED) { type }: NOT NULL and the rest stay), the table
-- rebuilt (SQLite)
local MERGED = { "primaryKey", "autoIncrement", "allowNull", "unique", "references", "onDelete", "onUpdate" }
function QueryInterface:changeColumn(tableName, attributeName, dataTypeOrOptions, options)
  local tbl = table_name("changeColumn", tableName, 2)
  column_name("changeColumn", tbl, attributeName, "the column to change", 2)
  local opts = opts_of("changeColumn", options, 2, nil, tbl)
  if dataTypeOrOptions == nil then
    fail(("changeColumn: %s.%s: expected a DataTypes value or an attribute definition"):format(tbl, attributeName), 2)
  end
  local def = dataTypeOrOptions
  local DT = require("sequelua.datatypes")
  -- (a type string: { type = "TEXT" }, as Sequelize's Object.assign: the rest stays)
  local bare, typed = DT.is_bare(def), DT.is_type(def) or type(def) == "string"
  local unref = type(def) == "table" and not typed and (def.references == false or def.references == NULL)
  if unref then -- (references = false / Sequelize.null: the column loses its foreign key, as in Sequelize)
    local d = {}
    for k, v in pairs(def) do if k ~= "references" then d[k] = v end end
    def = d
  end
  local n = normalise_all(self, "changeColumn", tbl, { [attributeName] = def }, 2)[1]
  local list, by = columns_of(self, tbl, opts, 2)
  local c = by[attributeName]
  if not c then fail(("changeColumn: %s.%s: no such column"):format(tbl, attributeName), 2) end
  c.declType, c.declGiven, c.type = n.declType, n.declGiven, n.type
  if bare then
    c.allowNull = true
  elseif not typed then
    if unref then c.references, c.onDelete, c.onUpdate = nil, nil, nil end
    for _, k in ipairs(MERGED) do
      if def[k] ~= nil then c[k] = n[k] end
    end
    if def.defaultValue ~= nil then
      c.storedDefault, c.defaultSQL, c.defaultValue, c.defaultKind = nil, n.defaultSQL, n.defaultValue, n.defaultKind
    end
  end
  -- (unique = false: the column's UNIQUE index (addConstraint's, a unique addIndex) goes too, in
  -- the rebuild's savepoint: Sequelize's rebuild writes the column without its UNIQUE)
  local drop = type(def) == "table" and not typed and def.unique == false
    and unique_indexes_of(self, tbl, attributeName, opts) or nil
  if drop and list.uniqueKeys then -- (and a named UNIQUE constraint on the column alone)
    local ks = {}
    for _, g in ipairs(list.uniqueKeys) do
      if not (g.name and #g == 1 and g[1] == attributeName) then ks[#ks + 1] = g end
    end
    list.uniqueKeys = ks
  end
  rebuild(self, "changeColumn", tbl, list, opts, drop, list.uniqueKeys)
end

-- qi:renameColumn(table, attrNameBefore, attrNameAfter [, options]): the table rebuilt with
-- the column under its new name, its rows with it (SQLite)
function QueryInterface:renameColumn(tableName, before, after, options)
  local tbl = table_name("renameColumn", tableName, 2)
  column_name("renameColumn", tbl, before, "the column to rename", 2)
  column_name("renameColumn", tbl, after, "the new name", 2)
  local opts = opts_of("renameColumn", options, 2, nil, tbl)
  local list, by = columns_of(self, tbl, opts, 2)
  local c = by[before]
  if not c then fail(("Table %s doesn't have the column %s"):format(tbl, before), 2) end -- (Sequelize's message)
  if by[after] and after ~= before then
    fail(("renameColumn: %s.%s: the table has that column already"):format(tbl, after), 2)
  end
  c.name, c.field, c.copyFrom = after, after, before
  rebuild(self, "renameColumn", tbl, list, opts, nil, list.uniqueKeys)
end

-- A value bound in a row statement: a string, number, boolean or Sequelize.null
local function check_value(what, tbl, col, v, level)
  local t = type(v)
  if not (t == "string" or t == "number" or t == "boolean" or v == NULL) then
    fail(("%s: %s.%s: expected a string, number, boolean or Sequelize.null, got %s"):format(what, tbl, col, t),
      level + 1)
  end
  return v
end

local function run_rows(qi, sql, binds, opts, blobs)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.replacements = binds
  return core.query(qi.sequelize._db, sql, o, 0, nil, nil, blobs)
end

-- The options a row statement passes on to the query (the rest are the statement's own)
local function query_opts(opts)
  local o = {}
  for k in pairs(QUERY_OPTS) do o[k] = opts[k] end
  return o
end

-- A transient model of the table as it stands (its columns, read from the database: a
-- where, SET list, attributes or order naming another column is refused by the core, naming
-- the table and the column), for the model's own statement builders
local function table_model(qi, what, tbl, opts, level)
  local list, by = columns_of(qi, tbl, opts, level + 1, true)
  return core.qi_model(qi.sequelize._db, tbl, list), by
end

-- A column of the declared type the dialect writes for DATE: a date written to one (an
-- ISO-8601 string, or seconds since the epoch: a Lua program's Date) is stored as a model
-- stores it, so that the model's queries compare it right (Sequelize's queryInterface
-- formats a JavaScript Date so). A column whose type keeps blobs (what a BLOB attribute
-- makes): a string written to one is bound as a blob, as the model binds it (Sequelize: a
-- Buffer), so the model's where on it finds the row. (The dialect decides: core.decl_kind.)
local function is_datetime(qi, declType) return core.decl_kind(qi.sequelize._db, declType) == "date" end
local function is_blob(qi, declType) return core.decl_kind(qi.sequelize._db, declType) == "blob" end

-- The table's DATETIME and BLOB columns: two sets of names
local function typed_columns(qi, tbl, opts)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.logging = false
  local dates, blobs = {}, {}
  for _, r in ipairs(columns(qi, tbl, o)) do
    if is_datetime(qi, r.type) then dates[r.name] = true end
    if is_blob(qi, r.type) then blobs[r.name] = true end
  end
  return dates, blobs
end

-- The attributes argument of bulkInsert / bulkUpdate (Sequelize's: column -> { type = ... },
-- a model's rawAttributes): the JSON-typed columns, whose values are written as their JSON
-- text (Sequelize: JSON.stringify, a string '"x"', Sequelize.null staying NULL), and the DATE
-- ones, whose dates are stored as a DATE attribute stores them. -> a column -> "json" / "date"
-- map (the other types change nothing, as the driver binds their values anyway).
local function typed_by_attributes(qi, what, tbl, attributes, level)
  if attributes == nil then return nil end
  if type(attributes) ~= "table" then fail(("%s: %s: attributes must be a table of column = { type = ... }"):format(what, tbl), level + 1) end
  local out
  for col, def in pairs(attributes) do
    local t = DataTypes.is_type(def) and def or type(def) == "table" and def.type or def
    -- (a SQL type string, as createTable takes it: nothing to convert, as in Sequelize)
    if type(t) == "string" and core.qi_type_ok(qi.sequelize._db, t) then t = nil end
    if t ~= nil and not DataTypes.is_type(t) then
      fail(("%s: %s.%s: the attribute's type must be a DataTypes value"):format(what, tbl, tostring(col)), level + 1)
    end
    if t and (t.key == "JSON" or t.key == "DATE") then
      out = out or {}
      out[col] = t.key == "JSON" and "json" or "date"
    end
  end
  return out
end

-- A value for a column typed by that argument, as Sequelize writes it
local function typed_value(qi, what, tbl, col, kind, v, level)
  if v == nil or v == NULL or getmetatable(v) == expr.mt then return v end
  if kind == "json" then
    local ok, text = pcall(core.stringify, v, 0, true)
    if not ok then
      fail(("%s: %s.%s: cannot be written as JSON (%s)"):format(what, tbl, col, tostring(text and text.message or text)), level + 1)
    end
    return text
  end
  return core.date_to_db(qi.sequelize._db, v) or v
end

-- A copy of the values r, the columns `typed` names written by typed_value
local function typed_copy(qi, what, tbl, typed, r, level)
  local out = {}
  for k, v in pairs(r) do out[k] = typed[k] and typed_value(qi, what, tbl, k, typed[k], v, level + 1) or v end
  return out
end

-- bulkInsert's records when one holds a Sequelize.fn/literal/col (written into the SQL, as
-- Sequelize does): through a transient model of the table, whose builder writes such values
-- (one INSERT a row, in a savepoint); the last row id as bulkInsert gives it
local function insert_exprs(qi, what, tbl, records, opts)
  local list, by = columns_of(qi, tbl, opts, 3, true)
  local dates, db, rows = {}, qi.sequelize._db, {}
  for _, c in ipairs(list) do if is_datetime(qi, c.declType) then dates[c.name] = true end end
  for i, r in ipairs(records) do
    local row = {}
    for k, v in pairs(r) do
      if not by[k] then fail(("%s: %s.%s: no such column"):format(what, tbl, k), 3) end
      if getmetatable(v) ~= expr.mt then
        check_value(what, tbl, k, v, 3)
        if dates[k] then v = core.date_to_db(db, v) or v end
      end
      row[k] = v
    end
    rows[i] = row
  end
  local o = query_opts(opts)
  o.ignoreDuplicates = opts.ignoreDuplicates
  o.updateOnDuplicate, o.conflictAttributes = opts.updateOnDuplicate, opts.updateOnDuplicate and opts.upsertKeys
  o.conflictWhere = opts.conflictWhere
  local made = core.bulk_insert(core.qi_model(db, tbl, list), rows, o)
  -- (the instances have no metatable: the key is in its slot, the column's place in the table)
  local pk
  for i, c in ipairs(list) do
    if c.primaryKey then
      if pk then return nil end
      pk = i
    end
  end
  local last = made[#made]
  return pk and last and val(rawget(last, pk)) or nil, #made
end

-- qi:bulkInsert(tableName, records [, options]) -> the last row id (Sequelize's sqlite
-- result): every record in multi-row INSERTs (the columns: every key a record has, by name; a
-- record without one gives NULL), values bound. More values than one statement may bind
-- (SQLite's limit) go in several statements, in one transaction. options.ignoreDuplicates:
-- INSERT OR IGNORE; options.updateOnDuplicate (columns) with upsertKeys (the conflict
-- target): ON CONFLICT (keys) DO UPDATE SET col=EXCLUDED.col, as Sequelize's sqlite writes it.
local function name_list(what, tbl, opts, k, level)
  local v = opts[k]
  if v == nil then return nil end
  if type(v) ~= "table" or getmetatable(v) or #v == 0 then
    fail(("%s: %s: %s must be a non-empty list of column names"):format(what, tbl, k), level + 1)
  end
  for i, c in ipairs(v) do column_name(what, tbl, c, k .. " item " .. i, level + 1) end
  return v
end
local INSERTS = { ignoreDuplicates = true, updateOnDuplicate = true, upsertKeys = true, conflictWhere = true, returning = true }
-- options.returning of the row methods (true / false, or a list of column names): Sequelize's
-- sqlite dialect has no RETURNING and drops it, so it reads nothing back here either; another
-- value raises, naming the method and table
local function check_returning(what, tbl, opts, level)
  local r = opts.returning
  if r == nil or r == NULL or type(r) == "boolean" then return end
  if type(r) == "table" and getmetatable(r) == nil then
    local n = 0
    for _ in pairs(r) do n = n + 1 end
    local ok = n == #r
    for _, c in ipairs(r) do if type(c) ~= "string" then ok = false end end
    if ok then return end
  end
  fail(("%s: %s: returning must be true, false or a list of column names, got %s"):format(what, tbl, type(r)), level + 1)
end
-- (the rows of bulkInsert, insert and upsert, `what` naming the method) -> the last row id,
-- the number of rows written
local function insert_rows(self, what, tableName, records, options, attributes)
  local tbl = table_name(what, tableName, 3)
  local opts = opts_of(what, options, 3, INSERTS, tbl)
  check_returning(what, tbl, opts, 3)
  local upd, keys = name_list(what, tbl, opts, "updateOnDuplicate", 3), name_list(what, tbl, opts, "upsertKeys", 3)
  if upd and not keys then
    fail(("%s: %s: updateOnDuplicate needs upsertKeys (the columns of the unique key a row conflicts on)"):format(what, tbl), 3)
  end
  if upd and opts.ignoreDuplicates then
    fail(("%s: %s: ignoreDuplicates and updateOnDuplicate cannot be used together"):format(what, tbl), 3)
  end
  if not upd then keys = nil end -- (upsertKeys alone: nothing to update; Sequelize ignores it)
  -- conflictWhere: the conflict target's WHERE (a partial unique index), as Sequelize's sqlite
  -- writes it with updateOnDuplicate (as bulkCreate's, it needs updateOnDuplicate)
  local cwhere = opts.conflictWhere
  if cwhere ~= nil then
    if not upd then fail(("%s: %s: conflictWhere needs updateOnDuplicate"):format(what, tbl), 3) end
    -- (a where table, or Sequelize.literal / where / and_ / or_, as Sequelize's whereQuery and
    -- bulkCreate's conflictWhere take)
    if type(cwhere) ~= "table" or (getmetatable(cwhere) ~= nil and getmetatable(cwhere) ~= expr.mt) then
      fail(("%s: %s: conflictWhere must be a where table, got %s"):format(what, tbl, type(cwhere)), 3)
    end
  end
  if type(records) ~= "table" or #records == 0 then fail(("%s: %s: records must be a non-empty list"):format(what, tbl), 3) end
  local count = 0
  for _ in pairs(records) do count = count + 1 end
  if count ~= #records then
    fail(("%s: %s: records must be a list (items 1 to n, no holes, no other keys)"):format(what, tbl), 3)
  end
  local seen, cols = {}, {}
  for i = 1, #records do
    local r = records[i]
    if type(r) ~= "table" then fail(("%s: %s: record %d is not a table"):format(what, tbl, i), 3) end
    for k in pairs(r) do
      if type(k) ~= "string" then fail(("%s: %s: record %d: keys must be column names"):format(what, tbl, i), 3) end
      if not seen[k] then seen[k] = true; cols[#cols + 1] = column_name(what, tbl, k, "a record's key", 3) end
    end
  end
  -- (insert of one row of no values: INSERT ... DEFAULT VALUES, as Sequelize's insertQuery)
  if #cols == 0 and not (what == "insert" and #records == 1) then
    fail(("%s: %s: the records name no column"):format(what, tbl), 3)
  end
  table.sort(cols)
  local typed = typed_by_attributes(self, what, tbl, attributes, 3)
  if typed then -- (a copy of each record, its typed values written as Sequelize writes them)
    local list = {}
    for i, r in ipairs(records) do list[i] = typed_copy(self, what, tbl, typed, r, 3) end
    records = list
  end
  for _, r in ipairs(records) do
    for _, v in pairs(r) do
      if getmetatable(v) == expr.mt then return insert_exprs(self, what, tbl, records, opts) end
    end
  end
  local dates, blobcols = typed_columns(self, tbl, opts)
  local db = self.sequelize._db
  local binds, blobs = {}, nil
  for _, r in ipairs(records) do
    for _, c in ipairs(cols) do
      local v = r[c]
      if v == nil then v = NULL end
      v = check_value(what, tbl, c, v, 3)
      if dates[c] then v = core.date_to_db(db, v) or v end
      binds[#binds + 1] = v
      if blobcols[c] and type(v) == "string" then blobs = blobs or {}; blobs[#binds] = true end
    end
  end
  local n, nc, ignore = #records, #cols, opts.ignoreDuplicates and true or false
  local qo = query_opts(opts)
  -- (a literal's `?` / `:name` in conflictWhere take the call's replacements, written into its text)
  local ctext = cwhere and core.qi_condition(db, (table_model(self, what, tbl, qo, 3)),
    { where = cwhere, replacements = opts.replacements }) or nil
  local sql, per = core.qi_insert(db, tbl, cols, n, ignore, keys, upd, ctext)
  if n <= per then
    local _, changes, lastID = run_rows(self, sql, binds, qo, blobs)
    return lastID, changes
  end
  local function chunks(o)
    local lastID, changes = nil, 0
    for first = 1, n, per do
      local rows = math.min(per, n - first + 1)
      local part, base, pblobs = {}, (first - 1) * nc, blobs and {}
      for i = 1, rows * nc do
        part[i] = binds[base + i]
        if blobs and blobs[base + i] then pblobs[i] = true end
      end
      local _, ch, id = run_rows(self, (core.qi_insert(db, tbl, cols, rows, ignore, keys, upd, ctext)), part, o, pblobs)
      lastID, changes = id, changes + (ch or 0)
    end
    return lastID, changes
  end
  if qo.transaction then return chunks(qo) end
  return self.sequelize:transaction({ logging = qo.logging, logQueryParameters = qo.logQueryParameters }, function(t)
    qo.transaction = t
    return chunks(qo)
  end)
end

function QueryInterface:bulkInsert(tableName, records, options, attributes)
  return (insert_rows(self, "bulkInsert", tableName, records, options, attributes))
end

-- qi:bulkUpdate(tableName, values, where [, options]) -> the number of rows changed. The
-- where is a model where (operators, Sequelize.null, lists, and/or) over the table's columns.
-- (the rows of bulkUpdate and update, `what` naming the method)
local function update_rows(self, what, tableName, values, where, options, attributes)
  local tbl = table_name(what, tableName, 3)
  local opts = opts_of(what, options, 3, { limit = true, model = true, returning = true }, tbl)
  check_returning(what, tbl, opts, 3)
  model_opt(what, tbl, opts, 3)
  if type(values) ~= "table" then fail(("%s: %s: values must be a table"):format(what, tbl), 3) end
  -- (bulkUpdate's where Sequelize.null: every row, as Sequelize's null; update's raises, as its TypeError)
  if where == NULL and what == "bulkUpdate" then where = nil end
  if where ~= nil and type(where) ~= "table" then fail(("%s: %s: where must be a table"):format(what, tbl), 3) end
  local typed = typed_by_attributes(self, what, tbl, attributes, 3)
  if typed then values = typed_copy(self, what, tbl, typed, values, 3) end
  local o = query_opts(opts)
  local box, by = table_model(self, what, tbl, opts, 3)
  local n = 0
  for k, v in pairs(values) do
    column_name(what, tbl, k, "a value's key", 3)
    if not by[k] then fail(("%s: %s.%s: no such column"):format(what, tbl, k), 3) end
    -- (a date for a DATETIME column is stored as a model stores it, as bulkInsert stores it:
    -- the transient model's column converts it, in the SET list and the where alike)
    if getmetatable(v) ~= expr.mt then check_value(what, tbl, k, v, 3) end
    n = n + 1
  end
  if n == 0 then fail(("%s: %s: values must name at least one column"):format(what, tbl), 3) end
  o.where, o.limit = where or {}, opts.limit
  return core.update(box, values, o)
end

function QueryInterface:bulkUpdate(tableName, values, where, options, attributes)
  return (update_rows(self, "bulkUpdate", tableName, values, where, options, attributes))
end

-- qi:bulkDelete(tableName, where [, options]) -> {}, { changes = n }: Sequelize runs it as a
-- raw query ([results, statement]); the statement's changes is the number of rows deleted.
-- The where is a model where over the table's columns; options.truncate deletes every row.
-- (the rows of bulkDelete and delete, `what` naming the method)
local function delete_rows(self, what, tableName, where, options)
  local tbl = table_name(what, tableName, 3)
  local opts = opts_of(what, options, 3, { limit = true, truncate = true, cascade = true, model = true, returning = true,
                                                 restartIdentity = true }, tbl)
  check_returning(what, tbl, opts, 3)
  model_opt(what, tbl, opts, 3)
  -- (bulkDelete's where Sequelize.null: every row, as the seeders' `bulkDelete("Users", null, {})`;
  -- delete's raises, as Sequelize's TypeError)
  if where == NULL and what == "bulkDelete" then where = nil end
  if where ~= nil and type(where) ~= "table" then fail(("%s: %s: where must be a table"):format(what, tbl), 3) end
  local o = query_opts(opts)
  local box = table_model(self, what, tbl, opts, 3)
  o.where, o.limit, o.truncate = where or {}, opts.limit, opts.truncate
  o.restartIdentity = opts.restartIdentity -- (with truncate: the key counter reset, as Sequelize's truncateTableQuery)
  return setmetatable({}, expr.array_mt), { changes = core.destroy(box, o) }
end

function QueryInterface:bulkDelete(tableName, where, options)
  local rows, meta = delete_rows(self, "bulkDelete", tableName, where, options)
  return rows, meta
end

-- qi:select(model or nil, tableName [, options]) -> the rows as plain tables (their columns
-- as stored), or with a model the model's instances (attribute names, no scope nor paranoid
-- condition: Sequelize's selectQuery). options: where (a model where), attributes, order,
-- group, having, limit, offset, and the query's logging, transaction, benchmark, replacements
-- and bind (a literal's :name / ? and $name parameters, in where, having or attributes), plain
-- and raw (raw = true: plain rows as without a model, Sequelize's query option).
local SELECTS = { where = true, attributes = true, order = true, group = true, having = true, limit = true, offset = true,
                  replacements = true, bind = true }
function QueryInterface:select(model, tableName, options)
  local tbl = table_name("select", tableName, 2)
  local plain, raw -- (no options: neither; `type(options) == "table" and ...` would make them false)
  if type(options) == "table" then plain, raw = options.plain, options.raw end
  if raw ~= nil and raw ~= NULL and type(raw) ~= "boolean" then
    fail(("select: %s: options.raw must be a boolean, got %s"):format(tbl, type(raw)), 2)
  end
  if plain ~= nil or raw ~= nil then -- (plain = true: the first row, or nil; Sequelize's query option)
    local o = {}
    for k, v in pairs(options) do if k ~= "plain" and k ~= "raw" then o[k] = v end end
    options = o
  end
  local opts = opts_of("select", options, 2, SELECTS, tbl)
  local o = query_opts(opts)
  for k in pairs(SELECTS) do -- (Sequelize.null: not given, as Sequelize's null)
    if opts[k] ~= NULL then o[k] = opts[k] end
  end
  local rows
  if model ~= nil and getmetatable(model) ~= model_mod() then fail("select: model must be a model (from db:define) or nil", 2) end
  if model ~= nil and raw ~= true then
    -- (without an attribute list, Sequelize's instances show their getterMethods in toJSON)
    o._getters_shown = opts.attributes == nil
    rows = core.select(model._box, o)
  else
    o.raw = true
    rows = core.select((table_model(self, "select", tbl, opts, 2)), o)
  end
  if plain then return rows[1] end
  return rows
end

-- qi:showIndex(tableName [, opts]) -> the table's indexes as Sequelize's sqlite dialect lists
-- them: the dialect's list in reverse, each with unique as a boolean, primary = false,
-- constraintName = name and fields = { { attribute = column }, ... }. Sequelize spreads its
-- dialect's own row of each index into the result (sqlite: PRAGMA INDEX_LIST's seq, origin,
-- partial), so the dialect hands those over as they are (`own`), rather than this file making
-- them up again from the neutral fields: it would have to know each dialect's codes.
function QueryInterface:showIndex(tableName, opts)
  tableName = table_name("showIndex", tableName, 2)
  if opts ~= nil and type(opts) ~= "table" then fail("showIndex: options must be a table", 2) end
  opts = opts or {}
  local rows = indexes(self, tableName, opts)
  local out = setmetatable({}, expr.array_mt)
  for i = #rows, 1, -1 do
    local r = rows[i]
    local fields = setmetatable({}, expr.array_mt)
    -- (an expression's column is Sequelize's null)
    for k, col in ipairs(index_columns(self, r.name, opts)) do fields[k] = { attribute = col.column == nil and NULL or col.column } end
    local ix = {}
    for k, v in pairs(r.own) do ix[k] = v end
    ix.name, ix.unique, ix.fields, ix.primary, ix.constraintName = r.name, r.unique, fields, false, r.name
    out[#out + 1] = ix
  end
  return out
end

-- qi:addIndex(tableName, fields, opts) or qi:addIndex(tableName, opts with fields): CREATE
-- INDEX as Sequelize's addIndexQuery writes it on sqlite. Field names are columns, taken as
-- given; the options are the `indexes` model option's (Model.check_index). A where's keys are
-- the attributes of a model defined on that table, else the table's columns. Unnamed, the index is
-- named underscore("<prefix or table>_<fields>"). An index of that name raises SQLite's
-- "index ... already exists".
function QueryInterface:addIndex(tableName, attributes, options, rawTablename)
  local t, bare = table_name("addIndex", tableName, 2)
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
  local box = model and model._box
  local cols, names, exprs = {}, {}, false
  for i, f in ipairs(spec.fields) do
    names[i] = f.label
    cols[i] = f.expr and { expr = f.expr } or { column = f.attr, order = f.order, collate = f.collate }
    exprs = exprs or f.expr ~= nil
  end
  if (spec.where ~= nil or exprs) and not box then
    -- no model on the table (a migration): the where's keys and the Sequelize.col names of
    -- an expression field are its columns, as Sequelize's (fn('lower', col('x')): lower(`x`))
    box = table_model(self, "addIndex", t, qopts, 2)
  end
  local name = spec.name
  if not name then
    local prefix = spec.prefix or (type(rawTablename) == "string" and rawTablename) or bare
    prefix = prefix:gsub("%.", "_"):gsub("[\"']", "")
    name = core.underscore(prefix .. "_" .. table.concat(names, "_"))
  end
  core.create_index(self.sequelize._db, { table = t, name = name, unique = spec.unique, fields = cols,
                                          where = spec.where, model = box }, qopts)
  return ddl_result()
end

-- qi:removeIndex(tableName, indexName or { fields } [, opts]): DROP INDEX IF EXISTS, the name
-- of a list of fields being underscore("<table>_<fields>") (Sequelize's removeIndexQuery)
function QueryInterface:removeIndex(tableName, nameOrFields, opts)
  local t, bare = table_name("removeIndex", tableName, 2)
  opts = opts_of("removeIndex", opts, 2, nil, t)
  local name = nameOrFields
  if type(name) == "table" then
    if #name == 0 then fail("removeIndex: expected an index name or a list of field names", 2) end
    for _, f in ipairs(name) do
      if type(f) ~= "string" then fail("removeIndex: expected an index name or a list of field names", 2) end
    end
    name = core.underscore(bare .. "_" .. table.concat(name, "_"))
  end
  if type(name) ~= "string" or name == "" or not core.is_name(name) then
    fail("removeIndex: expected an index name or a list of field names", 2)
  end
  core.drop_index(self.sequelize._db, name, opts)
  return ddl_result()
end

-- qi:getForeignKeyReferencesForTable(tableName [, opts]) -> Sequelize's sqlite rows, a foreign
-- key's column each: { tableName, columnName, referencedTableName, referencedColumnName }
function QueryInterface:getForeignKeyReferencesForTable(tableName, opts)
  local t = table_name("getForeignKeyReferencesForTable", tableName, 2)
  opts = opts_of("getForeignKeyReferencesForTable", opts, 2, nil, t)
  local out = setmetatable({}, expr.array_mt)
  for i, fk in ipairs(foreign_keys(self, t, opts)) do
    out[i] = { tableName = t, columnName = fk.column, referencedTableName = fk.table,
               referencedColumnName = fk.key == nil and NULL or fk.key }
  end
  return out
end

-- qi:rawSelect(tableName, options, attributeSelector) -> the value of that column in the first
-- row select(nil, tableName, options) reads (nil for none), as Sequelize's rawSelect
-- (Sequelize: plain = false gives the rows. dataType is taken and changes nothing: Sequelize
-- converts only for a type instance (DataTypes.INTEGER()), not the bare DataTypes.INTEGER a
-- caller passes, and SQLite's values come typed by their columns already.)
function QueryInterface:rawSelect(tableName, options, attributeSelector)
  if attributeSelector == nil then fail("Please pass an attribute selector!", 2) end
  if type(attributeSelector) ~= "string" then fail("rawSelect: the attribute selector must be a column name", 2) end
  if options ~= nil and type(options) ~= "table" then fail("rawSelect: options must be a table", 2) end
  local dataType = options and options.dataType
  if dataType ~= nil and not DataTypes.is_type(dataType) then fail("rawSelect: dataType must be a DataTypes value", 2) end
  local o = {}
  for k, v in pairs(options or {}) do
    if k ~= "plain" and k ~= "raw" and k ~= "type" and k ~= "dataType" then o[k] = v end
  end
  if options and options.plain == false then return self:select(nil, tableName, o) end
  local row = self:select(nil, tableName, o)[1]
  return row and val(row[attributeSelector])
end

-- qi:tableExists(tableName [, opts]) -> whether the table is there (Sequelize 6.37)
function QueryInterface:tableExists(tableName, opts)
  tableName = model_mod()._table_ref(tableName)
  if type(tableName) ~= "string" then fail("tableExists: expected a table name", 2) end
  if opts ~= nil and type(opts) ~= "table" then fail("tableExists: options must be a table", 2) end
  for _, name in ipairs(self:showAllTables(opts)) do
    if name == tableName then return true end
  end
  return false
end

-- qi:addConstraint(tableName, { type, fields, name, ... }) (Sequelize 6's options; logging and
-- transaction in them or in a third table):
--   unique, check (where = a where over the columns, or the attributes of a model defined on the table:
--   its values written as literals), primary key, foreign key (references = { table, field or
--   fields }, onDelete, onUpdate): as Sequelize's sqlite, the table rebuilt with the clause
--   CONSTRAINT `name` ... added to its stored definition (by the dialect, core.qi_constraint:
--   rows, indexes and AUTOINCREMENT kept, foreign keys checked, all or nothing); Sequelize's
--   default names, `<table>_<fields>_uk` / `_ck` / `_pk` / `_<references.table>_fk`. A named
--   UNIQUE constraint is kept by name through removeColumn / changeColumn / renameColumn
--   (Sequelize's rebuilds write its columns UNIQUE one by one), gone with any of its columns.
--   default: Sequelize's sqlite raises (MSSQL only).
local CONSTRAINT_TYPES = { UNIQUE = "unique", CHECK = "check", ["PRIMARY KEY"] = "primary key",
                           ["FOREIGN KEY"] = "foreign key", DEFAULT = "default" }
local CONSTRAINT_SUFFIX = { unique = "uk", check = "ck", ["primary key"] = "pk" }
function QueryInterface:addConstraint(tableName, options, rawOpts)
  local t = table_name("addConstraint", tableName, 2)
  if type(options) ~= "table" then fail("addConstraint: expected the constraint's options { type, fields [, name] }", 2) end
  if rawOpts ~= nil and type(rawOpts) ~= "table" then fail("addConstraint: options must be a table", 2) end
  -- (Sequelize's messages, in its order)
  if options.fields == nil then fail("Fields must be specified through options.fields", 2) end
  if options.type == nil then fail("Constraint type must be specified through options.type", 2) end
  -- (the type is read before the fields, as Sequelize's getConstraintSnippet switches on it:
  -- `{ type = "some type", fields = {} }` is "some type is invalid.")
  if type(options.type) ~= "string" then fail(("addConstraint on %s: type must be a string"):format(t), 2) end
  local kind = CONSTRAINT_TYPES[options.type:upper()]
  if not kind then fail(("%s is invalid."):format(options.type), 2) end
  if kind == "default" then
    if options.defaultValue == nil then fail("Default value must be specified for DEFAULT CONSTRAINT", 2) end
    fail("Default constraints are supported only for MSSQL dialect.", 2)
  end
  if type(options.fields) ~= "table" or #options.fields == 0 then
    fail(("addConstraint on %s: fields must be a list of column names"):format(t), 2)
  end
  local names = {}
  for i, f in ipairs(options.fields) do
    names[i] = type(f) == "table" and (f.attribute or f.name) or f
    if type(names[i]) ~= "string" then fail(("addConstraint on %s: fields must be column names"):format(t), 2) end
  end
  if options.deferrable ~= nil then
    fail(("addConstraint on %s: deferrable is not supported on SQLite"):format(t), 2)
  end
  if options.name ~= nil and (type(options.name) ~= "string" or options.name == "") then
    fail(("addConstraint on %s: name must be a string"):format(t), 2)
  end
  local qopts = {}
  for k, v in pairs(rawOpts or {}) do if k == "logging" or k == "logQueryParameters" or k == "transaction" then qopts[k] = v end end
  if options.transaction ~= nil then qopts.transaction = options.transaction end
  if options.logging ~= nil then qopts.logging = options.logging end
  if options.logQueryParameters ~= nil then qopts.logQueryParameters = options.logQueryParameters end
  local fieldsName = table.concat(names, "_")
  local spec = { type = kind, fields = names, name = options.name }
  if kind == "check" then
    if options.where == nil then fail(("addConstraint on %s: a check constraint needs a where"):format(t), 2) end
    -- (its keys: the attributes of a model defined on the table, else the table's columns, as
    -- addIndex's where)
    local model
    for _, M in pairs(self.sequelize.models) do
      if M.tableName == t then model = M; break end
    end
    spec.where = options.where
    spec.model = model and model._box or table_model(self, "addConstraint", t, qopts, 2)
  elseif kind == "foreign key" then
    local r = options.references
    local rt = type(r) == "table" and r.table ~= nil and model_mod()._table_ref(r.table) or nil
    local rf = type(r) == "table" and (r.field ~= nil and { r.field } or r.fields) or nil
    if type(rt) ~= "string" or type(rf) ~= "table" or #rf == 0 then
      fail("references object with table and field must be specified", 2)
    end
    for _, f in ipairs(rf) do
      if type(f) ~= "string" then fail(("addConstraint on %s: references' fields must be column names"):format(t), 2) end
    end
    spec.refTable, spec.refFields = rt, rf
    for _, k in ipairs({ "onDelete", "onUpdate" }) do
      if options[k] ~= nil then
        if type(options[k]) ~= "string" then fail(("addConstraint on %s: %s must be a string"):format(t, k), 2) end
        spec[k] = options[k]:upper()
      end
    end
    spec.name = spec.name or (t .. "_" .. fieldsName .. "_" .. rt .. "_fk")
  end
  spec.name = spec.name or (t .. "_" .. fieldsName .. "_" .. CONSTRAINT_SUFFIX[kind])
  core.qi_constraint(self.sequelize._db, t, spec, qopts)
end

-- qi:removeConstraint(tableName, name [, opts]): an index of that name made here (addConstraint's
-- unique, an addIndex) dropped; else the table constraint CONSTRAINT `name` ... of the stored
-- definition (a check, primary key, foreign key or unique one) taken out, the table rebuilt
-- as addConstraint rebuilds it (Sequelize's sqlite rebuilds it without the clause); else
-- Sequelize's UnknownConstraintError.
function QueryInterface:removeConstraint(tableName, name, opts)
  local t = table_name("removeConstraint", tableName, 2)
  if type(name) ~= "string" or name == "" or not core.is_name(name) then
    fail("removeConstraint: expected a constraint name", 2)
  end
  opts = opts_of("removeConstraint", opts, 2, { type = true }, t) -- (type: Sequelize's, read by mssql only)
  if opts.type ~= nil then
    local o = {}
    for k, v in pairs(opts) do if k ~= "type" then o[k] = v end end
    opts = o
  end
  for _, ix in ipairs(indexes(self, t, opts)) do
    if ix.name == name and ix.madeBy == "index" then
      core.drop_index(self.sequelize._db, name, opts)
      return
    end
  end
  if core.qi_constraint(self.sequelize._db, t, { drop = name }, opts) then return end
  -- (made by its constructor, as Sequelize's: a DatabaseError with an empty parent and sql)
  error(errors.UnknownConstraintError({ message = ("Constraint %s on table %s does not exist"):format(name, t),
    constraint = name, table = t }), 2)
end

-- qi:databaseVersion([opts]) -> the database's version string (Sequelize's sqlite:
-- SELECT sqlite_version() as `version`)
function QueryInterface:databaseVersion(opts)
  opts = opts_of("databaseVersion", opts, 2)
  return run(self, "version", nil, opts)[1].version
end

-- qi:quoteIdentifier(name) -> the name quoted as the dialect quotes it, any backtick in it
-- removed first (Sequelize's sqlite: 'a`b' -> "`ab`"); quoteIdentifiers(dotted) each part
function QueryInterface:quoteIdentifier(name)
  if type(name) ~= "string" then fail("quoteIdentifier: expected a string", 2) end
  return core.quote_identifier(self.sequelize._db, name)
end
function QueryInterface:quoteIdentifiers(name)
  if type(name) ~= "string" then fail("quoteIdentifiers: expected a string", 2) end
  -- (Sequelize's: the parts before the last joined by '->', as its include aliases are:
  -- "a.b.c" -> `a->b`.`c`)
  local head, tail = name:match("^(.*)%.([^.]*)$")
  if not head then return core.quote_identifier(self.sequelize._db, name) end
  return core.quote_identifier(self.sequelize._db, (head:gsub("%.", "->"))) .. "."
    .. core.quote_identifier(self.sequelize._db, tail)
end

-- qi:getForeignKeysForTables(tableNames [, opts]) -> { [table] = { constraint names } }, as
-- Sequelize's sqlite gives it: the foreign keys read per table (PRAGMA foreign_key_list), whose
-- rows name no constraint, so every list is empty (Sequelize's own dropAllTables reads it so)
function QueryInterface:getForeignKeysForTables(tableNames, opts)
  if type(tableNames) ~= "table" then fail("getForeignKeysForTables: expected a list of table names", 2) end
  opts = opts_of("getForeignKeysForTables", opts, 2)
  local out = {}
  for _, t in ipairs(tableNames) do
    local name = table_name("getForeignKeysForTables", t, 2)
    foreign_keys(self, name, opts)
    out[name] = setmetatable({}, expr.array_mt)
  end
  return out
end

-- qi:showAllSchemas([opts]) -> Sequelize's sqlite rows: { { name = table }, ... } (SQLite has
-- no schemas: its showSchemasQuery lists the tables)
function QueryInterface:showAllSchemas(opts)
  opts = opts_of("showAllSchemas", opts, 2)
  local out = setmetatable({}, expr.array_mt)
  for i, r in ipairs(run(self, "tables", nil, opts)) do out[i] = { name = r.name } end
  return out
end

-- qi:dropAllSchemas([opts]): without schemas, Sequelize's sqlite runs sequelize.drop(opts):
-- the defined models' tables dropped
function QueryInterface:dropAllSchemas(opts)
  if opts ~= nil and type(opts) ~= "table" then fail("dropAllSchemas: options must be a table", 2) end
  return self.sequelize:drop(opts)
end

-- ---- the row methods Sequelize's models call (insert, upsert, update, delete, increment,
-- decrement), for migrations and seeders that call them directly. Their rows go through the
-- machinery of bulkInsert and of the transient table model (bulkUpdate, bulkDelete), with
-- Sequelize 6's arguments; their results, a JavaScript array there, are several values here.

-- The model of an instance (Sequelize's instance argument), nil for nil; anything else raises
local function instance_model(what, inst, level)
  if inst == nil or inst == NULL then return nil end
  local mt = type(inst) == "table" and getmetatable(inst)
  local M = type(mt) == "table" and rawget(mt, "__M")
  if not M then fail(("%s: the instance must be a model's instance or nil, got %s"):format(what, type(inst)), level + 1) end
  return M
end

-- A model's attributes as the attributes argument of bulkInsert / bulkUpdate, by attribute
-- name and by column (Sequelize's insertQuery / updateQuery map both to the attribute, and
-- write a value by its type: a JSON attribute's table as its JSON text); nil for no model
local function model_attributes(M)
  if not M then return nil end
  local out = {}
  for name, def in pairs(M.rawAttributes) do
    out[name] = def
    if def.field then out[def.field] = def end
  end
  return out
end

-- qi:insert(instance, tableName, values [, options]) -> lastID, changes (Sequelize's sqlite
-- [lastID, changes]; with an instance: the instance, its autoincrement key given the new id
-- when it had none and isNewRecord false, and changes). Values as bulkInsert's (one record),
-- typed by the instance's model's attributes, as Sequelize's.
-- Sequelize.new's omitNull: an INSERT's NULL values are left out (Sequelize's insertQuery,
-- Utils.removeNullValuesFromHash: a key ending in "Id" is kept); bulkInsert writes them
local function omit_nulls(qi, values)
  if qi.sequelize.options.omitNull ~= true then return values end
  local t = {}
  for k, v in pairs(values) do
    if v ~= NULL or (type(k) == "string" and k:sub(-2) == "Id") then t[k] = v end
  end
  return t
end

function QueryInterface:insert(inst, tableName, values, options)
  local M = instance_model("insert", inst, 2)
  if type(values) ~= "table" then fail("insert: values must be a table of column = value", 2) end
  -- (Sequelize's insert binds its values, and sequelize.query refuses replacements beside a
  -- bind: the same message, nothing written; a null, false or no replacements is none)
  if type(options) == "table" and options.replacements ~= nil and options.replacements ~= NULL
     and options.replacements ~= false then
    fail("Both `replacements` and `bind` cannot be set at the same time", 2)
  end
  values = omit_nulls(self, values)
  local lastID, changes = insert_rows(self, "insert", tableName, { values }, options, model_attributes(M))
  if not M then return lastID, changes end
  local ai = M.autoIncrementAttribute
  if ai and ai == M.primaryKeyAttribute and inst:getDataValue(ai) == nil and lastID ~= nil then
    inst:setDataValue(ai, lastID)
  end
  rawset(inst, "isNewRecord", nil)
  return inst, changes
end

-- The conflict target of an upsert without conflictFields, as Sequelize's queryInterface.upsert
-- finds it: the first unique key (a table constraint, then a unique index; not a partial one)
-- holding a column updated, else the primary key, also whenever a primary key column is updated.
-- Read off the table (Sequelize reads the model's uniqueKeys and indexes, which sync made so).
local function upsert_keys(qi, tbl, updated, opts)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.logging = false
  local pks, pkset = {}, {}
  for _, r in ipairs(columns(qi, tbl, o)) do
    if r.keyPosition then pks[#pks + 1] = r; pkset[r.name] = true end
  end
  table.sort(pks, function(a, b) return a.keyPosition < b.keyPosition end)
  for i, r in ipairs(pks) do pks[i] = r.name end
  for _, c in ipairs(updated) do if pkset[c] then return pks end end
  local uniques, ixs = {}, indexes(qi, tbl, o)
  for _, made in ipairs({ "unique", "index" }) do
    for _, ix in ipairs(ixs) do
      if ix.unique and ix.madeBy == made and not ix.partial then
        local cols = {}
        for k, col in ipairs(index_columns(qi, ix.name, o)) do cols[k] = col.column end
        uniques[#uniques + 1] = cols
      end
    end
  end
  for _, c in ipairs(updated) do
    for _, u in ipairs(uniques) do
      for _, f in ipairs(u) do if f == c then return u end end
    end
  end
  return pks
end

-- qi:upsert(tableName, insertValues, updateValues, where [, options]) -> lastID (with
-- options.model whose key autoincrements: { { [key] = lastID } }), as Sequelize's sqlite:
-- INSERT ... ON CONFLICT (keys) DO UPDATE SET the updateValues' columns = EXCLUDED's. The keys:
-- options.conflictFields, else as Sequelize finds them (upsert_keys). The where is Sequelize's
-- argument, unused on SQLite (its statement has none) and checked to be a table.
local UPSERTS = { model = true, conflictFields = true, returning = true, upsertKeys = true, conflictWhere = true }
function QueryInterface:upsert(tableName, insertValues, updateValues, where, options)
  local tbl = table_name("upsert", tableName, 2)
  local opts = opts_of("upsert", options, 2, UPSERTS, tbl)
  if type(insertValues) ~= "table" then fail(("upsert: %s: insertValues must be a table"):format(tbl), 2) end
  if type(updateValues) ~= "table" then fail(("upsert: %s: updateValues must be a table"):format(tbl), 2) end
  if where ~= nil and type(where) ~= "table" then fail(("upsert: %s: where must be a table"):format(tbl), 2) end
  local M = opts.model
  if M ~= nil and getmetatable(M) ~= model_mod() then fail("upsert: options.model must be a model (from db:define)", 2) end
  local updated = {}
  for k in pairs(updateValues) do updated[#updated + 1] = column_name("upsert", tbl, k, "an updateValues key", 2) end
  table.sort(updated)
  if #updated == 0 then fail(("upsert: %s: updateValues must name at least one column"):format(tbl), 2) end
  local keys = opts.conflictFields
  if keys ~= nil and (type(keys) ~= "table" or #keys == 0) then
    fail(("upsert: %s: conflictFields must be a non-empty list of column names"):format(tbl), 2)
  end
  keys = keys or upsert_keys(self, tbl, updated, opts)
  if #keys == 0 then fail(("upsert: %s: no conflict target (no conflictFields, unique key or primary key)"):format(tbl), 2) end
  local o = query_opts(opts)
  o.updateOnDuplicate, o.upsertKeys, o.conflictWhere = updated, keys, opts.conflictWhere
  local lastID = insert_rows(self, "upsert", tbl, { omit_nulls(self, insertValues) }, o, model_attributes(M))
  if M and M.autoIncrementAttribute and M.autoIncrementAttribute == M.primaryKeyAttribute then
    return setmetatable({ { [M.primaryKeyField or M.primaryKeyAttribute] = lastID } }, expr.array_mt)
  end
  return lastID
end

-- qi:update(instance, tableName, values, where [, options]) -> the instance (nil without one)
-- and the number of rows changed (Sequelize's sqlite [instance, changes]): bulkUpdate's UPDATE,
-- its values typed by the instance's model's attributes
function QueryInterface:update(inst, tableName, values, where, options)
  local M = instance_model("update", inst, 2)
  local n = update_rows(self, "update", tableName, values, where, options, model_attributes(M))
  return inst, n
end

-- qi:delete(instance, tableName, where [, options]) -> {} (Sequelize's sqlite runs the DELETE
-- as a select of the instance's model: an empty list; bulkDelete gives the count)
function QueryInterface:delete(inst, tableName, where, options)
  instance_model("delete", inst, 2)
  if where == nil then fail("delete: expected a where (the rows to delete)", 2) end
  delete_rows(self, "delete", tableName, where, options)
  return setmetatable({}, expr.array_mt)
end

-- qi:increment(model, tableName, where, amounts, extraAttributesToBeUpdated [, options]) and
-- decrement: UPDATE t SET `col`=`col`+ n (- n), the extra columns SET to their values, WHERE
-- where (a model where over the table's columns) -> nil, the number of rows changed
-- (Sequelize's sqlite [null, changes])
local function arith(qi, what, model, tableName, where, amounts, extra, options, sign)
  local tbl = table_name(what, tableName, 3)
  local opts = opts_of(what, options, 3, { returning = true }, tbl)
  check_returning(what, tbl, opts, 3)
  if model ~= nil and model ~= NULL and getmetatable(model) ~= model_mod() then
    fail(("%s: model must be a model (from db:define) or nil"):format(what), 3)
  end
  if where == NULL then where = nil end -- (every row, as Sequelize's null)
  if where ~= nil and type(where) ~= "table" then fail(("%s: %s: where must be a table"):format(what, tbl), 3) end
  if type(amounts) ~= "table" then fail(("%s: %s: the amounts must be a table of column = number"):format(what, tbl), 3) end
  if extra ~= nil and type(extra) ~= "table" then fail(("%s: %s: the extra attributes must be a table"):format(what, tbl), 3) end
  local box, by = table_model(qi, what, tbl, opts, 3)
  local t = {}
  for k, v in pairs(amounts) do
    column_name(what, tbl, k, "an amount's key", 3)
    if not by[k] then fail(("%s: %s.%s: no such column"):format(what, tbl, k), 3) end
    -- (a string that reads as a decimal number too: Sequelize writes `n`=`n`+ '5', which
    -- SQLite reads as 5; an integer string stays text, exact, negated as text)
    if type(v) == "string" then v = core.number_text(v) end
    if getmetatable(v) == expr.mt then
      t[k] = v
    elseif type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge then
      t[k] = v * sign
    elseif type(v) == "string" then
      t[k] = sign > 0 and v or v:sub(1, 1) == "-" and v:sub(2) or "-" .. v
    else
      fail(("%s: %s.%s: expected a number or a Sequelize.literal/fn/col amount"):format(what, tbl, k), 3)
    end
  end
  for k, v in pairs(extra or {}) do
    column_name(what, tbl, k, "an extra attribute's key", 3)
    if not by[k] then fail(("%s: %s.%s: no such column"):format(what, tbl, k), 3) end
    check_value(what, tbl, k, v, 3)
  end
  local o = query_opts(opts)
  o.where = where or {}
  return nil, core.increment(box, t, o, nil, sign < 0, extra or {})
end
function QueryInterface:increment(model, tableName, where, amounts, extra, options)
  return arith(self, "increment", model, tableName, where, amounts, extra, options, 1)
end
function QueryInterface:decrement(model, tableName, where, amounts, extra, options)
  return arith(self, "decrement", model, tableName, where, amounts, extra, options, -1)
end

-- qi:showConstraint(tableName [, constraintName [, options]]) -> the named CONSTRAINT clauses
-- of the table's stored CREATE TABLE, read by the dialect (core.constraints; sqlite: parseConstraintsFromSql):
-- { constraintName, constraintType, constraintCondition, sql [, updateAction, deleteAction,
-- referenceTableName, referenceTableKeys] }; a table without any gives {}. With a
-- constraintName, only a table whose text holds that name is read (Sequelize's LIKE '%name%').
function QueryInterface:showConstraint(tableName, constraintName, options)
  local t = table_name("showConstraint", tableName, 2)
  if constraintName ~= nil and type(constraintName) ~= "string" then fail("showConstraint: the constraint name must be a string", 2) end
  local opts = opts_of("showConstraint", options, 2, nil, t)
  local o = query_opts(opts)
  o.type, o.replacements = "SELECT", { t, constraintName and ("%" .. constraintName .. "%") or NULL }
  local rows = self.sequelize:query(core.introspect_sql(self.sequelize._db, "constraints"), o)
  if rows[1] and type(rows[1].sql) == "string" then return core.constraints(self.sequelize._db, rows[1].sql) end
  return setmetatable({}, expr.array_mt)
end

-- qi:createSchema(schema [, options]) and dropSchema(schema [, options]): SQLite has no
-- schemas (a schema is a prefix of the table's name, `schema.table`). As Sequelize's sqlite:
-- createSchema runs its showSchemasQuery (the tables' names) and returns that raw query's
-- result (the rows, {}), creating nothing; dropSchema runs dropTableQuery(schema), `DROP TABLE
-- IF EXISTS `schema``, which drops a table of that name, as the tables are the schemas
-- showAllSchemas lists (dropAllSchemas drops them all).
function QueryInterface:createSchema(schema, options)
  if type(schema) ~= "string" then fail("createSchema: expected a schema name", 2) end
  local opts = opts_of("createSchema", options, 2)
  local rows = run(self, "tables", nil, query_opts(opts))
  return rows, {}
end
function QueryInterface:dropSchema(schema, options)
  if type(schema) ~= "string" or schema == "" or not core.is_name(schema) then fail("dropSchema: expected a schema name", 2) end
  local opts = opts_of("dropSchema", options, 2, nil, schema)
  self:dropTable(schema, query_opts(opts))
  return setmetatable({}, expr.array_mt), {}
end

return QueryInterface
