# sequelua: `make demo` and `make test` install what is missing (Debian packages),
# build the C core for Lua 5.4 and LuaJIT, and run. See README.md.

CC      ?= gcc
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
BASE    := -std=gnu99 -fPIC -fvisibility=hidden $(WARN)
LIBS    := -lsqlite3 -lm

LUA54_INC  := -I/usr/include/lua5.4
LUAJIT_INC := -I/usr/include/luajit-2.1

CORE_SRC := csrc/buf.c csrc/arena.c csrc/err.c csrc/db.c csrc/model.c csrc/association.c csrc/inflect.c \
            csrc/dialect_sqlite.c csrc/where.c csrc/query.c csrc/sync.c csrc/json.c \
            csrc/value.c csrc/validate.c csrc/jsre.c csrc/qi.c
BIND_SRC := csrc/binding.c csrc/bind_options.c csrc/bind_read.c csrc/bind_write.c csrc/bind_model.c \
            csrc/bind_json.c csrc/bind_validate.c csrc/bind_qi.c
SRC      := $(CORE_SRC) $(BIND_SRC)
HDR      := $(wildcard csrc/*.h)

SO54  := build/5.4/sequelua/core.so
SOJIT := build/jit/sequelua/core.so
SOASAN := build/asan/sequelua/core.so

DEB_PACKAGES := gcc make pkg-config lua5.4 liblua5.4-dev luajit2 libluajit2-5.1-dev libsqlite3-dev \
                lua-busted luarocks lua-cjson lua-socket nginx libnginx-mod-http-lua \
                clang libclang-rt-14-dev valgrind

LUA_PATH_LOCAL := $(CURDIR)/lua/?.lua;$(CURDIR)/lua/?/init.lua;;
SPECS ?= spec

.PHONY: all deps build demo test test54 testjit sanitize rocks fuzz fuzz-replay valgrind valgrind1 valgrind2 clean bench

all: build

build: $(SO54) $(SOJIT)

# Install the Debian packages that are missing (needs root or sudo; a no-op when all are there).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(SO54): $(SRC) $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(CFLAGS) $(LUA54_INC) -shared -o $@ $(SRC) $(LIBS)

$(SOJIT): $(SRC) $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(CFLAGS) $(LUAJIT_INC) -shared -o $@ $(SRC) $(LIBS)

$(SOASAN): $(SRC) $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	  $(LUA54_INC) -shared -o $@ $(SRC) $(LIBS)

demo: deps build
	@LUA_PATH="$(LUA_PATH_LOCAL)" LUA_CPATH="$(CURDIR)/build/5.4/?.so;;" lua5.4 examples/demo.lua

# Each run appends TAP lines to build/tap.*; the summary counts them. The stages run two at a
# time (the machines have 2 cores), the two valgrind halves first as they are the longest; each
# stage's output is printed whole when it ends, with its time.
TEST_STAGES := valgrind2 valgrind1 sanitize test54 testjit rocks fuzz-replay
test: deps build
	@rm -f build/tap.*
	@$(MAKE) -k -j2 --output-sync=target --no-print-directory $(TEST_STAGES); status=$$?; \
	 passed=$$(cat build/tap.* 2>/dev/null | grep -ac '^ok '); \
	 failed=$$(cat build/tap.* 2>/dev/null | grep -ac '^not ok '); \
	 for f in build/tap.*; do [ -s "$$f" ] || failed=$$((failed + 1)); done; \
	 [ $$status -eq 0 ] || [ $$failed -gt 0 ] || failed=1; \
	 echo "$$passed passed, $$failed failed"; [ $$failed -eq 0 ]

define RUN_SPECS
	@echo "== $(4) ==" ; start=$$(date +%s); \
	LUA_PATH="$(LUA_PATH_LOCAL)" LUA_CPATH="$(CURDIR)/$(2)/?.so;;" $(3) $(1) /usr/bin/busted -o TAP $(or $(5),$(SPECS)) \
	  > build/tap.$(4) 2> build/tap.$(4).err; rc=$$?; \
	grep -aE '^(not ok|#)' build/tap.$(4) | head -n 60; tail -n 1 build/tap.$(4); \
	echo "($(4): $$(( $$(date +%s) - start )) s)"; \
	[ -s build/tap.$(4).err ] && head -n 40 build/tap.$(4).err; rm -f build/tap.$(4).err; exit $$rc
endef

test54: $(SO54)
	$(call RUN_SPECS,lua5.4,build/5.4,,lua54)

testjit: $(SOJIT)
	$(call RUN_SPECS,luajit,build/jit,,jit)

ASAN_ENV = SEQUELUA_ASAN=1 LD_PRELOAD="$$($(CC) -print-file-name=libasan.so)" \
           ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/spec/lsan.supp:print_suppressions=0 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

sanitize: $(SOASAN)
	$(call RUN_SPECS,lua5.4,build/asan,$(ASAN_ENV),asan)

# Install the rock offline into scratch trees (Lua 5.4 and LuaJIT) and run the demo from there.
ROCK := rockspec/sequelua-scm-1.rockspec
rocks:
	@echo "== luarocks ==" ; rm -rf build/rocks; mkdir -p build; : > build/tap.rocks; \
	run() { if "$$@" > build/rocks.log 2>&1; then echo "ok $$n - $$desc" >> build/tap.rocks; \
	        else echo "not ok $$n - $$desc" >> build/tap.rocks; tail -n 20 build/rocks.log; fi; }; \
	n=1 desc="luarocks make for Lua 5.4"; run luarocks --lua-version=5.4 --tree build/rocks/5.4 make $(ROCK); \
	n=2 desc="luarocks make for LuaJIT"; run luarocks --lua-version=5.1 --tree build/rocks/jit make $(ROCK) \
	  LUA_INCDIR=/usr/include/luajit-2.1; \
	n=3 desc="demo from the Lua 5.4 rock tree"; run env -u LUA_PATH -u LUA_CPATH \
	  LUA_PATH="$(CURDIR)/build/rocks/5.4/share/lua/5.4/?.lua;$(CURDIR)/build/rocks/5.4/share/lua/5.4/?/init.lua;;" \
	  LUA_CPATH="$(CURDIR)/build/rocks/5.4/lib/lua/5.4/?.so;;" sh -c 'cd /tmp && lua5.4 $(CURDIR)/examples/demo.lua'; \
	n=4 desc="demo from the LuaJIT rock tree"; run env -u LUA_PATH -u LUA_CPATH \
	  LUA_PATH="$(CURDIR)/build/rocks/jit/share/lua/5.1/?.lua;$(CURDIR)/build/rocks/jit/share/lua/5.1/?/init.lua;;" \
	  LUA_CPATH="$(CURDIR)/build/rocks/jit/lib/lua/5.1/?.so;;" sh -c 'cd /tmp && luajit $(CURDIR)/examples/demo.lua'; \
	cat build/tap.rocks; ! grep -q '^not ok' build/tap.rocks

# libFuzzer harnesses over the JSON codec and the where compiler (FUZZ_SECONDS each);
# make test replays the checked-in corpus.
fuzz:
	@fuzz/run.sh

fuzz-replay:
	@echo "== fuzz corpus ==" ; mkdir -p build; fuzz/run.sh replay > build/tap.fuzz 2> build/fuzz.log; rc=$$?; \
	grep -a '^not ok' build/tap.fuzz; tail -n 1 build/tap.fuzz; [ $$rc -eq 0 ] || tail -n 20 build/fuzz.log; exit $$rc

# The spec suite under valgrind's memcheck (part of make test): the spec files in two
# halves, each run on one core (6 to 10 minutes each; make test runs them beside the other
# stages): the two slowest under valgrind one in each, the others every other file by name.
# The ports of Sequelize's unit tests (spec/port_unit_*) are left out here: they run the C paths
# the other specs run, under valgrind they would add about three minutes to make test, and they
# do run under AddressSanitizer + UBSan (leaks included), Lua 5.4 and LuaJIT.
VALGRIND = valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
           --suppressions=$(CURDIR)/spec/valgrind.supp
VG_SPECS := $(filter-out spec/port_unit_%,$(sort $(wildcard spec/*_spec.lua)))
VG_SLOW1 := $(filter spec/where_spec.lua,$(VG_SPECS))
VG_SLOW2 := $(filter spec/query_interface_spec.lua,$(VG_SPECS))
VG_REST  := $(filter-out $(VG_SLOW1) $(VG_SLOW2),$(VG_SPECS))
VG_HALF1 := $(VG_SLOW1) $(shell printf '%s\n' $(VG_REST) | awk 'NR % 2 == 1')
VG_HALF2 := $(VG_SLOW2) $(shell printf '%s\n' $(VG_REST) | awk 'NR % 2 == 0')
valgrind: $(SO54)
	@$(MAKE) -j2 --no-print-directory valgrind1 valgrind2
valgrind1: $(SO54)
	$(call RUN_SPECS,lua5.4,build/5.4,SEQUELUA_ASAN=1 $(VALGRIND),valgrind1,$(VG_HALF1))
valgrind2: $(SO54)
	$(call RUN_SPECS,lua5.4,build/5.4,SEQUELUA_ASAN=1 $(VALGRIND),valgrind2,$(VG_HALF2))

# The blog benchmark: raw C floor and sequelua side by side (env N, RUNS); see bench/run.sh.
bench: build
	@bench/run.sh

clean:
	rm -rf build
