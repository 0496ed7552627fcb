-- model.lua: define (checking and normalising the attribute and model options before
-- the C core builds the model) and the Model statics: build, create, bulkCreate, the
-- finders, aggregates, update, destroy, increment, sync. Rows never pass through Lua
-- loops here: the core reads and writes them.
local core = require("sequelua.core")
local DataTypes = require("sequelua.datatypes")
local errors = require("sequelua.errors")
local instance = require("sequelua.instance")
local H = require("sequelua.hooks")
local Expr = require("sequelua.expr")
local Paranoid = require("sequelua.paranoid")

local NULL = core.null
local Model = {}
Model.__index = Model
Model.__tostring = function(m) return "Model " .. m.name end

local function fail(msg, level) error(errors.new(errors.Error, msg), (level or 1) + 1) end

local ATTR_OPTS = {
  type = true, primaryKey = true, autoIncrement = true, allowNull = true, defaultValue = true, unique = true,
  field = true, references = true, onDelete = true, onUpdate = true, validate = true, get = true, set = true,
  comment = true, values = true,
}
-- charset, collate, comment and engine mean nothing to SQLite and are accepted as Sequelize
-- accepts them there. paranoid and deletedAt: paranoid.lua.
local MODEL_OPTS = {
  tableName = true, freezeTableName = true, timestamps = true, createdAt = true, updatedAt = true,
  underscored = true, name = true, indexes = true, modelName = true, validate = true, sequelize = true,
  charset = true, collate = true, comment = true, engine = true, hooks = true, defaultScope = true, scopes = true,
  paranoid = true, deletedAt = true, version = true, getterMethods = true, setterMethods = true,
  whereMergeStrategy = true,
}
-- validators the C core runs; `is`, `not` and functions run in Lua
local C_VALIDATORS = {
  isEmail = true, isUrl = true, isIP = true, isIPv4 = true, isIPv6 = true, isAlpha = true,
  isAlphanumeric = true, isNumeric = true, isInt = true, isFloat = true, isDecimal = true, isLowercase = true,
  isUppercase = true, isUUID = true, notEmpty = true, isIn = true, notIn = true, len = true, min = true,
  max = true, contains = true, notContains = true, equals = true, isDate = true, notNull = true,
  isAfter = true, isBefore = true, isNull = true, isHexadecimal = true, isOctal = true, isAscii = true,
  isBase64 = true, isHexColor = true, isBoolean = true, isPort = true, isMD5 = true, isMongoId = true,
  isSlug = true, isJSON = true, isLuhnNumber = true, isCreditCard = true,
}
local ACTIONS = { CASCADE = true, ["SET NULL"] = true, ["SET DEFAULT"] = true, RESTRICT = true,
                  ["NO ACTION"] = true }

local function action(model, attr, what, v)
  if v == nil then return nil end
  local up = type(v) == "string" and v:upper() or nil
  if not up or not ACTIONS[up] then
    fail(("%s.%s: %s must be one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION (got %s)")
      :format(model, attr, what, tostring(v)), 4)
  end
  return up
end

-- The validatorArgs of a built-in validator's error item, as Sequelize's instance-validator
-- extracts them: `args` (or the option itself), a list as given, anything else in a list;
-- isAlpha, isAlphanumeric (not given a locale string) and isIP: none; isEmail / isUrl
-- with `true` or `{ msg }`: an options table ({}, or { msg = ... }).
local function validator_args(key, v)
  if (key == "isEmail" or key == "isUrl" or key == "isURL") then
    if type(v) == "table" and v.msg ~= nil then v = { msg = v.msg } elseif v == true then v = {} end
  end
  local a = v
  if type(v) == "table" and v.args ~= nil then a = v.args end
  if type(a) == "table" and a[1] ~= nil then
    local copy = {}
    for i, x in ipairs(a) do copy[i] = x end
    return copy
  end
  if key == "isIP" or ((key == "isAlpha" or key == "isAlphanumeric") and type(a) ~= "string") then return {} end
  return { a }
end

-- validate = { ... } -> C validator specs and Lua validators; each carries `vargs`, its
-- error items' validatorArgs (a function: none, as Sequelize gives a custom validator)
local function normalise_validators(model, attr, spec)
  local cv, lv = {}, {}
  if spec == nil then return cv, lv end
  if type(spec) ~= "table" then fail(("%s.%s: validate must be a table"):format(model, attr), 4) end
  local keys = {}
  for k in pairs(spec) do
    if type(k) ~= "string" then fail(("%s.%s: validator names must be strings"):format(model, attr), 4) end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local v = spec[key]
    if type(v) == "function" then
      lv[#lv + 1] = { key = key, fn = v }
    elseif v ~= false then
      local msg, args = nil, v
      if type(v) == "table" and (v.msg ~= nil or v.args ~= nil) then msg, args = v.msg, v.args end
      if args == nil then args = true end
      if key == "is" or key == "not" then
        local pattern = type(args) == "table" and args[1] or args
        if type(pattern) ~= "string" then
          fail(("%s.%s: validator %s needs a Lua pattern string"):format(model, attr, key), 4)
        end
        lv[#lv + 1] = { key = key, pattern = pattern, msg = msg, vargs = validator_args(key, v) }
      elseif C_VALIDATORS[key] then
        local c = { key = key, msg = msg, vargs = validator_args(key, v) }
        if key == "isIn" or key == "notIn" then
          local list = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or nil
          if not list then fail(("%s.%s: %s needs a list of values"):format(model, attr, key), 4) end
          c.list = {}
          for i, x in ipairs(list) do c.list[i] = tostring(x) end
        elseif key == "len" then
          if type(args) ~= "table" or (args[1] ~= nil and type(args[1]) ~= "number")
             or (args[2] ~= nil and type(args[2]) ~= "number") then
            fail(("%s.%s: len needs { min, max } (numbers)"):format(model, attr), 4)
          end
          c.a, c.b = args[1] or 0, args[2]
        elseif key == "min" or key == "max" then
          local n = type(args) == "table" and args[1] or args
          if type(n) ~= "number" then fail(("%s.%s: %s needs a number"):format(model, attr, key), 4) end
          c.a = n
        elseif key == "isAfter" or key == "isBefore" then
          -- validator.js: a date string, or { comparisonDate = "..." }; anything else (true:
          -- "now" is not a string there) makes toDate throw on every value: refused here
          local d = type(args) == "table" and (args.comparisonDate or args[1]) or args
          if type(d) ~= "string" then
            fail(("%s.%s: %s needs a date string (or { comparisonDate = ... })"):format(model, attr, key), 4)
          end
          c.list = { d }
        elseif key == "contains" or key == "notContains" or key == "equals" then
          local s = type(args) == "table" and args[1] or args
          c.list = { tostring(s) }
        elseif key == "isInt" or key == "isFloat" then
          -- validator.js options { min, max } (inclusive); the core takes the bounds as a, b
          local o = type(args) == "table" and (type(args[1]) == "table" and args[1] or args) or {}
          for k in pairs(o) do
            if k ~= "min" and k ~= "max" then
              fail(("%s.%s: %s option '%s' is not supported (min, max are)"):format(model, attr, key, tostring(k)), 4)
            end
          end
          if (o.min ~= nil and type(o.min) ~= "number") or (o.max ~= nil and type(o.max) ~= "number") then
            fail(("%s.%s: %s min and max must be numbers"):format(model, attr, key), 4)
          end
          c.a, c.b = o.min or -math.huge, o.max or math.huge
        elseif key == "isUUID" then
          -- a version (1 to 8), "all" / true: any version, "loose": any hex digits in
          -- UUID form (validator.js; the core reads a = 0 as loose)
          local ver = type(args) == "table" and args[1] or args
          if ver == "loose" then
            c.a = 0
          elseif ver ~= true and ver ~= "all" then
            local n = tonumber(ver)
            if not (n and n == math.floor(n) and n >= 1 and n <= 8 and (type(ver) == "number" or ver:match("^%d$"))) then
              fail(("%s.%s: isUUID takes a version 1 to 8, 'all' or 'loose'"):format(model, attr), 4)
            end
            c.a = n
          end
        elseif args ~= true and key ~= "notNull" then
          -- (an option the core would not apply: refused rather than silently ignored)
          fail(("%s.%s: options for validator %s are not supported (%s)"):format(model, attr, key, tostring(args)), 4)
        end
        cv[#cv + 1] = c
      else
        fail(("%s.%s: unknown validator '%s'"):format(model, attr, key), 4)
      end
    end
  end
  return cv, lv
end

-- the message of an error caught by pcall (an error object's, or the value's)
local function err_text(e) return type(e) == "table" and tostring(e.message) or tostring(e) end

local function normalise_attr(sequelize, model, name, def, underscored)
  if type(name) ~= "string" or name == "" then fail(("%s: attribute names must be non-empty strings"):format(model), 3) end
  if not core.is_name(name) then
    fail(("%s: attribute names must be valid UTF-8 without NUL bytes"):format(model), 3)
  end
  if DataTypes.is_type(def) then def = { type = def } end
  if type(def) ~= "table" then
    fail(("%s.%s: expected a DataTypes value or an attribute definition table, got %s"):format(model, name, type(def)), 3)
  end
  for k in pairs(def) do
    if not ATTR_OPTS[k] then fail(("%s.%s: unknown attribute option '%s'"):format(model, name, tostring(k)), 3) end
  end
  local t = def.type
  if t == nil then fail(('Unrecognized datatype for attribute "%s.%s"'):format(model, name), 3) end
  if not DataTypes.is_type(t) then
    fail(("%s.%s: type must be a DataTypes value, got %s"):format(model, name, tostring(t)), 3)
  end
  if t.key == "ENUM" and not t.values and type(def.values) == "table" then t = t(def.values) end
  if t.key == "ENUM" and (not t.values or #t.values == 0) then
    fail(("%s.%s: Values for ENUM have not been defined."):format(model, name), 3)
  end
  local unique, unique_msg = def.unique, nil
  if type(unique) == "table" then -- { name = group, msg = message } (Sequelize)
    if unique.name ~= nil and type(unique.name) ~= "string" then
      fail(("%s.%s: unique.name must be a string"):format(model, name), 3)
    end
    unique_msg = unique.msg
    unique = unique.name or true
  elseif unique ~= nil and type(unique) ~= "boolean" and type(unique) ~= "string" then
    fail(("%s.%s: unique must be true, a group name or { name, msg }"):format(model, name), 3)
  end
  local n = { name = name, type = t, primaryKey = def.primaryKey, autoIncrement = def.autoIncrement,
              allowNull = def.allowNull, unique = unique, unique_msg = unique_msg, onDelete = nil, onUpdate = nil }
  if def.field ~= nil and (type(def.field) ~= "string" or def.field == "" or not core.is_name(def.field)) then
    fail(("%s.%s: field must be a non-empty string of valid utf-8 without NUL bytes"):format(model, name), 3)
  end
  n.field = def.field or (underscored and core.underscore(name) or name)
  local dv = def.defaultValue
  if type(dv) == "number" and (dv ~= dv or dv == math.huge or dv == -math.huge) then
    fail(("%s.%s: defaultValue must be a finite number"):format(model, name), 3)
  end
  if type(dv) == "thread" or (type(dv) == "userdata" and dv ~= NULL) then
    fail(("%s.%s: defaultValue must be a value, a function, DataTypes.NOW / UUIDV4 / UUIDV1 or Sequelize.literal, got %s")
      :format(model, name, type(dv)), 3)
  end
  if type(dv) == "number" and (t.key == "DATE" or t.key == "DATEONLY") then
    -- seconds since the epoch, as a date value may be given: the date itself in the DDL
    dv = core.sanitize_date(dv, t.key == "DATEONLY")
  end
  if DataTypes.is_default(dv) then
    n.defaultKind = dv.kind
  elseif type(dv) == "function" then
    n.default_fn = dv -- called for each build without a value (Sequelize), in Lua: not in the DDL
  elseif Expr.is(dv) then
    -- Sequelize.literal / fn: the column's DEFAULT, written as Sequelize escapes it
    -- (`DEFAULT CURRENT_TIMESTAMP`; an fn, `DEFAULT upper('x')`, which SQLite refuses at sync
    -- as it does Sequelize's); an INSERT without a value leaves the column to the database
    local ok, text = pcall(Expr.escape, dv)
    if not ok then
      fail(("%s.%s: defaultValue: %s"):format(model, name, err_text(text)), 3)
    end
    n.defaultSQL, n.default_expr = text, dv
  elseif type(dv) == "table" then
    -- a JSON value: encoded here, so that a value that cannot be (a function inside, a
    -- cycle) fails before the core holds anything
    local ok, text = pcall(core.stringify, dv)
    if not ok then
      fail(("%s.%s: defaultValue cannot be stored as JSON (%s)"):format(model, name, err_text(text)), 3)
    end
    n.defaultValue, n.default_table = text, dv
  else
    n.defaultValue = dv
  end
  if def.references ~= nil then
    local r = def.references
    local target, key
    if type(r) == "string" then target = r elseif type(r) == "table" then target, key = r.model, r.key end
    if type(target) == "table" and target.tableName then target = target.tableName end
    if type(target) ~= "string" then
      fail(("%s.%s: references.model must be a model or a table name"):format(model, name), 3)
    end
    n.references = { table = target, key = key }
  end
  n.onDelete = action(model, name, "onDelete", def.onDelete)
  n.onUpdate = action(model, name, "onUpdate", def.onUpdate)
  n.validators, n.lua_validators = normalise_validators(model, name, def.validate)
  if type(def.validate) == "table" and def.validate.notNull ~= nil and def.allowNull ~= false then
    fail(('Invalid definition for "%s.%s", "notNull" validator is only allowed with "allowNull:false"')
      :format(model, name), 3)
  end
  n.get, n.set = def.get, def.set
  if n.get ~= nil and type(n.get) ~= "function" then fail(("%s.%s: get must be a function"):format(model, name), 3) end
  if n.set ~= nil and type(n.set) ~= "function" then fail(("%s.%s: set must be a function"):format(model, name), 3) end
  return n
end

Model._normalise_attr = normalise_attr -- (the query interface's createTable, addColumn, changeColumn)
Model._fk_action = action -- (the associations' onDelete / onUpdate)

-- A VIRTUAL attribute (no column): its getter, setter and Lua validators, kept on the model
-- (M._virtuals); the core never sees it, but for its built-in validators (a core checker).
local VIRTUAL_OPTS = { type = true, get = true, set = true, validate = true, allowNull = true, comment = true,
                       defaultValue = true }
local function is_virtual(def)
  local t = DataTypes.is_type(def) and def or (type(def) == "table" and def.type)
  return DataTypes.is_type(t) and t.key == "VIRTUAL"
end

local function normalise_virtual(sequelize, model, name, def)
  if type(name) ~= "string" or name == "" or not core.is_name(name) then
    fail(("%s: attribute names must be non-empty strings of valid UTF-8"):format(model), 3)
  end
  if DataTypes.is_type(def) then def = { type = def } end
  for k in pairs(def) do
    if not VIRTUAL_OPTS[k] then
      fail(("%s.%s: the option '%s' is not supported on a VIRTUAL attribute"):format(model, name, tostring(k)), 3)
    end
  end
  if def.get ~= nil and type(def.get) ~= "function" then fail(("%s.%s: get must be a function"):format(model, name), 3) end
  if def.set ~= nil and type(def.set) ~= "function" then fail(("%s.%s: set must be a function"):format(model, name), 3) end
  local dv = def.defaultValue
  if dv ~= nil and (DataTypes.is_default(dv) or Expr.is(dv) or (type(dv) ~= "function" and type(dv) ~= "string"
     and type(dv) ~= "number" and type(dv) ~= "boolean" and type(dv) ~= "table")) then
    fail(("%s.%s: the defaultValue of a VIRTUAL attribute must be a value or a function"):format(model, name), 3)
  end
  local cv, lv = normalise_validators(model, name, def.validate)
  local checker
  if #cv > 0 then -- (checked as the return type's values: isAfter on a DATE compares dates)
    checker = core.checker(sequelize._db, { name = name, field = name, validators = cv,
                                            type = def.type.returnType or DataTypes.TEXT })
  end
  local fields = def.type.fields
  for _, f in ipairs(fields or {}) do
    if type(f) ~= "string" then fail(("%s.%s: VIRTUAL fields must be attribute names"):format(model, name), 3) end
  end
  return { name = name, get = def.get, set = def.set, validators = lv, allowNull = def.allowNull,
           checker = checker, builtin = cv, defaultValue = dv,
           fields = fields, raw = { fieldName = name, type = def.type, _virtual = true, allowNull = def.allowNull ~= false,
                                     defaultValue = dv } }
end

-- getterMethods / setterMethods (Sequelize v5's model options, still taken by v6): a name
-- that is an attribute gets that get / set; any other becomes a VIRTUAL attribute with them,
-- kept out of rawAttributes (`gm`). Returns the attributes with them merged (a copy).
local function merge_methods(model, attributes, gm, sm)
  local out, names = {}, {}
  for k, v in pairs(attributes) do out[k] = v end
  for what, t in pairs({ getterMethods = gm or {}, setterMethods = sm or {} }) do
    if type(t) ~= "table" then fail(("%s: %s must be a table of functions"):format(model, what), 4) end
    for k, fn in pairs(t) do
      if type(k) ~= "string" or type(fn) ~= "function" then
        fail(("%s: %s must map names to functions"):format(model, what), 4)
      end
      names[k] = true
    end
  end
  local virt = {}
  for k in pairs(names) do
    local g, st = gm and gm[k], sm and sm[k]
    local def = out[k]
    if def ~= nil then
      if DataTypes.is_type(def) then def = { type = def } end
      if type(def) == "table" then
        local d = {}
        for key, v in pairs(def) do d[key] = v end
        if g and d.get == nil then d.get = g end
        if st and d.set == nil then d.set = st end
        out[k] = d
      end
    else
      out[k] = { type = DataTypes.VIRTUAL, get = g, set = st }
      virt[k] = true
    end
  end
  return out, virt
end

-- Sequelize:define(name, attributes, options)
function Model.define(sequelize, name, attributes, options)
  if type(name) ~= "string" or name == "" then fail("define: the model name must be a non-empty string", 2) end
  if not core.is_name(name) then fail("define: the model name must be valid UTF-8 without NUL bytes (utf-8)", 2) end
  attributes = attributes or {}
  options = options or {}
  if type(attributes) ~= "table" then fail(("%s: attributes must be a table"):format(name), 2) end
  if type(options) ~= "table" then fail(("%s: options must be a table"):format(name), 2) end
  for k in pairs(options) do
    if not MODEL_OPTS[k] then fail(("%s: unknown model option '%s'"):format(name, tostring(k)), 2) end
  end
  local wms = options.whereMergeStrategy
  if wms ~= nil and wms ~= "and" and wms ~= "overwrite" then
    fail(("%s: whereMergeStrategy must be \"and\" or \"overwrite\", got %s"):format(name, tostring(wms)), 2)
  end
  if Model._check_scopes then Model._check_scopes(name, options) end
  local methods
  if options.getterMethods ~= nil or options.setterMethods ~= nil then
    if type(attributes) ~= "table" then fail(("%s: attributes must be a table"):format(name), 2) end
    attributes, methods = merge_methods(name, attributes, options.getterMethods, options.setterMethods)
  end
  local underscored = options.underscored == true
  local list, keys = {}, {}
  for k in pairs(attributes) do
    if type(k) ~= "string" then fail(("%s: attribute names must be strings, got %s"):format(name, type(k)), 2) end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local virtuals = {}
  for _, k in ipairs(keys) do
    if is_virtual(attributes[k]) then
      virtuals[#virtuals + 1] = normalise_virtual(sequelize, name, k, attributes[k])
      if methods and methods[k] then virtuals[#virtuals].raw = nil end -- (not an attribute in Sequelize)
    else
      list[#list + 1] = normalise_attr(sequelize, name, k, attributes[k], underscored)
    end
  end
  local timestamps = options.timestamps ~= false
  local created, updated = options.createdAt, options.updatedAt
  if created == nil or created == true then created = "createdAt" end
  if updated == nil or updated == true then updated = "updatedAt" end
  if created ~= false and (type(created) ~= "string" or created == "" or not core.is_name(created)) then
    fail(name .. ": createdAt must be a name or false", 2)
  end
  if updated ~= false and (type(updated) ~= "string" or updated == "" or not core.is_name(updated)) then
    fail(name .. ": updatedAt must be a name or false", 2)
  end
  local paranoid, deleted = Paranoid.define_options(name, options, timestamps, 2)
  if #virtuals > 0 then -- (checked before the core makes the model: a refused define leaves nothing)
    local known = { id = true, [created or ""] = true, [updated or ""] = true }
    for _, a in ipairs(list) do known[a.name] = true end
    for _, v in ipairs(virtuals) do
      for _, f in ipairs(v.fields or {}) do
        if not known[f] then fail(("%s.%s: VIRTUAL fields name an unknown attribute '%s'"):format(name, v.name, f), 2) end
      end
    end
  end
  local nm = options.name or {}
  if type(nm) ~= "table" or (nm.singular ~= nil and type(nm.singular) ~= "string")
     or (nm.plural ~= nil and type(nm.plural) ~= "string") then
    fail(("%s: the option name must be { singular = string, plural = string }"):format(name), 2)
  end
  local opts = {
    tableName = options.tableName, freezeTableName = options.freezeTableName == true, timestamps = timestamps,
    createdAt = created or nil, updatedAt = updated or nil, underscored = underscored,
    singular = nm.singular, plural = nm.plural, deletedAt = deleted,
  }
  local version = options.version
  if version == true then version = "version" elseif version == false then version = nil end
  if version ~= nil and (type(version) ~= "string" or version == "" or not core.is_name(version)) then
    fail(name .. ": version must be true, false or an attribute name", 2)
  end
  opts.version = version
  if opts.tableName ~= nil and (type(opts.tableName) ~= "string" or opts.tableName == ""
                                 or not core.is_name(opts.tableName)) then
    fail(name .. ": tableName must be a non-empty string of valid UTF-8 without NUL bytes", 2)
  end
  local indexes = options.indexes
  if indexes ~= nil then
    if type(indexes) ~= "table" then fail(name .. ": indexes must be a list of { fields = {...} }", 2) end
    local checked = {}
    for i, ix in ipairs(indexes) do checked[i] = Model.check_index(name, i, ix, 2) end
    indexes = checked
  end
  -- one autoIncrement attribute at most, the `id` added without a primary key among them
  -- (Sequelize's _findAutoIncrementAttribute)
  local autos, has_pk, has_id = 0, false, false
  for _, a in ipairs(list) do
    if a.autoIncrement then autos = autos + 1 end
    if a.primaryKey then has_pk = true end
    if a.name == "id" then has_id = true end
  end
  if not has_pk and not has_id then autos = autos + 1 end
  if autos > 1 then fail(name .. ": Invalid Instance definition. Only one autoincrement field allowed.", 2) end
  local box = core.define(sequelize._db, name, list, opts)
  local by_name = {}
  for _, a in ipairs(list) do by_name[a.name] = a end
  if version then
    -- the version is read-only once the row exists (Sequelize's _readOnlyAttributes: set ignores it)
    local src = by_name[version] or { defaultValue = 0 }
    by_name[version] = src
    local own = src.set
    src.set = function(self, v)
      if rawget(self, "isNewRecord") then
        if own then own(self, v) else self:setDataValue(version, v) end
      end
    end
  end
  local M = Model.wrap(sequelize, box, by_name, { timestamps = timestamps, underscored = underscored,
    freezeTableName = opts.freezeTableName })
  M._indexes = indexes
  -- (the time stamp names given, the db's define options among them: a join model an n:m
  -- of this model defines takes them first, as Sequelize copies source.options into it)
  M._stamp_opts = { createdAt = options.createdAt, updatedAt = options.updatedAt, deletedAt = options.deletedAt }
  if #virtuals > 0 then
    for _, v in ipairs(virtuals) do
      if M._index[v.name] then fail(("%s.%s: a VIRTUAL attribute cannot share a column's name"):format(name, v.name), 2) end
    end
    Model.set_virtuals(M, virtuals)
  end
  M.options.paranoid = paranoid
  M.options.version = options.version or false
  M.options.whereMergeStrategy = options.whereMergeStrategy -- (scope.lua: "and" joins scope wheres with AND)
  M._version = version
  if options.validate ~= nil then
    -- model-level validators: function(instance), raising to fail
    if type(options.validate) ~= "table" then fail(name .. ": validate must be a table of functions", 2) end
    local list = {}
    for k, fn in pairs(options.validate) do
      if type(k) ~= "string" or type(fn) ~= "function" then
        fail(name .. ": validate must map names to functions", 2)
      end
      list[#list + 1] = { key = k, fn = fn }
    end
    table.sort(list, function(x, y) return x.key < y.key end)
    M._model_validators = list
  end
  H.setup(M, options.hooks, 2)
  if Model._define_scopes then Model._define_scopes(M, options) end
  return M
end

-- An index definition (the `indexes` model option, queryInterface:addIndex) checked and
-- normalised as Sequelize 6 takes it on sqlite:
--   fields: names, or { name | attribute, order = "ASC"|"DESC", collate = NAME, length, operator }
--     (attribute wins over name for the column, as in Sequelize; length and operator are
--     dropped: Sequelize's sqlite dialect supports neither)
--   unique, or type = "UNIQUE"; name; where (a where tree, as findAll's: a partial index)
--   using, concurrently, parser, prefix: dropped on sqlite as Sequelize drops them (prefix
--     only names an index queryInterface:addIndex makes without a name)
-- type FULLTEXT / SPATIAL (MySQL's) make a plain index, as Sequelize's sqlite dialect does.
-- Returns { name?, unique, where?, prefix?, fields = { { attr, label, order?, collate? } } }.
-- owner and i (nil for none) name the index in errors; level: the caller's, as fail's.
local IX_OPTS = { fields = true, unique = true, name = true, where = true, type = true, using = true,
                  concurrently = true, parser = true, operator = true, prefix = true }
local IX_FIELD_OPTS = { name = true, attribute = true, order = true, collate = true, length = true, operator = true }

function Model.check_index(owner, i, ix, level)
  level = level + 1
  local label = owner .. ": index" .. (i and " " .. tostring(i) or "")
  if type(ix) == "table" and type(ix.name) == "string" then label = ("%s (%s)"):format(label, ix.name) end
  local function bad(msg) fail(label .. ": " .. msg, level + 1) end
  if type(ix) ~= "table" or type(ix.fields) ~= "table" or #ix.fields == 0 then
    fail(label .. " needs fields = { ... }", level)
  end
  for k in pairs(ix) do
    if not IX_OPTS[k] then bad(("the option '%s' is not supported"):format(tostring(k))) end
  end
  if ix.name ~= nil and (type(ix.name) ~= "string" or ix.name == "" or not core.is_name(ix.name)) then
    bad("name must be a string")
  end
  local unique = ix.unique ~= nil and ix.unique ~= false
  if ix.type ~= nil then
    local t = type(ix.type) == "string" and ix.type:upper() or nil
    if t == "UNIQUE" then
      unique = true
    elseif t == "FULLTEXT" or t == "SPATIAL" then -- luacheck: ignore 542
      -- (MySQL's: SQLite has neither; a plain index, as Sequelize's sqlite dialect makes, so that
      -- a model shared with MySQL loads)
    elseif t ~= "" then
      bad(("type must be \"UNIQUE\", got %s"):format(tostring(ix.type)))
    end
  end
  for _, k in ipairs({ "using", "parser", "operator", "prefix" }) do
    if ix[k] ~= nil and type(ix[k]) ~= "string" then bad(k .. " must be a string") end
  end
  if ix.concurrently ~= nil and type(ix.concurrently) ~= "boolean" then bad("concurrently must be true or false") end
  if ix.where ~= nil and type(ix.where) ~= "table" then bad("where must be a where table, as findAll takes") end
  local fields = {}
  for j, f in ipairs(ix.fields) do
    local out
    if type(f) == "string" then
      out = { attr = f, label = f }
    elseif type(f) == "table" and not Expr.is(f) and type(f.attribute or f.name) == "string" then
      for k in pairs(f) do
        if not IX_FIELD_OPTS[k] then bad(("the field option '%s' is not supported"):format(tostring(k))) end
      end
      local attr = f.attribute or f.name
      out = { attr = attr, label = f.name or f.attribute }
      if f.order ~= nil then
        local o = type(f.order) == "string" and f.order:upper() or nil
        if o ~= "ASC" and o ~= "DESC" then
          bad(("field '%s': order must be \"ASC\" or \"DESC\", got %s"):format(attr, tostring(f.order)))
        end
        out.order = o
      end
      if f.collate ~= nil then
        if type(f.collate) ~= "string" or not f.collate:match("^[%a_][%w_]*$") or #f.collate > 64 then
          bad(("field '%s': collate must be a collation name (letters, digits, _), like \"NOCASE\", got %s")
            :format(attr, tostring(f.collate)))
        end
        out.collate = f.collate
      end
      if f.length ~= nil and (type(f.length) ~= "number" or f.length < 1 or f.length % 1 ~= 0) then
        bad(("field '%s': length must be a positive integer"):format(attr))
      end
      if f.operator ~= nil and type(f.operator) ~= "string" then
        bad(("field '%s': operator must be a string"):format(attr))
      end
    elseif Expr.is(f) then
      -- (Sequelize names an unnamed index by its fields' names: an expression has none)
      out = { expr = f, label = "" }
    else
      bad(("fields must be attribute names or { name = ... } tables (field %d)"):format(j))
    end
    fields[j] = out
  end
  return { name = ix.name, unique = unique, where = ix.where, prefix = ix.prefix, fields = fields }
end

local function with_dry(spec)
  local o = {}
  for k, v in pairs(spec) do o[k] = v end
  o.dry = true
  return o
end

-- The attribute an index field names: an attribute name, or a column name (Sequelize writes
-- the names given), resolved once the attribute is there (associations add keys later)
local function index_attr(M, f)
  if f.attr and not M._index[f.attr] then
    for _, a in ipairs(M._attrs) do
      if a.field == f.attr then f.attr = a.fieldName; break end
    end
  end
  return f.attr
end

-- CREATE [UNIQUE] INDEX for the model's `indexes` option, named as Sequelize names them
-- (underscore("<table>_<fields>") unless given), once (an index of that name is kept).
-- dry: every index checked and written, nothing run (sync does this before any DDL).
function Model.create_indexes(M, opts, dry)
  for _, ix in ipairs(M._indexes or {}) do
    local cols, names = {}, {}
    for i, f in ipairs(ix.fields) do
      names[i] = f.label
      if f.expr then
        cols[i] = { expr = f.expr }
      else
        local raw = M.rawAttributes[index_attr(M, f)]
        if not raw then fail(("%s: index on unknown attribute '%s'"):format(M.name, tostring(f.attr)), 3) end
        cols[i] = { column = raw.field or f.attr, order = f.order, collate = f.collate }
      end
    end
    local name = ix.name or core.underscore(M.tableName .. "_" .. table.concat(names, "_"))
    local spec = { table = M.tableName, name = name, unique = ix.unique, fields = cols, where = ix.where,
                   model = M._box, exists_ok = true, dry = dry }
    local remake = false
    if not dry and opts and opts.alter then
      -- sync { alter = true }: an index of that name defined otherwise is made again as the
      -- model says (Sequelize's sqlite alter rebuilds every table, losing its indexes, and
      -- then makes the model's)
      local ok, want = pcall(core.create_index, M.sequelize._db, with_dry(spec), { logging = false })
      local have = ok and M.sequelize:query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
        { replacements = { name }, type = "SELECT", logging = false, transaction = opts.transaction })[1]
      remake = have and type(have.sql) == "string" and have.sql:gsub("[;%s]+$", "") ~= want:gsub("[;%s]+$", "")
    end
    local ok, err
    if remake then
      -- dropped and made again together: when the rows cannot take the new index (a unique
      -- one over duplicates), the old one stays (Sequelize's failed alter leaves it too)
      ok, err = pcall(M.sequelize._atomic, M.sequelize, { transaction = opts.transaction, logging = opts.logging },
        function(t)
          local o = {}
          for k, v in pairs(opts) do o[k] = v end
          o.transaction = t
          core.drop_index(M.sequelize._db, name, o)
          core.create_index(M.sequelize._db, spec, o)
        end)
    else
      ok, err = pcall(core.create_index, M.sequelize._db, spec, dry and { logging = false } or opts)
    end
    if not ok then
      -- a bad where (an unknown attribute, a value with no SQL literal) names the index
      if type(err) == "table" and err.name == "Error" then err.message = ("%s: index %s: %s"):format(M.name, name, err.message) end
      error(err, 0)
    end
  end
end

-- A Model table around a core model box (from define, or a through model made by name).
function Model.wrap(sequelize, box, by_name, o)
  local info = core.model_info(box)
  local M = setmetatable({
    name = info.name,
    sequelize = sequelize,
    options = { name = { singular = info.singular, plural = info.plural }, timestamps = o.timestamps,
                underscored = o.underscored, freezeTableName = o.freezeTableName },
    associations = {},
    rawAttributes = {},
    primaryKeyAttributes = {},
    _box = box,
    _index = {},                  -- attribute name -> slot
    _readonly = {},               -- the time stamps: name -> true (Sequelize's _readOnlyAttributes); primary keys: "pk"
    _by_name = by_name or {},
    _lua_validators = nil,        -- name -> list
    _getters = nil,
    _setters = nil,
  }, Model)
  Model.refresh(M, info)
  M._mt = instance.metatable(M)
  M.prototype = M._methods -- (instance methods a caller adds: Sequelize's Model.prototype)
  core.set_model(box, "mt", M._mt)
  sequelize._mts[info.id] = M._mt
  return M
end

-- The model's VIRTUAL attributes: M._virtuals (name -> spec), the instance metatable's
-- __virtuals (the list the core's toJSON reads: { name, get }, by name), rawAttributes.
function Model.set_virtuals(M, list)
  M._virtuals, M._virtual_list, M._virtual_defaults = {}, list, nil
  local mtlist = {}
  M._mt.__gm = nil
  for i, v in ipairs(list) do
    M._virtuals[v.name] = v
    if v.defaultValue ~= nil then
      M._virtual_defaults = M._virtual_defaults or {}
      M._virtual_defaults[#M._virtual_defaults + 1] = v
    end
    -- (gm: a getterMethods getter, no attribute: toJSON leaves it out of rows read)
    mtlist[i] = { name = v.name, get = v.get, fields = v.fields, gm = v.raw == nil or nil }
    if v.raw == nil then M._mt.__gm = true end
    M.rawAttributes[v.name] = v.raw
    if #v.validators > 0 or v.checker or v.allowNull == false then
      M._virtual_checks = M._virtual_checks or {}
      M._virtual_checks[#M._virtual_checks + 1] = v
    end
  end
  M._mt.__virtuals = mtlist
  M._plain_updates = nil
end

-- Model.removeAttribute(name) (Sequelize): the attribute goes from the model (a VIRTUAL one
-- too); `id` removed leaves a model without a primary key. Before the model is used: instances
-- built earlier keep the old layout. An association's key cannot go.
function Model:removeAttribute(name)
  if type(name) ~= "string" then fail(("%s.removeAttribute: expected an attribute name"):format(self.name), 2) end
  local v = self._virtuals and self._virtuals[name]
  if v then
    local list = {}
    for _, x in ipairs(self._virtual_list) do if x ~= v then list[#list + 1] = x end end
    self.rawAttributes[name], self._virtual_checks = nil, nil
    if #list > 0 then
      Model.set_virtuals(self, list)
    else
      self._virtuals, self._virtual_list, self._mt.__virtuals, self._plain_updates = nil, nil, nil, nil
      self._mt.__gm = nil
    end
    return
  end
  local ok, err = pcall(core.remove_attr, self._box, name)
  if not ok then error(err, 2) end
  self._by_name[name] = nil
  for _, k in ipairs({ "_default_fns", "_lua_validators", "_getters", "_setters", "_unique_msgs" }) do
    if self[k] then self[k][name] = nil end
  end
  Model.refresh(self)
end

-- A finder's attribute list with VIRTUAL names replaced by the attributes their getters read
-- (Sequelize); returns the list and the VIRTUAL attributes toJSON shows for it ({ name = true },
-- nil when the model has none): those the list names; with { exclude, include } every one not
-- excluded (whose fields are then read too).
function Model.unvirtual_attributes(M, attrs)
  local vs = M._virtuals
  if not vs or type(attrs) ~= "table" or getmetatable(attrs) then return attrs, nil end
  if attrs[1] == nil and (attrs.exclude ~= nil or attrs.include ~= nil) then
    local out, listed, excluded = {}, {}, {}
    for k, v in pairs(attrs) do out[k] = v end
    for _, key in ipairs({ "exclude", "include" }) do
      if type(attrs[key]) == "table" then
        local kept = {}
        for _, a in ipairs(attrs[key]) do
          if type(a) == "string" and vs[a] then
            if key == "exclude" then excluded[a] = true end
          else
            kept[#kept + 1] = a
          end
        end
        out[key] = kept
      end
    end
    local needed = {}
    for name, v in pairs(vs) do
      if not excluded[name] then
        listed[name] = true
        for _, f in ipairs(v.fields or {}) do needed[f] = true end
      end
    end
    if type(out.exclude) == "table" then -- (a shown VIRTUAL's fields are read: Sequelize)
      local kept = {}
      for _, a in ipairs(out.exclude) do if not needed[a] then kept[#kept + 1] = a end end
      out.exclude = kept
    end
    return out, listed
  end
  if attrs[1] == nil then return attrs, nil end
  local out, listed, seen = {}, {}, {}
  for _, a in ipairs(attrs) do
    if type(a) == "string" and vs[a] then
      listed[a] = true
      for _, f in ipairs(vs[a].fields or {}) do
        if not seen[f] then seen[f] = true; out[#out + 1] = f end
      end
    elseif not (type(a) == "string" and seen[a]) then
      if type(a) == "string" then seen[a] = true end
      out[#out + 1] = a
    end
  end
  if #out == 0 then
    -- (Sequelize's QueryError of its selectFromTableFragment)
    error(errors.new(errors.QueryError, ("Attempted a SELECT query for model '%s' as `%s` without selecting any columns")
      :format(M.name, M.name)), 4)
  end
  return out, listed
end

-- Re-read the model from the core (associations add key attributes). Tables that
-- instance metatables hold are updated in place.
function Model.refresh(M, info)
  info = info or core.model_info(M._box)
  M._info = info
  M.tableName = info.tableName
  M.options.tableName = info.tableName
  M.options.createdAt = info.createdAt or false
  M.options.updatedAt = info.updatedAt or false
  M.options.deletedAt = info.deletedAt or false
  -- a saved row's time stamps are not set but by raw set / setDataValue (Sequelize's set)
  local ro = M._readonly
  for k in pairs(ro) do ro[k] = nil end
  for _, k in ipairs({ "createdAt", "updatedAt", "deletedAt" }) do
    if M.options[k] then ro[M.options[k]] = true end
  end
  -- a primary key that holds a value is not set but by raw set / setDataValue either
  -- (Sequelize's set: `originalValue && _isPrimaryKey(key)` returns)
  for _, a in ipairs(info.attributes) do
    if a.primaryKey then ro[a.fieldName] = "pk" end
  end
  M.primaryKeyAttribute = info.primaryKeyAttribute
  M.primaryKeyField = nil -- (its column: Sequelize's primaryKeyField)
  for _, a in ipairs(info.attributes) do
    if a.fieldName == info.primaryKeyAttribute then M.primaryKeyField = a.field or a.fieldName end
  end
  M.autoIncrementAttribute = nil
  M._attrs = info.attributes
  for k in pairs(M._index) do M._index[k] = nil end
  for k in pairs(M.rawAttributes) do M.rawAttributes[k] = nil end
  for i = #M.primaryKeyAttributes, 1, -1 do M.primaryKeyAttributes[i] = nil end
  M._booleans = nil
  M._dates = nil
  M._json_attrs = nil
  for _, a in ipairs(info.attributes) do
    M._index[a.fieldName] = a.index
    M.rawAttributes[a.fieldName] = a
    if a.type.key == "BOOLEAN" then M._booleans = M._booleans or {}; M._booleans[a.fieldName] = true end
    if a.type.key == "DATE" or a.type.key == "DATEONLY" then -- (false: DATE, true: DATEONLY)
      M._dates = M._dates or {}
      M._dates[a.fieldName] = a.type.key == "DATEONLY"
    end
    if a.type.key == "JSON" then M._json_attrs = M._json_attrs or {}; M._json_attrs[a.fieldName] = true end
    if a.type.key == "ENUM" then a.values = a.type.values end -- (Sequelize's rawAttributes.x.values)
    if a.autoIncrement then M.autoIncrementAttribute = a.fieldName end
    if a.primaryKey then M.primaryKeyAttributes[#M.primaryKeyAttributes + 1] = a.fieldName end
    local src = M._by_name[a.fieldName]
    if src then
      a.defaultValue = src.default_table or src.default_expr or src.defaultValue
      if src.unique_msg then -- the message of a unique violation on this column (its group's)
        M._unique_msgs = M._unique_msgs or {}
        M._unique_msgs[a.field or a.fieldName] = src.unique_msg -- (by column: errors name columns)
      end
      if src.default_fn then
        a.defaultValue = src.default_fn
        M._default_fns = M._default_fns or {}
        M._default_fns[a.fieldName] = src.default_fn
      end
      if src.lua_validators and #src.lua_validators > 0 then
        M._lua_validators = M._lua_validators or {}
        M._lua_validators[a.fieldName] = src.lua_validators
      end
      if src.get then M._getters = M._getters or {}; M._getters[a.fieldName] = src.get end
      if src.set then M._setters = M._setters or {}; M._setters[a.fieldName] = src.set end
    end
  end
  for _, v in ipairs(M._virtual_list or {}) do M.rawAttributes[v.name] = v.raw end
  M.tableAttributes = M.rawAttributes
  M._plain_updates = nil
  if M._mt then M._mt.__getters = M._getters end
end

-- ---------------------------------------------------------------------------
-- statics

local function copy(t)
  local n = {}
  if t then for k, v in pairs(t) do n[k] = v end end
  return n
end

local function check_opts(M, opts, what)
  if getmetatable(M) ~= Model then -- (Model.findAll{...} for Model:findAll{...})
    error(errors.new(errors.Error, ("Model:%s(...) is a method: call it with a colon, on a Model (got %s)")
      :format(what, type(M))), 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    fail(("%s.%s: options must be a table, got %s"):format(M.name, what, type(opts)), 3)
  end
  if opts and opts.fields ~= nil and type(opts.fields) ~= "table" then
    fail(("%s.%s: options.fields must be a list of attribute names"):format(M.name, what), 3)
  end
  return opts
end

function Model:getTableName() return self.tableName end

-- Model:describe([opts]): its table as the query interface describes it (Sequelize)
function Model:describe(opts) return self.sequelize:getQueryInterface():describeTable(self.tableName, opts) end

-- model scopes (scope.lua): the model's scope merged into a finder's options, and the
-- model to run on without it
local function scoped(M, opts, what)
  if M._scope == nil then return M, opts end
  return Model._inject_scope(M, opts, what)
end

local function has_scope(M) return M._scope ~= nil and next(M._scope) ~= nil end

local function copy_with(t, k, v)
  local n = copy(t)
  n[k] = v
  return n
end

function Model:build(values, opts)
  if values ~= nil and type(values) ~= "table" then
    fail(("%s.build: values must be a table, got %s"):format(self.name, type(values)), 2)
  end
  if opts ~= nil and type(opts) ~= "table" then fail(("%s.build: options must be a table"):format(self.name), 2) end
  -- a list of rows' values builds each (Sequelize's build of an array is bulkBuild)
  if values ~= nil and rawget(values, 1) ~= nil and getmetatable(values) == nil then return self:bulkBuild(values, opts) end
  local inst = core.build(self._box, values)
  local existing = opts and opts.isNewRecord == false
  if existing then
    -- an existing row (Sequelize's _initValues): no defaults, timestamps among them; only
    -- the values given
    for k, slot in pairs(self._index) do
      if values == nil or values[k] == nil then rawset(inst, slot, nil) end
    end
  end
  if self._default_fns and not existing then
    for k, fn in pairs(self._default_fns) do
      local slot = self._index[k]
      if rawget(inst, slot) == nil then
        local v = fn()
        if v ~= nil then rawset(inst, slot, v) end
      end
    end
  end
  if self._virtual_defaults and not existing then
    -- a VIRTUAL attribute's default: its own value, stored as given (Sequelize sets defaults
    -- raw: no setter, nothing changed); a value given goes through the setter below
    for _, v in ipairs(self._virtual_defaults) do
      if values == nil or values[v.name] == nil then
        local dv = v.defaultValue
        if type(dv) == "function" then dv = dv() end
        if dv ~= nil then instance.store_virtual(inst, v.name, dv) end
      end
    end
  end
  if self._setters and values and not (opts and opts.raw) then -- (raw: the values as given, no setters)
    for k, fn in pairs(self._setters) do
      if values[k] ~= nil then
        -- (the setter's value only: the one given was never stored, so previous() has none)
        local slot = self._index[k]
        if slot and not existing then rawset(inst, slot, nil) end
        fn(inst, values[k])
      end
    end
  end
  if self._virtuals and values then -- through their setters, after the columns' values
    for _, v in ipairs(self._virtual_list) do
      if values[v.name] ~= nil then inst[v.name] = values[v.name] end
    end
  end
  -- "meta.a" keys: set inside the JSON attribute, as Sequelize's build sets them
  local jkeys = values and self._json_attrs and instance.json_keys(self, values)
  if jkeys then instance.set_json_keys(inst, self, values, jkeys) end
  if opts and opts.isNewRecord == false then rawset(inst, "isNewRecord", nil) end
  if opts and opts.raw then rawset(inst, -1, nil) end -- (a raw set marks nothing changed: Sequelize)
  if opts and opts.include ~= nil then
    -- build(values, { include }): the included rows built now, saved with the row
    local bopts = (opts.isNewRecord == false or opts.raw) and { isNewRecord = opts.isNewRecord, raw = opts.raw } or nil
    rawset(inst, -3, { include = opts.include, tree = Model._build_with_include(self, values, opts.include, inst, bopts) })
  end
  return inst
end

local function check_values(M, values, what)
  if values ~= nil and type(values) ~= "table" then
    fail(("%s.%s: values must be a table, got %s"):format(M.name, what, type(values)), 3)
  end
  -- (Sequelize's create of an array fails too: build gives it a list, which has no save)
  if values ~= nil and rawget(values, 1) ~= nil and getmetatable(values) == nil then
    fail(("%s.%s: values must be one row's table of attributes, got a list (bulkCreate takes a list)")
      :format(M.name, what), 3)
  end
end

local RAW_BUILD = { raw = true }

function Model:create(values, opts)
  check_opts(self, opts, "create")
  check_values(self, values, "create")
  if opts and opts.include ~= nil then return Model._create_with_include(self, values or {}, opts) end
  if opts and opts.fields and type(values) == "table" then
    -- Sequelize builds with `attributes: fields`: only those values are taken (a "meta.a"
    -- key too, which sets the instance's meta; the INSERT writes the attributes listed)
    local only = {}
    for _, f in ipairs(opts.fields) do only[f] = values[f] end
    values = only
    if self._json_attrs and instance.json_keys(self, values) then
      local fields = {}
      for _, f in ipairs(opts.fields) do
        if not (type(f) == "string" and instance.json_keys(self, { [f] = true })) then fields[#fields + 1] = f end
      end
      opts = copy_with(opts, "fields", fields)
    end
  end
  local inst = self:build(values, opts and opts.raw and RAW_BUILD or nil)
  self._methods.save(inst, opts) -- (the method: an attribute named `save` shadows inst.save)
  if opts and opts.fields and (self._mt.__gm or self._getters) and rawget(inst, 0) == nil then
    -- Sequelize's instance holds `attributes: fields`: toJSON leaves out the getters of
    -- attributes not among them, and getterMethods that are no attribute
    rawset(inst, 0, { partial = true })
  end
  return inst
end

-- The conflict target of updateOnDuplicate when the caller names none (Sequelize): the
-- fields of the unique indexes without a where and of the first unique key, else the
-- primary key.
-- The model's unique keys (attribute `unique`: true alone, or a group name shared), each a
-- list of attribute names, in the order their first attribute comes; the primary key apart
local function unique_groups(M)
  local groups, out = {}, {}
  for _, a in ipairs(M._attrs) do
    local u = a.unique
    if u and not a.primaryKey then
      local g = u == true and ("\0" .. a.fieldName) or u
      if not groups[g] then
        groups[g] = {}
        out[#out + 1] = groups[g]
      end
      groups[g][#groups[g] + 1] = a.fieldName
    end
  end
  return out
end

local function conflict_target(M)
  local keys = {}
  for _, ix in ipairs(M._indexes or {}) do
    if ix.unique and not ix.where then -- (Sequelize's bulkCreate skips partial indexes)
      for _, f in ipairs(ix.fields) do keys[#keys + 1] = index_attr(M, f) end
    end
  end
  for _, k in ipairs(unique_groups(M)[1] or {}) do keys[#keys + 1] = k end
  if #keys == 0 then
    for _, k in ipairs(M.primaryKeyAttributes) do keys[#keys + 1] = k end
  end
  return keys
end

-- bulkCreate's ignoreDuplicates / updateOnDuplicate / conflictAttributes checked, and the
-- options the core reads (updateOnDuplicate without createdAt, a conflict target)
local function conflict_opts(M, opts)
  if not opts or (opts.ignoreDuplicates == nil and opts.updateOnDuplicate == nil and opts.conflictAttributes == nil) then
    return opts
  end
  local function names(k)
    local v = opts[k]
    if v == nil then return nil end
    if type(v) ~= "table" or getmetatable(v) or #v == 0 then
      if k == "updateOnDuplicate" then fail("updateOnDuplicate option only supports non-empty array.", 4) end
      fail(("%s.bulkCreate: %s must be a non-empty list of attribute names"):format(M.name, k), 4)
    end
    for i, x in ipairs(v) do
      if type(x) ~= "string" then fail(("%s.bulkCreate: %s must list attribute names (item %d)"):format(M.name, k, i), 4) end
      if not M._index[x] then
        fail(("%s.bulkCreate: %s names an unknown attribute '%s'"):format(M.name, k, x), 4)
      end
    end
    return v
  end
  local o = copy(opts)
  if o.ignoreDuplicates ~= nil and type(o.ignoreDuplicates) ~= "boolean" then
    fail(("%s.bulkCreate: ignoreDuplicates must be a boolean"):format(M.name), 3)
  end
  local upd, target = names("updateOnDuplicate"), names("conflictAttributes")
  if target and not upd then
    fail(("%s.bulkCreate: conflictAttributes needs updateOnDuplicate"):format(M.name), 3)
  end
  if upd then
    if o.ignoreDuplicates then
      fail(("%s.bulkCreate: ignoreDuplicates and updateOnDuplicate cannot be used together"):format(M.name), 3)
    end
    local created = M.options.createdAt
    local list = {}
    for _, f in ipairs(upd) do if f ~= created then list[#list + 1] = f end end
    if #list == 0 then fail("updateOnDuplicate option only supports non-empty array.", 3) end
    o.updateOnDuplicate = list
    o.conflictAttributes = target or conflict_target(M)
  end
  if o.include ~= nil or o.individualHooks then
    fail(("%s.bulkCreate: ignoreDuplicates and updateOnDuplicate are not supported with %s"):format(M.name,
      o.include ~= nil and "include" or "individualHooks"), 3)
  end
  return o
end

-- Does a row of the list hold a "meta.a" key (then the rows are built, as build sets it)?
local function has_json_keys(M, list)
  for _, values in ipairs(list) do
    if type(values) == "table" and instance.json_keys(M, values) then return true end
  end
  return false
end

function Model:bulkCreate(list, opts)
  check_opts(self, opts, "bulkCreate")
  opts = conflict_opts(self, opts)
  if type(list) ~= "table" or getmetatable(list) and getmetatable(list).__M or (next(list) ~= nil and list[1] == nil) then
    fail(("%s.bulkCreate: expected a list of tables"):format(self.name), 2)
  end
  -- (with include each level is a bulkCreate of its model, with its own hooks: association.lua)
  if opts and opts.include ~= nil then return Model._bulk_create_with_include(self, list, opts) end
  if H.hooked(self) and not (opts and opts.hooks == false) then return Model._bulk_create_hooked(self, list, opts) end
  if (opts and opts.validate) or self._setters or self._default_fns or self._virtuals
    or (self._json_attrs and has_json_keys(self, list)) then
    local built = {}
    for i, values in ipairs(list) do
      if type(values) ~= "table" then fail(("%s.bulkCreate: item %d is not a table"):format(self.name, i), 2) end
      built[i] = self:build(values)
    end
    if opts and opts.validate then Model._validate_rows(self, built, opts.fields, { hooks = false, skip = opts.skip }) end
    list = built
  end
  return instance.with_unique_msgs(self, core.bulk_insert, self._box, list, instance.columns_only(self, opts))
end

-- bulkCreate's validate = true: every row validated (with its validation hooks unless
-- vopts.hooks is false), the failures raised together as an AggregateError of BulkRecordErrors.
-- fields: the attributes validated, or a function giving them for a row
function Model._validate_rows(M, rows, fields, vopts)
  local bad = {}
  for _, inst in ipairs(rows) do
    local f = fields
    if type(f) == "function" then f = f(inst) end
    local ok, err = pcall(instance.validate_hooked, M, inst, f, true, vopts)
    if not ok then
      if type(err) ~= "table" then error(err, 0) end
      bad[#bad + 1] = errors.new(errors.BulkRecordError, err.message, { errors = err, record = inst })
    end
  end
  if #bad > 0 then
    local msgs = {}
    for i, e in ipairs(bad) do msgs[i] = e.message end
    error(errors.new(errors.AggregateError, table.concat(msgs, "\n"), { errors = bad }), 3)
  end
end

-- bulkCreate with hooks (Sequelize): the rows are built first; beforeBulkCreate(instances,
-- options) may change them; with validate = true they are validated (their validation hooks
-- run only with individualHooks); with individualHooks each row is saved on its own with its
-- create hooks, all in one transaction; afterBulkCreate(instances, options) last.
function Model._bulk_create_hooked(M, list, opts)
  local o = copy(opts)
  local built = setmetatable({}, require("sequelua.expr").array_mt)
  if #list == 0 then return built end -- (Sequelize returns at once, running no hook)
  for i, values in ipairs(list) do
    if type(values) ~= "table" then fail(("%s.bulkCreate: item %d is not a table"):format(M.name, i), 3) end
    built[i] = M:build(values)
  end
  local all -- (Sequelize: the hooks see fields = every attribute when the caller gave none)
  if o.fields == nil then
    all = instance.all_fields(M)
    o.fields = all
  end
  H.run(M, "beforeBulkCreate", built, o)
  local chosen = o.fields
  if instance.untouched_fields(M, chosen, all) then o.fields = nil end -- (the write takes what the rows hold)
  if o.validate then
    local vo = copy(o)
    vo.hooks = o.individualHooks == true
    Model._validate_rows(M, built, o.fields, vo)
  end
  local rows
  if o.individualHooks then
    rows = M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging }, function(t)
      local so = { transaction = t, logging = o.logging, validate = false, silent = o.silent }
      for _, inst in ipairs(built) do instance.save_plain(inst, so) end
      return built
    end)
  else
    rows = instance.with_unique_msgs(M, core.bulk_insert, M._box, built, instance.columns_only(M, o))
  end
  o.fields = chosen
  H.run(M, "afterBulkCreate", rows, o)
  return rows
end

-- The VIRTUAL attributes (not getterMethods) among values: name -> value, or nil when there
-- is none. One with a setter has the value the setter stored on `probe`, the instance the
-- values were built into (Sequelize picks the built instance's dataValues); without a probe
-- (no setter ran) the value given.
local function virtual_values(M, values, probe)
  local vs, out = M._virtuals, nil
  if not vs then return nil end
  for k, v in pairs(values) do
    local vd = vs[k]
    if vd and vd.raw ~= nil then
      if vd.set and probe then v = instance.virtual_value(probe, k) end
      if v ~= nil then out = out or {}; out[k] = v end
    end
  end
  return out
end

-- static update with hooks (Sequelize): beforeBulkUpdate(options) with options.attributes the
-- values (a hook may replace them); with individualHooks the rows are read, the values set on
-- each and beforeUpdate run on it: if the hooks left every row with the same changes they go
-- in one UPDATE, else each row is saved on its own (one transaction); afterUpdate on each row,
-- afterBulkUpdate(options) last. Returns the count, and the rows with individualHooks.
function Model._update_hooked(M, values, opts)
  local o = copy(opts)
  if type(o.fields) == "table" then o.fields = copy(o.fields) end -- (a hook may add to it)
  local given_values = values
  -- validated (and shaped by setters) before beforeBulkUpdate, which may then change them
  -- unchecked (Sequelize)
  local probe
  values, probe = Model._update_values(M, values, o)
  -- the VIRTUAL attributes given: the hooks see them, in options.attributes and on each row
  -- (Sequelize keeps them in the values and assigns those to the rows' dataValues); they are
  -- never written
  local vvals = virtual_values(M, given_values, probe)
  -- the attributes written: those given (or options.fields); a hook may change their values,
  -- and an attribute it adds is written when it also lists it in options.fields (Sequelize)
  local fields = o.fields
  if not fields then
    fields = {}
    for k in pairs(values) do if type(k) == "string" and M._index[k] then fields[#fields + 1] = k end end
  end
  o.attributes = copy(values)
  for k, v in pairs(vvals or {}) do o.attributes[k] = v end
  -- (Sequelize: the hooks see fields = the attributes given, and updatedAt)
  local shown = o.fields == nil and copy(fields) or nil
  if shown then
    local up = M.rawAttributes[M.options.updatedAt or ""] and M.options.updatedAt
    if up and not o.silent and not values[up] then shown[#shown + 1] = up end
    o.fields = shown
  end
  H.run(M, "beforeBulkUpdate", o)
  local given = {}
  for _, f in ipairs(fields) do given[f] = true end
  if type(o.fields) == "table" then
    -- an attribute the hook added to options.fields (and set in options.attributes) is
    -- written too (Sequelize picks the values by the fields after the hook)
    for _, f in ipairs(o.fields) do given[f] = true end
    if not shown or o.fields ~= shown then fields = o.fields end
  end
  if shown and o.fields == shown then o.fields = nil end
  values = o.attributes
  o.attributes = nil
  if type(values) ~= "table" then fail(("%s.update: values must be a table"):format(M.name), 3) end
  vvals = virtual_values(M, values, nil)
  if vvals then
    local cols = {}
    for k, v in pairs(values) do if not vvals[k] then cols[k] = v end end
    values = cols
  end
  local written = {}
  for k, v in pairs(values) do
    if not (type(k) == "string" and M._index[k]) or given[k] then written[k] = v end
  end
  local n, rows
  if o.individualHooks then
    local row_fields -- (the fields the row hooks see; the after hooks, as the write left them)
    local function each_row(t)
      local io = copy(o)
      io.transaction = t
      -- (the row hooks see fields too: the attributes given and updatedAt, as Sequelize)
      if io.fields == nil and shown then io.fields = copy(shown) end
      row_fields = io.fields
      local found = M:findAll({ where = o.where, transaction = t, logging = o.logging })
      local same, first = true, nil
      for _, inst in ipairs(found) do
        for k, v in pairs(values) do
          if type(k) == "string" and M._index[k] then inst:setDataValue(k, v) end
        end
        for k, v in pairs(vvals or {}) do inst:setDataValue(k, v) end
        H.run(M, "beforeUpdate", inst, io)
        if same then
          local ch = {}
          local prev = rawget(inst, -1) or {}
          for k in pairs(prev) do ch[k] = rawget(inst, M._index[k]) end
          if first == nil then
            first = ch
          else
            for k, v in pairs(ch) do if first[k] ~= v then same = false end end
            for k in pairs(first) do if ch[k] == nil then same = false end end
          end
        end
      end
      if #found == 0 then return 0, found end
      if same then
        local changed = {}
        for k, v in pairs(first) do changed[k] = v end
        if next(changed) == nil then return 0, found end
        io.individualHooks = nil
        if type(io.fields) == "table" then
          -- what the hooks changed alike on every row is written, listed or not (Sequelize
          -- adds those keys to options.fields)
          local f, seen = {}, {}
          for _, k in ipairs(io.fields) do f[#f + 1] = k; seen[k] = true end
          for k in pairs(changed) do if not seen[k] then f[#f + 1] = k end end
          io.fields, row_fields = f, f
        end
        return instance.with_unique_msgs(M, core.update, M._box, changed, instance.columns_only(M, io)), found
      end
      -- each row on its own, the update's fields only (Sequelize)
      for _, inst in ipairs(found) do
        instance.save_plain(inst, { transaction = t, logging = o.logging, hooks = false, validate = false,
                                    fields = fields })
      end
      return #found, found
    end
    n, rows = M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging }, function(t)
      local count, found = each_row(t)
      -- (afterUpdate inside the call's transaction too, with it, as the before hooks)
      local ao = copy(o)
      ao.transaction = t
      ao.fields = row_fields
      for _, inst in ipairs(found) do H.run(M, "afterUpdate", inst, ao) end
      return count, found
    end)
  else
    n = instance.with_unique_msgs(M, core.update, M._box, written, instance.columns_only(M, o))
  end
  o.attributes = values
  if shown and o.fields == nil then o.fields = shown end
  H.run(M, "afterBulkUpdate", o)
  o.attributes = nil
  if rows then return n, rows end
  return n
end

-- static destroy with hooks (Sequelize): beforeBulkDestroy(options); with individualHooks the
-- rows are read first and beforeDestroy / afterDestroy run on each; afterBulkDestroy(options).
function Model._destroy_hooked(M, opts)
  local o = copy(opts)
  H.run(M, "beforeBulkDestroy", o)
  local n
  if o.individualHooks and not o.truncate then
    n = M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging }, function(t)
      local found = M:findAll({ where = o.where, transaction = t, logging = o.logging })
      local io = copy(o)
      io.transaction = t -- (the hooks get the call's transaction: the caller's, or its own)
      for _, inst in ipairs(found) do H.run(M, "beforeDestroy", inst, io) end
      local count = Model._destroy_rows(M, io)
      for _, inst in ipairs(found) do H.run(M, "afterDestroy", inst, io) end
      return count
    end)
  else
    n = Model._destroy_rows(M, o)
  end
  H.run(M, "afterBulkDestroy", o)
  return n
end

local function select(M, opts)
  local rows = core.select(M._box, opts)
  -- (raw rows carry no separate includes: Sequelize's raw query leaves them out)
  if opts and opts.raw then return rows end
  if opts and opts._separate then Model._load_separate(M, rows, opts._separate, opts) end
  if opts and opts._nested_separate then Model._load_nested_separate(rows, opts.include, opts) end
  return rows
end

local function needs_prepare(opts)
  if not opts then return false end
  if opts.include ~= nil then return true end
  if type(opts.order) == "table" then
    for _, item in ipairs(opts.order) do
      if type(item) == "table" and getmetatable(item) == nil and type(item[1]) == "table" then return true end
    end
  end
  return false
end

-- opts.rejectOnEmpty and nothing found: raise (Sequelize's EmptyResultError, or the
-- caller's own error object, or what the caller's function returns)
local function reject_empty(opts, level)
  local r = opts and opts.rejectOnEmpty
  if not r then return end
  if type(r) == "function" then error(r(), level + 1) end
  if type(r) == "table" then error(r, level + 1) end
  error(errors.new(errors.EmptyResultError, ""), level + 1)
end

-- A finder's rows: rejectOnEmpty applied, and the include they were read with kept on their
-- shared shape for reload() (Sequelize reloads with the instance's original include)
local function finished(rows, given)
  local first = rows[1]
  if first == nil then reject_empty(given, 3) end
  if first ~= nil and given and given.include ~= nil then
    local sh = rawget(first, 0)
    if type(sh) == "table" then sh.reload = { include = given.include } end
  end
  return rows
end

-- A finder with hooks (Sequelize's findAll): beforeFind, beforeFindAfterExpandIncludeAll and
-- beforeFindAfterOptions on the finder's own copy of the options, then afterFind with the
-- result (for findOne and findByPk the instance or nil).
-- a where's plain tables copied (expressions, models and instances kept), so that a hook
-- changing the options' where leaves the caller's alone (Sequelize clones the options)
local function clone_plain(v, seen)
  if type(v) ~= "table" or getmetatable(v) ~= nil then return v end
  if seen[v] then return seen[v] end
  local t = {}
  seen[v] = t
  for k, x in pairs(v) do t[k] = clone_plain(x, seen) end
  return t
end
Model._clone_plain = clone_plain

-- A finder's options with VIRTUAL names taken out of its attribute list; `vshow` tells the
-- core which VIRTUAL attributes the rows show (their shape's vshow, for toJSON).
local function unvirtual(M, opts)
  if not (M._virtuals and opts and type(opts.attributes) == "table") then return opts end
  local attrs, listed = Model.unvirtual_attributes(M, opts.attributes)
  if not listed then return opts end
  local o = copy(opts)
  o.attributes, o.vshow = attrs, listed
  return o
end

-- The finders' read of (scoped) options: the paranoid condition, VIRTUAL names out of the
-- attribute list, includes normalised, the rows selected.
local function read(M, o)
  o = unvirtual(M, Paranoid.where(M, o))
  if needs_prepare(o) then o = Model._prepare(M, o) end
  return select(M, o)
end

-- Sequelize's findOne adds no LIMIT 1 when the where gives the primary key, or an attribute
-- unique on its own, a plain value
local PLAIN = { string = true, number = true, boolean = true }
local function one_row_where(M, w)
  if type(w) ~= "table" or getmetatable(w) then return false end
  for k, v in pairs(w) do
    if PLAIN[type(v)] and type(k) == "string" then
      if k == M.primaryKeyAttribute then return true end
      local a = M.rawAttributes[k]
      if a and (a.unique == true or type(a.unique) == "table") then return true end
    end
  end
  return false
end

-- The attribute list beforeFindAfterOptions and afterFind see, as Sequelize's findAll has
-- made it by then: every attribute (VIRTUAL ones left out) when none was given, an
-- { exclude, include } form expanded; a list as it is
local function expanded_attributes(M, attrs)
  if attrs ~= nil and not (type(attrs) == "table" and getmetatable(attrs) == nil
                           and (attrs.exclude ~= nil or attrs.include ~= nil)) then
    return attrs
  end
  local out, skip = {}, {}
  for _, x in ipairs(attrs and type(attrs.exclude) == "table" and attrs.exclude or {}) do
    if not (type(x) == "string" and M.rawAttributes[x]) then -- (as the core says it for a finder without hooks)
      fail(("Unknown attribute '%s' in attributes.exclude of model %s"):format(tostring(x), M.name), 4)
    end
    skip[x] = true
  end
  for _, a in ipairs(M._attrs) do
    if not skip[a.fieldName] then out[#out + 1] = a.fieldName end
  end
  for _, x in ipairs(attrs and type(attrs.include) == "table" and attrs.include or {}) do out[#out + 1] = x end
  return out
end

-- (first: the result is the first row, for findOne and plain; restrict: see Model._find_for)
local function find_hooked(M, opts, one, first, restrict)
  local o = copy(opts)
  o.where = clone_plain(o.where, {})
  if one and o.limit == nil and not one_row_where(M, o.where) then o.limit = 1 end
  if one and o.plain == nil then o.plain = true end -- (findOne's hooks see plain: Sequelize's default)
  H.run(M, "beforeFind", o)
  H.run(M, "beforeFindAfterExpandIncludeAll", o)
  o.attributes = expanded_attributes(M, o.attributes)
  o = Paranoid.where(M, o) -- (Sequelize adds the paranoid clause between these two)
  H.run(M, "beforeFindAfterOptions", o)
  local rows = read(M, restrict and restrict(o) or o)
  if first == nil then first = one end
  if first then H.run(M, "afterFind", rows[1], o) else H.run(M, "afterFind", rows, o) end
  finished(rows, o)
  if first then return rows[1] end
  return rows
end

local function hooks_on(M, opts)
  return H.hooked(M) and not (opts and opts.hooks == false)
end

-- The association accessors' read: Sequelize's association get, which is the target's
-- findAll, find hooks included. `plain`: the result is the first row, and so is what
-- afterFind gets (findAll's plain option, which the counters use); `restrict(o)`: the
-- options read, made from those the hooks leave (a n:m getter adds its join rows' keys
-- there: Sequelize joins the through model, out of the hooks' reach).
function Model._find_for(M, opts, plain, restrict)
  M, opts = scoped(M, opts)
  if hooks_on(M, opts) then return find_hooked(M, opts, false, plain, restrict) end
  local rows = finished(read(M, restrict and restrict(opts) or opts), opts)
  if plain then return rows[1] end
  return rows
end

-- (plain = true: findAll gives its first row; plain = false: findOne gives its list)
function Model:findAll(opts)
  check_opts(self, opts, "findAll")
  self, opts = scoped(self, opts)
  local plain = opts and opts.plain == true
  if hooks_on(self, opts) then return find_hooked(self, opts, false, plain) end
  local rows = finished(read(self, opts), opts)
  if plain then return rows[1] end
  return rows
end

function Model:findOne(opts)
  check_opts(self, opts, "findOne")
  self, opts = scoped(self, opts)
  local plain = not (opts and opts.plain == false)
  if hooks_on(self, opts) then return find_hooked(self, opts, true, plain) end
  local o = copy(opts)
  if o.limit == nil and not one_row_where(self, o.where) then o.limit = 1 end
  local rows = finished(read(self, o), opts)
  if plain then return rows[1] end
  return rows
end

-- findByPk options the core's one-call path (core.find_pk) takes; any other goes the long way
local PK_FAST_OPTS = { transaction = true, logging = true }

local function pk_fast(opts)
  if opts == nil then return true end
  for k in pairs(opts) do
    if not PK_FAST_OPTS[k] then return false end
  end
  return true
end

function Model:findByPk(pk, opts)
  check_opts(self, opts, "findByPk")
  if pk == nil or pk == NULL then return nil end
  if type(pk) == "table" then fail(("%s.findByPk: the key must be a scalar"):format(self.name), 2) end
  if not self.primaryKeyAttribute then fail(("%s has no primary key"):format(self.name), 2) end
  if has_scope(self) then return self:findOne(copy_with(opts, "where", { [self.primaryKeyAttribute] = pk })) end
  local hooked = hooks_on(self, opts)
  if pk_fast(opts) and not hooked and not Paranoid.active(self, opts) then return core.find_pk(self._box, pk, opts) end
  local o = copy(opts)
  o.where = { [self.primaryKeyAttribute] = pk }
  if hooked then return find_hooked(self, o, true) end
  -- (no LIMIT for the key, which is unique: Sequelize's findOne; one column of a composite key may match more)
  if o.include == nil and #self.primaryKeyAttributes > 1 then o.limit = 1 end
  return finished(read(self, o), opts)[1]
end

function Model:findOrCreate(opts)
  if type(opts) ~= "table" or type(opts.where) ~= "table" then
    fail(("%s.findOrCreate: options.where is required"):format(self.name), 2)
  end
  if opts.defaults ~= nil and type(opts.defaults) ~= "table" then
    fail(("%s.findOrCreate: options.defaults must be a table"):format(self.name), 2)
  end
  -- find and create in one transaction (Sequelize), a savepoint inside the caller's; a new
  -- one takes the write lock at once (IMMEDIATE), so that another writer cannot slip in
  -- between the find and the create
  return self.sequelize:_atomic({ transaction = opts.transaction, logging = opts.logging, type = "IMMEDIATE" },
    function(t)
      local o = copy(opts)
      o.transaction = t
      local found = self:findOne(o)
      if found then return found, false end
      local values = {}
      for k, v in pairs(opts.where) do
        if type(k) == "string" and type(v) ~= "table" then values[k] = v end
      end
      for k, v in pairs(opts.defaults or {}) do values[k] = v end
      -- create takes the options (fields, hooks, validate, silent, raw, include with the
      -- defaults' nested rows ...), as Sequelize passes them on
      local co = copy(opts)
      co.transaction = t -- (where and defaults too: the create hooks see them, as in Sequelize)
      local ok, created = pcall(self.create, self, values, co)
      if ok then return created, true end
      -- created meanwhile under a unique key (Sequelize looks again)
      if type(created) == "table" and created.name == "SequelizeUniqueConstraintError" then
        found = self:findOne(o)
        if found then return found, false end
      end
      error(created, 0)
    end)
end

-- findOrBuild / findCreateFind: options checked as findOrCreate checks them, and the values a
-- new row gets: the where's plain values (string keys; operator tables, expressions and
-- lists left out), then the defaults over them (Sequelize: Utils.defaults(defaults, where))
local function find_or_values(M, opts, what)
  if type(opts) ~= "table" or type(opts.where) ~= "table" then
    fail(("%s.%s: options.where is required"):format(M.name, what), 3)
  end
  if opts.defaults ~= nil and type(opts.defaults) ~= "table" then
    fail(("%s.%s: options.defaults must be a table"):format(M.name, what), 3)
  end
  local values = {}
  for k, v in pairs(opts.where) do
    if type(k) == "string" and type(v) ~= "table" then values[k] = v end
  end
  for k, v in pairs(opts.defaults or {}) do values[k] = v end
  return values
end

-- findOrBuild(opts) -> instance, built: the row findOne finds (and false), or a new instance
-- built from the where's values and the defaults, not saved (and true). Sequelize returns
-- [instance, built].
function Model:findOrBuild(opts)
  local values = find_or_values(self, opts, "findOrBuild")
  local found = self:findOne(opts)
  if found then return found, false end
  return self:build(values, opts), true
end

-- findCreateFind(opts) -> instance, created: findOne; if nothing, create with the options
-- given (no transaction of its own, as Sequelize); if that fails on a unique key (a row made
-- meanwhile) or with an EmptyResultError, findOne again, which may give nil. Sequelize returns
-- [instance, created].
function Model:findCreateFind(opts)
  local values = find_or_values(self, opts, "findCreateFind")
  local found = self:findOne(opts)
  if found then return found, false end
  local ok, created = pcall(self.create, self, values, opts)
  if ok then return created, true end
  if type(created) == "table" and (created.name == "SequelizeUniqueConstraintError"
                                   or created.name == "SequelizeEmptyResultError") then
    return self:findOne(opts), false
  end
  error(created, 0)
end

-- bulkBuild(list, opts) -> a list of built instances (Sequelize: valueSets.map(v => build(v, opts)))
function Model:bulkBuild(list, opts)
  if type(list) ~= "table" or getmetatable(list) ~= nil then
    fail(("%s.bulkBuild: expected a list of tables, got %s"):format(self.name, type(list)), 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    fail(("%s.bulkBuild: options must be a table, got %s"):format(self.name, type(opts)), 2)
  end
  local n = 0
  for _ in pairs(list) do n = n + 1 end
  if n ~= #list then fail(("%s.bulkBuild: expected a list of tables 1..n"):format(self.name), 2) end
  local out = {}
  for i, values in ipairs(list) do
    if type(values) ~= "table" then
      fail(("%s.bulkBuild: item %d is not a table (%s)"):format(self.name, i, type(values)), 2)
    end
    out[i] = self:build(values, opts)
  end
  return setmetatable(out, require("sequelua.expr").array_mt)
end

-- getAttributes() -> the model's rawAttributes (Sequelize returns that same object)
function Model:getAttributes() return self.rawAttributes end

-- count with opts.group: a row per group, its group columns and `count` (Sequelize:
-- SELECT `authorId`, count(*) AS `count` ... GROUP BY `authorId`)
-- An include with no columns of its own at any depth (Sequelize's count sets
-- includeIgnoreAttributes: a grouped count's rows hold the groups and the count only)
local function no_attributes(inc)
  if inc == nil then return nil end
  local list = inc
  if not (type(inc) == "table" and getmetatable(inc) == nil and inc[1] ~= nil) then list = { inc } end
  local out = {}
  for i, x in ipairs(list) do
    local item
    if type(x) == "table" and getmetatable(x) == nil then
      item = copy(x)
      item.include = no_attributes(x.include)
    elseif type(x) == "string" or (type(x) == "table" and rawget(x, "associationType") ~= nil) then
      item = { association = x }
    else
      item = { model = x }
    end
    item.attributes = {}
    -- (an n:m's join row too: Sequelize selects none of it)
    local th = type(x) == "table" and getmetatable(x) == nil and x.through or nil
    -- (_any: set on every include, whichever its kind; only an n:m's reads it)
    item.through = { attributes = {}, where = type(th) == "table" and th.where or nil, _any = true }
    out[i] = item
  end
  return out
end

local function count_grouped(M, opts)
  local E = require("sequelua.expr")
  local g = opts.group
  if type(g) ~= "table" or getmetatable(g) then g = { g } end
  local attrs = {}
  for _, x in ipairs(g) do
    -- "User.id" (a qualified name): the column itself, read under its own name ("id"), as
    -- Sequelize selects `User`.`id`
    local last = type(x) == "string" and x:match("^[^.]+%.([^.]+)$")
    if last then attrs[#attrs + 1] = { E.col(x), last }
    elseif type(x) == "string" then
      if not M.rawAttributes[x] and not x:find("%.") then
        fail(("Unknown attribute '%s' in group of model %s"):format(x, M.name), 3)
      end
      attrs[#attrs + 1] = x
    end
  end
  -- with an include, Sequelize counts the model's key column: count(`User`.`id`)
  local pk = opts.include ~= nil and M.primaryKeyAttribute and M.rawAttributes[M.primaryKeyAttribute]
  local col = pk and E.col(M.name .. "." .. (pk.field or M.primaryKeyAttribute)) or E.literal("*")
  if type(opts.col) == "string" then col = E.col(opts.col) end
  -- distinct: count(DISTINCT(`User`.`id`)) (Sequelize)
  if opts.distinct and not (getmetatable(col) == E.mt and col.kind == "literal") then col = E.fn("DISTINCT", col) end
  attrs[#attrs + 1] = { E.fn("count", col), "count" }
  return M:findAll({ attributes = attrs, where = opts.where, group = opts.group, include = no_attributes(opts.include),
                     having = opts.having, transaction = opts.transaction, logging = opts.logging, raw = true,
                     paranoid = opts.paranoid, replacements = opts.replacements, bind = opts.bind })
end

function Model:findAndCountAll(opts)
  check_opts(self, opts, "findAndCountAll")
  if hooks_on(self, opts) then
    -- through count and findAll, so that beforeCount and the find hooks run (Sequelize);
    -- each applies the scope
    local c = copy(opts)
    c.attributes, c.order, c.limit, c.offset = nil, nil, nil, nil
    -- (the count below's: distinct rows of the model, unless a col or group says otherwise)
    if c.col == nil and c.group == nil then c.distinct = self.primaryKeyAttribute ~= nil end
    local n = self:count(c)
    return { count = n, rows = self:findAll(opts) }
  end
  local own_group = opts and opts.group ~= nil
  self, opts = scoped(self, opts)
  local n
  if opts and opts.group ~= nil then
    n = count_grouped(self, opts)
    if not own_group then n = n[1] and tonumber(n[1].count) or 0 end -- (a scope's: the first group's)
  end
  opts = Paranoid.where(self, opts)
  opts = unvirtual(self, opts)
  if opts and opts.include ~= nil then opts = Model._prepare(self, opts) end
  -- count: distinct top-level rows, includes or not (API.md; Sequelize needs distinct = true);
  -- with col, Sequelize's count(col), distinct when asked
  if n == nil then
    local col = opts and opts.col
    local copts = { where = opts and opts.where, transaction = opts and opts.transaction,
                    logging = opts and opts.logging, include = opts and opts.include,
                    replacements = opts and opts.replacements, bind = opts and opts.bind, col = col,
                    distinct = (col ~= nil and opts.distinct) or (col == nil and self.primaryKeyAttribute ~= nil) }
                    -- (no key: joined rows, as Sequelize)
    n = core.count(self._box, copts)
  end
  local rows = select(self, opts)
  return { count = n, rows = rows }
end

function Model:count(opts)
  check_opts(self, opts, "count")
  if hooks_on(self, opts) and H.any(self, "beforeCount") then
    opts = copy(opts)
    opts.where = clone_plain(opts.where, {})
    H.run(self, "beforeCount", opts)
  end
  local own_group = opts and opts.group ~= nil
  self, opts = scoped(self, opts, "count")
  if opts and opts.group ~= nil then
    local rows = count_grouped(self, opts)
    if own_group then return rows end
    -- a scope's group: Sequelize's count is the first group's
    return rows[1] and tonumber(rows[1].count) or 0
  end
  opts = Paranoid.where(self, opts)
  if opts and opts.include ~= nil then opts = Model._prepare(self, opts) end
  return core.count(self._box, opts)
end

-- The options aggregate, max, min and sum take (Sequelize's aggregate; `raw` and `type` are
-- the ones it sets itself, and change nothing here). Any other key is refused. With
-- `attributes`, `group` or `plain = false` the select is Sequelize's rawSelect's: the
-- attributes, the group's and the aggregate under the function's name; plain = false gives
-- its raw rows, else the first row's aggregate.
local AGGREGATE_OPTS = { where = true, include = true, distinct = true, dataType = true, transaction = true,
                         logging = true, paranoid = true, hooks = true, benchmark = true, plain = true,
                         raw = true, type = true, attributes = true, group = true, having = true, order = true,
                         limit = true, offset = true, replacements = true, bind = true }

-- Sequelize's reading of the value (rawSelect): by opts.dataType, else the attribute's type:
-- INTEGER and BIGINT through parseInt (the avg of an INTEGER column is truncated: 5.5 gives 5);
-- DATE min/max read as the attribute reads (the core); others as SQLite gives them
local function aggregate_value(M, attr, v, data_type)
  local t = data_type or (M.rawAttributes[attr] and M.rawAttributes[attr].type)
  if type(v) == "number" and t and (t.key == "INTEGER" or t.key == "BIGINT") and v ~= math.floor(v) then
    v = v < 0 and math.ceil(v) or math.floor(v)
    if math.tointeger then v = math.tointeger(v) or v end
  end
  return v
end

-- rawSelect's way: attributes = the caller's, then the group's items, then fn(column) AS fn
-- (Sequelize's unionBy on the names), read as raw rows by findAll without its hooks
local function aggregate_rows(M, what, attr, fn, opts, data_type)
  local E = Expr
  local spec = M.rawAttributes[attr]
  local col = E.col(spec and spec.field or attr)
  if opts.distinct then col = E.fn("DISTINCT", col) end
  local attrs, names = {}, {}
  local function add(x)
    local name = x
    if type(x) == "table" and getmetatable(x) == nil then name = x[2] end
    if type(name) == "string" then
      if names[name] then return end
      names[name] = true
    end
    attrs[#attrs + 1] = x
  end
  if opts.attributes ~= nil then
    if type(opts.attributes) ~= "table" or getmetatable(opts.attributes) ~= nil then
      fail(("%s.%s: options.attributes must be a list"):format(M.name, what), 4)
    end
    for _, x in ipairs(opts.attributes) do add(x) end
  end
  local g = opts.group
  if g ~= nil then
    if type(g) ~= "table" or getmetatable(g) then g = { g } end
    for _, x in ipairs(g) do add(x) end
  end
  add({ E.fn(fn, col), fn })
  local o = copy(opts)
  o.attributes, o.raw, o.plain, o.dataType, o.distinct, o.type = attrs, true, nil, nil, nil, nil
  o.hooks = false
  local rows = M:findAll(o)
  if opts.plain == false then return rows end
  local row = rows[1]
  if row == nil then return nil end
  return aggregate_value(M, attr, row[fn], data_type)
end

-- aggregate(attr, fn, opts) and max/min/sum: fn over the attribute's column, fn(DISTINCT ...)
-- with opts.distinct, on the rows of the model's scope, its paranoid condition, opts.where and
-- opts.include's joins (required or not as in findAll; "$include.column$" keys in the where)
local function run_aggregate(M, what, attr, fn, opts)
  check_opts(M, opts, what)
  if type(attr) ~= "string" then fail(("%s.%s: expected an attribute name"):format(M.name, what), 3) end
  if opts then
    for k in pairs(opts) do
      if not AGGREGATE_OPTS[k] then
        fail(("%s.%s: unknown option '%s' (it takes where, include, distinct, dataType, attributes, group, replacements, bind, "
              .. "having, order, limit, offset, plain, transaction, logging, paranoid)")
             :format(M.name, what, tostring(k)), 3)
      end
    end
    if opts.distinct ~= nil and type(opts.distinct) ~= "boolean" then
      fail(("%s.%s: options.distinct must be a boolean"):format(M.name, what), 3)
    end
    if opts.dataType ~= nil and not DataTypes.is_type(opts.dataType) and type(opts.dataType) ~= "string" then
      fail(("%s.%s: options.dataType must be a DataTypes value"):format(M.name, what), 3)
    end
  end
  local data_type = opts and opts.dataType
  if type(data_type) == "string" then data_type = { key = "" } end -- (Sequelize: a type name converts nothing)
  if opts and (opts.attributes ~= nil or opts.group ~= nil or opts.plain == false) then
    return aggregate_rows(M, what, attr, fn, opts, data_type)
  end
  M, opts = scoped(M, opts, "aggregate")
  if opts and (opts.group ~= nil or opts.limit ~= nil or opts.offset ~= nil) then
    -- a scope's group, limit or offset: Sequelize's select with them, its first row's value
    return aggregate_rows(M, what, attr, fn, opts, data_type)
  end
  opts = Paranoid.where(M, opts)
  if opts and opts.include ~= nil then opts = Model._prepare(M, opts) end
  return aggregate_value(M, attr, core.aggregate(M._box, fn, attr, opts), data_type)
end

function Model:aggregate(attr, fn, opts)
  if type(fn) ~= "string" or not fn:match("^[%a_][%w_]*$") then
    fail(("%s.aggregate: expected a function name (avg, count, max, min, sum, ...)"):format(self.name), 2)
  end
  if attr == "*" and fn:lower() == "count" and not (type(opts) == "table" and opts.plain == false) then
    -- (Sequelize: count(*), the rows counted)
    local o = opts and copy(opts) or nil
    if o then o.dataType = nil end
    return self:count(o)
  end
  return run_aggregate(self, "aggregate", attr, fn:lower(), opts)
end

-- The keys an upsert's values may meet a row by (Sequelize's upsertKeys, SQLite's ON CONFLICT
-- target): options.conflictFields (attribute or column names); else the unique keys, then
-- unique indexes (without a where), that hold an attribute written on update; the primary
-- key when none does or when the update writes a key part. Sequelize takes the first such key
-- in the values' key order, which a Lua table has not: each is tried in definition order.
local function upsert_targets(M, opts, update)
  local cf = opts.conflictFields
  if cf ~= nil then
    if type(cf) ~= "table" or getmetatable(cf) or #cf == 0 then
      fail(("%s.upsert: options.conflictFields must be a non-empty list of attribute names"):format(M.name), 4)
    end
    local out = {}
    for i, x in ipairs(cf) do
      local name = type(x) == "string" and index_attr(M, { attr = x }) -- (an attribute or a column name)
      if name and not M._index[name] then name = nil end
      if not name then
        fail(("%s.upsert: options.conflictFields names an unknown attribute '%s' (item %d)")
             :format(M.name, tostring(x), i), 4)
      end
      out[#out + 1] = name
    end
    return { out }
  end
  local pk = M.primaryKeyAttributes
  for _, k in ipairs(pk) do
    if update[k] then return { pk } end
  end
  local keys = unique_groups(M)
  for _, ix in ipairs(M._indexes or {}) do
    if ix.unique and not ix.where then
      local list = {}
      for _, x in ipairs(ix.fields) do
        if x.expr then list = nil; break end -- (an expression is no conflict target)
        list[#list + 1] = index_attr(M, x)
      end
      keys[#keys + 1] = list
    end
  end
  local out = {}
  for _, list in ipairs(keys) do
    for _, k in ipairs(list) do
      if update[k] then out[#out + 1] = list; break end
    end
  end
  if #out == 0 then out[1] = pk end
  return out
end

-- upsert(values, opts) -> instance, created: an INSERT of the values, or, when a row holds the
-- same conflict target (upsert_targets: options.conflictFields, a unique key or index, or the
-- primary key), an UPDATE of that row with the attributes given (only those in
-- options.fields, when given), in one transaction (IMMEDIATE, or a savepoint in the
-- caller's). A target value that is null meets no row (as SQLite's ON CONFLICT). Sequelize
-- sends one INSERT ... ON CONFLICT DO UPDATE and gives `created` as null on SQLite; the rows
-- are the same.
function Model:upsert(values, opts)
  check_opts(self, opts, "upsert")
  if has_scope(self) then self = Model._unscoped_view(self) end -- (Sequelize's upsert takes no scope)
  check_values(self, values, "upsert")
  local hook_values = values or {}
  values = copy(values) -- (a beforeUpsert hook's changes to the values given are not written, as Sequelize)
  local o = copy(opts)
  local given = {}
  for k in pairs(values) do
    if type(k) == "string" and self._index[k] then given[#given + 1] = k end
  end
  -- options.fields as Sequelize's hooks see it: the attributes given, when not set
  if o.fields == nil then o.fields = given end
  for i, f in ipairs(o.fields) do
    if type(f) ~= "string" or not self._index[f] then
      fail(("%s.upsert: options.fields names an unknown attribute '%s' (item %d)"):format(self.name, tostring(f), i), 2)
    end
  end
  local inst = self:build(values)
  if o.validate ~= false then
    -- Sequelize validates the instance built from the values (the fields listed), its
    -- validation hooks around it, before beforeUpsert
    instance.validate_hooked(self, inst, o.fields, true, o)
  end
  local update, set = {}, {}
  for _, f in ipairs(o.fields) do
    if values[f] ~= nil then update[f] = true; set[f] = values[f] end
  end
  -- the wheres of the conflict targets whose values are all given (a null meets no row)
  local wheres = {}
  for _, target in ipairs(upsert_targets(self, o, update)) do
    local where = #target > 0 and {} or nil
    for _, k in ipairs(target) do
      local v = rawget(inst, self._index[k])
      if v == nil or v == NULL then where = nil; break end
      where[k] = v
    end
    wheres[#wheres + 1] = where
  end
  local hooked = hooks_on(self, opts)
  if hooked then H.run(self, "beforeUpsert", hook_values, o) end
  local inner = copy(o)
  inner.hooks, inner.validate, inner.conflictFields = false, false, nil
  local inner_create = copy(inner)
  inner_create.fields = nil -- (the INSERT writes every value; options.fields limits the UPDATE)
  local res, created = self.sequelize:_atomic(
    { transaction = o.transaction, logging = o.logging, type = "IMMEDIATE" },
    function(t)
      inner.transaction, inner_create.transaction = t, t
      -- (a soft-deleted row too: Sequelize's INSERT ... ON CONFLICT updates it, deletedAt kept)
      local found, where
      for _, w in ipairs(wheres) do
        found = self:findOne({ where = w, transaction = t, logging = o.logging, hooks = false, paranoid = false })
        if found then where = w; break end
      end
      if not found then return self:create(values, inner_create), true end
      for k in pairs(where) do set[k] = nil end
      inner.fields = nil
      -- the row's UPDATE as Sequelize's ON CONFLICT DO UPDATE writes it: the values and
      -- updatedAt, not the version; then the row as stored
      if next(set) == nil and not self.rawAttributes[self.options.updatedAt or ""] then return found, false end
      local uo = copy(inner)
      uo.where, uo.paranoid = where, false -- (a soft-deleted row too, its deletedAt kept)
      self:update(set, uo)
      return self:findOne({ where = where, transaction = t, logging = o.logging, hooks = false, paranoid = false }), false
    end)
  if hooked then H.run(self, "afterUpsert", { res, created }, o) end
  return res, created
end

function Model:truncate(opts)
  check_opts(self, opts, "truncate")
  local o = copy(opts)
  o.truncate = true
  return self:destroy(o)
end

local function aggregate(fn)
  return function(self, attr, opts) return run_aggregate(self, fn, attr, fn, opts) end
end
Model.max = aggregate("max")
Model.min = aggregate("min")
Model.sum = aggregate("sum")

-- Static update's "meta.a" keys, as Sequelize takes them: it builds an instance from the
-- values (so the key is set inside the attribute's given value, or its default: not the
-- rows' values) and writes the attributes that instance changed, whole. A key counts only
-- when listed in `fields` (if given) and is dropped with validate = false or
-- sideEffects = false (Sequelize then writes no value for it).
local function json_update_values(M, values, opts)
  local keys = M._json_attrs and instance.json_keys(M, values)
  if not keys then return values, opts end
  local out = {}
  for k, v in pairs(values) do out[k] = v end
  for _, k in ipairs(keys) do out[k] = nil end
  local fields, listed
  if type(opts.fields) == "table" then
    -- only the dotted keys listed count; the list keeps the other names, and gets the
    -- attributes written for them
    local kept = {}
    fields, listed = {}, {}
    for _, f in ipairs(opts.fields) do
      listed[f] = true
      if not (type(f) == "string" and instance.json_keys(M, { [f] = true })) then fields[#fields + 1] = f end
    end
    for _, k in ipairs(keys) do if listed[k] then kept[#kept + 1] = k end end
    keys = kept
    opts = copy_with(opts, "fields", fields)
  end
  if #keys == 0 or opts.validate == false or opts.sideEffects == false then return out, opts end
  local probe, heads = core.build(M._box, nil), {}
  for _, k in ipairs(keys) do
    local col = k:match("^([^%.]+)%.")
    if not heads[col] then
      heads[col] = true
      local slot = M._index[col]
      if values[col] ~= nil then
        rawset(probe, slot, values[col])
      elseif rawget(probe, slot) == nil and M._default_fns and M._default_fns[col] then
        rawset(probe, slot, M._default_fns[col]())
      end
    end
  end
  rawset(probe, -1, nil) -- (the given values are not changes of the probe; the keys are)
  instance.set_json_keys(probe, M, values, keys)
  local changed = rawget(probe, -1) or {}
  for col in pairs(heads) do
    if changed[col] ~= nil or values[col] ~= nil then
      out[col] = rawget(probe, M._index[col])
      if fields and not listed[col] then fields[#fields + 1] = col end
    end
  end
  return out, opts
end

function Model:update(values, opts)
  if type(values) ~= "table" then fail(("%s.update: values must be a table"):format(self.name), 2) end
  self, opts = scoped(self, opts)
  if type(opts) ~= "table" or opts.where == nil then
    fail("Missing where attribute in the options parameter", 2)
  end
  values, opts = json_update_values(self, values, opts)
  opts = Paranoid.where(self, opts) -- (Sequelize updates only the rows not soft-deleted)
  -- (individualHooks: the rows updated come back too, hooks or none, as in Sequelize)
  if hooks_on(self, opts) or (opts.individualHooks and opts.hooks ~= false) then
    return Model._update_hooked(self, values, opts)
  end
  return Model._update(self, values, opts)
end

-- An update's values with its VIRTUAL attributes replaced by what their setters write
-- (Sequelize builds an instance with the values and takes its side effects)
local function unvirtual_values(M, values, opts)
  local given
  for k in pairs(values) do
    if M._virtuals[k] then given = given or {}; given[k] = true end
  end
  if not given then return values, nil end
  local out = {}
  for k, v in pairs(values) do if not M._virtuals[k] then out[k] = v end end
  if opts.validate == false then return out, nil end -- (Sequelize then runs no setter)
  local probe = M:build(values)
  local EXPR = require("sequelua.expr").mt
  for k, v in pairs(out) do -- the given columns as their setters stored them
    local slot = M._index[k]
    if slot and getmetatable(v) ~= EXPR and rawget(probe, slot) ~= nil then out[k] = rawget(probe, slot) end
  end
  for k in pairs(rawget(probe, -1) or {}) do -- and those the VIRTUAL setters wrote
    if out[k] == nil and M._index[k] then out[k] = rawget(probe, M._index[k]) end
  end
  return out, probe, given
end

function Model._update(self, values, opts)
  return instance.with_unique_msgs(self, core.update, self._box, Model._update_values(self, values, opts),
                                   instance.columns_only(self, opts))
end

-- The values a static update writes: a VIRTUAL attribute's setter's columns in its place,
-- then (unless validate = false) validated on an instance built from them, with its
-- validation hooks, and as that instance's setters and hooks left them (Sequelize)
function Model._update_values(self, values, opts)
  local vprobe, vgiven -- (the instance built from values with VIRTUAL keys: its setters ran once)
  if self._virtuals then values, vprobe, vgiven = unvirtual_values(self, values, opts) end
  -- validate the given attributes as Sequelize does; a Sequelize.fn/col/literal value is
  -- SQL, not validated (nor passed to a setter)
  local fields, plain = {}, values
  local EXPR = require("sequelua.expr").mt
  for k, v in pairs(values) do
    if type(k) == "string" and self._index[k] then
      if getmetatable(v) == EXPR then
        if plain == values then plain = {}; for k2, v2 in pairs(values) do plain[k2] = v2 end end
        plain[k] = nil
      else
        fields[#fields + 1] = k
      end
    end
  end
  if opts.fields then
    fields = {}
    for _, f in ipairs(opts.fields) do if plain[f] ~= nil or values[f] == nil then fields[#fields + 1] = f end end
  end
  if (#fields > 0 or vprobe) and (opts.validate ~= false or self._setters) then
    local probe = vprobe or self:build(plain)
    rawset(probe, "isNewRecord", nil)
    -- (with its validation hooks, on the instance built from the values, as Sequelize)
    local hooked = opts.validate ~= false and H.hooked(self) and opts.hooks ~= false
    if opts.validate ~= false then instance.validate_hooked(self, probe, fields, false, opts, nil, vgiven) end
    if (self._setters and not vprobe) or hooked then
      -- Sequelize runs attribute setters on update values, and takes what validation hooks
      -- change: write the values the built instance holds
      local shaped = {}
      for k, v in pairs(values) do shaped[k] = v end
      for _, f in ipairs(fields) do
        local v = rawget(probe, self._index[f])
        if v ~= nil then shaped[f] = v end
      end
      values = shaped
    end
  end
  return values, vprobe
end

function Model:destroy(opts)
  self, opts = scoped(self, opts, "destroy")
  if type(opts) ~= "table" or (opts.where == nil and not opts.truncate) then
    fail("Missing where or truncate attribute in the options parameter of model.destroy.", 2)
  end
  if hooks_on(self, opts) then return Model._destroy_hooked(self, opts) end
  return Model._destroy_rows(self, opts)
end

-- the rows a destroy selects deleted, or on a paranoid model (without force) soft-deleted
function Model._destroy_rows(self, opts)
  if Paranoid.deleted_at(self) and not opts.force then return Paranoid.destroy(self, opts) end
  return core.destroy(self._box, opts)
end

function Model:increment(fields, opts)
  check_opts(self, opts, "increment")
  self, opts = scoped(self, opts)
  if not opts or opts.where == nil then fail("Missing where attribute in the options parameter", 2) end
  return core.increment(self._box, instance.amounts(self, fields, opts, 1, 3), opts)
end

function Model:decrement(fields, opts)
  check_opts(self, opts, "decrement")
  self, opts = scoped(self, opts)
  if not opts or opts.where == nil then fail("Missing where attribute in the options parameter", 2) end
  return core.increment(self._box, instance.amounts(self, fields, opts, -1, 3), opts)
end

function Model:sync(opts)
  check_opts(self, opts, "sync")
  local hooked = hooks_on(self, opts)
  if hooked then opts = copy(opts); H.run(self, "beforeSync", opts) end
  Model.create_indexes(self, opts, true)
  core.sync(self.sequelize._db, { self._box }, opts and opts.force, opts)
  Model.create_indexes(self, opts)
  if hooked then H.run(self, "afterSync", opts) end
  return self
end

-- Model:restore([opts]): paranoid models (paranoid.lua)
Model.restore = Paranoid.restore

function Model:drop(opts)
  core.drop(self.sequelize._db, { self._box }, opts)
end

H.mixin(Model, true)

return Model
