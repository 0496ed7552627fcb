-- nested_create.lua: build, create and bulkCreate with `include` (Sequelize's build and save
-- with include, its recursive bulkCreate): the included values built as instances of their
-- models under their aliases, and saved with their keys set, in one transaction.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local Model = require("sequelua.model")
local core_array_mt = require("sequelua.expr").array_mt
local instance = require("sequelua.instance")
local H = require("sequelua.hooks")
local V = require("sequelua.validation")
local A = require("sequelua.association")
local include = require("sequelua.include")
local normalise, value_attrs = include.normalise, include.value_attrs

local NULL = core.null
local fail = A.util.fail
local N = {}

-- ---------------------------------------------------------------------------
-- nested create, as Sequelize's build and save with include: the values are built first,
-- the included ones as instances of their models under their aliases; saving a new row
-- validates it and runs its beforeCreate hooks, saves its belongsTo parents and sets their
-- keys, INSERTs it, saves its hasOne/hasMany rows (their keys and the association's scope
-- set) and its n:m targets each followed by its join row (the through model's create),
-- and runs its afterCreate hooks last; all in one transaction (a savepoint when one is
-- open). Sequelize saves the rows of a level concurrently, so that their hooks interleave;
-- here they are saved one after the other.


-- an n:m target built with join values (under the through model's name): those values,
-- for its join row
local join_values = setmetatable({}, { __mode = "k" })

local instance_of = instance.is_of

-- A nested create's link of an included hasOne / hasMany row to the row it belongs to: the
-- key's value, through no setter of the key (Sequelize's set(foreignKey, value, { raw: true })
-- there; a belongsTo's parent is linked by its set, the setter run), marked changed
local function set_key(inst, key, v) instance.methods.setDataValue(inst, key, v) end
-- the value that link takes: the parent's key as stored, through no getter (Sequelize's
-- this.get(sourceKey, { raw: true })), so a getter / setter pair on the keys stays symmetric
local function raw_key(inst, key) return instance.methods.getDataValue(inst, key) end

local build_tree

-- one included value built. A built instance of the target is taken as it is; a saved one
-- gives its values, built as a new row (Sequelize's _setInclude builds from its dataValues),
-- so it is inserted again and its key's UNIQUE constraint fails
local function build_child(a, v, node, bopts, bulk)
  if instance_of(v, a.target) then
    if rawget(v, "isNewRecord") then return v end
    v = v.dataValues
  end
  local only
  local allowed = value_attrs(node)
  if allowed then -- (the include's attributes: the values taken, as Sequelize's build)
    only = {}
    for name in pairs(allowed) do only[#only + 1] = name end
    if bulk then -- (bulkCreate's include has its key added to its attributes by then: Sequelize)
      for _, k in ipairs(a.target.primaryKeyAttributes) do
        if not allowed[k] then only[#only + 1] = k end
      end
    end
  end
  local t = build_tree(a.target, v, node.include or {}, nil, only, bopts, bulk)
  if not bulk and node.include and rawget(t, "isNewRecord") then
    -- (its own include kept, as a row built with include: its set(alias, values) builds that
    -- include's rows too, as Sequelize's child built with the include's include)
    rawset(t, -3, { include = node.include, tree = node.include })
  end
  if a.associationType == "BelongsToMany" then
    local jv = v[a.throughModel.name]
    if type(jv) == "table" then join_values[t] = jv end
    -- (bulkCreate's too: Sequelize's bulkCreate writes the join rows its build made)
    if type(jv) == "table" or jv == NULL then N.build_join(a, node, t, jv, bopts) end
  end
  return t
end

-- Sequelize's _setInclude: a value whose primary key is null gives no row (null for a
-- to-one, no rows for a to-many); an instance given is taken as it is
local function pk_null(T, v)
  local pk = T.primaryKeyAttribute
  return v == NULL or (pk ~= nil and type(v) == "table" and not instance_of(v, T) and rawequal(v[pk], NULL))
end
N.pk_null = pk_null

-- A join row built from the values given (attrs: the names taken, nil for all): null when
-- they are null or their key is
function N.join_row(TM, attrs, jv, bopts)
  if pk_null(TM, jv) then return NULL end
  if instance_of(jv, TM) then jv = jv.dataValues end
  if type(jv) ~= "table" then
    fail(errors.ValidationError, ("Invalid value for %s: expected a table of values, got %s")
      :format(TM.name, type(jv)), 4)
  end
  local own = jv
  if attrs then
    own = {}
    for _, f in ipairs(attrs) do
      if type(f) == "string" then own[f] = jv[f] end
    end
    for _, x in ipairs(TM._virtual_list or {}) do
      if jv[x.name] ~= nil then own[x.name] = jv[x.name] end
    end
  end
  return TM:build(own, bopts)
end

-- The join row an n:m target is given under its through model's name (Sequelize's pseudo
-- include of the through model): built as a row of the through model, new when the target
-- is, limited to the include's through.attributes (none with an empty list: then nothing is
-- set); null, or a value whose key is null, gives null. The target's shape lists it, and
-- keeps the attributes for its own set(throughName, ...).
function N.build_join(a, node, t, jv, bopts)
  local TM, name = a.throughModel, a.throughModel.name
  local th = type(node.through) == "table" and node.through or nil
  local attrs = th and type(th.attributes) == "table" and getmetatable(th.attributes) == nil
    and th.attributes or nil
  if attrs and attrs[1] == nil and (attrs.exclude ~= nil or attrs.include ~= nil) then attrs = nil end
  local sh = rawget(t, 0)
  if type(sh) ~= "table" then
    sh = { includes = {} }
    rawset(t, 0, sh)
  elseif type(sh.includes) ~= "table" then
    sh.includes = {}
  end
  sh.join = { attributes = attrs }
  if attrs and attrs[1] == nil then return end
  rawset(t, name, N.join_row(TM, attrs, jv, bopts))
  local found = false
  for _, k in ipairs(sh.includes) do if k == name then found = true end end
  if not found then sh.includes[#sh.includes + 1] = name end
end

-- The instance of the values (`existing`: the one already built) with its included values
-- built (a to-many alias holds a list; one object given for it is a list of one), and the
-- shape listing the aliases given, one-associations first, for toJSON. `only`: the
-- attributes the row takes (create's fields).
build_tree = function(M, values, tree, existing, only, bopts, bulk)
  local own = values
  if only then
    own = {}
    for _, f in ipairs(only) do own[f] = values[f] end
    -- (and the VIRTUAL attributes, always: Sequelize's set with `attributes` takes its
    -- _virtualAttributes too, as Model:create with fields does)
    for _, v in ipairs(M._virtual_list or {}) do
      if values[v.name] ~= nil then own[v.name] = values[v.name] end
    end
  end
  local inst = existing or M:build(own, bopts)
  local given = {} -- (the aliases set: an include with `attributes = {}` takes no value, as Sequelize's)
  for _, node in ipairs(tree) do
    local a = node.assoc
    local v = values[a.as]
    local allowed = value_attrs(node)
    if allowed and next(allowed) == nil then v = nil end
    if v ~= nil then given[a.as] = true end
    if v ~= nil and v ~= NULL then
      if type(v) ~= "table" then
        fail(errors.ValidationError, ("Invalid value for %s.%s: expected a table of values, got %s")
          :format(M.name, a.as, type(v)), 4)
      end
      if a.isMultiAssociation then
        if (v[1] == nil and next(v) ~= nil) or (getmetatable(v) and getmetatable(v).__M) then v = { v } end
        local count = 0
        for _ in pairs(v) do count = count + 1 end
        if count ~= #v then -- (a nil among the items: ipairs would stop at it and drop the rest)
          fail(errors.ValidationError, ("Invalid value for %s.%s: expected a list of tables, got a nil among them")
            :format(M.name, a.as), 4)
        end
        local list = setmetatable({}, core_array_mt)
        if pk_null(a.target, v[1]) then v = {} end -- (the first one's key null: none, Sequelize's [])
        for i, item in ipairs(v) do
          if type(item) ~= "table" then
            fail(errors.ValidationError, ("Invalid value for %s.%s: expected a list of tables, got a %s in it")
              :format(M.name, a.as, type(item)), 4)
          end
          if item[1] ~= nil and not instance_of(item, a.target) then
            fail(errors.ValidationError, ("Invalid value for %s.%s: expected a list of tables of values, got a list in it")
              :format(M.name, a.as), 4)
          end
          list[i] = build_child(a, item, node, bopts, bulk)
        end
        rawset(inst, a.as, list)
      else
        -- a list for a to-one association: its first item (Sequelize's _setInclude)
        if v[1] ~= nil and not instance_of(v, a.target) then
          v = v[1]
          if type(v) ~= "table" or (v[1] ~= nil and not instance_of(v, a.target)) then
            fail(errors.ValidationError, ("Invalid value for %s.%s: expected a table of values, got a list of %s")
              :format(M.name, a.as, type(v) == "table" and "lists" or type(v)), 4)
          end
        end
        -- (its key null: none, Sequelize's null)
        rawset(inst, a.as, pk_null(a.target, v) and NULL or build_child(a, v, node, bopts, bulk))
      end
    elseif v == NULL and a.isMultiAssociation then
      -- null for a to-many: no rows, an empty list (Sequelize 6.37.8 builds one target row
      -- of nothing from it; a list stays a list in toJSON)
      rawset(inst, a.as, setmetatable({}, core_array_mt))
    end
  end
  local keys = {}
  for pass = 1, 2 do
    for _, node in ipairs(tree) do
      if given[node.assoc.as] and (pass == 2) == (node.assoc.isMultiAssociation == true) then
        keys[#keys + 1] = node.assoc.as
      end
    end
  end
  if #keys > 0 then
    local sh = existing and rawget(inst, 0)
    if type(sh) == "table" and type(sh.includes) == "table" then -- (set() of one more alias: added)
      for _, k in ipairs(keys) do
        local found = false
        for _, x in ipairs(sh.includes) do if x == k then found = true end end
        if not found then sh.includes[#sh.includes + 1] = k end
      end
    else
      rawset(inst, 0, { includes = keys })
    end
  end
  return inst
end

-- The attributes a row built with include validates: all (or `fields`) but the keys of the
-- belongsTo parents given with it, still null until those are saved (Sequelize's validator
-- skips their notNull check)
local function validated_fields(M, inst, tree, fields)
  local skip
  for _, node in ipairs(tree) do
    local a = node.assoc
    if a.associationType == "BelongsTo" and rawget(inst, a.as) ~= nil and rawget(inst, a.as) ~= NULL then
      local v = rawget(inst, M._index[a.foreignKey])
      if v == nil or v == NULL then
        skip = skip or {}
        skip[a.foreignKey] = true
      end
    end
  end
  if not skip then return fields end
  return V.fields_without(M, fields, skip)
end

-- an n:m target's join row, under the through model's name, when the values gave it some
-- (Sequelize's nested create shows the join values given, and nothing for a target without)
local function attach_join(t, a, join)
  if join_values[t] == nil then return end
  rawset(t, a.throughModel.name, join)
  local shape = rawget(t, 0)
  if type(shape) == "table" and type(shape.includes) == "table" then
    for _, k in ipairs(shape.includes) do if k == a.throughModel.name then return end end
    shape.includes[#shape.includes + 1] = a.throughModel.name
  else rawset(t, 0, { includes = { a.throughModel.name } }) end
end

-- The join values of a target: its join row's (built from the values given, limited to the
-- include's through.attributes, set again by its set(throughName, ...)): the attributes
-- holding a value but the keys and timestamps (Sequelize's save with include: the through
-- model's attributes not _autoGenerated nor undefined); else the values given
local function given_join(a, t)
  local TM = a.throughModel
  local row = rawget(t, TM.name)
  if not instance_of(row, TM) then return join_values[t] end
  local o, skip = TM.options or {}, {}
  for _, k in ipairs({ o.createdAt, o.updatedAt, o.deletedAt }) do
    if type(k) == "string" then skip[k] = true end
  end
  local jv = {}
  for _, at in ipairs(TM._attrs) do
    local k = at.fieldName
    local v = rawget(row, TM._index[k])
    if v ~= nil and not skip[k] and k ~= a.foreignKey and k ~= a.otherKey then jv[k] = v end
  end
  for _, x in ipairs(TM._virtual_list or {}) do
    local v = row[x.name]
    if v ~= nil then jv[x.name] = v end
  end
  return jv
end

local function join_row_values(inst, a, t)
  local jv = {}
  for k, x in pairs(given_join(a, t) or {}) do jv[k] = x end
  jv[a.foreignKey] = raw_key(inst, a.sourceKey)
  jv[a.otherKey] = raw_key(t, a.targetKey)
  for k, x in pairs(a.throughScope or {}) do jv[k] = x end
  return jv
end

-- The options an include's rows are saved with: `sub` (the transaction, logging, ...) and
-- the include's own hooks / validate (Sequelize: the include's keys)
local function with_save(sub, node)
  if not node.save then return sub end
  return A.util.with(sub, node.save)
end

-- Save a row built by build_tree and what it includes. o: the row's options; its included
-- rows take the transaction and logging, and their include's hooks / validate.
local function save_tree(M, inst, tree, o)
  if not rawget(inst, "isNewRecord") then return instance.save_plain(inst, o) end
  local pending = rawget(inst, -3)
  rawset(inst, -3, nil) -- (an included row's include: saved with it now)
  local ro, hooked = instance.create_begin(inst, o, validated_fields(M, inst, tree, o.fields))
  -- (the included rows' hooks see the row they belong to as options.parentRecord: Sequelize)
  local sub = { transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters, parentRecord = inst }
  -- (fields empty after the hooks, time stamps and key added: no belongsTo row saved either,
  -- as Sequelize's `options.fields.length && ...`)
  local _, none = instance.writes_nothing(inst, M, ro)
  for _, node in ipairs(tree) do
    local a = node.assoc
    local parent = not none and a.associationType == "BelongsTo" and rawget(inst, a.as)
    if parent and parent ~= NULL then
      save_tree(a.target, parent, node.include or {}, with_save(sub, node))
      inst[a.foreignKey] = parent[a.targetKey] -- (through its setter: Sequelize's belongsTo set)
    end
  end
  if not instance.create_write(inst, ro) then
    -- (fields naming no column: nothing written, its included rows neither; it stays new,
    -- with its include, as Sequelize's save returns before the INSERT)
    rawset(inst, -3, pending)
    return inst
  end
  for _, node in ipairs(tree) do
    local a = node.assoc
    local kind = a.associationType
    local v = kind ~= "BelongsTo" and rawget(inst, a.as)
    if v and v ~= NULL then
      for _, c in ipairs(kind == "HasOne" and { v } or v) do
        if kind == "BelongsToMany" then
          save_tree(a.target, c, node.include or {}, with_save(sub, node))
          attach_join(c, a, Model.create(a.throughModel, join_row_values(inst, a, c), with_save(sub, node)))
        else
          set_key(c, a.foreignKey, raw_key(inst, a.sourceKey))
          for k, x in pairs(a.scope or {}) do c[k] = x end
          save_tree(a.target, c, node.include or {}, with_save(sub, node))
        end
      end
    end
  end
  instance.create_end(inst, ro, hooked)
  return inst
end

-- build(values, { include }): the included values built at once (Sequelize: `user.Posts[1]`
-- is a built instance before save); returns the include tree the save takes
-- (bopts: build's own options the included rows take too: isNewRecord = false, raw)
function N.build_with_include(M, values, include, inst, bopts)
  local tree = normalise(M, include, {})
  build_tree(M, values or {}, tree, inst, nil, bopts)
  return tree
end

-- set(alias, value) on an instance built with { include = ... } and not yet saved: the value
-- built as that include's rows (nested includes, attributes), as Sequelize's _setInclude does
-- for any alias of the include, so save() writes them. false when no include has that alias.
function N.set_built_include(M, inst, tree, key, value, raw)
  for _, node in ipairs(tree) do
    if node.assoc.as == key then
      if value == nil then value = NULL end -- (set(alias, nil): none, as Sequelize's null)
      -- (the rows built as the row is, new or not, and raw when the set is: Sequelize's childOptions)
      local existing = not rawget(inst, "isNewRecord")
      local bopts
      if existing or raw then
        bopts = { raw = raw or nil }
        if existing then bopts.isNewRecord = false end
      end
      build_tree(M, { [key] = value }, { node }, inst, nil, bopts)
      -- (null for a one-association: the row built before dropped, so save writes none)
      if value == NULL and not node.assoc.isMultiAssociation then rawset(inst, key, NULL) end
      return true
    end
  end
  return false
end

-- set(alias, value) on a row read with include: the value built as that include of the query
-- (`include`, the finder's, kept on the rows' shape) builds its rows: limited to its
-- attributes, with its own nested includes (Sequelize's _setInclude builds the children with
-- the include's include and originalAttributes). The normalised tree is kept on `holder`.
-- false when the query had no include of that alias.
function N.set_read_include(M, inst, holder, key, value, raw)
  local tree = holder.tree
  if tree == nil then
    local ok, t = pcall(normalise, M, holder.include, {})
    tree = ok and type(t) == "table" and t or false
    holder.tree = tree
  end
  if not tree then return false end
  for _, node in ipairs(tree) do
    if node.assoc.as == key then
      N.set_built_include(M, inst, tree, key, value, raw)
      -- (the rows built: their own set(alias) builds that include's include in turn)
      local v = rawget(inst, key)
      if node.include and type(v) == "table" and v ~= NULL then
        for _, c in ipairs(node.assoc.isMultiAssociation and v or { v }) do
          local sh = rawget(c, 0)
          if type(sh) ~= "table" then
            sh = { includes = {} }
            rawset(c, 0, sh)
          end
          sh.set_tree = { tree = node.include }
        end
      end
      return true
    end
  end
  return false
end

-- The raw slots of a row and of the rows included in it, as save_tree reaches them (the
-- tables among its own slots, its change tracking, copied): by row
local function tree_slots(inst, tree, out)
  if out[inst] then return out end
  local s = {}
  for k, v in next, inst do
    if type(k) == "number" and k < 0 and type(v) == "table" then
      local c = {}
      for x, y in next, v do c[x] = y end
      v = setmetatable(c, getmetatable(v))
    end
    s[k] = v
  end
  out[inst] = s
  for _, node in ipairs(tree) do
    local a = node.assoc
    local v = rawget(inst, a.as)
    if type(v) == "table" and v ~= NULL then
      for _, c in ipairs(a.isMultiAssociation and v or { v }) do
        if type(c) == "table" then tree_slots(c, node.include or {}, out) end
      end
    end
  end
  return out
end

local function put_back_slots(saved)
  for inst, s in pairs(saved) do
    for k in next, inst do
      if s[k] == nil then rawset(inst, k, nil) end
    end
    for k, v in pairs(s) do rawset(inst, k, v) end
  end
end

-- The rows written, and the included rows, in one transaction (or savepoint)
local function create_tree(M, inst, tree, opts)
  return M.sequelize:_atomic({ transaction = opts.transaction, logging = opts.logging, logQueryParameters = opts.logQueryParameters }, function(t)
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.include = nil
    o.transaction = t
    local saved = save_tree(M, inst, tree, o)
    -- reload() reads with the include it was created with (Sequelize's _options.include)
    if opts.include ~= nil then
      local sh = rawget(saved, 0)
      if type(sh) ~= "table" then -- (none of the include's aliases given: a shape of its own)
        sh = { includes = {} }
        rawset(saved, 0, sh)
      end
      sh.reload = { include = opts.include }
    end
    return saved
  end)
end

-- tree: given when `existing` was built with its included rows (build with include): they
-- are saved as they are now
function N.create_with_include(M, values, opts, existing, tree)
  local inst = existing
  if not tree then
    tree = normalise(M, opts.include, {})
    -- (Sequelize's create builds with `attributes: fields`: only those values are taken)
    inst = build_tree(M, values, tree, existing, not existing and opts.fields or nil)
  end
  if not existing then return create_tree(M, inst, tree, opts) end
  -- a built row the caller holds: when its save fails, what the save wrote is rolled back
  -- (its transaction, or savepoint), so the rows are put back as they were, new and without
  -- the keys their INSERTs gave them, and a save again writes them all (was: the row read as
  -- saved, and a save again an UPDATE of no row)
  local before = tree_slots(inst, tree, {})
  local ok, res = pcall(create_tree, M, inst, tree, opts)
  if not ok then
    put_back_slots(before)
    error(res, 0)
  end
  return res
end

-- ---------------------------------------------------------------------------
-- bulkCreate with include, as Sequelize's (its recursive bulkCreate): every level is a
-- bulkCreate of its model, with its hooks: beforeBulkCreate (the level's instances,
-- options), the belongsTo levels (their keys set on the rows), the one INSERT of the
-- level's rows, the hasOne/hasMany levels (keys and association scope set) and the n:m
-- target levels each followed by its through model's level (the join rows), then
-- afterBulkCreate. The included levels run no row hooks and get the caller's transaction
-- and logging, and their include's own hooks / validate (no validation unless that says so;
-- Sequelize gives them the include's keys as options).
-- Sequelize runs the levels of one step as concurrent promises over SQLite's one
-- connection: each runs up to its INSERT, and the statements and what follows each go in
-- the order they were issued. Here `q` is that queue, so the hooks run in the same order.
-- With individualHooks the rows are saved one by one with their included rows (row hooks
-- for all); Sequelize then bulk-creates the hasOne/hasMany/n:m rows a second time and
-- fails on their keys, which is not followed.

local function statement_queue()
  local list, head = {}, 1
  local q = {}
  function q.later(fn) list[#list + 1] = fn end
  function q.run()
    while list[head] do
      local fn = list[head]
      list[head] = false
      head = head + 1
      fn()
    end
  end
  return q
end

-- run each task(k) (k: called when it is finished), then done() once all are
local function all(tasks, done)
  local left = #tasks
  if left == 0 then return done() end
  local function one()
    left = left - 1
    if left == 0 then done() end
  end
  for i = 1, #tasks do tasks[i](one) end
end

local bulk_level

-- A level's writes: its belongsTo levels, its INSERT, the levels below it; then done().
-- t: the transaction the statements run in (o.transaction is what the hooks see).
local function bulk_write(q, M, insts, tree, o, t, done)
  local sub = { transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }
  local parents = {}
  for _, node in ipairs(tree) do
    local a = node.assoc
    if a.associationType == "BelongsTo" then
      local list, owners = {}, {}
      for _, inst in ipairs(insts) do
        local p = rawget(inst, a.as)
        if p then list[#list + 1] = p; owners[#owners + 1] = inst end
      end
      if #list > 0 then
        parents[#parents + 1] = function(k)
          bulk_level(q, a.target, list, node.include or {}, with_save(sub, node), t, function()
            for i, p in ipairs(list) do owners[i][a.foreignKey] = p[a.targetKey] end
            k()
          end)
        end
      end
    end
  end
  all(parents, function()
    q.later(function()
      local so = {}
      for k, v in pairs(o) do so[k] = v end
      so.include, so.transaction = nil, t
      core.bulk_insert(M._box, insts, so)
      local children = {}
      for _, node in ipairs(tree) do
        local a = node.assoc
        local kind = a.associationType
        if kind ~= "BelongsTo" then
          local list, owners = {}, {}
          for _, inst in ipairs(insts) do
            local v = rawget(inst, a.as)
            for _, c in ipairs(v == nil and {} or kind == "HasOne" and { v } or v) do
              if kind ~= "BelongsToMany" then
                set_key(c, a.foreignKey, raw_key(inst, a.sourceKey))
                for key, x in pairs(a.scope or {}) do c[key] = x end
              end
              list[#list + 1] = c
              owners[#owners + 1] = inst
            end
          end
          if #list > 0 then
            children[#children + 1] = function(k)
              bulk_level(q, a.target, list, node.include or {}, with_save(sub, node), t, function()
                if kind ~= "BelongsToMany" then return k() end
                local joins = setmetatable({}, core_array_mt)
                for i, c in ipairs(list) do joins[i] = a.throughModel:build(join_row_values(owners[i], a, c)) end
                bulk_level(q, a.throughModel, joins, {}, with_save({ transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }, node), t, function()
                  for i, c in ipairs(list) do attach_join(c, a, joins[i]) end
                  k()
                end)
              end)
            end
          end
        end
      end
      all(children, done)
    end)
  end)
end

-- beforeBulkCreate and validate = true (the validation hooks with individualHooks);
-- returns whether the level's hooks run, and the fields its bulk hooks see (Sequelize: every
-- attribute when none were given; a hook may change them). o.fields is left nil for the
-- write when the hooks kept that default list.
local function bulk_begin(M, insts, tree, o)
  local hooked = o.hooks ~= false and H.hooked(M)
  local all
  if hooked and o.fields == nil then
    all = instance.all_fields(M)
    o.fields = all
  end
  if hooked then H.run(M, "beforeBulkCreate", insts, o) end
  local chosen = o.fields
  if instance.untouched_fields(M, chosen, all) then o.fields = nil end
  if o.validate then
    local vo = {}
    for k, v in pairs(o) do vo[k] = v end
    vo.hooks = o.individualHooks == true
    Model._validate_rows(M, insts, function(inst) return validated_fields(M, inst, tree, o.fields) end, vo)
  end
  return hooked, chosen
end

bulk_level = function(q, M, insts, tree, o, t, done)
  local own = {} -- (the level's own options: its fields are its model's)
  for k, v in pairs(o) do own[k] = v end
  o = own
  local hooked, fields = bulk_begin(M, insts, tree, o)
  bulk_write(q, M, insts, tree, o, t, function()
    o.fields = fields
    if hooked then H.run(M, "afterBulkCreate", insts, o) end
    done()
  end)
end

-- The top level: its bulk hooks run outside the transaction the rows are written in, as
-- a bulkCreate's without include
function N.bulk_create_with_include(M, list, opts)
  local tree = normalise(M, opts.include, {})
  local insts = setmetatable({}, core_array_mt)
  for i, values in ipairs(list) do
    if type(values) ~= "table" then fail(errors.Error, ("%s.bulkCreate: item %d is not a table"):format(M.name, i), 3) end
    insts[i] = build_tree(M, values, tree, nil, nil, nil, true)
  end
  if #insts == 0 then return insts end -- (Sequelize: no hooks either)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  local hooked, fields = bulk_begin(M, insts, tree, o)
  M.sequelize:_atomic({ transaction = o.transaction, logging = o.logging, logQueryParameters = o.logQueryParameters }, function(t)
    if o.individualHooks then
      local so = { transaction = t, logging = o.logging, logQueryParameters = o.logQueryParameters, validate = false, silent = o.silent }
      for _, inst in ipairs(insts) do save_tree(M, inst, tree, so) end
      return
    end
    local q = statement_queue()
    bulk_write(q, M, insts, tree, o, t, function() end)
    q.run()
  end)
  o.fields = fields
  if hooked then H.run(M, "afterBulkCreate", insts, o) end
  return insts
end

Model._create_with_include = N.create_with_include
Model._build_with_include = N.build_with_include
Model._set_built_include = N.set_built_include
Model._set_read_include = N.set_read_include
Model._join_row = N.join_row
Model._pk_null = N.pk_null
Model._bulk_create_with_include = N.bulk_create_with_include

return N
