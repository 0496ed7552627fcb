-- spec/port_unit_support.lua: helpers of the port_unit_*_spec.lua files (ports of Sequelize v6's
-- test/unit/sql and test/unit/query-interface tests). Those tests compare the SQL text Sequelize
-- generates; the ports instead run Sequelize's expected sqlite SQL through db:query on the same
-- data and compare its rows with what the public API returns.
local assert = require("luassert")
local Sequelize = require("sequelua")

local U = {}

-- A value as text that both reads agree on: NULL / nil alike, booleans as SQLite stores them,
-- integral numbers without ".0", stored dates as the ISO strings the API reads.
function U.norm(v)
  if v == nil or v == Sequelize.null then return "NULL" end
  if v == true then return "1" elseif v == false then return "0" end
  if type(v) == "number" and v == math.floor(v) and math.abs(v) < 2 ^ 53 then
    return string.format("%d", v)
  end
  local s = tostring(v)
  s = s:gsub("^(%d%d%d%d%-%d%d%-%d%d) (%d%d:%d%d:%d%d%.%d%d%d) %+00:00$", "%1T%2Z")
  return s
end

-- Flattens instances (or toJSON tables) to Sequelize's raw row form: an included object's
-- keys prefixed "alias.", an included list expanded one row per item (an empty list: one
-- row without those keys, as a LEFT JOIN's NULLs).
function U.flatten(list)
  local out = {}
  local function walk(obj, prefix, rows)
    local base = {}
    local lists = {}
    for k, v in pairs(obj) do
      if type(v) == "table" and (v[1] ~= nil or next(v) == nil) then
        lists[#lists + 1] = { k, v }
      elseif type(v) == "table" then
        lists[#lists + 1] = { k, { v } }
      else
        base[prefix .. k] = v
      end
    end
    local acc = { base }
    for _, l in ipairs(lists) do
      local nacc = {}
      for _, a in ipairs(acc) do
        if #l[2] == 0 then
          nacc[#nacc + 1] = a
        else
          for _, item in ipairs(l[2]) do
            local sub = {}
            walk(item, prefix .. l[1] .. ".", sub)
            for _, s in ipairs(sub) do
              local r = {}
              for k2, v2 in pairs(a) do r[k2] = v2 end
              for k2, v2 in pairs(s) do r[k2] = v2 end
              nacc[#nacc + 1] = r
            end
          end
        end
      end
      acc = nacc
    end
    for _, a in ipairs(acc) do rows[#rows + 1] = a end
  end
  for _, inst in ipairs(list) do
    local obj = inst
    if type(inst) == "table" and inst.toJSON then obj = inst:toJSON() end
    walk(obj, "", out)
  end
  return out
end

local function lines(rows, keys)
  local out = {}
  for i, r in ipairs(rows) do
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. U.norm(r[k]) end
    out[i] = table.concat(parts, " ")
  end
  return out
end

-- Asserts that ours (a list of flat rows, or instances: flattened) holds the rows db:query(sql)
-- gives, compared on the columns Sequelize's SQL selects, in order unless opts.unordered.
-- opts.keys: compare these columns only; opts.except: all but these (the keys Sequelize
-- selects for itself and leaves out of its instances, as the primary keys of an include). opts.empty: the SQL is expected to give no row (else at least one, so a case is not vacuous).
-- Returns Sequelize's rows.
function U.same(db, ours, sql, opts)
  opts = opts or {}
  if ours[1] ~= nil and type(ours[1]) == "table" and ours[1].toJSON then ours = U.flatten(ours) end
  local theirs = db:query(sql, opts.query)
  local seen, keys = {}, {}
  for _, k in ipairs(opts.except or {}) do seen[k] = true end
  for _, r in ipairs(theirs) do
    for k in pairs(r) do
      if not seen[k] then seen[k] = true; keys[#keys + 1] = k end
    end
  end
  table.sort(keys)
  if opts.keys then keys = opts.keys end
  if opts.empty then
    assert.equal(0, #theirs, "Sequelize's SQL should give no row")
  else
    assert.is_true(#theirs > 0, "Sequelize's SQL gives no row: the case would prove nothing")
  end
  local a, b = lines(theirs, keys), lines(ours, keys)
  if opts.unordered then table.sort(a); table.sort(b) end
  assert.same(a, b)
  return theirs
end

-- Sequelize's `default:` expectation with its [ ] turned into sqlite's backticks.
function U.tick(sql)
  return (sql:gsub("[%[%]]", "`"))
end

-- The query interface's row-method ports (bulk-delete, bulk-insert, delete, increment,
-- decrement), inside their describe: a User model (firstName) over an untyped Users table with
-- the columns those calls name, so that a text id like ':id' is stored; four rows that tell the
-- cases apart. Returns S: S.db, S.User, S.qi (set by its setup) and S.same_effect(ours, sql),
-- which runs ours and Sequelize's SQL each on fresh rows and compares the table each leaves.
-- (setup and teardown: busted's, which a spec file sees and a module it requires does not)
function U.qi_users(setup, teardown)
  local S = {}
  local function fill()
    S.db:query("DELETE FROM `Users`")
    S.db:query("INSERT INTO `Users` (`id`, `firstName`, `age`, `name`, `username`) VALUES "
      .. "(':id', 'a', 10, 'n1', 'some :data'), ('123', 'b', 20, 'n2', 'some OR '' = '), (2, 'c', 30, 'n3', 'x'), (3, ':injection', 40, 'n4', NULL)")
  end
  function S.same_effect(ours, sql)
    fill(); ours()
    local left = S.db:query("SELECT * FROM `Users` ORDER BY rowid")
    fill(); S.db:query(sql)
    U.same(S.db, left, "SELECT * FROM `Users` ORDER BY rowid")
  end
  setup(function()
    S.db = Sequelize.new("sqlite::memory:")
    S.User = S.db:define("User", { firstName = Sequelize.DataTypes.STRING }, { timestamps = false })
    S.db:query("CREATE TABLE `Users` (`id`, `firstName`, `age`, `name`, `username`)")
    S.qi = S.db:getQueryInterface()
  end)
  teardown(function() S.db:close() end)
  return S
end

return U
