-- Port of Sequelize v6's test/integration/hooks/hooks.test.js (branch v6), sqlite dialect.
-- Skipped:
--   Sequelize hooks: should run before/afterPoolAcquire hooks: skipped for sqlite in Sequelize
-- sinon spies are call counters here; `expect(user).to.be.instanceof(User)` is
-- `user.constructor == User`.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Hooks (port of hooks/hooks.test.js)", function()
  local db, User

  local function spy()
    local s = { n = 0 }
    s.fn = function() s.n = s.n + 1 end
    return s
  end
  local function whoops(s) return function() s.fn(); error("Whoops!") end end

  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    User = db:define("User", {
      username = { type = DataTypes.STRING, allowNull = false },
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    })
    db:define("ParanoidUser", {
      username = DataTypes.STRING,
      mood = DataTypes.ENUM("happy", "sad", "neutral"),
    }, { paranoid = true })
    db:sync({ force = true })
  end)
  after_each(function() db:close() end)

  describe("#define", function()
    -- Sequelize's before() defines the model once for the four tests; one db serves them here.
    local sdb, model
    setup(function()
      sdb = Sequelize.new("sqlite::memory:")
      sdb:addHook("beforeDefine", function(attributes, options)
        options.modelName = "bar"
        options.name.plural = "barrs"
        attributes.type = DataTypes.STRING
      end)
      sdb:addHook("afterDefine", function(factory)
        factory.options.name.singular = "barr"
      end)
      model = sdb:define("foo", { name = DataTypes.STRING })
    end)
    teardown(function() sdb:close() end)

    it("beforeDefine hook can change model name", function()
      assert.are.equal("bar", model.name)
    end)

    it("beforeDefine hook can alter options", function()
      assert.are.equal("barrs", model.options.name.plural)
    end)

    it("beforeDefine hook can alter attributes", function()
      assert.is_truthy(model.rawAttributes.type)
    end)

    it("afterDefine hook can alter options", function()
      assert.are.equal("barr", model.options.name.singular)
    end)
  end)

  describe("#init", function()
    local seq
    setup(function()
      Sequelize:addHook("beforeInit", function(config, options)
        config.database = "db2"
        options.host = "server9"
      end)
      Sequelize:addHook("afterInit", function(sequelize)
        sequelize.options.protocol = "udp"
      end)
      seq = Sequelize.new("db", "user", "pass", { dialect = "sqlite" })
    end)
    teardown(function()
      Sequelize.options.hooks = {}
      seq:close()
    end)

    it("beforeInit hook can alter config", function()
      assert.are.equal("db2", seq.config.database)
    end)

    it("beforeInit hook can alter options", function()
      assert.are.equal("server9", seq.options.host)
    end)

    it("afterInit hook can alter options", function()
      assert.are.equal("udp", seq.options.protocol)
    end)
  end)

  -- (not in Sequelize's tests) beforeInit's config is Sequelize's: from an options table, the
  -- host, port, database, username and password it holds; the positional form's three
  it("beforeInit's config holds an options table's host and port", function()
    local seen = {}
    Sequelize:addHook("beforeInit", function(config) seen[#seen + 1] = config end)
    local ok, err = pcall(function()
      Sequelize.new({ dialect = "sqlite", storage = ":memory:", host = "h", port = 5, database = "d" }):close()
      Sequelize.new("db", "user", "pass", { dialect = "sqlite", host = "h" }):close()
    end)
    Sequelize.options.hooks = {}
    assert(ok, err)
    assert.are.same({ host = "h", port = 5, database = "d" }, seen[1])
    assert.are.same({ database = "db", username = "user", password = "pass" }, seen[2])
  end)

  describe("passing DAO instances", function()
    local function check(hooks_of, run)
      local beforeHooked, afterHooked = false, false
      local M
      local before, after = hooks_of()
      M = db:define("User", { username = DataTypes.STRING }, { hooks = {
        [before] = function(user) assert.are.equal(M, user.constructor); beforeHooked = true end,
        [after] = function(user) assert.are.equal(M, user.constructor); afterHooked = true end,
      } })
      M:sync({ force = true })
      run(M)
      assert.is_true(beforeHooked)
      assert.is_true(afterHooked)
    end

    describe("beforeValidate / afterValidate", function()
      it("should pass a DAO instance to the hook", function()
        check(function() return "beforeValidate", "afterValidate" end,
          function(M) M:create({ username = "bob" }) end)
      end)
    end)

    describe("beforeCreate / afterCreate", function()
      it("should pass a DAO instance to the hook", function()
        check(function() return "beforeCreate", "afterCreate" end,
          function(M) M:create({ username = "bob" }) end)
      end)
    end)

    describe("beforeDestroy / afterDestroy", function()
      it("should pass a DAO instance to the hook", function()
        check(function() return "beforeDestroy", "afterDestroy" end,
          function(M) M:create({ username = "bob" }):destroy() end)
      end)
    end)

    describe("beforeUpdate / afterUpdate", function()
      it("should pass a DAO instance to the hook", function()
        check(function() return "beforeUpdate", "afterUpdate" end, function(M)
          local user = M:create({ username = "bob" })
          user.username = "bawb"
          user:save({ fields = { "username" } })
        end)
      end)
    end)
  end)

  describe("Model#sync", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeSync(beforeHook.fn)
        User:afterSync(afterHook.fn)
        User:sync()
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)

      it('should not run hooks when "hooks = false" option passed', function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeSync(beforeHook.fn)
        User:afterSync(afterHook.fn)
        User:sync({ hooks = false })
        assert.are.equal(0, beforeHook.n)
        assert.are.equal(0, afterHook.n)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeSync(whoops(beforeHook))
        User:afterSync(afterHook.fn)
        assert.is_false(pcall(User.sync, User))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(0, afterHook.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook = spy(), spy()
        User:beforeSync(beforeHook.fn)
        User:afterSync(whoops(afterHook))
        assert.is_false(pcall(User.sync, User))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)
  end)

  describe("sequelize#sync", function()
    describe("on success", function()
      it("should run hooks", function()
        local beforeHook, afterHook, modelBeforeHook, modelAfterHook = spy(), spy(), spy(), spy()
        db:beforeBulkSync(beforeHook.fn)
        User:beforeSync(modelBeforeHook.fn)
        User:afterSync(modelAfterHook.fn)
        db:afterBulkSync(afterHook.fn)
        db:sync()
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, modelBeforeHook.n)
        assert.are.equal(1, modelAfterHook.n)
        assert.are.equal(1, afterHook.n)
      end)

      it('should not run hooks if "hooks = false" option passed', function()
        local beforeHook, afterHook, modelBeforeHook, modelAfterHook = spy(), spy(), spy(), spy()
        db:beforeBulkSync(beforeHook.fn)
        User:beforeSync(modelBeforeHook.fn)
        User:afterSync(modelAfterHook.fn)
        db:afterBulkSync(afterHook.fn)
        db:sync({ hooks = false })
        assert.are.equal(0, beforeHook.n)
        assert.are.equal(0, modelBeforeHook.n)
        assert.are.equal(0, modelAfterHook.n)
        assert.are.equal(0, afterHook.n)
      end)
    end)

    describe("on error", function()
      it("should return an error from before", function()
        local beforeHook, afterHook = spy(), spy()
        db:beforeBulkSync(whoops(beforeHook))
        db:afterBulkSync(afterHook.fn)
        assert.is_false(pcall(db.sync, db))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(0, afterHook.n)
      end)

      it("should return an error from after", function()
        local beforeHook, afterHook = spy(), spy()
        db:beforeBulkSync(beforeHook.fn)
        db:afterBulkSync(whoops(afterHook))
        assert.is_false(pcall(db.sync, db))
        assert.are.equal(1, beforeHook.n)
        assert.are.equal(1, afterHook.n)
      end)
    end)
  end)

  describe("#removal", function()
    it("should be able to remove by name", function()
      local sasukeHook, narutoHook = spy(), spy()
      User:addHook("beforeCreate", "sasuke", sasukeHook.fn)
      User:addHook("beforeCreate", "naruto", narutoHook.fn)
      User:create({ username = "makunouchi" })
      assert.are.equal(1, sasukeHook.n)
      assert.are.equal(1, narutoHook.n)
      User:removeHook("beforeCreate", "sasuke")
      User:create({ username = "sendo" })
      assert.are.equal(1, sasukeHook.n)
      assert.are.equal(2, narutoHook.n)
    end)

    it("should be able to remove by reference", function()
      local sasukeHook, narutoHook = spy(), spy()
      User:addHook("beforeCreate", sasukeHook.fn)
      User:addHook("beforeCreate", narutoHook.fn)
      User:create({ username = "makunouchi" })
      assert.are.equal(1, sasukeHook.n)
      assert.are.equal(1, narutoHook.n)
      User:removeHook("beforeCreate", sasukeHook.fn)
      User:create({ username = "sendo" })
      assert.are.equal(1, sasukeHook.n)
      assert.are.equal(2, narutoHook.n)
    end)

    it("should be able to remove proxies", function()
      local sasukeHook, narutoHook = spy(), spy()
      User:addHook("beforeSave", sasukeHook.fn)
      User:addHook("beforeSave", narutoHook.fn)
      local user = User:create({ username = "makunouchi" })
      assert.are.equal(1, sasukeHook.n)
      assert.are.equal(1, narutoHook.n)
      User:removeHook("beforeSave", sasukeHook.fn)
      user:update({ username = "sendo" })
      assert.are.equal(1, sasukeHook.n)
      assert.are.equal(2, narutoHook.n)
    end)
  end)
end)
