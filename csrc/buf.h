/* buf.h: a growable byte buffer (cf. lua-cjson's strbuf).
 *
 * Owns: nothing but its bytes. Used by the SQL builder, the JSON encoder and the
 * dialect. Allocation failure is sticky: every append after a failed grow is a no-op
 * and `oom` stays set, so a caller checks once at the end instead of after each call.
 */
#ifndef SQ_BUF_H
#define SQ_BUF_H

#include <stddef.h>

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
void sq_buf_add(sq_buf *b, const char *s, size_t n);
void sq_buf_adds(sq_buf *b, const char *s);
void sq_buf_addc(sq_buf *b, char c);
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
