/* binding.h: what the files of the Lua binding share (binding.c, bind_options.c,
 * bind_read.c, bind_write.c, bind_model.c, bind_json.c, bind_validate.c). Only the binding
 * includes lua.h; the core (sq.h, query.h, ...) knows nothing of Lua.
 *
 * Instances are one Lua table each: slots 1..n hold attribute values in column order
 * (NULL as the light userdata Sequelize.null, nil when not loaded), t[0] holds a shared
 * shape table when a query selected extra keys or includes, t[-1] the previous values of
 * changed attributes (created on the first change), and the raw key isNewRecord is true
 * for unsaved instances. An n:m include's target keeps its through row's values in slots
 * past its attributes until the through instance is first read (shape.lazy, bind_read.c).
 * The per-model metatable (made in Lua) carries __model.
 *
 * Each call runs with a ctx: the db, the model, and a per-call arena for the specs it
 * builds (freed when the call ends, or by __gc when an error unwinds it). Errors from the
 * core come back as values in db->err and are raised as Lua error objects (raise_db).
 */
#ifndef SQ_BINDING_H
#define SQ_BINDING_H

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

/* registry keys: addresses of these are unique (binding.c) */
extern const char REG_ERRFACTORY, REG_EXPRMT, REG_ARRAYMT, REG_BUFFERMT, REG_EMPTYARRAYMT, REG_EMPTYARRAY,
  REG_DVSYNC;
/* Op keys: light userdata pointing into this array, named by op_names: the where
 * operators (sq_op), then OP_COL (Op.col: `{ a = { [Op.col] = "b" } }` compares with a
 * column; the binding turns it into SQ_OP_EQ with a column on the right) */
#define OP_COL SQ_OP_COUNT
#define OP_NKEYS (SQ_OP_COUNT + 1)
extern const char op_tags[OP_NKEYS];
extern const char *const op_names[OP_NKEYS];

/* validator names as define() takes them, by sq_vkey (bind_model.c) */
extern const char *const vkey_names[SQ_VK_N];

/* an attribute's slot in an instance */
#define SLOT(a) ((a)->index + 1)
/* the slot of an instance's dataValues copy whose edits are not read back yet (instance.lua's
 * DV): core.init's dv_sync reads them back before the core reads the instance's values */
#define SQ_DV_SLOT (-6)

typedef struct dbbox { sq_db *db; } dbbox;
/* owned: a transient model (the query interface's), freed by the box's __gc; otherwise the
 * db owns the model */
typedef struct modelbox {
  sq_db *db;
  sq_model *m;
  int owned;
  char *table; /* a Model.schema copy's (core.view): its table; NULL for a model's own box */
  /* unheld: made inside a __gc finalizer under Lua 5.4, it holds no ref of the db (lua_close
   * runs no __gc of objects made while it finalizes: the ref would never be released) but is
   * listed in db->unheld (prev/next), and the db lets it go when it is freed (m and db NULL:
   * a use is then an error). While it is reachable the db box is too (its uservalue). */
  int unheld;
  struct modelbox *prev, *next;
} modelbox;
void sqb_unheld_drop(sq_db *db);

/* logging: opts.logging (function or false) overrides the db's logger */
typedef struct logctx {
  lua_State *L;
  sq_db *db;
  int fn;          /* stack index of the logger, 0 for none */
  int txid;        /* stack index of a transaction id string, 0 for default */
  int opts, boxi;  /* stack indexes of the call's options (0: none) and of its box: the query hooks' */
  const char *qtype; /* the logger's options.type when the call's options give none (NULL: from the
                      * statement's first word; LOG_TYPE_TX: the transaction's type) */
  int qflags;      /* LOGQ_*: the logger's options' defaults, as Sequelize's for the call */
  const char *pk_name; /* findByPk's one-call path: options.where is { [pk_name] = the value at */
  int pk_key;          /* stack index pk_key }, as findByPk gives findOne (NULL: none) */
  unsigned long seq; /* the call's number (sq_db.call_seq) */
  int nested;      /* made while another call ran (a __gc finalizer's, a metamethod's, a logger's):
                    * that one's state, saved in db->nest, comes back when this one ends */
} logctx;
extern const char LOG_TYPE_TX[];
#define LOGQ_PLAIN 1 /* plain = true (findByPk) */
#define LOGQ_AGG 2   /* an aggregate (count, max...): plain and raw, no model (Sequelize's) */

/* the call context */
typedef struct ctx {
  lua_State *L;
  sq_db *db;
  sq_model *m;
  sq_arena *arena;
  int arena_idx;        /* its userdata's stack slot */
  const char *qual;     /* alias qualifying attribute references, or NULL */
  sq_select *sel;       /* for alias lookups in having/order */
  const sq_select *refs; /* without sel (an include's where): the select "$a.b$" keys name */
  int depth;            /* nesting of where/expression tables being parsed */
  const char *label;    /* what where errors name when no attribute does (a JSON path's attribute) */
  int rep;              /* the call's replacements' stack slot (sqb_ctx_replacements), or 0 */
  int bind;             /* the call's bind's stack slot (sqb_ctx_replacements), or 0 */
  sq_posrep *posrep;    /* its literals' positional replacements, made on first use */
  int having;           /* parsing a having: where errors say "having" */
  int where_value;      /* to_db_where converting: an ENUM value outside its list is compared, not refused */
  int nokeys;           /* a select adds no key columns to merge rows by (raw rows, a DISTINCT select) */
  logctx *lg;           /* the call's logging set up, ended with the ctx (end_call), or NULL */
  const char *inc_path; /* parsing an include's attributes: its path ("Posts.Tags"), else NULL */
} ctx;

#define SQ_MAX_NESTING 64

/* how a read turns one result column into a Lua value (bind_read.c) */
typedef struct colplan {
  int slot;              /* attribute index + 1, or 0 for an extra key */
  sq_type_kind kind;     /* conversion */
  int conv;              /* 1 when `kind` applies */
  int dslot;             /* DATE columns: stack slot of the last ISO string made, or 0 */
  unsigned char dn;      /* ... and the stored text it came from */
  unsigned char virt;    /* an extra key naming a VIRTUAL attribute the list named: its value (t[-4]) */
  char draw[38];         /* (virt sits in what was draw's last byte: the struct stays 56 bytes, as
                          * the per-row loops index it; a stored date is 30 characters) */
} colplan;

/* Sequelize.null (and cjson.null, ngx.null): the NULL light userdata */
static inline int is_null(lua_State *L, int i) {
  return lua_type(L, i) == LUA_TLIGHTUSERDATA && lua_touserdata(L, i) == NULL;
}

/* An options value that gives no replacements / bind: nil, Sequelize.null or false (Sequelize
 * tests `replacements == null` and `options.replacements && options.bind`) */
static inline int no_params(lua_State *L, int i) {
  return lua_isnil(L, i) || is_null(L, i) || (lua_isboolean(L, i) && !lua_toboolean(L, i));
}

/* Each file but binding.c registers its core.* functions into the module table on top. */
void sqb_open_read(lua_State *L);
void sqb_open_write(lua_State *L);
void sqb_open_model(lua_State *L);
void sqb_open_json(lua_State *L);
void sqb_open_validate(lua_State *L);
void sqb_open_qi(lua_State *L);
int sqb_fill_attr(lua_State *L, sq_db *db, sq_attr *a, int t);
int sqb_decl_type(sq_db *db, sq_attr *a, const char *decl, int given);

/* binding.c */
int raise_db(lua_State *L, sq_db *db);
int usage(lua_State *L, sq_db *db, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
dbbox *check_dbbox(lua_State *L, int i);
sq_db *check_db_held(lua_State *L, int i); /* open or closed; raises once its box is finalized */
sq_db *check_db(lua_State *L, int i);
modelbox *check_modelbox(lua_State *L, int i);
/* Push a box for m (the db box at dbi; owned: see modelbox) */
void sqb_push_model_box(lua_State *L, int dbi, sq_db *db, sq_model *m, int owned);
void sqb_new_weak_values(lua_State *L);
sq_model *check_model(lua_State *L, int i);
void setup_log(lua_State *L, sq_db *db, logctx *c, int boxi, int opts);
/* The normal end of a call that set up logging (release_ctx does it for a ctx given the
 * logctx): a call made inside another gives that one its state back */
void end_call(sq_db *db, logctx *c);
int is_expr(lua_State *L, int i);
int op_of(lua_State *L, int i);
modelbox *instance_model(lua_State *L, int idx); /* NULL: not an instance */
void push_i64(lua_State *L, long long v); /* exact: a string beyond 2^53 under LuaJIT */
void enter(ctx *c, const char *what);
int opt_bool(lua_State *L, int opts, const char *key);
int opt_true(lua_State *L, int opts, const char *key);
void *xalloc(ctx *c, size_t n);
void stash_err_value(lua_State *L, int i); /* the value the next value error is about */
int list_len(ctx *c, int i, const char *what); /* raises for a hole or other keys */
int items_len(ctx *c, int i, const char *what); /* raises for a hole; other keys ignored */
size_t count_keys(lua_State *L, int i, size_t *npos, size_t *top); /* all keys; positive integer ones, the largest */
int is_sequence(lua_State *L, int i);           /* exactly the items 1..n */
int bad_value(ctx *c, const sq_attr *a, int i, const char *why);
void enum_check(ctx *c, int i, const sq_attr *a); /* an ENUM value outside its list raises (bind_validate.c) */
void type_validate(ctx *c, int i, int t, const sq_attr *a); /* typeValidation (bind_validate.c) */
void to_db(ctx *c, int i, const sq_attr *a, sq_value *v);
void to_db_t(ctx *c, int i, int t, const sq_attr *a, sq_value *v); /* t: lua_type(L, i) */
void to_db_where(ctx *c, int i, const sq_attr *a, sq_value *v); /* a value compared in a where */
void to_db_plain(lua_State *L, sq_db *db, int i, sq_value *v, const char *what);
void get_instance_mt(lua_State *L, int modeli);
void push_array_mt(lua_State *L);
int has_array_mt(lua_State *L, int idx);
int is_empty_array(lua_State *L, int idx);
int has_registry_mt(lua_State *L, int idx, const char *key);
int date_ms(lua_State *L, int i, long long *ms);
sq_stmt *prepare_built(sq_db *db, sq_buf *sql, sq_binds *binds);
sq_stmt *kept_stmt(sq_db *db, const sq_model *m, sq_kept *k);
void keep_stmt(sq_db *db, const sq_model *m, sq_kept *k, const unsigned char *set, const sq_buf *sql,
               sq_stmt *st);
void init_ctx(ctx *c, lua_State *L, sq_db *db, sq_model *m, logctx *lg);
void release_ctx(ctx *c);
int opts_index(lua_State *L, int i);

/* bind_options.c */
sq_include *find_include(sq_include **inc, int ninc, const char *path, size_t n);
sq_expr *include_attr_expr(ctx *c, const char *s, size_t n, const sq_attr **attr_out);
sq_expr *attr_expr(ctx *c, const sq_attr *a);
sq_attr *find_attr(ctx *c, const char *name, size_t n, const char *where);
sq_attr *find_attr_named(ctx *c, const char *name, size_t n, const char *where);
sq_expr *new_expr(ctx *c, sq_xkind k);
/* a column by name: an attribute (or its column's name), "Model.attr", "Include.attr", an alias */
sq_expr *name_expr(ctx *c, const char *s, size_t n, const char *where);
/* bind_read.c: a literal's parameters bound from the call's replacements */
void sqb_literal_params(ctx *c, sq_expr *x);
void sqb_ctx_replacements(ctx *c, int opts);
/* A Sequelize.fn/col/literal object at i as an expression (update's SQL values). */
sq_expr *parse_value_expr(ctx *c, int i, const char *what);
sq_where *new_node(ctx *c, sq_wkind k, int nkids);
sq_where *get_where(ctx *c, int opts);
long long opt_count(ctx *c, int opts, const char *key);
int has_many(sq_include **inc, int ninc, int dup);
void parse_select(ctx *c, sq_select *s, int opts);
void check_attributes(ctx *c, const sq_select *s, int opts);

/* bind_read.c */
void push_col(lua_State *L, sq_db *db, sq_stmt *st, int k, const colplan *p);
void rawget_member(lua_State *L, int idx);
int migrate_instance(lua_State *L, int idx); /* an instance of an older attribute layout moved to the model's */
void keep_text(ctx *c, sq_value *v); /* a TEXT / BLOB value's bytes copied into the call's arena */

/* bind_write.c */
void fields_mask(ctx *c, int fi, unsigned char *mask);

/* bind_model.c */

/* bind_json.c */
void encode_json_value(lua_State *L, sq_db *db, int idx, sq_buf *b, const char *model, const char *attr);
void push_json(lua_State *L, sq_db *db, const char *s, size_t n);

/* bind_validate.c */

#endif
