/* query.h: query specs (what the binding resolves option tables into) and the
 * builders that turn them into SQL text plus an ordered list of bound values.
 * Specs live in a per-call arena; nothing here is retained after the call. */
#ifndef SQ_QUERY_H
#define SQ_QUERY_H

#include <string.h>
#include "sq.h"

/* ---- expressions: values, columns, functions, literals ---- */
typedef enum sq_xkind {
  SQ_X_VALUE,    /* a bound value */
  SQ_X_ATTR,     /* a model attribute, qualified by `qual` when set */
  SQ_X_COL,      /* Sequelize.col("a") / col("t.a"): each dotted part quoted */
  SQ_X_ALIAS,    /* a select-list alias (in having/order) */
  SQ_X_FN,       /* Sequelize.fn(name, args...) */
  SQ_X_LITERAL,  /* Sequelize.literal(sql): the caller's own SQL text */
  SQ_X_STAR,     /* * (COUNT(*)) */
  SQ_X_DISTINCT, /* DISTINCT(arg) */
  SQ_X_ROW,      /* a row value (args...): the left of an IN over composite keys, and its rows */
  SQ_X_CAST,     /* CAST(arg AS name): Sequelize.cast(value, type) */
  SQ_X_JSON,     /* the value at a JSON path in a column: args[0] the column, args[1] the path
                  * ("$.a[0].b", a bound value), written in the dialect's syntax */
  SQ_X_COND      /* a condition used as a value (Sequelize.where in fn args or order): `cond` */
} sq_xkind;

struct sq_where;

/* Positional replacements (`?`) of a call's Sequelize.literal texts, given out in the order
 * the statement's text reaches them, as Sequelize replaces them in its finished SQL (a
 * literal among the attributes takes replacements[1] before one in the where). An item is
 * one replacement: its placeholders' text (`?`; a list's `?, ?`, a list inside it in
 * parentheses) and their values in that order. Each statement counts them from the first
 * (sq_binds.posnext). */
typedef struct sq_positem {
  const char *text;
  size_t tlen;
  const sq_value *vals;
} sq_positem;

typedef struct sq_posrep {
  const sq_positem *items;
  int n;
} sq_posrep;

typedef struct sq_expr {
  sq_xkind kind;
  sq_value v;
  const char *name;            /* COL path / FN name / LITERAL text / ALIAS / CAST type */
  size_t nlen;
  const sq_attr *attr;
  const char *qual;            /* table alias that qualifies ATTR */
  struct sq_expr **args;        /* a LITERAL's: its bound values (the call's replacements) */
  int nargs;
  size_t at;                   /* such a value's `?` in the LITERAL's text */
  sq_posrep *pos;              /* such a value that is the next positional replacement */
  struct sq_where *cond;       /* COND */
} sq_expr;

/* ---- where trees ---- */
typedef enum sq_op {
  SQ_OP_EQ, SQ_OP_NE, SQ_OP_IS, SQ_OP_NOT, SQ_OP_GT, SQ_OP_GTE, SQ_OP_LT, SQ_OP_LTE,
  SQ_OP_BETWEEN, SQ_OP_NOTBETWEEN, SQ_OP_IN, SQ_OP_NOTIN, SQ_OP_LIKE, SQ_OP_NOTLIKE,
  SQ_OP_STARTSWITH, SQ_OP_ENDSWITH, SQ_OP_SUBSTRING,
  SQ_OP_AND, SQ_OP_OR,      /* only as where-tree node kinds */
  SQ_OP_NOTTREE,            /* NOT (...) */
  SQ_OP_COUNT
} sq_op;

typedef enum sq_wkind { SQ_W_AND, SQ_W_OR, SQ_W_NOT, SQ_W_CMP, SQ_W_EXPR } sq_wkind;

typedef struct sq_where {
  sq_wkind kind;
  struct sq_where **kids;      /* AND / OR / NOT */
  int nkids;
  sq_expr *lhs;                /* CMP */
  sq_op op;
  sq_expr **rhs;               /* CMP: one value, two for BETWEEN, n for IN */
  int nrhs;
  unsigned char bare;          /* IN / NOT IN given one literal, not a list: its own text */
  unsigned char exact;         /* CMP from Sequelize.where's "<>": a null compared as written
                                * (`<> NULL`: no row), not made IS NOT NULL */
  sq_expr *expr;               /* EXPR: a literal used as a condition */
} sq_where;

/* ---- select ---- */
typedef struct sq_include sq_include;

/* A list of names (the VIRTUAL attributes an attribute list named: toJSON shows those) */
typedef struct sq_names {
  const char **v;
  int n;
} sq_names;

typedef struct sq_selcol {
  sq_expr *expr;
  const char *as;              /* output alias or NULL */
  int attr;                    /* attribute index it fills, or -1 for an extra key */
  int hidden;                  /* 1: selected only to merge rows by key, not stored; 2: a join
                                * row's key Sequelize selects beside a through attribute list,
                                * in raw rows only */
  const sq_attr *vtype;        /* an extra key naming an attribute's column (first_name for
                                * firstName): its values are read as that attribute's, else NULL */
} sq_selcol;

/* Does the column carry attribute a's own value (not a copy under an alias of the caller's)?
 * A column whose field is not its name is selected AS the attribute's name. */
static inline int sq_selcol_is_attr(const sq_selcol *col, const sq_attr *a) {
  return col->attr == a->index && (!col->as || !strcmp(col->as, a->name));
}

typedef struct sq_order {
  sq_expr *expr;
  const char *dir;             /* a checked keyword ("ASC", "DESC NULLS LAST"...) or NULL */
  sq_expr *dir_lit;            /* or a Sequelize.literal as the direction, written as given
                                * ({ "id", literal("ASC, name DESC") }, as Sequelize) */
  int inc;                     /* named through an include ({ Post, "score" }, { "Posts", "score" }):
                                * Sequelize leaves it out of the parents' paging subquery */
} sq_order;

typedef struct sq_select {
  const sq_model *model;
  const char *alias;           /* the model's name as the table alias */
  sq_selcol *cols;
  int ncols;
  sq_where *where;
  sq_order *order;
  int norder;
  sq_expr **group;
  int ngroup;
  sq_where *having;
  long long limit, offset;     /* -1: none */
  int qualify;                 /* qualify plain columns with the alias */
  sq_include **inc;            /* included associations (joined), in include order */
  int ninc;
  sq_where *keys_in;           /* extra condition ANDed to where (paging of parents) */
  int distinct_pk;             /* select DISTINCT every top primary key column only (paging query) */
  int distinct_rows;           /* the select list starts with DISTINCT: its rows are not merged by key,
                                * a limit pages them (not the parents) */
  int getters_shown;           /* rows read without an attribute list (Sequelize's query with a model):
                                * their toJSON shows the getterMethods, as a built row's does */
  int count_keys;              /* with distinct_pk: count those rows (a composite key's distinct count) */
  sq_names *vshow;             /* VIRTUAL attributes the attribute list named, or NULL */
  const struct sq_assoc *thr;  /* an n:m getter's read: its through model joined (INNER, aliased by the
                                * through model's name) to the targets, on the source key thr_key */
  sq_value thr_key;
  sq_where *thr_where;         /* and a condition on that through row (its through scope), or NULL */
} sq_select;

/* One included association, joined to its parent. Its columns sit in the select list
 * of the whole query (aliases "Posts.id", "Tags.PostTags.TagId"). */
struct sq_include {
  const struct sq_assoc *assoc;
  const sq_model *model;       /* the target */
  const char *alias;           /* SQL alias of the target: Posts, Posts->Tags */
  const char *talias;          /* n:m: SQL alias of the through table: Tags->PostTags */
  const char *tas;             /* n:m: the name the join row goes under: include.through.as,
                                * else the through model's name (PostTags) */
  const char *palias;          /* SQL alias of the parent */
  sq_where *where;             /* conditions on the target (in the ON clause) */
  sq_where *on;                /* include.on: the join condition written instead of the keys', or NULL */
  sq_where *twhere;            /* n:m: conditions on the through row */
  int required;                /* INNER JOIN */
  int or_where;                /* include.or: the where ORed with the join condition (1:1, 1:m) */
  int own_attrs;               /* the include gave attributes (its objects' keys: Sequelize's order) */
  int nodup;                   /* duplicating = false: a to-many include that does not make the
                                * parents paged apart (Sequelize's hasDuplicating) */
  sq_include **kids;
  int nkids;
  int col0, ncols;             /* target columns in the select list */
  int tcol0, ntcols;           /* through columns */
  int pkcol;                   /* the target's (first) primary key column, or -1 */
  int *pkcols, npkcols;        /* every primary key column of the target (rows merge on all) */
  sq_names *vshow;             /* VIRTUAL attributes the include's attribute list named, or NULL */
  sq_names *tvshow;            /* those its through attribute list named (n:m), or NULL */
};

/* ---- bound values ---- */
typedef struct sq_binds {
  sq_value *v;
  int n, cap;
  sq_arena *arena;
  int literal;                 /* 1: the where compiler writes each value into the text as the
                                * dialect's SQL literal instead of binding it (DDL takes no
                                * parameters; an ON CONFLICT target's WHERE matches a partial
                                * index by its text); sq_binds_init sets 0 */
  int posnext;                 /* the statement's next positional replacement (sq_posrep) */
} sq_binds;

void sq_binds_init(sq_binds *b, sq_arena *a);
int sq_binds_push(sq_binds *b, const sq_value *v);

/* ---- builders (query.c, where.c) ---- */
int sq_sql_expr(sq_db *db, sq_buf *out, sq_binds *binds, const sq_expr *x);
/* " WHERE cond", or nothing for an empty tree. */
int sq_sql_where(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w);
/* The bare condition (for HAVING and join conditions). */
int sq_sql_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w);
int sq_sql_and_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w);
/* " OR <condition>" (an include with `or = true`: its where ORed with the join's keys) */
int sq_sql_or_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_where *w);
int sq_where_is_empty(const sq_where *w);
int sq_sql_select(sq_db *db, sq_buf *out, sq_binds *binds, const sq_select *s);
/* What an INSERT does with a row that conflicts with a unique key (bulkCreate's
 * ignoreDuplicates, updateOnDuplicate and conflictAttributes): skip it, or update the
 * attributes `update` marks where the `target` attributes conflict; `returning`: give the
 * primary key of the row inserted or updated back as a result row. */
typedef struct sq_conflict {
  int ignore;
  const unsigned char *target;   /* nattrs flags, or NULL */
  const unsigned char *update;   /* nattrs flags, or NULL */
  const char *where;             /* the target's WHERE (bulkCreate's conflictWhere: values
                                  * written as literals, so that SQLite matches a partial
                                  * unique index with it), or NULL */
  int returning;
} sq_conflict;

/* One column of an upsert's " ON CONFLICT (t,...) [WHERE cond] DO UPDATE SET a=EXCLUDED.a,...":
 * part 0 a conflict target column, part 1 an updated one; first: the first of its part;
 * where: the target's condition or NULL (written with the first updated column). Every
 * target column is written before the updated ones. (bulkCreate, and the query interface's
 * bulkInsert updateOnDuplicate) */
void sq_sql_upsert_column(const sq_db *db, sq_buf *out, int part, const char *field, int first,
                          const char *where);
/* INSERT of `nrows` rows of the attributes present[i] marks: row r's values are
 * values[r * m->nattrs + i]. One row without columns is DEFAULT VALUES. cf: NULL, or what
 * a conflicting row does. */
int sq_sql_insert(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m,
                  const sq_value *values, const unsigned char *present, int nrows, const sq_conflict *cf);
/* UPDATE `t` SET a=?,... WHERE ... (present[i] marks which attributes; an attribute with
 * exprs[i] set takes that expression instead of values[i]; exprs may be NULL). limit > 0:
 * only that many rows. */
int sq_sql_update(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m,
                  const sq_value *values, const unsigned char *present, const sq_where *w,
                  sq_expr *const *exprs, long long limit);
/* UPDATE `t` SET a = a + ?, ... for increment/decrement (by[i] present marks). An amount
 * that is an expression (by_exprs[i], by_exprs may be NULL) is written in parentheses,
 * after `-` when subtract (a decrement's numbers come negated instead). */
int sq_sql_increment(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m,
                     const sq_value *by, sq_expr *const *by_exprs, int subtract,
                     const unsigned char *present,
                     const sq_value *extra, const unsigned char *extra_present, const sq_where *w);
int sq_sql_delete(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m, const sq_where *w,
                  long long limit);

/* Bind `binds` to a prepared statement. */
int sq_bind_all(sq_db *db, sq_stmt *st, const sq_binds *binds);

#endif
