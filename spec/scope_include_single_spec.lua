-- A scope's and a finder's include given as one table (not a list): how it merges with the
-- scopes' includes. Expectations checked against sequelize 6.37.8 + sqlite3
-- (Foo.belongsTo(Bar), Foo.belongsTo(Baz); the SQL's joins).
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("scope include given as one table", function()
  local db, Foo, Bar, Baz, last
  setup(function()
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(s) last = s end })
    Bar = db:define("Bar", { a = DataTypes.STRING })
    Baz = db:define("Baz", { b = DataTypes.STRING })
    Foo = db:define("Foo", { name = DataTypes.STRING }, {
      defaultScope = { include = { Bar } },
      scopes = { one = { include = Bar }, withBar = function() return { include = Bar } end },
    })
    Foo:belongsTo(Bar)
    Foo:belongsTo(Baz)
    db:sync()
  end)
  teardown(function() db:close() end)

  local function joins()
    local out = {}
    for t in last:gmatch("JOIN `(%w+)`") do out[#out + 1] = t end
    return out
  end

  it("a finder's single include replaces the scope's includes; a list joins them", function()
    -- Sequelize: findAll injects the scope before it conforms the finder's include, so
    -- _mergeFunction([Bar], Baz) takes Baz
    Foo:findAll({ include = Baz })
    assert.are.same({ "Bazs" }, joins())
    Foo:findAll({ include = { Baz } })
    assert.are.same({ "Bars", "Bazs" }, joins())
    Foo:scope("one"):findAll({ include = Baz })
    assert.are.same({ "Bazs" }, joins())
    Foo:scope("one"):findAll({ include = { Baz } })
    assert.are.same({ "Bars", "Bazs" }, joins())
  end)

  it("scope() joins a scope's single include to the earlier ones; Sequelize.null clears them", function()
    Foo:scope("one", { include = Baz }):findAll()
    assert.are.same({ "Bars", "Bazs" }, joins())
    -- Sequelize: scope('withBar', { include: null }) has no include (null replaces the list)
    Foo:scope("withBar", { include = Sequelize.null }):findAll()
    assert.are.same({}, joins())
    -- an empty list leaves them (Sequelize's _conformIncludes drops `include: []`)
    Foo:scope("withBar", { include = {} }):findAll()
    assert.are.same({ "Bars" }, joins())
  end)
end)
