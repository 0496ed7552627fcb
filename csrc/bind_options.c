/* bind_options.c: a finder's option table -> the core's select spec (query.h). Owns
 * attribute and alias look-ups, expressions (Sequelize.fn/col/literal/where), where trees
 * with every Op, attributes (include/exclude, aliases), order, group, having, limit and
 * offset, and include trees (opts.include as the Lua layer normalised it), including
 * "$a.b$" keys into included models.
 */
#include <ctype.h>
#include "binding.h"

/* ------------------------------------------------------------------------- */
/* expressions */

/* A name as an error message shows it: its first 200 bytes, a NUL in it as \0 (so that the
 * message is not cut short there) */
static const char *shown(char buf[420], const char *s, size_t n) {
  size_t i, o = 0;
  for (i = 0; i < n && i < 200; i++) {
    if (s[i] == '\0') { buf[o++] = '\\'; buf[o++] = '0'; }
    else buf[o++] = s[i];
  }
  if (i < n) { memcpy(buf + o, "...", 3); o += 3; }
  buf[o] = '\0';
  return buf;
}

/* The clause a where tree is read for, as errors name it: "where", or "having" */
static const char *clause(const ctx *c) { return c->having ? "having" : "where"; }

/* An attribute named by its name, else by its column's (Sequelize takes `first_name` where
 * the attribute is firstName: a where key, order, group, attributes, count's col) */
sq_attr *find_attr(ctx *c, const char *name, size_t n, const char *where) {
  char b[420];
  sq_attr *a;
  if (!c->m) usage(c->L, c->db, "Unknown attribute '%s' in %s: no model to read it on", shown(b, name, n), where);
  a = sq_model_attr(c->m, name, n);
  if (!a) a = sq_model_attr_by_field(c->m, name, n);
  if (!a) usage(c->L, c->db, "Unknown attribute '%s' in %s of model %s", shown(b, name, n), where, c->m->name);
  return a;
}

/* An attribute named by its name only (a `fields` list: Sequelize's whitelist of attribute
 * names, where a column name such as `first_name` is no name) */
sq_attr *find_attr_named(ctx *c, const char *name, size_t n, const char *where) {
  char b[420];
  sq_attr *a;
  if (!c->m) usage(c->L, c->db, "Unknown attribute '%s' in %s: no model to read it on", shown(b, name, n), where);
  a = sq_model_attr(c->m, name, n);
  if (!a) usage(c->L, c->db, "Unknown attribute '%s' in %s of model %s", shown(b, name, n), where, c->m->name);
  return a;
}

sq_expr *new_expr(ctx *c, sq_xkind k) {
  sq_expr *x = xalloc(c, sizeof *x);
  x->kind = k;
  return x;
}

sq_expr *attr_expr(ctx *c, const sq_attr *a) {
  sq_expr *x = new_expr(c, SQ_X_ATTR);
  x->attr = a;
  x->qual = c->qual;
  return x;
}

static sq_expr *parse_expr(ctx *c, int i, const char *where);

/* The value at JSON path `path` (n bytes, "$..."; bound, never in the SQL text) inside the
 * column `col` (an SQ_X_JSON: the dialect writes it) */
static sq_expr *json_extract_expr(ctx *c, sq_expr *col, const char *path, size_t n) {
  sq_expr *x = new_expr(c, SQ_X_JSON);
  x->args = xalloc(c, sizeof(sq_expr *) * 2);
  x->nargs = 2;
  x->args[0] = col;
  x->args[1] = new_expr(c, SQ_X_VALUE);
  x->args[1]->v.kind = SQ_V_TEXT;
  x->args[1]->v.u.s.p = path;
  x->args[1]->v.u.s.n = n;
  return x;
}

/* A column reference by name: a model attribute, or a dotted/unknown path through col. */
sq_expr *name_expr(ctx *c, const char *s, size_t n, const char *where) {
  sq_attr *a = c->m ? sq_model_attr(c->m, s, n) : NULL;
  const char *dot = memchr(s, '.', n);
  if (a) return attr_expr(c, a);
  if (dot && (c->sel || c->refs)) {
    /* "User.id": the model's own column by its alias; "Posts.title": an included one (also
     * from an include's where or on, through the select it is part of) */
    size_t an = c->sel && c->sel->alias ? strlen(c->sel->alias) : 0;
    sq_expr *x;
    if (an && (size_t)(dot - s) == an && !memcmp(s, c->sel->alias, an) &&
        (a = sq_model_attr(c->m, dot + 1, n - an - 1)))
      return attr_expr(c, a);
    if ((x = include_attr_expr(c, s, n, NULL))) return x;
  }
  if (c->sel) {
    int k;
    for (k = 0; k < c->sel->ncols; k++) {
      const char *as = c->sel->cols[k].as;
      if (as && strlen(as) == n && !memcmp(as, s, n)) {
        const sq_expr *cx = c->sel->cols[k].expr;
        sq_expr *x;
        /* a column read under its own name (first_name): the column itself, qualified (a
         * joined table's column of that name would make the bare name ambiguous) */
        if (cx && cx->kind == SQ_X_ATTR && !strcmp(cx->attr->field, as)) return attr_expr(c, cx->attr);
        x = new_expr(c, SQ_X_ALIAS);
        x->name = as;
        x->nlen = n;
        return x;
      }
    }
  }
  return attr_expr(c, find_attr(c, s, n, where));
}

/* An object from Sequelize.fn/col/literal, or a plain value. */
static sq_expr *parse_expr_in(ctx *c, int i, const char *where);

static sq_expr *parse_expr(ctx *c, int i, const char *where) {
  sq_expr *x;
  enter(c, where);
  x = parse_expr_in(c, i, where);
  c->depth--;
  return x;
}

sq_expr *parse_value_expr(ctx *c, int i, const char *what) { return parse_expr(c, i, what); }

/* Sequelize.json("column.path[0].key"): json_extract(`Model`.`column`, '$.path[0].key'), the
 * column an attribute of the model, the path (made by the Lua layer) bound */
static sq_expr *json_expr(ctx *c, int i, const char *where) {
  lua_State *L = c->L;
  size_t n, pn;
  const char *col, *path;
  lua_getfield(L, i, "col");
  lua_getfield(L, i, "path");
  col = lua_tolstring(L, -2, &n);
  path = lua_tolstring(L, -1, &pn);
  lua_pop(L, 2); /* the strings stay alive in the object */
  if (!col || !path) usage(L, c->db, "malformed Sequelize.json object in %s", where);
  return json_extract_expr(c, attr_expr(c, find_attr(c, col, n, where)), path, pn);
}

static sq_where *parse_where_expr(ctx *c, int i);

static sq_where *parse_where_table(ctx *c, int i);

/* An argument of Sequelize.fn or the value of Sequelize.cast: a plain table (no metatable, no
 * list part) is a where condition used as a value, as Sequelize writes a plain object there
 * (`SUM(CAST(`engines` = 1 AS INT))`); anything else a value or an expression. */
static sq_expr *fn_arg(ctx *c, int i, const char *where, const char *what) {
  lua_State *L = c->L;
  i = lua_absindex(L, i);
  if (lua_type(L, i) == LUA_TTABLE && !is_expr(L, i) && sq_rawlen(L, i) == 0 && !instance_model(L, i)) {
    sq_expr *x;
    int empty;
    if (lua_getmetatable(L, i)) {
      lua_pop(L, 1);
      return parse_expr(c, i, where); /* (refused there, as any value of that kind) */
    }
    lua_pushnil(L);
    empty = !lua_next(L, i);
    if (!empty) lua_pop(L, 2);
    if (!c->m) usage(L, c->db, "Invalid %s in %s: a table of conditions needs a model", what, where);
    if (empty)
      usage(L, c->db, "Invalid %s in %s of model %s: a table of conditions must not be empty", what, where,
            c->m->name);
    enter(c, where);
    x = new_expr(c, SQ_X_COND);
    x->cond = parse_where_table(c, i);
    c->depth--;
    return x;
  }
  return parse_expr(c, i, where);
}

static sq_expr *parse_expr_in(ctx *c, int i, const char *where) {
  lua_State *L = c->L;
  sq_expr *x;
  i = lua_absindex(L, i);
  if (is_expr(L, i)) {
    const char *kind;
    lua_getfield(L, i, "kind");
    kind = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!kind) usage(L, c->db, "malformed expression object in %s", where);
    if (!strcmp(kind, "col")) {
      size_t n;
      const char *s;
      lua_getfield(L, i, "col");
      s = lua_tolstring(L, -1, &n);
      lua_pop(L, 1); /* the string stays alive in the object */
      if (!s) usage(L, c->db, "Sequelize.col needs a column name");
      if (!memchr(s, '.', n) && !(n == 1 && s[0] == '*') && c->m) {
        /* the model's column of that name first, as Sequelize writes the name as given (a
         * column `a` whose attribute is b, where another attribute a has the column `b`:
         * col("a") is the column a), else the attribute of that name (firstName: first_name) */
        sq_attr *a = sq_model_attr_by_field(c->m, s, n);
        if (!a) a = sq_model_attr(c->m, s, n);
        if (a) return attr_expr(c, a);
      }
      x = new_expr(c, SQ_X_COL);
      x->name = s;
      x->nlen = n;
      {
        /* "posts.comments.id": a nested include's column, `posts->comments`.`id`, as
         * Sequelize's quoteIdentifiers joins every part but the last with "->" */
        const char *last = NULL;
        size_t j, dots = 0;
        for (j = 0; j < n; j++)
          if (s[j] == '.') {
            dots++;
            last = s + j;
          }
        if (dots > 1) {
          char *t = xalloc(c, n + 2 * (dots - 1) + 1), *o = t; /* (xalloc raises on failure) */
          for (j = 0; j < n; j++) {
            if (s[j] == '.' && s + j != last) {
              *o++ = '-';
              *o++ = '>';
            } else {
              *o++ = s[j];
            }
          }
          *o = '\0';
          x->name = t;
          x->nlen = (size_t)(o - t);
        }
      }
      return x;
    }
    if (!strcmp(kind, "literal")) {
      x = new_expr(c, SQ_X_LITERAL);
      lua_getfield(L, i, "val");
      x->name = lua_tolstring(L, -1, &x->nlen);
      lua_pop(L, 1);
      if (!x->name) usage(L, c->db, "Sequelize.literal needs a string");
      sqb_literal_params(c, x);
      return x;
    }
    if (!strcmp(kind, "fn")) {
      int n, k;
      x = new_expr(c, SQ_X_FN);
      lua_getfield(L, i, "fn");
      x->name = lua_tolstring(L, -1, &x->nlen);
      lua_pop(L, 1);
      if (!x->name) usage(L, c->db, "Sequelize.fn needs a function name");
      lua_getfield(L, i, "args");
      n = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) : 0;
      x->args = xalloc(c, sizeof(sq_expr *) * (size_t)(n ? n : 1));
      x->nargs = n;
      for (k = 0; k < n; k++) {
        lua_rawgeti(L, -1, k + 1);
        if (lua_type(L, -1) == LUA_TSTRING && !strcmp(x->name, "COUNT") && !strcmp(lua_tostring(L, -1), "*")) {
          x->args[k] = new_expr(c, SQ_X_STAR);
        } else {
          x->args[k] = fn_arg(c, -1, where, "Sequelize.fn argument");
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      return x;
    }
    if (!strcmp(kind, "cast")) { /* CAST(value AS type): the type checked when the SQL is written */
      x = new_expr(c, SQ_X_CAST);
      lua_getfield(L, i, "type");
      x->name = lua_tolstring(L, -1, &x->nlen);
      lua_pop(L, 1);
      if (!x->name) usage(L, c->db, "Sequelize.cast needs a type name");
      x->args = xalloc(c, sizeof(sq_expr *));
      x->nargs = 1;
      lua_getfield(L, i, "val");
      if (lua_isnil(L, -1)) usage(L, c->db, "Sequelize.cast needs a value");
      x->args[0] = fn_arg(c, -1, where, "Sequelize.cast value");
      lua_pop(L, 1);
      return x;
    }
    if (!strcmp(kind, "json")) {
      lua_getfield(L, i, "value");
      if (!lua_isnil(L, -1))
        usage(L, c->db, "a Sequelize.json with a value is a condition: use it as a where, not in %s", where);
      lua_pop(L, 1);
      return json_expr(c, i, where);
    }
    if (!strcmp(kind, "where")) { /* a condition's truth as a value: fn args, order (Sequelize) */
      x = new_expr(c, SQ_X_COND);
      x->cond = parse_where_expr(c, i);
      return x;
    }
    usage(L, c->db, "a Sequelize.%s object cannot be used as a value in %s", kind, where);
  }
  x = new_expr(c, SQ_X_VALUE);
  to_db_plain(L, c->db, i, &x->v, where);
  return x;
}

/* ------------------------------------------------------------------------- */
/* where */

sq_where *new_node(ctx *c, sq_wkind k, int nkids) {
  sq_where *w = xalloc(c, sizeof *w);
  w->kind = k;
  if (nkids) w->kids = xalloc(c, sizeof(sq_where *) * (size_t)nkids);
  return w;
}

static sq_where *parse_where_table(ctx *c, int i);

static sq_expr *value_for(ctx *c, int i, const sq_attr *a, const char *where) {
  if (is_expr(c->L, i)) return parse_expr(c, i, where);
  {
    sq_expr *x = new_expr(c, SQ_X_VALUE);
    if (a) to_db_where(c, i, a, &x->v);
    else to_db_plain(c->L, c->db, i, &x->v, where);
    return x;
  }
}

static const char *attr_label(ctx *c, const sq_attr *a) { return a ? a->name : c->label ? c->label : c->m->name; }

static sq_where *cmp_node(ctx *c, sq_expr *lhs, const sq_attr *a, sq_op op, int vi);

/* The column an Op.col value names ("lvl", "User.lvl", "posts.likes": an attribute of the
 * model or of an included one, checked), at stack index vi. */
static sq_expr *op_col_target(ctx *c, const sq_attr *a, int vi) {
  lua_State *L = c->L;
  size_t n;
  const char *s;
  if (lua_type(L, vi) != LUA_TSTRING)
    usage(L, c->db, "Invalid %s on %s.%s: Op.col needs a column name, got %s", clause(c), c->m->name, attr_label(c, a),
          luaL_typename(L, vi));
  s = lua_tolstring(L, vi, &n);
  return name_expr(c, s, n, "where");
}

/* { [Op.col] = "name" } as an operator's value (`{ [Op.gt] = { [Op.col] = "lvl" } }`): the
 * column; NULL for any other value */
static sq_expr *op_col_value(ctx *c, const sq_attr *a, int vi) {
  lua_State *L = c->L;
  sq_expr *x;
  int nkeys = 0;
  vi = lua_absindex(L, vi);
  if (!lua_istable(L, vi) || is_expr(L, vi)) return NULL;
  lua_pushlightuserdata(L, (void *)&op_tags[OP_COL]);
  lua_rawget(L, vi);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return NULL;
  }
  lua_pushnil(L);
  while (lua_next(L, vi)) {
    lua_pop(L, 1);
    nkeys++;
  }
  if (nkeys != 1)
    usage(L, c->db, "Invalid %s on %s.%s: Op.col goes alone in its table", clause(c), c->m->name, attr_label(c, a));
  x = op_col_target(c, a, -1);
  lua_pop(L, 1);
  return x;
}

/* Conditions on one column: `v` is a scalar, NULL, a list, an expression, or a table of
 * Op keys. */
static sq_where *parse_cond_in(ctx *c, sq_expr *lhs, const sq_attr *a, int vi);
static int is_where_object(lua_State *L, int i);
static int is_expr_kind(lua_State *L, int i, const char *kind);
static sq_where *parse_where_expr(ctx *c, int i);

static sq_where *parse_cond(ctx *c, sq_expr *lhs, const sq_attr *a, int vi) {
  sq_where *w;
  enter(c, "where");
  w = parse_cond_in(c, lhs, a, vi);
  c->depth--;
  return w;
}

/* An instance where a value is expected: refused (its values would read as a list) */
static void not_instance(ctx *c, int vi, const sq_attr *a) {
  modelbox *mb;
  if (lua_istable(c->L, vi) && (mb = instance_model(c->L, vi)))
    usage(c->L, c->db, "Invalid %s on %s.%s: got a %s instance, expected a value (its key, say)", clause(c), c->m->name,
          attr_label(c, a), mb->m->name);
}

static sq_where *parse_cond_in(ctx *c, sq_expr *lhs, const sq_attr *a, int vi) {
  lua_State *L = c->L;
  vi = lua_absindex(L, vi);
  not_instance(c, vi, a);
  if (lua_istable(L, vi) && !is_expr(L, vi)) {
    int nops = 0, nother = 0, k;
    sq_where *w;
    lua_pushnil(L);
    while (lua_next(L, vi)) {
      lua_pop(L, 1);
      if (op_of(L, -1) >= 0) nops++;
      else if (lua_type(L, -1) == LUA_TSTRING)
        usage(L, c->db, "Invalid %s on %s.%s: the key '%s' is not an operator (use Sequelize.Op keys)",
              clause(c), c->m->name, attr_label(c, a), lua_tostring(L, -1));
      else nother++;
    }
    if (nops == 0) {
      /* a list: IN */
      if (!is_sequence(L, vi))
        usage(L, c->db, "Invalid %s on %s.%s: expected a list of values or a table of Op keys", clause(c), c->m->name,
              attr_label(c, a));
      return cmp_node(c, lhs, a, SQ_OP_IN, vi);
    }
    if (nother)
      usage(L, c->db, "Invalid %s on %s.%s: a table mixes Op keys and list items", clause(c), c->m->name, attr_label(c, a));
    w = new_node(c, SQ_W_AND, nops);
    lua_pushlightuserdata(L, (void *)&op_tags[OP_COL]);
    lua_rawget(L, vi);
    if (!lua_isnil(L, -1)) { /* Op.col first (Sequelize: `a` = `b` AND ...) */
      sq_where *kid = new_node(c, SQ_W_CMP, 0);
      kid->lhs = lhs;
      kid->op = SQ_OP_EQ;
      kid->nrhs = 1;
      kid->rhs = xalloc(c, sizeof(sq_expr *));
      kid->rhs[0] = op_col_target(c, a, -1);
      w->kids[w->nkids++] = kid;
    }
    lua_pop(L, 1);
    for (k = 0; k < SQ_OP_COUNT; k++) { /* Op order makes the SQL text stable */
      lua_pushlightuserdata(L, (void *)&op_tags[k]);
      lua_rawget(L, vi);
      if (!lua_isnil(L, -1)) {
        sq_where *kid;
        if (k == SQ_OP_AND || k == SQ_OP_OR) {
          int top = lua_gettop(L), j, n;
          if (!lua_istable(L, top) || is_expr(L, top))
            usage(L, c->db, "Invalid %s on %s.%s: Op.%s needs a list", clause(c), c->m->name, attr_label(c, a), op_names[k]);
          if (!is_sequence(L, top)) {
            /* { [Op.and] = { [Op.gt] = 2, [Op.lt] = 8 } }: each operator is one term */
            kid = parse_cond(c, lhs, a, top);
            if (kid->kind == SQ_W_AND) kid->kind = k == SQ_OP_AND ? SQ_W_AND : SQ_W_OR;
            w->kids[w->nkids++] = kid;
            lua_pop(L, 1);
            continue;
          }
          n = (int)sq_rawlen(L, top);
          /* (an empty list: no condition on the attribute; Sequelize drops the key) */
          kid = new_node(c, k == SQ_OP_AND || n == 0 ? SQ_W_AND : SQ_W_OR, n);
          for (j = 0; j < n; j++) {
            lua_rawgeti(L, top, j + 1);
            /* (a table of Op keys, or a list: IN, as Sequelize reads an array there; a
             * Sequelize.where is its own condition, the attribute ignored, as under the key) */
            kid->kids[kid->nkids++] = is_where_object(L, -1)                      ? parse_where_expr(c, -1)
                                      : (lua_istable(L, -1) && !is_expr(L, -1)) ? parse_cond(c, lhs, a, -1)
                                                                                : cmp_node(c, lhs, a, SQ_OP_EQ, lua_gettop(L));
            lua_pop(L, 1);
          }
        } else if (k == SQ_OP_NOT && lua_istable(L, -1) && !is_expr(L, -1)) {
          lua_pushnil(L);
          if (!lua_next(L, -2)) {
            /* { [Op.not] = {} } on an attribute: refused (Sequelize writes != '[object Object]'
             * or raises; matching every row would widen a destroy) */
            usage(L, c->db, "Invalid %s on %s.%s: Op.not needs a value or a non-empty table", clause(c), c->m->name,
                  attr_label(c, a));
            kid = NULL;
          } else {
            lua_pop(L, 2);
            kid = new_node(c, SQ_W_NOT, 1);
            kid->kids[kid->nkids++] = parse_cond(c, lhs, a, -1);
          }
        } else if (k == SQ_OP_NOTTREE) {
          kid = new_node(c, SQ_W_NOT, 1);
          kid->kids[kid->nkids++] = parse_cond(c, lhs, a, -1);
        } else {
          kid = cmp_node(c, lhs, a, (sq_op)k, lua_gettop(L));
        }
        w->kids[w->nkids++] = kid;
      }
      lua_pop(L, 1);
    }
    return w->nkids == 1 ? w->kids[0] : w;
  }
  return cmp_node(c, lhs, a, SQ_OP_EQ, vi);
}

static sq_where *cmp_node_in(ctx *c, sq_expr *lhs, const sq_attr *a, sq_op op, int vi);
static int json_real_cast(const sq_expr *lhs);

/* A comparison of lhs with the value(s) at vi. A JSON path cast to a REAL-affinity type
 * (DOUBLE PRECISION, as Sequelize casts a number, FLOAT, REAL) compares doubles: integers
 * are bound as doubles, as Sequelize's JavaScript numbers are (SQLite's REAL and an exact
 * 64-bit integer beyond 2^53 never compare equal; under LuaJIT they are doubles anyway). */
static sq_where *cmp_node(ctx *c, sq_expr *lhs, const sq_attr *a, sq_op op, int vi) {
  sq_where *w = cmp_node_in(c, lhs, a, op, vi);
  int j;
  /* (not a LIKE pattern: Sequelize writes `LIKE 5`, whose text is '5'; a double's is '5.0') */
  if (json_real_cast(lhs) && op != SQ_OP_LIKE && op != SQ_OP_NOTLIKE)
    for (j = 0; j < w->nrhs; j++) {
      sq_expr *x = w->rhs[j];
      if (x && x->kind == SQ_X_VALUE && x->v.kind == SQ_V_INT) {
        x->v.kind = SQ_V_REAL;
        x->v.u.d = (double)x->v.u.i;
      }
    }
  return w;
}

static sq_where *cmp_node_in(ctx *c, sq_expr *lhs, const sq_attr *a, sq_op op, int vi) {
  lua_State *L = c->L;
  sq_where *w = new_node(c, SQ_W_CMP, 0);
  const char *label = attr_label(c, a);
  w->lhs = lhs;
  w->op = op;
  vi = lua_absindex(L, vi);
  not_instance(c, vi, a);
  switch (op) {
    case SQ_OP_IN:
    case SQ_OP_NOTIN:
    case SQ_OP_BETWEEN:
    case SQ_OP_NOTBETWEEN: {
      int n, j;
      if (!lua_istable(L, vi) || is_expr(L, vi)) {
        if (op == SQ_OP_IN || op == SQ_OP_NOTIN) {
          if (is_expr(L, vi)) { /* IN literal (Sequelize: its text as it is), IN (fn / col) */
            w->nrhs = 1;
            w->bare = 1;
            w->rhs = xalloc(c, sizeof(sq_expr *));
            w->rhs[0] = parse_expr(c, vi, label);
            return w;
          }
        }
        usage(L, c->db, "Invalid %s on %s.%s: Op.%s needs a list", clause(c), c->m->name, label, op_names[op]);
      }
      if (!is_sequence(L, vi))
        usage(L, c->db, "Invalid %s on %s.%s: Op.%s needs a list 1..n, got a table with other keys", clause(c), c->m->name,
              label, op_names[op]);
      n = (int)sq_rawlen(L, vi);
      if ((op == SQ_OP_BETWEEN || op == SQ_OP_NOTBETWEEN) && n != 2)
        usage(L, c->db, "Invalid %s on %s.%s: Op.%s needs two values", clause(c), c->m->name, label, op_names[op]);
      w->rhs = xalloc(c, sizeof(sq_expr *) * (size_t)(n ? n : 1));
      for (j = 0; j < n; j++) {
        lua_rawgeti(L, vi, j + 1);
        if (lua_istable(L, -1) && !is_expr(L, -1))
          usage(L, c->db, "Invalid %s on %s.%s: nested table inside a list", clause(c), c->m->name, label);
        w->rhs[w->nrhs++] = value_for(c, -1, a, label);
        lua_pop(L, 1);
      }
      return w;
    }
    case SQ_OP_LIKE: case SQ_OP_NOTLIKE: case SQ_OP_STARTSWITH: case SQ_OP_ENDSWITH: case SQ_OP_SUBSTRING: {
      w->nrhs = 1;
      w->rhs = xalloc(c, sizeof(sq_expr *));
      if (op != SQ_OP_LIKE && op != SQ_OP_NOTLIKE && is_expr_kind(L, vi, "literal")) {
        /* Sequelize.literal("ban") under startsWith / endsWith / substring: its text is the
         * pattern's, bound (Sequelize 6.37.8: `LIKE 'ban%'`), not SQL joined to the % */
        w->rhs[0] = new_expr(c, SQ_X_VALUE);
        w->rhs[0]->v.kind = SQ_V_TEXT;
        lua_getfield(L, vi, "val");
        w->rhs[0]->v.u.s.p = lua_tolstring(L, -1, &w->rhs[0]->v.u.s.n);
        lua_pop(L, 1); /* (the string stays alive in the object) */
        if (!w->rhs[0]->v.u.s.p) usage(L, c->db, "Sequelize.literal needs a string");
      } else if (is_expr(L, vi)) w->rhs[0] = parse_expr(c, vi, label);
      else {
        w->rhs[0] = new_expr(c, SQ_X_VALUE);
        /* (LIKE NULL, as Sequelize writes it for Op.like / Op.notLike null: no row matches) */
        if (lua_type(L, vi) != LUA_TSTRING && lua_type(L, vi) != LUA_TNUMBER &&
            !(is_null(L, vi) && (op == SQ_OP_LIKE || op == SQ_OP_NOTLIKE)))
          usage(L, c->db, "Invalid %s on %s.%s: Op.%s needs a string, got %s", clause(c), c->m->name, label, op_names[op],
                luaL_typename(L, vi));
        to_db_plain(L, c->db, vi, &w->rhs[0]->v, label);
        if (w->rhs[0]->v.kind == SQ_V_BLOB && a) bad_value(c, a, vi, "(not valid UTF-8)");
      }
      return w;
    }
    default:
      w->nrhs = 1;
      w->rhs = xalloc(c, sizeof(sq_expr *));
      if ((w->rhs[0] = op_col_value(c, a, vi))) return w;
      if (lua_istable(L, vi) && !is_expr(L, vi) &&
          !(a && a->type.kind == SQ_T_JSON && (op == SQ_OP_EQ || op == SQ_OP_NE))) /* (JSON: its text) */
        usage(L, c->db, "Invalid %s on %s.%s: Op.%s needs a single value, got a table", clause(c), c->m->name, label,
              op_names[op]);
      if (op == SQ_OP_NOT && lua_type(L, vi) != LUA_TBOOLEAN && !is_null(L, vi))
        w->op = SQ_OP_NE; /* Sequelize: Op.not with a value other than null, true or false is != */
      if ((op == SQ_OP_IS || op == SQ_OP_NOT) && lua_type(L, vi) == LUA_TBOOLEAN) {
        w->rhs[0] = new_expr(c, SQ_X_VALUE);
        w->rhs[0]->v.kind = SQ_V_INT;
        w->rhs[0]->v.u.i = lua_toboolean(L, vi);
      } else {
        w->rhs[0] = value_for(c, vi, a, label);
      }
      return w;
  }
}

/* Is the value at i a Sequelize.where(...) object? Under an attribute's key it is the whole
 * condition, the key ignored (Sequelize's whereItemQuery hands such a value on by itself) */
static int is_where_object(lua_State *L, int i) { return is_expr_kind(L, i, "where"); }

/* Is the value at i a Sequelize.<kind>(...) object ("where", "literal", ...)? */
static int is_expr_kind(lua_State *L, int i, const char *kind) {
  int r;
  if (!lua_istable(L, i) || !is_expr(L, i)) return 0;
  lua_getfield(L, i, "kind");
  r = lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), kind);
  lua_pop(L, 1);
  return r;
}

/* A Sequelize.where(lhs, cond) object or a literal used as a condition. */
static sq_where *parse_where_expr(ctx *c, int i) {
  lua_State *L = c->L;
  const char *kind;
  i = lua_absindex(L, i);
  lua_getfield(L, i, "kind");
  kind = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (kind && !strcmp(kind, "where")) {
    sq_expr *lhs;
    sq_where *w;
    const sq_attr *a = NULL;
    lua_getfield(L, i, "lhs");
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      a = find_attr(c, s, n, "where");
      lhs = attr_expr(c, a);
    } else {
      lhs = parse_expr(c, -1, "where");
      if (lhs->kind == SQ_X_ATTR) a = lhs->attr;
      else if (lhs->kind == SQ_X_COL && memchr(lhs->name, '.', lhs->nlen)) {
        /* Sequelize.col("User.born") / col("posts.born"): written as given, its values read as
         * that attribute's (a DATE's ISO string as the stored date text, as col("born") does and
         * as Sequelize writes a Date object) */
        size_t n;
        const char *s;
        lua_getfield(L, -1, "col");
        s = lua_tolstring(L, -1, &n);
        if (s && (c->sel || c->refs)) include_attr_expr(c, s, n, &a);
        lua_pop(L, 1);
      }
    }
    lua_getfield(L, i, "cmp");
    w = parse_cond(c, lhs, a, -1);
    lua_getfield(L, i, "comparator"); /* ("=", "IS NOT", ...: what Sequelize writes) */
    if (lua_type(L, -1) == LUA_TSTRING && w->kind == SQ_W_CMP) {
      const char *cs = lua_tostring(L, -1);
      if (!strcmp(cs, "IS NOT")) w->op = SQ_OP_NOT;   /* `IS NOT 1`: null-safe, as written */
      else if (!strcmp(cs, "IS")) w->op = SQ_OP_IS;
      else if (!strcmp(cs, "<>")) w->exact = 1;      /* `<> NULL` (no row); "!=" null is IS NOT NULL */
    }
    lua_pop(L, 3);
    return w;
  }
  if (kind && !strcmp(kind, "json")) {
    /* Sequelize.json("col.path", value): json_extract(...) = value (or the conditions of a
     * table of Op keys); without a value the extracted value itself is the condition */
    sq_expr *lhs = json_expr(c, i, "where");
    sq_where *w;
    lua_getfield(L, i, "value");
    if (lua_isnil(L, -1)) {
      w = new_node(c, SQ_W_EXPR, 0);
      w->expr = lhs;
    } else {
      w = parse_cond(c, lhs, NULL, -1);
    }
    lua_pop(L, 1);
    return w;
  }
  if (kind && !strcmp(kind, "literal")) {
    sq_where *w = new_node(c, SQ_W_EXPR, 0);
    w->expr = parse_expr(c, i, "where");
    return w;
  }
  usage(L, c->db, "Invalid %s on %s: a Sequelize.%s object is not a condition", clause(c), c->m->name, kind ? kind : "?");
  return NULL;
}

static sq_where *parse_where_any(ctx *c, int i) {
  lua_State *L = c->L;
  sq_where *w;
  enter(c, "where");
  if (is_expr(L, i)) w = parse_where_expr(c, i);
  else if (lua_istable(L, i)) w = parse_where_table(c, i);
  else w = NULL;
  c->depth--;
  if (w) return w;
  if (lua_type(L, i) == LUA_TSTRING) /* (Sequelize's words, and what to use instead) */
    usage(L, c->db, "Invalid %s on %s: Support for `{where: 'raw query'}` has been removed. "
          "Use Sequelize.literal(sql) for a raw condition", clause(c), c->m->name);
  /* (Sequelize's words for a value that is no condition; a number or boolean shown as such) */
  if (lua_type(L, i) == LUA_TNUMBER) { lua_pushvalue(L, i); lua_tostring(L, -1); }
  else if (lua_type(L, i) == LUA_TBOOLEAN) lua_pushstring(L, lua_toboolean(L, i) ? "true" : "false");
  else lua_pushstring(L, luaL_typename(L, i));
  usage(L, c->db, "Invalid %s on %s: Unsupported where option value: %s (expected a table). Please refer to the "
        "Sequelize documentation to learn more about which values are accepted as part of the where option.",
        clause(c), c->m->name, lua_tostring(L, -1));
  return NULL;
}

/* A group of where items under Op.and / Op.or: a list of where tables, or one table
 * whose keys are each a condition. */
static sq_where *parse_group(ctx *c, int i, sq_wkind kind) {
  lua_State *L = c->L;
  sq_where *w;
  i = lua_absindex(L, i);
  if (is_expr(L, i)) {
    w = new_node(c, kind, 1);
    w->kids[w->nkids++] = parse_where_expr(c, i);
    return w;
  }
  if (!lua_istable(L, i)) usage(L, c->db, "Invalid %s on %s: Op.and/Op.or need a table", clause(c), c->m->name);
  enter(c, "where"); /* the object form recurses through parse_where_table, not parse_where_any */
  if (is_sequence(L, i) && sq_rawlen(L, i) > 0) {
    int n = (int)sq_rawlen(L, i), j;
    w = new_node(c, kind, n);
    for (j = 0; j < n; j++) {
      lua_rawgeti(L, i, j + 1);
      w->kids[w->nkids++] = parse_where_any(c, -1);
      lua_pop(L, 1);
    }
  } else {
    /* object form: each key is its own condition */
    w = parse_where_table(c, i);
    w->kind = kind;
  }
  c->depth--;
  return w;
}

static const char *sel_alias(ctx *c, const char *s, size_t n) {
  int k;
  if (!c->sel) return NULL;
  for (k = 0; k < c->sel->ncols; k++) {
    const char *as = c->sel->cols[k].as;
    if (as && strlen(as) == n && !memcmp(as, s, n)) return as;
  }
  return NULL;
}

/* One more condition of w, which has room for `cap` (one a key of the where table). */
static void add_kid(ctx *c, sq_where *w, int cap, sq_where *kid) {
  if (w->nkids >= cap) usage(c->L, c->db, "Invalid %s on %s: a key is named twice", clause(c), c->m->name);
  w->kids[w->nkids++] = kid;
}

/* ------------------------------------------------------------------------- */
/* JSON attributes queried by path (Sequelize's _whereJSON / _traverseJSON on sqlite):
 * `{ ["meta.a.b"] = v }` and `{ meta = { a = { b = v } } }` compare
 * json_extract(`Model`.`meta`, '$.a.b') (the path bound, never in the SQL text) with v.
 * A number compares as CAST(... AS DOUBLE PRECISION), a boolean as CAST(... AS BOOLEAN)
 * (a list or an Op's list by its first item); a key ending in "::type" casts to that
 * type instead. Op keys at a level compare that level's value (at the column's own
 * level: the column, as for any attribute); other keys go one level down. */

/* Sequelize's ALLOWED_CAST_TYPES, and the type each writes (sqlite: timestamps as DATETIME) */
static const char *const json_cast_names[] = {
  "integer", "int", "smallint", "bigint", "float", "real", "double precision", "decimal", "numeric", "boolean",
  "text", "char", "varchar", "nvarchar", "date", "timestamp", "timestamptz", "datetime", "json", "jsonb", "signed",
  "unsigned", NULL};
static const char *const json_cast_sql[] = {
  "INTEGER", "INT", "SMALLINT", "BIGINT", "FLOAT", "REAL", "DOUBLE PRECISION", "DECIMAL", "NUMERIC", "BOOLEAN",
  "TEXT", "CHAR", "VARCHAR", "NVARCHAR", "DATE", "DATETIME", "DATETIME", "DATETIME", "JSON", "JSONB", "SIGNED",
  "UNSIGNED"};

/* Is lhs a JSON path cast to FLOAT, REAL or DOUBLE PRECISION (a REAL-affinity type)? */
static int json_real_cast(const sq_expr *lhs) {
  return lhs && lhs->kind == SQ_X_CAST &&
         (lhs->name == json_cast_sql[4] || lhs->name == json_cast_sql[5] || lhs->name == json_cast_sql[6]);
}

static const char *json_cast(ctx *c, const sq_attr *a, const char *s, size_t n) {
  int k;
  for (k = 0; json_cast_names[k]; k++)
    if (strlen(json_cast_names[k]) == n && !strncasecmp(json_cast_names[k], s, n)) return json_cast_sql[k];
  usage(c->L, c->db,
        "Invalid cast type: %.*s (in the where on %s.%s: expected integer, int, smallint, bigint, float, real, "
        "double precision, decimal, numeric, boolean, text, char, varchar, nvarchar, date, timestamp, timestamptz, "
        "datetime, json, jsonb, signed or unsigned)",
        (int)(n > 64 ? 64 : n), s, c->m->name, a->name);
  return NULL;
}

/* `path` (a JSON path in the arena, "$...") with the parts of `key` added, the key split at
 * its dots as Sequelize splits it: a part of digits is an index ([n]); any other is an
 * object key of text without brackets, double quotes or control characters, which may be
 * followed by indexes ("list[0]"). */
static const char *json_path_add(ctx *c, const sq_attr *a, const char *path, const char *key, size_t n,
                                 const char *what) {
  size_t pl = strlen(path), i, start = 0, o;
  char *p;
  if (n > 4096 || !sq_v_is_utf8(key, n))
    usage(c->L, c->db, "Invalid %s on %s.%s: a JSON path must be valid UTF-8 of at most 4096 bytes", what,
          c->m->name, a->name);
  p = xalloc(c, pl + 3 * n + 4); /* each part adds at most 2 bytes to its own, dots dropped */
  memcpy(p, path, pl);
  o = pl;
  for (i = 0; i <= n; i++) {
    const char *s = key + start;
    size_t len = i - start, j = 0, d;
    if (i < n && key[i] != '.') continue;
    start = i + 1;
    for (d = 0; d < len && s[d] >= '0' && s[d] <= '9'; d++) {}
    if (len && d == len) { /* an index */
      p[o++] = '[';
      memcpy(p + o, s, len);
      o += len;
      p[o++] = ']';
      continue;
    }
    while (j < len && s[j] != '[') {
      unsigned char ch = (unsigned char)s[j];
      if (ch < 0x20 || ch == '"' || ch == ']') break;
      j++;
    }
    if (j == 0 || (j < len && s[j] != '['))
      usage(c->L, c->db,
            "Invalid %s on %s.%s: bad JSON path part '%.*s' in '%.*s' (expected a key without brackets, quotes "
            "or control characters, an index, or key[index])",
            what, c->m->name, a->name, (int)(len > 100 ? 100 : len), s, (int)(n > 200 ? 200 : n), key);
    p[o++] = '.';
    memcpy(p + o, s, j);
    o += j;
    while (j < len) { /* [n] indexes */
      size_t k = j + 1;
      while (k < len && s[k] >= '0' && s[k] <= '9') k++;
      if (s[j] != '[' || k == j + 1 || k >= len || s[k] != ']')
        usage(c->L, c->db, "Invalid %s on %s.%s: bad JSON path part '%.*s' in '%.*s' (an index is [digits])",
              what, c->m->name, a->name, (int)(len > 100 ? 100 : len), s, (int)(n > 200 ? 200 : n), key);
      memcpy(p + o, s + j, k + 1 - j);
      o += k + 1 - j;
      j = k + 1;
    }
  }
  p[o] = '\0';
  return p;
}

/* json_extract(`qual`.`field`, ?path), cast when `cast` is set */
static sq_expr *json_lhs(ctx *c, const sq_attr *a, const char *path, const char *cast) {
  sq_expr *x = json_extract_expr(c, attr_expr(c, a), path, strlen(path)), *k;
  if (!cast) return x;
  k = new_expr(c, SQ_X_CAST);
  k->name = cast;
  k->nlen = strlen(cast);
  k->args = xalloc(c, sizeof(sq_expr *));
  k->args[0] = x;
  k->nargs = 1;
  return k;
}

/* Sequelize's _getJsonCast of the value at vi (of a list: its first item) */
static const char *json_value_cast(lua_State *L, int vi) {
  int t = lua_type(L, vi);
  if (t == LUA_TTABLE && !is_expr(L, vi)) {
    lua_rawgeti(L, vi, 1);
    t = lua_type(L, -1);
    lua_pop(L, 1);
  }
  if (t == LUA_TNUMBER) return json_cast_sql[6]; /* DOUBLE PRECISION */
  if (t == LUA_TBOOLEAN) return json_cast_sql[9]; /* BOOLEAN */
  return NULL;
}

static int has_metatable(lua_State *L, int i) {
  if (!lua_getmetatable(L, i)) return 0;
  lua_pop(L, 1);
  return 1;
}

static int cmp_keys(const void *x, const void *y) {
  const char *a = *(const char *const *)x, *b = *(const char *const *)y;
  return strcmp(a, b);
}

static sq_where *json_cond(ctx *c, const sq_attr *a, const char *path, const char *cast, int vi);

/* One key of a JSON level ("a", "a.b", "a::integer"): its conditions, one level down */
static sq_where *json_key_cond(ctx *c, const sq_attr *a, const char *path, const char *key, size_t n, int vi) {
  const char *cast = NULL, *cc = NULL;
  size_t k;
  for (k = 0; k + 1 < n; k++)
    if (key[k] == ':' && key[k + 1] == ':') { cc = key + k; break; }
  if (cc) {
    cast = json_cast(c, a, cc + 2, n - (size_t)(cc - key) - 2);
    n = (size_t)(cc - key);
  }
  return json_cond(c, a, json_path_add(c, a, path, key, n, "where"), cast, vi);
}

/* A plain table at a JSON level (path NULL: the column's own level): its Op keys, in Op
 * order, compare this level's value; its string keys, sorted (a stable SQL text), go one
 * level down; a list is IN. */
static int json_group_value(lua_State *L, int vi);

static sq_where *json_level(ctx *c, const sq_attr *a, const char *path, const char *cast, int vi) {
  lua_State *L = c->L;
  int nstr = 0, nops = 0, nother = 0, k;
  const char **keys;
  sq_where *w;
  lua_pushnil(L);
  while (lua_next(L, vi)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) nstr++;
    else if (op_of(L, -1) >= 0) nops++;
    else nother++;
  }
  if (nother) {
    if (nstr || nops)
      usage(L, c->db, "Invalid %s on %s.%s: a table at a JSON path mixes list items and keys", clause(c), c->m->name,
            a->name);
    return cmp_node(c, json_lhs(c, a, path ? path : "$", cast ? cast : json_value_cast(L, vi)), NULL, SQ_OP_IN, vi);
  }
  w = new_node(c, SQ_W_AND, nstr + nops);
  for (k = 0; k < OP_NKEYS && nops; k++) {
    lua_pushlightuserdata(L, (void *)&op_tags[k]);
    lua_rawget(L, vi);
    if (!lua_isnil(L, -1) && (k == SQ_OP_AND || k == SQ_OP_OR) && json_group_value(L, -1)) {
      /* a group of conditions on this level's keys */
      int v = lua_gettop(L), j, n = (int)sq_rawlen(L, v);
      sq_where *g;
      enter(c, "where");
      if (n == 0) { /* { [Op.or] = { a = 1, b = 2 } } */
        g = json_level(c, a, path, cast, v);
        if (k == SQ_OP_OR && g->kind == SQ_W_AND) g->kind = SQ_W_OR;
      } else {
        g = new_node(c, k == SQ_OP_AND ? SQ_W_AND : SQ_W_OR, n);
        for (j = 1; j <= n; j++) {
          lua_rawgeti(L, v, j);
          if (!lua_istable(L, -1) || has_metatable(L, -1))
            usage(L, c->db, "Invalid %s on %s.%s: Op.%s at a JSON path takes tables of path keys", clause(c), c->m->name,
                  a->name, op_names[k]);
          g->kids[g->nkids++] = json_level(c, a, path, cast, lua_gettop(L));
          lua_pop(L, 1);
        }
      }
      c->depth--;
      w->kids[w->nkids++] = g;
    } else if (!lua_isnil(L, -1)) {
      int v = lua_gettop(L);
      lua_createtable(L, 0, 1); /* { [op] = value }: this operator alone */
      lua_pushlightuserdata(L, (void *)&op_tags[k]);
      lua_pushvalue(L, v);
      lua_rawset(L, -3);
      if (path)
        w->kids[w->nkids++] = parse_cond(c, json_lhs(c, a, path, cast ? cast : json_value_cast(L, v)), NULL, -1);
      else
        w->kids[w->nkids++] = parse_cond(c, attr_expr(c, a), a, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (nstr) {
    keys = xalloc(c, sizeof(char *) * (size_t)nstr);
    k = 0;
    lua_pushnil(L);
    while (lua_next(L, vi)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING && k < nstr) {
        size_t n;
        const char *ks = lua_tolstring(L, -1, &n); /* (alive: a key of vi) */
        if (strlen(ks) != n)
          usage(L, c->db, "Invalid %s on %s.%s: a JSON path key holds a NUL byte", clause(c), c->m->name, a->name);
        keys[k++] = ks;
      }
    }
    qsort(keys, (size_t)k, sizeof *keys, cmp_keys);
    nstr = k;
    for (k = 0; k < nstr; k++) {
      lua_pushstring(L, keys[k]);
      lua_rawget(L, vi);
      w->kids[w->nkids++] = json_key_cond(c, a, path ? path : "$", keys[k], strlen(keys[k]), lua_gettop(L));
      lua_pop(L, 1);
    }
  }
  return w->nkids == 1 ? w->kids[0] : w;
}

static sq_where *json_cond(ctx *c, const sq_attr *a, const char *path, const char *cast, int vi) {
  lua_State *L = c->L;
  sq_where *w;
  vi = lua_absindex(L, vi);
  enter(c, "where");
  if (lua_istable(L, vi) && !has_metatable(L, vi)) {
    w = json_level(c, a, path, cast, vi);
  } else {
    int list = lua_istable(L, vi) && !is_expr(L, vi); /* (a list with the array metatable) */
    w = cmp_node(c, json_lhs(c, a, path, cast ? cast : json_value_cast(L, vi)), NULL, list ? SQ_OP_IN : SQ_OP_EQ,
                 vi);
  }
  c->depth--;
  return w;
}

/* The JSON attribute a where key "meta.a.b" starts with, or NULL */
static const sq_attr *json_key_attr(ctx *c, const char *s, size_t n) {
  const char *dot = memchr(s, '.', n);
  const sq_attr *a = dot ? sq_model_attr(c->m, s, (size_t)(dot - s)) : NULL;
  return a && a->type.kind == SQ_T_JSON ? a : NULL;
}

/* Is the value at vi a JSON column's object form (a plain table with a string key)? */
/* Does the table at vi have a string key (a JSON path's key)? */
static int has_string_key(lua_State *L, int vi) {
  int found = 0;
  if (!lua_istable(L, vi) || has_metatable(L, vi)) return 0;
  lua_pushnil(L);
  while (lua_next(L, vi)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) found = 1;
  }
  return found;
}

/* Op.and / Op.or over JSON path keys: { [Op.or] = { { a = 1 }, { b = 2 } } } or
 * { [Op.or] = { a = 1, b = 2 } } (Sequelize nests them inside a JSON attribute's object; its
 * Op.not there compares the column with the table's JSON text: refused here, as before) */
static int json_group_value(lua_State *L, int vi) {
  int k, n, r = 0;
  vi = lua_absindex(L, vi);
  if (!lua_istable(L, vi) || has_metatable(L, vi)) return 0;
  if (has_string_key(L, vi)) return 1;
  n = (int)sq_rawlen(L, vi);
  for (k = 1; k <= n && !r; k++) {
    lua_rawgeti(L, vi, k);
    r = has_string_key(L, lua_gettop(L));
    lua_pop(L, 1);
  }
  return r;
}

static int json_object_form(lua_State *L, int vi) {
  static const sq_op groups[] = {SQ_OP_AND, SQ_OP_OR};
  int k;
  vi = lua_absindex(L, vi);
  if (!lua_istable(L, vi) || has_metatable(L, vi)) return 0;
  if (has_string_key(L, vi)) return 1;
  for (k = 0; k < 2; k++) {
    int r;
    lua_pushlightuserdata(L, (void *)&op_tags[groups[k]]);
    lua_rawget(L, vi);
    r = json_group_value(L, -1);
    lua_pop(L, 1);
    if (r) return 1;
  }
  return 0;
}

/* The conditions of a where key on a JSON attribute: `meta = { ... }` (key NULL) or
 * ["meta.a.b"] = v (key the part after the attribute's name) */
static sq_where *json_where(ctx *c, const sq_attr *a, const char *key, size_t n, int vi) {
  const char *saved = c->label;
  sq_where *w;
  vi = lua_absindex(c->L, vi);
  c->label = a->name;
  if (key) w = json_key_cond(c, a, "$", key, n, vi);
  else {
    enter(c, "where");
    w = json_level(c, a, NULL, NULL, vi);
    c->depth--;
  }
  c->label = saved;
  return w;
}

/* A where table's own keys (raw: a metatable's __index adds none): attribute names,
 * "$include.column$", select aliases, a list part 1..n, and Op.and/or/not. */
static sq_where *parse_where_table(ctx *c, int i) {
  lua_State *L = c->L;
  int nkeys = 0, nlist = 0, len, k, njson = 0, nfield = 0;
  sq_where *w;
  modelbox *mb;
  i = lua_absindex(L, i);
  if ((mb = instance_model(L, i)))
    usage(L, c->db, "Invalid %s on %s: got a %s instance, expected a table of conditions", clause(c), c->m->name,
          mb->m->name);
  len = (int)sq_rawlen(L, i);
  lua_pushnil(L);
  while (lua_next(L, i)) {
    lua_pop(L, 1);
    nkeys++;
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      if (n > 2 && s[0] == '$' && s[n - 1] == '$') {
        char b[420];
        if (!include_attr_expr(c, s + 1, n - 2, NULL))
          usage(L, c->db, "Unknown included column '%s' in %s of model %s", shown(b, s, n), clause(c), c->m->name);
      } else if (!sq_model_attr(c->m, s, n) && !sel_alias(c, s, n)) {
        char b[420];
        if (sq_model_attr_by_field(c->m, s, n)) {
          nfield++; /* an attribute by its column's name */
          continue;
        }
        if (json_key_attr(c, s, n) && strlen(s) == n) njson++;
        else usage(L, c->db, "Unknown attribute '%s' in %s of model %s", shown(b, s, n), clause(c), c->m->name);
      }
    } else if (op_of(L, -1) >= 0) {
      int op = op_of(L, -1);
      if (op != SQ_OP_AND && op != SQ_OP_OR && op != SQ_OP_NOT && op != SQ_OP_NOTTREE)
        usage(L, c->db, "Invalid %s on %s: Op.%s must be inside an attribute's table", clause(c), c->m->name, op_names[op]);
    } else if (lua_type(L, -1) == LUA_TNUMBER) {
      /* list items: Sequelize.where(...) objects or nested where tables, keys 1..n */
      long long ik;
      if (!sq_isinteger(L, -1, &ik) || ik < 1 || ik > len) {
        lua_pushvalue(L, -1); /* (the key itself stays a number for lua_next) */
        usage(L, c->db, "Invalid %s on %s: key [%s] is not part of a list 1..n", clause(c), c->m->name, lua_tostring(L, -1));
      }
      nlist++;
    } else {
      usage(L, c->db, "Invalid %s on %s: unexpected key of type %s", clause(c), c->m->name, luaL_typename(L, -1));
    }
  }
  if (nlist != len) usage(L, c->db, "Invalid %s on %s: its list part has a hole", clause(c), c->m->name);
  w = new_node(c, SQ_W_AND, nkeys);
  /* attributes in column order, then list items, then Op.and/or/not: stable SQL text */
  for (k = 0; k < c->m->nattrs; k++) {
    sq_attr *a = c->m->attrs[k];
    int by;
    /* by its name, then by its column's (Sequelize: { first_name = ... } for firstName) */
    for (by = 0; by < (nfield ? 2 : 1); by++) {
      const char *key = by ? a->field : a->name;
      if (by && (!strcmp(a->field, a->name) || sq_model_attr(c->m, key, strlen(key)))) break;
      lua_pushstring(L, key);
      lua_rawget(L, i);
      if (!lua_isnil(L, -1)) {
        if (a->type.kind == SQ_T_JSON && json_object_form(L, -1)) add_kid(c, w, nkeys, json_where(c, a, NULL, 0, -1));
        else if (is_where_object(L, -1)) add_kid(c, w, nkeys, parse_where_expr(c, -1)); /* (its key ignored) */
        else add_kid(c, w, nkeys, parse_cond(c, attr_expr(c, a), a, -1));
      }
      lua_pop(L, 1);
    }
  }
  if (njson) { /* "meta.a.b" keys on JSON attributes, sorted (a stable SQL text) */
    const char **keys = xalloc(c, sizeof(char *) * (size_t)njson);
    int nk = 0;
    lua_pushnil(L);
    while (lua_next(L, i)) {
      size_t n;
      const char *ks;
      lua_pop(L, 1);
      if (lua_type(L, -1) != LUA_TSTRING) continue;
      ks = lua_tolstring(L, -1, &n);
      if (strlen(ks) != n || sq_model_attr(c->m, ks, n) || sel_alias(c, ks, n) || !json_key_attr(c, ks, n)) continue;
      if (nk < njson) keys[nk++] = ks; /* (alive: a key of the where table) */
    }
    qsort(keys, (size_t)nk, sizeof *keys, cmp_keys);
    for (k = 0; k < nk; k++) {
      size_t n = strlen(keys[k]);
      const char *dot = memchr(keys[k], '.', n);
      lua_pushstring(L, keys[k]);
      lua_rawget(L, i);
      add_kid(c, w, nkeys,
              json_where(c, json_key_attr(c, keys[k], n), dot + 1, n - (size_t)(dot - keys[k]) - 1, -1));
      lua_pop(L, 1);
    }
  }
  /* "$Posts.title$" keys: columns of included models */
  lua_pushnil(L);
  while (lua_next(L, i)) {
    size_t n;
    const char *ks;
    if (lua_type(L, -2) == LUA_TSTRING && (ks = lua_tolstring(L, -2, &n)) && n > 2 && ks[0] == '$' &&
        ks[n - 1] == '$') {
      const sq_attr *ia = NULL;
      sq_expr *x = include_attr_expr(c, ks + 1, n - 2, &ia);
      if (x) add_kid(c, w, nkeys, parse_cond(c, x, ia, -1));
    }
    lua_pop(L, 1);
  }
  if (c->sel) { /* select-list aliases (having) */
    for (k = 0; k < c->sel->ncols; k++) {
      const char *as = c->sel->cols[k].as;
      if (!as || sq_model_attr(c->m, as, strlen(as))) continue;
      lua_pushstring(L, as);
      lua_rawget(L, i);
      if (!lua_isnil(L, -1)) {
        sq_expr *x = new_expr(c, SQ_X_ALIAS);
        x->name = as;
        x->nlen = strlen(as);
        add_kid(c, w, nkeys, parse_cond(c, x, NULL, -1));
      }
      lua_pop(L, 1);
    }
  }
  for (k = 1; k <= len; k++) {
    lua_rawgeti(L, i, k);
    if (!lua_istable(L, -1)) /* ({ [1] = 1 }, { "name" }: a list in a where holds conditions) */
      usage(L, c->db, "Invalid %s on %s: item [%d] is a %s; the list part of a where holds conditions (tables or "
            "Sequelize.where / literal / and_ / or_), as in { { name = \"a\" }, { age = 1 } } (Sequelize: Support for "
            "literal replacements in the `where` object has been removed.)", clause(c), c->m->name,
            k, luaL_typename(L, -1));
    add_kid(c, w, nkeys, parse_where_any(c, -1));
    lua_pop(L, 1);
  }
  {
    static const sq_op tree_ops[] = {SQ_OP_AND, SQ_OP_OR, SQ_OP_NOT, SQ_OP_NOTTREE};
    for (k = 0; k < 4; k++) {
      lua_pushlightuserdata(L, (void *)&op_tags[tree_ops[k]]);
      lua_rawget(L, i);
      if (!lua_isnil(L, -1)) {
        if (tree_ops[k] == SQ_OP_AND) add_kid(c, w, nkeys, parse_group(c, -1, SQ_W_AND));
        else if (tree_ops[k] == SQ_OP_OR) add_kid(c, w, nkeys, parse_group(c, -1, SQ_W_OR));
        else {
          sq_where *n = new_node(c, SQ_W_NOT, 1);
          n->kids[n->nkids++] = parse_where_any(c, -1);
          add_kid(c, w, nkeys, n);
        }
      }
      lua_pop(L, 1);
    }
  }
  return w;
}

/* opts.where at stack index `opts` (0 or a table). */
sq_where *get_where(ctx *c, int opts) {
  lua_State *L = c->L;
  sq_where *w = NULL;
  if (!opts) return NULL;
  lua_getfield(L, opts, "where");
  if (!lua_isnil(L, -1)) w = parse_where_any(c, -1);
  lua_pop(L, 1);
  return w;
}

/* ------------------------------------------------------------------------- */
/* select options: attributes, order, group, having, limit, offset */

static const char *const order_dirs[] = {
  "ASC", "DESC", "ASC NULLS FIRST", "ASC NULLS LAST", "DESC NULLS FIRST", "DESC NULLS LAST",
  "NULLS FIRST", "NULLS LAST", NULL};

/* An order item's direction at i into o: a keyword checked against the list (the whole
 * string: "ASC\0..." is none), or a Sequelize.literal written as given (Sequelize's quote()
 * hands a literal on as it is) */
/* An order or group item { raw = "..." } (Sequelize 3's raw form): Sequelize's quote() raises
 * for a plain object whose raw is set (`_.isPlainObject(x) && x.raw`): so a plain table only
 * (no metamethod run: a model, an instance, an expression is no such item), read raw */
static void refuse_raw(ctx *c, int i) {
  lua_State *L = c->L;
  int has;
  if (!lua_istable(L, i)) return;
  i = lua_absindex(L, i);
  if (lua_getmetatable(L, i)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushliteral(L, "raw");
  lua_rawget(L, i);
  has = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (has)
    usage(L, c->db, "The `{raw: \"...\"}` syntax is no longer supported.  Use `sequelize.literal` instead. (on %s)", c->m->name);
}

static void set_dir(ctx *c, sq_order *o, int i) {
  size_t n = 0;
  const char *s = lua_tolstring(c->L, i, &n);
  int k;
  if (lua_type(c->L, i) == LUA_TSTRING) {
    for (k = 0; order_dirs[k]; k++)
      if (n == strlen(order_dirs[k]) && !strcasecmp(s, order_dirs[k])) { o->dir = order_dirs[k]; return; }
  } else if (is_expr_kind(c->L, i, "literal")) {
    o->dir_lit = parse_expr(c, i, "order");
    return;
  }
  refuse_raw(c, i); /* ({ "name", { raw = "..." } }: Sequelize's quote() of the item raises so) */
  usage(c->L, c->db, "Invalid order direction on %s: '%.100s' (expected ASC, DESC, a NULLS FIRST/LAST form or a "
        "Sequelize.literal)", c->m->name, s ? s : luaL_typename(c->L, i));
}

static void add_col(ctx *c, sq_select *s, int *cap, sq_expr *x, const char *as, int attr) {
  if (s->ncols == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    sq_selcol *p = xalloc(c, sizeof *p * (size_t)nc);
    if (s->ncols) memcpy(p, s->cols, sizeof *p * (size_t)s->ncols);
    s->cols = p;
    *cap = nc;
  }
  s->cols[s->ncols].expr = x;
  s->cols[s->ncols].as = as;
  s->cols[s->ncols].attr = attr;
  s->cols[s->ncols].hidden = 0;
  s->cols[s->ncols].vtype = NULL;
  s->ncols++;
}

static void add_attr_col(ctx *c, sq_select *s, int *cap, const sq_attr *a) {
  add_col(c, s, cap, attr_expr(c, a), strcmp(a->field, a->name) ? a->name : NULL, a->index);
}

/* The key a Sequelize.json(...) at i without an alias is read under: Sequelize's SQL text of
 * it, json_extract(`meta`,'$.a[0]') (the column as the path names it, the path inlined with
 * its quotes doubled), while the SQL binds the path */
static const char *json_key_text(ctx *c, int i) {
  lua_State *L = c->L;
  size_t cn, pn, k, n = 0;
  const char *col, *path;
  char *out;
  lua_getfield(L, i, "col");
  lua_getfield(L, i, "path");
  col = lua_tolstring(L, -2, &cn);
  path = lua_tolstring(L, -1, &pn);
  lua_pop(L, 2); /* (the strings stay alive in the object) */
  if (!col || !path) usage(L, c->db, "malformed Sequelize.json object in attributes");
  if (cn > 4096 || pn > 65536) usage(L, c->db, "Invalid attributes item on %s: a Sequelize.json path too long", c->m->name);
  out = xalloc(c, sizeof("json_extract(``,'')") + cn + 2 * pn);
  memcpy(out, "json_extract(`", 14);
  n = 14;
  memcpy(out + n, col, cn);
  n += cn;
  memcpy(out + n, "`,'", 3);
  n += 3;
  for (k = 0; k < pn; k++) {
    if (path[k] == '\'') out[n++] = '\'';
    out[n++] = path[k];
  }
  memcpy(out + n, "')", 3); /* (with its NUL) */
  return out;
}

/* The key an expression without an alias (a Sequelize.fn) is read under when it holds values:
 * Sequelize's SQL text of it, its values written as literals (substr(`title`, 1, 1)), where the
 * bound statement's column would be named substr(`title`, ?, ?). NULL when the two texts are
 * the same (no value in it): SQLite names the column by the text. Rendered on local binds, so
 * the statement's own (and its positional replacements) are untouched. */
static const char *expr_key_text(ctx *c, const sq_expr *x) {
  sq_buf lit, bound;
  sq_binds lb, bb;
  const char *key = NULL;
  int rc;
  sq_buf_init(&lit);
  sq_buf_init(&bound);
  sq_binds_init(&lb, c->arena);
  sq_binds_init(&bb, c->arena);
  lb.literal = 1;
  rc = sq_sql_expr(c->db, &lit, &lb, x);
  if (!rc) rc = sq_sql_expr(c->db, &bound, &bb, x);
  if (!rc && (lit.oom || bound.oom)) rc = sq_err_oom(c->db);
  if (!rc && (lit.len != bound.len || memcmp(sq_buf_cstr(&lit), sq_buf_cstr(&bound), lit.len))) {
    char *p = xalloc(c, lit.len + 1);
    memcpy(p, sq_buf_cstr(&lit), lit.len + 1);
    key = p;
  }
  sq_buf_free(&lit);
  sq_buf_free(&bound);
  if (rc) raise_db(c->L, c->db);
  return key;
}

/* One item of an attributes list: "name", { "name", "alias" }, { fn(...), "alias" }. */
/* An include's literal without an alias whose text ends in ` AS "<path>.<name>"` (or
 * backquoted, AS in any case), <path> the include's (c->inc_path): <name>, the literal x
 * shortened to the text before the AS (written AS `<path>.<name>` again, as every include
 * column is); else NULL. */
static const char *include_literal_as(ctx *c, sq_expr *x) {
  const char *t = x->name, *e, *q, *a;
  size_t n = x->nlen, pl;
  char quote;
  if (!c->inc_path || !t) return NULL;
  pl = strlen(c->inc_path);
  while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n' || t[n - 1] == '\r')) n--;
  if (n < 2) return NULL;
  quote = t[n - 1];
  if (quote != '"' && quote != '`') return NULL;
  e = t + n - 1; /* the closing quote */
  for (q = e - 1; q >= t && *q != quote; q--) ;
  if (q < t) return NULL; /* q: the opening quote */
  /* "<path>.<name>", name not empty */
  if ((size_t)(e - q - 1) <= pl + 1 || memcmp(q + 1, c->inc_path, pl) || q[1 + pl] != '.') return NULL;
  for (a = q - 1; a >= t && (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'); a--) ;
  if (a < t + 2 || a == q - 1 || (a[0] != 's' && a[0] != 'S') || (a[-1] != 'a' && a[-1] != 'A')) return NULL;
  if (a - 2 < t || !(a[-2] == ' ' || a[-2] == '\t' || a[-2] == '\n' || a[-2] == '\r' || a[-2] == ')')) return NULL;
  {
    size_t nl = (size_t)(e - q - 1) - pl - 1;
    char *name = xalloc(c, nl + 1);
    memcpy(name, q + 2 + pl, nl);
    name[nl] = 0;
    if (memchr(name, quote, nl) || memchr(name, '.', nl)) return NULL; /* (a dot: a nested include's key) */
    for (a = a - 2; a >= t && (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'); a--) ;
    if (a < t) return NULL; /* (nothing before the AS) */
    x->nlen = (size_t)(a + 1 - t); /* (the text before the AS, its trailing blanks left out) */
    return name;
  }
}

static void attr_item(ctx *c, sq_select *s, int *cap, int i) {
  lua_State *L = c->L;
  i = lua_absindex(L, i);
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t n;
    const char *nm = lua_tolstring(L, i, &n);
    const sq_attr *a = sq_model_attr(c->m, nm, n);
    if (!a && (a = sq_model_attr_by_field(c->m, nm, n)) != NULL) {
      /* a column named by its own name (first_name for firstName): read under that name, as
       * Sequelize selects it as it is given (row.first_name, not row.firstName), its value
       * typed by the attribute's type (Sequelize parses it by the column's: a DATE, JSON) */
      add_col(c, s, cap, attr_expr(c, a), a->field, -1);
      s->cols[s->ncols - 1].vtype = a;
      return;
    }
    add_attr_col(c, s, cap, find_attr(c, nm, n, "attributes"));
    return;
  }
  if (lua_istable(L, i) && !is_expr(L, i)) {
    const char *as;
    sq_expr *x;
    if (sq_rawlen(L, i) != 2) /* (Sequelize's words, for any length but 2: its ['username'] too) */
      usage(L, c->db, "Invalid attributes item on %s: a list of %d item%s is not a valid attribute definition. "
            "Please use the following format: { 'attribute definition', 'alias' }", c->m->name,
            (int)sq_rawlen(L, i), sq_rawlen(L, i) == 1 ? "" : "s");
    lua_rawgeti(L, i, 2);
    if (lua_type(L, -1) != LUA_TSTRING) /* (a number would become a string only the stack holds) */
      usage(L, c->db, "Invalid attributes item on %s: expected { column, \"alias\" }, got an alias of type %s",
            c->m->name, luaL_typename(L, -1));
    as = lua_tostring(L, -1); /* the item table holds it */
    lua_pop(L, 1);
    lua_rawgeti(L, i, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *nm = lua_tolstring(L, -1, &n);
      x = attr_expr(c, find_attr(c, nm, n, "attributes"));
    } else if (is_expr(L, -1)) {
      x = parse_expr(c, -1, "attributes");
    } else {
      usage(L, c->db, "Invalid attributes item on %s: expected a column name or Sequelize.fn/col/literal",
            c->m->name);
      return;
    }
    lua_pop(L, 1);
    {
      const sq_attr *same = (x->kind == SQ_X_ATTR && !strcmp(x->attr->name, as)) ? x->attr : NULL;
      if (same) {
        add_col(c, s, cap, x, !strcmp(same->field, same->name) ? NULL : as, same->index);
      } else {
        /* under an attribute's name it is that attribute's value, typed as it (Sequelize types a
         * selected value by its key: `MAX(`born`) AS `born`` reads as a date, a BOOLEAN's as true/false) */
        const sq_attr *named = sq_model_attr(c->m, as, strlen(as));
        add_col(c, s, cap, x, as, named ? named->index : -1);
      }
    }
    return;
  }
  if (is_expr(L, i)) {
    sq_expr *x = parse_expr(c, i, "attributes");
    if (x->kind == SQ_X_ATTR) {
      const char *nm;
      lua_getfield(L, i, "col");
      nm = lua_tostring(L, -1); /* (the object holds it) */
      lua_pop(L, 1);
      if (nm && strcmp(nm, x->attr->name) != 0) {
        /* Sequelize.col naming a column (first_name for firstName): read under that name, as
         * Sequelize selects `first_name` (row.first_name), as the string "first_name" does */
        add_col(c, s, cap, x, x->attr->field, -1);
        s->cols[s->ncols - 1].vtype = x->attr;
        return;
      }
      add_attr_col(c, s, cap, x->attr);
      return;
    }
    /* without an alias: read under the name SQLite gives the column, the expression's own
     * text (Sequelize's key: "count(`id`)"); an include's columns need one (their keys are
     * "Alias.name") */
    if (!c->sel) {
      /* an include's literal naming its own column, `EXISTS(SELECT 1) AS "Posts.flag"`: read
       * as { literal("EXISTS(SELECT 1)"), "flag" }, as Sequelize reads the row's "Posts.flag" */
      const char *as = x->kind == SQ_X_LITERAL ? include_literal_as(c, x) : NULL;
      if (!as)
        usage(L, c->db, "Invalid attributes item on %s: a Sequelize.fn/literal of an include needs an alias: "
              "{ expr, \"alias\" } (or a literal ending in AS \"%s.<name>\")", c->m->name,
              c->inc_path ? c->inc_path : "?");
      {
        const sq_attr *named = sq_model_attr(c->m, as, strlen(as));
        add_col(c, s, cap, x, as, named ? named->index : -1);
      }
      return;
    }
    add_col(c, s, cap, x, x->kind == SQ_X_JSON ? json_key_text(c, i) : expr_key_text(c, x), -1);
    return;
  }
  usage(L, c->db, "Invalid attributes item on %s: got %s", c->m->name, luaL_typename(L, i));
}

static int list_has(lua_State *L, int list, const char *name) {
  int k, n = (int)sq_rawlen(L, list);
  for (k = 1; k <= n; k++) {
    int same;
    lua_rawgeti(L, list, k);
    same = lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), name);
    lua_pop(L, 1);
    if (same) return 1;
  }
  return 0;
}

static void parse_attributes(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int cap = 0, k, top;
  const char *saved = c->qual;
  c->qual = s->qualify || s->thr ? s->alias : NULL;
  if (opts) lua_getfield(L, opts, "attributes");
  else lua_pushnil(L);
  top = lua_gettop(L);
  if (lua_isnil(L, top)) {
    for (k = 0; k < c->m->nattrs; k++) add_attr_col(c, s, &cap, c->m->attrs[k]);
  } else if (lua_istable(L, top) && !is_expr(L, top)) {
    int ex, in;
    lua_getfield(L, top, "exclude");
    ex = lua_gettop(L);
    lua_getfield(L, top, "include");
    in = lua_gettop(L);
    if (!lua_isnil(L, ex) || !lua_isnil(L, in)) {
      if (sq_rawlen(L, top) > 0) /* (Sequelize's array with an exclude property selects the list alone) */
        usage(L, c->db, "Invalid attributes on %s: a list of names with %s beside it; give the list, or { exclude = ... } "
              "/ { include = ... } without list items", c->m->name, !lua_isnil(L, ex) ? "exclude" : "include");
      if (!lua_isnil(L, ex)) {
        int n = lua_istable(L, ex) ? list_len(c, ex, "attributes.exclude") : -1;
        if (n < 0) usage(L, c->db, "attributes.exclude on %s must be a list", c->m->name);
        for (k = 1; k <= n; k++) {
          size_t len;
          const char *nm;
          lua_rawgeti(L, ex, k);
          nm = lua_tolstring(L, -1, &len);
          if (!nm) usage(L, c->db, "attributes.exclude on %s must list attribute names", c->m->name);
          if (!sq_model_attr(c->m, nm, len)) { /* (attribute names only, as Sequelize's) */
            char b[420];
            usage(L, c->db, "Unknown attribute '%s' in attributes.exclude of model %s", shown(b, nm, len), c->m->name);
          }
          lua_pop(L, 1);
        }
      }
      for (k = 0; k < c->m->nattrs; k++) {
        if (!lua_isnil(L, ex) && list_has(L, ex, c->m->attrs[k]->name)) continue;
        add_attr_col(c, s, &cap, c->m->attrs[k]);
      }
      if (!lua_isnil(L, in)) {
        int n = lua_istable(L, in) ? list_len(c, in, "attributes.include") : -1;
        if (n < 0) usage(L, c->db, "attributes.include on %s must be a list", c->m->name);
        for (k = 1; k <= n; k++) {
          lua_rawgeti(L, in, k);
          attr_item(c, s, &cap, -1);
          lua_pop(L, 1);
        }
      }
    } else {
      int n = list_len(c, top, "attributes");
      for (k = 1; k <= n; k++) {
        lua_rawgeti(L, top, k);
        attr_item(c, s, &cap, -1);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);
  } else {
    /* Sequelize's QueryError, its message first */
    sq_err_set(c->db, SQ_E_QUERY, "The attributes option must be an array of column names or an object "
               "(attributes on %s: expected a list or { exclude = ..., include = ... }, got %s)",
               c->m->name, luaL_typename(L, -1));
    raise_db(L, c->db);
  }
  lua_pop(L, 1);
  c->qual = saved;
}

static sq_expr *column_target(ctx *c, int i, const char *what) {
  lua_State *L = c->L;
  refuse_raw(c, i);
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, i, &n);
    return name_expr(c, s, n, what);
  }
  if (is_expr(L, i)) return parse_expr(c, i, what);
  usage(L, c->db, "Invalid %s on %s: expected a column name, got %s", what, c->m->name, luaL_typename(L, i));
  return NULL;
}

/* An order name "meta.a.b" of model m (its columns qualified by qual): the value at that
 * path of its JSON attribute, as Sequelize orders by json_extract(`Model`.`meta`, '$.a.b');
 * NULL when the name has no dot or its first part is no attribute of m. */
static sq_expr *order_json(ctx *c, const sq_model *m, const char *qual, const char *s, size_t n) {
  const char *dot = memchr(s, '.', n), *path;
  sq_model *saved = c->m;
  sq_attr *a;
  sq_expr *col;
  if (!dot || strlen(s) != n) return NULL;
  a = sq_model_attr(m, s, (size_t)(dot - s));
  if (!a) return NULL;
  if (a->type.kind != SQ_T_JSON)
    usage(c->L, c->db, "Invalid order on %s.%s: '%.*s' is a JSON path, and %s is not a JSON attribute", m->name,
          a->name, (int)(n > 200 ? 200 : n), s, a->name);
  c->m = (sq_model *)m; /* (the path's errors name the model it belongs to) */
  path = json_path_add(c, a, "$", dot + 1, n - (size_t)(dot - s) - 1, "order");
  c->m = saved;
  col = new_expr(c, SQ_X_ATTR);
  col->attr = a;
  col->qual = qual;
  return json_extract_expr(c, col, path, strlen(path));
}

/* *inc is set when the item is an included model's column (it orders the joined rows, not
 * the page of parents) */
static sq_expr *order_target(ctx *c, int i, int *inc) {
  if (lua_type(c->L, i) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(c->L, i, &n);
    sq_expr *x = sq_model_attr(c->m, s, n) ? NULL : order_json(c, c->m, c->qual, s, n);
    if (x) return x;
  } else if (c->sel && is_expr(c->L, i)) {
    /* Sequelize.col("a") where the select reads a column under the alias `a`: that column, as
     * SQLite's ORDER BY `a` takes an alias before a column (Sequelize's findAll reads an
     * attribute a of column b as `b` AS `a`, so col("a") orders by b); a where or group takes
     * the column a */
    size_t n;
    const char *s;
    sq_expr *x;
    int k;
    lua_getfield(c->L, i, "kind");
    lua_getfield(c->L, i, "col");
    s = lua_tostring(c->L, -2) && !strcmp(lua_tostring(c->L, -2), "col") ? lua_tolstring(c->L, -1, &n) : NULL;
    lua_pop(c->L, 2); /* (the object holds the string) */
    for (k = 0; s && k < c->sel->ncols; k++) {
      const char *as = c->sel->cols[k].as;
      const sq_expr *cx = c->sel->cols[k].expr;
      if (!as || strlen(as) != n || memcmp(as, s, n)) continue;
      if (cx && cx->kind == SQ_X_ATTR) {
        /* that column with its own table: an include's is read as `author`.`age` AS
         * `author.age`, so col("author.age") orders by it, as Sequelize writes it */
        x = attr_expr(c, cx->attr);
        if (cx->qual && (!c->qual || strcmp(cx->qual, c->qual))) {
          x->qual = cx->qual;
          *inc = 1;
        }
        return x;
      }
      x = new_expr(c, SQ_X_ALIAS);
      x->name = as;
      x->nlen = n;
      return x;
    }
  }
  return column_target(c, i, "order");
}

static const sq_model *ref_model(const sq_select *sel, const char *s, size_t n, int root, const char **qual);
static sq_attr *ref_attr(const sq_model *m, const char *s, size_t n);

/* The keys of the table at i that are not its list's items, as Lua source
 * (`{ name = "DESC" }`), for an order or group given as a keyed table */
static const char *other_keys(lua_State *L, int i, char *b, size_t bn) {
  size_t o = 0, len = sq_rawlen(L, i);
  int shown_n = 0;
  i = lua_absindex(L, i);
  o += (size_t)snprintf(b + o, bn - o, "{");
  lua_pushnil(L);
  while (lua_next(L, i)) {
    char kb[420], vb[420];
    const char *k, *v;
    size_t kl, vl;
    if (lua_type(L, -2) == LUA_TNUMBER) {
      lua_Number x = lua_tonumber(L, -2);
      if (x >= 1 && x <= (lua_Number)len && x == (lua_Number)(long long)x) { lua_pop(L, 1); continue; }
    }
    if (o + 8 >= bn || shown_n == 3) { /* (a few keys are enough to say what is wrong) */
      o += (size_t)snprintf(b + o, bn - o, " ...");
      lua_pop(L, 2);
      break;
    }
    if (lua_type(L, -2) == LUA_TSTRING) {
      k = lua_tolstring(L, -2, &kl);
      k = shown(kb, k, kl > 40 ? 40 : kl);
    } else if (lua_type(L, -2) == LUA_TNUMBER) {
      snprintf(kb, sizeof kb, "[%.17g]", (double)lua_tonumber(L, -2));
      k = kb;
    } else {
      k = luaL_typename(L, -2);
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
      v = lua_tolstring(L, -1, &vl);
      v = shown(vb, v, vl > 40 ? 40 : vl);
      o += (size_t)snprintf(b + o, bn - o, "%s %s = \"%s\"", shown_n ? "," : "", k, v);
    } else if (lua_type(L, -1) == LUA_TBOOLEAN || lua_type(L, -1) == LUA_TNUMBER) {
      if (lua_type(L, -1) == LUA_TBOOLEAN) v = lua_toboolean(L, -1) ? "true" : "false";
      else { snprintf(vb, sizeof vb, "%.17g", (double)lua_tonumber(L, -1)); v = vb; }
      o += (size_t)snprintf(b + o, bn - o, "%s %s = %s", shown_n ? "," : "", k, v);
    } else {
      o += (size_t)snprintf(b + o, bn - o, "%s %s = <%s>", shown_n ? "," : "", k, luaL_typename(L, -1));
    }
    if (o >= bn) o = bn - 1;
    shown_n++;
    lua_pop(L, 1);
  }
  if (o + 3 < bn) snprintf(b + o, bn - o, " }");
  return b;
}

static void parse_order(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int top, n, k;
  lua_getfield(L, opts, "order");
  top = lua_gettop(L);
  if (lua_isnil(L, top)) { lua_pop(L, 1); return; }
  if (lua_type(L, top) == LUA_TSTRING || is_expr(L, top)) {
    s->order = xalloc(c, sizeof *s->order);
    s->order[0].expr = order_target(c, top, &s->order[0].inc);
    s->norder = 1;
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, top)) usage(L, c->db, "Invalid order on %s: expected a list", c->m->name);
  if (!is_sequence(L, top)) { /* (a keyed table: Sequelize raises, a Lua reader would drop the keys) */
    char b[600];
    usage(L, c->db, "Order must be type of array or instance of a valid sequelize method. (order on %s: expected a list "
          "such as { { \"name\", \"DESC\" } }, got a table with other keys: %s)", c->m->name, other_keys(L, top, b, sizeof b));
  }
  n = (int)sq_rawlen(L, top);
  s->order = xalloc(c, sizeof *s->order * (size_t)(n ? n : 1));
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, top, k);
    refuse_raw(c, lua_gettop(L));
    if (lua_istable(L, -1) && !is_expr(L, -1) && sq_rawlen(L, -1) >= 2 && c->sel && c->sel->ninc) {
      /* { "Posts", "title" [, dir] } (the Lua layer turns models into alias paths) */
      int item = lua_gettop(L), m = (int)sq_rawlen(L, item);
      const char *p1, *p2;
      lua_rawgeti(L, item, 1);
      lua_rawgeti(L, item, 2);
      p1 = lua_tostring(L, -2);
      p2 = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      const char *qual = NULL;
      int is_col = 0; /* { Post, Sequelize.col("title"), dir }: that column, `Posts`.`title` (Sequelize) */
      const sq_model *im;
      refuse_raw(c, lua_gettop(L)); /* ({ "Posts", { raw = "..." } }: Sequelize raises so) */
      im = p1 && (p2 || is_expr(L, -1)) ? ref_model(c->sel, p1, strlen(p1), 0, &qual) : NULL;
      if (im && !p2) {
        lua_getfield(L, -1, "kind");
        lua_getfield(L, -2, "col");
        if (lua_tostring(L, -2) && !strcmp(lua_tostring(L, -2), "col") && lua_type(L, -1) == LUA_TSTRING) {
          p2 = lua_tostring(L, -1); /* (the col object, in the item, holds the string) */
          is_col = 1;
        }
        lua_pop(L, 2);
        if (!p2)
          usage(L, c->db, "Invalid order item on %s: the column of the included %s ('%s') must be an attribute name "
                "or Sequelize.col(name)", c->m->name, im->name, p1);
      }
      if (im) { /* an include's column, or an n:m include's through column ("projects.UserProject") */
        sq_attr *ia = ref_attr(im, p2, strlen(p2));
        /* (a col names a column: no JSON path in it) */
        sq_expr *x = ia || is_col ? NULL : order_json(c, im, qual, p2, strlen(p2));
        if (!ia && !x) usage(L, c->db, "Unknown attribute '%s' of %s in order", p2, im->name);
        if (!x) {
          x = new_expr(c, SQ_X_ATTR);
          x->attr = ia;
          x->qual = qual;
        }
        s->order[s->norder].expr = x;
        s->order[s->norder].inc = 1;
        lua_pop(L, 2);
        if (m > 3) /* (Sequelize writes every item into the ORDER BY: a syntax error there) */
          usage(L, c->db, "Invalid order item on %s: an item after the direction of the included %s's column '%s' "
                "(expected { alias, column, direction })", c->m->name, im->name, p2);
        if (m >= 3) {
          lua_rawgeti(L, item, 3);
          set_dir(c, &s->order[s->norder], lua_gettop(L));
          lua_pop(L, 1);
        }
        s->norder++;
        lua_pop(L, 1);
        continue;
      }
      lua_pop(L, 2);
    }
    if (lua_istable(L, -1) && !is_expr(L, -1)) {
      int m = (int)sq_rawlen(L, -1);
      if (m >= 1 && !is_sequence(L, -1)) {
        char b[600];
        usage(L, c->db, "Unknown structure passed to order / group: %s (order item on %s: expected { column, direction })",
              other_keys(L, -1, b, sizeof b), c->m->name);
      }
      if (m > 2) { /* { "Posts", "title", dir }: a path through includes that names none */
        const char *p1;
        lua_rawgeti(L, -1, 1);
        p1 = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (p1 && sq_model_assoc(c->m, p1))
          usage(L, c->db, "Invalid order item on %s: '%s' is an association that is not included (include it to order "
                "by its columns)", c->m->name, p1);
        if (p1)
          usage(L, c->db, "Invalid order item on %s: '%s' is no included model's alias (expected { column, direction } "
                "or { alias, column, direction })", c->m->name, p1);
      }
      if (m < 1 || m > 2) usage(L, c->db, "Invalid order item on %s: expected { column, direction }", c->m->name);
      lua_rawgeti(L, -1, 1);
      s->order[s->norder].expr = order_target(c, lua_gettop(L), &s->order[s->norder].inc);
      lua_pop(L, 1);
      if (m == 2) {
        lua_rawgeti(L, -1, 2);
        set_dir(c, &s->order[s->norder], lua_gettop(L));
        lua_pop(L, 1);
      }
    } else {
      s->order[s->norder].expr = order_target(c, lua_gettop(L), &s->order[s->norder].inc);
    }
    s->norder++;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void parse_group_by(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int top, n, k;
  lua_getfield(L, opts, "group");
  top = lua_gettop(L);
  if (lua_isnil(L, top)) { lua_pop(L, 1); return; }
  if (lua_type(L, top) == LUA_TSTRING || is_expr(L, top)) {
    s->group = xalloc(c, sizeof(sq_expr *));
    s->group[0] = column_target(c, top, "group");
    s->ngroup = 1;
  } else if (lua_istable(L, top)) {
    refuse_raw(c, top);
    if (!is_sequence(L, top)) { /* (a keyed table: Sequelize raises, a Lua reader would drop the keys) */
      char b[600];
      usage(L, c->db, "Unknown structure passed to order / group: %s (group on %s: expected a column name or a list)",
            other_keys(L, top, b, sizeof b), c->m->name);
    }
    n = (int)sq_rawlen(L, top);
    s->group = xalloc(c, sizeof(sq_expr *) * (size_t)(n ? n : 1));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, top, k);
      refuse_raw(c, lua_gettop(L));
      if (lua_istable(L, -1) && !is_expr(L, -1) && is_sequence(L, -1) && sq_rawlen(L, -1) > 0) {
        /* a list in the list ({ { "name" } }, deprecated): its first item, as Sequelize's
         * aliasGrouping takes field[0] */
        lua_rawgeti(L, -1, 1);
        lua_replace(L, -2);
      }
      s->group[s->ngroup++] = column_target(c, lua_gettop(L), "group");
      lua_pop(L, 1);
    }
  } else {
    usage(L, c->db, "Invalid group on %s: expected a column name or a list", c->m->name);
  }
  lua_pop(L, 1);
}

long long opt_count(ctx *c, int opts, const char *key) {
  lua_State *L = c->L;
  long long v = -1;
  lua_getfield(L, opts, key);
  if (lua_type(L, -1) == LUA_TSTRING) {
    /* digits, as a query string's argument gives them (Sequelize writes the string itself) */
    size_t n, i;
    const char *s = lua_tolstring(L, -1, &n);
    for (i = 0, v = 0; i < n && i < 18 && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (s[i] - '0');
    if (n == 0 || i != n)
      usage(L, c->db, "Invalid %s on %s: expected a non-negative integer, got the string '%s'", key, c->m->name,
            n > 40 ? "(long)" : s);
  } else if (!lua_isnil(L, -1) && !is_null(L, -1)) { /* (null: none, as Sequelize's) */
    if (!sq_isinteger(L, -1, &v) || v < 0)
      usage(L, c->db, "Invalid %s on %s: expected a non-negative integer, got %s", key, c->m->name,
            luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  return v;
}

/* ------------------------------------------------------------------------- */
/* includes: opts.include arrives normalised by the Lua layer as a list of
 * { as = alias, attributes, where, required, include = {...}, through = {...} } */

static char *arena_join(ctx *c, const char *a, const char *sep, const char *b) {
  size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
  char *p = xalloc(c, na + ns + nb + 1);
  memcpy(p, a, na);
  memcpy(p + na, sep, ns);
  memcpy(p + na + ns, b, nb + 1);
  return p;
}

/* Append the columns of `m` chosen by node.attributes (all by default) to the select
 * list, qualified by `alias` and named "<path>.<attr>". Returns the first index. */
static int add_include_cols(ctx *c, sq_select *s, int *cap, const sq_model *m, const char *alias,
                            const char *path, int node, const char *field, sq_include *keys_of) {
  lua_State *L = c->L;
  sq_select tmp;
  sq_model *saved_m = c->m;
  sq_select *saved_sel = c->sel;
  int col0 = s->ncols, k, tcap = 0;
  memset(&tmp, 0, sizeof tmp);
  tmp.model = m;
  tmp.alias = alias;
  tmp.qualify = 1;
  const char *saved_path = c->inc_path;
  c->m = (sq_model *)m;
  c->sel = NULL;
  c->inc_path = path;
  if (node) {
    lua_getfield(L, node, field);
    if (lua_istable(L, -1)) {
      /* parse_attributes reads `attributes` from a table: wrap */
      lua_createtable(L, 0, 1);
      lua_pushvalue(L, -2);
      lua_setfield(L, -2, "attributes");
      parse_attributes(c, &tmp, lua_gettop(L));
      lua_pop(L, 1);
    } else {
      parse_attributes(c, &tmp, 0);
    }
    lua_pop(L, 1);
  } else {
    parse_attributes(c, &tmp, 0);
  }
  (void)tcap;
  c->m = saved_m;
  c->sel = saved_sel;
  c->inc_path = saved_path;
  for (k = 0; k < tmp.ncols; k++) {
    const sq_selcol *tc = &tmp.cols[k];
    const char *name = tc->as ? tc->as : (tc->attr >= 0 ? m->attrs[tc->attr]->name : "?");
    add_col(c, s, cap, tc->expr, arena_join(c, path, ".", name), tc->attr);
    s->cols[s->ncols - 1].vtype = tc->vtype;
  }
  if (keys_of) {
    /* rows are merged on the primary key: each of its columns is selected, hidden when
     * it was not asked for */
    int *pk = xalloc(c, sizeof(int) * (size_t)(m->npk ? m->npk : 1)), n = 0, q;
    for (k = 0; k < m->nattrs; k++) {
      int at = -1;
      if (!m->attrs[k]->pk) continue;
      for (q = col0; q < s->ncols && at < 0; q++)
        if (s->cols[q].attr == k) at = q;
      if (at < 0 && c->nokeys) continue; /* (raw or DISTINCT rows: not merged) */
      if (at < 0) {
        sq_expr *x = new_expr(c, SQ_X_ATTR);
        x->attr = m->attrs[k];
        x->qual = alias;
        add_col(c, s, cap, x, arena_join(c, path, ".", m->attrs[k]->name), k);
        s->cols[s->ncols - 1].hidden = 1;
        at = s->ncols - 1;
      }
      pk[n++] = at;
    }
    if (n < m->npk) n = 0; /* (a key not selected whole merges nothing) */
    keys_of->pkcols = pk;
    keys_of->npkcols = n;
    keys_of->pkcol = n ? pk[0] : -1;
  }
  return col0;
}

/* opts.vshow (the Lua layer's { name = true } of the VIRTUAL attributes an attribute list
 * named) into names in the arena, or NULL */
static sq_names *parse_vshow(ctx *c, int t) {
  lua_State *L = c->L;
  sq_names *ns;
  int n = 0, k = 0;
  if (!t) return NULL;
  lua_getfield(L, t, "vshow");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return NULL;
  }
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    n++;
    lua_pop(L, 1);
  }
  ns = xalloc(c, sizeof *ns);
  ns->v = xalloc(c, sizeof *ns->v * (size_t)(n ? n : 1));
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    size_t len;
    const char *nm = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &len) : NULL;
    if (nm && k < n) {
      char *copy = xalloc(c, len + 1); /* (xalloc raises on failure) */
      memcpy(copy, nm, len);
      copy[len] = '\0';
      ns->v[k++] = copy;
    }
    lua_pop(L, 1);
  }
  ns->n = k;
  lua_pop(L, 1);
  return ns;
}

static sq_include *parse_include(ctx *c, sq_select *s, int *cap, const sq_model *parent, const char *palias,
                                 const char *ppath, int node) {
  lua_State *L = c->L;
  if (c->depth > SQ_MAX_NESTING || !lua_checkstack(L, 16))
    usage(L, c->db, "Invalid include on %s: nested deeper than %d levels", parent->name, SQ_MAX_NESTING);
  const char *as;
  const sq_assoc *a;
  sq_include *in;
  sq_model *saved_m = c->m;
  const char *saved_q = c->qual;
  sq_select *saved_sel = c->sel;
  char *path;
  node = lua_absindex(L, node);
  lua_getfield(L, node, "as");
  as = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (!as) usage(L, c->db, "include on %s: an include needs an association alias", parent->name);
  a = sq_model_assoc(parent, as);
  if (!a) usage(L, c->db, "Association with alias \"%s\" does not exist on %s", as, parent->name);
  in = xalloc(c, sizeof *in);
  in->assoc = a;
  in->model = a->target;
  in->palias = palias;
  in->alias = ppath ? arena_join(c, palias, "->", as) : as;
  path = ppath ? arena_join(c, ppath, ".", as) : (char *)as;
  in->required = opt_bool(L, node, "required");
  in->or_where = opt_bool(L, node, "or");
  in->own_attrs = opt_bool(L, node, "own_attrs");
  lua_getfield(L, node, "duplicating");
  in->nodup = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  lua_pop(L, 1);
  in->vshow = parse_vshow(c, node);
  in->col0 = add_include_cols(c, s, cap, a->target, in->alias, path, node, "attributes", in);
  in->ncols = s->ncols - in->col0;
  lua_getfield(L, node, "hide");
  if (lua_istable(L, -1)) {
    /* node.hide: { name = true } of the attributes a model scope's list added to the
     * include's own, selected and in raw rows, not in the instances (Sequelize builds
     * them from the include's own list, its originalAttributes) */
    int q;
    size_t pl = strlen(path);
    for (q = in->col0; q < s->ncols; q++) {
      sq_selcol *sc = &s->cols[q];
      const char *nm;
      if (sc->attr < 0 || sc->hidden || !sc->as) continue;
      nm = a->target->attrs[sc->attr]->name;
      /* (a column under its own name, "<path>.<attr>", not one the list renamed) */
      if (strncmp(sc->as, path, pl) || sc->as[pl] != '.' || strcmp(sc->as + pl + 1, nm)) continue;
      lua_getfield(L, -1, nm);
      if (lua_toboolean(L, -1)) sc->hidden = 2;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (a->kind == SQ_BELONGS_TO_MANY) {
    int tnode = 0;
    const char *tpath;
    lua_getfield(L, node, "through");
    if (lua_istable(L, -1)) tnode = lua_gettop(L);
    in->tas = a->through->name;
    if (tnode) { /* through.as: the join row's alias (Sequelize: `Projects->myProject`, project.myProject) */
      lua_getfield(L, tnode, "as");
      if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING)
          usage(L, c->db, "include on %s: %s's through.as must be a name (a string without '.'), got %s",
                parent->name, as, luaL_typename(L, -1));
        if (!*lua_tostring(L, -1) || strchr(lua_tostring(L, -1), '.'))
          usage(L, c->db, "include on %s: %s's through.as must be a name (a string without '.'), got \"%s\"",
                parent->name, as, lua_tostring(L, -1));
        in->tas = arena_join(c, lua_tostring(L, -1), "", "");
      }
      lua_pop(L, 1);
    }
    tpath = arena_join(c, path, ".", in->tas);
    in->talias = arena_join(c, in->alias, "->", in->tas);
    in->tcol0 = add_include_cols(c, s, cap, a->through, in->talias, tpath, tnode, "attributes", NULL);
    in->tvshow = parse_vshow(c, tnode);
    in->ntcols = s->ncols - in->tcol0;
    if (in->ntcols) {
      /* Sequelize selects both keys of the join row with a through attribute list that
       * selects something: raw rows show them, instances what was listed (hidden 2) */
      const sq_attr *keys[2];
      int j, q;
      keys[0] = a->other;
      keys[1] = a->fk;
      for (j = 0; j < 2; j++) {
        int has = 0;
        sq_expr *x;
        for (q = in->tcol0; q < s->ncols && !has; q++) has = s->cols[q].attr == keys[j]->index;
        if (has) continue;
        x = new_expr(c, SQ_X_ATTR);
        x->attr = keys[j];
        x->qual = in->talias;
        add_col(c, s, cap, x, arena_join(c, tpath, ".", keys[j]->name), keys[j]->index);
        s->cols[s->ncols - 1].hidden = 2;
      }
      in->ntcols = s->ncols - in->tcol0;
    }
    lua_pop(L, 1);
  }
  /* (its where and its through's where: once the whole tree is known, include_wheres) */
  c->m = saved_m;
  c->qual = saved_q;
  c->sel = saved_sel;
  lua_getfield(L, node, "include");
  if (lua_istable(L, -1)) {
    int list = lua_gettop(L), n = (int)sq_rawlen(L, list), k;
    in->kids = xalloc(c, sizeof(sq_include *) * (size_t)(n ? n : 1));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, list, k);
      in->kids[in->nkids++] = parse_include(c, s, cap, a->target, in->alias, path, lua_gettop(L));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return in;
}

/* The wheres of include `in` (Lua node at `node`) and of its through model, then its
 * children's: parsed once every include of the select is, so that their "$a.b$" keys can
 * name any of them (a sibling, a child, the root model), as Sequelize writes such a key
 * into the join's ON clause and SQLite resolves it against the whole query. */
static void include_wheres(ctx *c, sq_include *in, int node) {
  lua_State *L = c->L;
  const sq_select *saved_refs = c->refs;
  sq_model *saved_m = c->m;
  const char *saved_q = c->qual;
  sq_select *saved_sel = c->sel;
  node = lua_absindex(L, node);
  if (!lua_checkstack(L, 8))
    usage(L, c->db, "Invalid include on %s: nested too deep", in->model->name);
  c->refs = saved_sel ? saved_sel : saved_refs;
  c->sel = NULL;
  if (in->assoc->kind == SQ_BELONGS_TO_MANY) {
    lua_getfield(L, node, "through");
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "where");
      if (!lua_isnil(L, -1)) {
        c->m = in->assoc->through;
        c->qual = in->talias;
        in->twhere = parse_where_any(c, -1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, node, "where");
  if (!lua_isnil(L, -1)) {
    c->m = (sq_model *)in->model;
    c->qual = in->alias;
    in->where = parse_where_any(c, -1);
  }
  lua_pop(L, 1);
  lua_getfield(L, node, "on"); /* (Lua checked: not on an n:m or separate include) */
  if (!lua_isnil(L, -1)) {
    c->m = (sq_model *)in->model;
    c->qual = in->alias;
    in->on = parse_where_any(c, -1);
  }
  lua_pop(L, 1);
  if (in->nkids) {
    int k;
    lua_getfield(L, node, "include");
    for (k = 0; k < in->nkids; k++) {
      lua_rawgeti(L, -1, k + 1);
      include_wheres(c, in->kids[k], -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  c->m = saved_m;
  c->qual = saved_q;
  c->sel = saved_sel;
  c->refs = saved_refs;
}

static int count_cols_cap(const sq_select *s) {
  int cap = 16;
  while (cap < s->ncols) cap *= 2;
  return cap;
}

static void parse_includes(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  int list, n, k, cap;
  lua_getfield(L, opts, "include");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  list = lua_gettop(L);
  n = (int)sq_rawlen(L, list);
  if (n == 0) {
    lua_pop(L, 1);
    return;
  }
  cap = count_cols_cap(s);
  {
    /* the column array may grow: copy into one whose capacity add_col knows */
    sq_selcol *p = xalloc(c, sizeof *p * (size_t)cap);
    if (s->ncols) memcpy(p, s->cols, sizeof *p * (size_t)s->ncols);
    s->cols = p;
  }
  s->inc = xalloc(c, sizeof(sq_include *) * (size_t)n);
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, list, k);
    s->inc[s->ninc++] = parse_include(c, s, &cap, c->m, s->alias, NULL, lua_gettop(L));
    lua_pop(L, 1);
  }
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, list, k);
    include_wheres(c, s->inc[k - 1], -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* "Posts.Tags" -> the include at that path */
sq_include *find_include(sq_include **inc, int ninc, const char *path, size_t n) {
  int k;
  for (k = 0; k < ninc; k++) {
    const char *as = inc[k]->assoc->as;
    size_t an = strlen(as);
    if (n >= an && !memcmp(path, as, an)) {
      if (n == an) return inc[k];
      if (path[an] == '.') return find_include(inc[k]->kids, inc[k]->nkids, path + an + 1, n - an - 1);
      if (n > an + 2 && path[an] == '-' && path[an + 1] == '>') /* (Sequelize's own "Posts->Comments") */
        return find_include(inc[k]->kids, inc[k]->nkids, path + an + 2, n - an - 2);
    }
  }
  return NULL;
}

/* Whether an include of the tree is to-many (its rows repeat their parent's). dup: only one
 * that duplicates them for paging, Sequelize's hasDuplicating (not given duplicating = false) */
int has_many(sq_include **inc, int ninc, int dup) {
  int k;
  for (k = 0; k < ninc; k++)
    if ((inc[k]->assoc->many && !(dup && inc[k]->nodup)) || has_many(inc[k]->kids, inc[k]->nkids, dup)) return 1;
  return 0;
}

static int name_is(const char *name, const char *s, size_t n) { return strlen(name) == n && !memcmp(name, s, n); }

/* The model and SQL alias a reference's prefix names ("posts" in "$posts.title$"): an
 * include ("posts", "posts.comments"), the through model of an n:m include by its name
 * ("projects.UserProject"), the through model an n:m getter joins ("UserProject"), or,
 * with `root`, the model itself by its name ("User"), as Sequelize's table aliases are. */
static const sq_model *ref_model(const sq_select *sel, const char *s, size_t n, int root, const char **qual) {
  sq_include *in;
  const char *dot = NULL;
  size_t k;
  if (sel->ninc && (in = find_include(sel->inc, sel->ninc, s, n))) {
    *qual = in->alias;
    return in->model;
  }
  for (k = n; k > 0 && !dot; k--)
    if (s[k - 1] == '.') dot = s + k - 1;
  if (dot) {
    in = sel->ninc ? find_include(sel->inc, sel->ninc, s, (size_t)(dot - s)) : NULL;
    if (in && in->assoc->kind == SQ_BELONGS_TO_MANY &&
        name_is(in->tas ? in->tas : in->assoc->through->name, dot + 1, n - (size_t)(dot - s) - 1)) {
      *qual = in->talias;
      return in->assoc->through;
    }
    return NULL;
  }
  if (sel->thr && name_is(sel->thr->through->name, s, n)) {
    *qual = sel->thr->through->name;
    return sel->thr->through;
  }
  if (root && sel->alias && name_is(sel->alias, s, n)) {
    *qual = sel->alias;
    return sel->model;
  }
  return NULL;
}

/* An attribute of m by its name, or by its column's name (Sequelize writes "$a.b$" into
 * the SQL as it is, so the column's name is what it takes) */
static sq_attr *ref_attr(const sq_model *m, const char *s, size_t n) {
  sq_attr *a = sq_model_attr(m, s, n);
  return a ? a : sq_model_attr_by_field(m, s, n);
}

/* "$Posts.title$" (or "Posts.title" in order) -> a qualified attribute of an include, of an
 * n:m include's through model, of a getter's through model, or of the model itself */
sq_expr *include_attr_expr(ctx *c, const char *s, size_t n, const sq_attr **attr_out) {
  const char *dot = NULL, *qual = NULL;
  const sq_select *sel = c->sel ? c->sel : c->refs;
  const sq_model *m;
  sq_attr *a;
  sq_expr *x;
  size_t k;
  for (k = n; k > 0 && !dot; k--)
    if (s[k - 1] == '.') dot = s + k - 1;
  if (!dot) { /* "$name$": the queried model's own (Sequelize writes the bare column) */
    m = sel ? sel->model : c->m;
    qual = sel ? sel->alias : c->qual; /* (an UPDATE or DELETE: the table's, unqualified) */
    a = m ? ref_attr(m, s, n) : NULL;
  } else {
    if (!sel) return NULL;
    m = ref_model(sel, s, (size_t)(dot - s), 1, &qual);
    if (!m) return NULL;
    a = ref_attr(m, dot + 1, n - (size_t)(dot - s) - 1);
  }
  if (!a) return NULL;
  x = new_expr(c, SQ_X_ATTR);
  x->attr = a;
  x->qual = qual;
  if (attr_out) *attr_out = a;
  return x;
}

/* opts._through = { source = <model box>, as = alias, key = value }: an n:m getter (the Lua
 * layer, when its where or order names the through model) joins the through model to the
 * targets linked to that source key, aliased by its name, as Sequelize's getter does */
static void parse_through_join(ctx *c, sq_select *s, int opts) {
  lua_State *L = c->L;
  lua_getfield(L, opts, "_through");
  if (!lua_isnil(L, -1)) {
    int t = lua_gettop(L);
    const sq_model *src;
    const sq_assoc *a;
    const char *as;
    if (!lua_istable(L, t)) usage(L, c->db, "Invalid _through option on %s", c->m->name);
    lua_getfield(L, t, "source");
    src = check_model(L, lua_gettop(L));
    lua_getfield(L, t, "as");
    as = lua_tostring(L, -1);
    a = as ? sq_model_assoc(src, as) : NULL;
    if (!a || a->kind != SQ_BELONGS_TO_MANY || a->target != c->m)
      usage(L, c->db, "Invalid _through option on %s: not an n:m association to it", c->m->name);
    lua_getfield(L, t, "key");
    if (lua_isnil(L, -1) || is_null(L, -1))
      usage(L, c->db, "WHERE parameter \"%s\" has invalid \"undefined\" value", a->fk->name);
    to_db(c, lua_gettop(L), a->fk, &s->thr_key); /* (a text value stays alive in the options) */
    s->thr = a;
    lua_pop(L, 3);
    lua_getfield(L, t, "where"); /* the through scope: a where on the through model */
    if (!lua_isnil(L, -1)) {
      sq_model *saved_m = c->m;
      const char *saved_q = c->qual;
      c->m = a->through;
      c->qual = a->through->name;
      s->thr_where = parse_where_any(c, lua_gettop(L));
      c->m = saved_m;
      c->qual = saved_q;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Check opts.attributes as a select of s would read them (names, aliases, expressions), raising
 * for an unknown name; nothing is kept (an ungrouped count selects only its count). */
void check_attributes(ctx *c, const sq_select *s, int opts) {
  sq_select tmp = *s;
  if (!opts) return;
  lua_getfield(c->L, opts, "attributes");
  if (!lua_isnil(c->L, -1)) {
    tmp.cols = NULL;
    tmp.ncols = 0;
    parse_attributes(c, &tmp, opts);
  }
  lua_pop(c->L, 1);
}

/* Does the select list start with DISTINCT (Sequelize.fn("DISTINCT", ...), or a literal whose
 * text does)? SQLite then applies it to the whole row, so a column added to it changes the rows. */
static int select_distinct(const sq_select *s) {
  const sq_expr *x = s->ncols ? s->cols[0].expr : NULL;
  const char *p;
  size_t n;
  if (!x) return 0;
  if (x->kind == SQ_X_DISTINCT) return 1;
  if (x->kind != SQ_X_FN && x->kind != SQ_X_LITERAL) return 0;
  p = x->name;
  n = x->nlen;
  if (x->kind == SQ_X_LITERAL)
    while (n && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
      p++;
      n--;
    }
  if (n < 8 || sq_strnicmp(p, "DISTINCT", 8)) return 0;
  return n == 8 || !(isalnum((unsigned char)p[8]) || p[8] == '_' || p[8] == '$');
}

/* Fill a select spec for model c->m from the options table at `opts` (0 = none). */
void parse_select(ctx *c, sq_select *s, int opts) {
  memset(s, 0, sizeof *s);
  s->model = c->m;
  s->alias = c->m->name;
  s->limit = s->offset = -1;
  c->sel = s;
  c->qual = s->alias;
  if (opts) {
    parse_through_join(c, s, opts);
    lua_getfield(c->L, opts, "include");
    s->qualify = lua_istable(c->L, -1) && sq_rawlen(c->L, -1) > 0;
    lua_pop(c->L, 1);
  }
  parse_attributes(c, s, opts);
  s->vshow = parse_vshow(c, opts);
  /* raw rows are not merged, nor are a DISTINCT select's (a key column would make its rows
   * distinct): no key columns are added to them (Sequelize selects the attributes listed) */
  s->distinct_rows = select_distinct(s);
  c->nokeys = (opts && opt_bool(c->L, opts, "raw")) || s->distinct_rows;
  if (s->qualify) {
    /* rows are merged by primary key: make sure each of its columns is selected */
    int k, j, cap = count_cols_cap(s);
    sq_selcol *p = xalloc(c, sizeof *p * (size_t)cap);
    if (s->ncols) memcpy(p, s->cols, sizeof *p * (size_t)s->ncols);
    s->cols = p;
    for (j = 0; j < c->m->nattrs; j++) {
      int has = 0;
      if (!c->m->attrs[j]->pk) continue;
      for (k = 0; k < s->ncols; k++)
        if (sq_selcol_is_attr(&s->cols[k], c->m->attrs[j])) has = 1;
      if (!has && !c->nokeys) {
        add_attr_col(c, s, &cap, c->m->attrs[j]);
        s->cols[s->ncols - 1].hidden = 1;
      }
    }
    c->qual = s->alias;
    parse_includes(c, s, opts);
    c->m = (sq_model *)s->model;
    c->qual = s->alias;
    c->sel = s;
  }
  if (opts) {
    s->where = get_where(c, opts);
    parse_order(c, s, opts);
    parse_group_by(c, s, opts);
    lua_getfield(c->L, opts, "having");
    if (!lua_isnil(c->L, -1)) {
      c->having = 1;
      s->having = parse_where_any(c, -1);
      c->having = 0;
    }
    lua_pop(c->L, 1);
    s->limit = opt_count(c, opts, "limit");
    s->offset = opt_count(c, opts, "offset");
  }
}
