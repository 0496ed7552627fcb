-- Error objects: names, messages, items, sql/parent, the class hierarchy and tostring.
-- Expectations were checked against Sequelize 6.37 on sqlite. Where Sequelize's message is
-- node-sqlite3's "SQLITE_CONSTRAINT: FOREIGN KEY constraint failed", API.md asks for SQLite's
-- own text ("FOREIGN KEY constraint failed") with the code kept in `parent`.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local E = Sequelize.errors

local function assert_tostring(err)
  assert.are.equal(err.name .. ": " .. err.message, tostring(err))
end

describe("Sequelize.errors", function()
  it("holds the error classes", function()
    for _, k in ipairs({ "BaseError", "ValidationError", "UniqueConstraintError", "ForeignKeyConstraintError",
                         "DatabaseError", "ConnectionError", "EagerLoadingError", "AssociationError" }) do
      assert.are.equal("table", type(E[k]), k)
    end
  end)
end)

describe("constraint errors", function()
  local db, Users, Posts

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Users = db:define("Users", {
      username = { type = DataTypes.STRING, allowNull = false, unique = true },
      email    = { type = DataTypes.STRING, unique = true },
    })
    Posts = db:define("Posts", {
      title  = DataTypes.STRING,
      userId = { type = DataTypes.INTEGER, references = { model = "Users", key = "id" } },
    })
    db:sync()
    Users:create({ username = "boris", email = "b@x.com" })
  end)

  after_each(function() db:close() end)

  local function assert_unique(err, path, value)
    -- Sequelize: name SequelizeUniqueConstraintError, message "Validation error",
    -- errors[1] = { message: "username must be unique", type: "unique violation",
    --               path: "username", value: "boris", validatorKey: "not_unique" }
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.equal("Validation error", err.message)
    assert.are.equal("SequelizeUniqueConstraintError: Validation error", tostring(err))
    assert.are.equal(1, #err.errors)
    local it = err.errors[1]
    assert.are.equal(path .. " must be unique", it.message)
    assert.are.equal("unique violation", it.type)
    assert.are.equal(path, it.path)
    if value ~= nil then assert.are.equal(value, it.value) end
    assert.are.equal("not_unique", it.validatorKey)
    assert.are.same({ path }, err.fields) -- Sequelize's sqlite dialect: the column names, a list
    assert.are.equal("string", type(err.sql))
    assert.are.equal("table", type(err.parent))
    assert.are.equal("SQLITE_CONSTRAINT", err.parent.code)
  end

  it("a duplicate unique column on create raises SequelizeUniqueConstraintError", function()
    local err = support.catch_error(function() Users:create({ username = "boris", email = "c@x.com" }) end)
    assert_unique(err, "username", "boris")
    assert.is_truthy(err.sql:upper():find("INSERT", 1, true))
    assert.are.equal(1, Users:count())
    assert.are.equal(0, Users:count({ where = { email = "c@x.com" } }))
  end)

  it("names the column that clashed", function()
    local err = support.catch_error(function() Users:create({ username = "other", email = "b@x.com" }) end)
    assert_unique(err, "email", "b@x.com")
    assert.are.equal(1, Users:count())
    assert.are.equal(0, Users:count({ where = { username = "other" } }))
  end)

  it("a UniqueConstraintError is a ValidationError and a BaseError, not a DatabaseError", function()
    -- Sequelize: UniqueConstraintError extends ValidationError
    local err = support.catch_error(function() Users:create({ username = "boris" }) end)
    assert.is_true(err:is(E.UniqueConstraintError))
    assert.is_true(err:is(E.ValidationError))
    assert.is_true(err:is(E.BaseError))
    assert.is_false(err:is(E.DatabaseError))
    assert.is_false(err:is(E.ForeignKeyConstraintError))
    assert.are.equal(1, Users:count())
  end)

  it("instance update and static update to a taken value raise it too", function()
    local z = Users:create({ username = "z" })
    local err = support.catch_error(function() z:update({ username = "boris" }) end)
    assert_unique(err, "username", "boris")
    assert.is_truthy(err.sql:upper():find("UPDATE", 1, true))
    err = support.catch_error(function() Users:update({ username = "boris" }, { where = { id = z.id } }) end)
    assert_unique(err, "username", nil)   -- Sequelize has no value for a static update
    assert.are.equal("z", Users:findByPk(z.id).username)
    assert.are.equal(2, Users:count())
  end)

  it("increment and decrement into a taken value raise it with the unique msg, the instance's with its value", function()
    -- Sequelize 6.37.8, n = { unique: { msg: 'n taken' } }, rows n = 1 and 2:
    -- u1.increment('n'): message "n taken", errors[0] { message "n taken", path "n", value 1, instance u1 };
    -- User.increment('n', { where: { n: 1 } }): message "n taken", value null, no instance;
    -- u2.decrement('n'): value 2 (was: "Validation error", "n must be unique", no value or instance)
    local C = db:define("Counter", { n = { type = DataTypes.INTEGER, unique = { msg = "n taken" } } })
    C:sync()
    local u1, u2 = C:create({ n = 1 }), C:create({ n = 2 })
    local err = support.catch_error(function() u1:increment("n") end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.same({ "n taken", "n taken", "n", 1 }, { err.message, err.errors[1].message, err.errors[1].path, err.errors[1].value })
    assert.is_true(rawequal(u1, err.errors[1].instance))
    err = support.catch_error(function() C:increment("n", { where = { n = 1 } }) end)
    assert.are.same({ "n taken", "n taken", Sequelize.null }, { err.message, err.errors[1].message, err.errors[1].value })
    assert.is_nil(err.errors[1].instance)
    err = support.catch_error(function() u2:decrement("n") end)
    assert.are.same({ "n taken", 2 }, { err.message, err.errors[1].value })
    err = support.catch_error(function() C:decrement("n", { where = { n = 2 } }) end)
    assert.are.equal("n taken", err.message)
    assert.are.same({ 1, 2 }, { C:findByPk(u1.id).n, C:findByPk(u2.id).n })
  end)

  it("duplicates inside one bulkCreate raise it and write nothing", function()
    local err = support.catch_error(function() Users:bulkCreate({ { username = "y" }, { username = "y" } }) end)
    assert_unique(err, "username", nil)
    assert.are.equal(1, Users:count())
    -- (Sequelize 6.37.8, no instance to read it from: "value":null; a primary key alike:
    -- bulkCreate([{ id: 5 }, { id: 5 }]) -> {"message":"id must be unique",...,"path":"id","value":null})
    assert.are.equal(Sequelize.null, err.errors[1].value)
    err = support.catch_error(function() Users:bulkCreate({ { id = 5, username = "a" }, { id = 5, username = "b" } }) end)
    assert.are.same({ "id", Sequelize.null }, { err.errors[1].path, err.errors[1].value })
    err = support.catch_error(function() Users:create({ id = 1, username = "c" }) end)
    assert.are.same({ "id", 1 }, { err.errors[1].path, err.errors[1].value })
  end)

  it("a bad reference raises SequelizeForeignKeyConstraintError with SQLite's text", function()
    local err = support.catch_error(function() Posts:create({ title = "t", userId = 999 }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal("FOREIGN KEY constraint failed", err.message)
    assert_tostring(err)
    assert.are.equal("string", type(err.sql))
    assert.is_truthy(err.sql:upper():find("INSERT", 1, true))
    assert.are.equal("table", type(err.parent))
    assert.are.equal("SQLITE_CONSTRAINT", err.parent.code)
    -- Sequelize: ForeignKeyConstraintError extends DatabaseError
    assert.is_true(err:is(E.ForeignKeyConstraintError))
    assert.is_true(err:is(E.DatabaseError))
    assert.is_true(err:is(E.BaseError))
    assert.is_false(err:is(E.ValidationError))
    assert.are.equal(0, Posts:count())
  end)

  it("deleting a referenced row raises SequelizeForeignKeyConstraintError and keeps it", function()
    local u = Users:findOne({ where = { username = "boris" } })
    local p = Posts:create({ title = "ok", userId = u.id })
    assert.are.equal(u.id, Posts:findByPk(p.id).userId)
    local err = support.catch_error(function() Users:destroy({ where = { id = u.id } }) end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal("FOREIGN KEY constraint failed", err.message)
    assert.is_truthy(err.sql:upper():find("DELETE", 1, true))
    err = support.catch_error(function() u:destroy() end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.are.equal(1, Users:count())
    assert.are.equal(1, Posts:count())
  end)
end)

describe("database errors", function()
  local db

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    db:query("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    db:query("INSERT INTO t (name) VALUES ('one')")
  end)

  after_each(function() db:close() end)

  it("bad raw SQL raises SequelizeDatabaseError with SQLite's message, sql and parent", function()
    -- Sequelize: message 'SQLITE_ERROR: near "SELEC": syntax error' (node-sqlite3's prefix);
    -- SQLite's own text is 'near "SELEC": syntax error'; parent.code "SQLITE_ERROR"
    local err = support.catch_error(function() db:query("SELEC nonsense") end)
    assert.are.equal("SequelizeDatabaseError", err.name)
    assert.are.equal('near "SELEC": syntax error', err.message)
    assert.are.equal('SequelizeDatabaseError: near "SELEC": syntax error', tostring(err))
    assert.are.equal("SELEC nonsense", err.sql)
    assert.are.equal("table", type(err.parent))
    assert.are.equal("SQLITE_ERROR", err.parent.code)
    assert.is_true(err:is(E.DatabaseError))
    assert.is_true(err:is(E.BaseError))
    assert.is_false(err:is(E.ValidationError))
    assert.is_false(err:is(E.ForeignKeyConstraintError))
    local rows = db:query("SELECT name FROM t", { type = "SELECT" })
    assert.are.equal(1, #rows)
  end)

  it("an unknown table or column", function()
    local err = support.catch_error(function() db:query("SELECT * FROM nosuchtable") end)
    assert.are.equal("SequelizeDatabaseError", err.name)
    assert.are.equal("no such table: nosuchtable", err.message)
    assert.are.equal("SELECT * FROM nosuchtable", err.sql)
    assert_tostring(err)
    err = support.catch_error(function() db:query("SELECT nosuchcol FROM t") end)
    assert.are.equal("SequelizeDatabaseError", err.name)
    assert.are.equal("no such column: nosuchcol", err.message)
    assert.are.equal("SELECT nosuchcol FROM t", err.sql)
  end)

  it("parent and original are the one driver error", function()
    -- Sequelize 6.37.8: err.original === err.parent for a DatabaseError and its subclasses
    -- (UniqueConstraintError, ForeignKeyConstraintError); was: two equal tables
    local err = support.catch_error(function() db:query("SELEC nonsense") end)
    assert.is_true(rawequal(err.parent, err.original))
    err = support.catch_error(function() db:query("INSERT INTO t (id, name) VALUES (1, 'dup')") end)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.is_true(rawequal(err.parent, err.original))
    db:query("CREATE TABLE c (tid INTEGER REFERENCES t (id))")
    err = support.catch_error(function() db:query("INSERT INTO c (tid) VALUES (99)") end)
    assert.are.equal("SequelizeForeignKeyConstraintError", err.name)
    assert.is_true(rawequal(err.parent, err.original))
    err.parent.mark = true
    assert.is_true(err.original.mark)
  end)

  it("a failing write changes nothing", function()
    local err = support.catch_error(function() db:query("INSERT INTO t (id, name) VALUES (1, 'dup')") end)
    -- a PRIMARY KEY clash through raw SQL is a constraint error (Sequelize: UniqueConstraintError)
    assert.is_true(err:is(E.BaseError))
    assert_tostring(err)
    local rows = db:query("SELECT name FROM t ORDER BY id", { type = "SELECT" })
    assert.are.equal(1, #rows)
    assert.are.equal("one", rows[1].name)
  end)
end)

describe("validation errors", function()
  it("are ValidationErrors and BaseErrors, and print as name: message", function()
    local db = Sequelize.new("sqlite::memory:")
    local Users = db:define("Users", { username = { type = DataTypes.STRING, allowNull = false } })
    db:sync()
    local err = support.catch_error(function() Users:create({}) end)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal("notNull Violation: Users.username cannot be null", err.message)
    assert.are.equal("SequelizeValidationError: notNull Violation: Users.username cannot be null", tostring(err))
    assert.is_true(err:is(E.ValidationError))
    assert.is_true(err:is(E.BaseError))
    assert.is_false(err:is(E.UniqueConstraintError))
    assert.is_false(err:is(E.DatabaseError))
    assert.are.equal(0, Users:count())
    db:close()
  end)

  it("their methods called with a dot, or is() given something that is not a class, raise instead of answering", function()
    -- (err.is(E.ValidationError) is E.ValidationError:is(nil): it answered false; err:is(nil), a
    -- misspelt class, answered false too. JavaScript: `err instanceof undefined` throws a TypeError)
    local db = Sequelize.new("sqlite::memory:")
    local Users = db:define("Users", { username = { type = DataTypes.STRING, allowNull = false,
                                                     validate = { len = { 2, 5 } } } })
    db:sync()
    local err = support.catch_error(function() Users:create({ username = "x" }) end)
    local function msg(f) return support.catch_error(f).message end
    assert.are.equal("err:is(...) is a method: call it with a colon, on an error object (got the class "
      .. "SequelizeValidationError)", msg(function() return err.is(E.ValidationError) end))
    assert.are.equal("err:get(...) is a method: call it with a colon, on an error object (got the string \"username\")",
      msg(function() return err.get("username") end))
    assert.are.equal("item:getValidatorKey(...) is a method: call it with a colon, on a ValidationErrorItem (got nil)",
      msg(function() return err.errors[1].getValidatorKey() end))
    assert.are.equal("err:is(...): expected an error class such as Sequelize.ValidationError, got nil (a misspelt "
      .. "class name?)", msg(function() return err:is(E.ValidationErr) end))
    assert.are.equal("err:is(...): expected an error class such as Sequelize.ValidationError, got the string "
      .. "\"SequelizeValidationError\" (compare err.name with a name)", msg(function() return err:is("SequelizeValidationError") end))
    assert.truthy(msg(function() return err:is({}) end):find("got table", 1, true))
    -- the colon forms answer as before
    assert.is_true(err:is(E.ValidationError))
    assert.is_false(err:is(E.DatabaseError))
    assert.are.equal(1, #err:get("username"))
    assert.are.equal("function.len", err.errors[1]:getValidatorKey())
    db:close()
  end)

  it("concatenate as their text (JavaScript's \"failed: \" + err)", function()
    -- node: "failed: " + new ValidationError("x") -> "failed: SequelizeValidationError: x"
    local err = E.ValidationError("x")
    assert.are.equal("failed: SequelizeValidationError: x", "failed: " .. err)
    assert.are.equal("SequelizeValidationError: x (1)", err .. " (" .. 1 .. ")")
    assert.are.equal("Error: a: SequelizeDatabaseError: b", E.Error("a") .. ": " .. E.DatabaseError("b"))
    local ok, e = pcall(function() return err .. {} end)
    assert.is_false(ok)
    assert.truthy(tostring(e):find("attempt to concatenate a table value", 1, true))
  end)

  it("a value of the wrong type gives an item holding that value", function()
    -- (Sequelize 6.37.8 writes these without typeValidation; with it, its items hold the value:
    -- {"message":"\"maybe\" is not a valid boolean",...,"path":"b","value":"maybe","validatorKey":"BOOLEAN validator"})
    local db = Sequelize.new("sqlite::memory:")
    local M = db:define("M", { n = DataTypes.INTEGER, b = DataTypes.BOOLEAN, d = DataTypes.DATE, o = DataTypes.DATEONLY })
    db:sync()
    local tbl = { x = 1 }
    for _, c in ipairs({ { "n", tbl, "Invalid value for M.n: expected an integer, got table" },
                         { "b", "maybe", "Invalid value for M.b: expected a boolean, got string" },
                         { "d", "not a date", "Invalid value for M.d: expected a date (an ISO-8601 string or seconds since the epoch), got string (not a valid date)" },
                         { "o", "2020-13-45", "Invalid value for M.o: expected a date (YYYY-MM-DD), got string (not a valid date)" } }) do
      local err = support.catch_error(function() M:create({ [c[1]] = c[2] }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal(c[3], err.message)
      assert.are.same({ c[1], "Validation error", "CORE" }, { err.errors[1].path, err.errors[1].type, err.errors[1].origin })
      assert.are.equal(c[2], err.errors[1].value)
    end
    -- the value is the next error's only when that error is about one
    local err = support.catch_error(function() M:findAll({ where = { nope = 1 } }) end)
    assert.is_nil(err.errors)
    assert.are.equal(0, M:count())
    db:close()
  end)
end)

describe("define errors", function()
  local db

  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  local function assert_names(err, model, attr)
    assert.are.equal("string", type(err.message))
    assert.is_truthy(err.message:find(model, 1, true), "message should name the model: " .. err.message)
    assert.is_truthy(err.message:find(attr, 1, true), "message should name the attribute: " .. err.message)
    assert_tostring(err)
  end

  it("an attribute without a type raises Sequelize's message", function()
    -- Sequelize: Error 'Unrecognized datatype for attribute "Gadget.colour"'
    local err = support.catch_error(function()
      db:define("Gadget", { colour = { allowNull = false }, size = DataTypes.INTEGER })
    end)
    assert.are.equal('Unrecognized datatype for attribute "Gadget.colour"', err.message)
    assert.are.equal("Error", err.name)
    assert.is_nil(db.models.Gadget)
  end)

  it("a type that is not a DataTypes value raises, naming model and attribute", function()
    local err = support.catch_error(function() db:define("Gadget", { colour = { type = "FOO" } }) end)
    assert_names(err, "Gadget", "colour")
    err = support.catch_error(function() db:define("Widget", { weight = 5 }) end)
    assert_names(err, "Widget", "weight")
    assert.is_nil(db.models.Gadget)
    assert.is_nil(db.models.Widget)
  end)

  it("an unknown attribute option raises, naming model and attribute", function()
    local err = support.catch_error(function()
      db:define("Gadget", { colour = { type = DataTypes.STRING, allownull = false } })
    end)
    assert_names(err, "Gadget", "colour")
    assert.is_nil(db.models.Gadget)
  end)

  it("a model that failed to define can be defined correctly afterwards", function()
    support.catch_error(function() db:define("Gadget", { colour = { type = "FOO" } }) end)
    local Gadget = db:define("Gadget", { colour = DataTypes.STRING })
    db:sync()
    Gadget:create({ colour = "red" })
    assert.are.equal("red", Gadget:findOne().colour)
  end)
end)

describe("error classes as Sequelize's", function()
  it("construct (a hook's own ValidationError), alias Sequelize.Error to BaseError, and keep parent for the driver's error", function()
    -- Sequelize: new ValidationError('Custom failure', [new ValidationErrorItem('bad',
    -- 'Validation error', 'name', 'v')]) -> "SequelizeValidationError: Custom failure", path name
    local item = Sequelize.ValidationErrorItem("bad", "Validation error", "name", "v")
    local e = Sequelize.ValidationError("Custom failure", { item })
    assert.equal("SequelizeValidationError: Custom failure", tostring(e))
    assert.same({ "name", "FUNCTION", "Validation error" }, { e.errors[1].path, e.errors[1].origin, e.errors[1].type })
    assert.is_true(e:is(Sequelize.ValidationError))
    assert.is_true(e:is(Sequelize.Error))
    assert.equal(Sequelize.BaseError, Sequelize.Error)
    assert.equal("SequelizeEmptyResultError", tostring(Sequelize.EmptyResultError()))
    assert.is_nil(e.parent)
    local db = support.open()
    local U = db:define("U", { name = { type = DataTypes.STRING, allowNull = false } })
    db:sync()
    local verr = support.catch_message(function() U:create{} end)
    assert.is_nil(verr.parent)
    assert.equal("[]", Sequelize.stringify(verr.errors[1].validatorArgs))
    local derr = support.catch_message(function() db:query("SELECT nope FROM nowhere") end)
    assert.is_true(derr:is(Sequelize.DatabaseError))
    assert.is_true(derr:is(Sequelize.Error))
    assert.truthy(derr.parent)
    -- a hook raising its own ValidationError: create fails with it, nothing written
    U:addHook("beforeCreate", function(u)
      if u.name == "x" then error(Sequelize.ValidationError("no x", { Sequelize.ValidationErrorItem("no x", "Validation error", "name", "x") })) end
    end)
    local herr = support.catch_message(function() U:create{ name = "x" } end)
    assert.same({ "SequelizeValidationError", "no x", "name" }, { herr.name, herr.message, herr.errors[1].path })
    assert.equal(0, U:count())
  end)
end)

describe("error class constructors as Sequelize 6.37.8's", function()
  it("take Sequelize's option tables and parent errors, with its default messages", function()
    -- Sequelize 6.37.8: new UniqueConstraintError({ message: 'dup!', fields: { a: 1 }, errors: [item] })
    -- -> 'SequelizeUniqueConstraintError: dup!', 1 item 'unique violation', fields {"a":1},
    -- parent {"sql":"","name":"","message":""} (also its original)
    local u = Sequelize.UniqueConstraintError({ message = "dup!", fields = { a = 1 },
      errors = { Sequelize.ValidationErrorItem("m", "unique violation", "a", 1) } })
    assert.equal("SequelizeUniqueConstraintError: dup!", tostring(u))
    assert.same({ 1, "unique violation", '{"a":1}' }, { #u.errors, u.errors[1].type, Sequelize.stringify(u.fields) })
    assert.equal('{"message":"","name":"","sql":""}', Sequelize.stringify(u.parent))
    assert.equal(u.parent, u.original)
    assert.is_true(u:is(Sequelize.ValidationError))
    -- new ForeignKeyConstraintError({ message: 'fk!', fields: ['x'], table: 't', index: 'i',
    -- reltype: 'parent', value: 5 }) -> fk! t i parent 5, parameters {}; with only a parent
    -- error { message: 'pm', sql: 'S' }: message 'pm', sql 'S'
    local f = Sequelize.ForeignKeyConstraintError({ message = "fk!", fields = { "x" }, table = "t", index = "i",
      reltype = "parent", value = 5 })
    assert.same({ "fk!", "t", "i", "parent", 5, '["x"]', "{}" },
      { f.message, f.table, f.index, f.reltype, f.value, Sequelize.stringify(f.fields), Sequelize.stringify(f.parameters) })
    local f2 = Sequelize.ForeignKeyConstraintError({ parent = { message = "pm", sql = "S" } })
    assert.same({ "pm", "S" }, { f2.message, f2.sql })
    -- new DatabaseError(err) / TimeoutError(err) / ConnectionRefusedError(err): err's message
    local d = Sequelize.DatabaseError({ message = "boom", sql = "SELECT 1" })
    assert.same({ "SequelizeDatabaseError: boom", "SELECT 1", "boom" }, { tostring(d), d.sql, d.original.message })
    assert.equal("SequelizeTimeoutError: slow", tostring(Sequelize.TimeoutError({ message = "slow" })))
    local o = Sequelize.OptimisticLockError({ modelName = "M", values = { a = 1 }, where = { id = 1 } })
    assert.same({ "Attempting to update a stale model instance: M", "M", 1, 1 }, { o.message, o.modelName, o.values.a, o.where.id })
    -- constructed without arguments: 'Validation Error' (errors []), 'Validation Error',
    -- 'Database Error', 'The specified constraint does not exist', '', and
    -- 'Attempting to update a stale model instance: undefined'
    assert.equal("SequelizeValidationError: Validation Error", tostring(Sequelize.ValidationError()))
    assert.equal("[]", Sequelize.stringify(Sequelize.ValidationError().errors))
    assert.equal("[]", Sequelize.stringify(Sequelize.ValidationError("only msg").errors))
    assert.equal("SequelizeUniqueConstraintError: Validation Error", tostring(Sequelize.UniqueConstraintError()))
    assert.equal("SequelizeForeignKeyConstraintError: Database Error", tostring(Sequelize.ForeignKeyConstraintError()))
    assert.equal("SequelizeUnknownConstraintError: The specified constraint does not exist",
      tostring(Sequelize.UnknownConstraintError()))
    assert.equal("SequelizeExclusionConstraintError", tostring(Sequelize.ExclusionConstraintError()))
    assert.equal("Attempting to update a stale model instance: undefined", Sequelize.OptimisticLockError().message)
    -- new ValidationError(undefined, [item]) -> 'Validation error: bad'
    assert.equal("Validation error: bad",
      Sequelize.ValidationError(nil, { Sequelize.ValidationErrorItem("bad", "Validation error", "a", 1) }).message)
    -- a hook raising one by hand: the create fails with it as made
    local db = support.open()
    local U = db:define("U", { name = DataTypes.STRING })
    db:sync()
    U:addHook("beforeCreate", function(inst)
      error(Sequelize.UniqueConstraintError({ message = "dup!", fields = { name = inst.name } }))
    end)
    local herr = support.catch_message(function() U:create{ name = "x" } end)
    assert.same({ "SequelizeUniqueConstraintError", "dup!", "x" }, { herr.name, herr.message, herr.fields.name })
  end)

  it("read Sequelize.null (JavaScript's null) as null, not as its address", function()
    -- Sequelize 6.37.8: new ValidationError(null, [new ValidationErrorItem('m1', 'Validation error', 'p', 1)])
    -- -> 'Validation error: m1'; new ValidationError(null, [new ValidationErrorItem('m1', 'bogus', 'p', 1)])
    -- -> 'null: m1'; new UniqueConstraintError({ message: null, parent: null, fields: null }) ->
    -- 'Validation Error'; new UniqueConstraintError(null) -> 'Validation Error';
    -- new ForeignKeyConstraintError(null) -> 'Database Error'; new Sequelize.Error(null) -> 'null';
    -- new OptimisticLockError({ modelName: null }) -> '... instance: null'
    local NULL = Sequelize.null
    local item = Sequelize.ValidationErrorItem("m1", "Validation error", "p", 1)
    assert.equal("Validation error: m1", Sequelize.ValidationError(NULL, { item }).message)
    assert.equal("null: m1", Sequelize.ValidationError(NULL, { Sequelize.ValidationErrorItem("m1", "bogus", "p", 1) }).message)
    -- new ValidationError(null, [{ message: 'm' }]) -> 'undefined: m'; with type: null -> 'undefined: m';
    -- with type: null, origin: null -> 'null: m'; with type: '', origin: 'CORE' -> 'CORE: m'
    assert.equal("undefined: m", Sequelize.ValidationError(NULL, { { message = "m" } }).message)
    assert.equal("undefined: m", Sequelize.ValidationError(NULL, { { message = "m", type = NULL } }).message)
    assert.equal("null: m", Sequelize.ValidationError(NULL, { { message = "m", type = NULL, origin = NULL } }).message)
    assert.equal("CORE: m", Sequelize.ValidationError(NULL, { { message = "m", type = "", origin = "CORE" } }).message)
    assert.equal("Validation Error", Sequelize.ValidationError(NULL, NULL).message)
    assert.equal("[]", Sequelize.stringify(Sequelize.ValidationError(NULL, NULL).errors))
    local u = Sequelize.UniqueConstraintError({ message = NULL, parent = NULL, fields = NULL })
    assert.same({ "Validation Error", "" }, { u.message, u.parent.message })
    assert.equal("SequelizeUniqueConstraintError: Validation Error", tostring(Sequelize.UniqueConstraintError(NULL)))
    assert.equal("SequelizeForeignKeyConstraintError: Database Error", tostring(Sequelize.ForeignKeyConstraintError(NULL)))
    assert.equal("null", Sequelize.Error(NULL).message)
    assert.equal("Attempting to update a stale model instance: null",
      Sequelize.OptimisticLockError({ modelName = NULL }).message)
  end)

  it("an AggregateError prints as Sequelize's toString, its errors one by one", function()
    -- Sequelize 6.37.8: String(new AggregateError([new Sequelize.Error('a'), new ValidationError('b'),
    -- new AggregateError([new ValidationError('x\ny'), new Sequelize.Error('z')]), 'str'])) ->
    -- 'AggregateError of:\n  SequelizeBaseError: a\n  SequelizeValidationError: b\n  AggregateError of:\n
    --     SequelizeValidationError: x\n      y\n    SequelizeBaseError: z\n  str\n'; of [] 'AggregateError of:\n\n';
    -- a bulkCreate({ validate: true }) of two rows failing len: 'AggregateError of:\n
    --   SequelizeBulkRecordError: Validation error: Validation len on a failed\n  (the same)\n'
    local inner = Sequelize.AggregateError({ Sequelize.ValidationError("x\ny"), Sequelize.Error("z") })
    assert.equal("AggregateError of:\n  SequelizeBaseError: a\n  SequelizeValidationError: b\n  AggregateError of:\n"
      .. "    SequelizeValidationError: x\n      y\n    SequelizeBaseError: z\n  str\n",
      tostring(Sequelize.AggregateError({ Sequelize.Error("a"), Sequelize.ValidationError("b"), inner, "str" })))
    assert.equal("AggregateError of:\n\n", tostring(Sequelize.AggregateError({})))
    local db = support.open()
    local T = db:define("T", { a = { type = DataTypes.STRING, validate = { len = { 1, 2 } } } })
    db:sync()
    local err = support.catch_error(function() T:bulkCreate({ { a = "xxx" }, { a = "yyy" } }, { validate = true }) end)
    local line = "  SequelizeBulkRecordError: Validation error: Validation len on a failed"
    assert.equal("AggregateError of:\n" .. line .. "\n" .. line .. "\n", tostring(err))
    assert.equal("x: " .. tostring(err), "x: " .. err)
    db:close()
  end)

  it("has every class Sequelize 6.37.8 exports, under its parent", function()
    -- Sequelize 6.37.8: Object.getPrototypeOf(C).name and new C(err).name
    local parents = {
      ConnectionError = { "AccessDeniedError", "ConnectionAcquireTimeoutError", "ConnectionRefusedError",
        "ConnectionTimedOutError", "HostNotFoundError", "HostNotReachableError", "InvalidConnectionError" },
      DatabaseError = { "ExclusionConstraintError", "ForeignKeyConstraintError", "TimeoutError", "UnknownConstraintError" },
      ValidationError = { "UniqueConstraintError" },
      BaseError = { "AggregateError", "AssociationError", "AsyncQueueError", "BulkRecordError", "ConnectionError",
        "DatabaseError", "EagerLoadingError", "EmptyResultError", "InstanceError", "OptimisticLockError",
        "QueryError", "SequelizeScopeError", "ValidationError" },
    }
    for parent, kids in pairs(parents) do
      for _, k in ipairs(kids) do
        local e = Sequelize[k]({ message = "z" })
        assert.is_true(e:is(Sequelize[parent]), k)
        assert.is_true(e:is(Sequelize.errors[k]), k)
        local want = k == "AggregateError" and k or k:find("^Sequelize") and k or "Sequelize" .. k
        assert.equal(want, e.name)
      end
    end
    assert.is_false(Sequelize.ConnectionRefusedError({ message = "refused" }):is(Sequelize.DatabaseError))
    assert.equal("SequelizeConnectionRefusedError: refused", tostring(Sequelize.ConnectionRefusedError({ message = "refused" })))
    assert.same({ CORE = "CORE", DB = "DB", FUNCTION = "FUNCTION" }, Sequelize.ValidationErrorItemOrigin)
    assert.equal("DB", Sequelize.ValidationErrorItemType["unique violation"])
  end)
end)

describe("a composite unique group's msg", function()
  it("is every column's item message, given on one column (Sequelize's uniqueKeys[name].msg)", function()
    local db = support.open()
    local Seat = db:define("Seat", {
      row = { type = DataTypes.STRING, unique = { name = "seat", msg = "Seat already booked" } },
      num = { type = DataTypes.STRING, unique = "seat" },
    })
    db:sync()
    Seat:create({ row = "A", num = "1" })
    local e = support.catch_message(function() Seat:create({ row = "A", num = "1" }) end)
    assert.equal("Seat already booked", e.message)
    local got = {}
    for _, it in ipairs(e.errors) do got[it.path] = it.message end
    assert.same({ row = "Seat already booked", num = "Seat already booked" }, got)
  end)
end)

describe("err.stack", function()
  -- Sequelize's errors are JavaScript Errors: err.stack is "Name: message" and the calls that
  -- led there ("    at fn (file:line:col)"), and JSON.stringify(err) leaves it out
  -- (JSON.stringify(new ValidationError('boom')) -> {"name":"SequelizeValidationError","errors":[]}).
  it("is the error's text and the calls that made it, not a field", function()
    local db = support.open()
    local U = db:define("U", { name = { type = DataTypes.STRING, allowNull = false } })
    db:sync()
    local function create_empty() return U:create({}) end -- (a named caller, to find in the stack)
    local ok, err = pcall(create_empty)
    assert.is_false(ok)
    local lines = {}
    for l in err.stack:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.equal("SequelizeValidationError: notNull Violation: U.name cannot be null", lines[1])
    local this_file = false
    for i = 2, #lines do
      assert.equal(1, lines[i]:find("    at ", 1, true), lines[i])
      assert.is_nil(lines[i]:find("errors.lua", 1, true)) -- (the error module's own calls left out)
      if lines[i]:find("errors_spec.lua:", 1, true) then this_file = true end
    end
    assert.is_true(this_file, err.stack)
    assert.is_true(#lines <= 21)
    -- not a field: tostring, pairs and stringify do not show it
    for k in pairs(err) do assert.are_not.equal("stack", k) end
    assert.equal("SequelizeValidationError: notNull Violation: U.name cannot be null", tostring(err))
    assert.is_nil(Sequelize.stringify(err):find("stack", 1, true))
    -- errors made by a constructor and raised by the database have one too
    local e2 = E.ValidationError("boom")
    assert.equal("SequelizeValidationError: boom", e2.stack:match("^[^\n]+"))
    local e3 = support.catch(function() db:query("SELECT * FROM nope") end)
    assert.equal("SequelizeDatabaseError: no such table: nope", e3.stack:match("^[^\n]+"))
    db:close()
  end)
end)
