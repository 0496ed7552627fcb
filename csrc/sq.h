/* sq.h: the core's shared types: the db handle, models, attributes, types, values,
 * errors, and the arena that query specs are built in.
 *
 * The core has no Lua in it and no global state. A `sq_db` owns its models, its
 * connection and its statement cache; every function that can fail returns -1 and
 * leaves a message in db->err (see sq_err_*), which the binding turns into an error
 * object. Functions are declared here by the file that implements them.
 */
#ifndef SQ_H
#define SQ_H

#include <stddef.h>
#include "driver.h"

#include "buf.h"

/* ---- errors (err.c) ------------------------------------------------------- */

typedef enum sq_err_kind {
  SQ_OK = 0,
  SQ_E_USAGE,       /* bad input from the caller: unknown attribute, wrong type... */
  SQ_E_DATABASE,    /* SQLite said no */
  SQ_E_UNIQUE,      /* UNIQUE / PRIMARY KEY constraint */
  SQ_E_FK,          /* FOREIGN KEY constraint */
  SQ_E_NOTNULL,     /* allowNull = false violated */
  SQ_E_CONNECTION,  /* closed handle, cannot open */
  SQ_E_TIMEOUT,     /* the database stayed locked (SQLITE_BUSY) */
  SQ_E_VALUE,       /* a value of the wrong type for its attribute (a validation error) */
  SQ_E_QUERY,       /* a query that cannot be built (Sequelize's QueryError: nothing selected) */
  SQ_E_OOM,
  SQ_E_CALLBACK,    /* the caller's logger failed: its own error is with the caller */
  SQ_E_TXWAIT       /* another coroutine's transaction holds the connection, suspended: the
                       Lua layer may wait for it (OpenResty) and call again */
} sq_err_kind;

typedef struct sq_err {
  sq_err_kind kind;
  int code;         /* SQLite extended result code, or 0 */
  sq_buf msg;
  sq_buf sql;       /* the statement, for database errors */
  /* for constraint errors: which columns (comma separated, as SQLite names them) */
  sq_buf detail;
  const char *vkey; /* for a type check's failure: Sequelize's validatorKey ("INTEGER validator") */
} sq_err;

/* ---- values --------------------------------------------------------------- */

/* SQ_V_EXPR: an instance's value that is SQL (Sequelize.fn/literal/col set on an instance
 * or given to create): the statement builders write the expression, never bind it */
typedef enum sq_vkind { SQ_V_NULL, SQ_V_INT, SQ_V_REAL, SQ_V_TEXT, SQ_V_BLOB, SQ_V_EXPR } sq_vkind;

struct sq_expr;
typedef struct sq_value {
  sq_vkind kind;
  union {
    long long i;
    double d;
    struct { const char *p; size_t n; } s;   /* TEXT / BLOB, borrowed */
    const struct sq_expr *x;                  /* SQ_V_EXPR, in the call's arena */
  } u;
} sq_value;

/* ---- types ---------------------------------------------------------------- */

typedef enum sq_type_kind {
  SQ_T_STRING, SQ_T_CHAR, SQ_T_TEXT, SQ_T_INTEGER, SQ_T_BIGINT, SQ_T_FLOAT,
  SQ_T_DOUBLE, SQ_T_REAL, SQ_T_DECIMAL, SQ_T_BOOLEAN, SQ_T_DATE, SQ_T_DATEONLY,
  SQ_T_UUID, SQ_T_JSON, SQ_T_BLOB, SQ_T_ENUM, SQ_T_NTYPES
} sq_type_kind;

/* DataTypes that behave as one of the kinds above under another name: the SQL type
 * Sequelize's sqlite dialect writes for them and their typeValidation message differ, the
 * values they take and give do not (TINYINT, SMALLINT, MEDIUMINT are INTEGERs; CITEXT and
 * TIME TEXTs; JSONB a JSON) */
typedef enum sq_type_variant {
  SQ_TV_NONE, SQ_TV_TINYINT, SQ_TV_SMALLINT, SQ_TV_MEDIUMINT, SQ_TV_CITEXT, SQ_TV_TIME, SQ_TV_JSONB,
  SQ_TV_N
} sq_type_variant;

typedef struct sq_type {
  sq_type_kind kind;
  int length;              /* STRING(n), CHAR(n), BLOB("tiny"...) ; -1 when not given */
  int precision, scale;    /* DECIMAL(p, s), FLOAT(p, s); -1 when not given */
  unsigned char is_unsigned, zerofill, binary;
  unsigned char variant;   /* sq_type_variant: SQ_TV_NONE, or the DataTypes name of the kind it is */
  char **values;           /* ENUM values, owned (each NUL-terminated too) */
  size_t *value_lens;      /* their lengths (a value may hold NUL bytes) */
  int nvalues;
} sq_type;

/* ---- validators (checked in C; user functions and patterns run in Lua) ---- */

typedef enum sq_vkey {
  SQ_VK_ISEMAIL, SQ_VK_ISURL, SQ_VK_ISIP, SQ_VK_ISIPV4, SQ_VK_ISIPV6, SQ_VK_ISALPHA,
  SQ_VK_ISALPHANUMERIC, SQ_VK_ISNUMERIC, SQ_VK_ISINT, SQ_VK_ISFLOAT, SQ_VK_ISDECIMAL,
  SQ_VK_ISLOWERCASE, SQ_VK_ISUPPERCASE, SQ_VK_ISUUID, SQ_VK_NOTEMPTY, SQ_VK_ISIN,
  SQ_VK_NOTIN, SQ_VK_LEN, SQ_VK_MIN, SQ_VK_MAX, SQ_VK_CONTAINS, SQ_VK_NOTCONTAINS,
  SQ_VK_EQUALS, SQ_VK_ISDATE, SQ_VK_NOTNULL, SQ_VK_ISAFTER, SQ_VK_ISBEFORE, SQ_VK_ISNULL,
  SQ_VK_ISHEXADECIMAL, SQ_VK_ISOCTAL, SQ_VK_ISASCII, SQ_VK_ISBASE64, SQ_VK_ISHEXCOLOR,
  SQ_VK_ISBOOLEAN, SQ_VK_ISPORT, SQ_VK_ISMD5, SQ_VK_ISMONGOID, SQ_VK_ISSLUG, SQ_VK_ISJSON,
  SQ_VK_ISLUHNNUMBER, SQ_VK_ISCREDITCARD, SQ_VK_ISEMPTY, SQ_VK_ISDIVISIBLEBY, SQ_VK_ISISO8601,
  SQ_VK_ISMACADDRESS, SQ_VK_ISSEMVER, SQ_VK_ISLATLONG, SQ_VK_ISMIMETYPE, SQ_VK_ISJWT, SQ_VK_ISLOCALE,
  SQ_VK_ISCURRENCY, SQ_VK_ISRGBCOLOR, SQ_VK_ISHSL, SQ_VK_ISTIME, SQ_VK_ISRFC3339,
  SQ_VK_ISBASE32, SQ_VK_ISBASE58, SQ_VK_ISULID, SQ_VK_ISETHEREUMADDRESS, SQ_VK_ISBTCADDRESS,
  SQ_VK_ISMULTIBYTE, SQ_VK_ISFULLWIDTH, SQ_VK_ISHALFWIDTH, SQ_VK_ISVARIABLEWIDTH, SQ_VK_ISMAGNETURI,
  SQ_VK_ISHASH, SQ_VK_ISFQDN, SQ_VK_ISSTRONGPASSWORD, SQ_VK_ISBYTELENGTH, SQ_VK_ISEAN,
  SQ_VK_ISISSN, SQ_VK_ISISO31661ALPHA2, SQ_VK_ISISO31661ALPHA3, SQ_VK_ISISO4217, SQ_VK_N
} sq_vkey;

typedef struct sq_validator {
  sq_vkey key;
  char *msg;               /* custom message, or NULL for Sequelize's default */
  char *name;              /* the name it was given when that is an alias (isURL for isUrl), or NULL */
  double a, b;             /* len min/max (b < 0: no max), min, max; isDivisibleBy's divisor; options
                            * as numbers (model.lua: what each validator reads) */
  char **list;             /* isIn / notIn values as strings; contains / equals / isAfter / isBefore: list[0] */
  size_t *lens;            /* their lengths (an argument may hold NUL bytes) */
  int nlist;
  struct sq_v_opts *opts;  /* isURL / isEmail / isFQDN given options (validate.h), or NULL: the defaults */
} sq_validator;

/* ---- models and attributes (model.c) -------------------------------------- */

/* SQ_DEF_SQL: Sequelize.literal / fn as a defaultValue: def_s is the SQL text, written as
 * the column's DEFAULT; a build leaves the attribute unset, so the INSERT leaves the column
 * to the database */
typedef enum sq_default { SQ_DEF_NONE, SQ_DEF_VALUE, SQ_DEF_NOW, SQ_DEF_UUIDV4, SQ_DEF_UUIDV1, SQ_DEF_SQL } sq_default;

typedef struct sq_model sq_model;

typedef struct sq_attr {
  char *name;              /* attribute name (Lua key) */
  char *field;             /* column name */
  sq_type type;
  int index;               /* position in the model's column order, 0-based */
  unsigned char pk, autoinc, allow_null, unique, is_fk;
  char *unique_name;       /* composite unique group, or NULL */
  unsigned char timestamp; /* 1 = createdAt, 2 = updatedAt, 3 = deletedAt (paranoid) */
  unsigned char auto_id;   /* the `id` added because no primary key was defined */
  unsigned char by_assoc;  /* a key an association added (not declared by the model) */
  unsigned char pk_by_assoc; /* n:m: part of the through model's primary key because an
                            * association made it so (not the model's own primary key) */
  unsigned char allow_null_given; /* allowNull was given in the definition */
  unsigned char not_null_ddl; /* allowNull = null (JS null): the column is written NOT NULL,
                            * yet no notNull validation runs (Sequelize's attributesToSQL tests
                            * `!allowNull`, its validator `allowNull === false`) */
  unsigned char loose;     /* a column of the query interface's row statements: any value its
                            * kind refuses but a boolean (bound 1 / 0, as the driver binds it) */
  unsigned char stored_date; /* a loose column the dialect declared as its DATE type: a date given
                            * to it (an ISO-8601 string, seconds since the epoch) is bound in the
                            * stored form, as Sequelize formats a Date in a where or SET list */
  unsigned char version;   /* the optimistic-locking version attribute (model option `version`): 2 when added, 1 when declared */
  sq_default def_kind;
  sq_vkind def_vkind;      /* SQ_DEF_VALUE: the value, owned */
  unsigned char def_bool;  /* SQ_V_INT given as a boolean: an instance holds true / false, the column 1 / 0 */
  long long def_i;
  double def_d;
  char *def_s;
  size_t def_n;
  char *ref_table, *ref_key;   /* references */
  char *on_delete, *on_update;
  char *decl_type;         /* the query interface's rebuilds: the column's type as declared, kept verbatim */
  char *copy_from;         /* the query interface's rebuilds: the old column its rows come from (renameColumn) */
  sq_validator *validators;
  int nvalidators;
} sq_attr;

typedef struct sq_assoc sq_assoc;

/* A statement a model keeps: its text, what it was made for, and the prepared statement
 * (valid while the db's cache_gen is `gen`). The last UPDATE-by-key by the columns it sets
 * (upd), and the SELECT of findByPk without options (pkq, no `set`). */
typedef struct sq_kept {
  unsigned char *set;        /* nattrs bytes: the columns in the SET list (upd only) */
  int nattrs;                /* the model's attribute count when it was made */
  char *sql;
  size_t len;
  sq_stmt *st;
  unsigned gen;
} sq_kept;

struct sq_model {
  struct sq_db *db;
  sq_assoc **assocs;         /* associations whose source is this model, in creation order */
  int nassocs, cassocs;
  unsigned char no_auto_pk;  /* a through model made by name: its keys come from associations */
  char *name;
  char *table;
  char *singular, *plural;   /* name.singular / name.plural */
  char *drop_indexes;        /* a query interface rebuild's: indexes it drops rather than makes
                              * again (changeColumn unique = false), each name NUL-terminated,
                              * the list ended by an empty one; NULL: none */
  char *unique_keys;         /* the query interface's createTable uniqueKeys (and a rebuild's
                              * unique constraints that share a column with another): each group
                              * its column names NUL-terminated, then an empty name; an empty
                              * group last; NULL: none. Written after the attributes' groups */
  char *unique_key_names;    /* each unique_keys group's constraint name, NUL-terminated, in the
                              * groups' order ("": unnamed, UNIQUE (...); else CONSTRAINT `name`
                              * UNIQUE (...), a rebuild keeping addConstraint's); NULL: none */
  char *create_sql;          /* a query interface rebuild's own CREATE TABLE text for the table
                              * (addConstraint / removeConstraint: the stored one with a
                              * constraint added or taken out); NULL: the model's definition */
  sq_attr **attrs;           /* column order */
  int nattrs, cattrs;
  int pk;                    /* index of the (first) primary key, or -1 */
  int npk;
  int created_at, updated_at;
  int deleted_at;            /* paranoid: the deletedAt attribute, or -1 */
  int version;               /* optimistic locking: the version attribute, or -1 */
  unsigned char timestamps, underscored, freeze;
  int id;                    /* index in db->models (a freed model's slot is reused by a later one) */
  unsigned char retired;     /* a model defined later under the same name replaced it (Sequelize's
                              * modelManager drops the older one): sq_db_sweep may free it */
  struct sq_model *replaced; /* the model of its name it retired, until its define completes
                              * (sq_db_forget puts that one back) */
  unsigned layout;           /* the attribute layout's generation: bumped (sq_model_changed) when
                              * attributes are added, removed or renumbered; the kept statements
                              * are then dropped, and instances of an older layout remapped */
  sq_kept upd;
  sq_kept pkq;
};

/* ---- the db handle (db.c) ------------------------------------------------- */

/* A time stamp in both text forms: ISO 8601 (as instances hold dates) and as stored. */
typedef struct sq_stamp {
  long long ms;
  int iso_len, db_len;
  char iso[40], db[40];
} sq_stamp;

typedef struct sq_stmt_entry {
  char *sql;
  size_t len;
  unsigned hash;
  sq_stmt *stmt;
  struct sq_stmt_entry *next;
} sq_stmt_entry;

/* The logger: 0, or nonzero when it failed (the statement then does not run). */
typedef int (*sq_log_fn)(void *ud, const char *sql, size_t len);
/* The query hooks (Sequelize's beforeQuery / afterQuery): called with when = 0 before a
 * logged statement is logged and runs (sql its text), when = 1 once it has run and when = 2
 * once it failed (or did not run; sql NULL for both); id: the statement's number, the same
 * for its two calls. 0, or nonzero when a hook failed (ignored for when = 2). */
typedef int (*sq_qhook_fn)(void *ud, int when, unsigned long id, const char *sql, size_t len);

/* Is a call of the host still running below the one running now (this call was made from a
 * __gc finalizer or a metamethod that ran while that one read its rows)? */
typedef int (*sq_nested_fn)(void *ud);

/* What a call of the binding sets up for its statements (setup_log): its logger, benchmark,
 * query hooks and the statement whose afterQuery is pending. Kept aside while a logger or a
 * query hook runs (a query of its own sets up its own), and while a call made inside it runs. */
typedef struct sq_callstate {
  sq_log_fn log;
  void *log_ud;
  int bench, bench_pending, qh_pending, log_params;
  sq_qhook_fn qhook;
  void *qhook_ud;
  unsigned long qh_id;
  void *nested_ud;
  const struct sq_model *view_m;
  const char *view_table;
} sq_callstate;

/* A call's state kept while a call made inside it (from a __gc finalizer, a metamethod, a
 * logger) runs: that one sets up its own, and the outer call's comes back when it ends
 * (binding.c): its sq_callstate, its benchmark start, a finished transaction's refusal, its
 * pending benchmark line, its error and the values of the statement it logs */
#define SQ_MAX_CALL_NEST 16
typedef struct sq_callsave {
  sq_callstate st;
  long long bench_t0;
  unsigned long seq;         /* the call that saved it (the one made inside) */
  unsigned long outer_seq;   /* the call it belongs to */
  sq_buf refuse;             /* (the outer call's, moved here) */
  sq_buf bench_line;
  sq_err err;
  /* the statement being logged (capture, its values and their JSON) and the values the
   * logger's options.bind reads (log_bound): a call made inside, between that statement's
   * sq_db_log and its flush or before its benchmark line, starts its own */
  int capture, nbound, cbound, bound_oom, log_nbound;
  sq_buf vals;
  struct sq_bound *bound;
  const struct sq_bound *log_bound;
} sq_callsave;

typedef struct sq_db {
  sq_conn *conn;
  const struct sq_dialect *dialect;
  int alter_keep;            /* sync { alter = { drop = false } } running: a rebuild may not
                              * lose a column the model lacks (it raises instead) */
  sq_log_fn log;             /* called with each statement before it runs, or NULL */
  void *log_ud;
  int box_logging;           /* the binding: a "logging" field was ever stored on a box of
                              * this db (until then a call has no box logger to look up) */
  int in_logger;             /* the binding: a logging function is running (a statement it logs
                              * is planned on the models' attributes: they may not change) */
  sq_qhook_fn qhook;         /* the query hooks of this call, or NULL (none: one test a statement) */
  void *qhook_ud;
  int qhooks;                /* the binding: the Sequelize object has query hooks */
  int qh_pending;            /* a statement's beforeQuery ran, its afterQuery not yet */
  int in_afterq;             /* the binding: an afterQuery hook is running (no queries then) */
  unsigned long qh_id;       /* ... that statement's number */
  const struct sq_model *view_m; /* Model.schema(name): the call's model is that copy, whose table is */
  const char *view_table;        /* view_table (sq_table); NULL: none (set per call by the binding) */
  int has_views;             /* the binding: a copy (core.view) was made; calls look for one */
  sq_model **models;
  int nmodels, cmodels;
  int nretired;              /* models replaced by a later one of their name, not yet freed */
  sq_stmt_entry **cache;     /* hash buckets */
  unsigned ncache, ccache;
  unsigned cache_gen;        /* bumped whenever cached statements are finalized */
  sq_nested_fn nested;       /* the binding: tells whether a cached statement stepped and not
                              * reset is still being read by a call below (in use: neither reset
                              * nor finalized) or was left so by a call an error unwound */
  void *nested_ud;           /* (set by each call of the binding before it prepares) */
  int tx_depth;              /* 0: autocommit; 1: BEGIN; >1: savepoints */
  unsigned char iso_reset;   /* the transaction's isolationLevel changed the connection: restore it at its end,
                              * to iso_reset - 1 (the state it had before: the dialect's isolation_reset[]) */
  int refs;                  /* its holders (the binding's db box and model boxes): freed by the last */
  void *unheld;              /* the binding's boxes that hold no ref (made in a Lua 5.4 __gc
                              * finalizer, whose box's own __gc may never run: lua_close runs none
                              * for objects made while it finalizes), let go by unheld_drop */
  void (*unheld_drop)(struct sq_db *db); /* (called by sq_db_free first, when unheld is set) */
  /* the binding's calls: call_active, one began and has not ended normally; call_seq, the last
   * one begun; nest, the states of the calls still running below the one running now */
  int call_active, nnest;
  unsigned long call_seq, next_seq;
  sq_callsave nest[SQ_MAX_CALL_NEST];
  int tx_owned;              /* the binding knows which coroutine began the open transaction */
  int busy_ms;               /* the busy timeout (ms): also how long a call may wait for
                                another coroutine's transaction (SQ_E_TXWAIT) */
  int no_foreign_keys;       /* opened with foreignKeys: false (PRAGMA foreign_keys left off) */
  sq_err err;
  sq_buf refuse;             /* the binding: the message a call on a finished transaction gets,
                              * or empty. Each statement the call would run (a rollback aside)
                              * is refused with it, the statement as err.sql, as Sequelize
                              * rejects the query: a call with nothing to run does not fail */
  sq_buf scratch;            /* SQL text being built */
  sq_stamp stamp;            /* the last time stamp formatted (sq_db_stamp) */
  /* logQueryParameters: sq_db_log only starts a statement's log line; the values sq_db_bind
   * binds are added (as JSON) and sq_db_log_flush logs the line before the statement runs */
  int log_params, capture;
  int log_params_default;    /* Sequelize.new{ logQueryParameters = true }; log_params is the
                              * call's: this, or its own options.logQueryParameters */
  int type_validation;       /* Sequelize.new{ typeValidation = true }: values written and
                              * compared are checked against their attribute's type */
  int omit_null;             /* Sequelize.new{ omitNull = true }: an INSERT of one row leaves out
                              * NULL values, and so does an UPDATE unless the call says
                              * omitNull = false (a column whose name ends in "Id" excepted) */
  sq_buf vals;
  struct sq_bound *bound;    /* ... and the values themselves, to bind again (sq_db_log_flush) */
  int nbound, cbound, bound_oom;
  /* the values bound to the statement being logged, for the logger's options.bind: a
   * statement is logged once its values are bound whenever there is a logger (capture), its
   * line showing them with logQueryParameters only. log_nbound is 0 for a statement logged
   * without values (and from sq_db_log until its flush) */
  const struct sq_bound *log_bound;
  int log_nbound;
  unsigned long runs;        /* statements begun (sq_db_log calls) */
  /* benchmark (Sequelize's option): a statement is logged once it has run ("Executed (...):
   * sql", the elapsed ms beside it) instead of before. bench: this call's setting, set by
   * the binding with the logger; the line waits in bench_line from sq_db_log (or its flush)
   * until sq_db_ran (or sq_db_fail); log_ms: the elapsed ms the logger is called with, or -1 */
  int bench, bench_pending, bench_default; /* (bench_default: Sequelize.new{ benchmark = true }) */
  long long bench_t0, log_ms;
  sq_buf bench_line;
  struct {                   /* version-1 UUIDs (sq_db_uuid_v1), as npm uuid's v1 makes them */
    unsigned char node[6];   /* random, multicast bit set: no MAC address is read */
    unsigned clockseq;
    long long last_ms;
    int ns, ready;           /* ns: 100 ns ticks used within last_ms */
  } uuid1;
} sq_db;

/* The table a statement names for m: the Model.schema copy's of this call, else m's own */
static inline const char *sq_table(const struct sq_model *m) {
  return m == m->db->view_m ? m->db->view_table : m->table;
}

/* a value bound to parameter i of st (logQueryParameters keeps them while the logger runs) */
typedef struct sq_bound {
  sq_stmt *st;
  int i;
  sq_value v;
} sq_bound;

/* ---- arena for per-query specs (arena.c) ---------------------------------- */

typedef struct sq_arena_block { struct sq_arena_block *next; size_t used, cap; } sq_arena_block;
typedef struct sq_arena {
  sq_arena_block *head;
  unsigned char *inline_p;   /* optional first block supplied by the caller */
  size_t inline_used, inline_cap;
  sq_arena_block *spare;     /* a standard block kept by sq_arena_free for the next use */
} sq_arena;

void sq_arena_init(sq_arena *a, void *inline_mem, size_t inline_cap);
void *sq_arena_alloc(sq_arena *a, size_t n);          /* zeroed; NULL on OOM */
char *sq_arena_strndup(sq_arena *a, const char *s, size_t n);
void sq_arena_free(sq_arena *a);                      /* keeps one standard block as the spare */
void sq_arena_destroy(sq_arena *a);                   /* frees everything, the spare too */

/* ---- err.c ---------------------------------------------------------------- */
void sq_err_init(sq_err *e);
void sq_err_free(sq_err *e);
void sq_err_clear(sq_err *e);
void sq_err_stash(sq_db *db, sq_err *saved);
void sq_err_restore(sq_db *db, sq_err *saved);
int sq_err_set(sq_db *db, sq_err_kind kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int sq_err_oom(sq_db *db);

/* ---- db.c ----------------------------------------------------------------- */
/* sq_db_open flags */
#define SQ_OPEN_NO_FOREIGN_KEYS 1 /* Sequelize's foreignKeys: false: no PRAGMA foreign_keys = ON */
#define SQ_OPEN_READONLY 2        /* dialectOptions.mode: read only (node-sqlite3's OPEN_READONLY) */
#define SQ_OPEN_NO_CREATE 4       /* dialectOptions.mode without OPEN_CREATE: the file must exist */
int sq_db_open(sq_db **out, const char *path, int flags, sq_err *err_out);
void sq_db_close(sq_db *db);   /* closes the connection; models stay readable */
void sq_db_free(sq_db *db);    /* closes and frees everything */
void sq_db_retain(sq_db *db);  /* one more holder */
void sq_db_release(sq_db *db); /* one holder less: the last frees it (sq_db_free) */
int sq_db_is_open(const sq_db *db);
void sq_db_drop_saved(sq_db *db, int n);
/* Prepare (or take from the cache) a statement for `sql`. The statement is reset and
 * its bindings cleared. Returns NULL and sets db->err on failure. */
sq_stmt *sq_db_prepare(sq_db *db, const char *sql, size_t len);
/* Is a cached statement being read by a call still running below this one (db->nested)? */
int sq_db_reading(sq_db *db);
/* `ms` as a time stamp in both forms; formatted once per millisecond (a run of writes in
 * one millisecond shares it). The result lives until the next call. */
const sq_stamp *sq_db_stamp(sq_db *db, long long ms);
/* A time-based version-1 UUID (DataTypes.UUIDV1): now, in 100 ns ticks since 1582-10-15,
 * with the handle's random node and clock sequence; never repeated by a handle */
void sq_db_uuid_v1(sq_db *db, char out[37]);
/* The most parameters one statement may bind. */
int sq_db_max_params(sq_db *db);
/* Bind one value at 1-based position i. */
int sq_db_bind(sq_db *db, sq_stmt *st, int i, const sq_value *v);
/* Map a SQLite result code (from step/exec) into db->err with the statement text. */
int sq_db_fail(sq_db *db, int rc, const char *sql);
/* Run a statement with no result rows and no parameters (DDL, BEGIN...). */
int sq_db_exec(sq_db *db, const char *sql);
/* The same for the text built in b, which it frees (a buffer out of memory: the error). */
int sq_db_exec_buf(sq_db *db, sq_buf *b);
/* ... run even when the logger fails (restoring a connection setting; its failure is still
 * what it returns) */
int sq_db_exec_must(sq_db *db, const char *sql);
/* Log a statement through db->log: 0, or -1 (SQ_E_CALLBACK) when the logger failed and
 * the statement must not run. */
int sq_db_log(sq_db *db, const char *sql, size_t len);
/* logQueryParameters: after sq_db_log and the binding of a statement's values, log it with
 * them ("sql; [values]"); without logQueryParameters nothing (sq_db_log logged it). A
 * failing logger: -1 (db->err set) and the statement must not run. */
int sq_db_log_flush(sq_db *db, const char *sql, size_t len);
/* benchmark: the statement logged last has run: log its line now, with the ms it took. 0,
 * or -1 (SQ_E_CALLBACK) when the logger failed. Nothing without benchmark. */
int sq_db_ran(sq_db *db);
/* The call is failing after a statement whose beforeQuery ran and whose afterQuery did not:
 * run it now (its failure ignored). Nothing otherwise. */
void sq_db_query_failed(sq_db *db);
void sq_db_log_params(sq_db *db, int on);
void sq_db_type_validation(sq_db *db, int on);
void sq_db_omit_null(sq_db *db, int on);
int sq_db_begin(sq_db *db, const char *name);      /* name: savepoint name when nested */
int sq_db_commit(sq_db *db, const char *name);
int sq_db_rollback(sq_db *db, const char *name);
/* After the outermost BEGIN: the statement of the transaction's isolationLevel (the
 * dialect's isolation), logged; its state is restored when the transaction ends. */
int sq_db_isolation(sq_db *db, const char *level);

/* ---- model.c -------------------------------------------------------------- */
/* A malloc'd copy of s (NULL for NULL or on allocation failure). */
char *sq_strdup(const char *s);
sq_model *sq_model_new(sq_db *db, const char *name);
void sq_model_free(sq_model *m);
/* Keep (a copy of) the statement text `sql`, made when the model had `nattrs` attributes,
 * for the SET columns `set` (NULL: none); forgets the prepared statement. -1 without memory. */
int sq_kept_set(sq_kept *u, int nattrs, const unsigned char *set, const char *sql, size_t len);
void sq_kept_free(sq_kept *u);
/* The model's attributes changed (added, removed, renumbered, or an association changed a
 * key): a new layout generation, and the statements it kept are forgotten. */
void sq_model_changed(sq_model *m);
/* Append an attribute (the model takes ownership of a). */
int sq_model_add_attr(sq_model *m, sq_attr *a);
sq_attr *sq_attr_new(const char *name);
void sq_attr_free(sq_attr *a);
/* The strings and lists validator v owns (not v itself) */
void sq_validator_free(sq_validator *v);
void sq_type_free(sq_type *t); /* its ENUM values */
/* A DataTypes key ("INTEGER", "TINYINT", "JSONB") into t's kind and variant: 0, -1 for a name
 * that is no type of the core */
int sq_type_from_key(const char *key, sq_type *t);
/* The DataTypes key of t: its variant's name, else its kind's ("TINYINT", "INTEGER") */
const char *sq_type_key(const sq_type *t);
/* Sort attributes into column order and fill indexes; call once after define. */
int sq_model_finish(sq_model *m);
/* Table and singular/plural names from the model options (NULL: Sequelize's default). */
int sq_model_set_names(sq_model *m, const char *table, int freeze, const char *singular,
                       const char *plural);
/* Add the createdAt/updatedAt attributes (name NULL: that one is off). */
int sq_model_add_timestamps(sq_model *m, const char *created, const char *updated);
/* Add the nullable deletedAt attribute of a paranoid model (after updatedAt in column
 * order); an attribute of that name the caller defined becomes it. */
int sq_fk_action_valid(const char *s); /* CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION */
int sq_model_add_deleted_at(sq_model *m, const char *name);
/* optimistic locking: `name` (an attribute given, or a new INTEGER NOT NULL DEFAULT 0 one,
 * after the time stamps) counts the row's saves; an instance's save checks it */
int sq_model_add_version(sq_model *m, const char *name);
/* The column name for an attribute name under the model's `underscored` setting. */
char *sq_model_field_for(const sq_model *m, const char *name);
sq_attr *sq_model_attr(const sq_model *m, const char *name, size_t len);
sq_attr *sq_model_attr_by_field(const sq_model *m, const char *field, size_t len);
/* Attributes sharing one column: the table writes it once, at the first one's place, as the
 * last one defines it. column_def: that definition for the first (NULL for a later one);
 * defines_column: is attribute i that last one. */
const sq_attr *sq_model_column_def(const sq_model *m, int i);
int sq_model_defines_column(const sq_model *m, int i);
/* The current (not retired) model of that name, or NULL */
sq_model *sq_db_model(const sq_db *db, const char *name);
/* Add m, retiring the current model of its name (kept in m->replaced); a free slot is reused */
int sq_db_add_model(sq_db *db, sq_model *m);
/* A define that failed after sq_db_add_model: m is retired (a sweep frees it) and the model
 * it replaced is current again */
void sq_db_forget(sq_db *db, sq_model *m);
/* Free the replaced (retired) models nothing reaches any more: alive(ud, m) says whether the
 * caller still holds the model (the binding: a Lua handle on it), and a model kept (current,
 * or held) keeps every model its associations lead to (target, through). Their db->models
 * slots become NULL. Call it only where no model pointer is held across the call. Returns the
 * number freed. */
int sq_db_sweep(sq_db *db, int (*alive)(void *ud, const sq_model *m), void *ud);

/* ---- sync.c --------------------------------------------------------------- */
/* Order models so that referenced tables come first; a cycle is an error. */
int sq_sync_order(sq_db *db, sq_model **models, int n, sq_model **out);
/* force: drop first; alter: make existing tables match their models (keeping rows) */
int sq_sync(sq_db *db, sq_model **models, int n, int force, int alter);
int sq_drop(sq_db *db, sq_model **models, int n);

/* ---- association.c ---------------------------------------------------------- */

typedef enum sq_akind { SQ_HAS_ONE, SQ_BELONGS_TO, SQ_HAS_MANY, SQ_BELONGS_TO_MANY } sq_akind;

struct sq_assoc {
  sq_akind kind;
  sq_model *source, *target, *through;
  char *as;                /* the key of included results: alias, or target singular/plural */
  char *singular, *plural; /* accessor name bases (upper-cased first letter) */
  sq_attr *fk;             /* hasOne/hasMany: on target; belongsTo: on source; n:m: on through */
  sq_attr *other;          /* n:m: the through key pointing at the target */
  sq_attr *skey;           /* the source attribute the key refers to (hasOne/hasMany/n:m) */
  sq_attr *tkey;           /* the target attribute (belongsTo: referenced; n:m: target key) */
  unsigned char many, aliased, constraints;
  unsigned char tkey_default, other_default, fk_default; /* n:m: targetKey / otherKey / foreignKey not given */
  struct sq_assoc *paired; /* n:m: the reverse n:m through the same model, or NULL */
  int id;                  /* index in source->assocs */
};

#define SQ_KEYDEF_TYPE 1
#define SQ_KEYDEF_VALIDATE 2

typedef struct sq_assoc_opts {
  const char *as_singular, *as_plural;   /* from `as` */
  const char *fk;                        /* foreignKey name */
  const char *fk_field, *other_field;    /* foreignKey / otherKey `field`: the column of a key
                                          * the association adds (NULL: named as usual) */
  int fk_unique;                         /* foreignKey = { unique = true }: that key UNIQUE */
  const char *fk_unique_name;            /* foreignKey = { unique = "name" }: it joins that
                                          * composite unique group (NULL: none) */
  int fk_allow_null;                     /* -1: not given */
  const sq_type *key_type;               /* keyType: the type of a key hasOne / hasMany /
                                          * belongsTo adds (NULL: the referenced key's); n:m
                                          * ignores it, as Sequelize */
  const sq_attr *fk_def, *other_def;     /* foreignKey / otherKey given as an attribute definition
                                          * ({ name, type, defaultValue, validate, ... }): its
                                          * options on the key, as Sequelize merges them (NULL: none) */
  int fk_def_flags, other_def_flags;     /* SQ_KEYDEF_TYPE: its type was given; SQ_KEYDEF_VALIDATE:
                                          * its validate was */
  const char *source_key, *target_key, *other_key;
  sq_model *through;                     /* n:m through model, or NULL with through_name */
  const char *through_name;
  const char *through_schema, *through_delim; /* n:m with through_name: the source's schema and
                                                 its delimiter (NULL: none, "."): the join model
                                                 made has the table `schema.name`, as Sequelize's
                                                 join model takes the source's options */
  const char *on_delete, *on_update;
  int constraints;                       /* 0: no REFERENCES (but see fk_constraint) */
  int fk_constraint;                     /* foreignKeyConstraint = true: under constraints = 0,
                                          * the reference is written all the same (1:1, 1:m) */
  int no_unique;                         /* n:m through = { unique = false }: no composite UNIQUE */
  const char *unique_key;                /* n:m uniqueKey: the composite UNIQUE's name, or NULL */
  int stamps_given;                      /* n:m with through_name: the names below apply */
  const char *created_at, *updated_at, *deleted_at; /* its time stamps (NULL: none); default:
                                                      createdAt, updatedAt, no deletedAt */
  const char *version;                   /* ... and its version (optimistic locking), or NULL */
} sq_assoc_opts;

/* Create an association; adds or merges the key attributes. For n:m made with a name,
 * *made_through receives the new through model (registered with the db). */
sq_assoc *sq_associate(sq_db *db, sq_akind kind, sq_model *source, sq_model *target,
                       const sq_assoc_opts *o, sq_model **made_through);
sq_assoc *sq_model_assoc(const sq_model *m, const char *as);
void sq_assoc_free(sq_assoc *a);
int sq_model_remove_attr(sq_model *m, int index);

#endif
