/* value.c: dates and UUIDs as Sequelize v6 stores them on SQLite (see value.h).
 *
 * Owns: civil-date arithmetic (days <-> y/m/d, after Howard Hinnant's algorithms),
 * the strict ISO/storage-form parser, a port of V8's Date.parse (DateParser in
 * src/date/dateparser*.{h,cc}, ParseDateTimeString in builtins-date.cc), the storage
 * and ISO formatters, DATEONLY normalisation, the clock and UUID v4 text.
 * No process time zone is ever consulted: "local time" is UTC throughout.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "value.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MS_PER_DAY 86400000LL

/* ---------------------------------------------------------------------------------
 * Calendar arithmetic
 * ------------------------------------------------------------------------------- */

static int is_leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int sq_days_in_month(long long y, int m) {
  static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* floor division for the era computation (y may be negative) */
static long long floordiv(long long a, long long b) {
  long long q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

long long sq_days_from_civil(long long y, int m, int d) {
  long long era, yoe, doy, doe;
  y -= m <= 2;
  era = floordiv(y, 400);
  yoe = y - era * 400;                                   /* [0, 399] */
  doy = (153LL * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] for d in range */
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

void sq_civil_from_days(long long z, long long *y, int *m, int *d) {
  long long era, doe, yoe, doy, mp, yy;
  z += 719468;
  era = floordiv(z, 146097);
  doe = z - era * 146097;                                         /* [0, 146096] */
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;    /* [0, 399] */
  yy = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  /* [0, 365] */
  mp = (5 * doy + 2) / 153;                                       /* [0, 11] */
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2);
}

/* ---------------------------------------------------------------------------------
 * Strict parser (ISO-8601 as JS accepts it, plus the storage form)
 * ------------------------------------------------------------------------------- */

static int isdig(int c) { return c >= '0' && c <= '9'; }

/* read exactly k digits at s[*i]; returns -1 if not there */
static long long digits(const char *s, size_t n, size_t *i, int k) {
  long long v = 0;
  int j;
  if (*i + (size_t)k > n) return -1;
  for (j = 0; j < k; j++) {
    int c = (unsigned char)s[*i + (size_t)j];
    if (!isdig(c)) return -1;
    v = v * 10 + (c - '0');
  }
  *i += (size_t)k;
  return v;
}

int sq_date_parse(const char *s, size_t n, long long *ms) {
  size_t i = 0;
  long long year, mon = 1, day = 1, hh = 0, mi = 0, ss = 0, frac = 0, off = 0, days, t;
  if (!s) return -1;
  /* year: YYYY, +YYYYYY, -YYYYYY (ISO / JS); -YYYY and YYYYY (moment's storage form) */
  {
    int sign = 0, k = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    while (i + (size_t)k < n && isdig((unsigned char)s[i + (size_t)k])) k++;
    if (!(k == 6 && sign) && !(k == 4 && sign <= 0) && !(k == 5 && !sign && s[i] != '0'))
      return -1;
    year = digits(s, n, &i, k);
    if (sign < 0 && year == 0) return -1;
    if (sign < 0) year = -year;
  }
  /* -MM[-DD] */
  if (i < n && s[i] == '-') {
    i++;
    if ((mon = digits(s, n, &i, 2)) < 1 || mon > 12) return -1;
    if (i < n && s[i] == '-') {
      i++;
      if ((day = digits(s, n, &i, 2)) < 1 || day > sq_days_in_month(year, (int)mon)) return -1;
    }
  }
  /* time */
  if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    i++;
    if ((hh = digits(s, n, &i, 2)) < 0 || hh > 24) return -1;
    if (i >= n || s[i] != ':') return -1;
    i++;
    if ((mi = digits(s, n, &i, 2)) < 0 || mi > 59) return -1;
    if (i < n && s[i] == ':') {
      i++;
      if ((ss = digits(s, n, &i, 2)) < 0 || ss > 59) return -1;
      if (i < n && s[i] == '.') {
        /* V8's ReadMilliseconds: the first 9 significant digits (leading zeros
         * skipped), scaled by the digit count capped at 9. Right for up to 9 digits;
         * with 10+ digits and a leading zero V8 shifts (".0123456789" -> 123 ms), and
         * so does this, to agree with new Date(). */
        int nd = 0, sig = 0, len;
        long long v = 0;
        i++;
        if (i >= n || !isdig((unsigned char)s[i])) return -1;
        if (hh == 24) { /* 24:00:00.000 only */
          size_t j;
          for (j = i; j < n && isdig((unsigned char)s[j]); j++)
            if (s[j] != '0') return -1;
        }
        while (i < n && s[i] == '0') {
          nd++;
          i++;
        }
        while (i < n && isdig((unsigned char)s[i])) {
          if (sig < 9) v = v * 10 + (s[i] - '0');
          sig++;
          nd++;
          i++;
        }
        len = nd > 9 ? 9 : nd;
        if (len == 1) v *= 100;
        else if (len == 2) v *= 10;
        else
          while (len-- > 3) v /= 10;
        frac = v;
      }
    }
    if (hh == 24 && (mi || ss || frac)) return -1;
    /* offset, optionally after spaces (storage form: "... 07:56:40.205 +00:00") */
    {
      size_t j = i;
      while (j < n && s[j] == ' ') j++;
      if (j < n && j > i && (s[j] == 'Z' || s[j] == 'z' || s[j] == '+' || s[j] == '-')) i = j;
    }
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
      i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
      long long oh, om;
      int sign = s[i] == '-' ? -1 : 1;
      i++;
      if ((oh = digits(s, n, &i, 2)) < 0 || oh > 23) return -1;
      if (i < n && s[i] == ':') i++;
      if ((om = digits(s, n, &i, 2)) < 0 || om > 59) return -1;
      off = sign * (oh * 60 + om);
    }
  }
  if (i != n) return -1;
  days = sq_days_from_civil(year, (int)mon, (int)day);
  t = days * MS_PER_DAY + ((hh * 60 + mi - off) * 60 + ss) * 1000 + frac;
  if (t > SQ_DATE_MAX_MS || t < -SQ_DATE_MAX_MS) return -1;
  *ms = t;
  return 0;
}

/* ---------------------------------------------------------------------------------
 * V8's Date.parse, ported from V8 11.x (Node 20+): src/date/dateparser{.h,-inl.h,.cc}
 * and ParseDateTimeString in src/builtins/builtins-date.cc. V8 reads UTF-16 code
 * units; this reads UTF-8 code points (ill-formed bytes as U+FFFD) and counts word
 * lengths in UTF-16 units, which gives the same tokens.
 * ------------------------------------------------------------------------------- */

#define V8_NONE 0x7fffffff /* kNone = kMaxInt */

enum { KW_INVALID, KW_MONTH_NAME, KW_TIME_ZONE_NAME, KW_TIME_SEPARATOR, KW_AM_PM };
enum {
  TK_INVALID = -6,
  TK_UNKNOWN = -5,
  TK_WHITESPACE = -4,
  TK_NUMBER = -3,
  TK_SYMBOL = -2,
  TK_END = -1
  /* >= 0: keyword, tag is the keyword type */
};

typedef struct {
  int tag, length, value;
} v8_token;

typedef struct {
  const unsigned char *s;
  size_t n, index; /* byte index of the character after ch */
  unsigned ch;     /* current character, 0 at end (a NUL also ends input, as in V8) */
  v8_token next;   /* the tokenizer's lookahead */
} v8_scanner;

/* one code point at s[*i] (i < n); ill-formed sequences become U+FFFD (as Buffer decodes) */
unsigned sq_utf8_decode(const unsigned char *s, size_t n, size_t *i) {
  unsigned c = s[(*i)++], lo = 0x80, hi = 0xBF, cp;
  int need;
  if (c < 0x80) return c;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0xFFFD;
  }
  while (need--) {
    if (*i >= n || s[*i] < lo || s[*i] > hi) return 0xFFFD;
    cp = (cp << 6) | (s[*i] & 0x3F);
    lo = 0x80;
    hi = 0xBF;
    (*i)++;
  }
  return cp;
}

static void in_next(v8_scanner *r) {
  if (r->index < r->n) {
    r->ch = sq_utf8_decode(r->s, r->n, &r->index);
  } else {
    r->ch = 0;
    r->index++;
  }
}

/* V8's IsWhiteSpace: ECMAScript WhiteSpace (TAB VT FF SP NBSP ZWNBSP, category Zs) */
static int v8_is_white_space(unsigned c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 ||
         c == 0xFEFF;
}

static const signed char kw_table[][5] = {
    {'j', 'a', 'n', KW_MONTH_NAME, 1},      {'f', 'e', 'b', KW_MONTH_NAME, 2},
    {'m', 'a', 'r', KW_MONTH_NAME, 3},      {'a', 'p', 'r', KW_MONTH_NAME, 4},
    {'m', 'a', 'y', KW_MONTH_NAME, 5},      {'j', 'u', 'n', KW_MONTH_NAME, 6},
    {'j', 'u', 'l', KW_MONTH_NAME, 7},      {'a', 'u', 'g', KW_MONTH_NAME, 8},
    {'s', 'e', 'p', KW_MONTH_NAME, 9},      {'o', 'c', 't', KW_MONTH_NAME, 10},
    {'n', 'o', 'v', KW_MONTH_NAME, 11},     {'d', 'e', 'c', KW_MONTH_NAME, 12},
    {'a', 'm', 0, KW_AM_PM, 0},             {'p', 'm', 0, KW_AM_PM, 12},
    {'u', 't', 0, KW_TIME_ZONE_NAME, 0},    {'u', 't', 'c', KW_TIME_ZONE_NAME, 0},
    {'z', 0, 0, KW_TIME_ZONE_NAME, 0},      {'g', 'm', 't', KW_TIME_ZONE_NAME, 0},
    {'c', 'd', 't', KW_TIME_ZONE_NAME, -5}, {'c', 's', 't', KW_TIME_ZONE_NAME, -6},
    {'e', 'd', 't', KW_TIME_ZONE_NAME, -4}, {'e', 's', 't', KW_TIME_ZONE_NAME, -5},
    {'m', 'd', 't', KW_TIME_ZONE_NAME, -6}, {'m', 's', 't', KW_TIME_ZONE_NAME, -7},
    {'p', 'd', 't', KW_TIME_ZONE_NAME, -7}, {'p', 's', 't', KW_TIME_ZONE_NAME, -8},
    {'t', 0, 0, KW_TIME_SEPARATOR, 0},      {0, 0, 0, KW_INVALID, 0},
};

static int kw_lookup(const unsigned pre[3], int len) {
  int i;
  for (i = 0; kw_table[i][3] != KW_INVALID; i++) {
    int j = 0;
    while (j < 3 && pre[j] == (unsigned)(unsigned char)kw_table[i][j]) j++;
    if (j == 3 && (len <= 3 || kw_table[i][3] == KW_MONTH_NAME)) return i;
  }
  return i;
}

static v8_token mk(int tag, int length, int value) {
  v8_token t;
  t.tag = tag;
  t.length = length;
  t.value = value;
  return t;
}

static v8_token v8_scan(v8_scanner *r) {
  unsigned c = r->ch;
  if (c == 0) return mk(TK_END, 0, -1);
  if (c >= '0' && c <= '9') {
    int v = 0, i = 0, len = 0; /* len: all digits, leading zeros included */
    while (r->ch == '0') { /* leading zeros are not significant */
      len++;
      in_next(r);
    }
    while (r->ch >= '0' && r->ch <= '9') {
      if (i < 9) v = v * 10 + (int)(r->ch - '0');
      i++;
      in_next(r);
    }
    return mk(TK_NUMBER, len + i, v);
  }
  if (c == ':' || c == '-' || c == '+' || c == '.' || c == ')') {
    in_next(r);
    return mk(TK_SYMBOL, 1, (int)c);
  }
  if (c >= 'A' && !v8_is_white_space(c)) {
    unsigned pre[3] = {0, 0, 0};
    int len, idx;
    for (len = 0; r->ch >= 'A' && !v8_is_white_space(r->ch); len += r->ch > 0xFFFF ? 2 : 1, in_next(r))
      if (len < 3) pre[len] = r->ch | 0x20;
    idx = kw_lookup(pre, len);
    return mk(kw_table[idx][3], len, kw_table[idx][4]);
  }
  /* IsWhiteSpaceOrLineTerminator (U+2028/U+2029 were taken as words above) */
  if (v8_is_white_space(c) || c == '\n' || c == '\r') {
    in_next(r);
    return mk(TK_WHITESPACE, 1, -1);
  }
  if (c == '(') {
    int balance = 0;
    do {
      if (r->ch == ')') --balance;
      else if (r->ch == '(') ++balance;
      in_next(r);
    } while (balance > 0 && r->ch);
    return mk(TK_UNKNOWN, 1, -1);
  }
  in_next(r);
  return mk(TK_UNKNOWN, 1, -1);
}

static v8_token sc_next(v8_scanner *r) {
  v8_token t = r->next;
  r->next = v8_scan(r);
  return t;
}
static int tk_is_symbol(v8_token t, int c) { return t.tag == TK_SYMBOL && t.value == c; }
static int sc_skip_symbol(v8_scanner *r, int c) {
  if (tk_is_symbol(r->next, c)) {
    r->next = v8_scan(r);
    return 1;
  }
  return 0;
}
static int tk_is_fixed_number(v8_token t, int len) { return t.tag == TK_NUMBER && t.length == len; }
static int tk_is_sign(v8_token t) { return t.tag == TK_SYMBOL && (t.value == '-' || t.value == '+'); }
static int tk_sign(v8_token t) { return 44 - t.value; }
static int tk_is_keyword_z(v8_token t) {
  return t.tag == KW_TIME_ZONE_NAME && t.length == 1 && t.value == 0;
}
static int between(int x, int lo, int hi) { return (unsigned)(x - lo) <= (unsigned)(hi - lo); }

typedef struct {
  int sign, hour, minute;
} v8_tz;
typedef struct {
  int comp[4], index, hour_offset;
} v8_time;
typedef struct {
  int comp[3], index, named_month, is_iso_date;
} v8_day;

static void tz_set(v8_tz *z, int offset_in_hours) {
  z->sign = offset_in_hours < 0 ? -1 : 1;
  z->hour = offset_in_hours * z->sign;
  z->minute = 0;
}
static int tz_is_expecting(const v8_tz *z, int n) {
  return z->hour != V8_NONE && z->minute == V8_NONE && between(n, 0, 59);
}
static int tz_is_utc(const v8_tz *z) { return z->hour == 0 && z->minute == 0; }

static int time_is_expecting(const v8_time *t, int n) {
  return (t->index == 1 && between(n, 0, 59)) || (t->index == 2 && between(n, 0, 59)) ||
         (t->index == 3 && between(n, 0, 999));
}
static int time_add(v8_time *t, int n) {
  if (t->index < 4) {
    t->comp[t->index++] = n;
    return 1;
  }
  return 0;
}
static int time_add_final(v8_time *t, int n) {
  if (!time_add(t, n)) return 0;
  while (t->index < 4) t->comp[t->index++] = 0;
  return 1;
}
static int day_add(v8_day *d, int n) {
  if (d->index < 3) {
    d->comp[d->index++] = n;
    return 1;
  }
  return 0;
}

static int read_milliseconds(v8_token t) {
  int number = t.value, length = t.length;
  if (length < 3) {
    if (length == 1) number *= 100;
    else if (length == 2) number *= 10;
  } else if (length > 3) {
    int factor = 1;
    if (length > 9) length = 9;
    do {
      factor *= 10;
      length--;
    } while (length > 3);
    number /= factor;
  }
  return number;
}

/* ParseES5DateTime: returns the next token for the legacy parser, TK_END when done,
 * TK_INVALID on a terminal failure. */
static v8_token parse_es5(v8_scanner *sc, v8_day *day, v8_time *time, v8_tz *tz) {
  if (tk_is_sign(sc->next)) {
    v8_token sign_token = sc_next(sc);
    int sign, year;
    if (!tk_is_fixed_number(sc->next, 6)) return sign_token;
    sign = tk_sign(sign_token);
    year = sc_next(sc).value;
    if (sign < 0 && year == 0) return sign_token;
    day_add(day, sign * year);
  } else if (tk_is_fixed_number(sc->next, 4)) {
    day_add(day, sc_next(sc).value);
  } else {
    return sc_next(sc);
  }
  if (sc_skip_symbol(sc, '-')) {
    if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 1, 12)) return sc_next(sc);
    day_add(day, sc_next(sc).value);
    if (sc_skip_symbol(sc, '-')) {
      if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 1, 31))
        return sc_next(sc);
      day_add(day, sc_next(sc).value);
    }
  }
  if (sc->next.tag != KW_TIME_SEPARATOR) {
    if (sc->next.tag != TK_END) return sc_next(sc);
  } else {
    int hour_is_24;
    sc_next(sc);
    if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 0, 24))
      return mk(TK_INVALID, 0, -1);
    hour_is_24 = sc->next.value == 24;
    time_add(time, sc_next(sc).value);
    if (!sc_skip_symbol(sc, ':')) return mk(TK_INVALID, 0, -1);
    if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 0, 59) ||
        (hour_is_24 && sc->next.value > 0))
      return mk(TK_INVALID, 0, -1);
    time_add(time, sc_next(sc).value);
    if (sc_skip_symbol(sc, ':')) {
      if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 0, 59) ||
          (hour_is_24 && sc->next.value > 0))
        return mk(TK_INVALID, 0, -1);
      time_add(time, sc_next(sc).value);
      if (sc_skip_symbol(sc, '.')) {
        if (sc->next.tag != TK_NUMBER || (hour_is_24 && sc->next.value > 0))
          return mk(TK_INVALID, 0, -1);
        time_add(time, read_milliseconds(sc_next(sc)));
      }
    }
    if (tk_is_keyword_z(sc->next)) {
      sc_next(sc);
      tz_set(tz, 0);
    } else if (tk_is_symbol(sc->next, '+') || tk_is_symbol(sc->next, '-')) {
      tz->sign = sc_next(sc).value == '+' ? 1 : -1;
      if (tk_is_fixed_number(sc->next, 4)) {
        int hourmin = sc_next(sc).value, hour = hourmin / 100, min = hourmin % 100;
        if (!between(hour, 0, 23) || !between(min, 0, 59)) return mk(TK_INVALID, 0, -1);
        tz->hour = hour;
        tz->minute = min;
      } else {
        if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 0, 23))
          return mk(TK_INVALID, 0, -1);
        tz->hour = sc_next(sc).value;
        if (!sc_skip_symbol(sc, ':')) return mk(TK_INVALID, 0, -1);
        if (!tk_is_fixed_number(sc->next, 2) || !between(sc->next.value, 0, 59))
          return mk(TK_INVALID, 0, -1);
        tz->minute = sc_next(sc).value;
      }
    }
    if (sc->next.tag != TK_END) return mk(TK_INVALID, 0, -1);
  }
  if (tz->hour == V8_NONE && time->index == 0) tz_set(tz, 0);
  day->is_iso_date = 1;
  return mk(TK_END, 0, -1);
}

int sq_date_parse_js(const char *s, size_t n, long long *ms) {
  v8_scanner sc;
  v8_tz tz = {V8_NONE, V8_NONE, V8_NONE};
  v8_time time = {{0, 0, 0, 0}, 0, V8_NONE};
  v8_day day = {{0, 0, 0}, 0, V8_NONE, 0};
  v8_token token;
  int has_read_number;
  int year, month, dd, hour, minute, second, milli;
  long long date, offset_s = 0;
  int has_offset = 0;

  if (!s) return -1;
  sc.s = (const unsigned char *)s;
  sc.n = n;
  sc.index = 0;
  in_next(&sc);
  sc.next = v8_scan(&sc);

  token = parse_es5(&sc, &day, &time, &tz);
  if (token.tag == TK_INVALID) return -1;
  has_read_number = day.index != 0;
  for (; token.tag != TK_END; token = sc_next(&sc)) {
    if (token.tag == TK_NUMBER) {
      int nn = token.value;
      has_read_number = 1;
      if (sc_skip_symbol(&sc, ':')) {
        if (sc_skip_symbol(&sc, ':')) {
          if (time.index != 0) return -1;
          time_add(&time, nn);
          time_add(&time, 0);
        } else {
          if (!time_add(&time, nn)) return -1;
          if (tk_is_symbol(sc.next, '.')) sc_next(&sc);
        }
      } else if (sc_skip_symbol(&sc, '.') && time_is_expecting(&time, nn)) {
        int m;
        time_add(&time, nn);
        if (sc.next.tag != TK_NUMBER) return -1;
        m = read_milliseconds(sc_next(&sc));
        if (m < 0) return -1;
        time_add_final(&time, m);
      } else if (tz_is_expecting(&tz, nn)) {
        tz.minute = nn;
      } else if (time_is_expecting(&time, nn)) {
        v8_token peek;
        time_add_final(&time, nn);
        peek = sc.next;
        if (peek.tag != TK_END && peek.tag != TK_WHITESPACE && !tk_is_keyword_z(peek) &&
            !tk_is_sign(peek))
          return -1;
      } else {
        if (!day_add(&day, nn)) return -1;
        sc_skip_symbol(&sc, '-');
      }
    } else if (token.tag >= 0) { /* keyword (possibly KW_INVALID: a garbage word) */
      int type = token.tag, value = token.value;
      if (type == KW_AM_PM && time.index != 0) {
        time.hour_offset = value;
      } else if (type == KW_MONTH_NAME) {
        day.named_month = value;
        sc_skip_symbol(&sc, '-');
      } else if (type == KW_TIME_ZONE_NAME && has_read_number) {
        tz_set(&tz, value);
      } else {
        if (has_read_number) return -1;
        if (sc.next.tag == TK_NUMBER) return -1;
      }
    } else if (tk_is_sign(token) && (tz_is_utc(&tz) || time.index != 0)) {
      int nn = 0, length = 0;
      tz.sign = tk_sign(token) < 0 ? -1 : 1;
      if (sc.next.tag == TK_NUMBER) {
        v8_token t = sc_next(&sc);
        length = t.length;
        nn = t.value;
      }
      has_read_number = 1;
      if (tk_is_symbol(sc.next, ':')) {
        tz.hour = nn;
        tz.minute = V8_NONE;
      } else if (length == 2 || length == 1) {
        tz.hour = nn;
        tz.minute = 0;
      } else if (length == 4 || length == 3) {
        tz.hour = nn / 100;
        tz.minute = nn % 100;
      } else {
        return -1;
      }
    } else if ((tk_is_sign(token) || tk_is_symbol(token, ')')) && has_read_number) {
      return -1;
    } else {
      /* ignore other characters and whitespace */
    }
  }

  /* DayComposer::Write */
  if (day.index < 1) return -1;
  while (day.index < 3) day.comp[day.index++] = 1;
  year = 0;
  month = V8_NONE;
  dd = V8_NONE;
  if (day.named_month == V8_NONE) {
    if (day.is_iso_date || (day.index == 3 && !between(day.comp[0], 1, 31))) {
      year = day.comp[0];
      month = day.comp[1];
      dd = day.comp[2];
    } else {
      month = day.comp[0];
      dd = day.comp[1];
      if (day.index == 3) year = day.comp[2];
    }
  } else {
    month = day.named_month;
    if (day.index == 1) {
      dd = day.comp[0];
    } else if (!between(day.comp[0], 1, 31)) {
      year = day.comp[0];
      dd = day.comp[1];
    } else {
      dd = day.comp[0];
      year = day.comp[1];
    }
  }
  if (!day.is_iso_date) {
    if (between(year, 0, 49)) year += 2000;
    else if (between(year, 50, 99)) year += 1900;
  }
  if (!between(month, 1, 12) || !between(dd, 1, 31)) return -1;

  /* TimeComposer::Write */
  while (time.index < 4) time.comp[time.index++] = 0;
  hour = time.comp[0];
  minute = time.comp[1];
  second = time.comp[2];
  milli = time.comp[3];
  if (time.hour_offset != V8_NONE) {
    if (!between(hour, 0, 12)) return -1;
    hour %= 12;
    hour += time.hour_offset;
  }
  if (!between(hour, 0, 23) || !between(minute, 0, 59) || !between(second, 0, 59) ||
      !between(milli, 0, 999)) {
    if (hour != 24 || minute != 0 || second != 0 || milli != 0) return -1;
  }

  /* TimeZoneComposer::Write */
  if (tz.sign != V8_NONE) {
    unsigned total;
    if (tz.hour == V8_NONE) tz.hour = 0;
    if (tz.minute == V8_NONE) tz.minute = 0;
    total = (unsigned)tz.hour * 3600U + (unsigned)tz.minute * 60U;
    if (total > 0x7fffffffU) return -1; /* Smi::kMaxValue (32-bit Smis) */
    offset_s = tz.sign < 0 ? -(long long)total : (long long)total;
    has_offset = 1;
  }

  /* ParseDateTimeString: MakeDay / MakeTime / MakeDate, offset, TimeClip */
  if (year < -1000000 || year > 1000000) return -1;
  date = (sq_days_from_civil(year, month, 1) + dd - 1) * MS_PER_DAY +
         (((long long)hour * 60 + minute) * 60 + second) * 1000 + milli;
  if (has_offset) date -= offset_s * 1000;
  /* no offset: local time, taken as UTC (see value.h) */
  if (date > SQ_DATE_MAX_MS || date < -SQ_DATE_MAX_MS) return -1;
  *ms = date;
  return 0;
}

/* ---------------------------------------------------------------------------------
 * moment(string), as Sequelize's where values and DATEONLY read a string (moment 2.x
 * configFromString): "/Date(ms)" (ASP.NET), else moment's ISO-8601 shapes (its
 * extendedIsoRegex / basicIsoRegex with isoDates, isoTimes and tzRegex), else its RFC 2822
 * shape (moment_rfc2822), else Date.parse (moment falls back to new Date(string)). A string
 * of an ISO or RFC 2822 shape is read by moment alone, with its overflow checks: 2024-02-30,
 * hour 25, week 53 of a 52-week year, day 366 of a common year, an offset past +14:00 /
 * -12:00, "30 Feb 2024 10:00 GMT", a weekday that is not the date's are invalid (Date rolls
 * the day over, and passes the weekday over).
 * ------------------------------------------------------------------------------- */

static int js_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static size_t run_digits(const char *s, size_t n, size_t i) {
  size_t k = 0;
  while (i + k < n && isdig((unsigned char)s[i + k])) k++;
  return k;
}

/* ISO weeks in year y: 53 when Jan 1 is a Thursday, or a Wednesday in a leap year */
static int iso_weeks(long long y) {
  long long d = sq_days_from_civil(y, 1, 1);
  int wd = (int)(((d % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday: 0 = Monday */
  return wd == 3 || (wd == 2 && is_leap(y)) ? 53 : 52;
}

/* 0: *ms set; -1: invalid (an ISO shape moment refuses); 1: no ISO shape (go on) */
static int moment_iso(const char *s, size_t n, long long *ms) {
  size_t i = 0, k;
  int sign = 0, basic, allow_time = 1, form = 'D'; /* form: 'D' y-m-d, 'O' ordinal, 'W' week */
  long long year, mon = 1, day = 1, yday = 0, week = 0, wday = 1, hh = 0, mi = 0, ss = 0, frac = 0;
  long long off = 0, days, t;
  while (i < n && js_space((unsigned char)s[i])) i++;
  if (i < n && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  k = run_digits(s, n, i);
  if (sign ? k < 6 : k < 4) return 1;
  basic = !(i + (sign ? 6 : 4) < n && s[i + (sign ? 6 : 4)] == '-') || k != (size_t)(sign ? 6 : 4);
  if (!basic) {
    size_t j;
    year = digits(s, n, &i, sign ? 6 : 4);
    i++; /* '-' */
    if (i < n && s[i] == 'W') {
      i++;
      if (run_digits(s, n, i) != 2) return 1;
      week = digits(s, n, &i, 2);
      form = 'W';
      if (i < n && s[i] == '-') {
        i++;
        if (run_digits(s, n, i) != 1) return 1;
        wday = digits(s, n, &i, 1);
      } else {
        allow_time = 0;
      }
    } else {
      j = run_digits(s, n, i);
      if (j == 2 && i + 2 < n && s[i + 2] == '-' && run_digits(s, n, i + 3) == 2) {
        mon = digits(s, n, &i, 2);
        i++;
        day = digits(s, n, &i, 2);
        form = 'D';
      } else if (j == 3) {
        yday = digits(s, n, &i, 3);
        form = 'O';
      } else if (j == 2) {
        mon = digits(s, n, &i, 2);
        form = 'D';
        allow_time = 0;
      } else {
        return 1;
      }
    }
  } else {
    /* [+-]YYYYYY or YYYY, then MMDD | Www[d] | DDD | MM | nothing */
    size_t rest = k - (sign ? 6 : 4);
    year = digits(s, n, &i, sign ? 6 : 4);
    if (rest == 0 && i < n && s[i] == 'W') {
      size_t w;
      i++;
      w = run_digits(s, n, i);
      if (w != 2 && w != 3) return 1;
      week = digits(s, n, &i, 2);
      form = 'W';
      if (w == 3) wday = digits(s, n, &i, 1);
      else allow_time = 0;
    } else if (rest == 4) {
      mon = digits(s, n, &i, 2);
      day = digits(s, n, &i, 2);
      form = 'D';
    } else if (rest == 3) {
      yday = digits(s, n, &i, 3);
      form = 'O';
    } else if (rest == 2 || rest == 0) {
      if (rest == 2) mon = digits(s, n, &i, 2);
      form = 'D';
      allow_time = 0;
    } else {
      return 1;
    }
    /* isoDates knows a signed year only as YYYYYYMMDD (and YYYYYY-MM-DD) */
    if (sign && !(form == 'D' && rest == 4)) return -1;
  }
  if (sign && !basic && form != 'D') return -1;
  if (sign && !basic && !allow_time) return -1; /* "+002024-03": read as another isoDate */
  if (sign < 0 && year == 0) return -1;
  if (sign < 0) year = -year;
  /* (T| )time, then Z | [+-]HH[[:]MM] | spaces Z */
  if (i < n && (s[i] == 'T' || s[i] == ' ')) {
    size_t r;
    i++;
    r = run_digits(s, n, i);
    if (basic) {
      if (r != 2 && r != 4 && r != 6) return 1;
      hh = digits(s, n, &i, 2);
      if (r >= 4) mi = digits(s, n, &i, 2);
      if (r == 6) ss = digits(s, n, &i, 2);
      if (r == 6 && i < n && (s[i] == '.' || s[i] == ',')) goto fraction;
    } else {
      if (r != 2) return 1;
      hh = digits(s, n, &i, 2);
      if (i + 1 < n && s[i] == ':' && run_digits(s, n, i + 1) == 2) {
        i++;
        mi = digits(s, n, &i, 2);
        if (i + 1 < n && s[i] == ':' && run_digits(s, n, i + 1) == 2) {
          i++;
          ss = digits(s, n, &i, 2);
          if (i < n && (s[i] == '.' || s[i] == ',')) goto fraction;
        }
      }
    }
    goto zone;
  fraction: /* moment's SSSS: toInt(('0.' + digits) * 1000), the first three digits */
    {
      int nd = 0;
      i++;
      if (i >= n || !isdig((unsigned char)s[i])) return 1;
      while (i < n && isdig((unsigned char)s[i])) {
        if (nd < 3) frac = frac * 10 + (s[i] - '0');
        nd++;
        i++;
      }
      while (nd < 3) {
        frac *= 10;
        nd++;
      }
    }
  zone:
    if (!allow_time) return 1;
    {
      size_t j = i;
      while (j < n && js_space((unsigned char)s[j])) j++;
      if (j < n && s[j] == 'Z') {
        i = j + 1;
      } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int zs = s[i] == '-' ? -1 : 1;
        long long oh, om = 0;
        i++;
        if (run_digits(s, n, i) < 2) return 1;
        oh = digits(s, n, &i, 2);
        if (i + 2 < n && s[i] == ':' && run_digits(s, n, i + 1) == 2) {
          i++;
          om = digits(s, n, &i, 2);
        } else if (run_digits(s, n, i) == 2) {
          om = digits(s, n, &i, 2);
        }
        if (i != n) return 1;
        /* moment's offsetFromString */
        if (om > 59 || (zs > 0 ? oh * 60 + om > 14 * 60 : oh * 60 + om > 12 * 60)) return -1;
        off = zs * (oh * 60 + om);
      }
    }
  }
  if (i != n) return 1;
  /* configFromArray + checkOverflow */
  if (form == 'W') {
    long long jan4 = sq_days_from_civil(year, 1, 4);
    int wd4 = (int)(((jan4 % 7) + 7 + 3) % 7);
    if (week < 1 || week > iso_weeks(year) || wday < 1 || wday > 7) return -1;
    days = jan4 - wd4 + (week - 1) * 7 + (wday - 1);
  } else if (form == 'O') {
    if (yday < 1 || yday > (is_leap(year) ? 366 : 365)) return -1;
    days = sq_days_from_civil(year, 1, 1) + yday - 1;
  } else {
    if (mon < 1 || mon > 12 || day < 1 || day > sq_days_in_month(year, (int)mon)) return -1;
    days = sq_days_from_civil(year, (int)mon, (int)day);
  }
  if (hh > 24 || mi > 59 || ss > 59 || (hh == 24 && (mi || ss || frac))) return -1;
  t = days * MS_PER_DAY + ((hh * 60 + mi - off) * 60 + ss) * 1000 + frac;
  if (t > SQ_DATE_MAX_MS || t < -SQ_DATE_MAX_MS) return -1;
  *ms = t;
  return 0;
}

/* moment's configFromRFC2822: the string with its (comments) and runs of white space made one
 * space and trimmed (preprocessRFC2822), matched whole by its rfc2822 pattern
 *   [Ddd[,] ]D[D] Mmm YY[YY] hh:mm[:ss] (UT|GMT|[ECMP][SD]T|Z|z|+hhmm|-hhmm)
 * (names case-sensitive); a 2-digit year up to 49 is 20YY, a 2- or 3-digit one 19YY / 1YYY
 * (untruncateYear: "100" is 2000); a weekday must be the date's; then checkOverflow: a day
 * past its month's, minute or second past 59, hour 24 or more (hour 24 too: no milliseconds
 * are given to be 0) are invalid. ASCII white space only (JS's \s also takes Unicode's).
 * 0: *ms set; -1: invalid; 1: no RFC 2822 shape (go on) */
static int moment_rfc2822(const char *s, size_t n, long long *ms) {
  static const char *const wdays = "SunMonTueWedThuFriSat";
  static const char *const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  static const struct { const char *name; int off; } obs[] = {
      {"UT", 0}, {"GMT", 0}, {"EDT", -240}, {"EST", -300}, {"CDT", -300}, {"CST", -360},
      {"MDT", -360}, {"MST", -420}, {"PDT", -420}, {"PST", -480}};
  char b[48]; /* the longest match: "Mon, 05 Mar 2024 10:20:30 +0200" */
  size_t i, len = 0, p = 0, k;
  int space = 0, wd = -1, mon = -1, j;
  long long day, year, hh, mi, ss = 0, days, tzm = 0;
  for (i = 0; i < n; i++) {
    int c = (unsigned char)s[i];
    if (c == '(') { /* \([^()]*\): a comment, one space */
      size_t e = i + 1;
      while (e < n && s[e] != '(' && s[e] != ')') e++;
      if (e < n && s[e] == ')') {
        space = 1;
        i = e;
        continue;
      }
    }
    if (js_space(c)) {
      space = 1;
      continue;
    }
    if (len + 2 >= sizeof b) return 1;
    if (space && len) b[len++] = ' ';
    space = 0;
    b[len++] = (char)c;
  }
  /* (Mon|...|Sun),?\s */
  if (len - p >= 4 && isalpha((unsigned char)b[p])) {
    for (j = 0; j < 7; j++)
      if (!memcmp(b + p, wdays + 3 * j, 3)) wd = j;
    if (wd < 0) return 1;
    p += 3;
    if (b[p] == ',') p++;
    if (p >= len || b[p] != ' ') return 1;
    p++;
  }
  /* (\d{1,2})\s(Jan|...|Dec)\s(\d{2,4})\s(\d\d):(\d\d)(?::(\d\d))?\s */
  k = run_digits(b, len, p);
  if (k < 1 || k > 2 || p + k >= len || b[p + k] != ' ') return 1;
  day = digits(b, len, &p, (int)k);
  p++;
  if (len - p < 4 || b[p + 3] != ' ') return 1;
  for (j = 0; j < 12; j++)
    if (!memcmp(b + p, months + 3 * j, 3)) mon = j;
  if (mon < 0) return 1;
  p += 4;
  k = run_digits(b, len, p);
  if (k < 2 || k > 4 || p + k >= len || b[p + k] != ' ') return 1;
  year = digits(b, len, &p, (int)k);
  p++;
  if (len - p < 6 || run_digits(b, len, p) != 2 || b[p + 2] != ':' || run_digits(b, len, p + 3) != 2) return 1;
  hh = digits(b, len, &p, 2);
  p++;
  mi = digits(b, len, &p, 2);
  if (p + 3 <= len && b[p] == ':' && run_digits(b, len, p + 1) == 2) {
    p++;
    ss = digits(b, len, &p, 2);
  }
  if (p >= len || b[p] != ' ') return 1;
  p++;
  /* (UT|GMT|[ECMP][SD]T)|([Zz])|([+-]\d{4})$ */
  if (len - p == 1 && (b[p] == 'Z' || b[p] == 'z')) {
    tzm = 0;
  } else if (len - p == 5 && (b[p] == '+' || b[p] == '-') && run_digits(b, len, p + 1) == 4) {
    size_t q = p + 1;
    long long hm = digits(b, len, &q, 4) * (b[p] == '-' ? -1 : 1); /* calculateOffset */
    tzm = (hm - hm % 100) / 100 * 60 + hm % 100;
  } else {
    for (j = 0; j < (int)(sizeof obs / sizeof obs[0]); j++)
      if (len - p == strlen(obs[j].name) && !memcmp(b + p, obs[j].name, len - p)) break;
    if (j == (int)(sizeof obs / sizeof obs[0])) return 1;
    tzm = obs[j].off;
  }
  year = year <= 49 ? 2000 + year : year <= 999 ? 1900 + year : year; /* untruncateYear */
  /* checkWeekday: new Date(y, m, d).getDay(), the day rolled over */
  days = sq_days_from_civil(year, mon + 1, 1) + day - 1;
  if (wd >= 0 && (int)(((days % 7) + 7 + 4) % 7) != wd) return -1; /* 1970-01-01: Thursday */
  if (day < 1 || day > sq_days_in_month(year, mon + 1) || hh >= 24 || mi > 59 || ss > 59) return -1;
  *ms = days * MS_PER_DAY + ((hh * 60 + mi - tzm) * 60 + ss) * 1000;
  return 0;
}

int sq_date_parse_moment(const char *s, size_t n, long long *ms) {
  size_t i = 0, k;
  int r;
  if (!s) return -1;
  /* aspNetJsonRegex: /^\/?Date\((-?\d+)/i, new Date(+digits) */
  if (i < n && s[i] == '/') i++;
  if (n - i >= 5 && (s[i] | 32) == 'd' && (s[i + 1] | 32) == 'a' && (s[i + 2] | 32) == 't' &&
      (s[i + 3] | 32) == 'e' && s[i + 4] == '(') {
    int neg;
    long long v = 0;
    i += 5;
    neg = i < n && s[i] == '-';
    if (neg) i++;
    k = run_digits(s, n, i);
    if (k > 0) {
      size_t j;
      for (j = 0; j < k; j++) {
        if (v > SQ_DATE_MAX_MS) return -1;
        v = v * 10 + (s[i + j] - '0');
      }
      if (v > SQ_DATE_MAX_MS) return -1;
      *ms = neg ? -v : v;
      return 0;
    }
  }
  r = moment_iso(s, n, ms);
  if (r <= 0) return r;
  r = moment_rfc2822(s, n, ms);
  if (r <= 0) return r;
  return sq_date_parse_js(s, n, ms) ? -1 : 0;
}

/* ---------------------------------------------------------------------------------
 * Formatting
 * ------------------------------------------------------------------------------- */

static void put2(char *p, int v) {
  p[0] = (char)('0' + v / 10);
  p[1] = (char)('0' + v % 10);
}

typedef struct {
  long long year;
  int mon, day, hh, mi, ss, ms;
} fields;

static void split_ms(long long t, fields *f) {
  long long days = floordiv(t, MS_PER_DAY);
  long long rem = t - days * MS_PER_DAY; /* [0, 86399999] */
  sq_civil_from_days(days, &f->year, &f->mon, &f->day);
  f->hh = (int)(rem / 3600000);
  f->mi = (int)(rem / 60000 % 60);
  f->ss = (int)(rem / 1000 % 60);
  f->ms = (int)(rem % 1000);
}

/* "MM-DD?HH:MM:SS.mmm" after the year; returns chars written (18) */
static int put_rest(char *p, const fields *f, char sep) {
  p[0] = '-';
  put2(p + 1, f->mon);
  p[3] = '-';
  put2(p + 4, f->day);
  p[6] = sep;
  put2(p + 7, f->hh);
  p[9] = ':';
  put2(p + 10, f->mi);
  p[12] = ':';
  put2(p + 13, f->ss);
  p[15] = '.';
  p[16] = (char)('0' + f->ms / 100);
  put2(p + 17, f->ms % 100);
  return 19;
}

static int put_year(char *p, long long y, int width) {
  int i;
  for (i = width - 1; i >= 0; i--) {
    p[i] = (char)('0' + y % 10);
    y /= 10;
  }
  return width;
}

int sq_date_format_storage(long long ms, char *out) {
  fields f;
  int len = 0;
  long long ay;
  if (ms > SQ_DATE_MAX_MS || ms < -SQ_DATE_MAX_MS) return -1;
  split_ms(ms, &f);
  /* moment's YYYY: zero-filled to 4 digits, '-' for negative years, no '+' */
  if (f.year > 99999 || f.year < -9999) return -1;
  if (f.year < 0) out[len++] = '-';
  ay = f.year < 0 ? -f.year : f.year;
  len += put_year(out + len, ay, ay > 9999 ? 5 : 4);
  len += put_rest(out + len, &f, ' ');
  memcpy(out + len, " +00:00", 8);
  return len + 7;
}

int sq_date_format_iso(long long ms, char *out) {
  fields f;
  int len = 0;
  if (ms > SQ_DATE_MAX_MS || ms < -SQ_DATE_MAX_MS) return -1;
  split_ms(ms, &f);
  if (f.year >= 0 && f.year <= 9999) {
    len += put_year(out, f.year, 4);
  } else {
    out[len++] = f.year < 0 ? '-' : '+';
    len += put_year(out + len, f.year < 0 ? -f.year : f.year, 6);
  }
  len += put_rest(out + len, &f, 'T');
  out[len++] = 'Z';
  out[len] = 0;
  return len;
}

/* "YYYY-MM-DD HH:MM:SS.mmm +00:00" with valid fields -> ISO without arithmetic */
static int storage_fast(const char *s, size_t n, char *out) {
  static const char pat[] = "dddd-dd-dd dd:dd:dd.ddd +00:00";
  size_t i;
  size_t ii;
  long long y;
  int mo, d;
  if (n != 30) return -1;
  for (i = 0; i < 30; i++) {
    if (pat[i] == 'd') {
      if (!isdig((unsigned char)s[i])) return -1;
    } else if (s[i] != pat[i]) {
      return -1;
    }
  }
  ii = 0;
  y = digits(s, n, &ii, 4);
  mo = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if (mo < 1 || mo > 12 || d < 1 || d > sq_days_in_month(y, mo)) return -1;
  if ((s[11] - '0') * 10 + (s[12] - '0') > 23 || s[14] > '5' || s[17] > '5') return -1;
  memcpy(out, s, 23);
  out[10] = 'T';
  out[23] = 'Z';
  out[24] = 0;
  return 24;
}

int sq_date_storage_to_iso(const char *s, size_t n, char *out) {
  long long ms;
  int r;
  if (!s) return -1;
  if ((r = storage_fast(s, n, out)) >= 0) return r;
  if (sq_date_parse(s, n, &ms) != 0 && sq_date_parse_js(s, n, &ms) != 0) return -1;
  return sq_date_format_iso(ms, out);
}

int sq_dateonly_normalise(const char *s, size_t n, char *out) {
  long long ms;
  fields f;
  if (!s) return -1;
  if (n == 10 && s[4] == '-' && s[7] == '-' && run_digits(s, n, 0) == 4 && run_digits(s, n, 5) == 2 &&
      run_digits(s, n, 8) == 2) {
    size_t i = 0;
    long long y = digits(s, n, &i, 4);
    int mo, d;
    i = 5;
    mo = (int)digits(s, n, &i, 2);
    i = 8;
    d = (int)digits(s, n, &i, 2);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= sq_days_in_month(y, mo)) {
      memcpy(out, s, 10);
      out[10] = 0;
      return 10;
    }
    return -1;
  }
  /* other forms as moment(value) reads them (Sequelize's DATEONLY), then its UTC date */
  if (sq_date_parse_moment(s, n, &ms) != 0) return -1;
  split_ms(ms, &f);
  if (f.year < 0 || f.year > 9999) return -1;
  put_year(out, f.year, 4);
  out[4] = '-';
  put2(out + 5, f.mon);
  out[7] = '-';
  put2(out + 8, f.day);
  out[10] = 0;
  return 10;
}

/* ---------------------------------------------------------------------------------
 * Clock and UUID
 * ------------------------------------------------------------------------------- */

long long sq_now_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long sq_mono_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sq_uuid_v4_format(const unsigned char rnd[16], char out[37]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char b[16];
  int i, j = 0;
  memcpy(b, rnd, 16);
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  for (i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[j++] = '-';
    out[j++] = hex[b[i] >> 4];
    out[j++] = hex[b[i] & 15];
  }
  out[36] = 0;
}

/* ---------------------------------------------------------------------------------
 * Number text (see value.h) */

int sq_number_text(const char *s, size_t n, long long *iv, double *dv) {
  size_t i = 0, start, d0, nd;
  unsigned long long u = 0;
  int neg = 0, over = 0;
  char tmp[128];
  double x;
  while (n && isspace((unsigned char)s[n - 1])) n--;
  while (i < n && isspace((unsigned char)s[i])) i++;
  start = i;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  d0 = i;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
    unsigned dig = (unsigned)(s[i] - '0');
    if (u > (9223372036854775808ULL - dig) / 10) over = 1;
    else u = u * 10 + dig;
  }
  if (i == n && i > d0) { /* decimal digits only */
    if (over || (!neg && u > 9223372036854775807ULL)) return SQ_NUM_NONE;
    *iv = neg ? (u == 9223372036854775808ULL ? LLONG_MIN : -(long long)u) : (long long)u;
    return SQ_NUM_INT;
  }
  nd = i - d0;
  if (i < n && s[i] == '.')
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) nd++;
  if (!nd) return SQ_NUM_NONE;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t e0;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    for (e0 = i; i < n && s[i] >= '0' && s[i] <= '9'; i++) {}
    if (i == e0) return SQ_NUM_NONE;
  }
  if (i != n || n - start >= sizeof tmp) return SQ_NUM_NONE;
  memcpy(tmp, s + start, n - start);
  tmp[n - start] = '\0';
  x = strtod(tmp, NULL);
  if (isinf(x) || isnan(x)) return SQ_NUM_NONE;
  *dv = x;
  return SQ_NUM_REAL;
}
