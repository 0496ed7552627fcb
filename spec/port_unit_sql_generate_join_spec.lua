-- Port of Sequelize v6's test/unit/sql/generateJoin.test.js (branch v6), sqlite dialect.
-- sql.generateJoin (internal) is expressed through Model:findAll with the same include: each
-- case runs ours (raw = true: one flat row per joined row, "Company.id" keys, as Sequelize's
-- raw rows) and a SELECT around Sequelize's expected JOIN (for subQuery = true, FROM the
-- subquery of the root's attributes it aliases, as Sequelize's) on the same rows, and compares
-- the rows. The include with `limit = 3` is separate (a query of its own), compared by the
-- instances' rows. `right = true`: sqlite has no RIGHT JOIN in Sequelize's dialect (LEFT).
-- No test is skipped.
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes
local Op = Sequelize.Op
local U = require("spec.port_unit_support")

describe("SQL (port of unit/sql/generateJoin.test.js)", function()
  describe("generateJoin", function()
    local db, User, Task, Company, Profession, A = nil, nil, nil, nil, nil, {}
    -- the root as Sequelize's subquery aliases it
    local SUBUSER = "(SELECT `id_user` AS `id`, `company_id` AS `companyId`, `professionId` FROM `user`) AS `User`"
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User = db:define("User", {
        id = { type = DataTypes.INTEGER, primaryKey = true, autoIncrement = true, field = "id_user" },
        companyId = { type = DataTypes.INTEGER, field = "company_id" },
      }, { tableName = "user" })
      Task = db:define("Task", { title = DataTypes.STRING, userId = { type = DataTypes.INTEGER, field = "user_id" } }, { tableName = "task" })
      Company = db:define("Company", {
        name = DataTypes.STRING, ownerId = { type = DataTypes.INTEGER, field = "owner_id" }, public = DataTypes.BOOLEAN,
      }, { tableName = "company" })
      Profession = db:define("Profession", { name = DataTypes.STRING }, { tableName = "profession" })
      A.Tasks = User:hasMany(Task, { as = "Tasks", foreignKey = "userId" })
      A.Company = User:belongsTo(Company, { foreignKey = "companyId", constraints = false })
      A.Profession = User:belongsTo(Profession, { foreignKey = "professionId" })
      A.Professionals = Profession:hasMany(User, { as = "Professionals", foreignKey = "professionId" })
      A.Employees = Company:hasMany(User, { as = "Employees", foreignKey = "companyId", constraints = false })
      A.Owner = Company:belongsTo(User, { as = "Owner", foreignKey = "ownerId", constraints = false })
      db:sync()
      Profession:bulkCreate{ { id = 1, name = "dev" }, { id = 2, name = "ops" }, { id = 3, name = "none" } }
      Company:bulkCreate{
        { id = 1, name = "ABC", public = true, ownerId = 2 }, { id = 2, name = "XYZ", public = false, ownerId = 3 },
        { id = 3, name = "ABC", public = false }, { id = 4, name = "Empty", public = false, ownerId = 99 },
      }
      User:bulkCreate{
        { id = 1, companyId = 1, professionId = 1 }, { id = 2, companyId = 2, professionId = 1 },
        { id = 3, professionId = 2 }, { id = 4, companyId = 3 }, { id = 5, companyId = 77, professionId = 2 },
      }
      Task:bulkCreate{
        { id = 1, title = "a", userId = 1 }, { id = 2, title = "b", userId = 1 }, { id = 3, title = "c", userId = 2 },
        { id = 4, title = "d" }, { id = 5, title = "e", userId = 5 },
      }
    end)
    teardown(function() db:close() end)

    -- ours (findAll options, raw) against SELECT cols FROM from join
    local function same(opts, cols, from, join)
      opts.raw = true
      local ours = User == opts.model and User:findAll(opts) or opts.model:findAll(opts)
      U.same(db, ours, "SELECT " .. cols .. " FROM " .. from .. " " .. join, { unordered = true })
    end
    local UC = "`User`.`id` AS `id`, `Company`.`id` AS `Company.id`"

    it("include[0], { model: User, include: [ User.Company ] }", function()
      same({ model = User, include = { A.Company } }, "`User`.`id_user` AS `id`, `Company`.`id` AS `Company.id`", "`user` AS `User`",
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`company_id` = `Company`.`id`")
    end)

    it("include[0], { model: User, include: [ { association: User.Company, where: { public: true }, or: true } ] }", function()
      same({ model = User, include = { { association = A.Company, where = { public = true }, ["or"] = true } } },
        "`User`.`id_user` AS `id`, `Company`.`id` AS `Company.id`", "`user` AS `User`",
        "INNER JOIN `company` AS `Company` ON `User`.`company_id` = `Company`.`id` OR `Company`.`public` = 1")
    end)

    it("include[0].include[0], { model: Profession, include: [ { association: Profession.Professionals, limit: 3, include: [ User.Company ] } ] }", function()
      local ours = Profession:findAll{ include = { { association = A.Professionals, limit = 3, include = { A.Company } } } }
      U.same(db, ours, "SELECT `Profession`.`id` AS `id`, `Professionals`.`id_user` AS `Professionals.id`, `Professionals->Company`.`id` AS `Professionals.Company.id`"
        .. " FROM `profession` AS `Profession` LEFT OUTER JOIN `user` AS `Professionals` ON `Professionals`.`professionId` = `Profession`.`id` "
        .. "LEFT OUTER JOIN `company` AS `Professionals->Company` ON `Professionals`.`company_id` = `Professionals->Company`.`id`",
        { unordered = true, keys = { "id", "Professionals.id", "Professionals.Company.id" } })
    end)

    it("include[0], { model: User, subQuery: true, include: [ User.Company ] }", function()
      same({ model = User, subQuery = true, include = { A.Company } }, UC, SUBUSER,
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id`")
    end)

    it("include[0], { model: User, subQuery: true, include: [ { association: User.Company, required: false, where: { name: 'ABC' } } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, required = false, where = { name = "ABC" } } } }, UC, SUBUSER,
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id` AND `Company`.`name` = 'ABC'")
    end)

    it("include[0], { model: User, subQuery: true, include: [ { association: User.Company, right: true } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, right = true } } }, UC, SUBUSER,
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id`")
    end)

    it("include[0].include[0], { subQuery: true, model: User, include: [ { association: User.Company, include: [ Company.Owner ] } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, include = { A.Owner } } } },
        UC .. ", `Company->Owner`.`id_user` AS `Company.Owner.id`", SUBUSER,
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id` "
        .. "LEFT OUTER JOIN `user` AS `Company->Owner` ON `Company`.`owner_id` = `Company->Owner`.`id_user`")
    end)

    it("include[0].include[0].include[0], { model: User, subQuery: true, include: [ { association: User.Company, include: [ { association: Company.Owner, include: [ User.Profession ] } ] } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, include = { { association = A.Owner, include = { A.Profession } } } } } },
        UC .. ", `Company->Owner`.`id_user` AS `Company.Owner.id`, `Company->Owner->Profession`.`id` AS `Company.Owner.Profession.id`", SUBUSER,
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id` "
        .. "LEFT OUTER JOIN `user` AS `Company->Owner` ON `Company`.`owner_id` = `Company->Owner`.`id_user` "
        .. "LEFT OUTER JOIN `profession` AS `Company->Owner->Profession` ON `Company->Owner`.`professionId` = `Company->Owner->Profession`.`id`")
    end)

    it("include[0].include[0], { model: User, subQuery: true, include: [ { association: User.Company, required: true, include: [ Company.Owner ] } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, required = true, include = { A.Owner } } } },
        UC .. ", `Company->Owner`.`id_user` AS `Company.Owner.id`", SUBUSER,
        "INNER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id` "
        .. "LEFT OUTER JOIN `user` AS `Company->Owner` ON `Company`.`owner_id` = `Company->Owner`.`id_user`")
    end)

    it("include[0], { model: User, subQuery: true, include: [ { association: User.Company, required: true } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, required = true } } }, UC, SUBUSER,
        "INNER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id`")
    end)

    it("include[0], { model: User, include: [ User.Tasks ] }", function()
      same({ model = User, include = { A.Tasks } }, "`User`.`id_user` AS `id`, `Tasks`.`id` AS `Tasks.id`", "`user` AS `User`",
        "LEFT OUTER JOIN `task` AS `Tasks` ON `User`.`id_user` = `Tasks`.`user_id`")
    end)

    it("include[0], { model: User, subQuery: true, include: [ User.Tasks ] }", function()
      same({ model = User, subQuery = true, include = { A.Tasks } }, "`User`.`id` AS `id`, `Tasks`.`id` AS `Tasks.id`", SUBUSER,
        "LEFT OUTER JOIN `task` AS `Tasks` ON `User`.`id` = `Tasks`.`user_id`")
    end)

    it("include[0], { model: User, include: [ { association: User.Tasks, on: { [Op.or]: [ { '$User.id_user$': { [Op.col]: 'Tasks.user_id' } }, { '$Tasks.user_id$': 2 } ] } } ] }", function()
      same({ model = User, include = { { association = A.Tasks, on = { [Op.or_] = {
          { ["$User.id_user$"] = { [Op.col] = "Tasks.user_id" } }, { ["$Tasks.user_id$"] = 2 } } } } } },
        "`User`.`id_user` AS `id`, `Tasks`.`id` AS `Tasks.id`", "`user` AS `User`",
        "LEFT OUTER JOIN `task` AS `Tasks` ON (`User`.`id_user` = `Tasks`.`user_id` OR `Tasks`.`user_id` = 2)")
    end)

    it("include[0], { model: User, include: [ { association: User.Tasks, on: { user_id: { [Op.col]: 'User.alternative_id' } } } ] }", function()
      -- (the table has no alternative_id: Sequelize's statement fails in SQLite, ours is refused)
      local sql = "SELECT `User`.`id_user` AS `id` FROM `user` AS `User` LEFT OUTER JOIN `task` AS `Tasks` ON `Tasks`.`user_id` = `User`.`alternative_id`"
      local ok1, e1 = pcall(db.query, db, sql)
      assert.is_false(ok1)
      assert.matches("alternative_id", tostring(e1.message or e1))
      local ok2, e2 = pcall(User.findAll, User, { include = { { association = A.Tasks, on = { user_id = { [Op.col] = "User.alternative_id" } } } } })
      assert.is_false(ok2)
      assert.matches("alternative_id", tostring(e2.message or e2))
    end)

    it("include[0].include[0], { subQuery: true, model: User, include: [ { association: User.Company, include: [ { association: Company.Owner, on: { [Op.or]: [ { '$Company.owner_id$': { [Op.col]: 'Company.Owner.id_user' } }, { '$Company.Owner.id_user$': 2 } ] } } ] } ] }", function()
      same({ model = User, subQuery = true, include = { { association = A.Company, include = { { association = A.Owner, on = { [Op.or_] = {
          { ["$Company.owner_id$"] = { [Op.col] = "Company.Owner.id_user" } }, { ["$Company.Owner.id_user$"] = 2 } } } } } } } },
        UC .. ", `Company->Owner`.`id_user` AS `Company.Owner.id`", SUBUSER,
        "LEFT OUTER JOIN `company` AS `Company` ON `User`.`companyId` = `Company`.`id` "
        .. "LEFT OUTER JOIN `user` AS `Company->Owner` ON (`Company`.`owner_id` = `Company->Owner`.`id_user` OR `Company->Owner`.`id_user` = 2)")
    end)
  end)
end)
