-- Port of Sequelize v6's test/integration/model/findAll/separate.test.js (branch v6), sqlite dialect.
-- Skipped: none. Promise.all fan-outs are plain calls in order; the try / expect.fail wrappers are
-- the test failing on any error.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of findAll/separate.test.js)", function()
  describe("findAll", function()
    describe("separate with limit", function()
      it("should not throw syntax error (union)", function()
        -- #9813 testcase
        local current = Sequelize.new("sqlite::memory:")
        local Project = current:define("Project", { name = DataTypes.STRING })
        local LevelTwo = current:define("LevelTwo", { name = DataTypes.STRING })
        local LevelThree = current:define("LevelThree", { type = DataTypes.INTEGER })

        Project:hasMany(LevelTwo)
        LevelTwo:belongsTo(Project)

        LevelTwo:hasMany(LevelThree, { as = "type_ones" })
        LevelTwo:hasMany(LevelThree, { as = "type_twos" })
        LevelThree:belongsTo(LevelTwo)

        current:sync({ force = true })

        local project = Project:create({ name = "testProject" })
        local level21 = LevelTwo:create({ name = "testL21" })
        local level22 = LevelTwo:create({ name = "testL22" })

        project:addLevelTwo(level21)
        project:addLevelTwo(level22)

        -- one include case
        local projects0 = Project:findAll{
          where = { name = "testProject" },
          include = { {
            model = LevelTwo,
            include = { {
              model = LevelThree, as = "type_ones", where = { type = 0 },
              separate = true, limit = 1, order = { { "createdAt", "DESC" } },
            } },
          } },
        }
        assert.are.equal(1, #projects0)
        assert.are.equal(2, #projects0[1].LevelTwos)
        assert.are.equal(0, #projects0[1].LevelTwos[1].type_ones)
        assert.are.equal(0, #projects0[1].LevelTwos[2].type_ones)

        -- two includes case
        local projects = Project:findAll{
          where = { name = "testProject" },
          include = { {
            model = LevelTwo,
            include = {
              { model = LevelThree, as = "type_ones", where = { type = 0 },
                separate = true, limit = 1, order = { { "createdAt", "DESC" } } },
              { model = LevelThree, as = "type_twos", where = { type = 1 },
                separate = true, limit = 1, order = { { "createdAt", "DESC" } } },
            },
          } },
        }
        assert.are.equal(1, #projects)
        assert.are.equal(2, #projects[1].LevelTwos)
        assert.are.equal(0, #projects[1].LevelTwos[1].type_ones)
        assert.are.equal(0, #projects[1].LevelTwos[2].type_ones)
        current:close()
      end)
    end)
  end)
end)
