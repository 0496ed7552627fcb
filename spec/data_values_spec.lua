-- A data value that is no attribute: Sequelize's setDataValue, raw set and a write of a new key
-- to instance.dataValues put it in dataValues, where get(key), toJSON and JSON.stringify show it
-- and no save writes it. Checked against Sequelize 6.37.8 (sqlite, in memory):
--   U.addHook('afterFind', r => { for (const u of [].concat(r)) u.dataValues.shout = u.name.toUpperCase() })
--   u = await U.findOne(); JSON.stringify(u)            -> {..., "shout":"ANN"}; u.get('shout') 'ANN'
--   u.setDataValue('extra', 5); JSON.stringify(u)        -> {..., "shout":"ANN", "extra":5}
--   u.set('other', 7); u.set('raw1', 8, { raw: true })  -> raw1 shown, other not
--   u.name = 'bob'; await u.save()                      -> UPDATE of name and updatedAt only
--   await u.reload()                                    -> extra and raw1 gone, shout "BOB" again
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local cjson = require("cjson")

describe("data values that are no attribute", function()
  local db, U, P, sqls
  setup(function()
    sqls = {}
    db = Sequelize.new("sqlite::memory:", { logging = function(sql) sqls[#sqls + 1] = sql end })
    U = db:define("User", { name = DataTypes.STRING })
    P = db:define("Post", { title = DataTypes.STRING })
    U:hasMany(P)
    U:addHook("afterFind", "shout", function(r)
      local list = type(rawget(r, 1)) == "table" and r or { r }
      for _, u in ipairs(list) do
        if u.name then u.dataValues.shout = u.name:upper() end
      end
    end)
    db:sync()
    local a = U:create{ name = "ann" }
    U:create{ name = "bo" }
    P:create{ title = "t1", UserId = a.id }
  end)

  it("a new key written to dataValues in an afterFind hook shows in get, toJSON and stringify", function()
    local u = U:findOne{ where = { name = "ann" } }
    assert.equal("ANN", u:get("shout"))
    assert.equal("ANN", u:toJSON().shout)
    assert.equal("ANN", u:get({ plain = true }).shout)
    assert.equal("ANN", u.dataValues.shout)
    assert.equal("ANN", cjson.decode(Sequelize.stringify(u)).shout)
    assert.is_false(u:changed())
  end)

  it("each row of a findAll keeps its own", function()
    local rows = U:findAll{ order = { { "id", "ASC" } } }
    assert.equal("ANN", rows[1]:toJSON().shout)
    assert.equal("BO", rows[2]:toJSON().shout)
    rows[1]:setDataValue("only", 1)
    assert.equal(1, rows[1]:toJSON().only)
    assert.is_nil(rows[2]:toJSON().only)
    assert.is_nil(rows[2]:get("only"))
  end)

  it("setDataValue and a raw set keep the key; a set without raw ignores it (Sequelize)", function()
    local u = U:findOne{ where = { name = "ann" } }
    u:setDataValue("extra", 5)
    u:set("other", 7)
    u:set("raw1", 8, { raw = true })
    local j = u:toJSON()
    assert.equal(5, j.extra)
    assert.equal(8, j.raw1)
    assert.is_nil(j.other)
    assert.equal(5, u:get("extra"))
    assert.equal(5, u:getDataValue("extra"))
    assert.equal(8, u.dataValues.raw1)
    -- a save writes none of them
    u.name = "ann2"
    sqls = {}
    u:save()
    local upd = table.concat(sqls, "\n")
    assert.truthy(upd:find("UPDATE", 1, true))
    assert.is_nil(upd:find("extra", 1, true))
    assert.is_nil(upd:find("raw1", 1, true))
    assert.equal(5, u:toJSON().extra)
    u:update{ name = "ann" }
    assert.equal("ann", U:findByPk(u.id).name)
  end)

  it("setDataValue(key, nil) takes it out again", function()
    local u = U:findOne{ where = { name = "ann" } }
    u:setDataValue("extra", 5)
    u:setDataValue("extra", nil)
    assert.is_nil(u:get("extra"))
    local j = u:toJSON()
    assert.is_nil(j.extra)
    assert.equal("ANN", j.shout)
  end)

  it("reload drops them, and the reloaded row's hook sets its own again", function()
    local u = U:findOne{ where = { name = "ann" } }
    u:setDataValue("extra", 5)
    db:query("UPDATE Users SET name = 'zoe' WHERE id = ?", { replacements = { u.id } })
    u:reload()
    local j = u:toJSON()
    assert.is_nil(j.extra)
    assert.equal("ZOE", j.shout)
    db:query("UPDATE Users SET name = 'ann' WHERE id = ?", { replacements = { u.id } })
  end)

  it("an included row's own data value shows in its parent's JSON", function()
    local u = U:findOne{ where = { name = "ann" }, include = P }
    u.Posts[1]:setDataValue("rank", 1)
    u.Posts[1].dataValues.note = "n"
    local j = u:toJSON()
    assert.equal(1, j.Posts[1].rank)
    assert.equal("n", j.Posts[1].note)
    assert.equal("ANN", j.shout)
  end)

  it("a built row keeps it too, and create does not write it", function()
    local b = U:build{ name = "cy" }
    b:setDataValue("tmp", true)
    assert.is_true(b:toJSON().tmp)
    b:save()
    assert.is_true(b:toJSON().tmp)
    assert.equal("cy", U:findByPk(b.id).name)
    b:destroy()
  end)

  it("a key dataValues already holds, written, reaches the instance at its next use, marked unchanged (data_values_edit_spec)", function()
    local u = U:findOne{ where = { name = "ann" } }
    local dv = u.dataValues
    dv.name = "zed"
    assert.equal("zed", u.name)
    assert.equal("zed", dv.name)
    assert.is_false(u:changed())
    -- (a key that is no string is the copy's only, as before dataValues had a metatable)
    dv[1] = "x"
    assert.equal("x", dv[1])
    assert.is_nil(u:toJSON()[1])
  end)

  it("an association's name on a row read without that include is a data value too (Sequelize)", function()
    -- Sequelize: u = await U.findByPk(id); u.dataValues.Posts = [p] (or setDataValue, or a
    -- raw set) -> JSON.stringify(u) has "Posts":[{...}]
    local p = P:findOne()
    for _, how in ipairs({ "dv", "setDataValue", "raw" }) do
      local u = U:findOne{ where = { name = "ann" } }
      if how == "dv" then u.dataValues.Posts = { p }
      elseif how == "setDataValue" then u:setDataValue("Posts", { p })
      else u:set("Posts", { p }, { raw = true }) end
      local j = cjson.decode(Sequelize.stringify(u))
      assert.equal("t1", j.Posts and j.Posts[1].title, how)
      assert.equal("t1", u:toJSON().Posts[1].title, how)
    end
    -- (an include of the row stays the include: listed once)
    local u = U:findOne{ where = { name = "ann" }, include = P }
    u:setDataValue("Posts", { p })
    local s = Sequelize.stringify(u)
    assert.equal(1, select(2, s:gsub('"Posts"', "")))
  end)

  it("a raw set of several such keys shows them in key order, as a raw build does", function()
    local b = U:build{ name = "cy" }
    b:set({ zeta = 1, alpha = 2, mid = 3, beta = 4, omega = 5, kappa = 6, delta = 7, gamma = 8 }, { raw = true })
    local want = '{"id":null,"name":"cy","alpha":2,"beta":4,"delta":7,"gamma":8,"kappa":6,"mid":3,"omega":5,"zeta":1}'
    local s = Sequelize.stringify(b)
    assert.equal(want, (s:gsub('"createdAt":[^,]*,', ""):gsub('"updatedAt":[^,]*,', "")))
  end)

  it("a key naming an instance method is not kept (it would hide the method)", function()
    local u = U:findOne{ where = { name = "ann" } }
    u:setDataValue("save", 1)
    u.dataValues.toJSON = 2
    assert.equal("function", type(u.save))
    assert.equal("function", type(u.toJSON))
    assert.is_nil(u:toJSON().save)
  end)
end)
