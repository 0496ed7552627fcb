-- Values that differ between Lua 5.4 and LuaJIT: integers beyond 2^53 (LuaJIT numbers are
-- doubles: such column values read as decimal strings, never rounded) and the NULL value
-- shared with lua-cjson and OpenResty (Sequelize.null == cjson.null == ngx.null).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local cjson = require("cjson")

local IS_JIT = jit ~= nil

describe("values across Lua 5.4 and LuaJIT", function()
  local db, Big

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Big = db:define("Big", { n = DataTypes.BIGINT, s = DataTypes.STRING }, { timestamps = false })
    db:sync()
  end)

  after_each(function() db:close() end)

  it("integers within 2^53 are numbers under both interpreters", function()
    local r = Big:create({ n = 9007199254740992 })
    local back = Big:findByPk(r.id)
    assert.are.equal("number", type(back.n))
    assert.are.equal(9007199254740992, back.n)
    assert.are.equal(-9007199254740992, Big:create({ n = -9007199254740992 }):reload().n)
  end)

  it("integers beyond 2^53 are exact: decimal strings under LuaJIT, integers under 5.4", function()
    -- written as a decimal string, which SQLite stores as an exact 64-bit integer
    local r = Big:create({ n = "9007199254740993" })
    local raw = db:query("SELECT typeof(n) AS t, CAST(n AS TEXT) AS txt FROM Bigs WHERE id = ?",
      { replacements = { r.id } })[1]
    assert.are.equal("integer", raw.t)
    assert.are.equal("9007199254740993", raw.txt)
    local back = Big:findByPk(r.id)
    if IS_JIT then
      assert.are.equal("string", type(back.n))
      assert.are.equal("9007199254740993", back.n)
      assert.are.equal('{"id":' .. r.id .. ',"n":"9007199254740993","s":null}', tostring(back))
    else
      assert.are.equal(math.tointeger("9007199254740993"), back.n)
      assert.are.equal('{"id":' .. r.id .. ',"n":9007199254740993,"s":null}', tostring(back))
    end
    -- and where clauses match it exactly
    assert.are.equal(1, Big:count({ where = { n = "9007199254740993" } }))
    assert.are.equal(0, Big:count({ where = { n = "9007199254740992" } }))
  end)

  it("a new row's key beyond 2^53 is exact too: save and destroy reach that row, not a neighbour", function()
    db:query("INSERT INTO `Bigs` (id, s) VALUES (9007199254740994, 'x')")
    local a = Big:create({ s = "mine" })
    local b = Big:create({ id = "9007199254740996", s = "victim" })
    local bulk = Big:bulkCreate({ { s = "b1" }, { s = "b2" } })
    if IS_JIT then
      assert.are.equal("9007199254740995", a.id)
      assert.are.same({ "9007199254740997", "9007199254740998" }, { bulk[1].id, bulk[2].id })
    else
      assert.are.equal(9007199254740995, a.id)
      assert.are.same({ 9007199254740997, 9007199254740998 }, { bulk[1].id, bulk[2].id })
    end
    a.s = "changed"
    a:save()
    bulk[2]:destroy()
    assert.are.equal("victim", Big:findByPk(b.id).s)
    assert.are.equal("changed", Big:findByPk(a.id).s)
    assert.are.equal(4, Big:count())
    assert.is_nil(Big:findByPk(bulk[2].id))
  end)

  it("association accessors keep keys beyond 2^53 exact: n:m add / set and hasMany set link the row given", function()
    -- (Lua 5.4 was exact already; under LuaJIT "9007199254740993" was rounded to 2^53 and the
    -- join row linked tag A, and hasMany setXs saw equal keys and changed nothing)
    local P = db:define("P", { id = { type = DataTypes.BIGINT, primaryKey = true }, title = DataTypes.STRING },
      { timestamps = false })
    local Tg = db:define("Tg", { id = { type = DataTypes.BIGINT, primaryKey = true } }, { timestamps = false })
    local U = db:define("U", { name = DataTypes.STRING }, { timestamps = false })
    P:belongsToMany(Tg, { through = "PT", timestamps = false })
    U:hasMany(P); P:belongsTo(U)
    db:sync()
    local function K(s) return math.type and math.tointeger(tonumber(s)) or s end
    local A, B = K("9007199254740992"), K("9007199254740993")
    local function rows(sql)
      local out = {}
      for i, r in ipairs(db:query(sql)) do out[i] = r.k end
      return out
    end
    Tg:create({ id = A }); Tg:create({ id = B })
    local p = P:create({ id = A, title = "A" })
    p:addTg(Tg:findByPk(B))
    assert.are.same({ "9007199254740993" }, rows("SELECT CAST(TgId AS TEXT) AS k FROM PT"))
    assert.are.same({ B }, { p:getTgs()[1].id })
    assert.is_true(p:hasTg(B))
    p:setTgs({ Tg:findByPk(A), "9007199254740993" }) -- B kept, A added
    assert.are.same({ "9007199254740992", "9007199254740993" }, rows("SELECT CAST(TgId AS TEXT) AS k FROM PT ORDER BY TgId"))
    p:setTgs({ " 9007199254740993 " }) -- A dropped
    assert.are.same({ "9007199254740993" }, rows("SELECT CAST(TgId AS TEXT) AS k FROM PT"))
    -- hasMany setXs: A unlinked, B linked
    local u = U:create({ name = "u" })
    p:update({ UId = u.id })
    P:create({ id = B, title = "B" })
    u:setPs({ P:findByPk(B) })
    assert.are.same({ "9007199254740992=", "9007199254740993=1" },
      rows("SELECT CAST(id AS TEXT) || '=' || IFNULL(UId, '') AS k FROM Ps ORDER BY id"))
  end)

  it("increment / decrement by an integer string beyond 2^53 add the exact amount", function()
    -- Sequelize 6.37.8: T.increment('n', { by: '9007199254740993', where }) on n = 1 stores
    -- 9007199254740994 (SQLite adds the text's exact integer). LuaJIT added 2^53 before.
    local r = Big:create({ n = 1 })
    local function n() return db:query("SELECT CAST(n AS TEXT) AS t FROM Bigs WHERE id = ?", { replacements = { r.id } })[1].t end
    Big:increment("n", { by = "9007199254740993", where = { id = r.id } })
    assert.are.equal("9007199254740994", n())
    r:increment({ n = "9007199254740993" })
    assert.are.equal("18014398509481987", n())
    r:decrement("n", { by = " 9007199254740993 " })
    assert.are.equal("9007199254740994", n())
    Big:decrement({ n = "-9007199254740993" }, { where = { id = r.id } })
    assert.are.equal("18014398509481987", n())
  end)

  it("max, min and sum of integers beyond 2^53 are exact, as a find reads them", function()
    -- (Sequelize 6.37.8's max reads a JS number, 9007199254740992; the README's rule is exact
    -- values: Lua 5.4 integers, LuaJIT decimal strings, as findOne and plain = false give them)
    Big:create({ n = "9007199254740993" })
    local exact = IS_JIT and "9007199254740993" or math.tointeger("9007199254740993")
    assert.are.same({ exact, exact, exact }, { Big:max("n"), Big:min("n"), Big:sum("n") })
    assert.are.equal(exact, Big:findOne().n)
    assert.are.same({ { max = exact } }, Big:aggregate("n", "max", { plain = false }))
    assert.are.equal(1, Big:count({ where = { n = Big:max("n") } }))
    -- within 2^53 a number, as before
    Big:create({ n = -5 })
    assert.are.same({ -5, "number" }, { Big:min("n"), type(Big:min("n")) })
  end)

  it("Sequelize.null is cjson.null (and ngx.null, the same light userdata)", function()
    assert.are.equal(cjson.null, Sequelize.null)
    assert.are.equal("userdata", type(Sequelize.null))
  end)

  it("a decoded JSON body with nulls goes straight into create and update", function()
    local body = cjson.decode('{"n": null, "s": "x"}')
    local r = Big:create(body)
    local back = Big:findByPk(r.id)
    assert.is_nil(back.n)
    assert.are.equal("x", back.s)
    back:update(cjson.decode('{"s": null}'))
    local raw = db:query("SELECT s FROM Bigs WHERE id = ?", { replacements = { r.id } })[1]
    assert.are.equal(cjson.null, raw.s)
    -- and back out: toJSON's NULLs encode with cjson as null
    local out = cjson.decode(cjson.encode(Big:findByPk(r.id):toJSON()))
    assert.are.equal(r.id, out.id)
    assert.are.equal(cjson.null, out.n)
    assert.are.equal(cjson.null, out.s)
  end)

  it("a decoded body's integral numbers (floats under Lua 5.4's lua-cjson) are held as integers by INTEGER attributes", function()
    -- (JavaScript has one number type: Sequelize's u.id is 7 however it came; here
    -- "/users/" .. u.id was "/users/7.0" until a reload)
    local U = db:define("U", { age = DataTypes.INTEGER, score = DataTypes.FLOAT }, { timestamps = false })
    db:sync()
    local u = U:create(cjson.decode('{"id": 7, "age": 30, "score": 2}'))
    assert.are.equal("/users/7 30", "/users/" .. u.id .. " " .. u.age)
    u.age = 31.0
    assert.are.equal("31", tostring(u.age))
    u:update({ age = 40.0 })
    assert.are.equal("40", tostring(u.age))
    u:set("age", 41.0, { raw = true })
    assert.are.equal("41", tostring(u.age))
    assert.are.equal("5", tostring(U:bulkCreate({ { age = 5.0 } })[1].age))
    assert.are.equal("6", tostring(U:build({ age = 6.0 }).age))
    if math.type then
      assert.are.equal("float", math.type(u.score)) -- (a FLOAT attribute keeps its float)
      assert.are.equal("float", math.type(U:build({ age = 2 ^ 60 }).age)) -- (beyond 2^53: as given)
    end
  end)
end)
