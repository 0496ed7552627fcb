-- association.lua: hasOne, belongsTo, hasMany, belongsToMany on Model and the accessor
-- methods they add to instances (get, set, add, remove, has, count, create). Key names,
-- referential actions and through models are decided by the C core (association.c). The
-- `include` option's normalisation is include.lua's; nested create, nested_create.lua's.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local Model = require("sequelua.model")
local Op = require("sequelua.op")
local Paranoid = require("sequelua.paranoid")
local core_array_mt = require("sequelua.expr").array_mt
local DataTypes = require("sequelua.datatypes")
local Instance = require("sequelua.instance").methods

local NULL = core.null
local A = {}

local H = require("sequelua.hooks")
local function fail(cls, msg, level) error(errors.new(cls, msg), (level or 1) + 1) end
local upper_first = core.upper_first -- (lodash's upperFirst: JS's toUpperCase, "élève" -> "Élève")

local Association = {}
Association.__index = Association
Association.__tostring = function(a) return a.associationType .. " " .. a.as end

local unpack_list = table.unpack or unpack

local function is_model(v) return type(v) == "table" and getmetatable(v) == Model end
-- a scoped model (scope.lua) stands for its model
local function base(m) return Model._base and type(m) == "table" and Model._base(m) or m end

local function merge_where(base, extra)
  if extra == nil then return base end
  if base == nil then return extra end
  return { [Op["and"]] = { base, extra } }
end

-- A scope (its own copy) and a where, together
local function with_where(scope, where)
  if not scope then return where end
  local sc = {}
  for k, v in pairs(scope) do sc[k] = v end
  return merge_where(sc, where)
end

-- An association's scope: a condition on its targets and values given to targets it makes.
local function scoped(a, where) return with_where(a.scope, where) end

-- The through model's scope (through = { scope }) beside a condition on the join rows
local function through_scoped(a, where) return with_where(a.throughScope, where) end

-- opts (a table or nil) copied, with changes' keys put over it
local function with(opts, changes)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  for k, v in pairs(changes) do o[k] = v end
  return o
end

-- The keys' condition of an n:m accessor's statement on its join rows with the through
-- scope spread into it, one flat table (`{ PostId = 1, TagId = {...}, taggable = "post" }`),
-- as Sequelize's add and set hand their findAll and destroy (so the through model's hooks
-- see that where); the scope's values win, as in Sequelize's spread
local function through_keys(a, where)
  if not a.throughScope then return where end
  return with(where, a.throughScope)
end

local function with_scope(a, values)
  if not a.scope then return values end
  return with(values, a.scope)
end

-- ---------------------------------------------------------------------------
-- definitions

local OPTS = { as = true, foreignKey = true, sourceKey = true, targetKey = true, otherKey = true, through = true,
               onDelete = true, onUpdate = true, constraints = true, scope = true, hooks = true,
               foreignKeyConstraint = true, uniqueKey = true, useJunctionTable = true, keyType = true }
-- belongsToMany's too: Sequelize defines a join model named by a string with them
local NM_OPTS = { timestamps = true, createdAt = true, updatedAt = true, deletedAt = true }

-- The time stamp columns of the join model an n:m defines (through = "Name"), as Sequelize's
-- define of it: the source model's own createdAt, updatedAt and deletedAt (with the db's
-- define options: Sequelize copies source.options over the association's), then the
-- association's, then the define options; timestamps the association's; paranoid from
-- through.paranoid; the source's version. Sets o.throughTimestamps (the names,
-- false for none) and returns whether the model is paranoid.
local function through_stamps(source, opts, th_paranoid, o)
  local g = source.sequelize.options.define or {}
  local own = source._stamp_opts or {}
  local function pick(k)
    if k ~= "timestamps" and own[k] ~= nil then return own[k] end
    if opts[k] ~= nil then return opts[k] end
    return g[k]
  end
  local ts = pick("timestamps")
  if ts ~= nil and type(ts) ~= "boolean" then
    fail(errors.AssociationError, ("%s.belongsToMany: timestamps must be a boolean, got %s"):format(source.name, type(ts)), 4)
  end
  ts = ts ~= false
  local names = {}
  for _, k in ipairs({ "createdAt", "updatedAt" }) do
    local v = pick(k)
    if v == nil or v == true then v = k end
    if v ~= false and (type(v) ~= "string" or not core.is_name(v)) then
      fail(errors.AssociationError, ("%s.belongsToMany: %s must be a name or false"):format(source.name, k), 4)
    end
    names[k] = ts and v or nil
  end
  local paranoid, deleted = Paranoid.define_options(source.name .. ".belongsToMany",
    { paranoid = th_paranoid, deletedAt = pick("deletedAt") }, ts, 4)
  -- (and the source's version: Sequelize copies source.options, version among them, into the
  -- join model's define)
  o.throughTimestamps = { createdAt = names.createdAt, updatedAt = names.updatedAt, deletedAt = deleted,
                          version = source._version }
  return paranoid and deleted ~= nil
end

local function naming_collision(source, as)
  fail(errors.Error, ("Naming collision between attribute '%s' and association '%s' on model %s. To remedy this, change either foreignKey or as in your association definition")
    :format(as, as, source.name), 4)
end

local THROUGH_OPTS = { model = true, scope = true, unique = true, paranoid = true }
-- foreignKey / otherKey as a table: the key's name (name or fieldName), allowNull, field and
-- unique, and any other attribute option (type, defaultValue, validate, get, set, comment,
-- references, onDelete, onUpdate, values), merged into the key attribute as Sequelize's
-- _injectAttributes merges it; primaryKey and autoIncrement are refused (Sequelize's DDL for
-- them is broken: `id INTEGER NOT NULL AUTOINCREMENT, ... PRIMARY KEY (id, key)`)
local KEY_OPTS = { name = true, fieldName = true, allowNull = true, field = true, unique = true }
local KEY_REFUSED = { primaryKey = true, autoIncrement = true }

-- The options of a key's definition that live in Lua (model.refresh reads them off _by_name):
-- its default in its several forms, get, set, comment
local DEFAULT_PARTS = { "defaultValue", "default_table", "default_expr", "defaultKind", "default_fn" }
local function has_default(src)
  for _, k in ipairs(DEFAULT_PARTS) do if src[k] ~= nil then return true end end
  return false
end

-- The Lua side of a key's definition n (normalised) onto model M's attribute `name`, as the
-- core merged its C side: existed (an attribute before the association) keeps what it has
-- (1:1, 1:m: Sequelize's mergeDefaults), unless replace (n:m: Object.assign, the
-- definition's options win)
local function merge_key_def(M, name, n, existed, replace)
  local src = M._by_name[name]
  if not src or not existed then M._by_name[name] = n; return end
  if replace or not has_default(src) then
    if has_default(n) or not replace then
      for _, k in ipairs(DEFAULT_PARTS) do src[k] = n[k] end
    end
  end
  for _, k in ipairs({ "get", "set", "comment" }) do
    if n[k] ~= nil and (replace or src[k] == nil) then src[k] = n[k] end
  end
  if n.validateGiven then
    if replace then
      src.validate, src.lua_validators = n.validate, n.lua_validators
    else
      local v, have, lv = {}, {}, {}
      for k, x in pairs(src.validate or {}) do v[k] = x end
      for k, x in pairs(n.validate) do if v[k] == nil then v[k] = x end end
      for _, x in ipairs(src.lua_validators or {}) do lv[#lv + 1] = x; have[x.key] = true end
      for _, x in ipairs(n.lua_validators or {}) do if not have[x.key] then lv[#lv + 1] = x end end
      src.validate, src.lua_validators = v, lv
    end
  end
end

local function associate(kind, source, target, opts)
  local no_opts = opts == nil
  opts = opts or {}
  -- a scoped target (User:scope("active")): its scope applies to the getters and includes
  local target_view = type(target) == "table" and rawget(target, "_base") ~= nil and target or nil
  -- (a Model.schema copy as the source, target or join model: its table is not joined yet, and
  -- the model's would be read and written in its place by the includes and accessors)
  local th0 = type(opts) == "table" and opts.through or nil
  if type(th0) == "table" and getmetatable(th0) == nil then th0 = th0.model end
  for _, x in ipairs({ source, target, th0 or false }) do
    if type(x) == "table" and Model._schema_copy and Model._schema_copy(x) then
      fail(errors.AssociationError, ("%s: %s (a Model.schema copy, table %s) cannot be associated yet: associate the "
        .. "model itself"):format(kind, x.name, x.tableName), 3)
    end
  end
  source, target = base(source), base(target)
  if not is_model(target) then
    -- (nil, or options where the target goes: most likely Source.hasMany(Target) with a dot,
    -- which runs Target:hasMany(nil) and would blame the argument alone)
    local slip = target == nil or (type(target) == "table" and getmetatable(target) == nil and no_opts)
    fail(errors.Error, ("%s.%s called with something that's not a subclass of Sequelize.Model%s")
      :format(source.name, kind, slip and (" (got %s: Model:%s(...) is a method, call it with a colon, "
        .. "Source:%s(Target, options); with a dot the target is taken for the source)")
          :format(target == nil and "nil" or "a table", kind, kind) or ""), 3)
  end
  if type(opts) ~= "table" then fail(errors.AssociationError, kind .. ": options must be a table", 3) end
  for k in pairs(opts) do
    if not (OPTS[k] or (kind == "belongsToMany" and NM_OPTS[k])) then
      fail(errors.AssociationError, ("%s.%s: unknown option '%s'"):format(source.name, kind, tostring(k)), 3)
    end
  end
  -- (Sequelize's HasMany refuses a through, as JavaScript reads it: a false, "" or null is none)
  if kind == "hasMany" and opts.through and opts.through ~= "" and opts.through ~= NULL then
    fail(errors.Error, "N:M associations are not supported with hasMany. Use belongsToMany instead", 3)
  end
  -- (a name given as "" is not given: Sequelize reads the falsy '' so and takes the default)
  local function named(v) if v == "" then return nil end return v end
  local o = { constraints = opts.constraints ~= false, onDelete = opts.onDelete, onUpdate = opts.onUpdate,
              foreignKeyConstraint = opts.foreignKeyConstraint and true or nil,
              sourceKey = named(opts.sourceKey), targetKey = named(opts.targetKey), otherKey = named(opts.otherKey) }
  -- keyType: the type of the key a hasOne / hasMany / belongsTo adds (belongsToMany takes it and
  -- ignores it, as Sequelize)
  if opts.keyType ~= nil then
    local kt = opts.keyType
    if not DataTypes.is_type(kt) or kt.key == "VIRTUAL" or (kt.key == "ENUM" and (not kt.values or #kt.values == 0)) then
      fail(errors.AssociationError, ("%s.%s: keyType must be a column's DataTypes value (an ENUM with its values), got %s")
        :format(source.name, kind, tostring(kt)), 3)
    end
    if kind ~= "belongsToMany" then o.keyType = kt end
  end
  -- (upper-cased and checked: they are written into the DDL)
  o.onDelete = Model._fk_action(source.name, kind, "onDelete", o.onDelete)
  o.onUpdate = Model._fk_action(source.name, kind, "onUpdate", o.onUpdate)
  local as = named(opts.as)
  local many = kind == "hasMany" or kind == "belongsToMany"
  if type(as) == "table" then
    o.as_singular, o.as_plural = as.singular, as.plural
  elseif type(as) == "string" then
    if many then o.as_plural = as else o.as_singular = as end
  elseif as ~= nil then
    fail(errors.AssociationError, kind .. ": as must be a string or { singular, plural }", 3)
  end
  -- foreignKey / otherKey as a table (see KEY_OPTS): the options besides name, allowNull, field
  -- and unique are normalised as define's (o.foreignKeyDef / o.otherKeyDef), for the core to
  -- merge into the key attribute; the type, when not given, the key's as the core takes it
  -- (keyType, else the referenced key's), for reading the default by
  local function ref_type(k)
    if k == "foreignKey" and o.keyType then return o.keyType end
    local M, key
    if kind == "belongsTo" or k == "otherKey" then M, key = target, o.targetKey else M, key = source, o.sourceKey end
    local r = M.rawAttributes[key or M.primaryKeyAttribute or ""]
    return r and r.type or DataTypes.INTEGER
  end
  local function key_def(k, t, name)
    local def, given = { allowNull = t.allowNull }, false
    for x, v in pairs(t) do
      if not KEY_OPTS[x] then def[x], given = v, true end
    end
    if not given then return nil end
    local label = ("%s.%s(%s)"):format(source.name, kind, target.name)
    local ty = def.type
    if ty ~= nil and (not DataTypes.is_type(ty) or ty.key == "VIRTUAL"
                      or (ty.key == "ENUM" and not ty.values and type(def.values) ~= "table")) then
      fail(errors.AssociationError, ("%s: %s.type must be a column's DataTypes value (an ENUM with its values), got %s")
        :format(label, k, DataTypes.is_type(ty) and "DataTypes." .. tostring(ty.key) or type(ty) == "string" and ("%q"):format(ty)
          or tostring(ty)), 5)
    end
    def.type = ty or ref_type(k)
    local ok, n = pcall(Model._normalise_attr, source.sequelize, name and label .. " " .. k or label, name or k, def)
    if not ok then fail(errors.AssociationError, type(n) == "table" and tostring(n.message) or tostring(n), 5) end
    n.typeGiven, n.validateGiven = ty ~= nil, def.validate ~= nil
    return n
  end
  local function key_table(k, t, fieldKey)
    for x, v in pairs(t) do
      -- (primaryKey = false / autoIncrement = false ask nothing: a model's rawAttributes entry
      -- holds them, and Sequelize takes such an entry as the key's definition)
      if KEY_REFUSED[x] and v ~= false then
        fail(errors.AssociationError, ("%s.%s: %s.%s is not supported (Sequelize's table for it cannot be made)")
          :format(source.name, kind, k, tostring(x)), 4)
      elseif not KEY_OPTS[x] and not Model._attr_opts[x] then
        fail(errors.AssociationError, ("%s.%s: %s.%s is not an attribute option")
          :format(source.name, kind, k, tostring(x)), 4)
      end
    end
    if t.field ~= nil and (type(t.field) ~= "string" or t.field == "" or not core.is_name(t.field)) then
      fail(errors.AssociationError, ("%s.%s: %s.field must be a non-empty string"):format(source.name, kind, k), 4)
    end
    if t.unique ~= nil and type(t.unique) ~= "boolean" and type(t.unique) ~= "string" then
      fail(errors.AssociationError, ("%s.%s: %s.unique must be true, false or a name"):format(source.name, kind, k), 4)
    end
    if t.unique and k == "otherKey" then
      fail(errors.AssociationError, ("%s.%s: otherKey.unique is not supported"):format(source.name, kind), 4)
    end
    o[fieldKey] = t.field
    if k == "foreignKey" and t.unique and t.unique ~= "" then -- ("": none, as JavaScript's falsy '')
      o.foreignKeyUnique = true
      -- a name: the key joins that composite unique group (UNIQUE (title, ownerId)), as Sequelize's
      if type(t.unique) == "string" then
        if not core.is_name(t.unique) then
          fail(errors.AssociationError, ("%s.%s: %s.unique must be valid UTF-8 without NUL bytes")
            :format(source.name, kind, k), 4)
        end
        o.foreignKeyUniqueName = t.unique
      end
    end
    -- (foreignKey's name "" is none, as Sequelize's `name || fieldName` and then its default;
    -- an otherKey's "" is refused below: Sequelize's is then undefined)
    local name = t.name or t.fieldName
    if k == "foreignKey" then name = named(named(t.name) or t.fieldName) end
    if type(name) == "string" and name ~= "" then o[k .. "Def"] = key_def(k, t, name) else o[k .. "Def"] = key_def(k, t) end
    return name
  end
  local fk = named(opts.foreignKey)
  if type(fk) == "table" then
    o.foreignKey, o.allowNull = key_table("foreignKey", fk, "foreignKeyField"), fk.allowNull
  elseif type(fk) == "string" then
    o.foreignKey = fk
  elseif fk ~= nil then
    fail(errors.AssociationError, ("%s.%s: foreignKey must be a string or { name, allowNull, field, unique }, got %s")
      :format(source.name, kind, type(fk)), 3)
  end
  if type(o.otherKey) == "table" then
    o.otherKey = key_table("otherKey", o.otherKey, "otherKeyField")
  end
  for _, k in ipairs({ "as_singular", "as_plural", "foreignKey", "sourceKey", "targetKey", "otherKey" }) do
    if o[k] ~= nil and (type(o[k]) ~= "string" or o[k] == "") then
      fail(errors.AssociationError, ("%s.%s: %s must be a non-empty string, got %s")
        :format(source.name, kind, (k:gsub("_", ".")), o[k] == "" and '""' or type(o[k])), 3)
    end
    if o[k] ~= nil and not core.is_name(o[k]) then -- (a NUL would cut the name short in C)
      fail(errors.AssociationError, ("%s.%s: %s must be valid UTF-8 without NUL bytes")
        :format(source.name, kind, (k:gsub("_", "."))), 3)
    end
  end
  local through_model, through_scope, through_paranoid
  if kind == "belongsToMany" then
    local th = opts.through
    local th_paranoid = type(th) == "table" and not is_model(th) and th.paranoid or nil
    if type(th) == "table" and not is_model(th) and rawget(th, "_base") == nil then
      -- { model, scope, unique }: the join rows' own scope (written into those the accessors
      -- make, a condition on every read of them) and unique = false (no composite UNIQUE)
      for k in pairs(th) do
        if not THROUGH_OPTS[k] then
          fail(errors.AssociationError, ("%s.belongsToMany: unknown through option '%s'"):format(source.name, tostring(k)), 3)
        end
      end
      through_scope = th.scope
      if th.unique ~= nil then o.throughUnique = th.unique ~= false end
      th = th.model
    end
    -- uniqueKey: the name of the join table's composite UNIQUE ('' or nil: the default name)
    local uk = opts.uniqueKey
    if uk ~= nil and uk ~= "" then
      if type(uk) ~= "string" or not core.is_name(uk) then
        fail(errors.AssociationError, ("%s.belongsToMany: uniqueKey must be a name (a string), got %s")
          :format(source.name, type(uk)), 3)
      end
      o.uniqueKey = uk
    end
    th = base(th)
    if is_model(th) then
      o.through = th._box
      through_model = th
    elseif type(th) == "string" then
      if th == "" or not core.is_name(th) then
        fail(errors.AssociationError, ("%s.belongsToMany: through must be a non-empty name without NUL bytes")
          :format(source.name), 3)
      end
      -- (a model of that name already defined is the join model, as if given itself: its
      -- table gets the composite key, its own id dropped, as Sequelize's)
      through_model = source.sequelize.models[th]
      if through_model then
        o.through = through_model._box
      else
        o.throughName = th
        -- (its table is in the source's schema, the db's schema option's by default: Sequelize
        -- defines the join model with the source's options)
        o.throughSchema = source.options.schema
        o.throughSchemaDelimiter = source.options.schemaDelimiter
        through_paranoid = through_stamps(source, opts, th_paranoid, o)
      end
    else
      fail(errors.AssociationError, ("%s.belongsToMany(%s) requires through option, pass either a string or a model")
        :format(source.name, target.name), 3)
    end
    if through_scope ~= nil then
      if type(through_scope) ~= "table" then
        fail(errors.AssociationError, ("%s.belongsToMany: through.scope must be a table"):format(source.name), 3)
      end
      for k in pairs(through_scope) do
        if type(k) ~= "string" or not (through_model and through_model.rawAttributes[k]) then
          fail(errors.AssociationError, ("%s.belongsToMany: through.scope names an unknown attribute '%s' of %s")
            :format(source.name, tostring(k), through_model and through_model.name or tostring(o.throughName)), 3)
        end
      end
    end
    if source == target and not as then
      fail(errors.AssociationError, "'as' must be defined for many-to-many self-associations", 3)
    end
  end
  if opts.scope ~= nil then
    if type(opts.scope) ~= "table" then fail(errors.AssociationError, kind .. ": scope must be a table", 3) end
    for k in pairs(opts.scope) do
      if type(k) ~= "string" or not target.rawAttributes[k] then
        fail(errors.AssociationError, ("%s.%s: scope names an unknown attribute '%s' of %s")
          :format(source.name, kind, tostring(k), target.name), 3)
      end
    end
  end
  -- Sequelize's checkNamingCollision: the alias may not be an attribute of the source (a
  -- belongsTo's foreignKey is one by then); raised before anything is made when the alias
  -- is given, after the association is made (as Sequelize) when it is the default one
  local given_as = many and o.as_plural or o.as_singular
  if given_as and (source.rawAttributes[given_as] or (kind == "belongsTo" and o.foreignKey == given_as)) then
    naming_collision(source, given_as)
  end
  local had = {} -- (the attributes before: a key definition merges into one that was there)
  for _, M in ipairs({ source, target, through_model or false }) do
    if M then
      had[M] = {}
      for name in pairs(M.rawAttributes) do had[M][name] = true end
    end
  end
  local okc, info, made, through_id = pcall(core.associate, source._box, kind, target._box, o)
  if not okc then
    if type(info) == "table" and (tostring(info.message):find("^You have used the alias")
                                  or tostring(info.message):find("^Paired belongsToMany keys differ")
                                  or tostring(info.message):find("^[%w_]+%.belongsToMany%([^)]*%): ")) then
      info = errors.new(errors.AssociationError, info.message)
    end
    error(info, 3)
  end
  local db = source.sequelize
  if made then
    local stamps = o.throughTimestamps
    through_model = Model.wrap(db, made, {}, { timestamps = stamps.createdAt ~= nil or stamps.updatedAt ~= nil,
                                               schema = o.throughSchema, schemaDelimiter = o.throughSchemaDelimiter })
    through_model.options.paranoid = through_paranoid
    if stamps.version then
      through_model._version = stamps.version
      through_model.options.version = source.options.version
    end
    db.models[through_model.name] = through_model
  elseif through_id and not through_model then
    for _, M in pairs(db.models) do
      if M._info.id == through_id then through_model = M end
    end
  end
  -- the Lua side of a key given as an attribute definition (get, set, a default function,
  -- validator functions, comment): on the model that holds the key, before it is read again
  local holder = kind == "belongsTo" and source or kind == "belongsToMany" and through_model or target
  for _, k in ipairs({ "foreignKey", "otherKey" }) do
    local n, name = o[k .. "Def"], info[k]
    if n and name and holder then
      n.name = name
      merge_key_def(holder, name, n, had[holder] ~= nil and had[holder][name] ~= nil, kind == "belongsToMany")
    end
  end
  Model.refresh(source)
  Model.refresh(target)
  if through_model then Model.refresh(through_model) end
  if source.rawAttributes[info.as] then naming_collision(source, info.as) end
  local paired = info.paired
  info.paired = nil
  local a = setmetatable(info, Association)
  a.source, a.target, a.throughModel = source, target, through_model
  if paired then -- the reverse n:m through the same model: its keys are this one's, crossed
    for _, p in ipairs(target._assoc_list or {}) do
      if p.id == paired.id then
        p.otherKey, p.targetKey = paired.otherKey, paired.targetKey
        local r = p.targetKey and p.target.rawAttributes[p.targetKey]
        p.targetKeyField = r and r.field or p.targetKey
        p.foreignIdentifier = p.otherKey
        local o = p.otherKey and p.throughModel and p.throughModel.rawAttributes[p.otherKey]
        p.foreignIdentifierField = o and o.field or p.otherKey
        p.paired, a.paired = a, p
      end
    end
  end
  a.target_view = target_view
  if through_model then
    -- Sequelize's association.through: the caller's through options and the model
    local th = {}
    if type(opts.through) == "table" and not is_model(opts.through) and rawget(opts.through, "_base") == nil then
      for k, v in pairs(opts.through) do th[k] = v end
    end
    th.model = through_model
    a.through = th
  end
  -- Sequelize's introspection names: the keys' columns and attributes
  local function field_of(M, k) local r = k and M.rawAttributes[k]; return r and (r.field or k) or k end
  a.associationAccessor = a.as
  if kind == "belongsTo" or kind == "belongsToMany" then a.identifier = a.foreignKey end
  if kind == "hasOne" or kind == "hasMany" then a.foreignKeyField = a.identifierField end
  if a.sourceKey then
    a.sourceKeyField = field_of(source, a.sourceKey)
    if kind ~= "belongsToMany" then a.sourceKeyAttribute = a.sourceKey end
  end
  if kind == "belongsTo" or kind == "belongsToMany" then a.targetKeyField = field_of(target, a.targetKey) end
  if kind == "belongsTo" then a.targetIdentifier = a.targetKey end
  if kind == "belongsToMany" and through_model then
    a.foreignIdentifier, a.foreignIdentifierField = a.otherKey, field_of(through_model, a.otherKey)
  end
  a.isSelfAssociation = source == target
  if not a.isMultiAssociation then a.isSingleAssociation = true end
  a.options = {} -- (the caller's options, and Sequelize's name = { singular, plural } of the alias)
  for k, v in pairs(opts) do a.options[k] = v end
  if a.options.name == nil then -- (an aliased to-one association's is { singular } alone: Sequelize)
    if a.isSingleAssociation and type(opts.as) == "string" and opts.as ~= "" then a.options.name = { singular = a.singular }
    else a.options.name = { singular = a.singular, plural = a.plural } end
  end
  a.scope = opts.scope
  a.throughScope = through_scope
  -- the same association again without alias (an associate() run twice): the newer one answers
  -- to its name (includes, Model.associations), the older one keeps the accessor methods
  -- (Sequelize's mixin does not replace a method the prototype has)
  source.associations[a.as] = a
  source._assoc_list = source._assoc_list or {}
  source._assoc_list[#source._assoc_list + 1] = a
  A.add_accessors(source, a)
  return a
end

-- beforeAssociate({ source, target, type }, options) and afterAssociate({ ..., association },
-- options) on the source model for an association made with `hooks = true` (Sequelize; type is
-- the association type's name)
local TYPE_NAMES = { hasOne = "HasOne", belongsTo = "BelongsTo", hasMany = "HasMany", belongsToMany = "BelongsToMany" }

-- Options given as Sequelize.null (JavaScript's null, which Sequelize reads as falsy: not set)
-- are left out, in the key definitions (foreignKey = { name, primaryKey = null }) too; a copy
-- only when there is one. (foreignKey.allowNull = null: Sequelize writes NOT NULL in the DDL
-- yet validates none; here it is not set, nullable.)
local function without_nulls(t)
  local c
  for k, v in pairs(t) do
    if v == NULL or (type(v) == "table" and getmetatable(v) == nil
                     and (k == "foreignKey" or k == "otherKey" or k == "sourceKey" or k == "targetKey")) then
      local w = v ~= NULL and without_nulls(v) or nil
      if w ~= v then
        if not c then c = {}; for k2, v2 in pairs(t) do c[k2] = v2 end end
        c[k] = w
      end
    end
  end
  return c or t
end

local function associate_hooked(kind, source, target, opts)
  if opts ~= nil and type(opts) ~= "table" then
    fail(errors.AssociationError, ("%s.%s: options must be a table, got %s")
      :format(type(source) == "table" and tostring(source.name) or "?", kind, type(opts)), 3)
  end
  if opts then opts = without_nulls(opts) end
  -- (only for an association made with hooks = true, as Sequelize)
  if not (opts and opts.hooks == true) or not H.hooked(source) then return associate(kind, source, target, opts) end
  -- (the hooks' options carry the sequelize instance, as Sequelize's, which extends them with
  -- the source model's options; a copy: the caller's table is left as it was)
  local hopts = {}
  for k, v in pairs(opts) do hopts[k] = v end
  hopts.sequelize = source.sequelize
  H.run(source, "beforeAssociate", { source = source, target = target, type = TYPE_NAMES[kind] }, hopts)
  local a = associate(kind, source, target, opts)
  H.run(source, "afterAssociate", { source = source, target = target, type = TYPE_NAMES[kind], association = a },
    hopts)
  return a
end

function Model:hasOne(target, opts) return associate_hooked("hasOne", self, target, opts) end
function Model:belongsTo(target, opts) return associate_hooked("belongsTo", self, target, opts) end
function Model:hasMany(target, opts) return associate_hooked("hasMany", self, target, opts) end
function Model:belongsToMany(target, opts) return associate_hooked("belongsToMany", self, target, opts) end

-- ---------------------------------------------------------------------------
-- accessors

local INT_TYPES = { INTEGER = true, BIGINT = true, SMALLINT = true, TINYINT = true, MEDIUMINT = true }

-- include.lua's names_through (include.lua requires this module: read when first needed)
local function names_through(...) return require("sequelua.include").names_through(...) end

-- A key value as the rows hold it: an id given as a string ("1", from a request) is the
-- integer of an integer key, as SQLite reads that text (exact: beyond 2^53 under LuaJIT the
-- decimal string rows hold); other text ("0x10") stays as given, as Sequelize binds it
local function key_value(M, attr, k)
  local def = type(k) == "string" and attr and M.rawAttributes[attr]
  if def and INT_TYPES[def.type.key] then
    local n = core.int_key(k)
    if n ~= nil then return n end
  end
  return k
end

-- v an instance of a model other than M (a mixin given a Tag for a User): refused, not
-- read as a key of M
local function check_instance(M, v, level)
  local mt = type(v) == "table" and getmetatable(v)
  local VM = mt and mt.__M
  if VM and base(VM) ~= base(M) then
    local other = VM.name == M.name and VM.sequelize ~= M.sequelize and " of another Sequelize instance" or ""
    fail(errors.Error, ("Expected an instance of %s or its key, got an instance of %s%s"):format(M.name, VM.name, other),
      (level or 1) + 1)
  end
  return VM and true or false
end

-- a key given for a target of model M: a number or string (NULL / nil: none); a plain table
-- (`{ id = 3 }` from a JSON body), a function, ... raise before any SQL
local function check_key(M, v, level)
  local tv = type(v)
  if v == nil or v == NULL or tv == "number" or tv == "string" or tv == "cdata" then
    if v ~= v then fail(errors.Error, ("Expected an instance of %s or its key, got NaN"):format(M.name), level + 1) end
    return v
  end
  fail(errors.Error, ("Expected an instance of %s or its key, got %s"):format(M.name,
    tv == "table" and "a table that is not an instance (build or read it, or give its key)" or "a " .. tv), level + 1)
end

local function key_of(M, v)
  if check_instance(M, v, 3) then return v[M.primaryKeyAttribute] end
  return check_key(M, v, 3)
end

-- fn(opts) in one transaction (a savepoint in the caller's): an accessor of several
-- statements writes all or nothing
local function atomic(a, opts, fn)
  return a.source.sequelize:_atomic({ transaction = opts and opts.transaction, logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters },
    function(t) return fn(with(opts, { transaction = t })) end)
end

-- The model a getter reads: its `scope` option names model scopes (false: none), as
-- Sequelize's getters take it; the option stays in the options the finder's hooks see
-- (Sequelize's do), where the finder ignores it.
local function reader(T, opts)
  if opts == nil or opts.scope == nil then return T, opts end
  if opts.scope == false or opts.scope == NULL then return T:unscoped(), opts end
  return T:scope(opts.scope), opts
end

local function list_of(v)
  if v == nil or v == NULL then return {} end
  if type(v) == "table" and not (getmetatable(v) and getmetatable(v).__M) then
    if next(v) ~= nil and v[1] == nil then
      fail(errors.Error, "Expected an instance, a key or a list of them, got a table with other keys", 3)
    end
    -- (a nil among the items: ipairs and # would stop at it and drop the rest)
    if require("sequelua.instance").has_hole(v) then
      fail(errors.Error, "Expected an instance, a key or a list of them 1..n, got a table with a nil among its items", 3)
    end
    return v
  end
  return { v }
end

-- the primary keys of a list of instances or keys (list_of's forms) of model M
local function keys_of(M, list)
  local keys = {}
  for i, v in ipairs(list_of(list)) do keys[i] = key_of(M, v) end
  return keys
end

-- A to-many createX's options given as a list are its `fields`, as Sequelize's HasMany and
-- BelongsToMany create read an array (`createPost(values, { "title" })`)
local function fields_form(opts)
  if type(opts) == "table" and getmetatable(opts) == nil and opts[1] ~= nil then return { fields = opts } end
  return opts
end

-- Options for creating a target through an association: a `fields` list gets the
-- foreign key (none for an n:m: key false) and the scope's attributes, which the accessor
-- writes (Sequelize).
local function with_key_field(opts, a, key)
  if not (opts and type(opts.fields) == "table") then return opts end
  local o = {}
  for k, x in pairs(opts) do o[k] = x end
  o.fields = { unpack_list(opts.fields) }
  if key ~= false then o.fields[#o.fields + 1] = a.foreignKey end
  for k in pairs(a.scope or {}) do o.fields[#o.fields + 1] = k end
  return o
end

-- The instance's side of a to-many association's key. Without it a condition on the
-- foreign key would vanish from the where (a nil drops its key in Lua), and an accessor
-- would read, change or delete every row: raised instead, with Sequelize's message.
local function source_key(self, a, raw)
  -- (raw: the stored value, without the key's getter, as Sequelize's HasMany get reads it)
  local v
  if raw then v = Instance.getDataValue(self, a.sourceKey) else v = self[a.sourceKey] end
  if v == nil or v == NULL then
    fail(errors.Error, ('WHERE parameter "%s" has invalid "undefined" value'):format(a.foreignKey), 3)
  end
  return v
end

-- A 1:1 getter's key that the instance holds no value for, not even NULL (read without
-- that attribute, or built without it): Sequelize's undefined, which its where refuses.
local function unread(self, key)
  local slot = getmetatable(self).__M._index[key]
  return slot ~= nil and rawget(self, slot) == nil
end

-- The values a 1:1 / to-many createX gives the target's create: the caller's with the scope's
-- and the foreign key set to the source's key, as Sequelize's values[fk] = source.get(sourceKey):
-- NULL for a new record's primary key not given (Sequelize's build sets it null; a source
-- read with the key NULL likewise), and left out (undefined there: the key's default, else
-- NULL, whatever the values give) for a key the instance holds no value for
local function create_values(self, M, a, values)
  local key = self[a.sourceKey]
  local v = with(with_scope(a, values), {})
  if key == nil and unread(self, a.sourceKey)
     and not (rawget(self, "isNewRecord") and a.sourceKey == M.primaryKeyAttribute) then
    v[a.foreignKey] = nil
  else
    v[a.foreignKey] = key == nil and NULL or key
  end
  return v
end

-- the counters' attribute: [COUNT(Target.key), "count"] (Sequelize's)
local function count_of(T, key)
  local E = require("sequelua.expr")
  key = key or T.primaryKeyAttribute
  local attr = key and T.rawAttributes[key]
  if not attr then return { E.fn("COUNT", E.literal("*")), "count" } end
  return { E.fn("COUNT", E.col(T.name .. "." .. (attr.field or key))), "count" }
end

function A.add_accessors(M, a)
  local methods = M._methods
  local S, P = upper_first(a.singular), upper_first(a.plural)
  local T = a.target
  local TV = a.target_view or T -- (the getters read through a scoped target's scope)
  local kind = a.associationType
  -- Sequelize's association.accessors: role -> the instance method's name
  if kind == "BelongsTo" or kind == "HasOne" then
    a.accessors = { get = "get" .. S, set = "set" .. S, create = "create" .. S }
  else
    a.accessors = { get = "get" .. P, set = "set" .. P, addMultiple = "add" .. P, add = "add" .. S,
                    create = "create" .. S, remove = "remove" .. S, removeMultiple = "remove" .. P,
                    hasSingle = "has" .. S, hasAll = "has" .. P, count = "count" .. P }
  end
  -- association:get(list [, opts]) of a hasMany, hasOne or belongsTo: Sequelize's read of the
  -- targets of several sources at once, as one query (a hasMany's `limit` over more than one
  -- source: one query a source, each paged alone, as Sequelize's groupedLimit pages them), giving
  -- a table keyed by each source's key value (Sequelize: an object keyed by it): a list for a
  -- hasMany (an empty one when it has none), else the target or Sequelize.null. A source
  -- without that key value (unsaved, NULL) has no entry (Sequelize's is keyed "null").
  local function get_list(list, opts)
    local many = kind == "HasMany"
    local skey, tkey = a.sourceKey, a.foreignKey
    if kind == "BelongsTo" then skey, tkey = a.foreignKey, a.targetKey end
    if opts ~= nil and type(opts) ~= "table" then
      fail(errors.Error, ("%s.%s: options must be a table, got %s"):format(M.name, a.as, type(opts)), 3)
    end
    local out, values, srcs = {}, {}, {}
    for i, inst in ipairs(list_of(list)) do
      local mt = type(inst) == "table" and getmetatable(inst)
      if not (mt and mt.__M and base(mt.__M) == M) then
        fail(errors.Error, ("%s.%s: association.get(list, ...) takes a list of %s instances, got %s at %d")
          :format(M.name, a.as, M.name, mt and mt.__M and "an instance of " .. tostring(mt.__M.name) or type(inst), i), 3)
      end
      local v = Instance.getDataValue(inst, skey)
      if v ~= nil and v ~= NULL and out[v] == nil then
        values[#values + 1] = v
        srcs[#srcs + 1] = inst
        out[v] = many and setmetatable({}, core_array_mt) or NULL
      end
    end
    if #values == 0 then return out end
    opts = Model._finder_nulls(opts)
    local R, o = reader(TV, opts)
    local function read(cond)
      local w = {}
      for k, x in pairs(a.scope or {}) do w[k] = x end
      w[tkey] = cond
      return R:findAll(with(o, { where = merge_where(w, o and o.where) }))
    end
    local groups
    if many and o and o.limit ~= nil and #values > 1 then
      groups = {}
      for i, v in ipairs(values) do groups[i] = read(v) end
    else
      groups = { read({ [Op["in"]] = values }) }
    end
    for _, rows in ipairs(groups) do
      for _, row in ipairs(rows) do
        local mt = getmetatable(row)
        local k = (mt and mt.__M) and Instance.getDataValue(row, tkey) or row[tkey]
        local slot = k ~= nil and out[k]
        if slot ~= nil and slot ~= false then
          if many then slot[#slot + 1] = row else out[k] = row end
        end
      end
    end
    return out
  end
  -- Sequelize's association methods: association:get(instance [, opts]) and the rest run this
  -- association's own accessor (posts:count(u) is u:countPosts()), also when the prototype
  -- kept another method of that name (def, below): Sequelize's association.get is its own, so
  -- a caller's User.prototype:getPosts that calls it does not call itself
  local own = {} -- accessor name -> this association's function (def fills it)
  local function via(role)
    local name = a.accessors[role]
    return function(_, inst, ...)
      local mt = type(inst) == "table" and getmetatable(inst)
      if role == "get" and kind ~= "BelongsToMany" and type(inst) == "table" and not (mt and mt.__M) then
        return get_list(inst, ...)
      end
      if not (mt and mt.__M and Model._base(mt.__M) == M and own[name]) then
        fail(errors.Error, ("%s.%s: association.%s(instance, ...) takes a %s instance first, got %s")
          :format(M.name, a.as, role, M.name, type(inst)), 2)
      end
      return own[name](inst, ...)
    end
  end
  a.get, a.set, a.create = via("get"), via("set"), via("create")
  if a.accessors.count then
    a.count, a.has, a.add, a.remove = via("count"), via("hasAll"), via("addMultiple"), via("removeMultiple")
  end
  -- (each accessor checks its receiver and its options: u.getPosts() for u:getPosts(), or a
  -- number for the options, would fail deep inside)
  local opts_first = { get = true, count = true }
  local function def(name, fn)
    local at = opts_first[name:match("^%l+")] and 1 or 2
    local creates = name:match("^create") ~= nil
    own[name] = function(self, a1, a2, ...)
      -- (an instance of another model: x.setY(v) run as v:setY(), on the wrong row)
      local mt = type(self) == "table" and getmetatable(self)
      local SM = mt and mt.__M
      if not SM or Model._base(SM) ~= M then
        fail(errors.Error, ("%s:%s(...) is a method: call it with a colon on a %s instance (got %s)")
          :format(M.name, name, M.name, SM and "an instance of " .. tostring(SM.name) or type(self)), 2)
      end
      local o = at == 1 and a1 or a2
      if o ~= nil and type(o) ~= "table" then
        fail(errors.Error, ("%s.%s: options must be a table, got %s"):format(M.name, name, type(o)), 2)
      end
      if creates and a1 ~= nil and type(a1) ~= "table" then
        fail(errors.Error, ("%s.%s: values must be a table, got %s"):format(M.name, name, type(a1)), 2)
      end
      -- (where = Sequelize.null and the like: not given, as the finders take them)
      if at == 1 then a1 = Model._finder_nulls(a1) else a2 = Model._finder_nulls(a2) end
      return fn(self, a1, a2, ...)
    end
    -- installed unless the model's prototype has a method of that name already (a caller's
    -- own, or an older association's accessor): Sequelize's mixin does not override custom
    -- methods (an attribute of that name stays too: Sequelize's attributes are the prototype's
    -- own properties, so `hasTasks` a BOOLEAN column is no accessor). The association's
    -- methods (via, above) run this one whatever the prototype kept.
    if rawget(methods, name) ~= nil or M._index[name] or (M._virtuals and M._virtuals[name]) then return end
    methods[name] = own[name]
  end
  -- hasX(target) / hasXs(list) over the kind's has(self, list, opts): nil raises (Sequelize's
  -- where on undefined does); Sequelize.null is a key like any other, the where `key IS NULL`
  -- that finds no row (Sequelize's has(null) is false: an app's `hasX(user || null)`)
  local function def_has(has)
    def("has" .. S, function(self, v, opts)
      if v == nil then
        fail(errors.Error, ("%s.has%s: expected an instance of %s or its key, got nil"):format(M.name, S, T.name), 2)
      end
      return has(self, { v }, opts)
    end)
    def("has" .. P, function(self, list, opts)
      if list == nil then
        fail(errors.Error, ("%s.has%s: expected a list of %s instances or keys, got nil"):format(M.name, P, T.name), 2)
      end
      if list == NULL then return has(self, { NULL }, opts) end
      return has(self, list_of(list), opts)
    end)
  end
  if kind == "BelongsTo" then
    def("get" .. S, function(self, opts)
      -- (a key not read or not given: Sequelize's findByPk(undefined) is null for the target's
      -- primary key without a where, any other where on undefined raises)
      if unread(self, a.foreignKey) and (a.targetKey ~= T.primaryKeyAttribute or (opts and opts.where ~= nil)) then
        fail(errors.Error, ('WHERE parameter "%s" has invalid "undefined" value'):format(a.targetKey), 3)
      end
      local v = self[a.foreignKey]
      if v == nil then return nil end
      local R, o = reader(TV, opts)
      return R:findOne(with(o, { where = scoped(a, merge_where({ [a.targetKey] = v }, o and o.where)) }))
    end)
    def("set" .. S, function(self, value, opts)
      local v = value
      if check_instance(T, value, 2) then
        v = value[a.targetKey]
        if v == nil or v == NULL then -- (it would unset the key: Sequelize fails in SQL)
          fail(errors.Error, ("%s.set%s: the %s given has no value for %s (save it first, or read it with that attribute)")
            :format(M.name, S, T.name, a.targetKey), 2)
        end
      end
      self[a.foreignKey] = v == nil and NULL or v
      if opts and opts.save == false then return nil end -- (Sequelize: undefined)
      -- (Sequelize: fields = { foreignKey } unless the caller's options give their own; the
      -- key is written even when null under omitNull: Sequelize's allowNull = { foreignKey })
      local so = with({ fields = { a.foreignKey } }, opts or {})
      if v == nil or v == NULL then so.omitNull = false end
      return M._methods.save(self, so)
    end)
    def("create" .. S, function(self, values, opts)
      local t = T:create(values, opts)
      methods["set" .. S](self, t, opts)
      return t
    end)
  elseif kind == "HasOne" then
    def("get" .. S, function(self, opts)
      -- (a built row's primary key is null in Sequelize, not undefined: no error for it)
      if unread(self, a.sourceKey) and not (rawget(self, "isNewRecord") and a.sourceKey == M.primaryKeyAttribute) then
        fail(errors.Error, ('WHERE parameter "%s" has invalid "undefined" value'):format(a.foreignKey), 3)
      end
      local v = self[a.sourceKey]
      if v == nil then return nil end
      local R, o = reader(TV, opts)
      return R:findOne(with(o, { where = scoped(a, merge_where({ [a.foreignKey] = v }, o and o.where)) }))
    end)
    local set_one
    def("set" .. S, function(self, value, opts)
      if not check_instance(T, value, 2) then check_key(T, value, 2) end -- (before any SQL)
      -- (the old target unlinked and the new one linked in one transaction: all or nothing)
      return atomic(a, opts, function(o) return set_one(self, value, o) end)
    end)
    set_one = function(self, value, opts)
      local key = self[a.sourceKey]
      -- (unscoped, as Sequelize; an instance whatever the db's query = { raw } default: it is saved)
      local old = methods["get" .. S](self, { transaction = opts and opts.transaction, logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters,
                                               scope = false, raw = false })
      if old and (value == nil or value == NULL or key_of(T, value) ~= old[T.primaryKeyAttribute]) then
        old[a.foreignKey] = NULL
        -- (written under omitNull too: Sequelize's allowNull = { foreignKey })
        T._methods.save(old, with(opts, { fields = { a.foreignKey }, omitNull = false }))
      end
      if value == nil or value == NULL then return nil end
      local inst = value
      if not (type(value) == "table" and getmetatable(value) and getmetatable(value).__M) then
        -- (a soft-deleted target too: Sequelize updates the row by its key without reading it)
        inst = T:unscoped():findByPk(value, with(opts, { paranoid = false, raw = false }))
        if not inst then return nil end
      end
      if old and old[T.primaryKeyAttribute] == inst[T.primaryKeyAttribute] then return nil end
      inst[a.foreignKey] = key
      for k, x in pairs(a.scope or {}) do inst[k] = x end -- the scope's values, as createX writes
      T._methods.save(inst, opts) -- Sequelize saves the whole target, not just the key
      return inst
    end
    def("create" .. S, function(self, values, opts)
      -- (a source without its key writes no key of the values' own: create_values)
      return T:create(create_values(self, M, a, values), with_key_field(opts, a))
    end)
  elseif kind == "HasMany" then
    -- the getters' where, as Sequelize's HasMany get makes it: the key and the association's
    -- scope, and beside them the caller's where
    local function where_of(self, where)
      local w = {}
      for k, x in pairs(a.scope or {}) do w[k] = x end
      w[a.foreignKey] = source_key(self, a, true) -- (get, count and has: the stored value)
      if where ~= nil then return { [Op["and"]] = { w, where } } end
      return w
    end
    def("get" .. P, function(self, opts)
      local R, o = reader(TV, opts)
      return R:findAll(with(o, { where = where_of(self, o and o.where) }))
    end)
    -- count and has read through the getter as Sequelize's do: the target's find hooks run
    -- (not beforeCount), with their options
    def("count" .. P, function(self, opts)
      local R, o = reader(TV, opts)
      local row = Model._find_for(R, with(o, { where = where_of(self, o and o.where), attributes = { count_of(T) },
                                               raw = true, plain = true }), true)
      return tonumber(row and row.count) or 0
    end)
    local function has(self, list, opts)
      local targets = list_of(list)
      local any = {}
      for i, v in ipairs(targets) do
        local k = key_of(T, v)
        if k == nil then -- (NULL, given as the key: `id IS NULL`, no row)
          fail(errors.Error, ("%s.has%s: a target has no %s (an unsaved instance)"):format(M.name, S, T.primaryKeyAttribute), 3)
        end
        any[i] = { [T.primaryKeyAttribute] = k }
      end
      local R, o = reader(T, with(opts, { scope = false })) -- (Sequelize's has reads unscoped)
      o = with(o, { attributes = { T.primaryKeyAttribute }, raw = true,
                    where = where_of(self, { [Op["and"]] = { { [Op["or"]] = any }, opts and opts.where } }) })
      return #R:findAll(o) == #targets
    end
    def_has(has)
    local function add(self, list, opts)
      if list == nil or list == NULL then return nil end -- (Sequelize: nothing given, undefined)
      local keys = keys_of(T, list)
      local sk = source_key(self, a)
      if #keys == 0 then return self end
      -- (the instances given keep their values: Sequelize updates the rows only)
      T:unscoped():update(with_scope(a, { [a.foreignKey] = sk }), -- (unscoped, as Sequelize)
        with(opts, { where = { [T.primaryKeyAttribute] = keys } }))
      return self
    end
    local function remove(self, list, opts) -- (returns the association, as Sequelize's)
      local keys = keys_of(T, list)
      if #keys == 0 then return a end
      -- (the key is written under omitNull too: Sequelize's update leaves it out unless its
      -- name ends in "Id", and unlinks nothing)
      T:unscoped():update({ [a.foreignKey] = NULL }, with(opts, { where = { [a.foreignKey] = source_key(self, a),
        [T.primaryKeyAttribute] = keys }, omitNull = false }))
      return a
    end
    def("add" .. S, add)
    def("add" .. P, add)
    def("remove" .. S, remove)
    def("remove" .. P, remove)
    -- setX (Sequelize): the rows linked now read through the getter (its find hooks run),
    -- then one update unlinks those not in the list and one links those not yet linked
    local set_steps
    def("set" .. P, function(self, list, opts)
      local keys = keys_of(T, list) -- (every item checked before any SQL)
      source_key(self, a)
      return atomic(a, opts, function(o) return set_steps(self, list, keys, o) end)
    end)
    set_steps = function(self, list, keys, opts)
      local pk = T.primaryKeyAttribute
      -- (this association's getter, as Sequelize's set runs this.get, not the prototype's)
      local old = own["get" .. P](self, with(opts, { scope = false, raw = true }))
      local function norm(k) return key_value(T, pk, k) end
      local now, wanted = {}, {}
      for _, r in ipairs(old) do now[norm(r[pk])] = true end
      for _, k in ipairs(keys) do wanted[norm(k)] = true end
      local obsolete, fresh = {}, {}
      for _, r in ipairs(old) do
        if not wanted[norm(r[pk])] then obsolete[#obsolete + 1] = r[pk] end
      end
      local items = list_of(list) -- (once: it scans the whole list)
      for i, k in ipairs(keys) do
        if not now[norm(k)] then fresh[#fresh + 1] = items[i] end
      end
      if #obsolete > 0 then
        -- (written under omitNull too, as in remove)
        T:unscoped():update({ [a.foreignKey] = NULL }, with(opts, { where = { [pk] = obsolete }, omitNull = false }))
      end
      if #fresh > 0 then add(self, fresh, opts) end
      return self
    end
    def("create" .. S, function(self, values, opts)
      -- (a source without its key makes an unlinked row, as Sequelize's: create_values)
      return T:create(create_values(self, M, a, values), with_key_field(fields_form(opts), a))
    end)
  elseif kind == "BelongsToMany" then
    local Th = a.throughModel
    local function key_of(_, v)   -- join rows hold the targetKey, not necessarily the primary key
      if check_instance(T, v, 3) then return v[a.targetKey] end
      return check_key(T, v, 3)
    end
    local function keys_of(_, list) -- (this key_of's: has, remove and set match join rows by it)
      local keys = {}
      for i, v in ipairs(list_of(list)) do keys[i] = key_of(T, v) end
      return keys
    end
    -- attrs `{ exclude = {...} [, include = {...}] }` for model X with its `key` read all the
    -- same: the spec to select (a copy without key among the excluded) and whether key was
    -- excluded (to hide it again); false when it excludes every attribute of X and includes
    -- nothing (Sequelize's attributes []: nothing shown)
    local function without_key(X, attrs, key)
      local ex = attrs.exclude
      if ex ~= nil and type(ex) ~= "table" then return attrs, false end
      local spec, hide, out = {}, false, {}
      for k, x in pairs(attrs) do spec[k] = x end
      local left = {}
      for k in pairs(X.rawAttributes) do left[k] = true end
      for _, x in ipairs(ex or {}) do
        if x == key then hide = true else out[#out + 1] = x end
        left[x] = nil
      end
      local inc = attrs.include
      if next(left) == nil and not (type(inc) == "table" and inc[1] ~= nil) then return false, false end
      if ex ~= nil then spec.exclude = out end
      return spec, hide
    end
    local function through_values(target, opts, name)
      local v = {}
      local given = opts and opts.through
      -- (a string naming the through model gives no values: Sequelize spreads it into the
      -- join row's values, where its characters name no attribute)
      if type(given) == "string" and (given == Th.name or given == Th.tableName) then given = nil end
      if given ~= nil and type(given) ~= "table" then
        fail(errors.Error, ("%s.%s: options.through must be a table of %s values (or the name %q), got %s")
          :format(M.name, name, Th.name, Th.name, type(given) == "string" and ("%q"):format(given) or type(given)), 4)
      end
      for k, x in pairs(given or {}) do v[k] = x end
      if opts then
        for k, x in pairs(opts) do
          if type(k) == "string" and Th._index[k] and k ~= a.foreignKey and k ~= a.otherKey then v[k] = x end
        end
      end
      local own = type(target) == "table" and rawget(target, Th.name)
      if type(own) == "table" and not getmetatable(own) then
        for k, x in pairs(own) do v[k] = x end
      end
      return v
    end
    -- The getter (count and has read through it, as Sequelize's do). Sequelize reads the
    -- targets with one findAll joining the through model, where {[Op.and]: [the association's
    -- scope, the caller's where]}: here the target's find hooks get those options, then the
    -- join rows are read (the through model's hooks do not run: Sequelize includes it) and
    -- their keys added to the where read. Each target carries its join row (matched in C).
    -- plain (the counter): the first row is the result.
    local function get(self, opts, plain)
      local skey = source_key(self, a)
      local jattrs = opts and opts.joinTableAttributes
      -- (`{ exclude = {...}, include = {...} }`: an attribute spec for the join row, as
      -- Sequelize's include of the through model takes it)
      local jspec = type(jattrs) == "table" and jattrs[1] == nil and (jattrs.exclude ~= nil or jattrs.include ~= nil)
      local show_join = not plain and not (jattrs and not jspec and #jattrs == 0)
      local lattrs, hide_lkey = nil, false
      if jattrs and show_join and jspec then
        lattrs, hide_lkey = without_key(Th, jattrs, a.otherKey)
        if lattrs == false then show_join, lattrs, hide_lkey = false, nil, false end
      elseif jattrs and show_join then
        lattrs = { unpack_list(jattrs) }
        local has = false
        for _, x in ipairs(lattrs) do if x == a.otherKey then has = true end end
        if not has then lattrs[#lattrs + 1] = a.otherKey; hide_lkey = true end
      end
      -- no join row shown (count, has, joinTableAttributes = {}): only the key the targets are
      -- matched by is read (Sequelize's join selects no through column then, so a join table
      -- without the through model's timestamps works)
      if not show_join then lattrs = { a.otherKey } end
      local where = {}
      if a.scope then
        local sc = {}
        for k, x in pairs(a.scope) do sc[k] = x end
        where[1] = sc
      end
      where[#where + 1] = opts and opts.where
      local o = with(opts, { where = { [Op["and"]] = where } })
      o.joinTableAttributes = nil
      o.through = nil
      local one = not plain and o.plain == true -- (the caller's plain: the first target, joined)
      if one then o.plain = nil end
      local hide_key = false
      if not plain and type(o.attributes) == "table" and o.attributes[1] == nil and o.attributes.exclude ~= nil then
        -- an exclude list: the target key is read all the same, and hidden (its join row is
        -- matched by it)
        local spec, hide = without_key(T, o.attributes, a.targetKey)
        if spec then o.attributes, hide_key = spec, hide
        else o.attributes, hide_key = { a.targetKey }, true end -- (every column excluded: the join rows only, as Sequelize's)
      elseif not plain and type(o.attributes) == "table" and o.attributes[1] ~= nil then
        -- the target key matches rows to join rows: select it, hide it if not asked for
        local has = false
        for _, x in ipairs(o.attributes) do if x == a.targetKey then has = true end end
        if not has then
          o.attributes = { unpack_list(o.attributes) }
          o.attributes[#o.attributes + 1] = a.targetKey
          hide_key = true
        end
      end
      local links
      local raw = not plain and opts ~= nil and opts.raw == true -- (raw rows: the join values as "Through.col")
      local function joined(ho)
        links = Th:findAll({ where = through_scoped(a, merge_where({ [a.foreignKey] = skey },
                                                                   opts and opts.through and opts.through.where)),
                             attributes = lattrs, transaction = ho and ho.transaction, logging = ho and ho.logging, logQueryParameters = ho and ho.logQueryParameters,
                             raw = raw,
                             paranoid = opts and opts.through and opts.through.paranoid, hooks = false,
                             rejectOnEmpty = false, -- (a join model's rejectOnEmpty: Sequelize's getter joins it)
                             -- (the join rows show the through model's getterMethods, as
                             -- Sequelize's included through rows do, unless attributes are named)
                             _getters_shown = lattrs == nil or nil })
        local ro = with(ho, { where = merge_where({ [a.targetKey] = core.collect(links, raw and a.otherKey
                                                                                  or Th._index[a.otherKey]) },
                                                  ho and ho.where) })
        if ho and (names_through(ho.where, Th.name, false) or names_through(ho.order, Th.name, true)) then
          -- "$UserProject.hours$" / col("UserProject.hours"): the through model joined by its
          -- name, as Sequelize's getter joins it
          ro._through = { source = a.source._box, as = a.as, key = skey, where = through_scoped(a, nil) }
        end
        return ro
      end
      local R
      R, o = reader(TV, o)
      local rows = Model._find_for(R, o, plain, joined)
      if plain then return rows end
      if raw then
        core.join_one_raw(rows, a.targetKey, show_join and links or {}, a.otherKey, Th.name, opts.nest == true,
                          hide_key, hide_lkey)
      elseif show_join then
        core.join_one(rows, T._index[a.targetKey], links, Th._index[a.otherKey], Th.name, hide_key, hide_lkey)
        if jattrs then
          -- a set() of the through name on a target builds its join row with only these
          -- (Sequelize: joinTableAttributes are the through include's originalAttributes)
          local names = {}
          if jspec then
            local out = {}
            for _, x in ipairs(type(jattrs.exclude) == "table" and jattrs.exclude or {}) do out[x] = true end
            for _, at in ipairs(Th._attrs) do if not out[at.fieldName] then names[#names + 1] = at.fieldName end end
          else
            for i, x in ipairs(jattrs) do names[i] = x end
          end
          local seen = {}
          for _, r in ipairs(rows) do
            local sh = rawget(r, 0)
            if type(sh) == "table" and not seen[sh] then
              seen[sh] = true
              sh.join = { attributes = names }
            end
          end
        end
      elseif hide_key then
        core.drop_slots(rows, { T._index[a.targetKey] })
      end
      if one then return rows[1] end
      return rows
    end
    def("get" .. P, function(self, opts) return get(self, opts) end)
    def("count" .. P, function(self, opts)
      local row = get(self, with(opts, { attributes = { count_of(T, a.targetKey) }, joinTableAttributes = {},
                                         raw = true, plain = true }), true)
      return tonumber(row and row.count) or 0
    end)
    local function has(self, list, opts)
      local keys = keys_of(T, list)
      local any = {}
      for i, k in ipairs(keys) do any[i] = { [a.targetKey] = k } end
      if #keys < #list_of(list) then
        fail(errors.Error, ("%s.has%s: a target has no %s (an unsaved instance)"):format(M.name, S, a.targetKey), 3)
      end
      local o = with(opts, { scope = false, attributes = { a.targetKey }, joinTableAttributes = {},
                             where = { [Op["and"]] = { { [Op["or"]] = any }, opts and opts.where } } })
      if o.raw == nil then o.raw = true end
      local rows = get(self, o)
      local found = {}
      for _, r in ipairs(rows) do found[r[a.targetKey]] = true end
      for _, k in ipairs(keys) do
        if not found[k] then return false end
      end
      return true
    end
    def_has(has)
    local function tx(opts, extra) -- the options the join-table statements take from the caller's
      if not opts then return extra or {} end
      -- (hooks and individualHooks too: Sequelize hands the accessor's options to the through
      -- model's findAll, bulkCreate, update and destroy, so `hooks = false` silences its hooks
      -- and `individualHooks = true` runs its row hooks on the join rows)
      local o = { transaction = opts.transaction, logging = opts.logging, logQueryParameters = opts.logQueryParameters, hooks = opts.hooks }
      for k, v in pairs(extra or {}) do o[k] = v end
      return o
    end
    local function wtx(opts, extra) -- a write's: individualHooks and validate as well
      local o = tx(opts, extra)
      if opts and opts.individualHooks ~= nil then o.individualHooks = opts.individualHooks end
      if opts and opts.validate ~= nil then o.validate = opts.validate end
      return o
    end
    -- as Sequelize: the join rows there are read in one query, those missing made by one
    -- bulkCreate (its hooks are the through model's bulk ones), the changed ones updated.
    -- Returns what each step returned, in Sequelize's order: addX's (the created join rows,
    -- then one update's result, `{ 1 }` as its through.update's [1], per updated join row)
    -- and setX's (the updates, the count deleted when not 0, the created rows). addX
    -- returns the first of them (nil when nothing changed), as Sequelize's; setX all of them. setX (`replace`) reads every join row of the
    -- source, as Sequelize's, and destroys the obsolete ones by their keys (`{ fk = k,
    -- otherKey = { ... } }`, no destroy when none is).
    local function add_steps(self, list, opts, replace, name)
      local skey = source_key(self, a)
      local targets = list_of(list)
      local steps = setmetatable({}, core_array_mt) -- (Sequelize's array of results: [] when empty)
      local keys = keys_of(T, targets)
      local rwhere = { [a.foreignKey] = skey }
      if not replace then rwhere[a.otherKey] = keys end
      if not replace and #targets == 0 then return steps end
      -- (none found is no error, whatever the through model's rejectOnEmpty: Sequelize's add
      -- and set catch its EmptyResultError)
      local rows = Th:findAll(tx(opts, { where = through_keys(a, rwhere), rejectOnEmpty = false, raw = false }))
      local found, fresh, seen, changed, wanted = {}, {}, {}, {}, {}
      for _, r in ipairs(rows) do found[r[a.otherKey]] = r end
      for i, t in ipairs(targets) do
        local tk = keys[i]
        if tk == nil or tk == NULL then
          fail(errors.Error, ("%s.%s: the %s to %s has no value for its key (save it first)")
            :format(M.name, name, T.name, replace and "set" or "add"), 3)
        end
        tk = key_value(Th, a.otherKey, tk)
        wanted[tk] = true
        local values = through_values(t, opts, name)
        local row = found[tk]
        if row then
          if replace then -- (setX updates each kept row given through values, changed or not)
            if next(values) ~= nil then changed[#changed + 1] = { row, values, tk } end
          else
            for k, x in pairs(values) do
              if row[k] ~= x then changed[#changed + 1] = { row, values }; break end
            end
          end
        elseif not seen[tk] then
          seen[tk] = true
          values[a.foreignKey] = skey
          values[a.otherKey] = tk
          for k, x in pairs(a.throughScope or {}) do values[k] = x end
          fresh[#fresh + 1] = values
        end
      end
      local function create()
        -- (validated unless the caller says otherwise, as Sequelize's
        -- through.bulkCreate(..., { validate: true, ...options }))
        if #fresh > 0 then
          local o = wtx(opts)
          if o.validate == nil then o.validate = true end
          steps[#steps + 1] = Th:bulkCreate(fresh, o)
        end
      end
      local function drop()
        local obsolete = {}
        for _, r in ipairs(rows) do
          local k = r[a.otherKey]
          if not wanted[k] then obsolete[#obsolete + 1] = k end
        end
        if #obsolete == 0 then return end
        local n = Th:destroy(wtx(opts, { where = through_keys(a, { [a.foreignKey] = skey, [a.otherKey] = obsolete }) }))
        if n and n > 0 then steps[#steps + 1] = n end
      end
      if not replace then create() end
      -- (each update's result a list, `{ n }`, as Sequelize's static update resolves to [n])
      for _, c in ipairs(changed) do
        if c[3] ~= nil then -- setX: Sequelize's static update of the join row, updatedAt touched
          steps[#steps + 1] = setmetatable({ (Th:update(c[2], wtx(opts, { where = through_keys(a,
            { [a.foreignKey] = skey, [a.otherKey] = c[3] }) }))) }, core_array_mt)
        else -- (a static update of the join row, as Sequelize's through.update)
          steps[#steps + 1] = setmetatable({ (Th:update(c[2], wtx(opts, { where = through_keys(a,
            { [a.foreignKey] = skey, [a.otherKey] = c[1][a.otherKey] }) }))) }, core_array_mt)
        end
      end
      if replace then drop(); create() end
      return steps
    end
    local function add(self, list, opts, name)
      if list == nil or list == NULL then return nil end -- (Sequelize: nothing given, undefined, no SQL)
      keys_of(T, list)
      return atomic(a, opts, function(o) return add_steps(self, list, o, false, name)[1] end)
    end
    -- returns the number of join rows deleted, as Sequelize's
    local function remove(self, list, opts)
      local keys = keys_of(T, list)
      local skey = source_key(self, a)
      if #keys == 0 then return 0 end
      -- (within the through scope: Sequelize 6 deletes by the two keys only, so removing a
      -- comment's label also removes a post's link that has the same two keys)
      return Th:destroy(wtx(opts, { where = through_keys(a, { [a.foreignKey] = skey, [a.otherKey] = keys }) }))
    end
    def("add" .. S, function(self, v, opts) return add(self, v, opts, "add" .. S) end)
    def("add" .. P, function(self, list, opts) return add(self, list, opts, "add" .. P) end)
    def("remove" .. S, remove)
    def("remove" .. P, remove)
    def("set" .. P, function(self, list, opts)
      keys_of(T, list)
      source_key(self, a)
      -- (the delete of the old join rows and the new ones in one transaction: all or nothing)
      return atomic(a, opts, function(o) return add_steps(self, list, o, true, "set" .. P) end)
    end)
    def("create" .. S, function(self, values, opts)
      source_key(self, a)
      opts = fields_form(opts)
      if opts ~= nil and type(opts) ~= "table" then
        fail(errors.Error, ("%s.%s: options must be a table, got %s"):format(a.source.name, "create" .. S, type(opts)), 2)
      end
      if opts and opts.through ~= nil and type(opts.through) ~= "table" then
        fail(errors.Error, ("%s.%s: options.through must be a table of %s values, got %s")
          :format(a.source.name, "create" .. S, Th.name, type(opts.through)), 2)
      end
      -- the target and its join row in one transaction (a savepoint in the caller's): a join
      -- row that fails leaves no target behind
      return a.source.sequelize:_atomic({ transaction = opts and opts.transaction, logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters },
        function(tx)
          local o = {}
          for k, x in pairs(opts or {}) do -- the target's own options; through values stay for add
            if k ~= "through" and not (type(k) == "string" and Th._index[k] and not T._index[k]) then o[k] = x end
          end
          o.transaction = tx
          -- (a fields list gets the scope's attributes, which the accessor writes: Sequelize)
          local t = T:create(with_scope(a, values), with_key_field(o, a, false))
          local ao = {}
          for k, x in pairs(opts or {}) do if k ~= "fields" then ao[k] = x end end
          ao.transaction = tx
          add(self, { t }, ao, "create" .. S)
          return t
        end)
    end)
  end
end

function A.is_association(v) return type(v) == "table" and getmetatable(v) == Association end

-- (shared with include.lua and nested_create.lua)
A.util = { fail = fail, with = with, is_model = is_model, base = base, merge_where = merge_where, scoped = scoped,
           through_scoped = through_scoped, Association = Association }

return A
