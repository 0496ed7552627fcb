/* err.c: errors as values. A failing core function fills db->err (kind, message,
 * SQLite code, statement text) and returns -1; the binding raises it as an error
 * object. */
#include "sq.h"

#include <stdarg.h>
#include <stdio.h>

void sq_err_init(sq_err *e) {
  e->kind = SQ_OK;
  e->code = 0;
  sq_buf_init(&e->msg);
  sq_buf_init(&e->sql);
  sq_buf_init(&e->detail);
}

void sq_err_free(sq_err *e) {
  sq_buf_free(&e->msg);
  sq_buf_free(&e->sql);
  sq_buf_free(&e->detail);
  e->kind = SQ_OK;
}

void sq_err_clear(sq_err *e) {
  e->kind = SQ_OK;
  e->code = 0;
  sq_buf_truncate(&e->msg, 0);
  sq_buf_truncate(&e->sql, 0);
  sq_buf_truncate(&e->detail, 0);
  e->msg.oom = e->sql.oom = e->detail.oom = 0;
  e->vkey = NULL;
}

int sq_err_set(sq_db *db, sq_err_kind kind, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  int n;
  sq_err_clear(&db->err);
  db->err.kind = kind;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
  sq_buf_add(&db->err.msg, tmp, (size_t)n);
  return -1;
}

int sq_err_oom(sq_db *db) {
  sq_err_clear(&db->err);
  db->err.kind = SQ_E_OOM;
  return -1;
}

/* Move db->err aside into *saved (db->err starts empty), so that the statements of a
 * cleanup (a rollback) cannot replace the error that made it necessary ... */
void sq_err_stash(sq_db *db, sq_err *saved) {
  *saved = db->err;
  sq_err_init(&db->err);
}

/* ... and put it back, whatever the cleanup left. */
void sq_err_restore(sq_db *db, sq_err *saved) {
  sq_err_free(&db->err);
  db->err = *saved;
}
