-- expr.lua: Sequelize.fn / col / literal / where / and / or. The objects carry a
-- metatable registered with the C core, which is the only way the where compiler
-- accepts them: a table decoded from JSON can never pass for one.
local NULL = require("sequelua.core").null
local expr = {}

local ExprMT = { __name = "sequelua.expr" }
ExprMT.__index = ExprMT
ExprMT.__tostring = function(e) return "Sequelize." .. e.kind end
expr.mt = ExprMT

function expr.fn(name, ...)
  if type(name) ~= "string" then error("Sequelize.fn: the function name must be a string", 2) end
  return setmetatable({ kind = "fn", fn = name, args = { ... } }, ExprMT)
end

function expr.col(name)
  if type(name) ~= "string" then error("Sequelize.col: the column name must be a string", 2) end
  return setmetatable({ kind = "col", col = name }, ExprMT)
end

function expr.literal(sql)
  if type(sql) ~= "string" then error("Sequelize.literal: the SQL must be a string", 2) end
  return setmetatable({ kind = "literal", val = sql }, ExprMT)
end

-- Sequelize.where(lhs, cmp) or Sequelize.where(lhs, Op.x, value)
function expr.where(lhs, a, b)
  local cmp = a
  if b ~= nil or (type(a) == "userdata" and a ~= NULL) then cmp = { [a] = b } end
  return setmetatable({ kind = "where", lhs = lhs, cmp = cmp }, ExprMT)
end

function expr.is(v) return getmetatable(v) == ExprMT end

-- Result lists carry this metatable, so an empty one stringifies as [] (cf. cjson's
-- empty_array_mt).
expr.array_mt = { __name = "sequelua.array" }

return expr
