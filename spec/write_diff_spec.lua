-- Writes found to differ from Sequelize 6.37.8 by a differential random test of write calls
-- (the same random sequence of calls run by Sequelize and by sequelua on one database file).
local Sequelize = require("sequelua")
local D = Sequelize.DataTypes

describe("writes as Sequelize makes them", function()
  local db, Tag, User, Profile
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Tag = db:define("Tag", { name = { type = D.STRING, unique = true } }, { timestamps = false })
    User = db:define("User", { name = { type = D.STRING, unique = true }, meta = D.JSON }, { timestamps = false })
    Profile = db:define("Profile", { bio = D.STRING }, { timestamps = false })
    User:hasOne(Profile)
    db:sync()
    Tag:create({ name = "a" })
    User:create({ name = "u1" })
  end)
  teardown(function() db:close() end)

  it("bulkCreate with individualHooks on a model without hooks: a unique violation's item holds the row's value", function()
    -- (Sequelize saves each row as an instance then, so its error's item has the value)
    local ok, e = pcall(Tag.bulkCreate, Tag, { { name = "b" }, { name = "a" } }, { individualHooks = true })
    assert.is_false(ok)
    assert.are.equal("SequelizeUniqueConstraintError", e.name)
    assert.are.equal("name", e.errors[1].path)
    assert.are.equal("a", e.errors[1].value)
    ok, e = pcall(Tag.bulkCreate, Tag, { { id = 1, name = "c" } }, { individualHooks = true })
    assert.is_false(ok)
    assert.are.equal(1, e.errors[1].value)
    assert.are.equal(1, Tag:count()) -- (nothing written: the rows are saved all or nothing)
  end)

  it("hasOne createX of a source without its key writes a NULL key, not the one the values give", function()
    -- (Sequelize: values[foreignKey] = source.get(sourceKey), undefined there, so NULL)
    local u = User:build({ name = "unsaved" })
    local p = u:createProfile({ bio = "x", UserId = 1 })
    assert.are.equal(Sequelize.null, Profile:findByPk(p.id, { raw = true }).UserId)
    assert.is_nil(p.UserId)
    local u1 = User:findOne({ where = { name = "u1" } })
    local q = u1:createProfile({ bio = "y", UserId = 99 })
    assert.are.equal(u1.id, q.UserId)
  end)

  it("a dotted JSON key naming no index of a list given is left out of it, as of an array read back", function()
    -- (Sequelize's Dottie.set puts the key on the JS array, which JSON.stringify leaves out;
    -- a plain Lua list was written as an object, {"1":1,"2":"two","q":5})
    local u = User:create({ name = "j1", meta = { 1, "two" }, ["meta.q"] = 5 })
    assert.are.equal('[1,"two"]', Sequelize.stringify(u.meta))
    assert.are.equal('[1,"two"]', db:query("SELECT meta FROM Users WHERE id = ?",
      { replacements = { u.id }, type = "SELECT", plain = true }).meta)
    u = User:create({ name = "j2", meta = { a = { 1, 2 } }, ["meta.a.x"] = 5, ["meta.a.1"] = 3 })
    assert.are.equal('{"a":[1,3]}', Sequelize.stringify(User:findByPk(u.id).meta))
  end)
end)
