-- scope.lua: model scopes, as in Sequelize v6. The define options defaultScope and
-- scopes; Model:scope, unscoped and addScope; and the merging of a scope into a finder's
-- (or an include's) options, which follows Sequelize's _injectScope / _defaultsOptions /
-- _assignOptions / _mergeFunction / _uniqIncludes.
--
-- A scoped model is a small table of its own (the scope, its names) whose every other
-- field is read from the model at each access (__index) and written to it (__newindex):
-- what Model.refresh or a later association changes on the model is seen through it.
-- getmetatable() on it answers Model (__metatable), so it passes wherever a model does;
-- where models are compared by identity, Model._base(m) gives the model itself. Rows it
-- reads and instances it builds are the model's own. A scope of a Model.schema copy (and
-- the copy's unscoped view) reads the copy's fields instead (its box, table, instance
-- metatable, options), as Sequelize's scope() subclasses the copy: it runs on the copy's table.
local errors = require("sequelua.errors")
local Model = require("sequelua.model")
local Op = require("sequelua.op")
local EXPR = require("sequelua.expr").mt
local NULL = require("sequelua.core").null

local Scope = {}
local unpack_list = table.unpack or unpack

local function fail(cls, msg, level) error(errors.new(cls, msg), (level or 1) + 1) end

local function base_of(m) return rawget(m, "_base") or m end
Model._base = base_of

-- The Model.schema copy m is or is a scope of (nil: m is the model or a scope of it)
local function copy_of(m) return rawget(m, "_schema_view") and m or rawget(m, "_copy") end
Model._schema_copy = copy_of

-- ---------------------------------------------------------------------------
-- merging (Sequelize's _mergeFunction: `obj` the earlier value, `src` the later one)

local function is_list(t)
  if type(t) ~= "table" or getmetatable(t) ~= nil or t[1] == nil then return false end
  local n = #t
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 then return false end
  end
  return true
end

-- a plain object: a table without metatable that is not a list (a model, an instance,
-- Sequelize.fn/literal/where and result lists all carry metatables)
local function is_plain(t) return type(t) == "table" and getmetatable(t) == nil and not is_list(t) end

local function copy(t)
  local n = {}
  for k, v in pairs(t) do n[k] = v end
  return n
end

-- The values given, a list among them spread out one level (lodash's _.flatten)
local function flatten(...)
  local out = {}
  for i = 1, select("#", ...) do
    local x = select(i, ...)
    if is_list(x) then
      for _, y in ipairs(x) do out[#out + 1] = y end
    else
      out[#out + 1] = x
    end
  end
  return out
end

-- an empty table without metatable (is_list says no to it)
local function is_empty(t) return type(t) == "table" and getmetatable(t) == nil and next(t) == nil end

-- lodash's _.union: the items of a, then those of b not already there
local function union(a, b)
  local out, seen = {}, {}
  for _, list in ipairs({ a, b }) do
    for _, v in ipairs(list) do
      if not seen[v] then seen[v] = true; out[#out + 1] = v end
    end
  end
  return out
end
Model._union = union -- (association.lua's merge of an association included twice)

-- whereMergeStrategy = "and" (Sequelize's combineWheresWithAnd): the two wheres as one
-- Op.and list, each unpacked when it is an Op.and alone; an empty one is the other
local function unpack_and(w)
  if type(w) ~= "table" or getmetatable(w) ~= nil then return w end
  local n, only_and = 0, true
  for k in pairs(w) do
    n = n + 1
    if k ~= Op["and"] then only_and = false end
  end
  if n == 0 then return nil end
  if n == 1 and only_and then return w[Op["and"]] end
  return w
end

local function combine_and(a, b)
  local ua = unpack_and(a)
  if ua == nil then return b end
  local ub = unpack_and(b)
  if ub == nil then return a end
  return { [Op["and"]] = flatten(ua, ub) }
end

local function merge_value(key, obj, src, and_where)
  if (key == "where" or key == "having") and and_where and obj ~= nil and src ~= nil then
    return combine_and(obj, src)
  end
  if is_list(obj) and is_list(src) then return union(obj, src) end
  if key ~= "where" and key ~= "having" and (is_list(obj) or is_list(src))
     and (is_list(obj) or is_empty(obj)) and (is_list(src) or is_empty(src)) then
    -- (an empty table beside a list is an empty list: lodash's union of [] and the other, so a
    -- finder's `include = {}`, `order = {}` or `group = {}` keeps the scope's, as Sequelize's)
    return union(obj, src)
  end
  if key == "where" or key == "having" then
    if getmetatable(src) == EXPR then src = { [Op["and"]] = src } end
    if is_plain(obj) and is_plain(src) then
      local t = copy(obj)
      for k, v in pairs(src) do t[k] = v end -- the later's keys win
      return t
    end
  elseif key == "attributes" and is_empty(src) and obj ~= nil then
    -- (a later `attributes = {}` is the empty list, `[]`, which replaces an earlier
    -- `{ exclude = ... }` object, as Sequelize's truthy [] does; beside a list it joined above)
    return src
  elseif key == "attributes" and is_plain(obj) and is_plain(src) then
    local t = copy(obj) -- { include = {...}, exclude = {...} }: lists joined, others replaced
    for k, v in pairs(src) do
      if is_list(t[k]) and is_list(v) then t[k] = union(t[k], v) else t[k] = v end
    end
    return t
  end
  if src ~= nil then return src end
  return obj
end

local conform_list, uniq

-- Sequelize's _conformInclude: every include as a table { model, association, as, ... }
-- (a new table: the caller's is not changed)
local function conform(M, item)
  local A = require("sequelua.association")
  if type(item) == "string" then
    local a = M.associations[item]
    if not a then fail(errors.Error, ('Association with alias "%s" does not exist on %s'):format(item, M.name), 5) end
    return { model = a.target, association = a, as = a.as }
  end
  if A.is_association(item) then return { model = item.target, association = item, as = item.as } end
  if type(item) == "table" and getmetatable(item) == Model then return { model = item } end
  if not is_plain(item) then return item end -- left to the include normalisation to refuse
  local t = copy(item)
  local model = t.model
  if t.association ~= nil then
    local a = t.association
    if type(a) == "string" then
      a = M.associations[a]
      if not a then
        fail(errors.Error, ('Association with alias "%s" does not exist on %s'):format(t.association, M.name), 5)
      end
      t.association = a
    end
    if A.is_association(a) then
      if t.model == nil then t.model = a.target end
      if t.as == nil then t.as = a.as end
      model = a.target
    end
  elseif t.assoc ~= nil and A.is_association(t.assoc) then
    model = t.assoc.target -- an already normalised node
  end
  if t.include ~= nil and type(model) == "table" and getmetatable(model) == Model then
    t.include = conform_list(base_of(model), t.include)
  end
  return t
end

conform_list = function(M, include)
  if include == nil or include == require("sequelua.core").null then return nil end -- (Sequelize.null: none)
  if not is_list(include) then
    if type(include) == "table" and getmetatable(include) == nil and next(include) == nil then return nil end
    include = { include }
  end
  local out = {}
  for i, item in ipairs(include) do out[i] = conform(M, item) end
  return out
end

-- (the find hooks' view of an include: conformed, and at first merged as _uniqIncludes does)
function Model._conform_includes(M, include, no_uniq)
  local list = conform_list(base_of(M), include)
  if no_uniq then return list end
  local o = base_of(M).options
  return uniq(list, o and o.whereMergeStrategy == "and")
end

-- (a finder's conformed includes merged as Sequelize's _uniqIncludes merges them, at every level,
-- with the wheres of whereMergeStrategy "and" (`and_where`) or else key by key: include.lua)
function Model._uniq_includes(list, and_where) return uniq(list, and_where) end

local function include_key(item)
  if type(item) ~= "table" then return tostring(item) end
  local m = item.model
  local name = type(m) == "table" and m.name or (type(item.assoc) == "table" and item.assoc.target.name) or nil
  return tostring(name) .. "-" .. tostring(item.as)
end

local assign

-- Sequelize's _uniqIncludes: the includes of one model and alias merged into one, the
-- later's options winning, in the order each first appears; their wheres joined with Op.and
-- under whereMergeStrategy = "and" of the model whose options these are (`and_where`), at every
-- level, as Sequelize's _uniqIncludes merges with that model's _mergeFunction
uniq = function(list, and_where)
  if list == nil then return nil end
  local groups, order = {}, {}
  for _, item in ipairs(list) do
    local k = include_key(item)
    if not groups[k] then groups[k] = {}; order[#order + 1] = k end
    groups[k][#groups[k] + 1] = item
  end
  local out = {}
  for i, k in ipairs(order) do
    local g = groups[k]
    if type(g[1]) ~= "table" or getmetatable(g[1]) ~= nil then
      out[i] = g[1]
    else
      local acc = copy(g[1])
      for j = 2, #g do if is_plain(g[j]) then assign(acc, g[j], and_where) end end
      if acc.include ~= nil then acc.include = uniq(acc.include, and_where) end
      out[i] = acc
    end
  end
  return out
end

-- Sequelize's _assignOptions(target, src): src's options merged over target's (in place)
assign = function(target, src, and_where)
  for k, v in pairs(src) do target[k] = merge_value(k, target[k], v, and_where) end
  return target
end

-- Sequelize's _defaultsOptions(options, scope): the scope merged under the options (the
-- options' own values win; where objects merge by key; lists join); includes conformed
-- (to model M) and merged. A new table.
-- a scope's value copied down to its plain tables (models, expressions and other tables
-- with metatables kept): options a hook or the finder changes must not change the scope
local function deep(v, seen) return Model._clone_plain(v, seen) end

local function defaults(M, opts, scope)
  local o = opts and copy(opts) or {}
  local seen = {}
  local and_where = M.options and M.options.whereMergeStrategy == "and"
  -- (the finder's include is merged as given, as Sequelize's findAll injects the scope before it
  -- conforms the options: a list joins the scope's includes, a single include replaces them)
  for k, v in pairs(scope) do
    if o[k] == NULL and k ~= "where" and k ~= "having" then
      o[k] = nil -- (the finder's Sequelize.null: neither, as Sequelize's null over the scope's value)
    else
      o[k] = merge_value(k, deep(v, seen), o[k], and_where)
    end
  end
  if scope.include ~= nil and o.include ~= nil then o.include = uniq(conform_list(M, o.include), and_where) end
  return o
end

-- ---------------------------------------------------------------------------
-- scoped models

-- (`copy`: the Model.schema copy it scopes, whose fields it reads; nil: the model's)
local function view(base, scope, names, copy)
  local v = { _base = base, _scope = scope, _scopeNames = names, scoped = true, _copy = copy }
  return setmetatable(v, { __index = copy or base, __newindex = base, __metatable = Model, __tostring = Model.__tostring })
end

-- The model's (or its Model.schema copy's) view with no scope at all (made once)
local function unscoped_view(M)
  local base, cp = base_of(M), copy_of(M)
  local owner = cp or base
  local u = rawget(owner, "_unscoped_view")
  if not u then
    u = view(base, {}, {}, cp)
    rawset(owner, "_unscoped_view", u)
  end
  return u
end
Model._unscoped_view = unscoped_view

local function check_scope(M, name, sc, level)
  if type(sc) ~= "table" and type(sc) ~= "function" then
    fail(errors.Error, ("%s: the scope %s must be a table or a function, got %s"):format(M.name, name, type(sc)), level + 1)
  end
  if type(sc) == "table" and not is_plain(sc) and next(sc) ~= nil then
    fail(errors.Error, ("%s: the scope %s must be a table of finder options (where, attributes, include, ...)")
      :format(M.name, name), level + 1)
  end
end

-- define's defaultScope and scopes options, checked before the model is made (`name`:
-- the model's name)
function Scope.check(name, options)
  local M = { name = name }
  local ds, scopes = options.defaultScope, options.scopes
  if ds ~= nil and (type(ds) ~= "table" or not (is_plain(ds) or next(ds) == nil)) then
    fail(errors.Error, ("%s: defaultScope must be a table of finder options, got %s"):format(M.name, type(ds)), 3)
  end
  if scopes ~= nil and (type(scopes) ~= "table" or getmetatable(scopes) ~= nil) then
    fail(errors.Error, ("%s: scopes must be a table of named scopes, got %s"):format(M.name, type(scopes)), 3)
  end
  for k, sc in pairs(scopes or {}) do
    if type(k) ~= "string" then
      fail(errors.Error, ("%s: scope names must be strings, got %s"):format(M.name, type(k)), 3)
    end
    check_scope(M, k, sc, 3)
  end
end
Model._check_scopes = Scope.check

-- ... and set on the model made
function Scope.define(M, options)
  local ds = options.defaultScope
  local list = {}
  for k, sc in pairs(options.scopes or {}) do list[k] = sc end
  M.options.defaultScope = ds or {}
  M.options.scopes = list
  M._scope = M.options.defaultScope
  M._scopeNames = { "defaultScope" }
end
Model._define_scopes = Scope.define

local function scope_options(M)
  local o = M.options
  if not o.scopes then o.scopes = {} end
  if not o.defaultScope then o.defaultScope = {} end
  return o
end

-- Model:scope(...): the model with these scopes merged, in order (a later one's options
-- win). Each is a name, "defaultScope", a table of options, { method = { name, args... } }
-- or { method = name }; a list of these counts as its items. scope(), scope(nil) or
-- scope(Sequelize.null): no scope at all.
function Model:scope(...)
  local base = base_of(self)
  local opts = scope_options(base)
  local acc, names = {}, {}
  local v = view(base, acc, names, copy_of(self))
  local n = select("#", ...)
  local first = ...
  -- (Sequelize.null is JavaScript's null: scope(null) is no scope, as Sequelize's)
  if n == 0 or first == nil or first == false or first == require("sequelua.core").null then return v end
  for _, x in ipairs(flatten(...)) do
    local sc, name = nil, nil
    if is_plain(x) and x.method ~= nil then
      local m = x.method
      local args, nargs = {}, 0
      if is_list(m) then
        name = m[1]
        nargs = #m - 1
        args = { unpack_list(m, 2, #m) }
      else
        name = m
      end
      local fn = opts.scopes[name]
      if fn == nil then fail(errors.ScopeError, ("Invalid scope %s called."):format(tostring(name)), 2) end
      if type(fn) ~= "function" then
        fail(errors.ScopeError, ("Invalid scope %s called: %s.%s is not a function, it takes no arguments (use scope(\"%s\"))")
          :format(tostring(name), base.name, tostring(name), tostring(name)), 2)
      end
      sc = fn(unpack_list(args, 1, nargs))
    elseif is_plain(x) or (type(x) == "table" and getmetatable(x) == nil) then
      sc = x
    elseif x == "defaultScope" then
      sc = opts.defaultScope
    else
      name = x
      sc = opts.scopes[x]
      if type(sc) == "function" then sc = sc() end
      if sc == nil then fail(errors.ScopeError, ("Invalid scope %s called."):format(tostring(x)), 2) end
    end
    if type(sc) ~= "table" or not (is_plain(sc) or next(sc) == nil) then
      fail(errors.ScopeError, ("Invalid scope %s called: the scope function of %s returned %s, not a table of options")
        :format(tostring(name), base.name, type(sc)), 2)
    end
    -- (the scope's include conformed to a list before the merge, as Sequelize's scope() does:
    -- a single include table joins the earlier scopes' includes, not replaces them)
    -- (Sequelize.null is kept: it clears the earlier scopes' includes, as Sequelize's null does)
    if sc.include ~= nil and sc.include ~= NULL then sc = copy(sc); sc.include = conform_list(base, sc.include) end
    local and_where = base.options.whereMergeStrategy == "and"
    assign(acc, sc, and_where)
    if acc.include ~= nil then acc.include = uniq(conform_list(base, acc.include), and_where) end
    names[#names + 1] = name or "defaultScope"
  end
  return v
end

function Model:unscoped() return self:scope() end

-- Model:addScope(name, scope [, { override = true }])
function Model:addScope(name, sc, o)
  local base = base_of(self)
  if type(name) ~= "string" or name == "" then
    fail(errors.Error, ("%s.addScope: the scope name must be a non-empty string, got %s"):format(base.name, type(name)), 2)
  end
  if o ~= nil and type(o) ~= "table" then fail(errors.Error, ("%s.addScope: options must be a table"):format(base.name), 2) end
  check_scope(base, name, sc, 2)
  if name == "defaultScope" and type(sc) ~= "table" then
    fail(errors.Error, ("%s.addScope: defaultScope must be a table of finder options, got %s"):format(base.name, type(sc)), 2)
  end
  local opts = scope_options(base)
  local override = o and o.override == true
  if ((name == "defaultScope" and next(opts.defaultScope) ~= nil) or opts.scopes[name] ~= nil) and not override then
    fail(errors.Error, ("The scope %s already exists. Pass { override: true } as options to silence this error")
      :format(name), 2)
  end
  if name == "defaultScope" then
    opts.defaultScope = sc
    rawset(self, "_scope", sc)
    if self == base then base._scopeNames = { "defaultScope" } end
  else
    opts.scopes[name] = sc
  end
end

-- ---------------------------------------------------------------------------
-- injection

-- (model, options, what) -> the model to run on (with no scope left to apply) and the
-- options with the model's scope merged in (Sequelize's _injectScope). `what`: "count"
-- and "aggregate" keep the caller's attributes (count drops limit, offset and order, as
-- Sequelize's count does); "destroy" with truncate takes no scope (Sequelize empties the
-- table) unless the model is paranoid. Without a scope: the same model and options.
function Scope.inject(M, opts, what)
  local sc = M._scope
  if sc == nil or next(sc) == nil then return M, opts end
  local u = unscoped_view(M)
  if opts ~= nil and type(opts) ~= "table" then return u, opts end -- (refused by the caller)
  -- (a paranoid model's truncate is a soft delete of the rows the scope selects, as Sequelize)
  if what == "destroy" and opts and opts.truncate == true and not M.options.deletedAt then return u, opts end
  local o = defaults(base_of(M), opts, sc)
  if what == "count" or what == "aggregate" then
    o.attributes = opts and opts.attributes
    if o.attributes == NULL then o.attributes = nil end
    if what == "count" then o.limit, o.offset, o.order = nil, nil, nil end
  end
  return u, o
end
Model._inject_scope = Scope.inject

-- An include's model scope: that of the scoped model it names, or else the target's
-- default scope, merged under the include's own options (Sequelize's
-- _validateIncludedElement). Returns the include unchanged without one.
function Scope.include(item, a)
  local m = item.model
  local src = (type(m) == "table" and rawget(m, "_base")) and m or a.target_view or a.target
  local sc = src._scope
  if sc == nil or next(sc) == nil then return item end
  return defaults(a.target, item, sc)
end
Model._include_scope = Scope.include

Scope.merge_value, Scope.defaults = merge_value, defaults
return Scope
