/* bind_read.c: results into Lua. Rows become instances straight from the statement
 * (push_col: one sq_col_cell per column, no copies); with includes, joined rows
 * are merged into nested instances in one pass (a hash on each level's key finds objects
 * seen before). Also core.select/count/aggregate, the per-row work of separate includes
 * and n:m getters (collect, gather, attach, join_one, expand_links, drop_slots), and raw
 * queries.
 */
#include "binding.h"

/* ------------------------------------------------------------------------- */
/* reading rows */

/* Columns are read through sq_col_cell: one look-up of the column instead of one
 * per call. Its value is "unprotected", which only matters when another thread uses the
 * connection; a connection here belongs to one thread (SQLITE_OPEN_NOMUTEX). */
static inline __attribute__((always_inline)) void push_col_i(lua_State *L, sq_db *db, sq_stmt *st, int k,
                                                             const colplan *p) {
  sq_cell *cv = sq_col_cell(st, k);
  switch (sq_cell_type(cv)) {
    case SQ_COL_NULL: lua_pushlightuserdata(L, NULL); return;
    case SQ_COL_INT: {
      sq_int64 v = sq_cell_int(cv);
      if (p->conv && p->kind == SQ_T_BOOLEAN && (v == 0 || v == 1)) { /* (another number stays: Sequelize's) */
        lua_pushboolean(L, (int)v);
        return;
      }
      push_i64(L, v);
      return;
    }
    case SQ_COL_FLOAT: lua_pushnumber(L, sq_cell_float(cv)); return;
    case SQ_COL_TEXT: {
      const char *s = (const char *)sq_cell_text(cv);
      size_t n = (size_t)sq_cell_bytes(cv);
      if (!s && n) luaL_error(L, "out of memory reading column %d", k + 1);
      if (p->conv) {
        if (p->kind == SQ_T_DATE) {
          char iso[40];
          int m;
          if (p->dslot && n && p->dn == n && !memcmp(p->draw, s, n)) { /* (dn 0: nothing kept yet) */
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
        } else if (p->kind == SQ_T_FLOAT || p->kind == SQ_T_DOUBLE || p->kind == SQ_T_REAL) {
          /* the texts Sequelize stores for NaN and the infinities (SQLite keeps no NaN) */
          if (n == 3 && !memcmp(s, "NaN", 3)) { lua_pushnumber(L, (lua_Number)NAN); return; }
          if (n == 8 && !memcmp(s, "Infinity", 8)) { lua_pushnumber(L, (lua_Number)HUGE_VAL); return; }
          if (n == 9 && !memcmp(s, "-Infinity", 9)) { lua_pushnumber(L, -(lua_Number)HUGE_VAL); return; }
        }
      }
      lua_pushlstring(L, s, n);
      return;
    }
    default: {
      const void *b = sq_cell_blob(cv);
      size_t n = (size_t)sq_cell_bytes(cv);
      if (!b && n) luaL_error(L, "out of memory reading column %d", k + 1);
      if (p->conv && p->kind == SQ_T_BOOLEAN && n == 1) {
        /* a one-byte blob is its byte, as Sequelize's BOOLEAN reads a one-byte Buffer: 0 / 1
         * false / true, another byte that number */
        unsigned char c = *(const unsigned char *)b;
        if (c <= 1) lua_pushboolean(L, c);
        else lua_pushinteger(L, c);
        return;
      }
      lua_pushlstring(L, (const char *)b, n);
      return;
    }
  }
}

/* (the per-row loops below take push_col_i inline) */
void push_col(lua_State *L, sq_db *db, sq_stmt *st, int k, const colplan *p) { push_col_i(L, db, st, k, p); }

/* The model whose attribute column k of the select list fills, when an include's (its
 * target or through model), else NULL: the selected model. */
static const sq_model *inc_owner(sq_include *const *inc, int ninc, int k) {
  int i;
  for (i = 0; i < ninc; i++) {
    const sq_include *n = inc[i];
    const sq_model *m;
    if (k >= n->col0 && k < n->col0 + n->ncols) return n->model;
    if (n->ntcols && k >= n->tcol0 && k < n->tcol0 + n->ntcols) return n->assoc->through;
    if ((m = inc_owner(n->kids, n->nkids, k))) return m;
  }
  return NULL;
}

/* Store the value on top into the raw row at `row` under the dotted path whose segments
 * are the list at `segs` ({ "Posts", "title" }: row.Posts.title), making the tables on
 * the way (raw = true, nest = true). As dottie's transform (Sequelize's nest): a key on the
 * way that holds something else than a table keeps it, and the value is dropped. Pops the
 * value. */
static void nest_set(lua_State *L, int row, int segs) {
  int n = (int)sq_rawlen(L, segs), j, t = row, v = lua_gettop(L);
  for (j = 1; j < n; j++) {
    lua_rawgeti(L, segs, j);
    lua_rawget(L, t);
    if (!lua_isnil(L, -1) && !lua_istable(L, -1)) {
      lua_settop(L, v - 1);
      return;
    }
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_rawgeti(L, segs, j);
      lua_pushvalue(L, -2);
      lua_rawset(L, t);
    }
    t = lua_gettop(L);
  }
  lua_rawgeti(L, segs, n);
  lua_pushvalue(L, v);
  lua_rawset(L, t);
  lua_settop(L, v - 1);
}

/* shape.vshow: the VIRTUAL attributes the attribute list named, as { name = true } (the
 * shape table at the top of the stack) */
static void set_vshow(lua_State *L, const sq_names *ns) {
  int k;
  lua_createtable(L, 0, ns->n);
  for (k = 0; k < ns->n; k++) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, ns->v[k]);
  }
  lua_setfield(L, -2, "vshow");
}

/* Is name among ns (NULL: none)? */
static int names_has(const sq_names *ns, const char *name) {
  int k;
  for (k = 0; ns && name && k < ns->n; k++)
    if (!strcmp(ns->v[k], name)) return 1;
  return 0;
}

/* t[key] = value for the instance at inst, key and value on the top of the stack (popped),
 * where the key names a VIRTUAL attribute the attribute list named (`{ "n", "dollars" }`):
 * the value is that attribute's own (t[-4], what getDataValue reads and its getter sees),
 * as Sequelize's dataValues hold it, not a key beside the attributes. */
static void set_virtual_value(lua_State *L, int inst) {
  lua_rawgeti(L, inst, -4);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, inst, -4);
  }
  lua_insert(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

/* The row on the top of the stack read its VIRTUAL columns (plan[k].virt) under their keys,
 * as extra keys: they move to the VIRTUAL attributes' values (t[-4]). (A pass of its own,
 * only for rows that have such columns: the per-column loop of every other read stays as it
 * was, the benchmark's hot path.) */
static void move_virtual(lua_State *L, int row, int key) {
  lua_pushvalue(L, key);
  lua_pushvalue(L, -1);
  lua_rawget(L, row);
  lua_pushvalue(L, key);
  lua_pushnil(L);
  lua_rawset(L, row);
  set_virtual_value(L, row);
}

static void move_virtuals(lua_State *L, const colplan *plan, int ncols, int keys) {
  int k, row = lua_gettop(L);
  for (k = 0; k < ncols; k++)
    if (plan[k].virt) move_virtual(L, row, keys + k);
}


/* Does the instance metatable at mt have getterMethods that are not attributes (__gm)? A
 * top-level read's rows then carry shape.read: Sequelize's toJSON / get() of a row read
 * lists the attributes read (its _options.attributes), not such getters. */
static int has_gm(lua_State *L, int mt) {
  int r;
  lua_getfield(L, mt, "__gm");
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* Do the columns col0..col0+ncols of the select (those that are model m's attributes) leave
 * some of m's attributes out? A row read so has no value for those: toJSON leaves their
 * getters out (Sequelize runs getters only for the attributes selected). shown: count only
 * the columns an instance is given (a hidden column, read only to match rows, is not). */
static int leaves_out(const sq_select *s, int col0, int ncols, const sq_model *m, int shown) {
  int j, q, n = 0;
  for (j = col0; j < col0 + ncols; j++) {
    int seen = 0; /* (an attribute listed twice counts once) */
    if (s->cols[j].attr < 0 || (shown && s->cols[j].hidden)) continue;
    for (q = col0; q < j && !seen; q++) seen = s->cols[q].attr == s->cols[j].attr && !(shown && s->cols[q].hidden);
    n += !seen;
  }
  return n < m->nattrs;
}

/* The select s read by the statement's own result columns, by name: a literal attribute
 * may yield several (`*`, "a, b"), as Sequelize reads a row by its column names. A column
 * naming one of the model's attributes fills it, any other is an extra key under its name.
 * The columns are in a userdata left on the stack. */
static void select_by_name(lua_State *L, sq_stmt *st, const sq_select *s, sq_select *out) {
  int ncols = sq_col_count(st), k;
  sq_selcol *cols = lua_newuserdata(L, sizeof *cols * (size_t)(ncols ? ncols : 1));
  memset(cols, 0, sizeof *cols * (size_t)(ncols ? ncols : 1));
  for (k = 0; k < ncols; k++) {
    const char *name = sq_col_name(st, k);
    int i;
    if (!name) luaL_error(L, "out of memory reading the name of column %d", k + 1);
    cols[k].attr = -1;
    for (i = 0; s->model && i < s->model->nattrs; i++)
      if (!strcmp(s->model->attrs[i]->name, name)) cols[k].attr = i;
    if (cols[k].attr < 0) cols[k].as = name; /* (the statement keeps the name until it is reset) */
  }
  *out = *s;
  out->cols = cols;
  out->ncols = ncols;
  out->vshow = NULL;
}

/* Step `st` and build the result list. raw: plain tables keyed by output names (raw 2:
 * dotted names nested, Sequelize's nest = true); else instances of the model at stack
 * index `modeli`. Leaves the list on the stack. rc: the result of the statement's first
 * step when the caller took it (its result columns are only known after it: SQLite
 * prepares a statement again there when the schema changed), else 0. */
static int read_rows(lua_State *L, sq_db *db, sq_stmt *st, const sq_select *s, int modeli, int raw, int rc) {
  int ncols, k, list, mt = 0, keys, shape = 0, nextra = 0, nvirt = 0, *segs = NULL;
  lua_Integer n = 0;
  colplan *plan;
  colplan small[32];
  sq_select byname;
  if (!rc) rc = sq_stmt_step(st);
  if (rc != SQ_STEP_ROW && rc != SQ_STEP_DONE) goto failed;
  if (sq_col_count(st) != s->ncols) {
    /* a literal attribute that yields several columns: every column read by its name */
    if (s->ninc) {
      sq_stmt_reset(st);
      return sq_err_set(db, SQ_E_USAGE, "%s: the attributes yield %d columns where %d were expected (a literal "
                        "selecting several columns, such as `*`, cannot be read with include)", s->model->name,
                        sq_col_count(st), s->ncols);
    }
    select_by_name(L, st, s, &byname);
    s = &byname;
  }
  ncols = s->ncols;
  plan = ncols <= 32 ? small : lua_newuserdata(L, sizeof *plan * (size_t)ncols);
  luaL_checkstack(L, 2 * ncols + 10, "too many columns");
  keys = lua_gettop(L) + 1;
  for (k = 0; k < ncols; k++) {
    const sq_selcol *col = &s->cols[k];
    const sq_model *owner = s->ninc ? inc_owner(s->inc, s->ninc, k) : NULL;
    const sq_attr *a = col->attr >= 0 ? (owner ? owner : s->model)->attrs[col->attr] : NULL;
    memset(&plan[k], 0, sizeof plan[k]);
    plan[k].slot = (!raw && a) ? a->index + 1 : 0;
    if (!a) a = col->vtype; /* (an extra key naming a column: typed, not stored in a slot) */
    plan[k].conv = a != NULL;
    plan[k].kind = a ? a->type.kind : SQ_T_TEXT;
    if (plan[k].slot) lua_pushnil(L); /* goes to its slot: no key needed */
    else if (col->as) lua_pushstring(L, col->as);
    else if (a) lua_pushstring(L, a->name);
    else lua_pushstring(L, sq_col_name(st, k));
    plan[k].virt = !raw && !plan[k].slot && col->as && names_has(s->vshow, col->as);
    if (!plan[k].slot && !plan[k].virt) nextra++;
    nvirt += plan[k].virt;
  }
  for (k = 0; k < ncols; k++) /* a slot per DATE column for its last string */
    if (plan[k].conv && plan[k].kind == SQ_T_DATE) {
      lua_pushnil(L);
      plan[k].dslot = lua_gettop(L);
    }
  if (raw == 2) { /* nest: a list of path segments for each dotted key */
    segs = lua_newuserdata(L, sizeof(int) * (size_t)(ncols ? ncols : 1));
    luaL_checkstack(L, ncols + 8, "too many columns");
    for (k = 0; k < ncols; k++) {
      const char *key = lua_tostring(L, keys + k), *p, *dot;
      int j = 0;
      segs[k] = 0;
      if (!key || !strchr(key, '.')) continue;
      lua_newtable(L);
      for (p = key; (dot = strchr(p, '.')); p = dot + 1) {
        lua_pushlstring(L, p, (size_t)(dot - p));
        lua_rawseti(L, -2, ++j);
      }
      lua_pushstring(L, p);
      lua_rawseti(L, -2, ++j);
      segs[k] = lua_gettop(L);
    }
  }
  if (!raw) {
    /* (rows read without an attribute list, Sequelize's query with a model, are never
     * partial: its toJSON runs every getter, whatever the statement selected) */
    int partial = !s->getters_shown && leaves_out(s, 0, ncols, s->model, 0), gm;
    get_instance_mt(L, modeli);
    mt = lua_gettop(L);
    gm = !s->getters_shown && has_gm(L, mt);
    if (nextra || partial || s->vshow || gm) {
      /* a shared shape: which extra keys these rows carry, in select order; whether some
       * attributes were not selected; the VIRTUAL ones the attribute list named */
      int e = 0;
      lua_createtable(L, 0, 2);
      if (nextra) {
        lua_createtable(L, nextra, 0);
        for (k = 0; k < ncols; k++) {
          if (plan[k].slot || plan[k].virt) continue;
          lua_pushvalue(L, keys + k);
          lua_rawseti(L, -2, ++e);
        }
        lua_setfield(L, -2, "extras");
      }
      if (partial) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "partial");
      }
      if (s->vshow) set_vshow(L, s->vshow);
      if (gm) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "read");
      }
      shape = lua_gettop(L);
    }
  }
  lua_newtable(L);
  list = lua_gettop(L);
  push_array_mt(L);
  lua_setmetatable(L, list);
  for (; rc == SQ_STEP_ROW; rc = sq_stmt_step(st)) {
    if (raw) {
      lua_createtable(L, 0, ncols);
      for (k = 0; k < ncols; k++) {
        if (s->cols[k].hidden == 1) continue; /* a key added only to merge rows (as Sequelize: absent) */
        if (segs && segs[k]) {
          int row = lua_gettop(L);
          push_col(L, db, st, k, &plan[k]);
          nest_set(L, row, segs[k]);
          continue;
        }
        lua_pushvalue(L, keys + k);
        push_col(L, db, st, k, &plan[k]);
        lua_rawset(L, -3);
      }
    } else {
      lua_createtable(L, s->model->nattrs, shape ? nextra + !SQ_ZERO_IN_ARRAY : 0); /* + t[0] */
      for (k = 0; k < ncols; k++) {
        if (plan[k].slot) {
          push_col_i(L, db, st, k, &plan[k]);
          lua_rawseti(L, -2, plan[k].slot);
        } else {
          lua_pushvalue(L, keys + k);
          push_col(L, db, st, k, &plan[k]);
          lua_rawset(L, -3);
        }
      }
      if (nvirt) move_virtuals(L, plan, ncols, keys);
      if (shape) {
        lua_pushvalue(L, shape);
        lua_rawseti(L, -2, 0);
      }
      lua_pushvalue(L, mt);
      lua_setmetatable(L, -2);
    }
    lua_rawseti(L, list, ++n);
  }
  if (rc != SQ_STEP_DONE) {
  failed:
    sq_db_fail(db, rc, sq_stmt_sql(st));
    sq_stmt_reset(st);
    return -1;
  }
  sq_stmt_reset(st);
  if (sq_db_ran(db)) return -1;
  if (list != keys) lua_replace(L, keys); /* (no columns: the list is there already) */
  lua_settop(L, keys);
  return 0;
}

/* ---- merging joined rows into nested instances -------------------------- */

/* the most slots a to-many list starts with (it grows past that as any table does) */
#define SQ_LIST_HINT_MAX 64

typedef struct lvl {
  const sq_model *model;
  const sq_include *in;      /* NULL for the top level */
  int parent;                /* level index of the parent, -1 for the top */
  int col0, ncols, pkcol;
  const int *pkcols;         /* every key column (pkcol is the first) */
  int npkcols;
  int tcol0, ntcols;
  int key, tkey;             /* stack slots of the include key and through name */
  int mt, tmt, shape;        /* stack slots: metatables and shape table (0: none) */
  int nkids_many;
  int nhash;                 /* keys its objects carry besides attributes */
  int dedup;                 /* its objects can repeat across rows */
  int curslot;               /* stack slot holding the current object */
  int cur;                   /* object serial in the current row (0: none) */
  int hint;                  /* to-many: length of the list filled last, the size new ones start at */
  int listslot;              /* to-many: stack slot of the parent's list appended to last ... */
  int listowner, listlen;    /* ... the parent's serial (0: none yet) and the list's length */
  int lazy;                  /* n:m: slots its through values wait in past the attributes (0: none) */
  int nx, x0;                /* extra columns (aliases, fn/literal): how many, stack slot of the first key */
  int *xcols;                /* their columns in the select list */
  int nxv;                   /* how many of them (the last) name VIRTUAL attributes the list named */
  int shown;                 /* it or a level below it has a column to show (else no objects: attributes = {}) */
} lvl;

typedef struct dedup_e {
  struct dedup_e *next;
  unsigned hash;
  int level, parent, serial;
  int slot;                  /* where the object is kept (the `objs` list of read_rows_inc) */
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

/* A key of several columns as one byte string: per column its type, then 8 bytes of a
 * number or 4 of length and the bytes of a text or blob. In buf when it fits, else in
 * the arena. */
static const char *key_bytes(ctx *c, sq_stmt *st, const int *cols, int ncols, char *buf, size_t cap,
                             size_t *len) {
  size_t n = 0, at = 0;
  int j;
  char *out;
  for (j = 0; j < ncols; j++) {
    int t = sq_col_type(st, cols[j]);
    n += 1 + (t == SQ_COL_INT || t == SQ_COL_FLOAT ? 8 : t == SQ_COL_NULL ? 0
                                                          : 4 + (size_t)sq_col_bytes(st, cols[j]));
  }
  out = n <= cap ? buf : xalloc(c, n);
  for (j = 0; j < ncols; j++) {
    int t = sq_col_type(st, cols[j]);
    out[at++] = (char)t;
    if (t == SQ_COL_INT) {
      long long v = sq_col_int(st, cols[j]);
      memcpy(out + at, &v, 8);
      at += 8;
    } else if (t == SQ_COL_FLOAT) {
      double v = sq_col_float(st, cols[j]);
      memcpy(out + at, &v, 8);
      at += 8;
    } else if (t != SQ_COL_NULL) {
      const void *b = sq_col_blob(st, cols[j]);
      unsigned m = (unsigned)sq_col_bytes(st, cols[j]);
      memcpy(out + at, &m, 4);
      if (m) memcpy(out + at + 4, b, m);
      at += 4 + m;
    }
  }
  *len = at;
  return out;
}

/* Find or add (level, parent, key) -> (serial, slot); returns the entry found, or NULL
 * after adding one with `serial` and `slot`. The key is the columns cols[0..ncols), none
 * for the first object of a level without a primary key under its parent. */
static dedup_e *dedup_get(ctx *c, dedup *d, int level, int parent, sq_stmt *st, const int *cols, int ncols,
                          int serial, int slot) {
  unsigned h = 2166136261u;
  sq_cell *cv = ncols ? sq_col_cell(st, cols[0]) : NULL; /* (see push_col) */
  int isint = ncols == 1 && sq_cell_type(cv) == SQ_COL_INT;
  long long iv = 0;
  const char *s = NULL;
  size_t n = 0, k;
  dedup_e *e;
  char small[256];
  h = mix(h, (unsigned)level);
  h = mix(h, (unsigned)parent);
  if (ncols > 1) {
    s = key_bytes(c, st, cols, ncols, small, sizeof small, &n);
    for (k = 0; k < n; k++) h = mix(h, (unsigned char)s[k]);
  } else if (isint) {
    iv = sq_cell_int(cv);
    h = mix(h, (unsigned)iv);
    h = mix(h, (unsigned)((unsigned long long)iv >> 32));
  } else if (ncols) {
    s = (const char *)sq_cell_blob(cv);
    n = (size_t)sq_cell_bytes(cv);
    for (k = 0; k < n; k++) h = mix(h, (unsigned char)s[k]);
  } /* (no columns: the key is (level, parent) alone) */
  h ^= h >> 15;
  h *= 0x2c1b3c6dU;
  h ^= h >> 12;
  for (e = d->b[h & (d->nb - 1)]; e; e = e->next) {
    if (e->hash != h || e->level != level || e->parent != parent || e->isint != isint) continue;
    if (isint ? e->iv == iv : (e->n == n && (n == 0 || !memcmp(e->s, s, n)))) return e;
  }
  e = xalloc(c, sizeof *e);
  e->hash = h;
  e->level = level;
  e->parent = parent;
  e->serial = serial;
  e->slot = slot;
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
  return NULL;
}

/* ---- through instances read on demand ----------------------------------- */

/* The join rows of an n:m include carry the through row of each target (Sequelize's
 * tag.PostTags). read_rows_inc leaves its values in the target's slots past the target's
 * attributes, at shape.lazy = { name, base, n, mt }; the first read of the key (here,
 * from __index, toJSON and get) makes the through instance, stores it under its name and
 * clears the slots, so a later assignment of nil is not undone. An attribute added to the
 * model afterwards (an association defined later) leaves the instance to migrate_instance,
 * which makes the through instance before the slots change.
 * With the key on top, for the instance at idx: replaces the key by the instance, or by nil
 * when nothing waits. */
static void lazy_through(lua_State *L, int idx) {
  int key = lua_gettop(L), lz, base, n, k, obj, any = 0;
  lua_rawgeti(L, idx, 0);
  if (!lua_istable(L, -1)) goto none;
  lua_getfield(L, -1, "lazy");
  if (!lua_istable(L, -1)) goto none;
  lz = lua_gettop(L);
  lua_getfield(L, lz, "name");
  if (!lua_rawequal(L, -1, key)) goto none;
  lua_getfield(L, lz, "base");
  base = (int)lua_tointeger(L, -1);
  lua_getfield(L, lz, "n");
  n = (int)lua_tointeger(L, -1);
  lua_createtable(L, n, 0);
  obj = lua_gettop(L);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, idx, base + k);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    any = 1;
    lua_rawseti(L, obj, k);
    lua_pushnil(L);
    lua_rawseti(L, idx, base + k);
  }
  if (!any) goto none; /* read before */
  lua_getfield(L, lz, "shape");
  if (lua_istable(L, -1)) lua_rawseti(L, obj, 0);
  else lua_pop(L, 1);
  lua_getfield(L, lz, "mt");
  lua_setmetatable(L, obj);
  lua_pushvalue(L, key);
  lua_pushvalue(L, obj);
  lua_rawset(L, idx);
  lua_replace(L, key);
  lua_settop(L, key);
  return;
none:
  lua_settop(L, key - 1);
  lua_pushnil(L);
}

/* lua_rawget for an instance's shape keys: the key on top becomes its value, a through
 * instance still waiting in slots included. */
void rawget_member(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_pushvalue(L, -1);
  lua_rawget(L, idx);
  if (!lua_isnil(L, -1)) {
    lua_replace(L, -2);
    return;
  }
  lua_pop(L, 1);
  lazy_through(L, idx);
}

/* An instance read or built before its model's attributes changed (removeAttribute, an
 * association adding or removing keys) has a metatable the model left: its __remap is
 * { [old slot] = new slot (0: the attribute is gone), n = the old count, mt = the next
 * layout's metatable }. Its values move to their slots now (through every layout since; a
 * through instance waiting past the attributes is made first), its changes of attributes
 * gone are forgotten, and it takes the model's metatable. 1 when it moved, 0 when it was
 * current (or no instance). */
int migrate_instance(lua_State *L, int idx) {
  int moved = 0, top = lua_gettop(L);
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 8, "migrating an instance");
  while (lua_getmetatable(L, idx)) {
    int remap, n, k, vals;
    lua_getfield(L, -1, "__remap");
    if (!lua_istable(L, -1)) break;
    remap = lua_gettop(L);
    lua_rawgeti(L, idx, 0); /* a through instance waiting in slots past the attributes: made now */
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "lazy");
      if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "name");
        rawget_member(L, idx);
      }
    }
    lua_settop(L, remap);
    lua_getfield(L, remap, "n");
    n = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_createtable(L, n, 0);
    vals = lua_gettop(L);
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, idx, k);
      lua_rawseti(L, vals, k);
      lua_pushnil(L);
      lua_rawseti(L, idx, k);
    }
    for (k = 1; k <= n; k++) {
      int to;
      lua_rawgeti(L, remap, k);
      to = (int)lua_tointeger(L, -1);
      lua_pop(L, 1);
      if (to <= 0) continue;
      lua_rawgeti(L, vals, k);
      lua_rawseti(L, idx, to);
    }
    lua_rawgeti(L, idx, -1); /* the previous values (by name): those of attributes gone go */
    if (lua_istable(L, -1)) {
      int prev = lua_gettop(L);
      lua_getfield(L, remap, "gone");
      if (lua_istable(L, -1)) {
        int gone = lua_gettop(L), j, ng = (int)sq_rawlen(L, gone);
        for (j = 1; j <= ng; j++) {
          lua_rawgeti(L, gone, j);
          lua_pushnil(L);
          lua_rawset(L, prev);
        }
      }
    }
    lua_settop(L, remap);
    lua_getfield(L, remap, "mt");
    lua_setmetatable(L, idx);
    lua_settop(L, top);
    moved = 1;
  }
  lua_settop(L, top);
  return moved;
}

/* core.migrate(instance) -> instance: an instance of an older attribute layout moved to the
 * model's (the stale metatable's __index / __newindex call it) */
static int l_migrate(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  migrate_instance(L, 1);
  return 1;
}

/* core.member(instance, key) -> the value of an include key (instance __index, get) */
static int l_member(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  rawget_member(L, 1);
  return 1;
}

/* Store columns [col0, col0+ncols) into the table on top, at their plans' slots. */
static void fill_slots(lua_State *L, sq_db *db, sq_stmt *st, const sq_select *s, int col0, int ncols,
                       colplan *plans) {
  int k;
  for (k = col0; k < col0 + ncols; k++) {
    const sq_selcol *col = &s->cols[k];
    if (col->attr < 0 || col->hidden) continue;
    push_col_i(L, db, st, k, &plans[k]);
    lua_rawseti(L, -2, plans[k].slot);
  }
}

/* Build one instance of `m` from columns [col0, col0+ncols) (slots from the select
 * spec), with `extra` array slots past its attributes, and leave it on the stack. */
static void row_instance(lua_State *L, sq_db *db, sq_stmt *st, const sq_select *s, const sq_model *m,
                         int col0, int ncols, int mt, int shape, int nhash, int extra, colplan *plans) {
  lua_createtable(L, m->nattrs + extra, nhash + (shape && !SQ_ZERO_IN_ARRAY)); /* + t[0] (the shape) */
  fill_slots(L, db, st, s, col0, ncols, plans);
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
    lv[me].pkcols = inc[k]->pkcols;
    lv[me].npkcols = inc[k]->npkcols;
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

/* Level l of a model without a primary key: does this row join one (is any of its
 * attribute columns, else any of its columns, not NULL)? */
static int keyless_row(sq_stmt *st, const sq_select *s, const lvl *l) {
  int q, attrs = 0;
  for (q = l->col0; q < l->col0 + l->ncols; q++) {
    if (s->cols[q].attr < 0) continue;
    attrs = 1;
    if (sq_col_type(st, q) != SQ_COL_NULL) return 1;
  }
  for (q = l->col0; q < l->col0 + l->ncols && !attrs; q++)
    if (sq_col_type(st, q) != SQ_COL_NULL) return 1;
  return 0;
}

/* Does the include show anything (a column not hidden, its own or one below it)? */
static int inc_shown(const sq_select *s, const sq_include *in) {
  int q, k;
  for (q = in->col0; q < in->col0 + in->ncols; q++)
    if (!s->cols[q].hidden) return 1;
  for (k = 0; k < in->nkids; k++)
    if (inc_shown(s, in->kids[k])) return 1;
  return 0;
}

static int inc_contains(const sq_include *in, const sq_include *x) {
  int k;
  if (in == x) return 1;
  for (k = 0; k < in->nkids; k++)
    if (inc_contains(in->kids[k], x)) return 1;
  return 0;
}

/* The first joined to-many include among inc[0..n) and below that repeats the objects of
 * x across the rows: one that is neither x nor above it (beside it, or below it). x NULL:
 * the top level's, any to-many include. NULL for none. */
static const sq_include *repeating_many(sq_include **inc, int n, const sq_include *x) {
  int k;
  for (k = 0; k < n; k++) {
    const sq_include *r;
    if (inc[k] != x && inc[k]->assoc->many && !(x && inc_contains(inc[k], x))) return inc[k];
    if ((r = repeating_many(inc[k]->kids, inc[k]->nkids, x))) return r;
  }
  return NULL;
}

/* An include's path from the top ("user.posts": its SQL alias, "user->posts") in buf. */
static const char *inc_path(const sq_include *in, char *buf, size_t cap) {
  size_t i = 0;
  const char *p = in->alias;
  while (*p && i + 1 < cap) {
    if (p[0] == '-' && p[1] == '>') {
      buf[i++] = '.';
      p += 2;
    } else {
      buf[i++] = *p++;
    }
  }
  buf[i] = 0;
  return buf;
}

/* Rows are merged into objects by primary key. A to-many include of a model without one
 * whose rows repeat with another to-many join cannot be merged: raises, naming both. */
static void check_keyless(ctx *c, const sq_select *s, sq_include **inc, int n) {
  int k;
  for (k = 0; k < n; k++) {
    const sq_include *in = inc[k], *j;
    char pa[256], pb[256];
    if (in->pkcol < 0 && in->assoc->many && inc_shown(s, in) && (j = repeating_many(s->inc, s->ninc, in)))
      usage(c->L, c->db, "%s %s: included as %s, its rows repeat with each row of the to-many "
            "include %s and cannot be told apart from them; include one of the two with separate = true",
            in->model->name, s->distinct_rows && in->model->npk ? "has no primary key selected (a DISTINCT select adds none)"
            : "has no primary key", inc_path(in, pa, sizeof pa), inc_path(j, pb, sizeof pb));
    check_keyless(c, s, in->kids, in->nkids);
  }
}

/* Read rows of a query with includes into nested instances. `mts` is the stack slot of
 * the table { [model id] = instance metatable }. */
static int read_rows_inc(ctx *c, sq_stmt *st, const sq_select *s, int mts) {
  lua_State *L = c->L;
  sq_db *db = c->db;
  colplan *cp;
  int nl = 1 + count_levels(s->inc, s->ninc), k, rc, list, amt, objs, serial = 0, nkept = 0, need_dedup;
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
    {
      int *pk = xalloc(c, sizeof(int) * (size_t)(s->model->npk ? s->model->npk : 1)), j, np = 0;
      for (j = 0; j < s->model->nattrs; j++) {
        int at = -1;
        if (!s->model->attrs[j]->pk) continue;
        for (k = 0; k < last && at < 0; k++)
          if (sq_selcol_is_attr(&s->cols[k], s->model->attrs[j])) at = k;
        if (at >= 0) pk[np++] = at;
      }
      /* (every key column is selected with includes; without one, rows are not merged) */
      lv[0].pkcols = pk;
      lv[0].npkcols = np == s->model->npk ? np : 0;
      lv[0].pkcol = lv[0].npkcols ? pk[0] : -1;
    }
  }
  k = 1;
  flatten(s->inc, s->ninc, 0, lv, &k);
  need_dedup = has_many(s->inc, s->ninc, 0);
  /* With a to-many include (Sequelize's hasMultiAssociation) objects are merged by key.
   * An object repeats across rows only through a level that can match several rows (a
   * to-many one, or a hasOne whose key is not unique) and is neither itself nor one of
   * its ancestors: only those levels are looked up in the hash. */
  for (k = 0; k < nl; k++) {
    int j;
    lv[k].dedup = 0;
    lv[k].hint = 0;
    for (j = 1; j < nl && need_dedup; j++) {
      int anc = 0, a;
      if (j == k || !(lv[j].in->assoc->many || lv[j].in->assoc->kind == SQ_HAS_ONE)) continue;
      for (a = k; a > 0; a = lv[a].parent)
        if (a == j) anc = 1;
      if (!anc) lv[k].dedup = 1;
    }
  }
  /* extra columns of each level, and which levels show anything: an include with
   * attributes = {} and nothing shown below it makes no objects and no key (Sequelize),
   * an n:m's join row columns or not (Sequelize selects them, and builds no target without
   * a target column: `{ model = Tag, where = ..., attributes = {} }` only filters) */
  for (k = nl - 1; k >= 0; k--) {
    int j, q, c0 = lv[k].col0, nc = lv[k].ncols;
    lv[k].nx = 0;
    lv[k].xcols = xalloc(c, sizeof(int) * (size_t)(nc ? nc : 1));
    lv[k].shown = !k;
    for (q = c0; q < c0 + nc; q++) {
      if (s->cols[q].hidden) continue;
      lv[k].shown = 1;
      if (s->cols[q].attr < 0) lv[k].xcols[lv[k].nx++] = q;
    }
    for (j = k + 1; j < nl; j++)
      if (lv[j].parent == k && lv[j].shown) lv[k].shown = 1;
  }
  d.nb = 1024;
  d.n = 0;
  d.arena = c->arena;
  d.b = need_dedup ? xalloc(c, sizeof *d.b * d.nb) : NULL;
  /* per level: metatables, keys and shapes */
  for (k = 0; k < nl; k++) {
    int j, e = 0, partial, gm, pass;
    const sq_names *vs;
    int *kept = xalloc(c, sizeof(int) * (size_t)(lv[k].nx ? lv[k].nx : 1));
    if (!k && c->db->view_m == lv[0].model && c->lg && c->lg->boxi) {
      get_instance_mt(L, c->lg->boxi); /* (a Model.schema copy's rows are its instances) */
    } else {
      lua_pushvalue(L, mts);
      push_model_mt(L, lv[k].model);
      lua_replace(L, -2);
    }
    lv[k].mt = lua_gettop(L);
    if (lv[k].in) {
      lua_pushstring(L, lv[k].in->assoc->as);
      lv[k].key = lua_gettop(L);
      if (lv[k].in->assoc->kind == SQ_BELONGS_TO_MANY) {
        lua_pushstring(L, lv[k].in->tas ? lv[k].in->tas : lv[k].in->assoc->through->name);
        lv[k].tkey = lua_gettop(L);
        lua_pushvalue(L, mts);
        push_model_mt(L, lv[k].in->assoc->through);
        lua_replace(L, -2);
        lv[k].tmt = lua_gettop(L);
      }
    }
    /* extra keys: the column's alias, past its include path ("Posts.n" -> "n") */
    luaL_checkstack(L, lv[k].nx + 8, "too many columns");
    lv[k].x0 = lua_gettop(L) + 1;
    vs = k ? (lv[k].in ? lv[k].in->vshow : NULL) : s->vshow;
    /* (those naming a VIRTUAL attribute the list named go last: values of that attribute) */
    lv[k].nxv = 0;
    for (pass = 0; pass < 2; pass++)
      for (j = 0; j < lv[k].nx; j++) {
        const char *as = s->cols[lv[k].xcols[j]].as, *dot;
        int q, clash = 0;
        if (!as) as = sq_col_name(st, lv[k].xcols[j]);
        dot = k && as ? strrchr(as, '.') : NULL;
        as = dot ? dot + 1 : as ? as : "?";
        if (names_has(vs, as) != pass) continue;
        for (q = k + 1; q < nl; q++) /* an include of the same name takes the key */
          if (lv[q].parent == k && lv[q].shown && !strcmp(lv[q].in->assoc->as, as)) clash = 1;
        if (clash) continue;
        kept[e++] = lv[k].xcols[j];
        lv[k].nxv += pass;
        lua_pushstring(L, as);
      }
    memcpy(lv[k].xcols, kept, sizeof(int) * (size_t)e);
    lv[k].nx = e;
    e = 0;
    /* shape: the extra keys, and the include keys of this level's objects in include order */
    lua_createtable(L, 0, 2);
    if (lv[k].nx > lv[k].nxv) {
      lua_createtable(L, lv[k].nx - lv[k].nxv, 0);
      for (j = 0; j < lv[k].nx - lv[k].nxv; j++) {
        lua_pushvalue(L, lv[k].x0 + j);
        lua_rawseti(L, -2, j + 1);
      }
      lua_setfield(L, -2, "extras");
    }
    lua_newtable(L);
    /* (an n:m object's join row: after its own includes when the include gave attributes,
     * as Sequelize sets the include names then; else before them, in its columns' order) */
    if (lv[k].in && lv[k].in->own_attrs)
      for (j = k + 1; j < nl; j++)
        if (lv[j].parent == k && lv[j].shown) {
          lua_pushstring(L, lv[j].in->assoc->as);
          lua_rawseti(L, -2, ++e);
        }
    lv[k].lazy = 0;
    if (lv[k].in && lv[k].in->assoc->kind == SQ_BELONGS_TO_MANY && lv[k].ntcols) {
      const sq_model *t = lv[k].in->assoc->through;
      lua_pushstring(L, lv[k].in->tas ? lv[k].in->tas : t->name);
      lua_rawseti(L, -2, ++e);
      for (j = lv[k].tcol0; j < lv[k].tcol0 + lv[k].ntcols; j++)
        if (s->cols[j].attr >= 0 && !s->cols[j].hidden) lv[k].lazy = t->nattrs;
      if (lv[k].lazy) {
        /* shape.lazy: where the through values wait and what they become (lazy_through) */
        lua_createtable(L, 0, 4);
        lua_pushstring(L, lv[k].in->tas ? lv[k].in->tas : t->name);
        lua_setfield(L, -2, "name");
        lua_pushinteger(L, lv[k].model->nattrs);
        lua_setfield(L, -2, "base");
        lua_pushinteger(L, lv[k].lazy);
        lua_setfield(L, -2, "n");
        lua_pushvalue(L, lv[k].tmt);
        lua_setfield(L, -2, "mt");
        if (leaves_out(s, lv[k].tcol0, lv[k].ntcols, t, 1)) {
          /* lazy.attrs: the through attributes read and shown, in column order (Sequelize's
           * through include's originalAttributes: a set() of the through name on the
           * target builds its join row with only those, instance.lua's set_include) */
          int q, e2 = 0;
          lua_createtable(L, lv[k].ntcols, 0);
          for (j = lv[k].tcol0; j < lv[k].tcol0 + lv[k].ntcols; j++) {
            int seen = 0;
            if (s->cols[j].attr < 0 || s->cols[j].hidden) continue;
            for (q = lv[k].tcol0; q < j && !seen; q++) seen = s->cols[q].attr == s->cols[j].attr && !s->cols[q].hidden;
            if (seen) continue;
            lua_pushstring(L, t->attrs[s->cols[j].attr]->name);
            lua_rawseti(L, -2, ++e2);
          }
          lua_setfield(L, -2, "attrs");
        }
        if (leaves_out(s, lv[k].tcol0, lv[k].ntcols, t, 1) || lv[k].in->tvshow) {
          /* through = { attributes }: the join rows' own shape ({ partial = true, vshow }),
           * so that toJSON shows the through model's VIRTUAL and getterMethods getters as
           * Sequelize's join rows read with an attribute list do: only the VIRTUALs named */
          lua_createtable(L, 0, 2);
          lua_pushboolean(L, 1);
          lua_setfield(L, -2, "partial");
          if (lv[k].in->tvshow) set_vshow(L, lv[k].in->tvshow);
          lua_setfield(L, -2, "shape");
        }
        lua_setfield(L, -3, "lazy");
      }
    }
    if (!(lv[k].in && lv[k].in->own_attrs))
      for (j = k + 1; j < nl; j++)
        if (lv[j].parent == k && lv[j].shown) {
          lua_pushstring(L, lv[j].in->assoc->as);
          lua_rawseti(L, -2, ++e);
        }
    lua_setfield(L, -2, "includes");
    partial = leaves_out(s, lv[k].col0, lv[k].ncols, lv[k].model, 0);
    if (partial) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "partial");
    }
    if (vs) set_vshow(L, vs);
    gm = k == 0 && has_gm(L, lv[k].mt); /* (included rows show them, as in Sequelize) */
    if (gm) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "read");
    }
    lv[k].shape = lua_gettop(L);
    lv[k].nhash = e - (lv[k].lazy > 0) + lv[k].nx - lv[k].nxv; /* a waiting through instance takes no key until read */
    if (e == 0 && lv[k].nx == lv[k].nxv && !partial && !vs && !gm) { /* a leaf: its objects need no shape and no hash part */
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
      int base = j && lv[k].lazy ? lv[k].model->nattrs : 0; /* through values past the attributes */
      if (!m) continue;
      for (q = c0; q < c0 + nc; q++) {
        const sq_selcol *col = &s->cols[q];
        if (col->attr < 0 && !col->vtype) continue;
        cp[q].slot = col->attr < 0 ? 0 : base + col->attr + 1; /* (an extra key naming a column: typed) */
        cp[q].conv = 1;
        cp[q].kind = col->attr < 0 ? col->vtype->type.kind : m->attrs[col->attr]->type.kind;
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
  amt = lua_gettop(L); /* (kept for the to-many lists made per row) */
  lua_pushvalue(L, amt);
  lua_setmetatable(L, list);
  lua_newtable(L);
  objs = lua_gettop(L);
  luaL_checkstack(L, 2 * nl + 8, "too many includes");
  for (k = 0; k < nl; k++) { /* each level's current object lives in a stack slot */
    lua_pushnil(L);
    lv[k].curslot = lua_gettop(L);
    lua_pushnil(L);
    lv[k].listslot = lua_gettop(L);
    lv[k].listowner = 0;
    lv[k].listlen = 0;
  }
  while ((rc = sq_stmt_step(st)) == SQ_STEP_ROW) {
    for (k = 0; k < nl; k++) {
      lvl *l = &lv[k];
      int ps = k ? lv[l->parent].cur : 0, keep = 0, j;
      l->cur = 0;
      if (k && (!ps || !l->shown)) continue;
      if (k && l->pkcol < 0) {
        /* a model without a primary key: a joined row unless its columns are all NULL;
         * each one is an object of its own (two equal rows are two rows of the table) */
        if (!keyless_row(st, s, l)) continue;
      } else if (k && sq_col_type(st, l->pkcol) == SQ_COL_NULL) {
        /* no joined row (a composite key is missing only when all of it is NULL) */
        int q, none = 1;
        for (q = 1; q < l->npkcols && none; q++)
          if (sq_col_type(st, l->pkcols[q]) != SQ_COL_NULL) none = 0;
        if (none) continue;
      }
      /* merged by key; a to-one level without a key that repeats (its parent is found
       * again on a later row) keeps the first object under that parent */
      if (l->dedup && (l->pkcol >= 0 || (k && !l->in->assoc->many))) {
        dedup_e *e = dedup_get(c, &d, k, ps, st, l->pkcols, l->pkcol >= 0 ? l->npkcols : 0, serial + 1, nkept + 1);
        if (e) {
          l->cur = e->serial;
          lua_rawgeti(L, objs, e->slot);
          lua_replace(L, l->curslot);
          continue;
        }
        keep = 1;
      }
      row_instance(L, db, st, s, l->model, l->col0, l->ncols, l->mt, l->shape, l->nhash, l->lazy, cp);
      l->cur = ++serial;
      for (j = 0; j < l->nx; j++) { /* extra columns, under their keys */
        lua_pushvalue(L, l->x0 + j);
        push_col(L, db, st, l->xcols[j], &cp[l->xcols[j]]);
        if (j < l->nx - l->nxv) lua_rawset(L, -3);
        else set_virtual_value(L, lua_gettop(L) - 2);
      }
      /* empty lists for this object's to-many includes */
      for (j = k + 1; j < nl; j++) {
        if (lv[j].parent != k || !lv[j].in->assoc->many || !lv[j].shown) continue;
        lua_pushvalue(L, lv[j].key);
        lua_createtable(L, lv[j].hint, 0); /* sized as the last list was: no regrowth per child */
        lua_pushvalue(L, amt);
        lua_setmetatable(L, -2);
        lua_rawset(L, -3);
      }
      if (l->lazy) {
        fill_slots(L, db, st, s, l->tcol0, l->ntcols, cp);
      } else if (l->in && l->in->assoc->kind == SQ_BELONGS_TO_MANY && l->ntcols) {
        lua_pushvalue(L, l->tkey);
        row_instance(L, db, st, s, l->in->assoc->through, l->tcol0, l->ntcols, l->tmt, 0, 0, 0, cp);
        lua_rawset(L, -3);
      }
      lua_pushvalue(L, -1);
      lua_replace(L, l->curslot);
      if (keep) { /* kept for the rows that find it again */
        lua_pushvalue(L, -1);
        lua_rawseti(L, objs, ++nkept);
      }
      if (!k) {
        lua_rawseti(L, list, ++n);
      } else {
        if (l->in->assoc->many) {
          int len;
          if (l->listowner != lv[l->parent].cur) { /* another parent than the last row's: its list */
            lua_pushvalue(L, l->key);
            lua_rawget(L, lv[l->parent].curslot);
            lua_replace(L, l->listslot);
            l->listowner = lv[l->parent].cur;
            l->listlen = (int)sq_rawlen(L, l->listslot);
          }
          len = ++l->listlen;
          lua_rawseti(L, l->listslot, len);
          l->hint = len < SQ_LIST_HINT_MAX ? len : SQ_LIST_HINT_MAX;
        } else {
          lua_pushvalue(L, lv[l->parent].curslot); /* parent */
          lua_pushvalue(L, l->key);
          lua_pushvalue(L, -3);
          lua_rawset(L, -3);
          lua_pop(L, 2);
        }
      }
    }
  }
  if (rc != SQ_STEP_DONE) {
    sq_db_fail(db, rc, sq_stmt_sql(st));
    sq_stmt_reset(st);
    return -1;
  }
  sq_stmt_reset(st);
  if (sq_db_ran(db)) return -1;
  lua_settop(L, list); /* the list on top */
  return 0;
}

/* Column i of the paging query's row as a bound value (arena-owned), of the type it has. */
static sq_expr *key_value(ctx *c, sq_stmt *st, int i) {
  sq_expr *x = new_expr(c, SQ_X_VALUE);
  int type = sq_col_type(st, i);
  switch (type) {
    case SQ_COL_INT:
      x->v.kind = SQ_V_INT;
      x->v.u.i = sq_col_int(st, i);
      break;
    case SQ_COL_FLOAT:
      x->v.kind = SQ_V_REAL;
      x->v.u.d = sq_col_float(st, i);
      break;
    case SQ_COL_NULL: x->v.kind = SQ_V_NULL; break;
    default: {
      size_t n = (size_t)sq_col_bytes(st, i);
      char *t = xalloc(c, n + 1);
      if (n) memcpy(t, sq_col_blob(st, i), n);
      x->v.kind = type == SQ_COL_BLOB ? SQ_V_BLOB : SQ_V_TEXT;
      x->v.u.s.p = t;
      x->v.u.s.n = n;
    }
  }
  return x;
}

/* core.select(model, opts) -> list */
static int l_select(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 2), raw, top, rc, sub_off;
  ctx c;
  sq_select s;
  sq_buf sql;
  sq_binds binds;
  sq_stmt *st;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  init_ctx(&c, L, m->db, m, &lg);
  sqb_ctx_replacements(&c, opts);
  raw = opt_bool(L, opts, "raw");
  parse_select(&c, &s, opts);
  s.getters_shown = opt_bool(L, opts, "_getters_shown"); /* (queryInterface select with a model) */
  sub_off = 0;
  if (opts) {
    lua_getfield(L, opts, "subQuery");
    sub_off = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  if (s.ninc && !raw) {
    const sq_include *j;
    char pa[256];
    /* the top rows are merged by key too: without one, a to-many join repeats them (a
     * grouped query's rows are its groups) */
    if (m->npk == 0 && !s.ngroup && (j = repeating_many(s.inc, s.ninc, NULL)))
      return usage(L, c.db, "%s has no primary key: its rows repeat with each row of the to-many include %s "
                   "and cannot be merged; include it with separate = true", m->name, inc_path(j, pa, sizeof pa));
    check_keyless(&c, &s, s.inc, s.ninc);
  }
  if (opt_bool(L, opts, "_check")) {
    /* (the Lua layer's check of a separate include's query before its parent's runs: every
     * name resolved above, the SQL built, nothing prepared or run) */
    sq_buf_init(&sql);
    sq_binds_init(&binds, c.arena);
    rc = sq_sql_select(c.db, &sql, &binds, &s);
    if (!rc && sql.oom) rc = sq_err_oom(c.db);
    sq_buf_free(&sql);
    if (rc) return raise_db(L, c.db);
    release_ctx(&c);
    return 0;
  }
  /* subQuery = false: LIMIT / OFFSET apply to the joined rows (Sequelize: one query), as they
   * do to a DISTINCT select's rows, which are no parents, and to a grouped select's rows, its
   * groups (paging the keys first would group the paged rows only: a count over an include
   * would miss the rows of the keys left out; Sequelize's paging subquery of a grouped select
   * fails in SQLite, and with subQuery = false it limits the groups) */
  if (s.ninc && (s.limit >= 0 || s.offset > 0) && !sub_off && !s.distinct_rows && !s.ngroup &&
      has_many(s.inc, s.ninc, 1)) {
    /* paging with to-many joins: page the parents first (their distinct keys), then join
     * for those keys: `pk IN (...)`, or with a composite key `(a, b) IN (rows...)` */
    sq_select p = s;
    sq_where *in;
    int rc, j, nk = 0, capk = 64, npk = m->npk;
    sq_expr **keys, *lhs;
    if (npk == 0)
      return usage(L, c.db, "%s has no primary key: a limit or offset with a to-many include (hasMany, "
                   "belongsToMany; findOne too) pages the %s rows by their key", m->name, m->name);
    keys = xalloc(&c, sizeof *keys * (size_t)capk);
    if (npk == 1) {
      lhs = new_expr(&c, SQ_X_ATTR);
      lhs->attr = m->attrs[m->pk];
      lhs->qual = s.alias;
    } else { /* the key columns in column order, as the paging query selects them */
      lhs = new_expr(&c, SQ_X_ROW);
      lhs->args = xalloc(&c, sizeof *lhs->args * (size_t)npk);
      for (j = 0; j < m->nattrs; j++) {
        sq_expr *a;
        if (!m->attrs[j]->pk) continue;
        a = new_expr(&c, SQ_X_ATTR);
        a->attr = m->attrs[j];
        a->qual = s.alias;
        lhs->args[lhs->nargs++] = a;
      }
    }
    p.distinct_pk = 1;
    p.group = NULL;
    p.ngroup = 0;
    /* Sequelize pages the parents in a subquery ordered by the root's own order items only:
     * an item named through an include ({ Post, "score" }) orders the joined rows alone */
    p.order = xalloc(&c, sizeof *p.order * (size_t)(s.norder ? s.norder : 1));
    p.norder = 0;
    for (j = 0; j < s.norder; j++)
      if (!s.order[j].inc) p.order[p.norder++] = s.order[j];
    sq_buf_init(&sql);
    sq_binds_init(&binds, c.arena);
    if (sq_sql_select(c.db, &sql, &binds, &p)) { sq_buf_free(&sql); return raise_db(L, c.db); }
    st = prepare_built(c.db, &sql, &binds);
    sq_buf_free(&sql);
    if (!st) return raise_db(L, c.db);
    while ((rc = sq_stmt_step(st)) == SQ_STEP_ROW) {
      sq_expr *x;
      if (npk == 1) {
        x = key_value(&c, st, 0);
      } else {
        x = new_expr(&c, SQ_X_ROW);
        x->args = xalloc(&c, sizeof *x->args * (size_t)npk);
        x->nargs = npk;
        for (j = 0; j < npk; j++) x->args[j] = key_value(&c, st, j);
      }
      if (nk == capk) {
        sq_expr **nkx = xalloc(&c, sizeof *keys * (size_t)capk * 2);
        memcpy(nkx, keys, sizeof *keys * (size_t)nk);
        keys = nkx;
        capk *= 2;
      }
      keys[nk++] = x;
    }
    if (rc != SQ_STEP_DONE) {
      sq_db_fail(c.db, rc, sq_stmt_sql(st));
      sq_stmt_reset(st);
      return raise_db(L, c.db);
    }
    sq_stmt_reset(st);
    if (sq_db_ran(c.db)) return raise_db(L, c.db);
    in = new_node(&c, SQ_W_CMP, 0);
    in->lhs = lhs;
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
    if (sq_col_count(st) != s.ncols)
      return usage(L, c.db, "%s: the attributes yield %d columns where %d were expected (a literal selecting several "
                   "columns, such as `*`, cannot be read with include)", m->name, sq_col_count(st), s.ncols);
    sq_getuservalue(L, 1);
    lua_getfield(L, -1, "db");
    sq_getuservalue(L, -1);
    lua_getfield(L, -1, "mts");
    rc = read_rows_inc(&c, st, &s, lua_gettop(L));
  } else {
    rc = read_rows(L, c.db, st, &s, 1, raw && opt_bool(L, opts, "nest") ? 2 : raw, 0);
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
static int scalar_select(ctx *c, sq_select *s, const sq_attr *as) {
  lua_State *L = c->L;
  sq_buf sql;
  sq_binds binds;
  sq_stmt *st;
  int rc;
  colplan p = {0, SQ_T_TEXT, 0, 0, 0, 0, {0}};
  if (as) { /* the value read as attribute `as` reads (min/max of a DATE: its ISO form) */
    p.conv = 1;
    p.kind = as->type.kind;
  }
  sq_buf_init(&sql);
  sq_binds_init(&binds, c->arena);
  if (sq_sql_select(c->db, &sql, &binds, s)) { sq_buf_free(&sql); return raise_db(L, c->db); }
  st = prepare_built(c->db, &sql, &binds);
  sq_buf_free(&sql);
  if (!st) return raise_db(L, c->db);
  rc = sq_stmt_step(st);
  if (rc == SQ_STEP_ROW) {
    if (sq_col_type(st, 0) == SQ_COL_NULL) lua_pushnil(L);
    else push_col(L, c->db, st, 0, &p);
    sq_stmt_reset(st);
    if (sq_db_ran(c->db)) return raise_db(L, c->db);
    return 1;
  }
  if (rc == SQ_STEP_DONE) {
    sq_stmt_reset(st);
    if (sq_db_ran(c->db)) return raise_db(L, c->db);
    lua_pushnil(L);
    return 1;
  }
  sq_db_fail(c->db, rc, sq_stmt_sql(st));
  sq_stmt_reset(st);
  return raise_db(L, c->db);
}

/* core.find_pk(model, key, opts) -> instance or nil: Model.findByPk(key) whose options hold
 * nothing but transaction and logging (the Lua layer sends any other the long way). It runs
 * the long way's statement (every attribute, WHERE key = ?; no LIMIT, as Sequelize's, the key
 * being unique, but LIMIT 1 for one column of a composite key): the first call builds it from
 * { where = { [pk] = key } }, and the model keeps its text and prepared statement (m->pkq)
 * for the calls after, which only bind the key (and the limit) and step. */
static int l_find_pk(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 3);
  ctx c;
  sq_select s;
  sq_stmt *st;
  logctx lg;
  sq_kept *q = &m->pkq;
  sq_db *db = m->db;
  luaL_checkany(L, 2);
  setup_log(L, db, &lg, 1, opts);
  lg.qflags = LOGQ_PLAIN;
  init_ctx(&c, L, db, m, &lg);
  sqb_ctx_replacements(&c, opts);
  if (m->pk < 0) usage(L, db, "%s has no primary key", m->name);
  lg.pk_name = m->attrs[m->pk]->name;
  lg.pk_key = 2;
  if (q->sql && q->nattrs == m->nattrs && db->view_m != m) { /* (a Model.schema copy's: built each time) */
    sq_value v[2];
    parse_select(&c, &s, 0); /* the columns: every attribute */
    to_db(&c, 2, m->attrs[m->pk], &v[0]);
    v[1].kind = SQ_V_INT;
    v[1].u.i = 1;
    st = kept_stmt(db, m, q);
    if (!st || sq_db_bind(db, st, 1, &v[0]) || (m->npk > 1 && sq_db_bind(db, st, 2, &v[1])) ||
        sq_db_log_flush(db, q->sql, q->len))
      return raise_db(L, db);
  } else {
    sq_buf sql;
    sq_binds binds;
    int o;
    lua_createtable(L, 0, 2);
    o = lua_gettop(L);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, m->attrs[m->pk]->name);
    lua_setfield(L, o, "where");
    if (m->npk > 1) {
      lua_pushinteger(L, 1);
      lua_setfield(L, o, "limit");
    }
    parse_select(&c, &s, o);
    sq_buf_init(&sql);
    sq_binds_init(&binds, c.arena);
    if (sq_sql_select(db, &sql, &binds, &s)) {
      sq_buf_free(&sql);
      return raise_db(L, db);
    }
    st = prepare_built(db, &sql, &binds);
    /* kept when its values are the key (and the limit), as the calls after bind them */
    if (st && ((m->npk > 1 && binds.n == 2 && binds.v[1].kind == SQ_V_INT && binds.v[1].u.i == 1) ||
               (m->npk <= 1 && binds.n == 1)))
      keep_stmt(db, m, q, NULL, &sql, st);
    sq_buf_free(&sql);
    if (!st) return raise_db(L, db);
  }
  if (read_rows(L, db, st, &s, 1, 0, 0)) return raise_db(L, db);
  lua_rawgeti(L, -1, 1);
  release_ctx(&c);
  return 1;
}

/* An empty select of the call's model (count, aggregates), attribute references qualified. */
static void init_scalar_select(ctx *c, sq_select *s) {
  memset(s, 0, sizeof *s);
  s->model = c->m;
  s->alias = c->m->name;
  s->limit = s->offset = -1;
  c->qual = s->alias;
  c->sel = s;
}

/* The FROM and WHERE of count and the aggregates: opts.include's joins, as a select of the
 * model makes them (opts.where may then name "$include.column$"), and opts.where. */
static void scalar_from(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  if (!opts) return;
  lua_getfield(L, opts, "include");
  if (lua_istable(L, -1) && sq_rawlen(L, -1) > 0) {
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "include");
    lua_getfield(L, opts, "where");
    lua_setfield(L, -2, "where");
    parse_select(c, s, lua_gettop(L));
    lua_pop(L, 1);
    c->qual = s->alias;
    c->sel = s;
  } else {
    s->where = get_where(c, opts);
  }
  lua_pop(L, 1);
}

/* DISTINCT(x), as Sequelize writes it */
static sq_expr *distinct_expr(ctx *c, sq_expr *x) {
  sq_expr *d = new_expr(c, SQ_X_DISTINCT);
  d->args = xalloc(c, sizeof(sq_expr *));
  d->nargs = 1;
  d->args[0] = x;
  return d;
}

/* core.count(model, opts): opts.col, opts.distinct as Sequelize; with includes, the joined
 * rows are counted, distinct parents with opts.distinct (as Sequelize) */
static int l_count(lua_State *L) {
  sq_model *m = check_model(L, 1);
  int opts = opts_index(L, 2);
  ctx c;
  sq_select s;
  sq_expr *fn, *arg;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  lg.qflags = LOGQ_AGG;
  init_ctx(&c, L, m->db, m, &lg);
  sqb_ctx_replacements(&c, opts);
  init_scalar_select(&c, &s);
  scalar_from(&c, &s, opts);
  /* (opts.attributes select nothing here, but an unknown name in them raises, as Sequelize's
   * SELECT `nope`, count(*) fails) */
  check_attributes(&c, &s, opts);
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
      /* ("User.age" too, as Sequelize's col; "*" is its default, count(*), or the key below) */
      if (!(n == 1 && nm[0] == '*')) arg = name_expr(&c, nm, n, "count");
    } else if (!lua_isnil(L, -1)) {
      usage(L, c.db, "Invalid col in count of model %s: expected an attribute name, got %s", m->name,
            luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    if (!arg && m->npk > 1 && opt_bool(L, opts, "distinct")) {
      /* distinct rows of a composite key: count the distinct keys */
      s.distinct_pk = s.count_keys = 1;
      scalar_select(&c, &s, NULL);
      goto counted;
    }
    if (!arg && s.ninc && m->pk >= 0) /* with includes: the model's key, COUNT(`User`.`id`) (Sequelize) */
      arg = attr_expr(&c, m->attrs[m->pk]);
    if (opt_bool(L, opts, "distinct")) {
      if (!arg && m->pk >= 0) arg = attr_expr(&c, m->attrs[m->pk]);
      if (!arg) /* (no key: rows could not be told apart) */
        usage(L, c.db, "%s has no primary key: count with distinct needs `col`", m->name);
      arg = distinct_expr(&c, arg);
    }
  }
  fn->args[0] = arg ? arg : new_expr(&c, SQ_X_STAR);
  s.cols = xalloc(&c, sizeof *s.cols);
  s.cols[0].expr = fn;
  s.cols[0].as = "count";
  s.cols[0].attr = -1;
  s.ncols = 1;
  scalar_select(&c, &s, NULL);
counted:
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushinteger(L, 0);
  }
  release_ctx(&c);
  return 1;
}

/* core.aggregate(model, fnname, attribute, opts [, untyped]) -> value or nil: fn(`Model`.`attr`), or
 * fn(DISTINCT(...)) with opts.distinct, over opts.include's joins and opts.where (Sequelize's
 * aggregate; it names the column unqualified, which a joined table with a column of that
 * name makes ambiguous) */
static int l_aggregate(lua_State *L) {
  sq_model *m = check_model(L, 1);
  const char *fnname = luaL_checkstring(L, 2);
  size_t an;
  const char *aname = luaL_checklstring(L, 3, &an);
  int opts = opts_index(L, 4), untyped = lua_toboolean(L, 5);
  ctx c;
  sq_select s;
  sq_expr *fn;
  sq_attr *a;
  logctx lg;
  setup_log(L, m->db, &lg, 1, opts);
  lg.qflags = LOGQ_AGG;
  init_ctx(&c, L, m->db, m, &lg);
  sqb_ctx_replacements(&c, opts);
  init_scalar_select(&c, &s);
  /* an attribute, or "Posts.likes": a column of an include (Sequelize), once the includes are known */
  a = memchr(aname, '.', an) ? sq_model_attr(m, aname, an) : find_attr(&c, aname, an, fnname);
  scalar_from(&c, &s, opts);
  fn = new_expr(&c, SQ_X_FN);
  fn->name = fnname;
  fn->nlen = strlen(fnname);
  fn->args = xalloc(&c, sizeof(sq_expr *));
  fn->nargs = 1;
  fn->args[0] = a ? attr_expr(&c, a) : name_expr(&c, aname, an, fnname);
  if (opts && opt_bool(L, opts, "distinct")) fn->args[0] = distinct_expr(&c, fn->args[0]);
  s.cols = xalloc(&c, sizeof *s.cols);
  s.cols[0].expr = fn;
  s.cols[0].as = fnname;
  s.cols[0].attr = -1;
  s.ncols = 1;
  /* (a min / max typed as the attribute reads, unless untyped: the caller's dataType reads it) */
  scalar_select(&c, &s, a && !untyped && (!strcmp(fnname, "min") || !strcmp(fnname, "max")) ? a : NULL);
  release_ctx(&c);
  return 1;
}

/* ------------------------------------------------------------------------- */
/* separate includes: the Lua layer runs one child query per include; these two do the
 * per-row work */

/* core.gather(list, key) -> the objects an include made under the list's instances: each
 * one's value at `key`, a list's elements in turn (for separate includes nested below
 * joined ones) */
static int l_gather(lua_State *L) {
  int n, k, out;
  lua_Integer m = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  n = (int)sq_rawlen(L, 1);
  lua_createtable(L, n, 0);
  out = lua_gettop(L);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 1, k);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    if (lua_istable(L, -1)) {
      int v = lua_gettop(L), j, len;
      push_array_mt(L);
      if (lua_getmetatable(L, v) && lua_rawequal(L, -1, -2)) { /* a to-many list */
        len = (int)sq_rawlen(L, v);
        for (j = 1; j <= len; j++) {
          lua_rawgeti(L, v, j);
          lua_rawseti(L, out, ++m);
        }
      } else {
        lua_pushvalue(L, v);
        lua_rawseti(L, out, ++m);
      }
      lua_settop(L, v);
    }
    lua_pop(L, 2);
  }
  return 1;
}

/* core.collect(list, slot) -> distinct non-NULL values of slot `slot` over the list */
static int l_collect(lua_State *L) {
  int n, k, slot = 0, seen, out, named = lua_type(L, 2) == LUA_TSTRING; /* a name: raw rows */
  lua_Integer m = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!named) slot = (int)luaL_checkinteger(L, 2);
  n = (int)sq_rawlen(L, 1);
  lua_newtable(L);
  seen = lua_gettop(L);
  lua_createtable(L, n, 0);
  out = lua_gettop(L);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 1, k);
    if (named) {
      lua_pushvalue(L, 2);
      lua_rawget(L, -2);
    } else {
      lua_rawgeti(L, -1, slot);
    }
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

/* core.join_one_raw(rows, rkey, links, lkey, key, nest, hide_rkey, hide_lkey): join_one for
 * raw rows (plain tables keyed by name, as an n:m getter with raw = true reads them): each
 * row gets the values of its link (lkey equal to its rkey) as "key.column" (Sequelize's raw
 * rows), or under `key` when nest; the matching keys dropped when read only to match. */
static int l_join_one_raw(lua_State *L) {
  int keyi = 5, nest, hide_r, hide_l, n, k, index;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checkstring(L, 4);
  luaL_checkstring(L, 5);
  nest = lua_toboolean(L, 6);
  hide_r = lua_toboolean(L, 7);
  hide_l = lua_toboolean(L, 8);
  lua_settop(L, 8);
  n = (int)sq_rawlen(L, 3);
  lua_createtable(L, 0, n);
  index = lua_gettop(L);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, 3, k);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, 4);
    lua_rawget(L, -2);
    if (lua_isnil(L, -1) || is_null(L, -1)) {
      lua_pop(L, 2);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_rawset(L, index);
    if (hide_l) {
      lua_pushvalue(L, 4);
      lua_pushnil(L);
      lua_rawset(L, -3);
    }
    lua_pop(L, 1);
  }
  n = (int)sq_rawlen(L, 1);
  for (k = 1; k <= n; k++) {
    int row;
    lua_rawgeti(L, 1, k);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    row = lua_gettop(L);
    lua_pushvalue(L, 2);
    lua_rawget(L, row);
    lua_rawget(L, index); /* its link, or nil */
    if (hide_r) {
      lua_pushvalue(L, 2);
      lua_pushnil(L);
      lua_rawset(L, row);
    }
    if (lua_istable(L, -1)) {
      if (nest) {
        lua_pushvalue(L, keyi);
        lua_pushvalue(L, -2);
        lua_rawset(L, row);
      } else {
        int link = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, link)) {
          if (lua_type(L, -2) == LUA_TSTRING) {
            lua_pushvalue(L, keyi);
            lua_pushliteral(L, ".");
            lua_pushvalue(L, -4);
            lua_concat(L, 3);
            lua_pushvalue(L, -2);
            lua_rawset(L, row);
          }
          lua_pop(L, 1);
        }
      }
    }
    lua_settop(L, index);
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
  lua_pushnil(L); /* out - 2: the shape of the last target that had one (its own includes) */
  lua_pushnil(L); /* out - 1: that shape with the include key added */
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
    lua_rawgeti(L, t, 0);
    if (lua_istable(L, -1)) {
      /* the target has includes (or extra keys) of its own: the copy keeps them */
      int src = lua_gettop(L), parts;
      if (!lua_rawequal(L, src, out - 2)) {
        lua_createtable(L, 0, 2);
        for (parts = 0; parts < 2; parts++) {
          int q, len, list;
          lua_getfield(L, src, parts ? "includes" : "extras");
          list = lua_gettop(L);
          len = lua_istable(L, list) ? (int)sq_rawlen(L, list) : 0;
          lua_createtable(L, len + 1, 0);
          for (q = 1; q <= len; q++) {
            lua_rawgeti(L, list, q);
            lua_rawseti(L, -2, q);
          }
          if (parts && show) {
            lua_pushvalue(L, keyi);
            lua_rawseti(L, -2, len + 1);
          }
          lua_setfield(L, -3, parts ? "includes" : "extras");
          lua_pop(L, 1);
        }
        lua_replace(L, out - 1);
        lua_pushvalue(L, src);
        lua_replace(L, out - 2);
      }
      {
        int sh = out - 1, parts;
        for (parts = 0; parts < 2; parts++) {
          int q, len;
          lua_getfield(L, src, parts ? "includes" : "extras");
          len = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) : 0;
          for (q = 1; q <= len; q++) {
            lua_rawgeti(L, -1, q);
            lua_pushvalue(L, -1);
            rawget_member(L, t); /* (a join row still waiting in slots is made first) */
            lua_rawset(L, t + 1); /* into the copy */
          }
          lua_pop(L, 1);
        }
        lua_pushvalue(L, sh);
        lua_rawseti(L, -3, 0);
      }
      lua_pop(L, 1);
      if (show) {
        lua_pushvalue(L, keyi);
        lua_pushvalue(L, t - 1);
        lua_rawset(L, -3);
      }
    } else {
      lua_pop(L, 1);
      if (show) {
        lua_pushvalue(L, out - 3);
        lua_rawseti(L, -2, 0);
        lua_pushvalue(L, keyi);
        lua_pushvalue(L, t - 1);
        lua_rawset(L, -3);
      }
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

/* core.attach(parents, children, pslot, cslot, key, many [, limit [, hide [, offset]]])
 * Hang each child under the parent whose slot pslot equals the child's slot cslot:
 * in a list under `key` (many) or as the field `key`; a list skips its first `offset`
 * children and takes `limit` (a separate include's, per parent). */
static int l_attach(lua_State *L) {
  int pslot, cslot, many, n, k, index, keyi, hide, seen = 0;
  long long limit = -1, offset = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  pslot = (int)luaL_checkinteger(L, 3);
  cslot = (int)luaL_checkinteger(L, 4);
  luaL_checkstring(L, 5);
  keyi = 5;
  many = lua_toboolean(L, 6);
  if (!lua_isnoneornil(L, 7)) limit = (long long)luaL_checkinteger(L, 7);
  hide = lua_toboolean(L, 8);
  if (!lua_isnoneornil(L, 9)) offset = (long long)luaL_checkinteger(L, 9);
  lua_settop(L, 9);
  shape_add_include(L, 1, keyi);
  /* parent key value -> list of parents (keys may repeat: belongsTo) */
  lua_newtable(L);
  index = lua_gettop(L);
  if (offset > 0) { /* a parent's list -> how many children it skipped */
    lua_newtable(L);
    seen = lua_gettop(L);
  }
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
        int skip = 0;
        lua_pushvalue(L, keyi);
        lua_rawget(L, -2);             /* its list */
        if (seen) {
          long long c;
          lua_pushvalue(L, -1);
          lua_rawget(L, seen);
          c = (long long)lua_tointeger(L, -1);
          lua_pop(L, 1);
          if (c < offset) {
            skip = 1;
            lua_pushvalue(L, -1);
            lua_pushinteger(L, (lua_Integer)(c + 1));
            lua_rawset(L, seen);
          }
        }
        if (!skip && (limit < 0 || (long long)sq_rawlen(L, -1) < limit)) {
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

/* ------------------------------------------------------------------------- */
/* raw queries: db:query(sql, { replacements = {...} | { name = ... } | bind = ... })
 *
 * Values are always bound. Without a list among the replacements the statement is prepared
 * as written and SQLite names its parameters (?, ?NNN, :name, @name, $name). A list (Sequelize
 * writes `'a', 'd'` into the SQL for ['a', 'd']) needs more parameters than the text has: the
 * text is then scanned as SQLite's tokenizer does (strings, quoted names and comments are
 * skipped), each parameter becomes `?` (a list `?, ?`, a list inside a list `(?, ?)`), and
 * the values are bound in order; the count SQLite finds is checked against ours. */

/* A statement owned by the Lua stack: finalized by __gc if an error unwinds the call. */
typedef struct stmtbox { sq_stmt *st; } stmtbox;
#define STMT_MT "sequelua.stmt"

static int stmt_gc(lua_State *L) {
  stmtbox *b = luaL_checkudata(L, 1, STMT_MT);
  if (b->st) sq_stmt_finalize(b->st);
  b->st = NULL;
  return 0;
}

/* A byte buffer owned by the Lua stack, likewise (the rewritten SQL text). */
#define QBUF_MT "sequelua.qbuf"

static int qbuf_gc(lua_State *L) {
  sq_buf *b = luaL_checkudata(L, 1, QBUF_MT);
  sq_buf_free(b);
  return 0;
}

/* how core.query reads the result (the Lua layer picks one from the query type) */
enum { QH_RUN = 0, QH_ROWS = 1, QH_NEST = 2, QH_INSTANCES = 3 };

/* how deep lists may nest in a replacement (a list that holds itself stops here) */
#define QLIST_DEPTH 16

/* SQLite's IdChar: letters, digits, _, $ and every byte of a multi-byte character */
static int q_idchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c >= 0x80;
}

/* Does sql[0, len) end inside a '...' string literal? Quoted names ("", ``, []) and comments
 * are skipped as next_param skips them. (Sequelize's injectReplacements raises for one when
 * replacements are given: "The following SQL query includes an unterminated string literal") */
static int unterminated_literal(const char *sql, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)sql[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      unsigned char close = c == '[' ? ']' : c;
      int closed = 0;
      i++;
      while (i < len) {
        if ((unsigned char)sql[i++] != close) continue;
        if (close != ']' && i < len && (unsigned char)sql[i] == close) { /* a doubled quote */
          i++;
          continue;
        }
        closed = 1;
        break;
      }
      if (!closed && c == '\'') return 1;
    } else if (c == '-' && i + 1 < len && sql[i + 1] == '-') {
      while (i < len && sql[i] != '\n') i++;
    } else if (c == '/' && i + 1 < len && sql[i + 1] == '*') {
      i += 2;
      while (i < len && !(sql[i] == '*' && i + 1 < len && sql[i + 1] == '/')) i++;
      i = i < len ? i + 2 : len;
    } else i++;
  }
  return 0;
}

/* The next parameter of sql[*pos, len), found as SQLite's tokenizer finds them: ?, ?NNN, and
 * :name, @name, $name (with SQLite's `::` and `(...)` suffixes); string literals, quoted
 * names ("", ``, []) and comments are skipped, and so are names and numbers, so that a `$`
 * inside a name is not a parameter. Sets [*s, *e) and returns 1, or returns 0 at the end. */
static int next_param(const char *sql, size_t len, size_t *pos, size_t *s, size_t *e) {
  size_t i = *pos;
  while (i < len) {
    unsigned char c = (unsigned char)sql[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      unsigned char close = c == '[' ? ']' : c;
      i++;
      while (i < len) {
        if ((unsigned char)sql[i++] != close) continue;
        if (close != ']' && i < len && (unsigned char)sql[i] == close) { /* a doubled quote */
          i++;
          continue;
        }
        break;
      }
    } else if (c == '-' && i + 1 < len && sql[i + 1] == '-') {
      while (i < len && sql[i] != '\n') i++;
    } else if (c == '/' && i + 1 < len && sql[i + 1] == '*') {
      i += 2;
      while (i < len && !(sql[i] == '*' && i + 1 < len && sql[i + 1] == '/')) i++;
      i = i < len ? i + 2 : len;
    } else if (c == '?') {
      size_t j = i + 1;
      while (j < len && sql[j] >= '0' && sql[j] <= '9') j++;
      *s = i;
      *e = *pos = j;
      return 1;
    } else if (c == ':' || c == '@' || c == '$') {
      size_t j = i + 1, n = 0;
      while (j < len) {
        unsigned char d = (unsigned char)sql[j];
        if (q_idchar(d)) {
          n++;
          j++;
        } else if (d == '(' && n > 0) {
          while (j < len && sql[j] != ')' && sql[j] != ' ' && sql[j] != '\t' && sql[j] != '\n' && sql[j] != '\r') j++;
          if (j < len && sql[j] == ')') j++;
          break;
        } else if (d == ':' && j + 1 < len && sql[j + 1] == ':') {
          j += 2;
        } else {
          break;
        }
      }
      if (n == 0) { /* not a parameter (SQLite refuses it) */
        i = j;
        continue;
      }
      *s = i;
      *e = *pos = j;
      return 1;
    } else if (q_idchar(c)) { /* a name, keyword or number */
      i++;
      while (i < len && (q_idchar((unsigned char)sql[i]) || sql[i] == '.')) {
        if (sql[i] == '.' && !(c >= '0' && c <= '9')) break; /* (a dot only inside numbers) */
        i++;
      }
    } else {
      i++;
    }
  }
  *pos = len;
  return 0;
}

/* Sequelize's `$$` escape: with `bind` given, its formatBindParameters runs `\B\$(\$|\w+)` over
 * the whole text (string literals and quoted names too), `$$` becoming `$` (`'$$5'` is `'$5'`;
 * `a$$` is kept: the `$` after a word character is no match, as is the second of `$$$`'s
 * leftovers). Writes the text of sql[0, len) so rewritten into `out` (room for len bytes) and
 * returns its length: len when there is nothing to unescape. */
static int js_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t bind_unescape(const char *sql, size_t len, char *out) {
  size_t i = 0, o = 0;
  while (i < len) {
    if (sql[i] == '$' && (i == 0 || !js_word((unsigned char)sql[i - 1])) && i + 1 < len) {
      if (sql[i + 1] == '$') { /* `$$`: one `$` */
        out[o++] = '$';
        i += 2;
        continue;
      }
      if (js_word((unsigned char)sql[i + 1])) { /* `$name` / `$1`: a parameter, kept as it is */
        out[o++] = sql[i++];
        while (i < len && js_word((unsigned char)sql[i])) out[o++] = sql[i++];
        continue;
      }
    }
    out[o++] = sql[i++];
  }
  return o;
}

/* Raise "Invalid value for replacement <what>: expected ..., got <got>" */
static int bad_replacement(lua_State *L, sq_db *db, const char *what, const char *got) {
  return usage(L, db,
               "Invalid value for replacement %s: expected a string, number, boolean, Sequelize.null or a list of "
               "them, got %s", what, got);
}

/* Is the table at `i` a list (keys exactly 1..n, no metatable but the result lists')? */
static void check_list(lua_State *L, sq_db *db, int i, const char *what) {
  lua_Integer n = (lua_Integer)sq_rawlen(L, i), count = 0;
  if (lua_getmetatable(L, i)) {
    int same;
    push_array_mt(L);
    same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (!same) bad_replacement(L, db, what, "a table with a metatable (an expression, a model or an instance?)");
  }
  lua_pushnil(L);
  while (lua_next(L, i)) {
    long long k;
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TNUMBER || !sq_isinteger(L, -1, &k) || k < 1 || k > (long long)n)
      bad_replacement(L, db, what, "a table that is not a list");
    count++;
  }
  if (count != n) bad_replacement(L, db, what, "a table that is not a list");
}

/* Write the placeholders of the value at `vi` into `out` and append its values to the list
 * at `vals` (*n of them so far): a scalar is `?`, a list its items joined by ", ", a list
 * inside a list the same in parentheses (Sequelize's arrayToList). */
static void emit_replacement(lua_State *L, sq_db *db, int vi, sq_buf *out, int vals, int *n, int depth,
                             const char *what) {
  int t = lua_type(L, vi);
  if (t == LUA_TTABLE) {
    int len, j;
    if (depth >= QLIST_DEPTH) {
      usage(L, db, "Invalid value for replacement %s: lists nested too deep (more than %d levels: a list that holds "
            "itself?)", what, QLIST_DEPTH);
    }
    luaL_checkstack(L, 4, "nested lists");
    check_list(L, db, vi, what);
    len = (int)sq_rawlen(L, vi);
    if (depth) sq_buf_addc(out, '(');
    for (j = 1; j <= len; j++) {
      if (j > 1) sq_buf_add(out, ", ", 2);
      lua_rawgeti(L, vi, j);
      emit_replacement(L, db, lua_gettop(L), out, vals, n, depth + 1, what);
      lua_pop(L, 1);
    }
    if (depth) sq_buf_addc(out, ')');
    return;
  }
  if (!(t == LUA_TBOOLEAN || t == LUA_TNUMBER || t == LUA_TSTRING || is_null(L, vi)))
    bad_replacement(L, db, what, luaL_typename(L, vi));
  if (*n >= sq_conn_max_params(db->conn))
    usage(L, db, "query: the replacements hold more values than SQLite binds in one statement (%d)",
          sq_conn_max_params(db->conn));
  sq_buf_addc(out, '?');
  lua_pushvalue(L, vi);
  lua_rawseti(L, vals, ++*n);
}

/* Push the replacement a parameter token names (nil if none). Numbering follows SQLite: `?`
 * takes the next number after the largest so far, `?NNN` its own, a name the next number on
 * its first use (kept in the table at `names`); `$1` reads replacements[1]. Writes the
 * name used in messages into `what`. */
static void push_param_value(lua_State *L, const char *tok, size_t n, int rep, int names, long long *maxidx,
                             long long *idx, char *what, size_t wcap) {
  *idx = 0;
  if (tok[0] == '?') {
    long long k = 0;
    size_t j;
    if (n == 1) {
      k = ++*maxidx;
    } else {
      for (j = 1; j < n && k < 100000000; j++) k = k * 10 + (tok[j] - '0');
      if (k > *maxidx) *maxidx = k;
    }
    *idx = k;
    snprintf(what, wcap, "? (replacements[%lld])", k);
    lua_rawgeti(L, rep, (lua_Integer)k);
    return;
  }
  snprintf(what, wcap, "%.*s", (int)(n > 200 ? 200 : n), tok);
  lua_pushlstring(L, tok, n);
  lua_rawget(L, names);
  if (lua_isnil(L, -1)) {
    lua_pushlstring(L, tok, n);
    lua_pushinteger(L, (lua_Integer)++*maxidx);
    lua_rawset(L, names);
  }
  lua_pop(L, 1);
  if (tok[0] == '$' && tok[1] >= '0' && tok[1] <= '9') {
    lua_rawgeti(L, rep, atoi(tok + 1));
  } else {
    lua_pushlstring(L, tok + 1, n - 1);
    lua_gettable(L, rep);
  }
}

/* The SQL text with every parameter turned into `?`s for its value (lists expanded) into
 * `out`; the values, in order, into the list at `vals`. Returns how many. */
static int expand_replacements(lua_State *L, sq_db *db, const char *sql, size_t len, int rep, int bind,
                               sq_buf *out, int vals) {
  size_t pos = 0, prev = 0, s, e;
  long long maxidx = 0, maxbind = 0, idx; /* (bind and replacements numbered apart) */
  int n = 0, names;
  char what[224];
  lua_newtable(L);
  names = lua_gettop(L);
  while (next_param(sql, len, &pos, &s, &e)) {
    int isbind = bind && (sql[s] == '$' || sql[s] == '@');
    sq_buf_add(out, sql + prev, s - prev);
    push_param_value(L, sql + s, e - s, isbind ? bind : rep, names, isbind ? &maxbind : &maxidx, &idx, what,
                     sizeof what);
    if (lua_isnil(L, -1)) {
      if (sql[s] == '?')
        usage(L, db, "Positional replacement (?) %lld has no entry in the replacement map (replacements[%lld] is nil).",
              idx, idx); /* (Sequelize counts from 0; a Lua list from 1) */
      if (isbind)
        usage(L, db, "Named bind parameter \"%s\" has no value in the given object.", what);
      usage(L, db, "Named replacement \"%s\" has no entry in the replacement map.", what);
    }
    emit_replacement(L, db, lua_gettop(L), out, vals, &n, 0, what);
    lua_pop(L, 1);
    prev = e;
  }
  sq_buf_add(out, sql + prev, len - prev);
  lua_pop(L, 1);
  return n;
}

/* A replacement's text or blob copied into the call's arena: the replacements table (or its
 * __index, or a logger that changes it) need not keep the string alive until the statement
 * is bound */
void keep_text(ctx *c, sq_value *v) {
  char *copy;
  if (v->kind != SQ_V_TEXT && v->kind != SQ_V_BLOB) return;
  copy = xalloc(c, v->u.s.n + 1);
  memcpy(copy, v->u.s.p, v->u.s.n);
  copy[v->u.s.n] = '\0';
  v->u.s.p = copy;
}

/* The call's positional replacements (c->rep, a list) as an sq_posrep in its arena, made on
 * first use: each replacement's placeholders and values (db:query's expansion of a list) */
static sq_posrep *call_posrep(ctx *c) {
  lua_State *L = c->L;
  sq_posrep *p;
  sq_positem *items;
  sq_buf *out;
  int n, i, vals, k, nv;
  char what[48];
  if (c->posrep) return c->posrep;
  n = (int)sq_rawlen(L, c->rep);
  p = xalloc(c, sizeof *p);
  items = xalloc(c, sizeof *items * (size_t)(n ? n : 1));
  out = lua_newuserdata(L, sizeof *out);
  sq_buf_init(out);
  luaL_getmetatable(L, QBUF_MT);
  lua_setmetatable(L, -2);
  for (i = 0; i < n; i++) {
    sq_value *v;
    lua_newtable(L);
    vals = lua_gettop(L);
    sq_buf_truncate(out, 0); /* (the NUL too: an item that writes nothing is "") */
    nv = 0;
    snprintf(what, sizeof what, "? (replacements[%d])", i + 1);
    lua_rawgeti(L, c->rep, i + 1);
    emit_replacement(L, c->db, lua_gettop(L), out, vals, &nv, 0, what);
    lua_pop(L, 1);
    if (out->oom) luaL_error(L, "out of memory");
    items[i].text = memcpy(xalloc(c, out->len + 1), sq_buf_cstr(out), out->len + 1);
    items[i].tlen = out->len;
    v = xalloc(c, sizeof *v * (size_t)(nv ? nv : 1));
    for (k = 0; k < nv; k++) {
      lua_rawgeti(L, vals, k + 1);
      to_db_plain(L, c->db, -1, &v[k], "replacement");
      keep_text(c, &v[k]);
      lua_pop(L, 1);
    }
    items[i].vals = v;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  p->items = items;
  p->n = n;
  c->posrep = p;
  return p;
}

/* Are all of a literal's parameters a bare `?`? */
static int only_positional(const char *text, size_t len) {
  size_t pos = 0, s, e;
  while (next_param(text, len, &pos, &s, &e))
    if (e - s != 1 || text[s] != '?') return 0;
  return 1;
}

/* A Sequelize.literal whose text has parameters: `?` and `:name` take the call's replacements
 * (c->rep), `$1`, `$name` and `@name` its bind (c->bind), each as db:query replaces them (a
 * list becomes `?, ?`), the values the literal's bound args. A parameter without its table is
 * refused: SQLite would bind it another condition's value (the builder's own `?`s are
 * positional). */
void sqb_literal_params(ctx *c, sq_expr *x) {
  lua_State *L = c->L;
  size_t pos = 0, s, e, len;
  sq_buf *out;
  int vals, n, k;
  char *text;
  if (c->bind && x->nlen) { /* (Sequelize's `$$` escape, with bind given) */
    char *u = xalloc(c, x->nlen + 1);
    size_t ulen = bind_unescape(x->name, x->nlen, u);
    if (ulen < x->nlen) {
      u[ulen] = '\0';
      x->name = u;
      x->nlen = ulen;
    }
  }
  if (!next_param(x->name, x->nlen, &pos, &s, &e)) return;
  pos = 0;
  while (next_param(x->name, x->nlen, &pos, &s, &e)) {
    int isbind = x->name[s] == '$' || x->name[s] == '@';
    if (isbind ? !c->bind : !c->rep)
      usage(L, c->db, "Sequelize.literal(\"%.*s\"): its parameter %.*s needs `%s` in the call's options "
            "(values are never written into the text)", (int)(x->nlen > 80 ? 80 : x->nlen), x->name,
            (int)(e - s > 40 ? 40 : e - s), x->name + s, isbind ? "bind" : "replacements");
  }
  if (c->rep && only_positional(x->name, x->nlen) && sq_rawlen(L, c->rep) > 0) {
    /* `?`s only, with a list: each takes the next replacement where the statement's text
     * reaches it, across all the call's literals (Sequelize counts through the whole SQL) */
    sq_posrep *p = call_posrep(c);
    pos = 0;
    n = 0;
    while (next_param(x->name, x->nlen, &pos, &s, &e)) n++;
    x->args = xalloc(c, sizeof *x->args * (size_t)n);
    pos = 0;
    while (next_param(x->name, x->nlen, &pos, &s, &e)) {
      sq_expr *v = new_expr(c, SQ_X_VALUE);
      v->pos = p;
      v->at = s;
      x->args[x->nargs++] = v;
    }
    return;
  }
  out = lua_newuserdata(L, sizeof *out);
  sq_buf_init(out);
  luaL_getmetatable(L, QBUF_MT);
  lua_setmetatable(L, -2);
  lua_newtable(L);
  vals = lua_gettop(L);
  n = expand_replacements(L, c->db, x->name, x->nlen, c->rep, c->bind, out, vals);
  if (out->oom) luaL_error(L, "out of memory");
  len = out->len;
  text = xalloc(c, len + 1);
  memcpy(text, sq_buf_cstr(out), len + 1);
  x->args = xalloc(c, sizeof *x->args * (size_t)(n ? n : 1));
  pos = 0;
  for (k = 0; k < n && next_param(text, len, &pos, &s, &e); k++) {
    sq_expr *v = new_expr(c, SQ_X_VALUE);
    lua_rawgeti(L, vals, k + 1);
    to_db_plain(L, c->db, -1, &v->v, "replacement");
    keep_text(c, &v->v);
    lua_pop(L, 1);
    v->at = s;
    x->args[x->nargs++] = v;
  }
  x->name = text;
  x->nlen = len;
  lua_pop(L, 2);
}

/* The call's replacements and bind (opts.replacements, opts.bind: a list or a map each) for
 * its literals' parameters: pushed, and their slots kept in c->rep and c->bind (left 0
 * without them) */
static int ctx_params(ctx *c, int opts, const char *key) {
  lua_State *L = c->L;
  lua_getfield(L, opts, key);
  if (no_params(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  if (!lua_istable(L, -1) || is_expr(L, -1))
    usage(L, c->db, "\"%s\" must be a table (a list or a map), but received a %s instead.", key,
          luaL_typename(L, -1));
  return lua_gettop(L);
}

void sqb_ctx_replacements(ctx *c, int opts) {
  if (!opts) return;
  c->rep = ctx_params(c, opts, "replacements");
  c->bind = ctx_params(c, opts, "bind");
}

/* What the values of the table at `rep` hold: 2 when one is a table (a list to expand), 1
 * when one is a value no parameter takes (a function, a thread, a userdata other than
 * Sequelize.null), else 0 */
static int replacement_values(lua_State *L, int rep) {
  int r = 0;
  lua_pushnil(L);
  while (lua_next(L, rep)) {
    int t = lua_type(L, -1);
    if (t == LUA_TTABLE) {
      lua_pop(L, 2);
      return 2;
    }
    if (t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TUSERDATA || (t == LUA_TLIGHTUSERDATA && !is_null(L, -1)))
      r = 1;
    lua_pop(L, 1);
  }
  return r;
}

/* The attribute of `m` that result column `name` fills: by column name first with
 * mapToModel (Sequelize's fieldAttributeMap), else by attribute name; -1 for none. */
static int query_attr(const sq_model *m, const char *name, int by_field) {
  int i;
  if (!name) return -1;
  if (by_field)
    for (i = 0; i < m->nattrs; i++)
      if (!strcmp(m->attrs[i]->field, name)) return i;
  for (i = 0; i < m->nattrs; i++)
    if (!strcmp(m->attrs[i]->name, name)) return i;
  return -1;
}

/* core.query(db, sql, opts [, how [, model [, mapToModel [, blobs]]]]) -> rows or nil, changes, lastID
 * how: QH_RUN steps the statement and reads no rows; QH_ROWS plain rows (NULL as
 * Sequelize.null), QH_NEST the same with dotted names nested (Sequelize's nest); QH_INSTANCES
 * instances of the model, read as findAll reads them (its columns typed, the others extra
 * keys). With a model, rows of the other kinds are typed by its attributes too. blobs (the
 * query interface's bulkInsert, positional replacements only): { [k] = true } for each
 * parameter whose string is bound as a blob (a column declared BLOB, as a model binds it). */
static int l_query(lua_State *L) {
  sq_db *db = check_db(L, 1);
  size_t len;
  const char *sql = luaL_checklstring(L, 2, &len);
  int opts = opts_index(L, 3), how = (int)luaL_optinteger(L, 4, QH_ROWS), modeli = 0, map = lua_toboolean(L, 6);
  int blobs = lua_istable(L, 7) ? 7 : 0;
  int rep = 0, isbind = 0, kinds, nparams, k, rc, vals = 0, nvals = 0;
  const sq_model *m = NULL;
  const char *tail;
  stmtbox *box;
  sq_stmt *st;
  logctx lg;
  if (how < QH_RUN || how > QH_INSTANCES) return luaL_argerror(L, 4, "unknown read");
  if (!lua_isnoneornil(L, 5)) {
    m = check_model(L, 5);
    modeli = 5;
  }
  if (how == QH_INSTANCES && !m) return luaL_argerror(L, 5, "instances need a model");
  lua_settop(L, 7);
  setup_log(L, db, &lg, 1, opts);
  /* (Sequelize's sequelize.query: a type not given is SELECT with a model, nest or plain) */
  lg.qtype = m || opt_bool(L, opts, "nest") || opt_bool(L, opts, "plain") ? "SELECT" : "RAW";
  if (!sq_v_is_utf8(sql, len)) return usage(L, db, "query: the SQL text is not valid UTF-8");
  if (opts) {
    int r, b;
    lua_getfield(L, opts, "replacements");
    r = lua_gettop(L);
    lua_getfield(L, opts, "bind");
    b = lua_gettop(L);
    if (no_params(L, r)) { lua_pushnil(L); lua_replace(L, r); } /* (null, false: none, as Sequelize's) */
    if (no_params(L, b)) { lua_pushnil(L); lua_replace(L, b); }
    if (!lua_isnil(L, r) && !lua_isnil(L, b))
      return usage(L, db, "Both `replacements` and `bind` cannot be set at the same time");
    if (!lua_isnil(L, r)) {
      if (!lua_istable(L, r))
        return usage(L, db, "\"replacements\" must be a table (a list or a map), but received a %s instead.",
                     luaL_typename(L, r));
      rep = r;
    } else if (!lua_isnil(L, b)) {
      if (!lua_istable(L, b))
        return usage(L, db, "\"bind\" must be a table (a list or a map), but received a %s instead.", luaL_typename(L, b));
      rep = b;
      isbind = 1;
    }
  }
  if (isbind && len) { /* `$$` is `$` (Sequelize's escape, with bind given) */
    char *u = lua_newuserdata(L, len);
    size_t ulen = bind_unescape(sql, len, u);
    if (ulen < len) {
      lua_pushlstring(L, u, ulen);
      sql = lua_tolstring(L, -1, &len); /* (kept on the stack) */
    }
  }
  if (rep && !isbind && unterminated_literal(sql, len)) {
    sq_err_set(db, SQ_E_USAGE, "The following SQL query includes an unterminated string literal:\n%.*s",
               (int)(len > 100000 ? 100000 : len), sql);
    return raise_db(L, db);
  }
  kinds = rep && !isbind ? replacement_values(L, rep) : 0;
  if (kinds == 1) {
    /* a value no parameter takes: raised, naming its parameter, as a list's item is, before
     * the statement is logged (expanded and thrown away: an entry the text does not name
     * stays unused) */
    sq_buf *chk = lua_newuserdata(L, sizeof *chk);
    sq_buf_init(chk);
    luaL_setmetatable(L, QBUF_MT);
    lua_newtable(L);
    expand_replacements(L, db, sql, len, rep, 0, chk, lua_gettop(L));
    sq_buf_free(chk);
    lua_pop(L, 2);
  } else if (kinds == 2) {
    /* a list among the replacements: the text rewritten with a `?` per value */
    sq_buf *out = lua_newuserdata(L, sizeof *out);
    sq_buf_init(out);
    luaL_setmetatable(L, QBUF_MT);
    lua_newtable(L);
    vals = lua_gettop(L);
    nvals = expand_replacements(L, db, sql, len, rep, 0, out, vals);
    if (out->oom) return usage(L, db, "query: out of memory");
    lua_pushlstring(L, out->p ? out->p : "", out->len);
    sq_buf_free(out);
    sql = lua_tolstring(L, -1, &len); /* (kept on the stack) */
  }
  box = lua_newuserdata(L, sizeof *box);
  box->st = NULL;
  luaL_setmetatable(L, STMT_MT);
  if (sq_db_log(db, sql, len)) return raise_db(L, db);
  rc = sq_conn_prepare(db->conn, sql, (int)len, &box->st, &tail);
  if (rc != SQ_DRV_OK) {
    sq_db_fail(db, sq_conn_errcode(db->conn), sql);
    return raise_db(L, db);
  }
  st = box->st;
  while (tail && tail < sql + len) { /* what follows may be comments only (SQLite prepares no statement) */
    sq_stmt *next = NULL;
    const char *after = NULL;
    int r;
    if (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';') { /* (the usual tail) */
      tail++;
      continue;
    }
    r = sq_conn_prepare(db->conn, tail, (int)(sql + len - tail), &next, &after);
    if (next) sq_stmt_finalize(next);
    if (r != SQ_DRV_OK || next || !after || after <= tail)
      return usage(L, db, "query: only one statement may be run at a time");
    tail = after;
  }
  if (!st) return usage(L, db, "query: empty statement");
  nparams = sq_param_count(st);
  if (vals) {
    int odd = nparams != nvals;
    for (k = 1; k <= nparams && !odd; k++) odd = sq_param_name(st, k) != NULL;
    if (odd)
      return usage(L, db, "query: the statement's parameters could not be matched to the replacements (%d found, %d "
                   "values)", nparams, nvals);
    for (k = 1; k <= nvals; k++) {
      sq_value v;
      lua_rawgeti(L, vals, k);
      to_db_plain(L, db, -1, &v, "query replacement");
      if (sq_db_bind(db, st, k, &v)) return raise_db(L, db);
      lua_pop(L, 1); /* (the list keeps the string bound) */
    }
  } else {
    for (k = 1; k <= nparams; k++) {
      const char *pname = sq_param_name(st, k);
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
        if (isbind && pname) return usage(L, db, "Named bind parameter \"%s\" has no value in the given object.", pname);
        if (pname && pname[0] != '?')
          return usage(L, db, "Named replacement \"%s\" has no entry in the replacement map.", pname);
        return usage(L, db, "Positional replacement (?) %d has no entry in the replacement map (replacements[%d] is nil).",
                     k, k);
      }
      if (lua_istable(L, -1)) /* (only bind gets here with a table: replacements expand lists) */
        return usage(L, db, "Invalid value for bind parameter %s: expected a string, number, boolean or Sequelize.null "
                     "(bind values are not expanded: a list goes in replacements)", pname ? pname : "?");
      to_db_plain(L, db, -1, &v, isbind ? "query bind parameter" : "query replacement");
      if (blobs && v.kind == SQ_V_TEXT && !pname) {
        lua_rawgeti(L, blobs, k);
        if (lua_toboolean(L, -1)) v.kind = SQ_V_BLOB;
        lua_pop(L, 1);
      }
      if (sq_db_bind(db, st, k, &v)) return raise_db(L, db);
      lua_pop(L, 1);
    }
    if (isbind) { /* a bind value the statement has no parameter for: SQLite's SQLITE_RANGE, as
                   * the driver binding each given value reports it (Sequelize) */
      int unused = 0;
      lua_pushnil(L);
      while (!unused && lua_next(L, rep)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TNUMBER) {
          lua_Number d = lua_tonumber(L, -1);
          unused = !(d >= 1 && d <= nparams);
        } else if (lua_type(L, -1) == LUA_TSTRING) {
          lua_pushliteral(L, "$");
          lua_pushvalue(L, -2);
          lua_concat(L, 2);
          unused = sq_param_index(st, lua_tostring(L, -1)) == 0;
          lua_pop(L, 1);
        }
      }
      if (unused) {
        lua_pop(L, 1); /* (the key) */
        rc = sq_bind_null(st, nparams + 1); /* (out of range: SQLite's own error and message) */
        sq_db_fail(db, rc == SQ_DRV_OK ? SQ_DRV_RANGE : rc, sql);
        return raise_db(L, db);
      }
    }
  }
  if (sq_db_log_flush(db, sql, len)) return raise_db(L, db);
  if (how == QH_RUN) {
    while ((rc = sq_stmt_step(st)) == SQ_STEP_ROW) {}
    if (rc != SQ_STEP_DONE) {
      sq_db_fail(db, sq_conn_errcode(db->conn), sql);
      return raise_db(L, db);
    }
    if (sq_db_ran(db)) return raise_db(L, db);
    lua_pushnil(L);
  } else {
    /* a select of the statement's columns: each an attribute of the model or an extra key
     * (read after the first step: when another connection changed the schema, SQLite
     * prepares the statement again there, and its columns are the new ones) */
    int rc0 = sq_stmt_step(st), ncols, fmap = 0;
    sq_select s;
    sq_selcol *cols;
    if (rc0 != SQ_STEP_ROW && rc0 != SQ_STEP_DONE) {
      sq_db_fail(db, sq_conn_errcode(db->conn), sql);
      return raise_db(L, db);
    }
    ncols = sq_col_count(st);
    cols = lua_newuserdata(L, sizeof *cols * (size_t)(ncols ? ncols : 1));
    memset(cols, 0, sizeof *cols * (size_t)(ncols ? ncols : 1));
    if (opts) { /* fieldMap = { column = "key" }: the rows' keys (Sequelize) */
      lua_getfield(L, opts, "fieldMap");
      if (lua_istable(L, -1)) fmap = lua_gettop(L);
      else if (!lua_isnil(L, -1)) return usage(L, db, "query: fieldMap must be a table of column = key names");
    }
    for (k = 0; k < ncols; k++) {
      const char *name = sq_col_name(st, k);
      if (!name) return usage(L, db, "query: out of memory");
      if (fmap) {
        /* raw (no __index), and the key stays on the stack until the rows are read */
        luaL_checkstack(L, 2, "too many columns");
        lua_pushstring(L, name);
        lua_rawget(L, fmap);
        if (lua_type(L, -1) == LUA_TSTRING) name = cols[k].as = lua_tostring(L, -1);
        else lua_pop(L, 1);
      }
      cols[k].attr = m ? query_attr(m, name, map && !cols[k].as) : -1;
    }
    memset(&s, 0, sizeof s);
    s.model = m;
    s.cols = cols;
    s.ncols = ncols;
    s.limit = s.offset = -1;
    s.getters_shown = 1;
    if (read_rows(L, db, st, &s, modeli, how == QH_INSTANCES ? 0 : how == QH_NEST ? 2 : 1, rc0)) return raise_db(L, db);
  }
  sq_stmt_finalize(st);
  box->st = NULL;
  lua_pushinteger(L, sq_conn_changes(db->conn));
  push_i64(L, sq_conn_last_id(db->conn));
  end_call(db, &lg);
  return 3;
}

static const luaL_Reg funcs[] = {
  {"collect", l_collect},
  {"gather", l_gather},
  {"attach", l_attach},
  {"join_one", l_join_one},
  {"join_one_raw", l_join_one_raw},
  {"drop_slots", l_drop_slots},
  {"expand_links", l_expand_links},
  {"select", l_select},
  {"find_pk", l_find_pk},
  {"count", l_count},
  {"aggregate", l_aggregate},
  {"query", l_query},
  {"member", l_member},
  {"migrate", l_migrate},
  {NULL, NULL}};

/* the module table on top: adds the functions, and registers the statement box's metatable */
void sqb_open_read(lua_State *L) {
  luaL_newmetatable(L, STMT_MT);
  lua_pushcfunction(L, stmt_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, QBUF_MT);
  lua_pushcfunction(L, qbuf_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
