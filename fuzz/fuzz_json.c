/* fuzz_json.c: libFuzzer harness for the JSON parser and writer (csrc/json.c, csrc/buf.c).
 *
 * For each input:
 *  1. Parse it with sq_json_parse, re-emitting every SAX event through an sq_jw writer
 *     (compact and, chosen by the input, pretty). A successful parse must give a complete
 *     document (sq_jw_finish == 0); a failed one must return a negative code and a message.
 *  2. Round trip: the compact output must parse again, and re-encoding it must give the
 *     same bytes (encode . parse is idempotent); the pretty output must parse to the same
 *     compact bytes too.
 *  3. The whole input as one string: sq_jw_string must accept it exactly when an
 *     independent strict UTF-8 check does, and the escaped string must parse back to the
 *     same bytes.
 *  4. The first 8 bytes as a double: sq_json_format_number must give digits that read back
 *     to the same value (shortest round trip), within SQ_JSON_NUMBER_MAX bytes.
 * Any mismatch aborts (a crash for libFuzzer); ASan and UBSan catch memory errors.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../csrc/buf.h"
#include "../csrc/json.h"

#define CHECK(cond, ...)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "fuzz_json: check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                                    \
      fprintf(stderr, "\n");                                           \
      abort();                                                         \
    }                                                                  \
  } while (0)

/* ---- SAX -> writer ------------------------------------------------------- */

typedef struct echo {
  sq_jw w;
  int rc; /* first writer error */
} echo;

static int keep(echo *e, int rc) {
  if (rc && !e->rc) e->rc = rc;
  return 0; /* never abort the parse: writer errors are checked afterwards */
}
static int e_null(void *ud) { echo *e = ud; return keep(e, sq_jw_null(&e->w)); }
static int e_bool(void *ud, int v) { echo *e = ud; return keep(e, sq_jw_bool(&e->w, v)); }
static int e_int(void *ud, long long v) { echo *e = ud; return keep(e, sq_jw_integer(&e->w, v)); }
static int e_num(void *ud, double v) { echo *e = ud; return keep(e, sq_jw_number(&e->w, v)); }
static int e_str(void *ud, const char *s, size_t n) { echo *e = ud; return keep(e, sq_jw_string(&e->w, s, n)); }
static int e_bobj(void *ud) { echo *e = ud; return keep(e, sq_jw_begin_object(&e->w)); }
static int e_key(void *ud, const char *s, size_t n) { echo *e = ud; return keep(e, sq_jw_key(&e->w, s, n)); }
static int e_eobj(void *ud) { echo *e = ud; return keep(e, sq_jw_end_object(&e->w)); }
static int e_barr(void *ud) { echo *e = ud; return keep(e, sq_jw_begin_array(&e->w)); }
static int e_earr(void *ud) { echo *e = ud; return keep(e, sq_jw_end_array(&e->w)); }

/* Parse s[0..n) and write it to out with `indent`. Returns the parse result. */
static int reencode(const char *s, size_t n, sq_buf *out, int indent, sq_buf *scratch) {
  static echo e; /* sq_jw holds a 1001-byte array: keep it off the fuzzer's stack */
  sq_json_sax sax;
  char err[128];
  int rc;
  memset(&sax, 0, sizeof sax);
  sax.ud = &e;
  sax.on_null = e_null;
  sax.on_bool = e_bool;
  sax.on_integer = e_int;
  sax.on_number = e_num;
  sax.on_string = e_str;
  sax.on_begin_object = e_bobj;
  sax.on_key = e_key;
  sax.on_end_object = e_eobj;
  sax.on_begin_array = e_barr;
  sax.on_end_array = e_earr;
  sax.scratch = scratch;
  e.rc = 0;
  sq_jw_init(&e.w, out, indent);
  err[0] = '\0';
  rc = sq_json_parse(s, n, &sax, err, sizeof err);
  if (rc == 0) {
    CHECK(e.rc == 0, "writer error %d (%s) echoing a valid document", e.rc, sq_json_strerror(e.rc));
    CHECK(sq_jw_finish(&e.w) == 0, "writer did not finish a valid document");
  } else {
    CHECK(rc < 0, "parse returned %d", rc);
    CHECK(err[0] != '\0', "parse error %d without a message", rc);
    CHECK(memchr(err, '\0', sizeof err) != NULL, "unterminated error message");
  }
  return rc;
}

/* ---- an independent strict UTF-8 check ------------------------------------ */

static int utf8_ok(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    unsigned long cp;
    size_t k, len;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (i + len > n) return 0;
    for (k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0; /* overlong */
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                          /* surrogate */
    if (cp > 0x10FFFF) return 0;
    i += len;
  }
  return 1;
}

/* collects the single string of a document */
typedef struct one { sq_buf s; int strings, others; } one;
static int o_str(void *ud, const char *s, size_t n) { one *o = ud; o->strings++; sq_buf_add(&o->s, s, n); return 0; }
static int o_other(void *ud) { ((one *)ud)->others++; return 0; }
static int o_bool(void *ud, int v) { (void)v; return o_other(ud); }
static int o_int(void *ud, long long v) { (void)v; return o_other(ud); }
static int o_num(void *ud, double v) { (void)v; return o_other(ud); }

static void string_roundtrip(const uint8_t *data, size_t size) {
  static sq_jw w;
  sq_buf b;
  int rc, valid = utf8_ok(data, size);
  sq_buf_init(&b);
  sq_jw_init(&w, &b, 0);
  rc = sq_jw_string(&w, (const char *)data, size);
  CHECK((rc == 0) == (valid != 0), "sq_jw_string returned %d for %s UTF-8", rc, valid ? "valid" : "invalid");
  if (rc == 0) {
    one o;
    sq_json_sax sax;
    char err[128];
    CHECK(sq_jw_finish(&w) == 0, "finish after one string");
    memset(&o, 0, sizeof o);
    sq_buf_init(&o.s);
    memset(&sax, 0, sizeof sax);
    sax.ud = &o;
    sax.on_string = o_str;
    sax.on_null = o_other;
    sax.on_bool = o_bool;
    sax.on_integer = o_int;
    sax.on_number = o_num;
    rc = sq_json_parse(b.p ? b.p : "", b.len, &sax, err, sizeof err);
    CHECK(rc == 0, "an escaped string does not parse: %s", err);
    CHECK(o.strings == 1 && o.others == 0, "one string expected");
    CHECK(o.s.len == size && (size == 0 || memcmp(o.s.p, data, size) == 0), "string round trip changed the bytes");
    sq_buf_free(&o.s);
  } else {
    CHECK(rc == SQ_JSON_EUTF8, "sq_jw_string failed with %d", rc);
  }
  sq_buf_free(&b);
}

static void number_roundtrip(const uint8_t *data, size_t size) {
  double v;
  char out[SQ_JSON_NUMBER_MAX + 1];
  size_t n;
  if (size < 8) return;
  memcpy(&v, data, 8);
  memset(out, 'Z', sizeof out);
  n = sq_json_format_number(v, out);
  CHECK(n <= SQ_JSON_NUMBER_MAX && out[n] == '\0' && strlen(out) == n, "format_number length %zu", n);
  if (isnan(v)) {
    CHECK(strcmp(out, "NaN") == 0, "NaN -> %s", out);
  } else if (isinf(v)) {
    CHECK(strcmp(out, v > 0 ? "Infinity" : "-Infinity") == 0, "inf -> %s", out);
  } else {
    double back = strtod(out, NULL);
    CHECK(back == v, "%.17g formatted as %s reads back as %.17g", v, out, back);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sq_buf c1, c2, p1, p2, scratch;
  int rc, indent = size ? data[0] % 12 : 0;
  sq_buf_init(&c1);
  sq_buf_init(&c2);
  sq_buf_init(&p1);
  sq_buf_init(&p2);
  sq_buf_init(&scratch);

  rc = reencode((const char *)data, size, &c1, 0, &scratch);
  if (rc == 0) {
    /* compact output parses, and re-encoding is a fixed point */
    CHECK(reencode(c1.p, c1.len, &c2, 0, &scratch) == 0, "compact output does not parse: %.*s", (int)(c1.len > 200 ? 200 : c1.len), c1.p);
    CHECK(c1.len == c2.len && memcmp(c1.p, c2.p, c1.len) == 0, "re-encoding changed the document");
    /* pretty output parses back to the same compact text */
    CHECK(reencode((const char *)data, size, &p1, indent, &scratch) == 0, "second parse failed");
    CHECK(reencode(p1.p, p1.len, &p2, 0, &scratch) == 0, "pretty output (indent %d) does not parse", indent);
    CHECK(p2.len == c1.len && memcmp(p2.p, c1.p, c1.len) == 0, "pretty output reads back differently");
  }
  string_roundtrip(data, size);
  number_roundtrip(data, size);

  sq_buf_free(&c1);
  sq_buf_free(&c2);
  sq_buf_free(&p1);
  sq_buf_free(&p2);
  sq_buf_free(&scratch);
  return 0;
}
