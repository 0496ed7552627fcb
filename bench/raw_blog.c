/*
 * bench/raw_blog.c: sequelua's own floor for the "blog" workload
 * (../shared/WORKLOAD.md). It runs the SQL that Sequelize runs (and that
 * sequelua runs, bench/blog.lua) straight through the sqlite3 C API: the same
 * schema, prepared statements with bound parameters, one prepared single-row
 * INSERT stepped per row inside one transaction for P1, and every result row
 * stepped with every column read (into a checksum sink) but no objects built.
 * It is what sequelua's per-phase times are divided by in bench/run.sh; the
 * issue's target is sequelua/floor <= 2.0 on P1-P7.
 *
 * Derived from ../shared/bench/raw_blog.c and kept equivalent to it (same
 * statements, same loops, same checks), so the two floors time the same work.
 *
 *   cc -O2 -o build/raw_blog bench/raw_blog.c -lsqlite3
 *   N=10000 build/raw_blog                       [DB=/tmp/raw_blog.db]
 *
 * Prints one JSON line: {"impl":"raw_c","N","sqlite","P0".."P7" (ms),
 * "check": {...}, "sink"} with the same checks as Sequelize for the same N.
 * Times are CLOCK_MONOTONIC wall-clock milliseconds per phase.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TAGS 50
#define POSTS_PER_USER 5
#define P7_REPEAT 1000

static sqlite3 *db;
static long long N;
static unsigned long long sink; /* everything read goes in here */

static void die(const char *what) {
  fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
  exit(1);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sequelize's sqlite DATETIME text: 2024-01-02 03:04:05.678 +00:00 */
static void stamp(char out[64]) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d.%03ld +00:00", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

static void exec(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "exec %s: %s\n", sql, err);
    exit(1);
  }
}

static sqlite3_stmt *prep(const char *sql) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) die(sql);
  return s;
}

/* Read every column of the current row. */
static void read_row(sqlite3_stmt *s) {
  int n = sqlite3_column_count(s);
  for (int i = 0; i < n; i++) {
    switch (sqlite3_column_type(s, i)) {
      case SQLITE_INTEGER: sink += (unsigned long long)sqlite3_column_int64(s, i); break;
      case SQLITE_FLOAT: sink += (unsigned long long)sqlite3_column_double(s, i); break;
      case SQLITE_TEXT: {
        const unsigned char *t = sqlite3_column_text(s, i);
        int len = sqlite3_column_bytes(s, i);
        sink += (unsigned long long)len + (len ? t[len - 1] : 0);
        break;
      }
      case SQLITE_BLOB: sink += (unsigned long long)sqlite3_column_bytes(s, i); break;
      default: break; /* NULL */
    }
  }
}

static int step(sqlite3_stmt *s) {
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) die("step");
  return rc == SQLITE_ROW;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v) {
  sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static void tags_of(long long p, int *t1, int *t2) {
  *t1 = (int)(p % TAGS) + 1;
  *t2 = (int)((p * 7) % TAGS) + 1;
  if (*t2 == *t1) *t2 = (*t1 % TAGS) + 1;
}

static const char *DDL[] = {
    "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `username` VARCHAR(255), `email` VARCHAR(255), `password` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
    "CREATE TABLE IF NOT EXISTS `Profiles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `bio` TEXT, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
    "CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255), `body` TEXT, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
    "CREATE TABLE IF NOT EXISTS `Tags` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
    "CREATE TABLE IF NOT EXISTS `PostTags` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `PostId` INTEGER NOT NULL REFERENCES `Posts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `TagId` INTEGER NOT NULL REFERENCES `Tags` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (`PostId`, `TagId`));",
};

#define USER_COLS "`User`.`id`, `User`.`username`, `User`.`email`, `User`.`password`, `User`.`createdAt`, `User`.`updatedAt`"
#define PROFILE_JOIN \
  ", `Profile`.`id` AS `Profile.id`, `Profile`.`bio` AS `Profile.bio`, `Profile`.`createdAt` AS `Profile.createdAt`, `Profile`.`updatedAt` AS `Profile.updatedAt`, `Profile`.`UserId` AS `Profile.UserId` FROM `Users` AS `User` LEFT OUTER JOIN `Profiles` AS `Profile` ON `User`.`id` = `Profile`.`UserId`"

static const char *SQL_P2 = "SELECT " USER_COLS PROFILE_JOIN ";";
static const char *SQL_P5 = "SELECT " USER_COLS PROFILE_JOIN " WHERE `User`.`id` = ?;";
static const char *SQL_P3 =
    "SELECT " USER_COLS ", `Posts`.`id` AS `Posts.id`, `Posts`.`title` AS `Posts.title`, `Posts`.`body` AS `Posts.body`, `Posts`.`createdAt` AS `Posts.createdAt`, `Posts`.`updatedAt` AS `Posts.updatedAt`, `Posts`.`UserId` AS `Posts.UserId` FROM `Users` AS `User` LEFT OUTER JOIN `Posts` AS `Posts` ON `User`.`id` = `Posts`.`UserId`;";
static const char *SQL_P4 =
    "SELECT `Post`.`id`, `Post`.`title`, `Post`.`body`, `Post`.`createdAt`, `Post`.`updatedAt`, `Post`.`UserId`, `User`.`id` AS `User.id`, `User`.`username` AS `User.username`, `User`.`email` AS `User.email`, `User`.`password` AS `User.password`, `User`.`createdAt` AS `User.createdAt`, `User`.`updatedAt` AS `User.updatedAt`, `Tags`.`id` AS `Tags.id`, `Tags`.`name` AS `Tags.name`, `Tags`.`createdAt` AS `Tags.createdAt`, `Tags`.`updatedAt` AS `Tags.updatedAt`, `Tags->PostTags`.`createdAt` AS `Tags.PostTags.createdAt`, `Tags->PostTags`.`updatedAt` AS `Tags.PostTags.updatedAt`, `Tags->PostTags`.`PostId` AS `Tags.PostTags.PostId`, `Tags->PostTags`.`TagId` AS `Tags.PostTags.TagId` FROM `Posts` AS `Post` LEFT OUTER JOIN `Users` AS `User` ON `Post`.`UserId` = `User`.`id` LEFT OUTER JOIN ( `PostTags` AS `Tags->PostTags` INNER JOIN `Tags` AS `Tags` ON `Tags`.`id` = `Tags->PostTags`.`TagId`) ON `Post`.`id` = `Tags->PostTags`.`PostId`;";
static const char *SQL_P6_SELECT =
    "SELECT `id`, `username`, `email`, `password`, `createdAt`, `updatedAt` FROM `Users` AS `User`;";
static const char *SQL_P6_UPDATE = "UPDATE `Users` SET `email`=?,`updatedAt`=? WHERE `id` = ?";
static const char *SQL_P6_VERIFY =
    "SELECT count(*) AS `count` FROM `Users` AS `User` WHERE `User`.`email` LIKE '%@example.org';";
static const char *SQL_P7_COUNT = "SELECT count(*) AS `count` FROM `Users` AS `User`;";
static const char *SQL_P7_POSTS =
    "SELECT `id`, `title`, `body`, `createdAt`, `updatedAt`, `UserId` FROM `Posts` AS `Post` WHERE `Post`.`id` > ? ORDER BY `Post`.`id` DESC LIMIT 100;";

int main(void) {
  const char *n_env = getenv("N");
  N = n_env ? atoll(n_env) : 10000;
  char dbpath[512];
  const char *db_env = getenv("DB");
  if (db_env) snprintf(dbpath, sizeof dbpath, "%s", db_env);
  else snprintf(dbpath, sizeof dbpath, "/tmp/raw_blog_%d.db", (int)getpid());
  const char *exts[] = {"", "-journal", "-wal", "-shm"};
  char tmp[600];
  for (int i = 0; i < 4; i++) { snprintf(tmp, sizeof tmp, "%s%s", dbpath, exts[i]); unlink(tmp); }

  if (sqlite3_open(dbpath, &db) != SQLITE_OK) die("open");
  exec("PRAGMA foreign_keys = ON;"); /* what Sequelize's sqlite connection does */

  double ms[8];
  char check[8][256];
  char ts[64], buf1[128], buf2[128], buf3[128];
  double t0;

  /* P0 sync */
  t0 = now_ms();
  for (size_t i = 0; i < sizeof DDL / sizeof *DDL; i++) exec(DDL[i]);
  ms[0] = now_ms() - t0;
  {
    sqlite3_stmt *s = prep("SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'");
    step(s);
    snprintf(check[0], 256, "{\"tables\":%lld}", (long long)sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
  }

  /* P1 bulk insert in one transaction */
  t0 = now_ms();
  {
    long long users = 0, profiles = 0, posts = 0, tags = 0, links = 0;
    exec("BEGIN DEFERRED TRANSACTION;");
    sqlite3_stmt *iu = prep("INSERT INTO `Users` (`id`,`username`,`email`,`password`,`createdAt`,`updatedAt`) VALUES (NULL,?,?,?,?,?);");
    sqlite3_stmt *ip = prep("INSERT INTO `Profiles` (`id`,`bio`,`createdAt`,`updatedAt`,`UserId`) VALUES (NULL,?,?,?,?);");
    sqlite3_stmt *io = prep("INSERT INTO `Posts` (`id`,`title`,`body`,`createdAt`,`updatedAt`,`UserId`) VALUES (NULL,?,?,?,?,?);");
    sqlite3_stmt *it = prep("INSERT INTO `Tags` (`id`,`name`,`createdAt`,`updatedAt`) VALUES (NULL,?,?,?);");
    sqlite3_stmt *il = prep("INSERT INTO `PostTags` (`createdAt`,`updatedAt`,`PostId`,`TagId`) VALUES (?,?,?,?);");
    stamp(ts);
    for (long long i = 1; i <= N; i++) {
      snprintf(buf1, sizeof buf1, "user%lld", i);
      snprintf(buf2, sizeof buf2, "user%lld@example.com", i);
      snprintf(buf3, sizeof buf3, "password%lld", i);
      bind_text(iu, 1, buf1); bind_text(iu, 2, buf2); bind_text(iu, 3, buf3);
      bind_text(iu, 4, ts); bind_text(iu, 5, ts);
      step(iu); sqlite3_reset(iu); users++;
    }
    stamp(ts);
    for (long long i = 1; i <= N; i++) {
      snprintf(buf1, sizeof buf1, "bio of user%lld", i);
      bind_text(ip, 1, buf1); bind_text(ip, 2, ts); bind_text(ip, 3, ts);
      sqlite3_bind_int64(ip, 4, i);
      step(ip); sqlite3_reset(ip); profiles++;
    }
    stamp(ts);
    for (long long i = 1; i <= N; i++) {
      for (int k = 1; k <= POSTS_PER_USER; k++) {
        long long p = (i - 1) * POSTS_PER_USER + k;
        snprintf(buf1, sizeof buf1, "post %lld", p);
        snprintf(buf2, sizeof buf2, "body of post %lld by user%lld", p, i);
        bind_text(io, 1, buf1); bind_text(io, 2, buf2); bind_text(io, 3, ts); bind_text(io, 4, ts);
        sqlite3_bind_int64(io, 5, i);
        step(io); sqlite3_reset(io); posts++;
      }
    }
    stamp(ts);
    for (int t = 1; t <= TAGS; t++) {
      snprintf(buf1, sizeof buf1, "tag%d", t);
      bind_text(it, 1, buf1); bind_text(it, 2, ts); bind_text(it, 3, ts);
      step(it); sqlite3_reset(it); tags++;
    }
    stamp(ts);
    for (long long p = 1; p <= N * POSTS_PER_USER; p++) {
      int tt[2];
      tags_of(p, &tt[0], &tt[1]);
      for (int j = 0; j < 2; j++) {
        bind_text(il, 1, ts); bind_text(il, 2, ts);
        sqlite3_bind_int64(il, 3, p); sqlite3_bind_int64(il, 4, tt[j]);
        step(il); sqlite3_reset(il); links++;
      }
    }
    sqlite3_finalize(iu); sqlite3_finalize(ip); sqlite3_finalize(io);
    sqlite3_finalize(it); sqlite3_finalize(il);
    exec("COMMIT;");
    ms[1] = now_ms() - t0;
    snprintf(check[1], 256, "{\"users\":%lld,\"profiles\":%lld,\"posts\":%lld,\"tags\":%lld,\"post_tags\":%lld}",
             users, profiles, posts, tags, links);
  }

  /* P2 users + profile */
  t0 = now_ms();
  {
    long long users = 0, profiles = 0;
    sqlite3_stmt *s = prep(SQL_P2);
    while (step(s)) {
      read_row(s);
      users++;
      if (sqlite3_column_type(s, 6) != SQLITE_NULL &&
          sqlite3_column_int64(s, 10) == sqlite3_column_int64(s, 0)) profiles++;
    }
    sqlite3_finalize(s);
    ms[2] = now_ms() - t0;
    snprintf(check[2], 256, "{\"users\":%lld,\"profiles\":%lld}", users, profiles);
  }

  /* P3 users + posts (rows come grouped by user: the outer loop scans Users) */
  t0 = now_ms();
  {
    long long users = 0, posts = 0, last = -1;
    sqlite3_stmt *s = prep(SQL_P3);
    while (step(s)) {
      read_row(s);
      long long uid = sqlite3_column_int64(s, 0);
      if (uid != last) { users++; last = uid; }
      if (sqlite3_column_type(s, 6) != SQLITE_NULL) posts++;
    }
    sqlite3_finalize(s);
    ms[3] = now_ms() - t0;
    snprintf(check[3], 256, "{\"users\":%lld,\"posts\":%lld}", users, posts);
  }

  /* P4 posts + author + tags */
  t0 = now_ms();
  {
    long long posts = 0, authors = 0, tags = 0, last = -1;
    sqlite3_stmt *s = prep(SQL_P4);
    while (step(s)) {
      read_row(s);
      long long pid = sqlite3_column_int64(s, 0);
      if (pid != last) {
        posts++; last = pid;
        if (sqlite3_column_type(s, 6) != SQLITE_NULL &&
            sqlite3_column_int64(s, 6) == sqlite3_column_int64(s, 5)) authors++;
      }
      if (sqlite3_column_type(s, 12) != SQLITE_NULL) tags++;
    }
    sqlite3_finalize(s);
    ms[4] = now_ms() - t0;
    snprintf(check[4], 256, "{\"posts\":%lld,\"authors\":%lld,\"tags\":%lld}", posts, authors, tags);
  }

  /* P5 N point lookups with a fixed-seed 32-bit LCG */
  t0 = now_ms();
  {
    long long found = 0, profiles = 0, id_sum = 0;
    uint32_t st = 12345u;
    sqlite3_stmt *s = prep(SQL_P5);
    for (long long i = 0; i < N; i++) {
      st = st * 1664525u + 1013904223u;
      long long id = (long long)(st % (uint32_t)N) + 1;
      sqlite3_bind_int64(s, 1, id);
      if (step(s)) {
        read_row(s);
        found++;
        id_sum += sqlite3_column_int64(s, 0);
        if (sqlite3_column_type(s, 6) != SQLITE_NULL) profiles++;
        while (step(s)) read_row(s);
      }
      sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    ms[5] = now_ms() - t0;
    snprintf(check[5], 256, "{\"lookups\":%lld,\"found\":%lld,\"profiles\":%lld,\"id_sum\":%lld}",
             N, found, profiles, id_sum);
  }

  /* P6 update every user's email one by one in one transaction */
  t0 = now_ms();
  {
    long long updated = 0, verified = 0, cap = N > 0 ? N : 1, n = 0;
    long long *ids = malloc(sizeof *ids * cap);
    char (*names)[64] = malloc(sizeof *names * cap);
    exec("BEGIN DEFERRED TRANSACTION;");
    sqlite3_stmt *s = prep(SQL_P6_SELECT);
    while (step(s)) {
      read_row(s);
      if (n == cap) {
        cap *= 2;
        ids = realloc(ids, sizeof *ids * cap);
        names = realloc(names, sizeof *names * cap);
      }
      ids[n] = sqlite3_column_int64(s, 0);
      snprintf(names[n], 64, "%s", (const char *)sqlite3_column_text(s, 1));
      n++;
    }
    sqlite3_finalize(s);
    sqlite3_stmt *u = prep(SQL_P6_UPDATE);
    for (long long i = 0; i < n; i++) {
      snprintf(buf1, sizeof buf1, "%s@example.org", names[i]);
      stamp(ts);
      bind_text(u, 1, buf1); bind_text(u, 2, ts); sqlite3_bind_int64(u, 3, ids[i]);
      step(u); sqlite3_reset(u);
      updated += sqlite3_changes(db);
    }
    sqlite3_finalize(u);
    exec("COMMIT;");
    ms[6] = now_ms() - t0;
    s = prep(SQL_P6_VERIFY);
    step(s); verified = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    free(ids); free(names);
    snprintf(check[6], 256, "{\"updated\":%lld,\"verified\":%lld}", updated, verified);
  }

  /* P7 count + top-100 page, 1000 times */
  t0 = now_ms();
  {
    long long count_sum = 0, rows = 0, first_id = -1;
    sqlite3_stmt *c = prep(SQL_P7_COUNT);
    sqlite3_stmt *p = prep(SQL_P7_POSTS);
    for (int r = 0; r < P7_REPEAT; r++) {
      step(c); count_sum += sqlite3_column_int64(c, 0); sqlite3_reset(c);
      sqlite3_bind_int64(p, 1, N);
      while (step(p)) {
        read_row(p);
        if (first_id < 0) first_id = sqlite3_column_int64(p, 0);
        rows++;
      }
      sqlite3_reset(p);
    }
    sqlite3_finalize(c); sqlite3_finalize(p);
    ms[7] = now_ms() - t0;
    snprintf(check[7], 256, "{\"repeats\":%d,\"count_sum\":%lld,\"rows\":%lld,\"first_id\":%lld}",
             P7_REPEAT, count_sum, rows, first_id);
  }

  sqlite3_close(db);
  for (int i = 0; i < 4; i++) { snprintf(tmp, sizeof tmp, "%s%s", dbpath, exts[i]); unlink(tmp); }

  printf("{\"impl\":\"raw_c\",\"N\":%lld,\"sqlite\":\"%s\"", N, sqlite3_libversion());
  for (int i = 0; i < 8; i++) printf(",\"P%d\":%.1f", i, ms[i]);
  printf(",\"check\":{");
  for (int i = 0; i < 8; i++) printf("%s\"P%d\":%s", i ? "," : "", i, check[i]);
  printf("},\"sink\":%llu}\n", sink);
  return 0;
}
