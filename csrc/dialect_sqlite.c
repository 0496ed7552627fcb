/* dialect_sqlite.c: everything that knows SQLite's SQL: identifier quoting with
 * backticks, `?` placeholders, Sequelize's sqlite type names, CREATE/DROP TABLE in
 * the form Sequelize 6 emits, transaction and savepoint statements, the mapping of
 * constraint failures to error kinds, and the text form dates are stored in
 * (`2026-11-21 22:07:06.776 +00:00`, as Sequelize stores them), CREATE/DROP INDEX,
 * values written as literals where a statement takes no parameters (a partial index), and
 * the query interface's reading of a table's schema (PRAGMA TABLE_INFO, INDEX_LIST,
 * INDEX_INFO, foreign_key_list: their rows into dialect.h's records) and of stored
 * defaults. */
#include "dialect.h"
#include "json.h"
#include "validate.h"
#include "value.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void sqlite_quote(sq_buf *b, const char *id, size_t n) {
  size_t i, start = 0;
  if (!memchr(id, '`', n) && !sq_buf_reserve(b, n + 2)) { /* (the usual name: no backtick to double) */
    b->p[b->len] = '`';
    memcpy(b->p + b->len + 1, id, n);
    b->len += n + 2;
    b->p[b->len - 1] = '`';
    b->p[b->len] = '\0';
    return;
  }
  sq_buf_addc(b, '`');
  for (i = 0; i < n; i++) {
    if (id[i] == '`') {
      sq_buf_add(b, id + start, i + 1 - start);
      sq_buf_addc(b, '`');
      start = i + 1;
    }
  }
  sq_buf_add(b, id + start, n - start);
  sq_buf_addc(b, '`');
}

static void qs(sq_buf *b, const char *s) { sqlite_quote(b, s, strlen(s)); }

static void sqlite_placeholder(sq_buf *b, int n) {
  (void)n;
  sq_buf_addc(b, '?');
}

/* Sequelize's sqlite INTEGER/BIGINT drop UNSIGNED / ZEROFILL; FLOAT, DOUBLE and REAL
 * keep them */
static void number_suffix(sq_buf *b, const sq_type *t) {
  if (t->kind != SQ_T_INTEGER && t->kind != SQ_T_BIGINT) {
    if (t->is_unsigned) sq_buf_adds(b, " UNSIGNED");
    if (t->zerofill) sq_buf_adds(b, " ZEROFILL");
  }
  if (t->length > 0) {
    sq_buf_addf(b, "(%d", t->length);
    if (t->scale >= 0) sq_buf_addf(b, ",%d", t->scale);
    sq_buf_addc(b, ')');
  }
}

static void sqlite_type_sql(sq_buf *b, const sq_type *t) {
  switch (t->kind) {
    case SQ_T_STRING:
      sq_buf_adds(b, t->binary ? "VARCHAR BINARY" : "VARCHAR");
      sq_buf_addf(b, "(%d)", t->length > 0 ? t->length : 255);
      break;
    case SQ_T_CHAR:
      sq_buf_adds(b, t->binary ? "CHAR BINARY" : "CHAR");
      sq_buf_addf(b, "(%d)", t->length > 0 ? t->length : 255);
      break;
    case SQ_T_TEXT: /* Sequelize's sqlite CITEXT is TEXT COLLATE NOCASE; TIME is TIME */
      sq_buf_adds(b, t->variant == SQ_TV_CITEXT ? "TEXT COLLATE NOCASE" : t->variant == SQ_TV_TIME ? "TIME" : "TEXT");
      break;
    case SQ_T_INTEGER: /* (TINYINT, SMALLINT, MEDIUMINT too: their own names, as INTEGER otherwise) */
      sq_buf_adds(b, sq_type_key(t));
      number_suffix(b, t);
      break;
    case SQ_T_BIGINT: sq_buf_adds(b, "BIGINT"); number_suffix(b, t); break;
    case SQ_T_FLOAT: sq_buf_adds(b, "FLOAT"); number_suffix(b, t); break;
    case SQ_T_DOUBLE: sq_buf_adds(b, "DOUBLE PRECISION"); number_suffix(b, t); break;
    case SQ_T_REAL: sq_buf_adds(b, "REAL"); number_suffix(b, t); break;
    case SQ_T_DECIMAL:
      if (t->precision > 0 && t->scale > 0) sq_buf_addf(b, "DECIMAL(%d,%d)", t->precision, t->scale);
      else if (t->precision > 0) sq_buf_addf(b, "DECIMAL(%d)", t->precision);
      else sq_buf_adds(b, "DECIMAL");
      break;
    case SQ_T_BOOLEAN: sq_buf_adds(b, "TINYINT(1)"); break;
    case SQ_T_DATE: sq_buf_adds(b, "DATETIME"); break;
    case SQ_T_DATEONLY: sq_buf_adds(b, "DATE"); break;
    case SQ_T_UUID: sq_buf_adds(b, "UUID"); break;
    case SQ_T_JSON: sq_buf_adds(b, t->variant == SQ_TV_JSONB ? "JSONB" : "JSON"); break;
    case SQ_T_BLOB:
      if (t->length == 1) sq_buf_adds(b, "TINYBLOB");
      else if (t->length == 2) sq_buf_adds(b, "MEDIUMBLOB");
      else if (t->length == 3) sq_buf_adds(b, "LONGBLOB");
      else sq_buf_adds(b, "BLOB");
      break;
    case SQ_T_ENUM: sq_buf_adds(b, "TEXT"); break;
    default: sq_buf_adds(b, "TEXT"); break;
  }
}

static int is_int_type(const sq_type *t) {
  return t->kind == SQ_T_INTEGER || t->kind == SQ_T_BIGINT;
}

static void js_number(sq_buf *b, double d);

/* A literal DEFAULT the way Sequelize escapes it (booleans become 1/0). */
static void default_sql(sq_buf *b, const sq_attr *a) {
  size_t i;
  if (a->type.kind == SQ_T_BLOB && (a->def_vkind == SQ_V_INT || a->def_vkind == SQ_V_REAL)) {
    /* a BLOB's number or boolean: the bytes of String(value), X'35' for 5, as Sequelize writes
     * Buffer.from(String(value)) and as a write of the value binds them (binding.c); the
     * instance holds the value itself, as Sequelize's */
    char num[SQ_JSON_NUMBER_MAX + 1];
    size_t n;
    if (a->def_bool) n = (size_t)snprintf(num, sizeof num, "%s", a->def_i ? "true" : "false");
    else if (a->def_vkind == SQ_V_INT) n = (size_t)snprintf(num, sizeof num, "%lld", a->def_i);
    else n = sq_json_format_number(a->def_d, num);
    sq_buf_adds(b, "X'");
    for (i = 0; i < n; i++) sq_buf_addf(b, "%02x", (unsigned char)num[i]);
    sq_buf_addc(b, '\'');
    return;
  }
  switch (a->def_vkind) {
    case SQ_V_INT:
      if (a->type.kind == SQ_T_BOOLEAN) sq_buf_adds(b, a->def_i ? "1" : "0");
      else sq_buf_addint(b, a->def_i);
      break;
    case SQ_V_REAL: /* as JavaScript's String(n) writes it (Sequelize's escape): 1152921504606847000;
                     * Sequelize escapes a FLOAT default as a string */
      if (a->type.kind == SQ_T_FLOAT) sq_buf_addc(b, '\'');
      js_number(b, a->def_d);
      if (a->type.kind == SQ_T_FLOAT) sq_buf_addc(b, '\'');
      break;
    case SQ_V_BLOB: /* X'6869', as Sequelize writes a Buffer (lower-case hex) */
      sq_buf_adds(b, "X'");
      for (i = 0; i < a->def_n; i++) sq_buf_addf(b, "%02x", (unsigned char)a->def_s[i]);
      sq_buf_addc(b, '\'');
      break;
    case SQ_V_TEXT:
      sq_buf_addc(b, '\'');
      for (i = 0; i < a->def_n; i++) {
        if (a->def_s[i] == '\'') sq_buf_addc(b, '\'');
        sq_buf_addc(b, a->def_s[i]);
      }
      sq_buf_addc(b, '\'');
      break;
    default: sq_buf_adds(b, "NULL"); break;
  }
}

static void column_sql(sq_buf *b, const sq_model *m, const sq_attr *a, int multi_pk) {
  qs(b, a->field);
  sq_buf_addc(b, ' ');
  if (a->pk && !multi_pk && is_int_type(&a->type)) {
    /* Sequelize: an integer primary key is exactly INTEGER PRIMARY KEY [AUTOINCREMENT] */
    sq_buf_adds(b, a->autoinc ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "INTEGER PRIMARY KEY");
  } else {
    if (a->decl_type) sq_buf_adds(b, a->decl_type);
    else sqlite_type_sql(b, &a->type);
    if (!a->allow_null || a->not_null_ddl || (a->pk && multi_pk)) sq_buf_adds(b, " NOT NULL");
    if (a->def_kind == SQ_DEF_VALUE) {
      sq_buf_adds(b, " DEFAULT ");
      default_sql(b, a);
    } else if (a->def_kind == SQ_DEF_SQL) { /* a literal / fn, as Sequelize escapes it */
      sq_buf_adds(b, " DEFAULT ");
      sq_buf_add(b, a->def_s, a->def_n);
    }
    if (a->unique && !a->unique_name) sq_buf_adds(b, " UNIQUE");
    if (a->pk && !multi_pk) sq_buf_adds(b, " PRIMARY KEY");
    /* (a column of a composite key keeps it too, `a` INTEGER NOT NULL AUTOINCREMENT, as Sequelize
     * writes it: SQLite refuses the table, where leaving it out would make one whose key the
     * model expects generated and the database never fills) */
    if (a->pk && a->autoinc) sq_buf_adds(b, " AUTOINCREMENT");
  }
  if (a->ref_table) {
    sq_buf_adds(b, " REFERENCES ");
    qs(b, a->ref_table);
    sq_buf_adds(b, " (");
    qs(b, a->ref_key ? a->ref_key : "id");
    sq_buf_addc(b, ')');
    if (a->on_delete) sq_buf_addf(b, " ON DELETE %s", a->on_delete);
    if (a->on_update) sq_buf_addf(b, " ON UPDATE %s", a->on_update);
  }
  (void)m;
}

static void sqlite_create_table(sq_buf *b, const sq_model *m) {
  int i, j, multi_pk = m->npk > 1, first;
  const char *p, *un;
  sq_buf_adds(b, "CREATE TABLE IF NOT EXISTS ");
  qs(b, sq_table(m));
  sq_buf_adds(b, " (");
  first = 1;
  for (i = 0; i < m->nattrs; i++) {
    const sq_attr *def = sq_model_column_def(m, i); /* (a column two attributes name: once) */
    if (!def) continue;
    if (!first) sq_buf_adds(b, ", ");
    column_sql(b, m, def, multi_pk);
    first = 0;
  }
  /* composite unique groups, in order of first appearance */
  for (i = 0; i < m->nattrs; i++) {
    const char *g = m->attrs[i]->unique_name;
    if (!g || !sq_model_defines_column(m, i)) continue;
    for (j = 0; j < i; j++)
      if (m->attrs[j]->unique_name && !strcmp(m->attrs[j]->unique_name, g) && sq_model_defines_column(m, j)) break;
    if (j < i) continue;
    sq_buf_adds(b, ", UNIQUE (");
    first = 1;
    for (j = i; j < m->nattrs; j++) {
      if (!m->attrs[j]->unique_name || strcmp(m->attrs[j]->unique_name, g) || !sq_model_defines_column(m, j)) continue;
      if (!first) sq_buf_adds(b, ", ");
      qs(b, m->attrs[j]->field);
      first = 0;
    }
    sq_buf_addc(b, ')');
  }
  /* the query interface's uniqueKeys, in their order (a column may be in several) */
  for (p = m->unique_keys, un = m->unique_key_names; p && *p; p++) {
    if (un && *un) {
      sq_buf_adds(b, ", CONSTRAINT ");
      qs(b, un);
      sq_buf_adds(b, " UNIQUE (");
    } else {
      sq_buf_adds(b, ", UNIQUE (");
    }
    if (un) un += strlen(un) + 1;
    for (first = 1; *p; p += strlen(p) + 1, first = 0) {
      if (!first) sq_buf_adds(b, ", ");
      qs(b, p);
    }
    sq_buf_addc(b, ')');
  }
  if (multi_pk) {
    sq_buf_adds(b, ", PRIMARY KEY (");
    first = 1;
    for (i = 0; i < m->nattrs; i++) {
      if (!m->attrs[i]->pk || !sq_model_defines_column(m, i)) continue;
      if (!first) sq_buf_adds(b, ", ");
      qs(b, m->attrs[i]->field);
      first = 0;
    }
    sq_buf_addc(b, ')');
  }
  sq_buf_adds(b, ");");
}

static void sqlite_drop_table(sq_buf *b, const sq_model *m) {
  sq_buf_adds(b, "DROP TABLE IF EXISTS ");
  qs(b, sq_table(m));
  sq_buf_addc(b, ';');
}

/* Sequelize's addIndexQuery on sqlite: CREATE [UNIQUE] INDEX `name` ON `table`
 * (`col` or expression [COLLATE `coll`] [ASC|DESC], ...) [WHERE condition] */
static void sqlite_create_index(sq_buf *b, const sq_index *ix) {
  int i;
  sq_buf_adds(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
  qs(b, ix->name);
  sq_buf_adds(b, " ON ");
  qs(b, ix->table);
  sq_buf_adds(b, " (");
  for (i = 0; i < ix->ncols; i++) {
    const sq_index_col *c = &ix->cols[i];
    if (i) sq_buf_adds(b, ", ");
    if (c->sql) sq_buf_adds(b, c->sql);
    else qs(b, c->column);
    if (c->collate) {
      sq_buf_adds(b, " COLLATE ");
      qs(b, c->collate);
    }
    if (c->dir == SQ_IX_ASC) sq_buf_adds(b, " ASC");
    else if (c->dir == SQ_IX_DESC) sq_buf_adds(b, " DESC");
  }
  sq_buf_adds(b, ")");
  if (ix->where) {
    sq_buf_adds(b, " WHERE ");
    sq_buf_adds(b, ix->where);
  }
}

/* Sequelize's removeIndexQuery */
static void sqlite_drop_index(sq_buf *b, const char *name) {
  sq_buf_adds(b, "DROP INDEX IF EXISTS ");
  qs(b, name);
}

/* A number as JavaScript's String(n) writes it (Sequelize's escape): the shortest digits
 * that read back as n, fixed for exponents -7 < e < 21 ("0.000001", "123"), else "1e+21",
 * "1.5e-7". n is finite. */
static void js_number(sq_buf *b, double d) {
  char s[48], digits[24];
  const char *q;
  int p, k = 0, n, i;
  if (d == 0) { sq_buf_addc(b, '0'); return; }
  for (p = 0; p < 17; p++) {
    snprintf(s, sizeof s, "%.*e", p, d);
    if (strtod(s, NULL) == d) break;
  }
  if (p == 17) snprintf(s, sizeof s, "%.16e", d);
  q = s;
  if (*q == '-') { sq_buf_addc(b, '-'); q++; }
  digits[k++] = *q++;
  if (*q != 'e') q++; /* the decimal point (whatever the locale's) */
  while (*q >= '0' && *q <= '9' && k < (int)sizeof digits - 1) digits[k++] = *q++;
  n = (int)strtol(q + 1, NULL, 10) + 1; /* after the 'e' */
  while (k > 1 && digits[k - 1] == '0') k--;
  if (k <= n && n <= 21) {
    sq_buf_add(b, digits, (size_t)k);
    for (i = k; i < n; i++) sq_buf_addc(b, '0');
  } else if (0 < n && n <= 21) {
    sq_buf_add(b, digits, (size_t)n);
    sq_buf_addc(b, '.');
    sq_buf_add(b, digits + n, (size_t)(k - n));
  } else if (-6 < n && n <= 0) {
    sq_buf_adds(b, "0.");
    for (i = n; i < 0; i++) sq_buf_addc(b, '0');
    sq_buf_add(b, digits, (size_t)k);
  } else {
    sq_buf_addc(b, digits[0]);
    if (k > 1) {
      sq_buf_addc(b, '.');
      sq_buf_add(b, digits + 1, (size_t)(k - 1));
    }
    sq_buf_addf(b, "e%c%d", n - 1 >= 0 ? '+' : '-', n - 1 >= 0 ? n - 1 : 1 - n);
  }
}

/* Is s well-formed UTF-8 (a U+FFFD decoded stands for ill-formed bytes unless it is EF BF BD)? */
static int is_utf8(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    size_t start = i;
    if (sq_utf8_decode(p, n, &i) == 0xFFFD &&
        !(i - start == 3 && p[start] == 0xEF && p[start + 1] == 0xBF && p[start + 2] == 0xBD))
      return 0;
  }
  return 1;
}

/* A value as Sequelize's sqlite escape writes it: text in single quotes with quotes
 * doubled, numbers as JavaScript writes them, NULL; booleans reach here as 1 / 0. Blobs as
 * X'hex'. Text with a NUL byte or that is not UTF-8 has no place in statement text. */
static const char *sqlite_literal(sq_buf *b, const sq_value *v) {
  switch (v->kind) {
    case SQ_V_NULL: sq_buf_adds(b, "NULL"); return NULL;
    case SQ_V_INT: sq_buf_addf(b, "%lld", v->u.i); return NULL;
    case SQ_V_REAL:
      if (v->u.d != v->u.d || v->u.d > 1.7976931348623157e308 || v->u.d < -1.7976931348623157e308)
        return "NaN or infinity";
      js_number(b, v->u.d);
      return NULL;
    case SQ_V_TEXT: {
      size_t i, start = 0;
      const char *s = v->u.s.p;
      if (memchr(s, 0, v->u.s.n)) return "text with a NUL byte";
      if (!is_utf8(s, v->u.s.n)) return "text that is not valid UTF-8";
      sq_buf_addc(b, '\'');
      for (i = 0; i < v->u.s.n; i++) {
        if (s[i] == '\'') {
          sq_buf_add(b, s + start, i + 1 - start);
          sq_buf_addc(b, '\'');
          start = i + 1;
        }
      }
      sq_buf_add(b, s + start, v->u.s.n - start);
      sq_buf_addc(b, '\'');
      return NULL;
    }
    case SQ_V_BLOB: {
      static const char hex[] = "0123456789ABCDEF";
      size_t i;
      const unsigned char *s = (const unsigned char *)v->u.s.p;
      sq_buf_adds(b, "X'");
      for (i = 0; i < v->u.s.n; i++) {
        sq_buf_addc(b, hex[s[i] >> 4]);
        sq_buf_addc(b, hex[s[i] & 15]);
      }
      sq_buf_addc(b, '\'');
      return NULL;
    }
    case SQ_V_EXPR: break;
  }
  return "an SQL expression value";
}

static void sqlite_begin(sq_buf *b, const char *sp) {
  if (!sp) { sq_buf_adds(b, "BEGIN DEFERRED TRANSACTION;"); return; }
  if (!strcmp(sp, "\x01IMMEDIATE")) { sq_buf_adds(b, "BEGIN IMMEDIATE TRANSACTION;"); return; }
  if (!strcmp(sp, "\x01EXCLUSIVE")) { sq_buf_adds(b, "BEGIN EXCLUSIVE TRANSACTION;"); return; }
  sq_buf_adds(b, "SAVEPOINT ");
  qs(b, sp);
  sq_buf_addc(b, ';');
}

/* Sequelize's sqlite setIsolationLevelQuery, its text and log lines as they are */
static int sqlite_isolation(sq_buf *b, const char *level, int *changes) {
  *changes = 0;
  if (!strcmp(level, "READ UNCOMMITTED") || !strcmp(level, "READ COMMITTED")) {
    sq_buf_adds(b, level[5] == 'U' ? "PRAGMA read_uncommitted = ON;" : "PRAGMA read_uncommitted = OFF;");
    *changes = 1;
  } else if (!strcmp(level, "REPEATABLE READ")) {
    sq_buf_adds(b, "-- SQLite is not able to choose the isolation level REPEATABLE READ.");
  } else if (!strcmp(level, "SERIALIZABLE")) {
    sq_buf_adds(b, "-- SQLite's default isolation level is SERIALIZABLE. Nothing to do.");
  } else {
    return -1;
  }
  return 0;
}

static void sqlite_commit(sq_buf *b, const char *sp) {
  if (!sp) { sq_buf_adds(b, "COMMIT;"); return; }
  sq_buf_adds(b, "RELEASE SAVEPOINT ");
  qs(b, sp);
  sq_buf_addc(b, ';');
}

static void sqlite_rollback(sq_buf *b, const char *sp) {
  if (!sp) { sq_buf_adds(b, "ROLLBACK;"); return; }
  sq_buf_adds(b, "ROLLBACK TO SAVEPOINT ");
  qs(b, sp);
  sq_buf_addc(b, ';');
}

static sq_err_kind sqlite_classify(int rc, const char *message) {
  /* RESTRICT actions fail as trigger constraints with the foreign-key message */
  if (message && strstr(message, "FOREIGN KEY constraint failed")) return SQ_E_FK;
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return SQ_E_TIMEOUT;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return SQ_E_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY: return SQ_E_FK;
    default: return SQ_E_DATABASE;
  }
}

static int sqlite_date_to_db(long long ms, char *out) { return sq_date_format_storage(ms, out); }

/* ---- sync { alter = true } ------------------------------------------------ */

/* Run a statement of our own (uncached; logged as db:query logs a statement: sq_db_log, then
 * sq_db_log_flush, the benchmark's line once it has run), `arg` bound as its one parameter
 * when given, row(st, ud) per result row: its nonzero return stops the reading and is
 * returned; else 0, or -1 with db->err set (sq_db_fail with the text). */
static int read_stmt(sq_db *db, const char *sql, size_t len, const char *arg, int (*row)(sqlite3_stmt *, void *),
                     void *ud) {
  sqlite3_stmt *st = NULL;
  int rc, stop = 0;
  if (sq_db_log(db, sql, len)) return -1;
  rc = sqlite3_prepare_v2(db->conn, sql, (int)len, &st, NULL);
  if (rc != SQLITE_OK) return sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
  if (!st) return sq_err_set(db, SQ_E_USAGE, "query: empty statement");
  if (arg) {
    sq_value v;
    v.kind = SQ_V_TEXT;
    v.u.s.p = arg;
    v.u.s.n = strlen(arg);
    if (sq_db_bind(db, st, 1, &v)) { /* (arg outlives the statement: bound without a copy) */
      sqlite3_finalize(st);
      return -1;
    }
  }
  if (sq_db_log_flush(db, sql, len)) {
    sqlite3_finalize(st);
    return -1;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    if ((stop = row(st, ud)) != 0) break;
  if (!stop && rc != SQLITE_DONE) stop = sq_db_fail(db, rc, sql);
  sqlite3_finalize(st);
  return stop ? stop : sq_db_ran(db);
}

/* alter's reads: each row to fn, every row read */
typedef struct each_row {
  void (*fn)(sqlite3_stmt *, void *);
  void *ud;
} each_row;

static int each_row_fn(sqlite3_stmt *st, void *ud) {
  each_row *e = ud;
  e->fn(st, e->ud);
  return 0;
}

static int alter_read(sq_db *db, const char *sql, const char *arg, void (*fn)(sqlite3_stmt *, void *), void *ud) {
  each_row e;
  e.fn = fn;
  e.ud = ud;
  return read_stmt(db, sql, strlen(sql), arg, each_row_fn, &e);
}

static void take_text(sqlite3_stmt *st, void *ud) {
  sq_buf *b = ud;
  const unsigned char *t = sqlite3_column_text(st, 0);
  if (t && !b->len) sq_buf_adds(b, (const char *)t);
}

/* column 0 of each row, NUL-terminated, one after another */
static void take_name0(sqlite3_stmt *st, void *ud) {
  sq_buf *b = ud;
  const unsigned char *t = sqlite3_column_text(st, 0);
  if (t) sq_buf_add(b, (const char *)t, strlen((const char *)t) + 1);
}


/* Do two CREATE TABLE texts define the same table (names and a final ';' aside)? */
static int same_definition(const char *x, const char *y) {
  size_t nx, ny;
  x = strchr(x, '(');
  y = strchr(y, '(');
  if (!x || !y) return 0;
  nx = strlen(x);
  ny = strlen(y);
  while (nx && (x[nx - 1] == ';' || x[nx - 1] == ' ')) nx--;
  while (ny && (y[ny - 1] == ';' || y[ny - 1] == ' ')) ny--;
  return nx == ny && !memcmp(x, y, nx);
}

static void take_int(sqlite3_stmt *st, void *ud) { *(int *)ud = sqlite3_column_int(st, 0); }

/* pragma_table_info's rows (name, type, notnull, dflt_value) as pairs of NUL-terminated
 * texts: the name, then the column's ADD COLUMN definition (`"name" TYPE DEFAULT x NOT NULL`;
 * NOT NULL only with a default, as ADD COLUMN allows) */
static void take_coldef(sqlite3_stmt *st, void *ud) {
  sq_buf *b = ud;
  const char *name = (const char *)sqlite3_column_text(st, 0);
  const char *type = (const char *)sqlite3_column_text(st, 1);
  const char *dflt = (const char *)sqlite3_column_text(st, 3);
  if (!name) return;
  sq_buf_add(b, name, strlen(name) + 1);
  qs(b, name);
  if (type && *type) {
    sq_buf_addc(b, ' ');
    sq_buf_adds(b, type);
  }
  if (dflt) {
    sq_buf_adds(b, " DEFAULT ");
    sq_buf_adds(b, dflt);
    if (sqlite3_column_int(st, 2)) sq_buf_adds(b, " NOT NULL");
  }
  sq_buf_addc(b, '\0');
}

/* The end of the part of a CREATE TABLE's column list that starts at i: the next comma or
 * closing parenthesis outside parentheses, quotes, identifiers quoted every SQLite way and
 * comments (a raw CREATE TABLE's line and block comments) */
static size_t part_end(const char *s, size_t i, size_t n) {
  int depth = 0;
  while (i < n) {
    char c = s[i];
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') i++;
      if (i >= n) return n;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++) {}
      if (i + 1 >= n) return n;
      i++;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      for (i++; i < n; i++) {
        if (s[i] == close) {
          if (close != ']' && i + 1 < n && s[i + 1] == close) { i++; continue; } /* a doubled quote */
          break;
        }
      }
    } else if (c == '(') {
      depth++;
    } else if (c == ')') {
      if (depth == 0) return i;
      depth--;
    } else if (c == ',' && depth == 0) {
      return i;
    }
    i++;
  }
  return n;
}

/* The column a column-list part defines (its first token, unquoted), into out; 0 when the
 * part is a table constraint or cannot be read */
static int part_column(const char *s, size_t n, char *out, size_t cap) {
  size_t i = 0, k = 0;
  static const char *const kw[] = { "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN" };
  while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) i++;
  if (i < n && (s[i] == '`' || s[i] == '"' || s[i] == '[')) {
    char close = s[i] == '[' ? ']' : s[i];
    for (i++; i < n && k + 1 < cap; i++) {
      if (s[i] == close) {
        if (close != ']' && i + 1 < n && s[i + 1] == close) { out[k++] = s[i++]; continue; }
        break;
      }
      out[k++] = s[i];
    }
    out[k] = '\0';
    return k > 0;
  }
  while (i < n && k + 1 < cap && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '(') out[k++] = s[i++];
  out[k] = '\0';
  for (i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (!sqlite3_stricmp(out, kw[i])) return 0;
  return k > 0;
}

/* The position of a CREATE TABLE's '(' opening its column list (past the table's name,
 * quoted or not), or n */
static size_t column_list(const char *sql, size_t n) {
  size_t i = 0;
  while (i < n && sql[i] != '(') {
    if (sql[i] == '`' || sql[i] == '"' || sql[i] == '[') {
      char close = sql[i] == '[' ? ']' : sql[i];
      for (i++; i < n && sql[i] != close; i++) {}
    }
    i++;
  }
  return i;
}

/* In a stored CREATE TABLE, the whole definition of column `name` (its type, and its
 * constraints: NOT NULL, UNIQUE, REFERENCES ... ON DELETE ..., DEFAULT, COLLATE), or 0 */
static int stored_coldef(const char *sql, const char *name, sq_buf *out) {
  size_t n = strlen(sql), i = 0;
  char col[256];
  if ((i = column_list(sql, n)) >= n) return 0;
  for (i++; i < n;) {
    size_t e = part_end(sql, i, n);
    if (part_column(sql + i, e - i, col, sizeof col) && !sqlite3_stricmp(col, name)) {
      while (i < e && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r')) i++;
      sq_buf_add(out, sql + i, e - i);
      return 1;
    }
    if (e >= n || sql[e] == ')') break;
    i = e + 1;
  }
  return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Does s[0..n) begin with keyword kw (any case) followed by a space, '(' or a quote (SQLite
 * reads CONSTRAINT"q"UNIQUE(a))? Its length, or 0 */
static size_t keyword_at(const char *s, size_t n, const char *kw) {
  size_t k = strlen(kw);
  if (n <= k || sqlite3_strnicmp(s, kw, (int)k)) return 0;
  return is_space(s[k]) || (s[k] && strchr("(`\"['", s[k])) ? k : 0;
}

/* s[b..e) added to out without its comments (each one a space) and the spaces around it: a
 * `-- ...` kept would comment out what follows it (the column list's closing parenthesis) */
static void add_uncommented(sq_buf *out, const char *s, size_t b, size_t e) {
  size_t start = out->len, i;
  for (i = b; i < e; i++) {
    char c = s[i];
    if (c == '-' && i + 1 < e && s[i + 1] == '-') {
      while (i < e && s[i] != '\n') i++;
      sq_buf_addc(out, ' ');
    } else if (c == '/' && i + 1 < e && s[i + 1] == '*') {
      for (i += 2; i + 1 < e && !(s[i] == '*' && s[i + 1] == '/'); i++) {}
      i++;
      sq_buf_addc(out, ' ');
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      size_t j;
      for (j = i + 1; j < e; j++) {
        if (s[j] == close) {
          if (close != ']' && j + 1 < e && s[j + 1] == close) { j++; continue; }
          break;
        }
      }
      if (j >= e) j = e - 1;
      sq_buf_add(out, s + i, j + 1 - i);
      i = j;
    } else {
      sq_buf_addc(out, c);
    }
  }
  if (out->oom) return;
  while (out->len > start && is_space(out->p[start])) { /* (the spaces around it) */
    memmove(out->p + start, out->p + start + 1, out->len - start - 1);
    out->len--;
  }
  while (out->len > start && is_space(out->p[out->len - 1])) out->len--;
  out->p[out->len] = '\0';
}

/* sync { alter = true } keeps a named UNIQUE constraint addConstraint gave the table, which
 * the model does not know: each `CONSTRAINT <name> UNIQUE (...)` of the stored CREATE TABLE
 * whose columns the model still has is added, as stored, at the end of want's column list
 * (where addConstraint put it), so that an unchanged table compares equal and a rebuilt one
 * keeps it (before, an addConstraint UNIQUE was an index, which alter makes again) */
static void keep_named_uniques(sq_buf *want, const char *stored, const sq_model *m) {
  size_t n = strlen(stored), i = column_list(stored, n), e;
  char col[256];
  if (i >= n) return;
  for (i++; i < n; i = e + 1) {
    size_t j = i, k, last;
    int ok = 1;
    e = part_end(stored, i, n);
    while (j < e && is_space(stored[j])) j++;
    if ((k = keyword_at(stored + j, e - j, "CONSTRAINT")) != 0) {
      j += k;
      while (j < e && is_space(stored[j])) j++;
      if (j < e && (stored[j] == '`' || stored[j] == '"' || stored[j] == '[' || stored[j] == '\'')) {
        char q = stored[j] == '[' ? ']' : stored[j];
        for (j++; j < e; j++) {
          if (stored[j] == q) {
            if (q != ']' && j + 1 < e && stored[j + 1] == q) { j++; continue; }
            break;
          }
        }
        j++;
      } else {
        while (j < e && !is_space(stored[j]) && stored[j] != '(') j++;
      }
      while (j < e && is_space(stored[j])) j++;
      if ((k = keyword_at(stored + j, e - j, "UNIQUE")) != 0) {
        j += k;
        while (j < e && stored[j] != '(') j++;
        if (j < e) {
          /* the columns: each item's first token a column of the model */
          for (j++; ok && j < e;) {
            last = part_end(stored, j, e);
            if (!part_column(stored + j, last - j, col, sizeof col)) ok = 0;
            else {
              int a, found = 0;
              for (a = 0; a < m->nattrs; a++)
                if (!sqlite3_stricmp(m->attrs[a]->field, col)) found = 1;
              if (!found) ok = 0;
            }
            if (last >= e || stored[last] == ')') break; /* (the list's closing parenthesis) */
            j = last + 1;
          }
          if (ok) {
            size_t at;
            /* before want's last ')' */
            for (at = want->len; at > 0 && want->p[at - 1] != ')'; at--) {}
            if (at > 0) {
              sq_buf tail;
              sq_buf_init(&tail);
              sq_buf_add(&tail, want->p + at - 1, want->len - (at - 1));
              if (tail.oom) {
                want->oom = 1;
                sq_buf_free(&tail);
                return;
              }
              sq_buf_truncate(want, at - 1);
              sq_buf_adds(want, ", ");
              add_uncommented(want, stored, i, e);
              sq_buf_add(want, tail.p, tail.len);
              sq_buf_free(&tail);
            }
          }
        }
      }
    }
    if (e >= n || stored[e] == ')') break;
  }
}

/* The position in a CREATE TABLE text after its last column definition (before the table
 * constraints, which SQLite wants after the columns), or 0 */
static size_t after_columns(const char *sql) {
  size_t n = strlen(sql), i = 0, last = 0;
  char col[256];
  if ((i = column_list(sql, n)) >= n) return 0;
  for (i++; i < n;) {
    size_t e = part_end(sql, i, n);
    if (!part_column(sql + i, e - i, col, sizeof col)) break;
    last = e;
    if (e >= n || sql[e] == ')') break;
    i = e + 1;
  }
  return last;
}

static void count_row(sqlite3_stmt *st, void *ud) {
  (void)st;
  (*(int *)ud)++;
}

/* sqlite_sequence's counter for the table (-1: none) */
static void take_int64(sqlite3_stmt *st, void *ud) { *(long long *)ud = sqlite3_column_int64(st, 0); }

/* Whether `name` (n bytes) is in the NUL-separated list (column names, any case) */
static int in_names(sq_buf *names, const char *name, size_t n) {
  const char *p;
  for (p = sq_buf_cstr(names); p < names->p + names->len; p += strlen(p) + 1)
    if (strlen(p) == n && !sqlite3_strnicmp(p, name, (int)n)) return 1;
  return 0;
}

static int exec_dqs(sq_db *db, const char *sql, int on) {
  int rc, dqs = 1;
#ifdef SQLITE_DBCONFIG_DQS_DDL
  sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DDL, -1, &dqs);
  sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DDL, on, (int *)NULL);
#endif
  rc = sq_db_exec(db, sql);
#ifdef SQLITE_DBCONFIG_DQS_DDL
  sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DDL, dqs, (int *)NULL);
#endif
  (void)dqs;
  (void)on;
  return rc;
}

/* Run a stored CREATE INDEX again; one naming a column the old table had and the new one
 * has not goes with it ("no such column"). Double-quoted strings are off at first, so that
 * such a column in double quotes is that error and not a string constant; a missing
 * "column" the old table never had was a string (SQLite's default reading, with which the
 * index was made): run again so. */
static int recreate_index(sq_db *db, const char *sql, sq_buf *old_cols) {
  static const char missing[] = "no such column: ";
  const char *msg, *name;
  int rc = exec_dqs(db, sql, 0);
  if (!rc) return 0;
  msg = sq_buf_cstr(&db->err.msg);
  if (!(name = strstr(msg, missing))) return rc;
  name += sizeof missing - 1;
  if (in_names(old_cols, name, strlen(name))) {
    sq_err_clear(&db->err);
    return 0;
  }
  sq_err_clear(&db->err);
  return exec_dqs(db, sql, 1);
}

/* A renamed column's new name for a name in an index's text (NULL: not renamed) */
static const char *renamed_to(const sq_model *m, const char *name, size_t n) {
  int i;
  for (i = 0; i < m->nattrs; i++) {
    const sq_attr *a = m->attrs[i];
    if (a->copy_from && strcmp(a->copy_from, a->field) && strlen(a->copy_from) == n &&
        !sqlite3_strnicmp(a->copy_from, name, (int)n))
      return a->field;
  }
  return NULL;
}

const char *sq_sqlite_skip_quoted(const char *p) {
  if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
    char close = *p == '[' ? ']' : *p;
    for (p++; *p && !(*p == close && p[1] != close); p++)
      if (*p == close && close != ']') p++; /* (a doubled quote inside) */
    return *p ? p + 1 : p;
  }
  if (p[0] == '-' && p[1] == '-') {
    while (*p && *p != '\n') p++;
    return p;
  }
  if (p[0] == '/' && p[1] == '*') {
    const char *e = strstr(p + 2, "*/");
    return e ? e + 2 : p + strlen(p);
  }
  return p;
}

/* A stored CREATE INDEX with the renamed columns' names replaced: after its first "(", each
 * name (bare, or quoted with "", `` or []) that is a renamed column's old name and not a
 * function's (followed by "(") is written as the new one; strings, comments and the rest
 * are copied. (A quoted name is compared with its doubled quotes as one.) */
static void rename_in_index(sq_buf *out, const char *sql, const sq_model *m) {
  const char *p = sql;
  char plain[256];
  int open = 0;
  while (*p) {
    const char *b = p, *name = NULL;
    size_t n = 0;
    if ((p = sq_sqlite_skip_quoted(b)) != b) {
      if (open && (*b == '"' || *b == '`' || *b == '[') && p - b >= 2 &&
          p[-1] == (*b == '[' ? ']' : *b)) { /* a quoted name, closed (not the index's) */
        name = b + 1;
        n = (size_t)(p - b) - 2;
      }
    } else if (isalpha((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80) {
      while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80) p++;
      if (open) {
        name = b;
        n = (size_t)(p - b);
      }
    } else {
      if (*p == '(') open = 1;
      p++;
    }
    if (name && name != b && b[0] != '[' && memchr(name, b[0], n)) {
      /* "we""ird": compared as we"ird (a longer one is no column name of ours) */
      size_t k, j = 0;
      for (k = 0; k < n && j < sizeof plain; k++) {
        plain[j++] = name[k];
        if (name[k] == b[0]) k++;
      }
      if (k < n) name = NULL;
      else {
        name = plain;
        n = j;
      }
    }
    if (name) {
      const char *after = p, *to;
      while (*after == ' ' || *after == '\t' || *after == '\n' || *after == '\r') after++;
      if (*after != '(' && (to = renamed_to(m, name, n)) != NULL) {
        qs(out, to);
        continue;
      }
    }
    sq_buf_add(out, b, (size_t)(p - b));
  }
}

/* The table's CREATE INDEX texts (idx: NUL-separated, as stored) run again on the rebuilt
 * table, a renamed column's old name in them replaced by its new one; an index naming a
 * column that is gone goes with it. A failure other than a missing column (a UNIQUE the
 * rows no longer meet) raises. */
static int restore_indexes(sq_db *db, const sq_model *m, sq_buf *idx, sq_buf *old_cols) {
  const char *p;
  int i, renames = 0;
  for (i = 0; i < m->nattrs; i++)
    if (m->attrs[i]->copy_from && strcmp(m->attrs[i]->copy_from, m->attrs[i]->field)) renames = 1;
  for (p = sq_buf_cstr(idx); p < idx->p + idx->len; p += strlen(p) + 1) {
    sq_buf b;
    int rc;
    if (!renames) {
      if (recreate_index(db, p, old_cols)) return -1;
      continue;
    }
    sq_buf_init(&b);
    rename_in_index(&b, p, m);
    rc = b.oom ? sq_err_oom(db) : recreate_index(db, sq_buf_cstr(&b), old_cols);
    sq_buf_free(&b);
    if (rc) return -1;
  }
  return 0;
}

/* DROP INDEX IF EXISTS of each of m->drop_indexes (a query interface rebuild's: changeColumn
 * unique = false drops the column's UNIQUE index) */
static int drop_listed(sq_db *db, const sq_model *m) {
  const char *p;
  for (p = m->drop_indexes; p && *p; p += strlen(p) + 1) {
    sq_buf sql;
    sq_buf_init(&sql);
    sqlite_drop_index(&sql, p);
    sq_buf_addc(&sql, ';');
    if (sq_db_exec_buf(db, &sql)) return -1;
  }
  return 0;
}

/* A failed statement of a rebuild: its message names the caller, the model and the table,
 * not the table's temporary name */
static void tmp_error(sq_db *db, const char *what, const sq_model *m, const char *table, const sq_buf *tmp,
                      const char *step) {
  sq_buf msg;
  const char *e = sq_buf_cstr(&db->err.msg), *hit;
  sq_buf_init(&msg);
  sq_buf_addf(&msg, "%s on %s: %s", what, m->name, step);
  while ((hit = strstr(e, tmp->p)) != NULL) { /* (tmp->len > 0: NUL-terminated) */
    sq_buf_add(&msg, e, (size_t)(hit - e));
    sq_buf_adds(&msg, table);
    e = hit + tmp->len;
  }
  sq_buf_adds(&msg, e);
  if (!msg.oom) {
    sq_buf_free(&db->err.msg);
    db->err.msg = msg;
  } else {
    sq_buf_free(&msg);
  }
}

/* The table is rebuilt when its stored definition differs from the model's, by SQLite's
 * own recipe (lang_altertable, "making other kinds of table schema changes"): with foreign
 * keys off, a new table under another name, the columns both have copied into it, the old
 * one dropped and the new one renamed, checked with foreign_key_check before the savepoint
 * is released. Foreign keys can only be switched off outside a transaction: inside one,
 * alter raises. The table's CREATE INDEX indexes are made again on the new table (Sequelize
 * loses them; its describeTable keeps a unique one as a UNIQUE column). Sequelize's sqlite
 * alter copies through a backup table (and drops AUTOINCREMENT); the rows end the same. */
static int sqlite_alter_table(sq_db *db, const sq_model *m, const char *what) {
  sq_buf want, stored, cols, sql, tmp, common, source, idx, keep, tname;
  const char *table = sq_table(m);
  int rc = -1, i, n = 0, fk = 0, violations = 0, began = 0, has_seq = 0, locked = 0, drops;
  int outer = !sqlite3_get_autocommit(db->conn); /* inside the caller's transaction */
  long long seq = -1;
  const char *p;
  sq_buf_init(&common);
  sq_buf_init(&source);
  sq_buf_init(&want);
  sq_buf_init(&stored);
  sq_buf_init(&cols);
  sq_buf_init(&sql);
  sq_buf_init(&tmp);
  sq_buf_init(&idx);
  sq_buf_init(&keep);
  sq_buf_init(&tname);
  if (m->create_sql) sq_buf_adds(&want, m->create_sql); /* (addConstraint / removeConstraint's) */
  else sqlite_create_table(&want, m);
  if (want.oom) goto oom;
  /* the table as SQLite stored its name: names are matched without regard to case (a
   * migration's "posts" is the table `Posts`), and the rebuilt table keeps the stored name,
   * its indexes (tbl_name) and its AUTOINCREMENT counter (sqlite_sequence) found by it */
  if (alter_read(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", table,
                 take_text, &tname))
    goto done;
  if (tname.oom) goto oom;
  if (tname.len) table = sq_buf_cstr(&tname);
  if (alter_read(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table, take_text, &stored))
    goto done;
  if (stored.oom) goto oom;
  if (!m->create_sql && stored.len && !strcmp(what, SQ_SYNC_ALTER)) {
    keep_named_uniques(&want, sq_buf_cstr(&stored), m);
    if (want.oom) goto oom;
  }
  if (!stored.len) {
    rc = sq_db_exec(db, sq_buf_cstr(&want));
    goto done;
  }
  drops = m->drop_indexes && *m->drop_indexes;
  if (same_definition(sq_buf_cstr(&stored), sq_buf_cstr(&want))) {
    rc = 0; /* as the model says already */
    if (drops) { /* (but for indexes to drop: they go alone, together or not at all) */
      if (sq_db_begin(db, "sequelua_alter")) {
        rc = -1;
      } else if (drop_listed(db, m)) {
        sq_err saved;
        sq_err_stash(db, &saved);
        sq_db_rollback(db, "sequelua_alter");
        sq_err_restore(db, &saved);
        rc = -1;
      } else if (sq_db_commit(db, "sequelua_alter")) {
        rc = -1;
      }
    }
    goto done;
  }
  if (outer) {
    /* inside a transaction foreign keys cannot be switched (PRAGMA foreign_keys is a no-op
     * there): when they are on, the old table's DROP would run the ON DELETE actions of the
     * tables that refer to it. One nothing refers to can be rebuilt there (a migration's
     * transaction); so can any table when foreign keys were switched off before the
     * transaction began: they stay off until it ends, so no action can fire (Sequelize's
     * recipe for migrations on SQLite) */
    int refs = 0, fk_on = 1;
    if (alter_read(db, "PRAGMA foreign_keys", NULL, take_int, &fk_on)) goto done;
    if (alter_read(db, "SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
                       "WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE", table, take_int, &refs))
      goto done;
    if (refs && !strcmp(what, "renameColumn")) {
      /* a rename alone: SQLite's own ALTER TABLE ... RENAME COLUMN, which drops nothing and
       * renames the column in the indexes and in the other tables' references too */
      const sq_attr *ra = NULL;
      for (i = 0; i < m->nattrs; i++)
        if (m->attrs[i]->copy_from && strcmp(m->attrs[i]->copy_from, m->attrs[i]->field)) ra = m->attrs[i];
      if (ra) {
        sq_buf_adds(&sql, "ALTER TABLE ");
        qs(&sql, table);
        sq_buf_adds(&sql, " RENAME COLUMN ");
        qs(&sql, ra->copy_from);
        sq_buf_adds(&sql, " TO ");
        qs(&sql, ra->field);
        if (sql.oom) goto oom;
        rc = sq_db_exec(db, sq_buf_cstr(&sql));
        goto done;
      }
    }
    if (refs && fk_on) {
      sq_err_set(db, SQ_E_USAGE, "%s on %s: cannot change a table other tables refer to inside a transaction "
                 "while foreign keys are on (SQLite switches foreign keys off only outside one): run it outside "
                 "the transaction, or run PRAGMA foreign_keys = OFF before the transaction begins",
                 what, m->name);
      goto done;
    }
  }
  if (alter_read(db, "PRAGMA foreign_keys", NULL, take_int, &fk)) goto done;
  if (fk && sq_db_exec(db, "PRAGMA foreign_keys = OFF")) goto done;
  if (!outer) {
    /* outside a transaction the write lock comes first: BEGIN IMMEDIATE waits out the busy
     * timeout, where a deferred transaction that reads and then writes fails at once with
     * SQLITE_BUSY once another connection has written meanwhile (workers all running sync
     * { alter = true } at start). Under the lock the stored definition is read again: another
     * process may have made the table match the model meanwhile, leaving nothing to do. */
    if (sq_db_begin(db, "\x01IMMEDIATE")) goto restore;
    locked = 1;
    sq_buf_truncate(&stored, 0);
    if (alter_read(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table, take_text,
                   &stored))
      goto rollback;
    if (stored.oom) goto oom_rollback;
    if (!stored.len || same_definition(sq_buf_cstr(&stored), sq_buf_cstr(&want))) {
      if (stored.len && drops && drop_listed(db, m)) goto rollback;
      if (!stored.len && sq_db_exec(db, sq_buf_cstr(&want))) goto rollback;
      goto commit;
    }
  }
  if (alter_read(db, "SELECT name FROM pragma_table_info(?)", table, take_name0, &cols)) goto rollback;
  if (cols.oom) goto oom_rollback;
  /* a new primary key column on a table with rows: their keys would be NULL (Sequelize's
   * alter fails there too: "Cannot add a PRIMARY KEY column"), refused, nothing changed */
  for (i = 0; i < m->nattrs; i++) {
    const sq_attr *a = m->attrs[i];
    const char *from = a->copy_from ? a->copy_from : a->field;
    if (a->pk && !a->autoinc && !in_names(&cols, from, strlen(from))) {
      int rows = 0;
      sq_buf_truncate(&sql, 0);
      sq_buf_adds(&sql, "SELECT count(*) FROM ");
      qs(&sql, table);
      if (sql.oom) goto oom_rollback;
      if (alter_read(db, sq_buf_cstr(&sql), NULL, take_int, &rows)) goto rollback;
      if (rows) {
        sq_err_set(db, SQ_E_DATABASE, "Cannot add a PRIMARY KEY column: %s on %s: the new key column '%s' would be "
                   "NULL in the table's %d rows", what, m->name, a->field, rows);
        goto rollback;
      }
    }
  }
  if (db->alter_keep) {
    /* alter = { drop = false }: the columns the model lacks are kept (Sequelize), added to the
     * new table as they are declared and copied with the rows */
    sq_buf defs;
    sq_buf_init(&defs);
    if (alter_read(db, "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?)", table,
                   take_coldef, &defs)) {
      sq_buf_free(&defs);
      goto rollback;
    }
    for (p = sq_buf_cstr(&defs); p < defs.p + defs.len; p += strlen(p) + 1) {
      const char *def = p + strlen(p) + 1;
      int used = 0;
      for (i = 0; i < m->nattrs && !used; i++) {
        const sq_attr *a = m->attrs[i];
        used = !strcmp(p, a->copy_from ? a->copy_from : a->field);
      }
      if (!used) {
        /* its whole stored definition (NOT NULL, UNIQUE, REFERENCES ... kept: the new table's
         * CREATE TABLE takes them, where ADD COLUMN could not), else its type and default */
        sq_buf sd;
        sq_buf_init(&sd);
        sq_buf_add(&keep, p, strlen(p) + 1);
        if (stored_coldef(sq_buf_cstr(&stored), p, &sd) && !sd.oom) sq_buf_add(&keep, sd.p, sd.len);
        else sq_buf_adds(&keep, def);
        sq_buf_addc(&keep, '\0');
        sq_buf_free(&sd);
      }
      p = def;
    }
    if (defs.oom || keep.oom) {
      sq_buf_free(&defs);
      goto oom_rollback;
    }
    sq_buf_free(&defs);
  }
  if (alter_read(db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'", NULL, take_int, &has_seq))
    goto rollback;
  sq_buf_adds(&tmp, table);
  sq_buf_adds(&tmp, "_sequelua_alter");
  if (tmp.oom) goto oom_rollback;
  if (sq_db_begin(db, "sequelua_alter")) goto rollback;
  began = 1;
  if (has_seq && alter_read(db, "SELECT seq FROM sqlite_sequence WHERE name = ?", table, take_int64, &seq))
    goto rollback;
  /* CREATE TABLE tmp (the model's definition) */
  sq_buf_truncate(&sql, 0);
  sq_buf_adds(&sql, "CREATE TABLE ");
  qs(&sql, sq_buf_cstr(&tmp));
  sq_buf_addc(&sql, ' ');
  {
    /* the model's columns, then the ones kept (alter = { drop = false }) with their whole
     * definitions, then the model's table constraints */
    const char *w = sq_buf_cstr(&want) + column_list(sq_buf_cstr(&want), want.len);
    size_t cut = keep.len ? after_columns(w) : 0;
    if (keep.len && !cut && strrchr(w, ')')) cut = (size_t)(strrchr(w, ')') - w); /* (before the list's end) */
    if (keep.len && cut) {
      sq_buf_add(&sql, w, cut);
      for (p = sq_buf_cstr(&keep); p < keep.p + keep.len; p += strlen(p) + 1) {
        const char *def = p + strlen(p) + 1;
        sq_buf_adds(&sql, ", ");
        sq_buf_adds(&sql, def);
        p = def;
      }
      sq_buf_adds(&sql, w + cut);
    } else {
      sq_buf_adds(&sql, w);
    }
  }
  if (sql.oom) goto oom_rollback;
  if (sq_db_exec(db, sq_buf_cstr(&sql))) {
    /* (a definition SQLite refuses: addConstraint's second PRIMARY KEY, a column it does not
     * have) */
    tmp_error(db, what, m, table, &tmp, "");
    goto rollback;
  }
  /* the columns kept are copied as they are */
  for (p = sq_buf_cstr(&keep); p < keep.p + keep.len; p += strlen(p) + 1) {
    const char *def = p + strlen(p) + 1;
    if (n++) {
      sq_buf_addc(&common, ',');
      sq_buf_addc(&source, ',');
    }
    qs(&common, p);
    qs(&source, p);
    p = def;
  }
  /* INSERT INTO tmp (common) SELECT source FROM t: the columns both tables have (a renamed
   * column's rows come from its old name) */
  for (i = 0; i < m->nattrs; i++) {
    const char *f = m->attrs[i]->field, *from = m->attrs[i]->copy_from ? m->attrs[i]->copy_from : f;
    if (!sq_model_column_def(m, i)) continue; /* (a column two attributes name: once) */
    for (p = sq_buf_cstr(&cols); p < cols.p + cols.len; p += strlen(p) + 1)
      if (!strcmp(p, from)) {
        if (n++) {
          sq_buf_addc(&common, ',');
          sq_buf_addc(&source, ',');
        }
        qs(&common, f);
        qs(&source, from);
        break;
      }
  }
  if (n) {
    sq_buf_truncate(&sql, 0);
    sq_buf_adds(&sql, "INSERT INTO ");
    qs(&sql, sq_buf_cstr(&tmp));
    sq_buf_adds(&sql, " (");
    sq_buf_add(&sql, sq_buf_cstr(&common), common.len);
    sq_buf_adds(&sql, ") SELECT ");
    sq_buf_add(&sql, sq_buf_cstr(&source), source.len);
    sq_buf_adds(&sql, " FROM ");
    qs(&sql, table);
    sq_buf_addc(&sql, ';');
    if (sql.oom || common.oom || source.oom) goto oom_rollback;
    if (sq_db_exec(db, sq_buf_cstr(&sql))) {
      tmp_error(db, what, m, table, &tmp, "the rows could not be copied: ");
      goto rollback;
    }
  }
  if (alter_read(db, "SELECT sql FROM sqlite_master "
                     "WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL",
                 table, take_name0, &idx))
    goto rollback;
  if (idx.oom) goto oom_rollback;
  sq_buf_truncate(&sql, 0);
  sq_buf_adds(&sql, "DROP TABLE ");
  qs(&sql, table);
  sq_buf_addc(&sql, ';');
  if (sql.oom) goto oom_rollback;
  if (sq_db_exec(db, sq_buf_cstr(&sql))) goto rollback;
  sq_buf_truncate(&sql, 0);
  sq_buf_adds(&sql, "ALTER TABLE ");
  qs(&sql, sq_buf_cstr(&tmp));
  sq_buf_adds(&sql, " RENAME TO ");
  qs(&sql, table);
  sq_buf_addc(&sql, ';');
  if (sql.oom) goto oom_rollback;
  /* (legacy_alter_table: the rename does not parse the schema's views again, which name the
   * table while it is away; nothing references the new table's temporary name) */
  if (sq_db_exec(db, "PRAGMA legacy_alter_table = ON")) goto rollback;
  {
    int rename_rc = sq_db_exec(db, sq_buf_cstr(&sql));
    sq_err saved;
    sq_err_stash(db, &saved); /* (the rename's error, if any, is the one raised) */
    if (sq_db_exec_must(db, "PRAGMA legacy_alter_table = OFF") && rename_rc == 0) {
      sq_err_free(&saved);
      goto rollback;
    }
    sq_err_restore(db, &saved);
    if (rename_rc) goto rollback;
  }
  if (idx.len && restore_indexes(db, m, &idx, &cols)) goto rollback;
  /* the indexes the caller drops with the rebuild (changeColumn unique = false: the column's
   * UNIQUE index goes, as Sequelize's rebuild drops its unique constraint) */
  if (drop_listed(db, m)) goto rollback;
  if (seq >= 0) {
    /* AUTOINCREMENT's counter as it was: keys of deleted rows are not given again */
    sqlite3_stmt *st = NULL;
    const char *q = "INSERT OR REPLACE INTO sqlite_sequence (rowid, name, seq) "
                    "SELECT (SELECT rowid FROM sqlite_sequence WHERE name = ?1), ?1, "
                    "max(?2, coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0))";
    int r2;
    if (sq_db_log(db, q, strlen(q))) goto rollback;
    r2 = sqlite3_prepare_v2(db->conn, q, -1, &st, NULL);
    if (r2 != SQLITE_OK) {
      sqlite3_finalize(st);
      sq_db_fail(db, r2, q);
      goto rollback;
    }
    {
      sq_value v[2];
      v[0].kind = SQ_V_TEXT;
      v[0].u.s.p = table;
      v[0].u.s.n = strlen(table);
      v[1].kind = SQ_V_INT;
      v[1].u.i = seq;
      if (sq_db_bind(db, st, 1, &v[0]) || sq_db_bind(db, st, 2, &v[1]) || sq_db_log_flush(db, q, strlen(q))) {
        sqlite3_finalize(st);
        goto rollback;
      }
    }
    r2 = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db->conn);
    sqlite3_finalize(st);
    if (r2 != SQLITE_OK) {
      sq_db_fail(db, r2, q);
      goto rollback;
    }
    if (sq_db_ran(db)) goto rollback;
  }
  if (fk) {
    /* rows of this table (or referencing it) that their foreign keys no longer find */
    sq_buf_truncate(&sql, 0);
    /* this table's rows, and those of the tables that reference it (a key they name may
     * have lost its UNIQUE): other tables' are not ours to judge */
    sq_buf_truncate(&cols, 0);
    sq_buf_add(&cols, table, strlen(table) + 1);
    if (alter_read(db, "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
                       "WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE", table, take_name0, &cols))
      goto rollback;
    if (cols.oom) goto oom_rollback;
    for (p = sq_buf_cstr(&cols); p < cols.p + cols.len; p += strlen(p) + 1) {
      sq_buf_truncate(&sql, 0);
      sq_buf_adds(&sql, "PRAGMA foreign_key_check(");
      qs(&sql, p);
      sq_buf_addc(&sql, ')');
      if (sql.oom) goto oom_rollback;
      if (alter_read(db, sq_buf_cstr(&sql), NULL, count_row, &violations)) goto rollback;
      if (violations) break;
    }
    if (violations && p == sq_buf_cstr(&cols)) {
      sq_err_set(db, SQ_E_FK, "%s on %s: the rows copied break a foreign key "
                 "(PRAGMA foreign_key_check(%s)); nothing was changed", what, m->name, table);
      goto rollback;
    }
    if (violations) {
      /* (rows of a table referring to this one: most often rows that had no parent already,
       * written while foreign keys were off; or a key the change took away) */
      sq_err_set(db, SQ_E_FK, "%s on %s: rows of %s that refer to it break a foreign key (PRAGMA "
                 "foreign_key_check(%s)): rows already there without their parent row, or a key the change "
                 "took away; nothing was changed (delete or fix those rows first)", what, m->name, p, p);
      goto rollback;
    }
  }
  if (sq_db_commit(db, "sequelua_alter")) goto rollback;
  began = 0;
commit:
  if (locked && sq_db_commit(db, NULL)) goto rollback;
  locked = 0;
  rc = 0;
  goto restore;
oom_rollback:
  sq_err_oom(db);
rollback:
  {
    sq_err saved; /* (the error that made the rollback necessary is the one raised) */
    sq_err_stash(db, &saved);
    if (began) sq_db_rollback(db, "sequelua_alter");
    if (locked && !sqlite3_get_autocommit(db->conn)) sq_db_rollback(db, NULL);
    else if (locked && db->tx_depth > 0) db->tx_depth--;
    sq_err_restore(db, &saved);
  }
  rc = -1;
restore:
  if (fk) {
    /* foreign keys back on, even after a failure (the error stays the first one) */
    if (rc == 0) rc = sq_db_exec_must(db, "PRAGMA foreign_keys = ON");
    else {
      sq_err saved;
      sq_err_stash(db, &saved);
      sq_db_exec_must(db, "PRAGMA foreign_keys = ON");
      sq_err_restore(db, &saved);
    }
  }
  goto done;
oom:
  sq_err_oom(db);
  rc = -1;
done:
  sq_buf_free(&tname);
  sq_buf_free(&keep);
  sq_buf_free(&common);
  sq_buf_free(&source);
  sq_buf_free(&want);
  sq_buf_free(&stored);
  sq_buf_free(&cols);
  sq_buf_free(&sql);
  sq_buf_free(&tmp);
  sq_buf_free(&idx);
  return rc;
}

/* ---- addConstraint / removeConstraint -------------------------------------- */

/* A list of column names, quoted, ", " between them (Sequelize's getConstraintSnippet) */
static void name_list(sq_buf *b, const char *const *names, int n) {
  int i;
  for (i = 0; i < n; i++) {
    if (i) sq_buf_adds(b, ", ");
    qs(b, names[i]);
  }
}

/* The clause Sequelize's getConstraintSnippet writes for a constraint: CONSTRAINT `name`
 * UNIQUE (...) / CHECK (condition) / PRIMARY KEY (...) / FOREIGN KEY (...) REFERENCES `t`
 * (...) [ON UPDATE x] [ON DELETE y] */
static void constraint_clause(sq_buf *b, const sq_table_constraint *c) {
  sq_buf_adds(b, "CONSTRAINT ");
  qs(b, c->name);
  switch (c->type) {
    case SQ_TC_CHECK:
      sq_buf_adds(b, " CHECK (");
      sq_buf_adds(b, c->check);
      sq_buf_addc(b, ')');
      return;
    case SQ_TC_UNIQUE: sq_buf_adds(b, " UNIQUE ("); break;
    case SQ_TC_PRIMARY_KEY: sq_buf_adds(b, " PRIMARY KEY ("); break;
    default: sq_buf_adds(b, " FOREIGN KEY ("); break;
  }
  name_list(b, c->fields, c->nfields);
  sq_buf_addc(b, ')');
  if (c->type != SQ_TC_FOREIGN_KEY) return;
  sq_buf_adds(b, " REFERENCES ");
  qs(b, c->ref_table);
  sq_buf_adds(b, " (");
  name_list(b, c->ref_fields, c->nref);
  sq_buf_addc(b, ')');
  if (c->on_update) sq_buf_addf(b, " ON UPDATE %s", c->on_update);
  if (c->on_delete) sq_buf_addf(b, " ON DELETE %s", c->on_delete);
}

/* Is the column-list part s[0..n) the table constraint CONSTRAINT <name> ...? (the name
 * bare or quoted every SQLite way, compared as SQLite stored it, exactly) */
static int part_is_constraint(const char *s, size_t n, const char *name) {
  static const char kw[] = "CONSTRAINT";
  char got[256];
  size_t i = 0, k = 0;
  while (i < n && is_space(s[i])) i++;
  if (n - i <= sizeof kw - 1 || sqlite3_strnicmp(s + i, kw, (int)(sizeof kw - 1)) || !is_space(s[i + sizeof kw - 1]))
    return 0;
  i += sizeof kw - 1;
  while (i < n && is_space(s[i])) i++;
  if (i < n && (s[i] == '`' || s[i] == '"' || s[i] == '[')) {
    char close = s[i] == '[' ? ']' : s[i];
    for (i++; i < n; i++) {
      if (s[i] == close) {
        if (close != ']' && i + 1 < n && s[i + 1] == close) i++; /* a doubled quote: one */
        else break;
      }
      if (k + 1 >= sizeof got) return 0;
      got[k++] = s[i];
    }
  } else {
    while (i < n && !is_space(s[i]) && s[i] != '(') {
      if (k + 1 >= sizeof got) return 0;
      got[k++] = s[i++];
    }
  }
  got[k] = '\0';
  return k > 0 && !strcmp(got, name);
}

/* Read the table's stored CREATE TABLE and write it again as `CREATE TABLE <table> (...)`
 * with c's clause added at the end of its list (as Sequelize splices it in), or the table
 * constraint named drop cut out with the comma before it. 0, 1 no such constraint, -1 the
 * text could not be read (db->err set) */
static int edit_definition(sq_db *db, sq_buf *out, const char *table, const char *sql,
                           const sq_table_constraint *c, const char *drop) {
  size_t n = strlen(sql), open = column_list(sql, n), i = open + 1, e = n;
  if (open < n) {
    for (; i < n; i = e + 1) {
      e = part_end(sql, i, n);
      if (drop && part_is_constraint(sql + i, e - i, drop)) break;
      if (e >= n || sql[e] == ')') break;
    }
  }
  if (open >= n || e >= n)
    return sq_err_set(db, SQ_E_USAGE, "the stored definition of table %s cannot be read", table);
  if (drop && ((sql[e] == ')' && !part_is_constraint(sql + i, e - i, drop)) || i == open + 1)) return 1;
  sq_buf_adds(out, "CREATE TABLE ");
  qs(out, table);
  sq_buf_addc(out, ' ');
  if (drop) { /* (a table constraint follows a column: the part before it ends with a comma) */
    sq_buf_add(out, sql + open, i - 1 - open);
  } else {
    sq_buf_add(out, sql + open, e - open);
    sq_buf_adds(out, ", ");
    constraint_clause(out, c);
  }
  sq_buf_adds(out, sql + e);
  return out->oom ? sq_err_oom(db) : 0;
}

/* Sequelize's sqlite truncateTableQuery with restartIdentity: DELETE FROM `sqlite_sequence`
 * WHERE `name` = 'T' after the rows' DELETE (the name bound here). A database without
 * sqlite_sequence (no AUTOINCREMENT table yet) has no counter to reset: the statement, which
 * would not prepare, is not run. */
static int sqlite_restart_identity(sq_db *db, const char *table) {
  static const char q[] = "DELETE FROM `sqlite_sequence` WHERE `name` = ?;";
  sqlite3_stmt *st = NULL;
  sq_value v;
  int rc = sqlite3_prepare_v2(db->conn, q, (int)sizeof q - 1, &st, NULL);
  if (rc != SQLITE_OK) {
    int none = strstr(sqlite3_errmsg(db->conn), "no such table") != NULL;
    sqlite3_finalize(st);
    return none ? 0 : sq_db_fail(db, sqlite3_extended_errcode(db->conn), q);
  }
  v.kind = SQ_V_TEXT;
  v.u.s.p = table;
  v.u.s.n = strlen(table);
  if (sq_db_log(db, q, sizeof q - 1) || sq_db_bind(db, st, 1, &v) || sq_db_log_flush(db, q, sizeof q - 1)) {
    sqlite3_finalize(st);
    return -1;
  }
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return sq_db_fail(db, sqlite3_extended_errcode(db->conn), q);
  return sq_db_ran(db);
}

static int sqlite_alter_constraint(sq_db *db, const char *table, const sq_table_constraint *add, const char *drop,
                                   const char *what) {
  sq_buf tname, stored, want, cols;
  sq_model *m = NULL;
  const char *p;
  int rc = -1;
  sq_buf_init(&tname);
  sq_buf_init(&stored);
  sq_buf_init(&want);
  sq_buf_init(&cols);
  /* (the table as SQLite stored its name: names match without regard to case) */
  if (alter_read(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", table,
                 take_text, &tname))
    goto done;
  if (tname.oom) goto oom;
  if (!tname.len) {
    sq_err_set(db, SQ_E_USAGE, "No description found for \"%s\" table. Check the table name and schema; "
               "remember, they _are_ case sensitive.", table);
    goto done;
  }
  if (alter_read(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", sq_buf_cstr(&tname),
                 take_text, &stored))
    goto done;
  if (stored.oom) goto oom;
  if (!stored.len) {
    sq_err_set(db, SQ_E_USAGE, "the stored definition of table %s cannot be read", table);
    goto done;
  }
  if ((rc = edit_definition(db, &want, sq_buf_cstr(&tname), sq_buf_cstr(&stored), add, drop)) != 0) goto done;
  rc = -1;
  /* the columns, every one copied as it is */
  if (alter_read(db, "SELECT name FROM pragma_table_info(?)", sq_buf_cstr(&tname), take_name0, &cols)) goto done;
  if (cols.oom) goto oom;
  if (!(m = sq_model_new(db, sq_buf_cstr(&tname)))) goto oom;
  m->no_auto_pk = 1;
  if (sq_model_set_names(m, sq_buf_cstr(&tname), 1, NULL, NULL)) goto oom;
  for (p = sq_buf_cstr(&cols); p < cols.p + cols.len; p += strlen(p) + 1) {
    sq_attr *a = sq_attr_new(p);
    if (!a) goto oom;
    if (!(a->field = sq_strdup(p)) || sq_model_add_attr(m, a)) {
      sq_attr_free(a);
      goto oom;
    }
  }
  if (!(m->create_sql = malloc(want.len + 1))) goto oom;
  memcpy(m->create_sql, sq_buf_cstr(&want), want.len + 1);
  rc = sqlite_alter_table(db, m, what);
  goto done;
oom:
  rc = sq_err_oom(db);
done:
  sq_model_free(m);
  sq_buf_free(&tname);
  sq_buf_free(&stored);
  sq_buf_free(&want);
  sq_buf_free(&cols);
  return rc;
}

/* Sequelize's sqlite query generator's showAllTablesQuery, the stored definition of an index
 * (its name bound as the one parameter), the version, showConstraintsQuery */
static void sqlite_introspect(sq_buf *b, int what) {
  switch (what) {
    case SQ_IS_INDEX_DEF:
      sq_buf_adds(b, "SELECT sql FROM `sqlite_master` WHERE type = 'index' AND name = ? AND tbl_name = ? COLLATE NOCASE");
      return;
    case SQ_IS_VERSION: sq_buf_adds(b, "SELECT sqlite_version() as `version`"); return;
    case SQ_IS_CONSTRAINTS: /* (Sequelize's writes the name and pattern into the text; bound here) */
      sq_buf_adds(b, "SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND (?2 IS NULL OR sql LIKE ?2);");
      return;
    default:
      sq_buf_adds(b, "SELECT name FROM `sqlite_master` WHERE type='table' and name!='sqlite_sequence';");
      return;
  }
}

/* The PRAGMAs the readers below run, as Sequelize's sqlite query generator writes them
 * (describeTableQuery, showIndexesQuery, the INDEX_INFO its query runs, getForeignKeysQuery) */
enum { P_TABLE_INFO, P_INDEX_LIST, P_INDEX_INFO, P_FOREIGN_KEY_LIST };

static void pragma_sql(sq_buf *b, int pragma, const char *name) {
  static const char *const heads[] = {"PRAGMA TABLE_INFO(", "PRAGMA INDEX_LIST(", "PRAGMA INDEX_INFO(",
                                      "PRAGMA foreign_key_list("};
  sq_buf_adds(b, heads[pragma]);
  qs(b, name);
  sq_buf_adds(b, pragma == P_TABLE_INFO ? ");" : ")");
}

/* ---- the query interface's reading of a table's schema: PRAGMA TABLE_INFO, INDEX_LIST,
 * INDEX_INFO and foreign_key_list, each run as db:query runs a statement (Sequelize's sqlite
 * runs these texts through its query: logged so), their rows read by position into the
 * records of dialect.h */

/* Run PRAGMA `pragma` of `name` (P_*), row(st, ud) per row (its nonzero return stops the
 * reading and is returned): 0, or -1 with db->err set. As core.query runs a statement: the
 * text checked to be UTF-8, logged (sq_db_log, then sq_db_log_flush: logQueryParameters' line
 * with no values), run, a failure set by sq_db_fail with the text, the benchmark's line
 * logged once it has run (sq_db_ran). */
static int pragma_read(sq_db *db, int pragma, const char *name, int (*row)(sqlite3_stmt *st, void *ud), void *ud) {
  sq_buf b;
  int rc;
  sq_buf_init(&b);
  pragma_sql(&b, pragma, name);
  if (b.oom) {
    sq_buf_free(&b);
    return sq_err_oom(db);
  }
  if (!sq_v_is_utf8(sq_buf_cstr(&b), b.len)) { /* (an index's name as another program stored it) */
    sq_buf_free(&b);
    return sq_err_set(db, SQ_E_USAGE, "query: the SQL text is not valid UTF-8");
  }
  rc = read_stmt(db, sq_buf_cstr(&b), b.len, NULL, row, ud);
  sq_buf_free(&b);
  return rc;
}

/* A text column of the row: NULL for NULL; *oom set when SQLite could not make the text */
static const char *col_text(sqlite3_stmt *st, int k, int *oom) {
  const char *s;
  if (sqlite3_column_type(st, k) == SQLITE_NULL) return NULL;
  s = (const char *)sqlite3_column_text(st, k);
  if (!s) *oom = 1;
  return s;
}

/* The reader's caller: the db, and its each (the one of the record type read) */
typedef struct pragma_each {
  sq_db *db;
  void *ud;
  int (*column)(void *ud, const sq_column_info *c);
  int (*index)(void *ud, const sq_index_info *ix);
  int (*index_column)(void *ud, const sq_index_column_info *c);
  int (*fk)(void *ud, const sq_fk_info *fk);
} pragma_each;

static pragma_each each_of(sq_db *db, void *ud) {
  pragma_each e;
  memset(&e, 0, sizeof e);
  e.db = db;
  e.ud = ud;
  return e;
}

/* PRAGMA TABLE_INFO: cid, name, type, notnull, dflt_value, pk */
static int columns_row(sqlite3_stmt *st, void *ud) {
  pragma_each *e = ud;
  sq_column_info c;
  int oom = 0;
  c.name = col_text(st, 1, &oom);
  c.decl_type = col_text(st, 2, &oom);
  c.stored_default = col_text(st, 4, &oom);
  c.not_null = sqlite3_column_int(st, 3) != 0;
  c.key_position = sqlite3_column_int(st, 5);
  if (oom) return sq_err_oom(e->db);
  return e->column(e->ud, &c);
}

static int sqlite_read_columns(sq_db *db, const char *table, int (*each)(void *ud, const sq_column_info *c),
                               void *ud) {
  pragma_each e = each_of(db, ud);
  e.column = each;
  return pragma_read(db, P_TABLE_INFO, table, columns_row, &e);
}

/* A column of the row as a value (a text borrowed from the statement) */
static int col_value(sqlite3_stmt *st, int k, sq_value *v) {
  int oom = 0;
  switch (sqlite3_column_type(st, k)) {
    case SQLITE_NULL: v->kind = SQ_V_NULL; break;
    case SQLITE_INTEGER: v->kind = SQ_V_INT; v->u.i = sqlite3_column_int64(st, k); break;
    case SQLITE_FLOAT: v->kind = SQ_V_REAL; v->u.d = sqlite3_column_double(st, k); break;
    default:
      v->kind = SQ_V_TEXT;
      v->u.s.p = col_text(st, k, &oom);
      v->u.s.n = (size_t)sqlite3_column_bytes(st, k);
      break;
  }
  return oom;
}

/* PRAGMA INDEX_LIST: seq, name, unique, origin ("c" CREATE INDEX, "u" UNIQUE, "pk"), partial */
static int indexes_row(sqlite3_stmt *st, void *ud) {
  static const char *const own[] = {"seq", "origin", "partial"};
  static const int own_col[] = {0, 3, 4};
  pragma_each *e = ud;
  sq_index_info ix;
  int oom = 0, k;
  const char *origin;
  memset(&ix, 0, sizeof ix);
  ix.name = col_text(st, 1, &oom);
  origin = col_text(st, 3, &oom);
  ix.unique = sqlite3_column_int(st, 2) != 0;
  ix.partial = sqlite3_column_int(st, 4) != 0;
  ix.made_by = !origin ? SQ_IXBY_OTHER
               : !strcmp(origin, "c") ? SQ_IXBY_INDEX
               : !strcmp(origin, "u") ? SQ_IXBY_UNIQUE
               : !strcmp(origin, "pk") ? SQ_IXBY_PRIMARY_KEY : SQ_IXBY_OTHER;
  /* (the row's fields Sequelize's sqlite showIndex passes on, as PRAGMA INDEX_LIST gives them) */
  for (k = 0; k < 3; k++) {
    ix.own[k].key = own[k];
    oom |= col_value(st, own_col[k], &ix.own[k].v);
  }
  ix.nown = 3;
  if (oom) return sq_err_oom(e->db);
  return e->index(e->ud, &ix);
}

static int sqlite_read_indexes(sq_db *db, const char *table, int (*each)(void *ud, const sq_index_info *ix),
                               void *ud) {
  pragma_each e = each_of(db, ud);
  e.index = each;
  return pragma_read(db, P_INDEX_LIST, table, indexes_row, &e);
}

/* PRAGMA INDEX_INFO: seqno, cid, name (NULL for an expression), in seqno's order */
static int index_columns_row(sqlite3_stmt *st, void *ud) {
  pragma_each *e = ud;
  sq_index_column_info c;
  int oom = 0;
  c.column = col_text(st, 2, &oom);
  if (oom) return sq_err_oom(e->db);
  return e->index_column(e->ud, &c);
}

static int sqlite_read_index_columns(sq_db *db, const char *index,
                                     int (*each)(void *ud, const sq_index_column_info *c), void *ud) {
  pragma_each e = each_of(db, ud);
  e.index_column = each;
  return pragma_read(db, P_INDEX_INFO, index, index_columns_row, &e);
}

/* PRAGMA foreign_key_list: id, seq, table, from, to (NULL: the primary key), on_update,
 * on_delete, match */
static int fks_row(sqlite3_stmt *st, void *ud) {
  pragma_each *e = ud;
  sq_fk_info fk;
  int oom = 0;
  fk.ref_table = col_text(st, 2, &oom);
  fk.column = col_text(st, 3, &oom);
  fk.ref_column = col_text(st, 4, &oom);
  fk.on_update = col_text(st, 5, &oom);
  fk.on_delete = col_text(st, 6, &oom);
  if (oom) return sq_err_oom(e->db);
  return e->fk(e->ud, &fk);
}

static int sqlite_read_foreign_keys(sq_db *db, const char *table, int (*each)(void *ud, const sq_fk_info *fk),
                                    void *ud) {
  pragma_each e = each_of(db, ud);
  e.fk = each;
  return pragma_read(db, P_FOREIGN_KEY_LIST, table, fks_row, &e);
}

/* Sequelize's sqlite describeTable: dflt_value as it is, but NULL for the word NULL, a
 * TINYINT(1)'s 0 / 1 as false / true (anything else: none), and every single quote taken
 * out of the text */
static int sqlite_describe_default(sq_buf *b, const char *decl, const char *d) {
  const char *p;
  if (decl && !strcmp(decl, "TINYINT(1)")) {
    if (d && !strcmp(d, "0")) return SQ_DD_FALSE;
    if (d && !strcmp(d, "1")) return SQ_DD_TRUE;
    return SQ_DD_NONE;
  }
  if (!d) return SQ_DD_NONE;
  if (!strcmp(d, "NULL")) return SQ_DD_NULL;
  for (p = d; *p; p++)
    if (*p != '\'') sq_buf_addc(b, *p);
  return SQ_DD_TEXT;
}

/* The query interface's statements, as Sequelize's sqlite query generator prints them:
 * addColumnQuery `ALTER TABLE `t` ADD `c` VARCHAR(255);`, renameTableQuery
 * `ALTER TABLE `a` RENAME TO `b`;`, and dropAllTables' `PRAGMA foreign_keys = OFF` / `ON`. */
static void sqlite_add_column(sq_buf *b, const char *table, const sq_attr *a) {
  sq_buf_adds(b, "ALTER TABLE ");
  qs(b, table);
  sq_buf_adds(b, " ADD ");
  column_sql(b, NULL, a, 0);
  sq_buf_addc(b, ';');
}

static void sqlite_rename_table(sq_buf *b, const char *from, const char *to) {
  sq_buf_adds(b, "ALTER TABLE ");
  qs(b, from);
  sq_buf_adds(b, " RENAME TO ");
  qs(b, to);
  sq_buf_addc(b, ';');
}

static void sqlite_foreign_keys(sq_buf *b, int on) {
  sq_buf_adds(b, on == 2 ? "PRAGMA defer_foreign_keys = ON" : on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
}

/* dflt_value is the default's text without the parentheses an expression needs (`DEFAULT
 * (datetime('now'))` reads back as `datetime('now')`): a literal (a string, a number, a blob,
 * NULL, TRUE, FALSE, CURRENT_TIME / _DATE / _TIMESTAMP) is written as it is, anything else
 * in parentheses. */
static void sqlite_stored_default(sq_buf *b, const char *d) {
  static const char *const words[] = {"NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP", NULL};
  size_t n = strlen(d), i;
  int literal = 0, k;
  if (n >= 2 && d[0] == '\'' && d[n - 1] == '\'') {
    literal = 1; /* (a quote inside is doubled: '' ; a lone one would end the string early) */
    for (i = 1; i + 1 < n && literal; i++)
      if (d[i] == '\'') {
        if (d[i + 1] == '\'' && i + 2 < n) i++;
        else literal = 0;
      }
  } else if (n >= 3 && (d[0] == 'x' || d[0] == 'X') && d[1] == '\'' && d[n - 1] == '\'') {
    literal = 1;
    for (i = 2; i + 1 < n; i++)
      if (!isxdigit((unsigned char)d[i])) literal = 0;
  } else if (n) {
    char *end;
    (void)strtod(d, &end);
    literal = *end == '\0' && (isdigit((unsigned char)d[0]) || d[0] == '-' || d[0] == '+' || d[0] == '.');
    for (k = 0; !literal && words[k]; k++) literal = !strcasecmp(d, words[k]);
  }
  if (literal) {
    sq_buf_adds(b, d);
  } else {
    sq_buf_addc(b, '(');
    sq_buf_adds(b, d);
    sq_buf_addc(b, ')');
  }
}

/* DATETIME: what sqlite_type_sql writes for DATE (any case, as SQLite keeps what was declared) */
static int sqlite_is_date_decl(const char *decl) { return !strcasecmp(decl, "DATETIME"); }

/* SQLite's affinity rule: a declared type containing "BLOB" (any case) */
static int sqlite_is_blob_decl(const char *decl) {
  const char *p;
  for (p = decl; *p; p++)
    if (!strncasecmp(p, "BLOB", 4)) return 1;
  return 0;
}

/* A type string a caller gives the query interface (SQLite's type-name): one or more words
 * of letters, digits and underscores (not starting with a digit), then at most one
 * parenthesised list of one or two unsigned numbers, which ends it; single spaces between
 * the parts (VARCHAR(255), DECIMAL(10, 2), INTEGER UNSIGNED, DOUBLE PRECISION, VARCHAR
 * BINARY(255)). No word may be one that starts a column constraint (CONSTRAINT, PRIMARY,
 * NOT, NULL, UNIQUE, CHECK, DEFAULT, COLLATE, REFERENCES, GENERATED, AS, DEFERRABLE: parse.y's
 * ccons): SQLite would end the type there and read the rest as the column's constraints
 * (DEFERRABLE [INITIALLY DEFERRED] defers the table's last foreign key so far, another
 * column's). The other keywords fall back to identifiers there, part of the type name. */
static int sqlite_type_name_ok(const char *s) {
  static const char *const refused[] = {"CONSTRAINT", "PRIMARY", "NOT",       "NULL", "UNIQUE", "CHECK", "DEFAULT",
                                        "COLLATE",    "REFERENCES", "GENERATED", "AS",  "DEFERRABLE"};
  const char *p = s;
  size_t k;
  int words = 0, nums = 0;
  while (*p == ' ') p++;
  while (isalpha((unsigned char)*p) || *p == '_') {
    const char *w = p;
    while (isalnum((unsigned char)*p) || *p == '_') p++;
    for (k = 0; k < sizeof refused / sizeof *refused; k++)
      if (strlen(refused[k]) == (size_t)(p - w) && !strncasecmp(w, refused[k], (size_t)(p - w))) return 0;
    words++;
    while (*p == ' ') p++;
  }
  if (!words) return 0;
  if (*p == '(') {
    p++;
    for (;;) {
      while (*p == ' ') p++;
      if (!isdigit((unsigned char)*p)) return 0;
      while (isdigit((unsigned char)*p)) p++;
      while (*p == ' ') p++;
      nums++;
      if (*p == ')') break;
      if (*p != ',' || nums == 2) return 0;
      p++;
    }
    p++;
    while (*p == ' ') p++;
  }
  return *p == '\0';
}

/* Sequelize's sqlite parseConstraintsFromSql, step for step (the text is split at each
 * "CONSTRAINT ", the part before the first passed over):
 * - a part naming REFERENCES: its ON UPDATE / ON DELETE action (at the first "ON UPDATE "
 *   followed by one of CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT), and the first
 *   two words after "REFERENCES " (the table, the column in parentheses);
 * - its condition: the first (...) nested at most three deep, as Sequelize's pattern
 *   /\((?:[^)(]+|\((?:[^)(]+|\([^)(]*\))*\))*\)/ finds it (a group nested deeper is passed
 *   over for the first one inside it that is not);
 * - its name and type: the first two words (split at single spaces) of the part with its
 *   first "(" to last ")" taken out. */
static const char *find_in(const char *s, const char *end, const char *what) {
  size_t k = strlen(what);
  for (; (size_t)(end - s) >= k; s++)
    if (!memcmp(s, what, k)) return s;
  return NULL;
}

/* the action of the first "<on> <action>" in s (the leftmost, as the pattern matches: not
 * the first action of the list found anywhere) */
static sq_text action_of(const char *s, const char *end, const char *on) {
  static const char *const acts[] = {"CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT", NULL};
  size_t k = strlen(on);
  sq_text t = {NULL, 0};
  const char *at;
  for (; (at = find_in(s, end, on)) != NULL; s = at + 1) {
    const char *p = at + k;
    int i;
    if (p >= end || *p != ' ') continue;
    p++;
    for (i = 0; acts[i]; i++) {
      size_t n = strlen(acts[i]);
      if ((size_t)(end - p) >= n && !memcmp(p, acts[i], n)) {
        t.p = p;
        t.n = n;
        return t;
      }
    }
  }
  return t;
}

/* the first run of characters that are not white space at or after *s (Lua's %S+); *s moves past it */
static sq_text word_at(const char **s, const char *end) {
  sq_text t = {NULL, 0};
  const char *p = *s;
  while (p < end && isspace((unsigned char)*p)) p++;
  if (p < end) {
    t.p = p;
    while (p < end && !isspace((unsigned char)*p)) p++;
    t.n = (size_t)(p - t.p);
  }
  *s = p;
  return t;
}

static sq_text balanced(const char *s, const char *end) {
  sq_text t = {NULL, 0};
  const char *a;
  for (a = s; a < end; a++) {
    const char *i;
    int depth = 0, deepest = 0;
    if (*a != '(') continue;
    for (i = a; i < end; i++) {
      if (*i == '(') {
        if (++depth > deepest) deepest = depth;
      } else if (*i == ')' && --depth == 0) {
        if (deepest <= 3) {
          t.p = a;
          t.n = (size_t)(i - a + 1);
          return t;
        }
        break;
      }
    }
  }
  return t;
}

/* do a word's pieces spell w? */
static int pieces_are(const sq_text t[2], const char *w) {
  size_t k = strlen(w), n0 = t[0].p ? t[0].n : 0, n1 = t[1].p ? t[1].n : 0;
  return t[0].p && n0 + n1 == k && !memcmp(t[0].p, w, n0) && (!n1 || !memcmp(t[1].p, w + n0, n1));
}

static int sqlite_constraints(const char *s, size_t n, int (*each)(void *ud, const sq_constraint *c), void *ud) {
  static const char split[] = "CONSTRAINT ";
  const char *end = s + n, *at = find_in(s, end, split);
  while (at) {
    const char *c = at + sizeof split - 1, *ce = find_in(c, end, split), *open = NULL, *close = NULL, *p;
    sq_constraint k;
    int rc;
    if (!ce) ce = end;
    memset(&k, 0, sizeof k);
    if (find_in(c, ce, "REFERENCES")) {
      const char *ref = find_in(c, ce, "REFERENCES ");
      k.references = 1;
      k.update_action = action_of(c, ce, "ON UPDATE");
      k.delete_action = action_of(c, ce, "ON DELETE");
      if (ref) {
        ref += sizeof "REFERENCES " - 1;
        k.ref_table = word_at(&ref, ce);
        k.ref_key = word_at(&ref, ce);
      }
    }
    k.condition = balanced(c, ce);
    /* the name and the type: the first two words (cut at single spaces) of the part with its
     * first "(" to its last ")" taken out, when something stands between them; a word can
     * run over the cut, so each is up to two pieces */
    for (p = c; p < ce && !open; p++)
      if (*p == '(') open = p;
    for (p = ce; p > c && !close; p--)
      if (p[-1] == ')') close = p - 1;
    if (!(open && close && close - open >= 2)) open = close = NULL;
    {
      sq_text *words[2] = {k.name, k.type};
      const char *q = c, *ws = c;
      int w = 0, piece = 0;
      for (;;) {
        int stop = q >= ce;
        if (!stop && open && q == open) { /* the word so far is a piece; it goes on after the cut */
          words[w][piece].p = ws;
          words[w][piece].n = (size_t)(q - ws);
          piece = 1;
          ws = q = close + 1;
          continue;
        }
        if (stop || *q == ' ') {
          words[w][piece].p = ws;
          words[w][piece].n = (size_t)(q - ws);
          if (stop || ++w >= 2) break;
          piece = 0;
          ws = q + 1;
        }
        q++;
      }
    }
    k.type_key = pieces_are(k.type, "PRIMARY") || pieces_are(k.type, "FOREIGN");
    if ((rc = each(ud, &k))) return rc;
    at = ce < end ? ce : NULL;
  }
  return 0;
}

const sq_dialect sq_dialect_sqlite = {
  "sqlite",
  sqlite_quote,
  sqlite_placeholder,
  sqlite_type_sql,
  sqlite_create_table,
  sqlite_drop_table,
  sqlite_create_index,
  sqlite_drop_index,
  sqlite_literal,
  sqlite_begin,
  sqlite_commit,
  sqlite_rollback,
  sqlite_classify,
  sqlite_date_to_db,
  1,
  "INSERT OR IGNORE INTO ",
  "VALUES ",
  {"SELECT value FROM json_each(", ")"},
  sqlite_alter_table,
  sqlite_introspect,
  {"json_extract(", ", ", ")"},
  {"(", " || ", ")"},
  sqlite_add_column,
  sqlite_rename_table,
  sqlite_foreign_keys,
  sqlite_stored_default,
  sqlite_is_date_decl,
  sqlite_is_blob_decl,
  sqlite_type_name_ok,
  sqlite_constraints,
  sqlite_read_columns,
  sqlite_read_indexes,
  sqlite_read_index_columns,
  sqlite_read_foreign_keys,
  sqlite_describe_default,
  sqlite_alter_constraint,
  sqlite_restart_identity,
  sqlite_isolation,
  "PRAGMA read_uncommitted;",
  { "PRAGMA read_uncommitted = OFF;", "PRAGMA read_uncommitted = ON;" },
};
