/* validate.h: Sequelize v6's built-in validator predicates, ported from validator.js.
 *
 * Owns: the pure string predicates behind `validate: { isEmail: true, len: [2, 10],
 * ... }`. Each takes a UTF-8 string (s, n) -- need not be NUL-terminated -- and
 * returns 1 if valid, 0 if not. No allocation, no global state.
 *
 * Reference: sequelize 6.37 lib/utils/validator-extras.js on top of validator 13.15
 * (what `npm install sequelize@6` resolves), called the way Sequelize's
 * instance-validator calls them: the value is first stringified (String(value)), so a
 * Lua number must be passed as JS would print it ("42", "4.5", "1e+21"), a boolean as
 * "true"/"false". Options are Sequelize's: `isEmail: true` passes `true` as options,
 * which validator.js treats as the defaults, and so on.
 *
 * Byte strings that are not valid UTF-8 are read the way Node's Buffer#toString('utf8')
 * reads them: each maximal ill-formed subsequence becomes one U+FFFD. Lengths and
 * character classes are computed on that JS string (UTF-16 code units where the JS
 * code counts them).
 *
 * Exact ports (same answer as validator.js for every input, modulo the Unicode
 * version of the case tables): isEmail, isURL, isIP/isIPv4/isIPv6, isAlpha,
 * isAlphanumeric, isNumeric, isInt, isFloat, isDecimal, isLowercase, isUppercase,
 * isUUID, notEmpty, contains, len (isLength).
 * isDate: exact port of V8's Date.parse (see value.h), with local time taken as UTC.
 */
#ifndef SQ_VALIDATE_H
#define SQ_VALIDATE_H

#include <stddef.h>

/* isEmail, default options (no display name, utf8 local part allowed, TLD required,
 * no IP domains, length limits 254 total / 64 local part bytes / 254 domain bytes). */
int sq_v_is_email(const char *s, size_t n);
/* isURL / isUrl, default options (protocols http, https, ftp, protocol optional, host
 * required, TLD required, no underscores, no trailing dot, no protocol-relative URLs,
 * max length 2084, port 1-65535, [IPv6] hosts, user:password@ allowed). */
int sq_v_is_url(const char *s, size_t n);
/* The options of isURL, isEmail and isFQDN (validator.js 13.15), read once when the model is
 * defined: one block of `size` bytes holding its lists (copied with memcpy, freed with free).
 * flags: SQ_VO_* bits, validator.js's defaults already merged in (model.lua). max_len: isURL's
 * max_allowed_length. The lists, in data[]: nranges (lo, hi) pairs of UTF-16 code units
 * (isEmail's blacklisted_chars, read as the class validator.js makes of them), then nproto +
 * nwhite + nblack strings as (offset from the block's start, length) pairs: isURL's
 * protocols, then host_whitelist, then host_blacklist (NUL-terminated, in the block). */
enum {
  SQ_VO_REQUIRE_TLD = 1u << 0, SQ_VO_ALLOW_UNDERSCORES = 1u << 1, SQ_VO_ALLOW_TRAILING_DOT = 1u << 2,
  SQ_VO_ALLOW_NUMERIC_TLD = 1u << 3, SQ_VO_ALLOW_WILDCARD = 1u << 4, SQ_VO_IGNORE_MAX_LENGTH = 1u << 5,
  SQ_VO_REQUIRE_PROTOCOL = 1u << 6, SQ_VO_REQUIRE_HOST = 1u << 7, SQ_VO_REQUIRE_PORT = 1u << 8,
  SQ_VO_REQUIRE_VALID_PROTOCOL = 1u << 9, SQ_VO_ALLOW_PROTOCOL_RELATIVE_URLS = 1u << 10,
  SQ_VO_ALLOW_FRAGMENTS = 1u << 11, SQ_VO_ALLOW_QUERY_COMPONENTS = 1u << 12, SQ_VO_DISALLOW_AUTH = 1u << 13,
  SQ_VO_VALIDATE_LENGTH = 1u << 14, SQ_VO_HOST_WHITELIST = 1u << 15, SQ_VO_HOST_BLACKLIST = 1u << 16,
  SQ_VO_ALLOW_DISPLAY_NAME = 1u << 17, SQ_VO_REQUIRE_DISPLAY_NAME = 1u << 18,
  SQ_VO_ALLOW_UTF8_LOCAL_PART = 1u << 19, SQ_VO_ALLOW_IP_DOMAIN = 1u << 20,
  SQ_VO_DOMAIN_SPECIFIC_VALIDATION = 1u << 21
};
typedef struct sq_v_opts {
  size_t size;
  unsigned flags;
  double max_len;
  int nranges, nproto, nwhite, nblack;
  size_t data[];
} sq_v_opts;
/* string k of the lists (0 .. nproto + nwhite + nblack - 1) and its length */
const char *sq_v_opts_str(const sq_v_opts *o, int k, size_t *len);

/* isURL, isEmail, isFQDN with options; isIP with a version (4 or 6). isEmail returns -1
 * when out of memory (a lower-cased copy of a long gmail address or of a domain to compare
 * with the host lists). */
int sq_v_is_url_opts(const char *s, size_t n, const sq_v_opts *o);
int sq_v_is_email_opts(const char *s, size_t n, const sq_v_opts *o);
int sq_v_is_fqdn_opts(const char *s, size_t n, unsigned flags);

/* isIP (v4 or v6), isIPv4, isIPv6 (v6 may carry a %zone suffix). */
int sq_v_is_ip(const char *s, size_t n);
int sq_v_is_ipv4(const char *s, size_t n);
int sq_v_is_ipv6(const char *s, size_t n);
/* isAlpha / isAlphanumeric, locale en-US: /^[A-Z]+$/i and /^[0-9A-Z]+$/i. */
int sq_v_is_alpha(const char *s, size_t n);
int sq_v_is_alphanumeric(const char *s, size_t n);
/* isNumeric: /^[+-]?([0-9]*[.])?[0-9]+$/ */
int sq_v_is_numeric(const char *s, size_t n);
/* isInt: /^[-+]?[0-9]+$/ (leading zeros allowed) */
int sq_v_is_int(const char *s, size_t n);
/* isFloat: /^(?:[-+])?(?:[0-9]+)?(?:\.[0-9]*)?(?:[eE][\+\-]?(?:[0-9]+))?$/ and not one
 * of "", ".", ",", "-", "+" (so "+.", "e5" and "1." are floats, as in validator.js) */
int sq_v_is_float(const char *s, size_t n);
/* isDecimal, Sequelize's own override (not validator's):
 * str !== "" && /^(?:-?(?:[0-9]+))?(?:\.[0-9]*)?(?:[eE][+-]?(?:[0-9]+))?$/
 * (so "." and "1e5" are decimals, "+1" is not) */
int sq_v_is_decimal(const char *s, size_t n);
/* isLowercase: str === str.toLowerCase(); isUppercase: str === str.toUpperCase()
 * (full Unicode case mappings; "" and "123" are both). */
int sq_v_is_lowercase(const char *s, size_t n);
int sq_v_is_uppercase(const char *s, size_t n);
/* isUUID with no version ('all'): versions 1-8 with RFC variant, plus the nil and max
 * UUIDs; case-insensitive. */
int sq_v_is_uuid(const char *s, size_t n);
/* isUUID with a version: 1-8 for that version, 0 for 'all' (same as sq_v_is_uuid),
 * -1 for 'loose' (any hex in 8-4-4-4-12); anything else is invalid (validator returns
 * false for unknown versions). */
int sq_v_is_uuid_version(const char *s, size_t n, int version);
/* notEmpty: fails on "" and on strings of JS whitespace only (\s: tab, LF, VT, FF, CR,
 * space, U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF). */
int sq_v_not_empty(const char *s, size_t n);
/* contains: `!!elem && str.includes(elem)`; an empty `sub` never matches. */
int sq_v_contains(const char *s, size_t n, const char *sub, size_t subn);
/* isDate: Sequelize's `!isNaN(Date.parse(str))` (its moment re-check of the ISO string
 * never fails for a valid Date). Uses sq_date_parse_js from value.h. */
int sq_v_is_date(const char *s, size_t n);
/* isAfter / isBefore (validator.js): both strings read by Date.parse (sq_date_parse_js);
 * valid when both parse and s is strictly after (before < 0: before) the comparison date.
 * `whole_seconds`: s is compared at whole seconds, as Sequelize's String(date) of a DATE
 * attribute's Date value drops the milliseconds. */
int sq_v_date_cmp(const char *s, size_t n, const char *cmp, size_t cmpn, int after, int whole_seconds);

/* More of validator.js, with its default options (each reads only ASCII, so bytes are
 * checked directly): isNull (Sequelize: isEmpty, the empty string), isHexadecimal
 * (0x / 0h prefix allowed), isOctal (0o), isAscii (non-empty), isBase64 (padded),
 * isHexColor (# optional; 3, 4, 6 or 8 digits), isBoolean ("true" "false" "1" "0"), isPort
 * (an integer 0-65535, no leading zeroes), isMD5 (32 lowercase hex digits), isMongoId (24
 * hex digits), isSlug, isJSON (JSON.parse reads an object or an array), isLuhnNumber and
 * isCreditCard (any provider validator.js knows, spaces and dashes ignored). */
int sq_v_is_null(const char *s, size_t n);
int sq_v_is_hexadecimal(const char *s, size_t n);
int sq_v_is_octal(const char *s, size_t n);
int sq_v_is_ascii(const char *s, size_t n);
int sq_v_is_base64(const char *s, size_t n);
int sq_v_is_hex_color(const char *s, size_t n);
int sq_v_is_boolean(const char *s, size_t n);
int sq_v_is_port(const char *s, size_t n);
int sq_v_is_md5(const char *s, size_t n);
int sq_v_is_mongo_id(const char *s, size_t n);
int sq_v_is_slug(const char *s, size_t n);
int sq_v_is_json(const char *s, size_t n);
int sq_v_is_luhn(const char *s, size_t n);
int sq_v_is_credit_card(const char *s, size_t n);

/* validator.js's isEmpty ({ ignore_whitespace }: a string of JS white space only is
 * empty too), isISO8601 ({ strict }: a real calendar date; { strictSeparator }: "T" only
 * between date and time), isMACAddress ({ eui: 48 / 64 (0 either), no_separators }),
 * isSemVer, isLatLong ({ checkDMS }), isMimeType, isJWT, isLocale, isCurrency (default
 * options). The pattern ones run validator.js's own patterns (jsre.h). */
int sq_v_is_empty(const char *s, size_t n, int ignore_whitespace);
int sq_v_is_iso8601(const char *s, size_t n, int strict, int strict_separator);
int sq_v_is_mac_address(const char *s, size_t n, int eui, int no_separators);
int sq_v_is_semver(const char *s, size_t n);
int sq_v_is_lat_long(const char *s, size_t n, int check_dms);
int sq_v_is_mime_type(const char *s, size_t n);
int sq_v_is_jwt(const char *s, size_t n);
int sq_v_is_locale(const char *s, size_t n);
int sq_v_is_currency(const char *s, size_t n);

/* And isRgbColor ({ includePercentValues, allowSpaces }), isHSL, isTime (hour12: hourFormat
 * "hour12"; mode 0 default, 1 withSeconds, 2 withOptionalSeconds), isRFC3339, isBase32
 * ({ crockford }), isBase58, isULID, isEthereumAddress, isBtcAddress, isMultibyte,
 * isFullWidth, isHalfWidth, isVariableWidth, isMagnetURI, isHash (len: the algorithm's
 * digits), isFQDN (default options), isStrongPassword (min: minLength, minLowercase,
 * minUppercase, minNumbers, minSymbols), isByteLength (no max: HUGE_VAL), isEAN, isISSN
 * ({ require_hyphen, case_sensitive }), isISO31661Alpha2 / Alpha3 (and `more`: the
 * userAssignedCodes, upper case), isISO4217 (validator.js's lists, after toUpperCase). isRgbColor and isHSL return -1 when out of memory. */
int sq_v_is_rgb_color(const char *s, size_t n, int include_percent, int allow_spaces);
int sq_v_is_hsl(const char *s, size_t n);
int sq_v_is_time(const char *s, size_t n, int hour12, int mode);
int sq_v_is_rfc3339(const char *s, size_t n);
int sq_v_is_base32(const char *s, size_t n, int crockford);
int sq_v_is_base58(const char *s, size_t n);
int sq_v_is_ulid(const char *s, size_t n);
int sq_v_is_ethereum_address(const char *s, size_t n);
int sq_v_is_btc_address(const char *s, size_t n);
int sq_v_is_multibyte(const char *s, size_t n);
int sq_v_is_full_width(const char *s, size_t n);
int sq_v_is_half_width(const char *s, size_t n);
int sq_v_is_variable_width(const char *s, size_t n);
int sq_v_is_magnet_uri(const char *s, size_t n);
int sq_v_is_hash(const char *s, size_t n, int len);
int sq_v_is_fqdn(const char *s, size_t n);
int sq_v_is_strong_password(const char *s, size_t n, const double min[5]);
int sq_v_strong_password_score(const char *s, size_t n, const double pts[6], double *out);
int sq_v_is_byte_length(const char *s, size_t n, double min, double max);
int sq_v_is_ean(const char *s, size_t n);
int sq_v_is_issn(const char *s, size_t n, int require_hyphen, int case_sensitive);
int sq_v_is_iso31661_alpha2(const char *s, size_t n, char *const *more, int nmore);
int sq_v_is_iso31661_alpha3(const char *s, size_t n, char *const *more, int nmore);
int sq_v_is_iso4217(const char *s, size_t n);

/* JS string length: UTF-16 code units (code points above U+FFFF count 2). */
size_t sq_v_utf8_len(const char *s, size_t n);
/* The length validator.js's isLength measures (validator >= 13.7): code points
 * (surrogate pairs count 1), minus one for every non-overlapping "X + U+FE0E/U+FE0F"
 * presentation sequence. This, not sq_v_utf8_len, is what `len: [min, max]` checks. */
size_t sq_v_length_count(const char *s, size_t n);
/* len: [min, max] (isLength(str, min, max)); pass max < 0 for "no maximum". */
int sq_v_len(const char *s, size_t n, long long min, long long max);
/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF, no truncation. */
int sq_v_is_utf8(const char *s, size_t n);

#endif
