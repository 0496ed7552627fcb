/* bind_validate.c: the C part of validation: allowNull, ENUM values and Sequelize's
 * built-in validators (validate.c) over an instance's values, collecting Sequelize's
 * messages. User functions and Lua-pattern validators run afterwards in Lua.
 */
#include "binding.h"

/* Sequelize's validatorKey for a type check that failed: its DataType's key and " validator" */
static const char *type_vkey(const sq_type *t) {
  switch (t->variant) {
    case SQ_TV_TINYINT: return "TINYINT validator";
    case SQ_TV_SMALLINT: return "SMALLINT validator";
    case SQ_TV_MEDIUMINT: return "MEDIUMINT validator";
    case SQ_TV_CITEXT: return "CITEXT validator";
    default: break;
  }
  switch (t->kind) {
    case SQ_T_STRING: return "STRING validator";
    case SQ_T_CHAR: return "CHAR validator";
    case SQ_T_TEXT: return "TEXT validator";
    case SQ_T_INTEGER: return "INTEGER validator";
    case SQ_T_BIGINT: return "BIGINT validator";
    case SQ_T_FLOAT: return "FLOAT validator";
    case SQ_T_DOUBLE: return "DOUBLE PRECISION validator";
    case SQ_T_REAL: return "REAL validator";
    case SQ_T_DECIMAL: return "DECIMAL validator";
    case SQ_T_BOOLEAN: return "BOOLEAN validator";
    case SQ_T_DATE: return "DATE validator";
    case SQ_T_UUID: return "UUID validator";
    case SQ_T_BLOB: return "BLOB validator";
    case SQ_T_ENUM: return "ENUM validator";
    default: return NULL;
  }
}

/* The value as JavaScript's String(value) would print it, or NULL when validators
 * do not apply (tables). */
static const char *js_string(lua_State *L, int idx, char *tmp, size_t tmpn, size_t *len) {
  long long iv;
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: return lua_tolstring(L, idx, len);
    case LUA_TBOOLEAN: {
      const char *s = lua_toboolean(L, idx) ? "true" : "false";
      *len = strlen(s);
      return s;
    }
    case LUA_TNUMBER: {
      sq_buf b;
      sq_jw w;
      if (sq_isinteger(L, idx, &iv)) {
        *len = (size_t)snprintf(tmp, tmpn, "%lld", iv);
        return tmp;
      }
      sq_buf_init(&b);
      sq_jw_init(&w, &b, 0);
      sq_jw_number(&w, lua_tonumber(L, idx));
      *len = b.len < tmpn - 1 ? b.len : tmpn - 1;
      memcpy(tmp, sq_buf_cstr(&b), *len);
      tmp[*len] = '\0';
      sq_buf_free(&b);
      return tmp;
    }
    default: return NULL;
  }
}

/* Raise the ValidationError of a value refused: the message in b (freed here), one item
 * for attribute a holding the value at i, with validatorKey vkey. */
static void raise_value(ctx *c, int i, const sq_attr *a, sq_buf *b, const char *vkey) {
  lua_State *L = c->L;
  if (b->oom) {
    sq_buf_free(b);
    sq_err_oom(c->db);
    raise_db(L, c->db);
  }
  sq_err_set(c->db, SQ_E_VALUE, "%s", sq_buf_cstr(b));
  sq_buf_free(b);
  sq_buf_adds(&c->db->err.detail, a->name);
  c->db->err.vkey = vkey;
  stash_err_value(L, i);
  raise_db(L, c->db);
}

/* An ENUM's values as the JSON list its messages show, after what b holds: ["a","b"] */
static void enum_choices(sq_buf *b, const sq_attr *a) {
  sq_jw w;
  int j;
  sq_jw_init(&w, b, 0);
  sq_jw_begin_array(&w);
  for (j = 0; j < a->type.nvalues; j++) sq_jw_string(&w, a->type.values[j], a->type.value_lens[j]);
  sq_jw_end_array(&w);
}

/* typeValidation: Sequelize's DataType#validate, which its query generator runs on every
 * value it writes or compares when the db was made with `typeValidation = true` (a value JS
 * reads as false -- 0, "", false -- is not checked, nor is a table: the conversion that
 * follows refuses those). The error is Sequelize's: a ValidationError whose message is
 * '"abc" is not a valid integer', with one item for the attribute. */
void type_validate(ctx *c, int i, int t, const sq_attr *a) {
  lua_State *L = c->L;
  char tmp[64];
  size_t n = 0;
  const char *s, *key = NULL;
  long long ms;
  int ok = 1, j;
  sq_buf b;
  sq_jw w;
  if (t == LUA_TTABLE || t == LUA_TNIL || t == LUA_TLIGHTUSERDATA) return;
  if (t == LUA_TBOOLEAN && !lua_toboolean(L, i)) return;
  if (t == LUA_TNUMBER && lua_tonumber(L, i) == 0) return;
  s = js_string(L, i, tmp, sizeof tmp, &n);
  if (!s) return; /* (functions, userdata: the conversion names what was expected) */
  if (t == LUA_TSTRING && n == 0) return;
  switch (a->type.kind) {
    case SQ_T_STRING: case SQ_T_CHAR: key = "string"; ok = t == LUA_TSTRING || t == LUA_TNUMBER; break;
    case SQ_T_TEXT: /* (CITEXT's check is TEXT's; TIME has none) */
      if (a->type.variant == SQ_TV_TIME) return;
      key = "string";
      ok = t == LUA_TSTRING;
      break;
    case SQ_T_INTEGER: /* '"x" is not a valid tinyint': Sequelize's INTEGER#validate names this.key */
      key = a->type.variant == SQ_TV_TINYINT ? "tinyint" : a->type.variant == SQ_TV_SMALLINT ? "smallint"
          : a->type.variant == SQ_TV_MEDIUMINT ? "mediumint" : "integer";
      ok = sq_v_is_int(s, n);
      break;
    case SQ_T_BIGINT: key = "bigint"; ok = sq_v_is_int(s, n); break;
    case SQ_T_FLOAT: key = "float"; ok = sq_v_is_float(s, n); break;
    case SQ_T_DOUBLE: key = "double precision"; ok = sq_v_is_float(s, n); break;
    case SQ_T_REAL: key = "real"; ok = sq_v_is_float(s, n); break;
    case SQ_T_DECIMAL: key = "decimal"; ok = sq_v_is_decimal(s, n); break;
    case SQ_T_BOOLEAN: key = "boolean"; ok = sq_v_is_boolean(s, n); break;
    case SQ_T_DATE: /* (a number is seconds since the epoch here: API.md) */
      key = "date";
      ok = t == LUA_TNUMBER || !sq_date_parse(s, n, &ms) || !sq_date_parse_js(s, n, &ms);
      break;
    case SQ_T_UUID: key = "uuid"; ok = t == LUA_TSTRING && sq_v_is_uuid(s, n); break;
    case SQ_T_BLOB: key = "blob"; ok = t == LUA_TSTRING; break;
    case SQ_T_ENUM:
      key = "choice in ";
      ok = !a->type.nvalues;
      for (j = 0; j < a->type.nvalues && !ok; j++)
        ok = t == LUA_TSTRING && a->type.value_lens[j] == n && !memcmp(a->type.values[j], s, n);
      break;
    default: return; /* JSON, DATEONLY: no check (Sequelize has none) */
  }
  if (ok) return;
  sq_buf_init(&b);
  sq_jw_init(&w, &b, 0);
  if (t == LUA_TSTRING) sq_jw_string(&w, s, n);
  else sq_buf_add(&b, s, n); /* a number or true, as JSON prints it */
  sq_buf_adds(&b, " is not a valid ");
  sq_buf_adds(&b, key);
  if (a->type.kind == SQ_T_ENUM) enum_choices(&b, a);
  raise_value(c, i, a, &b, type_vkey(&a->type));
}

/* Is the value at i outside the ENUM's list (a string not among its values, or a number,
 * which none is: Sequelize's values.includes(5) is false)? Then the message Sequelize's
 * check gives ('"zz" is not a valid choice in ["a","b"]', '5 is not ...') into b, which
 * the caller frees. Any other type is left to the type checks (0). */
static int enum_outside(lua_State *L, int i, const sq_attr *a, sq_buf *b) {
  size_t n = 0;
  const char *s = NULL;
  int j, t = lua_type(L, i);
  sq_jw w;
  if (a->type.kind != SQ_T_ENUM || !a->type.nvalues || (t != LUA_TSTRING && t != LUA_TNUMBER)) return 0;
  if (t == LUA_TSTRING) {
    s = lua_tolstring(L, i, &n);
    for (j = 0; j < a->type.nvalues; j++)
      if (a->type.value_lens[j] == n && !memcmp(a->type.values[j], s, n)) return 0;
  }
  sq_buf_init(b);
  sq_jw_init(&w, b, 0);
  if (t == LUA_TNUMBER) {
    long long iv;
    if (sq_isinteger(L, i, &iv)) sq_jw_integer(&w, iv);
    else sq_jw_number(&w, lua_tonumber(L, i));
  } else {
    sq_jw_string(&w, s, n);
  }
  sq_buf_adds(b, " is not a valid choice in ");
  enum_choices(b, a);
  return 1;
}

/* An ENUM's value on a write: one outside the list raises the ValidationError the
 * validation pass gives, so that a value a hook set after validation (beforeCreate,
 * beforeBulkCreate, beforeBulkUpdate) is checked too. */
void enum_check(ctx *c, int i, const sq_attr *a) {
  lua_State *L = c->L;
  sq_buf b;
  if (!enum_outside(L, i, a, &b)) return;
  raise_value(c, i, a, &b, c->db->type_validation ? "ENUM validator" : "isIn");
}

/* JavaScript's parseFloat: the longest prefix (after white space) that is a decimal number
 * or Infinity; *ok = 0 where parseFloat gives NaN. (strtod would also read "0x1A" and "inf".) */
static double js_parse_float(const char *s, size_t n, int *ok) {
  char tmp[64];
  size_t i = 0, m = 0, digits = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')) i++;
  if (i < n && (s[i] == '+' || s[i] == '-')) tmp[m++] = s[i++];
  if (n - i >= 8 && !memcmp(s + i, "Infinity", 8)) {
    *ok = 1;
    return m && tmp[0] == '-' ? -HUGE_VAL : HUGE_VAL;
  }
  while (i < n && m < sizeof tmp - 8 && s[i] >= '0' && s[i] <= '9') { tmp[m++] = s[i++]; digits++; }
  if (i < n && s[i] == '.') {
    tmp[m++] = s[i++];
    while (i < n && m < sizeof tmp - 8 && s[i] >= '0' && s[i] <= '9') { tmp[m++] = s[i++]; digits++; }
  }
  if (digits && i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t save = m, j = i + 1;
    tmp[m++] = 'e';
    if (j < n && (s[j] == '+' || s[j] == '-')) tmp[m++] = s[j++];
    if (j < n && s[j] >= '0' && s[j] <= '9') {
      while (j < n && m < sizeof tmp - 1 && s[j] >= '0' && s[j] <= '9') tmp[m++] = s[j++];
    } else {
      m = save; /* "1e" reads as 1 */
    }
  }
  tmp[m] = '\0';
  *ok = digits > 0;
  return *ok ? strtod(tmp, NULL) : 0;
}

static int run_validator(const sq_validator *v, const char *s, size_t n, int is_date) {
  int k;
  switch (v->key) {
    case SQ_VK_ISEMAIL: return v->opts ? sq_v_is_email_opts(s, n, v->opts) : sq_v_is_email(s, n);
    case SQ_VK_ISURL: return v->opts ? sq_v_is_url_opts(s, n, v->opts) : sq_v_is_url(s, n);
    case SQ_VK_ISIP: /* (a: the version Sequelize passes, 4 or 6; -1: none) */
      return v->a == 4 ? sq_v_is_ipv4(s, n) : v->a == 6 ? sq_v_is_ipv6(s, n) : sq_v_is_ip(s, n);
    case SQ_VK_ISIPV4: return sq_v_is_ipv4(s, n);
    case SQ_VK_ISIPV6: return sq_v_is_ipv6(s, n);
    case SQ_VK_ISALPHA: return sq_v_is_alpha(s, n);
    case SQ_VK_ISALPHANUMERIC: return sq_v_is_alphanumeric(s, n);
    case SQ_VK_ISNUMERIC: return sq_v_is_numeric(s, n);
    case SQ_VK_ISINT:
    case SQ_VK_ISFLOAT: {
      /* the format, then validator.js's { min, max } (a, b; -1 and -1 when the core made
       * the validator without them) */
      int ok;
      double d;
      if (!(v->key == SQ_VK_ISINT ? sq_v_is_int(s, n) : sq_v_is_float(s, n))) return 0;
      d = js_parse_float(s, n, &ok);
      return !ok || (d >= v->a && d <= v->b);
    }
    case SQ_VK_ISDECIMAL: return sq_v_is_decimal(s, n);
    case SQ_VK_ISLOWERCASE: return sq_v_is_lowercase(s, n);
    case SQ_VK_ISUPPERCASE: return sq_v_is_uppercase(s, n);
    case SQ_VK_ISUUID: /* a: the version, 0 "loose", -1 (none given) all */
      return v->a > 0 ? sq_v_is_uuid_version(s, n, (int)v->a)
                      : v->a == 0 ? sq_v_is_uuid_version(s, n, -1) : sq_v_is_uuid(s, n);
    case SQ_VK_NOTEMPTY: return sq_v_not_empty(s, n);
    case SQ_VK_ISDATE: return sq_v_is_date(s, n);
    case SQ_VK_ISIN:
    case SQ_VK_NOTIN:
      for (k = 0; k < v->nlist; k++)
        if (v->lens[k] == n && !memcmp(v->list[k], s, n)) return v->key == SQ_VK_ISIN;
      return v->key == SQ_VK_NOTIN;
    case SQ_VK_LEN: return sq_v_len(s, n, (long long)(v->a >= 0 ? v->a : 0), (long long)v->b);
    case SQ_VK_MIN:
    case SQ_VK_MAX: {
      int ok;
      double d = js_parse_float(s, n, &ok);
      if (!ok) return 1; /* parseFloat gives NaN: Sequelize lets it pass */
      return v->key == SQ_VK_MIN ? d >= v->a : d <= v->a;
    }
    case SQ_VK_CONTAINS:
    case SQ_VK_NOTCONTAINS: {
      int has = v->nlist > 0 && sq_v_contains(s, n, v->list[0], v->lens[0]);
      return v->key == SQ_VK_CONTAINS ? has : !has;
    }
    case SQ_VK_EQUALS: return v->nlist > 0 && v->lens[0] == n && !memcmp(v->list[0], s, n);
    case SQ_VK_ISAFTER:
    case SQ_VK_ISBEFORE:
      return v->nlist > 0 &&
             sq_v_date_cmp(s, n, v->list[0], v->lens[0], v->key == SQ_VK_ISAFTER, is_date);
    case SQ_VK_NOTNULL: return 1;
    case SQ_VK_ISNULL: return sq_v_is_null(s, n);
    case SQ_VK_ISHEXADECIMAL: return sq_v_is_hexadecimal(s, n);
    case SQ_VK_ISOCTAL: return sq_v_is_octal(s, n);
    case SQ_VK_ISASCII: return sq_v_is_ascii(s, n);
    case SQ_VK_ISBASE64: return sq_v_is_base64(s, n);
    case SQ_VK_ISHEXCOLOR: return sq_v_is_hex_color(s, n);
    case SQ_VK_ISBOOLEAN: return sq_v_is_boolean(s, n);
    case SQ_VK_ISPORT: return sq_v_is_port(s, n);
    case SQ_VK_ISMD5: return sq_v_is_md5(s, n);
    case SQ_VK_ISMONGOID: return sq_v_is_mongo_id(s, n);
    case SQ_VK_ISSLUG: return sq_v_is_slug(s, n);
    case SQ_VK_ISJSON: return sq_v_is_json(s, n);
    case SQ_VK_ISLUHNNUMBER: return sq_v_is_luhn(s, n);
    case SQ_VK_ISCREDITCARD: return sq_v_is_credit_card(s, n);
    case SQ_VK_ISEMPTY: return sq_v_is_empty(s, n, v->a > 0);
    case SQ_VK_ISDIVISIBLEBY: {
      /* toFloat(str) % parseInt(num, 10) === 0: toFloat is parseFloat of an isFloat string,
       * NaN otherwise; a: the divisor (NaN where parseInt gives NaN, which fails all) */
      int ok;
      double d;
      if (!sq_v_is_float(s, n)) return 0;
      d = js_parse_float(s, n, &ok);
      return ok && fmod(d, v->a) == 0;
    }
    case SQ_VK_ISISO8601: return sq_v_is_iso8601(s, n, v->a > 0, v->b > 0);
    case SQ_VK_ISMACADDRESS: return sq_v_is_mac_address(s, n, (int)v->a, v->b > 0);
    case SQ_VK_ISSEMVER: return sq_v_is_semver(s, n);
    case SQ_VK_ISLATLONG: return sq_v_is_lat_long(s, n, v->a > 0);
    case SQ_VK_ISMIMETYPE: return sq_v_is_mime_type(s, n);
    case SQ_VK_ISJWT: return sq_v_is_jwt(s, n);
    case SQ_VK_ISLOCALE: return sq_v_is_locale(s, n);
    case SQ_VK_ISCURRENCY: return sq_v_is_currency(s, n);
    case SQ_VK_ISRGBCOLOR: return sq_v_is_rgb_color(s, n, v->a > 0, v->b > 0);
    case SQ_VK_ISHSL: return sq_v_is_hsl(s, n);
    case SQ_VK_ISTIME: return sq_v_is_time(s, n, v->a > 0, v->b > 0 ? (int)v->b : 0);
    case SQ_VK_ISRFC3339: return sq_v_is_rfc3339(s, n);
    case SQ_VK_ISBASE32: return sq_v_is_base32(s, n, v->a > 0);
    case SQ_VK_ISBASE58: return sq_v_is_base58(s, n);
    case SQ_VK_ISULID: return sq_v_is_ulid(s, n);
    case SQ_VK_ISETHEREUMADDRESS: return sq_v_is_ethereum_address(s, n);
    case SQ_VK_ISBTCADDRESS: return sq_v_is_btc_address(s, n);
    case SQ_VK_ISMULTIBYTE: return sq_v_is_multibyte(s, n);
    case SQ_VK_ISFULLWIDTH: return sq_v_is_full_width(s, n);
    case SQ_VK_ISHALFWIDTH: return sq_v_is_half_width(s, n);
    case SQ_VK_ISVARIABLEWIDTH: return sq_v_is_variable_width(s, n);
    case SQ_VK_ISMAGNETURI: return sq_v_is_magnet_uri(s, n);
    case SQ_VK_ISHASH: return sq_v_is_hash(s, n, (int)v->a);
    case SQ_VK_ISFQDN: return v->opts ? sq_v_is_fqdn_opts(s, n, v->opts->flags) : sq_v_is_fqdn(s, n);
    case SQ_VK_ISSTRONGPASSWORD: { /* list: minLength, minLowercase, minUppercase, minNumbers, minSymbols
                                    * [, the six points: returnScore] */
      double min[5] = {8, 1, 1, 1, 1};
      if (v->nlist >= 11) { /* returnScore: validator.js's score, which Sequelize passes unless 0 or NaN */
        double pts[6], score;
        for (k = 0; k < 6; k++) pts[k] = strtod(v->list[5 + k], NULL);
        if (sq_v_strong_password_score(s, n, pts, &score)) return -1;
        return score == score && score != 0;
      }
      for (k = 0; k < 5 && k < v->nlist; k++) min[k] = strtod(v->list[k], NULL);
      return sq_v_is_strong_password(s, n, min);
    }
    case SQ_VK_ISBYTELENGTH: return sq_v_is_byte_length(s, n, v->a, v->b);
    case SQ_VK_ISEAN: return sq_v_is_ean(s, n);
    case SQ_VK_ISISSN: return sq_v_is_issn(s, n, v->a > 0, v->b > 0);
    case SQ_VK_ISISO31661ALPHA2: return sq_v_is_iso31661_alpha2(s, n, v->list, v->nlist);
    case SQ_VK_ISISO31661ALPHA3: return sq_v_is_iso31661_alpha3(s, n, v->list, v->nlist);
    case SQ_VK_ISISO4217: return sq_v_is_iso4217(s, n);
    default: return 1;
  }
}

static void push_item(lua_State *L, int list, const char *message, const char *type, const sq_attr *a, int vidx,
                      const char *vkey) {
  if (lua_isnil(L, list)) {
    lua_newtable(L);
    lua_replace(L, list);
  }
  lua_createtable(L, 0, 7);
  lua_pushstring(L, message);
  lua_setfield(L, -2, "message");
  lua_pushstring(L, type);
  lua_setfield(L, -2, "type");
  lua_pushstring(L, a->name);
  lua_setfield(L, -2, "path");
  if (vidx) lua_pushvalue(L, vidx);
  else lua_pushlightuserdata(L, NULL);
  lua_setfield(L, -2, "value");
  lua_pushstring(L, vkey);
  lua_setfield(L, -2, "validatorKey");
  /* Sequelize's core checks (null, a non-string for a string) are CORE and name no
   * validator (validatorName null); the built-in validators are FUNCTION */
  if (strcmp(vkey, "is_null") && strcmp(vkey, "not_a_string")) {
    lua_pushstring(L, vkey);
    lua_setfield(L, -2, "validatorName");
    lua_pushstring(L, "FUNCTION");
  } else {
    lua_pushstring(L, "CORE");
  }
  lua_setfield(L, -2, "origin");
  lua_rawseti(L, list, (lua_Integer)sq_rawlen(L, list) + 1);
}

/* Is the table at idx a list as JSON writes it (Sequelize.array_mt, or items 1..n, n > 0)? */
static int js_is_array(lua_State *L, int idx) {
  size_t n = sq_rawlen(L, idx), count = 0;
  if (has_array_mt(L, idx)) return 1;
  if (n == 0) return 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    count++;
  }
  return count == n;
}

/* Append String(value) of the table at idx, as JavaScript writes it: a list its items joined
 * by "," (null and nested lists as Array#join writes them), any other table
 * "[object Object]" (a JSON attribute's value, which Sequelize's validators read so) */
static void js_table_string(lua_State *L, int idx, sq_buf *b, int depth) {
  size_t n, k;
  if (!js_is_array(L, idx)) {
    sq_buf_adds(b, "[object Object]");
    return;
  }
  if (depth > 32) return; /* (Array#join gives "" for a list inside itself) */
  luaL_checkstack(L, 4, "nested lists");
  n = sq_rawlen(L, idx);
  for (k = 1; k <= n; k++) {
    char tmp[64];
    size_t len;
    const char *s;
    if (k > 1) sq_buf_addc(b, ',');
    lua_rawgeti(L, idx, (lua_Integer)k);
    if (lua_istable(L, -1)) {
      js_table_string(L, lua_gettop(L), b, depth + 1);
    } else if (!lua_isnil(L, -1) && !is_null(L, -1) && (s = js_string(L, -1, tmp, sizeof tmp, &len))) {
      sq_buf_add(b, s, len);
    }
    lua_pop(L, 1);
  }
}

/* The attribute's built-in validators over the (non-null) value at vi: a failed one adds an
 * item to the list at `list`. A table (a JSON attribute's value) is validated as its
 * String(value), as Sequelize does. */
static void run_validators(lua_State *L, const sq_attr *a, int vi, int list) {
  char tmp[64];
  size_t n;
  int j, pushed = 0;
  const char *s;
  if (!a->nvalidators) return;
  if (lua_istable(L, vi) && !is_expr(L, vi)) {
    sq_buf b;
    sq_buf_init(&b);
    js_table_string(L, vi, &b, 0);
    if (b.oom) {
      sq_buf_free(&b);
      luaL_error(L, "out of memory");
    }
    lua_pushlstring(L, b.p ? b.p : "", b.len);
    sq_buf_free(&b);
    pushed = 1;
    s = lua_tolstring(L, -1, &n);
  } else {
    s = js_string(L, vi, tmp, sizeof tmp, &n);
  }
  if (!s) return;
  for (j = 0; j < a->nvalidators; j++) {
    const sq_validator *v = &a->validators[j];
    if (v->key == SQ_VK_NOTNULL) continue;
    int ok = run_validator(v, s, n, a->type.kind == SQ_T_DATE);
    if (ok < 0) { /* (isRgbColor / isHSL / isEmail found no memory for their copy) */
      if (pushed) lua_pop(L, 1);
      luaL_error(L, "out of memory");
    }
    if (!ok) {
      const char *vname = v->name ? v->name : vkey_names[v->key];
      if (v->msg) lua_pushstring(L, v->msg);
      else lua_pushfstring(L, "Validation %s on %s failed", vname, a->name);
      push_item(L, list, lua_tostring(L, -1), "Validation error", a, vi, vname);
      lua_pop(L, 1);
    }
  }
  if (pushed) lua_pop(L, 1);
}

/* An ENUM value outside its list: an item (with typeValidation Sequelize's ENUM type check,
 * its validatorKey), marked bare */
static void enum_item(lua_State *L, const sq_model *m, const sq_attr *a, int vi, int list) {
  sq_buf b;
  if (!enum_outside(L, vi, a, &b)) return;
  push_item(L, list, b.oom ? "not a valid choice" : sq_buf_cstr(&b), "Validation error", a, vi,
            m->db->type_validation ? "ENUM validator" : "isIn");
  sq_buf_free(&b);
  lua_rawgeti(L, list, (lua_Integer)sq_rawlen(L, list));
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "bare");
  lua_pop(L, 1);
}

/* Whether an isIn item was added to list after its first `before` items */
static int isin_failed(lua_State *L, int list, size_t before) {
  size_t i, n;
  int found = 0;
  if (!lua_istable(L, list)) return 0;
  n = sq_rawlen(L, list);
  for (i = before + 1; i <= n && !found; i++) {
    lua_rawgeti(L, list, (lua_Integer)i);
    lua_getfield(L, -1, "validatorKey");
    found = lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "isIn");
    lua_pop(L, 2);
  }
  return found;
}

/* core.validate(model, instance, fields_or_nil, is_new) -> list of error items (maybe
 * empty), and a list of attribute names whose values are non-null (for Lua validators) */
static int l_validate(lua_State *L) {
  sq_model *m = check_modelbox(L, 1)->m;
  int is_new = lua_toboolean(L, 4), k, list, fi = 0, own_isin;
  unsigned char *mask, small[256];
  ctx c;
  luaL_checktype(L, 2, LUA_TTABLE);
  migrate_instance(L, 2); /* (a beforeValidate hook changed the model's attributes) */
  if (lua_istable(L, 3)) fi = 3;
  memset(&c, 0, sizeof c); /* no arena: the mask is all this call allocates */
  c.L = L;
  c.db = m->db;
  c.m = m;
  mask = m->nattrs <= (int)sizeof small ? small : lua_newuserdata(L, (size_t)m->nattrs);
  fields_mask(&c, fi, mask);
  lua_pushnil(L); /* the list of items, made on the first failure */
  list = lua_gettop(L);
  for (k = 0; k < m->nattrs; k++) {
    const sq_attr *a = m->attrs[k];
    int vi, j;
    if (!mask[k]) continue;
    lua_rawgeti(L, 2, k + 1);
    vi = lua_gettop(L);
    if (lua_istable(L, vi) && is_expr(L, vi)) { /* SQL (fn, literal, col): not validated (Sequelize) */
      lua_pop(L, 1);
      continue;
    }
    if (lua_isnil(L, vi) || is_null(L, vi)) {
      int explicit_null = is_null(L, vi);
      int required = !a->allow_null;
      for (j = 0; j < a->nvalidators; j++)
        if (a->validators[j].key == SQ_VK_NOTNULL) required = 1;
      /* (a new row's attribute with a literal / fn default: the INSERT leaves it to the
       * column's DEFAULT, which fills it; Sequelize's instance holds the literal, so no
       * notNull violation) */
      if (!explicit_null && is_new && a->def_kind == SQ_DEF_SQL) required = 0;
      if (required && !(a->autoinc) && !(a->timestamp) && (is_new || explicit_null) &&
          !(a->pk && is_new && (a->type.kind == SQ_T_INTEGER || a->type.kind == SQ_T_BIGINT))) {
        const char *custom = NULL;
        for (j = 0; j < a->nvalidators; j++)
          if (a->validators[j].key == SQ_VK_NOTNULL && a->validators[j].msg) custom = a->validators[j].msg;
        /* (messages of any length: a custom one as given, the others made on the stack) */
        if (custom) lua_pushstring(L, custom);
        else lua_pushfstring(L, "%s.%s cannot be null", m->name, a->name);
        push_item(L, list, lua_tostring(L, -1), "notNull Violation", a, 0, "is_null");
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
      continue;
    }
    /* the attribute's own isIn reports a value outside its list, once, as Sequelize's (which
     * checks no ENUM there): without typeValidation the ENUM is not checked here (a write still
     * checks it); with it, only when that isIn passed (Sequelize's type check runs at the query,
     * after validation passed) */
    own_isin = 0;
    for (j = 0; j < a->nvalidators; j++)
      if (a->validators[j].key == SQ_VK_ISIN) own_isin = 1;
    if (!own_isin) enum_item(L, m, a, vi, list);
    if ((a->type.kind == SQ_T_STRING || a->type.kind == SQ_T_TEXT || a->type.kind == SQ_T_CHAR) &&
        lua_istable(L, vi)) {
      lua_pushfstring(L, "%s cannot be an array or an object", a->name);
      push_item(L, list, lua_tostring(L, -1), "string violation", a, vi, "not_a_string");
      lua_pop(L, 1);
      lua_pop(L, 1);
      continue;
    }
    if (own_isin && m->db->type_validation) {
      size_t before = lua_istable(L, list) ? sq_rawlen(L, list) : 0;
      run_validators(L, a, vi, list);
      if (!isin_failed(L, list, before)) enum_item(L, m, a, vi, list);
    } else {
      run_validators(L, a, vi, list);
    }
    lua_pop(L, 1);
  }
  return 1; /* nil when every value passed */
}

/* A VIRTUAL attribute's built-in validators: an attribute the core keeps outside any model
 * (a userdata owning it), as model.lua normalised it ({ name, field, type, validators }) */
#define CHECKER_MT "sequelua.checker"

static int checker_gc(lua_State *L) {
  sq_attr **box = luaL_checkudata(L, 1, CHECKER_MT);
  sq_attr_free(*box);
  *box = NULL;
  return 0;
}

/* core.checker(db, def) -> checker */
static int l_checker(lua_State *L) {
  sq_db *db = check_db_held(L, 1);
  sq_attr **box;
  int rc;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_getfield(L, 2, "name");
  luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 2, "name expected");
  box = lua_newuserdata(L, sizeof *box);
  *box = NULL;
  luaL_getmetatable(L, CHECKER_MT);
  lua_setmetatable(L, -2);
  *box = sq_attr_new(lua_tostring(L, -2));
  if (!*box) return luaL_error(L, "out of memory");
  rc = sqb_fill_attr(L, db, *box, 2);
  if (rc == -2) return raise_db(L, db);
  if (rc) return luaL_error(L, "out of memory");
  return 1;
}

/* core.check(checker, value) -> nil, or the list of error items of the validators that
 * failed (a null, a table or SQL is not checked) */
static int l_check(lua_State *L) {
  sq_attr **box = luaL_checkudata(L, 1, CHECKER_MT);
  int list;
  lua_settop(L, 2);
  if (lua_isnil(L, 2) || is_null(L, 2) || (lua_istable(L, 2) && is_expr(L, 2))) return 0;
  lua_pushnil(L);
  list = lua_gettop(L);
  run_validators(L, *box, 2, list);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"validate", l_validate},
  {"checker", l_checker},
  {"check", l_check},
  {NULL, NULL}};

void sqb_open_validate(lua_State *L) {
  luaL_newmetatable(L, CHECKER_MT);
  lua_pushcfunction(L, checker_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
