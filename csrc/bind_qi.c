/* bind_qi.c: the query interface's calls into the core (lua/sequelua/queryinterface.lua).
 * A table's definition, from the attribute tables model.lua normalises, becomes a transient
 * model (never registered with the db, freed before returning) that the dialect writes
 * DDL for: createTable (create_table), addColumn (add_column), and the rebuilds of
 * removeColumn / changeColumn / renameColumn (alter_table, the machinery of
 * sync { alter = true }), and addConstraint / removeConstraint's rebuild of the stored
 * definition with a constraint added or taken out (alter_constraint). Also dropTable, renameTable, dropAllTables' foreign-key switches,
 * the transient models bulkUpdate / bulkDelete / select run through the model paths,
 * bulkInsert's text (qi.c), showConstraint's reading, and a table's columns, indexes (and
 * their columns) and foreign keys as the dialect reads them (its read_* functions), given to
 * Lua as plain tables of neutral names. */
#include "binding.h"
#include "dialect.h"
#include "qi.h"

#include <ctype.h>
#include <strings.h>

/* A column's type as SQLite stored it (PRAGMA table_info), kept verbatim by a rebuild:
 * only letters, digits, spaces, parentheses, commas, underscores, dots, signs pass (no
 * "--", no quote: nothing that could end the type). given: a type string a caller gave
 * (createTable / addColumn / changeColumn's `type = "VARCHAR(255)"`), which must be a type
 * name the dialect's grammar ends where the string ends (queryinterface.lua checked it and
 * raised first, naming the table). */
int sqb_decl_type(sq_db *db, sq_attr *a, const char *decl, int given) {
  const char *p;
  if (given && !db->dialect->type_name_ok(decl)) {
    sq_err_set(db, SQ_E_USAGE, "the type of column \"%s\" (%s) is not a SQL type name", a->name, decl);
    return -2;
  }
  for (p = decl; *p; p++) {
    if (!(isalnum((unsigned char)*p) || strchr(" (),_.+-", *p)) || (*p == '-' && p[1] == '-')) {
      sq_err_set(db, SQ_E_USAGE, "the stored type of column \"%s\" (%s) cannot be written again", a->name, decl);
      return -2;
    }
  }
  a->decl_type = sq_strdup(decl);
  if (!a->decl_type) return -1;
  if (given) {
    /* (Sequelize's sqlite createTableQuery: a lone primary key whose type names "INT" is
     * written INTEGER PRIMARY KEY [AUTOINCREMENT], the rowid; the default is written as its
     * plain escape, whatever the type) */
    a->type.kind = strstr(decl, "INT") ? SQ_T_INTEGER : SQ_T_TEXT;
    return 0;
  }
  /* (an INTEGER key is written as Sequelize writes it: INTEGER PRIMARY KEY, the rowid; any
   * other type stays as it was: a BIGINT PRIMARY KEY is not the rowid, and may hold NULL.
   * A type naming BLOB (BLOB, TINYBLOB, ...: SQLite's BLOB affinity) binds a string as a
   * blob, as a BLOB attribute does, so the models' queries find what the query interface
   * wrote and the other way round) */
  a->type.kind = !strcmp(decl, "INTEGER") ? SQ_T_INTEGER : SQ_T_TEXT;
  for (p = decl; *p; p++)
    if (!strncasecmp(p, "BLOB", 4)) a->type.kind = SQ_T_BLOB;
  return 0;
}

/* A transient model for `table` of the attributes in the list at li, in the list's order
 * (copyFrom: the old column a renamed one's rows come from). NULL: *rc -1 out of memory,
 * -2 a usage error set on db. */
static sq_model *table_model(lua_State *L, sq_db *db, const char *table, int li, int *rc) {
  sq_model *m = sq_model_new(db, table);
  int k, n = li ? (int)sq_rawlen(L, li) : 0;
  *rc = -1;
  if (!m) return NULL;
  m->no_auto_pk = 1;
  if (sq_model_set_names(m, table, 1, NULL, NULL)) {
    sq_model_free(m);
    return NULL;
  }
  for (k = 1; k <= n; k++) {
    sq_attr *a;
    int r;
    lua_rawgeti(L, li, k);
    if (!lua_istable(L, -1) || lua_getmetatable(L, -1)) { /* (plain tables only: reading them cannot raise) */
      lua_settop(L, lua_gettop(L) - (lua_istable(L, -1) ? 2 : 1));
      sq_model_free(m);
      sq_err_set(db, SQ_E_USAGE, "%s: column %d: expected a plain table", table, k);
      *rc = -2;
      return NULL;
    }
    lua_getfield(L, -1, "name");
    a = sq_attr_new(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    if (!a) { lua_pop(L, 1); sq_model_free(m); return NULL; }
    r = sqb_fill_attr(L, db, a, -1);
    if (!r) {
      lua_getfield(L, -1, "copyFrom");
      if (lua_type(L, -1) == LUA_TSTRING && !(a->copy_from = sq_strdup(lua_tostring(L, -1)))) r = -1;
      lua_pop(L, 1);
    }
    if (!r) { /* storedDefault: the default as introspection read it (a rebuild writes it again) */
      lua_getfield(L, -1, "storedDefault");
      if (lua_type(L, -1) == LUA_TSTRING) {
        sq_buf d;
        sq_buf_init(&d);
        db->dialect->stored_default(&d, lua_tostring(L, -1));
        free(a->def_s);
        a->def_s = NULL;
        if (d.oom || !(a->def_s = malloc(d.len + 1))) {
          r = -1;
        } else {
          memcpy(a->def_s, sq_buf_cstr(&d), d.len + 1);
          a->def_n = d.len;
          a->def_kind = SQ_DEF_SQL;
        }
        sq_buf_free(&d);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (r || sq_model_add_attr(m, a)) {
      sq_attr_free(a);
      sq_model_free(m);
      *rc = r ? r : -1;
      return NULL;
    }
  }
  return m;
}

/* Is the word AUTOINCREMENT in this CREATE TABLE text, outside quoted strings and names and
 * comments (a DEFAULT 'autoincrement', a column named so, do not count)? */
static int has_autoinc(const char *s) {
  static const char w[] = "AUTOINCREMENT";
  const char *p = s;
  if (!s) return 0;
  while (*p) {
    const char *q = sq_sqlite_skip_quoted(p); /* a string, a quoted name or a comment */
    if (q != p) {
      p = q;
    } else if (isalnum((unsigned char)*p) || *p == '_') { /* a word */
      const char *b = p;
      size_t j;
      while (isalnum((unsigned char)*p) || *p == '_' || *p == '$') p++;
      if ((size_t)(p - b) == sizeof w - 1) {
        for (j = 0; j < sizeof w - 1 && toupper((unsigned char)b[j]) == w[j]; j++) {}
        if (j == sizeof w - 1) return 1;
      }
    } else {
      p++;
    }
  }
  return 0;
}

/* Does the table's stored definition say AUTOINCREMENT? (PRAGMA table_info does not tell;
 * a rebuild keeps it, where Sequelize's drops it) The name is matched as SQLite matches
 * table names, without regard to case; a table that is not there raises Sequelize's
 * describeTable message (what its removeColumn / changeColumn / renameColumn raise). */
static int stored_autoinc(sq_db *db, const char *table, int *out) {
  static const char q[] = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE";
  sq_stmt *st = sq_db_prepare(db, q, sizeof q - 1);
  int rc;
  *out = 0;
  if (!st) return -1;
  if ((rc = sq_bind_text_copy(st, 1, table, -1)) != SQ_DRV_OK) {
    sq_stmt_reset(st);
    return sq_db_fail(db, rc, q);
  }
  rc = sq_stmt_step(st);
  if (rc == SQ_STEP_ROW) {
    *out = has_autoinc((const char *)sq_col_text(st, 0));
  } else if (rc != SQ_STEP_DONE) {
    sq_stmt_reset(st);
    return sq_db_fail(db, rc, q);
  }
  sq_stmt_reset(st);
  if (rc == SQ_STEP_DONE)
    return sq_err_set(db, SQ_E_USAGE, "No description found for \"%s\" table. Check the table name and schema; "
                      "remember, they _are_ case sensitive.", table);
  return 0;
}

static int exec_buf(lua_State *L, sq_db *db, sq_buf *b) {
  if (sq_db_exec_buf(db, b)) return raise_db(L, db);
  return 0;
}

/* The names in the list at li (0: none) as m->drop_indexes: NUL-terminated, an empty name
 * last. 0, -1 out of memory, -2 a usage error set on db. */
static int drop_list(lua_State *L, sq_db *db, sq_model *m, int li) {
  sq_buf b;
  int k, n;
  if (!li) return 0;
  if (!lua_istable(L, li)) {
    sq_err_set(db, SQ_E_USAGE, "%s: the indexes to drop must be a list of names", m->table);
    return -2;
  }
  n = (int)sq_rawlen(L, li);
  sq_buf_init(&b);
  for (k = 1; k <= n; k++) {
    const char *s;
    lua_rawgeti(L, li, k);
    s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (!s || !*s) {
      lua_pop(L, 1);
      sq_buf_free(&b);
      sq_err_set(db, SQ_E_USAGE, "%s: the indexes to drop must be a list of names", m->table);
      return -2;
    }
    sq_buf_add(&b, s, strlen(s) + 1);
    lua_pop(L, 1);
  }
  sq_buf_addc(&b, '\0');
  if (b.oom || !(m->drop_indexes = malloc(b.len))) {
    sq_buf_free(&b);
    return -1;
  }
  memcpy(m->drop_indexes, b.p, b.len);
  sq_buf_free(&b);
  return 0;
}

/* opts.uniqueKeys (opts at oi, 0: none), a list of lists of column names, as m->unique_keys
 * (the query interface's createTable uniqueKeys, and a rebuild's overlapping unique
 * constraints; the Lua layer maps attribute names to columns). 0, -1 out of memory, -2 a
 * usage error set on db. */
static int unique_list(lua_State *L, sq_db *db, sq_model *m, int oi) {
  sq_buf b, nb;
  int k, n, j, nj, bad = 0, named = 0;
  if (!oi) return 0;
  lua_getfield(L, oi, "uniqueKeys");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  sq_buf_init(&b);
  sq_buf_init(&nb);
  if (!lua_istable(L, -1)) bad = 1;
  n = bad ? 0 : (int)sq_rawlen(L, -1);
  for (k = 1; k <= n && !bad; k++) {
    lua_rawgeti(L, -1, k);
    nj = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) : 0;
    if (nj == 0) bad = 1;
    if (!bad) { /* (name: the group's constraint name, a rebuild keeping addConstraint's) */
      const char *nm;
      lua_getfield(L, -1, "name");
      nm = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      if (!lua_isnil(L, -1) && (!nm || !*nm)) bad = 1;
      if (nm) named = 1;
      sq_buf_add(&nb, nm ? nm : "", nm ? strlen(nm) + 1 : 1);
      lua_pop(L, 1);
    }
    for (j = 1; j <= nj && !bad; j++) {
      const char *s;
      lua_rawgeti(L, -1, j);
      s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      if (!s || !*s) bad = 1;
      else sq_buf_add(&b, s, strlen(s) + 1);
      lua_pop(L, 1);
    }
    sq_buf_addc(&b, '\0');
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (bad) {
    sq_buf_free(&b);
    sq_buf_free(&nb);
    sq_err_set(db, SQ_E_USAGE, "%s: uniqueKeys must be a list of lists of column names", m->table);
    return -2;
  }
  if (n == 0) {
    sq_buf_free(&b);
    sq_buf_free(&nb);
    return 0;
  }
  sq_buf_addc(&b, '\0');
  if (b.oom || nb.oom || !(m->unique_keys = malloc(b.len)) || (named && !(m->unique_key_names = malloc(nb.len)))) {
    sq_buf_free(&b);
    sq_buf_free(&nb);
    return -1;
  }
  memcpy(m->unique_keys, b.p, b.len);
  if (named) memcpy(m->unique_key_names, nb.p, nb.len);
  sq_buf_free(&b);
  sq_buf_free(&nb);
  return 0;
}

/* core.qi_ddl(db, op, table, arg, opts [, what [, drop]]):
 *   "create" arg: the attributes        CREATE TABLE IF NOT EXISTS
 *   "add"    arg: { the attribute }     ALTER TABLE t ADD ...
 *   "rebuild" arg: the attributes       the table rebuilt to them, rows kept (what: the caller;
 *                                       drop: a list of index names dropped with it)
 *   "drop"                              DROP TABLE IF EXISTS
 *   "rename" arg: the new name          ALTER TABLE t RENAME TO
 *   "fk_off" / "fk_on"                  foreign keys off / on (dropAllTables)
 *   "fk_defer"                          their checks deferred to the commit (truncate cascade) */
static int qi_ddl(lua_State *L, logctx *lgp) {
  static const char *const ops[] = {"create", "add", "rebuild", "drop", "rename", "fk_off", "fk_on", "fk_defer",
                                    NULL};
  sq_db *db = check_db(L, 1);
  int drops = lua_gettop(L) >= 7 && !lua_isnil(L, 7) ? 7 : 0; /* (before anything is pushed) */
  int op = luaL_checkoption(L, 2, NULL, ops), opts = opts_index(L, 5), rc;
  const char *table = op >= 5 ? "" : luaL_checkstring(L, 3);
  const char *what = luaL_optstring(L, 6, "queryInterface");
  sq_model *m = NULL;
  sq_buf b;
  setup_log(L, db, lgp, 1, opts);
  sq_buf_init(&b);
  switch (op) {
    case 0:
    case 1:
    case 2:
      luaL_checktype(L, 4, LUA_TTABLE);
      m = table_model(L, db, table, 4, &rc);
      if (!m) return rc == -2 ? raise_db(L, db) : luaL_error(L, "out of memory");
      if (op != 1 && (rc = unique_list(L, db, m, opts)) != 0) {
        sq_model_free(m);
        return rc == -2 ? raise_db(L, db) : luaL_error(L, "out of memory");
      }
      if (op == 0) {
        db->dialect->create_table(&b, m);
      } else if (op == 1) {
        if (m->nattrs != 1) {
          sq_model_free(m);
          return usage(L, db, "addColumn: one attribute expected");
        }
        db->dialect->add_column(&b, table, m->attrs[0]);
      } else {
        int ai;
        if ((rc = drop_list(L, db, m, drops)) != 0) {
          sq_model_free(m);
          return rc == -2 ? raise_db(L, db) : luaL_error(L, "out of memory");
        }
        if (stored_autoinc(db, table, &ai)) {
          sq_model_free(m);
          return raise_db(L, db);
        }
        if (ai && m->npk == 1 && m->attrs[m->pk]->type.kind == SQ_T_INTEGER && m->attrs[m->pk]->decl_type)
          m->attrs[m->pk]->autoinc = 1;
        rc = db->dialect->alter_table(db, m, what);
        sq_model_free(m);
        if (rc) return raise_db(L, db);
        return 0;
      }
      sq_model_free(m);
      return exec_buf(L, db, &b);
    case 3:
      m = table_model(L, db, table, 0, &rc);
      if (!m) return luaL_error(L, "out of memory");
      db->dialect->drop_table(&b, m);
      sq_model_free(m);
      return exec_buf(L, db, &b);
    case 4:
      db->dialect->rename_table(&b, table, luaL_checkstring(L, 4));
      return exec_buf(L, db, &b);
    default:
      db->dialect->foreign_keys(&b, op - 5);
      return exec_buf(L, db, &b);
  }
}

static int l_qi_ddl(lua_State *L) {
  logctx lg;
  int n = qi_ddl(L, &lg);
  end_call(lg.db, &lg); /* (a raise did not come back here) */
  return n;
}

/* core.decl_kind(db, declType) -> "date" for the type the dialect writes for DATE, "blob"
 * for one that keeps blobs, else nil (the query interface's bulkInsert binds such values as
 * the transient model's columns do) */
static int l_decl_kind(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *decl = lua_tostring(L, 2);
  if (decl && db->dialect->is_date_decl(decl)) lua_pushliteral(L, "date");
  else if (decl && db->dialect->is_blob_decl(decl)) lua_pushliteral(L, "blob");
  else lua_pushnil(L);
  return 1;
}

/* core.qi_type_ok(db, s) -> may the query interface write the type string s into a column
 * definition as it is (the dialect's type_name_ok)? */
static int l_qi_type_ok(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *s = luaL_checkstring(L, 2);
  lua_pushboolean(L, db->dialect->type_name_ok(s));
  return 1;
}

/* core.qi_model(db, table, columns) -> a transient model box of the table's columns (the
 * list columns_of reads, in the table's order: name, declType...), for bulkUpdate,
 * bulkDelete and select: the where, SET values, attributes and order go through the
 * model's own statement builders (where.c, query.c), every value bound. Its columns take
 * any value their stored type refuses but a boolean, as the driver binds one (loose). The
 * box frees the model when collected. */
static int l_qi_model(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *table = luaL_checkstring(L, 2);
  sq_model *m;
  int rc, k;
  luaL_checktype(L, 3, LUA_TTABLE);
  m = table_model(L, db, table, 3, &rc);
  if (!m) return rc == -2 ? raise_db(L, db) : luaL_error(L, "out of memory");
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    a->loose = 1;
    a->stored_date = a->decl_type && db->dialect->is_date_decl(a->decl_type);
  }
  sqb_push_model_box(L, 1, db, m, 1);
  return 1;
}

/* The strings of the list at index li (NULL for nil): a userdata array of them on the stack
 * (the strings stay in the list), *n their number; raises naming `what` for a non-string */
static const char **name_list(lua_State *L, int li, int *n, const char *what) {
  const char **names;
  int k;
  *n = 0;
  if (lua_isnoneornil(L, li)) return NULL;
  luaL_checktype(L, li, LUA_TTABLE);
  *n = (int)sq_rawlen(L, li);
  names = lua_newuserdata(L, sizeof *names * (size_t)(*n ? *n : 1));
  for (k = 0; k < *n; k++) {
    lua_rawgeti(L, li, k + 1);
    names[k] = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    if (!names[k]) luaL_error(L, "qi_insert: %s must be strings", what);
  }
  return names;
}

/* core.qi_insert(db, table, cols, nrows [, ignore [, keys, update [, cwhere]]]) -> INSERT [OR IGNORE]
 * INTO `t` (`a`,`b`) VALUES (?,?),... [ON CONFLICT (keys) [WHERE cwhere] DO UPDATE SET u=EXCLUDED.u,...]
 * (cwhere: the text core.qi_condition wrote)
 * (no columns and one row: INSERT INTO `t` DEFAULT VALUES); and the most rows one statement
 * may take (SQLite's bound-value limit over the columns) */
static int l_qi_insert(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *table = luaL_checkstring(L, 2);
  int ncols, nrows = (int)luaL_checkinteger(L, 4), lim, nkeys, nupd;
  const char **cols, **keys, **upd, *cwhere;
  sq_buf *b;
  luaL_checktype(L, 3, LUA_TTABLE);
  cols = name_list(L, 3, &ncols, "column names");
  keys = name_list(L, 6, &nkeys, "upsert keys");
  upd = name_list(L, 7, &nupd, "updateOnDuplicate columns");
  cwhere = luaL_optstring(L, 8, NULL);
  if (ncols < 0 || nrows < 1 || (ncols == 0 && nrows != 1)) return luaL_error(L, "qi_insert: no columns or no rows");
  lim = sq_db_is_open(db) ? sq_conn_max_params(db->conn) : 999;
  b = lua_newuserdata(L, sizeof *b);
  sq_buf_init(b);
  sq_qi_insert(db, b, table, cols, ncols, nrows, lua_toboolean(L, 5), keys, nkeys, upd, nupd, cwhere);
  if (b->oom) {
    sq_buf_free(b);
    return luaL_error(L, "out of memory");
  }
  lua_pushlstring(L, sq_buf_cstr(b), b->len);
  sq_buf_free(b);
  lua_pushinteger(L, ncols && lim / ncols > 0 ? lim / ncols : 1);
  return 2;
}

/* a piece of text pushed without the characters in `drop` (NULL piece: nil) */
static void push_piece(lua_State *L, const sq_text *t, int nt, const char *drop) {
  luaL_Buffer lb;
  int i;
  if (!t[0].p) {
    lua_pushnil(L);
    return;
  }
  luaL_buffinit(L, &lb);
  for (i = 0; i < nt; i++) {
    size_t k;
    if (!t[i].p) continue;
    for (k = 0; k < t[i].n; k++)
      if (!drop || !strchr(drop, t[i].p[k])) luaL_addchar(&lb, t[i].p[k]);
  }
  luaL_pushresult(&lb);
}

typedef struct constraints_out {
  lua_State *L;
  const char *sql;
  size_t sql_n;
  int n;
} constraints_out;

static int push_constraint(void *ud, const sq_constraint *c) {
  constraints_out *o = ud;
  lua_State *L = o->L;
  size_t i;
  luaL_Buffer lb;
  lua_createtable(L, 0, 9);
  luaL_buffinit(L, &lb); /* sql: the table's text, its double quotes as backticks */
  for (i = 0; i < o->sql_n; i++) luaL_addchar(&lb, o->sql[i] == '"' ? '`' : o->sql[i]);
  luaL_pushresult(&lb);
  lua_setfield(L, -2, "sql");
  if (c->references) {
    push_piece(L, &c->update_action, 1, NULL);
    lua_setfield(L, -2, "updateAction");
    push_piece(L, &c->delete_action, 1, NULL);
    lua_setfield(L, -2, "deleteAction");
    push_piece(L, &c->ref_table, 1, "`");
    lua_setfield(L, -2, "referenceTableName");
    lua_createtable(L, 1, 0); /* (Sequelize splits the word at ", ": one word holds one key) */
    push_array_mt(L);
    lua_setmetatable(L, -2);
    if (c->ref_key.p) push_piece(L, &c->ref_key, 1, "()`");
    else lua_pushliteral(L, "");
    lua_rawseti(L, -2, 1);
    lua_setfield(L, -2, "referenceTableKeys");
  }
  push_piece(L, &c->condition, 1, NULL);
  lua_setfield(L, -2, "constraintCondition");
  push_piece(L, c->name, 2, "`");
  lua_setfield(L, -2, "constraintName");
  if (c->type[0].p) {
    push_piece(L, c->type, 2, NULL);
    if (c->type_key) {
      lua_pushliteral(L, " KEY");
      lua_concat(L, 2);
    }
    lua_setfield(L, -2, "constraintType");
  }
  lua_rawseti(L, -2, ++o->n);
  return 0;
}

/* core.constraints(db, sql) -> the constraints in a table's stored CREATE TABLE text, as
 * Sequelize's dialect reads them (showConstraint): { constraintName, constraintType,
 * constraintCondition, sql [, updateAction, deleteAction, referenceTableName,
 * referenceTableKeys] }, a list (array_mt) */
static int l_constraints(lua_State *L) {
  sq_db *db = check_db(L, 1);
  constraints_out o;
  o.L = L;
  o.sql = luaL_checklstring(L, 2, &o.sql_n);
  o.n = 0;
  lua_newtable(L);
  push_array_mt(L);
  lua_setmetatable(L, -2);
  luaL_checkstack(L, 8, "showConstraint");
  db->dialect->constraints(o.sql, o.sql_n, push_constraint, &o);
  return 1;
}

/* ---- a table's schema, read by the dialect (read_columns, read_indexes, read_index_columns,
 * read_foreign_keys) into its records, given to Lua as plain tables with the records' names.
 * The records are copied into an arena (a userdata, freed by __gc should a Lua error unwind
 * the call) while the dialect's statement runs, and pushed after it has ended. */

typedef struct rec { struct rec *next; } rec;

typedef struct collected {
  sq_db *db;
  sq_arena *a;
  rec *head, **tail;
  int n;
} collected;

/* An arena for the records, pushed */
static void collect_init(lua_State *L, sq_db *db, collected *k) {
  k->db = db;
  k->a = lua_newuserdata(L, sizeof *k->a);
  sq_arena_init(k->a, NULL, 0);
  luaL_setmetatable(L, ARENA_MT);
  k->head = NULL;
  k->tail = &k->head;
  k->n = 0;
}

/* A new record of `size` bytes (a rec first) at the end of the list; NULL out of memory (set on db) */
static void *add_rec(collected *k, size_t size) {
  rec *r = sq_arena_alloc(k->a, size);
  if (!r) {
    sq_err_oom(k->db);
    return NULL;
  }
  *k->tail = r;
  k->tail = &r->next;
  k->n++;
  return r;
}

/* s copied into the arena (NULL stays NULL): 0, or -1 out of memory (set on db) */
static int keep(collected *k, const char **dst, const char *s) {
  *dst = NULL;
  if (!s) return 0;
  if (!(*dst = sq_arena_strndup(k->a, s, strlen(s)))) return sq_err_oom(k->db);
  return 0;
}

static void set_str(lua_State *L, const char *key, const char *s) {
  if (!s) return;
  lua_pushstring(L, s);
  lua_setfield(L, -2, key);
}

static void set_bool(lua_State *L, const char *key, int b) {
  lua_pushboolean(L, b);
  lua_setfield(L, -2, key);
}

/* The list of the records read, each pushed by push(L, record) as a table */
static int push_records(lua_State *L, collected *k, void (*push)(lua_State *L, const rec *r)) {
  const rec *r;
  int i = 0;
  lua_createtable(L, k->n, 0);
  for (r = k->head; r; r = r->next) {
    push(L, r);
    lua_rawseti(L, -2, ++i);
  }
  sq_arena_destroy(k->a); /* (the __gc finds it empty) */
  return 1;
}

/* Start of a reader's call: (db, name, opts) checked, logging set up as for db:query, the
 * arena pushed */
static sq_db *reader_call(lua_State *L, const char **name, collected *k, logctx *lg) {
  sq_db *db = check_db(L, 1);
  int opts;
  *name = luaL_checkstring(L, 2);
  opts = opts_index(L, 3);
  setup_log(L, db, lg, 1, opts);
  collect_init(L, db, k);
  return db;
}

/* The end of a reader's call: the records pushed, the call ended (end_call) */
static int end_reader(lua_State *L, sq_db *db, logctx *lg, collected *k, void (*push)(lua_State *L, const rec *r)) {
  int n = push_records(L, k, push);
  end_call(db, lg);
  return n;
}

/* a column, and describeTable's defaultValue of it (dd: SQ_DD_*, its text when SQ_DD_TEXT) */
typedef struct column_rec {
  rec r;
  sq_column_info c;
  int dd;
  const char *dd_text;
  size_t dd_len;
} column_rec;

static int keep_column(void *ud, const sq_column_info *c) {
  collected *k = ud;
  column_rec *x = add_rec(k, sizeof *x);
  sq_buf b;
  if (!x) return -1;
  x->c = *c;
  if (keep(k, &x->c.name, c->name) || keep(k, &x->c.decl_type, c->decl_type) ||
      keep(k, &x->c.stored_default, c->stored_default))
    return -1;
  sq_buf_init(&b);
  x->dd = k->db->dialect->describe_default(&b, c->decl_type, c->stored_default);
  if (!b.oom && x->dd == SQ_DD_TEXT) {
    x->dd_len = b.len;
    x->dd_text = sq_arena_strndup(k->a, b.len ? b.p : "", b.len);
  }
  sq_buf_free(&b);
  if (b.oom || (x->dd == SQ_DD_TEXT && !x->dd_text)) return sq_err_oom(k->db);
  return 0;
}

static void push_column(lua_State *L, const rec *r) {
  const column_rec *x = (const column_rec *)r;
  lua_createtable(L, 0, 6);
  set_str(L, "name", x->c.name);
  set_str(L, "type", x->c.decl_type);
  set_bool(L, "notNull", x->c.not_null);
  if (x->c.key_position) {
    lua_pushinteger(L, x->c.key_position);
    lua_setfield(L, -2, "keyPosition");
  }
  set_str(L, "default", x->c.stored_default);
  if (x->dd != SQ_DD_NONE) {
    if (x->dd == SQ_DD_NULL) lua_pushlightuserdata(L, NULL);
    else if (x->dd == SQ_DD_TEXT) lua_pushlstring(L, x->dd_text, x->dd_len);
    else lua_pushboolean(L, x->dd == SQ_DD_TRUE);
    lua_setfield(L, -2, "defaultValue");
  }
}

/* core.qi_columns(db, table, opts) -> the table's columns in order, each { name, type (as
 * declared), notNull, keyPosition (its place in the primary key, from 1; nil: not in it),
 * default (the stored default's text; nil: none), defaultValue (describeTable's: nil,
 * Sequelize.null, a boolean or a text, as the dialect's Sequelize gives it) }; none for a
 * table that is not there. Each reader runs its statement logged with the caller's options,
 * as db:query runs one. */
static int l_qi_columns(lua_State *L) {
  const char *table;
  collected k;
  logctx lg;
  sq_db *db = reader_call(L, &table, &k, &lg);
  if (db->dialect->read_columns(db, table, keep_column, &k)) return raise_db(L, db);
  return end_reader(L, db, &lg, &k, push_column);
}

typedef struct index_rec { rec r; sq_index_info ix; } index_rec;

static int keep_index(void *ud, const sq_index_info *ix) {
  collected *k = ud;
  index_rec *x = add_rec(k, sizeof *x);
  int j;
  if (!x) return -1;
  x->ix = *ix;
  if (keep(k, &x->ix.name, ix->name)) return -1;
  for (j = 0; j < ix->nown; j++) {
    const sq_value *v = &ix->own[j].v;
    if ((v->kind == SQ_V_TEXT || v->kind == SQ_V_BLOB) &&
        !(x->ix.own[j].v.u.s.p = sq_arena_strndup(k->a, v->u.s.p ? v->u.s.p : "", v->u.s.n)))
      return sq_err_oom(k->db);
  }
  return 0;
}

static void push_index(lua_State *L, const rec *r) {
  static const char *const made_by[] = {"index", "unique", "primaryKey", "other"};
  const sq_index_info *ix = &((const index_rec *)r)->ix;
  int j;
  lua_createtable(L, 0, 5);
  set_str(L, "name", ix->name);
  set_bool(L, "unique", ix->unique);
  lua_pushstring(L, made_by[ix->made_by >= 0 && ix->made_by <= SQ_IXBY_OTHER ? ix->made_by : SQ_IXBY_OTHER]);
  lua_setfield(L, -2, "madeBy");
  set_bool(L, "partial", ix->partial);
  lua_createtable(L, 0, ix->nown);
  for (j = 0; j < ix->nown; j++) {
    const sq_value *v = &ix->own[j].v;
    switch (v->kind) {
      case SQ_V_INT: push_i64(L, v->u.i); break;
      case SQ_V_REAL: lua_pushnumber(L, v->u.d); break;
      case SQ_V_TEXT:
      case SQ_V_BLOB: lua_pushlstring(L, v->u.s.p, v->u.s.n); break;
      default: lua_pushlightuserdata(L, NULL); break; /* (NULL: Sequelize.null, as a row's) */
    }
    lua_setfield(L, -2, ix->own[j].key);
  }
  lua_setfield(L, -2, "own");
}

/* core.qi_indexes(db, table, opts) -> the table's indexes in the dialect's order, each
 * { name, unique, madeBy ("index": CREATE INDEX, "unique": a UNIQUE constraint, "primaryKey",
 * "other"), partial, own (the dialect's own fields Sequelize's showIndex passes on) } */
static int l_qi_indexes(lua_State *L) {
  const char *table;
  collected k;
  logctx lg;
  sq_db *db = reader_call(L, &table, &k, &lg);
  if (db->dialect->read_indexes(db, table, keep_index, &k)) return raise_db(L, db);
  return end_reader(L, db, &lg, &k, push_index);
}

typedef struct index_column_rec { rec r; sq_index_column_info c; } index_column_rec;

static int keep_index_column(void *ud, const sq_index_column_info *c) {
  collected *k = ud;
  index_column_rec *x = add_rec(k, sizeof *x);
  if (!x) return -1;
  return keep(k, &x->c.column, c->column);
}

static void push_index_column(lua_State *L, const rec *r) {
  lua_createtable(L, 0, 1);
  set_str(L, "column", ((const index_column_rec *)r)->c.column);
}

/* core.qi_index_columns(db, index, opts) -> the index's columns in order, each { column }
 * (nil for an expression) */
static int l_qi_index_columns(lua_State *L) {
  const char *index;
  collected k;
  logctx lg;
  sq_db *db = reader_call(L, &index, &k, &lg);
  if (db->dialect->read_index_columns(db, index, keep_index_column, &k)) return raise_db(L, db);
  return end_reader(L, db, &lg, &k, push_index_column);
}

typedef struct fk_rec { rec r; sq_fk_info fk; } fk_rec;

static int keep_fk(void *ud, const sq_fk_info *fk) {
  collected *k = ud;
  fk_rec *x = add_rec(k, sizeof *x);
  if (!x) return -1;
  if (keep(k, &x->fk.column, fk->column) || keep(k, &x->fk.ref_table, fk->ref_table) ||
      keep(k, &x->fk.ref_column, fk->ref_column) || keep(k, &x->fk.on_update, fk->on_update) ||
      keep(k, &x->fk.on_delete, fk->on_delete))
    return -1;
  return 0;
}

static void push_fk(lua_State *L, const rec *r) {
  const sq_fk_info *fk = &((const fk_rec *)r)->fk;
  lua_createtable(L, 0, 5);
  set_str(L, "column", fk->column);
  set_str(L, "table", fk->ref_table);
  set_str(L, "key", fk->ref_column);
  set_str(L, "onUpdate", fk->on_update);
  set_str(L, "onDelete", fk->on_delete);
}

/* core.qi_foreign_keys(db, table, opts) -> the table's foreign keys, a record a column, each
 * { column, table (referenced), key (its column; nil: its primary key), onUpdate, onDelete } */
static int l_qi_foreign_keys(lua_State *L) {
  const char *table;
  collected k;
  logctx lg;
  sq_db *db = reader_call(L, &table, &k, &lg);
  if (db->dialect->read_foreign_keys(db, table, keep_fk, &k)) return raise_db(L, db);
  return end_reader(L, db, &lg, &k, push_fk);
}

/* The strings of spec[key] (a list of names) into an arena array; NULL when it is not a
 * non-empty list of strings (the strings stay in the list, which the caller keeps) */
static const char **spec_names(ctx *c, int spec, const char *key, int *n) {
  lua_State *L = c->L;
  const char **names = NULL;
  int k;
  lua_getfield(L, spec, key);
  *n = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) : 0;
  if (*n > 0) {
    names = xalloc(c, sizeof *names * (size_t)*n);
    for (k = 0; k < *n && names; k++) {
      lua_rawgeti(L, -1, k + 1);
      names[k] = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      lua_pop(L, 1);
      if (!names[k]) names = NULL;
    }
  }
  lua_pop(L, 1);
  return names;
}

/* An action (onDelete / onUpdate) of spec, checked; NULL: none */
static const char *spec_action(lua_State *L, sq_db *db, int spec, const char *key, const char *table) {
  const char *s;
  lua_getfield(L, spec, key);
  s = lua_tostring(L, -1);
  lua_pop(L, 1); /* (the string stays in spec) */
  if (s && !sq_fk_action_valid(s))
    usage(L, db, "addConstraint on %s: %s must be one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION", table,
          key);
  return s;
}

/* The text of where w, its values written as literals, into wb (initialised by the caller);
 * raises, wb freed, on an error or when out of memory */
static void literal_condition(ctx *c, sq_buf *wb, sq_where *w) {
  sq_binds binds;
  sq_binds_init(&binds, c->arena);
  binds.literal = 1;
  if (sq_sql_condition(c->db, wb, &binds, w)) {
    sq_buf_free(wb);
    raise_db(c->L, c->db);
  }
  if (wb->oom) {
    sq_buf_free(wb);
    luaL_error(c->L, "out of memory");
  }
}

/* core.qi_condition(db, model, spec) -> the text of spec.where over the model's columns
 * (the query interface's transient model of a table), unqualified, its values written as
 * literals (SQLite matches a partial index only by the text of its condition), a literal's
 * parameters given spec.replacements (written as literals too), or nil for an empty where:
 * bulkInsert's conflictWhere */
static int l_qi_condition(lua_State *L) {
  sq_db *db = check_db(L, 1);
  sq_where *w;
  sq_buf wb;
  logctx lg;
  ctx c;
  luaL_checktype(L, 3, LUA_TTABLE);
  setup_log(L, db, &lg, 1, 0);
  init_ctx(&c, L, db, check_model(L, 2), &lg);
  c.qual = NULL;
  sqb_ctx_replacements(&c, 3);
  w = get_where(&c, 3);
  if (!w || sq_where_is_empty(w)) {
    release_ctx(&c);
    lua_pushnil(L);
    return 1;
  }
  sq_buf_init(&wb);
  literal_condition(&c, &wb, w);
  lua_pushlstring(L, sq_buf_cstr(&wb), wb.len);
  sq_buf_free(&wb);
  release_ctx(&c);
  return 1;
}

/* core.qi_constraint(db, table, spec, opts) -> true, or false when spec.drop names no table
 * constraint of the table. The table rebuilt by the dialect (alter_constraint) with the
 * constraint of spec added: { type = "check" | "primary key" | "foreign key" | "unique", name,
 * fields (column names), where (check: a where tree over model's attributes, its values
 * written as literals), model (a model box), refTable, refFields, onUpdate, onDelete
 * (upper case) }; or with the constraint named spec.drop taken out (removeConstraint). */
static int l_qi_constraint(lua_State *L) {
  static const char *const types[] = {"unique", "check", "primary key", "foreign key", NULL};
  sq_db *db = check_db(L, 1);
  const char *table = luaL_checkstring(L, 2), *drop;
  int opts = opts_index(L, 4), rc, mi;
  sq_table_constraint tc;
  sq_buf wb;
  logctx lg;
  ctx c;
  luaL_checktype(L, 3, LUA_TTABLE);
  setup_log(L, db, &lg, 1, opts);
  lua_getfield(L, 3, "drop");
  drop = lua_tostring(L, -1); /* (stays in spec) */
  lua_pop(L, 1);
  if (drop) {
    rc = db->dialect->alter_constraint(db, table, NULL, drop, "removeConstraint");
    if (rc < 0) return raise_db(L, db);
    lua_pushboolean(L, rc == 0);
    return 1;
  }
  memset(&tc, 0, sizeof tc);
  lua_getfield(L, 3, "type");
  tc.type = luaL_checkoption(L, -1, NULL, types);
  lua_getfield(L, 3, "name");
  tc.name = lua_tostring(L, -1);
  lua_pop(L, 2);
  if (!tc.name || !*tc.name) return usage(L, db, "addConstraint on %s: the constraint's name must be a string", table);
  lua_getfield(L, 3, "model");
  mi = lua_gettop(L);
  init_ctx(&c, L, db, lua_isnil(L, mi) ? NULL : check_model(L, mi), &lg);
  if (!(tc.fields = spec_names(&c, 3, "fields", &tc.nfields)))
    return usage(L, db, "addConstraint on %s: fields must be a list of column names", table);
  sq_buf_init(&wb); /* (nothing allocated until the where is written) */
  if (tc.type == SQ_TC_CHECK) {
    sq_where *w;
    if (!c.m) return usage(L, db, "addConstraint on %s: a check constraint's where needs the table's model", table);
    lua_getfield(L, 3, "where");
    if (lua_isnil(L, -1)) return usage(L, db, "addConstraint on %s: a check constraint needs a where", table);
    lua_pop(L, 1);
    w = get_where(&c, 3);
    if (sq_where_is_empty(w)) return usage(L, db, "addConstraint on %s: a check constraint needs a where", table);
    literal_condition(&c, &wb, w); /* (DDL takes no parameters) */
    tc.check = sq_buf_cstr(&wb);
  } else if (tc.type == SQ_TC_FOREIGN_KEY) {
    lua_getfield(L, 3, "refTable");
    tc.ref_table = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!tc.ref_table || !(tc.ref_fields = spec_names(&c, 3, "refFields", &tc.nref)))
      return usage(L, db, "addConstraint on %s: references object with table and field must be specified", table);
    tc.on_update = spec_action(L, db, 3, "onUpdate", table);
    tc.on_delete = spec_action(L, db, 3, "onDelete", table);
  }
  rc = db->dialect->alter_constraint(db, table, &tc, NULL, "addConstraint");
  sq_buf_free(&wb);
  if (rc) return raise_db(L, db);
  release_ctx(&c);
  lua_pushboolean(L, 1);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"constraints", l_constraints},
  {"qi_ddl", l_qi_ddl},
  {"qi_constraint", l_qi_constraint},
  {"qi_model", l_qi_model},
  {"decl_kind", l_decl_kind},
  {"qi_type_ok", l_qi_type_ok},
  {"qi_insert", l_qi_insert},
  {"qi_condition", l_qi_condition},
  {"qi_columns", l_qi_columns},
  {"qi_indexes", l_qi_indexes},
  {"qi_index_columns", l_qi_index_columns},
  {"qi_foreign_keys", l_qi_foreign_keys},
  {NULL, NULL}};

void sqb_open_qi(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
