-- Port of Sequelize v6's test/unit/hooks.test.js (branch v6), sqlite dialect.
-- sinon spies are Lua functions counting their calls (and noting their order); the "proxies"
-- tests stub sequelize.query: here the create runs on a real :memory: table.
-- "stops execution when a hook rejects" and "promises: can return a promise / can return an error
-- by rejecting" have no promises in Lua: ported as the hook's plain return or error (as the
-- "throws" / "can return undefined" forms are).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of unit/hooks.test.js)", function()
  local db, Model, order
  -- a spy: a function counting its calls in count[fn] and noting its order
  local count
  local function spy()
    local f
    f = function() count[f] = (count[f] or 0) + 1; order[#order + 1] = f end
    return f
  end
  local function n(f) return count[f] or 0 end
  before_each(function()
    order, count = {}, {}
    db = Sequelize.new("sqlite::memory:")
    Model = db:define("m")
  end)
  after_each(function() db:close() end)

  it("does not expose non-model hooks", function()
    for _, badHook in ipairs({ "beforeDefine", "afterDefine", "beforeConnect", "afterConnect",
      "beforeDisconnect", "afterDisconnect", "beforeInit", "afterInit" }) do
      assert.is_nil(Model[badHook], badHook)
    end
  end)

  describe("arguments", function()
    it("hooks can modify passed arguments", function()
      Model:addHook("beforeCreate", function(options) options.answer = 41 end)
      local options = {}
      Model:runHooks("beforeCreate", options)
      assert.equal(41, options.answer)
    end)
  end)

  describe("proxies", function()
    local function check(M, hooks)
      db:sync()
      M:create({})
      for _, h in ipairs(hooks) do assert.equal(1, n(h)) end
      assert.equal(1, M:count())
    end

    describe("defined by options.hooks", function()
      it("calls beforeSave/afterSave", function()
        local beforeSave, afterSave, afterCreate = spy(), spy(), spy()
        local M = db:define("m", { name = DataTypes.STRING }, {
          hooks = { beforeSave = beforeSave, afterSave = afterSave, afterCreate = afterCreate },
        })
        check(M, { afterCreate, beforeSave, afterSave })
      end)
    end)

    describe("defined by addHook method", function()
      it("calls beforeSave/afterSave", function()
        local beforeSave, afterSave = spy(), spy()
        local M = db:define("m", { name = DataTypes.STRING })
        M:addHook("beforeSave", beforeSave)
        M:addHook("afterSave", afterSave)
        check(M, { beforeSave, afterSave })
      end)
    end)

    describe("defined by hook method", function()
      it("calls beforeSave/afterSave", function()
        local beforeSave, afterSave = spy(), spy()
        local M = db:define("m", { name = DataTypes.STRING })
        M:beforeSave(beforeSave)
        M:afterSave(afterSave)
        check(M, { beforeSave, afterSave })
      end)
    end)
  end)

  describe("multiple hooks", function()
    local hook1, hook2, hook3
    before_each(function() hook1, hook2, hook3 = spy(), spy(), spy() end)

    describe("runs all hooks on success", function()
      after_each(function()
        assert.equal(1, n(hook1))
        assert.equal(1, n(hook2))
        assert.equal(1, n(hook3))
        assert.same({ hook1, hook2, hook3 }, order)
      end)

      it("using addHook", function()
        Model:addHook("beforeCreate", hook1)
        Model:addHook("beforeCreate", hook2)
        Model:addHook("beforeCreate", hook3)
        Model:runHooks("beforeCreate")
      end)

      it("using function", function()
        Model:beforeCreate(hook1)
        Model:beforeCreate(hook2)
        Model:beforeCreate(hook3)
        Model:runHooks("beforeCreate")
      end)

      it("using define", function()
        db:define("M", {}, { hooks = { beforeCreate = { hook1, hook2, hook3 } } }):runHooks("beforeCreate")
      end)

      it("using a mixture", function()
        local M = db:define("M", {}, { hooks = { beforeCreate = hook1 } })
        M:beforeCreate(hook2)
        M:addHook("beforeCreate", hook3)
        M:runHooks("beforeCreate")
      end)
    end)

    local function stops(title)
      it(title, function()
        Model:beforeCreate(function() hook1(); error("No!") end)
        Model:beforeCreate(hook2)
        assert.has_error(function() Model:runHooks("beforeCreate") end)
        assert.equal(1, n(hook1))
        assert.equal(0, n(hook2))
      end)
    end
    stops("stops execution when a hook throws")
    stops("stops execution when a hook rejects")
  end)

  describe("global hooks", function()
    describe("using addHook", function()
      it("invokes the global hook", function()
        local globalHook = spy()
        db:addHook("beforeUpdate", globalHook)
        Model:runHooks("beforeUpdate")
        assert.equal(1, n(globalHook))
      end)

      it("invokes the global hook, when the model also has a hook", function()
        local globalHookBefore, globalHookAfter, localHook = spy(), spy(), spy()
        db:addHook("beforeUpdate", globalHookBefore)
        local M = db:define("m", {}, { hooks = { beforeUpdate = localHook } })
        db:addHook("beforeUpdate", globalHookAfter)
        M:runHooks("beforeUpdate")
        assert.equal(1, n(globalHookBefore))
        assert.equal(1, n(globalHookAfter))
        assert.equal(1, n(localHook))
        -- localHook calledBefore both global hooks
        assert.equal(localHook, order[1])
      end)
    end)

    describe("using define hooks", function()
      local beforeCreate, sequelize
      before_each(function()
        beforeCreate = spy()
        sequelize = Sequelize.new{ dialect = "sqlite", storage = ":memory:",
          define = { hooks = { beforeCreate = beforeCreate } } }
      end)
      after_each(function() sequelize:close() end)

      it("runs the global hook when no hook is passed", function()
        local M = sequelize:define("M", {}, { hooks = { beforeUpdate = function() end } })
        M:runHooks("beforeCreate")
        assert.equal(1, n(beforeCreate))
      end)

      it("does not run the global hook when the model specifies its own hook", function()
        local localHook = spy()
        local M = sequelize:define("M", {}, { hooks = { beforeCreate = localHook } })
        M:runHooks("beforeCreate")
        assert.equal(0, n(beforeCreate))
        assert.equal(1, n(localHook))
      end)
    end)
  end)

  describe("#removeHook", function()
    it("should remove hook", function()
      local hook1, hook2 = spy(), spy()
      Model:addHook("beforeCreate", "myHook", hook1)
      Model:beforeCreate("myHook2", hook2)
      Model:runHooks("beforeCreate")
      assert.equal(1, n(hook1)); assert.equal(1, n(hook2))
      count = {}
      Model:removeHook("beforeCreate", "myHook")
      Model:removeHook("beforeCreate", "myHook2")
      Model:runHooks("beforeCreate")
      assert.equal(0, n(hook1)); assert.equal(0, n(hook2))
    end)

    it("should not remove other hooks", function()
      local hook1, hook2, hook3, hook4 = spy(), spy(), spy(), spy()
      Model:addHook("beforeCreate", hook1)
      Model:addHook("beforeCreate", "myHook", hook2)
      Model:beforeCreate("myHook2", hook3)
      Model:beforeCreate(hook4)
      Model:runHooks("beforeCreate")
      assert.equal(1, n(hook1)); assert.equal(1, n(hook2)); assert.equal(1, n(hook3)); assert.equal(1, n(hook4))
      count = {}
      Model:removeHook("beforeCreate", "myHook")
      Model:runHooks("beforeCreate")
      assert.equal(1, n(hook1)); assert.equal(0, n(hook2)); assert.equal(1, n(hook3)); assert.equal(1, n(hook4))
    end)
  end)

  describe("#addHook", function()
    it("should add additional hook when previous exists", function()
      local hook1, hook2 = spy(), spy()
      local M = db:define("Model", {}, { hooks = { beforeCreate = hook1 } })
      M:addHook("beforeCreate", hook2)
      M:runHooks("beforeCreate")
      assert.equal(1, n(hook1)); assert.equal(1, n(hook2))
    end)
  end)

  describe("promises", function()
    it("can return a promise", function()
      Model:beforeBulkCreate(function() return nil end)
      assert.has_no.errors(function() Model:runHooks("beforeBulkCreate") end)
    end)

    it("can return undefined", function()
      Model:beforeBulkCreate(function() end)
      assert.has_no.errors(function() Model:runHooks("beforeBulkCreate") end)
    end)

    local function forbidden(title)
      it(title, function()
        Model:beforeCreate(function() error("Forbidden", 0) end)
        local ok, err = pcall(Model.runHooks, Model, "beforeCreate")
        assert.is_false(ok)
        assert.matches("Forbidden", tostring(err))
      end)
    end
    forbidden("can return an error by rejecting")
    forbidden("can return an error by throwing")
  end)

  describe("sync hooks", function()
    local hook1, hook2, hook3, hook4
    before_each(function() hook1, hook2, hook3, hook4 = spy(), spy(), spy(), spy() end)

    it("runs all beforInit/afterInit hooks", function()
      Sequelize:addHook("beforeInit", "h1", hook1)
      Sequelize:addHook("beforeInit", "h2", hook2)
      Sequelize:addHook("afterInit", "h3", hook3)
      Sequelize:addHook("afterInit", "h4", hook4)
      Sequelize.new("sqlite::memory:"):close()
      assert.equal(1, n(hook1)); assert.equal(1, n(hook2)); assert.equal(1, n(hook3)); assert.equal(1, n(hook4))
      Sequelize:removeHook("beforeInit", "h1")
      Sequelize:removeHook("beforeInit", "h2")
      Sequelize:removeHook("afterInit", "h3")
      Sequelize:removeHook("afterInit", "h4")
      Sequelize.new("sqlite::memory:"):close()
      assert.equal(1, n(hook1)); assert.equal(1, n(hook2)); assert.equal(1, n(hook3)); assert.equal(1, n(hook4))
    end)

    it("runs all beforDefine/afterDefine hooks", function()
      local sequelize = Sequelize.new("sqlite::memory:")
      sequelize:addHook("beforeDefine", hook1)
      sequelize:addHook("beforeDefine", hook2)
      sequelize:addHook("afterDefine", hook3)
      sequelize:addHook("afterDefine", hook4)
      sequelize:define("Test", {})
      assert.equal(1, n(hook1)); assert.equal(1, n(hook2)); assert.equal(1, n(hook3)); assert.equal(1, n(hook4))
      sequelize:close()
    end)
  end)
end)
