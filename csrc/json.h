/* json.h: a streaming JSON writer (output byte-identical to JavaScript's
 * JSON.stringify) and a SAX-style JSON parser (RFC 8259, JSON.parse semantics).
 *
 * Owns: no memory of its own. The writer appends to a caller-owned sq_buf; the
 * parser reads a caller-owned byte range and reports values through callbacks. The
 * parser's only allocation is a scratch sq_buf for strings with escapes (and for
 * very long number literals); the caller may lend one (sq_json_sax.scratch) so that
 * nothing leaks if a callback longjmps (lua_error) out of the parse. No Lua, no
 * global mutable state.
 */
#ifndef SQ_JSON_H
#define SQ_JSON_H

#include <stddef.h>

#include "buf.h"

/* Deepest nesting of arrays/objects either side accepts (JSON.parse has no fixed
 * limit; this keeps the C stack and the writer state bounded). */
#define SQ_JSON_MAX_DEPTH 1000

/* Result codes: 0 is success; every error is negative. */
#define SQ_JSON_OK 0
#define SQ_JSON_ESYNTAX (-1) /* parser: not valid JSON */
#define SQ_JSON_EDEPTH (-2)  /* nested deeper than SQ_JSON_MAX_DEPTH */
#define SQ_JSON_EUTF8 (-3)   /* invalid UTF-8 (incl. overlongs, encoded surrogates, > U+10FFFF) */
#define SQ_JSON_EOOM (-4)    /* allocation failed */
#define SQ_JSON_ESTATE (-5)  /* writer misuse: key outside an object, value without a key,
                                mismatched end, a second top-level value */
#define SQ_JSON_EABORT (-6)  /* parser: a callback returned nonzero */

/* A short static description of a result code. */
const char *sq_json_strerror(int code);

/* ---- writer ----------------------------------------------------------------
 *
 * Call sq_jw_init, then emit exactly one value (a scalar, or begin_*, its members,
 * end_*). Inside an object every value must be preceded by sq_jw_key. Output goes
 * straight into `b`; on any error the buffer holds a partial document and should be
 * discarded (truncate it to the length it had before sq_jw_init). Errors are
 * sticky in the sense that sq_buf's oom flag is: once b->oom is set every call
 * returns SQ_JSON_EOOM.
 *
 * Formatting matches JSON.stringify(x) (indent 0) or JSON.stringify(x, null, indent)
 * (indent 1..10; larger values are clamped to 10 and negative ones to 0, as JS does):
 * "," between members, "\"k\":v" compact or "\"k\": v" pretty, each member on its
 * own line indented `indent` spaces per level, "{}" / "[]" for empty containers.
 * sq_jw_init_gap takes JSON.stringify's string `space` instead: its first 10 characters
 * (UTF-16 code units, as JS counts them) are the indentation of one level.
 */
#define SQ_JW_GAP_MAX 40 /* 10 UTF-16 code units of UTF-8 take at most 30 bytes */
typedef struct sq_jw {
  sq_buf *b;
  int indent;   /* bytes of gap per level */
  int pretty;   /* 0: compact; else the pretty form (a gap of no bytes: lines unindented) */
  char gap[SQ_JW_GAP_MAX + 1]; /* the indentation of one level (spaces, or a string's) */
  int depth;    /* open containers */
  int after_key; /* an object key was written and its value is due */
  /* per depth: bit 0 = has a member (at depth 0: the top-level value was written),
   * bit 1 = is an object */
  unsigned char nonempty[SQ_JSON_MAX_DEPTH + 1];
} sq_jw;

void sq_jw_init(sq_jw *w, sq_buf *b, int indent);
void sq_jw_init_gap(sq_jw *w, sq_buf *b, const char *gap, size_t n);
int sq_jw_begin_object(sq_jw *w);
int sq_jw_end_object(sq_jw *w);
int sq_jw_begin_array(sq_jw *w);
int sq_jw_end_array(sq_jw *w);
/* An object key; `s` is UTF-8 (escaped like any string). */
int sq_jw_key(sq_jw *w, const char *s, size_t n);
/* A string value; `s` must be valid UTF-8, else SQ_JSON_EUTF8 (with a partial string
 * left in the buffer, like any error). */
int sq_jw_string(sq_jw *w, const char *s, size_t n);
/* Is s well-formed UTF-8, as sq_jw_string takes it? */
int sq_json_is_utf8(const char *s, size_t n);
/* The exact decimal digits of v (JS would round |v| > 2^53 to a double; Lua
 * integers are int64, so exact digits are kept. Use sq_jw_number((double)v) for the
 * JS rendering). */
int sq_jw_integer(sq_jw *w, long long v);
/* JS Number::toString: the shortest digits that round-trip, in JS's layout
 * (1, 0.1, 1.5e-7, 1e+21, 123456789012); -0 -> "0"; NaN and +-Infinity -> "null". */
int sq_jw_number(sq_jw *w, double v);
int sq_jw_bool(sq_jw *w, int v);
int sq_jw_null(sq_jw *w);
/* 0 if exactly one complete top-level value was written, else SQ_JSON_ESTATE
 * (or SQ_JSON_EOOM if the buffer ran out of memory). */
int sq_jw_finish(sq_jw *w);

/* Format a double as JS's Number::toString does (as used by sq_jw_number, but
 * NaN -> "NaN", Infinity -> "Infinity", -Infinity -> "-Infinity"). Writes at most
 * SQ_JSON_NUMBER_MAX bytes plus a NUL into out; returns the length. */
#define SQ_JSON_NUMBER_MAX 32
size_t sq_json_format_number(double v, char out[SQ_JSON_NUMBER_MAX + 1]);

/* A number as text for a TEXT column: the same digits (the shortest that read back as v),
 * laid out as SQLite turns a REAL into text (its "%!.17g": 0.30000000000000004, 1.0e+21,
 * 1.0e-07, 1.152921504606847e+18, 10000000000000000.0), so the text reads back as v;
 * an integer up to 2^53 in magnitude as its digits (3, -0 -> 0). v finite. */
size_t sq_format_number_text(double v, char out[SQ_JSON_NUMBER_MAX + 1]);

/* ---- parser ---------------------------------------------------------------- */

typedef struct sq_json_sax {
  void *ud;
  /* Any callback may be NULL (the event is then ignored). A callback returning
   * nonzero aborts the parse with SQ_JSON_EABORT. String and key pointers are valid
   * only during the call and are not NUL-terminated. */
  int (*on_null)(void *ud);
  int (*on_bool)(void *ud, int v);
  int (*on_integer)(void *ud, long long v); /* literals without '.'/'e' that fit int64, except "-0" */
  int (*on_number)(void *ud, double v);     /* everything else (incl. -0 -> -0.0, 1e400 -> inf) */
  int (*on_string)(void *ud, const char *s, size_t n); /* unescaped, valid UTF-8 */
  int (*on_begin_object)(void *ud);
  int (*on_key)(void *ud, const char *s, size_t n);    /* unescaped, valid UTF-8 */
  int (*on_end_object)(void *ud);
  int (*on_begin_array)(void *ud);
  int (*on_end_array)(void *ud);
  /* Optional: a caller-owned buffer the parser uses as scratch (its contents are
   * clobbered, its allocation kept for reuse, a sticky oom flag reset; the caller
   * frees it with sq_buf_free). If NULL the
   * parser uses an internal one and frees it before returning, which leaks if a
   * callback longjmps out. */
  sq_buf *scratch;
} sq_json_sax;

/* Parse exactly one JSON value from s[0..n) (not necessarily NUL-terminated; never
 * read past n). Whitespace (space, \t, \n, \r) may surround it; anything else after
 * it is an error; a byte-order mark is an error (as in JSON.parse).
 *
 * Strings: \uXXXX escapes are decoded to UTF-8, surrogate pairs combined. A lone
 * surrogate escape (which JSON.parse accepts) becomes U+FFFD, so every string
 * handed to a callback is valid UTF-8 and can be written back with sq_jw_string.
 * Raw bytes inside strings must be valid UTF-8 and not control characters.
 *
 * Returns 0 or a negative SQ_JSON_E* code; on error writes a NUL-terminated message
 * into err (if err && errlen), worded like V8's, e.g.
 * "Unexpected token x in JSON at position 5". Positions are byte offsets. */
int sq_json_parse(const char *s, size_t n, const sq_json_sax *sax, char *err, size_t errlen);

#endif
