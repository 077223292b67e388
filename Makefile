# Top-level build. Sources are found by wildcard so that adding a file needs
# no Makefile edit: usr/core (internal library shared by everything),
# usr/adm (iscsiadm), usr/daemon (iscsid), libopeniscsiusr (public library).
# The file holding main() in usr/adm and usr/daemon is called main.c so the
# test programs can link every other object.

PREFIX      ?= /usr
SBINDIR     ?= $(PREFIX)/sbin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
MANDIR      ?= $(PREFIX)/share/man
PKGCONFDIR  ?= $(LIBDIR)/pkgconfig
SYSCONFDIR  ?= /etc
UNITDIR     ?= /lib/systemd/system
LIBEXECDIR  ?= $(PREFIX)/libexec
# Where records, iscsid.conf and initiatorname.iscsi live (open-iscsi: /etc/iscsi).
ISCSI_ETC   ?= $(SYSCONFDIR)/iscsi
VERSION     := 0.1.0
# Debian's SONAME (file name too), so programs built against Debian's
# libopeniscsiusr load ours; libopeniscsiusr.so.0 is a link, as in Debian.
LIBSONAME   := libopeniscsiusr.so.0.2.0

CC      ?= gcc
WARN    := -Wall -Wextra -Werror
DEFS    := -D_GNU_SOURCE -DISCSI_ETC_DEFAULT='"$(ISCSI_ETC)"' -DPROJECT_VERSION='"$(VERSION)"'
INCS    := -Iusr/core -Ilibopeniscsiusr
CFLAGS  ?= -O2 -g
BASEFLAGS := -std=c11 $(WARN) $(DEFS) $(INCS) -fPIC
SANFLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CORE_SRC   := $(wildcard usr/core/*.c)
ADM_SRC    := $(filter-out usr/adm/main.c,$(wildcard usr/adm/*.c))
DAEMON_SRC := $(filter-out usr/daemon/main.c,$(wildcard usr/daemon/*.c))
LIB_SRC    := $(wildcard libopeniscsiusr/*.c)
INAME_SRC  := $(filter-out usr/iname/main.c,$(wildcard usr/iname/*.c))
TEST_SRC   := $(wildcard usr/tests/test_*.c)

rel  = $(patsubst %.c,build/rel/%.o,$(1))
asan = $(patsubst %.c,build/asan/%.o,$(1))

BINS := usr/iscsiadm usr/iscsid usr/iscsi-iname
TESTS := $(patsubst usr/tests/%.c,build/tests/%,$(TEST_SRC))

# Go: /usr/local/go when present (the project's machines), else Debian's
# newest versioned toolchain (golang-1.23 from bookworm-backports, which
# .ci/deps.sh installs on a fresh Debian 12), else whatever go is on PATH.
GO_DEB_BIN := $(lastword $(shell ls -d /usr/lib/go-1.*/bin 2>/dev/null | sort -V))
export PATH := /usr/local/go/bin:$(if $(GO_DEB_BIN),$(GO_DEB_BIN):)$(PATH)

.PHONY: all deps test check check-c check-sh check-go e2e demo bench bench-harness install clean deb e2e-systemd fuzz check-fuzz fuzz-build soak
all: $(BINS) libopeniscsiusr/$(LIBSONAME) libopeniscsiusr/libopeniscsiusr.pc

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@
build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(SANFLAGS) -MMD -MP -c $< -o $@

build/rel/libcore.a: $(call rel,$(CORE_SRC))
	@rm -f $@; ar rcs $@ $^
build/asan/libcore.a: $(call asan,$(CORE_SRC))
	@rm -f $@; ar rcs $@ $^

usr/iscsiadm: $(call rel,usr/adm/main.c $(ADM_SRC) $(LIB_SRC)) build/rel/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
usr/iscsid: $(call rel,usr/daemon/main.c $(DAEMON_SRC) $(LIB_SRC)) build/rel/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
usr/iscsi-iname: $(call rel,usr/iname/main.c $(INAME_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

libopeniscsiusr/$(LIBSONAME): $(call rel,$(LIB_SRC)) build/rel/libcore.a
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(LIBSONAME) \
	    -Wl,--version-script=libopeniscsiusr/libopeniscsiusr.sym -o $@ $^
	ln -sf $(LIBSONAME) libopeniscsiusr/libopeniscsiusr.so.0
	ln -sf $(LIBSONAME) libopeniscsiusr/libopeniscsiusr.so
libopeniscsiusr/libopeniscsiusr.pc: libopeniscsiusr/libopeniscsiusr.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# Each usr/tests/test_X.c is a program of its own, built with ASan/UBSan and
# linked against everything but the two main.c files.
build/tests/%: usr/tests/%.c $(call asan,$(ADM_SRC) $(DAEMON_SRC) $(LIB_SRC) $(INAME_SRC)) build/asan/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(SANFLAGS) -Iusr/tests -o $@ $^ $(LDLIBS)

# The README's test command (and CI's): install what is missing, build,
# run every unit and command test, then the kernel lab scenarios.
test: deps
	$(MAKE) all
	$(MAKE) check
	$(MAKE) e2e
	$(MAKE) e2e-systemd

deps:
	sh .ci/deps.sh

# Guest-side kernel-edge driver for the lab (never run on the host).
KSMOKE_SRC := $(addprefix usr/daemon/,netlink.c netlink_io.c kernel.c ksession.c ksession_param.c sess_klogin.c kwait.c)
build/ksmoke: usr/tests/guest/ksmoke.c $(call rel,$(KSMOKE_SRC)) build/rel/libcore.a
	$(CC) $(BASEFLAGS) $(CFLAGS) -o $@ $^ $(LDLIBS)

check: check-c check-sh check-go check-fuzz
check-c: $(TESTS)
	@sh usr/tests/run-c.sh $(TESTS)
check-sh: all
	@sh usr/tests/run-sh.sh
# harness/conform runs usr/iscsiadm against stock: it needs the build.
check-go: all
	cd harness && go vet ./... && go vet -tags 'e2e e2esystemd' ./... && go test -race -count=1 ./... \
	    && go test -run '^$$' -fuzz '^FuzzPDU$$' -fuzztime 20s ./iscsi \
	    && cat results/conform.txt

# lunwatch analyze vs tshark -Y scsi on synthetic captures (needs tshark).
bench-harness: deps
	cd harness && go build -o ../build/lunwatch ./cmd/lunwatch
	build/lunwatch bench --dir $${TMPDIR:-/tmp} --sizes 50MB,200MB

# libFuzzer targets (usr/fuzz/fuzz_*.c, one per parser) built with clang,
# ASan and UBSan; every other source is compiled again for them. make fuzz
# runs each FUZZ_SECONDS and prints a table (usr/fuzz/run.sh); check-fuzz is
# the short pass make check runs.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -Wall -Wextra -Wno-unused-parameter $(DEFS) $(INCS) -g -O1 $(FUZZ_SAN)
FUZZ_LIBSRC  := $(CORE_SRC) $(ADM_SRC) $(DAEMON_SRC) $(LIB_SRC)
FUZZ_TARGETS := $(patsubst usr/fuzz/%.c,build/fuzz/%,$(wildcard usr/fuzz/fuzz_*.c))
FUZZ_TARGETS := $(filter-out build/fuzz/fuzz_common,$(FUZZ_TARGETS))
build/fuzzobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
build/fuzz/libfuzzall.a: $(patsubst %.c,build/fuzzobj/%.o,$(FUZZ_LIBSRC) usr/fuzz/fuzz_common.c)
	@mkdir -p $(dir $@)
	@rm -f $@; ar rcs $@ $^
build/fuzz/fuzz_%: usr/fuzz/fuzz_%.c usr/fuzz/fuzz.h build/fuzz/libfuzzall.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iusr/fuzz -fsanitize=fuzzer -o $@ $< build/fuzz/libfuzzall.a $(LDLIBS)
fuzz-build: $(FUZZ_TARGETS)
fuzz: fuzz-build
	@FUZZ_RUNS=$(FUZZ_RUNS) sh usr/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
FUZZ_SHORT   ?= 6
check-fuzz: fuzz-build
	@sh usr/fuzz/run.sh $(FUZZ_SHORT) $(FUZZ_TARGETS)

# Kernel lab (qemu guest); needs root and the packages .ci/deps installs.
e2e: all
	cd harness && go test -count=1 -timeout 30m -tags e2e -v ./e2e/...

# The Debian root on a disk booted with systemd and rebooted, make deb's
# packages installed over open-iscsi (harness/e2e/systemd_test.go); needs
# debhelper and lintian, so a target of its own that make test runs after
# e2e. Several minutes under TCG: make deb, two boots, one reboot.
e2e-systemd: all
	cd harness && go test -count=1 -timeout 40m -tags 'e2e e2esystemd' -v -run '^TestSystemdPackage$$' ./e2e/...

# Stock vs project side by side in the lab (table also in harness/results/demo.txt).
demo: deps all
	cd harness/e2e && go test -count=1 -timeout 20m -tags e2e -run '^TestDemo$$' -args -demo

# Attach time and wire commands vs LUN count; sessions at scale, boot storm,
# AEN storm (issue 13); stock vs project in one run (tables also in
# harness/results/bench*.txt). BENCH_ARGS adds flags, e.g.
# BENCH_ARGS='-bench-sessions 64,256,1024 -bench-login-cap 1200s'.
bench: deps all
	# 1024 sessions need more guest memory than the tests' 512 MB
	cd harness/e2e && LAB_MEMORY_MB=$${LAB_MEMORY_MB:-3072} go test -count=1 -timeout 300m -tags e2e -v -run '^TestBench' -args -bench $(BENCH_ARGS)

# Soak (not part of make test): 500 login/logout cycles and 100 connection
# drops during writes against tgtd (table also in harness/results/soak.txt).
soak: deps all
	cd harness/e2e && go test -count=1 -timeout 90m -tags e2e -v -run '^TestSoak$$' -args -soak

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(ISCSI_ETC) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(SBINDIR)/
	install -m 0755 libopeniscsiusr/$(LIBSONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIBSONAME) $(DESTDIR)$(LIBDIR)/libopeniscsiusr.so.0
	ln -sf $(LIBSONAME) $(DESTDIR)$(LIBDIR)/libopeniscsiusr.so
	install -m 0644 libopeniscsiusr/libopeniscsiusr/*.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 libopeniscsiusr/libopeniscsiusr.pc $(DESTDIR)$(PKGCONFDIR)/
	@# never overwrite an operator's configuration
	[ -e $(DESTDIR)$(ISCSI_ETC)/iscsid.conf ] || install -m 0600 etc/iscsid.conf $(DESTDIR)$(ISCSI_ETC)/iscsid.conf
	for f in doc/*.8; do [ -e "$$f" ] && install -m 0644 $$f $(DESTDIR)$(MANDIR)/man8/ || true; done
	for f in doc/*.5; do [ -e "$$f" ] && install -m 0644 $$f $(DESTDIR)$(MANDIR)/man5/ || true; done
	for f in etc/systemd/*.service etc/systemd/*.socket; do [ -e "$$f" ] && install -m 0644 $$f $(DESTDIR)$(UNITDIR)/ || true; done
	install -D -m 0755 etc/systemd/iscsi-shutdown.sh $(DESTDIR)$(LIBEXECDIR)/autoscan-iscsi/iscsi-shutdown

# Debian packages (autoscan-iscsi, libopeniscsiusr-autoscan, -dev) into
# build/deb/, built with dpkg-buildpackage from a copy of the sources, then
# checked with lintian. Needs debhelper (and lintian).
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	tar -c Makefile README.md debian doc etc libopeniscsiusr usr | tar -x -C build/deb/src
	cd build/deb/src && dpkg-buildpackage -b -us -uc
	lintian --info build/deb/*.changes

clean:
	rm -rf build $(BINS) libopeniscsiusr/*.so* libopeniscsiusr/libopeniscsiusr.pc

-include $(shell find build -name '*.d' 2>/dev/null)
