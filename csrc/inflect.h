/* inflect.h: English inflection and identifier case helpers used for Sequelize naming.
 *
 * Owns: a port of the npm `inflection` package 1.13.4 (pluralize, singularize,
 * underscore), Sequelize 6's Utils.camelize, and lodash's upperFirst/lowerFirst.
 * Pure functions over NUL-terminated UTF-8; no state.
 *
 * Every function returns a new malloc'd string the caller frees, or NULL only when
 * allocation fails. A NULL argument is treated as "". Case mapping (underscore's
 * lowercasing, camelize, upperFirst, lowerFirst) is JavaScript's toLowerCase/toUpperCase
 * for ASCII, Latin-1 Supplement, Latin Extended-A, Greek and Cyrillic ("élève" ->
 * "Élève", "ß" -> "SS"); other characters are copied unchanged. inflection's regexes are
 * ASCII-case-insensitive, as JS's (its [A-Z] of underscore too: "ÜberTable" -> "über_table").
 */
#ifndef SQ_INFLECT_H
#define SQ_INFLECT_H

/* inflection.pluralize(word): "User" -> "Users", "person" -> "people",
 * "Status" -> "Statuses"; words ending in "s" are left alone ("UserProjects"). */
char *sq_pluralize(const char *word);

/* inflection.singularize(word): "Users" -> "User", "people" -> "person". */
char *sq_singularize(const char *word);

/* inflection.underscore(word): "CompanyUuid" -> "company_uuid"; "::" -> "/". */
char *sq_underscore(const char *word);

/* Sequelize Utils.camelize: str.trim().replace(/[-_\s]+(.)?/g, (m, c) => c ? c.toUpperCase() : '')
 * "company_uuid" -> "companyUuid". (Sequelize itself throws on a trailing separator,
 * e.g. "foo_"; this returns "foo".) */
char *sq_camelize(const char *word);

/* 1 if Sequelize's camelize throws on word (a trailing '-' or '_' after trim: "foo_"), else 0. */
int sq_camelize_dangles(const char *word);

/* lodash _.upperFirst / _.lowerFirst: "user" -> "User", "User" -> "user", "ñandú" -> "Ñandú". */
char *sq_upper_first(const char *word);
char *sq_lower_first(const char *word);

#endif
