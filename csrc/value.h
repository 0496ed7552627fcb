/* value.h: dates and UUIDs the way Sequelize v6 stores them on SQLite.
 *
 * Owns: calendar arithmetic (proleptic Gregorian, UTC only), parsing of user-supplied
 * date strings, the SQLite storage text form of DATE ("YYYY-MM-DD HH:MM:SS.mmm +00:00"),
 * the JSON/ISO form of a JS Date ("YYYY-MM-DDTHH:MM:SS.mmmZ"), DATEONLY normalisation,
 * the wall clock, and UUID v4 text. Pure functions over caller buffers: no allocation,
 * no global state, no process time zone (no mktime/localtime/TZ).
 *
 * Time zone policy: wherever JavaScript would use the process's local time zone (an
 * ISO date-time without an offset, a legacy date string without a zone), these
 * functions use UTC. That equals Node running with TZ=UTC, which is also Sequelize's
 * default `timezone: '+00:00'`.
 *
 * Range: a JS Date holds |ms| <= 8.64e15 (years -271821..275760); every parser here
 * rejects values outside that range.
 */
#ifndef SQ_VALUE_H
#define SQ_VALUE_H

#include <stddef.h>

/* Largest |ms| a JS Date can hold (100,000,000 days). */
#define SQ_DATE_MAX_MS 8640000000000000LL

/* Parse a date given by a user. Accepts the ISO-8601 forms JS's Date accepts, plus the
 * storage form:
 *   date      YYYY | +YYYYYY | -YYYYYY (not -000000), then optional -MM, then optional
 *             -DD; also moment's storage spellings of years outside 0000-9999, -YYYY
 *             and YYYYY (JS misreads those; we read them back as written)
 *   time      optional: ('T' | 't' | ' ') HH:MM[:SS[.f+]]   (f: 1 or more digits, read
 *             as V8 reads them: up to 9 digits give the exact truncated milliseconds;
 *             V8's quirk with 10+ digits and leading zeros, ".0123456789" -> 123 ms, is
 *             kept so that the result always equals new Date(s));
 *             24:00[:00[.000]] means midnight at the end of the day
 *   offset    optional, may be preceded by spaces when a time is present:
 *             'Z' | 'z' | (+|-)HH:MM | (+|-)HHMM   (HH 00-23, MM 00-59)
 * Missing offset means UTC (JS: date-only = UTC, date-time = local time; see the TZ
 * policy above). Rejects impossible dates (2023-02-30, 2023-13-01, 25:00, 10:60,
 * seconds 60) -- stricter than V8, which rolls 2023-02-30 over to March 2 -- and
 * anything else (use sq_date_parse_js for JS's legacy formats).
 * Returns 0 and milliseconds since the epoch in *ms, or -1 if invalid. */
int sq_date_parse(const char *s, size_t n, long long *ms);

/* Parse exactly as JS's Date.parse / new Date(string) does in V8 11.x (Node 20+),
 * including the legacy formats ("March 7, 2020", "2020/03/07 10:00 PM",
 * "Tue Mar 07 2020 10:00:00 GMT+0100 (CET)", "7 Mar 2020", "1" -> 2001-01-01, ...)
 * and V8's day roll-over (2023-02-30 -> 2023-03-02). A port of V8's DateParser; the
 * only deviation is the TZ policy above (local time is taken to be UTC). Ill-formed
 * UTF-8 is read as U+FFFD, as Buffer#toString would.
 * Returns 0 and *ms, or -1 where Date.parse gives NaN. */
int sq_date_parse_js(const char *s, size_t n, long long *ms);

/* Parse as moment(string) does (moment 2.x, which Sequelize runs on a where value of a
 * DATE and on every DATEONLY value): "/Date(ms)/"; moment's ISO-8601 shapes, basic and
 * extended, week and ordinal dates included ("20240305", "2024-W10-2", "2024-065",
 * "2024-03-05T10", "10:20:30,5", offsets "+02", "+0200", "+02:00"), with moment's overflow
 * checks (2024-02-30, 24:01, week 53 of a 52-week year, an offset past +14:00 / -12:00 are
 * invalid, where Date rolls the day over); anything else as sq_date_parse_js (moment
 * falls back to new Date(string)). Local time is UTC.
 * Returns 0 and *ms, or -1 where moment gives an invalid date. */
int sq_date_parse_moment(const char *s, size_t n, long long *ms);

/* Format ms since the epoch in the storage form, as Sequelize's
 * moment(date).format('YYYY-MM-DD HH:mm:ss.SSS Z') in UTC:
 * "2023-09-18 07:56:40.205 +00:00". Years are zero-filled to 4 digits, with '-' for
 * negative years and no '+' above 9999, as moment prints them ("-0001-01-01 ...",
 * "10000-01-01 ..."). `out` must hold 32 bytes; it is NUL-terminated. Returns the
 * length (30 for years 0000-9999, 31 for -9999..-0001 and 10000..99999), or -1 if the
 * year is outside -9999..99999 (moment's text would not fit in 32 bytes). */
int sq_date_format_storage(long long ms, char *out);

/* Format ms since the epoch as JS's Date.prototype.toISOString:
 * "2023-09-18T07:56:40.205Z" (years outside 0000-9999: "+010000-01-01T...",
 * "-000001-..."). `out` must hold 32 bytes; NUL-terminated. Returns the length (24 for
 * years 0000-9999, 27 otherwise), or -1 if |ms| > SQ_DATE_MAX_MS (JS throws). */
int sq_date_format_iso(long long ms, char *out);

/* Convert a stored DATE string to ISO form. Fast path (no arithmetic) when `s` is
 * exactly the storage form with a +00:00 offset and valid fields; otherwise
 * sq_date_parse, then sq_date_parse_js, then sq_date_format_iso. `out` must hold 32
 * bytes. Returns the length, or -1 if `s` is not a date. */
int sq_date_storage_to_iso(const char *s, size_t n, char *out);

/* DATEONLY: validate and normalise to "YYYY-MM-DD". Accepts "YYYY-MM-DD" (a real
 * calendar date, year 0000-9999) or anything sq_date_parse_moment accepts, keeping the UTC
 * date part. `out` must hold 11 bytes; NUL-terminated. Returns 10, or -1 if invalid or
 * the year is outside 0000-9999. */
int sq_dateonly_normalise(const char *s, size_t n, char *out);

/* Current time in ms since the epoch (clock_gettime(CLOCK_REALTIME)). */
long long sq_now_ms(void);
/* A monotonic clock in ms (CLOCK_MONOTONIC): elapsed times (benchmark logging). */
long long sq_mono_ms(void);

/* UUID v4 text, lowercase, 36 chars + NUL, from 16 random bytes the caller supplies.
 * Sets the version nibble (4) and the RFC 4122 variant bits (10xx). */
void sq_uuid_v4_format(const unsigned char rnd[16], char out[37]);

/* Calendar helpers (proleptic Gregorian), for the core. */
/* Days since 1970-01-01 of y-m-d (m 1-12, d may be any value: it is added). */
long long sq_days_from_civil(long long y, int m, int d);
/* Inverse: split days since 1970-01-01 into year, month (1-12), day (1-31). */
void sq_civil_from_days(long long days, long long *y, int *m, int *d);
/* Days in month m (1-12) of year y. */
int sq_days_in_month(long long y, int m);

/* Number text as SQLite reads it into a number (INTEGER affinity, arithmetic on text):
 * ASCII spaces around, an optional sign, then decimal digits (SQ_NUM_INT: exact in *iv) or
 * a decimal number, digits [. digits] [e [sign] digits] (SQ_NUM_REAL: *dv, finite).
 * 0 for any other text: hex, inf, nan, an integer beyond 64 bits (an overflowing decimal
 * is SQ_NUM_REAL only with a '.' or an exponent). */
enum { SQ_NUM_NONE = 0, SQ_NUM_INT = 1, SQ_NUM_REAL = 2 };
int sq_number_text(const char *s, size_t n, long long *iv, double *dv);

/* Decode one code point at s[*i] (i < n) and advance *i; ill-formed sequences give U+FFFD. */
unsigned sq_utf8_decode(const unsigned char *s, size_t n, size_t *i);

#endif
