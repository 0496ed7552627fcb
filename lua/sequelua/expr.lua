-- expr.lua: Sequelize.fn / col / literal / where / and / or. The objects carry a
-- metatable registered with the C core, which is the only way the where compiler
-- accepts them: a table decoded from JSON can never pass for one.
local core = require("sequelua.core")
local NULL = core.null
local expr = {}

local ExprMT = { __name = "sequelua.expr" }
ExprMT.__index = ExprMT
ExprMT.__tostring = function(e) return "Sequelize." .. e.kind end
expr.mt = ExprMT

local function fail(msg, level)
  local errors = require("sequelua.errors")
  error(errors.new(errors.Error, msg), level + 1)
end

-- (SQLite stops reading a statement at a NUL byte: the rest of it would be dropped, a
-- destroy's WHERE cut to its first term, while the log shows it whole)
local function no_nul(what, s)
  if s:find("\0", 1, true) then
    fail(("Sequelize.%s: the SQL text must not hold a NUL byte (SQLite would stop reading the statement there)")
      :format(what), 3)
  end
end

function expr.fn(name, ...)
  if type(name) ~= "string" then fail("Sequelize.fn: the function name must be a string, got " .. type(name), 2) end
  no_nul("fn", name)
  return setmetatable({ kind = "fn", fn = name, args = { ... } }, ExprMT)
end

function expr.col(name)
  if type(name) ~= "string" then fail("Sequelize.col: the column name must be a string, got " .. type(name), 2) end
  no_nul("col", name)
  return setmetatable({ kind = "col", col = name }, ExprMT)
end

function expr.literal(sql)
  if type(sql) == "number" then -- (Sequelize.literal(1): the number's JavaScript text)
    if sql ~= sql or sql == math.huge or sql == -math.huge then
      fail("Sequelize.literal: " .. (sql ~= sql and "NaN" or sql > 0 and "Infinity" or "-Infinity") .. " has no SQL form", 2)
    end
    sql = expr.js_number(sql)
  end
  if type(sql) ~= "string" then fail("Sequelize.literal: the SQL must be a string or a number, got " .. type(sql), 2) end
  no_nul("literal", sql)
  return setmetatable({ kind = "literal", val = sql }, ExprMT)
end

-- Sequelize.where(lhs, "=", value)'s comparators (Sequelize writes the string into the SQL;
-- here those it has operators for, as those operators)
local COMPARATORS = { ["="] = "eq", ["!="] = "ne", ["<>"] = "ne", [">"] = "gt", [">="] = "gte", ["<"] = "lt",
                      ["<="] = "lte", ["LIKE"] = "like", ["NOT LIKE"] = "notLike", ["IN"] = "in",
                      ["NOT IN"] = "notIn", ["IS"] = "is", ["IS NOT"] = "not" }

-- The model of each rawAttributes entry (define.lua fills it), so Sequelize.where can take one
expr.attr_owner = setmetatable({}, { __mode = "kv" }) -- (weak values too: LuaJIT has no ephemerons)

-- Sequelize.where(lhs, cmp), Sequelize.where(lhs, Op.x, value) or Sequelize.where(lhs, "=", value)
-- lhs may be an attribute's definition (`User.rawAttributes.id`): its column qualified by its
-- model's name, `User`.`internal_id`, as Sequelize writes it
function expr.where(lhs, a, b)
  local cmp, comparator, given = a, nil, a
  if type(lhs) == "table" and getmetatable(lhs) == nil and expr.attr_owner[lhs] then
    local M = expr.attr_owner[lhs]
    lhs = expr.col(M.name .. "." .. (rawget(lhs, "field") or rawget(lhs, "fieldName")))
  end
  if lhs == nil or lhs == NULL then -- (Sequelize: TypeError, reading .Model of null; it would bind NULL here)
    fail("Sequelize.where: the left side must be an attribute name, a value or a Sequelize.col / fn / cast / literal / json, got "
      .. (lhs == nil and "nil" or "Sequelize.null"), 2)
  end
  if type(a) == "string" and b ~= nil then
    comparator = a:upper() -- (written as given: `!= NULL`, `IS NOT 1`, as Sequelize writes it)
    local op = COMPARATORS[comparator]
    if not op then
      local errors = require("sequelua.errors")
      error(errors.new(errors.Error, ("Sequelize.where: unknown comparator '%s' (expected =, !=, <>, >, >=, <, <=, "
        .. "LIKE, NOT LIKE, IN, NOT IN, IS, IS NOT, or an Op)"):format(a)), 2)
    end
    a = require("sequelua.op")[op]
  end
  if b ~= nil or (type(a) == "userdata" and a ~= NULL) then cmp = { [a] = b } end
  -- (what JSON.stringify writes of Sequelize's Where: attribute, comparator (as given, "=" when
  -- left out; an Op, a Symbol there, is left out) and logic)
  local jcmp, logic = "=", a
  if b ~= nil then jcmp, logic = type(given) == "string" and given or nil, b end
  return setmetatable({ kind = "where", lhs = lhs, cmp = cmp, comparator = comparator, jcmp = jcmp, logic = logic },
    ExprMT)
end

-- A CAST type as the C core takes it: words of letters, digits and _ (not starting with a
-- digit) separated by single spaces, then optionally (n) or (n,m)
local function valid_cast_type(t)
  if #t == 0 or #t > 64 then return false end
  local head, args = t:match("^(.-) ?(%(.*%))$")
  if not head then head = t end
  if args and not (args:match("^%(%d+%)$") or args:match("^%(%d+, ?%d+%)$")) then return false end
  if head == "" or head:sub(-1) == " " then return false end
  for word in (head .. " "):gmatch("([^ ]*) ") do
    if not word:match("^[%a_][%w_]*$") then return false end
  end
  return true
end

-- Sequelize.cast(value, type): CAST(value AS TYPE), the type upper-cased (Sequelize; a type
-- naming TIMESTAMP is DATETIME, as its sqlite dialect has it); value
-- a plain value (bound) or a Sequelize.col/fn/literal/cast/json
function expr.cast(val, typ)
  if val == nil then fail("Sequelize.cast: expected a value to cast", 2) end
  if type(typ) ~= "string" then fail("Sequelize.cast: the type must be a string such as 'TEXT' or 'INTEGER'", 2) end
  local given = typ:match("^%s*(.-)%s*$") -- (Sequelize's Cast trims it)
  local t = given:upper()
  if t:find("TIMESTAMP", 1, true) then t = "DATETIME" end -- (Sequelize's sqlite dialect)
  if not valid_cast_type(t) then
    fail(("Sequelize.cast: invalid type '%s' (expected a type name such as TEXT, INTEGER or DECIMAL(10,2))")
      :format(#typ > 64 and typ:sub(1, 64) .. "..." or typ), 2)
  end
  -- (given: the type as given, trimmed, as Sequelize's Cast keeps it: JSON.stringify writes it)
  return setmetatable({ kind = "cast", val = val, type = t, given = given }, ExprMT)
end

-- "meta.a[1].b" -> { "meta", "a", "1", "b" } (lodash's toPath, which Sequelize uses: dots,
-- [n] and ["key"] / ['key'] parts)
local function path_parts(p)
  local parts, pos = {}, 1
  while pos <= #p do
    local num, e = p:match("^%[(%d+)%]()", pos)
    if num then
      parts[#parts + 1], pos = num, e
    else
      local _, key, e2 = p:match("^%[([\"'])(.-)%1%]()", pos)
      if key then
        parts[#parts + 1], pos = key, e2
      else
        local name, e3 = p:match(pos == 1 and "^([^%.%[]+)()" or "^%.([^%.%[]+)()", pos)
        if not name then return nil end
        parts[#parts + 1], pos = name, e3
      end
    end
  end
  return parts
end

-- The object json_extract(`column`, '$.path') stands for: parts[1] the column, the rest
-- the path, numeric parts as [n] (Sequelize's jsonPathExtractionQuery for sqlite)
local function json_object(parts, value)
  local path = { "$" }
  for i = 2, #parts do
    path[#path + 1] = parts[i]:match("^%d+$") and ("[" .. parts[i] .. "]") or ("." .. parts[i])
  end
  return setmetatable({ kind = "json", col = parts[1], path = table.concat(path), value = value }, ExprMT)
end

-- a plain table holding items 1..n and no other key (n > 0)
local function is_list(t)
  local n = #t
  if n == 0 then return false end
  for k in pairs(t) do
    if type(k) ~= "number" or k % 1 ~= 0 or k < 1 or k > n then return false end
  end
  return true
end

-- the leaves of Sequelize.json's object form: a plain table whose keys are all strings is a
-- level of the path, and so is a list below the column (its items indexes from 0:
-- `{ property = { { 4, 6 }, { 8 } } }` is $[0][0], $[0][1], $[1][0], as Sequelize's
-- parseConditionObject walks an array); anything else is a value
local function json_leaves(t, parts, out, depth)
  if depth > 32 then fail("Sequelize.json: the object is nested too deeply", 4) end
  local keys, list = {}, depth > 1 and is_list(t)
  if list then
    for i = 1, #t do keys[i] = i end
  else
    for k in pairs(t) do
      if type(k) ~= "string" or not core.is_name(k) or k == "" then
        fail("Sequelize.json: the object's keys must be non-empty strings, valid UTF-8 without NUL bytes", 4)
      end
      keys[#keys + 1] = k
    end
    table.sort(keys) -- (a stable SQL text)
  end
  for _, k in ipairs(keys) do
    local v, p = t[k], {}
    for i, x in ipairs(parts) do p[i] = x end
    p[#p + 1] = list and tostring(k - 1) or k
    local plain = type(v) == "table" and getmetatable(v) == nil
    if plain and next(v) == nil then
      -- (an empty table, `{ tags = {} }`: no condition, as Sequelize's walk finds no leaf in `[]` / `{}`)
    else
      local nested = plain
      if nested and not is_list(v) then
        for kk in pairs(v) do if type(kk) ~= "string" then nested = false; break end end
      end
      if nested then json_leaves(v, p, out, depth + 1) else out[#out + 1] = json_object(p, v) end
    end
  end
end

-- Sequelize.json("column.path", value) / Sequelize.json({ column = { key = value } }): the
-- path form is json_extract(`Model`.`column`, '$.path') (in attributes, where, order), a
-- condition `= value` when a value is given (or the conditions of a table of Op keys); the
-- object form is the conditions of its leaves, joined by AND. The column must be an
-- attribute of the model; the path is bound.
function expr.json(target, value)
  if type(target) == "string" then
    if not core.is_name(target) then fail("Sequelize.json: the path must be valid UTF-8 without NUL bytes", 2) end
    local parts = path_parts(target)
    if not parts or #parts == 0 then
      fail(("Sequelize.json: invalid path '%s' (expected column.key, column.list[0].key, ...)")
        :format(#target > 100 and target:sub(1, 100) .. "..." or target), 2)
    end
    local o = json_object(parts, value)
    o.jpath = target -- (JSON.stringify of Sequelize's Json: {"path":..., "value":...})
    return o
  end
  if type(target) ~= "table" or getmetatable(target) ~= nil or next(target) == nil then
    fail("Sequelize.json: expected a path string or a table of conditions", 2)
  end
  local out = {}
  json_leaves(target, {}, out, 1)
  if #out == 1 then out[1].jconditions = target; return out[1] end -- ({"conditions":...} in JSON)
  return { [require("sequelua.op")["and"]] = out }
end

function expr.is(v) return getmetatable(v) == ExprMT end

-- ---------------------------------------------------------------------------
-- sequelize.escape(value): the SQL text Sequelize's sqlite dialect writes for a value
-- (SqlString.escape). Values in queries are bound, never escaped; this is for SQL the caller
-- writes by hand.

-- a number as JavaScript's Number#toString writes it (shortest round-trip digits; exponent
-- form from 1e21 and below 1e-6); Lua 5.4 integers exactly
local function js_number(v)
  if math.type and math.type(v) == "integer" then return tostring(v) end
  if v ~= v or v == math.huge or v == -math.huge then
    fail("sequelize.escape: " .. (v ~= v and "NaN" or v > 0 and "Infinity" or "-Infinity") .. " has no SQL form", 4)
  end
  if v == 0 then return "0" end
  local s
  for p = 0, 16 do
    s = ("%." .. p .. "e"):format(v)
    if tonumber(s) == v then break end
  end
  local sign, d1, rest, ex = s:match("^(-?)(%d)%.?(%d*)e([-+]%d+)$")
  local digits = (d1 .. rest):gsub("0+$", "")
  local k, n = #digits, tonumber(ex) + 1
  if k <= n and n <= 21 then return sign .. digits .. ("0"):rep(n - k) end
  if 0 < n and n <= 21 then return sign .. digits:sub(1, n) .. "." .. digits:sub(n + 1) end
  if -6 < n and n <= 0 then return sign .. "0." .. ("0"):rep(-n) .. digits end
  local e = n - 1
  local es = (e >= 0 and "+" or "-") .. tostring(math.abs(e))
  if k == 1 then return sign .. digits .. "e" .. es end
  return sign .. digits:sub(1, 1) .. "." .. digits:sub(2) .. "e" .. es
end

expr.js_number = js_number

local function quote_name(part)
  if part == "*" then return "*" end
  if not core.is_name(part) then fail("sequelize.escape: a column name must be valid UTF-8 without NUL bytes", 5) end
  return "`" .. part:gsub("`", "``") .. "`"
end

local escape

-- The SQL of a Sequelize.col/fn/literal/cast/json object, as Sequelize writes it
local function expr_sql(e, depth)
  local k = e.kind
  if k == "literal" then return e.val end
  if k == "col" then
    local out = {}
    for part in (e.col .. "."):gmatch("([^.]*)%.") do out[#out + 1] = quote_name(part) end
    return table.concat(out, ".")
  end
  if k == "fn" then
    -- (an empty name: the arguments in parentheses, as Sequelize writes fn('', x))
    if type(e.fn) ~= "string" or #e.fn > 64 or not (e.fn == "" or e.fn:match("^[%a_][%w_]*$")) then
      fail(("Sequelize.fn: invalid function name '%s' (expected an identifier)"):format(tostring(e.fn):sub(1, 64)), 4)
    end
    local args = {}
    for i, a in ipairs(e.args) do args[i] = escape(a, depth + 1) end
    return e.fn .. "(" .. table.concat(args, ", ") .. ")"
  end
  if k == "cast" then return "CAST(" .. escape(e.val, depth + 1) .. " AS " .. e.type .. ")" end
  if k == "json" then
    local sql = "json_extract(" .. quote_name(e.col) .. "," .. escape(e.path, depth + 1) .. ")"
    if e.value ~= nil then sql = sql .. " = " .. escape(e.value, depth + 1) end
    return sql
  end
  fail("sequelize.escape: a Sequelize." .. tostring(k) .. " object has no SQL value form", 4)
end

escape = function(v, depth)
  if depth > 100 then fail("sequelize.escape: the value is nested too deeply", 3) end
  if v == nil or v == NULL then return "NULL" end
  local t = type(v)
  if t == "boolean" then return v and "1" or "0" end -- (sqlite: 1 and 0)
  if t == "number" then return js_number(v) end
  if t == "string" then
    if not core.is_name(v) then fail("sequelize.escape: a string must be valid UTF-8 without NUL bytes", 3) end
    return "'" .. v:gsub("'", "''") .. "'"
  end
  if t == "table" and getmetatable(v) == ExprMT then return expr_sql(v, depth) end
  if t == "table" and getmetatable(v) == nil then
    -- a list: its items joined by ", ", a nested list in parentheses (Sequelize's arrayToList)
    local n = 0
    for _ in pairs(v) do n = n + 1 end
    if n == #v then
      local out = {}
      for i, x in ipairs(v) do
        local sx = escape(x, depth + 1)
        if type(x) == "table" and getmetatable(x) == nil then sx = "(" .. sx .. ")" end
        out[i] = sx
      end
      return table.concat(out, ", ")
    end
  end
  fail("Invalid value " .. tostring(v) .. " (sequelize.escape takes strings, numbers, booleans, null, lists and "
       .. "Sequelize.fn/col/literal/cast/json objects)", 3)
end

function expr.escape(v) return escape(v, 0) end

-- Result lists carry this metatable, so an empty one stringifies as []. Where lua-cjson has
-- an array metatable (OpenResty's build: cjson.array_mt; Debian's lua-cjson has none), it is
-- that one, so that cjson.encode writes the lists as arrays too, an empty one as [].
local has_cjson, cjson = pcall(require, "cjson")
expr.array_mt = has_cjson and type(cjson) == "table" and type(cjson.array_mt) == "table" and cjson.array_mt
                or { __name = "sequelua.array" }
-- OpenResty's lua-cjson also has cjson.empty_array_mt (a table with it is a JSON array) and
-- cjson.empty_array (a light userdata cjson.encode writes as []): JSON values take them as [].
expr.empty_array_mt = has_cjson and type(cjson) == "table" and type(cjson.empty_array_mt) == "table"
                      and cjson.empty_array_mt or nil
expr.empty_array = has_cjson and type(cjson) == "table" and type(cjson.empty_array) == "userdata"
                   and cjson.empty_array or nil

-- toJSON's value of a BLOB attribute: { type = "Buffer", data = { bytes } }, what
-- JSON.stringify writes for Sequelize's Buffer; stringify writes it in that key order.
expr.buffer_mt = { __name = "sequelua.buffer" }

return expr
