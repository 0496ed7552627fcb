-- db:query: replacements (? and :name, always bound), results as (rows, meta),
-- type = "SELECT", hostile values, missing replacements, NULL, booleans, numbers, blobs.
-- Checked against Sequelize 6.37 on sqlite: a SELECT gives [rows, statement]; an INSERT gives
-- [undefined, { lastID, changes }]; with type SELECT only the rows come back.
local Sequelize = require("sequelua")
local support = require("spec.support")

-- an error object whose tostring is "name: message"
local function catch(fn, ...)
  local err = support.catch_error(fn, ...)
  assert.are.equal(err.name .. ": " .. err.message, tostring(err))
  return err
end

describe("db:query", function()
  local db, log

  before_each(function()
    log = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(msg)
      log[#log + 1] = tostring(msg)
    end })
    db:query("CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, flag BOOLEAN, data BLOB, n REAL)")
  end)

  after_each(function() db:close() end)

  local function count()
    local rows = db:query("SELECT count(*) AS c FROM items", { type = "SELECT" })
    return rows[1].c
  end

  it("binds positional ? replacements; an INSERT returns meta with lastID and changes", function()
    local rows, meta = db:query("INSERT INTO items (name, flag, n) VALUES (?, ?, ?)",
      { replacements = { "x", true, 1.5 } })
    -- Sequelize: [undefined, { lastID: 1, changes: 1 }]
    assert.is_true(rows == nil or (type(rows) == "table" and #rows == 0))
    assert.are.equal("table", type(meta))
    assert.are.equal(1, meta.lastID)
    assert.are.equal(1, meta.changes)
    local _, meta2 = db:query("INSERT INTO items (name) VALUES (?)", { replacements = { "y" } })
    assert.are.equal(2, meta2.lastID)
    rows = db:query("SELECT id, name, flag, n FROM items WHERE id = ?", { replacements = { 1 } })
    assert.are.equal(1, #rows)
    assert.are.equal(1, rows[1].id)
    assert.are.equal("x", rows[1].name)
    assert.are.equal(1, rows[1].flag)      -- raw rows are not typed: SQLite stores true as 1
    assert.are.equal(1.5, rows[1].n)
  end)

  it("binds named :name replacements, a name used twice included", function()
    db:query("INSERT INTO items (name, flag) VALUES (:name, :flag)", { replacements = { name = "y", flag = false } })
    db:query("INSERT INTO items (name) VALUES (:v || '-' || :v)", { replacements = { v = "z" } })
    local rows = db:query("SELECT id, name, flag FROM items WHERE id = :id OR name = :other ORDER BY id",
      { replacements = { id = 1, other = "z-z" } })
    assert.are.equal(2, #rows)
    assert.are.equal("y", rows[1].name)
    assert.are.equal(0, rows[1].flag)
    assert.are.equal("z-z", rows[2].name)
  end)

  it("a SELECT returns the list of plain rows first, in order", function()
    for _, v in ipairs({ "a", "b", "c" }) do
      db:query("INSERT INTO items (name) VALUES (?)", { replacements = { v } })
    end
    local rows = db:query("SELECT id, name FROM items ORDER BY id DESC")
    assert.are.equal(3, #rows)
    assert.are.same({ id = 3, name = "c" }, { id = rows[1].id, name = rows[1].name })
    assert.are.equal("b", rows[2].name)
    assert.are.equal("a", rows[3].name)
    local empty = db:query("SELECT id FROM items WHERE id > 100")
    assert.are.equal("table", type(empty))
    assert.are.equal(0, #empty)
  end)

  it("type = 'SELECT' returns only the rows", function()
    db:query("INSERT INTO items (name) VALUES ('a'), ('b')")
    local rows, extra = db:query("SELECT id, name FROM items WHERE id = :id", { replacements = { id = 2 }, type = "SELECT" })
    assert.are.equal(1, #rows)
    assert.are.equal("b", rows[1].name)
    assert.is_nil(extra)
  end)

  it("plain = true returns the first row alone, or nil (Sequelize: null)", function()
    db:query("INSERT INTO items (name) VALUES ('a'), ('b')")
    local row, extra = db:query("SELECT count(*) AS n FROM items", { type = "SELECT", plain = true })
    assert.are.same({ n = 2 }, row)
    assert.is_nil(extra)
    assert.is_nil(db:query("SELECT name FROM items WHERE id = 99", { type = "SELECT", plain = true }))
  end)

  it("Sequelize.QueryTypes.SELECT works like 'SELECT'", function()
    -- Sequelize: QueryTypes.SELECT === "SELECT"
    assert.are.equal("SELECT", Sequelize.QueryTypes.SELECT)
    db:query("INSERT INTO items (name) VALUES ('a')")
    local rows, extra = db:query("SELECT name FROM items", { type = Sequelize.QueryTypes.SELECT })
    assert.are.equal("a", rows[1].name)
    assert.is_nil(extra)
  end)

  it("UPDATE and DELETE change the rows", function()
    db:query("INSERT INTO items (name) VALUES ('a'), ('b'), ('c')")
    db:query("UPDATE items SET name = ? WHERE id > ?", { replacements = { "z", 1 } })
    local rows = db:query("SELECT name FROM items ORDER BY id", { type = "SELECT" })
    assert.are.same({ "a", "z", "z" }, { rows[1].name, rows[2].name, rows[3].name })
    db:query("DELETE FROM items WHERE id = :id", { replacements = { id = 3 } })
    assert.are.equal(2, count())
  end)

  it("? and :name inside SQL string literals are not placeholders", function()
    -- Sequelize: SELECT '?' AS q, ? AS v with [5] -> { q: '?', v: 5 }
    local rows = db:query("SELECT '?' AS q, ? AS v", { replacements = { 5 }, type = "SELECT" })
    assert.are.equal("?", rows[1].q)
    assert.are.equal(5, rows[1].v)
    rows = db:query("SELECT ':id' AS q, :id AS v, :id + 1 AS w", { replacements = { id = 5 }, type = "SELECT" })
    assert.are.equal(":id", rows[1].q)
    assert.are.equal(5, rows[1].v)
    assert.are.equal(6, rows[1].w)
  end)

  it("replacement values containing ? and :name are data", function()
    local rows = db:query("SELECT ? AS a, ? AS b", { replacements = { "what? :id", "x" }, type = "SELECT" })
    assert.are.equal("what? :id", rows[1].a)
    assert.are.equal("x", rows[1].b)
  end)

  it("hostile values are stored verbatim and the table survives", function()
    local hostile = "x'); DROP TABLE items; --"
    db:query("INSERT INTO items (name) VALUES (?)", { replacements = { hostile } })
    db:query("INSERT INTO items (name) VALUES (:v)", { replacements = { v = hostile } })
    local quote = "it's \"quoted\" \\ ; --"
    db:query("INSERT INTO items (name) VALUES (?)", { replacements = { quote } })
    local rows = db:query("SELECT name FROM items WHERE name = ? ORDER BY id", { replacements = { hostile }, type = "SELECT" })
    assert.are.equal(2, #rows)
    assert.are.equal(hostile, rows[1].name)
    assert.are.equal(hostile, rows[2].name)
    rows = db:query("SELECT name FROM items WHERE id = 3", { type = "SELECT" })
    assert.are.equal(quote, rows[1].name)
    local tables = db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'items'", { type = "SELECT" })
    assert.are.equal(1, #tables)
    assert.are.equal(3, count())
    -- values are bound, never spliced into the SQL text
    for _, m in ipairs(log) do
      assert.is_falsy(m:find("DROP TABLE", 1, true), m)
    end
  end)

  it("a missing positional replacement is an error and runs nothing", function()
    -- Sequelize: Error "Positional replacement (?) 1 has no entry in the replacement map
    --            (replacements[1] is undefined)." (0-based index in JavaScript)
    local err = catch(function()
      db:query("INSERT INTO items (name, n) VALUES (?, ?)", { replacements = { "only-one" } })
    end)
    assert.are.equal("Error", err.name)
    assert.is_truthy(err.message:find("^Positional replacement %(%?%) "), err.message)
    assert.is_truthy(err.message:find("has no entry in the replacement map", 1, true), err.message)
    assert.are.equal(0, count())
  end)

  it("a missing named replacement is an error and runs nothing", function()
    -- Sequelize: Error 'Named replacement ":n" has no entry in the replacement map.'
    local err = catch(function()
      db:query("INSERT INTO items (name, n) VALUES (:name, :n)", { replacements = { name = "x" } })
    end)
    assert.are.equal("Error", err.name)
    assert.are.equal('Named replacement ":n" has no entry in the replacement map.', err.message)
    assert.are.equal(0, count())
  end)

  it("Sequelize.null binds NULL", function()
    db:query("INSERT INTO items (name, n) VALUES (?, ?)", { replacements = { Sequelize.null, 2 } })
    db:query("INSERT INTO items (name) VALUES (:v)", { replacements = { v = Sequelize.null } })
    local rows = db:query("SELECT name, typeof(name) AS t FROM items ORDER BY id", { type = "SELECT" })
    assert.are.equal(2, #rows)
    for _, r in ipairs(rows) do
      assert.are.equal("null", r.t)
      assert.is_true(support.is_null(r.name))
    end
    rows = db:query("SELECT count(*) AS c FROM items WHERE name IS NULL", { type = "SELECT" })
    assert.are.equal(2, rows[1].c)
  end)

  it("booleans bind as 1 and 0", function()
    db:query("INSERT INTO items (name, flag) VALUES ('t', ?), ('f', ?)", { replacements = { true, false } })
    local rows = db:query("SELECT flag, typeof(flag) AS t FROM items ORDER BY id", { type = "SELECT" })
    assert.are.equal(1, rows[1].flag)
    assert.are.equal("integer", rows[1].t)
    assert.are.equal(0, rows[2].flag)
    assert.are.equal(1, db:query("SELECT count(*) AS c FROM items WHERE flag = ?", { replacements = { true }, type = "SELECT" })[1].c)
  end)

  it("integers bind as INTEGER, fractions as REAL, strings as TEXT", function()
    -- Sequelize: typeof(42) integer, typeof(1.5) real, typeof('x') text
    local rows = db:query("SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, ? AS big",
      { replacements = { 42, 1.5, "x", 9007199254740991 }, type = "SELECT" })
    assert.are.equal("integer", rows[1].a)
    assert.are.equal("real", rows[1].b)
    assert.are.equal("text", rows[1].c)
    assert.are.equal(9007199254740991, rows[1].big)
  end)

  it("blobs round-trip byte for byte", function()
    local bytes = "\0\1\2\255\0"
    db:query("INSERT INTO items (name, data) VALUES (?, ?)", { replacements = { "b", bytes } })
    local rows = db:query("SELECT data, hex(data) AS h FROM items WHERE name = 'b'", { type = "SELECT" })
    assert.are.equal("000102FF00", rows[1].h)
    assert.are.equal(bytes, rows[1].data)
    assert.are.equal(5, #rows[1].data)
    rows = db:query("SELECT x'00ff' AS b, length(x'00ff') AS l", { type = "SELECT" })
    assert.are.equal("\0\255", rows[1].b)
    assert.are.equal(2, rows[1].l)
  end)
end)
