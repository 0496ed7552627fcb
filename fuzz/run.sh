#!/bin/sh
# fuzz/run.sh: build and run the libFuzzer harnesses of the C core (clang, ASan + UBSan).
#
#   fuzz/run.sh           build, then fuzz each harness for FUZZ_SECONDS (default 60) seconds,
#                         starting from fuzz/corpus/<name> (new inputs go to build/fuzz/corpus-<name>,
#                         crashes to build/fuzz/<name>-crash-*)
#   fuzz/run.sh replay    build, then run every input of fuzz/corpus/<name> once (fast; what
#                         `make test` calls); prints TAP lines, exits non-zero on a failure
#   fuzz/run.sh build     build only
#
# Harnesses: fuzz_json (csrc/json.c, csrc/buf.c) and fuzz_where (the where compiler and the
# statement builders, csrc/where.c and csrc/query.c, on a model built in C).
# Needs clang and libclang-rt-14-dev (Debian); installed with apt-get when missing and root.
set -u
cd "$(dirname "$0")/.." || exit 1
MODE=${1:-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CLANG=${CLANG:-clang}
OUT=build/fuzz
CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Icsrc"
JSON_SRC="fuzz/fuzz_json.c csrc/json.c csrc/buf.c"
WHERE_SRC="fuzz/fuzz_where.c csrc/buf.c csrc/arena.c csrc/err.c csrc/db.c csrc/model.c csrc/association.c \
csrc/inflect.c csrc/dialect_sqlite.c csrc/where.c csrc/query.c csrc/sync.c csrc/value.c csrc/json.c csrc/validate.c csrc/jsre.c"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

need_tools() {
  if command -v "$CLANG" >/dev/null 2>&1 && echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' \
     | "$CLANG" -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
    return 0
  fi
  echo "fuzz/run.sh: clang with libFuzzer is missing; installing clang libclang-rt-14-dev" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang libclang-rt-14-dev >/dev/null \
    || { echo "fuzz/run.sh: could not install clang and libclang-rt-14-dev" >&2; exit 2; }
}

# build <name> <sources...>: rebuild when a source or header is newer than the binary
build() {
  name=$1; shift
  bin=$OUT/$name
  stale=0
  [ -x "$bin" ] || stale=1
  if [ $stale = 0 ]; then
    for f in "$@" csrc/*.h; do [ "$f" -nt "$bin" ] && stale=1; done
  fi
  if [ $stale = 1 ]; then
    echo "building $bin"
    # shellcheck disable=SC2086
    "$CLANG" $CFLAGS -o "$bin" "$@" -lsqlite3 -lm || { echo "fuzz/run.sh: build of $name failed" >&2; exit 1; }
  fi
}

need_tools
mkdir -p "$OUT"
# shellcheck disable=SC2086
build fuzz_json $JSON_SRC
# shellcheck disable=SC2086
build fuzz_where $WHERE_SRC

status=0
case $MODE in
  build) ;;
  replay)
    n=0
    for name in fuzz_json fuzz_where; do
      n=$((n + 1))
      dir=fuzz/corpus/${name#fuzz_}
      count=$(ls "$dir" | wc -l)
      if "$OUT/$name" -runs=0 "$dir" > "$OUT/$name.replay.log" 2>&1; then
        echo "ok $n - $name replays its corpus ($count inputs)"
      else
        echo "not ok $n - $name replays its corpus ($count inputs)"
        grep -a -v '^INFO\|^#' "$OUT/$name.replay.log" | head -n 40
        status=1
      fi
    done
    ;;
  fuzz)
    for name in fuzz_json fuzz_where; do
      seeds=fuzz/corpus/${name#fuzz_}
      work=$OUT/corpus-${name#fuzz_}
      mkdir -p "$work"
      echo "== $name: ${FUZZ_SECONDS}s from $seeds"
      if "$OUT/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
           -print_final_stats=1 -artifact_prefix="$OUT/${name#fuzz_}-" "$work" "$seeds" > "$OUT/$name.log" 2>&1; then
        grep -a -E '^Done|stat::new_units_added|stat::peak_rss_mb' "$OUT/$name.log"
      else
        echo "$name FAILED (see $OUT/$name.log):"
        grep -a -v '^INFO\|^#\|^"\|NEW_FUNC' "$OUT/$name.log" | grep -a -v '^    #[0-9]' | head -n 40
        status=1
      fi
    done
    ;;
  *) echo "usage: fuzz/run.sh [fuzz|replay|build]" >&2; exit 2 ;;
esac
exit $status
