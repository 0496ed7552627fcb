/* binding.c: the Lua module sequelua.core (luaopen_sequelua_core) and what every part of
 * the binding shares: core errors raised as Lua error objects, the db and model boxes
 * (userdata), per-call arenas and contexts, logging, expression objects and Op keys,
 * Lua values -> database values (to_db), transactions, opening and closing a db, and
 * the naming helpers. The other parts, one concept each:
 *   bind_options.c   option tables (where, attributes, order, group, include) -> specs
 *   bind_read.c      rows -> instances, joined rows merged into nested instances
 *   bind_write.c     build, insert, bulkCreate, save, update, destroy, increment
 *   bind_model.c     define, model info, associations, sync, indexes
 *   bind_json.c      JSON text <-> Lua values, stringify, plain tables
 *   bind_validate.c  allowNull and the built-in validators, run in C
 * binding.h says what an instance looks like.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* (dladdr, for pin_library) */
#endif
#include "binding.h"

#include <stdint.h>
#if !defined(_WIN32)
#include <dlfcn.h>
#include <ctype.h>
#include <strings.h>
#endif

/* registry keys: addresses of these are unique */
const char REG_ERRFACTORY = 0, REG_EXPRMT = 0, REG_ARRAYMT = 0, REG_BUFFERMT = 0;
/* OpenResty's lua-cjson: cjson.empty_array_mt (a table with it is a JSON array) and
 * cjson.empty_array (a light userdata written as []); nil where lua-cjson has none */
const char REG_EMPTYARRAYMT = 0, REG_EMPTYARRAY = 0;
/* instance.lua's sync_data_values (bind_json.c: dv_sync) */
const char REG_DVSYNC = 0;
/* Op keys: light userdata pointing into this array */
const char op_tags[OP_NKEYS] = {0};
const char *const op_names[OP_NKEYS] = {
  "eq", "ne", "is", "not", "gt", "gte", "lt", "lte", "between", "notBetween", "in", "notIn",
  "like", "notLike", "startsWith", "endsWith", "substring", "and", "or", "notTree", "col"};

/* ------------------------------------------------------------------------- */
/* errors */

static const char *kind_name(sq_err_kind k) {
  switch (k) {
    case SQ_E_USAGE: return "usage";
    case SQ_E_DATABASE: return "database";
    case SQ_E_UNIQUE: return "unique";
    case SQ_E_FK: return "foreignkey";
    case SQ_E_NOTNULL: return "notnull";
    case SQ_E_CONNECTION: return "connection";
    case SQ_E_TIMEOUT: return "timeout";
    case SQ_E_VALUE: return "value";
    case SQ_E_QUERY: return "query";
    case SQ_E_OOM: return "oom";
    case SQ_E_TXWAIT: return "txwait";
    default: return "database";
  }
}

/* The error a logger raised, kept from log_cb until raise_err raises it again. */
static const char REG_LOG_ERROR = 0;

/* The Lua value a value error is about, kept from stash_err_value until raise_err puts it
 * in the error's item (Sequelize's ValidationErrorItem holds the offending value). */
static const char REG_ERR_VALUE = 0;

void stash_err_value(lua_State *L, int i) {
  i = lua_absindex(L, i);
  lua_pushlightuserdata(L, (void *)&REG_ERR_VALUE);
  lua_pushvalue(L, i);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

static void restore_outer(sq_db *db);

/* A call ends with an error: one made inside another gives that one its state back (its
 * error object is made: the outer call's error comes back too) */
static void raised(sq_db *db) {
  if (db->nnest > 0 && db->nest[db->nnest - 1].seq == db->call_seq) restore_outer(db);
}

/* The afterQuery of a statement that did not end. The call that began it may be gone (a Lua
 * error unwound it: a replacements table's __index that raised), and its logctx with it: the
 * hook runs on this thread, with no options or box (the runner's afterQuery reads the ones its
 * beforeQuery kept) */
static void pending_after_query(lua_State *L, sq_db *db) {
  logctx here;
  if (!db->qh_pending) return;
  memset(&here, 0, sizeof here);
  here.L = L;
  here.db = db;
  db->qhook_ud = &here;
  sq_db_query_failed(db);
}

/* Raise an error object built by the Lua error factory (or the logger's own error). */
static int raise_err(lua_State *L, sq_db *db, sq_err *e) {
  if (db) pending_after_query(L, db);
  if (e->kind == SQ_E_CALLBACK) {
    lua_pushlightuserdata(L, (void *)&REG_LOG_ERROR);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, (void *)&REG_LOG_ERROR);
    lua_pushnil(L);
    lua_rawset(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) {
      if (db) raised(db);
      return lua_error(L);
    }
    lua_pop(L, 1);
  }
  lua_pushlightuserdata(L, (void *)&REG_ERRFACTORY);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_pushstring(L, kind_name(e->kind));
  if (e->kind == SQ_E_OOM) lua_pushliteral(L, "out of memory");
  else lua_pushlstring(L, sq_buf_cstr(&e->msg), e->msg.len);
  lua_createtable(L, 0, 3);
  if (e->sql.len) {
    lua_pushlstring(L, sq_buf_cstr(&e->sql), e->sql.len);
    lua_setfield(L, -2, "sql");
  }
  if (e->code) {
    lua_pushinteger(L, e->code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, sq_driver_errstr(e->code));
    lua_setfield(L, -2, "codeName");
  }
  if (e->detail.len) {
    lua_pushlstring(L, sq_buf_cstr(&e->detail), e->detail.len);
    lua_setfield(L, -2, "detail");
  }
  lua_pushlightuserdata(L, (void *)&REG_ERR_VALUE); /* (taken, and cleared, whatever the kind) */
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (e->kind == SQ_E_VALUE && !lua_isnil(L, -1)) lua_setfield(L, -2, "value");
  else lua_pop(L, 1);
  lua_pushlightuserdata(L, (void *)&REG_ERR_VALUE);
  lua_pushnil(L);
  lua_rawset(L, LUA_REGISTRYINDEX);
  if (e->vkey) {
    lua_pushstring(L, e->vkey);
    lua_setfield(L, -2, "validatorKey");
  }
  if (e->kind == SQ_E_TXWAIT) { /* how long the caller may wait: the busy timeout */
    lua_pushinteger(L, db->busy_ms);
    lua_setfield(L, -2, "wait");
  }
  lua_call(L, 3, 1);
  if (db) raised(db);
  return lua_error(L);
}

int raise_db(lua_State *L, sq_db *db) { return raise_err(L, db, &db->err); }

int usage(lua_State *L, sq_db *db, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  sq_err_set(db, SQ_E_USAGE, "%s", tmp);
  return raise_db(L, db);
}

/* ------------------------------------------------------------------------- */
/* boxes */

dbbox *check_dbbox(lua_State *L, int i) { return luaL_checkudata(L, i, DB_MT); }

/* The db of the db box at i, open or closed; an error when the box was finalized (a __gc
 * finalizer at interpreter close that runs after the db box's) */
sq_db *check_db_held(lua_State *L, int i) {
  dbbox *b = check_dbbox(L, i);
  if (!b->db) luaL_error(L, "sequelua: database handle is gone");
  return b->db;
}

sq_db *check_db(lua_State *L, int i) {
  dbbox *b = check_dbbox(L, i);
  if (!b->db) luaL_error(L, "sequelua: database handle is gone");
  if (!sq_db_is_open(b->db)) {
    sq_err_set(b->db, SQ_E_USAGE,
               "ConnectionManager.getConnection was called after the connection manager was closed!");
    raise_db(L, b->db);
  }
  return b->db;
}

modelbox *check_modelbox(lua_State *L, int i) {
  modelbox *b = luaL_checkudata(L, i, MODEL_MT);
  if (!b->m || !b->db) luaL_error(L, "sequelua: this model is gone (its box was finalized: the interpreter is closing)");
  return b;
}

sq_model *check_model(lua_State *L, int i) {
  modelbox *b = check_modelbox(L, i);
  if (!sq_db_is_open(b->db)) {
    sq_err_set(b->db, SQ_E_USAGE,
               "ConnectionManager.getConnection was called after the connection manager was closed!");
    raise_db(L, b->db);
  }
  return b->m;
}

static int arena_gc(lua_State *L) {
  sq_arena *a = luaL_checkudata(L, 1, ARENA_MT);
  sq_arena_destroy(a);
  return 0;
}

#define INLINE_ARENA 1536
static const char REG_SPARE_ARENA = 0;

/* A per-call arena (a userdata, pushed) whose blocks are freed by __gc if an error unwinds
 * the call. A call that ends normally hands it back (release_arena) as the spare the next
 * call takes, so a call allocates no Lua object for it and leaves no finalizer behind. A
 * call made while another is running (from a logger, say) finds no spare and makes one. */
static sq_arena *new_arena(lua_State *L) {
  sq_arena *a;
  lua_pushlightuserdata(L, (void *)&REG_SPARE_ARENA);
  lua_rawget(L, LUA_REGISTRYINDEX);
  a = lua_touserdata(L, -1);
  if (a) {
    lua_pushlightuserdata(L, (void *)&REG_SPARE_ARENA);
    lua_pushnil(L);
    lua_rawset(L, LUA_REGISTRYINDEX);
    return a;
  }
  lua_pop(L, 1);
  a = sq_newuserdata(L, sizeof(sq_arena) + INLINE_ARENA);
  sq_arena_init(a, (unsigned char *)(a + 1), INLINE_ARENA);
  luaL_setmetatable(L, ARENA_MT);
  return a;
}

/* The end of a call: free the arena's blocks and keep it as the spare, if it is still in
 * its stack slot `idx`. */
static void release_arena(lua_State *L, sq_arena *a, int idx) {
  sq_arena_free(a);
  if (!idx || lua_touserdata(L, idx) != a) return;
  lua_pushlightuserdata(L, (void *)&REG_SPARE_ARENA);
  lua_pushvalue(L, idx);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

/* ------------------------------------------------------------------------- */
/* logging: opts.logging (function or false) overrides the db's logger */

/* The logger runs protected, so that a raising logger unwinds no C frame that holds
 * memory (the SQL text being logged, say): its error is kept, the statement does not
 * run, and the caller raises it again through raise_db once it has cleaned up. A logger
 * that runs queries itself sets db->log (and the benchmark setting) for those; the caller's
 * are put back after. */
typedef sq_callstate callstate;

static void state_save(const sq_db *db, callstate *s) {
  s->log = db->log;
  s->log_ud = db->log_ud;
  s->bench = db->bench;
  s->log_params = db->log_params;
  s->bench_pending = db->bench_pending;
  s->qhook = db->qhook;
  s->qhook_ud = db->qhook_ud;
  s->qh_pending = db->qh_pending;
  s->qh_id = db->qh_id;
  s->nested_ud = db->nested_ud;
  s->view_m = db->view_m;
  s->view_table = db->view_table;
}

static void state_restore(sq_db *db, const callstate *s) {
  db->log = s->log;
  db->log_ud = s->log_ud;
  db->bench = s->bench;
  db->log_params = s->log_params;
  db->bench_pending = s->bench_pending;
  db->qhook = s->qhook;
  db->qhook_ud = s->qhook_ud;
  db->qh_pending = s->qh_pending;
  db->qh_id = s->qh_id;
  db->view_m = s->view_m;
  db->view_table = s->view_table;
  db->nested_ud = s->nested_ud; /* (a query of the logger's or hook's may have run on another thread) */
  /* (the statement logged or hooked was not refused: a call of the logger's or hook's on a
   * finished transaction leaves no refusal behind for this one's next statements) */
  sq_buf_truncate(&db->refuse, 0);
}

const char LOG_TYPE_TX[] = "(transaction)";

/* Sequelize's QueryTypes value of a statement the call's options name no type for: from its
 * first word (an UPDATE or DELETE of one instance; Model.update / destroy set BULK*) */
static const char *sql_type(const char *sql, size_t len) {
  static const struct { const char *w; const char *type; } words[] = {
    {"SELECT", "SELECT"}, {"WITH", "SELECT"}, {"INSERT", "INSERT"}, {"UPDATE", "UPDATE"}, {"DELETE", "DELETE"}};
  size_t i = 0, k, n;
  while (i < len && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r')) i++;
  for (k = 0; k < sizeof words / sizeof words[0]; k++) {
    n = strlen(words[k].w);
    if (len - i >= n && !strncasecmp(sql + i, words[k].w, n) &&
        (len - i == n || !(isalnum((unsigned char)sql[i + n]) || sql[i + n] == '_')))
      return words[k].type;
  }
  return "RAW";
}

/* t[k] = v unless t has k (t at `t`, v on the top, popped) */
static void set_default(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_setfield(L, t, k);
  } else {
    lua_pop(L, 2);
  }
}

/* A model's SELECT (a model's own box, not an aggregate) whose options give no list of attributes
 * (none, or { exclude, include }): the logger's options.attributes are the ones selected, as
 * Sequelize's finders list them there: the model's columns in order (an attribute whose column
 * has another name as { field, name }), without the excluded, then the included items as given.
 * Made only for a logger, so a call without one pays nothing. */
static void log_attributes(lua_State *L, logctx *c, int t) {
  modelbox *mb;
  const sq_model *m;
  int at, ex = 0, in = 0, n = 0, i, k, nex;
  if ((c->qflags & LOGQ_AGG) || !c->boxi) return;
  mb = luaL_testudata(L, c->boxi, MODEL_MT);
  if (!mb || !mb->m || mb->owned) return;
  m = mb->m;
  lua_getfield(L, t, "attributes");
  at = lua_gettop(L);
  if (!lua_isnil(L, at)) {
    if (lua_istable(L, at) && sq_rawlen(L, at) > 0) {
      /* a given list: as given, but a name of an attribute whose column has another name as
       * { field, name }, as Sequelize's finders log it (its VIRTUAL names are gone by here) */
      int len = (int)sq_rawlen(L, at), renamed = 0;
      for (k = 1; k <= len && !renamed; k++) {
        const sq_attr *a;
        size_t nl;
        const char *s;
        lua_rawgeti(L, at, k);
        s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &nl) : NULL;
        a = s ? sq_model_attr(m, s, nl) : NULL;
        renamed = a && strcmp(a->field, a->name);
        lua_pop(L, 1);
      }
      if (renamed) {
        lua_createtable(L, len, 0);
        for (k = 1; k <= len; k++) {
          const sq_attr *a;
          size_t nl;
          const char *s;
          lua_rawgeti(L, at, k);
          s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &nl) : NULL;
          a = s ? sq_model_attr(m, s, nl) : NULL;
          if (a && strcmp(a->field, a->name)) {
            lua_pop(L, 1);
            lua_createtable(L, 2, 0);
            lua_pushstring(L, a->field);
            lua_rawseti(L, -2, 1);
            lua_pushstring(L, a->name);
            lua_rawseti(L, -2, 2);
          }
          lua_rawseti(L, -2, k);
        }
        lua_setfield(L, t, "attributes");
      }
      lua_settop(L, at - 1);
      return;
    }
    if (!lua_istable(L, at)) {
      lua_pop(L, 1);
      return;
    }
    lua_getfield(L, at, "exclude");
    lua_getfield(L, at, "include");
    ex = lua_istable(L, at + 1) ? at + 1 : 0;
    in = lua_istable(L, at + 2) ? at + 2 : 0;
    if (!ex && !in) {
      lua_settop(L, at - 1);
      return;
    }
  }
  lua_createtable(L, m->nattrs, 0);
  nex = ex ? (int)sq_rawlen(L, ex) : 0;
  for (i = 0; i < m->nattrs; i++) {
    const sq_attr *a = m->attrs[i];
    for (k = 1; k <= nex; k++) {
      const char *s;
      lua_rawgeti(L, ex, k);
      s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      lua_pop(L, 1);
      if (s && !strcmp(s, a->name)) break;
    }
    if (k <= nex) continue;
    if (strcmp(a->field, a->name)) {
      lua_createtable(L, 2, 0);
      lua_pushstring(L, a->field);
      lua_rawseti(L, -2, 1);
      lua_pushstring(L, a->name);
      lua_rawseti(L, -2, 2);
    } else {
      lua_pushstring(L, a->name);
    }
    lua_rawseti(L, -2, ++n);
  }
  for (k = 1; in && k <= (int)sq_rawlen(L, in); k++) {
    lua_rawgeti(L, in, k);
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, t, "attributes");
  lua_settop(L, at - 1);
}

/* The logger's last argument, Sequelize's query options: a copy of the call's options with
 * what Sequelize's carry besides: type (QueryTypes), model, plain, raw, logging, benchmark
 * and bind (the values bound to the statement's placeholders, unless the call gave bind or
 * replacements) */
static void push_log_options(lua_State *L, logctx *c, const char *sql, size_t len) {
  sq_db *db = c->db;
  int t, k, has_model;
  lua_createtable(L, 0, 8);
  t = lua_gettop(L);
  if (c->opts && lua_istable(L, c->opts)) {
    lua_pushnil(L);
    while (lua_next(L, c->opts)) {
      size_t kn;
      const char *ks = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &kn) : NULL;
      if (ks && kn && ks[0] == '_') { /* (the Lua layer's own keys) */
        lua_pop(L, 1);
        continue;
      }
      if (ks && kn == 11 && !memcmp(ks, "transaction", 11) &&
          (is_null(L, -1) || (lua_isboolean(L, -1) && !lua_toboolean(L, -1)))) {
        lua_pop(L, 1); /* (Sequelize.null / false: no transaction, nil to the logger, as Sequelize's falsy null) */
        continue;
      }
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, t);
    }
  }
  if (c->pk_name) { /* (findByPk's where, made here: the one-call path gives the core none) */
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, c->pk_key);
    lua_setfield(L, -2, c->pk_name);
    set_default(L, t, "where");
  }
  /* type: the transaction's own for its statements; the options' (db:query's); the call's */
  lua_getfield(L, t, "type");
  if (c->qtype == LOG_TYPE_TX || lua_type(L, -1) != LUA_TSTRING) {
    lua_pop(L, 1);
    if (c->qtype == LOG_TYPE_TX) {
      lua_getfield(L, t, "transaction");
      if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "options");
        if (lua_istable(L, -1)) lua_getfield(L, -1, "type");
        else lua_pushnil(L);
        lua_replace(L, -3);
        lua_pop(L, 1);
      }
      if (lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushliteral(L, "DEFERRED");
      }
    } else {
      lua_pushstring(L, c->qtype ? c->qtype : sql_type(sql, len));
    }
    lua_setfield(L, t, "type");
  } else {
    lua_pop(L, 1);
  }
  lua_getfield(L, t, "type");
  k = lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "SELECT");
  lua_pop(L, 1);
  if (k) log_attributes(L, c, t);
  /* model: the model of a model's call (its class, the instance metatable's __M) */
  lua_getfield(L, t, "model");
  has_model = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (!has_model && !(c->qflags & LOGQ_AGG) && c->boxi && luaL_testudata(L, c->boxi, MODEL_MT)) {
    sq_getuservalue(L, c->boxi);
    if (lua_istable(L, -1)) {
      lua_pushliteral(L, "mt");
      lua_rawget(L, -2);
      if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "__M");
        if (lua_istable(L, -1)) {
          lua_setfield(L, t, "model");
          has_model = 1;
        } else {
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pushboolean(L, (c->qflags & (LOGQ_PLAIN | LOGQ_AGG)) != 0);
  set_default(L, t, "plain");
  lua_pushboolean(L, !has_model); /* (Sequelize: raw unless the query has a model) */
  set_default(L, t, "raw");
  lua_pushvalue(L, c->fn);
  lua_setfield(L, t, "logging");
  if (db->bench) {
    lua_pushboolean(L, 1);
    lua_setfield(L, t, "benchmark");
  }
  lua_getfield(L, t, "bind");
  lua_getfield(L, t, "replacements");
  k = no_params(L, -1) && no_params(L, -2);
  lua_pop(L, 2);
  if (k && db->log_nbound > 0 && db->log_bound) {
    lua_createtable(L, db->log_nbound, 0);
    for (k = 0; k < db->log_nbound; k++) {
      const sq_value *v = &db->log_bound[k].v;
      switch (v->kind) {
        case SQ_V_INT: push_i64(L, v->u.i); break;
        case SQ_V_REAL: lua_pushnumber(L, v->u.d); break;
        case SQ_V_TEXT:
        case SQ_V_BLOB: lua_pushlstring(L, v->u.s.p, v->u.s.n); break;
        default: lua_pushlightuserdata(L, NULL); break; /* (Sequelize.null) */
      }
      lua_rawseti(L, -2, db->log_bound[k].i);
    }
    lua_setfield(L, t, "bind");
  }
}

/* The logger's call, run protected by log_cb: the line, the options and the call itself, so
 * that an error while building them (memory, a transaction's or _G's __index that raises)
 * is kept as a logger's is, and unwinds no C frame of the core's that holds memory (the line
 * buffer, the values bound). Arguments: the logcall, the logger, the transaction id (or nil),
 * the call's options (or nil), its box (or nil), findByPk's key (or nil); the logctx's indexes
 * point at them meanwhile (log_cb puts the caller's back). */
typedef struct logcall {
  logctx *c;
  const char *sql;
  size_t len;
} logcall;

static const char REG_LOG_CALL = 0; /* log_call and qhook_call as function values (LuaJIT's
                                     * lua_pushcfunction allocates: made once, at open) */

static int log_call(lua_State *L) {
  logcall *lc = lua_touserdata(L, 1);
  logctx *c = lc->c;
  sq_db *db = c->db;
  int nargs, is_print;
  luaL_checkstack(L, 24, "logging a statement");
  c->fn = 2;
  c->txid = lua_isnil(L, 3) ? 0 : 3;
  c->opts = lua_isnil(L, 4) ? 0 : 4;
  c->boxi = lua_isnil(L, 5) ? 0 : 5;
  c->pk_key = 6;
  lua_pushvalue(L, c->fn);
  /* `logging = print` is Sequelize's console.log: called with the line alone (benchmark: the
   * elapsed time in it); any other logger as Sequelize's, (line[, ms], options) */
  lua_getglobal(L, "print");
  is_print = lua_rawequal(L, -1, -2);
  lua_pop(L, 1);
  if (db->log_ms >= 0) lua_pushliteral(L, "Executed ("); /* (benchmark: it has run) */
  else lua_pushliteral(L, "Executing (");
  if (c->txid) lua_pushvalue(L, c->txid);
  else lua_pushliteral(L, "default");
  lua_pushliteral(L, "): ");
  lua_pushlstring(L, lc->sql, lc->len);
  lua_concat(L, 4);
  nargs = 1;
  if (is_print) {
    if (db->log_ms >= 0) {
      lua_pushfstring(L, " Elapsed time: %dms", (int)db->log_ms);
      lua_concat(L, 2);
    }
  } else {
    if (db->log_ms >= 0) { /* (Sequelize: logging(sql, ms, options)) */
      lua_pushinteger(L, (lua_Integer)db->log_ms);
      nargs++;
    }
    push_log_options(L, c, lc->sql, lc->len);
    nargs++;
  }
  lua_call(L, nargs, 0);
  return 0;
}

/* The function kept at open under REG_LOG_CALL's key `which` (1: log_call, 2: qhook_call)
 * pushed without allocating; 0 (nothing pushed) when it is missing */
static int push_protected_fn(lua_State *L, int which) {
  lua_pushlightuserdata(L, (void *)&REG_LOG_CALL);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (lua_istable(L, -1)) {
    lua_rawgeti(L, -1, which);
    lua_remove(L, -2);
    if (lua_isfunction(L, -1)) return 1;
  }
  lua_pop(L, 1);
  return 0;
}

static int log_cb(void *ud, const char *sql, size_t len) {
  logctx *c = ud;
  lua_State *L = c->L;
  sq_db *db = c->db;
  callstate saved;
  logcall lc;
  int rc, fn, txid, opts, boxi, pk_key;
  if (!c->fn) return 0;
  if (!lua_checkstack(L, 8) || !push_protected_fn(L, 1)) return 1;
  lc.c = c;
  lc.sql = sql;
  lc.len = len;
  lua_pushlightuserdata(L, &lc);
  lua_pushvalue(L, c->fn);
  if (c->txid) lua_pushvalue(L, c->txid); else lua_pushnil(L);
  if (c->opts) lua_pushvalue(L, c->opts); else lua_pushnil(L);
  if (c->boxi) lua_pushvalue(L, c->boxi); else lua_pushnil(L);
  if (c->pk_name) lua_pushvalue(L, c->pk_key); else lua_pushnil(L);
  fn = c->fn, txid = c->txid, opts = c->opts, boxi = c->boxi, pk_key = c->pk_key;
  db->in_logger++;
  state_save(db, &saved);
  db->qh_pending = 0; /* (the statement logged is not the logger's: a call of its own that fails ends it not) */
  rc = lua_pcall(L, 6, 0, 0);
  state_restore(db, &saved);
  db->in_logger--;
  c->fn = fn, c->txid = txid, c->opts = opts, c->boxi = boxi, c->pk_key = pk_key;
  if (rc == 0) return 0;
  lua_pushlightuserdata(L, (void *)&REG_LOG_ERROR);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return 1;
}

/* The Sequelize object's query hooks (beforeQuery / afterQuery): core.query_hooks(db, fn)
 * keeps fn, the Lua layer's runner, called as fn(after, id, sql, options, box) for each
 * statement logged (sql nil when after). It runs protected, as the logger: its error is kept
 * and raised again by the caller, the statement not run (a failed statement's own error
 * wins over an afterQuery's). An afterQuery hook may not run queries (as a benchmark logger:
 * the changes count and rowid of the statement are still to be read). */
static const char REG_QHOOKS = 0; /* weak values: lightuserdata(db) -> function */
static void push_weak(lua_State *L, const char *table, sq_db *db);

/* The query hook's runner called protected by qhook_cb: (fn, after, id, sql as a logcall or
 * nil, options, box), the statement's text made a string here */
static int qhook_call(lua_State *L) {
  if (lua_islightuserdata(L, 4)) {
    logcall *lc = lua_touserdata(L, 4);
    lua_pushlstring(L, lc->sql, lc->len);
    lua_replace(L, 4);
  }
  lua_call(L, 5, 0);
  return 0;
}

static int qhook_cb(void *ud, int when, unsigned long id, const char *sql, size_t len) {
  logctx *c = ud;
  lua_State *L = c->L;
  sq_db *db = c->db;
  callstate saved;
  logcall lc;
  int rc;
  if (!lua_checkstack(L, 8)) return when == 2 ? 0 : 1;
  push_weak(L, &REG_QHOOKS, db);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  /* (the text pushed inside the protected call, qhook_call: running out of memory there
   * unwinds no C frame of the core's) */
  if (!push_protected_fn(L, 2)) {
    lua_pop(L, 1);
    return when == 2 ? 0 : 1;
  }
  lua_insert(L, -2);
  lua_pushboolean(L, when != 0);
  lua_pushinteger(L, (lua_Integer)id);
  if (when == 0) {
    lc.c = c;
    lc.sql = sql;
    lc.len = len;
    lua_pushlightuserdata(L, &lc);
  } else {
    lua_pushnil(L);
  }
  if (c->opts && lua_istable(L, c->opts)) lua_pushvalue(L, c->opts);
  else lua_pushnil(L);
  if (c->boxi) lua_pushvalue(L, c->boxi);
  else lua_pushnil(L);
  state_save(db, &saved);
  db->qh_pending = 0; /* (nor the hook's: a call of its own that fails runs no afterQuery of it) */
  db->in_logger++;
  if (when) db->in_afterq++;
  rc = lua_pcall(L, 6, 0, 0);
  if (when) db->in_afterq--;
  db->in_logger--;
  state_restore(db, &saved);
  if (rc == 0) return 0;
  if (when == 2) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushlightuserdata(L, (void *)&REG_LOG_ERROR);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return 1;
}

/* ------------------------------------------------------------------------- */
/* the coroutine that owns the open transaction
 *
 * One connection serves every coroutine, and a call made without `transaction` while a
 * transaction is open joins it. That is right for code the transaction's coroutine runs
 * (itself, or a coroutine it resumed), and wrong for any other: an OpenResty request whose
 * handler yielded inside db:transaction (ngx.sleep, a cosocket) would have other requests'
 * writes joining it, committed or lost with it. So the binding keeps the coroutine that
 * began the outermost transaction (weakly: one collected has ended), and a call from another
 * one while it is open is refused when that coroutine is suspended, and, when it has ended
 * (an error left an unmanaged transaction open), first has the transaction rolled back by the
 * Lua layer's reaper, since nothing can end it any more. */

static const char REG_TXOWNER = 0;   /* weak values: lightuserdata(db) -> thread */
static const char REG_TXREAPER = 0;  /* weak values: lightuserdata(db) -> function */
static const char REG_TXTOKEN = 0;   /* weak values: lightuserdata(db) -> the owner's request */
static const char REG_TXTOKENFN = 0; /* weak values: lightuserdata(db) -> function() -> request */

/* Push a new table with weak values */
void sqb_new_weak_values(lua_State *L) {
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
}

static void push_weak_table(lua_State *L, const char *key) {
  lua_pushlightuserdata(L, (void *)key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (lua_istable(L, -1)) return;
  lua_pop(L, 1);
  sqb_new_weak_values(L);
  lua_pushlightuserdata(L, (void *)key);
  lua_pushvalue(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

/* The value at key db of a weak table pushed, or nil */
static void push_weak(lua_State *L, const char *table, sq_db *db) {
  push_weak_table(L, table);
  lua_pushlightuserdata(L, db);
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

/* The request running now, as the Lua layer tells it (OpenResty: ngx.ctx, since nginx's Lua
 * module reuses one coroutine for request after request), or nil */
static void push_token(lua_State *L, sq_db *db) {
  push_weak(L, &REG_TXTOKENFN, db);
  if (lua_isfunction(L, -1)) lua_call(L, 0, 1);
  else if (!lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
}

static void tx_set_owner(lua_State *L, sq_db *db, int on) {
  push_weak_table(L, &REG_TXOWNER);
  lua_pushlightuserdata(L, db);
  if (on) lua_pushthread(L);
  else lua_pushnil(L);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  push_weak_table(L, &REG_TXTOKEN);
  lua_pushlightuserdata(L, db);
  if (on) push_token(L, db);
  else lua_pushnil(L);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  db->tx_owned = on;
}

/* Is the request running now the owner's? */
static int same_request(lua_State *L, sq_db *db) {
  int r;
  push_token(L, db);
  push_weak(L, &REG_TXTOKEN, db);
  r = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return r;
}

/* 0: ended, 1: running or resuming another (so the running one is inside it), 2: suspended */
static int thread_state(lua_State *co) {
  lua_Debug ar;
  int st = lua_status(co);
  if (st == LUA_YIELD) return 2;
  if (st != 0) return 0; /* (ended by an error) */
  if (lua_getstack(co, 0, &ar)) return 1;
  return lua_gettop(co) == 0 ? 0 : 2;
}

/* Before a call made without `transaction` (see above): raises, or reaps, or returns. */
static void tx_guard(lua_State *L, sq_db *db) {
  lua_State *co;
  int st;
  if (!db->tx_owned) return;
  if (!sq_db_is_open(db) || sq_conn_autocommit(db->conn)) { /* (ended meanwhile: by db:query("COMMIT"), say) */
    tx_set_owner(L, db, 0);
    return;
  }
  push_weak(L, &REG_TXOWNER, db);
  co = lua_tothread(L, -1);
  lua_pop(L, 1);
  if (co == L) st = same_request(L, db) ? 1 : 0; /* (another request on a reused coroutine: ended) */
  else st = co ? thread_state(co) : 0;
  if (st == 1) return;
  if (st == 2) {
    /* (SQ_E_TXWAIT: the Lua layer under OpenResty waits for it to end, up to the busy
     * timeout, and calls again; a light thread of the owner's own request cannot wait for
     * it, which may be waiting for the thread) */
    sq_err_set(db, same_request(L, db) ? SQ_E_USAGE : SQ_E_TXWAIT, "%s",
               "This connection is in a transaction begun by another coroutine, which is suspended (it yielded "
               "inside db:transaction: ngx.sleep or a cosocket call, say). Pass that transaction as "
               "options.transaction to join it, or make this call once it has ended");
    raise_db(L, db);
  }
  push_weak(L, &REG_TXREAPER, db);
  if (lua_isfunction(L, -1)) lua_call(L, 0, 0);
  else lua_pop(L, 1);
  if (sq_db_is_open(db) && !sq_conn_autocommit(db->conn) && sq_db_rollback(db, NULL)) raise_db(L, db);
  tx_set_owner(L, db, 0);
}

/* Set up logging for a call: `opts` is the stack index of the options table (or 0),
 * `dbi` the stack index of the db box or of a model box. Pushes up to two values. */
static int nested_call(void *ud);

/* The state of the call running below this one, kept until this one ends (end_call, raised) */
static void save_outer(sq_db *db, logctx *c) {
  sq_callsave *sv = &db->nest[db->nnest++];
  state_save(db, &sv->st);
  sv->bench_t0 = db->bench_t0;
  sv->refuse = db->refuse;
  sq_buf_init(&db->refuse);
  sv->bench_line = db->bench_line;
  sq_buf_init(&db->bench_line);
  sq_err_stash(db, &sv->err);
  sv->capture = db->capture;
  db->capture = 0;
  sv->vals = db->vals;
  sq_buf_init(&db->vals);
  sv->bound = db->bound;
  sv->nbound = db->nbound;
  sv->cbound = db->cbound;
  sv->bound_oom = db->bound_oom;
  db->bound = NULL;
  db->nbound = db->cbound = db->bound_oom = 0;
  sv->log_bound = db->log_bound;
  sv->log_nbound = db->log_nbound;
  db->log_nbound = 0;
  sv->outer_seq = db->call_seq;
  sv->seq = c->seq;
}

static void restore_outer(sq_db *db) {
  sq_callsave *sv = &db->nest[--db->nnest];
  state_restore(db, &sv->st);
  db->bench_t0 = sv->bench_t0;
  sq_buf_free(&db->refuse);
  db->refuse = sv->refuse;
  sq_buf_free(&db->bench_line);
  db->bench_line = sv->bench_line;
  sq_err_restore(db, &sv->err);
  db->capture = sv->capture;
  sq_buf_free(&db->vals);
  db->vals = sv->vals;
  free(db->bound);
  db->bound = sv->bound;
  db->nbound = sv->nbound;
  db->cbound = sv->cbound;
  db->bound_oom = sv->bound_oom;
  db->log_bound = sv->log_bound;
  db->log_nbound = sv->log_nbound;
  db->call_seq = sv->outer_seq;
}

void end_call(sq_db *db, logctx *c) {
  if (c->nested) {
    if (db->nnest > 0 && db->nest[db->nnest - 1].seq == c->seq) restore_outer(db);
  } else {
    /* (the bottom call: any made inside it have ended, however they ended) */
    sq_db_drop_saved(db, 0);
    db->call_active = 0;
    db->nested_ud = NULL; /* (its thread may end and be collected; a later call sets its own) */
  }
}

/* tx_control: a BEGIN / COMMIT / ROLLBACK (or the isolation statement), which a transaction
 * covered by one begun after it (see below) still runs: they end it, or begin one */
static void setup_call(lua_State *L, sq_db *db, logctx *c, int boxi, int opts, int tx_control);

void setup_log(lua_State *L, sq_db *db, logctx *c, int boxi, int opts) { setup_call(L, db, c, boxi, opts, 0); }

static void setup_call(lua_State *L, sq_db *db, logctx *c, int boxi, int opts, int tx_control) {
  /* A call that began and has not ended normally is running below this one (which runs from
   * a __gc finalizer, a metamethod or a logger), or a Lua error unwound it: its per-call
   * state is kept aside until this one ends */
  c->nested = db->call_active && nested_call(L);
  c->seq = ++db->next_seq;
  if (!c->nested) sq_db_drop_saved(db, 0);
  else if (db->nnest == SQ_MAX_CALL_NEST)
    luaL_error(L, "sequelua: queries nested more than %d deep (made from __gc finalizers, metamethods or loggers "
               "while other queries ran)", SQ_MAX_CALL_NEST);
  else save_outer(db, c);
  db->call_seq = c->seq;
  db->call_active = 1;
  if (db->log_ms >= 0) /* (the changes count and last rowid the caller reads next are the statement's) */
    usage(L, db, "a benchmark logger cannot run queries: the statement it logs has run, and its results "
                 "are still being read");
  if (db->in_afterq)
    usage(L, db, "an afterQuery hook cannot run queries: the statement it follows has run, and its results "
                 "are still being read");
  c->L = L;
  c->db = db;
  c->fn = 0;
  c->txid = 0;
  c->opts = opts;
  c->boxi = boxi;
  if (db->has_views) { /* (a Model.schema copy's box: its table for this call's statements) */
    modelbox *vb = boxi ? luaL_testudata(L, boxi, MODEL_MT) : NULL;
    db->view_m = vb && vb->table ? vb->m : NULL;
    db->view_table = vb ? vb->table : NULL;
  }
  c->qtype = NULL;
  c->qflags = 0;
  c->pk_name = NULL;
  c->pk_key = 0;
  db->nested_ud = L; /* (for nested_call, should a statement be met stepped and not reset) */
  db->log = NULL; /* (until this call's logger is known: a raise below leaves none behind) */
  sq_buf_truncate(&db->refuse, 0);
  db->refuse.oom = 0;
  db->bench = 0;
  db->bench_pending = 0;
  db->qhook = NULL;
  db->qh_pending = 0;
  if (opts && lua_istable(L, opts)) {
    lua_getfield(L, opts, "transaction");
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "finished");
      if (lua_type(L, -1) == LUA_TSTRING) {
        /* finished: refused at the call's first statement, which the error carries as its sql
         * (sq_db_log), as Sequelize rejects the query; a call that finds nothing to run
         * (bulkCreate of no rows, an update changing nothing) returns as Sequelize's does */
        const char *state = lua_tostring(L, -1);
        const char *id;
        lua_getfield(L, -2, "id");
        id = lua_tostring(L, -1);
        sq_buf_addf(&db->refuse, "%s has been called on this transaction(%s), you can no longer use it. "
                    "(The rejected query is attached as the 'sql' property of this error)", state, id ? id : "?");
        if (db->refuse.oom) luaL_error(L, "out of memory");
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "_unstarted"); /* (Transaction.new's: no BEGIN ran for it) */
      if (lua_toboolean(L, -1))
        usage(L, db, "options.transaction never started (Transaction.new makes one that does not: begin one "
                     "with db:transaction())");
      lua_pop(L, 1);
      /* (transaction.lua, cover: a transaction begun after it without one is a savepoint above
       * it, whose rollback would undo this call's statements) */
      lua_getfield(L, -1, "_covered");
      if (lua_toboolean(L, -1) && !tx_control)
        usage(L, db, "options.transaction cannot be used while a transaction begun after it without `transaction` "
                     "is open: on the one connection that one is a savepoint above it, whose rollback would undo "
                     "this statement's work (end that one first, or begin it with { transaction = ... })");
      lua_pop(L, 1);
      lua_getfield(L, -1, "sequelize"); /* (one of another db would write outside any transaction) */
      if (lua_istable(L, -1)) {
        dbbox *tb;
        lua_getfield(L, -1, "_db");
        tb = luaL_testudata(L, -1, DB_MT);
        if (tb && tb->db != db)
          usage(L, db, "options.transaction belongs to another Sequelize instance (another connection)");
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "id");
      lua_replace(L, -2);
      if (lua_type(L, -1) != LUA_TSTRING) usage(L, db, "options.transaction must be a transaction (from db:transaction())");
      c->txid = lua_gettop(L);
    } else if (!lua_isnil(L, -1) && !is_null(L, -1) && !(lua_isboolean(L, -1) && !lua_toboolean(L, -1))) {
      usage(L, db, "options.transaction must be a transaction (from db:transaction()), got %s", luaL_typename(L, -1));
    } else { /* (nil, Sequelize.null or false: none, as Sequelize takes `transaction: null`) */
      lua_pop(L, 1);
    }
  }
  if (!c->txid) tx_guard(L, db);
  if (db->qhooks) {
    db->qhook = qhook_cb;
    db->qhook_ud = c;
  }
  if (opts && lua_istable(L, opts)) {
    lua_getfield(L, opts, "logging");
    if (lua_isfunction(L, -1)) {
      c->fn = lua_gettop(L);
    } else if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) {
      usage(L, db, "options.logging must be a function or false, got %s", luaL_typename(L, -1));
    } else if (lua_toboolean(L, -1) == 0 && !lua_isnil(L, -1)) {
      lua_pop(L, 1);
      db->log = NULL;
      return;
    } else {
      lua_pop(L, 1);
    }
  }
  if (!c->fn && db->box_logging) {
    sq_getuservalue(L, boxi);
    lua_getfield(L, -1, "logging");
    lua_replace(L, -2);
    if (lua_isfunction(L, -1)) c->fn = lua_gettop(L);
    else lua_pop(L, 1);
  }
  db->log = c->fn ? log_cb : NULL;
  db->log_ud = c;
  if (c->fn) { /* benchmark and logQueryParameters: Sequelize.new's, or the call's (Sequelize:
                * either turns it on) */
    db->bench = db->bench_default;
    if (!db->bench && opts && lua_istable(L, opts)) {
      lua_getfield(L, opts, "benchmark");
      db->bench = lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
    db->log_params = db->log_params_default;
    if (!db->log_params && opts && lua_istable(L, opts)) {
      lua_getfield(L, opts, "logQueryParameters");
      db->log_params = lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
  }
}

/* ------------------------------------------------------------------------- */
/* expression objects made by Sequelize.fn/col/literal/where (tables whose metatable
 * is the registered expression metatable: JSON input cannot forge one) */

int is_expr(lua_State *L, int i) {
  int r;
  if (!lua_istable(L, i) || !lua_getmetatable(L, i)) return 0;
  lua_pushlightuserdata(L, (void *)&REG_EXPRMT);
  lua_rawget(L, LUA_REGISTRYINDEX);
  r = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return r;
}

/* A 64-bit integer from the database: under LuaJIT, whose numbers are doubles, one they
 * cannot hold exactly is pushed as its decimal string (rows read, and a new row's key) */
void push_i64(lua_State *L, long long v) {
#if !SQ_LUA_HAS_INT
  if (v > 9007199254740992LL || v < -9007199254740992LL) {
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", v);
    lua_pushstring(L, tmp);
    return;
  }
#endif
  sq_pushinteger(L, v);
}

/* The model box of the instance at idx, or NULL when it is not one */
modelbox *instance_model(lua_State *L, int idx) {
  modelbox *mb = NULL;
  if (!lua_getmetatable(L, idx)) return NULL;
  lua_getfield(L, -1, "__model");
  mb = luaL_testudata(L, -1, MODEL_MT);
  lua_pop(L, 2);
  if (mb && (!mb->m || !mb->db)) /* (finalized: the interpreter is closing) */
    luaL_error(L, "sequelua: this instance's model is gone (its box was finalized: the interpreter is closing)");
  /* (an instance of an older attribute layout: its metatable has no __model but a __remap) */
  if (!mb && lua_istable(L, idx) && migrate_instance(L, idx)) return instance_model(L, idx);
  return mb;
}

int op_of(lua_State *L, int i) {
  const char *p;
  if (lua_type(L, i) != LUA_TLIGHTUSERDATA) return -1;
  p = lua_touserdata(L, i);
  if (p >= op_tags && p < op_tags + OP_NKEYS) return (int)(p - op_tags);
  return -1;
}


/* ------------------------------------------------------------------------- */
/* the call context */

void enter(ctx *c, const char *what) {
  if (++c->depth > SQ_MAX_NESTING || !lua_checkstack(c->L, 16))
    usage(c->L, c->db, "Invalid %s on %s: nested deeper than %d levels (or cyclic)", what, c->m->name,
          SQ_MAX_NESTING);
}

/* The length of the list at i, which must hold 1..n and nothing else: a nil among its items
 * (a hole LuaJIT's length would stop at, cutting the list short) raises naming `what`. */
int list_len(ctx *c, int i, const char *what) {
  if (!is_sequence(c->L, i))
    usage(c->L, c->db, "Invalid %s on %s: expected a list 1..n, got a table with a nil among its items or other keys",
          what, c->m ? c->m->name : "?");
  return (int)sq_rawlen(c->L, i);
}

/* How many keys the table at i has; *npos: how many of them are positive integers, *top: the
 * largest of those (0: none) */
size_t count_keys(lua_State *L, int i, size_t *npos, size_t *top) {
  size_t count = 0;
  long long iv;
  i = lua_absindex(L, i);
  *npos = *top = 0;
  lua_pushnil(L);
  while (lua_next(L, i)) {
    lua_pop(L, 1);
    count++;
    if (lua_type(L, -1) == LUA_TNUMBER && sq_isinteger(L, -1, &iv) && iv > 0) {
      (*npos)++;
      if ((unsigned long long)iv > *top) *top = (size_t)iv;
    }
  }
  return count;
}

/* The length of the list at i, raising naming `what` for a hole among its items (a nil LuaJIT's
 * length would stop at, cutting the list short); its other keys (table.pack's n) are left
 * alone, as the items are read by index alone */
int items_len(ctx *c, int i, const char *what) {
  size_t count, top;
  count_keys(c->L, i, &count, &top);
  if (count != top) /* (distinct keys 1..top, as many as top: no hole) */
    usage(c->L, c->db, "Invalid %s on %s: expected a list 1..n, got a table with a nil among its items", what,
          c->m ? c->m->name : "?");
  return (int)top;
}

/* Does the table at i hold exactly its items 1..n (no hole, no other key)? */
int is_sequence(lua_State *L, int i) {
  size_t n, count = 0;
  i = lua_absindex(L, i);
  n = sq_rawlen(L, i);
  lua_pushnil(L);
  while (lua_next(L, i)) {
    count++;
    lua_pop(L, 1);
  }
  return count == n;
}

void *xalloc(ctx *c, size_t n) {
  void *p = sq_arena_alloc(c->arena, n);
  if (!p) {
    sq_err_oom(c->db);
    raise_db(c->L, c->db);
  }
  return p;
}

/* ------------------------------------------------------------------------- */
/* Lua values -> database values */

static const char *lua_typename_at(lua_State *L, int i) { return luaL_typename(L, i); }

static const char *type_expect(sq_type_kind k) {
  switch (k) {
    case SQ_T_INTEGER: case SQ_T_BIGINT: return "an integer";
    case SQ_T_FLOAT: case SQ_T_DOUBLE: case SQ_T_REAL: case SQ_T_DECIMAL: return "a number";
    case SQ_T_BOOLEAN: return "a boolean";
    case SQ_T_DATE: return "a date (an ISO-8601 string or seconds since the epoch)";
    case SQ_T_DATEONLY: return "a date (YYYY-MM-DD)";
    case SQ_T_BLOB: return "a string of bytes";
    case SQ_T_JSON: return "a JSON value";
    default: return "a string";
  }
}

/* A value of the wrong type: a validation error whose item names the attribute. */
int bad_value(ctx *c, const sq_attr *a, int i, const char *why) {
  stash_err_value(c->L, i);
  sq_err_set(c->db, SQ_E_VALUE, "Invalid value for %s.%s: expected %s, got %s%s%s", c->m ? c->m->name : "?",
             a->name, type_expect(a->type.kind), lua_typename_at(c->L, i), why ? " " : "", why ? why : "");
  sq_buf_adds(&c->db->err.detail, a->name);
  return raise_db(c->L, c->db);
}

/* Convert the Lua value at i, of Lua type t, into a database value for attribute a. Text
 * pointers borrow from Lua strings on the stack or point into the arena. (The type comes
 * from the caller, which has looked at it already: bulkCreate converts every value.) */
/* The milliseconds since the epoch of a DATE value at i: an ISO-8601 (or JavaScript
 * Date.parse) string, or seconds since the epoch (fractions allowed). 0; 1 for a string that
 * is no date, 2 for a number out of range, -1 for any other type. */
int date_ms(lua_State *L, int i, long long *ms) {
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, i, &n);
    return sq_date_parse(s, n, ms) && sq_date_parse_js(s, n, ms) ? 1 : 0;
  }
  if (lua_type(L, i) == LUA_TNUMBER) {
    lua_Number d = lua_tonumber(L, i);
    if (isnan(d) || isinf(d) || fabs(d) > 253402300799.0) return 2;
    *ms = (long long)llround(d * 1000.0);
    return 0;
  }
  return -1;
}

/* date_ms for a value a where compares: Sequelize stringifies it with moment(value), which
 * reads a string by moment's own rules (sq_date_parse_moment), not new Date's */
static int date_ms_where(lua_State *L, int i, long long *ms) {
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, i, &n);
    return sq_date_parse_moment(s, n, ms) ? 1 : 0;
  }
  return date_ms(L, i, ms);
}

/* The finite number at i as text into out (SQ_JSON_NUMBER_MAX + 1 bytes): a Lua 5.4 integer
 * as its exact digits, else the double as fmt writes it (sq_json_format_number,
 * sq_format_number_text); the length */
static size_t number_as_text(lua_State *L, int i, char *out, size_t (*fmt)(double, char *)) {
#if SQ_LUA_HAS_INT
  if (lua_isinteger(L, i)) return (size_t)snprintf(out, SQ_JSON_NUMBER_MAX + 1, "%lld", (long long)lua_tointeger(L, i));
#endif
  return fmt(lua_tonumber(L, i), out);
}

void to_db_t(ctx *c, int i, int t, const sq_attr *a, sq_value *v) {
  lua_State *L = c->L;
  long long iv;
  if (t == LUA_TNIL || (t == LUA_TLIGHTUSERDATA && lua_touserdata(L, i) == NULL)) { v->kind = SQ_V_NULL; return; }
  if (c->db->type_validation) type_validate(c, i, t, a);
  switch (a->type.kind) {
    case SQ_T_INTEGER:
    case SQ_T_BIGINT:
      if (t == LUA_TNUMBER) {
        if (sq_isinteger(L, i, &iv)) { v->kind = SQ_V_INT; v->u.i = iv; return; }
        if (isnan(lua_tonumber(L, i)) || isinf(lua_tonumber(L, i))) bad_value(c, a, i, "(NaN or infinity)");
        v->kind = SQ_V_REAL; v->u.d = lua_tonumber(L, i);
        return;
      }
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        v->kind = SQ_V_TEXT; v->u.s.p = s; v->u.s.n = n;
        return;
      }
      break;
    case SQ_T_FLOAT: case SQ_T_DOUBLE: case SQ_T_REAL: case SQ_T_DECIMAL:
      if (t == LUA_TNUMBER) {
        lua_Number d = lua_tonumber(L, i);
        if (isnan(d) || isinf(d)) bad_value(c, a, i, "(NaN or infinity)");
        if (sq_isinteger(L, i, &iv)) { v->kind = SQ_V_INT; v->u.i = iv; return; }
        v->kind = SQ_V_REAL; v->u.d = d;
        return;
      }
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        v->kind = SQ_V_TEXT; v->u.s.p = s; v->u.s.n = n;
        return;
      }
      break;
    case SQ_T_BOOLEAN:
      v->kind = SQ_V_INT;
      if (t == LUA_TBOOLEAN) { v->u.i = lua_toboolean(L, i); return; }
      if (t == LUA_TNUMBER && sq_isinteger(L, i, &iv) && (iv == 0 || iv == 1)) { v->u.i = iv; return; }
      if (t == LUA_TSTRING) {
        const char *s = lua_tostring(L, i);
        if (!strcmp(s, "true") || !strcmp(s, "1")) { v->u.i = 1; return; }
        if (!strcmp(s, "false") || !strcmp(s, "0")) { v->u.i = 0; return; }
      }
      break;
    case SQ_T_DATE: {
      long long ms;
      char *out;
      int r = c->where_value ? date_ms_where(L, i, &ms) : date_ms(L, i, &ms);
      if (r < 0) break;
      if (r) bad_value(c, a, i, r == 1 ? "(not a valid date)" : "(out of range)");
      out = xalloc(c, 40);
      {
        int len = c->db->dialect->date_to_db(ms, out);
        if (len < 0) bad_value(c, a, i, "(out of range)");
        v->kind = SQ_V_TEXT;
        v->u.s.p = out;
        v->u.s.n = (size_t)len;
      }
      return;
    }
    case SQ_T_DATEONLY: {
      char *out;
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        out = xalloc(c, 16);
        if (sq_dateonly_normalise(s, n, out) < 0) bad_value(c, a, i, "(not a valid date)");
      } else if (t == LUA_TNUMBER) {
        char iso[40];
        lua_Number d = lua_tonumber(L, i);
        if (isnan(d) || isinf(d) || fabs(d) > 253402300799.0) bad_value(c, a, i, "(out of range)");
        sq_date_format_iso((long long)llround(d * 1000.0), iso);
        out = xalloc(c, 16);
        memcpy(out, iso, 10);
        out[10] = '\0';
      } else {
        break;
      }
      v->kind = SQ_V_TEXT;
      v->u.s.p = out;
      v->u.s.n = strlen(out);
      return;
    }
    case SQ_T_JSON: {
      sq_buf b;
      char *p;
      if (t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TUSERDATA) break;
      sq_buf_init(&b);
      encode_json_value(L, c->db, i, &b, c->m ? c->m->name : NULL, a->name); /* raises on failure (frees b) */
      p = xalloc(c, b.len + 1);
      memcpy(p, sq_buf_cstr(&b), b.len);
      v->kind = SQ_V_TEXT;
      v->u.s.p = p;
      v->u.s.n = b.len;
      sq_buf_free(&b);
      return;
    }
    case SQ_T_BLOB:
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        v->kind = SQ_V_BLOB; v->u.s.p = s; v->u.s.n = n;
        return;
      }
      if (a->loose && t == LUA_TNUMBER) { /* (a query interface column: as the driver binds it) */
        lua_Number d = lua_tonumber(L, i);
        if (isnan(d) || isinf(d)) bad_value(c, a, i, "(NaN or infinity)");
        if (sq_isinteger(L, i, &iv)) { v->kind = SQ_V_INT; v->u.i = iv; }
        else { v->kind = SQ_V_REAL; v->u.d = d; }
        return;
      }
      if (!a->loose && (t == LUA_TNUMBER || t == LUA_TBOOLEAN)) {
        /* Sequelize's BLOB writes Buffer.from(String(value)): 5 the byte "5", 1e21 "1e+21", true
         * "true" (a where compares those bytes too) */
        char *out = xalloc(c, SQ_JSON_NUMBER_MAX + 1);
        size_t len;
        if (t == LUA_TBOOLEAN) {
          len = lua_toboolean(L, i) ? 4 : 5;
          memcpy(out, lua_toboolean(L, i) ? "true" : "false", len + 1);
        } else {
          lua_Number d = lua_tonumber(L, i);
          if (isnan(d) || isinf(d)) bad_value(c, a, i, "(NaN or infinity)");
          len = number_as_text(L, i, out, sq_json_format_number);
        }
        v->kind = SQ_V_BLOB; v->u.s.p = out; v->u.s.n = len;
        return;
      }
      break;
    default: /* STRING, CHAR, TEXT, UUID, ENUM */
      if (a->stored_date && (t == LUA_TSTRING || t == LUA_TNUMBER)) {
        /* a query interface column declared as a DATE: a date (an ISO-8601 string, seconds
         * since the epoch) in the stored form; anything else as given (the driver's way) */
        long long ms;
        char tmp[40];
        int len;
        if (!date_ms(L, i, &ms) && (len = c->db->dialect->date_to_db(ms, tmp)) > 0) {
          char *out = xalloc(c, (size_t)len + 1);
          memcpy(out, tmp, (size_t)len);
          out[len] = '\0';
          v->kind = SQ_V_TEXT;
          v->u.s.p = out;
          v->u.s.n = (size_t)len;
          return;
        }
      }
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        if (!sq_v_is_utf8(s, n)) bad_value(c, a, i, "(not valid UTF-8)");
        if (a->type.kind == SQ_T_ENUM && !c->where_value) enum_check(c, i, a);
        v->kind = SQ_V_TEXT; v->u.s.p = s; v->u.s.n = n;
        return;
      }
      if (t == LUA_TNUMBER) {
        lua_Number d = lua_tonumber(L, i);
        if (isnan(d) || isinf(d)) bad_value(c, a, i, "(NaN or infinity)");
        if (a->type.kind == SQ_T_ENUM && !c->where_value) enum_check(c, i, a);
        if (!a->loose && (a->type.kind == SQ_T_STRING || a->type.kind == SQ_T_CHAR || a->type.kind == SQ_T_TEXT)) {
          /* a TEXT column: the number as text, the same under both builds and reading back
           * as the number (bound as a REAL, SQLite 3.40 would keep 15 digits: 0.1 + 0.2 as
           * "0.3"); a Lua 5.4 integer as its exact digits */
          char *out = xalloc(c, SQ_JSON_NUMBER_MAX + 1);
          size_t len = number_as_text(L, i, out, sq_format_number_text);
          v->kind = SQ_V_TEXT; v->u.s.p = out; v->u.s.n = len;
          return;
        }
        if (sq_isinteger(L, i, &iv)) { v->kind = SQ_V_INT; v->u.i = iv; }
        else { v->kind = SQ_V_REAL; v->u.d = d; }
        return;
      }
      break;
  }
  /* a boolean for a string or number type (Sequelize without typeValidation: the driver
   * binds 1 / 0, which a TEXT column stores as "1" / "0"); a query interface column too */
  if (t == LUA_TBOOLEAN && (a->loose || (a->type.kind != SQ_T_DATE && a->type.kind != SQ_T_DATEONLY &&
                                         a->type.kind != SQ_T_BLOB && a->type.kind != SQ_T_ENUM))) {
    v->kind = SQ_V_INT;
    v->u.i = lua_toboolean(L, i);
    return;
  }
  bad_value(c, a, i, NULL);
}

void to_db(ctx *c, int i, const sq_attr *a, sq_value *v) { to_db_t(c, i, lua_type(c->L, i), a, v); }

/* A value compared in a where. One a DATE, DATEONLY or BOOLEAN would refuse on a write is
 * compared as Sequelize 6 compares it, so the query matches no row rather than raising: a
 * date that does not parse (or is out of range) as the text 'Invalid date' (what moment
 * formats it as), any other BOOLEAN value as given ('maybe', 2). With typeValidation a DATE
 * or BOOLEAN raises as Sequelize's validators do (DATEONLY has none there). */
void to_db_where(ctx *c, int i, const sq_attr *a, sq_value *v) {
  lua_State *L = c->L;
  int t = lua_type(L, i);
  static const char invalid_date[] = "Invalid date";
  if (a->type.kind == SQ_T_DATEONLY || !c->db->type_validation) {
    switch (a->type.kind) {
      case SQ_T_DATE: {
        long long ms;
        char tmp[40];
        int r = date_ms_where(L, i, &ms);
        if (r > 0 || (r == 0 && c->db->dialect->date_to_db(ms, tmp) < 0)) {
          v->kind = SQ_V_TEXT; v->u.s.p = invalid_date; v->u.s.n = sizeof invalid_date - 1;
          return;
        }
        break;
      }
      case SQ_T_DATEONLY: {
        char out[16];
        int bad = 0;
        if (t == LUA_TSTRING) {
          size_t n; const char *s = lua_tolstring(L, i, &n);
          bad = sq_dateonly_normalise(s, n, out) < 0;
        } else if (t == LUA_TNUMBER) {
          long long ms;
          bad = date_ms(L, i, &ms) != 0;
        }
        if (bad) {
          v->kind = SQ_V_TEXT; v->u.s.p = invalid_date; v->u.s.n = sizeof invalid_date - 1;
          return;
        }
        break;
      }
      case SQ_T_BOOLEAN:
        if (t == LUA_TSTRING) {
          size_t n; const char *s = lua_tolstring(L, i, &n);
          if (strcmp(s, "true") && strcmp(s, "1") && strcmp(s, "false") && strcmp(s, "0")) {
            v->kind = sq_v_is_utf8(s, n) ? SQ_V_TEXT : SQ_V_BLOB;
            v->u.s.p = s; v->u.s.n = n;
            return;
          }
        } else if (t == LUA_TNUMBER) {
          long long iv;
          lua_Number d = lua_tonumber(L, i);
          if (sq_isinteger(L, i, &iv)) {
            if (iv != 0 && iv != 1) { v->kind = SQ_V_INT; v->u.i = iv; return; }
          } else if (!isnan(d) && !isinf(d)) {
            v->kind = SQ_V_REAL; v->u.d = d;
            return;
          }
        }
        break;
      default: break;
    }
  }
  c->where_value = 1; /* (an ENUM value outside the list is compared as given: no row matches) */
  to_db_t(c, i, t, a, v);
  c->where_value = 0;
}

/* A value with no attribute to guide it (fn arguments, raw replacements). */
void to_db_plain(lua_State *L, sq_db *db, int i, sq_value *v, const char *what) {
  long long iv;
  switch (lua_type(L, i)) {
    case LUA_TNIL: v->kind = SQ_V_NULL; return;
    case LUA_TBOOLEAN: v->kind = SQ_V_INT; v->u.i = lua_toboolean(L, i); return;
    case LUA_TNUMBER:
      if (sq_isinteger(L, i, &iv)) { v->kind = SQ_V_INT; v->u.i = iv; return; }
      v->kind = SQ_V_REAL;
      v->u.d = lua_tonumber(L, i);
      if (isnan(v->u.d) || isinf(v->u.d)) usage(L, db, "Invalid value for %s: NaN or infinity", what);
      return;
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, i, &n);
      (void)what;
      v->kind = sq_v_is_utf8(s, n) ? SQ_V_TEXT : SQ_V_BLOB; /* bytes that are not text bind as a blob */
      v->u.s.p = s;
      v->u.s.n = n;
      return;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, i) == NULL) { v->kind = SQ_V_NULL; return; }
      /* fallthrough */
    default:
      usage(L, db, "Invalid value for %s: expected a string, number, boolean or Sequelize.null, got %s", what,
            luaL_typename(L, i));
  }
}

/* ------------------------------------------------------------------------- */
/* the call's helpers: instance metatables, statements, contexts, options */

void get_instance_mt(lua_State *L, int modeli) {
  sq_getuservalue(L, modeli);
  lua_getfield(L, -1, "mt");
  lua_replace(L, -2);
}

void push_array_mt(lua_State *L) {
  lua_pushlightuserdata(L, (void *)&REG_ARRAYMT);
  lua_rawget(L, LUA_REGISTRYINDEX);
}

/* Does the value at idx carry the metatable kept in the registry under `key`? */
int has_registry_mt(lua_State *L, int idx, const char *key) {
  int r;
  if (!lua_getmetatable(L, idx)) return 0;
  lua_pushlightuserdata(L, (void *)key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  r = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return r;
}

/* A list: Sequelize.array_mt, or OpenResty's cjson.empty_array_mt (a table a handler marks
 * as a JSON array for cjson.encode is one here too) */
int has_array_mt(lua_State *L, int idx) {
  return has_registry_mt(L, idx, &REG_ARRAYMT) || has_registry_mt(L, idx, &REG_EMPTYARRAYMT);
}

/* Is the value at idx OpenResty's cjson.empty_array (a light userdata other than NULL)? */
int is_empty_array(lua_State *L, int idx) {
  int r;
  if (lua_type(L, idx) != LUA_TLIGHTUSERDATA || lua_touserdata(L, idx) == NULL) return 0;
  lua_pushlightuserdata(L, (void *)&REG_EMPTYARRAY);
  lua_rawget(L, LUA_REGISTRYINDEX);
  r = lua_rawequal(L, idx, -1);
  lua_pop(L, 1);
  return r;
}

/* Build, log, prepare and bind. Returns the statement or NULL (db->err set). */
sq_stmt *prepare_built(sq_db *db, sq_buf *sql, sq_binds *binds) {
  sq_stmt *st;
  if (sql->oom) { sq_err_oom(db); return NULL; }
  if (sq_db_log(db, sql->p, sql->len)) return NULL;
  st = sq_db_prepare(db, sql->p, sql->len);
  if (!st) return NULL;
  if (sq_bind_all(db, st, binds)) return NULL;
  if (sq_db_log_flush(db, sql->p, sql->len)) return NULL;
  return st;
}

/* A statement the model keeps (sq_kept), run again: logs its text and returns it reset,
 * or prepared anew when the statement cache was emptied since. NULL: db->err is set. */
sq_stmt *kept_stmt(sq_db *db, const sq_model *m, sq_kept *k) {
  if (sq_db_log(db, k->sql, k->len)) return NULL;
  if (!k->sql) { /* (the logger changed the model's attributes: sq_model_changed forgot it) */
    sq_err_set(db, SQ_E_USAGE, "%s: the model's attributes changed while its statement was logged", m->name);
    return NULL;
  }
  if (k->st && k->gen == db->cache_gen && !sq_stmt_busy(k->st)) {
    sq_stmt_reset(k->st);
    return k->st;
  }
  /* (stepped and not reset: sq_db_prepare tells one a call below still reads from one left so) */
  k->st = sq_db_prepare(db, k->sql, k->len);
  if (k->st) k->gen = db->cache_gen;
  return k->st;
}

/* Keep a statement just built and prepared by prepare_built (without memory for the copy
 * of its text, nothing is kept: the next call builds it again). */
void keep_stmt(sq_db *db, const sq_model *m, sq_kept *k, const unsigned char *set, const sq_buf *sql,
               sq_stmt *st) {
  if (db->view_m == m) return; /* (a Model.schema copy's statement names its own table) */
  if (sq_kept_set(k, m->nattrs, set, sql->p, sql->len)) return;
  k->st = st;
  k->gen = db->cache_gen;
}

void init_ctx(ctx *c, lua_State *L, sq_db *db, sq_model *m, logctx *lg) {
  memset(c, 0, sizeof *c);
  c->L = L;
  c->db = db;
  c->m = m;
  c->lg = lg; /* (release_ctx ends its call) */
  c->arena = new_arena(L);
  c->arena_idx = lua_gettop(L);
}

void release_ctx(ctx *c) {
  release_arena(c->L, c->arena, c->arena_idx);
  if (c->lg) end_call(c->db, c->lg);
}

int opts_index(lua_State *L, int i) {
  if (lua_isnoneornil(L, i)) return 0;
  luaL_checktype(L, i, LUA_TTABLE);
  return lua_absindex(L, i);
}

int opt_bool(lua_State *L, int opts, const char *key) {
  int r;
  if (!opts) return 0;
  lua_getfield(L, opts, key);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* opts[key] is the boolean true (an option JavaScript tests with `=== true`) */
int opt_true(lua_State *L, int opts, const char *key) {
  int r;
  if (!opts) return 0;
  lua_getfield(L, opts, key);
  r = lua_isboolean(L, -1) && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* ------------------------------------------------------------------------- */
/* transactions */

static int tx_call(lua_State *L, int (*fn)(sq_db *, const char *)) {
  dbbox *box = check_dbbox(L, 1);
  sq_db *db = box->db;
  const char *sp = luaL_optstring(L, 2, NULL);
  int opts = opts_index(L, 3), rc;
  logctx lg;
  /* (on a closed connection only a new transaction is refused here: the statements of one
   * begun before the close are logged and fail, sq_db's closed_tx) */
  if (!db || (fn == sq_db_begin && !sp)) check_db(L, 1);
  setup_call(L, db, &lg, 1, opts, 1);
  lg.qtype = LOG_TYPE_TX;
  if (!sp && opts && fn == sq_db_begin) {
    const char *type = NULL;
    lua_getfield(L, opts, "type");
    type = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (type && !strcmp(type, "IMMEDIATE")) sp = "\x01IMMEDIATE";
    else if (type && !strcmp(type, "EXCLUSIVE")) sp = "\x01EXCLUSIVE";
    else if (type && strcmp(type, "DEFERRED"))
      return usage(L, db, "Invalid transaction type '%s' (expected DEFERRED, IMMEDIATE or EXCLUSIVE)", type);
  }
  rc = fn(db, sp);
  if (!sq_db_is_open(db) || sq_conn_autocommit(db->conn)) { /* (a logger may have closed it) */
    if (db->tx_owned) tx_set_owner(L, db, 0);
  } else if (fn == sq_db_begin && !db->tx_owned) {
    tx_set_owner(L, db, 1);
  }
  if (rc) return raise_db(L, db);
  end_call(db, &lg);
  return 0;
}

/* core.isolation(db, level, opts): after the outermost BEGIN, the statement of the
 * transaction's isolationLevel (the dialect's; logged as the transaction's statements are) */
static int l_isolation(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *level = luaL_checkstring(L, 2);
  int opts = opts_index(L, 3);
  logctx lg;
  setup_call(L, db, &lg, 1, opts, 1);
  lg.qtype = LOG_TYPE_TX;
  if (sq_db_isolation(db, level)) return raise_db(L, db);
  end_call(db, &lg);
  return 0;
}

/* core.tx_check(db): the guard above, before the Lua layer picks the running transaction */
static int l_tx_check(lua_State *L) {
  sq_db *db = check_db(L, 1);
  tx_guard(L, db);
  return 0;
}

/* core.set_reaper(db, fn [, token]): fn() rolls back the transactions of an ended coroutine;
 * token() -> the request running (OpenResty), or nil. Weakly held: the Sequelize object
 * keeps them. */
static int l_set_reaper(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TFUNCTION);
  lua_settop(L, 3);
  push_weak_table(L, &REG_TXREAPER);
  lua_pushlightuserdata(L, b->db);
  lua_pushvalue(L, 2);
  lua_rawset(L, -3);
  push_weak_table(L, &REG_TXTOKENFN);
  lua_pushlightuserdata(L, b->db);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  return 0;
}

static int l_begin(lua_State *L) { return tx_call(L, sq_db_begin); }
static int l_commit(lua_State *L) { return tx_call(L, sq_db_commit); }
static int l_rollback(lua_State *L) { return tx_call(L, sq_db_rollback); }

static int l_in_transaction(lua_State *L) {
  sq_db *db = check_db(L, 1);
  lua_pushboolean(L, !sq_conn_autocommit(db->conn));
  return 1;
}

/* ------------------------------------------------------------------------- */
/* open / close / module */

/* The core's functions (a set keyed by the function values the module table holds) */
static const char REG_COREFNS = 0;

/* sq_nested_fn: is one of the core's functions on L's stack below the call running now (at
 * level 0)? Asked only when a cached statement is met stepped and not reset: then a call
 * below is reading its rows (this call runs from a __gc finalizer or a metamethod), or an
 * error unwound the call that stepped it. */
static int nested_call(void *ud) {
  lua_State *L = ud;
  lua_Debug ar;
  int level, found = 0;
  if (!L || !lua_checkstack(L, 3)) return 1; /* (unknown: the statement is left alone) */
  lua_pushlightuserdata(L, (void *)&REG_COREFNS);
  lua_rawget(L, LUA_REGISTRYINDEX);
  for (level = 1; !found && lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "f", &ar)) continue;
    if (lua_iscfunction(L, -1)) {
      lua_rawget(L, -2);
      found = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return found;
}

static int l_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int busy = (int)luaL_optinteger(L, 2, 5000);
  int flags = lua_toboolean(L, 3) ? SQ_OPEN_NO_FOREIGN_KEYS : 0; /* foreignKeys = false */
  const char *mode = luaL_optstring(L, 4, "create"); /* dialectOptions.mode, read by the Lua layer */
  if (!strcmp(mode, "readonly")) flags |= SQ_OPEN_READONLY;
  else if (!strcmp(mode, "readwrite")) flags |= SQ_OPEN_NO_CREATE;
  else if (strcmp(mode, "create")) return luaL_argerror(L, 4, "expected \"create\", \"readwrite\" or \"readonly\"");
  dbbox *b = sq_newuserdata(L, sizeof *b);
  sq_err e;
  b->db = NULL;
  luaL_setmetatable(L, DB_MT);
  lua_newtable(L);
  sq_setuservalue(L, -2);
  sq_err_init(&e);
  if (sq_db_open(&b->db, path, flags, &e)) {
    lua_pushlightuserdata(L, (void *)&REG_ERRFACTORY);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushstring(L, kind_name(e.kind == SQ_OK ? SQ_E_CONNECTION : e.kind));
    lua_pushlstring(L, sq_buf_cstr(&e.msg), e.msg.len);
    sq_err_free(&e);
    lua_newtable(L);
    lua_call(L, 3, 1);
    return lua_error(L);
  }
  sq_err_free(&e);
  sq_conn_busy_timeout(b->db->conn, busy); /* default 5000 ms; Sequelize.new{ busyTimeout = ms } */
  b->db->busy_ms = busy;
  b->db->nested = nested_call;
  return 1;
}

/* core.log_params(db, on): Sequelize's logQueryParameters (sq_db_log_params) */
static int l_log_params(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  if (b->db) sq_db_log_params(b->db, lua_toboolean(L, 2));
  return 0;
}

/* core.benchmark(db, on): Sequelize's benchmark: statements are logged once run, with their
 * elapsed ms as the logger's second argument (a call's own `benchmark` option wins) */
static int l_benchmark(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  if (b->db) b->db->bench_default = lua_toboolean(L, 2);
  return 0;
}

/* core.type_validation(db, on): Sequelize's typeValidation (sq_db_type_validation) */
static int l_type_validation(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  if (b->db) sq_db_type_validation(b->db, lua_toboolean(L, 2));
  return 0;
}

/* core.omit_null(db, on): Sequelize's omitNull (sq_db.omit_null) */
static int l_omit_null(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  if (b->db) sq_db_omit_null(b->db, lua_toboolean(L, 2));
  return 0;
}

/* core.query_hooks(db, fn or nil): the runner of the Sequelize object's beforeQuery and
 * afterQuery hooks (qhook_cb), or none */
static int l_query_hooks(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  int on = lua_isfunction(L, 2);
  if (!on) luaL_checktype(L, 2, LUA_TNIL);
  if (!b->db) return 0;
  push_weak_table(L, &REG_QHOOKS);
  lua_pushlightuserdata(L, b->db);
  lua_pushvalue(L, 2);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  b->db->qhooks = on;
  return 0;
}

static int l_close(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  if (b->db && b->db->in_afterq)
    usage(L, b->db, "an afterQuery hook cannot close the connection: the statement it follows has run, and "
                    "its results are still being read");
  if (b->db && b->db->log_ms >= 0) /* (the statement it logs is still held: closing would finalize it) */
    usage(L, b->db, "a benchmark logger cannot close the connection: the statement it logs has run, and its "
                    "results are still being read");
  if (b->db) {
    b->db->nested_ud = L;
    if (sq_db_reading(b->db)) /* (a __gc finalizer that ran while a call read its rows) */
      usage(L, b->db, "the connection cannot be closed while a query's rows are being read (close was called "
                      "from a __gc finalizer or a metamethod that ran during a query)");
  }
  if (b->db && b->db->tx_owned) tx_set_owner(L, b->db, 0);
  if (b->db) sq_db_close(b->db);
  return 0;
}

static int l_is_open(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  lua_pushboolean(L, sq_db_is_open(b->db));
  return 1;
}

/* The db is freed by the last of its boxes to go: the db box and every model box hold it.
 * lua_close finalizes everything, in no order the boxes' references decide: a finalizer that
 * runs after the db box's (an object made before the Sequelize object, say) and uses a model
 * finds its connection closed (an error), not freed memory. */
static int model_gc(lua_State *L) {
  modelbox *b = luaL_checkudata(L, 1, MODEL_MT);
  if (b->owned) sq_model_free(b->m); /* (a transient model: nothing else points at it) */
  if (b->table && b->db && b->db->view_table == b->table) { /* (no call names the freed text) */
    b->db->view_m = NULL;
    b->db->view_table = NULL;
  }
  free(b->table);
  b->table = NULL;
  b->m = NULL;
  if (b->unheld) { /* (listed, not counted: unlisted) */
    if (b->db) {
      if (b->prev) b->prev->next = b->next;
      else b->db->unheld = b->next;
      if (b->next) b->next->prev = b->prev;
    }
    b->prev = b->next = NULL;
    b->unheld = 0;
  } else {
    sq_db_release(b->db);
  }
  b->db = NULL;
  return 0;
}

/* sq_db_free's first step: the boxes that hold no ref let go of the db (and of their own
 * transient models), their memory still Lua's */
void sqb_unheld_drop(sq_db *db) {
  modelbox *b = db->unheld, *next;
  db->unheld = NULL;
  for (; b; b = next) {
    next = b->next;
    if (b->owned) sq_model_free(b->m);
    b->m = NULL;
    b->db = NULL;
    b->prev = b->next = NULL;
  }
}

static int db_gc(lua_State *L) {
  dbbox *b = luaL_checkudata(L, 1, DB_MT);
  if (b->db) {
    sq_db_close(b->db);
    sq_db_release(b->db);
  }
  b->db = NULL;
  return 0;
}

/* core.init{ error_factory = fn, expr_mt = mt, array_mt = mt, buffer_mt = mt
 *            [, empty_array_mt = mt, empty_array = lightuserdata, dv_sync = fn] } */
static int l_init(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushlightuserdata(L, (void *)&REG_ERRFACTORY);
  lua_getfield(L, 1, "error_factory");
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_EXPRMT);
  lua_getfield(L, 1, "expr_mt");
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_ARRAYMT);
  lua_getfield(L, 1, "array_mt");
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_BUFFERMT);
  lua_getfield(L, 1, "buffer_mt");
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_EMPTYARRAYMT);
  lua_getfield(L, 1, "empty_array_mt");
  if (!lua_istable(L, -1)) { lua_pop(L, 1); lua_pushnil(L); }
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_EMPTYARRAY);
  lua_getfield(L, 1, "empty_array");
  if (lua_type(L, -1) != LUA_TLIGHTUSERDATA || lua_touserdata(L, -1) == NULL) { lua_pop(L, 1); lua_pushnil(L); }
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_DVSYNC);
  lua_getfield(L, 1, "dv_sync");
  if (!lua_isfunction(L, -1)) { lua_pop(L, 1); lua_pushnil(L); }
  lua_rawset(L, LUA_REGISTRYINDEX);
  return 0;
}

/* core.ops() -> { eq = <key>, ne = ..., ... } */
static int l_ops(lua_State *L) {
  int k;
  lua_createtable(L, 0, OP_NKEYS);
  for (k = 0; k < OP_NKEYS; k++) {
    if (k == SQ_OP_NOTTREE) continue;
    lua_pushlightuserdata(L, (void *)&op_tags[k]);
    lua_setfield(L, -2, op_names[k]);
  }
  return 1;
}

static int l_is_utf8(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  lua_pushboolean(L, sq_v_is_utf8(s, n) && !memchr(s, '\0', n));
  return 1;
}

/* core.number_text(s) -> the number a string reads as in SQLite's arithmetic, decimal only
 * (no hex, inf or nan): an integer exactly (beyond 2^53 under LuaJIT: its decimal string),
 * else a double; nil for any other text.
 * core.int_key(s) -> the integer a key string of an integer attribute names, as SQLite's
 * INTEGER affinity reads that text: the same, but a double only when it is a whole number
 * within +-2^53 ("5.0", "1e0"); nil for any other text ("0x10", "abc", "2.5"), which is
 * then bound as given. */
static int number_text(lua_State *L, int whole) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  long long iv;
  double dv;
  switch (sq_number_text(s, n, &iv, &dv)) {
    case SQ_NUM_INT: push_i64(L, iv); return 1;
    case SQ_NUM_REAL:
      if (!whole) {
        lua_pushnumber(L, dv);
      } else {
        if (dv != floor(dv) || dv > 9007199254740992.0 || dv < -9007199254740992.0) return 0;
        sq_pushinteger(L, (long long)dv);
      }
      return 1;
    default: return 0;
  }
}
static int l_number_text(lua_State *L) { return number_text(L, 0); }
static int l_int_key(lua_State *L) { return number_text(L, 1); }

static int l_sqlite_version(lua_State *L) {
  lua_pushstring(L, sq_driver_version());
  return 1;
}

/* (word) -> fn(word), for the naming functions of inflect.c (they return malloc'd text) */
static int naming(lua_State *L, char *(*fn)(const char *)) {
  char *s = fn(luaL_checkstring(L, 1));
  if (!s) return luaL_error(L, "out of memory");
  lua_pushstring(L, s);
  free(s);
  return 1;
}

static int l_pluralize(lua_State *L) { return naming(L, sq_pluralize); }
static int l_singularize(lua_State *L) { return naming(L, sq_singularize); }
static int l_underscore(lua_State *L) { return naming(L, sq_underscore); }
static int l_upper_first(lua_State *L) { return naming(L, sq_upper_first); }

/* core.camelize(word) -> Sequelize's Utils.camelize(word), and whether Sequelize throws on it
 * (a trailing separator: "foo_" gives "foo", true) */
static int l_camelize(lua_State *L) {
  const char *w = luaL_checkstring(L, 1);
  naming(L, sq_camelize);
  lua_pushboolean(L, sq_camelize_dangles(w));
  return 2;
}

/* core.uuidv4() -> a random version-4 UUID (SQLite's generator, seeded per process) */
static int l_uuidv4(lua_State *L) {
  unsigned char rnd[16];
  char out[37];
  sq_driver_random(16, rnd);
  sq_uuid_v4_format(rnd, out);
  lua_pushlstring(L, out, 36);
  return 1;
}

/* core.now() -> the time now in the ISO form instances hold dates in (a paranoid row's
 * deletedAt) */
static int l_now(lua_State *L) {
  char out[32];
  int n = sq_date_format_iso(sq_now_ms(), out);
  if (n < 0) return luaL_error(L, "the clock is out of range");
  lua_pushlstring(L, out, (size_t)n);
  return 1;
}

static const luaL_Reg core_funcs[] = {
  {"init", l_init},
  {"uuidv4", l_uuidv4},
  {"now", l_now},
  {"ops", l_ops},
  {"open", l_open}, {"log_params", l_log_params}, {"query_hooks", l_query_hooks}, {"benchmark", l_benchmark}, {"tx_check", l_tx_check}, {"set_reaper", l_set_reaper}, {"type_validation", l_type_validation}, {"omit_null", l_omit_null},
  {"close", l_close},
  {"is_open", l_is_open},
  {"begin", l_begin},
  {"isolation", l_isolation},
  {"commit", l_commit},
  {"rollback", l_rollback},
  {"in_transaction", l_in_transaction},
  {"sqlite_version", l_sqlite_version},
  {"is_name", l_is_utf8}, {"int_key", l_int_key}, {"number_text", l_number_text},
  {"pluralize", l_pluralize},
  {"singularize", l_singularize},
  {"underscore", l_underscore},
  {"upper_first", l_upper_first},
  {"camelize", l_camelize},
  {NULL, NULL}};

int luaopen_sequelua_core(lua_State *L);

/* Keep this library loaded until the process ends. LuaJIT's lua_close finalizes in passes and
 * unloads C libraries in the first: a finalizer of that pass that queries (a guard object
 * flushing at exit) makes userdata with finalizers here (a call's arena, a statement box),
 * which the next pass would run from unmapped code. */
static void pin_library(void) {
#if defined(RTLD_NODELETE) && defined(RTLD_NOLOAD)
  Dl_info info;
  if (dladdr((void *)(uintptr_t)&luaopen_sequelua_core, &info) && info.dli_fname)
    (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE); /* (a handle never closed) */
#endif
}

/* Is the function running (level 0) called by itself (level 1)? call_guard's protected call of
 * its own closure, which then runs the function as an ordinary call does */
static int guard_reentered(lua_State *L) {
  lua_Debug ar;
  int same;
  if (!lua_getstack(L, 1, &ar) || !lua_getinfo(L, "f", &ar)) return 0;
  if (!lua_getstack(L, 0, &ar) || !lua_getinfo(L, "f", &ar)) {
    lua_pop(L, 1);
    return 0;
  }
  same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

/* Every function of the module runs through call_guard (upvalues: the function, the db box's
 * and the model box's metatables). A call made inside another (from a __gc finalizer, a
 * metamethod or a logger, while the other runs) sets up its own per-call state over that
 * one's (setup_log keeps the outer's aside) and gives it back when it ends, normally or by
 * one of the library's errors (end_call, raised). A plain Lua error (a bind table whose
 * __index raises, a type check) would unwind it past both, leaving the outer call its logger
 * and hook context pointing into the nested call's finished C frame: so such a call runs
 * protected, and gives back whatever state it kept aside before its error goes on. Other calls
 * pay a type test (a box as first argument: a metatable compare and a flag). */
static int call_guard(lua_State *L) {
  lua_CFunction f = lua_tocfunction(L, lua_upvalueindex(1));
  sq_db *db = NULL;
  lua_Debug ar;
  int n, base;
  if (lua_type(L, 1) == LUA_TUSERDATA && lua_getmetatable(L, 1)) {
    const void *mt = lua_topointer(L, -1);
    if (mt == lua_topointer(L, lua_upvalueindex(3)) || mt == lua_topointer(L, lua_upvalueindex(2)))
      db = *(sq_db **)lua_touserdata(L, 1); /* (dbbox and modelbox both begin with the db) */
    lua_pop(L, 1);
  }
  if (!db || !db->call_active || guard_reentered(L) || !nested_call(L)) return f(L);
  n = lua_gettop(L);
  base = db->nnest;
  luaL_checkstack(L, 2, NULL);
  lua_pushvalue(L, 1); /* (the box, held below the call: its db outlives it) */
  lua_insert(L, 1);
  /* (this closure, not f: the function a bad argument's error names is the module's,
   * `sequelua.core.query`, not '?') */
  if (!lua_getstack(L, 0, &ar) || !lua_getinfo(L, "f", &ar)) return luaL_error(L, "sequelua: no call frame");
  lua_insert(L, 2);
  if (lua_pcall(L, n, LUA_MULTRET, 0) != 0) {
    if (db->nnest > base) { /* (else it gave the state back itself: raised) */
      pending_after_query(L, db); /* (its statement's, the state being still its own) */
      while (db->nnest > base) restore_outer(db);
    }
    return lua_error(L);
  }
  return lua_gettop(L) - 1;
}

static void guard_module(lua_State *L) {
  int t = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_iscfunction(L, -1)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      luaL_getmetatable(L, DB_MT);
      luaL_getmetatable(L, MODEL_MT);
      lua_pushcclosure(L, call_guard, 3);
      lua_rawset(L, t); /* (a key's value replaced during lua_next: allowed) */
    } else {
      lua_pop(L, 1);
    }
  }
}

#if defined(_WIN32)
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int luaopen_sequelua_core(lua_State *L) {
  luaL_newmetatable(L, DB_MT);
  lua_pushcfunction(L, db_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, MODEL_MT);
  lua_pushcfunction(L, model_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, ARENA_MT);
  lua_pushcfunction(L, arena_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_pushlightuserdata(L, (void *)&REG_LOG_CALL);
  lua_createtable(L, 2, 0);
  lua_pushcfunction(L, log_call);
  lua_rawseti(L, -2, 1);
  lua_pushcfunction(L, qhook_call);
  lua_rawseti(L, -2, 2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  luaL_setfuncs(L, core_funcs, 0);
  sqb_open_read(L);
  sqb_open_write(L);
  sqb_open_model(L);
  sqb_open_json(L);
  sqb_open_validate(L);
  sqb_open_qi(L);
  guard_module(L);
  lua_pushlightuserdata(L, NULL);
  lua_setfield(L, -2, "null");
  /* the set nested_call looks the stack's C functions up in; a second load of the module
   * (package.loaded cleared) adds its functions to it: LuaJIT makes new function values, and
   * the connections opened by the first load still call theirs */
  lua_pushlightuserdata(L, (void *)&REG_COREFNS);
  lua_pushvalue(L, -1);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  lua_pushnil(L);
  while (lua_next(L, -4)) { /* (the module table) */
    if (lua_iscfunction(L, -1)) {
      lua_pushboolean(L, 1);
      lua_rawset(L, -4);
    } else {
      lua_pop(L, 1);
    }
  }
  lua_rawset(L, LUA_REGISTRYINDEX);
  pin_library();
  return 1;
}
