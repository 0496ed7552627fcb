/* arena.c: a bump allocator for the short-lived structures of one query (where
 * trees, select specs, converted values). Everything is released at once. */
#include "sq.h"

#include <stdlib.h>
#include <string.h>

#define SQ_ARENA_BLOCK 8192

void sq_arena_init(sq_arena *a, void *inline_mem, size_t inline_cap) {
  a->head = NULL;
  a->inline_p = inline_mem;
  a->inline_used = 0;
  a->inline_cap = inline_mem ? inline_cap : 0;
  a->spare = NULL;
}

void *sq_arena_alloc(sq_arena *a, size_t n) {
  void *p;
  sq_arena_block *b;
  n = (n + 15) & ~(size_t)15;
  if (n == 0) n = 16;
  if (a->inline_cap - a->inline_used >= n) {
    p = a->inline_p + a->inline_used;
    a->inline_used += n;
    memset(p, 0, n);
    return p;
  }
  b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > SQ_ARENA_BLOCK ? n : SQ_ARENA_BLOCK;
    size_t hdr = (sizeof(sq_arena_block) + 15) & ~(size_t)15;
    if (a->spare && cap == SQ_ARENA_BLOCK) { /* the block the last use freed: no malloc */
      b = a->spare;
      a->spare = NULL;
    } else {
      b = malloc(hdr + cap);
      if (!b) return NULL;
    }
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  p = (unsigned char *)b + ((sizeof(sq_arena_block) + 15) & ~(size_t)15) + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *sq_arena_strndup(sq_arena *a, const char *s, size_t n) {
  char *p = sq_arena_alloc(a, n + 1);
  if (!p) return NULL;
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

/* Everything allocated goes at once; one block of the standard size is kept as the spare,
 * so that a query that needs a little more than the inline part mallocs nothing (a
 * malloc of that size also makes glibc consolidate its fast bins, which Lua fills). */
void sq_arena_free(sq_arena *a) {
  sq_arena_block *b = a->head, *nx;
  while (b) {
    nx = b->next;
    if (!a->spare && b->cap == SQ_ARENA_BLOCK) {
      a->spare = b;
    } else {
      free(b);
    }
    b = nx;
  }
  a->head = NULL;
  a->inline_used = 0;
}

void sq_arena_destroy(sq_arena *a) {
  sq_arena_free(a);
  free(a->spare);
  a->spare = NULL;
}
