-- An order item's direction: one of Sequelize's keywords (the whole string) or a
-- Sequelize.literal written as given; anything else is refused before any SQL runs.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("order direction", function()
  local db, User, last
  setup(function()
    db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = function(s) last = s end })
    User = db:define("User", { name = DataTypes.STRING })
    db:sync()
  end)
  teardown(function() db:close() end)

  local function refused(dir)
    last = nil
    local ok, err = pcall(User.findAll, User, { order = { { "id", dir } } })
    assert.is_false(ok)
    assert.truthy(tostring(err.message or err):find("Invalid order direction on User", 1, true))
    assert.is_nil(last) -- (nothing ran)
  end

  it("takes a keyword in any case, and a literal as given", function()
    User:findAll({ order = { { "id", "desc nulls last" } } })
    assert.truthy(last:find("ORDER BY `User`.`id` DESC NULLS LAST;", 1, true))
    User:findAll({ order = { { "id", Sequelize.literal("ASC, name DESC") } } })
    assert.truthy(last:find("ORDER BY `User`.`id` ASC, name DESC;", 1, true))
  end)

  it("refuses a keyword followed by a NUL byte and more (the whole string must match)", function()
    refused("ASC\0; DROP TABLE Users")
    refused("DESC\0")
  end)

  it("refuses a plain table posing as a literal, and other expressions", function()
    refused({ kind = "literal", val = "; DROP TABLE Users" })
    refused(Sequelize.fn("lower", Sequelize.col("name")))
    refused(Sequelize.col("name"))
  end)
end)
