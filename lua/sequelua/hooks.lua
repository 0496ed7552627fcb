-- hooks.lua: model and Sequelize hooks (Sequelize v6's lib/hooks.js). A hook is a Lua
-- function kept in a list per hook type on its owner (a model, or the Sequelize object whose
-- hooks run for every model after the model's own). Hooks run in the order added, as plain
-- calls; one that raises stops the operation and its error is re-raised. `beforeSave` and
-- `afterSave` are proxies: adding one adds it to the Create and Update lists too, so a save
-- runs them in the order they were added among beforeCreate/beforeUpdate (Sequelize).
-- Owners without hooks carry no table at all: the write and read paths test one field.
local errors = require("sequelua.errors")
local NULL = require("sequelua.core").null

local H = {}

-- hook type -> true; `noModel` types only on the Sequelize object
H.TYPES = {
  beforeValidate = true, afterValidate = true, validationFailed = true,
  beforeCreate = true, afterCreate = true, beforeDestroy = true, afterDestroy = true,
  beforeRestore = true, afterRestore = true, beforeUpdate = true, afterUpdate = true,
  beforeSave = true, afterSave = true, beforeUpsert = true, afterUpsert = true,
  beforeBulkCreate = true, afterBulkCreate = true, beforeBulkDestroy = true, afterBulkDestroy = true,
  beforeBulkRestore = true, afterBulkRestore = true, beforeBulkUpdate = true, afterBulkUpdate = true,
  beforeFind = true, beforeFindAfterExpandIncludeAll = true, beforeFindAfterOptions = true,
  afterFind = true, beforeCount = true, beforeSync = true, afterSync = true,
  beforeAssociate = true, afterAssociate = true,
  beforeDefine = "noModel", afterDefine = "noModel", beforeBulkSync = "noModel", afterBulkSync = "noModel",
  -- (Sequelize runs these on the Sequelize object only: a model's would never run)
  beforeQuery = "noModel", afterQuery = "noModel",
  -- (taken, and never run: Sequelize's sqlite connection manager opens and closes its one
  -- handle without them, so they never run there either)
  beforeConnect = "noModel", afterConnect = "noModel", beforeDisconnect = "noModel", afterDisconnect = "noModel",
  beforePoolAcquire = "noModel", afterPoolAcquire = "noModel",
}
-- the query hooks: the Sequelize object is told when it gains or loses them (init.lua). They
-- and the connection hooks are kept apart from the others (`_dbhooks`), so that they make no
-- model take its hooked paths.
local QUERY = { beforeQuery = true, afterQuery = true }
local CONNECTION = { beforeConnect = true, afterConnect = true, beforeDisconnect = true, afterDisconnect = true,
                     beforePoolAcquire = true, afterPoolAcquire = true }
local function store(hook_type) return (QUERY[hook_type] or CONNECTION[hook_type]) and "_dbhooks" or "_hooks" end
local function query_hooks_changed(owner, hook_type)
  if QUERY[hook_type] then
    local f = rawget(owner, "_on_query_hooks")
    if f then f() end
  end
end
local PROXIES = { beforeSave = { "beforeUpdate", "beforeCreate" }, afterSave = { "afterUpdate", "afterCreate" } }

local function fail(msg, level) error(errors.new(errors.Error, msg), level + 1) end

-- a scoped model (scope.lua) keeps its hooks on the model itself
local function base(owner) return rawget(owner, "_base") or owner end

local function owner_name(owner)
  return owner.name or "Sequelize"
end

local function check_type(owner, hook_type, is_model, level)
  local kind = type(hook_type) == "string" and H.TYPES[hook_type]
  if not kind then
    fail(("%s: unknown hook type '%s'"):format(owner_name(owner), tostring(hook_type)), level + 1)
  end
  if is_model and kind == "noModel" then
    fail(("%s: the hook %s belongs to the Sequelize object, not to a model"):format(owner_name(owner), hook_type),
      level + 1)
  end
end

-- owner:addHook(type, [name], fn)
function H.add(owner, is_model, hook_type, name, fn, level)
  owner = base(owner)
  level = (level or 1) + 1
  check_type(owner, hook_type, is_model, level)
  -- (addHook(type, fn): anything but a name alone is the hook, and is checked as one)
  if fn == nil and name ~= nil and type(name) ~= "string" then name, fn = nil, name end
  -- (an empty or false name is none, Sequelize.null too: Sequelize keeps such a hook as a bare
  -- function, removable by it)
  if name == "" or name == false or name == NULL then name = nil end
  if name ~= nil and type(name) ~= "string" then
    fail(("%s.addHook: the hook name must be a string"):format(owner_name(owner)), level)
  end
  if type(fn) ~= "function" then
    fail(("%s.addHook: %s needs a function, got %s"):format(owner_name(owner), hook_type, type(fn)), level)
  end
  local key = store(hook_type)
  local hooks = rawget(owner, key)
  if not hooks then
    hooks = {}
    rawset(owner, key, hooks)
  end
  local entry = { name = name, fn = fn }
  local types = { hook_type }
  for _, t in ipairs(PROXIES[hook_type] or {}) do types[#types + 1] = t end
  for _, t in ipairs(types) do
    local list = hooks[t]
    if not list then list = {}; hooks[t] = list end
    list[#list + 1] = entry
  end
  query_hooks_changed(owner, hook_type)
  return owner
end

-- owner:removeHook(type, nameOrFunction)
function H.remove(owner, is_model, hook_type, name, level)
  owner = base(owner)
  level = (level or 1) + 1
  check_type(owner, hook_type, is_model, level)
  if type(name) ~= "string" and type(name) ~= "function" then
    fail(("%s.removeHook: expected the hook's name or its function"):format(owner_name(owner)), level)
  end
  local key = store(hook_type)
  local hooks = rawget(owner, key)
  if not hooks then return owner end
  local types = { hook_type }
  for _, t in ipairs(PROXIES[hook_type] or {}) do types[#types + 1] = t end
  for _, t in ipairs(types) do
    local list = hooks[t]
    if list then
      local kept = {}
      for _, e in ipairs(list) do
        -- (by its function: a hook added without a name only, as Sequelize's)
        local match = (type(name) == "function" and e.fn == name and e.name == nil)
                      or (type(name) == "string" and e.name == name)
        if not match then kept[#kept + 1] = e end
      end
      hooks[t] = #kept > 0 and kept or nil
    end
  end
  if next(hooks) == nil then rawset(owner, key, nil) end
  query_hooks_changed(owner, hook_type)
  return owner
end

function H.has(owner, hook_type)
  local hooks = rawget(base(owner), store(hook_type))
  return hooks ~= nil and hooks[hook_type] ~= nil
end

-- The hooks option of define: { beforeCreate = fn or { fn, ... }, ... }
function H.setup(M, spec, level)
  level = (level or 1) + 1
  if spec == nil then return end
  if type(spec) ~= "table" then fail(("%s: hooks must be a table of hook type = function"):format(M.name), level) end
  local names = {}
  for k in pairs(spec) do
    if type(k) ~= "string" then fail(("%s: hook types must be strings"):format(M.name), level) end
    names[#names + 1] = k
  end
  table.sort(names)
  for _, k in ipairs(names) do
    local v = spec[k]
    if type(v) == "table" then
      for i = 1, #v do H.add(M, true, k, nil, v[i], level) end
    else
      H.add(M, true, k, nil, v, level)
    end
  end
end

-- Does M (or its Sequelize object) have a hook of this type? The cheap test before any work.
function H.any(M, hook_type)
  local mh = rawget(rawget(M, "_base") or M, "_hooks") -- (base(M) inlined)
  if mh and mh[hook_type] then return true end
  local sh = M.sequelize and rawget(M.sequelize, "_hooks")
  return sh ~= nil and sh[hook_type] ~= nil
end

-- A validation hook (beforeValidate, afterValidate, validationFailed) on M or its Sequelize
-- object? (without one, a validation makes no options for them)
local function validation_hooks(hooks)
  return hooks ~= nil and (hooks.beforeValidate or hooks.afterValidate or hooks.validationFailed) ~= nil
end
function H.any_validation(M)
  return validation_hooks(rawget(rawget(M, "_base") or M, "_hooks")) -- (base(M) inlined)
      or (M.sequelize ~= nil and validation_hooks(rawget(M.sequelize, "_hooks")))
end

-- Any hooks at all on M or its Sequelize object?
function H.hooked(M)
  if rawget(rawget(M, "_base") or M, "_hooks") ~= nil then return true end -- (base(M) inlined: a call per find)
  local sq = M.sequelize
  return sq ~= nil and rawget(sq, "_hooks") ~= nil
end

-- (a hook added while they run is appended past n, and removeHook makes a new list: the
-- ones there when the run began run, once each)
local function call_all(list, n, ...)
  for i = 1, n do list[i].fn(...) end
end

-- Run every hook of the type: the model's, then its Sequelize object's. A hook that adds or
-- removes hooks changes the next run.
function H.run(M, hook_type, ...)
  local key = store(hook_type)
  local mh = rawget(base(M), key)
  local list = mh and mh[hook_type]
  local sh = M.sequelize and rawget(M.sequelize, key)
  local glist = sh and sh[hook_type]
  -- (both lists as they are now: one that a model's hook adds to the Sequelize object's runs
  -- from the next run on, as Sequelize concatenates the two lists before running them)
  local n, gn = list and #list, glist and #glist
  if list then call_all(list, n, ...) end
  if glist then call_all(glist, gn, ...) end
end

-- runHooks(hooks, ...) as Sequelize's: hooks is a hook type (M's hooks of that type, then
-- its Sequelize object's), a function, a `{ fn = f }` table, or a list of functions and such
-- tables, run in order with the arguments. `who` names the receiver in an error.
function H.run_hooks(M, who, hooks, ...)
  -- (JavaScript's `if (!hooks)`: "" and 0 too, and null)
  if hooks == nil or hooks == false or hooks == "" or hooks == 0 or hooks == NULL or hooks ~= hooks then
    error(errors.new(errors.Error, "runHooks requires at least 1 argument"), 3)
  end
  if type(hooks) == "string" then return H.run(M, hooks, ...) end
  local list = hooks
  if type(hooks) ~= "table" or getmetatable(hooks) ~= nil or rawget(hooks, "fn") ~= nil then list = { hooks } end
  local fns = {}
  for i = 1, #list do
    local h = list[i]
    if type(h) == "table" and getmetatable(h) == nil then h = rawget(h, "fn") end
    if type(h) ~= "function" and not (type(h) == "table" and getmetatable(h) and getmetatable(h).__call) then
      error(errors.new(errors.Error, who .. ".runHooks: expected a hook type, a function, { fn = function } or a list of them, got "
        .. type(list[i]) .. (#list > 1 and (" at " .. i) or "")), 3)
    end
    fns[i] = h
  end
  for i = 1, #fns do fns[i](...) end
end

-- The shorthand names a class has (`beforeCreate`, ...): all, or a model's (no noModel ones)
function H.shorthands(is_model)
  local names = {}
  for t, kind in pairs(H.TYPES) do
    if not (is_model and kind == "noModel") then names[#names + 1] = t end
  end
  return names
end

-- Methods for the Model class and the Sequelize class: addHook, removeHook, hasHook(s) and
-- one shorthand per type (`User:beforeCreate([name], fn)`).
function H.mixin(class, is_model)
  function class:addHook(hook_type, name, fn) return H.add(self, is_model, hook_type, name, fn, 2) end
  function class:removeHook(hook_type, name) return H.remove(self, is_model, hook_type, name, 2) end
  function class:hasHook(hook_type) return H.has(self, hook_type) end
  class.hasHooks = class.hasHook
  -- (init.lua guards the receiver: User.beforeCreate(fn) for User:beforeCreate(fn))
  for _, t in ipairs(H.shorthands(is_model)) do
    class[t] = function(self, name, fn) return H.add(self, is_model, t, name, fn, 2) end
  end
end

return H
