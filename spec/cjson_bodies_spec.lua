-- Request bodies decoded by lua-cjson going straight into the ORM, and results going back out
-- through cjson.encode, as an OpenResty handler does (Sequelize: JSON.parse in, JSON.stringify
-- out). OpenResty's lua-cjson has cjson.empty_array (a light userdata written as []) and
-- cjson.empty_array_mt (a metatable marking a table as a JSON array); Debian's lua-cjson has
-- neither, so a child interpreter is given a stand-in cjson module carrying them.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local cjson = require("cjson")

local INTERP = jit and "luajit" or "lua5.4"

-- Runs `body` in a child interpreter whose `require "cjson"` is lua-cjson plus OpenResty's
-- empty_array / empty_array_mt / array_mt; returns its output lines.
local function with_openresty_cjson(body)
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write([[
local real = require("cjson")
local x
local function g() return x end
local fake = setmetatable({
  empty_array = debug.upvalueid(g, 1),             -- (a light userdata other than NULL)
  empty_array_mt = { __name = "cjson.empty_array_mt" },
  array_mt = { __name = "cjson.array_mt" },
}, { __index = real })
package.loaded.cjson = fake
local cjson = fake
assert(type(cjson.empty_array) == "userdata" and cjson.empty_array ~= cjson.null)
local Sequelize = require("sequelua")
assert(Sequelize.array_mt == cjson.array_mt)
local DataTypes = Sequelize.DataTypes
local db = Sequelize.new("sqlite::memory:")
local M = db:define("M", { meta = DataTypes.JSON, n = DataTypes.INTEGER }, { timestamps = false })
db:sync()
local function stored(id)
  return db:query("SELECT meta FROM Ms WHERE id = ?", { replacements = { id }, type = "SELECT" })[1].meta
end
local function out(...) io.write(table.concat({ ... }, "\t"), "\n") end
]] .. body)
  f:close()
  local p = assert(io.popen(INTERP .. " " .. script .. " 2>&1"))
  local text = p:read("*a")
  p:close()
  os.remove(script)
  local lines = {}
  for l in text:gmatch("[^\n]+") do lines[#lines + 1] = l end
  return lines, text
end

describe("cjson-decoded bodies (OpenResty's lua-cjson)", function()
  it("cjson.empty_array and tables with cjson.empty_array_mt are JSON [] in a JSON attribute and in stringify", function()
    local lines, text = with_openresty_cjson([[
local a = M:create({ meta = cjson.empty_array })
out("top", stored(a.id), Sequelize.stringify(a))
local b = M:create({ meta = setmetatable({}, cjson.empty_array_mt) })
out("mt", stored(b.id), Sequelize.stringify(b))
local c = M:create({ meta = { tags = cjson.empty_array, l = setmetatable({}, cjson.empty_array_mt), o = {} } })
out("nested", stored(c.id))
local d = M:create({ meta = { k = 1 } })
d:update({ meta = cjson.empty_array })
out("update", stored(d.id), tostring(getmetatable(M:findByPk(d.id).meta) == cjson.array_mt))
M:update({ meta = { x = setmetatable({}, cjson.empty_array_mt) } }, { where = { id = d.id } })
out("static", stored(d.id))
out("stringify", Sequelize.stringify({ a = cjson.empty_array, b = setmetatable({}, cjson.empty_array_mt) }))
local ok, e = pcall(M.create, M, { n = cjson.empty_array })
out("int", tostring(ok), e.name, tostring(#M:findAll() == 4))
out("done")
]])
    assert.are.same({
      'top\t[]\t{"id":1,"meta":[]}',
      'mt\t[]\t{"id":2,"meta":[]}',
      'nested\t{"l":[],"o":{},"tags":[]}',
      'update\t[]\ttrue',
      'static\t{"x":[]}',
      'stringify\t{"a":[],"b":[]}',
      'int\tfalse\tSequelizeValidationError\ttrue',
      'done',
    }, lines, text)
  end)
end)
