/* fuzz_where.c: libFuzzer harness for the where compiler and the statement builders of the
 * C core (csrc/where.c, csrc/query.c), with no Lua in the way.
 *
 * Once: open an in-memory database, build a model in C (sq_model_new, sq_attr_new,
 * sq_model_add_attr, sq_model_finish) whose names need quoting (a backtick and quotes in the
 * model, table and column names), with a JSON column, and a through model (the one an n:m
 * getter joins, sq_select.thr), create their tables with sq_sync and add a few rows.
 *
 * Per input: decode the bytes into a small where tree (sq_where / sq_expr nodes in an arena,
 * at most MAX_DEPTH deep and MAX_NODES big) holding the invariants the binding guarantees
 * (BETWEEN has two values, NOT one child, FN names are identifiers, CAST types are type
 * names, json_extract paths are bound values...), then build a SELECT (with order, group,
 * having, limit, offset, and maybe the through model's join), an UPDATE, an
 * increment UPDATE, a DELETE (with and without a limit) and an INSERT, prepare each in
 * SQLite, bind and step the SELECT.
 *
 * Oracle. A tree is "safe" when it uses only model attributes, bound values, known SQLite
 * functions with the right number of arguments and known-good literals. For a safe tree every
 * builder must succeed, every statement must prepare, and the statement must have exactly as
 * many parameters as values were bound (a value written into the SQL text would break that,
 * or the parse). An unsafe tree (fuzzed column, alias and function names, an unknown operator)
 * may be refused by the builder (with a message) or by SQLite, but a quoted name must never
 * cause a syntax error, and a statement that prepares must still have the right parameter
 * count. Everything runs under ASan and UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../csrc/sq.h"
#include "../csrc/query.h"
#include "../csrc/dialect.h"

#define MAX_DEPTH 10
#define MAX_NODES 160
#define MAX_IN 6

#define CHECK(cond, ...)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "fuzz_where: check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                                                        \
      fprintf(stderr, "\n");                                                               \
      abort();                                                                             \
    }                                                                                      \
  } while (0)

static sq_db *db;
static sq_model *model;
static sq_model *through;       /* an n:m through model of `model` (a getter's join, sq_select.thr) */
static sq_assoc thr_assoc;
static const sq_attr *meta;     /* a JSON column holding JSON in every row (json_extract paths) */

/* ---- the model -------------------------------------------------------------- */

static void add_attr(sq_model *m, const char *name, const char *field, sq_type_kind kind, int pk) {
  sq_attr *a = sq_attr_new(name);
  CHECK(a != NULL, "sq_attr_new");
  a->field = strdup(field ? field : name);
  a->type.kind = kind;
  if (pk) {
    a->pk = 1;
    a->autoinc = 1;
    a->allow_null = 0;
  }
  CHECK(sq_model_add_attr(m, a) == 0, "sq_model_add_attr");
}

static void setup(void) {
  sq_err err;
  sq_model *list[2];
  char *msg = NULL;
  sq_err_init(&err);
  CHECK(sq_db_open(&db, ":memory:", 0, &err) == 0, "sq_db_open: %s", sq_buf_cstr(&err.msg));
  sq_err_free(&err);
  model = sq_model_new(db, "Us`er \"x\"");
  CHECK(model != NULL, "sq_model_new");
  add_attr(model, "id", NULL, SQ_T_INTEGER, 1);
  add_attr(model, "name", NULL, SQ_T_STRING, 0);
  add_attr(model, "score", NULL, SQ_T_FLOAT, 0);
  add_attr(model, "n", NULL, SQ_T_INTEGER, 0);
  add_attr(model, "data", NULL, SQ_T_BLOB, 0);
  add_attr(model, "flag", NULL, SQ_T_BOOLEAN, 0);
  add_attr(model, "we`ird", "we`ird \"col\" ; --", SQ_T_TEXT, 0);
  add_attr(model, "me`ta", "me`ta \"j\"", SQ_T_JSON, 0);
  meta = sq_model_attr(model, "me`ta", 5);
  CHECK(sq_model_set_names(model, NULL, 0, NULL, NULL) == 0, "sq_model_set_names");
  CHECK(sq_model_add_timestamps(model, "createdAt", "updatedAt") == 0, "sq_model_add_timestamps");
  CHECK(sq_model_finish(model) == 0, "sq_model_finish");
  CHECK(sq_db_add_model(db, model) == 0, "sq_db_add_model");
  /* the through model: its own key and column names, none shared with the model's */
  through = sq_model_new(db, "Th`r \"u\"");
  CHECK(through != NULL, "sq_model_new");
  add_attr(through, "tid", NULL, SQ_T_INTEGER, 1);
  add_attr(through, "us`er", "us`er \"id\"", SQ_T_INTEGER, 0);
  add_attr(through, "ta`rget", NULL, SQ_T_INTEGER, 0);
  add_attr(through, "ho`urs", NULL, SQ_T_INTEGER, 0);
  CHECK(sq_model_set_names(through, NULL, 0, NULL, NULL) == 0, "sq_model_set_names");
  CHECK(sq_model_finish(through) == 0, "sq_model_finish");
  CHECK(sq_db_add_model(db, through) == 0, "sq_db_add_model");
  thr_assoc.kind = SQ_BELONGS_TO_MANY;
  thr_assoc.target = model;
  thr_assoc.through = through;
  thr_assoc.fk = sq_model_attr(through, "us`er", 5);
  thr_assoc.other = sq_model_attr(through, "ta`rget", 7);
  thr_assoc.tkey = sq_model_attr(model, "id", 2);
  CHECK(thr_assoc.fk && thr_assoc.other && thr_assoc.tkey, "through keys");
  list[0] = model;
  list[1] = through;
  CHECK(sq_sync(db, list, 2, 1, 0) == 0, "sq_sync: %s", sq_buf_cstr(&db->err.msg));
  {
    sq_buf b;
    int i;
    sq_buf_init(&b);
    for (i = 0; i < 4; i++) {
      sq_buf_truncate(&b, 0);
      sq_buf_adds(&b, "INSERT INTO ");
      db->dialect->quote(&b, model->table, strlen(model->table));
      sq_buf_addf(&b, " (`name`, `score`, `n`, `data`, `flag`, `createdAt`, `updatedAt`, ");
      db->dialect->quote(&b, meta->field, strlen(meta->field));
      sq_buf_addf(&b, ") VALUES ('n%d', %d.5, %d, x'00ff', %d, '2020-01-01', '2020-01-01', "
                      "'{\"k\":%d,\"a\":[%d,\"x\"],\"n\":{\"d\":\"y%d\"},\"b\":%s}');",
                  i, i, i, i % 2, i, i, i, i % 2 ? "true" : "false");
      CHECK(sqlite3_exec(db->conn, sq_buf_cstr(&b), NULL, NULL, &msg) == SQLITE_OK, "insert: %s", msg);
      sq_buf_truncate(&b, 0);
      sq_buf_adds(&b, "INSERT INTO ");
      db->dialect->quote(&b, through->table, strlen(through->table));
      sq_buf_addf(&b, " (`us``er \"id\"`, `ta``rget`, `ho``urs`) VALUES (%d, %d, %d);", i % 2, i + 1, i * 3);
      CHECK(sqlite3_exec(db->conn, sq_buf_cstr(&b), NULL, NULL, &msg) == SQLITE_OK, "insert: %s", msg);
    }
    sq_buf_free(&b);
  }
}

/* ---- input decoding ---------------------------------------------------------- */

typedef struct rd {
  const uint8_t *p;
  size_t n, i;
  sq_arena *arena;
  int nodes;
  int unsafe;       /* fuzzed names or operators: the builder or SQLite may refuse */
  int fn_unsafe;    /* a fuzzed function name: may even be a keyword (a syntax error) */
  int literal_unsafe;
  int qualify;      /* may attribute references carry the table alias (SELECT only) */
  int nul_name;     /* a fuzzed identifier holds a NUL byte */
  int thr;          /* the SELECT joins the through model (references to its columns are fine) */
  int odd_col;      /* a fuzzed col path with more than 3 parts, or a `*` part */
} rd;

static unsigned u8(rd *r) { return r->i < r->n ? r->p[r->i++] : 0; }

static const char *bytes(rd *r, size_t *len) {
  size_t want = u8(r) % 24, avail = r->i < r->n ? r->n - r->i : 0;
  const char *s;
  if (want > avail) want = avail;
  s = sq_arena_strndup(r->arena, (const char *)r->p + r->i, want);
  r->i += want;
  *len = want;
  return s;
}

/* a fuzzed identifier: note a NUL byte in it */
static const char *name_bytes(rd *r, size_t *len) {
  const char *s = bytes(r, len);
  if (memchr(s, '\0', *len)) r->nul_name = 1;
  return s;
}

static void *alloc(rd *r, size_t n) {
  void *p = sq_arena_alloc(r->arena, n);
  CHECK(p != NULL, "arena");
  return p;
}

static sq_expr *new_expr(rd *r, sq_xkind k) {
  sq_expr *x = alloc(r, sizeof *x);
  x->kind = k;
  r->nodes++;
  return x;
}

static const sq_attr *pick_attr(rd *r) { return model->attrs[u8(r) % model->nattrs]; }

static sq_expr *attr_expr(rd *r) {
  sq_expr *x = new_expr(r, SQ_X_ATTR);
  x->attr = pick_attr(r);
  x->qual = (u8(r) & 1) && r->qualify ? model->name : NULL;
  return x;
}

static sq_expr *value_expr(rd *r) {
  sq_expr *x = new_expr(r, SQ_X_VALUE);
  switch (u8(r) % 5) {
    case 0: x->v.kind = SQ_V_NULL; break;
    case 1: {
      long long v = 0;
      int k;
      for (k = 0; k < 8; k++) v = (long long)((unsigned long long)v << 8 | u8(r));
      x->v.kind = SQ_V_INT;
      x->v.u.i = v;
      break;
    }
    case 2: {
      uint64_t bits = 0;
      int k;
      for (k = 0; k < 8; k++) bits = bits << 8 | u8(r);
      x->v.kind = SQ_V_REAL;
      memcpy(&x->v.u.d, &bits, 8);
      break;
    }
    case 3: x->v.kind = SQ_V_TEXT; x->v.u.s.p = bytes(r, &x->v.u.s.n); break;
    default: x->v.kind = SQ_V_BLOB; x->v.u.s.p = bytes(r, &x->v.u.s.n); break;
  }
  return x;
}

static sq_expr *gen_expr(rd *r, int depth);

/* Sequelize.fn: a known SQLite function with a valid argument count, or a fuzzed name. */
static sq_expr *fn_expr(rd *r, int depth) {
  static const struct { const char *name; int lo, hi; } fns[] = {
    {"lower", 1, 1}, {"upper", 1, 1}, {"length", 1, 1}, {"abs", 1, 1},
    {"coalesce", 2, 4}, {"ifnull", 2, 2}, {"typeof", 1, 1}, {"max", 2, 3}, {"substr", 2, 3},
  };
  sq_expr *x = new_expr(r, SQ_X_FN);
  unsigned pick = u8(r);
  int k, n;
  if (pick < 230) {
    pick %= sizeof fns / sizeof fns[0];
    x->name = fns[pick].name;
    x->nlen = strlen(x->name);
    n = fns[pick].lo + (int)(u8(r) % (unsigned)(fns[pick].hi - fns[pick].lo + 1));
  } else {
    x->name = name_bytes(r, &x->nlen);
    n = (int)(u8(r) % 3);
    r->unsafe = r->fn_unsafe = 1;
  }
  x->args = alloc(r, sizeof(sq_expr *) * (size_t)(n ? n : 1));
  x->nargs = n;
  for (k = 0; k < n; k++) x->args[k] = gen_expr(r, depth + 1);
  return x;
}

static sq_expr *gen_expr(rd *r, int depth) {
  unsigned k = u8(r) % 16;
  if (depth >= MAX_DEPTH || r->nodes >= MAX_NODES) k = k % 2 ? 0 : 6;
  switch (k) {
    case 0: case 1: case 2: return attr_expr(r);
    case 3: case 4: return fn_expr(r, depth);
    case 5: { /* Sequelize.col with a fuzzed (quoted) path */
      sq_expr *x = new_expr(r, SQ_X_COL);
      size_t j, dots = 0, start = 0;
      x->name = name_bytes(r, &x->nlen);
      r->unsafe = 1;
      for (j = 0; j <= x->nlen; j++) {
        if (j == x->nlen || x->name[j] == '.') {
          if (j - start == 1 && x->name[start] == '*') r->odd_col = 1;
          if (j < x->nlen) dots++;
          start = j + 1;
        }
      }
      if (dots > 2) r->odd_col = 1;
      return x;
    }
    case 7: { /* Sequelize.col naming a real column, qualified or not */
      sq_expr *x = new_expr(r, SQ_X_COL);
      const sq_attr *a = pick_attr(r);
      sq_buf b;
      sq_buf_init(&b);
      if ((u8(r) & 1) && r->qualify) { sq_buf_adds(&b, model->name); sq_buf_addc(&b, '.'); }
      sq_buf_adds(&b, a->field);
      /* a dot in a name splits it: only names without one are safe here */
      if (strchr(model->name, '.') || strchr(a->field, '.')) r->unsafe = 1;
      x->name = sq_arena_strndup(r->arena, sq_buf_cstr(&b), b.len);
      x->nlen = b.len;
      sq_buf_free(&b);
      return x;
    }
    case 8: { /* an alias that does not exist */
      sq_expr *x = new_expr(r, SQ_X_ALIAS);
      x->name = name_bytes(r, &x->nlen);
      r->unsafe = 1;
      return x;
    }
    case 9: { /* a literal: a known-good one, or (rarely) fuzzed SQL with no oracle */
      static const char *const good[] = {"1", "0", "NULL", "`id` + 1", "'lit''eral'", "(SELECT 1)"};
      sq_expr *x = new_expr(r, SQ_X_LITERAL);
      unsigned pick = u8(r);
      if (pick < 250) {
        x->name = good[pick % 6];
        x->nlen = strlen(x->name);
      } else {
        x->name = bytes(r, &x->nlen);
        r->unsafe = r->literal_unsafe = 1;
      }
      return x;
    }
    case 10: { /* Sequelize.cast: a known type, or (rarely) fuzzed type text */
      static const char *const types[] = {"TEXT", "INTEGER", "REAL", "NUMERIC", "BLOB", "DECIMAL(10,2)",
                                          "DOUBLE PRECISION", "VARCHAR(3)"};
      sq_expr *x = new_expr(r, SQ_X_CAST);
      unsigned pick = u8(r);
      if (pick < 240) {
        x->name = types[pick % 8];
        x->nlen = strlen(x->name);
      } else { /* refused unless a type name; a keyword as one reads as a syntax error */
        x->name = name_bytes(r, &x->nlen);
        r->unsafe = r->fn_unsafe = 1;
      }
      x->args = alloc(r, sizeof(sq_expr *));
      x->nargs = 1;
      x->args[0] = gen_expr(r, depth + 1);
      return x;
    }
    case 11: { /* a JSON column by path (`meta.a.b` where keys): json_extract(col, ?path), maybe cast */
      static const char *const paths[] = {"$.k", "$.a[0]", "$.a[1]", "$.n.d", "$.n", "$.b", "$.no pe", "$.o'k",
                                          "$[0]"};
      static const char *const casts[] = {"DOUBLE PRECISION", "BOOLEAN", "INTEGER", "TEXT", "DATETIME", "JSONB"};
      sq_expr *x = new_expr(r, SQ_X_FN), *p;
      unsigned pick = u8(r);
      x->name = "json_extract";
      x->nlen = 12;
      x->args = alloc(r, sizeof(sq_expr *) * 2);
      x->nargs = 2;
      x->args[0] = new_expr(r, SQ_X_ATTR);
      x->args[0]->attr = meta;
      x->args[0]->qual = (pick & 1) && r->qualify ? model->name : NULL;
      p = x->args[1] = new_expr(r, SQ_X_VALUE);
      p->v.kind = SQ_V_TEXT;
      if (pick < 240) {
        p->v.u.s.p = paths[(pick >> 1) % 9];
        p->v.u.s.n = strlen(p->v.u.s.p);
      } else { /* a bad path fails when the statement runs, not when it is built */
        p->v.u.s.p = bytes(r, &p->v.u.s.n);
        r->unsafe = 1;
      }
      if (u8(r) & 1) {
        sq_expr *k = new_expr(r, SQ_X_CAST);
        k->name = casts[u8(r) % 6];
        k->nlen = strlen(k->name);
        k->args = alloc(r, sizeof(sq_expr *));
        k->args[0] = x;
        k->nargs = 1;
        return k;
      }
      return x;
    }
    case 12: { /* a column of the through model (`$Through.col$` in an n:m getter) */
      sq_expr *x = new_expr(r, SQ_X_ATTR);
      x->attr = through->attrs[u8(r) % through->nattrs];
      x->qual = through->name;
      if (!r->thr) r->unsafe = 1; /* not joined: no such column */
      return x;
    }
    default: return value_expr(r);
  }
}

static sq_where *gen_where(rd *r, int depth);

static sq_where *new_node(rd *r, sq_wkind k, int nkids) {
  sq_where *w = alloc(r, sizeof *w);
  w->kind = k;
  if (nkids) w->kids = alloc(r, sizeof(sq_where *) * (size_t)nkids);
  r->nodes++;
  return w;
}

static sq_where *gen_cmp(rd *r, int depth) {
  sq_where *w = new_node(r, SQ_W_CMP, 0);
  unsigned op = u8(r) % (SQ_OP_COUNT + 1);
  int k, n;
  w->lhs = gen_expr(r, depth + 1);
  if (op == SQ_OP_AND || op == SQ_OP_OR || op == SQ_OP_NOTTREE || op >= SQ_OP_COUNT) r->unsafe = 1;
  w->op = (sq_op)op;
  if (op == SQ_OP_BETWEEN || op == SQ_OP_NOTBETWEEN) n = 2;
  else if (op == SQ_OP_IN || op == SQ_OP_NOTIN) n = (int)(u8(r) % (MAX_IN + 1));
  else n = 1;
  w->rhs = alloc(r, sizeof(sq_expr *) * (size_t)(n ? n : 1));
  for (k = 0; k < n; k++) w->rhs[k] = (u8(r) % 4) ? value_expr(r) : gen_expr(r, depth + 1);
  w->nrhs = n;
  return w;
}

static sq_where *gen_where(rd *r, int depth) {
  unsigned k = u8(r) % 8;
  if (depth >= MAX_DEPTH || r->nodes >= MAX_NODES) k = 4;
  switch (k) {
    case 0: case 1: { /* AND / OR of 0..3 */
      int n = (int)(u8(r) % 4), i;
      sq_where *w = new_node(r, k == 0 ? SQ_W_AND : SQ_W_OR, n);
      for (i = 0; i < n; i++) w->kids[w->nkids++] = gen_where(r, depth + 1);
      return w;
    }
    case 2: { /* NOT of one */
      sq_where *w = new_node(r, SQ_W_NOT, 1);
      w->kids[w->nkids++] = gen_where(r, depth + 1);
      return w;
    }
    case 3: { /* a literal condition */
      sq_where *w = new_node(r, SQ_W_EXPR, 0);
      static const char *const conds[] = {"1 = 1", "`id` > 0", "0"};
      sq_expr *x = new_expr(r, SQ_X_LITERAL);
      x->name = conds[u8(r) % 3];
      x->nlen = strlen(x->name);
      w->expr = x;
      return w;
    }
    default: return gen_cmp(r, depth);
  }
}

/* ---- checks ------------------------------------------------------------------ */

static int allowed_failure(const rd *r, const char *msg) {
  if (!r->unsafe) return 0;
  if (r->literal_unsafe) return 1;   /* the caller's own SQL: anything may happen */
  if (strstr(msg, "no such column") || strstr(msg, "no such function") ||
      strstr(msg, "wrong number of arguments") || strstr(msg, "ambiguous column") ||
      strstr(msg, "misuse of aggregate") || strstr(msg, "unknown operator") ||
      strstr(msg, "invalid function name") || strstr(msg, "invalid type") || strstr(msg, "no such table") ||
      strstr(msg, "Expression tree is too large") || strstr(msg, "parser stack overflow") ||
      strstr(msg, "too many SQL variables") || strstr(msg, "unsupported use of NULLS") ||
      strstr(msg, "a GROUP BY clause is required"))
    return 1;
  /* KNOWN: a NUL inside a quoted identifier ends the SQL text early (SQLite stops at the
   * first NUL): always an error (the identifier is left open), never a different statement.
   * The core could refuse such names itself. */
  if (r->nul_name && (strstr(msg, "unrecognized token") || strstr(msg, "syntax error") ||
                      strstr(msg, "incomplete input")))
    return 1;
  /* Sequelize.col("a.b.c.d") or col("t.*") inside a condition: SQLite names have at most
   * three parts, and `*` is no operand (as with Sequelize, which quotes them the same way) */
  if (r->odd_col && strstr(msg, "syntax error")) return 1;
  /* a keyword used as a function name reads as a syntax error */
  if (r->fn_unsafe && (strstr(msg, "syntax error") || strstr(msg, "incomplete input"))) return 1;
  return 0;
}

/* Prepare `sql`; if it prepares, its parameter count must equal the values bound. For a
 * SELECT, bind and step it through. */
static void try_sql(rd *r, const char *what, int rc, sq_buf *sql, sq_binds *binds, int step) {
  sqlite3_stmt *st = NULL;
  int prc;
  if (rc != 0) {
    const char *msg = sq_buf_cstr(&db->err.msg);
    CHECK(db->err.kind != SQ_OK, "%s: the builder failed without an error", what);
    CHECK(allowed_failure(r, msg) || db->err.kind == SQ_E_OOM, "%s: the builder refused a safe tree: %s", what, msg);
    return;
  }
  CHECK(!sql->oom, "%s: buffer oom", what);
  prc = sqlite3_prepare_v2(db->conn, sq_buf_cstr(sql), (int)sql->len, &st, NULL);
  if (prc != SQLITE_OK) {
    const char *msg = sqlite3_errmsg(db->conn);
    CHECK(allowed_failure(r, msg), "%s does not prepare (%s):\n%s", what, msg, sq_buf_cstr(sql));
    sqlite3_finalize(st);
    return;
  }
  CHECK(st != NULL, "%s: empty statement", what);
  /* (a fuzzed Sequelize.literal is the caller's own SQL: it may hold parameters itself) */
  CHECK(r->literal_unsafe || sqlite3_bind_parameter_count(st) == binds->n, "%s: %d parameters in the text, %d values bound:\n%s", what,
        sqlite3_bind_parameter_count(st), binds->n, sq_buf_cstr(sql));
  if (step) {
    int s, rows = 0;
    if (sq_bind_all(db, st, binds) != 0) {
      CHECK(r->literal_unsafe, "%s: bind failed: %s", what, sq_buf_cstr(&db->err.msg));
      sqlite3_finalize(st);
      return;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW && rows < 100) rows++;
    if (!r->unsafe && s != SQLITE_ROW && s != SQLITE_DONE) {
      const char *msg = sqlite3_errmsg(db->conn);
      /* a run-time error in a function on fuzzed values is fine; nothing else is */
      CHECK(strstr(msg, "integer overflow") || strstr(msg, "out of memory") || strstr(msg, "too big") ||
                strstr(msg, "interrupted"),
            "%s fails to run (%s):\n%s", what, msg, sq_buf_cstr(sql));
    }
  }
  sqlite3_finalize(st);
}

/* The where as a partial index's (the bind list in literal mode: DDL takes no parameters).
 * The builder may refuse a value with no literal form (NaN, infinity, text with a NUL byte
 * or not UTF-8); otherwise the CREATE INDEX must be one statement without parameters that
 * prepares, unless the tree is unsafe or SQLite refuses what a partial index may not hold. */
static void try_index(rd *r, const sq_where *w, sq_arena *arena) {
  sq_buf wb, sql;
  sq_binds binds;
  sq_index_col col;
  sq_index ix;
  sqlite3_stmt *st = NULL;
  const char *tail = NULL;
  int rc, prc;
  sq_buf_init(&wb);
  sq_buf_init(&sql);
  sq_binds_init(&binds, arena);
  binds.literal = 1;
  rc = sq_where_is_empty(w) ? 0 : sq_sql_condition(db, &wb, &binds, w);
  if (rc) {
    const char *msg = sq_buf_cstr(&db->err.msg);
    CHECK(strstr(msg, "conflictWhere) cannot hold this value") || allowed_failure(r, msg) ||
              db->err.kind == SQ_E_OOM, "index where: the builder refused a safe tree: %s", msg);
    goto done;
  }
  CHECK(binds.n == 0 && !wb.oom, "index where: %d values bound in literal mode", binds.n);
  memset(&col, 0, sizeof col); /* (sql NULL: a column, not an expression) */
  col.column = model->attrs[1]->field;
  col.collate = "NOCASE";
  col.dir = SQ_IX_DESC;
  memset(&ix, 0, sizeof ix);
  ix.table = model->table;
  ix.name = "fu`zz";
  ix.cols = &col;
  ix.ncols = 1;
  ix.where = sq_where_is_empty(w) ? NULL : sq_buf_cstr(&wb);
  db->dialect->create_index(&sql, &ix);
  CHECK(!sql.oom, "index: buffer oom");
  prc = sqlite3_prepare_v2(db->conn, sq_buf_cstr(&sql), (int)sql.len, &st, &tail);
  if (prc != SQLITE_OK) {
    const char *msg = sqlite3_errmsg(db->conn);
    CHECK(allowed_failure(r, msg) || strstr(msg, "prohibited in partial index"), "CREATE INDEX does not prepare (%s):\n%s",
          msg, sq_buf_cstr(&sql));
    goto done;
  }
  CHECK(st != NULL, "CREATE INDEX: empty statement");
  CHECK(r->literal_unsafe || sqlite3_bind_parameter_count(st) == 0, "CREATE INDEX has parameters:\n%s",
        sq_buf_cstr(&sql));
  CHECK(r->literal_unsafe || r->nul_name || tail == sq_buf_cstr(&sql) + sql.len,
        "CREATE INDEX is more than one statement:\n%s", sq_buf_cstr(&sql));
done:
  sqlite3_finalize(st);
  sq_buf_free(&wb);
  sq_buf_free(&sql);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const dirs[] = {NULL, "ASC", "DESC", "ASC NULLS FIRST", "DESC NULLS LAST", "NULLS FIRST"};
  sq_arena arena;
  sq_binds binds;
  sq_buf sql;
  rd r;
  sq_select s;
  sq_where *w;
  int i, rc, n;
  sq_value *values;
  unsigned char *present;

  if (!db) setup();
  sq_arena_init(&arena, NULL, 0);
  memset(&r, 0, sizeof r);
  r.p = data;
  r.n = size;
  r.arena = &arena;
  sq_buf_init(&sql);

  r.qualify = 1;
  r.thr = u8(&r) % 4 == 0;
  w = gen_where(&r, 0);

  /* SELECT */
  memset(&s, 0, sizeof s);
  s.model = model;
  s.alias = model->name;
  s.qualify = 1;
  s.ncols = model->nattrs;
  s.cols = alloc(&r, sizeof(sq_selcol) * (size_t)model->nattrs);
  for (i = 0; i < model->nattrs; i++) {
    sq_expr *x = new_expr(&r, SQ_X_ATTR);
    x->attr = model->attrs[i];
    x->qual = model->name;
    s.cols[i].expr = x;
    s.cols[i].attr = i;
    s.cols[i].as = (u8(&r) % 8 == 0) ? "al`ias \"x\"" : NULL;
  }
  s.where = (u8(&r) % 8) ? w : NULL;
  s.norder = (int)(u8(&r) % 3);
  s.order = alloc(&r, sizeof(sq_order) * 3);
  for (i = 0; i < s.norder; i++) {
    s.order[i].expr = (u8(&r) % 4) ? attr_expr(&r) : gen_expr(&r, MAX_DEPTH - 2);
    /* a literal number in ORDER BY is a column position: the caller's SQL, no oracle */
    if (s.order[i].expr->kind == SQ_X_LITERAL) r.unsafe = r.literal_unsafe = 1;
    s.order[i].dir = dirs[u8(&r) % 6];
  }
  if (u8(&r) % 4 == 0) {
    s.ngroup = 1;
    s.group = alloc(&r, sizeof(sq_expr *));
    s.group[0] = attr_expr(&r);
    if (u8(&r) & 1) s.having = gen_where(&r, MAX_DEPTH - 3);
  }
  s.limit = (u8(&r) % 3) ? -1 : (long long)u8(&r);
  s.offset = (u8(&r) % 3) ? 0 : (long long)u8(&r);
  if (r.thr) { /* an n:m getter's read: INNER JOIN through ON through.other = id AND through.fk = ? */
    s.thr = &thr_assoc;
    s.thr_key = value_expr(&r)->v;
  }
  sq_binds_init(&binds, &arena);
  rc = sq_sql_select(db, &sql, &binds, &s);
  try_sql(&r, "SELECT", rc, &sql, &binds, 1);

  /* UPDATE, increment, DELETE, INSERT: the same bytes decoded again, without table aliases
   * (the binding never qualifies columns outside a SELECT) */
  {
    size_t at = r.i;
    r.i = 0;
    r.nodes = 0;
    r.unsafe = r.fn_unsafe = r.literal_unsafe = r.nul_name = r.odd_col = 0;
    r.qualify = 0;
    r.thr = 0; /* (UPDATE and DELETE join nothing) */
    (void)u8(&r); /* the byte the SELECT's join took */
    w = gen_where(&r, 0);
    r.i = at;
  }
  values = alloc(&r, sizeof(sq_value) * (size_t)model->nattrs);
  present = alloc(&r, (size_t)model->nattrs);
  n = 0;
  for (i = 0; i < model->nattrs; i++) {
    present[i] = (unsigned char)(!model->attrs[i]->pk && (u8(&r) & 1));
    n += present[i];
    values[i] = value_expr(&r)->v;
  }
  if (n == 0) present[model->nattrs - 1] = 1; /* the binding never builds an empty SET */

  sq_buf_truncate(&sql, 0);
  sq_binds_init(&binds, &arena);
  rc = sq_sql_update(db, &sql, &binds, model, values, present, w, NULL, -1);
  try_sql(&r, "UPDATE", rc, &sql, &binds, 0);

  sq_buf_truncate(&sql, 0);
  sq_binds_init(&binds, &arena);
  rc = sq_sql_increment(db, &sql, &binds, model, values, NULL, 0, present, values, present, w);
  try_sql(&r, "increment", rc, &sql, &binds, 0);

  sq_buf_truncate(&sql, 0);
  sq_binds_init(&binds, &arena);
  rc = sq_sql_delete(db, &sql, &binds, model, w, (long long)(u8(&r) % 3));
  try_sql(&r, "DELETE", rc, &sql, &binds, 0);

  try_index(&r, w, &arena);

  sq_buf_truncate(&sql, 0);
  sq_binds_init(&binds, &arena);
  {
    /* a multi-row INSERT (bulkCreate's batches): the first row's values, then more */
    int nrows = 1 + (int)(u8(&r) % 3), k;
    sq_value *rows = alloc(&r, sizeof(sq_value) * (size_t)model->nattrs * (size_t)nrows);
    for (i = 0; i < model->nattrs; i++) rows[i] = values[i];
    for (k = 1; k < nrows; k++)
      for (i = 0; i < model->nattrs; i++) rows[(size_t)k * (size_t)model->nattrs + (size_t)i] = value_expr(&r)->v;
    rc = sq_sql_insert(db, &sql, &binds, model, rows, present, nrows, NULL);
    try_sql(&r, "INSERT", rc, &sql, &binds, 0);
  }

  sq_buf_free(&sql);
  sq_arena_destroy(&arena);
  sq_err_clear(&db->err);
  return 0;
}
