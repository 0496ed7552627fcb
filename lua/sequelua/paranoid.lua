-- paranoid.lua: paranoid models (soft delete), as Sequelize v6 has them. A model defined
-- with `paranoid = true` (and timestamps) has a nullable DATE column `deletedAt` (the C core
-- adds it after updatedAt); destroy sets it instead of deleting (`force = true` deletes),
-- restore sets it back to NULL (or its declared defaultValue), and the finders, counts, aggregates, Model:update and the
-- includes leave out the rows that have it set unless given `paranoid = false`.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local Op = require("sequelua.op")
local instance = require("sequelua.instance")

local NULL = core.null
local P = {}

local H = require("sequelua.hooks")
local function fail(msg, level) error(errors.new(errors.Error, msg), (level or 1) + 1) end

local function copy(t)
  local n = {}
  if t then for k, v in pairs(t) do n[k] = v end end
  return n
end

-- define: the checked `paranoid` and `deletedAt` options -> paranoid (boolean), and the
-- name of the deletedAt attribute the core is to add (nil: the model is not paranoid).
-- Sequelize ignores paranoid without timestamps (no column, rows really deleted) and
-- deletedAt without paranoid; so does this.
function P.define_options(name, options, timestamps, level)
  level = (level or 1) + 1
  local paranoid, deleted = options.paranoid, options.deletedAt
  if paranoid ~= nil and type(paranoid) ~= "boolean" then
    fail(("%s: the option paranoid must be a boolean, got %s"):format(name, type(paranoid)), level)
  end
  if deleted ~= nil and type(deleted) ~= "string" and type(deleted) ~= "boolean" then
    fail(('%s: Value for "deletedAt" option must be a string or a boolean, got %s'):format(name, type(deleted)), level)
  end
  if deleted == "" then fail(('%s: Value for "deletedAt" option cannot be an empty string'):format(name), level) end
  if type(deleted) == "string" and not core.is_name(deleted) then
    fail(('%s: Value for "deletedAt" option must be valid UTF-8 without NUL bytes'):format(name), level)
  end
  paranoid = paranoid == true
  if not (paranoid and timestamps) then return paranoid, nil end
  if deleted == false then
    -- (Sequelize then has no column and fails in every finder)
    fail(('%s: a paranoid model needs its deletedAt column: deletedAt = false cannot go with paranoid = true')
      :format(name), level)
  end
  if deleted == nil or deleted == true then deleted = "deletedAt" end
  local created, updated = options.createdAt, options.updatedAt
  if created == nil or created == true then created = "createdAt" end
  if updated == nil or updated == true then updated = "updatedAt" end
  if deleted == created or deleted == updated then
    fail(('%s: deletedAt cannot be the %s column'):format(name, deleted == created and "createdAt" or "updatedAt"), level)
  end
  return paranoid, deleted
end

-- The deletedAt attribute of a paranoid model, or nil
local function deleted_at(M)
  local d = M.options and M.options.deletedAt
  if d then return d end
  return nil
end
P.deleted_at = deleted_at

-- Do the options read only the rows not soft-deleted? (options.paranoid: a boolean)
function P.active(M, opts)
  local p
  if type(opts) == "table" then p = opts.paranoid end
  if p ~= nil and type(p) ~= "boolean" then
    error(errors.new(errors.Error, ("%s: options.paranoid must be a boolean, got %s"):format(M.name, type(p))), 3)
  end
  return deleted_at(M) ~= nil and p ~= false
end

local function is_empty(where)
  return where == nil or (type(where) == "table" and getmetatable(where) == nil and next(where) == nil)
end

-- What deletedAt holds on a row not deleted: NULL, or the attribute's own defaultValue when
-- one is declared (a plain value: Sequelize's _paranoidClause compares with it)
local function not_deleted(M, d)
  local a = M.rawAttributes and M.rawAttributes[d]
  local v = a and a.defaultValue
  if v == nil or type(v) == "function" or type(v) == "table" then return NULL end
  return v
end
P.not_deleted = not_deleted

-- `deletedAt IS NULL` (or = its default), and the where given after it (Sequelize's
-- _paranoidClause)
local function clause(M, d, where)
  local c = { [d] = not_deleted(M, d) }
  if is_empty(where) then return c end
  return { [Op["and"]] = { c, where } }
end

-- The finder options with the paranoid condition in the where (a copy, marked
-- paranoid = false so that a finder they are passed on to does not add it again), or the
-- options themselves when the model is not paranoid or the caller said paranoid = false.
function P.where(M, opts)
  if not P.active(M, opts) then return opts end
  local o = copy(opts)
  o.where = clause(M, deleted_at(M), o.where)
  o.paranoid = false
  return o
end

-- Whether an include (a table, or a normalised node) is read by queries of its own: `separate =
-- true`, or a `limit` with `separate` not given (Sequelize's `if (include.limit && include.separate
-- === undefined) include.separate = true`, so not a limit of 0, which JavaScript reads as false;
-- given false, or null, the include is joined and its limit left unused)
function P.is_separate(item)
  return item.separate == true or (item.separate == nil and item.limit ~= nil and item.limit ~= 0)
end

-- An include node (association.lua's normalised form): a paranoid target gets the
-- condition in its join's ON clause, after `required` was decided from the user's where
-- (Sequelize); `paranoid = false` on the include lifts it. A separate include (its own
-- query) takes it in that query instead. A paranoid through model of an n:m include gets it
-- in the through's ON clause, unless `through = { paranoid = false }`.
function P.include(node, a, item)
  -- item: the include's options table (nil for a bare model, association or alias)
  if item ~= nil and item.paranoid ~= nil and type(item.paranoid) ~= "boolean" then
    error(errors.new(errors.Error, ("include %s: paranoid must be a boolean, got %s")
      :format(a.as, type(item.paranoid))), 3)
  end
  if item ~= nil and type(item.through) == "table" and item.through.paranoid ~= nil
     and type(item.through.paranoid) ~= "boolean" then
    error(errors.new(errors.Error, ("include %s: through.paranoid must be a boolean, got %s")
      :format(a.as, type(item.through.paranoid))), 3)
  end
  if item ~= nil and item.assoc ~= nil then
    -- normalised before (a separate include's tree, read by its own findAll): it has them
    node.paranoid = item.paranoid
    return node
  end
  local off = item ~= nil and item.paranoid == false
  local T = a.target
  if item ~= nil and P.is_separate(item) then
    -- (its queries are findAll's: they add the conditions, the through's too)
    if off then node.paranoid = false end
    return node
  elseif deleted_at(T) and not off then
    node.where = clause(T, deleted_at(T), node.where)
    -- (not required for it, also when this tree is normalised again)
    if node.required == nil then node.required = false end
  end
  local Th = a.throughModel
  if Th and deleted_at(Th) then
    local th = item ~= nil and type(item.through) == "table" and item.through or nil
    if not (th and th.paranoid == false) then
      -- (node.through: the caller's, as normalise_item made it: the through scope in its where,
      -- VIRTUAL names mapped to their fields)
      local t = copy(type(node.through) == "table" and node.through or th)
      t.where = clause(Th, deleted_at(Th), t.where)
      node.through = t
    end
  end
  return node
end

-- Model:destroy on a paranoid model, without force: deletedAt = now on the rows not yet
-- deleted (Sequelize: UPDATE ... SET deletedAt WHERE deletedAt IS NULL AND <where>,
-- updatedAt untouched) -> the number of rows. A where with a top-level key that names the
-- deletedAt attribute (or its column) takes the place of `deletedAt IS NULL` (Sequelize's
-- Object.assign({ [deletedAtField]: null }, options.where), the where's keys mapped to
-- columns): { deletedAt = { [Op.ne] = null } }
-- stamps the soft-deleted rows again. (Only here: the finders AND the two.)
function P.destroy(M, opts)
  local d = deleted_at(M)
  local w = opts.where
  local a = M.rawAttributes[d]
  local own = type(w) == "table" and getmetatable(w) == nil and (w[d] ~= nil or w[a and a.field or d] ~= nil)
  -- (truncate too: Sequelize soft-deletes the rows the where and scope select)
  local o = { where = own and w or clause(M, d, w), silent = true,
              transaction = opts.transaction, logging = opts.logging, logQueryParameters = opts.logQueryParameters, limit = opts.limit }
  return core.update(M._box, { [d] = core.now() }, o)
end

-- Model:restore([opts]): deletedAt = NULL on the rows the where selects (every row
-- without one), updatedAt untouched, as Sequelize -> the number of rows
function P.restore(M, opts)
  local d = deleted_at(M)
  if not d then error(errors.new(errors.Error, "Model is not paranoid"), 2) end
  if opts ~= nil and type(opts) ~= "table" then
    fail(("%s.restore: options must be a table, got %s"):format(M.name, type(opts)), 2)
  end
  -- (transaction = Sequelize.null / false: none, nil to the hooks, as the other writers: instance.no_null_tx)
  if opts and (opts.transaction == NULL or opts.transaction == false) then opts = instance.no_null_tx(opts) end
  opts = opts or {}
  -- (omitNull = false: a NULL deletedAt is written under Sequelize.new's omitNull, as Sequelize)
  local o = { where = opts.where, silent = true, transaction = opts.transaction, logging = opts.logging, logQueryParameters = opts.logQueryParameters,
              limit = opts.limit, omitNull = false }
  local bulk = opts.hooks ~= false
  if not H.hooked(M) or not (bulk or opts.individualHooks) then return core.update(M._box, { [d] = not_deleted(M, d) }, o) end
  -- hooks (Sequelize): beforeBulkRestore(options); with individualHooks the rows are read
  -- (soft-deleted ones included) and beforeRestore / afterRestore run on each; afterBulkRestore.
  -- hooks = false: no bulk hook (individualHooks still runs the row hooks)
  local ho = require("sequelua.model")._hook_copy(opts)
  if bulk then H.run(M, "beforeBulkRestore", ho) end
  o.where = ho.where
  local found
  if ho.individualHooks then
    found = M:findAll({ where = ho.where, transaction = ho.transaction, logging = ho.logging, logQueryParameters = ho.logQueryParameters, paranoid = false, raw = false })
    for _, inst in ipairs(found) do H.run(M, "beforeRestore", inst, ho) end
  end
  local n = core.update(M._box, { [d] = not_deleted(M, d) }, o)
  for _, inst in ipairs(found or {}) do H.run(M, "afterRestore", inst, ho) end
  if bulk then H.run(M, "afterBulkRestore", ho) end
  return n
end

local function model_of(self)
  local mt = getmetatable(self)
  return mt and mt.__M
end

-- instance:destroy() on a paranoid model, without force: deletedAt = now unless it is set
-- already, then saved with the other changes and updatedAt (Sequelize's save)
function P.destroy_instance(self, opts)
  local M = model_of(self)
  local d = deleted_at(M)
  local v = self:getDataValue(d)
  if v == nil or v == NULL or v == not_deleted(M, d) then instance.methods.setDataValue(self, d, core.now()) end
  local o = copy(opts)
  o.force = nil
  o.hooks = false -- (destroy's own hooks run around it; Sequelize saves without hooks)
  instance.save_plain(self, o)
  return self
end

local function check_paranoid(self)
  local M = model_of(self)
  if not M or not deleted_at(M) then error(errors.new(errors.Error, "Model is not paranoid"), 3) end
  return M, deleted_at(M)
end

-- instance:restore([opts]): deletedAt = NULL, saved with updatedAt
function instance.methods.restore(self, opts)
  local M, d = check_paranoid(self)
  if opts ~= nil and type(opts) ~= "table" then
    fail(("%s.restore: options must be a table, got %s"):format(M.name, type(opts)), 2)
  end
  local o = copy(opts)
  if o.transaction == NULL or o.transaction == false then o.transaction = nil end -- (none: see P.restore)
  local hooked = H.hooked(M) and o.hooks ~= false
  if hooked then H.run(M, "beforeRestore", self, o) end
  instance.methods.setDataValue(self, d, not_deleted(M, d))
  local so = copy(o)
  so.hooks, so.omitNull = false, false -- (the NULL deletedAt written under omitNull: Sequelize)
  instance.save_plain(self, so)
  if hooked then H.run(M, "afterRestore", self, o) end
  return self
end

-- instance:isSoftDeleted(): is deletedAt set?
function instance.methods.isSoftDeleted(self)
  local M, d = check_paranoid(self)
  local v = self:getDataValue(d)
  return v ~= nil and v ~= not_deleted(M, d)
end
instance.guard_methods({ "restore", "isSoftDeleted" })

return P
