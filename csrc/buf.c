/* buf.c: the growable byte buffer declared in buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sq_buf_init(sq_buf *b) {
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

void sq_buf_free(sq_buf *b) {
  free(b->p);
  sq_buf_init(b);
}

int sq_buf_reserve(sq_buf *b, size_t extra) {
  size_t need, cap;
  char *p;
  if (b->oom) return -1;
  if (extra > ((size_t)-1) / 2 - b->len) goto fail;
  need = b->len + extra + 1;
  if (need <= b->cap) return 0;
  cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  p = realloc(b->p, cap);
  if (!p) goto fail;
  b->p = p;
  b->cap = cap;
  return 0;
fail:
  /* (the inline appends see no room from here on: cap is what they test) */
  b->oom = 1;
  if (b->cap > b->len) b->cap = b->len;
  return -1;
}

void sq_buf_add_slow(sq_buf *b, const char *s, size_t n) {
  if (n == 0 || sq_buf_reserve(b, n)) return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void sq_buf_addc_slow(sq_buf *b, char c) {
  if (sq_buf_reserve(b, 1)) return;
  b->p[b->len++] = c;
  b->p[b->len] = '\0';
}

void sq_buf_addf(sq_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  char small[128];
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) { b->oom = 1; return; }
  if ((size_t)n < sizeof small) { sq_buf_add(b, small, (size_t)n); return; }
  if (sq_buf_reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void sq_buf_addint(sq_buf *b, long long v) {
  char tmp[24];
  char *e = tmp + sizeof tmp, *q = e;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do { *--q = (char)('0' + u % 10); u /= 10; } while (u);
  if (v < 0) *--q = '-';
  sq_buf_add(b, q, (size_t)(e - q));
}

void sq_buf_truncate(sq_buf *b, size_t len) {
  if (len < b->len) {
    b->len = len;
    b->p[len] = '\0';
  }
}

const char *sq_buf_cstr(sq_buf *b) {
  if (!b->p) return "";
  return b->p;
}
