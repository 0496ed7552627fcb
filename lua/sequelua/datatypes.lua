-- datatypes.lua: DataTypes values. A type is usable bare (DataTypes.STRING) or called
-- (DataTypes.STRING(255)); .UNSIGNED, .ZEROFILL and .BINARY give modified copies.
-- Every type carries the shared metatable TypeMT, which is how define recognises one.
local DataTypes = {}

local TypeMT = {}
DataTypes.TypeMT = TypeMT

local function derive(t, changes)
  local n = {}
  for k, v in pairs(t) do n[k] = v end
  for k, v in pairs(changes) do n[k] = v end
  return setmetatable(n, TypeMT)
end

-- a bad argument to a type: an error object (errors.lua is read when first needed)
local function dt_error(msg, level)
  local errors = require("sequelua.errors")
  error(errors.new(errors.Error, msg), level + 1)
end

local modifiers = { UNSIGNED = "unsigned", ZEROFILL = "zerofill", BINARY = "binary" }

TypeMT.__index = function(t, k)
  local flag = modifiers[k]
  if flag then return derive(t, { [flag] = true }) end
  return nil
end

local function num(v, what, key)
  if v == nil then return nil end
  if type(v) ~= "number" or v < 0 or v ~= math.floor(v) then
    dt_error(("DataTypes.%s: %s must be a non-negative integer"):format(key, what), 3)
  end
  return v
end

local constructors = {
  STRING = function(t, length, binary)
    if type(length) == "table" then length, binary = length.length, length.binary end
    return derive(t, { length = num(length, "length", "STRING"), binary = binary or t.binary })
  end,
  CHAR = function(t, length, binary)
    if type(length) == "table" then length, binary = length.length, length.binary end
    return derive(t, { length = num(length, "length", "CHAR"), binary = binary or t.binary })
  end,
  DECIMAL = function(t, precision, scale)
    if type(precision) == "table" then precision, scale = precision.precision, precision.scale end
    return derive(t, { precision = num(precision, "precision", "DECIMAL"), scale = num(scale, "scale", "DECIMAL") })
  end,
  ENUM = function(t, first, ...)
    local values
    local n
    if type(first) == "table" then
      values = first.values or first
      n = #values
    else
      values, n = { first, ... }, select("#", ...) + 1 -- (a nil among them is refused, not a cut)
      if first == nil and n == 1 then n = 0 end -- (ENUM(): no values, refused at define)
    end
    for i = 1, n do
      local v = values[i]
      if type(v) ~= "string" then
        dt_error("DataTypes.ENUM: values must be strings (value " .. i .. ")", 3)
      end
    end
    return derive(t, { values = values })
  end,
  BLOB = function(t, size)
    local sizes = { tiny = 1, medium = 2, long = 3 }
    if type(size) == "table" then size = size.length end -- (Sequelize's BLOB({ length = "tiny" }))
    if size ~= nil and not sizes[size] then
      dt_error("DataTypes.BLOB: size must be 'tiny', 'medium' or 'long'", 3)
    end
    return derive(t, { length = size and sizes[size] or nil })
  end,
  TEXT = function(t) return derive(t, {}) end,
  -- VIRTUAL(ReturnType, { "attributes", "its getter reads" }): a value with no column
  VIRTUAL = function(t, returnType, fields)
    local errors = require("sequelua.errors")
    if returnType ~= nil and getmetatable(returnType) ~= TypeMT then
      error(errors.new(errors.Error, "DataTypes.VIRTUAL: the return type must be a DataTypes value"), 3)
    end
    if fields ~= nil and type(fields) ~= "table" then
      error(errors.new(errors.Error, "DataTypes.VIRTUAL: the fields must be a list of attribute names"), 3)
    end
    return derive(t, { returnType = returnType, fields = fields })
  end,
}
local function numeric(key)
  return function(t, length, decimals)
    if type(length) == "table" then length, decimals = length.length, length.decimals end
    return derive(t, { length = num(length, "length", key), scale = num(decimals, "decimals", key) })
  end
end
for _, k in ipairs({ "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "FLOAT", "DOUBLE", "REAL" }) do
  constructors[k] = numeric(k)
end

TypeMT.__call = function(t, ...)
  local c = constructors[t.key]
  if not c then return derive(t, {}) end
  return c(t, ...)
end

-- tostring(type): the column type the C dialect writes for it (`VARCHAR(10)`, `DATETIME`,
-- `DECIMAL(10,2)`), Sequelize's String(attribute.type); VIRTUAL, which has no column, its key
TypeMT.__tostring = function(t) return require("sequelua.core").type_sql(t) or t.key end

for _, key in ipairs({ "STRING", "CHAR", "TEXT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL",
                       "BOOLEAN", "DATE", "DATEONLY", "UUID", "JSON", "BLOB", "ENUM", "VIRTUAL",
                       "TINYINT", "SMALLINT", "MEDIUMINT", "CITEXT", "TIME", "JSONB" }) do
  DataTypes[key] = setmetatable({ key = key }, TypeMT)
end

-- Types that are another under a different SQL name (Sequelize's sqlite dialect writes
-- `TINYINT`, `TEXT COLLATE NOCASE`, `TIME`, `JSONB`): their values are that one's.
local KIND = { TINYINT = "INTEGER", SMALLINT = "INTEGER", MEDIUMINT = "INTEGER", CITEXT = "TEXT", TIME = "TEXT",
               JSONB = "JSON" }
-- the key of the type whose values t takes: "INTEGER" for DataTypes.SMALLINT(3), t.key otherwise
function DataTypes.base_key(t) return KIND[t.key] or t.key end
DataTypes["DOUBLE PRECISION"] = DataTypes.DOUBLE

-- default-value markers
local DefaultMT = { __tostring = function(d) return "DataTypes." .. d.kind end }
DataTypes.DefaultMT = DefaultMT
DataTypes.NOW = setmetatable({ kind = "NOW" }, DefaultMT)
DataTypes.UUIDV4 = setmetatable({ kind = "UUIDV4" }, DefaultMT)
DataTypes.UUIDV1 = setmetatable({ kind = "UUIDV1" }, DefaultMT) -- (time-based; a random node, no MAC)

function DataTypes.is_type(v) return getmetatable(v) == TypeMT end
-- one of the DataTypes values themselves (DataTypes.TEXT), not a called or modified copy
-- (DataTypes.STRING(100), DataTypes.INTEGER.UNSIGNED): Sequelize's Object.values(DataTypes).includes(x)
function DataTypes.is_bare(v) return getmetatable(v) == TypeMT and rawequal(rawget(DataTypes, v.key), v) end
function DataTypes.is_default(v) return getmetatable(v) == DefaultMT end

-- A type this module does not have (DataTypes.GEOMETRY, say) raises where it is named: read
-- as nil, it would leave `{ at = DataTypes.GEOMETRY }` an empty table, and the column would
-- silently be missing from the model.
local SUPPORTED = {}
for k, v in pairs(DataTypes) do if getmetatable(v) == TypeMT then SUPPORTED[#SUPPORTED + 1] = k end end
table.sort(SUPPORTED)
setmetatable(DataTypes, { __index = function(_, k)
  local errors = require("sequelua.errors")
  error(errors.new(errors.Error, ("DataTypes.%s is not supported by sequelua (it has %s)")
    :format(tostring(k), table.concat(SUPPORTED, ", "))), 2)
end })

return DataTypes
