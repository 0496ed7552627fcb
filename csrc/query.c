/* query.c: the statement builders. SELECT (columns, FROM with the model's name as
 * alias, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET as bound values), INSERT,
 * UPDATE, increment UPDATEs and DELETE, written through the dialect with every value
 * bound. */
#include "query.h"
#include "dialect.h"

#include <string.h>

static void q(sq_db *db, sq_buf *out, const char *s) { db->dialect->quote(out, s, strlen(s)); }

static int push(sq_db *db, sq_buf *out, sq_binds *binds, const sq_value *v) {
  if (v->kind == SQ_V_EXPR) return sq_sql_expr(db, out, binds, v->u.x);
  if (sq_binds_push(binds, v)) return sq_err_oom(db);
  db->dialect->placeholder(out, binds->n);
  return 0;
}

static void qq(sq_db *db, sq_buf *out, const char *alias, const char *field) {
  q(db, out, alias);
  sq_buf_addc(out, '.');
  q(db, out, field);
}

static int has_required_kid(const sq_include *in) {
  int i;
  for (i = 0; i < in->nkids; i++)
    if (in->kids[i]->required || has_required_kid(in->kids[i])) return 1;
  return 0;
}

/* " ON parent.key = include.key" for a one- or many-association (not n:m); with include.on
 * that condition instead (Sequelize's), ANDed with the include's where after it. */
static int key_condition(sq_db *db, sq_buf *out, sq_binds *binds, const sq_include *in) {
  const sq_assoc *a = in->assoc;
  sq_buf_adds(out, " ON ");
  if (in->on && !sq_where_is_empty(in->on)) return sq_sql_condition(db, out, binds, in->on);
  if (a->kind == SQ_BELONGS_TO) {
    qq(db, out, in->palias, a->fk->field);
    sq_buf_adds(out, " = ");
    qq(db, out, in->alias, a->tkey->field);
  } else {
    qq(db, out, in->palias, a->skey->field);
    sq_buf_adds(out, " = ");
    qq(db, out, in->alias, a->fk->field);
  }
  return 0;
}

/* " AND <include where>", when the include has one (" OR <where>" with include.or, as
 * Sequelize writes it: `ON a.id = b.aId OR <where>`). */
static int include_where(sq_db *db, sq_buf *out, sq_binds *binds, const sq_include *in) {
  if (!in->where || sq_where_is_empty(in->where)) return 0;
  if (in->or_where) return sq_sql_or_condition(db, out, binds, in->where);
  return sq_sql_and_condition(db, out, binds, in->where);
}

/* LEFT OUTER / INNER JOIN of one include and, depth first, of its children. With `cross`
 * (the parents' paging query) an inner join is written CROSS JOIN: SQLite then keeps the
 * left side in the outer loop, so the parents come in the order of a scan of their own
 * table, as from Sequelize's subquery (`SELECT ... FROM Users LIMIT ?`), and not in the
 * order of the included table's rows. */
static int join_sql(sq_db *db, sq_buf *out, sq_binds *binds, const sq_include *in, int cross) {
  const sq_assoc *a = in->assoc;
  int i;
  sq_buf_adds(out, !in->required ? " LEFT OUTER JOIN " : cross ? " CROSS JOIN " : " INNER JOIN ");
  if (a->kind == SQ_BELONGS_TO_MANY) {
    /* ( through AS t INNER JOIN target AS x ON x.key = t.other ) ON parent.key = t.fk; a
     * required child of an optional n:m include joins inside the parentheses (it removes the
     * join rows it misses, not the parent) */
    int inside = !in->required && has_required_kid(in);
    sq_buf_adds(out, "( ");
    q(db, out, a->through->table);
    sq_buf_adds(out, " AS ");
    q(db, out, in->talias);
    sq_buf_adds(out, " INNER JOIN ");
    q(db, out, a->target->table);
    sq_buf_adds(out, " AS ");
    q(db, out, in->alias);
    sq_buf_adds(out, " ON ");
    qq(db, out, in->alias, a->tkey->field);
    sq_buf_adds(out, " = ");
    qq(db, out, in->talias, a->other->field);
    if (inside) {
      for (i = 0; i < in->nkids; i++)
        if (join_sql(db, out, binds, in->kids[i], cross)) return -1;
    }
    sq_buf_adds(out, ") ON ");
    qq(db, out, in->palias, a->skey->field);
    sq_buf_adds(out, " = ");
    qq(db, out, in->talias, a->fk->field);
    if (in->twhere && !sq_where_is_empty(in->twhere)) {
      if (sq_sql_and_condition(db, out, binds, in->twhere)) return -1;
    }
    if (inside) return include_where(db, out, binds, in);
  } else if (!in->required && has_required_kid(in)) {
    /* LEFT OUTER JOIN ( target AS x INNER JOIN ... ) ON ...: a required child of an
     * optional include removes only the child rows, not the parent */
    sq_buf_adds(out, "( ");
    q(db, out, a->target->table);
    sq_buf_adds(out, " AS ");
    q(db, out, in->alias);
    for (i = 0; i < in->nkids; i++)
      if (join_sql(db, out, binds, in->kids[i], cross)) return -1;
    sq_buf_adds(out, " )");
    if (key_condition(db, out, binds, in)) return -1;
    return include_where(db, out, binds, in);
  } else {
    q(db, out, a->target->table);
    sq_buf_adds(out, " AS ");
    q(db, out, in->alias);
    if (key_condition(db, out, binds, in)) return -1;
  }
  if (include_where(db, out, binds, in)) return -1;
  for (i = 0; i < in->nkids; i++)
    if (join_sql(db, out, binds, in->kids[i], cross)) return -1;
  return 0;
}

int sq_sql_select(sq_db *db, sq_buf *out, sq_binds *binds, const sq_select *s) {
  int i;
  if (s->count_keys) { /* SELECT count(*) AS count FROM (SELECT DISTINCT k1, k2 ...) AS keys */
    sq_buf_adds(out, "SELECT count(*) AS ");
    q(db, out, "count");
    sq_buf_adds(out, " FROM (");
  }
  sq_buf_adds(out, "SELECT ");
  if (s->distinct_pk) {
    int n = 0;
    if (s->model->npk == 0) return sq_err_set(db, SQ_E_USAGE, "%s has no primary key", s->model->name);
    sq_buf_adds(out, "DISTINCT ");
    for (i = 0; i < s->model->nattrs; i++) { /* every key column, in column order */
      if (!s->model->attrs[i]->pk) continue;
      if (n++) sq_buf_adds(out, ", ");
      qq(db, out, s->alias, s->model->attrs[i]->field);
    }
  }
  if (!s->distinct_pk && s->ncols == 0) /* (Sequelize's message, of its selectFromTableFragment) */
    return sq_err_set(db, SQ_E_QUERY, "Attempted a SELECT query for model '%s' as `%s` without selecting any columns",
                      s->model->name, s->alias);
  for (i = 0; i < s->ncols && !s->distinct_pk; i++) {
    const sq_selcol *c = &s->cols[i];
    if (i) sq_buf_adds(out, ", ");
    if (sq_sql_expr(db, out, binds, c->expr)) return -1;
    /* (a column read under its own name keeps its AS: group, order and having name the
     * alias, which a joined table's column of that name would make ambiguous) */
    if (c->as) {
      sq_buf_adds(out, " AS ");
      q(db, out, c->as);
    }
  }
  sq_buf_adds(out, " FROM ");
  q(db, out, sq_table(s->model));
  sq_buf_adds(out, " AS ");
  q(db, out, s->alias);
  if (s->thr) {
    /* INNER JOIN through AS Through ON Through.other = Target.key AND Through.fk = ? */
    const sq_assoc *a = s->thr;
    sq_buf_adds(out, " INNER JOIN ");
    q(db, out, a->through->table);
    sq_buf_adds(out, " AS ");
    q(db, out, a->through->name);
    sq_buf_adds(out, " ON ");
    qq(db, out, a->through->name, a->other->field);
    sq_buf_adds(out, " = ");
    qq(db, out, s->alias, a->tkey->field);
    sq_buf_adds(out, " AND ");
    qq(db, out, a->through->name, a->fk->field);
    sq_buf_adds(out, " = ");
    if (push(db, out, binds, &s->thr_key)) return -1;
    if (s->thr_where && !sq_where_is_empty(s->thr_where)) {
      if (sq_sql_and_condition(db, out, binds, s->thr_where)) return -1;
    }
  }
  for (i = 0; i < s->ninc; i++)
    if (join_sql(db, out, binds, s->inc[i], s->distinct_pk && !s->count_keys)) return -1;
  if (s->keys_in) {
    sq_where both, *kids[2];
    memset(&both, 0, sizeof both);
    both.kind = SQ_W_AND;
    kids[0] = s->where;
    kids[1] = s->keys_in;
    both.kids = kids;
    both.nkids = s->where ? 2 : 1;
    if (!s->where) kids[0] = s->keys_in;
    if (sq_sql_where(db, out, binds, &both)) return -1;
  } else if (sq_sql_where(db, out, binds, s->where)) {
    return -1;
  }
  if (s->ngroup) {
    sq_buf_adds(out, " GROUP BY ");
    for (i = 0; i < s->ngroup; i++) {
      if (i) sq_buf_adds(out, ", ");
      if (sq_sql_expr(db, out, binds, s->group[i])) return -1;
    }
  }
  if (s->having && !sq_where_is_empty(s->having)) {
    sq_buf_adds(out, " HAVING ");
    if (sq_sql_condition(db, out, binds, s->having)) return -1;
  }
  if (s->norder) {
    sq_buf_adds(out, " ORDER BY ");
    for (i = 0; i < s->norder; i++) {
      const sq_expr *x = s->order[i].expr;
      if (i) sq_buf_adds(out, ", ");
      if (s->distinct_pk && (x->kind == SQ_X_ALIAS || x->kind == SQ_X_LITERAL ||
                             (x->kind == SQ_X_COL && !memchr(x->name, '.', x->nlen)))) {
        /* the paging query selects only the key: a select alias (by name, as the whole
         * text of a literal, quoted or not, or as an undotted Sequelize.col) stands for its
         * expression */
        const char *nm = x->name;
        size_t n = x->nlen;
        int k;
        if (x->kind == SQ_X_LITERAL && n >= 2 && (nm[0] == '`' || nm[0] == '"') && nm[n - 1] == nm[0]) {
          nm++;
          n -= 2;
        }
        for (k = 0; k < s->ncols; k++)
          if (s->cols[k].as && strlen(s->cols[k].as) == n && !memcmp(s->cols[k].as, nm, n)) {
            x = s->cols[k].expr;
            break;
          }
      }
      if (sq_sql_expr(db, out, binds, x)) return -1;
      if (s->order[i].dir) {
        sq_buf_addc(out, ' ');
        sq_buf_adds(out, s->order[i].dir);
      } else if (s->order[i].dir_lit) {
        sq_buf_addc(out, ' ');
        if (sq_sql_expr(db, out, binds, s->order[i].dir_lit)) return -1;
      }
    }
  }
  if (s->limit >= 0 || s->offset > 0) {
    sq_value v;
    v.kind = SQ_V_INT;
    v.u.i = s->limit >= 0 ? s->limit : -1;
    sq_buf_adds(out, " LIMIT ");
    if (push(db, out, binds, &v)) return -1;
    if (s->offset > 0) {
      v.u.i = s->offset;
      sq_buf_adds(out, " OFFSET ");
      if (push(db, out, binds, &v)) return -1;
    }
  }
  if (s->count_keys) {
    sq_buf_adds(out, ") AS ");
    q(db, out, "keys");
  }
  sq_buf_addc(out, ';');
  return out->oom ? sq_err_oom(db) : 0;
}

/* One column of an upsert's clause, " ON CONFLICT (t1,t2) [WHERE cond] DO UPDATE SET
 * a=EXCLUDED.a,...": part 0 a column of the conflict target, part 1 one the update sets;
 * first: the first of its part (the target's are written before the update's); where: the
 * target's condition (conflictWhere) or NULL, written before the first updated column */
void sq_sql_upsert_column(const sq_db *db, sq_buf *out, int part, const char *field, int first,
                          const char *where) {
  size_t n = strlen(field);
  if (part == 0) {
    sq_buf_adds(out, first ? " ON CONFLICT (" : ",");
    db->dialect->quote(out, field, n);
    return;
  }
  if (first && where) {
    sq_buf_adds(out, ") WHERE ");
    sq_buf_adds(out, where);
    sq_buf_adds(out, " DO UPDATE SET ");
  } else {
    sq_buf_adds(out, first ? ") DO UPDATE SET " : ",");
  }
  db->dialect->quote(out, field, n);
  sq_buf_adds(out, "=EXCLUDED.");
  db->dialect->quote(out, field, n);
}

/* " ON CONFLICT (target) DO UPDATE SET a=EXCLUDED.a,..." and " RETURNING pk" */
static void insert_conflict_tail(sq_db *db, sq_buf *out, const sq_model *m, const sq_conflict *cf) {
  int i, n = 0;
  if (cf->target && cf->update) {
    for (i = 0; i < m->nattrs; i++)
      if (cf->target[i]) sq_sql_upsert_column(db, out, 0, m->attrs[i]->field, !n++, NULL);
    n = 0;
    for (i = 0; i < m->nattrs; i++)
      if (cf->update[i]) sq_sql_upsert_column(db, out, 1, m->attrs[i]->field, !n++, cf->where);
  }
  if (cf->returning && m->pk >= 0) {
    sq_buf_adds(out, " RETURNING ");
    q(db, out, m->attrs[m->pk]->field);
  }
}

/* Is attribute i written by an INSERT with these values? Not when a later attribute naming
 * the same column (a foreignKey named after another attribute's column) is written too: the
 * column is written once, with the later one's value, as Sequelize maps the values by field. */
static int insert_writes(const sq_model *m, const unsigned char *present, int i) {
  int j;
  if (!present[i]) return 0;
  for (j = i + 1; j < m->nattrs; j++)
    if (present[j] && !strcmp(m->attrs[j]->field, m->attrs[i]->field)) return 0;
  return 1;
}

/* Do two attributes of m name one column? (Rare: then insert_writes decides per attribute;
 * else an attribute present is written. Asked once an INSERT, not once a row.) */
static int shares_column(const sq_model *m) {
  int i, j;
  for (i = 0; i < m->nattrs; i++)
    for (j = i + 1; j < m->nattrs; j++)
      if (!strcmp(m->attrs[j]->field, m->attrs[i]->field)) return 1;
  return 0;
}

int sq_sql_insert(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m,
                  const sq_value *values, const unsigned char *present, int nrows, const sq_conflict *cf) {
  int i, r, n = 0, shared = shares_column(m);
  sq_buf_adds(out, cf && cf->ignore ? db->dialect->insert_ignore : "INSERT INTO ");
  q(db, out, sq_table(m));
  for (i = 0; i < m->nattrs; i++) {
    if (shared ? !insert_writes(m, present, i) : !present[i]) continue;
    sq_buf_adds(out, n++ ? "," : " (");
    q(db, out, m->attrs[i]->field);
  }
  if (n == 0) {
    if (nrows != 1) return sq_err_set(db, SQ_E_USAGE, "an INSERT without columns takes one row");
    if (cf && cf->target && cf->update && m->pk >= 0) {
      /* SQLite takes no ON CONFLICT after DEFAULT VALUES: the key written as NULL, as
       * Sequelize writes it ((`id`) VALUES (NULL); a key with no value has no default) */
      sq_value nul;
      nul.kind = SQ_V_NULL;
      sq_buf_adds(out, " (");
      q(db, out, m->attrs[m->pk]->field);
      sq_buf_adds(out, ") VALUES (");
      if (push(db, out, binds, &nul)) return -1;
      sq_buf_addc(out, ')');
    } else {
      sq_buf_adds(out, " DEFAULT VALUES");
    }
    if (cf) insert_conflict_tail(db, out, m, cf);
    sq_buf_addc(out, ';');
    return out->oom ? sq_err_oom(db) : 0;
  }
  sq_buf_adds(out, ") VALUES ");
  for (r = 0; r < nrows; r++) {
    const sq_value *row = values + (size_t)r * (size_t)m->nattrs;
    sq_buf_adds(out, r ? ",(" : "(");
    n = 0;
    for (i = 0; i < m->nattrs; i++) {
      if (shared ? !insert_writes(m, present, i) : !present[i]) continue;
      if (n++) sq_buf_addc(out, ',');
      if (push(db, out, binds, &row[i])) return -1;
    }
    sq_buf_addc(out, ')');
  }
  if (cf) insert_conflict_tail(db, out, m, cf);
  sq_buf_addc(out, ';');
  return out->oom ? sq_err_oom(db) : 0;
}

/* " WHERE cond" or, with limit > 0, " WHERE rowid IN (SELECT rowid FROM t WHERE cond
 * LIMIT ?)": SQLite has no UPDATE/DELETE ... LIMIT by default. */
static int where_limited(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m, const sq_where *w,
                         long long limit) {
  sq_value v;
  if (limit <= 0) return sq_sql_where(db, out, binds, w);
  sq_buf_adds(out, " WHERE rowid IN (SELECT rowid FROM ");
  q(db, out, sq_table(m));
  if (sq_sql_where(db, out, binds, w)) return -1;
  sq_buf_adds(out, " LIMIT ");
  v.kind = SQ_V_INT;
  v.u.i = limit;
  if (push(db, out, binds, &v)) return -1;
  sq_buf_addc(out, ')');
  return 0;
}

int sq_sql_update(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m,
                  const sq_value *values, const unsigned char *present, const sq_where *w,
                  sq_expr *const *exprs, long long limit) {
  int j, i, n = 0;
  sq_buf_adds(out, "UPDATE ");
  q(db, out, sq_table(m));
  sq_buf_adds(out, " SET ");
  for (j = 0; j <= m->nattrs + 1; j++) {
    /* column order, then updatedAt, then the version (Sequelize stamps updatedAt after the
     * values it writes, a paranoid destroy's deletedAt among them, and adds the version
     * after it); bind_write.c's kept UPDATE binds in this order */
    i = j < m->nattrs ? j : j == m->nattrs ? m->updated_at : m->version;
    if (i < 0 || (j < m->nattrs && (i == m->updated_at || i == m->version)) || !present[i]) continue;
    if (n++) sq_buf_addc(out, ',');
    q(db, out, m->attrs[i]->field);
    sq_buf_addc(out, '=');
    if (exprs && exprs[i] ? sq_sql_expr(db, out, binds, exprs[i]) : push(db, out, binds, &values[i])) return -1;
  }
  if (where_limited(db, out, binds, m, w, limit)) return -1;
  sq_buf_addc(out, ';');
  return out->oom ? sq_err_oom(db) : 0;
}

int sq_sql_increment(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m,
                     const sq_value *by, sq_expr *const *by_exprs, int subtract,
                     const unsigned char *present,
                     const sq_value *extra, const unsigned char *extra_present, const sq_where *w) {
  int i, n = 0;
  sq_buf_adds(out, "UPDATE ");
  q(db, out, sq_table(m));
  sq_buf_adds(out, " SET ");
  for (i = 0; i < m->nattrs; i++) {
    const char *f = m->attrs[i]->field;
    if (present[i]) {
      if (n++) sq_buf_addc(out, ',');
      q(db, out, f);
      sq_buf_addc(out, '=');
      q(db, out, f);
      if (by_exprs && by_exprs[i]) {
        /* (Sequelize writes `a`=`a`- 1+1, which subtracts 1 and adds 1) */
        sq_buf_adds(out, subtract ? "- (" : "+ (");
        if (sq_sql_expr(db, out, binds, by_exprs[i])) return -1;
        sq_buf_addc(out, ')');
        continue;
      }
      sq_buf_adds(out, "+ ");
      if (push(db, out, binds, &by[i])) return -1;
    } else if (extra_present && extra_present[i]) {
      if (n++) sq_buf_addc(out, ',');
      q(db, out, f);
      sq_buf_addc(out, '=');
      if (push(db, out, binds, &extra[i])) return -1;
    }
  }
  if (sq_sql_where(db, out, binds, w)) return -1;
  sq_buf_addc(out, ';');
  return out->oom ? sq_err_oom(db) : 0;
}

int sq_sql_delete(sq_db *db, sq_buf *out, sq_binds *binds, const sq_model *m, const sq_where *w,
                  long long limit) {
  sq_buf_adds(out, "DELETE FROM ");
  q(db, out, sq_table(m));
  if (where_limited(db, out, binds, m, w, limit)) return -1;
  sq_buf_addc(out, ';');
  return out->oom ? sq_err_oom(db) : 0;
}
