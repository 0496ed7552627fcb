-- Port of Sequelize v6's test/unit/model/count.test.js (branch v6), sqlite dialect.
-- Sequelize stubs aggregate to compare the options count and findAndCountAll hand it; here both
-- run on real tables and their counts are compared.
-- Differs (API.md): findAndCountAll's count is the number of distinct top-level rows, includes or
-- not; Sequelize's (the same options as count) counts the joined rows of a to-many include. So
-- "with includes" checks count's joined-row number and findAndCountAll's distinct one, and that
-- the two agree given `distinct = true`.
-- Skipped: none.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

describe("Model (port of unit/model/count.test.js)", function()
  describe("method count", function()
    local db, User, Project
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", { username = DataTypes.STRING, age = DataTypes.INTEGER })
      Project = db:define("Project", { name = DataTypes.STRING })
      User:hasMany(Project)
      Project:belongsTo(User)
      db:sync()
      for i = 1, 3 do
        local u = User:create({ username = "u" .. i })
        if i < 3 then
          Project:create({ UserId = u.id })
          Project:create({ UserId = u.id })
        end
      end
    end)
    teardown(function() db:close() end)

    describe("should pass the same options to model.aggregate as findAndCountAll", function()
      it("with includes", function()
        local queryObject = { include = { Project } }
        assert.equal(5, User:count(queryObject)) -- joined rows, as Sequelize's count
        assert.equal(3, User:findAndCountAll(queryObject).count)
        local distinct = { include = { Project }, distinct = true }
        assert.equal(User:count(distinct), User:findAndCountAll(distinct).count)
        assert.equal(3, User:count(distinct))
      end)

      it("attributes should be stripped in case of findAndCountAll", function()
        local queryObject = { attributes = { "username" } }
        local r = User:findAndCountAll(queryObject)
        assert.equal(User:count(queryObject), r.count)
        assert.equal(3, r.count)
        for _, u in ipairs(r.rows) do assert.is_nil(u.id) end -- the rows keep the attributes asked
      end)
    end)
  end)
end)
