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
local tx = require("sequelua.transaction")
local H = require("sequelua.hooks")
require("sequelua.association")
require("sequelua.scope")

local ArrayMT = expr.array_mt
core.init({ error_factory = errors.factory, expr_mt = expr.mt, array_mt = ArrayMT })

local Sequelize = {}
Sequelize.__index = Sequelize
Sequelize.__name = "Sequelize"
Sequelize.version = "0.1.0"
Sequelize.DataTypes = DataTypes
Sequelize.Op = Op
Sequelize.errors = errors
Sequelize.null = core.null
Sequelize.array_mt = ArrayMT
Sequelize.fn = expr.fn
Sequelize.col = expr.col
Sequelize.literal = expr.literal
Sequelize.where = expr.where
Sequelize.cast = expr.cast
Sequelize.json = expr.json
Sequelize.Transaction = tx.Transaction
Sequelize.QueryTypes = { SELECT = "SELECT", INSERT = "INSERT", UPDATE = "UPDATE", DELETE = "DELETE", RAW = "RAW" }
for k, v in pairs(errors) do
  if type(v) == "table" and v.name then Sequelize[k] = v end
end
for k, v in pairs(DataTypes) do
  if type(v) == "table" and (DataTypes.is_type(v) or DataTypes.is_default(v)) then Sequelize[k] = v end
end

Sequelize["and"] = function(...) return { [Op["and"]] = { ... } } end
Sequelize["or"] = function(...) return { [Op["or"]] = { ... } } end
Sequelize.and_ = Sequelize["and"]
Sequelize.or_ = Sequelize["or"]

function Sequelize.stringify(x, indent)
  if indent ~= nil and (type(indent) ~= "number" or indent ~= indent or indent == math.huge or indent == -math.huge) then
    error(errors.new(errors.Error, "Sequelize.stringify: indent must be a finite number"), 2)
  end
  if indent then indent = math.floor(indent) end
  return core.stringify(x, indent)
end

local function fail(cls, msg, level) error(errors.new(cls, msg), (level or 1) + 1) end

-- "sqlite::memory:", "sqlite:path.db", "sqlite://path.db"; or the table form.
local function parse_url(url)
  local dialect, rest = url:match("^(%w+):(.*)$")
  if not dialect then fail(errors.ConnectionError, "Invalid connection string: " .. url, 3) end
  if dialect ~= "sqlite" then
    fail(errors.ConnectionError, "The dialect " .. dialect .. " is not supported. Supported dialects: sqlite.", 3)
  end
  rest = rest:gsub("^//", "")
  if rest == "" or rest == ":memory:" then rest = ":memory:" end
  return { dialect = dialect, storage = rest }
end

function Sequelize.new(a, b)
  local opts = {}
  if b ~= nil and type(b) ~= "table" then fail(errors.Error, "Sequelize.new: options must be a table", 2) end
  if type(a) == "string" then
    opts = parse_url(a)
    for k, v in pairs(b or {}) do opts[k] = v end
  elseif type(a) == "table" then
    for k, v in pairs(a) do opts[k] = v end
    if opts.dialect == nil then fail(errors.Error, "Dialect needs to be explicitly supplied as of v4.0.0", 2) end
  else
    fail(errors.ConnectionError, "Sequelize.new: expected a connection string or an options table", 2)
  end
  opts.dialect = opts.dialect or "sqlite"
  if opts.dialect ~= "sqlite" then
    fail(errors.ConnectionError, "The dialect " .. tostring(opts.dialect) .. " is not supported. Supported dialects: sqlite.", 2)
  end
  local storage = opts.storage or ":memory:"
  if type(storage) ~= "string" then fail(errors.ConnectionError, "storage must be a path", 2) end
  if opts.logging ~= nil and opts.logging ~= false and type(opts.logging) ~= "function" then
    fail(errors.Error, "logging must be a function or false", 2)
  end
  if opts.transactionType ~= nil and opts.transactionType ~= "DEFERRED" and opts.transactionType ~= "IMMEDIATE"
     and opts.transactionType ~= "EXCLUSIVE" then
    fail(errors.Error, "transactionType must be DEFERRED, IMMEDIATE or EXCLUSIVE", 2)
  end
  local bt = opts.busyTimeout
  if bt ~= nil and (type(bt) ~= "number" or bt < 0 or bt ~= math.floor(bt)) then
    fail(errors.Error, "busyTimeout must be a whole number of milliseconds", 2)
  end
  local db = core.open(storage, bt)
  local self = setmetatable({ _db = db, options = opts, models = {}, _tx_stack = {}, _mts = {},
                              config = { storage = storage } }, Sequelize)
  if opts.logging then core.set_db(db, "logging", opts.logging) end
  if opts.logQueryParameters ~= nil then
    if type(opts.logQueryParameters) ~= "boolean" then
      core.close(db)
      fail(errors.Error, "logQueryParameters must be a boolean", 2)
    end
    core.log_params(db, opts.logQueryParameters)
  end
  core.set_db(db, "mts", self._mts)
  return self
end

setmetatable(Sequelize, { __call = function(_, ...) return Sequelize.new(...) end })

function Sequelize:getDialect() return "sqlite" end

-- sequelize.escape(value): the SQL literal Sequelize's sqlite dialect writes for a value
-- ('it''s', 5, 1 for true, NULL, "1, 'a'" for a list, the SQL of a fn/col/literal/cast/json),
-- for SQL written by hand; the query builders bind values instead
function Sequelize:escape(value) return expr.escape(value) end

-- sequelize.random(): the dialect's random function, for `order = db:random()` (Sequelize)
function Sequelize:random() return expr.fn("RANDOM") end

function Sequelize:define(name, attributes, options)
  if rawget(self, "_hooks") then -- beforeDefine(attributes, options) may change both
    H.run(self, "beforeDefine", attributes, options)
  end
  local M = Model.define(self, name, attributes, options)
  self.models[name] = M
  if rawget(self, "_hooks") then H.run(self, "afterDefine", M) end
  return M
end

function Sequelize:model(name)
  local M = self.models[name]
  if not M then fail(errors.Error, name .. " has not been defined", 2) end
  return M
end

function Sequelize:isDefined(name) return self.models[name] ~= nil end

local function models_in_order(self)
  local order = {}
  for _, M in pairs(self.models) do order[#order + 1] = M end
  table.sort(order, function(x, y) return x._info.id < y._info.id end)
  return order
end

local function model_boxes(self)
  local list = {}
  for i, M in ipairs(models_in_order(self)) do list[i] = M._box end
  return list
end

function Sequelize:sync(opts)
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "sync: options must be a table", 2) end
  local hooked = not (opts and opts.hooks == false)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  if hooked then
    -- beforeBulkSync, each model's beforeSync (in definition order), the tables, each
    -- afterSync, afterBulkSync
    H.run(self, "beforeBulkSync", o)
    for _, M in ipairs(models_in_order(self)) do
      if rawget(M, "_hooks") then H.run(M, "beforeSync", o) end
    end
  end
  core.sync(self._db, model_boxes(self), o.force, o)
  for _, M in pairs(self.models) do Model.create_indexes(M, o) end
  if hooked then
    for _, M in ipairs(models_in_order(self)) do
      if rawget(M, "_hooks") then H.run(M, "afterSync", o) end
    end
    H.run(self, "afterBulkSync", o)
  end
  return self
end

function Sequelize:drop(opts)
  core.drop(self._db, model_boxes(self), opts)
end

function Sequelize:authenticate()
  core.query(self._db, "SELECT 1+1 AS result", { logging = false })
end

function Sequelize:query(sql, opts)
  if type(sql) ~= "string" then fail(errors.Error, "query: the SQL must be a string", 2) end
  if opts ~= nil and type(opts) ~= "table" then fail(errors.Error, "query: options must be a table", 2) end
  local rows, meta = core.query(self._db, sql, opts)
  if opts and opts.plain then return rows[1] end -- the first row, or nil (Sequelize: null)
  if opts and opts.type == "SELECT" then return rows end
  return rows, meta
end

function Sequelize:transaction(opts, fn) return tx.transaction(self, opts, fn) end

function Sequelize:close()
  core.close(self._db)
end

function Sequelize:getQueryInterface() return self end

-- addHook, removeHook, hasHook(s), and sequelize:beforeCreate(fn) & co.: hooks run for every
-- model, after the model's own (Sequelize's permanent hooks)
H.mixin(Sequelize, false)

return Sequelize
