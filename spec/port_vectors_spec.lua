-- Port of Sequelize v6's test/integration/vectors.test.js (branch v6), sqlite dialect.
-- Skipped: none. Beside Sequelize's one test, the same value goes through the other places a
-- value reaches SQL (where, update, raw query replacements), each checked to be stored and read
-- back as given with the table still there: values are always bound, never spliced.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Vectors (port of vectors.test.js)", function()
  local db, Student
  local evil = 'Robert\\\'); DROP TABLE "students"; --'
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    Student = db:define("student", { name = DataTypes.STRING }, { tableName = "student" })
    Student:sync({ force = true })
  end)
  teardown(function() db:close() end)

  it("should not allow insert backslash", function()
    local result0 = Student:create({ name = evil })
    assert.are.equal(evil, result0:get("name"))
    local result = Student:findAll()
    assert.are.equal(evil, result[1].name)

    -- the same text as a where value, an update value and a replacement
    assert.are.equal(1, #Student:findAll{ where = { name = evil } })
    assert.are.equal(1, Student:update({ name = evil .. "'" }, { where = { name = evil } }))
    local rows = db:query("SELECT name FROM student WHERE name = ?",
      { replacements = { evil .. "'" }, type = "SELECT" })
    assert.are.equal(evil .. "'", rows[1].name)
    assert.are.equal(1, Student:count())
  end)
end)
