/* json.c: the JSON writer and SAX parser declared in json.h.
 *
 * Owns: nothing beyond one call. The writer appends to the caller's sq_buf; the
 * parser keeps its state on the C stack (an explicit container stack, no recursion)
 * and, only when a string has escapes or a number literal is very long, a scratch
 * sq_buf (the caller's, or an internal one freed before returning). All tables are
 * const; there is no global mutable state.
 */
#include "json.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sq_json_strerror(int code) {
  switch (code) {
    case SQ_JSON_OK: return "ok";
    case SQ_JSON_ESYNTAX: return "invalid JSON";
    case SQ_JSON_EDEPTH: return "JSON nested too deeply";
    case SQ_JSON_EUTF8: return "invalid UTF-8 in JSON string";
    case SQ_JSON_EOOM: return "out of memory";
    case SQ_JSON_ESTATE: return "JSON writer used out of order";
    case SQ_JSON_EABORT: return "JSON parse aborted";
    default: return "unknown JSON error";
  }
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (p < e, *p >= 0x80), or 0 if it is
 * ill-formed: a stray continuation byte, C0/C1 or F5..FF, an overlong form, an
 * encoded surrogate (U+D800..DFFF), > U+10FFFF, or truncated by e. */
static inline size_t utf8_len(const unsigned char *p, const unsigned char *e) {
  unsigned c = p[0], lo = 0x80, hi = 0xBF;
  size_t avail = (size_t)(e - p);
  if (c < 0xC2) return 0;
  if (c < 0xE0) return (avail >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c < 0xF0) {
    if (c == 0xE0) lo = 0xA0;      /* overlong */
    else if (c == 0xED) hi = 0x9F; /* surrogates */
    return (avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (c == 0xF0) lo = 0x90;      /* overlong */
    else if (c == 0xF4) hi = 0x8F; /* > U+10FFFF */
    return (avail >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) ? 4
                                                                                                        : 0;
  }
  return 0;
}

int sq_json_is_utf8(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *e = p + n;
  while (p < e) {
    size_t l;
    if (*p < 0x80) {
      p++;
      continue;
    }
    if (!(l = utf8_len(p, e))) return 0;
    p += l;
  }
  return 1;
}

/* ---- writer --------------------------------------------------------------- */

#define JW_MEMBER 1 /* the container has a member (depth 0: the value was written) */
#define JW_OBJECT 2

/* Input bytes escaped per reservation: bounds over-reservation to 6x this. */
#define JW_CHUNK 4096

/* Per byte: 0 = copy as is, 1 = escape, 2 = start of a multi-byte sequence. */
static const unsigned char jw_class[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70: DEL is not escaped by JS */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* The letter after '\\' for the bytes jw_class marks 1; 'u' means \u00XX. */
static const char jw_esc[0x60] = {
  'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u', /* 0x00 */
  'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x10 */
  0,   0,   '"', 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   /* 0x20 */
  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   /* 0x30 */
  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   /* 0x40 */
  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   '\\', 0,  0,   0,   /* 0x50 */
};

static const char jw_hex[] = "0123456789abcdef";

static inline int jw_status(const sq_jw *w) { return w->b->oom ? SQ_JSON_EOOM : 0; }

/* Write s as a quoted, escaped JSON string. */
static int jw_quote(sq_buf *b, const unsigned char *s, size_t n) {
  const unsigned char *p = s, *e = s + n;
  char *o;
  size_t chunk = n < JW_CHUNK ? n : JW_CHUNK;
  /* worst case 6 output bytes per input byte; +3 for a sequence that straddles the
   * chunk end, +2 for the quotes */
  if (sq_buf_reserve(b, chunk * 6 + 5)) return SQ_JSON_EOOM;
  o = b->p + b->len;
  *o++ = '"';
  for (;;) {
    const unsigned char *ce = p + chunk;
    while (p < ce) {
      unsigned c = *p;
      switch (jw_class[c]) {
        case 0: *o++ = (char)c; p++; break;
        case 1:
          o[0] = '\\';
          o[1] = jw_esc[c];
          if (o[1] != 'u') {
            o += 2;
          } else {
            o[2] = '0';
            o[3] = '0';
            o[4] = jw_hex[c >> 4];
            o[5] = jw_hex[c & 15];
            o += 6;
          }
          p++;
          break;
        default: {
          size_t l = utf8_len(p, e);
          if (!l) {
            b->p[b->len] = '\0'; /* restore the terminator at len */
            return SQ_JSON_EUTF8;
          }
          memcpy(o, p, l);
          o += l;
          p += l;
        }
      }
    }
    b->len = (size_t)(o - b->p);
    if (p >= e) break;
    chunk = (size_t)(e - p) < JW_CHUNK ? (size_t)(e - p) : JW_CHUNK;
    if (sq_buf_reserve(b, chunk * 6 + 4)) return SQ_JSON_EOOM;
    o = b->p + b->len;
  }
  *o++ = '"'; /* reserved above */
  *o = '\0';
  b->len = (size_t)(o - b->p);
  return 0;
}

/* The indentation of w->depth levels at o (room reserved): the gap once per level. */
static char *jw_indent(const sq_jw *w, char *o) {
  int d;
  for (d = 0; d < w->depth; d++) {
    memcpy(o, w->gap, (size_t)w->indent);
    o += w->indent;
  }
  return o;
}

/* Before a member of the container at w->depth: ',' unless first, then in the pretty
 * form a newline and the indentation. */
static int jw_sep(sq_jw *w) {
  sq_buf *b = w->b;
  unsigned char *f = &w->nonempty[w->depth];
  size_t ind;
  char *o;
  if (!w->pretty) {
    if (*f & JW_MEMBER) sq_buf_addc(b, ',');
    else *f |= JW_MEMBER;
    return jw_status(w);
  }
  ind = (size_t)w->indent * (size_t)w->depth;
  if (sq_buf_reserve(b, ind + 2)) return SQ_JSON_EOOM;
  o = b->p + b->len;
  if (*f & JW_MEMBER) *o++ = ',';
  *f |= JW_MEMBER;
  *o++ = '\n';
  o = jw_indent(w, o);
  *o = '\0';
  b->len = (size_t)(o - b->p);
  return 0;
}

/* Bookkeeping before any value (scalar or container). */
static int jw_value(sq_jw *w) {
  unsigned char *f;
  if (w->b->oom) return SQ_JSON_EOOM;
  f = &w->nonempty[w->depth];
  if (w->depth == 0) {
    if (*f) return SQ_JSON_ESTATE;
    *f = JW_MEMBER;
    return 0;
  }
  if (*f & JW_OBJECT) {
    if (!w->after_key) return SQ_JSON_ESTATE;
    w->after_key = 0;
    return 0;
  }
  return jw_sep(w);
}

void sq_jw_init(sq_jw *w, sq_buf *b, int indent) {
  w->b = b;
  w->indent = indent < 0 ? 0 : indent > 10 ? 10 : indent;
  memset(w->gap, ' ', (size_t)w->indent);
  w->gap[w->indent] = '\0';
  w->pretty = w->indent > 0;
  w->depth = 0;
  w->after_key = 0;
  w->nonempty[0] = 0;
}

/* JSON.stringify's string space: its first 10 UTF-16 code units (a 4-byte UTF-8 sequence is
 * two; one that would straddle the tenth unit is left out, a lone surrogate having no UTF-8
 * form; a byte that starts no valid sequence counts as one), up to a NUL (V8 writes the gap
 * as a C string: '\0' and what follows are left out, and no raw NUL lands in the JSON). */
void sq_jw_init_gap(sq_jw *w, sq_buf *b, const char *gap, size_t n) {
  const unsigned char *s = (const unsigned char *)gap;
  const char *nul = memchr(gap, '\0', n);
  size_t i = 0;
  int units = 0;
  sq_jw_init(w, b, 0);
  w->pretty = n > 0; /* (a gap of a NUL first: each member on its own line, unindented) */
  if (nul) n = (size_t)(nul - gap);
  while (i < n) {
    size_t len = 1, k;
    int u = 1;
    if (s[i] >= 0xF0 && s[i] <= 0xF4) len = 4, u = 2;
    else if (s[i] >= 0xE0 && s[i] <= 0xEF) len = 3;
    else if (s[i] >= 0xC2 && s[i] <= 0xDF) len = 2;
    if (len > 1) {
      if (i + len > n) len = 1, u = 1;
      else for (k = 1; k < len; k++)
        if ((s[i + k] & 0xC0) != 0x80) { len = 1, u = 1; break; }
    }
    if (units + u > 10) break;
    units += u;
    i += len;
  }
  memcpy(w->gap, gap, i);
  w->gap[i] = '\0';
  w->indent = (int)i;
}

static int jw_begin(sq_jw *w, unsigned char kind, char c) {
  int r;
  if (w->depth >= SQ_JSON_MAX_DEPTH) return SQ_JSON_EDEPTH;
  if ((r = jw_value(w))) return r;
  w->nonempty[++w->depth] = kind;
  sq_buf_addc(w->b, c);
  return jw_status(w);
}

static int jw_end(sq_jw *w, unsigned char kind, char c) {
  unsigned char f;
  sq_buf *b = w->b;
  if (b->oom) return SQ_JSON_EOOM;
  f = w->nonempty[w->depth];
  if (w->depth == 0 || (f & JW_OBJECT) != kind || w->after_key) return SQ_JSON_ESTATE;
  w->depth--;
  if (w->pretty && (f & JW_MEMBER)) {
    size_t ind = (size_t)w->indent * (size_t)w->depth;
    char *o;
    if (sq_buf_reserve(b, ind + 2)) return SQ_JSON_EOOM;
    o = b->p + b->len;
    *o++ = '\n';
    o = jw_indent(w, o);
    *o++ = c;
    *o = '\0';
    b->len = (size_t)(o - b->p);
    return 0;
  }
  sq_buf_addc(b, c);
  return jw_status(w);
}

int sq_jw_begin_object(sq_jw *w) { return jw_begin(w, JW_OBJECT, '{'); }
int sq_jw_end_object(sq_jw *w) { return jw_end(w, JW_OBJECT, '}'); }
int sq_jw_begin_array(sq_jw *w) { return jw_begin(w, 0, '['); }
int sq_jw_end_array(sq_jw *w) { return jw_end(w, 0, ']'); }

int sq_jw_key(sq_jw *w, const char *s, size_t n) {
  int r;
  if (w->b->oom) return SQ_JSON_EOOM;
  if (w->depth == 0 || !(w->nonempty[w->depth] & JW_OBJECT) || w->after_key) return SQ_JSON_ESTATE;
  if ((r = jw_sep(w)) || (r = jw_quote(w->b, (const unsigned char *)s, n))) return r;
  if (w->pretty) sq_buf_add(w->b, ": ", 2);
  else sq_buf_addc(w->b, ':');
  w->after_key = 1;
  return jw_status(w);
}

int sq_jw_string(sq_jw *w, const char *s, size_t n) {
  int r;
  if ((r = jw_value(w))) return r;
  return jw_quote(w->b, (const unsigned char *)s, n);
}

int sq_jw_integer(sq_jw *w, long long v) {
  int r;
  if ((r = jw_value(w))) return r;
  sq_buf_addint(w->b, v);
  return jw_status(w);
}

int sq_jw_number(sq_jw *w, double v) {
  char tmp[SQ_JSON_NUMBER_MAX + 1];
  int r;
  if ((r = jw_value(w))) return r;
  if (v != v || v - v != 0) { /* NaN, +-Infinity */
    sq_buf_add(w->b, "null", 4);
  } else {
    sq_buf_add(w->b, tmp, sq_json_format_number(v, tmp));
  }
  return jw_status(w);
}

int sq_jw_bool(sq_jw *w, int v) {
  int r;
  if ((r = jw_value(w))) return r;
  if (v) sq_buf_add(w->b, "true", 4);
  else sq_buf_add(w->b, "false", 5);
  return jw_status(w);
}

int sq_jw_null(sq_jw *w) {
  int r;
  if ((r = jw_value(w))) return r;
  sq_buf_add(w->b, "null", 4);
  return jw_status(w);
}

int sq_jw_finish(sq_jw *w) {
  if (w->b->oom) return SQ_JSON_EOOM;
  return (w->depth == 0 && w->nonempty[0] && !w->after_key) ? 0 : SQ_JSON_ESTATE;
}

/* ---- number formatting ------------------------------------------------------ */

/* Doubles are evaluated in double precision (not x87 extended), so one IEEE
 * multiply or divide is one correct rounding: the exactness arguments of the fast
 * paths below hold. Otherwise everything goes through printf/strtod. */
#ifndef SQ_JSON_EXACT_FP
#if defined(FLT_EVAL_METHOD) && (FLT_EVAL_METHOD == 0 || FLT_EVAL_METHOD == 1)
#define SQ_JSON_EXACT_FP 1
#else
#define SQ_JSON_EXACT_FP 0
#endif
#endif

#if SQ_JSON_EXACT_FP
/* Powers of ten that are exact in a double. */
static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#endif

/* Split printf's "%.*e" rendering of a positive finite double into its significant
 * digits (trailing zeros dropped) and decimal exponent. Skips anything that is not
 * a digit before the 'e', so a locale's decimal separator does not matter. Returns
 * the digit count k; *n is the JS exponent (value = 0.d1d2..dk * 10^n). */
static int split_e(const char *t, char *digits, int *n) {
  int k = 0, x = 0, xneg = 0;
  for (; *t && *t != 'e' && *t != 'E'; t++)
    if (*t >= '0' && *t <= '9' && k < 20) digits[k++] = *t;
  if (*t) {
    t++;
    if (*t == '-' || *t == '+') xneg = *t++ == '-';
    for (; *t >= '0' && *t <= '9'; t++) x = x * 10 + (*t - '0');
  }
  while (k > 1 && digits[k - 1] == '0') k--;
  *n = (xneg ? -x : x) + 1;
  return k;
}

/* Increment the last digit of a "%.*e" rendering in place (with carry). Returns 0
 * if the carry ran out of digits (9.99..e+X). */
static int bump_last_digit(char *t) {
  char *q = t;
  while (*q && *q != 'e' && *q != 'E') q++;
  while (--q >= t) {
    if (*q < '0' || *q > '9') continue; /* the decimal separator */
    if (*q != '9') { (*q)++; return 1; }
    *q = '0';
  }
  return 0;
}

/* The shortest significant digits of a (positive, finite, not 0) that read back as a, the
 * nearest such when there are several (ECMA-262 Number::toString); returns their count k,
 * *n_out the exponent (a = 0.d1d2..dk * 10^n). */
static int shortest_digits(double a, char digits[24], int *n_out) {
  char tmp[48];
  int prec, first = 15;
#if SQ_JSON_EXACT_FP
  int i, k;
  /* Fast path for values with few decimals (prices, 0.1, 1.5e-7): the smallest k
   * for which m = round(a * 10^k) satisfies m / 10^k == a (one correctly rounded
   * division, so exactly "the decimal m*10^-k reads back as a"). With m < 2^50 the
   * grid 10^-k is over 4x coarser than a's rounding interval, so m is the only
   * k-decimal candidate and the product's rounding error (< 1/8) cannot pick the
   * wrong integer; a shorter candidate would have been found at a smaller k. So m
   * is JS's digit string. */
  if (a >= 1e-10 && a < 1e15) {
    for (i = 1; i <= 22; i++) {
      double x = a * p10[i], r;
      if (x >= 1125899906842624.0) break; /* 2^50 */
      r = floor(x + 0.5);
      if (r / p10[i] == a) {
        unsigned long long m = (unsigned long long)r;
        char *q = tmp + sizeof tmp;
        while (m % 10 == 0) { /* defensive: a smaller k would have matched */
          m /= 10;
          i--;
        }
        do { *--q = (char)('0' + m % 10); m /= 10; } while (m);
        k = (int)(tmp + sizeof tmp - q);
        memcpy(digits, q, (size_t)k);
        *n_out = k - i;
        return k;
      }
    }
    /* Every non-integer with <= 15 significant digits and <= 22 decimals was tried
     * (m < 10^15 < 2^50), so the shortest form has 16 or 17 digits. */
    if (a >= 1e-7) first = 16;
  }
#endif
  /* Shortest digits that round-trip, and the nearest such when there are several
   * (ECMA-262 Number::toString). printf and strtod are correctly rounded, so:
   * for a normal double the 15-digit grid is coarser than its rounding interval, so
   * if any <= 15-digit string round-trips the nearest 15-digit one does and its
   * trailing zeros strip to the shortest; past that try 16, then 17 (always
   * enough). A power of two has a lopsided interval (the next double down is
   * closer), so a 16-digit string just above can round-trip when the nearest, below,
   * does not. Subnormals have wide intervals: search from 1 digit. */
  prec = a < DBL_MIN ? 1 : first;
  for (;; prec++) {
    int saved = errno;
    int ok;
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, a);
    if (prec >= 17) break;
    ok = strtod(tmp, NULL) == a;
    if (!ok && prec == 16 && a >= DBL_MIN) {
      int ex;
      if (frexp(a, &ex) == 0.5) {
        char up[48];
        memcpy(up, tmp, sizeof up);
        if (bump_last_digit(up) && strtod(up, NULL) == a) {
          memcpy(tmp, up, sizeof tmp);
          ok = 1;
        }
      }
    }
    errno = saved;
    if (ok) break;
  }
  return split_e(tmp, digits, n_out);
}

/* An integer below 2^53 in magnitude as its digits (covers -0 -> "0"); 0 when v is not one */
static size_t small_integer(double v, char *out) {
  long long iv;
  unsigned long long u;
  char tmp[24], *q = tmp + sizeof tmp;
  size_t len;
  if (!(v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(long long)v)) return 0;
  iv = (long long)v;
  u = iv < 0 ? 0ULL - (unsigned long long)iv : (unsigned long long)iv;
  do { *--q = (char)('0' + u % 10); u /= 10; } while (u);
  if (iv < 0) *--q = '-';
  len = (size_t)(tmp + sizeof tmp - q);
  memcpy(out, q, len);
  out[len] = '\0';
  return len;
}

size_t sq_json_format_number(double v, char out[SQ_JSON_NUMBER_MAX + 1]) {
  char digits[24];
  char *o = out;
  int k, n, i;
  size_t len;
  if (v != v) { memcpy(out, "NaN", 4); return 3; }
  if (v - v != 0) {
    if (v > 0) { memcpy(out, "Infinity", 9); return 8; }
    memcpy(out, "-Infinity", 10); return 9;
  }
  /* Integers below 2^53 are their own shortest form. */
  if ((len = small_integer(v, out))) return len;
  if (v < 0) *o++ = '-';
  k = shortest_digits(fabs(v), digits, &n);
  if (k <= n && n <= 21) { /* 123, 1e20 -> 100000000000000000000 */
    memcpy(o, digits, (size_t)k);
    o += k;
    memset(o, '0', (size_t)(n - k));
    o += n - k;
  } else if (0 < n && n <= 21) { /* 1.5 */
    memcpy(o, digits, (size_t)n);
    o += n;
    *o++ = '.';
    memcpy(o, digits + n, (size_t)(k - n));
    o += k - n;
  } else if (-6 < n && n <= 0) { /* 0.000001 */
    *o++ = '0';
    *o++ = '.';
    memset(o, '0', (size_t)-n);
    o += -n;
    memcpy(o, digits, (size_t)k);
    o += k;
  } else { /* 1e+21, 1.5e-7 */
    int x = n - 1;
    char xd[8];
    *o++ = digits[0];
    if (k > 1) {
      *o++ = '.';
      memcpy(o, digits + 1, (size_t)(k - 1));
      o += k - 1;
    }
    *o++ = 'e';
    *o++ = x < 0 ? '-' : '+';
    if (x < 0) x = -x;
    i = 0;
    do { xd[i++] = (char)('0' + x % 10); x /= 10; } while (x);
    while (i) *o++ = xd[--i];
  }
  *o = '\0';
  return (size_t)(o - out);
}

size_t sq_format_number_text(double v, char out[SQ_JSON_NUMBER_MAX + 1]) {
  char digits[24];
  char *o = out;
  int k, n, x, i;
  size_t len;
  if (v != v || v - v != 0) return sq_json_format_number(v, out);
  if (v == 9007199254740992.0 || v == -9007199254740992.0) { /* (2^53: still every integer's digits) */
    len = (size_t)snprintf(out, SQ_JSON_NUMBER_MAX + 1, "%.0f", v);
    return len;
  }
  if ((len = small_integer(v, out))) return len;
  if (v < 0) *o++ = '-';
  k = shortest_digits(fabs(v), digits, &n);
  x = n - 1; /* the decimal exponent of the first digit */
  if (x < -4 || x >= 17) { /* 1.0e+21, 1.5e-07, 1.152921504606847e+18 */
    char xd[8];
    *o++ = digits[0];
    *o++ = '.';
    if (k > 1) {
      memcpy(o, digits + 1, (size_t)(k - 1));
      o += k - 1;
    } else {
      *o++ = '0';
    }
    *o++ = 'e';
    *o++ = x < 0 ? '-' : '+';
    if (x < 0) x = -x;
    i = 0;
    do { xd[i++] = (char)('0' + x % 10); x /= 10; } while (x);
    if (i < 2) xd[i++] = '0';
    while (i) *o++ = xd[--i];
  } else if (n <= 0) { /* 0.0001 */
    *o++ = '0';
    *o++ = '.';
    memset(o, '0', (size_t)-n);
    o += -n;
    memcpy(o, digits, (size_t)k);
    o += k;
  } else if (k <= n) { /* 10000000000000000.0 (integers below 2^53 took the path above) */
    memcpy(o, digits, (size_t)k);
    o += k;
    memset(o, '0', (size_t)(n - k));
    o += n - k;
    *o++ = '.';
    *o++ = '0';
  } else { /* 1.5 */
    memcpy(o, digits, (size_t)n);
    o += n;
    *o++ = '.';
    memcpy(o, digits + n, (size_t)(k - n));
    o += k - n;
  }
  *o = '\0';
  return (size_t)(o - out);
}

/* ---- parser ----------------------------------------------------------------- */

typedef struct jp {
  const unsigned char *s, *p, *e;
  const sq_json_sax *sax;
  sq_buf *scratch;
  char *err;
  size_t errlen;
} jp;

/* Per byte inside a string: 0 = plain (copy), 1 = '"', '\\', a control character,
 * or a byte >= 0x80 (look closer). */
static const unsigned char jp_str_class[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Hex digit values; 16 = not a hex digit. */
static const unsigned char jp_hexval[256] = {
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  16, 16, 16, 16, 16, 16,
  16, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
};

#define JP_IS_WS(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')
#define JP_IS_DIGIT(c) ((unsigned)((c) - '0') < 10u)

static const unsigned char *jp_skip_ws(const unsigned char *p, const unsigned char *e) {
  while (p < e && JP_IS_WS(*p)) p++;
  return p;
}

/* Record "<what> in JSON at position N" (or just `what` when at is NULL); V8's
 * wording for trailing garbage has no "in JSON", hence `in`. */
static int jp_fail_in(jp *j, int code, const unsigned char *at, const char *what, const char *in) {
  if (j->err && j->errlen) {
    if (at) snprintf(j->err, j->errlen, "%s%s at position %lu", what, in, (unsigned long)(at - j->s));
    else snprintf(j->err, j->errlen, "%s", what);
  }
  return code;
}

static int jp_fail(jp *j, int code, const unsigned char *at, const char *what) {
  return jp_fail_in(j, code, at, what, " in JSON");
}

static int jp_end(jp *j) { return jp_fail(j, SQ_JSON_ESYNTAX, NULL, "Unexpected end of JSON input"); }

/* An unexpected byte where a value (or a literal's next letter) should be. */
static int jp_unexpected(jp *j, const unsigned char *at) {
  char what[32];
  unsigned c;
  if (at >= j->e) return jp_end(j);
  c = *at;
  /* V8 names the token kind for numbers and strings */
  if (c == '-' || JP_IS_DIGIT(c)) return jp_fail(j, SQ_JSON_ESYNTAX, at, "Unexpected number");
  if (c == '"') return jp_fail(j, SQ_JSON_ESYNTAX, at, "Unexpected string");
  if (c >= 0x80) {
    size_t l = utf8_len(at, j->e);
    if (!l) return jp_fail(j, SQ_JSON_EUTF8, at, "Invalid UTF-8");
    snprintf(what, sizeof what, "Unexpected token %.*s", (int)l, (const char *)at);
  } else if (c < 0x20 || c == 0x7f) {
    snprintf(what, sizeof what, "Unexpected token U+%04X", c);
  } else {
    snprintf(what, sizeof what, "Unexpected token %c", (char)c);
  }
  return jp_fail(j, SQ_JSON_ESYNTAX, at, what);
}

static int jp_abort(jp *j) { return jp_fail(j, SQ_JSON_EABORT, NULL, "JSON parse aborted by a callback"); }

/* Advance *pp over unescaped string content (plain ASCII and well-formed UTF-8);
 * stop at '"', '\\' or the end of input. */
static int jp_scan(jp *j, const unsigned char **pp) {
  const unsigned char *p = *pp, *e = j->e;
  for (;;) {
    size_t l;
    while (p < e && !jp_str_class[*p]) p++;
    if (p == e || *p == '"' || *p == '\\') break;
    if (*p < 0x20) return jp_fail(j, SQ_JSON_ESYNTAX, p, "Bad control character in string literal");
    if (!(l = utf8_len(p, e))) return jp_fail(j, SQ_JSON_EUTF8, p, "Invalid UTF-8 in string literal");
    p += l;
  }
  *pp = p;
  return 0;
}

/* Four hex digits at p (p + 4 <= e checked by the caller) -> value, or -1. */
static inline long jp_hex4(const unsigned char *p) {
  unsigned a = jp_hexval[p[0]], b = jp_hexval[p[1]], c = jp_hexval[p[2]], d = jp_hexval[p[3]];
  if ((a | b | c | d) & 16) return -1;
  return (long)((a << 12) | (b << 8) | (c << 4) | d);
}

static void jp_put_utf8(sq_buf *b, unsigned long cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) { u[0] = (char)cp; n = 1; }
  else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  sq_buf_add(b, u, n);
}

/* j->p is at the opening quote. Deliver the string (or key) and move past it. */
static int jp_string(jp *j, int key) {
  const unsigned char *p = j->p + 1, *e = j->e, *run = p;
  const sq_json_sax *sax = j->sax;
  sq_buf *sb = j->scratch;
  int r;
  const char *str;
  size_t len;
  if ((r = jp_scan(j, &p))) return r;
  if (p == e) return jp_fail(j, SQ_JSON_ESYNTAX, p, "Unterminated string");
  if (*p == '"') { /* no escapes: hand out the input bytes */
    str = (const char *)run;
    len = (size_t)(p - run);
  } else {
    sb->len = 0;
    for (;;) {
      sq_buf_add(sb, (const char *)run, (size_t)(p - run));
      if (p == e) return jp_fail(j, SQ_JSON_ESYNTAX, p, "Unterminated string");
      if (*p == '"') break;
      /* *p == '\\' */
      if (++p == e) return jp_end(j);
      switch (*p) {
        case '"': sq_buf_addc(sb, '"'); p++; break;
        case '\\': sq_buf_addc(sb, '\\'); p++; break;
        case '/': sq_buf_addc(sb, '/'); p++; break;
        case 'b': sq_buf_addc(sb, '\b'); p++; break;
        case 'f': sq_buf_addc(sb, '\f'); p++; break;
        case 'n': sq_buf_addc(sb, '\n'); p++; break;
        case 'r': sq_buf_addc(sb, '\r'); p++; break;
        case 't': sq_buf_addc(sb, '\t'); p++; break;
        case 'u': {
          long cp;
          int i;
          p++;
          for (i = 0; i < 4; i++)
            if (p + i == e || jp_hexval[p[i]] == 16) return jp_fail(j, SQ_JSON_ESYNTAX, p + i, "Bad Unicode escape");
          cp = jp_hex4(p);
          p += 4;
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            long lo;
            /* a pair combines; a lone half becomes U+FFFD (a malformed escape after
             * a high half is left for the next round to report) */
            if (cp <= 0xDBFF && e - p >= 6 && p[0] == '\\' && p[1] == 'u' && (lo = jp_hex4(p + 2)) >= 0xDC00 &&
                lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              p += 6;
            } else {
              cp = 0xFFFD;
            }
          }
          jp_put_utf8(sb, (unsigned long)cp);
          break;
        }
        default: return jp_fail(j, SQ_JSON_ESYNTAX, p, "Bad escaped character");
      }
      run = p;
      if ((r = jp_scan(j, &p))) return r;
    }
    if (sb->oom) return jp_fail(j, SQ_JSON_EOOM, NULL, "out of memory");
    str = sb->p ? sb->p : "";
    len = sb->len;
  }
  j->p = p + 1;
  if (key) {
    if (sax->on_key && sax->on_key(sax->ud, str, len)) return jp_abort(j);
  } else {
    if (sax->on_string && sax->on_string(sax->ud, str, len)) return jp_abort(j);
  }
  return 0;
}

/* strtod of the literal [a, b), which is known to be a valid JSON number (so a
 * subset of strtod's syntax). Copies it to get a NUL terminator. */
static int jp_strtod(jp *j, const unsigned char *a, const unsigned char *b, double *out) {
  char small[64], *t, *end;
  size_t len = (size_t)(b - a);
  sq_buf *sb = j->scratch;
  int saved = errno;
  if (len < sizeof small) {
    memcpy(small, a, len);
    small[len] = '\0';
    t = small;
  } else {
    sb->len = 0;
    sq_buf_add(sb, (const char *)a, len);
    if (sb->oom) return jp_fail(j, SQ_JSON_EOOM, NULL, "out of memory");
    t = sb->p;
  }
  *out = strtod(t, &end);
  if (end != t + len) {
    /* The C locale has been changed to one whose decimal separator is not '.'
     * (strtod stopped at the '.'): splice that separator in and retry. */
    const char *dp = localeconv()->decimal_point;
    const unsigned char *dot = memchr(a, '.', len);
    size_t pre;
    if (!dot || !dp || !*dp) goto bad;
    pre = (size_t)(dot - a);
    sb->len = 0;
    sq_buf_add(sb, (const char *)a, pre);
    sq_buf_adds(sb, dp);
    sq_buf_add(sb, (const char *)dot + 1, len - pre - 1);
    if (sb->oom) return jp_fail(j, SQ_JSON_EOOM, NULL, "out of memory");
    *out = strtod(sb->p, &end);
    if (end != sb->p + sb->len) goto bad;
  }
  errno = saved;
  return 0;
bad:
  errno = saved;
  return jp_fail(j, SQ_JSON_ESYNTAX, a, "Unparseable number");
}

/* j->p is at '-' or a digit. */
static int jp_number(jp *j) {
  const unsigned char *start = j->p, *p = start, *e = j->e;
  const sq_json_sax *sax = j->sax;
  uint64_t m = 0;   /* significant digits, at most 19 of them */
  int nd = 0;       /* digits in m (leading zeros not counted) */
  int many = 0;     /* more than 19 significant digits (or a saturated count): use strtod */
  long fd = 0;      /* fraction digits taken into m, or skipped as leading zeros */
  int neg = 0, real = 0;
  long x = 0;       /* the exponent part, saturated */
  double d;
  if (*p == '-') {
    neg = 1;
    if (++p == e || !JP_IS_DIGIT(*p)) return jp_fail(j, SQ_JSON_ESYNTAX, p, "No number after minus sign");
  }
  if (*p == '0') {
    if (++p < e && JP_IS_DIGIT(*p)) return jp_fail(j, SQ_JSON_ESYNTAX, p, "Unexpected number");
  } else {
    for (; p < e && JP_IS_DIGIT(*p); p++) {
      if (nd < 19) { m = m * 10 + (uint64_t)(*p - '0'); nd++; }
      else many = 1;
    }
  }
  if (p < e && *p == '.') {
    real = 1;
    if (++p == e || !JP_IS_DIGIT(*p)) return jp_fail(j, SQ_JSON_ESYNTAX, p, "Unterminated fractional number");
    for (; p < e && JP_IS_DIGIT(*p); p++) {
      if (m == 0 && *p == '0') {
        if (fd < 100000) fd++;
        else many = 1; /* saturated: leave it to strtod */
      } else if (nd < 19) { m = m * 10 + (uint64_t)(*p - '0'); nd++; fd++; }
      else many = 1;
    }
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    int xneg = 0;
    real = 1;
    if (++p < e && (*p == '+' || *p == '-')) xneg = *p++ == '-';
    if (p == e || !JP_IS_DIGIT(*p)) return jp_fail(j, SQ_JSON_ESYNTAX, p, "Exponent part is missing a number");
    for (; p < e && JP_IS_DIGIT(*p); p++)
      if (x < 100000) x = x * 10 + (*p - '0');
      else many = 1; /* saturated: leave it to strtod */
    if (xneg) x = -x;
  }
  j->p = p;
  if (!real && !many) {
    if (!neg && m <= (uint64_t)INT64_MAX) {
      if (sax->on_integer && sax->on_integer(sax->ud, (long long)m)) return jp_abort(j);
      return 0;
    }
    if (neg && m != 0 && m <= (uint64_t)INT64_MAX + 1) {
      long long v = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(long long)m;
      if (sax->on_integer && sax->on_integer(sax->ud, v)) return jp_abort(j);
      return 0;
    }
  }
  if (m == 0 && !many) {
    d = neg ? -0.0 : 0.0; /* "-0" is JS's -0 */
  } else {
#if SQ_JSON_EXACT_FP
    /* Clinger's fast path: a <= 2^53 mantissa and a power of ten that is exact in
     * a double give one correctly rounded operation. */
    long e10 = x - fd;
    if (!many && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
      d = (double)m;
      d = e10 < 0 ? d / p10[-e10] : d * p10[e10];
      if (neg) d = -d;
    } else
#endif
    {
      int r = jp_strtod(j, start, p, &d);
      if (r) return r;
    }
  }
  if (sax->on_number && sax->on_number(sax->ud, d)) return jp_abort(j);
  return 0;
}

/* A literal word (true/false/null) at j->p. */
static int jp_word(jp *j, const char *w, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (j->p + i == j->e) return jp_end(j);
    if (j->p[i] != (unsigned char)w[i]) return jp_unexpected(j, j->p + i);
  }
  j->p += n;
  return 0;
}

static int jp_run(jp *j) {
  unsigned char stack[SQ_JSON_MAX_DEPTH]; /* 1 = object, 0 = array */
  int depth = 0, r;
  const sq_json_sax *sax = j->sax;
  const unsigned char *e = j->e;

value:
  j->p = jp_skip_ws(j->p, e);
  if (j->p == e) return jp_end(j);
  switch (*j->p) {
    case '{':
      if (depth == SQ_JSON_MAX_DEPTH) return jp_fail(j, SQ_JSON_EDEPTH, j->p, "Nested too deeply");
      if (sax->on_begin_object && sax->on_begin_object(sax->ud)) return jp_abort(j);
      j->p = jp_skip_ws(j->p + 1, e);
      if (j->p < e && *j->p == '}') {
        j->p++;
        if (sax->on_end_object && sax->on_end_object(sax->ud)) return jp_abort(j);
        goto after_value;
      }
      stack[depth++] = 1;
      if (j->p == e || *j->p != '"') return jp_fail(j, SQ_JSON_ESYNTAX, j->p, "Expected property name or '}'");
      goto key;
    case '[':
      if (depth == SQ_JSON_MAX_DEPTH) return jp_fail(j, SQ_JSON_EDEPTH, j->p, "Nested too deeply");
      if (sax->on_begin_array && sax->on_begin_array(sax->ud)) return jp_abort(j);
      j->p = jp_skip_ws(j->p + 1, e);
      if (j->p < e && *j->p == ']') {
        j->p++;
        if (sax->on_end_array && sax->on_end_array(sax->ud)) return jp_abort(j);
        goto after_value;
      }
      stack[depth++] = 0;
      goto value;
    case '"':
      if ((r = jp_string(j, 0))) return r;
      goto after_value;
    case 't':
      if ((r = jp_word(j, "true", 4))) return r;
      if (sax->on_bool && sax->on_bool(sax->ud, 1)) return jp_abort(j);
      goto after_value;
    case 'f':
      if ((r = jp_word(j, "false", 5))) return r;
      if (sax->on_bool && sax->on_bool(sax->ud, 0)) return jp_abort(j);
      goto after_value;
    case 'n':
      if ((r = jp_word(j, "null", 4))) return r;
      if (sax->on_null && sax->on_null(sax->ud)) return jp_abort(j);
      goto after_value;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      if ((r = jp_number(j))) return r;
      goto after_value;
    default:
      return jp_unexpected(j, j->p);
  }

key: /* j->p is at the key's opening quote */
  if ((r = jp_string(j, 1))) return r;
  j->p = jp_skip_ws(j->p, e);
  if (j->p == e || *j->p != ':') return jp_fail(j, SQ_JSON_ESYNTAX, j->p, "Expected ':' after property name");
  j->p++;
  goto value;

after_value:
  if (depth == 0) {
    j->p = jp_skip_ws(j->p, e);
    if (j->p != e) return jp_fail_in(j, SQ_JSON_ESYNTAX, j->p, "Unexpected non-whitespace character after JSON", "");
    return 0;
  }
  j->p = jp_skip_ws(j->p, e);
  if (stack[depth - 1]) {
    if (j->p < e && *j->p == ',') {
      j->p = jp_skip_ws(j->p + 1, e);
      if (j->p == e || *j->p != '"')
        return jp_fail(j, SQ_JSON_ESYNTAX, j->p, "Expected double-quoted property name");
      goto key;
    }
    if (j->p < e && *j->p == '}') {
      j->p++;
      depth--;
      if (sax->on_end_object && sax->on_end_object(sax->ud)) return jp_abort(j);
      goto after_value;
    }
    return jp_fail(j, SQ_JSON_ESYNTAX, j->p, "Expected ',' or '}' after property value");
  }
  if (j->p < e && *j->p == ',') {
    j->p++;
    goto value;
  }
  if (j->p < e && *j->p == ']') {
    j->p++;
    depth--;
    if (sax->on_end_array && sax->on_end_array(sax->ud)) return jp_abort(j);
    goto after_value;
  }
  return jp_fail(j, SQ_JSON_ESYNTAX, j->p, "Expected ',' or ']' after array element");
}

int sq_json_parse(const char *s, size_t n, const sq_json_sax *sax, char *err, size_t errlen) {
  sq_json_sax none;
  sq_buf own;
  jp j;
  int r;
  if (!sax) {
    memset(&none, 0, sizeof none);
    sax = &none;
  }
  if (err && errlen) err[0] = '\0';
  sq_buf_init(&own);
  j.s = j.p = (const unsigned char *)(s ? s : "");
  j.e = j.s + (s ? n : 0);
  j.sax = sax;
  j.scratch = sax->scratch ? sax->scratch : &own;
  if (j.scratch->oom) sq_buf_free(j.scratch); /* a lent buffer that ran out before: start afresh */
  j.err = err;
  j.errlen = errlen;
  r = jp_run(&j);
  sq_buf_free(&own);
  return r;
}
