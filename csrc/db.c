/* db.c: the handle. Opens and closes the SQLite connection (foreign keys on, a busy
 * timeout, no mutex: a handle belongs to one Lua state and so to one thread), owns the
 * models and the prepared-statement cache keyed by SQL text, binds values, runs plain
 * statements, maps failures into db->err, and formats the writes' time stamps (once per
 * millisecond). Transactions and savepoints are plain statements whose text comes from
 * the dialect. */
#include "sq.h"
#include "dialect.h"
#include "value.h"
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define SQ_CACHE_MAX 512

/* Sequelize's sqlite connection manager makes the storage's directory before opening it
 * (fs.mkdirSync(path.dirname(storage), { recursive: true })): each missing directory of the
 * path is made here too. Not for a memory database, an empty path (SQLite's temporary one) or
 * a `file:` URI (SQLite reads its path itself). A directory that cannot be made is left for
 * sqlite3_open_v2 to report. Returns -1 only when out of memory. */
static int make_parent_dirs(const char *path) {
  size_t n = strlen(path), i;
  char *dir;
  if (n == 0 || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) return 0;
  while (n > 0 && path[n - 1] != '/') n--; /* the directory part, up to the last '/' */
  while (n > 1 && path[n - 1] == '/') n--;
  if (n == 0 || (n == 1 && path[0] == '/')) return 0;
  dir = malloc(n + 1);
  if (!dir) return -1;
  memcpy(dir, path, n);
  dir[n] = '\0';
  for (i = 1; i <= n; i++) {
    if (i == n || dir[i] == '/') {
      char c = dir[i];
      struct stat st;
      dir[i] = '\0';
      if (stat(dir, &st) != 0 && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        free(dir);
        return 0;
      }
      dir[i] = c;
    }
  }
  free(dir);
  return 0;
}

int sq_db_open(sq_db **out, const char *path, int flags, sq_err *err_out) {
  sq_db *db;
  int rc;
  *out = NULL;
  /* (Sequelize makes the directories only when its mode creates the file) */
  if (!(flags & (SQ_OPEN_READONLY | SQ_OPEN_NO_CREATE)) && make_parent_dirs(path)) {
    err_out->kind = SQ_E_OOM;
    return -1;
  }
  db = calloc(1, sizeof *db);
  if (!db) {
    err_out->kind = SQ_E_OOM;
    return -1;
  }
  sq_err_init(&db->err);
  sq_buf_init(&db->refuse);
  sq_buf_init(&db->scratch);
  sq_buf_init(&db->vals);
  sq_buf_init(&db->bench_line);
  db->refs = 1;
  db->log_ms = -1;
  db->dialect = &sq_dialect_sqlite;
  rc = sqlite3_open_v2(path, &db->conn,
                       ((flags & SQ_OPEN_READONLY) ? SQLITE_OPEN_READONLY
                        : (flags & SQ_OPEN_NO_CREATE) ? SQLITE_OPEN_READWRITE
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    err_out->kind = SQ_E_CONNECTION;
    sq_buf_adds(&err_out->msg, db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
    sqlite3_close(db->conn);
    sq_err_free(&db->err);
    sq_buf_free(&db->refuse);
    free(db);
    return -1;
  }
  sqlite3_extended_result_codes(db->conn, 1);
  sqlite3_busy_timeout(db->conn, 5000);
  db->busy_ms = 5000;
  /* (Sequelize's `foreignKeys: false` leaves them off, SQLite's default) */
  db->no_foreign_keys = (flags & SQ_OPEN_NO_FOREIGN_KEYS) != 0;
  rc = db->no_foreign_keys ? SQLITE_OK : sqlite3_exec(db->conn, "PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    err_out->kind = SQ_E_CONNECTION;
    sq_buf_adds(&err_out->msg, sqlite3_errmsg(db->conn));
    sqlite3_close(db->conn);
    sq_err_free(&db->err);
    sq_buf_free(&db->refuse);
    free(db);
    return -1;
  }
  *out = db;
  return 0;
}

/* A cached statement stepped and not reset is either being read by a call still running
 * below this one (a query made from a __gc finalizer, which Lua runs at any allocation, so
 * also while the rows of another are pushed) or was left so by a call a Lua error unwound.
 * The one in use may be neither reset nor finalized: its reader would go on with another
 * query's rows, or step a freed statement. `*nested` caches the binding's answer (-1: not
 * asked yet). */
static int in_use(sq_db *db, sqlite3_stmt *st, int *nested) {
  if (!sqlite3_stmt_busy(st)) return 0;
  if (*nested < 0) *nested = db->nested ? db->nested(db->nested_ud) != 0 : 0;
  return *nested;
}

/* Finalize the cached statements; with keep, those in use stay (and count). */
static void cache_clear(sq_db *db, int keep) {
  unsigned i;
  int nested = -1;
  db->cache_gen++;
  db->ncache = 0;
  for (i = 0; i < db->ccache; i++) {
    sq_stmt_entry *e = db->cache[i], *nx, **kept = &db->cache[i];
    *kept = NULL;
    while (e) {
      nx = e->next;
      if (keep && in_use(db, e->stmt, &nested)) {
        *kept = e;
        kept = &e->next;
        *kept = NULL;
        db->ncache++;
      } else {
        sqlite3_finalize(e->stmt);
        free(e->sql);
        free(e);
      }
      e = nx;
    }
  }
}

int sq_db_reading(sq_db *db) {
  unsigned i;
  int nested = -1;
  sq_stmt_entry *e;
  for (i = 0; db && i < db->ccache; i++)
    for (e = db->cache[i]; e; e = e->next)
      if (in_use(db, e->stmt, &nested)) return 1;
  return 0;
}

void sq_db_close(sq_db *db) {
  if (!db || !db->conn) return;
  cache_clear(db, 0);
  free(db->cache);
  db->cache = NULL;
  db->ccache = 0;
  sqlite3_close_v2(db->conn);
  db->conn = NULL;
  db->tx_depth = 0;
}

void sq_db_free(sq_db *db) {
  int i;
  if (!db) return;
  if (db->unheld && db->unheld_drop) db->unheld_drop(db);
  sq_db_close(db);
  for (i = 0; i < db->nmodels; i++) sq_model_free(db->models[i]);
  free(db->models);
  sq_err_free(&db->err);
  sq_buf_free(&db->refuse);
  sq_buf_free(&db->scratch);
  sq_buf_free(&db->vals);
  sq_buf_free(&db->bench_line);
  sq_db_drop_saved(db, 0);
  free(db->bound);
  free(db);
}

void sq_db_retain(sq_db *db) { db->refs++; }

void sq_db_release(sq_db *db) {
  if (db && --db->refs <= 0) sq_db_free(db);
}

/* Forget the saved states of calls above level n (they ended without saying so: a Lua error
 * unwound them) */
void sq_db_drop_saved(sq_db *db, int n) {
  while (db->nnest > n) {
    sq_callsave *s = &db->nest[--db->nnest];
    sq_buf_free(&s->refuse);
    sq_buf_free(&s->bench_line);
    sq_err_free(&s->err);
    sq_buf_free(&s->vals);
    free(s->bound);
  }
}

int sq_db_is_open(const sq_db *db) { return db && db->conn != NULL; }

static int log_now(sq_db *db, const char *sql, size_t len) {
  if (db->log && db->bench) { /* (benchmark: logged once it has run, sq_db_ran) */
    sq_buf_truncate(&db->bench_line, 0);
    db->bench_line.oom = 0;
    sq_buf_add(&db->bench_line, sql, len);
    if (db->bench_line.oom) return sq_err_oom(db);
    db->bench_pending = 1;
    db->bench_t0 = sq_mono_ms();
    return 0;
  }
  if (db->log && db->log(db->log_ud, sql, len)) return sq_err_set(db, SQ_E_CALLBACK, "the logging function failed");
  return 0;
}

/* benchmark: the line of the statement that has run */
static int bench_ran(sq_db *db) {
  int rc;
  if (!db->bench_pending) return 0;
  db->bench_pending = 0;
  if (!db->log) return 0;
  db->log_ms = sq_mono_ms() - db->bench_t0;
  rc = db->log(db->log_ud, db->bench_line.p, db->bench_line.len);
  db->log_ms = -1;
  return rc ? sq_err_set(db, SQ_E_CALLBACK, "the logging function failed") : 0;
}

/* A statement of a call on a finished transaction (db->refuse): refused, before it is logged */
static int refused(sq_db *db, const char *sql, size_t len) {
  if (!db->refuse.len) return 0;
  sq_err_set(db, SQ_E_USAGE, "%s", sq_buf_cstr(&db->refuse));
  sq_buf_add(&db->err.sql, sql, len);
  if (db->err.sql.oom) return sq_err_oom(db);
  return -1;
}

/* afterQuery of the statement whose beforeQuery ran (Sequelize runs it in a finally: once
 * the statement has run, failed, or was stopped by its beforeQuery). A failed statement's
 * error is the one reported: a failing hook is then ignored. */
static int query_after(sq_db *db, int failed) {
  if (!db->qh_pending) return 0;
  db->qh_pending = 0;
  if (!db->qhook) return 0;
  if (db->qhook(db->qhook_ud, failed ? 2 : 1, db->qh_id, NULL, 0) == 0 || failed) return 0;
  return sq_err_set(db, SQ_E_CALLBACK, "an afterQuery hook failed");
}

void sq_db_query_failed(sq_db *db) {
  sq_err saved;
  if (!db->qh_pending) return;
  sq_err_stash(db, &saved);
  (void)query_after(db, 1);
  sq_err_restore(db, &saved);
}

/* beforeQuery, before the statement is logged (as Sequelize's, whose logging is in the run) */
static int query_before(sq_db *db, const char *sql, size_t len) {
  if (db->qh_pending) sq_db_query_failed(db); /* (the one before did not say how it ended) */
  db->qh_pending = 1;
  db->qh_id = db->runs;
  if (db->qhook(db->qhook_ud, 0, db->qh_id, sql, len) == 0) return 0;
  sq_err_set(db, SQ_E_CALLBACK, "a beforeQuery hook failed");
  sq_db_query_failed(db);
  return -1;
}

int sq_db_ran(sq_db *db) {
  int rc = bench_ran(db);
  if (db->qh_pending) {
    if (rc) sq_db_query_failed(db);
    else rc = query_after(db, 0);
  }
  return rc;
}

int sq_db_log(sq_db *db, const char *sql, size_t len) {
  if (refused(db, sql, len)) return -1;
  db->runs++;
  if (db->qhook && query_before(db, sql, len)) return -1;
  db->log_nbound = 0;
  if (db->log) {
    /* the line waits for the values (sq_db_log_flush): the logger's options.bind, and with
     * logQueryParameters the line's own list */
    sq_buf_truncate(&db->vals, 0);
    db->vals.oom = 0;
    db->nbound = 0;
    db->bound_oom = 0;
    db->capture = 1;
    return 0;
  }
  db->capture = 0;
  return log_now(db, sql, len);
}

int sq_db_log_flush(sq_db *db, const char *sql, size_t len) {
  sq_buf line;
  int rc;
  unsigned gen;
  if (!db->capture) return 0;
  db->capture = 0;
  if (!db->log) return 0;
  sq_buf_init(&line);
  sq_buf_add(&line, sql, len);
  if (db->vals.len) {
    sq_buf_adds(&line, len && sql[len - 1] == ';' ? " [" : "; [");
    sq_buf_add(&line, db->vals.p, db->vals.len);
    sq_buf_addc(&line, ']');
  }
  if (line.oom || db->vals.oom) {
    sq_buf_free(&line);
    return sq_err_oom(db);
  }
  if (db->bound_oom) {
    sq_buf_free(&line);
    return sq_err_oom(db);
  }
  {
    /* the values bound stay aside while the logger runs: its own statements start lists of
     * their own, and one of them may be this statement itself (the same SQL, cached or
     * kept), rebound and run: then these values are bound again */
    sq_bound *mine = db->bound;
    int n = db->nbound, cap = db->cbound, k;
    unsigned long runs = db->runs;
    db->bound = NULL;
    db->nbound = db->cbound = 0;
    gen = db->cache_gen;
    db->log_bound = mine;
    db->log_nbound = n;
    rc = log_now(db, line.p, line.len);
    db->log_bound = mine; /* (a query of the logger's set its own; a benchmark line, logged once
                           * the statement has run, still reads these) */
    db->log_nbound = n;
    sq_buf_free(&line);
    if (rc == 0 && !db->conn) {
      /* the logger closed the connection: its statements are gone (as a prepare after the
       * close is refused) */
      rc = sq_err_set(db, SQ_E_USAGE,
                      "ConnectionManager.getConnection was called after the connection manager was closed!");
    } else if (rc == 0 && gen != db->cache_gen) {
      /* the logger's own queries finalized cached statements: the one waiting may be gone */
      rc = sq_err_set(db, SQ_E_USAGE, "the logging function's queries emptied the statement cache while a "
                                      "statement waited to run: it did not run");
    } else if (rc == 0 && runs != db->runs) {
      for (k = 0; k < n; k++) sqlite3_reset(mine[k].st);
      for (k = 0; k < n && rc == 0; k++) rc = sq_db_bind(db, mine[k].st, mine[k].i, &mine[k].v);
    }
    free(db->bound);
    db->bound = mine; /* (kept for the next statement's values) */
    db->cbound = cap;
    db->nbound = 0;
  }
  return rc;
}

/* a bound value as JSON, after the others (logQueryParameters) */
static void capture_value(sq_db *db, const sq_value *v) {
  sq_jw w;
  if (!db->log_params) return; /* (the logger's options.bind reads db->bound) */
  if (db->vals.len) sq_buf_addc(&db->vals, ',');
  sq_jw_init(&w, &db->vals, 0);
  switch (v->kind) {
    case SQ_V_NULL: sq_jw_null(&w); break;
    case SQ_V_INT: sq_jw_integer(&w, v->u.i); break;
    case SQ_V_REAL: sq_jw_number(&w, v->u.d); break;
    case SQ_V_TEXT: sq_jw_string(&w, v->u.s.p, v->u.s.n); break;
    default: sq_buf_addf(&db->vals, "\"<%zu bytes>\"", v->u.s.n); break;
  }
}

void sq_db_type_validation(sq_db *db, int on) { db->type_validation = on != 0; }

void sq_db_omit_null(sq_db *db, int on) { db->omit_null = on != 0; }

void sq_db_log_params(sq_db *db, int on) {
  db->log_params = db->log_params_default = on != 0;
  db->capture = 0;
}

static unsigned hash_sql(const char *s, size_t n) {
  unsigned h = 2166136261u;
  size_t i;
  for (i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

int sq_db_fail(sq_db *db, int rc, const char *sql) {
  int capture = db->capture && sql && db->log;
  /* the error is read first: the logger below may run queries of its own (SQLite's message
   * is then theirs) */
  sq_err_clear(&db->err);
  db->err.code = rc;
  /* (no connection: node-sqlite3's text for a statement on a closed database) */
  sq_buf_adds(&db->err.msg, db->conn ? sqlite3_errmsg(db->conn)
                            : rc == SQLITE_MISUSE ? "Database is closed" : sqlite3_errstr(rc));
  db->err.kind = db->dialect->classify(rc, sq_buf_cstr(&db->err.msg));
  if (rc == SQLITE_NOMEM) db->err.kind = SQ_E_OOM;
  if (sql) sq_buf_adds(&db->err.sql, sql);
  if (capture || db->bench_pending) {
    /* logQueryParameters: a statement that failed before it was logged (its prepare, a
     * value): logged now, as it would have been without the option; benchmark: a failed
     * statement is logged too, as Sequelize's. A failing logger is ignored here: the
     * statement's own error is the one reported. */
    sq_err saved;
    sq_err_stash(db, &saved);
    if (capture) {
      db->capture = 0;
      db->log_bound = db->bound; /* (the values bound before it failed) */
      db->log_nbound = db->bound_oom ? 0 : db->nbound;
      if (db->bench) (void)log_now(db, sql, strlen(sql)); /* (its line waits for sq_db_ran below) */
      else (void)db->log(db->log_ud, sql, strlen(sql));
    }
    if (db->bench_pending) (void)bench_ran(db);
    sq_err_restore(db, &saved);
  }
  sq_db_query_failed(db);
  return -1;
}

sqlite3_stmt *sq_db_prepare(sq_db *db, const char *sql, size_t len) {
  unsigned h, slot;
  sq_stmt_entry *e;
  sqlite3_stmt *st = NULL;
  int rc, nested = -1;
  if (!db->conn) {
    sq_err_set(db, SQ_E_USAGE,
               "ConnectionManager.getConnection was called after the connection manager was closed!");
    return NULL;
  }
  h = hash_sql(sql, len);
  if (db->ccache) {
    slot = h & (db->ccache - 1);
    for (e = db->cache[slot]; e; e = e->next) {
      /* (one in use by a call below: another statement of the same text is taken or made) */
      if (e->hash == h && e->len == len && !memcmp(e->sql, sql, len) && !in_use(db, e->stmt, &nested)) {
        sqlite3_reset(e->stmt);
        sqlite3_clear_bindings(e->stmt);
        return e->stmt;
      }
    }
  }
  {
    /* SQLite stops reading at a NUL byte: the statement would run cut short (a literal's or a
     * name's NUL; the constructors refuse them, this catches any other way in) */
    const char *nul = memchr(sql, '\0', len);
    if (nul) {
      sq_err_set(db, SQ_E_USAGE, "The SQL text holds a NUL byte (at byte %zu): SQLite would stop reading the "
                 "statement there", (size_t)(nul - sql));
      return NULL;
    }
  }
  rc = sqlite3_prepare_v3(db->conn, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st);
    sq_db_fail(db, rc, sql);
    return NULL;
  }
  if (!st) {
    sq_err_set(db, SQ_E_DATABASE, "empty statement");
    return NULL;
  }
  if (db->ncache >= SQ_CACHE_MAX) cache_clear(db, 1);
  if (!db->ccache) {
    db->cache = calloc(256, sizeof *db->cache);
    if (!db->cache) { sqlite3_finalize(st); sq_err_oom(db); return NULL; }
    db->ccache = 256;
  }
  e = malloc(sizeof *e);
  if (!e || !(e->sql = malloc(len + 1))) {
    free(e);
    sqlite3_finalize(st);
    sq_err_oom(db);
    return NULL;
  }
  memcpy(e->sql, sql, len);
  e->sql[len] = '\0';
  e->len = len;
  e->hash = h;
  e->stmt = st;
  slot = h & (db->ccache - 1);
  e->next = db->cache[slot];
  db->cache[slot] = e;
  db->ncache++;
  return st;
}

const sq_stamp *sq_db_stamp(sq_db *db, long long ms) {
  sq_stamp *t = &db->stamp;
  if (t->ms != ms || !t->iso_len) {
    int n = db->dialect->date_to_db(ms, t->db);
    t->db_len = n > 0 ? n : 0;
    t->iso_len = sq_date_format_iso(ms, t->iso);
    t->ms = ms;
  }
  return t;
}

void sq_db_uuid_v1(sq_db *db, char out[37]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char b[16];
  unsigned long long t;
  long long ms = sq_now_ms();
  int i, j = 0;
  if (!db->uuid1.ready) {
    unsigned char rnd[8];
    sqlite3_randomness(8, rnd);
    memcpy(db->uuid1.node, rnd, 6);
    db->uuid1.node[0] |= 0x01;
    db->uuid1.clockseq = ((unsigned)rnd[6] << 8 | rnd[7]) & 0x3fff;
    db->uuid1.ready = 1;
  }
  if (ms > db->uuid1.last_ms) {
    db->uuid1.last_ms = ms;
    db->uuid1.ns = 0;
  } else if (++db->uuid1.ns >= 10000) {
    /* the same millisecond (or the clock went back): the next tick of the last one, so
     * the handle's UUIDs never repeat; 10,000 in one millisecond borrow the next */
    db->uuid1.last_ms++;
    db->uuid1.ns = 0;
  }
  t = ((unsigned long long)db->uuid1.last_ms + 12219292800000ULL) * 10000ULL + (unsigned long long)db->uuid1.ns;
  b[0] = (unsigned char)(t >> 24); /* time_low */
  b[1] = (unsigned char)(t >> 16);
  b[2] = (unsigned char)(t >> 8);
  b[3] = (unsigned char)t;
  b[4] = (unsigned char)(t >> 40); /* time_mid */
  b[5] = (unsigned char)(t >> 32);
  b[6] = (unsigned char)(((t >> 56) & 0x0f) | 0x10); /* time_hi and the version */
  b[7] = (unsigned char)(t >> 48);
  b[8] = (unsigned char)((db->uuid1.clockseq >> 8) | 0x80);
  b[9] = (unsigned char)db->uuid1.clockseq;
  memcpy(b + 10, db->uuid1.node, 6);
  for (i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[j++] = '-';
    out[j++] = hex[b[i] >> 4];
    out[j++] = hex[b[i] & 15];
  }
  out[36] = 0;
}

int sq_db_max_params(sq_db *db) {
  return db->conn ? sqlite3_limit(db->conn, SQLITE_LIMIT_VARIABLE_NUMBER, -1) : 999;
}

int sq_db_bind(sq_db *db, sqlite3_stmt *st, int i, const sq_value *v) {
  int rc;
  if (db->capture) {
    capture_value(db, v);
    if (db->nbound == db->cbound) {
      int cap = db->cbound ? db->cbound * 2 : 16;
      sq_bound *nb = realloc(db->bound, sizeof *nb * (size_t)cap);
      if (nb) {
        db->bound = nb;
        db->cbound = cap;
      }
    }
    if (db->nbound < db->cbound) {
      db->bound[db->nbound].st = st;
      db->bound[db->nbound].i = i;
      db->bound[db->nbound].v = *v;
      db->nbound++;
    } else {
      db->bound_oom = 1;
    }
  }
  switch (v->kind) {
    case SQ_V_NULL: rc = sqlite3_bind_null(st, i); break;
    case SQ_V_INT: rc = sqlite3_bind_int64(st, i, v->u.i); break;
    case SQ_V_REAL: rc = sqlite3_bind_double(st, i, v->u.d); break;
    case SQ_V_TEXT: rc = sqlite3_bind_text64(st, i, v->u.s.p, v->u.s.n, SQLITE_STATIC, SQLITE_UTF8); break;
    case SQ_V_BLOB: rc = sqlite3_bind_blob64(st, i, v->u.s.p, v->u.s.n, SQLITE_STATIC); break;
    default: rc = SQLITE_MISUSE; break;
  }
  if (rc != SQLITE_OK) return sq_db_fail(db, rc, sqlite3_sql(st));
  return 0;
}

/* Log and run `sql`. A statement that must_run (a rollback: the connection must not stay
 * inside a transaction) runs even when the logger failed; the logger's failure is still
 * what the call returns. */
/* (cached: a fixed text, BEGIN / COMMIT of the outermost transaction, run from the statement
 * cache rather than parsed again by sqlite3_exec each time. Never a statement that must_run:
 * the cache's prepare can fail where sqlite3_exec would still run it (its entry's malloc), and
 * its error would replace the logger's) */
static int exec_logged(sq_db *db, const char *sql, int must_run, int cached) {
  int rc, logfail;
  char *msg = NULL;
  if (!db->conn)
    return sq_err_set(db, SQ_E_USAGE,
                      "ConnectionManager.getConnection was called after the connection manager was closed!");
  if (!must_run && refused(db, sql, strlen(sql))) return -1;
  db->capture = 0;
  db->log_nbound = 0;
  logfail = 0;
  if (db->qhook) {
    db->runs++;
    logfail = query_before(db, sql, strlen(sql));
    if (logfail && !must_run) return -1;
    if (!db->conn) /* (a hook closed it) */
      return sq_err_set(db, SQ_E_USAGE,
                        "ConnectionManager.getConnection was called after the connection manager was closed!");
  }
  if (!logfail) logfail = log_now(db, sql, strlen(sql)); /* (no values: logged at once) */
  if (logfail && !must_run) {
    sq_db_query_failed(db);
    return -1;
  }
  if (!db->conn) /* (the logger closed it) */
    return sq_err_set(db, SQ_E_USAGE,
                      "ConnectionManager.getConnection was called after the connection manager was closed!");
  if (cached) {
    sqlite3_stmt *st = sq_db_prepare(db, sql, strlen(sql));
    if (!st) {
      sq_db_query_failed(db); /* (an out-of-memory failure did not end the afterQuery) */
      return -1;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) rc = SQLITE_OK;
    sqlite3_reset(st); /* (the connection keeps the step's error code and message) */
  } else {
    rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
    sqlite3_free(msg);
  }
  if (logfail) {
    sq_db_query_failed(db);
    return -1;
  }
  if (rc != SQLITE_OK) return sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
  return sq_db_ran(db);
}

int sq_db_exec(sq_db *db, const char *sql) { return exec_logged(db, sql, 0, 0); }

int sq_db_exec_buf(sq_db *db, sq_buf *b) {
  int rc = b->oom ? sq_err_oom(db) : sq_db_exec(db, sq_buf_cstr(b));
  sq_buf_free(b);
  return rc;
}
int sq_db_exec_must(sq_db *db, const char *sql) { return exec_logged(db, sql, 1, 0); }

/* A COMMIT, ROLLBACK or savepoint statement of a transaction begun before the connection
 * was closed: logged, then failed with SQLITE_MISUSE "Database is closed", as Sequelize's
 * transaction (which holds the connection that was closed) gets it from node-sqlite3. (A new
 * transaction on a closed connection is refused by getConnection, before any statement.) */
static int closed_tx(sq_db *db, const char *sql) {
  db->capture = 0;
  db->log_nbound = 0; /* (no values: those of the call's last statement are gone) */
  if (log_now(db, sql, strlen(sql))) {
    sq_db_query_failed(db);
    return -1;
  }
  return sq_db_fail(db, SQLITE_MISUSE, sql);
}

static int tx_stmt(sq_db *db, void (*gen)(sq_buf *, const char *), const char *name, int must_run) {
  sq_buf b;
  int rc;
  sq_buf_init(&b);
  gen(&b, name);
  if (b.oom) { sq_buf_free(&b); return sq_err_oom(db); }
  if (!db->conn && (gen != db->dialect->begin || (name && name[0] != '\x01')))
    rc = closed_tx(db, sq_buf_cstr(&b));
  else
    rc = exec_logged(db, sq_buf_cstr(&b), must_run, !must_run && (!name || name[0] == '\x01'));
  sq_buf_free(&b);
  return rc;
}

int sq_db_begin(sq_db *db, const char *name) {
  if (tx_stmt(db, db->dialect->begin, name, 0)) return -1;
  db->tx_depth++;
  return 0;
}

/* The end of the outermost transaction: the connection state its isolationLevel changed
 * restored (unlogged: Sequelize runs nothing, its next transaction having a connection of its
 * own on a database file). rc: the COMMIT / ROLLBACK's; a failure here is reported when that
 * one succeeded. */
static int iso_restore(sq_db *db, int rc) {
  const char *sql;
  if (!db->iso_reset || !db->conn) return rc;
  sql = db->dialect->isolation_reset[db->iso_reset > 1];
  db->iso_reset = 0;
  if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK && rc == 0)
    rc = sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
  return rc;
}

/* The connection's state the isolation statement changes (the dialect's isolation_read):
 * 0 or 1, or -1 with db->err set */
static int iso_state(sq_db *db) {
  sqlite3_stmt *st = NULL;
  const char *sql = db->dialect->isolation_read;
  int rc, v = 0;
  if (!db->conn) return sq_err_set(db, SQ_E_CONNECTION, "the database is closed");
  rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    v = sqlite3_column_int(st, 0) != 0;
    rc = sqlite3_step(st);
  }
  if (rc != SQLITE_DONE) {
    sq_db_fail(db, sqlite3_extended_errcode(db->conn), sql);
    sqlite3_finalize(st);
    return -1;
  }
  sqlite3_finalize(st);
  return v;
}

int sq_db_isolation(sq_db *db, const char *level) {
  sq_buf b;
  int changes = 0;
  sq_buf_init(&b);
  if (db->dialect->isolation(&b, level, &changes)) {
    sq_buf_free(&b);
    return sq_err_set(db, SQ_E_USAGE, "Unknown isolation level: %s", level);
  }
  if (b.oom) { sq_buf_free(&b); return sq_err_oom(db); }
  if (changes && !db->iso_reset) {
    /* the state before, restored when the transaction ends (read first: the statement's
     * failure leaves the state to restore too) */
    int v = iso_state(db);
    if (v < 0) { sq_buf_free(&b); return -1; }
    db->iso_reset = (unsigned char)(1 + v);
  }
  return sq_db_exec_buf(db, &b);
}

int sq_db_commit(sq_db *db, const char *name) {
  if (tx_stmt(db, db->dialect->commit, name, 0)) return -1;
  if (!name && iso_restore(db, 0)) {
    db->tx_depth = 0;
    return -1;
  }
  /* COMMIT ends every savepoint (the Lua layer leaves one committed below a sibling still open
     unreleased until the sibling ends: see transaction.lua) */
  if (!name) db->tx_depth = 0;
  else if (db->tx_depth > 0) db->tx_depth--;
  return 0;
}

int sq_db_rollback(sq_db *db, const char *name) {
  int rc = tx_stmt(db, db->dialect->rollback, name, 1);
  /* (no connection: closed_tx failed the ROLLBACK TO, or its logger raised; nothing to release) */
  if ((rc == 0 || db->err.kind == SQ_E_CALLBACK) && name && db->conn) {
    /* ROLLBACK TO keeps the savepoint open; release it as Sequelize's sqlite does not,
       but SQLite needs it gone for the savepoint stack to shrink */
    sq_buf b;
    sq_buf_init(&b);
    db->dialect->commit(&b, name);
    if (b.oom) {
      rc = sq_err_oom(db);
    } else if (sqlite3_exec(db->conn, sq_buf_cstr(&b), NULL, NULL, NULL) != SQLITE_OK) {
      if (rc == 0) rc = sq_db_fail(db, sqlite3_extended_errcode(db->conn), sq_buf_cstr(&b));
      if (db->tx_depth <= 1 && !sqlite3_get_autocommit(db->conn)) {
        /* the outermost savepoint, whose release (an empty commit) another connection's
         * lock refused: end the transaction it began, which holds nothing now, so that the
         * connection's next statements are not left inside it */
        sq_buf r;
        sq_buf_init(&r);
        db->dialect->rollback(&r, NULL);
        if (!r.oom) sqlite3_exec(db->conn, sq_buf_cstr(&r), NULL, NULL, NULL);
        sq_buf_free(&r);
      }
    }
    sq_buf_free(&b);
  }
  if (!name) { /* (ROLLBACK ends every savepoint, as COMMIT does) */
    db->tx_depth = 0;
    rc = iso_restore(db, rc);
  } else if (db->tx_depth > 0) {
    db->tx_depth--;
  }
  return rc;
}
