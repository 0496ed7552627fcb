-- The `fields` a new row's save hooks see when the caller gives none (every attribute's name,
-- instance.all_fields): a list of its own for each save, copied from one kept for the model's
-- attribute layout, so that a hook's change in place reaches neither the kept list nor a later
-- save, and a change of the attributes (an association's key, removeAttribute) is seen.
local Sequelize = require("sequelua")
local D = Sequelize.DataTypes

describe("a new row's save hooks: options.fields", function()
  it("each save its own list; a hook's change in place stays in that save", function()
    local db = Sequelize.new("sqlite::memory:")
    local H = db:define("H", { name = D.STRING, n = D.INTEGER }, { timestamps = false })
    local T = db:define("T", { t = D.STRING }, { timestamps = false })
    db:sync()
    local seen, lists = {}, {}
    H:beforeCreate(function(_, o)
      seen[#seen + 1] = table.concat(o.fields, ",")
      lists[#lists + 1] = o.fields
      if #seen == 1 then table.remove(o.fields, 2) end -- (the first save drops "n")
    end)
    local a = H:create({ name = "a", n = 1 })
    local b = H:create({ name = "b", n = 2 })
    assert.are.same({ "id,n,name", "id,n,name" }, seen)
    assert.are_not.equal(lists[1], lists[2])
    assert.is_equal(Sequelize.null, H:findByPk(a.id, { raw = true }).n)
    assert.are.equal(2, H:findByPk(b.id).n)
    -- (an association's key added: among them)
    H:belongsTo(T)
    db:sync({ force = true })
    H:create({ name = "c", n = 3, TId = nil })
    assert.are.equal("id,n,name,TId", seen[3])
    -- (an attribute removed: gone)
    H:removeAttribute("n")
    H:create({ name = "d" })
    assert.are.equal("id,name,TId", seen[4])
    db:close()
  end)
end)
