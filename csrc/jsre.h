/* jsre.h: a small backtracking matcher for the JavaScript regular expressions validator.js
 * writes its validators with (isSemVer, isMACAddress, isISO8601, ...), so that those patterns
 * are used as validator.js writes them instead of being re-derived by hand.
 *
 * Owns: RegExp#test of a pattern (JavaScript syntax, no flags but `i`) on a UTF-8 string.
 * Supported: literals, `.`, classes `[...]` / `[^...]` with ranges and \d \w \s \D \W \S
 * and \uXXXX escapes, groups `(...)`, `(?:...)`, lookaheads `(?=...)`, `(?!...)`,
 * alternation, the quantifiers ? * + {n} {n,} {n,m} (greedy), back references \1-\99, ^, $,
 * \b, \B. A pattern outside that (or too large) never matches; the patterns used are
 * constants checked by the specs.
 *
 * The subject is read as code points (ill-formed UTF-8 as U+FFFD, as Node reads it); the
 * validators' patterns only count ASCII characters, where code points and JavaScript's
 * UTF-16 units agree. No allocation, no global state: the compiled pattern lives on the
 * caller's stack. Backtracking is bounded (steps and depth): a subject that would need more
 * does not match (validator.js would take that long too; here it is refused instead).
 */
#ifndef SQ_JSRE_H
#define SQ_JSRE_H

#include <stddef.h>

/* RegExp(pattern, icase ? "i" : "").test(subject): 1 on a match, 0 otherwise */
int sq_jsre_test(const char *pattern, int icase, const char *s, size_t n);

#endif
