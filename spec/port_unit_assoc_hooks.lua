-- spec/port_unit_assoc_hooks.lua: the "association hooks" describe that Sequelize v6's
-- test/unit/associations/{belongs-to,has-one,has-many}.test.js each repeat, for one kind
-- (the spies are functions keeping their arguments; type.name is the type's name string).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

-- B: the spec's busted functions (a required module does not see the spec's globals)
-- extra: options every association call also takes (belongsToMany's through)
return function(kind, typeName, B, extra)
  local describe, it, before_each, after_each, assert = B.describe, B.it, B.before_each, B.after_each, B.assert
  describe("association hooks", function()
    local db, Projects, Tasks
    before_each(function()
      db = Sequelize.new("sqlite::memory:")
      Projects = db:define("Project", { title = DataTypes.STRING })
      Tasks = db:define("Task", { title = DataTypes.STRING })
    end)
    after_each(function() db:close() end)

    local function opts(hooks)
      local o = { hooks = hooks }
      for k, v in pairs(extra or {}) do o[k] = v end
      return o
    end

    local function keys(t)
      local l = {}
      for k in pairs(t) do l[#l + 1] = k end
      table.sort(l)
      return table.concat(l, ",")
    end

    describe("before" .. typeName .. "Associate", function()
      it("should trigger", function()
        local calls = {}
        Projects:beforeAssociate(function(...) calls[#calls + 1] = table.pack(...) end)
        Projects[kind](Projects, Tasks, opts(true))
        assert.equal(1, #calls)
        local args = calls[1]
        assert.equal(2, args.n)
        assert.equal("source,target,type", keys(args[1]))
        assert.equal(Projects, args[1].source)
        assert.equal(Tasks, args[1].target)
        assert.equal(typeName, args[1].type)
        assert.equal(db, args[2].sequelize)
      end)
      it("should not trigger association hooks", function()
        local called = false
        Projects:beforeAssociate(function() called = true end)
        Projects[kind](Projects, Tasks, opts(false))
        assert.is_false(called)
      end)
    end)

    describe("after" .. typeName .. "Associate", function()
      it("should trigger", function()
        local calls = {}
        Projects:afterAssociate(function(...) calls[#calls + 1] = table.pack(...) end)
        local a = Projects[kind](Projects, Tasks, opts(true))
        assert.equal(1, #calls)
        local args = calls[1]
        assert.equal(2, args.n)
        assert.equal("association,source,target,type", keys(args[1]))
        assert.equal(Projects, args[1].source)
        assert.equal(Tasks, args[1].target)
        assert.equal(typeName, args[1].type)
        assert.equal(a, args[1].association)
        assert.equal(typeName, args[1].association.associationType)
        assert.equal(db, args[2].sequelize)
      end)
      it("should not trigger association hooks", function()
        local called = false
        Projects:afterAssociate(function() called = true end)
        Projects[kind](Projects, Tasks, opts(false))
        assert.is_false(called)
      end)
    end)
  end)
end
