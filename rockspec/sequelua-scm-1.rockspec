package = "sequelua"
version = "scm-1"
source = { url = "git+https://example.invalid/sequelua.git" }
description = {
  summary = "Sequelize's model, association and query API for Lua, on a C core",
  detailed = [[
    Define models, sync the schema, query with where/order/limit and Op operators,
    transactions and validation, on SQLite through a C core that builds SQL with
    bound parameters and turns rows into Lua tables in C.
  ]],
  license = "MIT",
}
dependencies = { "lua >= 5.1" }
external_dependencies = { SQLITE = { header = "sqlite3.h", library = "sqlite3" } }
build = {
  type = "builtin",
  modules = {
    ["sequelua"] = "lua/sequelua/init.lua",
    ["sequelua.datatypes"] = "lua/sequelua/datatypes.lua",
    ["sequelua.op"] = "lua/sequelua/op.lua",
    ["sequelua.errors"] = "lua/sequelua/errors.lua",
    ["sequelua.expr"] = "lua/sequelua/expr.lua",
    ["sequelua.model"] = "lua/sequelua/model.lua",
    ["sequelua.define"] = "lua/sequelua/define.lua",
    ["sequelua.instance"] = "lua/sequelua/instance.lua",
    ["sequelua.transaction"] = "lua/sequelua/transaction.lua",
    ["sequelua.association"] = "lua/sequelua/association.lua",
    ["sequelua.hooks"] = "lua/sequelua/hooks.lua",
    ["sequelua.scope"] = "lua/sequelua/scope.lua",
    ["sequelua.paranoid"] = "lua/sequelua/paranoid.lua",
    ["sequelua.include"] = "lua/sequelua/include.lua",
    ["sequelua.nested_create"] = "lua/sequelua/nested_create.lua",
    ["sequelua.validation"] = "lua/sequelua/validation.lua",
    ["sequelua.queryinterface"] = "lua/sequelua/queryinterface.lua",
    ["sequelua.core"] = {
      sources = {
        "csrc/buf.c", "csrc/arena.c", "csrc/err.c", "csrc/db.c", "csrc/model.c", "csrc/association.c", "csrc/inflect.c",
        "csrc/dialect_sqlite.c", "csrc/where.c", "csrc/query.c", "csrc/sync.c", "csrc/json.c",
        "csrc/value.c", "csrc/validate.c", "csrc/jsre.c", "csrc/qi.c",
        "csrc/binding.c", "csrc/bind_options.c", "csrc/bind_read.c", "csrc/bind_write.c", "csrc/bind_model.c",
        "csrc/bind_json.c", "csrc/bind_validate.c", "csrc/bind_qi.c",
      },
      libraries = { "sqlite3", "m" },
      incdirs = { "$(SQLITE_INCDIR)", "csrc" },
      libdirs = { "$(SQLITE_LIBDIR)" },
      defines = {},
    },
  },
}
