-- review39_spec: behaviours checked against Sequelize 6.37.8 (sqlite) in a review of the
-- ported-tests fixes: an include's `as = { singular / plural }` where order names it, and the
-- messages that show such an alias.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("include as = { singular / plural } (Sequelize's verifyAssociationAlias)", function()
  local db, Individual, Hat, Tag
  before_each(function()
    db = Sequelize.new("sqlite::memory:")
    Individual = db:define("Individual", { name = DataTypes.STRING })
    Hat = db:define("Hat", { name = DataTypes.STRING })
    Tag = db:define("Tag", { name = DataTypes.STRING })
    Individual:hasOne(Hat, { as = "personwearinghat" })
    Individual:hasMany(Tag, { as = { singular = "tg", plural = "tgs" } })
    db:sync()
    local i = Individual:create{ name = "a" }
    i:createPersonwearinghat{ name = "h" }
    i:createTg{ name = "t2" }
    i:createTg{ name = "t1" }
  end)

  it("an order item { model, as = { singular = ... } } names the association, as the include does", function()
    -- Sequelize: [{ model: Hat, as: { singular: 'personwearinghat' } }, 'name'] orders by it
    local i = Individual:findOne{ include = { { model = Hat, as = "personwearinghat" } },
                                  order = { { { model = Hat, as = { singular = "personwearinghat" } }, "name" } } }
    assert.equal("h", i.personwearinghat.name)
    local j = Individual:findOne{ include = { { model = Tag, as = { plural = "tgs" } } },
                                  order = { { { model = Tag, as = { plural = "tgs" } }, "name", "DESC" } } }
    assert.equal("t2", j.tgs[1].name)
    assert.equal("t1", j.tgs[2].name)
  end)

  it("a flag error names such an include by its alias, not a table's address", function()
    local ok, err = pcall(function()
      return Individual:findOne{ include = { { model = Hat, as = { singular = "personwearinghat" }, required = 1 } } }
    end)
    assert.is_false(ok)
    assert.is_nil(err.message:find("table: ", 1, true))
    assert.truthy(err.message:find("personwearinghat", 1, true))
  end)
end)

describe("Sequelize.Validator:extend", function()
  it("extending a name again replaces its function for models defined already, as Sequelize's", function()
    -- Sequelize: validator.extend('isReview39', f2) after define: the model's next validation calls f2
    Sequelize.Validator:extend("isReview39", function(s) return s == "one" end)
    local db = Sequelize.new("sqlite::memory:")
    local M = db:define("M", { a = { type = DataTypes.STRING, validate = { isReview39 = true } } })
    M:build{ a = "one" }:validate()
    Sequelize.Validator:extend("isReview39", function(s) return s == "two" end)
    M:build{ a = "two" }:validate()
    local ok, err = pcall(function() M:build{ a = "one" }:validate() end)
    assert.is_false(ok)
    assert.equal("Validation isReview39 on a failed", err.errors[1].message)
  end)
end)

describe("ENUM with its own isIn, typeValidation = true", function()
  it("a value outside both lists is reported once, by the isIn (Sequelize's type check runs after validation)", function()
    local db = Sequelize.new{ dialect = "sqlite", storage = ":memory:", typeValidation = true }
    local B = db:define("B", { g = { type = DataTypes.ENUM("a", "b"), validate = { isIn = { args = { { "a" } }, msg = "custom" } } },
                               f = { type = DataTypes.ENUM("a", "b"), validate = { isIn = { { "a", "b", "c" } } } } })
    db:sync()
    -- Sequelize: create({ g: 'z' }) -> one item, "custom" (isIn)
    local ok, err = pcall(function() B:create{ g = "z" } end)
    assert.is_false(ok)
    assert.equal(1, #err.errors)
    assert.equal("custom", err.errors[1].message)
    assert.equal("isIn", err.errors[1].validatorKey)
    -- inside the isIn's list, outside the ENUM's: the ENUM validator's item, as Sequelize's query raises
    ok, err = pcall(function() B:create{ f = "c" } end)
    assert.is_false(ok)
    assert.equal(1, #err.errors)
    assert.equal('"c" is not a valid choice in ["a","b"]', err.errors[1].message)
    assert.equal("ENUM validator", err.errors[1].validatorKey)
    assert.equal(0, B:count())
  end)
end)
