-- Edits of keys instance.dataValues already holds (Sequelize's dataValues is the live object):
-- `u.dataValues.password = nil` (JavaScript's `delete u.dataValues.password`, the common way to
-- keep a column out of a response), `u.dataValues.name = "x"`, and an include taken out. They
-- reach the instance when it is next used (a field read, a method, stringify or toJSON of it or
-- of a list or row holding it), mark nothing changed, and no save writes them. Checked against
-- Sequelize 6.37.8 (sqlite, in memory):
--   u = await User.findByPk(1, { include: Post }); delete u.dataValues.password
--   JSON.stringify(u) -> no "password"; u.password, u.get('password') undefined; get({ plain }) the same
--   u.dataValues.name = 'x' -> u.name 'x', u.changed() false, toJSON name "x"; u.save() runs no UPDATE
--   u.dataValues.age = undefined -> JSON without "age", changed() false; save() runs no UPDATE
--   delete u.dataValues.Posts -> JSON without "Posts"
--   u.age = 7; u.save() -> UPDATE `Users` SET `age`=$1,`updatedAt`=$2 (the row keeps name "a", password "secret")
--   afterFind: for each row delete r.dataValues.password -> findAll's JSON has no "password"
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("edits of instance.dataValues", function()
  local db, U, P, sqls
  setup(function()
    sqls = {}
    db = Sequelize.new("sqlite::memory:", { logging = function(sql) sqls[#sqls + 1] = sql end })
    U = db:define("User", { name = DataTypes.STRING, password = DataTypes.STRING, age = DataTypes.INTEGER })
    P = db:define("Post", { title = DataTypes.STRING })
    U:hasMany(P)
    db:sync()
    U:create({ name = "a", password = "secret", age = 3, Posts = { { title = "t" } } }, { include = P })
    U:create({ name = "b", password = "hunter2", age = 4 })
  end)

  local function updates()
    local n = 0
    for _, s in ipairs(sqls) do if s:find("UPDATE", 1, true) then n = n + 1 end end
    return n
  end

  it("a key set to nil leaves field reads, get, toJSON and stringify; no save writes it", function()
    local u = U:findByPk(1, { include = P })
    u.dataValues.password = nil
    local json = Sequelize.stringify(u)
    assert.is_nil(json:find("password", 1, true))
    assert.is_nil(u.password)
    assert.is_nil(u:get("password"))
    assert.is_nil(u:get({ plain = true }).password)
    assert.is_nil(u:toJSON().password)
    assert.is_nil(u.dataValues.password)
    assert.equal("t", u.Posts[1].title)
    assert.same({}, u:changed() or {})
    local before = updates()
    u:save()
    assert.equal(before, updates())
    u.age = 7
    u:save()
    assert.equal(before + 1, updates())
    assert.is_nil(sqls[#sqls]:find("password", 1, true))
    local row = db:query("SELECT name, password, age FROM Users WHERE id = 1", { type = Sequelize.QueryTypes.SELECT })[1]
    assert.same({ name = "a", password = "secret", age = 7 }, row)
  end)

  it("a new value is read back, not marked changed, and not written", function()
    local u = U:findByPk(2)
    u.dataValues.name = "x"
    assert.equal("x", u.name)
    assert.equal("x", u:get("name"))
    assert.equal("x", u:toJSON().name)
    assert.is_false(u:changed() or false)
    local before = updates()
    u:save()
    assert.equal(before, updates())
    assert.equal("b", db:query("SELECT name FROM Users WHERE id = 2", { type = Sequelize.QueryTypes.SELECT })[1].name)
    -- a set after it compares with the value written there, and saves as usual
    u.name = "y"
    assert.same({ "name" }, u:changed())
    u:save()
    assert.equal("y", db:query("SELECT name FROM Users WHERE id = 2", { type = Sequelize.QueryTypes.SELECT })[1].name)
  end)

  it("the value stored before an edit stays the previous one (_previousDataValues is not touched)", function()
    -- Sequelize 6.37.8 on a saved "b": dataValues.name = 'x' -> previous('name') "b",
    -- _previousDataValues.name "b", changed() false; then setDataValue('name', 'b') -> changed()
    -- false (it compares with _previousDataValues); setDataValue('name', 'y') instead -> changed
    -- ['name'], previous('name') "b". After set('name', 'z', { raw }) the same.
    local id = U:create({ name = "b" }).id
    finally(function() U:destroy({ where = { id = id } }) end)
    local u = U:findByPk(id)
    u.dataValues.name = "x"
    assert.equal("b", u:previous("name"))
    assert.equal("b", u._previousDataValues.name)
    assert.is_false(u:changed())
    u:setDataValue("name", "b")
    assert.is_false(u:changed())
    u = U:findByPk(id)
    u.dataValues.name = "x"
    u:setDataValue("name", "y")
    assert.same({ "name" }, u:changed())
    assert.equal("b", u:previous("name"))
    u = U:findByPk(id)
    u:set("name", "z", { raw = true })
    u.dataValues.name = "q"
    assert.equal("b", u:previous("name"))
    u:setDataValue("name", "b")
    assert.is_false(u:changed())
  end)

  it("an edit reaches the JSON of a list or a parent row that holds the instance", function()
    local list = U:findAll{ include = P, order = { { "id", "ASC" } } }
    list[1].dataValues.password = nil
    list[1].Posts[1].dataValues.title = "edited"
    list[2].dataValues.password = nil
    local json = Sequelize.stringify(list)
    assert.is_nil(json:find("password", 1, true))
    assert.truthy(json:find('"title":"edited"', 1, true))
    local plain = list[1]:get({ plain = true })
    assert.equal("edited", plain.Posts[1].title)
  end)

  it("an include taken out leaves the JSON", function()
    local u = U:findByPk(1, { include = P })
    u.dataValues.Posts = nil
    local json = Sequelize.stringify(u)
    assert.is_nil(json:find("Posts", 1, true))
    assert.equal("a", u.name)
  end)

  it("afterFind's delete of every row's password, as Express apps write it", function()
    local D = Sequelize.new("sqlite::memory:")
    local V = D:define("User", { name = DataTypes.STRING, password = DataTypes.STRING })
    V:addHook("afterFind", function(r)
      local rows = type(rawget(r, 1)) == "table" and r or { r }
      for _, x in ipairs(rows) do x.dataValues.password = nil end
    end)
    D:sync()
    V:bulkCreate{ { name = "a", password = "p1" }, { name = "b", password = "p2" } }
    local json = Sequelize.stringify(V:findAll())
    assert.is_nil(json:find("password", 1, true))
    assert.truthy(json:find('"name":"b"', 1, true))
    assert.is_nil(Sequelize.stringify(V:findOne{ where = { name = "a" } }):find("p1", 1, true))
  end)

  it("an edit is read back while other instances' copies were read back or collected", function()
    -- (reads look at the copy only while some instance may hold one: a count, down at each
    -- read-back; an instance collected with its copy leaves it above 0)
    local a, b, c = U:findByPk(1), U:findByPk(2), U:findByPk(1)
    local da, db_, dc = a.dataValues, b.dataValues, c.dataValues
    da.age, db_.age, dc.age = 91, 92, 93
    assert.equal(91, a.age) -- (a's read back)
    a, da = nil, nil
    do local x = U:findByPk(1); local _ = x.dataValues end -- (a copy never read back)
    collectgarbage(); collectgarbage()
    assert.equal(92, b.age)
    assert.equal(93, c:get("age"))
    local d = U:findByPk(2)
    d.dataValues.age = 94
    collectgarbage(); collectgarbage()
    assert.equal(94, d.age)
  end)

  it("an instance whose copy was never read back is gone after one full collection", function()
    -- (no finalizer per copy: one kept the instance and its copy a collection longer)
    local weak = setmetatable({}, { __mode = "k" })
    do
      local list = U:findAll()
      for _, r in ipairs(list) do local _ = r.dataValues; weak[r] = true end
    end
    collectgarbage("collect")
    assert.is_nil(next(weak))
    local d = U:findByPk(2)
    d.dataValues.age = 95
    collectgarbage("collect")
    assert.equal(95, d.age)
  end)

  it("a dataValues table kept and edited again: the edits made before the instance's next use count", function()
    local u = U:findByPk(2)
    local dv = u.dataValues
    dv.age = 40
    dv.extra = 1     -- (a new key: set at once)
    dv.extra = 2     -- (the same key again: the edit reaches it too)
    assert.equal(40, u.age)
    assert.equal(2, u:get("extra"))
  end)
end)
