-- Port of Sequelize v6's test/integration/model/attributes.test.js (branch v6), sqlite dialect.
-- Skipped: none. `person.dataValues["toString"]` reads `person.dataValues.toString`.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of model/attributes.test.js)", function()
  local db

  before_each(function() db = Sequelize.new("sqlite::memory:") end)
  after_each(function() db:close() end)

  describe("attributes", function()
    describe("set", function()
      it("should only be called once when used on a join model called with an association getter", function()
        local callCount = 0
        local Student = db:define("student", {
          no = { type = DataTypes.INTEGER, primaryKey = true },
          name = DataTypes.STRING,
        }, { tableName = "student", timestamps = false })
        local Course = db:define("course", {
          no = { type = DataTypes.INTEGER, primaryKey = true },
          name = DataTypes.STRING,
        }, { tableName = "course", timestamps = false })
        local Score = db:define("score", {
          score = DataTypes.INTEGER,
          test_value = {
            type = DataTypes.INTEGER,
            set = function(self, v)
              callCount = callCount + 1
              self:setDataValue("test_value", v + 1)
            end,
          },
        }, { tableName = "score", timestamps = false })
        Student:belongsToMany(Course, { through = Score, foreignKey = "StudentId" })
        Course:belongsToMany(Student, { through = Score, foreignKey = "CourseId" })
        db:sync({ force = true })

        local student = Student:create({ no = 1, name = "ryan" })
        local course = Course:create({ no = 100, name = "history" })
        student:addCourse(course, { through = { score = 98, test_value = 1000 } })
        assert.are.equal(1, callCount)
        local score0 = Score:findOne({ where = { StudentId = 1, CourseId = 100 } })
        assert.are.equal(1001, score0.test_value)

        local courses = Student:build({ no = 1 }):getCourses({ where = { no = 100 } })
        local score = Score:findOne({ where = { StudentId = 1, CourseId = 100 } })
        assert.are.equal(1001, score.test_value)
        assert.are.equal(1001, courses[1].score:toJSON().test_value)
        assert.are.equal(1, callCount)
      end)

      it('allows for an attribute to be called "toString"', function()
        local Person = db:define("person", { name = DataTypes.STRING, nick = DataTypes.STRING },
          { timestamps = false })
        db:sync({ force = true })
        Person:create({ name = "Jozef", nick = "Joe" })
        local person = Person:findOne({
          attributes = { "nick", { "name", "toString" } },
          where = { name = "Jozef" },
        })
        assert.are.equal("Jozef", person.dataValues["toString"])
        assert.are.equal("Jozef", person:get("toString"))
      end)

      it('allows for an attribute to be called "toString" with associations', function()
        local Person = db:define("person", { name = DataTypes.STRING, nick = DataTypes.STRING })
        local Computer = db:define("computer", { hostname = DataTypes.STRING })
        Person:hasMany(Computer)
        db:sync({ force = true })
        local person = Person:create({ name = "Jozef", nick = "Joe" })
        person:createComputer({ hostname = "laptop" })
        local result = Person:findAll({
          attributes = { "nick", { "name", "toString" } },
          include = { model = Computer },
          where = { name = "Jozef" },
        })
        assert.are.equal(1, #result)
        assert.are.equal("Jozef", result[1].dataValues["toString"])
        assert.are.equal("Jozef", result[1]:get("toString"))
        assert.are.equal("laptop", result[1]:get("computers")[1].hostname)
      end)
    end)

    describe("quote", function()
      it("allows for an attribute with dots", function()
        local User = db:define("user", { ["foo.bar.baz"] = DataTypes.TEXT })
        db:sync({ force = true })
        local result = User:findAll()
        assert.are.equal(0, #result)
      end)
    end)
  end)
end)
