-- Instance-level behaviour checked against Sequelize 6.37.8 + sqlite3 (the same models, rows
-- and calls in JavaScript, /tmp/sqz/ig_*.js): a primary key's set on a row that has one,
-- optimistic locking (`version`) through paranoid destroy / restore, getterMethods in the
-- toJSON of rows read, and version bookkeeping around increment, reload and changed().
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

local function rows_of(M)
  local out = {}
  for _, r in ipairs(M:findAll{ raw = true, order = { { M.primaryKeyAttribute or "a" } } }) do out[#out + 1] = r end
  return out
end

describe("setting a primary key", function()
  local db, log, U

  before_each(function()
    db, log = support.open()
    U = db:define("U", { n = DataTypes.INTEGER }, { timestamps = false })
    db:sync()
    U:bulkCreate{ { n = 1 }, { n = 2 } }
  end)

  it("is ignored on a row that has a key, by set, a field write and update", function()
    local u = U:findByPk(1)
    -- Sequelize: u.set('id', 5) -> u.id 1, changed() false, previous('id') 1
    u:set("id", 5)
    assert.equal(1, u.id)
    assert.is_false(u:changed())
    u.id = 6
    assert.equal(1, u.id)
    u:set{ id = 7, n = 10 }
    assert.equal(1, u.id)
    assert.same({ "n" }, u:changed()) -- Sequelize: [ 'n' ]
    support.clear(log)
    u:save()
    -- Sequelize: UPDATE `Us` SET `n`=$1 WHERE `id` = $2; rows [{id:1,n:10},{id:2,n:2}]
    assert.matches("^Executing %(default%): UPDATE `Us` SET `n`=%? WHERE `id` = %?;$", log[#log])
    assert.same({ { id = 1, n = 10 }, { id = 2, n = 2 } }, rows_of(U))
    -- Sequelize: u.update({ id: 8, n: 11 }) writes n only; update({ id: 9 }) writes nothing
    u:update{ id = 8, n = 11 }
    assert.equal(1, u.id)
    support.clear(log)
    u:update{ id = 9 }
    assert.equal(0, #support.statements(log, "UPDATE"))
    assert.equal(1, u.id)
    assert.is_false(u:changed())
    assert.same({ { id = 1, n = 11 }, { id = 2, n = 2 } }, rows_of(U))
  end)

  it("holds on built rows that have a key; a key without a value (or 0) can be set once", function()
    -- Sequelize: U.build({ id: 3, n: 3 }); b.id = 4 -> 3; saved as id 3
    local b = U:build{ id = 3, n = 3 }
    b.id = 4
    assert.equal(3, b.id)
    b:save()
    assert.equal(3, U:findByPk(3).n)
    -- Sequelize: U.build({ n: 4 }); c.id = 10 -> 10; c.id = 11 -> 10
    local c = U:build{ n = 4 }
    c.id = 10
    c.id = 11
    assert.equal(10, c.id)
    -- Sequelize: U.build({ id: 0 }); z.id = 5 -> 5 (0 is no value to JavaScript)
    local z = U:build{ id = 0, n = 1 }
    z.id = 5
    assert.equal(5, z.id)
    -- Sequelize: build({ id: 2, n: 1 }, { isNewRecord: false }); w.id = 3 -> 2
    local w = U:build({ id = 2, n = 1 }, { isNewRecord = false })
    w.id = 3
    assert.equal(2, w.id)
    -- Sequelize: a fetched row's y.id = null -> 2, changed() false
    local y = U:findByPk(2)
    y.id = nil
    assert.equal(2, y.id)
    assert.is_false(y:changed())
  end)

  it("holds for string and composite keys", function()
    local K = db:define("K", { code = { type = DataTypes.STRING, primaryKey = true }, n = DataTypes.INTEGER },
      { timestamps = false })
    local C = db:define("C", { a = { type = DataTypes.INTEGER, primaryKey = true },
                               b = { type = DataTypes.STRING, primaryKey = true }, n = DataTypes.INTEGER },
      { timestamps = false })
    db:sync()
    local k = K:create{ code = "a", n = 1 }
    k.code = "b"
    assert.equal("a", k.code) -- Sequelize: a, changed() false
    assert.is_false(k:changed())
    k:update{ code = "c" }
    assert.same({ { code = "a", n = 1 } }, K:findAll{ raw = true }) -- Sequelize: [{"code":"a","n":1}]
    local c = C:create{ a = 1, b = "x", n = 1 }
    c:set{ a = 2, b = "y", n = 2 }
    assert.same({ "n" }, c:changed()) -- Sequelize: 1 x [ 'n' ]
    support.clear(log)
    c:save()
    -- Sequelize: UPDATE `Cs` SET `n`=$1 WHERE `a` = $2 AND `b` = $3
    assert.matches("UPDATE `Cs` SET `n`=%? WHERE `a` = %? AND `b` = %?;$", log[#log])
    assert.same({ { a = 1, b = "x", n = 2 } }, C:findAll{ raw = true })
  end)

  it("set raw or by setDataValue is the key the row is written by (Sequelize's where() reads it)", function()
    local u = U:findByPk(1)
    -- Sequelize: u.set('id', 2, { raw: true }) -> 2, changed() false; u.n = 99; save:
    -- UPDATE `Us` SET `n`=$1 WHERE `id` = $2 (2): row 2 gets n 99
    u:set("id", 2, { raw = true })
    assert.equal(2, u.id)
    assert.is_false(u:changed())
    u.n = 99
    u:save()
    assert.same({ { id = 1, n = 1 }, { id = 2, n = 99 } }, rows_of(U))
    -- Sequelize 6.37.8: u.setDataValue('id', 1) -> changed() false, previous('id') 1 (it
    -- compares with _previousDataValues, which the raw set left at the stored 1); save:
    -- UPDATE `Us` SET `n`=$1 WHERE `id` = $2 with the key set (1): row 1 gets n 55
    u:setDataValue("id", 1)
    assert.is_false(u:changed())
    assert.equal(1, u:previous("id"))
    u.n = 55
    support.clear(log)
    u:save()
    assert.matches("UPDATE `Us` SET `n`=%? WHERE `id` = %?;$", log[#log])
    assert.same({ { id = 1, n = 55 }, { id = 2, n = 99 } }, rows_of(U))
    assert.is_false(u:changed())
  end)
end)

describe("getterMethods in toJSON and get()", function()
  local db, U, P

  before_each(function()
    db = support.open()
    U = db:define("U", { first = DataTypes.STRING, last = DataTypes.STRING, n = DataTypes.INTEGER }, {
      timestamps = false,
      getterMethods = {
        full = function(self) return tostring(self.first) .. " " .. tostring(self.last) end,
        n = function(self) return (self:getDataValue("n") or 0) * 2 end,
      },
    })
    P = db:define("P", { t = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P)
    P:belongsTo(U)
    db:sync()
  end)

  it("show on rows built, created and included; not on rows read or reloaded", function()
    local u = U:create{ first = "a", last = "b", n = 1 }
    -- Sequelize: created {"full":"a b","n":2,"id":1,"first":"a","last":"b"}, get() and
    -- get({ plain: true }) the same
    local whole = { full = "a b", n = 2, id = 1, first = "a", last = "b" }
    assert.same(whole, u:toJSON())
    assert.same(whole, u:get())
    assert.same(whole, u:get{ plain = true })
    P:create{ t = "x", UId = 1 }
    -- Sequelize: findByPk / findAll {"n":2,"id":1,"first":"a","last":"b"} (the read's
    -- attributes: `full` is none of them); get('full') and f.full still "a b"
    local f = U:findByPk(1)
    local read = { n = 2, id = 1, first = "a", last = "b" }
    assert.same(read, f:toJSON())
    assert.same(read, f:get())
    assert.equal("a b", f:get("full"))
    assert.equal("a b", f.full)
    assert.same({ id = 1, first = "a", last = "b", n = 1 }, f.dataValues)
    assert.equal('[{"id":1,"first":"a","last":"b","n":2}]', Sequelize.stringify(U:findAll()))
    assert.same(read, U:findOne{ where = { first = "a" } }:toJSON())
    -- Sequelize: raw [{"id":1,"first":"a","last":"b","n":1}]
    assert.same({ { id = 1, first = "a", last = "b", n = 1 } }, U:findAll{ raw = true })
    -- Sequelize: attributes ['id','n'] -> [{"n":2,"id":1}]; exclude ['last'] -> [{"n":2,"id":1,"first":"a"}]
    assert.same({ n = 2, id = 1 }, U:findOne{ attributes = { "id", "n" } }:toJSON())
    assert.same({ n = 2, id = 1, first = "a" }, U:findOne{ attributes = { exclude = { "last" } } }:toJSON())
    -- Sequelize: include [{"n":2,"id":1,"first":"a","last":"b","Ps":[...]}]; an included U
    -- {"full":"a b","n":2,"id":1,"first":"a","last":"b"}
    local withp = U:findOne{ include = P }:toJSON()
    assert.is_nil(withp.full)
    assert.equal(1, #withp.Ps)
    assert.same(whole, P:findOne{ include = U }:toJSON().U)
    -- Sequelize: the created row reloaded {"n":2,"id":1,"first":"a","last":"b"}
    u:reload()
    assert.same(read, u:toJSON())
    -- Sequelize: a row read, then updated: {"n":6,"id":1,"first":"a","last":"b"}
    f:update{ n = 3 }
    assert.equal('{"id":1,"first":"a","last":"b","n":6}', tostring(f))
    -- Sequelize: create({ first: 'e', last: 'f' }, { fields: ['first', 'last'] }) -> {"id":2,"first":"e","last":"f"}
    local c = U:create({ first = "e", last = "f", n = 4 }, { fields = { "first", "last" } })
    assert.equal('{"id":2,"first":"e","last":"f"}', tostring(c))
    assert.equal("e f", c.full)
    -- built: Sequelize {"full":"c d","n":0,"id":null,"first":"c","last":"d"}
    assert.equal("c d", U:build{ first = "c", last = "d" }:toJSON().full)
  end)

  it("show on rows of a raw query with a model and of queryInterface select without attributes", function()
    U:create{ first = "a", last = "b", n = 1 }
    -- Sequelize: sequelize.query('SELECT * FROM Us', { model: U }) and qi.select(U, 'Us', {}) ->
    -- [{"full":"a b","n":2,"id":1,"first":"a","last":"b"}]; qi.select(U, 'Us', { attributes: ['first'] })
    -- -> [{"first":"a"}]
    local whole = { full = "a b", n = 2, id = 1, first = "a", last = "b" }
    assert.same(whole, db:query("SELECT * FROM Us", { model = U })[1]:toJSON())
    local qi = db:getQueryInterface()
    assert.same(whole, qi:select(U, "Us", {})[1]:toJSON())
    assert.same({ first = "a" }, qi:select(U, "Us", { attributes = { "first" } })[1]:toJSON())
  end)

  it("getters get the key and get()'s options, setters the value and the key", function()
    -- Sequelize 6.37.8 (test/integration/instance/values.test.js "should work with save" and
    -- "can pass parameters to getters"): a custom getter is called (key, options), a setter
    -- (value, key); get('rating') 5, get('rating', { apiVersion: 2 }) 100,
    -- get({ plain: true, apiVersion: 2 }) rating 100 and the included user's height 185
    local Contact = db:define("Contact", { tags = { type = DataTypes.STRING,
      get = function(self, f) return (self:getDataValue(f) or ""):upper() end,
      set = function(self, v, f) self:setDataValue(f, table.concat(v, ",")) end } }, { timestamps = false })
    local Product = db:define("product", { title = DataTypes.STRING }, { timestamps = false, getterMethods = {
      rating = function(self, key, o) assert.equal("rating", key); return (o.apiVersion or 0) > 1 and 100 or 5 end } })
    local Usr = db:define("user", { first_name = DataTypes.STRING }, { timestamps = false, getterMethods = {
      height = function(self, key, o) return (o.apiVersion or 0) > 1 and 185 or 6.06 end } })
    Product:belongsTo(Usr)
    db:sync()
    local c = Contact:build{ tags = { "yes", "no" } }
    assert.equal("yes,no", c:getDataValue("tags"))
    assert.equal("YES,NO", c.tags)
    c:save()
    assert.equal("YES,NO", Contact:findOne().tags)
    local p = Product:build({}, { include = { Usr } })
    p:set{ id = 1, title = "Chair", user = { id = 1, first_name = "J" } }
    assert.equal(5, p:get("rating"))
    assert.equal(5, p.rating)
    assert.equal(100, p:get("rating", { apiVersion = 2 }))
    assert.equal(5, p:get{ plain = true }.rating)
    assert.equal(6.06, p:get{ plain = true }.user.height)
    assert.equal(100, p:get{ plain = true, apiVersion = 2 }.rating)
    assert.equal(185, p:get{ plain = true, apiVersion = 2 }.user.height)
    assert.equal(185, p:get("user"):get("height", { apiVersion = 2 }))
  end)

  it("toJSON and stringify call the getters with { plain = true }, as Sequelize's get({ plain: true })", function()
    -- Sequelize 6.37.8: a getter (k, o) returning JSON.stringify([k, o]): toJSON() and
    -- JSON.stringify(p) {"rating":"[\"rating\",{\"plain\":true}]","title":"[\"title\",{\"plain\":true}]",...};
    -- p.title '["title",{}]'
    local function show(_, k, o) return k .. ":" .. Sequelize.stringify(o) end
    local P = db:define("Pg", { title = { type = DataTypes.STRING, get = show } },
      { timestamps = false, getterMethods = { rating = show } })
    local p = P:build({ id = 1, title = "x" })
    assert.same({ 'title:{"plain":true}', 'rating:{"plain":true}' }, { p:toJSON().title, p:toJSON().rating })
    local s = Sequelize.stringify(p)
    assert.truthy(s:find([["title":"title:{\"plain\":true}"]], 1, true), s)
    assert.truthy(s:find([["rating":"rating:{\"plain\":true}"]], 1, true), s)
    assert.same({ "title:{}", "rating:{}" }, { p.title, p.rating })
  end)
end)

describe("a through model's getters on join rows", function()
  local db, P, T

  before_each(function()
    db = support.open()
    P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    T = db:define("Tag", { name = DataTypes.STRING }, { timestamps = false })
    local PT = db:define("PostTag", {
      role = DataTypes.STRING,
      label = { type = DataTypes.VIRTUAL, get = function(self) return "L:" .. tostring(self:getDataValue("role")) end },
    }, { timestamps = false, getterMethods = { shout = function(self) return tostring(self:getDataValue("role")):upper() end } })
    P:belongsToMany(T, { through = PT })
    T:belongsToMany(P, { through = PT })
    db:sync()
    local p, t = P:create{ title = "p" }, T:create{ name = "t" }
    p:addTag(t, { through = { role = "x" } })
  end)

  it("show on join rows read whole, not on those read with through attributes", function()
    -- Sequelize 6.37.8 (JSON.stringify; key order aside):
    --   include [Tag]: PostTag {"shout":"X","label":"L:x","role":"x","PostId":1,"TagId":1}
    --   include through: { attributes: ['role'] }: PostTag {"role":"x"}
    --   p.getTags(): PostTag {"shout":"X","label":"L:x","role":"x","PostId":1,"TagId":1}
    --   p.getTags({ joinTableAttributes: ['role'] }): PostTag {"role":"x"}
    local whole = { shout = "X", label = "L:x", role = "x", PostId = 1, TagId = 1 }
    assert.same(whole, P:findAll{ include = T }[1]:toJSON().Tags[1].PostTag)
    local part = P:findAll{ include = { { model = T, through = { attributes = { "role" } } } } }
    assert.same({ role = "x" }, part[1]:toJSON().Tags[1].PostTag)
    assert.equal("L:x", part[1].Tags[1].PostTag.label) -- (the getter still answers when asked)
    local p = P:findByPk(1)
    assert.same(whole, p:getTags()[1]:toJSON().PostTag)
    assert.same({ role = "x" }, p:getTags{ joinTableAttributes = { "role" } }[1]:toJSON().PostTag)
  end)
end)

describe("optimistic locking (version) beyond save", function()
  local db, log

  before_each(function() db, log = support.open() end)

  -- (These held before this spec was written: the paranoid destroy and restore are saves.)
  it("a paranoid destroy and restore match the version read, add one, and refuse a stale row", function()
    local P = db:define("P", { n = DataTypes.INTEGER }, { version = true, paranoid = true })
    db:sync()
    local a = P:create{ n = 1 }
    local a2 = P:findByPk(1)
    support.clear(log)
    a:destroy()
    -- Sequelize: UPDATE `Ps` SET `deletedAt`=$1,`updatedAt`=$2,`version`=$3 WHERE `id` = $4 AND `version` = $5;
    -- a.version 1, changed() false, previous('version') 1
    assert.matches("UPDATE `Ps` SET `deletedAt`=%?,`updatedAt`=%?,`version`=%? WHERE `id` = %? AND `version` = %?;$",
      log[#log])
    assert.equal(1, a.version)
    assert.is_false(a:changed())
    assert.equal(1, a:previous("version"))
    -- Sequelize: SequelizeOptimisticLockError, values { deletedAt, updatedAt, version: 1 },
    -- where { id: 1, version: 0 }; a2 keeps version 0 and deletedAt as a change
    local err = support.catch_error(a2.destroy, a2)
    assert.equal("SequelizeOptimisticLockError", err.name)
    assert.equal("Attempting to update a stale model instance: P", err.message)
    assert.same({ id = 1, version = 0 }, err.where)
    assert.equal(1, err.values.version)
    assert.equal(0, a2.version)
    assert.same({ "deletedAt" }, a2:changed())
    local a3 = P:findByPk(1, { paranoid = false })
    a:restore()
    assert.equal(2, a.version) -- Sequelize: 2
    err = support.catch_error(a3.restore, a3) -- Sequelize: stale, where { id: 1, version: 1 }
    assert.equal("SequelizeOptimisticLockError", err.name)
    assert.same({ id = 1, version = 1 }, err.where)
    -- Sequelize: a pending change is written with the soft delete, version 3
    a.n = 7
    a:destroy()
    local row = P:findByPk(1, { paranoid = false, raw = true })
    assert.equal(7, row.n)
    assert.equal(3, row.version)
    assert.is_not_nil(row.deletedAt)
    -- saves of one shape (the kept UPDATE, bound in the SET order: updatedAt, then version)
    local ids = {}
    for i = 1, 3 do ids[i] = P:create{ n = i } end
    for i = 1, 3 do
      ids[i].n = 10 * i
      ids[i]:save()
    end
    -- Sequelize: UPDATE `Ps` SET `n`=$1,`updatedAt`=$2,`version`=$3 WHERE `id` = $4 AND `version` = $5
    assert.matches("UPDATE `Ps` SET `n`=%?,`updatedAt`=%?,`version`=%? WHERE", log[#log])
    for i = 1, 3 do
      local r = P:findByPk(ids[i].id, { raw = true })
      assert.same({ 10 * i, 1 }, { r.n, r.version })
    end
    -- Sequelize: destroying it again writes nothing (deletedAt is set already)
    support.clear(log)
    a:destroy()
    assert.equal(0, #log)
    assert.equal(3, a.version)
  end)

  it("the error's where names columns (Sequelize: { id = 1, lock_version = 0 } with underscored)", function()
    local db2 = support.open()
    local Q = db2:define("Q", { n = DataTypes.INTEGER }, { version = "lockVersion", underscored = true })
    db2:sync()
    Q:create({ n = 1 })
    local a, b = Q:findByPk(1), Q:findByPk(1)
    a:update({ n = 2 })
    local err = support.catch_error(function() b:update({ n = 3 }) end)
    assert.equal("SequelizeOptimisticLockError", err.name)
    assert.same({ id = 1, lock_version = 0 }, err.where)
    assert.equal(2, support.raw(db2, "SELECT n FROM qs")[1].n)
  end)

  it("a real delete matches the version but does not raise on a stale row (Sequelize)", function()
    local N = db:define("N", { n = DataTypes.INTEGER }, { version = true })
    db:sync()
    local b = N:create{ n = 1 }
    local b2 = N:findByPk(1)
    b.n = 2
    b:save()
    -- Sequelize: DELETE FROM `Ns` WHERE `id` = 1 AND `version` = 0; no error, the row stays
    b2:destroy()
    assert.matches("DELETE FROM `Ns` WHERE `id` = %? AND `version` = %?;$", log[#log])
    assert.equal(1, N:count())
    b:destroy()
    assert.equal(0, N:count())
  end)

  it("an instance without its version is refused before any SQL; a NULL version matches IS NULL", function()
    local B = db:define("B", { name = DataTypes.STRING }, { version = true, timestamps = false })
    db:sync()
    local b = B:create{ name = "a" }
    b.name = "b"
    b:save() -- (version 1 in the row)
    -- Sequelize 6.37.8: x.destroy() and y.save() of a row read with attributes ['id', 'name']
    -- reject with Error 'WHERE parameter "version" has invalid "undefined" value', no SQL sent
    local x = B:findByPk(b.id, { attributes = { "id", "name" } })
    support.clear(log)
    local err = support.catch_error(x.destroy, x)
    assert.equal("Error", err.name)
    assert.matches('WHERE parameter "version" has invalid "undefined" value', err.message, 1, true)
    assert.matches("B instance", err.message, 1, true)
    assert.equal(0, #log)
    assert.equal(1, B:count())
    local y = B:findByPk(b.id, { attributes = { "id", "name" } })
    y.name = "c"
    support.clear(log)
    err = support.catch_error(y.save, y)
    assert.equal("Error", err.name)
    assert.matches('WHERE parameter "version" has invalid "undefined" value', err.message, 1, true)
    assert.equal(0, #log)
    assert.equal("b", B:findByPk(b.id).name)
    -- a declared version attribute without a default: Sequelize's create writes none
    -- (INSERT INTO `Vs` (`id`,`name`,`createdAt`,`updatedAt`) ...), and the next save of
    -- that instance rejects with the same error
    local V = db:define("V", { name = DataTypes.STRING, version = DataTypes.STRING }, { version = true })
    V:sync()
    local v = V:create{ name = "a" }
    assert.is_nil(v.version)
    v.name = "b"
    err = support.catch_error(v.save, v)
    assert.matches('WHERE parameter "version" has invalid "undefined" value', err.message, 1, true)
    assert.matches("V instance", err.message, 1, true)
    -- the row read back holds NULL: Sequelize's save sends
    -- UPDATE `Vs` SET `name`=$1,`updatedAt`=$2,`version`=$3 WHERE `id` = $4 AND `version` IS NULL
    -- (and writes NaN, stored NULL; here the version becomes 1)
    local w = V:findByPk(v.id)
    w.name = "c"
    w:save()
    assert.matches("WHERE `id` = %? AND `version` IS %?;", log[#log])
    assert.same({ "c", "1" }, { V:findByPk(v.id).name, V:findByPk(v.id).version })
  end)

  it("increment and decrement add one to the version, whatever amounts are given", function()
    local A = db:define("A", { n = DataTypes.INTEGER, m = DataTypes.INTEGER }, { version = true, timestamps = false })
    db:sync()
    local a = A:create{ n = 1, m = 1 }
    local a2 = A:findByPk(1)
    -- Sequelize: UPDATE `As` SET `n`=`n`+ 1,`version`=`version`+ 1 WHERE `id` = 1; the
    -- instance's values stay as they were (a.version 0, a.n 1)
    a:increment("n")
    assert.equal(0, a.version)
    assert.equal(1, a.n)
    -- Sequelize: SET `n`=`n`- 2,`m`=`m`- 2,`version`=`version`- -1 (one more)
    a:decrement({ "n", "m" }, { by = 2 })
    -- Sequelize: increment({ n: 5, version: 10 }) -> `version`=`version`+ 1
    a:increment{ n = 5, version = 10 }
    a:reload()
    assert.equal('{"id":1,"m":-1,"n":5,"version":3}', tostring(a)) -- Sequelize: {"id":1,"n":5,"m":-1,"version":3}
    -- Sequelize: a stale instance's increment matches by key only: no error
    a2:increment("n")
    assert.equal(4, A:findByPk(1).version)
    -- the static ones too (Sequelize's instance increment is the static one)
    A:decrement("n", { where = { id = 1 } })
    A:increment({ m = 1, version = 7 }, { where = { id = 1 } })
    assert.equal(6, A:findByPk(1).version)
    a:reload()
    a.n = 100
    a:save()
    -- Sequelize: version 7, changed() false, previous('version') 7, previous() {}
    assert.equal(7, a.version)
    assert.is_false(a:changed())
    assert.equal(7, a:previous("version"))
    assert.same({}, a:previous())
  end)
end)

describe("previous()", function()
  it("is the value the last change replaced, as Sequelize's _previousDataValues", function()
    local db = support.open()
    local A = db:define("A", { n = DataTypes.INTEGER, m = DataTypes.INTEGER }, { version = true })
    db:sync()
    A:create{ n = 1 }
    local a = A:findByPk(1)
    -- Sequelize: a.n = 2; a.n = 3 -> previous('n') 2, previous() {"n":2}
    a.n = 2
    a.n = 3
    assert.equal(2, a:previous("n"))
    assert.same({ n = 2 }, a:previous())
    assert.same({ "n" }, a:changed())
    -- the same through update with another change pending (the core's path)
    a.m = 5
    a:update{ n = 4 }
    assert.same({ "m" }, a:changed())
    a.n = 6
    a.n = 7
    assert.equal(6, a:previous("n"))
    a:save()
    assert.equal(7, a:previous("n"))
    assert.is_false(a:changed())
    assert.equal(2, a.version)
    -- a model without version, setters or validators: instance update is the core's
    local B = db:define("B", { n = DataTypes.INTEGER, m = DataTypes.INTEGER }, { timestamps = false })
    B:sync()
    local b = B:create{ n = 1, m = 1 }
    b.n = 2
    b.m = 2
    b:update({ n = 3 }, { silent = true })
    assert.same({ "m" }, b:changed())
    b.m = 3
    assert.equal(2, b:previous("m")) -- Sequelize: 2
  end)
end)

-- Model.prototype: instance methods a caller adds, and a toJSON of its own that JSON (tostring,
-- Sequelize.stringify) calls, as JSON.stringify calls Sequelize's; an included instance is
-- written as its get({ plain = true }) (Sequelize's parent toJSON clones its children's plain
-- values), a list's instances through their toJSON.
describe("Model.prototype", function()
  local db, User, Post
  before_each(function()
    db = support.open()
    User = db:define("User", { name = DataTypes.STRING, password = DataTypes.STRING }, { timestamps = false })
    Post = db:define("Post", { title = DataTypes.STRING, secret = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post)
    function User.prototype:greet() return "hi " .. self.name end
    function User.prototype:toJSON()
      local v = self:get({ plain = true })
      v.password = nil
      return v
    end
    function Post.prototype:toJSON() return { title = self.title } end
    db:sync()
  end)
  after_each(function() db:close() end)

  it("adds methods and overrides toJSON (Sequelize: hi a {\"id\":1,\"name\":\"a\"} [{\"id\":1,\"name\":\"a\"}])", function()
    local u = User:create({ name = "a", password = "secret" })
    assert.equal("hi a", u:greet())
    assert.equal('{"id":1,"name":"a"}', tostring(u))
    assert.equal('[{"id":1,"name":"a"}]', Sequelize.stringify({ u }))
    assert.equal('{"user":{"id":1,"name":"a"}}', Sequelize.stringify({ user = u }))
    assert.equal("hi a", User:findByPk(1):greet())
    assert.is_nil(u:toJSON().password)
    -- the default toJSON still there for models without one, and get({ plain }) untouched
    assert.equal("secret", u:get({ plain = true }).password)
  end)

  it("an included instance is written plain, not through its own toJSON", function()
    local u = User:create({ name = "a", password = "pw" })
    Post:create({ title = "t", secret = "s", UserId = u.id })
    local r = User:findOne({ include = Post })
    -- Sequelize: {"id":1,"name":"a","Posts":[{"id":1,"title":"t","secret":"s","UserId":1}]}
    -- (User's toJSON gives a plain table: its keys come sorted)
    assert.equal('{"Posts":[{"UserId":1,"id":1,"secret":"s","title":"t"}],"id":1,"name":"a"}', tostring(r))
    assert.equal('[{"title":"t"}]', Sequelize.stringify(Post:findAll()))
    User.prototype.toJSON = nil -- the default toJSON: Posts written plain, Post's toJSON not called
    assert.equal('{"id":1,"name":"a","password":"pw","Posts":[{"id":1,"secret":"s","title":"t","UserId":1}]}',
      tostring(User:findOne({ include = Post })))
  end)

  it("a toJSON that raises raises from tostring, nothing kept", function()
    function User.prototype:toJSON() error("no json") end
    local u = User:create({ name = "a" })
    local ok, err = pcall(tostring, u)
    assert.is_false(ok)
    assert.truthy(tostring(err):find("no json", 1, true))
    function User.prototype:toJSON() return self end -- (itself: written as the default)
    assert.equal('{"id":1,"name":"a"}', tostring(u))
  end)
end)

describe("a new row saved with fields", function()
  it("keeps the values it did not write changed, and a later save writes them", function()
    -- Sequelize: changed() ["email","id"] after save({ fields: ['name'] }); the next save writes email
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING, email = DataTypes.STRING })
    db:sync()
    local u = User:build({ name = "bob", email = "e" })
    u:save({ fields = { "name" } })
    assert.equal(Sequelize.null, support.raw(db, "SELECT email FROM Users WHERE id = 1")[1].email)
    assert.same({ "id", "email" }, u:changed())
    u:save()
    assert.equal("e", User:findByPk(u.id).email)
    assert.is_false(u:changed())
    db:close()
  end)
end)

describe("set() of an included alias", function()
  local function users_and_posts()
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    User:hasMany(Post); Post:belongsTo(User)
    db:sync()
    return db, User, Post
  end

  it("replaces the included value with instances built from the value (Sequelize's _setInclude)", function()
    local db, User, Post = users_and_posts()
    User:create({ name = "a", Posts = { { title = "p1" } } }, { include = Post })
    local u = User:findByPk(1, { include = Post })
    u:set({ name = "b", Posts = { { title = "new" } } })
    -- Sequelize: {"id":1,"name":"b","Posts":[{"title":"new"}]}
    assert.equal('{"id":1,"name":"b","Posts":[{"title":"new"}]}', tostring(u))
    assert.is_false(u.Posts[1].isNewRecord)
    local p = Post:findByPk(1, { include = User })
    p:set("User", { id = 1, name = "zz" })
    -- Sequelize: {"id":1,"title":"p1","UserId":1,"User":{"id":1,"name":"zz"}}
    assert.equal('{"id":1,"title":"p1","UserId":1,"User":{"id":1,"name":"zz"}}', tostring(p))
    p:set("User", nil)
    assert.equal('{"id":1,"title":"p1","UserId":1,"User":null}', tostring(p))
    -- an alias the row was not read with is ignored, as before
    local bare = Post:findByPk(1)
    bare:set("User", { name = "q" })
    assert.equal('{"id":1,"title":"p1","UserId":1}', tostring(bare))
    -- one row given to a to-many alias is a list of it (Sequelize)
    u:set("Posts", { title = "single" })
    assert.equal('{"id":1,"name":"b","Posts":[{"title":"single"}]}', tostring(u))
    u:set("Posts", Post:build({ title = "built" }))
    assert.equal("built", u.Posts[1].title)
    assert.equal(1, #u.Posts)
    db:close()
  end)

  it("on a fetched row builds existing rows: no defaults, no previous values (Sequelize's isNewRecord false)", function()
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING, views = { type = DataTypes.INTEGER, defaultValue = 0 } },
      { timestamps = false })
    User:hasMany(Post)
    db:sync()
    User:create({ name = "a", Posts = { { title = "p1" } } }, { include = Post })
    local u = User:findByPk(1, { include = Post })
    u:set("Posts", { { title = "new" } })
    -- Sequelize 6.37.8: x.Posts[0].toJSON() {"title":"new"}, changed() ["title"],
    -- isNewRecord false, _previousDataValues {}
    assert.equal('{"title":"new"}', tostring(u.Posts[1]))
    assert.same({ "title" }, u.Posts[1]:changed())
    assert.is_false(u.Posts[1].isNewRecord)
    assert.same({}, u.Posts[1]._previousDataValues)
    -- a built parent's children are new, with their defaults (Sequelize: {"id":null,"title":"n","views":0})
    local b = User:build({ name = "q", Posts = {} }, { include = { Post } })
    b:set("Posts", { { title = "n" } })
    assert.equal('{"id":null,"title":"n","views":0}', tostring(b.Posts[1]))
    assert.is_true(b.Posts[1].isNewRecord)
    db:close()
  end)

  it("on a fetched row builds the include's nested includes and takes only its attributes", function()
    local db = support.open()
    local User = db:define("User", { name = DataTypes.STRING, v = DataTypes.VIRTUAL }, { timestamps = false })
    local Post = db:define("Post", { title = DataTypes.STRING, body = DataTypes.STRING }, { timestamps = false })
    local Comment = db:define("Comment", { text = DataTypes.STRING, score = DataTypes.INTEGER }, { timestamps = false })
    User:hasMany(Post); Post:belongsTo(User)
    Post:hasMany(Comment)
    db:sync()
    User:create({ name = "a", Posts = { { title = "p1", body = "b1", Comments = { { text = "c1", score = 5 } } } } },
      { include = { { model = Post, include = { Comment } } } })
    local u = User:findOne{ include = { { model = Post, attributes = { "id", "title" },
                                          include = { { model = Comment, attributes = { "text" } } } } } }
    u:set("Posts", { { id = 9, title = "new", body = "zzz", UserId = 1, Comments = { { text = "nc", score = 3, id = 7 } } } })
    -- Sequelize 6.37.8: {"id":1,"name":"a","Posts":[{"id":9,"title":"new","Comments":[{"text":"nc"}]}]},
    -- u.Posts[0].Comments[0] instanceof Comment
    assert.equal('{"id":1,"name":"a","Posts":[{"id":9,"title":"new","Comments":[{"text":"nc"}]}]}', tostring(u))
    assert.equal(Comment, u.Posts[1].Comments[1].constructor)
    assert.is_false(u.Posts[1].Comments[1].isNewRecord)
    assert.is_false(u:changed())
    -- a nested level's row: its include's include (Sequelize: {"text":"q"})
    u.Posts[1]:set("Comments", { { text = "q", score = 4 } })
    assert.equal('[{"text":"q"}]', Sequelize.stringify(u.Posts[1].Comments))
    -- { exclude }: the rest taken (Sequelize: [{"id":3,"title":"p7"}])
    u = User:findOne{ include = { { model = Post, attributes = { exclude = { "body" } } } } }
    u:set("Posts", { { title = "p7", body = "x", id = 3 } })
    assert.equal('[{"id":3,"title":"p7"}]', Sequelize.stringify(u.Posts))
    -- an { expr, "alias" } pair takes its alias, which is no attribute (Sequelize: [{"id":1}])
    u = User:findOne{ include = { { model = Post, attributes = { { "title", "tt" }, "id" } } } }
    u:set("Posts", { { id = 1, title = "a", tt = "b" } })
    assert.equal('[{"id":1}]', Sequelize.stringify(u.Posts))
    -- a raw set too (Sequelize: [{"title":"a"}])
    u = User:findOne{ include = { { model = Post, attributes = { "title" } } } }
    u:set("Posts", { { title = "a", body = "b" } }, { raw = true })
    assert.equal('[{"title":"a"}]', Sequelize.stringify(u.Posts))
    -- a belongsTo: the attributes and the VIRTUAL ones (Sequelize: {"name":"w","v":7}; an
    -- instance given is built again from its values: {"name":"a"}, another object)
    local p = Post:findOne{ include = { { model = User, attributes = { "name" } } } }
    p:set("User", { name = "w", v = 7, id = 4 })
    assert.equal(7, p.User.v)
    assert.is_nil(p.User.id)
    local other = User:findByPk(1)
    p:set("User", other)
    assert.equal('{"name":"a"}', tostring(p.User))
    assert.are_not.equal(other, p.User)
    -- an include with attributes = {} takes nothing (Sequelize: no Posts key before or after)
    u = User:findOne{ include = { { model = Post, attributes = {} } } }
    u:set("Posts", { { title = "zz" } })
    assert.equal('{"id":1,"name":"a"}', tostring(u))
    db:close()
  end)

  it("reload() after create with include reads with it, when no row of it was given too (Sequelize)", function()
    local db, User, Post = users_and_posts()
    local v = User:create({ name = "b" }, { include = { Post } })
    Post:create({ title = "z", UserId = v.id })
    v:reload()
    assert.equal('{"id":1,"name":"b","Posts":[{"id":1,"title":"z","UserId":1}]}', tostring(v))
    db:close()
  end)
end)

describe("get() without plain", function()
  it("keeps included rows as instances, the same list (Sequelize's dataValues); plain copies them", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("User", { name = DataTypes.STRING })
    local P = db:define("Post", { title = DataTypes.STRING })
    local T = db:define("Tag", { name = DataTypes.STRING })
    U:hasMany(P); P:belongsToMany(T, { through = "PT" }); T:belongsToMany(P, { through = "PT" })
    db:sync()
    local u = U:create({ name = "a" })
    local p = P:create({ title = "t", UserId = u.id })
    p:addTag(T:create({ name = "x" }))
    local f = U:findOne({ include = { { model = P, include = { T } } } })
    local g = f:get()
    -- Sequelize: u.get().Posts === u.Posts; typeof u.get().Posts[0].get "function"
    assert.are.equal(f.Posts, g.Posts)
    assert.are.equal("a", g.name)
    g.Posts[1].title = "changed"
    g.Posts[1]:save()
    assert.are.equal("changed", P:findByPk(p.id).title)
    assert.are.equal(1, g.Posts[1].Tags[1].PT.TagId)
    local plain = f:get({ plain = true })
    assert.is_nil(getmetatable(plain.Posts[1]))
    assert.is_nil(plain.Posts[1].get)
    assert.are.equal(1, plain.Posts[1].Tags[1].PT.TagId)
    db:close()
  end)
end)

-- Sequelize's save of an existing row (model.js save): with `fields` chosen, once anything
-- at all has changed it writes every listed column, changed or not, and it validates every
-- listed column even when nothing has; a change to a VIRTUAL attribute alone, and an
-- increment without amounts, write updatedAt alone. (Sequelize 6.37.8, /tmp/h0/inc.js.)
describe("what a save of an existing row writes", function()
  local db, log, U

  before_each(function()
    db, log = support.open()
    U = db:define("U", { n = { type = DataTypes.INTEGER, validate = { max = 5 } }, name = DataTypes.STRING,
                         v = DataTypes.VIRTUAL })
    db:sync()
    U:create{ n = 1, name = "a" }
    support.clear(log)
  end)

  local function updates()
    local out = {}
    for _, l in ipairs(log) do if l:find("UPDATE", 1, true) then out[#out + 1] = l end end
    return out
  end

  it("with fields, writes each listed column once anything changed, and keeps the rest changed", function()
    local u = U:findByPk(1)
    u.n = 2
    u:save{ fields = { "name" } }
    -- Sequelize: UPDATE `Us` SET `name`=$1,`updatedAt`=$2 WHERE `id` = $3; changed() [ 'n' ]
    assert.same({ "Executing (default): UPDATE `Us` SET `name`=?,`updatedAt`=? WHERE `id` = ?;" }, updates())
    assert.same({ "n" }, u:changed())
    assert.equal(1, U:findByPk(1).n)
  end)

  it("with fields and nothing changed, writes nothing", function()
    local u = U:findByPk(1)
    u:save{ fields = { "name" } }
    assert.same({}, updates())
  end)

  it("with an empty fields list, writes nothing, not even updatedAt, and keeps the change", function()
    -- Sequelize 6.37.8: u.name = 'x'; await u.save({ fields: [] }) sends no statement; updatedAt as
    -- read, changed() [ 'name' ] (also with a beforeUpdate hook, which runs with fields [])
    local u = U:findByPk(1)
    local at = u.updatedAt
    u.name = "x"
    u:save{ fields = {} }
    assert.same({}, updates())
    assert.equal(at, u.updatedAt)
    assert.same({ "name" }, u:changed())
    local seen
    U:beforeUpdate(function(_, o) seen = #o.fields end)
    u:save{ fields = {} }
    assert.same({}, updates())
    assert.equal(0, seen)
    assert.equal("a", U:findByPk(1).name)
  end)

  it("with an empty fields list, keeps a VIRTUAL attribute's change too", function()
    -- Sequelize 6.37.8: u.v = 3; u.name = 'x'; await u.save({ fields: [] }) sends no statement and
    -- changed() is [ 'v', 'name' ] (its save returns before it marks anything saved), hooks or not
    local u = U:findByPk(1)
    u.v, u.name = 3, "x"
    u:save{ fields = {} }
    assert.same({}, updates())
    assert.same({ "name", "v" }, u:changed())
    U:beforeUpdate(function() end)
    u:save{ fields = {} }
    assert.same({}, updates())
    assert.same({ "name", "v" }, u:changed())
  end)

  it("with fields, validates every listed column, changed or not", function()
    U:update({ n = 12 }, { where = { id = 1 }, validate = false })
    local u = U:findByPk(1)
    support.clear(log)
    -- Sequelize: SequelizeValidationError: Validation error: Validation max on n failed
    local e = support.catch(function() u:update({ name = "toolong" }, { fields = { "n" } }) end)
    assert.equal("SequelizeValidationError", e.name)
    assert.equal("Validation error: Validation max on n failed", e.message)
    e = support.catch(function() u:save{ fields = { "n" } } end)
    assert.equal("Validation error: Validation max on n failed", e.message)
    assert.same({}, updates())
    -- without fields only the changed columns are validated
    u:update{ name = "ok" }
    assert.equal("ok", U:findByPk(1).name)
  end)

  it("writes updatedAt alone when only a VIRTUAL attribute changed", function()
    local u = U:findByPk(1)
    local before = u.updatedAt
    u.v = "x"
    u:save()
    assert.same({ "Executing (default): UPDATE `Us` SET `updatedAt`=? WHERE `id` = ?;" }, updates())
    assert.is_false(u:changed())
    support.clear(log)
    u:save()
    u:update{ v = "y" }
    assert.equal(1, #updates())
    assert.is_true(u.updatedAt >= before)
  end)

  it("increment without amounts writes updatedAt alone; silent or no timestamps: nothing", function()
    local u = U:findByPk(1)
    u:increment({})
    assert.equal(1, U:increment({}, { where = { id = 1 } }))
    assert.same({ "Executing (default): UPDATE `Us` SET `updatedAt`=? WHERE `id` = ?;",
                  "Executing (default): UPDATE `Us` SET `updatedAt`=? WHERE `id` = ?;" }, updates())
    support.clear(log)
    u:increment({}, { silent = true })
    local V = db:define("V", { n = DataTypes.INTEGER }, { timestamps = false })
    V:sync()
    local v = V:create{ n = 1 }
    support.clear(log)
    v:increment({}) -- (Sequelize: UPDATE `Vs` SET WHERE ..., a syntax error)
    assert.equal(0, V:increment({}, { where = {} }))
    assert.same({}, updates())
  end)
end)

describe("a save with fields whose before hook makes the change", function()
  it("writes it (Sequelize asks whether anything changed after the hooks)", function()
    local db, log = support.open()
    local U = db:define("U", { n = DataTypes.INTEGER, name = DataTypes.STRING },
      { hooks = { beforeUpdate = function(u) u.n = 7 end } })
    db:sync()
    U:create{ n = 1, name = "a" }
    local u = U:findByPk(1)
    support.clear(log)
    u:save{ fields = { "n" } }
    -- Sequelize: UPDATE `Us` SET `n`=$1,`updatedAt`=$2 WHERE `id` = $3; n 7
    assert.equal("Executing (default): UPDATE `Us` SET `n`=?,`updatedAt`=? WHERE `id` = ?;", log[#log])
    assert.equal(7, U:findByPk(1).n)
  end)
end)

describe("an attribute getter that returns nil", function()
  -- Sequelize: get() { const v = this.getDataValue('nick'); return v && v.toUpperCase() || v }
  -- on a NULL column returns null, which toJSON and get({ plain: true }) keep
  -- ({"nick":null,"id":1,"name":"bo"}); an attribute the read left out stays out
  local db, U, P

  before_each(function()
    db = support.open()
    U = db:define("U", {
      nick = { type = DataTypes.STRING, get = function(self)
        local v = self:getDataValue("nick"); return v and v:upper() or v end },
      name = DataTypes.STRING,
    }, { timestamps = false })
    P = db:define("P", { title = DataTypes.STRING }, { timestamps = false })
    P:belongsTo(U, { as = "writer" })
    db:sync()
    U:create{ name = "bo" }
    P:create{ title = "t", writerId = 1 }
  end)

  it("gives null for a NULL column in toJSON, get({ plain }) and an include", function()
    local u = U:findByPk(1)
    assert.is_nil(u.nick)
    assert.equal('{"id":1,"name":"bo","nick":null}', tostring(u))
    assert.equal(Sequelize.null, u:get({ plain = true }).nick)
    local p = P:findOne{ include = { { model = U, as = "writer", attributes = { "id", "nick" } } } }
    assert.equal('{"id":1,"nick":null}', Sequelize.stringify(p.writer))
    u.nick = "x"
    assert.equal('{"id":1,"name":"bo","nick":"X"}', tostring(u))
  end)

  it("leaves out an attribute the read did not select", function()
    assert.equal('{"name":"bo"}', tostring(U:findByPk(1, { attributes = { "name" } })))
  end)
end)

describe("instance.dataValues", function()
  it("dataValues holds the included rows as they are, an n:m target's join row too (Sequelize)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local T = db:define("Tag", { n = DataTypes.STRING }, { timestamps = false })
    U:hasMany(P); P:belongsToMany(T, { through = "PT" })
    db:sync()
    U:create({ name = "a", Posts = { { title = "t1", Tags = { { n = "x" } } } } }, { include = { { model = P, include = T } } })
    local u = U:findOne{ include = { { model = P, include = T } } }
    local dv = u.dataValues
    assert.same({ "a", 1, "t1" }, { dv.name, #dv.Posts, dv.Posts[1].title })
    assert.equal(u.Posts[1], dv.Posts[1]) -- (the instance itself)
    local tag = dv.Posts[1].dataValues.Tags[1]
    assert.same({ PostId = 1, TagId = 1 }, { PostId = tag.dataValues.PT.PostId, TagId = tag.dataValues.PT.TagId })
    assert.is_nil(u:get({ raw = true }).Posts) -- (get({ raw }) keeps to the attributes: include_spec)
    assert.is_nil(U:findByPk(1).dataValues.Posts)
  end)
end)

describe("an included association removed in an afterFind hook", function()
  it("reads as nil but is written as null; a toJSON of the model's leaves it out", function()
    -- Sequelize 6.37.8 (the Polymorphic Associations page: afterFind does `delete instance.image;
    -- delete instance.dataValues.image`): {"id":1,"title":"c","imageId":1}. Here assigning nil drops
    -- the instance's key, and JSON writes the include as for a to-one with no row (README: the
    -- rows of a query share their shape): {"id":1,"title":"c","imageId":1,"image":null}.
    local db = support.open()
    local Image = db:define("image", { title = DataTypes.STRING }, { timestamps = false })
    local Comment = db:define("comment", { title = DataTypes.STRING }, { timestamps = false })
    Comment:belongsTo(Image); Image:hasMany(Comment)
    db:sync()
    Image:create({ title = "i" }):createComment({ title = "c" })
    Comment:afterFind(function(found)
      for _, c in ipairs(found.get and { found } or found) do c.image = nil end -- (findOne: one instance)
    end)
    local c = Comment:findOne({ include = Image })
    assert.is_nil(c.image)
    assert.equal('{"id":1,"title":"c","imageId":1,"image":null}', tostring(c))
    -- the way to leave it out of JSON (tostring, Sequelize.stringify, toJSON)
    function Comment.prototype:toJSON()
      local t = self:get({ plain = true })
      t.image = nil
      return t
    end
    assert.equal('[{"id":1,"imageId":1,"title":"c"}]', Sequelize.stringify(Comment:findAll({ include = Image })))
    assert.same({ id = 1, title = "c", imageId = 1 }, Comment:findOne({ include = Image }):toJSON())
    db:close()
  end)
end)

-- README, "Decisions that differ": Sequelize 6.37.8 INSERTs `createdAt` alone for a new row
-- saved with fields = [] (updatedAt is added only to a list that is not empty) and fails on
-- updatedAt's NOT NULL; here the row goes in with both stamps. Without timestamps nothing is
-- written, as Sequelize's.
describe("a new row saved with fields = {}", function()
  local Sequelize = require("sequelua")
  local DataTypes = Sequelize.DataTypes
  it("with timestamps: one INSERT of both stamps; without: nothing written", function()
    local sql = {}
    local db = Sequelize.new("sqlite::memory:", { logging = function(s) sql[#sql + 1] = s end })
    local U = db:define("User", { name = DataTypes.STRING })
    local P = db:define("Pl", { name = DataTypes.STRING }, { timestamps = false })
    db:sync()
    for k in pairs(sql) do sql[k] = nil end
    local u = U:build({ name = "a" }):save({ fields = {} })
    assert.same({ "Executing (default): INSERT INTO `Users` (`createdAt`,`updatedAt`) VALUES (?,?);" }, sql)
    assert.is_false(u.isNewRecord)
    local row = db:query("SELECT * FROM Users", { type = "SELECT" })[1]
    assert.equal(Sequelize.null, row.name)
    assert.equal(row.createdAt, row.updatedAt)
    for k in pairs(sql) do sql[k] = nil end
    local p = P:build({ name = "a" }):save({ fields = {} })
    assert.same({}, sql)
    assert.is_true(p.isNewRecord)
    assert.equal(0, P:count())
    db:close()
  end)
end)
