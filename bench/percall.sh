#!/usr/bin/env bash
# bench/percall.sh OP [N]: instructions per call of bench/percall.lua's OP under callgrind
# (a run with N=0 subtracted), then the same split by object (lua, core.so, sqlite, libc,
# malloc). LUA=luajit for LuaJIT. Needs valgrind and python3; make build first.
# The Debian lua5.4 binary is stripped: for the Lua VM's own functions by name, link a host
# against /usr/lib/x86_64-linux-gnu/liblua5.4.a (luaL_dofile of the script, -Wl,-E) and pass
# it as LUA.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OP=${1:?usage: bench/percall.sh OP [N]}; N=${2:-2000}; LUA=${LUA:-lua5.4}
case "$N" in ''|*[!0-9]*|0) echo "N must be a positive integer" >&2; exit 2 ;; esac
case "$LUA" in *jit*) CP=$ROOT/build/jit ;; *) CP=$ROOT/build/5.4 ;; esac
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ir() {
  LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;" LUA_CPATH="$CP/?.so;;" OP=$OP N=$1 \
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$1" "$LUA" "$ROOT/bench/percall.lua" 2>&1 |
    grep -o 'Collected : [0-9]*' | grep -o '[0-9]*'
}
a=$(ir 0); b=$(ir "$N")
split=$(python3 - "$OUT/cg.0" "$OUT/cg.$N" "$N" <<'PY'
import sys, subprocess, re
def load(f):
    out = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", f],
                         capture_output=True, text=True).stdout
    d = {}
    for line in out.splitlines():
        m = re.match(r'\s*([\d,]+) \([^)]*\)\s+(\S.*?) \[(.*)\]$', line)
        if m:
            o = m.group(3).split('/')[-1]
            if re.search(r'malloc|free|realloc', m.group(2)): o = 'malloc'
            d[o] = d.get(o, 0) + int(m.group(1).replace(',', ''))
    return d
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
print("  ".join("%s=%d" % (k, (b[k] - a.get(k, 0)) / n)
                for k in sorted(b, key=lambda k: -(b[k] - a.get(k, 0))) if (b[k] - a.get(k, 0)) / n > 100))
PY
)
echo "$OP $(( (b - a) / N ))   $split"
