# docksec - one GNU Makefile, pkg-config for every dependency, objects under build/.
#
#   make            release build: build/docksec
#   make check      install deps, sanitizer build with -Werror, run every test
#   make demo       install deps, build, lint the bundled examples
#   make fuzz       build the libFuzzer targets (clang)
#   make bench      compare with peers (bench/README.md)
#   make coverage   line coverage per module (scripts/coverage.sh)
#   make golden-update   rewrite tests/golden expectations (review the diff)
#   make install PREFIX=/usr/local
#   V=1       show the full compiler command lines (quiet: "CC src/x.c")

PREFIX ?= /usr/local
CC ?= cc
PKGS := jansson yaml-0.1 libcurl zlib libarchive libcrypto sqlite3 libhs
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
# docksec itself links only these; libcurl and libarchive are loaded at
# first use by their SONAME (src/core/lazy.h), read from the .so the
# headers belong to. Tests and fuzz targets link everything.
BIN_LIBS := $(shell pkg-config --libs jansson yaml-0.1 zlib 2>/dev/null) -lm
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2).so" 2>/dev/null | awk '/SONAME/ {print $$2}')
CURL_SONAME := $(or $(call soname,libcurl,libcurl),libcurl.so.4)
ARCHIVE_SONAME := $(or $(call soname,libarchive,libarchive),libarchive.so.13)
CRYPTO_SONAME := $(or $(call soname,libcrypto,libcrypto),libcrypto.so.3)
SQLITE_SONAME := $(or $(call soname,sqlite3,libsqlite3),libsqlite3.so.0)
HS_SONAME := $(or $(call soname,libhs,libhs),libhs.so.5)
# ISA-L (igzip, gzip layers) is optional: without its header libarchive inflates
ISAL_SONAME := $(or $(call soname,libisal,libisal),libisal.so.2)
PKG_CFLAGS += -DDS_CURL_SONAME='"$(CURL_SONAME)"' -DDS_ARCHIVE_SONAME='"$(ARCHIVE_SONAME)"' \
	-DDS_CRYPTO_SONAME='"$(CRYPTO_SONAME)"' -DDS_SQLITE_SONAME='"$(SQLITE_SONAME)"' -DDS_HS_SONAME='"$(HS_SONAME)"' \
	-DDS_ISAL_SONAME='"$(ISAL_SONAME)"'
# --version names the commit it was built from (none outside a git clone)
DS_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
VERSION_CFLAGS := -DDS_COMMIT='"$(DS_COMMIT)"'

# quiet by default: one short line per file; V=1 for the command lines
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
say = $(if $(or $(filter 1,$(V)),$(findstring s,$(firstword -$(MAKEFLAGS)))),,@echo "  $(1) $(2)")

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc $(PKG_CFLAGS) -pthread
REL_CFLAGS := -O2 -g -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
REL_LDFLAGS := -pie -Wl,-z,relro,-z,now
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(wildcard src/main.c src/domains.c src/cmd/*.c src/core/*.c src/vulndb/*.c src/dockerfile/*.c src/container/*.c src/engine/*.c src/host/*.c src/image/*.c src/image/version/*.c src/shell/*.c)
LIB_SRCS := src/domains.c $(wildcard src/core/*.c src/vulndb/*.c src/dockerfile/*.c src/container/*.c src/engine/*.c src/host/*.c src/image/*.c src/image/version/*.c src/shell/*.c)
REL_OBJS := $(patsubst src/%.c,build/rel/%.o,$(SRCS))
SAN_OBJS := $(patsubst src/%.c,build/san/%.o,$(SRCS))
SAN_LIB_OBJS := $(patsubst src/%.c,build/san/%.o,$(LIB_SRCS))
HDRS := $(wildcard src/*/*.h src/*/*/*.h)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRCS))

.PHONY: all check demo deps fuzz fuzz-run bench install clean golden-update docs coverage

all: build/docksec

build/docksec: $(REL_OBJS)
	$(call say,LD,$@)
	$(Q)$(CC) $(REL_CFLAGS) $(REL_LDFLAGS) -o $@ $^ $(BIN_LIBS) -pthread

build/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) $(CFLAGS) -c -o $@ $<

# main.c carries the commit: rebuilt when HEAD moves
build/rel/main.o build/san/main.o: $(wildcard .git/HEAD .git/refs/heads/*)
build/rel/main.o build/san/main.o: CFLAGS += $(VERSION_CFLAGS)

build/san/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(call say,CC,$< (sanitizers))
	$(Q)$(CC) $(BASE_CFLAGS) -Werror $(SAN_FLAGS) $(CFLAGS) -c -o $@ $<

build/san/docksec: $(SAN_OBJS)
	$(call say,LD,$@)
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(BIN_LIBS) -pthread

build/san/tests/%: tests/unit/%.c $(SAN_LIB_OBJS) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(BASE_CFLAGS) -Werror $(SAN_FLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) \
		-o $@ $< $(SAN_LIB_OBJS) $(PKG_LIBS) $(shell pkg-config --libs cmocka) -pthread

deps:
	@scripts/deps.sh check

check: deps
	@$(MAKE) --no-print-directory build/san/docksec build/docksec $(UNIT_BINS)
	@tests/run.sh

# the demo needs a compiler and the libraries only: no daemon, no Podman
demo:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory build/docksec
	@scripts/demo.sh

# The fuzz targets link one library archive built once with the fuzzer's
# instrumentation, instead of compiling every source again per target.
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) -fsanitize=address,undefined -Werror=implicit-function-declaration
FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_OBJS := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRCS))
fuzz: $(FUZZ_TARGETS)
build/fuzz/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(call say,CC,$< (fuzz))
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/libdocksec.a: $(FUZZ_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
build/fuzz/%: fuzz/%.c build/fuzz/libdocksec.a $(HDRS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libdocksec.a $(PKG_LIBS) -pthread

# make coverage: a --coverage build, the suites that need no daemon, and
# line coverage per module (scripts/coverage.sh)
COV_FLAGS := -O0 -g --coverage
COV_OBJS := $(patsubst src/%.c,build/cov/%.o,$(SRCS))
COV_LIB_OBJS := $(patsubst src/%.c,build/cov/%.o,$(LIB_SRCS))
COV_UNIT_BINS := $(patsubst tests/unit/%.c,build/cov/tests/%,$(UNIT_SRCS))
build/cov/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(COV_FLAGS) -c -o $@ $<
build/cov/docksec: $(COV_OBJS)
	$(CC) $(COV_FLAGS) -o $@ $^ $(BIN_LIBS) -pthread
build/cov/tests/%: tests/unit/%.c $(COV_LIB_OBJS) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(COV_FLAGS) -Itests/unit $(shell pkg-config --cflags cmocka) \
		-o $@ $< $(COV_LIB_OBJS) $(PKG_LIBS) $(shell pkg-config --libs cmocka) -pthread
coverage: deps
	@$(MAKE) --no-print-directory build/cov/docksec $(COV_UNIT_BINS)
	@scripts/coverage.sh

bench: build/docksec
	bench/startup.sh
	bench/lint-vs-trivy.sh
	bench/check-vs-trivy.sh

golden-update: build/san/docksec
	UPDATE_GOLDEN=1 tests/golden/run.sh build/san/docksec

docs: build/docksec
	build/docksec rules --format markdown > docs/rules.md

install: build/docksec
	install -D -m 0755 build/docksec $(DESTDIR)$(PREFIX)/bin/docksec
	install -D -m 0644 docs/docksec.1 $(DESTDIR)$(PREFIX)/share/man/man1/docksec.1

clean:
	rm -rf build
