/* qi.c: the text of the query interface's row statements (bulkInsert, bulkUpdate,
 * bulkDelete, select by table name) in the shape Sequelize's query generator prints them,
 * through the dialect's quoting and placeholders: every value is a bound parameter. The
 * DDL the query interface runs is the dialect's (create_table, add_column, alter_table...). */
#include "qi.h"
#include "dialect.h"

#include <string.h>

static void q(const sq_db *db, sq_buf *b, const char *id) { db->dialect->quote(b, id, strlen(id)); }

/* WHERE `a` = ? AND `b` IN (?, ?) AND `c` IS NULL (Sequelize's form; an empty IN list is
 * IN (NULL)); nothing for no conditions. `prefix`: the table each column is qualified with. */
static void where(const sq_db *db, sq_buf *b, const char *prefix, const sq_qi_cond *c, int nc, int *ph) {
  int i, k;
  for (i = 0; i < nc; i++) {
    sq_buf_adds(b, i ? " AND " : " WHERE ");
    if (prefix) {
      q(db, b, prefix);
      sq_buf_addc(b, '.');
    }
    q(db, b, c[i].col);
    switch (c[i].kind) {
      case SQ_QI_NULL: sq_buf_adds(b, " IS NULL"); break;
      case SQ_QI_IN:
        sq_buf_adds(b, " IN (");
        if (!c[i].n) sq_buf_adds(b, "NULL");
        for (k = 0; k < c[i].n; k++) {
          if (k) sq_buf_adds(b, ", ");
          db->dialect->placeholder(b, ++*ph);
        }
        sq_buf_addc(b, ')');
        break;
      default:
        sq_buf_adds(b, " = ");
        db->dialect->placeholder(b, ++*ph);
        break;
    }
  }
}

void sq_qi_insert(const sq_db *db, sq_buf *b, const char *table, const char *const *cols, int ncols, int nrows) {
  int i, r, ph = 0;
  sq_buf_adds(b, "INSERT INTO ");
  q(db, b, table);
  sq_buf_adds(b, " (");
  for (i = 0; i < ncols; i++) {
    if (i) sq_buf_addc(b, ',');
    q(db, b, cols[i]);
  }
  sq_buf_adds(b, ") VALUES ");
  for (r = 0; r < nrows; r++) {
    sq_buf_adds(b, r ? ",(" : "(");
    for (i = 0; i < ncols; i++) {
      if (i) sq_buf_addc(b, ',');
      db->dialect->placeholder(b, ++ph);
    }
    sq_buf_addc(b, ')');
  }
  sq_buf_addc(b, ';');
}

void sq_qi_update(const sq_db *db, sq_buf *b, const char *table, const char *const *cols, int ncols,
                  const sq_qi_cond *c, int nc) {
  int i, ph = 0;
  sq_buf_adds(b, "UPDATE ");
  q(db, b, table);
  sq_buf_adds(b, " SET ");
  for (i = 0; i < ncols; i++) {
    if (i) sq_buf_addc(b, ',');
    q(db, b, cols[i]);
    sq_buf_addc(b, '=');
    db->dialect->placeholder(b, ++ph);
  }
  where(db, b, NULL, c, nc, &ph);
}

void sq_qi_delete(const sq_db *db, sq_buf *b, const char *table, const sq_qi_cond *c, int nc) {
  int ph = 0;
  sq_buf_adds(b, "DELETE FROM ");
  q(db, b, table);
  where(db, b, NULL, c, nc, &ph);
}

void sq_qi_select(const sq_db *db, sq_buf *b, const char *table, const sq_qi_cond *c, int nc) {
  int ph = 0;
  sq_buf_adds(b, "SELECT * FROM ");
  q(db, b, table);
  where(db, b, table, c, nc, &ph);
  sq_buf_addc(b, ';');
}
