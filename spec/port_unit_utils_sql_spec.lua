-- Port of Sequelize v6's test/unit/utils/sql.test.js (branch v6), sqlite dialect.
-- injectReplacements (internal) is what db:query does with `replacements`: each case runs our
-- db:query(sql, { replacements }) on a real table and checks it returns the rows Sequelize's
-- expected sqlite text returns (values here are bound, Sequelize inlines them: README,
-- "Decisions that differ"). Where Sequelize expects its "unterminated string literal" error,
-- ours raises too (SQLite's syntax error, a SequelizeDatabaseError: see the note at the end).
-- "parses bind parameters following JSONB indexing": Sequelize leaves `$key` unreplaced (SQLite
-- binds NULL); here `$key` is a replacement like `:key` (README), so its missing entry raises.
-- Skipped (the SQL is Postgres syntax, an error in SQLite whether replaced or not):
--   "parses named/positional replacements followed by cast syntax" (`::string` cast),
--   "does not interpret ::x as a replacement, as it is a cast",
--   the $-quoted string tests (`$tag$ ... $tag$`, `$$ ... $$`, `z$$ :id x$$`: 6 named, 6 positional),
--   "parses named/positional replacements inside ARRAY[]" (only where dialect.supports.ARRAY),
--   "does not parse ?& and ?| operators as replacements (#14358)" (Postgres jsonb operators),
--   the E-prefixed / lowercase e string tests (Postgres E'' strings; in SQLite `E` is a column).
local Sequelize = require("sequelua")

describe("utils/sql (port of unit/utils/sql.test.js)", function()
  local db
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    db:query("CREATE TABLE users (id INTEGER, id2 INTEGER, json_col TEXT, `:id` TEXT, `?` TEXT, username TEXT, email TEXT, created_at TEXT, updated_at TEXT)")
    -- ids 0..4 (0 for the falsy case), id2 set apart from id, one JSON name that is truthy, a
    -- row whose id is the text the quoted ':id' / '?' / "'':id''" literals hold
    for i = 0, 4 do
      db:query("INSERT INTO users (id, id2, json_col, `:id`, `?`) VALUES (?, ?, ?, ?, ?)",
        { replacements = { i, 4 - i, i == 3 and '{"name":1}' or '{"name":"n"}', "c" .. i, "q" .. i } })
    end
    db:query("INSERT INTO users (id, id2) VALUES (':id', 9), ('?', 8), ('''?''', 7), (''':id''', 6), ('\\\\', 5)")
  end)
  teardown(function() db:close() end)

  local function same(sql, replacements, expected)
    local ours = db:query(sql, { replacements = replacements })
    local theirs = db:query(expected)
    assert.same(theirs, ours)
    return ours
  end

  local function fails(sql, replacements)
    local ok, err = pcall(db.query, db, sql, { replacements = replacements })
    assert.is_false(ok)
    assert.is_true(err:is(Sequelize.errors.BaseError))
  end

  describe("injectReplacements (named replacements)", function()
    it("parses named replacements", function()
      local rows = same("SELECT `:id` FROM users WHERE id = ':id' OR id = :id OR id = ''':id'''", { id = 1 },
        "SELECT `:id` FROM users WHERE id = ':id' OR id = 1 OR id = ''':id'''")
      assert.equal(3, #rows)
    end)

    it("throws if a named replacement is not provided as an own property", function()
      local ok, err = pcall(db.query, db, "SELECT * FROM users WHERE id = :toString", { replacements = { id = 1 } })
      assert.is_false(ok)
      assert.equal('Named replacement ":toString" has no entry in the replacement map.', err.message)
    end)

    it("parses named replacements following JSONB indexing", function()
      local rows = same("SELECT * FROM users WHERE json_col->>:key", { key = "name" },
        "SELECT * FROM users WHERE json_col->>'name'")
      assert.equal(1, #rows)
    end)

    it("parses named replacements followed by a semicolon", function()
      assert.equal(1, #same("SELECT * FROM users WHERE id = :id;", { id = 1 }, "SELECT * FROM users WHERE id = 1;"))
    end)

    -- Sequelize leaves `$key` to SQLite, which binds NULL (no rows); db:query takes SQLite's
    -- `$name` in replacements too (README, "Decisions that differ"), so an entry is required
    it("parses bind parameters following JSONB indexing", function()
      local ok, err = pcall(db.query, db, "SELECT * FROM users WHERE json_col->>$key", { replacements = { id = 1 } })
      assert.is_false(ok)
      assert.equal('Named replacement "$key" has no entry in the replacement map.', err.message)
    end)

    it("parses single letter named replacements", function()
      assert.equal(1, #same("SELECT * FROM users WHERE id = :a", { a = 1 }, "SELECT * FROM users WHERE id = 1"))
    end)

    it("does not consider the token to be a replacement if it does not follow '(', ',', '=' or whitespace", function()
      local rows = same("SELECT * FROM users WHERE id = abs(:id) OR id = coalesce('a',:id) OR id=:id OR id = :id", { id = 1 },
        "SELECT * FROM users WHERE id = abs(1) OR id = coalesce('a',1) OR id=1 OR id = 1")
      assert.equal(1, #rows)
    end)

    it("does not consider the token to be a bind parameter if it is part of a string with a backslash escaped quote, in dialects that support backslash escape", function()
      fails("SELECT * FROM users WHERE id = '\\' $id' OR id = $id", { id = 1 })
    end)

    it("does not consider the token to be a bind parameter if it is part of a string with a backslash escaped quote, in dialects that support standardConformingStrings = false", function()
      fails("SELECT * FROM users WHERE id = '\\' $id' OR id = $id", { id = 1 })
    end)

    it("considers the token to be a replacement if it is outside a string ending with an escaped backslash", function()
      local rows = same("SELECT * FROM users WHERE id = '\\\\' OR id = :id", { id = 1 },
        "SELECT * FROM users WHERE id = '\\\\' OR id = 1")
      assert.equal(2, #rows)
    end)

    it("does not consider the token to be a replacement if it is part of a string with an escaped backslash followed by a backslash escaped quote", function()
      fails("SELECT * FROM users WHERE id = '\\\\\\' :id' OR id = :id", { id = 1 })
    end)

    it("does not consider the token to be a replacement if it is in a single line comment", function()
      assert.equal(1, #same("\n SELECT * FROM users -- WHERE id = :id\n WHERE id = :id\n", { id = 1 },
        "\n SELECT * FROM users -- WHERE id = :id\n WHERE id = 1\n"))
      assert.equal(1, #same("\n SELECT * FROM users /*\n WHERE id = :id\n */\n WHERE id = :id\n", { id = 1 },
        "\n SELECT * FROM users /*\n WHERE id = :id\n */\n WHERE id = 1\n"))
    end)

    it("does not consider the token to be a replacement if it is in string but a previous comment included a string delimiter", function()
      assert.same({}, same("\n SELECT * FROM users -- '\n WHERE id = ' :id '\n", { id = 1 },
        "\n SELECT * FROM users -- '\n WHERE id = ' :id '\n"))
    end)
  end)

  describe("injectReplacements (positional replacements)", function()
    it("parses positional replacements", function()
      local rows = same("SELECT `?` FROM users WHERE id = '?' OR id = ? OR id = '''?''' OR id2 = ?", { 1, 2 },
        "SELECT `?` FROM users WHERE id = '?' OR id = 1 OR id = '''?''' OR id2 = 2")
      assert.equal(4, #rows)
    end)

    it("parses named replacements following JSONB indexing", function()
      assert.equal(1, #same("SELECT * FROM users WHERE json_col->>?", { "name" }, "SELECT * FROM users WHERE json_col->>'name'"))
    end)

    it("parses positional replacements followed by a semicolon", function()
      assert.equal(1, #same("SELECT * FROM users WHERE id = ?;", { 1 }, "SELECT * FROM users WHERE id = 1;"))
    end)

    it("does not consider the token to be a replacement if it does not follow '(', ',', '=' or whitespace", function()
      local rows = same("SELECT * FROM users WHERE id = abs(?) OR id = coalesce('a',?) OR id=? OR id = ?", { 2, 1, 3, 4 },
        "SELECT * FROM users WHERE id = abs(2) OR id = coalesce('a',1) OR id=3 OR id = 4")
      assert.equal(3, #rows)
    end)

    it("formats where clause correctly when the value is falsy", function()
      assert.equal(1, #same("SELECT * FROM users WHERE id = ?", { 0 }, "SELECT * FROM users WHERE id = 0"))
    end)

    it("formats arrays as an expression instead of an ARRAY data type", function()
      db:query("CREATE TABLE u1 (username, email, created_at, updated_at)")
      db:query("CREATE TABLE u2 (username, email, created_at, updated_at)")
      db:query("INSERT INTO u1 (username, email, created_at, updated_at) VALUES ?;", { replacements = { {
        { "john", "john@gmail.com", "2012-01-01 10:10:10", "2012-01-01 10:10:10" },
        { "michael", "michael@gmail.com", "2012-01-01 10:10:10", "2012-01-01 10:10:10" },
      } } })
      db:query([[
        INSERT INTO u2 (username, email, created_at, updated_at)
        VALUES
          ('john', 'john@gmail.com', '2012-01-01 10:10:10', '2012-01-01 10:10:10'),
          ('michael', 'michael@gmail.com', '2012-01-01 10:10:10', '2012-01-01 10:10:10');]])
      local a = db:query("SELECT * FROM u1 ORDER BY rowid")
      assert.equal(2, #a)
      assert.same(db:query("SELECT * FROM u2 ORDER BY rowid"), a)
    end)

    it("does not consider the token to be a replacement if it is part of a string with a backslash escaped quote", function()
      fails("SELECT * FROM users WHERE id = '\\' ?' OR id = ?", { 1 })
    end)

    it("does not consider the token to be a replacement if it is part of a string with a backslash escaped quote, in dialects that support standardConformingStrings = false", function()
      fails("SELECT * FROM users WHERE id = '\\' ?' OR id = ?", { 1 })
    end)

    it("considers the token to be a replacement if it is outside a string ending with an escaped backslash", function()
      assert.equal(2, #same("SELECT * FROM users WHERE id = '\\\\' OR id = ?", { 1 }, "SELECT * FROM users WHERE id = '\\\\' OR id = 1"))
    end)

    it("does not consider the token to be a replacement if it is part of a string with an escaped backslash followed by a backslash escaped quote", function()
      fails("SELECT * FROM users WHERE id = '\\\\\\' ?' OR id = ?", { 1 })
    end)

    it("does not consider the token to be a replacement if it is in a single line comment", function()
      assert.equal(1, #same("\n SELECT * FROM users -- WHERE id = ?\n WHERE id = ?\n", { 1 },
        "\n SELECT * FROM users -- WHERE id = ?\n WHERE id = 1\n"))
      assert.equal(1, #same("\n SELECT * FROM users /*\n WHERE id = ?\n */\n WHERE id = ?\n", { 1 },
        "\n SELECT * FROM users /*\n WHERE id = ?\n */\n WHERE id = 1\n"))
    end)

    it("does not consider the token to be a replacement if it is in string but a previous comment included a string delimiter", function()
      assert.same({}, same("\n SELECT * FROM users -- '\n WHERE id = ' ? '\n", { 1 },
        "\n SELECT * FROM users -- '\n WHERE id = ' ? '\n"))
    end)
  end)
end)
