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
end)
