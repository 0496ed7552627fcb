-- where: every operator in API.md against a small seeded table, asserting the exact rows.
-- Expectations were checked against sequelize 6.37.8 + sqlite3 on the same nine rows.
local Sequelize = require("sequelua")
local support = require("spec.support")
local Op = Sequelize.Op

local HOSTILE = "x' OR 1=1 --"

describe("where", function()
  local db, Item, log

  local function ids(where)
    return support.field(Item:findAll{ where = where, order = { { "id", "ASC" } } }, "id")
  end

  before_each(function()
    db, log = support.open()
    Item = support.define_item(db)
    db:sync()
    local N = Sequelize.null
    Item:bulkCreate({
      { name = "apple",     qty = 5,  price = 1.5,  tag = "fruit" }, -- 1
      { name = "banana",    qty = 10, price = 0.25, tag = "fruit" }, -- 2
      { name = "carrot",    qty = 0,  price = 2.0,  tag = N },       -- 3
      { name = "date%",     qty = 7,  price = 3.5,  tag = "dry" },   -- 4
      { name = "egg_plant", qty = 3,  price = N,    tag = "veg" },   -- 5
      { name = "Fig",       qty = 12, price = 4.0,  tag = N },       -- 6
      { name = HOSTILE,     qty = 1,  price = 0,    tag = "evil" },  -- 7
      { name = "eggXplant", qty = 8,  price = 9,    tag = "veg" },   -- 8
      { name = "dateX",     qty = 2,  price = 1,    tag = "dry" },   -- 9
    })
    support.clear(log)
  end)

  after_each(function()
    db:close()
  end)

  describe("plain values", function()
    it("equality", function()
      assert.are.same({ 1 }, ids({ qty = 5 }))
      assert.are.same({ 4 }, ids({ name = "date%" }))
      assert.are.same({ 2 }, ids({ price = 0.25 }))
      assert.are.same({}, ids({ name = "nobody" }))
    end)

    it("Sequelize.null is IS NULL", function()
      assert.are.same({ 3, 6 }, ids({ tag = Sequelize.null }))
      assert.are.same({ 5 }, ids({ price = Sequelize.null }))
    end)

    it("a list is IN", function()
      assert.are.same({ 1, 2 }, ids({ qty = { 5, 10, 99 } }))
      assert.are.same({ 4, 9 }, ids({ tag = { "dry" } }))
      -- Sequelize: IN ('fruit', NULL) does not match NULL rows
      assert.are.same({ 1, 2 }, ids({ tag = { "fruit", Sequelize.null } }))
    end)

    it("several keys are ANDed", function()
      assert.are.same({ 2 }, ids({ tag = "fruit", qty = { [Op.gte] = 10 } }))
      assert.are.same({}, ids({ tag = "fruit", qty = 3 }))
    end)

    it("an empty where matches every row", function()
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({}))
    end)
  end)

  describe("comparison operators", function()
    it("eq", function()
      assert.are.same({ 2 }, ids({ qty = { [Op.eq] = 10 } }))
      assert.are.same({ 3, 6 }, ids({ tag = { [Op.eq] = Sequelize.null } }))
    end)

    it("ne", function()
      -- NULL rows are not != 'fruit'
      assert.are.same({ 4, 5, 7, 8, 9 }, ids({ tag = { [Op.ne] = "fruit" } }))
      -- Sequelize: ne null is IS NOT NULL
      assert.are.same({ 1, 2, 4, 5, 7, 8, 9 }, ids({ tag = { [Op.ne] = Sequelize.null } }))
    end)

    it("is", function()
      assert.are.same({ 3, 6 }, ids({ tag = { [Op.is] = Sequelize.null } }))
    end)

    it("gt, gte, lt, lte", function()
      assert.are.same({ 2, 6, 8 }, ids({ qty = { [Op.gt] = 7 } }))
      assert.are.same({ 2, 4, 6, 8 }, ids({ qty = { [Op.gte] = 7 } }))
      assert.are.same({ 3, 7, 9 }, ids({ qty = { [Op.lt] = 3 } }))
      assert.are.same({ 3, 5, 7, 9 }, ids({ qty = { [Op.lte] = 3 } }))
      assert.are.same({ 4, 6, 8 }, ids({ price = { [Op.gt] = 3 } }))
    end)

    it("between and notBetween (inclusive bounds)", function()
      assert.are.same({ 1, 4, 5 }, ids({ qty = { [Op.between] = { 3, 7 } } }))
      assert.are.same({ 2, 3, 6, 7, 8, 9 }, ids({ qty = { [Op.notBetween] = { 3, 7 } } }))
    end)

    it("in_ and notIn, also as Op[\"in\"]", function()
      assert.are.same({ 3, 6 }, ids({ qty = { [Op.in_] = { 0, 12 } } }))
      assert.are.same({ 3, 6 }, ids({ qty = { [Op["in"]] = { 0, 12 } } }))
      assert.are.same({ 1, 2, 4, 5, 7, 8, 9 }, ids({ qty = { [Op.notIn] = { 0, 12 } } }))
      assert.are.same({ 1, 2 }, ids({ name = { [Op.in_] = { "apple", "banana" } } }))
    end)

    it("in_ with an empty list matches nothing; notIn with an empty list everything", function()
      -- Sequelize: IN (NULL); NOT IN [] drops the condition
      assert.are.same({}, ids({ qty = { [Op.in_] = {} } }))
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ qty = { [Op.notIn] = {} } }))
    end)

    it("several operators on one attribute are ANDed", function()
      assert.are.same({ 4, 5, 8 }, ids({ qty = { [Op.gt] = 2, [Op.lt] = 9, [Op.ne] = 5 } }))
      assert.are.same({ 1, 4 }, ids({ qty = { [Op.gte] = 5, [Op.lte] = 7 } }))
    end)
  end)

  describe("pattern operators", function()
    it("like and notLike (SQLite LIKE is case-insensitive for ASCII)", function()
      assert.are.same({ 2, 5, 8 }, ids({ name = { [Op.like] = "%an%" } }))
      assert.are.same({ 6 }, ids({ name = { [Op.like] = "fig" } }))
      assert.are.same({ 6, 7 }, ids({ name = { [Op.notLike] = "%a%" } }))
      -- Sequelize writes LIKE NULL / NOT LIKE NULL: no row matches
      assert.are.same({}, ids({ name = { [Op.like] = Sequelize.null } }))
      assert.are.same({}, ids({ name = { [Op.notLike] = Sequelize.null } }))
    end)

    it("startsWith, endsWith, substring", function()
      assert.are.same({ 2 }, ids({ name = { [Op.startsWith] = "ba" } }))
      assert.are.same({ 1 }, ids({ name = { [Op.endsWith] = "ple" } }))
      assert.are.same({ 2 }, ids({ name = { [Op.substring] = "nan" } }))
    end)

    it("% and _ inside startsWith/endsWith/substring stay wildcards, as in Sequelize", function()
      -- Sequelize 6 builds LIKE 'date%%', LIKE '%_plant', LIKE '%g_p%' without escaping
      assert.are.same({ 4, 9 }, ids({ name = { [Op.startsWith] = "date%" } }))
      assert.are.same({ 5, 8 }, ids({ name = { [Op.endsWith] = "_plant" } }))
      assert.are.same({ 5, 8 }, ids({ name = { [Op.substring] = "g_p" } }))
      assert.are.same({ 1, 4, 5, 8, 9 }, ids({ name = { [Op.substring] = "e%" } }))
    end)

    it("startsWith/endsWith/substring write a fractional number as JavaScript's String(n)", function()
      -- Sequelize 6.37.8 (banana's price 0.1): `price` LIKE '0.1%' / LIKE '%0.1' / LIKE '%0.1%' -> [2]
      -- (the pattern was bound as "0.10000000000000001%", which matched no row)
      Item:update({ price = 0.1 }, { where = { id = 2 } })
      assert.are.same({ 2 }, ids({ price = { [Op.startsWith] = 0.1 } }))
      assert.are.same({ 2 }, ids({ price = { [Op.endsWith] = 0.1 } }))
      assert.are.same({ 2 }, ids({ price = { [Op.substring] = 0.1 } }))
      assert.are.same({ 1 }, ids({ price = { [Op.substring] = 1.5 } }))
    end)

    it("startsWith/endsWith/substring with a col or fn value stay prefix/suffix/substring tests", function()
      -- Sequelize 6.37.8 writes `name` LIKE '[object Object]%' (no row); Sequelize 7 joins the
      -- wildcard to the expression (CONCAT), as here: `name` LIKE (lower(?) || ?)
      assert.are.same({ 5, 8 }, ids({ name = { [Op.startsWith] = Sequelize.fn("lower", "EGG") } }))
      assert.truthy(support.sql_of(log[#log]):find("`name` LIKE (lower(?) || ?)", 1, true), log[#log])
      assert.are.same({ 5, 8 }, ids({ name = { [Op.endsWith] = Sequelize.fn("lower", "PLANT") } }))
      assert.are.same({ 4, 9 }, ids({ name = { [Op.substring] = Sequelize.fn("lower", "AT") } }))
      -- a column's value: names that start with their row's tag (none here but the one set)
      Item:update({ tag = "ban" }, { where = { id = 2 } })
      assert.are.same({ 2 }, ids({ name = { [Op.startsWith] = Sequelize.col("tag") } }))
      assert.are.same({ 2 }, ids(Sequelize.where(Sequelize.col("name"), Op.substring, Sequelize.col("tag"))))
    end)

    it("startsWith/endsWith/substring with a literal value take its text as the pattern's", function()
      -- Sequelize 6.37.8: `name` LIKE 'ban%' -> [2], LIKE '%plant' -> [5, 8], LIKE '%''x''%' -> []
      -- (the literal's text, escaped as a string, not SQL)
      assert.are.same({ 2 }, ids({ name = { [Op.startsWith] = Sequelize.literal("ban") } }))
      assert.truthy(support.sql_of(log[#log]):find("`name` LIKE ?", 1, true), log[#log])
      assert.are.same({ 5, 8 }, ids({ name = { [Op.endsWith] = Sequelize.literal("plant") } }))
      assert.are.same({}, ids({ name = { [Op.substring] = Sequelize.literal("'x'") } }))
    end)
  end)

  describe("logical operators", function()
    it("and_ over a list and over a table", function()
      assert.are.same({ 2 }, ids({ [Op.and_] = { { tag = "fruit" }, { qty = { [Op.gt] = 5 } } } }))
      assert.are.same({ 1 }, ids({ [Op.and_] = { tag = "fruit", qty = 5 } }))
      assert.are.same({ 2 }, ids({ [Op["and"]] = { { tag = "fruit" }, { qty = 10 } } }))
    end)

    it("or_ over a list and over a table, also as Op[\"or\"]", function()
      assert.are.same({ 3, 4, 9 }, ids({ [Op.or_] = { { tag = "dry" }, { qty = 0 } } }))
      assert.are.same({ 3, 4, 9 }, ids({ [Op.or_] = { tag = "dry", qty = 0 } }))
      assert.are.same({ 3, 4, 9 }, ids({ [Op["or"]] = { { tag = "dry" }, { qty = 0 } } }))
    end)

    it("not_", function()
      -- NOT (tag = 'fruit'): NULL tags are not matched
      assert.are.same({ 4, 5, 7, 8, 9 }, ids({ [Op.not_] = { tag = "fruit" } }))
      assert.are.same({ 4, 5, 7, 8, 9 }, ids({ [Op["not"]] = { tag = "fruit" } }))
      -- Sequelize: NOT (tag = 'fruit' AND qty = 3)
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ [Op.not_] = { { tag = "fruit" }, { qty = 3 } } }))
      -- on an attribute: != value, IS NOT NULL for null
      assert.are.same({ 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ qty = { [Op.not_] = 5 } }))
      assert.are.same({ 1, 2, 4, 5, 7, 8, 9 }, ids({ tag = { [Op.not_] = Sequelize.null } }))
      -- != leaves NULL out (Sequelize: `price` != 1.5; IS NOT 1.5 would keep row 5's NULL)
      assert.are.same({ 2, 3, 4, 6, 7, 8, 9 }, ids({ price = { [Op.not_] = 1.5 } }))
      assert.are.same({ 1, 2, 4, 7, 9 }, ids({ tag = { [Op.not_] = "veg" } }))
    end)

    it("or_ / and_ inside an attribute", function()
      assert.are.same({ 3, 6, 7 }, ids({ qty = { [Op.or_] = { { [Op.lt] = 2 }, { [Op.gt] = 10 } } } }))
      assert.are.same({ 1, 2 }, ids({ qty = { [Op.or_] = { 5, 10 } } }))
      assert.are.same({ 1, 4, 5 }, ids({ qty = { [Op.and_] = { [Op.gt] = 2, [Op.lt] = 8 } } }))
    end)

    it("nested combinations", function()
      assert.are.same({ 1, 8 }, ids({
        [Op.or_] = {
          { [Op.and_] = { { tag = "veg" }, { qty = { [Op.gt] = 5 } } } },
          { name = "apple" },
        },
      }))
      assert.are.same({ 2, 8 }, ids({
        [Op.and_] = {
          { [Op.or_] = { { tag = "fruit" }, { tag = "veg" } } },
          { [Op.not_] = { qty = { [Op.lt] = 6 } } },
        },
      }))
      -- a logical operator next to plain keys
      assert.are.same({ 4 }, ids({ tag = "dry", [Op.or_] = { { qty = 7 }, { qty = 99 } } }))
    end)

    it("empty or_ matches nothing, empty and_ everything", function()
      -- Sequelize: or [] -> 0 = 1; and [] -> no condition
      assert.are.same({}, ids({ [Op.or_] = {} }))
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ [Op.and_] = {} }))
    end)

    it("empty not_ matches nothing; on an attribute, empty or_ / and_ are no condition (Sequelize)", function()
      -- Sequelize: "Op.not of no restriction should also return no data" (WHERE 0 = 1)
      assert.are.same({}, ids({ [Op.not_] = {} }))
      assert.are.same({}, ids({ [Op.not_] = {}, tag = "fruit" }))
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ [Op.not_] = { [Op.not_] = {} } }))
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ [Op.not_] = { [Op.or_] = {} } }))
      -- ... so a destroy with an empty not_ deletes nothing
      local n = Item:count()
      assert.are.equal(0, Item:destroy({ where = { [Op.not_] = {} } }))
      assert.are.equal(n, Item:count())
      -- an attribute's empty group: Sequelize leaves the key out
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ qty = { [Op.or_] = {} } }))
      -- (an attribute's empty not_ is refused: Sequelize writes != '[object Object]' or raises)
      assert.truthy(support.catch_message(function() ids({ qty = { [Op.not_] = {} } }) end)
        .message:find("Op.not needs a value or a non-empty table", 1, true))
      assert.are.same({ 1, 2, 3, 4, 5, 6, 7, 8, 9 }, ids({ qty = { [Op.and_] = {} } }))
    end)
  end)

  describe("fn, col, literal, where", function()
    it("Sequelize.where with fn and col", function()
      assert.are.same({ 6 }, ids(Sequelize.where(Sequelize.fn("lower", Sequelize.col("name")), "fig")))
      assert.are.same({ 2 }, ids(Sequelize.where(Sequelize.fn("upper", Sequelize.col("name")), { [Op.like] = "BAN%" })))
      assert.are.same({ 6 }, ids(Sequelize.where(Sequelize.col("qty"), { [Op.gt] = 10 })))
    end)

    it("Sequelize.where with a comparator string writes it as Sequelize does", function()
      local price = Sequelize.col("price")
      local N = Sequelize.null
      -- Sequelize: `price` IS NOT 1.5 (null-safe: egg_plant's NULL price too), `price` IS 1.5,
      -- `price` <> NULL (no row), "!=" / "=" null as IS NOT NULL / IS NULL
      assert.are.equal(8, #ids(Sequelize.where(price, "IS NOT", 1.5)))
      assert.are.same({ 1 }, ids(Sequelize.where(price, "is", 1.5)))
      assert.are.same({}, ids(Sequelize.where(price, "<>", N)))
      assert.are.equal(8, #ids(Sequelize.where(price, "!=", N)))
      assert.are.same({ 5 }, ids(Sequelize.where(price, "=", N)))
      assert.are.equal(7, #ids(Sequelize.where(price, "<>", 1.5)))
    end)

    it("Sequelize.where inside and_ next to plain conditions", function()
      assert.are.same({ 5, 8 }, ids({
        [Op.and_] = {
          Sequelize.where(Sequelize.fn("length", Sequelize.col("name")), { [Op.gt] = 6 }),
          { tag = "veg" },
        },
      }))
    end)

    it("Sequelize.col as a compared value", function()
      assert.are.same({ 1, 2, 4, 6, 7, 9 }, ids({ qty = { [Op.gt] = Sequelize.col("price") } }))
    end)

    it("Sequelize.col as an attribute's value compares the two columns (README)", function()
      -- Sequelize 6.37.8 drops the comparison: SELECT `id`, `a`, `b` FROM `tasks` AS `task` WHERE `b`;
      -- -> [] (likewise Sequelize.col('task.b'): WHERE `task`.`b`); here `task`.`a` = `task`.`b`
      local cdb, clog = support.open()
      local T = cdb:define("task", { a = Sequelize.DataTypes.STRING, b = Sequelize.DataTypes.STRING }, { timestamps = false })
      cdb:sync()
      T:bulkCreate({ { a = "x", b = "x" }, { a = "x", b = "y" } })
      assert.are.equal('[{"id":1,"a":"x","b":"x"}]', Sequelize.stringify(T:findAll({ where = { a = Sequelize.col("b") } })))
      assert.are.equal("SELECT `id`, `a`, `b` FROM `tasks` AS `task` WHERE `task`.`a` = `task`.`b`;",
        support.sql_of(clog[#clog]))
      assert.are.equal(1, #T:findAll({ where = { a = Sequelize.col("task.b") } }))
      cdb:close()
    end)

    it("Sequelize.literal as the whole where and inside and_", function()
      assert.are.same({ 2 }, ids(Sequelize.literal("qty * 2 = 20")))
      assert.are.same({ 1, 2 }, ids({ [Op.and_] = { Sequelize.literal("qty > 4"), { tag = "fruit" } } }))
    end)

    it("a literal holding OR keeps its grouping beside other terms", function()
      -- Sequelize 6.37.8: WHERE (qty < 2 OR qty > 9) AND `Item`.`tag` = 'fruit' -> [2]; and
      -- DELETE FROM `Items` WHERE (qty < 2 OR qty > 9) AND `tag` = 'fruit' (1 row)
      local w = { [Op.and_] = { Sequelize.literal("qty < 2 OR qty > 9") }, tag = "fruit" }
      assert.are.same({ 2 }, ids(w))
      assert.truthy(support.sql_of(log[#log]):find("(qty < 2 OR qty > 9)", 1, true), log[#log])
      -- in a list beside a condition (Sequelize writes (qty < 2 OR qty > 9 AND tag = 'fruit')
      -- there, which reads as qty < 2 OR (...): [2, 3, 7]; the literal's own OR is meant)
      assert.are.same({ 2 }, ids({ [Op.and_] = { Sequelize.literal("qty < 2 OR qty > 9"), { tag = "fruit" } } }))
      -- (Sequelize: ((qty < 2 OR qty > 9) OR `Item`.`name` = 'nothing') AND `Item`.`price` >= '0.25' -> [2, 3, 6])
      assert.are.same({ 2, 3, 6 }, ids({ [Op.or_] = { { [Op.and_] = { Sequelize.literal("qty < 2 OR qty > 9") } },
                                                      { name = "nothing" } }, price = { [Op.gte] = 0.25 } }))
      assert.are.equal(1, Item:destroy{ where = w })
      assert.are.equal(8, Item:count())
    end)
    it("Op.in_ / Op.notIn with a literal subquery: its own parentheses are the list", function()
      -- Sequelize: `id` IN (SELECT ...) (the literal's text as it is); a second pair of
      -- parentheses would make the subquery one scalar value (its first row only)
      local sub = Sequelize.literal("(SELECT id FROM Items WHERE tag = 'veg')")
      assert.are.same({ 5, 8 }, ids({ id = { [Op.in_] = sub } }))
      assert.truthy(support.sql_of(log[#log]):find("`id` IN (SELECT id FROM Items WHERE tag = 'veg')", 1, true),
                    log[#log])
      assert.are.same({ 1, 2, 3, 4, 6, 7, 9 }, ids({ id = { [Op.notIn] = sub } }))
      assert.truthy(support.sql_of(log[#log]):find("`id` NOT IN (SELECT id FROM Items WHERE tag = 'veg')", 1, true),
                    log[#log])
      -- without parentheses it gets them; in a list a literal is one value
      assert.are.same({ 3, 6 }, ids({ id = { [Op.in_] = Sequelize.literal("3, 6") } }))
      assert.are.same({ 2, 3 }, ids({ id = { [Op.in_] = { Sequelize.literal("(1 + 1)"), 3 } } }))
    end)
  end)

  describe("values are bound, never spliced", function()
    it("a hostile string matches verbatim", function()
      assert.are.same({ 7 }, ids({ name = HOSTILE }))
      assert.are.same({}, ids({ name = "' OR '1'='1" }))
      assert.are.same({ 7 }, ids({ name = { "nope", HOSTILE } }))
      assert.are.same({ 7 }, ids({ name = { [Op.like] = "%' OR 1=1 --" } }))
      assert.are.same({ 7 }, ids({ name = { [Op.startsWith] = "x' OR" } }))
      assert.are.same({ 7 }, ids(Sequelize.where(Sequelize.fn("lower", Sequelize.col("name")), "x' or 1=1 --")))
      for _, sql in ipairs(support.statements(log, "SELECT")) do
        assert.is_false(support.contains(sql, "1=1"), sql)
        assert.is_false(support.contains(sql, "'1'='1"), sql)
      end
    end)

    it("a hostile string in update and destroy touches only the matching row", function()
      assert.are.equal(1, Item:update({ qty = 100 }, { where = { name = HOSTILE } }))
      assert.are.equal(1, Item:count{ where = { qty = 100 } })
      assert.are.equal(0, Item:destroy{ where = { name = "' OR '1'='1" } })
      assert.are.equal(9, Item:count())
    end)
  end)

  describe("errors", function()
    it("an operator sequelua lacks, and writing to Op, raise error objects naming it", function()
      for _, name in ipairs({ "iLike", "regexp", "overlap" }) do
        local ok, err = pcall(function() return Op[name] end)
        assert.is_false(ok)
        assert.are.equal("table", type(err))
        assert.are.equal("Op." .. name .. " is not a supported operator", err.message)
      end
      local ok, err = pcall(function() Op.mine = 1 end)
      assert.is_false(ok)
      assert.are.equal("Op is read-only", err.message)
    end)

    it("Op keys are not strings", function()
      assert.are_not.equal("string", type(Op.gt))
      assert.are_not.equal("gt", Op.gt)
      assert.are_not.equal("$gt", Op.gt)
      assert.are.equal(Op.or_, Op["or"])
      assert.are.equal(Op.and_, Op["and"])
      assert.are.equal(Op.not_, Op["not"])
      assert.are.equal(Op.in_, Op["in"])
    end)

    it("an unknown attribute raises, naming the model and the attribute", function()
      local err = support.catch_message(function() Item:findAll{ where = { nope = 1 } } end)
      -- Sequelize: SequelizeDatabaseError "SQLITE_ERROR: no such column: Item.nope"
      assert.is_true(support.contains(err.message, "Item"), err.message)
      assert.is_true(support.contains(err.message, "nope"), err.message)
      err = support.catch_message(function() Item:findAll{ where = { [Op.or_] = { { qty = 1 }, { nope = 2 } } } } end)
      assert.is_true(support.contains(err.message, "nope"), err.message)
      err = support.catch_message(function() Item:destroy{ where = { nope = 1 } } end)
      assert.is_true(support.contains(err.message, "nope"), err.message)
      assert.are.equal(9, Item:count())
    end)

    it("an attribute name carrying SQL raises instead of running it", function()
      local err = support.catch_message(function() Item:destroy{ where = { ["name = name OR 1"] = 1 } } end)
      assert.is_true(support.contains(err.message, "name = name OR 1"), err.message)
      assert.are.equal(9, Item:count())
    end)

    it("string keys inside an attribute's table are not operators", function()
      local err = support.catch_message(function() Item:findAll{ where = { qty = { ["$gt"] = 5 } } } end)
      assert.is_true(support.contains(err.message, "$gt"), err.message)
      err = support.catch_message(function() Item:findAll{ where = { qty = { gt = 5 } } } end)
      assert.is_true(support.contains(err.message, "gt"), err.message)
      err = support.catch_message(function() Item:destroy{ where = { qty = { ["$gte"] = 0 } } } end)
      assert.is_true(support.contains(err.message, "$gte"), err.message)
      err = support.catch_message(function() Item:update({ qty = 0 }, { where = { qty = { ne = 0 } } }) end)
      assert.is_true(support.contains(err.message, "ne"), err.message)
      assert.are.equal(9, Item:count())
      assert.are.equal(1, Item:count{ where = { qty = 0 } })
    end)

    it("a string key at the top level that is not an attribute raises", function()
      local err = support.catch_message(function() Item:destroy{ where = { ["$or"] = { { qty = 1 }, { qty = 2 } } } } end)
      assert.is_true(support.contains(err.message, "$or"), err.message)
      assert.are.equal(9, Item:count())
    end)

    it("an unknown name with a NUL byte is shown whole (\\0), a long one cut at 200 bytes", function()
      local err = support.catch_message(function() Item:findAll{ where = { ["qt\0y"] = 1 } } end)
      assert.are.equal("Unknown attribute 'qt\\0y' in where of model Item", err.message)
      err = support.catch_message(function() Item:findAll{ attributes = { "a\0b" } } end)
      assert.are.equal("Unknown attribute 'a\\0b' in attributes of model Item", err.message)
      err = support.catch_message(function() Item:findAll{ where = { [("x"):rep(300)] = 1 } } end)
      assert.are.equal("Unknown attribute '" .. ("x"):rep(200) .. "...' in where of model Item", err.message)
    end)

    it("values of the wrong Lua type raise, naming the attribute", function()
      local err = support.catch_message(function() Item:findAll{ where = { qty = function() return 1 end } } end)
      assert.is_true(support.contains(err.message, "qty"), err.message)
      err = support.catch_message(function() Item:findAll{ where = { qty = io.stdout } } end)
      assert.is_true(support.contains(err.message, "qty"), err.message)
      err = support.catch_message(function() Item:destroy{ where = { qty = coroutine.create(function() end) } } end)
      assert.is_true(support.contains(err.message, "qty"), err.message)
      err = support.catch_message(function() Item:destroy{ where = { qty = { [Op.gt] = print } } } end)
      assert.is_true(support.contains(err.message, "qty"), err.message)
      assert.are.equal(9, Item:count())
    end)
  end)
end)

describe("an instance as a where value", function()
  it("is refused, naming the attribute, and nothing is written (its values would read as a list)", function()
    local db = Sequelize.new("sqlite::memory:")
    local DataTypes = Sequelize.DataTypes
    local Team = db:define("Team", { rank = DataTypes.INTEGER }, { timestamps = false })
    local Player = db:define("Player", { num = DataTypes.INTEGER }, { timestamps = false })
    Player:belongsTo(Team); Team:hasMany(Player)
    db:sync()
    Team:bulkCreate({ { rank = 3 }, { rank = 1 }, { rank = 2 } })
    Player:bulkCreate({ { num = 1, TeamId = 1 }, { num = 2, TeamId = 2 }, { num = 3, TeamId = 3 } })
    local t2 = Team:findByPk(2) -- (its values 2, 1 read as a list matched teams 1 and 2)
    for _, call in ipairs({
      function() Player:findAll({ where = { TeamId = t2 } }) end,
      function() Player:destroy({ where = { TeamId = t2 } }) end,
      function() Player:update({ num = 9 }, { where = { TeamId = { [Op.between] = t2 } } }) end,
      function() Player:count({ where = { TeamId = { [Op["in"]] = t2 } } }) end,
    }) do
      local err = support.catch(call)
      assert.truthy(err.message:find("Invalid where on Player.TeamId: got a Team instance", 1, true), err.message)
    end
    local err = support.catch(function() Player:destroy({ where = t2 }) end)
    assert.truthy(err.message:find("Invalid where on Player: got a Team instance", 1, true), err.message)
    assert.are.equal(3, Player:count({ where = { num = { [Op.lt] = 9 } } }))
    assert.are.equal(1, #Player:findAll({ where = { TeamId = t2.id } }))
    db:close()
  end)
end)

describe("Op.or / Op.and on an attribute", function()
  it("reads a list inside the list as IN (Sequelize: (age IN (25, 40) OR age = 30))", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { age = Sequelize.DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { age = 25 }, { age = 40 }, { age = 30 }, { age = 50 }, { age = 30 } })
    local function ids(where)
      local out = {}
      for i, r in ipairs(U:findAll({ where = where, order = { { "id" } } })) do out[i] = r.id end
      return out
    end
    assert.are.same({ 1, 2, 3, 5 }, ids({ age = { [Op.or_] = { { 25, 40 }, 30 } } }))
    assert.are.same({ 2, 3, 5 }, ids({ age = { [Op["and"]] = { { 25, 40, 30 }, { [Op.gt] = 26 } } } }))
    db:close()
  end)
end)

describe("Op.eq / Op.ne with a table on a JSON attribute", function()
  it("compares the stored JSON text (Sequelize: `meta` = '{\"a\":5}')", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { meta = Sequelize.DataTypes.JSON }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { meta = { a = 5 } }, { meta = { a = 6 } } })
    assert.are.equal(1, #U:findAll({ where = { meta = { [Op.eq] = { a = 5 } } } }))
    assert.are.equal(1, #U:findAll({ where = { meta = { [Op.ne] = { a = 5 } } } }))
    assert.has_error(function() U:findAll({ where = { meta = { [Op.gt] = { a = 5 } } } }) end)
    db:close()
  end)
end)

describe("a Sequelize.where value under an attribute's key", function()
  it("is the whole condition, the key ignored (Sequelize: WHERE lower(`email`) = 'ann@x.com', 1 row)", function()
    local db, log = support.open()
    local U = db:define("User", { email = Sequelize.DataTypes.STRING }, { timestamps = false })
    db:sync()
    U:bulkCreate({ { email = "Ann@X.com" }, { email = "bob@x.com" } })
    local w = { email = Sequelize.where(Sequelize.fn("lower", Sequelize.col("email")), "ann@x.com") }
    assert.same({ 1 }, support.field(U:findAll{ where = w }, "id"))
    assert.truthy(support.sql_of(log[#log]):find("WHERE lower(`User`.`email`) = ?", 1, true))
    assert.equal(1, U:update({ email = "z" }, { where = w }))
    assert.same({ "z", "bob@x.com" }, support.field(U:findAll{ order = { { "id" } } }, "email"))
  end)

  it("in an attribute's Op.or / Op.and list is its own condition too", function()
    -- Sequelize 6.37.8 on the nine rows of the where spec:
    --   { name: { [Op.or]: [where(fn('length', col('name')), 3), 'apple'] } }
    --     -> WHERE (length(`name`) = 3 OR `Item`.`name` = 'apple'): [1, 6]
    --   { name: { [Op.and]: [where(fn('length', col('name')), { [Op.gt]: 5 }), { [Op.like]: 'egg%' }] } } -> [5, 8]
    --   destroy with the first: DELETE FROM `Items` WHERE (length(`name`) = 3 OR `name` = 'apple') -> 2
    local db = support.open()
    local Item = support.define_item(db)
    db:sync()
    Item:bulkCreate({ { name = "apple" }, { name = "banana" }, { name = "carrot" }, { name = "date%" },
                      { name = "egg_plant" }, { name = "Fig" }, { name = "x' OR 1=1 --" }, { name = "eggXplant" },
                      { name = "dateX" } })
    local len = Sequelize.fn("length", Sequelize.col("name"))
    local function ids(where) return support.field(Item:findAll{ where = where, order = { { "id" } } }, "id") end
    local w = { name = { [Op.or_] = { Sequelize.where(len, 3), "apple" } } }
    assert.same({ 1, 6 }, ids(w))
    assert.same({ 5, 8 }, ids({ name = { [Op.and_] = { Sequelize.where(len, { [Op.gt] = 5 }), { [Op.like] = "egg%" } } } }))
    assert.equal(2, Item:count{ where = w })
    assert.equal(2, Item:destroy{ where = w })
    assert.equal(7, Item:count())
    db:close()
  end)
end)

describe("an IN list longer than SQLite binds in one statement", function()
  -- Sequelize 6.37.8 writes the values into the SQL text, so any length works: over 300k rows,
  -- findAll IN of 300k ints / strings 300000 rows, NOT IN 0, destroy 10 rows, a separate
  -- include 10 parents with children. Binding each as a `?` failed past Debian's 250000
  -- (SQLite's own build: 32766) with "too many SQL variables".
  it("works: a long list of integers, texts and NULLs is bound as one JSON array", function()
    local db, log = support.open()
    local U = db:define("U", { n = Sequelize.DataTypes.INTEGER, s = Sequelize.DataTypes.STRING }, { timestamps = false })
    local P = db:define("P", { v = Sequelize.DataTypes.STRING }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    local N = 300000
    db:query(("WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < %d) "
      .. "INSERT INTO Us (n, s) SELECT i, 's' || i FROM c"):format(N - 1))
    P:bulkCreate({ { v = "a", UId = 1 }, { v = "b", UId = N } })
    local ints, strs = {}, {}
    for i = 1, N do ints[i], strs[i] = i - 1, "s" .. (i - 1) end
    assert.are.equal(N, U:count({ where = { n = ints } }))
    assert.are.equal(0, U:count({ where = { n = { [Op.notIn] = ints } } }))
    assert.are.equal(N, U:count({ where = { s = strs } }))
    -- (a separate include reads its children with such a list of its parents' keys)
    local parents = U:findAll({ where = { n = { [Op.notIn] = { 5, 6 } } }, attributes = { "id" }, limit = N - 2, raw = true })
    assert.are.equal(2, P:count({ where = { UId = support.field(parents, "id") } }))
    -- the same rows as with one value each; a NULL and a number given for a text column
    -- compare as they do bound one by one
    db:query("UPDATE Us SET s = '9' WHERE id = 10")
    local few = { "s7", Sequelize.null, 9 }
    for i = 4, 1500 do few[i] = "none" .. i end
    support.clear(log)
    assert.are.same({ 8, 10 }, support.field(U:findAll({ where = { s = few }, order = { { "id", "ASC" } } }), "id"))
    local sql = support.sql_of(log[#log])
    assert.truthy(sql:find("IN (SELECT value FROM json_each(?))", 1, true), sql)
    -- a float keeps one value each (its JSON digits might not read back as the same double)
    local floats = {}
    for i = 1, 1500 do floats[i] = i + 0.5 end
    floats[1] = 7
    assert.are.same({ 8 }, support.field(U:findAll({ where = { n = floats } }), "id"))
    assert.are.equal(1500, select(2, support.sql_of(log[#log]):gsub("%?", "")))
    assert.are.equal(N - 1, U:destroy({ where = { id = { [Op.notIn] = { 1 } }, n = ints } }))
    assert.are.same({ 1 }, support.field(U:findAll({ where = { n = ints } }), "id"))
    db:close()
  end)
end)
