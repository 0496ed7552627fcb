/* bind_write.c: instances into the database. build (defaults, change records), insert,
 * bulkCreate (multi-row INSERTs of one shape, keys from the last rowid, under a savepoint),
 * save and the one-call instance update, reload, Model.update/destroy/increment. Time
 * stamps come from the db (sq_db_stamp); values go through to_db (binding.c).
 */
#include "binding.h"

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
      sq_driver_random(16, rnd);
      sq_uuid_v4_format(rnd, out);
      lua_pushlstring(L, out, 36);
      return;
    }
    case SQ_DEF_UUIDV1: {
      char out[37];
      sq_db_uuid_v1(db, out);
      lua_pushlstring(L, out, 36);
      return;
    }
    case SQ_DEF_VALUE:
      switch (a->def_vkind) {
        case SQ_V_INT:
          /* (a boolean default of a STRING or INTEGER too: Sequelize's instance holds the value
           * given, true; the column gets 1) */
          if (a->type.kind == SQ_T_BOOLEAN || a->def_bool) lua_pushboolean(L, a->def_i != 0);
          else sq_pushinteger(L, a->def_i);
          return;
        case SQ_V_REAL: lua_pushnumber(L, a->def_d); return;
        case SQ_V_TEXT:
        case SQ_V_BLOB:
          if (a->type.kind == SQ_T_JSON) {
            push_json(L, db, a->def_s, a->def_n);
          } else if (a->type.kind == SQ_T_DATE) { /* kept in the stored form: read as ISO */
            char iso[40];
            int m = sq_date_storage_to_iso(a->def_s, a->def_n, iso);
            if (m > 0) lua_pushlstring(L, iso, (size_t)m);
            else lua_pushlstring(L, a->def_s, a->def_n);
          } else {
            lua_pushlstring(L, a->def_s, a->def_n);
          }
          return;
        default: lua_pushlightuserdata(L, NULL); return;
      }
    default: lua_pushnil(L); return;
  }
}

/* Sequelize's _getDefaultTimestamp: a createdAt / updatedAt attribute declared with a
 * defaultValue stamps that value on every write instead of now (create, save, static update,
 * increment): 1 a plain value (one JavaScript takes as true: not 0, "" or null), 2 SQL (a
 * literal or fn: Sequelize writes it, `updatedAt`=CURRENT_TIMESTAMP). 0: now (DataTypes.NOW
 * too). */
static int stamp_kind(const sq_attr *a) {
  if (a->def_kind == SQ_DEF_SQL) return 2;
  if (a->def_kind != SQ_DEF_VALUE) return 0;
  switch (a->def_vkind) {
    case SQ_V_INT: return a->def_i != 0;
    case SQ_V_REAL: return a->def_d != 0;
    case SQ_V_TEXT:
    case SQ_V_BLOB: return a->def_n > 0;
    default: return 0;
  }
}

/* Push what the time stamp attribute `a` gets now and return its stamp_kind: nil for a SQL
 * default (2: the caller writes stamp_sql), its declared plain default (1), or now in the ISO
 * form (0: the value at stack index `iso` when given, the run's one) */
static int push_stamp(lua_State *L, sq_db *db, const sq_attr *a, long long now, int iso) {
  int kind = stamp_kind(a);
  if (kind == 2) lua_pushnil(L);
  else if (kind == 1) push_default(L, db, a, now);
  else if (iso) lua_pushvalue(L, iso);
  else push_now_iso(L, now);
  return kind;
}

/* A time stamp's SQL default as the value written: its text, as the DDL's DEFAULT has it */
static void stamp_sql(ctx *c, const sq_attr *a, sq_value *v) {
  sq_expr *x = new_expr(c, SQ_X_LITERAL);
  x->name = a->def_s;
  x->nlen = a->def_n;
  v->kind = SQ_V_EXPR;
  v->u.x = x;
}

/* Make a new instance from the values table at `vi` (or none): known attributes are
 * copied, unknown keys ignored, defaults applied. Leaves the instance on the stack. */
/* A BOOLEAN attribute's value on top of the stack as Sequelize's BOOLEAN sanitizer leaves it:
 * 1 / 0 and "true" / "false" become true / false, anything else stays (validation speaks). */
static void sanitize_boolean(lua_State *L) {
  int t = lua_type(L, -1), b = -1;
  if (t == LUA_TNUMBER) {
    lua_Number d = lua_tonumber(L, -1);
    b = d == 1 ? 1 : d == 0 ? 0 : -1;
  } else if (t == LUA_TSTRING) {
    const char *s = lua_tostring(L, -1);
    b = !strcmp(s, "true") ? 1 : !strcmp(s, "false") ? 0 : -1;
  }
  if (b >= 0) {
    lua_pop(L, 1);
    lua_pushboolean(L, b);
  }
}

/* Sequelize's DATE / DATEONLY sanitizers on the value at the top of the stack, as build and
 * set (not raw) run them: a date string or a number of seconds becomes the ISO form a read
 * gives ("2023-05-05T00:02:03.000Z"; DATEONLY "2023-05-05"). Anything else stays (save's
 * type check refuses what is no date). */
static void sanitize_date(lua_State *L, int dateonly) {
  char out[40];
  long long ms;
  int n = -1, t = lua_type(L, -1);
  if (t == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (dateonly) n = sq_dateonly_normalise(s, len, out);
    else if (!sq_date_parse(s, len, &ms) || !sq_date_parse_js(s, len, &ms)) n = sq_date_format_iso(ms, out);
  } else if (t == LUA_TNUMBER) {
    lua_Number d = lua_tonumber(L, -1);
    if (d == d && fabs(d) <= 253402300799.0) {
      n = sq_date_format_iso((long long)llround(d * 1000.0), out);
      if (dateonly && n > 0) { /* the date part: before the T ("-000001-01-01": moment's "-0001-01-01") */
        const char *tp = memchr(out, 'T', (size_t)n);
        if (tp) n = (int)(tp - out);
        if (n > 3 && out[0] == '-' && out[1] == '0' && out[2] == '0') {
          memmove(out + 1, out + 3, (size_t)n - 3);
          n -= 2;
        }
      }
    }
  }
  if (n > 0) {
    lua_pop(L, 1);
    lua_pushlstring(L, out, (size_t)n);
  }
}

/* Lua 5.4: an integral float on top of the stack (7.0, as lua-cjson decodes JSON numbers)
 * given to an INTEGER / BIGINT attribute becomes the integer the database stores (within
 * 2^53), so the instance holds what a read gives (JavaScript has one number type) */
static void sanitize_integer(lua_State *L) {
#if SQ_LUA_HAS_INT
  long long i;
  if (lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1) && sq_isint53(L, -1, &i)) {
    lua_pop(L, 1);
    lua_pushinteger(L, (lua_Integer)i);
  }
#else
  (void)L;
#endif
}

/* core.sanitize_date(v, dateonly) -> v as an instance's set stores it (sanitize_date) */
static int l_sanitize_date(lua_State *L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 1);
  sanitize_date(L, lua_toboolean(L, 2));
  return 1;
}

/* core.date_to_db(db, v) -> v as the dialect stores a DATE (an ISO-8601 string or seconds
 * since the epoch, as a model's DATE attribute takes them), or nil when v is no such date:
 * for the queryInterface's writes to a column declared DATETIME, which have no attribute */
static int l_date_to_db(lua_State *L) {
  sq_db *db = check_db(L, 1);
  long long ms;
  char out[40];
  int len;
  if (date_ms(L, 2, &ms)) return 0;
  len = db->dialect->date_to_db(ms, out);
  if (len < 0) return 0;
  lua_pushlstring(L, out, (size_t)len);
  return 1;
}

/* names: 0, or (bulkCreate) the stack slot of the first of the model's attribute names
 * (pushed once for a whole list, so no key string is made per row); such an instance is
 * inserted before anyone sees it, so it gets no isNewRecord flag and no hash part. */
static void build_instance(lua_State *L, sq_model *m, int modeli, int vi, int mt, long long now, int track,
                           int names) {
  int k, inst, prev = 0, meta = 0;
  if (vi && names && lua_getmetatable(L, vi)) { /* its __index may hold values: read through it */
    meta = 1;
    lua_pop(L, 1);
  }
  lua_createtable(L, m->nattrs, names ? 0 : 1);
  inst = lua_gettop(L);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (vi) {
      if (names) {
        lua_pushvalue(L, names + k);
        if (meta) lua_gettable(L, vi);
        else lua_rawget(L, vi);
      } else {
        lua_getfield(L, vi, a->name);
      }
      if (!lua_isnil(L, -1)) {
        if (a->type.kind == SQ_T_BOOLEAN) sanitize_boolean(L);
        else if (a->type.kind == SQ_T_INTEGER || a->type.kind == SQ_T_BIGINT) sanitize_integer(L);
        else if (!names && (a->type.kind == SQ_T_DATE || a->type.kind == SQ_T_DATEONLY))
          sanitize_date(L, a->type.kind == SQ_T_DATEONLY); /* (bulkCreate's rows: after the write) */
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
    if (a->def_kind != SQ_DEF_NONE && a->def_kind != SQ_DEF_SQL) { /* (SQL: the database's) */
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

/* core.stamp(model, attribute [, now]) -> the value a time stamp attribute is stamped with
 * (Sequelize's _getDefaultTimestamp): its declared plain defaultValue as an instance holds it,
 * now in the ISO form, or false for a SQL default (the caller takes the literal / fn itself);
 * and the now (ms) used, which a second stamp of the same save is given (Sequelize's one now
 * for createdAt and updatedAt) */
static int l_stamp(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  size_t n;
  const char *name = luaL_checklstring(L, 2, &n);
  long long now = lua_isnoneornil(L, 3) ? sq_now_ms() : (long long)luaL_checkinteger(L, 3);
  sq_attr *a = sq_model_attr(m, name, n);
  if (!a) push_now_iso(L, now);
  else if (push_stamp(L, m->db, a, now, 0) == 2) {
    lua_pop(L, 1); /* (nil) */
    lua_pushboolean(L, 0);
  }
  lua_pushinteger(L, (lua_Integer)now);
  return 2;
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

/* The list of attribute names at stack index li (option `what`): mark them in `mask`. */
static void names_mask(ctx *c, int li, unsigned char *mask, const char *what) {
  lua_State *L = c->L;
  int k, n;
  memset(mask, 0, (size_t)c->m->nattrs);
  n = list_len(c, li, what);
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *nm;
    lua_rawgeti(L, li, k);
    nm = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    if (!nm) usage(L, c->db, "%s on %s must list attribute names", what, c->m->name);
    if (strcmp(what, "fields") == 0) {
      /* (attribute names only: Sequelize's fields whitelist ignores a column name, `first_name`
       * for firstName, so an instance's values under it are never written; it raises here as
       * any other name that is no attribute does) */
      mask[find_attr_named(c, nm, len, what)->index] = 1;
    } else {
      mask[find_attr(c, nm, len, what)->index] = 1;
    }
    lua_pop(L, 1);
  }
}

/* `fields` (a list of attribute names at stack index fi, or 0): mark them in `mask`. */
void fields_mask(ctx *c, int fi, unsigned char *mask) {
  if (!fi) {
    memset(mask, 1, (size_t)c->m->nattrs);
    return;
  }
  names_mask(c, fi, mask, "fields");
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

/* An instance's value for a write: a Sequelize.fn/literal/col (is_expr) becomes SQ_V_EXPR,
 * written as SQL (its own values bound), as Sequelize writes it; anything else to_db.
 * t is lua_type(L, i). Returns 1 for an expression. Only tables are looked at twice. */
static int write_value(ctx *c, int i, int t, const sq_attr *a, sq_value *v) {
  if (t == LUA_TTABLE && is_expr(c->L, i)) {
    v->kind = SQ_V_EXPR;
    v->u.x = parse_value_expr(c, i, a->name);
    return 1;
  }
  to_db_t(c, i, t, a, v);
  return 0;
}

/* Sequelize's omitNull (Utils.removeNullValuesFromHash): a NULL for attribute a is left out
 * of the statement unless its column's name ends in "Id" (TeamId, otherId: Sequelize's test,
 * on the column name) */
static int omits_null(const sq_attr *a) {
  size_t n = strlen(a->field);
  return !(n >= 2 && a->field[n - 2] == 'I' && a->field[n - 1] == 'd');
}

/* Whether an UPDATE leaves NULLs out: the call's own omitNull when it gives a boolean
 * (restore and the association unlinks give false), else Sequelize.new's */
static int update_omits(lua_State *L, sq_db *db, int opts) {
  int r = db->omit_null;
  if (opts) {
    lua_getfield(L, opts, "omitNull");
    if (lua_type(L, -1) == LUA_TBOOLEAN) r = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  return r;
}

static int step_done(sq_db *db, sq_stmt *st) {
  int rc = sq_stmt_step(st);
  while (rc == SQ_STEP_ROW) rc = sq_stmt_step(st);
  if (rc != SQ_STEP_DONE) {
    int ext = sq_conn_errcode(db->conn);
    sq_db_fail(db, ext ? ext : rc, sq_stmt_sql(st));
    sq_stmt_reset(st);
    return -1;
  }
  sq_stmt_reset(st);
  return sq_db_ran(db);
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
  sq_stmt *st;          /* statement of the previous batch */
  int st_rows;               /* ... the rows it inserts */
  unsigned char *shape;      /* ... its present[] (nattrs bytes); NULL: no reuse */
  int isnew;                 /* stack slot of the string "isNewRecord", or 0 */
  unsigned gen;              /* the statement cache generation `st` belongs to */
  const sq_conflict *cf;     /* bulkCreate's conflict handling, or NULL: one row a statement */
  long long key;             /* with cf: the key the last row's RETURNING gave ... */
  int got_key;               /* ... if it gave one (a row skipped gives none) */
  int keep_updated;          /* a given updatedAt stays (bulkCreate; create with silent) */
  int omit_null;             /* NULLs are left out (omits_null; Sequelize.new's omitNull, for
                              * one row's INSERT only: bulkCreate writes them) */
  int posnext;               /* the next positional replacement (`?`) a row's literal takes:
                              * counted on across statements, as over Sequelize's one INSERT */
  int cw_pos;                /* positional replacements conflictWhere took: the last ones
                              * given, from cw_first on (they come after the rows' in
                              * Sequelize's one statement) */
  int cw_first;
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
  r->cf = NULL;
  r->key = 0;
  r->got_key = 0;
  r->keep_updated = 0;
  r->posnext = 0;
  r->cw_pos = 0;
  r->cw_first = 0;
  r->omit_null = 0;
}

/* The values to insert for the instance at `inst`. Its time stamps are set first
 * (createdAt unless given, updatedAt too unless given and run->keep_updated: Sequelize's
 * bulkCreate keeps both, its save keeps an updatedAt given only with silent); then each attribute that `mask` selects (or
 * a time stamp) and that has a value goes into vals[k] and is marked in present[k]. Both
 * arrays are nattrs long; present[] comes zeroed. */
static int row_values(ctx *c, int inst, const unsigned char *mask, const insrun *run, sq_value *vals,
                      unsigned char *present) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k, exprs = 0, sql_stamp = 0;
  if (m->created_at >= 0) {
    lua_rawgeti(L, inst, m->created_at + 1);
    if (lua_isnil(L, -1) || is_null(L, -1)) {
      if (push_stamp(L, c->db, m->attrs[m->created_at], run->now, run->iso) == 2) sql_stamp = 1;
      lua_rawseti(L, inst, m->created_at + 1);
    }
    lua_pop(L, 1);
  }
  if (m->updated_at >= 0) {
    int given = 0, kind = stamp_kind(m->attrs[m->updated_at]);
    if (run->keep_updated || kind == 2) {
      /* (a SQL default the instance holds already, as save stamps it: written as it is) */
      lua_rawgeti(L, inst, m->updated_at + 1);
      given = run->keep_updated ? !lua_isnil(L, -1) && !is_null(L, -1) : lua_istable(L, -1) && is_expr(L, -1);
      lua_pop(L, 1);
    }
    if (!given) {
      if (push_stamp(L, c->db, m->attrs[m->updated_at], run->now, run->iso) == 2) sql_stamp = 1;
      lua_rawseti(L, inst, m->updated_at + 1);
    }
  }
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    int t;
    if (!mask[k] && !a->timestamp) continue;
    lua_rawgeti(L, inst, k + 1);
    t = lua_type(L, -1);
    if (t == LUA_TNIL && sql_stamp && (k == m->created_at || k == m->updated_at)) {
      /* a time stamp whose default is SQL: written (Sequelize writes the literal), and the
       * instance reads nil for it, as for any SQL default */
      lua_pop(L, 1);
      stamp_sql(c, a, &vals[k]);
      present[k] = 1;
      exprs = 1;
      continue;
    }
    if (t == LUA_TNIL || ((a->autoinc || (run->omit_null && omits_null(a))) && is_null(L, -1))) {
      /* (an autoincrement key given as NULL is left to the database, as Sequelize does;
       * with omitNull any NULL: the column's default, Sequelize's INSERT) */
      lua_pop(L, 1);
      continue;
    }
    if (a->timestamp && run->now_db_len && lua_rawequal(L, -1, run->iso)) {
      vals[k].kind = SQ_V_TEXT; /* the run's own time stamp: no parsing it back */
      vals[k].u.s.p = run->now_db;
      vals[k].u.s.n = run->now_db_len;
    } else {
      exprs |= write_value(c, -1, t, a, &vals[k]);
    }
    present[k] = 1;
    /* the value's string stays referenced by the instance while we run */
    lua_pop(L, 1);
  }
  return exprs;
}

/* The rows' literals and conflictWhere did not take the positional replacements given
 * exactly: conflictWhere's were taken as the last ones (its text is written before the rows),
 * where Sequelize's statement gives it those right after the rows' */
static int cw_pos_error(ctx *c, const insrun *run) {
  return sq_err_set(c->db, SQ_E_USAGE, "bulkCreate on %s: positional replacements (?): conflictWhere takes the "
                    "last %d given, so the rows' literals must take the %d before them, and took %d; "
                    "give as many replacements as the `?`s, or name them (:name)",
                    c->m->name, run->cw_pos, run->cw_first, run->posnext);
}

/* INSERT `nrows` rows of one shape (present[]); row r's values are at vals + r * nattrs.
 * The previous batch's statement is rebound when its shape and row count are the same;
 * rows with SQL values (exprs: some value is SQ_V_EXPR) are built each time, and not kept. */
static int insert_rows(ctx *c, insrun *run, const sq_value *vals, const unsigned char *present, int nrows,
                       int exprs) {
  sq_model *m = c->m;
  sq_stmt *st;
  int again = !exprs && run->st && run->gen == c->db->cache_gen && run->shape && run->st_rows == nrows &&
              !memcmp(run->shape, present, (size_t)m->nattrs);
  if (again) {
    if (sq_db_log(c->db, sq_stmt_sql(run->st), strlen(sq_stmt_sql(run->st)))) return -1;
    again = run->gen == c->db->cache_gen; /* (a logger's own queries can empty the cache) */
  }
  if (again) {
    int r, k, j = 0;
    st = run->st;
    sq_stmt_reset(st);
    for (r = 0; r < nrows; r++) {
      const sq_value *row = vals + (size_t)r * (size_t)m->nattrs;
      for (k = 0; k < m->nattrs; k++)
        if (present[k] && sq_db_bind(c->db, st, ++j, &row[k])) return -1;
    }
    if (sq_db_log_flush(c->db, sq_stmt_sql(st), strlen(sq_stmt_sql(st)))) return -1;
  } else {
    sq_buf sql;
    sq_binds binds;
    sq_buf_init(&sql);
    sq_binds_init(&binds, c->arena);
    binds.posnext = run->posnext;
    if (sq_sql_insert(c->db, &sql, &binds, m, vals, present, nrows, run->cf)) {
      sq_buf_free(&sql);
      return -1;
    }
    run->posnext = binds.posnext;
    if (run->cw_pos && binds.posnext > run->cw_first) {
      /* (conflictWhere's `?`s were given the last replacements, written into its text before
       * the rows': the rows' took some of those) */
      sq_buf_free(&sql);
      /* (so more `?`s than replacements: the first one lacking, as Sequelize counts) */
      return sq_err_set(c->db, SQ_E_USAGE,
                        "Positional replacement (?) %d has no entry in the replacement map (replacements[%d] is nil).",
                        run->cw_first + run->cw_pos + 1, run->cw_first + run->cw_pos + 1);
    }
    st = prepare_built(c->db, &sql, &binds);
    sq_buf_free(&sql);
    if (exprs) run->st = NULL;
    else if (st && run->shape) {
      run->st = st;
      run->st_rows = nrows;
      run->gen = c->db->cache_gen;
      memcpy(run->shape, present, (size_t)m->nattrs);
    }
  }
  if (st && run->cf) {
    /* one row with RETURNING its key: a result row, or none when the row was skipped */
    int rc = sq_stmt_step(st);
    run->got_key = rc == SQ_STEP_ROW;
    if (run->got_key) run->key = sq_col_int(st, 0);
    while (rc == SQ_STEP_ROW) rc = sq_stmt_step(st);
    if (rc != SQ_STEP_DONE) {
      int ext = sq_conn_errcode(c->db->conn);
      sq_db_fail(c->db, ext ? ext : rc, sq_stmt_sql(st));
      sq_stmt_reset(st);
      run->st = NULL;
      return -1;
    }
    sq_stmt_reset(st);
    return sq_db_ran(c->db) ? (run->st = NULL, -1) : 0;
  }
  if (!st || step_done(c->db, st)) {
    run->st = NULL;
    return -1;
  }
  return 0;
}

/* After its INSERT, the instance at `inst` takes the key the database made (`*rowid`, when
 * it gave none, the key is an integer and rowid is not NULL: a row skipped by ignoreDuplicates
 * has none) and its values as stored, in their Lua form; it is no longer new and has no
 * unsaved changes. */
static void row_inserted(ctx *c, int inst, const insrun *run, const sq_value *vals, const unsigned char *present,
                         const long long *rowid) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k;
  if (rowid && m->pk >= 0 && !present[m->pk]) {
    sq_attr *pk = m->attrs[m->pk];
    if (pk->type.kind == SQ_T_INTEGER || pk->type.kind == SQ_T_BIGINT) {
      push_i64(L, *rowid);
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
  long long rowid;
  int exprs;
  exprs = row_values(c, inst, mask, run, vals, present);
  if (insert_rows(c, run, vals, present, 1, exprs)) return -1;
  rowid = sq_conn_last_id(c->db->conn);
  row_inserted(c, inst, run, vals, present, &rowid);
  return 0;
}

/* The start of a write on (model, instance, opts): logging, the call's context, and the
 * mask of attributes opts.fields allows (all without it). *fi: the fields list's slot or 0. */
static unsigned char *begin_write(lua_State *L, sq_model *m, ctx *c, logctx *lg, int opts, int *fi) {
  unsigned char *mask;
  luaL_checktype(L, 2, LUA_TTABLE);
  /* (an instance a hook of this write saw its model's attributes change under: read by the
   * model's layout from here on) */
  migrate_instance(L, 2);
  setup_log(L, m->db, lg, 1, opts);
  init_ctx(c, L, m->db, m, lg);
  sqb_ctx_replacements(c, opts);
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
    /* (_stamped: the Lua layer stamped the row before its validation and hooks, which may
     * have changed the stamp: Sequelize writes what the row holds) */
    run.keep_updated = opt_bool(L, opts, "silent") || opt_bool(L, opts, "_stamped");
    run.omit_null = c.db->omit_null; /* (Sequelize's INSERT reads only Sequelize.new's) */
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
static int batch_rows(ctx *c, const unsigned char *present, int r_conflict) {
  sq_model *m = c->m;
  int k, cols = 0, maxp, rows;
  for (k = 0; k < m->nattrs; k++) cols += present[k] != 0;
  if (cols == 0 || !c->db->dialect->rowid_keys) return 1;
  if (r_conflict) return 1; /* each row's own key comes back by RETURNING */
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
  /* the logger, transaction id, options and model box were passed along: stack slots differ
   * in this frame (the logger's and query hooks' options read the last two) */
  if (c->db->log) {
    lg->fn = lua_isnil(L, 3) ? 0 : 3;
    lg->txid = lua_isnil(L, 4) ? 0 : 4;
  }
  if (c->db->log || c->db->qhook) {
    lg->opts = lua_istable(L, 7) ? 7 : 0;
    lg->boxi = 8;
  }
  r->run->iso = 5; /* the run's ISO time stamp, passed along too */
  r->run->isnew = 6;
  /* the call's replacements and bind for the rows' literals, in this frame's slots; their
   * positional list is remade in the arena after each reset */
  if (c->rep || c->bind) sqb_ctx_replacements(c, 7); /* (slots of the caller's frame: made again) */
  c->posrep = NULL;
  while (k <= r->n) {
    sq_value *vals = xalloc(c, sizeof *vals * na * SQ_BULK_ROWS);
    unsigned char *present = xalloc(c, na ? na : 1), *next = xalloc(c, na ? na : 1);
    int cnt, cap = SQ_BULK_ROWS, i, exprs = 0, ex;
    long long last;
    for (cnt = 0; k + cnt <= r->n && cnt < cap; cnt++) {
      unsigned char *p = cnt ? next : present;
      if (cnt) memset(next, 0, na);
      lua_rawgeti(L, 2, k + cnt);
      ex = row_values(c, lua_gettop(L), r->mask, r->run, vals + (size_t)cnt * na, p);
      lua_pop(L, 1);
      if (cnt == 0) cap = batch_rows(c, present, r->run->cf != NULL);
      else if (memcmp(next, present, na)) break; /* another shape: it starts the next batch */
      exprs |= ex;
    }
    if (insert_rows(c, r->run, vals, present, cnt, exprs)) {
      r->failed = 1;
      return 0;
    }
    if (r->run->cf) {
      /* one row: the key RETURNING gave; a skipped row keeps the key it was given, if any */
      lua_rawgeti(L, 2, k);
      row_inserted(c, lua_gettop(L), r->run, vals, present, r->run->got_key ? &r->run->key : NULL);
      lua_pop(L, 1);
      k += 1;
      sq_arena_free(c->arena);
      c->posrep = NULL;
      continue;
    }
    last = sq_conn_last_id(c->db->conn);
    if (cnt > 1 && m->pk >= 0 && !present[m->pk] && sq_conn_changes(c->db->conn) != cnt) {
      sq_err_set(c->db, SQ_E_DATABASE, "bulkCreate on %s: %d of %d rows were inserted (a trigger or conflict clause skipped some): their keys are unknown",
                 m->name, sq_conn_changes(c->db->conn), cnt);
      r->failed = 1;
      return 0;
    }
    for (i = 0; i < cnt; i++) {
      long long key = last - cnt + 1 + i;
      lua_rawgeti(L, 2, k + i);
      row_inserted(c, lua_gettop(L), r->run, vals + (size_t)i * na, present, &key);
      lua_pop(L, 1);
    }
    k += cnt;
    sq_arena_free(c->arena); /* the batch's values are written: keep the arena small */
    c->posrep = NULL;
  }
  return 0;
}

/* Roll savepoint `name` back and raise the error that made it necessary (db->err), not
 * whatever the rollback itself may report. */
static int rollback_raising(lua_State *L, sq_db *db, const char *name) {
  sq_err saved;
  sq_err_stash(db, &saved);
  sq_db_rollback(db, name);
  sq_err_restore(db, &saved);
  return raise_db(L, db);
}

/* Does any item of the list at `list` hold a SQL value (a literal's `?`s take replacements)?
 * (scanned only for a conflictWhere with `?`s and more replacements than it takes) */
static int rows_have_exprs(lua_State *L, int list) {
  lua_Integer i, n = (lua_Integer)sq_rawlen(L, list);
  for (i = 1; i <= n; i++) {
    int item;
    lua_rawgeti(L, list, i);
    item = lua_gettop(L);
    if (lua_istable(L, item)) {
      lua_pushnil(L);
      while (lua_next(L, item)) {
        if (is_expr(L, -1)) {
          lua_pop(L, 3);
          return 1;
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* bulkCreate's opts.ignoreDuplicates, and opts.updateOnDuplicate with opts.conflictAttributes
 * (lists of attribute names; the Lua layer supplies the conflict target when the caller gave
 * none): into *cf, its masks in userdata on the stack (they outlive arena resets). Returns
 * whether there is any. */
static int bulk_conflict(ctx *c, int opts, int list, sq_conflict *cf, int *cw_pos, int *cw_first) {
  lua_State *L = c->L;
  size_t na = (size_t)c->m->nattrs + 1;
  memset(cf, 0, sizeof *cf);
  if (!opts) return 0;
  lua_getfield(L, opts, "ignoreDuplicates");
  cf->ignore = lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, opts, "updateOnDuplicate");
  if (lua_istable(L, -1)) {
    unsigned char *update = lua_newuserdata(L, na), *target = lua_newuserdata(L, na);
    int li = lua_gettop(L) - 2;
    names_mask(c, li, update, "updateOnDuplicate");
    lua_getfield(L, opts, "conflictAttributes");
    if (!lua_istable(L, -1)) usage(L, c->db, "bulkCreate on %s: updateOnDuplicate needs conflictAttributes", c->m->name);
    names_mask(c, lua_gettop(L), target, "conflictAttributes");
    lua_pop(L, 1);
    cf->update = update;
    cf->target = target;
    /* the two userdata stay on the stack, above the list */
    lua_getfield(L, opts, "conflictWhere");
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
    } else {
      /* the target's WHERE, its values written as literals (SQLite matches a partial index
       * only by the text of its condition: a bound parameter matches none), its columns
       * unqualified; the text stays on the stack */
      int wt, cw;
      sq_where *w;
      sq_binds binds;
      sq_buf wb;
      const char *qual = c->qual;
      lua_createtable(L, 0, 1);
      wt = lua_gettop(L);
      lua_pushvalue(L, -2);
      lua_setfield(L, wt, "where");
      c->qual = NULL;
      w = get_where(c, wt);
      c->qual = qual;
      if (w && !sq_where_is_empty(w)) {
        sq_buf_init(&wb);
        sq_binds_init(&binds, c->arena);
        binds.literal = 1;
        if (sq_sql_condition(c->db, &wb, &binds, w)) { sq_buf_free(&wb); raise_db(L, c->db); }
        cw = binds.posnext;
        if (cw && c->posrep && c->posrep->n > cw && rows_have_exprs(L, list)) {
          /* its `?`s take the last replacements (the rows' come first in Sequelize's
           * statement; l_bulk_insert checks that the rows take all the others). Rows
           * without SQL values take none: it keeps the first ones, the others unused, as
           * Sequelize's statement leaves them */
          sq_buf_truncate(&wb, 0);
          sq_binds_init(&binds, c->arena);
          binds.literal = 1;
          binds.posnext = c->posrep->n - cw;
          if (sq_sql_condition(c->db, &wb, &binds, w)) { sq_buf_free(&wb); raise_db(L, c->db); }
        }
        if (wb.oom) { sq_buf_free(&wb); luaL_error(L, "out of memory"); }
        lua_pushlstring(L, sq_buf_cstr(&wb), wb.len);
        sq_buf_free(&wb);
        cf->where = lua_tostring(L, -1);
        *cw_pos = cw;
        *cw_first = binds.posnext - cw; /* (0 unless moved to the last ones above) */
      }
    }
  } else {
    lua_pop(L, 1);
  }
  if (!cf->ignore && !cf->update) return 0;
  cf->returning = 1;
  return 1;
}

/* core.bulk_insert(model, list_of_values, opts) -> list of instances, in one savepoint */
static int l_bulk_insert(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi, n, k, out, mt, names, failed = 0, has_cf, cw_pos = 0, cw_first = 0;
  sq_conflict cf;
  ctx c;
  unsigned char *mask;
  long long now = sq_now_ms();
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m, &lg);
  fi = get_fields(L, opts);
  mask = lua_newuserdata(L, (size_t)m->nattrs + 1); /* outlives arena resets */
  fields_mask(&c, fi, mask);
  sqb_ctx_replacements(&c, opts); /* (a literal's parameters in conflictWhere) */
  has_cf = bulk_conflict(&c, opts, 2, &cf, &cw_pos, &cw_first);
  n = items_len(&c, 2, "bulkCreate records"); /* (a hole would cut the list short) */
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
    int own = 0; /* an instance of this model already: taken as it is */
    lua_rawgeti(L, 2, k);
    if (!lua_istable(L, -1)) usage(L, c.db, "bulkCreate on %s: item %d is not a table", m->name, k);
    if (lua_getmetatable(L, -1)) {
      own = lua_rawequal(L, -1, mt);
      lua_pop(L, 1);
    }
    if (!own) {
      /* values: a plain table, or one whose metatable supplies them (another model's
       * instance included), read by name */
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
  luaL_checkstack(L, 16, "bulkCreate"); /* (the protected loop's arguments, before the savepoint) */
  if (sq_db_begin(c.db, "sequelua_bulk")) return raise_db(L, c.db);
  {
    /* the inserts run protected: a Lua error (a value of the wrong type, say) must roll
     * the savepoint back too, not leave it open */
    bulkrun r;
    insrun run;
    int rc;
    insrun_init(L, c.db, &run, now, lua_newuserdata(L, (size_t)m->nattrs + 1));
    run.cf = has_cf ? &cf : NULL;
    run.cw_pos = cw_pos;
    run.cw_first = cw_first;
    run.keep_updated = 1;
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
    if (opts) lua_pushvalue(L, opts); else lua_pushnil(L);
    lua_pushvalue(L, 1);
    {
      int fn = lg.fn, txid = lg.txid, lo = lg.opts, lb = lg.boxi;
      rc = lua_pcall(L, 8, 0, 0);
      lg.fn = fn;
      lg.txid = txid;
      lg.opts = lo;
      lg.boxi = lb;
    }
    failed = r.failed;
    if (rc != 0) {
      sq_db_rollback(c.db, "sequelua_bulk");
      return lua_error(L);
    }
    if (!failed && run.cw_pos && run.posnext != run.cw_first) {
      cw_pos_error(&c, &run); /* (fewer taken by the rows: nothing written) */
      return rollback_raising(L, c.db, "sequelua_bulk");
    }
  }
  /* an INSERT failed, or RELEASE did (the database stayed locked past the busy timeout,
   * say): roll the savepoint back, or the rows would sit uncommitted and the lock stay held */
  if (failed || sq_db_commit(c.db, "sequelua_bulk")) return rollback_raising(L, c.db, "sequelua_bulk");
  release_ctx(&c);
  lua_settop(L, out);
  return 1;
}

/* The values identifying the row of the instance at `inst`: each primary key's current
 * value, in column order, into vals[0..npk). (Sequelize's where() reads the current values:
 * a key changed by setDataValue or a raw set is the row's key from then on; a plain set of a
 * key that holds a value is ignored.) */
static void pk_values(ctx *c, int inst, sq_value *vals) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k, j = 0;
  if (m->npk == 0) usage(L, c->db, "%s has no primary key: cannot identify the row", m->name);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (!a->pk) continue;
    lua_rawgeti(L, inst, k + 1);
    if (lua_isnil(L, -1) || is_null(L, -1))
      usage(L, c->db, "%s instance has no value for its primary key %s", m->name, a->name);
    to_db(c, -1, a, &vals[j++]);
    lua_pop(L, 1);
  }
}

/* A where tree `pk = value` from the instance's slots (previous key when changed), and with
 * ver (optimistic locking) `version = *ver`. */
static sq_where *pk_where_v(ctx *c, int inst, const sq_value *ver) {
  sq_model *m = c->m;
  sq_value *vals = xalloc(c, sizeof *vals * (size_t)(m->npk ? m->npk : 1));
  sq_where *w;
  int k, j = 0;
  pk_values(c, inst, vals);
  w = new_node(c, SQ_W_AND, m->npk + (ver != NULL));
  if (ver) {
    sq_where *cmp = new_node(c, SQ_W_CMP, 0);
    cmp->lhs = attr_expr(c, m->attrs[m->version]);
    cmp->op = SQ_OP_EQ;
    cmp->nrhs = 1;
    cmp->rhs = xalloc(c, sizeof(sq_expr *));
    cmp->rhs[0] = new_expr(c, SQ_X_VALUE);
    cmp->rhs[0]->v = *ver;
    w->kids[m->npk] = cmp; /* after the keys (Sequelize's order), filled below */
  }
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
  if (ver) w->nkids++;
  return w;
}

static sq_where *pk_where(ctx *c, int inst) { return pk_where_v(c, inst, NULL); }

/* The version the instance at `inst` of a versioned model holds (optimistic locking): its
 * UPDATE or DELETE matches it, `version IS NULL` for a declared nullable version that holds
 * NULL. One it has no value for (read without the attribute, or created without one for a
 * declared version that has no default) is refused before any SQL, as Sequelize refuses it:
 * the write would match no row (a delete doing nothing, a save raising a false
 * OptimisticLockError). */
static void read_version(ctx *c, int inst, sq_value *ver) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  const char *name = m->attrs[m->version]->name;
  lua_rawgeti(L, inst, m->version + 1);
  if (is_null(L, -1)) {
    ver->kind = SQ_V_NULL;
  } else if (lua_type(L, -1) == LUA_TNUMBER || (lua_type(L, -1) == LUA_TSTRING && lua_isnumber(L, -1))) {
    ver->kind = SQ_V_INT;
    ver->u.i = (long long)lua_tonumber(L, -1);
  } else if (lua_isnil(L, -1)) {
    usage(L, c->db,
          "WHERE parameter \"%s\" has invalid \"undefined\" value: the %s instance has no value for its "
          "version attribute %s (optimistic locking); read the row with it to save or destroy it",
          m->attrs[m->version]->field, m->name, name);
  } else {
    usage(L, c->db, "%s.%s: the version (optimistic locking) must be an integer, got %s", m->name, name,
          luaL_typename(L, -1));
  }
  lua_pop(L, 1);
}

/* The UPDATE of one row by its key: built, logged, prepared and bound. The text of the
 * last one is kept with the model (m->upd) by the columns it sets, so a run of saves of
 * one shape (P6's loop) rebinds the same statement without building SQL again. */
static sq_stmt *update_by_pk(ctx *c, int inst, const sq_value *vals, const unsigned char *present,
                                  int exprs, const sq_value *ver) {
  sq_model *m = c->m;
  sq_db *db = c->db;
  sq_kept *u = &m->upd;
  sq_stmt *st;
  if (!exprs && u->sql && u->nattrs == m->nattrs && db->view_m != m &&
      !memcmp(u->set, present, (size_t)m->nattrs)) {
    sq_value *key = xalloc(c, sizeof *key * (size_t)(m->npk ? m->npk : 1));
    int k, j = 0;
    pk_values(c, inst, key);
    st = kept_stmt(db, m, u);
    if (!st) return NULL;
    if (u->nattrs != m->nattrs || memcmp(u->set, present, (size_t)m->nattrs)) {
      /* the logger saved a row of another shape, which is kept now: this one is built
       * (and so logged) again */
      return update_by_pk(c, inst, vals, present, 0, ver);
    }
    for (k = 0; k < m->nattrs; k++) /* in sq_sql_update's SET order: updatedAt, version last */
      if (present[k] && k != m->updated_at && k != m->version && sq_db_bind(db, st, ++j, &vals[k])) return NULL;
    if (m->updated_at >= 0 && present[m->updated_at] && sq_db_bind(db, st, ++j, &vals[m->updated_at])) return NULL;
    if (m->version >= 0 && present[m->version] && sq_db_bind(db, st, ++j, &vals[m->version])) return NULL;
    for (k = 0; k < m->npk; k++)
      if (sq_db_bind(db, st, ++j, &key[k])) return NULL;
    if (ver && sq_db_bind(db, st, ++j, ver)) return NULL;
    if (sq_db_log_flush(db, u->sql, u->len)) return NULL;
    return st;
  } else {
    sq_buf sql;
    sq_binds binds;
    sq_where *w;
    c->qual = NULL;
    w = pk_where_v(c, inst, ver);
    sq_buf_init(&sql);
    sq_binds_init(&binds, c->arena);
    if (sq_sql_update(db, &sql, &binds, m, vals, present, w, NULL, -1)) {
      sq_buf_free(&sql);
      return NULL;
    }
    st = prepare_built(db, &sql, &binds);
    /* (one with SQL values is built each time: its text depends on them) */
    if (st && !exprs) keep_stmt(db, m, u, present, &sql, st);
    sq_buf_free(&sql);
    return st;
  }
}

/* Stamp updatedAt, unless opts.silent: the instance's slot gets the ISO form, vals[] the
 * stored one. Returns the attribute stamped, or -1. */
static int stamp_updated(ctx *c, int inst, int opts, sq_value *vals, unsigned char *present, int *exprs) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  long long now;
  char *buf;
  const sq_stamp *st;
  int kind;
  if (m->updated_at < 0 || opt_bool(L, opts, "silent")) return -1;
  kind = stamp_kind(m->attrs[m->updated_at]);
  if (kind) {
    /* its declared default (Sequelize's _getDefaultTimestamp): a SQL one written as SQL,
     * the literal the instance holds (save stamps it) or else the DEFAULT's text */
    sq_attr *a = m->attrs[m->updated_at];
    if (kind == 1) push_default(L, c->db, a, sq_now_ms());
    else lua_rawgeti(L, inst, m->updated_at + 1);
    if (kind == 2 && !(lua_istable(L, -1) && is_expr(L, -1))) {
      lua_pop(L, 1);
      lua_pushnil(L);
      stamp_sql(c, a, &vals[m->updated_at]);
      *exprs = 1;
    } else {
      *exprs |= write_value(c, -1, lua_type(L, -1), a, &vals[m->updated_at]);
    }
    lua_rawseti(L, inst, m->updated_at + 1);
    present[m->updated_at] = 1;
    return kind == 1 ? -1 : m->updated_at; /* (a plain one is normalised as a value written) */
  }
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

/* A save of a versioned model's instance that matched no row (its version is stale, or the
 * row is gone): false, the values written by column and the where by attribute, for Lua's
 * OptimisticLockError (Sequelize's modelName, values, where). The instance keeps its changes. */
static int stale(ctx *c, const sq_value *vals, const unsigned char *present, const sq_value *ver) {
  lua_State *L = c->L;
  sq_model *m = c->m;
  int k;
  lua_pushboolean(L, 0);
  lua_newtable(L);
  for (k = 0; k < m->nattrs; k++) {
    if (!present[k]) continue;
    if (k == m->version) sq_pushinteger(L, vals[k].u.i);
    else lua_rawgeti(L, 2, k + 1);
    lua_setfield(L, -2, m->attrs[k]->field);
  }
  lua_newtable(L);
  for (k = 0; k < m->nattrs; k++) {
    if (!m->attrs[k]->pk) continue;
    lua_rawgeti(L, 2, k + 1);
    lua_setfield(L, -2, m->attrs[k]->name);
  }
  if (ver->kind == SQ_V_NULL) lua_pushlightuserdata(L, NULL);
  else sq_pushinteger(L, ver->u.i);
  lua_setfield(L, -2, m->attrs[m->version]->name);
  release_ctx(c);
  return 3;
}

/* Forget the changes recorded in the table at `prev` (the instance's t[-1]) of the
 * attributes present[] or omitted[] (may be NULL) marks, the whole record when `partial` is 0
 * or none is left */
static void forget_changes(lua_State *L, sq_model *m, int prev, int partial, const unsigned char *present,
                           const unsigned char *omitted) {
  int k;
  if (!lua_istable(L, prev)) return; /* (none: a touch) */
  if (partial) {
    for (k = 0; k < m->nattrs; k++) {
      if (!present[k] && !(omitted && omitted[k])) continue;
      lua_pushnil(L);
      lua_setfield(L, prev, m->attrs[k]->name);
    }
    lua_pushnil(L);
    if (lua_next(L, prev)) {
      lua_pop(L, 2);
      return;
    }
  }
  lua_pushnil(L);
  lua_rawseti(L, 2, -1);
}

/* The value at the top of the stack is one an UPDATE leaves out of attribute a's column
 * (omitNull: omit set, a NULL or nil, omits_null(a)): then it is popped, marked in
 * (*omitted, made on first use) and counted in *n */
static int omitted_null(ctx *c, int omit, const sq_attr *a, unsigned char **omitted, int *n) {
  lua_State *L = c->L;
  if (!omit || !(lua_isnil(L, -1) || is_null(L, -1)) || !omits_null(a)) return 0;
  lua_pop(L, 1);
  if (!*omitted) *omitted = xalloc(c, (size_t)c->m->nattrs);
  (*omitted)[a->index] = 1;
  (*n)++;
  return 1;
}

/* Write the changed attributes of the instance at stack slot 2 that `mask` selects (all
 * when `partial` is 0), plus updatedAt; forget the written changes. With omitNull (the
 * call's, else Sequelize.new's) a NULL is not written (omitted_null), its change forgotten
 * all the same, and updatedAt is still stamped (Sequelize's UPDATE ... SET updatedAt). */
/* touch (Sequelize's save once anything at all has changed, VIRTUAL attributes included):
 * every attribute `mask` selects is written, changed or not, and updatedAt even when that is
 * all there is to write */
static int save_changes(lua_State *L, sq_model *m, ctx *cp, int opts, const unsigned char *mask, int partial,
                        int touch) {
  ctx c = *cp;
  int fi = partial, k, nset = 0, prev, stamped = -1, exprs = 0, marked = 0, nomit = 0;
  int omit = update_omits(L, cp->db, opts);
  sq_value ver;
  unsigned char *present, *omitted = NULL;
  sq_value *vals;
  sq_stmt *st;
  present = xalloc(&c, (size_t)m->nattrs);
  vals = xalloc(&c, sizeof *vals * (size_t)m->nattrs);
  lua_rawgeti(L, 2, -1);
  prev = lua_gettop(L);
  if (lua_istable(L, prev)) {
    for (k = 0; k < m->nattrs; k++) {
      sq_attr *a = m->attrs[k];
      if (!mask[k]) continue;
      lua_getfield(L, prev, a->name);
      if (a->timestamp == 2) {
        /* updatedAt marked changed (changed("updatedAt", true), Sequelize's touch): the
         * stamp below writes it, now, even with nothing else to write */
        marked = !lua_isnil(L, -1);
      } else if (!lua_isnil(L, -1)) {
        /* changed since load: written, even when set back to the value it had (Sequelize
         * keeps such a key in changed() and writes it), or marked by changed(key, true) */
        lua_rawgeti(L, 2, k + 1);
        if (!omitted_null(&c, omit, a, &omitted, &nomit)) {
          exprs |= write_value(&c, -1, lua_type(L, -1), a, &vals[k]);
          present[k] = 1;
          nset++;
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
  }
  if (touch && partial) {
    for (k = 0; k < m->nattrs; k++) {
      sq_attr *a = m->attrs[k];
      if (!mask[k] || present[k] || a->timestamp == 2 || a->pk) continue;
      lua_rawgeti(L, 2, k + 1);
      if (lua_isnil(L, -1)) { /* (an attribute not read stays as the row has it) */
        lua_pop(L, 1);
      } else if (!omitted_null(&c, omit, a, &omitted, &nomit)) {
        exprs |= write_value(&c, -1, lua_type(L, -1), a, &vals[k]);
        present[k] = 1;
        nset++;
        lua_pop(L, 1);
      }
    }
  }
  if (nset == 0 && ((!touch && !marked && !nomit)
                    || ((m->updated_at < 0 || opt_bool(L, opts, "silent")) && m->version < 0))) {
    /* (NULLs left out and nothing else to write, not even updatedAt: no statement, where
     * Sequelize sends `UPDATE t SET  WHERE ...` and fails; their changes are saved as such.
     * A versioned model writes the version alone then (a touch, NULLs left out, updatedAt
     * marked but silent): Sequelize's save adds it to its fields,
     * `UPDATE t SET version = v + 1 WHERE ... AND version = v`) */
    if (nomit) forget_changes(L, m, prev, fi, present, omitted);
    release_ctx(&c);
    lua_pushinteger(L, 0);
    return 1;
  }
  stamped = stamp_updated(&c, 2, opts, vals, present, &exprs);
  if (m->version >= 0) {
    /* optimistic locking: the version goes up by one, the UPDATE matching the one read */
    read_version(&c, 2, &ver);
    vals[m->version].kind = SQ_V_INT;
    vals[m->version].u.i = ver.kind == SQ_V_NULL ? 1 : ver.u.i + 1; /* (NULL: counted from 0) */
    present[m->version] = 1;
    if (ver.kind == SQ_V_NULL) exprs = 1; /* (`IS NULL`: not the kept statement's text) */
  }
  st = update_by_pk(&c, 2, vals, present, exprs, m->version >= 0 ? &ver : NULL);
  if (!st || step_done(c.db, st)) return raise_db(L, c.db);
  if (m->version >= 0) {
    if (sq_conn_changes(c.db->conn) == 0) return stale(&c, vals, present, &ver);
    sq_pushinteger(L, vals[m->version].u.i);
    lua_rawseti(L, 2, m->version + 1);
  }
  for (k = 0; k < m->nattrs; k++)
    if (present[k] && k != stamped) normalise_slot(L, 2, m->attrs[k], &vals[k]);
  forget_changes(L, m, prev, fi, present, omitted); /* the saved changes */
  release_ctx(&c);
  lua_pushinteger(L, nset);
  return 1;
}

/* core.save(model, instance, opts [, touch]) -> number of changed columns written.
 * Writes the attributes recorded in t[-1] (changed since load), plus updatedAt; with touch
 * (save_changes), every attribute opts.fields lists, and updatedAt alone when nothing else. */
static int l_save(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi;
  ctx c;
  unsigned char *mask;
  logctx lg;
  mask = begin_write(L, m, &c, &lg, opts, &fi);
  return save_changes(L, m, &c, opts, mask, fi != 0, lua_toboolean(L, 4));
}

/* Two JSON values alike (Sequelize's set compares with _.isEqual; instance.lua's set asks
 * through core.json_same): tables key by key; a list read back (array_mt) and one without a metatable are
 * the same JSON array unless empty (a plain {} is an object); 1.0 equals 1. */
static int json_same(lua_State *L, int a, int b, int depth) {
  int ha, hb, ok;
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  if (lua_rawequal(L, a, b)) return 1;
  if (!lua_istable(L, a) || !lua_istable(L, b) || depth > 100) return 0;
  luaL_checkstack(L, 8, "JSON value too deep");
  ha = lua_getmetatable(L, a);
  hb = lua_getmetatable(L, b);
  ok = ha && hb ? lua_rawequal(L, -1, -2) : ha == hb;
  lua_pop(L, ha + hb);
  if (!ok) {
    /* one without a metatable, the other a non-empty list */
    if (ha && hb) return 0;
    if (!has_array_mt(L, ha ? a : b)) return 0;
    lua_pushnil(L);
    if (!lua_next(L, a)) return 0;
    lua_pop(L, 2);
  }
  lua_pushnil(L);
  while (lua_next(L, a)) {
    lua_pushvalue(L, -2);
    lua_rawget(L, b);
    if (!json_same(L, -2, -1, depth + 1)) {
      lua_pop(L, 3);
      return 0;
    }
    lua_pop(L, 2);
  }
  lua_pushnil(L);
  while (lua_next(L, b)) {
    lua_pushvalue(L, -2);
    lua_rawget(L, a);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 3);
      return 0;
    }
    lua_pop(L, 2);
  }
  return 1;
}

/* core.json_same(a, b) -> are the two JSON values alike (the instance's set and the update
 * paths ask the same question) */
static int l_json_same(lua_State *L) {
  lua_pushboolean(L, json_same(L, 1, 2, 0));
  return 1;
}

/* Is the value at idx no change to attribute a's slot of the instance at inst, as an
 * instance's set sees it (not marked, not saved)? The same value, not a table (one changed
 * in place is a change; NaN is NaN); for a DATE / DATEONLY, the same after the sanitizer (another
 * form of the same instant or day); for a JSON attribute, an equal table. */
static int unchanged(lua_State *L, int inst, const sq_attr *a, int idx) {
  int r;
  idx = lua_absindex(L, idx);
  lua_rawgeti(L, inst, a->index + 1);
  if (lua_rawequal(L, -1, idx)) {
    r = !lua_istable(L, -1);
  } else if (lua_type(L, -1) == LUA_TNUMBER && lua_type(L, idx) == LUA_TNUMBER) {
    /* (NaN, which a FLOAT reads from the text 'NaN', is the same value again: _.isEqual) */
    lua_Number x = lua_tonumber(L, -1), y = lua_tonumber(L, idx);
    r = x != x && y != y;
  } else if (a->type.kind == SQ_T_DATE || a->type.kind == SQ_T_DATEONLY) {
    lua_pushvalue(L, idx);
    sanitize_date(L, a->type.kind == SQ_T_DATEONLY);
    r = lua_rawequal(L, -1, -2);
    lua_pop(L, 1);
  } else {
    r = a->type.kind == SQ_T_JSON && lua_istable(L, -1) && lua_istable(L, idx) && json_same(L, -1, idx, 0);
  }
  lua_pop(L, 1);
  return r;
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
  sq_stmt *st;
  int k, nset = 0, stamped, old0, sql_vals = 0;
  /* which attributes change; a changing key needs the general path */
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    size_t n;
    const char *key;
    sq_attr *a;
    if (lua_type(L, -2) == LUA_TSTRING && (key = lua_tolstring(L, -2, &n)) && (a = sq_model_attr(m, key, n)) &&
        !unchanged(L, 2, a, -1)) {
      if (a->pk) {
        lua_pop(L, 2);
        return 0;
      }
      changed[a->index] = 1;
      nset++;
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
    if (m->attrs[k]->type.kind == SQ_T_INTEGER || m->attrs[k]->type.kind == SQ_T_BIGINT) sanitize_integer(L);
    lua_rawseti(L, 2, k + 1);
  }
  stamped = stamp_updated(c, 2, opts, vals, present, &sql_vals);
  st = update_by_pk(c, 2, vals, present, sql_vals, NULL);
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

/* Is the value at idx the one in attribute a's slot of the instance at inst (rawequal)? */
static int same_slot(lua_State *L, int inst, const sq_attr *a, int idx) {
  int r;
  idx = lua_absindex(L, idx);
  lua_rawgeti(L, inst, a->index + 1);
  r = lua_rawequal(L, -1, idx);
  lua_pop(L, 1);
  return r;
}

/* core.update_fields(model, instance, values, opts): instance:update(values) for a model
 * without setters or Lua validators: set each attribute named in values (recording the
 * previous value as a field write does), then save those that changed. Returns false,
 * having done nothing, when a value needs the validation pass: an attribute with
 * validators or an ENUM, null for a non-null attribute, a table for a non-JSON one; or
 * names a time stamp (read-only on a saved row: the Lua path leaves it out). */
static int l_update_fields(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 4), prev = 0;
  ctx c;
  unsigned char *mask;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  migrate_instance(L, 2);
  if (m->version >= 0) { /* (optimistic locking: the save path checks the version) */
    lua_pushboolean(L, 0);
    return 1;
  }
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    size_t n;
    const char *key;
    sq_attr *a;
    if (lua_type(L, -2) == LUA_TSTRING && (key = lua_tolstring(L, -2, &n)) && (a = sq_model_attr(m, key, n)) &&
        (a->nvalidators > 0 || a->type.kind == SQ_T_ENUM || a->timestamp || (!a->allow_null && is_null(L, -1)) ||
         (lua_istable(L, -1) && (a->type.kind != SQ_T_JSON || is_expr(L, -1))) ||
         (a->type.kind == SQ_T_BOOLEAN && (lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING)) ||
         (a->pk && !same_slot(L, 2, a, -1)))) {
      /* (a BOOLEAN given 1 / "true"...: the Lua path sets it, as a boolean; a new value for
       * a primary key: the Lua path ignores it when the key holds one, as Sequelize's set) */
      lua_pushboolean(L, 0);
      return 1;
    }
    lua_pop(L, 1);
  }
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m, &lg);
  mask = xalloc(&c, (size_t)m->nattrs);
  lua_rawgeti(L, 2, -1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    /* (with omitNull the general path: save_changes leaves the NULLs out) */
    if (!update_omits(L, c.db, opts) && update_direct(&c, opts, mask)) return 1;
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
    if (a->type.kind == SQ_T_INTEGER || a->type.kind == SQ_T_BIGINT) sanitize_integer(L);
    lua_rawgeti(L, 2, a->index + 1); /* old */
    if (!unchanged(L, 2, a, -2)) {
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
      /* remember the value replaced (also on a second change: Sequelize's previous()) */
      lua_pushvalue(L, -3);
      if (lua_isnil(L, -2)) lua_pushlightuserdata(L, NULL);
      else lua_pushvalue(L, -2);
      lua_rawset(L, prev);
      lua_pushvalue(L, -2);
      lua_rawseti(L, 2, a->index + 1);
    }
    lua_pop(L, 2);
  }
  return save_changes(L, m, &c, opts, mask, 1, 0);
}

/* core.reload(model, instance, opts): re-read every column by primary key. */
static int l_reload(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), k, rc;
  ctx c;
  sq_select s;
  sq_buf sql;
  sq_binds binds;
  sq_stmt *st;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m, &lg);
  parse_select(&c, &s, 0);
  s.where = pk_where(&c, 2);
  s.limit = 1;
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_select(c.db, &sql, &binds, &s)) { sq_buf_free(&sql); return raise_db(L, c.db); }
  st = prepare_built(c.db, &sql, &binds);
  sq_buf_free(&sql);
  if (!st) return raise_db(L, c.db);
  rc = sq_stmt_step(st);
  if (rc == SQ_STEP_ROW) {
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
    sq_stmt_reset(st);
    lua_pushnil(L);
    lua_rawseti(L, 2, -1);
    lua_pushboolean(L, 1);
  } else if (rc == SQ_STEP_DONE) {
    sq_stmt_reset(st);
    lua_pushboolean(L, 0);
  } else {
    sq_db_fail(c.db, rc, sq_stmt_sql(st));
    sq_stmt_reset(st);
    return raise_db(L, c.db);
  }
  if (sq_db_ran(c.db)) return raise_db(L, c.db);
  release_ctx(&c);
  return 1;
}

static int run_changes(ctx *c, sq_buf *sql, sq_binds *binds) {
  sq_stmt *st = prepare_built(c->db, sql, binds);
  sq_buf_free(sql);
  if (!st || step_done(c->db, st)) return raise_db(c->L, c->db);
  lua_pushinteger(c->L, sq_conn_changes(c->db->conn));
  return 1;
}

/* Model.update/increment: updatedAt = now (or its declared default) for every row into vals/present, unless
 * opts.silent or (given non-NULL: increment) the call gives it. Model.update's own value
 * for it is replaced (Sequelize). */
static void stamp_rows(ctx *c, int opts, const unsigned char *given, sq_value *vals, unsigned char *present) {
  sq_model *m = c->m;
  char *buf;
  if (m->updated_at < 0 || (given && given[m->updated_at]) || opt_bool(c->L, opts, "silent")) return;
  present[m->updated_at] = 1;
  switch (stamp_kind(m->attrs[m->updated_at])) {
    case 2: stamp_sql(c, m->attrs[m->updated_at], &vals[m->updated_at]); return;
    case 1: /* its declared default (Sequelize's _getDefaultTimestamp) */
      push_default(c->L, c->db, m->attrs[m->updated_at], sq_now_ms());
      to_db(c, -1, m->attrs[m->updated_at], &vals[m->updated_at]);
      keep_text(c, &vals[m->updated_at]); /* (a copy: the value's string goes with the stack slot) */
      lua_pop(c->L, 1);
      return;
    default: break;
  }
  buf = xalloc(c, 40);
  vals[m->updated_at].kind = SQ_V_TEXT;
  vals[m->updated_at].u.s.p = buf;
  vals[m->updated_at].u.s.n = (size_t)c->db->dialect->date_to_db(sq_now_ms(), buf);
}

/* core.update(model, values, opts) -> affected rows. Only the given attributes (and
 * updatedAt) are written; with omitNull (the call's, else Sequelize.new's) not their
 * NULLs (omitted_null), updatedAt all the same; with opts._excluded such a NULL writes the
 * column's declared default instead (an upsert's UPDATE). */
static int l_update(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), fi, k, nset = 0, nomit = 0, omit, excluded = -1;
  ctx c;
  unsigned char *mask, *present, *omitted = NULL;
  sq_value *vals;
  sq_expr **exprs = NULL;
  sq_where *w;
  sq_buf sql;
  sq_binds binds;
  logctx lg;
  long long limit;
  mask = begin_write(L, m, &c, &lg, opts, &fi);
  lg.qtype = "BULKUPDATE"; /* (Model.update: Sequelize's QueryTypes for the logger) */
  present = xalloc(&c, (size_t)m->nattrs);
  vals = xalloc(&c, sizeof *vals * (size_t)m->nattrs);
  c.qual = NULL;
  omit = update_omits(L, c.db, opts);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    if (!mask[k]) continue;
    lua_getfield(L, 2, a->name);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    if (omitted_null(&c, omit, a, &omitted, &nomit)) { /* (popped) */
      if (excluded < 0) excluded = opt_bool(L, opts, "_excluded");
      if (excluded) {
        /* an upsert's UPDATE of the row met (model.lua): Sequelize's ON CONFLICT DO UPDATE
         * SET a = EXCLUDED.a of an INSERT without the NULL, so the column's DEFAULT, the
         * DDL's (a literal, a SQL text), else NULL */
        if (a->def_kind == SQ_DEF_SQL) {
          stamp_sql(&c, a, &vals[k]);
        } else if (a->def_kind == SQ_DEF_VALUE) {
          push_default(L, c.db, a, 0);
          to_db(&c, -1, a, &vals[k]);
          keep_text(&c, &vals[k]); /* (a copy: the string goes with the stack slot) */
          lua_pop(L, 1);
        } else {
          vals[k].kind = SQ_V_NULL;
        }
        present[k] = 1;
        nset++;
      }
      continue;
    }
    if (is_expr(L, -1)) { /* Sequelize.literal("n + 1"), fn, col: the value is SQL */
      if (!exprs) exprs = xalloc(&c, sizeof *exprs * (size_t)m->nattrs);
      exprs[k] = parse_value_expr(&c, -1, a->name);
    } else {
      to_db(&c, -1, a, &vals[k]);
    }
    present[k] = 1;
    nset++;
    lua_pop(L, 1);
  }
  if (nset == 0 && (!nomit || m->updated_at < 0 || opt_bool(L, opts, "silent"))) {
    /* (NULLs left out and no updatedAt to write: no statement, where Sequelize sends
     * `UPDATE t SET  WHERE ...` and fails) */
    release_ctx(&c);
    lua_pushinteger(L, 0);
    return 1;
  }
  stamp_rows(&c, opts, NULL, vals, present);
  if (exprs && m->updated_at >= 0 && present[m->updated_at] && !opt_bool(L, opts, "silent"))
    exprs[m->updated_at] = NULL; /* (a literal given for it is replaced too) */
  c.qual = NULL;
  w = get_where(&c, opts);
  limit = opts ? opt_count(&c, opts, "limit") : -1;
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_update(c.db, &sql, &binds, m, vals, present, w, exprs, limit)) {
    sq_buf_free(&sql);
    return raise_db(L, c.db);
  }
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
  int trunc = 0;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  if (!lua_istable(L, 3)) lg.qtype = "BULKDELETE"; /* (Model.destroy; an instance's: DELETE) */
  init_ctx(&c, L, m->db, m, &lg);
  sqb_ctx_replacements(&c, opts);
  c.qual = NULL;
  if (lua_istable(L, 3)) {
    sq_value ver;
    if (m->version >= 0) { /* (Sequelize's instance destroy matches the version too) */
      read_version(&c, 3, &ver);
    }
    w = pk_where_v(&c, 3, m->version >= 0 ? &ver : NULL);
  } else if (opt_true(L, opts, "truncate")) { /* (Sequelize: `truncate === true`; 1 or "yes"
                                                  * deletes the rows the where selects) */
    w = NULL;
    trunc = 1;
  } else w = get_where(&c, opts);
  /* (Sequelize's truncate is `DELETE FROM t`: the where and the limit are not read, a bad
   * limit not refused) */
  limit = opts && !trunc ? opt_count(&c, opts, "limit") : -1;
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_delete(c.db, &sql, &binds, m, w, limit)) { sq_buf_free(&sql); return raise_db(L, c.db); }
  run_changes(&c, &sql, &binds);
  /* (restartIdentity: Sequelize's truncate then resets the table's key counter) */
  if (trunc && opt_true(L, opts, "restartIdentity") && c.db->dialect->restart_identity(c.db, sq_table(m)))
    return raise_db(L, c.db);
  release_ctx(&c);
  return 1;
}

/* The attribute the key under the value on top of the stack names (lua_next's key, at -2),
 * for increment's amounts and values */
static sq_attr *increment_key(ctx *c) {
  size_t n;
  const char *nm;
  if (lua_type(c->L, -2) != LUA_TSTRING) usage(c->L, c->db, "increment on %s: keys must be attribute names", c->m->name);
  nm = lua_tolstring(c->L, -2, &n);
  return find_attr(c, nm, n, "increment");
}

/* core.increment(model, by_table, opts, instance_or_nil, decrement [, extra]) -> affected rows.
 * by_table maps attribute names to amounts (numbers negative to decrement) or to
 * expressions (Sequelize.literal/fn/col: SQL, subtracted when decrement). extra (the query
 * interface's extraAttributesToBeUpdated) maps other attributes to values SET as given. */
static int l_increment(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3), nset = 0;
  ctx c;
  unsigned char *present, *extra_present;
  sq_value *by, *extra;
  sq_expr **exprs = NULL;
  sq_where *w;
  sq_buf sql;
  sq_binds binds;
  logctx lg;
  int subtract = lua_toboolean(L, 5);
  int xi = lua_gettop(L) >= 6 && lua_istable(L, 6) ? 6 : 0; /* (before anything is pushed) */
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m, &lg);
  sqb_ctx_replacements(&c, opts);
  present = xalloc(&c, (size_t)m->nattrs);
  extra_present = xalloc(&c, (size_t)m->nattrs);
  by = xalloc(&c, sizeof *by * (size_t)m->nattrs);
  extra = xalloc(&c, sizeof *extra * (size_t)m->nattrs);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    sq_attr *a = increment_key(&c);
    if (is_expr(L, -1)) {
      if (!exprs) exprs = xalloc(&c, sizeof *exprs * (size_t)m->nattrs);
      exprs[a->index] = parse_value_expr(&c, -1, a->name);
    } else if (lua_type(L, -1) == LUA_TSTRING) { /* an integer as decimal text: exact (LuaJIT beyond 2^53) */
      size_t sn;
      const char *s = lua_tolstring(L, -1, &sn);
      double dv;
      if (sq_number_text(s, sn, &by[a->index].u.i, &dv) != SQ_NUM_INT)
        usage(L, c.db, "increment on %s.%s: expected a number, an integer as decimal text or a Sequelize.literal/fn/col, "
              "got \"%.*s\"", m->name, a->name, (int)(sn > 40 ? 40 : sn), s);
      by[a->index].kind = SQ_V_INT;
    } else if (lua_type(L, -1) != LUA_TNUMBER) {
      usage(L, c.db, "increment on %s.%s: expected a number or a Sequelize.literal/fn/col, got %s", m->name,
            a->name, luaL_typename(L, -1));
    } else {
      to_db_plain(L, c.db, -1, &by[a->index], a->name);
    }
    present[a->index] = 1;
    nset++;
    lua_pop(L, 1);
  }
  if (xi) {
    lua_pushnil(L);
    while (lua_next(L, xi)) {
      sq_attr *a = increment_key(&c);
      if (present[a->index])
        usage(L, c.db, "increment on %s.%s: given both an amount and a value to set", m->name, a->name);
      if (is_expr(L, -1))
        usage(L, c.db, "increment on %s.%s: a value to set must be a string, number, boolean or Sequelize.null",
              m->name, a->name);
      to_db(&c, lua_gettop(L), a, &extra[a->index]); /* (its string stays in the table) */
      extra_present[a->index] = 1;
      nset++;
      lua_pop(L, 1);
    }
  }
  stamp_rows(&c, opts, present, extra, extra_present);
  if (nset == 0 && (m->updated_at < 0 || !extra_present[m->updated_at])) {
    /* (no amounts: Sequelize's UPDATE sets updatedAt alone; without it there is nothing) */
    release_ctx(&c);
    lua_pushinteger(L, 0);
    return 1;
  }
  c.qual = NULL;
  w = get_where(&c, opts);
  if (lua_istable(L, 4)) {
    /* an instance's: its key, and options.where's conditions before it (Sequelize:
     * `{ ...options.where, ...this.where() }`), so a guarded decrement writes nothing */
    sq_where *key = pk_where(&c, 4);
    if (w) {
      sq_where *both = new_node(&c, SQ_W_AND, 2);
      both->kids[both->nkids++] = w;
      both->kids[both->nkids++] = key;
      w = both;
    } else w = key;
  }
  sq_buf_init(&sql);
  sq_binds_init(&binds, c.arena);
  if (sq_sql_increment(c.db, &sql, &binds, m, by, exprs, subtract, present, extra, extra_present, w)) {
    sq_buf_free(&sql);
    return raise_db(L, c.db);
  }
  run_changes(&c, &sql, &binds);
  release_ctx(&c);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"build", l_build},
  {"stamp", l_stamp},
  {"sanitize_date", l_sanitize_date},
  {"date_to_db", l_date_to_db},
  {"insert", l_insert},
  {"bulk_insert", l_bulk_insert},
  {"save", l_save},
  {"update_fields", l_update_fields},
  {"reload", l_reload},
  {"update", l_update},
  {"destroy", l_destroy},
  {"increment", l_increment},
  {"json_same", l_json_same},
  {NULL, NULL}};

void sqb_open_write(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
