/* driver.h: the database driver's calls, as everything above the connection makes them.
 *
 * Owns: the names the core's shared types and the binding use for a connection, a prepared
 * statement and its result cells, step results and cell types: stepping and resetting a
 * statement, reading a row's columns, binding a value, the connection's change count, last
 * key, transaction state and parameter limit. These are SQLite's calls (one driver now),
 * inline, at no cost. The connection itself (open, prepare, the statement cache, binding a
 * core value, errors mapped to kinds) is db.c's, and SQL syntax is the dialect's
 * (dialect.h): a second database gives these names its own bodies, and neither the binding
 * nor the core changes. Only db.c and the SQLite dialect name SQLite directly.
 */
#ifndef SQ_DRIVER_H
#define SQ_DRIVER_H

#include <sqlite3.h>

typedef sqlite3 sq_conn;
typedef sqlite3_stmt sq_stmt;
typedef sqlite3_value sq_cell; /* one column of the current row, read without copying */
typedef sqlite3_int64 sq_int64;

/* step results, and the driver's "no error" */
enum { SQ_DRV_OK = SQLITE_OK, SQ_STEP_ROW = SQLITE_ROW, SQ_STEP_DONE = SQLITE_DONE, SQ_DRV_RANGE = SQLITE_RANGE };
/* a cell's storage class */
enum {
  SQ_COL_NULL = SQLITE_NULL,
  SQ_COL_INT = SQLITE_INTEGER,
  SQ_COL_FLOAT = SQLITE_FLOAT,
  SQ_COL_TEXT = SQLITE_TEXT,
  SQ_COL_BLOB = SQLITE_BLOB
};

/* ---- a prepared statement ---- */
static inline int sq_stmt_step(sq_stmt *st) { return sqlite3_step(st); }
static inline int sq_stmt_reset(sq_stmt *st) { return sqlite3_reset(st); }
static inline int sq_stmt_finalize(sq_stmt *st) { return sqlite3_finalize(st); }
static inline const char *sq_stmt_sql(sq_stmt *st) { return sqlite3_sql(st); }
static inline int sq_stmt_busy(sq_stmt *st) { return sqlite3_stmt_busy(st); }

/* ---- its parameters ---- */
static inline int sq_param_count(sq_stmt *st) { return sqlite3_bind_parameter_count(st); }
static inline const char *sq_param_name(sq_stmt *st, int i) { return sqlite3_bind_parameter_name(st, i); }
static inline int sq_param_index(sq_stmt *st, const char *name) { return sqlite3_bind_parameter_index(st, name); }
static inline int sq_bind_null(sq_stmt *st, int i) { return sqlite3_bind_null(st, i); }
/* (the text copied: the caller's may go before the step) */
static inline int sq_bind_text_copy(sq_stmt *st, int i, const char *s, int n) {
  return sqlite3_bind_text(st, i, s, n, SQLITE_TRANSIENT);
}

/* ---- the current row's columns (from 0) ---- */
static inline int sq_col_count(sq_stmt *st) { return sqlite3_column_count(st); }
static inline const char *sq_col_name(sq_stmt *st, int k) { return sqlite3_column_name(st, k); }
static inline int sq_col_type(sq_stmt *st, int k) { return sqlite3_column_type(st, k); }
static inline sq_int64 sq_col_int(sq_stmt *st, int k) { return sqlite3_column_int64(st, k); }
static inline double sq_col_float(sq_stmt *st, int k) { return sqlite3_column_double(st, k); }
static inline const unsigned char *sq_col_text(sq_stmt *st, int k) { return sqlite3_column_text(st, k); }
static inline const void *sq_col_blob(sq_stmt *st, int k) { return sqlite3_column_blob(st, k); }
static inline int sq_col_bytes(sq_stmt *st, int k) { return sqlite3_column_bytes(st, k); }
/* One look-up of a column, then its type and value from the cell (valid until the next
 * step or reset) */
static inline sq_cell *sq_col_cell(sq_stmt *st, int k) { return sqlite3_column_value(st, k); }
static inline int sq_cell_type(sq_cell *v) { return sqlite3_value_type(v); }
static inline sq_int64 sq_cell_int(sq_cell *v) { return sqlite3_value_int64(v); }
static inline double sq_cell_float(sq_cell *v) { return sqlite3_value_double(v); }
static inline const unsigned char *sq_cell_text(sq_cell *v) { return sqlite3_value_text(v); }
static inline const void *sq_cell_blob(sq_cell *v) { return sqlite3_value_blob(v); }
static inline int sq_cell_bytes(sq_cell *v) { return sqlite3_value_bytes(v); }

/* ---- the connection ---- */
/* (a statement of several, for db:query: *tail the text after the first) */
static inline int sq_conn_prepare(sq_conn *c, const char *sql, int n, sq_stmt **st, const char **tail) {
  return sqlite3_prepare_v2(c, sql, n, st, tail);
}
static inline int sq_conn_autocommit(sq_conn *c) { return sqlite3_get_autocommit(c); }
static inline int sq_conn_changes(sq_conn *c) { return sqlite3_changes(c); }
static inline sq_int64 sq_conn_last_id(sq_conn *c) { return sqlite3_last_insert_rowid(c); }
static inline int sq_conn_errcode(sq_conn *c) { return sqlite3_extended_errcode(c); }
static inline int sq_conn_max_params(sq_conn *c) { return sqlite3_limit(c, SQLITE_LIMIT_VARIABLE_NUMBER, -1); }
static inline void sq_conn_busy_timeout(sq_conn *c, int ms) { sqlite3_busy_timeout(c, ms); }

/* ---- the library ---- */
static inline const char *sq_driver_errstr(int code) { return sqlite3_errstr(code); }
static inline const char *sq_driver_version(void) { return sqlite3_libversion(); }
static inline void sq_driver_random(int n, void *out) { sqlite3_randomness(n, out); }
static inline int sq_strnicmp(const char *a, const char *b, int n) { return sqlite3_strnicmp(a, b, n); }

#endif
