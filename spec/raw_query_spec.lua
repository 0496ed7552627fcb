-- db:query: replacements (? and :name, always bound), results as (rows, meta),
-- type = "SELECT", hostile values, missing replacements, NULL, booleans, numbers, blobs.
-- Checked against Sequelize 6.37.8 on sqlite: a SELECT gives [rows, statement]; an INSERT gives
-- [undefined, { lastID, changes }]; with type SELECT only the rows come back. The second
-- describe block covers lists in replacements, bind, model / mapToModel, nest and the result
-- of each QueryTypes value (the Sequelize results are noted beside each assertion).
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
    -- (the Lua index: the second ? has no replacements[2])
    assert.is_truthy(err.message:find("(?) 2 has no entry in the replacement map (replacements[2] is nil)", 1, true),
      err.message)
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

describe("db:query lists, bind, model, nest and query types", function()
  local db, log

  before_each(function()
    log = {}
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(msg)
      log[#log + 1] = tostring(msg)
    end })
    db:query("CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)")
    db:query("INSERT INTO items (name) VALUES ('a'), ('b'), ('c'), ('d')")
  end)

  after_each(function() db:close() end)

  local function ids(rows)
    local out = {}
    for i, r in ipairs(rows) do out[i] = r.id end
    return out
  end

  local function count()
    return db:query("SELECT count(*) AS c FROM items", { type = "SELECT" })[1].c
  end

  describe("a list as a replacement", function()
    it("a named list expands into one bound parameter per item", function()
      -- Sequelize: SELECT id, name FROM items WHERE name IN ('a', 'd') -> [{id:1,name:'a'},{id:4,name:'d'}]
      local rows = db:query("SELECT id, name FROM items WHERE name IN (:names) ORDER BY id",
        { replacements = { names = { "a", "d" } }, type = "SELECT" })
      assert.are.same({ 1, 4 }, ids(rows))
      assert.are.equal("d", rows[2].name)
      -- values stay bound: the statement holds placeholders, not the values
      local last = log[#log]
      assert.is_truthy(last:find("IN (?, ?)", 1, true), last)
      assert.is_falsy(last:find("'a'", 1, true), last)
    end)

    it("a positional list expands, and the ? after it takes the next replacement", function()
      -- Sequelize: IN (?) with [[1, 2]] -> [{id:1},{id:2}]
      local rows = db:query("SELECT id FROM items WHERE id IN (?) ORDER BY id", { replacements = { { 1, 2 } }, type = "SELECT" })
      assert.are.same({ 1, 2 }, ids(rows))
      -- Sequelize: IN (?) AND name <> ? with [[1, 2, 3], 'b'] -> ids 1, 3
      rows = db:query("SELECT id FROM items WHERE id IN (?) AND name <> ? ORDER BY id",
        { replacements = { { 1, 2, 3 }, "b" }, type = "SELECT" })
      assert.are.same({ 1, 3 }, ids(rows))
    end)

    it("a list of one item, and a name used twice", function()
      -- Sequelize: IN (3) -> [{id:3}]
      assert.are.same({ 3 }, ids(db:query("SELECT id FROM items WHERE id IN (:ids)", { replacements = { ids = { 3 } }, type = "SELECT" })))
      local rows = db:query("SELECT id FROM items WHERE id IN (:ids) AND id + 0 IN (:ids) ORDER BY id",
        { replacements = { ids = { 2, 4 } }, type = "SELECT" })
      assert.are.same({ 2, 4 }, ids(rows))
    end)

    it("an empty list gives IN () and no rows", function()
      -- Sequelize: SELECT ... WHERE id IN () -> []
      local rows = db:query("SELECT id FROM items WHERE id IN (:ids)", { replacements = { ids = {} }, type = "SELECT" })
      assert.are.equal(0, #rows)
      assert.is_truthy(log[#log]:find("IN ()", 1, true), log[#log])
    end)

    it("Sequelize.null and booleans inside a list bind as NULL and 1", function()
      -- Sequelize: IN (NULL, 1, 1) -> [{id:1}]
      local rows = db:query("SELECT id FROM items WHERE id IN (:ids)",
        { replacements = { ids = { Sequelize.null, 1, true } }, type = "SELECT" })
      assert.are.same({ 1 }, ids(rows))
    end)

    it("a list of lists gives parenthesised rows (VALUES :rows)", function()
      -- Sequelize: INSERT INTO items (id, name) VALUES (10, 'j'), (11, 'k') -> [undefined, {lastID:11, changes:2}]
      local rows, meta = db:query("INSERT INTO items (id, name) VALUES :rows",
        { replacements = { rows = { { 10, "j" }, { 11, "k" } } } })
      assert.is_nil(rows)
      assert.are.same({ lastID = 11, changes = 2 }, meta)
      assert.is_truthy(log[#log]:find("VALUES (?, ?), (?, ?)", 1, true), log[#log])
      -- Sequelize: (id, name) IN (VALUES (1, 'a'), (2, 'x')) -> [{id:1}]
      rows = db:query("SELECT id FROM items WHERE (id, name) IN (VALUES :pairs)",
        { replacements = { pairs = { { 1, "a" }, { 2, "x" } } }, type = "SELECT" })
      assert.are.same({ 1 }, ids(rows))
    end)

    it("hostile strings in a list are data", function()
      local hostile = "a') OR 1=1; DROP TABLE items; --"
      local rows = db:query("SELECT id FROM items WHERE name IN (:names)",
        { replacements = { names = { hostile, "b" } }, type = "SELECT" })
      assert.are.same({ 2 }, ids(rows))
      assert.are.equal(4, count())
      for _, m in ipairs(log) do assert.is_falsy(m:find("DROP TABLE", 1, true), m) end
    end)

    it("? and :name in strings, quoted names and comments stay text when a list is expanded", function()
      local rows = db:query("SELECT '?:x' AS \"a?\", `b:x` AS c, id FROM (SELECT 1 AS `b:x`, id FROM items) -- ? :x\n"
        .. "WHERE id IN (:x) /* :x ? */ ORDER BY id", { replacements = { x = { 1, 2 } }, type = "SELECT" })
      assert.are.same({ 1, 2 }, ids(rows))
      assert.are.equal("?:x", rows[1]["a?"])
      assert.are.equal(1, rows[1].c)
    end)

    it("a replacement that is a table but not a list is an error naming what was expected", function()
      -- Sequelize: Error "Invalid value { a: 1 }"
      local err = catch(function()
        db:query("SELECT id FROM items WHERE id IN (:x)", { replacements = { x = { a = 1 } } })
      end)
      assert.are.equal("Error", err.name)
      assert.is_truthy(err.message:find(":x", 1, true), err.message)
      assert.is_truthy(err.message:find("list", 1, true), err.message)
      err = catch(function()
        db:query("SELECT id FROM items WHERE id IN (?)", { replacements = { { 1, 2, x = 3 } } })
      end)
      assert.is_truthy(err.message:find("list", 1, true), err.message)
    end)

    it("a map, a function or an expression inside a list is an error", function()
      -- Sequelize: Error "Invalid value { a: 1 }" for [1, { a: 1 }]
      for _, bad in ipairs({ { 1, { a = 1 } }, { 1, print }, { Sequelize.literal("1") }, { { { a = 1 } } } }) do
        local err = catch(function()
          db:query("DELETE FROM items WHERE id IN (:x)", { replacements = { x = bad } })
        end)
        assert.are.equal("Error", err.name)
        assert.is_truthy(err.message:find("expected", 1, true), err.message)
      end
      assert.are.equal(4, count())
    end)

    it("a function, a thread or a userdata as a replacement raises naming it, before anything is logged", function()
      for _, case in ipairs({
        { "SELECT :names", { names = print }, ":names", "function" },
        { "SELECT ?, ?", { 1, print }, "? (replacements[2])", "function" },
        { "SELECT :c", { c = coroutine.create(print) }, ":c", "thread" },
        { "SELECT :c", { c = io.stdout }, ":c", "userdata" },
        { "SELECT :a, :b", { a = { 1 }, b = print }, ":b", "function" },
      }) do
        log = {}
        local err = catch(function() db:query(case[1], { replacements = case[2] }) end)
        assert.are.equal("Error", err.name)
        assert.are.equal("Invalid value for replacement " .. case[3] .. ": expected a string, number, boolean, "
          .. "Sequelize.null or a list of them, got " .. case[4], err.message)
        assert.are.same({}, log)
      end
      -- an entry the text does not name stays unused, as extra replacements do
      local rows = db:query("SELECT :a AS a", { replacements = { a = 1, b = print }, type = "SELECT" })
      assert.are.equal(1, rows[1].a)
      assert.are.equal("Executing (default): SELECT :a AS a", log[#log])
    end)

    it("a list that holds itself is an error, not a stack overflow", function()
      local cyc = { 1 }
      cyc[2] = cyc
      local err = catch(function()
        db:query("SELECT id FROM items WHERE id IN (:x)", { replacements = { x = cyc } })
      end)
      assert.are.equal("Error", err.name)
      assert.is_truthy(err.message:find("deep", 1, true), err.message)
    end)

    it("a missing replacement is still reported when another one is a list", function()
      -- Sequelize: Error 'Named replacement ":y" has no entry in the replacement map.'
      local err = catch(function()
        db:query("SELECT id FROM items WHERE id IN (:x) AND name = :y", { replacements = { x = { 1 } } })
      end)
      assert.are.equal('Named replacement ":y" has no entry in the replacement map.', err.message)
    end)

    it("replacements that are not a table are an error", function()
      -- Sequelize: TypeError '"replacements" must be an array or a plain object, but received "abc" instead.'
      local err = catch(function() db:query("SELECT ? AS v", { replacements = "abc" }) end)
      assert.is_truthy(err.message:find('"replacements" must be', 1, true), err.message)
    end)
  end)

  describe("bind", function()
    it("binds $1 and $name", function()
      -- Sequelize: SELECT $1 AS v, $2 AS w with bind [5, 'x'] -> [{v:5,w:'x'}]
      assert.are.same({ v = 5, w = "x" }, db:query("SELECT $1 AS v, $2 AS w", { bind = { 5, "x" }, type = "SELECT" })[1])
      assert.are.same({ v = 5 }, db:query("SELECT $a AS v", { bind = { a = 5 }, type = "SELECT" })[1])
    end)

    it("a list in bind is an error (Sequelize binds its text, '1,2', and matches nothing)", function()
      local err = catch(function()
        db:query("SELECT id FROM items WHERE id IN ($ids)", { bind = { ids = { 1, 2 } } })
      end)
      assert.are.equal("Error", err.name)
      assert.is_truthy(err.message:find("$ids", 1, true), err.message)
      assert.is_truthy(err.message:find("replacements", 1, true), err.message)
    end)

    it("a missing bind value is Sequelize's error", function()
      -- Sequelize: Error 'Named bind parameter "$2" has no value in the given object.'
      local err = catch(function() db:query("SELECT $1 AS v, $2 AS w", { bind = { 5 } }) end)
      assert.are.equal('Named bind parameter "$2" has no value in the given object.', err.message)
      err = catch(function() db:query("SELECT $a AS v, $b AS w", { bind = { a = 1 } }) end)
      assert.are.equal('Named bind parameter "$b" has no value in the given object.', err.message)
    end)

    it("a bind value the statement has no parameter for is SQLite's SQLITE_RANGE, as in Sequelize", function()
      -- Sequelize 6.37.8: query("SELECT $a", { bind: { a: 1, b: 2 } }), ("SELECT $1, $3", { bind: [1, 2, 3] }),
      -- ("SELECT $2", { bind: [1, 2] }), ("SELECT 1", { bind: { a: 1 } }) -> SequelizeDatabaseError
      -- "SQLITE_RANGE: column index out of range" (parent.code SQLITE_RANGE); ("SELECT $2, $1", { bind: [1, 2] })
      -- and ("SELECT $a, $a", { bind: { a: 1 } }) run; replacements with an extra entry run too
      for _, case in ipairs({ { "SELECT $a", { a = 1, b = 2 } }, { "SELECT $1, $3", { 1, 2, 3 } }, { "SELECT $2", { 1, 2 } },
                              { "SELECT 1", { a = 1 } }, { "SELECT 1", { 1 } } }) do
        local err = catch(function() db:query(case[1], { bind = case[2], type = "SELECT" }) end)
        assert.are.equal("SequelizeDatabaseError", err.name, case[1])
        assert.are.equal("column index out of range", err.message) -- (our DatabaseErrors carry no "SQLITE_X: " prefix)
        assert.are.equal("SQLITE_RANGE", err.parent.code)
      end
      assert.are.same({ { ["$2"] = 2, ["$1"] = 1 } }, db:query("SELECT $2, $1", { bind = { 1, 2 }, type = "SELECT" }))
      assert.are.same({ { ["$a"] = 1 } }, db:query("SELECT $a, $a", { bind = { a = 1 }, type = "SELECT" }))
      assert.are.same({ { v = 1 } }, db:query("SELECT ? AS v", { replacements = { 1, 2 }, type = "SELECT" }))
    end)

    it("with bind given, $$ is a $ anywhere in the text, string literals too (Sequelize's escape)", function()
      -- Sequelize 6.37.8: query("SELECT '$$1' AS s, $1 AS t", { bind: ['x'] }) -> [{s:'$1',t:'x'}];
      -- "SELECT '$$' AS a, $x AS b" with { x: 1 } -> [{a:'$',b:1}]; "SELECT $$1 AS a" with ['q'] -> [{a:'q'}];
      -- "SELECT '$$$' AS a, ' $$$$ ' AS c" -> a '$$', c ' $$ '; 'SELECT 1 AS "c$$"' keeps c$$ (a word
      -- before the $); without bind '$$1' stays '$$1'; a literal's $$ in a finder with bind too:
      -- findAll({ where: literal("name = '$$x' OR id = $1"), bind: [1] }) logs name = '$x'
      assert.are.same({ { s = "$1", t = "x" } }, db:query("SELECT '$$1' AS s, $1 AS t", { bind = { "x" }, type = "SELECT" }))
      assert.are.same({ { a = "$", b = 1 } }, db:query("SELECT '$$' AS a, $x AS b", { bind = { x = 1 }, type = "SELECT" }))
      assert.are.same({ { a = "q" } }, db:query("SELECT $$1 AS a", { bind = { "q" }, type = "SELECT" }))
      assert.are.same({ { a = "$$", c = " $$ " } }, db:query("SELECT '$$$' AS a, ' $$$$ ' AS c", { bind = {}, type = "SELECT" }))
      assert.are.same({ { ["c$$"] = 1 } }, db:query('SELECT 1 AS "c$$"', { bind = {}, type = "SELECT" }))
      assert.are.same({ { s = "$$1" } }, db:query("SELECT '$$1' AS s", { type = "SELECT" }))
      db:query("UPDATE items SET name = '$$5' WHERE id = $1", { bind = { 1 } })
      assert.are.equal("$5", db:query("SELECT name FROM items WHERE id = 1", { type = "SELECT", plain = true }).name)
      local Item = db:define("Item", { name = Sequelize.DataTypes.STRING }, { tableName = "items", timestamps = false })
      local rows = Item:findAll{ where = Sequelize.literal("name = '$$5' OR id = $1"), bind = { 2 }, order = { { "id", "ASC" } } }
      assert.are.same({ 1, 2 }, ids(rows))
      assert.is_truthy(log[#log]:find("name = '$5'", 1, true), log[#log])
      -- (a value is bound, not written into the text: Sequelize's '$$x' value there reads '$x')
      assert.are.same({}, Item:findAll{ where = { [Sequelize.Op.or_] = { { name = "$$5" }, Sequelize.literal("id = $1") } },
                                        bind = { 9 } })
    end)

    it("replacements and bind together are Sequelize's error", function()
      -- Sequelize: Error "Both `replacements` and `bind` cannot be set at the same time"
      local err = catch(function() db:query("SELECT ? AS v", { bind = { 1 }, replacements = { 1 } }) end)
      assert.are.equal("Both `replacements` and `bind` cannot be set at the same time", err.message)
    end)
  end)

  describe("model and mapToModel", function()
    local User

    before_each(function()
      User = db:define("User", {
        name = Sequelize.DataTypes.STRING,
        active = Sequelize.DataTypes.BOOLEAN,
        born = Sequelize.DataTypes.DATE,
        firstName = { type = Sequelize.DataTypes.STRING, field = "first_name" },
      }, { timestamps = false })
      db:sync()
      User:bulkCreate({ { name = "a", active = true, born = "2000-01-02T03:04:05.678Z", firstName = "A" },
                        { name = "d", active = false, firstName = "D" } })
    end)

    it("model = M returns instances of M that are not new and save by key", function()
      -- Sequelize: query('SELECT * FROM Users', { model: User }) -> [User, User] (no type: SELECT),
      -- isNewRecord false, active true; save() updates the row
      local rows, extra = db:query("SELECT * FROM Users ORDER BY id", { model = User })
      assert.is_nil(extra)
      assert.are.equal(2, #rows)
      local u = rows[1]
      assert.are.equal(User, u.constructor)
      assert.is_false(u.isNewRecord)
      assert.are.equal("a", u.name)
      assert.is_true(u.active)
      assert.is_false(rows[2].active)
      -- typed as findAll types them (Sequelize parses DATE only when the SQL says FROM `Users`)
      assert.are.equal("2000-01-02T03:04:05.678Z", u.born)
      -- without mapToModel the column keeps its name: Sequelize get('first_name') is 'A', firstName undefined
      assert.is_nil(u.firstName)
      assert.are.equal("A", u:get("first_name"))
      u.name = "changed"
      u:save()
      assert.are.equal("changed", User:findByPk(1).name)
      assert.are.equal(2, User:count())
    end)

    it("fieldMap renames the rows' keys; with a model, to its attributes", function()
      -- Sequelize: query(..., { type: SELECT, fieldMap: { first_name: 'fn' } }) -> [{"fn":"A","id":1}, ...]
      local rows = db:query("SELECT id, first_name FROM Users ORDER BY id",
        { type = Sequelize.QueryTypes.SELECT, fieldMap = { first_name = "fn" } })
      assert.are.equal('[{"fn":"A","id":1},{"fn":"D","id":2}]', Sequelize.stringify(rows))
      rows = db:query("SELECT id, first_name AS fname FROM Users ORDER BY id", { model = User, fieldMap = { fname = "firstName" } })
      assert.are.equal("D", rows[2].firstName)
      assert.truthy(support.catch_message(function() db:query("SELECT 1", { type = "SELECT", fieldMap = 5 }) end)
        .message:find("fieldMap must be a table", 1, true))
      -- only SELECT rows are renamed, and mapToModel's own map replaces the one given (Sequelize 6.37.8:
      -- { fieldMap: { first_name: 'fn' } } with no type (RAW) -> [[{"id":1,"first_name":"A"}], statement];
      -- { model: User, mapToModel: true, fieldMap: { id: 'zz' } } -> instances with id, firstName, no zz)
      rows = db:query("SELECT id, first_name FROM Users WHERE id = 1", { fieldMap = { first_name = "fn" } })
      assert.are.equal('[{"first_name":"A","id":1}]', Sequelize.stringify(rows))
      rows = db:query("SELECT id, first_name FROM Users WHERE id = 1", { type = "RAW", fieldMap = { first_name = "fn" } })
      assert.are.equal('[{"first_name":"A","id":1}]', Sequelize.stringify(rows))
      rows = db:query("SELECT id, first_name FROM Users WHERE id = 1", { model = User, mapToModel = true, fieldMap = { id = "zz" } })
      assert.are.same({ 1, "A" }, { rows[1].id, rows[1].firstName })
      assert.is_nil(rows[1]:get("zz"))
    end)

    it("mapToModel = true maps fields to attribute names", function()
      -- Sequelize: { model: User, mapToModel: true } -> firstName 'A', dataValues keys id,name,active,born,firstName
      local rows = db:query("SELECT * FROM Users ORDER BY id", { model = User, mapToModel = true })
      assert.are.equal("A", rows[1].firstName)
      assert.are.equal("D", rows[2].firstName)
      local json = rows[1]:toJSON()
      assert.are.equal("A", json.firstName)
      assert.is_nil(json.first_name)
      rows[1].firstName = "Z"
      rows[1]:save()
      assert.are.equal("Z", db:query("SELECT first_name FROM Users WHERE id = 1", { type = "SELECT" })[1].first_name)
    end)

    it("a partial select gives instances of the columns read; extra columns are kept", function()
      -- Sequelize: SELECT name FROM Users WHERE id = 1 -> [{name:'a'}], isNewRecord false
      local rows = db:query("SELECT name FROM Users WHERE id = 1", { model = User })
      assert.is_false(rows[1].isNewRecord)
      assert.are.same({ name = "a" }, rows[1]:toJSON())
      -- Sequelize: SELECT id, name, 5 AS extra -> get('extra') 5
      rows = db:query("SELECT id, name, 5 AS extra FROM Users ORDER BY id", { model = User })
      assert.are.equal(5, rows[1]:get("extra"))
    end)

    it("plain = true with a model gives one instance or nil", function()
      -- Sequelize: { model: User, plain: true } -> a User
      local u = db:query("SELECT id, name FROM Users ORDER BY id", { model = User, plain = true })
      assert.are.equal("a", u.name)
      assert.is_false(u.isNewRecord)
      assert.is_nil(db:query("SELECT id FROM Users WHERE id = 99", { model = User, plain = true }))
    end)

    it("raw = true or type RAW with a model give plain rows", function()
      -- Sequelize: { model: User, raw: true } -> [{id:1,name:'a'},...] plain objects
      local rows = db:query("SELECT id, name FROM Users ORDER BY id", { model = User, raw = true })
      assert.is_nil(getmetatable(rows[1]))
      assert.are.same({ id = 1, name = "a" }, rows[1])
      -- Sequelize: { model: User, mapToModel: true, raw: true } -> [{id:1,firstName:'A'}]
      rows = db:query("SELECT id, first_name FROM Users WHERE id = 1", { model = User, mapToModel = true, raw = true })
      assert.are.same({ id = 1, firstName = "A" }, rows[1])
      -- Sequelize: { model: User, type: RAW } -> [[{id:1,name:'a'},{id:2,name:'d'}], {}]
      local meta
      rows, meta = db:query("SELECT id, name FROM Users ORDER BY id", { model = User, type = "RAW" })
      assert.is_nil(getmetatable(rows[1]))
      assert.are.equal(2, #rows)
      assert.are.same({}, meta)
    end)

    it("type INSERT with a model gives the new keys and the count", function()
      -- Sequelize: [[{id:3}], 1] and [[{id:4},{id:5}], 2]
      local keys, n = db:query("INSERT INTO Users (name) VALUES ('x')", { model = User, type = "INSERT" })
      assert.are.same({ { id = 3 } }, keys)
      assert.are.equal(1, n)
      keys, n = db:query("INSERT INTO Users (name) VALUES ('y'), ('z')", { model = User, type = "INSERT" })
      assert.are.same({ { id = 4 }, { id = 5 } }, keys)
      assert.are.equal(2, n)
    end)

    it("a model that is not a model is an error", function()
      -- Sequelize: TypeError "model.getTableName is not a function"
      local err = catch(function() db:query("SELECT 1", { model = "User" }) end)
      assert.are.equal("Error", err.name)
      assert.is_truthy(err.message:find("model", 1, true), err.message)
    end)
  end)

  describe("nest", function()
    it("nest = true nests dotted names and returns the rows alone", function()
      -- Sequelize: { nest: true } -> [{"x":{"id":1,"name":"a"},"y":1}] (no type: SELECT)
      local rows, extra = db:query("SELECT id AS `x.id`, name AS `x.name`, 1 AS y FROM items WHERE id = 1", { nest = true })
      assert.is_nil(extra)
      assert.are.same({ x = { id = 1, name = "a" }, y = 1 }, rows[1])
      -- Sequelize: [{"a":{"b":{"c":1,"d":2},"e":3}}]
      rows = db:query("SELECT 1 AS `a.b.c`, 2 AS `a.b.d`, 3 AS `a.e`", { nest = true, type = "SELECT" })
      assert.are.same({ a = { b = { c = 1, d = 2 }, e = 3 } }, rows[1])
      -- Sequelize: [{"x":{"id":null,"name":null}}]
      rows = db:query("SELECT NULL AS `x.id`", { nest = true })
      assert.is_true(support.is_null(rows[1].x.id))
    end)

    it("a plain column of the same name wins, as dottie's transform has it", function()
      -- Sequelize: SELECT 1 AS x, 2 AS `x.id` -> [{x:1}]; SELECT 2 AS `x.id`, 1 AS x -> [{x:1}]
      assert.are.same({ x = 1 }, db:query("SELECT 1 AS x, 2 AS `x.id`", { nest = true })[1])
      assert.are.same({ x = 1 }, db:query("SELECT 2 AS `x.id`, 1 AS x", { nest = true })[1])
    end)

    it("type RAW does not nest", function()
      -- Sequelize: { nest: true, type: RAW } -> [[{"x.id":1}], {}]
      local rows, meta = db:query("SELECT id AS `x.id` FROM items WHERE id = 1", { nest = true, type = "RAW" })
      assert.are.same({ ["x.id"] = 1 }, rows[1])
      assert.are.same({}, meta)
    end)

    it("plain = true with nest gives the first row nested", function()
      -- Sequelize: { plain: true, nest: true } -> {"x":{"id":1}}
      assert.are.same({ x = { id = 1 } }, db:query("SELECT 1 AS `x.id`", { plain = true, nest = true }))
    end)
  end)

  describe("the result of each query type", function()
    it("no type (RAW): a SELECT gives rows and an empty metadata table", function()
      -- Sequelize: [[{id:1,name:'a'},{id:2,name:'b'}], {}] (the sqlite3 Statement, no own keys)
      local rows, meta = db:query("SELECT id, name FROM items WHERE id < 3 ORDER BY id")
      assert.are.same({ 1, 2 }, ids(rows))
      assert.are.same({}, meta)
      rows, meta = db:query("SELECT id FROM items WHERE id = 1", { type = Sequelize.QueryTypes.RAW })
      assert.are.same({ 1 }, ids(rows))
      assert.are.same({}, meta)
    end)

    it("no type: UPDATE and DELETE give an empty list and an empty metadata table", function()
      -- Sequelize: [[], {}] for both (only INSERT INTO ... is run for lastID and changes)
      local rows, meta = db:query("UPDATE items SET name = 'z' WHERE id > 2")
      assert.are.same({}, rows)
      assert.are.same({}, meta)
      rows, meta = db:query("DELETE FROM items WHERE id = 4")
      assert.are.same({}, rows)
      assert.are.same({}, meta)
      assert.are.equal(3, count())
    end)

    it("no type: INSERT INTO gives nil and { lastID, changes }", function()
      -- Sequelize: [undefined, {lastID:5, changes:1}]; also in lower case
      local rows, meta = db:query("  insert into items (name) VALUES ('e')")
      assert.is_nil(rows)
      assert.are.same({ lastID = 5, changes = 1 }, meta)
    end)

    it("INSERT gives lastID and changes; plain is ignored", function()
      -- Sequelize: [6, 1]; two rows [8, 2]; { plain: true, type: INSERT } -> [9, 1]
      local id, n = db:query("INSERT INTO items (name) VALUES ('e')", { type = "INSERT" })
      assert.are.same({ 5, 1 }, { id, n })
      id, n = db:query("INSERT INTO items (name) VALUES ('f'), ('g')", { type = "INSERT" })
      assert.are.same({ 7, 2 }, { id, n })
      id, n = db:query("INSERT INTO items (name) VALUES ('h')", { type = "INSERT", plain = true })
      assert.are.same({ 8, 1 }, { id, n })
    end)

    it("UPDATE gives nil and changes; BULKUPDATE the changes alone", function()
      -- Sequelize: UPDATE -> [undefined, 2]; BULKUPDATE -> 3
      local a, b = db:query("UPDATE items SET name = 'y' WHERE id < 3", { type = "UPDATE" })
      assert.is_nil(a)
      assert.are.equal(2, b)
      local n, extra = db:query("UPDATE items SET name = 'y' WHERE id < 4", { type = "BULKUPDATE" })
      assert.are.equal(3, n)
      assert.is_nil(extra)
    end)

    it("DELETE gives nothing; BULKDELETE the changes", function()
      -- Sequelize: DELETE -> undefined; BULKDELETE -> 2
      assert.is_nil(db:query("DELETE FROM items WHERE id = 1", { type = "DELETE" }))
      assert.are.equal(2, db:query("DELETE FROM items WHERE id IN (2, 3)", { type = "BULKDELETE" }))
      assert.are.equal(1, count())
    end)

    it("UPSERT gives lastID and nil", function()
      -- Sequelize: [lastID, null]
      local id, second = db:query("INSERT INTO items (id, name) VALUES (4, 'up') ON CONFLICT (id) DO UPDATE SET name = 'up'",
        { type = "UPSERT" })
      assert.are.equal("number", type(id))
      assert.is_nil(second)
      assert.are.equal("up", db:query("SELECT name FROM items WHERE id = 4", { type = "SELECT" })[1].name)
    end)

    it("SHOWTABLES gives the list of names; VERSION the version string", function()
      -- Sequelize: ["items"]; a statement without a name column -> [null]
      local names = db:query("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'",
        { type = "SHOWTABLES" })
      assert.are.same({ "items" }, names)
      assert.are.equal('["items"]', Sequelize.stringify(names))
      local none = db:query("SELECT 1 AS a", { type = "SHOWTABLES" })
      assert.are.equal(1, #none)
      assert.is_true(support.is_null(none[1]))
      -- Sequelize: "3.52.0"
      local v = db:query("SELECT sqlite_version() AS version", { type = Sequelize.QueryTypes.VERSION })
      assert.is_truthy(type(v) == "string" and v:match("^%d+%.%d+%.%d+$"), tostring(v))
    end)

    it("Sequelize.QueryTypes holds Sequelize's fourteen names", function()
      -- Sequelize: {"SELECT":"SELECT",...,"SHOWCONSTRAINTS":"SHOWCONSTRAINTS"}
      for _, k in ipairs({ "SELECT", "INSERT", "UPDATE", "BULKUPDATE", "BULKDELETE", "DELETE", "UPSERT", "VERSION",
                           "SHOWTABLES", "SHOWINDEXES", "DESCRIBE", "RAW", "FOREIGNKEYS", "SHOWCONSTRAINTS" }) do
        assert.are.equal(k, Sequelize.QueryTypes[k])
      end
    end)

    it("an unknown type is an error naming the types expected, and runs nothing", function()
      -- Sequelize: an unknown type ('BOGUS', 'select', 5) runs the statement and gives undefined
      for _, t in ipairs({ "BOGUS", "select", 5 }) do
        local err = catch(function() db:query("DELETE FROM items", { type = t }) end)
        assert.are.equal("Error", err.name)
        assert.is_truthy(err.message:find("QueryTypes", 1, true), err.message)
        assert.is_truthy(err.message:find("BULKUPDATE", 1, true), err.message)
      end
      -- types whose result Sequelize reads from the SQL text are refused by name
      local err = catch(function() db:query("PRAGMA table_info(items)", { type = "DESCRIBE" }) end)
      assert.is_truthy(err.message:find("DESCRIBE", 1, true), err.message)
      assert.are.equal(4, count())
    end)
  end)
end)

describe("db:query forms Sequelize takes", function()
  it("{ query, values }, SQL with surrounding white space (trimmed, logged trimmed), logging = true", function()
    local log = {}
    local db = Sequelize.new("sqlite::memory:", { logging = function(s) log[#log + 1] = s end })
    local rows = db:query({ query = "SELECT ? AS a", values = { 5 } }, { type = "SELECT" })
    assert.are.equal(5, rows[1].a)
    db:query("  SELECT 1 AS b\n  ")
    assert.are.equal("Executing (default): SELECT 1 AS b", log[#log])
    local d2 = Sequelize.new("sqlite::memory:", { logging = true }) -- (Sequelize's deprecated true: the console)
    assert.are.equal(print, d2.options.logging)
    d2:close()
    db:close()
  end)

  it("{ query, bind } binds the object's bind; values or bind given twice is Sequelize's error", function()
    -- Sequelize 6.37.8: query({ query: 'SELECT $1 AS a', bind: [5] }, { type: 'SELECT' }) -> [{a:5}];
    -- query({ query, values: [1] }, { replacements: [2] }) -> Error "Both `sql.values` and
    -- `options.replacements` cannot be set at the same time"; likewise "Both `sql.bind` and
    -- `options.bind` cannot be set at the same time"
    local db = Sequelize.new("sqlite::memory:")
    assert.are.same({ { a = 5 } }, db:query({ query = "SELECT $1 AS a", bind = { 5 } }, { type = "SELECT" }))
    assert.are.same({ { a = "x" } }, db:query({ query = "SELECT $n AS a", bind = { n = "x" } }, { type = "SELECT" }))
    local err = catch(function() db:query({ query = "SELECT ? AS a", values = { 1 } }, { replacements = { 2 } }) end)
    assert.are.equal("Both `sql.values` and `options.replacements` cannot be set at the same time", err.message)
    err = catch(function() db:query({ query = "SELECT $1 AS a", bind = { 1 } }, { bind = { 2 } }) end)
    assert.are.equal("Both `sql.bind` and `options.bind` cannot be set at the same time", err.message)
    db:close()
  end)
end)

describe("db:query and what follows its statement", function()
  it("takes comments after the last `;` (Sequelize: [{ a: 1 }]) and refuses a second statement", function()
    local db = support.open()
    assert.same({ { a = 1 } }, db:query("SELECT 1 AS a; -- done", { type = "SELECT" }))
    assert.same({ { a = 1 } }, db:query("SELECT 1 AS a; /* x */ ;  \n", { type = "SELECT" }))
    for _, sql in ipairs({ "SELECT 1 AS a; SELECT 2", "CREATE TABLE x (a); DROP TABLE x" }) do
      assert.equal("query: only one statement may be run at a time",
        support.catch_message(function() db:query(sql) end).message)
    end
    assert.same({}, db:query("SELECT name FROM sqlite_master WHERE name = 'x'", { type = "SELECT" }))
  end)
end)

describe("db:query after another connection changed the table", function()
  -- Sequelize 6.37.8 (two Sequelize on one file): [{"a":1,"b":2,"c":3}], then [{"q":9}],
  -- [{"q":1,"r":2,"s":3}]; with a model, a rebuilt table of swapped columns [{"id":1,"a":"A","b":"B"}]
  local path
  before_each(function() path = os.tmpname() end)
  after_each(function() os.remove(path) end)

  it("names the columns as the table now has them, the first time too", function()
    local A, B = Sequelize.new("sqlite:" .. path), Sequelize.new("sqlite:" .. path)
    A:query("CREATE TABLE t (a, b, c)"); A:query("INSERT INTO t VALUES (1, 2, 3)")
    assert.same({ { a = 1, b = 2, c = 3 } }, (A:query("SELECT * FROM t")))
    B:query("DROP TABLE t"); B:query("CREATE TABLE t (q)"); B:query("INSERT INTO t VALUES (9)")
    assert.same({ { q = 9 } }, (A:query("SELECT * FROM t")))
    B:query("DROP TABLE t"); B:query("CREATE TABLE t (q, r, s)"); B:query("INSERT INTO t VALUES (1, 2, 3)")
    assert.same({ { q = 1, r = 2, s = 3 } }, (A:query("SELECT * FROM t", { type = "SELECT" })))
    assert.same({ q = 1, r = 2, s = 3 }, A:query("SELECT * FROM t", { type = "SELECT", plain = true }))
    B:query("DROP TABLE t"); B:query("CREATE TABLE t (x, y)")
    assert.same({}, A:query("SELECT * FROM t", { type = "SELECT" }))
    A:close(); B:close()
  end)

  it("with a model: each column fills its own attribute", function()
    local A, B = Sequelize.new("sqlite:" .. path), Sequelize.new("sqlite:" .. path)
    local D = Sequelize.DataTypes
    local U = A:define("U", { a = D.STRING, b = D.STRING }, { tableName = "t", timestamps = false })
    A:sync(); U:create{ a = "A", b = "B" }
    assert.same({ id = 1, a = "A", b = "B" }, A:query("SELECT * FROM t", { model = U })[1]:toJSON())
    B:query("CREATE TABLE t2 (id INTEGER PRIMARY KEY, b, a)"); B:query("INSERT INTO t2 SELECT id, b, a FROM t")
    B:query("DROP TABLE t"); B:query("ALTER TABLE t2 RENAME TO t")
    assert.same({ id = 1, a = "A", b = "B" }, A:query("SELECT * FROM t", { model = U })[1]:toJSON())
    A:close(); B:close()
  end)
end)

describe("db:query with a model, some of its columns selected", function()
  it("toJSON runs every getter, as Sequelize's query builds the rows with no attribute list", function()
    -- Sequelize 6.37.8: age with a getter ('A' + age), VIRTUAL v ('V' + name), getterMethods gm ('G'):
    -- sequelize.query('SELECT id, name FROM us', { model: U }) -> [{"gm":"G","age":"Aundefined","v":"Vn","id":1,"name":"n"}]
    -- (mapToModel the same; `name AS nm`: {"gm":"G","age":"Aundefined","v":"Vundefined","id":1,"nm":"n"});
    -- U.findAll({ attributes: ['id'] }) and queryInterface.select(U, 'us', { attributes: ['id'] }) -> [{"id":1}]
    local db = Sequelize.new("sqlite::memory:")
    local DataTypes = Sequelize.DataTypes
    local U = db:define("u", {
      age = { type = DataTypes.INTEGER, get = function(self) return "A" .. tostring(self:getDataValue("age")) end },
      name = DataTypes.STRING,
      v = { type = DataTypes.VIRTUAL, get = function(self) return "V" .. tostring(self.name) end },
    }, { timestamps = false, getterMethods = { gm = function() return "G" end } })
    db:sync()
    U:create{ age = 3, name = "n" }
    local r = db:query("SELECT id, name FROM us", { model = U })
    assert.are.same({ gm = "G", age = "Anil", v = "Vn", id = 1, name = "n" }, r[1]:toJSON())
    r = db:query("SELECT id, name AS nm FROM us", { model = U, mapToModel = true })
    assert.are.same({ gm = "G", age = "Anil", v = "Vnil", id = 1, nm = "n" }, r[1]:toJSON())
    assert.equal('[{"id":1}]', Sequelize.stringify(U:findAll{ attributes = { "id" } }))
    assert.equal('[{"id":1}]', Sequelize.stringify(db:getQueryInterface():select(U, "us", { attributes = { "id" } })))
    db:close()
  end)
end)

-- replacements / bind read through an __index that raises: the caller gets that error value as
-- it was raised (no leak under make sanitize), nothing is written, the connection (and a
-- transaction it runs in) usable after; positional ones are read raw (no __index, no __len)
describe("replacements and bind whose __index raises", function()
  it("raise the __index's error in every path, and nothing is written", function()
    local Sequelize = require("sequelua")
    local DataTypes = Sequelize.DataTypes
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local U = db:define("U", { name = DataTypes.STRING, n = DataTypes.INTEGER })
    local P = db:define("P", { t = DataTypes.STRING })
    U:hasMany(P); P:belongsTo(U)
    db:sync()
    local u = U:create({ name = "a", n = 1 }); P:create({ t = "x", UId = u.id })
    local function raising() return setmetatable({}, { __index = function(_, k) error({ mine = k }) end }) end
    local L = Sequelize.literal
    local calls = {
      function() return U:findAndCountAll({ where = L("name = :n"), replacements = raising() }) end,
      function() return U:max("n", { where = L("name = :n"), replacements = raising() }) end,
      function() return U:sum("n", { where = L("name = $n"), bind = raising() }) end,
      function() return U:count({ where = L("name = :n"), replacements = raising(), group = { "name" } }) end,
      function() return U:increment("n", { where = L("name = :n"), replacements = raising() }) end,
      function() return U:findAll({ include = { { model = P, separate = true, where = L("t = :t") } }, replacements = raising() }) end,
      function() return U:findAll({ include = { { model = P, where = L("t = :t") } }, replacements = raising(), limit = 1 }) end,
      function() return U:findOne({ where = L("name = :n"), replacements = raising() }) end,
      function() return u:getPs({ where = L("t = :t"), replacements = raising() }) end,
      function() return U:update({ n = 5 }, { where = L("name = $n"), bind = raising() }) end,
      function() return U:destroy({ where = L("name = $n"), bind = raising() }) end,
      function() return db:query("UPDATE Us SET n = :v", { replacements = raising() }) end,
      function() return db:query("UPDATE Us SET n = $v", { bind = raising(), type = "UPDATE" }) end,
      function() return db:query("SELECT :a", { replacements = raising(), type = "SELECT", plain = true }) end,
      function() return db:query({ query = "SELECT :a", values = raising() }) end,
    }
    local want = { "n", "n", "n", "n", "n", "t", "t", "n", "t", "n", "n", "v", "v", "a", "a" }
    for i, f in ipairs(calls) do
      local ok, err = pcall(f)
      assert.is_false(ok, "call " .. i)
      assert.equal(want[i], type(err) == "table" and err.mine, "call " .. i .. ": " .. tostring(err))
    end
    db:transaction(function(t)
      for i, f in ipairs(calls) do assert.is_false(pcall(f), "call " .. i) end
      U:create({ name = "b" }, { transaction = t })
    end)
    -- positional: read raw, a missing entry is Sequelize's error
    local ok, err = pcall(db.query, db, "SELECT ?", { replacements = raising() })
    assert.is_false(ok)
    assert.equal("Positional replacement (?) 1 has no entry in the replacement map (replacements[1] is nil).", err.message)
    assert.same({ 2, 1, 1 }, { U:count(), P:count(), U:findOne({ where = { name = "a" } }).n })
    db:close()
  end)
end)
