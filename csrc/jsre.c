/* jsre.c: RegExp#test for validator.js's patterns (see jsre.h).
 *
 * The pattern is parsed into a node array on the stack: a GROUP holds a chain of ALT nodes,
 * each the head of a sequence of atoms linked by `next`. Matching is backtracking with
 * explicit continuations (a chain of K frames on the C stack), as a JavaScript engine's
 * leftmost-first search does; only whether some match exists is asked, so the order of
 * alternatives matters only for speed.
 */
#include "jsre.h"

#include <stdint.h>
#include <string.h>

#include "value.h"

#define MAX_NODES 1024
#define MAX_CAPS 100
#define MAX_STEPS 2000000L
#define MAX_DEPTH 4000

enum { N_CHAR, N_ANY, N_CLASS, N_ESC, N_GROUP, N_ALT, N_BREF, N_BOL, N_EOL, N_WB, N_NWB };

typedef struct {
  unsigned char op;
  unsigned char neg;  /* N_CLASS [^...]; N_GROUP negative lookahead */
  unsigned char look; /* N_GROUP: a lookahead */
  int min, max;       /* quantifier (max -1: no limit) */
  uint32_t c;         /* N_CHAR: the character; N_ESC: d w s D W S; N_BREF: the group */
  int from, to;       /* N_CLASS: the class's text in the pattern, between the brackets */
  int cap;            /* N_GROUP: capture number, 0 for none */
  int body;           /* N_GROUP: its first N_ALT; N_ALT: its first atom (-1 empty) */
  int next;           /* the next atom of the sequence, or the next N_ALT (-1 none) */
} node;

typedef struct {
  const char *p;
  size_t pn, pi;
  node nodes[MAX_NODES];
  int nn, ncaps, bad;
  const unsigned char *s;
  size_t n;
  int icase;
  long steps;
  int depth;
  size_t cs[MAX_CAPS], ce[MAX_CAPS];
  unsigned char set[MAX_CAPS];
} re;

/* ---- parsing ---------------------------------------------------------------------- */

static int new_node(re *r, int op) {
  node *x;
  if (r->nn >= MAX_NODES) { r->bad = 1; return 0; }
  x = &r->nodes[r->nn];
  memset(x, 0, sizeof *x);
  x->op = (unsigned char)op;
  x->min = x->max = 1;
  x->body = x->next = -1;
  return r->nn++;
}

static int peek(re *r) { return r->pi < r->pn ? (unsigned char)r->p[r->pi] : -1; }

static int hexv(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

/* an escaped character after '\' at p[*i] (\n, \t, \uXXXX, \xXX, or the character itself) */
static uint32_t esc_char(const char *p, size_t pn, size_t *i) {
  int c = (unsigned char)p[(*i)++];
  if (c == 'n') return '\n';
  if (c == 't') return '\t';
  if (c == 'r') return '\r';
  if (c == 'f') return '\f';
  if (c == 'v') return '\v';
  if (c == '0') return 0;
  if ((c == 'u' && *i + 4 <= pn) || (c == 'x' && *i + 2 <= pn)) {
    int k, len = c == 'u' ? 4 : 2;
    uint32_t v = 0;
    for (k = 0; k < len; k++) {
      int h = hexv((unsigned char)p[*i + (size_t)k]);
      if (h < 0) return (uint32_t)c;
      v = v * 16 + (uint32_t)h;
    }
    *i += (size_t)len;
    return v;
  }
  return (uint32_t)c;
}

static int parse_alts(re *r, int cap);

static int parse_int(re *r, int *v) {
  int any = 0;
  *v = 0;
  while (peek(r) >= '0' && peek(r) <= '9') {
    if (*v < 100000) *v = *v * 10 + (r->p[r->pi] - '0');
    r->pi++;
    any = 1;
  }
  return any;
}

static int parse_atom(re *r) {
  int c = peek(r), x;
  r->pi++;
  switch (c) {
    case '.': return new_node(r, N_ANY);
    case '^': return new_node(r, N_BOL);
    case '$': return new_node(r, N_EOL);
    case '(': {
      int look = 0, neg = 0, cap = 0, g;
      if (peek(r) == '?') {
        r->pi++;
        c = peek(r);
        r->pi++;
        if (c == '=') look = 1;
        else if (c == '!') look = neg = 1;
        else if (c != ':') { r->bad = 1; return 0; }
      } else {
        cap = ++r->ncaps;
        if (cap >= MAX_CAPS) { r->bad = 1; return 0; }
      }
      g = parse_alts(r, cap);
      if (peek(r) != ')') { r->bad = 1; return 0; }
      r->pi++;
      r->nodes[g].look = (unsigned char)look;
      r->nodes[g].neg = (unsigned char)neg;
      return g;
    }
    case '[': {
      x = new_node(r, N_CLASS);
      if (peek(r) == '^') { r->nodes[x].neg = 1; r->pi++; }
      r->nodes[x].from = (int)r->pi;
      while (r->pi < r->pn && r->p[r->pi] != ']') r->pi += r->p[r->pi] == '\\' ? 2 : 1;
      if (r->pi >= r->pn) { r->bad = 1; return 0; }
      r->nodes[x].to = (int)r->pi++;
      return x;
    }
    case '\\': {
      if (r->pi >= r->pn) { r->bad = 1; return 0; }
      c = peek(r);
      if (c >= '1' && c <= '9') {
        int v;
        parse_int(r, &v);
        x = new_node(r, N_BREF);
        r->nodes[x].c = (uint32_t)v;
        return x;
      }
      if (strchr("dwsDWS", c)) {
        r->pi++;
        x = new_node(r, N_ESC);
        r->nodes[x].c = (uint32_t)c;
        return x;
      }
      if (c == 'b' || c == 'B') {
        r->pi++;
        return new_node(r, c == 'b' ? N_WB : N_NWB);
      }
      x = new_node(r, N_CHAR);
      r->nodes[x].c = esc_char(r->p, r->pn, &r->pi);
      return x;
    }
    case '*': case '+': case '?': case '{': case ')': case '|': case -1:
      r->bad = 1;
      return 0;
    default: {
      size_t i = r->pi - 1;
      x = new_node(r, N_CHAR);
      r->nodes[x].c = sq_utf8_decode((const unsigned char *)r->p, r->pn, &i);
      r->pi = i;
      return x;
    }
  }
}

static void parse_quant(re *r, int x) {
  int c = peek(r), lo = 1, hi = 1;
  if (c == '?') { lo = 0; hi = 1; }
  else if (c == '*') { lo = 0; hi = -1; }
  else if (c == '+') { lo = 1; hi = -1; }
  else if (c == '{') {
    size_t save = r->pi;
    r->pi++;
    if (!parse_int(r, &lo)) { r->pi = save; return; } /* a literal '{' (not in these patterns) */
    hi = lo;
    if (peek(r) == ',') {
      r->pi++;
      if (!parse_int(r, &hi)) hi = -1;
    }
    if (peek(r) != '}') { r->bad = 1; return; }
  } else {
    return;
  }
  r->pi++;
  if (peek(r) == '?') { r->bad = 1; return; } /* lazy quantifiers: none in these patterns */
  if (r->nodes[x].op == N_BOL || r->nodes[x].op == N_EOL || r->nodes[x].op == N_WB ||
      r->nodes[x].op == N_NWB || r->nodes[x].op == N_BREF) { r->bad = 1; return; }
  r->nodes[x].min = lo;
  r->nodes[x].max = hi;
}

/* a group of alternatives up to ')' or the end; returns the N_GROUP node */
static int parse_alts(re *r, int cap) {
  int g = new_node(r, N_GROUP), prev_alt = -1;
  if (r->bad) return 0;
  r->nodes[g].cap = cap;
  for (;;) {
    int alt = new_node(r, N_ALT), prev = -1;
    if (r->bad) return 0;
    if (prev_alt < 0) r->nodes[g].body = alt;
    else r->nodes[prev_alt].next = alt;
    prev_alt = alt;
    while (!r->bad && peek(r) != -1 && peek(r) != '|' && peek(r) != ')') {
      int x = parse_atom(r);
      if (r->bad) return 0;
      parse_quant(r, x);
      if (prev < 0) r->nodes[alt].body = x;
      else r->nodes[prev].next = x;
      prev = x;
    }
    if (r->bad || peek(r) != '|') break;
    r->pi++;
  }
  return g;
}

/* ---- matching --------------------------------------------------------------------- */

static int is_word(uint32_t c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}

static int is_space(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static int esc_has(uint32_t e, uint32_t c) {
  switch (e) {
    case 'd': return c >= '0' && c <= '9';
    case 'D': return !(c >= '0' && c <= '9');
    case 'w': return is_word(c);
    case 'W': return !is_word(c);
    case 's': return is_space(c);
    default: return !is_space(c); /* S */
  }
}

static uint32_t lower(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static uint32_t upper(uint32_t c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

static int class_has1(const re *r, const node *x, uint32_t c) {
  size_t i = (size_t)x->from, to = (size_t)x->to;
  while (i < to) {
    uint32_t a, b;
    if (r->p[i] == '\\' && i + 1 < to && strchr("dwsDWS", r->p[i + 1])) {
      if (esc_has((unsigned char)r->p[i + 1], c)) return 1;
      i += 2;
      continue;
    }
    if (r->p[i] == '\\') { i++; a = esc_char(r->p, to, &i); }
    else a = sq_utf8_decode((const unsigned char *)r->p, to, &i);
    b = a;
    if (i + 1 < to && r->p[i] == '-') {
      i++;
      if (r->p[i] == '\\') { i++; b = esc_char(r->p, to, &i); }
      else b = sq_utf8_decode((const unsigned char *)r->p, to, &i);
    }
    if (c >= a && c <= b) return 1;
  }
  return 0;
}

static int class_has(const re *r, const node *x, uint32_t c) {
  int in = class_has1(r, x, c) || (r->icase && (class_has1(r, x, lower(c)) || class_has1(r, x, upper(c))));
  return x->neg ? !in : in;
}

/* does the one-character atom x match at i? then *j is past the character */
static int atom_at(const re *r, const node *x, size_t i, size_t *j) {
  uint32_t c;
  if (i >= r->n) return 0;
  *j = i;
  c = sq_utf8_decode(r->s, r->n, j);
  switch (x->op) {
    case N_CHAR: return c == x->c || (r->icase && lower(c) == lower(x->c));
    case N_ANY: return c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029;
    case N_ESC: return esc_has(x->c, c);
    default: return class_has(r, x, c);
  }
}

/* The start of the character that ends at j (> i, i a character's start): the byte before the
 * continuation bytes in front of j, when decoding from it ends at j (a byte that is no
 * continuation byte always starts a character: the decoder takes only continuation bytes after
 * the first); (size_t)-1 when that is not so (ill-formed UTF-8: the caller reads again from i) */
static size_t prev_char(const re *r, size_t i, size_t j) {
  size_t p = j - 1, e;
  while (p > i && j - p < 4 && (r->s[p] & 0xC0) == 0x80) p--;
  if ((r->s[p] & 0xC0) == 0x80 && !(p == i && j - p == 1)) return (size_t)-1;
  e = p;
  sq_utf8_decode(r->s, r->n, &e);
  return e == j ? p : (size_t)-1;
}

typedef struct K {
  int kind; /* 0: accept; 1: end of an iteration of group `g` */
  int g, count;
  size_t start;
  const struct K *up;
} K;

static int m(re *r, int x, size_t i, const K *k);

static int cont(re *r, size_t i, const K *k);

/* group g, having matched `count` iterations, at i */
static int rep(re *r, int g, int count, size_t i, const K *k) {
  const node *x = &r->nodes[g];
  if (x->max < 0 || count < x->max) {
    K f;
    int alt;
    f.kind = 1;
    f.g = g;
    f.count = count;
    f.start = i;
    f.up = k;
    for (alt = x->body; alt >= 0; alt = r->nodes[alt].next)
      if (m(r, r->nodes[alt].body, i, &f)) return 1;
  }
  if (count >= x->min) return m(r, x->next, i, k);
  return 0;
}

static int cont(re *r, size_t i, const K *k) {
  const node *x;
  size_t os, oe;
  unsigned char oset;
  if (!k || k->kind == 0) return 1;
  x = &r->nodes[k->g];
  /* (an iteration past the minimum that matched nothing ends the loop, as in JavaScript) */
  if (i == k->start && k->count + 1 > x->min) return 0;
  if (!x->cap) return rep(r, k->g, k->count + 1, i, k->up);
  os = r->cs[x->cap], oe = r->ce[x->cap], oset = r->set[x->cap];
  r->cs[x->cap] = k->start;
  r->ce[x->cap] = i;
  r->set[x->cap] = 1;
  if (rep(r, k->g, k->count + 1, i, k->up)) return 1;
  r->cs[x->cap] = os, r->ce[x->cap] = oe, r->set[x->cap] = oset;
  return 0;
}

/* does lookahead group x match at i? (its captures are dropped after: none of these
 * patterns reads one) */
static __attribute__((noinline)) int look(re *r, const node *x, size_t i) {
  K acc;
  int alt, found = 0;
  size_t cs[MAX_CAPS], ce[MAX_CAPS];
  unsigned char set[MAX_CAPS];
  memcpy(cs, r->cs, sizeof cs), memcpy(ce, r->ce, sizeof ce), memcpy(set, r->set, sizeof set);
  acc.kind = 0;
  acc.g = acc.count = 0;
  acc.start = i;
  acc.up = NULL;
  for (alt = x->body; alt >= 0 && !found; alt = r->nodes[alt].next) found = m(r, r->nodes[alt].body, i, &acc);
  memcpy(r->cs, cs, sizeof cs), memcpy(r->ce, ce, sizeof ce), memcpy(r->set, set, sizeof set);
  return found;
}

static int m(re *r, int xi, size_t i, const K *k) {
  const node *x;
  int ok;
  if (xi < 0) return cont(r, i, k);
  if (++r->steps > MAX_STEPS || r->depth > MAX_DEPTH) return 0;
  x = &r->nodes[xi];
  r->depth++;
  switch (x->op) {
    case N_BOL: ok = i == 0 && m(r, x->next, i, k); break;
    case N_EOL: ok = i == r->n && m(r, x->next, i, k); break;
    case N_WB:
    case N_NWB: {
      int a = i > 0 && is_word(r->s[i - 1]), b = i < r->n && is_word(r->s[i]);
      ok = ((a != b) == (x->op == N_WB)) && m(r, x->next, i, k);
      break;
    }
    case N_BREF: {
      size_t len = 0, t;
      int g = (int)x->c;
      ok = 1;
      if (g < MAX_CAPS && r->set[g]) {
        len = r->ce[g] - r->cs[g];
        if (i + len > r->n) ok = 0;
        for (t = 0; ok && t < len; t++) {
          uint32_t a = r->s[r->cs[g] + t], b = r->s[i + t];
          ok = a == b || (r->icase && lower(a) == lower(b));
        }
      }
      ok = ok && m(r, x->next, i + len, k);
      break;
    }
    case N_GROUP:
      if (x->look) {
        ok = (look(r, x, i) != x->neg) && m(r, x->next, i, k);
      } else {
        ok = rep(r, xi, 0, i, k);
      }
      break;
    default: {
      /* one character, repeated: as many as can be (greedy), then fewer */
      size_t j = i, nxt;
      int count = 0, narrow = 1;
      while ((x->max < 0 || count < x->max) && atom_at(r, x, j, &nxt)) {
        if (nxt != j + 1) narrow = 0;
        j = nxt;
        count++;
      }
      ok = 0;
      if (count < x->min) break;
      if (narrow) { /* every character one byte: step back by bytes */
        for (;; count--) {
          if (m(r, x->next, i + (size_t)count, k)) { ok = 1; break; }
          if (count == x->min) break;
        }
      } else { /* step back a character at a time (prev_char), or by re-reading from i */
        for (; !ok && count >= x->min; count--) {
          ok = m(r, x->next, j, k);
          if (ok || count == 0) break;
          if ((nxt = prev_char(r, i, j)) != (size_t)-1) {
            j = nxt;
          } else { /* (ill-formed UTF-8: each character read again counts as a step) */
            int c2;
            if ((r->steps += count) > MAX_STEPS) break;
            j = i;
            for (c2 = 0; c2 < count - 1; c2++) atom_at(r, x, j, &j);
          }
        }
      }
      break;
    }
  }
  r->depth--;
  return ok;
}

int sq_jsre_test(const char *pattern, int icase, const char *s, size_t n) {
  re r;
  int root, first, anchored;
  size_t start = 0;
  r.p = pattern;
  r.pn = strlen(pattern);
  r.pi = 0;
  r.nn = r.ncaps = r.bad = 0;
  root = parse_alts(&r, 0);
  if (r.bad || r.pi != r.pn) return 0;
  r.s = (const unsigned char *)s;
  r.n = n;
  r.icase = icase;
  r.steps = 0;
  r.depth = 0;
  memset(r.set, 0, sizeof r.set);
  /* (one alternative starting with ^: only a match from the start) */
  first = r.nodes[root].body;
  anchored = r.nodes[first].next < 0 && r.nodes[first].body >= 0 && r.nodes[r.nodes[first].body].op == N_BOL;
  for (;;) {
    if (rep(&r, root, 0, start, NULL)) return 1;
    if (anchored || start >= n || r.steps > MAX_STEPS || r.depth > MAX_DEPTH) return 0;
    sq_utf8_decode(r.s, n, &start);
  }
}
