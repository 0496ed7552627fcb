/* bind_model.c: model definitions from Lua tables into the core (attributes, types,
 * defaults, validators, options), model info back to Lua, associations (the four kinds and
 * their options), sync and drop in dependency order, and indexes (the indexes option and the
 * query interface's addIndex / removeIndex: columns, order, collate, a partial index's where).
 */
#include "binding.h"

/* ------------------------------------------------------------------------- */
/* define */

const char *const vkey_names[SQ_VK_N] = {
  "isEmail", "isUrl", "isIP", "isIPv4", "isIPv6", "isAlpha", "isAlphanumeric", "isNumeric", "isInt",
  "isFloat", "isDecimal", "isLowercase", "isUppercase", "isUUID", "notEmpty", "isIn", "notIn", "len",
  "min", "max", "contains", "notContains", "equals", "isDate", "notNull", "isAfter", "isBefore",
  "isNull", "isHexadecimal", "isOctal", "isAscii", "isBase64", "isHexColor", "isBoolean", "isPort",
  "isMD5", "isMongoId", "isSlug", "isJSON", "isLuhnNumber", "isCreditCard", "isEmpty", "isDivisibleBy",
  "isISO8601", "isMACAddress", "isSemVer", "isLatLong", "isMimeType", "isJWT", "isLocale", "isCurrency",
  "isRgbColor", "isHSL", "isTime", "isRFC3339", "isBase32", "isBase58", "isULID", "isEthereumAddress",
  "isBtcAddress", "isMultibyte", "isFullWidth", "isHalfWidth", "isVariableWidth", "isMagnetURI", "isHash", "isFQDN",
  "isStrongPassword", "isByteLength", "isEAN", "isISSN", "isISO31661Alpha2", "isISO31661Alpha3", "isISO4217"};

static char *dup_field(lua_State *L, int t, const char *key) {
  const char *s;
  char *p = NULL;
  lua_getfield(L, t, key);
  s = lua_tostring(L, -1);
  if (s) p = strdup(s);
  lua_pop(L, 1);
  return p;
}

static int int_field(lua_State *L, int t, const char *key, int dflt) {
  long long v;
  int r = dflt;
  lua_getfield(L, t, key);
  if (sq_isinteger(L, -1, &v)) r = (int)v;
  lua_pop(L, 1);
  return r;
}

static int bool_field(lua_State *L, int t, const char *key) {
  int r;
  lua_getfield(L, t, key);
  r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* The options of isURL / isEmail / isFQDN as model.lua checked them (the table at t: flags, the
 * names of the options set, validator.js's defaults merged in; max_len; ranges, lo / hi code
 * units; protocols, white, black: lists of strings) -> one block (validate.h); NULL when out
 * of memory */
static const struct { const char *name; unsigned bit; } vopt_bits[] = {
  {"require_tld", SQ_VO_REQUIRE_TLD}, {"allow_underscores", SQ_VO_ALLOW_UNDERSCORES},
  {"allow_trailing_dot", SQ_VO_ALLOW_TRAILING_DOT}, {"allow_numeric_tld", SQ_VO_ALLOW_NUMERIC_TLD},
  {"allow_wildcard", SQ_VO_ALLOW_WILDCARD}, {"ignore_max_length", SQ_VO_IGNORE_MAX_LENGTH},
  {"require_protocol", SQ_VO_REQUIRE_PROTOCOL}, {"require_host", SQ_VO_REQUIRE_HOST},
  {"require_port", SQ_VO_REQUIRE_PORT}, {"require_valid_protocol", SQ_VO_REQUIRE_VALID_PROTOCOL},
  {"allow_protocol_relative_urls", SQ_VO_ALLOW_PROTOCOL_RELATIVE_URLS},
  {"allow_fragments", SQ_VO_ALLOW_FRAGMENTS}, {"allow_query_components", SQ_VO_ALLOW_QUERY_COMPONENTS},
  {"disallow_auth", SQ_VO_DISALLOW_AUTH}, {"validate_length", SQ_VO_VALIDATE_LENGTH},
  {"host_whitelist", SQ_VO_HOST_WHITELIST}, {"host_blacklist", SQ_VO_HOST_BLACKLIST},
  {"allow_display_name", SQ_VO_ALLOW_DISPLAY_NAME}, {"require_display_name", SQ_VO_REQUIRE_DISPLAY_NAME},
  {"allow_utf8_local_part", SQ_VO_ALLOW_UTF8_LOCAL_PART}, {"allow_ip_domain", SQ_VO_ALLOW_IP_DOMAIN},
  {"domain_specific_validation", SQ_VO_DOMAIN_SPECIFIC_VALIDATION},
};

static sq_v_opts *read_vopts(lua_State *L, int t) {
  static const char *const lists[3] = {"protocols", "white", "black"};
  int counts[3], nranges, k, j, idx;
  size_t nstr, bytes = 0, head, off;
  sq_v_opts *o;
  for (k = 0; k < 3; k++) {
    lua_getfield(L, t, lists[k]);
    counts[k] = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) : 0;
    for (j = 1; j <= counts[k]; j++) {
      size_t len = 0;
      lua_rawgeti(L, -1, j);
      if (lua_tolstring(L, -1, &len)) bytes += len;
      bytes++;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, t, "ranges");
  nranges = lua_istable(L, -1) ? (int)sq_rawlen(L, -1) / 2 : 0;
  lua_pop(L, 1);
  nstr = (size_t)counts[0] + (size_t)counts[1] + (size_t)counts[2];
  head = sizeof *o + (2 * (size_t)nranges + 2 * nstr) * sizeof(size_t);
  o = calloc(1, head + bytes);
  if (!o) return NULL;
  o->size = head + bytes;
  o->nranges = nranges;
  o->nproto = counts[0];
  o->nwhite = counts[1];
  o->nblack = counts[2];
  lua_getfield(L, t, "max_len");
  o->max_len = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 2084;
  lua_pop(L, 1);
  lua_getfield(L, t, "flags");
  if (lua_istable(L, -1)) {
    for (k = 0; k < (int)(sizeof vopt_bits / sizeof *vopt_bits); k++) {
      lua_getfield(L, -1, vopt_bits[k].name);
      if (lua_toboolean(L, -1)) o->flags |= vopt_bits[k].bit;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "ranges");
  for (j = 0; j < 2 * nranges; j++) {
    lua_rawgeti(L, -1, j + 1);
    o->data[j] = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  off = head;
  idx = 2 * nranges;
  for (k = 0; k < 3; k++) {
    lua_getfield(L, t, lists[k]);
    for (j = 1; j <= counts[k]; j++) {
      size_t len = 0;
      const char *s;
      lua_rawgeti(L, -1, j);
      s = lua_tolstring(L, -1, &len);
      if (!s) len = 0;
      if (len) memcpy((char *)o + off, s, len);
      ((char *)o)[off + len] = '\0';
      o->data[idx++] = off;
      o->data[idx++] = len;
      off += len + 1;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return o;
}

/* The strings of the list at t, copied with their lengths into *lens_out (a string may
 * hold NUL bytes); NULL when out of memory */
static char **dup_list(lua_State *L, int t, int *n_out, size_t **lens_out) {
  int n = (int)sq_rawlen(L, t), k;
  char **v = calloc((size_t)(n ? n : 1), sizeof *v);
  size_t *lens = malloc((size_t)(n ? n : 1) * sizeof *lens);
  *n_out = 0;
  *lens_out = NULL;
  if (!v || !lens) {
    free(v);
    free(lens);
    return NULL;
  }
  for (k = 1; k <= n; k++) {
    size_t len = 0;
    const char *s;
    lua_rawgeti(L, t, k);
    s = lua_tolstring(L, -1, &len);
    if (!s) len = 0;
    v[k - 1] = malloc(len + 1);
    if (v[k - 1]) {
      if (len) memcpy(v[k - 1], s, len);
      v[k - 1][len] = '\0';
      lens[k - 1] = len;
    }
    lua_pop(L, 1);
    if (!v[k - 1]) {
      while (--k > 0) free(v[k - 1]);
      free(v);
      free(lens);
      return NULL;
    }
  }
  *n_out = n;
  *lens_out = lens;
  return v;
}

/* The type of the DataTypes value at `i` into *ty, but for ENUM values: its kind, length,
 * precision, scale and flags. -1 when it names no type of the core (VIRTUAL among them). */
static int read_type(lua_State *L, int i, sq_type *ty) {
  int r;
  i = lua_absindex(L, i);
  if (!lua_istable(L, i)) return -1;
  lua_getfield(L, i, "key");
  r = lua_type(L, -1) == LUA_TSTRING ? sq_type_from_key(lua_tostring(L, -1), ty) : -1;
  lua_pop(L, 1);
  if (r) return -1;
  ty->length = int_field(L, i, "length", -1);
  ty->precision = int_field(L, i, "precision", -1);
  ty->scale = int_field(L, i, "scale", -1);
  ty->is_unsigned = (unsigned char)bool_field(L, i, "unsigned");
  ty->zerofill = (unsigned char)bool_field(L, i, "zerofill");
  ty->binary = (unsigned char)bool_field(L, i, "binary");
  return 0;
}

/* The DataTypes value at index ti into ty, its ENUM values too (owned by ty): 0, -1 out of
 * memory, -2 not a type sequelua knows (the error names attribute `name`). */
static int read_attr_type(lua_State *L, sq_db *db, int ti, sq_type *ty, const char *name) {
  ti = lua_absindex(L, ti);
  if (read_type(L, ti, ty)) {
    sq_err_set(db, SQ_E_USAGE, "Unrecognized datatype for attribute \"%s\"", name);
    return -2;
  }
  lua_getfield(L, ti, "values");
  if (lua_istable(L, -1)) {
    ty->values = dup_list(L, lua_gettop(L), &ty->nvalues, &ty->value_lens);
    if (!ty->values) { lua_pop(L, 1); return -1; }
  }
  lua_pop(L, 1);
  return 0;
}

/* core.type_sql(type) -> the column type the dialect writes for a DataTypes value
 * (`VARCHAR(10)`, `DATETIME`), Sequelize's String(type) of a model's attribute; nil for a
 * type with no column (VIRTUAL). A type outside any model is written by the dialect
 * connections open with (db.c). */
static int l_type_sql(lua_State *L) {
  sq_type ty;
  sq_buf b;
  const char *s;
  memset(&ty, 0, sizeof ty);
  if (read_type(L, 1, &ty)) {
    lua_pushnil(L);
    return 1;
  }
  sq_buf_init(&b);
  sq_dialect_sqlite.type_sql(&b, &ty);
  s = sq_buf_cstr(&b);
  if (b.oom) {
    sq_buf_free(&b);
    return luaL_error(L, "out of memory");
  }
  lua_pushlstring(L, s, b.len);
  sq_buf_free(&b);
  return 1;
}

/* Fill attribute `a` from the normalised definition table at `t` (made by model.lua).
 * (Also the query interface's, bind_qi.c.) */
int sqb_fill_attr(lua_State *L, sq_db *db, sq_attr *a, int t) {
  int k;
  const char *key;
  t = lua_absindex(L, t);
  a->field = dup_field(L, t, "field");
  if (!a->field) return -1;
  lua_getfield(L, t, "declType");
  if (lua_type(L, -1) == LUA_TSTRING) { /* the query interface's: the type as stored, or as given */
    int r = sqb_decl_type(db, a, lua_tostring(L, -1), bool_field(L, t, "declGiven"));
    lua_pop(L, 1);
    if (r) return r;
  } else {
    int r;
    lua_pop(L, 1);
    lua_getfield(L, t, "type");
    r = read_attr_type(L, db, lua_gettop(L), &a->type, a->name);
    lua_pop(L, 1);
    if (r) return r;
  }
  a->pk = (unsigned char)bool_field(L, t, "primaryKey");
  a->autoinc = (unsigned char)bool_field(L, t, "autoIncrement");
  lua_getfield(L, t, "allowNull");
  a->not_null_ddl = (unsigned char)is_null(L, -1);
  a->allow_null = lua_isnil(L, -1) || a->not_null_ddl ? 1 : lua_toboolean(L, -1);
  a->allow_null_given = !lua_isnil(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, t, "unique");
  if (lua_type(L, -1) == LUA_TSTRING) {
    a->unique = 1;
    a->unique_name = strdup(lua_tostring(L, -1));
    if (!a->unique_name) { lua_pop(L, 1); return -1; }
  } else {
    a->unique = (unsigned char)lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "defaultKind");
  key = lua_tostring(L, -1);
  if (key && !strcmp(key, "NOW")) a->def_kind = SQ_DEF_NOW;
  else if (key && !strcmp(key, "UUIDV4")) a->def_kind = SQ_DEF_UUIDV4;
  else if (key && !strcmp(key, "UUIDV1")) a->def_kind = SQ_DEF_UUIDV1;
  lua_pop(L, 1);
  lua_getfield(L, t, "defaultSQL");
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    a->def_kind = SQ_DEF_SQL;
    a->def_s = malloc(n + 1);
    if (!a->def_s) { lua_pop(L, 1); return -1; }
    memcpy(a->def_s, s, n + 1);
    a->def_n = n;
  }
  lua_pop(L, 1);
  if (a->def_kind == SQ_DEF_NONE) {
    lua_getfield(L, t, "defaultValue");
    if (!lua_isnil(L, -1)) {
      long long iv;
      int vt = lua_type(L, -1);
      a->def_kind = SQ_DEF_VALUE;
      if (a->type.kind == SQ_T_BOOLEAN && vt == LUA_TSTRING) {
        /* Sequelize's BOOLEAN sanitizer: "true" / "false" are the booleans (DEFAULT 1 / 0) */
        const char *s = lua_tostring(L, -1);
        if (!strcmp(s, "true") || !strcmp(s, "false")) {
          lua_pushboolean(L, s[0] == 't');
          lua_replace(L, -2);
          vt = LUA_TBOOLEAN;
        }
      }
      switch (vt) {
        case LUA_TBOOLEAN: a->def_vkind = SQ_V_INT; a->def_i = lua_toboolean(L, -1); a->def_bool = 1; break;
        case LUA_TNUMBER:
          /* (a float beyond 2^53 stays one: the same default under both builds) */
          if (sq_isint53(L, -1, &iv)) { a->def_vkind = SQ_V_INT; a->def_i = iv; }
          else { a->def_vkind = SQ_V_REAL; a->def_d = lua_tonumber(L, -1); }
          break;
        case LUA_TSTRING: {
          size_t n;
          const char *s = lua_tolstring(L, -1, &n);
          char stored[64];
          if (a->type.kind == SQ_T_DATE) {
            /* in the form every stored date has (Sequelize normalises it too), or refused */
            long long ms;
            int m;
            if ((sq_date_parse(s, n, &ms) && sq_date_parse_js(s, n, &ms)) ||
                (m = db->dialect->date_to_db(ms, stored)) <= 0) {
              lua_pop(L, 1);
              sq_err_set(db, SQ_E_USAGE, "Invalid defaultValue for attribute \"%s\": not a date", a->name);
              return -2;
            }
            stored[m] = '\0';
            s = stored;
            n = (size_t)m;
          } else if (a->type.kind == SQ_T_DATEONLY) {
            /* YYYY-MM-DD, as Sequelize's DATEONLY writes it ('2020-1-2' -> DEFAULT '2020-01-02') */
            if (sq_dateonly_normalise(s, n, stored) < 0) {
              lua_pop(L, 1);
              sq_err_set(db, SQ_E_USAGE, "Invalid defaultValue for attribute \"%s\": not a date", a->name);
              return -2;
            }
            s = stored;
            n = strlen(stored);
          }
          /* a BLOB's bytes: DEFAULT X'6869', as Sequelize writes a Buffer */
          a->def_vkind = a->type.kind == SQ_T_BLOB ? SQ_V_BLOB : SQ_V_TEXT;
          a->def_s = malloc(n + 1);
          if (!a->def_s) { lua_pop(L, 1); return -1; }
          memcpy(a->def_s, s, n + 1);
          a->def_n = n;
          break;
        }
        case LUA_TTABLE: {
          sq_buf b;
          sq_buf_init(&b);
          encode_json_value(L, db, lua_gettop(L), &b, NULL, a->name);
          a->def_vkind = SQ_V_TEXT;
          a->def_s = malloc(b.len + 1);
          if (!a->def_s) { sq_buf_free(&b); lua_pop(L, 1); return -1; }
          memcpy(a->def_s, sq_buf_cstr(&b), b.len + 1);
          a->def_n = b.len;
          sq_buf_free(&b);
          break;
        }
        default:
          if (is_null(L, -1)) { a->def_vkind = SQ_V_NULL; break; }
          lua_pop(L, 1);
          sq_err_set(db, SQ_E_USAGE, "Invalid defaultValue for attribute \"%s\"", a->name);
          return -2;
      }
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, t, "references");
  if (lua_istable(L, -1)) {
    a->ref_table = dup_field(L, lua_gettop(L), "table");
    a->ref_key = dup_field(L, lua_gettop(L), "key");
  }
  lua_pop(L, 1);
  a->on_delete = dup_field(L, t, "onDelete");
  a->on_update = dup_field(L, t, "onUpdate");
  if ((a->on_delete && !sq_fk_action_valid(a->on_delete)) || (a->on_update && !sq_fk_action_valid(a->on_update))) {
    sq_err_set(db, SQ_E_USAGE, "%s: onDelete and onUpdate must be one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, "
               "NO ACTION", a->name);
    return -2;
  }
  a->is_fk = (unsigned char)bool_field(L, t, "isForeignKey");
  lua_getfield(L, t, "validators");
  if (lua_istable(L, -1)) {
    int vt = lua_gettop(L), n = (int)sq_rawlen(L, vt);
    a->validators = calloc((size_t)(n ? n : 1), sizeof *a->validators);
    if (!a->validators) { lua_pop(L, 1); return -1; }
    for (k = 1; k <= n; k++) {
      sq_validator *v = &a->validators[a->nvalidators];
      int j, it;
      lua_rawgeti(L, vt, k);
      it = lua_gettop(L);
      lua_getfield(L, it, "key");
      key = lua_tostring(L, -1);
      for (j = 0; key && j < SQ_VK_N; j++)
        if (!strcmp(vkey_names[j], key)) break;
      lua_pop(L, 1);
      if (!key || j == SQ_VK_N) { lua_pop(L, 2); continue; } /* Lua-side validator */
      v->key = (sq_vkey)j;
      v->msg = dup_field(L, it, "msg");
      lua_getfield(L, it, "name"); /* (an alias: the messages and items name it as given) */
      if (lua_type(L, -1) == LUA_TSTRING) {
        v->name = strdup(lua_tostring(L, -1));
        if (!v->name) { lua_pop(L, 3); a->nvalidators++; return -1; }
      }
      lua_pop(L, 1);
      lua_getfield(L, it, "a");
      v->a = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : -1;
      lua_getfield(L, it, "b");
      v->b = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : -1;
      lua_pop(L, 2);
      lua_getfield(L, it, "list");
      if (lua_istable(L, -1)) {
        v->list = dup_list(L, lua_gettop(L), &v->nlist, &v->lens);
        if (!v->list) { lua_pop(L, 3); a->nvalidators++; return -1; }
      }
      lua_pop(L, 1);
      lua_getfield(L, it, "opts");
      if (lua_istable(L, -1)) {
        v->opts = read_vopts(L, lua_gettop(L));
        if (!v->opts) { lua_pop(L, 2); a->nvalidators++; return -1; }
      }
      lua_pop(L, 2);
      a->nvalidators++;
    }
  }
  lua_pop(L, 1);
  return 0;
}

/* The db box's uservalue's table of its models' boxes by model id, weak (pushed; made on
 * first use): a model whose box is gone has no Lua handle left (sq_db_sweep) */
static void push_boxes(lua_State *L, int dbi) {
  sq_getuservalue(L, dbi);
  lua_getfield(L, -1, "boxes");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    sqb_new_weak_values(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "boxes");
  }
  lua_remove(L, -2);
}

void sqb_push_model_box(lua_State *L, int dbi, sq_db *db, sq_model *m, int owned) {
  modelbox *mb;
  dbi = lua_absindex(L, dbi);
  mb = sq_newuserdata(L, sizeof *mb);
  mb->db = NULL;
  mb->m = NULL;
  mb->owned = 0;
  mb->unheld = 0;
  mb->table = NULL;
  mb->prev = mb->next = NULL;
  luaL_setmetatable(L, MODEL_MT); /* (then filled: its __gc releases the db it holds) */
  mb->db = db;
#if LUA_VERSION_NUM >= 504
  /* (inside a __gc finalizer lua_gc answers -1: Lua 5.4.4's internal stop. One that runs in
   * lua_close gets boxes whose __gc never runs) */
  if (lua_gc(L, LUA_GCCOUNT, 0) < 0) {
    mb->unheld = 1;
    mb->next = db->unheld;
    if (mb->next) mb->next->prev = mb;
    db->unheld = mb;
    db->unheld_drop = sqb_unheld_drop;
  } else
#endif
    sq_db_retain(db);
  mb->m = m;
  mb->owned = owned;
  /* uservalue: { db = dbbox } with the db's uservalue as __index (logging...) */
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, dbi);
  lua_setfield(L, -2, "db");
  lua_createtable(L, 0, 1);
  sq_getuservalue(L, dbi);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  sq_setuservalue(L, -2);
  if (!owned) { /* (a transient model is its box's alone) */
    push_boxes(L, dbi);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, m->id);
    lua_pop(L, 1);
  }
}

/* sq_db_sweep's question: is the model's box still there? (the boxes table on the top) */
static int box_alive(void *ud, const sq_model *m) {
  lua_State *L = ud;
  int alive;
  lua_rawgeti(L, -1, m->id);
  alive = !lua_isnil(L, -1);
  lua_pop(L, 1);
  return alive;
}

/* core.define(db, name, attrs, opts) -> model box */
static int l_define(lua_State *L) {
  sq_db *db = check_db_held(L, 1);
  const char *name = luaL_checkstring(L, 2);
  int k, n, rc;
  sq_model *m;
  const char *created, *updated, *deleted, *version;
  char *table, *singular, *plural;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  if (db->nretired) { /* models replaced earlier whose handles are gone are freed here, where no
                       * C frame holds a model (not in __gc, which may run inside a query) */
    push_boxes(L, 1);
    sq_db_sweep(db, box_alive, L);
    lua_pop(L, 1);
  }
  m = sq_model_new(db, name);
  if (!m) return luaL_error(L, "out of memory");
  m->underscored = (unsigned char)bool_field(L, 4, "underscored");
  n = (int)sq_rawlen(L, 3);
  for (k = 1; k <= n; k++) {
    sq_attr *a;
    lua_rawgeti(L, 3, k);
    lua_getfield(L, -1, "name");
    a = sq_attr_new(lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    if (!a) { sq_model_free(m); return luaL_error(L, "out of memory"); }
    rc = sqb_fill_attr(L, db, a, -1);
    lua_pop(L, 1);
    if (rc || sq_model_add_attr(m, a)) {
      sq_attr_free(a);
      sq_model_free(m);
      if (rc == -2) return raise_db(L, db);
      return luaL_error(L, "out of memory");
    }
  }
  lua_getfield(L, 4, "createdAt");
  created = lua_tostring(L, -1);
  lua_getfield(L, 4, "updatedAt");
  updated = lua_tostring(L, -1);
  table = dup_field(L, 4, "tableName");
  singular = dup_field(L, 4, "singular");
  plural = dup_field(L, 4, "plural");
  lua_getfield(L, 4, "deletedAt"); /* paranoid (Lua checked: only with timestamps) */
  deleted = lua_tostring(L, -1);
  lua_getfield(L, 4, "version"); /* optimistic locking: the attribute's name (Lua checked) */
  version = lua_tostring(L, -1);
  rc = (bool_field(L, 4, "timestamps") && sq_model_add_timestamps(m, created, updated)) ||
       (deleted && sq_model_add_deleted_at(m, deleted)) || (version && sq_model_add_version(m, version)) ||
       sq_model_set_names(m, table, bool_field(L, 4, "freezeTableName"), singular, plural);
  lua_pop(L, 4);
  lua_getfield(L, 4, "schema"); /* Sequelize's sqlite table `schema.table`, one name (Lua checked) */
  if (!rc && lua_isstring(L, -1)) {
    const char *schema = lua_tostring(L, -1), *delim;
    char *full;
    size_t n;
    lua_getfield(L, 4, "schemaDelimiter");
    delim = lua_isstring(L, -1) ? lua_tostring(L, -1) : ".";
    n = strlen(schema) + strlen(delim) + strlen(m->table) + 1;
    full = malloc(n);
    if (full) {
      snprintf(full, n, "%s%s%s", schema, delim, m->table);
      free(m->table);
      m->table = full;
    } else {
      rc = -1;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  free(table);
  free(singular);
  free(plural);
  if (!rc && m->npk == 0 && !m->no_auto_pk && sq_model_attr(m, "id", 2)) {
    /* Sequelize's check: no key was marked, and the default one would take an `id` given */
    char msg[512];
    snprintf(msg, sizeof msg, "A column called 'id' was added to the attributes of '%s' but not marked with "
             "'primaryKey: true'", m->table);
    sq_model_free(m);
    return usage(L, db, "%s", msg);
  }
  rc = rc || sq_model_finish(m);
  if (rc || sq_db_add_model(db, m)) {
    sq_model_free(m);
    return luaL_error(L, "out of memory");
  }
  sqb_push_model_box(L, 1, db, m, 0);
  return 1;
}

/* core.view(model, table) -> a box of the same model whose calls' statements name `table`
 * (Model.schema(name): Sequelize's copy of the model on another schema's table). Its own
 * uservalue holds the copy's instance metatable (core.set_model(view, "mt", mt)); it is not
 * the model's box of record (the Lua copy holds the model's Lua table, which holds that). */
static int l_view(lua_State *L) {
  modelbox *mb = check_modelbox(L, 1), *vb;
  const char *table = luaL_checkstring(L, 2);
  char *t = sq_strdup(table);
  if (!t) return luaL_error(L, "out of memory");
  sq_getuservalue(L, 1);
  lua_getfield(L, -1, "db");
  vb = sq_newuserdata(L, sizeof *vb);
  memset(vb, 0, sizeof *vb);
  vb->table = t; /* (freed by its __gc from here on) */
  luaL_setmetatable(L, MODEL_MT);
#if LUA_VERSION_NUM >= 504
  if (lua_gc(L, LUA_GCCOUNT, 0) < 0) { /* (as sqb_push_model_box: inside a __gc finalizer) */
    vb->unheld = 1;
    vb->next = mb->db->unheld;
    if (vb->next) vb->next->prev = vb;
    mb->db->unheld = vb;
    mb->db->unheld_drop = sqb_unheld_drop;
  } else
#endif
    sq_db_retain(mb->db);
  vb->db = mb->db;
  vb->m = mb->m;
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "db");
  lua_getmetatable(L, -4); /* (the model box's uservalue's metatable: the db's uservalue as __index) */
  lua_setmetatable(L, -2);
  sq_setuservalue(L, -2);
  mb->db->has_views = 1;
  return 1;
}

/* core.forget(model): the Lua side of its define failed: the model is dropped (freed by a later
 * sweep once nothing holds it) and the one of its name it replaced is current again */
static int l_forget(lua_State *L) {
  modelbox *mb = check_modelbox(L, 1);
  sq_db_forget(mb->db, mb->m);
  return 0;
}

static void push_type(lua_State *L, const sq_type *t) {
  lua_createtable(L, 0, 6);
  lua_pushstring(L, sq_type_key(t));
  lua_setfield(L, -2, "key");
  if (t->length >= 0) { lua_pushinteger(L, t->length); lua_setfield(L, -2, "length"); }
  if (t->precision >= 0) { lua_pushinteger(L, t->precision); lua_setfield(L, -2, "precision"); }
  if (t->scale >= 0) { lua_pushinteger(L, t->scale); lua_setfield(L, -2, "scale"); }
  if (t->is_unsigned) { lua_pushboolean(L, 1); lua_setfield(L, -2, "unsigned"); }
  if (t->zerofill) { lua_pushboolean(L, 1); lua_setfield(L, -2, "zerofill"); }
  if (t->binary) { lua_pushboolean(L, 1); lua_setfield(L, -2, "binary"); }
  if (t->nvalues) {
    int k;
    lua_createtable(L, t->nvalues, 0);
    for (k = 0; k < t->nvalues; k++) {
      lua_pushlstring(L, t->values[k], t->value_lens[k]);
      lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "values");
  }
}

/* core.rename_model(model, tableName|nil, singular|nil, plural|nil): the names an afterDefine
 * hook gives the model (Model.tableName, options.name), before it is associated or used, as
 * Sequelize's associations and queries read them later (Lua checked: non-empty strings) */
static int l_rename_model(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  char *v[3] = {NULL, NULL, NULL};
  char **dst[3];
  int k;
  dst[0] = &m->table;
  dst[1] = &m->singular;
  dst[2] = &m->plural;
  for (k = 0; k < 3; k++) {
    if (lua_isnoneornil(L, k + 2)) continue;
    v[k] = sq_strdup(luaL_checkstring(L, k + 2));
    if (!v[k]) {
      while (k-- > 0) free(v[k]);
      return luaL_error(L, "out of memory");
    }
  }
  for (k = 0; k < 3; k++) {
    if (!v[k]) continue;
    free(*dst[k]);
    *dst[k] = v[k];
  }
  if (v[0]) { /* (a statement kept by a query the hook ran names the old table) */
    sq_kept_free(&m->upd);
    sq_kept_free(&m->pkq);
  }
  return 0;
}

/* core.remove_attr(model, name): Sequelize's removeAttribute (before the model is used; an
 * association's key cannot go). A model without a key attribute left has no primary key. */
static int l_remove_attr(lua_State *L) {
  modelbox *mb = check_modelbox(L, 1);
  size_t n;
  const char *name = luaL_checklstring(L, 2, &n);
  sq_model *m = mb->m;
  sq_attr *a = sq_model_attr(m, name, n);
  int i, k;
  if (mb->db->in_logger)
    return usage(L, mb->db, "%s.removeAttribute: a logging function may not change a model's attributes (the "
                 "statement it logs reads them)", m->name);
  if (!a) return usage(L, mb->db, "%s.removeAttribute: unknown attribute '%s'", m->name, name);
  if (m->nattrs == 1) return usage(L, mb->db, "%s.removeAttribute: '%s' is the model's last attribute", m->name, name);
  for (i = 0; i < mb->db->nmodels; i++) {
    const sq_model *o = mb->db->models[i];
    if (!o) continue;
    for (k = 0; k < o->nassocs; k++) {
      const sq_assoc *x = o->assocs[k];
      if (x->fk == a || x->other == a || x->skey == a || x->tkey == a)
        return usage(L, mb->db, "%s.removeAttribute: '%s' is a key of the association %s.%s", m->name, name,
                     o->name, x->as);
    }
  }
  sq_model_remove_attr(m, a->index);
  return 0;
}

/* core.model_info(model) -> { name, tableName, singular, plural, primaryKeyAttribute,
 *   attributes = { { name, field, index, type, primaryKey, ... }, ... } } */
static int l_model_info(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  int k;
  char sqlt[128];
  lua_createtable(L, 0, 8);
  lua_pushstring(L, m->name); lua_setfield(L, -2, "name");
  lua_pushstring(L, m->table); lua_setfield(L, -2, "tableName");
  lua_pushstring(L, m->singular); lua_setfield(L, -2, "singular");
  lua_pushstring(L, m->plural); lua_setfield(L, -2, "plural");
  lua_pushinteger(L, m->id); lua_setfield(L, -2, "id");
  lua_pushinteger(L, (lua_Integer)m->layout); lua_setfield(L, -2, "layout");
  if (m->pk >= 0) { lua_pushstring(L, m->attrs[m->pk]->name); lua_setfield(L, -2, "primaryKeyAttribute"); }
  if (m->created_at >= 0) { lua_pushstring(L, m->attrs[m->created_at]->name); lua_setfield(L, -2, "createdAt"); }
  if (m->updated_at >= 0) { lua_pushstring(L, m->attrs[m->updated_at]->name); lua_setfield(L, -2, "updatedAt"); }
  if (m->deleted_at >= 0) { lua_pushstring(L, m->attrs[m->deleted_at]->name); lua_setfield(L, -2, "deletedAt"); }
  lua_createtable(L, m->nattrs, 0);
  for (k = 0; k < m->nattrs; k++) {
    sq_attr *a = m->attrs[k];
    sq_buf tb;
    lua_createtable(L, 0, 12);
    lua_pushstring(L, a->name); lua_setfield(L, -2, "fieldName");
    lua_pushstring(L, a->field); lua_setfield(L, -2, "field");
    lua_pushinteger(L, k + 1); lua_setfield(L, -2, "index");
    push_type(L, &a->type);
    sq_buf_init(&tb);
    m->db->dialect->type_sql(&tb, &a->type);
    snprintf(sqlt, sizeof sqlt, "%s", sq_buf_cstr(&tb));
    sq_buf_free(&tb);
    lua_pushstring(L, sqlt);
    lua_setfield(L, -2, "sql");
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, a->pk); lua_setfield(L, -2, "primaryKey");
    lua_pushboolean(L, a->autoinc); lua_setfield(L, -2, "autoIncrement");
    if (a->not_null_ddl) lua_pushlightuserdata(L, NULL); /* Sequelize keeps allowNull: null */
    else lua_pushboolean(L, a->allow_null);
    lua_setfield(L, -2, "allowNull");
    /* does a value of this attribute need the C validation pass (beyond its Lua type)? */
    lua_pushboolean(L, a->nvalidators > 0 || !a->allow_null || a->type.kind == SQ_T_ENUM);
    lua_setfield(L, -2, "_checked");
    if (a->unique_name) lua_pushstring(L, a->unique_name);
    else lua_pushboolean(L, a->unique);
    lua_setfield(L, -2, "unique");
    if (a->timestamp || a->version || a->auto_id) { lua_pushboolean(L, 1); lua_setfield(L, -2, "_autoGenerated"); }
    if (a->ref_table) {
      lua_createtable(L, 0, 2);
      lua_pushstring(L, a->ref_table); lua_setfield(L, -2, "model");
      lua_pushstring(L, a->ref_key ? a->ref_key : "id"); lua_setfield(L, -2, "key");
      lua_setfield(L, -2, "references");
    }
    if (a->on_delete) { lua_pushstring(L, a->on_delete); lua_setfield(L, -2, "onDelete"); }
    if (a->on_update) { lua_pushstring(L, a->on_update); lua_setfield(L, -2, "onUpdate"); }
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "attributes");
  return 1;
}

/* (box, key, value): store key = value in the box's uservalue table */
static int set_box_field(lua_State *L, sq_db *db) {
  luaL_checkstring(L, 2);
  lua_settop(L, 3);
  if (db && !strcmp(lua_tostring(L, 2), "logging")) db->box_logging = 1; /* (setup_log looks it up from now on) */
  sq_getuservalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  return 0;
}

/* core.set_model(model, key, value): store on the model box (mt = instance metatable). */
static int l_set_model(lua_State *L) {
  return set_box_field(L, check_modelbox(L, 1)->db);
}

/* core.set_db(db, key, value): store on the db box (logging). */
static int l_set_db(lua_State *L) {
  return set_box_field(L, check_dbbox(L, 1)->db);
}

/* Collect model boxes from the list at `li` (or all the db's live models). */
static int collect_models(lua_State *L, int li, sq_model ***out) {
  int n = (int)sq_rawlen(L, li), k;
  sq_model **v = lua_newuserdata(L, sizeof *v * (size_t)(n ? n : 1));
  for (k = 1; k <= n; k++) {
    lua_rawgeti(L, li, k);
    modelbox *b = check_modelbox(L, -1);
    v[k - 1] = b->m;
    if (b->table) { /* (a Model.schema copy's sync / drop: its table; called after setup_log) */
      b->db->view_m = b->m;
      b->db->view_table = b->table;
    }
    lua_pop(L, 1);
  }
  *out = v;
  return n;
}

/* core.sync(db, models, force, opts) */
static int l_sync(lua_State *L) {
  sq_db *db = check_db(L, 1);
  int force = lua_toboolean(L, 3), opts = opts_index(L, 4), n;
  sq_model **v;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, db, &lg, 1, opts);
  int alter = 0, keep = 0, rc;
  n = collect_models(L, 2, &v);
  if (opts) {
    lua_getfield(L, opts, "alter");
    alter = lua_toboolean(L, -1);
    if (lua_istable(L, -1)) { /* { drop = false }: columns the model lacks are kept (Sequelize) */
      lua_getfield(L, -1, "drop");
      keep = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  db->alter_keep = keep;
  rc = sq_sync(db, v, n, force, alter);
  db->alter_keep = 0;
  if (rc) return raise_db(L, db);
  end_call(db, &lg);
  return 0;
}

/* core.sync_order(db, models) -> the positions (1-based) of the models in the order their
 * tables are created (the ones they refer to first); a cycle raises naming its chain */
static int l_sync_order(lua_State *L) {
  sq_db *db = check_db(L, 1);
  sq_model **v, **out;
  int n, i, j;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = collect_models(L, 2, &v);
  out = lua_newuserdata(L, sizeof *out * (size_t)(n ? n : 1));
  if (sq_sync_order(db, v, n, out)) return raise_db(L, db);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      if (out[i] == v[j]) {
        lua_pushinteger(L, j + 1);
        lua_rawseti(L, -2, i + 1);
        break;
      }
  return 1;
}

/* core.drop(db, models, opts) */
static int l_drop(lua_State *L) {
  sq_db *db = check_db(L, 1);
  int opts = opts_index(L, 3), n;
  sq_model **v;
  logctx lg;
  luaL_checktype(L, 2, LUA_TTABLE);
  setup_log(L, db, &lg, 1, opts);
  n = collect_models(L, 2, &v);
  if (sq_drop(db, v, n)) return raise_db(L, db);
  end_call(db, &lg);
  return 0;
}

/* ------------------------------------------------------------------------- */
/* associations */

static const char *opt_str(lua_State *L, int t, const char *key) {
  const char *v = NULL;
  lua_getfield(L, t, key);
  if (lua_type(L, -1) == LUA_TSTRING) v = lua_tostring(L, -1);
  else if (!lua_isnil(L, -1)) /* (a number made a string here would be gone after the pop) */
    luaL_error(L, "association option %s must be a string, got %s", key, luaL_typename(L, -1));
  lua_pop(L, 1); /* the string stays referenced by the options table */
  return v;
}

static void push_assoc(lua_State *L, const sq_assoc *a) {
  static const char *const kinds[] = {"HasOne", "BelongsTo", "HasMany", "BelongsToMany"};
  lua_createtable(L, 0, 12);
  lua_pushstring(L, kinds[a->kind]); lua_setfield(L, -2, "associationType");
  lua_pushstring(L, a->as); lua_setfield(L, -2, "as");
  lua_pushstring(L, a->singular); lua_setfield(L, -2, "singular");
  lua_pushstring(L, a->plural); lua_setfield(L, -2, "plural");
  lua_pushboolean(L, a->many); lua_setfield(L, -2, "isMultiAssociation");
  lua_pushboolean(L, a->aliased); lua_setfield(L, -2, "isAliased");
  lua_pushinteger(L, a->id); lua_setfield(L, -2, "id");
  lua_pushstring(L, a->fk->name); lua_setfield(L, -2, "foreignKey");
  lua_pushstring(L, a->fk->field); lua_setfield(L, -2, "identifierField");
  if (a->other) { lua_pushstring(L, a->other->name); lua_setfield(L, -2, "otherKey"); }
  if (a->skey) { lua_pushstring(L, a->skey->name); lua_setfield(L, -2, "sourceKey"); }
  if (a->tkey) { lua_pushstring(L, a->tkey->name); lua_setfield(L, -2, "targetKey"); }
}

/* opts[key], a key's attribute definition (normalised by model.lua, with typeGiven and
 * validateGiven), into *out (NULL when not given): 0, or an error raised on the db */
static int read_key_def(lua_State *L, sq_db *db, const char *key, sq_attr **out, int *flags) {
  sq_attr *d;
  int r;
  *out = NULL;
  *flags = 0;
  lua_getfield(L, 4, key);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  lua_getfield(L, -1, "name"); /* (the key's, for the errors reading it raises) */
  d = sq_attr_new(lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : key);
  lua_pop(L, 1);
  if (!d) {
    lua_pop(L, 1);
    return sq_err_oom(db);
  }
  r = sqb_fill_attr(L, db, d, -1);
  if (r) {
    sq_attr_free(d);
    lua_pop(L, 1);
    return r == -1 ? sq_err_oom(db) : -1;
  }
  if (bool_field(L, lua_gettop(L), "typeGiven")) *flags |= SQ_KEYDEF_TYPE;
  if (bool_field(L, lua_gettop(L), "validateGiven")) *flags |= SQ_KEYDEF_VALIDATE;
  lua_pop(L, 1);
  *out = d;
  return 0;
}

/* core.associate(source, kind, target, opts) -> info [, new through model box] */
static int l_associate(lua_State *L) {
  modelbox *sb = check_modelbox(L, 1);
  const char *kind = luaL_checkstring(L, 2);
  modelbox *tb = check_modelbox(L, 3);
  sq_assoc_opts o;
  sq_type kt;
  sq_akind k;
  sq_assoc *a;
  sq_model *made = NULL;
  luaL_checktype(L, 4, LUA_TTABLE);
  if (!strcmp(kind, "hasOne")) k = SQ_HAS_ONE;
  else if (!strcmp(kind, "belongsTo")) k = SQ_BELONGS_TO;
  else if (!strcmp(kind, "hasMany")) k = SQ_HAS_MANY;
  else if (!strcmp(kind, "belongsToMany")) k = SQ_BELONGS_TO_MANY;
  else return luaL_error(L, "unknown association kind %s", kind);
  if (sb->db->in_logger)
    return usage(L, sb->db, "%s.%s: a logging function may not make an association (its keys change the models' "
                 "attributes, which the statement it logs reads)", sb->m->name, kind);
  memset(&o, 0, sizeof o);
  o.as_singular = opt_str(L, 4, "as_singular");
  o.as_plural = opt_str(L, 4, "as_plural");
  o.fk = opt_str(L, 4, "foreignKey");
  o.fk_field = opt_str(L, 4, "foreignKeyField");
  o.other_field = opt_str(L, 4, "otherKeyField");
  lua_getfield(L, 4, "foreignKeyUnique");
  o.fk_unique = lua_toboolean(L, -1);
  lua_pop(L, 1);
  o.fk_unique_name = opt_str(L, 4, "foreignKeyUniqueName");
  lua_getfield(L, 4, "allowNull");
  o.fk_allow_null = lua_isnil(L, -1) ? -1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  o.source_key = opt_str(L, 4, "sourceKey");
  o.target_key = opt_str(L, 4, "targetKey");
  o.other_key = opt_str(L, 4, "otherKey");
  o.through_name = opt_str(L, 4, "throughName");
  o.through_schema = opt_str(L, 4, "throughSchema");
  o.through_delim = opt_str(L, 4, "throughSchemaDelimiter");
  lua_getfield(L, 4, "through");
  if (!lua_isnil(L, -1)) o.through = check_modelbox(L, -1)->m;
  lua_pop(L, 1);
  o.on_delete = opt_str(L, 4, "onDelete");
  o.on_update = opt_str(L, 4, "onUpdate");
  lua_getfield(L, 4, "constraints");
  o.constraints = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, 4, "foreignKeyConstraint");
  o.fk_constraint = lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, 4, "throughUnique");
  o.no_unique = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
  lua_pop(L, 1);
  o.unique_key = opt_str(L, 4, "uniqueKey");
  lua_getfield(L, 4, "throughTimestamps"); /* { createdAt, updatedAt, deletedAt, version } (Lua checked) */
  if (lua_istable(L, -1)) {
    o.stamps_given = 1;
    o.created_at = opt_str(L, lua_gettop(L), "createdAt");
    o.updated_at = opt_str(L, lua_gettop(L), "updatedAt");
    o.deleted_at = opt_str(L, lua_gettop(L), "deletedAt");
    o.version = opt_str(L, lua_gettop(L), "version");
  }
  lua_pop(L, 1);
  lua_getfield(L, 4, "keyType"); /* a DataTypes value (Lua checked): the added key's type */
  if (lua_istable(L, -1)) {
    int r;
    memset(&kt, 0, sizeof kt);
    r = read_attr_type(L, sb->db, lua_gettop(L), &kt, "keyType");
    if (r) {
      sq_type_free(&kt);
      lua_pop(L, 1);
      if (r == -1) sq_err_oom(sb->db);
      return raise_db(L, sb->db);
    }
    o.key_type = &kt;
  }
  lua_pop(L, 1);
  {
    sq_attr *fd = NULL, *od = NULL;
    if (read_key_def(L, sb->db, "foreignKeyDef", &fd, &o.fk_def_flags) ||
        read_key_def(L, sb->db, "otherKeyDef", &od, &o.other_def_flags)) {
      sq_attr_free(fd);
      if (o.key_type) sq_type_free(&kt);
      return raise_db(L, sb->db);
    }
    o.fk_def = fd;
    o.other_def = od;
    a = sq_associate(sb->db, k, sb->m, tb->m, &o, &made);
    sq_attr_free(fd);
    sq_attr_free(od);
  }
  if (o.key_type) sq_type_free(&kt);
  if (!a) return raise_db(L, sb->db);
  push_assoc(L, a);
  if (a->paired) { /* the reverse n:m's keys may have changed with this one */
    push_assoc(L, a->paired);
    lua_setfield(L, -2, "paired");
  }
  if (made) {
    sq_getuservalue(L, 1);
    lua_getfield(L, -1, "db");
    lua_replace(L, -2);
    sqb_push_model_box(L, lua_gettop(L), sb->db, made, 0);
    lua_remove(L, -2);
    return 2;
  }
  if (a->through) {
    lua_pushnil(L);
    lua_pushinteger(L, a->through->id);
    return 3;
  }
  return 1;
}

/* A collation name as an index takes it: an identifier (letters, digits, _), like NOCASE */
static int is_collation(const char *s) {
  size_t i, n = strlen(s);
  if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9')) return 0;
  for (i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '_'))
      return 0;
  return 1;
}

static int ascii_ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'a' && x <= 'z') x = (char)(x - 32);
    if (y >= 'a' && y <= 'z') y = (char)(y - 32);
    if (x != y) return 0;
  }
  return *a == *b;
}

/* core.create_index(db, spec, opts): CREATE [UNIQUE] INDEX as the dialect writes it. spec:
 * table, name, unique, fields (a list of column names or { column =, order = "ASC"|"DESC",
 * collate = identifier }, or { expr = Sequelize.fn / col / literal, order, collate }), where (a where tree, as findAll's, over the attributes of
 * spec.model, a model box; its values written as literals), exists_ok (do nothing when
 * the table has an index of that name: Sequelize's sync checks its index list first), dry (return
 * the statement's text instead of running it: the checks without the write). */
static int l_create_index(lua_State *L) {
  sq_db *db = check_db(L, 1);
  int opts = opts_index(L, 3), n, k, rc, mi, dry;
  const char *table, *name;
  sq_index ix;
  sq_index_col *cols;
  sq_buf b, wb;
  logctx lg;
  ctx c;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_getfield(L, 2, "table");
  lua_getfield(L, 2, "name");
  table = lua_tostring(L, -2);
  name = lua_tostring(L, -1);
  if (!table || !name) return usage(L, db, "create_index: the table and the index name must be strings");
  lua_getfield(L, 2, "model");
  mi = lua_gettop(L);
  lua_getfield(L, 2, "fields");
  if (!lua_istable(L, -1)) return usage(L, db, "index %s: fields must be a list of columns", name);
  n = (int)sq_rawlen(L, -1);
  if (n == 0) return usage(L, db, "index %s: fields must be a list of columns", name);
  setup_log(L, db, &lg, 1, opts);
  dry = opt_bool(L, 2, "dry");
  if (!dry && opt_bool(L, 2, "exists_ok")) {
    /* (that table's index of that name, as Sequelize's sync reads PRAGMA INDEX_LIST of the
     * table: one of another table's does not stand for it, and CREATE INDEX then raises) */
    static const char q[] = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ? "
                            "AND tbl_name = ? COLLATE NOCASE";
    sq_stmt *st = sq_db_prepare(db, q, sizeof q - 1);
    if (!st) return raise_db(L, db);
    rc = sq_bind_text_copy(st, 1, name, -1);
    if (rc == SQ_DRV_OK) rc = sq_bind_text_copy(st, 2, table, -1);
    if (rc != SQ_DRV_OK) {
      sq_stmt_reset(st);
      sq_db_fail(db, rc, "SELECT 1 FROM sqlite_master");
      return raise_db(L, db);
    }
    rc = sq_stmt_step(st);
    sq_stmt_reset(st);
    if (rc == SQ_STEP_ROW) return 0;
    if (rc != SQ_STEP_DONE) {
      sq_db_fail(db, rc, "SELECT 1 FROM sqlite_master");
      return raise_db(L, db);
    }
  }
  init_ctx(&c, L, db, lua_isnil(L, mi) ? NULL : check_model(L, mi), &lg);
  cols = xalloc(&c, sizeof *cols * (size_t)n);
  for (k = 0; k < n; k++) {
    const char *dir = NULL;
    lua_rawgeti(L, mi + 1, k + 1);
    cols[k].sql = NULL;
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "expr");
      if (!lua_isnil(L, -1)) { /* Sequelize.fn / col / literal: its SQL, values as literals */
        sq_expr *x;
        sq_binds binds;
        sq_buf xb;
        char *p;
        if (!is_expr(L, -1)) return usage(L, db, "index %s: a field's expr must be Sequelize.fn, col or literal", name);
        /* (its columns are resolved against the model: one defined on the table, or the
         * query interface's transient model of the table's columns) */
        if (!c.m) return usage(L, db, "index %s: an expression field needs the model of table %s", name, table);
        c.qual = NULL; /* (an index's expression names its table's columns unqualified) */
        x = parse_value_expr(&c, lua_gettop(L), "index");
        sq_buf_init(&xb);
        sq_binds_init(&binds, c.arena);
        binds.literal = 1;
        if (sq_sql_expr(db, &xb, &binds, x)) { sq_buf_free(&xb); return raise_db(L, db); }
        if (xb.oom) { sq_buf_free(&xb); return luaL_error(L, "out of memory"); }
        p = xalloc(&c, xb.len + 1);
        memcpy(p, sq_buf_cstr(&xb), xb.len + 1);
        sq_buf_free(&xb);
        cols[k].sql = p;
        cols[k].column = "";
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "column");
      if (!cols[k].sql) cols[k].column = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      lua_getfield(L, -2, "collate");
      if (!lua_isnil(L, -1)) {
        cols[k].collate = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!cols[k].collate || !is_collation(cols[k].collate))
          return usage(L, db, "index %s: a field's collate must be a collation name (letters, digits, _), "
                       "like NOCASE", name);
      }
      lua_getfield(L, -3, "order");
      if (!lua_isnil(L, -1)) {
        dir = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        if (ascii_ieq(dir, "ASC")) cols[k].dir = SQ_IX_ASC;
        else if (ascii_ieq(dir, "DESC")) cols[k].dir = SQ_IX_DESC;
        else return usage(L, db, "index %s: a field's order must be \"ASC\" or \"DESC\"", name);
      }
      lua_pop(L, 3); /* (the strings stay in the field tables, in the list) */
    } else {
      cols[k].column = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    }
    lua_pop(L, 1);
    if (!cols[k].column) return usage(L, db, "index %s: columns must be names", name);
  }
  memset(&ix, 0, sizeof ix);
  ix.table = table;
  ix.name = name;
  ix.unique = opt_bool(L, 2, "unique");
  ix.cols = cols;
  ix.ncols = n;
  sq_buf_init(&wb); /* (nothing allocated until the where is written) */
  lua_getfield(L, 2, "where");
  if (!lua_isnil(L, -1)) {
    sq_where *w;
    sq_binds binds;
    lua_pop(L, 1);
    if (!c.m) return usage(L, db, "index %s: a where needs the model of table %s", name, table);
    w = get_where(&c, 2);
    if (!sq_where_is_empty(w)) {
      sq_binds_init(&binds, c.arena);
      binds.literal = 1;
      if (sq_sql_condition(db, &wb, &binds, w)) { sq_buf_free(&wb); return raise_db(L, db); }
      if (wb.oom) { sq_buf_free(&wb); return luaL_error(L, "out of memory"); }
      ix.where = sq_buf_cstr(&wb);
    }
  } else {
    lua_pop(L, 1);
  }
  sq_buf_init(&b);
  db->dialect->create_index(&b, &ix);
  sq_buf_free(&wb);
  if (b.oom) { sq_buf_free(&b); return luaL_error(L, "out of memory"); }
  if (dry) { /* (checked and written, not run: sync checks every index before its DDL) */
    lua_pushlstring(L, sq_buf_cstr(&b), b.len);
    sq_buf_free(&b);
    release_ctx(&c);
    return 1;
  }
  if (sq_db_exec_buf(db, &b)) return raise_db(L, db);
  release_ctx(&c);
  return 0;
}

/* core.drop_index(db, name, opts): DROP INDEX IF EXISTS (Sequelize's removeIndex) */
static int l_drop_index(lua_State *L) {
  sq_db *db = check_db(L, 1);
  const char *name = luaL_checkstring(L, 2);
  int opts = opts_index(L, 3);
  sq_buf b;
  logctx lg;
  setup_log(L, db, &lg, 1, opts);
  sq_buf_init(&b);
  db->dialect->drop_index(&b, name);
  if (sq_db_exec_buf(db, &b)) return raise_db(L, db);
  end_call(db, &lg);
  return 0;
}

/* Push the text built in b (the dialect's) and free b: 1, or a raise when b ran out of memory */
static int push_text(lua_State *L, sq_buf *b) {
  if (b->oom) {
    sq_buf_free(b);
    return luaL_error(L, "out of memory");
  }
  lua_pushlstring(L, sq_buf_cstr(b), b->len);
  sq_buf_free(b);
  return 1;
}

/* core.introspect_sql(db, what) -> the dialect's statement for the query interface: what is
 * "tables" (rows with `name`) | "index_def" (the index's stored definition, its name and its table's bound) |
 * "version" (the database's, one row with `version`) | "constraints" (the stored SQL of a
 * table and its indexes: the table's name and a LIKE pattern or NULL bound). (A table's
 * columns, indexes and foreign keys are read by the dialect: core.qi_columns and the others,
 * bind_qi.c.) */
static int l_introspect_sql(lua_State *L) {
  static const char *const whats[] = {"tables", "index_def", "version", "constraints", NULL};
  sq_db *db = check_db(L, 1);
  int what = luaL_checkoption(L, 2, NULL, whats);
  sq_buf b;
  sq_buf_init(&b);
  db->dialect->introspect(&b, what);
  return push_text(L, &b);
}

/* core.quote_identifier(db, name) -> the name as the dialect quotes it, its backticks removed
 * first (Sequelize's sqlite quoteIdentifier: Utils.addTicks(Utils.removeTicks(x))) */
static int l_quote_identifier(lua_State *L) {
  sq_db *db = check_db(L, 1);
  size_t n, i, k = 0;
  const char *s = luaL_checklstring(L, 2, &n);
  char *t;
  sq_buf b;
  luaL_Buffer lb;
  luaL_buffinit(L, &lb);
  for (i = 0; i < n; i++)
    if (s[i] != '`') luaL_addchar(&lb, s[i]);
  luaL_pushresult(&lb);
  t = (char *)lua_tolstring(L, -1, &k);
  sq_buf_init(&b);
  db->dialect->quote(&b, t, k);
  return push_text(L, &b);
}

/* core.models_held(db) -> how many models the db holds (defined, made as through models,
 * replaced ones not yet freed): what the specs check redefinition frees */
static int l_models_held(lua_State *L) {
  sq_db *db = check_dbbox(L, 1)->db;
  int i, n = 0;
  for (i = 0; db && i < db->nmodels; i++) n += db->models[i] != NULL;
  lua_pushinteger(L, n);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"models_held", l_models_held},
  {"introspect_sql", l_introspect_sql},
  {"quote_identifier", l_quote_identifier},
  {"type_sql", l_type_sql},
  {"set_db", l_set_db},
  {"define", l_define},
  {"forget", l_forget},
  {"associate", l_associate},
  {"model_info", l_model_info},
  {"remove_attr", l_remove_attr},
  {"rename_model", l_rename_model},
  {"set_model", l_set_model},
  {"view", l_view}, {"sync", l_sync}, {"sync_order", l_sync_order},
  {"drop", l_drop},
  {"create_index", l_create_index},
  {"drop_index", l_drop_index},
  {NULL, NULL}};

void sqb_open_model(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
