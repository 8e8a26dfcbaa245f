# ironpass — top-level, non-recursive Makefile.
#
#   make            build ironpass and ironpass-installer into build/
#   make check      unit tests (cmocka) with ASan+UBSan, no root, no network
#   make e2e        boot tests under QEMU (TCG)
#   make bench      benchmarks that print figures
#   make fuzz       libFuzzer targets (clang)
#   make deps       install the Debian packages needed to build, test and make images
#   make install    PREFIX/DESTDIR install

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share
DESTDIR  ?=

CC       ?= cc
AR       ?= ar
PKG_CONFIG ?= pkg-config
CFLAGS   ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
BUILD    ?= build
SANITIZE ?=
TOML_TEST_DIR ?= $(abspath ../shared/toml-test)
FUZZ_SECONDS ?= 600

DEPS_CMD ?= tests/deps.sh
DEPS_FIRST := $(if $(filter deps,$(MAKECMDGOALS)),deps)

# Libraries through pkg-config, asked when a recipe first needs them (not when
# this file is read), so that `make deps all` works on a machine that has none
# of them yet: deps runs first and installs them. Each is asked once.
PKGS := libpci libarchive json-c libcurl libssl libcrypto blkid
pkg = $(if $(shell $(PKG_CONFIG) --exists $(2) 2>/dev/null && echo yes), \
	$(shell $(PKG_CONFIG) $(1) $(2)), \
	$(error pkg-config cannot find '$(2)': run 'make deps' first (it installs them)))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg,--cflags,$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $(call pkg,--libs,$(PKGS)) -lcrypt -lm -lresolv)$(PKG_LIBS)
CMOCKA_CFLAGS = $(eval CMOCKA_CFLAGS := $(call pkg,--cflags,cmocka))$(CMOCKA_CFLAGS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $(call pkg,--libs,cmocka))$(CMOCKA_LIBS)

WARNFLAGS = -std=gnu17 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wwrite-strings -Wundef
ifeq ($(CI),true)
WARNFLAGS += -Werror
endif
ifeq ($(DEVELOPER),1)
WARNFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
DEPFLAGS = -MMD -MP
ALL_CPPFLAGS = -D_GNU_SOURCE -I. -Ilib -Iinstaller -Ibuilder $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(WARNFLAGS) $(DEPFLAGS) $(SANFLAGS) $(ALL_CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

LIB_SRC       := $(sort $(wildcard lib/*.c lib/*/*.c))
# main.c and the cli-*.c files (option parsing, printing) make the program;
# everything else is the core archive that the tests link too.
BUILDER_CLI   := builder/main.c $(wildcard builder/cli-*.c)
INSTALLER_CLI := installer/main.c $(wildcard installer/cli-*.c)
BUILDER_SRC   := $(sort $(filter-out $(BUILDER_CLI),$(wildcard builder/*.c builder/*/*.c)))
INSTALLER_SRC := $(sort $(filter-out $(INSTALLER_CLI),$(wildcard installer/*.c installer/*/*.c)))
TEST_SRC      := $(sort $(wildcard tests/unit/test-*.c))
TEST_HELPERS  := $(sort $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c)))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIBIRONPASS   := $(BUILD)/lib/libironpass.a
LIBBUILDER    := $(BUILD)/builder/libbuilder.a
LIBINSTALLER  := $(BUILD)/installer/libinstaller.a
IRONPASS      := $(BUILD)/ironpass
INSTALLER     := $(BUILD)/ironpass-installer
TESTS         := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCHES       := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/bench-*.c))
MANPAGES      := $(patsubst docs/man/%.scd,$(BUILD)/man/%,$(wildcard docs/man/*.scd))

.PHONY: all check check-build e2e e2e-extra e2e-zfs e2e-rack zfs-build bench fuzz deps install clean demo iso demo-iso run-qemu man

all: $(IRONPASS) $(INSTALLER)

$(BUILD)/%.o: %.c | $(DEPS_FIRST)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# the stand-in packages' scripts are embedded with the assembler's .incbin
# (builder/payload/bld-standin-files.c), which the compiler's dependency files
# do not list: a change to one of them rebuilds that object
$(BUILD)/builder/payload/bld-standin-files.o: $(wildcard builder/payload/standin/*)

$(LIBIRONPASS): $(call obj,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(LIBBUILDER): $(call obj,$(BUILDER_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(LIBINSTALLER): $(call obj,$(INSTALLER_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(IRONPASS): $(call obj,$(BUILDER_CLI)) $(LIBBUILDER) $(LIBIRONPASS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(INSTALLER): $(call obj,$(INSTALLER_CLI)) $(LIBINSTALLER) $(LIBIRONPASS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/test-%: tests/unit/test-%.c $(call obj,$(TEST_HELPERS)) $(LIBBUILDER) $(LIBINSTALLER) $(LIBIRONPASS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit -o $@ $< $(call obj,$(TEST_HELPERS)) \
		$(LIBBUILDER) $(LIBINSTALLER) $(LIBIRONPASS) $(ALL_LDFLAGS) $(PKG_LIBS) $(CMOCKA_LIBS)

# make check: every cmocka test plus the command-level tests, built with
# ASan+UBSan in their own build directory.
CHECK_BUILD ?= build/check
check:
	+$(MAKE) BUILD=$(CHECK_BUILD) SANITIZE=address,undefined check-build
	BUILD=$(CHECK_BUILD) TOML_TEST_DIR=$(TOML_TEST_DIR) tests/run-unit.sh

check-build: all $(TESTS)

# The main job: the demo image (stand-in payload, default profile), then
# where the ISO and PXE tree are and how to boot them (tests/e2e/demo.sh).
OUT     ?= out
CACHE   ?= cache
PROFILE ?= profiles/default.toml
demo demo-iso: all
	BUILD=$(BUILD) OUT=$(OUT) CACHE=$(CACHE) PROFILE=$(PROFILE) tests/e2e/demo.sh

# A real image: make iso PVE_ISO=proxmox-ve_8.x.iso | PVE_REPO=1 | POOL=DIR
iso: all
	$(IRONPASS) build --profile $(PROFILE) -o $(OUT) --cache $(CACHE) \
		$(if $(PVE_ISO),--pve-iso $(PVE_ISO),$(if $(PVE_REPO),--pve-repo,$(if $(POOL),--pool $(POOL))))

# Boot an image in QEMU: ISO=FILE QEMU_FW=sb|uefi|bios QEMU_USB=1 QEMU_DISK=32G
run-qemu:
	tests/e2e/run-qemu.sh

# signatures the e2e refusals need where the host cannot make them (md)
MKSIG := $(BUILD)/tests/mksig
$(MKSIG): tests/e2e/mksig.c tests/unit/sig-images.c tests/unit/sig-images.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ tests/e2e/mksig.c tests/unit/sig-images.c $(ALL_LDFLAGS)

# a certificate into an OVMF VARS copy as shim's MokList (the zfs runs under Secure Boot)
MOKVAR := $(BUILD)/tests/mokvar
$(MOKVAR): tests/e2e/mokvar.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ tests/e2e/mokvar.c $(ALL_LDFLAGS)

e2e: all $(MKSIG)
	BUILD=$(BUILD) tests/e2e/run.sh

# the install runs that do not fit in e2e's time: Secure Boot, a btrfs raid1 root, and
# the interactive install driven over the serial console with tmux
E2E_EXTRA_RUNS := secureboot boot-secureboot boot-secureboot-rm btrfs-raid1 boot-btrfs \
		  serial boot-serial
e2e-extra: all $(MKSIG)
	$(BUILD)/ironpass standin-pool cache/standin-pool
	BUILD=$(BUILD) E2E_INSTALL_RUNS="$(E2E_EXTRA_RUNS)" tests/e2e/install.sh

# a rack from one PXE tree: a BIOS and a UEFI node install with their own answers at
# once, a node without an answer powers off untouched, the done node boots its disk
e2e-rack: all
	$(BUILD)/ironpass standin-pool cache/standin-pool
	BUILD=$(BUILD) tests/e2e/rack.sh

# the real ZFS module build from the Debian archive into a cache of its own, and its figures
zfs-build: all
	BUILD=$(BUILD) tests/e2e/zfs-build.sh

# a zfs raid1 root on two disks under Secure Boot (the module key enrolled as MOK)
e2e-zfs: all $(MKSIG) $(MOKVAR)
	$(BUILD)/ironpass standin-pool cache/standin-pool
	BUILD=$(BUILD) E2E_INSTALL_RUNS="zfs-sb boot-zfs-sb" E2E_INSTALL_LANES=1 tests/e2e/install.sh

# benchmarks may use the loopback HTTP server of the unit tests
BENCH_HELPERS := tests/unit/loopback-http.c
$(BUILD)/bench/bench-%: tests/bench/bench-%.c $(call obj,$(BENCH_HELPERS)) $(LIBBUILDER) \
		$(LIBINSTALLER) $(LIBIRONPASS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(call obj,$(BENCH_HELPERS)) $(LIBBUILDER) \
		$(LIBINSTALLER) $(LIBIRONPASS) $(ALL_LDFLAGS) $(PKG_LIBS) -lpthread

bench: all $(BENCHES)
	BUILD=$(BUILD) tests/bench/run.sh

fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)

deps:
	$(DEPS_CMD)

# `make deps <goals>`: the other goals, and every compile, start only after deps
# has run, also with -j (DEPS_FIRST is an order-only prerequisite of them).
ifneq ($(filter deps,$(MAKECMDGOALS)),)
$(filter-out deps,$(MAKECMDGOALS)): | deps
endif

man: $(MANPAGES)

$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@

install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(IRONPASS) $(DESTDIR)$(BINDIR)/ironpass
	install -m 0755 $(INSTALLER) $(DESTDIR)$(SBINDIR)/ironpass-installer
	for m in $(MANPAGES); do \
		sec=$${m##*.}; install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$sec/; done
	install -d $(DESTDIR)$(DATADIR)/doc/ironpass
	install -m 0644 README.md docs/answer-file.md docs/pxe.md docs/windows-unattend.md $(DESTDIR)$(DATADIR)/doc/ironpass/

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
.SECONDARY:
