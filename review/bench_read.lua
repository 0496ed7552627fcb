-- callgrind: findAll of 20,000 rows, mode = arg[1]: plain | include | alias
local Sequelize = require("sequelua")
local DT = Sequelize.DataTypes
local db = Sequelize.new({ dialect = "sqlite", storage = ":memory:", logging = false })
local A = db:define("Author", { name = DT.STRING }, { timestamps = false })
local P = db:define("Post", { title = DT.STRING, body = DT.TEXT, n = DT.INTEGER }, { timestamps = false })
P:belongsTo(A)
db:sync()
A:bulkCreate({ { name = "a" }, { name = "b" } })
local rows = {}
for i = 1, 20000 do rows[i] = { title = "t" .. i, body = "b", n = i, AuthorId = i % 2 + 1 } end
P:bulkCreate(rows)
local mode = arg[1] or "plain"
local r
if mode == "plain" then r = P:findAll()
elseif mode == "include" then r = P:findAll({ include = { A } })
elseif mode == "alias" then r = P:findAll({ attributes = { "id", "title", { "n", "m" } } })
elseif mode == "aliasinc" then r = P:findAll({ attributes = { "id", "title", { "n", "m" } }, include = { A } })
end
assert(#r == 20000)
