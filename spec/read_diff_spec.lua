-- read_diff_spec: finder differences found by a differential random tester (the same random
-- finder calls run on Sequelize 6.37.8 and here, on copies of one SQLite file, results compared).
-- Each test is one minimised difference; the expected values are Sequelize's where it is right.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes
local S = Sequelize.stringify

describe("differential reads", function()
  local M = {}
  setup(function()
    local db = support.open()
    M.db = db
    M.User = db:define("User", { name = DataTypes.STRING }, { timestamps = false })
    M.Post = db:define("Post", { title = DataTypes.STRING }, { timestamps = false })
    M.User:hasMany(M.Post)
    M.Post:belongsTo(M.User)
    db:sync()
    M.User:bulkCreate{ { name = "a" }, { name = "b" } }
    M.Post:bulkCreate{ { title = "p", UserId = 1 }, { title = "q", UserId = 1 }, { title = "r", UserId = 2 } }
  end)

  -- Sequelize 6.37.8 selects the key for the separate include (`SELECT User.id`) but reads
  -- its children with `IN (NULL, NULL)`: every list empty. An empty list is a list lacking
  -- the key, which is added and shown as for `attributes = { "name" }`.
  it("attributes = {} with a separate include selects the key it needs", function()
    local E = setmetatable({}, Sequelize.array_mt)
    local rows = M.User:findAll{ attributes = E, order = { { "id", "ASC" } },
      include = { { model = M.Post, separate = true, attributes = { "title", "UserId" }, order = { { "id", "ASC" } } } } }
    assert.are.equal('[{"id":1,"Posts":[{"title":"p","UserId":1},{"title":"q","UserId":1}]},{"id":2,"Posts":[{"title":"r","UserId":2}]}]', S(rows))
    -- (a plain `{}` is that empty list too; below a joined include likewise)
    rows = M.Post:findAll{ attributes = { "id" }, where = { id = 3 },
      include = { { model = M.User, attributes = {}, include = { { model = M.Post, separate = true, attributes = { "id", "UserId" } } } } } }
    assert.are.equal('[{"id":3,"User":{"id":2,"Posts":[{"id":3,"UserId":2}]}}]', S(rows))
  end)
end)
