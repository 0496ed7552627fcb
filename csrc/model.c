/* model.c: models and attributes. A model is its name, table name, singular and
 * plural names, and its attributes in column order (primary keys, the others sorted
 * by name, createdAt, updatedAt, deletedAt (paranoid), then keys added by associations in the order they
 * were made: Lua tables have no order, so this rule replaces JavaScript's). A model
 * also keeps the text of its last UPDATE-by-key statement and of its findByPk SELECT
 * (sq_kept). */
#include "sq.h"
#include "inflect.h"

#include <stdlib.h>
#include <string.h>

char *sq_strdup(const char *s) {
  size_t n;
  char *p;
  if (!s) return NULL;
  n = strlen(s);
  p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

sq_attr *sq_attr_new(const char *name) {
  sq_attr *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->name = sq_strdup(name);
  if (!a->name) { free(a); return NULL; }
  a->allow_null = 1;
  a->type.length = a->type.precision = a->type.scale = -1;
  a->index = -1;
  return a;
}

/* Free a type's ENUM values (the type itself is not freed: it sits in an attribute) */
void sq_type_free(sq_type *t) {
  int i;
  for (i = 0; i < t->nvalues; i++) free(t->values[i]);
  free(t->values);
  free(t->value_lens);
  t->values = NULL;
  t->value_lens = NULL;
  t->nvalues = 0;
}

static const char *const kind_keys[SQ_T_NTYPES] = {
  "STRING", "CHAR", "TEXT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL", "BOOLEAN",
  "DATE", "DATEONLY", "UUID", "JSON", "BLOB", "ENUM"};

/* (a variant's name and the kind it is; index 0, SQ_TV_NONE, unused) */
static const struct { const char *key; sq_type_kind kind; } variants[SQ_TV_N] = {
  {NULL, SQ_T_TEXT},          {"TINYINT", SQ_T_INTEGER}, {"SMALLINT", SQ_T_INTEGER},
  {"MEDIUMINT", SQ_T_INTEGER}, {"CITEXT", SQ_T_TEXT},     {"TIME", SQ_T_TEXT},
  {"JSONB", SQ_T_JSON}};

int sq_type_from_key(const char *key, sq_type *t) {
  int k;
  if (!key) return -1;
  for (k = 0; k < SQ_T_NTYPES; k++)
    if (!strcmp(kind_keys[k], key)) {
      t->kind = (sq_type_kind)k;
      t->variant = SQ_TV_NONE;
      return 0;
    }
  for (k = 1; k < SQ_TV_N; k++)
    if (!strcmp(variants[k].key, key)) {
      t->kind = variants[k].kind;
      t->variant = (unsigned char)k;
      return 0;
    }
  return -1;
}

const char *sq_type_key(const sq_type *t) {
  if (t->variant > SQ_TV_NONE && t->variant < SQ_TV_N) return variants[t->variant].key;
  return (unsigned)t->kind < SQ_T_NTYPES ? kind_keys[t->kind] : "TEXT";
}

void sq_attr_free(sq_attr *a) {
  int i;
  if (!a) return;
  free(a->name);
  free(a->field);
  sq_type_free(&a->type);
  free(a->unique_name);
  free(a->def_s);
  free(a->ref_table);
  free(a->ref_key);
  free(a->on_delete);
  free(a->on_update);
  free(a->decl_type);
  free(a->copy_from);
  for (i = 0; i < a->nvalidators; i++) sq_validator_free(&a->validators[i]);
  free(a->validators);
  free(a);
}

void sq_validator_free(sq_validator *v) {
  int j;
  free(v->msg);
  free(v->name);
  for (j = 0; j < v->nlist; j++) free(v->list[j]);
  free(v->list);
  free(v->lens);
  free(v->opts);
}

sq_model *sq_model_new(sq_db *db, const char *name) {
  sq_model *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->db = db;
  m->name = sq_strdup(name);
  if (!m->name) { free(m); return NULL; }
  m->pk = m->created_at = m->updated_at = m->deleted_at = m->version = -1;
  m->timestamps = 1;
  m->id = -1;
  return m;
}

int sq_kept_set(sq_kept *u, int nattrs, const unsigned char *set, const char *sql, size_t len) {
  unsigned char *s2 = malloc(nattrs > 0 ? (size_t)nattrs : 1);
  char *q2 = malloc(len + 1);
  if (!s2 || !q2) {
    free(s2);
    free(q2);
    return -1;
  }
  if (nattrs > 0) {
    if (set) memcpy(s2, set, (size_t)nattrs);
    else memset(s2, 0, (size_t)nattrs);
  }
  memcpy(q2, sql, len);
  q2[len] = '\0';
  free(u->set);
  free(u->sql);
  u->set = s2;
  u->nattrs = nattrs;
  u->sql = q2;
  u->len = len;
  u->st = NULL;
  return 0;
}

void sq_kept_free(sq_kept *u) {
  free(u->set);
  free(u->sql);
  u->set = NULL;
  u->sql = NULL;
  u->st = NULL;
}

void sq_model_free(sq_model *m) {
  int i;
  if (!m) return;
  sq_kept_free(&m->upd);
  sq_kept_free(&m->pkq);
  for (i = 0; i < m->nassocs; i++) sq_assoc_free(m->assocs[i]);
  free(m->assocs);
  for (i = 0; i < m->nattrs; i++) sq_attr_free(m->attrs[i]);
  free(m->attrs);
  free(m->name);
  free(m->table);
  free(m->singular);
  free(m->plural);
  free(m->drop_indexes);
  free(m->unique_keys);
  free(m->unique_key_names);
  free(m->create_sql);
  free(m);
}

void sq_model_changed(sq_model *m) {
  m->layout++;
  sq_kept_free(&m->upd);
  sq_kept_free(&m->pkq);
}

int sq_model_add_attr(sq_model *m, sq_attr *a) {
  if (m->nattrs == m->cattrs) {
    int c = m->cattrs ? m->cattrs * 2 : 8;
    sq_attr **p = realloc(m->attrs, (size_t)c * sizeof *p);
    if (!p) return -1;
    m->attrs = p;
    m->cattrs = c;
  }
  a->index = m->nattrs;
  m->attrs[m->nattrs++] = a;
  sq_model_changed(m);
  if (a->pk) {
    if (m->pk < 0) m->pk = a->index;
    m->npk++;
  }
  return 0;
}

char *sq_model_field_for(const sq_model *m, const char *name) {
  return m->underscored ? sq_underscore(name) : sq_strdup(name);
}

int sq_model_set_names(sq_model *m, const char *table, int freeze, const char *singular,
                       const char *plural) {
  m->freeze = (unsigned char)freeze;
  m->plural = plural ? sq_strdup(plural) : sq_pluralize(m->name);
  m->singular = singular ? sq_strdup(singular) : sq_singularize(m->name);
  if (!m->plural || !m->singular) return -1;
  if (table) {
    m->table = sq_strdup(table);
  } else if (freeze) {
    m->table = sq_strdup(m->name);
  } else {
    /* Sequelize pluralizes the model name (name.plural only names accessors) */
    char *p = sq_pluralize(m->name);
    if (!p) return -1;
    if (m->underscored) {
      m->table = sq_underscore(p);
      free(p);
    } else {
      m->table = p;
    }
  }
  return m->table ? 0 : -1;
}

static int add_ts(sq_model *m, const char *name, int which) {
  sq_attr *a = sq_model_attr(m, name, strlen(name));
  if (a) { /* defined by the caller: that column is the time stamp (Sequelize keeps one) */
    a->timestamp = (unsigned char)which;
    return 0;
  }
  a = sq_attr_new(name);
  if (!a) return -1;
  a->field = sq_model_field_for(m, name);
  if (!a->field) { sq_attr_free(a); return -1; }
  a->type.kind = SQ_T_DATE;
  a->allow_null = 0;
  a->timestamp = (unsigned char)which;
  if (sq_model_add_attr(m, a)) { sq_attr_free(a); return -1; }
  return 0;
}

int sq_model_add_timestamps(sq_model *m, const char *created, const char *updated) {
  if (created && add_ts(m, created, 1)) return -1;
  if (updated && add_ts(m, updated, 2)) return -1;
  m->timestamps = created || updated;
  return 0;
}

/* Is s one of SQL's referential actions (ON DELETE / ON UPDATE), as the DDL writes them? */
int sq_fk_action_valid(const char *s) {
  static const char *const ok[] = { "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION" };
  size_t i;
  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (!strcmp(s, ok[i])) return 1;
  return 0;
}

int sq_model_add_deleted_at(sq_model *m, const char *name) {
  int given = sq_model_attr(m, name, strlen(name)) != NULL;
  if (add_ts(m, name, 3)) return -1;
  if (!given) m->attrs[m->nattrs - 1]->allow_null = 1; /* the new one add_ts appended */
  return 0;
}

int sq_model_add_version(sq_model *m, const char *name) {
  sq_attr *a = sq_model_attr(m, name, strlen(name));
  if (a) { /* defined by the caller: that column counts (Sequelize keeps its definition) */
    a->version = 1;
    return 0;
  }
  a = sq_attr_new(name);
  if (!a) return -1;
  a->field = sq_model_field_for(m, name);
  if (!a->field) { sq_attr_free(a); return -1; }
  a->type.kind = SQ_T_INTEGER;
  a->allow_null = 0;
  a->version = 2;
  a->def_kind = SQ_DEF_VALUE;
  a->def_vkind = SQ_V_INT;
  a->def_i = 0;
  if (sq_model_add_attr(m, a)) { sq_attr_free(a); return -1; }
  return 0;
}

static int group_of(const sq_attr *a) {
  if (a->pk) return 0;
  if (a->timestamp) return 1 + a->timestamp;
  if (a->version == 2) return 5; /* the one added: after the time stamps, as Sequelize adds it */
  return 1;
}

static int cmp_attr(const void *x, const void *y) {
  const sq_attr *a = *(sq_attr *const *)x, *b = *(sq_attr *const *)y;
  int ga = group_of(a), gb = group_of(b);
  if (ga != gb) return ga - gb;
  return strcmp(a->name, b->name);
}

int sq_model_remove_attr(sq_model *m, int index) {
  int i;
  sq_attr *a;
  if (index < 0 || index >= m->nattrs) return -1;
  a = m->attrs[index];
  for (i = index; i < m->nattrs - 1; i++) {
    m->attrs[i] = m->attrs[i + 1];
    m->attrs[i]->index = i;
  }
  m->nattrs--;
  if (a->pk) m->npk--;
  sq_attr_free(a);
  sq_model_changed(m);
  m->pk = m->created_at = m->updated_at = m->deleted_at = m->version = -1;
  for (i = 0; i < m->nattrs; i++) {
    if (m->attrs[i]->pk && m->pk < 0) m->pk = i;
    if (m->attrs[i]->timestamp == 1) m->created_at = i;
    if (m->attrs[i]->timestamp == 2) m->updated_at = i;
    if (m->attrs[i]->timestamp == 3) m->deleted_at = i;
    if (m->attrs[i]->version) m->version = i;
  }
  return 0;
}

int sq_model_finish(sq_model *m) {
  int i;
  if (m->npk == 0 && !m->no_auto_pk) {
    sq_attr *id = sq_model_attr(m, "id", 2);
    if (id) return 0; /* caller reported it: an `id` without primaryKey is a plain column */
    id = sq_attr_new("id");
    if (!id) return -1;
    id->field = strdup("id");
    if (!id->field) { sq_attr_free(id); return -1; }
    id->type.kind = SQ_T_INTEGER;
    id->pk = id->autoinc = id->auto_id = 1;
    id->allow_null = 0;
    if (sq_model_add_attr(m, id)) { sq_attr_free(id); return -1; }
  }
  if (m->nattrs > 1) qsort(m->attrs, (size_t)m->nattrs, sizeof *m->attrs, cmp_attr);
  sq_model_changed(m);
  m->pk = m->created_at = m->updated_at = m->deleted_at = m->version = -1;
  for (i = 0; i < m->nattrs; i++) {
    sq_attr *a = m->attrs[i];
    a->index = i;
    if (a->pk && m->pk < 0) m->pk = i;
    if (a->timestamp == 1) m->created_at = i;
    if (a->timestamp == 2) m->updated_at = i;
    if (a->timestamp == 3) m->deleted_at = i;
    if (a->version) m->version = i;
  }
  return 0;
}

sq_attr *sq_model_attr(const sq_model *m, const char *name, size_t len) {
  int i;
  for (i = 0; i < m->nattrs; i++) {
    const char *n = m->attrs[i]->name;
    if (strlen(n) == len && memcmp(n, name, len) == 0) return m->attrs[i];
  }
  return NULL;
}

sq_attr *sq_model_attr_by_field(const sq_model *m, const char *field, size_t len) {
  int i;
  for (i = 0; i < m->nattrs; i++) {
    const char *n = m->attrs[i]->field;
    if (strlen(n) == len && memcmp(n, field, len) == 0) return m->attrs[i];
  }
  return NULL;
}

/* Several attributes may name one column (a foreignKey named after the column of an attribute
 * the model declares: Sequelize maps both to it). The table has that column once, where the
 * first of them stands, defined as the last one (the association's key) defines it: Sequelize's
 * attributesToSQL keys the columns by field, a later attribute replacing an earlier one's
 * definition. NULL: attribute i is not the first with its column. */
const sq_attr *sq_model_column_def(const sq_model *m, int i) {
  const sq_attr *def = m->attrs[i];
  int j;
  for (j = 0; j < i; j++)
    if (!strcmp(m->attrs[j]->field, def->field)) return NULL;
  for (j = i + 1; j < m->nattrs; j++)
    if (!strcmp(m->attrs[j]->field, def->field)) def = m->attrs[j];
  return def;
}

/* Is attribute i the one whose definition the table's column takes (see above)? */
int sq_model_defines_column(const sq_model *m, int i) {
  int j;
  for (j = i + 1; j < m->nattrs; j++)
    if (!strcmp(m->attrs[j]->field, m->attrs[i]->field)) return 0;
  return 1;
}

sq_model *sq_db_model(const sq_db *db, const char *name) {
  int i;
  for (i = 0; i < db->nmodels; i++) /* (one model of a name is current: a later define retires the older) */
    if (db->models[i] && !db->models[i]->retired && !strcmp(db->models[i]->name, name)) return db->models[i];
  return NULL;
}

int sq_db_add_model(sq_db *db, sq_model *m) {
  int i, slot = -1;
  for (i = 0; i < db->nmodels && slot < 0; i++) /* (a slot a swept model left) */
    if (!db->models[i]) slot = i;
  if (slot < 0 && db->nmodels == db->cmodels) {
    int c = db->cmodels ? db->cmodels * 2 : 8;
    sq_model **p = realloc(db->models, (size_t)c * sizeof *p);
    if (!p) return -1;
    db->models = p;
    db->cmodels = c;
  }
  m->replaced = sq_db_model(db, m->name);
  if (m->replaced) {
    m->replaced->retired = 1;
    db->nretired++;
  }
  if (slot < 0) slot = db->nmodels++;
  m->id = slot;
  db->models[slot] = m;
  return 0;
}

void sq_db_forget(sq_db *db, sq_model *m) {
  if (m->retired) return;
  m->retired = 1;
  db->nretired++;
  if (m->replaced && m->replaced->retired) { /* (still there: sweeps run at the start of a define) */
    m->replaced->retired = 0;
    db->nretired--;
  }
  m->replaced = NULL;
}

int sq_db_sweep(sq_db *db, int (*alive)(void *ud, const sq_model *m), void *ud) {
  unsigned char *keep;
  int i, k, grew = 1, freed = 0;
  if (!db->nretired) return 0;
  keep = calloc((size_t)db->nmodels, 1);
  if (!keep) return 0; /* (out of memory: they wait for the next sweep) */
  for (i = 0; i < db->nmodels; i++) {
    const sq_model *m = db->models[i];
    if (m && (!m->retired || alive(ud, m))) keep[i] = 1;
  }
  while (grew) { /* what a kept model's associations lead to is kept */
    grew = 0;
    for (i = 0; i < db->nmodels; i++) {
      const sq_model *m = db->models[i];
      if (!keep[i]) continue;
      for (k = 0; k < m->nassocs; k++) {
        const sq_model *to[2];
        int j;
        to[0] = m->assocs[k]->target;
        to[1] = m->assocs[k]->through;
        for (j = 0; j < 2; j++)
          if (to[j] && !keep[to[j]->id]) keep[to[j]->id] = grew = 1;
      }
    }
  }
  for (i = 0; i < db->nmodels; i++) /* (no define is under way: what they replaced is settled) */
    if (db->models[i]) db->models[i]->replaced = NULL;
  for (i = 0; i < db->nmodels; i++) {
    if (!db->models[i] || keep[i]) continue;
    sq_model_free(db->models[i]);
    db->models[i] = NULL;
    db->nretired--;
    freed++;
  }
  free(keep);
  return freed;
}
