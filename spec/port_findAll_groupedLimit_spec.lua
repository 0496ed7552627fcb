-- Port of Sequelize v6's test/integration/model/findAll/groupedLimit.test.js (branch v6), sqlite dialect.
-- Sequelize runs that file only where `dialect.supports['UNION ALL']` (false for sqlite), and
-- `groupedLimit` is an internal findAll option; its public form is a separate hasMany include
-- with a limit, which Sequelize runs as a groupedLimit (on sqlite a UNION of one query per parent).
-- Ported here in that form. Run in Node with Sequelize 6.37.8 on sqlite :memory: it picks the same
-- tasks per user but returns them ascending ([2, 3, 4]): its sqlite UNION (not UNION ALL) drops the
-- subqueries' ORDER BY and the outer query has none. The test's expected [4, 3, 2] is kept here.
-- Skipped (one line each, why):
--   on: belongsToMany (5 tests: "maps attributes from a grouped limit to models", "... with include",
--     "[Flaky] works with computed order", "works with multiple orders", "works with paranoid junction
--     models"): no public call makes a groupedLimit on a belongsToMany (include.separate is hasMany only).
--   sinon fake timers: timing only.
local Sequelize = require("sequelua")

describe("Model (port of findAll/groupedLimit.test.js)", function()
  describe("findAll", function()
    describe("groupedLimit", function()
      describe("on: hasMany", function()
        local db, User, Task, users
        setup(function()
          db = Sequelize.new("sqlite::memory:")
          User = db:define("user", {})
          Task = db:define("task", {})
          User.Tasks = User:hasMany(Task)
          db:sync({ force = true })
          User:bulkCreate({ {}, {}, {} })
          Task:bulkCreate({ { id = 1 }, { id = 2 }, { id = 3 }, { id = 4 }, { id = 5 }, { id = 6 } })
          users = User:findAll()
          local tasks = Task:findAll()
          users[1]:setTasks({ tasks[1] })
          users[2]:setTasks({ tasks[2], tasks[3], tasks[4] })
          users[3]:setTasks({ tasks[5], tasks[6] })
        end)
        teardown(function() db:close() end)

        local function ids(list)
          local out = {}
          for i, t in ipairs(list) do out[i] = t:get("id") end
          return out
        end

        it("Applies limit and order correctly", function()
          local function byUser(limit)
            local list = User:findAll{
              order = { { "id", "ASC" } },
              include = { { association = User.Tasks, separate = true, limit = limit,
                            order = { { "id", "DESC" } } } },
            }
            local out = {}
            for _, u in ipairs(list) do
              for _, t in ipairs(u.tasks) do assert.are.equal(u.id, t.userId) end
              out[u.id] = ids(u.tasks)
            end
            return out
          end
          local r = byUser(3)
          assert.are.same({ [1] = { 1 }, [2] = { 4, 3, 2 }, [3] = { 6, 5 } }, r)
          -- beyond Sequelize's data (no user has more than 3 tasks): the limit is per user
          assert.are.same({ [1] = { 1 }, [2] = { 4, 3 }, [3] = { 6, 5 } }, byUser(2))
        end)
      end)
    end)
  end)
end)
