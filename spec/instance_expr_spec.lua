-- Instance values that are SQL (Sequelize.fn / literal / col set on an instance, given to
-- instance update, create, build + save and bulkCreate), optimistic locking (`version`) and
-- the v5-style getterMethods / setterMethods model options.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3
-- (the same models, rows and calls in JavaScript, /tmp/sqz/ie_*.js).
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local EXPR = getmetatable(Sequelize.literal("1"))

describe("SQL values on instances", function()
  local db, log, E

  before_each(function()
    db, log = support.open()
    E = db:define("E", {
      n = DataTypes.INTEGER,
      s = { type = DataTypes.STRING, validate = { isLowercase = true, len = { 1, 5 },
                                                  str = function(v) if type(v) ~= "string" then error("not a string") end end } },
      r = { type = DataTypes.STRING, allowNull = false },
      j = DataTypes.JSON,
    }, { timestamps = false })
    db:sync()
  end)

  it("save writes a literal set on an instance and keeps the expression", function()
    local e = E:create{ n = 1, s = "a", r = "x" }
    e.n = Sequelize.literal("n + 1")
    assert.same({ "n" }, e:changed())
    e:save()
    -- Sequelize: UPDATE `Es` SET `n`=n + 1 WHERE `id` = $1; e.n is the Literal, changed() false,
    -- toJSON {"id":1,"n":{"val":"n + 1"},"s":"a","r":"x"}
    assert.matches("SET `n`=n %+ 1 WHERE", log[#log])
    assert.equal(EXPR, getmetatable(e.n))
    assert.is_false(e:changed())
    assert.equal('{"id":1,"n":{"val":"n + 1"},"r":"x","s":"a"}', tostring(e))
    e:reload()
    assert.equal(2, e.n) -- Sequelize: 2
    -- and a plain value after it takes the kept statement again
    e.n = 7
    e:save()
    assert.equal(7, E:findByPk(1).n)
  end)

  it("instance update writes fn and literal values", function()
    local e = E:create{ n = 2, s = "ab", r = "x" }
    e:update{ n = Sequelize.literal("n * 10") }
    assert.equal(EXPR, getmetatable(e.n)) -- Sequelize: the Literal, changed() false
    assert.is_false(e:changed())
    e:reload()
    assert.equal(20, e.n) -- Sequelize: 20
    e.s = Sequelize.fn("upper", Sequelize.col("s"))
    e:save()
    -- Sequelize: UPDATE `Es` SET `s`=upper(`s`) ...; not validated (isLowercase would fail)
    assert.matches("SET `s`=upper%(`s`%) WHERE", log[#log])
    e:reload()
    assert.equal("AB", e.s)
    e:update{ j = Sequelize.fn("json", '{"a":1}') } -- a JSON attribute: SQL too, not JSON text
    e:reload()
    assert.same({ a = 1 }, e.j)
  end)

  it("create, build + save and bulkCreate write SQL values, args bound", function()
    local x = E:create{ s = Sequelize.fn("lower", "ABC"), r = Sequelize.literal("'lit'") }
    -- Sequelize: INSERT INTO `Es` (`id`,`s`,`r`) VALUES (NULL,lower('ABC'),'lit') (its args inlined;
    -- here bound); no validation error; toJSON {"id":2,"s":{"fn":"lower","args":["ABC"]},"r":{"val":"'lit'"}}
    assert.matches("VALUES %('lit',lower%(%?%)%)", log[#log])
    assert.equal('{"id":1,"r":{"val":"\'lit\'"},"s":{"fn":"lower","args":["ABC"]}}', tostring(x))
    assert.is_false(x.isNewRecord)
    x:reload()
    assert.equal("abc", x.s) -- Sequelize: "abc"
    assert.equal("lit", x.r)
    local b = E:build{ n = Sequelize.literal("5"), r = "q" }
    b:save()
    assert.equal('{"id":2,"n":{"val":"5"},"r":"q"}', tostring(b)) -- Sequelize: {"id":3,"n":{"val":"5"},"r":"q"}
    local rows = E:bulkCreate{ { r = Sequelize.literal("'bk'") }, { r = Sequelize.literal("'bk2'") }, { r = "p" } }
    assert.equal('[{"id":3,"r":{"val":"\'bk\'"}},{"id":4,"r":{"val":"\'bk2\'"}},{"id":5,"r":"p"}]',
      Sequelize.stringify(rows))
    local got = {}
    for _, row in ipairs(E:findAll{ order = { { "id" } } }) do got[#got + 1] = row.r end
    assert.same({ "lit", "q", "bk", "bk2", "p" }, got)
    -- a plain value is still validated beside one that is SQL
    -- Sequelize: SequelizeValidationError "Validation isLowercase on s failed", "Validation len on s failed"
    local err = support.catch_error(E.create, E, { s = "ABCDEFG", r = Sequelize.fn("lower", "Q") })
    assert.equal("SequelizeValidationError", err.name)
    assert.equal(2, #err.errors)
    assert.equal("isLowercase", err.errors[1].validatorKey)
  end)

  it("an fn with an empty name writes its arguments in parentheses (Sequelize's sqlite idiom)", function()
    -- Sequelize 6.37.8 (test/integration/instance/values.test.js "allows use of sequelize.fn and
    -- sequelize.col in date and bool fields", model/create.test.js "is possible to use functions
    -- as default values"): fn('', fn('datetime', 'now')) set on an instance writes
    -- `d`=(datetime('now')); as a defaultValue fn('', fn('date', 'now')) the row gets today's date
    local D = db:define("D", { d = DataTypes.DATE, y = { type = DataTypes.STRING,
      defaultValue = Sequelize.fn("", Sequelize.fn("date", "now")) } }, { timestamps = false })
    D:sync()
    local row = D:create({})
    row.d = Sequelize.fn("", Sequelize.fn("datetime", "now"))
    row:save()
    assert.matches("SET `d`=%(datetime%(%?%)%) WHERE", log[#log])
    row:reload()
    assert.equal(os.date("!%Y-%m-%d"), row.y)
    assert.equal(os.date("!%Y-%m-%d"), row.d:sub(1, 10))
    assert.equal(1, D:count{ where = Sequelize.where(Sequelize.fn("", Sequelize.col("y")), os.date("!%Y-%m-%d")) })
  end)
end)

describe("JSON of SQL values on instances", function()
  -- Sequelize: JSON.stringify of its Where / Json objects (a Symbol, Op's keys and an Op
  -- comparator, is left out; Json leaves a falsy value out)
  it("stringify writes Sequelize.where / json as JSON.stringify writes Sequelize's objects", function()
    local db = Sequelize.new("sqlite::memory:")
    local Op = Sequelize.Op
    local U = db:define("U", { n = DataTypes.INTEGER, j = DataTypes.JSON }, { timestamps = false })
    local u = U:build{ id = 1 }
    local function js(v) u.n = v; return Sequelize.stringify(u) end
    assert.equal('{"id":1,"n":{"attribute":{"col":"age"},"logic":3}}', js(Sequelize.where(Sequelize.col("age"), Op.gt, 3)))
    assert.equal('{"id":1,"n":{"attribute":{"fn":"lower","args":[{"col":"s"}]},"comparator":"=","logic":"x"}}',
      js(Sequelize.where(Sequelize.fn("lower", Sequelize.col("s")), "x")))
    assert.equal('{"id":1,"n":{"attribute":{"col":"age"},"comparator":"=","logic":{}}}',
      js(Sequelize.where(Sequelize.col("age"), { [Op.gt] = 3 })))
    assert.equal('{"id":1,"n":{"attribute":{"col":"age"},"comparator":"like","logic":"a%"}}',
      js(Sequelize.where(Sequelize.col("age"), "like", "a%")))
    assert.equal('{"id":1,"n":{"path":"j.a","value":"x"}}', js(Sequelize.json("j.a", "x")))
    assert.equal('{"id":1,"n":{"path":"j.a"}}', js(Sequelize.json("j.a", 0)))
    assert.equal('{"id":1,"n":{"conditions":{"j":{"a":1}}}}', js(Sequelize.json({ j = { a = 1 } })))
    assert.equal('{"x":{},"y":{"a":1}}', Sequelize.stringify{ x = Sequelize["or"]({ a = 1 }, { a = 2 }), y = { a = 1, [Op.gt] = 2 } })
    -- (a JSON value to store still refuses an Op key)
    local ok, err = pcall(U.create, U, { j = { [Op.gt] = 1 } })
    assert.is_false(ok)
    assert.matches("U.j", tostring(err), 1, true)
  end)
end)

describe("optimistic locking (version)", function()
  local db, log, A

  before_each(function()
    db, log = support.open()
    A = db:define("Acct", { n = DataTypes.INTEGER }, { version = true })
    db:sync()
  end)

  it("adds the column, counts saves and refuses a stale save", function()
    -- Sequelize: CREATE TABLE ... `updatedAt` DATETIME NOT NULL, `version` INTEGER NOT NULL DEFAULT 0)
    local ddl = db:query("SELECT sql FROM sqlite_master WHERE name = 'Accts'", { type = "SELECT", plain = true }).sql
    assert.matches("`updatedAt` DATETIME NOT NULL, `version` INTEGER NOT NULL DEFAULT 0%)$", ddl)
    assert.is_true(A.rawAttributes.version._autoGenerated)
    local a = A:create{ n = 1 }
    assert.equal(0, a.version) -- Sequelize: 0
    local b = A:findByPk(1)
    a.n = 2
    a:save()
    -- Sequelize: UPDATE `Accts` SET `n`=$1,`updatedAt`=$2,`version`=$3 WHERE `id` = $4 AND `version` = $5
    assert.matches("WHERE `id` = %? AND `version` = %?;$", log[#log])
    assert.equal(1, a.version)
    a:update{ n = 3 }
    assert.equal(2, a.version)
    a:save() -- nothing changed: no write, no new version (Sequelize)
    assert.equal(2, a.version)
    b.n = 9
    local err = support.catch_error(b.save, b)
    -- Sequelize: SequelizeOptimisticLockError "Attempting to update a stale model instance: Acct",
    -- modelName "Acct", values { n: 9, updatedAt, version: 1 }, where { id: 1, version: 0 }
    assert.equal("SequelizeOptimisticLockError", err.name)
    assert.equal("Attempting to update a stale model instance: Acct", err.message)
    assert.is_true(err:is(Sequelize.errors.OptimisticLockError))
    assert.equal("Acct", err.modelName)
    assert.equal(9, err.values.n)
    assert.equal(1, err.values.version)
    assert.same({ id = 1, version = 0 }, err.where)
    assert.same({ "n" }, b:changed())
    assert.equal(3, A:findByPk(1).n)
  end)

  it("the version is read-only on a saved row; increment bumps it; destroy checks it", function()
    local c = A:create{ n = 1, version = 7 }
    assert.equal(7, c.version) -- Sequelize: 7
    c.version = 3 -- ignored (Sequelize: a read-only attribute)
    c.n = 3
    c:save()
    assert.equal(8, c.version) -- Sequelize: 8
    c:increment("n")
    -- Sequelize: UPDATE ... SET `n`=`n`+ 1,`version`=`version`+ 1,...
    c:reload()
    assert.equal(9, c.version)
    A:update({ n = 5 }, { where = { id = 1 } }) -- a static update leaves it (Sequelize)
    c:reload()
    assert.equal(9, c.version)
    c:destroy()
    -- Sequelize: DELETE FROM `Accts` WHERE `id` = 1 AND `version` = 3
    assert.matches("WHERE `id` = %? AND `version` = %?;$", log[#log])
    assert.equal(0, A:count())
    local B = db:define("B", { n = DataTypes.INTEGER }, { version = "rev", timestamps = false })
    B:sync()
    local b = B:create{ n = 1 }
    b.n = 2
    b:save()
    assert.equal('{"id":1,"n":2,"rev":1}', tostring(b)) -- Sequelize: {"rev":1,"id":1,"n":2}
  end)
end)

describe("getterMethods and setterMethods", function()
  it("are the instances' getters and setters, and getters show in toJSON", function()
    local db = support.open()
    local U = db:define("U", { first = DataTypes.STRING, last = DataTypes.STRING, n = DataTypes.INTEGER }, {
      timestamps = false,
      getterMethods = {
        full = function(self) return self.first .. " " .. self.last end,
        n = function(self) return (self:getDataValue("n") or 0) * 2 end,
      },
      setterMethods = {
        full = function(self, v)
          local a, b = v:match("(%S+) (%S+)")
          self:setDataValue("first", a)
          self:setDataValue("last", b)
        end,
        n = function(self, v) self:setDataValue("n", v + 1) end,
      },
    })
    db:sync()
    local keys = {}
    for k in pairs(U.rawAttributes) do keys[#keys + 1] = k end
    table.sort(keys)
    assert.same({ "first", "id", "last", "n" }, keys) -- Sequelize: [ 'id', 'first', 'last', 'n' ]
    local u = U:create{ full = "a b", n = 1 }
    -- Sequelize: "a b" 4 {"full":"a b","n":4,"id":1,"first":"a","last":"b"} 2
    assert.equal("a b", u.full)
    assert.equal(4, u.n)
    assert.equal(2, u:getDataValue("n"))
    assert.same({ first = "a", full = "a b", id = 1, last = "b", n = 4 }, u:toJSON())
    assert.equal("a b", u:get("full"))
    u.full = "c d"
    assert.same({ "first", "last" }, u:changed()) -- Sequelize: [ 'first', 'last' ]
    u:save()
    local f = U:findByPk(1)
    assert.equal("c d", f.full)
    f:update{ full = "e f" }
    assert.equal("e", U:findByPk(1).first) -- Sequelize: {"n":4,"id":1,"first":"e","last":"f"}
    assert.equal('{"id":1,"first":"e"}', tostring(U:findOne{ attributes = { "id", "first" } }))
  end)

  it("a getter with no setter is no attribute: setting it is ignored, a save writes nothing", function()
    -- Sequelize 6.37.8 (its set returns for a key that is no attribute and has no custom
    -- setter): u.nameLen = 7 -> changed() false, getDataValue('nameLen') undefined, save() sends
    -- no statement; build({ name: 'q', nameLen: 3 }).dataValues {"id":null,"name":"q"};
    -- set('nameLen', 5, { raw: true }) stores it (getDataValue 5)
    local db, log = support.open()
    local U = db:define("U", { name = DataTypes.STRING }, {
      getterMethods = { nameLen = function(self) return #(self:getDataValue("name") or "") end },
    })
    db:sync()
    U:create{ name = "ann", nameLen = 9 }
    local u = U:findByPk(1)
    assert.is_nil(u:getDataValue("nameLen"))
    support.clear(log)
    u.nameLen = 7
    u:set("nameLen", 8)
    assert.is_false(u:changed())
    assert.is_nil(u:getDataValue("nameLen"))
    assert.equal(3, u.nameLen)
    u:save()
    assert.same({}, support.statements(log, "UPDATE"))
    local b = U:build{ name = "q", nameLen = 3 }
    assert.same({ id = Sequelize.null, name = "q" }, b.dataValues)
    assert.equal(1, b:get("nameLen"))
    b:set("nameLen", 5, { raw = true })
    assert.equal(5, b:getDataValue("nameLen"))
  end)

  it("a value selected under a getter's name is shown through it in toJSON", function()
    -- Sequelize 6.37.8: findOne({ attributes: ['id', ['n', 'gm']] }) with getterMethods
    -- gm = 'G' + getDataValue('gm'): toJSON {"gm":"G3","id":1}, x.gm "G3", getDataValue 3
    -- (the value was left out of toJSON once the read stored it under the getter)
    local db = support.open()
    local M = db:define("Price", { n = DataTypes.INTEGER }, { timestamps = false,
      getterMethods = { gm = function(self) return "G" .. tostring(self:getDataValue("gm")) end } })
    db:sync()
    M:create({ n = 3 })
    local x = M:findOne({ attributes = { "id", { "n", "gm" } } })
    assert.same({ gm = "G3", id = 1 }, x:toJSON())
    assert.equal("G3", x.gm)
    assert.equal(3, x:getDataValue("gm"))
    -- a list that does not select it still leaves the getter out (Sequelize: {"id":1})
    assert.same({ id = 1 }, M:findOne({ attributes = { "id" } }):toJSON())
  end)
end)
