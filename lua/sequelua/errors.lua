-- errors.lua: the error classes (Sequelize's names and messages) and the factory the
-- C binding calls to raise core errors as these objects.
local errors = {}

-- Cls(...) makes one as Sequelize's constructor does (`new Sequelize.X(...)`): most take
-- (message); ValidationError (message, errors); UniqueConstraintError,
-- ForeignKeyConstraintError, ExclusionConstraintError, UnknownConstraintError and
-- OptimisticLockError one options table; DatabaseError, TimeoutError and the ConnectionErrors
-- a parent error (a table with `message`); BulkRecordError (error, record); AggregateError
-- (errors). A string where a table is taken is the message. The class's parent is `_super`
-- (an error's own `parent` is the driver's error, as Sequelize's); `_make` the constructor.
local NULL = require("sequelua.core").null -- (JavaScript's null, as a Lua user writes it)
local function js_truthy(v) return v ~= nil and v ~= NULL and v ~= false and v ~= "" and v ~= 0 end
local function text(v)
  if v == nil then return "" end
  if v == NULL then return "null" end -- (String(null), as `new Error(null)` reads it)
  return tostring(v)
end
local function list_of(v)
  if v ~= nil and v ~= NULL then return v end
  return setmetatable({}, require("sequelua.expr").array_mt) -- ([] in JSON)
end

-- err.stack: where the error was made, as JavaScript's Error#stack: "Name: message", then a
-- line "    at name (file:line)" per call that led there (up to 20; those inside this file
-- left out). The calls are noted when the error is made (debug.getinfo, cheap) and written
-- out when stack is read. Kept beside the error (weakly), so that it is read as a field but
-- is not one: tostring and Sequelize.stringify leave it out, as JSON.stringify leaves out a
-- JavaScript error's stack.
local STACKS = setmetatable({}, { __mode = "k" })
local HERE = debug.getinfo(1, "S").source
local MAX_FRAMES = 20

local function keep_stack(e)
  local level, frames = 3, {}
  while #frames < MAX_FRAMES do
    local info = debug.getinfo(level, "Sln")
    if not info then break end
    if info.source ~= HERE then
      local where = info.currentline and info.currentline > 0 and (info.short_src .. ":" .. info.currentline)
        or info.short_src
      frames[#frames + 1] = info.name and (info.name .. " (" .. where .. ")") or where
    end
    level = level + 1
  end
  STACKS[e] = frames
end

local function stack_of(e)
  local frames = STACKS[e]
  if not frames then return nil end
  local out = { tostring(e) }
  for i, f in ipairs(frames) do out[i + 1] = "    at " .. f end
  return table.concat(out, "\n")
end

local function make(cls, fields)
  fields.name = cls.name
  keep_stack(fields)
  return setmetatable(fields, cls)
end

local function by_message(cls, message) return make(cls, { message = text(message) }) end

local CLASSES = {} -- (the error classes: an error object's metatable is one)

-- Is v an error object (not a class)?
local function is_error(v)
  return type(v) == "table" and CLASSES[getmetatable(v)] ~= nil and not CLASSES[v]
end

local function describe(v)
  if CLASSES[v] then return "the class " .. tostring(rawget(v, "name")) end
  if type(v) == "string" then return ("the string %q"):format(v:sub(1, 64)) end
  return type(v)
end

-- err.is(X) written for err:is(X) runs with X for the error: an error object, not a quiet false
local function not_error(name, self)
  error(errors.new(errors.Error, ("err:%s(...) is a method: call it with a colon, on an error object (got %s)")
    :format(name, describe(self))), 3)
end

-- "failed: " .. err, as JavaScript's "failed: " + err: the error's text
local function concat_part(v)
  local t = type(v)
  if t == "string" or t == "number" then return v end
  if is_error(v) then return tostring(v) end
  error("attempt to concatenate a " .. t .. " value", 3)
end

local function class(name, parent, maker)
  local c = { name = name, _super = parent, _make = maker }
  c.__index = function(e, k)
    if k == "stack" then return stack_of(e) end
    return c[k]
  end
  c.__tostring = function(e)
    if e.message == nil or e.message == "" then return tostring(e.name) end -- (JavaScript's String(e))
    return tostring(e.name) .. ": " .. tostring(e.message)
  end
  c.__concat = function(a, b) return concat_part(a) .. concat_part(b) end
  setmetatable(c, { __index = parent, __call = function(cls, ...) return cls._make(cls, ...) end })
  CLASSES[c] = true
  return c
end

local BaseError = class("SequelizeBaseError", nil, by_message)
-- err:is(Class): the error is of that class or one below it; anything but a class raises
-- (a misspelt Sequelize.errors.ValidationErr reads as nil: false would hide the typo)
function BaseError:is(cls)
  if not is_error(self) then not_error("is", self) end
  if not CLASSES[cls] then
    error(errors.new(errors.Error, ("err:is(...): expected an error class such as Sequelize.ValidationError, got %s%s")
      :format(describe(cls), cls == nil and " (a misspelt class name?)"
        or type(cls) == "string" and " (compare err.name with a name)" or "")), 2)
  end
  local mt = getmetatable(self)
  while mt do
    if mt == cls then return true end
    mt = rawget(mt, "_super")
  end
  return false
end

-- ValidationError(message, errors): message, else the items' "type: message" lines, else
-- "Validation Error"; errors a list ({} when not given)
local function validation(cls, message, list)
  list = list_of(list)
  local msg = "Validation Error"
  if js_truthy(message) then
    msg = tostring(message)
  elseif type(list) == "table" and type(list[1]) == "table" and js_truthy(list[1].message) then
    local parts = {}
    for i, it in ipairs(list) do
      -- JavaScript's `${type || origin}`: a ValidationErrorItem of an unknown type has null
      -- for both ("null"); a plain table's missing key is undefined ("undefined")
      local t = it.type
      if not js_truthy(t) then t = it.origin end
      if t == nil then t = getmetatable(it) == errors.ValidationErrorItem and NULL or "undefined" end
      parts[i] = text(t) .. ": " .. text(it.message)
    end
    msg = table.concat(parts, ",\n")
  end
  return make(cls, { message = msg, errors = list })
end

-- DatabaseError(parent): message, sql and parameters of the parent error
local function database(cls, parent)
  if type(parent) ~= "table" then return by_message(cls, parent) end
  return make(cls, { message = text(parent.message), parent = parent, original = parent, sql = parent.sql,
                     parameters = parent.parameters ~= nil and parent.parameters or {} })
end

-- the option-table constructors of DatabaseError's subclasses: the parent error (an empty one
-- by default), then the message given, the parent's, or the class's default
local function constraint(default, from_parent, keys)
  return function(cls, o)
    if type(o) ~= "table" then
      if o ~= nil and o ~= NULL then return by_message(cls, o) end
      o = {}
    end
    local parent = type(o.parent) == "table" and o.parent or { sql = "", name = "", message = "" }
    local e = database(cls, parent)
    local msg = o.message
    if not js_truthy(msg) and from_parent then msg = parent.message end
    e.message = js_truthy(msg) and tostring(msg) or default
    for _, k in ipairs(keys) do e[k] = o[k] end
    return e
  end
end

local function connection(cls, parent)
  -- (JavaScript's null parent is no parent: the message is empty, as Sequelize's
  -- `new ConnectionError(null)`, whose stack starts "SequelizeConnectionError")
  if parent == NULL then parent = nil end
  if type(parent) ~= "table" then return by_message(cls, parent) end
  return make(cls, { message = text(parent.message), parent = parent, original = parent })
end

errors.BaseError = BaseError
errors.Error = class("Error", BaseError, by_message)
errors.ValidationError = class("SequelizeValidationError", BaseError, validation)
-- UniqueConstraintError({ message, errors, fields, parent })
errors.UniqueConstraintError = class("SequelizeUniqueConstraintError", errors.ValidationError, function(cls, o)
  if type(o) ~= "table" then
    if o ~= nil and o ~= NULL then return validation(cls, o) end
    o = {}
  end
  local parent = type(o.parent) == "table" and o.parent or { sql = "", name = "", message = "" }
  local msg = js_truthy(o.message) and o.message or js_truthy(parent.message) and parent.message or "Validation Error"
  local e = validation(cls, msg, o.errors)
  e.fields = (o.fields ~= nil and o.fields ~= NULL) and o.fields or {}
  e.parent, e.original, e.sql = parent, parent, parent.sql
  return e
end)
errors.DatabaseError = class("SequelizeDatabaseError", BaseError, database)
errors.ForeignKeyConstraintError = class("SequelizeForeignKeyConstraintError", errors.DatabaseError,
  constraint("Database Error", true, { "fields", "table", "value", "index", "reltype" }))
errors.ExclusionConstraintError = class("SequelizeExclusionConstraintError", errors.DatabaseError,
  constraint("", true, { "constraint", "fields", "table" }))
errors.TimeoutError = class("SequelizeTimeoutError", errors.DatabaseError, database)
-- (the query interface's removeConstraint of a constraint the table does not have: its
-- fields `constraint` and `table`, as Sequelize's; the message given or this one, never the
-- parent's)
errors.UnknownConstraintError = class("SequelizeUnknownConstraintError", errors.DatabaseError,
  constraint("The specified constraint does not exist", false, { "constraint", "fields", "table" }))
errors.ConnectionError = class("SequelizeConnectionError", BaseError, connection)
-- (no connection of sequelua's raises these; they are there for err:is tests in handlers
-- translated from Sequelize)
errors.AccessDeniedError = class("SequelizeAccessDeniedError", errors.ConnectionError, connection)
errors.ConnectionAcquireTimeoutError = class("SequelizeConnectionAcquireTimeoutError", errors.ConnectionError, connection)
errors.ConnectionRefusedError = class("SequelizeConnectionRefusedError", errors.ConnectionError, connection)
errors.ConnectionTimedOutError = class("SequelizeConnectionTimedOutError", errors.ConnectionError, connection)
errors.HostNotFoundError = class("SequelizeHostNotFoundError", errors.ConnectionError, connection)
errors.HostNotReachableError = class("SequelizeHostNotReachableError", errors.ConnectionError, connection)
errors.InvalidConnectionError = class("SequelizeInvalidConnectionError", errors.ConnectionError, connection)
errors.AsyncQueueError = class("SequelizeAsyncQueueError", BaseError, by_message)
errors.EagerLoadingError = class("SequelizeEagerLoadingError", BaseError, by_message)
errors.AssociationError = class("SequelizeAssociationError", BaseError, by_message)
errors.EmptyResultError = class("SequelizeEmptyResultError", BaseError, by_message)
errors.InstanceError = class("SequelizeInstanceError", BaseError, by_message)
-- BulkRecordError(error, record). Its record (an instance) is kept beside it, read and written
-- as err.record: lua-cjson's encode of a bulkCreate's AggregateError (an OpenResty handler's
-- cjson.encode(err)) writes the error's own fields instead of walking the instance's slots
-- (or raising on the functions an instance holds). As a ValidationErrorItem's instance (below):
-- a metatable of its own (getmetatable still answers the class: __metatable) whose
-- __json_side holds it, written by Sequelize.stringify as JSON.stringify writes `record`.
local getmt = debug.getmetatable
local function bulk_class(e) return rawget(getmt(e), "__metatable") end
local function bulk_index(e, k)
  if k == "record" then return getmt(e).__json_side.record end
  local cls = bulk_class(e)
  return cls.__index(e, k)
end
local function bulk_newindex(e, k, v)
  if k == "record" then getmt(e).__json_side.record = v else rawset(e, k, v) end
end
local function keep_record(cls, e)
  local record = rawget(e, "record")
  rawset(e, "record", nil)
  return setmetatable(e, { __index = bulk_index, __newindex = bulk_newindex, __tostring = cls.__tostring,
                           __concat = cls.__concat, __json_side = { record = record }, __metatable = cls })
end
errors.BulkRecordError = class("SequelizeBulkRecordError", BaseError, function(cls, err, record)
  if type(err) ~= "table" then return keep_record(cls, make(cls, { message = text(err), record = record })) end
  return keep_record(cls, make(cls, { message = text(err.message), errors = err, record = record }))
end)
-- AggregateError(errors)
errors.AggregateError = class("AggregateError", BaseError, function(cls, list, more)
  if type(list) ~= "table" then return make(cls, { message = text(list), errors = list_of(more) }) end
  return make(cls, { message = "", errors = list })
end)
-- tostring(err): Sequelize's AggregateError#toString, each error's text on its lines
-- ("AggregateError of:\n  SequelizeBulkRecordError: ...\n"; a nested AggregateError's indented)
errors.AggregateError.__tostring = function(e)
  local parts = {}
  for i, x in ipairs(type(e.errors) == "table" and e.errors or {}) do
    if x == e then
      parts[i] = "[Circular AggregateError]"
    elseif is_error(x) and x:is(errors.AggregateError) then
      local lines = {}
      for line in (tostring(x):gsub("\n$", "") .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = "  " .. line end
      parts[i] = table.concat(lines, "\n")
    else
      parts[i] = "  " .. (text(x):gsub("\n", "\n    "))
    end
  end
  return "AggregateError of:\n" .. table.concat(parts, "\n") .. "\n"
end
errors.ScopeError = class("SequelizeScopeError", BaseError, by_message)
errors.SequelizeScopeError = errors.ScopeError -- (Sequelize's export name)
-- OptimisticLockError({ message, modelName, values, where })
errors.OptimisticLockError = class("SequelizeOptimisticLockError", BaseError, function(cls, o)
  if type(o) ~= "table" then
    if o ~= nil and o ~= NULL then return by_message(cls, o) end
    o = {}
  end
  local mn = o.modelName == nil and "undefined" or text(o.modelName) -- (JavaScript's text)
  return make(cls, { message = js_truthy(o.message) and tostring(o.message) or "Attempting to update a stale model instance: " .. mn,
                     modelName = o.modelName, values = o.values, where = o.where })
end)
errors.QueryError = class("SequelizeQueryError", BaseError, by_message)

function errors.new(cls, message, fields)
  local e = fields or {}
  e.name = cls.name
  e.message = message
  keep_stack(e)
  setmetatable(e, cls)
  if cls == errors.BulkRecordError then keep_record(cls, e) end
  return e
end

-- ValidationErrorItem (Sequelize): the items of a ValidationError's `errors`. Fields:
-- message, type, path, value, origin, instance, validatorKey, validatorName, validatorArgs
-- (a list, empty where no built-in validator failed) and, from a validator, `original`.
local ValidationErrorItem = {}
ValidationErrorItem.__index = ValidationErrorItem
errors.ValidationErrorItem = ValidationErrorItem
-- An item's instance is kept beside it, read and written as it.instance: lua-cjson's encode of
-- an item (an OpenResty handler's cjson.encode(err.errors)) writes its other fields, instead
-- of walking the instance's slots (or raising on the functions an instance read with include
-- holds). An item with an instance has a metatable of its own (getmetatable still answers
-- ValidationErrorItem: __metatable) whose __index and __json_side are a side table holding
-- it; Sequelize.stringify writes the side table's keys too. (Not a weak table keyed by the
-- item: LuaJIT's are no ephemerons, and an instance that held its error would keep both.)
local SIDE_MT = { __index = ValidationErrorItem } -- (the side table's: the item's methods)
local function put_instance(t, v)
  local mt = getmt(t)
  if mt ~= ValidationErrorItem then
    mt.__json_side.instance = v
  elseif v ~= nil then
    local side = setmetatable({ instance = v }, SIDE_MT)
    setmetatable(t, { __index = side, __newindex = ValidationErrorItem.__newindex, __json_side = side,
                      __metatable = ValidationErrorItem })
  end
end
ValidationErrorItem.__newindex = function(t, k, v)
  if k == "instance" then put_instance(t, v) else rawset(t, k, v) end
end
local ORIGINS = { CORE = true, DB = true, FUNCTION = true }
local TYPE_ORIGINS = { ["notnull violation"] = "CORE", ["string violation"] = "CORE",
                       ["unique violation"] = "DB", ["validation error"] = "FUNCTION" }
-- (Sequelize's ValidationErrorItemOrigin and ValidationErrorItemType)
errors.ValidationErrorItemOrigin = { CORE = "CORE", DB = "DB", FUNCTION = "FUNCTION" }
errors.ValidationErrorItemType = {}
for k, v in pairs(TYPE_ORIGINS) do errors.ValidationErrorItemType[k] = v end
-- (Sequelize's statics ValidationErrorItem.Origins and ValidationErrorItem.TypeStringMap: the same tables)
ValidationErrorItem.Origins = errors.ValidationErrorItemOrigin
ValidationErrorItem.TypeStringMap = errors.ValidationErrorItemType

-- item:getValidatorKey([useTypeAsNS [, NSSeparator]]): "function.isemail" (the origin as a
-- namespace, "." by default), or without it "isemail"; "" when the item has no key.
function ValidationErrorItem:getValidatorKey(useTypeAsNS, sep)
  if getmetatable(self) ~= ValidationErrorItem then
    error(errors.new(errors.Error, ("item:getValidatorKey(...) is a method: call it with a colon, on a "
      .. "ValidationErrorItem (got %s)"):format(describe(self))), 2)
  end
  local useNS = (useTypeAsNS == nil or not not useTypeAsNS) and self.origin ~= nil and ORIGINS[self.origin]
  if sep == nil then sep = "." end
  if useNS and (type(sep) ~= "string" or sep == "") then
    error(errors.new(errors.Error, "Invalid namespace separator given, must be a non-empty string"), 2)
  end
  local key = self.validatorKey or self.validatorName
  if type(key) ~= "string" or key == "" then return "" end
  local s = useNS and (self.origin .. sep .. key) or key
  return (s:lower():gsub("^%s+", ""):gsub("%s+$", ""))
end

function errors.item(it)
  if it.validatorArgs == nil then it.validatorArgs = {} end
  if getmetatable(it.validatorArgs) == nil and next(it.validatorArgs) == nil then
    it.validatorArgs = setmetatable(it.validatorArgs, require("sequelua.expr").array_mt) -- ([] in JSON)
  end
  local inst = rawget(it, "instance")
  if getmetatable(it) ~= ValidationErrorItem then setmetatable(it, ValidationErrorItem) end
  if inst ~= nil then
    rawset(it, "instance", nil)
    put_instance(it, inst)
  end
  return it
end

-- Sequelize.ValidationErrorItem(message, type, path, value, instance, validatorKey,
-- fnName, fnArgs), as its constructor (a hook's own ValidationError items)
setmetatable(ValidationErrorItem, { __call = function(_, message, type_, path, value, instance, key, fnName, fnArgs)
  local origin, t = nil, nil
  if type(type_) == "string" then
    if ORIGINS[type_] then
      origin = type_
    else
      origin = TYPE_ORIGINS[(type_:lower():gsub("^%s+", ""):gsub("%s+$", ""))]
      if origin then t = type_ end
    end
  end
  return errors.item({ message = message == nil and "" or message, type = t, path = path, value = value,
                       instance = instance, validatorKey = key, validatorName = fnName, validatorArgs = fnArgs,
                       origin = origin })
end })

-- err:get(path): the items of that attribute, in order (Sequelize's ValidationError#get)
function errors.ValidationError:get(path)
  if not is_error(self) then not_error("get", self) end
  local out = list_of(nil) -- ([] in JSON when empty, as Sequelize's array)
  for _, it in ipairs(self.errors or {}) do
    if it.path == path then out[#out + 1] = it end
  end
  return out
end

-- A ValidationError from a list of items: message as Sequelize joins them.
function errors.validation(items)
  local parts = {}
  for i, it in ipairs(items) do
    errors.item(it)
    -- a type check (ENUM) reads as its bare message, as Sequelize's typeValidation does
    if it.bare then parts[i] = it.message; it.bare = nil
    else parts[i] = (it.type or it.origin) .. ": " .. it.message end
  end
  return errors.new(errors.ValidationError, table.concat(parts, ",\n"), { errors = items })
end

local code_names = {
  [1] = "SQLITE_ERROR", [2] = "SQLITE_INTERNAL", [3] = "SQLITE_PERM", [4] = "SQLITE_ABORT", [5] = "SQLITE_BUSY",
  [6] = "SQLITE_LOCKED", [7] = "SQLITE_NOMEM", [8] = "SQLITE_READONLY", [9] = "SQLITE_INTERRUPT",
  [10] = "SQLITE_IOERR", [11] = "SQLITE_CORRUPT", [13] = "SQLITE_FULL", [14] = "SQLITE_CANTOPEN",
  [17] = "SQLITE_SCHEMA", [18] = "SQLITE_TOOBIG", [19] = "SQLITE_CONSTRAINT", [20] = "SQLITE_MISMATCH",
  [21] = "SQLITE_MISUSE", [25] = "SQLITE_RANGE", [26] = "SQLITE_NOTADB",
}

local function parent_of(message, info)
  local code = info.code and info.code % 256 or nil
  return {
    code = code and code_names[code] or "SQLITE_ERROR",
    errno = code,
    extendedCode = info.code,
    message = message,
    sql = info.sql,
  }
end

-- Called by the binding: kind is usage|database|unique|foreignkey|connection|oom.
-- (parent and original are the one driver error, as Sequelize's DatabaseError sets both)
function errors.factory(kind, message, info)
  info = info or {}
  if kind == "unique" then
    local items, fields = {}, {}
    local cols = message:match("constraint failed: (.*)$") or ""
    for col in cols:gmatch("[^,%s]+") do
      local f = col:match("%.([^.]+)$") or col
      fields[#fields + 1] = f -- column names, as Sequelize's sqlite dialect gives them
      -- (value: the instance's, put in by the caller that has one; else null, as Sequelize's)
      items[#items + 1] = errors.item({ message = f .. " must be unique", type = "unique violation", path = f,
                                        value = require("sequelua.core").null,
                                        validatorKey = "not_unique", origin = "DB" })
    end
    local parent = parent_of(message, info)
    return errors.new(errors.UniqueConstraintError, "Validation error",
      { errors = items, fields = fields, parent = parent, original = parent, sql = info.sql })
  elseif kind == "foreignkey" then
    local parent = parent_of(message, info)
    return errors.new(errors.ForeignKeyConstraintError, message, { parent = parent, original = parent, sql = info.sql })
  elseif kind == "database" or kind == "oom" then
    local parent = parent_of(message, info)
    return errors.new(errors.DatabaseError, message, { parent = parent, original = parent, sql = info.sql })
  elseif kind == "txwait" then -- (transaction.lua's waits: how long this call may wait)
    return errors.new(errors.Error, message, { _wait = info.wait })
  elseif kind == "query" then
    return errors.new(errors.QueryError, message, {})
  elseif kind == "connection" then
    return errors.new(errors.ConnectionError, message, {})
  elseif kind == "timeout" then
    local parent = parent_of(message, info)
    return errors.new(errors.TimeoutError, message, { parent = parent, original = parent, sql = info.sql })
  elseif kind == "value" then
    return errors.new(errors.ValidationError, message,
      { errors = { errors.item({ message = message, type = "Validation error", path = info.detail, value = info.value,
                                 validatorKey = info.validatorKey or "type",
                                 -- (typeValidation's checks are Sequelize's DataType validators: FUNCTION)
                                 origin = info.validatorKey and "FUNCTION" or "CORE" }) } })
  end
  -- (a usage error; sql: the statement refused, a call's on a finished transaction)
  return errors.new(errors.Error, message, { sql = info.sql })
end

return errors
