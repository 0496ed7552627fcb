-- port_self_spec: a port of Sequelize's test/integration/associations/self.test.js (branch v6),
-- test by test, titles kept; Promise.all of creates is plain calls in order.
-- Skipped:
--   (none: every test of the file runs on sqlite; the n:m getter's SQL is read as its two
--    statements together, sequelua reading the join rows apart: README, Supported API)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function members(list)
  local t = {}
  for _, v in ipairs(list) do t[#t + 1] = v end
  table.sort(t, function(a, b) return tostring(a) < tostring(b) end)
  return t
end

local function ids(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = v.id end
  return members(t)
end

describe("Self", function()
  local db
  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  it("supports freezeTableName", function()
    local Group = db:define("Group", {}, {
      tableName = "user_group", timestamps = false, underscored = true, freezeTableName = true,
    })
    Group:belongsTo(Group, { as = "Parent", foreignKey = "parent_id" })
    Group:sync{ force = true }
    Group:findAll{ include = { { model = Group, as = "Parent" } } }
  end)

  it("can handle 1:m associations", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    Person:hasMany(Person, { as = "Children", foreignKey = "parent_id" })
    assert.is_truthy(Person.rawAttributes.parent_id)
    db:sync{ force = true }
    local mary = Person:create{ name = "Mary" }
    local john = Person:create{ name = "John" }
    local chris = Person:create{ name = "Chris" }
    mary:setChildren{ john, chris }
  end)

  it("can handle n:m associations", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    Person:belongsToMany(Person, { as = "Parents", through = "Family", foreignKey = "ChildId", otherKey = "PersonId" })
    Person:belongsToMany(Person, { as = "Childs", through = "Family", foreignKey = "PersonId", otherKey = "ChildId" })

    local foreignIdentifiers = {}
    for _, a in pairs(Person.associations) do foreignIdentifiers[#foreignIdentifiers + 1] = a.foreignIdentifier end
    local rawAttributes = {}
    for k in pairs(db.models.Family.rawAttributes) do rawAttributes[#rawAttributes + 1] = k end
    assert.are.equal(2, #foreignIdentifiers)
    assert.are.equal(4, #rawAttributes)
    assert.are.same({ "ChildId", "PersonId" }, members(foreignIdentifiers))
    assert.are.same({ "ChildId", "PersonId", "createdAt", "updatedAt" }, members(rawAttributes))

    db:sync{ force = true }
    local mary = Person:create{ name = "Mary" }
    local john = Person:create{ name = "John" }
    local chris = Person:create{ name = "Chris" }
    mary:setParents{ john }
    chris:addParent(john)
    local children = john:getChilds()
    assert.are.same(members{ mary.id, chris.id }, ids(children))
  end)

  it("can handle n:m associations with pre-defined through table", function()
    local Person = db:define("Person", { name = DataTypes.STRING })
    local Family = db:define("Family", {
      preexisting_child = { type = DataTypes.INTEGER, primaryKey = true },
      preexisting_parent = { type = DataTypes.INTEGER, primaryKey = true },
    }, { timestamps = false })
    Person:belongsToMany(Person, { as = "Parents", through = Family, foreignKey = "preexisting_child", otherKey = "preexisting_parent" })
    Person:belongsToMany(Person, { as = "Children", through = Family, foreignKey = "preexisting_parent", otherKey = "preexisting_child" })

    local foreignIdentifiers = {}
    for _, a in pairs(Person.associations) do foreignIdentifiers[#foreignIdentifiers + 1] = a.foreignIdentifier end
    local rawAttributes = {}
    for k in pairs(Family.rawAttributes) do rawAttributes[#rawAttributes + 1] = k end
    assert.are.equal(2, #foreignIdentifiers)
    assert.are.equal(2, #rawAttributes)
    assert.are.same({ "preexisting_child", "preexisting_parent" }, members(foreignIdentifiers))
    assert.are.same({ "preexisting_child", "preexisting_parent" }, members(rawAttributes))

    local count = 0
    db:sync{ force = true }
    local mary = Person:create{ name = "Mary" }
    local john = Person:create{ name = "John" }
    local chris = Person:create{ name = "Chris" }

    local function insert_logger(sql)
      if sql:match("INSERT") then
        count = count + 1
        assert.is_truthy(sql:find("preexisting_child", 1, true))
        assert.is_truthy(sql:find("preexisting_parent", 1, true))
      end
    end
    mary:setParents({ john }, { logging = insert_logger })
    mary:addParent(chris, { logging = insert_logger })
    -- sequelua's n:m getter reads the join rows, then the targets (README, Supported API: "its
    -- join rows are read apart"): Sequelize's one joined SELECT is two here, so their text is
    -- read together (the join keys are the first one's columns and where).
    local getter_sql = {}
    local children = john:getChildren{ logging = function(sql)
      getter_sql[#getter_sql + 1] = sql
    end }
    count = count + 1
    local whereClause = table.concat(getter_sql, "\n")
    assert.is_truthy(whereClause:find("preexisting_child", 1, true))
    assert.is_truthy(whereClause:find("preexisting_parent", 1, true))
    assert.are.equal(3, count)
    assert.are.same({ mary.id }, ids(children))
  end)
end)
