-- Port of Sequelize v6's test/unit/sql/show-constraints.test.js (branch v6), sqlite dialect.
-- QueryGenerator.showConstraintsQuery is internal; its public call is qi:showConstraint. Each case
-- runs Sequelize's expected sqlite SQL itself and reads the CONSTRAINT clauses of the rows it
-- returns, which must be the constraints qi:showConstraint lists (names, types, in order), on a
-- table with several constraints, an index, and another table with a like-named constraint.
-- Skipped: none.
local Sequelize = require("sequelua")

describe("SQL showConstraint (port of unit/sql/show-constraints.test.js)", function()
  local db, qi
  setup(function()
    db = Sequelize.new("sqlite::memory:")
    qi = db:getQueryInterface()
    db:query("CREATE TABLE `other` (`id` INTEGER PRIMARY KEY)")
    db:query("CREATE TABLE `myTable` (`a` INTEGER, `b` INTEGER, CONSTRAINT `myConstraintName` CHECK (`a` > 0), "
      .. "CONSTRAINT `pk_ab` PRIMARY KEY (`a`, `b`), CONSTRAINT `fk_b` FOREIGN KEY (`b`) REFERENCES `other` (`id`) ON DELETE CASCADE)")
    db:query("CREATE INDEX `myTable_a` ON `myTable` (`a`)")
    db:query("CREATE TABLE `myTable2` (`a` INTEGER, CONSTRAINT `myConstraintName2` CHECK (`a` > 0))")
  end)
  teardown(function() db:close() end)

  local function expected(sql)
    local out = {}
    for _, r in ipairs(db:query(sql, { type = "SELECT" })) do
      -- (the PRIMARY KEY's autoindex row has no sql)
      for name, kind in (type(r.sql) == "string" and r.sql or ""):gmatch("CONSTRAINT `([^`]+)` (%u+ ?%u*)") do
        out[#out + 1] = name .. " " .. kind:gsub(" $", "")
      end
    end
    return out
  end
  local function ours(...)
    local out = {}
    for _, c in ipairs(qi:showConstraint(...)) do out[#out + 1] = c.constraintName .. " " .. c.constraintType end
    return out
  end

  it("naming", function()
    local want = expected("SELECT sql FROM sqlite_master WHERE tbl_name='myTable';")
    assert.are.same({ "myConstraintName CHECK", "pk_ab PRIMARY KEY", "fk_b FOREIGN KEY" }, want)
    assert.are.same(want, ours("myTable"))
  end)

  it("should add constraint_name to where clause if passed in case of mysql", function()
    assert.are.same(expected("SELECT sql FROM sqlite_master WHERE tbl_name='myTable' AND sql LIKE '%myConstraintName%';"),
      ours("myTable", "myConstraintName"))
    assert.are.same(expected("SELECT sql FROM sqlite_master WHERE tbl_name='myTable' AND sql LIKE '%nothere%';"),
      ours("myTable", "nothere"))
  end)
end)
