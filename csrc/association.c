/* association.c: the four association kinds. Creating one names the foreign key as
 * Sequelize does, adds the key attribute to the model that holds it (or merges the
 * reference into an attribute already defined), sets the referential actions, and
 * for belongsToMany makes or adapts the through model (both keys as its composite
 * primary key). Accessor names and include keys come from `as`/singular/plural. */
#include "sq.h"
#include "validate.h"
#include "inflect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void sq_assoc_free(sq_assoc *a) {
  if (!a) return;
  free(a->as);
  free(a->singular);
  free(a->plural);
  free(a);
}

sq_assoc *sq_model_assoc(const sq_model *m, const char *as) {
  int i;
  for (i = 0; i < m->nassocs; i++)
    if (!strcmp(m->assocs[i]->as, as)) return m->assocs[i];
  return NULL;
}

/* camelize("<prefix>_<key>") as Sequelize's Utils.camelize */
static char *key_name(const char *prefix, const char *key) {
  size_t a = strlen(prefix), b = strlen(key);
  char *joined = malloc(a + b + 2), *out;
  if (!joined) return NULL;
  memcpy(joined, prefix, a);
  joined[a] = '_';
  memcpy(joined + a + 1, key, b + 1);
  out = sq_camelize(joined);
  free(joined);
  return out;
}

static int copy_type(sq_type *dst, const sq_type *src) {
  int i;
  *dst = *src;
  dst->values = NULL;
  dst->value_lens = NULL;
  dst->nvalues = 0;
  if (src->nvalues) {
    dst->values = calloc((size_t)src->nvalues, sizeof *dst->values);
    if (!dst->values) return -1;
    dst->value_lens = malloc((size_t)src->nvalues * sizeof *dst->value_lens);
    if (!dst->value_lens) return -1;
    for (i = 0; i < src->nvalues; i++) {
      size_t n = src->value_lens[i];
      dst->values[i] = malloc(n + 1);
      if (!dst->values[i]) return -1;
      memcpy(dst->values[i], src->values[i], n + 1);
      dst->value_lens[i] = n;
      dst->nvalues = i + 1; /* (freed with the attribute if a later copy fails) */
    }
  }
  return 0;
}

/* The key attribute `name` on model m, referring to ref (an attribute of refm).
 * An attribute of that name already defined keeps its definition; the reference and
 * actions are added where it has none. constraints: 0 no reference, 1 the reference with
 * the default actions where none is given, 2 the reference with the given actions only
 * (Sequelize's addForeignKeyConstraints under constraints = false with an explicit onDelete,
 * onUpdate or foreignKeyConstraint). */
static sq_attr *ensure_key(sq_db *db, sq_model *m, const char *name, const sq_model *refm, const sq_attr *ref,
                           int allow_null, int pk, const char *on_delete, const char *on_update, int constraints,
                           const char *not_null_action) {
  sq_attr *a = sq_model_attr(m, name, strlen(name));
  int is_new = a == NULL, nullable;
  /* the default ON DELETE follows the key's allowNull as Sequelize reads it before merging:
   * a declared key without allowNull counts as not nullable (undefined), so a declared
   * `userId` gets CASCADE (to-many, hasOne) or NO ACTION (belongsTo) */
  nullable = is_new ? (allow_null < 0 ? 1 : allow_null) : (a->by_assoc || a->allow_null_given) ? a->allow_null : 0;
  if (is_new) {
    a = sq_attr_new(name);
    if (!a) return NULL;
    a->field = sq_model_field_for(m, name);
    if (!a->field || copy_type(&a->type, &ref->type)) {
      sq_attr_free(a);
      return NULL;
    }
    a->type.is_unsigned = ref->type.is_unsigned;
    a->allow_null = (unsigned char)(allow_null < 0 ? 1 : allow_null);
    a->by_assoc = 1;
    a->pk = a->pk_by_assoc = (unsigned char)pk;
    if (pk) a->allow_null = 0;
  } else {
    if (allow_null >= 0 && !a->allow_null_given && !a->by_assoc) /* (a given one wins; so does the first association's) */
      a->allow_null = (unsigned char)allow_null;
    if (pk && !a->pk) { /* a key the through model declares: part of the composite key (Sequelize) */
      a->pk = a->pk_by_assoc = 1;
      a->allow_null = 0;
      if (m->pk < 0 || a->index < m->pk) m->pk = a->index;
      m->npk++;
      sq_model_changed(m); /* (a kept statement's WHERE names the old key) */
    }
  }
  a->is_fk = 1;
  if (constraints) {
    if (!a->ref_table) {
      a->ref_table = sq_strdup(refm->table);
      a->ref_key = sq_strdup(ref->field);
      if (!a->ref_table || !a->ref_key) goto oom;
    }
    if (!a->on_delete && (constraints == 1 || on_delete)) {
      a->on_delete = sq_strdup(on_delete ? on_delete : (nullable && !pk ? "SET NULL" : not_null_action));
      if (!a->on_delete) goto oom;
    }
    if (!a->on_update && (constraints == 1 || on_update)) {
      a->on_update = sq_strdup(on_update ? on_update : "CASCADE");
      if (!a->on_update) goto oom;
    }
  }
  if (is_new && sq_model_add_attr(m, a)) goto oom;
  return a;
oom:
  if (is_new) sq_attr_free(a);
  sq_err_oom(db);
  return NULL;
}

/* keyType: a key the association added takes that type (Sequelize's `type: options.keyType ||
 * the referenced key's type`); one the model declares keeps its own */
static int key_type(sq_db *db, sq_attr *a, const sq_type *kt) {
  sq_type ty;
  if (!kt || !a->by_assoc) return 0;
  if (copy_type(&ty, kt)) {
    sq_type_free(&ty);
    return sq_err_oom(db);
  }
  sq_type_free(&a->type);
  a->type = ty;
  return 0;
}

/* foreignKey = { field, unique } on the key: `unique` (true, or the name of a composite
 * unique group it joins: uname) as Sequelize's mergeDefaults gives it, to a key the
 * association added and to one the model declares without a unique of its own; `field`
 * only to a key the association added now (`added`: a declared key's column stands). */
static int key_field(sq_db *db, sq_attr *a, const char *field, int unique, const char *uname, int added) {
  char *f;
  if (a && !a->unique && !a->unique_name) {
    if (uname) {
      if (!(f = sq_strdup(uname))) {
        sq_err_oom(db);
        return -1;
      }
      a->unique_name = f;
      a->unique = 1;
    } else if (unique) {
      a->unique = 1;
    }
  }
  if (!a || !added || !field || !a->by_assoc || (a->field && !strcmp(a->field, field))) return 0;
  f = sq_strdup(field);
  if (!f) {
    sq_err_oom(db);
    return -1;
  }
  free(a->field);
  a->field = f;
  return 0;
}

/* Append a copy of validator v to a's (0, or -1 out of memory: a unchanged) */
static int add_validator(sq_attr *a, const sq_validator *v) {
  sq_validator *p = realloc(a->validators, (size_t)(a->nvalidators + 1) * sizeof *p), *c;
  int j;
  if (!p) return -1;
  a->validators = p;
  c = &p[a->nvalidators];
  *c = *v;
  c->msg = c->name = NULL; /* (the copy owns copies of its strings: v's go with its definition) */
  c->list = NULL;
  c->lens = NULL;
  c->nlist = 0;
  c->opts = NULL;
  if (v->opts) {
    if (!(c->opts = malloc(v->opts->size))) goto oom;
    memcpy(c->opts, v->opts, v->opts->size);
  }
  if ((v->msg && !(c->msg = sq_strdup(v->msg))) || (v->name && !(c->name = sq_strdup(v->name)))) goto oom;
  if (v->nlist) {
    c->list = calloc((size_t)v->nlist, sizeof *c->list);
    c->lens = malloc((size_t)v->nlist * sizeof *c->lens);
    if (!c->list || !c->lens) goto oom;
    c->nlist = v->nlist;
    for (j = 0; j < v->nlist; j++) {
      if (!(c->list[j] = malloc(v->lens[j] + 1))) goto oom;
      memcpy(c->list[j], v->list[j], v->lens[j] + 1);
      c->lens[j] = v->lens[j];
    }
  }
  a->nvalidators++;
  return 0;
oom:
  sq_validator_free(c);
  return -1;
}

static void free_validators(sq_attr *a) {
  int i;
  for (i = 0; i < a->nvalidators; i++) sq_validator_free(&a->validators[i]);
  free(a->validators);
  a->validators = NULL;
  a->nvalidators = 0;
}

static int has_validator(const sq_attr *a, sq_vkey k) {
  int i;
  for (i = 0; i < a->nvalidators; i++)
    if (a->validators[i].key == k) return 1;
  return 0;
}

static int set_str(char **dst, const char *src) {
  char *s = NULL;
  if (src && !(s = sq_strdup(src))) return -1;
  free(*dst);
  *dst = s;
  return 0;
}

/* foreignKey / otherKey given as an attribute definition d (flags: SQ_KEYDEF_*): its type,
 * defaultValue and validators on the key a of model m, as Sequelize merges them.
 * existed: a was an attribute of m before this association (declared, or an earlier
 * association's key). replace: n:m, whose Object.assign over the through model's attribute
 * makes the definition's options win; else (1:1, 1:m: mergeDefaults) an attribute that existed
 * keeps what it has and takes what it lacks (validators by name), and a key added now takes
 * them all. own_refs: the association writes no reference of its own (constraints = false
 * without actions), so the definition's references, onDelete and onUpdate stand (Sequelize
 * overwrites them otherwise). */
static int apply_def(sq_db *db, sq_model *m, sq_attr *a, const sq_attr *d, int flags, int existed, int replace,
                     int own_refs) {
  int keep = existed && !replace, i;
  if (!d || !a) return 0;
  if ((flags & SQ_KEYDEF_TYPE) && !keep) {
    sq_type ty;
    if (copy_type(&ty, &d->type)) {
      sq_type_free(&ty);
      return sq_err_oom(db);
    }
    sq_type_free(&a->type);
    a->type = ty;
  }
  if (d->def_kind != SQ_DEF_NONE && (!keep || a->def_kind == SQ_DEF_NONE)) {
    char *s = NULL;
    if (d->def_s) {
      if (!(s = malloc(d->def_n + 1))) return sq_err_oom(db);
      memcpy(s, d->def_s, d->def_n + 1);
    }
    free(a->def_s);
    a->def_s = s;
    a->def_n = d->def_n;
    a->def_kind = d->def_kind;
    a->def_vkind = d->def_vkind;
    a->def_bool = d->def_bool;
    a->def_i = d->def_i;
    a->def_d = d->def_d;
  }
  if ((flags & SQ_KEYDEF_VALIDATE) && replace) free_validators(a); /* (Object.assign: its validate goes) */
  for (i = 0; i < d->nvalidators; i++)
    if (!has_validator(a, d->validators[i].key) && add_validator(a, &d->validators[i])) return sq_err_oom(db);
  if (own_refs && d->ref_table && (!keep || !a->ref_table)) {
    if (set_str(&a->ref_table, d->ref_table) || set_str(&a->ref_key, d->ref_key) ||
        set_str(&a->on_delete, d->on_delete) || set_str(&a->on_update, d->on_update))
      return sq_err_oom(db);
  }
  if (existed) sq_model_changed(m); /* (its kept statements were made for the attribute as it was) */
  return 0;
}

/* The first association other than `except` that has the attribute as one of its keys, or NULL */
static const sq_assoc *attr_user(const sq_db *db, const sq_attr *at, const sq_assoc *except) {
  int i, k;
  for (i = 0; i < db->nmodels; i++) {
    const sq_model *o = db->models[i];
    if (!o) continue;
    for (k = 0; k < o->nassocs; k++) {
      const sq_assoc *x = o->assocs[k];
      if (x != except && (x->fk == at || x->other == at || x->skey == at || x->tkey == at)) return x;
    }
  }
  return NULL;
}

/* Is the attribute a key of some association other than `except`? */
static int attr_in_use(const sq_db *db, const sq_attr *at, const sq_assoc *except) {
  return attr_user(db, at, except) != NULL;
}

static sq_attr *key_attr(sq_db *db, const sq_model *m, const char *name, const char *what) {
  sq_attr *a;
  if (!name) {
    if (m->pk < 0) {
      sq_err_set(db, SQ_E_USAGE, "%s has no primary key to use as the %s", m->name, what);
      return NULL;
    }
    return m->attrs[m->pk];
  }
  a = sq_model_attr(m, name, strlen(name));
  if (!a) /* Sequelize's text (its hasOne and belongsTo; its hasMany and belongsToMany fail with a TypeError) */
    sq_err_set(db, SQ_E_USAGE, "Unknown attribute \"%s\" passed as %s, define this attribute on model \"%s\" first",
               name, what, m->name);
  return a;
}

static sq_model *make_through(sq_db *db, const sq_assoc_opts *o, int underscored) {
  const char *name = o->through_name;
  const char *created = o->stamps_given ? o->created_at : "createdAt";
  const char *updated = o->stamps_given ? o->updated_at : "updatedAt";
  sq_model *t = sq_db_model(db, name);
  if (t) return t;
  t = sq_model_new(db, name);
  if (!t) return NULL;
  t->no_auto_pk = 1;
  t->underscored = (unsigned char)underscored; /* Sequelize: the through model takes the source's */
  if (sq_model_add_timestamps(t, created, updated) ||
      (o->stamps_given && o->deleted_at && sq_model_add_deleted_at(t, o->deleted_at)) ||
      (o->stamps_given && o->version && sq_model_add_version(t, o->version)) ||
      sq_model_set_names(t, name, 1, NULL, NULL)) {
    sq_model_free(t);
    return NULL;
  }
  if (o->through_schema) { /* the source's schema: the table `schema.name` (define's, bind_model.c) */
    const char *delim = o->through_delim ? o->through_delim : ".";
    size_t n = strlen(o->through_schema) + strlen(delim) + strlen(t->table) + 1;
    char *full = malloc(n);
    if (!full) {
      sq_model_free(t);
      return NULL;
    }
    snprintf(full, n, "%s%s%s", o->through_schema, delim, t->table);
    free(t->table);
    t->table = full;
  }
  if (sq_model_finish(t) || sq_db_add_model(db, t)) {
    sq_model_free(t);
    return NULL;
  }
  return t;
}

sq_assoc *sq_associate(sq_db *db, sq_akind kind, sq_model *source, sq_model *target,
                       const sq_assoc_opts *o, sq_model **made_through) {
  sq_assoc *a;
  char *fkname = NULL, *tmp = NULL;
  int i, had, cons;
  if (made_through) *made_through = NULL;
  /* (the actions are written into the DDL: only SQL's own) */
  if ((o->on_delete && !sq_fk_action_valid(o->on_delete)) || (o->on_update && !sq_fk_action_valid(o->on_update))) {
    sq_err_set(db, SQ_E_USAGE, "%s: %s must be one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION",
               source->name, o->on_delete && !sq_fk_action_valid(o->on_delete) ? "onDelete" : "onUpdate");
    return NULL;
  }
  a = calloc(1, sizeof *a);
  if (!a) { sq_err_oom(db); return NULL; }
  a->kind = kind;
  a->source = source;
  a->target = target;
  a->many = kind == SQ_HAS_MANY || kind == SQ_BELONGS_TO_MANY;
  a->constraints = (unsigned char)(o->constraints != 0);
  /* hasOne / hasMany / belongsTo: constraints = false skips only the defaults; an explicit
   * onDelete, onUpdate or foreignKeyConstraint still writes the reference (Sequelize) */
  cons = a->constraints ? 1 : (o->on_delete || o->on_update || o->fk_constraint) ? 2 : 0;
  a->aliased = o->as_singular || o->as_plural;
  /* names: one-associations use the singular, many-associations the plural */
  if (a->many) {
    a->plural = sq_strdup(o->as_plural ? o->as_plural : target->plural);
    a->singular = o->as_singular ? sq_strdup(o->as_singular)
                                 : (o->as_plural ? sq_singularize(o->as_plural) : sq_strdup(target->singular));
    a->as = sq_strdup(a->plural);
  } else {
    a->singular = sq_strdup(o->as_singular ? o->as_singular : target->singular);
    a->plural = o->as_plural ? sq_strdup(o->as_plural) : sq_pluralize(a->singular);
    a->as = sq_strdup(a->singular);
  }
  if (!a->plural || !a->singular || !a->as) goto oom;
  if (kind == SQ_BELONGS_TO_MANY && source == target && !a->aliased) {
    sq_err_set(db, SQ_E_USAGE, "A self-associating belongsToMany needs an 'as' alias (%s)", source->name);
    goto fail;
  }
  {
    sq_assoc *dup = sq_model_assoc(source, a->as);
    if (dup && (dup->aliased || a->aliased)) {
      sq_err_set(db, SQ_E_USAGE,
                 "You have used the alias %s in two separate associations. Aliased associations must have unique aliases.",
                 a->as);
      goto fail;
    }
    if (dup) dup->as[0] = '\0'; /* the same target again without alias: the newer one answers to the name */
  }
  switch (kind) {
    case SQ_BELONGS_TO:
      if (!(a->tkey = key_attr(db, target, o->target_key, "targetKey"))) goto fail;
      /* the key is named after the target's primary key even when targetKey differs */
      fkname = o->fk ? sq_strdup(o->fk)
                     : key_name(a->singular, target->pk >= 0 ? target->attrs[target->pk]->name : a->tkey->name);
      if (!fkname) goto oom;
      had = sq_model_attr(source, fkname, strlen(fkname)) != NULL;
      /* (a key into part of a composite primary key gets no REFERENCES: SQLite would refuse
       * every write, and Sequelize's addForeignKeyConstraints adds none) */
      a->fk = ensure_key(db, source, fkname, target, a->tkey, o->fk_allow_null, 0, o->on_delete, o->on_update,
                         (target->npk <= 1 || !a->tkey->pk) ? cons : 0, "NO ACTION");
      if (!a->fk || key_field(db, a->fk, o->fk_field, o->fk_unique, o->fk_unique_name, !had) ||
          (!had && key_type(db, a->fk, o->key_type)) ||
          apply_def(db, source, a->fk, o->fk_def, o->fk_def_flags, had, 0, cons == 0))
        goto fail;
      break;
    case SQ_HAS_ONE:
    case SQ_HAS_MANY:
      if (!(a->skey = key_attr(db, source, o->source_key, "sourceKey"))) goto fail;
      if (o->fk) {
        fkname = sq_strdup(o->fk);
      } else if (kind == SQ_HAS_ONE) {
        tmp = sq_singularize(o->as_singular ? o->as_singular : source->name);
        fkname = tmp ? key_name(tmp, source->pk >= 0 ? source->attrs[source->pk]->name : a->skey->name) : NULL;
      } else {
        fkname = key_name(source->singular, source->pk >= 0 ? source->attrs[source->pk]->name : a->skey->name);
      }
      if (!fkname) goto oom;
      had = sq_model_attr(target, fkname, strlen(fkname)) != NULL;
      a->fk = ensure_key(db, target, fkname, source, a->skey, o->fk_allow_null, 0, o->on_delete, o->on_update,
                         (source->npk <= 1 || !a->skey->pk) ? cons : 0, "CASCADE");
      if (!a->fk || key_field(db, a->fk, o->fk_field, o->fk_unique, o->fk_unique_name, !had) ||
          (!had && key_type(db, a->fk, o->key_type)) ||
          apply_def(db, target, a->fk, o->fk_def, o->fk_def_flags, had, 0, cons == 0))
        goto fail;
      a->tkey = target->pk >= 0 ? target->attrs[target->pk] : NULL;
      break;
    case SQ_BELONGS_TO_MANY: {
      sq_model *t = o->through;
      sq_assoc *p = NULL;
      char *othername, *pname = NULL;
      int removed_pk = 0;
      if (!t && !o->through_name) {
        sq_err_set(db, SQ_E_USAGE, "belongsToMany must be given a through option, either a string or a model");
        goto fail;
      }
      /* the keys first: a failing association leaves the through model as it was */
      if (!(a->skey = key_attr(db, source, o->source_key, "sourceKey"))) goto fail;
      if (!(a->tkey = key_attr(db, target, o->target_key, "targetKey"))) goto fail;
      a->tkey_default = o->target_key == NULL;
      a->other_default = o->other_key == NULL;
      a->fk_default = o->fk == NULL;
      {
        /* the through model cannot be one of the two it joins: its automatic id (maybe the
         * other side's key) would go, and its keys would be the join's (Sequelize 6 fails
         * with a TypeError, "Cannot read properties of undefined (reading 'type')") */
        sq_model *same = t ? t : sq_db_model(db, o->through_name);
        if (same && (same == source || same == target)) {
          sq_err_set(db, SQ_E_USAGE,
                     "%s.belongsToMany(%s): through must be a join model or table of its own, not %s, the %s "
                     "model itself (e.g. through = '%s%s')",
                     source->name, target->name, same->name, same == source ? "source" : "target", source->name,
                     target->plural);
          goto fail;
        }
      }
      if (!t) {
        int existed = sq_db_model(db, o->through_name) != NULL;
        t = make_through(db, o, source->underscored);
        if (!t) goto oom;
        if (!existed && made_through) *made_through = t;
      } else {
        /* a given through model loses the `id` it was given automatically */
        for (i = 0; i < t->nattrs; i++)
          if (t->attrs[i]->auto_id) {
            /* (unless another association keys on it: it would point at a freed attribute;
             * Sequelize drops it anyway and fails later reading its field) */
            const sq_assoc *user = attr_user(db, t->attrs[i], NULL);
            if (user) {
              sq_err_set(db, SQ_E_USAGE,
                         "%s.belongsToMany(%s): the through model %s would lose its automatic '%s', a key of the "
                         "association %s.%s; use a join model of its own",
                         source->name, target->name, t->name, t->attrs[i]->name, user->source->name, user->as);
              goto fail;
            }
            sq_model_remove_attr(t, i);
            break;
          }
      }
      a->through = t;
      /* the reverse association through the same model (Sequelize's `paired`): its foreign
       * key is this one's other key and the other way round, unless given */
      {
        /* (a self n:m whose two keys, given or by default, are those of one before it runs the
         * same way, not back: `Friends` and `Blocked` both aId -> bId, or both naming only
         * otherKey = 'bId', told apart by their through scopes; neither takes the other's keys,
         * as Sequelize's pairing changes only default keys. One sharing a single key with it in
         * the same place is still taken for its pair, and its crossed keys then differ) */
        char *same_fk = NULL, *same_other = NULL;
        if (source == target) {
          same_fk = o->fk ? sq_strdup(o->fk) : key_name(source->singular, a->skey->name);
          if (o->other_key) {
            same_other = sq_strdup(o->other_key);
          } else if ((tmp = sq_singularize(a->as))) {
            same_other = key_name(tmp, a->tkey->name);
            free(tmp);
            tmp = NULL;
          }
          if (!same_fk || !same_other) {
            free(same_fk);
            free(same_other);
            goto oom;
          }
        }
        for (i = 0; i < target->nassocs; i++) {
          sq_assoc *r = target->assocs[i];
          if (r->kind != SQ_BELONGS_TO_MANY || r->target != source || r->through != t) continue;
          if (same_fk && r->fk && r->other && !strcmp(r->fk->name, same_fk) && !strcmp(r->other->name, same_other))
            continue;
          p = r;
        }
        free(same_fk);
        free(same_other);
      }
      if (p && a->tkey_default) a->tkey = p->skey;
      if (o->fk) {
        fkname = sq_strdup(o->fk);
      } else if (p && !p->other_default && p->other) {
        /* the reverse one named its other key: that is this one's foreign key (Sequelize makes
         * a second column here, and each side then reads links the other cannot see) */
        fkname = sq_strdup(p->other->name);
      } else {
        fkname = key_name(source->singular, a->skey->name);
      }
      if (o->other_key) {
        othername = sq_strdup(o->other_key);
      } else if (p) {
        othername = sq_strdup(p->fk->name);
      } else {
        tmp = source == target ? sq_singularize(a->as) : sq_strdup(target->singular);
        othername = tmp ? key_name(tmp, a->tkey->name) : NULL;
      }
      if (!fkname || !othername) { free(othername); goto oom; }
      if (p && ((!p->other_default && p->other && strcmp(fkname, p->other->name)) || strcmp(othername, p->fk->name))) {
        /* both named, differently: two columns for one side of the link, each association
         * writing one and reading the other's as missing */
        int f = !p->other_default && p->other && strcmp(fkname, p->other->name), self = source == target;
        /* (a self n:m is taken for the reverse of one through the same model unless it has
         * that one's two keys) */
        const char *self_hint = "; a self belongsToMany running the same way as the other one "
                                "takes both its keys (foreignKey and otherKey) the same";
        if (!f && p->fk_default)
          /* (the paired one, defined first, named none of its keys: its inferred foreign key is
           * a column already; reusing this one's keys needs them known first) */
          sq_err_set(db, SQ_E_USAGE,
                     "Paired belongsToMany keys differ: %s.belongsToMany(%s)%s%s%s through %s has otherKey '%s', but "
                     "the paired %s.belongsToMany(%s)%s%s%s, defined before it, took the default foreignKey '%s'; "
                     "define the association that names its keys first, or give the other one foreignKey = '%s'%s",
                     source->name, target->name, self ? " as '" : "", self ? a->as : "", self ? "'" : "", t->name,
                     othername, target->name, source->name, self ? " as '" : "", self ? p->as : "", self ? "'" : "",
                     p->fk->name, othername, self ? self_hint : "");
        else
          sq_err_set(db, SQ_E_USAGE,
                     "Paired belongsToMany keys differ: %s.belongsToMany(%s)%s%s%s through %s has %s '%s', but the "
                     "paired %s.belongsToMany(%s)%s%s%s has %s '%s' for that key; give both the same two keys (or "
                     "leave this one's out)%s",
                     source->name, target->name, self ? " as '" : "", self ? a->as : "", self ? "'" : "", t->name,
                     f ? "foreignKey" : "otherKey", f ? fkname : othername, target->name, source->name,
                     self ? " as '" : "", self ? p->as : "", self ? "'" : "", f ? "otherKey" : "foreignKey",
                     f ? p->other->name : p->fk->name, self ? self_hint : "");
        free(othername);
        goto fail;
      }
      if (p && ((p->tkey_default && p->tkey != a->skey) || (p->other_default && strcmp(p->other->name, fkname)))) {
        /* the paired association's inferred other key goes: it becomes this one's foreign
         * key (or, given by name, is made again for its new target key) */
        sq_attr *old = p->other;
        if (p->tkey_default) p->tkey = a->skey;
        if (old->by_assoc && old != p->fk && !attr_in_use(db, old, p)) {
          int k;
          if (!p->other_default && !(pname = sq_strdup(old->name))) { free(othername); goto oom; }
          for (k = 0; k < t->nattrs && t->attrs[k] != old; k++) {}
          removed_pk = old->pk;
          p->other = NULL;
          if (k < t->nattrs) sq_model_remove_attr(t, k);
        } else if (p->other_default) {
          p->other = NULL;
        }
      }
      {
        /* the keys are the composite primary key, unless the through model has a primary
         * key of its own (Sequelize: no automatic id to drop): then a key it lacks is added
         * nullable, one it declares keeps its own primaryKey, and the two are a composite
         * UNIQUE (but when its primary key is exactly the two keys) */
        int pk = 1, allow, exact, had_fk = sq_model_attr(t, fkname, strlen(fkname)) != NULL,
            had_other = sq_model_attr(t, othername, strlen(othername)) != NULL;
        for (i = 0; i < t->nattrs; i++)
          if (t->attrs[i]->pk && !t->attrs[i]->pk_by_assoc) pk = 0;
        pk = pk || removed_pk;
        allow = pk ? 0 : -1;
        a->fk = ensure_key(db, t, fkname, source, a->skey, allow, pk, o->on_delete ? o->on_delete : "CASCADE",
                           o->on_update, a->constraints, "CASCADE");
        if (a->fk && a->constraints && (o->on_delete || o->on_update)) {
          /* the source key: the association's own actions win over the through attribute's
           * (Sequelize: options.onDelete || throughAttr.onDelete; the other key the other way) */
          char *d = o->on_delete ? sq_strdup(o->on_delete) : NULL, *u = o->on_update ? sq_strdup(o->on_update) : NULL;
          if ((o->on_delete && !d) || (o->on_update && !u)) {
            free(d);
            free(u);
            free(othername);
            goto oom;
          }
          if (d) { free(a->fk->on_delete); a->fk->on_delete = d; }
          if (u) { free(a->fk->on_update); a->fk->on_update = u; }
        }
        if (a->fk) {
          a->other = ensure_key(db, t, othername, target, a->tkey, allow, pk,
                                o->on_delete ? o->on_delete : "CASCADE", o->on_update, a->constraints, "CASCADE");
          if (key_field(db, a->fk, o->fk_field, 0, NULL, 1) || key_field(db, a->other, o->other_field, 0, NULL, 1) ||
              apply_def(db, t, a->fk, o->fk_def, o->fk_def_flags, had_fk, 1, !a->constraints) ||
              apply_def(db, t, a->other, o->other_def, o->other_def_flags, had_other, 1, !a->constraints))
            a->other = NULL;
        }
        if (p && a->fk && a->other && !p->other) {
          p->other = !pname ? a->fk
                            : ensure_key(db, t, pname, source, p->tkey, allow, pk, "CASCADE", NULL, a->constraints,
                                         "CASCADE");
          if (!p->other) a->other = NULL; /* (fails below) */
        }
        exact = a->fk && a->other && a->fk != a->other && t->npk == 2 && a->fk->pk && a->other->pk;
        /* the composite UNIQUE: where the through model has a primary key of its own (not
         * exactly the two keys), or, where the keys are the primary key, made by the paired
         * association over keys the through model declared (Sequelize's second
         * _injectAttributes finds no generated primary key to drop there and writes it;
         * over keys an association generated it drops them as such and writes none).
         * uniqueKey names it, the paired association's name giving way as in Sequelize
         * (the last association to write it names it) */
        if (a->fk && a->other && !o->no_unique &&
            ((!pk && !exact) || (exact && p && !a->fk->by_assoc && !a->other->by_assoc))) {
          if (o->unique_key) {
            char *n1 = sq_strdup(o->unique_key), *n2 = sq_strdup(o->unique_key);
            if (!n1 || !n2) { free(n1); free(n2); free(othername); free(pname); goto oom; }
            free(a->fk->unique_name);
            free(a->other->unique_name);
            a->fk->unique_name = n1;
            a->other->unique_name = n2;
          } else {
            char uname[512];
            snprintf(uname, sizeof uname, "%s_%s_%s_unique", t->table, a->fk->name, a->other->name);
            /* one group for both keys: the paired association may have named it already */
            if (!a->fk->unique_name) a->fk->unique_name = sq_strdup(a->other->unique_name ? a->other->unique_name : uname);
            if (!a->other->unique_name) a->other->unique_name = sq_strdup(a->fk->unique_name);
            if (!a->fk->unique_name || !a->other->unique_name) { free(othername); free(pname); goto oom; }
          }
          a->fk->unique = a->other->unique = 1;
        }
      }
      if (p && a->fk && a->other) {
        a->paired = p;
        p->paired = a;
      }
      free(othername);
      free(pname);
      if (!a->fk || !a->other) goto fail;
      break;
    }
  }
  if (source->nassocs == source->cassocs) {
    int c = source->cassocs ? source->cassocs * 2 : 4;
    sq_assoc **p = realloc(source->assocs, (size_t)c * sizeof *p);
    if (!p) goto oom;
    source->assocs = p;
    source->cassocs = c;
  }
  a->id = source->nassocs;
  source->assocs[source->nassocs++] = a;
  free(fkname);
  free(tmp);
  return a;
oom:
  sq_err_oom(db);
fail:
  free(fkname);
  free(tmp);
  sq_assoc_free(a);
  return NULL;
}
