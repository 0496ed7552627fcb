-- sequelua: Sequelize's model, association and query API for Lua, on a C core.
-- This file is the Sequelize class: connections, define, sync/drop, raw queries,
-- transactions, and the static helpers (fn, col, literal, cast, json, where, Op, DataTypes,
-- errors).
local core = require("sequelua.core")
local DataTypes = require("sequelua.datatypes")
local Op = require("sequelua.op")
local errors = require("sequelua.errors")
local expr = require("sequelua.expr")
local Model = require("sequelua.model")
require("sequelua.define")
local tx = require("sequelua.transaction")
local H = require("sequelua.hooks")
require("sequelua.association")
require("sequelua.include")
require("sequelua.nested_create")
require("sequelua.scope")

-- OpenResty: calls wait for another request's suspended transaction (transaction.lua);
-- raw_core keeps the unwrapped functions, for the watch timer below, which must not wait
local raw_core = core
do
  local ngx = rawget(_G, "ngx")
  if type(ngx) == "table" and type(ngx.sleep) == "function" and type(ngx.now) == "function"
     and type(ngx.update_time) == "function" and not core._waits then
    core._waits = tx.install_waits(ngx)
  end
  raw_core = core._waits or core
end

-- Model.findAll{...} written for Model:findAll{...} (a dot for the colon) would fail deep
-- inside with the options taken for the model: the public methods check their receiver
local function guard_receivers(class, names, what)
  for _, name in ipairs(names) do
    local fn = rawget(class, name)
    if type(fn) == "function" then
      class[name] = function(self, ...)
        if getmetatable(self) ~= class then
          error(errors.new(errors.Error, ("%s:%s(...) is a method: call it with a colon, on a %s (got %s)")
            :format(what, name, what, type(self))), 2)
        end
        return fn(self, ...)
      end
    end
  end
end
-- (findAll, findOne, findByPk, findAndCountAll, count, create and bulkCreate check it in
-- check_opts, without a wrapper's call: they are the per-call paths of loops)
guard_receivers(Model, {
  "findOrCreate", "findOrBuild", "findCreateFind",
  "max", "min", "sum", "aggregate", "build", "update", "destroy", "restore", "upsert",
  "increment", "decrement", "sync", "drop", "truncate", "scope", "unscoped", "addScope", "hasOne", "hasMany",
  "belongsTo", "belongsToMany", "addHook", "removeHook", "hasHook", "hasHooks", "runHooks", "getTableName", "describe",
  "removeAttribute", "getAttributes",
}, "Model")
guard_receivers(Model, H.shorthands(true), "Model")
guard_receivers(tx.Transaction, { "commit", "rollback", "afterCommit" }, "transaction")

local ArrayMT = expr.array_mt
core.init({ error_factory = errors.factory, expr_mt = expr.mt, array_mt = ArrayMT, buffer_mt = expr.buffer_mt,
            empty_array_mt = expr.empty_array_mt, empty_array = expr.empty_array,
            dv_sync = require("sequelua.instance").sync_data_values })

local Sequelize = {}
local ModelManager = {}
Sequelize.__index = Sequelize
Sequelize.__name = "Sequelize"
Sequelize.version = "0.1.0"
Sequelize.DataTypes = DataTypes
Sequelize.Op = Op
Sequelize.errors = errors
Sequelize.null = core.null
-- node-sqlite3's open modes, for dialectOptions.mode (Sequelize's tests take them from sqlite3)
Sequelize.OPEN_READONLY, Sequelize.OPEN_READWRITE, Sequelize.OPEN_CREATE = 1, 2, 4
-- Sequelize.Validator (also db.Validator): extend(name, fn) adds a validator `validate` may name
Sequelize.Validator = require("sequelua.validation").Validator
Sequelize.array_mt = ArrayMT
Sequelize.buffer_mt = expr.buffer_mt
-- The helpers are static, and Sequelize has them on its instances too: `sequelize.fn(...)`
-- translates to `db:fn(...)` (and `Sequelize:fn(...)` may be written): the receiver is dropped
local function static(f)
  return function(first, ...)
    if first == Sequelize or (type(first) == "table" and getmetatable(first) == Sequelize) then return f(...) end
    return f(first, ...)
  end
end
for _, name in ipairs({ "fn", "col", "literal", "where", "cast", "json" }) do
  Sequelize[name] = static(expr[name])
end
Sequelize.Transaction = tx.Transaction
Sequelize.QueryTypes = {
  SELECT = "SELECT", INSERT = "INSERT", UPDATE = "UPDATE", BULKUPDATE = "BULKUPDATE", BULKDELETE = "BULKDELETE",
  DELETE = "DELETE", UPSERT = "UPSERT", VERSION = "VERSION", SHOWTABLES = "SHOWTABLES", SHOWINDEXES = "SHOWINDEXES",
  DESCRIBE = "DESCRIBE", RAW = "RAW", FOREIGNKEYS = "FOREIGNKEYS", SHOWCONSTRAINTS = "SHOWCONSTRAINTS",
}
for k, v in pairs(errors) do
  if type(v) == "table" and v.name then Sequelize[k] = v end
end
Sequelize.Error = errors.BaseError -- (Sequelize.Error is BaseError; errors.Error is a usage error's class)
Sequelize.ValidationErrorItem = errors.ValidationErrorItem
Sequelize.ValidationErrorItemOrigin = errors.ValidationErrorItemOrigin
Sequelize.ValidationErrorItemType = errors.ValidationErrorItemType
for k, v in pairs(DataTypes) do
  if type(v) == "table" and (DataTypes.is_type(v) or DataTypes.is_default(v)) then Sequelize[k] = v end
end

-- (db:or_(...) / Sequelize:and_(...), as sequelize.or(...) in JavaScript: the receiver
-- dropped, as the helpers above drop it, not compiled as a condition of its fields)
Sequelize["and"] = static(function(...) return { [Op["and"]] = { ... } } end)
Sequelize["or"] = static(function(...) return { [Op["or"]] = { ... } } end)
Sequelize.and_ = Sequelize["and"]
Sequelize.or_ = Sequelize["or"]

-- Sequelize.Utils' naming helpers, the ones define and the associations name things with
-- (inflection 1.13.4's pluralize / singularize / underscore, Sequelize's camelize); a word
-- that is not a string raises (Sequelize: a TypeError), as does a camelize Sequelize's throws on
local function word_of(fname, s)
  if type(s) ~= "string" then
    error(errors.new(errors.Error, ("Utils.%s: the word must be a string, got %s"):format(fname, type(s))), 3)
  end
  return s
end
local function camelize(s)
  local r, dangles = core.camelize(word_of("camelize", s))
  if dangles then
    error(errors.new(errors.Error, ("Utils.camelize: %q ends in a separator ('-' or '_'): there is no letter after it to capitalize")
      :format(s)), 2)
  end
  return r
end
Sequelize.Utils = {
  pluralize = function(s) return core.pluralize(word_of("pluralize", s)) end,
  singularize = function(s) return core.singularize(word_of("singularize", s)) end,
  underscore = function(s) return core.underscore(word_of("underscore", s)) end,
  camelize = camelize,
  -- (the word itself when condition is false or nil, whatever it is, as Sequelize's)
  underscoredIf = function(s, condition)
    if not condition or condition == core.null then return s end
    return core.underscore(word_of("underscoredIf", s))
  end,
  camelizeIf = function(s, condition)
    if not condition or condition == core.null then return s end
    return camelize(word_of("camelizeIf", s))
  end,
}

function Sequelize.stringify(x, indent)
  -- (a string is JSON.stringify's string space: its first 10 characters, per level)
  if indent ~= nil and type(indent) ~= "string" and (type(indent) ~= "number" or indent ~= indent
      or indent == math.huge or indent == -math.huge) then
    error(errors.new(errors.Error, "Sequelize.stringify: indent must be a finite number or a string"), 2)
  end
  -- (a number of spaces, at most 10 as in JS: clamped before it must fit an integer)
  if type(indent) == "number" then indent = math.floor(math.max(-1, math.min(10, indent))) end
  return core.stringify(x, indent)
end

local function fail(cls, msg, level) error(errors.new(cls, msg), (level or 1) + 1) end

-- A URL's query string as Node's querystring.parse reads it: "a=1&b=x+y" -> { a = "1", b = "x y" }
-- (percent-decoded, "+" a space, a key given again -> the list of its values).
local function parse_query(q)
  local out = {}
  local function decode(v)
    return (v:gsub("%+", " "):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
  end
  for pair in q:gmatch("[^&]+") do
    local k, v = pair:match("^([^=]*)=(.*)$")
    if not k then k, v = pair, "" end
    k, v = decode(k), decode(v)
    local prev = out[k]
    if prev == nil then out[k] = v
    elseif type(prev) == "table" then prev[#prev + 1] = v
    else out[k] = { prev, v } end
  end
  return out
end

-- "sqlite::memory:", "sqlite:path.db", "sqlite://path.db"; or the table form.
local function parse_url(url)
  local dialect, rest = url:match("^(%w+):(.*)$")
  if not dialect then fail(errors.ConnectionError, "Invalid connection string: " .. url, 3) end
  if dialect ~= "sqlite" then
    fail(errors.ConnectionError, "The dialect " .. dialect .. " is not supported. Supported dialects: sqlite.", 3)
  end
  -- as Sequelize's url.parse: the fragment and the query are no part of the path (the query
  -- is its dialectOptions), and in "//host/path" the user info and the port are not the host;
  -- the file is host joined with path ("sqlite://u:p@h:1/a.db" -> "h/a.db")
  rest = rest:gsub("#.*$", "")
  local query = rest:match("%?(.*)$")
  rest = rest:gsub("%?.*$", "")
  local authority, path = rest:match("^//([^/]*)(.*)$")
  -- (Sequelize's config from the URL, as url.parse gives them: the path without its leading
  -- "/" is the database, the user info "user:pass" (percent-decoded; the password is all
  -- after the first ":") the username and password; host and port are options, the port a string)
  local url_config, host, port = {}, nil, nil
  local function decode(v) return (v:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)) end
  if authority and authority ~= ":memory:" then
    local auth = authority:match("^(.*)@")
    if auth then
      local user, pass = auth:match("^([^:]*):(.*)$")
      url_config.username, url_config.password = decode(user or auth), pass and decode(pass) or nil
    end
    authority = authority:gsub("^.*@", "")
    port = authority:match(":(%d+)$")
    authority = authority:gsub(":%d*$", "")
    host = authority:lower() -- (url.parse's hostname: lower case, the file's directory too)
    rest = host .. path
  end
  if authority == ":memory:" then rest = ":memory:"; host = "" end
  local dbpath = (authority and path or rest):gsub("^/", "")
  -- (Sequelize path.resolve()s the file: "sqlite://a.db/" opens a.db, not a directory)
  if rest:find("[^/]/+$") then rest = rest:gsub("/+$", "") end
  if rest == "" or rest == ":memory:" or rest:find("^/:memory") then rest = ":memory:" end
  if rest ~= ":memory:" and dbpath ~= "" then url_config.database = decode(dbpath) end
  -- (Sequelize's "sqlite://:memory:": host "", no storage; "sqlite::memory:" has no host)
  local storage = rest
  if authority == ":memory:" then storage = nil end
  return { dialect = dialect, storage = storage, host = host ~= "" and host or (authority == ":memory:" and "" or nil),
           port = port }, url_config, query and parse_query(query)
end

-- beforeQuery(options, query) / afterQuery(options, query), as Sequelize's sequelize.query
-- runs them: for each statement logged (finders, writes, sync's DDL, BEGIN / COMMIT /
-- ROLLBACK and savepoints, db:query), beforeQuery before it is logged and runs, afterQuery
-- once it has run or failed (or its beforeQuery raised). `options`: a copy of the call's
-- options (its public keys) with `type` (the call's, or the statement's kind: SELECT,
-- INSERT, UPDATE, DELETE, else RAW) and `model`; `query`: { options, model, sequelize },
-- the same table for both hooks, with `sql` for afterQuery (Sequelize sets it as it runs;
-- none when a beforeQuery raised, so that the statement did not run).
local STATEMENT_KINDS = { SELECT = "SELECT", INSERT = "INSERT", UPDATE = "UPDATE", DELETE = "DELETE", WITH = "SELECT" }
local function query_runner(self)
  local pending, sqls = {}, {}
  local boxes = setmetatable({}, { __mode = "k" }) -- model box -> model
  local function model_of(box)
    if box == nil or box == self._db then return nil end
    local M = boxes[box]
    if M == nil then
      for _, m in pairs(self.models) do
        if m._box == box then M = m; break end
      end
      if M then boxes[box] = M end
    end
    return M
  end
  return function(after, id, sql, opts, box)
    if after then
      local q = pending[id]
      if q == nil then return end
      pending[id] = nil
      q.sql, sqls[id] = sqls[id], nil
      H.run(self, "afterQuery", q.options, q)
      return
    end
    local o = {}
    if opts then
      for k, v in pairs(opts) do
        if not (type(k) == "string" and k:byte(1) == 95) then o[k] = v end -- (not the internal _keys)
      end
    end
    if o.type == nil then
      o.type = STATEMENT_KINDS[(sql:match("^%s*(%a+)") or ""):upper()] or "RAW"
    end
    local M = model_of(box)
    if o.model == nil then o.model = M end
    local q = { options = o, model = o.model, sequelize = self }
    pending[id] = q -- (its afterQuery runs whatever happens next)
    H.run(self, "beforeQuery", o, q)
    sqls[id] = sql -- (the statement runs: query.sql is set, as Sequelize's run sets it)
  end
end

-- The constructor's options. Honoured: dialect, storage, logging, logQueryParameters, benchmark,
-- transactionType, busyTimeout, typeValidation, foreignKeys (false: PRAGMA foreign_keys left off),
-- omitNull (the core's INSERT of one row and UPDATEs leave NULLs out: sq_db.omit_null),
-- define (merged into every define's options), query (defaults
-- of db:query), sync (defaults of sync), hooks (db:addHook for each), timezone "+00:00",
-- database (the name sync's `match` tests; else the storage), isolationLevel (transactions').
-- Accepted and ignored, as they mean nothing to an in-process SQLite database (or name
-- Sequelize's own defaults): IGNORED_OPTS; given another value than Sequelize's default, an
-- option it cannot honour raises (FIXED_OPTS). Any other name raises.
local HONOURED_OPTS = {
  dialect = true, storage = true, logging = true, logQueryParameters = true, transactionType = true,
  busyTimeout = true, define = true, query = true, sync = true, hooks = true, timezone = true,
  typeValidation = true, benchmark = true, foreignKeys = true, omitNull = true,
  isolationLevel = true, -- (every transaction's default: transaction.lua)
  schema = true, -- (every model's default schema: define)
}
local IGNORED_OPTS = {
  host = true, port = true, database = true, username = true, password = true, protocol = true, pool = true,
  ssl = true, native = true, replication = true, dialectOptions = true, dialectModule = true,
  dialectModulePath = true, retry = true, standardConformingStrings = true, databaseVersion = true,
  minifyAliases = true, keepDefaultTimezone = true,
  clientMinMessages = true,
}
local FIXED_OPTS = { quoteIdentifiers = true, attributeBehavior = "throw" }

local static_hooks, run_static -- (below: Sequelize's static hooks)

local function check_new_options(opts)
  local names = {}
  for k in pairs(opts) do names[#names + 1] = tostring(k) end
  table.sort(names)
  for _, k in ipairs(names) do
    local v = opts[k]
    if FIXED_OPTS[k] ~= nil then
      if v ~= nil and v ~= FIXED_OPTS[k] then
        fail(errors.Error, ("Sequelize.new: option %s = %s is not supported (only %s)"):format(k, tostring(v),
          tostring(FIXED_OPTS[k])), 3)
      end
    elseif not (HONOURED_OPTS[k] or IGNORED_OPTS[k]) then
      fail(errors.Error, ("Sequelize.new: unknown option %q"):format(k), 3)
    end
  end
  if opts.pool == false then fail(errors.Error, "Support for pool:false was removed in v4.0", 3) end
  -- (Sequelize requires the module at dialectModulePath: one that is not there raises its message;
  -- SQLite is linked in here, so what is there is not loaded. As Node's require: a path ("/",
  -- "./", "../") is that file, or it with .js, .json or .node, or a directory; anything else is a
  -- package name found through node_modules (Sequelize's docs' 'pg.js', sqlcipher's
  -- '@journeyapps/sqlcipher'), which there is nothing here to look for: accepted)
  local dmp = opts.dialectModulePath
  if dmp ~= nil and dmp ~= false and dmp ~= core.null and dmp ~= "" then
    local found = type(dmp) == "string" and not dmp:find("\0", 1, true) and not dmp:find("^%.?%.?/")
    if type(dmp) == "string" and not found and not dmp:find("\0", 1, true) then
      for _, ext in ipairs({ "", ".js", ".json", ".node" }) do
        local f = io.open(dmp .. ext, "rb")
        if f then f:close(); found = true; break end
      end
    end
    if not found then fail(errors.Error, "Unable to find dialect at " .. tostring(dmp), 3) end
  end
  -- (Sequelize's message, for any other offset than its default)
  if opts.timezone ~= nil and opts.timezone ~= "+00:00" then
    fail(errors.Error, "Setting a custom timezone is not supported by SQLite, dates are always returned as UTC. "
      .. "Please remove the custom timezone parameter.", 3)
  end
  if opts.schema ~= nil and opts.schema ~= core.null and (type(opts.schema) ~= "string" or opts.schema == "") then
    fail(errors.Error, ("Sequelize.new: option schema must be a non-empty string, got %s"):format(type(opts.schema)), 3)
  end
  for _, k in ipairs({ "define", "query", "sync", "hooks" }) do
    if opts[k] ~= nil and type(opts[k]) ~= "table" then
      fail(errors.Error, ("Sequelize.new: option %s must be a table"):format(k), 3)
    end
  end
end

-- Sequelize's static hooks: Sequelize:addHook("beforeInit" | "afterInit", [name,] fn) (and
-- removeHook, hasHook, the shorthands Sequelize:beforeInit(fn)), kept as Sequelize keeps them in
-- Sequelize.options.hooks (`Sequelize.options.hooks = {}` drops them all), run by Sequelize.new.
-- Sequelize takes any other type there and never runs it: refused here.
Sequelize.options = { hooks = {} }
local STATIC_HOOKS = { beforeInit = true, afterInit = true }
static_hooks = function(hook_type)
  local o = rawget(Sequelize, "options")
  local h = type(o) == "table" and type(o.hooks) == "table" and o.hooks[hook_type]
  return type(h) == "table" and #h > 0 and h or nil
end
run_static = function(list, ...)
  local n = #list -- (the ones there when the run began)
  for i = 1, n do
    local e = list[i]
    if type(e) == "function" then e(...) else e.fn(...) end
  end
end
local function static_check(method, hook_type, level)
  if type(hook_type) ~= "string" or not STATIC_HOOKS[hook_type] then
    fail(errors.Error, ("Sequelize.%s: only beforeInit and afterInit hooks run on the Sequelize class, got %s")
      :format(method, tostring(hook_type)), level + 1)
  end
  local o = rawget(Sequelize, "options")
  if type(o) ~= "table" then o = {}; rawset(Sequelize, "options", o) end
  if type(o.hooks) ~= "table" then o.hooks = {} end
  return o.hooks
end
local static = {}
function static.addHook(hook_type, name, fn)
  local hooks = static_check("addHook", hook_type, 2)
  if fn == nil and name ~= nil and type(name) ~= "string" then name, fn = nil, name end
  if name == "" or name == false or name == core.null then name = nil end
  if name ~= nil and type(name) ~= "string" then fail(errors.Error, "Sequelize.addHook: the hook name must be a string", 2) end
  if type(fn) ~= "function" then
    fail(errors.Error, ("Sequelize.addHook: the %s hook must be a function, got %s"):format(hook_type, type(fn)), 2)
  end
  local list = hooks[hook_type] or {}
  list[#list + 1] = { name = name, fn = fn }
  hooks[hook_type] = list
  return Sequelize
end
function static.removeHook(hook_type, name)
  local hooks = static_check("removeHook", hook_type, 2)
  if type(name) ~= "string" and type(name) ~= "function" then
    fail(errors.Error, "Sequelize.removeHook: expected the hook's name or its function", 2)
  end
  local kept = {}
  for _, e in ipairs(hooks[hook_type] or {}) do
    local f, n = e, nil
    if type(e) == "table" then f, n = e.fn, e.name end
    if not ((type(name) == "function" and f == name and n == nil) or (type(name) == "string" and n == name)) then
      kept[#kept + 1] = e
    end
  end
  hooks[hook_type] = #kept > 0 and kept or nil
  return Sequelize
end
function static.hasHook(hook_type)
  static_check("hasHook", hook_type, 2)
  return static_hooks(hook_type) ~= nil
end
static.hasHooks = static.hasHook
static.beforeInit = function(name, fn) return static.addHook("beforeInit", name, fn) end
static.afterInit = function(name, fn) return static.addHook("afterInit", name, fn) end

function Sequelize.new(a, b, ...)
  local opts = {}
  local form -- ("positional": (database, username, password, options); else by a's type)
  local url_config -- (from a URL: its database, username and password, as Sequelize's config)
  if a == Sequelize then
    fail(errors.Error, "Sequelize.new is a function: call it with a dot, Sequelize.new(url or options), not Sequelize:new", 2)
  end
  if select("#", ...) > 0 then
    -- Sequelize.new(database, username, password, options), Sequelize's positional form: the
    -- three are taken as its options are (SQLite uses none of them); options needs a dialect
    local password, o = ...
    if o ~= nil and type(o) ~= "table" then fail(errors.Error, "Sequelize.new: options must be a table", 2) end
    for k, v in pairs(o or {}) do opts[k] = v end
    -- (each given one wins over the option of that name; nil or "" leaves the option's, as
    -- Sequelize's `database || options.database`: new Sequelize(null, null, null, options))
    local function given(v, k) if v == nil or v == false or v == "" then return opts[k] end return v end
    opts.database, opts.username, opts.password = given(a, "database"), given(b, "username"), given(password, "password")
    if opts.dialect == nil then fail(errors.Error, "Dialect needs to be explicitly supplied as of v4.0.0", 2) end
    a, b = opts, nil
    form = "positional"
  end
  if b ~= nil and type(b) ~= "table" then fail(errors.Error, "Sequelize.new: options must be a table", 2) end
  if type(a) == "string" then
    local query
    opts, url_config, query = parse_url(a)
    for k, v in pairs(b or {}) do opts[k] = v end
    -- (Sequelize: the query string's parameters are dialectOptions, merged over the ones given
    -- (a copy here: the caller's table is left alone); none given, its `options` is read as
    -- JSON if it parses; its `host` is options.host)
    if query then
      if query.host ~= nil then opts.host = query.host end
      if type(opts.dialectOptions) == "table" then
        local d = {}
        for k, v in pairs(opts.dialectOptions) do d[k] = v end
        for k, v in pairs(query) do d[k] = v end
        opts.dialectOptions = d
      else
        if type(query.options) == "string" then
          local v = core.json_decode(query.options)
          if v ~= nil then query.options = v end
        end
        opts.dialectOptions = query
      end
    end
  elseif type(a) == "table" then
    for k, v in pairs(a) do opts[k] = v end
    if opts.dialect == nil then fail(errors.Error, "Dialect needs to be explicitly supplied as of v4.0.0", 2) end
  else
    fail(errors.ConnectionError, "Sequelize.new: expected a connection string or an options table", 2)
  end
  opts.dialect = opts.dialect or "sqlite"
  -- Sequelize's static beforeInit(config, options) hooks (Sequelize:addHook("beforeInit", fn)):
  -- they may change both before the options are read
  local init_config
  if static_hooks("beforeInit") then
    -- (Sequelize's config: the three given in the positional form; from an options table,
    -- those of its host, port, database, username and password that it holds)
    init_config = url_config or { database = opts.database, username = opts.username, password = opts.password }
    if form == nil and type(a) == "table" then init_config.host, init_config.port = opts.host, opts.port end
    run_static(static_hooks("beforeInit"), init_config, opts)
  end
  check_new_options(opts)
  -- (Sequelize's defaults, as its sequelize.options shows them)
  for _, k in ipairs({ "define", "query", "sync" }) do
    if opts[k] == nil then opts[k] = {} end
  end
  if opts.timezone == nil then opts.timezone = "+00:00" end
  if opts.omitNull == nil then opts.omitNull = false end
  if opts.benchmark == nil then opts.benchmark = false end
  if opts.dialect ~= "sqlite" then
    fail(errors.ConnectionError, "The dialect " .. tostring(opts.dialect) .. " is not supported. Supported dialects: sqlite.", 2)
  end
  local storage = opts.storage or ":memory:"
  if type(storage) ~= "string" then fail(errors.ConnectionError, "storage must be a path", 2) end
  if storage:find("\0", 1, true) then -- (SQLite would open the path cut at it)
    fail(errors.ConnectionError, "storage must be a path without NUL bytes", 2)
  end
  if opts.logging == true then opts.logging = print end -- (Sequelize's deprecated true: the console)
  if opts.logging ~= nil and opts.logging ~= false and type(opts.logging) ~= "function" then
    fail(errors.Error, "logging must be a function or false", 2)
  end
  if type(opts.transactionType) == "string" then opts.transactionType = opts.transactionType:upper() end
  if opts.transactionType ~= nil and opts.transactionType ~= "DEFERRED" and opts.transactionType ~= "IMMEDIATE"
     and opts.transactionType ~= "EXCLUSIVE" then
    fail(errors.Error, "transactionType must be DEFERRED, IMMEDIATE or EXCLUSIVE", 2)
  end
  local bt = opts.busyTimeout
  if bt ~= nil and (type(bt) ~= "number" or bt < 0 or bt ~= math.floor(bt)) then
    fail(errors.Error, "busyTimeout must be a whole number of milliseconds", 2)
  end
  -- (Sequelize's sqlite runs PRAGMA FOREIGN_KEYS=ON unless foreignKeys is false)
  if opts.foreignKeys ~= nil and type(opts.foreignKeys) ~= "boolean" then
    fail(errors.Error, "foreignKeys must be a boolean", 2)
  end
  -- dialectOptions.mode: node-sqlite3's open flags (OPEN_READONLY 1, OPEN_READWRITE 2,
  -- OPEN_CREATE 4: Sequelize.OPEN_READONLY and friends), as Sequelize's sqlite takes them
  -- (default READWRITE | CREATE); other bits (node's OPEN_FULLMUTEX, OPEN_URI ...) are taken and
  -- mean nothing here
  local mode = "create"
  local dopts = opts.dialectOptions
  -- (none: any value JavaScript takes for false, as Sequelize's `dialectOptions.mode || ...`; a
  -- URL's `?mode=` among them)
  if type(dopts) == "table" and dopts.mode ~= nil and dopts.mode ~= false and dopts.mode ~= 0 and dopts.mode ~= core.null
     and dopts.mode ~= "" and dopts.mode == dopts.mode then
    local m = dopts.mode
    if not (type(m) == "number" and m == math.floor(m) and m > 0 and m < 2^31) then
      fail(errors.Error, "dialectOptions.mode must be a whole number (Sequelize.OPEN_READONLY, OPEN_READWRITE, OPEN_CREATE)", 2)
    end
    local function bit(b) return math.floor(m / b) % 2 == 1 end
    if bit(1) and not bit(2) then mode = "readonly"
    elseif bit(2) then mode = bit(4) and "create" or "readwrite"
    else fail(errors.Error, "dialectOptions.mode must hold Sequelize.OPEN_READONLY or OPEN_READWRITE", 2) end
  end
  local db = core.open(storage, bt, opts.foreignKeys == false, mode)
  -- (config: Sequelize's, `database || options.database` and so on: "" is none; host
  -- "localhost" and password null by default)
  local function given(v) if v == nil or v == false or v == "" then return nil end return v end
  local ic = init_config or url_config or {} -- (a beforeInit hook's config wins, as Sequelize's `config.x || options.x`)
  local config = { storage = storage, database = given(ic.database) or given(opts.database),
                   username = given(ic.username) or given(opts.username),
                   password = given(ic.password) or given(opts.password) or core.null,
                   host = given(ic.host) or given(opts.host) or "localhost", port = given(ic.port) or given(opts.port),
                   dialectOptions = opts.dialectOptions }
  local self = setmetatable({ _db = db, options = opts, models = {}, _tx_stack = {}, _mts = setmetatable({}, { __mode = "v" }),
                              config = config }, Sequelize)
  self.modelManager = setmetatable({ sequelize = self }, ModelManager)
  if opts.logging then core.set_db(db, "logging", opts.logging) end
  for _, flag in ipairs({ { "logQueryParameters", core.log_params }, { "typeValidation", core.type_validation },
                              { "benchmark", core.benchmark }, { "omitNull", core.omit_null } }) do
    local v = opts[flag[1]]
    if v ~= nil then
      if type(v) ~= "boolean" then
        core.close(db)
        fail(errors.Error, flag[1] .. " must be a boolean", 2)
      end
      flag[2](db, v)
    end
  end
  -- (rolls back what a coroutine that has ended left open: transaction.lua's reap)
  self._reaper = function() tx.reap(self) end
  local ngx = rawget(_G, "ngx")
  if type(ngx) == "table" and type(ngx.get_phase) == "function" then
    -- (nginx's Lua module runs request after request on one coroutine: a request is told
    -- from the next by its ngx.ctx, made for each request)
    self._request = function()
      local ok, ctx = pcall(function() return ngx.ctx end)
      return ok and ctx or nil
    end
    -- an unmanaged transaction is watched from a timer: one its request left open (a handler
    -- that raised, or forgot to commit) is rolled back as soon as that request has ended,
    -- not at the worker's next query (its write lock would stop the other workers meanwhile)
    -- (so is a managed one, whose handler may end its request inside it: ngx.exit). One
    -- watcher a connection, running while any transaction is open, not a timer each.
    local function open_tx()
      for _, list in ipairs({ self._tx_stack, self._unmanaged or {} }) do
        for _, t in ipairs(list) do if not t.finished then return true end end
      end
      return false
    end
    local function watch(premature)
      if not premature and core.is_open(db) and open_tx() then
        -- (rolls back when the request has ended; raises while it is still running, suspended)
        pcall(raw_core.tx_check, db)
        if open_tx() then
          local ok, started = pcall(ngx.timer.at, 0.05, watch)
          if ok and started then return end
        end
      end
      self._watching = nil
    end
    self._watch = function()
      if self._watching then return end
      local ok, started = pcall(ngx.timer.at, 0, watch)
      if ok and started then self._watching = true end
    end
  end
  core.set_reaper(db, self._reaper, self._request)
  core.set_db(db, "mts", self._mts)
  -- (the core calls the query hooks' runner only while there are such hooks)
  self._on_query_hooks = function()
    local on = H.has(self, "beforeQuery") or H.has(self, "afterQuery")
    if on and not rawget(self, "_qrun") then
      rawset(self, "_qrun", query_runner(self))
      core.query_hooks(db, self._qrun)
    elseif not on and rawget(self, "_qrun") then
      rawset(self, "_qrun", nil)
      core.query_hooks(db, nil)
    end
  end
  if opts.hooks then -- the hooks option: Sequelize's permanent hooks, as db:addHook
    local types = {}
    for k in pairs(opts.hooks) do types[#types + 1] = tostring(k) end
    table.sort(types)
    for _, k in ipairs(types) do
      local v = opts.hooks[k]
      local ok, err = pcall(function()
        if type(v) == "table" then
          for i = 1, #v do H.add(self, false, k, nil, v[i], 1) end
        else
          H.add(self, false, k, nil, v, 1)
        end
      end)
      if not ok then
        core.close(db)
        error(err, 2)
      end
    end
  end
  if static_hooks("afterInit") then -- Sequelize's static afterInit(sequelize)
    local ok, err = pcall(run_static, static_hooks("afterInit"), self)
    if not ok then
      core.close(db)
      error(err, 2)
    end
  end
  return self
end

-- Sequelize's Utils.merge of the define option and a define's own options: a key the model
-- gives wins, unless the global one is a table too: then lists are joined (the model's items
-- first) and other tables merged key by key
local function is_list(t)
  return next(t) == nil or t[1] ~= nil
end

local function plain_table(v) return type(v) == "table" and getmetatable(v) == nil end

local function merge_options(global, own)
  local out = {}
  for _, src in ipairs({ global, own }) do
    for k, v in pairs(src) do
      local cur = out[k]
      if not cur then
        out[k] = v
      elseif plain_table(v) and next(v) == nil and plain_table(cur) then
        -- (an empty table adds nothing: `hooks = {}` keeps the define option's hooks)
        out[k] = merge_options(cur, {})
      elseif plain_table(v) and plain_table(cur) and not is_list(v) and not is_list(cur) then
        out[k] = merge_options(cur, v)
      elseif plain_table(v) and plain_table(cur) and is_list(v) and is_list(cur) then
        local l = {}
        for _, x in ipairs(v) do l[#l + 1] = x end
        for _, x in ipairs(cur) do l[#l + 1] = x end
        out[k] = l
      else
        out[k] = v
      end
    end
  end
  return out
end

setmetatable(Sequelize, { __call = function(_, ...) return Sequelize.new(...) end })

-- db.modelManager: Sequelize's ModelManager over db.models. `models` (and `all`) list the models
-- in the order they were defined; removeModel(M) takes the model of M's name out of db.models,
-- so sync, drop, isDefined and db:model no longer see it (associations made with it stay, as in
-- Sequelize); getModel(value [, { attribute = "name" }]) and findModel(fn) find one.
ModelManager.__index = function(mm, k)
  if k == "models" or k == "all" then
    local list = {}
    for _, M in pairs(mm.sequelize.models) do list[#list + 1] = M end
    table.sort(list, function(x, y) return x._info.id < y._info.id end)
    return list
  end
  return ModelManager[k]
end

function ModelManager:addModel(M)
  if type(M) ~= "table" or getmetatable(M) ~= Model then fail(errors.Error, "modelManager:addModel: expected a model", 2) end
  -- (sync, drop and truncate run a listed model's DDL on this db's connection: another db's
  -- model would get its table here, not in its own database, where its queries go)
  if M.sequelize ~= self.sequelize then
    fail(errors.Error, ("modelManager:addModel: %s belongs to another Sequelize object"):format(M.name), 2)
  end
  self.sequelize.models[M.name] = M
  return M
end

function ModelManager:removeModel(M)
  if type(M) ~= "table" or type(M.name) ~= "string" then fail(errors.Error, "modelManager:removeModel: expected a model", 2) end
  self.sequelize.models[M.name] = nil
end

function ModelManager:getModel(against, opts)
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "modelManager:getModel: options must be a table", 2) end
  local attr = opts and opts.attribute or "name"
  for _, M in ipairs(self.models) do
    if M[attr] == against then return M end
  end
  return nil
end

function ModelManager:findModel(fn)
  if type(fn) ~= "function" then fail(errors.Error, "modelManager:findModel: expected a function", 2) end
  for _, M in ipairs(self.models) do
    if fn(M) then return M end
  end
  return nil
end

function Sequelize:getDialect() return "sqlite" end

-- sequelize.escape(value): the SQL literal Sequelize's sqlite dialect writes for a value
-- ('it''s', 5, 1 for true, NULL, "1, 'a'" for a list, the SQL of a fn/col/literal/cast/json),
-- for SQL written by hand; the query builders bind values instead
function Sequelize:escape(value) return expr.escape(value) end

-- sequelize.random(): the dialect's random function, for `order = db:random()` (Sequelize)
function Sequelize:random() return expr.fn("RANDOM") end

-- (into: the class table Model:init makes the model in; see Sequelize.Model)
local function define_model(self, name, attributes, options, into)
  local global = self.options.define
  if global and next(global) ~= nil and (options == nil or type(options) == "table") then
    options = merge_options(global, options or {})
  end
  -- Sequelize.new's `schema` (also set later on db.options) is every model's default schema,
  -- as Sequelize's Model.init takes `schema: globalOptions.schema` under the model's options
  local schema = self.options.schema
  if schema ~= nil and schema ~= core.null and (options == nil or type(options) == "table")
     and (options == nil or options.schema == nil) then
    local o = {}
    for k, v in pairs(options or {}) do o[k] = v end -- (the caller's table is left as it is)
    o.schema = schema
    options = o
  end
  if rawget(self, "_hooks") then -- beforeDefine(attributes, options) may change both
    -- (Sequelize's options hold modelName and sequelize, also when none were given)
    if options == nil or type(options) == "table" then
      local o = {}
      for k, v in pairs(options or {}) do o[k] = v end -- (the caller's table is left as it is)
      if o.modelName == nil then o.modelName = name end
      if o.sequelize == nil then o.sequelize = self end
      -- (and name = { plural, singular } of the model name, the given ones kept, as Sequelize's)
      if (o.name == nil or type(o.name) == "table") and type(o.modelName) == "string" then
        local nm = {}
        for k, v in pairs(o.name or {}) do nm[k] = v end
        if nm.plural == nil then nm.plural = core.pluralize(o.modelName) end
        if nm.singular == nil then nm.singular = core.singularize(o.modelName) end
        o.name = nm
      end
      options = o
    end
    H.run(self, "beforeDefine", attributes, options)
    -- (a modelName the hook sets is the model's name, as Sequelize's)
    if type(options) == "table" and options.modelName ~= nil and options.modelName ~= name then
      if type(options.modelName) ~= "string" or options.modelName == "" then
        fail(errors.Error, ("%s: the modelName a beforeDefine hook sets must be a non-empty string, got %s")
          :format(name, type(options.modelName)), 2)
      end
      name = options.modelName
    end
  end
  local M = Model.define(self, name, attributes, options, into)
  self.models[name] = M
  if rawget(self, "_hooks") then
    local nm = type(M.options.name) == "table" and M.options.name or {}
    local before = { name = M.name, tableName = M.tableName, singular = nm.singular, plural = nm.plural }
    H.run(self, "afterDefine", M)
    Model._after_define(M, before)
  end
  return M
end

function Sequelize:define(name, attributes, options) return define_model(self, name, attributes, options) end

-- Sequelize.Model: the class form of a model. `local User = Sequelize.Model:extend("User")` is
-- `class User extends Model {}`: a class that is no model yet, which takes static functions
-- (`function User.associate(models) ... end`) and instance methods (`function
-- User.prototype:greet() ... end`). `User:init(attributes, { sequelize = db [, modelName, ...] })`
-- is Sequelize's Model.init: db:define's model made in that same table (its functions kept,
-- the prototype's methods the instances'), which it returns. modelName defaults to the name
-- given to extend (a JavaScript class's own name); the other options are define's.
local ModelClass = { __name = "Sequelize.Model" }
local Pending = { __name = "Sequelize.Model class" } -- (a class extend made, until its init)
local pending = setmetatable({}, { __mode = "k" })   -- class -> the name given to extend, or false

function ModelClass:extend(name)
  if self ~= ModelClass then
    fail(errors.Error, "Model:extend(name) is called on Sequelize.Model, with a colon (a model's own subclasses are not supported)", 2)
  end
  if name ~= nil and (type(name) ~= "string" or name == "") then
    fail(errors.Error, ("Sequelize.Model:extend: the class name must be a non-empty string, got %s"):format(type(name)), 2)
  end
  local C = setmetatable({ prototype = {} }, Pending)
  pending[C] = name or false
  return C
end

local function class_init(C, attributes, options)
  if getmetatable(C) == Model then
    fail(errors.Error, ("%s:init: the model is already initialized (a new class from Sequelize.Model:extend() makes another)")
      :format(tostring(C.name)), 2)
  end
  if getmetatable(C) ~= Pending then
    fail(errors.Error, "init(attributes, options) is a method of a class Sequelize.Model:extend() made: call it with a colon", 2)
  end
  if options ~= nil and type(options) ~= "table" then
    fail(errors.Error, ("%s:init: options must be a table, got %s"):format(tostring(pending[C] or "Model"), type(options)), 2)
  end
  local db = options and options.sequelize
  if db == nil or db == false or db == core.null then fail(errors.Error, "No Sequelize instance passed", 2) end
  if getmetatable(db) ~= Sequelize then
    fail(errors.Error, ("%s:init: options.sequelize must be a Sequelize object (Sequelize.new), got %s")
      :format(tostring(pending[C] or "Model"), type(db)), 2)
  end
  local name = options.modelName
  if name == nil or name == core.null then name = pending[C] end
  if not name then
    fail(errors.Error, "Model:init: options.modelName is required (a Lua class has no name of its own: or give it to Sequelize.Model:extend(name))", 2)
  end
  local o = {}
  for k, v in pairs(options) do o[k] = v end
  o.sequelize, o.modelName = nil, nil
  local proto = rawget(C, "prototype")
  local own = {} -- (the class as it was: a definition refused leaves it so, to init again)
  for k, v in pairs(C) do own[k] = v end
  local ok, M = pcall(define_model, db, name, attributes, o, C)
  -- (an afterDefine hook that raised: the model is made and in db.models by then, as db:define
  -- leaves its model and Sequelize's init, whose afterDefine runs last; the class is that model)
  local made = ok or (getmetatable(C) == Model and db.models[rawget(C, "name")] == C)
  if made then
    pending[C] = nil
    if type(proto) == "table" and proto ~= C.prototype then
      for k, v in pairs(proto) do C.prototype[k] = v end
    end
  end
  if not ok then
    if not made then
      for k in pairs(C) do rawset(C, k, nil) end
      for k, v in pairs(own) do rawset(C, k, v) end
      setmetatable(C, Pending)
    end
    error(M, 0)
  end
  return M
end

Pending.__index = function(C, k)
  if k == "init" then return class_init end
  if k == "name" then return pending[C] or nil end
  local name = pending[C]
  local msg = name and ('%s is not initialized: call %s:init(attributes, { sequelize = db }) before using %s')
    :format(name, name, tostring(k))
    or ('The class is not initialized: call its init(attributes, { sequelize = db, modelName = ... }) before using %s')
    :format(tostring(k))
  error(errors.new(errors.Error, msg), 2)
end
-- Sequelize.Model.init(Class, attributes, options): Sequelize's super.init, for a class whose
-- own static init calls it (`function User.init(sequelize) return Sequelize.Model.init(User, {...},
-- { sequelize = sequelize }) end`); Sequelize.Model:init(...) itself raises
function ModelClass.init(C, attributes, options)
  if C == nil or C == ModelClass then
    fail(errors.Error, "init is called on a class Sequelize.Model:extend() made, not on Sequelize.Model", 2)
  end
  return class_init(C, attributes, options)
end
Model.init = class_init -- (on a model: already initialized)
Sequelize.Model = ModelClass

function Sequelize:model(name)
  local M = self.models[name]
  if not M then fail(errors.Error, tostring(name == nil and "undefined" or name) .. " has not been defined", 2) end
  return M
end

function Sequelize:isDefined(name) return self.models[name] ~= nil end

-- db:getDatabaseName(): the `database` option (or Sequelize.new's first argument), nil without one
function Sequelize:getDatabaseName() return self.config.database end

local function models_in_order(self)
  local order = {}
  for _, M in pairs(self.models) do order[#order + 1] = M end
  table.sort(order, function(x, y) return x._info.id < y._info.id end)
  return order
end

-- One model per table, the one defined last (Sequelize's ModelManager sorts the models for
-- sync and drop in a map by table name): models sharing a tableName make its table once.
local function table_models(self)
  local list, last, out = models_in_order(self), {}, {}
  for _, M in ipairs(list) do last[M.tableName] = M end
  for _, M in ipairs(list) do if last[M.tableName] == M then out[#out + 1] = M end end
  return out
end

local function model_boxes(models)
  local list = {}
  for i, M in ipairs(models) do list[i] = M._box end
  return list
end

-- sync's `match` (Sequelize's guard, tested on every sync with it): a Lua pattern, or a
-- function, tested against the database's name (the `database` option, else the storage)
local function check_match(self, o)
  local m = o.match
  if m == nil then return end
  local name = self.options.database or self.config.storage
  local ok
  if type(m) == "string" then ok = tostring(name):find(m) ~= nil
  elseif type(m) == "function" then ok = m(name)
  else fail(errors.Error, "sync: match must be a Lua pattern (string) or a function", 3) end
  if not ok then
    fail(errors.Error, ('Database "%s" does not match sync match parameter "%s"'):format(tostring(name), tostring(m)), 3)
  end
end

function Sequelize:sync(opts)
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "sync: options must be a table", 2) end
  local o = {}
  for k, v in pairs(self.options.sync or {}) do o[k] = v end -- the sync option: defaults
  for k, v in pairs(opts or {}) do o[k] = v end
  check_match(self, o)
  local hooked = o.hooks ~= false
  -- as Sequelize: beforeBulkSync; with force every table dropped (children first); then model
  -- by model, the ones referred to first: beforeSync, its table, its indexes, afterSync (so a
  -- model's hooks see the tables synced before it, and the rows their afterSync made);
  -- afterBulkSync
  local list = table_models(self)
  local boxes = model_boxes(list)
  local order = {}
  for i, k in ipairs(core.sync_order(self._db, boxes)) do order[i] = list[k] end -- (a cycle raises)
  for _, M in ipairs(order) do Model.create_indexes(M, o, true) end -- (checked before any DDL)
  if hooked then H.run(self, "beforeBulkSync", o) end
  if o.force then core.drop(self._db, boxes, o) end
  for _, M in ipairs(order) do
    if hooked then H.run(M, "beforeSync", o) end -- (db-wide ones too)
    core.sync(self._db, { M._box }, false, o)
    Model.create_indexes(M, o)
    if hooked then H.run(M, "afterSync", o) end
  end
  if hooked then H.run(self, "afterBulkSync", o) end
  return self
end

function Sequelize:drop(opts)
  core.drop(self._db, model_boxes(table_models(self)), opts)
end

-- truncate(opts): every model's truncate (Model:truncate: a paranoid model's rows are
-- soft-deleted unless force), the models that refer to others before those (Sequelize's
-- dependency order), in one transaction (a savepoint in the caller's). In a transaction of
-- its own, foreign keys are also checked only at its commit (PRAGMA defer_foreign_keys), for
-- cycles of references.
function Sequelize:truncate(opts)
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "truncate: options must be a table", 2) end
  local list = models_in_order(self)
  local by_table, order, seen = {}, {}, {}
  for _, M in ipairs(list) do by_table[M.tableName] = M end
  local function visit(M) -- (the models M refers to first)
    if seen[M] then return end
    seen[M] = true
    for _, a in pairs(M.rawAttributes) do
      local r = a.references
      local T = type(r) == "table" and by_table[r.model]
      if T and T ~= M then visit(T) end
    end
    order[#order + 1] = M
  end
  for _, M in ipairs(list) do visit(M) end
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  self:transaction({ transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }, function(t)
    if t.parent == nil then -- (a savepoint leaves its transaction's checks as they are)
      core.qi_ddl(self._db, "fk_defer", nil, nil, { logging = o.logging, logQueryParameters = o.logQueryParameters, transaction = t })
    end
    o.transaction = o.transaction or t
    for i = #order, 1, -1 do order[i]:truncate(o) end
  end)
end

-- db:authenticate([opts]) (and its alias validate): Sequelize's test query, logged as it logs
-- it (`opts.logging` as a query's)
function Sequelize:authenticate(opts)
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "authenticate: options must be a table", 2) end
  -- (raw and plain: Sequelize's, which its logger sees, type SELECT)
  core.query(self._db, "SELECT 1+1 AS result", { logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters, transaction = opts and opts.transaction,
                                                 raw = true, plain = true })
end
Sequelize.validate = Sequelize.authenticate

-- db:log(...): Sequelize's sequelize.log: the arguments to the logger. A last argument that is
-- a plain table with a `logging` key is the options whose logger is used (left out of the
-- arguments when that logger is print, as Sequelize leaves it out for console.log); else the
-- db's logging option. With benchmark and print, the line is `<first> Elapsed time: <second>ms`.
function Sequelize:log(...)
  local n = select("#", ...)
  local args = { ... }
  local options = self.options
  local last = args[n]
  if type(last) == "table" and getmetatable(last) == nil and rawget(last, "logging") ~= nil then
    options = last
    if options.logging == print then n = n - 1 end
  end
  local logging = options.logging
  if not logging then return end
  if logging == true then logging = print end
  if type(logging) ~= "function" then fail(errors.Error, "log: logging must be a function or false", 2) end
  if (self.options.benchmark or options.benchmark) and logging == print then
    args, n = { tostring(args[1]) .. " Elapsed time: " .. tostring(args[2]) .. "ms" }, 1
  end
  logging((table.unpack or unpack)(args, 1, n))
end

-- db:runHooks(type, ...): the Sequelize object's hooks of that type, run with those arguments
-- (or a function, `{ fn = f }` or a list of them in place of the type, as Sequelize's)
function Sequelize:runHooks(hooks, ...)
  H.run_hooks(self, "Sequelize", hooks, ...)
end

-- db:query's types: how the core reads the statement (0 steps it, reading no rows; 1 plain
-- rows; 2 rows with dotted names nested; 3 instances of opts.model). The four types whose
-- result Sequelize's sqlite dialect reads off the SQL text (PRAGMA ...) are refused.
local QUERY_TYPES_LIST = "SELECT, INSERT, UPDATE, BULKUPDATE, DELETE, BULKDELETE, UPSERT, RAW, SHOWTABLES, VERSION"
local RUN_TYPES = { INSERT = true, UPDATE = true, BULKUPDATE = true, DELETE = true, BULKDELETE = true, UPSERT = true }
local READ_TYPES = { SELECT = true, RAW = true, SHOWTABLES = true, VERSION = true }

-- Sequelize's sqlite dialect runs a statement whose text starts with "insert into" for its
-- lastID and changes, and gives no rows for it
local function insert_into(sql)
  local s = sql:find("%S")
  return s ~= nil and sql:sub(s, s + 10):lower() == "insert into"
end

-- INSERT and UPSERT with a model whose key is its autoIncrement attribute: the new keys as
-- { { [field] = id }, ... } (the ids lastID - changes + 1 .. lastID), else lastID
local function inserted(M, changes, lastID)
  local pk = M and M.primaryKeyAttribute
  local raw = pk and M.rawAttributes[pk]
  if not (raw and raw.autoIncrement) then return lastID end
  local list = setmetatable({}, ArrayMT)
  for id = lastID - changes + 1, lastID do list[#list + 1] = { [raw.field] = id } end
  return list
end

function Sequelize:query(sql, opts)
  if type(sql) == "table" and type(sql.query) == "string" then
    -- Sequelize's { query, values, bind } form: the values are the replacements, bind the bind
    -- (any table whose `query` reads as a string: an object whose class gives it, as Sequelize
    -- takes a class instance with a `query` getter)
    if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "query: options must be a table", 2) end
    local o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    if sql.values ~= nil then
      if o.replacements ~= nil then
        fail(errors.Error, "Both `sql.values` and `options.replacements` cannot be set at the same time", 2)
      end
      o.replacements = sql.values
    end
    if sql.bind ~= nil then
      if o.bind ~= nil then fail(errors.Error, "Both `sql.bind` and `options.bind` cannot be set at the same time", 2) end
      o.bind = sql.bind
    end
    sql, opts = sql.query, o
  end
  if type(sql) ~= "string" then fail(errors.Error, "query: the SQL must be a string", 2) end
  sql = sql:match("^%s*(.-)%s*$") -- (trimmed, as Sequelize runs and logs it)
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "query: options must be a table", 2) end
  local defaults = self.options.query
  if defaults and next(defaults) ~= nil then -- the query option: defaults of each call's
    local o = {}
    for k, v in pairs(defaults) do o[k] = v end
    for k, v in pairs(opts or {}) do o[k] = v end
    opts = o
  end
  opts = opts or {}
  local qtype, M = opts.type, opts.model
  if qtype ~= nil and not (type(qtype) == "string" and Sequelize.QueryTypes[qtype] == qtype) then
    fail(errors.Error, ("query: type must be one of Sequelize.QueryTypes (%s), got %s"):format(QUERY_TYPES_LIST,
      type(qtype) == "string" and ("%q"):format(qtype) or type(qtype)), 2)
  end
  if qtype ~= nil and not (RUN_TYPES[qtype] or READ_TYPES[qtype]) then
    fail(errors.Error, ("query: type %s is not supported (Sequelize reads its result off the SQL text); use one of %s")
      :format(qtype, QUERY_TYPES_LIST), 2)
  end
  if M == false then M = nil end
  if M ~= nil and getmetatable(M) ~= Model then
    fail(errors.Error, ("query: model must be a model (from db:define), got %s"):format(type(M)), 2)
  end
  -- Sequelize: no type is SELECT with model, nest or plain, else RAW; rows are plain unless
  -- a model is given and raw is not
  if qtype == nil then qtype = (M or opts.nest or opts.plain) and "SELECT" or "RAW" end
  local raw = M == nil or opts.raw
  local how
  if RUN_TYPES[qtype] or (qtype == "RAW" and insert_into(sql)) then how = 0
  elseif qtype == "SELECT" and not raw then how = 3
  elseif qtype == "SELECT" and opts.nest then how = 2
  else how = 1 end
  if opts.fieldMap ~= nil and (qtype ~= "SELECT" or (M and opts.mapToModel)) then
    -- Sequelize renames by fieldMap in its SELECT results only, and mapToModel replaces the
    -- fieldMap given with the model's own (its columns to attributes, which mapToModel does here)
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.fieldMap, opts = nil, o
  end
  if rawget(self, "_qrun") and opts.type == nil then -- (the query hooks see the type the call took)
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.type, opts = qtype, o
  end
  local rows, changes, lastID = core.query(self._db, sql, opts, how, M and Model._base(M)._box, opts.mapToModel)
  if qtype == "SELECT" then
    if opts.plain then return rows[1] end -- the first row, or nil (Sequelize: null)
    return rows
  elseif qtype == "RAW" then
    if how == 0 then return nil, { lastID = lastID, changes = changes } end -- [undefined, Statement]
    return rows, {} -- [rows, Statement]: node-sqlite3's statement has no keys of its own
  elseif qtype == "INSERT" then return inserted(M, changes, lastID), changes
  elseif qtype == "UPSERT" then return inserted(M, changes, lastID), nil -- [id, null]
  elseif qtype == "UPDATE" then return nil, changes -- [undefined, changes]
  elseif qtype == "BULKUPDATE" or qtype == "BULKDELETE" then return changes
  elseif qtype == "DELETE" then return nil -- undefined
  elseif qtype == "SHOWTABLES" then
    local names = setmetatable({}, ArrayMT)
    for i, r in ipairs(rows) do
      local name = r.name
      if name == nil then name = core.null end -- (Sequelize: undefined, JSON null)
      names[i] = name
    end
    return names
  else -- VERSION
    return rows[1] and rows[1].version
  end
end

function Sequelize:transaction(opts, fn) return tx.transaction(self, opts, fn) end
function Sequelize:_atomic(opts, fn) return tx.atomic(self, opts, fn) end -- (see transaction.lua)

function Sequelize:close()
  core.close(self._db)
end

-- sequelize:getQueryInterface(): describeTable, showAllTables, createTable... (queryinterface.lua)
-- db:databaseVersion([opts]) -> the database's version ("3.45.1": sqlite_version())
function Sequelize:databaseVersion(opts) return self:getQueryInterface():databaseVersion(opts) end

-- db:createSchema / showAllSchemas / dropSchema / dropAllSchemas: the query interface's (SQLite
-- has no schemas: see there), as Sequelize's are
function Sequelize:createSchema(schema, opts) return self:getQueryInterface():createSchema(schema, opts) end
function Sequelize:showAllSchemas(opts) return self:getQueryInterface():showAllSchemas(opts) end
function Sequelize:dropSchema(schema, opts) return self:getQueryInterface():dropSchema(schema, opts) end
function Sequelize:dropAllSchemas(opts) return self:getQueryInterface():dropAllSchemas(opts) end

function Sequelize:getQueryInterface()
  local qi = rawget(self, "_qi")
  if not qi then
    qi = require("sequelua.queryinterface").new(self)
    rawset(self, "_qi", qi)
  end
  return qi
end

-- addHook, removeHook, hasHook(s), and sequelize:beforeCreate(fn) & co.: hooks run for every
-- model, after the model's own (Sequelize's permanent hooks)
H.mixin(Sequelize, false)

guard_receivers(Sequelize, {
  "define", "model", "isDefined", "sync", "drop", "truncate", "query", "transaction", "close", "authenticate",
  "getQueryInterface", "addHook", "removeHook", "hasHook", "escape", "random", "databaseVersion", "getDialect",
  "getDatabaseName", "validate", "runHooks", "log", "createSchema", "showAllSchemas", "dropSchema", "dropAllSchemas",
}, "db")
guard_receivers(ModelManager, { "addModel", "removeModel", "getModel", "findModel" }, "modelManager")
guard_receivers(Sequelize, H.shorthands(false), "db")
-- (on the class itself, Sequelize:addHook("beforeInit", fn): the static hooks above)
for name, fn in pairs(static) do
  local method = rawget(Sequelize, name)
  Sequelize[name] = function(self, ...)
    if self == Sequelize then return fn(...) end
    if method == nil then
      fail(errors.Error, ("Sequelize:%s(...) is for the Sequelize class, not a db"):format(name), 2)
    end
    return method(self, ...)
  end
end
-- (every QueryInterface method: qi.createTable(...), JavaScript's queryInterface.createTable,
-- failed deep inside with a raw string or blamed the wrong argument)
do
  local QI = require("sequelua.queryinterface")
  local names = {}
  for name, fn in pairs(QI) do
    if type(fn) == "function" and name ~= "new" and not name:find("^_") then names[#names + 1] = name end
  end
  guard_receivers(QI, names, "queryInterface")
end

return Sequelize
