/* buf.h: a growable byte buffer (cf. lua-cjson's strbuf).
 *
 * Owns: nothing but its bytes. Used by the SQL builder, the JSON encoder and the
 * dialect. Allocation failure is sticky: every append after a failed grow is a no-op
 * (until a truncate: the bytes it gives back take appends again) and `oom` stays set, so a
 * caller checks once at the end instead of after each call.
 */
#ifndef SQ_BUF_H
#define SQ_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct sq_buf {
  char *p;      /* bytes; always NUL-terminated when len > 0 or after sq_buf_cstr */
  size_t len;   /* bytes used, excluding the terminating NUL */
  size_t cap;   /* bytes allocated */
  int oom;      /* set once an allocation failed */
} sq_buf;

void sq_buf_init(sq_buf *b);
void sq_buf_free(sq_buf *b);
/* Make room for `extra` more bytes (plus a NUL). Returns 0, or -1 on failure. */
int sq_buf_reserve(sq_buf *b, size_t extra);
/* The appends: inline while the bytes fit (the SQL builder and the JSON writer append a few
 * bytes at a time), the grow out of line. */
void sq_buf_add_slow(sq_buf *b, const char *s, size_t n);
void sq_buf_addc_slow(sq_buf *b, char c);
static inline void sq_buf_add(sq_buf *b, const char *s, size_t n) {
  if (n < b->cap - b->len) { /* (room for the bytes and the NUL; cap 0 after a failure) */
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
  } else {
    sq_buf_add_slow(b, s, n);
  }
}
static inline void sq_buf_adds(sq_buf *b, const char *s) { sq_buf_add(b, s, strlen(s)); }
static inline void sq_buf_addc(sq_buf *b, char c) {
  if (b->cap - b->len > 1) {
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
  } else {
    sq_buf_addc_slow(b, c);
  }
}
void sq_buf_addf(sq_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sq_buf_addint(sq_buf *b, long long v);
/* Drop bytes back to `len` (keeps the allocation). */
void sq_buf_truncate(sq_buf *b, size_t len);
/* A NUL-terminated view of the contents ("" for an empty buffer). */
const char *sq_buf_cstr(sq_buf *b);

#endif
