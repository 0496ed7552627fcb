/* qi.h: the statements of Sequelize's query interface that are not a model's
 * (bulkInsert, bulkUpdate, bulkDelete, select by table name), built in qi.c. */
#ifndef SQ_QI_H
#define SQ_QI_H

#include "sq.h"

/* One condition of a plain where: `col` = ?, `col` IS NULL, or `col` IN (?, ... n) */
enum { SQ_QI_EQ, SQ_QI_NULL, SQ_QI_IN };
typedef struct sq_qi_cond {
  const char *col;
  int kind;
  int n; /* SQ_QI_IN: how many values */
} sq_qi_cond;

/* INSERT INTO `t` (`a`,`b`) VALUES (?,?),(?,?); */
void sq_qi_insert(const sq_db *db, sq_buf *b, const char *table, const char *const *cols, int ncols, int nrows);
/* UPDATE `t` SET `a`=?,`b`=? WHERE ... */
void sq_qi_update(const sq_db *db, sq_buf *b, const char *table, const char *const *cols, int ncols,
                  const sq_qi_cond *c, int nc);
/* DELETE FROM `t` WHERE ... */
void sq_qi_delete(const sq_db *db, sq_buf *b, const char *table, const sq_qi_cond *c, int nc);
/* SELECT * FROM `t` WHERE `t`.`a` = ...; */
void sq_qi_select(const sq_db *db, sq_buf *b, const char *table, const sq_qi_cond *c, int nc);

#endif
