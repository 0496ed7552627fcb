-- port_include_spec: a port of Sequelize's test/integration/include.test.js (branch v6), test by
-- test, titles kept; Promise.all / promiseProps fan-outs are plain calls in order. The `where`
-- and `nested includes` describes read the rows their beforeEach made without changing them, so
-- each builds them once for its tests.
-- Skipped:
--   (none; the mssql / db2 / oracle literals of "should support Sequelize.literal and renaming
--    of attributes in included model attributes" are left out, sqlite's kept; the right-join
--    tests check sqlite's result, Sequelize's sqlite dialect not supporting RIGHT JOIN)
local Sequelize = require("sequelua")
local DataTypes = Sequelize.DataTypes

local function sortById(list)
  table.sort(list, function(a, b) return a.id < b.id end)
end

describe("Include", function()
  describe("find", function()
    local db
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    it("should support an empty belongsTo include", function()
      local Company = db:define("Company", {})
      local User = db:define("User", {})
      User:belongsTo(Company, { as = "Employer" })
      db:sync{ force = true }
      User:create()
      local user = User:findOne{ include = { { model = Company, as = "Employer" } } }
      assert.is_truthy(user)
    end)

    it("should support a belongsTo association reference", function()
      local Company = db:define("Company", {})
      local User = db:define("User", {})
      local Employer = User:belongsTo(Company, { as = "Employer" })
      db:sync{ force = true }
      User:create()
      local user = User:findOne{ include = { Employer } }
      assert.is_truthy(user)
    end)

    it("should support to use associations with Sequelize.col", function()
      local Table1 = db:define("Table1", {})
      local Table2 = db:define("Table2", {})
      local Table3 = db:define("Table3", { value = DataTypes.INTEGER })
      Table1:hasOne(Table2, { foreignKey = "Table1Id" })
      Table2:hasMany(Table3, { as = "Tables3", foreignKey = "Table2Id" })
      db:sync{ force = true }
      local table1 = Table1:create()
      local table2 = Table2:create{ Table1Id = table1:get("id") }
      Table3:bulkCreate({
        { Table2Id = table2:get("id"), value = 5 },
        { Table2Id = table2:get("id"), value = 7 },
      }, { validate = true })
      local result = Table1:findAll{
        raw = true,
        attributes = { { Sequelize.fn("SUM", Sequelize.col("Table2.Tables3.value")), "sum" } },
        include = { {
          model = Table2, attributes = {},
          include = { { model = Table3, as = "Tables3", attributes = {} } },
        } },
      }
      assert.are.equal(1, #result)
      assert.are.equal(12, math.floor(tonumber(result[1].sum))) -- (parseInt)
    end)

    it("should support a belongsTo association reference with a where", function()
      local Company = db:define("Company", { name = DataTypes.STRING })
      local User = db:define("User", {})
      local Employer = User:belongsTo(Company, { as = "Employer", foreignKey = "employerId" })
      db:sync{ force = true }
      local company = Company:create{ name = "CyberCorp" }
      User:create{ employerId = company:get("id") }
      local user = User:findOne{ include = { { association = Employer, where = { name = "CyberCorp" } } } }
      assert.is_truthy(user)
    end)

    it("should support a empty hasOne include", function()
      local Company = db:define("Company", {})
      local Person = db:define("Person", {})
      Company:hasOne(Person, { as = "CEO" })
      db:sync{ force = true }
      Company:create()
      local company = Company:findOne{ include = { { model = Person, as = "CEO" } } }
      assert.is_truthy(company)
    end)

    it("should support a hasOne association reference", function()
      local Company = db:define("Company", {})
      local Person = db:define("Person", {})
      local CEO = Company:hasOne(Person, { as = "CEO" })
      db:sync{ force = true }
      Company:create()
      local user = Company:findOne{ include = { CEO } }
      assert.is_truthy(user)
    end)

    it("should support including a belongsTo association rather than a model/as pair", function()
      local Company = db:define("Company", {})
      local Person = db:define("Person", {})
      local relation = { Employer = Person:belongsTo(Company, { as = "employer" }) }
      db:sync{ force = true }
      local person0 = Person:create()
      local company = Company:create()
      person0:setEmployer(company)
      local person = Person:findOne{ include = { relation.Employer } }
      assert.is_truthy(person)
      assert.is_truthy(person.employer)
    end)

    it("should support a hasMany association reference", function()
      local User = db:define("user", {})
      local Task = db:define("task", {})
      local Tasks = User:hasMany(Task)
      Task:belongsTo(User)
      db:sync{ force = true }
      local user0 = User:create()
      user0:createTask()
      local user = User:findOne{ include = { Tasks } }
      assert.is_truthy(user)
      assert.is_truthy(user.tasks)
    end)

    it("should support a hasMany association reference with a where condition", function()
      local User = db:define("user", {})
      local Task = db:define("task", { title = DataTypes.STRING })
      local Tasks = User:hasMany(Task)
      Task:belongsTo(User)
      db:sync{ force = true }
      local user0 = User:create()
      user0:createTask{ title = "trivial" }
      user0:createTask{ title = "pursuit" }
      local user = User:findOne{ include = { { association = Tasks, where = { title = "trivial" } } } }
      assert.is_truthy(user)
      assert.is_truthy(user.tasks)
      assert.are.equal(1, #user.tasks)
    end)

    it("should support a belongsToMany association reference", function()
      local User = db:define("user", {})
      local Group = db:define("group", {})
      local Groups = User:belongsToMany(Group, { through = "UserGroup" })
      Group:belongsToMany(User, { through = "UserGroup" })
      db:sync{ force = true }
      local user0 = User:create()
      user0:createGroup()
      local user = User:findOne{ include = { Groups } }
      assert.is_truthy(user)
      assert.is_truthy(user.groups)
    end)

    it("should support a simple nested belongsTo -> belongsTo include", function()
      local Task = db:define("Task", {})
      local User = db:define("User", {})
      local Group = db:define("Group", {})
      Task:belongsTo(User)
      User:belongsTo(Group)
      db:sync{ force = true }
      local props = { task = Task:create(), user = User:create(), group = Group:create() }
      props.task:setUser(props.user)
      props.user:setGroup(props.group)
      local task = Task:findOne{
        where = { id = props.task.id },
        include = { { model = User, include = { { model = Group } } } },
      }
      assert.is_truthy(task.User)
      assert.is_truthy(task.User.Group)
    end)

    it("should support a simple sibling set of belongsTo include", function()
      local Task = db:define("Task", {})
      local User = db:define("User", {})
      local Group = db:define("Group", {})
      Task:belongsTo(User)
      Task:belongsTo(Group)
      db:sync{ force = true }
      local task0 = Task:create({ User = {}, Group = {} }, { include = { User, Group } })
      local task = Task:findOne{ where = { id = task0.id }, include = { { model = User }, { model = Group } } }
      assert.is_truthy(task.User)
      assert.is_truthy(task.Group)
    end)

    it("should support a simple nested hasOne -> hasOne include", function()
      local Task = db:define("Task", {})
      local User = db:define("User", {})
      local Group = db:define("Group", {})
      User:hasOne(Task)
      Group:hasOne(User)
      User:belongsTo(Group)
      db:sync{ force = true }
      local user = User:create({ Task = {}, Group = {} }, { include = { Task, Group } })
      local group = Group:findOne{
        where = { id = user.Group.id },
        include = { { model = User, include = { { model = Task } } } },
      }
      assert.is_truthy(group.User)
      assert.is_truthy(group.User.Task)
    end)

    it("should support a simple nested hasMany -> belongsTo include", function()
      local Task = db:define("Task", {})
      local User = db:define("User", {})
      local Project = db:define("Project", {})
      User:hasMany(Task)
      Task:belongsTo(Project)
      db:sync{ force = true }
      Project:bulkCreate{ { id = 1 }, { id = 2 } }
      local user0 = User:create({
        Tasks = { { ProjectId = 1 }, { ProjectId = 2 }, { ProjectId = 1 }, { ProjectId = 2 } },
      }, { include = { Task } })
      local user = User:findOne{
        where = { id = user0.id },
        include = { { model = Task, include = { { model = Project } } } },
      }
      assert.is_truthy(user.Tasks)
      assert.are.equal(4, #user.Tasks)
      for _, task in ipairs(user.Tasks) do assert.is_truthy(task.Project) end
    end)

    it("should support a simple nested belongsTo -> hasMany include", function()
      local Task = db:define("Task", {})
      local Worker = db:define("Worker", {})
      local Project = db:define("Project", {})
      Worker:belongsTo(Project)
      Project:hasMany(Worker)
      Project:hasMany(Task)
      db:sync{ force = true }
      local project = Project:create({ Workers = { {} }, Tasks = { {}, {}, {}, {} } }, { include = { Worker, Task } })
      local worker = Worker:findOne{
        where = { id = project.Workers[1].id },
        include = { { model = Project, include = { { model = Task } } } },
      }
      assert.is_truthy(worker.Project)
      assert.is_truthy(worker.Project.Tasks)
      assert.are.equal(4, #worker.Project.Tasks)
    end)

    it("should support a simple nested hasMany to hasMany include", function()
      local User = db:define("User", {})
      local Product = db:define("Product", { title = DataTypes.STRING })
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      User:hasMany(Product)
      Product:belongsToMany(Tag, { through = "product_tag" })
      Tag:belongsToMany(Product, { through = "product_tag" })
      db:sync{ force = true }
      User:create({
        id = 1,
        Products = { { title = "Chair" }, { title = "Desk" }, { title = "Dress" }, { title = "Bed" } },
      }, { include = { Product } })
      local products = Product:findAll{ order = { { "id" } } }
      Tag:bulkCreate{ { name = "A" }, { name = "B" }, { name = "C" } }
      local tags = Tag:findAll{ order = { { "id" } } }
      products[1]:setTags{ tags[1], tags[3] }
      products[2]:setTags{ tags[2] }
      products[3]:setTags{ tags[1], tags[2], tags[3] }
      local user = User:findOne{
        where = { id = 1 },
        include = { { model = Product, include = { { model = Tag } } } },
        order = { User.rawAttributes.id, { Product, "id" } },
      }
      assert.are.equal(4, #user.Products)
      assert.are.equal(2, #user.Products[1].Tags)
      assert.are.equal(1, #user.Products[2].Tags)
      assert.are.equal(3, #user.Products[3].Tags)
      assert.are.equal(0, #user.Products[4].Tags)
    end)

    it("should support an include with multiple different association types", function()
      local User = db:define("User", {})
      local Product = db:define("Product", { title = DataTypes.STRING })
      local Tag = db:define("Tag", { name = DataTypes.STRING })
      local Price = db:define("Price", { value = DataTypes.FLOAT })
      local Group = db:define("Group", { name = DataTypes.STRING })
      local GroupMember = db:define("GroupMember", {})
      local Rank = db:define("Rank", {
        name = DataTypes.STRING,
        canInvite = { type = DataTypes.INTEGER, defaultValue = 0 },
        canRemove = { type = DataTypes.INTEGER, defaultValue = 0 },
      })
      User:hasMany(Product)
      Product:belongsTo(User)
      Product:belongsToMany(Tag, { through = "product_tag" })
      Tag:belongsToMany(Product, { through = "product_tag" })
      Product:belongsTo(Tag, { as = "Category" })
      Product:hasMany(Price)
      Price:belongsTo(Product)
      User:hasMany(GroupMember, { as = "Memberships" })
      GroupMember:belongsTo(User)
      GroupMember:belongsTo(Rank)
      GroupMember:belongsTo(Group)
      Group:hasMany(GroupMember, { as = "Memberships" })
      db:sync{ force = true }

      local product1 = Product:create({ id = 1, title = "Chair", Prices = { { value = 5 }, { value = 10 } } },
        { include = { Price } })
      local product2 = Product:create({
        id = 2, title = "Desk", Prices = { { value = 5 }, { value = 10 }, { value = 15 }, { value = 20 } },
      }, { include = { Price } })
      local user0 = User:create({
        id = 1,
        Memberships = {
          { id = 1, Group = { name = "Developers" }, Rank = { name = "Admin", canInvite = 1, canRemove = 1 } },
          { id = 2, Group = { name = "Designers" }, Rank = { name = "Member", canInvite = 1, canRemove = 0 } },
        },
      }, { include = { model = GroupMember, as = "Memberships", include = { Group, Rank } } })
      Tag:bulkCreate{ { name = "A" }, { name = "B" }, { name = "C" } }
      local tags = Tag:findAll()

      user0:setProducts{ product1, product2 }
      product1:setTags{ tags[1], tags[3] }
      product2:setTags{ tags[2] }
      product1:setCategory(tags[2])

      local user = User:findOne{
        where = { id = 1 },
        include = {
          { model = GroupMember, as = "Memberships", include = { Group, Rank } },
          { model = Product, include = { Tag, { model = Tag, as = "Category" }, Price } },
        },
      }
      sortById(user.Memberships)
      assert.are.equal(2, #user.Memberships)
      assert.are.equal("Developers", user.Memberships[1].Group.name)
      assert.are.equal(1, user.Memberships[1].Rank.canRemove)
      assert.are.equal("Designers", user.Memberships[2].Group.name)
      assert.are.equal(0, user.Memberships[2].Rank.canRemove)

      sortById(user.Products)
      assert.are.equal(2, #user.Products)
      assert.are.equal(2, #user.Products[1].Tags)
      assert.are.equal(1, #user.Products[2].Tags)
      assert.is_truthy(user.Products[1].Category)
      assert.is_falsy(user.Products[2].Category)
      assert.are.equal(2, #user.Products[1].Prices)
      assert.are.equal(4, #user.Products[2].Prices)
    end)

    it("should support specifying attributes", function()
      local Project = db:define("Project", { title = DataTypes.STRING })
      local Task = db:define("Task", { title = DataTypes.STRING, description = DataTypes.TEXT })
      Project:hasMany(Task)
      Task:belongsTo(Project)
      db:sync{ force = true }
      Task:create({ title = "FooBar", Project = { title = "BarFoo" } }, { include = { Project } })
      local tasks = Task:findAll{
        attributes = { "title" },
        include = { { model = Project, attributes = { "title" } } },
      }
      assert.are.equal("FooBar", tasks[1].title)
      assert.are.equal("BarFoo", tasks[1].Project.title)
      local values = {}
      for k, v in pairs(tasks[1]:get()) do
        if k ~= "Project" then values[k] = v end
      end
      assert.are.same({ title = "FooBar" }, values)
      assert.are.same({ title = "BarFoo" }, tasks[1].Project:get())
    end)

    it("should support Sequelize.literal and renaming of attributes in included model attributes", function()
      local Post = db:define("Post", {})
      local PostComment = db:define("PostComment", {
        -- Since the AS part is a part of the literal string, Sequelize is told about the field
        someProperty = DataTypes.VIRTUAL,
        comment_title = DataTypes.STRING,
      })
      Post:hasMany(PostComment)
      db:sync{ force = true }
      local post = Post:create{}
      post:createPostComment{ comment_title = "WAT" }
      local findAttributes = {
        Sequelize.literal('EXISTS(SELECT 1) AS "PostComments.someProperty"'),
        { Sequelize.literal("EXISTS(SELECT 1)"), "someProperty2" },
        { "comment_title", "commentTitle" },
      }
      local posts = Post:findAll{ include = { { model = PostComment, attributes = findAttributes } } }
      assert.is_truthy(posts[1].PostComments[1]:get("someProperty"))
      assert.is_truthy(posts[1].PostComments[1]:get("someProperty2"))
      assert.are.equal("WAT", posts[1].PostComments[1]:get("commentTitle"))
    end)

    it("should support self associated hasMany (with through) include", function()
      local Group = db:define("Group", { name = DataTypes.STRING })
      Group:belongsToMany(Group, { through = "groups_outsourcing_companies", as = "OutsourcingCompanies" })
      db:sync{ force = true }
      Group:bulkCreate{ { name = "SoccerMoms" }, { name = "Coca Cola" }, { name = "Dell" }, { name = "Pepsi" } }
      local groups = Group:findAll()
      groups[1]:setOutsourcingCompanies{ groups[2], groups[3], groups[4] }
      local group = Group:findOne{
        where = { id = groups[1].id },
        include = { { model = Group, as = "OutsourcingCompanies" } },
      }
      assert.are.equal(3, #group.OutsourcingCompanies)
    end)

    it("should support including date fields, with the correct timeszone", function()
      local User = db:define("user", { dateField = DataTypes.DATE }, { timestamps = false })
      local Group = db:define("group", { dateField = DataTypes.DATE }, { timestamps = false })
      User:belongsToMany(Group, { through = "group_user" })
      Group:belongsToMany(User, { through = "group_user" })
      db:sync{ force = true }
      local date = "2014-02-20T00:00:00.000Z" -- Date.UTC(2014, 1, 20)
      local user0 = User:create{ dateField = date }
      local group = Group:create{ dateField = date }
      user0:addGroup(group)
      local user = User:findOne{ where = { id = user0.id }, include = { Group } }
      assert.are.equal(date, user.dateField)
      assert.are.equal(date, user.groups[1].dateField)
    end)

    it("should support include when retrieving associated objects", function()
      local User = db:define("user", { name = DataTypes.STRING })
      local Group = db:define("group", { name = DataTypes.STRING })
      local UserGroup = db:define("user_group", { vip = DataTypes.INTEGER })
      User:hasMany(Group)
      Group:belongsTo(User)
      User:belongsToMany(Group, { through = UserGroup, as = "Clubs" })
      Group:belongsToMany(User, { through = UserGroup, as = "Members" })
      db:sync{ force = true }
      local owner = User:create{ name = "Owner" }
      local member = User:create{ name = "Member" }
      local group = Group:create{ name = "Group" }
      owner:addGroup(group)
      group:addMember(member)
      local groups = owner:getGroups{ include = { { model = User, as = "Members" } } }
      assert.are.equal(1, #groups)
      assert.are.equal("Member", groups[1].Members[1].name)
    end)
  end)

  local function createUsersAndItems(db)
    local User = db:define("User", {})
    local Item = db:define("Item", { test = DataTypes.STRING })
    User:hasOne(Item)
    Item:belongsTo(User)
    db:sync{ force = true }
    User:bulkCreate{ {}, {}, {} }
    local users = User:findAll()
    Item:bulkCreate{ { test = "abc" }, { test = "def" }, { test = "ghi" } }
    local items = Item:findAll()
    users[1]:setItem(items[1])
    users[2]:setItem(items[2])
    users[3]:setItem(items[3])
    return User, Item
  end

  describe("where", function()
    local db, User, Item
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      User, Item = createUsersAndItems(db)
    end)
    teardown(function() db:close() end)

    it("should support Sequelize.and()", function()
      local result = User:findAll{ include = { { model = Item, where = Sequelize["and"]({ test = "def" }) } } }
      assert.are.equal(1, #result)
      assert.are.equal("def", result[1].Item.test)
    end)

    it("should support Sequelize.or()", function()
      local result = User:findAll{ include = {
        { model = Item, where = Sequelize["or"]({ test = "def" }, { test = "abc" }) },
      } }
      assert.are.equal(2, #result)
    end)
  end)

  describe("findAndCountAll", function()
    it("should include associations to findAndCountAll", function()
      local db = Sequelize.new("sqlite::memory:")
      local User, Item = createUsersAndItems(db)
      local result = User:findAndCountAll{ include = { { model = Item, where = { test = "def" } } } }
      assert.are.equal(1, result.count)
      assert.are.equal(1, #result.rows)
      assert.are.equal("def", result.rows[1].Item.test)
      db:close()
    end)
  end)

  describe("association getter", function()
    it("should support getting an include on a N:M association getter", function()
      local db = Sequelize.new("sqlite::memory:")
      local Question = db:define("Question", {})
      local Answer = db:define("Answer", {})
      local Questionnaire = db:define("Questionnaire", {})
      Question:belongsToMany(Answer, { through = "question_answer" })
      Answer:belongsToMany(Question, { through = "question_answer" })
      Questionnaire:hasMany(Question)
      Question:belongsTo(Questionnaire)
      db:sync{ force = true }
      local questionnaire = Questionnaire:create()
      questionnaire:getQuestions{ include = Answer }
      db:close()
    end)
  end)

  describe("right join", function()
    local db
    before_each(function() db = Sequelize.new("sqlite::memory:") end)
    after_each(function() db:close() end)

    it("should support getting an include with a right join", function()
      local User = db:define("user", { name = DataTypes.STRING })
      local Group = db:define("group", { name = DataTypes.STRING })
      User:hasMany(Group)
      Group:belongsTo(User)
      db:sync{ force = true }
      User:create{ name = "User 1" }
      User:create{ name = "User 2" }
      User:create{ name = "User 3" }
      Group:create{ name = "A Group" }
      local groups = Group:findAll{ include = { { model = User, right = true } } }
      -- Sequelize's sqlite dialect does not support RIGHT JOIN (a LEFT OUTER JOIN then)
      assert.are.equal(1, #groups)
    end)

    it("should support getting an include through with a right join", function()
      local User = db:define("user", { name = DataTypes.STRING })
      local Group = db:define("group", { name = DataTypes.STRING })
      local UserGroup = db:define("user_group", { vip = DataTypes.INTEGER })
      User:hasMany(Group)
      Group:belongsTo(User)
      User:belongsToMany(Group, { through = UserGroup, as = "Clubs", constraints = false })
      Group:belongsToMany(User, { through = UserGroup, as = "Members", constraints = false })
      db:sync{ force = true }
      local member1 = User:create{ name = "Member 1" }
      local member2 = User:create{ name = "Member 2" }
      local group1 = Group:create{ name = "Group 1" }
      local group2 = Group:create{ name = "Group 2" }
      group1:addMember(member1)
      group1:addMember(member2)
      group2:addMember(member1)
      group2:destroy()
      local groups = Group:findAll{ include = { { model = User, as = "Members", right = true } } }
      -- Sequelize's sqlite dialect does not support RIGHT JOIN (a LEFT OUTER JOIN then)
      assert.are.equal(1, #groups)
    end)
  end)

  describe("nested includes", function()
    local db, Employee, Team, Clearence
    setup(function()
      db = Sequelize.new("sqlite::memory:")
      Employee = db:define("Employee", { name = DataTypes.STRING })
      Team = db:define("Team", { name = DataTypes.STRING })
      Clearence = db:define("Clearence", { level = DataTypes.INTEGER })
      Team.Members = Team:hasMany(Employee, { as = "members" })
      Employee.Clearence = Employee:hasOne(Clearence, { as = "clearence" })
      Clearence.Employee = Clearence:belongsTo(Employee, { as = "employee" })
      db:sync{ force = true }
      local instances = {
        Team:create{ name = "TeamA" },
        Team:create{ name = "TeamB" },
        Employee:create{ name = "John" },
        Employee:create{ name = "Jane" },
        Employee:create{ name = "Josh" },
        Employee:create{ name = "Jill" },
        Clearence:create{ level = 3 },
        Clearence:create{ level = 5 },
      }
      instances[1]:addMembers{ instances[3], instances[4] }
      instances[2]:addMembers{ instances[5], instances[6] }
      instances[3]:setClearence(instances[7])
      instances[4]:setClearence(instances[8])
    end)
    teardown(function() db:close() end)

    it("should not ripple grandchild required to top level find when required of child is set to false", function()
      local teams = Team:findAll{ include = { {
        association = Team.Members, required = false,
        include = { { association = Employee.Clearence, required = true } },
      } } }
      assert.are.equal(2, #teams)
    end)

    it("should support eager loading associations using the name of the relation (string)", function()
      local team = Team:findOne{
        where = { name = "TeamA" },
        include = { { association = "members", required = true } },
      }
      assert.are.equal(2, #team.members)
    end)

    it("should not ripple grandchild required to top level find when required of child is not given (implicitly false)", function()
      local teams = Team:findAll{ include = { {
        association = Team.Members,
        include = { { association = Employee.Clearence, required = true } },
      } } }
      assert.are.equal(2, #teams)
    end)

    it("should ripple grandchild required to top level find when required of child is set to true as well", function()
      local teams = Team:findAll{ include = { {
        association = Team.Members, required = true,
        include = { { association = Employee.Clearence, required = true } },
      } } }
      assert.are.equal(1, #teams)
    end)
  end)
end)
