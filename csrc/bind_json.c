/* bind_json.c: Lua values as JSON text (Sequelize.stringify, JSON columns), written by the
 * json.c writer so the output matches JSON.stringify byte for byte; JSON text back into Lua
 * tables (JSON columns, core.json_decode); instances as plain tables (get{plain=true}).
 */
#include "binding.h"

/* ------------------------------------------------------------------------- */
/* JSON: Lua values -> text (stringify, JSON columns), text -> Lua (JSON columns) */

typedef struct jctx {
  lua_State *L;
  sq_db *db;
  sq_jw w;
  sq_buf *b;
  int err;          /* first writer error */
  const char *why;  /* our own error */
  int raised;       /* a getter raised: its error waits (getter_error) */
  int inside;       /* > 0 while an instance is written: its included instances are written
                     * as their get({ plain = true }), not through a toJSON of their own */
  int bytes;        /* stringify: a string that is no UTF-8 (a BLOB's bytes in a raw row,
                     * say) is written as the Buffer it would be in Sequelize */
  int skipfn;       /* stringify: functions left out of objects, null in lists (J_SKIPPED) */
} jctx;

#define JCHK(x) do { int rc_ = (x); if (rc_ < 0) { j->err = rc_; return -1; } } while (0)

/* A value Sequelize.stringify leaves out of an object, as JSON.stringify does (a function: a
 * getter returning a closure, a table holding print); in a list it writes null (j_value).
 * A JSON value to store refuses one instead (skipfn 0). */
#define J_SKIPPED(j, i) ((j)->skipfn && lua_type((j)->L, (i)) == LUA_TFUNCTION)

static int j_value(jctx *j, int idx, int depth);

static int j_blob(jctx *j, const char *s, size_t n) {
  size_t k;
  JCHK(sq_jw_begin_object(&j->w));
  JCHK(sq_jw_key(&j->w, "type", 4));
  JCHK(sq_jw_string(&j->w, "Buffer", 6));
  JCHK(sq_jw_key(&j->w, "data", 4));
  JCHK(sq_jw_begin_array(&j->w));
  for (k = 0; k < n; k++) JCHK(sq_jw_integer(&j->w, (unsigned char)s[k]));
  JCHK(sq_jw_end_array(&j->w));
  JCHK(sq_jw_end_object(&j->w));
  return 0;
}

/* Does the table at idx carry the metatable of toJSON's BLOB values (expr.buffer_mt)? */
static int has_buffer_mt(lua_State *L, int idx) { return has_registry_mt(L, idx, &REG_BUFFERMT); }

/* Push toJSON's value of BLOB bytes: { type = "Buffer", data = { bytes } } (with
 * buffer_mt; data a list with array_mt), what Sequelize's Buffer is in JSON. */
static void push_buffer(lua_State *L, const char *s, size_t n) {
  size_t k;
  luaL_checkstack(L, 4, "toJSON");
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "Buffer");
  lua_setfield(L, -2, "type");
  lua_createtable(L, n > 0x7fffffff ? 0x7fffffff : (int)n, 0);
  for (k = 0; k < n; k++) {
    sq_pushinteger(L, (unsigned char)s[k]);
    lua_rawseti(L, -2, (lua_Integer)(k + 1));
  }
  push_array_mt(L);
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "data");
  lua_pushlightuserdata(L, (void *)&REG_BUFFERMT);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_setmetatable(L, -2);
}

/* Call the attribute's getter if the model has one: pushes the value to encode. */
/* The error a getter raised while JSON was being written: kept until the writer has
 * freed its buffer, then raised again (getter_error). */
static const char REG_GETTER_ERROR = 0;

static int getter_error(lua_State *L) {
  lua_pushlightuserdata(L, (void *)&REG_GETTER_ERROR);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, (void *)&REG_GETTER_ERROR);
  lua_pushnil(L);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return lua_error(L);
}

/* Was the instance at inst read without attribute a (a select that left it out)? */
static int not_selected(lua_State *L, int inst, const sq_attr *a) {
  int r = 0;
  lua_rawgeti(L, inst, SLOT(a));
  if (lua_isnil(L, -1)) {
    lua_rawgeti(L, inst, 0);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "partial");
      r = lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return r;
}

/* Call the getter at the top of the stack on the instance at inst: its value replaces it.
 * 0, or 1 when it raised (its error kept for getter_error, nothing pushed). */
static int call_getter(lua_State *L, int inst) {
  lua_pushvalue(L, inst);
  if (lua_pcall(L, 1, 1, 0) == 0) return 0;
  lua_pushlightuserdata(L, (void *)&REG_GETTER_ERROR);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return 1;
}

/* The instance at inst with a dataValues copy whose edits are not read back yet: the Lua side
 * reads them back (core.init's dv_sync) before its values are read here. 0, or 1 when that
 * raised (its error kept for getter_error). */
static int dv_sync(lua_State *L, int inst) {
  int pending;
  lua_rawgeti(L, inst, SQ_DV_SLOT);
  pending = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (!pending) return 0;
  lua_pushlightuserdata(L, (void *)&REG_DVSYNC);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  if (call_getter(L, inst)) return 1;
  lua_pop(L, 1);
  return 0;
}

/* Call the attribute getter at the top of the stack as Sequelize calls its custom getters,
 * (key, options): on the instance at inst, with the key and the options table at opts (a new
 * empty one when opts is 0, as Sequelize's get() makes `options || {}`; a new { plain = true }
 * when opts is OPTS_PLAIN: toJSON, which is Sequelize's get({ plain: true })). As call_getter. */
#define OPTS_PLAIN (-1)
static int call_attr_getter(lua_State *L, int inst, const char *key, int opts) {
  lua_pushvalue(L, inst);
  lua_pushstring(L, key);
  if (opts > 0) {
    lua_pushvalue(L, opts);
  } else {
    lua_newtable(L);
    if (opts == OPTS_PLAIN) {
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "plain");
    }
  }
  if (lua_pcall(L, 3, 1, 0) == 0) return 0;
  lua_pushlightuserdata(L, (void *)&REG_GETTER_ERROR);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return 1;
}

/* Is the value just pushed an unset primary key of a new record? Sequelize's build gives each
 * primary key not given a null (its _initValues), which toJSON and get({ plain: true }) show:
 * build({ name: 'a' }) -> {"id":null,"name":"a"}; it is shown here as that null, the slot
 * left empty (the INSERT leaves the column to the database, and the key reads nil). */
static void null_unset_key(lua_State *L, int inst, const sq_attr *a) {
  int isnew;
  if (!a->pk || !lua_isnil(L, -1)) return;
  lua_pushliteral(L, "isNewRecord");
  lua_rawget(L, inst);
  isnew = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (!isnew) return;
  lua_pop(L, 1);
  lua_pushlightuserdata(L, NULL);
}

/* Push the value of attribute a of the instance at inst, through its getter if it has
 * one. 0, or 1 when the getter raised (its error kept for getter_error).
 * A getter's nil on an attribute the instance holds is the null (Sequelize's getter of a
 * NULL column returns null, which JSON keeps; Lua's nil cannot say it). */
static int push_attr_value(lua_State *L, int inst, int getters, const sq_attr *a, int opts) {
  if (getters) {
    lua_getfield(L, getters, a->name);
    if (lua_isfunction(L, -1) && not_selected(L, inst, a)) {
      /* (Sequelize runs a getter in toJSON only for an attribute the read selected) */
      lua_pop(L, 1);
      lua_pushnil(L);
      return 0;
    }
    if (lua_isfunction(L, -1)) {
      if (call_attr_getter(L, inst, a->name, opts)) return 1;
      if (lua_isnil(L, -1)) {
        lua_rawgeti(L, inst, SLOT(a));
        if (!lua_isnil(L, -1)) {
          lua_pop(L, 2);
          lua_pushlightuserdata(L, NULL);
        } else {
          lua_pop(L, 1);
          null_unset_key(L, inst, a);
        }
      }
      return 0;
    }
    lua_pop(L, 1);
  }
  lua_rawgeti(L, inst, SLOT(a));
  null_unset_key(L, inst, a);
  return 0;
}

/* Push the table the instance metatable holds under `field` (__getters, __virtuals): its
 * stack index, or 0 (nothing pushed) when there is none. */
static int push_mt_table(lua_State *L, int inst, const char *field) {
  if (!lua_getmetatable(L, inst)) return 0;
  lua_getfield(L, -1, field);
  lua_replace(L, -2);
  if (lua_istable(L, -1)) return lua_gettop(L);
  lua_pop(L, 1);
  return 0;
}

static int push_getters(lua_State *L, int inst) { return push_mt_table(L, inst, "__getters"); }

/* ---- VIRTUAL attributes: the instance metatable's __virtuals, a list of { name, get },
 * values stored in t[-4] (a table by name) when an attribute has no getter ---- */

static int push_virtuals(lua_State *L, int inst) { return push_mt_table(L, inst, "__virtuals"); }

/* Did the read of the instance at inst leave the VIRTUAL attribute named at `name` out?
 * An attribute list that named VIRTUAL attributes shows those only (shape.vshow); any other
 * partial list shows none (Sequelize shows the VIRTUAL attributes the list names). */
static int virtual_hidden(lua_State *L, int inst, int name, int gm) {
  int r = 0;
  lua_rawgeti(L, inst, 0);
  if (lua_istable(L, -1) && gm) {
    /* a getterMethods getter that is no attribute: shown on rows built, created and
     * included, not on rows read (shape.read) or read by an attribute list (Sequelize
     * leaves out the custom getters its _options.attributes does not name) */
    lua_getfield(L, -1, "read");
    lua_getfield(L, -2, "partial");
    lua_getfield(L, -3, "vshow");
    r = lua_toboolean(L, -3) || lua_toboolean(L, -2) || !lua_isnil(L, -1);
    if (r && lua_istable(L, -1)) { /* (a list that selected a value under its name shows it) */
      lua_pushvalue(L, name);
      lua_rawget(L, -2);
      if (lua_toboolean(L, -1)) {
        lua_rawgeti(L, inst, -4); /* (the value read under that name) */
        if (lua_istable(L, -1)) {
          lua_pushvalue(L, name);
          lua_rawget(L, -2);
          r = lua_isnil(L, -1);
          lua_pop(L, 1);
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 3);
  } else if (lua_istable(L, -1)) {
    lua_getfield(L, -1, "vshow");
    if (lua_istable(L, -1)) {
      lua_pushvalue(L, name);
      lua_rawget(L, -2);
      r = !lua_toboolean(L, -1);
      lua_pop(L, 1);
    } else {
      lua_getfield(L, -2, "partial");
      r = lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return r;
}

/* Push entry e's name and value (its getter's, or the value stored in t[-4]; nil when
 * there is none). 0, or 1 when the getter raised (its error kept for getter_error). */
static int push_virtual(lua_State *L, int inst, int e, int opts) {
  int name;
  lua_getfield(L, e, "name");
  name = lua_gettop(L);
  lua_getfield(L, e, "get");
  if (lua_isfunction(L, -1)) {
    int gm;
    lua_getfield(L, e, "gm");
    gm = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (virtual_hidden(L, inst, name, gm)) {
      lua_pop(L, 1);
      lua_pushnil(L);
      return 0;
    }
    return call_attr_getter(L, inst, lua_tostring(L, name), opts);
  }
  lua_pop(L, 1);
  lua_rawgeti(L, inst, -4);
  if (lua_istable(L, -1)) {
    lua_pushvalue(L, name);
    lua_rawget(L, -2);
    lua_replace(L, -2);
  } else {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
  return 0;
}

/* For each extra key and included association of the instance at `idx`, in the order its
 * shape (t[0]) lists them: push the key and call fn, which pops it. Stops at the first
 * nonzero result and returns it. */
typedef int (*shape_key_fn)(lua_State *L, int idx, void *ud, int depth);

static int each_shape_key(lua_State *L, int idx, shape_key_fn fn, void *ud, int depth) {
  static const char *const parts[] = {"extras", "includes"};
  int top = lua_gettop(L), part, k, n, r = 0;
  lua_rawgeti(L, idx, 0);
  if (lua_istable(L, -1)) {
    int shape = lua_gettop(L);
    for (part = 0; part < 2 && !r; part++) {
      lua_getfield(L, shape, parts[part]);
      if (lua_istable(L, -1)) {
        int list = lua_gettop(L);
        n = (int)sq_rawlen(L, list);
        for (k = 1; k <= n && !r; k++) {
          lua_rawgeti(L, list, k);
          r = fn(L, idx, ud, depth);
        }
      }
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
  return r;
}

/* one shape key of an instance as a JSON member (null when it has no value) */
static int j_shape_key(lua_State *L, int idx, void *ud, int depth) {
  jctx *j = ud;
  size_t kl;
  const char *key = lua_tolstring(L, -1, &kl);
  if (key) {
    lua_pushvalue(L, -1);
    rawget_member(L, idx);
    if (!J_SKIPPED(j, -1)) {
      JCHK(sq_jw_key(&j->w, key, kl));
      if (lua_isnil(L, -1)) JCHK(sq_jw_null(&j->w));
      else if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return 0;
}

static int j_instance(jctx *j, int idx, sq_model *m, int depth) {
  lua_State *L = j->L;
  int k, top = lua_gettop(L), getters, virt;
  if (dv_sync(L, idx)) {
    j->raised = 1;
    return -1;
  }
  getters = push_getters(L, idx);
  virt = push_virtuals(L, idx);
  JCHK(sq_jw_begin_object(&j->w));
  /* VIRTUAL attributes first (Sequelize writes getters before the data values) */
  for (k = 1; virt && k <= (int)sq_rawlen(L, virt); k++) {
    int e, base = lua_gettop(L);
    lua_rawgeti(L, virt, k);
    e = lua_gettop(L);
    if (push_virtual(L, idx, e, OPTS_PLAIN)) { /* (JSON.stringify: toJSON, get({ plain: true })) */
      j->raised = 1;
      return -1;
    }
    if (!lua_isnil(L, -1) && !J_SKIPPED(j, -1)) {
      size_t kl;
      const char *key = lua_tolstring(L, e + 1, &kl);
      JCHK(sq_jw_key(&j->w, key, kl));
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    }
    lua_settop(L, base);
  }
  for (k = 0; k < m->nattrs; k++) {
    const sq_attr *a = m->attrs[k];
    if (push_attr_value(L, idx, getters, a, OPTS_PLAIN)) {
      j->raised = 1;
      return -1;
    }
    if (!lua_isnil(L, -1) && !J_SKIPPED(j, -1)) {
      JCHK(sq_jw_key(&j->w, a->name, strlen(a->name)));
      if (a->type.kind == SQ_T_BLOB && lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (j_blob(j, s, len)) return -1;
      } else if (j_value(j, lua_gettop(L), depth + 1)) {
        return -1;
      }
    }
    lua_pop(L, 1);
  }
  /* extra keys and included associations, in the order the shape lists them */
  if (each_shape_key(L, idx, j_shape_key, j, depth)) return -1;
  lua_settop(L, top);
  JCHK(sq_jw_end_object(&j->w));
  return 0;
}

/* A key of a plain table as JSON writes it: its text (a number key's as JavaScript's
 * String(k)), and whether it is an array index (canonical digits up to 2^32 - 2), which
 * JSON.stringify writes first, in ascending order */
typedef struct jkey {
  const char *s;                     /* a string key's text (a number key's: text, below) */
  size_t n;
  int is_index, is_num, is_int;
  int side;                          /* kept beside the table (its metatable's __json_side) */
  unsigned long long index;
  long long iv;
  double d;
  char text[SQ_JSON_NUMBER_MAX + 1]; /* a number key's text */
} jkey;

#define JKEY_TEXT(k) ((k)->is_num ? (k)->text : (k)->s) /* (text moves with the key when sorted) */

static void key_index(jkey *k) {
  size_t i;
  unsigned long long v = 0;
  const char *s = JKEY_TEXT(k);
  k->is_index = 0;
  if (k->n == 0 || k->n > 10 || (s[0] == '0' && k->n > 1)) return;
  for (i = 0; i < k->n; i++) {
    if (s[i] < '0' || s[i] > '9') return;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  if (v > 4294967294ULL) return;
  k->is_index = 1;
  k->index = v;
}

static int cmp_jkey(const void *x, const void *y) {
  const jkey *a = x, *b = y;
  size_t n = a->n < b->n ? a->n : b->n;
  int r;
  if (a->is_index != b->is_index) return a->is_index ? -1 : 1;
  if (a->is_index) return a->index < b->index ? -1 : a->index > b->index;
  r = memcmp(JKEY_TEXT(a), JKEY_TEXT(b), n);
  if (r) return r;
  return a->n < b->n ? -1 : a->n > b->n;
}

/* A Sequelize.fn/col/literal/cast/where/json (an instance's value that is SQL) as
 * JSON.stringify writes Sequelize's objects: {"fn":"lower","args":[...]}, {"col":"a"},
 * {"val":"n + 1"}, {"val":...,"type":"INTEGER","json":false} (the type as given),
 * {"attribute":...,"comparator":"=","logic":...} (an Op comparator, a Symbol there, left out),
 * {"path":"meta.a","value":...} (a falsy value left out, as Json's constructor leaves it) or
 * {"conditions":{...}} (the last two in stringify only: a JSON value to store refuses them). */
static int j_expr(jctx *j, int idx, int depth) {
  lua_State *L = j->L;
  const char *kind;
  int top = lua_gettop(L);
  lua_getfield(L, idx, "kind");
  kind = lua_tostring(L, -1);
  if (!kind || (strcmp(kind, "fn") && strcmp(kind, "col") && strcmp(kind, "literal") && strcmp(kind, "cast")
                && (!j->skipfn || (strcmp(kind, "where") && strcmp(kind, "json"))))) {
    j->why = "this Sequelize expression cannot be encoded";
    return -1;
  }
  JCHK(sq_jw_begin_object(&j->w));
  if (!strcmp(kind, "where")) {
    JCHK(sq_jw_key(&j->w, "attribute", 9));
    lua_getfield(L, idx, "lhs");
    if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    lua_getfield(L, idx, "jcmp");
    if (lua_type(L, -1) == LUA_TSTRING) {
      JCHK(sq_jw_key(&j->w, "comparator", 10));
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    }
    lua_getfield(L, idx, "logic");
    if (!lua_isnil(L, -1)) {
      JCHK(sq_jw_key(&j->w, "logic", 5));
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    }
  } else if (!strcmp(kind, "json")) {
    lua_getfield(L, idx, "jconditions");
    if (!lua_isnil(L, -1)) {
      JCHK(sq_jw_key(&j->w, "conditions", 10));
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    } else {
      int falsy;
      JCHK(sq_jw_key(&j->w, "path", 4));
      lua_getfield(L, idx, "jpath");
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      lua_getfield(L, idx, "value");
      falsy = lua_isnil(L, -1) || is_null(L, -1) || (lua_isboolean(L, -1) && !lua_toboolean(L, -1))
              || (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) == 0)
              || (lua_type(L, -1) == LUA_TSTRING && sq_rawlen(L, -1) == 0);
      if (!falsy) {
        JCHK(sq_jw_key(&j->w, "value", 5));
        if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      }
    }
  } else if (!strcmp(kind, "cast")) {
    JCHK(sq_jw_key(&j->w, "val", 3));
    lua_getfield(L, idx, "val");
    if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    JCHK(sq_jw_key(&j->w, "type", 4));
    lua_getfield(L, idx, "given");
    if (lua_type(L, -1) != LUA_TSTRING) { lua_pop(L, 1); lua_getfield(L, idx, "type"); }
    if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    JCHK(sq_jw_key(&j->w, "json", 4));
    JCHK(sq_jw_bool(&j->w, 0));
  } else if (!strcmp(kind, "fn")) {
    size_t n, k;
    JCHK(sq_jw_key(&j->w, "fn", 2));
    lua_getfield(L, idx, "fn");
    if (j_value(j, lua_gettop(L), depth + 1)) return -1;
    JCHK(sq_jw_key(&j->w, "args", 4));
    lua_getfield(L, idx, "args");
    n = lua_istable(L, -1) ? sq_rawlen(L, -1) : 0;
    JCHK(sq_jw_begin_array(&j->w));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, top + 3, (lua_Integer)k);
      if (lua_isnil(L, -1)) JCHK(sq_jw_null(&j->w));
      else if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      lua_pop(L, 1);
    }
    JCHK(sq_jw_end_array(&j->w));
  } else {
    const char *key = !strcmp(kind, "col") ? "col" : "val";
    JCHK(sq_jw_key(&j->w, key, 3));
    lua_getfield(L, idx, key);
    if (j_value(j, lua_gettop(L), depth + 1)) return -1;
  }
  JCHK(sq_jw_end_object(&j->w));
  lua_settop(L, top);
  return 0;
}

static int j_table(jctx *j, int idx, int depth) {
  lua_State *L = j->L;
  size_t n = sq_rawlen(L, idx), npos, top, count = count_keys(L, idx, &npos, &top), k;
  int array;
  /* a list (array_mt) is written by its indexes alone, as JSON.stringify writes an array
   * (a key set in it, set("meta.k", 1) on a [], is left out, as toJSON leaves it out), up
   * to its largest index, a hole written null (t[2] = nil on a list of 3: [1,null,3]).
   * A plain table whose keys are all positive integers is a list with holes too, { 1, nil, 3 }
   * written [1,null,3] as lua-cjson and JSON.stringify of [1, , 3] write it, unless it is
   * sparse by lua-cjson's ratio (largest index over twice the items; lua-cjson's floor of 10
   * left out, so a small map keyed by numbers stays one): then an object keyed by the
   * numbers, { [2] = "a", [10] = "b" } -> {"2":"a","10":"b"} */
  array = (n > 0 && count == n) || has_array_mt(L, idx) || (count > 0 && npos == count && top <= 2 * count);
  if (array && count != n && top > n) {
    if (top > 2 * count + 64) { /* (a sparse index would write that many nulls) */
      j->why = "a list (Sequelize.array_mt) with holes larger than its items";
      return -1;
    }
    n = top;
  }
  if (array) {
    JCHK(sq_jw_begin_array(&j->w));
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, idx, (lua_Integer)k);
      if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      lua_pop(L, 1);
    }
    JCHK(sq_jw_end_array(&j->w));
    return 0;
  }
  {
    /* keys in JSON.stringify's order: array indexes ("2", [10]) ascending, then the other keys
     * sorted by bytes (Lua tables have no order, this makes output stable).
     * A table whose metatable has __json_side = { key = value } (a ValidationErrorItem with
     * an instance: kept in that side table, so that lua-cjson's encode of the item does not
     * walk the instance's slots) has those keys too, read raw, unless the table has its own */
    int base = lua_gettop(L), sidei = 0;
    size_t nside = 0, nk = 0;
    jkey *keys;
    if (lua_getmetatable(L, idx)) {
      lua_pushliteral(L, "__json_side");
      lua_rawget(L, -2);
      if (lua_istable(L, -1)) {
        sidei = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, sidei)) {
          lua_pop(L, 1);
          nside++;
        }
      }
    }
    keys = (count + nside) ? lua_newuserdata(L, sizeof *keys * (count + nside)) : NULL;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lua_pop(L, 1);
      if (nk >= count) continue; /* (defensive: the table grew) */
      keys[nk].is_num = 0;
      keys[nk].side = 0;
      /* stringify: an Op key is a Symbol key, which JSON.stringify leaves out (a JSON value to
       * store raises for it below) */
      if (j->skipfn && op_of(L, -1) >= 0) continue;
      if (lua_type(L, -1) == LUA_TSTRING) {
        keys[nk].s = lua_tolstring(L, -1, &keys[nk].n);
      } else if (lua_type(L, -1) == LUA_TNUMBER) {
        /* numeric keys of a sparse table: written as strings, as JavaScript would */
        jkey *k = &keys[nk];
        k->is_num = 1;
        k->d = lua_tonumber(L, -1);
#if SQ_LUA_HAS_INT
        k->is_int = lua_isinteger(L, -1) || sq_isinteger(L, -1, &k->iv);
        if (lua_isinteger(L, -1)) k->iv = (long long)lua_tointeger(L, -1);
#else
        k->is_int = sq_isinteger(L, -1, &k->iv);
#endif
        if (k->is_int) k->n = (size_t)snprintf(k->text, sizeof k->text, "%lld", k->iv);
        else k->n = sq_json_format_number(k->d, k->text);
        k->s = NULL;
      } else {
        j->why = "table keys must be strings or numbers";
        lua_pop(L, 1);
        return -1;
      }
      key_index(&keys[nk]);
      nk++;
    }
    if (sidei) {
      size_t ns = 0;
      lua_pushnil(L);
      while (lua_next(L, sidei)) { /* key = value */
        if (ns < nside && lua_type(L, -2) == LUA_TSTRING) {
          lua_pushvalue(L, -2);
          lua_rawget(L, idx);
          if (lua_isnil(L, -1)) { /* (not one of the table's own keys) */
            jkey *sk = &keys[nk++];
            sk->s = lua_tolstring(L, -3, &sk->n); /* (the name lives in the side table) */
            sk->is_num = 0;
            sk->side = 1;
            key_index(sk);
          }
          lua_pop(L, 1);
        }
        ns++;
        lua_pop(L, 1);
      }
    }
    if (nk > 1) qsort(keys, nk, sizeof *keys, cmp_jkey);
    JCHK(sq_jw_begin_object(&j->w));
    for (k = 0; k < nk; k++) {
      if (keys[k].side) { /* the side table's value */
        lua_pushlstring(L, keys[k].s, keys[k].n);
        lua_rawget(L, sidei);
      } else {
        if (!keys[k].is_num) lua_pushlstring(L, keys[k].s, keys[k].n);
        else if (keys[k].is_int) sq_pushinteger(L, keys[k].iv);
        else lua_pushnumber(L, keys[k].d);
        lua_rawget(L, idx);
      }
      if (!J_SKIPPED(j, -1)) {
        JCHK(sq_jw_key(&j->w, JKEY_TEXT(&keys[k]), keys[k].n));
        if (j_value(j, lua_gettop(L), depth + 1)) return -1;
      }
      lua_pop(L, 1);
    }
    JCHK(sq_jw_end_object(&j->w));
    lua_settop(L, base);
    return 0;
  }
}

static int j_value(jctx *j, int idx, int depth) {
  lua_State *L = j->L;
  if (depth >= SQ_JSON_MAX_DEPTH || !lua_checkstack(L, 8)) {
    j->why = "a cyclic or too deeply nested table";
    return -1;
  }
  switch (lua_type(L, idx)) {
    case LUA_TNIL: JCHK(sq_jw_null(&j->w)); return 0;
    case LUA_TBOOLEAN: JCHK(sq_jw_bool(&j->w, lua_toboolean(L, idx))); return 0;
    case LUA_TNUMBER: {
      long long iv;
#if SQ_LUA_HAS_INT
      if (lua_isinteger(L, idx)) {
        JCHK(sq_jw_integer(&j->w, (long long)lua_tointeger(L, idx)));
        return 0;
      }
#endif
      if (sq_isinteger(L, idx, &iv) && iv > -9007199254740992LL && iv < 9007199254740992LL) {
        JCHK(sq_jw_integer(&j->w, iv));
        return 0;
      }
      JCHK(sq_jw_number(&j->w, lua_tonumber(L, idx)));
      return 0;
    }
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, idx, &n);
      if (j->bytes && !sq_json_is_utf8(s, n)) return j_blob(j, s, n);
      JCHK(sq_jw_string(&j->w, s, n));
      return 0;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, idx) == NULL) {
        JCHK(sq_jw_null(&j->w));
        return 0;
      }
      if (is_empty_array(L, idx)) { /* OpenResty's cjson.empty_array */
        JCHK(sq_jw_begin_array(&j->w));
        JCHK(sq_jw_end_array(&j->w));
        return 0;
      }
      j->why = "an Op key or light userdata cannot be encoded";
      return -1;
    case LUA_TTABLE: {
      modelbox *mb = instance_model(L, idx);
      if (mb) {
        int r, top = lua_gettop(L), methods;
        if (!j->inside && (methods = push_mt_table(L, idx, "__methods")) != 0) {
          /* the model's own toJSON (Model.prototype.toJSON), as JSON.stringify calls it */
          lua_pushliteral(L, "toJSON");
          lua_rawget(L, methods);
          if (lua_isfunction(L, -1)) {
            if (call_getter(L, idx)) {
              j->raised = 1;
              return -1;
            }
            if (!lua_rawequal(L, -1, idx)) {
              r = j_value(j, lua_gettop(L), depth + 1);
              if (!r) lua_settop(L, top);
              return r;
            }
          }
          lua_settop(L, top);
        }
        j->inside++;
        r = j_instance(j, idx, mb->m, depth);
        j->inside--;
        return r;
      }
      if (is_expr(L, idx)) return j_expr(j, idx, depth);
      if (has_buffer_mt(L, idx)) { /* toJSON's BLOB value: its keys in Node's order */
        int top = lua_gettop(L);
        JCHK(sq_jw_begin_object(&j->w));
        JCHK(sq_jw_key(&j->w, "type", 4));
        lua_getfield(L, idx, "type");
        if (j_value(j, lua_gettop(L), depth + 1)) return -1;
        JCHK(sq_jw_key(&j->w, "data", 4));
        lua_getfield(L, idx, "data");
        if (j_value(j, lua_gettop(L), depth + 1)) return -1;
        JCHK(sq_jw_end_object(&j->w));
        lua_settop(L, top);
        return 0;
      }
      return j_table(j, idx, depth);
    }
    case LUA_TFUNCTION:
      /* inside a value: a list's item (object members skip it before), null as JSON.stringify
       * writes it; the whole value a function: nothing JSON can hold */
      if (depth > 0 && j->skipfn) {
        JCHK(sq_jw_null(&j->w));
        return 0;
      }
      j->why = lua_typename(L, lua_type(L, idx));
      return -1;
    default:
      j->why = lua_typename(L, lua_type(L, idx));
      return -1;
  }
}

/* Encode the value at idx into b. On failure frees b and raises, the message led by the
 * model and attribute ("User.meta: ") when given (model may be NULL). */
void encode_json_value(lua_State *L, sq_db *db, int idx, sq_buf *b, const char *model, const char *attr) {
  jctx j;
  int top = lua_gettop(L);
  idx = lua_absindex(L, idx);
  memset(&j, 0, sizeof j);
  j.L = L;
  j.db = db;
  j.b = b;
  sq_jw_init(&j.w, b, 0);
  if (j_value(&j, idx, 0) || b->oom) {
    char msg[400], who[280] = "";
    if (attr) snprintf(who, sizeof who, "%s%s%s: ", model ? model : "", model ? "." : "", attr);
    if (j.why) snprintf(msg, sizeof msg, "%sCannot encode JSON: %s", who, j.why);
    else snprintf(msg, sizeof msg, "%sCannot encode JSON: %s", who, b->oom ? "out of memory" : sq_json_strerror(j.err));
    sq_buf_free(b);
    lua_settop(L, top);
    if (j.raised) getter_error(L);
    if (db) usage(L, db, "%s", msg);
    luaL_error(L, "%s", msg);
  }
  lua_settop(L, top);
}

/* core.stringify(x [, indent]): indent a number of spaces or a string (JSON.stringify's space) */
static int l_stringify(lua_State *L) {
  sq_buf b;
  jctx j;
  size_t gaplen = 0;
  const char *gap = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &gaplen) : NULL;
  int indent = gap ? 0 : (int)luaL_optinteger(L, 2, 0), strict = lua_toboolean(L, 3);
  if (indent < 0) indent = 0;
  if (indent > 10) indent = 10;
  lua_settop(L, 2);
  sq_buf_init(&b);
  memset(&j, 0, sizeof j);
  j.L = L;
  j.b = &b;
  j.bytes = !strict; /* (strict: a JSON value to store, where bytes that are no UTF-8 raise) */
  j.skipfn = !strict;
  if (gap) sq_jw_init_gap(&j.w, &b, gap, gaplen);
  else sq_jw_init(&j.w, &b, indent);
  /* keep the buffer's memory owned by a userdata-free path: on error free then raise */
  if (j_value(&j, 1, 0) || b.oom) {
    char msg[200];
    if (j.why) snprintf(msg, sizeof msg, "Cannot stringify: %s", j.why);
    else snprintf(msg, sizeof msg, "Cannot stringify: %s", b.oom ? "out of memory" : sq_json_strerror(j.err));
    sq_buf_free(&b);
    if (j.raised) return getter_error(L);
    lua_pushlightuserdata(L, (void *)&REG_ERRFACTORY);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushliteral(L, "usage");
    lua_pushstring(L, msg);
    lua_newtable(L);
    lua_call(L, 3, 1);
    return lua_error(L);
  }
  lua_pushlstring(L, sq_buf_cstr(&b), b.len);
  sq_buf_free(&b);
  return 1;
}

/* decoding: SAX events build Lua tables on the stack */
typedef struct dctx {
  lua_State *L;
  int *count;   /* per depth: -1 for an object, else items so far */
  int depth, cap;
} dctx;

static int d_put(dctx *d) {
  lua_State *L = d->L;
  if (d->depth == 0) return 0;
  if (d->count[d->depth - 1] < 0) lua_rawset(L, -3);     /* key, value on the object */
  else lua_rawseti(L, -2, ++d->count[d->depth - 1]);
  return 0;
}
static int d_null(void *ud) { dctx *d = ud; lua_pushlightuserdata(d->L, NULL); return d_put(d); }
static int d_bool(void *ud, int v) { dctx *d = ud; lua_pushboolean(d->L, v); return d_put(d); }
static int d_int(void *ud, long long v) {
  dctx *d = ud;
#if !SQ_LUA_HAS_INT
  if (v > 9007199254740992LL || v < -9007199254740992LL) {
    lua_pushnumber(d->L, (lua_Number)v);
    return d_put(d);
  }
#endif
  sq_pushinteger(d->L, v);
  return d_put(d);
}
static int d_num(void *ud, double v) { dctx *d = ud; lua_pushnumber(d->L, v); return d_put(d); }
static int d_str(void *ud, const char *s, size_t n) { dctx *d = ud; lua_pushlstring(d->L, s, n); return d_put(d); }
static int d_key(void *ud, const char *s, size_t n) { dctx *d = ud; lua_pushlstring(d->L, s, n); return 0; }
static int d_begin(dctx *d, int obj) {
  if (!lua_checkstack(d->L, 4)) return 1;
  if (d->depth == d->cap) {
    int nc = d->cap ? d->cap * 2 : 16;
    int *p = realloc(d->count, sizeof *p * (size_t)nc);
    if (!p) return 1;
    d->count = p;
    d->cap = nc;
  }
  lua_newtable(d->L);
  d->count[d->depth++] = obj ? -1 : 0;
  return 0;
}
static int d_bobj(void *ud) { return d_begin(ud, 1); }
static int d_barr(void *ud) {
  dctx *d = ud;
  if (d_begin(d, 0)) return 1;
  push_array_mt(d->L);
  lua_setmetatable(d->L, -2);
  return 0;
}
static int d_end(void *ud) {
  dctx *d = ud;
  d->depth--;
  return d_put(d);
}

/* Push the Lua value of JSON text; text that does not parse is pushed as a string. */
void push_json(lua_State *L, sq_db *db, const char *s, size_t n) {
  dctx d;
  sq_json_sax sax;
  char err[128];
  int top = lua_gettop(L), rc;
  memset(&d, 0, sizeof d);
  memset(&sax, 0, sizeof sax);
  d.L = L;
  sax.ud = &d;
  sax.scratch = db ? &db->scratch : NULL; /* lent: nothing leaks if a callback raises */
  sax.on_null = d_null;
  sax.on_bool = d_bool;
  sax.on_integer = d_int;
  sax.on_number = d_num;
  sax.on_string = d_str;
  sax.on_begin_object = d_bobj;
  sax.on_key = d_key;
  sax.on_end_object = d_end;
  sax.on_begin_array = d_barr;
  sax.on_end_array = d_end;
  rc = sq_json_parse(s, n, &sax, err, sizeof err);
  free(d.count);
  if (rc != 0 || lua_gettop(L) != top + 1) {
    lua_settop(L, top);
    lua_pushlstring(L, s, n);
  }
}

/* core.json_decode(s) -> value, or nil and a message */
static int l_json_decode(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  dctx d;
  sq_json_sax sax;
  char err[128];
  int top = lua_gettop(L), rc;
  memset(&d, 0, sizeof d);
  memset(&sax, 0, sizeof sax);
  d.L = L;
  sax.ud = &d;
  sax.on_null = d_null;
  sax.on_bool = d_bool;
  sax.on_integer = d_int;
  sax.on_number = d_num;
  sax.on_string = d_str;
  sax.on_begin_object = d_bobj;
  sax.on_key = d_key;
  sax.on_end_object = d_end;
  sax.on_begin_array = d_barr;
  sax.on_end_array = d_end;
  err[0] = '\0';
  rc = sq_json_parse(s, n, &sax, err, sizeof err);
  free(d.count);
  if (rc != 0) {
    lua_settop(L, top);
    lua_pushnil(L);
    lua_pushstring(L, err[0] ? err : "invalid JSON");
    return 2;
  }
  return 1;
}

/* ------------------------------------------------------------------------- */
/* plain tables: instance:get({ plain = true }) / toJSON */

static void plain_value(lua_State *L, int idx, int depth, int json, int opts);

/* shallow: get() without plain; json: toJSON (a BLOB's bytes as their Buffer table) */
typedef struct plainctx { int out, shallow, json, opts; } plainctx;

/* one shape key of an instance into the plain table ud->out (NULL for no value); shallow:
 * the value as it is (an included instance or list stays one: get() without plain) */
static int plain_shape_key(lua_State *L, int idx, void *ud, int depth) {
  const plainctx *p = ud;
  lua_pushvalue(L, -1);
  rawget_member(L, idx);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushlightuserdata(L, NULL);
  } else if (!p->shallow) {
    plain_value(L, lua_gettop(L), depth + 1, p->json, p->opts);
    lua_replace(L, -2);
  }
  lua_rawset(L, p->out);
  return 0;
}

static void plain_instance(lua_State *L, int idx, sq_model *m, int depth, int shallow, int json, int opts) {
  int k, getters, out, virt;
  plainctx pc;
  if (dv_sync(L, idx)) getter_error(L);
  getters = push_getters(L, idx);
  virt = push_virtuals(L, idx);
  lua_createtable(L, 0, m->nattrs);
  out = lua_gettop(L);
  for (k = 1; virt && k <= (int)sq_rawlen(L, virt); k++) {
    int e, base = lua_gettop(L);
    lua_rawgeti(L, virt, k);
    e = lua_gettop(L);
    if (push_virtual(L, idx, e, opts)) getter_error(L);
    if (!lua_isnil(L, -1)) {
      plain_value(L, lua_gettop(L), depth + 1, json, opts);
      lua_setfield(L, out, lua_tostring(L, e + 1));
    }
    lua_settop(L, base);
  }
  for (k = 0; k < m->nattrs; k++) {
    const sq_attr *a = m->attrs[k];
    if (push_attr_value(L, idx, getters, a, opts)) getter_error(L); /* (nothing to free here) */
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    if (shallow) lua_pushvalue(L, -1); /* (get(): the value itself, as Sequelize's dataValues) */
    else if (json && a->type.kind == SQ_T_BLOB && lua_type(L, -1) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(L, -1, &n);
      push_buffer(L, s, n);
    } else plain_value(L, lua_gettop(L), depth + 1, json, opts);
    lua_setfield(L, out, a->name);
    lua_pop(L, 1);
  }
  pc.out = out;
  pc.shallow = shallow;
  pc.json = json;
  pc.opts = opts;
  each_shape_key(L, idx, plain_shape_key, &pc, depth);
  if (virt) lua_remove(L, virt);
  if (getters) lua_remove(L, getters);
}

/* Replace nothing: push a plain copy of the value at idx (instances and lists of them
 * become plain tables, a JSON value's tables are copied, as Sequelize's toJSON clones them
 * deeply; other values, expressions among them, are pushed as they are). */
static void plain_value(lua_State *L, int idx, int depth, int json, int opts) {
  modelbox *mb;
  if (depth > SQ_JSON_MAX_DEPTH) luaL_error(L, "toJSON: nesting too deep");
  luaL_checkstack(L, 8, "toJSON: nesting too deep");
  if (!lua_istable(L, idx)) {
    lua_pushvalue(L, idx);
    return;
  }
  mb = instance_model(L, idx);
  if (mb) {
    plain_instance(L, idx, mb->m, depth, 0, json, opts);
    return;
  }
  if (has_array_mt(L, idx)) {
    int n = (int)sq_rawlen(L, idx), k;
    lua_createtable(L, n, 0);
    push_array_mt(L);
    lua_setmetatable(L, -2);
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, idx, k);
      plain_value(L, lua_gettop(L), depth + 1, json, opts);
      lua_rawseti(L, -3, k);
      lua_pop(L, 1);
    }
    return;
  }
  if (!lua_getmetatable(L, idx)) { /* a JSON object or list: copied, key by key */
    int out;
    lua_newtable(L);
    out = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      plain_value(L, lua_gettop(L), depth + 1, json, opts);
      lua_pushvalue(L, -3);
      lua_insert(L, -2);
      lua_rawset(L, out);
      lua_pop(L, 1);
    }
    return;
  }
  lua_pop(L, 1); /* (its metatable) */
  lua_pushvalue(L, idx);
}

/* core.plain(value [, shallow [, json [, options]]]): a plain copy (get({ plain = true })'s values);
 * shallow, of an instance: its included rows kept as they are (Sequelize's get() without
 * plain); json (toJSON): a BLOB attribute's bytes, its included rows' too, as the Buffer
 * table JSON.stringify writes for Sequelize's Buffer ({ type = "Buffer", data = {...} }) */
static int l_plain(lua_State *L) {
  modelbox *mb;
  int opts;
  luaL_checkany(L, 1);
  lua_settop(L, 4);
  /* (get()'s options, given to each getter, as Sequelize's; toJSON's are { plain = true }) */
  opts = lua_istable(L, 4) ? 4 : lua_toboolean(L, 3) ? OPTS_PLAIN : 0;
  if (lua_toboolean(L, 2) && lua_istable(L, 1) && (mb = instance_model(L, 1))) {
    plain_instance(L, 1, mb->m, 0, 1, 0, opts);
    return 1;
  }
  plain_value(L, 1, 0, lua_toboolean(L, 3), opts);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"stringify", l_stringify},
  {"json_decode", l_json_decode},
  {"plain", l_plain},
  {NULL, NULL}};

void sqb_open_json(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
