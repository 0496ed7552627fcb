-- stringify_spec: Sequelize.stringify(x) / Sequelize.stringify(x, indent) must print exactly
-- what JSON.stringify(x) / JSON.stringify(x, null, indent) prints for the equivalent JS value.
-- Every expected string below was produced by node 20 (JSON.stringify), for instances by
-- sequelize 6.37.8 with the attributes defined in sequelua's column order.
--
-- Plain Lua tables: a table whose keys are exactly 1..n (n >= 1) is a JSON array, any other
-- non-empty table is an object, and an empty plain table is {} (a result list is a JSON
-- array even when empty).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local S = Sequelize.stringify

local function one_of(actual, choices)
  for _, c in ipairs(choices) do
    if actual == c then return true end
  end
  return false
end

describe("Sequelize.stringify", function()
  describe("scalars", function()
    it("numbers print as JavaScript prints them", function()
      local cases = {
        { 1, "1" },
        { 1.5, "1.5" },
        { 0.1, "0.1" },
        { 1 / 3, "0.3333333333333333" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { 1e21, "1e+21" },
        { 1e20, "100000000000000000000" },
        { -0.0, "0" },
        { -42.25, "-42.25" },
        { 1e-7, "1e-7" },
        { 0.000001, "0.000001" },
        { 1.5e-7, "1.5e-7" },
        { 1.2e-10, "1.2e-10" },
        { 2 ^ 53, "9007199254740992" },
        { 5e-324, "5e-324" },
        { 1.7976931348623157e308, "1.7976931348623157e+308" },
        { 1e300, "1e+300" },
        { 2147483649, "2147483649" },
        { 123456789012, "123456789012" },
        { 100, "100" },
        { 2.0, "2" },
        { 12345678901234567890, "12345678901234567000" },
        { 0, "0" },
        { -7, "-7" },
      }
      for _, c in ipairs(cases) do
        assert.are.equal(c[2], S(c[1]), "for " .. string.format("%.17g", c[1]))
      end
    end)

    it("NaN and the infinities print as null", function()
      assert.are.equal("null", S(0 / 0))
      assert.are.equal("null", S(math.huge))
      assert.are.equal("null", S(-math.huge))
      assert.are.equal("[null,null]", S({ math.huge, 0 / 0 }))
    end)

    if _VERSION == "Lua 5.4" then
      it("prints Lua 5.4 integers exactly", function()
        assert.are.equal("9223372036854775807", S(math.maxinteger))
        assert.are.equal("-9223372036854775808", S(math.mininteger))
        assert.are.equal("[9007199254740993]", S({ 9007199254740993 }))
      end)
    end

    it("booleans and Sequelize.null", function()
      assert.are.equal("true", S(true))
      assert.are.equal("false", S(false))
      assert.are.equal("null", S(Sequelize.null))
    end)

    it("strings are quoted with JSON.stringify's escapes", function()
      assert.are.equal('"x"', S("x"))
      assert.are.equal('""', S(""))
      -- JSON.stringify('a"b\\c\n\t\r\b\f\u0001\u001f/é☃\u2028\u007f'):
      -- short escapes, \u00XX for other controls, "/" and non-ASCII (U+2028, DEL too) left as they are
      local input = "a\"b\\c\n\t\r\b\f\1\31/\195\169\226\152\131\226\128\168\127"
      local expected = [["a\"b\\c\n\t\r\b\f\u0001\u001f/]] .. "\195\169\226\152\131\226\128\168\127" .. '"'
      assert.are.equal(expected, S(input))
      assert.are.equal([["a\u0000b"]], S("a\0b"))
      assert.are.equal([["\u0007"]], S("\7"))
    end)
  end)

  describe("plain tables", function()
    it("sequences are arrays", function()
      assert.are.equal("[1,2,3]", S({ 1, 2, 3 }))
      assert.are.equal('["a","b"]', S({ "a", "b" }))
      assert.are.equal("[true,false,null,\"s\"]", S({ true, false, Sequelize.null, "s" }))
      assert.are.equal("[1,null,3]", S({ 1, Sequelize.null, 3 }))
      assert.are.equal("[[1],[2,[3]]]", S({ { 1 }, { 2, { 3 } } }))
    end)

    it("string-keyed tables are objects", function()
      assert.are.equal('{"a":1}', S({ a = 1 }))
      assert.are.equal('{"a":null}', S({ a = Sequelize.null }))
      assert.are.equal('{"list":[1,{"x":true}]}', S({ list = { 1, { x = true } } }))
      assert.are.equal('{"a\\"b":1}', S({ ['a"b'] = 1 }))
      assert.are.equal('{"k":"\195\169\226\152\131\\u0007"}', S({ k = "\195\169\226\152\131\7" }))
      -- key order of a plain Lua table is not defined: either order is JSON.stringify's output
      -- for some insertion order
      assert.is_true(one_of(S({ a = 1, b = "x" }), { '{"a":1,"b":"x"}', '{"b":"x","a":1}' }))
      assert.is_true(one_of(S({ a = {}, b = { 1, 2 } }), { '{"a":{},"b":[1,2]}', '{"b":[1,2],"a":{}}' }))
    end)

    it("integer keys that are not a sequence come first, ascending, as JSON.stringify orders them", function()
      -- node 20: {"1":"b","2":"c","3":"a","10":"d"} {"2":"a","10":"b"} {"1":"x","k":"v"};
      -- o = {}; o["10"] = 1; o.a = 2; o[2] = 3; o["01"] = 4; o[1.5] = 5; o[-1] = 6; o[4294967295] = 7; o[0] = 8
      -- -> {"0":8,"2":3,"10":1,"a":2,"01":4,"1.5":5,"-1":6,"4294967295":7} (the other keys in insertion
      -- order there, sorted by bytes here)
      assert.are.equal('{"1":"b","2":"c","3":"a","10":"d"}', S({ [3] = "a", [1] = "b", [2] = "c", [10] = "d" }))
      assert.are.equal('{"2":"a","10":"b"}', S({ [2] = "a", [10] = "b" }))
      assert.are.equal('{"1":"x","k":"v"}', S({ [1] = "x", k = "v" }))
      assert.are.equal('{"0":8,"2":3,"10":1,"-1":6,"01":4,"1.5":5,"4294967295":7,"a":2}',
        S({ ["10"] = 1, a = 2, [2] = 3, ["01"] = 4, [1.5] = 5, [-1] = 6, [4294967295] = 7, [0] = 8 }))
      -- a JSON attribute's stored text too, and read back (its keys are strings then)
      local db = Sequelize.new("sqlite::memory:")
      local T = db:define("T", { j = DataTypes.JSON }, { timestamps = false })
      db:sync()
      T:create({ id = 1, j = { [2] = "a", [10] = "b", k = "v" } })
      -- Sequelize 6.37.8 (j: { 2: 'a', 10: 'b', k: 'v' }): stored {"2":"a","10":"b","k":"v"}
      assert.are.equal('{"2":"a","10":"b","k":"v"}', db:query("SELECT j FROM Ts", { type = "SELECT", plain = true }).j)
      assert.are.equal('{"id":1,"j":{"2":"a","10":"b","k":"v"}}', S(T:findByPk(1)))
      db:close()
    end)

    it("a list with holes (keys all positive integers, at least half the slots filled) is an array with nulls", function()
      -- Sequelize 6.37.8 (meta: [1, null, 3] / ['a', undefined, 'c'] / [ , 'b']): stored and read back
      -- [1,null,3], ["a",null,"c"], [null,"b"]; lua-cjson writes { 1, nil, 3 } as [1,null,3] too
      local function f() return nil end
      assert.are.equal("[1,null,3]", S({ 1, nil, 3 }))
      assert.are.equal('["a",null,"c"]', S({ "a", nil, "c", nil }))
      assert.are.equal('[null,"b"]', S({ nil, "b" }))
      assert.are.equal('["x",null,"z"]', S({ "x", f(), "z" }))
      assert.are.equal('{"tags":["a",null,"c"]}', S({ tags = { "a", nil, "c" } }))
      -- sparser than lua-cjson's ratio (largest index over twice the items): an object keyed by numbers
      assert.are.equal('{"3":"c"}', S({ nil, nil, "c" }))
      local db = Sequelize.new("sqlite::memory:")
      local T = db:define("T", { j = DataTypes.JSON }, { timestamps = false })
      db:sync()
      local t = T:create({ id = 1, j = { 1, nil, 3 } })
      assert.are.equal("[1,null,3]", S(t.j))
      assert.are.equal("[1,null,3]", db:query("SELECT j FROM Ts", { type = "SELECT", plain = true }).j)
      local r = T:findByPk(1)
      assert.are.equal(1, r.j[1])
      assert.are.equal(Sequelize.null, r.j[2])
      assert.are.equal(3, r.j[3])
      db:close()
    end)

    it("an empty plain table is {}", function()
      assert.are.equal("{}", S({}))
      assert.are.equal('{"a":{}}', S({ a = {} }))
    end)

    it("nested tables to some depth", function()
      local t = 1
      for _ = 1, 100 do t = { t } end
      assert.are.equal(string.rep("[", 100) .. "1" .. string.rep("]", 100), S(t))
    end)
  end)

  describe("indent", function()
    it("matches JSON.stringify(x, null, 2)", function()
      assert.are.equal("[\n  1,\n  2\n]", S({ 1, 2 }, 2))
      assert.are.equal('{\n  "a": [\n    1,\n    2\n  ]\n}', S({ a = { 1, 2 } }, 2))
      assert.are.equal('{\n  "a": {}\n}', S({ a = {} }, 2))
      assert.are.equal("{}", S({}, 2))
      assert.are.equal("1", S(1, 2))
      assert.are.equal('"s"', S("s", 2))
      assert.are.equal([[
{
  "a": {
    "b": {
      "c": [
        1,
        {
          "d": "x"
        }
      ]
    }
  }
}]], S({ a = { b = { c = { 1, { d = "x" } } } } }, 2))
    end)

    it("matches JSON.stringify(x, null, 4)", function()
      assert.are.equal([=[
[
    1,
    [
        2,
        [
            3
        ]
    ],
    "s",
    null,
    true
]]=], S({ 1, { 2, { 3 } }, "s", Sequelize.null, true }, 4))
    end)

    it("indent 0 is the compact form", function()
      assert.are.equal('{"a":[1]}', S({ a = { 1 } }, 0))
    end)

    it("a string indent is JSON.stringify's string space: its first 10 characters per level", function()
      -- node 20 (sequelize 6.37.8's JSON.stringify): JSON.stringify({ a: [1] }, null, '\t') ->
      -- '{\n\t"a": [\n\t\t1\n\t]\n}'; 'ab' -> '{\nab"a": [\nabab1\nab]\n}';
      -- '0123456789XYZ' -> its first 10 per level; 'é' x 13 -> 10 of them; '😀' x 6 -> 5 (two
      -- code units each); '' -> '{"a":[1]}'; 1e300 -> 10 spaces
      assert.are.equal('{\n\t"a": [\n\t\t1\n\t]\n}', S({ a = { 1 } }, "\t"))
      assert.are.equal('{\nab"a": [\nabab1\nab]\n}', S({ a = { 1 } }, "ab"))
      assert.are.equal('{\n0123456789"a": [\n012345678901234567891\n0123456789]\n}', S({ a = { 1 } }, "0123456789XYZ"))
      assert.are.equal('{\n' .. ("é"):rep(10) .. '"a": 1\n}', S({ a = 1 }, ("é"):rep(13)))
      assert.are.equal('{\n' .. ("😀"):rep(5) .. '"a": 1\n}', S({ a = 1 }, ("😀"):rep(6)))
      assert.are.equal('{"a":[1]}', S({ a = { 1 } }, ""))
      -- (node writes the gap up to a NUL: 'ab\u0000cd' -> '{\nab"a": [\nabab1\nab]\n}'; '\u0000x' -> no gap)
      assert.are.equal('{\nab"a": [\nabab1\nab]\n}', S({ a = { 1 } }, "ab\0cd"))
      assert.are.equal('{\n"a": [\n1\n]\n}', S({ a = { 1 } }, "\0x"))
      assert.are.equal('{\n' .. (" "):rep(10) .. '"a": 1\n}', S({ a = 1 }, 1e300))
      assert.has_error(function() S({ a = 1 }, true) end)
    end)

    it("a string indent lays out instances and their includes as JSON.stringify does", function()
      local db = Sequelize.new("sqlite::memory:")
      local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
      local P = db:define("Post", { t = DataTypes.STRING }, { timestamps = false })
      U:hasMany(P)
      db:sync()
      U:create({ name = "a" })
      -- Sequelize 6.37.8: JSON.stringify(await U.findAll({ include: P }), null, '\t')
      assert.are.equal('[\n\t{\n\t\t"id": 1,\n\t\t"name": "a",\n\t\t"Posts": []\n\t}\n]',
        S(U:findAll({ include = P }), "\t"))
      db:close()
    end)
  end)

  describe("instances", function()
    local db, Item

    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      Item = db:define("Item", {
        name = DataTypes.STRING,
        price = DataTypes.FLOAT,
        qty = DataTypes.INTEGER,
        active = DataTypes.BOOLEAN,
        at = DataTypes.DATE,
        day = DataTypes.DATEONLY,
        meta = DataTypes.JSON,
        note = DataTypes.TEXT,
      }, { timestamps = false })
      db:sync()
      Item:create({
        name = 'Widget "A"', price = 9.5, active = true, at = "2023-09-18T07:56:40.205Z",
        day = "2023-09-18", meta = { tags = { "x", "y" } }, qty = 3,
      })
      Item:create({ name = "Gadget", active = false, price = 0.1, qty = -2 })
    end)

    after_each(function()
      if db then db:close() end
      db = nil
    end)

    local F1 = '{"id":1,"active":true,"at":"2023-09-18T07:56:40.205Z","day":"2023-09-18","meta":{"tags":["x","y"]},"name":"Widget \\"A\\"","note":null,"price":9.5,"qty":3}'
    local F2 = '{"id":2,"active":false,"at":null,"day":null,"meta":null,"name":"Gadget","note":null,"price":0.1,"qty":-2}'

    it("a fetched instance: keys in column order, dates ISO, NULL as null", function()
      local a = Item:findByPk(1)
      local b = Item:findByPk(2)
      assert.are.equal(F1, S(a))
      assert.are.equal(F2, S(b))
    end)

    it("tostring(instance) is the compact form", function()
      local a = Item:findByPk(1)
      assert.are.equal(F1, tostring(a))
      assert.are.equal(S(a), tostring(a))
      assert.are.equal(F2, tostring(Item:findByPk(2)))
    end)

    it("a created instance holds the values given, its key and defaults (no unset columns)", function()
      local c = Item:create({ name = "New", qty = 1, note = Sequelize.null })
      assert.are.equal('{"id":3,"name":"New","note":null,"qty":1}', S(c))
      assert.are.equal(S(c), tostring(c))
      -- and fetched it has every column
      assert.are.equal('{"id":3,"active":null,"at":null,"day":null,"meta":null,"name":"New","note":null,"price":null,"qty":1}', S(Item:findByPk(3)))
    end)

    it("a list of instances is an array", function()
      local all = Item:findAll({ order = { { "id", "ASC" } } })
      assert.are.equal("[" .. F1 .. "," .. F2 .. "]", S(all))
      -- a plain Lua list holding instances, and an instance under a key
      assert.are.equal("[" .. F2 .. "]", S({ Item:findByPk(2) }))
      assert.are.equal('{"item":' .. F2 .. "}", S({ item = Item:findByPk(2) }))
    end)

    it("an empty result list is []", function()
      local none = Item:findAll({ where = { name = "none" } })
      assert.are.equal(0, #none)
      assert.are.equal("[]", S(none))
      assert.are.equal("[]", S(none, 2))
      Item:destroy({ where = {} })
      assert.are.equal(0, Item:count())
      assert.are.equal("[]", S(Item:findAll()))
    end)

    it("indent 2 for an instance and a list", function()
      local a = Item:findByPk(1)
      assert.are.equal([[
{
  "id": 1,
  "active": true,
  "at": "2023-09-18T07:56:40.205Z",
  "day": "2023-09-18",
  "meta": {
    "tags": [
      "x",
      "y"
    ]
  },
  "name": "Widget \"A\"",
  "note": null,
  "price": 9.5,
  "qty": 3
}]], S(a, 2))
      local all = Item:findAll({ order = { { "id", "ASC" } } })
      assert.are.equal([=[
[
  {
    "id": 1,
    "active": true,
    "at": "2023-09-18T07:56:40.205Z",
    "day": "2023-09-18",
    "meta": {
      "tags": [
        "x",
        "y"
      ]
    },
    "name": "Widget \"A\"",
    "note": null,
    "price": 9.5,
    "qty": 3
  },
  {
    "id": 2,
    "active": false,
    "at": null,
    "day": null,
    "meta": null,
    "name": "Gadget",
    "note": null,
    "price": 0.1,
    "qty": -2
  }
]]=], S(all, 2))
    end)

    it("timestamps come last, as ISO strings", function()
      local User = db:define("User", { name = DataTypes.STRING })
      User:sync()
      local u = User:create({ name = "a" })
      assert.truthy(tostring(u.createdAt):match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"))
      local expected = '{"id":1,"name":"a","createdAt":"' .. u.createdAt .. '","updatedAt":"' .. u.updatedAt .. '"}'
      assert.are.equal(expected, S(u))
      assert.are.equal(expected, S(User:findByPk(1)))
      assert.are.equal(expected, tostring(User:findByPk(1)))
    end)
  end)

  -- Sequelize 6.37.8 (U hasMany P, P.bl a BLOB holding "hi" and "\0\255"): JSON.stringify of the
  -- instance, of toJSON(), of get({ plain: true }), of raw rows, of sequelize.query rows and of
  -- queryInterface.select rows all write a BLOB as {"type":"Buffer","data":[104,105]} /
  -- {"type":"Buffer","data":[0,255]} (raw: "Ps.bl":{"type":"Buffer",...})
  describe("BLOB values", function()
    local db, U, P
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      U = db:define("U", { name = DataTypes.STRING }, { timestamps = false })
      P = db:define("P", { bl = DataTypes.BLOB }, { timestamps = false })
      U:hasMany(P)
      db:sync()
      U:create({ name = "u", Ps = { { bl = "hi" }, { bl = "\0\255" } } }, { include = { P } })
    end)
    after_each(function() db:close() end)

    local HI, BIN = '{"type":"Buffer","data":[104,105]}', '{"type":"Buffer","data":[0,255]}'

    it("toJSON gives Sequelize's Buffer as a table, which stringify and cjson write as JSON.stringify does", function()
      local u = U:findOne({ include = { P }, order = { { P, "id" } } })
      local expected = '{"id":1,"name":"u","Ps":[{"id":1,"bl":' .. HI .. ',"UId":1},{"id":2,"bl":' .. BIN .. ',"UId":1}]}'
      assert.are.equal(expected, S(u))
      local j = u:toJSON()
      assert.are.same({ type = "Buffer", data = { 104, 105 } }, j.Ps[1].bl)
      assert.are.equal(Sequelize.buffer_mt, getmetatable(j.Ps[1].bl))
      assert.are.equal('{"Ps":[{"UId":1,"bl":' .. HI .. ',"id":1},{"UId":1,"bl":' .. BIN .. ',"id":2}],"id":1,"name":"u"}', S(j))
      assert.are.equal(BIN, S(P:findByPk(2):toJSON().bl))
      local ok, cjson = pcall(require, "cjson")
      if ok then assert.are.same({ type = "Buffer", data = { 0, 255 } }, cjson.decode(cjson.encode(j)).Ps[2].bl) end
      -- get({ plain = true }) keeps the bytes as a Lua string, as the instance holds them
      assert.are.equal("hi", u:get({ plain = true }).Ps[1].bl)
      assert.are.equal("\0\255", P:findByPk(2):get({ plain = true }).bl)
    end)

    it("stringify writes the bytes of plain rows as a Buffer when they are no UTF-8, and never raises", function()
      local u = U:findOne({ include = { P }, order = { { P, "id" } } })
      assert.are.equal(BIN, S(u:get({ plain = true }).Ps[2].bl))
      assert.are.equal('[{"bl":"hi"},{"bl":' .. BIN .. '}]', S((db:query("SELECT bl FROM Ps ORDER BY id"))))
      assert.are.equal('{"UId":1,"bl":' .. BIN .. ',"id":2}', S(P:findByPk(2, { raw = true })))
      assert.are.equal(BIN, S(db:getQueryInterface():select(nil, "Ps", { where = { id = 2 } })[1].bl))
      assert.are.equal(BIN, S(db:query("SELECT * FROM Ps WHERE id = 2", { model = P, raw = true })[1].bl))
      local rows = U:findAll({ include = { P }, raw = true, order = { { P, "id" } } })
      assert.are.equal(BIN, S(rows[2]["Ps.bl"]))
    end)
  end)

  describe("errors", function()
    it("a function is left out of an object and null in a list, as JSON.stringify does; alone it raises", function()
      -- node 20 / sequelize 6.37.8: JSON.stringify({ a: 1, f: console.log }) -> {"a":1};
      -- [1, console.log, 3] -> [1,null,3]; an instance whose VIRTUAL getter returns a closure
      -- -> {"id":1,"n":1} (the getter's value still reads as the function)
      assert.are.equal('{"a":1}', S({ a = 1, f = function() end }))
      assert.are.equal("[1,null,3]", S({ 1, print, 3 }))
      assert.are.equal("[null]", S({ print }))
      assert.are.equal('{"a":{"b":2}}', S({ a = { b = 2, f = print } }))
      local db = Sequelize.new("sqlite::memory:")
      local U = db:define("U", { n = DataTypes.INTEGER,
        fmt = { type = DataTypes.VIRTUAL, get = function(self) return function(p) return p .. self.n end end },
      }, { timestamps = false })
      db:sync()
      U:create({ n = 1 })
      local u = U:findOne()
      assert.are.equal("n=1", u.fmt("n="))
      assert.are.equal('{"id":1,"n":1}', S(u))
      assert.are.equal('{"id":1,"n":1}', tostring(u))
      assert.are.equal('[{"id":1,"n":1}]', S(U:findAll()))
      db:close()
      -- (JSON.stringify of a function alone gives undefined, no text: an error here)
      local ok = pcall(S, function() end)
      assert.is_false(ok)
      -- the encoder is still usable afterwards
      assert.are.equal("[1]", S({ 1 }))
    end)

    it("a cyclic table raises an error instead of crashing", function()
      local t = { name = "loop" }
      t.self = t
      local ok, err = pcall(S, t)
      assert.is_false(ok)
      assert.is_not_nil(err)
      local a, b = {}, {}
      a[1] = b
      b[1] = a
      ok = pcall(S, a)
      assert.is_false(ok)
      ok = pcall(S, a, 2)
      assert.is_false(ok)
      assert.are.equal('{"a":1}', S({ a = 1 }))
    end)

    it("a shared (non-cyclic) subtable is fine", function()
      local shared = { 1 }
      assert.are.equal("[[1],[1]]", S({ shared, shared }))
    end)
  end)
end)

describe("lists and lua-cjson", function()
  it("take cjson.array_mt as their metatable where lua-cjson has one (OpenResty's), so cjson.encode writes []", function()
    -- (Debian's lua-cjson has no array_mt, so a child process gives sequelua a cjson that has
    -- one, as OpenResty's does, and checks the lists read carry it)
    local interp = jit and "luajit" or "lua5.4"
    local child = os.tmpname()
    local f = assert(io.open(child, "w"))
    f:write([[
      local fake_mt = {}
      package.loaded.cjson = { array_mt = fake_mt }
      local Sequelize = require("sequelua")
      local db = Sequelize.new("sqlite::memory:")
      local U = db:define("U", { n = Sequelize.DataTypes.STRING }, { timestamps = false })
      local P = db:define("P", {}, { timestamps = false })
      U:hasMany(P)
      db:sync()
      U:create({ n = "a" })
      local rows = U:findAll({ include = P })
      print(Sequelize.array_mt == fake_mt, getmetatable(rows) == fake_mt,
            getmetatable(rows[1]:toJSON().Ps) == fake_mt, Sequelize.stringify(rows[1]:toJSON().Ps))
      db:close()
    ]])
    f:close()
    local p = assert(io.popen(interp .. " " .. child .. " 2>&1"))
    local out = p:read("*a")
    p:close()
    os.remove(child)
    assert.are.equal("true\ttrue\ttrue\t[]\n", out)
    -- here (no array_mt in this lua-cjson) the lists carry sequelua's own
    local ok, cjson = pcall(require, "cjson")
    if ok and cjson.array_mt == nil then assert.are.equal("sequelua.array", Sequelize.array_mt.__name) end
  end)
end)

describe("stringify of a Sequelize.cast value", function()
  -- Sequelize 6.37.8: JSON.stringify(sequelize.cast('5', 'integer')) is
  -- {"val":"5","type":"integer","json":false} (the type as given, trimmed; the SQL upper-cases
  -- it), and an instance updated with one holds it: {"id":1,...,"age":{"val":"5","type":"INTEGER","json":false}}
  it("writes Sequelize's Cast object, standalone, nested and on an instance", function()
    assert.are.equal('{"val":"5","type":"integer","json":false}', S(Sequelize.cast("5", " integer ")))
    assert.are.equal('{"fn":"f","args":[{"val":1,"type":"int","json":false}]}', S(Sequelize.fn("f", Sequelize.cast(1, "int"))))
    assert.are.equal('{"val":{"fn":"g","args":[1]},"type":"text","json":false}', S(Sequelize.cast(Sequelize.fn("g", 1), "text")))
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { nm = DataTypes.STRING, age = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    local u = U:create({ nm = "a", age = 1 })
    u:update({ age = Sequelize.cast("5", "INTEGER") })
    assert.are.equal('{"id":1,"age":{"val":"5","type":"INTEGER","json":false},"nm":"a"}', tostring(u))
    u:update({ nm = Sequelize.fn("upper", "x"), age = Sequelize.cast(Sequelize.col("age"), "TEXT") })
    assert.are.equal('{"id":1,"age":{"val":{"col":"age"},"type":"TEXT","json":false},"nm":{"fn":"upper","args":["x"]}}',
                     S(u))
    assert.are.same({ { id = 1, nm = "X", age = 5 } }, U:findAll({ raw = true }))
    db:close()
  end)
end)
