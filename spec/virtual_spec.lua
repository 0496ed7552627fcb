-- DataTypes.VIRTUAL: attributes without a column (a getter's value, or one a setter turns
-- into columns). Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("VIRTUAL attributes", function()
  local db, log, User

  before_each(function()
    db, log = support.open()
    User = db:define("User", {
      first = DataTypes.STRING,
      last = DataTypes.STRING,
      hash = DataTypes.STRING,
      full = { type = DataTypes.VIRTUAL, get = function(self) return tostring(self.first) .. " " .. tostring(self.last) end },
      password = {
        type = DataTypes.VIRTUAL,
        set = function(self, v)
          self:setDataValue("password", v)
          self:setDataValue("hash", "h:" .. v)
        end,
        validate = { long = function(v) if #v < 3 then error("too short") end end },
      },
      plain = DataTypes.VIRTUAL,
      initial = { type = DataTypes.VIRTUAL(DataTypes.STRING, { "first" }),
                  get = function(self) return self.first:sub(1, 1) end },
    })
    db:sync()
    support.clear(log)
  end)

  after_each(function() db:close() end)

  it("has no column; its getter's value and stored values show in toJSON, getters first", function()
    assert.are.same({ "id", "first", "hash", "last", "createdAt", "updatedAt" }, support.column_names(db, "Users"))
    local u = User:create({ first = "ann", last = "b", password = "secret", plain = 5 })
    assert.are.equal("ann b", u.full)
    assert.are.equal("secret", u.password)
    assert.are.equal(5, u.plain)
    assert.are.equal("h:secret", u.hash)
    local json = tostring(u)
    assert.truthy(json:find('^{"full":"ann b","initial":"a","password":"secret","plain":5,"id":1,"first":"ann","hash":"h:secret"'))
    local ins = support.statements(log, "INSERT")[1]
    assert.falsy(ins:find("password", 1, true) or ins:find("full", 1, true) or ins:find("plain", 1, true))
    assert.are.equal(5, u:toJSON().plain)
    assert.are.equal("secret", u:get({ plain = true, raw = true }).password)
    assert.are.equal("secret", u:getDataValue("password"))
  end)

  it("a fetched row has the getters' values, not the stored ones (Sequelize)", function()
    User:create({ first = "ann", last = "b", password = "secret", plain = 5 })
    local f = User:findByPk(1)
    assert.is_nil(f.password)
    assert.is_nil(f.plain)
    assert.are.equal('{"full":"ann b","initial":"a","id":1,"first":"ann","hash":"h:secret","last":"b"}',
      (tostring(f):gsub(',"createdAt".*', "}")))
  end)

  it("in an attribute list it selects the fields it names; toJSON shows only the VIRTUAL ones listed", function()
    User:create({ first = "ann", last = "b" })
    support.clear(log)
    local g = User:findOne({ attributes = { "id", "initial" } })
    assert.truthy(support.statements(log, "SELECT")[1]:find("SELECT `id`, `first` FROM", 1, true))
    assert.are.equal('{"initial":"a","id":1,"first":"ann"}', tostring(g))
    local all = User:findAll({ attributes = { "id", "last" } })
    assert.are.equal('[{"id":1,"last":"b"}]', Sequelize.stringify(all))
    -- in an include's list too
    local Post = db:define("Post", { title = DataTypes.STRING })
    Post:belongsTo(User)
    db:sync()
    Post:create({ title = "t", UserId = 1 })
    local p = Post:findOne({ include = { { model = User, attributes = { "id", "initial" } } } })
    assert.are.equal("ann", p.User.first)
  end)

  it("a value selected under its name is its own value: its getter reads it, getDataValue gives it", function()
    -- Sequelize 6.37.8: attributes: ['id', 'cents', ['n', 'dollars']] -> x.dollars 2.5 (the
    -- getter), toJSON {"dollars":2.5,"id":1,"cents":250}, getDataValue('dollars') 3; with
    -- ['n', 'plainv'] (no getter) getDataValue('plainv') 3; likewise in an include's list
    local M = db:define("Price", {
      cents = DataTypes.INTEGER, n = DataTypes.INTEGER, plainv = DataTypes.VIRTUAL,
      dollars = { type = DataTypes.VIRTUAL, get = function(self) return (self:getDataValue("dollars") or 0) / 2 + self.cents / 100 - 1.5 end },
    }, { timestamps = false })
    local Tag = db:define("Tag", { t = DataTypes.STRING }, { timestamps = false })
    Tag:belongsTo(M)
    db:sync()
    M:create({ cents = 250, n = 3 })
    Tag:create({ t = "a", PriceId = 1 })
    local x = M:findAll({ attributes = { "id", "cents", { "n", "dollars" } } })[1]
    assert.are.equal(2.5, x.dollars)
    assert.are.equal(3, x:getDataValue("dollars"))
    assert.are.equal('{"dollars":2.5,"id":1,"cents":250}', tostring(x))
    assert.is_false(x:changed())
    local y = M:findOne({ attributes = { "id", { "n", "plainv" } } })
    assert.are.equal(3, y:getDataValue("plainv"))
    assert.are.equal(3, y.plainv)
    -- (Sequelize: {"id":1,"plainv":3}; here a VIRTUAL without a getter comes first: the keys
    -- are the same, their order is not Sequelize's)
    assert.are.same({ id = 1, plainv = 3 }, y:toJSON())
    local t = Tag:findOne({ include = { model = M, attributes = { "id", "cents", { "n", "dollars" }, { "cents", "plainv" } } } })
    assert.are.equal(2.5, t.Price.dollars)
    assert.are.equal(250, t.Price:getDataValue("plainv"))
    -- (Sequelize: {"dollars":2.5,"id":1,"cents":250,"plainv":250}; the order differs as above)
    assert.are.same({ dollars = 2.5, id = 1, cents = 250, plainv = 250 }, t.Price:toJSON())
    -- Sequelize 6.37.8: attributes: { exclude: ['dollars'], include: [['n', 'dollars']] } ->
    -- {"dollars":2.5,...}: the include's alias is the attribute's value, shown by its getter
    local z = M:findOne({ attributes = { exclude = { "dollars" }, include = { { "n", "dollars" } } } })
    assert.are.equal(2.5, z.dollars)
    assert.are.equal(3, z:getDataValue("dollars"))
    assert.truthy(tostring(z):find('"dollars":2.5', 1, true))
  end)

  it("the after hooks of a save see the VIRTUAL attributes changed; fields keeps unsaved ones changed", function()
    -- Sequelize 6.37.8: afterCreate / afterSave / afterUpdate see changed() with the VIRTUAL
    -- attributes set (["first","plain","id"] on create, ["plain"] on a save of it alone, which
    -- writes updatedAt), cleared after them; create({..}, { fields: ['first'] }) leaves
    -- ["plain","id"] changed, and a save then writes `id` and updatedAt
    local seen = {}
    local function note(what) return function(u) seen[#seen + 1] = what .. ":" .. table.concat(u:changed() or {}, ",") end end
    User:afterCreate(note("ac"))
    User:afterSave(note("as"))
    User:afterUpdate(note("au"))
    local u = User:create({ first = "a", plain = 5 })
    assert.are.same({ "ac:id,first,plain", "as:id,first,plain" }, seen)
    assert.is_false(u:changed())
    support.clear(seen)
    support.clear(log)
    u.plain = 6
    u:save()
    assert.are.same({ "as:plain", "au:plain" }, seen)
    assert.is_false(u:changed())
    assert.are.equal(1, #support.statements(log, "UPDATE"))
    assert.are.same({ "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
    support.clear(seen)
    local c = User:create({ first = "b", last = "z", plain = 1 }, { fields = { "first" } })
    assert.are.same({ "id", "plain" }, c:changed())
    assert.is_nil(c.last)
    support.clear(log)
    c:save()
    assert.are.same({ "id", "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
    assert.is_false(c:changed())
    -- bulkCreate's rows: changed() false, with fields or not (Sequelize)
    assert.is_false(User:bulkCreate({ { first = "x", plain = 2 } })[1]:changed())
    assert.is_false(User:bulkCreate({ { first = "x", plain = 2 } }, { fields = { "first" } })[1]:changed())
  end)

  it("a save of VIRTUAL attributes alone with no updatedAt to write returns after the before hooks", function()
    -- Sequelize 6.37.8 (timestamps false): u.v = 4; save() runs beforeUpdate only, no UPDATE,
    -- no afterUpdate / afterSave, and changed() stays ["v"] (its realFields are empty); so
    -- do save({ fields: ['v'] }), update({ v: 5 }) and save({ silent: true }) with timestamps;
    -- a later save({ fields: ['name'] }) writes name and clears nothing but name
    local T = db:define("T", { name = DataTypes.STRING, v = DataTypes.VIRTUAL }, { timestamps = false })
    local S = db:define("S", { name = DataTypes.STRING, v = DataTypes.VIRTUAL })
    db:sync()
    local seen = {}
    for _, h in ipairs({ "beforeUpdate", "afterUpdate", "afterSave" }) do
      T:addHook(h, function() seen[#seen + 1] = h end)
    end
    local u = T:create({ name = "a" })
    support.clear(log)
    support.clear(seen)
    u.v = 4
    u:save()
    assert.are.same({ "beforeUpdate" }, seen)
    assert.are.same({ "v" }, u:changed())
    u.v = 5
    u:save({ fields = { "v" } })
    assert.are.same({ "v" }, u:changed())
    assert.are.equal(0, #support.statements(log, "UPDATE"))
    u:save({ fields = { "name" } })
    assert.are.equal(1, #support.statements(log, "UPDATE"))
    assert.are.same({ "v" }, u:changed())
    local N = db:define("N", { name = DataTypes.STRING, v = DataTypes.VIRTUAL }, { timestamps = false })
    db:sync()
    local p = N:create({ name = "b" })
    p:update({ v = 5 })
    assert.are.same({ "v" }, p:changed())
    local s = S:create({ name = "c" })
    support.clear(log)
    s.v = 3
    s:save({ silent = true })
    assert.are.same({ "v" }, s:changed())
    assert.are.equal(0, #support.statements(log, "UPDATE"))
    s:save()
    assert.are.same({ "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
    assert.is_false(s:changed())
  end)

  it("a setter turns it into columns on update; its validators run when it is set", function()
    local u = User:create({ first = "ann", password = "secret" })
    support.clear(log)
    u:update({ first = "z", password = "newpass" })
    assert.are.same({ "first", "hash", "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
    assert.are.equal("h:newpass", support.raw(db, "SELECT hash FROM Users")[1].hash)
    local err = support.catch_error(function() u:update({ password = "no" }) end)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.same({ "password", "too short" }, { err.errors[1].path, err.errors[1].message })
    assert.are.equal("h:newpass", support.raw(db, "SELECT hash FROM Users")[1].hash)
    err = support.catch_error(function() User:create({ first = "x", password = "no" }) end)
    assert.are.equal("password", err.errors[1].path)
    assert.are.equal(1, User:count())
    -- set() and a plain field write go through the setter too
    u:set("password", "third")
    assert.are.equal("h:third", u.hash)
    u.password = "fourth"
    assert.are.equal("h:fourth", u.hash)
  end)

  it("allowNull = false is checked on create", function()
    local M = db:define("Signup", { email = DataTypes.STRING, confirm = { type = DataTypes.VIRTUAL, allowNull = false } })
    M:sync()
    local err = support.catch_error(function() M:create({ email = "a" }) end)
    assert.are.same({ "notNull Violation: Signup.confirm cannot be null" }, { err.message })
    assert.are.equal(1, M:create({ email = "a", confirm = "yes" }).id)
  end)

  it("is in rawAttributes; where and order on it are refused", function()
    assert.is_true(User.rawAttributes.full._virtual)
    local err = support.catch_message(function() User:findAll({ where = { full = "a b" } }) end)
    assert.truthy(err.message:find("full", 1, true))
    support.catch_message(function() User:findAll({ order = { { "full", "ASC" } } }) end)
  end)

  it("bulkCreate and a static update run its setter and write what it sets (Sequelize)", function()
    User:bulkCreate({ { first = "x", password = "bulk" } })
    assert.are.equal("h:bulk", support.raw(db, "SELECT hash FROM Users WHERE id = 1")[1].hash)
    support.clear(log)
    assert.are.equal(1, User:update({ password = "upd" }, { where = { id = 1 } }))
    assert.are.same({ "hash", "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
    assert.are.equal("h:upd", support.raw(db, "SELECT hash FROM Users WHERE id = 1")[1].hash)
  end)

  it("exclude and include attribute forms take VIRTUAL names; findAndCountAll too", function()
    User:create({ first = "ann", last = "b" })
    local ex = User:findAll({ attributes = { exclude = { "hash", "full" } } })
    assert.is_nil(ex[1]:toJSON().full)
    assert.are.equal("a", ex[1]:toJSON().initial)
    local inc = User:findAll({ attributes = { include = { "full" } } })
    assert.are.equal("ann b", inc[1]:toJSON().full)
    local fc = User:findAndCountAll({ attributes = { "id", "initial" } })
    assert.are.equal(1, fc.count)
    assert.are.equal('{"initial":"a","id":1,"first":"ann"}', tostring(fc.rows[1]))
    local err = support.catch_message(function() User:findAll({ attributes = { "plain" } }) end)
    assert.are.equal("Attempted a SELECT query for model 'User' as `User` without selecting any columns", err.message)
    assert.are.equal("SequelizeQueryError", err.name) -- (as when the list names nothing at all)
    assert.is_true(err:is(Sequelize.QueryError))
  end)

  it("toJSON shows the VIRTUAL attributes an attribute list names, at any level (Sequelize)", function()
    local Post = db:define("Post", { title = DataTypes.STRING })
    Post:belongsTo(User)
    db:sync()
    User:create({ first = "ann", last = "b" })
    Post:create({ title = "t", UserId = 1 })
    local p = Post:findOne({ include = { { model = User, attributes = { "id", "initial" } } } })
    assert.are.equal('{"initial":"a","id":1,"first":"ann"}', tostring(p.User))
    p = Post:findOne({ include = { { model = User, attributes = { "id", "first", "last" } } } })
    assert.are.equal('{"id":1,"first":"ann","last":"b"}', tostring(p.User))
    -- the fields of a VIRTUAL read, but the VIRTUAL not named: hidden
    local u = User:findOne({ attributes = { "first", "last" } })
    assert.are.equal('{"first":"ann","last":"b"}', tostring(u))
    -- exclude: every VIRTUAL not excluded shows, and its fields are read
    u = User:findOne({ attributes = { exclude = { "full" } } })
    assert.is_nil(u:toJSON().full)
    assert.are.equal("a", u:toJSON().initial)
    u = User:findOne({ attributes = { exclude = { "first", "hash" } } })
    assert.are.same({ "ann b", "ann", "a" }, { u:toJSON().full, u:toJSON().first, u:toJSON().initial })
  end)

  it("a VIRTUAL a beforeUpdate hook sets is validated; a static update validates the VIRTUAL it is given", function()
    User:create({ first = "a", password = "okay" })
    local function short(u) u.password = "x" end
    User:addHook("beforeUpdate", short)
    local err = support.catch_error(function() User:findByPk(1):update({ first = "c" }) end)
    assert.are.equal("password", err.errors[1].path)
    User:removeHook("beforeUpdate", short)
    err = support.catch_error(function() User:update({ password = "p" }, { where = { id = 1 } }) end)
    assert.are.equal("password", err.errors[1].path)
    assert.are.equal("h:okay", support.raw(db, "SELECT hash FROM Users")[1].hash)
  end)

  it("reload of a partial read shows what a full read shows", function()
    User:create({ first = "ann", last = "b" })
    local u = User:findOne({ attributes = { "id", "first", "last" } })
    assert.is_nil(u:toJSON().full)
    u:reload()
    assert.are.equal("ann b", u:toJSON().full)
  end)

  it("a save validates the VIRTUAL attributes it is about (Sequelize's fields)", function()
    User:create({ first = "a", password = "okay" })
    local u = User:findByPk(1)
    u.password = "no" -- too short, but not what the next calls save
    u:update({ first = "z" })
    u:save({ fields = { "first" } })
    assert.are.equal("z", support.raw(db, "SELECT first FROM Users")[1].first)
    local err = support.catch_error(function() u:save() end) -- now it is
    assert.are.equal("password", err.errors[1].path)
  end)

  it("validate() without fields checks every VIRTUAL of a fetched row, a save only those it writes", function()
    -- Sequelize 6.37.8: a fetched row of { a: STRING, v: { type: VIRTUAL, allowNull: false },
    -- w: { type: VIRTUAL, validate: { isNumeric: true } } }: t.validate() -> notNull Violation:
    -- Thing.v cannot be null; t.validate({ fields: ['a'] }) and t.b = 'c'; t.save() pass;
    -- t.w = 'x'; t.validate({ skip: ['v'] }) -> Validation isNumeric on w failed
    local T = db:define("Thing", { a = DataTypes.STRING, v = { type = DataTypes.VIRTUAL, allowNull = false },
                                   w = { type = DataTypes.VIRTUAL, validate = { isNumeric = true } } })
    T:sync()
    T:create({ a = "x", v = 1 })
    local t = T:findByPk(1)
    local err = support.catch_error(function() t:validate() end)
    assert.same({ "notNull Violation: Thing.v cannot be null", "v" }, { err.message, err.errors[1].path })
    t:validate({ fields = { "a" } })
    t.a = "y"
    t:save()
    t.w = "x"
    err = support.catch_error(function() t:validate({ skip = { "v" } }) end)
    assert.same({ "Validation error: Validation isNumeric on w failed" }, { err.message })
  end)

  it("set on a fetched row: changed() lists it, save validates it", function()
    local M = db:define("Form", { a = DataTypes.STRING, req = { type = DataTypes.VIRTUAL, allowNull = false } })
    M:sync()
    M:create({ a = "x", req = "ok" })
    local u = M:findOne()
    assert.is_false(u:changed())
    u.req = Sequelize.null
    assert.are.same({ "req" }, u:changed())
    local err = support.catch_error(function() u:save() end)
    assert.are.equal("notNull Violation: Form.req cannot be null", err.message)
    u.req = "fine"
    u:save()
    assert.is_false(u:changed())
  end)

  it("set to the value it holds is no change: nothing written; previous() gives the value it replaced", function()
    -- Sequelize 6.37.8 (a set compares with _.isEqual): after create({ password: 'p', plain: 1 }),
    -- u.password = 'p' -> changed() false, previous('password') 'p'; save() and update({ password: 'p' })
    -- write no UPDATE; u.plain = 1 -> false; u.plain = 2 -> ["plain"], previous('plain') 1,
    -- previous() {"plain":1}; save -> one UPDATE (updatedAt), then previous('plain') 2;
    -- update({ plain: 2 }) -> no UPDATE; a fetched row's plain = 3 -> previous('plain') undefined;
    -- _previousDataValues after create has plain: 1
    local u = User:create({ first = "ann", password = "pwd", plain = 1 })
    assert.are.equal(1, u._previousDataValues.plain)
    u.password = "pwd"
    u.plain = 1
    assert.is_false(u:changed())
    assert.are.equal("pwd", u:previous("password"))
    support.clear(log)
    u:save()
    u:update({ password = "pwd", plain = 1 })
    assert.are.equal(0, #support.statements(log, "UPDATE"))
    u.plain = { k = 1 }
    u:save()
    u.plain = { k = 1 } -- (an equal table: _.isEqual)
    assert.is_false(u:changed())
    u.plain = 2
    assert.are.same({ "plain" }, u:changed())
    assert.are.same({ k = 1 }, u:previous("plain"))
    assert.are.same({ plain = { k = 1 } }, u:previous())
    support.clear(log)
    u:save()
    assert.are.equal(1, #support.statements(log, "UPDATE"))
    assert.are.equal(2, u:previous("plain"))
    u:update({ plain = 2 })
    assert.are.equal(1, #support.statements(log, "UPDATE"))
    local f = User:findByPk(u.id)
    f.plain = 3
    assert.is_nil(f:previous("plain"))
    assert.are.same({}, f:previous())
  end)

  it("setDataValue of a VIRTUAL leaves previous() the value it had when saved", function()
    -- Sequelize 6.37.8: after create({ first: 'ann', plain: 1 }), setDataValue('plain', 2) ->
    -- changed() ["plain"], previous('plain') 1, previous() {"plain":1}; setDataValue('plain', 3) ->
    -- previous('plain') 1; save() -> changed() false, previous('plain') 3; build({ first: 'b' })
    -- then setDataValue('plain', 4) -> previous('plain') undefined
    local u = User:create({ first = "ann", plain = 1 })
    u:setDataValue("plain", 2)
    assert.are.same({ "plain" }, u:changed())
    assert.are.equal(1, u:previous("plain"))
    assert.are.same({ plain = 1 }, u:previous())
    u:setDataValue("plain", 3)
    assert.are.equal(1, u:previous("plain"))
    u:save()
    assert.is_false(u:changed())
    assert.are.equal(3, u:previous("plain"))
    local b = User:build({ first = "b" })
    b:setDataValue("plain", 4)
    assert.is_nil(b:previous("plain"))
  end)

  it("a save with `fields` leaving out a changed VIRTUAL keeps it changed, hooks or not (Sequelize)", function()
    -- Sequelize 6.37.8: u.v = 'x'; u.w = 'y'; u.n = 5; save({ fields: ['n', 'w'] }) -> changed() ["v"];
    -- save() then -> false (with a beforeUpdate hook the same)
    for _, hooked in ipairs({ false, true }) do
      local M = db:define("Vf", { n = DataTypes.INTEGER, v = DataTypes.VIRTUAL, w = DataTypes.VIRTUAL })
      if hooked then M:beforeUpdate(function() end) end
      M:sync()
      local u = M:create({ n = 1 })
      u.v, u.w, u.n = "x", "y", 5
      u:save({ fields = { "n", "w" } })
      assert.are.same({ "v" }, u:changed())
      u:save()
      assert.is_false(u:changed())
    end
  end)

  it("a VIRTUAL in `fields`: its setter's columns written when listed, on every write path", function()
    -- Sequelize: create(body, { fields: ['first', 'password', 'hash'] }) writes first and hash
    local f = { "first", "password", "hash" }
    local u = User:create({ first = "a", last = "x", password = "p1x" }, { fields = f })
    assert.are.same({ first = "a", hash = "h:p1x" }, { first = u.first, hash = u.hash })
    local row = db:query("SELECT first, last, hash FROM Users WHERE id = 1", { type = "SELECT" })[1]
    assert.are.same({ first = "a", last = Sequelize.null, hash = "h:p1x" }, row) -- (last not listed: not written)
    User:bulkCreate({ { first = "b", password = "p2x" } }, { fields = f })
    User:bulkCreate({ { first = "c", password = "p3x" } }, { fields = f, validate = true })
    User:build({ first = "d", password = "p4x" }):save({ fields = f })
    assert.are.equal(4, User:count())
    assert.are.equal("h:p4x", User:findOne({ where = { first = "d" } }).hash)
    User:update({ password = "s1x" }, { where = { id = 1 }, fields = { "password", "hash" } })
    assert.are.equal("h:s1x", User:findByPk(1).hash)
    -- the VIRTUAL's validator still runs when it is listed
    local ok, err = pcall(User.create, User, { first = "e", password = "no" }, { fields = f })
    assert.is_false(ok)
    assert.are.equal("SequelizeValidationError", err.name)
    assert.are.equal(4, User:count())
  end)

  it("create with `fields`: the VIRTUAL values still set on the instance, its hooks see them", function()
    -- Sequelize 6.37.8: beforeCreate u.hash = "hashed:" .. u.password, create({ name, password },
    -- { fields = { "name", "hash" } }) -> {"id":1,"name":"a","password":"secret","hash":"hashed:secret"},
    -- row hash "hashed:secret"; a VIRTUAL setter's column outside fields is on the instance
    -- ({"id":1,"name":"a","note":"nn","pw":"p","hash":"hp"}) but not written (hash null); the
    -- validators of a VIRTUAL (len, allowNull = false) that fields leaves out do not run
    local H = db:define("H", { name = DataTypes.STRING, password = DataTypes.VIRTUAL, hash = DataTypes.STRING },
      { timestamps = false, hooks = { beforeCreate = function(u) u.hash = "hashed:" .. tostring(u.password) end } })
    local W = db:define("W", { name = DataTypes.STRING, hash = DataTypes.STRING, note = DataTypes.VIRTUAL,
      pw = { type = DataTypes.VIRTUAL, set = function(self, v) self:setDataValue("pw", v); self:setDataValue("hash", "h" .. v) end,
             validate = { len = { 5, 10 } } },
      req = { type = DataTypes.VIRTUAL, allowNull = false } }, { timestamps = false })
    db:sync()
    local h = H:create({ name = "a", password = "secret" }, { fields = { "name", "hash" } })
    assert.are.equal('{"password":"secret","id":1,"hash":"hashed:secret","name":"a"}', tostring(h))
    assert.are.same({ { id = 1, hash = "hashed:secret", name = "a" } }, H:findAll({ raw = true }))
    local w = W:create({ name = "a", pw = "p", note = "nn" }, { fields = { "name" } })
    assert.are.equal('{"note":"nn","pw":"p","id":1,"hash":"hp","name":"a"}', tostring(w))
    assert.are.same({ { id = 1, hash = Sequelize.null, name = "a" } }, W:findAll({ raw = true }))
    assert.are.equal("Validation error: Validation len on pw failed",
      support.catch(W.create, W, { name = "b", pw = "p" }, { fields = { "name", "pw" } }).message)
  end)


  it("create with `fields`: toJSON shows the getters of the VIRTUAL attributes it names only", function()
    -- Sequelize 6.37.8 (its instance's _options.attributes are the fields), [j.full, j.initial, j.first]:
    -- create({ first: 'a' }, { fields: ['first'] }) -> [undefined, undefined, "a"];
    -- fields ['first', 'full'] -> ["b undefined", undefined, "b"]; no fields -> ["c undefined", "c", "c"]
    local j = User:create({ first = "a" }, { fields = { "first" } }):toJSON()
    assert.are.same({ nil, nil, "a" }, { j.full, j.initial, j.first })
    j = User:create({ first = "b" }, { fields = { "first", "full" } }):toJSON()
    assert.are.same({ "b nil", nil, "b" }, { j.full, j.initial, j.first })
    j = User:create({ first = "c" }):toJSON()
    assert.are.same({ "c nil", "c", "c" }, { j.full, j.initial, j.first })
    -- a VIRTUAL given a value shows its getter whatever fields says (Sequelize's set() stores
    -- every VIRTUAL given): create({ first: 'd', full: 'x' }, { fields: ['first'] }) -> ["d undefined", undefined, "d"]
    j = User:create({ first = "d", full = "x" }, { fields = { "first" } }):toJSON()
    assert.are.same({ "d nil", nil, "d" }, { j.full, j.initial, j.first })
  end)
  it("runs its built-in validators on the value set, as the return type's (Sequelize)", function()
    local V = db:define("V", { name = DataTypes.STRING,
      pw = { type = DataTypes.VIRTUAL, validate = { len = { 4, 8 }, isAlphanumeric = { msg = "alnum!" } } },
      at = { type = DataTypes.VIRTUAL(DataTypes.DATE), validate = { isAfter = "2020-01-01" } } })
    V:sync()
    local err = support.catch(V.create, V, { name = "a", pw = "ab!" })
    assert.are.equal("SequelizeValidationError", err.name)
    local got = {}
    for _, it in ipairs(err.errors) do
      got[#got + 1] = table.concat({ it.path, it.validatorKey, it.validatorName, it.message, it.value, it.original.message }, "|")
    end
    assert.are.same({ "pw|isAlphanumeric|isAlphanumeric|alnum!|ab!|alnum!",
                      "pw|len|len|Validation len on pw failed|ab!|Validation len on pw failed" }, got)
    assert.are.same({ 4, 8 }, err.errors[2].validatorArgs)
    err = support.catch(V.create, V, { name = "a", at = "2019-05-05T10:00:00Z" })
    assert.are.equal("Validation isAfter on at failed", err.errors[1].message)
    assert.are.equal(0, V:count())
    local v = V:create({ name = "a", pw = "abcde", at = "2021-01-01" })
    V:create({ name = "b" }) -- (a null is not checked)
    v.pw = "x"
    assert.are.equal("Validation error: Validation len on pw failed", support.catch(v.save, v).message)
    -- a static update builds an instance from the values: the VIRTUAL's validators run on it
    err = support.catch(V.update, V, { pw = "x" }, { where = {} })
    assert.are.equal("SequelizeValidationError", err.name)
    V:update({ pw = "abcd12" }, { where = { name = "b" } })
    assert.are.equal(2, V:count())
  end)

  it("with a getter, is validated on the value set, not the getter's (Sequelize)", function()
    -- Sequelize 6.37.8: create{ password = "abc" } -> "Validation error: Validation len on password
    -- failed", table empty; build():validate() fails too; isIn on the set value; allowNull = false
    -- checks the value set ("notNull Violation: A.v cannot be null" when none is given, B created
    -- although its getter gives null); a validator function receives the value set ("q")
    local P = db:define("P", { name = DataTypes.STRING, hash = DataTypes.STRING,
      password = { type = DataTypes.VIRTUAL, get = function() return nil end,
        set = function(self, v) self:setDataValue("password", v); self:setDataValue("hash", "h:" .. v) end,
        validate = { len = { 8, 100 } } },
      v = { type = DataTypes.VIRTUAL, get = function() return "virt" end, validate = { isIn = { { "virt" } } } },
    }, { timestamps = false })
    local A = db:define("A", { n = DataTypes.STRING,
      v = { type = DataTypes.VIRTUAL, allowNull = false, get = function() return "x" end } }, { timestamps = false })
    local B = db:define("B", { n = DataTypes.STRING,
      v = { type = DataTypes.VIRTUAL, allowNull = false, get = function() return nil end } }, { timestamps = false })
    local seen
    local C = db:define("C", { n = DataTypes.STRING,
      v = { type = DataTypes.VIRTUAL, get = function() return "G" end,
            validate = { f = function(x) seen = x end } } }, { timestamps = false })
    db:sync()
    local err = support.catch(P.create, P, { name = "a", password = "abc" })
    assert.are.equal("Validation error: Validation len on password failed", err.message)
    assert.are.equal(0, P:count())
    assert.are.equal("Validation error: Validation len on password failed",
      support.catch(function() return P:build({ name = "b", password = "xy" }):validate() end).message)
    P:create({ name = "c", password = "long enough" })
    err = support.catch(P.create, P, { name = "d", v = "other" })
    assert.are.equal("Validation error: Validation isIn on v failed", err.message)
    assert.are.equal(1, P:count())
    assert.are.equal("notNull Violation: A.v cannot be null", support.catch(A.create, A, { n = "a" }).message)
    assert.are.equal("x", A:create({ n = "a", v = "y" }).v)
    assert.are.equal(1, B:create({ n = "a", v = "q" }).id)
    C:create({ n = "a", v = "q" })
    assert.are.equal("q", seen)
  end)

  it("raw = true: build and create keep the value given, run no setter, mark nothing changed", function()
    -- Sequelize 6.37.8: create({ name = " a ", pw = "x", hash = "orig" }, { raw = true }) ->
    -- {"id":1,"name":" a ","pw":"x","hash":"orig"}, row hash "orig"; build(.., { raw = true })
    -- get("pw") "x"; set("vv", v, { raw = true }) and set({ hash = "q", vv = 2 }, { raw = true })
    -- on a fetched row: changed() false; set("vv", v): ["vv"]
    local R = db:define("R", { name = { type = DataTypes.STRING, set = function(self, v) self:setDataValue("name", v:match("^%s*(.-)%s*$")) end },
      pw = { type = DataTypes.VIRTUAL, set = function(self, v) self:setDataValue("hash", "h" .. v) end },
      hash = DataTypes.STRING, vv = DataTypes.VIRTUAL }, { timestamps = false })
    R:sync()
    local r = R:create({ name = " a ", pw = "x", hash = "orig" }, { raw = true })
    assert.are.equal('{"pw":"x","id":1,"hash":"orig","name":" a "}', tostring(r))
    assert.are.same({ { id = 1, hash = "orig", name = " a " } }, R:findAll({ raw = true }))
    assert.are.equal("x", R:build({ name = "a", pw = "x" }, { raw = true }):get("pw"))
    local f = R:findByPk(1)
    f:set("vv", "zz", { raw = true })
    assert.is_false(f:changed())
    assert.are.equal("zz", f.vv)
    f = R:findByPk(1)
    f:set({ hash = "q", vv = 2 }, { raw = true })
    assert.is_false(f:changed())
    f:set("vv", "zz")
    assert.are.same({ "vv" }, f:changed())
  end)

  it("an include's through attributes may name a VIRTUAL of the through model: its fields are read", function()
    -- Sequelize 6.37.8: findAll{ include = { model = Tag, through = { attributes = { "wv" } } } } ->
    -- [{"id":1,"title":"Hello","Tags":[{"id":1,"label":"x","PT":{"wv":"v7","w":7}}]}]
    local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local Tag = db:define("Tag", { label = DataTypes.STRING }, { timestamps = false })
    local PT = db:define("PT", { w = DataTypes.INTEGER,
      wv = { type = DataTypes.VIRTUAL(DataTypes.STRING, { "w" }), get = function(self) return "v" .. tostring(self:getDataValue("w")) end },
    }, { timestamps = false })
    Post:belongsToMany(Tag, { through = PT }); Tag:belongsToMany(Post, { through = PT })
    db:sync()
    local p = Post:create({ title = "Hello" })
    p:addTag(Tag:create({ label = "x" }), { through = { w = 7 } })
    assert.are.equal('[{"id":1,"title":"Hello","Tags":[{"id":1,"label":"x","PT":{"wv":"v7","w":7}}]}]',
      Sequelize.stringify(Post:findAll({ include = { model = Tag, through = { attributes = { "wv" } } } })))
  end)

  it("refuses options and validators it cannot honour, naming the attribute", function()
    local cases = {
      { { type = DataTypes.VIRTUAL, primaryKey = true }, "option 'primaryKey' is not supported on a VIRTUAL attribute" },
      { { type = DataTypes.VIRTUAL, validate = { len = 3 } }, "len needs { min, max }" },
      { { type = DataTypes.VIRTUAL, get = 5 }, "get must be a function" },
    }
    for _, c in ipairs(cases) do
      local err = support.catch_message(function() db:define("Bad", { v = c[1] }) end)
      assert.truthy(err.message:find("Bad.v", 1, true) and err.message:find(c[2], 1, true), err.message)
    end
    assert.are.equal("table", type(support.catch(DataTypes.VIRTUAL, 5)))
    local err = support.catch_message(function()
      db:define("Bad", { a = DataTypes.STRING, v = DataTypes.VIRTUAL(DataTypes.STRING, { "nope" }) })
    end)
    assert.truthy(err.message:find("Bad.v: VIRTUAL fields name an unknown attribute 'nope'", 1, true), err.message)
    assert.is_nil(db.models.Bad)
    db:define("Bad", { a = DataTypes.STRING, v = DataTypes.VIRTUAL(DataTypes.STRING, { "a" }) }):sync()
  end)

  it("a defaultValue is the attribute's own value on a new instance, stored raw (Sequelize)", function()
    local n = 0
    local D = db:define("D", {
      name = DataTypes.STRING,
      v = { type = DataTypes.VIRTUAL, defaultValue = "dv" },
      w = { type = DataTypes.VIRTUAL, defaultValue = function() n = n + 1; return n end },
      x = { type = DataTypes.VIRTUAL, defaultValue = "xd",
            get = function(self) return "<" .. tostring(self:getDataValue("x")) .. ">" end,
            set = function(self, val) self:setDataValue("x", val .. "!") end },
    })
    D:sync()
    -- Sequelize: dv 1 <xd>, toJSON has v, w, x; changed() false
    local u = D:create({ name = "a" })
    assert.are.same({ "dv", 1, "<xd>" }, { u.v, u.w, u.x })
    local j = u:toJSON()
    assert.are.same({ "dv", 1, "<xd>" }, { j.v, j.w, j.x })
    assert.is_false(u:changed())
    -- a value given goes through the setter and is changed (Sequelize: given 2 <g!> ["v","x"])
    local b = D:build({ v = "given", x = "g" })
    assert.are.same({ "given", 2, "<g!>" }, { b.v, b.w, b.x })
    assert.are.same({ "v", "x" }, support.sorted(b:changed()))
    -- a function default runs for a value given too (Sequelize 6.37.8: create, build with w
    -- given, build: 1 given 3)
    local g = D:build({ w = "given" })
    assert.are.same({ "given", 4 }, { g.w, D:build({}).w })
    -- a row read has no defaults (Sequelize: undefined undefined <undefined>)
    local f = D:findByPk(u.id)
    assert.are.same({ nil, nil, "<nil>" }, { f.v, f.w, f.x })
    local err = support.catch(function()
      db:define("E", { v = { type = DataTypes.VIRTUAL, defaultValue = DataTypes.NOW } })
    end)
    assert.truthy(err.message:find("E.v: the defaultValue of a VIRTUAL attribute must be a value or a function", 1, true))
  end)
end)

describe("VIRTUAL getters on rows a hooked model reads", function()
  it("show in toJSON as without hooks: no list or an exclude form shows them, a list only those it names", function()
    -- Sequelize 6.37.8 (a model with an empty beforeCreate hook): findOne, findAll, findByPk,
    -- reload and update all give {"id":1,"a":"x","b":"y","ab":"x-y"}; attributes ["a"] gives {"a":"x"};
    -- { exclude: ["b"] } gives {"id":1,"a":"x","ab":"x-undefined"}
    local db = support.open()
    local seen
    local User = db:define("User", { a = DataTypes.STRING, b = DataTypes.STRING,
      ab = { type = DataTypes.VIRTUAL, get = function(self) return tostring(self.a) .. "-" .. tostring(self.b) end } },
      { timestamps = false, hooks = { beforeCreate = function() end,
                                      beforeFindAfterOptions = function(o) seen = o.attributes end } })
    db:sync()
    User:create({ a = "x", b = "y" })
    local function json(r) return r:toJSON() end
    assert.are.same({ id = 1, a = "x", b = "y", ab = "x-y" }, json(User:findOne()))
    assert.are.same({ "id", "a", "b" }, seen) -- (the hooks see the columns)
    assert.are.same({ id = 1, a = "x", b = "y", ab = "x-y" }, json(User:findAll()[1]))
    local u = User:findByPk(1)
    assert.are.same({ id = 1, a = "x", b = "y", ab = "x-y" }, json(u))
    u:update({ a = "z" })
    assert.are.same({ id = 1, a = "z", b = "y", ab = "z-y" }, json(u))
    u:reload()
    assert.are.same({ id = 1, a = "z", b = "y", ab = "z-y" }, u:get({ plain = true }))
    assert.are.same({ a = "z" }, json(User:findOne({ attributes = { "a" } })))
    assert.are.same({ id = 1, a = "z", ab = "z-nil" }, json(User:findOne({ attributes = { exclude = { "b" } } })))
  end)

  it("reload keeps the VIRTUAL values the afterFind hook set on the row it read, not changed", function()
    -- Sequelize 6.37.8 (afterFind: u.setDataValue('extra', 'x' + u.id); u.label = 'L' + u.id,
    -- label's setter storing '[' + v + ']'): after u.name = 'q'; save(); reload():
    -- toJSON {"id":1,"name":"q","extra":"x1","label":"[L1]"}, changed() false
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING, extra = DataTypes.VIRTUAL,
      label = { type = DataTypes.VIRTUAL, set = function(self, v) self:setDataValue("label", "[" .. v .. "]") end } },
      { timestamps = false, hooks = { afterFind = function(r)
        for _, u in ipairs(getmetatable(r) == Sequelize.array_mt and r or { r }) do
          u:setDataValue("extra", "x" .. u.id)
          u.label = "L" .. u.id
        end
      end } })
    db:sync()
    User:create({ name = "a" })
    local u = User:findByPk(1)
    assert.are.same({ "extra", "label" }, u:changed())
    u.name = "q"
    u:save()
    u:reload()
    assert.are.same({ id = 1, name = "q", extra = "x1", label = "[L1]" }, u:toJSON())
    assert.is_false(u:changed())
    assert.are.equal("x1", u:getDataValue("extra"))
  end)
end)
