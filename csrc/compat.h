/* compat.h: the differences between Lua 5.4 and Lua 5.1/LuaJIT 2.1 that the binding
 * touches, so one binding source builds for both. */
#ifndef SQ_COMPAT_H
#define SQ_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

#if LUA_VERSION_NUM < 502
/* Lua 5.1 / LuaJIT */
#define lua_absindex(L, i) (((i) > 0 || (i) <= LUA_REGISTRYINDEX) ? (i) : lua_gettop(L) + (i) + 1)
#define sq_rawlen(L, i) lua_objlen((L), (i))
#define sq_setuservalue(L, i) lua_setfenv((L), (i))
#define sq_getuservalue(L, i) lua_getfenv((L), (i))
#define sq_newuserdata(L, n) lua_newuserdata((L), (n))
#define sq_setfuncs luaL_setfuncs
static inline int sq_isinteger(lua_State *L, int i, long long *out) {
  lua_Number d;
  if (lua_type(L, i) != LUA_TNUMBER) return 0;
  d = lua_tonumber(L, i);
  if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && (lua_Number)(long long)d == d) {
    *out = (long long)d;
    return 1;
  }
  return 0;
}
#define sq_isint53 sq_isinteger
/* LuaJIT has no integer subtype: integers travel as doubles */
#define sq_pushinteger(L, v) lua_pushnumber((L), (lua_Number)(v))
#define SQ_LUA_HAS_INT 0
/* t[0] of a table made by lua_createtable(L, n > 0, ...) lives in its array part */
#define SQ_ZERO_IN_ARRAY 1
#else
#define sq_setfuncs luaL_setfuncs
#define sq_rawlen(L, i) lua_rawlen((L), (i))
#define sq_setuservalue(L, i) lua_setiuservalue((L), (i), 1)
#define sq_getuservalue(L, i) lua_getiuservalue((L), (i), 1)
#define sq_newuserdata(L, n) lua_newuserdatauv((L), (n), 1)
static inline int sq_isinteger(lua_State *L, int i, long long *out) {
  if (lua_isinteger(L, i)) {
    *out = (long long)lua_tointeger(L, i);
    return 1;
  }
  if (lua_type(L, i) == LUA_TNUMBER) {
    lua_Number d = lua_tonumber(L, i);
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && (lua_Number)(long long)d == d) {
      *out = (long long)d;
      return 1;
    }
  }
  return 0;
}
/* an integer as both builds see one: a Lua integer, or a float with an integral value
 * within +-2^53 (a float beyond, 2^60, stays a float, as under LuaJIT) */
static inline int sq_isint53(lua_State *L, int i, long long *out) {
  if (lua_isinteger(L, i)) {
    *out = (long long)lua_tointeger(L, i);
    return 1;
  }
  if (lua_type(L, i) == LUA_TNUMBER) {
    lua_Number d = lua_tonumber(L, i);
    if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && (lua_Number)(long long)d == d) {
      *out = (long long)d;
      return 1;
    }
  }
  return 0;
}
#define sq_pushinteger(L, v) lua_pushinteger((L), (lua_Integer)(v))
#define SQ_LUA_HAS_INT 1
#define SQ_ZERO_IN_ARRAY 0
#endif


#endif
