/* sync.c: creating and dropping tables in foreign-key dependency order. A model
 * depends on the models whose tables its REFERENCES clauses name; tables are created
 * dependencies first and dropped in reverse. A cycle of constraints is an error that
 * names the chain, in the form of the seed page:
 *   Cyclic dependency found. 'Document' is dependent of itself.
 *   Dependency Chain: Document -> Version => Document  (on one line) */
#include "sq.h"
#include "dialect.h"

#include <stdlib.h>
#include <string.h>

static int depends_on(const sq_model *m, const sq_model *t) {
  int i;
  if (m == t) return 0;
  for (i = 0; i < m->nattrs; i++) {
    const char *rt = m->attrs[i]->ref_table;
    if (rt && !strcmp(rt, t->table)) return 1;
  }
  return 0;
}

typedef struct topo {
  sq_db *db;
  sq_model **in;
  int n;
  unsigned char *state;   /* 0 new, 1 on the path, 2 done */
  int *path;
  int depth;
  sq_model **out;
  int nout;
} topo;

static int visit(topo *t, int i) {
  int j;
  if (t->state[i] == 2) return 0;
  if (t->state[i] == 1) {
    /* the cycle runs from i's place on the path back to i */
    sq_buf b;
    int k, start = 0;
    for (k = 0; k < t->depth; k++)
      if (t->path[k] == i) { start = k; break; }
    sq_buf_init(&b);
    for (k = start; k < t->depth; k++) {
      if (k > start) sq_buf_adds(&b, " -> ");
      sq_buf_adds(&b, t->in[t->path[k]]->name);
    }
    sq_buf_adds(&b, " => ");
    sq_buf_adds(&b, t->in[i]->name);
    sq_err_set(t->db, SQ_E_USAGE, "Cyclic dependency found. '%s' is dependent of itself. Dependency Chain: %s",
               t->in[i]->name, b.oom ? "?" : sq_buf_cstr(&b));
    sq_buf_free(&b);
    return -1;
  }
  t->state[i] = 1;
  t->path[t->depth++] = i;
  for (j = 0; j < t->n; j++)
    if (depends_on(t->in[i], t->in[j]) && visit(t, j)) return -1;
  t->depth--;
  t->state[i] = 2;
  t->out[t->nout++] = t->in[i];
  return 0;
}

int sq_sync_order(sq_db *db, sq_model **models, int n, sq_model **out) {
  topo t;
  int i, rc = 0;
  t.db = db;
  t.in = models;
  t.n = n;
  t.state = calloc((size_t)n + 1, 1);
  t.path = calloc((size_t)n + 1, sizeof(int));
  t.depth = 0;
  t.out = out;
  t.nout = 0;
  if (!t.state || !t.path) {
    free(t.state);
    free(t.path);
    return sq_err_oom(db);
  }
  for (i = 0; i < n && rc == 0; i++) rc = visit(&t, i);
  free(t.state);
  free(t.path);
  return rc;
}

static int run_ddl(sq_db *db, void (*gen)(sq_buf *, const sq_model *), const sq_model *m) {
  sq_buf b;
  sq_buf_init(&b);
  gen(&b, m);
  return sq_db_exec_buf(db, &b);
}

/* Drops (children first) and then creates (parents first) the tables of models[0..n),
 * each pass only if asked for; create 2: alter, the dialect making each existing table
 * match its model. */
static int ddl_passes(sq_db *db, sq_model **models, int n, int drop, int create) {
  sq_model **order;
  int i, rc = 0;
  if (n <= 0) return 0;
  order = calloc((size_t)n, sizeof *order);
  if (!order) return sq_err_oom(db);
  if (sq_sync_order(db, models, n, order)) rc = -1;
  for (i = n - 1; drop && rc == 0 && i >= 0; i--) rc = run_ddl(db, db->dialect->drop_table, order[i]);
  for (i = 0; create && rc == 0 && i < n; i++)
    rc = create == 2 ? db->dialect->alter_table(db, order[i], SQ_SYNC_ALTER) : run_ddl(db, db->dialect->create_table, order[i]);
  free(order);
  return rc ? -1 : 0;
}

int sq_sync(sq_db *db, sq_model **models, int n, int force, int alter) {
  return ddl_passes(db, models, n, force, alter && !force ? 2 : 1);
}

/* Drop: children first; when the references form a cycle (no such order), every table in
 * reverse definition order with SQLite's foreign keys off for the while, as Sequelize's drop
 * does (outside a transaction: inside one the pragma does nothing, and SQLite raises). */
int sq_drop(sq_db *db, sq_model **models, int n) {
  sq_model **order;
  int i, rc = 0, cycle;
  if (n <= 0) return 0;
  order = calloc((size_t)n, sizeof *order);
  if (!order) return sq_err_oom(db);
  cycle = sq_sync_order(db, models, n, order) != 0;
  free(order);
  if (!cycle) return ddl_passes(db, models, n, 1, 0);
  if (db->err.kind == SQ_E_OOM) return -1;
  sq_err_clear(&db->err);
  if (sq_db_exec(db, "PRAGMA foreign_keys = OFF")) return -1;
  for (i = n - 1; rc == 0 && i >= 0; i--) rc = run_ddl(db, db->dialect->drop_table, models[i]);
  /* (back on, unless the handle was opened with them off: foreignKeys = false) */
  if (!db->no_foreign_keys && sq_db_exec(db, "PRAGMA foreign_keys = ON") && rc == 0) rc = -1;
  return rc ? -1 : 0;
}
