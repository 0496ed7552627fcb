-- An association's methods (association.get(instance), count, has, ...) and its setter's read
-- of the rows linked now run the association's own getter, also when the model's prototype
-- kept a method of the accessor's name (Sequelize's mixin does not override a custom method):
-- a prototype getTasks that filters association.get's result must not call itself.
-- Checked against Sequelize 6.37.8 (sqlite, in memory):
--   U.prototype.getTasks = async function (o) {
--     return (await U.associations.Tasks.get(this, o)).filter(t => !t.done) }
--   U.hasMany(T)                              (x, y done, linked to u; z not linked)
--   (await u.getTasks()).length               -> 1
--   await u.setTasks([x, z])                  -> UserIds [1, null, 1] (y, read by this.get, unlinked)
--   (await U.associations.Tasks.get(u)).length, await U.associations.Tasks.count(u) -> 2 2
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("an association's own accessor", function()
  it("runs for association.get and setX when the prototype kept a method of its name", function()
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local U = db:define("User", { name = DataTypes.STRING })
    local T = db:define("Task", { title = DataTypes.STRING, done = DataTypes.BOOLEAN })
    function U.prototype:getTasks(opts)
      local out = {}
      for _, t in ipairs(U.associations.Tasks:get(self, opts)) do
        if not t.done then out[#out + 1] = t end
      end
      return out
    end
    U:hasMany(T)
    db:sync()
    local u = U:create{ name = "a" }
    local x = T:create{ title = "x", done = false, UserId = u.id }
    T:create{ title = "y", done = true, UserId = u.id }
    local z = T:create{ title = "z", done = false }
    assert.equal(1, #u:getTasks())
    u:setTasks({ x, z })
    local ids = {}
    for i, t in ipairs(T:findAll{ order = { { "id", "ASC" } } }) do ids[i] = t.UserId end
    assert.same({ u.id, Sequelize.null, u.id }, { ids[1], ids[2] == nil and Sequelize.null or ids[2], ids[3] })
    assert.equal(2, #U.associations.Tasks:get(u))
    assert.equal(2, U.associations.Tasks:count(u))
    assert.equal(2, u:countTasks())
  end)

  it("a later association of the same name answers association.get with its own key", function()
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local U = db:define("User", { name = DataTypes.STRING })
    local T = db:define("Task", { title = DataTypes.STRING, ownerId = DataTypes.INTEGER })
    U:hasMany(T)
    local a2 = U:hasMany(T, { foreignKey = "ownerId" })
    db:sync()
    local u = U:create{ name = "a" }
    T:create{ title = "mine", UserId = u.id }
    T:create{ title = "owned", ownerId = u.id }
    T:create{ title = "owned2", ownerId = u.id }
    assert.equal(1, #u:getTasks()) -- (the older association keeps the accessor)
    assert.equal(2, #a2:get(u))
    assert.equal(2, a2:count(u))
  end)
end)
