-- Model and Sequelize hooks (lua/sequelua/hooks.lua): declaring them, the order they run in,
-- what they may change, and what a hook that raises stops.
-- Expectations marked "Sequelize:" were checked against sequelize 6.37.8 + sqlite3.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op

describe("hooks", function()
  local db, log, User, calls

  local function note(s) calls[#calls + 1] = s end
  local function joined() local s = table.concat(calls, ", "); support.clear(calls); return s end
  local function row(id) return support.raw(db, "SELECT * FROM Users WHERE id = ?", { id })[1] end

  before_each(function()
    db, log = support.open()
    calls = {}
    User = db:define("User", {
      username = DataTypes.STRING,
      password = DataTypes.STRING,
      email = { type = DataTypes.STRING, validate = { isEmail = true } },
      n = DataTypes.INTEGER,
    })
    db:sync()
    support.clear(log)
  end)

  after_each(function() db:close() end)

  describe("declaring", function()
    it("takes the define option (a function or a list), shorthands and addHook, in the order added", function()
      local M = db:define("Thing", { name = DataTypes.STRING }, { hooks = {
        beforeCreate = { function() note("list 1") end, function() note("list 2") end },
        afterCreate = function() note("after") end,
      } })
      M:beforeCreate(function() note("shorthand") end)
      M:addHook("beforeCreate", "named", function() note("named") end)
      M:sync()
      M:create({ name = "x" })
      assert.are.equal("list 1, list 2, shorthand, named, after", joined())
    end)

    it("beforeSave/afterSave run among the create and update hooks in the order added (Sequelize)", function()
      User:beforeValidate(function() note("beforeValidate") end)
      User:beforeCreate(function() note("beforeCreate") end)
      User:beforeSave(function() note("beforeSave") end)
      User:afterCreate(function(u) note("afterCreate " .. u.id) end)
      User:afterSave(function() note("afterSave") end)
      User:beforeUpdate(function() note("beforeUpdate") end)
      local u = User:create({ username = "a" })
      assert.are.equal("beforeValidate, beforeCreate, beforeSave, afterCreate 1, afterSave", joined())
      u:update({ username = "b" })
      -- Sequelize validates a second time after the before hooks, hooks included
      assert.are.equal("beforeValidate, beforeSave, beforeUpdate, beforeValidate, afterSave", joined())
    end)

    it("define's hooks (by type name), then addHook's, then the Sequelize object's: Sequelize's order", function()
      -- Sequelize 6.37.8 with the define hooks' keys in name order (a JavaScript object keeps
      -- its keys' order; a Lua table has none, so they are added sorted by type name)
      local function hk(n) return function() note(n) end end
      local M = db:define("Ordered", { n = DataTypes.INTEGER }, { hooks = {
        beforeSave = hk("d.beforeSave"), afterSave = hk("d.afterSave"), beforeCreate = hk("d.beforeCreate"),
        beforeUpdate = hk("d.beforeUpdate"), afterCreate = hk("d.afterCreate"), afterUpdate = hk("d.afterUpdate"),
        beforeValidate = hk("d.beforeValidate"), afterValidate = hk("d.afterValidate") } })
      M:addHook("beforeCreate", hk("a.beforeCreate")); M:addHook("beforeSave", hk("a.beforeSave"))
      M:addHook("afterSave", hk("a.afterSave")); M:addHook("afterCreate", hk("a.afterCreate"))
      M:beforeUpdate(hk("a.beforeUpdate")); M:afterUpdate(hk("a.afterUpdate"))
      M:beforeValidate(hk("a.beforeValidate"))
      db:addHook("beforeSave", hk("g.beforeSave")); db:addHook("beforeCreate", hk("g.beforeCreate"))
      M:sync()
      local m = M:create{ n = 1 }
      assert.are.equal("d.beforeValidate, a.beforeValidate, d.afterValidate, d.beforeCreate, d.beforeSave, "
        .. "a.beforeCreate, a.beforeSave, g.beforeSave, g.beforeCreate, d.afterCreate, d.afterSave, a.afterSave, "
        .. "a.afterCreate", joined())
      local upd = "d.beforeValidate, a.beforeValidate, d.afterValidate, d.beforeSave, d.beforeUpdate, a.beforeSave, "
        .. "a.beforeUpdate, g.beforeSave, d.beforeValidate, a.beforeValidate, d.afterValidate, d.afterSave, "
        .. "d.afterUpdate, a.afterSave, a.afterUpdate"
      m.n = 2
      m:save()
      assert.are.equal(upd, joined())
      m:update{ n = 3 }
      assert.are.equal(upd, joined())
    end)

    it("a false or null name is no name (Sequelize: name ? { name, fn } : fn)", function()
      -- Sequelize 6.37.8: U.addHook('beforeCreate', false, f1); U.beforeCreate(null, f2); create
      -- runs "false-named,null-named"; removeHook('beforeCreate', f1) then leaves "null-named"
      local f1 = function() note("false-named") end
      User:addHook("beforeCreate", false, f1)
      User:beforeCreate(Sequelize.null, function() note("null-named") end)
      User:create({ username = "a" })
      assert.are.equal("false-named, null-named", joined())
      User:removeHook("beforeCreate", f1)
      User:create({ username = "b" })
      assert.are.equal("null-named", joined())
    end)

    it("removeHook takes the name or the function; hasHook tells", function()
      local fn = function() note("by fn") end
      User:addHook("afterCreate", "by name", function() note("by name") end)
      User:afterCreate(fn)
      User:beforeSave("s", function() note("save") end)
      assert.is_true(User:hasHook("afterCreate"))
      User:removeHook("afterCreate", "by name")
      User:create({ username = "a" })
      assert.are.equal("save, by fn", joined())
      User:removeHook("afterCreate", fn)
      User:removeHook("beforeSave", "s") -- the proxied create/update entries go too
      User:create({ username = "b" })
      assert.are.equal("", joined())
      assert.is_false(User:hasHook("afterCreate"))
      assert.is_false(User:hasHook("beforeCreate"))
      assert.is_false(User:hasHooks("beforeSave"))
      -- by its function, a hook added with a name stays (Sequelize: only unnamed ones match)
      local named = function() note("named") end
      User:addHook("afterCreate", "n", named)
      User:removeHook("afterCreate", named)
      User:create({ username = "c" })
      assert.are.equal("named", joined())
    end)

    it("an empty name is none; a Sequelize-wide hook added during a run runs from the next run on", function()
      -- Sequelize 6.37.8: addHook('beforeDestroy', '', f) then removeHook('beforeDestroy', f) leaves
      -- no hook (hasHook false); a model hook that adds a sequelize.addHook('afterUpdate', ...) prints
      -- "global g0" on that update and "global g0, global added" on the next
      local u = User:create({ username = "a" })
      local f = function() note("empty-named") end
      User:addHook("beforeDestroy", "", f)
      User:removeHook("beforeDestroy", f)
      assert.is_false(User:hasHook("beforeDestroy"))
      db:addHook("afterUpdate", "g0", function() note("global g0") end)
      User:addHook("afterUpdate", "adder", function()
        note("adder")
        db:addHook("afterUpdate", "added", function() note("global added") end)
      end)
      u:update({ username = "b" })
      assert.are.equal("adder, global g0", joined())
      User:removeHook("afterUpdate", "adder")
      u:update({ username = "c" })
      assert.are.equal("global g0, global added", joined())
      u:destroy()
      assert.are.equal("", joined())
    end)

    it("refuses unknown hook types, non-functions and Sequelize-only types on a model, naming them", function()
      local err = support.catch_message(function()
        db:define("Bad", { name = DataTypes.STRING }, { hooks = { beforeCreat = function() end } })
      end)
      assert.truthy(err.message:find("Bad", 1, true) and err.message:find("beforeCreat", 1, true))
      err = support.catch_message(function() User:addHook("afterFoo", function() end) end)
      assert.truthy(err.message:find("afterFoo", 1, true))
      err = support.catch_message(function() User:beforeCreate("name only") end)
      assert.truthy(err.message:find("beforeCreate", 1, true) and err.message:find("function", 1, true))
      err = support.catch_message(function() User:addHook("beforeDefine", function() end) end)
      assert.truthy(err.message:find("beforeDefine", 1, true))
      err = support.catch_message(function() db:define("Bad2", {}, { hooks = 5 }) end)
      assert.truthy(err.message:find("hooks must be a table", 1, true))
      err = support.catch_message(function() User:removeHook("beforeCreate", 5) end)
      assert.truthy(err.message:find("removeHook", 1, true))
      assert.is_false(User:hasHook("beforeCreate"))
      assert.is_nil(db.models.Bad)
    end)
  end)

  describe("create and save", function()
    it("what an after hook sets in a saved field is not left changed (Sequelize's save)", function()
      User:afterSave(function(u) u.n = 42 end)
      local u = User:build({ username = "c" })
      u:save()
      assert.is_false(u:changed())
      u.username = "cc"
      u:save()
      assert.are.same({ "cc", Sequelize.null }, { row(u.id).username, row(u.id).n })
      assert.is_false(u:changed())
    end)

    it("a value a before hook sets is the value inserted", function()
      User:beforeCreate(function(u) u.password = "hashed:" .. u.password end)
      local u = User:create({ username = "a", password = "p" })
      assert.are.equal("hashed:p", u.password)
      assert.are.equal("hashed:p", row(u.id).password)
    end)

    it("a before hook that raises stops the insert and its error comes back as it was raised", function()
      local mine = { name = "MyError", message = "no" }
      User:beforeCreate(function() error(mine) end)
      local err = support.catch(function() User:create({ username = "a" }) end)
      assert.are.equal(mine, err)
      assert.are.equal(0, #support.statements(log, "INSERT"))
      assert.are.equal(0, User:count())
    end)

    it("an after hook that raises inside a transaction rolls the row back", function()
      User:afterCreate(function() error("after failed") end)
      support.catch(function()
        db:transaction(function(t) User:create({ username = "a" }, { transaction = t }) end)
      end)
      assert.are.equal(0, User:count())
    end)

    it("on an update, attributes a before hook changes are written too, and validated", function()
      local u = User:create({ username = "a" })
      User:beforeUpdate(function(x) x.password = "set by hook" end)
      u:update({ username = "b" })
      assert.are.same({ "password", "updatedAt", "username" }, support.set_columns(support.statements(log, "UPDATE")[1]))
      assert.are.equal("set by hook", row(u.id).password)
      -- a plain save too
      User:beforeSave(function(x) x.n = 7 end)
      u.username = "c"
      u:save()
      assert.are.equal(7, row(u.id).n)
      -- a value the hook sets is validated before it is written
      User:beforeUpdate(function(x) x.email = "not an email" end)
      local err = support.catch_error(function() u:update({ username = "d" }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("c", row(u.id).username)
    end)

    it("an attribute the update changes and a before hook changes again is validated again", function()
      -- Sequelize 6.37.8 (test/integration/instance/update.test.js "should validate attributes
      -- changed in hooks when default fields are used"): update({ name: 'B', email: 'still.valid@gmail.com' })
      -- with a beforeUpdate setting email = 'B' rejects with SequelizeValidationError
      -- "Validation error: Validation isEmail on email failed"; the row keeps its email
      local u = User:create({ username = "a", email = "valid.email@gmail.com" })
      User:beforeUpdate(function(x) x:set("email", "B") end)
      local err = support.catch_error(function() u:update({ username = "b", email = "still.valid@gmail.com" }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("Validation error: Validation isEmail on email failed", err.message)
      assert.are.equal("valid.email@gmail.com", row(u.id).email)
      -- a plain save of a changed value too
      u = User:create({ username = "c", email = "c@example.com" })
      u.email = "d@example.com"
      err = support.catch_error(function() u:save() end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("c@example.com", row(u.id).email)
    end)

    it("with fields chosen by the caller, the hook's other changes are not written (Sequelize)", function()
      local u = User:create({ username = "a" })
      User:beforeUpdate(function(x) x.password = "set by hook" end)
      u:update({ username = "b" }, { fields = { "username" } })
      assert.are.equal("b", row(u.id).username)
      assert.is_true(support.is_null(row(u.id).password))
    end)

    it("an update with nothing changed runs the before hooks only, and writes what they change", function()
      local u = User:create({ username = "a" })
      User:beforeValidate(function() note("bv") end)
      User:beforeUpdate(function() note("bu") end)
      User:afterUpdate(function() note("au") end)
      support.clear(log)
      u:save()
      assert.are.equal("bv, bu, bv", joined())
      assert.are.equal(0, #support.statements(log, "UPDATE"))
      User:beforeUpdate(function(x) x.n = 3 end)
      local stamp = u.updatedAt
      support.clear(log)
      u:save()
      assert.are.equal(3, row(u.id).n)
      assert.are.equal("bv, bu, bv, au", joined())
      -- Sequelize 6.37.8 adds updatedAt to the fields before the hooks only when the caller
      -- changed something: "UPDATE `Us` SET `n`=$1 WHERE `id` = $2", updatedAt left as it was
      -- (row and instance); with a change of the caller's too, updatedAt is stamped
      local ups = support.statements(log, "UPDATE")
      assert.are.equal(1, #ups)
      assert.are.same({ "n" }, support.set_columns(ups[1]))
      assert.are.equal(stamp, u.updatedAt)
      assert.are.equal(stamp, User:findByPk(u.id).updatedAt)
      support.clear(log)
      u.username = "b"
      u:save()
      ups = support.statements(log, "UPDATE")
      assert.are.same({ "updatedAt", "username" }, support.set_columns(ups[1]))
    end)

    it("validationFailed gets the error; one that raises replaces it; afterValidate runs on success", function()
      User:validationFailed(function(u, o, e) note("failed " .. e.name .. " " .. e.errors[1].path) end)
      User:afterValidate(function() note("validated") end)
      local err = support.catch_error(function() User:create({ email = "bad" }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("failed SequelizeValidationError email", joined())
      User:validationFailed(function() error({ name = "Replaced", message = "replaced" }) end)
      err = support.catch_error(function() User:create({ email = "bad" }) end)
      assert.are.equal("Replaced", err.name)
      support.clear(calls)
      User:create({ email = "a@b.org" })
      assert.are.equal("validated", joined())
      -- instance:validate() runs them too
      User:build({ email = "x@y.org" }):validate()
      assert.are.equal("validated", joined())
    end)

    it("hooks = false in the options skips them; validate = false skips the validation hooks", function()
      User:beforeValidate(function() note("bv") end)
      User:beforeCreate(function() note("bc") end)
      local u = User:create({ username = "a" }, { hooks = false })
      assert.are.equal("", joined())
      u:update({ username = "b" }, { hooks = false })
      assert.are.equal("", joined())
      User:create({ username = "c" }, { validate = false })
      assert.are.equal("bc", joined())
    end)

    it("the hooks get the save's own copy of the options", function()
      local given = { logging = false }
      local seen
      User:beforeCreate(function(u, o) seen = o; o.extra = true end)
      User:create({ username = "a" }, given)
      assert.is_true(seen.extra)
      assert.is_nil(given.extra)
    end)

    it("a nested create runs each model's hooks; the parent's after hooks once its children exist (Sequelize)", function()
      local Post = db:define("Post", { title = DataTypes.STRING })
      User:hasMany(Post)
      db:sync()
      Post:beforeCreate(function(p) note("post " .. p.title); p.title = p.title:upper() end)
      Post:afterCreate(function(p) note("post created " .. p.title) end)
      User:beforeCreate(function(u) note("user " .. u.username) end)
      User:afterCreate(function(u) note("user created, posts " .. #u.Posts) end)
      local u = User:create({ username = "a", Posts = { { title = "x" }, { title = "y" } } }, { include = { Post } })
      assert.are.equal("user a, post x, post created X, post y, post created Y, user created, posts 2", joined())
      assert.are.same({ "X", "Y" }, support.sorted(support.field(u.Posts, "title")))
      -- build(..., { include }):save() too
      User:build({ username = "b", Posts = { { title = "z" } } }, { include = { Post } }):save()
      assert.are.equal("user b, post z, post created Z, user created, posts 1", joined())
    end)

    it("reload runs the find hooks (it reads with findOne, as Sequelize)", function()
      local u = User:create({ username = "a" })
      User:beforeFind(function() note("bf") end)
      User:afterFind(function() note("af") end)
      u:reload()
      assert.are.equal("bf, af", joined())
    end)
  end)

  describe("instance destroy", function()
    it("runs beforeDestroy and afterDestroy; a before hook that raises keeps the row", function()
      local u = User:create({ username = "a" })
      User:beforeDestroy(function(x, o) note("bd " .. x.id) end)
      User:afterDestroy(function(x) note("ad " .. x.id) end)
      local v = User:create({ username = "b" })
      v:destroy()
      assert.are.equal("bd 2, ad 2", joined())
      User:beforeDestroy(function() error("kept") end)
      support.catch(function() u:destroy() end)
      assert.are.equal(1, User:count())
    end)
  end)

  describe("bulkCreate", function()
    it("beforeBulkCreate gets the built instances and its changes are inserted; no row hooks (Sequelize)", function()
      User:beforeBulkCreate(function(list, o)
        note("bbc " .. #list .. " " .. (list[1] and getmetatable(list[1]).__name or "-"))
        if list[1] then list[1].username = "changed" end
      end)
      User:afterBulkCreate(function(list)
        local ids = {}
        for i, x in ipairs(list) do ids[i] = x.id end
        note("abc " .. table.concat(ids, ","))
      end)
      User:beforeCreate(function() note("row hook") end)
      local rows = User:bulkCreate({ { username = "a" }, { username = "b" }, { username = "c" } })
      assert.are.equal("bbc 3 User, abc 1,2,3", joined())
      assert.are.equal("changed", rows[1].username)
      assert.are.equal("changed", row(1).username)
      assert.are.equal(1, #support.statements(log, "INSERT"))
      -- an empty list: no hooks (Sequelize returns [] before any)
      assert.are.equal("[]", Sequelize.stringify(User:bulkCreate({})))
      assert.are.equal("", joined())
    end)

    it("individualHooks saves each row with its hooks, in one transaction", function()
      User:beforeCreate(function(u) note("bc " .. u.username); if u.username == "bad" then error("no") end end)
      User:bulkCreate({ { username = "d" }, { username = "e" } }, { individualHooks = true })
      assert.are.equal("bc d, bc e", joined())
      assert.are.equal(2, #support.statements(log, "INSERT"))
      support.catch(function()
        User:bulkCreate({ { username = "f" }, { username = "bad" } }, { individualHooks = true })
      end)
      assert.are.equal(2, User:count())
    end)

    it("validate = true runs the validation hooks only with individualHooks", function()
      User:beforeValidate(function() note("bv") end)
      User:bulkCreate({ { email = "a@b.org" } }, { validate = true })
      assert.are.equal("", joined())
      User:bulkCreate({ { email = "a@b.org" } }, { validate = true, individualHooks = true })
      assert.are.equal("bv", joined())
      local err = support.catch_error(function() User:bulkCreate({ { email = "bad" } }, { validate = true }) end)
      assert.are.equal("AggregateError", err.name)
    end)
  end)

  describe("static update and destroy", function()
    before_each(function()
      User:bulkCreate({ { username = "a", n = 1 }, { username = "b", n = 2 }, { username = "c", n = 3 } }, { hooks = false })
      support.clear(log)
    end)

    it("beforeBulkUpdate may change the values given; an attribute it adds is not written (Sequelize)", function()
      User:beforeBulkUpdate(function(o)
        note("bbu " .. tostring(o.where.n[Op.lt]))
        o.attributes.username = "from hook"
        o.attributes.n = 99
      end)
      User:afterBulkUpdate(function(o) note("abu " .. o.attributes.username) end)
      local n, rows = User:update({ username = "x" }, { where = { n = { [Op.lt] = 3 } } })
      assert.are.equal(2, n)
      assert.is_nil(rows)
      assert.are.equal("bbu 3, abu from hook", joined())
      assert.are.same({ "updatedAt", "username" }, support.set_columns(support.statements(log, "UPDATE")[1]))
      assert.are.equal("from hook", row(1).username)
      assert.are.equal(1, row(1).n)
    end)

    it("beforeBulkUpdate sees updatedAt among the values and fields; what it leaves there is written", function()
      -- Sequelize 6.37.8: attributes name,updatedAt / fields name,updatedAt (a Date); set to 2001-01-01 ->
      -- "2001-01-01 00:00:00.000 +00:00"; removed -> the row's updatedAt unchanged; silent: attributes n,
      -- fields n,updatedAt; fields = { "name" } -> fields name,updatedAt, updatedAt written; {} alone -> [0]
      local mode, seen = nil, {}
      User:beforeBulkUpdate(function(o)
        local ks = {}
        for k in pairs(o.attributes) do ks[#ks + 1] = k end
        table.sort(ks)
        seen[#seen + 1] = table.concat(ks, ",") .. " / " .. table.concat(o.fields, ",")
        if mode == "set" then o.attributes.updatedAt = "2001-01-01T00:00:00Z" end
        if mode == "del" then o.attributes.updatedAt = nil end
      end)
      local function stamp() return row(1).updatedAt end
      db:query("UPDATE Users SET updatedAt = '" .. support.OLD_STAMP .. "'")
      User:update({ username = "b" }, { where = { id = 1 } })
      assert.are_not.equal(support.OLD_STAMP, stamp())
      mode = "set"
      User:update({ username = "c" }, { where = { id = 1 } })
      assert.equal("2001-01-01 00:00:00.000 +00:00", stamp())
      mode = "del"
      User:update({ username = "d" }, { where = { id = 1 } })
      assert.same({ "d", "2001-01-01 00:00:00.000 +00:00" }, { row(1).username, stamp() })
      mode = nil
      User:update({ n = 7 }, { where = { id = 1 }, silent = true })
      assert.equal("2001-01-01 00:00:00.000 +00:00", stamp())
      User:update({ username = "e", n = 8 }, { where = { id = 1 }, fields = { "username" } })
      assert.are_not.equal("2001-01-01 00:00:00.000 +00:00", stamp())
      assert.same({ "e", 7 }, { row(1).username, row(1).n })
      assert.equal(0, User:update({}, { where = { id = 1 } }))
      assert.same({ "updatedAt,username / username,updatedAt", "updatedAt,username / username,updatedAt",
                    "updatedAt,username / username,updatedAt", "n / n,updatedAt",
                    "updatedAt,username / username,updatedAt", "updatedAt / updatedAt" }, seen)
    end)

    it("beforeBulkUpdate that adds an attribute to options.fields writes it (Sequelize)", function()
      User:beforeBulkUpdate(function(o)
        o.attributes.n = 51
        o.fields[#o.fields + 1] = "n"
      end)
      User:update({ username = "y" }, { where = { id = 1 } })
      assert.are.same({ "y", 51 }, { row(1).username, row(1).n })
      assert.are.equal(2, row(2).n)
    end)

    it("fields that leave out every value given write nothing: not the defaults of the fields listed (Sequelize)", function()
      -- Sequelize 6.37.8: Thing.update({ name: 'b4' }, { where, fields: ['n', 's'] }) with a
      -- beforeBulkUpdate hook -> attributes {"updatedAt"}, no UPDATE, [0]; the row keeps n 5, s "x"
      -- (with individualHooks too: no UPDATE)
      local Thing = db:define("Thing", { name = DataTypes.STRING, n = { type = DataTypes.INTEGER, defaultValue = 0 },
                                         s = { type = DataTypes.STRING, defaultValue = "dflt" } })
      Thing:sync()
      local seen
      Thing:beforeBulkUpdate(function(o)
        local ks = {}
        for k in pairs(o.attributes) do ks[#ks + 1] = k end
        table.sort(ks)
        seen = table.concat(ks, ",")
      end)
      Thing:bulkCreate({ { name = "a", n = 5, s = "x" } })
      support.clear(log)
      assert.are.equal(0, Thing:update({ name = "b4" }, { where = { name = "a" }, fields = { "n", "s" } }))
      assert.are.equal("updatedAt", seen)
      assert.are.equal(0, (Thing:update({ name = "b5" }, { where = { name = "a" }, fields = { "n" }, individualHooks = true })))
      assert.are.equal(0, #support.statements(log, "UPDATE"))
      local t = support.raw(db, "SELECT name, n, s FROM Things")[1]
      assert.are.same({ "a", 5, "x" }, { t.name, t.n, t.s })
    end)

    it("a beforeBulkUpdate that adds an attribute fields leaves out: the rows' updatedAt is written (Sequelize)", function()
      -- Sequelize 6.37.8: Thing.update({ name: 'q' }, { where, fields: ['n'] }) with a beforeBulkUpdate
      -- setting options.attributes.s = 'h' -> UPDATE `Things` SET `updatedAt`=$1 WHERE `name` = $2, [1]
      -- (valuesUse holds updatedAt and s: not updatedAt alone); s and n unchanged. Without fields, the
      -- hook removing name and adding s: the same UPDATE, [1]
      local Thing = db:define("Thing", { name = DataTypes.STRING, n = { type = DataTypes.INTEGER, defaultValue = 0 },
                                         s = { type = DataTypes.STRING, defaultValue = "dflt" } })
      Thing:sync()
      local drop = false
      Thing:beforeBulkUpdate(function(o)
        o.attributes.s = "h"
        if drop then o.attributes.name = nil end
      end)
      Thing:bulkCreate({ { name = "a", n = 5, s = "x" } })
      db:query("UPDATE Things SET updatedAt = '" .. support.OLD_STAMP .. "'")
      support.clear(log)
      assert.are.equal(1, Thing:update({ name = "q" }, { where = { name = "a" }, fields = { "n" } }))
      assert.are.same({ "updatedAt" }, support.set_columns(support.statements(log, "UPDATE")[1]))
      local t = support.raw(db, "SELECT name, n, s, updatedAt FROM Things")[1]
      assert.are.same({ "a", 5, "x" }, { t.name, t.n, t.s })
      assert.are_not.equal(support.OLD_STAMP, t.updatedAt)
      drop = true
      db:query("UPDATE Things SET updatedAt = '" .. support.OLD_STAMP .. "'")
      assert.are.equal(1, Thing:update({ name = "r" }, { where = { name = "a" } }))
      t = support.raw(db, "SELECT name, s, updatedAt FROM Things")[1]
      assert.are.same({ "a", "x" }, { t.name, t.s })
      assert.are_not.equal(support.OLD_STAMP, t.updatedAt)
    end)

    it("validation hooks run on the instance built from the values (Sequelize)", function()
      User:beforeValidate(function(u) note("bv " .. tostring(u.username)) end)
      User:update({ username = "q" }, { where = { id = 1 } })
      assert.are.equal("bv q", joined())
      User:update({ username = "r" }, { where = { id = 1 }, validate = false })
      assert.are.equal("", joined())
    end)

    it("the values are validated before beforeBulkUpdate, whose changes are written unchecked (Sequelize)", function()
      User:beforeValidate(function(u) note("bv " .. tostring(u.email)) end)
      User:beforeBulkUpdate(function(o) note("bbu"); o.attributes.email = "not an email" end)
      User:update({ email = "a@b.cd" }, { where = { id = 1 } })
      assert.are.equal("bv a@b.cd, bbu", joined())
      assert.are.equal("not an email", row(1).email)
      local err = support.catch(function() User:update({ email = "bad" }, { where = { id = 2 } }) end)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal("bv bad", joined()) -- (the bulk hook never ran)
      assert.are_not.equal("string", type(row(2).email))
    end)

    it("individualHooks: the same changes on every row go in one UPDATE with the where given", function()
      User:beforeUpdate(function(u) note("bu " .. u.id); u.n = 50 end)
      User:afterUpdate(function(u) note("au " .. u.id) end)
      local n, rows = User:update({ username = "y" }, { where = { id = { 1, 2 } }, individualHooks = true })
      assert.are.equal(2, n)
      assert.are.same({ 1, 2 }, support.ids(rows))
      assert.are.equal("bu 1, bu 2, au 1, au 2", joined())
      local ups = support.statements(log, "UPDATE")
      assert.are.equal(1, #ups)
      assert.truthy(ups[1]:find("IN (?, ?)", 1, true))
      assert.are.equal(50, row(2).n)
      assert.are.equal("y", row(2).username)
    end)

    it("individualHooks matching no row: the bulk UPDATE still runs, as Sequelize's, and changes nothing", function()
      -- Sequelize 6.37.8: SELECT ... WHERE `User`.`username` = 'zz'; then
      -- UPDATE `Users` SET `n`=$1,`updatedAt`=$2 WHERE `username` = $3 -> [0, []];
      -- beforeBulkUpdate and afterBulkUpdate run, no row hook; with values {}: no UPDATE
      User:beforeBulkUpdate(function() note("bbu") end)
      User:afterBulkUpdate(function() note("abu") end)
      User:beforeUpdate(function() note("bu") end)
      local before = support.raw(db, "SELECT * FROM Users ORDER BY id")
      local n, rows = User:update({ n = 7 }, { where = { username = "zz" }, individualHooks = true })
      assert.are.equal(0, n)
      assert.are.same({}, rows)
      assert.are.equal("bbu, abu", joined())
      local ups = support.statements(log, "UPDATE")
      assert.are.equal(1, #ups)
      assert.are.same({ "n", "updatedAt" }, support.set_columns(ups[1]))
      assert.are.same(before, support.raw(db, "SELECT * FROM Users ORDER BY id"))
      support.clear(log)
      assert.are.equal(0, (User:update({}, { where = { username = "zz" }, individualHooks = true })))
      assert.are.equal(0, #support.statements(log, "UPDATE"))
    end)

    it("individualHooks: values no row changes are still written and the rows counted, but a stamp alone (Sequelize)", function()
      -- Sequelize 6.37.8: update({ n: 1 }) on the row holding n 1 with individualHooks, silent ->
      -- UPDATE `Users` SET `n`=$1 WHERE `id` = $2, [1] (as without individualHooks); not silent:
      -- the rows' updatedAt alone changed -> no UPDATE, [0]
      User:beforeUpdate(function(u) note("bu " .. u.id) end)
      local n, rows = User:update({ n = 1 }, { where = { id = 1 }, individualHooks = true, silent = true })
      assert.are.equal(1, n)
      assert.are.same({ 1 }, support.ids(rows))
      assert.are.same({ "n" }, support.set_columns(support.statements(log, "UPDATE")[1]))
      support.clear(log)
      assert.are.equal(0, (User:update({ n = 1 }, { where = { id = 1 }, individualHooks = true })))
      assert.are.equal(0, #support.statements(log, "UPDATE"))
      assert.are.equal("bu 1, bu 1", joined())
    end)

    it("individualHooks: different changes save each row on its own, the update's fields only (Sequelize)", function()
      User:beforeUpdate(function(u) u.password = "p" .. u.id end)
      local n = User:update({ username = "z" }, { where = { id = { 1, 2 } }, individualHooks = true })
      assert.are.equal(2, n)
      local ups = support.statements(log, "UPDATE")
      assert.are.equal(2, #ups)
      assert.are.same({ "updatedAt", "username" }, support.set_columns(ups[1]))
      assert.are.equal("z", row(1).username)
    end)

    it("individualHooks, silent: the rows saved each on its own keep their updatedAt (Sequelize)", function()
      -- Sequelize 6.37.8, the same calls: UPDATE `Users` SET `username`=$1 WHERE `id` = $2, twice; [2];
      -- rows 1 and 2 username "z", updatedAt still 2000-01-01 00:00:00.000 +00:00
      db:query("UPDATE Users SET updatedAt = '" .. support.OLD_STAMP .. "'")
      User:beforeUpdate(function(u) u.password = "p" .. u.id end)
      support.clear(log)
      local n = User:update({ username = "z" }, { where = { id = { 1, 2 } }, individualHooks = true, silent = true })
      assert.are.equal(2, n)
      local ups = support.statements(log, "UPDATE")
      assert.are.equal(2, #ups)
      assert.are.same({ "username" }, support.set_columns(ups[1]))
      assert.are.same({ "username" }, support.set_columns(ups[2]))
      for id = 1, 2 do assert.are.same({ "z", support.OLD_STAMP }, { row(id).username, row(id).updatedAt }) end
    end)

    it("destroy runs the bulk hooks, and with individualHooks each row's; a row hook that raises deletes nothing", function()
      User:beforeBulkDestroy(function(o) note("bbd " .. Sequelize.stringify(o.where)) end)
      User:afterBulkDestroy(function() note("abd") end)
      User:beforeDestroy(function(u) note("bd " .. u.id) end)
      User:afterDestroy(function(u) note("ad " .. u.id) end)
      assert.are.equal(1, User:destroy({ where = { id = 3 } }))
      assert.are.equal('bbd {"id":3}, abd', joined())
      assert.are.equal(1, User:destroy({ where = { id = 2 }, individualHooks = true }))
      assert.are.equal('bbd {"id":2}, bd 2, ad 2, abd', joined())
      User:beforeDestroy(function() error("stop") end)
      support.catch(function() User:destroy({ where = { id = 1 }, individualHooks = true }) end)
      assert.are.equal(1, User:count())
    end)

    it("truncate with individualHooks runs each row's destroy hooks (Sequelize's destroy with truncate)", function()
      -- Sequelize 6.37.8: Tag.truncate({ individualHooks: true }) on two rows -> beforeBulkDestroy (truncate
      -- true), beforeDestroy per row, afterDestroy per row, afterBulkDestroy; the table empty; without
      -- individualHooks the bulk hooks only
      User:beforeBulkDestroy(function(o) note("bbd " .. tostring(o.truncate)) end)
      User:afterBulkDestroy(function() note("abd") end)
      User:beforeDestroy(function(u) note("bd " .. u.id) end)
      User:afterDestroy(function(u) note("ad " .. u.id) end)
      User:truncate({ individualHooks = true })
      assert.are.equal("bbd true, bd 1, bd 2, bd 3, ad 1, ad 2, ad 3, abd", joined())
      assert.are.equal(0, User:count())
      User:create({ username = "n" })
      User:truncate()
      assert.are.equal("bbd true, abd", joined())
    end)

    it("hooks = false with individualHooks runs the row hooks, not the bulk ones (update, destroy, bulkCreate, restore)", function()
      -- Sequelize 6.37.8: update -> [1, [{..."username":"Y"}]], hooks "bu 1, au 1"; destroy "bd 3, ad 3";
      -- bulkCreate "bc, ac" (the row written "Q"), with validate = true "bv, bc, ac"; restore "br 1, ar 1"
      for _, k in ipairs({ "beforeBulkUpdate", "afterBulkUpdate", "beforeBulkDestroy", "afterBulkDestroy",
                           "beforeBulkCreate", "afterBulkCreate", "beforeBulkRestore", "afterBulkRestore" }) do
        User:addHook(k, function() note(k) end)
      end
      User:beforeUpdate(function(u) note("bu " .. u.id); u.username = u.username:upper() end)
      User:afterUpdate(function(u) note("au " .. u.id) end)
      User:beforeDestroy(function(u) note("bd " .. u.id) end)
      User:afterDestroy(function(u) note("ad " .. u.id) end)
      User:beforeValidate(function() note("bv") end)
      User:beforeCreate(function(u) note("bc"); u.username = u.username:upper() end)
      User:afterCreate(function() note("ac") end)
      local n, rows = User:update({ username = "y" }, { where = { id = 1 }, hooks = false, individualHooks = true })
      assert.are.same({ 1, { 1 }, "Y" }, { n, support.ids(rows), row(1).username })
      assert.are.equal("bu 1, au 1", joined())
      assert.are.equal(1, User:destroy({ where = { id = 3 }, hooks = false, individualHooks = true }))
      assert.are.equal("bd 3, ad 3", joined())
      User:bulkCreate({ { username = "q" } }, { hooks = false, individualHooks = true })
      assert.are.equal("bc, ac", joined())
      assert.are.equal("Q", User:findOne({ order = { { "id", "DESC" } }, hooks = false }).username)
      User:bulkCreate({ { username = "r" } }, { hooks = false, individualHooks = true, validate = true })
      assert.are.equal("bv, bc, ac", joined())
      -- without individualHooks, hooks = false is none at all
      User:update({ username = "z" }, { where = { id = 1 }, hooks = false })
      User:destroy({ where = { id = 2 }, hooks = false })
      User:bulkCreate({ { username = "s" } }, { hooks = false, validate = true })
      assert.are.equal("", joined())
      local P = db:define("Par", { name = DataTypes.STRING }, { paranoid = true })
      P:sync()
      P:beforeBulkRestore(function() note("bbr") end)
      P:beforeRestore(function(p) note("br " .. p.id) end)
      P:afterRestore(function(p) note("ar " .. p.id) end)
      P:create({ name = "p" }):destroy()
      assert.are.equal(1, P:restore({ where = {}, hooks = false, individualHooks = true }))
      assert.are.equal("br 1, ar 1", joined())
      assert.are.equal(1, P:count())
    end)
  end)

  describe("finders", function()
    before_each(function()
      User:bulkCreate({ { username = "a", n = 1 }, { username = "b", n = 2 }, { username = "c", n = 300 } }, { hooks = false })
      support.clear(log)
    end)

    it("beforeFind may change the where (on its own copy); afterFind gets the list, the instance or nil", function()
      User:beforeFind(function(o)
        note("bf " .. Sequelize.stringify(o.where))
        o.where = o.where or {}
        o.where.n = { [Op.lt] = 100 }
      end)
      User:afterFind(function(r)
        note("af " .. (r == nil and "nil" or (r.id and ("one " .. r.id) or ("list " .. #r))))
      end)
      local given = { where = { username = "c" } }
      assert.are.equal(0, #User:findAll(given))
      assert.is_nil(given.where.n)
      assert.are.equal(2, #User:findAll())
      assert.are.equal(1, User:findOne({ where = { id = 1 } }).id)
      assert.are.equal(2, User:findByPk(2).id)
      assert.is_nil(User:findByPk(3)) -- n = 300: the hook's where hides it
      assert.are.equal('bf {"username":"c"}, af list 0, bf null, af list 2, bf {"id":1}, af one 1, bf {"id":2}, af one 2, bf {"id":3}, af nil',
        joined())
      assert.is_nil(User:findAll({ hooks = false })[4])
      assert.are.equal(3, #User:findAll({ hooks = false }))
    end)

    it("association getters go through the finders' hooks", function()
      local Post = db:define("Post", { title = DataTypes.STRING })
      User:hasMany(Post)
      db:sync()
      Post:bulkCreate({ { title = "t1", UserId = 1 }, { title = "hidden", UserId = 1 } })
      Post:beforeFind(function(o) o.where = { [Op["and"]] = { o.where, { title = { [Op.ne] = "hidden" } } } } end)
      local u = User:findByPk(1)
      assert.are.same({ "t1" }, support.field(u:getPosts(), "title"))
    end)

    it("beforeCount may change the options; findAndCountAll runs count's and the finders' hooks", function()
      User:beforeCount(function(o) note("bc"); o.where = { n = { [Op.lt] = 100 } } end)
      User:beforeFind(function() note("bf") end)
      assert.are.equal(2, User:count())
      local r = User:findAndCountAll({ limit = 1 })
      assert.are.equal(2, r.count)
      assert.are.equal(1, #r.rows)
      assert.are.equal("bc, bc, bf", joined())
    end)

    it("beforeCount sees distinct and col as given, with hooks and raw set; what it sets in them counts", function()
      -- Sequelize 6.37.8, count({ distinct: true, col: 'username' }): the hook's options are
      -- { col, distinct, hooks: true, raw: true }; count({ col: 'username' }) with the hook setting
      -- distinct -> count(DISTINCT(`username`)); count() with the hook setting col -> count(`n`);
      -- count({ distinct: true, col: 'username' }) with the hook setting distinct false -> count(`username`)
      User:bulkCreate({ { username = "a", n = 1 }, { username = "a", n = 2 }, { username = "b" } }, { hooks = false })
      local seen, set = {}, {}
      User:beforeCount(function(o)
        local ks = {}
        for k in pairs(o) do ks[#ks + 1] = k end
        table.sort(ks)
        seen[#seen + 1] = table.concat(ks, ",")
        for k, v in pairs(set) do o[k] = v end
      end)
      support.clear(log)
      -- (six rows: usernames a, b, c, a, a, b; n null on one)
      assert.are.equal(3, User:count({ distinct = true, col = "username" }))
      assert.are.same({ "col,distinct,hooks,raw" }, seen)
      set = { distinct = true }
      assert.are.equal(3, User:count({ col = "username" }))
      set = { col = "n" }
      assert.are.equal(5, User:count())
      set = { distinct = false }
      assert.are.equal(6, User:count({ distinct = true, col = "username" }))
      assert.are.same({ "col,distinct,hooks,raw", "col,hooks,raw", "hooks,raw", "col,distinct,hooks,raw" }, seen)
      local sql = support.statements(log, "SELECT")
      assert.is_truthy(sql[2]:find("count(DISTINCT(`User`.`username`))", 1, true), sql[2])
      assert.is_truthy(sql[3]:find("count(`User`.`n`)", 1, true), sql[3])
      assert.is_truthy(sql[4]:find("count(`User`.`username`)", 1, true), sql[4])
    end)
  end)

  describe("scoped models", function()
    it("run the model's hooks; a hook added through one is the model's; the scope is merged first", function()
      User:addScope("big", { where = { n = { [Op.gt] = 10 } } })
      User:bulkCreate({ { username = "a", n = 1 }, { username = "b", n = 20 } }, { hooks = false })
      User:scope("big"):beforeFind(function(o) note("bf " .. tostring(o.where and o.where.n[Op.gt])) end)
      assert.is_true(User:hasHook("beforeFind"))
      assert.are.same({ "b" }, support.field(User:scope("big"):findAll(), "username"))
      assert.are.equal(1, User:scope("big"):count())
      assert.are.equal(2, #User:findAll())
      assert.are.equal("bf 10, bf nil", joined())
    end)
  end)

  describe("paranoid models", function()
    it("destroy and restore run their own hooks (not the update ones) and soft-delete", function()
      local Doc = db:define("Doc", { title = DataTypes.STRING }, { paranoid = true })
      Doc:sync()
      for _, t in ipairs({ "beforeDestroy", "afterDestroy", "beforeUpdate", "afterUpdate", "beforeRestore",
                           "afterRestore", "beforeBulkDestroy", "beforeBulkRestore", "afterBulkRestore" }) do
        Doc:addHook(t, function(x) note(t .. (type(x) == "table" and x.id and (" " .. x.id) or "")) end)
      end
      local d = Doc:create({ title = "a" })
      Doc:create({ title = "b" })
      support.clear(calls)
      d:destroy()
      assert.are.equal("beforeDestroy 1, afterDestroy 1", joined())
      assert.are.equal(1, Doc:count())
      assert.are.equal(2, Doc:count({ paranoid = false }))
      d:restore()
      assert.are.equal("beforeRestore 1, afterRestore 1", joined())
      Doc:destroy({ where = { title = "b" }, individualHooks = true })
      assert.are.equal("beforeBulkDestroy, beforeDestroy 2, afterDestroy 2", joined())
      assert.are.equal(2, Doc:count({ paranoid = false }))
      Doc:restore({ where = { title = "b" }, individualHooks = true })
      assert.are.equal("beforeBulkRestore, beforeRestore 2, afterRestore 2, afterBulkRestore", joined())
      assert.are.equal(2, Doc:count())
    end)

    it("a static update with paranoid = false and individualHooks reaches the soft-deleted rows too", function()
      -- Sequelize 6.37.8: SELECT ... FROM `Docs` AS `Doc` (no deletedAt clause), beforeUpdate 1 a,
      -- beforeUpdate 2 b, UPDATE `Docs` SET `title`=$1,`updatedAt`=$2 -> [2, [rows]], both rows "c"
      local Doc = db:define("Doc", { title = DataTypes.STRING }, { paranoid = true })
      Doc:sync()
      local d = Doc:create({ title = "a" })
      Doc:create({ title = "b" })
      d:destroy()
      Doc:beforeUpdate(function(x) note("beforeUpdate " .. x.id .. " " .. x.title) end)
      local n, rows = Doc:update({ title = "c" }, { where = {}, paranoid = false, individualHooks = true })
      assert.are.equal(2, n)
      assert.are.equal(2, #rows)
      assert.are.equal("beforeUpdate 1 c, beforeUpdate 2 c", joined())
      assert.same({ "c", "c" }, support.field(support.raw(db, "SELECT title FROM Docs ORDER BY id"), "title"))
      -- without paranoid = false the soft-deleted row stays out, as the plain update leaves it
      n = Doc:update({ title = "e" }, { where = {}, individualHooks = true })
      assert.are.equal(1, n)
      assert.same({ "c", "e" }, support.field(support.raw(db, "SELECT title FROM Docs ORDER BY id"), "title"))
    end)
  end)

  describe("upsert", function()
    it("runs beforeUpsert(values) and afterUpsert({ instance, created }) and no create/update hooks", function()
      User:beforeValidate(function() note("bv") end)
      local seen
      User:beforeUpsert(function(values, o)
        note("bu"); values.password = "from hook"; seen = table.concat(o.fields, ",")
      end)
      User:afterUpsert(function(res) note("au " .. tostring(res[2])) end)
      User:beforeCreate(function() note("create hook") end)
      local u, created = User:upsert({ id = 1, username = "up" })
      assert.is_true(created)
      -- the instance is built before the hook (Sequelize): its changes to the values are not
      -- written; options.fields is the attributes given
      assert.is_nil(u.password)
      assert.are.equal(Sequelize.null, row(1).password)
      assert.are.same({ "id", "username" }, (function() local t = {} for f in seen:gmatch("[^,]+") do t[#t + 1] = f end table.sort(t) return t end)())
      User:upsert({ id = 1, username = "up2" })
      assert.are.equal("bv, bu, au true, bv, bu, au false", joined())
      assert.are.equal("up2", row(1).username)
    end)
  end)

  describe("Sequelize-wide hooks", function()
    it("run for every model, after the model's own", function()
      db:addHook("beforeCreate", function(inst) note("global " .. inst.Model.name) end)
      User:beforeCreate(function() note("model") end)
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      Tag:sync()
      User:create({ username = "a" })
      Tag:create({ name = "t" })
      assert.are.equal("model, global User, global Tag", joined())
      assert.is_true(db:hasHook("beforeCreate"))
      db:removeHook("beforeCreate", db._hooks.beforeCreate[1].fn)
      Tag:create({ name = "u" })
      assert.are.equal("", joined())
    end)

    it("a tableName an afterDefine hook sets after running queries: the statements kept by them are not reused", function()
      db:afterDefine(function(M)
        if M.name == "early" then
          M:sync(); M:create({ n = "a" })
          local r = M:findByPk(1); r.n = "b"; r:save() -- (kept: findByPk's and the UPDATE by key)
          M.tableName = "early_renamed"
        end
      end)
      local E = db:define("early", { n = DataTypes.STRING }, { timestamps = false })
      E:sync()
      local r = E:create({ n = "x" })
      r.n = "y"; r:save()
      assert.are.equal("y", E:findByPk(1).n)
      assert.are.same({ { id = 1, n = "b" } }, db:query("SELECT * FROM earlies", { type = "SELECT" }))
      assert.are.same({ { id = 1, n = "y" } }, db:query("SELECT * FROM early_renamed", { type = "SELECT" }))
    end)

    it("a tableName an afterDefine hook gives a model with a schema is the bare name, in the schema (Sequelize)", function()
      db:afterDefine(function(M) if M.name == "inschema" then M.tableName = "moved" end end)
      local S = db:define("inschema", { n = DataTypes.STRING }, { schema = "sch", timestamps = false })
      assert.are.equal("sch.moved", S.tableName)
      assert.are.equal("`sch.moved`", tostring(S:getTableName()))
      S:sync()
      S:create({ n = "x" })
      assert.are.equal(1, #db:query("SELECT * FROM `sch.moved`", { type = "SELECT" }))
    end)

    it("names an afterDefine hook gives the model are the ones its associations and table take", function()
      -- Sequelize: options.name set there names the associations made later (HumanId, getHuman),
      -- tableName the table; Model.name cannot be assigned (a class's name)
      db:afterDefine(function(M)
        if M.name == "person" then M.options.name = { singular = "Human", plural = "Humans" } end
        if M.name == "thing" then M.name = "Gadget" end
        if M.name == "box" then M.tableName = "crates" end
      end)
      local P = db:define("person", { n = DataTypes.STRING }, { timestamps = false })
      local T = db:define("thing", { n = DataTypes.STRING }, { timestamps = false })
      local B = db:define("box", { n = DataTypes.STRING }, { timestamps = false })
      assert.are.equal("thing", T.name)
      assert.are.equal("crates", B:getTableName())
      local a = T:belongsTo(P)
      assert.are.same({ "Human", "HumanId", "getHuman" }, { a.as, a.foreignKey, a.accessors.get })
      assert.are.equal("HumanId", P:hasMany(T).foreignKey)
      B:belongsTo(T)
      db:sync()
      assert.are.same({ "id", "n", "thingId" }, support.column_names(db, "crates"))
      local t = T:create({ n = "t", HumanId = P:create({ n = "p" }).id })
      B:create({ n = "b", thingId = t.id })
      assert.are.equal("p", T:findOne({ include = { "Human" } }).Human.n)
      assert.are.equal(1, #db:query("SELECT * FROM crates"))
      db:afterDefine(function(M) if M.name == "bad" then M.tableName = 5 end end)
      local ok, err = pcall(db.define, db, "bad", {})
      assert.is_false(ok)
      assert.truthy(tostring(err):find("bad: the tableName an afterDefine hook sets must be a non-empty string", 1, true), tostring(err))
    end)

    it("beforeDefine/afterDefine, and the sync hooks", function()
      db:beforeDefine(function(attrs, options)
        note("define")
        attrs.extra = DataTypes.STRING
      end)
      db:afterDefine(function(M) note("defined " .. M.name) end)
      local Tag = db:define("Tag", { name = DataTypes.STRING }, {
        hooks = { beforeSync = function() note("tag sync") end, afterSync = function() note("tag synced") end },
      })
      assert.is_not_nil(Tag.rawAttributes.extra)
      db:beforeBulkSync(function() note("bulk") end)
      db:afterBulkSync(function() note("bulk done") end)
      db:sync()
      assert.are.equal("define, defined Tag, bulk, tag sync, tag synced, bulk done", joined())
      assert.are.same({ "id", "extra", "name", "createdAt", "updatedAt" }, support.column_names(db, "Tags"))
      Tag:sync()
      assert.are.equal("tag sync, tag synced", joined())
      -- a db-wide beforeSync / afterSync runs for every model, hooks of its own or not
      db:addHook("beforeSync", function() note("db sync") end)
      db:sync()
      local n = select(2, joined():gsub("db sync", ""))
      local models = 0
      for _ in pairs(db.models) do models = models + 1 end
      assert.are.equal(models, n)
    end)

    it("beforeAssociate/afterAssociate on the source model, for an association made with hooks = true", function()
      -- Sequelize 6.37.8: U.hasMany(P) runs none; U.hasOne(C, { hooks: true }) runs both
      local Post = db:define("Post", { title = DataTypes.STRING })
      local Com = db:define("Com", { body = DataTypes.STRING })
      User:beforeAssociate(function(info) note("before " .. info.type .. " " .. info.target.name) end)
      User:afterAssociate(function(info) note("after " .. info.association.as) end)
      User:hasMany(Post)
      assert.are.equal("", joined())
      User:hasOne(Com, { hooks = true })
      assert.are.equal("before HasOne Com, after Com", joined())
    end)

    it("onDelete = 'CASCADE' with hooks = true destroys the associated rows one by one, with their hooks", function()
      -- Sequelize 6.37.8 (queryInterface.delete): "bd post q1, bd com c1, ad com c1, ad post q1,
      -- bd post q2, ad post q2", then nothing left; a static destroy leaves it to the database
      local Post = db:define("Post", { title = DataTypes.STRING })
      local Com = db:define("Com", { body = DataTypes.STRING })
      User:hasMany(Post, { onDelete = "CASCADE", hooks = true }); Post:belongsTo(User)
      Post:hasMany(Com, { onDelete = "CASCADE", hooks = true }); Com:belongsTo(Post)
      db:sync()
      Post:beforeDestroy(function(p) note("bd post " .. p.title) end)
      Post:afterDestroy(function(p) note("ad post " .. p.title) end)
      Com:beforeDestroy(function(c) note("bd com " .. c.body) end)
      Com:afterDestroy(function(c) note("ad com " .. c.body) end)
      local u, u2 = User:create({ username = "u" }), User:create({ username = "u2" })
      local q1 = Post:create({ title = "q1", UserId = u.id })
      Com:create({ body = "c1", PostId = q1.id })
      Post:create({ title = "q2", UserId = u.id })
      u:destroy()
      assert.are.equal("bd post q1, bd com c1, ad com c1, ad post q1, bd post q2, ad post q2", joined())
      assert.are.same({ 0, 0 }, { Post:count(), Com:count() })
      local q3 = Post:create({ title = "q3", UserId = u2.id })
      Com:create({ body = "c3", PostId = q3.id })
      User:destroy({ where = { id = u2.id } })
      assert.are.equal("", joined())
      assert.are.same({ 0, 0 }, { Post:count(), Com:count() })
    end)

    -- A self hasMany with onDelete = "CASCADE" and hooks = true: each level's destroy ran in a
    -- savepoint of its own, inside a pcall (a C frame per level), and Lua 5.4 raised "C stack
    -- overflow" at about 196 levels. The cascade is one transaction now, its levels plain Lua
    -- calls. Order as Sequelize 6.37.8's (Node, the same tree): before r, a, a1, a11, after a11,
    -- a1, before a2, after a2, a, before b, b1, after b1, b, r; one SELECT of children per row.
    local function tree_model()
      local N = db:define("Node", { name = DataTypes.STRING }, { timestamps = false })
      N:hasMany(N, { as = "children", foreignKey = "parentId", onDelete = "CASCADE", hooks = true })
      db:sync()
      return N
    end

    it("a self cascade: Sequelize's hook order, one transaction without a savepoint per level", function()
      local N = tree_model()
      local function mk(name, p) return N:create({ name = name, parentId = p and p.id or nil }) end
      local r = mk("r"); local a = mk("a", r); local b = mk("b", r)
      local a1 = mk("a1", a); mk("a2", a); mk("a11", a1); mk("b1", b)
      N:beforeDestroy(function(i) note("before " .. i.name) end)
      N:afterDestroy(function(i) note("after " .. i.name) end)
      local sql = {}
      r:destroy({ logging = function(s) sql[#sql + 1] = s end })
      assert.are.equal("before r, before a, before a1, before a11, after a11, after a1, before a2, after a2, "
        .. "after a, before b, before b1, after b1, after b, after r", joined())
      local n = { select = 0, delete = 0, savepoint = 0, begin = 0, commit = 0 }
      for _, s in ipairs(sql) do
        for k in pairs(n) do
          if s:find(k:upper(), 1, true) then n[k] = n[k] + 1 end
        end
      end
      assert.are.same({ select = 7, delete = 7, savepoint = 0, begin = 1, commit = 1 }, n)
      assert.are.equal(0, N:count())
    end)

    it("a self cascade 1,000 levels deep is destroyed; one failing at the bottom rolls all back", function()
      local N = tree_model()
      local DEPTH = 1000
      local prev
      db:transaction(function(t)
        for i = 1, DEPTH do prev = N:create({ name = "n" .. i, parentId = prev and prev.id or nil }, { transaction = t }) end
      end)
      local seen = 0
      N:beforeDestroy(function(i)
        seen = seen + 1
        if i.name == "n" .. DEPTH and rawget(_G, "FAIL_CASCADE") then error("bottom refused") end
      end)
      rawset(_G, "FAIL_CASCADE", true)
      local ok, err = pcall(function() return N:findByPk(1):destroy() end)
      rawset(_G, "FAIL_CASCADE", nil)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("bottom refused", 1, true), tostring(err))
      assert.are.equal(DEPTH, seen)
      assert.are.equal(DEPTH, N:count())
      seen = 0
      N:findByPk(1):destroy()
      assert.are.equal(DEPTH, seen)
      assert.are.equal(0, N:count())
    end)

    -- A cascade inside the caller's transaction that raised left its mark (the row it was
    -- destroying) on that transaction: the caller's next destroy of that row, in the same
    -- transaction, ran as a row of a cascade, with no savepoint of its own, and its own failing
    -- cascade left the rows it had deleted deleted.
    it("a cascade that raised in the caller's transaction: that row's next destroy is atomic again", function()
      local N = tree_model()
      local r = N:create({ name = "r" })
      local c = N:create({ name = "c", parentId = r.id })
      N:create({ name = "g1", parentId = c.id })
      N:create({ name = "g2", parentId = c.id })
      local held, refuse = nil, "c"
      N:beforeDestroy(function(i)
        if i.name == "c" then held = i end
        if i.name == refuse then error("refused " .. i.name) end
      end)
      local t = db:transaction()
      local ok, err = pcall(function() return r:destroy({ transaction = t }) end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("refused c", 1, true), tostring(err))
      assert.are.equal(4, N:count({ transaction = t }))
      refuse = "g2"
      ok, err = pcall(function() return held:destroy({ transaction = t }) end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("refused g2", 1, true), tostring(err))
      assert.are.equal(4, N:count({ transaction = t })) -- (g1 back: the savepoint rolled back)
      t:commit()
      assert.are.equal(4, N:count())
    end)

    -- The mark of a cascade that raised kept the transaction it ran in as the value of a
    -- weak-keyed table (the transaction itself, or a savepoint whose parent it is): LuaJIT has
    -- no ephemerons, so the transaction, its db, its models and the SQLite handle stayed for good.
    it("a cascade that raised leaves nothing that keeps its db alive (LuaJIT: no ephemerons)", function()
      local probe = setmetatable({}, { __mode = "k" })
      local function once(own)
        local d = support.open()
        local N = d:define("Node", { name = DataTypes.STRING }, { timestamps = false })
        N:hasMany(N, { as = "children", foreignKey = "parentId", onDelete = "CASCADE", hooks = true })
        d:sync()
        local r = N:create({ name = "r" })
        N:create({ name = "c", parentId = r.id })
        N:beforeDestroy(function(i) if i.name == "c" then error("refused c") end end)
        if own then
          assert.is_false((pcall(function() return r:destroy() end)))
        else
          local t = d:transaction()
          assert.is_false((pcall(function() return r:destroy({ transaction = t }) end)))
          t:rollback()
        end
        probe[d] = true
        d:close()
      end
      once(true)
      once(false)
      for _ = 1, 4 do collectgarbage("collect") end
      assert.is_nil(next(probe))
    end)

    it("a hook that takes the transaction out of a cascade's options: the rows still go", function()
      local N = tree_model()
      local r = N:create({ name = "r" })
      local c = N:create({ name = "c", parentId = r.id })
      N:create({ name = "g", parentId = c.id })
      N:beforeDestroy(function(_, o) if _.name == "c" then o.transaction = nil end end)
      r:destroy()
      assert.are.equal(0, N:count())
    end)

    it("the cascade finds lower-case aliases and lower-case model names (getPosts for as = 'posts')", function()
      -- Sequelize 6.37.8: both destroys succeed, every table empty afterwards
      local Post = db:define("Post", { title = DataTypes.STRING })
      local prof = db:define("profile", { bio = DataTypes.STRING })
      User:hasMany(Post, { as = "posts", onDelete = "CASCADE", hooks = true })
      User:hasOne(prof, { onDelete = "CASCADE", hooks = true })
      db:sync()
      Post:beforeDestroy(function(p) note("bd post " .. p.title) end)
      prof:beforeDestroy(function(p) note("bd profile " .. p.bio) end)
      local u = User:create({ username = "u" })
      u:createPost({ title = "a" })
      u:createProfile({ bio = "b" })
      u:destroy()
      assert.are.equal("bd post a, bd profile b", joined())
      assert.are.same({ 0, 0, 0 }, { Post:count(), prof:count(), User:count() })
    end)
  end)

  describe("query and connection hooks", function()
    -- Sequelize 6.37.8 (sequelize.query: runHooks('beforeQuery', options, query), the run,
    -- then runHooks('afterQuery', options, query) in a finally), logging on:
    --   bq sql=undefined type=INSERT model=U / log Executing (default): INSERT INTO `Us` ...
    --   / aq INSERT INTO `Us` ... ; for BEGIN and COMMIT too; a failing statement: its afterQuery
    --   runs, then the error; a beforeQuery that raises: no statement, afterQuery (sql
    --   undefined), its error; an afterQuery that raises: the row is written, its error
    it("beforeQuery and afterQuery run around each statement, the logger between them", function()
      local seen = {}
      db:addHook("beforeQuery", function(options, query)
        seen[#seen + 1] = query
        note(("before %s %s %s"):format(tostring(query.sql), options.type, options.model and options.model.name or "-"))
      end)
      db:afterQuery(function(options, query)
        assert.are.equal(seen[#seen], query) -- (the same query table for both)
        assert.are.equal(query.options, options)
        note("after " .. query.sql)
      end)
      local function logged()
        for _, line in ipairs(log) do note("log") end
        support.clear(log)
      end
      User:create({ username = "a" })
      assert.are.equal("before nil INSERT User, after INSERT INTO `Users` (`username`,`createdAt`,`updatedAt`) "
        .. "VALUES (?,?,?);", joined())
      db:transaction(function(t) User:findAll({ transaction = t, where = { username = "a" } }) end)
      local s = joined()
      assert.truthy(s:find("^before nil DEFERRED %-, after BEGIN DEFERRED TRANSACTION;, before nil SELECT User, "
        .. "after SELECT .-, before nil RAW %-, after COMMIT;$"), s)
      assert.are.equal(db, seen[#seen].sequelize)
      support.clear(log)
      -- the logger's line comes between the two hooks
      db:addHook("beforeQuery", function() logged() end)
      db:afterQuery(function() logged() end)
      db:query("SELECT 1")
      assert.are.equal("before nil RAW -, after SELECT 1, log", joined())
    end)

    it("a failing statement runs afterQuery, then raises; a beforeQuery that raises stops it", function()
      db:beforeQuery(function(_, q) note("before") end)
      db:afterQuery(function(_, q) note("after " .. tostring(q.sql)) end)
      local ok, err = pcall(db.query, db, "SELECT * FROM nope")
      assert.is_false(ok)
      assert.are.equal("SequelizeDatabaseError", err.name)
      assert.are.equal("before, after SELECT * FROM nope", joined())
      db:addHook("beforeQuery", "stopper", function() error("stop", 0) end)
      ok, err = pcall(User.create, User, { username = "x" })
      assert.are.same({ false, "stop" }, { ok, err })
      assert.are.equal("before, after nil", joined()) -- (the statement did not run)
      db:removeHook("beforeQuery", "stopper")
      assert.are.equal(0, User:count({ where = { username = "x" } }))
      support.clear(calls)
      db:addHook("afterQuery", "late", function() error("after", 0) end)
      ok, err = pcall(User.create, User, { username = "y" })
      assert.are.same({ false, "after" }, { ok, err })
      db:removeHook("afterQuery", "late")
      assert.are.equal(1, User:count({ where = { username = "y" } })) -- (it ran: Sequelize's too)
    end)

    it("a call unwound by a Lua error mid-statement leaves no dead call's context to a later failing call", function()
      -- (a replacements table whose __index raises stops db:query after its beforeQuery ran;
      -- the define refused next ran that statement's afterQuery through the gone call's
      -- context: a crash)
      db:beforeQuery(function() note("before") end)
      db:afterQuery(function() note("after") end)
      local strict = setmetatable({}, { __index = function(_, k) error("no key " .. k, 0) end })
      local ok, err = pcall(db.query, db, "SELECT :a AS x", { replacements = strict })
      assert.are.same({ false, "no key a" }, { ok, err })
      -- (C frames that overwrite the stack the gone call used, as any call in between may)
      local filler = table.concat({ ("\255"):rep(1000), ("\255"):rep(1000) })
      assert.are.equal(2000, #filler)
      ok, err = pcall(db.define, db, "Bad", { id = DataTypes.INTEGER })
      assert.is_false(ok)
      assert.are.equal("A column called 'id' was added to the attributes of 'Bads' but not marked with "
        .. "'primaryKey: true'", err.message)
      support.clear(calls)
      db:query("SELECT 1")
      assert.are.equal("before, after", joined())
    end)

    it("a beforeQuery hook's or logger's own failing call does not end the statement it runs for", function()
      -- Sequelize 6.37.8: a beforeQuery hook that catches a refused define: before, then the
      -- statement, then its afterQuery (with its sql)
      local function refused() return pcall(db.define, db, "Bad", { id = DataTypes.INTEGER }) end
      db:beforeQuery(function() note("before"); assert.is_false(refused()) end)
      db:afterQuery(function(_, q) note("after " .. tostring(q.sql)) end)
      db:query("SELECT 1")
      assert.are.equal("before, after SELECT 1", joined())
      db:query("SELECT 2", { logging = function() note("log"); assert.is_false(refused()); note("logged") end })
      assert.are.equal("before, log, logged, after SELECT 2", joined())
    end)

    it("the constructor's hooks option takes them; a model's are refused (Sequelize never runs them)", function()
      local got = {}
      local d = Sequelize.new({ dialect = "sqlite", storage = ":memory:", hooks = {
        afterQuery = function(_, q) got[#got + 1] = q.sql end,
      } })
      d:query("SELECT 2")
      assert.are.same({ "SELECT 2" }, got)
      local ok, err = pcall(User.addHook, User, "beforeQuery", function() end)
      assert.is_false(ok)
      assert.are.equal("User: the hook beforeQuery belongs to the Sequelize object, not to a model", err.message)
      -- (they are no model hooks: a model without hooks keeps its plain paths)
      assert.is_false(require("sequelua.hooks").hooked(d:define("Free", { a = DataTypes.STRING })))
      d:close()
    end)

    it("the connection hooks are taken and never run, as Sequelize's sqlite dialect runs none", function()
      -- Sequelize 6.37.8 (sqlite): hooks = { beforeConnect, afterConnect, beforeDisconnect,
      -- afterDisconnect, beforePoolAcquire, afterPoolAcquire } through sync, create, findAll, a
      -- transaction, queries and close: none runs (its sqlite connection manager opens the
      -- handle in getConnection, without _connect, and close runs no _disconnect)
      local types = { "beforeConnect", "afterConnect", "beforeDisconnect", "afterDisconnect",
                      "beforePoolAcquire", "afterPoolAcquire" }
      local hooks = {}
      for _, t in ipairs(types) do hooks[t] = function() note(t) end end
      local d = Sequelize.new({ dialect = "sqlite", storage = ":memory:", hooks = hooks })
      for _, t in ipairs(types) do
        assert.is_true(d:hasHook(t))
        d[t](d, function() note(t .. " 2") end)
      end
      local M = d:define("M", { a = DataTypes.STRING })
      assert.is_false(require("sequelua.hooks").hooked(M)) -- (no model hooks)
      d:sync()
      M:create({ a = "x" })
      d:transaction(function(t) M:findAll({ transaction = t }) end)
      d:query("SELECT 1")
      d:close()
      assert.are.equal("", joined())
      local ok, err = pcall(User.addHook, User, "afterConnect", function() end)
      assert.is_false(ok)
      assert.are.equal("User: the hook afterConnect belongs to the Sequelize object, not to a model", err.message)
    end)

    it("an afterQuery hook cannot run queries (the statement's results are still being read)", function()
      db:afterQuery(function() User:count() end)
      local ok, err = pcall(User.count, User)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("an afterQuery hook cannot run queries", 1, true))
    end)

    it("removing the last one turns them off", function()
      local fn = function() note("q") end
      db:beforeQuery(fn)
      User:count()
      assert.are.equal("q", joined())
      db:removeHook("beforeQuery", fn)
      assert.is_false(db:hasHook("beforeQuery"))
      User:count()
      assert.are.equal("", joined())
    end)
  end)

  describe("n:m join rows", function()
    it("addXs reads the join rows there once and makes the missing ones with the through model's bulkCreate", function()
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      local UserTag = db:define("UserTag", { level = DataTypes.INTEGER })
      User:belongsToMany(Tag, { through = UserTag })
      db:sync()
      UserTag:beforeBulkCreate(function(list) note("bbc " .. #list); for _, r in ipairs(list) do r.level = 7 end end)
      UserTag:beforeCreate(function() note("row create") end)
      local u = User:create({ username = "a" })
      local t1, t2 = Tag:create({ name = "x" }), Tag:create({ name = "y" })
      u:addTag(t1)
      support.clear(log)
      u:addTags({ t1, t2 })
      assert.are.equal("bbc 1, bbc 1", joined())
      assert.are.equal(1, #support.statements(log, "SELECT"))
      assert.are.equal(1, #support.statements(log, "INSERT"))
      assert.are.same({ 7, 7 }, support.field(support.raw(db, "SELECT level FROM UserTags ORDER BY TagId"), "level"))
    end)

    it("setXs reads every join row of the instance and destroys the obsolete ones by their keys, none when none is", function()
      -- Sequelize 6.37.8: setTags([t1, t2]) when linked to both: SELECT ... WHERE `UserTag`.`UserId` = ?,
      -- no destroy and no hook; setTags([t3]): beforeBulkDestroy where {"UserId":1,"TagId":[1,2]},
      -- DELETE ... WHERE `UserId` = ? AND `TagId` IN (1, 2), then the bulkCreate of t3's row
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      local UserTag = db:define("UserTag", { level = DataTypes.INTEGER })
      User:belongsToMany(Tag, { through = UserTag })
      db:sync()
      UserTag:beforeBulkDestroy(function(o)
        local keys = {}
        for i, k in ipairs(o.where.TagId) do keys[i] = k end
        note("bbd " .. o.where.UserId .. " " .. table.concat(keys, ","))
      end)
      UserTag:beforeBulkCreate(function(list) note("bbc " .. #list) end)
      local u = User:create({ username = "a" })
      local t1, t2, t3 = Tag:create({ name = "x" }), Tag:create({ name = "y" }), Tag:create({ name = "z" })
      u:addTags({ t1, t2 })
      support.clear(calls)
      support.clear(log)
      u:setTags({ t1, t2 })
      assert.are.equal("", joined())
      assert.are.equal(0, #support.statements(log, "DELETE"))
      local sel = support.statements(log, "SELECT")
      assert.are.equal(1, #sel)
      assert.is_nil(sel[1]:find("IN", 1, true))
      u:setTags({ t3 })
      assert.are.equal("bbd 1 1,2, bbc 1", joined())
      assert.same({ 3 }, support.field(support.raw(db, "SELECT TagId FROM UserTags"), "TagId"))
      u:setTags({})
      assert.are.equal("bbd 1 3", joined())
      u:setTags({})
      assert.are.equal("", joined())
    end)

    it("the accessors hand hooks, individualHooks and validate on to the through model's statements", function()
      -- Sequelize 6.37.8 (through.bulkCreate / destroy / findAll get the accessor's options):
      -- addTags(..., { hooks: false }) runs no UserTag hook; removeTag(t1, { individualHooks: true }):
      -- beforeBulkDestroy, beforeDestroy 1, afterDestroy 1, afterBulkDestroy; setTags([t3], { individualHooks: true }):
      -- beforeFind, beforeBulkDestroy, beforeBulkCreate, beforeFind, beforeCreate 3, afterCreate 3,
      -- afterBulkCreate, beforeDestroy 2, afterDestroy 2, afterBulkDestroy (its destroy and bulkCreate
      -- run concurrently there; here one after the other, the destroy first, as it was called);
      -- setTags([t1], { hooks: false }) none; addTag(t2, { individualHooks: true }): beforeFind,
      -- beforeBulkCreate, beforeValidate, beforeCreate 2, afterCreate 2, afterBulkCreate; with
      -- validate: false the same without beforeValidate
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      local UserTag = db:define("UserTag", { level = DataTypes.INTEGER })
      User:belongsToMany(Tag, { through = UserTag })
      db:sync()
      for _, t in ipairs({ "beforeBulkCreate", "afterBulkCreate", "beforeBulkDestroy", "afterBulkDestroy", "beforeFind" }) do
        UserTag:addHook(t, function() note(t) end)
      end
      for _, t in ipairs({ "beforeCreate", "afterCreate", "beforeDestroy", "afterDestroy" }) do
        UserTag:addHook(t, function(r) note(t .. " " .. r.TagId) end)
      end
      local u = User:create({ username = "a" })
      local t1, t2, t3 = Tag:create({ name = "x" }), Tag:create({ name = "y" }), Tag:create({ name = "z" })
      u:addTags({ t1, t2 }, { hooks = false })
      assert.are.equal("", joined())
      u:removeTag(t1, { individualHooks = true })
      assert.are.equal("beforeBulkDestroy, beforeFind, beforeDestroy 1, afterDestroy 1, afterBulkDestroy", joined())
      u:setTags({ t3 }, { individualHooks = true })
      assert.are.equal("beforeFind, beforeBulkDestroy, beforeFind, beforeDestroy 2, afterDestroy 2, afterBulkDestroy, "
        .. "beforeBulkCreate, beforeCreate 3, afterCreate 3, afterBulkCreate", joined())
      u:setTags({ t1 }, { hooks = false })
      assert.are.equal("", joined())
      assert.same({ 1 }, support.field(support.raw(db, "SELECT TagId FROM UserTags"), "TagId"))
      -- validate = false reaches the join rows' bulkCreate (Sequelize: { validate: true, ...options })
      UserTag:beforeValidate(function() note("beforeValidate") end)
      u:addTag(t2, { individualHooks = true })
      assert.are.equal("beforeFind, beforeBulkCreate, beforeValidate, beforeCreate 2, afterCreate 2, afterBulkCreate", joined())
      u:addTag(t3, { individualHooks = true, validate = false })
      assert.are.equal("beforeFind, beforeBulkCreate, beforeCreate 3, afterCreate 3, afterBulkCreate", joined())
    end)
  end)

  describe("accessors", function()
    it("createX, setX and setXs run the target's hooks as Sequelize's do", function()
      local Post = db:define("Post", { title = DataTypes.STRING })
      User:hasMany(Post)
      db:sync()
      Post:beforeCreate(function(p) note("create " .. p.title) end)
      Post:beforeBulkUpdate(function() note("bulk update") end)
      local u = User:create({ username = "a" })
      local p = u:createPost({ title = "t" })
      u:setPosts({})
      assert.are.equal("create t, bulk update", joined())
      assert.is_true(support.is_null(support.raw(db, "SELECT UserId FROM Posts WHERE id = ?", { p.id })[1].UserId))
    end)
  end)
end)

-- options.fields as Sequelize's hooks see it when the caller gives none (checked against
-- sequelize 6.37.8): a new row's save every attribute, a save the attributes changed (and
-- what a before hook changes is written too), bulkCreate every attribute, a static update
-- the attributes given and updatedAt.
describe("options.fields in hooks", function()
  local db, User, seen
  before_each(function()
    db = support.open()
    seen = {}
    User = db:define("User", { name = DataTypes.STRING, slug = DataTypes.STRING })
    db:sync()
  end)
  after_each(function() db:close() end)

  it("save and create: every attribute, then the changed ones; a hook's change is written", function()
    User:addHook("beforeSave", function(u, o)
      seen[#seen + 1] = table.concat(o.fields, ",")
      for _, f in ipairs(o.fields) do if f == "name" then u.slug = u.name .. "-s" end end
    end)
    local u = User:create({ name = "a" })
    u.name = "b"
    u:save()
    -- Sequelize 6.37.8: ["id","name","slug","createdAt","updatedAt"], then ["name","updatedAt"]
    assert.same({ "id,name,slug,createdAt,updatedAt", "name,updatedAt" }, seen)
    local r = support.raw(db, "SELECT name, slug FROM Users WHERE id = 1")[1]
    assert.same({ name = "b", slug = "b-s" }, r)
    -- given fields are the caller's list, with updatedAt (Sequelize: "slug,updatedAt")
    u:save({ fields = { "slug" } })
    assert.equal("slug,updatedAt", seen[3])
  end)

  it("save adds what it writes anyway: updatedAt, the version, createdAt and a defaulted key (Sequelize)", function()
    -- Sequelize 6.37.8, the same calls: ["age","updatedAt","version"] ["age","version"] ["name","version"]
    --   ["id","t","updatedAt","createdAt"]
    local V = db:define("V", { name = DataTypes.STRING, age = DataTypes.INTEGER }, { version = true })
    local P = db:define("P", { id = { type = DataTypes.UUID, primaryKey = true, defaultValue = DataTypes.UUIDV4 },
                               t = DataTypes.STRING })
    V:addHook("beforeSave", function(_, o) seen[#seen + 1] = table.concat(o.fields, ",") end)
    P:addHook("beforeCreate", function(_, o) seen[#seen + 1] = table.concat(o.fields, ",") end)
    db:sync()
    local v = V:create({ name = "a" })
    seen = {}
    local stamp = support.raw(db, "SELECT updatedAt FROM Vs")[1].updatedAt
    v:set("updatedAt", "2000-01-01 00:00:00.000 +00:00", { raw = true })
    v.age = 3; v:save({ fields = { "age" } })
    v.age = 4; v:save({ fields = { "age" }, silent = true })
    v.name = "q"; v:save({ silent = true })
    P:build({ t = "x" }):save({ fields = { "t" } })
    assert.same({ "age,updatedAt,version", "age,version", "name,version", "id,t,updatedAt,createdAt" }, seen)
    -- what was written: the amounts, the version counted up, updatedAt set by the first save only
    local r = support.raw(db, "SELECT name, age, version, updatedAt FROM Vs")[1]
    assert.same({ "q", 4, 3 }, { r.name, r.age, r.version })
    assert.is_true(r.updatedAt >= stamp and r.updatedAt ~= "2000-01-01 00:00:00.000 +00:00")
    assert.equal(36, #support.raw(db, "SELECT id FROM Ps")[1].id)
  end)

  it("bulkCreate and static update", function()
    for _, h in ipairs({ "beforeBulkCreate", "afterBulkCreate", "beforeBulkUpdate", "afterBulkUpdate" }) do
      User:addHook(h, function(a, b) seen[#seen + 1] = h .. ":" .. table.concat((b or a).fields, ",") end)
    end
    User:bulkCreate({ { name = "a" } })
    User:update({ name = "b" }, { where = { id = 1 } })
    assert.same({ "beforeBulkCreate:id,name,slug,createdAt,updatedAt", "afterBulkCreate:id,name,slug,createdAt,updatedAt",
                  "beforeBulkUpdate:name,updatedAt", "afterBulkUpdate:name,updatedAt" }, seen)
    -- the writes are what they were: the row's values, its default-less columns NULL
    local r = support.raw(db, "SELECT name, slug FROM Users WHERE id = 1")[1]
    assert.same({ name = "b", slug = Sequelize.null }, r)
  end)

  it("beforeUpdate that narrows fields and changes an attribute: its list and its change are written (Sequelize)", function()
    User:addHook("beforeUpdate", function(u, o)
      for k, f in ipairs(o.fields) do if f == "slug" then table.remove(o.fields, k) break end end
      u.name = "hooked"
    end)
    local u = User:create({ name = "a", slug = "s1" })
    u.slug = "s2"
    u:save()
    assert.same({ name = "hooked", slug = "s1" }, support.raw(db, "SELECT name, slug FROM Users WHERE id = 1")[1])
  end)

  it("a before hook that removes a name from the default list in place keeps it out of the INSERT (Sequelize)", function()
    local function drop(o)
      for k, f in ipairs(o.fields) do if f == "slug" then table.remove(o.fields, k) break end end
    end
    User:addHook("beforeCreate", function(_, o) drop(o) end)
    User:addHook("beforeBulkCreate", function(_, o) drop(o) end)
    User:create({ name = "a", slug = "secret" })
    User:bulkCreate({ { name = "b", slug = "secret" } })
    local rows = support.raw(db, "SELECT name, slug FROM Users ORDER BY id")
    assert.same({ { name = "a", slug = Sequelize.null }, { name = "b", slug = Sequelize.null } }, rows)
  end)

  it("a new row holds its time stamps in its validation and create hooks, and what a hook sets there is written", function()
    -- Sequelize 6.37.8 (save stamps dataValues before validate): beforeCreate's slug "a-stamped"; bv/av/bc see
    -- createdAt and updatedAt, changed() ["name"]; a createdAt given is kept, an updatedAt given replaced by
    -- now (kept with silent: true); beforeCreate setting updatedAt 2002-02-02 -> "2002-02-02 00:00:00.000 +00:00";
    -- a plain create's createdAt = updatedAt; an existing row's beforeUpdate sees the new updatedAt
    local function stamps(u) return (u.createdAt and "c" or "-") .. (u.updatedAt and "u" or "-") end
    local set
    User:addHook("beforeValidate", function(u) seen[#seen + 1] = "bv " .. stamps(u) end)
    User:addHook("afterValidate", function(u) seen[#seen + 1] = "av " .. stamps(u) end)
    User:addHook("beforeCreate", function(u)
      seen[#seen + 1] = "bc " .. stamps(u) .. " " .. table.concat(u:changed() or {}, ",")
      u.slug = u.name .. "-" .. (u.createdAt and "stamped" or "none")
      if set then u.updatedAt = set end
    end)
    local u = User:create({ name = "a" })
    assert.same({ "bv cu", "av cu", "bc cu name" }, seen)
    local r = support.raw(db, "SELECT slug, createdAt, updatedAt FROM Users WHERE id = 1")[1]
    assert.same({ "a-stamped", r.createdAt }, { r.slug, r.updatedAt })
    u = User:create({ name = "b", createdAt = support.OLD_ISO, updatedAt = support.OLD_ISO })
    assert.equal(support.OLD_ISO, u.createdAt)
    assert.are_not.equal(support.OLD_ISO, u.updatedAt)
    u = User:create({ name = "c", updatedAt = support.OLD_ISO }, { silent = true })
    assert.equal(support.OLD_STAMP, support.raw(db, "SELECT updatedAt FROM Users WHERE id = 3")[1].updatedAt)
    set = "2002-02-02T00:00:00.000Z"
    User:create({ name = "d" })
    assert.equal("2002-02-02 00:00:00.000 +00:00", support.raw(db, "SELECT updatedAt FROM Users WHERE id = 4")[1].updatedAt)
    set = nil
    local old = User:create({ name = "e", createdAt = support.OLD_ISO, updatedAt = support.OLD_ISO }, { silent = true })
    local bu
    User:addHook("beforeUpdate", function(x) bu = x.updatedAt end)
    old.name = "f"
    old:save()
    assert.are_not.equal(support.OLD_ISO, bu)
    assert.equal(old.updatedAt:sub(1, 4), bu:sub(1, 4))
  end)
end)

describe("hooks, as Sequelize runs them (checked against sequelize 6.37.8)", function()
  it("db:sync syncs model by model: a model's beforeSync sees the tables and rows synced before it", function()
    local db = Sequelize.new("sqlite::memory:")
    local A = db:define("A", { name = DataTypes.STRING }, { timestamps = false })
    local B = db:define("B", { name = DataTypes.STRING, AId = { type = DataTypes.INTEGER,
      references = { model = "As", key = "id" } } }, { timestamps = false })
    local seen
    A:addHook("afterSync", function() A:create({ name = "seed" }) end)
    B:addHook("beforeSync", function() seen = A:count() end)
    db:sync()
    assert.are.equal(1, seen) -- (Sequelize: 1; all beforeSync hooks ran before any table before)
    db:sync({ force = true })
    assert.are.equal(1, A:count())
    db:close()
  end)

  it("the save hooks' options hold Sequelize's defaults: hooks, validate, defaultFields, returning", function()
    -- Sequelize 6.37.8 (save: _.defaults(options, { hooks: true, validate: true }), defaultFields
    -- the fields it chose, returning true for a new row):
    --   create: beforeValidate/beforeCreate/afterSave {"hooks":true,"validate":true,"fields":[...5],
    --     "defaultFields":[...5],"returning":true}
    --   u.n = 2; save(): beforeSave/beforeUpdate/afterUpdate {"hooks":true,"validate":true,
    --     "fields":["n","updatedAt"],"defaultFields":["n","updatedAt"]}
    --   update({ n: 3 }, { where, individualHooks: true }): beforeUpdate {"hooks":true,"validate":true,
    --     "individualHooks":true,"returning":false}
    --   bulkCreate([...], { individualHooks: true }): beforeBulkCreate {"hooks":true,"validate":false,...}
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { n = DataTypes.INTEGER })
    db:sync()
    local seen = {}
    local function keep(name)
      return function(_, o)
        seen[#seen + 1] = ("%s hooks=%s validate=%s returning=%s defaultFields=%s"):format(name, tostring(o.hooks),
          tostring(o.validate), tostring(o.returning), o.defaultFields and table.concat(o.defaultFields, ",") or "nil")
        if o.defaultFields then assert.are.equal(o.fields, o.defaultFields) end -- (the same list)
      end
    end
    for _, h in ipairs({ "beforeValidate", "beforeCreate", "afterSave", "beforeUpdate", "afterUpdate" }) do
      U:addHook(h, keep(h))
    end
    U:addHook("beforeBulkCreate", function(_, o) seen[#seen + 1] = ("bulk hooks=%s validate=%s"):format(
      tostring(o.hooks), tostring(o.validate)) end)
    local u = U:create({ n = 1 })
    local all = "id,n,createdAt,updatedAt"
    assert.are.same({
      "beforeValidate hooks=true validate=true returning=true defaultFields=" .. all,
      "beforeCreate hooks=true validate=true returning=true defaultFields=" .. all,
      "afterSave hooks=true validate=true returning=true defaultFields=" .. all,
    }, seen)
    support.clear(seen)
    u.n = 2
    u:save()
    assert.are.same("beforeUpdate hooks=true validate=true returning=nil defaultFields=n,updatedAt", seen[2])
    assert.are.same("afterUpdate hooks=true validate=true returning=nil defaultFields=n,updatedAt", seen[#seen])
    support.clear(seen)
    U:update({ n = 3 }, { where = {}, individualHooks = true })
    local row_update
    for _, line in ipairs(seen) do if line:find("^beforeUpdate") then row_update = line end end
    assert.are.same("beforeUpdate hooks=true validate=true returning=false defaultFields=nil", row_update)
    support.clear(seen)
    U:bulkCreate({ { n = 4 } }, { individualHooks = true })
    assert.are.same("bulk hooks=true validate=false", seen[1])
    -- (given, they are kept)
    support.clear(seen)
    U:create({ n = 5 }, { validate = false })
    assert.are.same("beforeCreate hooks=true validate=false returning=true defaultFields=" .. all, seen[1])
    db:close()
  end)

  it("a model's hooks = {} keeps the define option's hooks (Sequelize merges them)", function()
    local calls = {}
    local db = Sequelize.new("sqlite::memory:", { define = { hooks = {
      beforeCreate = function(i) calls[#calls + 1] = "dflt " .. i.name end } } })
    local B = db:define("B", { name = DataTypes.STRING }, { timestamps = false, hooks = {} })
    B:sync()
    B:create({ name = "b" })
    assert.are.same({ "dflt b" }, calls)
    db:close()
  end)

  it("beforeFindAfterOptions and afterFind see the attribute list the finder made", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { name = DataTypes.STRING, secret = DataTypes.STRING }, { timestamps = false })
    local lists = {}
    U:addHook("beforeFindAfterOptions", function(o)
      lists[#lists + 1] = table.concat(o.attributes, ",")
      local keep = {}
      for _, a in ipairs(o.attributes) do if a ~= "secret" then keep[#keep + 1] = a end end
      o.attributes = keep
    end)
    db:sync()
    U:create({ name = "a", secret = "s" })
    local u = U:findOne()
    assert.is_nil(u.secret)
    U:findAll({ attributes = { exclude = { "name" } } })
    assert.are.same({ "id,name,secret", "id,secret" }, lists) -- (Sequelize: ["id","name","secret"])
    db:close()
  end)

  it("individualHooks: the after hooks see the call's transaction, as the before hooks do", function()
    local db = Sequelize.new("sqlite::memory:")
    local U = db:define("U", { name = DataTypes.STRING }, { timestamps = false })
    local got = {}
    for _, h in ipairs({ "beforeUpdate", "afterUpdate", "beforeDestroy", "afterDestroy" }) do
      U:addHook(h, function(_, o) got[#got + 1] = h .. "=" .. tostring(o.transaction ~= nil) end)
    end
    db:sync()
    U:create({ name = "a" })
    U:update({ name = "b" }, { where = { name = "a" }, individualHooks = true })
    U:destroy({ where = { name = "b" }, individualHooks = true })
    assert.are.same({ "beforeUpdate=true", "afterUpdate=true", "beforeDestroy=true", "afterDestroy=true" }, got)
    local t = db:transaction()
    local mine = {}
    U:addHook("afterCreate", function(_, o) mine[#mine + 1] = o.transaction end)
    U:create({ name = "c" }, { transaction = t })
    assert.are.equal(t, mine[1])
    t:commit()
    db:close()
  end)
end)

describe("a static update with individualHooks and VIRTUAL attributes or fields", function()
  -- Sequelize 6.37.8 (/tmp/sqz, the same models): the hooks see a VIRTUAL value given to
  -- Model.update (options.attributes and each row), and a column the row hooks change alike
  -- on every row is written even when options.fields leaves it out
  local db

  before_each(function() db = support.open() end)

  local function rows(sql) return db:query(sql, { type = "SELECT" }) end

  it("hands the hooks a VIRTUAL value, the hashed-password pattern", function()
    local seen = {}
    local U = db:define("User", { hash = DataTypes.STRING, password = DataTypes.VIRTUAL }, {
      hooks = {
        beforeBulkUpdate = function(o) seen.bulk = o.attributes.password end,
        beforeSave = function(u) if u.password then u.hash = "H(" .. u.password .. ")" end end,
      } })
    db:sync()
    U:bulkCreate({ { hash = "old" }, { hash = "old" } })
    local n = U:update({ password = "secret" }, { where = { id = 1 }, individualHooks = true })
    assert.equal(1, n)
    assert.equal("secret", seen.bulk)
    assert.same({ { id = 1, hash = "H(secret)" }, { id = 2, hash = "old" } },
      rows("SELECT id, hash FROM Users ORDER BY id"))
    -- without individualHooks no row hook runs: nothing to write but updatedAt
    U:update({ password = "other" }, { where = { id = 2 } })
    assert.equal("old", rows("SELECT hash FROM Users WHERE id = 2")[1].hash)
  end)

  it("gives the row hooks what a VIRTUAL setter stored", function()
    local U = db:define("User", {
      hash = DataTypes.STRING,
      password = { type = DataTypes.VIRTUAL, set = function(self, v)
        self:setDataValue("password", v); self:setDataValue("hash", "H(" .. v .. ")") end },
    }, { timestamps = false, hooks = {
      beforeUpdate = function(u) if u.password then u.hash = "HU(" .. u.password .. ")" end end } })
    db:sync()
    U:bulkCreate({ { password = "a" }, { password = "b" } })
    U:update({ password = "m" }, { where = { id = 1 } })
    assert.equal("H(m)", rows("SELECT hash FROM Users WHERE id = 1")[1].hash)
    U:update({ password = "n" }, { where = { id = 1 }, individualHooks = true })
    assert.same({ { hash = "HU(n)" }, { hash = "H(b)" } }, rows("SELECT hash FROM Users ORDER BY id"))
  end)

  it("writes a column the hooks change alike on every row though fields leaves it out", function()
    local U = db:define("User", { name = DataTypes.STRING, slug = DataTypes.STRING }, {
      hooks = { beforeUpdate = function(u) u.slug = "U-" .. u.name end } })
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "a" } })
    local opts = { where = {}, individualHooks = true, fields = { "name" } }
    U:update({ name = "b" }, opts)
    assert.same({ { name = "b", slug = "U-b" }, { name = "b", slug = "U-b" } },
      rows("SELECT name, slug FROM Users ORDER BY id"))
    assert.same({ "name" }, opts.fields) -- (the caller's options are not changed)
  end)
end)

describe("options a hook changes", function()
  it("a hook adding to options.fields leaves the caller's list alone (Sequelize clones the options)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, slug = DataTypes.STRING }, { hooks = {
      beforeCreate = function(u, o) u.slug = "s-" .. u.name; o.fields[#o.fields + 1] = "slug" end,
      beforeUpdate = function(u, o) u.slug = "u-" .. u.name; o.fields[#o.fields + 1] = "slug" end,
      beforeBulkUpdate = function(o) o.fields[#o.fields + 1] = "slug"; o.attributes.slug = "bulk" end,
    } })
    db:sync()
    local opts = { fields = { "name" } }
    U:create({ name = "a" }, opts)
    U:create({ name = "b" }, opts)
    assert.same({ "name" }, opts.fields)
    local u = U:findByPk(1)
    u.name = "c"
    u:save(opts)
    assert.same({ "name" }, opts.fields)
    U:update({ name = "d" }, { where = { id = 2 }, fields = opts.fields })
    assert.same({ "name" }, opts.fields)
    assert.same({ { name = "c", slug = "u-c" }, { name = "d", slug = "bulk" } },
      db:query("SELECT name, slug FROM Users ORDER BY id", { type = "SELECT" }))
  end)
end)

describe("the options validation hooks get", function()
  it("are Sequelize's: the call's, hooks true and skip, none of the port's own; a skip a beforeValidate sets is read", function()
    -- Sequelize 6.37.8 (User { name: STRING, n: { type: INTEGER, validate: { max: 5 } } }),
    -- beforeValidate's Object.keys(options) and options.skip: create ->
    -- [defaultFields, fields, hooks, returning, skip, validate] []; a save of a changed name ->
    -- [defaultFields, fields, hooks, skip, validate] [id, n, createdAt], then (validated again after
    -- its hooks, which changed nothing) [id, name, n, createdAt, updatedAt] (here in column order);
    -- validate() -> [hooks, skip] [];
    -- validate({ skip: ['n'] }) -> ['n']; a hook setting options.skip = ['n'] on create({ n: 9 }): created
    local seen = {}
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, n = { type = DataTypes.INTEGER, validate = { max = 5 } } }, {
      hooks = { beforeValidate = function(i, o)
        local keys = {}
        for k in pairs(o) do keys[#keys + 1] = k end
        table.sort(keys)
        seen[#seen + 1] = table.concat(keys, ",") .. " " .. Sequelize.stringify(o.skip)
        if i.name == "skipn" then o.skip = { "n" } end
      end },
    })
    db:sync()
    local u = U:create({ name = "a" })
    u.name = "b"
    u:save()
    u:validate()
    u:validate({ skip = { "n" } })
    assert.equal(9, U:create({ name = "skipn", n = 9 }).n)
    assert.same({
      'defaultFields,fields,hooks,returning,skip,validate []',
      'defaultFields,fields,hooks,skip,validate ["id","n","createdAt"]',
      'defaultFields,fields,hooks,skip,validate ["id","n","name","createdAt","updatedAt"]',
      'hooks,skip []',
      'hooks,skip ["n"]',
      'defaultFields,fields,hooks,returning,skip,validate []',
    }, seen)
    db:close()
  end)
end)

describe("a skip list a beforeValidate hook changes in place", function()
  it("is read, as Sequelize's validator reads the same array after the hook", function()
    -- Sequelize 6.37.8 (name: { validate: { len: [3, 5] } }, a beforeValidate hook doing
    -- options.skip.push('name')): f.name = 'x'; await f.validate() and await f.save() both pass
    local db = support.open()
    local U = db:define("User", { name = { type = DataTypes.STRING, validate = { len = { 3, 5 } } }, age = DataTypes.INTEGER }, {
      hooks = { beforeValidate = function(_, o) table.insert(o.skip, "name") end },
    })
    db:sync()
    local u = U:create({ name = "abc" })
    u.name = "x"
    assert.equal(u, u:validate())
    u:save()
    assert.equal("x", U:findByPk(u.id).name)
    db:close()
  end)
end)

describe("the options find hooks get", function()
  it("plain is true for findOne, findByPk and reload unless given (Sequelize's findOne default)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING })
    local seen = {}
    U:addHook("beforeFind", function(o) seen[#seen + 1] = tostring(o.plain) end)
    db:sync()
    local u = U:create({ name = "a" })
    U:findByPk(1); U:findOne({ where = { name = "a" } }); U:findAll(); u:reload(); U:findOne({ plain = false })
    -- Sequelize 6.37.8: true,true,undefined,true,false
    assert.equal("true,true,nil,true,false", table.concat(seen, ","))
  end)

  -- Sequelize 6.37.8 (/tmp/sqz; User hasMany Post, Post hasMany Com): beforeFind and
  -- beforeFindAfterExpandIncludeAll see conformed includes, the later with `all` expanded;
  -- beforeFindAfterOptions each with its association, as and required
  local function blog(hooks)
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING }, { timestamps = false, hooks = hooks })
    local P = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    local C = db:define("Com", { body = DataTypes.STRING }, { timestamps = false })
    local a = U:hasMany(P); P:belongsTo(U); P:hasMany(C)
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    P:bulkCreate({ { title = "p", UserId = 1 }, { title = "q", UserId = 2 } })
    return U, P, C, a
  end
  local function desc(i)
    if type(i) ~= "table" or getmetatable(i) ~= nil then return "bare" end
    local ks = {}
    for k in pairs(i) do ks[#ks + 1] = k end
    table.sort(ks)
    local out = {}
    for _, k in ipairs(ks) do
      local v = i[k]
      if k == "model" then v = v.name
      elseif k == "association" then v = "A:" .. v.as
      elseif k == "include" then local l = {}; for j, x in ipairs(v) do l[j] = desc(x) end; v = "[" .. table.concat(l, ",") .. "]"
      elseif k == "where" then v = Sequelize.stringify(v) end
      out[#out + 1] = k .. "=" .. tostring(v)
    end
    return "{" .. table.concat(out, " ") .. "}"
  end
  local function names(r)
    local out = {}
    for i, u in ipairs(r) do
      local t = {}
      for j, p in ipairs(u.Posts) do t[j] = p.title end
      out[i] = u.name .. ":" .. table.concat(t, ",")
    end
    return table.concat(out, " ")
  end

  it("include entries: conformed for beforeFind, `all` expanded after it, filled in for beforeFindAfterOptions", function()
    local seen = {}
    local function note(name) return function(o)
      local l = {}
      for j, x in ipairs(o.include) do l[j] = desc(x) end
      seen[#seen + 1] = name .. " " .. table.concat(l, ",")
    end end
    local U, P, C, a = blog({ beforeFind = note("bF"), beforeFindAfterExpandIncludeAll = note("bFAEIA"),
                              beforeFindAfterOptions = note("bFAO") })
    local function run(inc) support.clear(seen); U:findAll{ include = inc }; return table.concat(seen, " | ") end
    local bfao = "bFAO {as=Posts association=A:Posts model=Post required=false}"
    assert.equal("bF {model=Post} | bFAEIA {model=Post} | " .. bfao, run({ P }))
    assert.equal("bF {model=Post} | bFAEIA {model=Post} | " .. bfao, run(P))
    local named = "{as=Posts association=A:Posts model=Post}"
    assert.equal("bF " .. named .. " | bFAEIA " .. named .. " | " .. bfao, run({ "Posts" }))
    assert.equal("bF " .. named .. " | bFAEIA " .. named .. " | " .. bfao, run({ a }))
    assert.equal("bF " .. named .. " | bFAEIA " .. named .. " | " .. bfao, run({ { association = "Posts" } }))
    assert.equal("bF {all=true} | bFAEIA {model=Post} | " .. bfao, run({ { all = true } }))
    assert.equal("bF {include=[{model=Com}] model=Post} | bFAEIA {include=[{model=Com}] model=Post} | "
      .. "bFAO {as=Posts association=A:Posts include=[{as=Coms association=A:Coms model=Com required=false}] model=Post required=false}",
      run({ { model = P, include = { C } } }))
    -- one model and alias twice: merged (Sequelize's _uniqIncludes)
    assert.equal([[bF {model=Post where={"title":"p"}} | bFAEIA {model=Post where={"title":"p"}} | ]]
      .. [[bFAO {as=Posts association=A:Posts model=Post required=true where={"title":"p"}}]],
      run({ P, { model = P, where = { title = "p" } } }))
  end)

  it("a hook's where or required on an include entry applies; the Model table is not written", function()
    local h = {}
    local U, P = blog({ beforeFind = function(o) if h.bF then h.bF(o) end end,
                        beforeFindAfterExpandIncludeAll = function(o) if h.bFAEIA then h.bFAEIA(o) end end,
                        beforeFindAfterOptions = function(o) if h.bFAO then h.bFAO(o) end end })
    local function run(inc) return names(U:findAll{ include = inc, order = { { "id" } } }) end
    assert.equal("a:p b:q", run({ P }))
    h.bF = function(o) o.include[1].where = { title = "p" } end
    assert.equal("a:p", run({ P })) -- (Sequelize: ["a:p"])
    h.bF = nil
    h.bFAEIA = function(o) for _, i in ipairs(o.include) do i.where = { title = "q" } end end
    assert.equal("b:q", run({ P }))
    assert.equal("b:q", run({ "Posts" }))
    assert.equal("b:q", run({ { all = true } }))
    h.bFAEIA = nil
    -- required was settled before beforeFindAfterOptions: a where it adds stays in a LEFT JOIN
    h.bFAO = function(o) o.include[1].where = { title = "q" } end
    assert.equal("a: b:q", run({ P })) -- (Sequelize: ["a:","b:q"])
    h.bFAO = nil
    h.bF = function(o) o.include = { P } end -- (a bare model added by beforeFind: conformed after it)
    assert.equal("a:p b:q", run(nil))
    assert.is_nil(rawget(P, "where"))
    assert.is_nil(rawget(P, "required"))
  end)
end)

describe("the options a static update's row hooks get", function()
  it("list fields: the attributes given and updatedAt, then what the hooks changed alike (Sequelize)", function()
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, slug = DataTypes.STRING })
    local seen = {}
    U:addHook("beforeUpdate", function(u, o) seen[#seen + 1] = table.concat(o.fields, ","); u.slug = "s" end)
    U:addHook("afterUpdate", function(_, o) seen[#seen + 1] = table.concat(o.fields, ",") end)
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    assert.equal(2, U:update({ name = "c" }, { where = {}, individualHooks = true }))
    assert.same({ "name,updatedAt", "name,updatedAt", "name,updatedAt,slug", "name,updatedAt,slug" }, seen)
    -- the hooks changed slug alike on both rows: written with the rest
    assert.same({ { name = "c", slug = "s" }, { name = "c", slug = "s" } },
      db:query("SELECT name, slug FROM Users ORDER BY id", { type = "SELECT" }))
  end)

  it("afterBulkUpdate's fields hold what the row hooks changed alike, as the row hooks' do", function()
    -- Sequelize 6.37.8: beforeBulkUpdate ["name","updatedAt"], afterBulkUpdate ["name","updatedAt","slug"]
    -- (options.fields = _.union(options.fields, changed keys)); attributes {"name":"c","updatedAt":...}
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, slug = DataTypes.STRING })
    local seen = {}
    U:addHook("beforeUpdate", function(u) u.slug = "s" end)
    U:addHook("beforeBulkUpdate", function(o) seen[#seen + 1] = table.concat(o.fields, ",") end)
    U:addHook("afterBulkUpdate", function(o) seen[#seen + 1] = table.concat(o.fields, ",") .. " " .. tostring(o.attributes.slug) end)
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    U:update({ name = "c" }, { where = {}, individualHooks = true })
    assert.same({ "name,updatedAt", "name,updatedAt,slug nil" }, seen)
    -- rows changed apart: saved one by one, the fields as given
    seen = {}
    local n = 0
    U:addHook("beforeUpdate", function(u) n = n + 1; u.slug = "s" .. n end)
    U:update({ name = "d" }, { where = {}, individualHooks = true })
    assert.same({ "name,updatedAt", "name,updatedAt nil" }, seen)
  end)

  it("list what the row hooks changed alike in column order, the same on every run", function()
    -- Sequelize 6.37.8 lists them in the order of the instance's dataValues (the attributes as
    -- defined: slug, aa, zz, mm gives "name,updatedAt,slug,aa,zz,mm"); a Lua table keeps no
    -- definition order, so here column order (was: the order of a hash walk, which changes
    -- from one run of Lua 5.4 to the next)
    local db = support.open()
    local U = db:define("User", { name = DataTypes.STRING, slug = DataTypes.STRING, aa = DataTypes.STRING,
                                  zz = DataTypes.STRING, mm = DataTypes.STRING, bb = DataTypes.STRING,
                                  yy = DataTypes.STRING, nn = DataTypes.STRING })
    local seen = {}
    U:addHook("beforeUpdate", function(u)
      u.zz, u.slug, u.aa, u.mm, u.bb, u.yy, u.nn = "z", "s", "a", "m", "b", "y", "n"
    end)
    U:addHook("afterUpdate", function(_, o) seen[#seen + 1] = table.concat(o.fields, ",") end)
    U:addHook("afterBulkUpdate", function(o) seen[#seen + 1] = table.concat(o.fields, ",") end)
    db:sync()
    U:bulkCreate({ { name = "a" }, { name = "b" } })
    U:update({ name = "c" }, { where = {}, individualHooks = true })
    local want = "name,updatedAt,aa,bb,mm,nn,slug,yy,zz"
    assert.same({ want, want, want }, seen)
  end)
end)

describe("after hooks and change tracking", function()
  it("afterCreate / afterUpdate / afterSave see changed() and previous() as the write found them", function()
    -- Sequelize 6.37.8 (same calls): afterCreate ["s","n","id"] undefined; afterUpdate ["s"] "a";
    -- update({n,s}) ["n","s"] "b"; bulkCreate individualHooks ["s","id"]; changed() false afterwards
    local db = support.open()
    local M = db:define("M", { s = DataTypes.STRING, n = DataTypes.INTEGER })
    local seen = {}
    for _, h in ipairs({ "afterCreate", "afterUpdate", "afterSave" }) do
      M:addHook(h, function(o)
        local c = o:changed()
        if c then table.sort(c) end
        seen[#seen + 1] = h .. " " .. (c and table.concat(c, ",") or "false") .. " " .. tostring(o:previous("s"))
      end)
    end
    db:sync()
    local m = M:create({ s = "a", n = 1 })
    assert.is_false(m:changed())
    m.s = "b"
    m:save()
    assert.is_false(m:changed())
    assert.are.equal("b", m:previous("s"))
    m:update({ n = 5, s = "c" })
    M:bulkCreate({ { s = "x" } }, { individualHooks = true })
    local b = M:build({ s = "q", n = 2 })
    b:save({ fields = { "s" } })
    assert.are.same({ "afterCreate id,n,s nil", "afterSave id,n,s nil", "afterUpdate s a", "afterSave s a",
                      "afterUpdate n,s b", "afterSave n,s b", "afterCreate id,s nil", "afterSave id,s nil",
                      "afterCreate id,n,s nil", "afterSave id,n,s nil" }, seen)
    -- the field left out of the INSERT stays changed, and so does the key it gave (Sequelize: ["n","id"])
    assert.are.same({ "id", "n" }, b:changed())
  end)

  it("a change an after hook makes stays changed unless it is among the saved fields; a raising hook leaves them", function()
    local db = support.open()
    local M = db:define("M", { s = DataTypes.STRING, n = DataTypes.INTEGER })
    db:sync()
    local m = M:create({ s = "a", n = 1 })
    M:addHook("afterUpdate", function(o) o.n = 9 end)
    m.s = "b"
    m:save()
    assert.are.same({ "n" }, m:changed())
    assert.are.equal(1, support.raw(db, "SELECT n FROM Ms")[1].n)
    M:addHook("afterSave", function() error("no") end)
    m.s = "c"
    assert.has_error(function() m:save({ fields = { "s" } }) end)
    assert.are.equal("b", m:previous("s"))
    assert.is_true(m:changed("s"))
  end)

  it("an after hook added while the write runs sees the tracking the write started with", function()
    -- Sequelize 6.37.8, the same calls: afterCreate ["s","id"] undefined (added by the included
    -- row's beforeCreate); afterUpdate ["s","n"] "a" (added by a beforeQuery hook during the
    -- UPDATE of s alone); ["n"] afterwards
    local db = support.open()
    local M = db:define("M", { s = DataTypes.STRING, n = DataTypes.INTEGER })
    local C = db:define("C", { t = DataTypes.STRING })
    M:hasMany(C)
    db:sync()
    local seen = {}
    local function note(h)
      return function(o)
        local c = o:changed()
        if c then table.sort(c) end
        seen[#seen + 1] = h .. " " .. (c and table.concat(c, ",") or "false") .. " " .. tostring(o:previous("s"))
      end
    end
    M:beforeCreate(function() end)
    M:beforeUpdate(function() end)
    local once = false
    C:beforeCreate(function()
      if once then return end
      once = true
      M:afterCreate(note("afterCreate"))
    end)
    local m = M:create({ s = "a", Cs = { { t = "x" } } }, { include = { C } })
    local added = false
    db:addHook("beforeQuery", function()
      if added then return end
      added = true
      M:afterUpdate(note("afterUpdate"))
    end)
    m.s, m.n = "b", 2
    m:save({ fields = { "s" } })
    assert.are.same({ "afterCreate id,s nil", "afterUpdate n,s a" }, seen)
    assert.are.same({ "n" }, m:changed())
  end)
end)

describe("hooks change their own options", function()
  it("a hook editing where, fields, attributes or order in place leaves the caller's tables alone (Sequelize)", function()
    -- Sequelize 6.37.8, the same calls: ["tenant"]; 1 1 {"status":"old"}; ["id"] [["id","ASC"]]; {"status":"old"}
    local db = support.open()
    local P = db:define("Post", { tenant = DataTypes.INTEGER, status = DataTypes.STRING }, { timestamps = false,
      hooks = { beforeBulkDestroy = function(o) o.where.tenant = 1 end,
                beforeBulkCreate = function(_, o) o.fields[#o.fields + 1] = "status" end,
                beforeFind = function(o)
                  if o.attributes then o.attributes[#o.attributes + 1] = "tenant" end
                  if o.order then o.order[#o.order + 1] = { "id", "DESC" } end
                end,
                beforeBulkUpdate = function(o) o.where.tenant = 2 end } })
    db:sync()
    local f = { "tenant" }
    P:bulkCreate({ { tenant = 1, status = "old" }, { tenant = 2, status = "old" } }, { fields = f })
    P:bulkCreate({ { tenant = 1, status = "old" } }, { fields = f })
    assert.are.same({ "tenant" }, f)
    local where = { status = "old" }
    P:destroy({ where = where }) -- (the hook's where: tenant 1 only)
    assert.are.same({ status = "old" }, where)
    assert.are.same({ 1, 1 }, { #P:findAll({ where = where }), P:count({ where = where }) })
    local at, ord = { "id" }, { { "id", "ASC" } }
    local rows = P:findAll({ attributes = at, order = ord })
    assert.are.same({ { "id" }, { { "id", "ASC" } } }, { at, ord })
    assert.are.equal(2, rows[1].tenant) -- (the hook's own list was read)
    local w2 = { status = "old" }
    P:update({ status = "new" }, { where = w2 })
    assert.are.same({ status = "old" }, w2)
    assert.are.same({ { tenant = 2, status = "new" } }, support.raw(db, "SELECT tenant, status FROM Posts"))
  end)
end)
