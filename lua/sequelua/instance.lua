-- instance.lua: the instance metatable. An instance is one Lua table: attribute values
-- sit in slots 1..n (column order), so `user.name` goes through __index to the slot and
-- `user.name = v` through __newindex, which records the previous value in t[-1] on the
-- first change (a raw set of a saved row's attribute keeps the value stored before it in
-- t[-2], until a set, a save of it or a reload ends that). Methods live in one table shared
-- by every instance of a model. An n:m include's join row (tag.PostTags) waits in slots
-- past the attributes until __index, getDataValue or toJSON first reads it (core.member
-- makes it; bind_read.c). t[-6] holds the last dataValues copy read while it may still be
-- edited (instance.data_values).
local type, rawget, pcall, getmetatable = type, rawget, pcall, getmetatable
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local DataTypes = require("sequelua.datatypes")
local H = require("sequelua.hooks")
local V = require("sequelua.validation")

local NULL = core.null
local array_mt = require("sequelua.expr").array_mt
local member = core.member
local instance = {}
local Instance = {}

-- The options of a call whose transaction is Sequelize.null or false (JavaScript's
-- `transaction: null`, "no transaction"): a copy without it, so that its hooks and logger see
-- none (nil), as Sequelize's see a falsy null (a hook's `if opts.transaction then ... end`).
-- The one normaliser of the model's methods (model.lua: check_opts, finder_opts, update,
-- destroy, the association getters) and the instances' (save, update, destroy, reload,
-- increment, decrement; paranoid.lua's restore, Model's and an instance's), as transaction.lua's is
-- db:transaction's and the atomic calls'.
-- Called only for such options (`if opts and (opts.transaction == NULL or opts.transaction
-- == false)` at the call: a call without them pays no function call).
function instance.no_null_tx(opts)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.transaction = nil
  return o
end
local no_null_tx = instance.no_null_tx
instance.methods = Instance

local function model_of(self)
  local mt = getmetatable(self)
  return mt and mt.__M
end

-- u.save() written for u:save(): an error object, not a failure deep inside
local function not_instance(name, self)
  error(errors.new(errors.Error, ("instance:%s(...) is a method: call it with a colon, on an instance (got %s)")
    :format(name, type(self))), 3)
end

-- store a value, remembering the first previous value of each changed attribute
-- Sequelize's BOOLEAN sanitizer: these values of a BOOLEAN attribute become booleans
local BOOLEAN_OF = { [1] = true, [0] = false, ["true"] = true, ["false"] = false }

-- Lua 5.4: an integral float (7.0, as lua-cjson decodes every JSON number) set on an
-- INTEGER / BIGINT attribute is held as the integer the database stores (within 2^53), so
-- "/users/" .. u.id is "/users/7" before a reload as after it (JavaScript has one number type)
local function int_of(v)
  if math.type(v) == "float" and v == v and v >= -2 ^ 53 and v <= 2 ^ 53 then return math.tointeger(v) or v end
  return v
end

-- Two JSON values alike (Sequelize compares with _.isEqual): tables key by key; a list read
-- back carries Sequelize.array_mt, one written as a literal (or by cjson.decode) none, and
-- both are the same JSON array unless empty (a plain {} is an object); 1.0 equals 1. (The
-- core's, which the update paths use too.)
local same_json = core.json_same

-- the previous "value" of an attribute the instance had no value for (reset, or not
-- selected): Sequelize's undefined, left out of previous()
local ABSENT = setmetatable({}, { __name = "sequelua.absent" })
instance.ABSENT = ABSENT

local DATA_VALUES = { raw = true, includes = true } -- (instance.dataValues: get's options)
local DV = -6 -- (the slot of a dataValues copy not yet read back: instance.data_values; csrc/binding.h SQ_DV_SLOT)
-- How many dataValues copies were made and not read back yet: __index / __newindex look at
-- t[DV] only while that is not 0 (a field read pays no rawget otherwise). A copy read back
-- counts down (once: p.done); one whose instance is collected before that never does, so the
-- count stays above 0 and reads look at t[DV] as they did before the count. (Not a finalizer
-- per copy: it kept each instance and its copy a whole collection longer under Lua 5.4, and
-- LuaJIT's newproxy per copy doubled the time of reading dataValues in an afterFind hook.)
local dv_pending = 0
local function dv_record(dv, made) return { dv = dv, made = made } end
local RAW_SET = { raw = true }

-- A raw write of v to a saved row's attribute (a raw set, a dataValues edit): the value stored
-- before it stays the previous one in t[-2] (Sequelize leaves _previousDataValues as it is:
-- previous() and setDataValue compare with it), unless the key is changed (t[-1] has it)
local function keep_stored(self, key, slot, v)
  local prev = rawget(self, -1)
  if (prev and prev[key] ~= nil) or rawget(self, "isNewRecord") then return end
  local rp = rawget(self, -2)
  if rp and rp[key] ~= nil then return end
  local old = rawget(self, slot)
  if old ~= v then
    if not rp then rp = {}; rawset(self, -2, rp) end
    rp[key] = old == nil and ABSENT or old
  end
end

local function set_value(self, key, slot, v, keep)
  if v == nil then v = NULL end
  local old = rawget(self, slot)
  -- (a NaN, which a FLOAT reads from the text 'NaN', is the same value again: _.isEqual)
  local same = old == v or (v ~= v and old ~= old)
  -- (setDataValue after a raw set compares with the stored value: below)
  if same and type(v) ~= "table" and not (keep and rawget(self, -2)) then return end
  if type(v) == "table" and old ~= v and same_json(old, v) then
    -- an equal value is not a change (Sequelize); the same table again is (changed in place)
    rawset(self, slot, v)
    return
  end
  local rp = rawget(self, -2)
  if rp and rp[key] ~= nil then -- (a raw set's stored value is the one replaced now)
    local r = rp[key]
    if keep then
      -- setDataValue compares with the stored value (Sequelize's _previousDataValues), not
      -- the raw one: back to it is no change; another value keeps it as the previous one
      if (r == v or (r ~= r and v ~= v)) and type(v) ~= "table" then rawset(self, slot, v); return end
      old = r
    end
    rp[key] = nil
    if next(rp) == nil then rawset(self, -2, nil) end
  elseif same and type(v) ~= "table" then -- (setDataValue of the value it holds)
    return
  end
  local prev = rawget(self, -1)
  if not prev then
    prev = {}
    rawset(self, -1, prev)
  end
  -- the value this one replaces, also on a second change (Sequelize's set keeps the value
  -- replaced last in _previousDataValues: n = 1 read, n = 2, n = 3 -> previous("n") 2);
  -- keep (setDataValue): the first one only, Sequelize's setDataValue leaves it as it was
  if old == nil then old = ABSENT end
  if not (keep and prev[key] ~= nil) then prev[key] = old end
  rawset(self, slot, v)
end

function instance.metatable(M)
  local index, getters, setters, readonly = M._index, M._getters, M._setters, M._readonly
  -- attributes named as an instance method (save, update, changed, ...; a method added to
  -- Model.prototype too): the method wins, the value is read with get(name), as Sequelize
  -- keeps its built-in methods ("Not overriding built-in method from model attribute")
  -- (reads go through rindex: the index without those names, kept by Model.fill_shadow)
  -- (a metatable made again for a new attribute layout keeps these, and the methods)
  local shadow, rindex = M._shadow or {}, M._rindex or {}
  M._shadow, M._rindex = shadow, rindex
  local methods = M._methods or setmetatable({}, { __index = Instance, __newindex = function(t, k, v)
    rawset(t, k, v)
    if index[k] and type(v) == "function" then shadow[k], rindex[k] = true, nil end
  end })
  M._methods = methods
  local mt = { __M = M, __model = M._box, __getters = getters, __setters = setters, __name = M.name, __methods = methods }
  mt.__index = function(self, k)
    if dv_pending ~= 0 and rawget(self, DV) then instance.sync_data_values(self) end
    local slot = rindex[k]
    if slot then
      if getters then
        local g = getters[k]
        if g then return g(self, k, {}) end -- (key, options: Sequelize's get())
      end
      -- a loaded slot is never nil, so this is a raw read; an unloaded one comes back
      -- here with a number key and finds nothing
      local v = self[slot]
      if v == NULL then return nil end
      return v
    end
    local vs = M._virtuals
    if vs and vs[k] then
      local v = vs[k]
      if v.get then return v.get(self, k, {}) end
      return instance.virtual_value(self, k)
    end
    local m = methods[k]
    if m ~= nil then return m end
    if k == "isNewRecord" then return false end
    if k == "dataValues" then return instance.data_values(self) end
    if k == "_previousDataValues" then return instance.previous_values(self, M) end
    if k == "Model" or k == "constructor" then return M end
    if k == "sequelize" then return M.sequelize end
    -- an n:m include's through instance, made on its first read (core.member checks the key)
    local shape = rawget(self, 0)
    if shape and shape.lazy then return member(self, k) end
    return nil
  end
  mt.__newindex = function(self, k, v)
    if dv_pending ~= 0 and rawget(self, DV) then instance.sync_data_values(self) end
    local slot = index[k]
    if slot then
      if setters and setters[k] then
        -- (value, key: Sequelize's set()); the value the setter replaced is then the
        -- previous one when it wrote another value, as Sequelize's set after a custom setter
        local before = rawget(self, slot)
        setters[k](self, v, k)
        local after = rawget(self, slot)
        local p = rawget(self, -1)
        if p and p[k] ~= nil and after ~= before and not (type(after) == "table" and same_json(before, after)) then
          if before == nil then before = ABSENT end
          p[k] = before
        end
        return
      end
      -- a time stamp of a saved row is left as it is (Sequelize's set without raw), and so
      -- is a primary key that holds a value (a truthy one in JavaScript's terms), saved or not
      local ro = readonly[k]
      if ro then
        if ro == "pk" then
          local cur = rawget(self, slot)
          if cur ~= nil and cur ~= NULL and cur ~= false and cur ~= 0 and cur ~= "" and cur == cur then return end
        elseif not rawget(self, "isNewRecord") then
          return
        end
      end
      local bools = M._booleans
      if bools and bools[k] then -- 1/0, "true"/"false" (Sequelize)
        local b = BOOLEAN_OF[v]
        if b ~= nil then v = b end
      end
      local dates = M._dates
      if dates and dates[k] ~= nil then v = core.sanitize_date(v, dates[k]) end -- (the ISO form a read gives)
      local ints = M._integers
      if ints and ints[k] then v = int_of(v) end
      return set_value(self, k, slot, v)
    end
    local vs = M._virtuals
    if vs and vs[k] then
      -- a getterMethods name with no setter is no attribute: Sequelize's set ignores it
      -- (a raw set or setDataValue still stores it)
      if vs[k].raw == nil and not vs[k].set then return end
      return instance.assign_virtual(self, k, v, vs[k].set)
    end
    local shape = rawget(self, 0)
    if shape and shape.lazy then member(self, k) end -- a waiting through instance stops waiting
    rawset(self, k, v)
  end
  mt.__tostring = function(self) return core.stringify(self) end
  return mt
end

-- The model's attributes were renumbered (removeAttribute, an association adding or removing
-- keys): its instances so far keep their values in the old slots. Their metatable `old` is
-- left to them, and moves each to the new layout (core.migrate, by `remap`: old slot -> new
-- slot) on its first use: a field read or written, a method looked up, toJSON or stringify.
-- The model takes a new metatable. Returns it.
function instance.relayout(M, old, remap)
  local mt = instance.metatable(M)
  for k, v in pairs(old) do if mt[k] == nil then mt[k] = v end end -- (__gm, __virtuals, __getters ...)
  remap.mt = mt
  local migrate = core.migrate
  old.__remap, old.__model = remap, nil
  old.__index = function(self, k) return migrate(self)[k] end
  old.__newindex = function(self, k, v) migrate(self)[k] = v end
  old.__tostring = function(self) return tostring(migrate(self)) end
  return mt
end

-- Is v an instance of M (one of an older attribute layout is moved to the model's first,
-- core.migrate; one of the current layout is M's by its metatable alone)?
function instance.is_of(v, M)
  local mt = type(v) == "table" and getmetatable(v)
  if not mt then return false end
  return mt == M._mt or getmetatable(core.migrate(v)) == M._mt
end

-- ---------------------------------------------------------------------------

-- A VIRTUAL attribute's own value (one without a getter, or what its setter stored with
-- setDataValue): in t[-4], a table by name made on the first write
function instance.virtual_value(self, key)
  local store = rawget(self, -4)
  local v = store and store[key]
  if v == NULL then return nil end
  return v
end

-- A VIRTUAL attribute's value stored without marking it set (its default)
function instance.store_virtual(self, key, v)
  local store = rawget(self, -4)
  if not store then
    store = {}
    rawset(self, -4, store)
  end
  store[key] = v
  return store
end

-- (store[DIRTY]: the VIRTUAL attributes set since the last save, for changed() and validation)
local DIRTY = {}
instance.DIRTY = DIRTY

-- (store[PREV]: a changed VIRTUAL attribute's value before the change, ABSENT for none:
-- Sequelize's _previousDataValues of it, until the save that writes it)
local PREV = {}

local function mark_virtual(store, key)
  local dirty = store[DIRTY]
  if not dirty then
    dirty = {}
    store[DIRTY] = dirty
  end
  dirty[key] = true
end

-- two values of a VIRTUAL attribute alike (Sequelize's _.isEqual)
local function same_value(a, b)
  if a == b then return true end
  return type(a) == "table" and type(b) == "table" and same_json(a, b)
end

-- the value a VIRTUAL attribute had when last saved or read (Sequelize's _previousDataValues)
local function virtual_before(store, key)
  local p = store and store[PREV]
  local v = p and p[key]
  if v ~= nil then
    if v == ABSENT then return nil end
    return v
  end
  return store and store[key]
end

-- keep old (nil: it had no value) as a VIRTUAL attribute's previous value
local function keep_previous(store, key, old)
  local p = store[PREV]
  if not p then
    p = {}
    store[PREV] = p
  end
  if old == nil then old = ABSENT end
  p[key] = old
end

-- a VIRTUAL attribute about to change from old (nil: it had no value): the value it replaces
-- is its previous one, and it is changed (Sequelize's set)
local function virtual_changed(self, key, old)
  local store = rawget(self, -4)
  if not store then
    store = {}
    rawset(self, -4, store)
  end
  keep_previous(store, key, old)
  mark_virtual(store, key)
end

-- setDataValue of a VIRTUAL attribute (what its setter calls): stored, and changed unless
-- equal to its value as last saved (Sequelize's setDataValue, which leaves that value as
-- previous(key): kept here unless a change before this one kept it already)
function instance.set_virtual(self, key, v)
  local store = rawget(self, -4)
  local before = virtual_before(store, key)
  local p = store and store[PREV]
  local kept = p and p[key] ~= nil
  store = instance.store_virtual(self, key, v)
  if not kept and store[key] ~= before then keep_previous(store, key, before) end
  if not same_value(v, before) then mark_virtual(store, key) end
end

-- user.v = x on a VIRTUAL attribute, through its setter if it has one: changed (and its
-- previous value kept) when the value it holds afterwards differs from the one before (a
-- value set again is no change: Sequelize's set compares with _.isEqual)
function instance.assign_virtual(self, key, v, setter)
  local store = rawget(self, -4)
  local old = store and store[key]
  if setter then
    setter(self, v, key)
    store = rawget(self, -4)
    v = store and store[key]
  else
    instance.store_virtual(self, key, v)
  end
  if not same_value(v, old) then virtual_changed(self, key, old) end
end

-- the VIRTUAL attributes set since the last save (nil: none)
local function virtual_dirty(self)
  local store = rawget(self, -4)
  local d = store and store[DIRTY]
  if d and next(d) ~= nil then return d end
  return nil
end
instance.virtual_dirty = virtual_dirty

-- after a save: the VIRTUAL attributes it was about (vnames; all without it) are no
-- longer changed
local function virtual_saved(self, vnames)
  local store = rawget(self, -4)
  local dirty = store and store[DIRTY]
  if not dirty then return end
  if vnames == nil then
    store[DIRTY], store[PREV] = nil, nil
    return
  end
  local p = store[PREV]
  for k in pairs(vnames) do
    dirty[k] = nil
    if p then p[k] = nil end
  end
end

instance.virtual_saved = virtual_saved

-- build / create / bulkBuild with raw = true: the keys given that are neither attributes nor
-- associations are kept as the instance's own (Sequelize's raw set puts every key in
-- dataValues: get(key), getDataValue, toJSON and stringify show them, after the attributes, in
-- key order here; no write sends them). A key that names an instance method or property is
-- not kept (it would hide it).
local RESERVED = { isNewRecord = true, dataValues = true, _previousDataValues = true, Model = true,
                   constructor = true, sequelize = true }
function instance.keep_raw_keys(self, M, values, jkeys, assoc)
  local skip = {}
  for _, k in ipairs(jkeys or {}) do skip[k] = true end
  local keys
  for k in pairs(values) do
    if type(k) == "string" and not M._index[k] and not (M._virtuals and M._virtuals[k])
       and (assoc or not (M.associations and M.associations[k])) and not skip[k] and not RESERVED[k]
       and M._methods[k] == nil then
      keys = keys or {}
      keys[#keys + 1] = k
    end
  end
  if not keys then return end
  table.sort(keys)
  local sh = rawget(self, 0)
  local own = {}
  if type(sh) == "table" then for k, v in pairs(sh) do own[k] = v end end
  local extras, had = {}, {}
  for _, k in ipairs(own.extras or {}) do extras[#extras + 1] = k; had[k] = true end
  for _, k in ipairs(keys) do
    local v = values[k]
    if v == nil then v = NULL end
    rawset(self, k, v)
    if not had[k] then extras[#extras + 1] = k end
  end
  own.extras = extras
  rawset(self, 0, own)
end

-- setDataValue, or a raw set, of a key that is neither attribute nor association: Sequelize
-- puts it in dataValues, so get(key), toJSON and stringify show it (a save does not write it).
-- nil takes it out again (JavaScript's undefined, which JSON leaves out). A key that names an
-- instance method or property is not kept (it would hide it). An association's name that is
-- no include of this row is kept too (Sequelize's dataValues hold it: `u.dataValues.Posts =
-- posts` in an afterFind hook shows in JSON); the callers handle an include's.
local function keep_extra(self, M, key, value)
  if type(key) ~= "string" or RESERVED[key] or M._methods[key] ~= nil then return end
  if value ~= nil then return instance.keep_raw_keys(self, M, { [key] = value }, nil, true) end
  local sh = rawget(self, 0)
  local list = type(sh) == "table" and sh.extras
  if not list then return end
  for i, k in ipairs(list) do
    if k == key then
      local own = {} -- (the shape may be the rows' shared one: this row takes its own)
      for f, v in pairs(sh) do own[f] = v end
      local rest = {}
      for j, x in ipairs(list) do if j ~= i then rest[#rest + 1] = x end end
      own.extras = rest[1] and rest or nil
      rawset(self, 0, own)
      rawset(self, key, nil)
      return
    end
  end
end

-- Sequelize's reset (reload, set(values, { reset = true })) starts from empty dataValues:
-- the VIRTUAL values go, and so do the keys the read computed (aliases, fn/literal); which
-- VIRTUAL attributes are marked changed stays (Sequelize's _changed)
local function reset_unread(self)
  local store = rawget(self, -4)
  if store then
    local dirty = store[DIRTY]
    rawset(self, -4, dirty and { [DIRTY] = dirty } or nil)
  end
  local sh = rawget(self, 0)
  if type(sh) == "table" and sh.extras then
    for _, k in ipairs(sh.extras) do rawset(self, k, nil) end
    local own = {} -- (the shape is the rows' shared one: this row takes its own)
    for k, v in pairs(sh) do own[k] = v end
    own.extras = nil
    rawset(self, 0, own)
  end
end

function Instance:getDataValue(key)
  local M = model_of(self)
  local slot = M._index[key]
  if not slot and M._virtuals and M._virtuals[key] then return instance.virtual_value(self, key) end
  if not slot then return member(self, key) end
  local v = rawget(self, slot)
  if v == NULL then return nil end
  return v
end

function Instance:setDataValue(key, value)
  local M = model_of(self)
  local slot = M._index[key]
  if not slot and M._virtuals and M._virtuals[key] then return instance.set_virtual(self, key, value) end
  if not slot then
    if M.associations and M.associations[key] then
      local sh = rawget(self, 0)
      for _, k in ipairs(type(sh) == "table" and type(sh.includes) == "table" and sh.includes or {}) do
        if k == key then rawset(self, key, value) return end -- (an include of this row)
      end
    end
    return keep_extra(self, M, key, value)
  end
  set_value(self, key, slot, value, true)
end

-- A value written to dataValues (Sequelize's dataValues is the live object: a write there is
-- no set, marks nothing changed, and no save writes it). An attribute's value goes to its
-- slot as it is (nil: the attribute is then not loaded, so reads, toJSON and stringify leave it
-- out, as JavaScript's `delete u.dataValues.password`); an include's rows replace the row's
-- (nil takes the include out of its JSON: the row takes a shape of its own without it); any
-- other key is a data value that is no attribute (keep_extra), or a VIRTUAL's raw set.
local function write_data_value(self, M, key, v)
  local slot = M._index[key]
  if slot then
    keep_stored(self, key, slot, v) -- (as a raw set: the value stored before stays the previous one)
    rawset(self, slot, v)
    return
  end
  if M._virtuals and M._virtuals[key] then return Instance.set(self, key, v, RAW_SET) end
  local sh = rawget(self, 0)
  local incs = type(sh) == "table" and sh.includes
  for i, k in ipairs(type(incs) == "table" and incs or {}) do
    if k == key then
      if v == nil then
        local own = {}
        for f, x in pairs(sh) do own[f] = x end
        local rest = {}
        for j, x in ipairs(incs) do if j ~= i then rest[#rest + 1] = x end end
        own.includes = rest
        rawset(self, 0, own)
      end
      rawset(self, key, v)
      return
    end
  end
  return keep_extra(self, M, key, v)
end

-- instance.dataValues: a new table of the values on each read (they live in the instance's
-- slots; a proxy would be empty to LuaJIT's pairs and to cjson). A key it does not hold,
-- written to it, reaches the instance at once (`u.dataValues.fullName = ...` in an afterFind
-- hook); a key it holds is a plain field of the copy, so the copy is kept in t[DV] with the
-- values it was made with, and its edits (`u.dataValues.password = nil`, `.name = "x"`) reach
-- the instance when it is next used: a field read or write, a method, or toJSON / stringify
-- of it or of a row or list holding it (the core calls sync_data_values). A non-string key
-- is no data value's name: it stays in the copy.
function instance.data_values(self)
  if rawget(self, DV) then instance.sync_data_values(self) end
  local dv = Instance.get(self, DATA_VALUES)
  local made = {}
  for k, v in pairs(dv) do made[k] = v end
  setmetatable(dv, { __newindex = function(t, key, v)
    rawset(t, key, v)
    if type(key) ~= "string" then return end
    made[key] = v -- (written now: a later edit of it is read back like the others)
    local M = model_of(self)
    if M._index[key] then write_data_value(self, M, key, v) -- (an attribute not read: no set either)
    else Instance.set(self, key, v, RAW_SET) end
  end })
  rawset(self, DV, dv_record(dv, made))
  dv_pending = dv_pending + 1
  return dv
end

-- The edits of the dataValues copy t[DV] read back, once (write_data_value for each key whose
-- value is no longer the one the copy was made with)
function instance.sync_data_values(self)
  local p = rawget(self, DV)
  if not p then return end
  rawset(self, DV, nil)
  if not p.done then p.done = true; dv_pending = dv_pending - 1 end
  local M = model_of(self)
  local dv, made = p.dv, p.made
  for k, was in pairs(made) do
    local v = rawget(dv, k)
    if v ~= was and (v == v or was == was) and type(k) == "string" then write_data_value(self, M, k, v) end
  end
end

function Instance:get(key, opts)
  if type(key) == "table" then opts, key = key, nil end
  if key ~= nil then
    if opts and opts.raw then return self:getDataValue(key) end -- (no getter: Sequelize)
    local v
    local M = model_of(self)
    local g = M._getters and M._getters[key]
    if not g and M._virtuals and M._virtuals[key] then g = M._virtuals[key].get end
    if g then -- (its getter, given the key and these options: Sequelize's get(key, options))
      v = g(self, key, opts or {})
    elseif M._shadow[key] then -- (an attribute named as a method: its value)
      v = self:getDataValue(key)
    else
      v = self[key]
    end
    if opts and opts.plain and type(v) == "table" and getmetatable(v) then
      return core.plain(v, nil, nil, opts) -- an included instance or list, as plain tables
    end
    return v
  end
  if opts and opts.raw then
    local M = model_of(self)
    local t = {}
    -- (a new record's primary key not given is null there, as Sequelize's build sets it)
    local isnew = rawget(self, "isNewRecord") == true
    for _, a in ipairs(M._attrs) do
      local v = rawget(self, a.index)
      if v == nil and isnew and a.primaryKey then v = NULL end
      if v ~= nil then t[a.fieldName] = v end
    end
    local shape = rawget(self, 0) -- computed columns (aliases, fn/literal) are data values too
    for _, k in ipairs(shape and shape.extras or {}) do t[k] = rawget(self, k) end
    -- dataValues: the included rows too, as they are (instances, lists; an n:m target's join
    -- row), as Sequelize's dataValues hold them
    if opts.includes then
      for _, k in ipairs(shape and shape.includes or {}) do
        local v = self[k]
        if v ~= nil then t[k] = v end
      end
    end
    for k, v in pairs(rawget(self, -4) or {}) do -- VIRTUAL values stored
      if type(k) == "string" then t[k] = v end
    end
    return t
  end
  -- plain: included rows as plain tables too; else they stay instances (Sequelize)
  return core.plain(self, not (opts and opts.plain), nil, opts)
end

-- OpenResty's cjson.empty_array_mt / cjson.empty_array (nil with Debian's lua-cjson): JSON
-- arrays, as the core writes them
local empty_array_mt = require("sequelua.expr").empty_array_mt
local empty_array = require("sequelua.expr").empty_array

-- The Lua key of JSON key k in t: an index of a JSON array (a list) counts from 0
local function json_key(t, k)
  if k:match("^%d+$") and (getmetatable(t) == array_mt or rawget(t, 1) ~= nil
                           or (empty_array_mt and getmetatable(t) == empty_array_mt)) then
    return tonumber(k) + 1
  end
  return k
end

local function not_nestable(piece)
  error(errors.new(errors.Error, ('Target key "%s" is not suitable for a nested value. (It is in use as '
    .. 'non-object. Set `force` to `true` to override.)'):format(piece)), 4)
end

-- set("meta.a.b", v) on a JSON attribute, as Sequelize's set does it (Dottie.set into the
-- attribute's value, which changes in place, then changed("meta", true)): a missing level
-- becomes a table, a level that holds a value other than a table raises Dottie's error,
-- and setting a value equal to the one there is no change.
local function set_json_path(self, M, col, path, value)
  local slot = M._index[col]
  local parts = {}
  for p in (path .. "."):gmatch("(.-)%.") do parts[#parts + 1] = p end
  local cur = rawget(self, slot)
  for i = 1, #parts do -- the value there now (Dottie.get)
    if type(cur) ~= "table" then cur = nil; break end
    cur = rawget(cur, json_key(cur, parts[i]))
  end
  if cur == value or (cur ~= nil and same_json(cur, value)) then return end
  local root = rawget(self, slot)
  if root == nil or (empty_array and root == empty_array) then
    -- (cjson.empty_array: a [] to set the key in, as Sequelize's JS array)
    root = root == nil and {} or setmetatable({}, array_mt)
    rawset(self, slot, root)
  elseif type(root) ~= "table" then
    not_nestable(col)
  end
  cur = root
  for i = 1, #parts do
    local k = json_key(cur, parts[i])
    if type(k) == "string" and getmetatable(cur) == nil and rawget(cur, 1) ~= nil then
      -- (a plain list given: an array, as one read back is, so the key is left out of it as
      -- JSON.stringify leaves it out of Sequelize's; else written as {"1":...,"k":...})
      setmetatable(cur, array_mt)
    end
    if i == #parts then
      rawset(cur, k, value)
    else
      local nxt = rawget(cur, k)
      if nxt == nil or (empty_array and nxt == empty_array) then
        nxt = nxt == nil and {} or setmetatable({}, array_mt)
        rawset(cur, k, nxt)
      elseif type(nxt) ~= "table" then
        not_nestable(parts[i])
      end
      cur = nxt
    end
  end
  Instance.changed(self, col, true)
end

-- A JSON value copied (tables at any depth), so that setting keys inside it leaves the
-- caller's table as it was
local function copy_json(v, depth)
  if type(v) ~= "table" or depth > 100 then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = copy_json(x, depth + 1) end
  return setmetatable(t, getmetatable(v))
end

-- The keys of `values` that name a key inside a JSON attribute of M ("meta.a.b": not an
-- attribute, its part before the first dot a JSON attribute), sorted; nil when none.
function instance.json_keys(M, values)
  local json = M._json_attrs
  if not json then return nil end
  local keys
  for k in pairs(values) do
    if type(k) == "string" and not M._index[k] then
      local col = k:match("^([^%.]+)%.")
      if col and json[col] then keys = keys or {}; keys[#keys + 1] = k end
    end
  end
  if keys then table.sort(keys) end
  return keys
end

-- Sets those keys on inst as set("meta.a", v) does (Sequelize's build and create set each
-- key of their values in turn; a Lua table has no order, so the attributes' own values
-- come first, then the dotted keys sorted). The attribute's value is copied first.
function instance.set_json_keys(inst, M, values, keys)
  local copied = {}
  for _, k in ipairs(keys) do
    local col, path = k:match("^([^%.]+)%.(.*)$")
    if not copied[col] then
      copied[col] = true
      local slot = M._index[col]
      local v = rawget(inst, slot)
      if type(v) == "table" then rawset(inst, slot, copy_json(v, 0)) end
    end
    set_json_path(inst, M, col, path, values[k])
  end
end

-- set() of an alias the row was read (or created) with: its included value replaced by
-- instances built from the value given (Sequelize's _setInclude; they are new when the row
-- is). false when the key is no such alias.
local EXISTING = { isNewRecord = false }
local function set_include(self, M, key, value, raw)
  local pending = rawget(self, -3) -- (built with include, not saved: that include's rows)
  if pending and M._set_built_include(M, self, pending.tree, key, value, raw) then return true end
  local sh = rawget(self, 0)
  local a = M.associations[key]
  if not (type(sh) == "table" and type(sh.includes) == "table") then return false end
  -- (a row built by such a set: its include's include)
  if a and type(sh.set_tree) == "table" and M._set_read_include(M, self, sh.set_tree, key, value, raw) then
    return true
  end
  local found = false
  for _, k in ipairs(sh.includes) do if k == key then found = true end end
  if not found then return false end
  -- (the finder's include of that alias: its rows built as Sequelize builds them)
  if a and type(sh.reload) == "table" and sh.reload.include ~= nil
     and M._set_read_include(M, self, sh.reload, key, value, raw) then
    return true
  end
  local T
  if a then
    T = a.target
  else -- an n:m target's join row, under its through model's name or the include's through.as
    -- (Sequelize's include of it)
    local lz = sh.lazy
    if type(lz) == "table" and lz.name == key and type(lz.mt) == "table" then T = lz.mt.__M end
    T = T or (M.sequelize and M.sequelize.models[key])
    if not T then return false end
    a = { isMultiAssociation = false }
  end
  local new = rawget(self, "isNewRecord") == true
  -- (not new: built as an existing row, no defaults filled in; raw: no setters run. As
  -- Sequelize's childOptions give build)
  local bopts = not new and EXISTING or nil
  if raw then bopts = { isNewRecord = bopts and false, raw = true } end
  local function built(v)
    if instance.is_of(v, T) then return v end
    if type(v) ~= "table" then
      error(errors.new(errors.Error, ("%s.set: %s takes a table of values, got %s"):format(M.name, key, type(v))), 4)
    end
    return T:build(v, bopts)
  end
  if type(sh.join) == "table" and not M.associations[key] then
    -- an n:m target's join row built by a set of its include: that include's through.attributes
    rawset(self, key, M._join_row(T, sh.join.attributes, value == nil and NULL or value, bopts))
    return true
  end
  local lz = sh.lazy
  if type(lz) == "table" and lz.name == key and type(lz.attrs) == "table" and not M.associations[key] then
    -- the join row of an n:m target read with through = { attributes }: limited to those
    -- (Sequelize builds it with the through include's originalAttributes)
    rawset(self, key, M._join_row(T, lz.attrs, value == nil and NULL or value, bopts))
    return true
  end
  local first = a.isMultiAssociation and type(value) == "table" and not instance.is_of(value, T) and rawget(value, 1) or value
  if value == nil or value == NULL or M._pk_null(T, first) then -- (its key null: none, as Sequelize)
    rawset(self, key, a.isMultiAssociation and setmetatable({}, array_mt) or NULL)
  elseif a.isMultiAssociation then
    local list = setmetatable({}, array_mt)
    if type(value) ~= "table" then built(value) end
    -- one row (an instance, or values with no [1]) is a list of it (Sequelize wraps it)
    if instance.is_of(value, T) or (rawget(value, 1) == nil and next(value) ~= nil) then value = { value } end
    for i, v in ipairs(value) do list[i] = built(v) end
    rawset(self, key, list)
  else
    rawset(self, key, built(value))
  end
  return true
end

function Instance:set(key, value, opts)
  local M = model_of(self)
  if not M then not_instance("set", self) end
  if type(key) == "table" then -- set(values, opts)
    opts = value
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(errors.new(errors.Error, ("%s.set: options must be a table, got %s"):format(M.name, type(opts))), 2)
  end
  if type(key) ~= "string" and type(key) ~= "table" then
    error(errors.new(errors.Error, ("%s.set: expected an attribute name or a table of values, got %s")
      :format(M.name, type(key))), 2)
  end
  if type(key) == "table" then
    if type(opts) == "table" and opts.reset then
      -- (Sequelize: every value gone first, and the keys given unmarked; other attributes
      -- changed before stay marked)
      for _, a in ipairs(M._attrs) do rawset(self, M._index[a.fieldName], nil) end
      reset_unread(self)
      local prev = rawget(self, -1)
      if prev then for k in pairs(key) do prev[k] = nil end end
    end
    local at = type(opts) == "table" and opts.attributes or nil
    if at ~= nil then
      -- set(values, { attributes = {...} }): only the listed keys, the VIRTUAL attributes and
      -- the included aliases are set (Sequelize's set with options.attributes)
      if type(at) ~= "table" or getmetatable(at) ~= nil or instance.has_hole(at) then
        error(errors.new(errors.Error, ("%s.set: options.attributes must be a list of attribute names")
          :format(M.name)), 2)
      end
      local function set_listed(k)
        if type(k) == "string" and key[k] ~= nil then Instance.set(self, k, key[k], opts) end
      end
      for _, k in ipairs(at) do set_listed(k) end
      for _, a in ipairs(M._virtual_list or {}) do set_listed(a.name) end
      local sh = rawget(self, 0)
      for _, k in ipairs(type(sh) == "table" and type(sh.includes) == "table" and sh.includes or {}) do set_listed(k) end
      return self
    end
    local jk = instance.json_keys(M, key) -- (keys inside a JSON attribute: after the attributes)
    local later = {}
    for _, k in ipairs(jk or {}) do later[k] = true end
    if type(opts) == "table" and opts.raw then
      -- (in key order: the keys that are no attribute become data values of their own, shown
      -- in the order they came, which pairs would make differ from run to run; build's raw
      -- keys are in key order too)
      local ks = {}
      for k in pairs(key) do
        if type(k) == "string" and not later[k] then ks[#ks + 1] = k end
      end
      table.sort(ks)
      for _, k in ipairs(ks) do Instance.set(self, k, key[k], opts) end
    else
      for k, v in pairs(key) do
        if type(k) == "string" and not later[k] then Instance.set(self, k, v, opts) end
      end
    end
    for _, k in ipairs(jk or {}) do Instance.set(self, k, key[k], opts) end
    -- (Sequelize: a raw set of values makes every previous value the current one)
    if type(opts) == "table" and opts.raw and rawget(self, -2) then rawset(self, -2, nil) end
    return self
  end
  if M._virtuals and M._virtuals[key] then
    -- raw: the value only, no setter, not marked changed (Sequelize's raw set)
    if opts and opts.raw then instance.store_virtual(self, key, value) else self[key] = value end
    return self
  end
  local slot = M._index[key]
  if slot then
    if opts and opts.raw then -- the value only: no setter, not marked changed (Sequelize)
      if value == nil then value = NULL end
      -- the stored value stays the previous one (Sequelize's raw set leaves
      -- _previousDataValues as it is: previous() and isImmutable see it) in t[-2], unless the
      -- key is changed (t[-1] has it) or the row is not saved yet
      keep_stored(self, key, slot, value)
      if M._booleans and M._booleans[key] then -- (Sequelize's BOOLEAN sanitizer runs even so)
        local b = BOOLEAN_OF[value]
        if b ~= nil then value = b end
      end
      if M._integers and M._integers[key] then value = int_of(value) end
      rawset(self, slot, value)
    else
      self[key] = value
    end
  elseif type(key) == "string" and set_include(self, M, key, value, type(opts) == "table" and opts.raw) then
    return self
  elseif type(key) == "string" and not (type(opts) == "table" and opts.raw) then
    local col, path = key:match("^([^%.]+)%.(.*)$") -- "meta.a.b": a key inside a JSON attribute
    local ra = col and M._index[col] and M.rawAttributes[col]
    if ra and DataTypes.is_type(ra.type) and DataTypes.base_key(ra.type) == "JSON" then set_json_path(self, M, col, path, value) end
  else -- a raw set of a key that is no attribute: a data value of its own (Sequelize)
    keep_extra(self, M, key, value)
  end
  return self
end

function Instance:toJSON() return core.plain(self, false, true) end

-- instance:where(checkVersion) -> { column = value, ... }: the condition that finds this row,
-- as Sequelize gives it: its key's column names and stored values (no getters), and with
-- checkVersion the version's. The finders take column names as where keys.
local function key_where(M, self, columns, version)
  local w = {}
  for _, k in ipairs(M.primaryKeyAttributes) do
    w[columns and (M.rawAttributes[k].field or k) or k] = rawget(self, M._index[k])
  end
  local v = version and M._version
  if v then w[columns and (M.rawAttributes[v].field or v) or v] = rawget(self, M._index[v]) end
  return w
end

-- (a key without a value is Sequelize.null, IS NULL: a where from an unsaved instance
-- matches no row, as Sequelize's { id: null }, rather than being empty and matching all)
function Instance:where(checkVersion)
  local M = model_of(self)
  if not M then not_instance("where", self) end
  local w = key_where(M, self, true, checkVersion)
  for _, k in ipairs(M.primaryKeyAttributes) do
    local col = M.rawAttributes[k].field or k
    if w[col] == nil then w[col] = NULL end
  end
  return w
end

function Instance:changed(key, value)
  local M = model_of(self)
  if key ~= nil and (value == true or value == false) then
    -- mark or unmark the attribute as changed (a JSON value changed in place, say); the
    -- value itself stays as it is
    local slot = M._index[key]
    if not slot then return self end
    local p = rawget(self, -1)
    if value then
      if p == nil then p = {}; rawset(self, -1, p) end
      if p[key] == nil then
        local v = rawget(self, slot)
        local rp = rawget(self, -2) -- (after a raw set: the value stored before it)
        if rp and rp[key] ~= nil then
          v = rp[key]
          rp[key] = nil
          if next(rp) == nil then rawset(self, -2, nil) end
        end
        if v == nil then v = ABSENT end
        p[key] = v
      end
    elseif p then
      p[key] = nil
    end
    return self
  end
  local prev = rawget(self, -1)
  local vd = virtual_dirty(self)
  -- a key stays changed once written with a new value, even if written back (Sequelize)
  local function differs(k) return (prev ~= nil and prev[k] ~= nil) or (vd ~= nil and vd[k] == true) end
  if key ~= nil then return differs(key) end
  local list = {}
  if prev then
    for _, a in ipairs(M._attrs) do
      if differs(a.fieldName) then list[#list + 1] = a.fieldName end
    end
  end
  for _, v in ipairs(vd and M._virtual_list or {}) do
    if vd[v.name] then list[#list + 1] = v.name end
  end
  if #list == 0 then return false end
  return list
end

function Instance:previous(key)
  local prev = rawget(self, -1)
  if key == nil then
    local t = {}
    if prev then -- a previous NULL is Sequelize.null (Sequelize: null), so the key stays;
      -- a row not yet saved had no value before (Sequelize: undefined, left out)
      local new = self.isNewRecord
      for k, v in pairs(prev) do
        if v ~= ABSENT and not (new and v == NULL) then t[k] = v end
      end
    end
    local store = rawget(self, -4) -- (a changed VIRTUAL attribute's too)
    local vp, vd = store and store[PREV], virtual_dirty(self)
    for k, v in pairs(vp or {}) do
      if v ~= ABSENT and vd and vd[k] then t[k] = v end
    end
    return t
  end
  if prev and prev[key] ~= nil then
    local v = prev[key]
    if v == NULL or v == ABSENT then return nil end
    return v
  end
  local rp = rawget(self, -2) -- (a raw set's: the value stored before it)
  if rp and rp[key] ~= nil then
    local v = rp[key]
    if v == NULL or v == ABSENT then return nil end
    return v
  end
  local M = model_of(self)
  if M._virtuals and M._virtuals[key] then
    local v = virtual_before(rawget(self, -4), key)
    if v == NULL then return nil end
    return v
  end
  return self:getDataValue(key)
end

-- instance._previousDataValues (Sequelize's): the attributes' values as last read or saved,
-- a changed one's the value it replaced last (previous(key)), nulls as Sequelize.null; {} for
-- a row not saved yet. A new table on each read, made from the instance's slots and t[-1].
function instance.previous_values(self, M)
  local t = {}
  if rawget(self, "isNewRecord") then return t end
  local prev, rp = rawget(self, -1), rawget(self, -2) -- (rp: a raw set's stored values)
  for _, a in ipairs(M._attrs) do
    local k = a.fieldName
    local v = prev and prev[k]
    if v == nil and rp then v = rp[k] end
    if v == nil then v = rawget(self, a.index) end
    if v ~= ABSENT then t[k] = v end
  end
  local store = rawget(self, -4)
  for _, a in ipairs(store and M._virtual_list or {}) do -- (VIRTUAL attributes that hold one)
    local v = virtual_before(store, a.name)
    if v ~= nil then t[a.name] = v end
  end
  return t
end

-- Is there a nil among the list's items (its positive whole-number keys not 1..n)? Its other
-- keys (table.pack's n) are left alone, and so is a proxy (no items of its own: __index)
function instance.has_hole(t)
  local count, top = 0, 0
  for k in next, t do
    if type(k) == "number" and k > 0 and k % 1 == 0 then
      count = count + 1
      if k > top then top = k end
    end
  end
  return count ~= top
end

-- A list option must hold its items 1..n: a nil among them (a list filtered in place) would
-- cut it short at # and ipairs, dropping the rest without a word
function instance.check_list(M, t, what, level)
  if instance.has_hole(t) then
    error(errors.new(errors.Error, ("Invalid %s on %s: expected a list 1..n, got a table with a nil among its items")
      :format(what, M.name)), (level or 1) + 1)
  end
end

-- unique = { msg = ... } of the column a UniqueConstraintError names (its items' paths are
-- column names): the item's message and the error's (Sequelize's getUniqueConstraintErrorMessage,
-- for any query with a model: save, bulkCreate, static update)
local function unique_msgs(M, err)
  local msgs = M._unique_msgs
  if msgs and type(err) == "table" and err.name == "SequelizeUniqueConstraintError" then
    for _, it in ipairs(err.errors or {}) do
      if msgs[it.path] then
        it.message = msgs[it.path]
        err.message = msgs[it.path]
      end
    end
  end
  return err
end

local function rethrow_unique(M, ok, ...)
  if not ok then error(unique_msgs(M, (...)), 0) end
  return ...
end

-- fn(...) with M's unique messages put on a UniqueConstraintError it raises (a direct call
-- when M has none)
function instance.with_unique_msgs(M, fn, ...)
  if not M._unique_msgs then return fn(...) end
  return rethrow_unique(M, pcall(fn, ...))
end

local function enrich_unique(self, err)
  if type(err) == "table" and err.name == "SequelizeUniqueConstraintError" then
    for _, it in ipairs(err.errors or {}) do
      local v = self[it.path]
      if v ~= nil then
        it.value = v
      end
      it.instance = self
    end
    unique_msgs(model_of(self), err)
  end
  return err
end

-- fn(...) with a UniqueConstraintError it raises told the values of `self`, the instance the
-- write was made for (Sequelize's query options.instance: upsert's UPDATE of the row found)
local function rethrow_values(self, ok, ...)
  if not ok then error(enrich_unique(self, (...)), 0) end
  return ...
end

function instance.with_unique_values(self, fn, ...)
  return rethrow_values(self, pcall(fn, ...))
end

-- Only fields with validators, allowNull = false, ENUM values, Lua validators, or a table
-- written to a text column need the validation pass.
local TEXT = { STRING = true, TEXT = true, CHAR = true, CITEXT = true, TIME = true }
local function needs_validation(M, self, fields)
  if M._model_validators then return true end
  local lv = M._lua_validators
  for _, f in ipairs(fields) do
    local a = M.rawAttributes[f]
    if a._checked or (lv and lv[f]) then return true end
    if TEXT[a.type.key] and type(rawget(self, a.index)) == "table" then return true end
  end
  return false
end

local function changed_fields(self, M, restrict)
  local prev = rawget(self, -1)
  local out = {}
  if not prev then return out end
  if restrict then
    -- the listed fields that were written since the last save, in column order
    if #restrict == 1 then
      if prev[restrict[1]] ~= nil then out[1] = restrict[1] end
      return out
    end
    local allow = {}
    for _, f in ipairs(restrict) do allow[f] = true end
    for _, a in ipairs(M._attrs) do
      local f = a.fieldName
      if allow[f] and prev[f] ~= nil then out[#out + 1] = f end
    end
    return out
  end
  for _, a in ipairs(M._attrs) do
    if prev[a.fieldName] ~= nil then out[#out + 1] = a.fieldName end
  end
  return out
end

-- What an existing row's save writes, and validates (Sequelize): with `fields` the caller
-- chose (chosen: not the default list an update makes), every listed column once anything at
-- all has changed, VIRTUAL attributes included, and every listed column validated even when
-- nothing has; else the columns changed. touch: the core writes even without a column changed
-- (Sequelize's save bumps updatedAt alone then: a VIRTUAL attribute changed). none: the
-- caller's fields list was empty, which writes nothing, not even updatedAt (Sequelize).
-- (does a save write updatedAt or the version whatever else it writes? Sequelize adds them
-- to its fields, so a VIRTUAL change alone writes the version (core.save's touch); with
-- neither, a save of VIRTUAL attributes alone has no column to write and
-- returns after the before hooks, its realFields empty: no after hooks, the VIRTUALs still
-- changed)
local function stamps(M, o)
  local u = M.options.updatedAt
  return (u and M._index[u] and not (o and o.silent == true)) or M._version ~= nil
end

local function save_fields(self, M, o, chosen, none)
  if none then return {}, false, {} end
  if chosen then
    local listed, cols = {}, {}
    for _, f in ipairs(o.fields) do listed[f] = true end
    for _, a in ipairs(M._attrs) do
      if listed[a.fieldName] then cols[#cols + 1] = a.fieldName end
    end
    if (#changed_fields(self, M) > 0 or virtual_dirty(self) ~= nil) and (#cols > 0 or stamps(M, o)) then
      return cols, true, cols
    end
    return {}, false, cols
  end
  local f = changed_fields(self, M, o and o.fields)
  local vd = o and o._vfields or virtual_dirty(self)
  return f, #f == 0 and vd ~= nil and next(vd) ~= nil and stamps(M, o), f
end

-- A stored row read without its primary key (attributes = { "name" }): raises before any
-- query, as Sequelize does ('WHERE parameter "id" has invalid "undefined" value'; its save
-- checks the key before looking for changes), as the core's destroy and increment do.
local function check_key(self, M, level)
  if rawget(self, "isNewRecord") then return end
  for _, k in ipairs(M.primaryKeyAttributes or {}) do
    if rawget(self, M._index[k]) == nil then
      error(errors.new(errors.Error, ("%s instance has no value for its primary key %s"):format(M.name, k)), level + 1)
    end
  end
end

function Instance:save(opts)
  local M = model_of(self)
  if not M then not_instance("save", self) end
  if opts ~= nil and type(opts) ~= "table" then error(errors.new(errors.Error, M.name .. ".save: options must be a table"), 2) end
  if opts and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  if opts and opts.fields ~= nil then
    if type(opts.fields) ~= "table" then
      error(errors.new(errors.Error, M.name .. ".save: options.fields must be a list of attribute names"), 2)
    end
    -- (checked here, as the core checks them, also when there is nothing to write)
    for _, f in ipairs(opts.fields) do
      if type(f) ~= "string" then error(errors.new(errors.Error, "fields on " .. M.name .. " must list attribute names"), 2) end
      if not M._index[f] and not (M._virtuals and M._virtuals[f]) then
        error(errors.new(errors.Error, ("Unknown attribute '%s' in fields of model %s"):format(f, M.name)), 2)
      end
    end
  end
  check_key(self, M, 2)
  local pending = rawget(self, -3)
  if pending and rawget(self, "isNewRecord") then
    -- built with { include = ... }: save the row and its nested values together
    -- (the mark goes while it saves, association.lua's save_tree, so that the row's own save
    -- is a plain one; a failed save puts the rows back as built, the mark with them: a save
    -- again after fixing a value writes the included rows, as Sequelize's, whose instance
    -- keeps its include)
    local o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    o.include = pending.include
    return M._create_with_include(M, {}, o, self, pending.tree)
  end
  return instance.save_plain(self, opts)
end

-- instance:validate([opts]): raises the ValidationError save would raise (opts.fields: only
-- those attributes; opts.skip: not those); returns the instance when the values are valid
function Instance:validate(opts)
  local M = model_of(self)
  if opts ~= nil and type(opts) ~= "table" then error(errors.new(errors.Error, M.name .. ".validate: options must be a table"), 2) end
  local fields, vnames = opts and opts.fields, nil
  if fields == nil and M._virtual_checks then
    -- without fields every attribute, the VIRTUAL ones of a saved row too (Sequelize's
    -- validate() skips nothing; a save's validation skips what it does not write)
    vnames = {}
    for _, v in ipairs(M._virtual_checks) do vnames[v.name] = true end
  end
  V.validate_hooked(M, self, fields, rawget(self, "isNewRecord") == true, opts or {}, nil, vnames)
  -- the instance, as Sequelize's validate resolves to it (nothing with hooks = false)
  if not (opts and opts.hooks == false) then return self end
end

-- The VIRTUAL attributes a save of an existing row validates (Sequelize's fields): those an
-- instance update was given (o._vfields), those in fields the caller chose, else those set
-- since the last save. nil: the model has no VIRTUAL checks.
-- The VIRTUAL attributes a save's options choose ({ name = true }: the update's own, or those
-- in fields the caller chose), or nil when it chooses none
local function chosen_vnames(M, o)
  if o and o._vfields then return o._vfields end
  if o and o.fields and not o._defaultFields then
    local t = {}
    for _, f in ipairs(o.fields) do if M._virtuals[f] then t[f] = true end end
    return t
  end
  return nil
end

local function save_vnames(M, self, o)
  if not M._virtual_checks then return nil end
  return chosen_vnames(M, o) or virtual_dirty(self) or {}
end

-- The VIRTUAL attributes an existing row's save marks saved (virtual_saved), whether or not
-- the model validates any: those an instance update was given, those in fields the caller
-- chose (Sequelize's save marks unchanged only the fields it saved: one left out stays in
-- changed()), else all (nil)
local function saved_vnames(M, vnames, o)
  if vnames or not M._virtuals then return vnames end
  return chosen_vnames(M, o)
end

-- The options with VIRTUAL names out of `fields` (the core writes columns only)
function instance.columns_only(M, o)
  if not (M._virtuals and o and o.fields) then return o end
  local n, cols = {}, {}
  for k, v in pairs(o) do n[k] = v end
  for _, f in ipairs(o.fields) do if not M._virtuals[f] then cols[#cols + 1] = f end end
  n.fields = cols
  return n
end

-- A new row's save in three steps, which a nested create (association.lua) takes apart as
-- Sequelize's save with include does: create_begin validates (validation hooks included;
-- `vfields`, when given, the attributes validated, else options.fields) and runs
-- beforeCreate, and returns the options the hooks saw and whether they run; the row's
-- belongsTo parents are saved then; create_write INSERTs; its other included rows are
-- saved; create_end runs afterCreate.
-- Every attribute's name (Sequelize's Object.keys(rawAttributes)): the `fields` hooks see
-- when the caller gave none
-- (a new list each time, copied from one kept on the model for its attribute layout:
-- M._attrs and M._virtual_list, which a change of the attributes replaces)
local tmove = table.move
local function all_fields_kept(M)
  local c = rawget(M, "_all_fields")
  if c and c.attrs == M._attrs and c.vl == M._virtual_list then return c end
  local all = {}
  for _, a in ipairs(M._attrs) do all[#all + 1] = a.fieldName end
  for _, v in ipairs(M._virtual_list or {}) do if v.raw then all[#all + 1] = v.name end end
  c = { attrs = M._attrs, vl = M._virtual_list, list = all, n = #all }
  rawset(M, "_all_fields", c)
  return c
end
function instance.all_fields(M)
  local c = all_fields_kept(M)
  return tmove(c.list, 1, c.n, 1, {})
end

-- Whether `fields` is still the default list `all` (made by all_fields) the hooks were
-- shown: the same table, which no hook changed in place (a hook may remove a name from it)
function instance.untouched_fields(M, fields, all)
  if fields ~= all or all == nil then return false end
  local c = rawget(M, "_all_fields")
  if c and c.attrs == M._attrs and c.vl == M._virtual_list then -- (the kept list, still the layout's)
    local list, n = c.list, c.n
    if #all ~= n then return false end
    for i = 1, n do
      if all[i] ~= list[i] then return false end
    end
    return true
  end
  local i = 0 -- (compared in all_fields' order, without making the list again)
  for _, a in ipairs(M._attrs) do
    i = i + 1
    if all[i] ~= a.fieldName then return false end
  end
  for _, v in ipairs(M._virtual_list or {}) do
    if v.raw then
      i = i + 1
      if all[i] ~= v.name then return false end
    end
  end
  return #all == i
end

-- The options a save's hooks get: a copy, with its own fields list (a hook that adds to
-- options.fields leaves the caller's list alone: Sequelize clones the options deeply)
local function hook_opts(opts)
  local o = {}
  if opts then for k, v in pairs(opts) do o[k] = v end end
  if type(o.fields) == "table" then
    local f = {}
    for i, x in ipairs(o.fields) do f[i] = x end
    o.fields = f
  end
  return o
end

-- The defaults Sequelize's save gives its options, which its hooks see: hooks and validate
-- true, returning true for a new row (not for one an association accessor saves)
local function save_defaults(o, is_new)
  if o.hooks == nil then o.hooks = true end
  if o.validate == nil then o.validate = true end
  if is_new and o.returning == nil and o.association == nil then o.returning = true end
end

-- Sequelize's save adds to the fields its hooks see what it writes whatever the list:
-- updatedAt and the version to a list that is not empty (not updatedAt with silent = true),
-- createdAt for a new row, and first a primary key that has a default. Returns whether
-- updatedAt is among them.
local function stamp_fields(self, M, o, is_new)
  local f = o.fields
  if type(f) ~= "table" then return end
  local has = {}
  for _, x in ipairs(f) do has[x] = true end
  local u, c, v = M.options.updatedAt, M.options.createdAt, M._version
  local n = #f
  local listed = u and (has[u] or n > 0) -- (whether updatedAt ends among the fields)
  if u and n > 0 and not has[u] then f[#f + 1] = u end
  if v and n > 0 and not has[v] then f[#f + 1] = v end
  if u and o.silent == true and not (is_new and self[u] ~= nil) then
    for i = #f, 1, -1 do if f[i] == u then table.remove(f, i) end end
    listed = false
  end
  if is_new then
    if c and not has[c] then f[#f + 1] = c end
    local pk = M.primaryKeyAttribute
    local ra = pk and M.rawAttributes[pk]
    if ra and ra.defaultValue ~= nil and not has[pk] then table.insert(f, 1, pk) end
  end
  return listed
end

-- The value a time stamp attribute is stamped with: its declared defaultValue when it has
-- one (a literal / fn as the expression, written as SQL), else now (Sequelize's
-- _getDefaultTimestamp)
-- (now: the ms of an earlier stamp of the same save, so that both stamps are one time, as
-- Sequelize's; the second result is the ms used)
function instance.stamp(M, attr, now)
  local v, ms = core.stamp(M._box, attr, now)
  if v == false then return M.rawAttributes[attr].defaultValue, ms end
  return v, ms
end

-- Sequelize's save of a new row stamps its time stamps before validation and the hooks:
-- updatedAt = now (unless silent), createdAt = now unless given; the INSERT then writes what
-- the row holds (what a hook set among it). Not shown as changed. Returns whether it did.
local function stamp_new(self, M, o)
  local u, c = M.options.updatedAt, M.options.createdAt
  local ui, ci = u and M._index[u], c and M._index[c]
  if not (ui or ci) then return false end
  local now -- (one time for both, as Sequelize's save takes one now)
  if ui and not (o and o.silent == true) then
    local v
    v, now = instance.stamp(M, u)
    rawset(self, ui, v)
  end
  if ci then
    local v = rawget(self, ci)
    if v == nil or v == NULL then rawset(self, ci, (instance.stamp(M, c, now))) end
  end
  return true
end

function instance.create_begin(self, opts, vfields)
  local M = model_of(self)
  local o = hook_opts(opts)
  local hooked = H.hooked(M) and o.hooks ~= false
  if hooked then save_defaults(o, true) end
  o._stamped = stamp_new(self, M, o) or nil
  if hooked and o.fields == nil then
    -- Sequelize's save of a new row: the hooks see fields = every attribute (rawAttributes'
    -- names), as defaultFields too (the same list); the INSERT then writes what the row
    -- holds, as without fields
    local all = instance.all_fields(M)
    o.fields, o._defaultFields, o._allFields, o.defaultFields = all, true, all, all
  elseif hooked then
    stamp_fields(self, M, o, true)
  end
  if o.validate ~= false then
    if vfields == nil and o._allFields then vfields = false end
    if vfields == nil then vfields = o.fields end
    if vfields == false then vfields = nil end
    if hooked then V.validate_hooked(M, self, vfields, true, o)
    else V.validate(M, self, vfields, true, nil, o.skip) end
  end
  if hooked then H.run(M, "beforeCreate", self, o) end
  return o, hooked
end

-- Sequelize runs the after hooks before it resets the change tracking: they see changed()
-- and previous() as the write found them (a new row's key among the changed). `tracked`
-- holds, by instance, the tracking a write started with; with_tracking shows it to the after
-- hooks of a type (when there are any), then puts back what the write left, and the changes
-- the hooks made.
local tracked = setmetatable({}, { __mode = "k" })
local tracked_v = setmetatable({}, { __mode = "k" }) -- (create_write -> create_end: the VIRTUALs saved)

local function copy_tracking(self)
  local t = {}
  for k, v in pairs(rawget(self, -1) or {}) do t[k] = v end
  return t
end

local function with_tracking(self, before, key, M, hook_type, o)
  -- (with no such hook there is nothing to show: the tracking stays as the write left it)
  if not H.any(M, hook_type) then return end
  local after = rawget(self, -1)
  local p = {}
  for k, v in pairs(before or {}) do p[k] = v end
  for k, v in pairs(after or {}) do if p[k] == nil then p[k] = v end end
  if key and p[key] == nil then p[key] = ABSENT end
  local shown = {}
  for k in pairs(p) do shown[k] = true end
  rawset(self, -1, p)
  H.run(M, hook_type, self, o) -- (a hook that raises leaves the changes shown, as Sequelize's)
  local cur, out = rawget(self, -1), after
  for k, v in pairs(cur or {}) do
    if not shown[k] then out = out or {}; out[k] = v end
  end
  rawset(self, -1, out and next(out) ~= nil and out or nil)
end

-- The changes an INSERT restricted to `fields` leaves unwritten: they stay changed, so that
-- a later save writes them (Sequelize). nil when there are none.
local function unwritten(M, self, fields)
  local prev = rawget(self, -1)
  if not (prev and type(fields) == "table") then return nil end
  local listed, keep = {}, nil
  for _, f in ipairs(fields) do listed[f] = true end
  for k, v in pairs(prev) do
    if not listed[k] then keep = keep or {}; keep[k] = v end
  end
  return keep
end

local function insert(M, self, o)
  local keep = unwritten(M, self, o and o.fields)
  -- (the key slot looked at only for fields the caller chose: a plain create pays nothing)
  local pk = o and type(o.fields) == "table" and not o._defaultFields and M.primaryKeyAttribute
  local kslot = pk and M._index[pk]
  local had_key = false
  if kslot then
    local v = rawget(self, kslot)
    had_key = v ~= nil and v ~= NULL
  end
  local ok, err = pcall(core.insert, M._box, self, instance.columns_only(M, o))
  if not ok then error(enrich_unique(self, err), 0) end
  if keep then rawset(self, -1, keep) end
  -- the key the INSERT gave a row whose fields leave it out stays changed, as in Sequelize
  -- (its save sets it after the INSERT and marks unchanged only the fields listed)
  if kslot and not had_key and rawget(self, kslot) ~= nil then
    local listed = false
    for _, f in ipairs(o.fields) do if f == pk then listed = true end end
    if not listed then
      local p = rawget(self, -1) or {}
      if p[pk] == nil then p[pk] = ABSENT end
      rawset(self, -1, p)
    end
  end
end

-- A new row's save whose fields the caller chose and which, with what Sequelize adds to them
-- (updatedAt and the version to a list that is not empty, createdAt, a primary key with a
-- default), name no column: VIRTUAL attributes alone, or none. Sequelize's save returns then,
-- after its before hooks (realFields empty): nothing written, no after hooks, the instance
-- still new and its changes kept. Second result: the list, stamps added, is empty (Sequelize
-- then saves no belongsTo row of the include either: `options.fields.length && ...`).
function instance.writes_nothing(self, M, o)
  local f = o and o.fields
  if type(f) ~= "table" or o._defaultFields then return false end
  local t = { silent = o.silent, fields = {} }
  for i, x in ipairs(f) do t.fields[i] = x end
  stamp_fields(self, M, t, true)
  local vs = M._virtuals
  for _, x in ipairs(t.fields) do
    if not (vs and vs[x]) then return false end
  end
  return true, t.fields[1] == nil -- (and whether the list is empty: no belongsTo row saved either)
end

-- (false: the row's fields name no column, nothing written; writes_nothing)
function instance.create_write(self, o)
  local M = model_of(self)
  if instance.writes_nothing(self, M, o) then return false end
  if instance.untouched_fields(M, o.fields, o._allFields) then -- (the default list the hooks saw)
    local n = {}
    for k, v in pairs(o) do n[k] = v end
    n.fields = nil
    o = n
  end
  -- (the table itself, no copy: the INSERT replaces it, leaving it as it was; an afterCreate
  -- hook may be added before create_end runs, by an included row's hooks or a query hook)
  tracked[self] = rawget(self, -1)
  insert(M, self, o)
  -- (the VIRTUAL attributes saved: those of the fields the caller chose, else all; marked
  -- saved after afterCreate, which sees them changed, as Sequelize's after hooks do)
  -- (none to mark without VIRTUAL attributes or their store: virtual_saved does nothing then)
  if M._virtuals or rawget(self, -4) ~= nil then tracked_v[self] = { names = saved_vnames(M, nil, o) } end
  return true
end

-- After the after hooks (Sequelize's save): the fields saved are unchanged again, what the
-- hooks set in them included; nil fields: every attribute
local function settle(self, fields)
  local rp = rawget(self, -2)
  if rp then -- (a raw set's previous values: the saved fields' are the current ones now)
    if fields == nil then rp = nil else for _, f in ipairs(fields) do rp[f] = nil end end
    rawset(self, -2, rp and next(rp) ~= nil and rp or nil)
  end
  local p = rawget(self, -1)
  if not p then return end
  if fields == nil then
    rawset(self, -1, nil)
    return
  end
  for _, f in ipairs(fields) do p[f] = nil end
  if next(p) == nil then rawset(self, -1, nil) end
end

function instance.create_end(self, o, hooked)
  local before = tracked[self]
  local vs = tracked_v[self]
  tracked[self], tracked_v[self] = nil, nil
  if hooked then
    local M = model_of(self)
    with_tracking(self, before, M.primaryKeyAttribute, M, "afterCreate", o)
    settle(self, not o._defaultFields and o.fields or nil)
  end
  if vs then virtual_saved(self, vs.names) end
end

-- save with hooks (Sequelize's save): validation with its hooks, beforeCreate/beforeUpdate
-- (beforeSave among them), the write, afterCreate/afterUpdate. On an update whose fields the
-- caller did not choose, attributes a before hook changes are written too, and validated
-- again; an update with nothing to write runs the before hooks only. The hooks see (and may
-- change) this save's own copy of the options.
local function save_hooked(M, self, opts)
  if rawget(self, "isNewRecord") then
    local o, hooked = instance.create_begin(self, opts)
    if instance.create_write(self, o) then instance.create_end(self, o, hooked) end
    return self
  end
  local o = hook_opts(opts)
  save_defaults(o, false)
  local validate = o.validate ~= false
  local default_fields = o.fields == nil or o._defaultFields
  local none = not default_fields and #o.fields == 0
  local vnames = save_vnames(M, self, o)
  local vsaved = saved_vnames(M, vnames, o)
  -- (the hooks see the caller's fields, VIRTUAL names among them, as Sequelize's; the
  -- UPDATE takes the columns only, columns_only below)
  local fields, touch, vfields = save_fields(self, M, o, not default_fields, none)
  -- (Sequelize adds updatedAt to the fields before the hooks, when the caller changed
  -- something: a save whose only changes a before hook makes writes them, not updatedAt)
  local unstamped = default_fields and #fields == 0 and not touch and o.silent ~= true
  if o.fields == nil then -- (Sequelize: the hooks see fields = the attributes changed)
    local f = {}
    for i, x in ipairs(fields) do f[i] = x end
    for k in pairs(virtual_dirty(self) or {}) do f[#f + 1] = k end
    o.fields, o._defaultFields = f, true
  end
  if o._defaultFields and o.defaultFields == nil then o.defaultFields = o.fields end -- (the same list)
  -- (Sequelize stamps updatedAt = now on the row before validation and the hooks, when its
  -- fields list it; the UPDATE writes its own now there)
  if stamp_fields(self, M, o, false) and M._index[M.options.updatedAt] then
    rawset(self, M._index[M.options.updatedAt], (instance.stamp(M, M.options.updatedAt)))
  end
  if validate then
    V.validate_hooked(M, self, vfields, false, o, (#vfields > 0 and needs_validation(M, self, vfields))
      or (vnames ~= nil and next(vnames) ~= nil) or M._model_validators ~= nil, vnames)
  end
  local before, vbefore = {}, {}
  for k in pairs(rawget(self, -1) or {}) do before[k] = true end
  for _, f in ipairs(fields) do before[f] = true end
  for k in pairs(virtual_dirty(self) or {}) do vbefore[k] = true end
  -- the values the save writes, as the hooks find them: one a hook changes is validated
  -- again (Sequelize's hookChanged compares each changed value with its value before)
  local idx, was = M._index, {}
  for _, f in ipairs(fields) do was[f] = rawget(self, idx[f]) end
  H.run(M, "beforeUpdate", self, o)
  if default_fields then
    local added, vadded, again = {}, {}, nil
    for _, f in ipairs(changed_fields(self, M)) do
      if not before[f] then
        added[#added + 1] = f
      elseif was[f] ~= nil and rawget(self, idx[f]) ~= was[f] then
        again = again or {}
        again[#again + 1] = f
      end
    end
    for k in pairs(virtual_dirty(self) or {}) do -- (VIRTUAL attributes the hooks set)
      if not vbefore[k] then vadded[k] = true end
    end
    for _, f in ipairs(added) do fields[#fields + 1] = f end
    if o.fields and #added > 0 then -- (the list as the hooks left it, and what they changed)
      local u, seen = {}, {}
      for _, list in ipairs({ o.fields, added }) do
        for _, f in ipairs(list) do
          if not seen[f] then seen[f], u[#u + 1] = true, f end
        end
      end
      o.fields = u
    end
    if vnames then for k in pairs(vadded) do vnames[k] = true end end
    -- validated again, hooks included, even when the hooks changed nothing (Sequelize)
    if validate then
      local check = added
      if again then -- (in column order, with those the hooks changed again)
        check = {}
        for _, f in ipairs(added) do check[#check + 1] = f end
        for _, f in ipairs(again) do check[#check + 1] = f end
        table.sort(check, function(a, b) return idx[a] < idx[b] end)
      end
      -- (its hooks' skip: every attribute the hooks did not change, as Sequelize's second validate)
      V.validate_hooked(M, self, check, false, o,
        (#check > 0 and needs_validation(M, self, check)) or next(vadded) ~= nil or M._model_validators ~= nil, vadded, check)
    end
  end
  if not default_fields and not touch then -- (Sequelize asks whether anything changed after the hooks)
    fields, touch = save_fields(self, M, o, true, none)
  end
  if #fields == 0 and not touch then
    -- (nothing to write marks nothing saved, VIRTUAL attributes included: Sequelize returns
    -- before its write, the after hooks and the reset of changed())
    return self
  end
  -- (copied: the UPDATE clears what it wrote in place; an afterUpdate hook may be added
  -- while it runs, by a beforeQuery hook)
  local before = copy_tracking(self)
  local so = instance.columns_only(M, o)
  if unstamped then
    local c = {}
    for k, v in pairs(so) do c[k] = v end
    c.silent, so = true, c
  end
  local ok, err, values, where = pcall(core.save, M._box, self, so, touch)
  if not ok then error(enrich_unique(self, err), 0) end
  if err == false then instance.stale(M, values, where) end
  -- (the after hooks see the VIRTUAL attributes changed too, as Sequelize's)
  with_tracking(self, before, nil, M, "afterUpdate", o)
  virtual_saved(self, vsaved)
  settle(self, o.fields or fields)
  return self
end

function instance.save_plain(self, opts)
  local M = model_of(self)
  if H.hooked(M) and not (opts and opts.hooks == false) then return save_hooked(M, self, opts) end
  if rawget(self, "isNewRecord") then
    if not (opts and opts.validate == false) then
      if M._model_validators or M._lua_validators then
        -- (the model's and Lua validators see the time stamps, as Sequelize's)
        local o = hook_opts(opts)
        o._stamped = stamp_new(self, M, o) or nil
        opts = o
      end
      V.validate(M, self, opts and opts.fields, true, nil, opts and opts.skip)
    end
    -- (the call only for a caller's fields: the plain create / save skips it)
    if opts and opts.fields and instance.writes_nothing(self, M, opts) then return self end
    insert(M, self, opts)
    virtual_saved(self, saved_vnames(M, nil, opts))
    return self
  end
  local vnames = save_vnames(M, self, opts)
  local vsaved = saved_vnames(M, vnames, opts)
  local chosen = opts and opts.fields and not opts._defaultFields
  local none = chosen and #opts.fields == 0
  opts = instance.columns_only(M, opts)
  local fields, touch, vfields = save_fields(self, M, opts, chosen, none)
  local vcheck = vnames ~= nil and next(vnames) ~= nil
  -- (the model's own validators run on every save, whatever fields)
  if not (opts and opts.validate == false)
     and (vcheck or M._model_validators or (#vfields > 0 and needs_validation(M, self, vfields))) then
    V.validate(M, self, vfields, false, vnames, opts and opts.skip)
  end
  if #fields == 0 and not touch then
    -- (nothing to write marks nothing saved, VIRTUAL attributes included: Sequelize returns
    -- before its write, the after hooks and the reset of changed())
    return self
  end
  local ok, err, values, where = pcall(core.save, M._box, self, opts, touch)
  if not ok then error(enrich_unique(self, err), 0) end
  if err == false then instance.stale(M, values, where) end
  virtual_saved(self, vsaved)
  return self
end

-- A save of a versioned model (option `version`) that matched no row: Sequelize's
-- OptimisticLockError (modelName, values as written by column, where by attribute)
function instance.stale(M, values, where)
  if type(where) == "table" then -- (by column, as Sequelize's: { id = 1, lock_version = 0 })
    local w = {}
    for k, v in pairs(where) do
      local a = type(k) == "string" and M.rawAttributes[k]
      w[a and a.field or k] = v
    end
    where = w
  end
  error(errors.new(errors.OptimisticLockError, "Attempting to update a stale model instance: " .. M.name,
    { modelName = M.name, values = values, where = where }), 0)
end

-- A model whose updates need no Lua: no setters and no validators written in Lua. (The
-- core sends back, untouched, an update whose values need the validation pass.)
local function plain_updates(M)
  local p = M._plain_updates
  if p == nil then
    p = not M._setters and not M._lua_validators and not M._model_validators and not M._virtuals
    M._plain_updates = p
  end
  return p
end

function Instance:update(values, opts)
  local mt = getmetatable(self) -- (model_of, inline: this is the per-row path of a loop of updates)
  local M = mt and mt.__M
  if not M then not_instance("update", self) end
  if type(values) ~= "table" then error(errors.new(errors.Error, M.name .. ".update: values must be a table"), 2) end
  if opts ~= nil and type(opts) ~= "table" then error(errors.new(errors.Error, M.name .. ".update: options must be a table"), 2) end
  if opts and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  -- a list for the options is the fields (Sequelize: `if (Array.isArray(options)) options = { fields: options }`);
  -- named keys beside it are the other options ({ "name", hooks = false }), not dropped
  if opts ~= nil and getmetatable(opts) == nil and rawget(opts, 1) ~= nil then
    if opts.fields ~= nil then
      error(errors.new(errors.Error, M.name .. ".update: options give the fields twice (a list and fields =)"), 2)
    end
    instance.check_list(M, opts, "fields", 2)
    local o, list = {}, {}
    for k, v in pairs(opts) do
      if type(k) ~= "number" then o[k] = v end
    end
    for i, f in ipairs(opts) do list[i] = f end
    o.fields, opts = list, o
  end
  -- ("meta.a" keys: set after the attributes, as set does)
  local jk = M._json_attrs and instance.json_keys(M, values) or nil
  -- (nor after a raw set (t[-2]): its previous values end as set does, for the keys saved)
  if not jk and plain_updates(M) and not H.hooked(M) and not rawget(self, "isNewRecord") and not rawget(self, -3)
     and not rawget(self, -2)
     and not (opts and (opts.fields ~= nil or opts.validate ~= nil)) then
    -- set and save in one C call, unless a value needs validating (false: nothing done)
    local ok, res = pcall(core.update_fields, M._box, self, values, opts)
    if not ok then error(enrich_unique(self, res), 0) end
    if res ~= false then return self end
  end
  local keys, given, vgiven = {}, {}, nil
  local before = rawget(self, -1)
  local was = {}
  if before then for k in pairs(before) do was[k] = true end end
  local only -- with fields, only those attributes are set (and VIRTUAL ones: Sequelize's set)
  if opts and type(opts.fields) == "table" then
    only = {}
    for _, f in ipairs(opts.fields) do only[f] = true end
  end
  for k, v in pairs(values) do
    if type(k) == "string" and M._index[k] and (not only or only[k]) then
      self[k] = v
      keys[#keys + 1] = k
      given[k] = true
    elseif type(k) == "string" and M._virtuals and M._virtuals[k] then
      self[k] = v -- (a setter's changes to columns are saved as side effects)
      vgiven = vgiven or {}
      -- (one set to the value it holds is not changed: not saved, no updatedAt for it)
      local vd = virtual_dirty(self)
      if vd and vd[k] then vgiven[k] = true end
    end
  end
  for _, k in ipairs(jk or {}) do
    local col = k:match("^([^%.]+)%.")
    if not only or only[col] then
      Instance.set(self, k, values[k])
      if not given[col] then keys[#keys + 1] = col; given[col] = true end
    end
  end
  -- attributes a setter changed on the side are saved too (Sequelize's sideEffects)
  local after = rawget(self, -1)
  if after then
    for _, a in ipairs(M._attrs) do
      local k = a.fieldName
      if after[k] ~= nil and not was[k] and not given[k] then keys[#keys + 1] = k end
    end
  end
  if not (opts and opts.fields) and after then
    -- (Sequelize: the keys given that are changed now; one set to the value it holds is not
    -- saved, nor is updatedAt stamped for it)
    local n = 0
    for _, k in ipairs(keys) do
      if after[k] ~= nil then n = n + 1; keys[n] = k end
    end
    for i = #keys, n + 1, -1 do keys[i] = nil end
  elseif not (opts and opts.fields) then
    keys = {}
  end
  local o = { fields = keys }
  if opts then
    for k, v in pairs(opts) do o[k] = v end
    o.fields = opts.fields or keys
  end
  -- fields the caller did not choose: a before hook's changes are saved too (Sequelize),
  -- and the VIRTUAL attributes given are validated
  if not (opts and opts.fields) then
    o._defaultFields = true
    o._vfields = vgiven or {}
  end
  return model_of(self)._methods.save(self, o) -- (not self:save: an attribute may be named so)
end

-- Associations made with onDelete = "CASCADE" and hooks = true: before the row is deleted,
-- its associated rows are read and destroyed one by one, with their own hooks (Sequelize's
-- queryInterface.delete; the database's cascade would skip the hooks). In one transaction.
local function cascading(a)
  local o = a.options
  return o and o.hooks == true and type(o.onDelete) == "string" and o.onDelete:lower() == "cascade"
end

local function cascades(M)
  for _, a in ipairs(M._assoc_list or {}) do
    if cascading(a) then return true end
  end
  return false
end

-- The row a cascade is destroying now, by transaction: its destroy runs inside the cascade's
-- one transaction (or savepoint) and opens none of its own. A savepoint per level ran each
-- level's destroy inside a pcall (transaction.lua), a C frame per level: Lua 5.4's C stack
-- overflowed at about 196 levels ("C stack overflow"). (Weak keys: a transaction value of
-- `true`/a row refers to no transaction, so no ephemeron is needed.) CASCADE_RUN: the
-- transaction or savepoint the cascade opened; a mark left by a cascade that raised (no pcall
-- restores it) counts no more once that is rolled back, so that the caller's next destroy of
-- that row in its transaction opens a savepoint of its own again. (Weak values too: the value
-- is the key itself or a savepoint whose parent is the key, and LuaJIT has no ephemerons, so
-- a mark a raise left kept the transaction, its db and its models for good; the run is alive
-- while its cascade runs, held by the frames below, and a collected one has ended.)
local CASCADE_CHILD = setmetatable({}, { __mode = "k" })
local CASCADE_RUN = setmetatable({}, { __mode = "kv" })

local function destroy_cascades(self, M, o, run)
  local t = o.transaction
  for _, a in ipairs(M._assoc_list or {}) do
    if cascading(a) then
      -- (the accessor by its name, getPosts also for as = "posts"; methods, not fields: an
      -- attribute may be named so)
      local got = M._methods[a.accessors.get](self, { transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters })
      if got ~= nil then
        if getmetatable(got) and getmetatable(got).__M then got = { got } end
        for _, child in ipairs(got) do
          if t == nil then -- (a hook took the transaction out of the options: a call of its own)
            model_of(child)._methods.destroy(child, o)
          else
            local prev, prev_run = CASCADE_CHILD[t], CASCADE_RUN[t]
            CASCADE_CHILD[t], CASCADE_RUN[t] = child, run
            model_of(child)._methods.destroy(child, o) -- (on an error the whole cascade rolls back)
            CASCADE_CHILD[t], CASCADE_RUN[t] = prev, prev_run
          end
        end
      end
    end
  end
end

function Instance:destroy(opts)
  local M = model_of(self)
  if opts ~= nil and type(opts) ~= "table" then error(errors.new(errors.Error, M.name .. ".destroy: options must be a table"), 2) end
  if opts and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  local hooked = H.hooked(M) and not (opts and opts.hooks == false)
  local o = opts
  if hooked then
    o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    H.run(M, "beforeDestroy", self, o)
  end
  if M.options.deletedAt and not (o and o.force) then -- paranoid: a soft delete
    require("sequelua.paranoid").destroy_instance(self, o)
  elseif cascades(M) and o and o.transaction ~= nil and CASCADE_CHILD[o.transaction] == self
      and CASCADE_RUN[o.transaction] and not CASCADE_RUN[o.transaction].finished then -- (nil: collected, ended)
    -- (a row of a cascade: in the cascade's transaction, its own cascade a plain Lua call)
    local run = CASCADE_RUN[o.transaction]
    CASCADE_CHILD[o.transaction] = nil
    destroy_cascades(self, M, o, run)
    core.destroy(M._box, o, self)
  elseif cascades(M) then
    M.sequelize:_atomic({ transaction = o and o.transaction, logging = o and o.logging, logQueryParameters = o and o.logQueryParameters }, function(t, run)
      local co = {}
      for k, v in pairs(o or {}) do co[k] = v end
      co.transaction = t
      destroy_cascades(self, M, co, run)
      core.destroy(M._box, co, self)
    end)
  else
    core.destroy(M._box, o, self)
  end
  if hooked then H.run(M, "afterDestroy", self, o) end
  return self
end

function Instance:reload(opts)
  local M = model_of(self)
  if opts ~= nil and type(opts) ~= "table" then error(errors.new(errors.Error, M.name .. ".reload: options must be a table"), 2) end
  if opts and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  check_key(self, M, 2)
  for _, k in ipairs(M.primaryKeyAttributes or {}) do
    local v = rawget(self, M._index[k])
    if v == nil or v == NULL then -- (never saved: Sequelize finds nothing for `id` IS NULL)
      error(errors.new(errors.InstanceError,
        "Instance could not be reloaded because it does not exist anymore (find call returned null)"), 2)
    end
  end
  local sh = rawget(self, 0)
  local inc = opts and opts.include
  if inc == nil and type(sh) == "table" and sh.reload then inc = sh.reload.include end
  if opts and opts.attributes ~= nil then
    -- only those attributes read again; the others, and what is marked changed, stay
    -- (Sequelize: set(reloaded, { raw = true, reset = !options.attributes }))
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.where = key_where(M, self)
    if o.raw == nil then o.raw = false end -- (the db's query = { raw = true } is no default here)
    local fresh = M:findOne(o)
    if not fresh then
      error(errors.new(errors.InstanceError,
        "Instance could not be reloaded because it does not exist anymore (find call returned null)"), 2)
    end
    -- (Sequelize's raw set of the values read makes every previous value the current one)
    if rawget(self, -2) then rawset(self, -2, nil) end
    local at = opts.attributes
    if type(at) == "table" and at[1] == nil and (at.exclude or at.include) then
      local out = {}
      for _, x in ipairs(at.exclude or {}) do out[x] = true end
      for _, a in ipairs(M._attrs) do
        if not out[a.fieldName] then rawset(self, a.index, rawget(fresh, a.index)) end
      end
    else
      for _, x in ipairs(type(at) == "table" and at or {}) do
        local slot = type(x) == "string" and M._index[x]
        if slot then rawset(self, slot, rawget(fresh, slot)) end
      end
    end
    return self
  end
  -- with the model's default scope, hooks (the find hooks run), or on a paranoid model (a
  -- soft-deleted row is not found), through findOne, as Sequelize reads it
  if inc ~= nil or (M._scope ~= nil and next(M._scope) ~= nil) or H.hooked(M)
     or (M.options.deletedAt and not (opts and opts.paranoid == false)) then
    -- read with the include it was read with (or the one given): values and included objects
    local o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    o.include, o.where = inc, key_where(M, self)
    if o.raw == nil then o.raw = false end -- (the db's query = { raw = true } is no default here)
    local fresh = M:findOne(o)
    if not fresh then
      error(errors.new(errors.InstanceError,
        "Instance could not be reloaded because it does not exist anymore (find call returned null)"), 2)
    end
    reset_unread(self)
    for _, a in ipairs(M._attrs) do rawset(self, a.index, rawget(fresh, a.index)) end
    -- the VIRTUAL values the row read holds (an afterFind hook's setDataValue) come along,
    -- no longer changed (Sequelize: set(reloaded.dataValues, { raw, reset }))
    local fv = rawget(fresh, -4)
    if fv then
      local store = rawget(self, -4)
      local dirty = store and store[DIRTY]
      for k, v in pairs(fv) do
        if type(k) == "string" then
          store = instance.store_virtual(self, k, v)
          if dirty then dirty[k] = nil end
        end
      end
    end
    local fsh = rawget(fresh, 0)
    for _, k in ipairs(type(fsh) == "table" and fsh.includes or {}) do rawset(self, k, member(fresh, k)) end
    -- (and the data values of its own the row read holds: an afterFind hook's)
    for _, k in ipairs(type(fsh) == "table" and fsh.extras or {}) do rawset(self, k, rawget(fresh, k)) end
    rawset(self, 0, fsh)
    rawset(self, -1, nil)
    if rawget(self, -2) then rawset(self, -2, nil) end
    return self
  end
  if rawget(self, -2) then rawset(self, -2, nil) end -- (the values read are the previous ones too)
  if not core.reload(M._box, self, opts) then
    error(errors.new(errors.InstanceError,
      "Instance could not be reloaded because it does not exist anymore (find call returned null)"), 2)
  end
  reset_unread(self)
  local shape = rawget(self, 0)
  if type(shape) == "table" and (shape.partial or shape.vshow) then
    -- every attribute read now: toJSON shows what a full read shows (the shape is the
    -- rows' shared one: this row takes its own)
    local own = {}
    for k, v in pairs(shape) do own[k] = v end
    own.partial, own.vshow = nil, nil
    rawset(self, 0, own)
  end
  if M._mt.__gm then -- a row read now: toJSON leaves getterMethods out (Sequelize's reload
    -- takes the read row's _options, attributes among them)
    shape = rawget(self, 0)
    if shape == nil then
      rawset(self, 0, { read = true })
    elseif type(shape) == "table" and not shape.read then
      local own = {}
      for k, v in pairs(shape) do own[k] = v end
      own.read = true
      rawset(self, 0, own)
    end
  end
  return self
end

-- A finite number, or a string that reads as one (Sequelize writes `n + '2.5'`, which SQLite
-- reads as a number: decimal text only, no hex); nil for anything else. An integer string
-- is exact: beyond 2^53 under LuaJIT it stays a decimal string, which the core binds exactly.
local function amount(v)
  if type(v) == "string" then v = core.number_text(v) end
  if type(v) == "string" then return v end
  if type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge then return v end
  return nil
end

-- increment's amounts (the static's and the instance's): fields is "name", { "a", "b" } (each
-- by opts.by, default 1) or { a = 2, b = 3 }; sign -1 for a decrement. The version goes up by
-- one, whatever the amounts (Sequelize sets its amount to 1, or to -1 for a decrement, which
-- subtracts it: `version`=`version`- -1). Errors at `level` (the public call's caller).
function instance.amounts(M, fields, opts, sign, level)
  local E = require("sequelua.expr")
  -- an amount: a number (signed here), or Sequelize.literal/fn/col (SQL, the core subtracts it
  -- for a decrement: Sequelize writes `a`=`a`+ 2*3)
  local function signed(v)
    if getmetatable(v) == E.mt then return v end
    v = amount(v)
    if type(v) == "string" then -- (a decimal integer string: negated as text)
      return sign > 0 and v or v:sub(1, 1) == "-" and v:sub(2) or "-" .. v
    end
    return v and v * sign
  end
  local by = signed(opts and opts.by or 1)
  if by == nil then
    error(errors.new(errors.Error, M.name .. ".increment: by must be a finite number or a Sequelize.literal/fn/col"), level)
  end
  local t = {}
  if type(fields) == "string" then
    t[fields] = by
  elseif type(fields) == "table" then
    for k, v in pairs(fields) do
      if type(k) == "number" and type(v) == "string" then t[v] = by
      elseif type(k) == "string" and signed(v) then t[k] = signed(v)
      else
        error(errors.new(errors.Error, M.name .. ".increment: amounts must be numbers (or Sequelize.literal/fn/col)"
          .. " keyed by attribute"), level)
      end
    end
  else
    error(errors.new(errors.Error, M.name .. ".increment: expected an attribute name, a list or a table of amounts"), level)
  end
  if M._version then t[M._version] = 1 end
  return t
end

local function copy_table(t)
  local n = {}
  for k, v in pairs(t) do n[k] = v end
  return n
end

-- an instance's increment: its row (by key, and options.where's conditions with it)
local function inc(self, fields, opts, sign)
  local M = model_of(self)
  if opts ~= nil and type(opts) ~= "table" then error(errors.new(errors.Error, M.name .. ".increment: options must be a table"), 3) end
  if opts and (opts.transaction == NULL or opts.transaction == false) then opts = no_null_tx(opts) end
  local w = opts and opts.where
  if type(w) == "table" and getmetatable(w) == nil then
    -- the row's key wins over the where's (Sequelize: `{ ...options.where, ...this.where() }`)
    local own
    for _, k in ipairs(M.primaryKeyAttributes) do
      local f = M.rawAttributes[k].field or k
      if w[k] ~= nil or w[f] ~= nil then
        own = own or copy_table(w)
        own[k], own[f] = nil, nil
      end
    end
    if own then
      opts = copy_table(opts)
      opts.where = own
    end
  end
  local ok, err = pcall(core.increment, M._box, instance.amounts(M, fields, opts, sign, 4), opts, self, sign < 0)
  -- (a unique violation: its items hold this instance and its value, its message the
  -- column's unique msg, as Sequelize's increment query has the instance and the model)
  if not ok then error(enrich_unique(self, err), 0) end
  return self
end

function Instance:increment(fields, opts) return inc(self, fields, opts, 1) end
function Instance:decrement(fields, opts) return inc(self, fields, opts, -1) end

function Instance:equals(other)
  local M = model_of(self)
  if model_of(other) ~= M then return false end
  for _, pk in ipairs(M.primaryKeyAttributes) do -- (the stored values, no getter: Sequelize)
    if Instance.getDataValue(self, pk) ~= Instance.getDataValue(other, pk) then return false end
  end
  return true
end

-- instance:equalsOneOf(list): does it equal one of them (Sequelize: list.some(equals))
function Instance:equalsOneOf(list)
  if type(list) ~= "table" then
    error(errors.new(errors.Error, model_of(self).name .. ".equalsOneOf: expected a list of instances"), 2)
  end
  for _, other in ipairs(list) do
    if self:equals(other) then return true end
  end
  return false
end

-- u.save() written for u:save() would fail deep inside with nil for the instance: the
-- public methods check their receiver (instance methods a caller adds are not wrapped)
-- (save, update and set check it inline: they are the per-row path of loops of updates)
-- (paranoid.lua, loaded after this file, defines restore and isSoftDeleted and guards them so)
function instance.guard_methods(names)
  for _, name in ipairs(names) do
    local fn = rawget(Instance, name)
    if type(fn) == "function" then
      Instance[name] = function(self, ...)
        if not model_of(self) then
          error(errors.new(errors.Error, ("instance:%s(...) is a method: call it with a colon, on an instance (got %s)")
            :format(name, type(self))), 2)
        end
        return fn(self, ...)
      end
    end
  end
end
instance.guard_methods({ "destroy", "reload", "increment", "decrement", "get", "setDataValue", "getDataValue",
                         "changed", "previous", "toJSON", "validate", "equals", "equalsOneOf", "where" })

return instance
