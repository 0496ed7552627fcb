#!/usr/bin/env bash
# bench/run.sh: the "blog" benchmark (../shared/WORKLOAD.md), sequelua against its floor.
#
#   bench/run.sh                      N=10000, 3 runs of each, Lua 5.4
#   N=2000 RUNS=5 LUA=luajit bench/run.sh
#
# Builds the C core (make build) and bench/raw_blog.c (cc -O2 ... -lsqlite3, into build/),
# then runs the raw C floor and bench/blog.lua alternately, RUNS times each, measuring each
# run's peak RSS (/usr/bin/time -f %M; without it, VmHWM polled from /proc). Where they are
# usable it adds, in the same rounds:
#   - LuaSQL: ../shared/bench/luasql_blog.lua, hand-written Lua on LuaSQL (needs the Debian
#     package lua-sql-sqlite3); the issue's peak-RSS target is measured against it;
#   - Sequelize: ../shared/bench/sequelize_blog.js under node, from a directory holding its
#     node_modules (SEQUELIZE_DIR, /tmp/blog, or ../shared/bench). Nothing is npm-installed
#     here; see ../shared/bench/README.md. Its npm sqlite3 bundles a newer SQLite.
# Prints per phase the median ms of each, sequelua/floor (target <= 2.0 on P1-P7), and
# Sequelize/sequelua (target >= 10 on P1-P4, P6, P7); then peak RSS, sequelua's check JSON
# and whether every run's check equals the floor's.
#
# Env: N (10000), RUNS (3), LUA (lua5.4 | luajit), TIMEOUT_S (900 per run),
#      LUASQL=0 / SEQUELIZE=0 to skip those columns, SEQUELIZE_DIR, OUT (result directory).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$ROOT/../shared" 2>/dev/null && pwd || true)
N=${N:-10000}
RUNS=${RUNS:-3}
LUA=${LUA:-lua5.4}
TIMEOUT_S=${TIMEOUT_S:-900}
OUT=${OUT:-$ROOT/build/bench}
export N

case "$LUA" in
  *luajit*) CPATH_DIR=$ROOT/build/jit ;;
  *) CPATH_DIR=$ROOT/build/5.4 ;;
esac
LUA_PATH_SEQ="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;"
LUA_CPATH_SEQ="$CPATH_DIR/?.so;;"

echo "== building" >&2
make -s -C "$ROOT" build >&2
mkdir -p "$ROOT/build"
cc -O2 -Wall -Wextra -o "$ROOT/build/raw_blog" "$ROOT/bench/raw_blog.c" -lsqlite3

# Which implementations run: a label each, and its command in the array CMD_<label>.
IMPLS=(raw_c sequelua)
CMD_raw_c=("$ROOT/build/raw_blog")
CMD_sequelua=(env "LUA_PATH=$LUA_PATH_SEQ" "LUA_CPATH=$LUA_CPATH_SEQ" "$LUA" "$ROOT/bench/blog.lua")

if [ "${LUASQL:-1}" != 0 ] && [ -f "$SHARED/bench/luasql_blog.lua" ] &&
   env -u LUA_PATH -u LUA_CPATH lua5.4 -e 'require("luasql.sqlite3")' >/dev/null 2>&1; then
  IMPLS+=(luasql)
  CMD_luasql=(env -u LUA_PATH -u LUA_CPATH lua5.4 "$SHARED/bench/luasql_blog.lua")
fi

if [ "${SEQUELIZE:-1}" != 0 ] && command -v node >/dev/null 2>&1; then
  for d in ${SEQUELIZE_DIR:-} /tmp/blog "$SHARED/bench"; do
    [ -n "$d" ] && [ -f "$d/sequelize_blog.js" ] && [ -d "$d/node_modules/sequelize" ] || continue
    if (cd "$d" && node -e 'require("sequelize"); require("sqlite3")') >/dev/null 2>&1; then
      IMPLS+=(sequelize)
      CMD_sequelize=(node "$d/sequelize_blog.js")
      break
    fi
  done
fi

HAVE_TIME=0
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && HAVE_TIME=1

# run_one LABEL ROUND: one run; its output is kept in $OUT/LABEL.ROUND.{out,err,rss}, its
# JSON line appended to $OUT/LABEL.jsonl and its peak RSS (kB) to $OUT/LABEL.rsslist.
run_one() {
  local label=$1 round=$2 out="$OUT/$1.$2.out" rss="$OUT/$1.$2.rss" rc=0
  local -n cmd="CMD_$label"
  if [ $HAVE_TIME = 1 ]; then
    /usr/bin/time -f %M -o "$rss" timeout "$TIMEOUT_S" "${cmd[@]}" > "$out" 2> "$OUT/$label.$round.err" || rc=$?
  else
    # no GNU time: poll the process's high-water mark (misses growth in its last ~20 ms);
    # every command is exec'd (env execs), so $! is the measured process itself
    "${cmd[@]}" > "$out" 2> "$OUT/$label.$round.err" &
    local pid=$! hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && hwm=$v
      sleep 0.02
    done
    wait "$pid" || rc=$?
    echo "$hwm" > "$rss"
  fi
  if [ $rc -ne 0 ] || ! grep -q '^{"impl"' "$out"; then
    echo "!! $label run $round failed (exit $rc):" >&2
    tail -n 20 "$OUT/$label.$round.err" >&2
    return 1
  fi
  grep '^{"impl"' "$out" | tail -n 1 >> "$OUT/$label.jsonl"
  tail -n 1 "$rss" | tr -dc '0-9' >> "$OUT/$label.rsslist"
  echo >> "$OUT/$label.rsslist"
}

mkdir -p "$OUT"
for label in raw_c sequelua luasql sequelize; do  # only this script's own files
  rm -f "$OUT/$label.jsonl" "$OUT/$label.rsslist" "$OUT/$label".*.out "$OUT/$label".*.err "$OUT/$label".*.rss
done
echo "== N=$N RUNS=$RUNS LUA=$LUA: ${IMPLS[*]} (alternating)" >&2
for ((r = 1; r <= RUNS; r++)); do
  for label in "${IMPLS[@]}"; do
    t0=$(date +%s%N)
    run_one "$label" "$r" || exit 1
    t1=$(date +%s%N)
    printf '   run %d %-10s %6d ms\n' "$r" "$label" $(((t1 - t0) / 1000000)) >&2
  done
done

# Medians, ratios and checks (plain Lua 5.4/5.1 code, patterns only).
lua5.4 - "$OUT" "$N" "$RUNS" "$LUA" "$HAVE_TIME" "${IMPLS[@]}" <<'LUA'
local out, N, RUNS, LUA, have_time = arg[1], arg[2], arg[3], arg[4], arg[5]
local impls = {}
for i = 6, #arg do impls[#impls + 1] = arg[i] end
local present = {}
for _, l in ipairs(impls) do present[l] = true end
local PH = { "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7" }

local function lines(path)
  local t = {}
  local f = io.open(path)
  if not f then return t end
  for l in f:lines() do if l ~= "" then t[#t + 1] = l end end
  f:close()
  return t
end
local function median(xs)
  local s = {}
  for i, x in ipairs(xs) do s[i] = x end
  table.sort(s)
  local n = #s
  if n == 0 then return nil end
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end

local data = {}
for _, l in ipairs(impls) do
  local d = { runs = {}, checks = {}, rss = {} }
  for _, line in ipairs(lines(out .. "/" .. l .. ".jsonl")) do
    local r = { sqlite = line:match('"sqlite":"([^"]*)"') }
    for _, p in ipairs(PH) do r[p] = tonumber(line:match('"' .. p .. '":([%d.]+)[,}]')) end
    r.total = 0
    for i = 2, 8 do r.total = r.total + (r[PH[i]] or 0) end
    d.runs[#d.runs + 1] = r
    d.checks[#d.checks + 1] = line:match('"check":(%b{})')
    d.sqlite = r.sqlite
  end
  for _, v in ipairs(lines(out .. "/" .. l .. ".rsslist")) do d.rss[#d.rss + 1] = tonumber(v) end
  d.med = {}
  for _, p in ipairs({ "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "total" }) do
    local xs = {}
    for _, r in ipairs(d.runs) do xs[#xs + 1] = r[p] end
    d.med[p] = median(xs)
  end
  data[l] = d
end

local floor, seq, lsql, sz = data.raw_c, data.sequelua, data.luasql, data.sequelize
local function f1(x) return x and string.format("%.1f", x) or "-" end
local function ratio(a, b) return (a and b and b > 0) and string.format("%.2f", a / b) or "-" end

local head = { "phase", "raw C ms", "sequelua ms", "sequelua/floor" }
if lsql then head[#head + 1] = "LuaSQL ms"; head[#head + 1] = "LuaSQL/floor" end
if sz then head[#head + 1] = "Sequelize ms"; head[#head + 1] = "Sequelize/sequelua" end
local rows = { head }
for _, p in ipairs({ "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "total" }) do
  local label = p == "total" and "P1-P7" or p
  local r = { label, f1(floor.med[p]), f1(seq.med[p]), ratio(seq.med[p], floor.med[p]) }
  if p ~= "P0" and p ~= "total" and seq.med[p] and floor.med[p] and seq.med[p] / floor.med[p] > 2.0 then
    r[4] = r[4] .. " >2"
  end
  if lsql then r[#r + 1] = f1(lsql.med[p]); r[#r + 1] = ratio(lsql.med[p], floor.med[p]) end
  if sz then r[#r + 1] = f1(sz.med[p]); r[#r + 1] = ratio(sz.med[p], seq.med[p]) end
  rows[#rows + 1] = r
end
local function mb(d)
  local m = d and median(d.rss)
  if not m then return "-" end
  local mx = math.max(table.unpack(d.rss))
  return string.format("%.1f MB (max %.1f)", m / 1024, mx / 1024)
end
local rss_row = { "peak RSS", mb(floor), mb(seq), ratio(median(seq.rss), median(floor.rss)) }
if lsql then rss_row[#rss_row + 1] = mb(lsql); rss_row[#rss_row + 1] = "seq/LuaSQL " .. ratio(median(seq.rss), median(lsql.rss)) end
if sz then rss_row[#rss_row + 1] = mb(sz); rss_row[#rss_row + 1] = ratio(median(sz.rss), median(seq.rss)) end
rows[#rows + 1] = rss_row

-- Markdown table
local widths = {}
for _, r in ipairs(rows) do
  for i, c in ipairs(r) do widths[i] = math.max(widths[i] or 0, #c) end
end
local function fmt(r)
  local cells = {}
  for i, c in ipairs(r) do
    cells[i] = i == 1 and c .. string.rep(" ", widths[i] - #c) or string.rep(" ", widths[i] - #c) .. c
  end
  return "| " .. table.concat(cells, " | ") .. " |"
end
print(string.format("blog workload, N=%s, medians of %s runs each (alternating), sequelua on %s", N, RUNS, LUA))
local vs = {}
for _, l in ipairs(impls) do vs[#vs + 1] = l .. " " .. tostring(data[l].sqlite) end
print("SQLite: " .. table.concat(vs, ", "))
print("peak RSS: " .. (have_time == "1" and "/usr/bin/time -f %M" or "VmHWM polled from /proc") ..
  ", median of the runs; ratio columns on that row are sequelua/floor" ..
  (lsql and ", sequelua/LuaSQL" or "") .. (sz and ", Sequelize/sequelua" or ""))
print("")
print(fmt(rows[1]))
local sep = {}
for i = 1, #widths do sep[i] = (i == 1 and ":" or "") .. string.rep("-", widths[i] - 1) .. (i > 1 and ":" or "") end
print("|" .. table.concat((function() local t = {} for i, s in ipairs(sep) do t[i] = " " .. s .. " " end return t end)(), "|") .. "|")
for i = 2, #rows do print(fmt(rows[i])) end
print("")

-- checks
local ref = floor.checks[1]
print("sequelua check: " .. tostring(seq.checks[1]))
for _, l in ipairs(impls) do
  local d = data[l]
  local same = #d.checks == tonumber(RUNS)
  for _, c in ipairs(d.checks) do if c ~= ref then same = false end end
  print(string.format("%-10s check %s the floor's (%d runs)", l, same and "equals" or "DIFFERS FROM", #d.checks))
end
print("")
local miss = {}
for i = 2, 8 do
  local p = PH[i]
  local rr = seq.med[p] / floor.med[p]
  if rr > 2.0 then miss[#miss + 1] = string.format("%s %.2f", p, rr) end
end
print("sequelua/floor > 2.0 (target <= 2.0 on P1-P7): " .. (#miss > 0 and table.concat(miss, ", ") or "none"))
if sz then
  local miss2 = {}
  for _, p in ipairs({ "P1", "P2", "P3", "P4", "P6", "P7" }) do
    local rr = sz.med[p] / seq.med[p]
    if rr < 10 then miss2[#miss2 + 1] = string.format("%s %.1f", p, rr) end
  end
  print("Sequelize/sequelua < 10 (target >= 10 on P1-P4, P6, P7): " .. (#miss2 > 0 and table.concat(miss2, ", ") or "none"))
end
if lsql then
  print(string.format("peak RSS sequelua/LuaSQL (target <= 1.5): %s", ratio(median(seq.rss), median(lsql.rss))))
end
print("raw JSON lines and RSS: " .. out)
LUA
