/* qi.c: the text of the query interface's bulkInsert (a multi-row INSERT by table and
 * column names, in the shape Sequelize's query generator prints it) through the dialect's
 * quoting and placeholders: every value is a bound parameter. bulkUpdate, bulkDelete and
 * select go through a transient model of the table and the model's builders (bind_qi.c);
 * the DDL the query interface runs is the dialect's (create_table, add_column, alter_table). */
#include "qi.h"
#include "dialect.h"
#include "query.h"

#include <string.h>

static void q(const sq_db *db, sq_buf *b, const char *id) { db->dialect->quote(b, id, strlen(id)); }

void sq_qi_insert(const sq_db *db, sq_buf *b, const char *table, const char *const *cols, int ncols, int nrows,
                  int ignore, const char *const *keys, int nkeys, const char *const *upd, int nupd,
                  const char *cwhere) {
  int i, r, ph = 0;
  sq_buf_adds(b, ignore ? db->dialect->insert_ignore : "INSERT INTO ");
  q(db, b, table);
  if (ncols == 0) { /* (one row of no values: each column's default, as Sequelize writes it) */
    sq_buf_adds(b, " DEFAULT VALUES");
    nrows = 0;
  } else {
    sq_buf_adds(b, " (");
  }
  for (i = 0; i < ncols; i++) {
    if (i) sq_buf_addc(b, ',');
    q(db, b, cols[i]);
  }
  if (ncols) sq_buf_adds(b, ") VALUES ");
  for (r = 0; r < nrows; r++) {
    sq_buf_adds(b, r ? ",(" : "(");
    for (i = 0; i < ncols; i++) {
      if (i) sq_buf_addc(b, ',');
      db->dialect->placeholder(b, ++ph);
    }
    sq_buf_addc(b, ')');
  }
  if (nkeys > 0 && nupd > 0) {
    for (i = 0; i < nkeys; i++) sq_sql_upsert_column(db, b, 0, keys[i], !i, NULL);
    for (i = 0; i < nupd; i++) sq_sql_upsert_column(db, b, 1, upd[i], !i, cwhere);
  }
  sq_buf_addc(b, ';');
}
