/* validate.c: Sequelize v6's built-in validator predicates (see validate.h).
 *
 * Owns: ports of validator.js 13.15 isEmail, isURL, isFQDN (as they call it), isIP,
 * isAlpha, isAlphanumeric, isNumeric, isInt, isFloat, isLowercase, isUppercase,
 * isUUID, isLength and of Sequelize's validator-extras overrides (notEmpty, contains,
 * isDecimal, isDate, len); a UTF-8 reader that turns ill-formed bytes into U+FFFD the
 * way Node's Buffer#toString does; the Unicode case tables isLowercase/isUppercase
 * need (generated from Node, see the comment above them).
 *
 * Every delimiter these predicates split on ('@', '.', ':', '/', '?', '#', '%', '[')
 * is ASCII, and UTF-8 never puts an ASCII byte inside a multi-byte character (nor does
 * the U+FFFD reader ever swallow an ASCII byte), so splitting works on bytes; only
 * character classes and lengths decode.
 */
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsre.h"
#include "json.h"
#include "value.h"

typedef const unsigned char *bytes;

/* ---------------------------------------------------------------------------------
 * UTF-8 reading
 * ------------------------------------------------------------------------------- */

/* Decode one code point at s[*i] (i < n), advancing *i. Ill-formed input yields U+FFFD
 * per maximal ill-formed subsequence (WHATWG / Unicode "best practice"). */
/* one code point, advancing *i (value.c: ill-formed sequences become U+FFFD) */
static uint32_t dec(bytes s, size_t n, size_t *i) { return sq_utf8_decode(s, n, i); }

int sq_v_is_utf8(const char *s, size_t n) {
  size_t i = 0;
  bytes p = (bytes)s;
  /* ASCII runs eight bytes at a time: most text written is ASCII */
  while (i + 8 <= n) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < n) {
    size_t start = i;
    uint32_t cp = dec(p, n, &i);
    /* U+FFFD is either in the input (EF BF BD) or stands for ill-formed bytes */
    if (cp == 0xFFFD && !(i - start == 3 && p[start] == 0xEF && p[start + 1] == 0xBF &&
                          p[start + 2] == 0xBD))
      return 0;
  }
  return 1;
}

/* UTF-16 code units of the JS string */
static size_t u16len(bytes s, size_t n) {
  size_t i = 0, len = 0;
  while (i < n) len += dec(s, n, &i) > 0xFFFF ? 2 : 1;
  return len;
}

/* UTF-8 bytes of the JS string (validator's isByteLength: encodeURI length) */
static size_t u8len(bytes s, size_t n) {
  size_t i = 0, len = 0;
  while (i < n) {
    uint32_t cp = dec(s, n, &i);
    len += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return len;
}

size_t sq_v_utf8_len(const char *s, size_t n) { return u16len((bytes)s, n); }

size_t sq_v_length_count(const char *s, size_t n) {
  size_t i = 0, cps = 0, seq = 0;
  int prev_ok = 0; /* previous UTF-16 unit exists and is not U+FE0E/U+FE0F */
  while (i < n) {
    uint32_t cp = dec((bytes)s, n, &i);
    int sel = cp == 0xFE0E || cp == 0xFE0F;
    cps++;
    if (sel && prev_ok) seq++;
    prev_ok = !sel;
  }
  return cps - seq;
}

int sq_v_len(const char *s, size_t n, long long min, long long max) {
  size_t len = sq_v_length_count(s, n);
  if (min > 0 && len < (unsigned long long)min) return 0;
  if (max >= 0 && len > (unsigned long long)max) return 0;
  return 1;
}

/* ---------------------------------------------------------------------------------
 * Character classes
 * ------------------------------------------------------------------------------- */

static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static int is_alpha(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(uint32_t c) { return is_digit(c) || is_alpha(c); }
static int is_hex(uint32_t c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* JS RegExp \s */
static int is_js_space(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* \u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF: the "utf8" ranges of isEmail */
static int is_email_utf8(uint32_t c) {
  return (c >= 0xA1 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFEF);
}

static size_t find(bytes s, size_t from, size_t to, int c) {
  size_t i;
  for (i = from; i < to; i++)
    if (s[i] == c) return i;
  return to;
}

static size_t rfind(bytes s, size_t n, int c) {
  size_t i = n;
  while (i > 0)
    if (s[--i] == c) return i;
  return n;
}

/* ---------------------------------------------------------------------------------
 * isIP
 * ------------------------------------------------------------------------------- */

/* (?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]) x4, dot-separated */
static int ipv4(bytes s, size_t n) {
  size_t i = 0;
  int seg;
  for (seg = 0; seg < 4; seg++) {
    size_t st = i;
    int v = 0;
    if (seg > 0) {
      if (i >= n || s[i] != '.') return 0;
      st = ++i;
    }
    while (i < n && is_digit(s[i]) && i - st < 3) v = v * 10 + (s[i++] - '0');
    if (i == st || v > 255 || (i - st > 1 && s[st] == '0')) return 0;
  }
  return i == n;
}

/* groups "h:h:...:h" (1-4 hex digits each) where the last element may be an IPv4
 * address if allow_v4; returns the group count (IPv4 counts 2), -1 if malformed.
 * An empty range has 0 groups. */
static int v6_groups(bytes s, size_t n, int allow_v4) {
  size_t i = 0;
  int groups = 0;
  if (n == 0) return 0;
  for (;;) {
    size_t st = i, end = find(s, i, n, ':');
    if (allow_v4 && end == n && find(s, st, n, '.') < n) return ipv4(s + st, n - st) ? groups + 2 : -1;
    if (end == st || end - st > 4) return -1;
    for (; i < end; i++)
      if (!is_hex(s[i])) return -1;
    groups++;
    if (end == n) return groups;
    i = end + 1;
    if (i == n) return -1; /* trailing ':' */
  }
}

static int ipv6(bytes s, size_t n) {
  size_t pct = find(s, 0, n, '%'), i, dc;
  if (pct < n) { /* zone: %[0-9a-zA-Z.]+ */
    if (pct + 1 == n) return 0;
    for (i = pct + 1; i < n; i++)
      if (!is_alnum(s[i]) && s[i] != '.') return 0;
    n = pct;
  }
  for (dc = 0; dc + 1 < n && !(s[dc] == ':' && s[dc + 1] == ':'); dc++) {
  }
  if (dc + 1 >= n) { /* no "::": 8 groups, or 6 groups + IPv4 */
    return v6_groups(s, n, 1) == 8;
  } else {
    int left = v6_groups(s, dc, 0), right;
    bytes r = s + dc + 2;
    size_t rn = n - dc - 2;
    if (left < 0) return 0;
    if (rn > 0 && r[0] == ':') return 0; /* ":::" */
    for (i = 0; i + 1 < rn; i++)
      if (r[i] == ':' && r[i + 1] == ':') return 0; /* a second "::" */
    right = v6_groups(r, rn, 1);
    return right >= 0 && left + right <= 7;
  }
}

static int ip_any(bytes s, size_t n) { return ipv4(s, n) || ipv6(s, n); }

int sq_v_is_ipv4(const char *s, size_t n) { return ipv4((bytes)s, n); }
int sq_v_is_ipv6(const char *s, size_t n) { return ipv6((bytes)s, n); }
int sq_v_is_ip(const char *s, size_t n) { return ip_any((bytes)s, n); }

/* ---------------------------------------------------------------------------------
 * isFQDN with the options isEmail and isURL pass (require_tld, no underscores, no
 * trailing dot, no numeric TLD, no wildcard, labels <= 63 UTF-16 units)
 * ------------------------------------------------------------------------------- */

/* [a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF] (case-insensitive) */
static int is_tld_char(uint32_t c) {
  return is_alpha(c) || (c >= 0xA1 && c <= 0xA8) || (c >= 0xAA && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFEF);
}

/* /^([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$/i */
static int tld_pattern(bytes s, size_t n) {
  size_t i = 0, units = 0;
  int ok = 1;
  while (i < n) {
    uint32_t c = dec(s, n, &i);
    if (!is_tld_char(c)) ok = 0;
    units++;
  }
  if (ok && units >= 2) return 1;
  if (n >= 4 && (s[0] | 0x20) == 'x' && (s[1] | 0x20) == 'n') {
    for (i = 2; i < n; i++)
      if (!is_alnum(s[i]) && s[i] != '-') return 0;
    return 1;
  }
  return 0;
}

static int has_js_space(bytes s, size_t n) {
  size_t i = 0;
  while (i < n)
    if (is_js_space(dec(s, n, &i))) return 1;
  return 0;
}

/* one part of the name: [a-z_\u00a1-\uffff0-9-]+ (UTF-16 units: astral ones pass), no
 * full-width [\uff01-\uff5e], no hyphen first or last, `_` if allowed, 63 units at most
 * unless ignore_max_length */
static int fqdn_part(bytes s, size_t n, unsigned f) {
  size_t i = 0, units = 0;
  if (n == 0 || s[0] == '-' || s[n - 1] == '-') return 0;
  while (i < n) {
    uint32_t c = dec(s, n, &i);
    if (!(is_alnum(c) || c == '-' || c >= 0xA1 || (c == '_' && (f & SQ_VO_ALLOW_UNDERSCORES)))) return 0;
    if (c >= 0xFF01 && c <= 0xFF5E) return 0;
    units += c > 0xFFFF ? 2 : 1;
  }
  return units <= 63 || (f & SQ_VO_IGNORE_MAX_LENGTH);
}

static int fqdn(bytes s, size_t n) {
  size_t dot = rfind(s, n, '.'), i, st;
  if (dot == n) return 0; /* require_tld: at least two labels */
  /* the TLD's pattern, then no \s */
  if (!tld_pattern(s + dot + 1, n - dot - 1) || has_js_space(s + dot + 1, n - dot - 1)) return 0;
  for (st = 0;; st = i + 1) {
    i = find(s, st, n, '.');
    if (!fqdn_part(s + st, i - st, 0)) return 0;
    if (i == n) return 1;
  }
}

/* ---------------------------------------------------------------------------------
 * isEmail (default options)
 * ------------------------------------------------------------------------------- */

/* emailUserUtf8Part: [a-z\d!#\$%&'\*\+\-\/=\?\^_`{\|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+ */
static int email_atom_char(uint32_t c) {
  return is_alnum(c) || (c < 0x80 && c && strchr("!#$%&'*+-/=?^_`{|}~", (int)c)) ||
         is_email_utf8(c);
}

/* quotedEmailUserUtf8 over the inside of "..."; utf8 0: quotedEmailUser (allow_utf8_local_part
 * false), whose classes stop at \x7f (its \s still takes JavaScript's spaces above it) */
static int email_quoted(bytes s, size_t n, int utf8) {
  size_t i = 0;
  while (i < n) {
    uint32_t c = dec(s, n, &i);
    int wide; /* (the \u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF part, which holds \s's too) */
    if (c == '\\') {
      if (i >= n) return 0;
      c = dec(s, n, &i);
      wide = utf8 && (c == 0xA0 || is_email_utf8(c));
      /* [\x01-\x09\x0b\x0c\x0d-\x7f\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF] */
      if (!((c >= 0x01 && c <= 0x7F && c != 0x0A) || wide)) return 0;
    } else {
      wide = utf8 ? (c == 0xA0 || is_email_utf8(c)) : (c >= 0x80 && is_js_space(c));
      /* [\s\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x21\x23-\x5b\x5d-\x7e\u00A0-\uD7FF...] */
      if (!((c >= 0x01 && c <= 0x7F && c != '"') || wide)) return 0;
    }
  }
  return 1;
}

int sq_v_is_email(const char *str, size_t n) {
  bytes s = (bytes)str;
  size_t at, un, i, st;
  bytes dom;
  size_t dn;
  if (u16len(s, n) > 254) return 0;
  at = rfind(s, n, '@');
  if (at == n) { /* no '@': domain is everything, user is "" */
    un = 0;
    dom = s;
    dn = n;
  } else {
    un = at;
    dom = s + at + 1;
    dn = n - at - 1;
  }
  if (u8len(s, un) > 64 || u8len(dom, dn) > 254) return 0;
  if (!fqdn(dom, dn)) return 0;
  if (un >= 1 && s[0] == '"' && s[un - 1] == '"') return email_quoted(s + 1, un >= 2 ? un - 2 : 0, 1);
  for (st = 0;; st = i + 1) { /* dot-separated atoms, none empty */
    size_t j = st;
    i = find(s, st, un, '.');
    if (i == st) return 0;
    while (j < i)
      if (!email_atom_char(dec(s, i, &j))) return 0;
    if (i == un) return 1;
  }
}

/* ---------------------------------------------------------------------------------
 * isURL (default options)
 * ------------------------------------------------------------------------------- */

static int url_protocol_ok(bytes s, size_t n) {
  char p[6];
  size_t i;
  if (n < 3 || n > 5) return 0;
  for (i = 0; i < n; i++) p[i] = (char)(s[i] | 0x20);
  p[n] = 0;
  return !strcmp(p, "http") || !strcmp(p, "https") || !strcmp(p, "ftp");
}

/* The parts of validator.js's isURL both forms share. */

/* The URL's length in UTF-16 code units; -1 when it is empty, holds white space, < or >, or is a
 * mailto: URL */
static long url_units(bytes s, size_t n) {
  size_t i, units = 0;
  if (n == 0) return -1;
  for (i = 0; i < n;) {
    uint32_t c = dec(s, n, &i);
    if (is_js_space(c) || c == '<' || c == '>') return -1;
    units += c > 0xFFFF ? 2 : 1;
  }
  if (n >= 7 && !memcmp(s, "mailto:", 7)) return -1;
  return (long)units;
}

/* /^([a-z][a-z0-9+\-.]*):/i on s[0, e): 1 when it matches (*p: the protocol's length), and
 * *consume whether it is a protocol (0: what follows is user:password@host or host:port) */
static int url_scheme(bytes s, size_t e, size_t *p, int *consume) {
  size_t after, i;
  if (!(e > 0 && is_alpha(s[0]))) return 0;
  *p = 1;
  while (*p < e && (is_alnum(s[*p]) || s[*p] == '+' || s[*p] == '-' || s[*p] == '.')) (*p)++;
  if (!(*p < e && s[*p] == ':')) return 0;
  after = *p + 1;
  *consume = 1;
  if (!(e - after >= 2 && s[after] == '/' && s[after + 1] == '/')) {
    size_t fs = find(s, after, e, '/'), at = find(s, after, fs, '@');
    if (at < fs) {
      int valid_auth = 1, encoded = 0;
      for (i = after; i < at; i++) {
        if (!(is_alnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.' || s[i] == '%' || s[i] == ':'))
          valid_auth = 0;
        if (s[i] == '%' && i + 2 < at && is_hex(s[i + 1]) && is_hex(s[i + 2])) encoded = 1;
      }
      if (valid_auth && !encoded) *consume = 0; /* user:password@host */
    } else if (after < e && is_digit(s[after])) {
      *consume = 0; /* host:port */
    }
  }
  return 1;
}

/* The authority s[hs, he): an auth@ part (auth: whether there is one), then an IPv6 literal in
 * brackets (v6) with an optional port, or host:port. 0 when the auth or the port is invalid. */
typedef struct url_host {
  bytes host, v6, port;
  size_t hostn, v6n, portn;
  int auth;
} url_host;

static int url_split_host(bytes s, size_t hs, size_t he, url_host *h) {
  size_t i = find(s, hs, he, '@');
  memset(h, 0, sizeof *h);
  if (i < he) { /* auth@ */
    size_t colons = 0, k;
    if (i == hs) return 0;
    for (k = hs; k < i; k++) colons += s[k] == ':';
    if (colons >= 2) return 0;
    if (i - hs == 1 && s[hs] == ':') return 0;
    h->auth = 1;
    hs = i + 1;
  }
  /* /^\[([^\]]+)\](?::([0-9]+))?$/ */
  if (hs < he && s[hs] == '[') {
    size_t rb = find(s, hs + 1, he, ']'), k;
    int ok = rb < he && rb > hs + 1;
    if (ok && rb + 1 < he) {
      ok = s[rb + 1] == ':' && rb + 2 < he;
      for (k = rb + 2; ok && k < he; k++) ok = is_digit(s[k]);
    }
    if (ok) {
      h->host = s + hs;
      h->hostn = 0;
      h->v6 = s + hs + 1;
      h->v6n = rb - hs - 1;
      if (rb + 1 < he) {
        h->port = s + rb + 2;
        h->portn = he - rb - 2;
      }
    }
  }
  if (!h->v6) {
    size_t c = find(s, hs, he, ':');
    h->host = s + hs;
    h->hostn = c - hs;
    if (c < he) {
      h->port = s + c + 1;
      h->portn = he - c - 1;
    }
  }
  if (h->port && h->portn > 0) {
    long v = 0;
    size_t k;
    for (k = 0; k < h->portn; k++) {
      if (!is_digit(h->port[k])) return 0;
      if (v <= 65535) v = v * 10 + (h->port[k] - '0');
    }
    if (v <= 0 || v > 65535) return 0;
  }
  return 1;
}

int sq_v_is_url(const char *str, size_t n) {
  bytes s = (bytes)str;
  size_t e, start = 0, p;
  int had_protocol = 0, consume;
  long units = url_units(s, n);
  url_host h;

  if (units < 0 || units > 2084) return 0;
  e = find(s, 0, n, '#');
  e = find(s, 0, e, '?');
  if (url_scheme(s, e, &p, &consume) && consume) {
    if (!url_protocol_ok(s, p)) return 0;
    had_protocol = 1;
    start = p + 1;
  }
  if (e - start >= 2 && s[start] == '/' && s[start + 1] == '/') {
    if (!had_protocol) return 0; /* no protocol-relative URLs */
    start += 2;
  }
  if (start == e) return 0;
  if (!url_split_host(s, start, find(s, start, e, '/'), &h)) return 0;
  if (ip_any(h.host, h.hostn) || fqdn(h.host, h.hostn)) return 1;
  return h.v6 && ipv6(h.v6, h.v6n);
}

/* ---------------------------------------------------------------------------------
 * isFQDN, isURL, isEmail with validator.js's options (sq_v_opts); the default paths
 * above stay as they are
 * ------------------------------------------------------------------------------- */

const char *sq_v_opts_str(const sq_v_opts *o, int k, size_t *len) {
  const size_t *p = o->data + 2 * (size_t)o->nranges + 2 * (size_t)k;
  *len = p[1];
  return (const char *)o + p[0];
}

/* is string s (n bytes) one of the k0 .. k0 + cnt - 1 strings (checkHost: ===) */
static int in_strs(const sq_v_opts *o, int k0, int cnt, bytes s, size_t n) {
  int k;
  for (k = k0; k < k0 + cnt; k++) {
    size_t len;
    const char *t = sq_v_opts_str(o, k, &len);
    if (len == n && (n == 0 || !memcmp(t, s, n))) return 1;
  }
  return 0;
}

int sq_v_is_fqdn_opts(const char *str, size_t n, unsigned f) {
  bytes s = (bytes)str, tld;
  size_t dot, tn, i, st;
  if ((f & SQ_VO_ALLOW_TRAILING_DOT) && n > 0 && s[n - 1] == '.') n--;
  if ((f & SQ_VO_ALLOW_WILDCARD) && n >= 2 && s[0] == '*' && s[1] == '.') {
    s += 2;
    n -= 2;
  }
  dot = rfind(s, n, '.');
  tld = dot == n ? s : s + dot + 1;
  tn = dot == n ? n : n - dot - 1;
  if (f & SQ_VO_REQUIRE_TLD) {
    if (dot == n) return 0;
    if (!(f & SQ_VO_ALLOW_NUMERIC_TLD) && !tld_pattern(tld, tn)) return 0;
    if (has_js_space(tld, tn)) return 0;
  }
  if (!(f & SQ_VO_ALLOW_NUMERIC_TLD) && tn > 0) { /* /^\d+$/ */
    for (i = 0; i < tn && is_digit(tld[i]); i++) {
    }
    if (i == tn) return 0;
  }
  for (st = 0;; st = i + 1) {
    i = find(s, st, n, '.');
    if (!fqdn_part(s + st, i - st, f)) return 0;
    if (i == n) return 1;
  }
}

int sq_v_is_url_opts(const char *str, size_t n, const sq_v_opts *o) {
  bytes s = (bytes)str;
  unsigned f = o->flags;
  size_t e, start = 0, he, p = 0;
  int had_protocol = 0, consume = 0;
  long units = url_units(s, n);
  url_host h;

  if (units < 0) return 0;
  if ((f & SQ_VO_VALIDATE_LENGTH) && (double)units > o->max_len) return 0;
  if (!(f & SQ_VO_ALLOW_FRAGMENTS) && find(s, 0, n, '#') < n) return 0;
  if (!(f & SQ_VO_ALLOW_QUERY_COMPONENTS) && (find(s, 0, n, '?') < n || find(s, 0, n, '&') < n)) return 0;
  e = find(s, 0, n, '#');
  e = find(s, 0, e, '?');
  if (url_scheme(s, e, &p, &consume)) {
    if (!consume && (f & SQ_VO_REQUIRE_PROTOCOL)) return 0; /* (user:password@host, host:port) */
    if (consume) {
      if (f & SQ_VO_REQUIRE_VALID_PROTOCOL) {
        /* the protocol lower-cased (its characters are ASCII letters, digits, + - .) */
        int k, found = 0;
        for (k = 0; k < o->nproto && !found; k++) {
          size_t len, j;
          const char *t = sq_v_opts_str(o, k, &len);
          if (len != p) continue;
          for (j = 0; j < p && (unsigned char)t[j] == (s[j] | 0x20); j++) {
          }
          found = j == p;
        }
        if (!found) return 0;
      }
      had_protocol = 1;
      start = p + 1;
    }
  } else if (f & SQ_VO_REQUIRE_PROTOCOL) {
    return 0;
  }
  if (e - start >= 2 && s[start] == '/' && s[start + 1] == '/') {
    if (!had_protocol && !(f & SQ_VO_ALLOW_PROTOCOL_RELATIVE_URLS)) return 0;
    start += 2;
  }
  if (start == e) return 0;
  he = find(s, start, e, '/');
  if (he == start && !(f & SQ_VO_REQUIRE_HOST)) return 1;
  if (!url_split_host(s, start, he, &h)) return 0;
  if (h.auth && (f & SQ_VO_DISALLOW_AUTH)) return 0;
  if (!(h.port && h.portn > 0) && (f & SQ_VO_REQUIRE_PORT)) return 0;
  if (f & SQ_VO_HOST_WHITELIST) return in_strs(o, o->nproto, o->nwhite, h.host, h.hostn);
  if (h.hostn == 0 && !(f & SQ_VO_REQUIRE_HOST)) return 1;
  if (!ip_any(h.host, h.hostn) && !sq_v_is_fqdn_opts((const char *)h.host, h.hostn, f) && !(h.v6 && ipv6(h.v6, h.v6n)))
    return 0;
  if (f & SQ_VO_HOST_BLACKLIST) {
    if (h.hostn > 0 ? in_strs(o, o->nproto + o->nwhite, o->nblack, h.host, h.hostn)
                    : h.v6 && in_strs(o, o->nproto + o->nwhite, o->nblack, h.v6, h.v6n))
      return 0;
  }
  return 1;
}

/* String.prototype.toLowerCase's one-to-one mappings above ASCII: runs of `count` code
 * points from `start`, `step` apart, each mapped to itself + delta (generated under node
 * v20.20.2, Unicode 17.0; U+0130 is the one mapping to two code points: "i\u0307"; Greek
 * capital sigma is taken as sigma, not as final sigma) */
typedef struct { uint32_t start; uint16_t count, step; int32_t delta; } sq_v_lower_run;
static const sq_v_lower_run sq_v_lower_runs[] = {
  {0xc0, 23, 1, 32}, {0xd8, 7, 1, 32}, {0x100, 24, 2, 1}, {0x132, 3, 2, 1}, {0x139, 8, 2, 1},
  {0x14a, 23, 2, 1}, {0x178, 1, 1, -121}, {0x179, 3, 2, 1}, {0x181, 1, 1, 210}, {0x182, 2, 2, 1},
  {0x186, 1, 1, 206}, {0x187, 1, 1, 1}, {0x189, 2, 1, 205}, {0x18b, 1, 1, 1}, {0x18e, 1, 1, 79},
  {0x18f, 1, 1, 202}, {0x190, 1, 1, 203}, {0x191, 1, 1, 1}, {0x193, 1, 1, 205}, {0x194, 1, 1, 207},
  {0x196, 1, 1, 211}, {0x197, 1, 1, 209}, {0x198, 1, 1, 1}, {0x19c, 1, 1, 211}, {0x19d, 1, 1, 213},
  {0x19f, 1, 1, 214}, {0x1a0, 3, 2, 1}, {0x1a6, 1, 1, 218}, {0x1a7, 1, 1, 1}, {0x1a9, 1, 1, 218},
  {0x1ac, 1, 1, 1}, {0x1ae, 1, 1, 218}, {0x1af, 1, 1, 1}, {0x1b1, 2, 1, 217}, {0x1b3, 2, 2, 1},
  {0x1b7, 1, 1, 219}, {0x1b8, 1, 1, 1}, {0x1bc, 1, 1, 1}, {0x1c4, 1, 1, 2}, {0x1c5, 1, 1, 1},
  {0x1c7, 1, 1, 2}, {0x1c8, 1, 1, 1}, {0x1ca, 1, 1, 2}, {0x1cb, 9, 2, 1}, {0x1de, 9, 2, 1},
  {0x1f1, 1, 1, 2}, {0x1f2, 2, 2, 1}, {0x1f6, 1, 1, -97}, {0x1f7, 1, 1, -56}, {0x1f8, 20, 2, 1},
  {0x220, 1, 1, -130}, {0x222, 9, 2, 1}, {0x23a, 1, 1, 10795}, {0x23b, 1, 1, 1}, {0x23d, 1, 1, -163},
  {0x23e, 1, 1, 10792}, {0x241, 1, 1, 1}, {0x243, 1, 1, -195}, {0x244, 1, 1, 69}, {0x245, 1, 1, 71},
  {0x246, 5, 2, 1}, {0x370, 2, 2, 1}, {0x376, 1, 1, 1}, {0x37f, 1, 1, 116}, {0x386, 1, 1, 38},
  {0x388, 3, 1, 37}, {0x38c, 1, 1, 64}, {0x38e, 2, 1, 63}, {0x391, 17, 1, 32}, {0x3a3, 9, 1, 32},
  {0x3cf, 1, 1, 8}, {0x3d8, 12, 2, 1}, {0x3f4, 1, 1, -60}, {0x3f7, 1, 1, 1}, {0x3f9, 1, 1, -7},
  {0x3fa, 1, 1, 1}, {0x3fd, 3, 1, -130}, {0x400, 16, 1, 80}, {0x410, 32, 1, 32}, {0x460, 17, 2, 1},
  {0x48a, 27, 2, 1}, {0x4c0, 1, 1, 15}, {0x4c1, 7, 2, 1}, {0x4d0, 48, 2, 1}, {0x531, 38, 1, 48},
  {0x10a0, 38, 1, 7264}, {0x10c7, 1, 1, 7264}, {0x10cd, 1, 1, 7264}, {0x13a0, 80, 1, 38864}, {0x13f0, 6, 1, 8},
  {0x1c89, 1, 1, 1}, {0x1c90, 43, 1, -3008}, {0x1cbd, 3, 1, -3008}, {0x1e00, 75, 2, 1}, {0x1e9e, 1, 1, -7615},
  {0x1ea0, 48, 2, 1}, {0x1f08, 8, 1, -8}, {0x1f18, 6, 1, -8}, {0x1f28, 8, 1, -8}, {0x1f38, 8, 1, -8},
  {0x1f48, 6, 1, -8}, {0x1f59, 4, 2, -8}, {0x1f68, 8, 1, -8}, {0x1f88, 8, 1, -8}, {0x1f98, 8, 1, -8},
  {0x1fa8, 8, 1, -8}, {0x1fb8, 2, 1, -8}, {0x1fba, 2, 1, -74}, {0x1fbc, 1, 1, -9}, {0x1fc8, 4, 1, -86},
  {0x1fcc, 1, 1, -9}, {0x1fd8, 2, 1, -8}, {0x1fda, 2, 1, -100}, {0x1fe8, 2, 1, -8}, {0x1fea, 2, 1, -112},
  {0x1fec, 1, 1, -7}, {0x1ff8, 2, 1, -128}, {0x1ffa, 2, 1, -126}, {0x1ffc, 1, 1, -9}, {0x2126, 1, 1, -7517},
  {0x212a, 1, 1, -8383}, {0x212b, 1, 1, -8262}, {0x2132, 1, 1, 28}, {0x2160, 16, 1, 16}, {0x2183, 1, 1, 1},
  {0x24b6, 26, 1, 26}, {0x2c00, 48, 1, 48}, {0x2c60, 1, 1, 1}, {0x2c62, 1, 1, -10743}, {0x2c63, 1, 1, -3814},
  {0x2c64, 1, 1, -10727}, {0x2c67, 3, 2, 1}, {0x2c6d, 1, 1, -10780}, {0x2c6e, 1, 1, -10749}, {0x2c6f, 1, 1, -10783},
  {0x2c70, 1, 1, -10782}, {0x2c72, 1, 1, 1}, {0x2c75, 1, 1, 1}, {0x2c7e, 2, 1, -10815}, {0x2c80, 50, 2, 1},
  {0x2ceb, 2, 2, 1}, {0x2cf2, 1, 1, 1}, {0xa640, 23, 2, 1}, {0xa680, 14, 2, 1}, {0xa722, 7, 2, 1},
  {0xa732, 31, 2, 1}, {0xa779, 2, 2, 1}, {0xa77d, 1, 1, -35332}, {0xa77e, 5, 2, 1}, {0xa78b, 1, 1, 1},
  {0xa78d, 1, 1, -42280}, {0xa790, 2, 2, 1}, {0xa796, 10, 2, 1}, {0xa7aa, 1, 1, -42308}, {0xa7ab, 1, 1, -42319},
  {0xa7ac, 1, 1, -42315}, {0xa7ad, 1, 1, -42305}, {0xa7ae, 1, 1, -42308}, {0xa7b0, 1, 1, -42258}, {0xa7b1, 1, 1, -42282},
  {0xa7b2, 1, 1, -42261}, {0xa7b3, 1, 1, 928}, {0xa7b4, 8, 2, 1}, {0xa7c4, 1, 1, -48}, {0xa7c5, 1, 1, -42307},
  {0xa7c6, 1, 1, -35384}, {0xa7c7, 2, 2, 1}, {0xa7cb, 1, 1, -42343}, {0xa7cc, 8, 2, 1}, {0xa7dc, 1, 1, -42561},
  {0xa7f5, 1, 1, 1}, {0xff21, 26, 1, 32}, {0x10400, 40, 1, 40}, {0x104b0, 36, 1, 40}, {0x10570, 11, 1, 39},
  {0x1057c, 15, 1, 39}, {0x1058c, 7, 1, 39}, {0x10594, 2, 1, 39}, {0x10c80, 51, 1, 64}, {0x10d50, 22, 1, 32},
  {0x118a0, 32, 1, 32}, {0x16e40, 32, 1, 32}, {0x16ea0, 25, 1, 27}, {0x1e900, 34, 1, 34},
};

static void put_utf8(unsigned char *o, size_t *k, uint32_t c) {
  if (c < 0x80) {
    o[(*k)++] = (unsigned char)c;
  } else if (c < 0x800) {
    o[(*k)++] = (unsigned char)(0xC0 | (c >> 6));
    o[(*k)++] = (unsigned char)(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    o[(*k)++] = (unsigned char)(0xE0 | (c >> 12));
    o[(*k)++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[(*k)++] = (unsigned char)(0x80 | (c & 0x3F));
  } else {
    o[(*k)++] = (unsigned char)(0xF0 | (c >> 18));
    o[(*k)++] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[(*k)++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[(*k)++] = (unsigned char)(0x80 | (c & 0x3F));
  }
}

static uint32_t lower_cp(uint32_t c) {
  size_t lo = 0, hi = sizeof sq_v_lower_runs / sizeof *sq_v_lower_runs;
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  while (lo < hi) { /* the last run starting at or before c */
    size_t mid = (lo + hi) / 2;
    if (sq_v_lower_runs[mid].start <= c) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0) {
    const sq_v_lower_run *r = &sq_v_lower_runs[lo - 1];
    uint32_t d = c - r->start;
    if (d % r->step == 0 && d / r->step < r->count) return (uint32_t)((int32_t)c + r->delta);
  }
  return c;
}

/* s lower-cased as JavaScript does, into buf (cap bytes) or, when longer, into a malloc'd
 * copy (*heap, for the caller to free); ill-formed bytes are U+FFFD, as the JS string has
 * them. NULL when out of memory. */
static unsigned char *lower_copy(bytes s, size_t n, unsigned char *buf, size_t cap, unsigned char **heap,
                                 size_t *outn) {
  unsigned char *o = buf;
  size_t i = 0, k = 0;
  *heap = NULL;
  /* (3 bytes out per byte in at most: an ill-formed byte is U+FFFD, 3 bytes; U+0130, 2 bytes,
   * is "i\u0307", 3) */
  if (n * 3 + 4 > cap) {
    o = *heap = malloc(n * 3 + 4);
    if (!o) return NULL;
  }
  while (i < n) {
    uint32_t c = dec(s, n, &i);
    if (c == 0x130) {
      o[k++] = 'i';
      put_utf8(o, &k, 0x307);
    } else {
      put_utf8(o, &k, lower_cp(c));
    }
  }
  *outn = k;
  return o;
}

/* validator.js's validateDisplayName */
static int email_display_name(bytes s, size_t n) {
  bytes w = s;
  size_t wn = n, i, st;
  int stripped = 0, illegal = 0;
  if (n >= 3 && s[0] == '"' && s[n - 1] == '"') { /* replace(/^"(.+)"$/, '$1'): no line terminator inside */
    int ok = 1;
    for (i = 1; i < n - 1 && ok;) {
      uint32_t c = dec(s, n - 1, &i);
      if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) ok = 0;
    }
    if (ok) {
      w = s + 1;
      wn = n - 2;
      stripped = 1;
    }
  }
  for (i = 0, st = 0; i < wn;) { /* trim() leaves nothing: not a name */
    if (!is_js_space(dec(w, wn, &i))) st = 1;
  }
  if (!st) return 0;
  for (i = 0; i < wn; i++)
    if (w[i] == '.' || w[i] == '"' || w[i] == ';' || w[i] == '<' || w[i] == '>') illegal = 1;
  if (illegal) {
    if (!stripped) return 0;
    for (i = 0; i < wn; i++) /* every '"' escaped with a backslash */
      if (w[i] == '"' && (i == 0 || w[i - 1] != '\\')) return 0;
  }
  return 1;
}

/* any UTF-16 unit of s in the blacklisted_chars ranges */
static int email_blacklisted(bytes s, size_t n, const sq_v_opts *o) {
  size_t i = 0;
  int r;
  while (i < n) {
    uint32_t c = dec(s, n, &i), u[2];
    int nu = 1, k;
    u[0] = c;
    if (c > 0xFFFF) {
      u[0] = 0xD800 + ((c - 0x10000) >> 10);
      u[1] = 0xDC00 + ((c - 0x10000) & 0x3FF);
      nu = 2;
    }
    for (k = 0; k < nu; k++)
      for (r = 0; r < o->nranges; r++)
        if (u[k] >= o->data[2 * r] && u[k] <= o->data[2 * r + 1]) return 1;
  }
  return 0;
}

static int email_check(bytes s, size_t n, const sq_v_opts *o, unsigned char *tmp, size_t cap);

int sq_v_is_email_opts(const char *str, size_t n, const sq_v_opts *o) {
  unsigned char tmp[512];
  return email_check((bytes)str, n, o, tmp, sizeof tmp);
}

static int email_check(bytes s, size_t n, const sq_v_opts *o, unsigned char *tmp, size_t cap) {
  unsigned f = o->flags;
  size_t at, un, dn, i, st;
  bytes user, dom;
  unsigned char *heap = NULL;
  int r = 0;
  if (f & (SQ_VO_REQUIRE_DISPLAY_NAME | SQ_VO_ALLOW_DISPLAY_NAME)) {
    /* /^([^\x00-\x1F\x7F-\x9F\cX]+)</i: the last '<' before any control character */
    size_t lt = n;
    for (i = 0; i < n;) {
      size_t here = i;
      uint32_t c = dec(s, n, &i);
      if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) break;
      if (c == '<' && here > 0) lt = here;
    }
    if (lt < n) {
      size_t dnn = lt;
      if (s[dnn - 1] == ' ') dnn--;
      if (!email_display_name(s, dnn)) return 0;
      s += lt + 1; /* the name and '<' go, and a last '>' */
      n -= lt + 1;
      if (n > 0 && s[n - 1] == '>') n--;
    } else if (f & SQ_VO_REQUIRE_DISPLAY_NAME) {
      return 0;
    }
  }
  if (!(f & SQ_VO_IGNORE_MAX_LENGTH) && u16len(s, n) > 254) return 0;
  at = rfind(s, n, '@');
  if (at == n) {
    user = s;
    un = 0;
    dom = s;
    dn = n;
  } else {
    user = s;
    un = at;
    dom = s + at + 1;
    dn = n - at - 1;
  }
  if (o->nwhite > 0 || o->nblack > 0 || (f & SQ_VO_DOMAIN_SPECIFIC_VALIDATION)) {
    unsigned char *ld;
    size_t ldn;
    int gmail;
    ld = lower_copy(dom, dn, tmp, cap, &heap, &ldn);
    if (!ld) return -1;
    if (o->nblack > 0 && in_strs(o, o->nproto + o->nwhite, o->nblack, ld, ldn)) goto done;
    if (o->nwhite > 0 && !in_strs(o, o->nproto, o->nwhite, ld, ldn)) goto done;
    gmail = (ldn == 9 && !memcmp(ld, "gmail.com", 9)) || (ldn == 14 && !memcmp(ld, "googlemail.com", 14));
    free(heap);
    heap = NULL;
    if ((f & SQ_VO_DOMAIN_SPECIFIC_VALIDATION) && gmail) {
      size_t plus, bl = 0;
      user = lower_copy(user, un, tmp, cap, &heap, &un);
      if (!user) return -1;
      plus = find(user, 0, un, '+');
      for (i = 0; i < plus; i++) bl += user[i] != '.';
      /* (byte length of the username without dots: every part is [a-z\d]+ below, so ASCII) */
      for (st = 0;; st = i + 1) {
        size_t j;
        i = find(user, st, plus, '.');
        if (i == st) goto done;
        for (j = st; j < i; j++)
          if (!(is_digit(user[j]) || (user[j] >= 'a' && user[j] <= 'z'))) goto done;
        if (i == plus) break;
      }
      if (bl < 6 || bl > 30) goto done;
    }
  }
  if (!(f & SQ_VO_IGNORE_MAX_LENGTH) && (u8len(user, un) > 64 || u8len(dom, dn) > 254)) goto done;
  if (!sq_v_is_fqdn_opts((const char *)dom, dn,
                         f & (SQ_VO_REQUIRE_TLD | SQ_VO_IGNORE_MAX_LENGTH | SQ_VO_ALLOW_UNDERSCORES))) {
    if (!(f & SQ_VO_ALLOW_IP_DOMAIN)) goto done;
    if (!ip_any(dom, dn)) {
      if (dn < 2 || dom[0] != '[' || dom[dn - 1] != ']' || !ip_any(dom + 1, dn - 2)) goto done;
    }
  }
  if (o->nranges > 0 && email_blacklisted(user, un, o)) goto done;
  if (un >= 1 && user[0] == '"' && user[un - 1] == '"') {
    bytes q = user + 1;
    size_t qn = un >= 2 ? un - 2 : 0;
    r = email_quoted(q, qn, (f & SQ_VO_ALLOW_UTF8_LOCAL_PART) != 0);
    goto done;
  }
  for (st = 0;; st = i + 1) { /* dot-separated atoms, none empty */
    size_t j = st;
    i = find(user, st, un, '.');
    if (i == st) goto done;
    while (j < i) {
      uint32_t c = dec(user, i, &j);
      if (!((f & SQ_VO_ALLOW_UTF8_LOCAL_PART) ? email_atom_char(c)
                                              : (c < 0x80 && email_atom_char(c))))
        goto done;
    }
    if (i == un) break;
  }
  r = 1;
done:
  free(heap);
  return r;
}

/* ---------------------------------------------------------------------------------
 * Simple patterns
 * ------------------------------------------------------------------------------- */

int sq_v_is_alpha(const char *s, size_t n) {
  size_t i;
  if (n == 0) return 0;
  for (i = 0; i < n; i++)
    if (!is_alpha((unsigned char)s[i])) return 0;
  return 1;
}

int sq_v_is_alphanumeric(const char *s, size_t n) {
  size_t i;
  if (n == 0) return 0;
  for (i = 0; i < n; i++)
    if (!is_alnum((unsigned char)s[i])) return 0;
  return 1;
}

static size_t skip_digits(const char *s, size_t n, size_t i) {
  while (i < n && is_digit((unsigned char)s[i])) i++;
  return i;
}

int sq_v_is_numeric(const char *s, size_t n) {
  size_t i = 0, j;
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  j = skip_digits(s, n, i);
  if (j < n && s[j] == '.') j = skip_digits(s, n, i = j + 1);
  return j == n && j > i;
}

int sq_v_is_int(const char *s, size_t n) {
  size_t i = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  return i < n && skip_digits(s, n, i) == n;
}

/* optional exponent [eE][+-]?[0-9]+ at i; returns the index after it, or (size_t)-1 */
static size_t exponent(const char *s, size_t n, size_t i) {
  size_t j;
  if (i >= n || (s[i] != 'e' && s[i] != 'E')) return i;
  i++;
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  j = skip_digits(s, n, i);
  return j > i ? j : (size_t)-1;
}

int sq_v_is_float(const char *s, size_t n) {
  size_t i = 0;
  if (n == 0 || (n == 1 && (s[0] == '.' || s[0] == ',' || s[0] == '-' || s[0] == '+'))) return 0;
  if (s[i] == '+' || s[i] == '-') i++;
  i = skip_digits(s, n, i);
  if (i < n && s[i] == '.') i = skip_digits(s, n, i + 1);
  return exponent(s, n, i) == n;
}

int sq_v_is_decimal(const char *s, size_t n) {
  size_t i = 0;
  if (n == 0) return 0;
  if (s[i] == '-') {
    size_t j = skip_digits(s, n, i + 1);
    if (j == i + 1) return 0;
    i = j;
  } else {
    i = skip_digits(s, n, i);
  }
  if (i < n && s[i] == '.') i = skip_digits(s, n, i + 1);
  return exponent(s, n, i) == n;
}

/* ---------------------------------------------------------------------------------
 * isLowercase / isUppercase: str === str.toLowerCase() holds iff no code point of str
 * changes under toLowerCase (the one context-sensitive mapping, final sigma, changes
 * U+03A3 either way). The tables list the code points that change, as runs
 * {first, count, stride}; regenerate with the script below under a newer Node to
 * follow a newer Unicode:
 *   for cp in 0..0x10FFFF (no surrogates): changed if String.fromCodePoint(cp)
 *   .toLowerCase() (resp. toUpperCase()) differs from it; group into runs of
 *   consecutive (stride 1) or alternating (stride 2) code points.
 * ------------------------------------------------------------------------------- */

typedef struct {
  uint32_t first;
  uint16_t count;
  uint16_t stride;
} sq_v_run;

/* generated under node v20.20.2 (Unicode 17.0) */
/* 1488 code points in 128 runs */
static const sq_v_run sq_v_changes_when_lowercased[] = {
  {0x41,26,1},{0xC0,23,1},{0xD8,7,1},{0x100,28,2},{0x139,8,2},{0x14A,24,2},{0x179,3,2},
  {0x181,2,1},{0x184,2,2},{0x187,2,2},{0x18A,2,1},{0x18E,4,1},{0x193,2,1},{0x196,3,1},
  {0x19C,2,1},{0x19F,2,1},{0x1A2,3,2},{0x1A7,2,2},{0x1AC,2,2},{0x1AF,2,2},{0x1B2,2,1},
  {0x1B5,2,2},{0x1B8,1,1},{0x1BC,1,1},{0x1C4,2,1},{0x1C7,2,1},{0x1CA,2,1},{0x1CD,8,2},
  {0x1DE,9,2},{0x1F1,2,1},{0x1F4,2,2},{0x1F7,2,1},{0x1FA,29,2},{0x23A,2,1},{0x23D,2,1},
  {0x241,2,2},{0x244,3,1},{0x248,4,2},{0x370,2,2},{0x376,1,1},{0x37F,1,1},{0x386,2,2},
  {0x389,2,1},{0x38C,2,2},{0x38F,2,2},{0x392,16,1},{0x3A3,9,1},{0x3CF,1,1},{0x3D8,12,2},
  {0x3F4,1,1},{0x3F7,2,2},{0x3FA,1,1},{0x3FD,51,1},{0x460,17,2},{0x48A,28,2},{0x4C1,7,2},
  {0x4D0,48,2},{0x531,38,1},{0x10A0,38,1},{0x10C7,1,1},{0x10CD,1,1},{0x13A0,86,1},
  {0x1C89,1,1},{0x1C90,43,1},{0x1CBD,3,1},{0x1E00,75,2},{0x1E9E,49,2},{0x1F08,8,1},
  {0x1F18,6,1},{0x1F28,8,1},{0x1F38,8,1},{0x1F48,6,1},{0x1F59,4,2},{0x1F68,8,1},
  {0x1F88,8,1},{0x1F98,8,1},{0x1FA8,8,1},{0x1FB8,5,1},{0x1FC8,5,1},{0x1FD8,4,1},
  {0x1FE8,5,1},{0x1FF8,5,1},{0x2126,1,1},{0x212A,2,1},{0x2132,1,1},{0x2160,16,1},
  {0x2183,1,1},{0x24B6,26,1},{0x2C00,48,1},{0x2C60,2,2},{0x2C63,2,1},{0x2C67,4,2},
  {0x2C6E,3,1},{0x2C72,1,1},{0x2C75,1,1},{0x2C7E,3,1},{0x2C82,49,2},{0x2CEB,2,2},
  {0x2CF2,1,1},{0xA640,23,2},{0xA680,14,2},{0xA722,7,2},{0xA732,31,2},{0xA779,3,2},
  {0xA77E,5,2},{0xA78B,2,2},{0xA790,2,2},{0xA796,11,2},{0xA7AB,4,1},{0xA7B0,5,1},
  {0xA7B6,8,2},{0xA7C5,3,1},{0xA7C9,2,2},{0xA7CC,9,2},{0xA7F5,1,1},{0xFF21,26,1},
  {0x10400,40,1},{0x104B0,36,1},{0x10570,11,1},{0x1057C,15,1},{0x1058C,7,1},{0x10594,2,1},
  {0x10C80,51,1},{0x10D50,22,1},{0x118A0,32,1},{0x16E40,32,1},{0x16EA0,25,1},{0x1E900,34,1},
};
/* 1580 code points in 149 runs */
static const sq_v_run sq_v_changes_when_uppercased[] = {
  {0x61,26,1},{0xB5,1,1},{0xDF,24,1},{0xF8,8,1},{0x101,28,2},{0x13A,8,2},{0x149,24,2},
  {0x17A,3,2},{0x17F,2,1},{0x183,2,2},{0x188,1,1},{0x18C,1,1},{0x192,1,1},{0x195,1,1},
  {0x199,3,1},{0x19E,1,1},{0x1A1,3,2},{0x1A8,1,1},{0x1AD,1,1},{0x1B0,1,1},{0x1B4,2,2},
  {0x1B9,1,1},{0x1BD,2,2},{0x1C5,2,1},{0x1C8,2,1},{0x1CB,2,1},{0x1CE,8,2},{0x1DD,10,2},
  {0x1F0,2,2},{0x1F3,2,2},{0x1F9,20,2},{0x223,9,2},{0x23C,1,1},{0x23F,2,1},{0x242,1,1},
  {0x247,5,2},{0x250,5,1},{0x256,2,1},{0x259,2,2},{0x25C,1,1},{0x260,2,1},{0x263,4,1},
  {0x268,5,1},{0x26F,2,2},{0x272,1,1},{0x275,1,1},{0x27D,1,1},{0x280,2,2},{0x283,1,1},
  {0x287,6,1},{0x292,1,1},{0x29D,2,1},{0x345,1,1},{0x371,2,2},{0x377,1,1},{0x37B,3,1},
  {0x390,1,1},{0x3AC,35,1},{0x3D0,2,1},{0x3D5,3,1},{0x3D9,12,2},{0x3F0,4,1},{0x3F5,1,1},
  {0x3F8,1,1},{0x3FB,1,1},{0x430,48,1},{0x461,17,2},{0x48B,27,2},{0x4C2,7,2},{0x4CF,49,2},
  {0x561,39,1},{0x10D0,43,1},{0x10FD,3,1},{0x13F8,6,1},{0x1C80,9,1},{0x1C8A,1,1},
  {0x1D79,1,1},{0x1D7D,1,1},{0x1D8E,1,1},{0x1E01,75,2},{0x1E96,6,1},{0x1EA1,48,2},
  {0x1F00,8,1},{0x1F10,6,1},{0x1F20,8,1},{0x1F30,8,1},{0x1F40,6,1},{0x1F50,8,1},
  {0x1F60,8,1},{0x1F70,14,1},{0x1F80,53,1},{0x1FB6,2,1},{0x1FBC,2,2},{0x1FC2,3,1},
  {0x1FC6,2,1},{0x1FCC,1,1},{0x1FD0,4,1},{0x1FD6,2,1},{0x1FE0,8,1},{0x1FF2,3,1},
  {0x1FF6,2,1},{0x1FFC,1,1},{0x214E,1,1},{0x2170,16,1},{0x2184,1,1},{0x24D0,26,1},
  {0x2C30,48,1},{0x2C61,1,1},{0x2C65,2,1},{0x2C68,3,2},{0x2C73,1,1},{0x2C76,1,1},
  {0x2C81,50,2},{0x2CEC,2,2},{0x2CF3,1,1},{0x2D00,38,1},{0x2D27,1,1},{0x2D2D,1,1},
  {0xA641,23,2},{0xA681,14,2},{0xA723,7,2},{0xA733,31,2},{0xA77A,2,2},{0xA77F,5,2},
  {0xA78C,1,1},{0xA791,2,2},{0xA794,1,1},{0xA797,10,2},{0xA7B5,8,2},{0xA7C8,2,2},
  {0xA7CD,8,2},{0xA7F6,1,1},{0xAB53,1,1},{0xAB70,80,1},{0xFB00,7,1},{0xFB13,5,1},
  {0xFF41,26,1},{0x10428,40,1},{0x104D8,36,1},{0x10597,11,1},{0x105A3,15,1},{0x105B3,7,1},
  {0x105BB,2,1},{0x10CC0,51,1},{0x10D70,22,1},{0x118C0,32,1},{0x16E60,32,1},{0x16EBB,25,1},
  {0x1E922,34,1},
};

static int in_runs(const sq_v_run *r, size_t nr, uint32_t c) {
  size_t lo = 0, hi = nr;
  while (lo < hi) { /* last run with first <= c */
    size_t mid = (lo + hi) / 2;
    if (r[mid].first <= c) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return 0;
  r += lo - 1;
  return c - r->first < (uint32_t)r->count * r->stride && (c - r->first) % r->stride == 0;
}

static int case_stable(bytes s, size_t n, const sq_v_run *r, size_t nr) {
  size_t i = 0;
  while (i < n)
    if (in_runs(r, nr, dec(s, n, &i))) return 0;
  return 1;
}

int sq_v_is_lowercase(const char *s, size_t n) {
  return case_stable((bytes)s, n, sq_v_changes_when_lowercased,
                     sizeof sq_v_changes_when_lowercased / sizeof *sq_v_changes_when_lowercased);
}

int sq_v_is_uppercase(const char *s, size_t n) {
  return case_stable((bytes)s, n, sq_v_changes_when_uppercased,
                     sizeof sq_v_changes_when_uppercased / sizeof *sq_v_changes_when_uppercased);
}

/* ---------------------------------------------------------------------------------
 * isUUID
 * ------------------------------------------------------------------------------- */

static int uuid_shape(const char *s, size_t n) {
  size_t i;
  if (n != 36) return 0;
  for (i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return 0;
    } else if (!is_hex((unsigned char)s[i])) {
      return 0;
    }
  }
  return 1;
}

static int uuid_all_same(const char *s, char c) {
  size_t i;
  for (i = 0; i < 36; i++)
    if (s[i] != '-' && (s[i] | 0x20) != c) return 0;
  return 1;
}

int sq_v_is_uuid_version(const char *s, size_t n, int version) {
  int v, variant;
  if (!uuid_shape(s, n)) return 0;
  if (version == -1) return 1;
  if (version < 0 || version > 8) return 0;
  v = s[14] - '0';
  variant = s[19] | 0x20;
  if (version == 0 && (uuid_all_same(s, '0') || uuid_all_same(s, 'f'))) return 1;
  if (!(variant == '8' || variant == '9' || variant == 'a' || variant == 'b')) return 0;
  return version == 0 ? v >= 1 && v <= 8 : v == version;
}

int sq_v_is_uuid(const char *s, size_t n) { return sq_v_is_uuid_version(s, n, 0); }

/* ---------------------------------------------------------------------------------
 * notEmpty, contains, isDate
 * ------------------------------------------------------------------------------- */

int sq_v_not_empty(const char *s, size_t n) {
  size_t i = 0;
  while (i < n)
    if (!is_js_space(dec((bytes)s, n, &i))) return 1;
  return 0;
}

int sq_v_contains(const char *str, size_t n, const char *subs, size_t subn) {
  bytes s = (bytes)str, sub = (bytes)subs;
  size_t i;
  if (subn == 0) return 0;
  if (sq_v_is_utf8(str, n) && sq_v_is_utf8(subs, subn)) {
    if (subn > n) return 0;
    for (i = 0; i + subn <= n; i++)
      if (s[i] == sub[0] && !memcmp(s + i, sub, subn)) return 1;
    return 0;
  }
  /* ill-formed input: compare the decoded strings */
  for (i = 0; i < n;) {
    size_t a = i, b = 0;
    int eq = 1;
    while (b < subn && eq) eq = a < n && dec(s, n, &a) == dec(sub, subn, &b);
    if (eq) return 1;
    dec(s, n, &i);
  }
  return 0;
}

int sq_v_is_date(const char *s, size_t n) {
  long long ms;
  return sq_date_parse_js(s, n, &ms) == 0;
}

int sq_v_date_cmp(const char *s, size_t n, const char *cmp, size_t cmpn, int after, int whole_seconds) {
  long long v, c;
  if (sq_date_parse_js(s, n, &v) != 0 || sq_date_parse_js(cmp, cmpn, &c) != 0) return 0;
  if (whole_seconds) v = v >= 0 ? v - v % 1000 : v - (1000 + v % 1000) % 1000;
  return after ? v > c : v < c;
}

/* ---- more of validator.js ---------------------------------------------------- */

/* n > i and every byte from i on satisfies pred */
static int all_from(const char *s, size_t n, size_t i, int (*pred)(unsigned char)) {
  if (i >= n) return 0;
  for (; i < n; i++)
    if (!pred((unsigned char)s[i])) return 0;
  return 1;
}

static int is_octal_digit(unsigned char c) { return c >= '0' && c <= '7'; }
static int is_ascii_byte(unsigned char c) { return c < 0x80; }
static int is_lower_hex(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
static int is_b64(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}
static int is_hexd(unsigned char c) { return is_hex(c); } /* (all_from takes bytes) */
static int is_digit_byte(unsigned char c) { return is_digit(c); }
static uint32_t upper(uint32_t c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

int sq_v_is_null(const char *s, size_t n) {
  (void)s;
  return n == 0;
}

/* /^(0x|0h)?[0-9A-F]+$/i */
int sq_v_is_hexadecimal(const char *s, size_t n) {
  size_t i = 0;
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'h' || s[1] == 'H')) i = 2;
  return all_from(s, n, i, is_hexd);
}

/* /^(0o)?[0-7]+$/i */
int sq_v_is_octal(const char *s, size_t n) {
  size_t i = 0;
  if (n >= 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) i = 2;
  return all_from(s, n, i, is_octal_digit);
}

/* /^[\x00-\x7F]+$/ */
int sq_v_is_ascii(const char *s, size_t n) { return all_from(s, n, 0, is_ascii_byte); }

/* '' passes; else length % 4 == 0 and /^[A-Za-z0-9+/]+={0,2}$/ */
int sq_v_is_base64(const char *s, size_t n) {
  size_t body = n;
  if (n == 0) return 1;
  if (n % 4) return 0;
  while (body > 0 && n - body < 2 && s[body - 1] == '=') body--;
  return all_from(s, body, 0, is_b64);
}

/* /^#?([0-9A-F]{3}|[0-9A-F]{4}|[0-9A-F]{6}|[0-9A-F]{8})$/i */
int sq_v_is_hex_color(const char *s, size_t n) {
  size_t i = n > 0 && s[0] == '#';
  size_t d = n - i;
  return (d == 3 || d == 4 || d == 6 || d == 8) && all_from(s, n, i, is_hexd);
}

int sq_v_is_boolean(const char *s, size_t n) {
  return (n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)) ||
         (n == 1 && (s[0] == '1' || s[0] == '0'));
}

/* isInt(str, { allow_leading_zeroes: false, min: 0, max: 65535 }):
 * /^(?:[-+]?(?:0|[1-9][0-9]*))$/ and 0 <= value <= 65535 */
int sq_v_is_port(const char *s, size_t n) {
  size_t i = 0;
  long v = 0;
  int neg = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i >= n) return 0;
  if (s[i] == '0') return i + 1 == n; /* 0, +0, -0 (-0 >= 0 in JS) */
  for (; i < n; i++) {
    if (!is_digit((unsigned char)s[i])) return 0;
    if (v <= 65535) v = v * 10 + (s[i] - '0');
  }
  return !neg && v <= 65535;
}

/* /^[a-f0-9]{32}$/ */
int sq_v_is_md5(const char *s, size_t n) { return n == 32 && all_from(s, n, 0, is_lower_hex); }

/* isHexadecimal(str) && str.length === 24 */
int sq_v_is_mongo_id(const char *s, size_t n) { return n == 24 && sq_v_is_hexadecimal(s, n); }

/* /^[a-z0-9](?!.*[-_]{2,})(?:[a-z0-9_-]*[a-z0-9])?$/ */
int sq_v_is_slug(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_') return 0;
    if (!alnum && (i == 0 || i == n - 1)) return 0;
    if (!alnum && (s[i + 1] == '-' || s[i + 1] == '_')) return 0; /* (i < n - 1 here) */
  }
  return n > 0;
}

/* JSON.parse succeeds and gives an object or an array (not a primitive, not null) */
int sq_v_is_json(const char *s, size_t n) {
  sq_json_sax sax;
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  if (i >= n || (s[i] != '{' && s[i] != '[')) return 0;
  memset(&sax, 0, sizeof sax);
  return sq_json_parse(s, n, &sax, NULL, 0) == 0;
}

/* Luhn's check over the digits, spaces and dashes ignored (a non-digit fails; so does "") */
int sq_v_is_luhn(const char *s, size_t n) {
  int sum = 0, dbl = 0, any = 0;
  size_t i = n;
  while (i-- > 0) {
    unsigned char c = (unsigned char)s[i];
    int d;
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c)) return 0;
    d = c - '0';
    if (dbl) d = d * 2 >= 10 ? d * 2 % 10 + 1 : d * 2;
    sum += d;
    dbl = !dbl;
    any = 1;
  }
  return any && sum % 10 == 0;
}

static int prefix_in(const char *d, size_t n, int len, int lo, int hi) {
  int v = 0, k;
  if ((int)n < len) return 0;
  for (k = 0; k < len; k++) v = v * 10 + (d[k] - '0');
  return v >= lo && v <= hi;
}

/* validator.js's providers' patterns over the digits (Luhn first, so all are digits):
 * amex, dinersclub, discover, jcb, mastercard (its pattern's unanchored alternation
 * included), unionpay, visa */
int sq_v_is_credit_card(const char *s, size_t n) {
  char d[64];
  size_t m = 0, i;
  if (!sq_v_is_luhn(s, n)) return 0;
  for (i = 0; i < n; i++) {
    if (s[i] == ' ' || s[i] == '-') continue;
    if (m == sizeof d) return 0; /* longer than any card */
    d[m++] = s[i];
  }
  if (m == 15 && prefix_in(d, m, 2, 34, 34)) return 1;                      /* amex 34, 37 */
  if (m == 15 && prefix_in(d, m, 2, 37, 37)) return 1;
  if (m == 14 && (prefix_in(d, m, 3, 300, 305) || prefix_in(d, m, 2, 36, 36) || prefix_in(d, m, 2, 38, 38)))
    return 1;                                                                  /* dinersclub */
  if (m >= 16 && m <= 19 && (prefix_in(d, m, 4, 6011, 6011) || prefix_in(d, m, 2, 65, 65))) return 1;
  if (m == 15 && (prefix_in(d, m, 4, 2131, 2131) || prefix_in(d, m, 4, 1800, 1800))) return 1; /* jcb */
  if (m == 16 && prefix_in(d, m, 2, 35, 35)) return 1;
  if (prefix_in(d, m, 2, 51, 55) && m >= 4) return 1;                       /* mastercard ^5[1-5]\d{2} */
  if (m >= 16 && prefix_in(d + m - 16, 16, 4, 2221, 2720)) return 1;         /* ...(2221-2720)\d{12}$ */
  if (m == 16 && (prefix_in(d, m, 2, 62, 62) || prefix_in(d, m, 2, 67, 67))) return 1; /* unionpay */
  if (m >= 16 && m <= 19 && prefix_in(d, m, 2, 81, 81)) return 1;
  if (d[0] == '4' && (m == 13 || (m >= 16 && m <= 19))) return 1;            /* visa */
  return 0;
}

/* ---- validator.js's pattern validators ------------------------------------------- *
 * The patterns are validator.js 13.15's own (copied from its lib/ as RegExp#source; `i`
 * marks the ones it flags case-insensitive), run by jsre.c. */

static const char RE_SEMVER[] = /* i */
  "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-z-][0-9a-z-]*)"
  "(?:\\.(?:0|[1-9]\\d*|\\d*[a-z-][0-9a-z-]*))*))?(?:\\+([0-9a-z-]+(?:\\.[0-9a-z-]+)*))?"
  "$";
static const char RE_MAC48[] =
  "^(?:[0-9a-fA-F]{2}([-:\\s]))([0-9a-fA-F]{2}\\1){4}([0-9a-fA-F]{2})$";
static const char RE_MAC48DOTS[] =
  "^([0-9a-fA-F]{4}\\.){2}([0-9a-fA-F]{4})$";
static const char RE_MAC64[] =
  "^(?:[0-9a-fA-F]{2}([-:\\s]))([0-9a-fA-F]{2}\\1){6}([0-9a-fA-F]{2})$";
static const char RE_MAC64DOTS[] =
  "^([0-9a-fA-F]{4}\\.){3}([0-9a-fA-F]{4})$";
static const char RE_MAC48NS[] =
  "^([0-9a-fA-F]){12}$";
static const char RE_MAC64NS[] =
  "^([0-9a-fA-F]){16}$";
static const char RE_ISO8601[] =
  "^([\\+-]?\\d{4}(?!\\d{2}\\b))((-?)((0[1-9]|1[0-2])(\\3([12]\\d|0[1-9]|3[01]))?|W([0-4]"
  "\\d|5[0-3])(-?[1-7])?|(00[1-9]|0[1-9]\\d|[12]\\d{2}|3([0-5]\\d|6[1-6])))([T\\s]((([01"
  "]\\d|2[0-3])((:?)[0-5]\\d)?|24:?00)([\\.,]\\d+(?!:))?)?(\\17[0-5]\\d([\\.,]\\d+)?)?([zZ]"
  "|([\\+-])([01]\\d|2[0-3]):?([0-5]\\d)?)?)?)?$";
static const char RE_ISO8601SS[] =
  "^([\\+-]?\\d{4}(?!\\d{2}\\b))((-?)((0[1-9]|1[0-2])(\\3([12]\\d|0[1-9]|3[01]))?|W([0-4]"
  "\\d|5[0-3])(-?[1-7])?|(00[1-9]|0[1-9]\\d|[12]\\d{2}|3([0-5]\\d|6[1-6])))([T]((([01]\\d"
  "|2[0-3])((:?)[0-5]\\d)?|24:?00)([\\.,]\\d+(?!:))?)?(\\17[0-5]\\d([\\.,]\\d+)?)?([zZ]|(["
  "\\+-])([01]\\d|2[0-3]):?([0-5]\\d)?)?)?)?$";
static const char RE_LAT[] =
  "^\\(?[+-]?(90(\\.0+)?|[1-8]?\\d(\\.\\d+)?)$";
static const char RE_LONG[] =
  "^\\s?[+-]?(180(\\.0+)?|1[0-7]\\d(\\.\\d+)?|\\d{1,2}(\\.\\d+)?)\\)?$";
static const char RE_LATDMS[] = /* i */
  "^(([1-8]?\\d)\\D+([1-5]?\\d|60)\\D+([1-5]?\\d|60)(\\.\\d+)?|90\\D+0\\D+0)\\D+[NSns]?$";
static const char RE_LONGDMS[] = /* i */
  "^\\s*([1-7]?\\d{1,2}\\D+([1-5]?\\d|60)\\D+([1-5]?\\d|60)(\\.\\d+)?|180\\D+0\\D+0)\\D+[EWew]"
  "?$";
static const char RE_MIMESIMPLE[] = /* i */
  "^(application|audio|font|image|message|model|multipart|text|video)\\/[a-zA-Z0-9\\."
  "\\-\\+_]{1,100}$";
static const char RE_MIMETEXT[] = /* i */
  "^text\\/[a-zA-Z0-9\\.\\-\\+]{1,100};\\s?charset=(\"[a-zA-Z0-9\\.\\-\\+\\s]{0,70}\"|[a-zA-Z0"
  "-9\\.\\-\\+]{0,70})(\\s?\\([a-zA-Z0-9\\.\\-\\+\\s]{1,20}\\))?$";
static const char RE_MIMEMULTIPART[] = /* i */
  "^multipart\\/[a-zA-Z0-9\\.\\-\\+]{1,100}(;\\s?(boundary|charset)=(\"[a-zA-Z0-9\\.\\-\\+\\s"
  "]{0,70}\"|[a-zA-Z0-9\\.\\-\\+]{0,70})(\\s?\\([a-zA-Z0-9\\.\\-\\+\\s]{1,20}\\))?){0,2}$";
static const char RE_LOCALE[] =
  "(^(x(-[A-Za-z0-9]{1,8})+)$)|(^(((en-GB-oed)|(i-ami)|(i-bnn)|(i-default)|(i-enoch"
  "ian)|(i-hak)|(i-klingon)|(i-lux)|(i-mingo)|(i-navajo)|(i-pwn)|(i-tao)|(i-tay)|(i"
  "-tsu)|(sgn-BE-FR)|(sgn-BE-NL)|(sgn-CH-DE))|((art-lojban)|(cel-gaulish)|(no-bok)|"
  "(no-nyn)|(zh-guoyu)|(zh-hakka)|(zh-min)|(zh-min-nan)|(zh-xiang)))$)|(^(([a-zA-Z]"
  "{2,3}(-([A-Za-z]{3}(-[A-Za-z]{3}){0,2}))?)|([a-zA-Z]{5,8}))((-|_)([A-Za-z]{4}))?"
  "((-|_)([A-Za-z]{2}|\\d{3}))?((-|_)([A-Za-z0-9]{5,8}|(\\d[A-Z-a-z0-9]{3})))*((-|_)("
  "(\\d|[A-W]|[Y-Z]|[a-w]|[y-z])(-[A-Za-z0-9]{2,8})+))*((-|_)(x(-[A-Za-z0-9]{1,8})+)"
  ")?$)";
static const char RE_CURRENCY[] =
  "^(?!-? )(?=.*\\d)-?(\\$)?(0|[1-9]\\d*|[1-9]\\d{0,2}(\\,\\d{3})*)?(\\.(\\d{2}))?$";

static int re(const char *p, const char *s, size_t n) { return sq_jsre_test(p, 0, s, n); }
static int re_i(const char *p, const char *s, size_t n) { return sq_jsre_test(p, 1, s, n); }

int sq_v_is_empty(const char *s, size_t n, int ignore_whitespace) {
  return ignore_whitespace ? !sq_v_not_empty(s, n) : n == 0;
}

/* strict: validator.js's isValidDate, the calendar check of a string the pattern took: an
 * ordinal date's day within its year; a year, month and day (the first four digits and what
 * follows them) a date JavaScript's Date gives back (`new Date("YYYY-MM-DD")`: before the
 * year 100 V8's legacy parser reads a two-digit year as 19xx/20xx, so none is) */
static int iso_valid_date(const char *s, size_t n) {
  size_t i = 0, j;
  long year = 0, month = 0, day = 0;
  int k, digits;
  /* ordinal: /^(\d{4})-?(\d{3})([ T]{1}\.*|$)/ */
  if (re("^(\\d{4})-?(\\d{3})([ T]{1}\\.*|$)", s, n)) {
    size_t p = s[4] == '-' ? 5 : 4;
    long od = (s[p] - '0') * 100 + (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
    for (k = 0; k < 4; k++) year = year * 10 + (s[k] - '0');
    return od <= ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 366 : 365);
  }
  /* /(\d{4})-?(\d{0,2})-?(\d*)/: the first run of four digits */
  for (i = 0; i + 4 <= n; i++) {
    for (k = 0; k < 4 && is_digit((unsigned char)s[i + (size_t)k]); k++) {}
    if (k == 4) break;
  }
  if (i + 4 > n) return 1;
  for (k = 0; k < 4; k++) year = year * 10 + (s[i + (size_t)k] - '0');
  j = i + 4;
  if (j < n && s[j] == '-') j++;
  for (digits = 0; digits < 2 && j < n && is_digit((unsigned char)s[j]); digits++, j++) month = month * 10 + (s[j] - '0');
  if (j < n && s[j] == '-') j++;
  for (; j < n && is_digit((unsigned char)s[j]); j++) day = day < 1000 ? day * 10 + (s[j] - '0') : day;
  if (!month || !day) return 1;
  if (year < 100 || month > 12) return 0;
  {
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= mdays[month - 1] + (month == 2 && leap);
  }
}

int sq_v_is_iso8601(const char *s, size_t n, int strict, int strict_separator) {
  if (!re(strict_separator ? RE_ISO8601SS : RE_ISO8601, s, n)) return 0;
  return !strict || iso_valid_date(s, n);
}

int sq_v_is_mac_address(const char *s, size_t n, int eui, int no_separators) {
  if (no_separators) {
    return (eui != 64 && re(RE_MAC48NS, s, n)) || (eui != 48 && re(RE_MAC64NS, s, n));
  }
  return (eui != 64 && (re(RE_MAC48, s, n) || re(RE_MAC48DOTS, s, n))) ||
         (eui != 48 && (re(RE_MAC64, s, n) || re(RE_MAC64DOTS, s, n)));
}

int sq_v_is_semver(const char *s, size_t n) { return re_i(RE_SEMVER, s, n); }

/* str.split(','): the first two parts (any more are not looked at), ( and ) in pairs */
int sq_v_is_lat_long(const char *s, size_t n, int check_dms) {
  size_t c1 = find((bytes)s, 0, n, ','), c2;
  const char *a = s, *b;
  size_t an, bn;
  if (c1 == n) return 0;
  c2 = find((bytes)s, c1 + 1, n, ',');
  an = c1;
  b = s + c1 + 1;
  bn = c2 - c1 - 1;
  {
    int open = an > 0 && a[0] == '(', close = bn > 0 && b[bn - 1] == ')';
    if (open != close) return 0;
  }
  if (check_dms) return re_i(RE_LATDMS, a, an) && re_i(RE_LONGDMS, b, bn);
  return re(RE_LAT, a, an) && re(RE_LONG, b, bn);
}

int sq_v_is_mime_type(const char *s, size_t n) {
  return re_i(RE_MIMESIMPLE, s, n) || re_i(RE_MIMETEXT, s, n) || re_i(RE_MIMEMULTIPART, s, n);
}

static int is_b64url(unsigned char c) { return is_alnum(c) || c == '_' || c == '-'; }

/* three parts split on '.', each isBase64(part, { urlSafe: true }): "" or /^[A-Za-z0-9_-]+$/ */
int sq_v_is_jwt(const char *s, size_t n) {
  size_t i, start = 0;
  int parts = 1;
  for (i = 0; i <= n; i++) {
    if (i < n && s[i] != '.') continue;
    if (i > start && !all_from(s, i, start, is_b64url)) return 0;
    if (i < n) parts++;
    start = i + 1;
  }
  return parts == 3;
}

int sq_v_is_locale(const char *s, size_t n) { return re(RE_LOCALE, s, n); }

/* isCurrency with its default options ($ optional before the digits, "-" allowed, ","
 * thousands, "." and two decimals) */
int sq_v_is_currency(const char *s, size_t n) { return re(RE_CURRENCY, s, n); }

/* ---- more of validator.js's validators (batch two) -------------------------------- */

static const char RE_RGB[] =
  "^rgb\\((([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]),){2}([0-9]|[1-9][0-9]|"
  "1[0-9][0-9]|2[0-4][0-9]|25[0-5])\\)$";
static const char RE_RGBA[] =
  "^rgba\\((([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]),){3}(0?\\.\\d\\d?|1(\\.0)"
  "?|0(\\.0)?)\\)$";
static const char RE_RGBPCT[] =
  "^rgb\\((([0-9]%|[1-9][0-9]%|100%),){2}([0-9]%|[1-9][0-9]%|100%)\\)$";
static const char RE_RGBAPCT[] =
  "^rgba\\((([0-9]%|[1-9][0-9]%|100%),){3}(0?\\.\\d\\d?|1(\\.0)?|0(\\.0)?)\\)$";
static const char RE_HSLCOMMA[] = /* i */
  "^hsla?\\(((\\+|\\-)?([0-9]+(\\.[0-9]+)?(e(\\+|\\-)?[0-9]+)?|\\.[0-9]+(e(\\+|\\-)?[0-9]+)?"
  "))(deg|grad|rad|turn)?(,(\\+|\\-)?([0-9]+(\\.[0-9]+)?(e(\\+|\\-)?[0-9]+)?|\\.[0-9]+(e("
  "\\+|\\-)?[0-9]+)?)%){2}(,((\\+|\\-)?([0-9]+(\\.[0-9]+)?(e(\\+|\\-)?[0-9]+)?|\\.[0-9]+(e("
  "\\+|\\-)?[0-9]+)?)%?))?\\)$";
static const char RE_HSLSPACE[] = /* i */
  "^hsla?\\(((\\+|\\-)?([0-9]+(\\.[0-9]+)?(e(\\+|\\-)?[0-9]+)?|\\.[0-9]+(e(\\+|\\-)?[0-9]+)?"
  "))(deg|grad|rad|turn)?(\\s(\\+|\\-)?([0-9]+(\\.[0-9]+)?(e(\\+|\\-)?[0-9]+)?|\\.[0-9]+(e"
  "(\\+|\\-)?[0-9]+)?)%){2}\\s?(\\/\\s((\\+|\\-)?([0-9]+(\\.[0-9]+)?(e(\\+|\\-)?[0-9]+)?|\\.[0"
  "-9]+(e(\\+|\\-)?[0-9]+)?)%?)\\s?)?\\)$";
static const char RE_TIME_HOUR24_DEFAULT[] =
  "^([01]?[0-9]|2[0-3]):([0-5][0-9])$";
static const char RE_TIME_HOUR24_WITHSECONDS[] =
  "^([01]?[0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])$";
static const char RE_TIME_HOUR24_WITHOPTIONALSECONDS[] =
  "^([01]?[0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$";
static const char RE_TIME_HOUR12_DEFAULT[] =
  "^(0?[1-9]|1[0-2]):([0-5][0-9]) (A|P)M$";
static const char RE_TIME_HOUR12_WITHSECONDS[] =
  "^(0?[1-9]|1[0-2]):([0-5][0-9]):([0-5][0-9]) (A|P)M$";
static const char RE_TIME_HOUR12_WITHOPTIONALSECONDS[] =
  "^(0?[1-9]|1[0-2]):([0-5][0-9])(?::([0-5][0-9]))? (A|P)M$";
static const char RE_RFC3339[] =
  "^[0-9]{4}-(0[1-9]|1[0-2])-([12]\\d|0[1-9]|3[01])[ tT]([01][0-9]|2[0-3]):[0-5][0-9"
  "]:([0-5][0-9]|60)(\\.[0-9]+)?([zZ]|[-+]([01][0-9]|2[0-3]):[0-5][0-9])$";
static const char RE_BASE32[] =
  "^[A-Z2-7]+=*$";
static const char RE_CROCKFORD[] =
  "^[A-HJKMNP-TV-Z0-9]+$";
static const char RE_BASE58[] =
  "^[A-HJ-NP-Za-km-z1-9]*$";
static const char RE_ULID[] = /* i */
  "^[0-7][0-9A-HJKMNP-TV-Z]{25}$";
static const char RE_ETH[] = /* i */
  "^(0x)[0-9a-f]{40}$";
static const char RE_BECH32[] =
  "^(bc1|tb1|bc1p|tb1p)[ac-hj-np-z02-9]{39,58}$";
static const char RE_BTC58[] =
  "^(1|2|3|m)[A-HJ-NP-Za-km-z1-9]{25,39}$";
static const char RE_MULTIBYTE[] =
  "[^\\x00-\\x7F]";
static const char RE_FULLWIDTH[] =
  "[^\\u0020-\\u007E\\uFF61-\\uFF9F\\uFFA0-\\uFFDC\\uFFE8-\\uFFEE0-9a-zA-Z]";
static const char RE_HALFWIDTH[] =
  "[\\u0020-\\u007E\\uFF61-\\uFF9F\\uFFA0-\\uFFDC\\uFFE8-\\uFFEE0-9a-zA-Z]";
static const char RE_MAGNET[] = /* i */
  "(?:^magnet:\\?|[^?&]&)xt(?:\\.1)?=urn:(?:(?:aich|bitprint|btih|ed2k|ed2khash|kzhas"
  "h|md5|sha1|tree:tiger):[a-z0-9]{32}(?:[a-z0-9]{8})?|btmh:1220[a-z0-9]{64})(?:$|&"
  ")";
static const char ISO3166_A2[] =
  "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBE"
  "BFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCD"
  "CFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDM"
  "DODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGF"
  "GGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHU"
  "IDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKN"
  "KPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDME"
  "MFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNA"
  "NCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
  "PNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSI"
  "SJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTK"
  "TLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
  "VNVUWFWSYEYTZAZMZW";
static const char ISO3166_A3[] =
  "ABWAFGAGOAIAALAALBANDAREARGARMASMATAATFATGAUSAUTAZEBDIBELBEN"
  "BESBFABGDBGRBHRBHSBIHBLMBLRBLZBMUBOLBRABRBBRNBTNBVTBWACAFCAN"
  "CCKCHECHLCHNCIVCMRCODCOGCOKCOLCOMCPVCRICUBCUWCXRCYMCYPCZEDEU"
  "DJIDMADNKDOMDZAECUEGYERIESHESPESTETHFINFJIFLKFRAFROFSMGABGBR"
  "GEOGGYGHAGIBGINGLPGMBGNBGNQGRCGRDGRLGTMGUFGUMGUYHKGHMDHNDHRV"
  "HTIHUNIDNIMNINDIOTIRLIRNIRQISLISRITAJAMJEYJORJPNKAZKENKGZKHM"
  "KIRKNAKORKWTLAOLBNLBRLBYLCALIELKALSOLTULUXLVAMACMAFMARMCOMDA"
  "MDGMDVMEXMHLMKDMLIMLTMMRMNEMNGMNPMOZMRTMSRMTQMUSMWIMYSMYTNAM"
  "NCLNERNFKNGANICNIUNLDNORNPLNRUNZLOMNPAKPANPCNPERPHLPLWPNGPOL"
  "PRIPRKPRTPRYPSEPYFQATREUROURUSRWASAUSDNSENSGPSGSSHNSJMSLBSLE"
  "SLVSMRSOMSPMSRBSSDSTPSURSVKSVNSWESWZSXMSYCSYRTCATCDTGOTHATJK"
  "TKLTKMTLSTONTTOTUNTURTUVTWNTZAUGAUKRUMIURYUSAUZBVATVCTVENVGB"
  "VIRVNMVUTWLFWSMYEMZAFZMBZWE";
static const char ISO4217[] =
  "AEDAFNALLAMDANGAOAARSAUDAWGAZNBAMBBDBDTBGNBHDBIFBMDBNDBOBBOV"
  "BRLBSDBTNBWPBYNBZDCADCDFCHECHFCHWCLFCLPCNYCOPCOUCRCCUPCVECZK"
  "DJFDKKDOPDZDEGPERNETBEURFJDFKPGBPGELGHSGIPGMDGNFGTQGYDHKDHNL"
  "HTGHUFIDRILSINRIQDIRRISKJMDJODJPYKESKGSKHRKMFKPWKRWKWDKYDKZT"
  "LAKLBPLKRLRDLSLLYDMADMDLMGAMKDMMKMNTMOPMRUMURMVRMWKMXNMXVMYR"
  "MZNNADNGNNIONOKNPRNZDOMRPABPENPGKPHPPKRPLNPYGQARRONRSDRUBRWF"
  "SARSBDSCRSDGSEKSGDSHPSLESLLSOSSRDSSPSTNSVCSYPSZLTHBTJSTMTTND"
  "TOPTRYTTDTWDTZSUAHUGXUSDUSNUYIUYUUYWUZSVEDVESVNDVUVWSTXAFXAG"
  "XAUXBAXBBXBCXBDXCDXDRXOFXPDXPFXPTXSUXTSXUAXXXYERZARZMWZWL";

/* s with white space (JS \s) dropped (collapse = 0) or each run of it made one space
 * (collapse = 1), into `out` (stack, or malloc'd when longer: *heap set); NULL without memory */
static char *strip_space(const char *s, size_t n, int collapse, char *stack, size_t stackn, size_t *outn, int *heap) {
  char *out = n <= stackn ? stack : malloc(n ? n : 1);
  size_t i = 0, m = 0;
  *heap = out && out != stack;
  if (!out) return NULL;
  while (i < n) {
    size_t st = i;
    uint32_t c = dec((bytes)s, n, &i);
    if (is_js_space(c)) {
      if (collapse) out[m++] = ' ';
      while (i < n) { /* (the rest of the run) */
        size_t j = i;
        if (!is_js_space(dec((bytes)s, n, &j))) break;
        i = j;
      }
      continue;
    }
    memcpy(out + m, s + st, i - st);
    m += i - st;
  }
  *outn = m;
  return out;
}

int sq_v_is_rgb_color(const char *s, size_t n, int include_percent, int allow_spaces) {
  char stack[256], *p = (char *)s;
  size_t pn = n;
  int heap = 0, ok;
  if (allow_spaces) {
    if (!(n >= 3 && !memcmp(s, "rgb", 3))) return 0;
    p = strip_space(s, n, 0, stack, sizeof stack, &pn, &heap);
    if (!p) return -1;
  }
  ok = re(RE_RGB, p, pn) || re(RE_RGBA, p, pn) ||
       (include_percent && (re(RE_RGBPCT, p, pn) || re(RE_RGBAPCT, p, pn)));
  if (heap) free(p);
  return ok;
}

/* str.replace(/\s+/g, ' ').replace(/\s?(hsla?\(|\)|,)\s?/ig, '$1'), then hslComma when a
 * ',' is left, hslSpace otherwise */
int sq_v_is_hsl(const char *s, size_t n) {
  char stack[256], *p;
  size_t pn, i, m = 0;
  int heap, ok;
  p = strip_space(s, n, 1, stack, sizeof stack, &pn, &heap);
  if (!p) return -1;
  /* (a space next to a token goes: the regex's matches, left to right, take those) */
  for (i = 0; i < pn; i++) {
    if (p[i] == ' ') {
      size_t j = i + 1;
      int before = m > 0 && (p[m - 1] == ',' || p[m - 1] == ')' || p[m - 1] == '(');
      int after = j < pn && (p[j] == ',' || p[j] == ')' ||
                             (pn - j >= 4 && (p[j] | 0x20) == 'h' && (p[j + 1] | 0x20) == 's' &&
                              (p[j + 2] | 0x20) == 'l' &&
                              (p[j + 3] == '(' || (pn - j >= 5 && (p[j + 3] | 0x20) == 'a' && p[j + 4] == '('))));
      /* "(" only ends the token "hsl(" / "hsla(" */
      if (before && p[m - 1] == '(') {
        before = (m >= 4 && (p[m - 4] | 0x20) == 'h' && (p[m - 3] | 0x20) == 's' && (p[m - 2] | 0x20) == 'l') ||
                 (m >= 5 && (p[m - 5] | 0x20) == 'h' && (p[m - 4] | 0x20) == 's' && (p[m - 3] | 0x20) == 'l' &&
                  (p[m - 2] | 0x20) == 'a');
      }
      if (before || after) continue;
    }
    p[m++] = p[i];
  }
  ok = memchr(p, ',', m) ? re_i(RE_HSLCOMMA, p, m) : re_i(RE_HSLSPACE, p, m);
  if (heap) free(p);
  return ok;
}

int sq_v_is_time(const char *s, size_t n, int hour12, int mode) {
  static const char *const pats[2][3] = {
    {RE_TIME_HOUR24_DEFAULT, RE_TIME_HOUR24_WITHSECONDS, RE_TIME_HOUR24_WITHOPTIONALSECONDS},
    {RE_TIME_HOUR12_DEFAULT, RE_TIME_HOUR12_WITHSECONDS, RE_TIME_HOUR12_WITHOPTIONALSECONDS}};
  if (mode < 0 || mode > 2) mode = 0;
  return re(pats[hour12 ? 1 : 0][mode], s, n);
}

int sq_v_is_rfc3339(const char *s, size_t n) { return re(RE_RFC3339, s, n); }

int sq_v_is_base32(const char *s, size_t n, int crockford) {
  if (crockford) return re(RE_CROCKFORD, s, n);
  return u16len((bytes)s, n) % 8 == 0 && re(RE_BASE32, s, n);
}

int sq_v_is_base58(const char *s, size_t n) { return re(RE_BASE58, s, n); }
int sq_v_is_ulid(const char *s, size_t n) { return re_i(RE_ULID, s, n); }
int sq_v_is_ethereum_address(const char *s, size_t n) { return re_i(RE_ETH, s, n); }
int sq_v_is_btc_address(const char *s, size_t n) { return re(RE_BECH32, s, n) || re(RE_BTC58, s, n); }
int sq_v_is_multibyte(const char *s, size_t n) { return re(RE_MULTIBYTE, s, n); }
int sq_v_is_full_width(const char *s, size_t n) { return re(RE_FULLWIDTH, s, n); }
int sq_v_is_half_width(const char *s, size_t n) { return re(RE_HALFWIDTH, s, n); }
int sq_v_is_variable_width(const char *s, size_t n) { return re(RE_FULLWIDTH, s, n) && re(RE_HALFWIDTH, s, n); }

int sq_v_is_magnet_uri(const char *s, size_t n) {
  return n >= 8 && !memcmp(s, "magnet:?", 8) && re_i(RE_MAGNET, s, n);
}

/* /^[a-fA-F0-9]{len}$/ */
int sq_v_is_hash(const char *s, size_t n, int len) { return len > 0 && n == (size_t)len && all_from(s, n, 0, is_hexd); }

int sq_v_is_fqdn(const char *s, size_t n) { return fqdn((bytes)s, n); }

/* validator.js's analyzePassword: the string's length in UTF-16 units and its characters
 * counted by class (A-Z, a-z, 0-9, its symbols: -#!$@£%^&*()_+|~=`{}[]:";'<>?,./\ and space) */
int sq_v_is_strong_password(const char *s, size_t n, const double min[5]) {
  size_t i = 0;
  double nupper = 0, nlower = 0, num = 0, sym = 0;
  while (i < n) {
    uint32_t c = dec((bytes)s, n, &i);
    if (c >= 'A' && c <= 'Z') nupper++;
    else if (c >= 'a' && c <= 'z') nlower++;
    else if (c >= '0' && c <= '9') num++;
    else if (c == 0xA3 || (c < 0x80 && c && strchr("-#!$@%^&*()_+|~=`{}[]:\";'<>?,./\\ ", (int)c))) sym++;
  }
  return (double)u16len((bytes)s, n) >= min[0] && nlower >= min[1] && nupper >= min[2] && num >= min[3] && sym >= min[4];
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* validator.js's isStrongPassword with returnScore: its score, pts = pointsPerUnique,
 * pointsPerRepeat, pointsForContainingLower, Upper, Number, Symbol: the distinct characters
 * (code points) times the first, the rest of the length (UTF-16 units, as JavaScript counts
 * it) times the second, plus each class's points when the password has one. 0, -1 out of
 * memory. */
int sq_v_strong_password_score(const char *s, size_t n, const double pts[6], double *out) {
  size_t i = 0, k = 0, uniq = 0, j;
  int lower = 0, upper = 0, num = 0, sym = 0;
  uint32_t *cps = malloc((n ? n : 1) * sizeof *cps);
  double score;
  if (!cps) return -1;
  while (i < n) {
    uint32_t c = dec((bytes)s, n, &i);
    cps[k++] = c;
    if (c >= 'A' && c <= 'Z') upper = 1;
    else if (c >= 'a' && c <= 'z') lower = 1;
    else if (c >= '0' && c <= '9') num = 1;
    else if (c == 0xA3 || (c < 0x80 && c && strchr("-#!$@%^&*()_+|~=`{}[]:\";'<>?,./\\ ", (int)c))) sym = 1;
  }
  qsort(cps, k, sizeof *cps, cmp_u32);
  for (j = 0; j < k; j++)
    if (j == 0 || cps[j] != cps[j - 1]) uniq++;
  free(cps);
  score = (double)uniq * pts[0] + ((double)u16len((bytes)s, n) - (double)uniq) * pts[1];
  if (lower) score += pts[2];
  if (upper) score += pts[3];
  if (num) score += pts[4];
  if (sym) score += pts[5];
  *out = score;
  return 0;
}

/* encodeURI(str)'s length in escapes: the UTF-8 bytes (no max: HUGE_VAL) */
int sq_v_is_byte_length(const char *s, size_t n, double min, double max) {
  double len = (double)u8len((bytes)s, n);
  return len >= min && len <= max;
}

/* /^(\d{8}|\d{13}|\d{14})$/ and the GS1 check digit */
int sq_v_is_ean(const char *s, size_t n) {
  size_t i;
  int sum = 0, check;
  if (!((n == 8 || n == 13 || n == 14) && all_from(s, n, 0, is_digit_byte))) return 0;
  for (i = 0; i + 1 < n; i++) {
    int w = (n == 8 || n == 14) ? (i % 2 == 0 ? 3 : 1) : (i % 2 == 0 ? 1 : 3);
    sum += (s[i] - '0') * w;
  }
  check = 10 - sum % 10;
  return (check < 10 ? check : 0) == s[n - 1] - '0';
}

/* /^\d{4}-?\d{3}[\dX]$/i (require_hyphen: the "-" needed; case_sensitive: "X" only) and the
 * mod-11 check */
int sq_v_is_issn(const char *s, size_t n, int require_hyphen, int case_sensitive) {
  char d[8];
  size_t i, m = 0;
  int sum = 0;
  if (n != 8 && n != 9) return 0;
  if (n == 9 && s[4] != '-') return 0;
  if (n == 8 && require_hyphen) return 0;
  for (i = 0; i < n; i++) {
    if (n == 9 && i == 4) continue;
    d[m++] = s[i];
  }
  for (i = 0; i < 8; i++) {
    unsigned char c = (unsigned char)d[i];
    if (i == 7 && (c == 'X' || (c == 'x' && !case_sensitive))) { sum += 10 * 1; continue; }
    if (!is_digit(c)) return 0;
    sum += (c - '0') * (int)(8 - i);
  }
  return sum % 11 == 0;
}

/* str.toUpperCase() in validator.js's list: ASCII letters, and the few other characters
 * whose upper case is ASCII letters (ß SS, ı I, ſ S, the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) */
static int upper_in(const char *s, size_t n, const char *list, size_t width, char *const *more, int nmore) {
  char up[8];
  size_t i = 0, m = 0, k;
  while (i < n) {
    uint32_t c = dec((bytes)s, n, &i);
    const char *u = NULL;
    char one[2] = {0, 0};
    if (c < 0x80 && is_alpha(c)) { one[0] = (char)upper(c); u = one; }
    else if (c == 0xDF) u = "SS";
    else if (c == 0x131) u = "I";
    else if (c == 0x17F) u = "S";
    else if (c == 0xFB00) u = "FF";
    else if (c == 0xFB01) u = "FI";
    else if (c == 0xFB02) u = "FL";
    else if (c == 0xFB03) u = "FFI";
    else if (c == 0xFB04) u = "FFL";
    else if (c == 0xFB05 || c == 0xFB06) u = "ST";
    else return 0;
    if (m + strlen(u) > width) return 0;
    memcpy(up + m, u, strlen(u));
    m += strlen(u);
  }
  if (m != width) return 0;
  for (k = 0; k < (size_t)nmore; k++)
    if (strlen(more[k]) == width && !memcmp(more[k], up, width)) return 1;
  for (k = 0; list[k]; k += width)
    if (!memcmp(list + k, up, width)) return 1;
  return 0;
}

int sq_v_is_iso31661_alpha2(const char *s, size_t n, char *const *more, int nmore) {
  return upper_in(s, n, ISO3166_A2, 2, more, nmore);
}
int sq_v_is_iso31661_alpha3(const char *s, size_t n, char *const *more, int nmore) {
  return upper_in(s, n, ISO3166_A3, 3, more, nmore);
}
int sq_v_is_iso4217(const char *s, size_t n) { return upper_in(s, n, ISO4217, 3, NULL, 0); }
