#!/bin/bash
# t106: each man page (man/*.[1-9].in, as make fills it in: build/man/) renders with `man -l` without a warning, and
# tlstrace-report(1) names every long option the program accepts (its --help). Skipped until the
# pages exist (man/ comes with the debian/ packaging work). tlstrace(1) names every option of
# tlstrace --help and every TLSTRACE_* variable of README.md's configuration table.
. "$(dirname "$0")/lib.sh"
command -v man >/dev/null || skip "man not installed"
pages=$(ls "$ROOT"/build/man/*.[1-9] 2>/dev/null) || fail "no man pages in build/man/ (make makes them from man/*.in)"
for p in $pages; do ! grep -q "@[A-Z]*@" "$p" || fail "$(basename "$p"): a placeholder left: $(grep -o "@[A-Z]*@" "$p" | head -1)"; done
for p in $pages; do
	w=$(MANWIDTH=80 man -l --warnings "$p" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "$(basename "$p"): man -l warns: $w"
done
if [ -e "$ROOT/build/man/tlstrace-report.1" ]; then
	MANWIDTH=200 man -l "$ROOT/build/man/tlstrace-report.1" 2>/dev/null | col -b >"$W/report.txt"
	for o in $($REPORT --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$o" "$W/report.txt" || fail "tlstrace-report(1) does not name $o"
	done
fi
# the pages name the installed docs where make installs them (DOCDIR, as tlstrace-report(1) does),
# not a path of their own (tlstrace(5) said /usr/share/doc/tlstrace under any PREFIX)
for m in "$ROOT"/man/*.[1-9].in; do
	! grep -q "/share/doc/" "$m" || fail "$(basename "$m"): a hard-coded doc path: $(grep -o '[^ ]*/share/doc/[^ ]*' "$m" | head -1)"
done
grep -q "@DOCDIR@/trace\\\\-format\.md" "$ROOT/man/tlstrace.5.in" || fail "tlstrace(5) does not name @DOCDIR@/trace-format.md"
# tlstrace-report(1) says what the README and --help say: - is standard input; JSON's ended and
# unfinished
if [ -e "$ROOT/build/man/tlstrace-report.1" ]; then
	MANWIDTH=200 man -l "$ROOT/build/man/tlstrace-report.1" 2>/dev/null | col -b | tr "\n\t" "  " | tr -s " " >"$W/report1.txt"
	grep -q "a trace of - is standard input, and a pipe or a FIFO is read to its end" "$W/report1.txt" ||
		fail "tlstrace-report(1) does not say - is standard input"
	for k in ended unfinished; do
		grep -Eq "(^| )$k is true when" "$W/report1.txt" || fail "tlstrace-report(1) does not describe JSON's $k"
	done
fi
# tlstrace(1) names every option of the wrapper's --help and every variable of README.md's
# configuration table (the page and the README kept in step)
if [ -e "$ROOT/build/man/tlstrace.1" ]; then
	MANWIDTH=200 man -l "$ROOT/build/man/tlstrace.1" 2>/dev/null | col -b >"$W/tlstrace.txt"
	for o in $("$ROOT/tlstrace" --help | grep -oE -- '(^|[ ,[])-[-a-zA-Z]+' | tr -d ' ,[' | sort -u) \
		$(grep -o '^| `TLSTRACE_[A-Z_]*`' "$ROOT/README.md" | tr -d '|` '); do
		grep -qw -- "$o" "$W/tlstrace.txt" || fail "tlstrace(1) does not name $o"
	done
fi
