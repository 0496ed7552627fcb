-- types_spec: values round-trip through a real table (create, then findByPk / findAll),
-- and a raw db:query shows the stored form. Expectations marked "Sequelize:" were checked
-- against sequelize 6.37.8 + sqlite3 (stored text, typeof, read-back values, messages).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local IS54 = _VERSION == "Lua 5.4"

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02X", c:byte()) end))
end

local function raw_row(db, sql, id)
  local rows = db:query(sql, { replacements = { id } })
  assert.are.equal(1, #rows)
  return rows[1]
end

describe("types", function()
  local db, Val

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Val = db:define("Val", {
      i = DataTypes.INTEGER,
      big = DataTypes.BIGINT,
      f = DataTypes.FLOAT,
      d = DataTypes.DOUBLE,
      r = DataTypes.REAL,
      flag = DataTypes.BOOLEAN,
      str = DataTypes.STRING,
      txt = DataTypes.TEXT,
      bin = DataTypes.BLOB,
      at = DataTypes.DATE,
      day = DataTypes.DATEONLY,
      doc = DataTypes.JSON,
      uid = DataTypes.UUID,
      price = DataTypes.DECIMAL(10, 2),
      size = DataTypes.ENUM("small", "large"),
    }, { timestamps = false })
    db:sync()
  end)

  after_each(function()
    if db then db:close() end
    db = nil
  end)

  describe("integers", function()
    it("round-trip exactly and are stored as SQLite integers", function()
      local values = { 0, 1, -5, 42, 2147483647, 2147483649, -2147483649, 4294967296, 9007199254740991, -9007199254740991 }
      for _, v in ipairs(values) do
        local x = Val:create({ i = v, big = v })
        local back = Val:findByPk(x.id)
        assert.are.equal(v, back.i)
        assert.are.equal(v, back.big)
        assert.are.equal(string.format("%d", v), string.format("%d", back.big))
        local raw = raw_row(db, "SELECT typeof(i) AS ti, typeof(big) AS tb, big FROM Vals WHERE id = ?", x.id)
        assert.are.equal("integer", raw.ti)
        assert.are.equal("integer", raw.tb)
        assert.are.equal(v, raw.big)
      end
      assert.are.equal(#values, Val:count())
    end)

    it("read back as numbers that print without a fraction", function()
      local x = Val:create({ i = 42, big = -7 })
      local back = Val:findByPk(x.id)
      assert.are.equal("number", type(back.i))
      assert.are.equal("42", tostring(back.i))
      assert.are.equal("-7", tostring(back.big))
      assert.are.equal("1", tostring(back.id))
    end)

    if IS54 then
      it("keep full 64-bit precision under Lua 5.4", function()
        local values = { math.maxinteger, math.mininteger, 9007199254740993, -9007199254740993, 4611686018427387904 }
        for _, v in ipairs(values) do
          local x = Val:create({ big = v })
          local back = Val:findByPk(x.id)
          assert.are.equal("integer", math.type(back.big))
          assert.is_true(back.big == v, tostring(back.big) .. " ~= " .. tostring(v))
          local raw = raw_row(db, "SELECT CAST(big AS TEXT) AS s FROM Vals WHERE id = ?", x.id)
          assert.are.equal(tostring(v), raw.s)
        end
        local found = Val:findAll({ where = { big = math.maxinteger } })
        assert.are.equal(1, #found)
        assert.are.equal("integer", math.type(Val:findByPk(1).id))
      end)
    end
  end)

  describe("floats", function()
    it("read the texts Sequelize stores for NaN and the infinities in FLOAT, DOUBLE and REAL as those numbers", function()
      db:query("INSERT INTO Vals (id, f, d, r, str) VALUES (1, 'NaN', 'Infinity', '-Infinity', 'NaN')")
      for _, raw in ipairs({ false, true }) do
        local v = Val:findByPk(1, { raw = raw })
        assert.is_true(v.f ~= v.f)
        assert.are.equal(math.huge, v.d)
        assert.are.equal(-math.huge, v.r)
        assert.are.equal("NaN", v.str)
      end
    end)

    it("a NaN read back set again is no change, and the row saves (Sequelize's set compares with _.isEqual)", function()
      db:query("INSERT INTO Vals (id, f, d, r, str) VALUES (1, 'NaN', 'Infinity', '-Infinity', 'a')")
      local v = Val:findByPk(1)
      v.f = v.f
      v:setDataValue("f", 0 / 0)
      v:set(v:get({ plain = true }))
      assert.is_false(v:changed())
      v.str = "b"
      v:save()
      v:update({ f = 0 / 0, str = "c" })
      v:update(v:get({ plain = true }))
      assert.are.equal("c", Val:findByPk(1).str)
    end)

    it("round-trip bit-exactly through FLOAT, DOUBLE and REAL and are stored as real", function()
      local values = { 1.5, -0.25, 0.1, 1 / 3, 3.141592653589793, 1e300, -1e-300, 123456.789 }
      for _, v in ipairs(values) do
        local x = Val:create({ f = v, d = v, r = v })
        local back = Val:findByPk(x.id)
        assert.are.equal(v, back.f)
        assert.are.equal(v, back.d)
        assert.are.equal(v, back.r)
        local raw = raw_row(db, "SELECT typeof(f) AS tf, typeof(d) AS td, typeof(r) AS tr, d FROM Vals WHERE id = ?", x.id)
        assert.are.equal("real", raw.tf)
        assert.are.equal("real", raw.td)
        assert.are.equal("real", raw.tr)
        assert.are.equal(v, raw.d)
      end
    end)
  end)

  describe("booleans", function()
    it("read a one-byte blob as its byte: 0 / 1 false / true, another byte that number (Sequelize's BOOLEAN)", function()
      local cases = { { "00", false }, { "01", true }, { "02", 2 }, { "0101", "\1\1" }, { "", "" } }
      for _, case in ipairs(cases) do
        db:query("INSERT INTO Vals (flag) VALUES (X'" .. case[1] .. "')")
        local row = Val:findOne({ order = { { "id", "DESC" } } })
        assert.are.equal(case[2], row.flag)
        assert.are.equal(case[2], Val:findOne({ order = { { "id", "DESC" } }, raw = true }).flag)
      end
    end)

    it("are stored as 1 / 0 and read back as true / false", function()
      local t = Val:create({ flag = true })
      local f = Val:create({ flag = false })
      assert.is_true(t.flag)
      assert.is_false(f.flag)
      local rt = raw_row(db, "SELECT flag, typeof(flag) AS tf FROM Vals WHERE id = ?", t.id)
      local rf = raw_row(db, "SELECT flag, typeof(flag) AS tf FROM Vals WHERE id = ?", f.id)
      assert.are.equal(1, rt.flag)
      assert.are.equal("integer", rt.tf)
      assert.are.equal(0, rf.flag)
      local bt, bf = Val:findByPk(t.id), Val:findByPk(f.id)
      assert.are.equal("boolean", type(bt.flag))
      assert.is_true(bt.flag)
      assert.are.equal("boolean", type(bf.flag))
      assert.is_false(bf.flag)
      local trues = Val:findAll({ where = { flag = true } })
      assert.are.equal(1, #trues)
      assert.are.equal(t.id, trues[1].id)
      local falses = Val:findAll({ where = { flag = false } })
      assert.are.equal(1, #falses)
      assert.are.equal(f.id, falses[1].id)
    end)

    it("1 / 0 and \"true\" / \"false\" given to build, create, bulkCreate or an assignment become booleans", function()
      -- Sequelize's BOOLEAN sanitizer (6.37.8: create({ active: 0 }).active === false,
      -- build({ active: 'false' }).active === false and changed, `b.active = 1` gives true)
      local a = Val:create({ flag = 0 })
      assert.is_false(a.flag)
      assert.are.equal('"flag":false', Sequelize.stringify(a):match('"flag":%a+'))
      local b = Val:build({ flag = "false" })
      assert.is_false(b.flag)
      assert.is_true(b:changed("flag"))
      b.flag = 1
      assert.is_true(b.flag)
      b:save()
      assert.are.equal(1, raw_row(db, "SELECT flag FROM Vals WHERE id = ?", b.id).flag)
      local list = Val:bulkCreate({ { flag = "true" }, { flag = 0 } })
      assert.is_true(list[1].flag)
      assert.is_false(list[2].flag)
      b:update({ flag = "false" })
      assert.is_false(b.flag)
      assert.is_false(Val:findByPk(b.id).flag)
      -- raw too (Sequelize 6.37.8: set('ok', 1, { raw: true }) gives true), without marking it changed
      b:set("flag", 1, { raw = true })
      assert.is_true(b.flag)
      b:set({ flag = "false" }, { raw = true })
      assert.is_false(b.flag)
      assert.is_false(b:changed("flag"))
    end)

    it("a boolean given to a string or number attribute is written as 1 / 0, and compared so in a where", function()
      -- Sequelize 6.37.8 (no typeValidation): create({ i: true, str: false, size: true, ... }) stores
      -- i 1 (integer), str "0" and size "1" (text), uid 1; reload gives 1, "0", "1"; where { i: true }
      -- is `i` = 1 and where { str: false } finds the "0"; update and bulkCreate write 1 / 0 too.
      -- (Not the ENUM size: an ENUM here takes only its values, README's differences.)
      local r = Val:create({ i = true, big = false, f = true, d = true, price = false, str = false, txt = true,
                             uid = true })
      local row = raw_row(db, "SELECT i, typeof(i) AS ti, big, f, d, price, str, typeof(str) AS ts, txt, uid FROM Vals WHERE id = ?", r.id)
      assert.are.same({ i = 1, ti = "integer", big = 0, f = 1, d = 1, price = 0, str = "0", ts = "text", txt = "1",
                        uid = 1 }, row)
      r:reload()
      assert.are.same({ 1, "0" }, { r.i, r.str })
      assert.are.equal(r.id, Val:findOne({ where = { i = true, str = false } }).id)
      assert.are.equal(1, Val:update({ i = false }, { where = { id = r.id } }))
      assert.are.equal(0, r:reload().i)
      local list = Val:bulkCreate({ { i = true }, { i = false } })
      assert.are.same({ 1, 0 }, { Val:findByPk(list[1].id).i, Val:findByPk(list[2].id).i })
      -- with typeValidation Sequelize's validators refuse it (true is not a valid integer)
      local tdb = Sequelize.new("sqlite::memory:", { typeValidation = true })
      local T = tdb:define("T", { i = DataTypes.INTEGER, s = DataTypes.STRING }, { timestamps = false })
      T:sync()
      assert.are.equal("true is not a valid integer", support.catch_message(function() T:create({ i = true }) end).message)
      assert.are.equal("true is not a valid string", support.catch_message(function()
        T:findAll({ where = { s = true } }) end).message)
    end)

    it("reads a 1 / 0 written by another program as true / false", function()
      db:query("INSERT INTO Vals (id, flag) VALUES (10, 1), (11, 0)")
      assert.is_true(Val:findByPk(10).flag)
      assert.is_false(Val:findByPk(11).flag)
    end)
  end)

  describe("strings", function()
    it("round-trip quotes, backslashes, NUL bytes and UTF-8 unchanged, stored as text", function()
      local values = {
        "it's \"quoted\"",
        "back\\slash and \\n not a newline",
        "line\nbreak\ttab\r",
        "a\0b\0",
        "h\195\169llo \226\152\131 \240\159\152\128",    -- héllo ☃ 😀
        "'; DROP TABLE Vals; --",
        "",
      }
      for _, v in ipairs(values) do
        local x = Val:create({ str = v, txt = v })
        local back = Val:findByPk(x.id)
        assert.are.equal(v, back.str)
        assert.are.equal(v, back.txt)
        local raw = raw_row(db, "SELECT txt, typeof(txt) AS t, length(CAST(txt AS BLOB)) AS n FROM Vals WHERE id = ?", x.id)
        assert.are.equal("text", raw.t)
        assert.are.equal(#v, raw.n)
        assert.are.equal(v, raw.txt)
        local found = Val:findAll({ where = { str = v } })
        assert.are.equal(1, #found)
        assert.are.equal(x.id, found[1].id)
      end
      assert.are.equal(#values, Val:count())
    end)

    it("stores UTF-8 as UTF-8 text (SQLite counts characters)", function()
      local x = Val:create({ txt = "h\195\169llo \226\152\131 \240\159\152\128" })
      local raw = raw_row(db, "SELECT length(txt) AS n, hex(txt) AS h FROM Vals WHERE id = ?", x.id)
      assert.are.equal(9, raw.n)
      assert.are.equal("68C3A96C6C6F20E2988320F09F9880", raw.h)
    end)

    it("round-trips a long string", function()
      local v = string.rep("0123456789abcdef", 8192) -- 128 KiB
      local x = Val:create({ txt = v })
      assert.are.equal(v, Val:findByPk(x.id).txt)
    end)

    it("rejects a table for a STRING attribute with Sequelize's string violation", function()
      -- Sequelize: "string violation: str cannot be an array or an object"
      local err = support.catch(function() Val:create({ str = { 1, 2 } }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("string violation: str cannot be an array or an object", err.message)
      assert.are.equal(1, #err.errors)
      assert.are.equal("str cannot be an array or an object", err.errors[1].message)
      assert.are.equal("string violation", err.errors[1].type)
      assert.are.equal("str", err.errors[1].path)
      assert.are.equal("not_a_string", err.errors[1].validatorKey)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
      assert.are.equal(0, Val:count())
    end)

    it("stores a number as text that reads back as that number, the same under both builds", function()
      -- Sequelize 6.37.8 (node-sqlite3 6.0.1, SQLite 3.52) stores s / t: 0.1 + 0.2 "0.30000000000000004",
      -- 2^60 "1.152921504606847e+18", 1e21 "1.0e+21", 1e-7 "1.0e-07", -123.456 "-123.456", 3 "3",
      -- -0 "0", 1e15 + 0.5 "1000000000000000.5" (SQLite 3.40 bound as a REAL kept 15 digits: "0.3").
      -- Where it differs (2^40: "1099511627776.0", 1/3: "0.33333333333333332") the text here is
      -- the shortest that reads back as the number, as JavaScript's String(v) writes it.
      local cases = {
        { 0.1 + 0.2, "0.30000000000000004" }, { 2 ^ 60, "1.152921504606847e+18" }, { 1e21, "1.0e+21" },
        { 1e-7, "1.0e-07" }, { -123.456, "-123.456" }, { 3, "3" }, { -0.0, "0" }, { 1e15 + 0.5, "1000000000000000.5" },
        { 2 ^ 40, "1099511627776" }, { 1 / 3, "0.3333333333333333" }, { 5e-324, "5.0e-324" }, { 1e16, "10000000000000000.0" },
      }
      for k, c in ipairs(cases) do
        Val:create({ id = k, str = c[1], txt = c[1] })
        local raw = db:query("SELECT str, txt, typeof(str) AS ty FROM Vals WHERE id = ?", { replacements = { k } })[1]
        assert.are.same({ c[2], c[2], "text" }, { raw.str, raw.txt, raw.ty })
        assert.are.equal(c[1], tonumber(Val:findByPk(k).str))
        -- a where compares the same text
        assert.are.equal(k, Val:findOne({ where = { str = c[1], id = k } }).id)
      end
      if math.type then -- a Lua 5.4 integer: its exact digits
        Val:create({ id = 100, str = math.maxinteger })
        assert.are.equal("9223372036854775807", Val:findByPk(100).str)
      end
    end)
  end)

  describe("BLOB", function()
    it("round-trips every byte value and is stored as a blob", function()
      local bytes = {}
      for b = 0, 255 do bytes[#bytes + 1] = string.char(b) end
      local v = table.concat(bytes) .. "\0\255\0"
      local x = Val:create({ bin = v })
      local back = Val:findByPk(x.id)
      assert.are.equal("string", type(back.bin))
      assert.are.equal(#v, #back.bin)
      assert.are.equal(v, back.bin)
      local raw = raw_row(db, "SELECT typeof(bin) AS t, length(bin) AS n, hex(bin) AS h FROM Vals WHERE id = ?", x.id)
      assert.are.equal("blob", raw.t)
      assert.are.equal(259, raw.n)
      assert.are.equal(hex(v), raw.h)
    end)

    it("stores an empty string as an empty blob, not NULL", function()
      -- Sequelize: Buffer.alloc(0) is stored as a zero-length blob and reads back empty
      local x = Val:create({ bin = "" })
      local raw = raw_row(db, "SELECT typeof(bin) AS t, length(bin) AS n FROM Vals WHERE id = ?", x.id)
      assert.are.equal("blob", raw.t)
      assert.are.equal(0, raw.n)
      assert.are.equal("", Val:findByPk(x.id).bin)
    end)

    it("writes a number or boolean as the bytes of its text, as Sequelize's Buffer.from(String(value))", function()
      -- Sequelize 6.37.8: create({ b: 5 }) stores X'35', { b: 1.5 } X'312E35', { b: true } X'74727565',
      -- findByPk reads those bytes, count({ where: { b: 5 } }) is 1; defaultValue 5 is DEFAULT X'35'
      for _, c in ipairs({ { 5, "35", "5" }, { 1.5, "312E35", "1.5" }, { true, "74727565", "true" },
                           { false, "66616C7365", "false" } }) do
        local x = Val:create({ bin = c[1] })
        local raw = raw_row(db, "SELECT typeof(bin) AS t, hex(bin) AS h FROM Vals WHERE id = ?", x.id)
        assert.are.same({ "blob", c[2] }, { raw.t, raw.h })
        assert.are.equal(c[3], Val:findByPk(x.id).bin)
        assert.are.equal(1, Val:count({ where = { bin = c[1] } }))
        Val:destroy({ where = { id = x.id } })
      end
      local log = {}
      local db2 = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) log[#log + 1] = s end }
      local D = db2:define("D", { b = { type = DataTypes.BLOB, defaultValue = 5 } }, { timestamps = false })
      D:sync()
      assert.truthy(log[1]:find("`b` BLOB DEFAULT X'35'", 1, true), log[1])
      assert.are.equal("5", D:findByPk(D:create({}).id).b)
      db2:close()
    end)

    it("holds a number or boolean defaultValue as given on the instance, the column its text's bytes", function()
      -- Sequelize 6.37.8: defaultValue 2.5 / false / 0 of a BLOB: `c` BLOB DEFAULT X'322e35', ...;
      -- build({}) and create({}) hold {"c":2.5,"e":false,"z":0}; the row stores the bytes "2.5", "false", "0"
      local log = {}
      local db2 = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) log[#log + 1] = s end }
      local D = db2:define("D", { c = { type = DataTypes.BLOB, defaultValue = 2.5 },
                                  e = { type = DataTypes.BLOB, defaultValue = false },
                                  z = { type = DataTypes.BLOB, defaultValue = 0 } }, { timestamps = false })
      D:sync()
      assert.truthy(log[1]:find("`c` BLOB DEFAULT X'322e35', `e` BLOB DEFAULT X'66616c7365', `z` BLOB DEFAULT X'30'", 1, true), log[1])
      local b = D:build({})
      assert.are.same({ 2.5, false, 0 }, { b.c, b.e, b.z })
      local x = D:create({})
      assert.are.same({ 2.5, false, 0 }, { x.c, x.e, x.z })
      local raw = raw_row(db2, "SELECT hex(c) AS c, hex(e) AS e, typeof(z) AS t, hex(z) AS z FROM Ds WHERE id = ?", x.id)
      assert.are.same({ c = "322E35", e = "66616C7365", t = "blob", z = "30" }, raw)
      db2:close()
    end)
  end)

  describe("DATE", function()
    local function stored(id)
      return raw_row(db, "SELECT at, typeof(at) AS t FROM Vals WHERE id = ?", id)
    end
    -- the ids of the rows a where finds, in id order
    local function ids(w)
      local t = {}
      for i, v in ipairs(Val:findAll({ where = w, order = { { "id" } } })) do t[i] = v.id end
      return t
    end

    it("a stored text that is no date reads back as it is on every row, the first one included", function()
      -- written by another program; sequelua passes it through (Sequelize: an Invalid Date)
      db:query("INSERT INTO Vals (at) VALUES (''), ('x'), (''), ('2023-09-18 07:56:40.205 +00:00'), ('')")
      local rows = Val:findAll({ order = { { "id", "ASC" } } })
      local got = {}
      for i, r in ipairs(rows) do got[i] = r.at end
      assert.are.same({ "", "x", "", "2023-09-18T07:56:40.205Z", "" }, got)
    end)

    it("takes ISO strings, reads back ISO UTC with milliseconds, stores Sequelize's text", function()
      -- Sequelize: stored "YYYY-MM-DD HH:MM:SS.mmm +00:00", read as the UTC ISO string
      local cases = {
        { "2023-09-18T07:56:40.205Z", "2023-09-18T07:56:40.205Z", "2023-09-18 07:56:40.205 +00:00" },
        { "2023-09-18T09:56:40.205+02:00", "2023-09-18T07:56:40.205Z", "2023-09-18 07:56:40.205 +00:00" },
        { "2023-09-18T07:56:40Z", "2023-09-18T07:56:40.000Z", "2023-09-18 07:56:40.000 +00:00" },
        { "2023-09-18", "2023-09-18T00:00:00.000Z", "2023-09-18 00:00:00.000 +00:00" },
        { "1999-12-31T23:59:59.999Z", "1999-12-31T23:59:59.999Z", "1999-12-31 23:59:59.999 +00:00" },
      }
      for _, c in ipairs(cases) do
        local x = Val:create({ at = c[1] })
        -- Sequelize: the created instance already holds the normalized date
        assert.are.equal(c[2], x.at, c[1])
        assert.are.equal(c[2], Val:findByPk(x.id).at, c[1])
        local raw = stored(x.id)
        assert.are.equal("text", raw.t)
        assert.are.equal(c[3], raw.at, c[1])
      end
    end)

    it("takes a number of seconds since the epoch, fractions allowed", function()
      local cases = {
        { 1695023800, "2023-09-18T07:56:40.000Z", "2023-09-18 07:56:40.000 +00:00" },
        { 1695023800.5, "2023-09-18T07:56:40.500Z", "2023-09-18 07:56:40.500 +00:00" },
        { 1695023800.125, "2023-09-18T07:56:40.125Z", "2023-09-18 07:56:40.125 +00:00" },
        { 0, "1970-01-01T00:00:00.000Z", "1970-01-01 00:00:00.000 +00:00" },
        { -1.5, "1969-12-31T23:59:58.500Z", "1969-12-31 23:59:58.500 +00:00" },
        { 4102444800.25, "2100-01-01T00:00:00.250Z", "2100-01-01 00:00:00.250 +00:00" },
      }
      for _, c in ipairs(cases) do
        local x = Val:create({ at = c[1] })
        assert.are.equal(c[2], x.at, tostring(c[1]))
        assert.are.equal(c[2], Val:findByPk(x.id).at, tostring(c[1]))
        assert.are.equal(c[3], stored(x.id).at, tostring(c[1]))
      end
    end)

    it("takes os.time()", function()
      local now = os.time()
      local x = Val:create({ at = now })
      assert.are.equal(os.date("!%Y-%m-%dT%H:%M:%S", now) .. ".000Z", Val:findByPk(x.id).at)
      assert.are.equal(os.date("!%Y-%m-%d %H:%M:%S", now) .. ".000 +00:00", stored(x.id).at)
    end)

    it("reads the text Sequelize writes (and its offset and no-millisecond forms)", function()
      -- Sequelize reads all three as these UTC instants, whatever the process time zone
      db:query("INSERT INTO Vals (id, at) VALUES (50, '2023-09-18 07:56:40.205 +00:00')")
      db:query("INSERT INTO Vals (id, at) VALUES (51, '2023-09-18 09:56:40.205 +02:00')")
      db:query("INSERT INTO Vals (id, at) VALUES (52, '2023-09-18 07:56:40')")
      assert.are.equal("2023-09-18T07:56:40.205Z", Val:findByPk(50).at)
      assert.are.equal("2023-09-18T07:56:40.205Z", Val:findByPk(51).at)
      assert.are.equal("2023-09-18T07:56:40.000Z", Val:findByPk(52).at)
    end)

    it("matches stored dates in where, given as ISO string or as seconds", function()
      local x = Val:create({ at = "2023-09-18T07:56:40.500Z" })
      Val:create({ at = "2023-09-18T07:56:41.500Z" })
      local a = Val:findAll({ where = { at = "2023-09-18T07:56:40.500Z" } })
      assert.are.equal(1, #a)
      assert.are.equal(x.id, a[1].id)
      local b = Val:findAll({ where = { at = "2023-09-18T09:56:40.500+02:00" } })
      assert.are.equal(1, #b)
      assert.are.equal(x.id, b[1].id)
      local c = Val:findAll({ where = { at = 1695023800.5 } })
      assert.are.equal(1, #c)
      assert.are.equal(x.id, c[1].id)
    end)

    it("binds an Op.like pattern on a DATE or DATEONLY as given (README: deliberately not Sequelize's)", function()
      -- Sequelize 6.37.8 reads the pattern as a date: `at` LIKE '2024-01-01 00:00:00.000 +00:00' -> [2],
      -- `day` LIKE '2024-01-01' -> [2], `at` NOT LIKE ... -> [1]; startsWith binds it as given,
      -- `at` LIKE '2024-01%' -> [1, 2], as here
      local x = Val:create({ at = "2024-01-05T10:00:00Z", day = "2024-01-05" })
      local y = Val:create({ at = "2024-01-01T00:00:00Z", day = "2024-01-01" })
      Val:create({ at = "2024-02-01T00:00:00Z", day = "2024-02-01" })
      local Op = Sequelize.Op
      assert.are.same({ x.id, y.id }, ids({ at = { [Op.like] = "2024-01%" } }))
      assert.are.same({ x.id, y.id }, ids({ day = { [Op.like] = "2024-01%" } }))
      assert.are.same({ x.id, y.id }, ids({ at = { [Op.startsWith] = "2024-01" } }))
      assert.are.same({ x.id + 2 }, ids({ at = { [Op.notLike] = "2024-01%" } }))
    end)

    it("reads a Sequelize.where value on a qualified col(\"Val.at\") as a date, as on col(\"at\")", function()
      -- Sequelize 6.37.8 with a Date object, where(col('Val.at'), Op.gte, new Date('2023-09-18T07:56:40.500Z')):
      -- `Val`.`at` >= '2023-09-18 07:56:40.500 +00:00' -> [1, 2]; where(col('Val.at'), new Date(
      -- '2023-09-18T09:56:40.500+02:00')) -> [1] (the ISO text was bound as given: 'T' > ' ', no row).
      -- A DATEONLY reads it as col("day") and { day = ... } do (Sequelize, not knowing the column's
      -- type, writes a Date there as '2023-09-18 00:00:00.000 +00:00' and matches no row)
      local x = Val:create({ at = "2023-09-18T07:56:40.500Z", day = "2023-09-18" })
      local y = Val:create({ at = "2023-09-18T07:56:41.500Z" })
      local Op = Sequelize.Op
      assert.are.same({ x.id, y.id }, ids(Sequelize.where(Sequelize.col("Val.at"), Op.gte, "2023-09-18T07:56:40.500Z")))
      assert.are.same({ x.id, y.id }, ids(Sequelize.where(Sequelize.col("at"), Op.gte, "2023-09-18T07:56:40.500Z")))
      assert.are.same({ x.id }, ids(Sequelize.where(Sequelize.col("Val.at"), "2023-09-18T09:56:40.500+02:00")))
      assert.are.same({ x.id }, ids(Sequelize.where(Sequelize.col("Val.day"), "2023-09-18T00:00:00Z")))
    end)

    -- Sequelize 6.37.8 stringifies a where value with moment, not new Date (a write uses
    -- new Date): `at` = '2024-03-05 08:20:30.000 +00:00' for "2024-03-05T10:20:30+02",
    -- '2024-03-05 00:00:00.000 +00:00' for "20240305", "2024-W10-2" and "2024-065",
    -- '2024-03-05 10:20:30.500 +00:00' for "2024-03-05 10:20:30,5", and 'Invalid date'
    -- (no row) for "2024-02-30", "2024-02-30T10:00:00Z" and offset "-12:30" (ids checked there).
    it("reads a where value as Sequelize's moment does: its ISO forms, and no day roll-over", function()
      local Op = Sequelize.Op
      local x = Val:create({ at = "2024-03-05T08:20:30Z" })
      local mid = Val:create({ at = "2024-03-05T00:00:00Z" })
      local half = Val:create({ at = "2024-03-05T10:20:30.500Z" })
      local march1 = Val:create({ at = "2024-03-01T00:00:00Z" })
      Val:create({ at = "2024-03-01T10:00:00Z" })
      assert.are.same({ x.id }, ids({ at = "2024-03-05T10:20:30+02" }))
      assert.are.same({ x.id }, ids({ at = "20240305T102030+0200" }))
      for _, s in ipairs({ "20240305", "2024-W10-2", "2024-065", "2024-03-05T00" }) do
        assert.are.same({ mid.id }, ids({ at = s }), s)
      end
      assert.are.same({ half.id }, ids({ at = "2024-03-05 10:20:30,5" }))
      assert.are.same({}, ids({ at = "2024-02-30" }))
      assert.are.same({}, ids({ at = "2024-02-30T10:00:00Z" }))
      assert.are.same({}, ids({ at = "2024-03-05T10:20:30-12:30" }))
      -- `at` < 'Invalid date' compares text: every stored date is less (Sequelize: all 5 rows)
      assert.are.equal(5, #ids({ at = { [Op.lt] = "2024-02-30" } }))
      -- what moment reads by Date (RFC 2822, the storage text) is as before
      assert.are.same({ march1.id }, ids({ at = "Fri, 01 Mar 2024 00:00:00 GMT" }))
      assert.are.same({ march1.id }, ids({ at = "2024-03-01 00:00:00.000 +00:00" }))
      -- a write still reads by Date: the day rolls over
      assert.are.equal("2024-03-01T00:00:00.000Z", Val:create({ at = "2024-02-30" }).at)
    end)

    -- Sequelize 6.37.8's moment reads an RFC 2822 string itself (not by Date): `at` =
    -- '2024-03-05 08:20:30.000 +00:00' for "Tue, 05 Mar 2024 08:20:30 GMT" and for
    -- "Tue, 05 Mar 2024 10:20:30 +0200 (CEST)", '2000-03-05 00:00:00.000 +00:00' for
    -- "05 Mar 100 00:00 GMT", and 'Invalid date' (no row) for "Mon, 05 Mar 2024 08:20:30 GMT"
    -- (not the date's weekday), "30 Feb 2024 10:00 GMT" and "04 Mar 2024 24:00 GMT"
    it("reads an RFC 2822 where value as Sequelize's moment does: a wrong weekday or day is no date", function()
      local x = Val:create({ at = "2024-03-05T08:20:30Z" })
      Val:create({ at = "2024-03-01T10:00:00Z" })
      Val:create({ at = "2024-03-05T00:00:00Z" })
      local y2000 = Val:create({ at = "2000-03-05T00:00:00Z" })
      local function at_ids(v) return ids({ at = v }) end
      assert.are.same({ x.id }, at_ids("Tue, 05 Mar 2024 08:20:30 GMT"))
      assert.are.same({ x.id }, at_ids("Tue, 05 Mar 2024 10:20:30 +0200 (CEST)"))
      assert.are.same({ y2000.id }, at_ids("05 Mar 100 00:00 GMT"))
      assert.are.same({}, at_ids("Mon, 05 Mar 2024 08:20:30 GMT"))
      assert.are.same({}, at_ids("30 Feb 2024 10:00 GMT"))
      assert.are.same({}, at_ids("04 Mar 2024 24:00 GMT"))
    end)
  end)

  describe("a selected value under an attribute's name", function()
    it("is that attribute's value, typed as it (Sequelize types by the key)", function()
      -- Sequelize 6.37.8: [[fn('MAX', col('at')), 'at']] -> [{"at":"2023-09-18T07:56:41.500Z"}] (a Date);
      -- [[fn('MIN', col('flag')), 'flag'], [fn('MAX', col('flag')), 'i']] -> [{"flag":false,"i":1}];
      -- [[fn('MAX', col('i')), 'flag']] -> [{"flag":20}] (a number other than 1 / 0 stays);
      -- [[fn('MAX', col('at')), 'latest']] -> [{"latest":"2023-09-18 07:56:41.500 +00:00"}] (no attribute)
      Val:create({ i = 10, flag = true, at = "2023-09-18T07:56:40.500Z" })
      Val:create({ i = 20, flag = false, at = "2023-09-18T07:56:41.500Z" })
      local F, C = Sequelize.fn, Sequelize.col
      local r = Val:findAll({ attributes = { { F("MAX", C("at")), "at" } } })
      assert.are.equal("2023-09-18T07:56:41.500Z", r[1].at)
      assert.are.equal('[{"at":"2023-09-18T07:56:41.500Z"}]', tostring(Sequelize.stringify(r)))
      r = Val:findAll({ attributes = { { F("MIN", C("flag")), "flag" }, { F("MAX", C("flag")), "i" } } })
      assert.is_false(r[1].flag)
      assert.are.equal(1, r[1].i)
      r = Val:findAll({ attributes = { { F("MAX", C("i")), "flag" } } })
      assert.are.equal(20, r[1].flag)
      r = Val:findAll({ attributes = { { F("MAX", C("at")), "latest" } } })
      assert.are.equal("2023-09-18 07:56:41.500 +00:00", r[1].latest)
      -- raw rows are typed as instances are (see README; Sequelize: the stored text)
      r = Val:findAll({ attributes = { { F("MAX", C("at")), "at" } }, raw = true })
      assert.are.equal("2023-09-18T07:56:41.500Z", r[1].at)
    end)
  end)

  describe("DATEONLY", function()
    it("takes the date forms DATE takes (Sequelize: moment, then Date)", function()
      local cases = { { "12/31/2020", "2020-12-31" }, { "2020-1-2", "2020-01-02" },
                      { "Tue, 01 Jan 2019 00:00:00 GMT", "2019-01-01" }, { "2023-09-18T07:56:40.205Z", "2023-09-18" } }
      for _, c in ipairs(cases) do
        local x = Val:create({ day = c[1] })
        assert.are.equal(c[2], Val:findByPk(x.id).day, c[1])
      end
      assert.are.equal("SequelizeValidationError", support.catch(Val.create, Val, { day = "2020-02-30" }).name)
    end)

    -- Sequelize 6.37.8 (moment(value).format('YYYY-MM-DD')) stores 2024-03-05 for
    -- "20240305", "2024-W10-2", "2024-065", "2024-03-05T10" and "2024-03-05T10:20:30+02",
    -- 2024-03-04 for "2024-03-05T01:00:00+02:00", and 'Invalid date' (refused here) for
    -- "2024-02-30 10:00", "2024-02-30T00:00:00+02:00" and "2024-13-01T00:00:00Z"; a where
    -- on "20240305" finds the 2024-03-05 rows, on "2024-02-30T10:00:00Z" compares 'Invalid date'.
    it("reads a string as moment does: its ISO forms, and an overflowing day with a time is no date", function()
      for _, c in ipairs({ { "20240305", "2024-03-05" }, { "2024-W10-2", "2024-03-05" }, { "2024-065", "2024-03-05" },
                           { "2024-03-05T10", "2024-03-05" }, { "2024-03-05T10:20:30+02", "2024-03-05" },
                           { "2024-03-05T01:00:00+02:00", "2024-03-04" } }) do
        local x = Val:create({ day = c[1] })
        assert.are.equal(c[2], x.day, c[1])
        assert.are.equal(c[2], raw_row(db, "SELECT day FROM Vals WHERE id = ?", x.id).day, c[1])
      end
      for _, bad in ipairs({ "2024-02-30 10:00", "2024-02-30T00:00:00+02:00", "2024-13-01T00:00:00Z" }) do
        local err = support.catch(Val.create, Val, { day = bad })
        assert.are.equal("SequelizeValidationError", err.name, bad)
        assert.truthy(err.message:find("Val.day", 1, true), bad)
      end
      assert.are.equal(5, #Val:findAll({ where = { day = "20240305" } }))
      assert.are.same({}, Val:findAll({ where = { day = "2024-02-30T10:00:00Z" } }))
      assert.are.equal(6, Val:count())
    end)

    -- Sequelize 6.37.8 (moment(value).format('YYYY-MM-DD')) stores 'Invalid date' (refused
    -- here) for "Mon, 05 Mar 2024 08:20:30 GMT" (2024-03-05 is a Tuesday) and for
    -- "30 Feb 2024 10:00 GMT", and 2000-03-05 for "05 Mar 100 00:00 GMT"
    it("reads an RFC 2822 string as moment does: a wrong weekday or day is no date", function()
      assert.are.equal("2024-03-05", Val:create({ day = "Tue, 05 Mar 2024 08:20:30 GMT" }).day)
      assert.are.equal("2000-03-05", Val:create({ day = "05 Mar 100 00:00 GMT" }).day)
      for _, bad in ipairs({ "Mon, 05 Mar 2024 08:20:30 GMT", "30 Feb 2024 10:00 GMT" }) do
        local err = support.catch(Val.create, Val, { day = bad })
        assert.are.equal("SequelizeValidationError", err.name, bad)
      end
      assert.are.equal(2, Val:count())
    end)

    it("stores and reads YYYY-MM-DD", function()
      local x = Val:create({ day = "2023-09-18" })
      assert.are.equal("2023-09-18", x.day)
      assert.are.equal("2023-09-18", Val:findByPk(x.id).day)
      local raw = raw_row(db, "SELECT day, typeof(day) AS t FROM Vals WHERE id = ?", x.id)
      assert.are.equal("2023-09-18", raw.day)
      assert.are.equal("text", raw.t)
      local found = Val:findAll({ where = { day = "2023-09-18" } })
      assert.are.equal(1, #found)
    end)
  end)

  describe("JSON", function()
    local function stored_text(id)
      return raw_row(db, "SELECT CAST(doc AS TEXT) AS s FROM Vals WHERE id = ?", id).s
    end

    it("a value that cannot be JSON raises naming the model and the attribute; nothing is written", function()
      local t = {}
      t.self = t
      local err = select(2, pcall(Val.create, Val, { doc = t }))
      assert.are.equal("Val.doc: Cannot encode JSON: a cyclic or too deeply nested table", err.message)
      assert.are.equal(0, Val:count())
    end)

    it("a value nested as deep as the parser reads (600 levels) is written, stringified and copied by toJSON", function()
      local deep = string.rep("[", 600) .. string.rep("]", 600)
      db:query("INSERT INTO Vals (id, doc) VALUES (1, ?)", { replacements = { deep } })
      local v = Val:findByPk(1, { attributes = { "id", "doc" } })
      assert.are.equal('{"id":1,"doc":' .. deep .. '}', Sequelize.stringify(v))
      assert.are.equal("table", type(v:toJSON().doc))
      local w = Val:create({ doc = v.doc })
      assert.are.equal(deep, stored_text(w.id))
    end)

    it("stores nested tables as JSON text and decodes them on read", function()
      local x = Val:create({ doc = { a = { 1, 2, { b = Sequelize.null } } } })
      assert.are.equal('{"a":[1,2,{"b":null}]}', stored_text(x.id))
      local back = Val:findByPk(x.id)
      assert.are.equal("table", type(back.doc))
      assert.are.equal(3, #back.doc.a)
      assert.are.equal(1, back.doc.a[1])
      assert.are.equal(2, back.doc.a[2])
      assert.are.equal(Sequelize.null, back.doc.a[3].b)
    end)

    it("keeps null inside arrays", function()
      local x = Val:create({ doc = { 1, Sequelize.null, 3 } })
      assert.are.equal("[1,null,3]", stored_text(x.id))
      local back = Val:findByPk(x.id)
      assert.are.equal(3, #back.doc)
      assert.are.equal(1, back.doc[1])
      assert.are.equal(Sequelize.null, back.doc[2])
      assert.are.equal(3, back.doc[3])
    end)

    it("round-trips a deeper document", function()
      local v = {
        user = { name = "x", tags = { "a", "b" }, meta = { score = 1.5, ok = false, n = -3 } },
        list = { { id = 1 }, { id = 2, more = { true, false } } },
      }
      local x = Val:create({ doc = v })
      local back = Val:findByPk(x.id)
      assert.are.same(v, back.doc)
      local all = Val:findAll()
      assert.are.same(v, all[1].doc)
    end)

    it("escapes strings in the stored JSON", function()
      local x = Val:create({ doc = { s = "quote \" and \\ and \n \195\169" } })
      -- Sequelize: {"s":"quote \" and \\ and \n é"}
      assert.are.equal('{"s":"quote \\" and \\\\ and \\n \195\169"}', stored_text(x.id))
      assert.are.equal("quote \" and \\ and \n \195\169", Val:findByPk(x.id).doc.s)
    end)

    it("encodes scalar values as JSON too", function()
      -- Sequelize: a string is stored as "\"hello\"", true as "true", 5 as 5
      local s = Val:create({ doc = "hello" })
      local t = Val:create({ doc = true })
      local n = Val:create({ doc = 5 })
      assert.are.equal('"hello"', stored_text(s.id))
      assert.are.equal("true", stored_text(t.id))
      assert.are.equal("5", stored_text(n.id))
      assert.are.equal("hello", Val:findByPk(s.id).doc)
      assert.is_true(Val:findByPk(t.id).doc)
      assert.are.equal(5, Val:findByPk(n.id).doc)
    end)

    it("reads an empty table back as an empty table", function()
      local x = Val:create({ doc = {} })
      local back = Val:findByPk(x.id)
      assert.are.equal("table", type(back.doc))
      assert.is_nil(next(back.doc))
    end)

    it("stores Sequelize.null as SQL NULL", function()
      local x = Val:create({ doc = Sequelize.null })
      assert.are.equal("null", raw_row(db, "SELECT typeof(doc) AS t FROM Vals WHERE id = ?", x.id).t)
      assert.is_nil(Val:findByPk(x.id).doc)
    end)
  end)

  describe("UUID", function()
    it("is stored as its 36-character text", function()
      local u = "e22b913d-d64e-4333-8c00-3bd6b39e512b"
      local x = Val:create({ uid = u })
      assert.are.equal(u, Val:findByPk(x.id).uid)
      local raw = raw_row(db, "SELECT uid, typeof(uid) AS t FROM Vals WHERE id = ?", x.id)
      assert.are.equal(u, raw.uid)
      assert.are.equal("text", raw.t)
      assert.are.equal(1, #Val:findAll({ where = { uid = u } }))
    end)
  end)

  describe("DECIMAL", function()
    it("reads back as a number on sqlite, from a number or a numeric string", function()
      -- Sequelize on sqlite: DECIMAL has numeric affinity; "12.50" is stored as 12.5 (real)
      -- and read back as the number 12.5
      local a = Val:create({ price = 3.25 })
      local b = Val:create({ price = "12.50" })
      local ba, bb = Val:findByPk(a.id), Val:findByPk(b.id)
      assert.are.equal("number", type(ba.price))
      assert.are.equal(3.25, ba.price)
      assert.are.equal("number", type(bb.price))
      assert.are.equal(12.5, bb.price)
      local raw = raw_row(db, "SELECT price, typeof(price) AS t FROM Vals WHERE id = ?", b.id)
      assert.are.equal("real", raw.t)
      assert.are.equal(12.5, raw.price)
    end)
  end)

  describe("ENUM", function()
    it("stores a listed value as text", function()
      local x = Val:create({ size = "small" })
      assert.are.equal("small", Val:findByPk(x.id).size)
      local raw = raw_row(db, "SELECT size, typeof(size) AS t FROM Vals WHERE id = ?", x.id)
      assert.are.equal("small", raw.size)
      assert.are.equal("text", raw.t)
      -- rawAttributes gives the values, as Sequelize's
      assert.are.same({ "small", "large" }, Val.rawAttributes.size.values)
    end)

    it("rejects a value outside the list with a validation error and writes nothing", function()
      -- Sequelize (ENUM type validation): '"medium" is not a valid choice in ["small","large"]'
      local err = support.catch(function() Val:create({ size = "medium" }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal('"medium" is not a valid choice in ["small","large"]', err.message)
      assert.is_true(err:is(Sequelize.errors.ValidationError))
      assert.is_table(err.errors)
      assert.are.equal("size", err.errors[1].path)
      assert.are.equal("medium", err.errors[1].value)
      assert.are.equal(0, Val:count())
      local rows = db:query("SELECT count(*) AS n FROM Vals")
      assert.are.equal(0, rows[1].n)
    end)

    it("rejects it on update too, leaving the row unchanged", function()
      local x = Val:create({ size = "large" })
      local err = support.catch(function() x:update({ size = "huge" }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal('"huge" is not a valid choice in ["small","large"]', err.message)
      assert.are.equal("large", Val:findByPk(x.id).size)
    end)

    it("rejects a value a hook sets after validation (beforeCreate, beforeBulkCreate), as beforeUpdate's", function()
      -- (Sequelize 6.37.8, typeValidation off, writes "huge" in all three; README: ENUM values are
      -- checked on every write. A where comparing such a value matches no row, as Sequelize's.)
      Val:beforeCreate(function(x) if x.i == 1 then x.size = "huge" end end)
      Val:beforeBulkCreate(function(list) if list[1].i == 2 then list[1].size = "huge" end end)
      for _, write in ipairs({ function() Val:create({ i = 1, size = "small" }) end,
                               function() Val:bulkCreate({ { i = 2, size = "small" } }) end }) do
        local err = support.catch(write)
        assert.are.equal("SequelizeValidationError", err.name)
        assert.are.equal('"huge" is not a valid choice in ["small","large"]', err.message)
        assert.are.same({ "size", "huge", "isIn" }, { err.errors[1].path, err.errors[1].value, err.errors[1].validatorKey })
      end
      assert.are.equal(0, Val:count())
      assert.are.equal(0, Val:count({ where = { size = "huge" } }))
    end)
  end)

  describe("NULL", function()
    it("stores Sequelize.null as NULL, reads it as nil, and toJSON has Sequelize.null", function()
      local x = Val:create({ i = Sequelize.null, str = Sequelize.null, flag = true })
      local raw = raw_row(db, "SELECT typeof(i) AS ti, typeof(str) AS ts, typeof(txt) AS tt FROM Vals WHERE id = ?", x.id)
      assert.are.equal("null", raw.ti)
      assert.are.equal("null", raw.ts)
      assert.are.equal("null", raw.tt)
      local back = Val:findByPk(x.id)
      assert.is_nil(back.i)
      assert.is_nil(back.str)
      assert.is_nil(back.txt)
      assert.is_nil(back.at)
      assert.is_nil(back.doc)
      assert.is_nil(back.bin)
      assert.is_true(back.flag)
      local json = back:toJSON()
      for _, k in ipairs({ "i", "big", "f", "d", "r", "str", "txt", "bin", "at", "day", "doc", "uid", "price", "size" }) do
        assert.are.equal(Sequelize.null, json[k], k)
      end
      assert.is_true(json.flag)
      assert.are.equal(x.id, json.id)
    end)

    it("update to Sequelize.null writes NULL", function()
      local x = Val:create({ str = "x", i = 3 })
      x:update({ str = Sequelize.null })
      assert.are.equal("null", raw_row(db, "SELECT typeof(str) AS t FROM Vals WHERE id = ?", x.id).t)
      local back = Val:findByPk(x.id)
      assert.is_nil(back.str)
      assert.are.equal(3, back.i)
      local found = Val:findAll({ where = { str = Sequelize.null } })
      assert.are.equal(1, #found)
    end)
  end)
end)

-- Sequelize.new{ typeValidation = true }: Sequelize's DataType#validate on every value
-- written or compared (messages checked against sequelize 6.37.8 run with the same values)
describe("typeValidation", function()
  local function setup(on)
    local db = Sequelize.new("sqlite::memory:", { typeValidation = on })
    local T = db:define("T", {
      name = DataTypes.STRING, n = DataTypes.INTEGER, f = DataTypes.FLOAT, t = DataTypes.TEXT,
      u = DataTypes.UUID, e = DataTypes.ENUM("a", "b"), d = DataTypes.DECIMAL, b = DataTypes.BOOLEAN,
      dt = DataTypes.DATE,
    })
    db:sync()
    return db, T
  end

  it("refuses values of the wrong type with Sequelize's message, and writes nothing", function()
    local _, T = setup(true)
    local cases = {
      -- (validatorKey: Sequelize 6.37.8's "<TYPE> validator", the ENUM's "ENUM validator" (ours
      -- is isIn without typeValidation); each item holds the value given, origin FUNCTION, as
      -- Sequelize's: {"message":"\"abc\" is not a valid integer","type":"Validation error",
      -- "path":"n","value":"abc","validatorKey":"INTEGER validator","origin":"FUNCTION"}; for a
      -- DATE Sequelize's value is the Invalid Date it made of it, JSON null, ours the string)
      { { n = "abc" }, '"abc" is not a valid integer', "n", "INTEGER validator" },
      { { n = 1.5 }, "1.5 is not a valid integer", "n", "INTEGER validator" },
      { { f = "x" }, '"x" is not a valid float', "f", "FLOAT validator" },
      { { t = 12 }, "12 is not a valid string", "t", "TEXT validator" },
      { { u = "nope" }, '"nope" is not a valid uuid', "u", "UUID validator" },
      { { d = "+1" }, '"+1" is not a valid decimal', "d", "DECIMAL validator" },
      { { b = "maybe" }, '"maybe" is not a valid boolean', "b", "BOOLEAN validator" },
      { { dt = "not a date" }, '"not a date" is not a valid date', "dt", "DATE validator" },
      { { e = "c" }, '"c" is not a valid choice in ["a","b"]', "e", "ENUM validator" },
    }
    for _, case in ipairs(cases) do
      local err = support.catch(function() T:create(case[1]) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal(case[2], err.message)
      assert.are.equal(case[3], err.errors[1].path)
      assert.are.equal(case[4], err.errors[1].validatorKey)
      assert.are.equal(case[1][case[3]], err.errors[1].value)
      assert.are.equal("FUNCTION", err.errors[1].origin)
    end
    -- in a where too (Sequelize: the same item, value "abc")
    local err = support.catch(function() T:findAll({ where = { n = "abc" } }) end)
    assert.are.same({ "n", "abc", "INTEGER validator" },
      { err.errors[1].path, err.errors[1].value, err.errors[1].validatorKey })
    local row = T:create({ n = 1 })
    err = support.catch(function() row:update({ n = "1x" }) end)
    assert.are.equal('"1x" is not a valid integer', err.message)
    err = support.catch(function() T:update({ f = "y" }, { where = { id = row.id } }) end)
    assert.are.equal('"y" is not a valid float', err.message)
    assert.are.equal(1, T:count())
    assert.are.equal(1, T:findByPk(row.id).n)
  end)

  it("accepts what Sequelize's validators accept", function()
    local _, T = setup(true)
    local r = T:create({ n = "12", f = "1e5", name = 12, u = "0d3c5a9e-6d4a-4a55-9e0c-2d2a4c9f7a10", d = "-1.25",
                         b = "true", e = "a", dt = "2020-01-02T03:04:05Z" })
    assert.are.equal(12, r:reload().n)
    -- 0, "" and false are not checked (JavaScript reads them as false)
    T:create({ n = 0, t = "", b = false })
    assert.are.equal(2, T:count())
  end)

  it("checks the values a where compares", function()
    local _, T = setup(true)
    local Op = Sequelize.Op
    assert.are.equal('"abc" is not a valid integer', support.catch_message(function()
      T:findAll({ where = { n = "abc" } }) end).message)
    assert.are.equal('"x" is not a valid integer', support.catch_message(function()
      T:findAll({ where = { n = { [Op["in"]] = { 1, "x" } } } }) end).message)
    assert.are.equal('"zz" is not a valid choice in ["a","b"]', support.catch_message(function()
      T:count({ where = { e = "zz" } }) end).message)
    assert.are.equal(0, #T:findAll({ where = { name = { [Op.like] = "%a" }, n = 3 } }))
  end)

  it("is off by default: the values are written as given", function()
    local db, T = setup(nil)
    T:create({ n = "abc", t = 12, f = "x" })
    local row = db:query("SELECT n, t, f FROM Ts")[1]
    assert.are.same({ "abc", "12", "x" }, { row.n, row.t, row.f }) -- (TEXT affinity stores the text)
    assert.has_error(function() Sequelize.new("sqlite::memory:", { typeValidation = "yes" }) end)
  end)
end)

-- A where value a write refuses: Sequelize 6.37.8 runs the query, comparing an unparseable
-- date as moment's text 'Invalid date' and any other BOOLEAN value as given, so it matches
-- no row (its log: WHERE `T`.`dt` = 'Invalid date', `T`.`dt` > 'Invalid date',
-- `T`.`don` = 'Invalid date', `T`.`b` = 'maybe', `T`.`b` = 2; findAll [], count 0, update [0],
-- destroy 0); with typeValidation the DATE and BOOLEAN ones raise ("garbage" is not a valid
-- date, "maybe" is not a valid boolean) and DATEONLY, which has no validator there, does not.
describe("a where value a DATE, DATEONLY or BOOLEAN write would refuse", function()
  local Op = Sequelize.Op
  local function setup()
    local db = support.open()
    local T = db:define("T", { b = DataTypes.BOOLEAN, dt = DataTypes.DATE, don = DataTypes.DATEONLY,
      s = DataTypes.STRING }, { timestamps = false })
    T:sync()
    T:create({ b = true, dt = "2023-01-01", don = "2023-01-01", s = "a" })
    return db, T
  end

  it("matches no row, as Sequelize's query does", function()
    local _, T = setup()
    for _, w in ipairs({ { dt = "garbage" }, { dt = { [Op.gt] = "garbage" } }, { dt = "" }, { don = "garbage" },
                         { b = "maybe" }, { b = 2 }, { dt = 1e300 } }) do
      assert.are.same({}, T:findAll({ where = w }))
    end
    assert.are.equal(1, #T:findAll({ where = { dt = { "garbage", "2023-01-01" } } }))
    assert.are.equal(0, T:count({ where = { dt = "garbage" } }))
    assert.are.equal(0, T:update({ s = "u" }, { where = { b = "maybe" } }))
    assert.are.equal(0, T:destroy({ where = { dt = "garbage" } }))
    assert.are.equal(1, T:count())
  end)

  it("compares the text 'Invalid date' and the BOOLEAN value as given, as Sequelize does", function()
    local db, T = setup()
    db:query("INSERT INTO Ts (b, dt, don, s) VALUES ('maybe', 'Invalid date', 'Invalid date', 'y')")
    assert.are.equal("y", T:findOne({ where = { dt = "garbage" } }).s)
    assert.are.equal("y", T:findOne({ where = { don = "garbage" } }).s)
    assert.are.equal(1, T:count({ where = { b = "maybe" } }))
  end)

  it("still raises with typeValidation for DATE and BOOLEAN (DATEONLY has no validator in Sequelize)", function()
    local db = Sequelize.new("sqlite::memory:", { typeValidation = true })
    local T = db:define("T", { b = DataTypes.BOOLEAN, dt = DataTypes.DATE, don = DataTypes.DATEONLY },
      { timestamps = false })
    T:sync()
    assert.are.equal('"garbage" is not a valid date', support.catch_message(function()
      T:findAll({ where = { dt = "garbage" } }) end).message)
    assert.are.equal('"maybe" is not a valid boolean', support.catch_message(function()
      T:findAll({ where = { b = "maybe" } }) end).message)
    assert.are.same({}, T:findAll({ where = { don = "garbage" } }))
  end)

  it("is still refused on a write", function()
    local _, T = setup()
    assert.are.equal("SequelizeValidationError", support.catch_error(function() T:create({ dt = "garbage" }) end).name)
    assert.are.equal("SequelizeValidationError", support.catch_error(function()
      T:update({ b = "maybe" }, { where = { id = 1 } }) end).name)
  end)
end)

describe("an empty array in a JSON value", function()
  it("is written as [] when it carries Sequelize.array_mt, and read back as one", function()
    local db = require("spec.support").open()
    local I = db:define("I", { meta = Sequelize.DataTypes.JSON }, { timestamps = false })
    db:sync()
    I:create({ meta = { tags = setmetatable({}, Sequelize.array_mt), o = {} } })
    assert.equal('{"o":{},"tags":[]}', db:query([[SELECT meta FROM "Is"]], { type = "SELECT" })[1].meta)
    local r = I:findByPk(1)
    assert.equal(Sequelize.array_mt, getmetatable(r.meta.tags))
    r.meta = { tags = r.meta.tags, n = 1 }
    r:save()
    assert.equal('{"n":1,"tags":[]}', db:query([[SELECT meta FROM "Is"]], { type = "SELECT" })[1].meta)
  end)
end)

describe("defaults by type", function()
  it("a BOOLEAN's 'true' / 'false' default is the boolean, a JSON scalar default its JSON text (Sequelize)", function()
    -- Sequelize 6.37.8: `isAdmin` TINYINT(1) NOT NULL DEFAULT 0, `on` TINYINT(1) DEFAULT 1,
    --   `j` JSON DEFAULT '"draft"', `k` JSON DEFAULT '5'; create -> isAdmin false, j "draft", k 5;
    --   a row inserted without them stores 0 and "draft" as JSON, so both wheres find 2 rows
    local db = support.open()
    local M = db:define("Flag", { name = DataTypes.STRING,
      isAdmin = { type = DataTypes.BOOLEAN, defaultValue = "false", allowNull = false },
      on = { type = DataTypes.BOOLEAN, defaultValue = "true" },
      j = { type = DataTypes.JSON, defaultValue = "draft" }, k = { type = DataTypes.JSON, defaultValue = 5 } },
      { timestamps = false })
    M:sync()
    local sql = db:query("SELECT sql FROM sqlite_master WHERE name = 'Flags'", { type = "SELECT" })[1].sql
    for _, part in ipairs({ "`isAdmin` TINYINT(1) NOT NULL DEFAULT 0", "`on` TINYINT(1) DEFAULT 1",
                            "`j` JSON DEFAULT '\"draft\"'", "`k` JSON DEFAULT '5'" }) do
      assert.truthy(sql:find(part, 1, true), sql)
    end
    local u = M:create({ name = "a" })
    assert.are.same({ false, true, "draft", 5 }, { u.isAdmin, u.on, u.j, u.k })
    assert.is_false(M:build({}).isAdmin)
    db:getQueryInterface():bulkInsert("Flags", { { name = "c" } })
    assert.are.equal(2, #M:findAll({ where = { isAdmin = false } }))
    assert.are.equal(2, #M:findAll({ where = { j = "draft" } }))
    assert.are.same({ { j = '"draft"', v = 1, a = 0 }, { j = '"draft"', v = 1, a = 0 } },
      db:query("SELECT j, json_valid(j) AS v, isAdmin AS a FROM Flags", { type = "SELECT" }))
    assert.are.same({ "draft", 5 }, { M:findByPk(2).j, M:findByPk(2).k })
  end)

  it("a boolean default of a STRING or INTEGER is true on the instance, 1 in the column (Sequelize)", function()
    -- Sequelize 6.37.8: { s: { type: STRING, defaultValue: true }, j: { type: INTEGER, defaultValue: true } }:
    --   `j` INTEGER DEFAULT 1, `s` VARCHAR(255) DEFAULT 1; build({}) -> {"s":true,"j":true}, create({})
    --   -> {"s":true,"j":true,"id":1}; findByPk: s "1", j 1
    local db = support.open()
    local M = db:define("M", { s = { type = DataTypes.STRING, defaultValue = true },
      j = { type = DataTypes.INTEGER, defaultValue = true }, f = { type = DataTypes.INTEGER, defaultValue = false } },
      { timestamps = false })
    M:sync()
    local sql = db:query("SELECT sql FROM sqlite_master WHERE name = 'Ms'", { type = "SELECT" })[1].sql
    for _, part in ipairs({ "`j` INTEGER DEFAULT 1", "`s` VARCHAR(255) DEFAULT 1", "`f` INTEGER DEFAULT 0" }) do
      assert.truthy(sql:find(part, 1, true), sql)
    end
    assert.are.same({ true, true, false }, { M:build({}).s, M:build({}).j, M:build({}).f })
    local u = M:create({})
    assert.are.same({ true, true, false }, { u.s, u.j, u.f })
    local back = M:findByPk(u.id)
    assert.are.same({ "1", 1, 0 }, { back.s, back.j, back.f })
  end)

  it("a JSON default holding bytes that are no UTF-8 raises at define (as a write of it does)", function()
    local db = support.open()
    local err = support.catch_message(function()
      db:define("J", { meta = { type = DataTypes.JSON, defaultValue = { k = "\255" } } })
    end)
    assert.truthy(err.message:find("J.meta: defaultValue cannot be stored as JSON", 1, true), err.message)
  end)

  it("an ENUM refuses a boolean (the 1 / 0 other types take is outside its list)", function()
    local db = support.open()
    local M = db:define("E", { st = DataTypes.ENUM("a", "b") }, { timestamps = false })
    db:sync()
    for _, f in ipairs({ function() M:create({ st = true }) end, function() M:bulkCreate({ { st = true } }) end,
                         function() M:update({ st = false }, { where = {} }) end }) do
      assert.are.equal("SequelizeValidationError", support.catch_message(f).name)
    end
    assert.are.equal(0, M:count())
  end)

  it("an ENUM refuses a number, on create, bulkCreate, update and a hook's value, as it refuses '5'", function()
    -- (Sequelize 6.37.8, typeValidation off, writes 5 and "7" unchecked, as it writes any string;
    -- with typeValidation: '5 is not a valid choice in ["a","b"]'. README: ENUM values are checked
    -- on every write.)
    local db = support.open()
    local M = db:define("E", { st = DataTypes.ENUM("a", "b"), n = DataTypes.INTEGER }, { timestamps = false })
    M:beforeCreate(function(x) if x.n == 1 then x.st = 9 end end)
    db:sync()
    for _, f in ipairs({ function() M:create({ st = 5 }) end, function() M:bulkCreate({ { st = 5.5 } }) end,
                         function() M:create({ st = "a", n = 1 }) end }) do
      local err = support.catch(f)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.is_truthy(err.message:find("^[%d.]+ is not a valid choice in %[\"a\",\"b\"%]$"))
    end
    M:create({ st = "a" })
    assert.are.equal('7 is not a valid choice in ["a","b"]',
      support.catch_message(function() M:update({ st = 7 }, { where = {} }) end).message)
    assert.are.same({ { st = "a" } }, support.raw(db, "SELECT st FROM Es"))
  end)

  it("a DATEONLY default is written YYYY-MM-DD and a BLOB's as X'..', so rows the database fills match (Sequelize)", function()
    -- Sequelize 6.37.8: `dn` DATE DEFAULT '2020-01-02' (given '2020-1-2'), `dn2` DATE DEFAULT '2020-01-02' (given
    --   '2020-01-02T23:00:00+05:00'), `bld` BLOB DEFAULT X'6869', a Buffer [0, 255, 39] DEFAULT X'00ff27';
    --   a raw INSERT without them stores 2020-01-02 and the blob 6869, and where { dn: '2020-01-02' } finds both rows
    local db = support.open()
    local G = db:define("G", { name = DataTypes.STRING,
      dn = { type = DataTypes.DATEONLY, defaultValue = "2020-1-2" },
      dn2 = { type = DataTypes.DATEONLY, defaultValue = "2020-01-02T23:00:00+05:00" },
      bld = { type = DataTypes.BLOB, defaultValue = "hi" }, bl2 = { type = DataTypes.BLOB, defaultValue = "\0\255'" } },
      { timestamps = false })
    G:sync()
    local sql = db:query("SELECT sql FROM sqlite_master WHERE name = 'Gs'", { type = "SELECT" })[1].sql
    for _, part in ipairs({ "`dn` DATE DEFAULT '2020-01-02'", "`dn2` DATE DEFAULT '2020-01-02'",
                            "`bld` BLOB DEFAULT X'6869'", "`bl2` BLOB DEFAULT X'00ff27'" }) do
      assert.truthy(sql:find(part, 1, true), sql)
    end
    local g = G:create({ name = "a" })
    assert.are.same({ "2020-01-02", "hi", "\0\255'" }, { g.dn, g.bld, g.bl2 })
    db:query("INSERT INTO Gs (name) VALUES ('raw')")
    assert.are.same({ { name = "a", dn = "2020-01-02", t = "blob", h = "6869" }, { name = "raw", dn = "2020-01-02", t = "blob", h = "6869" } },
      db:query("SELECT name, dn, typeof(bld) AS t, hex(bld) AS h FROM Gs ORDER BY id", { type = "SELECT" }))
    assert.are.equal(2, #G:findAll({ where = { dn = "2020-01-02" } }))
    assert.are.equal(2, #G:findAll({ where = { bld = "hi" } }))
    assert.are.equal("X6869", db:getQueryInterface():describeTable("Gs").bld.defaultValue)
    -- (a DATEONLY default that is no date is refused, as a DATE's is; Sequelize writes 'Invalid date')
    assert.truthy(support.catch_message(function()
      db:define("H", { d = { type = DataTypes.DATEONLY, defaultValue = "garbage" } }) end).message:find("not a date", 1, true))
  end)
end)

describe("tostring of a type", function()
  it("is the SQL type the dialect writes, as Sequelize's String(rawAttributes.x.type)", function()
    -- Sequelize 6.37.8 (sqlite), String(M.rawAttributes.a.type) of a model defined with these
    -- types: VARCHAR(255) VARCHAR(10) VARCHAR BINARY(255) CHAR(5) TEXT INTEGER (also for
    -- INTEGER.UNSIGNED: sqlite drops it) INTEGER(11) BIGINT FLOAT UNSIGNED DOUBLE PRECISION(5,2)
    -- REAL DECIMAL(10,2) TINYINT(1) DATETIME DATE UUID JSON TINYBLOB TEXT (ENUM) VIRTUAL;
    -- id, createdAt: INTEGER, DATETIME with _autoGenerated true
    local types = {
      { DataTypes.STRING, "VARCHAR(255)" }, { DataTypes.STRING(10), "VARCHAR(10)" },
      { DataTypes.STRING.BINARY, "VARCHAR BINARY(255)" }, { DataTypes.CHAR(5), "CHAR(5)" },
      { DataTypes.TEXT, "TEXT" }, { DataTypes.INTEGER.UNSIGNED, "INTEGER" }, { DataTypes.INTEGER(11), "INTEGER(11)" },
      { DataTypes.BIGINT, "BIGINT" }, { DataTypes.FLOAT.UNSIGNED, "FLOAT UNSIGNED" },
      { DataTypes.DOUBLE(5, 2), "DOUBLE PRECISION(5,2)" }, { DataTypes.REAL, "REAL" },
      { DataTypes.DECIMAL(10, 2), "DECIMAL(10,2)" }, { DataTypes.BOOLEAN, "TINYINT(1)" },
      { DataTypes.DATE, "DATETIME" }, { DataTypes.DATEONLY, "DATE" }, { DataTypes.UUID, "UUID" },
      { DataTypes.JSON, "JSON" }, { DataTypes.BLOB("tiny"), "TINYBLOB" }, { DataTypes.ENUM("a", "b"), "TEXT" },
      { DataTypes.VIRTUAL, "VIRTUAL" },
    }
    local db = support.open()
    local attrs = {}
    for i, t in ipairs(types) do
      assert.equal(t[2], tostring(t[1]))
      attrs["a" .. i] = { type = t[1] }
    end
    local M = db:define("M", attrs)
    for i, t in ipairs(types) do assert.equal(t[2], tostring(M.rawAttributes["a" .. i].type)) end
    assert.same({ "INTEGER", true, "DATETIME", true },
      { tostring(M.rawAttributes.id.type), M.rawAttributes.id._autoGenerated,
        tostring(M.rawAttributes.createdAt.type), M.rawAttributes.createdAt._autoGenerated })
    assert.is_nil(M.rawAttributes.a1._autoGenerated)
    -- the BINARY flag stays on the attribute's type, so the attributes define the same table again
    db:getQueryInterface():createTable("Copies", { a3 = M.rawAttributes.a3 })
    assert.equal("VARCHAR BINARY(255)", db:getQueryInterface():describeTable("Copies").a3.type)
  end)
end)

describe("TINYINT, SMALLINT, MEDIUMINT, CITEXT, TIME and JSONB", function()
  -- Sequelize 6.37.8 (sqlite), define { t: TIME, c: CITEXT, ti: TINYINT, sm: SMALLINT(3).UNSIGNED,
  -- me: MEDIUMINT, jb: JSONB } and sync: CREATE TABLE IF NOT EXISTS `Ms` (`id` INTEGER PRIMARY KEY
  -- AUTOINCREMENT, `t` TIME, `c` TEXT COLLATE NOCASE, `ti` TINYINT, `sm` SMALLINT(3), `me` MEDIUMINT,
  -- `jb` JSONB); String(type): TIME, TEXT COLLATE NOCASE, TINYINT, SMALLINT(3), MEDIUMINT, JSONB (keys
  -- TIME CITEXT TINYINT SMALLINT MEDIUMINT JSONB); create { ti: '5', sm: 7, me: 8 } reads back
  -- 5, 7, 8; { c: 'Hello' }: count where c = 'hello' 1, where c in ['HELLO'] 1; { t: '12:34:56' } reads
  -- '12:34:56'; { jb: { a: [1, { b: 2 }] } } reads the object, where 'jb.a' ne null counts 1,
  -- set('jb.a', 7) + save reads { a: 7 }; a SMALLINT primary key is INTEGER PRIMARY KEY
  -- AUTOINCREMENT and a belongsTo's key to it SMALLINT
  local db
  after_each(function() if db then db:close() end db = nil end)

  it("are columns of Sequelize's types whose values are INTEGER's, TEXT's and JSON's", function()
    local sql = {}
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) sql[#sql + 1] = s end }
    local Op = Sequelize.Op
    local M = db:define("M", { t = DataTypes.TIME, c = DataTypes.CITEXT, ti = DataTypes.TINYINT,
      sm = DataTypes.SMALLINT(3).UNSIGNED, me = DataTypes.MEDIUMINT, jb = DataTypes.JSONB }, { timestamps = false })
    db:sync()
    assert.is_truthy(sql[1]:find("(`id` INTEGER PRIMARY KEY AUTOINCREMENT, `c` TEXT COLLATE NOCASE, `jb` JSONB, "
      .. "`me` MEDIUMINT, `sm` SMALLINT(3), `t` TIME, `ti` TINYINT)", 1, true), sql[1])
    local keys, sqltypes = {}, {}
    for _, k in ipairs({ "t", "c", "ti", "sm", "me", "jb" }) do
      keys[#keys + 1] = M.rawAttributes[k].type.key
      sqltypes[#sqltypes + 1] = tostring(M.rawAttributes[k].type)
    end
    assert.same({ "TIME", "CITEXT", "TINYINT", "SMALLINT", "MEDIUMINT", "JSONB" }, keys)
    assert.same({ "TIME", "TEXT COLLATE NOCASE", "TINYINT", "SMALLINT(3)", "MEDIUMINT", "JSONB" }, sqltypes)

    local r = M:create({ ti = "5", sm = 7, me = 8 })
    local back = M:findByPk(r.id)
    assert.same({ 5, 7, 8 }, { back.ti, back.sm, back.me })
    assert.equal(5, M:sum("ti"))
    M:create({ c = "Hello" })
    assert.equal(1, M:count({ where = { c = "hello" } }))
    assert.equal(1, M:count({ where = { c = { [Op.in_] = { "HELLO" } } } }))
    local t = M:create({ t = "12:34:56" })
    assert.equal("12:34:56", M:findByPk(t.id).t)
    local j = M:create({ jb = { a = { 1, { b = 2 } } } })
    assert.same({ a = { 1, { b = 2 } } }, M:findByPk(j.id).jb)
    assert.equal(1, M:count({ where = { ["jb.a"] = { [Op.ne] = Sequelize.null } } }))
    assert.equal(1, M:count({ where = { jb = { a = { [Op.ne] = Sequelize.null } } } }))
    j:set("jb.a", 7)
    j:save()
    assert.same({ a = 7 }, M:findByPk(j.id).jb)

    local P = db:define("P", { id = { type = DataTypes.SMALLINT, primaryKey = true, autoIncrement = true },
      n = DataTypes.STRING }, { timestamps = false })
    local C = db:define("C", {}, { timestamps = false })
    C:belongsTo(P)
    sql = {}
    P:sync()
    assert.is_truthy(sql[1]:find("`id` INTEGER PRIMARY KEY AUTOINCREMENT", 1, true), sql[1])
    assert.equal(1, P:create({ n = "a" }).id)
    assert.equal("SMALLINT", tostring(C.rawAttributes.PId.type))
  end)

  it("a JSONB scalar defaultValue is its JSON text in the column's DEFAULT, as a JSON one's", function()
    -- Sequelize 6.37.8: { jb: { type: JSONB, defaultValue: 'draft' }, nb: { type: JSONB, defaultValue: 5 } }
    -- -> `jb` JSONB DEFAULT '"draft"', `nb` JSONB DEFAULT '5' (JSON's: `j` JSON DEFAULT '"draft"')
    local sql = {}
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = function(s) sql[#sql + 1] = s end }
    local M = db:define("M", { j = { type = DataTypes.JSON, defaultValue = "draft" },
      jb = { type = DataTypes.JSONB, defaultValue = "draft" }, nb = { type = DataTypes.JSONB, defaultValue = 5 } },
      { timestamps = false })
    db:sync()
    assert.is_truthy(sql[1]:find("`j` JSON DEFAULT '\"draft\"', `jb` JSONB DEFAULT '\"draft\"', `nb` JSONB DEFAULT '5'", 1, true), sql[1])
    db:query("INSERT INTO Ms (id) VALUES (1)")
    assert.same({ "draft", "draft", 5 }, { M:findByPk(1).j, M:findByPk(1).jb, M:findByPk(1).nb })
    local x = M:create({})
    assert.same({ "draft", 5 }, { x.jb, x.nb })
  end)

  it("typeValidation: Sequelize's messages ('is not a valid tinyint'); TIME and JSONB check nothing", function()
    -- Sequelize 6.37.8 with typeValidation: true, on create and in a where alike:
    -- ti 'x' -> '"x" is not a valid tinyint' (validatorKey 'TINYINT validator'), ti 1.5 -> '1.5 is
    -- not a valid tinyint', sm 'x' -> '"x" is not a valid smallint', me '2.5' -> '"2.5" is not a
    -- valid mediumint', c 5 -> '5 is not a valid string' ('CITEXT validator'); t 5, t true, jb 'x',
    -- c 'x', ti '7' are written
    db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", logging = false, typeValidation = true }
    local N = db:define("N", { t = DataTypes.TIME, c = DataTypes.CITEXT, ti = DataTypes.TINYINT,
      sm = DataTypes.SMALLINT, me = DataTypes.MEDIUMINT, jb = DataTypes.JSONB }, { timestamps = false })
    db:sync()
    local refused = {
      { "ti", "x", '"x" is not a valid tinyint', "TINYINT validator" },
      { "ti", 1.5, "1.5 is not a valid tinyint", "TINYINT validator" },
      { "sm", "x", '"x" is not a valid smallint', "SMALLINT validator" },
      { "me", "2.5", '"2.5" is not a valid mediumint', "MEDIUMINT validator" },
      { "c", 5, "5 is not a valid string", "CITEXT validator" },
    }
    for _, c in ipairs(refused) do
      for _, f in ipairs({ function() N:create({ [c[1]] = c[2] }) end,
                           function() N:count({ where = { [c[1]] = c[2] } }) end }) do
        local err = support.catch(f)
        assert.equal("SequelizeValidationError", err.name)
        assert.equal(c[3], err.message)
        assert.equal(c[4], err.errors[1].validatorKey)
        assert.equal(c[1], err.errors[1].path)
      end
    end
    for _, c in ipairs({ { "t", 5 }, { "t", true }, { "jb", "x" }, { "c", "x" }, { "ti", "7" } }) do
      N:create({ [c[1]] = c[2] })
      assert.equal(1, N:count({ where = { [c[1]] = c[2] } }))
    end
    assert.equal(0, #N:findAll({ where = { ti = 5 } }))
  end)
end)
