-- op.lua: Op keys. Each is a unique light userdata made by the C core, so a plain
-- string (from JSON, say) can never act as an operator. Lua keywords have aliases:
-- Op.or_ == Op["or"], and_, not_, in_.
local core = require("sequelua.core")

local Op = core.ops()
Op.or_ = Op["or"]
Op.and_ = Op["and"]
Op.not_ = Op["not"]
Op.in_ = Op["in"]

local function fail(msg, level)
  local errors = require("sequelua.errors")
  error(errors.new(errors.Error, msg), level + 1)
end

return setmetatable(Op, {
  __index = function(_, k) fail("Op." .. tostring(k) .. " is not a supported operator", 2) end,
  __newindex = function() fail("Op is read-only", 2) end,
})
