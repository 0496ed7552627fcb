-- lua cmp.lua cases.lua : the cases' answers here against validator.js's
local Sequelize = require("sequelua")
local s = Sequelize.new("sqlite::memory:")
local DataTypes = Sequelize.DataTypes
local cases = dofile(arg[1])
local function ser(x)
  if type(x) ~= "table" then return tostring(x) end
  local keys = {}
  for k in pairs(x) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. ser(x[k] == nil and x[tonumber(k)] or x[k]) end
  return "{" .. table.concat(out, ",") .. "}"
end
local models, n, diffs = {}, 0, 0
for i, c in ipairs(cases) do
  local name, opts, input, want = c[1], c[2], c[3], c[4]
  local key = name .. ser(opts)
  local M = models[key]
  if not M then
    local v = {}
    if name == "isIP" then v.isIP = { opts } else v[name] = opts end
    M = s:define("M" .. i, { a = { type = DataTypes.TEXT, validate = v } })
    models[key] = M
  end
  local ok = pcall(function() return M:build({ a = input }):validate() end)
  n = n + 1
  if ok ~= want then
    diffs = diffs + 1
    if diffs <= 40 then print(("DIFF %s %s %q want %s"):format(name, ser(opts), input, tostring(want))) end
  end
end
print(("%d cases, %d differences"):format(n, diffs))
