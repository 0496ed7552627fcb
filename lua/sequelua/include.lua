-- include.lua: the `include` option of finders, count and nested create, normalised into the
-- canonical tree the C core joins on (every accepted form: a model, an association, an
-- alias, { model, as, where, required, attributes, through, separate, include = ... },
-- { all = true }); the includes the finders' hooks see; and the `separate` includes, read
-- by queries of their own and attached to their parents.
local core = require("sequelua.core")
local errors = require("sequelua.errors")
local Model = require("sequelua.model")
local Op = require("sequelua.op")
local Paranoid = require("sequelua.paranoid")
local core_array_mt = require("sequelua.expr").array_mt
local A = require("sequelua.association")

local NULL = core.null
local unpack_list = table.unpack or unpack
local U = A.util
local fail, is_model, base, merge_where = U.fail, U.is_model, U.base, U.merge_where
local scoped, through_scoped, Association = U.scoped, U.through_scoped, U.Association
local I = {}

-- ---------------------------------------------------------------------------
-- include normalisation: every accepted form -> { as = ..., attributes, where, required,
-- include = {...}, through = {...}, separate, order, limit }

local function alias_list(list)
  local t = {}
  for i, a in ipairs(list) do t[i] = a.as end
  return table.concat(t, ", ")
end

local function by_target(M, target)
  local found, seen = {}, {}
  target = base(target)
  for _, a in ipairs(M._assoc_list or {}) do
    -- (the one answering to the name, not one it superseded, the same association defined
    -- again without alias; in the superseded one's place, as Sequelize's
    -- Object.values(associations) keeps a key's first place: which include { M } names)
    local cur = M.associations[a.as]
    if cur and cur.target == target and not seen[cur] then
      seen[cur] = true
      found[#found + 1] = cur
    end
  end
  return found
end

-- Sequelize's verifyAssociationAlias: an include's `as` is the alias, or `{ singular = ... }`
-- (hasOne, belongsTo) / `{ plural = ... }` (hasMany, belongsToMany), that name missing: the
-- association not aliased
local function alias_matches(a, as)
  if type(as) == "table" and getmetatable(as) == nil then
    local name = as[a.isMultiAssociation and "plural" or "singular"]
    if name == nil or name == "" then return not a.isAliased end
    return a.as == name
  end
  return a.as == as
end

local function alias_text(as)
  if type(as) == "table" and getmetatable(as) == nil then
    return ("{ singular = %s, plural = %s }"):format(tostring(as.singular), tostring(as.plural))
  end
  return tostring(as)
end

local function resolve(M, item, as)
  if type(item) == "string" then
    local a = M.associations[item]
    if not a then fail(errors.Error, ('Association with alias "%s" does not exist on %s'):format(item, M.name), 5) end
    return a
  end
  if getmetatable(item) == Association then
    if item.source ~= M then
      fail(errors.EagerLoadingError, ("%s is not associated to %s!"):format(item.target.name, M.name), 5)
    end
    return item
  end
  if is_model(item) then
    local list = by_target(M, item)
    if #list == 0 then
      fail(errors.EagerLoadingError, ("%s is not associated to %s!"):format(item.name, M.name), 5)
    end
    if as then
      for _, a in ipairs(list) do if alias_matches(a, as) then return a end end
      if #list > 1 then
        fail(errors.EagerLoadingError, ("%s is associated to %s multiple times. To identify the correct association, you must use the 'as' keyword to specify the alias of the association you want to include.")
          :format(item.name, M.name), 5)
      end
      fail(errors.EagerLoadingError, ("%s is associated to %s using an alias. You've included an alias (%s), but it does not match the alias(es) defined in your association (%s).")
        :format(item.name, M.name, alias_text(as), alias_list(list)), 5)
    end
    -- (several not aliased, as Person:hasMany(Person) and Person:belongsTo(Person): the first
    -- made, as Sequelize's getAssociationForAlias finds it)
    for _, a in ipairs(list) do if not a.isAliased then return a end end
    if #list == 1 then
      fail(errors.EagerLoadingError, ("%s is associated to %s using an alias. You must use the 'as' keyword to specify the alias within your include statement.")
        :format(item.name, M.name), 5)
    end
    fail(errors.EagerLoadingError, ("%s is associated to %s multiple times. To identify the correct association, you must use the 'as' keyword to specify the alias of the association you want to include.")
      :format(item.name, M.name), 5)
  end
  fail(errors.Error, "Include unexpected. Element has to be either a Model, an Association or an object.", 5)
end

local INCLUDE_OPTS = { model = true, as = true, association = true, attributes = true, where = true, required = true,
                       include = true, through = true, separate = true, order = true, limit = true, all = true,
                       nested = true, right = true, duplicating = true, paranoid = true, assoc = true, on = true,
                       ["or"] = true,
                       offset = true,
                       -- (a separate include's own query groups by them, as Sequelize's findAll
                       -- of it does; a joined include ignores them, as Sequelize does)
                       group = true, having = true,
                       -- (a nested create's save options for the included rows, Sequelize's; a
                       -- finder ignores them)
                       hooks = true, validate = true, fields = true,
                       -- (taken and ignored, as Sequelize ignores them on an include; the plan of
                       -- the query is the finder's, whatever subQuery says)
                       transaction = true, logging = true, subQuery = true }

local INCLUDE_FLAGS = { "required", "separate", "duplicating", "right", "nested", "or" }

local is_separate = Paranoid.is_separate -- (an include read by queries of its own)
local NULL_FALSE = {} -- (Sequelize.null for one of these is false, as JavaScript's null)
for _, k in ipairs(INCLUDE_FLAGS) do NULL_FALSE[k] = true end

local normalise

-- An include table's keys: one Sequelize does not know raises naming it (Sequelize ignores
-- it: a misspelt `whre` would read every row)
local function check_include_keys(M, item, level)
  -- (`as` alone names nothing: Sequelize's _conformInclude wants a model, an association or all)
  if item.model == nil and item.association == nil and not item.all and item.assoc == nil then
    fail(errors.Error, "Include unexpected. Element has to be either a Model, an Association or an object.", level)
  end
  for k in pairs(item.assoc == nil and item or {}) do -- (a normalised node's keys are ours)
    if not INCLUDE_OPTS[k] then
      fail(errors.Error, ("include on %s: unknown option '%s' (an include takes model, as, association, attributes, "
        .. "where, required, include, through, separate, order, limit, offset, group, having, all, nested, right, duplicating, "
        .. "paranoid, on, or)")
        :format(M.name, tostring(k)), level)
    end
  end
  if item.attributes ~= nil and type(item.attributes) ~= "table" then
    fail(errors.Error, ("include on %s: attributes must be a list or { include, exclude }, got %s")
      :format(M.name, type(item.attributes)), level)
  end
  -- (a flag that is no boolean: `required = 0` is false in JavaScript, true in Lua; refused
  -- rather than read either way)
  for _, k in ipairs(INCLUDE_FLAGS) do
    if item[k] ~= nil and type(item[k]) ~= "boolean" then
      local what = (item.as ~= nil and alias_text(item.as)) or (type(item.association) == "string" and item.association)
        or (is_model(item.model) and item.model.name) or (getmetatable(item.association) == Association and item.association.as)
      fail(errors.Error, ("include%s on %s: %s must be a boolean, got %s")
        :format(what and (" " .. tostring(what)) or "", M.name, k, type(item[k])), level)
    end
  end
end

local ALL_KINDS = {
  All = { HasOne = true, BelongsTo = true, HasMany = true, BelongsToMany = true },
  BelongsTo = { BelongsTo = true }, HasOne = { HasOne = true }, HasMany = { HasMany = true },
  One = { HasOne = true, BelongsTo = true }, Has = { HasOne = true, HasMany = true },
  Many = { HasMany = true }, -- (Sequelize 6: no BelongsToMany but in All)
}

-- { all = true | kind [, nested = true] }: Sequelize's _expandIncludeAllElement. Each
-- association (of that kind) is added to `includes` (the level's include nodes, the
-- explicit ones too) unless one there has its target (and its `as`, when the association
-- was given one); when nested, a target among the models on the path (`used`) is skipped.
local normalise_item, value_attrs

-- The kinds an { all = ... } item names (Sequelize's message for an unknown one)
local function bad_kind(k, level)
  fail(errors.EagerLoadingError, ("include all '%s' is not valid - must be BelongsTo, HasOne, HasMany, One, Has, Many or All")
    :format(tostring(k)), level + 1)
end

-- (a list of kinds too, `{ "BelongsTo", "Many" }`: their union; "All" in it is every kind and
-- ends the list, as Sequelize reads it)
local function all_kinds(item, level)
  local all = item.all
  if type(all) == "table" and getmetatable(all) == nil then
    local kinds = {}
    for _, k in ipairs(all) do
      if k == "All" then return ALL_KINDS.All end
      local ks = type(k) == "string" and ALL_KINDS[k] or nil
      if not ks then bad_kind(k, level + 1) end
      for t in pairs(ks) do kinds[t] = true end
    end
    return kinds
  end
  local kinds = ALL_KINDS[all == true and "All" or all]
  if not kinds then bad_kind(all, level + 1) end
  return kinds
end

-- The walk of _expandIncludeAllElement, shared by the finder's normalise and the includes the
-- find hooks see: each association of M of those kinds that no include of `includes` has
-- (present(n, a, as)) gets make(M, a, as, opts), opts a copy of the item's other options
-- (required, attributes, where, ...), appended; nested, the targets' own below it.
local function walk_all(M, item, kinds, includes, used, present, make)
  for _, a in ipairs(M._assoc_list or {}) do
    local skip = not kinds[a.associationType]
    local as = a.options and a.options.as ~= nil and a.options.as ~= "" and a.as or nil
    for _, n in ipairs(skip and {} or includes) do
      if present(n, a, as) then skip = true; break end
    end
    if not skip and item.nested then
      for _, u in ipairs(used) do if u == a.target then skip = true; break end end
    end
    if not skip then
      used[#used + 1] = M
      local opt = {}
      for k, x in pairs(item) do -- (its include too: Sequelize clones the whole item)
        if k ~= "all" and k ~= "nested" then opt[k] = x end
      end
      local node = make(M, a, as, opt)
      includes[#includes + 1] = node
      if item.nested then -- (the target's own after the item's include list, as Sequelize appends them)
        local kids = node.include or {}
        walk_all(a.target, item, kinds, kids, used, present, make)
        node.include = #kids > 0 and kids or nil
      end
    end
  end
  used[#used] = nil -- (Sequelize pushes the model per association added, pops once per level)
  return includes
end

local function expand_all(M, item, includes, used, seen)
  -- each added include normalised as a named one is (the association's scope, through scope
  -- and the target's model scope)
  return walk_all(M, item, all_kinds(item, 6), includes, used,
    function(n, a, as) return n.assoc.target == a.target and (as == nil or n.as == as) end,
    function(P, a, _, opt)
      opt.association = a
      return normalise_item(P, opt, seen)[1]
    end)
end

-- The attributes an include's own `attributes` lets a nested create take from its values
-- (Sequelize's _setInclude builds the included rows with `attributes: include.originalAttributes`,
-- so they act as the include's `fields`): the names listed (an { expr, "alias" } pair: its alias),
-- or every attribute but those excluded plus those added for { exclude, include }, and the
-- fields a listed VIRTUAL reads; a set name -> true (kept on the node), nil without attributes
value_attrs = function(node)
  if node.value_set ~= nil then return node.value_set or nil end
  local T, own = node.assoc.target, node.value_own
  if type(own) ~= "table" or (getmetatable(own) ~= nil and getmetatable(own) ~= core_array_mt) then
    node.value_set = false
    return nil
  end
  local set = {}
  local function add(list)
    for _, x in ipairs(type(list) == "table" and list or {}) do
      if type(x) == "string" then set[x] = true
      elseif type(x) == "table" and type(x[2]) == "string" then set[x[2]] = true end
    end
  end
  if own[1] == nil and (own.exclude ~= nil or own.include ~= nil) then
    local ex = {}
    for _, x in ipairs(type(own.exclude) == "table" and own.exclude or {}) do ex[x] = true end
    for name in pairs(T.rawAttributes) do if not ex[name] then set[name] = true end end
    add(own.include)
  else
    add(own)
  end
  for name in pairs(set) do
    local v = T._virtuals and T._virtuals[name]
    for _, f in ipairs(v and v.fields or {}) do set[f] = true end
  end
  node.value_set = set
  return set
end

normalise_item = function(M, item, seen)
  local a
  local node = {}
  if is_model(item) and rawget(item, "_base") then item = { model = item } end -- a scoped model
  -- (its Sequelize.null options were read as not given by normalise, Model._no_nulls)
  if type(item) == "table" and not is_model(item) and getmetatable(item) ~= Association then
    check_include_keys(M, item, 5)
    if item.all then -- (normalise expands these after the level's other includes)
      return expand_all(M, item, {}, {}, seen)
    end
    if item.assoc ~= nil then
      a = item.assoc           -- already normalised (a separate include's nested tree)
    elseif item.association ~= nil then
      a = resolve(M, item.association)
      if item.model ~= nil and base(item.model) ~= a.target then -- (Sequelize fails in SQL then)
        fail(errors.EagerLoadingError, ("include on %s: association %s targets %s, not the model given with it")
          :format(M.name, a.as, a.target.name), 4)
      end
    elseif item.model ~= nil then
      a = resolve(M, item.model, item.as)
    else -- (check_include_keys refused the rest)
      fail(errors.Error, ("include on %s: an include needs a model or an association"):format(M.name), 4)
    end
    local own = item.attributes
    if item.assoc ~= nil then -- (a node normalised already, a separate include's child: its marks kept)
      node.own_attrs, node.hide, node.scope_attrs = item.own_attrs, item.hide, item.scope_attrs
      node.value_own = item.value_own
    else
      node.own_attrs = own ~= nil or nil -- (an n:m object's keys then put its join row last: Sequelize)
      node.value_own = own -- (a nested create's whitelist, read by value_attrs when it builds)
    end
    if Model._include_scope and item.assoc == nil then item = Model._include_scope(item, a) end -- its model scope (scope.lua)
    node.attributes, node.vshow = Model.unvirtual_attributes(a.target, item.attributes) -- (VIRTUAL names: their fields)
    if item.attributes ~= own and type(own) == "table" and getmetatable(own) == nil
       and (own[1] ~= nil or next(own) == nil) and type(item.attributes) == "table" then
      -- the names the model scope's attributes added to the include's own list: selected (raw
      -- rows show them), not shown, as Sequelize builds the rows from the own list
      local mine, hide = {}, nil
      for _, x in ipairs(own) do if type(x) == "string" then mine[x] = true end end
      for _, x in ipairs(item.attributes) do
        if type(x) == "string" and not mine[x] then
          hide = hide or {}
          hide[x] = true
        end
      end
      node.hide = hide
    elseif own == nil and item.attributes ~= nil then
      node.scope_attrs = true -- (the list is the model scope's: a separate include shows the key it adds)
    end
    node.where = scoped(a, item.where)
    if item.required ~= nil then node.required = item.required
    else node.required = item.where ~= nil end
    node.through = Model._no_nulls(item.through)
    if item.through ~= nil and a.associationType ~= "BelongsToMany" then
      if not (type(item.through) == "table" and item.through._any) then
        fail(errors.Error, ("include on %s: through is for a belongsToMany include, and %s is a %s")
          :format(M.name, a.as, a.associationType), 4)
      end
      node.through = nil
    end
    local tas
    if type(node.through) == "table" then tas = node.through.as end
    if tas ~= nil and (type(tas) ~= "string" or tas == "" or tas:find(".", 1, true)) then
      -- (checked here too for a separate include, which the C include parser never sees)
      fail(errors.Error, ("include on %s: %s's through.as must be a name (a string without '.'), got %s")
        :format(M.name, a.as, type(tas) == "string" and ('"' .. tas .. '"') or type(tas)), 4)
    end
    if tas ~= nil and a.target._index[tas] then
      -- (the join row would hide the attribute, and toJSON write the key twice; Sequelize
      -- overflows its stack building such a row)
      fail(errors.Error, ("include on %s: %s's through.as %q names an attribute of %s")
        :format(M.name, a.as, tas, a.target.name), 4)
    end
    local TM = node.through and a.through and a.through.model
    if TM and TM._virtuals and type(node.through) == "table" and type(node.through.attributes) == "table" then
      -- VIRTUAL names of the through model: their fields selected (Sequelize; the join row shows them)
      local th = {}
      for k, x in pairs(node.through) do th[k] = x end
      th.attributes, th.vshow = Model.unvirtual_attributes(TM, node.through.attributes)
      node.through = th
    end
    if a.throughScope and item.assoc == nil then -- (Sequelize: {[Op.and]: [through.where, through.scope]} in the join)
      local th = {}
      for k, x in pairs(type(node.through) == "table" and node.through or {}) do th[k] = x end
      th.where = through_scoped(a, item.through and item.through.where)
      node.through = th
    end
    node.separate = item.separate
    if item.on ~= nil then -- the join condition instead of the keys' (Sequelize's include.on)
      if a.associationType == "BelongsToMany" or is_separate(item) then
        fail(errors.EagerLoadingError, ("include %s of %s: `on` is for a joined one-to-one or one-to-many include")
          :format(a.as, M.name), 4)
      end
      if type(item.on) ~= "table" then
        fail(errors.EagerLoadingError, ("include %s of %s: `on` must be a where (a table), got %s")
          :format(a.as, M.name, type(item.on)), 4)
      end
      node.on = item.on
    end
    if item["or"] then -- the where ORed with the join condition (Sequelize's include.or)
      if a.associationType == "BelongsToMany" or is_separate(item) then
        fail(errors.EagerLoadingError, ("include %s of %s: `or` is for a joined one-to-one or one-to-many include")
          :format(a.as, M.name), 4)
      end
      node["or"] = true
    end
    node.duplicating = item.duplicating -- (false: no duplicating include pages by LIMIT on the joined rows)
    if item.limit ~= nil and (type(item.limit) ~= "number" or item.limit ~= item.limit) then
      fail(errors.Error, ("include %s of %s: limit must be a number, got %s"):format(a.as, M.name, type(item.limit)), 4)
    end
    node.limit = is_separate(item) and item.limit or nil -- (a joined include's limit is unused, as in Sequelize)
    if item.offset ~= nil and (type(item.offset) ~= "number" or item.offset ~= item.offset or item.offset < 0) then
      fail(errors.Error, ("include %s of %s: offset must be a non-negative number, got %s")
        :format(a.as, M.name, tostring(item.offset)), 4)
    end
    -- (a separate include's: skipped per parent, as Sequelize; a joined include ignores it)
    node.offset = item.offset and math.floor(item.offset)
    node.order = item.order
    if is_separate(item) then node.group, node.having = item.group, item.having end
    if item.hooks ~= nil or item.validate ~= nil or item.fields ~= nil then
      -- the included rows' own save options in a create / bulkCreate with include (Sequelize
      -- saves them with the include's keys as options)
      for _, k in ipairs({ "hooks", "validate" }) do
        if item[k] ~= nil and type(item[k]) ~= "boolean" then
          fail(errors.Error, ("include %s of %s: %s must be a boolean, got %s"):format(a.as, M.name, k, type(item[k])), 4)
        end
      end
      -- (fields: the included rows' INSERT whitelist, as Sequelize's save / bulkCreate of
      -- them takes it; a list of names)
      if item.fields ~= nil and type(item.fields) ~= "table" then
        fail(errors.Error, ("include %s of %s: fields must be a list of attribute names, got %s")
          :format(a.as, M.name, type(item.fields)), 4)
      end
      node.save = { hooks = item.hooks, validate = item.validate, fields = item.fields }
    end
    if item.include ~= nil then
      local d = seen._depth
      node.include = normalise(a.target, item.include, seen, d)
      seen._depth = d
    end
    Paranoid.include(node, a, item)
  else
    a = resolve(M, item)
    local ts = (a.target_view or a.target)._scope
    if ts ~= nil and next(ts) ~= nil then return normalise_item(M, { association = a }, seen) end -- its scope
    node.where = scoped(a, nil)
    if a.throughScope then node.through = { where = through_scoped(a, nil) } end
    Paranoid.include(node, a, nil)
  end
  node.as = a.as
  node.assoc = a
  return { node }
end

-- Includes of one association at one level are one. The caller's includes are merged before
-- they are normalised, as Sequelize's _uniqIncludes merges them before the scope, the
-- association's scope and paranoid's condition are added (normalise: Model._uniq_includes);
-- what is left for this merge of normalised nodes (the second return true when it merged any)
-- are those Sequelize keeps apart, by model and alias as written (`{ model = P }` beside
-- `{ association = "Posts" }`): it joins both and fails in SQL ("ambiguous column name"), this
-- merges them, the later one's options winning, wheres joined with AND (each carries its
-- scope and paranoid condition by now) and lists (includes, attributes) joined
local function merge_nodes(list)
  local out, by, dup = {}, {}, false
  for _, n in ipairs(list) do
    local prev = by[n.assoc]
    if not prev then
      by[n.assoc] = n
      out[#out + 1] = n
    else
      dup = true
      for k, v in pairs(n) do
        local pv = prev[k]
        if k == "where" and pv ~= nil and pv ~= v then
          prev[k] = { [Op["and"]] = { pv, v } }
        elseif k == "include" and pv ~= nil then
          local all = {}
          for _, x in ipairs(pv) do all[#all + 1] = x end
          for _, x in ipairs(v) do all[#all + 1] = x end
          prev[k] = (merge_nodes(all))
        elseif k == "attributes" and type(pv) == "table" and pv[1] ~= nil and type(v) == "table" and v[1] ~= nil then
          prev[k] = Model._union(pv, v) -- (scope.lua)
        else
          prev[k] = v
        end
      end
    end
  end
  return out, dup
end

normalise = function(M, include, seen, depth, merged)
  if include == nil or include == NULL then return nil end
  M = base(M)
  depth = (depth or 0) + 1
  if depth > 32 then fail(errors.Error, ("include on %s: nested deeper than 32 levels (or cyclic)"):format(M.name), 4) end
  local list = {}
  local items = include
  -- (a Model.schema copy as an include's model: its table is not joined yet, and the model's
  -- would be read in its place)
  for _, x in ipairs(type(include) == "table" and not is_model(include) and include[1] ~= nil and include or { include }) do
    local xm = type(x) == "table" and (is_model(x) and x or (getmetatable(x) == nil and x.model)) or nil
    if type(xm) == "table" and Model._schema_copy(xm) then
      fail(errors.Error, ("include on %s: %s (a Model.schema copy, table %s) cannot be included yet: include the model "
        .. "itself, or query the copy and read its rows' associations with their getters"):format(M.name, xm.name,
        xm.tableName), 4)
    end
  end
  if type(include) ~= "table" or is_model(include) or getmetatable(include) == Association or include.model
     or include.association or include.as or include.all or include.assoc then
    items = { include }
  elseif next(include) ~= nil and include[1] == nil then
    fail(errors.Error, "Include unexpected. Element has to be either a Model, an Association or an object.", 3)
  else
    -- (a nil among the items: ipairs would stop at it and drop the rest)
    local n = 0
    for _ in pairs(include) do n = n + 1 end
    if n ~= #include then
      fail(errors.Error, ("Invalid include on %s: expected a list 1..n, got a table with a nil among its items or "
        .. "other keys"):format(M.name), 3)
    end
  end
  -- (the finder's model's whereMergeStrategy merges the includes at every level: Sequelize's
  -- _uniqIncludes merges with its _mergeFunction)
  if depth == 1 and seen._and_where == nil then seen._and_where = M.options.whereMergeStrategy == "and" end
  seen._depth = depth
  local alls
  for _, item in ipairs(items) do
    item = Model._no_nulls(item, NULL_FALSE) -- (a Sequelize.null option is one not given, as Sequelize's null)
    item = Model._attr_lists(item) -- (`attributes = { exclude = "email" }`: a one-name list)
    if type(item) == "table" and not is_model(item) and getmetatable(item) ~= Association and item.all then
      alls = alls or {}
      alls[#alls + 1] = item
    else
      for _, n in ipairs(normalise_item(M, item, seen)) do list[#list + 1] = n end
    end
  end
  for _, item in ipairs(alls or {}) do
    -- (as Sequelize: the `all` items expanded last, against the level's other includes)
    check_include_keys(M, item, 4)
    expand_all(M, item, list, {}, seen)
  end
  local out, dup = merge_nodes(list)
  if dup and not merged then
    -- an association included twice: normalised again from the includes merged as Sequelize's
    -- _uniqIncludes merges them (scope.lua), by model and alias, the later one's options
    -- winning, wheres key by key (whereMergeStrategy "and": joined with AND), lists joined, at
    -- every level below; the target's scope and paranoid's condition then added to the merged
    -- where, as Sequelize adds them after (a no-op beforeFind hook's path, which merged them
    -- before the hook, gives the same). A model given without its alias takes it first (as the
    -- hooks' path has it by then): Sequelize keeps `{ model = P }` and `{ association = "Posts" }`
    -- apart and fails in SQL, this merges them.
    local items2 = Model._conform_includes(M, include, true)
    for _, x in ipairs(items2) do
      if type(x) == "table" and getmetatable(x) == nil and x.as == nil and x.association == nil
         and x.assoc == nil and is_model(x.model) then
        local ok, a = pcall(resolve, M, x.model)
        if ok then x.as = a.as end
      end
    end
    out = normalise(M, Model._uniq_includes(items2, seen._and_where), seen, depth - 1, true)
  end
  return out
end
I.normalise = normalise

-- ---------------------------------------------------------------------------
-- The includes a finder's hooks see, as Sequelize's findAll has made them by then:
-- beforeFind conformed ones (scope.lua's conform: { model [, association, as] }, a list);
-- beforeFindAfterExpandIncludeAll conformed again with the { all = ... } items expanded;
-- beforeFindAfterOptions each with its model, association, as and required. The finder
-- normalises what the hooks leave as it normalises a caller's include.

local function plain_item(x) return type(x) == "table" and getmetatable(x) == nil end

local function target_of(x)
  if x.model ~= nil and is_model(x.model) then return base(x.model) end
  if getmetatable(x.association) == Association then return x.association.target end
  return nil
end

-- Sequelize's _expandIncludeAllElement: the associations of an { all = kind [, nested] } item
-- added to the level's includes as { model [, as] } with the item's other options (as
-- normalise's expand_all adds them), unless an include there has that model (and alias,
-- for an aliased association)
local function expand_all_item(M, item, includes)
  walk_all(M, item, all_kinds(item, 5), includes, {},
    function(n, a, as) return plain_item(n) and target_of(n) == a.target and (as == nil or n.as == as) end,
    function(_, a, as, opt)
      for k, x in pairs(opt) do opt[k] = Model._clone_plain(x, {}) end
      opt.model, opt.as = a.target, as
      if opt.include ~= nil then opt.include = Model._conform_includes(a.target, opt.include, true) end
      return opt
    end)
end

-- Sequelize's _expandIncludeAll on a conformed list: its `all` items replaced by what they
-- add (after the level's other includes), at every level
local function expand_include_all(M, list)
  if not plain_item(list) then return list end
  local out, alls = {}, nil
  for _, x in ipairs(list) do
    if plain_item(x) and x.all ~= nil then
      alls = alls or {}
      alls[#alls + 1] = x
    else
      out[#out + 1] = x
    end
  end
  for _, x in ipairs(alls or {}) do
    check_include_keys(M, x, 4)
    expand_all_item(M, x, out)
  end
  for _, x in ipairs(out) do
    local t = plain_item(x) and x.include ~= nil and target_of(x)
    if t then x.include = expand_include_all(t, x.include) end
  end
  return out
end

function I.expand_include_all(M, include)
  return expand_include_all(base(M), Model._conform_includes(M, include, true))
end

-- Sequelize's _validateIncludedElement as beforeFindAfterOptions sees it: each include's
-- association, alias, model and required (the where's, its target's scope's included)
local function fill_includes(M, list)
  if not plain_item(list) then return end
  for _, x in ipairs(list) do
    if plain_item(x) and x.all == nil and x.assoc == nil then
      local a
      if getmetatable(x.association) == Association then a = x.association
      elseif x.model ~= nil then a = resolve(M, x.model, x.as) end -- (`as` alone: the finder refuses it)
      if a then
        x.association, x.as = a, a.as
        if x.model == nil then x.model = a.target end
        if x.required == nil then
          local sc = Model._include_scope and Model._include_scope(x, a) or x
          x.required = sc.where ~= nil
        end
        if x.include ~= nil then fill_includes(a.target, x.include) end
      end
    end
  end
end

function I.fill_includes(M, include)
  fill_includes(base(M), include)
  return include
end

-- order items naming included models become alias paths: { Post, "title", "DESC" },
-- { { model = Post }, "title" }, { Post, Tag, "name" }, { "Posts", "Tags", "name" }
-- (a model without `as` names a non-aliased association of it, or one aliased as the model's
-- name: Sequelize's getAssociationForAlias(model, null), then (model, model.name); an
-- { model, as } item's `as` is matched as an include's, { singular / plural } too)
local function plain_for(n, m)
  return n.assoc.target == base(m) and (not n.assoc.isAliased or n.as == m.name)
end

local function find_node(tree, x)
  for _, n in ipairs(tree or {}) do
    if n.assoc == x or n.as == x or (is_model(x) and plain_for(n, x)) then return n end
    if type(x) == "table" and not is_model(x) and getmetatable(x) ~= Association and is_model(x.model)
       and (x.as == nil and plain_for(n, x.model)
            or x.as ~= nil and n.assoc.target == base(x.model) and alias_matches(n.assoc, x.as)) then
      return n
    end
  end
  return nil
end

local function is_ref(x)
  return is_model(x) or getmetatable(x) == Association
    or (type(x) == "table" and getmetatable(x) == nil and (x.model ~= nil or x.association ~= nil))
end

local function is_through(x, Th)
  local m = x
  if type(x) == "table" and getmetatable(x) == nil and x.as == nil then m = x.model end
  return type(m) == "table" and base(m) == Th
end

-- An order item that is an attribute's definition (`User.rawAttributes.id`, Sequelize's
-- `order: [User.rawAttributes.id]`, or the first of an item's `[[User.rawAttributes.id, 'DESC']]`): the model's own attribute by name, an include's (one
-- aliased as its model's name, the table Sequelize's `Model`.`field` names) as its path
local function attribute_definition(M, item, tree)
  local name = rawget(item, "fieldName")
  if type(name) ~= "string" or #item ~= 0 then return nil end
  if M.rawAttributes[name] == item then return name end
  for _, n in ipairs(tree or {}) do
    local t = n.assoc.target
    if t.rawAttributes[name] == item and n.as == t.name then return { n.as, name } end
  end
  if rawget(item, "type") ~= nil then -- (another model's attribute: Sequelize's SQL names a table the query lacks)
    fail(errors.Error, ("Invalid order item on %s: the definition of attribute '%s' is neither one of %s's "
      .. "attributes nor of an include aliased as its model's name"):format(M.name, name, M.name), 6)
  end
  return nil
end

-- A model or association after an order item's column name ({ Task, "createdAt", Project,
-- "ASC" }): Sequelize's quote() raises naming it (the model's name, the association's alias)
local function unknown_structure(x, M)
  local name = is_model(x) and x.name or x.as or (x.model and x.model.name) or (x.target and x.target.name) or "?"
  fail(errors.Error, ("Unknown structure passed to order / group: %s (order item on %s: a model or association "
    .. "after the column name)"):format(name, M.name), 6)
end

local function normalise_order(order, tree, M)
  -- (a string, or one expression as the whole order: Sequelize.literal("age DESC"))
  if type(order) ~= "table" or getmetatable(order) ~= nil then return order end
  local out = {}
  for k, v in pairs(order) do out[k] = v end -- (keys other than the list's kept, for the core to refuse)
  for i, item in ipairs(order) do
    out[i] = item
    local def = type(item) == "table" and getmetatable(item) == nil and attribute_definition(M, item, tree)
    -- ({ User.rawAttributes.id, "DESC" }: the definition first, then the direction, as Sequelize)
    local def1 = not def and type(item) == "table" and getmetatable(item) == nil and type(item[1]) == "table"
      and getmetatable(item[1]) == nil and attribute_definition(M, item[1], tree)
    if def then
      out[i] = def
    elseif def1 then
      local o = type(def1) == "table" and { def1[1], def1[2] } or { def1 }
      for k = 2, #item do
        if is_ref(item[k]) then unknown_structure(item[k], M) end -- (after the column, as below)
        o[#o + 1] = item[k]
      end
      out[i] = o
    elseif type(item) == "table" and #item >= 2 and getmetatable(item) == nil then
      -- a model or association after a column name: unknown_structure
      -- (a string naming an association of the model reached so far is that association, as
      -- in Sequelize's quote(); any other string, or an expression, is the column or the direction)
      local named, cur = false, M
      for k = 1, #item do
        local x = item[k]
        if type(x) == "string" then
          local a = not named and cur and cur.associations and rawget(cur.associations, x)
          if a then cur = a.target else named = true end
        elseif is_ref(x) and not named then
          if is_model(x) then cur = x
          elseif getmetatable(x) == Association then cur = x.target
          elseif type(x.association) == "table" then cur = x.association.target
          elseif x.model ~= nil then cur = x.model end
        elseif named and is_ref(x) then
          unknown_structure(x, M)
        else
          named = true -- (an expression, an attribute's definition: the column, as in quote())
        end
      end
      local level, path, j, prev = tree, nil, 1, nil
      while j < #item do
        local x = item[j]
        if type(x) == "table" and x.association ~= nil and not is_model(x) then x = x.association end
        local n = (is_ref(x) or type(x) == "string") and find_node(level, x) or nil
        if not n and prev and prev.assoc.throughModel and is_through(x, prev.assoc.throughModel) then
          -- { { model = Project, as = "projects" }, UserProject, "hours" }: the n:m include's
          -- through model (Sequelize: the model alone, or { model } without `as`)
          path = path .. "." .. prev.assoc.throughModel.name
          j = j + 1
          break
        end
        if not n then
          if is_ref(x) then
            local name = is_model(x) and x.name or (x.model and x.model.name) or (x.target and x.target.name) or "?"
            fail(errors.Error, ("Unable to find a valid association for model, '%s'"):format(name), 5)
          end
          break
        end
        path = path and (path .. "." .. n.as) or n.as
        level = n.include
        prev = n
        j = j + 1
      end
      if path then
        local o = { path }
        for k = j, #item do o[#o + 1] = item[k] end
        out[i] = o
      end
    end
  end
  return out
end

-- Does a getter's where (or order: `strings`) name the through model `name`: a
-- "$name.column$" key, a Sequelize.col("name.column"), or (in order) a "name.column" string?
local function names_through(v, name, strings, seen)
  local t = type(v)
  if t == "string" then return strings and v:sub(1, #name + 1) == name .. "." end
  if t ~= "table" then return false end
  local expr = require("sequelua.expr")
  local is_expr = expr.is(v)
  if getmetatable(v) ~= nil and not is_expr then return false end
  seen = seen or {}
  if seen[v] then return false end
  seen[v] = true
  if is_expr and v.kind == "col" then return type(v.col) == "string" and v.col:sub(1, #name + 1) == name .. "." end
  for k, x in pairs(v) do
    if type(k) == "string" and k:sub(1, #name + 2) == "$" .. name .. "." then return true end
    if type(x) == "table" and names_through(x, name, strings, seen) then return true end
    if strings and type(x) == "string" and names_through(x, name, strings, seen) then return true end
  end
  return false
end

-- The parent side of each separate include's key, added to an attributes list that lacks it
-- (an empty list `{}` too: Sequelize 6.37.8 selects the key there but reads the children
-- with `IN (NULL)`, every list empty).
local function with_keys(attrs, separate)
  if not (separate and type(attrs) == "table" and (attrs[1] ~= nil or next(attrs) == nil)) then return attrs end
  local out, have = { unpack_list(attrs) }, {}
  for _, x in ipairs(out) do if type(x) == "string" then have[x] = true end end
  for _, n in ipairs(separate) do
    local k = n.assoc.associationType == "BelongsTo" and n.assoc.foreignKey or n.assoc.sourceKey
    if not have[k] then out[#out + 1] = k; have[k] = true end
  end
  return out
end

-- Split the includes with `separate = true` (or a `limit`) off a level: returns the joined
-- ones and the separate ones (or nil). Below a joined include the same is done, the
-- separate ones kept on that include's node (n._separate); *nested says whether any was.
local function split(tree, nested)
  local joined, separate = {}, nil
  for _, n in ipairs(tree) do
    if is_separate(n) then
      separate = separate or {}
      separate[#separate + 1] = n
    else
      joined[#joined + 1] = n
      if n.include then
        local kids, sep = split(n.include, nested)
        n.include = #kids > 0 and kids or nil
        if sep then
          n._separate = sep
          n.attributes = with_keys(n.attributes, sep)
          nested[1] = true
        end
      end
    end
  end
  return joined, separate
end

-- Options with include normalised (a copy; the caller's table is not changed).
-- Includes with `separate = true` (or a `limit`) are split off: the top level's into
-- o._separate, those below a joined include onto its node (o._nested_separate is set).
function I.prepare(M, opts)
  if not opts then return opts end
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  if opts.include == nil then
    if o.order then o.order = normalise_order(o.order, {}, M) end
    return o
  end
  local tree = normalise(M, opts.include, {})
  local nested = {}
  local joined, separate = split(tree, nested)
  o.include = joined
  o._separate = separate
  o._nested_separate = nested[1]
  o.attributes = with_keys(o.attributes, separate)
  if o.order then o.order = normalise_order(o.order, tree, M) end
  return o
end

-- Run each separate include as its own query, `WHERE key IN (...)`, and hang the
-- children on the parents (the matching is done in C).
function I.load_separate(M, parents, nodes, opts)
  for _, n in ipairs(nodes) do
    local a = n.assoc
    local T = a.target
    local kind = a.associationType
    local pkey, ckey, through_rows
    if kind == "BelongsTo" then
      pkey, ckey = a.foreignKey, a.targetKey
    elseif kind == "BelongsToMany" then
      pkey, ckey = a.sourceKey, a.targetKey
    else
      pkey, ckey = a.sourceKey, a.foreignKey
    end
    local keys = core.collect(parents, M._index[pkey])
    local children = setmetatable({}, core_array_mt)
    local attrs, hide = n.attributes, false
    if type(attrs) == "table" and attrs[1] ~= nil then
      -- the matching key must be read even when the caller did not ask for it (and is shown
      -- when the list is the model scope's, not the include's own: Sequelize's originalAttributes)
      local has = false
      for _, x in ipairs(attrs) do if x == ckey then has = true end end
      if not has then
        attrs = { unpack_list(attrs) }
        attrs[#attrs + 1] = ckey
        hide = not n.scope_attrs
      end
    elseif type(attrs) == "table" and getmetatable(attrs) == nil and type(attrs.exclude) == "table" then
      -- { exclude = { key, ... } }: the key read all the same, and hidden
      local ex = {}
      for _, x in ipairs(attrs.exclude) do
        if x == ckey then hide = true else ex[#ex + 1] = x end
      end
      if hide then attrs = { exclude = ex, include = attrs.include } end
    end
    local drop -- (the slots of what a model scope's attributes added to the include's own list)
    for name in pairs(n.hide or {}) do
      if name == ckey then hide = true
      elseif T._index[name] then drop = drop or {}; drop[#drop + 1] = T._index[name] end
    end
    if #keys > 0 then
      local co = { attributes = attrs, include = n.include, order = n.order, paranoid = n.paranoid,
                   group = n.group, having = n.having,
                   transaction = opts and opts.transaction, logging = opts and opts.logging, logQueryParameters = opts and opts.logQueryParameters,
                   replacements = opts and opts.replacements, bind = opts and opts.bind, raw = false }
      if kind == "BelongsToMany" then
        -- join rows first: each child is repeated per parent it belongs to
        -- (n.through.where holds the through scope: normalise_item put it there)
        through_rows = a.throughModel:findAll({ where = merge_where({ [a.foreignKey] = keys },
                                                   n.through and n.through.where),
                                           paranoid = n.through and n.through.paranoid,
                                           transaction = co.transaction, logging = co.logging, logQueryParameters = co.logQueryParameters,
                                           replacements = co.replacements, bind = co.bind,
                                           rejectOnEmpty = false, raw = false })
        local tkeys = core.collect(through_rows, a.throughModel._index[a.otherKey])
        co.where = merge_where({ [ckey] = tkeys }, n.where)
        local targets = T:findAll(co)
        if n.order ~= nil and #targets > 1 then
          -- the children in the targets' order (the join rows come in their own)
          local pos, tslot = {}, a.throughModel._index[a.otherKey]
          for i, t in ipairs(targets) do
            local k = rawget(t, T._index[ckey])
            if pos[k] == nil then pos[k] = i end
          end
          local seq = {}
          for i, r in ipairs(through_rows) do seq[r] = i end
          table.sort(through_rows, function(x, y)
            local px, py = pos[rawget(x, tslot)] or math.huge, pos[rawget(y, tslot)] or math.huge
            if px ~= py then return px < py end
            return seq[x] < seq[y]
          end)
        end
        -- one copy of the target per join row, carrying it under the through name, or the
        -- include's through.as (in C)
        local tattrs = n.through and n.through.attributes
        local show_join = not (type(tattrs) == "table" and #tattrs == 0)
        children = core.expand_links(targets, T._index[ckey], through_rows, a.throughModel._index[a.otherKey],
                                     n.through and n.through.as or a.throughModel.name, a.throughModel._index[a.foreignKey], hide, #T._attrs, show_join)
        if drop then core.drop_slots(children, drop) end
        if type(tattrs) == "table" and show_join then
          -- only the join columns asked for (the keys were read to match)
          local keep = {}
          for _, k in ipairs(tattrs) do keep[k] = true end
          local drop = {}
          for _, at in ipairs(a.throughModel._attrs) do
            if not keep[at.fieldName] then drop[#drop + 1] = at.index end
          end
          core.drop_slots(through_rows, drop)
        end
        core.attach(parents, children, M._index[pkey], -2, a.as, true, n.limit, true, n.offset)
      else
        co.where = merge_where({ [ckey] = keys }, n.where)
        -- an offset with a limit skips per parent (Sequelize's UNION of per-parent queries);
        -- without one it skips over all the children read (Sequelize's LIMIT n, 10000000000000)
        local per_parent = n.limit and a.isMultiAssociation
        co.limit = nil
        if not per_parent then co.offset = n.offset end
        children = T:findAll(co)
        if drop then core.drop_slots(children, drop) end
        core.attach(parents, children, M._index[pkey], T._index[ckey], a.as, a.isMultiAssociation, n.limit, hide,
                    per_parent and n.offset or nil)
      end
    else
      core.attach(parents, children, M._index[pkey], 1, a.as, a.isMultiAssociation, n.limit)
    end
  end
  return parents
end

-- Each separate include's query (and an n:m one's join-row where) checked before the parent
-- query runs: an unknown name in it raises before any SQL, as in a joined include. The
-- keys the parents will give are a NULL here; nothing is run.
local function check_nodes(nodes, opts)
  for _, n in ipairs(nodes) do
    local a = n.assoc
    local kind = a.associationType
    local ckey = (kind == "BelongsTo" or kind == "BelongsToMany") and a.targetKey or a.foreignKey
    if kind == "BelongsToMany" and n.through and n.through.where ~= nil then
      Model._check_read(a.throughModel, { where = merge_where({ [a.foreignKey] = NULL }, n.through.where),
                                          paranoid = n.through.paranoid, replacements = opts.replacements,
                                          bind = opts.bind, _check = true })
    end
    Model._check_read(a.target, { attributes = n.attributes, include = n.include, order = n.order, paranoid = n.paranoid,
                                  group = n.group, having = n.having,
                                  where = merge_where({ [ckey] = NULL }, n.where), replacements = opts.replacements,
                                  bind = opts.bind, _check = true })
  end
end

local function check_tree(tree, opts)
  for _, n in ipairs(tree or {}) do
    if n._separate then check_nodes(n._separate, opts) end
    if n.include then check_tree(n.include, opts) end
  end
end

function Model._check_separate(_, opts)
  if opts._separate then check_nodes(opts._separate, opts) end
  if opts._nested_separate then check_tree(opts.include, opts) end
end

-- The separate includes below joined ones: for each joined include (node of `tree`) that
-- has some, the objects it made under every parent are loaded as load_separate does.
function I.load_nested_separate(parents, tree, opts)
  for _, n in ipairs(tree or {}) do
    if n._separate or n.include then
      local objs = core.gather(parents, n.as)
      if n._separate then I.load_separate(n.assoc.target, objs, n._separate, opts) end
      if n.include then I.load_nested_separate(objs, n.include, opts) end
    end
  end
end

I.names_through = names_through
I.value_attrs = value_attrs

Model._prepare = I.prepare
Model._expand_include_all = I.expand_include_all
Model._fill_includes = I.fill_includes
Model._load_separate = I.load_separate
Model._load_nested_separate = I.load_nested_separate

return I
