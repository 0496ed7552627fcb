-- bulkCreate's ignoreDuplicates, updateOnDuplicate and conflictAttributes: the rows the
-- database ends with are Sequelize's (checked against sequelize 6.37.8 + sqlite3, whose SQL
-- is the same clause on multi-row INSERTs); the instances returned carry the keys the rows
-- really have (Sequelize's sqlite dialect counts them back from the last rowid, which is wrong
-- once a row is skipped or updated), so each row is its own INSERT ... RETURNING.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("bulkCreate on conflict", function()
  local db, log, User

  local function rows()
    return support.raw(db, "SELECT id, name, n, m FROM Users ORDER BY id")
  end
  local function summary()
    local out = {}
    for i, r in ipairs(rows()) do
      out[i] = ("%d:%s:%s:%s"):format(r.id, r.name, tostring(support.is_null(r.n) and "-" or r.n),
        tostring(support.is_null(r.m) and "-" or r.m))
    end
    return table.concat(out, " ")
  end

  before_each(function()
    db, log = support.open()
    User = db:define("User", {
      name = { type = DataTypes.STRING, unique = true },
      n = DataTypes.INTEGER,
      m = DataTypes.INTEGER,
    })
    db:sync()
    User:bulkCreate({ { name = "a", n = 1 }, { name = "b", n = 2 } })
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("ignoreDuplicates skips the rows that conflict (INSERT OR IGNORE); the others get their keys", function()
    local out = User:bulkCreate({ { name = "a", n = 10 }, { name = "c", n = 3 } }, { ignoreDuplicates = true })
    -- (AUTOINCREMENT spends id 3 on the skipped row, as under Sequelize)
    assert.are.equal("1:a:1:- 2:b:2:- 4:c:3:-", summary())
    assert.is_nil(out[1].id)
    assert.are.equal(4, out[2].id)
    assert.is_false(out[2].isNewRecord)
    local ins = support.statements(log, "INSERT")
    assert.are.equal(2, #ins)
    assert.truthy(ins[1]:find("^INSERT OR IGNORE INTO `Users`"))
  end)

  it("updateOnDuplicate updates the listed attributes of the row the unique key finds", function()
    local out = User:bulkCreate({ { name = "b", n = 20, m = 5 }, { name = "d", n = 4 } }, { updateOnDuplicate = { "n" } })
    -- Sequelize: m stays (it is not listed); the conflict target is the unique key
    assert.are.equal("1:a:1:- 2:b:20:- 4:d:4:-", summary())
    assert.are.same({ 2, 4 }, { out[1].id, out[2].id })
    assert.truthy(support.statements(log, "INSERT")[1]:find(
      "ON CONFLICT (`name`) DO UPDATE SET `n`=EXCLUDED.`n` RETURNING `id`", 1, true))
  end)

  it("conflictAttributes names the target; createdAt is never updated (Sequelize)", function()
    local before = User:findByPk(1).createdAt
    User:bulkCreate({ { name = "a", n = 100, createdAt = "2001-01-01T00:00:00.000Z" } },
      { updateOnDuplicate = { "n", "createdAt" }, conflictAttributes = { "name" } })
    local u = User:findByPk(1)
    assert.are.equal(100, u.n)
    assert.are.equal(before, u.createdAt)
  end)

  it("a model without unique keys takes the primary key as the target", function()
    local T = db:define("Thing", { label = DataTypes.STRING })
    T:sync()
    T:bulkCreate({ { label = "x" } })
    local out = T:bulkCreate({ { id = 1, label = "y" }, { label = "z" } }, { updateOnDuplicate = { "label" } })
    assert.are.same({ 1, 2 }, { out[1].id, out[2].id })
    assert.are.same({ "y", "z" }, support.field(T:findAll({ order = { { "id" } } }), "label"))
  end)

  it("refuses malformed options before writing, naming the model and the attribute", function()
    local cases = {
      { { updateOnDuplicate = {} }, "updateOnDuplicate option only supports non-empty array." },
      { { updateOnDuplicate = "n" }, "updateOnDuplicate option only supports non-empty array." },
      { { updateOnDuplicate = { "nope" } }, "User.bulkCreate: updateOnDuplicate names an unknown attribute 'nope'" },
      { { updateOnDuplicate = { "n" }, conflictAttributes = { "zz" } },
        "User.bulkCreate: conflictAttributes names an unknown attribute 'zz'" },
      { { conflictAttributes = { "name" } }, "User.bulkCreate: conflictAttributes needs updateOnDuplicate" },
      { { ignoreDuplicates = "yes" }, "User.bulkCreate: ignoreDuplicates must be a boolean" },
      { { ignoreDuplicates = true, updateOnDuplicate = { "n" } }, "cannot be used together" },
      { { ignoreDuplicates = true, individualHooks = true }, "not supported with individualHooks" },
      { { conflictWhere = { n = 1 } }, "User.bulkCreate: conflictWhere needs updateOnDuplicate" },
      { { updateOnDuplicate = { "n" }, conflictWhere = 5 }, "User.bulkCreate: conflictWhere must be a where table" },
      { { updateOnDuplicate = { "n" }, conflictWhere = { zz = 1 } }, "Unknown attribute 'zz' in where of model User" },
    }
    for _, c in ipairs(cases) do
      local err = support.catch_message(function() User:bulkCreate({ { name = "new" } }, c[1]) end)
      assert.truthy(err.message:find(c[2], 1, true), err.message)
    end
    assert.are.equal(0, #support.statements(log, "INSERT"))
    assert.are.equal("1:a:1:- 2:b:2:-", summary())
  end)

  it("conflictWhere is the target's WHERE, written with its values, so a partial unique index matches", function()
    -- (Sequelize 6.37.8's sqlite: `ON CONFLICT (`k`) WHERE `live` = 1 DO UPDATE SET ...`)
    local P = db:define("P", { k = DataTypes.STRING, live = DataTypes.BOOLEAN, n = DataTypes.INTEGER }, {
      timestamps = false, indexes = { { unique = true, fields = { "k" }, where = { live = true } } } })
    P:sync()
    P:bulkCreate({ { k = "a", live = true, n = 1 }, { k = "a", live = false, n = 2 } })
    support.clear(log)
    P:bulkCreate({ { k = "a", live = true, n = 3 }, { k = "b", live = true, n = 4 } },
                 { updateOnDuplicate = { "n" }, conflictAttributes = { "k" }, conflictWhere = { live = true } })
    local sql = support.statements(log, "INSERT")[1]
    assert.truthy(sql:find("ON CONFLICT (`k`) WHERE `live` = 1 DO UPDATE SET `n`=EXCLUDED.`n`", 1, true), sql)
    local got = {}
    for i, r in ipairs(P:findAll{ order = { "id" } }) do got[i] = ("%s:%s:%d"):format(r.k, tostring(r.live), r.n) end
    assert.are.equal("a:true:3 a:false:2 b:true:4", table.concat(got, " "))
  end)

  it("conflictWhere's values are escaped literals: each reaches SQLite as given, one statement per where", function()
    -- (a partial index per value, its where the same condition: a row conflicts, and is updated,
    -- only when SQLite reads the written literal back as the value the row holds)
    local values = { "a'b", "a\\b", "x\ny", "-- c", "*/ x /*", "'); DROP TABLE P2; --", "é✓𝄞",
                     string.rep("q", 5000), "" }
    for i, v in ipairs(values) do
      local P = db:define("P" .. i, { k = DataTypes.STRING, s = DataTypes.STRING, n = DataTypes.INTEGER }, {
        timestamps = false, indexes = { { unique = true, fields = { "k" }, where = { s = v } } } })
      P:sync()
      local opts = { updateOnDuplicate = { "n" }, conflictAttributes = { "k" }, conflictWhere = { s = v } }
      P:bulkCreate({ { k = "a", s = v, n = 1 } }, opts)
      P:bulkCreate({ { k = "a", s = v, n = 2 }, { k = "b", s = v, n = 3 } }, opts)
      local got = {}
      for j, r in ipairs(P:findAll{ order = { "id" } }) do got[j] = r.k .. ":" .. r.n .. ":" .. tostring(r.s == v) end
      assert.are.equal("a:2:true b:3:true", table.concat(got, " "), ("value %d"):format(i))
    end
    -- two wheres over one model and one shape: each call its own statement
    local G = db:define("G", { k = DataTypes.STRING, g = DataTypes.STRING, n = DataTypes.INTEGER }, {
      timestamps = false, indexes = { { name = "g_a", unique = true, fields = { "k" }, where = { g = "a" } },
                                      { name = "g_b", unique = true, fields = { "k" }, where = { g = "b" } } } })
    G:sync()
    for round = 1, 2 do
      for _, g in ipairs({ "a", "b" }) do
        G:bulkCreate({ { k = "x", g = g, n = round }, { k = "y" .. round, g = g, n = 0 } },
                     { updateOnDuplicate = { "n" }, conflictAttributes = { "k" }, conflictWhere = { g = g } })
      end
    end
    local got = {}
    for j, r in ipairs(G:findAll{ where = { k = "x" }, order = { "g" } }) do got[j] = r.g .. ":" .. r.n end
    assert.are.equal("a:2 b:2", table.concat(got, " "))
    assert.are.equal(6, G:count())
  end)

  it("conflictWhere with a value that cannot be written into SQL text raises naming conflictWhere, writes nothing", function()
    support.clear(log)
    local err = support.catch_message(function()
      User:bulkCreate({ { name = "new" } }, { updateOnDuplicate = { "n" }, conflictWhere = { name = "a\0b" } })
    end)
    assert.truthy(err.message:find("conflictWhere", 1, true), err.message)
    assert.truthy(err.message:find("NUL", 1, true), err.message)
    assert.are.same({}, support.statements(log, "INSERT"))
    assert.are.equal("1:a:1:- 2:b:2:-", summary())
  end)

  it("updateOnDuplicate on a model with several unique keys needs conflictAttributes", function()
    -- Sequelize 6.37.8, V defined { email unique, code unique, n }, row (a, c1, 1):
    -- bulkCreate([{ email: 'b', code: 'c1', n: 3 }], { updateOnDuplicate: ['n'] }) sends
    -- ON CONFLICT (`email`) (the first unique key defined) and raises
    -- SequelizeUniqueConstraintError on code, the row left at n = 1. A Lua table keeps no
    -- definition order; taking code (first by column order) updated row 1 to n = 3.
    local V = db:define("V", {
      email = { type = DataTypes.STRING, unique = true },
      code = { type = DataTypes.STRING, unique = true },
      n = DataTypes.INTEGER,
    }, { timestamps = false, tableName = "vs" })
    V:sync()
    V:bulkCreate({ { email = "a", code = "c1", n = 1 } })
    support.clear(log)
    local err = support.catch_message(function()
      V:bulkCreate({ { email = "b", code = "c1", n = 3 } }, { updateOnDuplicate = { "n" } })
    end)
    assert.are.equal("V.bulkCreate: updateOnDuplicate on a model with several unique keys (code, email) needs"
      .. " conflictAttributes naming the one to update by (Sequelize takes the first defined, an order a Lua"
      .. " table does not keep)", err.message)
    assert.are.equal(0, #support.statements(log, "INSERT"))
    -- named: as Sequelize with that key first
    local e2 = support.catch_error(function()
      V:bulkCreate({ { email = "b", code = "c1", n = 3 } }, { updateOnDuplicate = { "n" }, conflictAttributes = { "email" } })
    end)
    assert.are.equal("SequelizeUniqueConstraintError", e2.name)
    V:bulkCreate({ { email = "a", code = "c1", n = 4 } }, { updateOnDuplicate = { "n" }, conflictAttributes = { "code" } })
    assert.are.equal(4, V:findByPk(1).n)
    -- ignoreDuplicates takes no target
    assert.are.equal(1, #V:bulkCreate({ { email = "z", code = "c1" } }, { ignoreDuplicates = true }))
    assert.are.equal(1, V:count())
  end)

  it("updateOnDuplicate drops a VIRTUAL attribute, as Sequelize keeps the table's attributes only", function()
    -- Sequelize 6.37.8, { email unique, name, vv VIRTUAL }, row (a, x):
    -- bulkCreate([{ email: 'a', name: 'y', vv: 1 }], { updateOnDuplicate: ['vv', 'name'] }) -> row (a, y);
    -- updateOnDuplicate: ['vv'] alone sends `DO UPDATE SET ;` (near ";": syntax error);
    -- conflictAttributes: ['vv'] -> no such column: vv
    local W = db:define("W", { email = { type = DataTypes.STRING, unique = true }, name = DataTypes.STRING,
      vv = DataTypes.VIRTUAL }, { timestamps = false, tableName = "ws" })
    W:sync()
    W:create({ email = "a", name = "x" })
    assert.are.equal(1, #W:bulkCreate({ { email = "a", name = "y", vv = 1 } }, { updateOnDuplicate = { "vv", "name" } }))
    assert.are.same({ { id = 1, email = "a", name = "y" } }, support.raw(db, "SELECT id, email, name FROM ws"))
    support.clear(log)
    assert.are.equal("updateOnDuplicate option only supports non-empty array.", support.catch_message(function()
      W:bulkCreate({ { email = "a", name = "z" } }, { updateOnDuplicate = { "vv" } })
    end).message)
    assert.are.equal("W.bulkCreate: conflictAttributes names the VIRTUAL attribute 'vv', which has no column",
      support.catch_message(function()
        W:bulkCreate({ { email = "a", name = "z" } }, { updateOnDuplicate = { "name" }, conflictAttributes = { "vv" } })
      end).message)
    assert.are.equal(0, #support.statements(log, "INSERT"))
  end)

  it("a conflict the clause does not cover still fails the whole bulkCreate", function()
    local err = support.catch_error(function()
      User:bulkCreate({ { name = "z" }, { id = 1, name = "q" } }, { updateOnDuplicate = { "n" } })
    end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.equal("1:a:1:- 2:b:2:-", summary())
  end)
  it("a row whose every attribute is defaulted takes the upsert clause too (the key written as NULL)", function()
    -- Sequelize 6.37.8 writes the primary key as NULL: INSERT INTO `Us` (`id`) VALUES (NULL)
    -- ON CONFLICT (`id`) DO UPDATE SET `id`=EXCLUDED.`id`; SQLite takes no ON CONFLICT after
    -- DEFAULT VALUES
    local U = db:define("U", { id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true } },
      { timestamps = false })
    local V = db:define("V", { code = { type = DataTypes.STRING, primaryKey = true }, b = DataTypes.STRING },
      { timestamps = false })
    db:sync()
    support.clear(log)
    local out = U:bulkCreate({ {} }, { updateOnDuplicate = { "id" } })
    assert.are.equal(1, out[1].id)
    assert.truthy(support.statements(log, "INSERT")[1]:find(
      "INSERT INTO `Us` (`id`) VALUES (?) ON CONFLICT (`id`) DO UPDATE SET `id`=EXCLUDED.`id`", 1, true))
    assert.are.equal(2, U:bulkCreate({ {} }, { ignoreDuplicates = true })[1].id)
    assert.are.equal(3, U:bulkCreate({ {} }, { updateOnDuplicate = { "id" }, conflictAttributes = { "id" } })[1].id)
    assert.are.same({ { id = 1 }, { id = 2 }, { id = 3 } }, support.raw(db, "SELECT id FROM Us ORDER BY id"))
    V:bulkCreate({ {} }, { updateOnDuplicate = { "b" } })
    V:bulkCreate({ {} }, { ignoreDuplicates = true })
    assert.are.equal(2, #support.raw(db, "SELECT code FROM Vs WHERE code IS NULL"))
  end)
  it("a literal in conflictWhere, and in the rows, takes the call's replacements (written as literals in the target)", function()
    -- Sequelize 6.37.8: conflictWhere = literal("s = :x"), replacements { x = "x'y" } ->
    -- ON CONFLICT (`k`) WHERE s = 'x''y' DO UPDATE SET ...; a row's literal(':v') takes them too
    local P = db:define("P", { k = DataTypes.STRING, s = DataTypes.STRING, n = DataTypes.INTEGER }, {
      timestamps = false, indexes = { { unique = true, fields = { "k" }, where = { s = "x'y" } } } })
    P:sync()
    P:bulkCreate({ { k = "a", s = "x'y", n = Sequelize.literal(":v") } }, { replacements = { v = 7 } })
    assert.are.equal(7, P:findByPk(1).n)
    support.clear(log)
    local base = { updateOnDuplicate = { "n" }, conflictAttributes = { "k" } }
    local function with(t)
      local o = {}
      for k, v in pairs(base) do o[k] = v end
      for k, v in pairs(t) do o[k] = v end
      return o
    end
    P:bulkCreate({ { k = "a", s = "x'y", n = 8 } },
      with{ conflictWhere = Sequelize.literal("s = :x"), replacements = { x = "x'y" } })
    assert.truthy(support.statements(log, "INSERT")[1]:find("ON CONFLICT (`k`) WHERE s = 'x''y' DO UPDATE", 1, true))
    P:bulkCreate({ { k = "a", s = "x'y", n = 9 }, { k = "b", s = "x'y", n = 1 } },
      with{ conflictWhere = Sequelize.literal("s = ?"), replacements = { "x'y" } })
    -- (a list expands as in any literal; SQLite matches no index to it, as under Sequelize)
    assert.truthy(support.catch_message(function()
      P:bulkCreate({ { k = "a", s = "x'y", n = 10 } },
        with{ conflictWhere = { s = { [Sequelize.Op.in_] = Sequelize.literal("(:x)") } }, replacements = { x = { "x'y", "q" } } })
    end).message:find("ON CONFLICT clause does not match", 1, true))
    assert.truthy(support.statements(log, "INSERT")[4]:find("WHERE `s` IN ('x''y', 'q') DO UPDATE", 1, true))
    assert.are.same({ { k = "a", n = 9 }, { k = "b", n = 1 } }, support.raw(db, "SELECT k, n FROM Ps ORDER BY id"))
    -- a missing replacement writes nothing
    support.clear(log)
    assert.are.equal('Named replacement ":x" has no entry in the replacement map.', support.catch_message(function()
      P:bulkCreate({ { k = "a", s = "x'y", n = 11 } }, with{ conflictWhere = Sequelize.literal("s = :x"), replacements = {} })
    end).message)
    assert.are.same({ { k = "a", n = 9 }, { k = "b", n = 1 } }, support.raw(db, "SELECT k, n FROM Ps ORDER BY id"))
    -- `?`s in both the rows and conflictWhere: the rows' take the first replacements, conflictWhere's
    -- the ones after them, as in Sequelize's one INSERT (Sequelize: n = 11, then b's 12 + 1)
    P:bulkCreate({ { k = "a", s = "x'y", n = Sequelize.literal("?") }, { k = "b", s = "x'y", n = Sequelize.literal("? + 1") } },
      with{ conflictWhere = Sequelize.literal("s = ?"), replacements = { 11, 12, "x'y" } })
    assert.are.same({ { k = "a", n = 11 }, { k = "b", n = 13 } }, support.raw(db, "SELECT k, n FROM Ps ORDER BY id"))
    -- too few: Sequelize's message; more than the `?`s (Sequelize leaves the last ones unused):
    -- raises here; either writes nothing
    assert.are.equal("Positional replacement (?) 3 has no entry in the replacement map (replacements[3] is nil).",
      support.catch_message(function()
        P:bulkCreate({ { k = "a", s = "x'y", n = Sequelize.literal("?") }, { k = "b", s = "x'y", n = Sequelize.literal("?") } },
          with{ conflictWhere = Sequelize.literal("s = ?"), replacements = { 1, "x'y" } })
      end).message)
    assert.truthy(support.catch_message(function()
      P:bulkCreate({ { k = "a", s = "x'y", n = Sequelize.literal("?") }, { k = "b", s = "x'y", n = 5 } },
        with{ conflictWhere = Sequelize.literal("s = ?"), replacements = { 1, "x'y", "x'y" } })
    end).message:find("conflictWhere takes the last 1 given, so the rows' literals must take the 2 before them, and took 1", 1, true))
    assert.are.same({ { k = "a", n = 11 }, { k = "b", n = 13 } }, support.raw(db, "SELECT k, n FROM Ps ORDER BY id"))
  end)

  it("positional replacements count on across the rows' statements, as over Sequelize's one INSERT", function()
    local Q = db:define("Q", { n = DataTypes.INTEGER }, { timestamps = false })
    Q:sync()
    -- (ignoreDuplicates: each row its own INSERT ... RETURNING)
    Q:bulkCreate({ { n = Sequelize.literal("?") }, { n = Sequelize.literal("? + 1") }, { n = 5 } },
      { replacements = { 10, 20 } })
    Q:bulkCreate({ { n = Sequelize.literal("?") }, { n = Sequelize.literal("? + 1") }, { n = 5 } },
      { replacements = { 30, 40 }, ignoreDuplicates = true })
    assert.are.same({ { n = 10 }, { n = 21 }, { n = 5 }, { n = 30 }, { n = 41 }, { n = 5 } },
      support.raw(db, "SELECT n FROM Qs ORDER BY id"))
  end)

  it("conflictWhere's `?`s take the first replacements when the rows hold no SQL value (extra ones unused)", function()
    -- Sequelize 6.37.8: conflictWhere = literal("s = ?"), replacements { "x", "unused" }, rows
    -- without literals -> ON CONFLICT (`k`) WHERE s = 'x' DO UPDATE ... (the row updated)
    local R = db:define("R", { k = DataTypes.STRING, s = DataTypes.STRING, n = DataTypes.INTEGER }, {
      timestamps = false, indexes = { { unique = true, fields = { "k" }, where = Sequelize.literal("s = 'x'") } } })
    R:sync()
    R:create({ k = "a", s = "x", n = 1 })
    R:bulkCreate({ { k = "a", s = "x", n = 5 } }, { updateOnDuplicate = { "n" }, conflictAttributes = { "k" },
      conflictWhere = Sequelize.literal("s = ?"), replacements = { "x", "unused" } })
    assert.are.same({ { k = "a", n = 5 } }, support.raw(db, "SELECT k, n FROM Rs ORDER BY id"))
  end)
end)
