-- self_assoc_spec: self-referential associations as a forum application writes them (User
-- follows User, a Comment tree, a Category tree), compared with sequelize 6.37.8 on the same
-- definitions: the keys each association takes, which one an include names, and the rows
-- the accessors write.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

describe("self-referential belongsToMany", function()
  -- one relationship table, several self n:m over it told apart by their through scopes
  local function rel_db()
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local U = db:define("U", { n = DataTypes.STRING }, { timestamps = false })
    local R = db:define("Rel", { kind = DataTypes.STRING }, { timestamps = false })
    U:belongsToMany(U, { as = "Friends", through = { model = R, scope = { kind = "friend" } }, foreignKey = "aId", otherKey = "bId" })
    U:belongsToMany(U, { as = "Blocked", through = { model = R, scope = { kind = "block" } }, foreignKey = "aId", otherKey = "bId" })
    U:belongsToMany(U, { as = "FriendOf", through = { model = R, scope = { kind = "friend" } }, foreignKey = "bId", otherKey = "aId" })
    db:sync()
    local l = U:bulkCreate({ { n = "a" }, { n = "b" }, { n = "c" } })
    return db, U, R, l
  end
  local function rel_rows(R)
    local out = {}
    for i, x in ipairs(R:findAll({ raw = true, order = { { "aId" }, { "bId" } } })) do out[i] = { x.aId, x.bId, x.kind } end
    return out
  end

  it("two running the same way (same foreignKey and otherKey) through one model are not a reverse pair", function()
    -- Sequelize: both keep aId -> bId; Friends and Blocked write kind = friend / block
    local _, U, R, l = rel_db()
    local a = U.associations
    assert.are.same({ "aId", "bId", "aId", "bId", "bId", "aId" },
      { a.Friends.foreignKey, a.Friends.otherKey, a.Blocked.foreignKey, a.Blocked.otherKey, a.FriendOf.foreignKey, a.FriendOf.otherKey })
    l[1]:addFriend(l[2]); l[1]:addBlocked(l[3]); l[3]:addFriend(l[1])
    assert.are.same({ { 1, 2, "friend" }, { 1, 3, "block" }, { 3, 1, "friend" } }, rel_rows(R))
    assert.are.same({ 2 }, { l[1]:getFriends()[1].id })
    assert.are.equal(3, l[1]:getBlocked()[1].id)
    assert.is_true(l[1]:hasBlocked(l[3]))
    assert.is_false(l[1]:hasFriend(l[3]))
    assert.are.equal(1, l[2]:getFriendOf()[1].id)
    l[1]:setFriends({})
    assert.are.same({ { 1, 3, "block" }, { 3, 1, "friend" } }, rel_rows(R))
    local rows = U:findAll({ include = { "Friends", "Blocked", "FriendOf" }, order = { { "id" } } })
    assert.are.equal(0, #rows[1].Friends)
    assert.are.equal(3, rows[1].Blocked[1].id)
    assert.are.equal(3, rows[1].FriendOf[1].id)
    assert.are.equal(1, rows[3].Friends[1].id)
  end)

  it("a reverse one naming crossed keys is still paired, and mismatched keys still raise", function()
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local U = db:define("User", { username = DataTypes.STRING }, { timestamps = false })
    local f = U:belongsToMany(U, { as = "Followers", through = "Follows", foreignKey = "followingId", otherKey = "followerId" })
    local g = U:belongsToMany(U, { as = "Following", through = "Follows", foreignKey = "followerId", otherKey = "followingId" })
    assert.are.equal(g, f.paired)
    local err = support.catch_message(U.belongsToMany, U, U, { as = "Fans", through = "Follows", foreignKey = "followerId", otherKey = "fanId" })
    assert.are.equal("SequelizeAssociationError", err.name)
    assert.matches("Paired belongsToMany keys differ", err.message, 1, true)
  end)

  it("two naming only the same otherKey (the foreignKey by default) run the same way too", function()
    -- Sequelize 6.37.8: Friends and Blocked both UId -> bId, the rows UId 1 -> bId 2 'f' and
    -- 1 -> 3 'b' (here it raised 'Paired belongsToMany keys differ' advising foreignKey = 'bId')
    for _, keys in ipairs({ { otherKey = "bId" }, { foreignKey = "UId", otherKey = "bId" } }) do
      local db = Sequelize.new("sqlite::memory:", { logging = false })
      local U = db:define("U", { n = DataTypes.STRING }, { timestamps = false })
      local R = db:define("Rel", { kind = DataTypes.STRING }, { timestamps = false })
      local f = U:belongsToMany(U, { as = "Friends", through = { model = R, scope = { kind = "f" } }, foreignKey = keys.foreignKey, otherKey = keys.otherKey })
      local b = U:belongsToMany(U, { as = "Blocked", through = { model = R, scope = { kind = "b" } }, otherKey = "bId" })
      assert.are.same({ "UId", "bId", "UId", "bId" }, { f.foreignKey, f.otherKey, b.foreignKey, b.otherKey })
      db:sync()
      local l = U:bulkCreate({ { n = "a" }, { n = "b" }, { n = "c" } })
      l[1]:addFriend(l[2]); l[1]:addBlocked(l[3])
      local rows = {}
      for i, x in ipairs(R:findAll({ raw = true, order = { { "bId" } } })) do rows[i] = { x.UId, x.bId, x.kind } end
      assert.are.same({ { 1, 2, "f" }, { 1, 3, "b" } }, rows)
      assert.are.same({ 2, 3 }, { l[1]:getFriends()[1].id, l[1]:getBlocked()[1].id })
    end
  end)

  it("one sharing a single key in the same place is taken for the reverse and raises, naming both aliases", function()
    -- (Friends aId -> bId, Blocked naming foreignKey aId alone: its otherKey by default would
    -- be a third column of the join table's primary key, and every add would fail NOT NULL)
    for _, keys in ipairs({ { foreignKey = "aId" }, { otherKey = "bId" } }) do
      local db = Sequelize.new("sqlite::memory:", { logging = false })
      local U = db:define("U", { n = DataTypes.STRING }, { timestamps = false })
      local R = db:define("Rel", { kind = DataTypes.STRING }, { timestamps = false })
      U:belongsToMany(U, { as = "Friends", through = { model = R, scope = { kind = "f" } }, foreignKey = "aId", otherKey = "bId" })
      local err = support.catch_message(U.belongsToMany, U, U, { as = "Blocked", through = { model = R, scope = { kind = "b" } },
        foreignKey = keys.foreignKey, otherKey = keys.otherKey })
      assert.are.equal("SequelizeAssociationError", err.name)
      assert.matches("U.belongsToMany(U) as 'Blocked' through Rel", err.message, 1, true)
      assert.matches("the paired U.belongsToMany(U) as 'Friends'", err.message, 1, true)
      assert.matches("takes both its keys (foreignKey and otherKey) the same", err.message, 1, true)
      assert.are.same({ "aId", "bId", "kind" }, (function() local t = {} for k in pairs(R.rawAttributes) do t[#t + 1] = k end table.sort(t) return t end)())
    end
  end)
end)

describe("including a self association by its model, without an alias", function()
  local function people(first_belongs)
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local P = db:define("Person", { name = DataTypes.STRING }, { timestamps = false })
    if first_belongs then P:belongsTo(P, { as = "boss" }) end
    P:hasMany(P)
    if not first_belongs then P:belongsTo(P) end
    db:sync()
    P:bulkCreate({ { name = "a" }, { name = "b", PersonId = 1 }, { name = "c", PersonId = 1 } })
    return P
  end

  it("hasMany and belongsTo both unaliased: the first made (Sequelize's getAssociationForAlias)", function()
    -- Sequelize 6.37.8: include [Person] is the hasMany 'People', no error
    local P = people(false)
    local rows = P:findAll({ include = { P }, order = { { "id" }, { "People", "id" } } })
    assert.are.same({ 2, 3 }, { rows[1].People[1].id, rows[1].People[2].id })
    assert.are.equal(0, #rows[2].People)
    rows = P:findAll({ where = { id = 1 }, include = { P }, order = { { P, "name", "DESC" } } })
    assert.are.equal("c", rows[1].People[1].name)
  end)

  it("one unaliased among aliased ones is the one taken", function()
    local P = people(true)
    local rows = P:findAll({ include = { P }, where = { id = 1 } })
    assert.are.equal(2, #rows[1].People)
  end)

  it("the hasMany defined again after the belongsTo keeps its first place", function()
    -- Sequelize 6.37.8: associations.People is replaced in place, so Object.values lists it
    -- before the belongsTo 'Person' and include [Person] is the hasMany (here it was the
    -- belongsTo, whose alias is the model's own: 'ambiguous column name')
    local db = Sequelize.new("sqlite::memory:", { logging = false })
    local P = db:define("Person", { name = DataTypes.STRING }, { timestamps = false })
    P:hasMany(P); P:belongsTo(P); P:hasMany(P)
    db:sync()
    P:bulkCreate({ { name = "a" }, { name = "b", PersonId = 1 } })
    local rows = P:findAll({ include = { P }, order = { { "id" } } })
    assert.are.same({ 1, 0 }, { #rows[1].People, #rows[2].People })
    assert.are.equal(2, P:count({ include = { P } }))
  end)
end)
