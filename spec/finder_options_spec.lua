-- Finder options: attributes, order, limit, offset, group, having, raw, transaction, logging.
-- Expectations were checked against sequelize 6.37.8 + sqlite3 on the same six rows.
local Sequelize = require("sequelua")
local support = require("spec.support")
local Op, DataTypes = Sequelize.Op, Sequelize.DataTypes

-- the ids of rows, in row order
local function ids(rows) return support.field(rows, "id") end

describe("finder options", function()
  local db, Item

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Item = support.define_item(db)
    db:sync()
    local N = Sequelize.null
    Item:bulkCreate({
      { name = "apple",  qty = 5,  price = 1.5,  tag = "fruit" }, -- 1
      { name = "banana", qty = 10, price = 0.25, tag = "fruit" }, -- 2
      { name = "carrot", qty = 0,  price = 2.0,  tag = N },       -- 3
      { name = "date",   qty = 7,  price = 3.5,  tag = "dry" },   -- 4
      { name = "egg",    qty = 3,  price = N,    tag = "veg" },   -- 5
      { name = "fig",    qty = 12, price = 4.0,  tag = N },       -- 6
    })
  end)

  after_each(function()
    db:close()
  end)

  local function order_ids(order)
    return ids(Item:findAll{ attributes = { "id" }, order = order })
  end

  describe("attributes", function()
    it("a list selects only those columns", function()
      local rows = Item:findAll{ attributes = { "name", "qty" }, where = { id = 1 } }
      assert.are.equal(1, #rows)
      assert.are.equal("apple", rows[1].name)
      assert.are.equal(5, rows[1].qty)
      assert.is_nil(rows[1].id)
      assert.is_nil(rows[1].price)
      assert.are.same({ name = "apple", qty = 5 }, rows[1]:toJSON())
    end)

    it("{ exclude = {...} } selects every other column", function()
      local r = Item:findOne{ attributes = { exclude = { "price", "tag" } }, where = { id = 1 } }
      assert.are.same({ id = 1, name = "apple", qty = 5 }, r:toJSON())
    end)

    it("{ include = {...} } adds computed columns to all the others", function()
      local r = Item:findOne{
        attributes = { include = { { Sequelize.fn("COUNT", Sequelize.col("id")), "n" } } },
        where = { id = 1 },
      }
      assert.are.same({ id = 1, name = "apple", qty = 5, price = 1.5, tag = "fruit", n = 1 }, r:toJSON())
      assert.are.equal(1, r:get("n"))
      r = Item:findOne{ attributes = { include = { { Sequelize.literal("qty * 2"), "dbl" } } }, where = { id = 2 } }
      assert.are.equal(20, r:get("dbl"))
      assert.are.equal("banana", r.name)
    end)

    it('{ "col", "alias" } renames', function()
      local r = Item:findOne{ attributes = { "id", { "name", "title" } }, where = { id = 1 } }
      assert.are.equal("apple", r:get("title"))
      assert.is_nil(r.name)
      assert.are.same({ id = 1, title = "apple" }, r:toJSON())
    end)

    it("an aggregate with an alias", function()
      local rows = Item:findAll{ attributes = { { Sequelize.fn("COUNT", Sequelize.col("id")), "n" } } }
      assert.are.equal(1, #rows)
      assert.are.equal(6, rows[1]:get("n"))
      local raw = Item:findAll{ attributes = { { Sequelize.fn("COUNT", Sequelize.col("id")), "n" } }, raw = true }
      assert.are.same({ { n = 6 } }, raw)
      local s = Item:findOne{ attributes = { { Sequelize.fn("SUM", Sequelize.col("qty")), "total" } },
                              where = { tag = "fruit" } }
      assert.are.equal(15, s:get("total"))
    end)

    it("an fn or literal without an alias is read under its SQL text (Sequelize's key)", function()
      -- Sequelize: [{"count(`id`)":6}], [{"max(qty)":12}]
      assert.are.same({ { ["count(`id`)"] = 6 } },
        Item:findAll{ attributes = { Sequelize.fn("count", Sequelize.col("id")) }, raw = true })
      assert.are.same({ { ["max(qty)"] = 12 } }, Item:findAll{ attributes = { Sequelize.literal("max(qty)") }, raw = true })
      assert.are.equal("APPLE", Item:findAll{ attributes = { "id", Sequelize.fn("upper", Sequelize.col("name")) },
                                             order = { "id" } }[1]:get("upper(`name`)"))
    end)

    it("an fn holding values is read under Sequelize's text of it, the values still bound", function()
      -- Sequelize 6.37.8: [{"substr(`name`, 1, 2)":"ap"},{"substr(`name`, 1, 2)":"ba"}] (it inlines
      -- the values); a count grouped by fn("coalesce", col("tag"), "none"):
      -- [{"coalesce(`tag`, 'none')":"dry","count":1},{...:"fruit","count":2},{...:"none","count":2},{...:"veg","count":1}]
      local rows = Item:findAll{ attributes = { Sequelize.fn("substr", Sequelize.col("name"), 1, 2) },
                                 where = { id = { 1, 2 } }, order = { "id" }, raw = true }
      assert.are.same({ { ["substr(`name`, 1, 2)"] = "ap" }, { ["substr(`name`, 1, 2)"] = "ba" } }, rows)
      local key = "coalesce(`tag`, 'none')"
      rows = Item:count{ group = { Sequelize.fn("coalesce", Sequelize.col("tag"), "none") } }
      assert.are.same({ "dry", "fruit", "none", "veg" }, support.field(rows, key))
      assert.are.same({ 1, 2, 2, 1 }, support.field(rows, "count"))
    end)

    it("a literal that yields several columns: each read under its column name (a model's attribute fills it)", function()
      -- Sequelize 6.37.8: [{"id":1,"name":"apple",...}] for literal("*") raw; [{"name":"apple","qty":5}] for
      -- literal("name, qty"); an instance holds the values of the columns naming attributes (item.name "apple")
      local rows = Item:findAll{ attributes = { Sequelize.literal("*") }, where = { id = 1 }, raw = true }
      assert.are.same({ { id = 1, name = "apple", qty = 5, price = 1.5, tag = "fruit" } }, rows)
      rows = Item:findAll{ attributes = { Sequelize.literal("name, qty") }, where = { id = 1 }, raw = true }
      assert.are.same({ { name = "apple", qty = 5 } }, rows)
      rows = Item:findAll{ attributes = { Sequelize.literal("name, qty"), { "tag", "t" } }, where = { id = 1 }, raw = true }
      assert.are.same({ { name = "apple", qty = 5, t = "fruit" } }, rows)
      local r = Item:findOne{ attributes = { Sequelize.literal("*") }, where = { id = 1 } }
      assert.are.equal("apple", r.name)
      assert.are.equal(5, r.qty)
      assert.are.equal(1, r.id)
    end)

    it("an unknown column raises, naming it", function()
      local err = support.catch_message(function() Item:findAll{ attributes = { "id", "nope" } } end)
      -- Sequelize: SequelizeDatabaseError "SQLITE_ERROR: no such column: nope"
      assert.is_true(support.contains(err.message, "nope"), err.message)
      err = support.catch_message(function() Item:findAll{ attributes = { "id", { "nope", "x" } } } end)
      assert.is_true(support.contains(err.message, "nope"), err.message)
    end)
  end)

  describe("order", function()
    it("one key, DESC", function()
      assert.are.same({ 6, 5, 4, 3, 2, 1 }, order_ids({ { "name", "DESC" } }))
      assert.are.same({ 3, 5, 1, 4, 2, 6 }, order_ids({ { "qty", "ASC" } }))
    end)

    it("several keys (NULL sorts first ascending on SQLite)", function()
      assert.are.same({ 6, 3, 4, 2, 1, 5 }, order_ids({ { "tag", "ASC" }, { "qty", "DESC" } }))
    end)

    it("a bare column name, and a one-element pair, sort ascending", function()
      assert.are.same({ 3, 5, 1, 4, 2, 6 }, order_ids({ "qty" }))
      assert.are.same({ 3, 5, 1, 4, 2, 6 }, order_ids({ { "qty" } }))
    end)

    it("accepts every direction Sequelize accepts on sqlite, in any case", function()
      assert.are.same({ 6, 2, 4, 1, 5, 3 }, order_ids({ { "qty", "desc" } }))
      assert.are.same({ 6, 4, 3, 1, 2, 5 }, order_ids({ { "price", "Desc" } }))
      assert.are.same({ 5, 2, 1, 3, 4, 6 }, order_ids({ { "price", "ASC NULLS FIRST" } }))
      assert.are.same({ 5, 2, 1, 3, 4, 6 }, order_ids({ { "price", "asc nulls first" } }))
      assert.are.same({ 2, 1, 3, 4, 6, 5 }, order_ids({ { "price", "ASC NULLS LAST" } }))
      assert.are.same({ 5, 6, 4, 3, 1, 2 }, order_ids({ { "price", "DESC NULLS FIRST" } }))
      assert.are.same({ 6, 4, 3, 1, 2, 5 }, order_ids({ { "price", "DESC NULLS LAST" } }))
      assert.are.same({ 5, 2, 1, 3, 4, 6 }, order_ids({ { "price", "NULLS FIRST" } }))
      assert.are.same({ 2, 1, 3, 4, 6, 5 }, order_ids({ { "price", "NULLS LAST" } }))
    end)

    it("by fn, col and literal", function()
      assert.are.same({ 2, 3, 1, 4, 5, 6 },
        order_ids({ { Sequelize.fn("length", Sequelize.col("name")), "DESC" }, { "id", "ASC" } }))
      assert.are.same({ 6, 2, 4, 1, 5, 3 }, order_ids({ { Sequelize.col("qty"), "DESC" } }))
      assert.are.same({ 3, 6, 1, 2, 4, 5 }, order_ids(Sequelize.literal("qty % 4, id")))
    end)

    it("by a condition, and a condition as an fn argument (Sequelize.where: `qty` > 6)", function()
      -- Sequelize: ORDER BY `qty` > 6 DESC, `id`; sum(`qty` > 6)
      assert.are.same({ 2, 4, 6, 1, 3, 5 },
        order_ids({ { Sequelize.where(Sequelize.col("qty"), Op.gt, 6), "DESC" }, { "id", "ASC" } }))
      local rows = Item:findAll{ attributes = { { Sequelize.fn("sum", Sequelize.where(Sequelize.col("qty"), Op.gt, 6)), "n" } },
                                 raw = true }
      assert.are.same({ { n = 3 } }, rows)
    end)

    it("by a selected alias", function()
      local rows = Item:findAll{ attributes = { "id", { "name", "title" } }, order = { { "title", "DESC" } } }
      assert.are.same({ 6, 5, 4, 3, 2, 1 }, ids(rows))
    end)

    it("a bad direction raises and runs nothing", function()
      local err = support.catch_message(function() order_ids({ { "qty", "DESC; DROP TABLE Items" } }) end)
      -- Sequelize: SequelizeDatabaseError "no such column: Item.qty`DESC; DROP TABLE Items"
      assert.is_true(support.contains(err.message, "DESC; DROP TABLE Items"), err.message)
      err = support.catch_message(function() order_ids({ { "qty", "DOWN" } }) end)
      assert.is_true(support.contains(err.message, "DOWN"), err.message)
      err = support.catch_message(function() order_ids({ { "qty", "ASC, id" } }) end)
      assert.is_true(support.contains(err.message, "ASC, id"), err.message)
      assert.are.equal(6, Item:count())
    end)

    it("an unknown column raises, naming it", function()
      local err = support.catch_message(function() order_ids({ { "nope", "DESC" } }) end)
      -- Sequelize: "SQLITE_ERROR: no such column: Item.nope"
      assert.is_true(support.contains(err.message, "nope"), err.message)
    end)
  end)

  describe("replacements (a literal's parameters)", function()
    local lit = Sequelize.literal
    it("bind the ? and :name in literals of where, attributes and order, on every finder (Sequelize)", function()
      assert.are.same({ 2 }, ids(Item:findAll({ where = lit("name = :n"), replacements = { n = "banana" } })))
      assert.are.same({ 2, 6 }, ids(Item:findAll({ where = lit("qty > ?"), replacements = { 9 } })))
      -- a list is written as its items (IN), and a value is never part of the text
      local log = {}
      local rows = Item:findAll({ where = { [Op.and_] = { lit("name IN (:names)"), { qty = { [Op.gt] = 4 } } } },
                                  attributes = { "id", { lit(":x"), "x" } }, order = { { lit("qty * :k"), "DESC" } },
                                  replacements = { names = { "apple", "fig", "x' OR 1=1 --" }, x = "hi", k = 1 },
                                  logging = function(sql) log[#log + 1] = sql end })
      assert.are.same({ 6, 1 }, ids(rows))
      assert.are.equal("hi", rows[1].x)
      assert.truthy(log[1]:find("name IN (?, ?, ?)", 1, true), log[1])
      assert.falsy(log[1]:find("apple", 1, true))
      assert.are.equal(1, Item:count({ where = lit("tag = :t"), replacements = { t = "dry" } }))
      -- (Sequelize's "optional filter" idiom: a null replacement)
      assert.are.equal(6, Item:count({ where = lit("(:t IS NULL OR tag = :t)"), replacements = { t = Sequelize.null } }))
      assert.are.equal(1, Item:destroy({ where = lit("(:t IS NULL OR tag = :t)"), replacements = { t = "dry" } }))
      assert.are.equal(5, Item:count())
      -- the bound text outlives its replacement (a logger that drops it, then a collection)
      local rep = { n = ("ban" .. "ana") }
      local o = { where = lit("name = :n"), replacements = rep }
      o.logging = function() rep.n = nil; collectgarbage(); collectgarbage() end
      assert.are.same({ 2 }, ids(Item:findAll(o)))
      Item:update({ qty = 99 }, { where = lit("name = ?"), replacements = { "egg" } })
      assert.are.equal(99, Item:findByPk(5).qty)
    end)

    it("$1, $name and @name take options.bind, ? and :name options.replacements (Sequelize)", function()
      assert.are.same({ 2 }, ids(Item:findAll({ where = lit("name = $1"), bind = { "banana" } })))
      assert.are.same({ 2 }, ids(Item:findAll({ where = lit("name = $n"), bind = { n = "banana" } })))
      assert.are.same({ 6 }, ids(Item:findAll({ where = lit("name = @n AND qty > ?"), bind = { n = "fig" },
                                                replacements = { 3 } })))
      assert.are.equal(12, Item:max("qty", { where = lit("qty > $1"), bind = { 6 } }))
      local r = Item:findAndCountAll({ where = lit("qty > $1"), bind = { 6 }, limit = 1 })
      assert.are.same({ 3, 1 }, { r.count, #r.rows })
      -- Sequelize leaves $1 unbound with replacements only (no row); here it is refused
      local err = support.catch_message(function() Item:findAll({ where = lit("name = $1"), replacements = { "x" } }) end)
      assert.truthy(err.message:find("its parameter $1 needs `bind`", 1, true), err.message)
      err = support.catch_message(function() Item:findAll({ where = lit("name = $zz"), bind = { n = 1 } }) end)
      assert.truthy(err.message:find('"$zz" has no value', 1, true), err.message)
    end)

    it("reach findAndCountAll's count, a grouped count, the aggregates and separate includes", function()
      local w = lit("qty > :q")
      local r = Item:findAndCountAll({ where = w, replacements = { q = 6 }, limit = 1 })
      assert.are.same({ 3, 1 }, { r.count, #r.rows })
      assert.are.same({ { tag = "dry", count = 1 }, { tag = "fruit", count = 1 } },
        Item:count({ where = { w, { tag = { [Op.ne] = Sequelize.null } } }, group = "tag", replacements = { q = 6 } }))
      assert.are.equal(12, Item:max("qty", { where = w, replacements = { q = 6 } }))
      assert.are.equal(29, Item:sum("qty", { where = w, replacements = { q = 6 } }))
      assert.are.equal(3, Item:aggregate("id", "count", { where = w, replacements = { q = 6 } }))
      local Part = db:define("Part", { label = DataTypes.STRING }, { timestamps = false })
      Item:hasMany(Part)
      db:sync()
      Part:bulkCreate({ { label = "a", ItemId = 1 }, { label = "b", ItemId = 1 }, { label = "c", ItemId = 2 } })
      local items = Item:findAll({ where = { id = { [Op.lte] = 2 } }, order = { "id" }, replacements = { l = "b" },
        include = { { model = Part, separate = true, where = lit("label <> :l") } } })
      assert.are.same({ { "a" }, { "c" } }, { support.field(items[1].Parts, "label"), support.field(items[2].Parts, "label") })
    end)

    it("a literal's parameter without replacements raises, and runs nothing (it would take another value)", function()
      -- Sequelize sends it unbound (NULL); here SQLite would give it the builder's next value
      local err = support.catch_message(function()
        Item:destroy({ where = { [Op.or_] = { lit("name = ?"), { qty = 5 } } } })
      end)
      assert.truthy(err.message:find('Sequelize.literal("name = ?"): its parameter ? needs `replacements`', 1, true),
        err.message)
      assert.are.equal(6, Item:count())
      err = support.catch_message(function() Item:findAll({ where = lit("name = :n"), replacements = { m = 1 } }) end)
      assert.truthy(err.message:find('Named replacement ":n" has no entry in the replacement map.', 1, true), err.message)
      err = support.catch_message(function() Item:findAll({ where = lit("name = ?"), replacements = "x" }) end)
      assert.truthy(err.message:find('"replacements" must be a table', 1, true), err.message)
      -- strings, quoted names and comments are not parameters
      assert.are.same({ 1 }, ids(Item:findAll({ where = lit("name = 'apple' /* ? */ AND ':x' <> \"qty\"") })))
    end)
  end)

  describe("limit and offset", function()
    local function page(opts)
      opts.attributes = { "id" }
      opts.order = { { "id", "ASC" } }
      return ids(Item:findAll(opts))
    end

    it("limit", function()
      assert.are.same({ 1, 2 }, page{ limit = 2 })
      assert.are.same({ 1, 2, 3, 4, 5, 6 }, page{ limit = 100 })
      assert.are.same({}, page{ limit = 0 })
    end)

    it("limit with offset", function()
      assert.are.same({ 4, 5 }, page{ limit = 2, offset = 3 })
      assert.are.same({}, page{ limit = 2, offset = 6 })
    end)

    it("offset alone", function()
      assert.are.same({ 5, 6 }, page{ offset = 4 })
    end)

    it("with where and order", function()
      local rows = Item:findAll{ where = { qty = { [Op.gt] = 2 } }, order = { { "qty", "DESC" } }, limit = 2, offset = 1 }
      assert.are.same({ 2, 4 }, ids(rows))
    end)
  end)

  describe("group and having", function()
    it("group with aggregate attributes", function()
      local rows = Item:findAll{
        attributes = { "tag",
          { Sequelize.fn("COUNT", Sequelize.col("id")), "n" },
          { Sequelize.fn("SUM", Sequelize.col("qty")), "total" } },
        group = { "tag" },
        order = { { "tag", "ASC" } },
      }
      assert.are.equal(4, #rows)
      assert.is_nil(rows[1].tag)
      assert.are.same({ 2, 12 }, { rows[1]:get("n"), rows[1]:get("total") })
      assert.are.same({ "dry", 1, 7 }, { rows[2].tag, rows[2]:get("n"), rows[2]:get("total") })
      assert.are.same({ "fruit", 2, 15 }, { rows[3].tag, rows[3]:get("n"), rows[3]:get("total") })
      assert.are.same({ "veg", 1, 3 }, { rows[4].tag, rows[4]:get("n"), rows[4]:get("total") })
    end)

    it("group as a string, raw", function()
      local rows = Item:findAll{
        attributes = { "tag", { Sequelize.fn("COUNT", Sequelize.col("id")), "n" } },
        group = "tag", order = { { "tag", "ASC" } }, raw = true,
      }
      assert.are.equal(4, #rows)
      assert.is_true(support.is_null(rows[1].tag))
      assert.are.equal(2, rows[1].n)
      assert.are.same({ "dry", 1 }, { rows[2].tag, rows[2].n })
      assert.are.same({ "fruit", 2 }, { rows[3].tag, rows[3].n })
      assert.are.same({ "veg", 1 }, { rows[4].tag, rows[4].n })
    end)

    it("order = db:random() orders by RANDOM() (Sequelize's sequelize.random())", function()
      local rows = Item:findAll{ order = db:random() }
      assert.are.equal(Item:count(), #rows)
      local rows2 = Item:findAll{ order = { db:random() }, limit = 2 }
      assert.are.equal(2, #rows2)
    end)

    it("order by an aggregate alias", function()
      local rows = Item:findAll{
        attributes = { "tag", { Sequelize.fn("SUM", Sequelize.col("qty")), "total" } },
        group = { "tag" }, order = { { "total", "DESC" } }, raw = true,
      }
      assert.are.equal(4, #rows)
      assert.are.same({ "fruit", 15 }, { rows[1].tag, rows[1].total })
      assert.is_true(support.is_null(rows[2].tag))
      assert.are.equal(12, rows[2].total)
      assert.are.same({ "dry", 7 }, { rows[3].tag, rows[3].total })
      assert.are.same({ "veg", 3 }, { rows[4].tag, rows[4].total })
    end)

    it("having with Sequelize.where", function()
      local rows = Item:findAll{
        attributes = { "tag", { Sequelize.fn("COUNT", Sequelize.col("id")), "n" } },
        group = { "tag" },
        having = Sequelize.where(Sequelize.fn("COUNT", Sequelize.col("id")), { [Op.gt] = 1 }),
        order = { { "tag", "ASC" } }, raw = true,
      }
      assert.are.equal(2, #rows)
      assert.is_true(support.is_null(rows[1].tag))
      assert.are.equal(2, rows[1].n)
      assert.are.same({ "fruit", 2 }, { rows[2].tag, rows[2].n })
    end)

    it("having on a selected alias", function()
      -- Sequelize: HAVING `total` >= 10
      local rows = Item:findAll{
        attributes = { "tag", { Sequelize.fn("SUM", Sequelize.col("qty")), "total" } },
        group = { "tag" },
        having = { total = { [Op.gte] = 10 } },
        order = { { "tag", "ASC" } }, raw = true,
      }
      assert.are.equal(2, #rows)
      assert.is_true(support.is_null(rows[1].tag))
      assert.are.equal(12, rows[1].total)
      assert.are.same({ "fruit", 15 }, { rows[2].tag, rows[2].total })
    end)
  end)

  describe("raw", function()
    it("returns plain tables without instance methods", function()
      local rows = Item:findAll{ where = { id = { 1, 3 } }, order = { { "id", "ASC" } }, raw = true }
      assert.are.equal(2, #rows)
      local r = rows[1]
      assert.are.equal("table", type(r))
      assert.is_nil(r.save)
      assert.is_nil(r.get)
      assert.is_nil(r.toJSON)
      assert.is_nil(r.isNewRecord)
      assert.are.same({ 1, "apple", 5, 1.5, "fruit" }, { r.id, r.name, r.qty, r.price, r.tag })
      assert.are.equal("carrot", rows[2].name)
      assert.is_true(support.is_null(rows[2].tag))
    end)

    it("findOne with raw", function()
      local r = Item:findOne{ where = { name = "fig" }, raw = true }
      assert.is_nil(r.save)
      assert.are.same({ 6, "fig", 12, 4 }, { r.id, r.name, r.qty, r.price })
      assert.is_nil(Item:findOne{ where = { name = "zz" }, raw = true })
    end)

    it("respects attributes", function()
      local rows = Item:findAll{ attributes = { "id", { "name", "title" } }, where = { id = 2 }, raw = true }
      assert.are.same({ { id = 2, title = "banana" } }, rows)
    end)

    it("with an include: each column read as its own model's attribute, no keys added for merging (Sequelize)", function()
      -- the included model has more attributes than the top one, of other types
      local Box = db:define("Box", { flag = DataTypes.BOOLEAN }, { timestamps = false })
      local Part = db:define("Part", { a = DataTypes.INTEGER, b = DataTypes.STRING, c = DataTypes.FLOAT,
                                       d = DataTypes.INTEGER, e = DataTypes.INTEGER }, { timestamps = false })
      Box:hasMany(Part)
      db:sync()
      Box:create({ flag = true })
      Part:create({ a = 5, b = "x", c = 0.5, e = 9, BoxId = 1 })
      local rows = Box:findAll{ include = { Part }, raw = true }
      assert.are.equal(1, #rows)
      local r = rows[1]
      assert.are.same({ 1, true, 1, 5, "x", 0.5, 9, 1 },
        { r.id, r.flag, r["Parts.id"], r["Parts.a"], r["Parts.b"], r["Parts.c"], r["Parts.e"], r["Parts.BoxId"] })
      rows = Box:findAll{ attributes = { "flag" }, include = { { model = Part, attributes = { "a" } } }, raw = true }
      assert.are.same({ { flag = true, ["Parts.a"] = 5 } }, rows)
      -- nest = true: dotted names become nested tables (Sequelize: dottie), a row per joined row
      Part:create({ a = 6, BoxId = 1 })
      rows = Box:findAll{ attributes = { "flag" }, include = { { model = Part, attributes = { "a" } } }, raw = true,
                          nest = true, order = { { Part, "a", "ASC" } } }
      assert.are.same({ { flag = true, Parts = { a = 5 } }, { flag = true, Parts = { a = 6 } } }, rows)
      Box:create({ flag = false })
      rows = Box:findAll{ attributes = { "id" }, include = { { model = Part, attributes = { "a" } } }, raw = true,
                          nest = true, where = { id = 2 } }
      assert.are.same({ { id = 2, Parts = { a = Sequelize.null } } }, rows)
    end)
  end)

  describe("transaction", function()
    it("finders and writers accept { transaction = t }", function()
      local t = db:transaction()
      Item:create({ name = "tx", qty = 1 }, { transaction = t })
      assert.are.equal(1, #Item:findAll{ where = { name = "tx" }, transaction = t })
      assert.are.equal("tx", Item:findOne{ where = { name = "tx" }, transaction = t }.name)
      assert.are.equal(1, Item:count{ where = { name = "tx" }, transaction = t })
      assert.are.equal(7, Item:findAndCountAll{ transaction = t }.count)
      t:rollback()
      assert.are.equal(0, Item:count{ where = { name = "tx" } })
      assert.are.equal(6, Item:count())
    end)

    it("update and destroy inside a managed transaction commit", function()
      db:transaction(function(t)
        Item:update({ qty = 99 }, { where = { id = 1 }, transaction = t })
        Item:destroy{ where = { id = 2 }, transaction = t }
        assert.are.equal(99, Item:findByPk(1, { transaction = t }).qty)
      end)
      assert.are.equal(99, Item:findByPk(1).qty)
      assert.is_nil(Item:findByPk(2))
      assert.are.equal(5, Item:count())
    end)
  end)

  describe("logging", function()
    it("a per-query logging function receives the statement", function()
      local seen = {}
      local rows = Item:findAll{ where = { id = 1 }, logging = function(msg) seen[#seen + 1] = msg end }
      assert.are.equal(1, #rows)
      assert.are.equal(1, #seen)
      local sql = seen[1]:match("^Executing %(.-%): (.*)$")
      assert.is_not_nil(sql, seen[1])
      assert.truthy(sql:upper():match("^SELECT"), sql)
    end)
  end)

  it("limit and offset as digit strings (a query string's), null for none", function()
    -- Sequelize: findAll({ limit: '2', offset: '1' }) -> LIMIT '1', '2'
    assert.are.same(ids(Item:findAll{ limit = 2, offset = 1, order = { "id" } }),
                    ids(Item:findAll{ limit = "2", offset = "1", order = { "id" } }))
    assert.are.equal(6, #Item:findAll{ limit = Sequelize.null })
    for _, bad in ipairs({ "2x", "-1", "", " 2" }) do
      local err = support.catch_message(function() Item:findAll{ limit = bad } end)
      assert.truthy(err.message:find("expected a non-negative integer", 1, true), err.message)
    end
  end)

  it("an option of the caller's own (a hook's context) is never compared with Sequelize.null", function()
    -- (LuaJIT: an FFI struct whose metatype's __eq reads its other operand's fields; compared
    -- with Sequelize.null, a light userdata, it raised "attempt to index local 'b'")
    local ctx, calls = nil, 0
    local function eq(a, b) calls = calls + 1; return a.id == b.id end
    if jit then
      local ffi = require("ffi")
      pcall(ffi.cdef, "typedef struct { int id; } sequelua_spec_reqctx;")
      ctx = ffi.metatype("sequelua_spec_reqctx", { __eq = eq })(1)
    else
      ctx = setmetatable({ id = 1 }, { __eq = eq })
    end
    assert.are.equal(1, #Item:findAll{ where = { id = 1 }, requestCtx = ctx })
    assert.are.equal(1, Item:count{ where = { id = 1 }, requestCtx = ctx, limit = Sequelize.null })
    assert.are.equal(0, calls)
  end)

  it("count with group and an include: the groups and the count only", function()
    -- Sequelize: [{"id":1,"count":2},{"id":2,"count":1}] (the include's columns left out)
    local Owner = db:define("Owner", { name = DataTypes.STRING }, { timestamps = false })
    Owner:hasMany(Item, { foreignKey = "ownerId", constraints = false })
    Owner:sync()
    Item:sync({ alter = true })
    Owner:bulkCreate({ { name = "a" }, { name = "b" } })
    Item:update({ ownerId = 1 }, { where = { id = { 1, 2 } } })
    Item:update({ ownerId = 2 }, { where = { id = 3 } })
    local rows = Owner:count({ include = { { model = Item } }, group = { "Owner.id" } })
    assert.are.same({ { id = 1, count = 2 }, { id = 2, count = 1 } }, rows)
  end)
end)


describe("column names where attributes are expected (Sequelize)", function()
  it("where keys, order, group, attributes, count's col and max take an attribute's column name", function()
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User", { firstName = DataTypes.STRING, age = DataTypes.INTEGER }, { underscored = true })
    db:sync()
    User:bulkCreate({ { firstName = "A", age = 1 }, { firstName = "B", age = 2 }, { firstName = "B", age = 3 } })
    assert.are.same({ 2, 3 }, ids(User:findAll({ where = { first_name = "B" }, order = { "id" } })))
    assert.are.same({ 3 }, ids(User:findAll({ where = { first_name = "B", firstName = "B", age = { [Op.gt] = 2 } } })))
    assert.are.same({ 3, 2, 1 }, ids(User:findAll({ order = { { "created_at", "DESC" }, { "id", "DESC" } } })))
    assert.are.same({ 1, 2 }, support.field(User:findAll({ attributes = { "first_name", { Sequelize.fn("count", "*"), "n" } },
                                                          group = { "first_name" }, order = { "first_name" }, raw = true }), "n"))
    assert.are.equal(2, User:count({ col = "first_name", distinct = true }))
    assert.are.equal("B", User:max("first_name"))
    -- selected by its column's name, the row holds it under that name (Sequelize 6.37.8:
    -- SELECT `first_name` ...; {"first_name":"A"}, firstName undefined)
    local r = User:findAll({ attributes = { "first_name" }, order = { "id" } })[1]
    assert.are.same({ "A", nil }, { r.first_name, r.firstName })
    assert.are.same({ first_name = "A" }, r:toJSON())
    -- order / group by that name beside a joined table with a column of the same name
    local P = db:define("P", { first_name = DataTypes.STRING }, { timestamps = false })
    User:hasMany(P)
    db:sync()
    local rows = User:findAll({ attributes = { "first_name", "id" }, include = P, order = { { "first_name" }, { "id" } } })
    assert.are.same({ "A", "B", "B" }, support.field(rows, "first_name"))
    rows = User:findAll({ attributes = { "first_name", { Sequelize.fn("count", Sequelize.col("User.id")), "n" } },
                          include = { { model = P, attributes = {} } }, group = { "first_name" }, order = { "first_name" },
                          raw = true })
    assert.are.same({ 1, 2 }, support.field(rows, "n"))
    -- a qualified name too (Sequelize: count(`User`.`age`), nulls not counted)
    User:create({ firstName = "C" })
    assert.are.equal(3, User:count({ col = "User.age" }))
    assert.are.equal(3, User:count({ col = "User.age", distinct = true }))
    -- "*" is count's own default (Sequelize 6.37.8: count({ col: '*' }) -> SELECT count(*) ..., 4;
    -- with distinct count(DISTINCT(`id`)), 4; grouped `UserId`, count(*); findAndCountAll's count 4)
    assert.are.equal(4, User:count({ col = "*" }))
    assert.are.equal(4, User:count({ col = "*", distinct = true }))
    assert.are.same({ { first_name = "A", count = 1 }, { first_name = "B", count = 2 }, { first_name = "C", count = 1 } },
                    User:count({ col = "*", group = { "first_name" }, order = { "first_name" } }))
    assert.are.equal(4, User:findAndCountAll({ col = "*" }).count)
    -- a name that is neither still raises; exclude takes attribute names only, as Sequelize's
    local err = support.catch_message(function() User:findAll({ where = { firstname = "B" } }) end)
    assert.truthy(err.message:find("Unknown attribute 'firstname' in where of model User", 1, true), err.message)
    err = support.catch_message(function() User:findAll({ attributes = { exclude = { "first_name" } } }) end)
    assert.truthy(err.message:find("Unknown attribute 'first_name' in attributes.exclude of model User", 1, true), err.message)
    db:close()
  end)
end)

describe("Sequelize.col naming a column that is also another attribute's name", function()
  -- Sequelize 6.37.8, Swap = define({ a: { field: 'b' }, b: { field: 'a' } }), rows { a: 1, b: 2 }, { a: 5, b: 0 }:
  -- findAll({ where: sequelize.where(col('a'), 2), raw: true }) -> [{"id":1,"a":1,"b":2}] (col('a') is the
  -- column a, attribute b); findAll({ attributes: [[fn('max', col('a')), 'm']], raw: true }) -> [{"m":2}].
  -- (here col("a") was the attribute a's column b: [] and 5)
  it("is the column of that name, as Sequelize writes the name as given", function()
    local db = Sequelize.new("sqlite::memory:")
    local S = db:define("Swap", { a = { type = DataTypes.INTEGER, field = "b" }, b = { type = DataTypes.INTEGER, field = "a" } },
      { timestamps = false })
    db:sync()
    S:bulkCreate({ { a = 1, b = 2 }, { a = 5, b = 0 } })
    assert.are.same({ { id = 1, a = 1, b = 2 } }, S:findAll({ where = Sequelize.where(Sequelize.col("a"), 2), raw = true }))
    assert.are.same({ { m = 2 } }, S:findAll({ attributes = { { Sequelize.fn("max", Sequelize.col("a")), "m" } }, raw = true }))
    -- a where key and the aggregates name the attribute, as Sequelize's map them
    assert.are.same({ 1 }, ids(S:findAll({ where = { a = 1 } })))
    assert.are.equal(5, S:max("a"))
    -- an attribute name that is no column still names the attribute's column
    local U = db:define("User", { firstName = { type = DataTypes.STRING, field = "first_name" } }, { timestamps = false })
    db:sync()
    U:create({ firstName = "x" })
    assert.are.same({ 1 }, ids(U:findAll({ where = Sequelize.where(Sequelize.col("firstName"), "x") })))
    assert.are.same({ 1 }, ids(U:findAll({ where = Sequelize.where(Sequelize.col("first_name"), "x") })))
    db:close()
  end)

  it("in attributes reads the column under the name given, as Sequelize selects `first_name`", function()
    -- Sequelize 6.37.8: User.findAll({ attributes: [col('first_name')], raw: true }) -> [{"first_name":"x"}];
    -- Swap.findAll({ attributes: [col('a')], raw: true }) -> [{"a":2},{"a":0}] (SELECT `a`)
    -- (here: [{"firstName":"x"}] and [{"b":2},{"b":0}])
    local db = Sequelize.new("sqlite::memory:")
    local S = db:define("Swap", { a = { type = DataTypes.INTEGER, field = "b" }, b = { type = DataTypes.INTEGER, field = "a" } },
      { timestamps = false })
    local U = db:define("User", { firstName = { type = DataTypes.STRING, field = "first_name" } }, { timestamps = false })
    db:sync()
    S:bulkCreate({ { a = 1, b = 2 }, { a = 5, b = 0 } })
    U:create({ firstName = "x" })
    assert.are.same({ { first_name = "x" } }, U:findAll({ attributes = { Sequelize.col("first_name") }, raw = true }))
    assert.are.same({ { a = 2 }, { a = 0 } }, S:findAll({ attributes = { Sequelize.col("a") }, order = { "id" }, raw = true }))
    assert.are.same({ { firstName = "x" } }, U:findAll({ attributes = { Sequelize.col("firstName") }, raw = true }))
    db:close()
  end)

  it("in order names a selected alias before a column, as SQLite reads Sequelize's ORDER BY `a`", function()
    -- Sequelize 6.37.8: Swap.findAll({ order: [[col('a'), 'DESC']], raw: true }) -> ids [2, 1]
    -- (SELECT `b` AS `a`, `a` AS `b` ... ORDER BY `a` DESC: the alias a, column b);
    -- findAll({ attributes: ['id'], order: [[col('a'), 'DESC']] }) -> ids [1, 2] (no such alias: column a)
    -- (here the first gave [1, 2], ordering by the column a)
    local db = Sequelize.new("sqlite::memory:")
    local S = db:define("Swap", { a = { type = DataTypes.INTEGER, field = "b" }, b = { type = DataTypes.INTEGER, field = "a" } },
      { timestamps = false })
    db:sync()
    S:bulkCreate({ { a = 1, b = 2 }, { a = 5, b = 0 } })
    assert.are.same({ 2, 1 }, ids(S:findAll({ order = { { Sequelize.col("a"), "DESC" } } })))
    assert.are.same({ 1, 2 }, ids(S:findAll({ order = { { Sequelize.col("b"), "DESC" } } })))
    assert.are.same({ 1, 2 }, ids(S:findAll({ attributes = { "id" }, order = { { Sequelize.col("a"), "DESC" } } })))
    assert.are.same({ 1, 2 }, ids(S:findAll({ order = Sequelize.col("a") }))) -- (ascending: Sequelize [1, 2])
    db:close()
  end)
end)

describe("a grouped count naming a column", function()
  it("count's and findAndCountAll's group take an attribute's column name, read under it", function()
    -- Sequelize 6.37.8: [{"first_name":"A","count":1},{"first_name":"B","count":2}]
    -- (SELECT `first_name`, count(*) AS `count` FROM `Users` AS `User` GROUP BY `first_name`);
    -- with the include [{"first_name":"A","count":1},{"first_name":"B","count":3}];
    -- findAndCountAll: {"count":[...as the first...],"rows":[{"first_name":"A"},{"first_name":"B"}]}
    local db = Sequelize.new("sqlite::memory:")
    local User = db:define("User", { firstName = DataTypes.STRING, age = DataTypes.INTEGER }, { underscored = true })
    local P = db:define("P", { title = DataTypes.STRING }, { timestamps = false })
    User:hasMany(P)
    db:sync()
    User:bulkCreate({ { firstName = "A", age = 1 }, { firstName = "B", age = 2 }, { firstName = "B", age = 3 } })
    P:bulkCreate({ { title = "x", UserId = 2 }, { title = "y", UserId = 2 } })
    local S = Sequelize.stringify
    assert.are.equal('[{"count":1,"first_name":"A"},{"count":2,"first_name":"B"}]',
      S(User:count({ group = { "first_name" }, order = { "first_name" } })))
    assert.are.equal('[{"count":1,"first_name":"A"},{"count":3,"first_name":"B"}]',
      S(User:count({ group = { "first_name" }, include = { { model = P, attributes = {} } }, order = { "first_name" } })))
    local r = User:findAndCountAll({ group = { "first_name" }, attributes = { "first_name" }, order = { { "first_name", "ASC" } } })
    assert.are.equal('{"count":[{"count":1,"first_name":"A"},{"count":2,"first_name":"B"}],'
      .. '"rows":[{"first_name":"A"},{"first_name":"B"}]}', S(r))
    local err = support.catch_message(function() User:count({ group = { "firstname" } }) end)
    assert.truthy(err.message:find("Unknown attribute 'firstname' in group of model User", 1, true), err.message)
    db:close()
  end)
end)

describe("an attributes list naming a column reads it as its attribute's type", function()
  it("a DATE, JSON or BOOLEAN column named by its field is typed, in an include and raw too", function()
    -- Sequelize 6.37.8 (its sqlite dialect parses the column by its declared type):
    -- [{"id":1,"born_at":"2020-01-02T03:04:05.000Z","meta_j":{"a":[1,2]},"is_ok":1,
    --   "Pets":[{"id":1,"seen_at":"2021-05-06T07:08:09.010Z","info":{"k":"v"}}]}]
    -- is_ok stays 1 there; here a BOOLEAN reads as true, as its attribute does (in Lua 0 is
    -- true). raw = true: Sequelize gives the stored text (born_at "2020-01-02 03:04:05.000 +00:00",
    -- meta_j "{\"a\":[1,2]}"); here raw rows are typed as model rows are (README)
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { bornAt = { type = DataTypes.DATE, field = "born_at" },
      meta = { type = DataTypes.JSON, field = "meta_j" }, ok = { type = DataTypes.BOOLEAN, field = "is_ok" } },
      { underscored = true })
    local P = db:define("Pet", { seenAt = DataTypes.DATE, info = DataTypes.JSON }, { underscored = true, timestamps = false })
    U:hasMany(P)
    db:sync()
    local u = U:create({ bornAt = "2020-01-02T03:04:05.000Z", meta = { a = { 1, 2 } }, ok = true })
    P:create({ seenAt = "2021-05-06T07:08:09.010Z", info = { k = "v" }, UserId = u.id })
    local r = U:findAll({ attributes = { "id", "born_at", "meta_j", "is_ok" },
                          include = { { model = P, attributes = { "id", "seen_at", "info" } } } })
    -- (an extra key comes after the attributes, as attribute lists come out in column order)
    assert.are.equal('[{"id":1,"born_at":"2020-01-02T03:04:05.000Z","meta_j":{"a":[1,2]},"is_ok":true,'
      .. '"Pets":[{"id":1,"info":{"k":"v"},"seen_at":"2021-05-06T07:08:09.010Z"}]}]', Sequelize.stringify(r))
    assert.are.equal("2020-01-02T03:04:05.000Z", r[1]:get("born_at"))
    assert.are.same({ 1, 2 }, r[1].meta_j.a)
    local c = U:findAll({ attributes = { "created_at" } })[1].created_at
    assert.truthy(c:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"), c)
    local raw = U:findAll({ attributes = { "id", "born_at", "meta_j", "is_ok" }, raw = true })
    assert.are.same({ { id = 1, born_at = "2020-01-02T03:04:05.000Z", meta_j = { a = { 1, 2 } }, is_ok = true } }, raw)
    db:close()
  end)
end)

describe("findAndCountAll with col", function()
  it("counts the col (distinct when asked), with hooks on the model or not (Sequelize: 2 and 1)", function()
    local db = Sequelize.new("sqlite::memory:")
    local DT = Sequelize.DataTypes
    local A = db:define("A", { age = DT.INTEGER }, { timestamps = false })
    local seen = 0
    local B = db:define("B", { age = DT.INTEGER }, { timestamps = false,
      hooks = { beforeCount = function() seen = seen + 1 end } })
    db:sync()
    for _, M in ipairs({ A, B }) do
      M:bulkCreate({ { age = 1 }, { age = 1 }, { age = Sequelize.null } })
      assert.are.equal(2, M:findAndCountAll({ col = "age" }).count, M.name)
      assert.are.equal(1, M:findAndCountAll({ col = "age", distinct = true }).count, M.name)
      local r = M:findAndCountAll({ where = { age = 1 } })
      assert.are.same({ 2, 2 }, { r.count, #r.rows })
    end
    assert.are.equal(3, seen)
    db:close()
  end)
end)

describe("attributes selecting nothing", function()
  it("raise Sequelize's QueryError; an include may supply the columns; a 3-item alias raises", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING, age = DT.INTEGER }, { timestamps = false })
    local P = db:define("Post", { title = DT.STRING }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    U:create({ name = "a" })
    P:create({ title = "t", UserId = 1 })
    local msg = "Attempted a SELECT query for model 'User' as `User` without selecting any columns"
    for _, o in ipairs({ { attributes = {} }, { attributes = { exclude = { "id", "name", "age" } } } }) do
      local ok, err = pcall(U.findAll, U, o)
      assert.is_false(ok)
      assert.are.same({ "SequelizeQueryError", msg }, { err.name, err.message })
      assert.is_true(err:is(Sequelize.QueryError))
    end
    local rows = U:findAll({ attributes = {}, include = P })
    assert.are.equal("t", rows[1].Posts[1].title)
    assert.are.equal(1, #U:findAll({ include = { { model = P, attributes = {} } } }))
    local ok, err = pcall(U.findAll, U, { attributes = { { "name", "n", "x" } } })
    assert.is_false(ok)
    assert.truthy(err.message:find("is not a valid attribute definition", 1, true), err.message)
    db:close()
  end)
end)

describe("aggregates of an included column", function()
  it("max / sum take \"Posts.likes\" with the include (Sequelize: max(`Posts`.`likes`))", function()
    local DT = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DT.STRING }, { timestamps = false })
    local P = db:define("Post", { likes = DT.INTEGER }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    U:create({ name = "a" })
    P:bulkCreate({ { likes = 10, UserId = 1 }, { likes = 13, UserId = 1 } })
    assert.are.equal(13, U:max("Posts.likes", { include = { P } }))
    assert.are.equal(23, U:sum("Posts.likes", { include = { { model = P, attributes = {} } } }))
    assert.are.equal(1, U:max("User.id"))
    local ok, err = pcall(U.max, U, "Posts.nope", { include = { P } })
    assert.is_false(ok)
    assert.are.equal("Unknown attribute 'Posts.nope' in max of model User", err.message)
    db:close()
  end)
end)

describe("positional replacements in several literals of one call", function()
  -- Sequelize replaces each `?` in its finished SQL, in the order the text reaches them
  -- (6.37.8: attributes before the where, an include's ON before the root WHERE)
  local db, P, U

  before_each(function()
    db = support.open()
    U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    P = db:define("Post", { title = DataTypes.STRING, views = DataTypes.INTEGER }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    U:bulkCreate{ { name = "u1" }, { name = "u2" } }
    P:bulkCreate{ { title = "a", views = 1, UserId = 1 }, { title = "b", views = 5, UserId = 2 },
                  { title = "c", views = 9, UserId = 2 } }
  end)

  it("take the replacements in the statement's order: attributes, where, order", function()
    local rows = P:findAll{ attributes = { "id", { Sequelize.literal("views * ?"), "x" } },
                            where = Sequelize.literal("views > ?"), replacements = { 10, 1 }, raw = true }
    assert.same({ { id = 2, x = 50 }, { id = 3, x = 90 } }, rows)
    rows = P:findAll{ where = Sequelize.literal("views > ?"), order = { { Sequelize.literal("abs(views - ?)"), "ASC" } },
                      replacements = { 0, 9 } }
    assert.same({ 3, 2, 1 }, ids(rows))
  end)

  it("an include's literal comes before the root where's, paged or not, and in findAndCountAll", function()
    local o = { where = Sequelize.literal("`User`.`id` > ?"),
                include = { model = P, where = Sequelize.literal("`Posts`.`views` > ?") }, replacements = { 4, 1 } }
    local function shape(rows)
      local out = {}
      for _, u in ipairs(rows) do out[#out + 1] = u.name .. ":" .. #u.Posts end
      return table.concat(out, ",")
    end
    assert.equal("u2:2", shape(U:findAll(o)))
    o.limit = 5
    assert.equal("u2:2", shape(U:findAll(o)))
    o.limit = nil
    local r = U:findAndCountAll(o)
    assert.same({ 1, "u2:2" }, { r.count, shape(r.rows) })
    -- each statement of a paged read counts from replacements[1], whatever values come first
    local p = { where = { [Op.and_] = { { id = { [Op.gt] = 0 } }, Sequelize.literal("`User`.`id` > ?") } },
                include = { model = P, where = { views = { [Op.gt] = 0 }, title = { [Op.ne] = "z" } } },
                replacements = { 1 }, limit = 5, order = { { "id" } } }
    assert.equal("u2:2", shape(U:findAll(p)))
  end)

  it("a list replacement expands where it lands; destroy with two literals deletes the right rows", function()
    local rows = P:findAll{ where = Sequelize.literal("views IN (?) AND title <> ?"), replacements = { { 1, 5 }, "a" } }
    assert.same({ 2 }, ids(rows))
    local n = P:destroy{ where = { [Op.or_] = { Sequelize.literal("views = ?"), Sequelize.literal("title = ?") } },
                         replacements = { 5, "c" } }
    assert.equal(2, n)
    assert.same({ "a" }, support.field(P:findAll{}, "title"))
  end)

  it("a `?` without its replacement raises Sequelize's message, nothing run", function()
    local err = support.catch_message(function()
      P:findAll{ where = Sequelize.literal("views > ? AND 1 = ?"), replacements = { 1 } }
    end)
    assert.equal("Positional replacement (?) 2 has no entry in the replacement map (replacements[2] is nil).", err.message)
  end)
end)

describe("order and group given as a keyed table", function()
  -- Sequelize 6.37.8: findAll({ order: { name: 'DESC' } }) -> Error "Order must be type of array or instance
  -- of a valid sequelize method."; group: { age: true } (findAll and count) -> Error "Unknown structure
  -- passed to order / group: { age: true }"; the same from getPosts({ order: { title: 'DESC' } }), a separate
  -- include's order and a scope's order. (A Lua table mixing list items and keys is refused too: a reader
  -- of its list part would drop the keys.)
  it("raises before any SQL (a separate include's: before its own), wherever an order or group is read", function()
    local db, log = support.open()
    local U = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P, { as = "posts" })
    db:sync()
    local u = U:create({ name = "a", age = 1 })
    U:addScope("s", { order = { name = "DESC" } })
    local ORDER = "Order must be type of array or instance of a valid sequelize method."
    local GROUP = "Unknown structure passed to order / group: "
    local cases = {
      { function() U:findAll({ order = { name = "DESC" } }) end,
        ORDER .. ' (order on User: expected a list such as { { "name", "DESC" } }, got a table with other keys: { name = "DESC" })' },
      { function() U:findAll({ order = { { "age" }, name = "DESC" } }) end, ORDER },
      { function() U:findAll({ order = { { "age", "DESC", x = 1 } } }) end, GROUP .. "{ x = 1 } (order item on User" },
      { function() U:findAll({ attributes = { "age" }, group = { age = true } }) end,
        GROUP .. "{ age = true } (group on User: expected a column name or a list)" },
      { function() U:findAll({ attributes = { "age" }, group = { "age", name = true } }) end, GROUP .. "{ name = true }" },
      { function() U:count({ group = { age = true } }) end, GROUP .. "{ age = true }" },
      { function() u:getPosts({ order = { title = "DESC" } }) end, ORDER .. " (order on Post" },
      { function() U:findAll({ include = { { association = "posts", separate = true, order = { title = "DESC" } } } }) end,
        ORDER .. " (order on Post", "after the root query" },
      { function() U:scope("s"):findAll() end, ORDER .. " (order on User" },
    }
    for _, c in ipairs(cases) do
      support.clear(log)
      local err = support.catch_message(c[1])
      assert.equal("Error", err.name)
      assert.equal(1, err.message:find(c[2], 1, true), err.message)
      if not c[3] then assert.same({}, log) end
    end
    db:close()
  end)

  it("an order item through an association that is not included names it", function()
    -- Sequelize 6.37.8 runs the query and SQLite fails (no such column: Posts.score); the
    -- item is refused before any SQL, naming what is missing
    local db, log = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { score = DataTypes.INTEGER }, { timestamps = false })
    U:hasMany(P)
    db:sync()
    support.clear(log)
    local err = support.catch_message(function() U:findAll({ order = { { "Posts", "score", "DESC" } } }) end)
    assert.equal("Invalid order item on User: 'Posts' is an association that is not included (include it to order "
      .. "by its columns)", err.message)
    err = support.catch_message(function() U:findAll({ order = { { "Nope", "score", "DESC" } } }) end)
    assert.equal("Invalid order item on User: 'Nope' is no included model's alias (expected { column, direction } "
      .. "or { alias, column, direction })", err.message)
    assert.same({}, log)
    assert.equal(0, #U:findAll({ include = P, order = { { "Posts", "score", "DESC" } } }))
    db:close()
  end)

  it("attributes: a list with exclude beside it raises (Sequelize's array with an exclude property selects the list)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, age = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    local err = support.catch_message(function() U:findAll({ attributes = { "name", exclude = { "age" } } }) end)
    assert.equal("Invalid attributes on User: a list of names with exclude beside it; give the list, or "
      .. "{ exclude = ... } / { include = ... } without list items", err.message)
    db:close()
  end)

  it("attributes: exclude / include given one name as a string take it as a one-name list, as Sequelize", function()
    -- Sequelize 6.37.8 (the RealWorld app's `attributes: { exclude: "email" }`): findOne, findByPk,
    -- findAndCountAll, a getter and an include leave the one attribute out; `{ include: "password" }`
    -- adds it; a scope's `{ exclude: "password" }` hides it, `scope("defaultScope", "pw")` shows it
    local db = support.open()
    local U = db:define("User", { email = DataTypes.STRING, name = DataTypes.STRING, password = DataTypes.STRING },
      { timestamps = false })
    local S = db:define("Secret", { name = DataTypes.STRING, password = DataTypes.STRING },
      { timestamps = false, scopes = { pw = { attributes = { include = "password" } } },
        defaultScope = { attributes = { exclude = "password" } } })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    P:belongsTo(U, { as = "author" }); U:hasMany(P, { as = "posts", foreignKey = "authorId" })
    U:belongsToMany(U, { through = "F", as = "followers", foreignKey = "userId", otherKey = "fid", timestamps = false })
    db:sync()
    local u = U:create({ email = "e", name = "n", password = "p" })
    S:create({ name = "s", password = "p" })
    P:create({ title = "t", authorId = u.id }); u:addFollower(u)
    local function keys(x) local t = {}; for k in pairs(x:get({ plain = true })) do t[#t + 1] = k end; table.sort(t); return t end
    assert.same({ "id", "name", "password" }, keys(U:findOne({ attributes = { exclude = "email" } })))
    assert.same({ "id", "name", "password" }, keys(U:findByPk(u.id, { attributes = { exclude = "email" } })))
    assert.same({ "id", "name", "password" }, keys(U:findAndCountAll({ attributes = { exclude = "email" } }).rows[1]))
    assert.same({ "email", "id", "name", "password" }, keys(U:findOne({ attributes = { exclude = {}, include = "password" } })))
    assert.same({ "id", "name", "password" },
      keys(u:getFollowers({ attributes = { exclude = "email" }, joinTableAttributes = {} })[1]))
    local p = P:findOne({ include = { { model = U, as = "author", attributes = { exclude = "email" } } } })
    assert.same({ "id", "name", "password" }, keys(p.author))
    assert.same({ "id", "name" }, keys(S:findOne()))
    assert.same({ "id", "name", "password" }, keys(S:scope("defaultScope", "pw"):findOne()))
    -- a name that is no attribute still raises (Sequelize's substring test, "emailname", is not matched)
    local err = support.catch_message(function() U:findAll({ attributes = { exclude = "emailname" } }) end)
    assert.equal("Unknown attribute 'emailname' in attributes.exclude of model User", err.message)
    db:close()
  end)

  it("the finders' internal option keys given by a caller are ignored (unknown options, as Sequelize ignores them)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    U:create({ name = "a" })
    for _, o in ipairs({ { _check = true }, { _separate = true }, { _nested_separate = true }, { bogus = true } }) do
      local rows = U:findAll(o)
      assert.equal(1, #rows)
      assert.equal("a", rows[1].name)
      -- findAndCountAll too (was: rows nil for _check, "attempt to index a boolean value" for _separate)
      local r = U:findAndCountAll(o)
      assert.equal(1, r.count)
      assert.equal("a", r.rows[1].name)
    end
    db:close()
  end)
end)
