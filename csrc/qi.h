/* qi.h: the one row statement of Sequelize's query interface that is not a model's:
 * bulkInsert's multi-row INSERT by table name and column names, built in qi.c. (bulkUpdate,
 * bulkDelete and select run through a transient model of the table: bind_qi.c.) */
#ifndef SQ_QI_H
#define SQ_QI_H

#include "sq.h"

/* INSERT [OR IGNORE] INTO `t` (`a`,`b`) VALUES (?,?),(?,?); (ignore: the dialect's
 * insert_ignore, Sequelize's ignoreDuplicates), with nkeys > 0 and nupd > 0 followed by
 * ON CONFLICT (`k`) DO UPDATE SET `u`=EXCLUDED.`u` (Sequelize's upsertKeys and
 * updateOnDuplicate); cwhere (or NULL): the conflict target's condition, Sequelize's
 * conflictWhere, ON CONFLICT (`k`) WHERE cwhere DO UPDATE SET ... */
void sq_qi_insert(const sq_db *db, sq_buf *b, const char *table, const char *const *cols, int ncols, int nrows,
                  int ignore, const char *const *keys, int nkeys, const char *const *upd, int nupd,
                  const char *cwhere);

#endif
