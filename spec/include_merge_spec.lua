-- An association included twice at one level: one include, merged as Sequelize 6.37.8's
-- _uniqIncludes merges them (before the target's scope and paranoid's condition are added):
-- the later include's options win, wheres key by key under the default whereMergeStrategy
-- ("overwrite"), joined with AND under "and" (the finder's model's), lists joined, at every
-- level. A no-op beforeFind hook (the other path through the finder) gives the same.
-- The expected rows are Sequelize 6.37.8's on the same data (sqlite, in memory).
local Sequelize = require("sequelua")
local DT = Sequelize.DataTypes

local function setup(strategy, hook)
  local db = Sequelize.new("sqlite::memory:", { logging = false, define = { whereMergeStrategy = strategy } })
  local U = db:define("User", { name = DT.STRING })
  local P = db:define("Post", { n = DT.INTEGER, m = DT.INTEGER })
  local Q = db:define("Note", { n = DT.INTEGER }, { paranoid = true })
  local R = db:define("Item", { n = DT.INTEGER, k = DT.INTEGER }, { defaultScope = { where = { k = 1 } } })
  local C = db:define("Comment", { n = DT.INTEGER })
  local T = db:define("Tag", { n = DT.INTEGER })
  local PT = db:define("PostTag", { w = DT.INTEGER })
  U:hasMany(P); U:hasMany(P, { as = "drafts" }); U:hasMany(Q); U:hasMany(R); P:hasMany(C)
  P:belongsToMany(T, { through = PT }); T:belongsToMany(P, { through = PT })
  if hook then U:addHook("beforeFind", function() end) end
  db:sync()
  U:bulkCreate({ { name = "a" }, { name = "b" } })
  T:bulkCreate({ { n = 1 }, { n = 2 } })
  P:bulkCreate({ { n = 1, m = 1, UserId = 1 }, { n = 2, m = 1, UserId = 1 }, { n = 2, m = 2, UserId = 1 } })
  PT:bulkCreate({ { PostId = 1, TagId = 1, w = 1 }, { PostId = 1, TagId = 2, w = 2 }, { PostId = 2, TagId = 2, w = 1 } })
  Q:bulkCreate({ { n = 1, UserId = 1 }, { n = 2, UserId = 1 }, { n = 2, UserId = 1 } })
  Q:destroy({ where = { id = 3 } })
  R:bulkCreate({ { n = 1, k = 1, UserId = 1 }, { n = 2, k = 1, UserId = 1 }, { n = 2, k = 2, UserId = 1 } })
  C:bulkCreate({ { n = 1, PostId = 1 }, { n = 2, PostId = 1 }, { n = 2, PostId = 2 } })
  return db, U, P, Q, R, C, T
end

-- "a(Posts=1:2,2:3) b(Posts=)": each user, its included lists (ids, a post's comments after
-- ":", its tags after "/"), sorted
local function show(rows)
  local function ids(list, f)
    local t = {}
    for _, x in ipairs(list) do t[#t + 1] = x end
    table.sort(t, function(p, q) return p.id < q.id end)
    local out = {}
    for i, x in ipairs(t) do out[i] = f(x) end
    return table.concat(out, ",")
  end
  local users = {}
  for _, r in ipairs(rows) do users[#users + 1] = r end
  table.sort(users, function(p, q) return p.id < q.id end)
  local out = {}
  for _, u in ipairs(users) do
    local parts = {}
    for _, k in ipairs({ "Posts", "drafts", "Notes", "Items" }) do
      local v = u[k]
      if v ~= nil then
        parts[#parts + 1] = k .. "=" .. ids(v, function(x)
          local s = tostring(x.id)
          if x.Comments then s = s .. ":" .. ids(x.Comments, function(c) return tostring(c.id) end) end
          if x.Tags then s = s .. "/" .. ids(x.Tags, function(c) return tostring(c.id) end) end
          return s
        end)
      end
    end
    out[#out + 1] = u.name .. "(" .. table.concat(parts, ";") .. ")"
  end
  return table.concat(out, " ")
end

local function cases(P, Q, R, C, T)
  return {
    { "plain", { { model = P, where = { n = 1 } }, { model = P, where = { n = 2 } } },
      "a(Posts=2,3)", "" },
    { "other keys kept", { { model = P, where = { n = 2 } }, { model = P, where = { m = 1 } } },
      "a(Posts=2)", "a(Posts=2)" },
    { "as and association", { { model = P, as = "drafts", where = { n = 1 } }, { association = "drafts", where = { n = 2 } } },
      "a(drafts=2,3)", "" },
    { "two aliases: not merged", { { model = P, where = { n = 1 } }, { model = P, as = "drafts", where = { n = 2 } } },
      "a(Posts=1;drafts=2,3)", "a(Posts=1;drafts=2,3)" },
    { "paranoid target", { { model = Q, where = { n = 1 } }, { model = Q, where = { n = 2 } } },
      "a(Notes=2)", "" },
    { "default scope's where", { { model = R, where = { n = 1 } }, { model = R, where = { n = 2 } } },
      "a(Items=2)", "" },
    { "default scope's key given", { { model = R, where = { k = 2 } }, { model = R, where = { n = 2 } } },
      "a(Items=3)", "" },
    { "nested", { { model = P, include = { { model = C, where = { n = 1 } } } },
                  { model = P, include = { { model = C, where = { n = 2 } } } } },
      "a(Posts=1:2,2:3) b(Posts=)", "a(Posts=) b(Posts=)" },
    { "nested lists joined", { { model = P, where = { n = 1 }, include = { C } },
                               { model = P, where = { n = 2 }, include = { { model = C, where = { n = 2 } } } } },
      "a(Posts=2:3)", "" },
    { "attributes, required", { { model = P, where = { n = 2 }, attributes = { "id" }, required = false },
                                { model = P, attributes = { "n" } } },
      "a(Posts=2,3) b(Posts=)", "a(Posts=2,3) b(Posts=)" },
    { "required = false later", { { model = P, where = { n = 1 } }, { model = P, required = false } },
      "a(Posts=1) b(Posts=)", "a(Posts=1) b(Posts=)" },
    { "separate", { { model = P, where = { n = 1 }, separate = true }, { model = P, where = { n = 2 } } },
      "a(Posts=2,3) b(Posts=)", "a(Posts=) b(Posts=)" },
    { "through kept", { { model = P, include = { { model = T, through = { where = { w = 1 } } } } },
                        { model = P, include = { { model = T, where = { n = 2 } } } } },
      "a(Posts=2/2) b(Posts=)", "a(Posts=2/2) b(Posts=)" },
    { "through replaced", { { model = P, include = { { model = T, through = { where = { w = 1 } } } } },
                            { model = P, include = { { model = T, through = { where = { w = 2 } } } } } },
      "a(Posts=1/2,2/,3/) b(Posts=)", "a(Posts=1/2,2/,3/) b(Posts=)" },
    { "a Sequelize.where later", { { model = P, where = { n = 1 } },
                                   { model = P, where = Sequelize.where(Sequelize.col("m"), 2) } },
      "", "" },
  }
end

describe("an association included twice", function()
  for _, strategy in ipairs({ "overwrite", "and" }) do
    for _, hook in ipairs({ false, true }) do
      it(("merged as Sequelize's: whereMergeStrategy %s%s"):format(strategy, hook and ", a no-op beforeFind" or ""),
        function()
          local db, U, P, Q, R, C, T = setup(strategy, hook)
          for _, c in ipairs(cases(P, Q, R, C, T)) do
            local want = strategy == "and" and c[4] or c[3]
            assert.are.equal(want, show(U:findAll({ include = c[2] })), c[1])
          end
          db:close()
        end)
    end
  end

  it("a model without its alias beside the association: one include on both paths", function()
    -- (Sequelize 6.37.8 keeps them apart, by model and alias as written, and fails in SQL:
    -- "ambiguous column name: Posts.id"; here they are merged as the same alias twice is)
    for _, hook in ipairs({ false, true }) do
      local db, U, P = setup("overwrite", hook)
      assert.are.equal("a(Posts=2,3)", show(U:findAll({ include = { { model = P, where = { n = 1 } },
                                                                     { association = "Posts", where = { n = 2 } } } })))
      db:close()
    end
  end)

  it("the caller's include tables are not changed", function()
    local db, U, P = setup("overwrite", false)
    local a, b = { model = P, where = { n = 1 } }, { model = P, where = { n = 2 } }
    U:findAll({ include = { a, b } })
    assert.are.same({ n = 1 }, a.where)
    assert.is_nil(a.as)
    assert.are.same({ n = 2 }, b.where)
    db:close()
  end)
end)
