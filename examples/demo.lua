-- The seeds' Users/Stories example on an in-memory SQLite: define, associate, sync,
-- nested create, include by alias, a transaction, and the JSON Sequelize would print.
local Sequelize = require("sequelua")
local DataTypes, Op = Sequelize.DataTypes, Sequelize.Op

local db = Sequelize.new("sqlite::memory:")

local Users = db:define("Users", {
  user_id  = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
  username = { type = DataTypes.STRING(255), allowNull = false, unique = true },
  email    = { type = DataTypes.STRING, validate = { isEmail = true } },
  password = DataTypes.STRING,
}, { tableName = "users", timestamps = true, createdAt = "created_at", updatedAt = "updated_at" })

local Stories = db:define("Stories", {
  story_id   = { type = DataTypes.INTEGER.UNSIGNED, primaryKey = true, autoIncrement = true },
  created_by = { type = DataTypes.INTEGER.UNSIGNED, allowNull = false,
                 references = { model = Users, key = "user_id" } },
  title      = { type = DataTypes.STRING(255), allowNull = false },
  content    = { type = DataTypes.TEXT, allowNull = false },
}, { tableName = "stories", timestamps = true, createdAt = "created_at", updatedAt = "updated_at" })

Users:hasOne(Stories, { foreignKey = "created_by", as = "story" })
Stories:belongsTo(Users, { foreignKey = "created_by", as = "author" })

db:sync()

-- the seed's nested create: the story is saved with the user, created_by filled in
Users:create({
  username = "boris", email = "boris@example.com", password = "kvass123",
  story = { title = "cheeki breeki cheburek", content = "how to make cheburek at your cousin's place" },
}, { include = "story" })

db:transaction(function(t)
  Users:bulkCreate({
    { username = "anna", email = "anna@example.com", password = "x" },
    { username = "ivan", email = "ivan@example.com", password = "y" },
  }, { transaction = t })
end)

local ok, err = pcall(Users.create, Users, { username = "bad", email = "not-an-email" })
print("-- validation: " .. tostring(not ok and err))

print("-- Users:findAll{ where = { username = { [Op.ne] = \"ivan\" } }, order = { { \"username\", \"ASC\" } } }")
print(Sequelize.stringify(Users:findAll{
  where = { username = { [Op.ne] = "ivan" } },
  order = { { "username", "ASC" } },
  attributes = { exclude = { "password" } },
}, 2))

print("-- Users:findAll{ include = \"story\" }")
print(Sequelize.stringify(Users:findAll{ include = "story", where = { username = "boris" } }, 2))

print("-- Stories:findAll{ include = { association = \"author\", attributes = { exclude = { \"password\" } } } }")
print(Sequelize.stringify(Stories:findAll{
  include = { association = "author", attributes = { exclude = { "password" } } },
}, 2))

print("-- Users:count(), Users:update(...)")
print(Users:count(), Users:update({ password = "secret" }, { where = { username = "anna" } }))
db:close()
