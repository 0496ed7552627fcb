/* inflect.c: the inflection helpers declared in inflect.h.
 *
 * Owns: inflection 1.13.4's uncountable list and rule tables, copied in order with
 * their regexes kept as JS source text, and a small matcher for the regex subset those
 * use: literals, ^, $, (...), (?:...), |, [...] and [^...] (no ranges, escapes or
 * quantifiers), always case-insensitive (the 'gi' flags). With no quantifiers the
 * only backtracking is across alternatives, tried left to right as JS does. Matching
 * is bytewise on UTF-8; this agrees with JS on UTF-16 because every pattern atom is
 * ASCII, so a non-ASCII byte only ever matches a negated class and is copied back intact.
 */
#include "inflect.h"

#include <stdlib.h>
#include <string.h>

/* ---- output ----------------------------------------------------------------- */

typedef struct { char *p; size_t len, cap; int oom; } obuf;

static void ob_add(obuf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 32;
    char *p;
    while (cap < b->len + n + 1) cap *= 2;
    p = realloc(b->p, cap);
    if (!p) { b->oom = 1; return; }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static char *ob_finish(obuf *b) {
  ob_add(b, "", 0); /* allocates for an empty result */
  if (b->oom) { free(b->p); return NULL; }
  return b->p;
}

static char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *r = malloc(n);
  if (r) memcpy(r, s, n);
  return r;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
static int upper(int c) { return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c; }

/* ---- JavaScript's toLowerCase / toUpperCase -------------------------------------- */

/* Case mapping as JS's, for ASCII, Latin-1 Supplement, Latin Extended-A, Greek and
 * Cyrillic (U+0080-U+017F, U+0370-U+04FF); other characters are copied unchanged. The
 * runs map lo..hi (every code point, or every other one from lo: step 2) by adding delta;
 * generated from node 20's String.prototype.toLowerCase / toUpperCase. The mappings to more
 * than one character and Greek final sigma are in case_map. */
typedef struct { unsigned short lo, hi; short delta; unsigned char step; } case_run;

static const case_run to_lower_runs[] = {
  {0x00C0, 0x00D6, 32, 1},  {0x00D8, 0x00DE, 32, 1},  {0x0100, 0x012E, 1, 2},   {0x0132, 0x0136, 1, 2},
  {0x0139, 0x0147, 1, 2},   {0x014A, 0x0176, 1, 2},   {0x0178, 0x0178, -121, 1}, {0x0179, 0x017D, 1, 2},
  {0x0370, 0x0372, 1, 2},   {0x0376, 0x0376, 1, 1},   {0x037F, 0x037F, 116, 1},  {0x0386, 0x0386, 38, 1},
  {0x0388, 0x038A, 37, 1},  {0x038C, 0x038C, 64, 1},  {0x038E, 0x038F, 63, 1},   {0x0391, 0x03A1, 32, 1},
  {0x03A3, 0x03AB, 32, 1},  {0x03CF, 0x03CF, 8, 1},   {0x03D8, 0x03EE, 1, 2},    {0x03F4, 0x03F4, -60, 1},
  {0x03F7, 0x03F7, 1, 1},   {0x03F9, 0x03F9, -7, 1},  {0x03FA, 0x03FA, 1, 1},    {0x03FD, 0x03FF, -130, 1},
  {0x0400, 0x040F, 80, 1},  {0x0410, 0x042F, 32, 1},  {0x0460, 0x0480, 1, 2},    {0x048A, 0x04BE, 1, 2},
  {0x04C0, 0x04C0, 15, 1},  {0x04C1, 0x04CD, 1, 2},   {0x04D0, 0x04FE, 1, 2},
};
static const case_run to_upper_runs[] = {
  {0x00B5, 0x00B5, 743, 1}, {0x00E0, 0x00F6, -32, 1}, {0x00F8, 0x00FE, -32, 1}, {0x00FF, 0x00FF, 121, 1},
  {0x0101, 0x012F, -1, 2},  {0x0131, 0x0131, -232, 1}, {0x0133, 0x0137, -1, 2}, {0x013A, 0x0148, -1, 2},
  {0x014B, 0x0177, -1, 2},  {0x017A, 0x017E, -1, 2},  {0x017F, 0x017F, -300, 1}, {0x0371, 0x0373, -1, 2},
  {0x0377, 0x0377, -1, 1},  {0x037B, 0x037D, 130, 1}, {0x03AC, 0x03AC, -38, 1}, {0x03AD, 0x03AF, -37, 1},
  {0x03B1, 0x03C1, -32, 1}, {0x03C2, 0x03C2, -31, 1}, {0x03C3, 0x03CB, -32, 1}, {0x03CC, 0x03CC, -64, 1},
  {0x03CD, 0x03CE, -63, 1}, {0x03D0, 0x03D0, -62, 1}, {0x03D1, 0x03D1, -57, 1}, {0x03D5, 0x03D5, -47, 1},
  {0x03D6, 0x03D6, -54, 1}, {0x03D7, 0x03D7, -8, 1},  {0x03D9, 0x03EF, -1, 2},  {0x03F0, 0x03F0, -86, 1},
  {0x03F1, 0x03F1, -80, 1}, {0x03F2, 0x03F2, 7, 1},   {0x03F3, 0x03F3, -116, 1}, {0x03F5, 0x03F5, -96, 1},
  {0x03F8, 0x03F8, -1, 1},  {0x03FB, 0x03FB, -1, 1},  {0x0430, 0x044F, -32, 1}, {0x0450, 0x045F, -80, 1},
  {0x0461, 0x0481, -1, 2},  {0x048B, 0x04BF, -1, 2},  {0x04C2, 0x04CE, -1, 2},  {0x04CF, 0x04CF, -15, 1},
  {0x04D1, 0x04FF, -1, 2},
};

static unsigned run_map(const case_run *r, size_t n, unsigned cp) {
  size_t k;
  for (k = 0; k < n; k++)
    if (cp >= r[k].lo && cp <= r[k].hi && (r[k].step == 1 || (cp - r[k].lo) % 2 == 0))
      return (unsigned)((int)cp + r[k].delta);
  return cp;
}

/* The code point at p (its length in *len): a malformed byte is itself, length 1. */
static unsigned utf8_at(const unsigned char *p, size_t *len) {
  unsigned c = p[0];
  if (c >= 0xC2 && c <= 0xDF && (p[1] & 0xC0) == 0x80) {
    *len = 2;
    return (c & 0x1F) << 6 | (p[1] & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
    *len = 3;
    return (c & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
  }
  if (c >= 0xF0 && c <= 0xF4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
    *len = 4;
    return (c & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 | (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
  }
  *len = 1;
  return c;
}

static void ob_cp(obuf *b, unsigned cp) { /* (below U+0800: all the tables give) */
  char u[2];
  if (cp < 0x80) {
    u[0] = (char)cp;
    ob_add(b, u, 1);
    return;
  }
  u[0] = (char)(0xC0 | cp >> 6);
  u[1] = (char)(0x80 | (cp & 0x3F));
  ob_add(b, u, 2);
}

/* Is cp a cased letter (one with a case mapping), or case-ignorable (combining marks,
 * ' . : ^ ` and their Latin-1 kin), for the final sigma rule? */
static int is_cased(unsigned cp) {
  if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return 1;
  if (cp < 0x80) return 0;
  return cp == 0xDF || cp == 0x130 || cp == 0x149 || cp == 0x390 || cp == 0x3B0 || cp == 0xAA || cp == 0xBA ||
         run_map(to_lower_runs, sizeof to_lower_runs / sizeof *to_lower_runs, cp) != cp ||
         run_map(to_upper_runs, sizeof to_upper_runs / sizeof *to_upper_runs, cp) != cp;
}

static int is_ignorable(unsigned cp) {
  return (cp >= 0x300 && cp <= 0x36F) || cp == '\'' || cp == '.' || cp == ':' || cp == '^' || cp == '`' ||
         cp == 0xA8 || cp == 0xAD || cp == 0xAF || cp == 0xB4 || cp == 0xB7 || cp == 0xB8;
}

/* Is the capital sigma at s[i] final: after a cased letter (case-ignorables between), and
 * not before one (Unicode's Final_Sigma, as V8's toLowerCase)? */
static int final_sigma(const unsigned char *s, size_t i) {
  size_t j, len;
  unsigned cp;
  int before = 0;
  for (j = 0; j < i; j += len) {
    cp = utf8_at(s + j, &len);
    if (!is_ignorable(cp)) before = is_cased(cp);
  }
  if (!before) return 0;
  for (j = i + 2; s[j]; j += len) { /* (the sigma: 2 bytes) */
    cp = utf8_at(s + j, &len);
    if (!is_ignorable(cp)) return !is_cased(cp);
  }
  return 1;
}

/* Append the case mapping (up: toUpperCase, else toLowerCase) of the character at s[i];
 * returns its length in s. */
static size_t case_map(obuf *b, const unsigned char *s, size_t i, int up) {
  size_t len;
  unsigned cp = utf8_at(s + i, &len), m;
  if (cp < 0x80) {
    char c = (char)(up ? upper((int)cp) : lower((int)cp));
    ob_add(b, &c, 1);
    return 1;
  }
  if (up) {
    switch (cp) {
      case 0xDF: ob_add(b, "SS", 2); return len;                             /* ß */
      case 0x149: ob_add(b, "\xCA\xBCN", 3); return len;                     /* ŉ: ʼN */
      case 0x390: ob_add(b, "\xCE\x99\xCC\x88\xCC\x81", 6); return len;     /* ΐ */
      case 0x3B0: ob_add(b, "\xCE\xA5\xCC\x88\xCC\x81", 6); return len;     /* ΰ */
    }
    m = run_map(to_upper_runs, sizeof to_upper_runs / sizeof *to_upper_runs, cp);
  } else {
    if (cp == 0x130) { ob_add(b, "i\xCC\x87", 3); return len; }            /* İ: i + U+0307 */
    if (cp == 0x3A3 && final_sigma(s, i)) { ob_cp(b, 0x3C2); return len; }  /* Σ: ς */
    m = run_map(to_lower_runs, sizeof to_lower_runs / sizeof *to_lower_runs, cp);
  }
  if (m == cp || m >= 0x800) ob_add(b, (const char *)s + i, len);
  else ob_cp(b, m);
  return len;
}

/* s.toLowerCase() / s.toUpperCase() from byte `from` on, after the bytes before it */
static char *js_case(const char *str, size_t from, int up) {
  const unsigned char *s = (const unsigned char *)str;
  obuf b = {0};
  size_t i = from;
  ob_add(&b, str, from);
  while (s[i]) i += case_map(&b, s, i, up);
  return ob_finish(&b);
}

/* the first character mapped (lodash's upperFirst / lowerFirst: the first symbol's case) */
static char *case_first(const char *word, int up) {
  const unsigned char *s = (const unsigned char *)(word ? word : "");
  obuf b = {0};
  size_t n = s[0] ? case_map(&b, s, 0, up) : 0;
  ob_add(&b, (const char *)s + n, strlen((const char *)s + n));
  return ob_finish(&b);
}

/* ---- regex subset ----------------------------------------------------------- */

#define NCAP 10 /* $1..$9 */
#define UNSET ((size_t)-1)

typedef struct {
  const char *pat;       /* whole pattern, for numbering groups */
  const unsigned char *s;
  size_t n;              /* subject length */
  size_t start, end;     /* the match, once found */
  size_t cap[NCAP][2];   /* group spans; cap[g][1] == UNSET: not participating */
} rx;

/* p at '[': the byte after its ']'. */
static const char *class_end(const char *p) {
  p += p[1] == '^' ? 2 : 1;
  while (*p && *p != ']') p++;
  return *p ? p + 1 : p;
}

static int class_has(const char *p, int c) {
  int neg = p[1] == '^', hit = 0;
  for (p += 1 + neg; *p && *p != ']'; p++)
    if (lower((unsigned char)*p) == lower(c)) hit = 1;
  return hit != neg;
}

/* The '|', ')' or NUL ending the alternative that contains p, at p's nesting level. */
static const char *alt_end(const char *p) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '[') { p = class_end(p) - 1; continue; }
    if (*p == '(') depth++;
    else if (*p == ')') { if (depth-- == 0) return p; }
    else if (*p == '|' && depth == 0) return p;
  }
  return p;
}

/* The capturing group number (0 if none) of the '(' or ')' at q. */
static int group_at(const char *pat, const char *q) {
  int stack[16], depth = 0, count = 0, g;
  const char *p;
  for (p = pat; *p; p++) {
    if (*p == '[') { p = class_end(p) - 1; continue; }
    if (*p == '(') {
      g = p[1] == '?' ? 0 : ++count;
      if (p == q) return g < NCAP ? g : 0;
      if (depth < 16) stack[depth++] = g;
    } else if (*p == ')' && depth > 0) {
      g = stack[--depth];
      if (p == q) return g < NCAP ? g : 0;
    }
  }
  return 0;
}

static int rx_alts(rx *m, const char *alt, size_t i, int g);

/* Match the pattern from p at subject offset i; an alternative that reaches '|'
 * continues after its group's ')'. */
static int rx_seq(rx *m, const char *p, size_t i) {
  int g;
  for (;;) {
    switch (*p) {
    case '\0': m->end = i; return 1;
    case '^': if (i != 0) return 0; p++; break;
    case '$': if (i != m->n) return 0; p++; break;
    case '|': while (*(p = alt_end(p + 1)) == '|') {} break;
    case ')':
      if ((g = group_at(m->pat, p)) > 0) m->cap[g][1] = i;
      p++;
      break;
    case '(':
      g = group_at(m->pat, p);
      return rx_alts(m, p + (p[1] == '?' ? 3 : 1), i, g);
    case '[':
      if (i >= m->n || !class_has(p, m->s[i])) return 0;
      p = class_end(p);
      i++;
      break;
    default:
      if (i >= m->n || lower((unsigned char)*p) != lower(m->s[i])) return 0;
      p++;
      i++;
    }
  }
}

/* Try each alternative from alt (the first one of group g, or of the pattern if
 * g == 0 and alt == pat) in order; a failed attempt leaves no captures behind. */
static int rx_alts(rx *m, const char *alt, size_t i, int g) {
  size_t saved[NCAP][2];
  memcpy(saved, m->cap, sizeof saved);
  for (;;) {
    if (g > 0) { m->cap[g][0] = i; m->cap[g][1] = UNSET; }
    if (rx_seq(m, alt, i)) return 1;
    memcpy(m->cap, saved, sizeof saved);
    alt = alt_end(alt);
    if (*alt != '|') return 0;
    alt++;
  }
}

/* Leftmost match at or after offset from; like RegExp.prototype.exec. A shortcut
 * for patterns without top-level '|' (all of ours): a leading '^' allows only offset
 * 0, and the plain literal text before a final '$' must end the subject. */
static int rx_search(rx *m, size_t from) {
  size_t i, g, hi = m->n, k = strlen(m->pat), j = m->n;
  if (*alt_end(m->pat) == '\0') {
    if (m->pat[0] == '^') hi = 0;
    if (k > 0 && m->pat[--k] == '$')
      for (; k > 0 && !strchr("()|]^$", m->pat[k - 1]); k--, j--)
        if (j == 0 || lower((unsigned char)m->pat[k - 1]) != lower(m->s[j - 1])) return 0;
  }
  for (i = from; i <= hi; i++) {
    for (g = 0; g < NCAP; g++) m->cap[g][0] = m->cap[g][1] = UNSET;
    if (rx_alts(m, m->pat, i, 0)) { m->start = i; return 1; }
  }
  return 0;
}

static void rx_init(rx *m, const char *pat, const char *s) {
  m->pat = pat;
  m->s = (const unsigned char *)s;
  m->n = strlen(s);
}

/* Append repl with $$ and $1..$9 expanded (an unset group gives ""; a number beyond
 * the pattern's groups stays literal), as String.prototype.replace does. */
static void expand(obuf *b, const rx *m, const char *repl) {
  int ngroups = 0, g;
  const char *p;
  for (p = m->pat; *p; p++) {
    if (*p == '[') p = class_end(p) - 1;
    else if (*p == '(' && p[1] != '?') ngroups++;
  }
  for (; *repl; repl++) {
    g = repl[0] == '$' && repl[1] >= '1' && repl[1] <= '9' ? repl[1] - '0' : 0;
    if (repl[0] == '$' && repl[1] == '$') {
      ob_add(b, "$", 1);
      repl++;
    } else if (g > 0 && g <= ngroups && g < NCAP) {
      if (m->cap[g][1] != UNSET)
        ob_add(b, (const char *)m->s + m->cap[g][0], m->cap[g][1] - m->cap[g][0]);
      repl++;
    } else {
      ob_add(b, repl, 1);
    }
  }
}

/* String.prototype.replace with a global regex. */
static char *rx_replace(const char *pat, const char *s, const char *repl) {
  obuf b = {NULL, 0, 0, 0};
  size_t pos = 0, copied = 0;
  rx m;
  rx_init(&m, pat, s);
  while (pos <= m.n && rx_search(&m, pos)) {
    ob_add(&b, s + copied, m.start - copied);
    expand(&b, &m, repl);
    copied = m.end;
    pos = m.end > m.start ? m.end : m.end + 1;
  }
  ob_add(&b, s + copied, m.n - copied);
  return ob_finish(&b);
}

/* ---- inflection's tables (lib/inflection.js 1.13.4) --------------------------- */

static const char *const uncountable_words[] = {
  "accommodation", "adulthood", "advertising", "advice", "aggression", "aid", "air",
  "aircraft", "alcohol", "anger", "applause", "arithmetic", "assistance", "athletics",
  "bacon", "baggage", "beef", "biology", "blood", "botany", "bread", "butter",
  "carbon", "cardboard", "cash", "chalk", "chaos", "chess", "crossroads", "countryside",
  "dancing", "deer", "dignity", "dirt", "dust",
  "economics", "education", "electricity", "engineering", "enjoyment", "envy",
  "equipment", "ethics", "evidence", "evolution",
  "fame", "fiction", "flour", "flu", "food", "fuel", "fun", "furniture",
  "gallows", "garbage", "garlic", "genetics", "gold", "golf", "gossip", "gratitude",
  "grief", "guilt", "gymnastics",
  "happiness", "hardware", "harm", "hate", "hatred", "health", "heat", "help",
  "homework", "honesty", "honey", "hospitality", "housework", "humour", "hunger",
  "hydrogen",
  "ice", "importance", "inflation", "information", "innocence", "iron", "irony",
  "jam", "jewelry", "judo",
  "karate", "knowledge",
  "lack", "laughter", "lava", "leather", "leisure", "lightning", "linguine",
  "linguini", "linguistics", "literature", "litter", "livestock", "logic",
  "loneliness", "luck", "luggage",
  "macaroni", "machinery", "magic", "management", "mankind", "marble", "mathematics",
  "mayonnaise", "measles", "methane", "milk", "minus", "money", "mud", "music", "mumps",
  "nature", "news", "nitrogen", "nonsense", "nurture", "nutrition",
  "obedience", "obesity", "oxygen",
  "pasta", "patience", "physics", "poetry", "pollution", "poverty", "pride",
  "psychology", "publicity", "punctuation",
  "quartz",
  "racism", "relaxation", "reliability", "research", "respect", "revenge", "rice",
  "rubbish", "rum",
  "safety", "scenery", "seafood", "seaside", "series", "shame", "sheep", "shopping",
  "sleep", "smoke", "smoking", "snow", "soap", "software", "soil", "spaghetti",
  "species", "steam", "stuff", "stupidity", "sunshine", "symmetry",
  "tennis", "thirst", "thunder", "timber", "traffic", "transportation", "trust",
  "underwear", "unemployment", "unity",
  "validity", "veal", "vegetation", "vegetarianism", "vengeance", "violence", "vitality",
  "warmth", "wealth", "weather", "welfare", "wheat", "wildlife", "wisdom",
  "yoga",
  "zinc", "zoology",
};

/* regex.plural.* */
#define PL_MEN       "^(m|wom)en$"
#define PL_PEOPLE    "(pe)ople$"
#define PL_CHILDREN  "(child)ren$"
#define PL_TIA       "([ti])a$"
#define PL_ANALYSES  "((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$"
#define PL_DATABASES "(database)s$"
#define PL_DRIVES    "(drive)s$"
#define PL_HIVES     "(hi|ti)ves$"
#define PL_CURVES    "(curve)s$"
#define PL_LRVES     "([lr])ves$"
#define PL_AVES      "([a])ves$"
#define PL_FOVES     "([^fo])ves$"
#define PL_MOVIES    "(m)ovies$"
#define PL_AEIOUYIES "([^aeiouy]|qu)ies$"
#define PL_SERIES    "(s)eries$"
#define PL_XES       "(x|ch|ss|sh)es$"
#define PL_MICE      "([m|l])ice$"
#define PL_BUSES     "(bus)es$"
#define PL_OES       "(o)es$"
#define PL_SHOES     "(shoe)s$"
#define PL_CRISES    "(cris|ax|test)es$"
#define PL_OCTOPUSES "(octop|vir)uses$"
#define PL_ALIASES   "(alias|canvas|status|campus)es$"
#define PL_SUMMONSES "^(summons|bonus)es$"
#define PL_OXEN      "^(ox)en"
#define PL_MATRICES  "(matr)ices$"
#define PL_VERTICES  "(vert|ind)ices$"
#define PL_FEET      "^feet$"
#define PL_TEETH     "^teeth$"
#define PL_GEESE     "^geese$"
#define PL_QUIZZES   "(quiz)zes$"
#define PL_WHEREASES "^(whereas)es$"
#define PL_CRITERIA  "^(criteri)a$"
#define PL_GENERA    "^genera$"
#define PL_SS        "ss$"
#define PL_S         "s$"

/* regex.singular.* */
#define SG_MAN       "^(m|wom)an$"
#define SG_PERSON    "(pe)rson$"
#define SG_CHILD     "(child)$"
#define SG_DRIVE     "(drive)$"
#define SG_OX        "^(ox)$"
#define SG_AXIS      "(ax|test)is$"
#define SG_OCTOPUS   "(octop|vir)us$"
#define SG_ALIAS     "(alias|status|canvas|campus)$"
#define SG_SUMMONS   "^(summons|bonus)$"
#define SG_BUS       "(bu)s$"
#define SG_BUFFALO   "(buffal|tomat|potat)o$"
#define SG_TIUM      "([ti])um$"
#define SG_SIS       "sis$"
#define SG_FFE       "(?:([^f])fe|([lr])f)$"
#define SG_HIVE      "(hi|ti)ve$"
#define SG_AEIOUYY   "([^aeiouy]|qu)y$"
#define SG_X         "(x|ch|ss|sh)$"
#define SG_MATRIX    "(matr)ix$"
#define SG_VERTEX    "(vert|ind)ex$"
#define SG_MOUSE     "([m|l])ouse$"
#define SG_FOOT      "^foot$"
#define SG_TOOTH     "^tooth$"
#define SG_GOOSE     "^goose$"
#define SG_QUIZ      "(quiz)$"
#define SG_WHEREAS   "^(whereas)$"
#define SG_CRITERION "^(criteri)on$"
#define SG_GENUS     "^genus$"
#define SG_S         "s$"
#define SG_COMMON    "$"

/* A rule with no replacement leaves a matching word unchanged. */
typedef struct { const char *re, *repl; } rule;

static const rule plural_rules[] = {
  /* do not replace if its already a plural word */
  {PL_MEN, NULL}, {PL_PEOPLE, NULL}, {PL_CHILDREN, NULL}, {PL_TIA, NULL},
  {PL_ANALYSES, NULL}, {PL_DATABASES, NULL}, {PL_DRIVES, NULL}, {PL_HIVES, NULL},
  {PL_CURVES, NULL}, {PL_LRVES, NULL}, {PL_FOVES, NULL}, {PL_AEIOUYIES, NULL},
  {PL_SERIES, NULL}, {PL_MOVIES, NULL}, {PL_XES, NULL}, {PL_MICE, NULL},
  {PL_BUSES, NULL}, {PL_OES, NULL}, {PL_SHOES, NULL}, {PL_CRISES, NULL},
  {PL_OCTOPUSES, NULL}, {PL_ALIASES, NULL}, {PL_SUMMONSES, NULL}, {PL_OXEN, NULL},
  {PL_MATRICES, NULL}, {PL_FEET, NULL}, {PL_TEETH, NULL}, {PL_GEESE, NULL},
  {PL_QUIZZES, NULL}, {PL_WHEREASES, NULL}, {PL_CRITERIA, NULL}, {PL_GENERA, NULL},
  /* original rule */
  {SG_MAN, "$1en"},       {SG_PERSON, "$1ople"},  {SG_CHILD, "$1ren"},
  {SG_DRIVE, "$1s"},      {SG_OX, "$1en"},        {SG_AXIS, "$1es"},
  {SG_OCTOPUS, "$1uses"}, {SG_ALIAS, "$1es"},     {SG_SUMMONS, "$1es"},
  {SG_BUS, "$1ses"},      {SG_BUFFALO, "$1oes"},  {SG_TIUM, "$1a"},
  {SG_SIS, "ses"},        {SG_FFE, "$1$2ves"},    {SG_HIVE, "$1ves"},
  {SG_AEIOUYY, "$1ies"},  {SG_MATRIX, "$1ices"},  {SG_VERTEX, "$1ices"},
  {SG_X, "$1es"},         {SG_MOUSE, "$1ice"},    {SG_FOOT, "feet"},
  {SG_TOOTH, "teeth"},    {SG_GOOSE, "geese"},    {SG_QUIZ, "$1zes"},
  {SG_WHEREAS, "$1es"},   {SG_CRITERION, "$1a"},  {SG_GENUS, "genera"},
  {SG_S, "s"},            {SG_COMMON, "s"},
};

static const rule singular_rules[] = {
  /* do not replace if its already a singular word */
  {SG_MAN, NULL}, {SG_PERSON, NULL}, {SG_CHILD, NULL}, {SG_DRIVE, NULL},
  {SG_OX, NULL}, {SG_AXIS, NULL}, {SG_OCTOPUS, NULL}, {SG_ALIAS, NULL},
  {SG_SUMMONS, NULL}, {SG_BUS, NULL}, {SG_BUFFALO, NULL}, {SG_TIUM, NULL},
  {SG_SIS, NULL}, {SG_FFE, NULL}, {SG_HIVE, NULL}, {SG_AEIOUYY, NULL},
  {SG_X, NULL}, {SG_MATRIX, NULL}, {SG_MOUSE, NULL}, {SG_FOOT, NULL},
  {SG_TOOTH, NULL}, {SG_GOOSE, NULL}, {SG_QUIZ, NULL}, {SG_WHEREAS, NULL},
  {SG_CRITERION, NULL}, {SG_GENUS, NULL},
  /* original rule */
  {PL_MEN, "$1an"},       {PL_PEOPLE, "$1rson"},  {PL_CHILDREN, "$1"},
  {PL_DATABASES, "$1"},   {PL_DRIVES, "$1"},      {PL_GENERA, "genus"},
  {PL_CRITERIA, "$1on"},  {PL_TIA, "$1um"},       {PL_ANALYSES, "$1$2sis"},
  {PL_HIVES, "$1ve"},     {PL_CURVES, "$1"},      {PL_LRVES, "$1f"},
  {PL_AVES, "$1ve"},      {PL_FOVES, "$1fe"},     {PL_MOVIES, "$1ovie"},
  {PL_AEIOUYIES, "$1y"},  {PL_SERIES, "$1eries"}, {PL_XES, "$1"},
  {PL_MICE, "$1ouse"},    {PL_BUSES, "$1"},       {PL_OES, "$1"},
  {PL_SHOES, "$1"},       {PL_CRISES, "$1is"},    {PL_OCTOPUSES, "$1us"},
  {PL_ALIASES, "$1"},     {PL_SUMMONSES, "$1"},   {PL_OXEN, "$1"},
  {PL_MATRICES, "$1ix"},  {PL_VERTICES, "$1ex"},  {PL_FEET, "foot"},
  {PL_TEETH, "tooth"},    {PL_GEESE, "goose"},    {PL_QUIZZES, "$1"},
  {PL_WHEREASES, "$1"},
  {PL_SS, "ss"},          {PL_S, ""},
};

/* word.toLowerCase() === u. JS also lowers U+212A KELVIN SIGN to 'k'. */
static int lower_equals(const char *w, const char *u) {
  const unsigned char *p = (const unsigned char *)w;
  for (; *u; u++) {
    if (p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA) {
      if (*u != 'k') return 0;
      p += 3;
    } else if (lower(*p++) != *u) {
      return 0;
    }
  }
  return *p == '\0';
}

/* inflector._apply_rules without the override argument. */
static char *apply_rules(const char *word, const rule *rules, size_t nrules) {
  size_t k;
  rx m;
  if (!word) word = "";
  for (k = 0; k < sizeof uncountable_words / sizeof *uncountable_words; k++)
    if (lower_equals(word, uncountable_words[k])) return dup(word);
  for (k = 0; k < nrules; k++) {
    rx_init(&m, rules[k].re, word);
    if (rx_search(&m, 0))
      return rules[k].repl ? rx_replace(rules[k].re, word, rules[k].repl) : dup(word);
  }
  return dup(word);
}

char *sq_pluralize(const char *word) {
  return apply_rules(word, plural_rules, sizeof plural_rules / sizeof *plural_rules);
}

char *sq_singularize(const char *word) {
  return apply_rules(word, singular_rules, sizeof singular_rules / sizeof *singular_rules);
}

/* ---- identifier case ---------------------------------------------------------- */

/* inflection.underscore: per "::"-separated segment, replace(/([A-Z])/g, '_$1') then
 * drop one leading '_'; join with '/' and toLowerCase() (JS's: "ÜberTable" -> "über_table"). */
char *sq_underscore(const char *word) {
  const char *s = word ? word : "";
  char *r = malloc(2 * strlen(s) + 1), *o = r, *out;
  int seg_start = 1;
  if (!r) return NULL;
  while (*s) {
    if (s[0] == ':' && s[1] == ':') {
      *o++ = '/';
      s += 2;
      seg_start = 1;
      continue;
    }
    if (*s >= 'A' && *s <= 'Z') {
      if (!seg_start) *o++ = '_';
    } else if (seg_start && *s == '_') {
      s++;
      seg_start = 0;
      continue;
    }
    *o++ = *s++;
    seg_start = 0;
  }
  *o = '\0';
  out = js_case(r, 0, 0);
  free(r);
  return out;
}

/* Byte length of the JS whitespace character (String.prototype.trim, \s) at p, or 0. */
static size_t ws_len(const unsigned char *p) {
  if ((*p >= 0x09 && *p <= 0x0D) || *p == ' ') return 1;
  if (p[0] == 0xC2 && p[1] == 0xA0) return 2;                          /* U+00A0 */
  if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) ||                /* U+1680 */
      (p[0] == 0xE2 && p[1] == 0x80 &&
       ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 ||
        p[2] == 0xAF)) ||                                   /* U+2000-200A,2028,2029,202F */
      (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) ||                /* U+205F */
      (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) ||                /* U+3000 */
      (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF))                  /* U+FEFF */
    return 3;
  return 0;
}

static size_t sep_len(const unsigned char *p) {
  return *p == '-' || *p == '_' ? 1 : ws_len(p);
}

/* Sequelize Utils.camelize (see inflect.h). */
char *sq_camelize(const char *word) {
  const unsigned char *s = (const unsigned char *)(word ? word : "");
  size_t i = 0, j, end, w;
  obuf b = {0};
  while ((w = ws_len(s + i)) > 0) i += w;  /* trim() */
  for (end = j = i; s[j];) {
    if ((w = ws_len(s + j)) > 0) j += w;
    else end = ++j;
  }
  while (i < end) {                        /* replace(/[-_\s]+(.)?/g, (m, c) => c.toUpperCase()) */
    if (sep_len(s + i) == 0) {
      j = i;
      while (i < end && sep_len(s + i) == 0) i++;
      ob_add(&b, (const char *)s + j, i - j);
      continue;
    }
    while (i < end && (w = sep_len(s + i)) > 0) i += w;
    if (i < end) i += case_map(&b, s, i, 1);
  }
  return ob_finish(&b);
}

/* Does Sequelize's camelize throw on word: after trim(), does it end in '-' or '_' (the
 * replace's (.)? then matches nothing, and undefined.toUpperCase() throws a TypeError)? */
int sq_camelize_dangles(const char *word) {
  const unsigned char *s = (const unsigned char *)(word ? word : "");
  size_t j, w, last = (size_t)-1;
  for (j = 0; s[j];) {
    if ((w = ws_len(s + j)) > 0) {
      j += w;
    } else {
      last = j;
      j++;
    }
  }
  return last != (size_t)-1 && (s[last] == '-' || s[last] == '_');
}

char *sq_upper_first(const char *word) { return case_first(word, 1); }

char *sq_lower_first(const char *word) { return case_first(word, 0); }
