#!/bin/sh
# usage: review/bench2.sh <tree> <tag> <rep>: inclusive and self Ir of read_rows / read_rows_inc
T=$1
for m in plain include alias aliasinc; do
  f=/tmp/rv25cg.$2.$m.$3
  LUA_PATH="$T/lua/?.lua;$T/lua/?/init.lua;;" LUA_CPATH="$T/build/5.4/?.so;;" \
    valgrind --tool=callgrind --callgrind-out-file=$f lua5.4 /work/rv25/review/bench_read.lua $m >/dev/null 2>&1
  fn=read_rows; case $m in *inc*|include) fn=read_rows_inc;; esac
  inc=$(callgrind_annotate --inclusive=yes $f 2>/dev/null | grep -E "bind_read.c:$fn \[" | awk '{print $1}')
  self=$(callgrind_annotate $f 2>/dev/null | grep -E "bind_read.c:$fn \[" | awk '{print $1}')
  echo "$2 $m rep$3 inclusive=$inc self=$self"
done
