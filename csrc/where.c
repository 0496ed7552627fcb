/* where.c: the where compiler. Turns a where tree (built by the binding from a Lua
 * table with Op keys) and the expressions inside it into SQL text, pushing every
 * value onto the bind list: no value is ever written into the text, except in a bind
 * list's literal mode (DDL, which takes no parameters: a partial index's WHERE; and
 * bulkCreate's conflictWhere, the ON CONFLICT target's WHERE, which SQLite matches with a
 * partial index by its text), where the dialect writes each value as an escaped SQL literal. Identifiers go through the
 * dialect's quoting; function names must be plain identifiers. */
#include "query.h"
#include "dialect.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

void sq_binds_init(sq_binds *b, sq_arena *a) {
  b->v = NULL;
  b->n = b->cap = 0;
  b->arena = a;
  b->literal = 0;
  b->posnext = 0;
}

int sq_binds_push(sq_binds *b, const sq_value *v) {
  if (b->n == b->cap) {
    int c = b->cap ? b->cap * 2 : 8;
    sq_value *p = sq_arena_alloc(b->arena, (size_t)c * sizeof *p);
    if (!p) return -1;
    if (b->n) memcpy(p, b->v, (size_t)b->n * sizeof *p);
    b->v = p;
    b->cap = c;
  }
  b->v[b->n++] = *v;
  return 0;
}

int sq_bind_all(sq_db *db, sq_stmt *st, const sq_binds *binds) {
  int i;
  for (i = 0; i < binds->n; i++)
    if (sq_db_bind(db, st, i + 1, &binds->v[i])) return -1;
  return 0;
}

static int push_value(sq_db *db, sq_buf *out, sq_binds *binds, const sq_value *v) {
  if (binds->literal) {
    const char *why = db->dialect->literal(out, v);
    if (why) return sq_err_set(db, SQ_E_USAGE, "a where written into its statement (an index's, a constraint's, "
                               "bulkCreate's conflictWhere) cannot hold this value (%s): the statement takes no "
                               "parameters there, so each value is written into its text", why);
    return 0;
  }
  if (sq_binds_push(binds, v)) return sq_err_oom(db);
  db->dialect->placeholder(out, binds->n);
  return 0;
}

static int valid_fn_name(const char *s, size_t n) {
  size_t i;
  if (n > 64) return 0; /* (an empty name: the arguments in parentheses, as Sequelize writes fn('', x)) */
  for (i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          (i > 0 && c >= '0' && c <= '9')))
      return 0;
  }
  return 1;
}

static int is_word_char(char c, int first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
}

static size_t skip_digits(const char *s, size_t i, size_t n) {
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  return i;
}

/* A CAST type: words (letters, digits, _; not starting with a digit) separated by single
 * spaces, then optionally (n) or (n,m): "TEXT", "DOUBLE PRECISION", "DECIMAL(10,2)" */
static int valid_cast_type(const char *s, size_t n) {
  size_t i = 0, j;
  if (n == 0 || n > 64) return 0;
  for (;;) {
    if (i >= n || !is_word_char(s[i], 1)) return 0;
    while (i < n && is_word_char(s[i], 0)) i++;
    if (i == n) return 1;
    if (s[i] != ' ' || i + 1 >= n || s[i + 1] == '(') break;
    i++;
  }
  if (s[i] == ' ') i++;
  if (i >= n || s[i] != '(') return 0;
  i++;
  j = skip_digits(s, i, n);
  if (j == i) return 0;
  i = j;
  if (i < n && s[i] == ',') {
    i++;
    if (i < n && s[i] == ' ') i++;
    j = skip_digits(s, i, n);
    if (j == i) return 0;
    i = j;
  }
  return i + 1 == n && s[i] == ')';
}

/* "(arg, arg, ...)": a function's arguments, a row value */
static int args_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_expr *x) {
  int i;
  sq_buf_addc(out, '(');
  for (i = 0; i < x->nargs; i++) {
    if (i) sq_buf_adds(out, ", ");
    if (sq_sql_expr(db, out, binds, x->args[i])) return -1;
  }
  sq_buf_addc(out, ')');
  return 0;
}

static int where_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w, int top);

/* The next positional replacement of the statement whose values go to `binds` (sq_posrep) */
static int posrep_sql(sq_db *db, sq_buf *out, sq_binds *binds, sq_posrep *p) {
  const sq_positem *it;
  size_t i;
  int j = 0;
  if (binds->posnext >= p->n) /* (Sequelize's message; a Lua list counts from 1) */
    return sq_err_set(db, SQ_E_USAGE,
                      "Positional replacement (?) %d has no entry in the replacement map (replacements[%d] is nil).",
                      binds->posnext + 1, binds->posnext + 1);
  it = &p->items[binds->posnext++];
  for (i = 0; i < it->tlen; i++) {
    if (it->text[i] != '?') {
      sq_buf_addc(out, it->text[i]);
    } else if (push_value(db, out, binds, &it->vals[j++])) {
      return -1;
    }
  }
  return 0;
}

/* A literal's text with its bound values (Sequelize.literal("a = :a") with replacements) in
 * their places */
static int literal_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_expr *x) {
  size_t from = 0;
  int k;
  for (k = 0; k < x->nargs; k++) {
    const sq_expr *a = x->args[k];
    sq_buf_add(out, x->name + from, a->at - from);
    if (a->pos ? posrep_sql(db, out, binds, a->pos) : push_value(db, out, binds, &a->v)) return -1;
    from = a->at + 1;
  }
  sq_buf_add(out, x->name + from, x->nlen - from);
  return 0;
}

int sq_sql_expr(sq_db *db, sq_buf *out, sq_binds *binds, const sq_expr *x) {
  const sq_dialect *d = db->dialect;
  switch (x->kind) {
    case SQ_X_VALUE: return push_value(db, out, binds, &x->v);
    case SQ_X_ATTR:
      if (x->qual) {
        d->quote(out, x->qual, strlen(x->qual));
        sq_buf_addc(out, '.');
      }
      d->quote(out, x->attr->field, strlen(x->attr->field));
      return 0;
    case SQ_X_ALIAS: d->quote(out, x->name, x->nlen); return 0;
    case SQ_X_COL: {
      size_t start = 0, j;
      if (x->nlen == 1 && x->name[0] == '*') { sq_buf_addc(out, '*'); return 0; }
      for (j = 0; j <= x->nlen; j++) {
        if (j == x->nlen || x->name[j] == '.') {
          if (start) sq_buf_addc(out, '.');
          if (j - start == 1 && x->name[start] == '*') sq_buf_addc(out, '*');
          else d->quote(out, x->name + start, j - start);
          start = j + 1;
        }
      }
      return 0;
    }
    case SQ_X_FN:
      if (!valid_fn_name(x->name, x->nlen))
        return sq_err_set(db, SQ_E_USAGE, "Sequelize.fn: invalid function name '%.*s' (expected an identifier)",
                          (int)(x->nlen > 64 ? 64 : x->nlen), x->name);
      sq_buf_add(out, x->name, x->nlen);
      return args_sql(db, out, binds, x);
    case SQ_X_LITERAL: return literal_sql(db, out, binds, x);
    case SQ_X_STAR: sq_buf_addc(out, '*'); return 0;
    case SQ_X_DISTINCT:
      sq_buf_adds(out, "DISTINCT(");
      if (x->nargs && sq_sql_expr(db, out, binds, x->args[0])) return -1;
      sq_buf_addc(out, ')');
      return 0;
    case SQ_X_ROW: return args_sql(db, out, binds, x);
    case SQ_X_JSON:
      if (x->nargs != 2 || x->args[1]->kind != SQ_X_VALUE)
        return sq_err_set(db, SQ_E_USAGE, "a JSON path needs a column and a bound path");
      sq_buf_adds(out, d->json_extract[0]);
      if (sq_sql_expr(db, out, binds, x->args[0])) return -1;
      sq_buf_adds(out, d->json_extract[1]);
      if (sq_sql_expr(db, out, binds, x->args[1])) return -1;
      sq_buf_adds(out, d->json_extract[2]);
      return 0;
    case SQ_X_COND: return where_sql(db, out, binds, x->cond, 0);
    case SQ_X_CAST:
      if (!valid_cast_type(x->name, x->nlen))
        return sq_err_set(db, SQ_E_USAGE, "Sequelize.cast: invalid type '%.*s' (expected a type name such as TEXT, "
                          "INTEGER or DECIMAL(10,2))", (int)(x->nlen > 64 ? 64 : x->nlen), x->name);
      if (x->nargs != 1) return sq_err_set(db, SQ_E_USAGE, "Sequelize.cast needs a value");
      sq_buf_adds(out, "CAST(");
      if (sq_sql_expr(db, out, binds, x->args[0])) return -1;
      sq_buf_adds(out, " AS ");
      sq_buf_add(out, x->name, x->nlen);
      sq_buf_addc(out, ')');
      return 0;
  }
  return sq_err_set(db, SQ_E_USAGE, "unknown expression");
}

static int is_null(const sq_expr *x) { return x->kind == SQ_X_VALUE && x->v.kind == SQ_V_NULL; }

/* `value .. suffix` or `prefix .. value` as one bound text value; a number as JavaScript's
 * String(n) writes it (Sequelize: `'0.1%'`, never `0.10000000000000001%`). A column or function
 * (Sequelize.col("tag")) is joined to the bound %s by the dialect's concatenation,
 * `(? || `t`.`tag` || ?)`, so it stays a prefix / suffix / substring test (a literal arrives
 * here as its text, a value, as Sequelize 6 reads it). */
static int push_affixed(sq_db *db, sq_buf *out, sq_binds *binds, const sq_expr *x, int pre, int post) {
  const sq_dialect *d = db->dialect;
  sq_value v;
  char *p;
  size_t n;
  if (x->kind != SQ_X_VALUE) {
    sq_value pct;
    pct.kind = SQ_V_TEXT;
    pct.u.s.p = "%";
    pct.u.s.n = 1;
    sq_buf_adds(out, d->concat[0]);
    if (pre) {
      if (push_value(db, out, binds, &pct)) return -1;
      sq_buf_adds(out, d->concat[1]);
    }
    if (sq_sql_expr(db, out, binds, x)) return -1;
    if (post) {
      sq_buf_adds(out, d->concat[1]);
      if (push_value(db, out, binds, &pct)) return -1;
    }
    sq_buf_adds(out, d->concat[2]);
    return 0;
  }
  if (x->v.kind != SQ_V_TEXT && x->v.kind != SQ_V_INT && x->v.kind != SQ_V_REAL) return sq_sql_expr(db, out, binds, x);
  if (x->v.kind == SQ_V_TEXT) {
    n = x->v.u.s.n;
    p = sq_arena_alloc(binds->arena, n + 3);
    if (!p) return sq_err_oom(db);
    memcpy(p + pre, x->v.u.s.p, n);
  } else {
    char tmp[64];
    if (x->v.kind == SQ_V_INT) {
      n = (size_t)snprintf(tmp, sizeof tmp, "%lld", x->v.u.i);
    } else {
      char js[SQ_JSON_NUMBER_MAX + 1];
      n = sq_json_format_number(x->v.u.d, js);
      memcpy(tmp, js, n);
    }
    p = sq_arena_alloc(binds->arena, n + 3);
    if (!p) return sq_err_oom(db);
    memcpy(p + pre, tmp, n);
  }
  if (pre) p[0] = '%';
  if (post) p[pre + n] = '%';
  v.kind = SQ_V_TEXT;
  v.u.s.p = p;
  v.u.s.n = n + (size_t)pre + (size_t)post;
  return push_value(db, out, binds, &v);
}

/* An IN list longer than this is bound as one JSON array (the dialect's in_list) when every
 * item is an integer, NULL or a text without NUL bytes (what JSON gives back as it was; a
 * float might not read back to the same double, and SQLite's json_each cuts a text at
 * \u0000): one value each would fail past SQLite's SQLITE_LIMIT_VARIABLE_NUMBER (250000 in
 * Debian's build, 32766 in SQLite's own) with "too many SQL variables", where Sequelize writes
 * the values into the text and takes any number. */
#define SQ_IN_JSON_MIN 1000

/* The right of an IN as one bound JSON array: 1 written, 0 not for this list, -1 failed */
static int json_in_list(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w) {
  sq_buf b;
  sq_jw jw;
  sq_value v;
  int i, rc = 0;
  if (binds->literal || w->nrhs <= SQ_IN_JSON_MIN || !db->dialect->in_list[0]) return 0;
  for (i = 0; i < w->nrhs; i++) {
    const sq_expr *x = w->rhs[i];
    if (x->kind != SQ_X_VALUE) return 0;
    if (x->v.kind == SQ_V_TEXT) {
      if (memchr(x->v.u.s.p, '\0', x->v.u.s.n) || !sq_json_is_utf8(x->v.u.s.p, x->v.u.s.n)) return 0;
    } else if (x->v.kind != SQ_V_INT && x->v.kind != SQ_V_NULL) {
      return 0;
    }
  }
  sq_buf_init(&b);
  sq_jw_init(&jw, &b, 0);
  rc = sq_jw_begin_array(&jw);
  for (i = 0; i < w->nrhs && !rc; i++) {
    const sq_value *x = &w->rhs[i]->v;
    rc = x->kind == SQ_V_INT ? sq_jw_integer(&jw, x->u.i)
       : x->kind == SQ_V_TEXT ? sq_jw_string(&jw, x->u.s.p, x->u.s.n) : sq_jw_null(&jw);
  }
  if (!rc) rc = sq_jw_end_array(&jw);
  if (!rc) rc = sq_jw_finish(&jw);
  if (rc || b.oom) {
    sq_buf_free(&b);
    return rc == SQ_JSON_EOOM || b.oom ? sq_err_oom(db) : sq_err_set(db, SQ_E_USAGE, "an IN list could not be "
                                                                  "written as JSON (%s)", sq_json_strerror(rc));
  }
  v.kind = SQ_V_TEXT;
  v.u.s.p = sq_arena_strndup(binds->arena, b.p, b.len); /* (lives as long as the call's binds) */
  v.u.s.n = b.len;
  sq_buf_free(&b);
  if (!v.u.s.p) return sq_err_oom(db);
  sq_buf_adds(out, db->dialect->in_list[0]);
  if (push_value(db, out, binds, &v)) return -1;
  sq_buf_adds(out, db->dialect->in_list[1]);
  return 1;
}

static int cmp_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w) {
  const char *op = NULL;
  int i;
  if (w->op == SQ_OP_IN && w->lhs->kind == SQ_X_ROW && w->nrhs == 0) {
    sq_buf_adds(out, "0 = 1"); /* a row value IN no rows (`IN (NULL)` is not a row) */
    return 0;
  }
  if (sq_sql_expr(db, out, binds, w->lhs)) return -1;
  switch (w->op) {
    case SQ_OP_EQ: op = is_null(w->rhs[0]) && !w->exact ? " IS " : " = "; break;
    case SQ_OP_NE: op = is_null(w->rhs[0]) && !w->exact ? " IS NOT " : " != "; break;
    case SQ_OP_IS: op = " IS "; break;
    case SQ_OP_NOT: op = " IS NOT "; break;
    case SQ_OP_GT: op = " > "; break;
    case SQ_OP_GTE: op = " >= "; break;
    case SQ_OP_LT: op = " < "; break;
    case SQ_OP_LTE: op = " <= "; break;
    case SQ_OP_LIKE: op = " LIKE "; break;
    case SQ_OP_NOTLIKE: op = " NOT LIKE "; break;
    case SQ_OP_BETWEEN:
    case SQ_OP_NOTBETWEEN:
      sq_buf_adds(out, w->op == SQ_OP_BETWEEN ? " BETWEEN " : " NOT BETWEEN ");
      if (sq_sql_expr(db, out, binds, w->rhs[0])) return -1;
      sq_buf_adds(out, " AND ");
      return sq_sql_expr(db, out, binds, w->rhs[1]);
    case SQ_OP_IN:
    case SQ_OP_NOTIN:
      if (w->bare && w->nrhs == 1 && w->rhs[0]->kind == SQ_X_LITERAL) {
        /* a literal that brings its own parentheses, `(SELECT ...)`, is the list itself (a
         * second pair would make it one scalar value); one without gets them */
        const char *t = w->rhs[0]->name;
        size_t k = 0;
        while (k < w->rhs[0]->nlen && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r')) k++;
        if (k < w->rhs[0]->nlen && t[k] == '(') {
          sq_buf_adds(out, w->op == SQ_OP_IN ? " IN " : " NOT IN ");
          return literal_sql(db, out, binds, w->rhs[0]);
        }
      }
      sq_buf_adds(out, w->op == SQ_OP_IN ? " IN (" : " NOT IN (");
      if (w->lhs->kind != SQ_X_ROW) {
        int r = json_in_list(db, out, binds, w);
        if (r < 0) return -1;
        if (r) {
          sq_buf_addc(out, ')');
          return 0;
        }
      }
      if (w->lhs->kind == SQ_X_ROW && w->nrhs) sq_buf_adds(out, db->dialect->in_rows);
      if (w->nrhs == 0) sq_buf_adds(out, "NULL");
      for (i = 0; i < w->nrhs; i++) {
        if (i) sq_buf_adds(out, ", ");
        if (sq_sql_expr(db, out, binds, w->rhs[i])) return -1;
      }
      sq_buf_addc(out, ')');
      return 0;
    case SQ_OP_STARTSWITH:
      sq_buf_adds(out, " LIKE ");
      return push_affixed(db, out, binds, w->rhs[0], 0, 1);
    case SQ_OP_ENDSWITH:
      sq_buf_adds(out, " LIKE ");
      return push_affixed(db, out, binds, w->rhs[0], 1, 0);
    case SQ_OP_SUBSTRING:
      sq_buf_adds(out, " LIKE ");
      return push_affixed(db, out, binds, w->rhs[0], 1, 1);
    default: return sq_err_set(db, SQ_E_USAGE, "unknown operator");
  }
  sq_buf_adds(out, op);
  return sq_sql_expr(db, out, binds, w->rhs[0]);
}

/* Does this node print nothing (an empty AND/OR, a NOT IN of nothing)? */
static int is_empty(const sq_where *w) {
  int i;
  if (!w) return 1;
  if (w->kind == SQ_W_CMP) return w->op == SQ_OP_NOTIN && w->nrhs == 0;
  if (w->kind == SQ_W_EXPR) return 0;
  for (i = 0; i < w->nkids; i++)
    if (!is_empty(w->kids[i])) return 0;
  /* an OR of nothing is false, and so is a NOT of nothing (Sequelize: 0 = 1) */
  return w->kind == SQ_W_AND;
}

/* One term of an AND / OR / NOT group beside others: a literal in parentheses, since its
 * text may hold an OR of its own (`name = ? AND (a < 1 OR a > 2)`, not `... AND a < 1 OR
 * a > 2`, which would match rows of other names; Sequelize parenthesizes it there too) */
static int term_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w, int top) {
  if (!top && w->kind == SQ_W_EXPR && w->expr->kind == SQ_X_LITERAL) {
    sq_buf_addc(out, '(');
    if (sq_sql_expr(db, out, binds, w->expr)) return -1;
    sq_buf_addc(out, ')');
    return 0;
  }
  return where_sql(db, out, binds, w, top);
}

static int where_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w, int top) {
  int i, n = 0, live = 0;
  switch (w->kind) {
    case SQ_W_CMP: return cmp_sql(db, out, binds, w);
    case SQ_W_EXPR: return sq_sql_expr(db, out, binds, w->expr);
    case SQ_W_NOT:
      for (i = 0; i < w->nkids; i++) live += !is_empty(w->kids[i]);
      if (live == 0) { /* Sequelize: "Op.not of no restriction should also return no data" */
        sq_buf_adds(out, "0 = 1");
        return 0;
      }
      sq_buf_adds(out, "NOT (");
      if (w->nkids == 1) {
        if (where_sql(db, out, binds, w->kids[0], 1)) return -1;
      } else {
        for (i = 0; i < w->nkids; i++) {
          if (is_empty(w->kids[i])) continue;
          if (n++) sq_buf_adds(out, " AND ");
          if (term_sql(db, out, binds, w->kids[i], 0)) return -1;
        }
      }
      sq_buf_addc(out, ')');
      return 0;
    case SQ_W_AND:
    case SQ_W_OR:
      for (i = 0; i < w->nkids; i++) live += !is_empty(w->kids[i]);
      if (live == 0) { /* only an OR of nothing gets here */
        sq_buf_adds(out, "0 = 1");
        return 0;
      }
      if (live > 1 && !top) sq_buf_addc(out, '(');
      for (i = 0; i < w->nkids; i++) {
        if (is_empty(w->kids[i])) continue;
        if (n++) sq_buf_adds(out, w->kind == SQ_W_AND ? " AND " : " OR ");
        if (term_sql(db, out, binds, w->kids[i], live == 1 && top)) return -1;
      }
      if (live > 1 && !top) sq_buf_addc(out, ')');
      return 0;
  }
  return sq_err_set(db, SQ_E_USAGE, "unknown where node");
}

int sq_sql_where(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w) {
  if (is_empty(w)) return 0;
  sq_buf_adds(out, " WHERE ");
  return where_sql(db, out, binds, w, 1);
}

int sq_where_is_empty(const sq_where *w) { return is_empty(w); }

int sq_sql_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w) {
  return where_sql(db, out, binds, w, 1);
}

/* " AND <w>" after other terms (a join's ON): an OR, or a literal, in parentheses */
static int joined_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w, const char *op) {
  sq_buf_adds(out, op);
  if (w->kind == SQ_W_EXPR) {
    sq_buf_addc(out, '(');
    if (sq_sql_expr(db, out, binds, w->expr)) return -1;
    sq_buf_addc(out, ')');
    return 0;
  }
  return where_sql(db, out, binds, w, 0);
}

int sq_sql_and_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w) {
  return joined_condition(db, out, binds, w, " AND ");
}

int sq_sql_or_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w) {
  return joined_condition(db, out, binds, w, " OR ");
}
