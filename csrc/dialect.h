/* dialect.h: the interface every database dialect implements. Callers (sync, query
 * building, the db handle) reach SQL syntax only through a `sq_dialect`, so a second
 * database is a second table of these functions, not edits to the callers. */
#ifndef SQ_DIALECT_H
#define SQ_DIALECT_H

#include "sq.h"

/* One column of an index: its name (or an expression's SQL text, its values written as
 * literals), an optional collation (an identifier the caller checked; the dialect quotes
 * it) and its direction. */
typedef struct sq_index_col {
  const char *column;
  const char *sql;         /* an expression (Sequelize.fn, literal...): written as it is */
  const char *collate;     /* NULL: none */
  int dir;                 /* SQ_IX_NONE, SQ_IX_ASC or SQ_IX_DESC */
} sq_index_col;

enum { SQ_IX_NONE, SQ_IX_ASC, SQ_IX_DESC };

/* CREATE [UNIQUE] INDEX name ON table (columns) [WHERE condition] */
typedef struct sq_index {
  const char *table, *name;
  int unique;
  const sq_index_col *cols;
  int ncols;
  const char *where;       /* a partial index's condition: SQL text whose values are written as
                            * literals (DDL takes no bound parameters), or NULL */
} sq_index;

/* A piece of a text (p NULL: not there) */
typedef struct sq_text {
  const char *p;
  size_t n;
} sq_text;

/* One constraint of a table's stored definition, as pieces of that text (quotes left in:
 * the caller drops them as the dialect's readers do). The name and the type are each one or
 * two pieces (a word read with a part of the text cut out of it). type_key: the type is
 * PRIMARY or FOREIGN, " KEY" follows it. references: a REFERENCES clause, ref_table and
 * ref_key its first two words (ref_key: the referenced column, in its parentheses). */
typedef struct sq_constraint {
  sq_text name[2], type[2], condition, update_action, delete_action, ref_table, ref_key;
  int type_key, references;
} sq_constraint;

/* A table constraint the query interface adds (addConstraint): CONSTRAINT name, its type,
 * its columns (quoted by the dialect), a CHECK's condition (SQL text, its values written as
 * literals), a FOREIGN KEY's referenced table and columns and its actions (checked: one of
 * CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION; NULL: none written) */
enum { SQ_TC_UNIQUE, SQ_TC_CHECK, SQ_TC_PRIMARY_KEY, SQ_TC_FOREIGN_KEY };
typedef struct sq_table_constraint {
  int type;
  const char *name;
  const char *const *fields;
  int nfields;
  const char *check;
  const char *ref_table;
  const char *const *ref_fields;
  int nref;
  const char *on_update, *on_delete;
} sq_table_constraint;

/* ---- A table's schema as the query interface reads it, in records of no dialect's shape ----
 * Each reader runs its dialect's statement for the table (or index) as db:query runs a
 * statement: logged through db->log (the caller's logger), a failure set on db. It hands
 * the records to each(ud, record) in order; a record and its strings live until each
 * returns. A nonzero return of each stops the reading and is returned; else 0, or -1 with
 * db->err set. */

/* A column, in the table's order */
typedef struct sq_column_info {
  const char *name;
  const char *decl_type;      /* the type as declared ("": none), NULL unknown */
  const char *stored_default; /* the default's text as the dialect keeps it (what stored_default and
                               * describe_default read), NULL: none */
  int not_null;
  int key_position;           /* the column's place in the primary key, from 1; 0: not in it */
} sq_column_info;

/* What made an index */
enum { SQ_IXBY_INDEX, SQ_IXBY_UNIQUE, SQ_IXBY_PRIMARY_KEY, SQ_IXBY_OTHER };

/* A field of a dialect's own: a key (a string that lives as long as the dialect) and its
 * value (NULL, a number, a text) */
typedef struct sq_own_field {
  const char *key;
  sq_value v;
} sq_own_field;

/* An index of a table, in the order the dialect lists them */
typedef struct sq_index_info {
  const char *name;
  int unique;
  int made_by;                /* SQ_IXBY_INDEX: CREATE INDEX, SQ_IXBY_UNIQUE: a UNIQUE constraint of the
                               * table's definition, SQ_IXBY_PRIMARY_KEY: its PRIMARY KEY */
  int partial;                /* only some rows (CREATE INDEX ... WHERE) */
  /* The fields of the dialect's own listing that Sequelize's showIndex of that dialect
   * passes on as they are (sqlite: seq, origin, partial; Sequelize spreads PRAGMA
   * INDEX_LIST's row into its result), in no order that matters */
  sq_own_field own[4];
  int nown;
} sq_index_info;

/* A column of an index, in the index's order: its name, NULL for an expression */
typedef struct sq_index_column_info {
  const char *column;
} sq_index_column_info;

/* A foreign key's column (a composite key: one record a column, in the key's order) */
typedef struct sq_fk_info {
  const char *column;         /* the referencing column */
  const char *ref_table;
  const char *ref_column;     /* NULL: the referenced table's primary key */
  const char *on_update, *on_delete; /* the actions as SQL names them ("NO ACTION", "CASCADE"...), or NULL */
} sq_fk_info;

/* describe_default's kinds of describeTable's defaultValue */
enum { SQ_DD_NONE, SQ_DD_NULL, SQ_DD_FALSE, SQ_DD_TRUE, SQ_DD_TEXT };

typedef struct sq_dialect {
  const char *name;
  /* Append a quoted identifier. */
  void (*quote)(sq_buf *b, const char *id, size_t n);
  /* Append the placeholder for the n-th (1-based) bound parameter. */
  void (*placeholder)(sq_buf *b, int n);
  /* Append a column's type as DDL. */
  void (*type_sql)(sq_buf *b, const sq_type *t);
  /* CREATE TABLE text for a model. */
  void (*create_table)(sq_buf *b, const sq_model *m);
  void (*drop_table)(sq_buf *b, const sq_model *m);
  void (*create_index)(sq_buf *b, const sq_index *ix);
  /* DROP INDEX of that name, if it exists */
  void (*drop_index)(sq_buf *b, const char *name);
  /* Append a value as an SQL literal, for statements that take no bound parameters (a
   * partial index's WHERE). Returns NULL, or why the value has no literal form. */
  const char *(*literal)(sq_buf *b, const sq_value *v);
  /* savepoint NULL: outermost DEFERRED; "\1IMMEDIATE" / "\1EXCLUSIVE": outermost of that type */
  void (*begin)(sq_buf *b, const char *savepoint);
  void (*commit)(sq_buf *b, const char *savepoint);
  void (*rollback)(sq_buf *b, const char *savepoint);
  /* Classify a failed statement: SQ_E_UNIQUE, SQ_E_FK, SQ_E_NOTNULL or SQ_E_DATABASE. */
  sq_err_kind (*classify)(int extended_rc, const char *message);
  /* Text form of a date value as stored; out holds 40 bytes; returns length. */
  int (*date_to_db)(long long ms, char *out);
  /* Does an INSERT need the key read back with last_insert_rowid (1), or RETURNING (0)? */
  int rowid_keys;
  /* The start of an INSERT that skips rows conflicting with a unique key, up to the table
   * name ("INSERT OR IGNORE INTO "). */
  const char *insert_ignore;
  /* What opens a list of row values on the right of IN, after "IN (": SQLite takes them
   * only as a VALUES list, `(a, b) IN (VALUES (?, ?), (?, ?))`. */
  const char *in_rows;
  /* A long list on the right of IN bound as one JSON array text: what comes before its
   * placeholder and after it, inside "IN (" and ")" (sqlite: "SELECT value FROM json_each(",
   * ")"). The database gives each item back with the type it had: an integer, a text, NULL. */
  const char *in_list[2];
  /* sync { alter = true }: make the model's table match its definition, keeping the rows
   * (columns added, dropped or changed); create it when it does not exist. Also the query
   * interface's removeColumn / changeColumn / renameColumn (an attribute's copy_from: the
   * column its rows come from). `what` names the caller in errors ("sync { alter = true }"). */
  int (*alter_table)(sq_db *db, const sq_model *m, const char *what);
/* alter_table's `what` for sync { alter = true } (the model's own definition: the table's
 * named UNIQUE constraints addConstraint made, which the model does not know, are kept) */
#define SQ_SYNC_ALTER "sync { alter = true }"
  /* Introspection (Sequelize's query interface), the statement its dialect runs for:
   * SQ_IS_TABLES the tables, rows with `name`, SQ_IS_INDEX_DEF an index's definition as stored, one row with
   * its text in `sql` (the index name bound first, then its table's: another table's index
   * of that name is not it), SQ_IS_VERSION
   * the database's version, one row with `version`, SQ_IS_CONSTRAINTS the stored SQL of a
   * table (first) and of its indexes, rows with `sql` (the table's name bound first, then a
   * LIKE pattern the text must match, or NULL for any: Sequelize's showConstraintsQuery). */
  void (*introspect)(sq_buf *b, int what);
  /* The value at a JSON path inside a column: the text before the column, between the
   * column and the path's placeholder, and after it (sqlite: "json_extract(", ", ", ")"). */
  const char *json_extract[3];
  /* Text concatenation of two or three operands: the text before the first, between two,
   * and after the last (sqlite: "(", " || ", ")"). Op.startsWith and friends with a column
   * or function value join the bound % to it. */
  const char *concat[3];
  /* The query interface's DDL: ALTER TABLE t ADD column (the attribute as CREATE TABLE
   * writes it), ALTER TABLE a RENAME TO b, and the statements dropAllTables runs around its
   * drops (foreign keys off: on 0, back on: on 1), and truncate's deferral of foreign-key
   * checks to the commit of the transaction it runs in (on 2). */
  void (*add_column)(sq_buf *b, const char *table, const sq_attr *a);
  void (*rename_table)(sq_buf *b, const char *from, const char *to);
  void (*foreign_keys)(sq_buf *b, int on);
  /* A column's default as introspection reads it (sq_column_info's stored_default), as the
   * expression a DEFAULT clause takes again. */
  void (*stored_default)(sq_buf *b, const char *dflt);
  /* Is a column's declared type (sq_column_info's decl_type) the one the dialect writes for DATE?
   * The query interface binds a date given for such a column in the stored form. */
  int (*is_date_decl)(const char *decl);
  /* Does a column of that declared type keep blobs (sqlite: a type naming BLOB, its BLOB
   * affinity)? The query interface binds a string given for it as a blob, as a BLOB
   * attribute's value is bound. */
  int (*is_blob_decl)(const char *decl);
  /* May the query interface write this type string, given by a caller (createTable's
   * `type = "VARCHAR(255)"`), into a column definition as it is? Only a type name the
   * dialect's grammar ends where the string ends: nothing of it may be read as a
   * constraint, a default or another statement. */
  int (*type_name_ok)(const char *s);
  /* showConstraint: the constraints named in a table's stored CREATE TABLE text (s, n bytes),
   * read as Sequelize's dialect reads them (sqlite: parseConstraintsFromSql), each(ud, c) called
   * per one in order; each returning nonzero stops the reading, and that is returned (0: all). */
  int (*constraints)(const char *s, size_t n, int (*each)(void *ud, const struct sq_constraint *c), void *ud);
  /* The query interface's reading of a table's schema (see sq_column_info above): its
   * columns, its indexes, the columns of one index (name: the index), its foreign keys. */
  int (*read_columns)(sq_db *db, const char *table, int (*each)(void *ud, const sq_column_info *c), void *ud);
  int (*read_indexes)(sq_db *db, const char *table, int (*each)(void *ud, const sq_index_info *ix), void *ud);
  int (*read_index_columns)(sq_db *db, const char *index, int (*each)(void *ud, const sq_index_column_info *c),
                            void *ud);
  int (*read_foreign_keys)(sq_db *db, const char *table, int (*each)(void *ud, const sq_fk_info *fk), void *ud);
  /* describeTable's defaultValue of a column, from its stored default (NULL: none) and its
   * declared type (NULL: unknown), as Sequelize's dialect gives it: SQ_DD_NONE (none),
   * SQ_DD_NULL, SQ_DD_FALSE, SQ_DD_TRUE, or SQ_DD_TEXT with the text appended to b. */
  int (*describe_default)(sq_buf *b, const char *decl_type, const char *stored);
  /* addConstraint / removeConstraint: the table rebuilt (as alter_table rebuilds it: rows,
   * indexes and AUTOINCREMENT's counter kept, foreign keys checked, all or nothing) to its
   * stored definition with the constraint `add` added, or with the table constraint named
   * `drop` taken out. `what` names the caller in errors. 0 done, 1 the table has no table
   * constraint of that name (nothing done), -1 with db->err set (a table that is not there
   * too). */
  int (*alter_constraint)(sq_db *db, const char *table, const sq_table_constraint *add, const char *drop,
                          const char *what);
  /* truncate's restartIdentity: the table's key counter reset, so its next rows are given
   * keys from 1 again (sqlite: its sqlite_sequence row deleted; no sqlite_sequence, no
   * AUTOINCREMENT table: nothing to do). 0, -1 with db->err set. */
  int (*restart_identity)(sq_db *db, const char *table);
  /* A transaction's isolationLevel ("READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ",
   * "SERIALIZABLE"): the statement run after its BEGIN appended to b (Sequelize's
   * setIsolationLevelQuery; sqlite: PRAGMA read_uncommitted = ON / OFF, else a comment that
   * there is nothing to do); -1 for a level the dialect does not know. *changes: 1 when the
   * statement changed the connection's state, which isolation_reset restores (unlogged)
   * once the transaction has ended, as the connection Sequelize gives the next one has it. */
  int (*isolation)(sq_buf *b, const char *level, int *changes);
  /* The state isolation changes: isolation_read reads it (one row of one integer, 0 or 1),
   * isolation_reset[v] sets it back to v */
  const char *isolation_read;
  const char *isolation_reset[2];
} sq_dialect;

enum { SQ_IS_TABLES, SQ_IS_INDEX_DEF, SQ_IS_VERSION, SQ_IS_CONSTRAINTS };

extern const sq_dialect sq_dialect_sqlite;

/* SQLite's lexer for text it stored (CREATE TABLE / INDEX): when p starts a string, a quoted
 * name ("", ``, []) or a comment, the position just past it; else p. */
const char *sq_sqlite_skip_quoted(const char *p);

#endif
