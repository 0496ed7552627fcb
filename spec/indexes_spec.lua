-- The `indexes` model option: sync creates each index once, named as Sequelize names it
-- (underscore("<table>_<fields>")) unless a name is given; unique indexes are enforced.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("indexes", function()
  local db, log

  before_each(function()
    log = {}
    db = Sequelize.new("sqlite::memory:", { logging = function(m) log[#log + 1] = m end })
  end)

  after_each(function() db:close() end)

  it("index options it cannot honour (where, a field's order) raise at define instead of being dropped", function()
    local T = DataTypes
    for _, ix in ipairs({ { fields = { "a" }, where = { a = 1 } }, { fields = { { name = "a", order = "DESC" } } },
                          { fields = { "a" }, using = "BTREE" } }) do
      local ok, err = pcall(db.define, db, "Ix", { a = T.STRING }, { indexes = { ix } })
      assert.is_false(ok)
      assert.is_truthy(err.message:find("is not supported", 1, true), err.message)
    end
  end)

  local function ddl(prefix)
    local out = {}
    for _, m in ipairs(log) do
      local sql = m:match("^Executing %(.-%): (.*)$")
      if sql and sql:find("^" .. prefix) then out[#out + 1] = sql end
    end
    return out
  end

  it("sync creates them after the table, once, with Sequelize's names and the columns' fields", function()
    local User = db:define("User", {
      a = DataTypes.STRING,
      b = { type = DataTypes.STRING, field = "bee" },
    }, { indexes = { { unique = true, fields = { "a", "b" } }, { fields = { "b" }, name = "by_b" } } })
    db:sync()
    db:sync()
    assert.are.same({
      "CREATE UNIQUE INDEX `users_a_b` ON `Users` (`a`, `bee`)",
      "CREATE INDEX `by_b` ON `Users` (`bee`)",
    }, ddl("CREATE %a* ?INDEX"))
    local rows = db:query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Users' ORDER BY name")
    assert.are.same({ "by_b", "users_a_b" }, { rows[1].name, rows[2].name })
    User:create({ a = "x", b = "y" })
    local ok, err = pcall(User.create, User, { a = "x", b = "y" })
    assert.is_false(ok)
    assert.are.equal("SequelizeUniqueConstraintError", err.name)
    assert.are.equal(1, User:count())
    User:create({ a = "x", b = "z" })
    assert.are.equal(2, User:count())
  end)

  it("Model:sync creates that model's indexes", function()
    local Tag = db:define("Tag", { name = DataTypes.STRING }, { indexes = { { fields = { "name" } } } })
    Tag:sync()
    assert.are.same({ "CREATE INDEX `tags_name` ON `Tags` (`name`)" }, ddl("CREATE INDEX"))
  end)

  it("refuses malformed index options and unknown attributes, naming the model", function()
    local ok, err = pcall(db.define, db, "Bad", { a = DataTypes.STRING }, { indexes = { { fields = {} } } })
    assert.is_false(ok)
    assert.truthy(err.message:find("Bad", 1, true))
    local M = db:define("Odd", { a = DataTypes.STRING }, { indexes = { { fields = { "nope" } } } })
    ok, err = pcall(db.sync, db)
    assert.is_false(ok)
    assert.truthy(err.message:find("nope", 1, true))
    assert.truthy(M)
  end)
end)
