# Makefile - builds libtlstrace.so (shim/) and tlstrace-report (tools/) at the repo root.
# Targets: all, check, demo, install, uninstall, clean. Switches: V=1 (show commands), DEBUG=1
# (no optimization), ASAN=1 (sanitizers for the report; the shim is never built with them: it is
# preloaded into hosts that are not).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
DOCDIR  ?= $(PREFIX)/share/doc/tlstrace
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror
ifeq ($(DEBUG),1)
CFLAGS  := -O0 -g
endif
ifeq ($(V),1)
Q :=
else
Q := @
endif
# the "  CC  file" lines: not with V=1 (the commands show), nor with -s (silent)
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
SAY :=
else
SAY := $(Q)
endif

SHIM_SRC  := $(wildcard shim/*.c)
SHIM_ASM  := $(wildcard shim/*.S)
SHIM_OBJ  := $(patsubst %.c,build/%.o,$(SHIM_SRC)) $(patsubst %.S,build/%.o,$(SHIM_ASM))
# -fno-tree-loop-distribute-patterns: gcc would turn the loops of shim/str.h back into calls of
# libc's strlen (and memset, memcpy), which a sanitizer intercepts; where the compiler does not
# know it (clang: t074), left out (clang 14 makes no strlen of a loop)
NO_LOOP_CALLS := $(shell $(CC) -Werror -fno-tree-loop-distribute-patterns -x c -c -o /dev/null /dev/null 2>/dev/null && echo -fno-tree-loop-distribute-patterns)
SHIM_FLAGS := -std=gnu11 -fPIC -fvisibility=hidden -ftls-model=initial-exec $(NO_LOOP_CALLS)

REPORT_SRC := $(wildcard tools/report/*.c)
REPORT_OBJ := $(patsubst %.c,build/%.o,$(REPORT_SRC))
ASAN_OBJ   := $(patsubst %.c,build/asan/%.o,$(REPORT_SRC))
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
VERSION := $(shell cat VERSION 2>/dev/null || echo unknown)
REPORT_FLAGS := -std=gnu11 -Ishim -DTLSTRACE_VERSION='"$(VERSION)"'
REPORT_LIBS := -ldw -lelf -liberty
ifeq ($(ASAN),1)
REPORT_FLAGS += $(SAN_FLAGS)
REPORT_LDFLAGS += $(SAN_FLAGS)
endif

# the manual pages with the release and paths filled in, to read from the checkout:
# man -l build/man/tlstrace.1
MANPAGES := $(patsubst man/%.in,build/man/%,$(wildcard man/*.[15].in))

all: libtlstrace.so tlstrace-report tlstrace $(MANPAGES)

build/man/%: man/%.in $(wildcard VERSION)
	@mkdir -p build/man
	$(Q)sed 's|@VERSION@|$(VERSION)|; s|@LIBDIR@|$(LIBDIR)|; s|@DOCDIR@|$(DOCDIR)|' $< >$@

tlstrace: tools/tlstrace.in $(wildcard VERSION)
	$(Q)sed 's|@LIBDIR@|$(LIBDIR)|; s|@BINDIR@|$(BINDIR)|; s|@VERSION@|$(VERSION)|' $< >$@ && chmod +x $@

build/shim/%.o: shim/%.c shim/shim.h shim/format.h shim/str.h shim/sys.h shim/checkers.h
	@mkdir -p $(dir $@)
	@$(if $(SAY),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(WARN) $(SHIM_FLAGS) -c -o $@ $<

# main_trampoline (exitfns.c) keeps a frame pointer, so that frame-pointer unwinders
# (LeakSanitizer's, perf) go on from main into glibc (t328): gcc by its function attribute;
# clang has none (it warns of gcc's optimize attribute: t074), so there the whole file
ifneq ($(findstring clang,$(CC)),)
build/shim/exitfns.o: SHIM_FLAGS += -fno-omit-frame-pointer
endif

build/shim/%.o: shim/%.S
	@mkdir -p $(dir $@)
	@$(if $(SAY),echo "  AS      $<")
	$(Q)$(CC) $(SHIM_FLAGS) -c -o $@ $<

# -z noseparate-code: headers, code and read-only data in one mapping, so that the kernel's
# fault-around maps them together: two page faults less at every process start (~11 us each in
# this VM). The cost: the shim's read-only data is executable too. shim/layout.ld orders that
# mapping so that a process start touches one window of it (t040).
# shim/rodynamic.ld (a read-only .dynamic) only where ld.so leaves such a one alone: glibc 2.35+
GLIBC_MINOR := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc 2\.\([0-9]*\).*/\1/p')
SHIM_LAYOUT := shim/layout.ld $(if $(shell [ "$(GLIBC_MINOR)" -ge 35 ] 2>/dev/null && echo y),shim/rodynamic.ld)
# gcc's unwinder linked in, hidden (shim/unwind.c): nothing to load at run time
SHIM_UNWINDER := -Wl,-Bstatic -lgcc_eh -Wl,-Bdynamic -Wl,--exclude-libs,ALL -Wl,--wrap=abort
libtlstrace.so: $(SHIM_OBJ) shim/tlstrace.map $(SHIM_LAYOUT)
	@$(if $(SAY),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -shared -Wl,--version-script=shim/tlstrace.map -Wl,-z,now -Wl,-z,noexecstack -Wl,-z,noseparate-code $(SHIM_LAYOUT:%=-Wl,-T,%) $(LDFLAGS) \
		-o $@ $(SHIM_OBJ) $(SHIM_UNWINDER) -ldl

build/tools/report/%.o: tools/report/%.c $(wildcard tools/report/*.h) shim/format.h
	@mkdir -p $(dir $@)
	@$(if $(SAY),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(REPORT_FLAGS) -c -o $@ $<

build/tools/report/main.o build/asan/tools/report/main.o: $(wildcard VERSION)
tlstrace-report: $(REPORT_OBJ)
	@$(if $(SAY),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(REPORT_LDFLAGS) $(LDFLAGS) -o $@ $(REPORT_OBJ) $(REPORT_LIBS)

# the report with AddressSanitizer and UBSan, beside the normal one (make check runs it)
asan-report: build/asan/tlstrace-report

build/asan/tools/report/%.o: tools/report/%.c $(wildcard tools/report/*.h) shim/format.h
	@mkdir -p $(dir $@)
	@$(if $(SAY),echo "  CC      $< (asan)")
	$(Q)$(CC) -O1 -g $(WARN) $(REPORT_FLAGS) $(SAN_FLAGS) -c -o $@ $<

build/asan/tlstrace-report: $(ASAN_OBJ)
	@$(if $(SAY),echo "  LD      $@")
	$(Q)$(CC) -g $(SAN_FLAGS) -o $@ $(ASAN_OBJ) $(REPORT_LIBS)

# libFuzzer target for the report's parser and renderers (clang's runtime: libclang-rt-14-dev)
FUZZ_SRC := $(filter-out tools/report/main.c,$(REPORT_SRC)) tests/fuzz/fuzz_report.c
FUZZ_CC  ?= clang
FUZZ_TIME ?= 600
fuzz-report: build/fuzz/fuzz_report

build/fuzz/fuzz_report: $(FUZZ_SRC) $(wildcard tools/report/*.h) shim/format.h
	@mkdir -p $(dir $@)
	@$(if $(SAY),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) -g -O1 -std=gnu11 -D_GNU_SOURCE -Ishim -Itools/report \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $(FUZZ_SRC) $(REPORT_LIBS)

# a longer run than make check's (FUZZ_TIME seconds), the corpus kept in build/fuzz/corpus
fuzz: build/fuzz/fuzz_report
	mkdir -p build/fuzz/corpus
	cp tests/golden/*.trace tests/fuzz/corpus/* build/fuzz/corpus/
	ASAN_OPTIONS=detect_leaks=0 build/fuzz/fuzz_report -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-rss_limit_mb=4096 build/fuzz/corpus

check:
	$(Q)tests/run

demo:
	$(Q)tests/demo/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR)
	install -m 0644 libtlstrace.so $(DESTDIR)$(LIBDIR)/libtlstrace.so
	install -m 0755 tlstrace-report $(DESTDIR)$(BINDIR)/tlstrace-report
	sed 's|@LIBDIR@|$(LIBDIR)|; s|@BINDIR@|$(BINDIR)|; s|@VERSION@|$(VERSION)|' tools/tlstrace.in >$(DESTDIR)$(BINDIR)/tlstrace
	chmod 0755 $(DESTDIR)$(BINDIR)/tlstrace
	install -m 0644 README.md docs/trace-format.md docs/design.md docs/findings.md docs/configuration.md $(DESTDIR)$(DOCDIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	for m in man/*.[15].in; do \
		p=$${m%.in}; \
		sed 's|@VERSION@|$(VERSION)|; s|@LIBDIR@|$(LIBDIR)|; s|@DOCDIR@|$(DOCDIR)|' $$m >$(DESTDIR)$(MANDIR)/man$${p##*.}/$${p#man/} || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libtlstrace.so $(DESTDIR)$(BINDIR)/tlstrace-report $(DESTDIR)$(BINDIR)/tlstrace
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/tlstrace.1 $(DESTDIR)$(MANDIR)/man1/tlstrace-report.1 $(DESTDIR)$(MANDIR)/man5/tlstrace.5

clean:
	rm -rf build libtlstrace.so tlstrace-report tlstrace tests/out

.PHONY: all check demo install uninstall clean asan-report fuzz fuzz-report
