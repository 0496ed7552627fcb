-- model.lua: the Model class and its statics: build, create, bulkCreate, the finders,
-- aggregates, upsert, update, destroy, increment, sync (define, the attribute and model
-- options checked and normalised before the C core builds the model, and the model's
-- layout kept current: define.lua). Rows never pass through Lua loops here: the core reads
-- and writes them.
local core = require("sequelua.core")
local DataTypes = require("sequelua.datatypes")
local errors = require("sequelua.errors")
local instance = require("sequelua.instance")
local H = require("sequelua.hooks")
local Expr = require("sequelua.expr")
local Paranoid = require("sequelua.paranoid")
local V = require("sequelua.validation")

local NULL = core.null
local Model = {}
Model.__index = Model
Model.__tostring = function(m) return "Model " .. m.name end

local function fail(msg, level) error(errors.new(errors.Error, msg), (level or 1) + 1) end

-- ---------------------------------------------------------------------------
-- statics

local function copy(t)
  local n = {}
  if t then for k, v in pairs(t) do n[k] = v end end
  return n
end

-- (a call's `transaction = Sequelize.null` / false: a copy without it, instance.lua)
local no_null_tx = instance.no_null_tx

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
  if opts and (opts.transaction == NULL or opts.transaction == false) then return no_null_tx(opts) end
  return opts
end

-- A finder's options with `Sequelize.null` taken as not given where Sequelize reads a JavaScript
-- null so (`where = Sequelize.null`: no condition; include, attributes, order, group, having,
-- limit, offset likewise); a copy when one is, else opts itself
local FINDER_NULLS = { "where", "include", "attributes", "order", "group", "having", "limit", "offset" }
-- An options or include table whose `attributes = { exclude = "email" }` (or include) names one
-- attribute as a string: the same with that string as a one-name list, as Sequelize takes it
-- (the RealWorld app's `attributes: { exclude: "email" }`); a copy when so, else itself
local function attr_lists(t)
  if type(t) ~= "table" then return t end
  local at = rawget(t, "attributes") -- (nil for most options: the metatable tests only after it)
  if type(at) ~= "table" or getmetatable(t) ~= nil or getmetatable(at) ~= nil then return t end
  local ex, inc = rawget(at, "exclude"), rawget(at, "include")
  if type(ex) ~= "string" and type(inc) ~= "string" then return t end
  local a2 = copy(at)
  if type(ex) == "string" then a2.exclude = { ex } end
  if type(inc) == "string" then a2.include = { inc } end
  local out = copy(t)
  out.attributes = a2
  return out
end
Model._attr_lists = attr_lists -- (an include's too: association.lua)

-- (`scope`: the model's; its include, attributes, order, group, limit or offset that the
-- finder gives as Sequelize.null stays Sequelize.null here, for the scope's merge to drop both,
-- as Sequelize's _mergeFunction returns the finder's null; where and having: see README)
local SCOPE_NULLS = { include = true, attributes = true, order = true, group = true, limit = true, offset = true }
local ROW_FINDERS = { findAll = true, findOne = true, findByPk = true, findAndCountAll = true }
local COUNTS = { count = true, aggregate = true, max = true, min = true, sum = true }
local FINDER_NULL_KEYS = {}
for _, k in ipairs(FINDER_NULLS) do FINDER_NULL_KEYS[k] = true end
local function finder_nulls(opts, scope, what)
  if type(opts) ~= "table" then return opts end
  local out = opts
  -- (the option's keys walked raw, as rawget reads them: fewer than the eight names, most calls;
  -- the key tested first: a value of another option is never compared with NULL, as an FFI
  -- metatype's __eq (LuaJIT) would run for it, and may raise)
  for k, v in next, opts do
    -- (count and the aggregates take the caller's attributes alone: the scope's play no part;
    -- the aggregates read them as not given)
    if FINDER_NULL_KEYS[k] and v == NULL and not (scope and SCOPE_NULLS[k] and scope[k] ~= nil and (ROW_FINDERS[what]
                                        or (COUNTS[what] and k ~= "attributes"))) then
      if out == opts then out = copy(opts) end
      out[k] = nil
    end
  end
  return attr_lists(out)
end
Model._finder_nulls = finder_nulls -- (an accessor's options too: association.lua)

local function finder_opts(M, opts, what)
  opts = check_opts(M, opts, what)
  return finder_nulls(opts, M._scope, what)
end

-- The `query` option of Sequelize.new: its raw is the row finders' default (Sequelize merges
-- options.query into every query's options: `query = { raw = true }` gives plain rows), taken
-- when neither the call, the scope nor a find hook gave one: Sequelize merges it in
-- sequelize.query, so the hooks see the options without it (raw undefined). The finders this
-- port runs for its own ends say raw = false.
local function default_raw(M, opts)
  if opts ~= nil and opts.raw ~= nil then return opts end
  -- (a table, or {}: Sequelize.new checks it; no type() call, a cost on every find)
  local q = M.sequelize.options.query
  local raw = q and q.raw
  if raw == nil then return opts end
  opts = opts and copy(opts) or {}
  opts.raw = raw
  return opts
end

-- An include table with its `Sequelize.null` options read as Sequelize reads a JavaScript
-- null: not given, but false for the flags named in `falsy` (`required = Sequelize.null` is a
-- LEFT JOIN, a where or not); a copy when it has one, else itself
function Model._no_nulls(t, falsy)
  if type(t) ~= "table" or getmetatable(t) ~= nil then return t end
  local out = t
  for k, v in pairs(t) do
    if v == NULL then
      if out == t then out = copy(t) end
      if falsy and falsy[k] then out[k] = false else out[k] = nil end
    end
  end
  return out
end

-- Model:getTableName(): the table's name; with a schema, Sequelize's addSchema object
-- { tableName, table, name, schema, delimiter } (tableName the bare name), whose tostring, and
-- a concatenation with it, is the quoted one name `schema.tableName` (Sequelize's toString,
-- quoteTable); the query interface takes it as that table
local TableRef = {}
TableRef.__tostring = function(t)
  return "`" .. (t.schema .. t.delimiter .. t.tableName):gsub("`", "``") .. "`"
end
TableRef.__concat = function(a, b) return tostring(a) .. tostring(b) end

function Model:getTableName()
  local schema = self.options.schema
  if schema == nil then return self.tableName end
  local delim = self.options.schemaDelimiter or "."
  local bare = self.tableName:sub(#schema + #delim + 1)
  return setmetatable({ tableName = bare, table = bare, name = self.name, schema = schema, delimiter = delim }, TableRef)
end

-- Model:schema(name [, options]) (Sequelize's Model.schema): a copy of the model whose table
-- is `name .. delimiter .. table` (SQLite has no schemas: one name, as Sequelize's sqlite
-- dialect writes it), the delimiter options.schemaDelimiter (or options itself, a string),
-- else the model's, else "."; name nil, Sequelize.null or "": the table without a schema.
-- Its queries, creates, updates, destroys, sync and drop go to that table, and its rows and
-- instances are its own (constructor, Model); every other field (attributes, hooks, scopes,
-- associations) is read from the model at each access, as Sequelize's subclass inherits them.
function Model:schema(name, options)
  local base = Model._base(self)
  local NULL_ = core.null
  if name == NULL_ or name == "" then name = nil end
  if name ~= nil and (type(name) ~= "string" or not core.is_name(name)) then
    fail(("%s.schema: the schema must be a string, got %s"):format(self.name, type(name)), 2)
  end
  local delim
  if type(options) == "string" then delim = options
  elseif type(options) == "table" then delim = options.schemaDelimiter
  elseif options ~= nil then fail(("%s.schema: options must be a table or a delimiter string"):format(self.name), 2) end
  if delim == "" then delim = nil end
  if delim ~= nil and (type(delim) ~= "string" or not core.is_name(delim)) then
    fail(("%s.schema: schemaDelimiter must be a string, got %s"):format(self.name, type(delim)), 2)
  end
  delim = delim or self.options.schemaDelimiter
  local ref = base:getTableName()
  local bare = type(ref) == "table" and ref.tableName or ref
  local tname = name and (name .. (delim or ".") .. bare) or bare
  local opts = setmetatable({ schema = name, schemaDelimiter = delim }, { __index = function(_, k)
    if k ~= "schema" and k ~= "schemaDelimiter" then return base.options[k] end
  end })
  -- (a scope's scope is the copy's; the model's own defaultScope is read live, as the subclass
  -- Sequelize's schema() makes inherits _scope, an addScope('defaultScope') after it seen)
  local scoped = self ~= base
  local v = { _base = base, _box = core.view(base._box, tname), tableName = tname, options = opts,
              _schema_view = true, _scope = scoped and rawget(self, "_scope") or nil,
              _scopeNames = scoped and rawget(self, "_scopeNames") or nil, scoped = scoped and rawget(self, "scoped") or nil }
  setmetatable(v, { __index = base, __newindex = base, __metatable = Model, __tostring = Model.__tostring })
  Model.view_mt(v)
  local views = rawget(base, "_views")
  if not views then views = setmetatable({}, { __mode = "k" }); rawset(base, "_views", views) end
  views[v] = true
  return v
end

-- Model:describe([opts]): its table as the query interface describes it (Sequelize)
function Model:describe(opts) return self.sequelize:getQueryInterface():describeTable(self.tableName, opts) end

-- model scopes (scope.lua): the model's scope merged into a finder's options, and the
-- model to run on without it
local function scoped(M, opts, what)
  local sc = M._scope
  if sc == nil then return M, opts end
  if next(sc) == nil then return M, attr_lists(opts) end -- (Model._inject_scope's answer for no scope)
  local M2, o = Model._inject_scope(M, opts, what)
  return M2, attr_lists(o) -- (a scope's `exclude = "password"` too)
end

local function has_scope(M) return M._scope ~= nil and next(M._scope) ~= nil end

local function copy_with(t, k, v)
  local n = copy(t)
  n[k] = v
  return n
end

-- Plain tables copied deeply (expressions, models and instances, which have metatables,
-- kept as they are)
local function clone_plain(v, seen)
  if type(v) ~= "table" or getmetatable(v) ~= nil then return v end
  if seen[v] then return seen[v] end
  local t = {}
  seen[v] = t
  for k, x in pairs(v) do t[k] = clone_plain(x, seen) end
  return t
end
Model._clone_plain = clone_plain

-- The options a hook gets: a copy whose where, attributes, order, group, having, include
-- and fields are the hook's own, so that changing them in place leaves the caller's alone
-- (Sequelize clones the options deeply before its hooks run)
local HOOK_CLONED = { "where", "attributes", "order", "group", "having", "include", "fields" }
local function hook_copy(opts)
  local o = copy(opts)
  local seen = {}
  for _, k in ipairs(HOOK_CLONED) do
    if type(o[k]) == "table" then o[k] = clone_plain(o[k], seen) end
  end
  return o
end
Model._hook_copy = hook_copy

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
    -- (each function runs for every new instance, a value given or not, as Sequelize's
    -- _initValues computes every default before it sets the values over them)
    for k, fn in pairs(self._default_fns) do
      local slot = self._index[k]
      local v = fn()
      if v ~= nil and rawget(inst, slot) == nil then rawset(inst, slot, v) end
    end
  end
  if self._virtual_defaults and not existing then
    -- a VIRTUAL attribute's default: its own value, stored as given (Sequelize sets defaults
    -- raw: no setter, nothing changed); a value given goes through the setter below
    for _, v in ipairs(self._virtual_defaults) do
      local dv = v.defaultValue
      if type(dv) == "function" then dv = dv() end -- (run whatever is given: as above)
      if (values == nil or values[v.name] == nil) and dv ~= nil then instance.store_virtual(inst, v.name, dv) end
    end
  end
  if self._setters and values and not (opts and opts.raw) then -- (raw: the values as given, no setters)
    for k, fn in pairs(self._setters) do
      if values[k] ~= nil then
        -- (the setter's value only: the one given was never stored, so previous() has none)
        local slot = self._index[k]
        if slot and not existing then rawset(inst, slot, nil) end
        fn(inst, values[k], k)
      end
    end
  end
  if self._virtuals and values then -- through their setters, after the columns' values
    -- (raw: the value as given, no setter, not marked changed: Sequelize's raw set)
    local raw = opts and opts.raw
    for _, v in ipairs(self._virtual_list) do
      local x = values[v.name]
      if x ~= nil then
        if raw then instance.store_virtual(inst, v.name, x) else inst[v.name] = x end
      end
    end
  end
  -- "meta.a" keys: set inside the JSON attribute, as Sequelize's build sets them
  local jkeys = values and self._json_attrs and instance.json_keys(self, values)
  if jkeys then instance.set_json_keys(inst, self, values, jkeys) end
  if existing then
    rawset(inst, "isNewRecord", nil)
    -- the values given replaced none (Sequelize's _previousDataValues of them: undefined,
    -- left out of it and of previous(), not null)
    local prev = rawget(inst, -1)
    for k, v in pairs(prev or {}) do
      if v == NULL then prev[k] = instance.ABSENT end
    end
  end
  if opts and opts.raw then
    rawset(inst, -1, nil) -- (a raw set marks nothing changed: Sequelize)
    if values then instance.keep_raw_keys(inst, self, values, jkeys) end
  end
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
  opts = check_opts(self, opts, "create")
  check_values(self, values, "create")
  if opts and opts.include ~= nil then return Model._create_with_include(self, values or {}, opts) end
  if opts and opts.fields and type(values) == "table" then
    -- Sequelize builds with `attributes: fields`: only those values are taken (a "meta.a"
    -- key too, which sets the instance's meta; the INSERT writes the attributes listed)
    local only = {}
    for _, f in ipairs(opts.fields) do only[f] = values[f] end
    -- (and the VIRTUAL attributes, always: Sequelize's set takes _virtualAttributes too, so
    -- the instance and its hooks see them; fields limits the columns written)
    for _, v in ipairs(self._virtual_list or {}) do
      if values[v.name] ~= nil then only[v.name] = values[v.name] end
    end
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
  if opts and opts.fields and (self._mt.__gm or self._getters or self._virtuals) and rawget(inst, 0) == nil then
    -- Sequelize's instance holds `attributes: fields`: toJSON leaves out the getters of
    -- attributes not among them (a VIRTUAL's too), and getterMethods that are no attribute
    local vshow
    for _, f in ipairs(opts.fields) do
      if self._virtuals and self._virtuals[f] then vshow = vshow or {}; vshow[f] = true end
    end
    -- (and those holding a value: Sequelize's set() stores every VIRTUAL given, whatever
    -- attributes says, and get() shows what dataValues holds through its getter)
    for k in pairs(self._virtuals and rawget(inst, -4) or {}) do
      if self._virtuals[k] then vshow = vshow or {}; vshow[k] = true end
    end
    rawset(inst, 0, { partial = true, vshow = vshow })
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
  local groups = unique_groups(M)
  if #groups > 1 then
    -- Sequelize takes the first unique key in the order the attributes were defined, which a
    -- Lua table does not keep: taking one by column order would update the rows another key
    -- finds (where Sequelize raises), so the caller names it
    local names = {}
    for i, g in ipairs(groups) do names[i] = table.concat(g, "+") end
    fail(("%s.bulkCreate: updateOnDuplicate on a model with several unique keys (%s) needs conflictAttributes"
          .. " naming the one to update by (Sequelize takes the first defined, an order a Lua table does not keep)")
         :format(M.name, table.concat(names, ", ")), 4)
  end
  for _, ix in ipairs(M._indexes or {}) do
    if ix.unique and not ix.where then -- (Sequelize's bulkCreate skips partial indexes)
      for _, f in ipairs(ix.fields) do keys[#keys + 1] = Model._index_attr(M, f) end
    end
  end
  for _, k in ipairs(groups[1] or {}) do keys[#keys + 1] = k end
  if #keys == 0 then
    for _, k in ipairs(M.primaryKeyAttributes) do keys[#keys + 1] = k end
  end
  return keys
end

-- bulkCreate's ignoreDuplicates / updateOnDuplicate / conflictAttributes checked, and the
-- options the core reads (updateOnDuplicate without createdAt, a conflict target)
local function conflict_opts(M, opts)
  if not opts or (opts.ignoreDuplicates == nil and opts.updateOnDuplicate == nil and opts.conflictAttributes == nil
                  and opts.conflictWhere == nil) then
    return opts
  end
  local function names(k)
    local v = opts[k]
    if v == nil then return nil end
    if type(v) ~= "table" or getmetatable(v) or #v == 0 then
      if k == "updateOnDuplicate" then fail("updateOnDuplicate option only supports non-empty array.", 4) end
      fail(("%s.bulkCreate: %s must be a non-empty list of attribute names"):format(M.name, k), 4)
    end
    instance.check_list(M, v, k, 4)
    for i, x in ipairs(v) do
      if type(x) ~= "string" then fail(("%s.bulkCreate: %s must list attribute names (item %d)"):format(M.name, k, i), 4) end
      if not M._index[x] then
        if M._virtuals and M._virtuals[x] then
          -- (Sequelize keeps only the table's attributes of updateOnDuplicate: a VIRTUAL one is
          -- dropped below; as a conflict target it has no column)
          if k ~= "updateOnDuplicate" then
            fail(("%s.bulkCreate: %s names the VIRTUAL attribute '%s', which has no column"):format(M.name, k, x), 4)
          end
        else
          fail(("%s.bulkCreate: %s names an unknown attribute '%s'"):format(M.name, k, x), 4)
        end
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
  if o.conflictWhere ~= nil then
    -- (the ON CONFLICT target's WHERE, naming a partial unique index: Sequelize writes it with
    -- updateOnDuplicate only, and ignores it otherwise)
    if not upd then fail(("%s.bulkCreate: conflictWhere needs updateOnDuplicate"):format(M.name), 3) end
    if type(o.conflictWhere) ~= "table" then
      fail(("%s.bulkCreate: conflictWhere must be a where table, got %s"):format(M.name, type(o.conflictWhere)), 3)
    end
  end
  if upd then
    if o.ignoreDuplicates then
      fail(("%s.bulkCreate: ignoreDuplicates and updateOnDuplicate cannot be used together"):format(M.name), 3)
    end
    local created = M.options.createdAt
    local list = {}
    for _, f in ipairs(upd) do
      if f ~= created and M._index[f] then list[#list + 1] = f end -- (not createdAt, nor a VIRTUAL)
    end
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
  opts = check_opts(self, opts, "bulkCreate")
  opts = conflict_opts(self, opts)
  if type(list) ~= "table" or getmetatable(list) and getmetatable(list).__M or (next(list) ~= nil and list[1] == nil) then
    fail(("%s.bulkCreate: expected a list of tables"):format(self.name), 2)
  end
  -- (the paths that walk the rows in Lua check for a hole first; the core's bulk insert checks
  -- it as it reads the list)
  if opts and opts.include ~= nil then
    -- (with include each level is a bulkCreate of its model, with its own hooks: association.lua)
    instance.check_list(self, list, "bulkCreate records", 2)
    return Model._bulk_create_with_include(self, list, opts)
  end
  -- (hooks = false silences the bulk hooks only: individualHooks still runs the rows', Sequelize;
  -- individualHooks saves each row on its own also without hooks, as Sequelize does, so that a
  -- unique violation's item holds the row's value)
  if (H.hooked(self) and (opts == nil or opts.hooks ~= false)) or (opts and opts.individualHooks) then
    instance.check_list(self, list, "bulkCreate records", 2)
    return Model._bulk_create_hooked(self, list, opts)
  end
  if (opts and opts.validate) or self._setters or self._default_fns or self._virtuals
    or (self._json_attrs and has_json_keys(self, list)) then
    instance.check_list(self, list, "bulkCreate records", 2)
    local built = {}
    for i, values in ipairs(list) do
      if type(values) ~= "table" then fail(("%s.bulkCreate: item %d is not a table"):format(self.name, i), 2) end
      built[i] = self:build(values)
    end
    if opts and opts.validate then Model._validate_rows(self, built, opts.fields, { hooks = false, skip = opts.skip }) end
    list = built
  end
  return Model._virtuals_saved(self, instance.with_unique_msgs(self, core.bulk_insert, self._box, list,
                                                                instance.columns_only(self, opts)))
end

-- bulkCreate's rows: their VIRTUAL attributes no longer changed, as their columns (Sequelize's
-- rows show changed() false, in afterBulkCreate too)
function Model._virtuals_saved(M, rows)
  if M._virtuals and type(rows) == "table" then
    for _, r in ipairs(rows) do
      if type(r) == "table" then instance.virtual_saved(r) end
    end
  end
  return rows
end

-- bulkCreate's validate = true: every row validated (with its validation hooks unless
-- vopts.hooks is false), the failures raised together as an AggregateError of BulkRecordErrors.
-- fields: the attributes validated, or a function giving them for a row
function Model._validate_rows(M, rows, fields, vopts)
  local bad = {}
  for _, inst in ipairs(rows) do
    local f = fields
    if type(f) == "function" then f = f(inst) end
    local ok, err = pcall(V.validate_hooked, M, inst, f, true, vopts)
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
-- create hooks, all in one transaction; afterBulkCreate(instances, options) last. hooks =
-- false: no bulk hook (the row hooks follow individualHooks alone, as in Sequelize).
function Model._bulk_create_hooked(M, list, opts)
  local o = hook_copy(opts)
  local bulk = o.hooks ~= false
  -- (the defaults Sequelize's bulkCreate gives its options, which its hooks see)
  if o.hooks == nil then o.hooks = true end
  if o.validate == nil then o.validate = false end
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
  if bulk then H.run(M, "beforeBulkCreate", built, o) end
  local chosen = o.fields
  if instance.untouched_fields(M, chosen, all) then o.fields = nil end -- (the write takes what the rows hold)
  if o.validate then
    local vo = copy(o)
    vo.hooks = o.individualHooks == true
    Model._validate_rows(M, built, o.fields, vo)
  end
  local rows
  if o.individualHooks then
    rows = M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }, function(t)
      local so = { transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, validate = false, silent = o.silent }
      for _, inst in ipairs(built) do instance.save_plain(inst, so) end
      return built
    end)
  else
    rows = Model._virtuals_saved(M, instance.with_unique_msgs(M, core.bulk_insert, M._box, built,
                                                               instance.columns_only(M, o)))
  end
  o.fields = chosen
  if bulk then H.run(M, "afterBulkCreate", rows, o) end
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
-- hooks = false: no bulk hook nor validation hook (individualHooks still runs the row hooks).
function Model._update_hooked(M, values, opts)
  local o = hook_copy(opts)
  local bulk = o.hooks ~= false
  -- (the defaults Sequelize's update gives its options, which its hooks see)
  if o.hooks == nil then o.hooks = true end
  if o.validate == nil then o.validate = true end
  if o.returning == nil then o.returning = false end
  local given_values = values
  -- validated (and shaped by setters) before beforeBulkUpdate, which may then change them
  -- unchecked (Sequelize)
  local probe, side
  values, probe, side = Model._update_values(M, values, o)
  o.fields = Model._fields_union(o, side) or o.fields -- (the setters' other columns: written, listed or not)
  -- updatedAt = now among the values before the bulk hooks (over one given; none with
  -- silent): they see it in options.attributes and may change or remove it, and what they
  -- leave is written (Sequelize)
  local up = M.rawAttributes[M.options.updatedAt or ""] and M.options.updatedAt
  local stamped = up and not o.silent
  if stamped then
    if values == given_values then values = copy(values) end
    values[up] = o._stamp or instance.stamp(M, up)
  end
  -- the VIRTUAL attributes given: the hooks see them, in options.attributes and on each row
  -- (Sequelize keeps them in the values and assigns those to the rows' dataValues); they are
  -- never written
  local vvals = virtual_values(M, given_values, probe)
  if type(o.fields) == "table" then
    -- fields the caller chose: the hooks see only those values (Sequelize drops the others)
    local listed, kept = {}, {}
    for _, f in ipairs(o.fields) do listed[f] = true end
    if stamped then listed[up] = true end
    for k, v in pairs(values) do if listed[k] then kept[k] = v end end
    values = kept
    for k in pairs(vvals or {}) do if not listed[k] then vvals[k] = nil end end
  end
  -- the attributes written: those given (or options.fields); a hook may change their values,
  -- and an attribute it adds is written when it also lists it in options.fields (Sequelize)
  local fields = o.fields
  if not fields then
    fields = {}
    for k in pairs(values) do
      if type(k) == "string" and M._index[k] and not (stamped and k == up) then fields[#fields + 1] = k end
    end
  end
  o.attributes = copy(values)
  for k, v in pairs(vvals or {}) do o.attributes[k] = v end
  -- (Sequelize: the hooks see fields = the attributes given, and updatedAt)
  local function add_up(list) -- (updatedAt last, once)
    for _, f in ipairs(list) do if f == up then return end end
    list[#list + 1] = up
  end
  local shown = o.fields == nil and copy(fields) or nil
  if shown then
    if up then add_up(shown) end -- (silent too, as Sequelize)
    o.fields = shown
  elseif stamped and type(o.fields) == "table" then
    -- fields the caller chose get the stamp too (Sequelize's union with the values' keys);
    -- o.fields is this call's own copy
    add_up(o.fields)
  end
  if bulk then H.run(M, "beforeBulkUpdate", o) end
  local given = {}
  for _, f in ipairs(fields) do given[f] = true end
  if stamped then given[up] = true end -- (whatever fields: Sequelize writes the stamp the values hold)
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
  -- (whether there is anything to write is asked of the values the hooks left, whatever
  -- fields keeps of them: Sequelize's valuesUse, before it picks the fields)
  local hk1 = next(values)
  local stamp_alone = hk1 == nil or (up and next(values, hk1) == nil and values[up] ~= nil)
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
  local hook_added -- (the attributes the row hooks changed alike on every row, not in fields)
  if o.individualHooks then
    local row_fields -- (the fields the row hooks see; the after hooks, as the write left them)
    local function each_row(t)
      local io = copy(o)
      io.transaction = t
      -- (the row hooks see fields too: the attributes given and updatedAt, as Sequelize)
      if io.fields == nil and shown then io.fields = copy(shown) end
      row_fields = io.fields
      -- (paranoid = false reaches soft-deleted rows, as the UPDATE does: Sequelize's findAll
      -- takes the update's paranoid)
      local found = M:findAll({ where = o.where, transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, paranoid = o.paranoid, raw = false })
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
      if #found == 0 then
        -- (Sequelize runs its bulk UPDATE all the same: the same where, in this transaction,
        -- so it matches no row; written for the statement log's sake, as without individualHooks)
        if stamp_alone or next(written) == nil then return 0, found end
        io.individualHooks = nil
        local uo = copy(instance.columns_only(M, io))
        if up then uo.silent = true end
        return instance.with_unique_msgs(M, core.update, M._box, written, uo), found
      end
      if same then
        local changed = {}
        for k, v in pairs(first) do changed[k] = v end
        io.individualHooks = nil
        if next(changed) == nil then
          -- (no row changed: the update's values are written as given, and the rows they
          -- match counted, as without individualHooks; Sequelize keeps its valuesUse then.
          -- With an updatedAt stamp among them the rows' stamp alone changed: no UPDATE)
          if next(written) == nil or (up and written[up] ~= nil) then return 0, found end
          local uo = copy(instance.columns_only(M, io))
          if up then uo.silent = true end
          return instance.with_unique_msgs(M, core.update, M._box, written, uo), found
        end
        -- (updatedAt alone: no UPDATE, as Sequelize)
        if up and next(changed, next(changed)) == nil and changed[up] ~= nil then
          return 0, found
        end
        if type(io.fields) == "table" then
          -- what the hooks changed alike on every row is written, listed or not (Sequelize
          -- adds those keys to options.fields, in its dataValues' order: here column order,
          -- as a Lua table keeps no definition order)
          local seen = {}
          for _, k in ipairs(io.fields) do seen[k] = true end
          hook_added = {}
          for _, at in ipairs(M._attrs) do
            local k = at.fieldName
            if changed[k] ~= nil and not seen[k] then hook_added[#hook_added + 1] = k; seen[k] = true end
          end
          local rest = {} -- (any other key, by name)
          for k in pairs(changed) do if not seen[k] then rest[#rest + 1] = k end end
          table.sort(rest, function(x, y) return tostring(x) < tostring(y) end)
          for _, k in ipairs(rest) do hook_added[#hook_added + 1] = k end
          local f = Model._fields_union(io, hook_added)
          io.fields, row_fields = f, f
        end
        local uo = instance.columns_only(M, io)
        if up and changed[up] ~= nil then uo = copy(uo); uo.silent = true end -- (the stamp the rows hold)
        return instance.with_unique_msgs(M, core.update, M._box, changed, uo), found
      end
      -- each row on its own, the update's fields only (Sequelize)
      for _, inst in ipairs(found) do
        instance.save_plain(inst, { transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, hooks = false, validate = false,
                                    fields = fields, silent = o.silent })
      end
      return #found, found
    end
    n, rows = M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }, function(t)
      local count, found = each_row(t)
      -- (afterUpdate inside the call's transaction too, with it, as the before hooks)
      local ao = copy(o)
      ao.transaction = t
      ao.fields = row_fields
      for _, inst in ipairs(found) do H.run(M, "afterUpdate", inst, ao) end
      return count, found
    end)
  else
    if stamp_alone or next(written) == nil then
      n = 0 -- (nothing, or updatedAt alone: no UPDATE, as Sequelize)
    else
      -- (the updatedAt the hooks left is written as it is, or none if they removed it)
      local uo = copy(instance.columns_only(M, o))
      if up then uo.silent = true end
      n = instance.with_unique_msgs(M, core.update, M._box, written, uo)
    end
  end
  o.attributes = values
  if shown and o.fields == nil then o.fields = shown end
  -- (afterBulkUpdate sees them in options.fields too: Sequelize unions them in)
  o.fields = Model._fields_union(o, hook_added) or o.fields
  if bulk then H.run(M, "afterBulkUpdate", o) end
  o.attributes = nil
  if rows then return n, rows end
  return n
end

-- static destroy with hooks (Sequelize): beforeBulkDestroy(options); with individualHooks the
-- rows are read first and beforeDestroy / afterDestroy run on each; afterBulkDestroy(options).
-- hooks = false: no bulk hook (individualHooks still runs the row hooks).
function Model._destroy_hooked(M, opts)
  local o = hook_copy(opts)
  local bulk = o.hooks ~= false
  if bulk then H.run(M, "beforeBulkDestroy", o) end
  local n
  if o.individualHooks then -- (truncate too: every row, as Sequelize's findAll without a where)
    n = M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }, function(t)
      local found = M:findAll({ where = o.where, transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, raw = false })
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
  if bulk then H.run(M, "afterBulkDestroy", o) end
  return n
end

local function select(M, opts)
  -- a separate include's names (where, order, attributes, its own includes) checked before
  -- the parent query runs, as a joined include's are (association.lua)
  if opts and not opts.raw and (opts._separate or opts._nested_separate) then Model._check_separate(M, opts) end
  local rows = core.select(M._box, opts)
  -- (raw rows carry no separate includes: Sequelize's raw query leaves them out)
  if opts and opts.raw then return rows end
  if opts and opts._separate then Model._load_separate(M, rows, opts._separate, opts) end
  if opts and opts._nested_separate then Model._load_nested_separate(rows, opts.include, opts) end
  return rows
end

-- An order item Model._prepare reads: a model (an association, { model, as }) or an attribute's
-- definition first; or, after the first, a table that is no expression (a model or association
-- after the column name, which Sequelize refuses as 'Unknown structure passed to order / group')
local function order_ref_item(item)
  if type(item) ~= "table" or getmetatable(item) ~= nil then return false end
  if type(item[1]) == "table" or rawget(item, "fieldName") ~= nil then return true end
  for k = 2, #item do
    local x = item[k]
    if type(x) == "table" and not Expr.is(x) then return true end
  end
  return false
end

local function needs_prepare(opts)
  if not opts then return false end
  if opts.include ~= nil then return true end
  if type(opts.order) == "table" then
    for _, item in ipairs(opts.order) do
      if order_ref_item(item) then return true end
    end
  end
  return false
end

-- opts.rejectOnEmpty (else the model's option) and nothing found: raise (Sequelize's
-- EmptyResultError; an error class given, one made of it with no arguments, as Sequelize's
-- `new options.rejectOnEmpty()`; the caller's own error object; what the caller's function
-- returns)
local function reject_empty(opts, level, M)
  local r = opts and opts.rejectOnEmpty
  if r == nil and M then r = M.options.rejectOnEmpty end
  if not r or r == NULL then return end
  if type(r) == "function" then error(r(), level + 1) end
  local mt = type(r) == "table" and getmetatable(r)
  if mt and type(mt) == "table" and rawget(mt, "__call") then error(r(), level + 1) end -- (a class)
  if type(r) == "table" then error(r, level + 1) end
  error(errors.new(errors.EmptyResultError, ""), level + 1)
end

-- A finder's rows: rejectOnEmpty applied, and the include they were read with kept on their
-- shared shape for reload() (Sequelize reloads with the instance's original include)
-- An included level's rows share a shape too: it keeps that include's own include list, which
-- reload() of such a row reads with (Sequelize: an included instance's _options.include is its
-- include's include). The first row of each level that has nested includes gives its shape.
-- The rows are walked only until every such level has been marked (st.marked: the levels
-- marked, st.done: those whose levels below are marked too), not each of them: true when
-- every level of `list` is done.
local function mark_nested(list, parent, st)
  local all = true
  for _, n in ipairs(list) do
    if type(n) == "table" and getmetatable(n) == nil and n.include ~= nil and type(n.as) == "string"
       and not st.done[n] then
      local v = core.member(parent, n.as)
      if type(v) == "table" then
        local T = n.association and n.association.target
        local items = (T and instance.is_of(v, T)) and { v } or v
        for _, c in ipairs(items) do
          if type(c) == "table" then
            if not st.marked[n] then
              local sh = rawget(c, 0)
              if type(sh) == "table" then
                sh.reload = { include = n.include }
                st.marked[n] = true
              end
            end
            if mark_nested(n.include, c, st) and st.marked[n] then
              st.done[n] = true
              break
            end
          end
        end
      end
      if not st.done[n] then all = false end
    end
  end
  return all
end

-- (does an include list, or one include, name includes of its own, or `all`?)
local function has_nested(inc)
  if type(inc) ~= "table" or getmetatable(inc) ~= nil then return false end
  if inc[1] == nil then return inc.include ~= nil or inc.all ~= nil end
  for _, x in ipairs(inc) do
    if type(x) == "table" and getmetatable(x) == nil and (x.include ~= nil or x.all ~= nil) then return true end
  end
  return false
end

-- (the include kept for reload(), on the rows' shapes; findAndCountAll's rows too)
local function keep_include(rows, given, M)
  local first = rows[1]
  if first ~= nil and given and given.include ~= nil then
    local sh = rawget(first, 0)
    if type(sh) == "table" then
      sh.reload = { include = given.include }
      if M and not given.raw and has_nested(given.include) then
        local tree = Model._expand_include_all(M, given.include)
        local nested = false
        for _, n in ipairs(tree or {}) do
          if type(n) == "table" and getmetatable(n) == nil and n.include ~= nil then nested = true end
        end
        if nested then
          Model._fill_includes(M, tree)
          local st = { marked = {}, done = {} }
          for _, r in ipairs(rows) do
            if mark_nested(tree, r, st) then break end
          end
        end
      end
    end
  end
  return rows
end

local function finished(rows, given, M)
  if rows[1] == nil then reject_empty(given, 3, M) end
  return keep_include(rows, given, M)
end

-- A finder with hooks (Sequelize's findAll): beforeFind, beforeFindAfterExpandIncludeAll and
-- beforeFindAfterOptions on the finder's own copy of the options, then afterFind with the
-- result (for findOne and findByPk the instance or nil).

-- A finder's options with VIRTUAL names taken out of its attribute list; `vshow` tells the
-- core which VIRTUAL attributes the rows show (their shape's vshow, for toJSON).
local function unvirtual(M, opts)
  if not (M._virtuals and opts and type(opts.attributes) == "table") then return opts end
  local attrs, listed = Model.unvirtual_attributes(M, opts.attributes)
  if not listed then return opts end
  local o = copy(opts)
  o.attributes = attrs
  -- (a list naming none keeps the vshow a hooked finder set for the list it expanded)
  if next(listed) ~= nil or o.vshow == nil then o.vshow = listed end
  return o
end

-- The finders' read of (scoped) options: the paranoid condition, VIRTUAL names out of the
-- attribute list, includes normalised, the rows selected.
-- (the finders' internal keys are set by them, never taken from the caller)
local function without_internal_keys(o)
  if o and (o._check ~= nil or o._separate ~= nil or o._nested_separate ~= nil) then
    o = copy(o)
    o._check, o._separate, o._nested_separate = nil, nil, nil
  end
  return o
end

-- A group given attributes' definitions (`group = { User.rawAttributes.age }`, or one as the
-- whole group): each the attribute's name, so its column (Sequelize's findAll groups by
-- `User`.`fieldName`; its count and aggregate raise a TypeError on one). A definition of
-- another model's attribute is "Model.attribute", the model's name as the include's alias, as
-- Sequelize writes `Model`.`fieldName` (so an include under another alias, `Posts`, raises
-- naming it: Sequelize's SQL fails, `no such column: Post.title`). One of no model raises.
-- The options themselves when there is none.
local function group_defs(M, opts)
  local g = opts and opts.group
  if type(g) ~= "table" or getmetatable(g) ~= nil then return opts end
  local function def_name(x)
    if type(x) ~= "table" or getmetatable(x) ~= nil then return nil end
    local name = rawget(x, "fieldName")
    if type(name) ~= "string" or rawget(x, "type") == nil or #x ~= 0 then return nil end
    if M.rawAttributes[name] ~= x then
      local owner = require("sequelua.expr").attr_owner[x]
      if owner and owner.rawAttributes[name] == x then return owner.name .. "." .. name end
      fail(("Invalid group item on %s: the definition of attribute '%s' is not one of %s's attributes "
        .. "(expected an attribute name, \"alias.column\" or Sequelize.col)"):format(M.name, name, M.name), 5)
    end
    return name
  end
  local whole = def_name(g)
  local out
  if whole then
    out = { whole }
  else
    for i = 1, #g do
      local name = def_name(g[i])
      if name then
        if not out then out = {}; for k, v in pairs(g) do out[k] = v end end
        out[i] = name
      end
    end
    if not out then return opts end
  end
  local o = copy(opts)
  o.group = out
  return o
end

local function read(M, o)
  o = unvirtual(M, Paranoid.where(M, group_defs(M, without_internal_keys(o))))
  if needs_prepare(o) then o = Model._prepare(M, o) end
  return select(M, o)
end

-- A separate include's query checked, not run: the finder's path of `read` (the target's scope,
-- paranoid clause, VIRTUAL names, includes) down to the core, which resolves every name and
-- builds the SQL (o._check) without running it; its own separate includes likewise.
function Model._check_read(M, o)
  M, o = scoped(M, o)
  o = unvirtual(M, Paranoid.where(M, o))
  if needs_prepare(o) then o = Model._prepare(M, o) end
  core.select(M._box, o)
  if not o.raw and (o._separate or o._nested_separate) then Model._check_separate(M, o) end
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
local function find_hooked(M, opts, one, first, restrict, row_finder)
  local o = hook_copy(opts)
  if one and o.limit == nil and not one_row_where(M, o.where) then o.limit = 1 end
  if one and o.plain == nil then o.plain = true end -- (findOne's hooks see plain: Sequelize's default)
  -- (the includes as Sequelize's hooks see them: conformed, then `all` expanded, then each
  -- with its association, alias and required; association.lua)
  if o.include ~= nil then o.include = Model._conform_includes(M, o.include) end
  H.run(M, "beforeFind", o)
  if o.include ~= nil then o.include = Model._expand_include_all(M, o.include) end
  H.run(M, "beforeFindAfterExpandIncludeAll", o)
  -- the VIRTUAL attributes the rows show: every one when no list was given, those not
  -- excluded by an { exclude } form (Sequelize's originalAttributes: rawAttributes' names),
  -- though the expanded list the later hooks see names columns only
  local vshow
  if M._virtuals and (o.attributes == nil or (type(o.attributes) == "table" and getmetatable(o.attributes) == nil
                                              and o.attributes[1] == nil)) then
    local _, listed = Model.unvirtual_attributes(M, o.attributes or { exclude = {} })
    vshow = listed
  end
  o.attributes = expanded_attributes(M, o.attributes)
  o = Paranoid.where(M, o) -- (Sequelize adds the paranoid clause between these two)
  if o.include ~= nil then Model._fill_includes(M, o.include) end
  H.run(M, "beforeFindAfterOptions", o)
  local ro = restrict and restrict(o) or o
  if row_finder then ro = default_raw(M, ro) end -- (after the hooks: see default_raw)
  if vshow then ro = copy(ro); ro.vshow = vshow end
  local rows = read(M, ro)
  if first == nil then first = one end
  if first then H.run(M, "afterFind", rows[1], o) else H.run(M, "afterFind", rows, o) end
  finished(rows, row_finder and default_raw(M, o) or o, M)
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
  if type(opts) == "table" and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  M, opts = scoped(M, opts)
  if hooks_on(M, opts) then return find_hooked(M, opts, false, plain, restrict) end
  local rows = finished(read(M, restrict and restrict(opts) or opts), opts, M)
  if plain then return rows[1] end
  return rows
end

-- The finders' fast path: a model with no scope, no hooks (its own or its Sequelize
-- object's), not paranoid, and options of only these keys, where a plain table of the
-- model's attribute names with plain values (no Op, Sequelize.null, JSON path or
-- `$nested.key$`), attributes a list or { exclude, include } of lists (no VIRTUAL attributes
-- on the model), order with no association in an item (Model._prepare), limit and offset
-- numbers: nothing of finder_nulls, scoped, the hooks, Paranoid.where, unvirtual or
-- needs_prepare can apply, and the options go to the core as the long way gives them.
-- -> fast, and whether the where gives the key or an attribute unique on its own (findOne's
-- LIMIT 1 left out, as one_row_where)
local FIND_FAST_OPTS = { where = true, attributes = true, order = true, limit = true, offset = true,
                         transaction = true, logging = true, logQueryParameters = true, raw = true }
-- (a model, or a scoped view with no scope; no hooks, not paranoid. H.hooked inlined: a
-- view's _hooks read through its __index are its base model's, as H.hooked's base(M); the
-- Model and Sequelize classes hold none, and if they did the reads would only say "hooked")
local function fast_model(M)
  if getmetatable(M) ~= Model then return false end
  local sc = M._scope
  if (sc ~= nil and next(sc) ~= nil) or M.options.deletedAt or M._hooks ~= nil then return false end
  local sq = M.sequelize
  return sq == nil or sq._hooks == nil
end

local function find_fast(M, opts)
  if not fast_model(M) then return false end
  if opts == nil then return true, false end
  if type(opts) ~= "table" or getmetatable(opts) ~= nil then return false end
  local one = false
  for k, v in next, opts do
    if not FIND_FAST_OPTS[k] then return false end
    if k == "where" then
      if type(v) ~= "table" or getmetatable(v) ~= nil then return false end
      local ra, pk = M.rawAttributes, M.primaryKeyAttribute
      for a, x in next, v do
        if type(a) ~= "string" or not PLAIN[type(x)] then return false end
        local d = ra[a]
        if d == nil then return false end
        if not one and (a == pk or d.unique == true or type(d.unique) == "table") then one = true end
      end
    elseif k == "attributes" then
      if type(v) ~= "table" or getmetatable(v) ~= nil or M._virtuals then return false end
      if type(rawget(v, "exclude")) == "string" or type(rawget(v, "include")) == "string" then return false end
    elseif k == "order" then
      if type(v) ~= "table" then return false end
      if getmetatable(v) == nil then
        for i = 1, #v do -- (# reaches every item ipairs would, needs_prepare's loop)
          -- (order_ref_item inlined, coarser and with fewer calls: a table second, or a third
          -- item, takes the long way, where needs_prepare decides)
          local item = v[i]
          if type(item) == "table" and getmetatable(item) == nil
             and (type(item[1]) == "table" or item[3] ~= nil or type(item[2]) == "table"
                  or rawget(item, "fieldName") ~= nil) then return false end
        end
      end
    elseif k == "limit" or k == "offset" then
      if type(v) ~= "number" then return false end
    end
  end
  return true, one
end

-- (plain = true: findAll gives its first row; plain = false: findOne gives its list)
function Model:findAll(opts)
  if find_fast(self, opts) then
    opts = default_raw(self, opts)
    local rows = core.select(self._box, opts)
    if rows[1] == nil then reject_empty(opts, 2, self) end
    return rows
  end
  opts = finder_opts(self, opts, "findAll")
  self, opts = scoped(self, opts)
  local plain = opts and opts.plain == true
  if hooks_on(self, opts) then return find_hooked(self, opts, false, plain, nil, true) end
  opts = default_raw(self, opts)
  local rows = finished(read(self, opts), opts, self)
  if plain then return rows[1] end
  return rows
end

function Model:findOne(opts)
  local fast, one = find_fast(self, opts)
  if fast then
    local o = copy(opts)
    if o.raw == nil then
      local q = self.sequelize.options.query
      if q then o.raw = q.raw end
    end
    if o.limit == nil and not one then o.limit = 1 end
    o.plain = true -- (the logger's options: Sequelize's findOne default)
    local row = core.select(self._box, o)[1]
    if row == nil then reject_empty(o, 2, self) end
    return row
  end
  opts = finder_opts(self, opts, "findOne")
  self, opts = scoped(self, opts)
  local plain = not (opts and opts.plain == false)
  if hooks_on(self, opts) then return find_hooked(self, opts, true, plain, nil, true) end
  opts = default_raw(self, opts)
  local o = copy(opts)
  if o.limit == nil and not one_row_where(self, o.where) then o.limit = 1 end
  if o.plain == nil then o.plain = true end -- (the logger's options: Sequelize's findOne default)
  local rows = finished(read(self, o), opts, self)
  if plain then return rows[1] end
  return rows
end

-- findByPk options the core's one-call path (core.find_pk) takes; any other goes the long way
local PK_FAST_OPTS = { transaction = true, logging = true, logQueryParameters = true }

local function pk_fast(opts)
  if opts == nil then return true end
  for k in pairs(opts) do
    if not PK_FAST_OPTS[k] then return false end
  end
  return true
end

function Model:findByPk(pk, opts)
  -- (the fast path's checks first: a key of a scalar, options pk_fast takes, a fast_model, no
  -- `query = { raw }` default of Sequelize.new (a raw option is not fast))
  if (type(pk) == "string" or type(pk) == "number") and (opts == nil or (type(opts) == "table" and getmetatable(opts) == nil
      and pk_fast(opts))) and fast_model(self) and self.primaryKeyAttribute then
    local q = self.sequelize.options.query
    if q == nil or q.raw == nil then
      local row = core.find_pk(self._box, pk, opts)
      if row == nil then reject_empty(opts, 2, self) end -- (the model's rejectOnEmpty: a call's is not fast)
      return row
    end
  end
  opts = finder_opts(self, opts, "findByPk")
  if pk == nil or pk == NULL then return nil end
  -- (Sequelize: "Argument passed to findByPk is invalid: true" for anything but a string or number)
  if type(pk) ~= "string" and type(pk) ~= "number" then
    fail(("%s.findByPk: the key must be a scalar (a string or a number), got %s"):format(self.name, type(pk)), 2)
  end
  if not self.primaryKeyAttribute then fail(("%s has no primary key"):format(self.name), 2) end
  if has_scope(self) then return self:findOne(copy_with(opts, "where", { [self.primaryKeyAttribute] = pk })) end
  local hooked = hooks_on(self, opts)
  if not hooked then opts = default_raw(self, opts) end
  if pk_fast(opts) and not hooked and not Paranoid.active(self, opts) then
    local row = core.find_pk(self._box, pk, opts)
    if row == nil then reject_empty(opts, 2, self) end -- (the model's rejectOnEmpty: a call's is not fast)
    return row
  end
  local o = copy(opts)
  o.where = { [self.primaryKeyAttribute] = pk }
  if hooked then return find_hooked(self, o, true, nil, nil, true) end
  -- (no LIMIT for the key, which is unique: Sequelize's findOne; one column of a composite key may match more)
  if o.include == nil and #self.primaryKeyAttributes > 1 then o.limit = 1 end
  o.plain = true -- (the logger's options: Sequelize's findOne)
  return finished(read(self, o), opts, self)[1]
end

-- A JSON attribute's object in a where (`{ meta = { a = 2 } }`, a path query) is the value a
-- new row gets (Sequelize copies it over): a plain table, string keys at every level (no Op
-- key, list or expression, which Sequelize would store as something the where never finds)
local function json_object(v)
  if type(v) ~= "table" or getmetatable(v) ~= nil or next(v) == nil then return false end
  for k, x in pairs(v) do
    if type(k) ~= "string" then return false end
    if type(x) == "table" and not json_object(x) then return false end
    if type(x) == "userdata" and x ~= NULL then return false end
  end
  return true
end

-- the values a new row gets from findOrCreate / findOrBuild / findCreateFind's where: its
-- plain values (string keys; operator tables, expressions and lists left out) and a JSON
-- attribute's object
local function where_values(M, where)
  local values = {}
  for k, v in pairs(where) do
    if type(k) == "string" then
      if type(v) ~= "table" then values[k] = v
      else
        local a = M.rawAttributes[k]
        if a and DataTypes.is_type(a.type) and DataTypes.base_key(a.type) == "JSON" and json_object(v) then values[k] = v end
      end
    end
  end
  return values
end

-- A row findOrCreate / findCreateFind would create from a where that gives an attribute an
-- operator table and no default: Sequelize's create gets that table as the value and
-- refuses it ("string violation: name cannot be an array or an object"); leaving the column
-- out instead would make a row the where never finds, one more on every call
local function operator_values(M, opts, values)
  for k, v in pairs(opts.where) do
    if type(k) == "string" and M._index[k] and type(v) == "table" and getmetatable(v) == nil and values[k] == nil then
      local msg = ("string violation: %s cannot be an array or an object"):format(k)
      error(errors.new(errors.ValidationError, msg, { errors = {
        errors.item({ message = ("%s cannot be an array or an object"):format(k), type = "string violation",
                      path = k, value = v, origin = "CORE" }) } }), 3)
    end
  end
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
  return self.sequelize:_atomic({ transaction = opts.transaction, logging = opts.logging, logQueryParameters = opts.logQueryParameters, type = "IMMEDIATE",
                                  savepoint = true },
    function(t)
      local o = copy(opts)
      o.transaction = t
      local found = self:findOne(o)
      if found then return found, false end
      local values = where_values(self, opts.where)
      for k, v in pairs(opts.defaults or {}) do values[k] = v end
      operator_values(self, opts, values)
      -- create takes the options (fields, hooks, validate, silent, raw, include with the
      -- defaults' nested rows ...), as Sequelize passes them on
      local co = copy(opts)
      co.transaction = t -- (where and defaults too: the create hooks see them, as in Sequelize)
      local ok, created = pcall(self.create, self, values, co)
      local pk = ok and self.primaryKeyAttribute
      local kv = pk and created:get(pk, { raw = true })
      if pk and (kv == nil or rawequal(kv, NULL)) then
        -- nothing written (its fields named no column, instance.writes_nothing): Sequelize
        -- takes the null key as a UniqueConstraintError and looks again
        ok, created = false, errors.UniqueConstraintError()
      end
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
-- new row gets: where_values, then the defaults over them (Sequelize: Utils.defaults(defaults, where))
local function find_or_values(M, opts, what)
  if type(opts) ~= "table" or type(opts.where) ~= "table" then
    fail(("%s.%s: options.where is required"):format(M.name, what), 3)
  end
  if opts.defaults ~= nil and type(opts.defaults) ~= "table" then
    fail(("%s.%s: options.defaults must be a table"):format(M.name, what), 3)
  end
  local values = where_values(M, opts.where)
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
  operator_values(self, opts, values)
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
  -- (none: nil, Sequelize.null or an empty list, as Sequelize's _conformIncludes drops `[]`)
  if inc == nil or inc == NULL or (type(inc) == "table" and getmetatable(inc) == nil and next(inc) == nil) then
    return nil
  end
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

-- An attribute list made as lodash's unionBy makes Sequelize's: add(x [, name]) appends x
-- unless an item of that name (its alias, or the item itself) is there already
local function attr_union()
  local attrs, names = {}, {}
  local function add(x, name)
    if name == nil then
      name = x
      if type(x) == "table" and getmetatable(x) == nil then name = x[2] end
    end
    if type(name) == "string" then
      if names[name] then return end
      names[name] = true
    end
    attrs[#attrs + 1] = x
  end
  return attrs, add
end

-- A group's item as a select item: a dotted name ("User.id", "author.age", a nested include's
-- "posts.comments.stars", a through model's "posts.PostTag.weight") is that column, read under
-- its last part, as Sequelize selects `posts->comments`.`stars`; any other item as given. The
-- second value is the name it is unioned by.
local function group_item(x)
  if type(x) ~= "string" then return x end
  local path, last = x:match("^(.+)%.([^.]+)$")
  if not path then return x end
  return { Expr.col((path:gsub("%.", "->")) .. "." .. last), last }, x
end

-- Sequelize's aggregate: the select list is the caller's attributes (a list; an { exclude }
-- form adds nothing, as lodash's unionBy skips it), then the group's items, then
-- count(...) AS count, each name once (unionBy on an item's alias, or the item itself), so
-- every row carries its group key whether the group names an attribute, a col, a fn or a
-- literal
local function count_grouped(M, opts)
  local E = require("sequelua.expr")
  opts = group_defs(M, opts)
  local g = opts.group
  if type(g) ~= "table" or getmetatable(g) then g = { g } end
  local attrs, add = attr_union()
  local given = opts.attributes
  local aliases = {} -- (the attributes' aliases: a group may name one, `GROUP BY `len``, as in findAll)
  if type(given) == "table" and getmetatable(given) == nil then
    for _, x in ipairs(given) do
      add(x)
      if type(x) == "table" and getmetatable(x) == nil and type(x[2]) == "string" then aliases[x[2]] = true end
    end
  end
  for _, x in ipairs(g) do
    -- (a list in the list, { { "name" } }: its first item, as Sequelize's aliasGrouping)
    if type(x) == "table" and getmetatable(x) == nil and x[1] ~= nil then x = x[1] end
    -- "User.id" (a qualified name): the column itself, read under its own name ("id"), as
    -- Sequelize selects `User`.`id`
    if type(x) == "string" and x:find(".", 1, true) then add(group_item(x))
    elseif type(x) == "string" then
      if not M.rawAttributes[x] and not aliases[x] then
        -- (an attribute's column name too, as findAll's group takes it: selected and read under
        -- that name, as Sequelize's `SELECT `full_name`, count(...)`)
        local column = false
        for _, a in pairs(M.rawAttributes) do
          if a.field == x then column = true; break end
        end
        if not column then fail(("Unknown attribute '%s' in group of model %s"):format(x, M.name), 3) end
      end
      add(x)
    elseif E.is(x) then
      add(x)
    end
  end
  -- with an include, Sequelize counts the model's key column: count(`User`.`id`)
  local pk = opts.include ~= nil and M.primaryKeyAttribute and M.rawAttributes[M.primaryKeyAttribute]
  local col = pk and E.col(M.name .. "." .. (pk.field or M.primaryKeyAttribute)) or E.literal("*")
  if type(opts.col) == "string" and opts.col ~= "*" then col = E.col(opts.col) end -- ("*": Sequelize's default)
  -- distinct: count(DISTINCT(`User`.`id`)) (Sequelize)
  if opts.distinct and not (getmetatable(col) == E.mt and col.kind == "literal") then col = E.fn("DISTINCT", col) end
  add({ E.fn("count", col), "count" })
  return M:findAll({ attributes = attrs, where = opts.where, group = opts.group, include = no_attributes(opts.include),
                     having = opts.having, transaction = opts.transaction, logging = opts.logging, logQueryParameters = opts.logQueryParameters, raw = true,
                     paranoid = opts.paranoid, replacements = opts.replacements, bind = opts.bind })
end

-- findAndCountAll's rows: none when the count is 0 (Sequelize's `count ? rows : []`: a
-- count(col) over NULLs only finds rows it does not count); a grouped count's list keeps them
local function counted_rows(n, rows)
  if n == 0 then return setmetatable({}, Expr.array_mt) end
  return rows
end

function Model:findAndCountAll(opts)
  opts = finder_opts(self, opts, "findAndCountAll")
  if hooks_on(self, opts) then
    -- through count and findAll, so that beforeCount and the find hooks run (Sequelize);
    -- each applies the scope
    local c = copy(opts)
    c.attributes, c.order, c.limit, c.offset = nil, nil, nil, nil
    -- (the count below's: distinct rows of the model, unless a col or group says otherwise)
    if c.col == nil and c.group == nil then c.distinct = self.primaryKeyAttribute ~= nil end
    local n = self:count(c)
    return { count = n, rows = counted_rows(n, self:findAll(opts)) }
  end
  local own_group = opts and opts.group ~= nil
  self, opts = scoped(self, opts)
  opts = default_raw(self, opts)
  local given, n = opts, nil
  if opts and opts.group ~= nil then
    n = count_grouped(self, copy_with(opts, "attributes", nil)) -- (Sequelize's count drops the attributes)
    if not own_group then n = n[1] and tonumber(n[1].count) or 0 end -- (a scope's: the first group's)
  end
  opts = Paranoid.where(self, group_defs(self, without_internal_keys(opts)))
  opts = unvirtual(self, opts)
  if opts and opts.include ~= nil then opts = Model._prepare(self, opts) end
  -- count: distinct top-level rows, includes or not (API.md; Sequelize needs distinct = true);
  -- with col, Sequelize's count(col), distinct when asked
  if n == nil then
    local col = opts and opts.col
    local copts = { where = opts and opts.where, transaction = opts and opts.transaction,
                    logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters, include = opts and opts.include,
                    replacements = opts and opts.replacements, bind = opts and opts.bind, col = col,
                    distinct = (col ~= nil and opts.distinct) or (col == nil and self.primaryKeyAttribute ~= nil) }
                    -- (no key: joined rows, as Sequelize)
    n = core.count(self._box, copts)
  end
  local rows = keep_include(select(self, opts), given, self)
  if rows[1] == nil then reject_empty(given, 2, self) end -- (Sequelize's findAll inside it rejects)
  return { count = n, rows = counted_rows(n, rows) }
end

function Model:count(opts)
  opts = finder_opts(self, opts, "count")
  if hooks_on(self, opts) and H.any(self, "beforeCount") then
    opts = hook_copy(opts)
    -- (the options Sequelize's count gives its hook: hooks true, raw true)
    if opts.hooks == nil then opts.hooks = true end
    opts.raw = true
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
                         logging = true, logQueryParameters = true, paranoid = true, hooks = true, benchmark = true, plain = true,
                         raw = true, type = true, attributes = true, group = true, having = true, order = true,
                         limit = true, offset = true, replacements = true, bind = true,
                         includeIgnoreAttributes = true }

-- Sequelize's reading of the value (rawSelect): by opts.dataType, else the attribute's type:
-- INTEGER and BIGINT through parseInt (the avg of an INTEGER column is truncated: 5.5 gives 5);
-- DATE (the dataType's or the attribute's) as `new Date(value)`; others as SQLite gives them
local FLOAT_KEYS = { FLOAT = true, DOUBLE = true, REAL = true, DECIMAL = true }
local function aggregate_value(M, attr, v, data_type)
  local t = data_type or (M.rawAttributes[attr] and M.rawAttributes[attr].type)
  local key = DataTypes.is_type(t) and DataTypes.base_key(t) or t and t.key -- (a TINYINT is an INTEGER)
  if type(v) == "string" and t and (FLOAT_KEYS[key] or key == "INTEGER" or key == "BIGINT") then
    -- (Sequelize's parseFloat / parseInt of the result: the number its text starts with, NaN
    -- when none)
    local lead = v:match("^%s*([-+]?%d*%.?%d+[eE][-+]?%d+)") or v:match("^%s*([-+]?%d*%.?%d+)")
    -- (an integer's digits exactly: beyond 2^53 under LuaJIT the decimal string, as a find reads it)
    local int = lead and (key == "INTEGER" or key == "BIGINT") and lead:match("^[-+]?%d+$") and core.int_key(lead)
    v = int or lead and tonumber(lead) or 0 / 0
  end
  if t and t.key == "DATE" and (type(v) == "number" or type(v) == "string") then
    -- (Sequelize's `new Date(value)` by the dataType, else a DATE attribute's type: a number is
    -- milliseconds since the epoch (sum of dates); a text that is no date stays as it is; a
    -- grouped select's value is the stored text)
    return core.sanitize_date(type(v) == "number" and v / 1000 or v, false)
  end
  if type(v) == "number" and t and (key == "INTEGER" or key == "BIGINT") and v == v and v ~= math.floor(v) then
    v = v < 0 and math.ceil(v) or math.floor(v)
    if math.tointeger then v = math.tointeger(v) or v end
  end
  return v
end

-- rawSelect's way: attributes = the caller's, then the group's items, then fn(column) AS fn
-- (Sequelize's unionBy on the names), read as raw rows by findAll without its hooks
local function aggregate_rows(M, what, attr, fn, opts, data_type)
  local E = Expr
  opts = group_defs(M, opts)
  local spec = M.rawAttributes[attr]
  local col = E.col(spec and spec.field or attr)
  if opts.distinct then col = E.fn("DISTINCT", col) end
  local attrs, add = attr_union()
  if opts.attributes ~= nil then
    if type(opts.attributes) ~= "table" or getmetatable(opts.attributes) ~= nil then
      fail(("%s.%s: options.attributes must be a list"):format(M.name, what), 4)
    end
    for _, x in ipairs(opts.attributes) do add(x) end
  end
  local g = opts.group
  if g ~= nil then
    if type(g) ~= "table" or getmetatable(g) then g = { g } end
    for _, x in ipairs(g) do -- ("User.id", "author.age": that column; { { "name" } }: its first item)
      if type(x) == "table" and getmetatable(x) == nil and x[1] ~= nil then x = x[1] end
      add(group_item(x))
    end
  end
  add({ E.fn(fn, col), fn })
  local o = copy(opts)
  o.attributes, o.raw, o.plain, o.dataType, o.distinct, o.type = attrs, true, nil, nil, nil, nil
  -- (includeIgnoreAttributes = false, as Sequelize's count passes it: the includes select no
  -- columns of their own)
  o.includeIgnoreAttributes = nil
  if opts.includeIgnoreAttributes == false then
    -- (the scope merged here, so its includes select nothing either)
    M, o = scoped(M, o, "aggregate")
    o = copy(o)
    o.include = no_attributes(o.include)
    M = M:unscoped()
  end
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
  opts = finder_opts(M, opts, what)
  if type(attr) ~= "string" then fail(("%s.%s: expected an attribute name"):format(M.name, what), 3) end
  if opts then
    for k in pairs(opts) do
      if not AGGREGATE_OPTS[k] then
        fail(("%s.%s: unknown option '%s' (it takes where, include, distinct, dataType, attributes, group, replacements, bind, "
              .. "having, order, limit, offset, plain, includeIgnoreAttributes, transaction, logging, paranoid)")
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
  -- (a group given as Sequelize.null is the scope's dropped: none, once scoped)
  if opts and (opts.attributes ~= nil or (opts.group ~= nil and opts.group ~= NULL) or opts.plain == false) then
    return aggregate_rows(M, what, attr, fn, opts, data_type)
  end
  M, opts = scoped(M, opts, "aggregate")
  if opts and (opts.group ~= nil or opts.limit ~= nil or opts.offset ~= nil) then
    -- a scope's group, limit or offset: Sequelize's select with them, its first row's value
    return aggregate_rows(M, what, attr, fn, opts, data_type)
  end
  opts = Paranoid.where(M, opts)
  if opts and opts.include ~= nil then opts = Model._prepare(M, opts) end
  -- (a dataType given reads SQLite's value by that type alone, as Sequelize's rawSelect does:
  -- the core does not type a min / max by the attribute then)
  return aggregate_value(M, attr, core.aggregate(M._box, fn, attr, opts, data_type ~= nil), data_type)
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
      local name = type(x) == "string" and Model._index_attr(M, { attr = x }) -- (an attribute or a column name)
      if name and not M._index[name] then name = nil end
      if not name then
        fail(("%s.upsert: options.conflictFields names an unknown attribute '%s' (item %d)")
             :format(M.name, tostring(x), i), 4)
      end
      out[#out + 1] = name
    end
    -- the list must be a key SQLite's ON CONFLICT target matches (the primary key, a unique
    -- key or a unique index without a where, the same attributes in any order), else Sequelize's statement
    -- fails: no row is looked up by columns that are no key (the first found was updated)
    local function same(list)
      if #list ~= #out then return false end
      local want = {}
      for _, k in ipairs(out) do want[k] = true end
      for _, k in ipairs(list) do
        if not want[k] then return false end
        want[k] = nil
      end
      return next(want) == nil
    end
    local ok = same(M.primaryKeyAttributes)
    for _, g in ipairs(ok and {} or unique_groups(M)) do ok = ok or same(g) end
    for _, ix in ipairs(ok and {} or M._indexes or {}) do
      -- (a partial one is no target without its where: SQLite's ON CONFLICT (k) matches it not)
      if ix.unique and not ix.where and not ok then
        local list = {}
        for _, x in ipairs(ix.fields) do
          if x.expr then list = nil; break end
          list[#list + 1] = Model._index_attr(M, x)
        end
        ok = list ~= nil and same(list)
      end
    end
    if not ok then
      -- a unique index the table has that the model does not list (a migration's addIndex):
      -- SQLite's ON CONFLICT matches it, as it matches every one the table has (read unlogged)
      local ro = { logging = false, transaction = opts.transaction }
      local by_field = {}
      for _, a in ipairs(M._attrs) do by_field[a.field or a.fieldName] = a.fieldName end
      for _, r in ipairs(core.qi_indexes(M.sequelize._db, M.tableName, ro)) do
        if r.unique and not r.partial and not ok then
          local list = {}
          for _, c in ipairs(core.qi_index_columns(M.sequelize._db, r.name, ro)) do
            local name = c.column and by_field[c.column]
            if not name then list = nil; break end
            list[#list + 1] = name
          end
          ok = list ~= nil and same(list)
        end
      end
    end
    if not ok then
      -- (Sequelize 6.37.8: SQLite's error, a SequelizeDatabaseError)
      error(errors.factory("database", "ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint",
                           { code = 1 }), 0)
    end
    return { out }
  end
  local pk = M.primaryKeyAttributes
  for _, k in ipairs(pk) do
    if update[k] then return { pk } end
  end
  local keys = unique_groups(M)
  for _, ix in ipairs(M._indexes or {}) do
    if ix.unique then
      -- (a partial one too, as Sequelize takes it: its rows are those its where selects, as
      -- SQLite's ON CONFLICT (email) WHERE deletedAt IS NULL finds them)
      local list = { where = ix.where }
      for _, x in ipairs(ix.fields) do
        if x.expr then list = nil; break end -- (an expression is no conflict target)
        list[#list + 1] = Model._index_attr(M, x)
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

-- Is the instance one of the rows a partial unique index holds? Only a where of plain
-- attribute = value (or Sequelize.null) pairs is read; any other where (operators, and/or)
-- is not, and the index is then no target.
local function partial_covers(M, inst, where)
  if type(where) ~= "table" or getmetatable(where) then return false end
  for k, want in pairs(where) do
    local slot = type(k) == "string" and M._index[k]
    if not slot then return false end
    local have = rawget(inst, slot)
    if have == nil then have = NULL end
    if type(want) == "table" and want ~= NULL then return false end
    if want == NULL then
      if have ~= NULL then return false end
    elseif have ~= want and not (type(want) == "boolean" and have == (want and 1 or 0)) then
      return false
    end
  end
  return true
end

-- upsert(values, opts) -> instance, created: an INSERT of the values, or, when a row holds the
-- same conflict target (upsert_targets: options.conflictFields, a unique key or index, or the
-- primary key), an UPDATE of that row with the attributes given (only those in
-- options.fields, when given), in one transaction (IMMEDIATE, or a savepoint in the
-- caller's). A target value that is null meets no row (as SQLite's ON CONFLICT). Sequelize
-- sends one INSERT ... ON CONFLICT DO UPDATE and gives `created` as null on SQLite; the rows
-- are the same.
function Model:upsert(values, opts)
  opts = check_opts(self, opts, "upsert")
  if has_scope(self) then self = Model._unscoped_view(self) end -- (Sequelize's upsert takes no scope)
  check_values(self, values, "upsert")
  local hook_values = values or {}
  values = copy(values) -- (a beforeUpsert hook's changes to the values given are not written, as Sequelize)
  local o = copy(opts)
  for i, f in ipairs(o.fields or {}) do
    -- (a VIRTUAL too: the default fields, the instance's changed(), list them)
    if type(f) ~= "string" or not (self._index[f] or (self._virtuals and self._virtuals[f])) then
      fail(("%s.upsert: options.fields names an unknown attribute '%s' (item %d)"):format(self.name, tostring(f), i), 2)
    end
  end
  local inst = self:build(values)
  -- what the instance built from the values changed: the values given, and the columns (and
  -- VIRTUAL values) their setters wrote; options.fields as Sequelize's validation and hooks
  -- see it when not set
  local changed = instance.methods.changed(inst) or {}
  if o.fields == nil then o.fields = changed end
  if o.validate ~= false then
    -- Sequelize validates the instance built from the values (the fields listed), its
    -- validation hooks around it, before beforeUpsert
    V.validate_hooked(self, inst, o.fields, true, o)
  end
  -- the UPDATE of an existing row (Sequelize's ON CONFLICT DO UPDATE): the columns listed
  -- that the values changed, setters' side effects included, as the instance holds them
  local update, set, ch = {}, {}, {}
  for _, f in ipairs(changed) do ch[f] = true end
  for _, f in ipairs(o.fields) do
    local slot = self._index[f]
    if slot and (ch[f] or values[f] ~= nil) then
      local v = rawget(inst, slot)
      if v == nil then v = NULL end
      update[f] = true; set[f] = v
    end
  end
  -- the wheres of the conflict targets whose values are all given (a null meets no row); a
  -- partial unique index only when the row built is one of those it holds (its where a
  -- plain { attr = value / Sequelize.null } the instance matches), as SQLite's ON CONFLICT
  -- (k) WHERE ... meets a conflict only for such a row
  local wheres, keyed = {}, {}
  for _, target in ipairs(upsert_targets(self, o, update)) do
    local where = #target > 0 and (not target.where or partial_covers(self, inst, target.where)) and {} or nil
    for _, k in ipairs(where and target or {}) do
      local v = rawget(inst, self._index[k])
      if v == nil or v == NULL then where = nil; break end
      where[k] = v
    end
    if where then
      keyed[#wheres + 1] = where
      -- a partial unique index: the row it holds, its where's condition too
      if target.where then where = { [require("sequelua.op")["and"]] = { where, target.where } } end
      wheres[#wheres + 1] = where
    end
  end
  local hooked = hooks_on(self, opts)
  if hooked then H.run(self, "beforeUpsert", hook_values, o) end
  local inner = copy(o)
  inner.hooks, inner.validate, inner.conflictFields = false, false, nil
  local inner_create = copy(inner)
  inner_create.fields = nil -- (the INSERT writes every value; options.fields limits the UPDATE)
  -- updatedAt: the value given, else now, on the row inserted and the row updated (Sequelize
  -- stamps it when absent, whatever silent)
  local up = self.rawAttributes[self.options.updatedAt or ""] and self.options.updatedAt
  inner_create.silent = true
  if up then inner.silent = true end
  local res, created = self.sequelize:_atomic(
    { transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters, type = "IMMEDIATE" },
    function(t)
      inner.transaction, inner_create.transaction = t, t
      -- (a soft-deleted row too: Sequelize's INSERT ... ON CONFLICT updates it, deletedAt kept)
      local found, where, key
      for i, w in ipairs(wheres) do
        found = self:findOne({ where = w, transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, hooks = false, paranoid = false, raw = false })
        if found then where, key = w, keyed[i]; break end
      end
      if not found then return self:create(values, inner_create), true end
      for k in pairs(key) do set[k] = nil end
      inner.fields = nil
      -- the row's UPDATE as Sequelize's ON CONFLICT DO UPDATE writes it: the values and
      -- updatedAt (the one given when listed, else now), not the version; then the row as stored
      -- (a declared default stands in for now on the insert only: Sequelize's build put it
      -- among the values, so its ON CONFLICT DO UPDATE leaves the row's updatedAt)
      local ra = up and self.rawAttributes[up]
      if up and (values[up] == nil or values[up] == NULL) and ra.defaultValue == nil
         and not (self._default_fns and self._default_fns[up]) then
        set[up] = core.now()
      end
      if next(set) == nil then return found, false end
      local uo = copy(inner)
      uo.where, uo.paranoid = where, false -- (a soft-deleted row too, its deletedAt kept)
      -- (Sequelize.new's omitNull, not the call's, as for the INSERT it stands for: a NULL
      -- left out is the column's DEFAULT, Sequelize's EXCLUDED.column; _excluded, bind_write.c)
      uo.omitNull, uo._excluded = self.sequelize.options.omitNull == true, true
      -- (the values as the setters left them: written as they are, through no setter again)
      -- (a unique key the update meets: the error's items hold the values given, as
      -- Sequelize's, whose query has the instance built from them)
      instance.with_unique_values(inst, core.update, self._box, set, uo)
      return self:findOne({ where = where, transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, hooks = false, paranoid = false, raw = false }), false
    end)
  if hooked then H.run(self, "afterUpsert", { res, created }, o) end
  return res, created
end

function Model:truncate(opts)
  opts = check_opts(self, opts, "truncate")
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
  local built -- (the attributes built from dotted keys alone: no setter runs on them, Sequelize)
  for col in pairs(heads) do
    if changed[col] ~= nil or values[col] ~= nil then
      out[col] = rawget(probe, M._index[col])
      if fields and not listed[col] then fields[#fields + 1] = col end
      if values[col] == nil then built = built or {}; built[col] = true end
    end
  end
  if built then opts = copy_with(opts, "_json_built", built) end
  return out, opts
end

-- The instance a static update builds from its values, but the attributes built from dotted
-- JSON keys (opts._json_built) set raw: Sequelize sets a dotted key into the value, never
-- through the attribute's setter
-- (updatedAt: the update's stamp (opts._stamp, Model:update's), set raw over a value given,
-- unless silent: Sequelize's update sets it among the values before it builds the instance,
-- so its validators and validation hooks see the value its hooks see and it writes)
local function stamp_probe(M, probe, opts)
  local slot = opts._stamp ~= nil and M._index[M.options.updatedAt]
  if slot then rawset(probe, slot, opts._stamp) end
  return probe
end

-- (the values an update's one instance is built from: without their list part, whose number
-- keys name no attribute, as build of a table holding one is bulkBuild; Sequelize's update
-- builds one instance of such values and writes their attributes)
local function one_row_values(values)
  if rawget(values, 1) == nil or getmetatable(values) ~= nil then return values end
  local t = {}
  for k, v in pairs(values) do if type(k) ~= "number" then t[k] = v end end
  return t
end

local function update_probe(M, values, opts)
  local jb = opts._json_built
  if not jb then return stamp_probe(M, M:build(one_row_values(values)), opts) end
  local rest = {}
  for k, v in pairs(values) do if not jb[k] and type(k) ~= "number" then rest[k] = v end end
  local probe = M:build(rest)
  for col in pairs(jb) do
    if values[col] ~= nil then rawset(probe, M._index[col], values[col]) end
  end
  return stamp_probe(M, probe, opts)
end

function Model:update(values, opts)
  if type(opts) == "table" and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  self, opts = scoped(self, opts)
  if type(opts) ~= "table" or opts.where == nil then -- (checked first, as Sequelize: `update()` says so)
    fail("Missing where attribute in the options parameter", 2)
  end
  if type(values) ~= "table" then fail(("%s.update: values must be a table"):format(self.name), 2) end
  if opts.fields ~= nil and type(opts.fields) ~= "table" then
    fail(("%s.update: options.fields must be a list of attribute names"):format(self.name), 2)
  end
  values, opts = json_update_values(self, values, opts)
  opts = Paranoid.where(self, opts) -- (Sequelize updates only the rows not soft-deleted)
  -- (one updatedAt stamp for the instance validated and the values the hooks see and the
  -- UPDATE writes with hooks; without them the core stamps its own now, the same instant)
  local up = self.options.updatedAt
  if up and self.rawAttributes[up] and not opts.silent then
    opts = copy_with(opts, "_stamp", (instance.stamp(self, up)))
  end
  -- (individualHooks: the rows updated come back too, and their hooks run, hooks = false
  -- or not: that silences the bulk hooks only, as in Sequelize)
  if hooks_on(self, opts) or opts.individualHooks then
    return Model._update_hooked(self, values, opts)
  end
  return Model._update(self, values, opts)
end

-- The columns a static update writes besides those given: those the setters changed on the
-- instance built from the values (Sequelize's sideEffects), in column order; nil when none
local function side_effects(M, probe, values)
  local prev = rawget(probe, -1)
  if not prev then return nil end
  local side
  for _, a in ipairs(M._attrs) do
    local k = a.fieldName
    if prev[k] ~= nil and values[k] == nil then side = side or {}; side[#side + 1] = k end
  end
  return side
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
  local probe = update_probe(M, values, opts)
  local EXPR = require("sequelua.expr").mt
  for k, v in pairs(out) do -- the given columns as their setters stored them
    local slot = M._index[k]
    if slot and getmetatable(v) ~= EXPR and rawget(probe, slot) ~= nil then out[k] = rawget(probe, slot) end
  end
  local side
  if opts.sideEffects ~= false then -- and those the setters wrote besides, in column order
    side = side_effects(M, probe, out)
    for _, k in ipairs(side or {}) do out[k] = rawget(probe, M._index[k]) end
  end
  return out, probe, given, side
end

-- opts.fields with the names in `extra` added (a new list; Sequelize's _.union): nil when
-- the caller gave no fields
function Model._fields_union(opts, extra)
  if type(opts.fields) ~= "table" or not extra then return nil end
  local f, seen = {}, {}
  for _, k in ipairs(opts.fields) do f[#f + 1] = k; seen[k] = true end
  for _, k in ipairs(extra) do if not seen[k] then f[#f + 1] = k; seen[k] = true end end
  return f
end

function Model._update(self, values, opts)
  local vals, _, side = Model._update_values(self, values, opts)
  values = vals
  local f = Model._fields_union(opts, side) -- (written whatever fields lists: Sequelize)
  if f then opts = copy_with(opts, "fields", f) end
  return instance.with_unique_msgs(self, core.update, self._box, values, instance.columns_only(self, opts))
end

-- A static update's validation without the instance Sequelize builds from the values, when
-- nothing but the core's checks (allowNull, type, the built-in validators) of the values given
-- can run: no setters, VIRTUAL attributes, Lua or model validators, hooks, defaultValue
-- functions (build runs each, as Sequelize's build for a validated update); no updatedAt given
-- (the instance holds the update's stamp there); and each value one build stores as it is
-- (build's sanitizers: a BOOLEAN's number or string, a DATE / DATEONLY's value, an integral
-- float of Lua 5.4's; their values take the long way). The core validates a table of the
-- values in their slots: true when it finds nothing; else the long way, which raises.
local math_type = math.type -- (nil on LuaJIT, whose numbers build stores as they are)
local function light_valid(M, plain, fields)
  if M._setters or M._virtuals or M._lua_validators or M._model_validators or M._default_fns or H.hooked(M) then
    return false
  end
  local probe, idx, ra, up = {}, M._index, M.rawAttributes, M.options.updatedAt
  for i = 1, #fields do
    local f = fields[i]
    local v = plain[f]
    local tv = type(v)
    if f == up then return false end
    if tv == "number" or tv == "string" then
      local key = ra[f].type.key
      if key == "BOOLEAN" or key == "DATE" or key == "DATEONLY" then return false end
      if math_type and tv == "number" and math_type(v) == "float" then return false end
    end
    probe[idx[f]] = v
  end
  return core.validate(M._box, probe, fields, false) == nil
end

-- The values a static update writes: a VIRTUAL attribute's setter's columns in its place,
-- then (unless validate = false) validated on an instance built from them, with its
-- validation hooks, and as that instance's setters and hooks left them (Sequelize)
function Model._update_values(self, values, opts)
  if type(opts.fields) == "table" then
    -- the attributes fields leaves out are dropped before the instance is built from the
    -- values (Sequelize): their setters do not run
    local listed, kept = {}, nil
    for _, f in ipairs(opts.fields) do listed[f] = true end
    for k in pairs(values) do
      if type(k) == "string" and not listed[k] and (self._index[k] or (self._virtuals and self._virtuals[k])) then
        kept = kept or copy(values)
        kept[k] = nil
      end
    end
    values = kept or values
  end
  local vprobe, vgiven, side -- (the instance built from values with VIRTUAL keys: its setters ran once)
  if self._virtuals then values, vprobe, vgiven, side = unvirtual_values(self, values, opts) end
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
    -- (the listed attributes given a value: one listed but not given is neither validated
    -- nor written, its default on the instance built never reaching the row; Sequelize skips
    -- and picks by the values' keys)
    for _, f in ipairs(opts.fields) do if plain[f] ~= nil then fields[#fields + 1] = f end end
  end
  if #fields > 0 and not vprobe and opts.validate ~= false and light_valid(self, plain, fields) then
    return values, nil, side
  end
  -- (with no attribute given, the model validators and validation hooks still run on the
  -- instance built: Sequelize validates before it finds nothing to write)
  local bare = #fields == 0 and not vprobe and opts.validate ~= false
    and (self._model_validators ~= nil or (opts.hooks ~= false and H.hooked(self)))
  if ((#fields > 0 or vprobe) and (opts.validate ~= false or self._setters)) or bare then
    local probe = vprobe or update_probe(self, plain, opts)
    if not vprobe and self._setters and opts.validate ~= false and opts.sideEffects ~= false then
      -- the columns the setters changed besides: validated and written too (Sequelize's sideEffects)
      side = side_effects(self, probe, values)
      for _, k in ipairs(side or {}) do fields[#fields + 1] = k end
    end
    -- (with its validation hooks, on the instance built from the values, as Sequelize)
    local hooked = opts.validate ~= false and H.hooked(self) and opts.hooks ~= false
    if opts.validate ~= false then
      -- (the attributes not given are left out; a caller's skip is not read: Sequelize's
      -- update sets options.skip itself, over the one given)
      local vo = opts.skip ~= nil and copy_with(opts, "skip", nil) or opts
      V.validate_hooked(self, probe, fields, false, vo, nil, vgiven)
    end
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
  return values, vprobe, side
end

function Model:destroy(opts)
  if type(opts) == "table" and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  self, opts = scoped(self, opts, "destroy")
  local tr = type(opts) == "table" and opts.truncate
  -- (Sequelize tests `options.where || options.truncate`: a JavaScript truthiness, where 0, ""
  -- and null are false; only `truncate === true` then empties the table)
  if type(opts) ~= "table" or (opts.where == nil and (not tr or tr == 0 or tr == "" or tr == NULL)) then
    fail("Missing where or truncate attribute in the options parameter of model.destroy.", 2)
  end
  if hooks_on(self, opts) or (opts.individualHooks and H.hooked(self)) then return Model._destroy_hooked(self, opts) end
  return Model._destroy_rows(self, opts)
end

-- the rows a destroy selects deleted, or on a paranoid model (without force) soft-deleted
function Model._destroy_rows(self, opts)
  if Paranoid.deleted_at(self) and not opts.force then return Paranoid.destroy(self, opts) end
  return core.destroy(self._box, opts)
end

function Model:increment(fields, opts)
  opts = check_opts(self, opts, "increment")
  self, opts = scoped(self, opts)
  if not opts or opts.where == nil then fail("Missing where attribute in the options parameter", 2) end
  return instance.with_unique_msgs(self, core.increment, self._box, instance.amounts(self, fields, opts, 1, 3), opts)
end

function Model:decrement(fields, opts)
  opts = check_opts(self, opts, "decrement")
  self, opts = scoped(self, opts)
  if not opts or opts.where == nil then fail("Missing where attribute in the options parameter", 2) end
  return instance.with_unique_msgs(self, core.increment, self._box, instance.amounts(self, fields, opts, -1, 3), opts, nil, true)
end

function Model:sync(opts)
  opts = check_opts(self, opts, "sync")
  if self.options.logging ~= nil and (opts == nil or opts.logging == nil) then
    opts = copy(opts or {}); opts.logging = self.options.logging -- (Sequelize: { ...this.options, ...options })
  end
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

-- Model:runHooks(type, ...): the model's hooks of that type, then its Sequelize object's, run
-- with those arguments (Sequelize's Model.runHooks; also a function, `{ fn = f }` or a list of
-- them in place of the type); a hook's error is raised, the rest not run
function Model:runHooks(hooks, ...)
  H.run_hooks(self, self.name, hooks, ...)
end

return Model
