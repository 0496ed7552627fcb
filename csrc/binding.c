/* binding.c: the only file that includes lua.h. It turns Lua option tables into core
 * specs (models, where trees, select specs), runs them through the core, and turns
 * result rows into Lua tables straight from sqlite3_column_* (no intermediate copies,
 * no Lua calls per row). It also raises core errors as Lua error objects, hosts the
 * JSON encoder/decoder glue and the C side of validation.
 *
 * Instances are one Lua table each: slots 1..n hold attribute values in column order
 * (NULL as the light userdata Sequelize.null, nil when not loaded), t[0] holds a shared
 * shape table when a query selected extra keys, t[-1] the previous values of changed
 * attributes (created on the first change), and the raw key isNewRecord is true for
 * unsaved instances. The per-model metatable (made in Lua) carries __model.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "dialect.h"
#include "json.h"
#include "query.h"
#include "sq.h"
#include "validate.h"
#include "value.h"
#include "inflect.h"

#define DB_MT "sequelua.db"
#define MODEL_MT "sequelua.model"
#define ARENA_MT "sequelua.arena"

/* registry keys: addresses of these are unique */
static const char REG_ERRFACTORY = 0, REG_EXPRMT = 0, REG_ARRAYMT = 0;
/* Op keys: light userdata pointing into this array */
static const char op_tags[SQ_OP_COUNT] = {0};
static const char *const op_names[SQ_OP_COUNT] = {
  "eq", "ne", "is", "not", "gt", "gte", "lt", "lte", "between", "notBetween", "in", "notIn",
  "like", "notLike", "startsWith", "endsWith", "substring", "and", "or", "notTree"};

typedef struct dbbox { sq_db *db; } dbbox;
typedef struct modelbox { sq_db *db; sq_model *m; } modelbox;

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
    case SQ_E_OOM: return "oom";
    default: return "database";
  }
}

/* Raise an error object built by the Lua error factory. */
static int raise_err(lua_State *L, sq_err *e) {
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
    lua_pushstring(L, sqlite3_errstr(e->code));
    lua_setfield(L, -2, "codeName");
  }
  if (e->detail.len) {
    lua_pushlstring(L, sq_buf_cstr(&e->detail), e->detail.len);
    lua_setfield(L, -2, "detail");
  }
  lua_call(L, 3, 1);
  return lua_error(L);
}

static int raise_db(lua_State *L, sq_db *db) { return raise_err(L, &db->err); }

static int usage(lua_State *L, sq_db *db, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int usage(lua_State *L, sq_db *db, const char *fmt, ...) {
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

static dbbox *check_dbbox(lua_State *L, int i) { return luaL_checkudata(L, i, DB_MT); }

static sq_db *check_db(lua_State *L, int i) {
  dbbox *b = check_dbbox(L, i);
  if (!b->db) luaL_error(L, "sequelua: database handle is gone");
  if (!sq_db_is_open(b->db)) {
    sq_err_set(b->db, SQ_E_USAGE,
               "ConnectionManager.getConnection was called after the connection manager was closed!");
    raise_db(L, b->db);
  }
  return b->db;
}

static modelbox *check_modelbox(lua_State *L, int i) { return luaL_checkudata(L, i, MODEL_MT); }

static sq_model *check_model(lua_State *L, int i) {
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
  sq_arena_free(a);
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

typedef struct logctx {
  lua_State *L;
  int fn;          /* stack index of the logger, 0 for none */
  int txid;        /* stack index of a transaction id string, 0 for default */
} logctx;

static void log_cb(void *ud, const char *sql, size_t len) {
  logctx *c = ud;
  lua_State *L = c->L;
  if (!c->fn) return;
  lua_pushvalue(L, c->fn);
  lua_pushliteral(L, "Executing (");
  if (c->txid) lua_pushvalue(L, c->txid);
  else lua_pushliteral(L, "default");
  lua_pushliteral(L, "): ");
  lua_pushlstring(L, sql, len);
  lua_concat(L, 4);
  lua_call(L, 1, 0);
}

/* Set up logging for a call: `opts` is the stack index of the options table (or 0),
 * `dbi` the stack index of the db box or of a model box. Pushes up to two values. */
static void setup_log(lua_State *L, sq_db *db, logctx *c, int boxi, int opts) {
  c->L = L;
  c->fn = 0;
  c->txid = 0;
  if (opts && lua_istable(L, opts)) {
    lua_getfield(L, opts, "transaction");
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "finished");
      if (lua_type(L, -1) == LUA_TSTRING) {
        const char *state = lua_tostring(L, -1);
        const char *id;
        lua_getfield(L, -2, "id");
        id = lua_tostring(L, -1);
        usage(L, db, "%s has been called on this transaction(%s), you can no longer use it. "
              "(The rejected query is attached as the 'sql' property of this error)", state, id ? id : "?");
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "id");
      lua_replace(L, -2);
      if (lua_type(L, -1) == LUA_TSTRING) c->txid = lua_gettop(L);
      else lua_pop(L, 1);
    } else {
      lua_pop(L, 1);
    }
    lua_getfield(L, opts, "logging");
    if (lua_isfunction(L, -1)) {
      c->fn = lua_gettop(L);
    } else if (lua_toboolean(L, -1) == 0 && !lua_isnil(L, -1)) {
      lua_pop(L, 1);
      db->log = NULL;
      return;
    } else {
      lua_pop(L, 1);
    }
  }
  if (!c->fn) {
    sq_getuservalue(L, boxi);
    lua_getfield(L, -1, "logging");
    lua_replace(L, -2);
    if (lua_isfunction(L, -1)) c->fn = lua_gettop(L);
    else lua_pop(L, 1);
  }
  db->log = c->fn ? log_cb : NULL;
  db->log_ud = c;
}

/* ------------------------------------------------------------------------- */
/* expression objects made by Sequelize.fn/col/literal/where (tables whose metatable
 * is the registered expression metatable: JSON input cannot forge one) */

static int is_expr(lua_State *L, int i) {
  int r;
  if (!lua_istable(L, i) || !lua_getmetatable(L, i)) return 0;
  lua_pushlightuserdata(L, (void *)&REG_EXPRMT);
  lua_rawget(L, LUA_REGISTRYINDEX);
  r = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return r;
}

static int op_of(lua_State *L, int i) {
  const char *p;
  if (lua_type(L, i) != LUA_TLIGHTUSERDATA) return -1;
  p = lua_touserdata(L, i);
  if (p >= op_tags && p < op_tags + SQ_OP_COUNT) return (int)(p - op_tags);
  return -1;
}

static int is_null(lua_State *L, int i) {
  return lua_type(L, i) == LUA_TLIGHTUSERDATA && lua_touserdata(L, i) == NULL;
}

/* ------------------------------------------------------------------------- */
/* the call context */

typedef struct ctx {
  lua_State *L;
  sq_db *db;
  sq_model *m;
  sq_arena *arena;
  int arena_idx;        /* its userdata's stack slot */
  const char *qual;     /* alias qualifying attribute references, or NULL */
  sq_select *sel;       /* for alias lookups in having/order */
  int depth;            /* nesting of where/expression tables being parsed */
} ctx;

#define SQ_MAX_NESTING 64

static void enter(ctx *c, const char *what) {
  if (++c->depth > SQ_MAX_NESTING || !lua_checkstack(c->L, 16))
    usage(c->L, c->db, "Invalid %s on %s: nested deeper than %d levels (or cyclic)", what, c->m->name,
          SQ_MAX_NESTING);
}

static sq_include *find_include(sq_include **inc, int ninc, const char *path, size_t n);
static sq_expr *include_attr_expr(ctx *c, const char *s, size_t n, const sq_attr **attr_out);
static int opt_bool(lua_State *L, int opts, const char *key);

static void *xalloc(ctx *c, size_t n) {
  void *p = sq_arena_alloc(c->arena, n);
  if (!p) {
    sq_err_oom(c->db);
    raise_db(c->L, c->db);
  }
  return p;
}

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
static int bad_value(ctx *c, const sq_attr *a, int i, const char *why) {
  sq_err_set(c->db, SQ_E_VALUE, "Invalid value for %s.%s: expected %s, got %s%s%s", c->m ? c->m->name : "?",
             a->name, type_expect(a->type.kind), lua_typename_at(c->L, i), why ? " " : "", why ? why : "");
  sq_buf_adds(&c->db->err.detail, a->name);
  return raise_db(c->L, c->db);
}

static void encode_json_value(lua_State *L, sq_db *db, int idx, sq_buf *b);

/* Convert the Lua value at i into a database value for attribute a. Text pointers
 * borrow from Lua strings on the stack or point into the arena. */
static void to_db(ctx *c, int i, const sq_attr *a, sq_value *v) {
  lua_State *L = c->L;
  int t = lua_type(L, i);
  long long iv;
  if (t == LUA_TNIL || is_null(L, i)) { v->kind = SQ_V_NULL; return; }
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
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        if (sq_date_parse(s, n, &ms) && sq_date_parse_js(s, n, &ms)) bad_value(c, a, i, "(not a valid date)");
      } else if (t == LUA_TNUMBER) {
        lua_Number d = lua_tonumber(L, i);
        if (isnan(d) || isinf(d) || fabs(d) > 253402300799.0) bad_value(c, a, i, "(out of range)");
        ms = (long long)llround(d * 1000.0);
      } else {
        break;
      }
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
      encode_json_value(L, c->db, i, &b); /* raises on failure (frees b first) */
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
      break;
    default: /* STRING, CHAR, TEXT, UUID, ENUM */
      if (t == LUA_TSTRING) {
        size_t n; const char *s = lua_tolstring(L, i, &n);
        if (!sq_v_is_utf8(s, n)) bad_value(c, a, i, "(not valid UTF-8)");
        v->kind = SQ_V_TEXT; v->u.s.p = s; v->u.s.n = n;
        return;
      }
      if (t == LUA_TNUMBER) {
        lua_Number d = lua_tonumber(L, i);
        if (isnan(d) || isinf(d)) bad_value(c, a, i, "(NaN or infinity)");
        if (sq_isinteger(L, i, &iv)) { v->kind = SQ_V_INT; v->u.i = iv; }
        else { v->kind = SQ_V_REAL; v->u.d = d; }
        return;
      }
      break;
  }
  bad_value(c, a, i, NULL);
}

/* A value with no attribute to guide it (fn arguments, raw replacements). */
static void to_db_plain(lua_State *L, sq_db *db, int i, sq_value *v, const char *what) {
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
/* expressions */

static sq_attr *find_attr(ctx *c, const char *name, size_t n, const char *where) {
  sq_attr *a = sq_model_attr(c->m, name, n);
  if (!a) usage(c->L, c->db, "Unknown attribute '%.*s' in %s of model %s", (int)(n > 200 ? 200 : n), name, where,
                c->m->name);
  return a;
}

static sq_expr *new_expr(ctx *c, sq_xkind k) {
  sq_expr *x = xalloc(c, sizeof *x);
  x->kind = k;
  return x;
}

static sq_expr *attr_expr(ctx *c, const sq_attr *a) {
  sq_expr *x = new_expr(c, SQ_X_ATTR);
  x->attr = a;
  x->qual = c->qual;
  return x;
}

static sq_expr *parse_expr(ctx *c, int i, const char *where);

/* A column reference by name: a model attribute, or a dotted/unknown path through col. */
static sq_expr *name_expr(ctx *c, const char *s, size_t n, const char *where) {
  sq_attr *a = sq_model_attr(c->m, s, n);
  if (a) return attr_expr(c, a);
  if (c->sel) {
    int k;
    for (k = 0; k < c->sel->ncols; k++) {
      const char *as = c->sel->cols[k].as;
      if (as && strlen(as) == n && !memcmp(as, s, n)) {
        sq_expr *x = new_expr(c, SQ_X_ALIAS);
        x->name = as;
        x->nlen = n;
        return x;
      }
    }
  }
  find_attr(c, s, n, where);
  return NULL;
}

/* An object from Sequelize.fn/col/literal, or a plain value. */
static sq_expr *parse_expr_in(ctx *c, int i, const char *where);

static sq_expr *parse_expr(ctx *c, int i, const char *where) {
  sq_expr *x;
  enter(c, where);
  x = parse_expr_in(c, i, where);
  c->depth--;
  return x;
}

static sq_expr *parse_expr_in(ctx *c, int i, const char *where) {
  lua_State *L = c->L;
  sq_expr *x;
  i = lua_absindex(L, i);
  if (is_expr(L, i)) {
    const char *kind;
    lua_getfield(L, i, "kind");
    kind = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!kind) usage(L, c->db, "malformed expression object in %s", where);
    if (!strcmp(kind, "col")) {
      size_t n;
      const char *s;
      lua_getfield(L, i, "col");
      s = lua_tolstring(L, -1, &n);
      lua_pop(L, 1); /* the string stays alive in the object */
      if (!s) usage(L, c->db, "Sequelize.col needs a column name");
      if (!memchr(s, '.', n) && !(n == 1 && s[0] == '*')) {
        sq_attr *a = sq_model_attr(c->m, s, n);
        if (a) return attr_expr(c, a);
      }
      x = new_expr(c, SQ_X_COL);
      x->name = s;
      x->nlen = n;
      return x;
    }
    if (!strcmp(kind, "literal")) {
      x = new_expr(c, SQ_X_LITERAL);
      lua_getfield(L, i, "val");
      x->name = lua_tolstring(L, -1, &x->nlen);
      lua_pop(L, 1);
      if (!x->name) usage(L, c->db, "Sequelize.literal needs a string");
      return x;
    }
    if (!strcmp(kind, "fn")) {
      int n, k;
      x = new_expr(c, SQ_X_FN);
      lua_getfield(L, i, "fn");
      x->name = lua_tolstring(L, -1, &x->nlen);
      lua_pop(L, 1);
      if (!x->name) usage(L, c->db, "Sequelize.fn needs a function name");
      lua_getfield(L, i, "args");
      n = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) : 0;
      x->args = xalloc(c, sizeof(sq_expr *) * (size_t)(n ? n : 1));
      x->nargs = n;
      for (k = 0; k < n; k++) {
        lua_rawgeti(L, -1, k + 1);
        if (lua_type(L, -1) == LUA_TSTRING && !strcmp(x->name, "COUNT") && !strcmp(lua_tostring(L, -1), "*")) {
          x->args[k] = new_expr(c, SQ_X_STAR);
        } else {
          x->args[k] = parse_expr(c, -1, where);
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      return x;
    }
    usage(L, c->db, "a Sequelize.%s object cannot be used as a value in %s", kind, where);
  }
  x = new_expr(c, SQ_X_VALUE);
  to_db_plain(L, c->db, i, &x->v, where);
  return x;
}

/* ------------------------------------------------------------------------- */
/* where */

static sq_where *new_node(ctx *c, sq_wkind k, int nkids) {
  sq_where *w = xalloc(c, sizeof *w);
  w->kind = k;
  if (nkids) w->kids = xalloc(c, sizeof(sq_where *) * (size_t)nkids);
  return w;
}

static sq_where *parse_where_table(ctx *c, int i);

static sq_expr *value_for(ctx *c, int i, const sq_attr *a, const char *where) {
  if (is_expr(c->L, i)) return parse_expr(c, i, where);
  {
    sq_expr *x = new_expr(c, SQ_X_VALUE);
    if (a) to_db(c, i, a, &x->v);
    else to_db_plain(c->L, c->db, i, &x->v, where);
    return x;
  }
}

static int is_sequence(lua_State *L, int i) {
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

static const char *attr_label(ctx *c, const sq_attr *a) { return a ? a->name : c->m->name; }

static sq_where *cmp_node(ctx *c, sq_expr *lhs, const sq_attr *a, sq_op op, int vi);

/* Conditions on one column: `v` is a scalar, NULL, a list, an expression, or a table of
 * Op keys. */
static sq_where *parse_cond_in(ctx *c, sq_expr *lhs, const sq_attr *a, int vi);

static sq_where *parse_cond(ctx *c, sq_expr *lhs, const sq_attr *a, int vi) {
  sq_where *w;
  enter(c, "where");
  w = parse_cond_in(c, lhs, a, vi);
  c->depth--;
  return w;
}

static sq_where *parse_cond_in(ctx *c, sq_expr *lhs, const sq_attr *a, int vi) {
  lua_State *L = c->L;
  vi = lua_absindex(L, vi);
  if (lua_istable(L, vi) && !is_expr(L, vi)) {
    int nops = 0, nother = 0, k;
    sq_where *w;
    lua_pushnil(L);
    while (lua_next(L, vi)) {
      lua_pop(L, 1);
      if (op_of(L, -1) >= 0) nops++;
      else if (lua_type(L, -1) == LUA_TSTRING)
        usage(L, c->db, "Invalid where on %s.%s: the key '%s' is not an operator (use Sequelize.Op keys)",
              c->m->name, attr_label(c, a), lua_tostring(L, -1));
      else nother++;
    }
    if (nops == 0) {
      /* a list: IN */
      if (!is_sequence(L, vi))
        usage(L, c->db, "Invalid where on %s.%s: expected a list of values or a table of Op keys", c->m->name,
              attr_label(c, a));
      return cmp_node(c, lhs, a, SQ_OP_IN, vi);
    }
    if (nother)
      usage(L, c->db, "Invalid where on %s.%s: a table mixes Op keys and list items", c->m->name, attr_label(c, a));
    w = new_node(c, SQ_W_AND, nops);
    for (k = 0; k < SQ_OP_COUNT; k++) { /* Op order makes the SQL text stable */
      lua_pushlightuserdata(L, (void *)&op_tags[k]);
      lua_rawget(L, vi);
      if (!lua_isnil(L, -1)) {
        sq_where *kid;
        if (k == SQ_OP_AND || k == SQ_OP_OR) {
          int top = lua_gettop(L), j, n;
          if (!lua_istable(L, top) || is_expr(L, top))
            usage(L, c->db, "Invalid where on %s.%s: Op.%s needs a list", c->m->name, attr_label(c, a), op_names[k]);
          if (!is_sequence(L, top)) {
            /* { [Op.and] = { [Op.gt] = 2, [Op.lt] = 8 } }: each operator is one term */
            kid = parse_cond(c, lhs, a, top);
            if (kid->kind == SQ_W_AND) kid->kind = k == SQ_OP_AND ? SQ_W_AND : SQ_W_OR;
            w->kids[w->nkids++] = kid;
            lua_pop(L, 1);
            continue;
          }
          n = (int)sq_rawlen(L, top);
          kid = new_node(c, k == SQ_OP_AND ? SQ_W_AND : SQ_W_OR, n);
          for (j = 0; j < n; j++) {
            lua_rawgeti(L, top, j + 1);
            kid->kids[kid->nkids++] = (lua_istable(L, -1) && !is_expr(L, -1) && !is_sequence(L, -1))
                                          ? parse_cond(c, lhs, a, -1)
                                          : cmp_node(c, lhs, a, SQ_OP_EQ, lua_gettop(L));
            lua_pop(L, 1);
          }
        } else if (k == SQ_OP_NOT && lua_istable(L, -1) && !is_expr(L, -1)) {
          kid = new_node(c, SQ_W_NOT, 1);
          kid->kids[kid->nkids++] = parse_cond(c, lhs, a, -1);
        } else if (k == SQ_OP_NOTTREE) {
          kid = new_node(c, SQ_W_NOT, 1);
          kid->kids[kid->nkids++] = parse_cond(c, lhs, a, -1);
        } else {
          kid = cmp_node(c, lhs, a, (sq_op)k, lua_gettop(L));
        }
        w->kids[w->nkids++] = kid;
      }
      lua_pop(L, 1);
    }
    return w->nkids == 1 ? w->kids[0] : w;
  }
  return cmp_node(c, lhs, a, SQ_OP_EQ, vi);
}

static sq_where *cmp_node(ctx *c, sq_expr *lhs, const sq_attr *a, sq_op op, int vi) {
  lua_State *L = c->L;
  sq_where *w = new_node(c, SQ_W_CMP, 0);
  const char *label = attr_label(c, a);
  w->lhs = lhs;
  w->op = op;
  vi = lua_absindex(L, vi);
  switch (op) {
    case SQ_OP_IN:
    case SQ_OP_NOTIN:
    case SQ_OP_BETWEEN:
    case SQ_OP_NOTBETWEEN: {
      int n, j;
      if (!lua_istable(L, vi) || is_expr(L, vi)) {
        if (op == SQ_OP_IN || op == SQ_OP_NOTIN) {
          if (is_expr(L, vi)) { /* IN (literal) */
            w->nrhs = 1;
            w->rhs = xalloc(c, sizeof(sq_expr *));
            w->rhs[0] = parse_expr(c, vi, label);
            return w;
          }
        }
        usage(L, c->db, "Invalid where on %s.%s: Op.%s needs a list", c->m->name, label, op_names[op]);
      }
      n = (int)sq_rawlen(L, vi);
      if ((op == SQ_OP_BETWEEN || op == SQ_OP_NOTBETWEEN) && n != 2)
        usage(L, c->db, "Invalid where on %s.%s: Op.%s needs two values", c->m->name, label, op_names[op]);
      w->rhs = xalloc(c, sizeof(sq_expr *) * (size_t)(n ? n : 1));
      for (j = 0; j < n; j++) {
        lua_rawgeti(L, vi, j + 1);
        if (lua_istable(L, -1) && !is_expr(L, -1))
          usage(L, c->db, "Invalid where on %s.%s: nested table inside a list", c->m->name, label);
        w->rhs[w->nrhs++] = value_for(c, -1, a, label);
        lua_pop(L, 1);
      }
      return w;
    }
    case SQ_OP_LIKE: case SQ_OP_NOTLIKE: case SQ_OP_STARTSWITH: case SQ_OP_ENDSWITH: case SQ_OP_SUBSTRING: {
      w->nrhs = 1;
      w->rhs = xalloc(c, sizeof(sq_expr *));
      if (is_expr(L, vi)) w->rhs[0] = parse_expr(c, vi, label);
      else {
        w->rhs[0] = new_expr(c, SQ_X_VALUE);
        if (lua_type(L, vi) != LUA_TSTRING && lua_type(L, vi) != LUA_TNUMBER)
          usage(L, c->db, "Invalid where on %s.%s: Op.%s needs a string, got %s", c->m->name, label, op_names[op],
                luaL_typename(L, vi));
        to_db_plain(L, c->db, vi, &w->rhs[0]->v, label);
        if (w->rhs[0]->v.kind == SQ_V_BLOB && a) bad_value(c, a, vi, "(not valid UTF-8)");
      }
      return w;
    }
    default:
      if (lua_istable(L, vi) && !is_expr(L, vi))
        usage(L, c->db, "Invalid where on %s.%s: Op.%s needs a single value, got a table", c->m->name, label,
              op_names[op]);
      w->nrhs = 1;
      w->rhs = xalloc(c, sizeof(sq_expr *));
      if ((op == SQ_OP_IS || op == SQ_OP_NOT) && lua_type(L, vi) == LUA_TBOOLEAN) {
        w->rhs[0] = new_expr(c, SQ_X_VALUE);
        w->rhs[0]->v.kind = SQ_V_INT;
        w->rhs[0]->v.u.i = lua_toboolean(L, vi);
      } else {
        w->rhs[0] = value_for(c, vi, a, label);
      }
      return w;
  }
}

/* A Sequelize.where(lhs, cond) object or a literal used as a condition. */
static sq_where *parse_where_expr(ctx *c, int i) {
  lua_State *L = c->L;
  const char *kind;
  i = lua_absindex(L, i);
  lua_getfield(L, i, "kind");
  kind = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (kind && !strcmp(kind, "where")) {
    sq_expr *lhs;
    sq_where *w;
    const sq_attr *a = NULL;
    lua_getfield(L, i, "lhs");
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      a = find_attr(c, s, n, "where");
      lhs = attr_expr(c, a);
    } else {
      lhs = parse_expr(c, -1, "where");
      if (lhs->kind == SQ_X_ATTR) a = lhs->attr;
    }
    lua_getfield(L, i, "cmp");
    w = parse_cond(c, lhs, a, -1);
    lua_pop(L, 2);
    return w;
  }
  if (kind && !strcmp(kind, "literal")) {
    sq_where *w = new_node(c, SQ_W_EXPR, 0);
    w->expr = parse_expr(c, i, "where");
    return w;
  }
  usage(L, c->db, "Invalid where on %s: a Sequelize.%s object is not a condition", c->m->name, kind ? kind : "?");
  return NULL;
}

static sq_where *parse_where_any(ctx *c, int i) {
  lua_State *L = c->L;
  sq_where *w;
  enter(c, "where");
  if (is_expr(L, i)) w = parse_where_expr(c, i);
  else if (lua_istable(L, i)) w = parse_where_table(c, i);
  else w = NULL;
  c->depth--;
  if (w) return w;
  usage(L, c->db, "Invalid where on %s: expected a table, got %s", c->m->name, luaL_typename(L, i));
  return NULL;
}

/* A group of where items under Op.and / Op.or: a list of where tables, or one table
 * whose keys are each a condition. */
static sq_where *parse_group(ctx *c, int i, sq_wkind kind) {
  lua_State *L = c->L;
  sq_where *w;
  i = lua_absindex(L, i);
  if (is_expr(L, i)) {
    w = new_node(c, kind, 1);
    w->kids[w->nkids++] = parse_where_expr(c, i);
    return w;
  }
  if (!lua_istable(L, i)) usage(L, c->db, "Invalid where on %s: Op.and/Op.or need a table", c->m->name);
  if (is_sequence(L, i) && sq_rawlen(L, i) > 0) {
    int n = (int)sq_rawlen(L, i), j;
    w = new_node(c, kind, n);
    for (j = 0; j < n; j++) {
      lua_rawgeti(L, i, j + 1);
      w->kids[w->nkids++] = parse_where_any(c, -1);
      lua_pop(L, 1);
    }
    return w;
  }
  {
    /* object form: each key is its own condition */
    sq_where *all = parse_where_table(c, i);
    all->kind = kind;
    return all;
  }
}

static const char *sel_alias(ctx *c, const char *s, size_t n) {
  int k;
  if (!c->sel) return NULL;
  for (k = 0; k < c->sel->ncols; k++) {
    const char *as = c->sel->cols[k].as;
    if (as && strlen(as) == n && !memcmp(as, s, n)) return as;
  }
  return NULL;
}

static sq_where *parse_where_table(ctx *c, int i) {
  lua_State *L = c->L;
  int nkeys = 0, k;
  sq_where *w;
  i = lua_absindex(L, i);
  lua_pushnil(L);
  while (lua_next(L, i)) {
    lua_pop(L, 1);
    nkeys++;
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      if (n > 2 && s[0] == '$' && s[n - 1] == '$') {
        if (!include_attr_expr(c, s + 1, n - 2, NULL))
          usage(L, c->db, "Unknown included column '%.*s' in where of model %s", (int)(n > 200 ? 200 : n), s,
                c->m->name);
      } else if (!sq_model_attr(c->m, s, n) && !sel_alias(c, s, n))
        usage(L, c->db, "Unknown attribute '%.*s' in where of model %s", (int)(n > 200 ? 200 : n), s, c->m->name);
    } else if (op_of(L, -1) >= 0) {
      int op = op_of(L, -1);
      if (op != SQ_OP_AND && op != SQ_OP_OR && op != SQ_OP_NOT && op != SQ_OP_NOTTREE)
        usage(L, c->db, "Invalid where on %s: Op.%s must be inside an attribute's table", c->m->name, op_names[op]);
    } else if (lua_type(L, -1) == LUA_TNUMBER) {
      /* list items: Sequelize.where(...) objects or nested where tables */
    } else {
      usage(L, c->db, "Invalid where on %s: unexpected key of type %s", c->m->name, luaL_typename(L, -1));
    }
  }
  w = new_node(c, SQ_W_AND, nkeys);
  /* attributes in column order, then list items, then Op.and/or/not: stable SQL text */
  for (k = 0; k < c->m->nattrs; k++) {
    sq_attr *a = c->m->attrs[k];
    lua_getfield(L, i, a->name);
    if (!lua_isnil(L, -1)) w->kids[w->nkids++] = parse_cond(c, attr_expr(c, a), a, -1);
    lua_pop(L, 1);
  }
  /* "$Posts.title$" keys: columns of included models */
  lua_pushnil(L);
  while (lua_next(L, i)) {
    size_t n;
    const char *ks;
    if (lua_type(L, -2) == LUA_TSTRING && (ks = lua_tolstring(L, -2, &n)) && n > 2 && ks[0] == '$' &&
        ks[n - 1] == '$') {
      const sq_attr *ia = NULL;
      sq_expr *x = include_attr_expr(c, ks + 1, n - 2, &ia);
      if (x) w->kids[w->nkids++] = parse_cond(c, x, ia, -1);
    }
    lua_pop(L, 1);
  }
  if (c->sel) { /* select-list aliases (having) */
    for (k = 0; k < c->sel->ncols; k++) {
      const char *as = c->sel->cols[k].as;
      if (!as || sq_model_attr(c->m, as, strlen(as))) continue;
      lua_getfield(L, i, as);
      if (!lua_isnil(L, -1)) {
        sq_expr *x = new_expr(c, SQ_X_ALIAS);
        x->name = as;
        x->nlen = strlen(as);
        w->kids[w->nkids++] = parse_cond(c, x, NULL, -1);
      }
      lua_pop(L, 1);
    }
  }
  for (k = 1; k <= (int)sq_rawlen(L, i); k++) {
    lua_rawgeti(L, i, k);
    w->kids[w->nkids++] = parse_where_any(c, -1);
    lua_pop(L, 1);
  }
  {
    static const sq_op tree_ops[] = {SQ_OP_AND, SQ_OP_OR, SQ_OP_NOT, SQ_OP_NOTTREE};
    for (k = 0; k < 4; k++) {
      lua_pushlightuserdata(L, (void *)&op_tags[tree_ops[k]]);
      lua_rawget(L, i);
      if (!lua_isnil(L, -1)) {
        if (tree_ops[k] == SQ_OP_AND) w->kids[w->nkids++] = parse_group(c, -1, SQ_W_AND);
        else if (tree_ops[k] == SQ_OP_OR) w->kids[w->nkids++] = parse_group(c, -1, SQ_W_OR);
        else {
          sq_where *n = new_node(c, SQ_W_NOT, 1);
          n->kids[n->nkids++] = parse_where_any(c, -1);
          w->kids[w->nkids++] = n;
        }
      }
      lua_pop(L, 1);
    }
  }
  return w;
}

/* opts.where at stack index `opts` (0 or a table). */
static sq_where *get_where(ctx *c, int opts) {
  lua_State *L = c->L;
  sq_where *w = NULL;
  if (!opts) return NULL;
  lua_getfield(L, opts, "where");
  if (!lua_isnil(L, -1)) w = parse_where_any(c, -1);
  lua_pop(L, 1);
  return w;
}

/* ------------------------------------------------------------------------- */
/* select options: attributes, order, group, having, limit, offset */

static const char *const order_dirs[] = {
  "ASC", "DESC", "ASC NULLS FIRST", "ASC NULLS LAST", "DESC NULLS FIRST", "DESC NULLS LAST",
  "NULLS FIRST", "NULLS LAST", NULL};

static const char *check_dir(ctx *c, int i) {
  const char *s = lua_tostring(c->L, i);
  int k;
  if (lua_type(c->L, i) == LUA_TSTRING) {
    for (k = 0; order_dirs[k]; k++)
      if (!strcasecmp(s, order_dirs[k])) return order_dirs[k];
  }
  usage(c->L, c->db, "Invalid order direction on %s: '%.100s' (expected ASC, DESC or a NULLS FIRST/LAST form)",
        c->m->name, s ? s : luaL_typename(c->L, i));
  return NULL;
}

static void add_col(ctx *c, sq_select *s, int *cap, sq_expr *x, const char *as, int attr) {
  if (s->ncols == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    sq_selcol *p = xalloc(c, sizeof *p * (size_t)nc);
    if (s->ncols) memcpy(p, s->cols, sizeof *p * (size_t)s->ncols);
    s->cols = p;
    *cap = nc;
  }
  s->cols[s->ncols].expr = x;
  s->cols[s->ncols].as = as;
  s->cols[s->ncols].attr = attr;
  s->cols[s->ncols].hidden = 0;
  s->ncols++;
}

static void add_attr_col(ctx *c, sq_select *s, int *cap, const sq_attr *a) {
  add_col(c, s, cap, attr_expr(c, a), strcmp(a->field, a->name) ? a->name : NULL, a->index);
}

/* One item of an attributes list: "name", { "name", "alias" }, { fn(...), "alias" }. */
static void attr_item(ctx *c, sq_select *s, int *cap, int i) {
  lua_State *L = c->L;
  i = lua_absindex(L, i);
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t n;
    const char *nm = lua_tolstring(L, i, &n);
    add_attr_col(c, s, cap, find_attr(c, nm, n, "attributes"));
    return;
  }
  if (lua_istable(L, i) && !is_expr(L, i)) {
    const char *as;
    sq_expr *x;
    lua_rawgeti(L, i, 2);
    as = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!as) usage(L, c->db, "Invalid attributes item on %s: expected { column, alias }", c->m->name);
    lua_rawgeti(L, i, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *nm = lua_tolstring(L, -1, &n);
      x = attr_expr(c, find_attr(c, nm, n, "attributes"));
    } else if (is_expr(L, -1)) {
      x = parse_expr(c, -1, "attributes");
    } else {
      usage(L, c->db, "Invalid attributes item on %s: expected a column name or Sequelize.fn/col/literal",
            c->m->name);
      return;
    }
    lua_pop(L, 1);
    {
      const sq_attr *same = (x->kind == SQ_X_ATTR && !strcmp(x->attr->name, as)) ? x->attr : NULL;
      add_col(c, s, cap, x, same && !strcmp(same->field, same->name) ? NULL : as, same ? same->index : -1);
    }
    return;
  }
  if (is_expr(L, i)) {
    sq_expr *x = parse_expr(c, i, "attributes");
    if (x->kind == SQ_X_ATTR) {
      add_attr_col(c, s, cap, x->attr);
      return;
    }
    usage(L, c->db, "Invalid attributes item on %s: a Sequelize.fn/literal needs an alias: { expr, \"alias\" }",
          c->m->name);
  }
  usage(L, c->db, "Invalid attributes item on %s: got %s", c->m->name, luaL_typename(L, i));
}

static int list_has(lua_State *L, int list, const char *name) {
  int k, n = (int)sq_rawlen(L, list);
  for (k = 1; k <= n; k++) {
    const char *s;
    lua_rawgeti(L, list, k);
    s = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (s && !strcmp(s, name)) return 1;
  }
  return 0;
}

static void parse_attributes(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int cap = 0, k, top;
  const char *saved = c->qual;
  c->qual = s->qualify ? s->alias : NULL;
  if (opts) lua_getfield(L, opts, "attributes");
  else lua_pushnil(L);
  top = lua_gettop(L);
  if (lua_isnil(L, top)) {
    for (k = 0; k < c->m->nattrs; k++) add_attr_col(c, s, &cap, c->m->attrs[k]);
  } else if (lua_istable(L, top) && !is_expr(L, top)) {
    int ex, in;
    lua_getfield(L, top, "exclude");
    ex = lua_gettop(L);
    lua_getfield(L, top, "include");
    in = lua_gettop(L);
    if (!lua_isnil(L, ex) || !lua_isnil(L, in)) {
      if (!lua_isnil(L, ex)) {
        int n = lua_istable(L, ex) ? (int)sq_rawlen(L, ex) : -1;
        if (n < 0) usage(L, c->db, "attributes.exclude on %s must be a list", c->m->name);
        for (k = 1; k <= n; k++) {
          size_t len;
          const char *nm;
          lua_rawgeti(L, ex, k);
          nm = lua_tolstring(L, -1, &len);
          if (!nm) usage(L, c->db, "attributes.exclude on %s must list attribute names", c->m->name);
          find_attr(c, nm, len, "attributes.exclude");
          lua_pop(L, 1);
        }
      }
      for (k = 0; k < c->m->nattrs; k++) {
        if (!lua_isnil(L, ex) && list_has(L, ex, c->m->attrs[k]->name)) continue;
        add_attr_col(c, s, &cap, c->m->attrs[k]);
      }
      if (!lua_isnil(L, in)) {
        int n = lua_istable(L, in) ? (int)sq_rawlen(L, in) : -1;
        if (n < 0) usage(L, c->db, "attributes.include on %s must be a list", c->m->name);
        for (k = 1; k <= n; k++) {
          lua_rawgeti(L, in, k);
          attr_item(c, s, &cap, -1);
          lua_pop(L, 1);
        }
      }
    } else {
      int n = (int)sq_rawlen(L, top);
      for (k = 1; k <= n; k++) {
        lua_rawgeti(L, top, k);
        attr_item(c, s, &cap, -1);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);
  } else {
    usage(L, c->db, "Invalid attributes on %s: expected a list or { exclude = ... }", c->m->name);
  }
  lua_pop(L, 1);
  c->qual = saved;
}

static sq_expr *column_target(ctx *c, int i, const char *what) {
  lua_State *L = c->L;
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, i, &n);
    return name_expr(c, s, n, what);
  }
  if (is_expr(L, i)) return parse_expr(c, i, what);
  usage(L, c->db, "Invalid %s on %s: expected a column name, got %s", what, c->m->name, luaL_typename(L, i));
  return NULL;
}

static sq_expr *order_target(ctx *c, int i) { return column_target(c, i, "order"); }

static void parse_order(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int top, n, k;
  lua_getfield(L, opts, "order");
  top = lua_gettop(L);
  if (lua_isnil(L, top)) { lua_pop(L, 1); return; }
  if (lua_type(L, top) == LUA_TSTRING || is_expr(L, top)) {
    s->order = xalloc(c, sizeof *s->order);
    s->order[0].expr = order_target(c, top);
    s->norder = 1;
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, top)) usage(L, c->db, "Invalid order on %s: expected a list", c->m->name);
  n = (int)sq_rawlen(L, top);
  s->order = xalloc(c, sizeof *s->order * (size_t)(n ? n : 1));
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, top, k);
    if (lua_istable(L, -1) && !is_expr(L, -1) && sq_rawlen(L, -1) >= 2 && c->sel && c->sel->ninc) {
      /* { "Posts", "title" [, dir] } (the Lua layer turns models into alias paths) */
      int item = lua_gettop(L), m = (int)sq_rawlen(L, item);
      const char *p1, *p2;
      lua_rawgeti(L, item, 1);
      lua_rawgeti(L, item, 2);
      p1 = lua_tostring(L, -2);
      p2 = lua_tostring(L, -1);
      if (p1 && p2 && find_include(c->sel->inc, c->sel->ninc, p1, strlen(p1))) {
        sq_include *in = find_include(c->sel->inc, c->sel->ninc, p1, strlen(p1));
        sq_attr *ia = sq_model_attr(in->model, p2, strlen(p2));
        sq_expr *x;
        if (!ia) usage(L, c->db, "Unknown attribute '%s' of %s in order", p2, in->model->name);
        x = new_expr(c, SQ_X_ATTR);
        x->attr = ia;
        x->qual = in->alias;
        s->order[s->norder].expr = x;
        lua_pop(L, 2);
        if (m >= 3) {
          lua_rawgeti(L, item, 3);
          s->order[s->norder].dir = check_dir(c, lua_gettop(L));
          lua_pop(L, 1);
        }
        s->norder++;
        lua_pop(L, 1);
        continue;
      }
      lua_pop(L, 2);
    }
    if (lua_istable(L, -1) && !is_expr(L, -1)) {
      int m = (int)sq_rawlen(L, -1);
      if (m < 1 || m > 2) usage(L, c->db, "Invalid order item on %s: expected { column, direction }", c->m->name);
      lua_rawgeti(L, -1, 1);
      s->order[s->norder].expr = order_target(c, lua_gettop(L));
      lua_pop(L, 1);
      if (m == 2) {
        lua_rawgeti(L, -1, 2);
        s->order[s->norder].dir = check_dir(c, lua_gettop(L));
        lua_pop(L, 1);
      }
    } else {
      s->order[s->norder].expr = order_target(c, lua_gettop(L));
    }
    s->norder++;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void parse_group_by(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int top, n, k;
  lua_getfield(L, opts, "group");
  top = lua_gettop(L);
  if (lua_isnil(L, top)) { lua_pop(L, 1); return; }
  if (lua_type(L, top) == LUA_TSTRING || is_expr(L, top)) {
    s->group = xalloc(c, sizeof(sq_expr *));
    s->group[0] = column_target(c, top, "group");
    s->ngroup = 1;
  } else if (lua_istable(L, top)) {
    n = (int)sq_rawlen(L, top);
    s->group = xalloc(c, sizeof(sq_expr *) * (size_t)(n ? n : 1));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, top, k);
      s->group[s->ngroup++] = column_target(c, lua_gettop(L), "group");
      lua_pop(L, 1);
    }
  } else {
    usage(L, c->db, "Invalid group on %s: expected a column name or a list", c->m->name);
  }
  lua_pop(L, 1);
}

static long long opt_count(ctx *c, int opts, const char *key) {
  lua_State *L = c->L;
  long long v = -1;
  lua_getfield(L, opts, key);
  if (!lua_isnil(L, -1)) {
    if (!sq_isinteger(L, -1, &v) || v < 0)
      usage(L, c->db, "Invalid %s on %s: expected a non-negative integer, got %s", key, c->m->name,
            luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  return v;
}


/* ------------------------------------------------------------------------- */
/* includes: opts.include arrives normalised by the Lua layer as a list of
 * { as = alias, attributes, where, required, include = {...}, through = {...} } */

static char *arena_join(ctx *c, const char *a, const char *sep, const char *b) {
  size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
  char *p = xalloc(c, na + ns + nb + 1);
  memcpy(p, a, na);
  memcpy(p + na, sep, ns);
  memcpy(p + na + ns, b, nb + 1);
  return p;
}

/* Append the columns of `m` chosen by node.attributes (all by default) to the select
 * list, qualified by `alias` and named "<path>.<attr>". Returns the first index. */
static int add_include_cols(ctx *c, sq_select *s, int *cap, const sq_model *m, const char *alias,
                            const char *path, int node, const char *field, int want_pk, int *pkcol) {
  lua_State *L = c->L;
  sq_select tmp;
  sq_model *saved_m = c->m;
  sq_select *saved_sel = c->sel;
  int col0 = s->ncols, k, tcap = 0, has_pk = 0;
  memset(&tmp, 0, sizeof tmp);
  tmp.model = m;
  tmp.alias = alias;
  tmp.qualify = 1;
  c->m = (sq_model *)m;
  c->sel = NULL;
  if (node) {
    lua_getfield(L, node, field);
    if (lua_istable(L, -1)) {
      /* parse_attributes reads `attributes` from a table: wrap */
      lua_createtable(L, 0, 1);
      lua_pushvalue(L, -2);
      lua_setfield(L, -2, "attributes");
      parse_attributes(c, &tmp, lua_gettop(L));
      lua_pop(L, 1);
    } else {
      parse_attributes(c, &tmp, 0);
    }
    lua_pop(L, 1);
  } else {
    parse_attributes(c, &tmp, 0);
  }
  (void)tcap;
  c->m = saved_m;
  c->sel = saved_sel;
  if (pkcol) *pkcol = -1;
  for (k = 0; k < tmp.ncols; k++) {
    const sq_selcol *tc = &tmp.cols[k];
    const char *name = tc->as ? tc->as : (tc->attr >= 0 ? m->attrs[tc->attr]->name : "?");
    if (tc->attr >= 0 && tc->attr == m->pk && !tc->as) {
      has_pk = 1;
      if (pkcol) *pkcol = s->ncols;
    } else if (tc->attr >= 0 && tc->attr == m->pk && pkcol) {
      *pkcol = s->ncols;
      has_pk = 1;
    }
    add_col(c, s, cap, tc->expr, arena_join(c, path, ".", name), tc->attr);
  }
  if (want_pk && !has_pk && m->pk >= 0) {
    sq_expr *x = new_expr(c, SQ_X_ATTR);
    x->attr = m->attrs[m->pk];
    x->qual = alias;
    if (pkcol) *pkcol = s->ncols;
    add_col(c, s, cap, x, arena_join(c, path, ".", m->attrs[m->pk]->name), m->pk);
    s->cols[s->ncols - 1].hidden = 1;
  }
  return col0;
}

static sq_include *parse_include(ctx *c, sq_select *s, int *cap, const sq_model *parent, const char *palias,
                                 const char *ppath, int node) {
  lua_State *L = c->L;
  if (c->depth > SQ_MAX_NESTING || !lua_checkstack(L, 16))
    usage(L, c->db, "Invalid include on %s: nested deeper than %d levels", parent->name, SQ_MAX_NESTING);
  const char *as;
  const sq_assoc *a;
  sq_include *in;
  sq_model *saved_m = c->m;
  const char *saved_q = c->qual;
  sq_select *saved_sel = c->sel;
  char *path;
  node = lua_absindex(L, node);
  lua_getfield(L, node, "as");
  as = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (!as) usage(L, c->db, "include on %s: an include needs an association alias", parent->name);
  a = sq_model_assoc(parent, as);
  if (!a) usage(L, c->db, "Association with alias \"%s\" does not exist on %s", as, parent->name);
  in = xalloc(c, sizeof *in);
  in->assoc = a;
  in->model = a->target;
  in->palias = palias;
  in->alias = ppath ? arena_join(c, palias, "->", as) : as;
  path = ppath ? arena_join(c, ppath, ".", as) : (char *)as;
  in->required = opt_bool(L, node, "required");
  in->col0 = add_include_cols(c, s, cap, a->target, in->alias, path, node, "attributes", 1, &in->pkcol);
  in->ncols = s->ncols - in->col0;
  if (a->kind == SQ_BELONGS_TO_MANY) {
    int tnode = 0;
    in->talias = arena_join(c, in->alias, "->", a->through->name);
    lua_getfield(L, node, "through");
    if (lua_istable(L, -1)) tnode = lua_gettop(L);
    in->tcol0 = add_include_cols(c, s, cap, a->through, in->talias, arena_join(c, path, ".", a->through->name),
                                 tnode, "attributes", 0, NULL);
    in->ntcols = s->ncols - in->tcol0;
    if (tnode) {
      lua_getfield(L, tnode, "where");
      if (!lua_isnil(L, -1)) {
        c->m = a->through;
        c->qual = in->talias;
        c->sel = NULL;
        in->twhere = parse_where_any(c, -1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, node, "where");
  if (!lua_isnil(L, -1)) {
    c->m = a->target;
    c->qual = in->alias;
    c->sel = NULL;
    in->where = parse_where_any(c, -1);
  }
  lua_pop(L, 1);
  c->m = saved_m;
  c->qual = saved_q;
  c->sel = saved_sel;
  lua_getfield(L, node, "include");
  if (lua_istable(L, -1)) {
    int list = lua_gettop(L), n = (int)sq_rawlen(L, list), k;
    in->kids = xalloc(c, sizeof(sq_include *) * (size_t)(n ? n : 1));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, list, k);
      in->kids[in->nkids++] = parse_include(c, s, cap, a->target, in->alias, path, lua_gettop(L));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return in;
}

static int count_cols_cap(const sq_select *s) {
  int cap = 16;
  while (cap < s->ncols) cap *= 2;
  return cap;
}

static void parse_includes(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int list, n, k, cap;
  lua_getfield(L, opts, "include");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  list = lua_gettop(L);
  n = (int)sq_rawlen(L, list);
  if (n == 0) {
    lua_pop(L, 1);
    return;
  }
  cap = count_cols_cap(s);
  {
    /* the column array may grow: copy into one whose capacity add_col knows */
    sq_selcol *p = xalloc(c, sizeof *p * (size_t)cap);
    if (s->ncols) memcpy(p, s->cols, sizeof *p * (size_t)s->ncols);
    s->cols = p;
  }
  s->inc = xalloc(c, sizeof(sq_include *) * (size_t)n);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, list, k);
    s->inc[s->ninc++] = parse_include(c, s, &cap, c->m, s->alias, NULL, lua_gettop(L));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* "Posts.Tags" -> the include at that path */
static sq_include *find_include(sq_include **inc, int ninc, const char *path, size_t n) {
  int k;
  for (k = 0; k < ninc; k++) {
    const char *as = inc[k]->assoc->as;
    size_t an = strlen(as);
    if (n >= an && !memcmp(path, as, an)) {
      if (n == an) return inc[k];
      if (path[an] == '.') return find_include(inc[k]->kids, inc[k]->nkids, path + an + 1, n - an - 1);
    }
  }
  return NULL;
}

static int has_many(sq_include **inc, int ninc) {
  int k;
  for (k = 0; k < ninc; k++)
    if (inc[k]->assoc->many || has_many(inc[k]->kids, inc[k]->nkids)) return 1;
  return 0;
}

/* "$Posts.title$" (or "Posts.title" in order) -> a qualified attribute of an include */
static sq_expr *include_attr_expr(ctx *c, const char *s, size_t n, const sq_attr **attr_out) {
  const char *dot;
  sq_include *in;
  sq_attr *a;
  sq_expr *x;
  if (!c->sel || !c->sel->ninc) return NULL;
  dot = NULL;
  {
    size_t k;
    for (k = n; k > 0; k--)
      if (s[k - 1] == '.') { dot = s + k - 1; break; }
  }
  if (!dot) return NULL;
  in = find_include(c->sel->inc, c->sel->ninc, s, (size_t)(dot - s));
  if (!in) return NULL;
  a = sq_model_attr(in->model, dot + 1, n - (size_t)(dot - s) - 1);
  if (!a) return NULL;
  x = new_expr(c, SQ_X_ATTR);
  x->attr = a;
  x->qual = in->alias;
  if (attr_out) *attr_out = a;
  return x;
}

/* Fill a select spec for model c->m from the options table at `opts` (0 = none). */
static void parse_select(ctx *c, sq_select *s, int opts) {
  memset(s, 0, sizeof *s);
  s->model = c->m;
  s->alias = c->m->name;
  s->limit = s->offset = -1;
  c->sel = s;
  c->qual = s->alias;
  if (opts) {
    lua_getfield(c->L, opts, "include");
    s->qualify = lua_istable(c->L, -1) && sq_rawlen(c->L, -1) > 0;
    lua_pop(c->L, 1);
  }
  parse_attributes(c, s, opts);
  if (s->qualify) {
    /* rows are merged by primary key: make sure it is selected */
    int k, has = 0, cap = count_cols_cap(s);
    sq_selcol *p = xalloc(c, sizeof *p * (size_t)cap);
    if (s->ncols) memcpy(p, s->cols, sizeof *p * (size_t)s->ncols);
    s->cols = p;
    for (k = 0; k < s->ncols; k++)
      if (s->cols[k].attr == c->m->pk && !s->cols[k].as) has = 1;
    if (!has && c->m->pk >= 0) {
      add_attr_col(c, s, &cap, c->m->attrs[c->m->pk]);
      s->cols[s->ncols - 1].hidden = 1;
    }
    c->qual = s->alias;
    parse_includes(c, s, opts);
    c->m = (sq_model *)s->model;
    c->qual = s->alias;
    c->sel = s;
  }
  if (opts) {
    s->where = get_where(c, opts);
    parse_order(c, s, opts);
    parse_group_by(c, s, opts);
    lua_getfield(c->L, opts, "having");
    if (!lua_isnil(c->L, -1)) s->having = parse_where_any(c, -1);
    lua_pop(c->L, 1);
    s->limit = opt_count(c, opts, "limit");
    s->offset = opt_count(c, opts, "offset");
  }
}

/* ------------------------------------------------------------------------- */
/* reading rows */

typedef struct colplan {
  int slot;              /* attribute index + 1, or 0 for an extra key */
  sq_type_kind kind;     /* conversion */
  int conv;              /* 1 when `kind` applies */
  int dslot;             /* DATE columns: stack slot of the last ISO string made, or 0 */
  unsigned char dn;      /* ... and the stored text it came from */
  char draw[39];
} colplan;

static void push_json(lua_State *L, sq_db *db, const char *s, size_t n);

/* Columns are read through sqlite3_column_value: one look-up of the column instead of one
 * per call. Its value is "unprotected", which only matters when another thread uses the
 * connection; a connection here belongs to one thread (SQLITE_OPEN_NOMUTEX). */
static void push_col(lua_State *L, sq_db *db, sqlite3_stmt *st, int k, const colplan *p) {
  sqlite3_value *cv = sqlite3_column_value(st, k);
  switch (sqlite3_value_type(cv)) {
    case SQLITE_NULL: lua_pushlightuserdata(L, NULL); return;
    case SQLITE_INTEGER: {
      sqlite3_int64 v = sqlite3_value_int64(cv);
      if (p->conv && p->kind == SQ_T_BOOLEAN) { lua_pushboolean(L, v != 0); return; }
#if !SQ_LUA_HAS_INT
      if (v > 9007199254740992LL || v < -9007199254740992LL) {
        /* LuaJIT numbers are doubles: a value they cannot hold exactly is a decimal string */
        char tmp[24];
        snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        lua_pushstring(L, tmp);
        return;
      }
#endif
      sq_pushinteger(L, v);
      return;
    }
    case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_value_double(cv)); return;
    case SQLITE_TEXT: {
      const char *s = (const char *)sqlite3_value_text(cv);
      size_t n = (size_t)sqlite3_value_bytes(cv);
      if (!s && n) luaL_error(L, "out of memory reading column %d", k + 1);
      if (p->conv) {
        if (p->kind == SQ_T_DATE) {
          char iso[40];
          int m;
          if (p->dslot && p->dn == n && !memcmp(p->draw, s, n)) {
            /* the same stored text as the previous row's: the same string */
            lua_pushvalue(L, p->dslot);
            return;
          }
          m = sq_date_storage_to_iso(s, n, iso);
          if (m > 0) {
            lua_pushlstring(L, iso, (size_t)m);
            if (p->dslot && n < sizeof p->draw) {
              colplan *w = (colplan *)p;
              memcpy(w->draw, s, n);
              w->dn = (unsigned char)n;
              lua_pushvalue(L, -1);
              lua_replace(L, p->dslot);
            }
            return;
          }
        } else if (p->kind == SQ_T_JSON) {
          push_json(L, db, s, n);
          return;
        } else if (p->kind == SQ_T_BOOLEAN) {
          if (n == 4 && !memcmp(s, "true", 4)) { lua_pushboolean(L, 1); return; }
          if (n == 5 && !memcmp(s, "false", 5)) { lua_pushboolean(L, 0); return; }
        }
      }
      lua_pushlstring(L, s, n);
      return;
    }
    default: {
      const void *b = sqlite3_value_blob(cv);
      lua_pushlstring(L, (const char *)b, (size_t)sqlite3_value_bytes(cv));
      return;
    }
  }
}

static void get_instance_mt(lua_State *L, int modeli) {
  sq_getuservalue(L, modeli);
  lua_getfield(L, -1, "mt");
  lua_replace(L, -2);
}

static void push_array_mt(lua_State *L) {
  lua_pushlightuserdata(L, (void *)&REG_ARRAYMT);
  lua_rawget(L, LUA_REGISTRYINDEX);
}

/* Step `st` and build the result list. raw: plain tables keyed by output names;
 * else instances of the model at stack index `modeli`. Leaves the list on the stack. */
static int read_rows(lua_State *L, sq_db *db, sqlite3_stmt *st, const sq_select *s, int modeli, int raw) {
  int ncols = s->ncols, k, rc, list, mt = 0, keys, shape = 0, nextra = 0;
  lua_Integer n = 0;
  colplan *plan;
  colplan small[32];
  plan = ncols <= 32 ? small : lua_newuserdata(L, sizeof *plan * (size_t)ncols);
  luaL_checkstack(L, 2 * ncols + 10, "too many columns");
  keys = lua_gettop(L) + 1;
  for (k = 0; k < ncols; k++) {
    const sq_selcol *col = &s->cols[k];
    const sq_attr *a = col->attr >= 0 ? s->model->attrs[col->attr] : NULL;
    memset(&plan[k], 0, sizeof plan[k]);
    plan[k].slot = (!raw && a) ? a->index + 1 : 0;
    plan[k].conv = a != NULL;
    plan[k].kind = a ? a->type.kind : SQ_T_TEXT;
    if (col->as) lua_pushstring(L, col->as);
    else if (a) lua_pushstring(L, a->name);
    else lua_pushstring(L, sqlite3_column_name(st, k));
    if (!plan[k].slot) nextra++;
  }
  for (k = 0; k < ncols; k++) /* a slot per DATE column for its last string */
    if (plan[k].conv && plan[k].kind == SQ_T_DATE) {
      lua_pushnil(L);
      plan[k].dslot = lua_gettop(L);
    }
  if (!raw) {
    get_instance_mt(L, modeli);
    mt = lua_gettop(L);
    if (nextra) {
      /* a shared shape: which extra keys these rows carry, in select order */
      int e = 0;
      lua_createtable(L, 0, 1);
      lua_createtable(L, nextra, 0);
      for (k = 0; k < ncols; k++) {
        if (plan[k].slot) continue;
        lua_pushvalue(L, keys + k);
        lua_rawseti(L, -2, ++e);
      }
      lua_setfield(L, -2, "extras");
      shape = lua_gettop(L);
    }
  }
  lua_newtable(L);
  list = lua_gettop(L);
  push_array_mt(L);
  lua_setmetatable(L, list);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (raw) {
      lua_createtable(L, 0, ncols);
      for (k = 0; k < ncols; k++) {
        lua_pushvalue(L, keys + k);
        push_col(L, db, st, k, &plan[k]);
        lua_rawset(L, -3);
      }
    } else {
      lua_createtable(L, s->model->nattrs, nextra ? nextra + 1 : 0);
      for (k = 0; k < ncols; k++) {
        if (plan[k].slot) {
          push_col(L, db, st, k, &plan[k]);
          lua_rawseti(L, -2, plan[k].slot);
        } else {
          lua_pushvalue(L, keys + k);
          push_col(L, db, st, k, &plan[k]);
          lua_rawset(L, -3);
        }
      }
      if (shape) {
        lua_pushvalue(L, shape);
        lua_rawseti(L, -2, 0);
      }
      lua_pushvalue(L, mt);
      lua_setmetatable(L, -2);
    }
    lua_rawseti(L, list, ++n);
  }
  if (rc != SQLITE_DONE) {
    sq_db_fail(db, rc, sqlite3_sql(st));
    sqlite3_reset(st);
    return -1;
  }
  sqlite3_reset(st);
  lua_replace(L, keys);
  lua_settop(L, keys);
  return 0;
}


/* ---- merging joined rows into nested instances -------------------------- */

typedef struct lvl {
  const sq_model *model;
  const sq_include *in;      /* NULL for the top level */
  int parent;                /* level index of the parent, -1 for the top */
  int col0, ncols, pkcol;
  int tcol0, ntcols;
  int key, tkey;             /* stack slots of the include key and through name */
  int mt, tmt, shape;        /* stack slots: metatables and shape table (0: none) */
  int nkids_many;
  int nhash;                 /* keys its objects carry besides attributes */
  int dedup;                 /* its objects can repeat across rows */
  int curslot;               /* stack slot holding the current object */
  int cur;                   /* object serial in the current row (0: none) */
} lvl;

typedef struct dedup_e {
  struct dedup_e *next;
  unsigned hash;
  int level, parent, serial;
  int isint;
  long long iv;
  size_t n;
  char *s;
} dedup_e;

typedef struct dedup {
  dedup_e **b;
  unsigned nb, n;
  sq_arena *arena;
} dedup;

/* Double the buckets when the table is as full as it is wide. */
static void dedup_grow(ctx *c, dedup *d) {
  unsigned nb = d->nb * 2, k;
  dedup_e **b = xalloc(c, sizeof *b * nb);
  for (k = 0; k < d->nb; k++) {
    dedup_e *e = d->b[k], *nx;
    for (; e; e = nx) {
      nx = e->next;
      e->next = b[e->hash & (nb - 1)];
      b[e->hash & (nb - 1)] = e;
    }
  }
  d->b = b;
  d->nb = nb;
}

static unsigned mix(unsigned h, unsigned v) { return (h ^ v) * 16777619u; }

/* Find or add (level, parent, key) -> serial; returns the serial found, or 0 after
 * adding `serial`. */
static int dedup_get(ctx *c, dedup *d, int level, int parent, sqlite3_stmt *st, int col, int serial) {
  unsigned h = 2166136261u;
  int isint = sqlite3_column_type(st, col) == SQLITE_INTEGER;
  long long iv = 0;
  const char *s = NULL;
  size_t n = 0, k;
  dedup_e *e;
  h = mix(h, (unsigned)level);
  h = mix(h, (unsigned)parent);
  if (isint) {
    iv = sqlite3_column_int64(st, col);
    h = mix(h, (unsigned)iv);
    h = mix(h, (unsigned)((unsigned long long)iv >> 32));
  } else {
    s = (const char *)sqlite3_column_blob(st, col);
    n = (size_t)sqlite3_column_bytes(st, col);
    for (k = 0; k < n; k++) h = mix(h, (unsigned char)s[k]);
  }
  h ^= h >> 15;
  h *= 0x2c1b3c6dU;
  h ^= h >> 12;
  for (e = d->b[h & (d->nb - 1)]; e; e = e->next) {
    if (e->hash != h || e->level != level || e->parent != parent || e->isint != isint) continue;
    if (isint ? e->iv == iv : (e->n == n && (n == 0 || !memcmp(e->s, s, n)))) return e->serial;
  }
  e = xalloc(c, sizeof *e);
  e->hash = h;
  e->level = level;
  e->parent = parent;
  e->serial = serial;
  e->isint = isint;
  e->iv = iv;
  if (!isint) {
    e->n = n;
    e->s = xalloc(c, n + 1);
    if (n) memcpy(e->s, s, n);
  }
  e->next = d->b[h & (d->nb - 1)];
  d->b[h & (d->nb - 1)] = e;
  if (++d->n > d->nb) dedup_grow(c, d);
  return 0;
}

/* Build one instance of `m` from columns [col0, col0+ncols) (slots from the select
 * spec) and leave it on the stack. */
static void row_instance(lua_State *L, sq_db *db, sqlite3_stmt *st, const sq_select *s, const sq_model *m,
                         int col0, int ncols, int mt, int shape, int nhash, colplan *plans) {
  int k;
  lua_createtable(L, m->nattrs, nhash + (shape ? 1 : 0));
  for (k = col0; k < col0 + ncols; k++) {
    const sq_selcol *col = &s->cols[k];
    if (col->attr < 0 || col->hidden) continue;
    push_col(L, db, st, k, &plans[k]);
    lua_rawseti(L, -2, plans[k].slot);
  }
  if (shape) {
    lua_pushvalue(L, shape);
    lua_rawseti(L, -2, 0);
  }
  lua_pushvalue(L, mt);
  lua_setmetatable(L, -2);
}

static void flatten(sq_include **inc, int ninc, int parent, lvl *lv, int *n) {
  int k;
  for (k = 0; k < ninc; k++) {
    int me = (*n)++;
    lv[me].in = inc[k];
    lv[me].model = inc[k]->model;
    lv[me].parent = parent;
    lv[me].col0 = inc[k]->col0;
    lv[me].ncols = inc[k]->ncols;
    lv[me].pkcol = inc[k]->pkcol;
    lv[me].tcol0 = inc[k]->tcol0;
    lv[me].ntcols = inc[k]->ntcols;
    if (inc[k]->assoc->many) lv[parent].nkids_many++;
    flatten(inc[k]->kids, inc[k]->nkids, me, lv, n);
  }
}

static int count_levels(sq_include **inc, int ninc) {
  int k, n = 0;
  for (k = 0; k < ninc; k++) n += 1 + count_levels(inc[k]->kids, inc[k]->nkids);
  return n;
}

static void push_model_mt(lua_State *L, const sq_model *m) {
  /* instance metatables live in the db box's uservalue, keyed by model id */
  lua_pushinteger(L, m->id);
  lua_rawget(L, -2);
}

/* Read rows of a query with includes into nested instances. `mts` is the stack slot of
 * the table { [model id] = instance metatable }. */
static int read_rows_inc(ctx *c, sqlite3_stmt *st, const sq_select *s, int mts) {
  lua_State *L = c->L;
  sq_db *db = c->db;
  colplan *cp;
  int nl = 1 + count_levels(s->inc, s->ninc), k, rc, list, objs, serial = 0, need_dedup;
  lvl *lv = xalloc(c, sizeof *lv * (size_t)nl);
  dedup d;
  lua_Integer n = 0;
  luaL_checkstack(L, nl * 6 + 16, "too many includes");
  lv[0].model = s->model;
  lv[0].parent = -1;
  lv[0].col0 = 0;
  lv[0].pkcol = -1;
  {
    int last = s->ncols;
    for (k = 0; k < s->ninc; k++)
      if (s->inc[k]->col0 < last) last = s->inc[k]->col0;
    lv[0].ncols = last;
    for (k = 0; k < last; k++)
      if (s->cols[k].attr == s->model->pk && !s->cols[k].as) lv[0].pkcol = k;
  }
  k = 1;
  flatten(s->inc, s->ninc, 0, lv, &k);
  need_dedup = has_many(s->inc, s->ninc);
  /* An object repeats across rows only through a to-many level that is neither itself
   * nor one of its ancestors: only those levels are looked up in the hash. */
  for (k = 0; k < nl; k++) {
    int j;
    lv[k].dedup = 0;
    for (j = 1; j < nl && need_dedup; j++) {
      int anc = 0, a;
      if (j == k || !lv[j].in->assoc->many) continue;
      for (a = k; a > 0; a = lv[a].parent)
        if (a == j) anc = 1;
      if (!anc) lv[k].dedup = 1;
    }
  }
  d.nb = 1024;
  d.n = 0;
  d.arena = c->arena;
  d.b = need_dedup ? xalloc(c, sizeof *d.b * d.nb) : NULL;
  /* per level: metatables, keys and shapes */
  for (k = 0; k < nl; k++) {
    int j, e = 0;
    lua_pushvalue(L, mts);
    push_model_mt(L, lv[k].model);
    lua_replace(L, -2);
    lv[k].mt = lua_gettop(L);
    if (lv[k].in) {
      lua_pushstring(L, lv[k].in->assoc->as);
      lv[k].key = lua_gettop(L);
      if (lv[k].in->assoc->kind == SQ_BELONGS_TO_MANY) {
        lua_pushstring(L, lv[k].in->assoc->through->name);
        lv[k].tkey = lua_gettop(L);
        lua_pushvalue(L, mts);
        push_model_mt(L, lv[k].in->assoc->through);
        lua_replace(L, -2);
        lv[k].tmt = lua_gettop(L);
      }
    }
    /* shape: the include keys of this level's objects, in include order */
    lua_createtable(L, 0, 1);
    lua_newtable(L);
    for (j = k + 1; j < nl; j++)
      if (lv[j].parent == k) {
        lua_pushstring(L, lv[j].in->assoc->as);
        lua_rawseti(L, -2, ++e);
      }
    if (lv[k].in && lv[k].in->assoc->kind == SQ_BELONGS_TO_MANY && lv[k].ntcols) {
      lua_pushstring(L, lv[k].in->assoc->through->name);
      lua_rawseti(L, -2, ++e);
    }
    lua_setfield(L, -2, "includes");
    lv[k].shape = lua_gettop(L);
    lv[k].nhash = e;
    if (e == 0) { /* a leaf: its objects need no shape and no hash part */
      lua_pop(L, 1);
      lv[k].shape = 0;
    }
  }
  /* per column: conversion, and for DATE columns a slot for the last string made */
  cp = xalloc(c, sizeof *cp * (size_t)(s->ncols ? s->ncols : 1));
  luaL_checkstack(L, s->ncols + 8, "too many columns");
  for (k = 0; k < nl; k++) {
    int j;
    for (j = 0; j < 2; j++) {
      const sq_model *m = j ? (lv[k].in && lv[k].in->assoc->kind == SQ_BELONGS_TO_MANY ? lv[k].in->assoc->through : NULL)
                            : lv[k].model;
      int c0 = j ? lv[k].tcol0 : lv[k].col0, nc = j ? lv[k].ntcols : lv[k].ncols, q;
      if (!m) continue;
      for (q = c0; q < c0 + nc; q++) {
        const sq_selcol *col = &s->cols[q];
        if (col->attr < 0) continue;
        cp[q].slot = col->attr + 1;
        cp[q].conv = 1;
        cp[q].kind = m->attrs[col->attr]->type.kind;
        if (cp[q].kind == SQ_T_DATE) {
          lua_pushnil(L);
          cp[q].dslot = lua_gettop(L);
        }
      }
    }
  }
  lua_newtable(L);
  list = lua_gettop(L);
  push_array_mt(L);
  lua_setmetatable(L, list);
  lua_newtable(L);
  objs = lua_gettop(L);
  for (k = 0; k < nl; k++) { /* each level's current object lives in a stack slot */
    lua_pushnil(L);
    lv[k].curslot = lua_gettop(L);
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (k = 0; k < nl; k++) {
      lvl *l = &lv[k];
      int ps = k ? lv[l->parent].cur : 0, found, j;
      l->cur = 0;
      if (k && !ps) continue;
      if (k && (l->pkcol < 0 || sqlite3_column_type(st, l->pkcol) == SQLITE_NULL)) continue;
      if (l->dedup && l->pkcol >= 0) {
        found = dedup_get(c, &d, k, ps, st, l->pkcol, serial + 1);
        if (found) {
          l->cur = found;
          lua_rawgeti(L, objs, found);
          lua_replace(L, l->curslot);
          continue;
        }
      }
      row_instance(L, db, st, s, l->model, l->col0, l->ncols, l->mt, l->shape, l->nhash, cp);
      l->cur = ++serial;
      /* empty lists for this object's to-many includes */
      for (j = k + 1; j < nl; j++) {
        if (lv[j].parent != k || !lv[j].in->assoc->many) continue;
        lua_pushvalue(L, lv[j].key);
        lua_newtable(L);
        push_array_mt(L);
        lua_setmetatable(L, -2);
        lua_rawset(L, -3);
      }
      if (l->in && l->in->assoc->kind == SQ_BELONGS_TO_MANY && l->ntcols) {
        lua_pushvalue(L, l->tkey);
        row_instance(L, db, st, s, l->in->assoc->through, l->tcol0, l->ntcols, l->tmt, 0, 0, cp);
        lua_rawset(L, -3);
      }
      lua_pushvalue(L, -1);
      lua_replace(L, l->curslot);
      if (need_dedup) { /* kept by serial for the rows that find it again */
        lua_pushvalue(L, -1);
        lua_rawseti(L, objs, l->cur);
      }
      if (!k) {
        lua_rawseti(L, list, ++n);
      } else {
        lua_pushvalue(L, lv[l->parent].curslot); /* parent */
        if (l->in->assoc->many) {
          lua_pushvalue(L, l->key);
          lua_rawget(L, -2);               /* parent's list */
          lua_pushvalue(L, -3);
          lua_rawseti(L, -2, (lua_Integer)sq_rawlen(L, -2) + 1);
          lua_pop(L, 3);
        } else {
          lua_pushvalue(L, l->key);
          lua_pushvalue(L, -3);
          lua_rawset(L, -3);
          lua_pop(L, 2);
        }
      }
    }
  }
  if (rc != SQLITE_DONE) {
    sq_db_fail(db, rc, sqlite3_sql(st));
    sqlite3_reset(st);
    return -1;
  }
  sqlite3_reset(st);
  lua_settop(L, list); /* the list on top */
  return 0;
}

/* Build, log, prepare and bind. Returns the statement or NULL (db->err set). */
static sqlite3_stmt *prepare_built(sq_db *db, sq_buf *sql, sq_binds *binds) {
  sqlite3_stmt *st;
  if (sql->oom) { sq_err_oom(db); return NULL; }
  sq_db_log(db, sql->p, sql->len);
  st = sq_db_prepare(db, sql->p, sql->len);
  if (!st) return NULL;
  if (sq_bind_all(db, st, binds)) return NULL;
  return st;
}

static void init_ctx(ctx *c, lua_State *L, sq_db *db, sq_model *m) {
  memset(c, 0, sizeof *c);
  c->L = L;
  c->db = db;
  c->m = m;
  c->arena = new_arena(L);
  c->arena_idx = lua_gettop(L);
}

static void release_ctx(ctx *c) { release_arena(c->L, c->arena, c->arena_idx); }

static int opts_index(lua_State *L, int i) {
  if (lua_isnoneornil(L, i)) return 0;
  luaL_checktype(L, i, LUA_TTABLE);
  return lua_absindex(L, i);
}

static int opt_bool(lua_State *L, int opts, const char *key) {
  int r;
  if (!opts) return 0;
  lua_getfield(L, opts, key);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* core.select(model, opts) -> list */
static int l_select(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 2), raw, top, rc;
  ctx c;
  sq_select s;
  sq_buf sql;
  sq_binds binds;
  sqlite3_stmt *st;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  raw = opt_bool(L, opts, "raw");
  parse_select(&c, &s, opts);
  if (s.ninc && (s.limit >= 0 || s.offset > 0) && has_many(s.inc, s.ninc)) {
    /* paging with to-many joins: page the parents first, then join for those keys */
    sq_select p = s;
    sq_where *in;
    int rc, nk = 0, capk = 64;
    sq_expr **keys = xalloc(&c, sizeof *keys * (size_t)capk);
    p.distinct_pk = 1;
    p.group = NULL;
    p.ngroup = 0;
    sq_buf_init(&sql);
    sq_binds_init(&binds, c.arena);
    if (sq_sql_select(c.db, &sql, &binds, &p)) { sq_buf_free(&sql); return raise_db(L, c.db); }
    st = prepare_built(c.db, &sql, &binds);
    sq_buf_free(&sql);
    if (!st) return raise_db(L, c.db);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      sq_expr *x = new_expr(&c, SQ_X_VALUE);
      if (sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
        x->v.kind = SQ_V_INT;
        x->v.u.i = sqlite3_column_int64(st, 0);
      } else {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        char *t = xalloc(&c, n + 1);
        memcpy(t, sqlite3_column_blob(st, 0), n);
        x->v.kind = sqlite3_column_type(st, 0) == SQLITE_BLOB ? SQ_V_BLOB : SQ_V_TEXT;
        x->v.u.s.p = t;
        x->v.u.s.n = n;
      }
      if (nk == capk) {
        sq_expr **nkx = xalloc(&c, sizeof *keys * (size_t)capk * 2);
        memcpy(nkx, keys, sizeof *keys * (size_t)nk);
        keys = nkx;
        capk *= 2;
      }
      keys[nk++] = x;
    }
    if (rc != SQLITE_DONE) {
      sq_db_fail(c.db, rc, sqlite3_sql(st));
      sqlite3_reset(st);
      return raise_db(L, c.db);
    }
    sqlite3_reset(st);
    in = new_node(&c, SQ_W_CMP, 0);
    in->lhs = new_expr(&c, SQ_X_ATTR);
    in->lhs->attr = m->attrs[m->pk];
    in->lhs->qual = s.alias;
    in->op = SQ_OP_IN;
    in->rhs = keys;
    in->nrhs = nk;
    s.keys_in = in;
    s.limit = s.offset = -1;
  }
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_select(c.db, &sql, &binds, &s)) { sq_buf_free(&sql); return raise_db(L, c.db); }
  st = prepare_built(c.db, &sql, &binds);
  sq_buf_free(&sql);
  if (!st) return raise_db(L, c.db);
  top = lua_gettop(L);
  if (s.ninc && !raw) {
    sq_getuservalue(L, 1);
    lua_getfield(L, -1, "db");
    sq_getuservalue(L, -1);
    lua_getfield(L, -1, "mts");
    rc = read_rows_inc(&c, st, &s, lua_gettop(L));
  } else {
    rc = read_rows(L, c.db, st, &s, 1, raw);
  }
  if (rc) return raise_db(L, c.db);
  if (lua_gettop(L) > top + 1) {
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
  }
  release_ctx(&c);
  return 1;
}

/* Run a one-row, one-column select (count/aggregates); pushes the value. */
static int scalar_select(ctx *c, sq_select *s) {
  lua_State *L = c->L;
  sq_buf sql;
  sq_binds binds;
  sqlite3_stmt *st;
  int rc;
  colplan p = {0, SQ_T_TEXT, 0, 0, 0, {0}};
  sq_buf_init(&sql);
  sq_binds_init(&binds, c->arena);
  if (sq_sql_select(c->db, &sql, &binds, s)) { sq_buf_free(&sql); return raise_db(L, c->db); }
  st = prepare_built(c->db, &sql, &binds);
  sq_buf_free(&sql);
  if (!st) return raise_db(L, c->db);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) lua_pushnil(L);
    else push_col(L, c->db, st, 0, &p);
    sqlite3_reset(st);
    return 1;
  }
  if (rc == SQLITE_DONE) {
    sqlite3_reset(st);
    lua_pushnil(L);
    return 1;
  }
  sq_db_fail(c->db, rc, sqlite3_sql(st));
  sqlite3_reset(st);
  return raise_db(L, c->db);
}

/* core.count(model, opts): opts.col, opts.distinct as Sequelize */
static int l_count(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 2);
  ctx c;
  sq_select s;
  sq_expr *fn, *arg;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  memset(&s, 0, sizeof s);
  s.model = m;
  s.alias = m->name;
  s.limit = s.offset = -1;
  c.qual = s.alias;
  c.sel = &s;
  if (opts) {
    lua_getfield(L, opts, "include");
    if (lua_istable(L, -1) && sq_rawlen(L, -1) > 0) {
      /* with includes: the joins, and distinct parents counted */
      lua_createtable(L, 0, 2);
      lua_pushvalue(L, -2);
      lua_setfield(L, -2, "include");
      lua_getfield(L, opts, "where");
      lua_setfield(L, -2, "where");
      parse_select(&c, &s, lua_gettop(L));
      lua_pop(L, 1);
      c.qual = s.alias;
      c.sel = &s;
    } else if (opts) {
      s.where = get_where(&c, opts);
    }
    lua_pop(L, 1);
  }
  fn = new_expr(&c, SQ_X_FN);
  fn->name = "count";
  fn->nlen = 5;
  fn->args = xalloc(&c, sizeof(sq_expr *));
  fn->nargs = 1;
  arg = NULL;
  if (opts) {
    lua_getfield(L, opts, "col");
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *nm = lua_tolstring(L, -1, &n);
      arg = attr_expr(&c, find_attr(&c, nm, n, "count"));
    }
    lua_pop(L, 1);
    if (opt_bool(L, opts, "distinct") || s.ninc) {
      sq_expr *d = new_expr(&c, SQ_X_DISTINCT);
      d->args = xalloc(&c, sizeof(sq_expr *));
      d->nargs = 1;
      d->args[0] = arg ? arg : attr_expr(&c, m->attrs[m->pk >= 0 ? m->pk : 0]);
      arg = d;
    }
  }
  fn->args[0] = arg ? arg : new_expr(&c, SQ_X_STAR);
  s.cols = xalloc(&c, sizeof *s.cols);
  s.cols[0].expr = fn;
  s.cols[0].as = "count";
  s.cols[0].attr = -1;
  s.ncols = 1;
  scalar_select(&c, &s);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushinteger(L, 0);
  }
  release_ctx(&c);
  return 1;
}

/* core.aggregate(model, fnname, attribute, opts) -> value or nil */
static int l_aggregate(lua_State *L) {
  sq_model *m = check_model(L, 1);
  const char *fnname = luaL_checkstring(L, 2);
  size_t an;
  const char *aname = luaL_checklstring(L, 3, &an);
  int opts = opts_index(L, 4);
  ctx c;
  sq_select s;
  sq_expr *fn;
  sq_attr *a;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  memset(&s, 0, sizeof s);
  s.model = m;
  s.alias = m->name;
  s.limit = s.offset = -1;
  c.qual = s.alias;
  c.sel = &s;
  a = find_attr(&c, aname, an, fnname);
  if (opts) s.where = get_where(&c, opts);
  fn = new_expr(&c, SQ_X_FN);
  fn->name = fnname;
  fn->nlen = strlen(fnname);
  fn->args = xalloc(&c, sizeof(sq_expr *));
  fn->nargs = 1;
  fn->args[0] = attr_expr(&c, a);
  s.cols = xalloc(&c, sizeof *s.cols);
  s.cols[0].expr = fn;
  s.cols[0].as = fnname;
  s.cols[0].attr = -1;
  s.ncols = 1;
  scalar_select(&c, &s);
  release_ctx(&c);
  return 1;
}

/* ------------------------------------------------------------------------- */
/* writes */

#define SLOT(a) ((a)->index + 1)

static void push_now_iso(lua_State *L, long long ms) {
  char iso[40];
  int n = sq_date_format_iso(ms, iso);
  lua_pushlstring(L, iso, (size_t)n);
}

static void push_default(lua_State *L, sq_db *db, const sq_attr *a, long long now) {
  switch (a->def_kind) {
    case SQ_DEF_NOW:
      if (a->type.kind == SQ_T_DATEONLY) {
        char iso[40];
        sq_date_format_iso(now, iso);
        lua_pushlstring(L, iso, 10);
      } else {
        push_now_iso(L, now);
      }
      return;
    case SQ_DEF_UUIDV4: {
      unsigned char rnd[16];
      char out[37];
      sqlite3_randomness(16, rnd);
      sq_uuid_v4_format(rnd, out);
      lua_pushlstring(L, out, 36);
      return;
    }
    case SQ_DEF_VALUE:
      switch (a->def_vkind) {
        case SQ_V_INT:
          if (a->type.kind == SQ_T_BOOLEAN) lua_pushboolean(L, a->def_i != 0);
          else sq_pushinteger(L, a->def_i);
          return;
        case SQ_V_REAL: lua_pushnumber(L, a->def_d); return;
        case SQ_V_TEXT:
        case SQ_V_BLOB:
          if (a->type.kind == SQ_T_JSON) push_json(L, db, a->def_s, a->def_n);
          else lua_pushlstring(L, a->def_s, a->def_n);
          return;
        default: lua_pushlightuserdata(L, NULL); return;
      }
    default: lua_pushnil(L); return;
  }
}

/* Make a new instance from the values table at `vi` (or none): known attributes are
 * copied, unknown keys ignored, defaults applied. Leaves the instance on the stack. */
/* names: 0, or (bulkCreate) the stack slot of the first of the model's attribute names
 * (pushed once for a whole list, so no key string is made per row); such an instance is
 * inserted before anyone sees it, so it gets no isNewRecord flag and no hash part. */
static void build_instance(lua_State *L, sq_model *m, int modeli, int vi, int mt, long long now, int track,
                           int names) {
  int k, inst, prev = 0;
  lua_createtable(L, m->nattrs, names ? 0 : 1);
  inst = lua_gettop(L);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (vi) {
      if (names) {
        lua_pushvalue(L, names + k);
        lua_rawget(L, vi);
      } else {
        lua_getfield(L, vi, a->name);
      }
      if (!lua_isnil(L, -1)) {
        lua_rawseti(L, inst, k + 1);
        if (track) { /* values given to build count as changed, defaults do not */
          if (!prev) {
            lua_createtable(L, 0, 4);
            prev = lua_gettop(L);
            lua_pushvalue(L, prev);
            lua_rawseti(L, inst, -1);
          }
          lua_pushlightuserdata(L, NULL);
          lua_setfield(L, prev, a->name);
        }
        continue;
      }
      lua_pop(L, 1);
    }
    if (a->def_kind != SQ_DEF_NONE) {
      push_default(L, m->db, a, now);
      lua_rawseti(L, inst, k + 1);
    }
  }
  if (prev) lua_pop(L, 1);
  if (!names) {
    lua_pushboolean(L, 1);
    lua_setfield(L, inst, "isNewRecord");
  }
  if (mt) lua_pushvalue(L, mt);
  else get_instance_mt(L, modeli);
  lua_setmetatable(L, inst);
}

/* core.build(model, values) -> instance */
static int l_build(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  int vi = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    vi = 2;
  }
  build_instance(L, m, 1, vi, 0, sq_now_ms(), 1, 0);
  return 1;
}

/* `fields` (a list of attribute names at stack index fi, or 0): mark them in `mask`. */
static void fields_mask(ctx *c, int fi, unsigned char *mask) {
  lua_State *L = c->L;
  int k, n;
  if (!fi) {
    memset(mask, 1, (size_t)c->m->nattrs);
    return;
  }
  memset(mask, 0, (size_t)c->m->nattrs);
  n = (int)sq_rawlen(L, fi);
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *nm;
    lua_rawgeti(L, fi, k);
    nm = lua_tolstring(L, -1, &len);
    if (!nm) usage(L, c->db, "fields on %s must list attribute names", c->m->name);
    mask[find_attr(c, nm, len, "fields")->index] = 1;
    lua_pop(L, 1);
  }
}

static int get_fields(lua_State *L, int opts) {
  if (!opts) return 0;
  lua_getfield(L, opts, "fields");
  if (lua_istable(L, -1)) return lua_gettop(L);
  lua_pop(L, 1);
  return 0;
}

/* After a write, store the values as a read would return them: dates in ISO form. */
static void normalise_slot(lua_State *L, int inst, const sq_attr *a, const sq_value *v) {
  if (a->type.kind == SQ_T_DATE && v->kind == SQ_V_TEXT) {
    char iso[40];
    int n = sq_date_storage_to_iso(v->u.s.p, v->u.s.n, iso);
    if (n > 0) {
      lua_pushlstring(L, iso, (size_t)n);
      lua_rawseti(L, inst, SLOT(a));
    }
  } else if (a->type.kind == SQ_T_DATEONLY && v->kind == SQ_V_TEXT) {
    lua_pushlstring(L, v->u.s.p, v->u.s.n);
    lua_rawseti(L, inst, SLOT(a));
  }
}

static int step_done(sq_db *db, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  while (rc == SQLITE_ROW) rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) {
    int ext = sqlite3_extended_errcode(db->conn);
    sq_db_fail(db, ext ? ext : rc, sqlite3_sql(st));
    sqlite3_reset(st);
    return -1;
  }
  sqlite3_reset(st);
  return 0;
}

/* INSERT one instance (stack index inst). Sets timestamps and the generated key. */
/* What a run of inserts shares: the time stamp in both forms, and the statement of the
 * last batch with the columns and row count it had (batches of one shape and size reuse
 * it without new SQL text). */
typedef struct insrun {
  long long now;
  int iso;                   /* stack slot of the ISO string for `now`, or 0 */
  char now_db[40];           /* `now` as stored */
  size_t now_db_len;
  sqlite3_stmt *st;          /* statement of the previous batch */
  int st_rows;               /* ... the rows it inserts */
  unsigned char *shape;      /* ... its present[] (nattrs bytes); NULL: no reuse */
  int isnew;                 /* stack slot of the string "isNewRecord", or 0 */
  unsigned gen;              /* the statement cache generation `st` belongs to */
} insrun;

static void insrun_init(lua_State *L, sq_db *db, insrun *r, long long now, unsigned char *shape) {
  const sq_stamp *st = sq_db_stamp(db, now);
  r->now = now;
  lua_pushlstring(L, st->iso, (size_t)st->iso_len);
  r->iso = lua_gettop(L);
  memcpy(r->now_db, st->db, sizeof r->now_db);
  r->now_db_len = (size_t)st->db_len;
  r->st = NULL;
  r->st_rows = 0;
  r->shape = shape;
  r->isnew = 0;
  r->gen = db->cache_gen;
}

/* The values to insert for the instance at `inst`. Its time stamps are set first
 * (createdAt unless given, updatedAt always); then each attribute that `mask` selects (or
 * a time stamp) and that has a value goes into vals[k] and is marked in present[k]. Both
 * arrays are nattrs long; present[] comes zeroed. */
static void row_values(ctx *c, int inst, const unsigned char *mask, const insrun *run, sq_value *vals,
                       unsigned char *present) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k;
  if (m->created_at >= 0) {
    lua_rawgeti(L, inst, m->created_at + 1);
    if (lua_isnil(L, -1) || is_null(L, -1)) {
      lua_pushvalue(L, run->iso);
      lua_rawseti(L, inst, m->created_at + 1);
    }
    lua_pop(L, 1);
  }
  if (m->updated_at >= 0) {
    lua_pushvalue(L, run->iso);
    lua_rawseti(L, inst, m->updated_at + 1);
  }
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (!mask[k] && !a->timestamp) continue;
    lua_rawgeti(L, inst, k + 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    if (a->timestamp && run->now_db_len && lua_rawequal(L, -1, run->iso)) {
      vals[k].kind = SQ_V_TEXT; /* the run's own time stamp: no parsing it back */
      vals[k].u.s.p = run->now_db;
      vals[k].u.s.n = run->now_db_len;
    } else {
      to_db(c, -1, a, &vals[k]);
    }
    present[k] = 1;
    /* the value's string stays referenced by the instance while we run */
    lua_pop(L, 1);
  }
}

/* INSERT `nrows` rows of one shape (present[]); row r's values are at vals + r * nattrs.
 * The previous batch's statement is rebound when its shape and row count are the same. */
static int insert_rows(ctx *c, insrun *run, const sq_value *vals, const unsigned char *present, int nrows) {
  sq_model *m = c->m;
  sqlite3_stmt *st;
  if (run->st && run->gen == c->db->cache_gen && run->shape && run->st_rows == nrows &&
      !memcmp(run->shape, present, (size_t)m->nattrs)) {
    int r, k, j = 0;
    st = run->st;
    sqlite3_reset(st);
    for (r = 0; r < nrows; r++) {
      const sq_value *row = vals + (size_t)r * (size_t)m->nattrs;
      for (k = 0; k < m->nattrs; k++)
        if (present[k] && sq_db_bind(c->db, st, ++j, &row[k])) return -1;
    }
  } else {
    sq_buf sql;
    sq_binds binds;
    sq_buf_init(&sql);
    sq_binds_init(&binds, c->arena);
    if (sq_sql_insert(c->db, &sql, &binds, m, vals, present, nrows)) {
      sq_buf_free(&sql);
      return -1;
    }
    st = prepare_built(c->db, &sql, &binds);
    sq_buf_free(&sql);
    if (st && run->shape) {
      run->st = st;
      run->st_rows = nrows;
      run->gen = c->db->cache_gen;
      memcpy(run->shape, present, (size_t)m->nattrs);
    }
  }
  if (!st || step_done(c->db, st)) {
    run->st = NULL;
    return -1;
  }
  return 0;
}

/* After its INSERT, the instance at `inst` takes the key the database made (`rowid`, when
 * it gave none and the key is an integer) and its values as stored, in their Lua form;
 * it is no longer new and has no unsaved changes. */
static void row_inserted(ctx *c, int inst, const insrun *run, const sq_value *vals, const unsigned char *present,
                         long long rowid) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k;
  if (m->pk >= 0 && !present[m->pk]) {
    sq_attr *pk = m->attrs[m->pk];
    if (pk->type.kind == SQ_T_INTEGER || pk->type.kind == SQ_T_BIGINT) {
      sq_pushinteger(L, rowid);
      lua_rawseti(L, inst, m->pk + 1);
    }
  }
  for (k = 0; k < m->nattrs; k++)
    if (present[k] && vals[k].u.s.p != run->now_db) normalise_slot(L, inst, m->attrs[k], &vals[k]);
  /* cleared only where present: under LuaJIT storing nil under a missing key still
   * makes the key, and so a hash part for every bulk row */
  if (run->isnew) lua_pushvalue(L, run->isnew);
  else lua_pushliteral(L, "isNewRecord");
  lua_pushvalue(L, -1);
  lua_rawget(L, inst);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 2);
  } else {
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_rawset(L, inst);
  }
  lua_rawgeti(L, inst, -1);
  if (!lua_isnil(L, -1)) {
    lua_pushnil(L);
    lua_rawseti(L, inst, -1);
  }
  lua_pop(L, 1);
}

static int insert_instance(ctx *c, int inst, const unsigned char *mask, insrun *run) {
  sq_model *m = c->m;
  sq_value *vals = xalloc(c, sizeof *vals * (size_t)m->nattrs);
  unsigned char *present = xalloc(c, (size_t)m->nattrs);
  row_values(c, inst, mask, run, vals, present);
  if (insert_rows(c, run, vals, present, 1)) return -1;
  row_inserted(c, inst, run, vals, present, sqlite3_last_insert_rowid(c->db->conn));
  return 0;
}

/* The start of a write on (model, instance, opts): logging, the call's context, and the
 * mask of attributes opts.fields allows (all without it). *fi: the fields list's slot or 0. */
static unsigned char *begin_write(lua_State *L, sq_model *m, ctx *c, logctx *lg, int opts, int *fi) {
  unsigned char *mask;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, lg, 1, opts);
  init_ctx(c, L, m->db, m);
  *fi = get_fields(L, opts);
  mask = xalloc(c, (size_t)m->nattrs);
  fields_mask(c, *fi, mask);
  return mask;
}

/* core.insert(model, instance, opts) -> instance */
static int l_insert(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi;
  ctx c;
  unsigned char *mask;
  logctx lg;
  mask = begin_write(L, m, &c, &lg, opts, &fi);
  {
    insrun run;
    insrun_init(L, c.db, &run, sq_now_ms(), NULL);
    if (insert_instance(&c, 2, mask, &run)) return raise_db(L, c.db);
  }
  release_ctx(&c);
  lua_settop(L, 2);
  return 1;
}

typedef struct bulkrun {
  ctx *c;
  unsigned char *mask;
  int n, failed;
  insrun *run;
} bulkrun;

/* Rows one multi-row INSERT of this shape takes: SQ_BULK_ROWS, fewer when that many rows
 * would bind more parameters than the database allows, and one when the database cannot
 * tell the keys it made for several rows or the rows have no columns. */
#define SQ_BULK_ROWS 100
static int batch_rows(ctx *c, const unsigned char *present) {
  sq_model *m = c->m;
  int k, cols = 0, maxp, rows;
  for (k = 0; k < m->nattrs; k++) cols += present[k] != 0;
  if (cols == 0 || !c->db->dialect->rowid_keys) return 1;
  maxp = sq_db_max_params(c->db);
  rows = maxp / cols;
  return rows < 1 ? 1 : rows > SQ_BULK_ROWS ? SQ_BULK_ROWS : rows;
}

/* (run, list): insert every instance of the list, consecutive rows of one shape (the same
 * columns given) by one multi-row INSERT each; stops at the first database error. A batch's
 * keys follow from the last rowid: an INSERT of n rows into a rowid table gives them n
 * consecutive rowids (as Sequelize's sqlite dialect assumes too), checked by the change count. */
static int bulk_loop(lua_State *L) {
  bulkrun *r = lua_touserdata(L, 1);
  ctx *c = r->c;
  sq_model *m = c->m;
  logctx *lg = c->db->log_ud;
  size_t na = (size_t)m->nattrs;
  int k = 1;
  /* the logger and transaction id were passed along: stack slots differ in this frame */
  if (c->db->log) {
    lg->fn = lua_isnil(L, 3) ? 0 : 3;
    lg->txid = lua_isnil(L, 4) ? 0 : 4;
  }
  r->run->iso = 5; /* the run's ISO time stamp, passed along too */
  r->run->isnew = 6;
  while (k <= r->n) {
    sq_value *vals = xalloc(c, sizeof *vals * na * SQ_BULK_ROWS);
    unsigned char *present = xalloc(c, na ? na : 1), *next = xalloc(c, na ? na : 1);
    int cnt, cap = SQ_BULK_ROWS, i;
    long long last;
    for (cnt = 0; k + cnt <= r->n && cnt < cap; cnt++) {
      unsigned char *p = cnt ? next : present;
      if (cnt) memset(next, 0, na);
      lua_rawgeti(L, 2, k + cnt);
      row_values(c, lua_gettop(L), r->mask, r->run, vals + (size_t)cnt * na, p);
      lua_pop(L, 1);
      if (cnt == 0) cap = batch_rows(c, present);
      else if (memcmp(next, present, na)) break; /* another shape: it starts the next batch */
    }
    if (insert_rows(c, r->run, vals, present, cnt)) {
      r->failed = 1;
      return 0;
    }
    last = sqlite3_last_insert_rowid(c->db->conn);
    if (cnt > 1 && m->pk >= 0 && !present[m->pk] && sqlite3_changes(c->db->conn) != cnt) {
      sq_err_set(c->db, SQ_E_DATABASE, "bulkCreate on %s: %d of %d rows were inserted (a trigger or conflict clause skipped some): their keys are unknown",
                 m->name, sqlite3_changes(c->db->conn), cnt);
      r->failed = 1;
      return 0;
    }
    for (i = 0; i < cnt; i++) {
      lua_rawgeti(L, 2, k + i);
      row_inserted(c, lua_gettop(L), r->run, vals + (size_t)i * na, present, last - cnt + 1 + i);
      lua_pop(L, 1);
    }
    k += cnt;
    sq_arena_free(c->arena); /* the batch's values are written: keep the arena small */
  }
  return 0;
}

/* core.bulk_insert(model, list_of_values, opts) -> list of instances, in one savepoint */
static int l_bulk_insert(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi, n, k, out, mt, names, failed = 0;
  ctx c;
  unsigned char *mask;
  long long now = sq_now_ms();
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  fi = get_fields(L, opts);
  mask = lua_newuserdata(L, (size_t)m->nattrs + 1); /* outlives arena resets */
  fields_mask(&c, fi, mask);
  n = (int)sq_rawlen(L, 2);
  get_instance_mt(L, 1);
  mt = lua_gettop(L);
  names = lua_gettop(L) + 1;
  luaL_checkstack(L, m->nattrs + 8, "too many attributes");
  for (k = 0; k < m->nattrs; k++) lua_pushstring(L, m->attrs[k]->name);
  lua_pushliteral(L, "isNewRecord");
  lua_createtable(L, n, 0);
  out = lua_gettop(L);
  push_array_mt(L);
  lua_setmetatable(L, out);
  /* build (and so type-check) every row before writing any */
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 2, k);
    if (!lua_istable(L, -1)) usage(L, c.db, "bulkCreate on %s: item %d is not a table", m->name, k);
    if (lua_getmetatable(L, -1)) {
      /* an instance already: take it as it is */
      lua_pop(L, 1);
    } else {
      int vi = lua_gettop(L);
      build_instance(L, m, 1, vi, mt, now, 0, names);
      lua_replace(L, vi);
    }
    lua_rawseti(L, out, k);
  }
  if (n == 0) {
    release_ctx(&c);
    return 1;
  }
  if (sq_db_begin(c.db, "sequelua_bulk")) return raise_db(L, c.db);
  {
    /* the inserts run protected: a Lua error (a value of the wrong type, say) must roll
     * the savepoint back too, not leave it open */
    bulkrun r;
    insrun run;
    int rc;
    insrun_init(L, c.db, &run, now, lua_newuserdata(L, (size_t)m->nattrs + 1));
    r.c = &c;
    r.mask = mask;
    r.run = &run;
    r.n = n;
    r.failed = 0;
    lua_pushcfunction(L, bulk_loop);
    lua_pushlightuserdata(L, &r);
    lua_pushvalue(L, out);
    if (lg.fn) lua_pushvalue(L, lg.fn); else lua_pushnil(L);
    if (lg.txid) lua_pushvalue(L, lg.txid); else lua_pushnil(L);
    lua_pushvalue(L, run.iso);
    lua_pushvalue(L, names + m->nattrs);
    {
      int fn = lg.fn, txid = lg.txid;
      rc = lua_pcall(L, 6, 0, 0);
      lg.fn = fn;
      lg.txid = txid;
    }
    failed = r.failed;
    if (rc != 0) {
      sq_db_rollback(c.db, "sequelua_bulk");
      return lua_error(L);
    }
  }
  if (failed) {
    sq_err saved;
    sq_err_init(&saved);
    saved.kind = c.db->err.kind;
    saved.code = c.db->err.code;
    sq_buf_add(&saved.msg, sq_buf_cstr(&c.db->err.msg), c.db->err.msg.len);
    sq_buf_add(&saved.sql, sq_buf_cstr(&c.db->err.sql), c.db->err.sql.len);
    sq_db_rollback(c.db, "sequelua_bulk");
    sq_err_free(&c.db->err);
    c.db->err = saved;
    return raise_db(L, c.db);
  }
  if (sq_db_commit(c.db, "sequelua_bulk")) return raise_db(L, c.db);
  release_ctx(&c);
  lua_settop(L, out);
  return 1;
}

/* The values identifying the row of the instance at `inst`: each primary key's value
 * (the previous one when it has an unsaved change), in column order, into vals[0..npk). */
static void pk_values(ctx *c, int inst, sq_value *vals) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k, j = 0;
  if (m->npk == 0) usage(L, c->db, "%s has no primary key: cannot identify the row", m->name);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (!a->pk) continue;
    lua_rawgeti(L, inst, -1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, a->name);
      lua_replace(L, -2);
    }
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_rawgeti(L, inst, k + 1);
    }
    if (lua_isnil(L, -1) || is_null(L, -1))
      usage(L, c->db, "%s instance has no value for its primary key %s", m->name, a->name);
    to_db(c, -1, a, &vals[j++]);
    lua_pop(L, 1);
  }
}

/* A where tree `pk = value` from the instance's slots (previous key when changed). */
static sq_where *pk_where(ctx *c, int inst) {
  sq_model *m = c->m;
  sq_value *vals = xalloc(c, sizeof *vals * (size_t)(m->npk ? m->npk : 1));
  sq_where *w;
  int k, j = 0;
  pk_values(c, inst, vals);
  w = new_node(c, SQ_W_AND, m->npk);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    sq_where *cmp;
    if (!a->pk) continue;
    cmp = new_node(c, SQ_W_CMP, 0);
    cmp->lhs = attr_expr(c, a);
    cmp->op = SQ_OP_EQ;
    cmp->nrhs = 1;
    cmp->rhs = xalloc(c, sizeof(sq_expr *));
    cmp->rhs[0] = new_expr(c, SQ_X_VALUE);
    cmp->rhs[0]->v = vals[j++];
    w->kids[w->nkids++] = cmp;
  }
  return w;
}

/* The UPDATE of one row by its key: built, logged, prepared and bound. The text of the
 * last one is kept with the model (m->upd) by the columns it sets, so a run of saves of
 * one shape (P6's loop) rebinds the same statement without building SQL again. */
static sqlite3_stmt *update_by_pk(ctx *c, int inst, const sq_value *vals, const unsigned char *present) {
  sq_model *m = c->m;
  sq_db *db = c->db;
  sq_upd_cache *u = &m->upd;
  sqlite3_stmt *st;
  if (u->sql && u->nattrs == m->nattrs && !memcmp(u->set, present, (size_t)m->nattrs)) {
    sq_value *key = xalloc(c, sizeof *key * (size_t)(m->npk ? m->npk : 1));
    int k, j = 0;
    pk_values(c, inst, key);
    sq_db_log(db, u->sql, u->len);
    if (u->st && u->gen == db->cache_gen) {
      st = u->st;
      sqlite3_reset(st);
    } else {
      st = sq_db_prepare(db, u->sql, u->len);
      if (!st) return NULL;
      u->st = st;
      u->gen = db->cache_gen;
    }
    for (k = 0; k < m->nattrs; k++)
      if (present[k] && sq_db_bind(db, st, ++j, &vals[k])) return NULL;
    for (k = 0; k < m->npk; k++)
      if (sq_db_bind(db, st, ++j, &key[k])) return NULL;
    return st;
  } else {
    sq_buf sql;
    sq_binds binds;
    sq_where *w;
    c->qual = NULL;
    w = pk_where(c, inst);
    sq_buf_init(&sql);
    sq_binds_init(&binds, c->arena);
    if (sq_sql_update(db, &sql, &binds, m, vals, present, w)) {
      sq_buf_free(&sql);
      return NULL;
    }
    st = prepare_built(db, &sql, &binds);
    if (st && !sq_upd_cache_set(u, m->nattrs, present, sql.p, sql.len)) {
      u->st = st; /* (without memory for the copy, nothing is cached) */
      u->gen = db->cache_gen;
    }
    sq_buf_free(&sql);
    return st;
  }
}

/* Stamp updatedAt, unless opts.silent: the instance's slot gets the ISO form, vals[] the
 * stored one. Returns the attribute stamped, or -1. */
static int stamp_updated(ctx *c, int inst, int opts, sq_value *vals, unsigned char *present) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  long long now;
  char *buf;
  const sq_stamp *st;
  if (m->updated_at < 0 || opt_bool(L, opts, "silent")) return -1;
  now = sq_now_ms();
  st = sq_db_stamp(c->db, now);
  buf = xalloc(c, (size_t)st->db_len + 1); /* a copy: the stamp changes with the next call */
  memcpy(buf, st->db, (size_t)st->db_len);
  lua_pushlstring(L, st->iso, (size_t)st->iso_len);
  lua_rawseti(L, inst, m->updated_at + 1);
  vals[m->updated_at].kind = SQ_V_TEXT;
  vals[m->updated_at].u.s.p = buf;
  vals[m->updated_at].u.s.n = (size_t)st->db_len;
  present[m->updated_at] = 1;
  return m->updated_at;
}

/* Write the changed attributes of the instance at stack slot 2 that `mask` selects (all
 * when `partial` is 0), plus updatedAt; forget the written changes. */
static int save_changes(lua_State *L, sq_model *m, ctx *cp, int opts, const unsigned char *mask, int partial) {
  ctx c = *cp;
  int fi = partial, k, nset = 0, prev, stamped = -1;
  unsigned char *present;
  sq_value *vals;
  sqlite3_stmt *st;
  present = xalloc(&c, (size_t)m->nattrs);
  vals = xalloc(&c, sizeof *vals * (size_t)m->nattrs);
  lua_rawgeti(L, 2, -1);
  prev = lua_gettop(L);
  if (lua_istable(L, prev)) {
    for (k = 0; k < m->nattrs; k++) {
      sq_attr *a = m->attrs[k];
      if (!mask[k] || a->timestamp == 2) continue;
      lua_getfield(L, prev, a->name);
      if (!lua_isnil(L, -1)) {
        lua_rawgeti(L, 2, k + 1);
        if (!lua_rawequal(L, -1, -2) || lua_istable(L, -1)) {
          to_db(&c, -1, a, &vals[k]);
          present[k] = 1;
          nset++;
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  if (nset == 0) {
    release_ctx(&c);
    lua_pushinteger(L, 0);
    return 1;
  }
  stamped = stamp_updated(&c, 2, opts, vals, present);
  st = update_by_pk(&c, 2, vals, present);
  if (!st || step_done(c.db, st)) return raise_db(L, c.db);
  for (k = 0; k < m->nattrs; k++)
    if (present[k] && k != stamped) normalise_slot(L, 2, m->attrs[k], &vals[k]);
  /* forget the saved changes */
  if (fi) {
    for (k = 0; k < m->nattrs; k++) {
      if (!present[k]) continue;
      lua_pushnil(L);
      lua_setfield(L, prev, m->attrs[k]->name);
    }
    lua_pushnil(L);
    if (lua_next(L, prev)) lua_pop(L, 2);
    else {
      lua_pushnil(L);
      lua_rawseti(L, 2, -1);
    }
  } else {
    lua_pushnil(L);
    lua_rawseti(L, 2, -1);
  }
  release_ctx(&c);
  lua_pushinteger(L, nset);
  return 1;
}

/* core.save(model, instance, opts) -> number of changed columns written.
 * Writes the attributes recorded in t[-1] (changed since load), plus updatedAt. */
static int l_save(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi;
  ctx c;
  unsigned char *mask;
  logctx lg;
  mask = begin_write(L, m, &c, &lg, opts, &fi);
  return save_changes(L, m, &c, opts, mask, fi != 0);
}

/* update_fields for an instance (stack slot 2, values at 3) without unsaved changes whose
 * key stays the same: the changed attributes go straight into the UPDATE, and no table of
 * previous values is made unless the UPDATE fails (then it records them, as a field write
 * would have). Returns 0, having changed nothing, when the general path must run. */
static int update_direct(ctx *c, int opts, unsigned char *changed) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  sq_value *vals;
  unsigned char *present;
  sqlite3_stmt *st;
  int k, nset = 0, stamped, old0;
  /* which attributes change; a changing key needs the general path */
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    size_t n;
    const char *key;
    sq_attr *a;
    if (lua_type(L, -2) == LUA_TSTRING && (key = lua_tolstring(L, -2, &n)) && (a = sq_model_attr(m, key, n))) {
      lua_rawgeti(L, 2, a->index + 1);
      if (!(lua_rawequal(L, -1, -2) && !lua_istable(L, -2))) {
        if (a->pk) {
          lua_pop(L, 3);
          return 0;
        }
        changed[a->index] = 1;
        nset++;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (nset == 0) {
    release_ctx(c);
    lua_pushinteger(L, 0);
    return 1;
  }
  /* convert the new values first (a bad one raises before anything changed), then keep the
   * old ones on the stack and write the new ones into the slots */
  vals = xalloc(c, sizeof *vals * (size_t)m->nattrs);
  present = xalloc(c, (size_t)m->nattrs);
  luaL_checkstack(L, m->nattrs + 8, "too many attributes");
  for (k = 0; k < m->nattrs; k++) {
    if (!changed[k]) continue;
    lua_getfield(L, 3, m->attrs[k]->name);
    to_db(c, -1, m->attrs[k], &vals[k]);
    present[k] = 1;
    lua_pop(L, 1); /* the string stays referenced by the values table */
  }
  old0 = lua_gettop(L) + 1;
  for (k = 0; k < m->nattrs; k++) {
    if (!changed[k]) continue;
    lua_rawgeti(L, 2, k + 1);
    lua_getfield(L, 3, m->attrs[k]->name);
    lua_rawseti(L, 2, k + 1);
  }
  stamped = stamp_updated(c, 2, opts, vals, present);
  st = update_by_pk(c, 2, vals, present);
  if (!st || step_done(c->db, st)) {
    /* the instance keeps its new values as unsaved changes, with what they replaced */
    int j = old0;
    lua_createtable(L, 0, nset);
    for (k = 0; k < m->nattrs; k++) {
      if (!changed[k]) continue;
      if (lua_isnil(L, j)) lua_pushlightuserdata(L, NULL);
      else lua_pushvalue(L, j);
      lua_setfield(L, -2, m->attrs[k]->name);
      j++;
    }
    lua_rawseti(L, 2, -1);
    return raise_db(L, c->db);
  }
  for (k = 0; k < m->nattrs; k++)
    if (present[k] && k != stamped) normalise_slot(L, 2, m->attrs[k], &vals[k]);
  release_ctx(c);
  lua_pushinteger(L, nset);
  return 1;
}

/* core.update_fields(model, instance, values, opts): instance:update(values) for a model
 * without setters or Lua validators: set each attribute named in values (recording the
 * previous value as a field write does), then save those that changed. Returns false,
 * having done nothing, when a value needs the validation pass: an attribute with
 * validators or an ENUM, null for a non-null attribute, a table for a non-JSON one. */
static int l_update_fields(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 4), prev = 0;
  ctx c;
  unsigned char *mask;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    size_t n;
    const char *key;
    sq_attr *a;
    if (lua_type(L, -2) == LUA_TSTRING && (key = lua_tolstring(L, -2, &n)) && (a = sq_model_attr(m, key, n)) &&
        (a->nvalidators > 0 || a->type.kind == SQ_T_ENUM || (!a->allow_null && is_null(L, -1)) ||
         (lua_istable(L, -1) && a->type.kind != SQ_T_JSON))) {
      lua_pushboolean(L, 0);
      return 1;
    }
    lua_pop(L, 1);
  }
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  mask = xalloc(&c, (size_t)m->nattrs);
  lua_rawgeti(L, 2, -1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (update_direct(&c, opts, mask)) return 1;
  } else {
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    size_t n;
    const char *key;
    sq_attr *a;
    if (lua_type(L, -2) != LUA_TSTRING || !(key = lua_tolstring(L, -2, &n)) ||
        !(a = sq_model_attr(m, key, n))) {
      lua_pop(L, 1); /* keys that are not attributes are ignored, as by update */
      continue;
    }
    mask[a->index] = 1;
    lua_rawgeti(L, 2, a->index + 1); /* old */
    if (!(lua_rawequal(L, -1, -2) && !lua_istable(L, -2))) {
      if (!prev) {
        lua_rawgeti(L, 2, -1);
        if (!lua_istable(L, -1)) {
          lua_pop(L, 1);
          lua_newtable(L);
          lua_pushvalue(L, -1);
          lua_rawseti(L, 2, -1);
        }
        prev = lua_gettop(L);
        lua_insert(L, -4); /* keep it below key, value, old */
        prev = lua_gettop(L) - 3;
      }
      lua_pushvalue(L, -3);
      lua_rawget(L, prev);
      if (lua_isnil(L, -1)) { /* the first change: remember the old value */
        lua_pop(L, 1);
        lua_pushvalue(L, -3);
        if (lua_isnil(L, -2)) lua_pushlightuserdata(L, NULL);
        else lua_pushvalue(L, -2);
        lua_rawset(L, prev);
      } else {
        lua_pop(L, 1);
      }
      lua_pushvalue(L, -2);
      lua_rawseti(L, 2, a->index + 1);
    }
    lua_pop(L, 2);
  }
  return save_changes(L, m, &c, opts, mask, 1);
}

/* core.reload(model, instance, opts): re-read every column by primary key. */
static int l_reload(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), k, rc;
  ctx c;
  sq_select s;
  sq_buf sql;
  sq_binds binds;
  sqlite3_stmt *st;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  parse_select(&c, &s, 0);
  s.where = pk_where(&c, 2);
  s.limit = 1;
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_select(c.db, &sql, &binds, &s)) { sq_buf_free(&sql); return raise_db(L, c.db); }
  st = prepare_built(c.db, &sql, &binds);
  sq_buf_free(&sql);
  if (!st) return raise_db(L, c.db);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    for (k = 0; k < s.ncols; k++) {
      colplan p;
      const sq_attr *a = m->attrs[s.cols[k].attr];
      memset(&p, 0, sizeof p);
      p.slot = a->index + 1;
      p.conv = 1;
      p.kind = a->type.kind;
      push_col(L, c.db, st, k, &p);
      lua_rawseti(L, 2, p.slot);
    }
    sqlite3_reset(st);
    lua_pushnil(L);
    lua_rawseti(L, 2, -1);
    lua_pushboolean(L, 1);
  } else if (rc == SQLITE_DONE) {
    sqlite3_reset(st);
    lua_pushboolean(L, 0);
  } else {
    sq_db_fail(c.db, rc, sqlite3_sql(st));
    sqlite3_reset(st);
    return raise_db(L, c.db);
  }
  release_ctx(&c);
  return 1;
}

static int run_changes(ctx *c, sq_buf *sql, sq_binds *binds) {
  sqlite3_stmt *st = prepare_built(c->db, sql, binds);
  sq_buf_free(sql);
  if (!st || step_done(c->db, st)) return raise_db(c->L, c->db);
  lua_pushinteger(c->L, sqlite3_changes(c->db->conn));
  return 1;
}

/* core.update(model, values, opts) -> affected rows. Only the given attributes (and
 * updatedAt) are written. */
static int l_update(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi, k, nset = 0;
  ctx c;
  unsigned char *mask, *present;
  sq_value *vals;
  sq_where *w;
  sq_buf sql;
  sq_binds binds;
  logctx lg;
  mask = begin_write(L, m, &c, &lg, opts, &fi);
  present = xalloc(&c, (size_t)m->nattrs);
  vals = xalloc(&c, sizeof *vals * (size_t)m->nattrs);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (!mask[k]) continue;
    lua_getfield(L, 2, a->name);
    if (!lua_isnil(L, -1)) {
      if (is_expr(L, -1)) usage(L, c.db, "update on %s: expressions as values are not supported", m->name);
      to_db(&c, -1, a, &vals[k]);
      present[k] = 1;
      nset++;
    }
    lua_pop(L, 1);
  }
  if (nset == 0) {
    release_ctx(&c);
    lua_pushinteger(L, 0);
    return 1;
  }
  if (m->updated_at >= 0 && !present[m->updated_at] && !opt_bool(L, opts, "silent")) {
    char *buf = xalloc(&c, 40);
    vals[m->updated_at].kind = SQ_V_TEXT;
    vals[m->updated_at].u.s.p = buf;
    vals[m->updated_at].u.s.n = (size_t)c.db->dialect->date_to_db(sq_now_ms(), buf);
    present[m->updated_at] = 1;
  }
  c.qual = NULL;
  w = get_where(&c, opts);
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_update(c.db, &sql, &binds, m, vals, present, w)) { sq_buf_free(&sql); return raise_db(L, c.db); }
  run_changes(&c, &sql, &binds);
  release_ctx(&c);
  return 1;
}

/* core.destroy(model, opts) -> affected rows; an instance at index 3 deletes by key */
static int l_destroy(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 2);
  ctx c;
  sq_where *w;
  sq_buf sql;
  sq_binds binds;
  long long limit;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  c.qual = NULL;
  if (lua_istable(L, 3)) w = pk_where(&c, 3);
  else if (opt_bool(L, opts, "truncate")) w = NULL;
  else w = get_where(&c, opts);
  limit = opts ? opt_count(&c, opts, "limit") : -1;
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_delete(c.db, &sql, &binds, m, w, limit)) { sq_buf_free(&sql); return raise_db(L, c.db); }
  run_changes(&c, &sql, &binds);
  release_ctx(&c);
  return 1;
}

/* core.increment(model, by_table, opts, instance_or_nil) -> affected rows.
 * by_table maps attribute names to amounts (negative to decrement). */
static int l_increment(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), nset = 0;
  ctx c;
  unsigned char *present, *extra_present;
  sq_value *by, *extra;
  sq_where *w;
  sq_buf sql;
  sq_binds binds;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m);
  present = xalloc(&c, (size_t)m->nattrs);
  extra_present = xalloc(&c, (size_t)m->nattrs);
  by = xalloc(&c, sizeof *by * (size_t)m->nattrs);
  extra = xalloc(&c, sizeof *extra * (size_t)m->nattrs);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    size_t n;
    const char *nm;
    sq_attr *a;
    if (lua_type(L, -2) != LUA_TSTRING) usage(L, c.db, "increment on %s: keys must be attribute names", m->name);
    nm = lua_tolstring(L, -2, &n);
    a = find_attr(&c, nm, n, "increment");
    if (lua_type(L, -1) != LUA_TNUMBER)
      usage(L, c.db, "increment on %s.%s: expected a number, got %s", m->name, a->name, luaL_typename(L, -1));
    to_db_plain(L, c.db, -1, &by[a->index], a->name);
    present[a->index] = 1;
    nset++;
    lua_pop(L, 1);
  }
  if (nset == 0) {
    release_ctx(&c);
    lua_pushinteger(L, 0);
    return 1;
  }
  if (m->updated_at >= 0 && !present[m->updated_at] && !opt_bool(L, opts, "silent")) {
    char *buf = xalloc(&c, 40);
    extra[m->updated_at].kind = SQ_V_TEXT;
    extra[m->updated_at].u.s.p = buf;
    extra[m->updated_at].u.s.n = (size_t)c.db->dialect->date_to_db(sq_now_ms(), buf);
    extra_present[m->updated_at] = 1;
  }
  c.qual = NULL;
  if (lua_istable(L, 4)) w = pk_where(&c, 4);
  else w = get_where(&c, opts);
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_increment(c.db, &sql, &binds, m, by, present, extra, extra_present, w)) {
    sq_buf_free(&sql);
    return raise_db(L, c.db);
  }
  run_changes(&c, &sql, &binds);
  release_ctx(&c);
  return 1;
}

/* ------------------------------------------------------------------------- */
/* define */

static const char *const type_keys[SQ_T_NTYPES] = {
  "STRING", "CHAR", "TEXT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL", "BOOLEAN",
  "DATE", "DATEONLY", "UUID", "JSON", "BLOB", "ENUM"};

static const char *const vkey_names[SQ_VK_N] = {
  "isEmail", "isUrl", "isIP", "isIPv4", "isIPv6", "isAlpha", "isAlphanumeric", "isNumeric", "isInt",
  "isFloat", "isDecimal", "isLowercase", "isUppercase", "isUUID", "notEmpty", "isIn", "notIn", "len",
  "min", "max", "contains", "notContains", "equals", "isDate", "notNull"};

static char *dup_field(lua_State *L, int t, const char *key) {
  const char *s;
  char *p = NULL;
  lua_getfield(L, t, key);
  s = lua_tostring(L, -1);
  if (s) p = strdup(s);
  lua_pop(L, 1);
  return p;
}

static int int_field(lua_State *L, int t, const char *key, int dflt) {
  long long v;
  int r = dflt;
  lua_getfield(L, t, key);
  if (sq_isinteger(L, -1, &v)) r = (int)v;
  lua_pop(L, 1);
  return r;
}

static int bool_field(lua_State *L, int t, const char *key) {
  int r;
  lua_getfield(L, t, key);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

static char **dup_list(lua_State *L, int t, int *n_out) {
  int n = (int)sq_rawlen(L, t), k;
  char **v = calloc((size_t)(n ? n : 1), sizeof *v);
  *n_out = 0;
  if (!v) return NULL;
  for (k = 1; k <= n; k++) {
    const char *s;
    lua_rawgeti(L, t, k);
    s = lua_tostring(L, -1);
    v[k - 1] = strdup(s ? s : "");
    lua_pop(L, 1);
    if (!v[k - 1]) {
      while (--k > 0) free(v[k - 1]);
      free(v);
      return NULL;
    }
  }
  *n_out = n;
  return v;
}

/* Fill attribute `a` from the normalised definition table at `t` (made by model.lua). */
static int fill_attr(lua_State *L, sq_db *db, sq_attr *a, int t) {
  int k;
  const char *key;
  t = lua_absindex(L, t);
  a->field = dup_field(L, t, "field");
  if (!a->field) return -1;
  lua_getfield(L, t, "type");
  lua_getfield(L, -1, "key");
  key = lua_tostring(L, -1);
  for (k = 0; key && k < SQ_T_NTYPES; k++)
    if (!strcmp(type_keys[k], key)) break;
  lua_pop(L, 1);
  if (!key || k == SQ_T_NTYPES) {
    lua_pop(L, 1);
    sq_err_set(db, SQ_E_USAGE, "Unrecognized datatype for attribute \"%s\"", a->name);
    return -2;
  }
  a->type.kind = (sq_type_kind)k;
  a->type.length = int_field(L, -1, "length", -1);
  a->type.precision = int_field(L, -1, "precision", -1);
  a->type.scale = int_field(L, -1, "scale", -1);
  a->type.is_unsigned = (unsigned char)bool_field(L, -1, "unsigned");
  a->type.zerofill = (unsigned char)bool_field(L, -1, "zerofill");
  a->type.binary = (unsigned char)bool_field(L, -1, "binary");
  lua_getfield(L, -1, "values");
  if (lua_istable(L, -1)) {
    a->type.values = dup_list(L, lua_gettop(L), &a->type.nvalues);
    if (!a->type.values) { lua_pop(L, 2); return -1; }
  }
  lua_pop(L, 2);
  a->pk = (unsigned char)bool_field(L, t, "primaryKey");
  a->autoinc = (unsigned char)bool_field(L, t, "autoIncrement");
  lua_getfield(L, t, "allowNull");
  a->allow_null = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, t, "unique");
  if (lua_type(L, -1) == LUA_TSTRING) {
    a->unique = 1;
    a->unique_name = strdup(lua_tostring(L, -1));
    if (!a->unique_name) { lua_pop(L, 1); return -1; }
  } else {
    a->unique = (unsigned char)lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "defaultKind");
  key = lua_tostring(L, -1);
  if (key && !strcmp(key, "NOW")) a->def_kind = SQ_DEF_NOW;
  else if (key && !strcmp(key, "UUIDV4")) a->def_kind = SQ_DEF_UUIDV4;
  lua_pop(L, 1);
  if (a->def_kind == SQ_DEF_NONE) {
    lua_getfield(L, t, "defaultValue");
    if (!lua_isnil(L, -1)) {
      long long iv;
      a->def_kind = SQ_DEF_VALUE;
      switch (lua_type(L, -1)) {
        case LUA_TBOOLEAN: a->def_vkind = SQ_V_INT; a->def_i = lua_toboolean(L, -1); break;
        case LUA_TNUMBER:
          if (sq_isinteger(L, -1, &iv)) { a->def_vkind = SQ_V_INT; a->def_i = iv; }
          else { a->def_vkind = SQ_V_REAL; a->def_d = lua_tonumber(L, -1); }
          break;
        case LUA_TSTRING: {
          size_t n;
          const char *s = lua_tolstring(L, -1, &n);
          a->def_vkind = SQ_V_TEXT;
          a->def_s = malloc(n + 1);
          if (!a->def_s) { lua_pop(L, 1); return -1; }
          memcpy(a->def_s, s, n + 1);
          a->def_n = n;
          break;
        }
        case LUA_TTABLE: {
          sq_buf b;
          sq_buf_init(&b);
          encode_json_value(L, db, lua_gettop(L), &b);
          a->def_vkind = SQ_V_TEXT;
          a->def_s = malloc(b.len + 1);
          if (!a->def_s) { sq_buf_free(&b); lua_pop(L, 1); return -1; }
          memcpy(a->def_s, sq_buf_cstr(&b), b.len + 1);
          a->def_n = b.len;
          sq_buf_free(&b);
          break;
        }
        default:
          if (is_null(L, -1)) { a->def_vkind = SQ_V_NULL; break; }
          lua_pop(L, 1);
          sq_err_set(db, SQ_E_USAGE, "Invalid defaultValue for attribute \"%s\"", a->name);
          return -2;
      }
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, t, "references");
  if (lua_istable(L, -1)) {
    a->ref_table = dup_field(L, lua_gettop(L), "table");
    a->ref_key = dup_field(L, lua_gettop(L), "key");
  }
  lua_pop(L, 1);
  a->on_delete = dup_field(L, t, "onDelete");
  a->on_update = dup_field(L, t, "onUpdate");
  a->is_fk = (unsigned char)bool_field(L, t, "isForeignKey");
  lua_getfield(L, t, "validators");
  if (lua_istable(L, -1)) {
    int vt = lua_gettop(L), n = (int)sq_rawlen(L, vt);
    a->validators = calloc((size_t)(n ? n : 1), sizeof *a->validators);
    if (!a->validators) { lua_pop(L, 1); return -1; }
    for (k = 1; k <= n; k++) {
      sq_validator *v = &a->validators[a->nvalidators];
      int j, it;
      lua_rawgeti(L, vt, k);
      it = lua_gettop(L);
      lua_getfield(L, it, "key");
      key = lua_tostring(L, -1);
      for (j = 0; key && j < SQ_VK_N; j++)
        if (!strcmp(vkey_names[j], key)) break;
      lua_pop(L, 1);
      if (!key || j == SQ_VK_N) { lua_pop(L, 2); continue; } /* Lua-side validator */
      v->key = (sq_vkey)j;
      v->msg = dup_field(L, it, "msg");
      lua_getfield(L, it, "a");
      v->a = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : -1;
      lua_getfield(L, it, "b");
      v->b = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : -1;
      lua_pop(L, 2);
      lua_getfield(L, it, "list");
      if (lua_istable(L, -1)) {
        v->list = dup_list(L, lua_gettop(L), &v->nlist);
        if (!v->list) { lua_pop(L, 3); a->nvalidators++; return -1; }
      }
      lua_pop(L, 2);
      a->nvalidators++;
    }
  }
  lua_pop(L, 1);
  return 0;
}

static void new_model_box(lua_State *L, int dbi, sq_db *db, sq_model *m) {
  modelbox *mb = sq_newuserdata(L, sizeof *mb);
  mb->db = db;
  mb->m = m;
  luaL_setmetatable(L, MODEL_MT);
  /* uservalue: { db = dbbox } with the db's uservalue as __index (logging...) */
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, dbi);
  lua_setfield(L, -2, "db");
  lua_createtable(L, 0, 1);
  sq_getuservalue(L, dbi);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  sq_setuservalue(L, -2);
}

/* core.define(db, name, attrs, opts) -> model box */
static int l_define(lua_State *L) {
  sq_db *db = check_dbbox(L, 1)->db;
  const char *name = luaL_checkstring(L, 2);
  int k, n, rc;
  sq_model *m;
  const char *created, *updated;
  char *table, *singular, *plural;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  m = sq_model_new(db, name);
  if (!m) return luaL_error(L, "out of memory");
  m->underscored = (unsigned char)bool_field(L, 4, "underscored");
  n = (int)sq_rawlen(L, 3);
  for (k = 1; k <= n; k++) {
    sq_attr *a;
    lua_rawgeti(L, 3, k);
    lua_getfield(L, -1, "name");
    a = sq_attr_new(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    if (!a) { sq_model_free(m); return luaL_error(L, "out of memory"); }
    rc = fill_attr(L, db, a, -1);
    lua_pop(L, 1);
    if (rc || sq_model_add_attr(m, a)) {
      sq_attr_free(a);
      sq_model_free(m);
      if (rc == -2) return raise_db(L, db);
      return luaL_error(L, "out of memory");
    }
  }
  lua_getfield(L, 4, "createdAt");
  created = lua_tostring(L, -1);
  lua_getfield(L, 4, "updatedAt");
  updated = lua_tostring(L, -1);
  table = dup_field(L, 4, "tableName");
  singular = dup_field(L, 4, "singular");
  plural = dup_field(L, 4, "plural");
  rc = (bool_field(L, 4, "timestamps") && sq_model_add_timestamps(m, created, updated)) ||
       sq_model_set_names(m, table, bool_field(L, 4, "freezeTableName"), singular, plural) ||
       sq_model_finish(m);
  lua_pop(L, 2);
  free(table);
  free(singular);
  free(plural);
  if (rc || sq_db_add_model(db, m)) {
    sq_model_free(m);
    return luaL_error(L, "out of memory");
  }
  new_model_box(L, 1, db, m);
  return 1;
}

static void push_type(lua_State *L, const sq_type *t) {
  lua_createtable(L, 0, 6);
  lua_pushstring(L, type_keys[t->kind]);
  lua_setfield(L, -2, "key");
  if (t->length >= 0) { lua_pushinteger(L, t->length); lua_setfield(L, -2, "length"); }
  if (t->precision >= 0) { lua_pushinteger(L, t->precision); lua_setfield(L, -2, "precision"); }
  if (t->scale >= 0) { lua_pushinteger(L, t->scale); lua_setfield(L, -2, "scale"); }
  if (t->is_unsigned) { lua_pushboolean(L, 1); lua_setfield(L, -2, "unsigned"); }
  if (t->zerofill) { lua_pushboolean(L, 1); lua_setfield(L, -2, "zerofill"); }
  if (t->nvalues) {
    int k;
    lua_createtable(L, t->nvalues, 0);
    for (k = 0; k < t->nvalues; k++) {
      lua_pushstring(L, t->values[k]);
      lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "values");
  }
}

/* core.model_info(model) -> { name, tableName, singular, plural, primaryKeyAttribute,
 *   attributes = { { name, field, index, type, primaryKey, ... }, ... } } */
static int l_model_info(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  int k;
  char sqlt[128];
  lua_createtable(L, 0, 8);
  lua_pushstring(L, m->name); lua_setfield(L, -2, "name");
  lua_pushstring(L, m->table); lua_setfield(L, -2, "tableName");
  lua_pushstring(L, m->singular); lua_setfield(L, -2, "singular");
  lua_pushstring(L, m->plural); lua_setfield(L, -2, "plural");
  lua_pushinteger(L, m->id); lua_setfield(L, -2, "id");
  if (m->pk >= 0) { lua_pushstring(L, m->attrs[m->pk]->name); lua_setfield(L, -2, "primaryKeyAttribute"); }
  if (m->created_at >= 0) { lua_pushstring(L, m->attrs[m->created_at]->name); lua_setfield(L, -2, "createdAt"); }
  if (m->updated_at >= 0) { lua_pushstring(L, m->attrs[m->updated_at]->name); lua_setfield(L, -2, "updatedAt"); }
  lua_createtable(L, m->nattrs, 0);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    sq_buf tb;
    lua_createtable(L, 0, 12);
    lua_pushstring(L, a->name); lua_setfield(L, -2, "fieldName");
    lua_pushstring(L, a->field); lua_setfield(L, -2, "field");
    lua_pushinteger(L, k + 1); lua_setfield(L, -2, "index");
    push_type(L, &a->type);
    sq_buf_init(&tb);
    m->db->dialect->type_sql(&tb, &a->type);
    snprintf(sqlt, sizeof sqlt, "%s", sq_buf_cstr(&tb));
    sq_buf_free(&tb);
    lua_pushstring(L, sqlt);
    lua_setfield(L, -2, "sql");
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, a->pk); lua_setfield(L, -2, "primaryKey");
    lua_pushboolean(L, a->autoinc); lua_setfield(L, -2, "autoIncrement");
    lua_pushboolean(L, a->allow_null); lua_setfield(L, -2, "allowNull");
    /* does a value of this attribute need the C validation pass (beyond its Lua type)? */
    lua_pushboolean(L, a->nvalidators > 0 || !a->allow_null || a->type.kind == SQ_T_ENUM);
    lua_setfield(L, -2, "_checked");
    if (a->unique_name) lua_pushstring(L, a->unique_name);
    else lua_pushboolean(L, a->unique);
    lua_setfield(L, -2, "unique");
    if (a->timestamp) { lua_pushboolean(L, 1); lua_setfield(L, -2, "_autoGenerated"); }
    if (a->ref_table) {
      lua_createtable(L, 0, 2);
      lua_pushstring(L, a->ref_table); lua_setfield(L, -2, "model");
      lua_pushstring(L, a->ref_key ? a->ref_key : "id"); lua_setfield(L, -2, "key");
      lua_setfield(L, -2, "references");
    }
    if (a->on_delete) { lua_pushstring(L, a->on_delete); lua_setfield(L, -2, "onDelete"); }
    if (a->on_update) { lua_pushstring(L, a->on_update); lua_setfield(L, -2, "onUpdate"); }
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "attributes");
  return 1;
}

/* core.set_model(model, key, value): store on the model box (mt = instance metatable). */
static int l_set_model(lua_State *L) {
  check_modelbox(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 3);
  sq_getuservalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  return 0;
}

/* core.set_db(db, key, value): store on the db box (logging). */
static int l_set_db(lua_State *L) {
  check_dbbox(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 3);
  sq_getuservalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  return 0;
}

/* Collect model boxes from the list at `li` (or all the db's live models). */
static int collect_models(lua_State *L, int li, sq_model ***out) {
  int n = (int)sq_rawlen(L, li), k;
  sq_model **v = lua_newuserdata(L, sizeof *v * (size_t)(n ? n : 1));
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, li, k);
    v[k - 1] = check_modelbox(L, -1)->m;
    lua_pop(L, 1);
  }
  *out = v;
  return n;
}

/* core.sync(db, models, force, opts) */
static int l_sync(lua_State *L) {
  sq_db *db = check_db(L, 1);
  int force = lua_toboolean(L, 3), opts = opts_index(L, 4), n;
  sq_model **v;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, db, &lg, 1, opts);
  n = collect_models(L, 2, &v);
  if (sq_sync(db, v, n, force)) return raise_db(L, db);
  return 0;
}

/* core.drop(db, models, opts) */
static int l_drop(lua_State *L) {
  sq_db *db = check_db(L, 1);
  int opts = opts_index(L, 3), n;
  sq_model **v;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, db, &lg, 1, opts);
  n = collect_models(L, 2, &v);
  if (sq_drop(db, v, n)) return raise_db(L, db);
  return 0;
}

/* ------------------------------------------------------------------------- */
/* associations */

static const char *opt_str(lua_State *L, int t, const char *key) {
  const char *v;
  lua_getfield(L, t, key);
  v = lua_tostring(L, -1);
  lua_pop(L, 1); /* the string stays referenced by the options table */
  return v;
}

static void push_assoc(lua_State *L, const sq_assoc *a) {
  static const char *const kinds[] = {"HasOne", "BelongsTo", "HasMany", "BelongsToMany"};
  lua_createtable(L, 0, 12);
  lua_pushstring(L, kinds[a->kind]); lua_setfield(L, -2, "associationType");
  lua_pushstring(L, a->as); lua_setfield(L, -2, "as");
  lua_pushstring(L, a->singular); lua_setfield(L, -2, "singular");
  lua_pushstring(L, a->plural); lua_setfield(L, -2, "plural");
  lua_pushboolean(L, a->many); lua_setfield(L, -2, "isMultiAssociation");
  lua_pushboolean(L, a->aliased); lua_setfield(L, -2, "isAliased");
  lua_pushinteger(L, a->id); lua_setfield(L, -2, "id");
  lua_pushstring(L, a->fk->name); lua_setfield(L, -2, "foreignKey");
  lua_pushstring(L, a->fk->field); lua_setfield(L, -2, "identifierField");
  if (a->other) { lua_pushstring(L, a->other->name); lua_setfield(L, -2, "otherKey"); }
  if (a->skey) { lua_pushstring(L, a->skey->name); lua_setfield(L, -2, "sourceKey"); }
  if (a->tkey) { lua_pushstring(L, a->tkey->name); lua_setfield(L, -2, "targetKey"); }
}

/* core.associate(source, kind, target, opts) -> info [, new through model box] */
static int l_associate(lua_State *L) {
  modelbox *sb = check_modelbox(L, 1);
  const char *kind = luaL_checkstring(L, 2);
  modelbox *tb = check_modelbox(L, 3);
  sq_assoc_opts o;
  sq_akind k;
  sq_assoc *a;
  sq_model *made = NULL;
  luaL_checktype(L, 4, LUA_TTABLE);
  if (!strcmp(kind, "hasOne")) k = SQ_HAS_ONE;
  else if (!strcmp(kind, "belongsTo")) k = SQ_BELONGS_TO;
  else if (!strcmp(kind, "hasMany")) k = SQ_HAS_MANY;
  else if (!strcmp(kind, "belongsToMany")) k = SQ_BELONGS_TO_MANY;
  else return luaL_error(L, "unknown association kind %s", kind);
  memset(&o, 0, sizeof o);
  o.as_singular = opt_str(L, 4, "as_singular");
  o.as_plural = opt_str(L, 4, "as_plural");
  o.fk = opt_str(L, 4, "foreignKey");
  lua_getfield(L, 4, "allowNull");
  o.fk_allow_null = lua_isnil(L, -1) ? -1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  o.source_key = opt_str(L, 4, "sourceKey");
  o.target_key = opt_str(L, 4, "targetKey");
  o.other_key = opt_str(L, 4, "otherKey");
  o.through_name = opt_str(L, 4, "throughName");
  lua_getfield(L, 4, "through");
  if (!lua_isnil(L, -1)) o.through = check_modelbox(L, -1)->m;
  lua_pop(L, 1);
  o.on_delete = opt_str(L, 4, "onDelete");
  o.on_update = opt_str(L, 4, "onUpdate");
  lua_getfield(L, 4, "constraints");
  o.constraints = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  a = sq_associate(sb->db, k, sb->m, tb->m, &o, &made);
  if (!a) return raise_db(L, sb->db);
  push_assoc(L, a);
  if (made) {
    sq_getuservalue(L, 1);
    lua_getfield(L, -1, "db");
    lua_replace(L, -2);
    new_model_box(L, lua_gettop(L), sb->db, made);
    lua_remove(L, -2);
    return 2;
  }
  if (a->through) {
    lua_pushnil(L);
    lua_pushinteger(L, a->through->id);
    return 3;
  }
  return 1;
}


/* ------------------------------------------------------------------------- */
/* separate includes: the Lua layer runs one child query per include; these two do the
 * per-row work */

/* core.collect(list, slot) -> distinct non-NULL values of slot `slot` over the list */
static int l_collect(lua_State *L) {
  int n, k, slot, seen, out;
  lua_Integer m = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  slot = (int)luaL_checkinteger(L, 2);
  n = (int)sq_rawlen(L, 1);
  lua_newtable(L);
  seen = lua_gettop(L);
  lua_createtable(L, n, 0);
  out = lua_gettop(L);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 1, k);
    lua_rawgeti(L, -1, slot);
    if (lua_isnil(L, -1) || is_null(L, -1)) {
      lua_pop(L, 2);
      continue;
    }
    lua_pushvalue(L, -1);
    lua_rawget(L, seen);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_pushboolean(L, 1);
      lua_rawset(L, seen);
      lua_rawseti(L, out, ++m);
    } else {
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
  }
  return 1;
}

/* Add `key` to the include list of the parents' shape (shared by the rows of a query). */
static void shape_add_include(lua_State *L, int parents, int keyi) {
  int n = (int)sq_rawlen(L, parents), k;
  lua_newtable(L); /* shapes already extended */
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, parents, k);
    lua_rawgeti(L, -1, 0);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_createtable(L, 0, 1);
      lua_createtable(L, 1, 0);
      lua_pushvalue(L, keyi);
      lua_rawseti(L, -2, 1);
      lua_setfield(L, -2, "includes");
      lua_pushvalue(L, -1);
      lua_rawseti(L, -3, 0);
      lua_pushvalue(L, -1);
      lua_pushboolean(L, 1);
      lua_rawset(L, -5);
      /* later rows without a shape share this one */
      for (k = k + 1; k <= n; k++) {
        lua_rawgeti(L, parents, k);
        lua_rawgeti(L, -1, 0);
        if (lua_isnil(L, -1)) {
          lua_pop(L, 1);
          lua_pushvalue(L, -2);
          lua_rawseti(L, -2, 0);
          lua_pop(L, 1);
        } else {
          lua_pop(L, 2);
        }
      }
      lua_pop(L, 2);
      break;
    }
    lua_pushvalue(L, -1);
    lua_rawget(L, -4);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_pushboolean(L, 1);
      lua_rawset(L, -5);
      lua_getfield(L, -1, "includes");
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "includes");
      }
      lua_pushvalue(L, keyi);
      lua_rawseti(L, -2, (lua_Integer)sq_rawlen(L, -2) + 1);
      lua_pop(L, 1);
    } else {
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

/* Index the list at `list` by the value of slot `slot` of each item: leaves a table
 * { [value] = item } on the stack. */
static void index_by_slot(lua_State *L, int list, int slot) {
  int n = (int)sq_rawlen(L, list), k;
  lua_createtable(L, 0, n);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, list, k);
    lua_rawgeti(L, -1, slot);
    if (lua_isnil(L, -1) || is_null(L, -1)) {
      lua_pop(L, 2);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    lua_pop(L, 1);
  }
}

/* core.join_one(rows, rslot, links, lslot, key, hide_rslot, hide_lslot): give each row the
 * link whose slot lslot equals the row's slot rslot, under `key` (an n:m getter's join rows);
 * the matching keys are dropped when they were read only to match. */
static int l_join_one(lua_State *L) {
  int rslot, lslot, keyi = 5, hide_r, hide_l, n, k, index;
  luaL_checktype(L, 1, LUA_TTABLE);
  rslot = (int)luaL_checkinteger(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lslot = (int)luaL_checkinteger(L, 4);
  luaL_checkstring(L, 5);
  hide_r = lua_toboolean(L, 6);
  hide_l = lua_toboolean(L, 7);
  lua_settop(L, 7);
  index_by_slot(L, 3, lslot);
  index = lua_gettop(L);
  shape_add_include(L, 1, keyi);
  n = (int)sq_rawlen(L, 1);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 1, k);
    lua_rawgeti(L, -1, rslot);
    lua_rawget(L, index);
    if (hide_r) {
      lua_pushnil(L);
      lua_rawseti(L, -3, rslot);
    }
    if (!lua_isnil(L, -1)) {
      if (hide_l) {
        lua_pushnil(L);
        lua_rawseti(L, -2, lslot);
      }
      lua_pushvalue(L, keyi);
      lua_insert(L, -2);
      lua_rawset(L, -3);
    } else {
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_settop(L, 1);
  return 1;
}

/* core.expand_links(targets, tslot, links, lslot, key, pslot, hide_tslot, nattrs, show) -> one copy of the
 * matching target per link (a separate n:m include: a target linked to two parents appears
 * under both), each carrying its link under `key` and the link's parent key in slot -2. */
static int l_expand_links(lua_State *L) {
  int tslot, lslot, keyi = 5, pslot, hide, nattrs, show, n, k, index, out, j;
  lua_Integer m = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  tslot = (int)luaL_checkinteger(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lslot = (int)luaL_checkinteger(L, 4);
  luaL_checkstring(L, 5);
  pslot = (int)luaL_checkinteger(L, 6);
  hide = lua_toboolean(L, 7);
  nattrs = (int)luaL_checkinteger(L, 8);
  show = lua_toboolean(L, 9);
  lua_settop(L, 9);
  index_by_slot(L, 1, tslot);
  index = lua_gettop(L);
  /* one shape for every copy: its include key */
  lua_createtable(L, 0, 1);
  lua_createtable(L, 1, 0);
  lua_pushvalue(L, keyi);
  lua_rawseti(L, -2, 1);
  lua_setfield(L, -2, "includes");
  n = (int)sq_rawlen(L, 3);
  lua_createtable(L, n, 0);
  out = lua_gettop(L);
  push_array_mt(L);
  lua_setmetatable(L, out);
  for (k = 1; k <= n; k++) {
    int t;
    lua_rawgeti(L, 3, k);                 /* link */
    lua_rawgeti(L, -1, lslot);
    lua_rawget(L, index);                 /* its target */
    if (lua_isnil(L, -1)) {
      lua_pop(L, 2);
      continue;
    }
    t = lua_gettop(L);
    lua_createtable(L, nattrs, 3);
    for (j = 1; j <= nattrs; j++) {
      if (hide && j == tslot) continue;
      lua_rawgeti(L, t, j);
      lua_rawseti(L, -2, j);
    }
    if (show) {
      lua_pushvalue(L, out - 1);
      lua_rawseti(L, -2, 0);
      lua_pushvalue(L, keyi);
      lua_pushvalue(L, t - 1);
      lua_rawset(L, -3);
    }
    lua_rawgeti(L, t - 1, pslot);
    lua_rawseti(L, -2, -2);
    if (lua_getmetatable(L, t)) lua_setmetatable(L, -2);
    lua_rawseti(L, out, ++m);
    lua_pop(L, 2);
  }
  lua_settop(L, out);
  return 1;
}

/* core.drop_slots(list, { slot, ... }): clear those slots of every item */
static int l_drop_slots(lua_State *L) {
  int n, k, ns, j;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (int)sq_rawlen(L, 1);
  ns = (int)sq_rawlen(L, 2);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 1, k);
    for (j = 1; j <= ns; j++) {
      lua_rawgeti(L, 2, j);
      lua_pushnil(L);
      lua_rawset(L, -3);
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* core.attach(parents, children, pslot, cslot, key, many [, limit [, hide]])
 * Hang each child under the parent whose slot pslot equals the child's slot cslot:
 * in a list under `key` (many) or as the field `key`. */
static int l_attach(lua_State *L) {
  int pslot, cslot, many, n, k, index, keyi, hide;
  long long limit = -1;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  pslot = (int)luaL_checkinteger(L, 3);
  cslot = (int)luaL_checkinteger(L, 4);
  luaL_checkstring(L, 5);
  keyi = 5;
  many = lua_toboolean(L, 6);
  if (!lua_isnoneornil(L, 7)) limit = (long long)luaL_checkinteger(L, 7);
  hide = lua_toboolean(L, 8);
  lua_settop(L, 8);
  shape_add_include(L, 1, keyi);
  /* parent key value -> list of parents (keys may repeat: belongsTo) */
  lua_newtable(L);
  index = lua_gettop(L);
  n = (int)sq_rawlen(L, 1);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 1, k);
    if (many) {
      lua_pushvalue(L, keyi);
      lua_newtable(L);
      push_array_mt(L);
      lua_setmetatable(L, -2);
      lua_rawset(L, -3);
    }
    lua_rawgeti(L, -1, pslot);
    if (lua_isnil(L, -1) || is_null(L, -1)) {
      lua_pop(L, 2);
      continue;
    }
    lua_pushvalue(L, -1);
    lua_rawget(L, index);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -2);
      lua_pushvalue(L, -2);
      lua_rawset(L, index);
    }
    lua_pushvalue(L, -3);
    lua_rawseti(L, -2, (lua_Integer)sq_rawlen(L, -2) + 1);
    lua_pop(L, 3);
  }
  n = (int)sq_rawlen(L, 2);
  for (k = 1; k <= n; k++) {
    int j, np;
    lua_rawgeti(L, 2, k);
    lua_rawgeti(L, -1, cslot);
    if (hide) { /* the key was read only to match: drop it from the child */
      lua_pushnil(L);
      lua_rawseti(L, -3, cslot);
    }
    lua_rawget(L, index);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 2);
      continue;
    }
    np = (int)sq_rawlen(L, -1);
    for (j = 1; j <= np; j++) {
      lua_rawgeti(L, -1, j);           /* parent */
      if (many) {
        lua_pushvalue(L, keyi);
        lua_rawget(L, -2);             /* its list */
        if (limit < 0 || (long long)sq_rawlen(L, -1) < limit) {
          lua_pushvalue(L, -4);
          lua_rawseti(L, -2, (lua_Integer)sq_rawlen(L, -2) + 1);
        }
        lua_pop(L, 1);
      } else {
        lua_pushvalue(L, keyi);
        lua_pushvalue(L, -4);
        lua_rawset(L, -3);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
  }
  lua_settop(L, 1);
  return 1;
}

/* core.create_index(db, table, name, unique, { columns }, opts): CREATE [UNIQUE] INDEX
 * unless an index of that name exists already (Sequelize checks the index list first). */
static int l_create_index(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *table = luaL_checkstring(L, 2), *name = luaL_checkstring(L, 3);
  int unique = lua_toboolean(L, 4), opts = opts_index(L, 6), n, k, rc;
  const char **cols;
  sqlite3_stmt *st;
  sq_buf b;
  logctx lg;
  luaL_checktype(L, 5, LUA_TTABLE);
  setup_log(L, db, &lg, 1, opts);
  st = sq_db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", 61);
  if (!st) return raise_db(L, db);
  if (sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT) != SQLITE_OK) return raise_db(L, db);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return 0;
  if (rc != SQLITE_DONE) {
    sq_db_fail(db, rc, "SELECT 1 FROM sqlite_master");
    return raise_db(L, db);
  }
  n = (int)sq_rawlen(L, 5);
  cols = lua_newuserdata(L, sizeof *cols * (size_t)(n ? n : 1));
  for (k = 0; k < n; k++) {
    lua_rawgeti(L, 5, k + 1);
    cols[k] = lua_tostring(L, -1);
    lua_pop(L, 1); /* the strings stay in the list */
    if (!cols[k]) return usage(L, db, "index %s: columns must be names", name);
  }
  sq_buf_init(&b);
  db->dialect->create_index(&b, table, name, unique, cols, n);
  if (b.oom) { sq_buf_free(&b); return luaL_error(L, "out of memory"); }
  rc = sq_db_exec(db, sq_buf_cstr(&b));
  sq_buf_free(&b);
  if (rc) return raise_db(L, db);
  return 0;
}

/* ------------------------------------------------------------------------- */
/* raw queries: db:query(sql, { replacements = {...} | { name = ... }, bind = ... }) */

/* A statement owned by the Lua stack: finalized by __gc if an error unwinds the call. */
typedef struct stmtbox { sqlite3_stmt *st; } stmtbox;
#define STMT_MT "sequelua.stmt"

static int stmt_gc(lua_State *L) {
  stmtbox *b = luaL_checkudata(L, 1, STMT_MT);
  if (b->st) sqlite3_finalize(b->st);
  b->st = NULL;
  return 0;
}

static int l_query(lua_State *L) {
  sq_db *db = check_db(L, 1);
  size_t len;
  const char *sql = luaL_checklstring(L, 2, &len);
  int opts = opts_index(L, 3), rep = 0, nparams, k, rc, ncols, list;
  const char *tail;
  stmtbox *box;
  sqlite3_stmt *st;
  logctx lg;
  lua_Integer n = 0;
  setup_log(L, db, &lg, 1, opts);
  if (!sq_v_is_utf8(sql, len)) return usage(L, db, "query: the SQL text is not valid UTF-8");
  if (opts) {
    lua_getfield(L, opts, "replacements");
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_getfield(L, opts, "bind");
    }
    if (!lua_isnil(L, -1)) {
      if (!lua_istable(L, -1)) usage(L, db, "query: replacements must be a table");
      rep = lua_gettop(L);
    } else {
      lua_pop(L, 1);
    }
  }
  box = lua_newuserdata(L, sizeof *box);
  box->st = NULL;
  luaL_setmetatable(L, STMT_MT);
  sq_db_log(db, sql, len);
  rc = sqlite3_prepare_v2(db->conn, sql, (int)len, &box->st, &tail);
  if (rc != SQLITE_OK) {
    sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
    return raise_db(L, db);
  }
  st = box->st;
  while (tail && tail < sql + len && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
    tail++;
  if (tail && tail < sql + len) return usage(L, db, "query: only one statement may be run at a time");
  if (!st) return usage(L, db, "query: empty statement");
  nparams = sqlite3_bind_parameter_count(st);
  for (k = 1; k <= nparams; k++) {
    const char *pname = sqlite3_bind_parameter_name(st, k);
    sq_value v;
    if (!rep) return usage(L, db, "query: the statement has parameters but no replacements were given");
    if (pname && pname[0] != '?' && !(pname[0] == '$' && pname[1] >= '0' && pname[1] <= '9')) {
      lua_getfield(L, rep, pname + 1);
    } else if (pname) {
      lua_rawgeti(L, rep, atoi(pname + 1));
    } else {
      lua_rawgeti(L, rep, k);
    }
    if (lua_isnil(L, -1)) {
      if (pname && pname[0] != '?')
        return usage(L, db, "Named replacement \"%s\" has no entry in the replacement map.", pname);
      return usage(L, db, "Positional replacement (?) %d has no entry in the replacement map (replacements[%d] is undefined).",
                   k - 1, k - 1);
    }
    if (lua_istable(L, -1) || lua_isfunction(L, -1))
      return usage(L, db, "query: replacement %d must be a string, number, boolean or Sequelize.null", k);
    to_db_plain(L, db, -1, &v, "query replacement");
    if (sq_db_bind(db, st, k, &v)) return raise_db(L, db);
    lua_pop(L, 1);
  }
  ncols = sqlite3_column_count(st);
  lua_newtable(L);
  list = lua_gettop(L);
  push_array_mt(L);
  lua_setmetatable(L, list);
  luaL_checkstack(L, ncols + 8, "too many columns");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    colplan p = {0, SQ_T_TEXT, 0, 0, 0, {0}};
    lua_createtable(L, 0, ncols);
    for (k = 0; k < ncols; k++) {
      lua_pushstring(L, sqlite3_column_name(st, k));
      push_col(L, db, st, k, &p);
      lua_rawset(L, -3);
    }
    lua_rawseti(L, list, ++n);
  }
  if (rc != SQLITE_DONE) {
    sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
    return raise_db(L, db);
  }
  sqlite3_finalize(st);
  box->st = NULL;
  if (ncols > 0) {
    lua_pushvalue(L, list);
  } else {
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, sqlite3_changes(db->conn));
    lua_setfield(L, -2, "changes");
    sq_pushinteger(L, sqlite3_last_insert_rowid(db->conn));
    lua_setfield(L, -2, "lastID");
  }
  return 2;
}

/* ------------------------------------------------------------------------- */
/* transactions */

static int tx_call(lua_State *L, int (*fn)(sq_db *, const char *)) {
  sq_db *db = check_db(L, 1);
  const char *sp = luaL_optstring(L, 2, NULL);
  int opts = opts_index(L, 3);
  logctx lg;
  setup_log(L, db, &lg, 1, opts);
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
  if (fn(db, sp)) return raise_db(L, db);
  return 0;
}

static int l_begin(lua_State *L) { return tx_call(L, sq_db_begin); }
static int l_commit(lua_State *L) { return tx_call(L, sq_db_commit); }
static int l_rollback(lua_State *L) { return tx_call(L, sq_db_rollback); }

static int l_in_transaction(lua_State *L) {
  sq_db *db = check_db(L, 1);
  lua_pushboolean(L, !sqlite3_get_autocommit(db->conn));
  return 1;
}

/* ------------------------------------------------------------------------- */
/* JSON: Lua values -> text (stringify, JSON columns), text -> Lua (JSON columns) */

typedef struct jctx {
  lua_State *L;
  sq_db *db;
  sq_jw w;
  sq_buf *b;
  int err;          /* first writer error */
  const char *why;  /* our own error */
} jctx;

#define JCHK(x) do { int rc_ = (x); if (rc_ < 0) { j->err = rc_; return -1; } } while (0)

static int j_value(jctx *j, int idx, int depth);

static modelbox *instance_model(lua_State *L, int idx) {
  modelbox *mb = NULL;
  if (!lua_getmetatable(L, idx)) return NULL;
  lua_getfield(L, -1, "__model");
  mb = luaL_testudata(L, -1, MODEL_MT);
  lua_pop(L, 2);
  return mb;
}

static int has_array_mt(lua_State *L, int idx) {
  int r;
  if (!lua_getmetatable(L, idx)) return 0;
  push_array_mt(L);
  r = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return r;
}

static int j_blob(jctx *j, const char *s, size_t n) {
  size_t k;
  JCHK(sq_jw_begin_object(&j->w));
  JCHK(sq_jw_key(&j->w, "type", 4));
  JCHK(sq_jw_string(&j->w, "Buffer", 6));
  JCHK(sq_jw_key(&j->w, "data", 4));
  JCHK(sq_jw_begin_array(&j->w));
  for (k = 0; k < n; k++) JCHK(sq_jw_integer(&j->w, (unsigned char)s[k]));
  JCHK(sq_jw_end_array(&j->w));
  JCHK(sq_jw_end_object(&j->w));
  return 0;
}

/* Call the attribute's getter if the model has one: pushes the value to encode. */
static void push_attr_value(lua_State *L, int inst, int getters, const sq_attr *a) {
  if (getters) {
    lua_getfield(L, getters, a->name);
    if (lua_isfunction(L, -1)) {
      lua_pushvalue(L, inst);
      lua_call(L, 1, 1);
      return;
    }
    lua_pop(L, 1);
  }
  lua_rawgeti(L, inst, SLOT(a));
}

static int push_getters(lua_State *L, int inst) {
  if (!lua_getmetatable(L, inst)) return 0;
  lua_getfield(L, -1, "__getters");
  lua_replace(L, -2);
  if (lua_istable(L, -1)) return lua_gettop(L);
  lua_pop(L, 1);
  return 0;
}

static int j_instance(jctx *j, int idx, sq_model *m, int depth) {
  lua_State *L = j->L;
  int k, top = lua_gettop(L), getters, n;
  getters = push_getters(L, idx);
  JCHK(sq_jw_begin_object(&j->w));
  for (k = 0; k < m->nattrs; k++) {
    const sq_attr *a = m->attrs[k];
    push_attr_value(L, idx, getters, a);
    if (!lua_isnil(L, -1)) {
      JCHK(sq_jw_key(&j->w, a->name, strlen(a->name)));
      if (a->type.kind == SQ_T_BLOB && lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (j_blob(j, s, len)) return -1;
      } else if (j_value(j, lua_gettop(L), depth + 1)) {
        return -1;
      }
    }
    lua_pop(L, 1);
  }
  /* extra keys and included associations, in the order the shape lists them */
  lua_rawgeti(L, idx, 0);
  if (lua_istable(L, -1)) {
    int shape = lua_gettop(L), part;
    static const char *const parts[] = {"extras", "includes"};
    for (part = 0; part < 2; part++) {
      lua_getfield(L, shape, parts[part]);
      if (lua_istable(L, -1)) {
        int list = lua_gettop(L);
        n = (int)sq_rawlen(L, list);
        for (k = 1; k <= n; k++) {
          size_t kl;
          const char *key;
          lua_rawgeti(L, list, k);
          key = lua_tolstring(L, -1, &kl);
          if (key) {
            JCHK(sq_jw_key(&j->w, key, kl));
            lua_rawget(L, idx);
            if (lua_isnil(L, -1)) JCHK(sq_jw_null(&j->w));
            else if (j_value(j, lua_gettop(L), depth + 1)) return -1;
          }
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
  JCHK(sq_jw_end_object(&j->w));
  return 0;
}

typedef struct jkey { const char *s; size_t n; } jkey;

static int cmp_jkey(const void *x, const void *y) {
  const jkey *a = x, *b = y;
  size_t n = a->n < b->n ? a->n : b->n;
  int r = memcmp(a->s, b->s, n);
  if (r) return r;
  return a->n < b->n ? -1 : a->n > b->n;
}

static int j_table(jctx *j, int idx, int depth) {
  lua_State *L = j->L;
  size_t n = sq_rawlen(L, idx), count = 0, k;
  int array;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    count++;
    lua_pop(L, 1);
  }
  array = (n > 0 && count == n) || (count == 0 && has_array_mt(L, idx));
  if (array) {
    JCHK(sq_jw_begin_array(&j->w));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, idx, (lua_Integer)k);
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      lua_pop(L, 1);
    }
    JCHK(sq_jw_end_array(&j->w));
    return 0;
  }
  {
    /* keys sorted by bytes: Lua tables have no order, this makes output stable */
    jkey *keys = count ? lua_newuserdata(L, sizeof *keys * count) : NULL;
    int keysi = lua_gettop(L);
    size_t nk = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        keys[nk].s = lua_tolstring(L, -1, &keys[nk].n);
        nk++;
      } else if (lua_type(L, -1) == LUA_TNUMBER) {
        /* numeric keys of a sparse table: written as strings, as JavaScript would */
        continue;
      } else {
        j->why = "table keys must be strings or numbers";
        lua_pop(L, 1);
        return -1;
      }
    }
    if (nk > 1) qsort(keys, nk, sizeof *keys, cmp_jkey);
    JCHK(sq_jw_begin_object(&j->w));
    for (k = 0; k < nk; k++) {
      JCHK(sq_jw_key(&j->w, keys[k].s, keys[k].n));
      lua_pushlstring(L, keys[k].s, keys[k].n);
      lua_rawget(L, idx);
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      lua_pop(L, 1);
    }
    /* numeric keys (sparse arrays) after the string keys */
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      if (lua_type(L, -2) == LUA_TNUMBER) {
        char tmp[64];
        lua_Number d = lua_tonumber(L, -2);
        long long iv;
        int len;
        lua_pushvalue(L, -2);
        if (sq_isinteger(L, -1, &iv)) len = snprintf(tmp, sizeof tmp, "%lld", iv);
        else len = snprintf(tmp, sizeof tmp, "%.17g", d);
        lua_pop(L, 1);
        JCHK(sq_jw_key(&j->w, tmp, (size_t)len));
        if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      }
      lua_pop(L, 1);
    }
    JCHK(sq_jw_end_object(&j->w));
    lua_settop(L, keysi - (keys ? 1 : 0));
    return 0;
  }
}

static int j_value(jctx *j, int idx, int depth) {
  lua_State *L = j->L;
  if (depth > 500 || !lua_checkstack(L, 8)) {
    j->why = "a cyclic or too deeply nested table";
    return -1;
  }
  switch (lua_type(L, idx)) {
    case LUA_TNIL: JCHK(sq_jw_null(&j->w)); return 0;
    case LUA_TBOOLEAN: JCHK(sq_jw_bool(&j->w, lua_toboolean(L, idx))); return 0;
    case LUA_TNUMBER: {
      long long iv;
#if SQ_LUA_HAS_INT
      if (lua_isinteger(L, idx)) {
        JCHK(sq_jw_integer(&j->w, (long long)lua_tointeger(L, idx)));
        return 0;
      }
#endif
      if (sq_isinteger(L, idx, &iv) && iv > -9007199254740992LL && iv < 9007199254740992LL) {
        JCHK(sq_jw_integer(&j->w, iv));
        return 0;
      }
      JCHK(sq_jw_number(&j->w, lua_tonumber(L, idx)));
      return 0;
    }
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, idx, &n);
      JCHK(sq_jw_string(&j->w, s, n));
      return 0;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, idx) == NULL) {
        JCHK(sq_jw_null(&j->w));
        return 0;
      }
      j->why = "an Op key or light userdata cannot be encoded";
      return -1;
    case LUA_TTABLE: {
      modelbox *mb = instance_model(L, idx);
      if (mb) return j_instance(j, idx, mb->m, depth);
      if (is_expr(L, idx)) {
        j->why = "a Sequelize.fn/col/literal object cannot be encoded";
        return -1;
      }
      return j_table(j, idx, depth);
    }
    default:
      j->why = lua_typename(L, lua_type(L, idx));
      return -1;
  }
}

/* Encode the value at idx into b. On failure frees b and raises. */
static void encode_json_value(lua_State *L, sq_db *db, int idx, sq_buf *b) {
  jctx j;
  int top = lua_gettop(L);
  idx = lua_absindex(L, idx);
  memset(&j, 0, sizeof j);
  j.L = L;
  j.db = db;
  j.b = b;
  sq_jw_init(&j.w, b, 0);
  if (j_value(&j, idx, 0) || b->oom) {
    char msg[200];
    if (j.why) snprintf(msg, sizeof msg, "Cannot encode JSON: %s", j.why);
    else snprintf(msg, sizeof msg, "Cannot encode JSON: %s", b->oom ? "out of memory" : sq_json_strerror(j.err));
    sq_buf_free(b);
    lua_settop(L, top);
    if (db) usage(L, db, "%s", msg);
    luaL_error(L, "%s", msg);
  }
  lua_settop(L, top);
}

/* core.stringify(x [, indent]) */
static int l_stringify(lua_State *L) {
  sq_buf b;
  jctx j;
  int indent = (int)luaL_optinteger(L, 2, 0);
  if (indent < 0) indent = 0;
  if (indent > 10) indent = 10;
  lua_settop(L, 2);
  sq_buf_init(&b);
  memset(&j, 0, sizeof j);
  j.L = L;
  j.b = &b;
  sq_jw_init(&j.w, &b, indent);
  /* keep the buffer's memory owned by a userdata-free path: on error free then raise */
  if (j_value(&j, 1, 0) || b.oom) {
    char msg[200];
    if (j.why) snprintf(msg, sizeof msg, "Cannot stringify: %s", j.why);
    else snprintf(msg, sizeof msg, "Cannot stringify: %s", b.oom ? "out of memory" : sq_json_strerror(j.err));
    sq_buf_free(&b);
    lua_pushlightuserdata(L, (void *)&REG_ERRFACTORY);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushliteral(L, "usage");
    lua_pushstring(L, msg);
    lua_newtable(L);
    lua_call(L, 3, 1);
    return lua_error(L);
  }
  lua_pushlstring(L, sq_buf_cstr(&b), b.len);
  sq_buf_free(&b);
  return 1;
}

/* decoding: SAX events build Lua tables on the stack */
typedef struct dctx {
  lua_State *L;
  int *count;   /* per depth: -1 for an object, else items so far */
  int depth, cap;
} dctx;

static int d_put(dctx *d) {
  lua_State *L = d->L;
  if (d->depth == 0) return 0;
  if (d->count[d->depth - 1] < 0) lua_rawset(L, -3);     /* key, value on the object */
  else lua_rawseti(L, -2, ++d->count[d->depth - 1]);
  return 0;
}
static int d_null(void *ud) { dctx *d = ud; lua_pushlightuserdata(d->L, NULL); return d_put(d); }
static int d_bool(void *ud, int v) { dctx *d = ud; lua_pushboolean(d->L, v); return d_put(d); }
static int d_int(void *ud, long long v) {
  dctx *d = ud;
#if !SQ_LUA_HAS_INT
  if (v > 9007199254740992LL || v < -9007199254740992LL) {
    lua_pushnumber(d->L, (lua_Number)v);
    return d_put(d);
  }
#endif
  sq_pushinteger(d->L, v);
  return d_put(d);
}
static int d_num(void *ud, double v) { dctx *d = ud; lua_pushnumber(d->L, v); return d_put(d); }
static int d_str(void *ud, const char *s, size_t n) { dctx *d = ud; lua_pushlstring(d->L, s, n); return d_put(d); }
static int d_key(void *ud, const char *s, size_t n) { dctx *d = ud; lua_pushlstring(d->L, s, n); return 0; }
static int d_begin(dctx *d, int obj) {
  if (!lua_checkstack(d->L, 4)) return 1;
  if (d->depth == d->cap) {
    int nc = d->cap ? d->cap * 2 : 16;
    int *p = realloc(d->count, sizeof *p * (size_t)nc);
    if (!p) return 1;
    d->count = p;
    d->cap = nc;
  }
  lua_newtable(d->L);
  d->count[d->depth++] = obj ? -1 : 0;
  return 0;
}
static int d_bobj(void *ud) { return d_begin(ud, 1); }
static int d_barr(void *ud) {
  dctx *d = ud;
  if (d_begin(d, 0)) return 1;
  push_array_mt(d->L);
  lua_setmetatable(d->L, -2);
  return 0;
}
static int d_end(void *ud) {
  dctx *d = ud;
  d->depth--;
  return d_put(d);
}

/* Push the Lua value of JSON text; text that does not parse is pushed as a string. */
static void push_json(lua_State *L, sq_db *db, const char *s, size_t n) {
  dctx d;
  sq_json_sax sax;
  char err[128];
  int top = lua_gettop(L), rc;
  memset(&d, 0, sizeof d);
  memset(&sax, 0, sizeof sax);
  d.L = L;
  sax.ud = &d;
  sax.scratch = db ? &db->scratch : NULL; /* lent: nothing leaks if a callback raises */
  sax.on_null = d_null;
  sax.on_bool = d_bool;
  sax.on_integer = d_int;
  sax.on_number = d_num;
  sax.on_string = d_str;
  sax.on_begin_object = d_bobj;
  sax.on_key = d_key;
  sax.on_end_object = d_end;
  sax.on_begin_array = d_barr;
  sax.on_end_array = d_end;
  rc = sq_json_parse(s, n, &sax, err, sizeof err);
  free(d.count);
  if (rc != 0 || lua_gettop(L) != top + 1) {
    lua_settop(L, top);
    lua_pushlstring(L, s, n);
  }
}

/* core.json_decode(s) -> value, or nil and a message */
static int l_json_decode(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  dctx d;
  sq_json_sax sax;
  char err[128];
  int top = lua_gettop(L), rc;
  memset(&d, 0, sizeof d);
  memset(&sax, 0, sizeof sax);
  d.L = L;
  sax.ud = &d;
  sax.on_null = d_null;
  sax.on_bool = d_bool;
  sax.on_integer = d_int;
  sax.on_number = d_num;
  sax.on_string = d_str;
  sax.on_begin_object = d_bobj;
  sax.on_key = d_key;
  sax.on_end_object = d_end;
  sax.on_begin_array = d_barr;
  sax.on_end_array = d_end;
  err[0] = '\0';
  rc = sq_json_parse(s, n, &sax, err, sizeof err);
  free(d.count);
  if (rc != 0) {
    lua_settop(L, top);
    lua_pushnil(L);
    lua_pushstring(L, err[0] ? err : "invalid JSON");
    return 2;
  }
  return 1;
}

/* ------------------------------------------------------------------------- */
/* plain tables: instance:get({ plain = true }) / toJSON */

static void plain_value(lua_State *L, int idx, int depth);

static void plain_instance(lua_State *L, int idx, sq_model *m, int depth) {
  int k, n, getters, out;
  getters = push_getters(L, idx);
  lua_createtable(L, 0, m->nattrs);
  out = lua_gettop(L);
  for (k = 0; k < m->nattrs; k++) {
    const sq_attr *a = m->attrs[k];
    push_attr_value(L, idx, getters, a);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    plain_value(L, lua_gettop(L), depth + 1);
    lua_setfield(L, out, a->name);
    lua_pop(L, 1);
  }
  lua_rawgeti(L, idx, 0);
  if (lua_istable(L, -1)) {
    int shape = lua_gettop(L), part;
    static const char *const parts[] = {"extras", "includes"};
    for (part = 0; part < 2; part++) {
      lua_getfield(L, shape, parts[part]);
      if (lua_istable(L, -1)) {
        int list = lua_gettop(L);
        n = (int)sq_rawlen(L, list);
        for (k = 1; k <= n; k++) {
          lua_rawgeti(L, list, k);
          lua_pushvalue(L, -1);
          lua_rawget(L, idx);
          if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushlightuserdata(L, NULL);
          } else {
            plain_value(L, lua_gettop(L), depth + 1);
            lua_replace(L, -2);
          }
          lua_rawset(L, out);
        }
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (getters) lua_remove(L, getters);
}

/* Replace nothing: push a plain copy of the value at idx (instances and lists of them
 * become plain tables; other values are pushed as they are). */
static void plain_value(lua_State *L, int idx, int depth) {
  modelbox *mb;
  if (depth > 200) luaL_error(L, "toJSON: nesting too deep");
  luaL_checkstack(L, 8, "toJSON: nesting too deep");
  if (!lua_istable(L, idx)) {
    lua_pushvalue(L, idx);
    return;
  }
  mb = instance_model(L, idx);
  if (mb) {
    plain_instance(L, idx, mb->m, depth);
    return;
  }
  if (has_array_mt(L, idx)) {
    int n = (int)sq_rawlen(L, idx), k;
    lua_createtable(L, n, 0);
    push_array_mt(L);
    lua_setmetatable(L, -2);
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, idx, k);
      plain_value(L, lua_gettop(L), depth + 1);
      lua_rawseti(L, -3, k);
      lua_pop(L, 1);
    }
    return;
  }
  lua_pushvalue(L, idx);
}

static int l_plain(lua_State *L) {
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  plain_value(L, 1, 0);
  return 1;
}

/* ------------------------------------------------------------------------- */
/* validation (the C part): allowNull and Sequelize's built-in validators. User
 * functions and Lua-pattern validators (is / not) run in Lua afterwards. */

/* The value as JavaScript's String(value) would print it, or NULL when validators
 * do not apply (tables). */
static const char *js_string(lua_State *L, int idx, char *tmp, size_t tmpn, size_t *len) {
  long long iv;
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: return lua_tolstring(L, idx, len);
    case LUA_TBOOLEAN: {
      const char *s = lua_toboolean(L, idx) ? "true" : "false";
      *len = strlen(s);
      return s;
    }
    case LUA_TNUMBER: {
      sq_buf b;
      sq_jw w;
      if (sq_isinteger(L, idx, &iv)) {
        *len = (size_t)snprintf(tmp, tmpn, "%lld", iv);
        return tmp;
      }
      sq_buf_init(&b);
      sq_jw_init(&w, &b, 0);
      sq_jw_number(&w, lua_tonumber(L, idx));
      *len = b.len < tmpn - 1 ? b.len : tmpn - 1;
      memcpy(tmp, sq_buf_cstr(&b), *len);
      tmp[*len] = '\0';
      sq_buf_free(&b);
      return tmp;
    }
    default: return NULL;
  }
}

static int run_validator(const sq_validator *v, const char *s, size_t n) {
  int k;
  switch (v->key) {
    case SQ_VK_ISEMAIL: return sq_v_is_email(s, n);
    case SQ_VK_ISURL: return sq_v_is_url(s, n);
    case SQ_VK_ISIP: return sq_v_is_ip(s, n);
    case SQ_VK_ISIPV4: return sq_v_is_ipv4(s, n);
    case SQ_VK_ISIPV6: return sq_v_is_ipv6(s, n);
    case SQ_VK_ISALPHA: return sq_v_is_alpha(s, n);
    case SQ_VK_ISALPHANUMERIC: return sq_v_is_alphanumeric(s, n);
    case SQ_VK_ISNUMERIC: return sq_v_is_numeric(s, n);
    case SQ_VK_ISINT: return sq_v_is_int(s, n);
    case SQ_VK_ISFLOAT: return sq_v_is_float(s, n);
    case SQ_VK_ISDECIMAL: return sq_v_is_decimal(s, n);
    case SQ_VK_ISLOWERCASE: return sq_v_is_lowercase(s, n);
    case SQ_VK_ISUPPERCASE: return sq_v_is_uppercase(s, n);
    case SQ_VK_ISUUID: return sq_v_is_uuid(s, n);
    case SQ_VK_NOTEMPTY: return sq_v_not_empty(s, n);
    case SQ_VK_ISDATE: return sq_v_is_date(s, n);
    case SQ_VK_ISIN:
    case SQ_VK_NOTIN:
      for (k = 0; k < v->nlist; k++)
        if (strlen(v->list[k]) == n && !memcmp(v->list[k], s, n)) return v->key == SQ_VK_ISIN;
      return v->key == SQ_VK_NOTIN;
    case SQ_VK_LEN: return sq_v_len(s, n, (long long)(v->a >= 0 ? v->a : 0), (long long)v->b);
    case SQ_VK_MIN:
    case SQ_VK_MAX: {
      char tmp[64];
      char *end;
      double d;
      size_t m = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
      memcpy(tmp, s, m);
      tmp[m] = '\0';
      d = strtod(tmp, &end);
      if (end == tmp || isnan(d)) return 1; /* parseFloat gives NaN: Sequelize lets it pass */
      return v->key == SQ_VK_MIN ? d >= v->a : d <= v->a;
    }
    case SQ_VK_CONTAINS:
    case SQ_VK_NOTCONTAINS: {
      int has = v->nlist > 0 && sq_v_contains(s, n, v->list[0], strlen(v->list[0]));
      return v->key == SQ_VK_CONTAINS ? has : !has;
    }
    case SQ_VK_EQUALS: return v->nlist > 0 && strlen(v->list[0]) == n && !memcmp(v->list[0], s, n);
    case SQ_VK_NOTNULL: return 1;
    default: return 1;
  }
}

static void push_item(lua_State *L, int list, const char *message, const char *type, const sq_attr *a, int vidx,
                      const char *vkey) {
  if (lua_isnil(L, list)) {
    lua_newtable(L);
    lua_replace(L, list);
  }
  lua_createtable(L, 0, 7);
  lua_pushstring(L, message);
  lua_setfield(L, -2, "message");
  lua_pushstring(L, type);
  lua_setfield(L, -2, "type");
  lua_pushstring(L, a->name);
  lua_setfield(L, -2, "path");
  if (vidx) lua_pushvalue(L, vidx);
  else lua_pushlightuserdata(L, NULL);
  lua_setfield(L, -2, "value");
  lua_pushstring(L, vkey);
  lua_setfield(L, -2, "validatorKey");
  lua_pushstring(L, vkey);
  lua_setfield(L, -2, "validatorName");
  lua_pushstring(L, strcmp(vkey, "is_null") ? "FUNCTION" : "CORE");
  lua_setfield(L, -2, "origin");
  lua_rawseti(L, list, (lua_Integer)sq_rawlen(L, list) + 1);
}

/* core.validate(model, instance, fields_or_nil, is_new) -> list of error items (maybe
 * empty), and a list of attribute names whose values are non-null (for Lua validators) */
static int l_validate(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  int is_new = lua_toboolean(L, 4), k, list, fi = 0;
  unsigned char *mask, small[256];
  ctx c;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_istable(L, 3)) fi = 3;
  memset(&c, 0, sizeof c); /* no arena: the mask is all this call allocates */
  c.L = L;
  c.db = m->db;
  c.m = m;
  mask = m->nattrs <= (int)sizeof small ? small : lua_newuserdata(L, (size_t)m->nattrs);
  fields_mask(&c, fi, mask);
  lua_pushnil(L); /* the list of items, made on the first failure */
  list = lua_gettop(L);
  for (k = 0; k < m->nattrs; k++) {
    const sq_attr *a = m->attrs[k];
    int vi, j;
    if (!mask[k]) continue;
    lua_rawgeti(L, 2, k + 1);
    vi = lua_gettop(L);
    if (lua_isnil(L, vi) || is_null(L, vi)) {
      int explicit_null = is_null(L, vi);
      int required = !a->allow_null;
      for (j = 0; j < a->nvalidators; j++)
        if (a->validators[j].key == SQ_VK_NOTNULL) required = 1;
      if (required && !(a->autoinc) && !(a->timestamp) && (is_new || explicit_null) &&
          !(a->pk && is_new && (a->type.kind == SQ_T_INTEGER || a->type.kind == SQ_T_BIGINT))) {
        char msg[300];
        const char *custom = NULL;
        for (j = 0; j < a->nvalidators; j++)
          if (a->validators[j].key == SQ_VK_NOTNULL && a->validators[j].msg) custom = a->validators[j].msg;
        if (custom) snprintf(msg, sizeof msg, "%s", custom);
        else snprintf(msg, sizeof msg, "%s.%s cannot be null", m->name, a->name);
        push_item(L, list, msg, "notNull Violation", a, 0, "is_null");
      }
      lua_pop(L, 1);
      continue;
    }
    if (a->type.kind == SQ_T_ENUM && a->type.nvalues && lua_type(L, vi) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(L, vi, &n);
      int ok = 0;
      for (j = 0; j < a->type.nvalues; j++)
        if (strlen(a->type.values[j]) == n && !memcmp(a->type.values[j], s, n)) ok = 1;
      if (!ok) {
        /* Sequelize's ENUM type check: '"medium" is not a valid choice in ["small","large"]' */
        sq_buf b;
        sq_jw w;
        sq_buf_init(&b);
        sq_jw_init(&w, &b, 0);
        sq_jw_string(&w, s, n);
        sq_buf_adds(&b, " is not a valid choice in ");
        sq_jw_init(&w, &b, 0);
        sq_jw_begin_array(&w);
        for (j = 0; j < a->type.nvalues; j++) sq_jw_string(&w, a->type.values[j], strlen(a->type.values[j]));
        sq_jw_end_array(&w);
        push_item(L, list, b.oom ? "not a valid choice" : sq_buf_cstr(&b), "Validation error", a, vi, "isIn");
        sq_buf_free(&b);
        lua_rawgeti(L, list, (lua_Integer)sq_rawlen(L, list));
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "bare");
        lua_pop(L, 1);
      }
    }
    if ((a->type.kind == SQ_T_STRING || a->type.kind == SQ_T_TEXT || a->type.kind == SQ_T_CHAR) &&
        lua_istable(L, vi)) {
      char msg[300];
      snprintf(msg, sizeof msg, "%s cannot be an array or an object", a->name);
      push_item(L, list, msg, "string violation", a, vi, "not_a_string");
      lua_pop(L, 1);
      continue;
    }
    if (a->nvalidators) {
      char tmp[64];
      size_t n;
      const char *s = js_string(L, vi, tmp, sizeof tmp, &n);
      if (s) {
        for (j = 0; j < a->nvalidators; j++) {
          const sq_validator *v = &a->validators[j];
          if (v->key == SQ_VK_NOTNULL) continue;
          if (!run_validator(v, s, n)) {
            char msg[400];
            if (v->msg) snprintf(msg, sizeof msg, "%s", v->msg);
            else snprintf(msg, sizeof msg, "Validation %s on %s failed", vkey_names[v->key], a->name);
            push_item(L, list, msg, "Validation error", a, vi, vkey_names[v->key]);
          }
        }
      }
    }
    lua_pop(L, 1);
  }
  return 1; /* nil when every value passed */
}

/* ------------------------------------------------------------------------- */
/* open / close / module */

static int l_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int busy = (int)luaL_optinteger(L, 2, 5000);
  dbbox *b = sq_newuserdata(L, sizeof *b);
  sq_err e;
  b->db = NULL;
  luaL_setmetatable(L, DB_MT);
  lua_newtable(L);
  sq_setuservalue(L, -2);
  sq_err_init(&e);
  if (sq_db_open(&b->db, path, &e)) {
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
  sqlite3_busy_timeout(b->db->conn, busy); /* default 5000 ms; Sequelize.new{ busyTimeout = ms } */
  return 1;
}

static int l_close(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  if (b->db) sq_db_close(b->db);
  return 0;
}

static int l_is_open(lua_State *L) {
  dbbox *b = check_dbbox(L, 1);
  lua_pushboolean(L, sq_db_is_open(b->db));
  return 1;
}

static int db_gc(lua_State *L) {
  dbbox *b = luaL_checkudata(L, 1, DB_MT);
  if (b->db) sq_db_free(b->db);
  b->db = NULL;
  return 0;
}

/* core.init{ error_factory = fn, expr_mt = mt, array_mt = mt } */
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
  return 0;
}

/* core.ops() -> { eq = <key>, ne = ..., ... } */
static int l_ops(lua_State *L) {
  int k;
  lua_createtable(L, 0, SQ_OP_COUNT);
  for (k = 0; k < SQ_OP_COUNT; k++) {
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

static int l_sqlite_version(lua_State *L) {
  lua_pushstring(L, sqlite3_libversion());
  return 1;
}

static int l_pluralize(lua_State *L) {
  char *s = sq_pluralize(luaL_checkstring(L, 1));
  if (!s) return luaL_error(L, "out of memory");
  lua_pushstring(L, s);
  free(s);
  return 1;
}

static int l_singularize(lua_State *L) {
  char *s = sq_singularize(luaL_checkstring(L, 1));
  if (!s) return luaL_error(L, "out of memory");
  lua_pushstring(L, s);
  free(s);
  return 1;
}

static int l_underscore(lua_State *L) {
  char *s = sq_underscore(luaL_checkstring(L, 1));
  if (!s) return luaL_error(L, "out of memory");
  lua_pushstring(L, s);
  free(s);
  return 1;
}

static const luaL_Reg core_funcs[] = {
  {"init", l_init},
  {"ops", l_ops},
  {"open", l_open},
  {"close", l_close},
  {"is_open", l_is_open},
  {"set_db", l_set_db},
  {"define", l_define},
  {"associate", l_associate},
  {"collect", l_collect},
  {"attach", l_attach},
  {"join_one", l_join_one},
  {"drop_slots", l_drop_slots},
  {"expand_links", l_expand_links},
  {"model_info", l_model_info},
  {"set_model", l_set_model},
  {"sync", l_sync},
  {"drop", l_drop},
  {"create_index", l_create_index},
  {"build", l_build},
  {"insert", l_insert},
  {"bulk_insert", l_bulk_insert},
  {"save", l_save},
  {"update_fields", l_update_fields},
  {"reload", l_reload},
  {"select", l_select},
  {"count", l_count},
  {"aggregate", l_aggregate},
  {"update", l_update},
  {"destroy", l_destroy},
  {"increment", l_increment},
  {"query", l_query},
  {"begin", l_begin},
  {"commit", l_commit},
  {"rollback", l_rollback},
  {"in_transaction", l_in_transaction},
  {"stringify", l_stringify},
  {"json_decode", l_json_decode},
  {"plain", l_plain},
  {"validate", l_validate},
  {"sqlite_version", l_sqlite_version},
  {"is_name", l_is_utf8},
  {"pluralize", l_pluralize},
  {"singularize", l_singularize},
  {"underscore", l_underscore},
  {NULL, NULL}};

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
  lua_pop(L, 1);
  luaL_newmetatable(L, ARENA_MT);
  lua_pushcfunction(L, arena_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, STMT_MT);
  lua_pushcfunction(L, stmt_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_newtable(L);
  luaL_setfuncs(L, core_funcs, 0);
  lua_pushlightuserdata(L, NULL);
  lua_setfield(L, -2, "null");
  return 1;
}
